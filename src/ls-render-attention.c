/* ls-render-attention.c: the arcs of attention layers from key tokens to
 * query tokens, and the T × T attention maps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-render"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>

#include "ls-diagram-layout-private.h"
#include "ls-number.h"
#include "ls-render-private.h"

/* At most this many arcs are drawn per attention layer, the strongest,
 * so that a redraw of 256 tokens stays fast. Between 12 tokens and 2
 * heads there are at most 288. */
#define MAX_ARCS 1500
/* Arcs are stroked in groups of one head and one of this many weight
 * levels, each group one path in the style of its level's middle
 * weight, off by at most 1/256, which saves Cairo's set-up of a stroke
 * per arc. */
#define ARC_LEVELS 128
/* Arcs below this weight are faint and thin, and many: a softmax row of
 * T weights has at most 1 / ALIASED_ARC_WEIGHT of them above it. They
 * are drawn without antialiasing, which Cairo 1.16 strokes about four
 * times faster than CAIRO_ANTIALIAS_FAST, and which is hard to see at
 * their low contrast. The stronger arcs stay smooth. */
#define ALIASED_ARC_WEIGHT 0.25
/* The selected query's arcs get their weights written beside them for at
 * most this many heads, and where rows are at least this many label
 * heights apart. */
#define MAX_LABELLED_HEADS 3
#define MIN_LABEL_PITCH 1.15
/* Labels of an attention map are at this fraction of the body text size,
 * left out below MIN_MAP_LABEL_PX, and at most the cell's height over
 * MAP_LABEL_CELL_RATIO. */
#define MAP_LABEL_EM 0.75
#define MIN_MAP_LABEL_PX 7.0
#define MAP_LABEL_CELL_RATIO 1.15

/* Okabe and Ito's colour-blind-safe palette, starting with the colours
 * that differ from the blue and orange ends of the value scale. */
static const guint32 head_rgb[] = {
  0x009e73, /* bluish green */
  0xcc79a7, /* reddish purple */
  0x56b4e9, /* sky blue */
  0xe69f00, /* orange */
  0x0072b2, /* blue */
  0xd55e00, /* vermillion */
  0xf0e442, /* yellow */
  0x000000, /* black */
};

void
ls_render_get_head_color (gsize    head,
                          LsColor *color)
{
  g_return_if_fail (color != NULL);

  ls_color_init_rgb (color, head_rgb[head % G_N_ELEMENTS (head_rgb)]);
}

gboolean
ls_render_get_arc_style (double    weight,
                         double    line_unit,
                         gboolean  selected,
                         double   *alpha,
                         double   *width)
{
  if (!(weight >= LS_RENDER_MIN_ARC_WEIGHT))
    return FALSE;

  weight = MIN (weight, 1.0);
  *alpha = 0.15 + 0.85 * weight;
  *width = (0.75 + 5.25 * weight + (selected ? 1.5 : 0.0)) * line_unit;

  return TRUE;
}

/* Mixes color with the background as if drawn at alpha over it. Cairo
 * 1.16 strokes an opaque colour faster than a translucent one, and the
 * strongest arcs are drawn last, on top, either way. */
static void
blend_with_background (const LsRenderTheme *theme,
                       const LsColor       *color,
                       double               alpha,
                       LsColor             *blended)
{
  blended->red = alpha * color->red + (1.0 - alpha) * theme->background.red;
  blended->green = alpha * color->green + (1.0 - alpha) * theme->background.green;
  blended->blue = alpha * color->blue + (1.0 - alpha) * theme->background.blue;
}

/* Arcs */

/* One arc: key token `key` of column c − 1 to query token `query` of column c. */
typedef struct
{
  float weight;
  gsize head;
  gsize query;
  gsize key;
} Arc;

static int
compare_arcs (gconstpointer a,
              gconstpointer b)
{
  float x = ((const Arc *) a)->weight;
  float y = ((const Arc *) b)->weight;

  return (x > y) - (x < y);
}

/* Returns whether the style shows one head of a layer, and which,
 * counted from 0. */
static gboolean
shows_one_head (const LsRenderStyle *style,
                const LsLayer       *layer,
                gsize               *head)
{
  *head = style->attention_head - 1;

  return style->attention_head != LS_RENDER_ALL_HEADS && style->attention_head <= layer->heads;
}

