/* ls-plane-map.h: every neuron's value over the input plane of a 2-input network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ls-network.h"

G_BEGIN_DECLS

/* A grid of width × height points over the plane of input 0 (x, growing
 * to the right) and input 1 (y, growing upwards), and for each layer
 * and unit the unit's output at each point. Row 0 of a map is the top
 * row, at y = y_max, so that it can be drawn as an image. */
typedef struct _LsPlaneMap LsPlaneMap;

LsPlaneMap  *ls_plane_map_new          (gsize        width,
                                        gsize        height);
void         ls_plane_map_free         (LsPlaneMap  *self);

void         ls_plane_map_set_bounds   (LsPlaneMap  *self,
                                        float        x_min,
                                        float        x_max,
                                        float        y_min,
                                        float        y_max);
void         ls_plane_map_get_bounds   (LsPlaneMap  *self,
                                        float       *x_min,
                                        float       *x_max,
                                        float       *y_min,
                                        float       *y_max);
gboolean     ls_plane_map_compute      (LsPlaneMap  *self,
                                        LsNetwork   *network,
                                        GError     **error);

gsize        ls_plane_map_get_width    (LsPlaneMap  *self);
gsize        ls_plane_map_get_height   (LsPlaneMap  *self);
gsize        ls_plane_map_get_n_layers (LsPlaneMap  *self);
gsize        ls_plane_map_get_n_units  (LsPlaneMap  *self,
                                        gsize        layer);
const float *ls_plane_map_get_values   (LsPlaneMap  *self,
                                        gsize        layer,
                                        gsize        unit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsPlaneMap, ls_plane_map_free)

G_END_DECLS
