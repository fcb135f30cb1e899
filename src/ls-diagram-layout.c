/* ls-diagram-layout.c: where every neuron of the diagram goes, and hit-testing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-render"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ls-diagram-layout-private.h"
#include "ls-explain.h"
#include "ls-render-private.h"

/* Columns with more units than this always show only their first and last
 * few neurons, so that a 784-unit input does not become a grey stripe. */
#define COMPACT_UNITS 40
/* Slots of a compact column: 4 neurons, the ellipsis, 4 neurons. Few
 * enough that the neurons stay large enough for their numbers. */
#define COMPACT_SLOTS 9
/* Columns of at most this many units always show every neuron, such as
 * the ten outputs of a digit classifier: the layout shrinks the text
 * before it hides one of them. */
#define WHOLE_COLUMN_UNITS 10
/* Text that does not fit shrinks in steps of this factor, down to the
 * smaller of LS_RENDER_MIN_FONT_PX and the requested size. */
#define FONT_SHRINK_STEP 0.95
/* At most about this many edges are drawn, so a redraw stays cheap. */
#define EDGE_BUDGET 4000
/* Neuron centres are at least this many radii apart vertically. */
#define MIN_PITCH_RADII 2.5
/* and at most this many, so small columns do not spread too thin. */
#define MAX_PITCH_RADII 3.6
/* Numbers inside a neuron are at most this fraction of its radius high,
 * and at most this many times the body text size. */
#define VALUE_PX_PER_RADIUS 0.55
#define MAX_VALUE_EM 1.1
/* Numbers smaller than this are not drawn at all. */
#define MIN_VALUE_PX 8.0
/* A neuron fits its number when the number can be this fraction of the
 * body text size or more. */
#define MIN_VALUE_EM 0.8
/* Input and output labels take at most this fraction of the width. */
#define MAX_LABEL_WIDTH_FRACTION 0.22

gboolean
ls_diagram_column_is_compact (const LsDiagramColumn *column)
{
  return column->n_head + column->n_tail < column->units;
}

gsize
ls_diagram_column_get_n_slots (const LsDiagramColumn *column)
{
  return column->n_head + column->n_tail + (ls_diagram_column_is_compact (column) ? 1 : 0);
}

/* Returns the unit shown in a slot, or LS_DIAGRAM_NO_UNIT for the ellipsis. */
gsize
ls_diagram_column_get_slot_unit (const LsDiagramColumn *column,
                                 gsize                  slot)
{
  if (slot < column->n_head)
    return slot;

  if (!ls_diagram_column_is_compact (column))
    return slot;

  if (slot == column->n_head)
    return LS_DIAGRAM_NO_UNIT;

  return column->units - column->n_tail + (slot - column->n_head - 1);
}

double
ls_diagram_column_get_slot_y (const LsDiagramColumn *column,
                              gsize                  slot)
{
  return column->y0 + (double) slot * column->pitch;
}

/* Finds the slot that shows unit. Returns FALSE when the unit is out of
 * range or hidden in the ellipsis. */
gboolean
ls_diagram_column_find_slot (const LsDiagramColumn *column,
                             gsize                  unit,
                             gsize                 *slot)
{
  if (unit >= column->units)
    return FALSE;

  if (unit < column->n_head || !ls_diagram_column_is_compact (column))
    {
      *slot = unit;
      return TRUE;
    }

  if (unit < column->units - column->n_tail)
    return FALSE;

  *slot = column->n_head + 1 + (unit - (column->units - column->n_tail));

  return TRUE;
}

static gsize
get_column_units (LsNetwork *network,
                  gsize      column)
{
  if (column == 0)
    return ls_network_get_input_size (network);

  return ls_layer_get_outputs (ls_network_get_layer (network, column - 1));
}

gboolean
ls_diagram_layout_matches (const LsDiagramLayout *layout,
                           LsNetwork             *network)
{
  g_return_val_if_fail (layout != NULL, FALSE);
  g_return_val_if_fail (LS_IS_NETWORK (network), FALSE);

  if (layout->n_columns != ls_network_get_n_layers (network) + 1)
    return FALSE;

  for (gsize c = 0; c < layout->n_columns; c++)
    if (layout->columns[c].units != get_column_units (network, c))
      return FALSE;

  return TRUE;
}

