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

/* Titles and lines under the columns that do not fit their room shrink
 * down to this many pixels before they are cut. */
#define MIN_COLUMN_TEXT_PX 9.0

/* Returns the values of a column's tensor: the input in column 0, else
 * the layer's output after its activation function. */
const float *
ls_render_get_column_values (LsNetwork *network,
                             gsize      column)
{
  if (column == 0)
    return ls_network_get_input (network);

  return ls_network_get_layer (network, column - 1)->activation_output;
}

/* Returns the value that a neuron shows: its activation, or NaN in the
 * output layer when output_lost, as ls_render_is_output_lost() explains. */
static double
get_shown_value (LsNetwork *network,
                 gsize      column,
                 gsize      unit,
                 gboolean   output_lost)
{
  if (output_lost && column > 0 && column == ls_network_get_n_layers (network))
    return NAN;

  return ls_render_get_column_values (network, column)[unit];
}

/* Returns whether ls_format_value()'s form of every finite number that
 * the neurons of the diagram show fits its neuron, as
 * ls_render_fits_full_value() decides. ls_render_diagram() then shows
 * every number in that form, and else every one in the short form of
 * ls_render_format_short_value(), so that a value reads the same in every
 * neuron: never "≈0" for 2.6e-06 next to "1.2e-14" for a smaller one. */
gboolean
ls_render_diagram_uses_full_values (LsNetwork             *network,
                                    const LsDiagramLayout *layout,
                                    PangoLayout           *text)
{
  gboolean output_lost;

  g_return_val_if_fail (LS_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (layout != NULL, FALSE);

  if (layout->value_px <= 0.0)
    return FALSE;

  output_lost = ls_render_is_output_lost (network);
  for (gsize c = 0; c < layout->n_columns; c++)
    {
      const LsDiagramColumn *column = &layout->columns[c];

      if (column->kind != LS_DIAGRAM_NEURONS)
        continue;

      for (gsize slot = 0; slot < ls_diagram_column_get_n_slots (column); slot++)
        {
          gsize unit = ls_diagram_column_get_slot_unit (column, slot);
          double value;

          if (unit == LS_DIAGRAM_NO_UNIT)
            continue;

          value = get_shown_value (network, c, unit, output_lost);
          if (isfinite (value) && !ls_render_fits_full_value (text, value, layout->value_px, 1.7 * layout->radius))
            return FALSE;
        }
    }

  return TRUE;
}

gboolean
ls_render_get_value_ink (const LsRenderStyle *style,
                         const LsRenderTheme *theme,
                         const LsColor       *fill,
                         LsColor             *ink)
{
  if (!style->high_contrast)
    {
      ls_palette_get_text_color (fill, ink);
      return FALSE;
    }

  if (ls_palette_get_strong_text_color (fill, ink) >= LS_PALETTE_HIGH_CONTRAST_MIN_RATIO)
    return FALSE;

  *ink = theme->foreground;
  return TRUE;
}

/* Returns the width of every neuron's outline. */
static double
get_outline_width (const LsDiagramPainter *p)
{
  double width = 1.5 * p->layout->line_unit;

  if (p->style->high_contrast || p->style->presenter)
    width = MAX (width, LS_RENDER_PRESENTER_MIN_LINE_PX);

  return width;
}

/* Draws a neuron that the forward pass has not reached: grey, without a
 * colour or a number. */
static void
draw_pending_neuron (const LsDiagramPainter *p,
                     double                  x,
                     double                  y)
{
  cairo_new_path (p->cr);
  cairo_arc (p->cr, x, y, p->layout->radius, 0.0, 2.0 * G_PI);
  ls_render_set_source_color (p->cr, &p->theme.track, 1.0);
  cairo_fill_preserve (p->cr);
  ls_render_set_source_color (p->cr, &p->theme.secondary, 1.0);
  cairo_set_line_width (p->cr, get_outline_width (p));
  cairo_stroke (p->cr);
}

/* Fills a neuron with its activation's colour, or hatched grey for NaN
 * and infinities, or with its map over the input plane when the style
 * has one, and prints the value inside in the form that full_form
 * chooses, see ls_render_diagram_uses_full_values(). Over a map, the
 * value sits on a small box in the lower half, clear of the map's centre. */
static void
draw_neuron (const LsDiagramPainter *p,
             gsize                   column,
             gsize                   unit,
             double                  x,
             double                  y,
             double                  value,
             gboolean                full_form)
{
  const LsDiagramLayout *layout = p->layout;
  cairo_t *cr = p->cr;
  g_autofree char *text = NULL;
  gboolean has_map;
  LsColor fill;
  LsColor ink;

  if (ls_render_is_column_pending (p->style, column))
    {
      draw_pending_neuron (p, x, y);
      return;
    }

  ls_palette_get_scale_color (value, p->style->high_contrast, &fill);
  has_map = ls_render_draw_unit_map (p, column, unit, x, y);
  cairo_new_path (cr);
  cairo_arc (cr, x, y, layout->radius, 0.0, 2.0 * G_PI);
  if (!has_map && isfinite (value))
    {
      ls_render_set_source_color (cr, &fill, 1.0);
      cairo_fill_preserve (cr);
    }
  else if (!has_map)
    {
      ls_render_fill_not_a_number (cr, layout->line_unit);
      cairo_arc (cr, x, y, layout->radius, 0.0, 2.0 * G_PI);
    }
  ls_render_set_source_color (cr, &p->theme.outline, 1.0);
  cairo_set_line_width (cr, get_outline_width (p));
  cairo_stroke (cr);

  if (layout->value_px <= 0.0)
    return;

  text = ls_render_fit_value_in_form (p->text, value, layout->value_px, 1.7 * layout->radius, full_form);
  if (has_map)
    {
      ls_render_show_text_on_box (cr, p->text, text, x, y + 0.55 * layout->radius, &p->theme, NULL, 0.0);
      return;
    }
  if (!isfinite (value))
    {
      /* a box keeps the hatching off the glyphs */
      ls_render_show_text_on_box (cr, p->text, text, x, y, &p->theme, NULL, 0.0);
      return;
    }

  if (ls_render_get_value_ink (p->style, &p->theme, &fill, &ink))
    {
      ls_render_show_text_on_box (cr, p->text, text, x, y, &p->theme, NULL, 0.0);
      return;
    }
  ls_render_set_source_color (cr, &ink, 1.0);
  ls_render_show_text (cr, p->text, text, x, y, 0.5, 0.5);
}

/* Marks the hidden middle of a compact column, e.g. "… 768 more …". */
static void
draw_ellipsis (const LsDiagramPainter *p,
               const LsDiagramColumn  *column,
               double                  y)
{
  gsize hidden = column->units - column->n_head - column->n_tail;
  g_autofree char *text = NULL;

  /* TRANSLATORS: neurons of a column that the diagram leaves out */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "… %zu more …",
                                       "… %zu more …", hidden),
                          hidden);
  ls_render_set_font (p->text, 0.8 * p->layout->font_px, FALSE);
  if (ls_render_get_text_width (p->text, text) > 0.9 * column->room)
    {
      g_free (text);
      text = g_strdup_printf ("+%" G_GSIZE_FORMAT, hidden);
    }

  ls_render_show_text_on_box (p->cr, p->text, text, column->x, y, &p->theme, NULL, 0.0);
}

