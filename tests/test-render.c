/* test-render.c: the diagram's colours and layout, the bars, the output
 * files and hit-testing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-render"

#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "ls-document.h"
#include "ls-engine.h"
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

/* The ring around a selected neuron in the light theme. */
static const double ring_rgb[3] = { 0x1a, 0x1a, 0x1a };

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
load_example (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "cat-or-dog.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  LsNetwork *network = ls_document_load_file (file, &error);

  g_assert_no_error (error);
  g_assert_nonnull (network);

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
  g_assert_true (ls_diagram_layout_get_neuron_center (layout, column, unit, &cx, &cy));
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
      g_assert_true (ls_diagram_layout_get_neuron_center (layout, neuron->column, neuron->unit, &x, &y));
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
      g_assert_true (ls_diagram_layout_get_neuron_center (layout, edge->column - 1, edge->input, &x0, &y0));
      g_assert_true (ls_diagram_layout_get_neuron_center (layout, edge->column, edge->unit, &x1, &y1));

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
          if (!ls_diagram_layout_get_neuron_center (layout, c, unit, &x, &y))
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
      g_assert_true (ls_diagram_layout_get_neuron_center (layout, c, 0, NULL, NULL));
      g_assert_true (ls_diagram_layout_get_neuron_center (layout, c, units[c] - 1, NULL, NULL));
      if (units[c] <= 40)
        {
          g_assert_cmpuint (n_shown, ==, units[c]);
          continue;
        }

      /* a handful shown, and the ellipsis between head and tail is no neuron */
      g_assert_cmpuint (n_shown, >=, 4);
      g_assert_cmpuint (n_shown, <=, 24);
      g_assert_false (ls_diagram_layout_get_neuron_center (layout, c, last_head + 1, NULL, NULL));
      g_assert_cmpfloat (tail_y, >, head_y);
      g_assert_false (ls_diagram_layout_hit (layout, network, x, (head_y + tail_y) / 2.0, &hit) &&
                      hit.kind == LS_SELECTION_NEURON);
    }
}

/* Above 40 units a column is compact even where all its neurons would
 * fit, as in this 8000-pixel-high drawing; at 40 it is not. */
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
    g_assert_true (ls_diagram_layout_get_neuron_center (layout, 1, unit, NULL, NULL));
  g_assert_false (ls_diagram_layout_get_neuron_center (layout, 2, 20, NULL, NULL));
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

  g_assert_true (ls_diagram_layout_get_neuron_center (layout, 1, 2, &x, &y));

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

/* Softmax bars: Cat fills 82.0 % of its track in the full positive colour
 * and Dog 18.0 % in the colour halfway to it. */
static void
test_render_bars_softmax (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  cairo_surface_t *surface = render_bars (network, 400, 300);
  double light_rgb[3];
  int bar, track, start;

  measure_bar (surface, positive_rgb, &bar, &track, &start);
  g_assert_cmpint (bar, >, 0);
  g_assert_cmpfloat_with_epsilon ((double) bar / (bar + track), LESSON_CAT, 0.02);

  get_expected_color (0.5, light_rgb);
  measure_bar (surface, light_rgb, &bar, &track, &start);
  g_assert_cmpint (bar, >, 0);
  g_assert_cmpfloat_with_epsilon ((double) bar / (bar + track), LESSON_DOG, 0.02);

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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/png-neuron-colors", test_render_png_colors);
  g_test_add_func ("/render/png-negative-and-saturated", test_render_png_negative_and_saturated);
  g_test_add_func ("/render/command-line-png", test_render_command_line);
  g_test_add_func ("/render/svg-and-pdf-headers", test_render_vector_files);
  g_test_add_func ("/render/file-errors", test_render_file_errors);
  g_test_add_func ("/render/hit-neuron-centers", test_render_hit_neurons);
  g_test_add_func ("/render/hit-edge-midpoints", test_render_hit_edges);
  g_test_add_func ("/render/compact-columns", test_render_compact_columns);
  g_test_add_func ("/render/compact-threshold", test_render_compact_threshold);
  g_test_add_func ("/render/draw-is-read-only", test_render_draw_is_read_only);
  g_test_add_func ("/render/selected-neuron-ring", test_render_selected_neuron_ring);
  g_test_add_func ("/render/bars-softmax", test_render_bars_softmax);
  g_test_add_func ("/render/bars-values", test_render_bars_values);

  return g_test_run ();
}
