/* ls-render-tiles.c: drawing images, feature maps, flatten bars and
 * expanded columns, and the receptive field of a selected pixel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-render"

#include "config.h"

#include <math.h>

#include "ls-diagram-layout-private.h"
#include "ls-render-private.h"

/* The area outside a receptive field is covered with the background
 * colour at this opacity, so that the field is easy to see. */
#define VEIL_ALPHA 0.55
/* The wedges from a window to the selected pixel it feeds. */
#define WEDGE_ALPHA 0.16

/* The pixel of a value that is NaN or infinite in a tile of feature
 * maps, a flatten bar or packed squares, which ls_render_hatch_not_a_number()
 * finds and hatches. The palette has no neutral grey but its centre. */
#define NOT_A_NUMBER_PIXEL (0xff000000u | LS_RENDER_NOT_A_NUMBER_RGB)

/* Tile images */

/* Returns an opaque pixel of a Cairo ARGB32 image. */
static guint32
pack_rgb (double red,
          double green,
          double blue)
{
  return 0xff000000u | ((guint32) lround (255.0 * red) << 16) | ((guint32) lround (255.0 * green) << 8) |
         (guint32) lround (255.0 * blue);
}

/* Returns an input value as a grey level in 0..1: clamped for display,
 * and mid-grey for NaN. */
static double
get_grey_level (float value)
{
  if (isnan (value))
    return 0.5;

  return CLAMP (value, 0.0f, 1.0f);
}

/* Returns the colour of values[index]. Palette colours are those of the
 * value times palette_factor. */
static guint32
get_pixel_rgb (LsDiagramTileColor  color,
               const float        *values,
               gsize               index,
               gsize               plane,
               double              palette_factor,
               gboolean            high_contrast)
{
  LsColor palette;
  double grey;

  switch (color)
    {
    case LS_DIAGRAM_TILE_GREY:
      grey = get_grey_level (values[index]);
      return pack_rgb (grey, grey, grey);

    case LS_DIAGRAM_TILE_RGB:
      return pack_rgb (get_grey_level (values[index]), get_grey_level (values[index + plane]),
                       get_grey_level (values[index + 2 * plane]));

    case LS_DIAGRAM_TILE_PALETTE:
    default:
      if (!isfinite (values[index]))
        return NOT_A_NUMBER_PIXEL;
      ls_palette_get_scale_color (values[index] * palette_factor, high_contrast, &palette);
      return pack_rgb (palette.red, palette.green, palette.blue);
    }
}

/* Creates an image of width × height opaque pixels, to be filled through
 * *pixels [height][stride / 4]. Returns it with *pixels NULL where Cairo
 * could not create it, which then draws nothing.
 * NOTE: Cairo 1.16 images are at most 32767 pixels wide and high, so a
 * tile with a longer side stays empty. */
static cairo_surface_t *
create_pixel_surface (gsize     width,
                      gsize     height,
                      guint32 **pixels,
                      gsize    *stride)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) MIN (width, G_MAXINT),
                                                         (int) MIN (height, G_MAXINT));

  *pixels = (guint32 *) (gpointer) cairo_image_surface_get_data (surface);
  *stride = (gsize) cairo_image_surface_get_stride (surface) / sizeof (guint32);

  return surface;
}

/* Creates the image of one tile, one pixel per tensor pixel. */
static cairo_surface_t *
create_tile_surface (const LsDiagramColumn *column,
                     const float           *values,
                     gsize                  tile,
                     double                 palette_factor,
                     gboolean               high_contrast)
{
  gsize plane = column->height * column->width;
  guint32 *pixels;
  gsize stride;
  cairo_surface_t *surface = create_pixel_surface (column->width, column->height, &pixels, &stride);

  if (pixels == NULL)
    return surface;

  for (gsize y = 0; y < column->height; y++)
    for (gsize x = 0; x < column->width; x++)
      pixels[y * stride + x] = get_pixel_rgb (column->color, values, tile * plane + y * column->width + x, plane,
                                              palette_factor, high_contrast);
  cairo_surface_mark_dirty (surface);

  return surface;
}

/* Creates the image of a flatten bar: one row per value, or for more
 * values than the bar has pixel rows, the value at each row's middle. */
