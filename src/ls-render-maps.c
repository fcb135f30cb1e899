/* ls-render-maps.c: drawing values over the input plane of a 2-input network
 *
 * Each neuron of the diagram can show its own small map, and the decision
 * map shows the output over the plane with the training samples on top,
 * as TensorFlow Playground does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-render"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "ls-diagram-layout-private.h"
#include "ls-render-private.h"

/* Entries of the colour table of the neurons' value scale, which spans
 * −LS_PALETTE_RANGE to +LS_PALETTE_RANGE. */
#define VALUE_LUT_SIZE 256

/* How far the decision map's colours go from white towards a class
 * colour at full certainty, so that the points in full colour stand out. */
#define MAP_COLOR_STRENGTH 0.8

/* The decision map draws at most this many samples of each set, evenly
 * spread over it, so that a large set stays fast to draw. */
#define MAX_DRAWN_SAMPLES 4000

/* How the output of the network reads as a decision. */
typedef enum
{
  OUTPUT_BINARY,   /* p(class 1): a sigmoid unit or a 2-unit softmax */
  OUTPUT_CLASSES,  /* softmax over 3 or more classes */
  OUTPUT_VALUE,    /* anything else, drawn on the value scale */
} OutputKind;

/* Class colours: class 0 and 1 take the two ends of the value scale, so
 * that p(class 1) reads as on the neurons, and the others follow the
 * colour-blind-safe palette of Okabe and Ito (2008). */
static const guint32 class_rgb[] = {
  LS_PALETTE_NEGATIVE_RGB, LS_PALETTE_POSITIVE_RGB, 0x009e73, 0xcc79a7,
  0xf0e442, 0x56b4e9, 0xd55e00, 0x999999,
};
G_STATIC_ASSERT (G_N_ELEMENTS (class_rgb) == LS_RENDER_CLASS_COLORS);

/* The text of the axes and the legend is at most this share of the
 * map's width, so that large text leaves the plot at least 1 − 5.8 / 16
 * = 64 % of the width beside the margins of get_geometry(). */
#define MAP_MAX_FONT_SHARE (1.0 / 16.0)

/* Outline of the sample points, dark on both themes so that a point
 * shows against the light map. */
#define POINT_OUTLINE_RGB 0x1a1a1a

gboolean
ls_render_plane_map_matches (LsNetwork  *network,
                             LsPlaneMap *map)
{
  gsize n_layers;

  g_return_val_if_fail (LS_IS_NETWORK (network), FALSE);

  if (map == NULL || ls_network_get_input_size (network) != 2 || ls_network_has_token_input (network))
    return FALSE;

  n_layers = ls_network_get_n_layers (network);
  if (ls_plane_map_get_n_layers (map) != n_layers || ls_plane_map_get_width (map) == 0)
    return FALSE;

  for (gsize l = 0; l < n_layers; l++)
    {
      const LsLayer *layer = ls_network_get_layer (network, l);

      if (ls_plane_map_get_n_units (map, l) != ls_shape_get_size (&layer->output_shape))
        return FALSE;
    }

  return TRUE;
}

static guint32
pack_color (const LsColor *color)
{
  return 0xff000000u |
         (guint32) lround (255.0 * CLAMP (color->red, 0.0, 1.0)) << 16 |
         (guint32) lround (255.0 * CLAMP (color->green, 0.0, 1.0)) << 8 |
         (guint32) lround (255.0 * CLAMP (color->blue, 0.0, 1.0));
}

static void
build_value_lut (guint32 lut[VALUE_LUT_SIZE])
{
  for (gsize i = 0; i < VALUE_LUT_SIZE; i++)
    {
      double value = LS_PALETTE_RANGE * (2.0 * i / (VALUE_LUT_SIZE - 1) - 1.0);
      LsColor color;

      ls_palette_get_value_color (value, &color);
      lut[i] = pack_color (&color);
    }
}

static guint32
look_up_value (const guint32 lut[VALUE_LUT_SIZE],
               float         value)
{
  double t;

  if (!isfinite (value))
    return 0xff000000u | LS_RENDER_NOT_A_NUMBER_RGB;

  t = (value / LS_PALETTE_RANGE + 1.0) / 2.0;
  t = CLAMP (t, 0.0, 1.0);

  return lut[(gsize) lround (t * (VALUE_LUT_SIZE - 1))];
}