/* Returns the arcs of a layer's heads to draw, weakest first: those of
 * every query or of query only, of the shown heads, at
 * LS_RENDER_MIN_ARC_WEIGHT or more, at most the MAX_ARCS strongest. */
static GArray *
collect_arcs (const LsDiagramPainter *p,
              const LsLayer          *layer,
              gssize                  query)
{
  gsize tokens = layer->input_shape.dims[0];
  GArray *arcs = g_array_new (FALSE, FALSE, sizeof (Arc));
  gsize one_head;
  gboolean one = shows_one_head (p->style, layer, &one_head);

  for (gsize h = 0; h < layer->heads; h++)
    {
      const float *weights = ls_layer_get_attention_head (layer, h);  /* [T][T] */

      if (one && h != one_head)
        continue;

      for (gsize q = 0; q < tokens; q++)
        for (gsize k = 0; k < tokens; k++)
          if ((query < 0 || (gsize) query == q) && weights[q * tokens + k] >= LS_RENDER_MIN_ARC_WEIGHT)
            g_array_append_val (arcs, ((Arc) { weights[q * tokens + k], h, q, k }));
    }

  g_array_sort (arcs, compare_arcs);
  if (arcs->len > MAX_ARCS)
    g_array_remove_range (arcs, 0, arcs->len - MAX_ARCS);

  return arcs;
}

/* The ends of the arcs of one attention column. */
typedef struct
{
  const LsDiagramColumn *keys;     /* column c − 1 */
  const LsDiagramColumn *queries;  /* column c */
  double x0;
  double x1;
  double spread;                   /* vertical distance between the ends of
                                    * neighbouring heads' arcs */
  gsize n_heads;                   /* heads shown */
} ArcEnds;

static void
init_arc_ends (const LsDiagramPainter *p,
               gsize                   c,
               gsize                   n_heads,
               ArcEnds                *ends)
{
  double pad = 0.15 * p->layout->font_px;

  ends->keys = &p->layout->columns[c - 1];
  ends->queries = &p->layout->columns[c];
  ends->x0 = ends->keys->bounds.x + ends->keys->bounds.width + pad;
  ends->x1 = ends->queries->bounds.x - pad;
  ends->n_heads = n_heads;
  ends->spread = n_heads > 1 ? MIN (0.5 * ends->keys->row_height / (double) n_heads, 4.0 * p->layout->line_unit) : 0.0;
}

/* Returns the vertical offset of a head's arc ends, so that the arcs of
 * several heads between the same tokens lie side by side. */
static double
get_head_offset (const ArcEnds *ends,
                 gsize          index)
{
  return ((double) index - (double) (ends->n_heads - 1) / 2.0) * ends->spread;
}

/* Returns the point a fraction t along an arc. */
static void
get_arc_point (const ArcEnds *ends,
               double         y0,
               double         y1,
               double         t,
               double        *x,
               double        *y)
{
  double s = 1.0 - t;
  double dx = ends->x1 - ends->x0;

  /* the cubic Bézier curve of stroke_arc() */
  *x = s * s * s * ends->x0 + 3.0 * s * s * t * (ends->x0 + 0.5 * dx) + 3.0 * s * t * t * (ends->x1 - 0.5 * dx) +
       t * t * t * ends->x1;
  *y = (s * s * s + 3.0 * s * s * t) * y0 + (3.0 * s * t * t + t * t * t) * y1;
}

static void
get_arc_ys (const ArcEnds *ends,
            const Arc     *arc,
            gsize          index,
            double        *y0,
            double        *y1)
{
  *y0 = ls_diagram_sequence_get_row_y (ends->keys, arc->key) + get_head_offset (ends, index);
  *y1 = ls_diagram_sequence_get_row_y (ends->queries, arc->query) + get_head_offset (ends, index);
}

/* Returns the position among the shown heads of a head. */
static gsize
get_head_index (const LsRenderStyle *style,
                const LsLayer       *layer,
                gsize                head)
{
  gsize one_head;

  return shows_one_head (style, layer, &one_head) ? 0 : head;
}

/* Adds an S-shaped curve from the key row to the query row, which
 * leaves and enters the rows horizontally. */
