/* test-render.c: the diagram's colours and layout, the bars, the output
 * files, hit-testing, and the diagram and bars widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-render"

#include <cairo.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "ls-attention-preset.h"
#include "ls-bars-view.h"
#include "ls-diagram-layout-private.h"
#include "ls-diagram-view.h"
#include "ls-document.h"
#include "ls-explain.h"
#include "ls-engine.h"
#include "ls-number.h"
#include "ls-render-private.h"
#include "ls-render.h"

/* The colour scale as the legend states it, written out here instead of
 * taken from ls-palette.h. ColorBrewer RdBu's dark blue #0571b0 is at −1,
 * the light grey #f7f7f7 at 0 and PuOr's dark orange #e66101 at +1. The
 * scale blends linearly in sRGB and keeps the end colours beyond ±1. */
static const double negative_rgb[3] = { 0x05, 0x71, 0xb0 };
static const double neutral_rgb[3] = { 0xf7, 0xf7, 0xf7 };
static const double positive_rgb[3] = { 0xe6, 0x61, 0x01 };

/* The empty part of a bar, as the light theme draws it. */
static const double track_rgb[3] = { 0xe8, 0xe8, 0xe8 };

/* The grey under the hatching of a value that is NaN or infinite, as
 * ls-render-private.h defines LS_RENDER_NOT_A_NUMBER_RGB. */
static const double not_a_number_rgb[3] = { 0xa6, 0xa6, 0xa6 };

/* The ring around a selected neuron, and the input and output labels, in
 * the light theme. */
static const double ring_rgb[3] = { 0x1a, 0x1a, 0x1a };

/* The font scales that the window's Ctrl+− and Ctrl++ step through: 1.25
 * to the power −1 to 5. */
static const double font_scales[] = { 0.8, 1.0, 1.25, 1.5625, 1.953125, 2.44140625, 3.0517578125 };

/* Whether GTK found a display, which the widget tests need. */
static gboolean have_display;

/* 8-bit rounding, plus one for Cairo's blending */
#define COLOR_TOLERANCE 2.0

/* cat-or-dog.json with its input (0.5, 0.8, 0.2), worked by hand:
 *   hidden = ReLU (x·W1 + b1) = ReLU (0.62, −0.23, 0.91, 0.15)
 *          = (0.62, 0, 0.91, 0.15)
 *   output = softmax (1.484, −0.034) and Cat = 1 / (1 + e^(−1.518)) = 0.820244 */
#define LESSON_CAT 0.820244
#define LESSON_DOG (1.0 - LESSON_CAT)
#define LESSON_CAT_LOGIT 1.484
#define LESSON_DOG_LOGIT (-0.034)

typedef struct
{
  const char *name;
  gsize column;
  gsize unit;
  double value;
} NeuronCase;

static const NeuronCase lesson_neurons[] = {
  { "pixel 1", 0, 0, 0.5 },
  { "pixel 2", 0, 1, 0.8 },
  { "h1", 1, 0, 0.62 },
  { "h2, dead ReLU", 1, 1, 0.0 },
  { "h3", 1, 2, 0.91 },
  { "h4", 1, 3, 0.15 },
  { "Cat", 2, 0, LESSON_CAT },
  { "Dog", 2, 1, LESSON_DOG },
};

static LsNetwork *
load_example_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  LsNetwork *network = ls_document_load_file (file, &error);

  g_assert_no_error (error);
  g_assert_nonnull (network);

  return network;
}

static LsNetwork *
load_example (void)
{
  return load_example_file ("cat-or-dog.json");
}

/* Builds a network of 2 inputs and one dense layer whose weights are all
 * 0, so that its outputs before the activation are its biases. */
static LsNetwork *
build_bias_network (LsActivation  activation,
                    const float  *biases,
                    gsize         n_biases)
{
  LsNetwork *network = ls_network_new (2);
  g_autoptr(GError) error = NULL;

  ls_network_insert_dense (network, 0, n_biases, activation, &error);
  g_assert_no_error (error);
  for (gsize unit = 0; unit < n_biases; unit++)
    {
      for (gsize input = 0; input < 2; input++)
        {
          ls_network_set_weight (network, 0, input, unit, 0.0f, &error);
          g_assert_no_error (error);
        }
      ls_network_set_bias (network, 0, unit, biases[unit], &error);
      g_assert_no_error (error);
    }

  return network;
}

/* Builds the 784-128-64-10 network of a digit classifier, with a bright
 * square in the middle of its 28 × 28 input. */
static LsNetwork *
build_digit_network (void)
{
  LsNetwork *network = ls_network_new (784);
  g_autofree float *pixels = g_new0 (float, 784);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < 784; i++)
    if (i / 28 >= 8 && i / 28 < 20 && i % 28 >= 8 && i % 28 < 20)
      pixels[i] = 0.9f;

  ls_network_insert_dense (network, 0, 128, LS_ACTIVATION_RELU, &error);
  g_assert_no_error (error);
  ls_network_insert_dense (network, 1, 64, LS_ACTIVATION_RELU, &error);
  g_assert_no_error (error);
  ls_network_insert_dense (network, 2, 10, LS_ACTIVATION_SOFTMAX, &error);
  g_assert_no_error (error);
  ls_network_set_input (network, pixels, 784, &error);
  g_assert_no_error (error);

  return network;
}

/* Builds a network on a channels × size × size image: conv 8@3×3 "same"
 * ReLU, 2×2 max pooling, conv 16@3×3 "same" ReLU, 2×2 max pooling, an
 * optional flatten, and dense 10 softmax: the layers of
 * data/examples/fashion-cnn.json. Weights are the engine's seeded He
 * weights and the input is seeded noise in [0, 1). */
static LsNetwork *
build_cnn_network (gsize    channels,
                   gsize    size,
                   gsize    filters,
                   gboolean flatten)
{
  static const gsize conv_kernel[2] = { 3, 3 }, pool_kernel[2] = { 2, 2 }, one[2] = { 1, 1 };
  g_autoptr(GError) error = NULL;
  g_autofree float *input = NULL;
  LsNetwork *network;
  LsWindow conv, pool;
  LsShape shape;
  LsRandom random;
  gsize index = 0;

  ls_shape_init_3d (&shape, channels, size, size);
  network = ls_network_new_with_shape (&shape);
  g_assert_true (ls_window_init (&conv, conv_kernel, one, LS_PADDING_SAME, NULL, &error));
  g_assert_true (ls_window_init (&pool, pool_kernel, pool_kernel, LS_PADDING_VALID, NULL, &error));
  g_assert_true (ls_network_insert_conv2d (network, index++, filters, &conv, LS_ACTIVATION_RELU, &error));
  g_assert_true (ls_network_insert_pool2d (network, index++, LS_LAYER_MAXPOOL2D, &pool, &error));
  g_assert_true (ls_network_insert_conv2d (network, index++, 2 * filters, &conv, LS_ACTIVATION_RELU, &error));
  g_assert_true (ls_network_insert_pool2d (network, index++, LS_LAYER_MAXPOOL2D, &pool, &error));
  if (flatten)
    g_assert_true (ls_network_insert_flatten (network, index++, &error));
  g_assert_true (ls_network_insert_dense (network, index, 10, LS_ACTIVATION_SOFTMAX, &error));
  g_assert_no_error (error);

  input = g_new (float, ls_shape_get_size (&shape));
  ls_random_init (&random, 28);
  for (gsize i = 0; i < ls_shape_get_size (&shape); i++)
    input[i] = (float) ls_random_next_double (&random);
  g_assert_true (ls_network_set_input (network, input, ls_shape_get_size (&shape), &error));

  return network;
}

/* Builds an input image of channels × height × width values and one
 * dense layer of 2 units after it. */
static LsNetwork *
build_image_network (gsize        channels,
                     gsize        height,
                     gsize        width,
                     const float *values)
{
  g_autoptr(GError) error = NULL;
  LsNetwork *network;
  LsShape shape;

  ls_shape_init_3d (&shape, channels, height, width);
  network = ls_network_new_with_shape (&shape);
  g_assert_true (ls_network_insert_dense (network, 0, 2, LS_ACTIVATION_SOFTMAX, &error));
  if (values != NULL)
    g_assert_true (ls_network_set_input (network, values, ls_shape_get_size (&shape), &error));
  g_assert_no_error (error);

  return network;
}

static void
get_expected_color (double value,
                    double rgb[3])
{
  const double *end = value < 0 ? negative_rgb : positive_rgb;
  double t = MIN (fabs (value), 1.0);

  for (guint i = 0; i < 3; i++)
    rgb[i] = neutral_rgb[i] + t * (end[i] - neutral_rgb[i]);
}

/* Reads an opaque pixel of an ARGB32 or RGB24 surface as 0..255 values. */
static void
read_pixel (cairo_surface_t *surface,
            int              x,
            int              y,
            double           rgb[3])
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 pixel;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, cairo_image_surface_get_width (surface));
  g_assert_cmpint (y, <, cairo_image_surface_get_height (surface));

  pixel = *(const guint32 *) (data + (gsize) y * stride + (gsize) x * 4);
  rgb[0] = (pixel >> 16) & 0xff;
  rgb[1] = (pixel >> 8) & 0xff;
  rgb[2] = pixel & 0xff;
}

static gboolean
color_near (const double actual[3],
            const double expected[3])
{
  for (guint i = 0; i < 3; i++)
    if (fabs (actual[i] - expected[i]) > COLOR_TOLERANCE)
      return FALSE;

  return TRUE;
}

static void
assert_color_near (const double  actual[3],
                   const double  expected[3],
                   const char   *what)
{
  if (!color_near (actual, expected))
    g_error ("%s: colour (%g, %g, %g), expected (%g, %g, %g) within %g",
             what, actual[0], actual[1], actual[2], expected[0], expected[1], expected[2],
             COLOR_TOLERANCE);
}

/* Returns the page position of a point inside a neuron, 70 % of the radius
 * above its centre, clear of the value printed across the middle. */
static void
get_fill_sample_point (LsNetwork *network,
                       int        width,
                       int        height,
                       gsize      column,
                       gsize      unit,
                       int       *x,
                       int       *y)
{
  g_autoptr(LsDiagramLayout) layout = NULL;
  cairo_rectangle_t diagram, bars;
  double cx, cy, radius;

  ls_render_get_page_areas (network, width, height, NULL, &diagram, &bars);
  layout = ls_diagram_layout_new (network, diagram.width, diagram.height, NULL);
  g_assert_true (ls_diagram_layout_get_unit_center (layout, column, unit, &cx, &cy));
  radius = ls_diagram_layout_get_neuron_radius (layout);
  g_assert_cmpfloat (radius, >=, 10.0);

  *x = (int) floor (diagram.x + cx);
  *y = (int) floor (diagram.y + cy - 0.7 * radius);
}

/* Checks that every lesson neuron in a rendered page has the colour of its
 * activation. */
static void
check_lesson_colors (cairo_surface_t *surface,
                     LsNetwork       *network)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);

  for (gsize i = 0; i < G_N_ELEMENTS (lesson_neurons); i++)
    {
      const NeuronCase *neuron = &lesson_neurons[i];
      double actual[3], expected[3];
      int x, y;

      get_fill_sample_point (network, width, height, neuron->column, neuron->unit, &x, &y);
      read_pixel (surface, x, y, actual);
      get_expected_color (neuron->value, expected);
      assert_color_near (actual, expected, neuron->name);
    }
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("test-render-XXXXXX", &error);

  g_assert_no_error (error);

  return dir;
}

/* Removes the files that a test wrote into dir, then dir itself. */
static void
remove_temp_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }

  g_rmdir (dir);
}

static cairo_surface_t *
render_png_and_read (LsNetwork  *network,
                     const char *path,
                     int         width,
                     int         height)
{
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;

  g_assert_true (ls_render_to_file (network, path, width, height, NULL, &error));
  g_assert_no_error (error);

  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, height);

  return surface;
}

static void
test_render_png_colors (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "lesson.png", NULL);
  cairo_surface_t *surface;

  surface = render_png_and_read (network, path, 1280, 720);
  check_lesson_colors (surface, network);
  cairo_surface_destroy (surface);

  surface = render_png_and_read (network, path, 1920, 1080);
  check_lesson_colors (surface, network);
  cairo_surface_destroy (surface);

  remove_temp_dir (dir);
}

/* An input of −0.6 is 60 % of the way to the negative end, and 2.5 is
 * past +1, so it has the full positive colour. */
static void
test_render_png_negative_and_saturated (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "inputs.png", NULL);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  double actual[3], expected[3];
  int x, y;

  ls_network_set_input_value (network, 0, -0.6f, &error);
  g_assert_no_error (error);
  ls_network_set_input_value (network, 1, 2.5f, &error);
  g_assert_no_error (error);
  surface = render_png_and_read (network, path, 1280, 720);

  get_fill_sample_point (network, 1280, 720, 0, 0, &x, &y);
  read_pixel (surface, x, y, actual);
  get_expected_color (-0.6, expected);
  assert_color_near (actual, expected, "input −0.6");

  get_fill_sample_point (network, 1280, 720, 0, 1, &x, &y);
  read_pixel (surface, x, y, actual);
  assert_color_near (actual, positive_rgb, "input 2.5");

  cairo_surface_destroy (surface);
  remove_temp_dir (dir);
}

/* The same page through `layerscope --render`, whose default style is
 * LS_RENDER_STYLE_INIT. */
static void
test_render_command_line (void)
{
  const char *binary = g_getenv ("LAYERSCOPE_BINARY");
  g_autoptr(LsNetwork) network = load_example ();
  g_autofree char *example = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "cat-or-dog.json", NULL);
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "cli.png", NULL);
  const char *argv[] = { binary, "--render", path, "--size", "1280x720", example, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  cairo_surface_t *surface;
  int wait_status;

  if (binary == NULL || !g_file_test (binary, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("LAYERSCOPE_BINARY does not name the layerscope binary");
      remove_temp_dir (dir);
      return;
    }

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                NULL, &err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);

  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  check_lesson_colors (surface, network);
  cairo_surface_destroy (surface);
  remove_temp_dir (dir);
}

/* Checks that a file has the header of its format, and the end marker
 * within its last 64 bytes, so that it was finished and not cut short. */
static void
assert_file_framed (const char *path,
                    const char *header,
                    const char *end_marker)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize marker_length = strlen (end_marker);
  gboolean found = FALSE;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 1000);
  g_assert_cmpmem (contents, strlen (header), header, strlen (header));

  /* the files may contain NUL bytes, so no string search */
  for (gsize i = length - 64; i + marker_length <= length && !found; i++)
    found = memcmp (contents + i, end_marker, marker_length) == 0;
  g_assert_true (found);
}

static void
test_render_vector_files (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *svg = g_build_filename (dir, "lesson.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "lesson.PDF", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (ls_render_to_file (network, svg, 800, 450, NULL, &error));
  g_assert_no_error (error);
  assert_file_framed (svg, "<?xml", "</svg>");

  g_assert_true (ls_render_to_file (network, pdf, 800, 450, NULL, &error));
  g_assert_no_error (error);
  assert_file_framed (pdf, "%PDF-", "%%EOF");

  remove_temp_dir (dir);
}

typedef struct
{
  const char *name;        /* file name inside the temporary directory */
  int width;
  int height;
  GQuark domain;
  int code;
} FileErrorCase;

static void
test_render_file_errors (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autofree char *dir = make_temp_dir ();
  const FileErrorCase cases[] = {
    { "lesson.bmp", 640, 480, LS_ERROR, LS_ERROR_INVALID_ARGUMENT },
    { "lesson", 640, 480, LS_ERROR, LS_ERROR_INVALID_ARGUMENT },
    { ".png", 640, 480, LS_ERROR, LS_ERROR_INVALID_ARGUMENT },
    { "lesson.png", 0, 480, LS_ERROR, LS_ERROR_INVALID_ARGUMENT },
    { "lesson.png", 640, 16385, LS_ERROR, LS_ERROR_INVALID_ARGUMENT },
    /* README: a page fits every label and bar from 320 × 240 up */
    { "lesson.png", 319, 240, LS_ERROR, LS_ERROR_INVALID_ARGUMENT },
    { "lesson.svg", 320, 239, LS_ERROR, LS_ERROR_INVALID_ARGUMENT },
    { "missing/lesson.png", 640, 480, G_IO_ERROR, G_IO_ERROR_NOT_FOUND },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (dir, cases[i].name, NULL);
      g_autoptr(GError) error = NULL;

      g_test_message ("%s at %d × %d", cases[i].name, cases[i].width, cases[i].height);
      g_assert_false (ls_render_to_file (network, path, cases[i].width, cases[i].height, NULL, &error));
      g_assert_error (error, cases[i].domain, cases[i].code);
      g_assert_nonnull (strstr (error->message, path));
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    }

  remove_temp_dir (dir);
}

/* SVG viewers smooth an embedded image when they scale it up, so the
 * 8 × 8 digit of digits-dense.json and the 5 × 5 attention maps of
 * sentiment.json are written as one filled square per pixel, and the
 * file has no <image> element. */
static void
test_render_svg_sharp_pixels (void)
{
  static const char *const names[] = { "digits-dense.json", "sentiment.json" };
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "sharp.svg", NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(LsNetwork) network = load_example_file (names[i]);
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;

      g_test_message ("%s", names[i]);
      g_assert_true (ls_render_to_file (network, path, 1920, 1080, NULL, &error));
      g_assert_no_error (error);
      g_file_get_contents (path, &contents, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (contents, "<svg"));
      g_assert_null (strstr (contents, "<image"));
      g_unlink (path);
    }

  remove_temp_dir (dir);
}

/* A PNG at scale 2 is the page of half its size enlarged twice, so text
 * grows with the image. Averaged over 2 × 2 blocks, the 3840 × 2160 PNG at
 * scale 2 matches the 1920 × 1080 PNG up to antialiasing: the mean
 * difference measured 0.9 of 255. The layout spread over the larger page
 * at scale 1 measured 8.8. */
static void
test_render_png_scale (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *small_path = g_build_filename (dir, "small.png", NULL);
  g_autofree char *large_path = g_build_filename (dir, "large.png", NULL);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *small = render_png_and_read (network, small_path, 1920, 1080);
  cairo_surface_t *large;
  const guint8 *small_data, *large_data;
  int small_stride, large_stride;
  double difference = 0.0;

  g_assert_true (ls_render_to_file_scaled (network, large_path, 3840, 2160, 2.0, NULL, &error));
  g_assert_no_error (error);
  large = cairo_image_surface_create_from_png (large_path);
  g_assert_cmpint (cairo_image_surface_get_width (large), ==, 3840);
  g_assert_cmpint (cairo_image_surface_get_height (large), ==, 2160);

  small_data = cairo_image_surface_get_data (small);
  large_data = cairo_image_surface_get_data (large);
  small_stride = cairo_image_surface_get_stride (small);
  large_stride = cairo_image_surface_get_stride (large);
  for (int y = 0; y < 1080; y++)
    for (int x = 0; x < 1920; x++)
      for (int b = 0; b < 3; b++)
        {
          double block = 0.0;

          for (int dy = 0; dy < 2; dy++)
            for (int dx = 0; dx < 2; dx++)
              block += large_data[(2 * y + dy) * large_stride + 4 * (2 * x + dx) + b];
          difference += fabs (block / 4.0 - small_data[y * small_stride + 4 * x + b]);
        }
  difference /= 1920.0 * 1080.0 * 3.0;
  g_test_message ("mean difference %.2f of 255", difference);
  g_assert_cmpfloat (difference, <, 4.0);

  cairo_surface_destroy (small);
  cairo_surface_destroy (large);
  g_unlink (small_path);
  g_unlink (large_path);
  remove_temp_dir (dir);
}

/* An image file cannot be clicked: the page of digits-dense.json leaves
 * the "Show all 32" button of its hidden column out, so that the button's
 * place holds only the background. */
static void
test_render_page_no_buttons (void)
{
  g_autoptr(LsNetwork) network = load_example_file ("digits-dense.json");
  g_autoptr(LsDiagramLayout) layout = NULL;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1920, 1080);
  cairo_t *cr = cairo_create (surface);
  cairo_rectangle_t diagram, bars;
  const LsDiagramColumn *column;
  const guint32 *pixels;
  gsize stride;
  guint32 first;

  ls_render_page (cr, network, 1920, 1080, NULL);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  ls_render_get_page_areas (network, 1920, 1080, NULL, &diagram, &bars);
  layout = ls_diagram_layout_new (network, diagram.width, diagram.height, NULL);
  column = &layout->columns[1];
  g_assert_true (column->expandable);
  g_assert_cmpfloat (column->expander.width, >, 10.0);

  pixels = (const guint32 *) (gconstpointer) cairo_image_surface_get_data (surface);
  stride = (gsize) cairo_image_surface_get_stride (surface) / sizeof (guint32);
  first = pixels[(gsize) (diagram.y + column->expander.y) * stride + (gsize) (diagram.x + column->expander.x)];
  for (double y = column->expander.y; y < column->expander.y + column->expander.height; y++)
    for (double x = column->expander.x; x < column->expander.x + column->expander.width; x++)
      g_assert_cmphex (pixels[(gsize) (diagram.y + y) * stride + (gsize) (diagram.x + x)], ==, first);

  cairo_surface_destroy (surface);
}

/* A neuron's centre hits the neuron, even though all its edges end there. */
static void
test_render_hit_neurons (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autoptr(LsDiagramLayout) layout = ls_diagram_layout_new (network, 1280, 720, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (lesson_neurons); i++)
    {
      const NeuronCase *neuron = &lesson_neurons[i];
      LsSelection hit;
      double x, y;

      g_test_message ("%s", neuron->name);
      g_assert_true (ls_diagram_layout_get_unit_center (layout, neuron->column, neuron->unit, &x, &y));
      g_assert_true (ls_diagram_layout_hit (layout, network, x, y, &hit));
      g_assert_cmpint (hit.kind, ==, LS_SELECTION_NEURON);
      g_assert_cmpuint (hit.column, ==, neuron->column);
      g_assert_cmpuint (hit.unit, ==, neuron->unit);
    }
}

typedef struct
{
  const char *name;
  gsize column;  /* of the target neuron */
  gsize input;
  gsize unit;
} EdgeCase;

/* No other edge crosses these two at their midpoints. */
static const EdgeCase lesson_edges[] = {
  { "pixel 1 to h1", 1, 0, 0 },
  { "h1 to Cat", 2, 0, 0 },
};

static void
test_render_hit_edges (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autoptr(LsDiagramLayout) layout = ls_diagram_layout_new (network, 1280, 720, NULL);
  LsSelection hit;

  for (gsize i = 0; i < G_N_ELEMENTS (lesson_edges); i++)
    {
      const EdgeCase *edge = &lesson_edges[i];
      double x0, y0, x1, y1;

      g_test_message ("%s", edge->name);
      g_assert_true (ls_diagram_layout_get_unit_center (layout, edge->column - 1, edge->input, &x0, &y0));
      g_assert_true (ls_diagram_layout_get_unit_center (layout, edge->column, edge->unit, &x1, &y1));

      /* the midpoint, and 3 pixels off it, still within the 6-pixel reach */
      for (double offset = 0.0; offset <= 3.0; offset += 3.0)
        {
          g_assert_true (ls_diagram_layout_hit (layout, network, (x0 + x1) / 2.0, (y0 + y1) / 2.0 + offset, &hit));
          g_assert_cmpint (hit.kind, ==, LS_SELECTION_EDGE);
          g_assert_cmpuint (hit.column, ==, edge->column);
          g_assert_cmpuint (hit.input, ==, edge->input);
          g_assert_cmpuint (hit.unit, ==, edge->unit);
        }
    }

  /* the top left corner holds only the input column's title */
  g_assert_false (ls_diagram_layout_hit (layout, network, 2.0, 2.0, &hit));
  g_assert_cmpint (hit.kind, ==, LS_SELECTION_NONE);
}

/* Columns of more than 40 units show their first and last few neurons, of
 * a readable size and without overlap, and an ellipsis between them. */
static void
test_render_compact_columns (void)
{
  g_autoptr(LsNetwork) network = build_digit_network ();
  g_autoptr(LsDiagramLayout) layout = ls_diagram_layout_new (network, 1500, 1000, NULL);
  double radius = ls_diagram_layout_get_neuron_radius (layout);
  const gsize units[] = { 784, 128, 64, 10 };
  LsSelection hit;

  g_assert_cmpfloat (radius, >=, 10.0);

  for (gsize c = 0; c < G_N_ELEMENTS (units); c++)
    {
      gsize n_shown = 0;
      gsize last_head = 0;
      double previous_y = -INFINITY;
      double head_y = 0.0, tail_y = 0.0;
      double x, y;

      for (gsize unit = 0; unit < units[c]; unit++)
        {
          if (!ls_diagram_layout_get_unit_center (layout, c, unit, &x, &y))
            continue;

          g_assert_cmpfloat (y - previous_y, >=, 2.0 * radius);
          if (n_shown == unit)
            {
              last_head = unit;
              head_y = y;
            }
          else if (tail_y == 0.0)
            {
              tail_y = y;
            }
          previous_y = y;
          n_shown++;
        }

      g_test_message ("column %" G_GSIZE_FORMAT ": %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " shown",
                      c, n_shown, units[c]);
      g_assert_true (ls_diagram_layout_get_unit_center (layout, c, 0, NULL, NULL));
      g_assert_true (ls_diagram_layout_get_unit_center (layout, c, units[c] - 1, NULL, NULL));
      if (units[c] <= 40)
        {
          g_assert_cmpuint (n_shown, ==, units[c]);
          continue;
        }

      /* a handful shown, and the ellipsis between head and tail is no neuron */
      g_assert_cmpuint (n_shown, >=, 4);
      g_assert_cmpuint (n_shown, <=, 24);
      g_assert_false (ls_diagram_layout_get_unit_center (layout, c, last_head + 1, NULL, NULL));
      g_assert_cmpfloat (tail_y, >, head_y);
      g_assert_false (ls_diagram_layout_hit (layout, network, x, (head_y + tail_y) / 2.0, &hit) &&
                      hit.kind == LS_SELECTION_NEURON);
    }
}

/* Above 40 units a column is compact even where all its neurons would
 * fit, as in this 8000-pixel-high drawing, and at 40 it is not. Only a
 * compact column has a button to show all its units, and only a layer
 * with a compact side has its edges ranked. */
static void
test_render_compact_threshold (void)
{
  g_autoptr(LsNetwork) network = ls_network_new (3);
  g_autoptr(LsDiagramLayout) layout = NULL;
  g_autoptr(GError) error = NULL;

  ls_network_insert_dense (network, 0, 40, LS_ACTIVATION_RELU, &error);
  g_assert_no_error (error);
  ls_network_insert_dense (network, 1, 41, LS_ACTIVATION_RELU, &error);
  g_assert_no_error (error);
  layout = ls_diagram_layout_new (network, 1200, 8000, NULL);

  for (gsize unit = 0; unit < 40; unit++)
    g_assert_true (ls_diagram_layout_get_unit_center (layout, 1, unit, NULL, NULL));
  g_assert_false (ls_diagram_layout_get_unit_center (layout, 2, 20, NULL, NULL));

  g_assert_false (layout->columns[1].expandable);
  g_assert_true (layout->columns[2].expandable);
  g_assert_false (ls_diagram_layout_ranks_edges (layout, 1));
  g_assert_true (ls_diagram_layout_ranks_edges (layout, 2));
}

