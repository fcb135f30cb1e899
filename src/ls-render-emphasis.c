/* ls-render-emphasis.c: forward-pass steps and highlights in the diagram
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-render"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "ls-diagram-layout-private.h"
#include "ls-render-private.h"

/* Columns after the step column are covered by the background at this
 * opacity, so that their titles and shapes read as grey. */
#define PENDING_COVER_ALPHA 0.55

/* Whether column has not been computed yet at the style's step. */
gboolean
ls_render_is_column_pending (const LsRenderStyle *style,
                             gsize                column)
{
  return style != NULL && style->step_column >= 0 && column > (gsize) style->step_column;
}

/* Whether a highlight of the style covers column, as a whole column or
 * as one of its values. */
gboolean
ls_render_is_column_highlighted (const LsRenderStyle *style,
                                 gsize                column)
{
  if (style == NULL || style->highlights == NULL)
    return FALSE;

  for (gsize i = 0; i < style->n_highlights; i++)
    if (style->highlights[i].kind != LS_HIGHLIGHT_EDGES && style->highlights[i].column == column)
      return TRUE;

  return FALSE;
}

gboolean
ls_render_has_highlights (const LsRenderStyle *style)
{
  return style != NULL && style->highlights != NULL && style->n_highlights > 0;
}

/* Whether the style has a highlight that dims the rest of the diagram,
 * which every kind but LS_HIGHLIGHT_FOCUS does. */
gboolean
ls_render_has_dimming_highlights (const LsRenderStyle *style)
{
  if (!ls_render_has_highlights (style))
    return FALSE;

  for (gsize i = 0; i < style->n_highlights; i++)
    if (style->highlights[i].kind != LS_HIGHLIGHT_FOCUS)
      return TRUE;

  return FALSE;
}

/* Sets region to the area of column c from the top of its title to the
 * bottom of its footer, across the room between its neighbours' centres
 * that its text may use. */
void
ls_render_get_column_region (const LsDiagramLayout *layout,
                             gsize                  c,
                             cairo_rectangle_t     *region)
{
  const LsDiagramColumn *column = &layout->columns[c];
  double pad = 0.25 * layout->font_px;
  double left, right, top, bottom;

  g_return_if_fail (c < layout->n_columns);

  ls_diagram_layout_get_text_span (layout, c, &left, &right);
  left = MIN (left, column->bounds.x) - pad;
  right = MAX (right, column->bounds.x + column->bounds.width) + pad;
  top = layout->header_y - pad;
  bottom = MAX (layout->footer_y + layout->footer_height, column->bounds.y + column->bounds.height) + pad;

  *region = (cairo_rectangle_t) { MAX (left, 0.0), MAX (top, 0.0), 0.0, 0.0 };
  region->width = MIN (right, layout->width) - region->x;
  region->height = MIN (bottom, layout->legend_y) - region->y;
}

/* Returns the caption over the column that the forward pass is at. */
char *
ls_render_dup_step_caption (LsNetwork *network,
                            gsize      column)
{
  g_autofree char *title = ls_diagram_dup_column_title (network, column);

  /* TRANSLATORS: over the diagram column that a forward-pass walk-through
   * is computing, e.g. "Now: Hidden layer 1" */
  return g_strdup_printf (_("Now: %s"), title);
}

/* Returns the width of the strong frames: the active column's frame
 * and the inner line of a glow. */
static double
get_frame_width (const LsDiagramLayout *layout)
{
  return MAX (2.5 * layout->line_unit, 3.0);
}

/* Draws the caption of the active column on a filled tab that sits on
 * the top edge of its frame, in the room that the layout keeps above the
 * titles for it. */