static void
draw_neurons (const LsDiagramPainter *p)
{
  gboolean full_form = ls_render_diagram_uses_full_values (p->network, p->layout, p->text);

  for (gsize c = 0; c < p->layout->n_columns; c++)
    {
      const LsDiagramColumn *column = &p->layout->columns[c];

      if (column->kind != LS_DIAGRAM_NEURONS)
        continue;

      for (gsize slot = 0; slot < ls_diagram_column_get_n_slots (column); slot++)
        {
          gsize unit = ls_diagram_column_get_slot_unit (column, slot);
          double y = ls_diagram_column_get_slot_y (column, slot);

          if (unit == LS_DIAGRAM_NO_UNIT)
            draw_ellipsis (p, column, y);
          else
            draw_neuron (p, c, unit, column->x, y, get_shown_value (p->network, c, unit, p->output_lost), full_form);
        }
    }
}

/* A halo behind text that edges cross is the text shown in the
 * background colour at these eight offsets, 1.5 line units long. Cairo
 * 1.16 draws that about four times faster than a stroke of the glyph
 * outlines: 12 against 54 µs for a short name in a standalone test. */
static const double halo_directions[8][2] = {
  { -1, -1 }, { 0, -1 }, { 1, -1 }, { -1, 0 }, { 1, 0 }, { -1, 1 }, { 0, 1 }, { 1, 1 },
};
#define HALO_REACH 1.5

/* Shows text centred on x with its bottom at y, over a halo in the
 * background colour that keeps the edges behind it from crossing the
 * glyphs. */
static void
show_text_with_halo (const LsDiagramPainter *p,
                     const char             *string,
                     double                  x,
                     double                  y)
{
  double reach = HALO_REACH * p->layout->line_unit;
  int width;
  int height;

  pango_layout_set_text (p->text, string, -1);
  pango_layout_get_pixel_size (p->text, &width, &height);

  ls_render_set_source_color (p->cr, &p->theme.background, 1.0);
  for (guint i = 0; i < G_N_ELEMENTS (halo_directions); i++)
    {
      cairo_move_to (p->cr, x - width / 2.0 + reach * halo_directions[i][0],
                     y - height + reach * halo_directions[i][1]);
      pango_cairo_show_layout (p->cr, p->text);
    }

  ls_render_set_source_color (p->cr, &p->theme.secondary, 1.0);
  cairo_move_to (p->cr, x - width / 2.0, y - height);
  pango_cairo_show_layout (p->cr, p->text);
}