static cairo_surface_t *
create_bar_surface (const LsDiagramColumn *column,
                    const float           *values,
                    gboolean               high_contrast)
{
  gsize n_rows = MIN (column->units, (gsize) MAX (ceil (column->bounds.height), 1.0));
  guint32 *pixels;
  gsize stride;
  cairo_surface_t *surface = create_pixel_surface (1, n_rows, &pixels, &stride);

  if (pixels == NULL)
    return surface;

  for (gsize row = 0; row < n_rows; row++)
    pixels[row * stride] = get_pixel_rgb (LS_DIAGRAM_TILE_PALETTE, values,
                                          (2 * row + 1) * column->units / (2 * n_rows), 0, 1.0, high_contrast);
  cairo_surface_mark_dirty (surface);

  return surface;
}

/* Creates the image of an expanded column, one pixel per square in the
 * grid's order, with the empty end of the last grid column transparent. */
static cairo_surface_t *
create_packed_surface (const LsDiagramColumn *column,
                       const float           *values,
                       gboolean               high_contrast)
{
  gsize cols = (column->units + column->rows - 1) / column->rows;
  guint32 *pixels;
  gsize stride;
  cairo_surface_t *surface = create_pixel_surface (cols, column->rows, &pixels, &stride);

  if (pixels == NULL)
    return surface;

  for (gsize unit = 0; unit < column->units; unit++)
    pixels[(unit % column->rows) * stride + unit / column->rows] =
      get_pixel_rgb (LS_DIAGRAM_TILE_PALETTE, values, unit, 0, 1.0, high_contrast);
  cairo_surface_mark_dirty (surface);

  return surface;
}

/* Creates the image of a token sequence [T][d]: pixel (j, t) is the
 * value of feature j of token t. */
static cairo_surface_t *
create_sequence_surface (const LsDiagramColumn *column,
                         const float           *values,
                         gboolean               high_contrast)
{
  guint32 *pixels;
  gsize stride;
  cairo_surface_t *surface = create_pixel_surface (column->features, column->tokens, &pixels, &stride);

  if (pixels == NULL)
    return surface;

  for (gsize t = 0; t < column->tokens; t++)
    for (gsize j = 0; j < column->features; j++)
      pixels[t * stride + j] = get_pixel_rgb (LS_DIAGRAM_TILE_PALETTE, values, t * column->features + j, 0, 1.0,
                                              high_contrast);
  cairo_surface_mark_dirty (surface);

  return surface;
}

/* Creates the images of a column: one per shown tile, or the one of a
 * bar, of packed squares or of a token sequence. The array ends with
 * NULL. palette_factor applies to tiles only. */
static cairo_surface_t **
create_column_surfaces (const LsDiagramColumn *column,
                        const float           *values,
                        double                 palette_factor,
                        gboolean               high_contrast)
{
  cairo_surface_t **surfaces = g_new0 (cairo_surface_t *, MAX (column->n_tiles, 1) + 1);

  switch (column->kind)
    {
    case LS_DIAGRAM_TILES:
      for (gsize t = 0; t < column->n_tiles; t++)
        surfaces[t] = create_tile_surface (column, values, t, palette_factor, high_contrast);
      break;

    case LS_DIAGRAM_BAR:
      surfaces[0] = create_bar_surface (column, values, high_contrast);
      break;

    case LS_DIAGRAM_PACKED:
      surfaces[0] = create_packed_surface (column, values, high_contrast);
      break;

    case LS_DIAGRAM_SEQUENCE:
      surfaces[0] = create_sequence_surface (column, values, high_contrast);
      break;

    case LS_DIAGRAM_NEURONS:
    case LS_DIAGRAM_TOKENS:
    default:
      g_assert_not_reached ();
    }

  return surfaces;
}

/* Whether column c shows feature maps, the output of a convolution or
 * pooling layer, which scale_feature_maps colours per layer. The input
 * image and flatten bars are not feature maps. */
gboolean
ls_render_column_has_feature_maps (const LsDiagramLayout *layout,
                                   gsize                  c)
{
  const LsDiagramColumn *column = &layout->columns[c];

  return c > 0 && column->kind == LS_DIAGRAM_TILES && column->color == LS_DIAGRAM_TILE_PALETTE;
}

