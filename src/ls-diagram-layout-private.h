/* ls-diagram-layout-private.h: the diagram geometry shared by layout and drawing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <pango/pangocairo.h>

#include "ls-render.h"

G_BEGIN_DECLS

/* Column titles are bold at this fraction of the body text size. */
#define LS_DIAGRAM_TITLE_EM 1.05

/* Column subtitles are this fraction of the body text size. The layout
 * gives them two lines where they are wider than LS_DIAGRAM_HEADER_WIDTH
 * of an estimate of the distance between column centres. */
#define LS_DIAGRAM_SUBTITLE_EM 0.9
#define LS_DIAGRAM_HEADER_WIDTH 0.96

/* Footer lines under the columns are this fraction of the body text size. */
#define LS_DIAGRAM_FOOTER_EM 0.8

/* The ring around a selected neuron: its centre line lies this many line
 * units outside the neuron's edge, and it is this many line units wide.
 * The layout leaves room for it above the top neurons. */
#define LS_DIAGRAM_RING_OFFSET 5.0
#define LS_DIAGRAM_RING_WIDTH 3.5

/* Columns with more units than this are compact, so that a 784-unit
 * input does not become a grey stripe. A compact neuron column shows only
 * its first and last few units until it is expanded, and only the
 * strongest connections into or out of it are drawn. */
#define LS_DIAGRAM_COMPACT_UNITS 40

/* The unit number that ls_diagram_column_get_slot_unit() returns for the
 * ellipsis slot. */
#define LS_DIAGRAM_NO_UNIT G_MAXSIZE

typedef enum
{
  LS_DIAGRAM_NEURONS,  /* a circle per unit; a compact column shows its
                        * first and last few around an ellipsis slot */
  LS_DIAGRAM_PACKED,   /* an expanded compact column: a small square per
                        * unit, in grid columns of `rows` squares */
  LS_DIAGRAM_TILES,    /* an image or feature maps: a tile per channel, or
                        * one tile for an RGB input */
  LS_DIAGRAM_BAR,      /* a flatten layer: a narrow bar with a row per value */
  LS_DIAGRAM_TOKENS,   /* the input of a text network: a box per token */
  LS_DIAGRAM_SEQUENCE, /* a token sequence [T][d]: a row of d cells per
                        * token, aligned with the token boxes */
} LsDiagramColumnKind;

typedef enum
{
  LS_DIAGRAM_TILE_GREY,     /* input values: 0 black, 1 white, clamped */
  LS_DIAGRAM_TILE_RGB,      /* the three channels of an input in one tile */
  LS_DIAGRAM_TILE_PALETTE,  /* activations in the colours of the neurons */
} LsDiagramTileColor;

/* One column of the diagram: the network input or one layer's output. */
typedef struct
{
  LsDiagramColumnKind kind;
  gsize units;     /* values in the column's tensor, shown or not */
  double x;        /* centre line of the column */
  double room;     /* distance to the nearest neighbouring centre, or the
                    * drawing's width for a lone column */
  double gap_weight; /* share of the free width that the gap left of the
                      * column gets, relative to the other gaps */
  cairo_rectangle_t bounds;  /* what the column draws, between header and footer */

  /* NEURONS: units [0, n_head) fill the first slots and units
   * [units − n_tail, units) the last ones. */
  gsize n_head;
  gsize n_tail;
  double y0;       /* centre of slot 0, or of token row 0 */
  double pitch;    /* vertical distance between slot or token row centres */

  /* TOKENS and SEQUENCE: T rows, each row_height high, of `features`
   * cells of width `cell` (1 feature for TOKENS, whose cell is the box) */
  gsize tokens;
  gsize features;
  double row_height;

  /* NEURONS and PACKED: whether the column can switch between the two,
   * which a neuron column can when it is compact, and the button in the
   * footer that does it */
  gboolean expandable;
  cairo_rectangle_t expander;

  /* PACKED: unit u is the square in grid column u / rows, row u % rows.
   * TILES: channel c is the tile in grid column c / rows, row c % rows. */
  gsize rows;
  double cell;     /* PACKED: side of a square. SEQUENCE: width of a cell. */

  /* TILES: the tensor [channels][height][width] */
  LsDiagramTileColor color;
  gsize channels;
  gsize height;
  gsize width;
  gsize n_tiles;   /* tiles shown: the first n_tiles channels, or 1 for RGB */
  double scale;    /* drawing pixels per tensor pixel */
  double tile_gap; /* between neighbouring tiles */
} LsDiagramColumn;

