/* ls-render-tokens.c: the rows of a text network: its token boxes, the
 * T × d heatmaps of its token sequences, and where they go
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-render"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "ls-diagram-layout-private.h"
#include "ls-render-private.h"

/* Token rows are at most this many times the body text size apart, so
 * that a few tokens fill the height of a projector's page with large
 * words and cells. They need at least MIN_ROW_EM of it to leave room for
 * the attention maps. */
#define MAX_ROW_EM 3.2
#define MIN_ROW_EM 1.1
/* The maps leave the rows this many times the text size where they can,
 * so that token text stays near the body text size. */
#define COMFORTABLE_ROW_EM 1.6
/* A row's boxes and cells fill this fraction of the distance between
 * rows, where that distance is at least MIN_GAP_PITCH_PX. */
#define ROW_FILL 0.78
#define MIN_GAP_PITCH_PX 4.0
/* Text in a token box is at most MAX_TOKEN_EM of the body text size and
 * at most this fraction of the box's height, so it grows with the rows,
 * and is left out below MIN_TOKEN_PX. The boxes are wide enough for the
 * largest size. */
#define TOKEN_PX_PER_HEIGHT 0.72
#define MAX_TOKEN_EM 1.4
#define MIN_TOKEN_PX 8.0
/* Padding inside a token box on either side, and the extra room of the
 * "?" that marks a word outside the vocabulary, in body text sizes. */
#define TOKEN_PAD_EM 0.45
#define BADGE_EM 1.0
/* Token boxes take at most this fraction of the drawing's width. */
#define MAX_TOKENS_WIDTH_FRACTION 0.18
/* All sequence columns together take at most this fraction of the width
 * between the margins, with cells at most MAX_CELL_EM of the text size
 * wide. Where the other columns leave them less, they still take
 * MIN_SEQUENCE_WIDTH_FRACTION of it. Columns too wide for that share it
 * equally, so a cell may be narrower than a pixel and a column of 1000
 * features is no wider than one of 64. */
#define SEQUENCE_WIDTH_FRACTION 0.55
#define MIN_SEQUENCE_WIDTH_FRACTION 0.25
#define MAX_CELL_EM 0.7
/* The attention maps under the rows: cells at most MAX_MAP_CELL_EM of
 * the body text size and at least MIN_MAP_CELL_PX, maps MAP_GAP_EM
 * apart and together at most MAX_MAPS_FRACTION of the band's height. */
#define MAX_MAP_CELL_EM 1.4
#define MIN_MAP_CELL_PX 6.0
#define MAP_GAP_EM 1.0
#define MAX_MAPS_FRACTION 0.5

/* Layout */

/* Measures the widest token, and finds whether any maps to [UNK]. */
void
ls_diagram_measure_tokens (LsDiagramLayout *layout,
                           LsNetwork       *network)
{
  g_autoptr(PangoLayout) pango = NULL;
  gsize n_tokens = ls_network_get_n_tokens (network);
  LsVocabulary *vocabulary = ls_network_get_vocabulary (network);
  double widest = 0.0;

  layout->token_em = 0.0;
  layout->has_unknown_tokens = FALSE;
  if (n_tokens == 0)
    return;

  /* widths at 100 pixels, where rounding of glyph advances hardly counts */
  pango = ls_render_create_measure_layout ();
  ls_render_set_font (pango, 100.0, FALSE);
  for (gsize t = 0; t < n_tokens; t++)
    {
      widest = MAX (widest, ls_render_get_text_width (pango, ls_network_get_token (network, t)));
      if (ls_network_get_token_id (network, t) == ls_vocabulary_get_unknown_id (vocabulary))
        layout->has_unknown_tokens = TRUE;
    }
  layout->token_em = widest / 100.0;
}

gboolean
ls_diagram_has_token_rows (const LsDiagramLayout *layout)
{
  for (gsize c = 0; c < layout->n_columns; c++)
    if (layout->columns[c].kind == LS_DIAGRAM_TOKENS || layout->columns[c].kind == LS_DIAGRAM_SEQUENCE)
      return TRUE;

  return FALSE;
}

