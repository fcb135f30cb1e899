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
 * levels. Each group is one path in the style of its level's middle
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
/* Labels of an attention map are left out below MIN_MAP_LABEL_PX, and
 * where they would take more than MAX_MAP_LABEL_SHARE of the map's
 * width or height. Labels are written no closer than MAP_LABEL_CELL_RATIO
 * times their size, so that small cells get every second or third. */
#define MIN_MAP_LABEL_PX 7.0
#define MAX_MAP_LABEL_SHARE 0.5
#define MAP_LABEL_CELL_RATIO 1.0

/* The hues of the first LS_RENDER_HEAD_HUES heads. Each is dark enough
 * to read on white, and none is the orange or blue of the value scale and
 * the weights. The first two are the bluish green and reddish purple of
 * Okabe and Ito's colour-blind-safe palette. Heads from
 * LS_RENDER_HEAD_HUES + 1 on take the hues again with dashed lines. */
static const guint32 head_rgb[LS_RENDER_HEAD_HUES] = {
  0x009e73, /* bluish green */
  0xcc79a7, /* reddish purple */
  0x6a3d9a, /* purple */
  0x8c8c00, /* olive */
  0xb2182b, /* crimson */
  0x000000, /* black */
  0x8c564b, /* brown */
  0xe7298a, /* magenta */
};

void
ls_render_get_head_color (gsize    head,
                          LsColor *color)
{
  g_return_if_fail (color != NULL);

  ls_color_init_rgb (color, head_rgb[head % LS_RENDER_HEAD_HUES]);
}

/* Sets the dash of a head's lines: solid for the first
 * LS_RENDER_HEAD_HUES heads, dashed for the next ones. */
static void
set_head_dash (cairo_t *cr,
               gsize    head,
               double   line_unit)
{
  double dashes[] = { 5.0 * line_unit, 3.0 * line_unit };

  if (head < LS_RENDER_HEAD_HUES)
    cairo_set_dash (cr, NULL, 0, 0.0);
  else
    cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0.0);
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
 * LS_RENDER_MIN_ARC_WEIGHT or more and not masked, at most the MAX_ARCS
 * strongest. */
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

      /* a causal layer masks the keys after the query: no arc for those */
      for (gsize q = 0; q < tokens; q++)
        for (gsize k = 0; k < (layer->causal ? q + 1 : tokens); k++)
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
  set_head_dash (p->cr, head, p->layout->line_unit);
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

/* Arc labels */

/* Points at which an arc's curve is sampled when labels are checked
 * against it, enough to follow the S-shape within a line width. */
#define ARC_SAMPLES 24
/* A label that finds no free place on its arc is moved off it, up or
 * down by at most this many label heights, and joined to the arc by a
 * leader line. */
#define MAX_LEADER_STEPS 3

/* The curve of one arc of the selected query, as a polyline. */
typedef struct
{
  const Arc *arc;
  gsize index;                         /* position among the shown heads */
  double half_width;                   /* half the stroke's width */
  cairo_rectangle_t extent;            /* bounding box of points */
  double points[ARC_SAMPLES + 1][2];   /* [sample][x, y] */
} ArcPath;

static void
init_arc_path (const LsDiagramPainter *p,
               const ArcEnds          *ends,
               const Arc              *arc,
               gsize                   index,
               ArcPath                *path)
{
  double y0, y1, alpha, width;

  path->arc = arc;
  path->index = index;
  path->half_width = ls_render_get_arc_style (arc->weight, p->layout->line_unit, TRUE, &alpha, &width) ? width / 2.0
                                                                                                       : 0.0;
  get_arc_ys (ends, arc, index, &y0, &y1);
  for (gsize i = 0; i <= ARC_SAMPLES; i++)
    get_arc_point (ends, y0, y1, (double) i / ARC_SAMPLES, &path->points[i][0], &path->points[i][1]);

  /* the curve stays between its ends' heights, as its control points do */
  path->extent = (cairo_rectangle_t) {
    ends->x0 - path->half_width, MIN (y0, y1) - path->half_width,
    ends->x1 - ends->x0 + 2.0 * path->half_width, fabs (y1 - y0) + 2.0 * path->half_width,
  };
}

