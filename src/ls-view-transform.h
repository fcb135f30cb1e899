/* ls-view-transform.h: zoom and pan of a drawing that fits its widget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A drawing laid out for a width × height area, shown magnified by zoom
 * and shifted by (x, y): a drawing point (u, v) appears at widget point
 * (u · zoom + x, v · zoom + y). At zoom 1.0 the drawing fits the area and
 * the offset is 0. The offset is always clamped so that the drawing covers
 * the whole area, which leaves no empty border at any zoom. */
typedef struct
{
  double zoom;  /* LS_VIEW_TRANSFORM_MIN_ZOOM … LS_VIEW_TRANSFORM_MAX_ZOOM */
  double x;     /* widget pixels, in [width − width · zoom, 0] */
  double y;     /* widget pixels, in [height − height · zoom, 0] */
} LsViewTransform;

#define LS_VIEW_TRANSFORM_MIN_ZOOM 1.0
#define LS_VIEW_TRANSFORM_MAX_ZOOM 8.0
#define LS_VIEW_TRANSFORM_INIT { 1.0, 0.0, 0.0 }

void     ls_view_transform_to_drawing (const LsViewTransform *transform,
                                       double                 widget_x,
                                       double                 widget_y,
                                       double                *drawing_x,
                                       double                *drawing_y);
void     ls_view_transform_to_widget  (const LsViewTransform *transform,
                                       double                 drawing_x,
                                       double                 drawing_y,
                                       double                *widget_x,
                                       double                *widget_y);
gboolean ls_view_transform_zoom_about (LsViewTransform       *transform,
                                       double                 zoom,
                                       double                 widget_x,
                                       double                 widget_y,
                                       double                 width,
                                       double                 height);
gboolean ls_view_transform_pan        (LsViewTransform       *transform,
                                       double                 dx,
                                       double                 dy,
                                       double                 width,
                                       double                 height);
gboolean ls_view_transform_reveal     (LsViewTransform       *transform,
                                       double                 drawing_x,
                                       double                 drawing_y,
                                       double                 margin,
                                       double                 width,
                                       double                 height);

G_END_DECLS