/* Returns the bottom of a hidden neuron's name. Over the selected neuron
 * it moves up to clear the ring, where the gap to the neuron above leaves
 * room, and else stays on the ring, whose line its halo then interrupts. */
static double
get_name_bottom (const LsDiagramLayout *layout,
                 const LsSelection     *selection,
                 gsize                  c,
                 gsize                  slot,
                 double                 px)
{
  const LsDiagramColumn *column = &layout->columns[c];
  double ring = ls_diagram_layout_get_ring_extent (layout);
  double y = ls_diagram_column_get_slot_y (column, slot) - layout->radius - 0.15 * px;

  if (selection->kind == LS_SELECTION_NEURON && selection->column == c &&
      selection->unit == ls_diagram_column_get_slot_unit (column, slot) &&
      column->pitch - 2.0 * layout->radius >= 1.5 * px + ring)
    y -= ring;

  return y;
}

/* Returns the text size of the hidden neurons' names in a layout. */
double
ls_render_get_hidden_name_px (const LsDiagramLayout *layout)
{
  g_return_val_if_fail (layout != NULL, 0.0);

  return LS_RENDER_MIN_LABEL_EM * layout->font_px;
}

/* Places the name of the neuron in slot of hidden column c, a box of
 * width × height pixels. Where the gap to the neuron above leaves room,
 * the name goes above the circle. Else it goes to the left of the circle,
 * clear of it and of the selection ring, a little above its centre.
 * Returns FALSE, leaving box alone, when the slots are closer than the
 * name is tall, so that the names of neighbouring neurons would overlap. */
gboolean
ls_render_place_hidden_name (const LsDiagramLayout *layout,
                             const LsSelection     *selection,
                             gsize                  c,
                             gsize                  slot,
                             double                 width,
                             double                 height,
                             cairo_rectangle_t     *box)
{
  const LsDiagramColumn *column;
  double px = ls_render_get_hidden_name_px (layout);
  double y;

  g_return_val_if_fail (layout != NULL && selection != NULL && box != NULL, FALSE);
  g_return_val_if_fail (c < layout->n_columns, FALSE);

  column = &layout->columns[c];
  y = ls_diagram_column_get_slot_y (column, slot);
  if (column->pitch - 2.0 * layout->radius >= 1.5 * px)
    {
      *box = (cairo_rectangle_t) { column->x - width / 2.0, get_name_bottom (layout, selection, c, slot, px) - height,
                                   width, height };
      return TRUE;
    }

  if (height > column->pitch)
    return FALSE;

  /* The name's middle is at most half a pitch less half its height above
   * the centre, so it stays below the middle of the gap to the neuron
   * above, and so clear of the name there. */
  y -= MIN (0.35 * layout->radius, (column->pitch - height) / 2.0);
  *box = (cairo_rectangle_t) { column->x - layout->radius - ls_diagram_layout_get_ring_extent (layout) - width,
                               y - height / 2.0, width, height };
  return TRUE;
}

/* Names the neurons of the hidden columns ("h1", "h2,3"), as the
 * inspector's formulas call them, where the gaps leave room. The halo
 * keeps a name beside its neuron readable over the incoming edges. */
static void
draw_hidden_names (const LsDiagramPainter *p)
{
  const LsDiagramLayout *layout = p->layout;

  ls_render_set_font (p->text, ls_render_get_hidden_name_px (layout), FALSE);

  for (gsize c = 1; c + 1 < layout->n_columns; c++)
    {
      const LsDiagramColumn *column = &layout->columns[c];

      if (column->kind != LS_DIAGRAM_NEURONS)
        continue;

      for (gsize slot = 0; slot < ls_diagram_column_get_n_slots (column); slot++)
        {
          gsize unit = ls_diagram_column_get_slot_unit (column, slot);
          g_autofree char *name = NULL;
          cairo_rectangle_t box;
          int width, height;

          if (unit == LS_DIAGRAM_NO_UNIT)
            continue;

          name = ls_explain_neuron_name (p->network, c, unit);
          pango_layout_set_text (p->text, name, -1);
          pango_layout_get_pixel_size (p->text, &width, &height);
          if (ls_render_place_hidden_name (layout, p->selection, c, slot, width, height, &box))
            show_text_with_halo (p, name, box.x + box.width / 2.0, box.y + box.height);
        }
    }
}