/* One connection of a dense layer: input of the column before to unit. */
typedef struct
{
  gsize input;
  gsize unit;
  float weight;
  float strength;  /* |weight · input value|, what the ranking sorts by */
} LsDiagramEdge;

/* What drawing and hit-testing computed from the network's values, kept
 * between draws until ls_diagram_layout_invalidate_values(). An entry is
 * NULL until it is first needed. */
typedef struct
{
  cairo_surface_t ***tiles;  /* [n_columns], each NULL-terminated: the image
                              * of every shown tile, or the one of a bar */
  GArray **edges;            /* [n_columns] of LsDiagramEdge: the edges drawn
                              * into a dense layer's column, weakest first */
} LsDiagramCache;

/* The grid of one attention layer's maps: the first `shown` heads, in
 * rows of `grid_columns` maps, each map_width × map_height with its
 * title. Where shown is less than the layer's heads, a note line under
 * the grid names the heads left out. */
typedef struct
{
  gsize shown;
  gsize grid_columns;
  double map_width;
  double map_height;
} LsDiagramMapGrid;

struct _LsDiagramLayout
{
  double width;
  double height;

  double font_px;       /* body text: titles, labels and legend, after any
                         * shrinking that made the neurons fit */
  double value_px;      /* numbers inside neurons, or 0 when they do not fit */
  double line_unit;     /* line widths scale with this, 1.0 at font_px 18,
                         * and min_line_unit or more */
  double min_line_unit; /* LS_RENDER_PRESENTER_LINE_UNIT in presenter
                         * style, else 0 */
  double min_font_px;   /* LS_RENDER_PRESENTER_FONT_PX in presenter style,
                         * else 0: font_px never shrinks below it */
  gboolean has_step_caption; /* whether the band over the titles keeps
                              * room for the caption of a forward-pass step */
  double radius;        /* of every neuron */
  double edge_hit_px;   /* maximum distance from an edge that hits it */

  double left_labels;   /* width left of the input column for its labels,
                         * or 0 when they are left out */
  double right_labels;  /* the same right of the output column */
  double header_y;      /* top of the column titles */
  double header_height;
  int title_lines;      /* lines of the column titles: 1, or 2 where the
                         * narrow columns of a text network need them */
  double footer_y;      /* top of the lines under the columns */
  double footer_height; /* 0 when no column has any */
  double legend_y;      /* top of the legend band */
  double column_spacing;/* distance between the centres of neighbouring
                         * neuron columns of equal width */

  gsize n_columns;
  LsDiagramColumn *columns;  /* [n_columns], column 0 is the input */

  /* The small attention maps under the rows of a text network, for each
   * attention layer whose column has maps_area[column] of non-zero
   * width, else none: map_grids[column] places the maps in that area. */
  cairo_rectangle_t *maps_area;  /* [n_columns] */
  LsDiagramMapGrid *map_grids;   /* [n_columns] */
  double token_px;               /* text in the token boxes, 0 for none */
  double token_em;               /* width of the widest token, per pixel of
                                  * text size */
  gboolean has_unknown_tokens;   /* whether a token maps to [UNK] */

  /* Filled by drawing and hit-testing, which take the layout as const,
   * because it contains only results that the network's values determine. */
  LsDiagramCache *cache;
};

/* The neuron slots of a NEURONS column */
gboolean ls_diagram_column_is_compact   (const LsDiagramColumn *column);
gsize    ls_diagram_column_get_n_slots  (const LsDiagramColumn *column);
gsize    ls_diagram_column_get_slot_unit (const LsDiagramColumn *column,
                                          gsize                  slot);
double   ls_diagram_column_get_slot_y   (const LsDiagramColumn *column,
                                         gsize                  slot);
gboolean ls_diagram_column_find_slot    (const LsDiagramColumn *column,
                                         gsize                  unit,
                                         gsize                 *slot);