/* Draws a line in the label's head hue from the label's centre to the
 * point of its arc it was moved from, with a dot there, when it was moved. */
static void
draw_leader_line (const LsDiagramPainter *p,
                  const LsArcLabel       *label)
{
  double unit = p->layout->line_unit;
  LsColor hue;

  if (label->x == label->anchor_x && label->y == label->anchor_y)
    return;

  ls_render_get_head_color (label->head, &hue);
  ls_render_set_source_color (p->cr, &hue, 1.0);
  cairo_set_line_width (p->cr, 1.5 * unit);
  cairo_move_to (p->cr, label->anchor_x, label->anchor_y);
  cairo_line_to (p->cr, label->x, label->y);
  cairo_stroke (p->cr);
  cairo_arc (p->cr, label->anchor_x, label->anchor_y, 2.5 * unit, 0.0, 2.0 * G_PI);
  cairo_fill (p->cr);
}

static gboolean
rectangles_overlap (const cairo_rectangle_t *a,
                    const cairo_rectangle_t *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width && a->y < b->y + b->height && b->y < a->y + a->height;
}

/* Returns whether the segment from (x0, y0) to (x1, y1) meets rect,
 * by clipping it to rect's four sides (Liang and Barsky's method). */
static gboolean
segment_meets_rectangle (double                   x0,
                         double                   y0,
                         double                   x1,
                         double                   y1,
                         const cairo_rectangle_t *rect)
{
  double d[4] = { -(x1 - x0), x1 - x0, -(y1 - y0), y1 - y0 };
  double q[4] = { x0 - rect->x, rect->x + rect->width - x0, y0 - rect->y, rect->y + rect->height - y0 };
  double enter = 0.0;
  double leave = 1.0;

  for (gsize i = 0; i < 4; i++)
    {
      if (d[i] == 0.0)
        {
          if (q[i] < 0.0)
            return FALSE;
          continue;
        }
      if (d[i] < 0.0)
        enter = MAX (enter, q[i] / d[i]);
      else
        leave = MIN (leave, q[i] / d[i]);
    }

  return enter <= leave;
}

/* Returns the sign of the turn from a to b to c. */
static int
get_turn (const double a[2],
          const double b[2],
          const double c[2])
{
  double cross = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);

  return (cross > 0.0) - (cross < 0.0);
}

/* Returns whether the stroke of path meets rect, or its curve crosses the
 * leader line from (leader[0], leader[1]) to (leader[2], leader[3]) when
 * leader is not NULL. */
static gboolean
arc_path_meets (const ArcPath           *path,
                const cairo_rectangle_t *rect,
                const double            *leader)
{
  cairo_rectangle_t grown = {
    rect->x - path->half_width, rect->y - path->half_width,
    rect->width + 2.0 * path->half_width, rect->height + 2.0 * path->half_width,
  };
  gboolean near = rectangles_overlap (&path->extent, &grown);

  if (!near && leader == NULL)
    return FALSE;

  for (gsize i = 0; i < ARC_SAMPLES; i++)
    {
      const double *a = path->points[i];
      const double *b = path->points[i + 1];

      if (near && segment_meets_rectangle (a[0], a[1], b[0], b[1], &grown))
        return TRUE;
      if (leader != NULL && get_turn (a, b, leader) != get_turn (a, b, leader + 2) &&
          get_turn (leader, leader + 2, a) != get_turn (leader, leader + 2, b))
        return TRUE;
    }

  return FALSE;
}

/* The arcs of the selected query and the labels placed so far. */
typedef struct
{
  const ArcEnds *ends;
  const ArcPath *paths;   /* [arcs] */
  gsize n_paths;
  GArray *labels;         /* of LsArcLabel */
} LabelPlacer;

/* Returns whether a label of own's arc fits in box, with a leader line
 * from the arc at (anchor_x, anchor_y) to the box's centre. The box must
 * be clear of the labels placed so far. When strict, it must also lie
 * between the columns, and neither it nor the leader line may meet
 * another arc of own's head, so that the label cannot be read as theirs. */
