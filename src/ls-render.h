/* ls-render.h: Cairo drawing of the network diagram and the output bars
 *
 * Plain Cairo and Pango, no GTK: the window's widgets and the command
 * line's --render draw with these same functions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "ls-network.h"
#include "ls-plane-map.h"
#include "ls-samples.h"

G_BEGIN_DECLS

typedef enum
{
  LS_SELECTION_NONE,
  LS_SELECTION_NEURON,
  LS_SELECTION_EDGE,
} LsSelectionKind;

/* Columns of the diagram: column 0 is the input, column k shows layer k − 1.
 * A NEURON selection names one value of a column's tensor. That value is
 * a neuron, one pixel of one channel for an image or feature maps, the
 * cell t·d + j for a token sequence [T][d], or token t in the input of
 * a text network. */
typedef struct
{
  LsSelectionKind kind;
  gsize column;  /* column of the value, or of the edge's target neuron */
  gsize unit;    /* index of the value in that column's tensor, [c][h][w]
                  * for an image or feature maps, [t][j] for a sequence */
  gsize input;   /* EDGE only: value in column − 1 that the edge starts at */
} LsSelection;

/* What a highlight emphasises: a whole column, one value of a column, or
 * the weights that lead into a column. A FOCUS highlight rings one value
 * with a glow like UNIT but dims nothing, so a forward-pass step can mark
 * its neuron while the values that its formula uses stay readable. */
typedef enum
{
  LS_HIGHLIGHT_COLUMN,
  LS_HIGHLIGHT_UNIT,
  LS_HIGHLIGHT_EDGES,
  LS_HIGHLIGHT_FOCUS,
} LsHighlightKind;

typedef struct
{
  LsHighlightKind kind;
  gsize column;  /* diagram column, 0 for the input */
  gsize unit;    /* UNIT and FOCUS only: index of the value in the column's tensor */
} LsHighlight;

/* Every function that takes a style, except ls_render_bars_get_height(),
 * also accepts NULL for the default: light, with font_scale 1.0 and text
 * that grows with the drawing height. Start a style from
 * LS_RENDER_STYLE_INIT, because a zeroed step_column is a step at the
 * input column. */
typedef struct
{
  gboolean dark;       /* light text on a dark background */
  double font_scale;   /* 1.0 at the desktop size, larger for a projector */
  double font_px;      /* body text at font_scale 1.0, or 0 to follow the height */
  gboolean scale_feature_maps;  /* whether each layer's feature maps are
                                 * coloured relative to that layer's largest
                                 * magnitude, instead of the neurons' fixed
                                 * −1 to +1 scale */
  gsize attention_head;  /* the only head whose attention arcs the
                          * diagram draws, counted from 1 as the diagram
                          * labels heads, or LS_RENDER_ALL_HEADS (0, the
                          * default) for every head, each in its own hue.
                          * A number past a layer's last head also draws
                          * all of that layer's heads. */
  LsPlaneMap *plane_map;  /* nullable: each unit's value over the input
                           * plane, drawn inside its neuron when it
                           * matches the network's layers and the network
                           * has 2 inputs */
  gboolean high_contrast; /* projector palette: saturated, dark ends of the
                           * value scale, black or white text, thick outlines */
  gboolean presenter;     /* lines at least 3 px and every label of the
                           * diagram at least 24 px */
  gssize step_column;     /* −1: every column shows its values. k ≥ 0:
                           * columns 0 to k show values, column k is framed
                           * as the one being computed, and later columns
                           * are grey without values (not computed yet) */
  const LsHighlight *highlights;  /* nullable, [n_highlights]: the parts to
                                   * emphasise, while all else is dimmed
                                   * unless every highlight is a FOCUS */
  gsize n_highlights;
} LsRenderStyle;

#define LS_RENDER_ALL_HEADS 0

#define LS_RENDER_STYLE_INIT { FALSE, 1.0, 0.0, FALSE, LS_RENDER_ALL_HEADS, NULL, FALSE, FALSE, -1, NULL, 0 }

/* The body text size of the window's diagram and bars at font_scale 1.0.
 * It is fixed so that both views match whatever their heights. */