/* Whether every unit of the column has a place of its own in the drawing. */
gboolean ls_diagram_column_shows_all    (const LsDiagramColumn *column);

/* Whether the layout was built for the network's current structure. */
gboolean ls_diagram_layout_matches      (const LsDiagramLayout *layout,
                                         LsNetwork             *network);

/* Column titles, subtitles, shapes and expander buttons, for the
 * drawing and the layout's measurements. */
char    *ls_diagram_dup_column_title    (LsNetwork             *network,
                                         gsize                  column);
char    *ls_diagram_dup_column_subtitle (LsNetwork             *network,
                                         gsize                  column);
char    *ls_diagram_dup_shape_text      (const LsShape         *shape);
char    *ls_diagram_dup_expander_text   (const LsDiagramColumn *column);
/* The subtitle of an embedding, positional, layernorm or pool_tokens
 * layer (ls-render-tokens.c). */
char    *ls_diagram_dup_token_layer_subtitle (const LsLayer     *layer);

/* Text under and over the columns keeps this many times the text size
 * from the drawing's left and right edges, and from the text of the
 * neighbouring columns. */
#define LS_DIAGRAM_TEXT_MARGIN_EM 0.3
#define LS_DIAGRAM_TEXT_GAP_EM 0.5
void     ls_diagram_layout_get_text_span (const LsDiagramLayout *layout,
                                          gsize                  column,
                                          double                *left,
                                          double                *right);

/* Returns the height of the column titles over the subtitles. */
double   ls_diagram_layout_get_title_height (const LsDiagramLayout *layout);
/* Returns how far the selection ring reaches outside a neuron's edge. */
double   ls_diagram_layout_get_ring_extent (const LsDiagramLayout *layout);
/* The first line under a column, and the distance between such lines. */
double   ls_diagram_layout_get_footer_top (const LsDiagramLayout *layout,
                                           const LsDiagramColumn *column);
double   ls_diagram_layout_get_footer_line_height (const LsDiagramLayout *layout);
/* Finds the unit of column nearest to (x, y), for keyboard navigation
 * (ls-render-hit.c). */
gboolean ls_diagram_layout_find_nearest_unit (const LsDiagramLayout *layout,
                                              gsize                  column,
                                              double                 x,
                                              double                 y,
                                              gsize                 *unit);

/* Grids of TILES, PACKED and BAR columns (ls-render-grid.c) */
void     ls_diagram_grid_init_column    (LsDiagramColumn       *column,
                                         const LsShape         *shape,
                                         LsDiagramTileColor     color);
/* Feature-map tiles are at least this many pixels along their longer
 * side. A column with more channels than fit at this size shows the
 * first ones and names how many more there are. */
#define LS_DIAGRAM_MIN_TILE_PX 20.0
/* A column of feature maps spreads its tiles over at most this many grid
 * columns, about as many as a layer of 16 to 32 filters takes on a
 * 1920 × 1080 page. It shows the channels that do not fit as "+N more".
 * So a layer of 1000 filters takes no more width than such a layer, and
 * the other columns keep their size. */
#define LS_DIAGRAM_MAX_TILE_GRID_COLUMNS 4

void     ls_diagram_grid_fit            (LsDiagramColumn       *column,
                                         double                 tile_px,
                                         double                 max_height,
                                         double                 font_px,
                                         gboolean               is_input,
                                         gsize                  max_grid_columns);
void     ls_diagram_grid_limit_width    (LsDiagramColumn       *column,
                                         double                 max_width,
                                         double                 max_height,
                                         double                 font_px);
void     ls_diagram_grid_place          (LsDiagramColumn       *column,
                                         double                 top,
                                         double                 bottom);
void     ls_diagram_grid_get_tile_rect  (const LsDiagramColumn *column,
                                         gsize                  tile,
                                         cairo_rectangle_t     *rect);
gboolean ls_diagram_grid_get_unit_rect  (const LsDiagramColumn *column,
                                         gsize                  unit,
                                         cairo_rectangle_t     *rect);
gboolean ls_diagram_grid_hit            (const LsDiagramColumn *column,
                                         double                 x,
                                         double                 y,
                                         gsize                 *unit);
gboolean ls_diagram_grid_find_nearest   (const LsDiagramColumn *column,
                                         double                 x,
                                         double                 y,
                                         gsize                 *unit);
