/* ls-diagram-layout.c: where every column, neuron and tile of the diagram goes
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
/* At most about this many edges are drawn between columns that show all
 * their units, so a redraw stays cheap. */
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
/* Next to columns of tiles, squares or bars, a gap of weight 1 is at
 * least this many times the body text size, and all gaps together take
 * at least MIN_GAP_FRACTION of the width. In a narrow drawing, where
 * that many text sizes would leave the tiles no room, the minimum is
 * MAX_MIN_GAP_FRACTION of the width instead. */
#define MIN_GAP_EM 2.0
#define MIN_GAP_FRACTION 0.25
#define MAX_MIN_GAP_FRACTION 0.5
/* The input image's tiles are this many times larger than feature-map
 * tiles, where the band's height allows. */
#define INPUT_TILE_FACTOR 1.8
/* A gap with the connections of a dense layer is this many times wider
 * than one with the bundle of another kind of layer, which needs less
 * room. */
#define EDGE_GAP_WEIGHT 3.0
/* Room over the column titles for the caption of a forward-pass step, in
 * body text sizes: one line of bold text on a tab, see ls_render_draw_step_frame(). */
#define STEP_CAPTION_EM 1.6
/* Footer lines are this many times their text size apart, and the
 * expander button this many times high. */
#define FOOTER_LINE_EM 1.3
#define EXPANDER_EM 1.7
/* Footer text starts this many times the body text size under a column. */
#define FOOTER_GAP_EM 0.35
/* The arcs of an attention layer get a gap this many times wider than
 * the row guides of the other token layers. */
#define ATTENTION_GAP_WEIGHT 3.0

/* Whether a NEURONS column hides some of its units in an ellipsis. */
gboolean
ls_diagram_column_is_compact (const LsDiagramColumn *column)
{
  return column->kind == LS_DIAGRAM_NEURONS && column->n_head + column->n_tail < column->units;
}

gsize
ls_diagram_column_get_n_slots (const LsDiagramColumn *column)
{
  return column->n_head + column->n_tail + (ls_diagram_column_is_compact (column) ? 1 : 0);
}

gboolean
ls_diagram_column_shows_all (const LsDiagramColumn *column)
{
  switch (column->kind)
    {
    case LS_DIAGRAM_NEURONS:
      return !ls_diagram_column_is_compact (column);

    case LS_DIAGRAM_TILES:
      return column->n_tiles == (column->color == LS_DIAGRAM_TILE_RGB ? 1 : column->channels);

    case LS_DIAGRAM_PACKED:
    case LS_DIAGRAM_BAR:
    default:
      return TRUE;
    }
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

/* Chooses how a column is drawn: images and feature maps as tiles, a
 * flatten layer as a bar, and everything else as neurons, or as packed
 * squares where a compact column was expanded. */
static void
init_column (LsDiagramLayout *layout,
             LsNetwork       *network,
             gsize            c,
             const gboolean  *expanded,
             gsize            n_expanded)
{
  LsDiagramColumn *column = &layout->columns[c];
  const LsShape *shape = ls_network_get_layer_input_shape (network, c);

  column->units = ls_shape_get_size (shape);
  column->kind = LS_DIAGRAM_NEURONS;
  column->gap_weight = ls_diagram_has_edges_into (network, c) ? EDGE_GAP_WEIGHT : 1.0;
  if (c > 0 && ls_network_get_layer (network, c - 1)->kind == LS_LAYER_ATTENTION)
    column->gap_weight = ATTENTION_GAP_WEIGHT;

  if (c == 0 && ls_network_has_token_input (network))
    {
      column->kind = LS_DIAGRAM_TOKENS;
      column->tokens = column->units;
      column->features = 1;
      return;
    }

  if (shape->rank == 2)
    {
      column->kind = LS_DIAGRAM_SEQUENCE;
      column->tokens = shape->dims[0];
      column->features = shape->dims[1];
      return;
    }

  if (shape->rank == 3)
    {
      LsDiagramTileColor color = LS_DIAGRAM_TILE_PALETTE;

      if (c == 0)
        color = shape->dims[0] == 3 ? LS_DIAGRAM_TILE_RGB : LS_DIAGRAM_TILE_GREY;
      ls_diagram_grid_init_column (column, shape, color);
      return;
    }

  if (c > 0 && ls_network_get_layer (network, c - 1)->kind == LS_LAYER_FLATTEN)
    {
      column->kind = LS_DIAGRAM_BAR;
      return;
    }

  if (column->units > WHOLE_COLUMN_UNITS && c < n_expanded && expanded[c])
    column->kind = LS_DIAGRAM_PACKED;
}

/* Whether a neuron column may turn out compact, or is expanded, so that
 * the footer needs room for an expander button. */
static gboolean
may_be_expandable (const LsDiagramColumn *column)
{
  return (column->kind == LS_DIAGRAM_NEURONS || column->kind == LS_DIAGRAM_PACKED) &&
         column->units > WHOLE_COLUMN_UNITS;
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
    {
      const LsDiagramColumn *column = &layout->columns[c];
      const LsShape *shape = ls_network_get_layer_input_shape (network, c);

      if (column->units != ls_shape_get_size (shape) ||
          (column->kind == LS_DIAGRAM_TILES) != (shape->rank == 3) ||
          (column->kind == LS_DIAGRAM_SEQUENCE) != (shape->rank == 2) ||
          (column->kind == LS_DIAGRAM_TOKENS) != (c == 0 && ls_network_has_token_input (network)))
        return FALSE;

      if (column->kind == LS_DIAGRAM_SEQUENCE && column->features != shape->dims[1])
        return FALSE;

      if (column->kind == LS_DIAGRAM_TILES &&
          (column->channels != shape->dims[0] || column->height != shape->dims[1] ||
           column->width != shape->dims[2]))
        return FALSE;
    }

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

/* Returns a shape as the diagram writes it, e.g. "8 × 28 × 28". */
char *
ls_diagram_dup_shape_text (const LsShape *shape)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < shape->rank; i++)
    g_string_append_printf (text, i == 0 ? "%" G_GSIZE_FORMAT : " × %" G_GSIZE_FORMAT, shape->dims[i]);

  return g_string_free (text, FALSE);
}