static void
add_arc (const LsDiagramPainter *p,
         const ArcEnds          *ends,
         const Arc              *arc,
         gsize                   index)
{
  double dx = ends->x1 - ends->x0;
  double y0, y1;

  get_arc_ys (ends, arc, index, &y0, &y1);
  cairo_move_to (p->cr, ends->x0, y0);
  cairo_curve_to (p->cr, ends->x0 + 0.5 * dx, y0, ends->x1 - 0.5 * dx, y1, ends->x1, y1);
}

static gsize
get_arc_level (float weight)
{
  return (gsize) CLAMP (floor (weight * ARC_LEVELS), 0.0, ARC_LEVELS - 1.0);
}

/* Strokes the arcs of one head among arcs[0, n), all of one level. */
static void
stroke_arc_group (const LsDiagramPainter *p,
                  const ArcEnds          *ends,
                  const LsLayer          *layer,
                  const Arc              *arcs,
                  gsize                   n,
                  gsize                   head,
                  gboolean                selected)
{
  double weight = ((double) get_arc_level (arcs[0].weight) + 0.5) / ARC_LEVELS;
  double alpha, width;
  gboolean any = FALSE;
  LsColor hue, color;

  cairo_new_path (p->cr);
  for (gsize i = 0; i < n; i++)
    if (arcs[i].head == head)
      {
        add_arc (p, ends, &arcs[i], get_head_index (p->style, layer, head));
        any = TRUE;
      }

  if (!any || !ls_render_get_arc_style (MAX (weight, LS_RENDER_MIN_ARC_WEIGHT), p->layout->line_unit, selected,
                                        &alpha, &width))
    {
      cairo_new_path (p->cr);
      return;
    }

  ls_render_get_head_color (head, &hue);
  blend_with_background (&p->theme, &hue, alpha, &color);
  ls_render_set_source_color (p->cr, &color, 1.0);
  cairo_set_line_width (p->cr, width);
  cairo_set_antialias (p->cr, weight < ALIASED_ARC_WEIGHT ? CAIRO_ANTIALIAS_NONE : CAIRO_ANTIALIAS_FAST);
  cairo_stroke (p->cr);
}

/* Strokes the arcs, weakest first, a group of each head per level. */
static void
stroke_arcs (const LsDiagramPainter *p,
             const ArcEnds          *ends,
             const LsLayer          *layer,
             const GArray           *arcs,
             gboolean                selected)
{
  const Arc *all = (const Arc *) (gconstpointer) arcs->data;
  gsize start = 0;

  while (start < arcs->len)
    {
      gsize end = start + 1;

      while (end < arcs->len && get_arc_level (all[end].weight) == get_arc_level (all[start].weight))
        end++;
      for (gsize h = 0; h < layer->heads; h++)
        stroke_arc_group (p, ends, layer, all + start, end - start, h, selected);
      start = end;
    }
}

/* Writes each selected arc's weight near its key end, each head a little
 * further along, where the rows leave room for the text. */
static void
label_arcs (const LsDiagramPainter *p,
            const ArcEnds          *ends,
            const LsLayer          *layer,
            const GArray           *arcs)
{
  double px = 0.75 * p->layout->font_px;
  double border = 1.5 * p->layout->line_unit;

  if (ends->n_heads > MAX_LABELLED_HEADS || ends->keys->pitch < MIN_LABEL_PITCH * 1.3 * px)
    return;

  ls_render_set_font (p->text, px, FALSE);
  for (guint i = 0; i < arcs->len; i++)
    {
      const Arc *arc = &g_array_index (arcs, Arc, i);
      gsize index = get_head_index (p->style, layer, arc->head);
      g_autofree char *text = ls_format_value (arc->weight);
      double y0, y1, x, y;
      LsColor hue;

      get_arc_ys (ends, arc, index, &y0, &y1);
      get_arc_point (ends, y0, y1, 0.16 + 0.26 * (double) index, &x, &y);
      ls_render_get_head_color (arc->head, &hue);
      ls_render_show_text_on_box (p->cr, p->text, text, x, y, &p->theme, &hue, border);
    }
}

/* Draws the arcs of the attention layer shown in column c: every query's,
 * or only those of the selected query row, wider and labelled. */
