/* ls-paths.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ls-paths.h"

GFile *
ls_paths_find_example (const char  *name,
                       GError     **error)
{
  const char *data_dirs[] = { g_getenv ("LAYERSCOPE_DATADIR"), PKGDATADIR, SOURCE_DATADIR };

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (data_dirs); i++)
    {
      g_autofree char *path = NULL;

      if (data_dirs[i] == NULL)
        continue;

      path = g_build_filename (data_dirs[i], "examples", name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_file_new_for_path (path);
    }

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
  const char *data_dirs[] = { g_getenv ("LAYERSCOPE_DATADIR"), PKGDATADIR, SOURCE_DATADIR };

  g_return_val_if_fail (relative != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (data_dirs); i++)
    {
      g_autofree char *path = NULL;

      if (data_dirs[i] == NULL)
        continue;

      path = g_build_filename (data_dirs[i], relative, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_file_new_for_path (path);
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _("The data file “%s” was not found in %s or %s. "
                 "Reinstall Layerscope, or set LAYERSCOPE_DATADIR to its data folder."),
               relative, PKGDATADIR, SOURCE_DATADIR);
  return NULL;
}