/* Creates an image of width × height pixels of values [height][width]
 * (row 0 on top) on the neurons' value scale. */
static cairo_surface_t *
create_value_surface (const float   *values,
                      gsize          width,
                      gsize          height,
                      const guint32  lut[VALUE_LUT_SIZE])
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  unsigned char *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  for (gsize row = 0; row < height; row++)
    {
      guint32 *pixels = (guint32 *) (data + row * stride);

      for (gsize col = 0; col < width; col++)
        pixels[col] = look_up_value (lut, values[row * width + col]);
    }
  cairo_surface_mark_dirty (surface);

  return surface;
}

/* Fills values [height][width] with input 0 (x) or input 1 (y) over
 * the map's grid, the map of an input neuron. */
static void
fill_input_values (LsPlaneMap *map,
                   gsize       input,
                   float      *values)
{
  gsize width = ls_plane_map_get_width (map);
  gsize height = ls_plane_map_get_height (map);
  float x_min, x_max, y_min, y_max;

  ls_plane_map_get_bounds (map, &x_min, &x_max, &y_min, &y_max);
  for (gsize row = 0; row < height; row++)
    for (gsize col = 0; col < width; col++)
      {
        double fx = width > 1 ? (double) col / (width - 1) : 0.5;
        double fy = height > 1 ? (double) row / (height - 1) : 0.5;

        values[row * width + col] = input == 0 ? x_min + fx * (x_max - x_min)
                                               : y_max - fy * (y_max - y_min);
      }
}

/* Sets surface, an image of a plane map's grid, as the source so that
 * its first and last grid points land on the edges of rect, where the
 * map's bounds are, and the pixels between blend bilinearly. */
static void
set_grid_source (cairo_t                 *cr,
                 cairo_surface_t         *surface,
                 const cairo_rectangle_t *rect)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  double sx = (width > 1 ? width - 1 : 1) / rect->width;
  double sy = (height > 1 ? height - 1 : 1) / rect->height;
  cairo_pattern_t *pattern = cairo_pattern_create_for_surface (surface);
  cairo_matrix_t matrix;

  /* pattern pixel centres are at half-integer coordinates */
  cairo_matrix_init (&matrix, sx, 0.0, 0.0, sy,
                     (width > 1 ? 0.5 : 0.0) - rect->x * sx,
                     (height > 1 ? 0.5 : 0.0) - rect->y * sy);
  cairo_pattern_set_matrix (pattern, &matrix);
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_BILINEAR);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
  cairo_set_source (cr, pattern);
  cairo_pattern_destroy (pattern);
}

/* Paints surface scaled into the square of side 2·radius around (x, y),
 * clipped to the circle of that radius. */
static void
paint_in_circle (cairo_t         *cr,
                 cairo_surface_t *surface,
                 double           x,
                 double           y,
                 double           radius)
{
  cairo_rectangle_t square = { x - radius, y - radius, 2.0 * radius, 2.0 * radius };

  cairo_save (cr);
  cairo_new_path (cr);
  cairo_arc (cr, x, y, radius, 0.0, 2.0 * G_PI);
  cairo_clip (cr);
  set_grid_source (cr, surface, &square);
  cairo_paint (cr);
  cairo_restore (cr);
}

/* Fills the neuron of unit `unit` of diagram column `column` at (x, y)
 * with its map from the style's plane map. Returns FALSE, drawing
 * nothing, when there is no map that matches the network. */
gboolean
ls_render_draw_unit_map (const LsDiagramPainter *p,
                         gsize                   column,
                         gsize                   unit,
                         double                  x,
                         double                  y)
{
  LsPlaneMap *map = p->style->plane_map;
  guint32 lut[VALUE_LUT_SIZE];
  g_autofree float *inputs = NULL;  /* [height][width] */
  const float *values;              /* [height][width] */
  cairo_surface_t *surface;

  if (!ls_render_plane_map_matches (p->network, map))
    return FALSE;

  if (column == 0)
    {
      inputs = g_new (float, ls_plane_map_get_width (map) * ls_plane_map_get_height (map));
      fill_input_values (map, unit, inputs);
      values = inputs;
    }
  else
    {
      values = ls_plane_map_get_values (map, column - 1, unit);
    }

  build_value_lut (lut);
  surface = create_value_surface (values, ls_plane_map_get_width (map),
                                  ls_plane_map_get_height (map), lut);
  paint_in_circle (p->cr, surface, x, y, p->layout->radius);
  cairo_surface_destroy (surface);

  return TRUE;
}