/* Draws a ring around the selected neuron, clear of its outline. */
static void
draw_selected_neuron (const LsDiagramPainter *p)
{
  const LsDiagramLayout *layout = p->layout;
  double x, y;

  if (p->selection->kind != LS_SELECTION_NEURON ||
      layout->columns[p->selection->column].kind != LS_DIAGRAM_NEURONS ||
      !ls_diagram_layout_get_unit_center (layout, p->selection->column, p->selection->unit, &x, &y))
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
draw_unit_labels (const LsDiagramPainter *p,
                  gsize                   c,
                  double                  max_width,
                  double                  x_align)
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

/* Covers a box of text with the background colour, nearly opaque, so
 * that lines behind it do not cross the glyphs. It keeps the current
 * source colour. */
static void
draw_text_background (const LsDiagramPainter *p,
                      double                  x,
                      double                  y,
                      double                  width,
                      double                  height)
{
  double pad = 0.2 * p->layout->font_px;

  cairo_save (p->cr);
  ls_render_add_rounded_rectangle (p->cr, x - pad, y, width + 2.0 * pad, height, pad);
  ls_render_set_source_color (p->cr, &p->theme.background, 0.9);
  cairo_fill (p->cr);
  cairo_restore (p->cr);
}

/* Shows text over or under column c at px, bold or not, within the
 * column's span of ls_diagram_layout_get_text_span(): centred on the
 * column where the span allows, wrapped between words into max_lines
 * lines, and shrunk as ls_render_fit_text_box() does, down to
 * MIN_COLUMN_TEXT_PX. With on_background set, a background box keeps
 * lines behind it off the glyphs. Returns the height it took. */
static double
show_column_text (const LsDiagramPainter *p,
                  gsize                   c,
                  const char             *string,
                  double                  y,
                  double                  px,
                  gboolean                bold,
                  int                     max_lines,
                  gboolean                on_background)
{
  double left, right;
  double x;
  int width;
  int height;

  ls_diagram_layout_get_text_span (p->layout, c, &left, &right);
  ls_render_fit_text_box (p->text, string, px, MIN_COLUMN_TEXT_PX, bold, right - left, max_lines);
  pango_layout_get_pixel_size (p->text, &width, &height);

  /* the lines are centred within the span, so move the span's box to put
   * their left edge at x */
  x = CLAMP (p->layout->columns[c].x - width / 2.0, left, right - width);
  if (on_background)
    draw_text_background (p, x, y, width, height);
  cairo_move_to (p->cr, x - (right - left - width) / 2.0, y);
  pango_cairo_show_layout (p->cr, p->text);
  ls_render_reset_text_box (p->text);

  return height;
}

/* Titles every column with its name on the layout's title lines and its
 * kind, size and activation under it, e.g. "hidden" over "Dense 4 · ReLU". Subtitles wrap
 * to a second line when the layout made room for one. */
static void
draw_headers (const LsDiagramPainter *p)
{
  const LsDiagramLayout *layout = p->layout;
  double title_height = ls_diagram_layout_get_title_height (layout);
  int subtitle_lines = layout->header_height > title_height + 1.2 * LS_DIAGRAM_SUBTITLE_EM * layout->font_px ? 2 : 1;

  for (gsize c = 0; c < layout->n_columns; c++)
    {
      g_autofree char *title = ls_diagram_dup_column_title (p->network, c);
      g_autofree char *subtitle = ls_diagram_dup_column_subtitle (p->network, c);

      ls_render_set_source_color (p->cr, &p->theme.foreground, 1.0);
      show_column_text (p, c, title, layout->header_y, LS_DIAGRAM_TITLE_EM * layout->font_px, TRUE,
                        layout->title_lines, FALSE);

      ls_render_set_source_color (p->cr, &p->theme.secondary, 1.0);
      show_column_text (p, c, subtitle, layout->header_y + title_height, LS_DIAGRAM_SUBTITLE_EM * layout->font_px,
                        FALSE, subtitle_lines, FALSE);
    }
}

/* Appends to note, after a separator, the magnitude that scaled feature
 * maps show in the full colours, e.g. "colours: ±10.20". Feature maps of
 * zeros only keep the fixed scale and get no note. */
static void
append_feature_map_range (GString               *note,
                          LsNetwork             *network,
                          const LsDiagramLayout *layout,
                          gsize                  c)
{
  double range = ls_render_get_feature_map_range (network, layout, c);
  g_autofree char *text = NULL;

  if (range <= 0.0)
    return;

  text = ls_format_value (range);
  if (note->len > 0)
    g_string_append (note, " · ");
  /* TRANSLATORS: the magnitude that a layer's feature maps show in the full
   * colours when they are scaled per layer, e.g. "colours: ±10.20" */
  g_string_append_printf (note, _("colours: ±%s"), text);
}

/* Returns the footer note of a tile column, or NULL when there is none.
 * It names how many channels do not fit, the range of the input image's
 * values when they leave 0 to 1, which the grey levels clamp, and the
 * magnitude that scaled feature maps show in the full colours. */
char *
ls_render_dup_tiles_note (LsNetwork             *network,
                          const LsDiagramLayout *layout,
                          gsize                  c,
                          const LsRenderStyle   *style)
{
  const LsDiagramColumn *column = &layout->columns[c];
  g_autoptr(GString) note = g_string_new (NULL);

  if (style == NULL)
    style = ls_render_get_default_style ();

  if (!ls_diagram_column_shows_all (column))
    /* TRANSLATORS: channels of a layer whose tiles do not fit, e.g. "+8 more" */
    g_string_append_printf (note, _("+%zu more"), column->channels - column->n_tiles);

  if (c == 0 && column->color != LS_DIAGRAM_TILE_PALETTE)
    {
      const float *input = ls_network_get_input (network);  /* [units] */
      float min = INFINITY, max = -INFINITY;

      for (gsize i = 0; i < column->units; i++)
        {
          min = MIN (min, input[i]);
          max = MAX (max, input[i]);
        }

      if (min < 0.0f || max > 1.0f)
        {
          g_autofree char *low = ls_render_format_short_value (min);
          g_autofree char *high = ls_render_format_short_value (max);

          if (note->len > 0)
            g_string_append (note, " · ");
          /* TRANSLATORS: the range of an input image's values when the
           * grey levels cannot show all of them, e.g. "values −0.50 to 1.30, shown as 0 to 1" */
          g_string_append_printf (note, _("values %s to %s, shown as 0 to 1"), low, high);
        }
    }

  if (style->scale_feature_maps)
    append_feature_map_range (note, network, layout, c);

  if (note->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&note), FALSE);
}

