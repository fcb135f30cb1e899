/* ls-panel.h: the input and layer panels of the window's sidebar, and the
 * layout of the side panes around the diagram
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ls-network.h"
#include "ls-plane-map.h"

G_BEGIN_DECLS

#define LS_TYPE_INPUT_PANEL (ls_input_panel_get_type ())
G_DECLARE_FINAL_TYPE (LsInputPanel, ls_input_panel, LS, INPUT_PANEL, GtkWidget)

#define LS_TYPE_LAYER_PANEL (ls_layer_panel_get_type ())
G_DECLARE_FINAL_TYPE (LsLayerPanel, ls_layer_panel, LS, LAYER_PANEL, GtkWidget)

/* The window's side panes and the diagram between them, laid out by
 * window width rather than by content. In a UI file the panes are the
 * children of type "start" and "end", and the diagram the untyped one. */
#define LS_TYPE_PANES (ls_panes_get_type ())
G_DECLARE_FINAL_TYPE (LsPanes, ls_panes, LS, PANES, GtkWidget)

/* Each side pane gets this share of the width, within the minimum and
 * maximum below, so that its width does not change with its content and
 * the diagram keeps most of the window. Larger panel text widens all
 * three by the cube root of the text scale, so that large text still
 * leaves room for the diagram between both panes. */
#define LS_PANE_SHARE 0.22
#define LS_PANE_MIN_WIDTH 280
#define LS_PANE_MAX_WIDTH 520
/* The end pane fits when the centre keeps this share of the width next
 * to both panes at their minimum widths. Shown anyway, the panes shrink
 * to their minimum widths before the centre gets less than this share. */
#define LS_PANES_MIN_CENTER_SHARE 0.48

void ls_input_panel_set_network (LsInputPanel *self,
                                 LsNetwork    *network);
void ls_layer_panel_set_network (LsLayerPanel *self,
                                 LsNetwork    *network);
/* Makes the sliders of the two inputs span the plane that map covers, the
 * decision map's bounds, or, with NULL, from −b to +b for a round b at or
 * above each input's value. The panel does not keep map. */
void ls_input_panel_set_plane_bounds (LsInputPanel *self,
                                      LsPlaneMap   *map);
/* Gives the text field of a text input the keyboard focus. Returns FALSE
 * when the network has no text input or the field is not shown. */
gboolean ls_input_panel_focus_text (LsInputPanel *self);
/* Returns whether the network rejected the text in the text field, so
 * that the diagram and the prediction still show the network's last
 * valid text. LsInputPanel:text-rejected follows changes. */
gboolean ls_input_panel_get_text_rejected (LsInputPanel *self);
/* Returns the engine's message for the rejected text, or NULL when the
 * text field shows the network's text. */
const char *ls_input_panel_get_text_error (LsInputPanel *self);

/* Shows message in the toast overlay that contains widget. */
void ls_panel_show_error        (GtkWidget    *widget,
                                 const char   *message);
void ls_panel_watch_network     (gpointer      panel,
                                 LsNetwork   **network_slot,
                                 LsNetwork    *network,
                                 GCallback     changed_cb);

/* Returns the popover that a GtkMenuButton or GtkDropDown opens, or
 * NULL when widget has none. */
GtkWidget *ls_panel_find_popover (GtkWidget *widget);
/* Turns off the tooltip of widget, a GtkMenuButton or GtkDropDown, while
 * its popover is open, so that the tooltip does not cover the popover. */
void ls_panel_hide_tooltip_while_open (GtkWidget *widget);
void ls_panel_scroll_past (GtkWidget *spin);

/* Returns whether the end pane fits at the last allocated width: whether
 * the centre would keep LS_PANES_MIN_CENTER_SHARE of it next to both
 * panes. LsPanes::notify::end-fits follows changes, from an idle
 * callback after the allocation. */
gboolean ls_panes_get_end_fits  (LsPanes      *self);
/* Multiplies LS_PANE_SHARE, LS_PANE_MIN_WIDTH and LS_PANE_MAX_WIDTH by
 * scale, the scale of the panels' text, so that larger text gets wider
 * panes rather than being cut off. The scale is 1.0 at first. */
void     ls_panes_set_scale     (LsPanes      *self,
                                 double        scale);

G_END_DECLS
