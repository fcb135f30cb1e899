/* ls-render.c: drawing the network diagram
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
#include "ls-number.h"
#include "ls-render-private.h"

/* The edges of a selected neuron get weight labels while there are at
 * most this many. */
#define MAX_WEIGHT_LABELS 12

/* State of one ls_render_diagram() call, passed to its steps. */
typedef struct
{
  cairo_t *cr;
  LsNetwork *network;
  const LsDiagramLayout *layout;
  const LsSelection *selection;
  gboolean dark;
  LsRenderTheme theme;
  PangoLayout *text;
} Painter;


/* Returns the activation shown in a neuron: the input value in column 0,
 * else the layer's output after its activation function. */
static double
get_neuron_value (LsNetwork *network,
                  gsize      column,
                  gsize      unit)
{
  if (column == 0)
    return ls_network_get_input (network)[unit];

  return ls_network_get_layer (network, column - 1)->activation_output[unit];
}

static float
get_edge_weight (LsNetwork *network,
                 gsize      column,
                 gsize      input,
                 gsize      unit)
{
  const LsLayer *layer = ls_network_get_layer (network, column - 1);

  return layer->weights[input * layer->units + unit];
}

/* Line width in pixels for a weight: wider for larger magnitudes, clamped
 * so that small weights stay visible and large ones do not hide others. */
static double
get_edge_width (const LsDiagramLayout *layout,
                double                 weight)
{
  return CLAMP (0.5 + 3.0 * fabs (weight), 0.75, 6.0) * layout->line_unit;
}

/* Strokes an edge: solid for a positive weight and dashed for a negative
 * one, so the sign reads without colour. */
static void
stroke_edge (const Painter *p,
             double         weight,
             double         x0,
             double         y0,
             double         x1,
             double         y1,
             double         alpha,
             double         extra_width)
{
  cairo_t *cr = p->cr;
  double width = get_edge_width (p->layout, weight) + extra_width;
  LsColor color;

  /* An opaque colour blended with the background looks like alpha on that
   * background, and Cairo 1.16's image backend strokes it faster: a third
   * less time per 400-pixel diagonal line in a test. */
  ls_palette_get_weight_color (weight, p->dark, &color);
  color.red = alpha * color.red + (1.0 - alpha) * p->theme.background.red;
  color.green = alpha * color.green + (1.0 - alpha) * p->theme.background.green;
  color.blue = alpha * color.blue + (1.0 - alpha) * p->theme.background.blue;
  ls_render_set_source_color (cr, &color, 1.0);
  cairo_set_line_width (cr, width);
  if (weight < 0)
    {
      double dashes[] = { 5.0 * p->layout->line_unit + width, 3.0 * p->layout->line_unit + width };

      cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0.0);
    }
  else
    {
      cairo_set_dash (cr, NULL, 0, 0.0);
    }

  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x1, y1);
  cairo_stroke (cr);
}

/* Strokes the edge between two neuron centres, leaving out the parts
 * that the neurons cover, which would only cost time. */
static void
stroke_edge_between (const Painter *p,
                     double         weight,
                     double         x0,
                     double         y0,
                     double         x1,
                     double         y1,
                     double         alpha,
                     double         extra_width)
{
  double length = hypot (x1 - x0, y1 - y0);
  double trim = p->layout->radius;
  double dx, dy;

  if (length <= 2.0 * trim)
    return;

  dx = (x1 - x0) / length * trim;
  dy = (y1 - y0) / length * trim;
  stroke_edge (p, weight, x0 + dx, y0 + dy, x1 - dx, y1 - dy, alpha, extra_width);
}

/* Returns whether the edge from input to unit of column c belongs to the
 * selected neuron: an edge into it, or out of it when it is an input,
 * which has no edges in. draw_selected_neuron_edges() draws those. */
