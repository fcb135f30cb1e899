/* ls-render.c: drawing the diagram, the bars and whole pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-render"

#include "config.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ls-diagram-layout-private.h"
#include "ls-error.h"
#include "ls-explain.h"
#include "ls-palette.h"
#include "ls-render.h"

/* Page sizes that ls_render_to_file() accepts, in pixels or points. */
#define MIN_PAGE_SIZE 1
#define MAX_PAGE_SIZE 16384

/* Incoming edges of a selected neuron get weight labels while there are at
 * most this many. */
#define MAX_WEIGHT_LABELS 12

/* Colours and text -------------------------------------------------------- */

typedef struct
{
  LsColor background;
  LsColor foreground;
  LsColor secondary;   /* captions and the ellipsis */
  LsColor outline;     /* ring around every neuron */
  LsColor track;       /* empty part of a bar */
} Theme;

static const LsRenderStyle default_style = LS_RENDER_STYLE_INIT;

static void
get_theme (gboolean  dark,
           Theme    *theme)
{
  ls_color_init_rgb (&theme->background, dark ? 0x242424 : 0xffffff);
  ls_color_init_rgb (&theme->foreground, dark ? 0xf2f2f2 : 0x1a1a1a);
  ls_color_init_rgb (&theme->secondary, dark ? 0xb8b8b8 : 0x555555);
  ls_color_init_rgb (&theme->outline, dark ? 0xd0d0d0 : 0x4d4d4d);
  ls_color_init_rgb (&theme->track, dark ? 0x3a3a3a : 0xe8e8e8);
}

static void
set_source_color (cairo_t       *cr,
                  const LsColor *color,
                  double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, alpha);
}

/* Shows text with its logical box aligned to (x, y). An x_align of 0 puts
 * the left edge at x, 0.5 the centre and 1 the right edge, and y_align
 * does the same vertically. */
static void
show_text (cairo_t     *cr,
           PangoLayout *text,
           const char  *string,
           double       x,
           double       y,
           double       x_align,
           double       y_align)
{
  int width;
  int height;

  pango_layout_set_text (text, string, -1);
  pango_layout_get_pixel_size (text, &width, &height);
  cairo_move_to (cr, x - x_align * width, y - y_align * height);
  pango_cairo_show_layout (cr, text);
}

static double
get_text_width (PangoLayout *text,
                const char  *string)
{
  int width;

  pango_layout_set_text (text, string, -1);
  pango_layout_get_pixel_size (text, &width, NULL);

  return width;
}

static void
add_rounded_rectangle (cairo_t *cr,
                       double   x,
                       double   y,
                       double   width,
                       double   height,
                       double   radius)
{
  radius = MIN (radius, MIN (width, height) / 2.0);

  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2.0, 0.0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0.0, G_PI / 2.0);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2.0, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 1.5 * G_PI);
  cairo_close_path (cr);
}

/* Shows text centred on (x, y) over a rounded box in the background
 * colour, so that lines behind it do not cross the glyphs. */
static void
show_text_on_box (cairo_t       *cr,
                  PangoLayout   *text,
                  const char    *string,
                  double         x,
                  double         y,
                  const Theme   *theme,
                  const LsColor *border,
                  double         line_width)
{
  int width;
  int height;
  double pad;

  pango_layout_set_text (text, string, -1);
  pango_layout_get_pixel_size (text, &width, &height);
  pad = 0.3 * height;

  add_rounded_rectangle (cr, x - width / 2.0 - pad, y - height / 2.0 - pad / 2.0,
                         width + 2.0 * pad, height + pad, height / 2.0);
  set_source_color (cr, &theme->background, 0.92);
  if (border != NULL)
    {
      cairo_fill_preserve (cr);
      set_source_color (cr, border, 1.0);
      cairo_set_line_width (cr, line_width);
      cairo_stroke (cr);
    }
  else
    {
      cairo_fill (cr);
    }

  set_source_color (cr, &theme->foreground, 1.0);
  show_text (cr, text, string, x, y, 0.5, 0.5);
}

/* The diagram ------------------------------------------------------------- */

/* State of one ls_render_diagram() call, passed to its steps. */
typedef struct
{
  cairo_t *cr;
  LsNetwork *network;
  const LsDiagramLayout *layout;
  const LsSelection *selection;
  gboolean dark;
  Theme theme;
  PangoLayout *text;
} Painter;

/* Formats a number for the diagram and the bars: two decimals, fewer for
 * large magnitudes, and a real minus sign (U+2212). Unlike the inspector's
 * ls_format_value(), tiny values show as "0.00" with no sign, so that a
 * number always fits in its neuron at the same size. */