/* The decision map */

static OutputKind
get_output_kind (LsNetwork *network)
{
  const LsLayer *output = ls_network_get_output_layer (network);
  gsize units;

  if (output == NULL)
    return OUTPUT_VALUE;

  units = ls_shape_get_size (&output->output_shape);
  if (output->activation == LS_ACTIVATION_SIGMOID && units == 1)
    return OUTPUT_BINARY;
  if (output->activation == LS_ACTIVATION_SOFTMAX && units == 2)
    return OUTPUT_BINARY;
  if (output->activation == LS_ACTIVATION_SOFTMAX && units > 2)
    return OUTPUT_CLASSES;

  return OUTPUT_VALUE;
}

/* Returns how the map reads the output: as the network's output kind,
 * except with a regression set, whose targets are values whatever the
 * output layer is. */
static OutputKind
get_map_kind (LsNetwork *network,
              LsSamples *train,
              LsSamples *test)
{
  if ((train != NULL && !ls_samples_is_classification (train)) ||
      (test != NULL && !ls_samples_is_classification (test)))
    return OUTPUT_VALUE;

  return get_output_kind (network);
}

static gsize
get_n_classes (LsNetwork  *network,
               OutputKind  kind)
{
  switch (kind)
    {
    case OUTPUT_BINARY:
      return 2;
    case OUTPUT_CLASSES:
      return ls_shape_get_size (&ls_network_get_output_layer (network)->output_shape);
    case OUTPUT_VALUE:
    default:
      return 0;
    }
}

void
ls_render_get_class_color (gsize    class_index,
                           LsColor *color)
{
  g_return_if_fail (color != NULL);

  ls_color_init_rgb (color, class_rgb[class_index % G_N_ELEMENTS (class_rgb)]);
}

/* Sets color to white moved by strength (0 to 1) towards base. */
static void
tint_white (const LsColor *base,
            double         strength,
            LsColor       *color)
{
  color->red = 1.0 + strength * (base->red - 1.0);
  color->green = 1.0 + strength * (base->green - 1.0);
  color->blue = 1.0 + strength * (base->blue - 1.0);
}

/* Returns the colour of the decision for class probabilities p[n_classes].
 * For 2 classes, it blends from class 0's colour through white at 0.5 to
 * class 1's. For more, it is the most likely class's colour, paler the
 * less certain the network is. */
static guint32
get_decision_pixel (const float *p,
                    gsize        n_classes)
{
  gsize best = 0;
  double strength;
  LsColor base;
  LsColor color;

  for (gsize k = 1; k < n_classes; k++)
    if (p[k] > p[best])
      best = k;

  if (!isfinite (p[best]))
    return 0xff000000u | LS_RENDER_NOT_A_NUMBER_RGB;

  if (n_classes == 2)
    strength = 2.0 * fabs (p[1] - 0.5);
  else
    strength = (p[best] - 1.0 / n_classes) / (1.0 - 1.0 / n_classes);

  ls_render_get_class_color (best, &base);
  tint_white (&base, MAP_COLOR_STRENGTH * CLAMP (strength, 0.0, 1.0), &color);

  return pack_color (&color);
}

/* Creates the image of the network's decision over the map's grid. */
static cairo_surface_t *
create_decision_surface (LsNetwork  *network,
                         LsPlaneMap *map,
                         OutputKind  kind)
{
  gsize width = ls_plane_map_get_width (map);
  gsize height = ls_plane_map_get_height (map);
  gsize output = ls_network_get_n_layers (network) - 1;
  gsize units = ls_plane_map_get_n_units (map, output);
  cairo_surface_t *surface;
  unsigned char *data;
  guint32 lut[VALUE_LUT_SIZE];

  if (kind == OUTPUT_VALUE)
    {
      build_value_lut (lut);
      return create_value_surface (ls_plane_map_get_values (map, output, 0), width, height, lut);
    }

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  data = cairo_image_surface_get_data (surface);
  for (gsize i = 0; i < width * height; i++)
    {
      float p[LS_MAX_CLASSES];  /* [n_classes] at point i */
      gsize n_classes = MIN (units, (gsize) LS_MAX_CLASSES);

      for (gsize k = 0; k < n_classes; k++)
        p[k] = ls_plane_map_get_values (map, output, k)[i];
      if (units == 1)
        {
          p[1] = p[0];
          p[0] = 1.0f - p[1];
          n_classes = 2;
        }

      ((guint32 *) (data + (i / width) * cairo_image_surface_get_stride (surface)))[i % width] =
        get_decision_pixel (p, n_classes);
    }
  cairo_surface_mark_dirty (surface);

  return surface;
}