static gboolean
is_selected_neuron_edge (const LsSelection *selection,
                         gsize              c,
                         gsize              input,
                         gsize              unit)
{
  if (selection->kind != LS_SELECTION_NEURON)
    return FALSE;

  if (selection->column == 0)
    return c == 1 && selection->unit == input;

  return selection->column == c && selection->unit == unit;
}

/* Fainter lines where many cross, so that the crossings do not turn into
 * a solid block. */
static double
get_edge_alpha (const LsDiagramColumn *source,
                const LsDiagramColumn *target)
{
  gsize n_edges = ls_diagram_column_get_n_slots (source) * ls_diagram_column_get_n_slots (target);

  if (n_edges > 600)
    return 0.35;
  if (n_edges > 150)
    return 0.55;

  return 0.85;
}

/* Draws the shown edges into column c, except those of a selected
 * neuron, which draw_selected_neuron_edges() draws on top. */
static void
draw_edges_into (const Painter *p,
                 gsize          c)
{
  const LsDiagramColumn *source = &p->layout->columns[c - 1];
  const LsDiagramColumn *target = &p->layout->columns[c];
  double alpha = get_edge_alpha (source, target);

  /* With a neuron selected, every other edge is drawn fainter. */
  if (p->selection->kind == LS_SELECTION_NEURON)
    alpha = MIN (alpha, 0.2);

  for (gsize j = 0; j < ls_diagram_column_get_n_slots (target); j++)
    {
      gsize unit = ls_diagram_column_get_slot_unit (target, j);
      double y1 = ls_diagram_column_get_slot_y (target, j);

      if (unit == LS_DIAGRAM_NO_UNIT)
        continue;

      for (gsize i = 0; i < ls_diagram_column_get_n_slots (source); i++)
        {
          gsize input = ls_diagram_column_get_slot_unit (source, i);

          if (input == LS_DIAGRAM_NO_UNIT || is_selected_neuron_edge (p->selection, c, input, unit))
            continue;

          stroke_edge_between (p, get_edge_weight (p->network, c, input, unit),
                               source->x, ls_diagram_column_get_slot_y (source, i), target->x, y1,
                               alpha, 0.0);
        }
    }
}

/* Shows a weight's value on its edge, a fraction t of the way from the
 * source neuron to the target. */
static void
label_edge (const Painter *p,
            double         weight,
            double         x0,
            double         y0,
            double         x1,
            double         y1,
            double         t)
{
  g_autofree char *value = ls_format_value (weight);
  LsColor color;

  ls_palette_get_weight_color (weight, p->dark, &color);
  cairo_set_dash (p->cr, NULL, 0, 0.0);
  ls_render_show_text_on_box (p->cr, p->text, value, x0 + t * (x1 - x0), y0 + t * (y1 - y0),
                    &p->theme, &color, 1.5 * p->layout->line_unit);
}

/* Strokes an edge of the selected neuron in the first pass, and labels
 * its weight a fraction t of the way from (x0, y0) in the second. */
static void
draw_selected_neuron_edge (const Painter *p,
                           guint          pass,
                           double         weight,
                           double         x0,
                           double         y0,
                           double         x1,
                           double         y1,
                           double         t)
{
  if (pass == 0)
    stroke_edge_between (p, weight, x0, y0, x1, y1, 1.0, 1.5 * p->layout->line_unit);
  else
    label_edge (p, weight, x0, y0, x1, y1, t);
}

/* Draws the edges into the selected neuron on top of the others, or the
 * edges out of it for an input, which feeds them. Their weights are
 * labelled near the far ends while they are few and far enough apart to
 * read. */
