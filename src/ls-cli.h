/* ls-cli.h: the command-line modes that need no display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs --forward or --render when argv asks for one and returns TRUE with
 * the exit status in *status; returns FALSE when argv asks for the window,
 * without printing anything. */
gboolean ls_cli_run (int    argc,
                     char **argv,
                     int   *status);

G_END_DECLS
