/* ls-render-private.h: helpers shared by the files of the drawing code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <pango/pangocairo.h>

#include "ls-palette.h"
#include "ls-render.h"

G_BEGIN_DECLS

#define LS_RENDER_FONT_FAMILY "Cantarell, DejaVu Sans, Sans"

/* Smallest text size in pixels that the diagram and the bars shrink their
 * text to when it does not fit. */
#define LS_RENDER_MIN_FONT_PX 12.0

typedef struct
{
  LsColor background;
  LsColor foreground;
  LsColor secondary;   /* captions and the ellipsis */
  LsColor outline;     /* ring around every neuron */
  LsColor track;       /* empty part of a bar */
} LsRenderTheme;

const LsRenderStyle *ls_render_get_default_style     (void);
void                 ls_render_get_theme             (gboolean             dark,
                                                      LsRenderTheme       *theme);
void                 ls_render_get_style_theme       (const LsRenderStyle *style,
                                                      LsRenderTheme       *theme);
void                 ls_render_set_source_color      (cairo_t             *cr,
                                                      const LsColor       *color,
                                                      double               alpha);
void                 ls_render_show_text             (cairo_t             *cr,
                                                      PangoLayout         *text,
                                                      const char          *string,
                                                      double               x,
                                                      double               y,
                                                      double               x_align,
                                                      double               y_align);
double               ls_render_get_text_width        (PangoLayout         *text,
                                                      const char          *string);
void                 ls_render_add_rounded_rectangle (cairo_t             *cr,
                                                      double               x,
                                                      double               y,
                                                      double               width,
                                                      double               height,
                                                      double               radius);
void                 ls_render_show_text_on_box      (cairo_t             *cr,
                                                      PangoLayout         *text,
                                                      const char          *string,
                                                      double               x,
                                                      double               y,
                                                      const LsRenderTheme *theme,
                                                      const LsColor       *border,
                                                      double               line_width);
char                *ls_render_format_short_value    (double               value);
char                *ls_render_fit_value             (PangoLayout         *text,
                                                      double               value,
                                                      double               px,
                                                      double               max_width);
gboolean             ls_render_fits_full_value       (PangoLayout         *text,
                                                      double               value,
                                                      double               px,
                                                      double               max_width);
char                *ls_render_fit_value_in_form     (PangoLayout         *text,
                                                      double               value,
                                                      double               px,
                                                      double               max_width,
                                                      gboolean             full_form);
double               ls_render_get_widest_word_width (PangoLayout         *text,
                                                      const char          *string);
void                 ls_render_fit_text_box          (PangoLayout         *text,
                                                      const char          *string,
                                                      double               px,
                                                      double               min_px,
                                                      gboolean             bold,
                                                      double               max_width,
                                                      int                  max_lines);
void                 ls_render_reset_text_box        (PangoLayout         *text);
/* Fills the current path in LS_RENDER_NOT_A_NUMBER_RGB with darker
 * diagonal hatching, the mark of a value that is NaN or infinite, and
 * clears the path. The palette has no such grey. */
#define LS_RENDER_NOT_A_NUMBER_RGB 0xa6a6a6
void                 ls_render_fill_not_a_number     (cairo_t             *cr,
                                                      double               line_unit);
/* Returns whether the forward pass overflowed, so that the bars show no
 * output and the diagram shows the output layer's values as NaN. */
gboolean             ls_render_is_output_lost        (LsNetwork           *network);
double               ls_render_get_font_px           (double               height,
                                                      const LsRenderStyle *style);
void                 ls_render_set_font              (PangoLayout         *layout,
                                                      double               px,
                                                      gboolean             bold);
/* Return the caption under the bars' heading, which explains how to read
 * them, and the value shown beside one output's bar. */
char                *ls_render_dup_bars_caption      (LsNetwork           *network);
char                *ls_render_dup_bar_text          (LsNetwork           *network,
                                                      gsize                unit);
const float         *ls_render_get_column_values     (LsNetwork           *network,
                                                      gsize                column);
/* Creates a layout for measuring text where no cairo_t is at hand. */
PangoLayout         *ls_render_create_measure_layout (void);
/* Formats a count with the locale's thousands separator, e.g. "7,840". */
char                *ls_render_format_count          (gsize                count);

