/* ls-render-bars.c: drawing the output values as labelled bars
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-render"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ls-explain.h"
#include "ls-number.h"
#include "ls-render-private.h"

/* The bars need about this many times the body text size across. In a
 * narrower area the text shrinks to fit, down to the smaller of
 * LS_RENDER_MIN_FONT_PX and the requested size. */
#define BARS_MIN_WIDTH_EM 10.0

/* Class-coloured bars at or above this relative luminance, such as the
 * yellow of class 4 or a lighter bar that is not emphasised, get a darker
 * outline, because the light theme's track is light grey. */
#define BAR_OUTLINE_LUMINANCE 0.6

/* How the bars read the output layer. Softmax outputs are probabilities
 * that sum to 1, sigmoid outputs are probabilities of their own, and any
 * other activation gives plain values, scaled to the largest magnitude.
 * An output with a row per token is no single prediction, so it gets a
 * note in place of bars. */
typedef enum
{
  BARS_SOFTMAX,
  BARS_SIGMOID,
  BARS_VALUES,
  BARS_PER_TOKEN,
} BarsMode;

/* State of one ls_render_bars() call, passed to its steps. */
typedef struct
{
  cairo_t *cr;
  LsNetwork *network;
  PangoLayout *text;
  LsRenderTheme theme;
  double width;
  double font_px;
  gboolean high_contrast;
  gboolean pending;     /* the forward pass has not reached the output */
  double line_px;       /* the thin lines: a bar's outline and the 0 tick */

  BarsMode mode;
  const float *values;  /* [n_values], the output layer's activation */
  gsize n_values;
  char *max_text;       /* the largest output as its row shows it */
  gsize n_tied;         /* outputs whose rows show max_text */
  double scale;         /* BARS_VALUES: the largest magnitude */
  gboolean centred;     /* BARS_VALUES: a zero line in the middle for negative values */
} BarsPainter;

static char *
format_bar_value (const BarsPainter *b,
                  double             value)
{
  if (b->mode == BARS_VALUES)
    return ls_format_value (value);

  return ls_format_percent (value);
}

/* Reads the output layer into b, whose max_text the caller frees with
 * clear_bars_painter(). */
static void
init_bars_painter (BarsPainter *b,
                   LsNetwork   *network)
{
  const LsLayer *output = ls_network_get_output_layer (network);
  gsize winner = 0;

  b->mode = BARS_VALUES;
  if (ls_layer_is_sequence (output))
    b->mode = BARS_PER_TOKEN;
  else if (output->activation == LS_ACTIVATION_SOFTMAX)
    b->mode = BARS_SOFTMAX;
  else if (output->activation == LS_ACTIVATION_SIGMOID)
    b->mode = BARS_SIGMOID;

  b->values = ls_network_get_output (network);
  b->n_values = ls_network_get_output_size (network);
  b->scale = 0.0;
  b->centred = FALSE;
  for (gsize i = 0; i < b->n_values; i++)
    {
      if (b->values[i] > b->values[winner])
        winner = i;
      b->scale = MAX (b->scale, fabs (b->values[i]));
      b->centred |= b->values[i] < 0;
    }

  b->max_text = format_bar_value (b, b->values[winner]);
  b->n_tied = 0;
  for (gsize i = 0; i < b->n_values; i++)
    {
      g_autofree char *text = format_bar_value (b, b->values[i]);

      b->n_tied += g_str_equal (text, b->max_text);
    }
}

static void
clear_bars_painter (BarsPainter *b)
{
  g_clear_pointer (&b->max_text, g_free);
}

/* Softmax and plain values emphasise the largest output and every output
 * that shows the same number. When all outputs show it, none is
 * emphasised, because none is the prediction. Sigmoid outputs are separate
 * yes/no decisions, so every one at or above 50 % is emphasised. text is
 * the unit's value as its row shows it. */
static gboolean
is_bar_emphasised (const BarsPainter *b,
                   gsize              unit,
                   const char        *text)
{
  if (b->mode == BARS_SIGMOID)
    return b->values[unit] >= 0.5f;

  return b->n_tied < b->n_values && g_str_equal (text, b->max_text);
}

/* Returns the caption for plain values, with the value of a full bar. */
static char *
dup_values_caption (const BarsPainter *b)
{
  LsActivation activation = ls_network_get_output_layer (b->network)->activation;
  g_autofree char *scale = ls_format_value (b->scale);

  if (b->centred)
    /* TRANSLATORS: the output activation and the largest magnitude, e.g.
     * "Identity values: 0 in the middle, ±2.31 at the ends" */
    return g_strdup_printf (_("%s values: 0 in the middle, ±%s at the ends"),
                            ls_activation_get_display_name (activation), scale);

  /* TRANSLATORS: the output activation and the value at a full bar, e.g. "Identity values, full bar = 2.31" */
  return g_strdup_printf (_("%s values, full bar = %s"),
                          ls_activation_get_display_name (activation), scale);
}