/* Where the parts of the decision map go. */
typedef struct
{
  cairo_rectangle_t plot;  /* the square of the input plane */
  double px;               /* text size of the ticks and the legend */
  float x_min, x_max, y_min, y_max;
} MapGeometry;

static void
get_geometry (LsPlaneMap          *map,
              double               width,
              double               height,
              gboolean             compact,
              const LsRenderStyle *style,
              MapGeometry         *g)
{
  double left, right, top, bottom, side;

  g->x_min = g->y_min = -1.2f;
  g->x_max = g->y_max = 1.2f;
  if (map != NULL)
    ls_plane_map_get_bounds (map, &g->x_min, &g->x_max, &g->y_min, &g->y_max);

  g->px = compact ? 0.0 : ls_render_get_font_px (height, style);
  if (g->px > MAP_MAX_FONT_SHARE * width)
    g->px = MAX (MAP_MAX_FONT_SHARE * width, MIN (g->px, LS_RENDER_MIN_FONT_PX));
  left = compact ? 2.0 : 4.6 * g->px;  /* tick labels and the y axis's name */
  right = compact ? 2.0 : 1.2 * g->px;
  top = compact ? 2.0 : 0.8 * g->px;
  bottom = compact ? 2.0 : 5.2 * g->px;  /* ticks, the x axis's name and the legend */

  side = MAX (MIN (width - left - right, height - top - bottom), 1.0);
  g->plot = (cairo_rectangle_t) { left + MAX (width - left - right - side, 0.0) / 2.0, top, side, side };
}

static void
plane_to_plot (const MapGeometry *g,
               double             x,
               double             y,
               double            *px,
               double            *py)
{
  *px = g->plot.x + (x - g->x_min) / (g->x_max - g->x_min) * g->plot.width;
  *py = g->plot.y + (g->y_max - y) / (g->y_max - g->y_min) * g->plot.height;
}

gboolean
ls_render_decision_map_hit (LsPlaneMap          *map,
                            double               width,
                            double               height,
                            gboolean             compact,
                            const LsRenderStyle *style,
                            double               px,
                            double               py,
                            float               *x,
                            float               *y)
{
  MapGeometry g;
  double fx, fy;

  g_return_val_if_fail (x != NULL && y != NULL, FALSE);

  get_geometry (map, width, height, compact, style, &g);
  fx = (px - g.plot.x) / g.plot.width;
  fy = (py - g.plot.y) / g.plot.height;
  if (!(fx >= 0.0 && fx <= 1.0 && fy >= 0.0 && fy <= 1.0))
    return FALSE;

  *x = g.x_min + fx * (g.x_max - g.x_min);
  *y = g.y_max - fy * (g.y_max - g.y_min);

  return TRUE;
}

static void
get_sample_color (LsSamples *samples,
                  gsize      index,
                  LsColor   *color)
{
  if (ls_samples_is_classification (samples))
    ls_render_get_class_color (ls_samples_get_label (samples, index), color);
  else
    ls_palette_get_value_color (ls_samples_get_target (samples, index)[0], color);
}

/* Draws the samples of a 2-input set as points: training samples filled
 * with their class colour, test samples as rings of it. */
static void
draw_samples (cairo_t           *cr,
              const MapGeometry *g,
              LsSamples         *samples,
              gboolean           test,
              double             radius)
{
  gsize n = ls_samples_get_n_samples (samples);
  gsize step = MAX ((n + MAX_DRAWN_SAMPLES - 1) / MAX_DRAWN_SAMPLES, 1);
  LsColor outline;

  if (ls_samples_get_input_size (samples) != 2)
    return;

  ls_color_init_rgb (&outline, POINT_OUTLINE_RGB);
  for (gsize i = 0; i < n; i += step)
    {
      const float *input = ls_samples_get_input (samples, i);
      LsColor color;
      double x, y;

      plane_to_plot (g, input[0], input[1], &x, &y);
      get_sample_color (samples, i, &color);
      cairo_new_path (cr);
      cairo_arc (cr, x, y, radius, 0.0, 2.0 * G_PI);
      ls_render_set_source_color (cr, test ? &outline : &color, 1.0);
      cairo_fill_preserve (cr);
      ls_render_set_source_color (cr, test ? &color : &outline, 1.0);
      cairo_set_line_width (cr, test ? 0.6 * radius : 0.25 * radius);
      cairo_stroke (cr);
    }
}