/* Drawing a page neither emits LsNetwork::changed nor moves a number. */
static void
count_changes_cb (LsNetwork *network,
                  guint      change,
                  guint     *n_changes)
{
  (*n_changes)++;
}

static void
test_render_draw_is_read_only (void)
{
  g_autoptr(LsNetwork) network = build_digit_network ();
  const LsLayer *output = ls_network_get_output_layer (network);
  g_autofree float *before = g_memdup2 (output->activation_output, 10 * sizeof (float));
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1920, 1080);
  cairo_t *cr = cairo_create (surface);
  guint n_changes = 0;

  g_signal_connect (network, "changed", G_CALLBACK (count_changes_cb), &n_changes);
  ls_render_page (cr, network, 1920, 1080, NULL);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);

  g_assert_cmpuint (n_changes, ==, 0);
  g_assert_cmpmem (output->activation_output, 10 * sizeof (float), before, 10 * sizeof (float));

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* Returns whether a pixel of the ring colour lies on the 45° ray up and to
 * the right from (x, y), between radius + 1 and radius + 16 pixels. */
static gboolean
find_ring (cairo_surface_t *surface,
           double           x,
           double           y,
           double           radius)
{
  for (double d = radius + 1.0; d < radius + 16.0; d += 0.5)
    {
      double rgb[3];

      read_pixel (surface, (int) (x + d * G_SQRT2 / 2.0), (int) (y - d * G_SQRT2 / 2.0), rgb);
      if (color_near (rgb, ring_rgb))
        return TRUE;
    }

  return FALSE;
}

static void
test_render_selected_neuron_ring (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autoptr(LsDiagramLayout) layout = ls_diagram_layout_new (network, 1280, 720, NULL);
  const LsSelection h3 = { .kind = LS_SELECTION_NEURON, .column = 1, .unit = 2 };
  const LsSelection none = { .kind = LS_SELECTION_NONE };
  const LsSelection *selections[] = { &none, &h3 };
  double radius = ls_diagram_layout_get_neuron_radius (layout);
  double x, y;

  g_assert_true (ls_diagram_layout_get_unit_center (layout, 1, 2, &x, &y));

  for (guint i = 0; i < G_N_ELEMENTS (selections); i++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1280, 720);
      cairo_t *cr = cairo_create (surface);

      cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
      cairo_paint (cr);
      ls_render_diagram (cr, network, layout, selections[i], NULL);
      cairo_surface_flush (surface);

      g_assert_cmpint (find_ring (surface, x, y, radius), ==, selections[i] == &h3);

      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
}

/* Measures the longest run of pixels of one colour in any row, and the
 * track pixels on that row. */
static void
measure_bar (cairo_surface_t *surface,
             const double     rgb[3],
             int             *bar,
             int             *track,
             int             *bar_start)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);

  *bar = 0;
  *track = 0;
  *bar_start = -1;
  for (int y = 0; y < height; y++)
    {
      int row_bar = 0, row_track = 0, row_start = -1;

      for (int x = 0; x < width; x++)
        {
          double pixel[3];

          read_pixel (surface, x, y, pixel);
          if (color_near (pixel, rgb))
            {
              row_bar++;
              if (row_start < 0)
                row_start = x;
            }
          else if (color_near (pixel, track_rgb))
            {
              row_track++;
            }
        }

      if (row_bar > *bar)
        {
          *bar = row_bar;
          *track = row_track;
          *bar_start = row_start;
        }
    }
}

static cairo_surface_t *
render_bars (LsNetwork *network,
             int        width,
             int        height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_paint (cr);
  ls_render_bars (cr, network, width, height, NULL);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  return surface;
}

/* Softmax bars of a few classes take the decision map's class colours,
 * class 0 the value scale's negative end and class 1 its positive end.
 * Cat, class 0 and the prediction, fills 82.0 % of its track in full
 * blue, and Dog 18.0 % in the orange halfway to neutral. */
static void
test_render_bars_softmax (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  cairo_surface_t *surface = render_bars (network, 400, 300);
  double light_rgb[3];
  int bar, track, start;

  measure_bar (surface, negative_rgb, &bar, &track, &start);
  g_assert_cmpint (bar, >, 0);
  g_assert_cmpfloat_with_epsilon ((double) bar / (bar + track), LESSON_CAT, 0.02);

  get_expected_color (0.5, light_rgb);
  measure_bar (surface, light_rgb, &bar, &track, &start);
  g_assert_cmpint (bar, >, 0);
  g_assert_cmpfloat_with_epsilon ((double) bar / (bar + track), LESSON_DOG, 0.02);

  cairo_surface_destroy (surface);
}

/* An output that overflowed draws no bar, only a message: inputs
 * of 3e38 give h3 = 3e38 × 0.7 + 3e38 × 0.6 > FLT_MAX, by hand, so the
 * softmax outputs are NaN. */
static void
test_render_bars_overflow (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  const float input[] = { 3e38f, 3e38f, 0.0f };
  cairo_surface_t *surface;
  int bar, track, start;
  int n_track_pixels = 0;

  g_assert_true (ls_network_set_input (network, input, G_N_ELEMENTS (input), NULL));
  g_assert_true (ls_network_find_non_finite (network, NULL));

  surface = render_bars (network, 400, 300);
  measure_bar (surface, positive_rgb, &bar, &track, &start);
  g_assert_cmpint (bar, ==, 0);

  /* No empty track either, which a bar of "NaN %" would leave: one track
   * is about 380 × 8 pixels, while the message's anti-aliased glyph edges
   * give about 150 pixels of that grey. */
  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
      {
        double pixel[3];

        read_pixel (surface, x, y, pixel);
        n_track_pixels += color_near (pixel, track_rgb);
      }
  g_assert_cmpint (n_track_pixels, <, 1000);

  cairo_surface_destroy (surface);
}

/* Without softmax the bars show the logits, scaled to the largest
 * magnitude. A negative value puts the zero line in the middle, so Cat's
 * 1.484 fills the right half of its track. */
static void
test_render_bars_values (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  cairo_surface_t *surface;
  int bar, track, start;

  ls_network_set_activation (network, 1, LS_ACTIVATION_IDENTITY);
  g_assert_cmpfloat_with_epsilon (ls_network_get_output (network)[0], LESSON_CAT_LOGIT, 1e-5);
  g_assert_cmpfloat_with_epsilon (ls_network_get_output (network)[1], LESSON_DOG_LOGIT, 1e-5);

  surface = render_bars (network, 400, 300);
  measure_bar (surface, positive_rgb, &bar, &track, &start);
  g_assert_cmpint (bar, >, 0);
  g_assert_cmpfloat_with_epsilon ((double) bar / (bar + track), 0.5, 0.02);
  g_assert_cmpint (start, >=, 190);

  cairo_surface_destroy (surface);
}

/* The window's diagram, from the smallest to the largest font scale of
 * Ctrl+− and Ctrl++, at the window sizes that testers used and at
 * narrower areas like those that the window's panels leave the diagram. */
typedef struct
{
  int width;
  int height;
} DiagramSize;

static const DiagramSize diagram_sizes[] = {
  { 1024, 768 }, { 1280, 720 }, { 1600, 900 }, { 1920, 1080 },
  { 332, 586 }, { 419, 299 }, { 685, 631 }, { 726, 510 }, { 877, 757 },
};

/* Lays out a network as the window's diagram does at font_scale. */
static LsDiagramLayout *
lay_out_as_window (LsNetwork         *network,
                   const DiagramSize *size,
                   double             font_scale)
{
  LsRenderStyle style = LS_RENDER_STYLE_INIT;

  style.font_scale = font_scale;
  style.font_px = LS_RENDER_WINDOW_FONT_PX;

  return ls_diagram_layout_new (network, size->width, size->height, &style);
}

/* Every neuron of the lesson stays in view at every font scale, with its
 * number drawn up to font scale 1. Above it the text grows regardless of
 * the numbers, which a narrow drawing can leave too small to draw. */
static void
test_render_small_columns_whole (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  const gsize units[] = { 3, 4, 2 };

  for (gsize i = 0; i < G_N_ELEMENTS (diagram_sizes); i++)
    for (gsize k = 0; k < G_N_ELEMENTS (font_scales); k++)
      {
        g_autoptr(LsDiagramLayout) layout = lay_out_as_window (network, &diagram_sizes[i], font_scales[k]);

        g_test_message ("%d × %d at font scale %g: text %.1f px, numbers %.1f px",
                        diagram_sizes[i].width, diagram_sizes[i].height, font_scales[k],
                        layout->font_px, layout->value_px);
        for (gsize c = 0; c < G_N_ELEMENTS (units); c++)
          for (gsize unit = 0; unit < units[c]; unit++)
            g_assert_true (ls_diagram_layout_get_unit_center (layout, c, unit, NULL, NULL));

        g_assert_cmpfloat (layout->font_px, <=, LS_RENDER_WINDOW_FONT_PX * font_scales[k]);
        if (font_scales[k] <= 1.0)
          g_assert_cmpfloat (layout->value_px, >, 0.0);
      }
}

/* Ctrl++ enlarges the text of image networks too, although their ten
 * output neurons stacked in the drawing's height cannot grow with it. At
 * every size, each font scale gives text at least as large as the smaller
 * scale before it. In diagrams at least 1024 pixels wide, three steps of
 * Ctrl++ (font scale 1.25³) make the text at least 1.4 times as large, as
 * they do for the lesson. */
static void
test_render_font_scale_image_network (void)
{
  g_autoptr(LsNetwork) network = load_example_file ("digits-cnn.json");

  for (gsize i = 0; i < G_N_ELEMENTS (diagram_sizes); i++)
    {
      double previous_font_px = 0.0;
      double font_px_at_1 = 0.0;

      for (gsize k = 0; k < G_N_ELEMENTS (font_scales); k++)
        {
          g_autoptr(LsDiagramLayout) layout = lay_out_as_window (network, &diagram_sizes[i], font_scales[k]);

          g_test_message ("%d × %d at font scale %g: text %.1f px, numbers %.1f px",
                          diagram_sizes[i].width, diagram_sizes[i].height, font_scales[k],
                          layout->font_px, layout->value_px);
          g_assert_cmpfloat (layout->font_px, >=, previous_font_px);
          g_assert_cmpfloat (layout->font_px, <=, LS_RENDER_WINDOW_FONT_PX * font_scales[k]);

          if (font_scales[k] == 1.0)
            font_px_at_1 = layout->font_px;
          if (font_scales[k] == 1.953125 && diagram_sizes[i].width >= 1024)
            g_assert_cmpfloat (layout->font_px, >=, 1.4 * font_px_at_1);
          previous_font_px = layout->font_px;
        }
    }
}

/* The column titles, captions and legend of an image network follow the
 * font scale, although the ten output neurons stacked in the drawing's
 * height cannot grow. The 1280 × 560 area is what a 1280 × 720 window
 * leaves the diagram. Font scale 1.5 makes the titles at least 1.3 times
 * as large as font scale 1 does. */
static void
test_render_font_scale_titles_grow (void)
{
  g_autoptr(LsNetwork) network = load_example_file ("digits-cnn.json");
  const DiagramSize size = { 1280, 560 };
  g_autoptr(LsDiagramLayout) layout_at_1 = lay_out_as_window (network, &size, 1.0);
  g_autoptr(LsDiagramLayout) layout_at_1_5 = lay_out_as_window (network, &size, 1.5);

  g_test_message ("text %.1f px at font scale 1, %.1f px at 1.5; numbers %.1f px and %.1f px",
                  layout_at_1->font_px, layout_at_1_5->font_px, layout_at_1->value_px, layout_at_1_5->value_px);
  g_assert_cmpfloat (LS_DIAGRAM_TITLE_EM * layout_at_1_5->font_px, >=,
                     1.3 * LS_DIAGRAM_TITLE_EM * layout_at_1->font_px);
}

/* The ten outputs of a digit classifier are never cut to "… 2 more …". */
static void
test_render_ten_outputs_whole (void)
{
  g_autoptr(LsNetwork) network = build_digit_network ();

  for (gsize i = 0; i < 4; i++)
    for (gsize k = 0; k < G_N_ELEMENTS (font_scales); k++)
      {
        g_autoptr(LsDiagramLayout) layout = lay_out_as_window (network, &diagram_sizes[i], font_scales[k]);

        g_test_message ("%d × %d at font scale %g", diagram_sizes[i].width, diagram_sizes[i].height,
                        font_scales[k]);
        for (gsize unit = 0; unit < 10; unit++)
          g_assert_true (ls_diagram_layout_get_unit_center (layout, 3, unit, NULL, NULL));
      }
}

/* The diagram titles unnamed layers as the layer list does, with the
 * names that ls-explain.h documents. */
static void
test_render_column_titles (void)
{
  g_autoptr(LsNetwork) network = build_digit_network ();
  const char *expected[] = { "Input", "hidden 1", "hidden 2", "output" };

  for (gsize c = 0; c < G_N_ELEMENTS (expected); c++)
    {
      g_autofree char *title = ls_diagram_dup_column_title (network, c);

      g_assert_cmpstr (title, ==, expected[c]);
    }
}

static cairo_surface_t *
render_diagram_with_style (LsNetwork             *network,
                           const LsDiagramLayout *layout,
                           const LsSelection     *selection,
                           const LsRenderStyle   *style)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) layout->width,
                                                         (int) layout->height);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_paint (cr);
  ls_render_diagram (cr, network, layout, selection, style);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  return surface;
}

static cairo_surface_t *
render_diagram (LsNetwork             *network,
                const LsDiagramLayout *layout,
                const LsSelection     *selection)
{
  return render_diagram_with_style (network, layout, selection, NULL);
}

/* Counts the pixels of a colour in the rectangle [x0, x1) × [y0, y1),
 * clipped to the surface. */
static gsize
count_pixels (cairo_surface_t *surface,
              const double     rgb[3],
              double           x0,
              double           y0,
              double           x1,
              double           y1)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  gsize count = 0;

  for (int y = MAX ((int) floor (y0), 0); y < MIN ((int) ceil (y1), height); y++)
    for (int x = MAX ((int) floor (x0), 0); x < MIN ((int) ceil (x1), width); x++)
      {
        double pixel[3];

        read_pixel (surface, x, y, pixel);
        count += color_near (pixel, rgb);
      }

  return count;
}

/* Counts the grey pixels darker than max_level in the rectangle [x0, x1)
 * × [y0, y1), clipped to the surface. Thin glyphs have few pixels of the
 * exact text colour, but their cores are dark, and no edge is grey. */
static gsize
count_grey_pixels (cairo_surface_t *surface,
                   double           max_level,
                   double           x0,
                   double           y0,
                   double           x1,
                   double           y1)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  gsize count = 0;

  for (int y = MAX ((int) floor (y0), 0); y < MIN ((int) ceil (y1), height); y++)
    for (int x = MAX ((int) floor (x0), 0); x < MIN ((int) ceil (x1), width); x++)
      {
        double pixel[3];

        read_pixel (surface, x, y, pixel);
        count += fabs (pixel[0] - pixel[1]) < 12.0 && fabs (pixel[1] - pixel[2]) < 12.0 && pixel[0] < max_level;
      }

  return count;
}

/* Counts the label pixels beside a neuron, left of it for an input and
 * right of it for an output, within half the text size of its centre.
 * Nothing else is drawn there. */
static gsize
count_label_pixels (cairo_surface_t       *surface,
                    const LsDiagramLayout *layout,
                    gsize                  column,
                    gsize                  unit)
{
  double x, y;
  double reach = 0.5 * layout->font_px;

  g_assert_true (ls_diagram_layout_get_unit_center (layout, column, unit, &x, &y));
  if (column == 0)
    return count_grey_pixels (surface, 0x80, 0.0, y - reach, x - layout->radius - 2.0, y + reach);

  return count_grey_pixels (surface, 0x80, x + layout->radius + 2.0, y - reach, layout->width, y + reach);
}

/* One-character labels such as the "x" of greater-than-five.json and
 * outputs called "C" and "D" are drawn beside their neurons. */
static void
test_render_short_labels (void)
{
  g_autoptr(LsNetwork) decision = load_example_file ("greater-than-five.json");
  g_autoptr(LsNetwork) lesson = load_example ();
  const char *short_labels[] = { "C", "D", NULL };
  g_autoptr(LsDiagramLayout) decision_layout = ls_diagram_layout_new (decision, 800, 450, NULL);
  g_autoptr(LsDiagramLayout) lesson_layout = NULL;
  cairo_surface_t *surface;

  g_assert_cmpstr (ls_network_get_input_label (decision, 0), ==, "x");
  surface = render_diagram (decision, decision_layout, NULL);
  g_assert_cmpuint (count_label_pixels (surface, decision_layout, 0, 0), >, 0);
  cairo_surface_destroy (surface);

  ls_network_set_layer_labels (lesson, 1, short_labels);
  lesson_layout = ls_diagram_layout_new (lesson, 800, 450, NULL);
  surface = render_diagram (lesson, lesson_layout, NULL);
  g_assert_cmpuint (count_label_pixels (surface, lesson_layout, 2, 0), >, 0);
  g_assert_cmpuint (count_label_pixels (surface, lesson_layout, 2, 1), >, 0);
  cairo_surface_destroy (surface);
}

/* The name "h2" above a hidden neuron stays whole when the neuron is
 * selected: it moves above the ring instead of under it. */
static void
test_render_selected_name_above_ring (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autoptr(LsDiagramLayout) layout = ls_diagram_layout_new (network, 1280, 720, NULL);
  const LsSelection h2 = { .kind = LS_SELECTION_NEURON, .column = 1, .unit = 1 };
  double name_px = 0.75 * layout->font_px;
  double ring = layout->radius + ls_diagram_layout_get_ring_extent (layout);
  cairo_surface_t *plain = render_diagram (network, layout, NULL);
  cairo_surface_t *selected = render_diagram (network, layout, &h2);
  gsize plain_count, selected_count;
  double x, y;

  g_assert_true (ls_diagram_layout_get_unit_center (layout, 1, 1, &x, &y));

  /* The name sits in the gap above the neuron, or above the ring, and the
   * gap to h1 leaves room for it either way. */
  g_assert_cmpfloat (layout->columns[1].pitch - 2.0 * layout->radius, >=, ring - layout->radius + 1.6 * name_px);
  plain_count = count_grey_pixels (plain, 0xa0, x - 2.0 * name_px, y - layout->radius - 1.6 * name_px,
                                   x + 2.0 * name_px, y - layout->radius - 2.0);
  selected_count = count_grey_pixels (selected, 0xa0, x - 2.0 * name_px, y - ring - 1.6 * name_px,
                                      x + 2.0 * name_px, y - ring - 1.5);
  g_test_message ("name pixels: %" G_GSIZE_FORMAT " plain, %" G_GSIZE_FORMAT " above the ring",
                  plain_count, selected_count);
  g_assert_cmpuint (plain_count, >, 10);
  g_assert_cmpuint (selected_count, >=, 0.9 * plain_count);

  cairo_surface_destroy (plain);
  cairo_surface_destroy (selected);
}

/* Returns whether a pixel within 2 pixels of (x, y) has the colour. */
static gboolean
find_color_near (cairo_surface_t *surface,
                 const double     rgb[3],
                 double           x,
                 double           y)
{
  return count_pixels (surface, rgb, x - 2.0, y - 2.0, x + 3.0, y + 3.0) > 0;
}

/* A selected input draws the edges it feeds in their full colour, and a
 * selected hidden neuron fades the edges out of the inputs. The edge from
 * pixel 1 to h1 has the weight 0.4, so its full colour is the positive one. */
static void
test_render_selected_input_edges (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autoptr(LsDiagramLayout) layout = ls_diagram_layout_new (network, 1280, 720, NULL);
  const LsSelection pixel_1 = { .kind = LS_SELECTION_NEURON, .column = 0, .unit = 0 };
  const LsSelection h3 = { .kind = LS_SELECTION_NEURON, .column = 1, .unit = 2 };
  cairo_surface_t *surface;
  double x0, y0, x1, y1;

  g_assert_true (ls_diagram_layout_get_unit_center (layout, 0, 0, &x0, &y0));
  g_assert_true (ls_diagram_layout_get_unit_center (layout, 1, 0, &x1, &y1));

  surface = render_diagram (network, layout, &pixel_1);
  g_assert_true (find_color_near (surface, positive_rgb, (x0 + x1) / 2.0, (y0 + y1) / 2.0));
  cairo_surface_destroy (surface);

  surface = render_diagram (network, layout, &h3);
  g_assert_false (find_color_near (surface, positive_rgb, (x0 + x1) / 2.0, (y0 + y1) / 2.0));
  cairo_surface_destroy (surface);
}

typedef struct
{
  double value;
  double max_width;  /* in units of the text size */
  const char *expected;
} ValueTextCase;

/* Numbers in neurons use ls_format_value()'s form, as ls-number.h
 * documents it, where it fits, and a shorter form where it does not:
 * never "0.00" or "−0.00" for a value that is not 0. */
static void
test_render_neuron_value_text (void)
{
  const ValueTextCase cases[] = {
    { 0.62, 20.0, "0.62" },
    { -0.23, 20.0, "−0.23" },
    { 123456.0, 20.0, "1.23e+05" },
    { 123456.0, 2.0, "1.2e5" },
    { -0.0017, 20.0, "−0.0017" },
    { -0.0017, 2.0, "≈0" },
    { 0.0031, 2.0, "≈0" },
    { 12345.6, 20.0, "12345.60" },
    { 12345.6, 2.0, "12346" },
    { 1024.68, 2.0, "1025" },
    { 0.0, 2.0, "0.00" },
    { NAN, 20.0, "NaN" },
  };
  g_autoptr(PangoLayout) text = ls_render_create_measure_layout ();
  double px = 20.0;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = ls_render_fit_value (text, cases[i].value, px, cases[i].max_width * px);
      const PangoFontDescription *font = pango_layout_get_font_description (text);

      g_test_message ("%g in %g em", cases[i].value, cases[i].max_width);
      g_assert_cmpstr (shown, ==, cases[i].expected);
      g_assert_cmpfloat (pango_font_description_get_size (font), <=, px * PANGO_SCALE);
    }
}

/* Returns the texts that the neurons of column c show, in unit order. */
static GStrv
dup_neuron_texts (LsNetwork             *network,
                  const LsDiagramLayout *layout,
                  gsize                  c,
                  PangoLayout           *text)
{
  gboolean full_form = ls_render_diagram_uses_full_values (network, layout, text);
  const float *values = ls_network_get_layer (network, c - 1)->activation_output;
  g_autoptr(GStrvBuilder) texts = g_strv_builder_new ();

  for (gsize unit = 0; unit < layout->columns[c].units; unit++)
    {
      g_autofree char *formatted = ls_render_fit_value_in_form (text, values[unit], layout->value_px,
                                                                1.7 * layout->radius, full_form);

      g_strv_builder_add (texts, formatted);
    }

  return g_strv_builder_end (texts);
}

/* One diagram shows a value in one form: a neuron of 2.6e-06 does not
 * read "≈0" while one of 1.2e-14, a smaller value that is narrower in a
 * proportional font, reads "1.2e-14". The heights tried give neurons in
 * which only the narrower of the two fits ls_format_value()'s form, and
 * then both take the short form, and in a larger diagram both the full one. */
static void
test_render_value_forms_consistent (void)
{
  const float biases[10] = { 2.6e-06f, 1.2e-14f, 0.5f, 0.25f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f };
  g_autoptr(LsNetwork) network = build_bias_network (LS_ACTIVATION_IDENTITY, biases, G_N_ELEMENTS (biases));
  g_autoptr(PangoLayout) text = ls_render_create_measure_layout ();
  g_autoptr(LsDiagramLayout) large = ls_diagram_layout_new (network, 1920, 1080, NULL);
  g_auto(GStrv) large_texts = dup_neuron_texts (network, large, 1, text);
  gboolean found = FALSE;

  g_assert_cmpstr (large_texts[0], ==, "2.6e-06");
  g_assert_cmpstr (large_texts[1], ==, "1.2e-14");

  for (int height = 160; height <= 720 && !found; height += 4)
    {
      g_autoptr(LsDiagramLayout) layout = ls_diagram_layout_new (network, 800, height, NULL);
      double max_width = 1.7 * layout->radius;
      g_auto(GStrv) texts = NULL;

      if (layout->value_px <= 0.0 ||
          ls_render_fits_full_value (text, biases[0], layout->value_px, max_width) ||
          !ls_render_fits_full_value (text, biases[1], layout->value_px, max_width))
        continue;

      g_test_message ("800 × %d: numbers of %.1f px in %.1f px", height, layout->value_px, max_width);
      found = TRUE;
      g_assert_false (ls_render_diagram_uses_full_values (network, layout, text));
      texts = dup_neuron_texts (network, layout, 1, text);
      g_assert_cmpstr (texts[0], ==, "≈0");
      g_assert_cmpstr (texts[1], ==, "≈0");
      g_assert_cmpstr (texts[2], ==, "0.50");
    }

  if (!found)
    g_test_skip ("2.6e-06 is not wider than 1.2e-14 in this font, or no height tried tells them apart");
}

/* Counts the bars drawn in a colour: groups of adjacent rows with more
 * than 4 pixels of it. */
static gsize
count_bars (cairo_surface_t *surface,
            const double     rgb[3])
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  gboolean in_bar = FALSE;
  gsize bars = 0;

  for (int y = 0; y < height; y++)
    {
      gboolean row_has_bar = count_pixels (surface, rgb, 0, y, width, y + 1) > 4;

      bars += row_has_bar && !in_bar;
      in_bar = row_has_bar;
    }

  return bars;
}

/* Softmax outputs that tie for the largest are all emphasised in the full
 * colour, and none is when all of them tie: 10 equal logits give 10 % each. */
static void
test_render_bars_ties (void)
{
  const float equal[10] = { 0 };
  const float two_largest[10] = { 1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f };
  g_autoptr(LsNetwork) all_tied = build_bias_network (LS_ACTIVATION_SOFTMAX, equal, 10);
  g_autoptr(LsNetwork) two_tied = build_bias_network (LS_ACTIVATION_SOFTMAX, two_largest, 10);
  double light_rgb[3];
  cairo_surface_t *surface;

  get_expected_color (0.5, light_rgb);

  surface = render_bars (all_tied, 400, 800);
  g_assert_cmpuint (count_bars (surface, positive_rgb), ==, 0);
  g_assert_cmpuint (count_bars (surface, light_rgb), ==, 10);
  cairo_surface_destroy (surface);

  surface = render_bars (two_tied, 400, 800);
  g_assert_cmpuint (count_bars (surface, positive_rgb), ==, 2);
  g_assert_cmpuint (count_bars (surface, light_rgb), ==, 8);
  cairo_surface_destroy (surface);
}