/* Returns the note under a dense layer of which no connection is drawn
 * because none carries a signal: its input is all zeros, or each shown
 * value times its weight is 0. Returns NULL where a value is NaN, whose
 * products count as no signal as well. */
static char *
dup_no_signal_note (LsNetwork             *network,
                    const LsDiagramLayout *layout,
                    gsize                  c)
{
  const float *values = ls_render_get_column_values (network, c - 1);  /* [layer inputs] */
  g_autofree char *title = NULL;
  gboolean all_zero = TRUE;

  for (gsize i = 0; i < layout->columns[c - 1].units; i++)
    {
      if (isnan (values[i]))
        return NULL;
      all_zero &= values[i] == 0.0f;
    }

  if (!all_zero)
    /* TRANSLATORS: under a dense layer whose shown inputs each give a product of 0 */
    return g_strdup (_("No signal: each value shown × its weight is 0"));

  if (c == 1)
    return g_strdup (_("No signal: the input is all zeros"));

  title = ls_diagram_dup_column_title (network, c - 1);
  /* TRANSLATORS: under a dense layer whose input, the layer with this title, is 0 everywhere */
  return g_strdup_printf (_("No signal: %s is all zeros"), title);
}

/* Returns the note under a dense layer whose edges are ranked, e.g.
 * "100 of 7,840 connections shown", or where none carries a signal, why,
 * as dup_no_signal_note() does. NULL when every edge is drawn. */
char *
ls_render_dup_edges_note (LsNetwork             *network,
                          const LsDiagramLayout *layout,
                          gsize                  c)
{
  const GArray *edges = ls_diagram_layout_get_edges (layout, network, c);
  const LsLayer *layer;
  gsize total;
  g_autofree char *drawn_text = NULL;
  g_autofree char *total_text = NULL;

  if (edges == NULL || !ls_diagram_layout_ranks_edges (layout, c))
    return NULL;

  layer = ls_network_get_layer (network, c - 1);
  total = ls_layer_get_n_weights (layer);
  if (edges->len >= total)
    return NULL;

  if (edges->len == 0 && total > 0)
    {
      char *note = dup_no_signal_note (network, layout, c);

      if (note != NULL)
        return note;
    }

  drawn_text = ls_render_format_count (edges->len);
  total_text = ls_render_format_count (total);

  /* TRANSLATORS: how many connections of a dense layer the diagram draws, the
   * strongest ones, e.g. "100 of 7,840 connections shown" */
  return g_strdup_printf (_("%s of %s connections shown"), drawn_text, total_text);
}

/* Draws the button that shows all units of a compact column or packs
 * them again. */
static void
draw_expander (const LsDiagramPainter *p,
               const LsDiagramColumn  *column)
{
  const cairo_rectangle_t *button = &column->expander;
  g_autofree char *text = ls_diagram_dup_expander_text (column);

  ls_render_add_rounded_rectangle (p->cr, button->x, button->y, button->width, button->height,
                                   button->height / 2.0);
  ls_render_set_source_color (p->cr, &p->theme.track, 1.0);
  cairo_fill_preserve (p->cr);
  ls_render_set_source_color (p->cr, &p->theme.outline, 1.0);
  cairo_set_line_width (p->cr, p->layout->line_unit);
  cairo_stroke (p->cr);

  ls_render_set_source_color (p->cr, &p->theme.foreground, 1.0);
  pango_layout_set_width (p->text, (int) (MAX (button->width - 0.4 * button->height, 1.0) * PANGO_SCALE));
  pango_layout_set_ellipsize (p->text, PANGO_ELLIPSIZE_END);
  ls_render_show_text (p->cr, p->text, text, button->x + button->width / 2.0, button->y + button->height / 2.0,
                       0.5, 0.5);
  pango_layout_set_width (p->text, -1);
  pango_layout_set_ellipsize (p->text, PANGO_ELLIPSIZE_NONE);
}

