/* ls-render-grid.c: where the tiles of images and feature maps, the squares
 * of an expanded column and the rows of a flatten bar go
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-render"

#include "config.h"

#include <math.h>

#include "ls-diagram-layout-private.h"

/* An expanded column packs its squares into at most MAX_GRID_COLUMNS
 * grid columns, at most PACKED_WIDTH_PER_TILE times as wide as the tiles
 * of the other columns. */
#define MAX_GRID_COLUMNS 256
#define PACKED_WIDTH_PER_TILE 2.5
/* A scale of 2 or more is rounded to whole pixels, so that every tensor
 * pixel is a square of the same size. A scale between 1 and 2 is rounded
 * down to 1 only where that loses at most this fraction of the size, and
 * else stays fractional, with squares of two sizes. */
#define MAX_ROUNDING_LOSS 0.25
/* Tiles are at most this many times the body text size along their
 * longer side, the input image a little more, so that a small image on a
 * large page does not crowd out the rest. */
#define MAX_TILE_EM 10.0
#define MAX_INPUT_TILE_EM 12.0
/* Squares of an expanded column and rows of a flatten bar are at most
 * this many times the body text size. */
#define MAX_CELL_EM 1.1
#define BAR_WIDTH_EM 0.9

void
ls_diagram_grid_init_column (LsDiagramColumn    *column,
                             const LsShape      *shape,
                             LsDiagramTileColor  color)
{
  g_assert (shape->rank == 3);

  column->kind = LS_DIAGRAM_TILES;
  column->color = color;
  column->channels = shape->dims[0];
  column->height = shape->dims[1];
  column->width = shape->dims[2];
}

/* Returns the number of tiles that the column would show if all fit. */
static gsize
get_tile_count (const LsDiagramColumn *column)
{
  return column->color == LS_DIAGRAM_TILE_RGB ? 1 : column->channels;
}

/* Rounds a scale as MAX_ROUNDING_LOSS describes, to at most max_scale. */
static double
round_scale (double scale,
             double max_scale)
{
  if (scale >= 2.0)
    return MIN (round (scale), MAX (floor (max_scale), 1.0));

  if (scale >= 1.0 && floor (scale) >= (1.0 - MAX_ROUNDING_LOSS) * scale)
    return floor (scale);

  return scale;
}

/* Sets the bounds of a TILES column from its grid. */
static void
measure_tiles (LsDiagramColumn *column)
{
  gsize cols = (column->n_tiles + column->rows - 1) / column->rows;

  column->bounds.width = (double) cols * column->scale * (double) column->width +
                         (double) (cols - 1) * column->tile_gap;
  column->bounds.height = (double) column->rows * column->scale * (double) column->height +
                          (double) (column->rows - 1) * column->tile_gap;
}

/* Returns how many rows of tiles fit into max_height. */
static gsize
get_max_rows (const LsDiagramColumn *column,
              double                 max_height)
{
  double tile_height = column->scale * (double) column->height;

  return (gsize) MAX (floor ((max_height + column->tile_gap) / (tile_height + column->tile_gap)), 1.0);
}

/* Makes the tiles tile_px along their longer side, or as large as
 * max_height allows, and arranges them in the fewest grid columns that
 * max_height allows, with the rows balanced between those. Channels
 * beyond max_grid_columns full grid columns are left out. */
static void
fit_tiles (LsDiagramColumn *column,
           double           tile_px,
           double           max_height,
           double           font_px,
           gboolean         is_input,
           gsize            max_grid_columns)
{
  gsize n = get_tile_count (column);
  double longer_side = (double) MAX (column->height, column->width);
  double scale, max_scale;
  gsize max_rows, cols;

  tile_px = MIN (tile_px, (is_input ? MAX_INPUT_TILE_EM : MAX_TILE_EM) * font_px);
  column->tile_gap = round (MAX (2.0, 0.25 * font_px));
  max_scale = max_height / (double) column->height;
  scale = MIN (tile_px / longer_side, max_scale);
  column->scale = round_scale (scale, max_scale);

  /* rounding must not make tiles smaller than the smallest size */
  if (column->scale * longer_side < LS_DIAGRAM_MIN_TILE_PX && scale * longer_side >= LS_DIAGRAM_MIN_TILE_PX)
    column->scale = ceil (scale);

  max_rows = get_max_rows (column, max_height);
  cols = MIN ((n + max_rows - 1) / max_rows, MAX (max_grid_columns, 1));
  column->n_tiles = MIN (n, cols * max_rows);
  column->rows = (column->n_tiles + cols - 1) / cols;
  measure_tiles (column);
}

