/* ls-panel.h: the input and layer panels of the window's sidebar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ls-network.h"

G_BEGIN_DECLS

#define LS_TYPE_INPUT_PANEL (ls_input_panel_get_type ())
G_DECLARE_FINAL_TYPE (LsInputPanel, ls_input_panel, LS, INPUT_PANEL, GtkWidget)

#define LS_TYPE_LAYER_PANEL (ls_layer_panel_get_type ())
G_DECLARE_FINAL_TYPE (LsLayerPanel, ls_layer_panel, LS, LAYER_PANEL, GtkWidget)

void ls_input_panel_set_network (LsInputPanel *self,
                                 LsNetwork    *network);
void ls_layer_panel_set_network (LsLayerPanel *self,
                                 LsNetwork    *network);

/* Shows message in the toast overlay that contains widget. */
void ls_panel_show_error        (GtkWidget    *widget,
                                 const char   *message);
void ls_panel_watch_network     (gpointer      panel,
                                 LsNetwork   **network_slot,
                                 LsNetwork    *network,
                                 GCallback     changed_cb);

G_END_DECLS
