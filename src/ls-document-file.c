/* ls-document-file.c: saving documents atomically and reading them with size limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-document"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "ls-document-private.h"

/* ---------------------------------------------------------------------
 * Saving
 * --------------------------------------------------------------------- */

static gboolean
check_text_length (const char  *text,
                   gsize        max_length,
                   const char  *description,
                   GError     **error)
{
  gsize length = text != NULL ? strlen (text) : 0;

  if (length <= max_length)
    return TRUE;

  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT,
               _("%s is %zu bytes long, over the maximum of %zu bytes; shorten it"),
               description, length, max_length);
  return FALSE;
}

static gboolean
check_layer_savable (const LsLayer  *layer,
                     gsize           index,
                     GError        **error)
{
  g_autofree char *name_description = g_strdup_printf (_("the name of layer %zu"), index + 1);

  if (!check_text_length (layer->name, LS_MAX_LABEL_LENGTH, name_description, error))
    return FALSE;

  for (gsize i = 0; layer->labels != NULL && layer->labels[i] != NULL; i++)
    {
      g_autofree char *description = g_strdup_printf (_("label %zu of layer %zu"),
                                                      i + 1, index + 1);

      if (!check_text_length (layer->labels[i], LS_MAX_LABEL_LENGTH, description, error))
        return FALSE;
    }

  /* JsonParser reads integers as gint64. */
  if (layer->init.seed > G_MAXINT64)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT,
                   _("the initialisation seed %llu of layer %zu is over the maximum of %lld"),
                   (unsigned long long) layer->init.seed, index + 1, (long long) G_MAXINT64);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_evaluation_savable (const LsEvaluation  *evaluation,
                          GError             **error)
{
  /* A network without a dataset record has an evaluation whose name is NULL. */
  if (evaluation->name == NULL)
    return TRUE;

  if (evaluation->split == NULL)
    {
      g_set_error_literal (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT,
                           _("the dataset evaluation names no split, such as “test”"));
      return FALSE;
    }

  if (!check_text_length (evaluation->name, LS_MAX_LABEL_LENGTH, _("the dataset name"), error) ||
      !check_text_length (evaluation->split, LS_MAX_LABEL_LENGTH, _("the dataset split"), error))
    return FALSE;

  /* JsonParser reads integers as gint64. */
  if (evaluation->samples < 1 || evaluation->samples > G_MAXINT64 ||
      evaluation->correct > evaluation->samples)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT,
                   _("the dataset evaluation has %llu correct of %llu samples; expected 1 to %lld "
                     "samples and at most as many correct"),
                   (unsigned long long) evaluation->correct, (unsigned long long) evaluation->samples,
                   (long long) G_MAXINT64);
      return FALSE;
    }

  return TRUE;
}

/* Checks the limits that the engine does not enforce but the loader
 * does, so that every saved document loads again. */
static gboolean
check_savable (LsNetwork  *network,
               GError    **error)
{
  gsize size = ls_network_get_input_size (network);

  if (!check_text_length (ls_network_get_title (network), LS_MAX_LABEL_LENGTH, _("the title"), error) ||
      !check_text_length (ls_network_get_description (network), LS_MAX_DESCRIPTION_LENGTH,
                          _("the description"), error) ||
      !check_evaluation_savable (ls_network_get_evaluation (network), error))
    return FALSE;

  for (gsize i = 0; i < size; i++)
    {
      g_autofree char *description = g_strdup_printf (_("the label of input %zu"), i + 1);

      if (!check_text_length (ls_network_get_input_label (network, i), LS_MAX_LABEL_LENGTH,
                              description, error))
        return FALSE;
    }

  for (gsize i = 0; i < ls_network_get_n_layers (network); i++)
    if (!check_layer_savable (ls_network_get_layer (network, i), i, error))
      return FALSE;

  return TRUE;
}

/* Replaces a local file through a temporary file in the same folder, so
 * the target contains either the old or the new document even after a crash.
 * A symbolic link keeps pointing to the file it pointed to, and an
 * existing file keeps its permission bits. */
static gboolean
replace_local_file (const char  *path,
                    const char  *data,
                    gsize        length,
                    GError     **error)
{
  g_autofree char *resolved = realpath (path, NULL);
  const char *target = resolved != NULL ? resolved : path;
  g_autoptr(GError) file_error = NULL;
  GStatBuf status;
  int mode = 0666;

  if (g_stat (target, &status) == 0 && S_ISREG (status.st_mode))
    mode = status.st_mode & 0777;

  if (g_file_set_contents_full (target, data, length, G_FILE_SET_CONTENTS_CONSISTENT,
                                mode, &file_error))
    return TRUE;

  /* Report G_IO_ERROR, as g_file_replace_contents() does for other files. */
  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_file_error (file_error->code),
                       file_error->message);
  return FALSE;
}