typedef struct
{
  const char *name;
  LsActivation activation;
  float biases[3];
  gsize n_biases;
  const char *caption;
  const char *first_value;
} BarsCaptionCase;

/* The caption explains how to read the bars: what a full bar is, where 0
 * is when outputs are negative, and why a single softmax output shows
 * 100 %. Plain values use ls_format_value()'s form, so 0.004 is not "0.00". */
static void
test_render_bars_captions (void)
{
  const BarsCaptionCase cases[] = {
    { "tiny values", LS_ACTIVATION_IDENTITY, { 0.004f, 0.001f }, 2,
      "Identity values, full bar = 0.004", "0.004" },
    { "negative values", LS_ACTIVATION_IDENTITY, { 1.5f, -0.7f, 0.2f }, 3,
      "Identity values: 0 in the middle, ±1.50 at the ends", "1.50" },
    { "one softmax output", LS_ACTIVATION_SOFTMAX, { 0.3f }, 1,
      "Softmax of one output is always 100 %. Add outputs to compare them.", "100.0 %" },
    { "two softmax outputs", LS_ACTIVATION_SOFTMAX, { 0.0f, 0.0f }, 2,
      "Softmax probabilities", "50.0 %" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LsNetwork) network = build_bias_network (cases[i].activation, cases[i].biases, cases[i].n_biases);
      g_autofree char *caption = ls_render_dup_bars_caption (network);
      g_autofree char *value = ls_render_dup_bar_text (network, 0);

      g_test_message ("%s", cases[i].name);
      g_assert_cmpstr (caption, ==, cases[i].caption);
      g_assert_cmpstr (value, ==, cases[i].first_value);
    }
}

/* Lays out a network as ls_render_page() does for its diagram area. */
static LsDiagramLayout *
lay_out_as_page (LsNetwork *network,
                 int        width,
                 int        height)
{
  cairo_rectangle_t diagram, bars;

  ls_render_get_page_areas (network, width, height, NULL, &diagram, &bars);

  return ls_diagram_layout_new (network, diagram.width, diagram.height, NULL);
}

/* An image input is one image with the input's aspect and square pixels
 * of a whole number of screen pixels, at least 4 on a 1920 × 1080 page. */
static void
test_render_image_input_aspect (void)
{
  const gsize shapes[][2] = { { 28, 28 }, { 14, 28 }, { 28, 14 } };  /* height, width */

  for (gsize i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autoptr(LsNetwork) network = build_image_network (1, shapes[i][0], shapes[i][1], NULL);
      g_autoptr(LsDiagramLayout) layout = lay_out_as_page (network, 1920, 1080);
      const LsDiagramColumn *input = &layout->columns[0];

      g_test_message ("1 × %" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT ": %g pixels per pixel",
                      shapes[i][0], shapes[i][1], input->scale);
      g_assert_cmpint (input->kind, ==, LS_DIAGRAM_TILES);
      g_assert_cmpuint (input->n_tiles, ==, 1);
      g_assert_cmpfloat (input->scale, >=, 4.0);
      g_assert_cmpfloat (input->scale, ==, floor (input->scale));
      g_assert_cmpfloat_with_epsilon (input->bounds.width, input->scale * (double) shapes[i][1], 1e-9);
      g_assert_cmpfloat_with_epsilon (input->bounds.height, input->scale * (double) shapes[i][0], 1e-9);
    }
}

/* Returns whether two rectangles share any area. */
static gboolean
rectangles_overlap (const cairo_rectangle_t *a,
                    const cairo_rectangle_t *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width &&
         a->y < b->y + b->height && b->y < a->y + a->height;
}

/* Every channel of the 28 × 28 CNN is a tile of at least 20 pixels, at
 * the sizes of a projector and of a laptop. The tiles neither overlap
 * nor leave the band between the column titles and the lines under the
 * columns. */
static void
test_render_tile_count (void)
{
  g_autoptr(LsNetwork) network = build_cnn_network (1, 28, 8, TRUE);
  const gsize channels[] = { 1, 8, 8, 16, 16 };
  const int sizes[][2] = { { 1920, 1080 }, { 1280, 720 } };

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(LsDiagramLayout) layout = lay_out_as_page (network, sizes[i][0], sizes[i][1]);

      for (gsize c = 0; c < G_N_ELEMENTS (channels); c++)
        {
          const LsDiagramColumn *column = &layout->columns[c];

          g_test_message ("%d × %d, column %" G_GSIZE_FORMAT ": %" G_GSIZE_FORMAT " tiles of %g pixels",
                          sizes[i][0], sizes[i][1], c, column->n_tiles, column->scale * column->width);
          g_assert_cmpint (column->kind, ==, LS_DIAGRAM_TILES);
          g_assert_cmpuint (column->n_tiles, ==, channels[c]);
          g_assert_true (ls_diagram_column_shows_all (column));
          g_assert_cmpfloat (column->scale * (double) MAX (column->width, column->height), >=, 20.0);
          g_assert_cmpfloat (column->bounds.y, >=, layout->header_y + layout->header_height);
          g_assert_cmpfloat (column->bounds.y + column->bounds.height, <=, layout->footer_y);

          for (gsize t = 0; t < column->n_tiles; t++)
            for (gsize u = t + 1; u < column->n_tiles; u++)
              {
                cairo_rectangle_t a, b;

                ls_diagram_grid_get_tile_rect (column, t, &a);
                ls_diagram_grid_get_tile_rect (column, u, &b);
                g_assert_false (rectangles_overlap (&a, &b));
              }
        }

      g_assert_cmpint (layout->columns[5].kind, ==, LS_DIAGRAM_BAR);
      g_assert_cmpint (layout->columns[6].kind, ==, LS_DIAGRAM_NEURONS);
    }
}

/* With 64 and 128 filters in a small drawing, the feature maps show as
 * many tiles of at least 20 pixels as fit, and a note under each names
 * how many are left out. */
static void
test_render_tile_overflow (void)
{
  g_autoptr(LsNetwork) network = build_cnn_network (1, 28, 64, TRUE);
  g_autoptr(LsDiagramLayout) layout = ls_diagram_layout_new (network, 640, 400, NULL);

  for (gsize c = 1; c <= 4; c++)
    {
      const LsDiagramColumn *column = &layout->columns[c];
      g_autofree char *note = ls_render_dup_tiles_note (network, layout, c, NULL);
      g_autofree char *expected = g_strdup_printf ("+%" G_GSIZE_FORMAT " more", column->channels - column->n_tiles);

      g_test_message ("column %" G_GSIZE_FORMAT ": %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " tiles",
                      c, column->n_tiles, column->channels);
      g_assert_cmpuint (column->n_tiles, >=, 1);
      g_assert_cmpuint (column->n_tiles, <, column->channels);
      g_assert_false (ls_diagram_column_shows_all (column));
      g_assert_cmpfloat (column->scale * (double) MAX (column->width, column->height), >=, 20.0);
      g_assert_cmpfloat (column->bounds.y + column->bounds.height, <=, layout->height);
      g_assert_cmpstr (note, ==, expected);
    }
}

/* Returns the width of one grid column of a tile column: a tile and the
 * gap after it. */
static double
get_grid_column_width (const LsDiagramColumn *column)
{
  return column->scale * (double) column->width + column->tile_gap;
}

/* A first layer set to 1000 filters shows as many tiles as 4 grid
 * columns hold, at most as wide as the examples' layers of 16 filters,
 * and names the rest, as does the pooling after it. The input image and
 * the later layers keep most of their size: the input stays at least 3/4
 * as large as with the usual 8 filters, whose layers take 2 grid columns,
 * not a small icon. */
static void
test_render_many_filters (void)
{
  g_autoptr(LsNetwork) network = build_cnn_network (1, 8, 8, TRUE);
  g_autoptr(LsNetwork) usual = build_cnn_network (1, 8, 8, TRUE);
  g_autoptr(LsDiagramLayout) layout = NULL;
  g_autoptr(LsDiagramLayout) usual_layout = ls_diagram_layout_new (usual, 1920, 1080, NULL);
  const LsDiagramColumn *input;

  g_assert_true (ls_network_set_units (network, 0, 1000, NULL));
  layout = ls_diagram_layout_new (network, 1920, 1080, NULL);
  input = &layout->columns[0];
  g_test_message ("input %g pixels wide, with 8 filters %g", input->bounds.width,
                  usual_layout->columns[0].bounds.width);
  g_assert_cmpfloat (input->bounds.width, >=, 0.75 * usual_layout->columns[0].bounds.width);

  for (gsize c = 1; c <= 4; c++)
    {
      const LsDiagramColumn *column = &layout->columns[c];
      g_autofree char *note = ls_render_dup_tiles_note (network, layout, c, NULL);
      g_autofree char *expected = g_strdup_printf ("+%" G_GSIZE_FORMAT " more", column->channels - column->n_tiles);

      g_test_message ("column %" G_GSIZE_FORMAT ": %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " tiles, %g pixels wide",
                      c, column->n_tiles, column->channels, column->bounds.width);
      if (c <= 2)
        g_assert_cmpuint (column->n_tiles, <, column->channels);
      else
        g_assert_null (note);
      g_assert_cmpfloat (column->bounds.width, <=, 4.0 * get_grid_column_width (column));
      g_assert_cmpfloat (column->scale * (double) MAX (column->width, column->height), >=, 20.0);
      if (c <= 2)
        g_assert_cmpstr (note, ==, expected);
    }
}

/* In a diagram as narrow as the window leaves it beside both panels,
 * with Ctrl++ pressed three times, each layer of the digit CNN shows one
 * grid column of its tiles. The first two layers show all 8, not a single
 * tile and "+7 more", and the gaps between the columns leave the tiles at
 * least 12 pixels. The titles, subtitles and lines under the columns keep
 * apart from their neighbours'. */
static void
test_render_narrow_columns (void)
{
  g_autoptr(LsNetwork) network = load_example_file ("digits-cnn.json");
  const DiagramSize size = { 300, 560 };
  g_autoptr(LsDiagramLayout) layout = lay_out_as_window (network, &size, 1.953125);

  for (gsize c = 1; c <= 2; c++)
    {
      g_test_message ("column %" G_GSIZE_FORMAT ": %" G_GSIZE_FORMAT " tiles in %" G_GSIZE_FORMAT " rows, %g pixels wide",
                      c, layout->columns[c].n_tiles, layout->columns[c].rows,
                      layout->columns[c].scale * (double) layout->columns[c].width);
      g_assert_cmpuint (layout->columns[c].n_tiles, ==, 8);
      g_assert_cmpuint (layout->columns[c].rows, ==, 8);
      g_assert_cmpfloat (layout->columns[c].scale * (double) layout->columns[c].width, >=, 12.0);
    }

  for (gsize c = 0; c + 1 < layout->n_columns; c++)
    {
      double left, right, next_left, next_right;

      ls_diagram_layout_get_text_span (layout, c, &left, &right);
      ls_diagram_layout_get_text_span (layout, c + 1, &next_left, &next_right);
      g_assert_cmpfloat (left, <, layout->columns[c].x);
      g_assert_cmpfloat (right, >, layout->columns[c].x);
      g_assert_cmpfloat (right, <, next_left);
    }
}

/* Titles and notes wrap between words, never inside one and never with a
 * hyphen, and shrink before a word is cut. A word that fits no line at
 * the smallest size is cut with "…" on a single line. */
static void
test_render_text_box_wrapping (void)
{
  const char *subtitle = "Convolution 3×3 · ReLU";
  g_autoptr(PangoLayout) text = ls_render_create_measure_layout ();
  double word_width;
  double px;

  ls_render_set_font (text, 10.0, FALSE);
  word_width = ls_render_get_text_width (text, "Convolution");

  /* room for the longest word at 10 px, so two lines at full size */
  ls_render_fit_text_box (text, subtitle, 10.0, 9.0, FALSE, word_width + 1.0, 2);
  px = pango_font_description_get_size (pango_layout_get_font_description (text)) / (double) PANGO_SCALE;
  g_assert_cmpfloat (px, ==, 10.0);
  g_assert_cmpint (pango_layout_get_line_count (text), ==, 2);
  g_assert_cmpint (pango_layout_get_line_readonly (text, 1)->start_index, ==, strlen ("Convolution "));
  g_assert_false (pango_layout_is_ellipsized (text));
  ls_render_reset_text_box (text);

  /* a little less room: the text shrinks and keeps the word whole */
  ls_render_fit_text_box (text, subtitle, 10.0, 8.0, FALSE, 0.95 * word_width, 2);
  px = pango_font_description_get_size (pango_layout_get_font_description (text)) / (double) PANGO_SCALE;
  g_assert_cmpfloat (px, <, 10.0);
  g_assert_cmpint (pango_layout_get_line_readonly (text, 1)->start_index, ==, strlen ("Convolution "));
  g_assert_false (pango_layout_is_ellipsized (text));
  ls_render_reset_text_box (text);

  /* half the room: one line that ends in "…" */
  ls_render_fit_text_box (text, subtitle, 10.0, 9.0, FALSE, 0.5 * word_width, 2);
  g_assert_cmpint (pango_layout_get_line_count (text), ==, 1);
  g_assert_true (pango_layout_is_ellipsized (text));
  ls_render_reset_text_box (text);
  g_assert_cmpint (pango_layout_get_width (text), ==, -1);
}

/* A click on a pixel selects it by its flat [c][h][w] index. Tiles fill
 * their grid column by column, so channel 5 of pool 1's 8 × 14 × 14 is in
 * grid column 5 / rows and row 5 % rows. Its pixel in row 3, column 7 is
 * unit 5 · 196 + 3 · 14 + 7 = 1029. Row 10, column 20 of the 28 × 28
 * input is unit 10 · 28 + 20 = 300. */
static void
test_render_hit_tile_pixel (void)
{
  g_autoptr(LsNetwork) network = build_cnn_network (1, 28, 8, TRUE);
  g_autoptr(LsDiagramLayout) layout = ls_diagram_layout_new (network, 1920, 1080, NULL);
  const LsDiagramColumn *pool = &layout->columns[2];
  const LsDiagramColumn *input = &layout->columns[0];
  double step_x = pool->scale * 14.0 + pool->tile_gap;
  double step_y = pool->scale * 14.0 + pool->tile_gap;
  double x = pool->bounds.x + (double) (5 / pool->rows) * step_x + 7.5 * pool->scale;
  double y = pool->bounds.y + (double) (5 % pool->rows) * step_y + 3.5 * pool->scale;
  LsSelection hit;

  g_assert_true (ls_diagram_layout_hit (layout, network, x, y, &hit));
  g_assert_cmpint (hit.kind, ==, LS_SELECTION_NEURON);
  g_assert_cmpuint (hit.column, ==, 2);
  g_assert_cmpuint (hit.unit, ==, 1029);

  x = input->bounds.x + 20.5 * input->scale;
  y = input->bounds.y + 10.5 * input->scale;
  g_assert_true (ls_diagram_layout_hit (layout, network, x, y, &hit));
  g_assert_cmpint (hit.kind, ==, LS_SELECTION_NEURON);
  g_assert_cmpuint (hit.column, ==, 0);
  g_assert_cmpuint (hit.unit, ==, 300);

  /* the gap under channel 0's tile belongs to no pixel */
  x = pool->bounds.x + 7.5 * pool->scale;
  y = pool->bounds.y + 14.0 * pool->scale + pool->tile_gap / 2.0;
  g_assert_cmpfloat (pool->tile_gap, >=, 2.0);
  g_assert_false (ls_diagram_layout_hit (layout, network, x, y, &hit));
}

/* Builds a 1 × 6 × 6 input of zeros, conv 2@3×3 "same", so padding 1, and
 * 2 × 2 max pooling with stride 2. */
static LsNetwork *
build_window_network (void)
{
  static const gsize conv_kernel[2] = { 3, 3 }, pool_kernel[2] = { 2, 2 }, one[2] = { 1, 1 };
  g_autoptr(GError) error = NULL;
  LsWindow conv, pool;
  LsNetwork *network;
  LsShape shape;

  ls_shape_init_3d (&shape, 1, 6, 6);
  network = ls_network_new_with_shape (&shape);
  g_assert_true (ls_window_init (&conv, conv_kernel, one, LS_PADDING_SAME, NULL, &error));
  g_assert_true (ls_window_init (&pool, pool_kernel, pool_kernel, LS_PADDING_VALID, NULL, &error));
  g_assert_true (ls_network_insert_conv2d (network, 0, 2, &conv, LS_ACTIVATION_RELU, &error));
  g_assert_true (ls_network_insert_pool2d (network, 1, LS_LAYER_MAXPOOL2D, &pool, &error));
  g_assert_no_error (error);

  return network;
}

static void
assert_region (const LsRegion *region,
               gsize           y0,
               gsize           x0,
               gsize           y1,
               gsize           x1)
{
  g_assert_cmpuint (region->y0, ==, y0);
  g_assert_cmpuint (region->x0, ==, x0);
  g_assert_cmpuint (region->y1, ==, y1);
  g_assert_cmpuint (region->x1, ==, x1);
}

/* The pool pixel of channel 1, row 1, column 2 is unit 1 · 9 + 1 · 3 + 2 =
 * 14. By hand, its 2 × 2 window covers conv rows 2–3 and columns 4–5 of
 * channel 1 only. Those read input rows 1–4 (2 − 1 to 3 + 1) and columns
 * 3–5 (4 − 1 to 5 + 1, clipped to the last column 5). The highlights sit
 * on those pixels of the tiles. Outside the receptive field the input is
 * veiled: a black pixel under white at 0.55 opacity becomes 0.55 · 255 =
 * 140. */
static void
test_render_receptive_field (void)
{
  g_autoptr(LsNetwork) network = build_window_network ();
  g_autoptr(LsDiagramLayout) layout = ls_diagram_layout_new (network, 1280, 720, NULL);
  const LsSelection pool_pixel = { .kind = LS_SELECTION_NEURON, .column = 2, .unit = 14 };
  const LsSelection conv_pixel = { .kind = LS_SELECTION_NEURON, .column = 1, .unit = 0 };
  const LsDiagramColumn *input = &layout->columns[0];
  const LsDiagramColumn *conv = &layout->columns[1];
  const double black[3] = { 0, 0, 0 }, veiled[3] = { 140, 140, 140 };
  double tile_x, tile_y;
  cairo_rectangle_t rect;
  cairo_surface_t *surface;
  LsDiagramFocus focus;

  g_assert_true (ls_diagram_get_focus (network, &pool_pixel, &focus));
  g_assert_true (focus.has_window);
  g_assert_cmpuint (focus.window_column, ==, 1);
  g_assert_false (focus.all_channels);
  g_assert_cmpuint (focus.window_channel, ==, 1);
  assert_region (&focus.window, 2, 4, 4, 6);
  g_assert_true (focus.has_field);
  assert_region (&focus.field, 1, 3, 5, 6);

  g_assert_true (ls_diagram_grid_get_region_rect (input, 0, &focus.field, &rect));
  g_assert_cmpfloat_with_epsilon (rect.x, input->bounds.x + 3.0 * input->scale, 1e-9);
  g_assert_cmpfloat_with_epsilon (rect.y, input->bounds.y + 1.0 * input->scale, 1e-9);
  g_assert_cmpfloat_with_epsilon (rect.width, 3.0 * input->scale, 1e-9);
  g_assert_cmpfloat_with_epsilon (rect.height, 4.0 * input->scale, 1e-9);

  /* channel 1 is in grid column 1 / rows and row 1 % rows */
  tile_x = conv->bounds.x + (double) (1 / conv->rows) * (6.0 * conv->scale + conv->tile_gap);
  tile_y = conv->bounds.y + (double) (1 % conv->rows) * (6.0 * conv->scale + conv->tile_gap);
  g_assert_true (ls_diagram_grid_get_region_rect (conv, 1, &focus.window, &rect));
  g_assert_cmpfloat_with_epsilon (rect.x, tile_x + 4.0 * conv->scale, 1e-9);
  g_assert_cmpfloat_with_epsilon (rect.y, tile_y + 2.0 * conv->scale, 1e-9);
  g_assert_cmpfloat_with_epsilon (rect.width, 2.0 * conv->scale, 1e-9);
  g_assert_cmpfloat_with_epsilon (rect.height, 2.0 * conv->scale, 1e-9);

  /* A conv pixel in the top left corner reads rows and columns 0–1 of
   * every input channel. Its field is that window, so it has no second one. */
  g_assert_true (ls_diagram_get_focus (network, &conv_pixel, &focus));
  g_assert_true (focus.all_channels);
  g_assert_cmpuint (focus.window_column, ==, 0);
  assert_region (&focus.window, 0, 0, 2, 2);
  g_assert_false (focus.has_field);

  surface = render_diagram (network, layout, &pool_pixel);
  g_assert_true (find_color_near (surface, black, input->bounds.x + 4.5 * input->scale,
                                  input->bounds.y + 2.5 * input->scale));
  g_assert_true (find_color_near (surface, veiled, input->bounds.x + 0.5 * input->scale,
                                  input->bounds.y + 0.5 * input->scale));
  cairo_surface_destroy (surface);

  surface = render_diagram (network, layout, NULL);
  g_assert_true (find_color_near (surface, black, input->bounds.x + 0.5 * input->scale,
                                  input->bounds.y + 0.5 * input->scale));
  cairo_surface_destroy (surface);
}

typedef struct
{
  const char *name;
  gsize channels;
  const float *values;   /* [channels][1][2] or [1][2][2] */
  gsize height;
  gsize width;
  const double (*expected)[3];  /* [height · width], 0..255 */
  const char *note;
} ImageCase;

/* A grey input shows 0 as black, 1 as white and 0.5 as 255 · 0.5 = 127.5,
 * which rounds to 128, and clamps 2 to white with the range noted under
 * it. An RGB input shows its three channels in one pixel each. */
