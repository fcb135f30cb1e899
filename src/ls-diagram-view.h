/* ls-diagram-view.h: the interactive network diagram
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ls-network.h"
#include "ls-render.h"
#include "ls-view-transform.h"

G_BEGIN_DECLS

#define LS_TYPE_DIAGRAM_VIEW (ls_diagram_view_get_type ())

G_DECLARE_FINAL_TYPE (LsDiagramView, ls_diagram_view, LS, DIAGRAM_VIEW, GtkWidget)

GtkWidget         *ls_diagram_view_new           (void);
/* The network to draw. The view redraws on its LsNetwork::changed. */
LsNetwork         *ls_diagram_view_get_network   (LsDiagramView     *self);
void               ls_diagram_view_set_network   (LsDiagramView     *self,
                                                  LsNetwork         *network);
/* The selected neuron or edge. Emits ::selection-changed on change. */
const LsSelection *ls_diagram_view_get_selection (LsDiagramView     *self);
void               ls_diagram_view_set_selection (LsDiagramView     *self,
                                                  const LsSelection *selection);
/* Pans a zoomed diagram so that the selected neuron is inside it, as the
 * keys that move the selection do. */
void               ls_diagram_view_reveal_selection (LsDiagramView  *self);
/* Text size multiplier, 1.0 by default and larger for a projector. */
void               ls_diagram_view_set_font_scale (LsDiagramView    *self,
                                                   double            font_scale);
/* Whether each layer's feature maps are coloured relative to that layer's
 * largest magnitude, as LsRenderStyle's scale_feature_maps. FALSE by default. */
gboolean           ls_diagram_view_get_scale_feature_maps (LsDiagramView *self);
void               ls_diagram_view_set_scale_feature_maps (LsDiagramView *self,
                                                           gboolean       scale_feature_maps);
/* Each unit's value over the input plane, drawn inside its neuron when
 * the map matches the network, or NULL for none. The view does not copy
 * or own the map: the caller keeps it alive while it is set and calls
 * this again after each ls_plane_map_compute() to redraw. */
void               ls_diagram_view_set_plane_map (LsDiagramView    *self,
                                                  LsPlaneMap       *map);
/* Presentation styles, as the fields of LsRenderStyle with the same
 * names: thick lines and large labels, the high-contrast palette, the
 * forward-pass step (−1 for none) and the highlighted parts, which the
 * view copies. */
void               ls_diagram_view_set_presenter     (LsDiagramView     *self,
                                                      gboolean           presenter);
void               ls_diagram_view_set_high_contrast (LsDiagramView     *self,
                                                      gboolean           high_contrast);
void               ls_diagram_view_set_step_column   (LsDiagramView     *self,
                                                      gssize             column);
void               ls_diagram_view_set_highlights    (LsDiagramView     *self,
                                                      const LsHighlight *highlights,
                                                      gsize              n_highlights);
/* Zoom factor of the diagram: 1.0 fits the widget, up to
 * LS_DIAGRAM_VIEW_MAX_ZOOM. Emits notify::zoom on change. The keys zoom
 * about the widget's centre in steps of LS_DIAGRAM_VIEW_ZOOM_STEP. */
#define LS_DIAGRAM_VIEW_MAX_ZOOM LS_VIEW_TRANSFORM_MAX_ZOOM
#define LS_DIAGRAM_VIEW_ZOOM_STEP 1.25
double             ls_diagram_view_get_zoom          (LsDiagramView     *self);
void               ls_diagram_view_zoom_in           (LsDiagramView     *self);
void               ls_diagram_view_zoom_out          (LsDiagramView     *self);
void               ls_diagram_view_zoom_reset        (LsDiagramView     *self);
/* Finds where a unit's centre is drawn, in widget coordinates under the
 * current zoom and pan. FALSE when the unit is not shown. */
gboolean           ls_diagram_view_get_unit_position (LsDiagramView     *self,
                                                      gsize              column,
                                                      gsize              unit,
                                                      double            *x,
                                                      double            *y);
/* Darkens the diagram except a soft circle around the pointer. Emits
 * notify::spotlight on change. */
gboolean           ls_diagram_view_get_spotlight     (LsDiagramView     *self);
void               ls_diagram_view_set_spotlight     (LsDiagramView     *self,
                                                      gboolean           spotlight);
/* With TRUE, Tab and Shift+Tab select the next or previous shown value
 * through all columns, wrapping at the ends, instead of moving the
 * keyboard focus out of the view. FALSE by default. */
void               ls_diagram_view_set_tab_moves_selection (LsDiagramView *self,
                                                            gboolean       tab_moves_selection);

G_END_DECLS