/* Returns p(class 1) − 0.5 at grid point i of a binary output, whose
 * output layer has 1 unit (a sigmoid) or 2 (a softmax). */
static float
get_margin (LsPlaneMap *map,
            gsize       output,
            gsize       i)
{
  gsize units = ls_plane_map_get_n_units (map, output);

  return ls_plane_map_get_values (map, output, units - 1)[i] - 0.5f;
}

/* Adds to the path the piece of the contour margin = 0 in the grid cell
 * whose top left corner is grid point (col, row), by linear
 * interpolation along the cell's edges (marching squares). A cell that
 * the contour crosses twice gets both pieces, paired in edge order. */
static void
add_cell_contour (cairo_t           *cr,
                  const MapGeometry *g,
                  LsPlaneMap        *map,
                  gsize              output,
                  gsize              col,
                  gsize              row)
{
  gsize width = ls_plane_map_get_width (map);
  gsize height = ls_plane_map_get_height (map);
  /* corners clockwise from the top left, as (column, row) offsets */
  static const int corners[4][2] = { { 0, 0 }, { 1, 0 }, { 1, 1 }, { 0, 1 } };
  double cross_x[4], cross_y[4];  /* [crossing] in plot coordinates */
  gsize n = 0;

  for (gsize e = 0; e < 4; e++)
    {
      const int *a = corners[e], *b = corners[(e + 1) % 4];
      float fa = get_margin (map, output, (row + a[1]) * width + col + a[0]);
      float fb = get_margin (map, output, (row + b[1]) * width + col + b[0]);
      double t, gx, gy;

      if (!isfinite (fa) || !isfinite (fb) || (fa < 0.0f) == (fb < 0.0f))
        continue;

      t = fa / (fa - fb);
      gx = col + a[0] + t * (b[0] - a[0]);
      gy = row + a[1] + t * (b[1] - a[1]);
      cross_x[n] = g->plot.x + gx / (width - 1) * g->plot.width;
      cross_y[n] = g->plot.y + gy / (height - 1) * g->plot.height;
      n++;
    }

  for (gsize k = 0; k + 1 < n; k += 2)
    {
      cairo_move_to (cr, cross_x[k], cross_y[k]);
      cairo_line_to (cr, cross_x[k + 1], cross_y[k + 1]);
    }
}

/* Draws the decision boundary of a binary output, where p(class 1) is
 * 0.5, as a thin dark line. */
static void
draw_boundary (cairo_t           *cr,
               const MapGeometry *g,
               LsNetwork         *network,
               LsPlaneMap        *map,
               OutputKind         kind,
               gboolean           compact)
{
  gsize output = ls_network_get_n_layers (network) - 1;
  LsColor dark;

  if (kind != OUTPUT_BINARY ||
      ls_plane_map_get_width (map) < 2 || ls_plane_map_get_height (map) < 2)
    return;

  cairo_new_path (cr);
  for (gsize row = 0; row + 1 < ls_plane_map_get_height (map); row++)
    for (gsize col = 0; col + 1 < ls_plane_map_get_width (map); col++)
      add_cell_contour (cr, g, map, output, col, row);

  ls_color_init_rgb (&dark, POINT_OUTLINE_RGB);
  ls_render_set_source_color (cr, &dark, 0.7);
  cairo_set_line_width (cr, compact ? 1.0 : 1.5);
  cairo_stroke (cr);
}

/* Marks the network's current input, the point that the diagram traces,
 * with a ring and a cross, when it lies on the plotted plane. */
