/* test-tokenizer.c: splitting text into tokens and checking vocabularies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-tokenizer"

#include <string.h>

#include "ls-engine.h"
#include "ls-tokenizer.h"

/* Every expected token list, id and message part in this file was
 * written by hand from the rules in ls-tokenizer.h. Text is lowercased
 * and split on whitespace, and every punctuation mark or symbol (Unicode
 * P* and S*) is a token of its own. Combining marks and zero-width
 * joiners stay in the token before them. */

#define MAX_EXPECTED 8

typedef struct
{
  const char *text;
  const char *tokens[MAX_EXPECTED];  /* NULL-terminated */
} SplitCase;

static const SplitCase split_cases[] = {
  { "Not good!", { "not", "good", "!", NULL } },
  { "don't", { "don", "'", "t", NULL } },
  { "  ", { NULL } },
  { "", { NULL } },
  { "héllo, wörld", { "héllo", ",", "wörld", NULL } },
  { "a\tb\nc\r\nd", { "a", "b", "c", "d", NULL } },
  { " \t padded \n", { "padded", NULL } },
  { "a\u00a0b", { "a", "b", NULL } },  /* U+00A0 no-break space */
  { "wow!!", { "wow", "!", "!", NULL } },
  { "...hi", { ".", ".", ".", "hi", NULL } },
  { "(ok)", { "(", "ok", ")", NULL } },
  { "«oui»", { "«", "oui", "»", NULL } },
  { "well—no", { "well", "—", "no", NULL } },
  { "3.14", { "3", ".", "14", NULL } },
  { "MP3 player", { "mp3", "player", NULL } },
  { "ÉTÉ", { "été", NULL } },
  { "ΣΟΦΙΑ", { "σοφια", NULL } },
  { "$5+3", { "$", "5", "+", "3", NULL } },
  { "great\U0001F600", { "great", "\U0001F600", NULL } },
  /* U+2764 U+FE0F: the variation selector is a mark, so it stays. */
  { "\u2764\ufe0f!", { "\u2764\ufe0f", "!", NULL } },
  /* U+1F469 U+200D U+1F4BB, one emoji joined by a zero-width joiner. */
  { "\U0001F469\u200d\U0001F4BB ok", { "\U0001F469\u200d\U0001F4BB", "ok", NULL } },
  /* Whitespace after a joiner still splits. */
  { "good\u200d film", { "good\u200d", "film", NULL } },
  /* "e" and U+0301 combining acute accent, not the precomposed "é". */
  { "Cafe\u0301!", { "cafe\u0301", "!", NULL } },
  { "[UNK]", { "[", "unk", "]", NULL } },
};

static void
test_tokenizer_split (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (split_cases); i++)
    {
      const SplitCase *split = &split_cases[i];
      g_auto(GStrv) tokens = ls_tokenize (split->text);
      g_autofree char *joined = NULL;

      g_assert_nonnull (tokens);
      joined = g_strjoinv ("|", tokens);
      g_test_message ("“%s” -> %s", split->text, joined);
      g_assert_cmpstrv (tokens, split->tokens);
    }
}

static void
test_tokenizer_empty_is_not_null (void)
{
  g_auto(GStrv) tokens = ls_tokenize (" \n\t ");

  g_assert_nonnull (tokens);
  g_assert_null (tokens[0]);
}

static void
test_tokenizer_null_text (void)
{
  GStrv tokens;

  g_test_expect_message ("layerscope-engine", G_LOG_LEVEL_CRITICAL, "*text != NULL*");
  tokens = ls_tokenize (NULL);
  g_test_assert_expected_messages ();
  g_assert_null (tokens);
}

/* "\xe2\x82" is the start of a three-byte sequence cut short. */
static void
test_tokenizer_invalid_utf8 (void)
{
  GStrv tokens;

  g_test_expect_message ("layerscope-engine", G_LOG_LEVEL_CRITICAL, "*g_utf8_validate*");
  tokens = ls_tokenize ("ok \xe2\x82");
  g_test_assert_expected_messages ();
  g_assert_null (tokens);
}

/*
 * Vocabularies
 */

static const char * const good_words[] = {
  "the", "[UNK]", "!", "not", "good", "été", "mp3", "\U0001F600", "\u2764\ufe0f", NULL,
};