#define LS_RENDER_WINDOW_FONT_PX 18.0

/* Positions of every neuron, tile and bar for one network at one size.
 * It is computed once per structure change or resize and shared by
 * drawing and hit-testing. It also caches the tile images and the chosen
 * edges that drawing computes from the network's values, until
 * ls_diagram_layout_invalidate_values(). */
typedef struct _LsDiagramLayout LsDiagramLayout;

LsDiagramLayout *ls_diagram_layout_new       (LsNetwork             *network,
                                              double                 width,
                                              double                 height,
                                              const LsRenderStyle   *style);
/* Like ls_diagram_layout_new(), and shows every unit of each compact
 * column whose entry in expanded[n_expanded] is TRUE, packed as small
 * squares. Columns past n_expanded stay compact. */
LsDiagramLayout *ls_diagram_layout_new_expanded (LsNetwork           *network,
                                                 double               width,
                                                 double               height,
                                                 const LsRenderStyle *style,
                                                 const gboolean      *expanded,
                                                 gsize                n_expanded);
void             ls_diagram_layout_free      (LsDiagramLayout       *layout);
/* Call after every LS_CHANGE_VALUES, and before drawing with another
 * scale_feature_maps in the style, so the next draw recolours the tiles
 * and picks the strongest edges again. */
void             ls_diagram_layout_invalidate_values (LsDiagramLayout *layout);
/* Finds the neuron, pixel or, failing that, the edge under (x, y). */
gboolean         ls_diagram_layout_hit       (const LsDiagramLayout *layout,
                                              LsNetwork             *network,
                                              double                 x,
                                              double                 y,
                                              LsSelection           *hit);
/* Finds the column whose "Show all" or "Show fewer" button, or whose
 * ellipsis, is under (x, y). */
gboolean         ls_diagram_layout_hit_expander (const LsDiagramLayout *layout,
                                                 double                 x,
                                                 double                 y,
                                                 gsize                 *column);
/* Finds the centre of a neuron, a pixel of an image or feature map, a
 * packed square or a flatten bar's row. Returns FALSE when the unit does
 * not exist, is hidden in the ellipsis of a compact column or is on a
 * tile that is not shown. */
gboolean         ls_diagram_layout_get_unit_center (const LsDiagramLayout *layout,
                                                    gsize                  column,
                                                    gsize                  unit,
                                                    double                *x,
                                                    double                *y);
double           ls_diagram_layout_get_neuron_radius (const LsDiagramLayout *layout);

void             ls_render_diagram           (cairo_t               *cr,
                                              LsNetwork             *network,
                                              const LsDiagramLayout *layout,
                                              const LsSelection     *selection,
                                              const LsRenderStyle   *style);
/* Draws one bar per output with its label and value: a percentage for
 * softmax and sigmoid outputs, else the value, with bars scaled to the
 * largest magnitude. */
void             ls_render_bars              (cairo_t               *cr,
                                              LsNetwork             *network,
                                              double                 width,
                                              double                 height,
                                              const LsRenderStyle   *style);
/* Returns the height at which ls_render_bars() shows every output, or
 * the largest max_rows of them. style->font_px must be set. */
double           ls_render_bars_get_height   (LsNetwork             *network,
                                              double                 width,
                                              gsize                  max_rows,
                                              const LsRenderStyle   *style);

/* Draws the attention weights of one head of the attention layer `layer`
 * (0 is the first layer) into the rectangle at (x, y) of width × height.
 * The drawing is a T × T grid whose row q and column k show how much
 * query token q attends to key token k. It uses the weight scale of the
 * arcs: 0 is white and 1 the head's full hue. The query tokens label the
 * rows on the left and the key tokens the columns on top, written
 * upwards. A highlighted_query of 0 to T − 1 outlines that row, and −1
 * none. Cells of NaN weights are hatched grey, as elsewhere in the
 * diagram. */
void             ls_render_attention_map     (cairo_t               *cr,
                                              LsNetwork             *network,
                                              gsize                  layer,
                                              gsize                  head,
                                              double                 x,
                                              double                 y,
                                              double                 width,
                                              double                 height,
                                              gssize                 highlighted_query,
                                              const LsRenderStyle   *style);