static void
draw_arcs_into (const LsDiagramPainter *p,
                gsize                   c)
{
  const LsLayer *layer = ls_network_get_layer (p->network, c - 1);
  const LsSelection *selection = p->selection;
  gssize query = -1;
  gsize one_head;
  g_autoptr(GArray) arcs = NULL;
  ArcEnds ends;

  if (selection->kind == LS_SELECTION_NEURON && selection->column == c && selection->unit < p->layout->columns[c].units)
    query = (gssize) (selection->unit / p->layout->columns[c].features);

  init_arc_ends (p, c, shows_one_head (p->style, layer, &one_head) ? 1 : layer->heads, &ends);
  if (ends.x1 <= ends.x0)
    return;

  arcs = collect_arcs (p, layer, query);
  cairo_save (p->cr);
  cairo_set_dash (p->cr, NULL, 0, 0.0);
  stroke_arcs (p, &ends, layer, arcs, query >= 0);
  cairo_restore (p->cr);

  if (query >= 0)
    label_arcs (p, &ends, layer, arcs);
}

/* Draws the arcs of every attention layer between two sequence columns. */
void
ls_render_draw_attention_arcs (const LsDiagramPainter *p)
{
  for (gsize c = 1; c < p->layout->n_columns; c++)
    if (p->layout->columns[c].kind == LS_DIAGRAM_SEQUENCE &&
        p->layout->columns[c - 1].kind == LS_DIAGRAM_SEQUENCE &&
        ls_network_get_layer (p->network, c - 1)->kind == LS_LAYER_ATTENTION)
      draw_arcs_into (p, c);
}

/* Returns the first attention layer, or NULL. */
static const LsLayer *
find_attention_layer (LsNetwork *network)
{
  for (gsize i = 0; i < ls_network_get_n_layers (network); i++)
    if (ls_network_get_layer (network, i)->kind == LS_LAYER_ATTENTION)
      return ls_network_get_layer (network, i);

  return NULL;
}

void
ls_render_draw_attention_legend (const LsDiagramPainter *p,
                                 double                  px,
                                 double                 *x,
                                 double                  y)
{
  const LsLayer *layer = find_attention_layer (p->network);
  double right = p->layout->width - 0.6 * p->layout->font_px;
  gsize one_head;

  if (layer == NULL)
    return;

  for (gsize h = 0; h < layer->heads; h++)
    {
      /* TRANSLATORS: an attention head in the legend, counted from 1, e.g. "head 2" */
      g_autofree char *text = g_strdup_printf (_("head %zu"), h + 1);
      double width = ls_render_get_text_width (p->text, text);
      LsColor hue;

      if (shows_one_head (p->style, layer, &one_head) && h != one_head)
        continue;
      if (*x + 3.5 * px + width > right)
        return;

      ls_render_get_head_color (h, &hue);
      ls_render_set_source_color (p->cr, &hue, 1.0);
      cairo_set_line_width (p->cr, 3.0 * p->layout->line_unit);
      cairo_move_to (p->cr, *x, y);
      cairo_line_to (p->cr, *x + 2.5 * px, y);
      cairo_stroke (p->cr);
      *x += 3.0 * px;
      ls_render_set_source_color (p->cr, &p->theme.foreground, 1.0);
      ls_render_show_text (p->cr, p->text, text, *x, y, 0.0, 0.5);
      *x += width + 1.5 * px;
    }
}

/* Maps */

void
ls_render_get_attention_map_geometry (gsize                   tokens,
                                      double                  label_em,
                                      double                  x,
                                      double                  y,
                                      double                  width,
                                      double                  height,
                                      double                  font_px,
                                      LsAttentionMapGeometry *geometry)
{
  double px = MAP_LABEL_EM * font_px;
  double labels = 0.0;
  double cell = 0.0;
  double n = (double) MAX (tokens, 1);

  /* Labels no taller than a cell: a smaller text size makes the labels
   * narrower and the cells larger, so two rounds settle it. */
  for (guint round = 0; round < 3; round++)
    {
      labels = px > 0.0 ? (label_em + 0.4) * px : 0.0;
      cell = MAX (MIN ((width - labels) / n, (height - labels) / n), 0.0);
      if (px > cell / MAP_LABEL_CELL_RATIO)
        px = cell / MAP_LABEL_CELL_RATIO;
      if (px < MIN_MAP_LABEL_PX)
        px = 0.0;
    }

  labels = px > 0.0 ? (label_em + 0.4) * px : 0.0;
  cell = MAX (MIN ((width - labels) / n, (height - labels) / n), 0.0);
  *geometry = (LsAttentionMapGeometry) {
    .px = px, .cell = cell, .tokens = tokens,
    .grid_x = x + (width - labels - n * cell) / 2.0 + labels,
    .grid_y = y + labels,
  };
}