/* State of one ls_render_diagram() call, passed to its steps. */
typedef struct
{
  cairo_t *cr;
  LsNetwork *network;
  const LsDiagramLayout *layout;
  const LsSelection *selection;
  const LsRenderStyle *style;  /* never NULL */
  LsRenderTheme theme;
  PangoLayout *text;
  gboolean output_lost;        /* ls_render_is_output_lost() for this draw */
  gboolean page;               /* TRUE for an image file, without buttons */
  GPtrArray *pending_surfaces; /* images of the columns not computed yet at
                                * the style's step, freed after the draw */
} LsDiagramPainter;

/* The smallest labels of the diagram, the names of hidden neurons and
 * the attention labels, are this fraction of the body text. The footers,
 * subtitles, legend and weight labels are 0.8 to 0.9 of it. */
#define LS_RENDER_MIN_LABEL_EM 0.75

/* Presenter style: body text of at least LS_RENDER_PRESENTER_FONT_PX, so
 * that every label is at least LS_RENDER_PRESENTER_LABEL_PX. Its line
 * unit of at least LS_RENDER_PRESENTER_LINE_UNIT makes the thinnest lines
 * it scales, the 1.5-unit neuron outlines and the edges of a nonzero
 * weight, 3 pixels wide or more. */
#define LS_RENDER_PRESENTER_LABEL_PX 24.0
#define LS_RENDER_PRESENTER_FONT_PX (LS_RENDER_PRESENTER_LABEL_PX / LS_RENDER_MIN_LABEL_EM)
#define LS_RENDER_PRESENTER_LINE_UNIT 2.0
#define LS_RENDER_PRESENTER_MIN_LINE_PX 3.0

/* The style of the bars on a page of ls_render_page(), in ls-render-page.c */
void                 ls_render_get_page_bars_style   (LsNetwork               *network,
                                                      const cairo_rectangle_t *bars,
                                                      const LsRenderStyle     *style,
                                                      LsRenderStyle           *bars_style);

/* Forward-pass steps and highlights (ls-render-emphasis.c). While a
 * style has highlights other than LS_HIGHLIGHT_FOCUS, everything else is
 * drawn at LS_RENDER_DIMMED_ALPHA. Highlighted columns and values get a
 * glow of LS_RENDER_GLOW_RGB. */
#define LS_RENDER_DIMMED_ALPHA 0.35
#define LS_RENDER_GLOW_RGB 0xf5c211
gboolean             ls_render_is_column_pending     (const LsRenderStyle    *style,
                                                      gsize                   column);
gboolean             ls_render_is_column_highlighted (const LsRenderStyle    *style,
                                                      gsize                   column);
gboolean             ls_render_has_highlights        (const LsRenderStyle    *style);
gboolean             ls_render_has_dimming_highlights (const LsRenderStyle   *style);
void                 ls_render_get_column_region     (const LsDiagramLayout  *layout,
                                                      gsize                   column,
                                                      cairo_rectangle_t      *region);
char                *ls_render_dup_step_caption      (LsNetwork              *network,
                                                      gsize                   column);
/* Covers the columns after the step column, so that they read as grey,
 * and frames the step column with its caption on top of everything. */
void                 ls_render_cover_pending_columns (const LsDiagramPainter *p);
void                 ls_render_draw_step_frame       (const LsDiagramPainter *p);
void                 ls_render_stroke_glow           (cairo_t                *cr,
                                                      const LsRenderTheme    *theme,
                                                      double                  line_width);
void                 ls_render_paint_highlights      (const LsDiagramPainter *p,
                                                      cairo_pattern_t        *diagram);
void                 ls_render_draw_highlight_glows  (const LsDiagramPainter *p);
/* In ls-render.c: sets the colour of a number drawn on a neuron's fill.
 * Returns whether the number needs a box of the background colour behind
 * it, because the text alone would contrast too little with the fill.
 * Only the high-contrast style uses the box, for a contrast of at least
 * LS_PALETTE_HIGH_CONTRAST_MIN_RATIO. */