static gboolean
fits_label (const LabelPlacer       *placer,
            const ArcPath           *own,
            const cairo_rectangle_t *box,
            double                   anchor_x,
            double                   anchor_y,
            gboolean                 strict)
{
  const ArcPath *paths = placer->paths;
  double leader[4] = { anchor_x, anchor_y, box->x + box->width / 2.0, box->y + box->height / 2.0 };
  gboolean moved = leader[0] != leader[2] || leader[1] != leader[3];

  for (guint i = 0; i < placer->labels->len; i++)
    if (rectangles_overlap (box, &g_array_index (placer->labels, LsArcLabel, i).box))
      return FALSE;

  if (!strict)
    return TRUE;

  if (box->x < placer->ends->x0 || box->x + box->width > placer->ends->x1)
    return FALSE;

  for (gsize i = 0; i < placer->n_paths; i++)
    if (&paths[i] != own && paths[i].arc->head == own->arc->head &&
        arc_path_meets (&paths[i], box, moved ? leader : NULL))
      return FALSE;

  return TRUE;
}

/* Finds a place for the label of own's arc, a box of width × height, and
 * adds it to the placer's labels. It tries the arc where this head's
 * labels usually go, then further along, then places moved up or down
 * off the arc with a leader line. Leader lines start on the arc's first
 * half, where arcs from different keys are furthest apart. Returns FALSE
 * when no place fits. */
static gboolean
add_arc_label (LabelPlacer   *placer,
               const ArcPath *own,
               double         width,
               double         height,
               gboolean       strict)
{
  static const double along[] = { 0.1, 0.22, 0.34, 0.46, 0.58, 0.7, 0.82 };
  double y0, y1;

  get_arc_ys (placer->ends, own->arc, own->index, &y0, &y1);
  for (gsize step = 0; step <= MAX_LEADER_STEPS; step++)
    for (gsize i = 0; i <= G_N_ELEMENTS (along); i++)
      for (int side = -1; side <= (step > 0 ? 1 : -1); side += 2)
        {
          double t = i == 0 ? 0.16 + 0.26 * (double) MIN (own->index, 2) : along[i - 1];
          double x, y, centre_y;
          cairo_rectangle_t box;

          if (step > 0 && t > 0.5)
            continue;

          get_arc_point (placer->ends, y0, y1, t, &x, &y);
          centre_y = step > 0 ? y + side * ((double) step + 0.5) * height : y;
          box = (cairo_rectangle_t) { x - width / 2.0, centre_y - height / 2.0, width, height };
          if (fits_label (placer, own, &box, x, y, strict))
            {
              LsArcLabel label = { box, x, centre_y, x, y, own->arc->weight, own->arc->head, own->arc->key };

              g_array_append_val (placer->labels, label);
              return TRUE;
            }
        }

  return FALSE;
}

/* Measures and places the label of own's arc. */
static gboolean
add_measured_label (const LsDiagramPainter *p,
                    LabelPlacer            *placer,
                    const ArcPath          *own,
                    gboolean                strict)
{
  g_autofree char *text = ls_format_value (own->arc->weight);
  int width, height;

  pango_layout_set_text (p->text, text, -1);
  pango_layout_get_pixel_size (p->text, &width, &height);

  /* the box of ls_render_show_text_on_box() and a little room around it */
  return add_arc_label (placer, own, width + 0.6 * height + 2.0, 1.3 * height + 2.0, strict);
}

/* Returns the labels of the arcs, each placed clear of the ones before:
 * each head's strongest first, strongest of them first, then the others,
 * strongest first. A head's strongest label needs only a place free of
 * other labels. A weaker one must also sit between the columns and
 * clear of the head's other arcs. When a head's label finds no place,
 * its weaker labels are left out too, so that each head shows its
 * strongest weights. The attention map still shows every weight. */
