/* ls-tokenizer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ls-error.h"
#include "ls-shape.h"
#include "ls-tokenizer.h"

#define ZERO_WIDTH_JOINER 0x200D

/* Characters of a word shown in an error message before it is cut off. */
#define MAX_QUOTED_CHARS 40

struct _LsVocabulary
{
  GStrv words;       /* [size], NULL-terminated */
  gsize size;
  gsize unknown_id;  /* index of LS_UNKNOWN_TOKEN in words */
  GHashTable *ids;   /* word (owned by words) -> id, as GSIZE_TO_POINTER */
};

/*
 * Tokenizing
 */

typedef enum
{
  TOKEN_NONE,  /* between tokens, after whitespace or at the start */
  TOKEN_WORD,
  TOKEN_MARK,  /* one punctuation mark or symbol */
} TokenKind;

/* Whether c extends the token before it, whatever that token's kind.
 * Combining marks do, such as U+FE0F, which turns "❤" into an emoji. So
 * do U+200D and the character after it, which join emoji as in "👩‍💻",
 * unless that character is whitespace, which always splits. */
static gboolean
joins_previous (gunichar c,
                gunichar previous)
{
  if (g_unichar_isspace (c))
    return FALSE;

  return g_unichar_ismark (c) || c == ZERO_WIDTH_JOINER || previous == ZERO_WIDTH_JOINER;
}

static void
add_token (GStrvBuilder *tokens,
           const char   *start,
           const char   *end)
{
  g_autofree char *token = NULL;

  if (start == NULL)
    return;

  token = g_strndup (start, end - start);
  g_strv_builder_add (tokens, token);
}

/* g_unichar_ispunct() is TRUE for the Unicode punctuation (P*) and
 * symbol (S*) categories, so "$", "+" and emoji split off like "!".
 * NOTE: Text is not normalized, so a precomposed "é" and "e" followed
 * by U+0301 are different tokens. */
GStrv
ls_tokenize (const char *text)
{
  g_autoptr(GStrvBuilder) tokens = NULL;
  g_autofree char *lower = NULL;
  const char *start = NULL;  /* first byte of the token being read */
  TokenKind kind = TOKEN_NONE;
  gunichar previous = 0;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (g_utf8_validate (text, -1, NULL), NULL);

  tokens = g_strv_builder_new ();
  lower = g_utf8_strdown (text, -1);
  for (p = lower; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (kind == TOKEN_NONE || !joins_previous (c, previous))
        {
          if (g_unichar_isspace (c))
            {
              add_token (tokens, start, p);
              start = NULL;
              kind = TOKEN_NONE;
            }
          else if (g_unichar_ispunct (c) || kind != TOKEN_WORD)
            {
              add_token (tokens, start, p);
              start = p;
              kind = g_unichar_ispunct (c) ? TOKEN_MARK : TOKEN_WORD;
            }
        }
      previous = c;
    }
  add_token (tokens, start, p);

  return g_strv_builder_end (tokens);
}

/*
 * Checking the words of a vocabulary
 */

/* Returns word in quotation marks for an error message, made valid
 * UTF-8 and cut to MAX_QUOTED_CHARS characters. */
static char *
quote_word (const char *word)
{
  g_autofree char *valid = g_utf8_make_valid (word, -1);

  if (g_utf8_strlen (valid, -1) <= MAX_QUOTED_CHARS)
    return g_strdup_printf ("“%s”", valid);
  else
    {
      g_autofree char *start = g_utf8_substring (valid, 0, MAX_QUOTED_CHARS);

      return g_strdup_printf ("“%s…”", start);
    }
}

static gboolean
contains_whitespace (const char *word)
{
  for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_isspace (g_utf8_get_char (p)))
        return TRUE;
    }

  return FALSE;
}

/* Checks that word is valid UTF-8 and short enough to be stored. */
static gboolean
check_word_encoding (const char  *word,
                     gsize        index,
                     GError     **error)
{
  g_autofree char *quoted = quote_word (word);
  gsize length = strlen (word);

  if (!g_utf8_validate (word, length, NULL))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("The word %s at index %zu is not valid UTF-8; write it in UTF-8"),
                   quoted, index);
      return FALSE;
    }

  if (length > LS_MAX_LABEL_LENGTH)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("The word %s at index %zu is %zu bytes long, over the maximum of %d bytes; "
                     "shorten it"),
                   quoted, index, length, LS_MAX_LABEL_LENGTH);
      return FALSE;
    }

  return TRUE;
}

/* Checks that ls_tokenize() does not split word, which has no whitespace
 * and is lowercase, so the one token it makes is the word itself. */
static gboolean
check_word_not_split (const char  *word,
                      gsize        index,
                      GError     **error)
{
  g_auto(GStrv) tokens = ls_tokenize (word);
  guint n_tokens = g_strv_length (tokens);
  g_autofree char *quoted = NULL;
  g_autofree char *parts = NULL;

  if (n_tokens == 1)
    return TRUE;

  quoted = quote_word (word);
  parts = g_strjoinv ("”, “", tokens);
  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
               g_dngettext (GETTEXT_PACKAGE,
                            "The word %s at index %zu would be split into %u token (“%s”) "
                            "because punctuation marks and symbols are tokens of their own; "
                            "make each token a word of its own",
                            "The word %s at index %zu would be split into %u tokens (“%s”) "
                            "because punctuation marks and symbols are tokens of their own; "
                            "make each token a word of its own",
                            n_tokens),
               quoted, index, n_tokens, parts);

  return FALSE;
}