static char *
format_value (double value)
{
  double magnitude = fabs (value);
  char digits[G_ASCII_DTOSTR_BUF_SIZE];
  const char *format = "%.2f";

  if (isnan (value))
    return g_strdup ("NaN");
  if (isinf (value))
    return g_strdup (value > 0 ? "∞" : "\u2212∞");

  if (magnitude >= 99999.5)
    format = "%.0e";
  else if (magnitude >= 99.995)
    format = "%.0f";
  else if (magnitude >= 9.995)
    format = "%.1f";

  g_ascii_formatd (digits, sizeof digits, format, magnitude);
  if (value < 0 && strspn (digits, "0.") != strlen (digits))
    return g_strconcat ("\u2212", digits, NULL);

  return g_strdup (digits);
}

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
  set_source_color (cr, &color, 1.0);
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

static gboolean
is_selected_neuron (const LsSelection *selection,
                    gsize              column,
                    gsize              unit)
{
  return selection->kind == LS_SELECTION_NEURON &&
         selection->column == column && selection->unit == unit;
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

/* Draws the shown edges into column c, except those into a selected
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

      if (unit == LS_DIAGRAM_NO_UNIT || is_selected_neuron (p->selection, c, unit))
        continue;

      for (gsize i = 0; i < ls_diagram_column_get_n_slots (source); i++)
        {
          gsize input = ls_diagram_column_get_slot_unit (source, i);

          if (input == LS_DIAGRAM_NO_UNIT)
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
  g_autofree char *value = format_value (weight);
  LsColor color;

  ls_palette_get_weight_color (weight, p->dark, &color);
  cairo_set_dash (p->cr, NULL, 0, 0.0);
  show_text_on_box (p->cr, p->text, value, x0 + t * (x1 - x0), y0 + t * (y1 - y0),
                    &p->theme, &color, 1.5 * p->layout->line_unit);
}

/* Draws the edges into the selected neuron on top of the others, and their
 * weights while they are few and far enough apart to read. */
static void
draw_selected_neuron_edges (const Painter *p)
{
  const LsDiagramLayout *layout = p->layout;
  const LsSelection *selection = p->selection;
  const LsDiagramColumn *source;
  const LsDiagramColumn *target;
  gsize n_sources;
  gsize slot;
  double y1;
  gboolean labelled;

  if (selection->column == 0 || selection->column >= layout->n_columns)
    return;

  target = &layout->columns[selection->column];
  source = &layout->columns[selection->column - 1];
  if (!ls_diagram_column_find_slot (target, selection->unit, &slot))
    return;

  y1 = ls_diagram_column_get_slot_y (target, slot);
  n_sources = ls_diagram_column_get_n_slots (source);
  labelled = n_sources <= MAX_WEIGHT_LABELS && 0.65 * source->pitch >= 1.9 * layout->font_px;
  ls_render_set_font (p->text, 0.85 * layout->font_px, FALSE);

  /* All lines first, so that no line crosses a label. */
  for (guint pass = 0; pass < (labelled ? 2 : 1); pass++)
    for (gsize i = 0; i < n_sources; i++)
      {
        gsize input = ls_diagram_column_get_slot_unit (source, i);
        double y0 = ls_diagram_column_get_slot_y (source, i);
        float weight;

        if (input == LS_DIAGRAM_NO_UNIT)
          continue;

        weight = get_edge_weight (p->network, selection->column, input, selection->unit);
        if (pass == 0)
          stroke_edge_between (p, weight, source->x, y0, target->x, y1, 1.0, 1.5 * layout->line_unit);
        else
          label_edge (p, weight, source->x, y0, target->x, y1, 0.35);
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
  set_source_color (p->cr, &p->theme.foreground, 0.25);
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

/* Fills a neuron with its activation's colour and prints the value inside,
 * shrinking the text when a wide number would not fit. */
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
  double width;

  ls_palette_get_value_color (value, &fill);
  cairo_new_path (cr);
  cairo_arc (cr, x, y, layout->radius, 0.0, 2.0 * G_PI);
  set_source_color (cr, &fill, 1.0);
  cairo_fill_preserve (cr);
  set_source_color (cr, &p->theme.outline, 1.0);
  cairo_set_line_width (cr, 1.5 * layout->line_unit);
  cairo_stroke (cr);

  if (layout->value_px <= 0.0)
    return;

  /* p->text has the value font, set once by draw_neurons() */
  text = format_value (value);
  width = get_text_width (p->text, text);
  if (width > 1.7 * layout->radius)
    ls_render_set_font (p->text, layout->value_px * 1.7 * layout->radius / width, TRUE);

  ls_palette_get_text_color (&fill, &ink);
  set_source_color (cr, &ink, 1.0);
  show_text (cr, p->text, text, x, y, 0.5, 0.5);

  if (width > 1.7 * layout->radius)
    ls_render_set_font (p->text, layout->value_px, TRUE);
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
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "… %" G_GSIZE_FORMAT " more …",
                                       "… %" G_GSIZE_FORMAT " more …", hidden),
                          hidden);
  ls_render_set_font (p->text, 0.8 * p->layout->font_px, FALSE);
  if (get_text_width (p->text, text) > 0.9 * p->layout->column_spacing)
    {
      g_free (text);
      text = g_strdup_printf ("+%" G_GSIZE_FORMAT, hidden);
    }

  show_text_on_box (p->cr, p->text, text, column->x, y, &p->theme, NULL, 0.0);
}

