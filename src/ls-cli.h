/* ls-cli.h: the command-line modes that need no display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Handles argv when it has any option before "--" other than a lone "-"
 * or GApplication's --gapplication-service: runs --forward, --render or
 * --train, prints --help or --version, or reports an unknown or invalid
 * option. Returns TRUE with the exit status in *status (0 on success, 1
 * when the document cannot be loaded, drawn, trained or saved, 2 for
 * invalid options), and from then on sends all log output to stderr.
 * Returns FALSE, without printing anything, when argv is for the window,
 * such as "layerscope FILE". */
gboolean ls_cli_run (int    argc,
                     char **argv,
                     int   *status);

G_END_DECLS
