/* ls-paths.h: where the installed or in-tree data files are
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LS_DEFAULT_EXAMPLE "cat-or-dog.json"

/* Finds examples/<name> in, in order: the folder named by the
 * LAYERSCOPE_DATADIR environment variable, the installed data folder,
 * and the source tree's data/ folder (so an uninstalled build runs). */
GFile *ls_paths_find_example (const char  *name,
                              GError     **error);

/* Finds a file by its path relative to the data folder, such as
 * "datasets/digits-test-labels-idx1-ubyte.gz", in the same folders and
 * order as ls_paths_find_example(). */
GFile *ls_paths_find_data    (const char  *relative,
                              GError     **error);

G_END_DECLS