/* Returns "Input" for column 0, else the layer's title from
 * ls_explain_layer_title(), as the layer list shows it. */
char *
ls_diagram_dup_column_title (LsNetwork *network,
                             gsize      column)
{
  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);

  if (column == 0)
    return g_strdup (_("Input"));

  return ls_explain_layer_title (network, column - 1);
}

/* Returns the second title line: "3 values" or "28 × 28 values" for the
 * input, "Dense 4 · ReLU" for a layer. */
char *
ls_diagram_dup_column_subtitle (LsNetwork *network,
                                gsize      column)
{
  const LsShape *shape;
  const LsLayer *layer;
  g_autoptr(GString) dims = g_string_new (NULL);

  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);

  if (column > 0)
    {
      layer = ls_network_get_layer (network, column - 1);
      /* TRANSLATORS: layer kind, unit count and activation, e.g. "Dense 4 · ReLU" */
      return g_strdup_printf (_("%s %zu · %s"),
                              ls_layer_kind_get_display_name (layer->kind),
                              ls_layer_get_outputs (layer),
                              ls_activation_get_display_name (layer->activation));
    }

  shape = ls_network_get_input_shape (network);
  for (guint i = 0; i < shape->rank; i++)
    g_string_append_printf (dims, i == 0 ? "%" G_GSIZE_FORMAT : " × %" G_GSIZE_FORMAT, shape->dims[i]);

  /* TRANSLATORS: the input size, e.g. "3 values" or "28 × 28 values" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s value", "%s values",
                                       ls_shape_get_size (shape)),
                          dims->str);
}

/* Chooses which units a column shows, given the most slots that fit. */
static void
choose_column_slots (LsDiagramColumn *column,
                     gsize            slot_limit)
{
  gsize slots;

  if (column->units <= WHOLE_COLUMN_UNITS ||
      (column->units <= COMPACT_UNITS && column->units <= slot_limit))
    {
      column->n_head = column->units;
      column->n_tail = 0;
      return;
    }

  /* Both limits are below units, so at least one unit goes to the ellipsis. */
  slots = MIN (slot_limit, COMPACT_SLOTS);
  column->n_head = slots / 2;
  column->n_tail = slots - 1 - column->n_head;
}

/* Returns the smallest radius that fits a number at MIN_VALUE_EM of the
 * body text size. */
static double
get_min_radius (double font_px)
{
  return MAX (MIN_VALUE_EM * font_px, MIN_VALUE_PX) / VALUE_PX_PER_RADIUS;
}

/* Returns the most slots per column: as many as fit at the smallest radius
 * that still fits a readable number, and few enough that the edges
 * between full columns stay within EDGE_BUDGET. */
static gsize
get_slot_limit (const LsDiagramLayout *layout,
                double                 available_height)
{
  double min_radius = get_min_radius (layout->font_px);
  gsize fit_limit = (gsize) floor (available_height / (MIN_PITCH_RADII * min_radius));
  gsize limit = fit_limit;

  if (layout->n_columns > 1)
    {
      double edges_per_gap = (double) EDGE_BUDGET / (double) (layout->n_columns - 1);

      limit = MIN (limit, (gsize) floor (sqrt (edges_per_gap)));
    }

  return MAX (limit, 3);
}

/* The texts whose widths shape the layout: the widest input label, output
 * label and column subtitle. find_widest_texts() finds them at the
 * requested text size, and each smaller size tried measures only these. */
typedef struct
{
  PangoLayout *pango;   /* for measuring */
  char *input_label;
  char *output_label;   /* NULL when the network has no layers */
  char *subtitle;
} WidestTexts;

static void
clear_widest_texts (WidestTexts *texts)
{
  g_clear_object (&texts->pango);
  g_clear_pointer (&texts->input_label, g_free);
  g_clear_pointer (&texts->output_label, g_free);
  g_clear_pointer (&texts->subtitle, g_free);
}