static void
test_render_image_pixels (void)
{
  const float grey[] = { 0.0f, 1.0f, 0.5f, 2.0f };
  const double grey_rgb[][3] = { { 0, 0, 0 }, { 255, 255, 255 }, { 128, 128, 128 }, { 255, 255, 255 } };
  const float in_range[] = { 0.0f, 1.0f, 0.5f, 0.25f };
  const double in_range_rgb[][3] = { { 0, 0, 0 }, { 255, 255, 255 }, { 128, 128, 128 }, { 64, 64, 64 } };
  const float rgb[] = { 1.0f, 0.0f, 0.0f, 0.5f, 0.0f, 1.0f };  /* red, green and blue planes of 1 × 2 */
  const double rgb_rgb[][3] = { { 255, 0, 0 }, { 0, 128, 255 } };
  const ImageCase cases[] = {
    { "grey 2 × 2", 1, grey, 2, 2, grey_rgb, "values 0.00 to 2.00, shown as 0 to 1" },
    { "grey 2 × 2 in range", 1, in_range, 2, 2, in_range_rgb, NULL },
    { "RGB 1 × 2", 3, rgb, 1, 2, rgb_rgb, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ImageCase *image = &cases[i];
      g_autoptr(LsNetwork) network = build_image_network (image->channels, image->height, image->width,
                                                          image->values);
      g_autoptr(LsDiagramLayout) layout = ls_diagram_layout_new (network, 800, 450, NULL);
      g_autofree char *note = ls_render_dup_tiles_note (network, layout, 0, NULL);
      cairo_surface_t *surface = render_diagram (network, layout, NULL);

      g_test_message ("%s", image->name);
      g_assert_cmpfloat (layout->columns[0].scale, >=, 8.0);
      for (gsize unit = 0; unit < image->height * image->width; unit++)
        {
          double actual[3];
          double x, y;

          g_assert_true (ls_diagram_layout_get_unit_center (layout, 0, unit, &x, &y));
          read_pixel (surface, (int) x, (int) y, actual);
          assert_color_near (actual, image->expected[unit], image->name);
        }
      g_assert_cmpstr (note, ==, image->note);

      cairo_surface_destroy (surface);
    }
}

static int
compare_floats_descending (gconstpointer a,
                           gconstpointer b)
{
  float x = *(const float *) a;
  float y = *(const float *) b;

  return (x < y) - (x > y);
}

/* Into dense 10 after a flatten of 784 values, the diagram draws the
 * 100 strongest of the 7,840 connections by |weight · input|. This test
 * sorts all 7,840 products itself to find the 100th largest, which no
 * drawn edge may be below. */
static void
test_render_ranked_edges (void)
{
  g_autoptr(LsNetwork) network = build_cnn_network (1, 28, 8, TRUE);
  g_autoptr(LsDiagramLayout) layout = lay_out_as_page (network, 1920, 1080);
  const LsLayer *dense = ls_network_get_layer (network, 5);
  const float *flat = ls_network_get_layer (network, 4)->activation_output;  /* [784] */
  g_autofree float *products = g_new (float, 7840);  /* [784 · 10] */
  g_autofree char *note = NULL;
  g_autofree gboolean *seen = g_new0 (gboolean, 7840);
  const GArray *edges;

  for (gsize i = 0; i < 784; i++)
    for (gsize j = 0; j < 10; j++)
      products[i * 10 + j] = fabsf (dense->weights[i * 10 + j] * flat[i]);
  qsort (products, 7840, sizeof (float), compare_floats_descending);
  g_assert_cmpfloat (products[99], >, 0.0f);

  g_assert_true (ls_diagram_layout_ranks_edges (layout, 6));
  edges = ls_diagram_layout_get_edges (layout, network, 6);
  g_assert_nonnull (edges);
  g_assert_cmpuint (edges->len, ==, 100);
  for (guint k = 0; k < edges->len; k++)
    {
      const LsDiagramEdge *edge = &g_array_index (edges, LsDiagramEdge, k);

      g_assert_cmpuint (edge->input, <, 784);
      g_assert_cmpuint (edge->unit, <, 10);
      g_assert_false (seen[edge->input * 10 + edge->unit]);
      seen[edge->input * 10 + edge->unit] = TRUE;
      g_assert_cmpfloat (edge->weight, ==, dense->weights[edge->input * 10 + edge->unit]);
      g_assert_cmpfloat (fabsf (edge->weight * flat[edge->input]), >=, products[99]);
    }

  /* C.UTF-8, the tests' locale, has no thousands separator */
  note = ls_render_dup_edges_note (network, layout, 6);
  g_assert_cmpstr (note, ==, "100 of 7840 connections shown");

  /* the flatten layer and the feature maps have no edges */
  g_assert_null (ls_diagram_layout_get_edges (layout, network, 5));
  g_assert_null (ls_diagram_layout_get_edges (layout, network, 1));
}

/* Small dense layers draw every edge, and no note. Compact ones leave
 * out edges from inputs of 0, which carry nothing: the digit network's
 * shown inputs x1–x4 and x781–x784 lie outside its bright square. The
 * note then explains why no edge is drawn instead of "0 of 100352". With
 * an input of zeros, it names the layer that is all zeros: the input, and
 * hidden 1 after ReLU, whose biases ls_network_insert_dense() creates as 0. */
static void
test_render_edges_small_and_silent (void)
{
  g_autoptr(LsNetwork) lesson = load_example ();
  g_autoptr(LsNetwork) digits = build_digit_network ();
  g_autoptr(LsDiagramLayout) lesson_layout = ls_diagram_layout_new (lesson, 1280, 720, NULL);
  g_autoptr(LsDiagramLayout) digits_layout = ls_diagram_layout_new (digits, 1500, 1000, NULL);
  g_autofree char *lesson_note = NULL;
  g_autofree char *digits_note = NULL;
  g_autofree char *zero_input_note = NULL;
  g_autofree char *zero_hidden_note = NULL;
  g_autofree float *zeros = g_new0 (float, 784);

  g_assert_false (ls_diagram_layout_ranks_edges (lesson_layout, 1));
  g_assert_cmpuint (ls_diagram_layout_get_edges (lesson_layout, lesson, 1)->len, ==, 3 * 4);
  g_assert_cmpuint (ls_diagram_layout_get_edges (lesson_layout, lesson, 2)->len, ==, 4 * 2);
  lesson_note = ls_render_dup_edges_note (lesson, lesson_layout, 1);
  g_assert_null (lesson_note);

  g_assert_true (ls_diagram_layout_ranks_edges (digits_layout, 1));
  g_assert_cmpuint (ls_diagram_layout_get_edges (digits_layout, digits, 1)->len, ==, 0);
  digits_note = ls_render_dup_edges_note (digits, digits_layout, 1);
  g_assert_cmpstr (digits_note, ==, "No signal: each value shown × its weight is 0");

  g_assert_true (ls_network_set_input (digits, zeros, 784, NULL));
  ls_diagram_layout_invalidate_values (digits_layout);
  for (gsize unit = 0; unit < 128; unit++)
    g_assert_cmpfloat (ls_network_get_layer (digits, 0)->activation_output[unit], ==, 0.0f);
  zero_input_note = ls_render_dup_edges_note (digits, digits_layout, 1);
  zero_hidden_note = ls_render_dup_edges_note (digits, digits_layout, 2);
  g_assert_cmpstr (zero_input_note, ==, "No signal: the input is all zeros");
  g_assert_cmpstr (zero_hidden_note, ==, "No signal: hidden 1 is all zeros");
}

/* The tiles keep the colours of the values that they were first drawn
 * with until ls_diagram_layout_invalidate_values(), which the diagram
 * view calls on every LS_CHANGE_VALUES, so a redraw for a new selection
 * reuses them. */
static void
test_render_tile_cache (void)
{
  const float zeros[4] = { 0 };
  const double black[3] = { 0, 0, 0 }, white[3] = { 255, 255, 255 };
  g_autoptr(LsNetwork) network = build_image_network (1, 2, 2, zeros);
  g_autoptr(LsDiagramLayout) layout = ls_diagram_layout_new (network, 800, 450, NULL);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  double x, y, actual[3];

  g_assert_true (ls_diagram_layout_get_unit_center (layout, 0, 0, &x, &y));
  surface = render_diagram (network, layout, NULL);
  read_pixel (surface, (int) x, (int) y, actual);
  assert_color_near (actual, black, "first draw");
  cairo_surface_destroy (surface);

  g_assert_true (ls_network_set_input_value (network, 0, 1.0f, &error));
  surface = render_diagram (network, layout, NULL);
  read_pixel (surface, (int) x, (int) y, actual);
  assert_color_near (actual, black, "cached");
  cairo_surface_destroy (surface);

  ls_diagram_layout_invalidate_values (layout);
  surface = render_diagram (network, layout, NULL);
  read_pixel (surface, (int) x, (int) y, actual);
  assert_color_near (actual, white, "after invalidating");
  cairo_surface_destroy (surface);
}

/* Builds a 1 × 2 × 2 input image and a convolution of one 1 × 1 filter
 * with weight 1, bias 0 and no activation function, so that its feature
 * map equals the input. */
static LsNetwork *
build_copy_conv_network (const float values[4])
{
  static const gsize kernel[2] = { 1, 1 };
  g_autoptr(GError) error = NULL;
  LsNetwork *network;
  LsWindow window;
  LsShape shape;

  ls_shape_init_3d (&shape, 1, 2, 2);
  network = ls_network_new_with_shape (&shape);
  g_assert_true (ls_window_init (&window, kernel, kernel, LS_PADDING_VALID, NULL, &error));
  g_assert_true (ls_network_insert_conv2d (network, 0, 1, &window, LS_ACTIVATION_IDENTITY, &error));
  g_assert_true (ls_network_set_kernel_weight (network, 0, 0, 0, 0, 0, 1.0f, &error));
  g_assert_true (ls_network_set_bias (network, 0, 0, 0.0f, &error));
  g_assert_true (ls_network_set_input (network, values, 4, &error));
  g_assert_no_error (error);

  return network;
}

/* Counts the pixels of a colour in the rectangle that a feature-map pixel
 * covers, less one pixel at each edge for the smoothing of its borders. */
static gsize
count_unit_pixels (cairo_surface_t       *surface,
                   const LsDiagramLayout *layout,
                   gsize                  column,
                   gsize                  unit,
                   const double           rgb[3])
{
  cairo_rectangle_t rect;

  g_assert_true (ls_diagram_grid_get_unit_rect (&layout->columns[column], unit, &rect));

  return count_pixels (surface, rgb, rect.x + 1.0, rect.y + 1.0, rect.x + rect.width - 1.0,
                       rect.y + rect.height - 1.0);
}

/* After a weighted sum left the float range, the diagram agrees with the
 * bars, which show no output. A feature-map pixel of 3e38 × 2 = +∞ is
 * hatched grey, not the full positive colour, while 3e38 × 0.5 keeps it.
 * The dense layer after it reads ∞, so the network overflowed, and its
 * softmax outputs show as NaN. In a network of two inputs whose weights
 * into output 1 are −3e38, inputs of 1 give that output z = −6e38 = −∞
 * and output 2 z = 0, by hand. Softmax then gives 0 and 1, finite, which
 * the diagram shows as NaN all the same instead of a full neuron of 1. */
static void
test_render_overflow_not_a_number (void)
{
  const float image[4] = { 2.0f, 0.0f, 0.5f, 0.0f };
  const float biases[2] = { 0.0f, 0.0f };
  const float ones[2] = { 1.0f, 1.0f };
  g_autoptr(LsNetwork) conv = build_copy_conv_network (image);
  g_autoptr(LsNetwork) dense = build_bias_network (LS_ACTIVATION_SOFTMAX, biases, 2);
  g_autoptr(LsDiagramLayout) conv_layout = NULL;
  g_autoptr(LsDiagramLayout) dense_layout = NULL;
  const float *outputs;
  cairo_surface_t *surface;
  double x, y, radius;

  g_assert_true (ls_network_set_kernel_weight (conv, 0, 0, 0, 0, 0, 3e38f, NULL));
  g_assert_true (ls_network_insert_flatten (conv, 1, NULL));
  g_assert_true (ls_network_insert_dense (conv, 2, 2, LS_ACTIVATION_SOFTMAX, NULL));
  g_assert_true (isinf (ls_network_get_layer (conv, 0)->activation_output[0]));
  g_assert_true (ls_render_is_output_lost (conv));

  conv_layout = ls_diagram_layout_new (conv, 1280, 720, NULL);
  surface = render_diagram (conv, conv_layout, NULL);
  g_assert_cmpuint (count_unit_pixels (surface, conv_layout, 1, 0, not_a_number_rgb), >, 0);
  g_assert_cmpuint (count_unit_pixels (surface, conv_layout, 1, 0, positive_rgb), ==, 0);
  g_assert_cmpuint (count_unit_pixels (surface, conv_layout, 1, 2, positive_rgb), >, 0);
  g_assert_cmpuint (count_unit_pixels (surface, conv_layout, 1, 2, not_a_number_rgb), ==, 0);
  cairo_surface_destroy (surface);

  g_assert_true (ls_network_set_weight (dense, 0, 0, 0, -3e38f, NULL));
  g_assert_true (ls_network_set_weight (dense, 0, 1, 0, -3e38f, NULL));
  g_assert_true (ls_network_set_input (dense, ones, 2, NULL));
  outputs = ls_network_get_output (dense);
  g_assert_cmpfloat (outputs[0], ==, 0.0f);
  g_assert_cmpfloat (outputs[1], ==, 1.0f);
  g_assert_true (ls_render_is_output_lost (dense));

  dense_layout = ls_diagram_layout_new (dense, 1280, 720, NULL);
  radius = ls_diagram_layout_get_neuron_radius (dense_layout);
  g_assert_true (ls_diagram_layout_get_unit_center (dense_layout, 1, 1, &x, &y));
  surface = render_diagram (dense, dense_layout, NULL);
  g_assert_cmpuint (count_pixels (surface, not_a_number_rgb, x - radius, y - radius, x + radius, y + radius), >, 0);
  g_assert_cmpuint (count_pixels (surface, positive_rgb, x - radius, y - radius, x + radius, y + radius), ==, 0);
  cairo_surface_destroy (surface);
}

/* Reads the colour of one feature-map or input pixel in a drawing. */
static void
read_unit_color (cairo_surface_t       *surface,
                 const LsDiagramLayout *layout,
                 gsize                  column,
                 gsize                  unit,
                 double                 rgb[3])
{
  double x, y;

  g_assert_true (ls_diagram_layout_get_unit_center (layout, column, unit, &x, &y));
  read_pixel (surface, (int) x, (int) y, rgb);
}

/* Returns a palette colour in 0..255, as read_pixel() reads it. */
static void
get_palette_rgb (double value,
                 double rgb[3])
{
  LsColor color;

  ls_palette_get_value_color (value, &color);
  rgb[0] = 255.0 * color.red;
  rgb[1] = 255.0 * color.green;
  rgb[2] = 255.0 * color.blue;
}

/* With scale_feature_maps, a feature map whose largest magnitude is 4
 * shows 4 in the palette's +1 colour, 2 in its +0.5 colour and −1 in its
 * −0.25 colour, and names the range under the column. Without it, 2 is
 * beyond the fixed scale and gets the +1 colour. The expected colours come
 * from ls_palette_get_value_color() at value / 4, not from the tile code.
 * The input image keeps its grey levels, so 2 stays white. */
static void
test_render_scaled_feature_maps (void)
{
  const float values[4] = { 4.0f, 2.0f, 0.0f, -1.0f };
  const double white[3] = { 255, 255, 255 };
  const LsRenderStyle scaled = { FALSE, 1.0, 0.0, TRUE, LS_RENDER_ALL_HEADS, NULL, .step_column = -1 };
  g_autoptr(LsNetwork) network = build_copy_conv_network (values);
  g_autoptr(LsDiagramLayout) layout = ls_diagram_layout_new (network, 800, 450, NULL);
  g_autofree char *scaled_note = ls_render_dup_tiles_note (network, layout, 1, &scaled);
  g_autofree char *fixed_note = ls_render_dup_tiles_note (network, layout, 1, NULL);
  cairo_surface_t *surface;
  double actual[3], expected[3];

  g_assert_true (ls_render_column_has_feature_maps (layout, 1));
  g_assert_false (ls_render_column_has_feature_maps (layout, 0));
  g_assert_cmpfloat (ls_render_get_feature_map_range (network, layout, 1), ==, 4.0);
  g_assert_cmpstr (scaled_note, ==, "colours: ±4.00");
  g_assert_null (fixed_note);

  surface = render_diagram_with_style (network, layout, NULL, &scaled);
  read_unit_color (surface, layout, 1, 0, actual);
  get_palette_rgb (1.0, expected);
  assert_color_near (actual, expected, "scaled 4");
  read_unit_color (surface, layout, 1, 1, actual);
  get_palette_rgb (0.5, expected);
  assert_color_near (actual, expected, "scaled 2");
  read_unit_color (surface, layout, 1, 3, actual);
  get_palette_rgb (-0.25, expected);
  assert_color_near (actual, expected, "scaled −1");
  read_unit_color (surface, layout, 0, 1, actual);
  assert_color_near (actual, white, "input 2 with scaling");
  cairo_surface_destroy (surface);

  ls_diagram_layout_invalidate_values (layout);
  surface = render_diagram (network, layout, NULL);
  read_unit_color (surface, layout, 1, 1, actual);
  get_palette_rgb (1.0, expected);
  assert_color_near (actual, expected, "fixed 2");
  read_unit_color (surface, layout, 1, 3, actual);
  get_palette_rgb (-1.0, expected);
  assert_color_near (actual, expected, "fixed −1");
  cairo_surface_destroy (surface);
}

/* Scaling an all-zero feature map divides by nothing: it stays in the
 * palette's 0 colour and gets no range note. */
static void
test_render_scaled_zero_feature_maps (void)
{
  const float zeros[4] = { 0 };
  const LsRenderStyle scaled = { FALSE, 1.0, 0.0, TRUE, LS_RENDER_ALL_HEADS, NULL, .step_column = -1 };
  g_autoptr(LsNetwork) network = build_copy_conv_network (zeros);
  g_autoptr(LsDiagramLayout) layout = ls_diagram_layout_new (network, 800, 450, NULL);
  g_autofree char *note = ls_render_dup_tiles_note (network, layout, 1, &scaled);
  cairo_surface_t *surface = render_diagram_with_style (network, layout, NULL, &scaled);
  double actual[3], expected[3];

  get_palette_rgb (0.0, expected);
  for (gsize unit = 0; unit < 4; unit++)
    {
      read_unit_color (surface, layout, 1, unit, actual);
      assert_color_near (actual, expected, "all zero");
    }
  g_assert_cmpfloat (ls_render_get_feature_map_range (network, layout, 1), ==, 0.0);
  g_assert_null (note);

  cairo_surface_destroy (surface);
}

/* An expanded column shows each of its units as a square that hits that
 * unit, and its button, like the ellipsis of a compact column, toggles
 * it. Ten outputs are never compact, so they have no button. */
static void
test_render_expanded_column (void)
{
  g_autoptr(LsNetwork) network = build_digit_network ();
  const gboolean expanded[] = { FALSE, TRUE, FALSE, FALSE };
  g_autoptr(LsDiagramLayout) open = ls_diagram_layout_new_expanded (network, 1500, 1000, NULL, expanded,
                                                                    G_N_ELEMENTS (expanded));
  g_autoptr(LsDiagramLayout) closed = ls_diagram_layout_new (network, 1500, 1000, NULL);
  const LsDiagramColumn *packed = &open->columns[1];
  const LsDiagramColumn *compact = &closed->columns[1];
  gsize column;

  g_assert_cmpint (packed->kind, ==, LS_DIAGRAM_PACKED);
  for (gsize unit = 0; unit < 128; unit++)
    {
      LsSelection hit;
      double x, y;

      g_assert_true (ls_diagram_layout_get_unit_center (open, 1, unit, &x, &y));
      g_assert_true (ls_diagram_layout_hit (open, network, x, y, &hit));
      g_assert_cmpint (hit.kind, ==, LS_SELECTION_NEURON);
      g_assert_cmpuint (hit.column, ==, 1);
      g_assert_cmpuint (hit.unit, ==, unit);
    }
  g_assert_true (ls_diagram_layout_hit_expander (open, packed->expander.x + packed->expander.width / 2.0,
                                                 packed->expander.y + packed->expander.height / 2.0, &column));
  g_assert_cmpuint (column, ==, 1);

  g_assert_true (ls_diagram_column_is_compact (compact));
  g_assert_true (ls_diagram_layout_hit_expander (closed, compact->expander.x + 2.0,
                                                 compact->expander.y + 2.0, &column));
  g_assert_cmpuint (column, ==, 1);
  g_assert_true (ls_diagram_layout_hit_expander (closed, compact->x,
                                                 ls_diagram_column_get_slot_y (compact, compact->n_head),
                                                 &column));
  g_assert_cmpuint (column, ==, 1);

  g_assert_false (closed->columns[3].expandable);
  g_assert_false (ls_diagram_layout_hit_expander (closed, closed->columns[3].x,
                                                  ls_diagram_layout_get_footer_top (closed, &closed->columns[3]) + 5.0,
                                                  &column));
}

/* Runs the main loop until widget has a size, or fails after 10 s. */
static void
wait_for_allocation (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (gtk_widget_get_width (widget) <= 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);

  g_assert_cmpint (gtk_widget_get_width (widget), >, 0);
}

/* The widgets ask for a small minimum width that does not grow with the
 * font scale, so that larger text never makes the window wider. */
#define MAX_MIN_WIDTH 300

static int
measure_min_width (GtkWidget *widget)
{
  int minimum, natural;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);

  return minimum;
}

static void
test_render_view_min_width (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  GtkWidget *diagram;
  GtkWidget *bars;
  int diagram_min, bars_min;

  if (!have_display)
    {
      g_test_skip ("no display for GTK");
      return;
    }

  diagram = g_object_ref_sink (ls_diagram_view_new ());
  bars = g_object_ref_sink (ls_bars_view_new ());
  ls_diagram_view_set_network (LS_DIAGRAM_VIEW (diagram), network);
  ls_bars_view_set_network (LS_BARS_VIEW (bars), network);
  diagram_min = measure_min_width (diagram);
  bars_min = measure_min_width (bars);
  g_assert_cmpint (diagram_min, <=, MAX_MIN_WIDTH);
  g_assert_cmpint (bars_min, <=, MAX_MIN_WIDTH);

  for (gsize k = 0; k < G_N_ELEMENTS (font_scales); k++)
    {
      ls_diagram_view_set_font_scale (LS_DIAGRAM_VIEW (diagram), font_scales[k]);
      ls_bars_view_set_font_scale (LS_BARS_VIEW (bars), font_scales[k]);
      g_assert_cmpint (measure_min_width (diagram), ==, diagram_min);
      g_assert_cmpint (measure_min_width (bars), ==, bars_min);
    }

  g_object_unref (diagram);
  g_object_unref (bars);
}

/* A diagram view in a window, with the layout that it draws. */
typedef struct
{
  GtkWidget *window;
  LsDiagramView *view;
  LsNetwork *network;
  LsDiagramLayout *layout;
} ViewFixture;

static void
view_fixture_set_up (ViewFixture   *fixture,
                     gconstpointer  data)
{
  LsRenderStyle style = LS_RENDER_STYLE_INIT;

  style.font_px = LS_RENDER_WINDOW_FONT_PX;
  if (!have_display)
    return;

  fixture->network = load_example ();
  fixture->view = LS_DIAGRAM_VIEW (ls_diagram_view_new ());
  ls_diagram_view_set_network (fixture->view, fixture->network);
  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 600);
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->view));
  gtk_window_present (GTK_WINDOW (fixture->window));
  wait_for_allocation (GTK_WIDGET (fixture->view));
  fixture->layout = ls_diagram_layout_new (fixture->network,
                                           gtk_widget_get_width (GTK_WIDGET (fixture->view)),
                                           gtk_widget_get_height (GTK_WIDGET (fixture->view)), &style);
}

static void
view_fixture_tear_down (ViewFixture   *fixture,
                        gconstpointer  data)
{
  g_clear_pointer (&fixture->layout, ls_diagram_layout_free);
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->network);
}

static gpointer
find_controller (gpointer widget,
                 GType    type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return controller;
    }

  g_assert_not_reached ();
}

/* Returns the midpoint of the edge from input in column − 1 to unit. */
static void
get_edge_midpoint (const ViewFixture *fixture,
                   gsize              column,
                   gsize              input,
                   gsize              unit,
                   double            *x,
                   double            *y)
{
  double x0, y0, x1, y1;

  g_assert_true (ls_diagram_layout_get_unit_center (fixture->layout, column - 1, input, &x0, &y0));
  g_assert_true (ls_diagram_layout_get_unit_center (fixture->layout, column, unit, &x1, &y1));
  *x = (x0 + x1) / 2.0;
  *y = (y0 + y1) / 2.0;
}

/* Moves the pointer to (x, y) and scrolls one wheel step up. Returns
 * whether the view handled the scroll. */
static gboolean
scroll_up_at (ViewFixture *fixture,
              double       x,
              double       y)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (find_controller (fixture->view, GTK_TYPE_EVENT_CONTROLLER_MOTION), "motion", x, y);
  g_signal_emit_by_name (find_controller (fixture->view, GTK_TYPE_EVENT_CONTROLLER_SCROLL), "scroll",
                         0.0, -1.0, &handled);

  return handled;
}

static float
get_weight (LsNetwork *network,
            gsize      column,
            gsize      input,
            gsize      unit)
{
  return ls_layer_get_weight (ls_network_get_layer (network, column - 1), input, unit);
}

/* The wheel over an edge that is not selected changes nothing and lets
 * the scroll through. Over the selected edge it raises the weight by
 * 0.01. The lesson's weights are 0.4 from pixel 1 to h1 and 0.9 from h1
 * to Cat. */
static void
test_render_view_scroll_selected_edge (ViewFixture   *fixture,
                                       gconstpointer  data)
{
  const LsSelection h1_to_cat = { .kind = LS_SELECTION_EDGE, .column = 2, .unit = 0, .input = 0 };
  double x, y;

  if (!have_display)
    {
      g_test_skip ("no display for GTK");
      return;
    }

  get_edge_midpoint (fixture, 1, 0, 0, &x, &y);
  g_assert_false (scroll_up_at (fixture, x, y));
  g_assert_cmpfloat_with_epsilon (get_weight (fixture->network, 1, 0, 0), 0.4, 1e-6);
  g_assert_cmpint (ls_diagram_view_get_selection (fixture->view)->kind, ==, LS_SELECTION_NONE);

  ls_diagram_view_set_selection (fixture->view, &h1_to_cat);
  g_assert_false (scroll_up_at (fixture, x, y));
  g_assert_cmpfloat_with_epsilon (get_weight (fixture->network, 1, 0, 0), 0.4, 1e-6);
  g_assert_cmpfloat_with_epsilon (get_weight (fixture->network, 2, 0, 0), 0.9, 1e-6);

  get_edge_midpoint (fixture, 2, 0, 0, &x, &y);
  g_assert_true (scroll_up_at (fixture, x, y));
  g_assert_cmpfloat_with_epsilon (get_weight (fixture->network, 2, 0, 0), 0.91, 1e-6);
}

/* Presses at (x, y) and drags up, emitting the gestures' signals in the
 * given order of press and drag start. The drag passes the drag threshold
 * 10 pixels up, where the weight starts to follow, and goes on 30 more. */
static void
press_and_drag_up (ViewFixture *fixture,
                   double       x,
                   double       y,
                   gboolean     drag_begins_first)
{
  gpointer click = find_controller (fixture->view, GTK_TYPE_GESTURE_CLICK);
  gpointer drag = find_controller (fixture->view, GTK_TYPE_GESTURE_DRAG);

  if (drag_begins_first)
    g_signal_emit_by_name (drag, "drag-begin", x, y);
  g_signal_emit_by_name (click, "pressed", 1, x, y);
  if (!drag_begins_first)
    g_signal_emit_by_name (drag, "drag-begin", x, y);
  g_signal_emit_by_name (drag, "drag-update", 0.0, -10.0);
  g_signal_emit_by_name (drag, "drag-update", 0.0, -40.0);
}

/* A press on an edge selects it, but only a drag that starts on the edge
 * selected before changes its weight: 30 pixels up add 0.30 to the 0.4
 * from pixel 1 to h1. */
static void
test_render_view_drag_selected_edge (ViewFixture   *fixture,
                                     gconstpointer  data)
{
  double x, y;

  if (!have_display)
    {
      g_test_skip ("no display for GTK");
      return;
    }

  get_edge_midpoint (fixture, 1, 0, 0, &x, &y);
  for (int drag_begins_first = 0; drag_begins_first <= 1; drag_begins_first++)
    {
      ls_diagram_view_set_selection (fixture->view, NULL);
      press_and_drag_up (fixture, x, y, drag_begins_first);
      g_assert_cmpint (ls_diagram_view_get_selection (fixture->view)->kind, ==, LS_SELECTION_EDGE);
      g_assert_cmpfloat_with_epsilon (get_weight (fixture->network, 1, 0, 0), 0.4, 1e-6);
    }

  press_and_drag_up (fixture, x, y, FALSE);
  g_assert_cmpfloat_with_epsilon (get_weight (fixture->network, 1, 0, 0), 0.7, 1e-6);
}

/* Shows a network in a diagram view in a window of 1200 × 800 and
 * returns the view, or NULL without a display. */
static LsDiagramView *
present_view (LsNetwork  *network,
              GtkWidget **window)
{
  LsDiagramView *view = LS_DIAGRAM_VIEW (ls_diagram_view_new ());

  ls_diagram_view_set_network (view, network);
  *window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (*window), 1200, 800);
  gtk_window_set_child (GTK_WINDOW (*window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (*window));
  wait_for_allocation (GTK_WIDGET (view));

  return view;
}

/* Lays out the network as the view draws it, with expanded[n_expanded]. */
static LsDiagramLayout *
lay_out_as_view (LsDiagramView  *view,
                 const gboolean *expanded,
                 gsize           n_expanded)
{
  LsRenderStyle style = LS_RENDER_STYLE_INIT;

  style.font_px = LS_RENDER_WINDOW_FONT_PX;

  return ls_diagram_layout_new_expanded (ls_diagram_view_get_network (view),
                                         gtk_widget_get_width (GTK_WIDGET (view)),
                                         gtk_widget_get_height (GTK_WIDGET (view)), &style,
                                         expanded, n_expanded);
}

/* Presses a key in the view and returns the selection after it. */
static const LsSelection *
press_key (LsDiagramView *view,
           guint          keyval)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (find_controller (view, GTK_TYPE_EVENT_CONTROLLER_KEY), "key-pressed",
                         keyval, 0, 0, &handled);
  g_assert_true (handled);

  return ls_diagram_view_get_selection (view);
}

static void
select_unit (LsDiagramView *view,
             gsize          column,
             gsize          unit)
{
  const LsSelection selection = { .kind = LS_SELECTION_NEURON, .column = column, .unit = unit };

  ls_diagram_view_set_selection (view, &selection);
}

typedef struct
{
  const char *name;
  gsize unit;        /* selected in pool 1's 8 × 14 × 14 before the key */
  guint keyval;
  gsize column;      /* after the key */
  gsize expected;    /* unit after the key, or G_MAXSIZE for any */
} TileKeyCase;

/* Arrow keys move the selected pixel of a feature map: channel 5, row 3,
 * column 7 of pool 1 is unit 5 · 196 + 3 · 14 + 7 = 1029. Right adds 1,
 * Down 14 and Page Down 196. Up from row 0 goes on to the last row, 13,
 * of the channel before, and Left from column 0 to the column of tiles
 * before. */
