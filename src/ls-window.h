/* ls-window.h: the main window, one network document per window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ls-network.h"

G_BEGIN_DECLS

#define LS_TYPE_WINDOW (ls_window_get_type ())

G_DECLARE_FINAL_TYPE (LsWindow, ls_window, LS, WINDOW, AdwApplicationWindow)

LsWindow  *ls_window_new          (GtkApplication *application);
LsNetwork *ls_window_get_network  (LsWindow       *self);
/* Shows network. file is where Save writes it, or NULL for a document
 * that has not been saved yet, such as an example. */
void       ls_window_set_network  (LsWindow       *self,
                                   LsNetwork      *network,
                                   GFile          *file);
/* Loads file into this window. On failure the window keeps its current
 * document and shows the error, which is also returned. */
gboolean   ls_window_open_file    (LsWindow       *self,
                                   GFile          *file,
                                   GError        **error);
void       ls_window_open_example (LsWindow       *self);
gboolean   ls_window_get_modified (LsWindow       *self);

G_END_DECLS
