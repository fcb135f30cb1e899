/* ls-diagram-view.h: the interactive network diagram
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ls-network.h"
#include "ls-render.h"

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

G_END_DECLS