static GArray *
place_arc_labels (const LsDiagramPainter *p,
                  const ArcEnds          *ends,
                  const LsLayer          *layer,
                  const GArray           *arcs)
{
  g_autofree ArcPath *paths = g_new (ArcPath, MAX (arcs->len, 1));
  g_autofree gssize *strongest = g_new (gssize, layer->heads);  /* [heads] index into paths, or -1 */
  g_autofree gboolean *closed = g_new0 (gboolean, layer->heads);  /* [heads] */
  LabelPlacer placer = { ends, paths, arcs->len, g_array_new (FALSE, FALSE, sizeof (LsArcLabel)) };

  for (gsize h = 0; h < layer->heads; h++)
    strongest[h] = -1;
  for (guint i = 0; i < arcs->len; i++)
    {
      const Arc *arc = &g_array_index (arcs, Arc, i);

      init_arc_path (p, ends, arc, get_head_index (p->style, layer, arc->head), &paths[i]);
      strongest[arc->head] = i;
    }

  ls_render_set_font (p->text, LS_RENDER_MIN_LABEL_EM * p->layout->font_px, FALSE);
  for (guint i = arcs->len; i-- > 0;)
    if (strongest[paths[i].arc->head] == (gssize) i)
      closed[paths[i].arc->head] = !add_measured_label (p, &placer, &paths[i], TRUE) &&
                                   !add_measured_label (p, &placer, &paths[i], FALSE);

  for (guint i = arcs->len; i-- > 0;)
    {
      gsize head = paths[i].arc->head;

      if (strongest[head] != (gssize) i && !closed[head])
        closed[head] = !add_measured_label (p, &placer, &paths[i], TRUE);
    }

  return placer.labels;
}

/* Writes the selected arcs' weights beside them in their heads' hues,
 * where the rows leave room for the text, with a leader line to the arc
 * from each label moved off it. */
static void
label_arcs (const LsDiagramPainter *p,
            const ArcEnds          *ends,
            const LsLayer          *layer,
            const GArray           *arcs)
{
  double px = LS_RENDER_MIN_LABEL_EM * p->layout->font_px;
  double border = 1.5 * p->layout->line_unit;
  g_autoptr(GArray) labels = NULL;

  if (ends->n_heads > MAX_LABELLED_HEADS || ends->keys->pitch < MIN_LABEL_PITCH * 1.3 * px)
    return;

  labels = place_arc_labels (p, ends, layer, arcs);
  for (guint i = 0; i < labels->len; i++)
    draw_leader_line (p, &g_array_index (labels, LsArcLabel, i));

  ls_render_set_font (p->text, px, FALSE);
  for (guint i = 0; i < labels->len; i++)
    {
      const LsArcLabel *label = &g_array_index (labels, LsArcLabel, i);
      g_autofree char *text = ls_format_value (label->weight);
      LsColor hue;

      ls_render_get_head_color (label->head, &hue);
      ls_render_show_text_on_box (p->cr, p->text, text, label->x, label->y, &p->theme, &hue, border);
    }
}

/* Returns whether column c shows an attention layer's output, with the
 * arcs from column c − 1. */
static gboolean
is_arcs_column (const LsDiagramPainter *p,
                gsize                   c)
{
  return c > 0 && c < p->layout->n_columns && p->layout->columns[c].kind == LS_DIAGRAM_SEQUENCE &&
         p->layout->columns[c - 1].kind == LS_DIAGRAM_SEQUENCE &&
         ls_network_get_layer (p->network, c - 1)->kind == LS_LAYER_ATTENTION;
}

