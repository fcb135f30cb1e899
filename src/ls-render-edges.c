/* ls-render-edges.c: the connections of dense layers, and the bundles
 * that lead into convolution, pooling and flatten layers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-render"

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "ls-diagram-layout-private.h"
#include "ls-number.h"
#include "ls-render-private.h"

/* A dense layer with a compact side draws only this many of its
 * connections, the strongest by |weight · input value| among those that
 * carry a signal, so that a redraw stays fast while the input changes. */
#define RANKED_EDGES 100
/* The edges of a selected unit: at most this many, the strongest. */
#define MAX_SELECTED_EDGES 24
/* The edges of a selected neuron get weight labels while there are at
 * most this many. */
#define MAX_WEIGHT_LABELS 12

/* Ranking */

/* Whether layer column − 1 exists and is dense on a vector, so that its
 * weights are edges from column − 1 to column. A dense layer on a token
 * sequence applies the same weights to each token on its own, which
 * edges between all the values of both columns would misrepresent. */
gboolean
ls_diagram_has_edges_into (LsNetwork *network,
                           gsize      column)
{
  const LsLayer *layer;

  if (column < 1 || column > ls_network_get_n_layers (network))
    return FALSE;

  layer = ls_network_get_layer (network, column - 1);

  return layer->kind == LS_LAYER_DENSE && !ls_layer_is_sequence (layer);
}

/* Whether the edges into column are ranked, so that only the strongest
 * are drawn: where either side has more than LS_DIAGRAM_COMPACT_UNITS
 * values or does not show all of them. */
gboolean
ls_diagram_layout_ranks_edges (const LsDiagramLayout *layout,
                               gsize                  column)
{
  const LsDiagramColumn *source;
  const LsDiagramColumn *target;

  g_assert (column >= 1 && column < layout->n_columns);

  source = &layout->columns[column - 1];
  target = &layout->columns[column];

  return source->units > LS_DIAGRAM_COMPACT_UNITS || target->units > LS_DIAGRAM_COMPACT_UNITS ||
         !ls_diagram_column_shows_all (source) || !ls_diagram_column_shows_all (target);
}

/* Appends the units that a column shows, in the order it draws them. */
static void
append_shown_units (const LsDiagramColumn *column,
                    GArray                *units)
{
  gsize n = column->units;

  if (column->kind == LS_DIAGRAM_NEURONS)
    {
      for (gsize slot = 0; slot < ls_diagram_column_get_n_slots (column); slot++)
        {
          gsize unit = ls_diagram_column_get_slot_unit (column, slot);

          if (unit != LS_DIAGRAM_NO_UNIT)
            g_array_append_val (units, unit);
        }
      return;
    }

  /* the channels of the shown tiles, or all three of an RGB tile */
  if (column->kind == LS_DIAGRAM_TILES && column->color != LS_DIAGRAM_TILE_RGB)
    n = column->n_tiles * column->height * column->width;

  for (gsize unit = 0; unit < n; unit++)
    g_array_append_val (units, unit);
}

static GArray *
dup_shown_units (const LsDiagramColumn *column)
{
  GArray *units = g_array_new (FALSE, FALSE, sizeof (gsize));

  append_shown_units (column, units);

  return units;
}

/* Returns whether a ranks below b: by strength, then by |weight|, so that
 * edges from inputs of 0 still rank by their weights. */
static gboolean
is_weaker (const LsDiagramEdge *a,
           const LsDiagramEdge *b)
{
  if (a->strength != b->strength)
    return a->strength < b->strength;

  return fabsf (a->weight) < fabsf (b->weight);
}

static int
compare_edges (gconstpointer a,
               gconstpointer b)
{
  return is_weaker (a, b) ? -1 : is_weaker (b, a) ? 1 : 0;
}