/* Creates the image of one head's weights, a pixel per cell: the head's
 * hue over the background in proportion to the weight, and the grey of
 * LS_RENDER_NOT_A_NUMBER_RGB where it is NaN or infinite. */
static cairo_surface_t *
create_map_surface (const float         *weights,
                    gsize                tokens,
                    gsize                head,
                    const LsRenderTheme *theme)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) tokens, (int) tokens);
  guint32 *pixels = (guint32 *) (gpointer) cairo_image_surface_get_data (surface);
  gsize stride = (gsize) cairo_image_surface_get_stride (surface) / sizeof (guint32);
  LsColor hue, color;

  if (pixels == NULL)
    return surface;

  ls_render_get_head_color (head, &hue);
  for (gsize q = 0; q < tokens; q++)
    for (gsize k = 0; k < tokens; k++)
      {
        float w = weights[q * tokens + k];

        if (isfinite (w))
          blend_with_background (theme, &hue, CLAMP (w, 0.0f, 1.0f), &color);
        else
          ls_color_init_rgb (&color, LS_RENDER_NOT_A_NUMBER_RGB);
        pixels[q * stride + k] = ((guint32) lround (255.0 * color.red) << 16) |
                                 ((guint32) lround (255.0 * color.green) << 8) | (guint32) lround (255.0 * color.blue);
      }
  cairo_surface_mark_dirty (surface);

  return surface;
}

/* What one map draw needs besides the geometry. */
typedef struct
{
  cairo_t *cr;
  PangoLayout *text;
  LsNetwork *network;
  const LsLayer *layer;
  LsRenderTheme theme;
  double line_unit;
} MapPainter;

/* Paints the cells, hatches those of NaN weights and frames the grid. */
static void
draw_map_cells (const MapPainter             *m,
                gsize                         head,
                const LsAttentionMapGeometry *g)
{
  const float *weights = ls_layer_get_attention_head (m->layer, head);  /* [T][T] */
  cairo_surface_t *surface = create_map_surface (weights, g->tokens, head, &m->theme);
  double side = g->cell * (double) g->tokens;
  gboolean any_nan = FALSE;

  cairo_save (m->cr);
  cairo_translate (m->cr, g->grid_x, g->grid_y);
  cairo_scale (m->cr, g->cell, g->cell);
  cairo_set_source_surface (m->cr, surface, 0.0, 0.0);
  cairo_pattern_set_filter (cairo_get_source (m->cr), CAIRO_FILTER_NEAREST);
  cairo_rectangle (m->cr, 0.0, 0.0, (double) g->tokens, (double) g->tokens);
  cairo_fill (m->cr);
  cairo_restore (m->cr);
  cairo_surface_destroy (surface);

  cairo_new_path (m->cr);
  for (gsize i = 0; i < g->tokens * g->tokens; i++)
    if (!isfinite (weights[i]))
      {
        cairo_rectangle (m->cr, g->grid_x + (double) (i % g->tokens) * g->cell,
                         g->grid_y + (double) (i / g->tokens) * g->cell, g->cell, g->cell);
        any_nan = TRUE;
      }
  if (any_nan)
    ls_render_fill_not_a_number (m->cr, m->line_unit);
  cairo_new_path (m->cr);

  cairo_rectangle (m->cr, g->grid_x - 0.5, g->grid_y - 0.5, side + 1.0, side + 1.0);
  ls_render_set_source_color (m->cr, &m->theme.outline, 1.0);
  cairo_set_line_width (m->cr, 1.0);
  cairo_stroke (m->cr);
}

/* Writes the query tokens left of the rows and the key tokens over the
 * columns, upwards. */
