/* ls-window.h: the main window, one network document per window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ls-network.h"

G_BEGIN_DECLS

#define LS_TYPE_MAIN_WINDOW (ls_main_window_get_type ())

G_DECLARE_FINAL_TYPE (LsMainWindow, ls_main_window, LS, MAIN_WINDOW, AdwApplicationWindow)

LsMainWindow *ls_main_window_new          (GtkApplication  *application);
LsNetwork    *ls_main_window_get_network  (LsMainWindow    *self);
/* Shows network. file is where Save writes it, or NULL for a document
 * that has not been saved yet, such as an example. */
void          ls_main_window_set_network  (LsMainWindow    *self,
                                           LsNetwork       *network,
                                           GFile           *file);
/* Loads file into this window. On failure the window keeps its current
 * document and shows the error, which is also returned. */
gboolean      ls_main_window_open_file    (LsMainWindow    *self,
                                           GFile           *file,
                                           GError         **error);
/* Shows the network in file as network B beside this window's network.
 * On failure the comparison shown before stays, and the window shows the
 * error, which is also returned, until a comparison succeeds. */
gboolean      ls_main_window_compare_file (LsMainWindow    *self,
                                           GFile           *file,
                                           GError         **error);
void          ls_main_window_open_example (LsMainWindow    *self);
/* Shows network, recovered from an autosave, as an unsaved document
 * whose Save writes to file (nullable), and writes this window's own
 * copy of it at once. Returns FALSE when that copy failed, in which
 * case the caller must keep the autosave that it recovered. */
gboolean      ls_main_window_recover      (LsMainWindow    *self,
                                           LsNetwork       *network,
                                           GFile           *file);
gboolean      ls_main_window_get_modified (LsMainWindow    *self);
/* The file that Save writes to, or NULL for a document never saved. */
GFile        *ls_main_window_get_file     (LsMainWindow    *self);

G_END_DECLS