static void
test_render_view_keys_on_tiles (void)
{
  const TileKeyCase cases[] = {
    { "right", 1029, GDK_KEY_Right, 2, 1030 },
    { "down", 1029, GDK_KEY_Down, 2, 1043 },
    { "page down", 1029, GDK_KEY_Page_Down, 2, 1225 },
    { "page up", 1029, GDK_KEY_Page_Up, 2, 833 },
    { "up from row 0", 5 * 196 + 7, GDK_KEY_Up, 2, 4 * 196 + 13 * 14 + 7 },
    { "left from column 0", 5 * 196 + 3 * 14, GDK_KEY_Left, 1, G_MAXSIZE },
  };
  g_autoptr(LsNetwork) network = NULL;
  GtkWidget *window;
  LsDiagramView *view;

  if (!have_display)
    {
      g_test_skip ("no display for GTK");
      return;
    }

  network = build_cnn_network (1, 28, 8, TRUE);
  view = present_view (network, &window);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const LsSelection *selection;

      g_test_message ("%s", cases[i].name);
      select_unit (view, 2, cases[i].unit);
      selection = press_key (view, cases[i].keyval);
      g_assert_cmpint (selection->kind, ==, LS_SELECTION_NEURON);
      g_assert_cmpuint (selection->column, ==, cases[i].column);
      if (cases[i].expected != G_MAXSIZE)
        g_assert_cmpuint (selection->unit, ==, cases[i].expected);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Up and Down step through the neurons that a column shows, over the
 * ellipsis of a compact one, and Left and Right go to the next column. */
static void
test_render_view_keys_on_neurons (void)
{
  g_autoptr(LsNetwork) lesson = NULL;
  g_autoptr(LsNetwork) digits = NULL;
  g_autoptr(LsDiagramLayout) layout = NULL;
  const LsDiagramColumn *hidden;
  const LsSelection *selection;
  GtkWidget *window;
  LsDiagramView *view;

  if (!have_display)
    {
      g_test_skip ("no display for GTK");
      return;
    }

  lesson = load_example ();
  view = present_view (lesson, &window);
  select_unit (view, 1, 0);
  g_assert_cmpuint (press_key (view, GDK_KEY_Down)->unit, ==, 1);
  g_assert_cmpuint (press_key (view, GDK_KEY_Up)->unit, ==, 0);
  g_assert_cmpuint (press_key (view, GDK_KEY_Up)->unit, ==, 0);
  g_assert_cmpuint (press_key (view, GDK_KEY_Right)->column, ==, 2);
  g_assert_cmpuint (press_key (view, GDK_KEY_Left)->column, ==, 1);
  g_assert_cmpuint (press_key (view, GDK_KEY_Left)->column, ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));

  digits = build_digit_network ();
  view = present_view (digits, &window);
  layout = lay_out_as_view (view, NULL, 0);
  hidden = &layout->columns[1];
  g_assert_true (ls_diagram_column_is_compact (hidden));
  select_unit (view, 1, hidden->n_head - 1);
  selection = press_key (view, GDK_KEY_Down);
  g_assert_cmpuint (selection->column, ==, 1);
  g_assert_cmpuint (selection->unit, ==, 128 - hidden->n_tail);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A click on "Show all 128" packs every unit of hidden 1 into squares,
 * so that a click on unit 64's square selects it. */
static void
test_render_view_expander_click (void)
{
  const gboolean expanded[] = { FALSE, TRUE, FALSE, FALSE };
  g_autoptr(LsNetwork) network = NULL;
  g_autoptr(LsDiagramLayout) closed = NULL;
  g_autoptr(LsDiagramLayout) open = NULL;
  const cairo_rectangle_t *button;
  gpointer click;
  GtkWidget *window;
  LsDiagramView *view;
  double x, y;

  if (!have_display)
    {
      g_test_skip ("no display for GTK");
      return;
    }

  network = build_digit_network ();
  view = present_view (network, &window);
  click = find_controller (view, GTK_TYPE_GESTURE_CLICK);
  closed = lay_out_as_view (view, NULL, 0);
  open = lay_out_as_view (view, expanded, G_N_ELEMENTS (expanded));
  g_assert_false (ls_diagram_layout_get_unit_center (closed, 1, 64, NULL, NULL));
  g_assert_true (ls_diagram_layout_get_unit_center (open, 1, 64, &x, &y));

  button = &closed->columns[1].expander;
  g_signal_emit_by_name (click, "pressed", 1, button->x + button->width / 2.0, button->y + button->height / 2.0);
  g_assert_cmpint (ls_diagram_view_get_selection (view)->kind, ==, LS_SELECTION_NONE);

  g_signal_emit_by_name (click, "pressed", 1, x, y);
  g_assert_cmpint (ls_diagram_view_get_selection (view)->kind, ==, LS_SELECTION_NEURON);
  g_assert_cmpuint (ls_diagram_view_get_selection (view)->column, ==, 1);
  g_assert_cmpuint (ls_diagram_view_get_selection (view)->unit, ==, 64);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Text networks */

/* The hue of attention head 1 in the arcs and maps: the bluish green
 * #009e73 of Okabe and Ito's colour-blind-safe palette. */
static const double head_one_rgb[3] = { 0x00, 0x9e, 0x73 };
/* The light theme's background. */
static const double background_rgb[3] = { 0xff, 0xff, 0xff };

static const char * const token_words[] = {
  "[UNK]", "the", "movie", "was", "not", "good", "bad", "a", "film", NULL,
};

#define TOKEN_DIM 8

/* The variations of build_token_network_full() on the layers of the
 * sentiment example. */
typedef struct
{
  gsize heads;
  gboolean causal;
  LsTokenPooling pooling;
  gsize dim;            /* d of the embedding and every layer after it */
  gsize dense_units;    /* of the dense ReLU layer per token */
} TokenNetworkSpec;

/* Builds a text network of the vocabulary token_words on text with the
 * layers of data/examples/sentiment.json: embedding, sinusoidal
 * positions, attention with a residual sum, layer normalisation, dense
 * ReLU per token, token pooling and dense 2 softmax. Weights are the
 * engine's seeded ones. */
static LsNetwork *
build_token_network_full (const char             *text,
                          const TokenNetworkSpec *spec)
{
  const LsInit init = { LS_INIT_XAVIER, 3 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LsVocabulary) vocabulary = ls_vocabulary_new (token_words, &error);
  LsNetwork *network;

  g_assert_no_error (error);
  network = ls_network_new_with_tokens (vocabulary, 16, text, &error);
  g_assert_no_error (error);
  g_assert_true (ls_network_append_layer (network,
                                          ls_layer_new_embedding (ls_network_get_n_tokens (network),
                                                                  g_strv_length ((GStrv) token_words), spec->dim,
                                                                  &init, NULL),
                                          &error));
  g_assert_true (ls_network_insert_positional (network, 1, LS_POSITIONAL_SINUSOIDAL, &error));
  g_assert_true (ls_network_insert_attention (network, 2, spec->heads, spec->causal, TRUE, &error));
  g_assert_true (ls_network_insert_layernorm (network, 3, &error));
  g_assert_true (ls_network_insert_dense (network, 4, spec->dense_units, LS_ACTIVATION_RELU, &error));
  g_assert_true (ls_network_insert_pool_tokens (network, 5, spec->pooling, &error));
  g_assert_true (ls_network_insert_dense (network, 6, 2, LS_ACTIVATION_SOFTMAX, &error));
  g_assert_no_error (error);

  return network;
}

/* Builds the network of build_token_network_full() with d = TOKEN_DIM,
 * `heads` heads without a mask, dense 8 ReLU per token and mean pooling. */
static LsNetwork *
build_token_network (const char *text,
                     gsize       heads)
{
  const TokenNetworkSpec spec = { heads, FALSE, LS_TOKEN_POOLING_MEAN, TOKEN_DIM, TOKEN_DIM };

  return build_token_network_full (text, &spec);
}

/* Every token's row has the same centre line in the token boxes and in
 * every sequence column, and the rows follow the text from the top. */
static void
test_render_token_rows_aligned (void)
{
  g_autoptr(LsNetwork) network = build_token_network ("the movie was not good", 2);
  const double sizes[][2] = { { 1500, 980 }, { 960, 640 } };

  for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(LsDiagramLayout) layout = ls_diagram_layout_new (network, sizes[s][0], sizes[s][1], NULL);
      double previous = -G_MAXDOUBLE;

      g_assert_cmpint (layout->columns[0].kind, ==, LS_DIAGRAM_TOKENS);
      for (gsize c = 1; c <= 5; c++)
        g_assert_cmpint (layout->columns[c].kind, ==, LS_DIAGRAM_SEQUENCE);
      g_assert_cmpint (layout->columns[6].kind, ==, LS_DIAGRAM_NEURONS);

      for (gsize t = 0; t < 5; t++)
        {
          double token_x, token_y;

          g_assert_true (ls_diagram_layout_get_unit_center (layout, 0, t, &token_x, &token_y));
          g_assert_cmpfloat (token_y, >, previous + 1.0);
          previous = token_y;

          for (gsize c = 1; c <= 5; c++)
            for (gsize j = 0; j < TOKEN_DIM; j++)
              {
                double x, y, next_x;

                g_assert_true (ls_diagram_layout_get_unit_center (layout, c, t * TOKEN_DIM + j, &x, &y));
                g_assert_cmpfloat_with_epsilon (y, token_y, 1e-9);
                g_assert_cmpfloat (x, >, token_x);
                if (j + 1 < TOKEN_DIM)
                  {
                    g_assert_true (ls_diagram_layout_get_unit_center (layout, c, t * TOKEN_DIM + j + 1, &next_x, NULL));
                    g_assert_cmpfloat (next_x, >, x);
                  }
              }
        }
      g_assert_false (ls_diagram_layout_get_unit_center (layout, 1, 5 * TOKEN_DIM, NULL, NULL));
    }
}

/* A click on a cell selects the value t·d + j of its column, one on a
 * token box the token, and one between two rows nothing. */
static void
test_render_hit_token_cells (void)
{
  g_autoptr(LsNetwork) network = build_token_network ("the movie was not good", 2);
  g_autoptr(LsDiagramLayout) layout = ls_diagram_layout_new (network, 1500, 980, NULL);
  LsSelection hit;
  double x, y, y_next;

  for (gsize c = 0; c <= 5; c++)
    {
      gsize features = c == 0 ? 1 : TOKEN_DIM;

      for (gsize t = 0; t < 5; t++)
        for (gsize j = 0; j < features; j += 3)
          {
            gsize unit = t * features + j;

            g_assert_true (ls_diagram_layout_get_unit_center (layout, c, unit, &x, &y));
            g_assert_true (ls_diagram_layout_hit (layout, network, x, y, &hit));
            g_assert_cmpint (hit.kind, ==, LS_SELECTION_NEURON);
            g_assert_cmpuint (hit.column, ==, c);
            g_assert_cmpuint (hit.unit, ==, unit);
          }
    }

  /* halfway between the rows of tokens 1 and 2 of the embedding */
  g_assert_true (ls_diagram_layout_get_unit_center (layout, 1, 1 * TOKEN_DIM, &x, &y));
  g_assert_true (ls_diagram_layout_get_unit_center (layout, 1, 2 * TOKEN_DIM, NULL, &y_next));
  g_assert_false (ls_diagram_layout_hit (layout, network, x, (y + y_next) / 2.0, &hit) &&
                  hit.kind == LS_SELECTION_NEURON && hit.column == 1);
}

/* The arcs' opacity and width, as ls-render-private.h states them:
 * nothing below 0.02, then opacity 0.15 + 0.85·w and width
 * (0.75 + 5.25·w) line units, 1.5 more for a selected query. */
static void
test_render_attention_arc_style (void)
{
  static const double weights[] = { 0.02, 0.1, 0.25, 0.5, 0.9, 1.0 };
  double alpha, width, previous_alpha = 0.0, previous_width = 0.0;

  g_assert_false (ls_render_get_arc_style (0.0, 1.0, FALSE, &alpha, &width));
  g_assert_false (ls_render_get_arc_style (0.019, 1.0, FALSE, &alpha, &width));
  g_assert_false (ls_render_get_arc_style (NAN, 1.0, FALSE, &alpha, &width));

  for (gsize i = 0; i < G_N_ELEMENTS (weights); i++)
    {
      g_assert_true (ls_render_get_arc_style (weights[i], 2.0, FALSE, &alpha, &width));
      g_assert_cmpfloat_with_epsilon (alpha, 0.15 + 0.85 * weights[i], 1e-12);
      g_assert_cmpfloat_with_epsilon (width, 2.0 * (0.75 + 5.25 * weights[i]), 1e-12);
      g_assert_cmpfloat (alpha, >, previous_alpha);
      g_assert_cmpfloat (width, >, previous_width);
      previous_alpha = alpha;
      previous_width = width;
    }

  g_assert_true (ls_render_get_arc_style (0.5, 2.0, TRUE, &alpha, &width));
  g_assert_cmpfloat_with_epsilon (width, 2.0 * (0.75 + 5.25 * 0.5 + 1.5), 1e-12);
}

/* Builds a two-token network whose attention is the same for both
 * queries: with wq = 0 and bq = (4, 0, …), wk the identity and bk = 0,
 * head 1 scores key k with 4·x_k[0] / √(d / heads), x_k[0] being
 * embedding row 0 of the token plus sin(k). Embedding value 2 for "not"
 * and 0 for "good" make key 0 about 0.9 of every query's attention. */
static LsNetwork *
build_two_token_attention (void)
{
  LsNetwork *network = build_token_network ("not good", 2);
  g_autofree float *zeros = g_new0 (float, TOKEN_DIM * TOKEN_DIM);      /* [d][d] */
  g_autofree float *identity = g_new0 (float, TOKEN_DIM * TOKEN_DIM);   /* [d][d] */
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < TOKEN_DIM; i++)
    identity[i * TOKEN_DIM + i] = 1.0f;
  g_assert_true (ls_network_set_attention_matrix (network, 2, LS_ATTENTION_QUERY, zeros, TOKEN_DIM * TOKEN_DIM, &error));
  g_assert_true (ls_network_set_attention_matrix (network, 2, LS_ATTENTION_KEY, identity, TOKEN_DIM * TOKEN_DIM, &error));
  for (gsize j = 0; j < TOKEN_DIM; j++)
    {
      g_assert_true (ls_network_set_attention_bias (network, 2, LS_ATTENTION_QUERY, j, j == 0 ? 4.0f : 0.0f, &error));
      g_assert_true (ls_network_set_attention_bias (network, 2, LS_ATTENTION_KEY, j, 0.0f, &error));
    }
  g_assert_true (ls_network_set_table_value (network, 0, 4, 0, 2.0f, &error));  /* "not" */
  g_assert_true (ls_network_set_table_value (network, 0, 5, 0, 0.0f, &error));  /* "good" */
  g_assert_no_error (error);

  return network;
}

/* Returns the largest distance, over the three channels, from white. */
static double
get_ink (const double rgb[3])
{
  return MAX (MAX (255.0 - rgb[0], 255.0 - rgb[1]), 255.0 - rgb[2]);
}

/* Counts the pixels that are not white in column x, from y − reach to
 * y + reach: the width of a horizontal line through (x, y). */
static int
count_inked (cairo_surface_t *surface,
             int              x,
             int              y,
             int              reach)
{
  int count = 0;

  for (int dy = -reach; dy <= reach; dy++)
    {
      double rgb[3];

      read_pixel (surface, x, y + dy, rgb);
      count += get_ink (rgb) > 8.0;
    }

  return count;
}

/* The arc from key 0 to query 0 and the one from key 1 to query 1 run
 * straight along their rows: the first, of weight about 0.9, is darker
 * and wider than the second, of about 0.1. With query 0 selected, only
 * its arcs are drawn. */
static void
test_render_attention_arcs (void)
{
  g_autoptr(LsNetwork) network = build_two_token_attention ();
  const LsLayer *attention = ls_network_get_layer (network, 2);
  const float *weights = ls_layer_get_attention_head (attention, 0);  /* [T][T] */
  LsRenderStyle style = LS_RENDER_STYLE_INIT;
  g_autoptr(LsDiagramLayout) layout = NULL;
  const LsSelection query_one = { LS_SELECTION_NEURON, 3, 0, 0 };
  cairo_surface_t *surface;
  double strong_rgb[3], weak_rgb[3], expected[3];
  double x0, x1, y0, y1;
  int x;

  g_assert_cmpfloat (weights[0], >, 0.85);   /* query 0, key 0 */
  g_assert_cmpfloat (weights[3], <, 0.15);   /* query 1, key 1 */
  g_assert_cmpfloat (weights[3], >, 0.02);

  style.attention_head = 1;
  layout = ls_diagram_layout_new (network, 1500, 980, &style);
  g_assert_true (ls_diagram_layout_get_unit_center (layout, 2, TOKEN_DIM - 1, &x0, &y0));
  g_assert_true (ls_diagram_layout_get_unit_center (layout, 3, 0, &x1, NULL));
  g_assert_true (ls_diagram_layout_get_unit_center (layout, 2, 2 * TOKEN_DIM - 1, NULL, &y1));
  x = (int) round ((x0 + x1) / 2.0);

  surface = render_diagram_with_style (network, layout, NULL, &style);
  read_pixel (surface, x, (int) floor (y0), strong_rgb);
  read_pixel (surface, x, (int) floor (y1), weak_rgb);
  for (guint i = 0; i < 3; i++)
    expected[i] = background_rgb[i] + (0.15 + 0.85 * weights[0]) * (head_one_rgb[i] - background_rgb[i]);
  assert_color_near (strong_rgb, expected, "arc of weight 0.9");
  g_assert_cmpfloat (get_ink (strong_rgb), >, get_ink (weak_rgb) + 60.0);
  g_assert_cmpfloat (get_ink (weak_rgb), >, 8.0);
  g_assert_cmpint (count_inked (surface, x, (int) floor (y0), 12), >, count_inked (surface, x, (int) floor (y1), 12) + 2);
  cairo_surface_destroy (surface);

  /* query 0 selected: the arc into query 1 is gone */
  surface = render_diagram_with_style (network, layout, &query_one, &style);
  read_pixel (surface, x, (int) floor (y1), weak_rgb);
  assert_color_near (weak_rgb, background_rgb, "arc of an unselected query");
  read_pixel (surface, x, (int) floor (y0), strong_rgb);
  g_assert_cmpfloat (get_ink (strong_rgb), >, 100.0);
  cairo_surface_destroy (surface);
}

/* Draws head 1's map into a white image of width × height. */
static cairo_surface_t *
render_attention_map (LsNetwork *network,
                      int        width,
                      int        height,
                      gssize     highlighted)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_paint (cr);
  ls_render_attention_map (cr, network, 2, 0, 0.0, 0.0, width, height, highlighted, NULL);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  return surface;
}

/* The box of the points that ls_render_attention_map_hit() maps to one
 * cell, found on a grid of MAP_SCAN_STEP pixels. */
#define MAP_SCAN_STEP 3

typedef struct
{
  int x0, y0, x1, y1;
} CellBox;

/* Finds the box of every cell of a 5-token map drawn at width × height
 * in one scan, each hit test being a few text measurements. */
static void
find_map_cells (LsNetwork *network,
                int        width,
                int        height,
                CellBox    boxes[5][5])
{
  for (gsize q = 0; q < 5; q++)
    for (gsize k = 0; k < 5; k++)
      boxes[q][k] = (CellBox) { width, height, -1, -1 };

  for (int py = 0; py < height; py += MAP_SCAN_STEP)
    for (int px = 0; px < width; px += MAP_SCAN_STEP)
      {
        gsize q, k;
        CellBox *box;

        if (!ls_render_attention_map_hit (network, 2, 0.0, 0.0, width, height, NULL, px + 0.5, py + 0.5, &q, &k))
          continue;

        g_assert_cmpuint (q, <, 5);
        g_assert_cmpuint (k, <, 5);
        box = &boxes[q][k];
        box->x0 = MIN (box->x0, px);
        box->y0 = MIN (box->y0, py);
        box->x1 = MAX (box->x1, px);
        box->y1 = MAX (box->y1, py);
      }
}

/* Returns the centre of one cell's box, and checks that it is square. */
static void
get_map_cell_center (const CellBox *box,
                     int           *x,
                     int           *y)
{
  g_assert_cmpint (box->x1, >, box->x0 + 4);
  g_assert_cmpint (ABS ((box->y1 - box->y0) - (box->x1 - box->x0)), <=, MAP_SCAN_STEP);
  *x = (box->x0 + box->x1) / 2;
  *y = (box->y0 + box->y1) / 2;
}

/* Each cell (q, k) of the map has head 1's hue over white in proportion
 * to the engine's weight, query rows top to bottom and key columns left
 * to right. The labels take the top and left. */
static void
test_render_attention_map_colors (void)
{
  g_autoptr(LsNetwork) network = build_token_network ("the movie was not good", 2);
  const float *weights = ls_layer_get_attention_head (ls_network_get_layer (network, 2), 0);  /* [T][T] */
  cairo_surface_t *surface = render_attention_map (network, 400, 360, -1);
  int previous_x = -1, previous_y = -1;
  CellBox boxes[5][5];
  gsize q, k;

  g_assert_false (ls_render_attention_map_hit (network, 2, 0.0, 0.0, 400, 360, NULL, 1.0, 1.0, &q, &k));
  find_map_cells (network, 400, 360, boxes);

  for (gsize query = 0; query < 5; query++)
    for (gsize key = 0; key < 5; key++)
      {
        double actual[3], expected[3];
        int x, y;

        get_map_cell_center (&boxes[query][key], &x, &y);
        if (key == 0)
          {
            g_assert_cmpint (y, >, previous_y);
            previous_y = y;
            previous_x = -1;
          }
        g_assert_cmpint (x, >, previous_x);
        previous_x = x;

        read_pixel (surface, x, y, actual);
        for (guint i = 0; i < 3; i++)
          expected[i] = background_rgb[i] + weights[query * 5 + key] * (head_one_rgb[i] - background_rgb[i]);
        assert_color_near (actual, expected, "attention map cell");
      }
  cairo_surface_destroy (surface);
}

/* A forward pass that overflows makes attention weights NaN: their map
 * cells and the sequence cells of NaN are hatched grey. */
static void
test_render_attention_not_a_number (void)
{
  g_autoptr(LsNetwork) network = build_two_token_attention ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LsDiagramLayout) layout = NULL;
  const float *weights;
  cairo_surface_t *surface;
  CellBox boxes[5][5];
  int x, y;

  /* 3e38 is finite, but the score 4·3e38/2 overflows to infinity */
  g_assert_true (ls_network_set_table_value (network, 0, 4, 0, 3e38f, &error));
  g_assert_no_error (error);
  weights = ls_layer_get_attention_head (ls_network_get_layer (network, 2), 0);
  g_assert_true (isnan (weights[0]));

  surface = render_attention_map (network, 300, 300, 0);
  find_map_cells (network, 300, 300, boxes);
  get_map_cell_center (&boxes[0][0], &x, &y);
  g_assert_cmpuint (count_pixels (surface, not_a_number_rgb, x - 3, y - 3, x + 4, y + 4), >, 0);
  g_assert_cmpuint (count_pixels (surface, head_one_rgb, x - 3, y - 3, x + 4, y + 4), ==, 0);
  cairo_surface_destroy (surface);

  /* the attention column's first value is NaN too */
  g_assert_true (isnan (ls_network_get_layer (network, 2)->activation_output[0]));
  layout = ls_diagram_layout_new (network, 1500, 980, NULL);
  surface = render_diagram (network, layout, NULL);
  g_assert_cmpuint (count_unit_pixels (surface, layout, 3, 0, not_a_number_rgb), >, 0);
  /* a finite value of the embedding beside it is not */
  g_assert_true (isfinite (ls_network_get_layer (network, 0)->activation_output[1]));
  g_assert_cmpuint (count_unit_pixels (surface, layout, 1, 1, not_a_number_rgb), ==, 0);
  cairo_surface_destroy (surface);
}

/* The cells of a sequence column have the colours of their values, and
 * `layerscope --render` style pages draw a text network. */
static void
test_render_sequence_cell_colors (void)
{
  g_autoptr(LsNetwork) network = build_token_network ("the movie was not good", 2);
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "tokens.png", NULL);
  g_autoptr(LsDiagramLayout) layout = NULL;
  cairo_rectangle_t diagram, bars;
  cairo_surface_t *surface = render_png_and_read (network, path, 1920, 1080);

  ls_render_get_page_areas (network, 1920, 1080, NULL, &diagram, &bars);
  layout = ls_diagram_layout_new (network, diagram.width, diagram.height, NULL);
  for (gsize c = 1; c <= 5; c++)
    for (gsize unit = 0; unit < 5 * TOKEN_DIM; unit += 7)
      {
        double value = ls_network_get_layer (network, c - 1)->activation_output[unit];
        double actual[3], expected[3];
        double x, y;

        g_assert_true (ls_diagram_layout_get_unit_center (layout, c, unit, &x, &y));
        read_pixel (surface, (int) floor (diagram.x + x), (int) floor (diagram.y + y), actual);
        get_expected_color (value, expected);
        assert_color_near (actual, expected, "sequence cell");
      }

  cairo_surface_destroy (surface);
  remove_temp_dir (dir);
}

/* A word outside the vocabulary keeps its own text in its box, and the
 * footer explains the mark. */
static void
test_render_unknown_token_note (void)
{
  g_autoptr(LsNetwork) known = build_token_network ("the movie was good", 2);
  g_autoptr(LsNetwork) unknown = build_token_network ("the movie was splendid", 2);
  g_autofree char *note = NULL;

  g_assert_null (ls_render_dup_tokens_note (known));
  note = ls_render_dup_tokens_note (unknown);
  g_assert_nonnull (note);
  g_assert_nonnull (strstr (note, "[UNK]"));
  g_assert_cmpstr (ls_network_get_token (unknown, 3), ==, "splendid");
}

/* The sentiment example shows its attention maps under the rows at the
 * window sizes of a projector and a laptop. */
static void
test_render_sentiment_maps (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "sentiment.json", NULL);
  g_autoptr(LsNetwork) network = NULL;
  const int sizes[][2] = { { 1920, 1080 }, { 1280, 720 } };

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("data/examples/sentiment.json is missing");
      return;
    }

  network = load_example_file ("sentiment.json");
  for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(LsDiagramLayout) layout = NULL;
      cairo_rectangle_t diagram, bars;
      gsize attention = 3;

      ls_render_get_page_areas (network, sizes[s][0], sizes[s][1], NULL, &diagram, &bars);
      layout = ls_diagram_layout_new (network, diagram.width, diagram.height, NULL);
      g_assert_cmpint (ls_network_get_layer (network, attention - 1)->kind, ==, LS_LAYER_ATTENTION);
      g_assert_cmpfloat (layout->maps_area[attention].width, >, 0.0);
      g_assert_cmpfloat (layout->maps_area[attention].height, >, 0.0);
      g_assert_cmpfloat (layout->maps_area[attention].y, >=,
                         layout->columns[attention].bounds.y + layout->columns[attention].bounds.height);
      g_assert_cmpfloat (layout->maps_area[attention].y + layout->maps_area[attention].height, <=, layout->legend_y);
      g_assert_cmpfloat (layout->token_px, >=, 12.0);
    }
}