gboolean ls_diagram_grid_get_region_rect (const LsDiagramColumn *column,
                                          gsize                  channel,
                                          const LsRegion        *region,
                                          cairo_rectangle_t     *rect);

/* Rows of TOKENS and SEQUENCE columns (ls-render-tokens.c) */
void     ls_diagram_measure_tokens      (LsDiagramLayout       *layout,
                                         LsNetwork             *network);
gboolean ls_diagram_has_token_rows      (const LsDiagramLayout *layout);
/* Sets the widths of the TOKENS and SEQUENCE columns within span, next
 * to fixed_width of other columns, and returns their total width. */
double   ls_diagram_size_token_columns  (LsDiagramLayout       *layout,
                                         double                 span,
                                         double                 fixed_width);
/* Places the rows of the TOKENS and SEQUENCE columns, whose x is set,
 * and the attention maps under them, between top and bottom. */
void     ls_diagram_place_token_rows    (LsDiagramLayout       *layout,
                                         LsNetwork             *network,
                                         double                 top,
                                         double                 bottom);
double   ls_diagram_sequence_get_row_y  (const LsDiagramColumn *column,
                                         gsize                  token);
gboolean ls_diagram_sequence_get_unit_rect (const LsDiagramColumn *column,
                                            gsize                  unit,
                                            cairo_rectangle_t     *rect);
gboolean ls_diagram_sequence_find_unit  (const LsDiagramColumn *column,
                                         double                 x,
                                         double                 y,
                                         gboolean               exact,
                                         gsize                 *unit);

/* Labels of the attention maps and the "head N" titles over them are at
 * this fraction of the body text size, the size of the captions under
 * the columns. */
#define LS_DIAGRAM_MAP_LABEL_EM LS_DIAGRAM_FOOTER_EM

/* The cells of an attention map: the grid of T × T squares and the room
 * of its labels, for drawing and hit-testing alike. Where cells are
 * narrower than the labels are high, only every label_step-th token is
 * written, starting with the first. */
typedef struct
{
  double px;             /* label text size, 0 when labels are left out */
  double cell;           /* side of a cell */
  double grid_x;         /* top left corner of the grid */
  double grid_y;
  gsize tokens;
  gsize label_step;      /* 1 or more */
} LsAttentionMapGeometry;

void     ls_render_get_attention_map_geometry (gsize                   tokens,
                                               double                  label_em,
                                               double                  x,
                                               double                  y,
                                               double                  width,
                                               double                  height,
                                               double                  font_px,
                                               LsAttentionMapGeometry *geometry);

/* Returns the point where drawn edges of unit meet it, and the radius
 * of the circle they stop at, or 0 when they run to that point. */
gboolean ls_diagram_layout_get_edge_end (const LsDiagramLayout *layout,
                                         gsize                  column,
                                         gsize                  unit,
                                         double                *x,
                                         double                *y,
                                         double                *trim);

/* Whether layer column − 1 is a dense layer, whose weights are edges. */
gboolean ls_diagram_has_edges_into      (LsNetwork             *network,
                                         gsize                  column);
/* Whether only the strongest edges into column are drawn. */
gboolean ls_diagram_layout_ranks_edges  (const LsDiagramLayout *layout,
                                         gsize                  column);
/* Returns the edges drawn into column, weakest first, computing them
 * when the cache has none. NULL when layer column − 1 is not dense. */
const GArray *ls_diagram_layout_get_edges (const LsDiagramLayout *layout,
                                           LsNetwork             *network,
                                           gsize                  column);

/* The highlights of a selected feature-map pixel or flatten value: the
 * window that it reads in the column before, and its receptive field on
 * the input image. */
typedef struct
{
  gboolean has_window;
  gsize window_column;   /* column of the window, selection column − 1 */
  LsRegion window;
  gboolean all_channels; /* a convolution reads every input channel */
  gsize window_channel;  /* otherwise the only channel read */
  gboolean has_field;    /* the receptive field, on column 0 */
  LsRegion field;
} LsDiagramFocus;

gboolean ls_diagram_get_focus           (LsNetwork             *network,
                                         const LsSelection     *selection,
                                         LsDiagramFocus        *focus);

G_END_DECLS