static void
draw_input_marker (cairo_t           *cr,
                   const MapGeometry *g,
                   LsNetwork         *network,
                   double             radius)
{
  const float *input = ls_network_get_input (network);
  LsColor dark;
  double x, y;

  if (input[0] < g->x_min || input[0] > g->x_max || input[1] < g->y_min || input[1] > g->y_max)
    return;

  plane_to_plot (g, input[0], input[1], &x, &y);
  ls_color_init_rgb (&dark, POINT_OUTLINE_RGB);
  cairo_new_path (cr);
  cairo_arc (cr, x, y, 1.8 * radius, 0.0, 2.0 * G_PI);
  cairo_move_to (cr, x - 2.8 * radius, y);
  cairo_line_to (cr, x + 2.8 * radius, y);
  cairo_move_to (cr, x, y - 2.8 * radius);
  cairo_line_to (cr, x, y + 2.8 * radius);
  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_set_line_width (cr, 0.9 * radius);
  cairo_stroke_preserve (cr);
  ls_render_set_source_color (cr, &dark, 1.0);
  cairo_set_line_width (cr, 0.4 * radius);
  cairo_stroke (cr);
}

static void
draw_plane (cairo_t             *cr,
            const MapGeometry   *g,
            LsNetwork           *network,
            LsPlaneMap          *map,
            OutputKind           kind,
            const LsRenderTheme *theme)
{
  cairo_surface_t *surface;

  cairo_rectangle (cr, g->plot.x, g->plot.y, g->plot.width, g->plot.height);
  if (!ls_render_plane_map_matches (network, map))
    {
      ls_render_set_source_color (cr, &theme->track, 1.0);
      cairo_fill (cr);
      return;
    }

  cairo_save (cr);
  cairo_clip (cr);
  surface = create_decision_surface (network, map, kind);
  set_grid_source (cr, surface, &g->plot);
  cairo_paint (cr);
  cairo_surface_destroy (surface);
  cairo_restore (cr);
}

static char *
dup_input_name (LsNetwork *network,
                gsize      input)
{
  const char *label = ls_network_get_input_label (network, input);

  if (label != NULL)
    return g_strdup (label);

  /* TRANSLATORS: the name of input 1 or 2 on the decision map's axes */
  return g_strdup_printf (_("x%zu"), input + 1);
}

/* Writes the bounds and 0 at the ticks of both axes, and the inputs' names. */
static void
draw_axes (cairo_t             *cr,
           PangoLayout         *text,
           const MapGeometry   *g,
           LsNetwork           *network,
           const LsRenderTheme *theme)
{
  const cairo_rectangle_t *r = &g->plot;
  const float x_ticks[] = { g->x_min, 0.0f, g->x_max };
  const float y_ticks[] = { g->y_min, 0.0f, g->y_max };
  g_autofree char *x_name = dup_input_name (network, 0);
  g_autofree char *y_name = dup_input_name (network, 1);
  double y_labels_width = 0.0;
  double name_x;

  ls_render_set_source_color (cr, &theme->outline, 1.0);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, r->x + 0.5, r->y + 0.5, r->width - 1.0, r->height - 1.0);
  cairo_stroke (cr);

  ls_render_set_font (text, 0.85 * g->px, FALSE);
  ls_render_set_source_color (cr, &theme->secondary, 1.0);
  for (gsize i = 0; i < G_N_ELEMENTS (x_ticks); i++)
    {
      g_autofree char *x_label = ls_render_format_short_value (x_ticks[i]);
      g_autofree char *y_label = ls_render_format_short_value (y_ticks[i]);
      double x, y;

      plane_to_plot (g, x_ticks[i], y_ticks[i], &x, &y);
      if (x_ticks[i] >= g->x_min && x_ticks[i] <= g->x_max)
        ls_render_show_text (cr, text, x_label, CLAMP (x, r->x, r->x + r->width), r->y + r->height + 0.2 * g->px, 0.5, 0.0);
      if (y_ticks[i] >= g->y_min && y_ticks[i] <= g->y_max)
        {
          ls_render_show_text (cr, text, y_label, r->x - 0.3 * g->px, CLAMP (y, r->y, r->y + r->height), 1.0, 0.5);
          y_labels_width = MAX (y_labels_width, ls_render_get_text_width (text, y_label));
        }
    }

  ls_render_set_font (text, 0.9 * g->px, TRUE);
  ls_render_set_source_color (cr, &theme->foreground, 1.0);
  ls_render_show_text (cr, text, x_name, r->x + r->width / 2.0, r->y + r->height + 1.3 * g->px, 0.5, 0.0);
  /* The rotated name's centre goes left of the widest tick label, with a
   * gap of 0.4 text sizes, and within the view. */
  name_x = MAX (r->x - 0.3 * g->px - y_labels_width - 0.4 * g->px - 0.6 * g->px, 0.6 * g->px);
  cairo_save (cr);
  cairo_translate (cr, name_x, r->y + r->height / 2.0);
  cairo_rotate (cr, -G_PI / 2.0);
  ls_render_show_text (cr, text, y_name, 0.0, 0.0, 0.5, 0.5);
  cairo_restore (cr);
}