/* The eight head hues, as ls-render-attention.c lists them: Okabe and
 * Ito's bluish green #009e73 and reddish purple #cc79a7, then purple
 * #6a3d9a, olive #8c8c00, crimson #b2182b, black, brown #8c564b and
 * magenta #e7298a. */
static const double head_rgb[][3] = {
  { 0x00, 0x9e, 0x73 }, { 0xcc, 0x79, 0xa7 }, { 0x6a, 0x3d, 0x9a }, { 0x8c, 0x8c, 0x00 },
  { 0xb2, 0x18, 0x2b }, { 0x00, 0x00, 0x00 }, { 0x8c, 0x56, 0x4b }, { 0xe7, 0x29, 0x8a },
};
/* The grey of masked attention map cells, LS_RENDER_MASKED_RGB. */
static const double masked_rgb[3] = { 0xd9, 0xd9, 0xd9 };

/* Lays out a text network as `layerscope --render` does on a page of
 * width × height. */
static LsDiagramLayout *
lay_out_page (LsNetwork *network,
              int        width,
              int        height)
{
  cairo_rectangle_t diagram, bars;

  ls_render_get_page_areas (network, width, height, NULL, &diagram, &bars);

  return ls_diagram_layout_new (network, diagram.width, diagram.height, NULL);
}

/* Every head gets a map under the rows at the page sizes of a projector
 * and a laptop, at least for up to 4 heads, or 8 of 5 tokens. The maps
 * lie in rows inside the maps' area, below the rows and above the
 * legend, and no two maps overlap. */
static void
test_render_attention_maps_many_heads (void)
{
  static const gsize heads[] = { 2, 4, 8, 16 };
  static const char * const texts[] = { "the movie was not good", "the movie was not good a bad film the movie was not good a" };
  static const int sizes[][2] = { { 1920, 1080 }, { 1280, 720 } };

  for (gsize h = 0; h < G_N_ELEMENTS (heads); h++)
    for (gsize t = 0; t < G_N_ELEMENTS (texts); t++)
      for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          const TokenNetworkSpec spec = { heads[h], FALSE, LS_TOKEN_POOLING_MEAN, 16, 16 };
          g_autoptr(LsNetwork) network = build_token_network_full (texts[t], &spec);
          g_autoptr(LsDiagramLayout) layout = lay_out_page (network, sizes[s][0], sizes[s][1]);
          const cairo_rectangle_t *area = &layout->maps_area[3];
          const LsDiagramMapGrid *grid = &layout->map_grids[3];
          double gap;

          g_test_message ("%zu heads, %zu tokens, %d × %d", heads[h], ls_network_get_n_tokens (network), sizes[s][0],
                          sizes[s][1]);
          /* 16 maps, or 8 of 14 tokens, may leave some out, see
           * /render/attention-maps-partial, but show some */
          if (heads[h] <= 4 || (heads[h] <= 8 && t == 0))
            g_assert_cmpuint (grid->shown, ==, heads[h]);
          else
            g_assert_cmpuint (grid->shown, >=, 1);
          g_assert_cmpuint (grid->grid_columns, >=, 1);
          g_assert_cmpfloat (area->y, >=, layout->columns[3].bounds.y + layout->columns[3].bounds.height);
          g_assert_cmpfloat (area->y + area->height, <=, layout->legend_y);

          /* maps side by side with a gap, rows under each other, all in the area */
          gap = (area->width - (double) grid->grid_columns * grid->map_width) /
                (double) MAX (grid->grid_columns - 1, 1);
          g_assert_cmpfloat (gap, >=, 0.0);
          g_assert_cmpfloat ((double) grid->grid_columns * grid->map_width, <=, area->width + 1e-6);
          g_assert_cmpfloat ((double) ((grid->shown + grid->grid_columns - 1) / grid->grid_columns) * grid->map_height,
                             <=, area->height + 1e-6);
        }
}

/* Where not every map fits, the first ones are drawn and a note states
 * how many more there are. */
static void
test_render_attention_maps_partial (void)
{
  const TokenNetworkSpec spec = { 16, FALSE, LS_TOKEN_POOLING_MEAN, 16, 16 };
  g_autoptr(LsNetwork) network = build_token_network_full ("the movie was not good a bad film the movie was not good a", &spec);
  g_autoptr(LsDiagramLayout) layout = lay_out_page (network, 1024, 768);
  const LsDiagramMapGrid *grid = &layout->map_grids[3];

  g_assert_cmpuint (grid->shown, <, 16);
  /* the note's line is under the maps in the area */
  g_assert_cmpfloat (layout->maps_area[3].height, >,
                     (double) ((grid->shown + grid->grid_columns - 1) / grid->grid_columns) * grid->map_height);
}

/* The labels of a map of 16 tokens are at least the size of the captions
 * under the columns, and where cells are smaller than the text only
 * every second or third token is written, so labels do not overlap. */
static void
test_render_attention_map_labels (void)
{
  const TokenNetworkSpec spec = { 2, FALSE, LS_TOKEN_POOLING_MEAN, 16, 16 };
  g_autoptr(LsNetwork) network = build_token_network_full ("the movie was not good a bad film the movie was not good a film the", &spec);
  g_autoptr(LsDiagramLayout) layout = lay_out_page (network, 1920, 1080);
  const LsDiagramMapGrid *grid = &layout->map_grids[3];
  double label_px = LS_DIAGRAM_FOOTER_EM * layout->font_px;
  LsAttentionMapGeometry g;

  g_assert_cmpuint (ls_network_get_n_tokens (network), ==, 16);
  g_assert_cmpuint (grid->shown, ==, 2);
  ls_render_get_attention_map_geometry (16, layout->token_em, 0.0, 0.0, grid->map_width,
                                        grid->map_height - 1.3 * label_px, layout->font_px, &g);
  g_assert_cmpfloat_with_epsilon (g.px, label_px, 1e-9);
  g_assert_cmpuint (g.label_step, >=, 1);
  g_assert_cmpfloat ((double) g.label_step * g.cell, >=, g.px);
  /* a step of one more would be wider than needed */
  g_assert_true (g.label_step == 1 || (double) (g.label_step - 1) * g.cell < g.px);
}

/* Sets up a painter of the whole diagram on surface, as ls_render_diagram()
 * does for its steps. */
static void
init_painter (LsDiagramPainter      *p,
              cairo_t               *cr,
              LsNetwork             *network,
              const LsDiagramLayout *layout,
              const LsSelection     *selection)
{
  *p = (LsDiagramPainter) {
    .cr = cr, .network = network, .layout = layout, .selection = selection,
    .style = ls_render_get_default_style (), .text = pango_cairo_create_layout (cr),
  };
  ls_render_get_theme (FALSE, &p->theme);
}

/* When a query row is selected, the weights written on its arcs do not
 * cover each other, for two heads whose arcs leave the same rows. */
static void
test_render_attention_arc_labels_apart (void)
{
  static const gsize heads[] = { 1, 2, 3 };

  for (gsize h = 0; h < G_N_ELEMENTS (heads); h++)
    {
      const TokenNetworkSpec spec = { heads[h], FALSE, LS_TOKEN_POOLING_MEAN, 6, 6 };
      g_autoptr(LsNetwork) network = build_token_network_full ("the movie was not good", &spec);
      g_autoptr(LsDiagramLayout) layout = ls_diagram_layout_new (network, 1450, 900, NULL);
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 10, 10);
      cairo_t *cr = cairo_create (surface);
      gsize total = 0;

      for (gsize query = 0; query < 5; query++)
        {
          LsSelection selection = { LS_SELECTION_NEURON, 3, query * 6, 0 };
          g_autoptr(GArray) labels = NULL;
          LsDiagramPainter p;

          init_painter (&p, cr, network, layout, &selection);
          labels = ls_render_place_arc_labels (&p, 3, query);
          total += labels->len;
          for (guint i = 0; i < labels->len; i++)
            for (guint j = i + 1; j < labels->len; j++)
              {
                const cairo_rectangle_t *a = &g_array_index (labels, LsArcLabel, i).box;
                const cairo_rectangle_t *b = &g_array_index (labels, LsArcLabel, j).box;

                g_assert_false (a->x < b->x + b->width && b->x < a->x + a->width && a->y < b->y + b->height &&
                                b->y < a->y + a->height);
              }
          g_object_unref (p.text);
        }
      /* every query has at least one arc of weight 1 / T or more per head */
      g_assert_cmpuint (total, >=, 5 * heads[h]);

      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
}

/* Returns the labels of the arcs into query token `query` of the
 * attention column c at width × height, showing the heads of style. */
static GArray *
place_labels_at (LsNetwork           *network,
                 gsize                c,
                 gsize                query,
                 double               width,
                 double               height,
                 const LsRenderStyle *style)
{
  g_autoptr(LsDiagramLayout) layout = ls_diagram_layout_new (network, width, height, style);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 10, 10);
  cairo_t *cr = cairo_create (surface);
  LsSelection selection = { LS_SELECTION_NEURON, c, query * layout->columns[c].features, 0 };
  LsDiagramPainter p;
  GArray *labels;

  init_painter (&p, cr, network, layout, &selection);
  if (style != NULL)
    p.style = style;
  labels = ls_render_place_arc_labels (&p, c, query);
  g_object_unref (p.text);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  return labels;
}

/* Returns the label of head `head` nearest to (x, y), or NULL. */
static const LsArcLabel *
find_nearest_label (const GArray *labels,
                    gsize         head,
                    double        x,
                    double        y)
{
  const LsArcLabel *nearest = NULL;
  double best = G_MAXDOUBLE;

  for (guint i = 0; i < labels->len; i++)
    {
      const LsArcLabel *label = &g_array_index (labels, LsArcLabel, i);
      double distance = hypot (label->x - x, label->y - y);

      if (label->head == head && distance < best)
        {
          best = distance;
          nearest = label;
        }
    }

  return nearest;
}

/* Widths of the diagram between a laptop's window and a projector's. */
static const double label_widths[] = { 900, 1000, 1100, 1200, 1300, 1400, 1500, 1600, 1750, 1920 };

/* With "Attend to self" on head 1 of the sentiment example, the query
 * "good" puts 0.931 of head 1's weight on itself and 0.069 on "not", the
 * engine's softmax (test-attention checks it against PyTorch). At every
 * width, the label nearest the middle of head 1's self arc reads "0.93",
 * both with all heads shown and with head 1 alone, and it sits on that
 * arc. The weaker label was once moved along its arc onto the self arc. */
static void
test_render_attention_self_arc_label (void)
{
  g_autoptr(LsNetwork) network = load_example_file ("sentiment.json");
  g_autoptr(GError) error = NULL;
  LsRenderStyle one_head = LS_RENDER_STYLE_INIT;
  const LsRenderStyle *styles[] = { NULL, &one_head };
  const float *weights;  /* [T][T] */

  g_assert_true (ls_attention_apply_preset (network, 2, 0, LS_ATTENTION_PRESET_SELF, &error));
  g_assert_no_error (error);
  one_head.attention_head = 1;
  weights = ls_layer_get_attention_head (ls_network_get_layer (network, 2), 0);
  g_assert_cmpuint (ls_network_get_n_tokens (network), ==, 5);
  g_assert_cmpfloat_with_epsilon (weights[4 * 5 + 4], 0.931, 0.001);
  g_assert_cmpfloat_with_epsilon (weights[4 * 5 + 3], 0.069, 0.001);

  for (gsize s = 0; s < G_N_ELEMENTS (styles); s++)
    for (gsize w = 0; w < G_N_ELEMENTS (label_widths); w++)
      {
        g_autoptr(LsDiagramLayout) layout = ls_diagram_layout_new (network, label_widths[w], 800, styles[s]);
        g_autoptr(GArray) labels = place_labels_at (network, 3, 4, label_widths[w], 800, styles[s]);
        const LsDiagramColumn *keys = &layout->columns[2];
        double middle_x = (keys->bounds.x + keys->bounds.width + layout->columns[3].bounds.x) / 2.0;
        double middle_y = ls_diagram_sequence_get_row_y (keys, 4);
        const LsArcLabel *nearest = find_nearest_label (labels, 0, middle_x, middle_y);
        g_autofree char *text = NULL;

        g_assert_nonnull (nearest);
        text = ls_format_value (nearest->weight);
        g_assert_cmpstr (text, ==, "0.93");
        g_assert_cmpuint (nearest->key, ==, 4);
        /* on the self arc, whose ends are at most a row height from the row's centre */
        g_assert_cmpfloat (fabs (nearest->anchor_y - middle_y), <, keys->row_height / 2.0);
        if (s == 1)
          g_assert_true (find_nearest_label (labels, 1, middle_x, middle_y) == NULL);
      }
}

/* Each head's labels are its strongest weights: the strongest is always
 * labelled, and where a weaker arc is labelled, so is every stronger arc
 * of its head. A label moved off its arc has a leader line to a point
 * within the space between the columns. Checked for every query of the
 * sentiment example with 1 to 3 heads, at every width. */
static void
test_render_attention_arc_labels_strongest (void)
{
  static const gsize heads[] = { 1, 2, 3 };

  for (gsize h = 0; h < G_N_ELEMENTS (heads); h++)
    {
      const TokenNetworkSpec spec = { heads[h], FALSE, LS_TOKEN_POOLING_MEAN, 6, 6 };
      g_autoptr(LsNetwork) network = build_token_network_full ("the movie was not good", &spec);
      const LsLayer *layer = ls_network_get_layer (network, 2);

      for (gsize w = 0; w < G_N_ELEMENTS (label_widths); w++)
        for (gsize query = 0; query < 5; query++)
          {
            g_autoptr(GArray) labels = place_labels_at (network, 3, query, label_widths[w], 800, NULL);

            for (gsize head = 0; head < layer->heads; head++)
              {
                const float *weights = ls_layer_get_attention_head (layer, head) + query * 5;  /* [T] */
                float weakest = G_MAXFLOAT;
                float strongest = 0.0f;
                gsize labelled = 0;
                gsize stronger = 0;

                for (guint i = 0; i < labels->len; i++)
                  {
                    const LsArcLabel *label = &g_array_index (labels, LsArcLabel, i);

                    if (label->head != head)
                      continue;
                    g_assert_cmpfloat (label->weight, ==, weights[label->key]);
                    weakest = MIN (weakest, label->weight);
                    labelled++;
                  }
                for (gsize key = 0; key < 5; key++)
                  {
                    strongest = MAX (strongest, weights[key]);
                    if (weights[key] >= weakest)
                      stronger++;
                  }
                g_assert_cmpuint (labelled, >=, 1);
                g_assert_cmpfloat (weakest, <=, strongest);
                g_assert_cmpuint (labelled, ==, stronger);
              }
          }
    }
}

/* In the map of a causal layer, the cells of keys after the query are the
 * masked grey, not white like a weight of 0, and the others keep the
 * head's hue in proportion to the weight. */
static void
test_render_attention_masked_cells (void)
{
  const TokenNetworkSpec spec = { 2, TRUE, LS_TOKEN_POOLING_MEAN, TOKEN_DIM, TOKEN_DIM };
  g_autoptr(LsNetwork) network = build_token_network_full ("the movie was not good", &spec);
  const float *weights = ls_layer_get_attention_head (ls_network_get_layer (network, 2), 0);  /* [T][T] */
  cairo_surface_t *surface = render_attention_map (network, 400, 360, -1);
  CellBox boxes[5][5];

  find_map_cells (network, 400, 360, boxes);
  for (gsize query = 0; query < 5; query++)
    for (gsize key = 0; key < 5; key++)
      {
        const CellBox *box = &boxes[query][key];
        /* inside the cell, off the pixels that its neighbours share at the
         * edges of the scan's box */
        gsize masked = count_pixels (surface, masked_rgb, box->x0 + 2, box->y0 + 2, box->x1 - 2, box->y1 - 2);
        gsize area = (gsize) ((box->x1 - box->x0 - 4) * (box->y1 - box->y0 - 4));

        if (key > query)
          {
            g_assert_cmpfloat (weights[query * 5 + key], ==, 0.0f);
            g_assert_cmpuint (masked, >, area / 4);
          }
        else
          {
            g_assert_cmpuint (masked, ==, 0);
          }
      }
  cairo_surface_destroy (surface);
}

/* The grey band into pooling of the first token starts at the first row
 * only, and that of mean pooling at every row. */
static void
test_render_first_token_pool_band (void)
{
  static const LsTokenPooling poolings[] = { LS_TOKEN_POOLING_FIRST, LS_TOKEN_POOLING_MEAN };

  for (gsize i = 0; i < G_N_ELEMENTS (poolings); i++)
    {
      const TokenNetworkSpec spec = { 2, FALSE, poolings[i], TOKEN_DIM, TOKEN_DIM };
      g_autoptr(LsNetwork) network = build_token_network_full ("the movie was not good", &spec);
      g_autoptr(LsDiagramLayout) layout = ls_diagram_layout_new (network, 1500, 980, NULL);
      const LsDiagramColumn *dense = &layout->columns[5];
      cairo_surface_t *surface = render_diagram (network, layout, NULL);
      double x = dense->bounds.x + dense->bounds.width + 0.3 * layout->font_px + 2.0;
      double first = ls_diagram_sequence_get_row_y (dense, 0);
      double last = ls_diagram_sequence_get_row_y (dense, 4);

      g_assert_cmpint (layout->columns[6].kind, ==, LS_DIAGRAM_NEURONS);
      g_assert_cmpuint (count_pixels (surface, track_rgb, x, first - 1.0, x + 2.0, first + 1.0), >, 0);
      if (poolings[i] == LS_TOKEN_POOLING_FIRST)
        g_assert_cmpuint (count_pixels (surface, track_rgb, x, last - 1.0, x + 2.0, last + 1.0), ==, 0);
      else
        g_assert_cmpuint (count_pixels (surface, track_rgb, x, last - 1.0, x + 2.0, last + 1.0), >, 0);
      cairo_surface_destroy (surface);
    }
}

/* The legend shows a line sample in every head's hue, for 8 and 16
 * heads, on pages from a projector's to 1024 × 768, and ends inside the
 * drawing. */
static void
test_render_heads_legend_complete (void)
{
  static const gsize heads[] = { 8, 16 };
  static const int sizes[][2] = { { 1920, 1080 }, { 1024, 768 } };

  for (gsize h = 0; h < G_N_ELEMENTS (heads); h++)
    for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
      {
        const TokenNetworkSpec spec = { heads[h], FALSE, LS_TOKEN_POOLING_MEAN, 16, 16 };
        g_autoptr(LsNetwork) network = build_token_network_full ("the movie was not good", &spec);
        g_autoptr(LsDiagramLayout) layout = lay_out_page (network, sizes[s][0], sizes[s][1]);
        cairo_surface_t *surface = render_diagram (network, layout, NULL);
        cairo_surface_t *measure = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 10, 10);
        cairo_t *cr = cairo_create (measure);
        LsSelection none = { LS_SELECTION_NONE, 0, 0, 0 };
        LsDiagramPainter p;

        for (gsize i = 0; i < G_N_ELEMENTS (head_rgb); i++)
          g_assert_cmpuint (count_pixels (surface, head_rgb[i], 0.0, layout->legend_y, layout->width, layout->height),
                            >, 0);

        /* the heads' part of the legend fits after the weights' samples at
         * the smallest legend text size */
        init_painter (&p, cr, network, layout, &none);
        ls_render_set_font (p.text, 0.85 * layout->font_px, FALSE);
        g_assert_cmpfloat (ls_render_measure_attention_legend (&p, 0.85 * layout->font_px), <, 0.6 * layout->width);
        g_object_unref (p.text);
        cairo_destroy (cr);
        cairo_surface_destroy (measure);
        cairo_surface_destroy (surface);
      }
}

/* Sequence columns of d = 1000 stay inside the drawing, side by side
 * without overlap, and leave the dense column of 16 features its full
 * cells. */
static void
test_render_sequence_width_cap (void)
{
  const TokenNetworkSpec spec = { 2, FALSE, LS_TOKEN_POOLING_MEAN, 1000, 16 };
  g_autoptr(LsNetwork) network = build_token_network_full ("the movie was not good", &spec);
  g_autoptr(LsDiagramLayout) layout = lay_out_page (network, 1920, 1080);
  double previous_right = 0.0;
  double sequences = 0.0;

  for (gsize c = 0; c < layout->n_columns; c++)
    {
      const cairo_rectangle_t *b = &layout->columns[c].bounds;

      g_assert_cmpfloat (b->x, >=, previous_right);
      g_assert_cmpfloat (b->x + b->width, <=, layout->width);
      previous_right = b->x + b->width;
      if (layout->columns[c].kind == LS_DIAGRAM_SEQUENCE)
        sequences += b->width;
    }
  g_assert_cmpfloat (sequences, <=, 0.55 * layout->width);
  g_assert_cmpuint (layout->columns[1].features, ==, 1000);
  g_assert_cmpfloat (layout->columns[1].cell, <, 1.0);
  g_assert_cmpuint (layout->columns[5].features, ==, 16);
  g_assert_cmpfloat (layout->columns[5].cell, >=, 3.0);
}

/* A word leaving the vocabulary moves no column: the token boxes keep
 * room for the mark of an unknown word. Both texts have words of the
 * same letters' count in the same places. */
static void
test_render_unknown_word_keeps_columns (void)
{
  g_autoptr(LsNetwork) known = build_token_network ("the movie was good", 2);
  g_autoptr(LsNetwork) unknown = build_token_network ("the movie was dood", 2);
  g_autoptr(LsDiagramLayout) known_layout = ls_diagram_layout_new (known, 1500, 980, NULL);
  g_autoptr(LsDiagramLayout) unknown_layout = ls_diagram_layout_new (unknown, 1500, 980, NULL);

  g_assert_false (known_layout->has_unknown_tokens);
  g_assert_true (unknown_layout->has_unknown_tokens);
  g_assert_cmpfloat_with_epsilon (known_layout->token_em, unknown_layout->token_em, 0.05);
  for (gsize c = 0; c < known_layout->n_columns; c++)
    g_assert_cmpfloat_with_epsilon (known_layout->columns[c].x, unknown_layout->columns[c].x,
                                    0.05 * known_layout->font_px);
}

/* At every font scale of the window, each column title of a text network
 * fits its span at the layout's text size, so the renderer never shrinks
 * one title below the others. */
static void
test_render_token_titles_scaled (void)
{
  g_autoptr(LsNetwork) network = build_token_network ("the movie was not good", 2);
  g_autoptr(PangoLayout) pango = ls_render_create_measure_layout ();

  for (gsize f = 0; f < G_N_ELEMENTS (font_scales); f++)
    {
      LsRenderStyle style = LS_RENDER_STYLE_INIT;
      g_autoptr(LsDiagramLayout) layout = NULL;

      style.font_scale = font_scales[f];
      style.font_px = LS_RENDER_WINDOW_FONT_PX;
      layout = ls_diagram_layout_new (network, 1450, 900, &style);
      ls_render_set_font (pango, LS_DIAGRAM_TITLE_EM * layout->font_px, TRUE);
      for (gsize c = 0; c < layout->n_columns; c++)
        {
          g_autofree char *title = ls_diagram_dup_column_title (network, c);
          double left, right;

          ls_diagram_layout_get_text_span (layout, c, &left, &right);
          g_assert_cmpfloat (ls_render_get_text_width (pango, title), <=, right - left);
        }
    }
}

/* Lays out the window's diagram of a text network at font_scale. */
static LsDiagramLayout *
lay_out_scaled (LsNetwork *network,
                double     width,
                double     height,
                double     font_scale)
{
  LsRenderStyle style = LS_RENDER_STYLE_INIT;

  style.font_scale = font_scale;
  style.font_px = LS_RENDER_WINDOW_FONT_PX;

  return ls_diagram_layout_new (network, width, height, &style);
}

/* With few tokens, the rows take more of the height than with many: at
 * the same size and text size, 5 tokens get taller rows and larger words
 * than 15. */
static void
test_render_token_rows_few_taller (void)
{
  g_autoptr(LsNetwork) few = build_token_network ("the movie was not good", 2);
  g_autoptr(LsNetwork) many = build_token_network ("the movie was not good the movie was not good the movie was not good", 2);
  g_autoptr(LsDiagramLayout) few_layout = lay_out_scaled (few, 1440, 900, 1.0);
  g_autoptr(LsDiagramLayout) many_layout = lay_out_scaled (many, 1440, 900, 1.0);

  g_assert_cmpuint (ls_network_get_n_tokens (few), ==, 5);
  g_assert_cmpuint (ls_network_get_n_tokens (many), ==, 15);
  g_assert_cmpfloat (few_layout->font_px, ==, many_layout->font_px);
  g_assert_cmpfloat (few_layout->columns[0].row_height, >, 1.5 * many_layout->columns[0].row_height);
  g_assert_cmpfloat (few_layout->token_px, >, many_layout->token_px);
  /* a few tokens on a large page make words larger than the body text */
  g_assert_cmpfloat (few_layout->token_px, >, few_layout->font_px);
}

/* The words in the token boxes grow with the window's text scale. */
static void
test_render_token_labels_scaled (void)
{
  g_autoptr(LsNetwork) network = build_token_network ("the movie was not good", 2);
  g_autoptr(LsDiagramLayout) normal = lay_out_scaled (network, 1440, 900, 1.0);
  g_autoptr(LsDiagramLayout) large = lay_out_scaled (network, 1440, 900, 1.5);

  g_assert_cmpfloat (large->font_px, >, normal->font_px);
  g_assert_cmpfloat (large->token_px, >, normal->token_px);
  g_assert_cmpfloat (large->columns[0].row_height, >, normal->columns[0].row_height);
}

/* Asserts that the titles, the rows, the maps under them and the legend
 * follow each other from the top without overlapping. */
static void
assert_token_bands_apart (const LsDiagramLayout *layout)
{
  double rows_top = G_MAXDOUBLE;
  double rows_bottom = -G_MAXDOUBLE;

  for (gsize c = 0; c < layout->n_columns; c++)
    {
      const LsDiagramColumn *column = &layout->columns[c];

      if (column->kind != LS_DIAGRAM_TOKENS && column->kind != LS_DIAGRAM_SEQUENCE)
        continue;

      g_assert_cmpfloat (column->row_height, >, 0.0);
      g_assert_cmpfloat (column->row_height, <=, column->pitch);
      rows_top = MIN (rows_top, column->bounds.y);
      rows_bottom = MAX (rows_bottom, column->bounds.y + column->bounds.height);
    }

  g_assert_cmpfloat (rows_top, >=, layout->header_y + layout->header_height);
  for (gsize c = 0; c < layout->n_columns; c++)
    {
      const cairo_rectangle_t *area = &layout->maps_area[c];

      if (area->width <= 0.0)
        continue;

      /* the footer line under the rows sits between them and the maps */
      g_assert_cmpfloat (area->y, >=, rows_bottom + ls_diagram_layout_get_footer_line_height (layout));
      g_assert_cmpfloat (area->y + area->height, <=, layout->legend_y);
    }
  g_assert_cmpfloat (rows_bottom, <=, layout->legend_y);
}