/* Restores the heap order of edges[0, n) below index i, weakest on top. */
static void
sift_down (LsDiagramEdge *edges,
           gsize          n,
           gsize          i)
{
  for (;;)
    {
      gsize weakest = i;
      gsize left = 2 * i + 1;
      LsDiagramEdge swap;

      if (left < n && is_weaker (&edges[left], &edges[weakest]))
        weakest = left;
      if (left + 1 < n && is_weaker (&edges[left + 1], &edges[weakest]))
        weakest = left + 1;
      if (weakest == i)
        return;

      swap = edges[i];
      edges[i] = edges[weakest];
      edges[weakest] = swap;
      i = weakest;
    }
}

/* Keeps the limit strongest edges offered to a heap in ranked[0, limit). */
typedef struct
{
  GArray *ranked;  /* of LsDiagramEdge, a heap with the weakest first */
  gsize limit;
} EdgeRanking;

static void
offer_edge (EdgeRanking         *ranking,
            const LsDiagramEdge *edge)
{
  LsDiagramEdge *edges = (LsDiagramEdge *) (gpointer) ranking->ranked->data;
  gsize n = ranking->ranked->len;

  if (n < ranking->limit)
    {
      g_array_append_val (ranking->ranked, *edge);
      if (n + 1 == ranking->limit)
        for (gsize i = ranking->limit / 2 + 1; i-- > 0;)
          sift_down ((LsDiagramEdge *) (gpointer) ranking->ranked->data, ranking->limit, i);
      return;
    }

  if (is_weaker (&edges[0], edge))
    {
      edges[0] = *edge;
      sift_down (edges, n, 0);
    }
}

/* Returns the edge from input to unit of a dense layer, which reads
 * input_value. A NaN product counts as no strength at all. */
static LsDiagramEdge
make_edge (const LsLayer *layer,
           gsize          input,
           gsize          unit,
           float          input_value)
{
  float weight = layer->weights[input * layer->units + unit];
  float strength = fabsf (weight * input_value);

  return (LsDiagramEdge) { input, unit, weight, isnan (strength) ? 0.0f : strength };
}

/* Returns every edge between the shown units of columns c − 1 and c,
 * with targets outer and sources inner, or with limit > 0 the strongest
 * limit of them, weakest first. With signal_only set, edges of strength
 * 0, whose input is 0, are left out. */
static GArray *
collect_edges (LsNetwork    *network,
               gsize         c,
               const GArray *sources,
               const GArray *targets,
               gsize         limit,
               gboolean      signal_only)
{
  const LsLayer *layer = ls_network_get_layer (network, c - 1);
  const float *values = ls_render_get_column_values (network, c - 1);  /* [layer inputs] */
  EdgeRanking ranking = { g_array_new (FALSE, FALSE, sizeof (LsDiagramEdge)), limit > 0 ? limit : G_MAXSIZE };

  for (guint j = 0; j < targets->len; j++)
    for (guint i = 0; i < sources->len; i++)
      {
        gsize input = g_array_index (sources, gsize, i);
        LsDiagramEdge edge = make_edge (layer, input, g_array_index (targets, gsize, j), values[input]);

        if (!signal_only || edge.strength > 0.0f)
          offer_edge (&ranking, &edge);
      }

  if (limit > 0)
    g_array_sort (ranking.ranked, compare_edges);

  return ranking.ranked;
}

static GArray *
compute_edges (const LsDiagramLayout *layout,
               LsNetwork             *network,
               gsize                  c)
{
  g_autoptr(GArray) sources = dup_shown_units (&layout->columns[c - 1]);
  g_autoptr(GArray) targets = dup_shown_units (&layout->columns[c]);
  gboolean ranked = ls_diagram_layout_ranks_edges (layout, c);

  return collect_edges (network, c, sources, targets, ranked ? RANKED_EDGES : 0, ranked);
}

const GArray *
ls_diagram_layout_get_edges (const LsDiagramLayout *layout,
                             LsNetwork             *network,
                             gsize                  column)
{
  LsDiagramCache *cache = layout->cache;

  if (!ls_diagram_has_edges_into (network, column))
    return NULL;

  if (cache->edges == NULL)
    cache->edges = g_new0 (GArray *, layout->n_columns);
  if (cache->edges[column] == NULL)
    cache->edges[column] = compute_edges (layout, network, column);

  return cache->edges[column];
}