/* Shows the note on unknown words under the token boxes of column c at
 * the caption size px. The note wraps between words into as many lines
 * as it needs, from the drawing's left margin to the first column right
 * of the boxes. The rows above leave the room under them free, because the
 * attention maps start under the next column. */
static void
show_tokens_note (const LsDiagramPainter *p,
                  gsize                   c,
                  const char             *note,
                  double                  y,
                  double                  px)
{
  const LsDiagramLayout *layout = p->layout;
  const LsDiagramColumn *column = &layout->columns[c];
  double left = LS_DIAGRAM_TEXT_MARGIN_EM * layout->font_px;
  double right = column->bounds.x + column->bounds.width;

  if (c + 1 < layout->n_columns)
    right = MAX (right, layout->columns[c + 1].bounds.x - LS_DIAGRAM_TEXT_GAP_EM * layout->font_px);
  left = MIN (left, column->bounds.x);

  ls_render_set_font (p->text, px, FALSE);
  pango_layout_set_width (p->text, (int) (MAX (right - left, px) * PANGO_SCALE));
  pango_layout_set_wrap (p->text, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (p->text, note, -1);
  cairo_move_to (p->cr, left, y);
  pango_cairo_show_layout (p->cr, p->text);
  pango_layout_set_width (p->text, -1);
  pango_layout_set_wrap (p->text, PANGO_WRAP_WORD);
}

/* Shows the first footer lines of a tile or bar column: its shape, and
 * the note of ls_render_dup_tiles_note(). Returns the y under the room
 * that the layout keeps for them. */
static double
draw_shape_lines (const LsDiagramPainter *p,
                  gsize                   c,
                  double                  y,
                  double                  px)
{
  const LsDiagramLayout *layout = p->layout;
  const LsDiagramColumn *column = &layout->columns[c];
  double line = ls_diagram_layout_get_footer_line_height (layout);
  g_autofree char *text = NULL;
  g_autofree char *note = NULL;

  if (column->kind == LS_DIAGRAM_SEQUENCE)
    {
      /* TRANSLATORS: the size of a token sequence, tokens × numbers per token, e.g. "5 × 16" */
      text = g_strdup_printf (_("%zu × %zu"), column->tokens, column->features);
      show_column_text (p, c, text, y, px, FALSE, 1, FALSE);
      return y + line;
    }

  if (column->kind == LS_DIAGRAM_TOKENS)
    {
      note = ls_render_dup_tokens_note (p->network);
      if (note != NULL)
        show_tokens_note (p, c, note, y, px);
      return y + 2.0 * line;
    }

  if (column->kind == LS_DIAGRAM_BAR)
    {
      /* TRANSLATORS: the size of a flatten layer's output, e.g. "784 values" */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu value", "%zu values", column->units),
                              column->units);
      show_column_text (p, c, text, y, px, FALSE, 1, FALSE);
      return y + line;
    }

  if (column->kind != LS_DIAGRAM_TILES)
    return y;

  text = ls_diagram_dup_shape_text (ls_network_get_layer_input_shape (p->network, c));
  show_column_text (p, c, text, y, px, FALSE, 1, FALSE);
  /* The note may wrap to two lines under any tile column: a network with
   * feature maps has an image input, for whose two-line note the layout
   * gives every column's footer room. */
  note = ls_render_dup_tiles_note (p->network, layout, c, p->style);
  if (note != NULL)
    show_column_text (p, c, note, y + line, px, FALSE, 2, FALSE);

  return y + (c == 0 ? 3.0 : 2.0) * line;
}

/* Shows the lines under a column: the shape of a tile or bar column,
 * how many tiles are left out or the input's range, the expander button,
 * and how many of the connections into it are drawn. */
static void
draw_footer (const LsDiagramPainter *p,
             gsize                   c)
{
  const LsDiagramLayout *layout = p->layout;
  const LsDiagramColumn *column = &layout->columns[c];
  double px = LS_DIAGRAM_FOOTER_EM * layout->font_px;
  double y = ls_diagram_layout_get_footer_top (layout, column);
  g_autofree char *note = NULL;

  ls_render_set_source_color (p->cr, &p->theme.secondary, 1.0);
  y = draw_shape_lines (p, c, y, px);

  /* a page keeps the button's place empty, under the column's "… N more …" */
  if (column->expandable)
    {
      ls_render_set_font (p->text, px, FALSE);
      if (!p->page)
        draw_expander (p, column);
      y = column->expander.y + column->expander.height +
          0.2 * ls_diagram_layout_get_footer_line_height (layout);
    }

  note = ls_render_dup_edges_note (p->network, layout, c);
  if (note != NULL)
    {
      ls_render_set_source_color (p->cr, &p->theme.secondary, 1.0);
      show_column_text (p, c, note, y, px, FALSE, 2, TRUE);
    }
}

static void
draw_footers (const LsDiagramPainter *p)
{
  for (gsize c = 0; c < p->layout->n_columns; c++)
    draw_footer (p, c);
}