/* For 5 and 16 tokens, at the sizes of a projector and a laptop and at
 * the window's text scales, the rows, the maps and the legend do not
 * overlap, and every head keeps its map for 5 tokens. */
static void
test_render_token_rows_apart (void)
{
  const char *texts[] = {
    "the movie was not good",
    "the movie was not good the movie was not good the movie was not good the",
  };
  const double sizes[][2] = { { 1440, 1040 }, { 960, 620 } };

  for (gsize t = 0; t < G_N_ELEMENTS (texts); t++)
    {
      g_autoptr(LsNetwork) network = build_token_network (texts[t], 2);

      for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
        for (gsize f = 0; f < G_N_ELEMENTS (font_scales); f++)
          {
            g_autoptr(LsDiagramLayout) layout = lay_out_scaled (network, sizes[s][0], sizes[s][1], font_scales[f]);

            assert_token_bands_apart (layout);
            if (t == 0)
              g_assert_cmpuint (layout->map_grids[3].shown, ==, 2);
          }
    }
}

/* Plane maps. The networks below compute simple functions of the input
 * point (x, y), so the expected colour of every pixel follows from the
 * colour scale written out at the top of this file. */

/* Builds a network of 2 inputs and one dense layer with weights
 * [2][units] and zero biases. */
static LsNetwork *
build_plane_network (gsize         units,
                     LsActivation  activation,
                     const float  *weights)
{
  LsNetwork *network = ls_network_new (2);
  g_autoptr(GError) error = NULL;

  ls_network_insert_dense (network, 0, units, activation, &error);
  g_assert_no_error (error);
  for (gsize input = 0; input < 2; input++)
    for (gsize unit = 0; unit < units; unit++)
      {
        ls_network_set_weight (network, 0, input, unit, weights[input * units + unit], &error);
        g_assert_no_error (error);
        ls_network_set_bias (network, 0, unit, 0.0f, &error);
        g_assert_no_error (error);
      }

  return network;
}

static LsPlaneMap *
compute_plane_map (LsNetwork *network,
                   gsize      size)
{
  LsPlaneMap *map = ls_plane_map_new (size, size);
  g_autoptr(GError) error = NULL;

  ls_plane_map_set_bounds (map, -1.0f, 1.0f, -1.0f, 1.0f);
  ls_plane_map_compute (map, network, &error);
  g_assert_no_error (error);

  return map;
}

static void
test_render_plane_map_matches (void)
{
  static const float identity[] = { 1, 0, 0, 1 };
  static const float three[] = { 1, 0, 0, 0, 1, 0 };
  g_autoptr(LsNetwork) network = build_plane_network (2, LS_ACTIVATION_IDENTITY, identity);
  g_autoptr(LsNetwork) wider = build_plane_network (3, LS_ACTIVATION_IDENTITY, three);
  g_autoptr(LsNetwork) three_inputs = ls_network_new (3);
  g_autoptr(LsPlaneMap) map = compute_plane_map (network, 8);

  g_assert_true (ls_render_plane_map_matches (network, map));
  g_assert_false (ls_render_plane_map_matches (network, NULL));
  g_assert_false (ls_render_plane_map_matches (wider, map));
  g_assert_false (ls_render_plane_map_matches (three_inputs, map));
}

/* The identity layer copies x into h1 and y into h2, so h1's map runs
 * from −1 on the left of its circle to +1 on the right, and h2's from
 * −1 at the bottom to +1 at the top. The input neurons show x and y the
 * same way. A bilinear blend of a linear function is exact, and the
 * tolerance allows for the colour rounding and the half pixel between a
 * pixel's centre and the point. */
static void
test_render_unit_map_in_neuron (void)
{
  static const float identity[] = { 1, 0, 0, 1 };
  static const struct { gsize column, unit; double dx, dy, value; } cases[] = {
    { 1, 0, -0.6, 0.0, -0.6 },  /* h1 = x */
    { 1, 0, 0.6, 0.0, 0.6 },
    { 1, 1, 0.0, -0.6, 0.6 },   /* h2 = y, growing upwards */
    { 1, 1, -0.6, 0.2, -0.2 },  /* left of the value below the centre */
    { 0, 0, -0.5, 0.0, -0.5 },  /* input x */
    { 0, 1, 0.0, -0.5, 0.5 },   /* input y */
  };
  g_autoptr(LsNetwork) network = build_plane_network (2, LS_ACTIVATION_IDENTITY, identity);
  g_autoptr(LsPlaneMap) map = compute_plane_map (network, 33);
  g_autoptr(LsDiagramLayout) layout = NULL;
  LsRenderStyle style = LS_RENDER_STYLE_INIT;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 900, 600);
  cairo_t *cr = cairo_create (surface);
  double radius;

  style.plane_map = map;
  layout = ls_diagram_layout_new (network, 900, 600, &style);
  radius = ls_diagram_layout_get_neuron_radius (layout);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  ls_render_diagram (cr, network, layout, NULL, &style);
  cairo_surface_flush (surface);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double cx, cy, actual[3], expected[3];

      g_assert_true (ls_diagram_layout_get_unit_center (layout, cases[i].column, cases[i].unit, &cx, &cy));
      read_pixel (surface, (int) floor (cx + cases[i].dx * radius), (int) floor (cy + cases[i].dy * radius), actual);
      /* the pixel's centre is half a pixel off the point */
      get_expected_color (cases[i].value, expected);
      g_assert_cmpfloat (fabs (actual[0] - expected[0]), <=, 3.0 * COLOR_TOLERANCE);
      g_assert_cmpfloat (fabs (actual[1] - expected[1]), <=, 3.0 * COLOR_TOLERANCE);
      g_assert_cmpfloat (fabs (actual[2] - expected[2]), <=, 3.0 * COLOR_TOLERANCE);
    }

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* Draws the compact decision map of network at 202 × 202 pixels, whose
 * plot is the square (2, 2)–(200, 200): the point (x, y) of the plane
 * [−1, 1]² is at pixel (101 + 99 x, 101 − 99 y). */
static cairo_surface_t *
draw_compact_decision_map (LsNetwork  *network,
                           LsPlaneMap *map,
                           LsSamples  *train,
                           LsSamples  *test)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 202, 202);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  ls_render_decision_map (cr, network, map, train, test, 202, 202, TRUE, NULL);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  return surface;
}

/* Reads the pixel at the point (*x, *y) of the plane, and moves the
 * point to that pixel's centre, where the colour was computed. */
static void
read_plane_pixel (cairo_surface_t *surface,
                  double          *x,
                  double          *y,
                  double           rgb[3])
{
  int px = (int) floor (101 + 99 * *x);
  int py = (int) floor (101 - 99 * *y);

  read_pixel (surface, px, py, rgb);
  *x = (px + 0.5 - 101) / 99;
  *y = (101 - py - 0.5) / 99;
}

/* Sets rgb to white moved 80 % of strength towards end, the decision
 * map's colour as ls-render-maps.c states it. */
static void
get_decision_color (const double end[3],
                    double       strength,
                    double       rgb[3])
{
  for (guint i = 0; i < 3; i++)
    rgb[i] = 255.0 + 0.8 * strength * (end[i] - 255.0);
}

/* One sigmoid unit of 4x: p(class 1) = σ(4x), white at x = 0, towards
 * class 1's orange for x > 0 and class 0's blue for x < 0, with strength
 * 2·|p − 0.5|. Class 0 and 1 take the ends of the value scale. The
 * boundary p = 0.5 at x = 0 is a dark line 1 pixel wide. The input lies
 * outside the plane, so no marker covers the map. */
static void
test_render_decision_map_binary (void)
{
  static const float weights[] = { 4, 0 };
  static const double xs[] = { -0.9, -0.3, -0.05, 0.05, 0.5, 0.9 };
  static const float far_input[] = { 5.0f, 5.0f };
  g_autoptr(LsNetwork) network = build_plane_network (1, LS_ACTIVATION_SIGMOID, weights);
  g_autoptr(LsPlaneMap) map = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;

  ls_network_set_input (network, far_input, 2, &error);
  g_assert_no_error (error);
  map = compute_plane_map (network, 199);
  surface = draw_compact_decision_map (network, map, NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (xs); i++)
    {
      double x = xs[i], y = 0.4, p;
      double actual[3], expected[3];

      read_plane_pixel (surface, &x, &y, actual);
      p = 1.0 / (1.0 + exp (-4.0 * x));
      get_decision_color (p >= 0.5 ? positive_rgb : negative_rgb, 2.0 * fabs (p - 0.5), expected);
      assert_color_near (actual, expected, "decision map pixel");
    }

  /* x = 0 lies on the border of pixel columns 100 and 101, so the line covers half of each */
  for (int column = 100; column <= 101; column++)
    {
      double actual[3];

      read_pixel (surface, column, 60, actual);
      g_assert_cmpfloat (actual[0], <, 200.0);
      g_assert_cmpfloat (actual[1], <, 200.0);
      g_assert_cmpfloat (actual[2], <, 200.0);
    }

  cairo_surface_destroy (surface);
}

/* Three softmax classes of logits (4x, 4y, 0): near (0.8, −0.8) class 0
 * wins with p = e^4x / (e^4x + e^4y + 1), so its blue there has strength
 * (p − 1/3) / (2/3), and near (−0.8, −0.8) class 2 wins. Its colour is
 * Okabe and Ito's bluish green #009e73. */
static void
test_render_decision_map_classes (void)
{
  static const float weights[] = { 4, 0, 0, 0, 4, 0 };
  static const double green_rgb[3] = { 0x00, 0x9e, 0x73 };
  static const float far_input[] = { 5.0f, 5.0f };
  g_autoptr(LsNetwork) network = build_plane_network (3, LS_ACTIVATION_SOFTMAX, weights);
  g_autoptr(LsPlaneMap) map = NULL;
  g_autoptr(GError) error = NULL;
  double x, y, p;
  double actual[3], expected[3];
  cairo_surface_t *surface;

  ls_network_set_input (network, far_input, 2, &error);
  g_assert_no_error (error);
  map = compute_plane_map (network, 199);
  surface = draw_compact_decision_map (network, map, NULL, NULL);

  x = 0.8, y = -0.8;
  read_plane_pixel (surface, &x, &y, actual);
  p = exp (4 * x) / (exp (4 * x) + exp (4 * y) + 1.0);
  get_decision_color (negative_rgb, (p - 1.0 / 3.0) / (2.0 / 3.0), expected);
  assert_color_near (actual, expected, "class 0 region");

  x = -0.8, y = -0.8;
  read_plane_pixel (surface, &x, &y, actual);
  p = 1.0 / (exp (4 * x) + exp (4 * y) + 1.0);
  get_decision_color (green_rgb, (p - 1.0 / 3.0) / (2.0 / 3.0), expected);
  assert_color_near (actual, expected, "class 2 region");

  cairo_surface_destroy (surface);
}

/* A training sample is a dot in its class colour, a test sample a dark
 * dot in a ring of it, and the network's input a ring with a cross. */
static void
test_render_decision_map_points (void)
{
  static const float weights[] = { 0, 0 };
  static const float inputs[] = { 0.5f, 0.5f, -0.5f, -0.5f };
  static const guint labels[] = { 0, 1 };
  static const float test_inputs[] = { 0.5f, -0.5f };
  static const guint test_labels[] = { 1 };
  static const double dark_rgb[3] = { 0x1a, 0x1a, 0x1a };
  static const float input[] = { -0.5f, 0.5f };
  LsShape shape = { 1, { 2 } };
  g_autoptr(LsNetwork) network = build_plane_network (1, LS_ACTIVATION_SIGMOID, weights);
  g_autoptr(LsPlaneMap) map = compute_plane_map (network, 32);
  g_autoptr(LsSamples) train = NULL;
  g_autoptr(LsSamples) test = NULL;
  g_autoptr(GError) error = NULL;
  double actual[3], white[3] = { 255, 255, 255 };
  cairo_surface_t *surface;

  train = ls_samples_new_classification ("points", &shape, 2, inputs, labels, 2, NULL, &error);
  g_assert_no_error (error);
  test = ls_samples_new_classification ("points", &shape, 1, test_inputs, test_labels, 2, NULL, &error);
  g_assert_no_error (error);
  ls_network_set_input (network, input, 2, &error);
  g_assert_no_error (error);
  surface = draw_compact_decision_map (network, map, train, test);

  read_pixel (surface, 150, 51, actual);    /* (0.5, 0.5) */
  assert_color_near (actual, negative_rgb, "training sample of class 0");
  read_pixel (surface, 51, 150, actual);    /* (−0.5, −0.5) */
  assert_color_near (actual, positive_rgb, "training sample of class 1");
  read_pixel (surface, 150, 150, actual);   /* (0.5, −0.5) */
  assert_color_near (actual, dark_rgb, "centre of a test sample");
  /* the points' radius is 3.3 pixels (198 / 60) and the ring 2 wide */
  read_pixel (surface, 153, 150, actual);
  assert_color_near (actual, positive_rgb, "ring of a test sample");
  read_pixel (surface, 51, 51, actual);     /* (−0.5, 0.5) */
  assert_color_near (actual, dark_rgb, "centre of the input marker");
  /* every weight is 0, so p = 0.5 and the map is white */
  read_pixel (surface, 101, 20, actual);
  assert_color_near (actual, white, "map where p = 0.5");

  cairo_surface_destroy (surface);
}

/* The compact plot is the square (2, 2)–(200, 200) over [−1, 1]². */
static void
test_render_decision_map_hit (void)
{
  g_autoptr(LsNetwork) network = ls_network_new (2);
  g_autoptr(LsPlaneMap) map = ls_plane_map_new (8, 8);
  float x = NAN, y = NAN;

  ls_plane_map_set_bounds (map, -1.0f, 1.0f, -1.0f, 1.0f);
  g_assert_true (ls_render_decision_map_hit (map, 202, 202, TRUE, NULL, 101, 101, &x, &y));
  g_assert_cmpfloat_with_epsilon (x, 0.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (y, 0.0, 1e-6);
  g_assert_true (ls_render_decision_map_hit (map, 202, 202, TRUE, NULL, 2, 2, &x, &y));
  g_assert_cmpfloat_with_epsilon (x, -1.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (y, 1.0, 1e-6);
  g_assert_true (ls_render_decision_map_hit (map, 202, 202, TRUE, NULL, 150.5, 200, &x, &y));
  g_assert_cmpfloat_with_epsilon (x, 0.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (y, -1.0, 1e-6);
  g_assert_false (ls_render_decision_map_hit (map, 202, 202, TRUE, NULL, 1, 101, &x, &y));
  g_assert_false (ls_render_decision_map_hit (map, 202, 202, TRUE, NULL, 101, 201, &x, &y));
}

/* Softmax bars of 3 classes of logits (4x, 4y, 0) at the input (−1, −1):
 * class 2 wins with p = 1 / (2 e⁻⁴ + 1) = 0.9647 (by hand), and its bar
 * takes class 2's colour on the decision map, Okabe and Ito's bluish
 * green #009e73, over that share of its track. */
static void
test_render_bars_class_colors (void)
{
  static const float weights[] = { 4, 0, 0, 0, 4, 0 };
  static const float input[] = { -1.0f, -1.0f };
  static const double green_rgb[3] = { 0x00, 0x9e, 0x73 };
  g_autoptr(LsNetwork) network = build_plane_network (3, LS_ACTIVATION_SOFTMAX, weights);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  int bar, track, start;

  ls_network_set_input (network, input, 2, &error);
  g_assert_no_error (error);
  surface = render_bars (network, 400, 300);

  measure_bar (surface, green_rgb, &bar, &track, &start);
  g_assert_cmpint (bar, >, 0);
  g_assert_cmpfloat_with_epsilon ((double) bar / (bar + track), 1.0 / (2.0 * exp (-4.0) + 1.0), 0.02);

  cairo_surface_destroy (surface);
}

/* Draws the full decision map of network, with axes and legend, at
 * 400 × 420 pixels on white in the default style. Its text size is then
 * 13 pixels (a 46th of the height, at least 13), so by the margins that
 * get_geometry() in ls-render-maps.c sets (4.6 text sizes left, 1.2
 * right, 0.8 above, 5.2 below) the plot is the square of side
 * 400 − 75.4 = 324.6 at (59.8, 10.4). */
#define FULL_MAP_PX 13.0
#define FULL_MAP_LEFT (4.6 * FULL_MAP_PX)
#define FULL_MAP_TOP (0.8 * FULL_MAP_PX)
#define FULL_MAP_SIDE (400.0 - 5.8 * FULL_MAP_PX)

static cairo_surface_t *
draw_full_decision_map (LsNetwork  *network,
                        LsPlaneMap *map,
                        LsSamples  *train)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400, 420);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  ls_render_decision_map (cr, network, map, train, NULL, 400, 420, FALSE, NULL);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  return surface;
}

/* Returns whether any pixel of column x between rows top and bottom
 * differs from white. */
static gboolean
column_has_ink (cairo_surface_t *surface,
                int              x,
                int              top,
                int              bottom)
{
  for (int y = top; y <= bottom; y++)
    {
      double rgb[3];

      read_pixel (surface, x, y, rgb);
      if (rgb[0] < 215.0 || rgb[1] < 215.0 || rgb[2] < 215.0)
        return TRUE;
    }

  return FALSE;
}

/* The rotated name of the y axis is left of the tick labels with a
 * clear gap. Scanning leftwards from the plot along the row of the "0"
 * tick, at the plot's middle, finds the tick label's ink, then at least
 * 4 blank columns (0.3 text sizes) before the name's ink. */
static void
test_render_decision_map_y_name_gap (void)
{
  static const float weights[] = { 1, 0 };
  g_autoptr(LsNetwork) network = build_plane_network (1, LS_ACTIVATION_SIGMOID, weights);
  g_autoptr(LsPlaneMap) map = compute_plane_map (network, 16);
  cairo_surface_t *surface = draw_full_decision_map (network, map, NULL);
  int middle = (int) round (FULL_MAP_TOP + FULL_MAP_SIDE / 2.0);
  int x = (int) floor (FULL_MAP_LEFT) - 2;
  int label_end, gap = 0, widest_gap = 0;

  while (x >= 0 && !column_has_ink (surface, x, middle - 4, middle + 4))
    x--;
  g_assert_cmpint (x, >, 0);
  label_end = x;

  /* the label's glyphs have gaps of a pixel or two, the name is further */
  for (; x >= 0; x--)
    {
      if (column_has_ink (surface, x, middle - 4, middle + 4))
        {
          widest_gap = MAX (widest_gap, gap);
          gap = 0;
        }
      else
        gap++;
    }
  g_test_message ("tick label ends at column %d, widest blank run %d", label_end, widest_gap);
  g_assert_cmpint (widest_gap, >=, 4);

  cairo_surface_destroy (surface);
}

/* With a regression set the map shows the output on the neurons' value
 * scale (get_expected_color(), from the palette's anchors) instead of as
 * a decision between classes. The legend is then the scale's ramp from
 * −1 to +1, 12 text sizes wide (156 pixels), centred 3.4 text sizes
 * below the plot, where a class legend would show class names. */
static void
test_render_decision_map_regression (void)
{
  static const float weights[] = { 4, 0 };
  static const float inputs[] = { 0.5f, 0.5f, -0.5f, -0.5f };
  static const float targets[] = { 0.9f, 0.1f };
  static const float far_input[] = { 5.0f, 5.0f };
  LsShape shape = { 1, { 2 } };
  g_autoptr(LsNetwork) network = build_plane_network (1, LS_ACTIVATION_SIGMOID, weights);
  g_autoptr(LsPlaneMap) map = NULL;
  g_autoptr(LsSamples) train = NULL;
  g_autoptr(GError) error = NULL;
  double ramp_x = FULL_MAP_LEFT + (FULL_MAP_SIDE - 12.0 * FULL_MAP_PX) / 2.0;
  int ramp_y = (int) round (FULL_MAP_TOP + FULL_MAP_SIDE + 3.4 * FULL_MAP_PX);
  int column;
  double x, actual[3], expected[3];
  cairo_surface_t *surface;

  train = ls_samples_new_regression ("values", &shape, 2, inputs, 1, targets, &error);
  g_assert_no_error (error);
  ls_network_set_input (network, far_input, 2, &error);
  g_assert_no_error (error);
  map = compute_plane_map (network, 199);
  surface = draw_full_decision_map (network, map, train);

  /* near (−0.9, 0.9): p = σ(4x) ≈ 0.027, almost neutral, where a class
   * decision would be a strong blue */
  column = (int) floor (FULL_MAP_LEFT + 0.05 * FULL_MAP_SIDE);
  x = -1.0 + 2.0 * (column + 0.5 - FULL_MAP_LEFT) / FULL_MAP_SIDE;
  read_pixel (surface, column, (int) floor (FULL_MAP_TOP + 0.05 * FULL_MAP_SIDE), actual);
  get_expected_color (1.0 / (1.0 + exp (-4.0 * x)), expected);
  assert_color_near (actual, expected, "value colour of the output");

  for (int quarter = 1; quarter <= 3; quarter += 2)
    {
      double t = quarter / 4.0;

      read_pixel (surface, (int) floor (ramp_x + t * 12.0 * FULL_MAP_PX), ramp_y, actual);
      get_expected_color (2.0 * t - 1.0, expected);
      assert_color_near (actual, expected, "value scale in the legend");
    }

  cairo_surface_destroy (surface);
}

/* Whether box reaches into the circle of radius around (x, y). */
static gboolean
box_meets_circle (const cairo_rectangle_t *box,
                  double                   x,
                  double                   y,
                  double                   radius)
{
  double dx = MAX (MAX (box->x - x, x - (box->x + box->width)), 0.0);
  double dy = MAX (MAX (box->y - y, y - (box->y + box->height)), 0.0);

  return dx * dx + dy * dy < radius * radius;
}

/* Checks the names of the hidden column c against every circle of the
 * column and against each other. Returns how many names are placed. */
static gsize
check_hidden_names (LsNetwork             *network,
                    const LsDiagramLayout *layout,
                    const LsSelection     *selection,
                    PangoLayout           *text,
                    gsize                  c)
{
  const LsDiagramColumn *column = &layout->columns[c];
  gsize n_slots = ls_diagram_column_get_n_slots (column);
  g_autofree cairo_rectangle_t *boxes = g_new0 (cairo_rectangle_t, n_slots);  /* [slots] */
  g_autofree gboolean *placed = g_new0 (gboolean, n_slots);  /* [slots] */
  gsize n_placed = 0;

  for (gsize slot = 0; slot < n_slots; slot++)
    {
      gsize unit = ls_diagram_column_get_slot_unit (column, slot);
      g_autofree char *name = NULL;
      int width, height;

      if (unit == LS_DIAGRAM_NO_UNIT)
        continue;
      name = ls_explain_neuron_name (network, c, unit);
      pango_layout_set_text (text, name, -1);
      pango_layout_get_pixel_size (text, &width, &height);
      placed[slot] = ls_render_place_hidden_name (layout, selection, c, slot, width, height, &boxes[slot]);
      n_placed += placed[slot];
    }

  for (gsize slot = 0; slot < n_slots; slot++)
    {
      if (!placed[slot])
        continue;
      for (gsize other = 0; other < n_slots; other++)
        if (ls_diagram_column_get_slot_unit (column, other) != LS_DIAGRAM_NO_UNIT)
          g_assert_false (box_meets_circle (&boxes[slot], column->x, ls_diagram_column_get_slot_y (column, other),
                                            layout->radius));
      if (slot + 1 < n_slots && placed[slot + 1])
        g_assert_cmpfloat (boxes[slot].y + boxes[slot].height, <=, boxes[slot + 1].y + 0.01);
    }

  return n_placed;
}

/* The names of the spiral's hidden neurons ("h1,2") touch no circle of
 * their column and no other name, at every diagram size and font scale,
 * with and without a selected neuron. In a window's diagram (726 × 510)
 * all 16 show up to font scale ×1.95, three Ctrl++ steps of ×1.25. */
static void
test_render_hidden_names_clear (void)
{
  g_autoptr(LsNetwork) network = load_example_file ("spiral.json");
  g_autoptr(PangoLayout) text = ls_render_create_measure_layout ();
  const LsSelection selections[] = {
    { LS_SELECTION_NONE },
    { LS_SELECTION_NEURON, .column = 1, .unit = 2 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (diagram_sizes); i++)
    for (gsize k = 0; k < G_N_ELEMENTS (font_scales); k++)
      for (gsize s = 0; s < G_N_ELEMENTS (selections); s++)
        {
          g_autoptr(LsDiagramLayout) layout = lay_out_as_window (network, &diagram_sizes[i], font_scales[k]);
          gsize n_placed = 0;

          ls_render_set_font (text, ls_render_get_hidden_name_px (layout), FALSE);
          for (gsize c = 1; c + 1 < layout->n_columns; c++)
            n_placed += check_hidden_names (network, layout, &selections[s], text, c);
          g_test_message ("%d × %d at font scale %g: %zu names", diagram_sizes[i].width,
                          diagram_sizes[i].height, font_scales[k], n_placed);
          if (diagram_sizes[i].width == 726 && font_scales[k] < 2.0)
            g_assert_cmpuint (n_placed, ==, 16);
        }
}

/* Presentation styles: high contrast, presenter, steps and highlights */

/* Runs the layerscope binary with argv[1..] and returns its exit status
 * and standard error, or FALSE when LAYERSCOPE_BINARY is not set. */
static gboolean
run_layerscope (const char **argv,
                int         *status,
                char       **err)
{
  const char *binary = g_getenv ("LAYERSCOPE_BINARY");
  g_autoptr(GError) error = NULL;
  int wait_status;

  if (binary == NULL || !g_file_test (binary, G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;

  argv[0] = binary;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, err, &wait_status,
                &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  *status = WEXITSTATUS (wait_status);

  return TRUE;
}

/* --render with --high-contrast, --presenter and --step 1 writes the
 * page. A --step past the output column (2 for cat-or-dog.json) or
 * below 0, −1 included, is an invalid option, exit status 2, whose
 * message names the value. */
static void
test_render_command_line_step (void)
{
  g_autofree char *example = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "cat-or-dog.json", NULL);
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "step.png", NULL);
  const char *styled[] = { NULL, "--render", path, "--high-contrast", "--presenter", "--step", "1", example, NULL };
  const char *past[] = { NULL, "--render", path, "--step", "3", example, NULL };
  const char *negative[] = { NULL, "--render", path, "--step", "-4", example, NULL };
  const char *minus_one[] = { NULL, "--render", path, "--step", "-1", example, NULL };
  g_autofree char *minus_one_err = NULL;
  g_autofree char *styled_err = NULL;
  g_autofree char *past_err = NULL;
  g_autofree char *negative_err = NULL;
  cairo_surface_t *surface;
  int status;

  if (!run_layerscope (styled, &status, &styled_err))
    {
      g_test_skip ("LAYERSCOPE_BINARY does not name the layerscope binary");
      remove_temp_dir (dir);
      return;
    }
  g_assert_cmpstr (styled_err, ==, "");
  g_assert_cmpint (status, ==, 0);
  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  g_assert_true (run_layerscope (past, &status, &past_err));
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (past_err, "column 3 does not exist"));
  g_assert_nonnull (strstr (past_err, "0 (the input) to 2"));

  g_assert_true (run_layerscope (negative, &status, &negative_err));
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (negative_err, "-4"));

  g_assert_true (run_layerscope (minus_one, &status, &minus_one_err));
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (minus_one_err, "invalid column number -1"));
  remove_temp_dir (dir);
}


