/* ls-decision-map-view.h: the output of a 2-input network over its input plane
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ls-network.h"
#include "ls-plane-map.h"
#include "ls-samples.h"

G_BEGIN_DECLS

#define LS_TYPE_DECISION_MAP_VIEW (ls_decision_map_view_get_type ())

G_DECLARE_FINAL_TYPE (LsDecisionMapView, ls_decision_map_view, LS, DECISION_MAP_VIEW, GtkWidget)

GtkWidget  *ls_decision_map_view_new            (void);
/* The network whose output the map shows. A click on the plotted square
 * sets the network's input to the point under the pointer. */
LsNetwork  *ls_decision_map_view_get_network    (LsDecisionMapView *self);
void        ls_decision_map_view_set_network    (LsDecisionMapView *self,
                                                 LsNetwork         *network);
/* The values over the input plane that the view draws, or NULL for none.
 * The view does not copy or own the map: the caller keeps it alive while
 * it is set and calls this again after each ls_plane_map_compute() to
 * redraw. */
void        ls_decision_map_view_set_plane_map  (LsDecisionMapView *self,
                                                 LsPlaneMap        *map);
/* The training and test samples drawn on top of the map; either may be
 * NULL. The view keeps a reference to each. */
void        ls_decision_map_view_set_samples    (LsDecisionMapView *self,
                                                 LsSamples         *train,
                                                 LsSamples         *test);
/* Whether the view draws only the map and the points, without axes and
 * legend, for small multiples of about 200 × 200 pixels. */
gboolean    ls_decision_map_view_get_compact    (LsDecisionMapView *self);
void        ls_decision_map_view_set_compact    (LsDecisionMapView *self,
                                                 gboolean           compact);
/* Text size multiplier, 1.0 by default and larger for a projector. */
void        ls_decision_map_view_set_font_scale (LsDecisionMapView *self,
                                                 double             font_scale);

G_END_DECLS