/* Drawing */

/* Line width in pixels for a weight: wider for larger magnitudes, clamped
 * so that small weights stay visible and large ones do not hide others. */
static double
get_edge_width (const LsDiagramLayout *layout,
                double                 weight)
{
  double width = CLAMP (0.5 + 3.0 * fabs (weight), 0.75, 6.0) * layout->line_unit;

  /* the presenter style's line unit makes the thinnest edge 1.5 units */
  if (layout->line_unit >= LS_RENDER_PRESENTER_LINE_UNIT && weight != 0.0)
    width = MAX (width, LS_RENDER_PRESENTER_MIN_LINE_PX);

  return width;
}

/* Strokes an edge: solid for a positive weight and dashed for a negative
 * one, so the sign reads without colour. */
void
ls_render_stroke_edge (const LsDiagramPainter *p,
                       double                  weight,
                       double                  x0,
                       double                  y0,
                       double                  x1,
                       double                  y1,
                       double                  alpha,
                       double                  extra_width)
{
  cairo_t *cr = p->cr;
  double width = get_edge_width (p->layout, weight) + extra_width;
  LsColor color;

  /* An opaque colour blended with the background looks like alpha on that
   * background, and Cairo 1.16's image backend strokes it faster: a third
   * less time per 400-pixel diagonal line in a test. */
  ls_palette_get_line_color (weight, p->style->dark, p->style->high_contrast, &color);
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

/* The two ends of an edge as drawn: each is a unit's centre, moved
 * inward by trim where the unit is a neuron, whose circle covers it. */
typedef struct
{
  double x0, y0, trim0;
  double x1, y1, trim1;
} EdgeEnds;

static gboolean
get_edge_ends (const LsDiagramLayout *layout,
               gsize                  column,
               gsize                  input,
               gsize                  unit,
               EdgeEnds              *ends)
{
  return ls_diagram_layout_get_edge_end (layout, column - 1, input, &ends->x0, &ends->y0, &ends->trim0) &&
         ls_diagram_layout_get_edge_end (layout, column, unit, &ends->x1, &ends->y1, &ends->trim1);
}

/* Strokes an edge between its ends, leaving out the parts that neurons
 * cover, which would only cost time. */
static void
stroke_edge_between (const LsDiagramPainter *p,
                     double                  weight,
                     const EdgeEnds         *ends,
                     double                  alpha,
                     double                  extra_width)
{
  double length = hypot (ends->x1 - ends->x0, ends->y1 - ends->y0);
  double ux, uy;

  if (length <= ends->trim0 + ends->trim1)
    return;

  ux = (ends->x1 - ends->x0) / length;
  uy = (ends->y1 - ends->y0) / length;
  ls_render_stroke_edge (p, weight, ends->x0 + ux * ends->trim0, ends->y0 + uy * ends->trim0,
                         ends->x1 - ux * ends->trim1, ends->y1 - uy * ends->trim1, alpha, extra_width);
}

/* Fainter lines where many cross, so that the crossings do not turn into
 * a solid block. */
static double
get_edge_alpha (gsize n_edges)
{
  if (n_edges > 600)
    return 0.35;
  if (n_edges > 150)
    return 0.55;

  return 0.85;
}

/* Which edges belong to the selected unit: those into it from the
 * column before when its layer is dense, else those out of it into the
 * next column when that layer is dense. */
typedef struct
{
  gsize column;       /* target column of the edges, 0 for none */
  gboolean outgoing;
} SelectedEdges;

static void
find_selected_edges (const LsDiagramPainter *p,
                     SelectedEdges          *selected)
{
  const LsSelection *selection = p->selection;

  *selected = (SelectedEdges) { 0, FALSE };
  if (selection->kind != LS_SELECTION_NEURON)
    return;

  if (ls_diagram_has_edges_into (p->network, selection->column))
    *selected = (SelectedEdges) { selection->column, FALSE };
  else if (ls_diagram_has_edges_into (p->network, selection->column + 1))
    *selected = (SelectedEdges) { selection->column + 1, TRUE };
}

static gboolean
is_selected_edge (const LsDiagramPainter *p,
                  const SelectedEdges    *selected,
                  gsize                   c,
                  const LsDiagramEdge    *edge)
{
  if (selected->column != c)
    return FALSE;

  if (selected->outgoing)
    return edge->input == p->selection->unit;

  return edge->unit == p->selection->unit;
}

/* Adds a line for each edge drawn into column c to the path, between
 * the edges of the neurons that it connects. Adds nothing where layer
 * c − 1 is not dense. */
void
ls_render_add_edge_lines (const LsDiagramPainter *p,
                          gsize                   c)
{
  const GArray *edges;

  if (c == 0 || c >= p->layout->n_columns)
    return;

  edges = ls_diagram_layout_get_edges (p->layout, p->network, c);
  for (guint i = 0; edges != NULL && i < edges->len; i++)
    {
      const LsDiagramEdge *edge = &g_array_index (edges, LsDiagramEdge, i);
      EdgeEnds ends;
      double length, ux, uy;

      if (!get_edge_ends (p->layout, c, edge->input, edge->unit, &ends))
        continue;

      length = hypot (ends.x1 - ends.x0, ends.y1 - ends.y0);
      if (length <= ends.trim0 + ends.trim1)
        continue;

      ux = (ends.x1 - ends.x0) / length;
      uy = (ends.y1 - ends.y0) / length;
      cairo_move_to (p->cr, ends.x0 + ux * ends.trim0, ends.y0 + uy * ends.trim0);
      cairo_line_to (p->cr, ends.x1 - ux * ends.trim1, ends.y1 - uy * ends.trim1);
    }
}

/* Draws the edges into a column that the forward pass has not reached
 * as thin grey lines, which show the connections but no weights. */
static void
draw_pending_edges_into (const LsDiagramPainter *p,
                         const GArray           *edges,
                         gsize                   c)
{
  cairo_set_dash (p->cr, NULL, 0, 0.0);
  for (guint i = 0; i < edges->len; i++)
    {
      const LsDiagramEdge *edge = &g_array_index (edges, LsDiagramEdge, i);
      EdgeEnds ends;

      if (!get_edge_ends (p->layout, c, edge->input, edge->unit, &ends))
        continue;

      cairo_move_to (p->cr, ends.x0, ends.y0);
      cairo_line_to (p->cr, ends.x1, ends.y1);
    }
  ls_render_set_source_color (p->cr, &p->theme.secondary, 0.4);
  cairo_set_line_width (p->cr, 0.75 * p->layout->line_unit);
  cairo_stroke (p->cr);
}

/* Draws the chosen edges into column c, except those of a selected
 * unit, which draw_selected_unit_edges() draws on top. */
static void
draw_edges_into (const LsDiagramPainter *p,
                 const SelectedEdges    *selected,
                 gsize                   c)
{
  const GArray *edges = ls_diagram_layout_get_edges (p->layout, p->network, c);
  double alpha;

  if (edges == NULL)
    return;

  /* With a unit selected, every other edge is drawn fainter. */
  alpha = get_edge_alpha (edges->len);
  if (p->selection->kind == LS_SELECTION_NEURON)
    alpha = MIN (alpha, 0.2);

  if (ls_render_is_column_pending (p->style, c))
    {
      draw_pending_edges_into (p, edges, c);
      return;
    }

  for (guint i = 0; i < edges->len; i++)
    {
      const LsDiagramEdge *edge = &g_array_index (edges, LsDiagramEdge, i);
      EdgeEnds ends;

      if (is_selected_edge (p, selected, c, edge) || !get_edge_ends (p->layout, c, edge->input, edge->unit, &ends))
        continue;

      stroke_edge_between (p, edge->weight, &ends, alpha, 0.0);
    }
}

/* Shows a weight's value on its edge, a fraction t of the way from the
 * source to the target. */
static void
label_edge (const LsDiagramPainter *p,
            double                  weight,
            const EdgeEnds         *ends,
            double                  t)
{
  g_autofree char *value = ls_format_value (weight);
  LsColor color;

  ls_palette_get_line_color (weight, p->style->dark, p->style->high_contrast, &color);
  cairo_set_dash (p->cr, NULL, 0, 0.0);
  ls_render_show_text_on_box (p->cr, p->text, value, ends->x0 + t * (ends->x1 - ends->x0),
                              ends->y0 + t * (ends->y1 - ends->y0), &p->theme, &color,
                              1.5 * p->layout->line_unit);
}

/* Returns the edges of the selected unit that both columns show, or the
 * MAX_SELECTED_EDGES strongest of them. */
static GArray *
collect_selected_edges (const LsDiagramPainter *p,
                        const SelectedEdges    *selected)
{
  const LsDiagramLayout *layout = p->layout;
  gsize c = selected->column;
  g_autoptr(GArray) sources = NULL;
  g_autoptr(GArray) targets = NULL;
  gsize unit = p->selection->unit;
  gsize n_others;

  if (selected->outgoing)
    {
      sources = g_array_new (FALSE, FALSE, sizeof (gsize));
      g_array_append_val (sources, unit);
      targets = dup_shown_units (&layout->columns[c]);
      n_others = targets->len;
    }
  else
    {
      sources = dup_shown_units (&layout->columns[c - 1]);
      targets = g_array_new (FALSE, FALSE, sizeof (gsize));
      g_array_append_val (targets, unit);
      n_others = sources->len;
    }

  return collect_edges (p->network, c, sources, targets, n_others > MAX_SELECTED_EDGES ? MAX_SELECTED_EDGES : 0,
                        FALSE);
}

/* Returns whether the edges of the selected unit get weight labels: they
 * are few, and the neurons at their far ends far enough apart to read. */
static gboolean
are_selected_edges_labelled (const LsDiagramPainter *p,
                             const SelectedEdges    *selected,
                             guint                   n_edges)
{
  const LsDiagramLayout *layout = p->layout;
  const LsDiagramColumn *others = &layout->columns[selected->outgoing ? selected->column : selected->column - 1];

  return n_edges <= MAX_WEIGHT_LABELS && others->kind == LS_DIAGRAM_NEURONS &&
         0.65 * others->pitch >= 1.9 * layout->font_px;
}

/* Draws the edges of the selected unit on top of the others, and labels
 * their weights near the far ends while they are few and far enough
 * apart to read. */
static void
draw_selected_unit_edges (const LsDiagramPainter *p,
                          const SelectedEdges    *selected)
{
  g_autoptr(GArray) edges = NULL;
  gboolean labelled;

  if (selected->column == 0 ||
      !ls_diagram_layout_get_unit_center (p->layout, p->selection->column, p->selection->unit, NULL, NULL))
    return;

  edges = collect_selected_edges (p, selected);
  labelled = are_selected_edges_labelled (p, selected, edges->len);
  ls_render_set_font (p->text, 0.85 * p->layout->font_px, FALSE);

  /* All lines first, so that no line crosses a label. */
  for (guint pass = 0; pass < (labelled ? 2 : 1); pass++)
    for (guint i = 0; i < edges->len; i++)
      {
        const LsDiagramEdge *edge = &g_array_index (edges, LsDiagramEdge, i);
        EdgeEnds ends;

        if (!get_edge_ends (p->layout, selected->column, edge->input, edge->unit, &ends))
          continue;

        if (pass == 0)
          stroke_edge_between (p, edge->weight, &ends, 1.0, 1.5 * p->layout->line_unit);
        else
          label_edge (p, edge->weight, &ends, selected->outgoing ? 0.65 : 0.35);
      }
}

/* Draws the selected edge wider, over a halo, with its weight at the middle. */
static void
draw_selected_edge (const LsDiagramPainter *p)
{
  const LsDiagramLayout *layout = p->layout;
  const LsSelection *selection = p->selection;
  EdgeEnds ends;
  float weight;

  if (!ls_diagram_has_edges_into (p->network, selection->column) ||
      !get_edge_ends (layout, selection->column, selection->input, selection->unit, &ends))
    return;

  weight = ls_layer_get_weight (ls_network_get_layer (p->network, selection->column - 1),
                                selection->input, selection->unit);

  cairo_set_dash (p->cr, NULL, 0, 0.0);
  cairo_set_line_cap (p->cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_width (p->cr, get_edge_width (layout, weight) + 9.0 * layout->line_unit);
  ls_render_set_source_color (p->cr, &p->theme.foreground, 0.25);
  cairo_move_to (p->cr, ends.x0, ends.y0);
  cairo_line_to (p->cr, ends.x1, ends.y1);
  cairo_stroke (p->cr);
  cairo_set_line_cap (p->cr, CAIRO_LINE_CAP_BUTT);

  stroke_edge_between (p, weight, &ends, 1.0, 2.0 * layout->line_unit);
  ls_render_set_font (p->text, 0.9 * layout->font_px, TRUE);
  label_edge (p, weight, &ends, 0.5);
}

void
ls_render_draw_edges (const LsDiagramPainter *p)
{
  SelectedEdges selected;

  find_selected_edges (p, &selected);
  for (gsize c = 1; c < p->layout->n_columns; c++)
    draw_edges_into (p, &selected, c);

  if (p->selection->kind == LS_SELECTION_NEURON)
    draw_selected_unit_edges (p, &selected);
  else if (p->selection->kind == LS_SELECTION_EDGE)
    draw_selected_edge (p);

  cairo_set_dash (p->cr, NULL, 0, 0.0);
}

/* Bundles */

/* Fills the band from the right side of column c − 1 to the left side of
 * column c: a convolution, pooling or flatten layer reads its input by
 * position, which one line per weight would not show. Token pooling of
 * the first token reads only the first row, so its band starts there. */
static void
draw_bundle (const LsDiagramPainter *p,
             gsize                   c)
{
  const LsLayer *layer = ls_network_get_layer (p->network, c - 1);
  const LsDiagramColumn *previous = &p->layout->columns[c - 1];
  const cairo_rectangle_t *from = &previous->bounds;
  const cairo_rectangle_t *to = &p->layout->columns[c].bounds;
  cairo_rectangle_t first_row;

  if (layer->kind == LS_LAYER_POOL_TOKENS && layer->pooling == LS_TOKEN_POOLING_FIRST &&
      previous->kind == LS_DIAGRAM_SEQUENCE && previous->tokens > 0)
    {
      first_row = (cairo_rectangle_t) {
        from->x, ls_diagram_sequence_get_row_y (previous, 0) - previous->row_height / 2.0,
        from->width, previous->row_height,
      };
      from = &first_row;
    }
  double pad = 0.3 * p->layout->font_px;
  double x0 = from->x + from->width + pad;
  double x1 = to->x - pad;

  if (x1 <= x0)
    return;

  cairo_move_to (p->cr, x0, from->y);
  cairo_line_to (p->cr, x1, to->y);
  cairo_line_to (p->cr, x1, to->y + to->height);
  cairo_line_to (p->cr, x0, from->y + from->height);
  cairo_close_path (p->cr);
  ls_render_set_source_color (p->cr, &p->theme.track, 1.0);
  cairo_fill (p->cr);
}

/* Draws a bundle into every column of a layer other than dense, except
 * into token sequences, whose rows ls_render_draw_row_guides() and
 * ls_render_draw_attention_arcs() connect. */
void
ls_render_draw_bundles (const LsDiagramPainter *p)
{
  for (gsize c = 1; c < p->layout->n_columns; c++)
    if (ls_network_get_layer (p->network, c - 1)->kind != LS_LAYER_DENSE &&
        p->layout->columns[c].kind != LS_DIAGRAM_SEQUENCE)
      draw_bundle (p, c);
}