/* Returns the width of the token boxes: the widest token, the padding
 * and the room of the "?" mark of a word outside the vocabulary. The
 * room is kept while every word is known, so that columns do not move
 * as a typed word leaves or enters the vocabulary. */
static double
get_tokens_width (const LsDiagramLayout *layout)
{
  /* a quarter of the text size spare for the rounding of glyph advances */
  double width = ((layout->token_em + 0.25) * MAX_TOKEN_EM + 2.0 * TOKEN_PAD_EM + BADGE_EM) * layout->font_px;

  return MIN (width, MAX_TOKENS_WIDTH_FRACTION * layout->width);
}

/* Returns the widest that any sequence column may be so that together
 * they take budget: columns narrower than that at cells of max_cell keep
 * that width, and the others share the rest equally. */
static double
get_sequence_width_cap (const LsDiagramLayout *layout,
                        double                 budget,
                        double                 max_cell)
{
  gsize n_sequences = 0;
  double cap;

  for (gsize c = 0; c < layout->n_columns; c++)
    n_sequences += layout->columns[c].kind == LS_DIAGRAM_SEQUENCE;
  if (n_sequences == 0)
    return G_MAXDOUBLE;

  /* The cap only grows from an equal share, and each round that changes
   * it finds at least one more column narrower than it. */
  cap = budget / (double) n_sequences;
  for (gsize round = 0; round <= n_sequences; round++)
    {
      double narrow_width = 0.0;
      gsize n_wide = 0;
      double next;

      for (gsize c = 0; c < layout->n_columns; c++)
        {
          double natural = max_cell * (double) layout->columns[c].features;

          if (layout->columns[c].kind != LS_DIAGRAM_SEQUENCE)
            continue;
          if (natural < cap)
            narrow_width += natural;
          else
            n_wide++;
        }
      if (n_wide == 0)
        return G_MAXDOUBLE;

      next = (budget - narrow_width) / (double) n_wide;
      if (next <= cap)
        return cap;
      cap = next;
    }

  return cap;
}

double
ls_diagram_size_token_columns (LsDiagramLayout *layout,
                               double           span,
                               double           fixed_width)
{
  double max_cell = MAX_CELL_EM * layout->font_px;
  double tokens_width = 0.0;
  double total = 0.0;
  double budget, cap;

  for (gsize c = 0; c < layout->n_columns; c++)
    if (layout->columns[c].kind == LS_DIAGRAM_TOKENS)
      tokens_width = get_tokens_width (layout);

  budget = MAX (SEQUENCE_WIDTH_FRACTION * span - fixed_width - tokens_width, MIN_SEQUENCE_WIDTH_FRACTION * span);
  cap = get_sequence_width_cap (layout, budget, max_cell);

  for (gsize c = 0; c < layout->n_columns; c++)
    {
      LsDiagramColumn *column = &layout->columns[c];

      if (column->kind == LS_DIAGRAM_TOKENS)
        column->cell = tokens_width;
      else if (column->kind == LS_DIAGRAM_SEQUENCE)
        {
          /* whole pixels from 3 pixels up, so that every cell of a column
           * has the same width */
          column->cell = MIN (max_cell, cap / (double) MAX (column->features, 1));
          if (column->cell >= 3.0)
            column->cell = floor (column->cell);
        }
      else
        continue;

      column->bounds.width = column->cell * (double) column->features;
      total += column->bounds.width;
    }

  return total;
}

/* The vertical room that the attention maps take. */
typedef struct
{
  double height;     /* 0 without maps */
  double footer;     /* room between the rows and the maps, for the
                      * footer line under the rows */
} MapsBand;

/* Returns whether layer column − 1 is an attention layer between two
 * sequence columns. */
static gboolean
is_attention_column (const LsDiagramLayout *layout,
                     LsNetwork             *network,
                     gsize                  c)
{
  return c > 0 && layout->columns[c].kind == LS_DIAGRAM_SEQUENCE &&
         layout->columns[c - 1].kind == LS_DIAGRAM_SEQUENCE &&
         ls_network_get_layer (network, c - 1)->kind == LS_LAYER_ATTENTION;
}