/* Packs the units into squares, column after column, as large as fit
 * max_width × max_height, up to MAX_CELL_EM of the text size. */
static void
fit_packed (LsDiagramColumn *column,
            double           max_width,
            double           max_height,
            double           font_px)
{
  gsize n = column->units;
  double best = -1.0;

  for (gsize cols = 1; cols <= MIN (n, MAX_GRID_COLUMNS); cols++)
    {
      gsize rows = (n + cols - 1) / cols;
      double cell = MIN (MIN (max_width / (double) cols, max_height / (double) rows), MAX_CELL_EM * font_px);

      if (cell >= 3.0)
        cell = floor (cell);
      if (cell > best)
        {
          best = cell;
          column->rows = rows;
        }
    }

  column->cell = best;
  column->bounds.width = column->cell * (double) ((n + column->rows - 1) / column->rows);
  column->bounds.height = column->cell * (double) column->rows;
}

static void
fit_bar (LsDiagramColumn *column,
         double           max_height,
         double           font_px)
{
  column->bounds.width = round (BAR_WIDTH_EM * font_px);
  column->bounds.height = MIN (max_height, (double) column->units * MAX_CELL_EM * font_px);
}

/* Sizes a TILES, PACKED or BAR column within max_height: tiles tile_px
 * along their longer side in at most max_grid_columns grid columns, and
 * packed squares in at most PACKED_WIDTH_PER_TILE times that width. It
 * leaves the column where it is until ls_diagram_grid_place(). */
void
ls_diagram_grid_fit (LsDiagramColumn *column,
                     double           tile_px,
                     double           max_height,
                     double           font_px,
                     gboolean         is_input,
                     gsize            max_grid_columns)
{
  tile_px = MAX (tile_px, 1.0);
  max_height = MAX (max_height, 1.0);

  switch (column->kind)
    {
    case LS_DIAGRAM_TILES:
      fit_tiles (column, tile_px, max_height, font_px, is_input, max_grid_columns);
      break;

    case LS_DIAGRAM_PACKED:
      fit_packed (column, PACKED_WIDTH_PER_TILE * tile_px, max_height, font_px);
      break;

    case LS_DIAGRAM_BAR:
      fit_bar (column, max_height, font_px);
      break;

    case LS_DIAGRAM_NEURONS:
    default:
      g_assert_not_reached ();
    }
}

/* Narrows a column that ls_diagram_grid_fit() sized to max_width or
 * less: a TILES column shows only as many grid columns of tiles as fit,
 * or where not even one fits, one grid column of tiles shrunk to the
 * width. A PACKED column packs smaller squares. */
void
ls_diagram_grid_limit_width (LsDiagramColumn *column,
                             double           max_width,
                             double           max_height,
                             double           font_px)
{
  double tile_width;
  gsize cols;
  gsize max_rows;

  if (column->bounds.width <= max_width)
    return;

  if (column->kind == LS_DIAGRAM_PACKED)
    {
      fit_packed (column, max_width, max_height, font_px);
      return;
    }

  if (column->kind != LS_DIAGRAM_TILES)
    return;

  tile_width = column->scale * (double) column->width;
  cols = (gsize) floor ((max_width + column->tile_gap) / (tile_width + column->tile_gap));
  if (cols == 0)
    {
      column->scale = MAX (max_width, 1.0) / (double) column->width;
      cols = 1;
    }

  max_rows = get_max_rows (column, max_height);
  column->n_tiles = MIN (column->n_tiles, cols * max_rows);
  column->rows = MIN (max_rows, column->n_tiles);
  measure_tiles (column);
}

/* Centres the column on its x and between top and bottom, on whole
 * pixels, so that tiles scaled by whole numbers stay pixel-exact. */
void
ls_diagram_grid_place (LsDiagramColumn *column,
                       double           top,
                       double           bottom)
{
  double y = round ((top + bottom) / 2.0 - column->bounds.height / 2.0);

  /* rounding must not push a column that fits out of the band */
  if (y + column->bounds.height > bottom)
    y = floor (bottom - column->bounds.height);
  if (y < top)
    y = ceil (top);

  column->bounds.x = round (column->x - column->bounds.width / 2.0);
  column->bounds.y = y;
  column->x = column->bounds.x + column->bounds.width / 2.0;
}