static double
measure_text (PangoLayout *pango,
              const char  *text,
              double       px)
{
  int width;

  ls_render_set_font (pango, px, FALSE);
  pango_layout_set_text (pango, text, -1);
  pango_layout_get_pixel_size (pango, &width, NULL);

  return width;
}

/* Moves text into *widest when it is wider than *width at px. */
static void
keep_wider (PangoLayout  *pango,
            char         *text,
            double        px,
            char        **widest,
            double       *width)
{
  double text_width = measure_text (pango, text, px);

  if (*widest == NULL || text_width > *width)
    {
      g_free (*widest);
      *widest = text;
      *width = text_width;
    }
  else
    {
      g_free (text);
    }
}

/* Returns the widest label that a column can show. The slots are not
 * chosen yet, so this measures every unit that any choice could show: all
 * of a column that may be shown whole, else the first and last
 * COMPACT_SLOTS. */
static char *
find_widest_label (const LsDiagramLayout *layout,
                   LsNetwork             *network,
                   PangoLayout           *pango,
                   gsize                  column,
                   double                 px)
{
  gsize units = layout->columns[column].units;
  char *widest = NULL;
  double width = 0.0;

  for (gsize unit = 0; unit < units; unit++)
    {
      if (units > COMPACT_UNITS && unit == COMPACT_SLOTS)
        unit = MAX (unit, units - COMPACT_SLOTS);

      keep_wider (pango, ls_explain_neuron_name (network, column, unit), px, &widest, &width);
    }

  return widest;
}

/* Finds the widest texts at the body text size px. Text widths grow in
 * proportion to the size, so they stay the widest at other sizes, except
 * where the rounding of glyph advances reorders texts of nearly the same
 * width. draw_unit_labels() gives labels the slack for that. */
static void
find_widest_texts (const LsDiagramLayout *layout,
                   LsNetwork             *network,
                   double                 px,
                   WidestTexts           *texts)
{
  double width = 0.0;

  texts->pango = ls_render_create_measure_layout ();
  texts->input_label = find_widest_label (layout, network, texts->pango, 0, px);
  texts->output_label = NULL;
  if (layout->n_columns > 1)
    texts->output_label = find_widest_label (layout, network, texts->pango, layout->n_columns - 1, px);

  texts->subtitle = NULL;
  for (gsize c = 0; c < layout->n_columns; c++)
    keep_wider (texts->pango, ls_diagram_dup_column_subtitle (network, c), LS_DIAGRAM_SUBTITLE_EM * px,
                &texts->subtitle, &width);
}

/* Returns the room for labels as wide as widest plus a gap to the
 * neurons. Labels that do not fit are ellipsized, which is only worth it
 * while a few characters show, so a narrower room becomes 0: no labels. */
static double
get_label_margin (const LsDiagramLayout *layout,
                  double                 widest)
{
  double max_width = layout->width * MAX_LABEL_WIDTH_FRACTION;
  double gap = 0.5 * layout->font_px;

  if (widest + gap <= max_width)
    return widest + gap;

  if (max_width - gap >= 2.0 * layout->font_px)
    return max_width;

  return 0.0;
}

/* Returns the horizontal room for the input labels on the left and the
 * output labels on the right, each with a gap to its neurons. */
static void
measure_label_margins (const LsDiagramLayout *layout,
                       const WidestTexts     *texts,
                       double                *left,
                       double                *right)
{
  *left = get_label_margin (layout, measure_text (texts->pango, texts->input_label, layout->font_px));
  *right = 0.0;
  if (texts->output_label != NULL)
    *right = get_label_margin (layout, measure_text (texts->pango, texts->output_label, layout->font_px));
}

/* Returns the height of the column titles: the name on one line and the
 * subtitle on one more, or two more when a subtitle is wider than an
 * estimate of the column spacing and has to wrap. */