/* Returns the name of a class: the output's label where the network
 * names its outputs, else the training set's name of the class. */
static char *
dup_class_name (LsNetwork *network,
                LsSamples *train,
                gsize      class_index)
{
  const LsLayer *output = ls_network_get_output_layer (network);

  if (output->labels != NULL && ls_shape_get_size (&output->output_shape) > 1 &&
      class_index < g_strv_length (output->labels))
    return g_strdup (output->labels[class_index]);

  if (train != NULL && ls_samples_is_classification (train) &&
      class_index < ls_samples_get_n_classes (train) &&
      ls_samples_get_class_name (train, class_index) != NULL)
    return g_strdup (ls_samples_get_class_name (train, class_index));

  /* TRANSLATORS: a class of the decision map's legend, counted from 0 as
   * the training sets label them */
  return g_strdup_printf (_("class %zu"), class_index);
}

/* Returns the width of one legend entry: a swatch and its name. */
static double
measure_entry (PangoLayout *text,
               const char  *name,
               double       px)
{
  return 1.6 * px + ls_render_get_text_width (text, name);
}

static void
draw_class_legend (cairo_t             *cr,
                   PangoLayout         *text,
                   const MapGeometry   *g,
                   LsNetwork           *network,
                   OutputKind           kind,
                   LsSamples           *train,
                   const LsRenderTheme *theme)
{
  gsize n_classes = get_n_classes (network, kind);
  g_auto(GStrv) names = g_new0 (char *, n_classes + 1);
  double px = 0.9 * g->px;
  double total = 0.0;
  double x, y = g->plot.y + g->plot.height + 3.4 * g->px;

  for (gsize k = 0; k < n_classes; k++)
    names[k] = dup_class_name (network, train, k);

  /* shrink the text until the entries fit in one row under the plot */
  for (;;)
    {
      ls_render_set_font (text, px, FALSE);
      total = 0.0;
      for (gsize k = 0; k < n_classes; k++)
        total += measure_entry (text, names[k], px) + (k > 0 ? px : 0.0);
      if (total <= g->plot.width || px <= LS_RENDER_MIN_FONT_PX)
        break;
      px = MAX (0.9 * px, LS_RENDER_MIN_FONT_PX);
    }

  x = g->plot.x + MAX (g->plot.width - total, 0.0) / 2.0;
  for (gsize k = 0; k < n_classes; k++)
    {
      LsColor color;

      ls_render_get_class_color (k, &color);
      cairo_new_path (cr);
      cairo_arc (cr, x + 0.5 * px, y, 0.45 * px, 0.0, 2.0 * G_PI);
      ls_render_set_source_color (cr, &color, 1.0);
      cairo_fill (cr);
      ls_render_set_source_color (cr, &theme->foreground, 1.0);
      ls_render_show_text (cr, text, names[k], x + 1.2 * px, y, 0.0, 0.5);
      x += measure_entry (text, names[k], px) + px;
    }
}

/* Explains the marks of the training and the test samples, in a row
 * under the classes. */
static void
draw_marks_legend (cairo_t             *cr,
                   PangoLayout         *text,
                   const MapGeometry   *g,
                   gboolean             has_train,
                   gboolean             has_test,
                   const LsRenderTheme *theme)
{
  const char *train_name = _("training");
  const char *test_name = _("test");
  double px = 0.85 * g->px;
  double total, x, y = g->plot.y + g->plot.height + 4.6 * g->px;
  LsColor dark;

  ls_render_set_font (text, px, FALSE);
  total = (has_train ? measure_entry (text, train_name, px) : 0.0) +
          (has_test ? measure_entry (text, test_name, px) : 0.0) +
          (has_train && has_test ? px : 0.0);
  x = g->plot.x + MAX (g->plot.width - total, 0.0) / 2.0;
  ls_color_init_rgb (&dark, POINT_OUTLINE_RGB);
  cairo_set_line_width (cr, 0.12 * px);

  for (int mark = 0; mark < 2; mark++)
    {
      const char *name = mark == 0 ? train_name : test_name;

      if (!(mark == 0 ? has_train : has_test))
        continue;

      /* the marks in the secondary colour: they stand for every class */
      cairo_new_path (cr);
      cairo_arc (cr, x + 0.5 * px, y, 0.35 * px, 0.0, 2.0 * G_PI);
      ls_render_set_source_color (cr, mark == 0 ? &theme->secondary : &dark, 1.0);
      cairo_fill_preserve (cr);
      ls_render_set_source_color (cr, mark == 0 ? &dark : &theme->secondary, 1.0);
      cairo_stroke (cr);
      ls_render_set_source_color (cr, &theme->foreground, 1.0);
      ls_render_show_text (cr, text, name, x + 1.2 * px, y, 0.0, 0.5);
      x += measure_entry (text, name, px) + px;
    }
}