static void
test_tokenizer_vocabulary_accessors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LsVocabulary) vocabulary = ls_vocabulary_new (good_words, &error);

  g_assert_no_error (error);
  g_assert_nonnull (vocabulary);
  g_assert_cmpuint (ls_vocabulary_get_size (vocabulary), ==, 9);
  g_assert_cmpuint (ls_vocabulary_get_unknown_id (vocabulary), ==, 1);
  g_assert_cmpstr (ls_vocabulary_get_word (vocabulary, 0), ==, "the");
  g_assert_cmpstr (ls_vocabulary_get_word (vocabulary, 1), ==, "[UNK]");
  g_assert_cmpstr (ls_vocabulary_get_word (vocabulary, 8), ==, "\u2764\ufe0f");
  g_assert_cmpstrv (ls_vocabulary_get_words (vocabulary), good_words);
  g_assert_true (ls_vocabulary_get_words (vocabulary) != good_words);
}

static void
test_tokenizer_vocabulary_lookup (void)
{
  g_autoptr(LsVocabulary) vocabulary = ls_vocabulary_new (good_words, NULL);

  g_assert_nonnull (vocabulary);
  g_assert_cmpuint (ls_vocabulary_lookup (vocabulary, "the"), ==, 0);
  g_assert_cmpuint (ls_vocabulary_lookup (vocabulary, "[UNK]"), ==, 1);
  g_assert_cmpuint (ls_vocabulary_lookup (vocabulary, "!"), ==, 2);
  g_assert_cmpuint (ls_vocabulary_lookup (vocabulary, "good"), ==, 4);
  g_assert_cmpuint (ls_vocabulary_lookup (vocabulary, "été"), ==, 5);
  g_assert_cmpuint (ls_vocabulary_lookup (vocabulary, "\U0001F600"), ==, 7);

  /* Unknown tokens, including a known word in another case. */
  g_assert_cmpuint (ls_vocabulary_lookup (vocabulary, "great"), ==, 1);
  g_assert_cmpuint (ls_vocabulary_lookup (vocabulary, "Good"), ==, 1);
  g_assert_cmpuint (ls_vocabulary_lookup (vocabulary, ""), ==, 1);
}

/* Text goes through ls_tokenize() and then ls_vocabulary_lookup(). */
static void
test_tokenizer_text_to_ids (void)
{
  static const gsize expected[] = { 3, 4, 2, 2, 1, 6 };
  g_autoptr(LsVocabulary) vocabulary = ls_vocabulary_new (good_words, NULL);
  g_auto(GStrv) tokens = ls_tokenize ("Not GOOD!! Bad MP3");

  g_assert_nonnull (vocabulary);
  g_assert_cmpuint (g_strv_length (tokens), ==, G_N_ELEMENTS (expected));
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (ls_vocabulary_lookup (vocabulary, tokens[i]), ==, expected[i]);
}

/* Every accepted word is one token that ls_tokenize() makes from it. */
static void
test_tokenizer_vocabulary_words_are_tokens (void)
{
  for (gsize i = 0; good_words[i] != NULL; i++)
    {
      g_auto(GStrv) tokens = NULL;

      if (g_str_equal (good_words[i], LS_UNKNOWN_TOKEN))
        continue;
      tokens = ls_tokenize (good_words[i]);
      g_assert_cmpuint (g_strv_length (tokens), ==, 1);
      g_assert_cmpstr (tokens[0], ==, good_words[i]);
    }
}

/* The vocabulary keeps its own copy of the words. */
static void
test_tokenizer_vocabulary_copies_words (void)
{
  GStrv words = g_strsplit ("[UNK] good bad", " ", -1);
  g_autoptr(LsVocabulary) vocabulary = ls_vocabulary_new ((const char * const *) words, NULL);

  g_assert_nonnull (vocabulary);
  g_strfreev (words);
  g_assert_cmpstr (ls_vocabulary_get_word (vocabulary, 2), ==, "bad");
  g_assert_cmpuint (ls_vocabulary_lookup (vocabulary, "good"), ==, 1);
}

static void
test_tokenizer_vocabulary_ref (void)
{
  static const char * const words[] = { "[UNK]", NULL };
  LsVocabulary *vocabulary = ls_vocabulary_new (words, NULL);

  g_assert_true (ls_vocabulary_ref (vocabulary) == vocabulary);
  ls_vocabulary_unref (vocabulary);
  g_assert_cmpuint (ls_vocabulary_get_size (vocabulary), ==, 1);
  g_assert_cmpstr (ls_vocabulary_get_word (vocabulary, 0), ==, "[UNK]");
  ls_vocabulary_unref (vocabulary);
}