/* Returns the largest finite magnitude in the feature maps of column c,
 * over every channel, shown or not. Returns 0 for a column without
 * feature maps, and for maps of zeros, NaN and infinities only, which
 * keep the fixed scale when scaled. */
double
ls_render_get_feature_map_range (LsNetwork             *network,
                                 const LsDiagramLayout *layout,
                                 gsize                  c)
{
  const float *values;  /* [channels][height][width] */
  float range = 0.0f;

  g_assert (c < layout->n_columns);

  if (!ls_render_column_has_feature_maps (layout, c))
    return 0.0;

  values = ls_render_get_column_values (network, c);
  for (gsize i = 0; i < layout->columns[c].units; i++)
    if (isfinite (values[i]))
      range = MAX (range, fabsf (values[i]));

  return range;
}

/* Returns the factor that brings column c's values onto the palette: 1,
 * or for feature maps with scale_feature_maps, LS_PALETTE_RANGE over the
 * layer's largest magnitude, so that this magnitude gets the full colour. */
static double
get_palette_factor (const LsDiagramPainter *p,
                    gsize                   c)
{
  double range;

  if (!p->style->scale_feature_maps)
    return 1.0;

  range = ls_render_get_feature_map_range (p->network, p->layout, c);

  return range > 0.0 ? LS_PALETTE_RANGE / range : 1.0;
}

void
ls_render_free_surfaces (gpointer surfaces)
{
  cairo_surface_t **array = surfaces;

  for (gsize i = 0; array[i] != NULL; i++)
    cairo_surface_destroy (array[i]);
  g_free (array);
}

/* Returns images of column c as the forward pass has not computed it:
 * every value 0, in the neutral colour. The painter keeps them until the
 * draw ends, and they leave the cache of the computed values alone. The
 * input column is never pending, so no grey or RGB tiles come here. */
static cairo_surface_t **
get_pending_surfaces (const LsDiagramPainter *p,
                      gsize                   c)
{
  const LsDiagramColumn *column = &p->layout->columns[c];
  g_autofree float *blank = g_new0 (float, MAX (column->units, 1));  /* [units] */
  cairo_surface_t **surfaces;

  surfaces = create_column_surfaces (column, blank, 1.0, p->style->high_contrast);
  g_ptr_array_add (p->pending_surfaces, surfaces);

  return surfaces;
}

/* Returns the cached images of column c, creating them on first use
 * after the values changed. */
cairo_surface_t **
ls_render_get_column_surfaces (const LsDiagramPainter *p,
                               gsize                   c)
{
  LsDiagramCache *cache = p->layout->cache;

  if (cache->tiles == NULL)
    cache->tiles = g_new0 (cairo_surface_t **, p->layout->n_columns);
  if (ls_render_is_column_pending (p->style, c))
    return get_pending_surfaces (p, c);
  if (cache->tiles[c] != NULL)
    return cache->tiles[c];

  /* the output layer after an overflow shows NaN, as the neurons do */
  if (c > 0 && c + 1 == p->layout->n_columns && p->output_lost)
    {
      gsize units = p->layout->columns[c].units;
      g_autofree float *lost = g_new (float, units);  /* [units] */

      for (gsize i = 0; i < units; i++)
        lost[i] = NAN;
      cache->tiles[c] = create_column_surfaces (&p->layout->columns[c], lost, 1.0, p->style->high_contrast);
      return cache->tiles[c];
    }

  cache->tiles[c] = create_column_surfaces (&p->layout->columns[c],
                                            ls_render_get_column_values (p->network, c),
                                            get_palette_factor (p, c), p->style->high_contrast);

  return cache->tiles[c];
}

/* Drawing */

/* Whether cr draws into an SVG, PDF or PostScript file, whose viewers
 * smooth an embedded image when they scale it up. */
