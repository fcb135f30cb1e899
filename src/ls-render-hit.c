/* ls-render-hit.c: which neuron, pixel, edge or button of the diagram
 * lies under a point
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-render"

#include "config.h"

#include <math.h>

#include "ls-diagram-layout-private.h"

/* Finds the neuron slot nearest to y in a neuron column, skipping the
 * ellipsis. */
static gsize
find_nearest_slot (const LsDiagramColumn *column,
                   double                 y)
{
  gsize n_slots = ls_diagram_column_get_n_slots (column);
  double nearest = 0.0;
  gsize slot;

  if (column->pitch > 0.0)
    nearest = round ((y - column->y0) / column->pitch);
  slot = (gsize) CLAMP (nearest, 0.0, (double) (n_slots - 1));

  /* the ellipsis slot always has shown slots on both sides */
  if (ls_diagram_column_get_slot_unit (column, slot) == LS_DIAGRAM_NO_UNIT)
    slot += y > ls_diagram_column_get_slot_y (column, slot) ? 1 : -1;

  return slot;
}

/* Finds the shown unit of a column nearest to (x, y), for moving the
 * selection between columns. */
gboolean
ls_diagram_layout_find_nearest_unit (const LsDiagramLayout *layout,
                                     gsize                  column,
                                     double                 x,
                                     double                 y,
                                     gsize                 *unit)
{
  const LsDiagramColumn *col;

  g_return_val_if_fail (layout != NULL, FALSE);
  g_return_val_if_fail (unit != NULL, FALSE);

  if (column >= layout->n_columns)
    return FALSE;

  col = &layout->columns[column];
  if (col->units == 0)
    return FALSE;

  if (col->kind != LS_DIAGRAM_NEURONS)
    return ls_diagram_grid_find_nearest (col, x, y, unit);

  *unit = ls_diagram_column_get_slot_unit (col, find_nearest_slot (col, y));

  return TRUE;
}

/* Finds the neuron of a neuron column whose circle contains (x, y). */
static gboolean
hit_neuron (const LsDiagramLayout *layout,
            const LsDiagramColumn *column,
            double                 x,
            double                 y,
            gsize                 *unit)
{
  double r = layout->radius;
  gsize n_slots = ls_diagram_column_get_n_slots (column);
  double nearest = 0.0;
  double dx = x - column->x;
  double dy;
  gsize slot;

  if (fabs (dx) > r)
    return FALSE;

  if (column->pitch > 0.0)
    nearest = round ((y - column->y0) / column->pitch);
  slot = (gsize) CLAMP (nearest, 0.0, (double) (n_slots - 1));
  *unit = ls_diagram_column_get_slot_unit (column, slot);
  dy = y - ls_diagram_column_get_slot_y (column, slot);

  return *unit != LS_DIAGRAM_NO_UNIT && dx * dx + dy * dy <= r * r;
}

static gboolean
hit_unit (const LsDiagramLayout *layout,
          double                 x,
          double                 y,
          LsSelection           *hit)
{
  for (gsize c = 0; c < layout->n_columns; c++)
    {
      const LsDiagramColumn *column = &layout->columns[c];
      gsize unit;

      if (column->kind == LS_DIAGRAM_NEURONS ? hit_neuron (layout, column, x, y, &unit)
                                             : ls_diagram_grid_hit (column, x, y, &unit))
        {
          *hit = (LsSelection) { .kind = LS_SELECTION_NEURON, .column = c, .unit = unit };
          return TRUE;
        }
    }

  return FALSE;
}

static double
get_distance_to_segment (double px,
                         double py,
                         double ax,
                         double ay,
                         double bx,
                         double by)
{
  double dx = bx - ax;
  double dy = by - ay;
  double length_squared = dx * dx + dy * dy;
  double t = 0.0;

  if (length_squared > 0.0)
    t = CLAMP (((px - ax) * dx + (py - ay) * dy) / length_squared, 0.0, 1.0);

  return hypot (px - (ax + t * dx), py - (ay + t * dy));
}

/* Finds the drawn edge nearest to (x, y) among those into column c, and
 * returns its distance, or INFINITY when the column has none. */
static double
find_nearest_edge (const LsDiagramLayout *layout,
                   LsNetwork             *network,
                   gsize                  c,
                   double                 x,
                   double                 y,
                   LsSelection           *nearest)
{
  const GArray *edges = ls_diagram_layout_get_edges (layout, network, c);
  double best = INFINITY;

  for (guint i = 0; edges != NULL && i < edges->len; i++)
    {
      const LsDiagramEdge *edge = &g_array_index (edges, LsDiagramEdge, i);
      double x0, y0, x1, y1, trim;
      double distance;

      if (!ls_diagram_layout_get_edge_end (layout, c - 1, edge->input, &x0, &y0, &trim) ||
          !ls_diagram_layout_get_edge_end (layout, c, edge->unit, &x1, &y1, &trim))
        continue;

      distance = get_distance_to_segment (x, y, x0, y0, x1, y1);
      if (distance < best)
        {
          best = distance;
          *nearest = (LsSelection) {
            .kind = LS_SELECTION_EDGE, .column = c, .unit = edge->unit, .input = edge->input,
          };
        }
    }

  return best;
}

/* Units win over edges, so a click on a neuron or a pixel never selects
 * one of the edges that meet under it. */
gboolean
ls_diagram_layout_hit (const LsDiagramLayout *layout,
                       LsNetwork             *network,
                       double                 x,
                       double                 y,
                       LsSelection           *hit)
{
  LsSelection nearest = { LS_SELECTION_NONE };

  g_return_val_if_fail (layout != NULL, FALSE);
  g_return_val_if_fail (LS_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (ls_diagram_layout_matches (layout, network), FALSE);
  g_return_val_if_fail (hit != NULL, FALSE);

  *hit = (LsSelection) { .kind = LS_SELECTION_NONE };
  if (hit_unit (layout, x, y, hit))
    return TRUE;

  for (gsize c = 1; c < layout->n_columns; c++)
    {
      if (x < layout->columns[c - 1].x || x > layout->columns[c].x)
        continue;

      if (find_nearest_edge (layout, network, c, x, y, &nearest) <= layout->edge_hit_px)
        {
          *hit = nearest;
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
rectangle_contains (const cairo_rectangle_t *rect,
                    double                   x,
                    double                   y)
{
  return x >= rect->x && y >= rect->y && x < rect->x + rect->width && y < rect->y + rect->height;
}

/* Finds the column whose expander button is under (x, y). The ellipsis
 * of a compact column works as its expander too. */
gboolean
ls_diagram_layout_hit_expander (const LsDiagramLayout *layout,
                                double                 x,
                                double                 y,
                                gsize                 *column)
{
  g_return_val_if_fail (layout != NULL, FALSE);
  g_return_val_if_fail (column != NULL, FALSE);

  for (gsize c = 0; c < layout->n_columns; c++)
    {
      const LsDiagramColumn *col = &layout->columns[c];
      gsize ellipsis = col->n_head;

      if (!col->expandable)
        continue;

      if (rectangle_contains (&col->expander, x, y) ||
          (ls_diagram_column_is_compact (col) &&
           fabs (x - col->x) <= layout->radius &&
           fabs (y - ls_diagram_column_get_slot_y (col, ellipsis)) <= 0.5 * col->pitch))
        {
          *column = c;
          return TRUE;
        }
    }

  return FALSE;
}