static void
draw_selected_neuron_edges (const Painter *p)
{
  const LsDiagramLayout *layout = p->layout;
  const LsSelection *selection = p->selection;
  gboolean outgoing = selection->column == 0;
  const LsDiagramColumn *others;
  gboolean labelled;
  double x, y;

  if (layout->n_columns < 2 ||
      !ls_diagram_layout_get_neuron_center (layout, selection->column, selection->unit, &x, &y))
    return;

  others = &layout->columns[outgoing ? 1 : selection->column - 1];
  labelled = ls_diagram_column_get_n_slots (others) <= MAX_WEIGHT_LABELS &&
             0.65 * others->pitch >= 1.9 * layout->font_px;
  ls_render_set_font (p->text, 0.85 * layout->font_px, FALSE);

  /* All lines first, so that no line crosses a label. */
  for (guint pass = 0; pass < (labelled ? 2 : 1); pass++)
    for (gsize i = 0; i < ls_diagram_column_get_n_slots (others); i++)
      {
        gsize other = ls_diagram_column_get_slot_unit (others, i);
        double other_y = ls_diagram_column_get_slot_y (others, i);

        if (other == LS_DIAGRAM_NO_UNIT)
          continue;

        if (outgoing)
          draw_selected_neuron_edge (p, pass, get_edge_weight (p->network, 1, selection->unit, other),
                                     x, y, others->x, other_y, 0.65);
        else
          draw_selected_neuron_edge (p, pass, get_edge_weight (p->network, selection->column, other, selection->unit),
                                     others->x, other_y, x, y, 0.35);
      }
}

/* Draws the selected edge wider, over a halo, with its weight at the middle. */
static void
draw_selected_edge (const Painter *p)
{
  const LsDiagramLayout *layout = p->layout;
  const LsSelection *selection = p->selection;
  double x0, y0, x1, y1;
  float weight;

  if (selection->column == 0 ||
      !ls_diagram_layout_get_neuron_center (layout, selection->column - 1, selection->input, &x0, &y0) ||
      !ls_diagram_layout_get_neuron_center (layout, selection->column, selection->unit, &x1, &y1))
    return;

  weight = get_edge_weight (p->network, selection->column, selection->input, selection->unit);

  cairo_set_dash (p->cr, NULL, 0, 0.0);
  cairo_set_line_cap (p->cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_width (p->cr, get_edge_width (layout, weight) + 9.0 * layout->line_unit);
  ls_render_set_source_color (p->cr, &p->theme.foreground, 0.25);
  cairo_move_to (p->cr, x0, y0);
  cairo_line_to (p->cr, x1, y1);
  cairo_stroke (p->cr);
  cairo_set_line_cap (p->cr, CAIRO_LINE_CAP_BUTT);

  stroke_edge_between (p, weight, x0, y0, x1, y1, 1.0, 2.0 * layout->line_unit);
  ls_render_set_font (p->text, 0.9 * layout->font_px, TRUE);
  label_edge (p, weight, x0, y0, x1, y1, 0.5);
}

static void
draw_edges (const Painter *p)
{
  for (gsize c = 1; c < p->layout->n_columns; c++)
    draw_edges_into (p, c);

  if (p->selection->kind == LS_SELECTION_NEURON)
    draw_selected_neuron_edges (p);
  else if (p->selection->kind == LS_SELECTION_EDGE)
    draw_selected_edge (p);

  cairo_set_dash (p->cr, NULL, 0, 0.0);
}

/* Fills a neuron with its activation's colour and prints the value inside
 * in the form that fits, see ls_render_fit_value(). */
static void
draw_neuron (const Painter *p,
             double         x,
             double         y,
             double         value)
{
  const LsDiagramLayout *layout = p->layout;
  cairo_t *cr = p->cr;
  g_autofree char *text = NULL;
  LsColor fill;
  LsColor ink;

  ls_palette_get_value_color (value, &fill);
  cairo_new_path (cr);
  cairo_arc (cr, x, y, layout->radius, 0.0, 2.0 * G_PI);
  ls_render_set_source_color (cr, &fill, 1.0);
  cairo_fill_preserve (cr);
  ls_render_set_source_color (cr, &p->theme.outline, 1.0);
  cairo_set_line_width (cr, 1.5 * layout->line_unit);
  cairo_stroke (cr);

  if (layout->value_px <= 0.0)
    return;

  text = ls_render_fit_value (p->text, value, layout->value_px, 1.7 * layout->radius);
  ls_palette_get_text_color (&fill, &ink);
  ls_render_set_source_color (cr, &ink, 1.0);
  ls_render_show_text (cr, p->text, text, x, y, 0.5, 0.5);
}

/* Marks the hidden middle of a compact column, e.g. "… 768 more …". */
static void
draw_ellipsis (const Painter         *p,
               const LsDiagramColumn *column,
               double                 y)
{
  gsize hidden = column->units - column->n_head - column->n_tail;
  g_autofree char *text = NULL;

  /* TRANSLATORS: neurons of a column that the diagram leaves out */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "… %zu more …",
                                       "… %zu more …", hidden),
                          hidden);
  ls_render_set_font (p->text, 0.8 * p->layout->font_px, FALSE);
  if (ls_render_get_text_width (p->text, text) > 0.9 * p->layout->column_spacing)
    {
      g_free (text);
      text = g_strdup_printf ("+%" G_GSIZE_FORMAT, hidden);
    }

  ls_render_show_text_on_box (p->cr, p->text, text, column->x, y, &p->theme, NULL, 0.0);
}