static char *
dup_input_subtitle (LsNetwork *network)
{
  const LsShape *shape = ls_network_get_input_shape (network);
  g_autofree char *dims = NULL;

  if (ls_network_has_token_input (network))
    /* TRANSLATORS: the input of a text network, e.g. "5 tokens" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu token", "%zu tokens", shape->dims[0]),
                            shape->dims[0]);

  if (shape->rank == 3 && shape->dims[0] == 1)
    return g_strdup (_("Grey image"));
  if (shape->rank == 3 && shape->dims[0] == 3)
    return g_strdup (_("RGB image"));
  if (shape->rank == 3)
    /* TRANSLATORS: an input image with this many channels, shown one tile per channel */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Image, %zu channel", "Image, %zu channels",
                                         shape->dims[0]),
                            shape->dims[0]);

  dims = ls_diagram_dup_shape_text (shape);

  /* TRANSLATORS: the input size, e.g. "3 values" or "28 × 28 values" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s value", "%s values",
                                       ls_shape_get_size (shape)),
                          dims);
}

/* Returns the second title line: "3 values" or "Grey image" for the
 * input, "Dense 4 · ReLU", "Convolution 3×3 · ReLU", "Max pooling 2×2"
 * or "Flatten" for a layer. Feature-map sizes go under the columns. */
char *
ls_diagram_dup_column_subtitle (LsNetwork *network,
                                gsize      column)
{
  const LsLayer *layer;

  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);

  if (column == 0)
    return dup_input_subtitle (network);

  layer = ls_network_get_layer (network, column - 1);
  switch (layer->kind)
    {
    case LS_LAYER_CONV2D:
      /* TRANSLATORS: layer kind, kernel height and width, and activation, e.g. "Convolution 3×3 · ReLU" */
      return g_strdup_printf (_("%s %zu×%zu · %s"), ls_layer_kind_get_display_name (layer->kind),
                              layer->window.kernel[0], layer->window.kernel[1],
                              ls_activation_get_display_name (layer->activation));

    case LS_LAYER_MAXPOOL2D:
    case LS_LAYER_AVGPOOL2D:
      /* TRANSLATORS: layer kind and window height and width, e.g. "Max pooling 2×2" */
      return g_strdup_printf (_("%s %zu×%zu"), ls_layer_kind_get_display_name (layer->kind),
                              layer->window.kernel[0], layer->window.kernel[1]);

    case LS_LAYER_FLATTEN:
      return g_strdup (ls_layer_kind_get_display_name (layer->kind));

    case LS_LAYER_EMBEDDING:
    case LS_LAYER_POSITIONAL:
    case LS_LAYER_LAYERNORM:
    case LS_LAYER_POOL_TOKENS:
      return ls_diagram_dup_token_layer_subtitle (layer);

    case LS_LAYER_ATTENTION:
      /* TRANSLATORS: an attention layer and its number of heads, e.g. "Attention · 2 heads" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %zu head", "%s · %zu heads", layer->heads),
                              ls_layer_kind_get_display_name (layer->kind), layer->heads);

    case LS_LAYER_DENSE:
      if (ls_layer_is_sequence (layer))
        /* TRANSLATORS: a dense layer applied to each token on its own, with
         * its unit count and activation, e.g. "Dense 16 · ReLU, per token" */
        return g_strdup_printf (_("%s %zu · %s, per token"), ls_layer_kind_get_display_name (layer->kind),
                                layer->units, ls_activation_get_display_name (layer->activation));
      G_GNUC_FALLTHROUGH;

    case LS_N_LAYER_KINDS:
    default:
      /* TRANSLATORS: layer kind, unit count and activation, e.g. "Dense 4 · ReLU" */
      return g_strdup_printf (_("%s %zu · %s"),
                              ls_layer_kind_get_display_name (layer->kind),
                              ls_layer_get_outputs (layer),
                              ls_activation_get_display_name (layer->activation));
    }
}

/* Returns the label of a column's expander button. */
char *
ls_diagram_dup_expander_text (const LsDiagramColumn *column)
{
  if (column->kind == LS_DIAGRAM_PACKED)
    return g_strdup (_("Show fewer"));

  /* TRANSLATORS: a button under a column that shows only some of its units */
  return g_strdup_printf (_("Show all %zu"), column->units);
}