gboolean             ls_render_get_value_ink         (const LsRenderStyle    *style,
                                                      const LsRenderTheme    *theme,
                                                      const LsColor          *fill,
                                                      LsColor                *ink);

/* Where ls_render_diagram() puts the name of a hidden neuron, and its
 * text size, in ls-render.c */
double               ls_render_get_hidden_name_px    (const LsDiagramLayout *layout);
gboolean             ls_render_place_hidden_name     (const LsDiagramLayout *layout,
                                                      const LsSelection     *selection,
                                                      gsize                  c,
                                                      gsize                  slot,
                                                      double                 width,
                                                      double                 height,
                                                      cairo_rectangle_t     *box);

/* Steps of ls_render_diagram() in ls-render-edges.c */
void                 ls_render_stroke_edge           (const LsDiagramPainter *p,
                                                      double               weight,
                                                      double               x0,
                                                      double               y0,
                                                      double               x1,
                                                      double               y1,
                                                      double               alpha,
                                                      double               extra_width);
void                 ls_render_draw_bundles          (const LsDiagramPainter *p);
void                 ls_render_draw_edges            (const LsDiagramPainter *p);
void                 ls_render_add_edge_lines        (const LsDiagramPainter *p,
                                                      gsize                  column);

/* Whether the neurons show their numbers in ls_format_value()'s form or
 * all in the short form (ls-render.c). */
gboolean             ls_render_diagram_uses_full_values (LsNetwork             *network,
                                                         const LsDiagramLayout *layout,
                                                         PangoLayout           *text);

/* Footer notes of ls-render.c. Under a tile column, the note names how
 * many tiles are left out, the input's range or the magnitude that scaled
 * feature maps show in the full colours. Under a dense layer, it names
 * how many of its connections are drawn. Both return NULL when no note
 * applies, and style may be NULL for the default. */
char                *ls_render_dup_tiles_note        (LsNetwork             *network,
                                                      const LsDiagramLayout *layout,
                                                      gsize                  column,
                                                      const LsRenderStyle   *style);
char                *ls_render_dup_edges_note        (LsNetwork             *network,
                                                      const LsDiagramLayout *layout,
                                                      gsize                  column);

/* Steps of ls_render_diagram() in ls-render-tiles.c */
gboolean             ls_render_column_has_feature_maps (const LsDiagramLayout *layout,
                                                        gsize                  column);
double               ls_render_get_feature_map_range (LsNetwork             *network,
                                                      const LsDiagramLayout *layout,
                                                      gsize                  column);
void                 ls_render_draw_grids            (const LsDiagramPainter *p);
void                 ls_render_draw_grid_selection   (const LsDiagramPainter *p);
/* Returns the cached images of a TILES, BAR, PACKED or SEQUENCE column,
 * NULL-terminated, and paints or hatches one of them into rect. */
cairo_surface_t    **ls_render_get_column_surfaces   (const LsDiagramPainter *p,
                                                      gsize                  column);
/* Frees a NULL-terminated array of images and the images in it. */
void                 ls_render_free_surfaces         (gpointer               surfaces);
/* ls_render_diagram() for a page of an image file, which leaves out the
 * buttons and the hints to click that only the window can act on. */
void                 ls_render_diagram_page          (cairo_t                *cr,
                                                      LsNetwork              *network,
                                                      const LsDiagramLayout  *layout,
                                                      const LsRenderStyle    *style);

/* Maximum width and height, in pixels, of an image that SVG and PDF
 * pages draw cell by cell. */
#define LS_RENDER_MAX_VECTOR_PIXELS 64

gboolean             ls_render_paint_pixels_as_cells (cairo_t                *cr,
                                                      cairo_surface_t        *surface,
                                                      double                  scale_x,
                                                      double                  scale_y);
void                 ls_render_paint_surface         (const LsDiagramPainter *p,
                                                      cairo_surface_t       *surface,
                                                      const cairo_rectangle_t *rect);
void                 ls_render_hatch_not_a_number    (const LsDiagramPainter *p,
                                                      cairo_surface_t       *surface,
                                                      const cairo_rectangle_t *rect);

/* Steps of ls_render_diagram() in ls-render-tokens.c */
void                 ls_render_draw_tokens           (const LsDiagramPainter *p,
                                                      gsize                  column);