static gboolean
targets_vector_file (cairo_t *cr)
{
  switch (cairo_surface_get_type (cairo_get_target (cr)))
    {
    case CAIRO_SURFACE_TYPE_SVG:
    case CAIRO_SURFACE_TYPE_PDF:
    case CAIRO_SURFACE_TYPE_PS:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Fills the pixel at pixels[x] (premultiplied ARGB32 or RGB24) as the
 * cell (x, y) of side 1, stretched by overlap to the right and below so
 * that viewers show no seam between neighbouring cells. */
static void
fill_pixel_cell (cairo_t       *cr,
                 const guint32 *row,
                 gboolean       has_alpha,
                 int            x,
                 int            y,
                 double         overlap_x,
                 double         overlap_y)
{
  guint32 pixel = row[x];
  double alpha = has_alpha ? ((pixel >> 24) & 0xff) / 255.0 : 1.0;

  if (alpha <= 0.0)
    return;
  cairo_set_source_rgba (cr, ((pixel >> 16) & 0xff) / 255.0 / alpha, ((pixel >> 8) & 0xff) / 255.0 / alpha,
                         (pixel & 0xff) / 255.0 / alpha, alpha);
  cairo_rectangle (cr, x, y, 1.0 + overlap_x, 1.0 + overlap_y);
  cairo_fill (cr);
}

/* Draws a small image scaled up by scale_x × scale_y as one filled
 * square per pixel, so that SVG and PDF viewers keep its cells sharp.
 * Returns FALSE, drawing nothing, where cr is not a vector file, the
 * image is larger than LS_RENDER_MAX_VECTOR_PIXELS pixels a side or is
 * scaled down. */
gboolean
ls_render_paint_pixels_as_cells (cairo_t         *cr,
                                 cairo_surface_t *surface,
                                 double           scale_x,
                                 double           scale_y)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  gboolean has_alpha = cairo_image_surface_get_format (surface) == CAIRO_FORMAT_ARGB32;

  if (!targets_vector_file (cr) || data == NULL || width > LS_RENDER_MAX_VECTOR_PIXELS
      || height > LS_RENDER_MAX_VECTOR_PIXELS || scale_x < 1.0 || scale_y < 1.0)
    return FALSE;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      /* half a point of overlap, except on the last column and row */
      fill_pixel_cell (cr, (const guint32 *) (gconstpointer) (data + (gsize) y * stride), has_alpha, x, y,
                       x + 1 < width ? 0.5 / scale_x : 0.0, y + 1 < height ? 0.5 / scale_y : 0.0);

  return TRUE;
}

/* Paints an image into rect. An image scaled up keeps sharp pixels, each
 * a block of the same size where the scale is a whole number, and one
 * scaled down is filtered, so that no rows drop out. */
void
ls_render_paint_surface (const LsDiagramPainter  *p,
                         cairo_surface_t         *surface,
                         const cairo_rectangle_t *rect)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  double scale_x, scale_y;

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS || width <= 0 || height <= 0)
    return;

  scale_x = rect->width / width;
  scale_y = rect->height / height;
  cairo_save (p->cr);
  cairo_translate (p->cr, rect->x, rect->y);
  cairo_scale (p->cr, scale_x, scale_y);
  if (!ls_render_paint_pixels_as_cells (p->cr, surface, scale_x, scale_y))
    {
      cairo_set_source_surface (p->cr, surface, 0.0, 0.0);
      cairo_pattern_set_filter (cairo_get_source (p->cr),
                                scale_x >= 1.0 && scale_y >= 1.0 ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_GOOD);
      cairo_rectangle (p->cr, 0.0, 0.0, width, height);
      cairo_fill (p->cr);
    }
  cairo_restore (p->cr);
}

/* Hatches the pixels of NOT_A_NUMBER_PIXEL in an image painted into
 * rect, in runs along each row. */
void
ls_render_hatch_not_a_number (const LsDiagramPainter  *p,
                              cairo_surface_t         *surface,
                              const cairo_rectangle_t *rect)
{
  const guint32 *pixels = (const guint32 *) (gconstpointer) cairo_image_surface_get_data (surface);
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  gsize stride = (gsize) cairo_image_surface_get_stride (surface) / sizeof (guint32);
  double scale_x, scale_y;
  gboolean found = FALSE;

  if (pixels == NULL || width <= 0 || height <= 0)
    return;

  scale_x = rect->width / width;
  scale_y = rect->height / height;
  cairo_new_path (p->cr);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        int end = x;

        while (end < width && pixels[(gsize) y * stride + (gsize) end] == NOT_A_NUMBER_PIXEL)
          end++;
        if (end == x)
          continue;

        cairo_rectangle (p->cr, rect->x + x * scale_x, rect->y + y * scale_y, (end - x) * scale_x, scale_y);
        found = TRUE;
        x = end;
      }

  if (found)
    ls_render_fill_not_a_number (p->cr, p->layout->line_unit);
  cairo_new_path (p->cr);
}