static void
draw_step_caption (const LsDiagramPainter  *p,
                   const cairo_rectangle_t *frame,
                   gsize                    c)
{
  const LsDiagramLayout *layout = p->layout;
  g_autofree char *caption = ls_render_dup_step_caption (p->network, c);
  double px = layout->font_px;
  double pad = 0.4 * px;
  double max_width = MAX (frame->width, layout->width / 3.0);
  double x, width, height;
  int text_width, text_height;

  ls_render_set_font (p->text, px, TRUE);
  pango_layout_set_width (p->text, (int) (MAX (max_width - 2.0 * pad, px) * PANGO_SCALE));
  pango_layout_set_ellipsize (p->text, PANGO_ELLIPSIZE_END);
  pango_layout_set_text (p->text, caption, -1);
  pango_layout_get_pixel_size (p->text, &text_width, &text_height);

  width = text_width + 2.0 * pad;
  height = text_height + 0.4 * pad;
  x = CLAMP (frame->x + frame->width / 2.0 - width / 2.0, 0.0, MAX (layout->width - width, 0.0));
  ls_render_add_rounded_rectangle (p->cr, x, MAX (frame->y - height, 0.0), width, height, 0.3 * height);
  ls_render_set_source_color (p->cr, &p->theme.foreground, 1.0);
  cairo_fill (p->cr);

  ls_render_set_source_color (p->cr, &p->theme.background, 1.0);
  cairo_move_to (p->cr, x + pad, MAX (frame->y - height, 0.0) + 0.2 * pad);
  pango_cairo_show_layout (p->cr, p->text);
  pango_layout_set_width (p->text, -1);
  pango_layout_set_ellipsize (p->text, PANGO_ELLIPSIZE_NONE);
}

/* Returns the column that the style's step is at, clamped to the last
 * one, or FALSE without a step. */
static gboolean
get_step_column (const LsDiagramPainter *p,
                 gsize                  *column)
{
  if (p->style->step_column < 0 || p->layout->n_columns == 0)
    return FALSE;

  *column = MIN ((gsize) p->style->step_column, p->layout->n_columns - 1);
  return TRUE;
}

/* The columns after the step column draw no values themselves, see
 * ls_render_is_column_pending(), and this cover greys their titles,
 * shapes and labels too. */
void
ls_render_cover_pending_columns (const LsDiagramPainter *p)
{
  cairo_rectangle_t frame;
  double split;
  gsize c;

  if (!get_step_column (p, &c) || c + 1 >= p->layout->n_columns)
    return;

  ls_render_get_column_region (p->layout, c, &frame);
  split = frame.x + frame.width;
  cairo_rectangle (p->cr, split, frame.y, p->layout->width - split, frame.height);
  ls_render_set_source_color (p->cr, &p->theme.background, PENDING_COVER_ALPHA);
  cairo_fill (p->cr);
}

void
ls_render_draw_step_frame (const LsDiagramPainter *p)
{
  const LsDiagramLayout *layout = p->layout;
  cairo_rectangle_t frame;
  gsize c;

  if (!get_step_column (p, &c))
    return;

  ls_render_get_column_region (layout, c, &frame);
  cairo_set_dash (p->cr, NULL, 0, 0.0);
  ls_render_add_rounded_rectangle (p->cr, frame.x, frame.y, frame.width, frame.height, 0.5 * layout->font_px);
  ls_render_set_source_color (p->cr, &p->theme.foreground, 1.0);
  cairo_set_line_width (p->cr, get_frame_width (layout));
  cairo_stroke (p->cr);
  draw_step_caption (p, &frame, c);
}

/* Adds the outline of one highlight to the path: a circle around a
 * neuron, a box around another kind of value, the whole column, or the
 * gap between two columns that the edges into the second one cross.
 * Returns FALSE, adding nothing, for a part that the drawing does not
 * show. */
static gboolean
add_highlight_path (const LsDiagramPainter *p,
                    const LsHighlight      *highlight)
{
  const LsDiagramLayout *layout = p->layout;
  double ring = ls_diagram_layout_get_ring_extent (layout);
  cairo_rectangle_t rect, from, to;
  double x, y;

  if (highlight->column >= layout->n_columns)
    return FALSE;

  switch (highlight->kind)
    {
    case LS_HIGHLIGHT_UNIT:
    case LS_HIGHLIGHT_FOCUS:
      if (layout->columns[highlight->column].kind == LS_DIAGRAM_NEURONS)
        {
          if (!ls_diagram_layout_get_unit_center (layout, highlight->column, highlight->unit, &x, &y))
            return FALSE;
          cairo_new_sub_path (p->cr);
          cairo_arc (p->cr, x, y, layout->radius + ring, 0.0, 2.0 * G_PI);
          return TRUE;
        }
      if (!ls_diagram_grid_get_unit_rect (&layout->columns[highlight->column], highlight->unit, &rect))
        return FALSE;
      cairo_rectangle (p->cr, rect.x - ring, rect.y - ring, rect.width + 2.0 * ring, rect.height + 2.0 * ring);
      return TRUE;

    case LS_HIGHLIGHT_EDGES:
      if (highlight->column == 0)
        return FALSE;
      from = layout->columns[highlight->column - 1].bounds;
      to = layout->columns[highlight->column].bounds;
      x = from.x + from.width;
      rect.width = to.x - x;
      if (rect.width <= 0.0)
        return FALSE;
      y = MIN (from.y, to.y) - ring;
      cairo_rectangle (p->cr, x, y, rect.width, MAX (from.y + from.height, to.y + to.height) + ring - y);
      return TRUE;

    case LS_HIGHLIGHT_COLUMN:
    default:
      ls_render_get_column_region (layout, highlight->column, &rect);
      ls_render_add_rounded_rectangle (p->cr, rect.x, rect.y, rect.width, rect.height, 0.5 * layout->font_px);
      return TRUE;
    }
}