/* Draws the colour ramp from −LS_PALETTE_RANGE to +LS_PALETTE_RANGE. Its
 * stops are the palette's anchors and the colours at half the range, and
 * Cairo blends between them in sRGB as ls_palette_get_scale_color() does. */
static void
draw_ramp (const LsDiagramPainter *p,
           double                  x,
           double                  y,
           double                  width,
           double                  height)
{
  cairo_pattern_t *ramp = cairo_pattern_create_linear (x, 0.0, x + width, 0.0);
  LsColor color;

  for (int stop = 0; stop <= 4; stop++)
    {
      ls_palette_get_scale_color ((stop - 2) * LS_PALETTE_RANGE / 2.0, p->style->high_contrast, &color);
      cairo_pattern_add_color_stop_rgb (ramp, stop / 4.0, color.red, color.green, color.blue);
    }

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
show_legend_text (const LsDiagramPainter *p,
                  const char             *string,
                  double                 *x,
                  double                  y,
                  double                  gap,
                  gboolean                caption)
{
  double width = ls_render_get_text_width (p->text, string);

  if (caption && *x + width > p->layout->width - 0.6 * p->layout->font_px)
    return;

  ls_render_show_text (p->cr, p->text, string, *x, y, 0.0, 0.5);
  *x += width + gap;
}

/* Draws a hatched sample and "not a number" at *x on a line centred at y,
 * and moves *x past them, unless they would cross the right edge. */
static void
draw_legend_not_a_number (const LsDiagramPainter *p,
                          double                  px,
                          double                 *x,
                          double                  y,
                          double                  gap)
{
  const char *text = _("not a number");
  double sample = 1.6 * px;

  if (*x + sample + 0.5 * px + ls_render_get_text_width (p->text, text) > p->layout->width - 0.6 * p->layout->font_px)
    return;

  cairo_rectangle (p->cr, *x, y - 0.4 * px, sample, 0.8 * px);
  ls_render_fill_not_a_number (p->cr, p->layout->line_unit);
  *x += sample + 0.5 * px;
  ls_render_set_source_color (p->cr, &p->theme.foreground, 1.0);
  show_legend_text (p, text, x, y, gap, FALSE);
}

/* Returns the label of one end of the colour ramp: "−1" or "+1". */
static char *
dup_ramp_end (gboolean high)
{
  return g_strdup_printf (high ? "+%g" : "\u2212%g", LS_PALETTE_RANGE);
}

/* Whether the drawing shows feature maps scaled per layer. */
static gboolean
shows_scaled_feature_maps (const LsDiagramPainter *p)
{
  if (!p->style->scale_feature_maps)
    return FALSE;

  for (gsize c = 0; c < p->layout->n_columns; c++)
    if (ls_render_column_has_feature_maps (p->layout, c))
      return TRUE;

  return FALSE;
}

/* Draws "Activation −1 [ramp] +1", whether feature maps are scaled per
 * layer, and what happens beyond the range. */
static void
draw_legend_colors (const LsDiagramPainter *p,
                    double                  px,
                    double                  y)
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
  if (p->output_lost)
    draw_legend_not_a_number (p, px, &x, y, 2.0 * gap);
  ls_render_set_source_color (p->cr, &p->theme.secondary, 1.0);
  if (shows_scaled_feature_maps (p))
    /* TRANSLATORS: shown when each layer's feature maps get the full
     * colours at their own largest magnitude, named under each layer */
    show_legend_text (p, _("(feature maps scaled per layer)"), &x, y, 2.0 * gap, TRUE);
  show_legend_text (p, beyond, &x, y, 0.0, TRUE);
}

/* Draws a solid and a dashed line sample with their meaning. */
static void
draw_legend_weights (const LsDiagramPainter *p,
                     double                  px,
                     double                  y)
{
  double gap = 0.5 * px;
  double x = 0.6 * p->layout->font_px;

  ls_render_stroke_edge (p, 1.0, x, y, x + 3.0 * px, y, 1.0, 0.0);
  x += 3.0 * px + gap;
  ls_render_set_source_color (p->cr, &p->theme.foreground, 1.0);
  show_legend_text (p, _("positive weight"), &x, y, 3.0 * gap, FALSE);

  ls_render_stroke_edge (p, -1.0, x, y, x + 3.0 * px, y, 1.0, 0.0);
  cairo_set_dash (p->cr, NULL, 0, 0.0);
  x += 3.0 * px + gap;
  ls_render_set_source_color (p->cr, &p->theme.foreground, 1.0);
  show_legend_text (p, _("negative weight"), &x, y, 3.0 * gap, FALSE);
  ls_render_draw_attention_legend (p, px, &x, y);

  ls_render_set_source_color (p->cr, &p->theme.secondary, 1.0);
  show_legend_text (p, _("(wider line: larger magnitude)"), &x, y, 0.0, TRUE);
}