/* Draws a one-pixel frame just outside rect. */
static void
frame_rectangle (const LsDiagramPainter  *p,
                 const cairo_rectangle_t *rect)
{
  cairo_rectangle (p->cr, rect->x - 0.5, rect->y - 0.5, rect->width + 1.0, rect->height + 1.0);
  ls_render_set_source_color (p->cr, &p->theme.outline, 1.0);
  cairo_set_line_width (p->cr, 1.0);
  cairo_stroke (p->cr);
}

static void
draw_tiles (const LsDiagramPainter *p,
            gsize                   c)
{
  const LsDiagramColumn *column = &p->layout->columns[c];
  cairo_surface_t **surfaces = ls_render_get_column_surfaces (p, c);

  for (gsize t = 0; t < column->n_tiles; t++)
    {
      cairo_rectangle_t rect;

      ls_diagram_grid_get_tile_rect (column, t, &rect);
      ls_render_paint_surface (p, surfaces[t], &rect);
      if (column->color == LS_DIAGRAM_TILE_PALETTE)
        ls_render_hatch_not_a_number (p, surfaces[t], &rect);
      frame_rectangle (p, &rect);
    }
}

static void
draw_bar (const LsDiagramPainter *p,
          gsize                   c)
{
  const LsDiagramColumn *column = &p->layout->columns[c];
  cairo_surface_t *surface = ls_render_get_column_surfaces (p, c)[0];

  ls_render_paint_surface (p, surface, &column->bounds);
  ls_render_hatch_not_a_number (p, surface, &column->bounds);
  frame_rectangle (p, &column->bounds);
}

/* Draws one square per unit, with a line of background colour between
 * squares that are large enough to keep one. */
static void
draw_packed (const LsDiagramPainter *p,
             gsize                   c)
{
  const LsDiagramColumn *column = &p->layout->columns[c];
  const cairo_rectangle_t *bounds = &column->bounds;
  gsize cols = (column->units + column->rows - 1) / column->rows;
  cairo_surface_t *surface = ls_render_get_column_surfaces (p, c)[0];

  ls_render_paint_surface (p, surface, bounds);
  ls_render_hatch_not_a_number (p, surface, bounds);

  if (column->cell >= 5.0)
    {
      for (gsize k = 1; k < cols; k++)
        cairo_rectangle (p->cr, bounds->x + (double) k * column->cell - 1.0, bounds->y, 1.0, bounds->height);
      for (gsize k = 1; k < column->rows; k++)
        cairo_rectangle (p->cr, bounds->x, bounds->y + (double) k * column->cell - 1.0, bounds->width, 1.0);
      ls_render_set_source_color (p->cr, &p->theme.background, 1.0);
      cairo_fill (p->cr);
    }
  frame_rectangle (p, bounds);
}

/* Draws every column that is not a column of neurons. */
void
ls_render_draw_grids (const LsDiagramPainter *p)
{
  for (gsize c = 0; c < p->layout->n_columns; c++)
    {
      switch (p->layout->columns[c].kind)
        {
        case LS_DIAGRAM_TILES:
          draw_tiles (p, c);
          break;

        case LS_DIAGRAM_BAR:
          draw_bar (p, c);
          break;

        case LS_DIAGRAM_PACKED:
          draw_packed (p, c);
          break;

        case LS_DIAGRAM_TOKENS:
          ls_render_draw_tokens (p, c);
          break;

        case LS_DIAGRAM_SEQUENCE:
          ls_render_draw_sequence (p, c);
          break;

        case LS_DIAGRAM_NEURONS:
        default:
          break;
        }
    }
}

/* Receptive fields */