/* For a regression output, shows the value scale from −1 to +1. */
static void
draw_value_legend (cairo_t             *cr,
                   PangoLayout         *text,
                   const MapGeometry   *g,
                   const LsRenderTheme *theme)
{
  double width = MIN (g->plot.width * 0.6, 12.0 * g->px);
  double x = g->plot.x + (g->plot.width - width) / 2.0;
  double y = g->plot.y + g->plot.height + 3.4 * g->px;
  g_autofree char *low = ls_render_format_short_value (-LS_PALETTE_RANGE);
  g_autofree char *high = ls_render_format_short_value (LS_PALETTE_RANGE);
  cairo_pattern_t *ramp = cairo_pattern_create_linear (x, 0.0, x + width, 0.0);

  for (int i = 0; i <= 8; i++)
    {
      LsColor color;

      ls_palette_get_value_color (LS_PALETTE_RANGE * (i / 4.0 - 1.0), &color);
      cairo_pattern_add_color_stop_rgb (ramp, i / 8.0, color.red, color.green, color.blue);
    }
  cairo_rectangle (cr, x, y - 0.35 * g->px, width, 0.7 * g->px);
  cairo_set_source (cr, ramp);
  cairo_fill (cr);
  cairo_pattern_destroy (ramp);

  ls_render_set_font (text, 0.85 * g->px, FALSE);
  ls_render_set_source_color (cr, &theme->foreground, 1.0);
  ls_render_show_text (cr, text, low, x - 0.4 * g->px, y, 1.0, 0.5);
  ls_render_show_text (cr, text, high, x + width + 0.4 * g->px, y, 0.0, 0.5);
}

void
ls_render_decision_map (cairo_t             *cr,
                        LsNetwork           *network,
                        LsPlaneMap          *map,
                        LsSamples           *train,
                        LsSamples           *test,
                        double               width,
                        double               height,
                        gboolean             compact,
                        const LsRenderStyle *style)
{
  g_autoptr(PangoLayout) text = NULL;
  LsRenderTheme theme;
  MapGeometry g;
  OutputKind kind;
  double radius;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (LS_IS_NETWORK (network));

  if (style == NULL)
    style = ls_render_get_default_style ();
  ls_render_get_style_theme (style, &theme);
  get_geometry (map, width, height, compact, style, &g);
  radius = CLAMP (g.plot.width / 60.0, 3.0, 7.0);
  kind = get_map_kind (network, train, test);

  cairo_save (cr);
  draw_plane (cr, &g, network, map, kind, &theme);
  if (ls_render_plane_map_matches (network, map))
    draw_boundary (cr, &g, network, map, kind, compact);

  /* the points stay inside the plot, as the map does */
  cairo_save (cr);
  cairo_rectangle (cr, g.plot.x, g.plot.y, g.plot.width, g.plot.height);
  cairo_clip (cr);
  if (train != NULL)
    draw_samples (cr, &g, train, FALSE, radius);
  if (test != NULL)
    draw_samples (cr, &g, test, TRUE, radius);
  if (ls_network_get_input_size (network) == 2)
    draw_input_marker (cr, &g, network, radius);
  cairo_restore (cr);

  if (!compact)
    {
      text = pango_cairo_create_layout (cr);
      draw_axes (cr, text, &g, network, &theme);
      if (kind == OUTPUT_VALUE)
        draw_value_legend (cr, text, &g, &theme);
      else
        draw_class_legend (cr, text, &g, network, kind, train, &theme);
      if (train != NULL || test != NULL)
        draw_marks_legend (cr, text, &g, train != NULL, test != NULL, &theme);
    }
  cairo_restore (cr);
}