/* Returns the legend's text size: 0.85 of the body text, or less where
 * its lines would be wider than the drawing without the captions, which
 * may be left out. The widths follow draw_legend_colors() and
 * draw_legend_weights(), where gaps, line samples and the ramp take 12
 * and 8.5 times the text size on the two lines, and the attention heads
 * at least ls_render_measure_attention_legend(). */
static double
get_legend_px (const LsDiagramPainter *p)
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
            ls_render_get_text_width (p->text, _("negative weight")) + 8.5 * px +
            ls_render_measure_attention_legend (p, px);

  if (MAX (colors, weights) > room && room > 0.0)
    px *= room / MAX (colors, weights);

  return px;
}

/* Explains the colours, dashes and widths in two lines at the bottom. */
static void
draw_legend (const LsDiagramPainter *p)
{
  double px = get_legend_px (p);
  double y = p->layout->legend_y + 0.65 * p->layout->font_px;

  ls_render_set_font (p->text, px, FALSE);
  draw_legend_colors (p, px, y);
  draw_legend_weights (p, px, y + 1.3 * p->layout->font_px);
}

/* Draws everything but the legend, in the order that puts each part over
 * the ones it must cover. */
static void
draw_diagram_parts (const LsDiagramPainter *p)
{
  const LsDiagramLayout *layout = p->layout;

  draw_headers (p);
  ls_render_draw_bundles (p);
  ls_render_draw_row_guides (p);
  ls_render_draw_edges (p);
  ls_render_draw_attention_arcs (p);
  ls_render_draw_grids (p);
  draw_neurons (p);
  ls_render_draw_row_selection (p);
  ls_render_draw_grid_selection (p);
  draw_selected_neuron (p);
  draw_hidden_names (p);
  draw_unit_labels (p, 0, layout->left_labels - 0.5 * layout->font_px, 1.0);
  if (layout->n_columns > 1)
    draw_unit_labels (p, layout->n_columns - 1, layout->right_labels - 0.5 * layout->font_px, 0.0);
  ls_render_draw_attention_maps (p);
  draw_footers (p);
}

/* Draws the network at the positions of layout, which must have been built
 * for the network's current structure. It only reads the network, and the
 * caller paints the background. page leaves out what only the window can
 * act on. */
static void
render_diagram (cairo_t               *cr,
                LsNetwork             *network,
                const LsDiagramLayout *layout,
                const LsSelection     *selection,
                const LsRenderStyle   *style,
                gboolean               page)
{
  static const LsSelection no_selection = { LS_SELECTION_NONE };
  g_autoptr(PangoLayout) text = NULL;
  LsDiagramPainter p;

  if (style == NULL)
    style = ls_render_get_default_style ();

  text = pango_cairo_create_layout (cr);
  p = (LsDiagramPainter) {
    .cr = cr, .network = network, .layout = layout, .style = style, .text = text,
    .selection = selection != NULL ? selection : &no_selection,
    .output_lost = ls_render_is_output_lost (network), .page = page,
    .pending_surfaces = g_ptr_array_new_with_free_func (ls_render_free_surfaces),
  };
  ls_render_get_style_theme (style, &p.theme);

  cairo_save (cr);
  /* Cairo 1.16's image backend strokes a dashed line twice as fast on the
   * 4 × 4 subpixel grid of CAIRO_ANTIALIAS_FAST as with the default, and
   * lines and circles look the same. Text keeps its own antialiasing.
   * docs/PERFORMANCE.md has the measurements. */
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_FAST);
  if (ls_render_has_dimming_highlights (style))
    cairo_push_group (cr);
  draw_diagram_parts (&p);
  ls_render_cover_pending_columns (&p);
  if (ls_render_has_dimming_highlights (style))
    {
      cairo_pattern_t *diagram = cairo_pop_group (cr);

      ls_render_paint_highlights (&p, diagram);
      cairo_pattern_destroy (diagram);
    }
  ls_render_draw_highlight_glows (&p);
  ls_render_draw_step_frame (&p);
  draw_legend (&p);
  cairo_restore (cr);
  g_ptr_array_unref (p.pending_surfaces);
}

void
ls_render_diagram (cairo_t               *cr,
                   LsNetwork             *network,
                   const LsDiagramLayout *layout,
                   const LsSelection     *selection,
                   const LsRenderStyle   *style)
{
  g_return_if_fail (cr != NULL);
  g_return_if_fail (LS_IS_NETWORK (network));
  g_return_if_fail (layout != NULL);
  g_return_if_fail (ls_diagram_layout_matches (layout, network));

  render_diagram (cr, network, layout, selection, style, FALSE);
}

void
ls_render_diagram_page (cairo_t               *cr,
                        LsNetwork             *network,
                        const LsDiagramLayout *layout,
                        const LsRenderStyle   *style)
{
  g_return_if_fail (cr != NULL);
  g_return_if_fail (LS_IS_NETWORK (network));
  g_return_if_fail (layout != NULL);
  g_return_if_fail (ls_diagram_layout_matches (layout, network));

  render_diagram (cr, network, layout, NULL, style, TRUE);
}