static double
measure_header_height (const LsDiagramLayout *layout,
                       const WidestTexts     *texts)
{
  double span = layout->width - 1.2 * layout->font_px - layout->left_labels - layout->right_labels;
  double spacing = span / (double) MAX (layout->n_columns - 1, 1);
  double width = measure_text (texts->pango, texts->subtitle, LS_DIAGRAM_SUBTITLE_EM * layout->font_px);
  double subtitle_lines = width > LS_DIAGRAM_HEADER_WIDTH * spacing ? 2.0 : 1.0;

  return (1.3 + 1.1 * LS_DIAGRAM_SUBTITLE_EM * subtitle_lines) * layout->font_px;
}

/* Places the column titles at the top and the legend at the bottom, and
 * returns the band between them in *top and *bottom. */
static void
place_bands (LsDiagramLayout *layout,
             double          *top,
             double          *bottom)
{
  double margin = 0.6 * layout->font_px;
  double legend_height = 2.6 * layout->font_px;
  double gap = 0.6 * layout->font_px;

  layout->header_y = margin;
  layout->legend_y = layout->height - margin - legend_height;

  /* The top gap is larger, because hidden neurons have their names above
   * them, and a selected neuron's name moves up to clear its ring. */
  *top = layout->header_y + layout->header_height + 1.1 * layout->font_px +
         ls_diagram_layout_get_ring_extent (layout);
  *bottom = MAX (layout->legend_y - gap, *top + 4.0);
}

/* Sets the radius and the x of every column. A neuron is at most as wide
 * as the vertical room allows and a fraction of the column spacing. */
static void
place_columns_horizontally (LsDiagramLayout *layout,
                            double           max_radius)
{
  double margin = 0.6 * layout->font_px;
  double x_left;
  double span;
  gsize n_gaps = layout->n_columns - 1;

  x_left = margin + layout->left_labels;
  span = MAX (layout->width - margin - layout->right_labels - x_left, 4.0);

  /* radius r is at most 0.22 × spacing, where spacing = (span − 2r) / n_gaps */
  if (n_gaps > 0)
    max_radius = MIN (max_radius, 0.22 * span / ((double) n_gaps + 0.44));
  else
    max_radius = MIN (max_radius, span / 2.0);
  layout->radius = MAX (max_radius, 2.0);

  layout->column_spacing = span;
  if (n_gaps > 0)
    layout->column_spacing = (span - 2.0 * layout->radius) / (double) n_gaps;

  for (gsize c = 0; c < layout->n_columns; c++)
    {
      if (n_gaps == 0)
        layout->columns[c].x = x_left + span / 2.0;
      else
        layout->columns[c].x = x_left + layout->radius + (double) c * layout->column_spacing;
    }
}

/* Centres each column's slots in the band between top and bottom. */
static void
place_columns_vertically (LsDiagramLayout *layout,
                          double           top,
                          double           bottom)
{
  double middle = (top + bottom) / 2.0;
  double room = MAX (bottom - top - 2.0 * layout->radius, 0.0);

  for (gsize c = 0; c < layout->n_columns; c++)
    {
      LsDiagramColumn *column = &layout->columns[c];
      gsize n_slots = ls_diagram_column_get_n_slots (column);

      column->pitch = MAX_PITCH_RADII * layout->radius;
      if (n_slots > 1)
        column->pitch = MIN (column->pitch, room / (double) (n_slots - 1));
      column->y0 = middle - column->pitch * (double) (n_slots - 1) / 2.0;
    }
}

/* Chooses the shown units of every column and returns the most slots of
 * any column. */
static gsize
choose_slots (LsDiagramLayout *layout,
              double           available_height)
{
  gsize slot_limit = get_slot_limit (layout, available_height);
  gsize max_slots = 1;

  for (gsize c = 0; c < layout->n_columns; c++)
    {
      choose_column_slots (&layout->columns[c], slot_limit);
      max_slots = MAX (max_slots, ls_diagram_column_get_n_slots (&layout->columns[c]));
    }

  return max_slots;
}