/* Returns the left edge of the first sequence column and the right edge
 * of the last one, from their centre lines and widths. The maps may take
 * that width under the rows, which keeps them left of any neuron column
 * and clear of the notes under the token boxes. */
static void
get_sequence_span (const LsDiagramLayout *layout,
                   double                *left,
                   double                *right)
{
  *left = G_MAXDOUBLE;
  *right = -G_MAXDOUBLE;
  for (gsize c = 0; c < layout->n_columns; c++)
    if (layout->columns[c].kind == LS_DIAGRAM_SEQUENCE)
      {
        const LsDiagramColumn *column = &layout->columns[c];

        *left = MIN (*left, column->x - column->bounds.width / 2.0);
        *right = MAX (*right, column->x + column->bounds.width / 2.0);
      }
}

/* Sets the area of the maps of each attention column. A lone attention
 * layer gets the whole width under the sequence columns. Several share
 * it, each from halfway to the attention column before to halfway to the
 * one after. */
static void
set_maps_columns (LsDiagramLayout *layout,
                  LsNetwork       *network)
{
  double gap = MAP_GAP_EM * layout->font_px;
  double span_left, span_right;
  double left;

  get_sequence_span (layout, &span_left, &span_right);
  left = span_left;
  for (gsize c = 0; c < layout->n_columns; c++)
    {
      cairo_rectangle_t *area = &layout->maps_area[c];
      double right = span_right;

      *area = (cairo_rectangle_t) { 0.0, 0.0, 0.0, 0.0 };
      if (!is_attention_column (layout, network, c))
        continue;

      for (gsize next = c + 1; next < layout->n_columns; next++)
        if (is_attention_column (layout, network, next))
          {
            right = (layout->columns[c].x + layout->columns[next - 1].x) / 2.0 - gap / 2.0;
            break;
          }
      area->x = left;
      area->width = MAX (right - left, 0.0);
      left = right + gap;
    }
}

/* Returns the height of one map with its title and labels, for cells of
 * side cell. */
static double
get_map_height (const LsDiagramLayout *layout,
                gsize                  tokens,
                double                 cell)
{
  double label_px = LS_DIAGRAM_MAP_LABEL_EM * layout->font_px;

  return 1.3 * label_px + (layout->token_em + 0.4) * label_px + cell * (double) tokens;
}

/* Returns the side of the cells of maps width wide, where a grid of
 * grid_columns maps per row contains `shown` of `heads` maps in
 * max_height, or 0 where cells would be smaller than MIN_MAP_CELL_PX. */
static double
get_map_cell (const LsDiagramLayout *layout,
              gsize                  tokens,
              gsize                  heads,
              gsize                  shown,
              gsize                  grid_columns,
              double                 width,
              double                 max_height)
{
  double label_px = LS_DIAGRAM_MAP_LABEL_EM * layout->font_px;
  double labels = (layout->token_em + 0.4) * label_px;
  double gap = MAP_GAP_EM * layout->font_px;
  gsize rows = (shown + grid_columns - 1) / grid_columns;
  double map_height = max_height - (double) (rows - 1) * gap;
  double cell;

  if (shown < heads)
    map_height -= ls_diagram_layout_get_footer_line_height (layout) + 0.3 * gap;
  map_height /= (double) rows;

  cell = MIN ((width - labels) / (double) tokens, (map_height - 1.3 * label_px - labels) / (double) tokens);
  cell = MIN (cell, MAX_MAP_CELL_EM * layout->font_px);

  return cell >= MIN_MAP_CELL_PX ? cell : 0.0;
}

/* Returns the height of one map grid of `shown` maps in rows of
 * grid_columns, with the note line where heads are left out. */
static double
get_grid_height (const LsDiagramLayout  *layout,
                 const LsDiagramMapGrid *grid,
                 gsize                   heads)
{
  double gap = MAP_GAP_EM * layout->font_px;
  gsize rows = grid->shown > 0 ? (grid->shown + grid->grid_columns - 1) / grid->grid_columns : 0;
  double height = (double) rows * grid->map_height + (double) (rows > 0 ? rows - 1 : 0) * gap;

  if (grid->shown < heads)
    height += ls_diagram_layout_get_footer_line_height (layout) + (rows > 0 ? 0.3 * gap : 0.0);

  return height;
}