/* Splits a unit of a [channels][height][width] tensor into its position. */
static void
unravel_unit (const LsShape *shape,
              gsize          unit,
              gsize         *channel,
              LsRegion      *pixel)
{
  gsize plane = shape->dims[1] * shape->dims[2];
  gsize row = (unit % plane) / shape->dims[2];
  gsize col = unit % shape->dims[2];

  *channel = unit / plane;
  *pixel = (LsRegion) { row, col, row + 1, col + 1 };
}

/* Finds what a selected value reads. For a pixel of a convolution or
 * pooling layer, that is the window of the layer's input that it reads
 * and its receptive field on the input image. For a value of a flatten
 * layer, it is the pixel of the feature maps that it copies, and that
 * pixel's receptive field. The field is left out where it is the window
 * itself, on the input. Returns FALSE when there is nothing to show. */
gboolean
ls_diagram_get_focus (LsNetwork         *network,
                      const LsSelection *selection,
                      LsDiagramFocus    *focus)
{
  const LsLayer *layer;
  LsRegion pixel;
  gsize channel;

  *focus = (LsDiagramFocus) { FALSE };
  if (selection->kind != LS_SELECTION_NEURON || selection->column == 0)
    return FALSE;

  layer = ls_network_get_layer (network, selection->column - 1);
  if (ls_layer_is_spatial (layer))
    {
      unravel_unit (&layer->output_shape, selection->unit, &channel, &pixel);
      ls_layer_get_input_region (layer, &pixel, &focus->window);
      /* a pooling window reads only its own channel */
      focus->all_channels = layer->kind == LS_LAYER_CONV2D;
      if (selection->column > 1)
        focus->has_field = ls_network_get_input_region (network, selection->column - 1, &pixel, &focus->field);
    }
  else if (layer->kind == LS_LAYER_FLATTEN && layer->input_shape.rank == 3)
    {
      unravel_unit (&layer->input_shape, selection->unit, &channel, &focus->window);
      if (selection->column > 1)
        focus->has_field = ls_network_get_input_region (network, selection->column - 2, &focus->window,
                                                        &focus->field);
    }
  else
    {
      return FALSE;
    }

  focus->has_window = TRUE;
  focus->window_column = selection->column - 1;
  focus->window_channel = channel;

  return TRUE;
}

/* Covers the tile outside rect with the background colour. */
static void
veil_around (const LsDiagramPainter  *p,
             const cairo_rectangle_t *tile,
             const cairo_rectangle_t *rect)
{
  cairo_rectangle (p->cr, tile->x, tile->y, tile->width, tile->height);
  cairo_rectangle (p->cr, rect->x, rect->y, rect->width, rect->height);
  cairo_set_fill_rule (p->cr, CAIRO_FILL_RULE_EVEN_ODD);
  ls_render_set_source_color (p->cr, &p->theme.background, VEIL_ALPHA);
  cairo_fill (p->cr);
  cairo_set_fill_rule (p->cr, CAIRO_FILL_RULE_WINDING);
}

/* Outlines rect in the foreground colour over a wider line of the
 * background colour, so that it shows on dark and light pixels alike.
 * A dashed outline marks a receptive field, a solid one a selection. */
static void
outline_rectangle (const LsDiagramPainter  *p,
                   const cairo_rectangle_t *rect,
                   gboolean                 dashed)
{
  double unit = p->layout->line_unit;
  double dashes[] = { 4.0 * unit, 3.0 * unit };
  double inset = 1.0 * unit;

  cairo_rectangle (p->cr, rect->x - inset, rect->y - inset, rect->width + 2.0 * inset, rect->height + 2.0 * inset);
  cairo_set_dash (p->cr, NULL, 0, 0.0);
  ls_render_set_source_color (p->cr, &p->theme.background, 1.0);
  cairo_set_line_width (p->cr, 4.0 * unit);
  cairo_stroke_preserve (p->cr);

  if (dashed)
    cairo_set_dash (p->cr, dashes, G_N_ELEMENTS (dashes), 0.0);
  ls_render_set_source_color (p->cr, &p->theme.foreground, 1.0);
  cairo_set_line_width (p->cr, 2.0 * unit);
  cairo_stroke (p->cr);
  cairo_set_dash (p->cr, NULL, 0, 0.0);
}

