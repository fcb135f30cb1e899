/* ls-paths.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ls-paths.h"

/* Returns the first regular file at relative in the data folders, in the
 * order that ls-paths.h documents, or NULL when no folder contains it. */
static GFile *
find_in_data_dirs (const char *relative)
{
  const char *data_dirs[] = { g_getenv ("LAYERSCOPE_DATADIR"), PKGDATADIR, SOURCE_DATADIR };

  for (guint i = 0; i < G_N_ELEMENTS (data_dirs); i++)
    {
      g_autofree char *path = NULL;

      if (data_dirs[i] == NULL)
        continue;

      path = g_build_filename (data_dirs[i], relative, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_file_new_for_path (path);
    }

  return NULL;
}

GFile *
ls_paths_find_example (const char  *name,
                       GError     **error)
{
  g_autofree char *relative = NULL;
  GFile *file;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  relative = g_build_filename ("examples", name, NULL);
  file = find_in_data_dirs (relative);
  if (file != NULL)
    return file;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _("The example “%s” was not found in %s/examples or %s/examples. "
                 "Reinstall Layerscope, or set LAYERSCOPE_DATADIR to its data folder."),
               name, PKGDATADIR, SOURCE_DATADIR);
  return NULL;
}

GFile *
ls_paths_find_data (const char  *relative,
                    GError     **error)
{
  GFile *file;

  g_return_val_if_fail (relative != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = find_in_data_dirs (relative);
  if (file != NULL)
    return file;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _("The data file “%s” was not found in %s or %s. "
                 "Reinstall Layerscope, or set LAYERSCOPE_DATADIR to its data folder."),
               relative, PKGDATADIR, SOURCE_DATADIR);
  return NULL;
}