GArray *
ls_render_place_arc_labels (const LsDiagramPainter *p,
                            gsize                   c,
                            gsize                   query)
{
  const LsLayer *layer;
  g_autoptr(GArray) arcs = NULL;
  gsize one_head;
  ArcEnds ends;

  g_return_val_if_fail (p != NULL, NULL);
  g_return_val_if_fail (is_arcs_column (p, c), NULL);

  layer = ls_network_get_layer (p->network, c - 1);
  init_arc_ends (p, c, shows_one_head (p->style, layer, &one_head) ? 1 : layer->heads, &ends);
  arcs = collect_arcs (p, layer, (gssize) query);

  return place_arc_labels (p, &ends, layer, arcs);
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
  /* the weights of a layer that the forward pass has not reached are not
   * computed yet, so it has no arcs */
  for (gsize c = 1; c < p->layout->n_columns; c++)
    if (is_arcs_column (p, c) && !ls_render_is_column_pending (p->style, c))
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

/* Whether any attention layer masks the keys after each query. */
static gboolean
has_causal_attention (LsNetwork *network)
{
  for (gsize i = 0; i < ls_network_get_n_layers (network); i++)
    if (ls_network_get_layer (network, i)->kind == LS_LAYER_ATTENTION && ls_network_get_layer (network, i)->causal)
      return TRUE;

  return FALSE;
}

/* Returns the text of the compact legend of n heads, e.g. "heads 1–4". */
static char *
dup_compact_legend_text (gsize n_heads)
{
  if (n_heads <= LS_RENDER_HEAD_HUES)
    /* TRANSLATORS: the attention heads in the legend, after a line sample of each, e.g. "heads 1–4" */
    return g_strdup_printf (_("heads 1–%zu"), n_heads);

  /* TRANSLATORS: the attention heads in the legend, e.g. "heads 1–16 (dashed from 9)" */
  return g_strdup_printf (_("heads 1–%zu (dashed from %d)"), n_heads, LS_RENDER_HEAD_HUES + 1);
}

/* Returns the widths of the legend's entry for each head ("head N" after
 * a line sample), of its compact form (a short sample per head and
 * "heads 1–N") and of the "masked" sample. */
static void
measure_legend_parts (const LsDiagramPainter *p,
                      const LsLayer          *layer,
                      double                  px,
                      double                 *full,
                      double                 *compact,
                      double                 *masked)
{
  g_autofree char *text = dup_compact_legend_text (layer->heads);
  gsize one_head;

  *full = 0.0;
  for (gsize h = 0; h < layer->heads; h++)
    if (!shows_one_head (p->style, layer, &one_head) || h == one_head)
      {
        /* TRANSLATORS: an attention head in the legend, counted from 1, e.g. "head 2" */
        g_autofree char *name = g_strdup_printf (_("head %zu"), h + 1);

        *full += 4.5 * px + ls_render_get_text_width (p->text, name);
      }
  *compact = shows_one_head (p->style, layer, &one_head)
               ? *full
               : (double) layer->heads * 1.3 * px + 0.5 * px + ls_render_get_text_width (p->text, text) + 1.5 * px;
  *masked = has_causal_attention (p->network)
              ? 2.1 * px + ls_render_get_text_width (p->text, _("masked")) + 1.5 * px
              : 0.0;
}

double
ls_render_measure_attention_legend (const LsDiagramPainter *p,
                                    double                  px)
{
  const LsLayer *layer = find_attention_layer (p->network);
  double full, compact, masked;

  if (layer == NULL)
    return 0.0;

  measure_legend_parts (p, layer, px, &full, &compact, &masked);

  return MIN (full, compact) + masked;
}

/* Draws a line sample of head h from x to x + length at y. */
static void
draw_head_sample (const LsDiagramPainter *p,
                  gsize                   head,
                  double                  x,
                  double                  y,
                  double                  length)
{
  LsColor hue;

  ls_render_get_head_color (head, &hue);
  ls_render_set_source_color (p->cr, &hue, 1.0);
  cairo_set_line_width (p->cr, 3.0 * p->layout->line_unit);
  set_head_dash (p->cr, head, 0.6 * p->layout->line_unit);
  cairo_move_to (p->cr, x, y);
  cairo_line_to (p->cr, x + length, y);
  cairo_stroke (p->cr);
  cairo_set_dash (p->cr, NULL, 0, 0.0);
}

/* Draws "line head N" for each shown head. */
static void
draw_full_legend (const LsDiagramPainter *p,
                  const LsLayer          *layer,
                  double                  px,
                  double                 *x,
                  double                  y)
{
  gsize one_head;

  for (gsize h = 0; h < layer->heads; h++)
    {
      g_autofree char *text = g_strdup_printf (_("head %zu"), h + 1);

      if (shows_one_head (p->style, layer, &one_head) && h != one_head)
        continue;

      draw_head_sample (p, h, *x, y, 2.5 * px);
      *x += 3.0 * px;
      ls_render_set_source_color (p->cr, &p->theme.foreground, 1.0);
      ls_render_show_text (p->cr, p->text, text, *x, y, 0.0, 0.5);
      *x += ls_render_get_text_width (p->text, text) + 1.5 * px;
    }
}

/* Draws a short line sample of every head, then "heads 1–N". */
static void
draw_compact_legend (const LsDiagramPainter *p,
                     const LsLayer          *layer,
                     double                  px,
                     double                 *x,
                     double                  y)
{
  g_autofree char *text = dup_compact_legend_text (layer->heads);

  for (gsize h = 0; h < layer->heads; h++)
    {
      draw_head_sample (p, h, *x, y, 1.0 * px);
      *x += 1.3 * px;
    }
  *x += 0.5 * px;
  ls_render_set_source_color (p->cr, &p->theme.foreground, 1.0);
  ls_render_show_text (p->cr, p->text, text, *x, y, 0.0, 0.5);
  *x += ls_render_get_text_width (p->text, text) + 1.5 * px;
}

/* Fills a rectangle in the grey of masked cells under diagonal lines. */
static void
fill_masked (cairo_t             *cr,
             const LsRenderTheme *theme,
             double               x,
             double               y,
             double               width,
             double               height,
             double               line_unit)
{
  double step = MAX (5.0 * line_unit, 3.0);
  LsColor grey;

  ls_color_init_rgb (&grey, LS_RENDER_MASKED_RGB);
  cairo_save (cr);
  cairo_rectangle (cr, x, y, width, height);
  cairo_clip (cr);
  ls_render_set_source_color (cr, &grey, 1.0);
  cairo_paint (cr);
  for (double d = -height; d < width; d += step)
    {
      cairo_move_to (cr, x + d, y + height);
      cairo_line_to (cr, x + d + height, y);
    }
  ls_render_set_source_color (cr, &theme->background, 1.0);
  cairo_set_line_width (cr, MAX (line_unit, 1.0));
  cairo_stroke (cr);
  cairo_restore (cr);
}

void
ls_render_draw_attention_legend (const LsDiagramPainter *p,
                                 double                  px,
                                 double                 *x,
                                 double                  y)
{
  const LsLayer *layer = find_attention_layer (p->network);
  double right = p->layout->width - 0.6 * p->layout->font_px;
  double full, compact, masked;

  if (layer == NULL)
    return;

  measure_legend_parts (p, layer, px, &full, &compact, &masked);
  if (*x + full + masked <= right)
    draw_full_legend (p, layer, px, x, y);
  else
    draw_compact_legend (p, layer, px, x, y);

  if (masked > 0.0)
    {
      fill_masked (p->cr, &p->theme, *x, y - 0.4 * px, 1.6 * px, 0.8 * px, p->layout->line_unit);
      *x += 2.1 * px;
      ls_render_set_source_color (p->cr, &p->theme.foreground, 1.0);
      /* TRANSLATORS: in the legend, the mark of attention map cells that a causal layer masks */
      ls_render_show_text (p->cr, p->text, _("masked"), *x, y, 0.0, 0.5);
      *x += ls_render_get_text_width (p->text, _("masked")) + 1.5 * px;
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
  double px = LS_DIAGRAM_MAP_LABEL_EM * font_px;
  double n = (double) MAX (tokens, 1);
  double labels = (label_em + 0.4) * px;
  double cell;
  gsize step = 1;

  if (px < MIN_MAP_LABEL_PX || labels > MAX_MAP_LABEL_SHARE * MIN (width, height))
    {
      px = 0.0;
      labels = 0.0;
    }

  cell = MAX (MIN ((width - labels) / n, (height - labels) / n), 0.0);
  if (px > 0.0 && cell > 0.0)
    step = (gsize) ceil (MAP_LABEL_CELL_RATIO * px / cell - 1e-9);

  *geometry = (LsAttentionMapGeometry) {
    .px = px, .cell = cell, .tokens = tokens, .label_step = MAX (step, 1),
    .grid_x = x + (width - labels - n * cell) / 2.0 + labels,
    .grid_y = y + labels,
  };
}

/* Creates the image of one head's weights, a pixel per cell. A pixel is
 * the head's hue over the background in proportion to the weight, the
 * grey of LS_RENDER_MASKED_RGB where a causal layer masks the key, and
 * LS_RENDER_NOT_A_NUMBER_RGB where the weight is NaN or infinite. */
static cairo_surface_t *
create_map_surface (const float         *weights,
                    gsize                tokens,
                    gboolean             causal,
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

        if (causal && k > q)
          ls_color_init_rgb (&color, LS_RENDER_MASKED_RGB);
        else if (isfinite (w))
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

/* Draws diagonal lines over the cells above the diagonal, whose keys
 * come after the query and which a causal layer masks. */
static void
hatch_masked_cells (const MapPainter             *m,
                    const LsAttentionMapGeometry *g)
{
  double x0 = g->grid_x, y0 = g->grid_y, c = g->cell;
  double side = c * (double) g->tokens;
  double step = MAX (6.0 * m->line_unit, 5.0);

  if (g->tokens < 2)
    return;

  /* the staircase around the cells (q, k) with k > q */
  cairo_save (m->cr);
  cairo_move_to (m->cr, x0 + c, y0);
  cairo_line_to (m->cr, x0 + side, y0);
  cairo_line_to (m->cr, x0 + side, y0 + side - c);
  for (gsize q = g->tokens - 1; q >= 1; q--)
    {
      cairo_line_to (m->cr, x0 + (double) q * c, y0 + (double) q * c);
      cairo_line_to (m->cr, x0 + (double) q * c, y0 + (double) (q - 1) * c);
    }
  cairo_close_path (m->cr);
  cairo_clip (m->cr);

  for (double d = 0.0; d < 2.0 * side; d += step)
    {
      cairo_move_to (m->cr, x0 + d - side, y0 + side);
      cairo_line_to (m->cr, x0 + d, y0);
    }
  ls_render_set_source_color (m->cr, &m->theme.background, 1.0);
  cairo_set_line_width (m->cr, MAX (m->line_unit, 1.0));
  cairo_stroke (m->cr);
  cairo_restore (m->cr);
}

/* Paints the cells, hatches those of NaN weights and of masked pairs,
 * and frames the grid. */
static void
draw_map_cells (const MapPainter             *m,
                gsize                         head,
                const LsAttentionMapGeometry *g)
{
  const float *weights = ls_layer_get_attention_head (m->layer, head);  /* [T][T] */
  cairo_surface_t *surface = create_map_surface (weights, g->tokens, m->layer->causal, head, &m->theme);
  double side = g->cell * (double) g->tokens;
  gboolean any_nan = FALSE;

  cairo_save (m->cr);
  cairo_translate (m->cr, g->grid_x, g->grid_y);
  cairo_scale (m->cr, g->cell, g->cell);
  if (!ls_render_paint_pixels_as_cells (m->cr, surface, g->cell, g->cell))
    {
      cairo_set_source_surface (m->cr, surface, 0.0, 0.0);
      cairo_pattern_set_filter (cairo_get_source (m->cr), CAIRO_FILTER_NEAREST);
      cairo_rectangle (m->cr, 0.0, 0.0, (double) g->tokens, (double) g->tokens);
      cairo_fill (m->cr);
    }
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
  if (m->layer->causal)
    hatch_masked_cells (m, g);

  cairo_rectangle (m->cr, g->grid_x - 0.5, g->grid_y - 0.5, side + 1.0, side + 1.0);
  ls_render_set_source_color (m->cr, &m->theme.outline, 1.0);
  cairo_set_line_width (m->cr, 1.0);
  cairo_stroke (m->cr);
}

/* Writes the query tokens left of the rows and the key tokens over the
 * columns, upwards: every label_step-th of them. */
static void
draw_map_labels (const MapPainter             *m,
                 const LsAttentionMapGeometry *g)
{
  double gap = 0.3 * g->px;

  if (g->px <= 0.0)
    return;

  ls_render_set_font (m->text, g->px, FALSE);
  ls_render_set_source_color (m->cr, &m->theme.foreground, 1.0);
  for (gsize t = 0; t < g->tokens; t += g->label_step)
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
  ls_render_get_style_theme (style, &m.theme);

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

/* Writes under the maps of column c how many heads have no map, and
 * where to see them all. */
static void
draw_maps_note (const LsDiagramPainter *p,
                gsize                   c,
                gsize                   heads,
                double                  y)
{
  const cairo_rectangle_t *area = &p->layout->maps_area[c];
  const LsDiagramMapGrid *grid = &p->layout->map_grids[c];
  g_autofree char *note = NULL;

  if (p->page)
    /* TRANSLATORS: under the attention maps of an image file, where only
     * some or none fit, e.g. "4 of 8 attention maps shown" */
    note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu of %zu attention map shown",
                                         "%zu of %zu attention maps shown", heads),
                            grid->shown, heads);
  else if (grid->shown == 0)
    /* TRANSLATORS: under the rows of a text network where no attention map fits */
    note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "No room for the map of %zu head: select the attention layer to see it",
                                         "No room for the maps of %zu heads: select the attention layer to see them",
                                         heads),
                            heads);
  else
    /* TRANSLATORS: under the attention maps that fit, e.g. "+8 more heads: ..." */
    note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "+%zu more head: select the attention layer to see all",
                                         "+%zu more heads: select the attention layer to see all",
                                         heads - grid->shown),
                            heads - grid->shown);

  ls_render_set_font (p->text, LS_DIAGRAM_FOOTER_EM * p->layout->font_px, FALSE);
  pango_layout_set_width (p->text, (int) (area->width * PANGO_SCALE));
  pango_layout_set_ellipsize (p->text, PANGO_ELLIPSIZE_END);
  ls_render_set_source_color (p->cr, &p->theme.secondary, 1.0);
  ls_render_show_text (p->cr, p->text, note, area->x, y, 0.0, 0.0);
  pango_layout_set_width (p->text, -1);
  pango_layout_set_ellipsize (p->text, PANGO_ELLIPSIZE_NONE);
}

