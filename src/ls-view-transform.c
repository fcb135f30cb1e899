/* ls-view-transform.c: zoom and pan of a drawing that fits its widget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <math.h>

#include "ls-view-transform.h"

/* Keeps the drawing over the whole area: the offset lies between the
 * position that shows the drawing's right or bottom edge and 0. */
static void
clamp_offset (LsViewTransform *transform,
              double           width,
              double           height)
{
  transform->x = CLAMP (transform->x, width - width * transform->zoom, 0.0);
  transform->y = CLAMP (transform->y, height - height * transform->zoom, 0.0);
}

void
ls_view_transform_to_drawing (const LsViewTransform *transform,
                              double                 widget_x,
                              double                 widget_y,
                              double                *drawing_x,
                              double                *drawing_y)
{
  g_return_if_fail (transform != NULL && transform->zoom > 0.0);

  *drawing_x = (widget_x - transform->x) / transform->zoom;
  *drawing_y = (widget_y - transform->y) / transform->zoom;
}

void
ls_view_transform_to_widget (const LsViewTransform *transform,
                             double                 drawing_x,
                             double                 drawing_y,
                             double                *widget_x,
                             double                *widget_y)
{
  g_return_if_fail (transform != NULL);

  *widget_x = drawing_x * transform->zoom + transform->x;
  *widget_y = drawing_y * transform->zoom + transform->y;
}

/* Sets the zoom, clamped to its range, so that the drawing point under
 * (widget_x, widget_y) stays there unless that would uncover a border.
 * Returns whether the transform changed. */
gboolean
ls_view_transform_zoom_about (LsViewTransform *transform,
                              double           zoom,
                              double           widget_x,
                              double           widget_y,
                              double           width,
                              double           height)
{
  LsViewTransform old;
  double drawing_x, drawing_y;

  g_return_val_if_fail (transform != NULL, FALSE);
  g_return_val_if_fail (isfinite (zoom), FALSE);

  old = *transform;
  ls_view_transform_to_drawing (transform, widget_x, widget_y, &drawing_x, &drawing_y);
  transform->zoom = CLAMP (zoom, LS_VIEW_TRANSFORM_MIN_ZOOM, LS_VIEW_TRANSFORM_MAX_ZOOM);
  transform->x = widget_x - drawing_x * transform->zoom;
  transform->y = widget_y - drawing_y * transform->zoom;
  clamp_offset (transform, width, height);

  return old.zoom != transform->zoom || old.x != transform->x || old.y != transform->y;
}

/* Moves the drawing by (dx, dy) widget pixels, as far as the borders
 * allow. Returns whether it moved. */
gboolean
ls_view_transform_pan (LsViewTransform *transform,
                       double           dx,
                       double           dy,
                       double           width,
                       double           height)
{
  double old_x, old_y;

  g_return_val_if_fail (transform != NULL, FALSE);

  old_x = transform->x;
  old_y = transform->y;
  transform->x += dx;
  transform->y += dy;
  clamp_offset (transform, width, height);

  return old_x != transform->x || old_y != transform->y;
}

/* Returns the shift that brings position p into [margin, size − margin],
 * or 0 when it lies there already. */
static double
get_reveal_shift (double p,
                  double margin,
                  double size)
{
  margin = MIN (margin, size / 2.0);
  if (p < margin)
    return margin - p;
  if (p > size - margin)
    return size - margin - p;

  return 0.0;
}

/* Pans as little as needed for the drawing point to lie at least margin
 * pixels inside the area. Returns whether it panned. */
gboolean
ls_view_transform_reveal (LsViewTransform *transform,
                          double           drawing_x,
                          double           drawing_y,
                          double           margin,
                          double           width,
                          double           height)
{
  double x, y;

  g_return_val_if_fail (transform != NULL, FALSE);

  ls_view_transform_to_widget (transform, drawing_x, drawing_y, &x, &y);

  return ls_view_transform_pan (transform,
                                get_reveal_shift (x, margin, width),
                                get_reveal_shift (y, margin, height),
                                width, height);
}