/* Returns the grid of the first `shown` of `heads` maps in rows of
 * grid_columns, with cells of *cell, or 0 where they do not fit. */
static LsDiagramMapGrid
make_map_grid (const LsDiagramLayout *layout,
               gsize                  tokens,
               gsize                  heads,
               gsize                  shown,
               gsize                  grid_columns,
               double                 width,
               double                 max_height,
               double                *cell)
{
  double gap = MAP_GAP_EM * layout->font_px;
  double map_width = (width - (double) (grid_columns - 1) * gap) / (double) grid_columns;

  *cell = get_map_cell (layout, tokens, heads, shown, grid_columns, map_width, max_height);

  return (LsDiagramMapGrid) { shown, grid_columns, map_width, get_map_height (layout, tokens, *cell) };
}

/* Fills grid with the arrangement of `heads` maps of T tokens in width
 * and max_height with the largest cells: every head where some
 * arrangement fits, else one row of as many as fit, or none. */
static void
choose_map_grid (const LsDiagramLayout *layout,
                 gsize                  heads,
                 gsize                  tokens,
                 double                 width,
                 double                 max_height,
                 LsDiagramMapGrid      *grid)
{
  double best_cell = 0.0;
  double cell;

  *grid = (LsDiagramMapGrid) { 0, 1, 0.0, 0.0 };
  for (gsize columns = heads; columns >= 1; columns--)
    {
      LsDiagramMapGrid candidate = make_map_grid (layout, tokens, heads, heads, columns, width, max_height, &cell);

      if (cell > best_cell)
        {
          *grid = candidate;
          best_cell = cell;
        }
    }
  if (grid->shown == heads)
    return;

  /* one row of the smallest readable maps, as many as fit */
  for (gsize columns = heads - 1; columns >= 1; columns--)
    {
      LsDiagramMapGrid candidate = make_map_grid (layout, tokens, heads, columns, columns, width, max_height, &cell);

      if (cell > 0.0)
        {
          *grid = candidate;
          return;
        }
    }
}

/* Chooses the maps of every attention column for rows row_em of the
 * text size apart, and returns whether every head got its map. */
static gboolean
choose_maps_for_rows (LsDiagramLayout *layout,
                      LsNetwork       *network,
                      gsize            tokens,
                      double           band_height,
                      double           row_em,
                      MapsBand        *band)
{
  double rows_height = (double) tokens * row_em * layout->font_px;
  double max_height = MIN (MAX_MAPS_FRACTION * band_height, band_height - rows_height - band->footer);
  gboolean all = TRUE;

  band->height = 0.0;
  for (gsize c = 0; c < layout->n_columns; c++)
    {
      LsDiagramMapGrid *grid = &layout->map_grids[c];
      gsize heads;

      *grid = (LsDiagramMapGrid) { 0, 1, 0.0, 0.0 };
      if (layout->maps_area[c].width <= 0.0)
        continue;

      heads = ls_network_get_layer (network, c - 1)->heads;
      if (max_height > 0.0)
        choose_map_grid (layout, heads, tokens, layout->maps_area[c].width, max_height, grid);
      band->height = MAX (band->height, get_grid_height (layout, grid, heads));
      all = all && grid->shown == heads;
    }

  return all;
}

/* Chooses the maps of every attention column and the height of the band
 * they take under the rows. The rows keep COMFORTABLE_ROW_EM of the text
 * size where every map still fits, else MIN_ROW_EM. Where no map fits,
 * the band has room for the note that explains it. */
static void
choose_maps_band (LsDiagramLayout *layout,
                  LsNetwork       *network,
                  gsize            tokens,
                  double           band_height,
                  MapsBand        *band)
{
  set_maps_columns (layout, network);
  band->footer = (0.35 + 0.6) * layout->font_px + ls_diagram_layout_get_footer_line_height (layout);

  if (!choose_maps_for_rows (layout, network, tokens, band_height, COMFORTABLE_ROW_EM, band))
    choose_maps_for_rows (layout, network, tokens, band_height, MIN_ROW_EM, band);
}