/* Chooses which units a column shows, given the most slots that fit. */
static void
choose_column_slots (LsDiagramColumn *column,
                     gsize            slot_limit)
{
  gsize slots;

  if (column->units <= WHOLE_COLUMN_UNITS ||
      (column->units <= LS_DIAGRAM_COMPACT_UNITS && column->units <= slot_limit))
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
 * label and column subtitle, and the width of every title and subtitle.
 * find_widest_texts() finds them at the requested text size, and each
 * other size tried measures only these. */
typedef struct
{
  PangoLayout *pango;   /* for measuring */
  char *input_label;    /* NULL when the input is not drawn as neurons */
  char *output_label;   /* NULL without layers or neurons at the output */
  char *subtitle;
  double *title_widths;     /* [n_columns], in units of the body text size */
  double *title_word_widths;/* [n_columns], the widest word of each title,
                             * in units of the body text size */
  double *subtitle_widths;  /* [n_columns], in units of the body text size */
} WidestTexts;

static void
clear_widest_texts (WidestTexts *texts)
{
  g_clear_object (&texts->pango);
  g_clear_pointer (&texts->input_label, g_free);
  g_clear_pointer (&texts->output_label, g_free);
  g_clear_pointer (&texts->subtitle, g_free);
  g_clear_pointer (&texts->title_widths, g_free);
  g_clear_pointer (&texts->title_word_widths, g_free);
  g_clear_pointer (&texts->subtitle_widths, g_free);
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

/* Returns the widest label that a neuron column can show, or NULL for
 * the other kinds. The slots are not chosen yet, so this measures every
 * unit that any choice could show: all of a column that may be shown
 * whole, else the first and last COMPACT_SLOTS. */
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

  if (layout->columns[column].kind != LS_DIAGRAM_NEURONS)
    return NULL;

  for (gsize unit = 0; unit < units; unit++)
    {
      if (units > LS_DIAGRAM_COMPACT_UNITS && unit == COMPACT_SLOTS)
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
  texts->title_widths = g_new (double, layout->n_columns);
  texts->title_word_widths = g_new (double, layout->n_columns);
  texts->subtitle_widths = g_new (double, layout->n_columns);
  for (gsize c = 0; c < layout->n_columns; c++)
    {
      g_autofree char *title = ls_diagram_dup_column_title (network, c);
      g_autofree char *subtitle = ls_diagram_dup_column_subtitle (network, c);
      int title_width;

      ls_render_set_font (texts->pango, LS_DIAGRAM_TITLE_EM * px, TRUE);
      pango_layout_set_text (texts->pango, title, -1);
      pango_layout_get_pixel_size (texts->pango, &title_width, NULL);
      texts->title_widths[c] = title_width / px;
      texts->title_word_widths[c] = ls_render_get_widest_word_width (texts->pango, title) / px;
      texts->subtitle_widths[c] = measure_text (texts->pango, subtitle, LS_DIAGRAM_SUBTITLE_EM * px) / px;
      keep_wider (texts->pango, g_steal_pointer (&subtitle), LS_DIAGRAM_SUBTITLE_EM * px,
                  &texts->subtitle, &width);
    }
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
  *left = 0.0;
  if (texts->input_label != NULL)
    *left = get_label_margin (layout, measure_text (texts->pango, texts->input_label, layout->font_px));
  *right = 0.0;
  if (texts->output_label != NULL)
    *right = get_label_margin (layout, measure_text (texts->pango, texts->output_label, layout->font_px));
}

/* Returns how many lines the subtitles need: 2 when the widest is wider
 * than an estimate of the column spacing and has to wrap, else 1. */
static int
estimate_subtitle_lines (const LsDiagramLayout *layout,
                         const WidestTexts     *texts)
{
  double span = layout->width - 1.2 * layout->font_px - layout->left_labels - layout->right_labels;
  double spacing = span / (double) MAX (layout->n_columns - 1, 1);
  double width = measure_text (texts->pango, texts->subtitle, LS_DIAGRAM_SUBTITLE_EM * layout->font_px);

  return width > LS_DIAGRAM_HEADER_WIDTH * spacing ? 2 : 1;
}

/* Finds the part of the drawing's width that the titles and footer lines
 * of a column may take. It reaches halfway to the centre of the column on
 * either side, or to the drawing's margin at the ends, less half a gap of
 * LS_DIAGRAM_TEXT_GAP_EM of the text size towards each neighbour. */
void
ls_diagram_layout_get_text_span (const LsDiagramLayout *layout,
                                 gsize                  column,
                                 double                *left,
                                 double                *right)
{
  double margin = LS_DIAGRAM_TEXT_MARGIN_EM * layout->font_px;
  double half_gap = LS_DIAGRAM_TEXT_GAP_EM * layout->font_px / 2.0;
  const LsDiagramColumn *columns = layout->columns;

  g_return_if_fail (column < layout->n_columns);

  *left = margin;
  if (column > 0)
    *left = MAX (*left, (columns[column - 1].x + columns[column].x) / 2.0 + half_gap);

  *right = layout->width - margin;
  if (column + 1 < layout->n_columns)
    *right = MIN (*right, (columns[column].x + columns[column + 1].x) / 2.0 - half_gap);

  *right = MAX (*right, *left + 1.0);
}

/* Returns whether every subtitle fits on one line above its column. */
static gboolean
do_subtitles_fit (const LsDiagramLayout *layout,
                  const WidestTexts     *texts)
{
  for (gsize c = 0; c < layout->n_columns; c++)
    {
      double left, right;

      ls_diagram_layout_get_text_span (layout, c, &left, &right);
      if (texts->subtitle_widths[c] * layout->font_px > right - left)
        return FALSE;
    }

  return TRUE;
}

double
ls_diagram_layout_get_title_height (const LsDiagramLayout *layout)
{
  return (1.3 + 1.25 * LS_DIAGRAM_TITLE_EM * (double) (layout->title_lines - 1)) * layout->font_px;
}

/* Returns whether a column title is too wide for one line above its
 * column but wraps between its words into two. */
static gboolean
do_titles_need_two_lines (const LsDiagramLayout *layout,
                          const WidestTexts     *texts)
{
  for (gsize c = 0; c < layout->n_columns; c++)
    {
      double left, right;

      ls_diagram_layout_get_text_span (layout, c, &left, &right);
      if (texts->title_widths[c] * layout->font_px > right - left &&
          texts->title_word_widths[c] * layout->font_px <= right - left)
        return TRUE;
    }

  return FALSE;
}

/* Returns the height of the column titles: the name on one or two lines
 * and the subtitle on one or two more. */
static double
get_header_height (const LsDiagramLayout *layout,
                   int                    subtitle_lines)
{
  return ls_diagram_layout_get_title_height (layout) +
         1.1 * LS_DIAGRAM_SUBTITLE_EM * (double) subtitle_lines * layout->font_px;
}

/* Returns the height that the footer of column c may take, in footer
 * lines: the shape of a tile or bar column and a line for "+N more", or
 * two for the input's range, the expander button, and two lines for the
 * note on how many connections are drawn. */
static double
count_footer_lines (const LsDiagramLayout *layout,
                    LsNetwork             *network,
                    gsize                  c)
{
  const LsDiagramColumn *column = &layout->columns[c];
  double lines = 0.0;

  if (column->kind == LS_DIAGRAM_TILES)
    lines += c == 0 ? 3.0 : 2.0;
  else if (column->kind == LS_DIAGRAM_BAR || column->kind == LS_DIAGRAM_SEQUENCE)
    lines += 1.0;
  else if (column->kind == LS_DIAGRAM_TOKENS)
    lines += 2.0;  /* for the note on unknown words, whether shown or not */
  if (may_be_expandable (column))
    lines += EXPANDER_EM / FOOTER_LINE_EM;
  if (ls_diagram_has_edges_into (network, c) &&
      (may_be_expandable (&layout->columns[c - 1]) || may_be_expandable (column) ||
       layout->columns[c - 1].units > LS_DIAGRAM_COMPACT_UNITS))
    lines += 2.0;

  return lines;
}

static double
measure_footer_height (const LsDiagramLayout *layout,
                       LsNetwork             *network)
{
  double lines = 0.0;

  for (gsize c = 0; c < layout->n_columns; c++)
    lines = MAX (lines, count_footer_lines (layout, network, c));

  if (lines == 0.0)
    return 0.0;

  return lines * FOOTER_LINE_EM * LS_DIAGRAM_FOOTER_EM * layout->font_px +
         FOOTER_GAP_EM * layout->font_px;
}

/* Places the column titles at the top, the legend at the bottom and the
 * footers above it, and returns the band between them in *top and
 * *bottom. */
static void
place_bands (LsDiagramLayout *layout,
             double          *top,
             double          *bottom)
{
  double margin = 0.6 * layout->font_px;
  double legend_height = 2.6 * layout->font_px;
  double gap = 0.6 * layout->font_px;

  layout->header_y = margin;
  if (layout->has_step_caption)
    layout->header_y += STEP_CAPTION_EM * layout->font_px;
  layout->legend_y = layout->height - margin - legend_height;
  layout->footer_y = layout->legend_y - gap - layout->footer_height;

  /* The top gap is larger, because hidden neurons have their names above
   * them, and a selected neuron's name moves up to clear its ring. */
  *top = layout->header_y + layout->header_height + 1.1 * layout->font_px +
         ls_diagram_layout_get_ring_extent (layout);
  *bottom = MAX (layout->footer_y - (layout->footer_height > 0.0 ? 0.0 : gap), *top + 4.0);
}

/* Whether a column is one of tiles, squares or a bar, which
 * ls_diagram_grid_fit() sizes. */
static gboolean
is_grid_column (const LsDiagramColumn *column)
{
  return column->kind == LS_DIAGRAM_TILES || column->kind == LS_DIAGRAM_PACKED || column->kind == LS_DIAGRAM_BAR;
}

/* Sizes the tile, square and bar columns for tiles of tile_px along
 * their longer side, in at most max_grid_columns grid columns of tiles
 * each, and returns their total width. */
static double
fit_grid_columns (LsDiagramLayout *layout,
                  double           tile_px,
                  double           band_height,
                  gsize            max_grid_columns)
{
  double total = 0.0;

  for (gsize c = 0; c < layout->n_columns; c++)
    {
      LsDiagramColumn *column = &layout->columns[c];

      if (!is_grid_column (column))
        continue;

      ls_diagram_grid_fit (column, c == 0 ? INPUT_TILE_FACTOR * tile_px : tile_px, band_height,
                           layout->font_px, c == 0, max_grid_columns);
      total += column->bounds.width;
    }

  return total;
}

/* Narrows every tile, square and bar column to factor of its width, for
 * a drawing too narrow for all tiles at their smallest size. */
static void
shrink_grid_columns (LsDiagramLayout *layout,
                     double           factor,
                     double           band_height)
{
  for (gsize c = 0; c < layout->n_columns; c++)
    {
      LsDiagramColumn *column = &layout->columns[c];

      if (is_grid_column (column))
        ls_diagram_grid_limit_width (column, factor * column->bounds.width, band_height, layout->font_px);
    }
}

/* Returns the sum of the gap weights of columns 1 to n − 1. */
static double
get_total_gap_weight (const LsDiagramLayout *layout)
{
  double total = 0.0;

  for (gsize c = 1; c < layout->n_columns; c++)
    total += layout->columns[c].gap_weight;

  return total;
}

/* Sizes the tile, square and bar columns with the largest tiles between
 * low and high pixels whose columns fit into budget, given that low
 * fits. The widths grow with the tile size, so a bisection finds it. */
static void
fit_largest_tiles (LsDiagramLayout *layout,
                   double           low,
                   double           high,
                   double           budget,
                   double           band_height,
                   gsize            max_grid_columns)
{
  for (guint i = 0; i < 24; i++)
    {
      double middle = (low + high) / 2.0;

      if (fit_grid_columns (layout, middle, band_height, max_grid_columns) <= budget)
        low = middle;
      else
        high = middle;
    }

  fit_grid_columns (layout, low, band_height, max_grid_columns);
}

/* Sizes the tile, square and bar columns with tiles of one size, as
 * large as the band's height and the width allow while the gaps between
 * columns keep the room that MIN_GAP_EM and MIN_GAP_FRACTION ask for.
 * Where not even the smallest tiles fit, each layer first shows one grid
 * column of tiles, the channels that fit its height, and then the columns
 * narrow in proportion, down to smaller tiles. */
static void
size_grid_columns (LsDiagramLayout *layout,
                   double           span,
                   double           neuron_width,
                   double           band_height)
{
  gsize n_gaps = layout->n_columns - 1;
  double min_gaps = 0.0;
  double budget;
  double total;
  double low = LS_DIAGRAM_MIN_TILE_PX, high = MAX (span, LS_DIAGRAM_MIN_TILE_PX);
  gsize max_grid_columns = LS_DIAGRAM_MAX_TILE_GRID_COLUMNS;

  /* each gap at least MIN_GAP_EM per unit of weight, and all of them
   * between MIN_GAP_FRACTION and MAX_MIN_GAP_FRACTION of the span */
  for (gsize c = 1; c < layout->n_columns; c++)
    min_gaps += layout->columns[c].gap_weight * MIN_GAP_EM * layout->font_px;
  if (n_gaps > 0)
    min_gaps = CLAMP (min_gaps, MIN_GAP_FRACTION * span, MAX_MIN_GAP_FRACTION * span);
  budget = MAX (span - min_gaps - neuron_width, 1.0);

  total = fit_grid_columns (layout, low, band_height, max_grid_columns);
  if (total > budget)
    {
      max_grid_columns = 1;
      total = fit_grid_columns (layout, low, band_height, max_grid_columns);
    }
  if (total > budget)
    {
      shrink_grid_columns (layout, budget / total, band_height);
      return;
    }

  fit_largest_tiles (layout, low, high, budget, band_height, max_grid_columns);
}

/* Sets the radius of every neuron, at most max_radius and a fraction of
 * the column spacing that neuron columns of equal width would have. */
static void
set_radius (LsDiagramLayout *layout,
            double           max_radius,
            double           span)
{
  gsize n_gaps = layout->n_columns - 1;

  /* radius r is at most 0.22 × spacing, where spacing = (span − 2r) / n_gaps */
  if (n_gaps > 0)
    max_radius = MIN (max_radius, 0.22 * span / ((double) n_gaps + 0.44));
  else
    max_radius = MIN (max_radius, span / 2.0);
  layout->radius = MAX (max_radius, 2.0);

  layout->column_spacing = span;
  if (n_gaps > 0)
    layout->column_spacing = (span - 2.0 * layout->radius) / (double) n_gaps;
}

static double
get_column_width (const LsDiagramLayout *layout,
                  const LsDiagramColumn *column)
{
  if (column->kind == LS_DIAGRAM_NEURONS)
    return 2.0 * layout->radius;

  return column->bounds.width;
}

/* Sets the radius, sizes the other kinds of columns to fit band_height,
 * whole pixels of the band, and sets the x of every column, with gaps
 * between them in proportion to their weights.
 * A neuron is at most as wide as the vertical room allows and a fraction
 * of the mean column spacing. */
static void
place_columns_horizontally (LsDiagramLayout *layout,
                            double           max_radius,
                            double           band_height)
{
  double margin = 0.6 * layout->font_px;
  double x_left;
  double span;
  double total = 0.0;
  double gap = 0.0;
  gsize n_gaps = layout->n_columns - 1;
  gsize n_neuron_columns = 0;
  gsize n_grid_columns = 0;
  double fixed_width;

  x_left = margin + layout->left_labels;
  span = MAX (layout->width - margin - layout->right_labels - x_left, 4.0);
  set_radius (layout, max_radius, span);

  for (gsize c = 0; c < layout->n_columns; c++)
    {
      n_neuron_columns += layout->columns[c].kind == LS_DIAGRAM_NEURONS;
      n_grid_columns += is_grid_column (&layout->columns[c]);
    }
  fixed_width = (double) n_neuron_columns * 2.0 * layout->radius;
  fixed_width += ls_diagram_size_token_columns (layout, span, fixed_width);
  if (n_grid_columns > 0)
    size_grid_columns (layout, span, fixed_width, band_height);

  for (gsize c = 0; c < layout->n_columns; c++)
    total += get_column_width (layout, &layout->columns[c]);
  if (n_gaps > 0)
    gap = (span - total) / get_total_gap_weight (layout);
  else
    x_left += (span - total) / 2.0;

  for (gsize c = 0; c < layout->n_columns; c++)
    {
      double width = get_column_width (layout, &layout->columns[c]);

      if (c > 0)
        x_left += layout->columns[c].gap_weight * gap;
      layout->columns[c].x = x_left + width / 2.0;
      x_left += width;
    }
}

/* Sets how far each column's centre is from its nearest neighbour's. */
static void
measure_column_room (LsDiagramLayout *layout)
{
  for (gsize c = 0; c < layout->n_columns; c++)
    {
      double room = layout->width;

      if (c > 0)
        room = MIN (room, layout->columns[c].x - layout->columns[c - 1].x);
      if (c + 1 < layout->n_columns)
        room = MIN (room, layout->columns[c + 1].x - layout->columns[c].x);
      layout->columns[c].room = room;
    }
}

/* Centres each column in the band between top and bottom: the slots of
 * neuron columns, spaced at most MAX_PITCH_RADII apart, and the other
 * kinds whole. */
static void
place_columns_vertically (LsDiagramLayout *layout,
                          double           top,
                          double           bottom)
{
  double middle = (top + bottom) / 2.0;
  double room = MAX (bottom - top - 2.0 * layout->radius, 0.0);
  double r = layout->radius;

  for (gsize c = 0; c < layout->n_columns; c++)
    {
      LsDiagramColumn *column = &layout->columns[c];
      gsize n_slots;

      if (column->kind == LS_DIAGRAM_TOKENS || column->kind == LS_DIAGRAM_SEQUENCE)
        continue;

      if (column->kind != LS_DIAGRAM_NEURONS)
        {
          ls_diagram_grid_place (column, top, bottom);
          continue;
        }

      n_slots = ls_diagram_column_get_n_slots (column);
      column->pitch = MAX_PITCH_RADII * r;
      if (n_slots > 1)
        column->pitch = MIN (column->pitch, room / (double) (n_slots - 1));
      column->y0 = middle - column->pitch * (double) (n_slots - 1) / 2.0;
      column->bounds = (cairo_rectangle_t) {
        column->x - r, column->y0 - r, 2.0 * r, column->pitch * (double) (n_slots - 1) + 2.0 * r,
      };
    }
}

/* Returns the top of the first footer line under a column. */
double
ls_diagram_layout_get_footer_top (const LsDiagramLayout *layout,
                                  const LsDiagramColumn *column)
{
  return column->bounds.y + column->bounds.height + FOOTER_GAP_EM * layout->font_px;
}

/* Returns the height of one footer line. */
double
ls_diagram_layout_get_footer_line_height (const LsDiagramLayout *layout)
{
  return FOOTER_LINE_EM * LS_DIAGRAM_FOOTER_EM * layout->font_px;
}

/* Places the expander button of each expandable column under it. */
static void
place_expanders (LsDiagramLayout   *layout,
                 const WidestTexts *texts)
{
  double px = LS_DIAGRAM_FOOTER_EM * layout->font_px;

  for (gsize c = 0; c < layout->n_columns; c++)
    {
      LsDiagramColumn *column = &layout->columns[c];
      g_autofree char *text = NULL;
      double width;

      column->expandable = column->kind == LS_DIAGRAM_PACKED || ls_diagram_column_is_compact (column);
      if (!column->expandable)
        continue;

      text = ls_diagram_dup_expander_text (column);
      width = MIN (measure_text (texts->pango, text, px) + 1.2 * px, MAX (column->room - 0.2 * px, px));
      column->expander = (cairo_rectangle_t) {
        column->x - width / 2.0, ls_diagram_layout_get_footer_top (layout, column),
        width, (EXPANDER_EM - 0.2) * px,
      };
    }
}

/* Chooses the shown units of every neuron column and returns the most
 * slots of any of them, or 1 without neuron columns. */
static gsize
choose_slots (LsDiagramLayout *layout,
              double           available_height)
{
  gsize slot_limit = get_slot_limit (layout, available_height);
  gsize max_slots = 1;

  for (gsize c = 0; c < layout->n_columns; c++)
    {
      if (layout->columns[c].kind != LS_DIAGRAM_NEURONS)
        continue;

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

/* Places everything for a body text size of font_px, with room for
 * subtitle_lines under each column title. */
static void
place_all (LsDiagramLayout   *layout,
           LsNetwork         *network,
           const WidestTexts *texts,
           int                subtitle_lines)
{
  double font_px = layout->font_px;
  double top, bottom;
  gsize max_slots;

  layout->header_height = get_header_height (layout, subtitle_lines);
  place_bands (layout, &top, &bottom);
  max_slots = choose_slots (layout, bottom - top);

  /* The tallest column fills the band: (n − 1) pitches plus one diameter. */
  place_columns_horizontally (layout,
                              MIN ((bottom - top) / (MIN_PITCH_RADII * (double) (max_slots - 1) + 2.0),
                                   2.4 * font_px),
                              MAX (floor (bottom) - ceil (top), 1.0));
  ls_diagram_place_token_rows (layout, network, top, bottom);
  place_columns_vertically (layout, top, bottom);
  measure_column_room (layout);
  place_expanders (layout, texts);

  layout->value_px = get_value_px (layout);
  if (layout->value_px < MIN_VALUE_PX)
    layout->value_px = 0.0;
}

/* Places everything for a body text size of font_px. Subtitles get a
 * second line where an estimate of the column spacing calls for one, or
 * where they do not fit above the columns as placed. */
static void
lay_out_at_font_px (LsDiagramLayout   *layout,
                    LsNetwork         *network,
                    const WidestTexts *texts,
                    double             font_px)
{
  int subtitle_lines;

  layout->font_px = font_px;
  layout->line_unit = MAX (font_px / 18.0, layout->min_line_unit);
  layout->edge_hit_px = MAX (6.0, 5.0 * layout->line_unit);

  measure_label_margins (layout, texts, &layout->left_labels, &layout->right_labels);
  layout->footer_height = measure_footer_height (layout, network);
  layout->title_lines = 1;
  subtitle_lines = estimate_subtitle_lines (layout, texts);
  place_all (layout, network, texts, subtitle_lines);
  if (subtitle_lines == 1 && !do_subtitles_fit (layout, texts))
    {
      subtitle_lines = 2;
      place_all (layout, network, texts, subtitle_lines);
    }

  /* The narrow columns of a text network wrap their titles rather than
   * shrink them. Neuron columns are wide enough for one line. */
  if (ls_diagram_has_token_rows (layout) && do_titles_need_two_lines (layout, texts))
    {
      layout->title_lines = 2;
      place_all (layout, network, texts, subtitle_lines);
    }
}

/* Returns whether the input and output labels are shown where those
 * columns are neurons. */
static gboolean
are_labels_shown (const LsDiagramLayout *layout,
                  const WidestTexts     *texts)
{
  return (texts->input_label == NULL || layout->left_labels > 0.0) &&
         (texts->output_label == NULL || layout->right_labels > 0.0);
}

static gboolean
has_neuron_columns (const LsDiagramLayout *layout)
{
  for (gsize c = 0; c < layout->n_columns; c++)
    if (layout->columns[c].kind == LS_DIAGRAM_NEURONS)
      return TRUE;

  return FALSE;
}

/* Returns whether every column title and subtitle fits its span on the
 * lines that the header has room for, which the narrow columns of a text
 * network need checked: there the renderer would otherwise shrink or cut
 * them. Each word of a title fits on a line of its own, and the wrapped
 * texts get a tenth of their width spare, because lines wrap between
 * words. */
static gboolean
do_token_headers_fit (const LsDiagramLayout *layout,
                      const WidestTexts     *texts)
{
  int subtitle_lines = layout->header_height > get_header_height (layout, 1) + 1.0 ? 2 : 1;
  double title_spare = layout->title_lines > 1 ? 1.1 : 1.0;

  if (!ls_diagram_has_token_rows (layout))
    return TRUE;

  for (gsize c = 0; c < layout->n_columns; c++)
    {
      double left, right;

      ls_diagram_layout_get_text_span (layout, c, &left, &right);
      if (texts->title_word_widths[c] * layout->font_px > right - left ||
          title_spare * texts->title_widths[c] * layout->font_px > (double) layout->title_lines * (right - left) ||
          1.1 * texts->subtitle_widths[c] * layout->font_px > (double) subtitle_lines * (right - left))
        return FALSE;
    }

  return TRUE;
}

/* Returns whether the layout is good enough to keep its text size: the
 * neurons fit numbers of at least MIN_VALUE_EM of the text size, and the
 * input and output labels are shown where those columns are neurons. */
static gboolean
is_layout_readable (const LsDiagramLayout *layout,
                    const WidestTexts     *texts)
{
  if (!are_labels_shown (layout, texts))
    return FALSE;

  return !has_neuron_columns (layout) || get_value_px (layout) >= MIN_VALUE_EM * layout->font_px;
}

/* Returns the factor by which style->font_scale enlarges the text, as
 * ls_render_get_font_px() applies it. */
static double
get_font_scale (double               height,
                const LsRenderStyle *style)
{
  LsRenderStyle unscaled = style != NULL ? *style : *ls_render_get_default_style ();

  unscaled.font_scale = 1.0;

  return ls_render_get_font_px (height, style) / ls_render_get_font_px (height, &unscaled);
}

/* Enlarges the text of a layout placed at from_px towards to_px, as a
 * font_scale above 1 requests. It tries sizes from_px / FONT_SHRINK_STEP^k
 * and stops at the first that leaves out the input or output labels, or
 * where the headers of a text network no longer fit. It
 * returns to_px or the last size tried before the stop, whichever is
 * smaller. The sizes tried do not depend on to_px, so a larger font_scale
 * never gives smaller text.
 * The numbers in the neurons do not hold the text back. They take the
 * largest size that fits their neurons, so ten output neurons stacked in
 * the drawing's height get smaller numbers as the titles and legend take
 * more of the height. Numbers below MIN_VALUE_PX are not drawn. The
 * renderer shrinks a column title that outgrows its own span. */
static double
grow_font_px (LsDiagramLayout   *layout,
              LsNetwork         *network,
              const WidestTexts *texts,
              double             from_px,
              double             to_px)
{
  double font_px = from_px;

  while (font_px < to_px)
    {
      double next_px = font_px / FONT_SHRINK_STEP;

      lay_out_at_font_px (layout, network, texts, next_px);
      if (!are_labels_shown (layout, texts) || !do_token_headers_fit (layout, texts))
        return font_px;

      font_px = next_px;
    }

  return to_px;
}

/* Places everything at the text size of requested_px / font_scale, or
 * smaller until is_layout_readable(), down to LS_RENDER_MIN_FONT_PX. Then
 * it scales the text by font_scale: up as far as grow_font_px() finds
 * room, or down without a check, because smaller text only leaves more
 * room. Text scaled down stays at LS_RENDER_MIN_FONT_PX or more, unless
 * requested_px is smaller. */
static void
lay_out_text (LsDiagramLayout   *layout,
              LsNetwork         *network,
              const WidestTexts *texts,
              double             requested_px,
              double             font_scale)
{
  double font_px = requested_px / font_scale;
  double min_font_px = MAX (MIN (font_px, LS_RENDER_MIN_FONT_PX), layout->min_font_px / font_scale);

  lay_out_at_font_px (layout, network, texts, font_px);
  while (!is_layout_readable (layout, texts) && font_px > min_font_px)
    {
      font_px = MAX (FONT_SHRINK_STEP * font_px, min_font_px);
      lay_out_at_font_px (layout, network, texts, font_px);
    }

  if (font_scale > 1.0)
    font_px = grow_font_px (layout, network, texts, font_px, font_scale * font_px);
  else if (font_scale < 1.0)
    font_px = MAX (font_scale * font_px, MIN (requested_px, LS_RENDER_MIN_FONT_PX));
  font_px = MAX (font_px, layout->min_font_px);
  if (font_scale != 1.0 || font_px != layout->font_px)
    lay_out_at_font_px (layout, network, texts, font_px);
}

LsDiagramLayout *
ls_diagram_layout_new (LsNetwork           *network,
                       double               width,
                       double               height,
                       const LsRenderStyle *style)
{
  return ls_diagram_layout_new_expanded (network, width, height, style, NULL, 0);
}

/* Computes the positions of every neuron, tile and bar of the network for
 * a drawing of width × height pixels. Text sizes follow
 * ls_render_get_font_px(). Large titles and labels can leave so little
 * room that the numbers in the neurons would be much smaller than the
 * text, or the labels left out. Then the text shrinks, and font_scale
 * scales what remains, see lay_out_text(). Columns of up to
 * WHOLE_COLUMN_UNITS show every neuron at any size. */
LsDiagramLayout *
ls_diagram_layout_new_expanded (LsNetwork           *network,
                                double               width,
                                double               height,
                                const LsRenderStyle *style,
                                const gboolean      *expanded,
                                gsize                n_expanded)
{
  LsDiagramLayout *layout;
  WidestTexts texts;
  double requested_px;

  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);
  g_return_val_if_fail (width > 0 && isfinite (width), NULL);
  g_return_val_if_fail (height > 0 && isfinite (height), NULL);
  g_return_val_if_fail (expanded != NULL || n_expanded == 0, NULL);

  layout = g_new0 (LsDiagramLayout, 1);
  layout->width = width;
  layout->height = height;
  layout->n_columns = ls_network_get_n_layers (network) + 1;
  layout->columns = g_new0 (LsDiagramColumn, layout->n_columns);
  for (gsize c = 0; c < layout->n_columns; c++)
    init_column (layout, network, c, expanded, n_expanded);
  layout->maps_area = g_new0 (cairo_rectangle_t, layout->n_columns);
  layout->map_grids = g_new0 (LsDiagramMapGrid, layout->n_columns);
  ls_diagram_measure_tokens (layout, network);
  layout->cache = g_new0 (LsDiagramCache, 1);
  if (style != NULL && style->presenter)
    {
      layout->min_line_unit = LS_RENDER_PRESENTER_LINE_UNIT;
      layout->min_font_px = LS_RENDER_PRESENTER_FONT_PX;
    }
  layout->has_step_caption = style != NULL && style->step_column >= 0;

  requested_px = ls_render_get_font_px (height, style);
  find_widest_texts (layout, network, requested_px, &texts);
  lay_out_text (layout, network, &texts, requested_px, get_font_scale (height, style));
  clear_widest_texts (&texts);

  return layout;
}

/* Frees the tile images and edges in the cache, which the next draw
 * computes again from the network's values. */
void
ls_diagram_layout_invalidate_values (LsDiagramLayout *layout)
{
  LsDiagramCache *cache;

  g_return_if_fail (layout != NULL);

  cache = layout->cache;
  for (gsize c = 0; c < layout->n_columns; c++)
    {
      if (cache->tiles != NULL && cache->tiles[c] != NULL)
        {
          for (gsize t = 0; cache->tiles[c][t] != NULL; t++)
            cairo_surface_destroy (cache->tiles[c][t]);
          g_clear_pointer (&cache->tiles[c], g_free);
        }
      if (cache->edges != NULL)
        g_clear_pointer (&cache->edges[c], g_array_unref);
    }
}

void
ls_diagram_layout_free (LsDiagramLayout *layout)
{
  if (layout == NULL)
    return;

  ls_diagram_layout_invalidate_values (layout);
  g_free (layout->cache->tiles);
  g_free (layout->cache->edges);
  g_free (layout->cache);
  g_free (layout->maps_area);
  g_free (layout->map_grids);
  g_free (layout->columns);
  g_free (layout);
}

/* Finds the centre of a unit as the drawing shows it: a neuron, a packed
 * square, a pixel of an image or feature map, or a row of a flatten bar.
 * Returns FALSE when the unit does not exist, is hidden in the ellipsis
 * of a compact column, or is on a tile that is not shown. */
gboolean
ls_diagram_layout_get_unit_center (const LsDiagramLayout *layout,
                                   gsize                  column,
                                   gsize                  unit,
                                   double                *x,
                                   double                *y)
{
  const LsDiagramColumn *col;
  cairo_rectangle_t rect;
  gsize slot;

  g_return_val_if_fail (layout != NULL, FALSE);

  if (column >= layout->n_columns)
    return FALSE;

  col = &layout->columns[column];
  if (col->kind != LS_DIAGRAM_NEURONS)
    {
      if (!ls_diagram_grid_get_unit_rect (col, unit, &rect))
        return FALSE;

      if (x != NULL)
        *x = rect.x + rect.width / 2.0;
      if (y != NULL)
        *y = rect.y + rect.height / 2.0;
      return TRUE;
    }

  if (!ls_diagram_column_find_slot (col, unit, &slot))
    return FALSE;

  if (x != NULL)
    *x = col->x;
  if (y != NULL)
    *y = ls_diagram_column_get_slot_y (col, slot);

  return TRUE;
}

gboolean
ls_diagram_layout_get_edge_end (const LsDiagramLayout *layout,
                                gsize                  column,
                                gsize                  unit,
                                double                *x,
                                double                *y,
                                double                *trim)
{
  const LsDiagramColumn *col = &layout->columns[column];

  if (!ls_diagram_layout_get_unit_center (layout, column, unit, x, y))
    return FALSE;

  /* edges leave a bar from its right side */
  if (col->kind == LS_DIAGRAM_BAR)
    *x = col->bounds.x + col->bounds.width;
  *trim = col->kind == LS_DIAGRAM_NEURONS ? layout->radius : 0.0;

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