gboolean
ls_document_save_file (LsNetwork  *network,
                       GFile      *file,
                       GError    **error)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  gsize length;
  gboolean saved;

  g_return_val_if_fail (LS_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  name = g_file_get_basename (file);
  if (!check_savable (network, error))
    {
      g_prefix_error (error, _("%s: cannot be saved: "), name);
      return FALSE;
    }

  data = ls_document_to_data (network, &length);
  path = g_file_get_path (file);
  if (path != NULL)
    saved = replace_local_file (path, data, length, error);
  else
    saved = g_file_replace_contents (file, data, length, NULL, FALSE,
                                     G_FILE_CREATE_NONE, NULL, NULL, error);

  if (!saved)
    g_prefix_error (error, "%s: ", name);

  return saved;
}

/* ---------------------------------------------------------------------
 * Loading
 * --------------------------------------------------------------------- */

/* Rejects a file that is not a regular file or is over
 * LS_DOCUMENT_MAX_FILE_SIZE before it is opened: opening a FIFO blocks
 * until a writer appears, and a device such as /dev/zero never ends. */
static gboolean
check_file_before_reading (GFile    *file,
                           guint64  *size,
                           GError  **error)
{
  g_autoptr(GFileInfo) info = NULL;
  GFileType type;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    return FALSE;

  type = g_file_info_get_file_type (info);
  if (type == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                           _("this is a folder, not a document; choose a .json file inside it"));
      return FALSE;
    }
  if (type != G_FILE_TYPE_REGULAR)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                           _("this is a device, FIFO or socket rather than a regular file, "
                             "so it is not read; save the document to a file and open that"));
      return FALSE;
    }
  *size = MAX (g_file_info_get_size (info), 0);
  if (*size > LS_DOCUMENT_MAX_FILE_SIZE)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT,
                   _("the file is %llu bytes long, over the maximum of %llu bytes for a document"),
                   (unsigned long long) *size, (unsigned long long) LS_DOCUMENT_MAX_FILE_SIZE);
      return FALSE;
    }

  return TRUE;
}

/* Reads the whole stream, but no more than LS_DOCUMENT_MAX_FILE_SIZE
 * bytes, in case the file grew after check_file_before_reading() or
 * reports no size, as files in /proc do. size_hint is the size that the
 * file reported. The result is NUL-terminated. */
static char *
read_stream (GInputStream  *stream,
             guint64        size_hint,
             gsize         *length,
             GError       **error)
{
  g_autofree char *data = NULL;
  gsize filled = 0;
  gsize chunk_size = MIN (size_hint, LS_DOCUMENT_MAX_FILE_SIZE) + 1;
  gsize n_read;

  for (;;)
    {
      data = g_realloc (data, filled + chunk_size + 1);
      if (!g_input_stream_read_all (stream, data + filled, chunk_size, &n_read, NULL, error))
        return NULL;
      filled += n_read;

      if (filled > LS_DOCUMENT_MAX_FILE_SIZE)
        {
          g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT,
                       _("the file is over the maximum of %llu bytes for a document"),
                       (unsigned long long) LS_DOCUMENT_MAX_FILE_SIZE);
          return NULL;
        }

      /* g_input_stream_read_all() reads less than asked only at the end. */
      if (n_read < chunk_size)
        break;
      chunk_size = MIN (filled, LS_DOCUMENT_MAX_FILE_SIZE + 1 - filled);
    }

  data[filled] = '\0';
  *length = filled;

  return g_steal_pointer (&data);
}

static char *
read_document_file (GFile   *file,
                    gsize   *length,
                    GError **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  guint64 size;

  if (!check_file_before_reading (file, &size, error))
    return NULL;

  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    return NULL;

  return read_stream (G_INPUT_STREAM (stream), size, length, error);
}

LsNetwork *
ls_document_load_file (GFile   *file,
                       GError **error)
{
  g_autofree char *name = NULL;
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = g_file_get_basename (file);
  data = read_document_file (file, &length, error);
  if (data == NULL)
    {
      g_prefix_error (error, "%s: ", name);
      return NULL;
    }

  return ls_document_load_data (data, length, name, error);
}