/* Returns the size of the numbers inside the neurons, before the ones
 * below MIN_VALUE_PX are dropped: a fraction of the radius, but not much
 * larger than the body text. */
static double
get_value_px (const LsDiagramLayout *layout)
{
  return MIN (VALUE_PX_PER_RADIUS * layout->radius, MAX_VALUE_EM * layout->font_px);
}

/* Places everything for a body text size of font_px. */
static void
lay_out_at_font_px (LsDiagramLayout   *layout,
                    const WidestTexts *texts,
                    double             font_px)
{
  double top, bottom;
  gsize max_slots;

  layout->font_px = font_px;
  layout->line_unit = font_px / 18.0;
  layout->edge_hit_px = MAX (6.0, 5.0 * layout->line_unit);

  measure_label_margins (layout, texts, &layout->left_labels, &layout->right_labels);
  layout->header_height = measure_header_height (layout, texts);
  place_bands (layout, &top, &bottom);
  max_slots = choose_slots (layout, bottom - top);

  /* The tallest column fills the band: (n − 1) pitches plus one diameter. */
  place_columns_horizontally (layout,
                              MIN ((bottom - top) / (MIN_PITCH_RADII * (double) (max_slots - 1) + 2.0),
                                   2.4 * font_px));
  place_columns_vertically (layout, top, bottom);

  layout->value_px = get_value_px (layout);
  if (layout->value_px < MIN_VALUE_PX)
    layout->value_px = 0.0;
}

/* Returns whether the layout is good enough to keep its text size: the
 * neurons fit numbers of at least MIN_VALUE_EM of the text size, and the
 * input and output labels are shown. */
static gboolean
is_layout_readable (const LsDiagramLayout *layout)
{
  gboolean labelled = layout->left_labels > 0.0 && (layout->n_columns < 2 || layout->right_labels > 0.0);

  return labelled && get_value_px (layout) >= MIN_VALUE_EM * layout->font_px;
}

/* Computes the positions of every neuron of the network for a drawing of
 * width × height pixels. Text sizes follow ls_render_get_font_px(). Large
 * titles and labels can leave so little room that the numbers in the
 * neurons would be much smaller than the text, or the labels left out.
 * Then the text shrinks until is_layout_readable(), or down to
 * LS_RENDER_MIN_FONT_PX. Columns of up to WHOLE_COLUMN_UNITS show every
 * neuron at any size. */
LsDiagramLayout *
ls_diagram_layout_new (LsNetwork           *network,
                       double               width,
                       double               height,
                       const LsRenderStyle *style)
{
  LsDiagramLayout *layout;
  WidestTexts texts;
  double font_px;
  double min_font_px;

  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);
  g_return_val_if_fail (width > 0 && isfinite (width), NULL);
  g_return_val_if_fail (height > 0 && isfinite (height), NULL);

  layout = g_new0 (LsDiagramLayout, 1);
  layout->width = width;
  layout->height = height;
  layout->n_columns = ls_network_get_n_layers (network) + 1;
  layout->columns = g_new0 (LsDiagramColumn, layout->n_columns);
  for (gsize c = 0; c < layout->n_columns; c++)
    layout->columns[c].units = get_column_units (network, c);

  font_px = ls_render_get_font_px (height, style);
  min_font_px = MIN (font_px, LS_RENDER_MIN_FONT_PX);
  find_widest_texts (layout, network, font_px, &texts);
  lay_out_at_font_px (layout, &texts, font_px);
  while (!is_layout_readable (layout) && font_px > min_font_px)
    {
      font_px = MAX (FONT_SHRINK_STEP * font_px, min_font_px);
      lay_out_at_font_px (layout, &texts, font_px);
    }
  clear_widest_texts (&texts);

  return layout;
}

void
ls_diagram_layout_free (LsDiagramLayout *layout)
{
  if (layout == NULL)
    return;

  g_free (layout->columns);
  g_free (layout);
}