static void
test_tokenizer_vocabulary_word_out_of_range (void)
{
  g_autoptr(LsVocabulary) vocabulary = ls_vocabulary_new (good_words, NULL);
  const char *word;

  g_test_expect_message ("layerscope-engine", G_LOG_LEVEL_CRITICAL, "*id < self->size*");
  word = ls_vocabulary_get_word (vocabulary, 9);
  g_test_assert_expected_messages ();
  g_assert_null (word);
}

/*
 * Rejected vocabularies
 */

typedef struct
{
  const char *name;
  const char *words[MAX_EXPECTED];    /* NULL-terminated */
  LsError code;
  const char *message[MAX_EXPECTED];  /* parts the message must contain */
} RejectCase;

static const RejectCase reject_cases[] = {
  { "empty vocabulary", { NULL }, LS_ERROR_INVALID_SHAPE,
    { "vocabulary is empty", "“[UNK]”", NULL } },
  { "no unknown word", { "good", "bad", NULL }, LS_ERROR_INVALID_ARGUMENT,
    { "no “[UNK]” word", "add it", NULL } },
  { "duplicate word", { "[UNK]", "good", "bad", "good", NULL }, LS_ERROR_INVALID_ARGUMENT,
    { "“good” at index 3", "repeats the word at index 1", NULL } },
  { "duplicate unknown word", { "[UNK]", "a", "[UNK]", NULL }, LS_ERROR_INVALID_ARGUMENT,
    { "“[UNK]” at index 2", "repeats the word at index 0", NULL } },
  { "empty word", { "[UNK]", "", NULL }, LS_ERROR_INVALID_ARGUMENT,
    { "word at index 1 is empty", "remove it", NULL } },
  { "space inside", { "[UNK]", "a b", NULL }, LS_ERROR_INVALID_ARGUMENT,
    { "“a b” at index 1", "contains whitespace", NULL } },
  { "leading tab", { "[UNK]", "ok", "\tgood", NULL }, LS_ERROR_INVALID_ARGUMENT,
    { "“\tgood” at index 2", "contains whitespace", NULL } },
  { "only a space", { " ", "[UNK]", NULL }, LS_ERROR_INVALID_ARGUMENT,
    { "“ ” at index 0", "contains whitespace", NULL } },
  { "upper case", { "[UNK]", "Good", NULL }, LS_ERROR_INVALID_ARGUMENT,
    { "“Good” at index 1", "not lowercase", "write it as “good”", NULL } },
  { "upper case accent", { "[UNK]", "Été", NULL }, LS_ERROR_INVALID_ARGUMENT,
    { "“Été” at index 1", "not lowercase", "“été”", NULL } },
  { "unknown word in lower case", { "[UNK]", "[unk]", NULL }, LS_ERROR_INVALID_ARGUMENT,
    { "“[unk]” at index 1", "split into 3 tokens", "“[”, “unk”, “]”", NULL } },
  { "attached punctuation", { "[UNK]", "good!", NULL }, LS_ERROR_INVALID_ARGUMENT,
    { "“good!” at index 1", "split into 2 tokens", "“good”, “!”", NULL } },
  { "apostrophe", { "[UNK]", "don't", NULL }, LS_ERROR_INVALID_ARGUMENT,
    { "“don't” at index 1", "split into 3 tokens", NULL } },
  { "attached symbol", { "[UNK]", "$5", NULL }, LS_ERROR_INVALID_ARGUMENT,
    { "“$5” at index 1", "split into 2 tokens", NULL } },
  { "two marks", { "[UNK]", "!!", NULL }, LS_ERROR_INVALID_ARGUMENT,
    { "“!!” at index 1", "split into 2 tokens", NULL } },
  /* "\xff" is never valid in UTF-8 and is shown as U+FFFD. */
  { "invalid UTF-8", { "[UNK]", "ok", "a\xff", NULL }, LS_ERROR_INVALID_ARGUMENT,
    { "“a\ufffd” at index 2", "not valid UTF-8", NULL } },
};