/* Checks that ls_tokenize() turns word into exactly one token equal to
 * word, so that text can reach its id. Assumes valid UTF-8. */
static gboolean
check_word_is_token (const char  *word,
                     gsize        index,
                     GError     **error)
{
  g_autofree char *quoted = quote_word (word);
  g_autofree char *lower = g_utf8_strdown (word, -1);

  if (*word == '\0')
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("The word at index %zu is empty; remove it"), index);
      return FALSE;
    }

  if (contains_whitespace (word))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("The word %s at index %zu contains whitespace, which separates tokens; "
                     "remove the whitespace or make each part a word of its own"),
                   quoted, index);
      return FALSE;
    }

  if (!g_str_equal (word, lower))
    {
      g_autofree char *quoted_lower = quote_word (lower);

      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("The word %s at index %zu is not lowercase, but text is lowercased "
                     "before it is split into tokens; write it as %s"),
                   quoted, index, quoted_lower);
      return FALSE;
    }

  return check_word_not_split (word, index, error);
}

/* Adds word number index of self->words to self->ids after checking that
 * it can be a vocabulary word and is not there already. */
static gboolean
add_word (LsVocabulary  *self,
          gsize          index,
          GError       **error)
{
  const char *word = self->words[index];
  gpointer first_id;

  if (!check_word_encoding (word, index, error))
    return FALSE;

  /* The unknown token is the one word that text never produces. */
  if (!g_str_equal (word, LS_UNKNOWN_TOKEN) && !check_word_is_token (word, index, error))
    return FALSE;

  if (g_hash_table_lookup_extended (self->ids, word, NULL, &first_id))
    {
      g_autofree char *quoted = quote_word (word);

      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("The word %s at index %zu repeats the word at index %zu; "
                     "every word must appear once, so remove one of them"),
                   quoted, index, GPOINTER_TO_SIZE (first_id));
      return FALSE;
    }

  g_hash_table_insert (self->ids, (gpointer) word, GSIZE_TO_POINTER (index));

  return TRUE;
}

/* Checks the number of words and whether LS_UNKNOWN_TOKEN is one of them. */
static gboolean
check_word_count (const char * const *words,
                  gsize               size,
                  GError            **error)
{
  if (size == 0)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The vocabulary is empty; add at least “%s”"), LS_UNKNOWN_TOKEN);
      return FALSE;
    }

  if (size > LS_MAX_VOCABULARY_SIZE)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The vocabulary has %zu words, over the maximum of %d; remove the rarest ones"),
                   size, LS_MAX_VOCABULARY_SIZE);
      return FALSE;
    }

  if (!g_strv_contains (words, LS_UNKNOWN_TOKEN))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("The vocabulary has no “%s” word, to which every token outside the "
                     "vocabulary maps; add it"),
                   LS_UNKNOWN_TOKEN);
      return FALSE;
    }

  return TRUE;
}

/*
 * The vocabulary
 */

static void
vocabulary_clear (gpointer data)
{
  LsVocabulary *self = data;

  g_clear_pointer (&self->ids, g_hash_table_unref);
  g_clear_pointer (&self->words, g_strfreev);
}

LsVocabulary *
ls_vocabulary_new (const char * const *words,
                   GError            **error)
{
  g_autoptr(LsVocabulary) self = NULL;
  gsize size;

  g_return_val_if_fail (words != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  size = g_strv_length ((GStrv) words);
  if (!check_word_count (words, size, error))
    return NULL;

  self = g_atomic_rc_box_new0 (LsVocabulary);
  self->words = g_strdupv ((GStrv) words);
  self->size = size;
  self->ids = g_hash_table_new (g_str_hash, g_str_equal);
  for (gsize i = 0; i < size; i++)
    {
      if (!add_word (self, i, error))
        return NULL;
    }
  self->unknown_id = GPOINTER_TO_SIZE (g_hash_table_lookup (self->ids, LS_UNKNOWN_TOKEN));

  return g_steal_pointer (&self);
}

LsVocabulary *
ls_vocabulary_ref (LsVocabulary *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
ls_vocabulary_unref (LsVocabulary *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, vocabulary_clear);
}

gsize
ls_vocabulary_get_size (LsVocabulary *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->size;
}

const char *
ls_vocabulary_get_word (LsVocabulary *self,
                        gsize         id)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (id < self->size, NULL);

  return self->words[id];
}

const char * const *
ls_vocabulary_get_words (LsVocabulary *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const char * const *) self->words;
}

gsize
ls_vocabulary_get_unknown_id (LsVocabulary *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->unknown_id;
}

gsize
ls_vocabulary_lookup (LsVocabulary *self,
                      const char   *token)
{
  gpointer id;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (token != NULL, self->unknown_id);

  if (!g_hash_table_lookup_extended (self->ids, token, NULL, &id))
    return self->unknown_id;

  return GPOINTER_TO_SIZE (id);
}