static void
draw_neurons (const Painter *p)
{
  for (gsize c = 0; c < p->layout->n_columns; c++)
    {
      const LsDiagramColumn *column = &p->layout->columns[c];

      for (gsize slot = 0; slot < ls_diagram_column_get_n_slots (column); slot++)
        {
          gsize unit = ls_diagram_column_get_slot_unit (column, slot);
          double y = ls_diagram_column_get_slot_y (column, slot);

          if (unit == LS_DIAGRAM_NO_UNIT)
            draw_ellipsis (p, column, y);
          else
            draw_neuron (p, column->x, y, get_neuron_value (p->network, c, unit));
        }
    }
}

/* Shows text centred on x with its bottom at y, over an outline in the
 * background colour that keeps the edges behind it from crossing the glyphs. */
static void
show_text_with_halo (const Painter *p,
                     const char    *string,
                     double         x,
                     double         y)
{
  int width;
  int height;

  pango_layout_set_text (p->text, string, -1);
  pango_layout_get_pixel_size (p->text, &width, &height);

  cairo_move_to (p->cr, x - width / 2.0, y - height);
  pango_cairo_layout_path (p->cr, p->text);
  ls_render_set_source_color (p->cr, &p->theme.background, 1.0);
  cairo_set_line_width (p->cr, 3.0 * p->layout->line_unit);
  cairo_set_line_join (p->cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (p->cr);
  cairo_set_line_join (p->cr, CAIRO_LINE_JOIN_MITER);

  ls_render_set_source_color (p->cr, &p->theme.secondary, 1.0);
  cairo_move_to (p->cr, x - width / 2.0, y - height);
  pango_cairo_show_layout (p->cr, p->text);
}

/* Shows a hidden neuron's name at the upper left of its circle, for
 * columns packed too tightly to leave room above each neuron. The halo
 * keeps it readable over the incoming edges. */
static void
show_name_beside (const Painter *p,
                  const char    *name,
                  double         x,
                  double         y)
{
  double radius = p->layout->radius;
  double width = ls_render_get_text_width (p->text, name);

  show_text_with_halo (p, name, x - 0.75 * radius - width / 2.0, y - 0.6 * radius);
}

/* Returns the bottom of a hidden neuron's name. Over the selected neuron
 * it moves up to clear the ring, where the gap to the neuron above leaves
 * room, and else stays on the ring, whose line its halo then interrupts. */
static double
get_name_bottom (const Painter         *p,
                 const LsDiagramColumn *column,
                 gsize                  c,
                 gsize                  slot,
                 double                 px)
{
  const LsDiagramLayout *layout = p->layout;
  double ring = ls_diagram_layout_get_ring_extent (layout);
  double y = ls_diagram_column_get_slot_y (column, slot) - layout->radius - 0.15 * px;
  const LsSelection *selection = p->selection;

  if (selection->kind == LS_SELECTION_NEURON && selection->column == c &&
      selection->unit == ls_diagram_column_get_slot_unit (column, slot) &&
      column->pitch - 2.0 * layout->radius >= 1.5 * px + ring)
    y -= ring;

  return y;
}

/* Names the neurons of the hidden columns above them ("h1", "h2,3"), as
 * the inspector's formulas call them, where the gaps leave room. */
static void
draw_hidden_names (const Painter *p)
{
  const LsDiagramLayout *layout = p->layout;
  double px = 0.75 * layout->font_px;

  ls_render_set_font (p->text, px, FALSE);

  for (gsize c = 1; c + 1 < layout->n_columns; c++)
    {
      const LsDiagramColumn *column = &layout->columns[c];
      gboolean above = column->pitch - 2.0 * layout->radius >= 1.5 * px;

      for (gsize slot = 0; slot < ls_diagram_column_get_n_slots (column); slot++)
        {
          gsize unit = ls_diagram_column_get_slot_unit (column, slot);
          g_autofree char *name = NULL;

          if (unit == LS_DIAGRAM_NO_UNIT)
            continue;

          name = ls_explain_neuron_name (p->network, c, unit);
          if (above)
            show_text_with_halo (p, name, column->x, get_name_bottom (p, column, c, slot, px));
          else
            show_name_beside (p, name, column->x, ls_diagram_column_get_slot_y (column, slot));
        }
    }
}

/* Draws a ring around the selected neuron, clear of its outline. */
static void
draw_selected_neuron (const Painter *p)
{
  const LsDiagramLayout *layout = p->layout;
  double x, y;

  if (p->selection->kind != LS_SELECTION_NEURON ||
      !ls_diagram_layout_get_neuron_center (layout, p->selection->column, p->selection->unit, &x, &y))
    return;

  cairo_new_path (p->cr);
  cairo_arc (p->cr, x, y, layout->radius + LS_DIAGRAM_RING_OFFSET * layout->line_unit, 0.0, 2.0 * G_PI);
  ls_render_set_source_color (p->cr, &p->theme.foreground, 1.0);
  cairo_set_line_width (p->cr, LS_DIAGRAM_RING_WIDTH * layout->line_unit);
  cairo_stroke (p->cr);
}

/* Labels one column's shown neurons: x_align 1 puts them left of the
 * neurons (the input), 0 right of them (the output). A label wider than
 * max_width is ellipsized. The layout found the widest label at the
 * requested text size, and at the size used another label may be a few
 * pixels wider. So max_width grows by a quarter of the text size, taken
 * from the margin. */
static void
draw_unit_labels (const Painter *p,
                  gsize          c,
                  double         max_width,
                  double         x_align)
{
  const LsDiagramLayout *layout = p->layout;
  const LsDiagramColumn *column = &layout->columns[c];
  double offset = layout->radius + 0.5 * layout->font_px;
  double x = column->x + (x_align > 0.5 ? -offset : offset);

  if (max_width <= 0.0)
    return;

  max_width += 0.25 * layout->font_px;

  ls_render_set_font (p->text, layout->font_px, FALSE);
  pango_layout_set_width (p->text, (int) (max_width * PANGO_SCALE));
  pango_layout_set_ellipsize (p->text, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (p->text, x_align > 0.5 ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  ls_render_set_source_color (p->cr, &p->theme.foreground, 1.0);

  for (gsize slot = 0; slot < ls_diagram_column_get_n_slots (column); slot++)
    {
      gsize unit = ls_diagram_column_get_slot_unit (column, slot);
      g_autofree char *label = NULL;

      if (unit == LS_DIAGRAM_NO_UNIT)
        continue;

      label = ls_explain_neuron_name (p->network, c, unit);
      ls_render_show_text (p->cr, p->text, label, x - x_align * max_width,
                           ls_diagram_column_get_slot_y (column, slot), 0.0, 0.5);
    }

  pango_layout_set_width (p->text, -1);
  pango_layout_set_ellipsize (p->text, PANGO_ELLIPSIZE_NONE);
  pango_layout_set_alignment (p->text, PANGO_ALIGN_LEFT);
}

/* Shows text centred on x, wrapped and ellipsized to max_width and
 * max_lines, and shifted sideways where it would cross the drawing's left
 * or right edge. Returns the height it took. */
static double
show_header_text (const Painter *p,
                  const char    *string,
                  double         x,
                  double         y,
                  double         max_width,
                  int            max_lines)
{
  double margin = 0.3 * p->layout->font_px;
  double left;
  int width;
  int height;

  max_width = MIN (max_width, p->layout->width - 2.0 * margin);
  pango_layout_set_width (p->text, (int) (MAX (max_width, 1.0) * PANGO_SCALE));
  pango_layout_set_height (p->text, -max_lines);
  pango_layout_set_wrap (p->text, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_ellipsize (p->text, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (p->text, PANGO_ALIGN_CENTER);
  pango_layout_set_text (p->text, string, -1);
  pango_layout_get_pixel_size (p->text, &width, &height);

  /* the lines are centred within the layout width, so move that box */
  left = CLAMP (x - max_width / 2.0, margin - (max_width - width) / 2.0,
                p->layout->width - margin - (max_width + width) / 2.0);
  cairo_move_to (p->cr, left, y);
  pango_cairo_show_layout (p->cr, p->text);

  pango_layout_set_width (p->text, -1);
  pango_layout_set_height (p->text, -1);
  pango_layout_set_ellipsize (p->text, PANGO_ELLIPSIZE_NONE);
  pango_layout_set_alignment (p->text, PANGO_ALIGN_LEFT);

  return height;
}

/* Titles every column with its name on one line and its kind, size and
 * activation under it, e.g. "hidden" over "Dense 4 · ReLU". Subtitles wrap
 * to a second line when the layout made room for one. */
static void
draw_headers (const Painter *p)
{
  const LsDiagramLayout *layout = p->layout;
  double max_width = LS_DIAGRAM_HEADER_WIDTH * layout->column_spacing;
  double title_height = 1.3 * layout->font_px;
  int subtitle_lines = layout->header_height > title_height + 1.2 * LS_DIAGRAM_SUBTITLE_EM * layout->font_px ? 2 : 1;

  for (gsize c = 0; c < layout->n_columns; c++)
    {
      g_autofree char *title = ls_diagram_dup_column_title (p->network, c);
      g_autofree char *subtitle = ls_diagram_dup_column_subtitle (p->network, c);
      double x = layout->columns[c].x;

      ls_render_set_font (p->text, 1.05 * layout->font_px, TRUE);
      ls_render_set_source_color (p->cr, &p->theme.foreground, 1.0);
      show_header_text (p, title, x, layout->header_y, max_width, 1);

      ls_render_set_font (p->text, LS_DIAGRAM_SUBTITLE_EM * layout->font_px, FALSE);
      ls_render_set_source_color (p->cr, &p->theme.secondary, 1.0);
      show_header_text (p, subtitle, x, layout->header_y + title_height, max_width, subtitle_lines);
    }
}

/* Draws the colour ramp from −LS_PALETTE_RANGE to +LS_PALETTE_RANGE. Its
 * three stops are the palette's anchors, and Cairo blends between them in
 * sRGB as ls_palette_get_value_color() does. */
static void
draw_ramp (const Painter *p,
           double         x,
           double         y,
           double         width,
           double         height)
{
  cairo_pattern_t *ramp = cairo_pattern_create_linear (x, 0.0, x + width, 0.0);
  LsColor color;

  ls_palette_get_value_color (-LS_PALETTE_RANGE, &color);
  cairo_pattern_add_color_stop_rgb (ramp, 0.0, color.red, color.green, color.blue);
  ls_palette_get_value_color (0.0, &color);
  cairo_pattern_add_color_stop_rgb (ramp, 0.5, color.red, color.green, color.blue);
  ls_palette_get_value_color (LS_PALETTE_RANGE, &color);
  cairo_pattern_add_color_stop_rgb (ramp, 1.0, color.red, color.green, color.blue);

  cairo_rectangle (p->cr, x, y, width, height);
  cairo_set_source (p->cr, ramp);
  cairo_fill_preserve (p->cr);
  cairo_pattern_destroy (ramp);

  /* the outline and a tick at 0 */
  cairo_move_to (p->cr, x + width / 2.0, y);
  cairo_line_to (p->cr, x + width / 2.0, y + height);
  ls_render_set_source_color (p->cr, &p->theme.outline, 1.0);
  cairo_set_line_width (p->cr, p->layout->line_unit);
  cairo_stroke (p->cr);
}

/* Shows text left-aligned at *x on a line centred at y and moves *x past
 * it. A caption is left out when it would cross the right edge. */
static void
show_legend_text (const Painter *p,
                  const char    *string,
                  double        *x,
                  double         y,
                  double         gap,
                  gboolean       caption)
{
  double width = ls_render_get_text_width (p->text, string);

  if (caption && *x + width > p->layout->width - 0.6 * p->layout->font_px)
    return;

  ls_render_show_text (p->cr, p->text, string, *x, y, 0.0, 0.5);
  *x += width + gap;
}

/* Returns the label of one end of the colour ramp: "−1" or "+1". */
static char *
dup_ramp_end (gboolean high)
{
  return g_strdup_printf (high ? "+%g" : "\u2212%g", LS_PALETTE_RANGE);
}

/* Draws "Activation −1 [ramp] +1" and what happens beyond the range. */
static void
draw_legend_colors (const Painter *p,
                    double         px,
                    double         y)
{
  double gap = 0.5 * px;
  double x = 0.6 * p->layout->font_px;
  g_autofree char *low = dup_ramp_end (FALSE);
  g_autofree char *high = dup_ramp_end (TRUE);
  /* TRANSLATORS: how the colour scale treats values outside it, e.g. "±1" */
  g_autofree char *beyond = g_strdup_printf (_("(values beyond ±%g keep the end colour)"), LS_PALETTE_RANGE);

  ls_render_set_source_color (p->cr, &p->theme.foreground, 1.0);
  show_legend_text (p, _("Activation"), &x, y, 2.0 * gap, FALSE);
  show_legend_text (p, low, &x, y, gap, FALSE);
  draw_ramp (p, x, y - 0.4 * px, 10.0 * px, 0.8 * px);
  x += 10.0 * px + gap;

  ls_render_set_source_color (p->cr, &p->theme.foreground, 1.0);
  show_legend_text (p, high, &x, y, 2.0 * gap, FALSE);
  ls_render_set_source_color (p->cr, &p->theme.secondary, 1.0);
  show_legend_text (p, beyond, &x, y, 0.0, TRUE);
}

/* Draws a solid and a dashed line sample with their meaning. */
static void
draw_legend_weights (const Painter *p,
                     double         px,
                     double         y)
{
  double gap = 0.5 * px;
  double x = 0.6 * p->layout->font_px;

  stroke_edge (p, 1.0, x, y, x + 3.0 * px, y, 1.0, 0.0);
  x += 3.0 * px + gap;
  ls_render_set_source_color (p->cr, &p->theme.foreground, 1.0);
  show_legend_text (p, _("positive weight"), &x, y, 3.0 * gap, FALSE);

  stroke_edge (p, -1.0, x, y, x + 3.0 * px, y, 1.0, 0.0);
  cairo_set_dash (p->cr, NULL, 0, 0.0);
  x += 3.0 * px + gap;
  ls_render_set_source_color (p->cr, &p->theme.foreground, 1.0);
  show_legend_text (p, _("negative weight"), &x, y, 3.0 * gap, FALSE);

  ls_render_set_source_color (p->cr, &p->theme.secondary, 1.0);
  show_legend_text (p, _("(wider line: larger magnitude)"), &x, y, 0.0, TRUE);
}

/* Returns the legend's text size: 0.85 of the body text, or less where
 * its lines would be wider than the drawing without the captions, which
 * may be left out. The widths follow draw_legend_colors() and
 * draw_legend_weights(), where gaps, line samples and the ramp take 12
 * and 8.5 times the text size on the two lines. */
static double
get_legend_px (const Painter *p)
{
  double px = 0.85 * p->layout->font_px;
  double room = p->layout->width - 1.2 * p->layout->font_px;
  g_autofree char *low = dup_ramp_end (FALSE);
  g_autofree char *high = dup_ramp_end (TRUE);
  double colors, weights;

  ls_render_set_font (p->text, px, FALSE);
  colors = ls_render_get_text_width (p->text, _("Activation")) + ls_render_get_text_width (p->text, low) +
           ls_render_get_text_width (p->text, high) + 12.0 * px;
  weights = ls_render_get_text_width (p->text, _("positive weight")) +
            ls_render_get_text_width (p->text, _("negative weight")) + 8.5 * px;

  if (MAX (colors, weights) > room && room > 0.0)
    px *= room / MAX (colors, weights);

  return px;
}

/* Explains the colours, dashes and widths in two lines at the bottom. */
static void
draw_legend (const Painter *p)
{
  double px = get_legend_px (p);
  double y = p->layout->legend_y + 0.65 * p->layout->font_px;

  ls_render_set_font (p->text, px, FALSE);
  draw_legend_colors (p, px, y);
  draw_legend_weights (p, px, y + 1.3 * p->layout->font_px);
}

/* Draws the network at the positions of layout, which must have been built
 * for the network's current structure. It only reads the network, and the
 * caller paints the background. */
void
ls_render_diagram (cairo_t               *cr,
                   LsNetwork             *network,
                   const LsDiagramLayout *layout,
                   const LsSelection     *selection,
                   const LsRenderStyle   *style)
{
  static const LsSelection no_selection = { LS_SELECTION_NONE };
  g_autoptr(PangoLayout) text = NULL;
  Painter p;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (LS_IS_NETWORK (network));
  g_return_if_fail (layout != NULL);
  g_return_if_fail (ls_diagram_layout_matches (layout, network));

  if (style == NULL)
    style = ls_render_get_default_style ();

  text = pango_cairo_create_layout (cr);
  p = (Painter) {
    .cr = cr, .network = network, .layout = layout, .dark = style->dark, .text = text,
    .selection = selection != NULL ? selection : &no_selection,
  };
  ls_render_get_theme (style->dark, &p.theme);

  cairo_save (cr);
  /* Cairo 1.16's image backend strokes a dashed line twice as fast on the
   * 4 × 4 subpixel grid of CAIRO_ANTIALIAS_FAST as with the default, and
   * lines and circles look the same. Text keeps its own antialiasing.
   * docs/PERFORMANCE.md has the measurements. */
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_FAST);
  draw_headers (&p);
  draw_edges (&p);
  draw_neurons (&p);
  draw_selected_neuron (&p);
  draw_hidden_names (&p);
  draw_unit_labels (&p, 0, layout->left_labels - 0.5 * layout->font_px, 1.0);
  if (layout->n_columns > 1)
    draw_unit_labels (&p, layout->n_columns - 1, layout->right_labels - 0.5 * layout->font_px, 0.0);
  draw_legend (&p);
  cairo_restore (cr);
}