static void
draw_neurons (const Painter *p)
{
  ls_render_set_font (p->text, p->layout->value_px, TRUE);

  for (gsize c = 0; c < p->layout->n_columns; c++)
    {
      const LsDiagramColumn *column = &p->layout->columns[c];

      for (gsize slot = 0; slot < ls_diagram_column_get_n_slots (column); slot++)
        {
          gsize unit = ls_diagram_column_get_slot_unit (column, slot);
          double y = ls_diagram_column_get_slot_y (column, slot);

          if (unit == LS_DIAGRAM_NO_UNIT)
            {
              draw_ellipsis (p, column, y);
              ls_render_set_font (p->text, p->layout->value_px, TRUE);
            }
          else
            {
              draw_neuron (p, column->x, y, get_neuron_value (p->network, c, unit));
            }
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
  set_source_color (p->cr, &p->theme.background, 1.0);
  cairo_set_line_width (p->cr, 3.0 * p->layout->line_unit);
  cairo_set_line_join (p->cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (p->cr);
  cairo_set_line_join (p->cr, CAIRO_LINE_JOIN_MITER);

  set_source_color (p->cr, &p->theme.secondary, 1.0);
  cairo_move_to (p->cr, x - width / 2.0, y - height);
  pango_cairo_show_layout (p->cr, p->text);
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

      if (column->pitch - 2.0 * layout->radius < 1.5 * px)
        continue;

      for (gsize slot = 0; slot < ls_diagram_column_get_n_slots (column); slot++)
        {
          gsize unit = ls_diagram_column_get_slot_unit (column, slot);
          g_autofree char *name = NULL;

          if (unit == LS_DIAGRAM_NO_UNIT)
            continue;

          name = ls_explain_neuron_name (p->network, c, unit);
          show_text_with_halo (p, name, column->x,
                               ls_diagram_column_get_slot_y (column, slot) - layout->radius - 0.15 * px);
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
  cairo_arc (p->cr, x, y, layout->radius + 5.0 * layout->line_unit, 0.0, 2.0 * G_PI);
  set_source_color (p->cr, &p->theme.foreground, 1.0);
  cairo_set_line_width (p->cr, 3.5 * layout->line_unit);
  cairo_stroke (p->cr);
}

/* Labels one column's shown neurons: x_align 1 puts them left of the
 * neurons (the input), 0 right of them (the output). */
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

  if (max_width < layout->font_px)
    return;

  ls_render_set_font (p->text, layout->font_px, FALSE);
  pango_layout_set_width (p->text, (int) (max_width * PANGO_SCALE));
  pango_layout_set_ellipsize (p->text, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (p->text, x_align > 0.5 ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  set_source_color (p->cr, &p->theme.foreground, 1.0);

  for (gsize slot = 0; slot < ls_diagram_column_get_n_slots (column); slot++)
    {
      gsize unit = ls_diagram_column_get_slot_unit (column, slot);
      g_autofree char *label = NULL;

      if (unit == LS_DIAGRAM_NO_UNIT)
        continue;

      label = ls_explain_neuron_name (p->network, c, unit);
      show_text (p->cr, p->text, label, x - x_align * max_width, ls_diagram_column_get_slot_y (column, slot),
                 0.0, 0.5);
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
      set_source_color (p->cr, &p->theme.foreground, 1.0);
      show_header_text (p, title, x, layout->header_y, max_width, 1);

      ls_render_set_font (p->text, LS_DIAGRAM_SUBTITLE_EM * layout->font_px, FALSE);
      set_source_color (p->cr, &p->theme.secondary, 1.0);
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
  set_source_color (p->cr, &p->theme.outline, 1.0);
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
  double width = get_text_width (p->text, string);

  if (caption && *x + width > p->layout->width - 0.6 * p->layout->font_px)
    return;

  show_text (p->cr, p->text, string, *x, y, 0.0, 0.5);
  *x += width + gap;
}

/* Draws "Activation −1 [ramp] +1" and what happens beyond the range. */
static void
draw_legend_colors (const Painter *p,
                    double         px,
                    double         y)
{
  double gap = 0.5 * px;
  double x = 0.6 * p->layout->font_px;
  g_autofree char *low = g_strdup_printf ("\u2212%g", LS_PALETTE_RANGE);
  g_autofree char *high = g_strdup_printf ("+%g", LS_PALETTE_RANGE);
  /* TRANSLATORS: how the colour scale treats values outside it, e.g. "±1" */
  g_autofree char *beyond = g_strdup_printf (_("(values beyond ±%g keep the end colour)"), LS_PALETTE_RANGE);

  set_source_color (p->cr, &p->theme.foreground, 1.0);
  show_legend_text (p, _("Activation"), &x, y, 2.0 * gap, FALSE);
  show_legend_text (p, low, &x, y, gap, FALSE);
  draw_ramp (p, x, y - 0.4 * px, 10.0 * px, 0.8 * px);
  x += 10.0 * px + gap;

  set_source_color (p->cr, &p->theme.foreground, 1.0);
  show_legend_text (p, high, &x, y, 2.0 * gap, FALSE);
  set_source_color (p->cr, &p->theme.secondary, 1.0);
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
  set_source_color (p->cr, &p->theme.foreground, 1.0);
  show_legend_text (p, _("positive weight"), &x, y, 3.0 * gap, FALSE);

  stroke_edge (p, -1.0, x, y, x + 3.0 * px, y, 1.0, 0.0);
  cairo_set_dash (p->cr, NULL, 0, 0.0);
  x += 3.0 * px + gap;
  set_source_color (p->cr, &p->theme.foreground, 1.0);
  show_legend_text (p, _("negative weight"), &x, y, 3.0 * gap, FALSE);

  set_source_color (p->cr, &p->theme.secondary, 1.0);
  show_legend_text (p, _("(wider line: larger magnitude)"), &x, y, 0.0, TRUE);
}

/* Explains the colours, dashes and widths in two lines at the bottom. */
static void
draw_legend (const Painter *p)
{
  double px = 0.85 * p->layout->font_px;
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
    style = &default_style;

  text = pango_cairo_create_layout (cr);
  p = (Painter) {
    .cr = cr, .network = network, .layout = layout, .dark = style->dark, .text = text,
    .selection = selection != NULL ? selection : &no_selection,
  };
  get_theme (style->dark, &p.theme);

  cairo_save (cr);
  draw_headers (&p);
  draw_edges (&p);
  draw_neurons (&p);
  draw_hidden_names (&p);
  draw_selected_neuron (&p);
  draw_unit_labels (&p, 0, layout->left_labels - 0.5 * layout->font_px, 1.0);
  if (layout->n_columns > 1)
    draw_unit_labels (&p, layout->n_columns - 1, layout->right_labels - 0.5 * layout->font_px, 0.0);
  draw_legend (&p);
  cairo_restore (cr);
}

/* The output bars --------------------------------------------------------- */

/* How the bars read the output layer. Softmax outputs are probabilities
 * that sum to 1, sigmoid outputs are probabilities of their own, and any
 * other activation gives plain values, scaled to the largest magnitude. */
typedef enum
{
  BARS_SOFTMAX,
  BARS_SIGMOID,
  BARS_VALUES,
} BarsMode;

/* State of one ls_render_bars() call, passed to its steps. */
typedef struct
{
  cairo_t *cr;
  LsNetwork *network;
  PangoLayout *text;
  Theme theme;
  double width;
  double font_px;

  BarsMode mode;
  const float *values;  /* [n_values], the output layer's activation */
  gsize n_values;
  gsize winner;         /* the largest output */
  double scale;         /* BARS_VALUES: the largest magnitude */
  gboolean centred;     /* BARS_VALUES: a zero line in the middle for negative values */
} BarsPainter;

static void
init_bars_painter (BarsPainter *b,
                   LsNetwork   *network)
{
  const LsLayer *output = ls_network_get_output_layer (network);

  b->mode = BARS_VALUES;
  if (output->activation == LS_ACTIVATION_SOFTMAX)
    b->mode = BARS_SOFTMAX;
  else if (output->activation == LS_ACTIVATION_SIGMOID)
    b->mode = BARS_SIGMOID;

  b->values = ls_network_get_output (network);
  b->n_values = ls_network_get_output_size (network);
  b->winner = 0;
  b->scale = 0.0;
  b->centred = FALSE;
  for (gsize i = 0; i < b->n_values; i++)
    {
      if (b->values[i] > b->values[b->winner])
        b->winner = i;
      b->scale = MAX (b->scale, fabs (b->values[i]));
      b->centred |= b->values[i] < 0;
    }
}

/* Softmax and plain values emphasise the largest output. Sigmoid outputs
 * are separate yes/no decisions, so every one at or above 50 % is emphasised. */
static gboolean
is_bar_emphasised (const BarsPainter *b,
                   gsize              unit)
{
  if (b->mode == BARS_SIGMOID)
    return b->values[unit] >= 0.5f;

  return b->n_values > 1 && unit == b->winner;
}

static char *
format_bar_value (const BarsPainter *b,
                  double             value)
{
  char digits[G_ASCII_DTOSTR_BUF_SIZE];

  if (b->mode == BARS_VALUES)
    return format_value (value);

  /* with a decimal point, as every other number in the diagram */
  g_ascii_formatd (digits, sizeof digits, "%.1f", 100.0 * value);

  /* TRANSLATORS: a probability in percent, e.g. "82.0 %" */
  return g_strdup_printf (_("%s %%"), digits);
}

/* Returns the heading and the caption under it that explains how to read
 * the bars. */
static void
get_bars_heading (const BarsPainter  *b,
                  char              **heading,
                  char              **caption)
{
  g_autofree char *scale = format_value (b->scale);
  LsActivation activation = ls_network_get_output_layer (b->network)->activation;

  switch (b->mode)
    {
    case BARS_SOFTMAX:
      *heading = g_strdup (_("Prediction"));
      *caption = g_strdup (_("Softmax probabilities"));
      break;

    case BARS_SIGMOID:
      *heading = g_strdup (_("Outputs"));
      *caption = g_strdup (_("Sigmoid: each output is a probability on its own"));
      break;

    case BARS_VALUES:
    default:
      *heading = g_strdup (_("Outputs"));
      /* TRANSLATORS: the output activation and the value at a full bar, e.g. "Identity values, full bar = 2.31" */
      *caption = g_strdup_printf (_("%s values, full bar = %s"),
                                  ls_activation_get_display_name (activation), scale);
      break;
    }
}

/* Returns the part of the track [0, 1] that a value's bar covers. */
static void
get_bar_extent (const BarsPainter *b,
                double             value,
                double            *start,
                double            *end)
{
  double fraction;

  if (b->mode != BARS_VALUES)
    {
      *start = 0.0;
      *end = CLAMP (value, 0.0, 1.0);
      return;
    }

  fraction = b->scale > 0.0 ? value / b->scale : 0.0;
  if (!b->centred)
    {
      *start = 0.0;
      *end = CLAMP (fraction, 0.0, 1.0);
      return;
    }

  *start = 0.5 + MIN (fraction, 0.0) / 2.0;
  *end = 0.5 + MAX (fraction, 0.0) / 2.0;
}

/* Draws one output: its label and value on a line, the bar under them. */
static void
draw_bar_row (const BarsPainter *b,
              gsize              unit,
              double             y)
{
  double pad = 0.8 * b->font_px;
  double inner = b->width - 2.0 * pad;
  double value = b->values[unit];
  gboolean emphasised = is_bar_emphasised (b, unit);
  g_autofree char *label = ls_explain_neuron_name (b->network, ls_network_get_n_layers (b->network), unit);
  g_autofree char *text = format_bar_value (b, value);
  double bar_y = y + 1.35 * b->font_px;
  double bar_height = 0.75 * b->font_px;
  double value_width;
  double start, end;
  LsColor color;

  ls_render_set_font (b->text, b->font_px, emphasised);
  set_source_color (b->cr, &b->theme.foreground, 1.0);
  value_width = get_text_width (b->text, text);
  show_text (b->cr, b->text, text, b->width - pad, y, 1.0, 0.0);
  pango_layout_set_width (b->text, (int) (MAX (inner - value_width - pad, 1.0) * PANGO_SCALE));
  pango_layout_set_ellipsize (b->text, PANGO_ELLIPSIZE_END);
  show_text (b->cr, b->text, label, pad, y, 0.0, 0.0);
  pango_layout_set_width (b->text, -1);
  pango_layout_set_ellipsize (b->text, PANGO_ELLIPSIZE_NONE);

  add_rounded_rectangle (b->cr, pad, bar_y, inner, bar_height, bar_height / 4.0);
  set_source_color (b->cr, &b->theme.track, 1.0);
  cairo_fill (b->cr);

  /* the emphasised bars in the palette's full colour, the others lighter */
  get_bar_extent (b, value, &start, &end);
  ls_palette_get_value_color ((value < 0 ? -1.0 : 1.0) * (emphasised ? LS_PALETTE_RANGE : 0.5 * LS_PALETTE_RANGE),
                              &color);
  if (end > start)
    {
      add_rounded_rectangle (b->cr, pad + start * inner, bar_y, (end - start) * inner, bar_height,
                             bar_height / 4.0);
      set_source_color (b->cr, &color, 1.0);
      cairo_fill (b->cr);
    }
}

/* Fills order with the units to show, in their own order when all fit and
 * else the largest first. Returns the number of units in order. */
static gsize
choose_bar_rows (const BarsPainter *b,
                 gsize              max_rows,
                 gsize             *order)
{
  for (gsize i = 0; i < b->n_values; i++)
    order[i] = i;

  if (b->n_values <= max_rows)
    return b->n_values;

  /* A selection of the max_rows largest, each found by a linear scan:
   * max_rows is small because the rows must fit on the screen. */
  for (gsize i = 0; i < max_rows; i++)
    {
      gsize best = i;
      gsize unit;

      for (gsize j = i + 1; j < b->n_values; j++)
        if (b->values[order[j]] > b->values[order[best]])
          best = j;

      unit = order[best];
      order[best] = order[i];
      order[i] = unit;
    }

  return max_rows;
}

/* Vertical space of the bars in units of the body text size. */
#define BARS_TOP_EM 0.8
#define BARS_ROW_EM 2.7
#define BARS_FOOTER_EM 1.5

/* Sets up the caption font, wrapped to the width, and returns its height. */
static double
set_bars_caption (const BarsPainter *b,
                  const char        *caption)
{
  int height;

  ls_render_set_font (b->text, 0.85 * b->font_px, FALSE);
  pango_layout_set_width (b->text, (int) (MAX (b->width - 1.6 * b->font_px, 1.0) * PANGO_SCALE));
  pango_layout_set_wrap (b->text, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (b->text, caption, -1);
  pango_layout_get_pixel_size (b->text, NULL, &height);

  return height;
}

/* Draws the heading and its caption when draw is TRUE, and returns the y
 * below them either way. */
static double
lay_out_bars_heading (const BarsPainter *b,
                      gboolean           draw)
{
  double pad = 0.8 * b->font_px;
  double y = BARS_TOP_EM * b->font_px;
  g_autofree char *heading = NULL;
  g_autofree char *caption = NULL;
  double caption_height;

  get_bars_heading (b, &heading, &caption);

  if (draw)
    {
      ls_render_set_font (b->text, 1.1 * b->font_px, TRUE);
      set_source_color (b->cr, &b->theme.foreground, 1.0);
      show_text (b->cr, b->text, heading, pad, y, 0.0, 0.0);
    }
  y += 1.45 * b->font_px;

  caption_height = set_bars_caption (b, caption);
  if (draw)
    {
      set_source_color (b->cr, &b->theme.secondary, 1.0);
      cairo_move_to (b->cr, pad, y);
      pango_cairo_show_layout (b->cr, b->text);
    }
  pango_layout_set_width (b->text, -1);

  return y + caption_height + 0.9 * b->font_px;
}

/* Draws the footer that counts the outputs shown and the outputs in all. */
static void
draw_bars_footer (const BarsPainter *b,
                  gsize              n_rows,
                  double             y)
{
  g_autofree char *text = NULL;

  /* TRANSLATORS: shown when not every output bar fits, e.g. "The 12 largest of 1000 outputs" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The %" G_GSIZE_FORMAT " largest of %" G_GSIZE_FORMAT " outputs",
                                       "The %" G_GSIZE_FORMAT " largest of %" G_GSIZE_FORMAT " outputs", b->n_values),
                          n_rows, b->n_values);
  ls_render_set_font (b->text, 0.85 * b->font_px, FALSE);
  set_source_color (b->cr, &b->theme.secondary, 1.0);
  show_text (b->cr, b->text, text, 0.8 * b->font_px, y, 0.0, 0.0);
}

/* Draws one bar per output with its label and value, the winning output
 * emphasised. Softmax and sigmoid outputs show as percentages, other
 * activations as values with bars scaled to the largest magnitude. When
 * not every output fits, the largest ones are shown. */
void
ls_render_bars (cairo_t             *cr,
                LsNetwork           *network,
                double               width,
                double               height,
                const LsRenderStyle *style)
{
  g_autoptr(PangoLayout) text = NULL;
  g_autofree gsize *order = NULL;
  double row_height, y;
  gsize max_rows, n_rows;
  BarsPainter b;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (LS_IS_NETWORK (network));

  if (style == NULL)
    style = &default_style;
  if (ls_network_get_n_layers (network) == 0 || width <= 0 || height <= 0)
    return;

  text = pango_cairo_create_layout (cr);
  b = (BarsPainter) {
    .cr = cr, .network = network, .text = text, .width = width,
    .font_px = ls_render_get_font_px (height, style),
  };
  get_theme (style->dark, &b.theme);
  init_bars_painter (&b, network);

  cairo_save (cr);
  y = lay_out_bars_heading (&b, TRUE);
  row_height = BARS_ROW_EM * b.font_px;
  /* When not every row fits, fewer rows leave room for the footer line. */
  max_rows = b.n_values;
  if (y + (double) b.n_values * row_height > height)
    max_rows = (gsize) MAX (floor ((height - y - BARS_FOOTER_EM * b.font_px) / row_height), 1.0);
  order = g_new (gsize, b.n_values);  /* [n_values], units in drawing order */
  n_rows = choose_bar_rows (&b, max_rows, order);
  for (gsize i = 0; i < n_rows; i++)
    draw_bar_row (&b, order[i], y + (double) i * row_height);
  if (n_rows < b.n_values)
    draw_bars_footer (&b, n_rows, y + (double) n_rows * row_height);
  cairo_restore (cr);
}

double
ls_render_bars_get_height (LsNetwork           *network,
                           double               width,
                           gsize                max_rows,
                           const LsRenderStyle *style)
{
  g_autoptr(PangoLayout) text = NULL;
  BarsPainter b;
  gsize n_rows;

  g_return_val_if_fail (LS_IS_NETWORK (network), 0.0);
  g_return_val_if_fail (style != NULL && style->font_px > 0.0, 0.0);

  if (ls_network_get_n_layers (network) == 0)
    return 0.0;

  text = ls_render_create_measure_layout ();
  b = (BarsPainter) {
    .network = network, .text = text, .width = MAX (width, 1.0),
    .font_px = ls_render_get_font_px (0.0, style),
  };
  init_bars_painter (&b, network);
  n_rows = MIN (b.n_values, MAX (max_rows, 1));

  /* the last row needs no gap below it, but the footer needs its line */
  return lay_out_bars_heading (&b, FALSE) + (double) n_rows * BARS_ROW_EM * b.font_px +
         (n_rows < b.n_values ? BARS_FOOTER_EM * b.font_px : 0.0);
}

/* Pages and files --------------------------------------------------------- */

/* Returns the height of the title band on top of a page, 0 without a title. */
static double
get_page_title_height (LsNetwork           *network,
                       double               height,
                       const LsRenderStyle *style)
{
  const char *title = ls_network_get_title (network);

  if (title == NULL || title[0] == '\0')
    return 0.0;

  return 2.4 * ls_render_get_font_px (height, style);
}

void
ls_render_get_page_areas (LsNetwork           *network,
                          double               width,
                          double               height,
                          const LsRenderStyle *style,
                          cairo_rectangle_t   *diagram,
                          cairo_rectangle_t   *bars)
{
  double top;
  double bars_width;

  g_return_if_fail (LS_IS_NETWORK (network));
  g_return_if_fail (diagram != NULL);
  g_return_if_fail (bars != NULL);

  top = get_page_title_height (network, height, style);
  bars_width = MIN (17.0 * ls_render_get_font_px (height - top, style), 0.4 * width);
  if (ls_network_get_n_layers (network) == 0)
    bars_width = 0.0;

  *diagram = (cairo_rectangle_t) { 0.0, top, width - bars_width, MAX (height - top, 1.0) };
  *bars = (cairo_rectangle_t) { width - bars_width, top, bars_width, MAX (height - top, 1.0) };
}

static void
draw_page_title (cairo_t             *cr,
                 LsNetwork           *network,
                 double               width,
                 double               height,
                 const LsRenderStyle *style,
                 const Theme         *theme)
{
  g_autoptr(PangoLayout) text = pango_cairo_create_layout (cr);
  double font_px = ls_render_get_font_px (height, style);
  const char *title = ls_network_get_title (network);

  if (title == NULL || title[0] == '\0')
    return;

  ls_render_set_font (text, 1.4 * font_px, TRUE);
  pango_layout_set_width (text, (int) (MAX (width - 1.2 * font_px, 1.0) * PANGO_SCALE));
  pango_layout_set_ellipsize (text, PANGO_ELLIPSIZE_END);
  set_source_color (cr, &theme->foreground, 1.0);
  show_text (cr, text, title, 0.6 * font_px, 0.5 * font_px, 0.0, 0.0);
}

/* Saves the state, clips to area and moves the origin to its corner. The
 * caller restores the state when it has drawn the area. */
static void
begin_area (cairo_t                 *cr,
            const cairo_rectangle_t *area)
{
  cairo_save (cr);
  cairo_rectangle (cr, area->x, area->y, area->width, area->height);
  cairo_clip (cr);
  cairo_translate (cr, area->x, area->y);
}

void
ls_render_page (cairo_t             *cr,
                LsNetwork           *network,
                double               width,
                double               height,
                const LsRenderStyle *style)
{
  g_autoptr(LsDiagramLayout) layout = NULL;
  cairo_rectangle_t diagram, bars;
  Theme theme;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (LS_IS_NETWORK (network));
  g_return_if_fail (width > 0 && height > 0);

  if (style == NULL)
    style = &default_style;

  get_theme (style->dark, &theme);
  ls_render_get_page_areas (network, width, height, style, &diagram, &bars);

  cairo_save (cr);
  set_source_color (cr, &theme.background, 1.0);
  cairo_paint (cr);
  draw_page_title (cr, network, width, height, style, &theme);

  layout = ls_diagram_layout_new (network, diagram.width, diagram.height, style);
  begin_area (cr, &diagram);
  ls_render_diagram (cr, network, layout, NULL, style);
  cairo_restore (cr);

  if (bars.width > 0)
    {
      /* a hairline between the diagram and the bars */
      set_source_color (cr, &theme.track, 1.0);
      cairo_rectangle (cr, bars.x, bars.y, MAX (1.0, ls_render_get_font_px (bars.height, style) / 18.0), bars.height);
      cairo_fill (cr);

      begin_area (cr, &bars);
      ls_render_bars (cr, network, bars.width, bars.height, style);
      cairo_restore (cr);
    }
  cairo_restore (cr);
}

typedef enum
{
  FILE_TYPE_PNG,
  FILE_TYPE_SVG,
  FILE_TYPE_PDF,
} FileType;

/* Reads the file type from the extension of path, case-insensitively. */
static gboolean
get_file_type (const char  *path,
               FileType    *type,
               GError     **error)
{
  g_autofree char *basename = g_path_get_basename (path);
  const char *dot = strrchr (basename, '.');

  /* ".png" alone is a hidden file's name, not an extension */
  if (dot == basename)
    dot = NULL;

  if (dot != NULL && g_ascii_strcasecmp (dot, ".png") == 0)
    *type = FILE_TYPE_PNG;
  else if (dot != NULL && g_ascii_strcasecmp (dot, ".svg") == 0)
    *type = FILE_TYPE_SVG;
  else if (dot != NULL && g_ascii_strcasecmp (dot, ".pdf") == 0)
    *type = FILE_TYPE_PDF;
  else
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("Cannot render to “%s”: unknown file type; use a name that ends in .png, .svg or .pdf"),
                   path);
      return FALSE;
    }

  return TRUE;
}

static cairo_status_t
append_to_byte_array (void                *closure,
                      const unsigned char *data,
                      unsigned int         length)
{
  g_byte_array_append (closure, data, length);

  return CAIRO_STATUS_SUCCESS;
}

/* Creates a surface that draws a page of the given type into bytes. */
static cairo_surface_t *
create_page_surface (FileType    type,
                     int         width,
                     int         height,
                     GByteArray *bytes)
{
  cairo_surface_t *surface;

  switch (type)
    {
    case FILE_TYPE_SVG:
      surface = cairo_svg_surface_create_for_stream (append_to_byte_array, bytes, width, height);
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
      return surface;

    case FILE_TYPE_PDF:
      return cairo_pdf_surface_create_for_stream (append_to_byte_array, bytes, width, height);

    case FILE_TYPE_PNG:
    default:
      return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
    }
}

/* Renders a page and returns the encoded file, or NULL with error set. */
static GBytes *
render_page_bytes (LsNetwork           *network,
                   FileType             type,
                   int                  width,
                   int                  height,
                   const LsRenderStyle *style,
                   const char          *path,
                   GError             **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface = create_page_surface (type, width, height, bytes);
  cairo_status_t status = cairo_surface_status (surface);

  if (status == CAIRO_STATUS_SUCCESS)
    {
      cairo_t *cr = cairo_create (surface);

      ls_render_page (cr, network, width, height, style);
      status = cairo_status (cr);
      cairo_destroy (cr);
    }

  if (status == CAIRO_STATUS_SUCCESS && type == FILE_TYPE_PNG)
    status = cairo_surface_write_to_png_stream (surface, append_to_byte_array, bytes);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("Rendering “%s” at %d × %d failed: %s"),
                   path, width, height, cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

gboolean
ls_render_to_file (LsNetwork           *network,
                   const char          *path,
                   int                  width,
                   int                  height,
                   const LsRenderStyle *style,
                   GError             **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  FileType type;

  g_return_val_if_fail (LS_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!get_file_type (path, &type, error))
    return FALSE;

  if (width < MIN_PAGE_SIZE || width > MAX_PAGE_SIZE ||
      height < MIN_PAGE_SIZE || height > MAX_PAGE_SIZE)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("Cannot render “%s” at %d × %d: width and height must be between %d and %d"),
                   path, width, height, MIN_PAGE_SIZE, MAX_PAGE_SIZE);
      return FALSE;
    }

  bytes = render_page_bytes (network, type, width, height, style, path, error);
  if (bytes == NULL)
    return FALSE;

  file = g_file_new_for_path (path);

  return g_file_replace_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                  NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, error);
}