void
ls_diagram_grid_get_tile_rect (const LsDiagramColumn *column,
                               gsize                  tile,
                               cairo_rectangle_t     *rect)
{
  double tile_width = column->scale * (double) column->width;
  double tile_height = column->scale * (double) column->height;

  g_assert (column->kind == LS_DIAGRAM_TILES && column->rows > 0);

  rect->x = column->bounds.x + (double) (tile / column->rows) * (tile_width + column->tile_gap);
  rect->y = column->bounds.y + (double) (tile % column->rows) * (tile_height + column->tile_gap);
  rect->width = tile_width;
  rect->height = tile_height;
}

/* Returns the tile that shows channel, or FALSE when it is not shown. */
static gboolean
find_tile (const LsDiagramColumn *column,
           gsize                  channel,
           gsize                 *tile)
{
  *tile = column->color == LS_DIAGRAM_TILE_RGB ? 0 : channel;

  return channel < column->channels && *tile < column->n_tiles;
}

/* Finds the rectangle that a region of one channel covers, or returns
 * FALSE when that channel's tile is not shown. */
gboolean
ls_diagram_grid_get_region_rect (const LsDiagramColumn *column,
                                 gsize                  channel,
                                 const LsRegion        *region,
                                 cairo_rectangle_t     *rect)
{
  cairo_rectangle_t tile_rect;
  gsize tile;

  g_assert (column->kind == LS_DIAGRAM_TILES);

  if (!find_tile (column, channel, &tile))
    return FALSE;

  ls_diagram_grid_get_tile_rect (column, tile, &tile_rect);
  rect->x = tile_rect.x + (double) region->x0 * column->scale;
  rect->y = tile_rect.y + (double) region->y0 * column->scale;
  rect->width = (double) (region->x1 - region->x0) * column->scale;
  rect->height = (double) (region->y1 - region->y0) * column->scale;

  return TRUE;
}

/* Finds the rectangle of one unit: a tensor pixel, a square or a bar row.
 * Returns FALSE when the unit is out of range or its tile is not shown. */
gboolean
ls_diagram_grid_get_unit_rect (const LsDiagramColumn *column,
                               gsize                  unit,
                               cairo_rectangle_t     *rect)
{
  double row_height;

  if (unit >= column->units)
    return FALSE;

  switch (column->kind)
    {
    case LS_DIAGRAM_TILES:
      {
        gsize plane = column->height * column->width;
        gsize pixel = unit % plane;
        LsRegion region = { pixel / column->width, pixel % column->width,
                            pixel / column->width + 1, pixel % column->width + 1 };

        return ls_diagram_grid_get_region_rect (column, unit / plane, &region, rect);
      }

    case LS_DIAGRAM_PACKED:
      *rect = (cairo_rectangle_t) {
        column->bounds.x + (double) (unit / column->rows) * column->cell,
        column->bounds.y + (double) (unit % column->rows) * column->cell,
        column->cell, column->cell,
      };
      return TRUE;

    case LS_DIAGRAM_BAR:
      row_height = column->bounds.height / (double) column->units;
      *rect = (cairo_rectangle_t) {
        column->bounds.x, column->bounds.y + (double) unit * row_height, column->bounds.width, row_height,
      };
      return TRUE;

    case LS_DIAGRAM_TOKENS:
    case LS_DIAGRAM_SEQUENCE:
      return ls_diagram_sequence_get_unit_rect (column, unit, rect);

    case LS_DIAGRAM_NEURONS:
    default:
      return FALSE;
    }
}

/* Returns the unit of the tile pixel at tile-relative (x, y), clamped
 * into the tile. */
static gsize
get_tile_pixel_unit (const LsDiagramColumn *column,
                     gsize                  tile,
                     double                 x,
                     double                 y)
{
  gsize row = (gsize) CLAMP (floor (y / column->scale), 0.0, (double) column->height - 1.0);
  gsize col = (gsize) CLAMP (floor (x / column->scale), 0.0, (double) column->width - 1.0);

  return (tile * column->height + row) * column->width + col;
}