gboolean
ls_diagram_layout_get_neuron_center (const LsDiagramLayout *layout,
                                     gsize                  column,
                                     gsize                  unit,
                                     double                *x,
                                     double                *y)
{
  const LsDiagramColumn *col;
  gsize slot;

  g_return_val_if_fail (layout != NULL, FALSE);

  if (column >= layout->n_columns)
    return FALSE;

  col = &layout->columns[column];
  if (!ls_diagram_column_find_slot (col, unit, &slot))
    return FALSE;

  if (x != NULL)
    *x = col->x;
  if (y != NULL)
    *y = ls_diagram_column_get_slot_y (col, slot);

  return TRUE;
}

double
ls_diagram_layout_get_neuron_radius (const LsDiagramLayout *layout)
{
  g_return_val_if_fail (layout != NULL, 0.0);

  return layout->radius;
}

double
ls_diagram_layout_get_ring_extent (const LsDiagramLayout *layout)
{
  g_return_val_if_fail (layout != NULL, 0.0);

  return (LS_DIAGRAM_RING_OFFSET + LS_DIAGRAM_RING_WIDTH / 2.0) * layout->line_unit;
}

static gboolean
hit_neuron (const LsDiagramLayout *layout,
            double                 x,
            double                 y,
            LsSelection           *hit)
{
  double r = layout->radius;

  for (gsize c = 0; c < layout->n_columns; c++)
    {
      const LsDiagramColumn *column = &layout->columns[c];
      gsize n_slots = ls_diagram_column_get_n_slots (column);
      double nearest = 0.0;
      gsize slot;
      gsize unit;
      double dx = x - column->x;
      double dy;

      if (fabs (dx) > r)
        continue;

      if (column->pitch > 0.0)
        nearest = round ((y - column->y0) / column->pitch);
      slot = (gsize) CLAMP (nearest, 0.0, (double) (n_slots - 1));
      unit = ls_diagram_column_get_slot_unit (column, slot);
      dy = y - ls_diagram_column_get_slot_y (column, slot);
      if (unit == LS_DIAGRAM_NO_UNIT || dx * dx + dy * dy > r * r)
        continue;

      *hit = (LsSelection) { .kind = LS_SELECTION_NEURON, .column = c, .unit = unit };
      return TRUE;
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

/* Finds the edge nearest to (x, y) among those into one column, and
 * returns its distance, or INFINITY when the column has none. */
static double
find_nearest_edge (const LsDiagramLayout *layout,
                   gsize                  c,
                   double                 x,
                   double                 y,
                   LsSelection           *nearest)
{
  const LsDiagramColumn *source = &layout->columns[c - 1];
  const LsDiagramColumn *target = &layout->columns[c];
  double best = INFINITY;

  for (gsize j = 0; j < ls_diagram_column_get_n_slots (target); j++)
    {
      gsize unit = ls_diagram_column_get_slot_unit (target, j);
      double ty = ls_diagram_column_get_slot_y (target, j);

      for (gsize i = 0; unit != LS_DIAGRAM_NO_UNIT && i < ls_diagram_column_get_n_slots (source); i++)
        {
          gsize input = ls_diagram_column_get_slot_unit (source, i);
          double distance;

          if (input == LS_DIAGRAM_NO_UNIT)
            continue;

          distance = get_distance_to_segment (x, y, source->x, ls_diagram_column_get_slot_y (source, i),
                                              target->x, ty);
          if (distance < best)
            {
              best = distance;
              *nearest = (LsSelection) {
                .kind = LS_SELECTION_EDGE, .column = c, .unit = unit, .input = input,
              };
            }
        }
    }

  return best;
}

/* Neurons win over edges, so a click on a neuron never selects one of the
 * edges that meet under it. */
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
  if (hit_neuron (layout, x, y, hit))
    return TRUE;

  for (gsize c = 1; c < layout->n_columns; c++)
    {
      if (x < layout->columns[c - 1].x || x > layout->columns[c].x)
        continue;

      if (find_nearest_edge (layout, c, x, y, &nearest) <= layout->edge_hit_px)
        {
          *hit = nearest;
          return TRUE;
        }
    }

  return FALSE;
}