void                 ls_render_draw_sequence         (const LsDiagramPainter *p,
                                                      gsize                  column);
void                 ls_render_draw_row_guides       (const LsDiagramPainter *p);
void                 ls_render_draw_row_selection    (const LsDiagramPainter *p);
/* Returns the note under the tokens of a text input that explains the
 * mark of a word outside the vocabulary, or NULL when every word is in it. */
char                *ls_render_dup_tokens_note       (LsNetwork             *network);

/* Steps of ls_render_diagram() in ls-render-attention.c */
void                 ls_render_draw_attention_arcs   (const LsDiagramPainter *p);
void                 ls_render_draw_attention_maps   (const LsDiagramPainter *p);
/* Draws a line sample and "head N" for each head that the arcs show, at
 * *x on a line centred at y, and moves *x past them. */
void                 ls_render_draw_attention_legend (const LsDiagramPainter *p,
                                                      double                 px,
                                                      double                *x,
                                                      double                 y);

/* Attention weights below this are drawn as no arc at all. */
#define LS_RENDER_MIN_ARC_WEIGHT 0.02
/* Returns whether an attention weight gets an arc, and its opacity and
 * line width. Both grow with the weight: opacity from 0.15 to 1 and
 * width from 0.75 to 6 line units, plus 1.5 for a selected query. */
gboolean             ls_render_get_arc_style         (double                 weight,
                                                      double                 line_unit,
                                                      gboolean               selected,
                                                      double                *alpha,
                                                      double                *width);
/* One weight written on or beside the attention arc of head `head` from
 * key token `key`, centred at (x, y) in box. A label moved off its arc
 * has a leader line from (x, y) to the arc's point (anchor_x, anchor_y),
 * which is (x, y) itself for a label on the arc. */
typedef struct
{
  cairo_rectangle_t box;
  double x;
  double y;
  double anchor_x;
  double anchor_y;
  float weight;
  gsize head;
  gsize key;
} LsArcLabel;

/* Returns the labels of the arcs into query token `query` of attention
 * column c, an array of LsArcLabel, none overlapping another: each
 * head's strongest weight, then the others strongest first. A weaker
 * label covers no other arc of its head, so it cannot be read as theirs,
 * and each head's labels are its strongest weights: when one finds no
 * place, the head's weaker ones are left out too. */
GArray              *ls_render_place_arc_labels      (const LsDiagramPainter *p,
                                                      gsize                  c,
                                                      gsize                  query);

/* Sets color to the hue of one attention head, counted from 0. There are
 * LS_RENDER_HEAD_HUES hues, none of them the blue or orange of the value
 * scale and the weights, and heads from LS_RENDER_HEAD_HUES on repeat
 * them with dashed lines. */
#define LS_RENDER_HEAD_HUES 8
void                 ls_render_get_head_color        (gsize                  head,
                                                      LsColor               *color);
/* Returns the width that ls_render_draw_attention_legend() takes at least
 * at text size px, 0 for a network without attention. The text layout
 * must have its font set to px. */
double               ls_render_measure_attention_legend (const LsDiagramPainter *p,
                                                         double                  px);
/* Steps of ls_render_diagram() in ls-render-maps.c: fills one neuron
 * with its map over the input plane from style->plane_map. Returns
 * FALSE, drawing nothing, when that map does not match the network. */
gboolean             ls_render_draw_unit_map         (const LsDiagramPainter *p,
                                                      gsize                  column,
                                                      gsize                  unit,
                                                      double                 x,
                                                      double                 y);

/* In ls-render-maps.c: sets color to the colour of class class_index,
 * the same on the decision map and the prediction bars. Class 0 and 1
 * take the ends of the value scale, and the colours repeat after
 * LS_RENDER_CLASS_COLORS classes. */
#define LS_RENDER_CLASS_COLORS 8
void                 ls_render_get_class_color       (gsize                  class_index,
                                                      LsColor               *color);

/* Attention map cells of a masked (causal) pair are this grey under
 * diagonal lines. */
#define LS_RENDER_MASKED_RGB 0xd9d9d9

G_END_DECLS