static void
draw_map_labels (const MapPainter             *m,
                 const LsAttentionMapGeometry *g)
{
  double gap = 0.3 * g->px;

  if (g->px <= 0.0)
    return;

  ls_render_set_font (m->text, g->px, FALSE);
  ls_render_set_source_color (m->cr, &m->theme.foreground, 1.0);
  for (gsize t = 0; t < g->tokens; t++)
    {
      const char *token = ls_network_get_token (m->network, t);
      double middle = ((double) t + 0.5) * g->cell;

      ls_render_show_text (m->cr, m->text, token, g->grid_x - gap, g->grid_y + middle, 1.0, 0.5);

      cairo_save (m->cr);
      cairo_translate (m->cr, g->grid_x + middle, g->grid_y - gap);
      cairo_rotate (m->cr, -G_PI / 2.0);
      ls_render_show_text (m->cr, m->text, token, 0.0, 0.0, 0.0, 0.5);
      cairo_restore (m->cr);
    }
}

static void
outline_map_row (const MapPainter             *m,
                 const LsAttentionMapGeometry *g,
                 gsize                         query)
{
  double inset = 1.5 * m->line_unit;

  cairo_rectangle (m->cr, g->grid_x - inset, g->grid_y + (double) query * g->cell - inset,
                   (double) g->tokens * g->cell + 2.0 * inset, g->cell + 2.0 * inset);
  ls_render_set_source_color (m->cr, &m->theme.background, 1.0);
  cairo_set_line_width (m->cr, 3.5 * m->line_unit);
  cairo_stroke_preserve (m->cr);
  ls_render_set_source_color (m->cr, &m->theme.foreground, 1.0);
  cairo_set_line_width (m->cr, 1.75 * m->line_unit);
  cairo_stroke (m->cr);
}

static void
draw_map (const MapPainter             *m,
          gsize                         head,
          const LsAttentionMapGeometry *g,
          gssize                        highlighted_query)
{
  if (g->tokens == 0 || g->cell <= 0.0)
    return;

  draw_map_cells (m, head, g);
  draw_map_labels (m, g);
  if (highlighted_query >= 0 && (gsize) highlighted_query < g->tokens)
    outline_map_row (m, g, (gsize) highlighted_query);
}

/* Returns the widest token of a text network, per pixel of text size. */
static double
measure_label_em (LsNetwork *network)
{
  g_autoptr(PangoLayout) pango = ls_render_create_measure_layout ();
  double widest = 0.0;

  ls_render_set_font (pango, 100.0, FALSE);
  for (gsize t = 0; t < ls_network_get_n_tokens (network); t++)
    widest = MAX (widest, ls_render_get_text_width (pango, ls_network_get_token (network, t)));

  return widest / 100.0;
}

/* Whether layer is an attention layer of network with weights for the
 * network's current tokens. */
static gboolean
is_attention_layer (LsNetwork *network,
                    gsize      layer)
{
  return layer < ls_network_get_n_layers (network) &&
         ls_network_get_layer (network, layer)->kind == LS_LAYER_ATTENTION &&
         ls_layer_get_tokens (ls_network_get_layer (network, layer)) == ls_network_get_n_tokens (network);
}

void
ls_render_attention_map (cairo_t             *cr,
                         LsNetwork           *network,
                         gsize                layer,
                         gsize                head,
                         double               x,
                         double               y,
                         double               width,
                         double               height,
                         gssize               highlighted_query,
                         const LsRenderStyle *style)
{
  g_autoptr(PangoLayout) text = NULL;
  LsAttentionMapGeometry geometry;
  MapPainter m;
  double font_px;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (LS_IS_NETWORK (network));
  g_return_if_fail (is_attention_layer (network, layer));
  g_return_if_fail (head < ls_network_get_layer (network, layer)->heads);

  if (style == NULL)
    style = ls_render_get_default_style ();
  if (!(width > 0.0) || !(height > 0.0))
    return;

  font_px = ls_render_get_font_px (height, style);
  ls_render_get_attention_map_geometry (ls_network_get_n_tokens (network), measure_label_em (network), x, y, width,
                                        height, font_px, &geometry);
  text = pango_cairo_create_layout (cr);
  m = (MapPainter) {
    .cr = cr, .text = text, .network = network, .layer = ls_network_get_layer (network, layer),
    .line_unit = font_px / 18.0,
  };
  ls_render_get_theme (style->dark, &m.theme);

  cairo_save (cr);
  draw_map (&m, head, &geometry, highlighted_query);
  cairo_restore (cr);
}