/* Returns the heading and the caption under it that explains how to read
 * the bars. */
static void
get_bars_heading (const BarsPainter  *b,
                  char              **heading,
                  char              **caption)
{
  switch (b->mode)
    {
    case BARS_SOFTMAX:
      *heading = g_strdup (_("Prediction"));
      if (b->n_values == 1)
        *caption = g_strdup (_("Softmax of one output is always 100 %. Add outputs to compare them."));
      else
        *caption = g_strdup (_("Softmax probabilities"));
      break;

    case BARS_SIGMOID:
      *heading = g_strdup (_("Outputs"));
      *caption = g_strdup (_("Sigmoid: each output is a probability on its own"));
      break;

    case BARS_PER_TOKEN:
      *heading = g_strdup (_("No single prediction"));
      *caption = g_strdup (_("The output has one row per token, so it is not one prediction. Add token "
                             "pooling before the last layer to get one prediction for the whole text."));
      break;

    case BARS_VALUES:
    default:
      *heading = g_strdup (_("Outputs"));
      *caption = dup_values_caption (b);
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

/* Draws one output's label and value on a line from y down, both in bold
 * when emphasised. */
static void
draw_bar_text (const BarsPainter *b,
               gsize              unit,
               const char        *text,
               gboolean           emphasised,
               double             y)
{
  double pad = 0.8 * b->font_px;
  double inner = b->width - 2.0 * pad;
  g_autofree char *label = ls_explain_neuron_name (b->network, ls_network_get_n_layers (b->network), unit);
  double value_width;

  ls_render_set_font (b->text, b->font_px, emphasised);
  ls_render_set_source_color (b->cr, &b->theme.foreground, 1.0);
  value_width = ls_render_get_text_width (b->text, text);
  ls_render_show_text (b->cr, b->text, text, b->width - pad, y, 1.0, 0.0);
  pango_layout_set_width (b->text, (int) (MAX (inner - value_width - pad, 1.0) * PANGO_SCALE));
  pango_layout_set_ellipsize (b->text, PANGO_ELLIPSIZE_END);
  ls_render_show_text (b->cr, b->text, label, pad, y, 0.0, 0.0);
  pango_layout_set_width (b->text, -1);
  pango_layout_set_ellipsize (b->text, PANGO_ELLIPSIZE_NONE);
}

/* Whether each bar takes its class's colour of the decision map: for a
 * softmax over 2 to LS_RENDER_CLASS_COLORS classes, where the colours do
 * not repeat. */
static gboolean
uses_class_colors (const BarsPainter *b)
{
  return b->mode == BARS_SOFTMAX && b->n_values >= 2 && b->n_values <= LS_RENDER_CLASS_COLORS;
}

/* Sets color to the bar's colour: its class's colour or the value
 * scale's end for the value's sign, halfway to the neutral colour when
 * the bar is not emphasised. */
static void
get_bar_color (const BarsPainter *b,
               gsize              unit,
               double             value,
               gboolean           emphasised,
               LsColor           *color)
{
  LsColor neutral;

  if (!uses_class_colors (b))
    {
      ls_palette_get_scale_color ((value < 0 ? -1.0 : 1.0) * (emphasised ? LS_PALETTE_RANGE : 0.5 * LS_PALETTE_RANGE),
                                  b->high_contrast, color);
      return;
    }

  ls_render_get_class_color (unit, color);
  if (emphasised)
    return;

  ls_color_init_rgb (&neutral, LS_PALETTE_NEUTRAL_RGB);
  color->red = 0.5 * (color->red + neutral.red);
  color->green = 0.5 * (color->green + neutral.green);
  color->blue = 0.5 * (color->blue + neutral.blue);
}

/* Draws the track and the bar of one output with its top at y: the
 * emphasised bars in full colour, the others lighter. A bar too light to
 * stand out from a light track gets a darker outline, and a track with 0
 * in the middle gets a tick there. */
static void
draw_bar (const BarsPainter *b,
          gsize              unit,
          double             value,
          gboolean           emphasised,
          double             y)
{
  double pad = 0.8 * b->font_px;
  double inner = b->width - 2.0 * pad;
  double height = 0.75 * b->font_px;
  double start, end;
  LsColor color;

  ls_render_add_rounded_rectangle (b->cr, pad, y, inner, height, height / 4.0);
  ls_render_set_source_color (b->cr, &b->theme.track, 1.0);
  cairo_fill (b->cr);

  if (b->mode == BARS_VALUES && b->centred)
    {
      ls_render_set_source_color (b->cr, &b->theme.secondary, 1.0);
      cairo_rectangle (b->cr, pad + 0.5 * inner - 0.5 * b->line_px, y - 0.15 * height, b->line_px, 1.3 * height);
      cairo_fill (b->cr);
    }

  get_bar_extent (b, value, &start, &end);
  if (end <= start)
    return;

  get_bar_color (b, unit, value, emphasised, &color);
  ls_render_add_rounded_rectangle (b->cr, pad + start * inner, y, (end - start) * inner, height, height / 4.0);
  ls_render_set_source_color (b->cr, &color, 1.0);
  if (!uses_class_colors (b) || ls_color_get_luminance (&color) < BAR_OUTLINE_LUMINANCE)
    {
      cairo_fill (b->cr);
      return;
    }

  cairo_fill_preserve (b->cr);
  color.red *= 0.6;
  color.green *= 0.6;
  color.blue *= 0.6;
  ls_render_set_source_color (b->cr, &color, 1.0);
  cairo_set_line_width (b->cr, b->line_px);
  cairo_stroke (b->cr);
}

/* Draws one output: its label and value on a line, the bar under them.
 * Before the forward pass reaches the output, the row shows only the
 * label and an empty track. */
static void
draw_bar_row (const BarsPainter *b,
              gsize              unit,
              double             y)
{
  g_autofree char *text = format_bar_value (b, b->values[unit]);
  gboolean emphasised = is_bar_emphasised (b, unit, text);

  if (b->pending)
    {
      draw_bar_text (b, unit, "", FALSE, y);
      draw_bar (b, unit, 0.0, FALSE, y + 1.35 * b->font_px);
      return;
    }

  draw_bar_text (b, unit, text, emphasised, y);
  draw_bar (b, unit, b->values[unit], emphasised, y + 1.35 * b->font_px);
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

  /* the values are not computed yet, so they pick no rows */
  if (b->n_values <= max_rows || b->pending)
    return MIN (b->n_values, max_rows);

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
  if (b->pending)
    {
      g_free (caption);
      caption = g_strdup (_("Not computed yet: the forward pass has not reached the output layer."));
    }

  if (draw)
    {
      ls_render_set_font (b->text, 1.1 * b->font_px, TRUE);
      ls_render_set_source_color (b->cr, &b->theme.foreground, 1.0);
      ls_render_show_text (b->cr, b->text, heading, pad, y, 0.0, 0.0);
    }
  y += 1.45 * b->font_px;

  caption_height = set_bars_caption (b, caption);
  if (draw)
    {
      ls_render_set_source_color (b->cr, &b->theme.secondary, 1.0);
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
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The %zu largest of %zu outputs",
                                       "The %zu largest of %zu outputs", b->n_values),
                          n_rows, b->n_values);
  ls_render_set_font (b->text, 0.85 * b->font_px, FALSE);
  ls_render_set_source_color (b->cr, &b->theme.secondary, 1.0);
  ls_render_show_text (b->cr, b->text, text, 0.8 * b->font_px, y, 0.0, 0.0);
}

/* Returns the body text size for bars width pixels wide. */
static double
get_bars_font_px (double               width,
                  double               height,
                  const LsRenderStyle *style)
{
  double font_px = ls_render_get_font_px (height, style);

  return MAX (MIN (font_px, width / BARS_MIN_WIDTH_EM), MIN (font_px, LS_RENDER_MIN_FONT_PX));
}

/* Draws the rows from y down, and the footer when not every row fits
 * above height. */
static void
draw_bar_rows (const BarsPainter *b,
               double             y,
               double             height)
{
  double row_height = BARS_ROW_EM * b->font_px;
  g_autofree gsize *order = g_new (gsize, b->n_values);  /* [n_values], units in drawing order */
  gsize max_rows = b->n_values;
  gsize n_rows;

  /* When not every row fits, fewer rows leave room for the footer line. */
  if (y + (double) b->n_values * row_height > height)
    max_rows = (gsize) MAX (floor ((height - y - BARS_FOOTER_EM * b->font_px) / row_height), 1.0);

  n_rows = choose_bar_rows (b, max_rows, order);
  for (gsize i = 0; i < n_rows; i++)
    draw_bar_row (b, order[i], y + (double) i * row_height);
  if (n_rows < b->n_values)
    draw_bars_footer (b, n_rows, y + (double) n_rows * row_height);
}

/* A weighted sum beyond the float range makes every later value NaN or
 * infinite, or finite but meaningless, as softmax gives 0 and 1 for
 * logits of −∞ and a finite one. So after any overflow the bars show a
 * message instead, and the diagram the output layer's values as NaN. */
gboolean
ls_render_is_output_lost (LsNetwork *network)
{
  g_return_val_if_fail (LS_IS_NETWORK (network), FALSE);

  return ls_network_find_non_finite (network, NULL);
}

/* Paints the bars, drawn into a group, at full opacity with a glow
 * around them when the style highlights the output column, and else
 * dimmed as the diagram dims what is not highlighted. */
static void
paint_bars_emphasis (const BarsPainter   *b,
                     const LsRenderStyle *style,
                     double               height)
{
  cairo_pattern_t *bars = cairo_pop_group (b->cr);
  double inset = MAX (0.25 * b->font_px, 2.0 * b->line_px);

  cairo_set_source (b->cr, bars);
  if (!ls_render_is_column_highlighted (style, ls_network_get_n_layers (b->network)))
    {
      cairo_paint_with_alpha (b->cr, LS_RENDER_DIMMED_ALPHA);
      cairo_pattern_destroy (bars);
      return;
    }

  cairo_paint (b->cr);
  cairo_pattern_destroy (bars);
  ls_render_add_rounded_rectangle (b->cr, inset, inset, b->width - 2.0 * inset, height - 2.0 * inset,
                                   0.5 * b->font_px);
  ls_render_stroke_glow (b->cr, &b->theme, MAX (b->line_px, 0.2 * b->font_px));
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
  BarsPainter b;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (LS_IS_NETWORK (network));

  if (style == NULL)
    style = ls_render_get_default_style ();
  if (ls_network_get_n_layers (network) == 0 || width <= 0 || height <= 0)
    return;

  text = pango_cairo_create_layout (cr);
  b = (BarsPainter) {
    .cr = cr, .network = network, .text = text, .width = width,
    .font_px = get_bars_font_px (width, height, style),
    .high_contrast = style->high_contrast,
    .pending = ls_render_is_column_pending (style, ls_network_get_n_layers (network)),
    .line_px = style->presenter || style->high_contrast ? LS_RENDER_PRESENTER_MIN_LINE_PX : 1.0,
  };
  ls_render_get_style_theme (style, &b.theme);

  /* Bars of NaN or infinity would mislead, so a message explains the overflow instead. */
  if (ls_render_is_output_lost (network))
    {
      ls_render_set_font (text, b.font_px, FALSE);
      pango_layout_set_width (text, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (text, PANGO_WRAP_WORD_CHAR);
      ls_render_set_source_color (cr, &b.theme.foreground, 1.0);
      ls_render_show_text (cr, text, _("No output: a weighted sum went beyond the float range "
                                       "(about ±3.4e38), so the values are not numbers."),
                           0.0, 0.0, 0.0, 0.0);
      return;
    }

  init_bars_painter (&b, network);

  cairo_save (cr);
  if (ls_render_has_highlights (style))
    cairo_push_group (cr);
  if (b.mode == BARS_PER_TOKEN)
    lay_out_bars_heading (&b, TRUE);
  else
    draw_bar_rows (&b, lay_out_bars_heading (&b, TRUE), height);
  if (ls_render_has_highlights (style))
    paint_bars_emphasis (&b, style, height);
  cairo_restore (cr);
  clear_bars_painter (&b);
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
  double height;

  g_return_val_if_fail (LS_IS_NETWORK (network), 0.0);
  g_return_val_if_fail (style != NULL && style->font_px > 0.0, 0.0);

  if (ls_network_get_n_layers (network) == 0)
    return 0.0;

  text = ls_render_create_measure_layout ();
  b = (BarsPainter) {
    .network = network, .text = text, .width = MAX (width, 1.0),
    .font_px = get_bars_font_px (MAX (width, 1.0), 0.0, style),
    .pending = ls_render_is_column_pending (style, ls_network_get_n_layers (network)),
  };
  init_bars_painter (&b, network);
  n_rows = b.mode == BARS_PER_TOKEN ? 0 : MIN (b.n_values, MAX (max_rows, 1));

  /* the last row needs no gap below it, but the footer needs its line */
  height = lay_out_bars_heading (&b, FALSE) + (double) n_rows * BARS_ROW_EM * b.font_px +
           (n_rows > 0 && n_rows < b.n_values ? BARS_FOOTER_EM * b.font_px : 0.0);
  clear_bars_painter (&b);

  return height;
}

char *
ls_render_dup_bars_caption (LsNetwork *network)
{
  BarsPainter b = { .network = network };
  g_autofree char *heading = NULL;
  char *caption;

  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);
  g_return_val_if_fail (ls_network_get_n_layers (network) > 0, NULL);

  init_bars_painter (&b, network);
  get_bars_heading (&b, &heading, &caption);
  clear_bars_painter (&b);

  return caption;
}

char *
ls_render_dup_bar_text (LsNetwork *network,
                        gsize      unit)
{
  BarsPainter b = { .network = network };
  char *text;

  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);
  g_return_val_if_fail (ls_network_get_n_layers (network) > 0, NULL);
  g_return_val_if_fail (unit < ls_network_get_output_size (network), NULL);

  init_bars_painter (&b, network);
  text = format_bar_value (&b, b.values[unit]);
  clear_bars_painter (&b);

  return text;
}