static void
assert_rejected (const char * const *words,
                 LsError             code,
                 const char * const *message_parts)
{
  g_autoptr(GError) error = NULL;
  LsVocabulary *vocabulary = ls_vocabulary_new (words, &error);

  g_assert_null (vocabulary);
  g_assert_error (error, LS_ERROR, (gint) code);
  g_test_message ("message: %s", error->message);
  for (gsize i = 0; message_parts[i] != NULL; i++)
    {
      if (strstr (error->message, message_parts[i]) == NULL)
        g_test_message ("missing “%s”", message_parts[i]);
      g_assert_nonnull (strstr (error->message, message_parts[i]));
    }
}

static void
test_tokenizer_vocabulary_rejected (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (reject_cases); i++)
    {
      g_test_message ("case: %s", reject_cases[i].name);
      assert_rejected (reject_cases[i].words, reject_cases[i].code, reject_cases[i].message);
    }
}

/* Returns "[UNK]" followed by n - 1 distinct words. */
static GStrv
make_words (gsize n)
{
  GStrv words = g_new0 (char *, n + 1);

  words[0] = g_strdup (LS_UNKNOWN_TOKEN);
  for (gsize i = 1; i < n; i++)
    words[i] = g_strdup_printf ("w%zu", i);

  return words;
}

static void
test_tokenizer_vocabulary_size_limit (void)
{
  g_auto(GStrv) largest = make_words (LS_MAX_VOCABULARY_SIZE);
  g_auto(GStrv) too_large = make_words (LS_MAX_VOCABULARY_SIZE + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(LsVocabulary) vocabulary = NULL;
  static const char * const message[] = { "has 65537 words", "maximum of 65536", NULL };

  vocabulary = ls_vocabulary_new ((const char * const *) largest, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ls_vocabulary_get_size (vocabulary), ==, LS_MAX_VOCABULARY_SIZE);
  g_assert_cmpuint (ls_vocabulary_lookup (vocabulary, "w65535"), ==, 65535);

  assert_rejected ((const char * const *) too_large, LS_ERROR_INVALID_SHAPE, message);
}

static void
test_tokenizer_vocabulary_length_limit (void)
{
  g_autofree char *longest = g_strnfill (LS_MAX_LABEL_LENGTH, 'a');
  g_autofree char *too_long = g_strnfill (LS_MAX_LABEL_LENGTH + 1, 'a');
  const char *accepted[] = { "[UNK]", longest, NULL };
  const char *rejected[] = { "[UNK]", too_long, NULL };
  static const char * const message[] = {
    /* The word is shown cut to its first 40 characters. */
    "“aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…” at index 1",
    "is 257 bytes long", "maximum of 256 bytes", NULL,
  };
  g_autoptr(LsVocabulary) vocabulary = ls_vocabulary_new (accepted, NULL);

  g_assert_nonnull (vocabulary);
  g_assert_cmpuint (ls_vocabulary_lookup (vocabulary, longest), ==, 1);
  assert_rejected (rejected, LS_ERROR_INVALID_ARGUMENT, message);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tokenizer/split", test_tokenizer_split);
  g_test_add_func ("/tokenizer/empty-is-not-null", test_tokenizer_empty_is_not_null);
  g_test_add_func ("/tokenizer/null-text", test_tokenizer_null_text);
  g_test_add_func ("/tokenizer/invalid-utf8", test_tokenizer_invalid_utf8);
  g_test_add_func ("/tokenizer/vocabulary/accessors", test_tokenizer_vocabulary_accessors);
  g_test_add_func ("/tokenizer/vocabulary/lookup", test_tokenizer_vocabulary_lookup);
  g_test_add_func ("/tokenizer/vocabulary/text-to-ids", test_tokenizer_text_to_ids);
  g_test_add_func ("/tokenizer/vocabulary/words-are-tokens", test_tokenizer_vocabulary_words_are_tokens);
  g_test_add_func ("/tokenizer/vocabulary/copies-words", test_tokenizer_vocabulary_copies_words);
  g_test_add_func ("/tokenizer/vocabulary/ref", test_tokenizer_vocabulary_ref);
  g_test_add_func ("/tokenizer/vocabulary/word-out-of-range", test_tokenizer_vocabulary_word_out_of_range);
  g_test_add_func ("/tokenizer/vocabulary/rejected", test_tokenizer_vocabulary_rejected);
  g_test_add_func ("/tokenizer/vocabulary/size-limit", test_tokenizer_vocabulary_size_limit);
  g_test_add_func ("/tokenizer/vocabulary/length-limit", test_tokenizer_vocabulary_length_limit);

  return g_test_run ();
}