/* Strokes the current path as a glow: a yellow band in a wider, fainter
 * halo, under a line in the text colour, and clears the path. */
void
ls_render_stroke_glow (cairo_t             *cr,
                       const LsRenderTheme *theme,
                       double               line_width)
{
  LsColor glow;

  ls_color_init_rgb (&glow, LS_RENDER_GLOW_RGB);
  ls_render_set_source_color (cr, &glow, 0.35);
  cairo_set_line_width (cr, 2.6 * line_width);
  cairo_stroke_preserve (cr);
  ls_render_set_source_color (cr, &glow, 1.0);
  cairo_set_line_width (cr, 1.4 * line_width);
  cairo_stroke_preserve (cr);
  ls_render_set_source_color (cr, &theme->foreground, 1.0);
  cairo_set_line_width (cr, 0.5 * line_width);
  cairo_stroke (cr);
}

/* Draws the glow of highlighted edges: a soft halo along each edge,
 * under the edges themselves, which the highlight then paints at full
 * opacity on top. A column kind without edges gets no halo, and its
 * highlight only lifts the gap from the dimming. */
static void
draw_edge_halos (const LsDiagramPainter *p)
{
  LsColor glow;

  ls_color_init_rgb (&glow, LS_RENDER_GLOW_RGB);
  cairo_new_path (p->cr);
  for (gsize i = 0; i < p->style->n_highlights; i++)
    if (p->style->highlights[i].kind == LS_HIGHLIGHT_EDGES)
      ls_render_add_edge_lines (p, p->style->highlights[i].column);

  cairo_set_dash (p->cr, NULL, 0, 0.0);
  ls_render_set_source_color (p->cr, &glow, 0.5);
  cairo_set_line_width (p->cr, 1.6 * get_frame_width (p->layout));
  cairo_stroke (p->cr);
}

/* Paints the diagram, drawn into the group `diagram`, dimmed to
 * LS_RENDER_DIMMED_ALPHA, then each highlighted part again at full
 * opacity. */
void
ls_render_paint_highlights (const LsDiagramPainter *p,
                            cairo_pattern_t        *diagram)
{
  cairo_t *cr = p->cr;

  cairo_set_source (cr, diagram);
  cairo_paint_with_alpha (cr, LS_RENDER_DIMMED_ALPHA);
  draw_edge_halos (p);

  for (gsize i = 0; i < p->style->n_highlights; i++)
    {
      cairo_save (cr);
      cairo_new_path (cr);
      if (add_highlight_path (p, &p->style->highlights[i]))
        {
          cairo_clip (cr);
          cairo_set_source (cr, diagram);
          cairo_paint (cr);
        }
      cairo_restore (cr);
    }
}

/* Draws a glow around each highlighted column and value, including the
 * FOCUS highlights that dim nothing. */
void
ls_render_draw_highlight_glows (const LsDiagramPainter *p)
{
  double line_width = get_frame_width (p->layout);

  if (!ls_render_has_highlights (p->style))
    return;

  cairo_set_dash (p->cr, NULL, 0, 0.0);
  for (gsize i = 0; i < p->style->n_highlights; i++)
    {
      cairo_new_path (p->cr);
      if (p->style->highlights[i].kind != LS_HIGHLIGHT_EDGES && add_highlight_path (p, &p->style->highlights[i]))
        ls_render_stroke_glow (p->cr, &p->theme, line_width);
    }
}