/* Sets the vertical geometry of one TOKENS or SEQUENCE column. */
static void
place_rows (LsDiagramColumn *column,
            double           top,
            double           pitch,
            double           row_height)
{
  double gap = pitch - row_height;

  column->y0 = top + pitch / 2.0;
  column->pitch = pitch;
  column->row_height = row_height;
  column->bounds = (cairo_rectangle_t) {
    column->x - column->bounds.width / 2.0, top + gap / 2.0,
    column->bounds.width, (double) column->tokens * pitch - gap,
  };
}

/* Returns the size of the text in token boxes row_height high: the
 * largest that fits the box's height, MAX_TOKEN_EM of the body text size
 * and the width of the boxes, which MAX_TOKENS_WIDTH_FRACTION may have
 * narrowed. */
static double
get_token_px (const LsDiagramLayout *layout,
              double                 row_height)
{
  double px = MIN (MAX_TOKEN_EM * layout->font_px, TOKEN_PX_PER_HEIGHT * row_height);
  double text_width = get_tokens_width (layout) - (2.0 * TOKEN_PAD_EM + BADGE_EM) * layout->font_px;

  if (layout->token_em > 0.0)
    px = MIN (px, text_width / (layout->token_em + 0.25));

  return px;
}

void
ls_diagram_place_token_rows (LsDiagramLayout *layout,
                             LsNetwork       *network,
                             double           top,
                             double           bottom)
{
  gsize tokens = ls_network_get_n_tokens (network);
  double band_height = MAX (bottom - top, 1.0);
  MapsBand maps;
  double pitch, row_height, block, rows_top;

  if (tokens == 0 || !ls_diagram_has_token_rows (layout))
    return;

  choose_maps_band (layout, network, tokens, band_height, &maps);
  pitch = MIN (MAX_ROW_EM * layout->font_px,
               (band_height - (maps.height > 0.0 ? maps.footer + maps.height : 0.0)) / (double) tokens);
  row_height = pitch >= MIN_GAP_PITCH_PX ? ROW_FILL * pitch : pitch;

  /* the rows and maps as one block in the middle of the band */
  block = (double) tokens * pitch + (maps.height > 0.0 ? maps.footer + maps.height : 0.0);
  rows_top = top + (band_height - block) / 2.0;

  layout->token_px = get_token_px (layout, row_height);
  if (layout->token_px < MIN_TOKEN_PX)
    layout->token_px = 0.0;

  for (gsize c = 0; c < layout->n_columns; c++)
    {
      LsDiagramColumn *column = &layout->columns[c];

      if (column->kind == LS_DIAGRAM_TOKENS || column->kind == LS_DIAGRAM_SEQUENCE)
        place_rows (column, rows_top, pitch, row_height);

      layout->maps_area[c].y = rows_top + (double) tokens * pitch + maps.footer;
      layout->maps_area[c].height = maps.height;
      if (maps.height <= 0.0)
        layout->maps_area[c].width = 0.0;
    }
}

/* Returns the centre line of a token's row. */
double
ls_diagram_sequence_get_row_y (const LsDiagramColumn *column,
                               gsize                  token)
{
  return column->y0 + (double) token * column->pitch;
}

/* Finds the box of a token, or the cell t·d + j of a sequence. */
gboolean
ls_diagram_sequence_get_unit_rect (const LsDiagramColumn *column,
                                   gsize                  unit,
                                   cairo_rectangle_t     *rect)
{
  gsize token, feature;

  if (unit >= column->units || column->features == 0)
    return FALSE;

  token = unit / column->features;
  feature = unit % column->features;
  *rect = (cairo_rectangle_t) {
    column->bounds.x + (double) feature * column->cell,
    ls_diagram_sequence_get_row_y (column, token) - column->row_height / 2.0,
    column->cell, column->row_height,
  };

  return TRUE;
}

/* Finds the cell or token box nearest to (x, y). With exact set, returns
 * FALSE unless (x, y) is on a row: the gaps between rows hit nothing. */
