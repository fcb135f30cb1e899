/* ls-tokenizer.h: splitting text into tokens and looking them up in a vocabulary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The vocabulary entry that every word outside the vocabulary maps to. */
#define LS_UNKNOWN_TOKEN "[UNK]"

typedef struct _LsVocabulary LsVocabulary;

/* Splits text into tokens. It lowercases text with g_utf8_strdown(),
 * splits it on whitespace, and makes every punctuation mark or symbol
 * a token of its own. Marks and symbols are the Unicode categories P*
 * and S*, which g_unichar_ispunct() tests, so "Not good!" gives "not",
 * "good", "!" and "$5" gives "$", "5". A combining mark or a zero-width
 * joiner stays in the token before it, and so does the character after
 * a joiner, so emoji such as "❤️" stay whole. Returns a NULL-terminated
 * array, empty when text has no tokens. text must be valid UTF-8, which
 * callers check before, so invalid text is a programming error. */
GStrv         ls_tokenize                    (const char         *text);

/* Copies words into a new vocabulary, in which a word's id is its index
 * in words. Returns NULL with an LS_ERROR unless words is 1 to
 * LS_MAX_VOCABULARY_SIZE distinct words that include LS_UNKNOWN_TOKEN,
 * and every other word is exactly one token as ls_tokenize() makes it,
 * valid UTF-8 and at most LS_MAX_LABEL_LENGTH bytes. Messages count
 * words from index 0, as in a JSON array. */
LsVocabulary *ls_vocabulary_new              (const char * const *words,
                                              GError            **error);
LsVocabulary *ls_vocabulary_ref              (LsVocabulary       *self);
void          ls_vocabulary_unref            (LsVocabulary       *self);
gsize         ls_vocabulary_get_size         (LsVocabulary       *self);
const char   *ls_vocabulary_get_word         (LsVocabulary       *self,
                                              gsize               id);
const char * const *ls_vocabulary_get_words  (LsVocabulary       *self);
gsize         ls_vocabulary_get_unknown_id   (LsVocabulary       *self);

/* Returns the id of token, or the unknown id when token is not a word of
 * the vocabulary. Tokens are compared byte for byte, so pass tokens that
 * ls_tokenize() made. */
gsize         ls_vocabulary_lookup           (LsVocabulary       *self,
                                              const char         *token);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsVocabulary, ls_vocabulary_unref)

G_END_DECLS