/* Highlights region on one channel's tile of column c. Returns FALSE
 * when that tile is not shown. */
static gboolean
highlight_region (const LsDiagramPainter *p,
                  gsize                   c,
                  gsize                   channel,
                  const LsRegion         *region,
                  cairo_rectangle_t      *rect)
{
  const LsDiagramColumn *column = &p->layout->columns[c];
  cairo_rectangle_t tile;

  if (!ls_diagram_grid_get_region_rect (column, channel, region, rect))
    return FALSE;

  ls_diagram_grid_get_tile_rect (column, column->color == LS_DIAGRAM_TILE_RGB ? 0 : channel, &tile);
  veil_around (p, &tile, rect);
  outline_rectangle (p, rect, TRUE);

  return TRUE;
}

/* Fills a wedge from the right side of a window to the left side of
 * the value that reads it. */
static void
draw_wedge (const LsDiagramPainter  *p,
            const cairo_rectangle_t *from,
            const cairo_rectangle_t *to)
{
  if (to->x <= from->x + from->width)
    return;

  cairo_move_to (p->cr, from->x + from->width, from->y);
  cairo_line_to (p->cr, to->x, to->y);
  cairo_line_to (p->cr, to->x, to->y + to->height);
  cairo_line_to (p->cr, from->x + from->width, from->y + from->height);
  cairo_close_path (p->cr);
  ls_render_set_source_color (p->cr, &p->theme.foreground, WEDGE_ALPHA);
  cairo_fill (p->cr);
}

/* Highlights the window that the selected value reads, on each channel
 * it reads, with a wedge from each to the value. */
static void
draw_window (const LsDiagramPainter  *p,
             const LsDiagramFocus    *focus,
             const cairo_rectangle_t *selected)
{
  const LsDiagramColumn *column = &p->layout->columns[focus->window_column];
  gsize first = focus->all_channels ? 0 : focus->window_channel;
  gsize end = focus->all_channels ? column->channels : focus->window_channel + 1;

  /* a window column of neurons is a rank-1 tensor, which no window reads */
  if (column->kind != LS_DIAGRAM_TILES)
    return;

  /* the channels of an RGB image share one tile */
  if (column->color == LS_DIAGRAM_TILE_RGB)
    {
      first = 0;
      end = 1;
    }

  for (gsize channel = first; channel < end; channel++)
    {
      cairo_rectangle_t rect;

      if (highlight_region (p, focus->window_column, channel, &focus->window, &rect) && selected != NULL)
        draw_wedge (p, &rect, selected);
    }
}

/* Highlights the receptive field on every channel of the input image. */
static void
draw_field (const LsDiagramPainter *p,
            const LsDiagramFocus   *focus)
{
  const LsDiagramColumn *input = &p->layout->columns[0];
  cairo_rectangle_t rect;

  if (input->kind != LS_DIAGRAM_TILES)
    return;

  for (gsize channel = 0; channel < input->channels; channel++)
    if (input->color != LS_DIAGRAM_TILE_RGB || channel == 0)
      highlight_region (p, 0, channel, &focus->field, &rect);
}

/* Outlines the selected pixel, square or bar row, and highlights what
 * it reads: the window in the column before and the receptive field on
 * the input. */
void
ls_render_draw_grid_selection (const LsDiagramPainter *p)
{
  const LsSelection *selection = p->selection;
  const LsDiagramColumn *column;
  cairo_rectangle_t rect;
  gboolean on_tile;
  LsDiagramFocus focus;

  if (selection->kind != LS_SELECTION_NEURON)
    return;

  column = &p->layout->columns[selection->column];
  if (column->kind == LS_DIAGRAM_NEURONS)
    return;

  on_tile = ls_diagram_grid_get_unit_rect (column, selection->unit, &rect);
  if (ls_diagram_get_focus (p->network, selection, &focus))
    {
      if (focus.has_field)
        draw_field (p, &focus);
      draw_window (p, &focus, on_tile ? &rect : NULL);
    }

  if (on_tile)
    outline_rectangle (p, &rect, FALSE);
}