/* Finds the tile pixel nearest to (x, y): in the nearest tile, clamped
 * into it. With exact set, returns FALSE unless (x, y) is on a tile. */
static gboolean
find_tile_pixel (const LsDiagramColumn *column,
                 double                 x,
                 double                 y,
                 gboolean               exact,
                 gsize                 *unit)
{
  double step_x = column->scale * (double) column->width + column->tile_gap;
  double step_y = column->scale * (double) column->height + column->tile_gap;
  gsize cols = (column->n_tiles + column->rows - 1) / column->rows;
  double grid_x = floor ((x - column->bounds.x) / step_x);
  double grid_y = floor ((y - column->bounds.y) / step_y);
  gsize tile;
  cairo_rectangle_t rect;

  if (exact && (grid_x < 0.0 || grid_y < 0.0 || grid_x >= (double) cols || grid_y >= (double) column->rows))
    return FALSE;

  grid_x = CLAMP (grid_x, 0.0, (double) cols - 1.0);
  grid_y = CLAMP (grid_y, 0.0, (double) column->rows - 1.0);
  tile = (gsize) grid_x * column->rows + (gsize) grid_y;
  if (tile >= column->n_tiles)
    {
      if (exact)
        return FALSE;
      tile = column->n_tiles - 1;
    }

  ls_diagram_grid_get_tile_rect (column, tile, &rect);
  if (exact && (x < rect.x || y < rect.y || x >= rect.x + rect.width || y >= rect.y + rect.height))
    return FALSE;

  *unit = get_tile_pixel_unit (column, tile, x - rect.x, y - rect.y);

  return TRUE;
}

/* Finds the unit of a PACKED or BAR column nearest to (x, y). With exact
 * set, returns FALSE unless (x, y) is on one. */
static gboolean
find_cell (const LsDiagramColumn *column,
           double                 x,
           double                 y,
           gboolean               exact,
           gsize                 *unit)
{
  const cairo_rectangle_t *b = &column->bounds;
  double grid_x, grid_y;

  if (exact && (x < b->x || y < b->y || x >= b->x + b->width || y >= b->y + b->height))
    return FALSE;

  if (column->kind == LS_DIAGRAM_BAR)
    {
      grid_y = floor ((y - b->y) / (b->height / (double) column->units));
      *unit = (gsize) CLAMP (grid_y, 0.0, (double) column->units - 1.0);
      return TRUE;
    }

  grid_x = CLAMP (floor ((x - b->x) / column->cell), 0.0,
                  (double) ((column->units + column->rows - 1) / column->rows) - 1.0);
  grid_y = CLAMP (floor ((y - b->y) / column->cell), 0.0, (double) column->rows - 1.0);
  *unit = (gsize) grid_x * column->rows + (gsize) grid_y;
  if (*unit >= column->units)
    {
      if (exact)
        return FALSE;
      *unit = column->units - 1;
    }

  return TRUE;
}

/* Finds the unit under (x, y) in a TILES, PACKED, BAR, TOKENS or
 * SEQUENCE column. A pixel's unit is its flat [c][h][w] index, and on an
 * RGB tile the index of its red value. */
gboolean
ls_diagram_grid_hit (const LsDiagramColumn *column,
                     double                 x,
                     double                 y,
                     gsize                 *unit)
{
  if (column->kind == LS_DIAGRAM_TOKENS || column->kind == LS_DIAGRAM_SEQUENCE)
    return ls_diagram_sequence_find_unit (column, x, y, TRUE, unit);

  if (column->kind == LS_DIAGRAM_TILES)
    return find_tile_pixel (column, x, y, TRUE, unit);

  return find_cell (column, x, y, TRUE, unit);
}

/* Finds the unit nearest to (x, y), for moving the selection with keys. */
gboolean
ls_diagram_grid_find_nearest (const LsDiagramColumn *column,
                              double                 x,
                              double                 y,
                              gsize                 *unit)
{
  if (column->kind == LS_DIAGRAM_TOKENS || column->kind == LS_DIAGRAM_SEQUENCE)
    return ls_diagram_sequence_find_unit (column, x, y, FALSE, unit);

  if (column->kind == LS_DIAGRAM_TILES)
    return find_tile_pixel (column, x, y, FALSE, unit);

  return find_cell (column, x, y, FALSE, unit);
}