/* Finds the cell of the map that ls_render_attention_map() draws with
 * the same arguments under the point (px, py). Returns FALSE when the
 * point is outside the grid, for example on a label. */
gboolean         ls_render_attention_map_hit (LsNetwork             *network,
                                              gsize                  layer,
                                              double                 x,
                                              double                 y,
                                              double                 width,
                                              double                 height,
                                              const LsRenderStyle   *style,
                                              double                 px,
                                              double                 py,
                                              gsize                 *query,
                                              gsize                 *key);

/* Sizes of a page in ls_render_to_file(), in pixels or points: the
 * smallest one fits every label, number and bar. A PNG is also at most
 * LS_RENDER_MAX_PAGE_SIDE pixels each way. */
#define LS_RENDER_MIN_PAGE_WIDTH 320
#define LS_RENDER_MIN_PAGE_HEIGHT 240
#define LS_RENDER_MAX_PAGE_SIDE 16384
#define LS_RENDER_MAX_PAGE_SCALE 8.0

/* Splits a page as ls_render_page() fills it: the network's title on top,
 * the diagram on the left and the bars on the right. */
void             ls_render_get_page_areas    (LsNetwork             *network,
                                              double                 width,
                                              double                 height,
                                              const LsRenderStyle   *style,
                                              cairo_rectangle_t     *diagram,
                                              cairo_rectangle_t     *bars);
/* Paints the background, the title, the diagram and the bars. */
void             ls_render_page              (cairo_t               *cr,
                                              LsNetwork             *network,
                                              double                 width,
                                              double                 height,
                                              const LsRenderStyle   *style);
/* Writes ls_render_page() at width × height pixels (points for SVG and
 * PDF) into a PNG, SVG or PDF file, chosen by the file name's extension.
 * A bad extension or size is an LS_ERROR_INVALID_ARGUMENT error and a
 * failed write a G_IO_ERROR. Both messages name the path. */
gboolean         ls_render_to_file           (LsNetwork             *network,
                                              const char            *path,
                                              int                    width,
                                              int                    height,
                                              const LsRenderStyle   *style,
                                              GError               **error);
/* Like ls_render_to_file(), but a PNG of width × height pixels shows the
 * page of (width / scale) × (height / scale) enlarged scale times, so that
 * text and lines grow with the image; SVG and PDF ignore scale. scale is
 * from 1 to LS_RENDER_MAX_PAGE_SCALE. */
gboolean         ls_render_to_file_scaled    (LsNetwork             *network,
                                              const char            *path,
                                              int                    width,
                                              int                    height,
                                              double                 scale,
                                              const LsRenderStyle   *style,
                                              GError               **error);

/* Returns whether map contains a value for every unit of every layer of
 * network, a network of 2 inputs, so that the diagram can draw it. */
gboolean         ls_render_plane_map_matches (LsNetwork             *network,
                                              LsPlaneMap            *map);
/* Draws the decision map of a 2-input network's output over the input
 * plane in the rectangle of width × height at the origin. It shows the
 * map, the samples of train and test on top (either may be NULL), the
 * network's current input and, unless compact, the axes and a legend.
 * A map that does not match the network (see
 * ls_render_plane_map_matches()) leaves the plot grey under the points. */
void             ls_render_decision_map      (cairo_t               *cr,
                                              LsNetwork             *network,
                                              LsPlaneMap            *map,
                                              LsSamples             *train,
                                              LsSamples             *test,
                                              double                 width,
                                              double                 height,
                                              gboolean               compact,
                                              const LsRenderStyle   *style);
/* Finds the point (x, y) of the input plane under (px, py) of a drawing
 * of ls_render_decision_map() with the same arguments. Returns FALSE
 * when (px, py) is outside the plotted square. */
gboolean         ls_render_decision_map_hit  (LsPlaneMap            *map,
                                              double                 width,
                                              double                 height,
                                              gboolean               compact,
                                              const LsRenderStyle   *style,
                                              double                 px,
                                              double                 py,
                                              float                 *x,
                                              float                 *y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsDiagramLayout, ls_diagram_layout_free)

G_END_DECLS