/* Draws the small maps of one attention column in the grid that the
 * layout chose, each under its title "head N". */
static void
draw_column_maps (const LsDiagramPainter *p,
                  const MapPainter       *m,
                  gsize                   c)
{
  const cairo_rectangle_t *area = &p->layout->maps_area[c];
  const LsDiagramMapGrid *grid = &p->layout->map_grids[c];
  const LsLayer *layer = m->layer;
  double gap = 1.0 * p->layout->font_px;
  double label_px = LS_DIAGRAM_MAP_LABEL_EM * p->layout->font_px;
  double title = 1.3 * label_px;
  double bottom = area->y;

  for (gsize h = 0; h < grid->shown; h++)
    {
      /* TRANSLATORS: the title of one attention head's map, counted from 1, e.g. "head 2" */
      g_autofree char *name = g_strdup_printf (_("head %zu"), h + 1);
      double x = area->x + (double) (h % grid->grid_columns) * (grid->map_width + gap);
      double y = area->y + (double) (h / grid->grid_columns) * (grid->map_height + gap);
      LsAttentionMapGeometry g;
      LsColor hue;

      ls_render_get_attention_map_geometry (layer->input_shape.dims[0], p->layout->token_em, x, y + title,
                                            grid->map_width, grid->map_height - title, p->layout->font_px, &g);
      draw_map (m, h, &g, get_selected_query (p, c));
      bottom = MAX (bottom, y + grid->map_height);

      ls_render_get_head_color (h, &hue);
      ls_render_set_font (p->text, label_px, TRUE);
      ls_render_set_source_color (p->cr, &hue, 1.0);
      ls_render_show_text (p->cr, p->text, name, g.grid_x + (double) g.tokens * g.cell / 2.0,
                           g.grid_y - (g.px > 0.0 ? (p->layout->token_em + 0.4) * g.px : 0.0), 0.5, 1.0);
    }

  if (grid->shown < layer->heads)
    draw_maps_note (p, c, layer->heads, grid->shown > 0 ? bottom + 0.3 * gap : area->y);
}

/* Draws the attention maps under the rows, where the layout made room. */
void
ls_render_draw_attention_maps (const LsDiagramPainter *p)
{
  for (gsize c = 1; c < p->layout->n_columns; c++)
    {
      MapPainter m;

      if (p->layout->maps_area[c].width <= 0.0 || p->layout->maps_area[c].height <= 0.0 ||
          !is_attention_layer (p->network, c - 1) || ls_render_is_column_pending (p->style, c))
        continue;

      m = (MapPainter) {
        .cr = p->cr, .text = p->text, .network = p->network, .layer = ls_network_get_layer (p->network, c - 1),
        .theme = p->theme, .line_unit = p->layout->line_unit,
      };
      draw_column_maps (p, &m, c);
    }
}