gboolean
ls_diagram_sequence_find_unit (const LsDiagramColumn *column,
                               double                 x,
                               double                 y,
                               gboolean               exact,
                               gsize                 *unit)
{
  const cairo_rectangle_t *b = &column->bounds;
  double token, feature;

  if (column->tokens == 0 || column->features == 0 || column->pitch <= 0.0)
    return FALSE;

  if (exact && (x < b->x || x >= b->x + b->width))
    return FALSE;

  token = round ((y - column->y0) / column->pitch);
  if (exact && (token < 0.0 || token >= (double) column->tokens ||
                fabs (y - ls_diagram_sequence_get_row_y (column, (gsize) token)) > column->row_height / 2.0))
    return FALSE;

  token = CLAMP (token, 0.0, (double) column->tokens - 1.0);
  feature = CLAMP (floor ((x - b->x) / column->cell), 0.0, (double) column->features - 1.0);
  *unit = (gsize) token * column->features + (gsize) feature;

  return TRUE;
}

/* Returns the subtitle of an embedding, positional, layernorm or
 * pool_tokens layer, e.g. "Embedding · 98 words". */
char *
ls_diagram_dup_token_layer_subtitle (const LsLayer *layer)
{
  const char *kind = ls_layer_kind_get_display_name (layer->kind);

  switch (layer->kind)
    {
    case LS_LAYER_EMBEDDING:
      /* TRANSLATORS: an embedding layer and its vocabulary size, e.g. "Embedding · 98 words" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %zu word", "%s · %zu words", layer->rows),
                              kind, layer->rows);

    case LS_LAYER_POSITIONAL:
      /* TRANSLATORS: a positional encoding and its kind, e.g. "Positional encoding · sinusoidal" */
      return g_strdup_printf (_("%s · %s"), kind,
                              layer->encoding == LS_POSITIONAL_LEARNED ? _("learned") : _("sinusoidal"));

    case LS_LAYER_POOL_TOKENS:
      /* TRANSLATORS: token pooling and how it pools, e.g. "Token pooling · mean" */
      return g_strdup_printf (_("%s · %s"), kind,
                              layer->pooling == LS_TOKEN_POOLING_FIRST ? _("first token") : _("mean"));

    case LS_LAYER_LAYERNORM:
    default:
      return g_strdup (kind);
    }
}

/* Drawing */

/* Whether token t of the input maps to [UNK]. */
static gboolean
is_unknown_token (LsNetwork *network,
                  gsize      token)
{
  return ls_network_get_token_id (network, token) ==
         ls_vocabulary_get_unknown_id (ls_network_get_vocabulary (network));
}

char *
ls_render_dup_tokens_note (LsNetwork *network)
{
  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);

  for (gsize t = 0; t < ls_network_get_n_tokens (network); t++)
    if (is_unknown_token (network, t))
      /* TRANSLATORS: under the tokens of a text input, where "[UNK]" is the vocabulary's unknown word */
      return g_strdup (_("? not in the vocabulary, read as [UNK]"));

  return NULL;
}

/* Draws the "?" that marks an unknown word at the right end of its box. */
static void
draw_unknown_badge (const LsDiagramPainter  *p,
                    const cairo_rectangle_t *box)
{
  double radius = MIN (0.36 * p->layout->font_px, 0.42 * box->height);
  double x = box->x + box->width - TOKEN_PAD_EM * p->layout->font_px - radius;
  double y = box->y + box->height / 2.0;

  cairo_new_path (p->cr);
  cairo_arc (p->cr, x, y, radius, 0.0, 2.0 * G_PI);
  ls_render_set_source_color (p->cr, &p->theme.secondary, 1.0);
  cairo_fill (p->cr);

  ls_render_set_font (p->text, 1.5 * radius, TRUE);
  ls_render_set_source_color (p->cr, &p->theme.background, 1.0);
  ls_render_show_text (p->cr, p->text, "?", x, y, 0.5, 0.5);
}

/* Draws one token's box with the word inside: a filled box for a word of
 * the vocabulary, and a dashed empty one with the word in italics and a
 * "?" for a word that maps to [UNK]. */