/* Returns the WCAG 2.1 contrast ratio of two 0..255 sRGB colours, from
 * the definitions of relative luminance and contrast ratio in WCAG 2.1,
 * written out here instead of taken from ls-palette.c. */
static double
get_wcag_ratio (const double a[3],
                const double b[3])
{
  const double weights[3] = { 0.2126, 0.7152, 0.0722 };
  double luminance[2] = { 0.0, 0.0 };
  const double *colors[2] = { a, b };

  for (guint k = 0; k < 2; k++)
    for (guint i = 0; i < 3; i++)
      {
        double c = colors[k][i] / 255.0;

        luminance[k] += weights[i] * (c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4));
      }

  return (MAX (luminance[0], luminance[1]) + 0.05) / (MIN (luminance[0], luminance[1]) + 0.05);
}

static void
color_to_rgb (const LsColor *color,
              double         rgb[3])
{
  rgb[0] = 255.0 * color->red;
  rgb[1] = 255.0 * color->green;
  rgb[2] = 255.0 * color->blue;
}

/* In the high-contrast style every text colour has a contrast ratio of
 * at least 7:1 with its background, the AAA level of WCAG 2.1 for body
 * text: the titles and captions on the light and the dark background, and
 * the number on every fill of the value scale from −1.5 to +1.5, drawn
 * on the fill itself or on a box of the background colour. */
static void
test_render_high_contrast_text_ratio (void)
{
  for (int dark = 0; dark <= 1; dark++)
    {
      LsRenderStyle style = LS_RENDER_STYLE_INIT;
      LsRenderTheme theme;
      double background[3], foreground[3], secondary[3];

      style.dark = dark;
      style.high_contrast = TRUE;
      ls_render_get_style_theme (&style, &theme);
      color_to_rgb (&theme.background, background);
      color_to_rgb (&theme.foreground, foreground);
      color_to_rgb (&theme.secondary, secondary);
      g_assert_cmpfloat (get_wcag_ratio (foreground, background), >=, 7.0);
      g_assert_cmpfloat (get_wcag_ratio (secondary, background), >=, 7.0);

      for (int step = -30; step <= 30; step++)
        {
          LsColor fill, ink;
          double fill_rgb[3], ink_rgb[3];
          gboolean boxed;

          ls_palette_get_scale_color (step / 20.0, TRUE, &fill);
          boxed = ls_render_get_value_ink (&style, &theme, &fill, &ink);
          color_to_rgb (&fill, fill_rgb);
          color_to_rgb (&ink, ink_rgb);
          if (boxed)
            g_assert_cmpfloat (get_wcag_ratio (ink_rgb, background), >=, 7.0);
          else
            g_assert_cmpfloat (get_wcag_ratio (ink_rgb, fill_rgb), >=, 7.0);
        }
    }
}

/* The high-contrast scale's ends take white text at 9:1 or more and its
 * centre black text at 21:1, so numbers on a neuron at −1, 0 or +1 need
 * no box. The anchors are the 9th steps of ColorBrewer's 9-class Blues
 * (#08306b) and Oranges (#7f2704), and white. */
static void
test_render_high_contrast_anchors (void)
{
  const double white[3] = { 255, 255, 255 };
  const double black[3] = { 0, 0, 0 };
  const double blue[3] = { 0x08, 0x30, 0x6b };
  const double orange[3] = { 0x7f, 0x27, 0x04 };
  double actual[3];
  LsColor color;

  ls_palette_get_scale_color (-1.0, TRUE, &color);
  color_to_rgb (&color, actual);
  assert_color_near (actual, blue, "high contrast at −1");
  g_assert_cmpfloat (get_wcag_ratio (white, blue), >=, 9.0);

  ls_palette_get_scale_color (0.0, TRUE, &color);
  color_to_rgb (&color, actual);
  assert_color_near (actual, white, "high contrast at 0");
  g_assert_cmpfloat (get_wcag_ratio (black, white), >=, 20.9);

  ls_palette_get_scale_color (2.0, TRUE, &color);
  color_to_rgb (&color, actual);
  assert_color_near (actual, orange, "high contrast beyond +1");
  g_assert_cmpfloat (get_wcag_ratio (white, orange), >=, 9.0);
}

/* Lists the example files, sorted, from data/examples. */
static GPtrArray *
list_examples (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_assert_cmpuint (names->len, >=, 8);

  return names;
}

static void
assert_point_inside (const char *what,
                     double      x,
                     double      y,
                     double      margin,
                     double      width,
                     double      height)
{
  if (x - margin < -0.5 || y - margin < -0.5 || x + margin > width + 0.5 || y + margin > height + 0.5)
    g_error ("%s at (%g, %g), %g wide, is not inside %g × %g", what, x, y, 2.0 * margin, width, height);
}

/* Checks that every shown value of every column, each neuron's whole
 * circle, each column's drawing, its title band and the input and
 * output labels lie inside the layout's width × height. */
static void
assert_layout_inside (const char            *name,
                      const LsDiagramLayout *layout)
{
  const LsDiagramColumn *last = &layout->columns[layout->n_columns - 1];

  g_test_message ("%s: %g × %g, text %g px", name, layout->width, layout->height, layout->font_px);
  for (gsize c = 0; c < layout->n_columns; c++)
    {
      const LsDiagramColumn *column = &layout->columns[c];
      double margin = column->kind == LS_DIAGRAM_NEURONS ? layout->radius : 0.0;

      for (gsize unit = 0; unit < column->units; unit++)
        {
          double x, y;

          if (ls_diagram_layout_get_unit_center (layout, c, unit, &x, &y))
            assert_point_inside (name, x, y, margin, layout->width, layout->height);
        }
      assert_point_inside (name, column->bounds.x, column->bounds.y, 0.0, layout->width, layout->height);
      assert_point_inside (name, column->bounds.x + column->bounds.width, column->bounds.y + column->bounds.height,
                           0.0, layout->width, layout->height);
    }

  g_assert_cmpfloat (layout->header_y, >=, 0.0);
  g_assert_cmpfloat (layout->columns[0].x - layout->radius - layout->left_labels, >=, -0.5);
  if (last->kind == LS_DIAGRAM_NEURONS)
    g_assert_cmpfloat (last->x + layout->radius + layout->right_labels, <=, layout->width + 0.5);
  g_assert_cmpfloat (layout->legend_y, <=, layout->height);
}

/* Presenter style at 1920 × 1080: every example's body text and every
 * label size, from the hidden neurons' names at LS_RENDER_MIN_LABEL_EM to
 * the subtitles, is at least 24 px. Its neuron outlines, 1.5 line units
 * wide, are at least 3 px, and every unit, column and label stays inside
 * the diagram. */
static void
test_render_presenter_fits_examples (void)
{
  g_autoptr(GPtrArray) names = list_examples ();
  LsRenderStyle style = LS_RENDER_STYLE_INIT;

  style.presenter = TRUE;
  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(LsNetwork) network = load_example_file (names->pdata[i]);
      g_autoptr(LsDiagramLayout) layout = NULL;
      cairo_rectangle_t diagram, bars;

      ls_render_get_page_areas (network, 1920, 1080, &style, &diagram, &bars);
      layout = ls_diagram_layout_new (network, diagram.width, diagram.height, &style);
      g_assert_cmpfloat (layout->font_px, >=, 24.0);
      g_assert_cmpfloat (ls_render_get_hidden_name_px (layout), >=, 24.0);
      g_assert_cmpfloat (LS_RENDER_MIN_LABEL_EM * layout->font_px, >=, 24.0);
      g_assert_cmpfloat (LS_DIAGRAM_FOOTER_EM * layout->font_px, >=, 24.0);
      g_assert_cmpfloat (LS_DIAGRAM_SUBTITLE_EM * layout->font_px, >=, 24.0);
      g_assert_cmpfloat (LS_DIAGRAM_MAP_LABEL_EM * layout->font_px, >=, 24.0);
      g_assert_cmpfloat (1.5 * layout->line_unit, >=, 3.0);
      assert_layout_inside (names->pdata[i], layout);
    }
}

/* Without the presenter style, the same layout has thinner lines, so the
 * presenter check above is not met by every style. */
static void
test_render_presenter_thickens_lines (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autoptr(LsDiagramLayout) plain = ls_diagram_layout_new (network, 1200, 800, NULL);
  LsRenderStyle style = LS_RENDER_STYLE_INIT;
  g_autoptr(LsDiagramLayout) presenter = NULL;

  style.presenter = TRUE;
  presenter = ls_diagram_layout_new (network, 1200, 800, &style);
  g_assert_cmpfloat (1.5 * plain->line_unit, <, 3.0);
  g_assert_cmpfloat (1.5 * presenter->line_unit, >=, 3.0);
  g_assert_cmpfloat (presenter->font_px, >=, 24.0);
  g_assert_cmpfloat (ls_render_get_font_px (400, &style), >=, 24.0);
}

/* Counts the pixels darker than mid-grey in the square of side 2 ·
 * half around (x, y), where a number in a neuron would be. */
static gsize
count_dark_pixels (cairo_surface_t *surface,
                   double           x,
                   double           y,
                   double           half)
{
  gsize count = 0;

  for (int py = (int) (y - half); py <= (int) (y + half); py++)
    for (int px = (int) (x - half); px <= (int) (x + half); px++)
      {
        double rgb[3];

        read_pixel (surface, px, py, rgb);
        count += rgb[0] + rgb[1] + rgb[2] < 3 * 128;
      }

  return count;
}

/* Stepping to the hidden column (1) of cat-or-dog.json: the hidden
 * neurons keep their colours, and the output neurons, not computed yet,
 * are neutral grey (red = green = blue) without a number. Without a step
 * the same spot shows the orange of Cat's 0.82 and its number. */
static void
test_render_step_pending_columns (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  LsRenderStyle style = LS_RENDER_STYLE_INIT;
  g_autoptr(LsDiagramLayout) stepped = NULL;
  g_autoptr(LsDiagramLayout) plain = ls_diagram_layout_new (network, 1200, 800, NULL);
  cairo_surface_t *surface;
  double x, y, rgb[3], expected[3];
  double radius;

  style.step_column = 1;
  stepped = ls_diagram_layout_new (network, 1200, 800, &style);
  radius = stepped->radius;
  surface = render_diagram_with_style (network, stepped, NULL, &style);

  g_assert_true (ls_diagram_layout_get_unit_center (stepped, 1, 2, &x, &y));
  read_pixel (surface, (int) x, (int) (y - 0.7 * radius), rgb);
  get_expected_color (0.91, expected);
  assert_color_near (rgb, expected, "h3 at step 1");

  g_assert_true (ls_diagram_layout_get_unit_center (stepped, 2, 0, &x, &y));
  read_pixel (surface, (int) x, (int) (y - 0.7 * radius), rgb);
  g_assert_cmpfloat (fabs (rgb[0] - rgb[1]), <=, COLOR_TOLERANCE);
  g_assert_cmpfloat (fabs (rgb[1] - rgb[2]), <=, COLOR_TOLERANCE);
  g_assert_cmpuint (count_dark_pixels (surface, x, y, 0.4 * radius), ==, 0);
  cairo_surface_destroy (surface);

  surface = render_diagram (network, plain, NULL);
  g_assert_true (ls_diagram_layout_get_unit_center (plain, 2, 0, &x, &y));
  read_pixel (surface, (int) x, (int) (y - 0.7 * plain->radius), rgb);
  get_expected_color (LESSON_CAT, expected);
  assert_color_near (rgb, expected, "Cat without a step");
  g_assert_cmpuint (count_dark_pixels (surface, x, y, 0.4 * plain->radius), >, 0);
  cairo_surface_destroy (surface);
}

/* The step column's caption names its layer, and the layout keeps room
 * for it over the titles only while there is a step. */
static void
test_render_step_caption (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autofree char *caption = ls_render_dup_step_caption (network, 1);
  g_autofree char *title = ls_diagram_dup_column_title (network, 1);
  LsRenderStyle style = LS_RENDER_STYLE_INIT;
  g_autoptr(LsDiagramLayout) plain = ls_diagram_layout_new (network, 1200, 800, &style);
  g_autoptr(LsDiagramLayout) stepped = NULL;

  style.step_column = 0;
  stepped = ls_diagram_layout_new (network, 1200, 800, &style);
  g_assert_nonnull (strstr (caption, title));
  g_assert_cmpfloat (stepped->header_y, >, plain->header_y + stepped->font_px);
}

/* Bars before the output is computed are empty: none of the blue of
 * Cat's bar, which the revealed bars show. */
static void
test_render_bars_not_revealed (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  const double blue[3] = { 0x05, 0x71, 0xb0 };
  LsRenderStyle style = LS_RENDER_STYLE_INIT;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
  cairo_t *cr = cairo_create (surface);
  cairo_surface_t *revealed = render_bars (network, 400, 300);

  style.step_column = 1;
  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_paint (cr);
  ls_render_bars (cr, network, 400, 300, &style);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  g_assert_cmpuint (count_pixels (revealed, blue, 0, 0, 400, 300), >, 100);
  g_assert_cmpuint (count_pixels (surface, blue, 0, 0, 400, 300), ==, 0);
  cairo_surface_destroy (revealed);
  cairo_surface_destroy (surface);
}

/* With h3 (column 1, unit 2) highlighted, h3 keeps its colour and h1 is
 * dimmed to LS_RENDER_DIMMED_ALPHA over the white background. */
static void
test_render_highlight_dims_others (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  const LsHighlight highlight = { LS_HIGHLIGHT_UNIT, 1, 2 };
  LsRenderStyle style = LS_RENDER_STYLE_INIT;
  g_autoptr(LsDiagramLayout) layout = ls_diagram_layout_new (network, 1200, 800, NULL);
  cairo_surface_t *surface;
  double x, y, rgb[3], expected[3];

  style.highlights = &highlight;
  style.n_highlights = 1;
  surface = render_diagram_with_style (network, layout, NULL, &style);

  g_assert_true (ls_diagram_layout_get_unit_center (layout, 1, 2, &x, &y));
  read_pixel (surface, (int) x, (int) (y - 0.7 * layout->radius), rgb);
  get_expected_color (0.91, expected);
  assert_color_near (rgb, expected, "highlighted h3");

  g_assert_true (ls_diagram_layout_get_unit_center (layout, 1, 0, &x, &y));
  read_pixel (surface, (int) x, (int) (y - 0.7 * layout->radius), rgb);
  get_expected_color (0.62, expected);
  for (guint i = 0; i < 3; i++)
    expected[i] = LS_RENDER_DIMMED_ALPHA * expected[i] + (1.0 - LS_RENDER_DIMMED_ALPHA) * 255.0;
  assert_color_near (rgb, expected, "dimmed h1");
  cairo_surface_destroy (surface);
}

/* A focus on h3 (column 1, unit 2) at step 1 dims nothing, as presenter
 * mode shows a neuron's formula. h1 and the input x1 keep their full
 * colours for 0.62 and 0.5, the values of cat-or-dog.json, and a ring of
 * the glow yellow LS_RENDER_GLOW_RGB surrounds h3. */
static void
test_render_focus_dims_nothing (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  const LsHighlight focus = { LS_HIGHLIGHT_FOCUS, 1, 2 };
  const double glow[3] = { 0xf5, 0xc2, 0x11 };
  LsRenderStyle style = LS_RENDER_STYLE_INIT;
  g_autoptr(LsDiagramLayout) layout = NULL;
  cairo_surface_t *surface;
  double x, y, rgb[3], expected[3];
  double reach;

  style.step_column = 1;
  style.highlights = &focus;
  style.n_highlights = 1;
  layout = ls_diagram_layout_new (network, 1200, 800, &style);
  surface = render_diagram_with_style (network, layout, NULL, &style);

  g_assert_true (ls_diagram_layout_get_unit_center (layout, 1, 0, &x, &y));
  read_pixel (surface, (int) x, (int) (y - 0.7 * layout->radius), rgb);
  get_expected_color (0.62, expected);
  assert_color_near (rgb, expected, "h1 beside the focus");

  g_assert_true (ls_diagram_layout_get_unit_center (layout, 0, 0, &x, &y));
  read_pixel (surface, (int) x, (int) (y - 0.7 * layout->radius), rgb);
  get_expected_color (0.5, expected);
  assert_color_near (rgb, expected, "input x1 beside the focus");

  g_assert_true (ls_diagram_layout_get_unit_center (layout, 1, 2, &x, &y));
  reach = 2.0 * layout->radius;
  g_assert_cmpuint (count_pixels (surface, glow, x - reach, y - reach, x + reach, y + reach), >, 20);
  cairo_surface_destroy (surface);
}

/* A page of any size from 320 × 240 to 8000 × 8000, wide or tall, fits
 * every example's whole diagram and a bar for every output. */
static void
test_render_page_fits_any_size (void)
{
  const DiagramSize sizes[] = {
    { 320, 240 }, { 640, 480 }, { 1280, 720 }, { 1920, 1080 }, { 4000, 800 }, { 800, 4000 }, { 8000, 8000 },
  };
  g_autoptr(GPtrArray) names = list_examples ();

  for (guint i = 0; i < names->len; i++)
    for (gsize k = 0; k < G_N_ELEMENTS (sizes); k++)
      {
        g_autoptr(LsNetwork) network = load_example_file (names->pdata[i]);
        g_autoptr(LsDiagramLayout) layout = NULL;
        g_autofree char *case_name = g_strdup_printf ("%s at %d × %d", (char *) names->pdata[i], sizes[k].width,
                                                 sizes[k].height);
        cairo_rectangle_t diagram, bars;
        LsRenderStyle bars_style;

        ls_render_get_page_areas (network, sizes[k].width, sizes[k].height, NULL, &diagram, &bars);
        g_assert_cmpfloat (diagram.y + diagram.height, <=, sizes[k].height);
        g_assert_cmpfloat (bars.x + bars.width, <=, sizes[k].width);
        layout = ls_diagram_layout_new (network, diagram.width, diagram.height, NULL);
        assert_layout_inside (case_name, layout);

        ls_render_get_page_bars_style (network, &bars, NULL, &bars_style);
        g_assert_cmpfloat (ls_render_bars_get_height (network, bars.width, ls_network_get_output_size (network),
                                                      &bars_style),
                           <=, bars.height);
      }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  have_display = gtk_init_check ();

  g_test_add_func ("/render/plane-map-matches", test_render_plane_map_matches);
  g_test_add_func ("/render/unit-map-in-neuron", test_render_unit_map_in_neuron);
  g_test_add_func ("/render/decision-map-binary", test_render_decision_map_binary);
  g_test_add_func ("/render/decision-map-classes", test_render_decision_map_classes);
  g_test_add_func ("/render/decision-map-points", test_render_decision_map_points);
  g_test_add_func ("/render/decision-map-hit", test_render_decision_map_hit);
  g_test_add_func ("/render/decision-map-y-name-gap", test_render_decision_map_y_name_gap);
  g_test_add_func ("/render/decision-map-regression", test_render_decision_map_regression);
  g_test_add_func ("/render/bars-class-colors", test_render_bars_class_colors);

  g_test_add_func ("/render/png-neuron-colors", test_render_png_colors);
  g_test_add_func ("/render/png-negative-and-saturated", test_render_png_negative_and_saturated);
  g_test_add_func ("/render/command-line-png", test_render_command_line);
  g_test_add_func ("/render/svg-and-pdf-headers", test_render_vector_files);
  g_test_add_func ("/render/file-errors", test_render_file_errors);
  g_test_add_func ("/render/file/svg-sharp-pixels", test_render_svg_sharp_pixels);
  g_test_add_func ("/render/file/png-scale", test_render_png_scale);
  g_test_add_func ("/render/file/no-buttons", test_render_page_no_buttons);
  g_test_add_func ("/render/hit-neuron-centers", test_render_hit_neurons);
  g_test_add_func ("/render/hit-edge-midpoints", test_render_hit_edges);
  g_test_add_func ("/render/compact-columns", test_render_compact_columns);
  g_test_add_func ("/render/compact-threshold", test_render_compact_threshold);
  g_test_add_func ("/render/draw-is-read-only", test_render_draw_is_read_only);
  g_test_add_func ("/render/selected-neuron-ring", test_render_selected_neuron_ring);
  g_test_add_func ("/render/bars-softmax", test_render_bars_softmax);
  g_test_add_func ("/render/bars-overflow", test_render_bars_overflow);
  g_test_add_func ("/render/overflow-not-a-number", test_render_overflow_not_a_number);
  g_test_add_func ("/render/bars-values", test_render_bars_values);
  g_test_add_func ("/render/small-columns-whole", test_render_small_columns_whole);
  g_test_add_func ("/render/ten-outputs-whole", test_render_ten_outputs_whole);
  g_test_add_func ("/render/font-scale-image-network", test_render_font_scale_image_network);
  g_test_add_func ("/render/font-scale-titles-grow", test_render_font_scale_titles_grow);
  g_test_add_func ("/render/column-titles", test_render_column_titles);
  g_test_add_func ("/render/short-labels", test_render_short_labels);
  g_test_add_func ("/render/selected-name-above-ring", test_render_selected_name_above_ring);
  g_test_add_func ("/render/selected-input-edges", test_render_selected_input_edges);
  g_test_add_func ("/render/neuron-value-text", test_render_neuron_value_text);
  g_test_add_func ("/render/value-forms-consistent", test_render_value_forms_consistent);
  g_test_add_func ("/render/bars-ties", test_render_bars_ties);
  g_test_add_func ("/render/bars-captions", test_render_bars_captions);
  g_test_add_func ("/render/image-input-aspect", test_render_image_input_aspect);
  g_test_add_func ("/render/tile-count", test_render_tile_count);
  g_test_add_func ("/render/tile-overflow", test_render_tile_overflow);
  g_test_add_func ("/render/many-filters", test_render_many_filters);
  g_test_add_func ("/render/narrow-columns", test_render_narrow_columns);
  g_test_add_func ("/render/text-box-wrapping", test_render_text_box_wrapping);
  g_test_add_func ("/render/hit-tile-pixel", test_render_hit_tile_pixel);
  g_test_add_func ("/render/receptive-field", test_render_receptive_field);
  g_test_add_func ("/render/image-pixels", test_render_image_pixels);
  g_test_add_func ("/render/ranked-edges", test_render_ranked_edges);
  g_test_add_func ("/render/edges-small-and-silent", test_render_edges_small_and_silent);
  g_test_add_func ("/render/tile-cache", test_render_tile_cache);
  g_test_add_func ("/render/scaled-feature-maps", test_render_scaled_feature_maps);
  g_test_add_func ("/render/scaled-zero-feature-maps", test_render_scaled_zero_feature_maps);
  g_test_add_func ("/render/expanded-column", test_render_expanded_column);
  g_test_add_func ("/render/token-rows-aligned", test_render_token_rows_aligned);
  g_test_add_func ("/render/hit-token-cells", test_render_hit_token_cells);
  g_test_add_func ("/render/attention-arc-style", test_render_attention_arc_style);
  g_test_add_func ("/render/attention-arcs", test_render_attention_arcs);
  g_test_add_func ("/render/attention-map-colors", test_render_attention_map_colors);
  g_test_add_func ("/render/attention-not-a-number", test_render_attention_not_a_number);
  g_test_add_func ("/render/sequence-cell-colors", test_render_sequence_cell_colors);
  g_test_add_func ("/render/unknown-token-note", test_render_unknown_token_note);
  g_test_add_func ("/render/sentiment-maps", test_render_sentiment_maps);
  g_test_add_func ("/render/attention-maps-many-heads", test_render_attention_maps_many_heads);
  g_test_add_func ("/render/attention-maps-partial", test_render_attention_maps_partial);
  g_test_add_func ("/render/attention-map-labels", test_render_attention_map_labels);
  g_test_add_func ("/render/attention-arc-labels-apart", test_render_attention_arc_labels_apart);
  g_test_add_func ("/render/attention-self-arc-label", test_render_attention_self_arc_label);
  g_test_add_func ("/render/attention-arc-labels-strongest", test_render_attention_arc_labels_strongest);
  g_test_add_func ("/render/attention-masked-cells", test_render_attention_masked_cells);
  g_test_add_func ("/render/first-token-pool-band", test_render_first_token_pool_band);
  g_test_add_func ("/render/heads-legend-complete", test_render_heads_legend_complete);
  g_test_add_func ("/render/sequence-width-cap", test_render_sequence_width_cap);
  g_test_add_func ("/render/unknown-word-keeps-columns", test_render_unknown_word_keeps_columns);
  g_test_add_func ("/render/token-titles-scaled", test_render_token_titles_scaled);
  g_test_add_func ("/render/token-rows-few-taller", test_render_token_rows_few_taller);
  g_test_add_func ("/render/token-labels-scaled", test_render_token_labels_scaled);
  g_test_add_func ("/render/token-rows-apart", test_render_token_rows_apart);
  g_test_add_func ("/render/view-min-width", test_render_view_min_width);
  g_test_add ("/render/view-scroll-selected-edge", ViewFixture, NULL,
              view_fixture_set_up, test_render_view_scroll_selected_edge, view_fixture_tear_down);
  g_test_add ("/render/view-drag-selected-edge", ViewFixture, NULL,
              view_fixture_set_up, test_render_view_drag_selected_edge, view_fixture_tear_down);
  g_test_add_func ("/render/view-keys-on-tiles", test_render_view_keys_on_tiles);
  g_test_add_func ("/render/view-keys-on-neurons", test_render_view_keys_on_neurons);
  g_test_add_func ("/render/view-expander-click", test_render_view_expander_click);
  g_test_add_func ("/render/hidden-names-clear", test_render_hidden_names_clear);
  g_test_add_func ("/render/high-contrast-text-ratio", test_render_high_contrast_text_ratio);
  g_test_add_func ("/render/high-contrast-anchors", test_render_high_contrast_anchors);
  g_test_add_func ("/render/presenter-fits-examples", test_render_presenter_fits_examples);
  g_test_add_func ("/render/focus-dims-nothing", test_render_focus_dims_nothing);
  g_test_add_func ("/render/presenter-thickens-lines", test_render_presenter_thickens_lines);
  g_test_add_func ("/render/step-pending-columns", test_render_step_pending_columns);
  g_test_add_func ("/render/step-caption", test_render_step_caption);
  g_test_add_func ("/render/bars-not-revealed", test_render_bars_not_revealed);
  g_test_add_func ("/render/highlight-dims-others", test_render_highlight_dims_others);
  g_test_add_func ("/render/page-fits-any-size", test_render_page_fits_any_size);
  g_test_add_func ("/render/command-line-step", test_render_command_line_step);

  return g_test_run ();
}
