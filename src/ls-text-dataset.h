/* ls-text-dataset.h: labelled phrases read from a tab-separated file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The largest file ls_text_dataset_load_file() reads, 64 MiB. */
#define LS_TEXT_DATASET_MAX_FILE_SIZE (G_GUINT64_CONSTANT (64) << 20)

/* A reference-counted, immutable list of phrases, each with a label.
 *
 * The file is UTF-8 text with one phrase per line, written as the label,
 * a tab and the text, such as "positive<TAB>a lovely film". Lines that
 * start with '#' are comments, and lines of only whitespace are skipped.
 * A line may end in "\n" or "\r\n". The label is the text before the
 * first tab: 1 to LS_MAX_LABEL_LENGTH bytes, without a tab. The text is
 * the rest of the line: 1 to LS_MAX_TEXT_LENGTH bytes, not only
 * whitespace. Label indexes count the distinct labels in the order they
 * first appear. */
typedef struct _LsTextDataset LsTextDataset;

/* Loads a whole file or nothing. For content that breaks a rule above,
 * the error is LS_ERROR_INVALID_DOCUMENT and its message names the file
 * and the line, e.g. "test.tsv:12: no tab between the label and the
 * text". A file with no phrases gives the same error. A file that cannot
 * be read gives GIO's G_IO_ERROR with the file name in front of its
 * message. */
LsTextDataset *ls_text_dataset_load_file      (GFile          *file,
                                               GError        **error);
/* As ls_text_dataset_load_file(); source_name starts error messages. */
LsTextDataset *ls_text_dataset_load_data      (const char     *data,
                                               gsize           length,
                                               const char     *source_name,
                                               GError        **error);

LsTextDataset *ls_text_dataset_ref            (LsTextDataset  *self);
void           ls_text_dataset_unref          (LsTextDataset  *self);

gsize          ls_text_dataset_get_n_texts    (LsTextDataset  *self);
/* Returns phrase index's text, without its label and line ending. */
const char    *ls_text_dataset_get_text       (LsTextDataset  *self,
                                               gsize           index);
/* Returns phrase index's label index, below ls_text_dataset_get_n_labels(). */
gsize          ls_text_dataset_get_label      (LsTextDataset  *self,
                                               gsize           index);

/* Returns the number of distinct labels, at least 1. */
gsize          ls_text_dataset_get_n_labels   (LsTextDataset  *self);
/* Returns the label of label index label, as the file writes it. */
const char    *ls_text_dataset_get_label_name (LsTextDataset  *self,
                                               gsize           label);
/* Looks up a label by name, and returns whether the file has it. */
gboolean       ls_text_dataset_find_label     (LsTextDataset  *self,
                                               const char     *name,
                                               gsize          *label);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsTextDataset, ls_text_dataset_unref)

G_END_DECLS