static void
draw_token (const LsDiagramPainter  *p,
            gsize                    token,
            const cairo_rectangle_t *box)
{
  const LsDiagramLayout *layout = p->layout;
  gboolean unknown = is_unknown_token (p->network, token);
  double pad = TOKEN_PAD_EM * layout->font_px;
  double text_width = box->width - 2.0 * pad - BADGE_EM * layout->font_px;
  double dashes[] = { 3.0 * layout->line_unit, 2.0 * layout->line_unit };
  PangoFontDescription *font;

  ls_render_add_rounded_rectangle (p->cr, box->x, box->y, box->width, box->height, 0.25 * box->height);
  ls_render_set_source_color (p->cr, unknown ? &p->theme.background : &p->theme.track, 1.0);
  cairo_fill_preserve (p->cr);
  if (unknown)
    cairo_set_dash (p->cr, dashes, G_N_ELEMENTS (dashes), 0.0);
  ls_render_set_source_color (p->cr, unknown ? &p->theme.secondary : &p->theme.outline, 1.0);
  cairo_set_line_width (p->cr, 1.5 * layout->line_unit);
  cairo_stroke (p->cr);
  cairo_set_dash (p->cr, NULL, 0, 0.0);

  if (unknown)
    draw_unknown_badge (p, box);
  if (layout->token_px <= 0.0 || text_width < 1.0)
    return;

  ls_render_set_font (p->text, layout->token_px, FALSE);
  font = pango_font_description_copy (pango_layout_get_font_description (p->text));
  pango_font_description_set_style (font, unknown ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  pango_layout_set_font_description (p->text, font);
  pango_font_description_free (font);
  pango_layout_set_width (p->text, (int) (text_width * PANGO_SCALE));
  pango_layout_set_ellipsize (p->text, PANGO_ELLIPSIZE_END);
  ls_render_set_source_color (p->cr, unknown ? &p->theme.secondary : &p->theme.foreground, 1.0);
  ls_render_show_text (p->cr, p->text, ls_network_get_token (p->network, token), box->x + pad,
                       box->y + box->height / 2.0, 0.0, 0.5);
  pango_layout_set_width (p->text, -1);
  pango_layout_set_ellipsize (p->text, PANGO_ELLIPSIZE_NONE);
}

/* Draws the token boxes of column c, top to bottom in text order. */
void
ls_render_draw_tokens (const LsDiagramPainter *p,
                       gsize                   c)
{
  const LsDiagramColumn *column = &p->layout->columns[c];

  for (gsize t = 0; t < column->tokens; t++)
    {
      cairo_rectangle_t box;

      if (ls_diagram_sequence_get_unit_rect (column, t, &box))
        draw_token (p, t, &box);
    }
}

/* Draws a sequence [T][d] as T rows of d cells in the colours of the
 * neurons, with NaN hatched: the column's image scaled over the rows,
 * with the gaps between rows and cells painted over in the background. */
void
ls_render_draw_sequence (const LsDiagramPainter *p,
                         gsize                   c)
{
  const LsDiagramColumn *column = &p->layout->columns[c];
  double gap = column->pitch - column->row_height;
  double top = column->y0 - column->pitch / 2.0;
  cairo_rectangle_t area = { column->bounds.x, top, column->bounds.width, (double) column->tokens * column->pitch };
  cairo_surface_t *surface = ls_render_get_column_surfaces (p, c)[0];

  ls_render_paint_surface (p, surface, &area);
  ls_render_hatch_not_a_number (p, surface, &area);

  cairo_new_path (p->cr);
  for (gsize t = 0; gap > 0.0 && t < column->tokens; t++)
    {
      cairo_rectangle (p->cr, area.x, top + (double) t * column->pitch, area.width, gap / 2.0);
      cairo_rectangle (p->cr, area.x, top + (double) (t + 1) * column->pitch - gap / 2.0, area.width, gap / 2.0);
    }
  for (gsize j = 1; column->cell >= 5.0 && j < column->features; j++)
    cairo_rectangle (p->cr, area.x + (double) j * column->cell - 0.5, area.y, 1.0, area.height);
  ls_render_set_source_color (p->cr, &p->theme.background, 1.0);
  cairo_fill (p->cr);

  /* a hairline around each row */
  for (gsize t = 0; t < column->tokens; t++)
    cairo_rectangle (p->cr, area.x - 0.5, ls_diagram_sequence_get_row_y (column, t) - column->row_height / 2.0 - 0.5,
                     area.width + 1.0, column->row_height + 1.0);
  ls_render_set_source_color (p->cr, &p->theme.outline, 0.6);
  cairo_set_line_width (p->cr, 1.0);
  cairo_stroke (p->cr);
}

/* Draws a thin line from each row of column c − 1 to the same row of
 * column c, for each layer that works on every token on its own. The
 * lines let the eye follow a token from its box to the last sequence. */
void
ls_render_draw_row_guides (const LsDiagramPainter *p)
{
  const LsDiagramLayout *layout = p->layout;
  double pad = 0.2 * layout->font_px;

  cairo_new_path (p->cr);
  for (gsize c = 1; c < layout->n_columns; c++)
    {
      const LsDiagramColumn *from = &layout->columns[c - 1];
      const LsDiagramColumn *to = &layout->columns[c];

      if (to->kind != LS_DIAGRAM_SEQUENCE ||
          (from->kind != LS_DIAGRAM_TOKENS && from->kind != LS_DIAGRAM_SEQUENCE) ||
          ls_network_get_layer (p->network, c - 1)->kind == LS_LAYER_ATTENTION)
        continue;

      for (gsize t = 0; t < MIN (from->tokens, to->tokens); t++)
        {
          cairo_move_to (p->cr, from->bounds.x + from->bounds.width + pad, ls_diagram_sequence_get_row_y (from, t));
          cairo_line_to (p->cr, to->bounds.x - pad, ls_diagram_sequence_get_row_y (to, t));
        }
    }
  ls_render_set_source_color (p->cr, &p->theme.secondary, 0.45);
  cairo_set_line_width (p->cr, MAX (layout->line_unit, 1.0));
  cairo_stroke (p->cr);
}

/* Outlines a row: solid in the foreground colour over a wider line of
 * the background in the selected column, and thinner and fainter in the
 * others, so that the token can be followed across. */
static void
outline_row (const LsDiagramPainter *p,
             const LsDiagramColumn  *column,
             gsize                   token,
             gboolean                selected)
{
  double unit = p->layout->line_unit;
  double inset = 2.5 * unit;
  double y = ls_diagram_sequence_get_row_y (column, token) - column->row_height / 2.0;

  cairo_rectangle (p->cr, column->bounds.x - inset, y - inset, column->bounds.width + 2.0 * inset,
                   column->row_height + 2.0 * inset);
  if (selected)
    {
      ls_render_set_source_color (p->cr, &p->theme.background, 1.0);
      cairo_set_line_width (p->cr, 4.0 * unit);
      cairo_stroke_preserve (p->cr);
    }
  ls_render_set_source_color (p->cr, selected ? &p->theme.foreground : &p->theme.secondary, selected ? 1.0 : 0.8);
  cairo_set_line_width (p->cr, (selected ? 2.0 : 1.25) * unit);
  cairo_stroke (p->cr);
}

/* Outlines the row of the selected token or cell in every TOKENS and
 * SEQUENCE column. ls_render_draw_grid_selection() outlines the cell. */
void
ls_render_draw_row_selection (const LsDiagramPainter *p)
{
  const LsSelection *selection = p->selection;
  const LsDiagramColumn *selected;
  gsize token;

  if (selection->kind != LS_SELECTION_NEURON || selection->column >= p->layout->n_columns)
    return;

  selected = &p->layout->columns[selection->column];
  if ((selected->kind != LS_DIAGRAM_TOKENS && selected->kind != LS_DIAGRAM_SEQUENCE) ||
      selection->unit >= selected->units)
    return;

  token = selection->unit / selected->features;
  for (gsize c = 0; c < p->layout->n_columns; c++)
    {
      const LsDiagramColumn *column = &p->layout->columns[c];

      if ((column->kind == LS_DIAGRAM_TOKENS || column->kind == LS_DIAGRAM_SEQUENCE) && token < column->tokens)
        outline_row (p, column, token, c == selection->column);
    }
}