gboolean
ls_render_attention_map_hit (LsNetwork           *network,
                             gsize                layer,
                             double               x,
                             double               y,
                             double               width,
                             double               height,
                             const LsRenderStyle *style,
                             double               px,
                             double               py,
                             gsize               *query,
                             gsize               *key)
{
  LsAttentionMapGeometry g;
  double column, row;

  g_return_val_if_fail (LS_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (is_attention_layer (network, layer), FALSE);
  g_return_val_if_fail (query != NULL && key != NULL, FALSE);

  if (style == NULL)
    style = ls_render_get_default_style ();
  if (!(width > 0.0) || !(height > 0.0))
    return FALSE;

  ls_render_get_attention_map_geometry (ls_network_get_n_tokens (network), measure_label_em (network), x, y, width,
                                        height, ls_render_get_font_px (height, style), &g);
  if (g.cell <= 0.0)
    return FALSE;

  column = floor ((px - g.grid_x) / g.cell);
  row = floor ((py - g.grid_y) / g.cell);
  if (column < 0.0 || row < 0.0 || column >= (double) g.tokens || row >= (double) g.tokens)
    return FALSE;

  *query = (gsize) row;
  *key = (gsize) column;

  return TRUE;
}

/* Returns the query token of the selection where it is a row of column c. */
static gssize
get_selected_query (const LsDiagramPainter *p,
                    gsize                   c)
{
  const LsSelection *selection = p->selection;
  const LsDiagramColumn *column = &p->layout->columns[c];

  if (selection->kind != LS_SELECTION_NEURON || selection->column != c || selection->unit >= column->units)
    return -1;

  return (gssize) (selection->unit / column->features);
}

/* Draws the small maps of one attention column, one per head side by
 * side, each under its title "head N". */
static void
draw_column_maps (const LsDiagramPainter *p,
                  const MapPainter       *m,
                  gsize                   c)
{
  const cairo_rectangle_t *area = &p->layout->maps_area[c];
  const LsLayer *layer = m->layer;
  double gap = 1.0 * p->layout->font_px;
  double label_px = MAP_LABEL_EM * p->layout->font_px;
  double title = 1.3 * label_px;
  double map_width = (area->width - (double) (layer->heads - 1) * gap) / (double) layer->heads;

  for (gsize h = 0; h < layer->heads; h++)
    {
      /* TRANSLATORS: the title of one attention head's map, counted from 1, e.g. "head 2" */
      g_autofree char *name = g_strdup_printf (_("head %zu"), h + 1);
      double x = area->x + (double) h * (map_width + gap);
      LsAttentionMapGeometry g;
      LsColor hue;

      ls_render_get_attention_map_geometry (layer->input_shape.dims[0], p->layout->token_em, x, area->y + title,
                                            map_width, area->height - title, p->layout->font_px, &g);
      draw_map (m, h, &g, get_selected_query (p, c));

      ls_render_get_head_color (h, &hue);
      ls_render_set_font (p->text, label_px, TRUE);
      ls_render_set_source_color (p->cr, &hue, 1.0);
      ls_render_show_text (p->cr, p->text, name, g.grid_x + (double) g.tokens * g.cell / 2.0,
                           g.grid_y - (g.px > 0.0 ? (p->layout->token_em + 0.4) * g.px : 0.0), 0.5, 1.0);
    }
}

/* Draws the attention maps under the rows, where the layout made room. */
void
ls_render_draw_attention_maps (const LsDiagramPainter *p)
{
  for (gsize c = 1; c < p->layout->n_columns; c++)
    {
      MapPainter m;

      if (p->layout->maps_area[c].width <= 0.0 || p->layout->maps_area[c].height <= 0.0 ||
          !is_attention_layer (p->network, c - 1))
        continue;

      m = (MapPainter) {
        .cr = p->cr, .text = p->text, .network = p->network, .layer = ls_network_get_layer (p->network, c - 1),
        .theme = p->theme, .line_unit = p->layout->line_unit,
      };
      draw_column_maps (p, &m, c);
    }
}
