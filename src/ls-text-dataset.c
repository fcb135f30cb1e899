/* ls-text-dataset.c: labelled phrases read from a tab-separated file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-text-dataset"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ls-error.h"
#include "ls-shape.h"
#include "ls-text-dataset.h"

struct _LsTextDataset
{
  gatomicrefcount ref_count;
  GPtrArray *texts;        /* of char *, [n_texts] */
  GArray *labels;          /* of gsize, [n_texts]: an index into label_names */
  GPtrArray *label_names;  /* of char *, [n_labels], in order of first use */
};

static LsTextDataset *
text_dataset_new (void)
{
  LsTextDataset *self = g_new0 (LsTextDataset, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->texts = g_ptr_array_new_with_free_func (g_free);
  self->labels = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->label_names = g_ptr_array_new_with_free_func (g_free);

  return self;
}

LsTextDataset *
ls_text_dataset_ref (LsTextDataset *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
ls_text_dataset_unref (LsTextDataset *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_ptr_array_unref (self->texts);
  g_array_unref (self->labels);
  g_ptr_array_unref (self->label_names);
  g_free (self);
}

/* ---------------------------------------------------------------------
 * Parsing
 * --------------------------------------------------------------------- */

static gboolean
is_blank (const char *line)
{
  for (const char *c = line; *c != '\0'; c++)
    if (!g_ascii_isspace (*c))
      return FALSE;

  return TRUE;
}

/* Returns the index of label, adding it when it is new. */
static gsize
intern_label (LsTextDataset *self,
              const char    *label)
{
  for (gsize i = 0; i < self->label_names->len; i++)
    if (g_str_equal (g_ptr_array_index (self->label_names, i), label))
      return i;

  g_ptr_array_add (self->label_names, g_strdup (label));

  return self->label_names->len - 1;
}

/* Checks one "label<TAB>text" line, already without its line ending, and
 * splits it at the first tab, which it replaces with '\0'. */
static gboolean
split_line (char         *line,
            const char   *source,
            gsize         number,
            const char  **text,
            GError      **error)
{
  char *tab = strchr (line, '\t');
  gsize label_length;
  const char *message = NULL;

  if (!g_utf8_validate (line, -1, NULL))
    message = _("the line is not valid UTF-8; save the file as UTF-8");
  else if (tab == NULL)
    message = _("no tab between the label and the text; write the label, a tab, then the text");
  else if (tab == line)
    message = _("the label before the tab is empty");
  else if (is_blank (tab + 1))
    message = _("the text after the tab is empty");

  if (message != NULL)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT, "%s:%zu: %s", source, number, message);
      return FALSE;
    }

  label_length = tab - line;
  if (label_length > LS_MAX_LABEL_LENGTH || strlen (tab + 1) > LS_MAX_TEXT_LENGTH)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT,
                   _("%s:%zu: the label is %zu bytes and the text %zu bytes long, but the maximum "
                     "is %d bytes for a label and %d for a text"),
                   source, number, label_length, strlen (tab + 1), LS_MAX_LABEL_LENGTH,
                   LS_MAX_TEXT_LENGTH);
      return FALSE;
    }

  *tab = '\0';
  *text = tab + 1;
  return TRUE;
}

/* Reads every line of data into self, or stops at the first bad one. */
static gboolean
parse_lines (LsTextDataset  *self,
             char           *data,
             const char     *source,
             GError        **error)
{
  g_auto(GStrv) lines = g_strsplit (data, "\n", -1);

  for (gsize i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      gsize length = strlen (line);
      const char *text;
      gsize label;

      if (length > 0 && line[length - 1] == '\r')
        line[length - 1] = '\0';
      if (line[0] == '#' || is_blank (line))
        continue;

      if (!split_line (line, source, i + 1, &text, error))
        return FALSE;

      label = intern_label (self, line);
      g_ptr_array_add (self->texts, g_strdup (text));
      g_array_append_val (self->labels, label);
    }

  return TRUE;
}

LsTextDataset *
ls_text_dataset_load_data (const char  *data,
                           gsize        length,
                           const char  *source_name,
                           GError     **error)
{
  g_autoptr(LsTextDataset) self = NULL;
  g_autofree char *copy = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (source_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (memchr (data, '\0', length) != NULL)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT,
                   _("%s: the file contains a NUL byte, so it is not a text file of phrases"), source_name);
      return NULL;
    }

  self = text_dataset_new ();
  copy = g_strndup (data, length);
  if (!parse_lines (self, copy, source_name, error))
    return NULL;

  if (self->texts->len == 0)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT,
                   _("%s: the file has no phrases; write one per line as the label, a tab, then the text"),
                   source_name);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/* ---------------------------------------------------------------------
 * Loading a file
 * --------------------------------------------------------------------- */

/* Rejects what is not a regular file, because reading a FIFO blocks and a
 * device may never end, and a file over LS_TEXT_DATASET_MAX_FILE_SIZE. */
static gboolean
check_file (GFile   *file,
            GError **error)
{
  g_autoptr(GFileInfo) info = NULL;
  guint64 size;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    return FALSE;

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                           _("not a regular file; choose a text file of phrases"));
      return FALSE;
    }

  size = MAX (g_file_info_get_size (info), 0);
  if (size > LS_TEXT_DATASET_MAX_FILE_SIZE)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT,
                   _("the file is %llu bytes long, over the maximum of %llu bytes for phrases"),
                   (unsigned long long) size, (unsigned long long) LS_TEXT_DATASET_MAX_FILE_SIZE);
      return FALSE;
    }

  return TRUE;
}

LsTextDataset *
ls_text_dataset_load_file (GFile   *file,
                           GError **error)
{
  g_autofree char *name = NULL;
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = g_file_get_basename (file);
  if (!check_file (file, error) || !g_file_load_contents (file, NULL, &data, &length, NULL, error))
    {
      g_prefix_error (error, "%s: ", name);
      return NULL;
    }

  return ls_text_dataset_load_data (data, length, name, error);
}

/* ---------------------------------------------------------------------
 * Getters
 * --------------------------------------------------------------------- */

gsize
ls_text_dataset_get_n_texts (LsTextDataset *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->texts->len;
}

const char *
ls_text_dataset_get_text (LsTextDataset *self,
                          gsize          index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->texts->len, NULL);

  return g_ptr_array_index (self->texts, index);
}

gsize
ls_text_dataset_get_label (LsTextDataset *self,
                           gsize          index)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (index < self->labels->len, 0);

  return g_array_index (self->labels, gsize, index);
}

gsize
ls_text_dataset_get_n_labels (LsTextDataset *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->label_names->len;
}

const char *
ls_text_dataset_get_label_name (LsTextDataset *self,
                                gsize          label)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (label < self->label_names->len, NULL);

  return g_ptr_array_index (self->label_names, label);
}

gboolean
ls_text_dataset_find_label (LsTextDataset *self,
                            const char    *name,
                            gsize         *label)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  for (gsize i = 0; i < self->label_names->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (self->label_names, i), name))
        {
          if (label != NULL)
            *label = i;
          return TRUE;
        }
    }

  return FALSE;
}
