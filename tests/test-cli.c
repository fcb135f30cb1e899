/* test-cli.c: the --forward, --render and --train command line, run as a process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli"

#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "ls-cli.h"
#include "ls-document.h"
#include "ls-engine.h"

/* The lesson network cat-or-dog.json, worked by hand with input
 * (0.5, 0.8, 0.2):
 *   hidden pre-activation = x·W1 + b1
 *     0.5×0.4 + 0.8×0.5 + 0.2×0.1 + 0     =  0.62
 *     0.5×−0.3 + 0.8×−0.2 + 0.2×0.4 + 0   = −0.23, so ReLU gives 0
 *     0.5×0.7 + 0.8×0.6 + 0.2×0.2 + 0.04  =  0.91
 *     0.5×−0.2 + 0.8×0.3 + 0.2×0.1 − 0.01 =  0.15
 *   output pre-activation = 1.484 (Cat) and −0.034 (Dog), and
 *   softmax gives Cat = 1 / (1 + e^(−1.518)) = 0.820244, which NumPy 1.24
 *   computes in float32 as 0.82024384. */
static const float lesson_hidden[] = { 0.62f, 0.0f, 0.91f, 0.15f };
static const float lesson_hidden_pre[] = { 0.62f, -0.23f, 0.91f, 0.15f };
static const float lesson_cat = 0.820244f;

/* The same network with --input 1,0,0: hidden = ReLU (0.4, −0.3, 0.74,
 * −0.21) = (0.4, 0, 0.74, 0), output (1.174, 0.072), and softmax gives
 * Cat = 1 / (1 + e^(−1.102)) = 0.750635 (NumPy: 0.7506347). */
static const float override_hidden[] = { 0.4f, 0.0f, 0.74f, 0.0f };
static const float override_cat = 0.750635f;

typedef struct
{
  int status;    /* exit status, or -1 when a signal ended the process */
  char *out;
  char *err;
} CliResult;

static void
cli_result_clear (CliResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

static char *
dup_example_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "examples", name, NULL);
}

/* Runs the layerscope binary that meson names in LAYERSCOPE_BINARY with
 * the given arguments, after the program name, and the given environment
 * (NULL for the test's own). */
static void
run_cli_with_env (CliResult          *result,
                  const char * const *args,
                  char              **envp)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("LAYERSCOPE_BINARY");
  int wait_status;

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (char *) binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &result->out, &result->err, &wait_status, &error);
  g_assert_no_error (error);

  result->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", result->status, result->out, result->err);
}

static void
run_cli (CliResult          *result,
         const char * const *args)
{
  run_cli_with_env (result, args, NULL);
}

static gboolean
binary_available (void)
{
  if (g_getenv ("LAYERSCOPE_BINARY") != NULL)
    return TRUE;

  g_test_skip ("LAYERSCOPE_BINARY is not set; run this test through meson test");
  return FALSE;
}

static void
assert_matches (const char *text,
                const char *pattern)
{
  if (!g_regex_match_simple (pattern, text, G_REGEX_MULTILINE, 0))
    g_error ("no match for /%s/ in:\n%s", pattern, text);
}

/* Checks the one-line message and that nothing went to stdout. */
static void
assert_failed_with (const CliResult *result,
                    int              status,
                    const char      *message)
{
  g_assert_cmpint (result->status, ==, status);
  g_assert_cmpstr (result->out, ==, "");
  g_assert_true (g_str_has_prefix (result->err, "layerscope: "));
  g_assert_cmpstr (strchr (result->err, '\n'), ==, "\n");
  if (strstr (result->err, message) == NULL)
    g_error ("expected “%s” in the message, got: %s", message, result->err);
}

/* ---------------------------------------------------------------------
 * --forward as text
 * --------------------------------------------------------------------- */

static void
test_forward_text (void)
{
  g_autofree char *path = dup_example_path ("cat-or-dog.json");
  const char *default_args[] = { "--forward", NULL };
  const char *file_args[] = { "--forward", path, NULL };
  const char * const *runs[] = { default_args, file_args };

  if (!binary_available ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_auto(CliResult) result = { 0 };

      run_cli (&result, runs[i]);
      g_assert_cmpint (result.status, ==, 0);
      g_assert_cmpstr (result.err, ==, "");
      assert_matches (result.out, "^Cat or dog\\?$");
      assert_matches (result.out, "^Layer 1 · hidden · Dense \\[4\\] · ReLU$");
      assert_matches (result.out, "^  pre-activation +0\\.62 +-0\\.23 +0\\.91 +0\\.15$");
      assert_matches (result.out, "^  activation +0\\.62 +0\\.00 +0\\.91 +0\\.15$");
      assert_matches (result.out, "^Layer 2 · output · Dense \\[2\\] · Softmax$");
      assert_matches (result.out, "^  Cat +82\\.0 %$");
      assert_matches (result.out, "^  Dog +18\\.0 %$");
      assert_matches (result.out, "^Parameters: weights 20, biases 6, total 26$");
    }
}

/* A sigmoid output shows its value, not a percentage. The weighted sum is
 * 2 × 6 − 10 = 2, and sigmoid (2) = 0.880797. */
static void
test_forward_text_sigmoid (void)
{
  g_autofree char *path = dup_example_path ("greater-than-five.json");
  const char *args[] = { "--forward", path, NULL };
  g_auto(CliResult) result = { 0 };

  if (!binary_available ())
    return;

  run_cli (&result, args);
  g_assert_cmpint (result.status, ==, 0);
  assert_matches (result.out, "^  x > 5 +0\\.88$");
  g_assert_null (strstr (result.out, "%"));
}

/* ---------------------------------------------------------------------
 * --forward --json
 * --------------------------------------------------------------------- */

static JsonObject *
parse_json_output (JsonParser *parser,
                   const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_node_get_object (root);
}

/* Checks that object has exactly the keys in the NULL-terminated list. */
static void
assert_keys (JsonObject         *object,
             const char * const *keys)
{
  g_autoptr(GList) members = json_object_get_members (object);

  g_assert_cmpuint (g_list_length (members), ==, g_strv_length ((char **) keys));
  for (guint i = 0; keys[i] != NULL; i++)
    if (!json_object_has_member (object, keys[i]))
      g_error ("missing key “%s”", keys[i]);
}

/* Checks a JSON array of numbers against the engine's floats, bit for bit
 * once read back as float. */
static void
assert_numbers_identical (JsonArray   *array,
                          const float *expected,
                          gsize        n)
{
  g_assert_cmpuint (json_array_get_length (array), ==, n);
  for (gsize i = 0; i < n; i++)
    {
      float value = (float) json_array_get_double_element (array, i);

      if (memcmp (&value, &expected[i], sizeof value) != 0)
        g_error ("element %" G_GSIZE_FORMAT ": %a, but the engine has %a",
                 i, (double) value, (double) expected[i]);
    }
}

static void
assert_numbers_near (JsonArray   *array,
                     const float *expected,
                     gsize        n)
{
  g_assert_cmpuint (json_array_get_length (array), ==, n);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (json_array_get_double_element (array, i), expected[i], 1e-6);
}

static LsNetwork *
load_network (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  LsNetwork *network = ls_document_load_file (file, &error);

  g_assert_no_error (error);

  return network;
}

/* Checks every layer of the JSON output against the engine's forward pass
 * of the same network. */
static void
assert_layers_match_engine (JsonArray *layers,
                            LsNetwork *network)
{
  static const char * const keys[] = { "name", "type", "shape", "pre_activation", "activation", NULL };
  static const char * const attention_keys[] = {
    "name", "type", "shape", "pre_activation", "activation", "attention", NULL
  };

  g_assert_cmpuint (json_array_get_length (layers), ==, ls_network_get_n_layers (network));
  for (guint i = 0; i < json_array_get_length (layers); i++)
    {
      JsonObject *object = json_array_get_object_element (layers, i);
      const LsLayer *layer = ls_network_get_layer (network, i);
      JsonArray *shape = json_object_get_array_member (object, "shape");
      gsize n = ls_layer_get_outputs (layer);

      assert_keys (object, layer->kind == LS_LAYER_ATTENTION ? attention_keys : keys);
      g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, layer->name);
      g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, ls_layer_kind_get_name (layer->kind));
      g_assert_cmpuint (json_array_get_length (shape), ==, layer->output_shape.rank);
      for (guint d = 0; d < layer->output_shape.rank; d++)
        g_assert_cmpint (json_array_get_int_element (shape, d), ==, layer->output_shape.dims[d]);
      assert_numbers_identical (json_object_get_array_member (object, "pre_activation"),
                                layer->pre_activation, n);
      assert_numbers_identical (json_object_get_array_member (object, "activation"),
                                layer->activation_output, n);
    }
}

static void
test_forward_json (void)
{
  static const char * const root_keys[] = { "input", "layers", "output", "parameters", NULL };
  static const char * const input_keys[] = { "shape", "values", NULL };
  static const char * const output_keys[] = { "labels", "values", NULL };
  static const char * const parameter_keys[] = { "weights", "biases", "total", NULL };
  g_autofree char *path = dup_example_path ("cat-or-dog.json");
  const char *args[] = { "--forward", "--json", path, NULL };
  g_auto(CliResult) result = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(LsNetwork) network = load_network (path);
  JsonObject *root, *input, *hidden, *output, *parameters;
  JsonArray *labels, *shape;

  if (!binary_available ())
    return;

  run_cli (&result, args);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.err, ==, "");
  root = parse_json_output (parser, result.out);
  assert_keys (root, root_keys);
  assert_layers_match_engine (json_object_get_array_member (root, "layers"), network);

  input = json_object_get_object_member (root, "input");
  assert_keys (input, input_keys);
  shape = json_object_get_array_member (input, "shape");
  g_assert_cmpuint (json_array_get_length (shape), ==, 1);
  g_assert_cmpint (json_array_get_int_element (shape, 0), ==, 3);
  assert_numbers_identical (json_object_get_array_member (input, "values"), ls_network_get_input (network), 3);

  hidden = json_array_get_object_element (json_object_get_array_member (root, "layers"), 0);
  assert_numbers_near (json_object_get_array_member (hidden, "activation"), lesson_hidden, 4);
  assert_numbers_near (json_object_get_array_member (hidden, "pre_activation"), lesson_hidden_pre, 4);

  output = json_object_get_object_member (root, "output");
  assert_keys (output, output_keys);
  labels = json_object_get_array_member (output, "labels");
  g_assert_cmpuint (json_array_get_length (labels), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (labels, 0), ==, "Cat");
  g_assert_cmpstr (json_array_get_string_element (labels, 1), ==, "Dog");
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (json_object_get_array_member (output, "values"), 0),
                                  lesson_cat, 1e-6);

  /* 3×4 + 4×2 = 20 weights and 4 + 2 = 6 biases. */
  parameters = json_object_get_object_member (root, "parameters");
  assert_keys (parameters, parameter_keys);
  g_assert_cmpint (json_object_get_int_member (parameters, "weights"), ==, 20);
  g_assert_cmpint (json_object_get_int_member (parameters, "biases"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (parameters, "total"), ==, 26);
}

static void
test_forward_input_override (void)
{
  g_autofree char *path = dup_example_path ("cat-or-dog.json");
  const char *separate[] = { "--forward", "--json", "--input", "1,0,0", path, NULL };
  const char *joined[] = { "--json", "--input=1, 0 ,0", "--forward", path, NULL };
  const char * const *runs[] = { separate, joined };
  const float input[] = { 1.0f, 0.0f, 0.0f };
  g_autoptr(LsNetwork) network = load_network (path);

  if (!binary_available ())
    return;

  g_assert_true (ls_network_set_input (network, input, 3, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_auto(CliResult) result = { 0 };
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *root, *hidden, *output;

      run_cli (&result, runs[i]);
      g_assert_cmpint (result.status, ==, 0);
      root = parse_json_output (parser, result.out);
      assert_layers_match_engine (json_object_get_array_member (root, "layers"), network);

      hidden = json_array_get_object_element (json_object_get_array_member (root, "layers"), 0);
      assert_numbers_near (json_object_get_array_member (hidden, "activation"), override_hidden, 4);
      output = json_object_get_object_member (root, "output");
      g_assert_cmpfloat_with_epsilon (json_array_get_double_element (json_object_get_array_member (output, "values"), 0),
                                      override_cat, 1e-6);
    }
}

/* A value starting with '-' still goes to --input. */
static void
test_forward_negative_input (void)
{
  g_autofree char *path = dup_example_path ("cat-or-dog.json");
  const char *args[] = { "--forward", "--input", "-1,0.5,0", path, NULL };
  g_auto(CliResult) result = { 0 };

  if (!binary_available ())
    return;

  /* By hand: hidden = ReLU (−0.15, 0.2, −0.36, 0.34), and NumPy gives
   * Cat = 0.28781906. */
  run_cli (&result, args);
  g_assert_cmpint (result.status, ==, 0);
  assert_matches (result.out, "^  activation +0\\.00 +0\\.20 +0\\.00 +0\\.34$");
  assert_matches (result.out, "^  Cat +28\\.8 %$");
}

/* --input reads numbers as the window's fields do: "−1" with a Unicode
 * minus is -1, so the result matches the run with "-1" above. */
static void
test_forward_unicode_minus (void)
{
  g_autofree char *path = dup_example_path ("cat-or-dog.json");
  const char *args[] = { "--forward", "--input=−1, 0.5 ,0", path, NULL };
  g_auto(CliResult) result = { 0 };

  if (!binary_available ())
    return;

  run_cli (&result, args);
  g_assert_cmpint (result.status, ==, 0);
  assert_matches (result.out, "^  values +-1\\.00 +0\\.50 +0\\.00$");
  assert_matches (result.out, "^  Cat +28\\.8 %$");
}

/* With inputs of 3.4e38, the hidden layer's third unit sums
 * 0.7 × 3.4e38 + 0.6 × 3.4e38 = 4.42e38, beyond FLT_MAX (3.4028235e38),
 * so the forward pass gives infinity there and NaN after softmax. */
static void
test_forward_overflow (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "overflow.png", NULL);
  const char *text_args[] = { "--forward", "--input=3.4e38,3.4e38,0", NULL };
  const char *json_args[] = { "--forward", "--json", "--input=3.4e38,3.4e38,0", NULL };
  const char *render_args[] = { "--render", png, "--input=3.4e38,3.4e38,0", NULL };
  const char * const *runs[] = { text_args, json_args, render_args };

  if (!binary_available ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_auto(CliResult) result = { 0 };

      run_cli (&result, runs[i]);
      assert_failed_with (&result, 1,
                          "layerscope: layer 1 (hidden): the weighted sums exceeded the float range "
                          "(±3.4e38), so its values are not finite numbers; use smaller inputs or weights\n");
    }
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));

  g_rmdir (dir);
}

/* Layers without a name and units without a label become null in JSON
 * and "unit N" in text. */
static void
test_forward_unnamed (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "plain.json", NULL);
  const char *json_args[] = { "--forward", "--json", path, NULL };
  const char *text_args[] = { "--forward", path, NULL };
  g_auto(CliResult) json_result = { 0 };
  g_auto(CliResult) text_result = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *layer, *output;

  if (!binary_available ())
    return;

  g_assert_true (g_file_set_contents (path,
    "{\"format\": \"layerscope-network\", \"version\": 1, \"input\": {\"shape\": [1], \"values\": [1]},"
    " \"layers\": [{\"type\": \"dense\", \"units\": 2, \"activation\": \"identity\","
    " \"weights\": [[1e-7, -2e6]], \"bias\": [0, 0]}]}", -1, NULL));

  run_cli (&json_result, json_args);
  g_assert_cmpint (json_result.status, ==, 0);
  root = parse_json_output (parser, json_result.out);
  layer = json_array_get_object_element (json_object_get_array_member (root, "layers"), 0);
  g_assert_true (json_object_get_null_member (layer, "name"));
  output = json_object_get_object_member (root, "output");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (json_object_get_array_member (output, "labels"), 0)));

  /* Values too small or too large for two decimals switch to an exponent. */
  run_cli (&text_result, text_args);
  g_assert_cmpint (text_result.status, ==, 0);
  assert_matches (text_result.out, "^Layer 1 · Dense \\[2\\] · Identity$");
  assert_matches (text_result.out, "^  activation +1\\.00e-07 +-2\\.00e\\+06$");
  assert_matches (text_result.out, "^  unit 1 +1\\.00e-07$");

  g_unlink (path);
  g_rmdir (dir);
}

/* ---------------------------------------------------------------------
 * Image networks and --input-image
 * --------------------------------------------------------------------- */

/* Writes dir/name, a network whose layers keep the input recognisable:
 * 1×2 max pooling, then flatten. input_shape is the document's text for
 * it, such as "[1, 4, 4]". */
static char *
write_image_network (const char *dir,
                     const char *name,
                     const char *input_shape)
{
  g_autofree char *text = g_strdup_printf (
    "{\"format\": \"layerscope-network\", \"version\": 2, \"input\": {\"shape\": %s},"
    " \"layers\": [{\"type\": \"maxpool2d\", \"name\": \"pool\", \"size\": [1, 2]},"
    " {\"type\": \"flatten\"}]}", input_shape);
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));

  return path;
}

/* Writes pixels, [height][width][3 or 4] bytes, as a PNG, JPEG or BMP file. */
static char *
write_image (const char   *dir,
             const char   *name,
             const char   *type,
             const guint8 *pixels,
             int           width,
             int           height,
             gboolean      has_alpha)
{
  int n_channels = has_alpha ? 4 : 3;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_data (pixels, GDK_COLORSPACE_RGB, has_alpha, 8, width, height,
                                                          width * n_channels, NULL, NULL);
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (g_str_equal (type, "jpeg"))
    gdk_pixbuf_save (pixbuf, path, type, &error, "quality", "95", NULL);
  else
    gdk_pixbuf_save (pixbuf, path, type, &error, NULL);
  g_assert_no_error (error);

  return path;
}

/* Runs --forward --json with --input-image and returns input.values. */
static JsonArray *
run_input_image (JsonParser *parser,
                 const char *image_path,
                 const char *network_path)
{
  const char *args[] = { "--forward", "--json", "--input-image", image_path, network_path, NULL };
  g_auto(CliResult) result = { 0 };
  JsonObject *root;

  run_cli (&result, args);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.err, ==, "");
  root = parse_json_output (parser, result.out);

  return json_object_get_array_member (json_object_get_object_member (root, "input"), "values");
}

static void
assert_values_near (JsonArray   *values,
                    const float *expected,
                    gsize        n,
                    double       tolerance)
{
  g_assert_cmpuint (json_array_get_length (values), ==, n);
  for (gsize i = 0; i < n; i++)
    {
      double value = json_array_get_double_element (values, i);

      if (fabs (value - expected[i]) > tolerance)
        g_error ("value %" G_GSIZE_FORMAT ": %.7g, expected %.7g ± %.2g", i, value, expected[i], tolerance);
    }
}

/* A grey 2×2 image of 0, 100 / 200, 40 scaled up to 4×4. GdkPixbuf's
 * bilinear filter samples each output pixel's centre: output column x
 * sits at (x + 0.5) / 2 − 0.5 = −0.25, 0.25, 0.75 and 1.25 in the input,
 * clamped at the edges, so the weights of the two input columns are
 * (1, 0), (0.75, 0.25), (0.25, 0.75) and (0, 1), and the same for rows.
 * By hand the top row is 0, 25, 75, 100, the bottom row 200, 160, 80, 40,
 * and the rows between mix them 3 : 1 and 1 : 3. For grey pixels the
 * luminance is the grey level itself. Each result is rounded to a byte,
 * hence the tolerance of one step, 1/255. */
static void
test_input_image_png (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *network_path = write_image_network (dir, "image.json", "[1, 4, 4]");
  const guint8 pixels[] = { 0, 0, 0, 100, 100, 100, 200, 200, 200, 40, 40, 40 };
  g_autofree char *image_path = write_image (dir, "grey.png", "png", pixels, 2, 2, FALSE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  const float expected[] = {
    0 / 255.0f, 25 / 255.0f, 75 / 255.0f, 100 / 255.0f,
    50 / 255.0f, 58.75f / 255.0f, 76.25f / 255.0f, 85 / 255.0f,
    150 / 255.0f, 126.25f / 255.0f, 78.75f / 255.0f, 55 / 255.0f,
    200 / 255.0f, 160 / 255.0f, 80 / 255.0f, 40 / 255.0f,
  };

  if (!binary_available ())
    return;

  assert_values_near (run_input_image (parser, image_path, network_path), expected,
                      G_N_ELEMENTS (expected), 1.0 / 255.0);

  g_unlink (image_path);
  g_unlink (network_path);
  g_rmdir (dir);
}

/* A 4×2 grey image into a 4×4 input keeps its aspect ratio: it fills the
 * middle two rows unscaled, and the rows above and below take the mean
 * of its border pixels, which here are all eight: (0 + 0 + 255 + 255) × 2
 * / 8 = 127.5, rounded to 128. */
static void
test_input_image_aspect (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *network_path = write_image_network (dir, "image.json", "[1, 4, 4]");
  const guint8 pixels[] = {
    0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255,
    0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255,
  };
  g_autofree char *image_path = write_image (dir, "wide.png", "png", pixels, 4, 2, FALSE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  const float margin = 128 / 255.0f;
  const float expected[] = {
    margin, margin, margin, margin,
    0, 0, 1, 1,
    0, 0, 1, 1,
    margin, margin, margin, margin,
  };

  if (!binary_available ())
    return;

  assert_values_near (run_input_image (parser, image_path, network_path), expected,
                      G_N_ELEMENTS (expected), 1e-6);

  g_unlink (image_path);
  g_unlink (network_path);
  g_rmdir (dir);
}

/* Three channels take red, green and blue, and a transparent pixel counts
 * as white: an opaque red pixel beside a fully transparent blue one gives
 * red (1, 1), green (0, 1) and blue (0, 1), in [c][h][w] order. A 2×1
 * image into a 2×1 input is not scaled, so the values are exact. */
static void
test_input_image_rgb_alpha (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *network_path = write_image_network (dir, "image.json", "[3, 1, 2]");
  const guint8 pixels[] = { 255, 0, 0, 255, 0, 0, 255, 0 };
  g_autofree char *image_path = write_image (dir, "alpha.png", "png", pixels, 2, 1, TRUE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  const float expected[] = { 1, 1, 0, 1, 0, 1 };

  if (!binary_available ())
    return;

  assert_values_near (run_input_image (parser, image_path, network_path), expected,
                      G_N_ELEMENTS (expected), 1e-7);

  g_unlink (image_path);
  g_unlink (network_path);
  g_rmdir (dir);
}

/* A JPEG of one colour, (200, 100, 50), shrunk from 16×16 to 4×4 into one
 * channel. Pillow's convert ("L") gives (200·19595 + 100·38470 + 50·7471
 * + 32768) >> 16 = 124 for that colour. JPEG compression can move each
 * channel of a flat block by a level or two, hence the tolerance of 3/255. */
static void
test_input_image_jpeg (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *network_path = write_image_network (dir, "image.json", "[1, 4, 4]");
  g_autofree guint8 *pixels = g_new (guint8, 16 * 16 * 3);
  g_autofree char *image_path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  float expected[16];

  if (!binary_available ())
    return;

  for (gsize i = 0; i < 16 * 16; i++)
    {
      pixels[3 * i] = 200;
      pixels[3 * i + 1] = 100;
      pixels[3 * i + 2] = 50;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    expected[i] = 124 / 255.0f;
  image_path = write_image (dir, "flat.jpg", "jpeg", pixels, 16, 16, FALSE);

  assert_values_near (run_input_image (parser, image_path, network_path), expected,
                      G_N_ELEMENTS (expected), 3.0 / 255.0);

  g_unlink (image_path);
  g_unlink (network_path);
  g_rmdir (dir);
}

static void
test_input_image_errors (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *network_path = write_image_network (dir, "image.json", "[1, 2, 2]");
  g_autofree char *two_channels_path = write_image_network (dir, "two.json", "[2, 2, 2]");
  g_autofree char *bad_path = g_build_filename (dir, "bad.png", NULL);
  g_autofree char *missing_path = g_build_filename (dir, "missing.png", NULL);
  const guint8 pixels[] = { 0, 0, 0, 255, 255, 255 };
  g_autofree char *bmp_path = write_image (dir, "image.bmp", "bmp", pixels, 2, 1, FALSE);
  g_autofree char *png_path = write_image (dir, "image.png", "png", pixels, 2, 1, FALSE);
  const struct
  {
    const char *image;
    const char *network;
    const char *message;
  } cases[] = {
    { bad_path, network_path, "layerscope: --input-image: bad.png: cannot read this image; use a PNG or JPEG file\n" },
    { bmp_path, network_path,
      "layerscope: --input-image: image.bmp: this is a BMP image, which Layerscope does not read; "
      "convert it to a PNG or JPEG file\n" },
    { missing_path, network_path, "layerscope: --input-image: missing.png: " },
    { png_path, two_channels_path,
      "layerscope: --input-image: image.png: the network’s input has the shape [2, 2, 2]; an image fills "
      "an input of 1 channel (grey) or 3 channels (red, green, blue) only\n" },
  };

  if (!binary_available ())
    return;

  g_assert_true (g_file_set_contents (bad_path, "not an image", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[] = { "--forward", "--input-image", cases[i].image, cases[i].network, NULL };
      g_auto(CliResult) result = { 0 };

      g_test_message ("case: %s", cases[i].image);
      run_cli (&result, args);
      assert_failed_with (&result, 2, cases[i].message);
    }

  g_unlink (two_channels_path);
  g_unlink (bad_path);
  g_unlink (bmp_path);
  g_unlink (png_path);
  g_unlink (network_path);
  g_rmdir (dir);
}

/* Writes the first half of the file at path to a new file beside it. */
static char *
write_first_half (const char *path,
                  const char *name)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *contents = NULL;
  char *half_path = g_build_filename (dir, name, NULL);
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (half_path, contents, length / 2, NULL));

  return half_path;
}

/* A PNG or JPEG cut in half is rejected: GdkPixbuf alone would decode
 * the missing half as buffer contents or grey. The 32×32 image of varied
 * pixels is large enough that half the file ends inside the pixel data. */
static void
test_input_image_truncated (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *network_path = write_image_network (dir, "image.json", "[1, 4, 4]");
  g_autofree guint8 *pixels = g_new (guint8, 32 * 32 * 3);  /* [32][32][3] */
  const char *types[] = { "png", "jpeg" };

  if (!binary_available ())
    return;

  for (gsize i = 0; i < 32 * 32 * 3; i++)
    pixels[i] = (guint8) ((i * 7919) % 251);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autofree char *name = g_strdup_printf ("whole.%s", types[i]);
      g_autofree char *half_name = g_strdup_printf ("half.%s", types[i]);
      g_autofree char *whole_path = write_image (dir, name, types[i], pixels, 32, 32, FALSE);
      g_autofree char *half_path = write_first_half (whole_path, half_name);
      g_autofree char *message = g_strdup_printf ("layerscope: --input-image: %s: the file ends before the "
                                                  "whole image; it may have been cut short, so copy or "
                                                  "export it again\n", half_name);
      const char *whole_args[] = { "--forward", "--input-image", whole_path, network_path, NULL };
      const char *half_args[] = { "--forward", "--input-image", half_path, network_path, NULL };
      g_auto(CliResult) whole = { 0 };
      g_auto(CliResult) half = { 0 };

      g_test_message ("type: %s", types[i]);
      run_cli (&whole, whole_args);
      g_assert_cmpint (whole.status, ==, 0);
      run_cli (&half, half_args);
      assert_failed_with (&half, 2, message);

      g_unlink (whole_path);
      g_unlink (half_path);
    }

  g_unlink (network_path);
  g_rmdir (dir);
}

/* The text output of an image network: the input and every image-shaped
 * layer one channel at a time, and pooling without an activation. */
static void
test_forward_image_text (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *network_path = write_image_network (dir, "image.json", "[2, 2, 2]");
  const char *args[] = { "--forward", "--input", "1,2,3,4,5,6,7,8", network_path, NULL };
  g_auto(CliResult) result = { 0 };

  if (!binary_available ())
    return;

  /* 1×2 max pooling keeps the larger of each pair: 2, 4, 6 and 8. */
  run_cli (&result, args);
  g_assert_cmpint (result.status, ==, 0);
  assert_matches (result.out, "^Input \\[2, 2, 2\\]\n  values\n    channel 1 +1\\.00 +2\\.00\n +3\\.00 +4\\.00\n"
                              "    channel 2 +5\\.00 +6\\.00\n +7\\.00 +8\\.00\n");
  assert_matches (result.out, "^Layer 1 · pool · Max pooling \\[2, 2, 1\\]\n  values\n    channel 1 +2\\.00\n"
                              " +4\\.00\n    channel 2 +6\\.00\n +8\\.00\n");
  assert_matches (result.out, "^Layer 2 · Flatten \\[4\\]\n  values +2\\.00 +4\\.00 +6\\.00 +8\\.00\n");

  g_unlink (network_path);
  g_rmdir (dir);
}

/* Every layer of an image network in JSON, against the engine. */
static void
test_forward_image_json (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *network_path = write_image_network (dir, "image.json", "[1, 2, 4]");
  const char *args[] = { "--forward", "--json", "--input", "1,2,3,4,5,6,7,8", network_path, NULL };
  const float input[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  g_autoptr(LsNetwork) network = load_network (network_path);
  g_auto(CliResult) result = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *shape;

  if (!binary_available ())
    return;

  g_assert_true (ls_network_set_input (network, input, G_N_ELEMENTS (input), NULL));
  run_cli (&result, args);
  g_assert_cmpint (result.status, ==, 0);
  root = parse_json_output (parser, result.out);
  assert_layers_match_engine (json_object_get_array_member (root, "layers"), network);

  shape = json_object_get_array_member (json_object_get_object_member (root, "input"), "shape");
  g_assert_cmpuint (json_array_get_length (shape), ==, 3);
  g_assert_cmpint (json_array_get_int_element (shape, 2), ==, 4);

  g_unlink (network_path);
  g_rmdir (dir);
}

/* ---------------------------------------------------------------------
 * Bad arguments
 * --------------------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *args[6];  /* NULL-terminated; "FILE" is replaced by cat-or-dog.json,
                         * "FILE1" by greater-than-five.json, which has one input,
                         * and "FILET" by sentiment.json, which has a text input */
  int status;
  const char *message;  /* expected in the one line on stderr */
} BadArguments;

static const BadArguments bad_arguments[] = {
  { "unknown option", { "--forward", "--frobnicate" }, 2,
    "Unknown option --frobnicate. Run “layerscope --help” to see the options.\n" },
  { "unknown option alone", { "--bogus" }, 2,
    "layerscope: Unknown option --bogus. Run “layerscope --help” to see the options.\n" },
  { "unknown option with file", { "FILE", "--bogus" }, 2, "Unknown option --bogus. Run" },
  { "unknown short option", { "-x" }, 2, "Unknown option -x. Run" },
  { "similar name", { "--forwards" }, 2, "Unknown option --forwards. Run" },
  { "GApplication help", { "--help-all" }, 2, "Unknown option --help-all. Run" },
  { "flag with value", { "--forward=no" }, 2,
    "--forward takes no value, but “--forward=no” gives one; write --forward alone" },
  { "json with value", { "--forward", "--json=0" }, 2, "--json takes no value, but “--json=0” gives one" },
  { "input count", { "--forward", "--input", "1,2", "FILE" }, 2,
    "--input: expected 3 values, one per input of the network, found 2 in “1,2”" },
  { "input count singular", { "--forward", "--input", "1,2", "FILE1" }, 2,
    "--input: expected 1 value, one per input of the network, found 2 in “1,2”" },
  { "input not a number", { "--forward", "--input", "1,abc,2" }, 2,
    "--input: value 2 of “1,abc,2”: “abc” is not a number" },
  { "input trailing text", { "--forward", "--input", "1,2x,3" }, 2, "--input: value 2 of “1,2x,3”: “2x” is not a number" },
  { "input hexadecimal", { "--forward", "--input=0x10,0,0" }, 2,
    "--input: value 1 of “0x10,0,0”: “0x10” is not a number" },
  { "input nan", { "--forward", "--input", "nan,0,0" }, 2, "--input: value 1 of “nan,0,0”: “nan” is not a number" },
  { "input inf", { "--forward", "--input", "0,-inf,0" }, 2, "--input: value 2 of “0,-inf,0”: “-inf” is not a number" },
  { "input over float", { "--forward", "--input", "0,0,1e39" }, 2, "--input: value 3 of “0,0,1e39”: 1e39 is too large" },
  { "input empty item", { "--forward", "--input", "1,,2" }, 2, "--input: value 2 of “1,,2” is empty" },
  { "input empty", { "--forward", "--input=" }, 2, "--input: no values given" },
  { "forward and render", { "--forward", "--render", "out.png" }, 2,
    "--forward and --render cannot be used together" },
  { "json without forward", { "--json", "FILE" }, 2, "--json only applies to --forward" },
  { "size without render", { "--forward", "--size", "10x10" }, 2, "--size only applies to --render" },
  { "scaling without render", { "--forward", "--scale-feature-maps" }, 2,
    "--scale-feature-maps only applies to --render; add --render OUT" },
  { "input without mode", { "--input", "1,2,3" }, 2, "--input only applies to --forward or --render" },
  { "input image without mode", { "--input-image", "a.png" }, 2,
    "--input-image only applies to --forward or --render" },
  { "empty input image", { "--forward", "--input-image", "" }, 2,
    "--input-image needs the name of a PNG or JPEG file" },
  { "input and input image", { "--forward", "--input", "1,2,3", "--input-image", "a.png" }, 2,
    "--input, --input-image and --text cannot be used together" },
  { "input and text", { "--forward", "--input", "1,2,3", "--text", "good" }, 2,
    "--input, --input-image and --text cannot be used together" },
  { "text without mode", { "--text", "good" }, 2, "--text only applies to --forward or --render" },
  { "text without value", { "--forward", "--text" }, 2, "Missing argument for --text" },
  { "text for vector input", { "--forward", "--text", "good", "FILE" }, 2,
    "--text: the network’s input is not text but numbers of shape [3]; give them with --input or "
    "--input-image instead" },
  { "text over max_tokens", { "--forward", "--text", "a b c d e f g h i j k l m n o p q", "FILET" }, 2,
    "--text: The text has 17 tokens, more than the maximum of 16" },
  { "text empty", { "--forward", "--text", " ", "FILET" }, 2, "--text: The text has no tokens" },
  { "text not UTF-8", { "--forward", "--text", "go\xff\xfeod", "FILET" }, 2,
    "--text: the text is neither UTF-8 nor in the encoding of the locale" },
  { "input for text input", { "--forward", "--input", "1", "FILET" }, 2,
    "--input: the network’s input is text, not numbers; give it with --text TEXT" },
  { "input image for text input", { "--forward", "--input-image", "a.png", "FILET" }, 2,
    "--input-image: the network’s input is text, not an image; give it with --text TEXT" },
  { "input image for vector input", { "--forward", "--input-image", "a.png", "FILE" }, 2,
    "--input-image: the network’s input is a vector of shape [3], not an image [channels, height, width]; "
    "give its values with --input V1,V2,… instead" },
  { "two files", { "--forward", "FILE", "second.json" }, 2, "only one FILE can be given, but “second.json”" },
  { "missing file", { "--forward", "no-such-file.json" }, 1, "no-such-file.json: " },
  { "size zero", { "--render", "out.png", "--size", "0x100" }, 2, "--size: invalid value “0x100”" },
  { "size too large", { "--render", "out.png", "--size", "16385x100" }, 2, "--size: invalid value “16385x100”" },
  { "size negative", { "--render", "out.png", "--size", "-5x10" }, 2, "--size: invalid value “-5x10”" },
  { "size one number", { "--render", "out.png", "--size", "1920" }, 2, "--size: invalid value “1920”" },
  { "size letters", { "--render", "out.png", "--size", "axb" }, 2, "--size: invalid value “axb”" },
  /* README: pages fit every label and bar from 320 × 240 up */
  { "size too narrow", { "--render", "out.png", "--size", "319x240" }, 2,
    "--size: invalid value “319x240”; expected WIDTHxHEIGHT in pixels, the width from 320 to 16384 and the height from 240 to 16384" },
  { "size too low", { "--render", "out.png", "--size", "320x239" }, 2, "--size: invalid value “320x239”" },
  { "unknown extension", { "--render", "out.jpg" }, 2, "--render: unknown output type for “out.jpg”" },
  { "bare extension", { "--render", ".png" }, 2, "--render: unknown output type for “.png”" },
  { "render without value", { "--render" }, 2, "Missing argument for --render" },
};

static void
test_bad_arguments (void)
{
  g_autofree char *path = dup_example_path ("cat-or-dog.json");
  g_autofree char *one_input_path = dup_example_path ("greater-than-five.json");
  g_autofree char *text_path = dup_example_path ("sentiment.json");

  if (!binary_available ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (bad_arguments); i++)
    {
      const BadArguments *bad = &bad_arguments[i];
      const char *args[G_N_ELEMENTS (bad->args)] = { NULL };
      g_auto(CliResult) result = { 0 };

      g_test_message ("case: %s", bad->name);
      for (guint j = 0; bad->args[j] != NULL; j++)
        {
          if (g_str_equal (bad->args[j], "FILE"))
            args[j] = path;
          else if (g_str_equal (bad->args[j], "FILE1"))
            args[j] = one_input_path;
          else if (g_str_equal (bad->args[j], "FILET"))
            args[j] = text_path;
          else
            args[j] = bad->args[j];
        }

      run_cli (&result, args);
      assert_failed_with (&result, bad->status, bad->message);
    }
}

static void
test_bad_document (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bad.json", NULL);
  const char *args[] = { "--forward", path, NULL };
  g_auto(CliResult) result = { 0 };

  if (!binary_available ())
    return;

  g_assert_true (g_file_set_contents (path,
    "{\"format\": \"layerscope-network\", \"version\": 1, \"input\": {\"shape\": [3]},"
    " \"layers\": [{\"type\": \"dense\", \"units\": 0, \"activation\": \"relu\"}]}", -1, NULL));

  run_cli (&result, args);
  assert_failed_with (&result, 1, "layerscope: bad.json: layers[0].units: expected 1 to 1048576 units, found 0");

  g_unlink (path);
  g_rmdir (dir);
}

/* The loader's debug messages, such as the ignored keys that
 * docs/FORMAT.md suggests listing, go to stderr, so stdout stays JSON. */
static void
test_debug_to_stderr (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "extra.json", NULL);
  const char *args[] = { "--forward", "--json", path, NULL };
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "G_MESSAGES_DEBUG", "layerscope-document", TRUE);
  g_auto(CliResult) result = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!binary_available ())
    return;

  g_assert_true (g_file_set_contents (path,
    "{\"format\": \"layerscope-network\", \"version\": 1, \"wieghts\": 1, \"input\": {\"shape\": [1]},"
    " \"layers\": [{\"type\": \"dense\", \"units\": 1, \"activation\": \"identity\"}]}", -1, NULL));

  run_cli_with_env (&result, args, envp);
  g_assert_cmpint (result.status, ==, 0);
  parse_json_output (parser, result.out);
  g_assert_nonnull (strstr (result.err, "Ignoring unknown key “wieghts” in the document"));

  g_unlink (path);
  g_rmdir (dir);
}

/* A device is rejected before it is read: /dev/zero would never end. */
static void
test_special_file (void)
{
  const char *args[] = { "--forward", "/dev/zero", NULL };
  g_auto(CliResult) result = { 0 };

  if (!binary_available ())
    return;
  if (!g_file_test ("/dev/zero", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("this system has no /dev/zero");
      return;
    }

  run_cli (&result, args);
  assert_failed_with (&result, 1, "layerscope: zero: this is a device, FIFO or socket rather than a regular file");
}

static void
test_version (void)
{
  const char *args[] = { "--version", NULL };
  g_auto(CliResult) result = { 0 };

  if (!binary_available ())
    return;

  /* meson.build sets the project version. */
  run_cli (&result, args);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, "layerscope 0.5.0\n");
  g_assert_cmpstr (result.err, ==, "");
}

static void
test_help (void)
{
  const char *args[] = { "--help", NULL };
  g_auto(CliResult) result = { 0 };

  if (!binary_available ())
    return;

  run_cli (&result, args);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.err, ==, "");
  assert_matches (result.out, "^  --forward +Print every layer");
  assert_matches (result.out, "^  --json +With --forward, print one JSON object");
  assert_matches (result.out, "^  --render=OUT +Draw the diagram");
  assert_matches (result.out, "^  --size=WxH +Set the --render image size in pixels");
  assert_matches (result.out, "^  --scale-feature-maps +With --render, scale the colours of each");
  assert_matches (result.out, "^  --input=V1,V2,… +Set the input values");
  assert_matches (result.out, "^  --input-image=FILE +Set the input of an image network");
  assert_matches (result.out, "^  --text=TEXT +Replace the text of a network with a text input");
}

/* ---------------------------------------------------------------------
 * --forward on a text input
 * --------------------------------------------------------------------- */

/* The text output lists the text, each token with its vocabulary id, the
 * attention of each head and the output probabilities. */
static void
test_forward_text_input (void)
{
  g_autofree char *path = dup_example_path ("sentiment.json");
  const char *args[] = { "--forward", path, "--text", "A zorgly film, not bad!", NULL };
  g_autoptr(LsNetwork) network = load_network (path);
  g_autoptr(GError) error = NULL;
  g_auto(CliResult) result = { 0 };
  g_autofree char *token_line = NULL;
  LsVocabulary *vocabulary = ls_network_get_vocabulary (network);

  if (!binary_available ())
    return;

  run_cli (&result, args);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.err, ==, "");
  assert_matches (result.out, "^Input: text of 7 tokens$");
  assert_matches (result.out, "^  “A zorgly film, not bad!”$");
  token_line = g_strdup_printf ("^  token 5  not  id %zu$", ls_vocabulary_lookup (vocabulary, "not"));
  assert_matches (result.out, token_line);
  assert_matches (result.out, "^  token 2  zorgly  id 0 \\(not in the vocabulary, read as \\[UNK\\]\\)$");
  assert_matches (result.out, "^  token 4  ,  id ");
  assert_matches (result.out, "^  attention of head 2, one row per query token$");
  assert_matches (result.out, "^    token 7 ");
  assert_matches (result.out, "^  negative +[0-9. ]+ %$");
  assert_matches (result.out, "^  positive +[0-9. ]+ %$");

  /* The same text through the engine gives the same tokens. */
  g_assert_true (ls_network_set_text (network, "A zorgly film, not bad!", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ls_network_get_n_tokens (network), ==, 7);
}

/* --json adds the text, the tokens and their ids to "input", and each
 * attention layer's weights [heads][T][T], all equal to the engine's. */
static void
test_forward_text_json (void)
{
  static const char * const input_keys[] = { "shape", "values", "text", "tokens", "ids", NULL };
  g_autofree char *path = dup_example_path ("sentiment.json");
  const char *args[] = { "--forward", "--json", "--text", "Not good at all.", path, NULL };
  g_autoptr(LsNetwork) network = load_network (path);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(CliResult) result = { 0 };
  JsonObject *root, *input;
  JsonArray *layers, *tokens, *ids;
  gsize n_tokens, checked = 0;

  if (!binary_available ())
    return;

  g_assert_true (ls_network_set_text (network, "Not good at all.", &error));
  g_assert_no_error (error);
  n_tokens = ls_network_get_n_tokens (network);

  run_cli (&result, args);
  g_assert_cmpint (result.status, ==, 0);
  root = parse_json_output (parser, result.out);
  input = json_object_get_object_member (root, "input");
  assert_keys (input, input_keys);
  g_assert_cmpstr (json_object_get_string_member (input, "text"), ==, "Not good at all.");
  tokens = json_object_get_array_member (input, "tokens");
  ids = json_object_get_array_member (input, "ids");
  g_assert_cmpuint (json_array_get_length (tokens), ==, 5);
  g_assert_cmpuint (json_array_get_length (ids), ==, n_tokens);
  for (gsize t = 0; t < n_tokens; t++)
    {
      g_assert_cmpstr (json_array_get_string_element (tokens, t), ==, ls_network_get_token (network, t));
      g_assert_cmpint (json_array_get_int_element (ids, t), ==, ls_network_get_token_id (network, t));
    }
  g_assert_cmpstr (json_array_get_string_element (tokens, 4), ==, ".");

  layers = json_object_get_array_member (root, "layers");
  assert_layers_match_engine (layers, network);
  for (guint i = 0; i < json_array_get_length (layers); i++)
    {
      const LsLayer *layer = ls_network_get_layer (network, i);
      JsonArray *heads;

      if (layer->kind != LS_LAYER_ATTENTION)
        continue;

      heads = json_object_get_array_member (json_array_get_object_element (layers, i), "attention");
      g_assert_cmpuint (json_array_get_length (heads), ==, layer->heads);
      for (guint h = 0; h < layer->heads; h++)
        {
          JsonArray *rows = json_array_get_array_element (heads, h);
          const float *weights = ls_layer_get_attention_head (layer, h);  /* [T][T] */

          g_assert_cmpuint (json_array_get_length (rows), ==, n_tokens);
          for (gsize q = 0; q < n_tokens; q++)
            assert_numbers_identical (json_array_get_array_element (rows, q), weights + q * n_tokens, n_tokens);
        }
      checked++;
    }
  g_assert_cmpuint (checked, ==, 1);
  assert_numbers_identical (json_object_get_array_member (json_object_get_object_member (root, "output"), "values"),
                            ls_network_get_output (network), 2);
}

/* ---------------------------------------------------------------------
 * Arguments for the window
 * --------------------------------------------------------------------- */

/* Without a command-line option, ls_cli_run() leaves argv to the window:
 * it returns FALSE and prints nothing. */
static void
test_window_arguments (void)
{
  if (g_test_subprocess ())
    {
      char *no_arguments[] = { "layerscope", NULL };
      char *file_argument[] = { "layerscope", "cat.json", NULL };
      char *application_option[] = { "layerscope", "--gapplication-service", NULL };
      char *after_separator[] = { "layerscope", "--", "--forward", NULL };
      char *lone_dash[] = { "layerscope", "-", NULL };
      char *file_after_separator[] = { "layerscope", "cat.json", "--", "-dash.json", NULL };
      char **runs[] = {
        no_arguments, file_argument, application_option, after_separator, lone_dash, file_after_separator
      };

      for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
        {
          int status = 12345;

          g_assert_false (ls_cli_run (g_strv_length (runs[i]), runs[i], &status));
          g_assert_cmpint (status, ==, 12345);
        }
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("");
  g_test_trap_assert_stderr ("");
}

/* ---------------------------------------------------------------------
 * --render
 * --------------------------------------------------------------------- */

static void
assert_png_size (const char *path,
                 int         width,
                 int         height)
{
  cairo_surface_t *surface = cairo_image_surface_create_from_png (path);

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, height);
  cairo_surface_destroy (surface);
}

static void
assert_file_starts_with (const char *path,
                         const char *prefix)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, strlen (prefix));
  g_assert_true (memcmp (contents, prefix, strlen (prefix)) == 0);
}

static void
render (const char * const *args)
{
  g_auto(CliResult) result = { 0 };

  run_cli (&result, args);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_cmpstr (result.err, ==, "");
}

static void
test_render (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "small.png", NULL);
  g_autofree char *full = g_build_filename (dir, "full.PNG", NULL);
  g_autofree char *svg = g_build_filename (dir, "net.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "net.pdf", NULL);
  const char *png_args[] = { "--render", png, "--size", "320x240", NULL };
  const char *full_args[] = { "--render", full, NULL };
  const char *svg_args[] = { "--render", svg, "--size", "640X480", NULL };
  const char *pdf_args[] = { "--render", pdf, NULL };

  if (!binary_available ())
    return;

  render (png_args);
  assert_png_size (png, 320, 240);
  render (full_args);
  assert_png_size (full, 1920, 1080);
  render (svg_args);
  assert_file_starts_with (svg, "<?xml");
  render (pdf_args);
  assert_file_starts_with (pdf, "%PDF-");

  g_unlink (png);
  g_unlink (full);
  g_unlink (svg);
  g_unlink (pdf);
  g_rmdir (dir);
}

/* Other input values give other activations, so other colours. */
static void
test_render_input (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *first = g_build_filename (dir, "first.png", NULL);
  g_autofree char *second = g_build_filename (dir, "second.png", NULL);
  g_autofree char *first_contents = NULL;
  g_autofree char *second_contents = NULL;
  const char *first_args[] = { "--render", first, "--size", "400x300", NULL };
  const char *second_args[] = { "--render", second, "--size", "400x300", "--input", "-1,0.5,0", NULL };
  gsize first_length, second_length;

  if (!binary_available ())
    return;

  render (first_args);
  render (second_args);
  g_assert_true (g_file_get_contents (first, &first_contents, &first_length, NULL));
  g_assert_true (g_file_get_contents (second, &second_contents, &second_length, NULL));
  g_assert_false (first_length == second_length && memcmp (first_contents, second_contents, first_length) == 0);

  g_unlink (first);
  g_unlink (second);
  g_rmdir (dir);
}

/* Counts the pixels of a PNG file within 2 of rgb[3] (0..255) in each
 * component. */
static gsize
count_png_pixels (const char   *path,
                  const guint8  rgb[3])
{
  cairo_surface_t *surface = cairo_image_surface_create_from_png (path);
  const guint8 *data;
  gsize count = 0;
  int stride;

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
      {
        guint32 pixel = *(const guint32 *) (data + (gsize) y * stride + (gsize) x * 4);

        if (ABS ((int) ((pixel >> 16) & 0xff) - rgb[0]) <= 2 && ABS ((int) ((pixel >> 8) & 0xff) - rgb[1]) <= 2 &&
            ABS ((int) (pixel & 0xff) - rgb[2]) <= 2)
          count++;
      }
  cairo_surface_destroy (surface);

  return count;
}

/* The ReLU feature maps of digits-cnn.json reach about 4 to 10, so on the
 * fixed −1 to +1 scale most of their pixels are the full positive colour,
 * #e66101 (PuOr's dark orange end, as the legend states). Scaled per
 * layer, only values near each layer's largest magnitude are, so far
 * fewer pixels have that colour. A network without feature maps draws the
 * same either way. */
static void
test_render_scale_feature_maps (void)
{
  static const guint8 positive_rgb[3] = { 0xe6, 0x61, 0x01 };
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *digits = dup_example_path ("digits-cnn.json");
  g_autofree char *lesson = dup_example_path ("cat-or-dog.json");
  g_autofree char *fixed = g_build_filename (dir, "fixed.png", NULL);
  g_autofree char *scaled = g_build_filename (dir, "scaled.png", NULL);
  g_autofree char *lesson_fixed = g_build_filename (dir, "lesson-fixed.png", NULL);
  g_autofree char *lesson_scaled = g_build_filename (dir, "lesson-scaled.png", NULL);
  g_autofree char *fixed_contents = NULL;
  g_autofree char *scaled_contents = NULL;
  const char *fixed_args[] = { "--render", fixed, "--size", "960x540", digits, NULL };
  const char *scaled_args[] = { "--render", scaled, "--size", "960x540", "--scale-feature-maps", digits, NULL };
  const char *lesson_fixed_args[] = { "--render", lesson_fixed, "--size", "480x270", lesson, NULL };
  const char *lesson_scaled_args[] = {
    "--render", lesson_scaled, "--size", "480x270", "--scale-feature-maps", lesson, NULL
  };
  gsize fixed_count, scaled_count, fixed_length, scaled_length;

  if (!binary_available ())
    return;

  render (fixed_args);
  render (scaled_args);
  fixed_count = count_png_pixels (fixed, positive_rgb);
  scaled_count = count_png_pixels (scaled, positive_rgb);
  g_test_message ("full positive colour: %" G_GSIZE_FORMAT " pixels fixed, %" G_GSIZE_FORMAT " scaled",
                  fixed_count, scaled_count);
  g_assert_cmpuint (scaled_count, >, 0);
  g_assert_cmpuint (2 * scaled_count, <, fixed_count);

  render (lesson_fixed_args);
  render (lesson_scaled_args);
  g_assert_true (g_file_get_contents (lesson_fixed, &fixed_contents, &fixed_length, NULL));
  g_assert_true (g_file_get_contents (lesson_scaled, &scaled_contents, &scaled_length, NULL));
  g_assert_cmpmem (fixed_contents, fixed_length, scaled_contents, scaled_length);

  g_unlink (fixed);
  g_unlink (scaled);
  g_unlink (lesson_fixed);
  g_unlink (lesson_scaled);
  g_rmdir (dir);
}

/* The parent of the output is a regular file, which fails as root too. */
static void
test_render_unwritable (void)
{
  g_autofree char *path = dup_example_path ("cat-or-dog.json");
  g_autofree char *below_file = g_build_filename (path, "out.png", NULL);
  const char *args[] = { "--render", below_file, NULL };
  g_auto(CliResult) result = { 0 };

  if (!binary_available ())
    return;

  run_cli (&result, args);
  assert_failed_with (&result, 1, "out.png");
}

/* ---------------------------------------------------------------------
 * --train
 * --------------------------------------------------------------------- */

/* A 2-4-2 network for the XOR set, tanh then softmax, with fixed small
 * weights so that every run starts from the same point. */
static const char xor_network_json[] =
  "{\"format\": \"layerscope-network\", \"version\": 1, \"title\": \"XOR\",\n"
  " \"input\": {\"shape\": [2]},\n"
  " \"layers\": [\n"
  "  {\"type\": \"dense\", \"units\": 4, \"activation\": \"tanh\",\n"
  "   \"weights\": [[0.5, -0.4, 0.3, -0.6], [0.6, 0.5, -0.4, -0.3]], \"bias\": [0, 0, 0, 0]},\n"
  "  {\"type\": \"dense\", \"units\": 2, \"activation\": \"softmax\",\n"
  "   \"weights\": [[0.4, -0.3], [-0.5, 0.2], [0.3, 0.6], [-0.2, -0.4]], \"bias\": [0, 0]}]}\n";

/* Writes contents to dir/name and returns the path. */
static char *
write_test_file (const char *dir,
                 const char *name,
                 const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

/* Deletes the files in dir, then dir. */
static void
remove_test_dir (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static LsNetwork *
load_network_file (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  LsNetwork *network = ls_document_load_file (file, &error);

  g_assert_no_error (error);
  return network;
}

/* Writes a 2-8-8-2 network with tanh hidden layers and the given output
 * activation, with the seeded weights that new layers get. */
static char *
write_deep_network (const char   *dir,
                    LsActivation  output)
{
  g_autoptr(LsNetwork) network = ls_network_new (2);
  g_autofree char *path = g_build_filename (dir, "deep.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (ls_network_insert_dense (network, 0, 8, LS_ACTIVATION_TANH, &error));
  g_assert_true (ls_network_insert_dense (network, 1, 8, LS_ACTIVATION_TANH, &error));
  g_assert_true (ls_network_insert_dense (network, 2, 2, output, &error));
  g_assert_true (ls_document_save_file (network, file, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&path);
}

/* Checks that the two networks differ in at least one weight. */
static void
assert_weights_changed (LsNetwork *before,
                        LsNetwork *after)
{
  gsize changed = 0;

  g_assert_cmpuint (ls_network_get_n_layers (before), ==, ls_network_get_n_layers (after));
  for (gsize i = 0; i < ls_network_get_n_layers (before); i++)
    {
      const LsLayer *a = ls_network_get_layer (before, i);
      const LsLayer *b = ls_network_get_layer (after, i);

      for (gsize w = 0; w < ls_layer_get_n_weights (a); w++)
        changed += a->weights[w] != b->weights[w];
    }
  g_assert_cmpuint (changed, >, 0);
}

/* Checks one "epoch N/M  loss …" line per epoch, in order, and returns
 * the last one. */
static char *
check_epoch_lines (const char *out,
                   guint       n_epochs,
                   gboolean    classification,
                   gboolean    has_test)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  const char *pattern = classification
    ? (has_test ? "^epoch %u/%u  loss [0-9]+\\.[0-9]{4}  accuracy [0-9]+\\.[0-9] %%  "
                  "test loss [0-9]+\\.[0-9]{4}  test accuracy [0-9]+\\.[0-9] %%$"
                : "^epoch %u/%u  loss [0-9]+\\.[0-9]{4}  accuracy [0-9]+\\.[0-9] %%$")
    : (has_test ? "^epoch %u/%u  loss [0-9]+\\.[0-9]{4}  test loss [0-9]+\\.[0-9]{4}$"
                : "^epoch %u/%u  loss [0-9]+\\.[0-9]{4}$");

  g_assert_cmpuint (g_strv_length (lines), ==, n_epochs + 1);
  g_assert_cmpstr (lines[n_epochs], ==, "");
  for (guint i = 0; i < n_epochs; i++)
    {
      g_autofree char *line_pattern = g_strdup_printf (pattern, i + 1, n_epochs);

      assert_matches (lines[i], line_pattern);
    }

  return g_strdup (lines[n_epochs - 1]);
}

/* XOR is not linearly separable, so 100 % needs the hidden layer to
 * learn. 200 points without noise give 160 to train on and 40 to test. */
static void
test_train_xor (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *net = write_test_file (dir, "xor.json", xor_network_json);
  g_autofree char *out = g_build_filename (dir, "trained.json", NULL);
  const char *args[] = {
    "--train", net, "--dataset", "xor", "--samples", "200", "--noise", "0", "--epochs", "60",
    "--seed", "3", "--out", out, NULL
  };
  g_auto(CliResult) result = { 0 };
  g_autoptr(LsNetwork) before = NULL;
  g_autoptr(LsNetwork) after = NULL;
  g_autofree char *last = NULL;
  const LsEvaluation *evaluation;

  if (!binary_available ())
    return;

  run_cli (&result, args);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.err, ==, "");
  last = check_epoch_lines (result.out, 60, TRUE, TRUE);
  assert_matches (last, "  accuracy 100\\.0 %  test loss [0-9.]+  test accuracy 100\\.0 %$");

  before = load_network_file (net);
  after = load_network_file (out);
  assert_weights_changed (before, after);
  g_assert_cmpstr (ls_network_get_title (after), ==, "XOR");

  evaluation = ls_network_get_evaluation (after);
  g_assert_cmpstr (evaluation->name, ==, "xor");
  g_assert_cmpstr (evaluation->split, ==, "test");
  g_assert_cmpuint (evaluation->samples, ==, 40);
  g_assert_cmpuint (evaluation->correct, ==, 40);

  remove_test_dir (dir);
}

/* The seed fixes the points, the split and the sample order, so two runs
 * write the same bytes and print the same lines, and another seed does
 * not. */
static void
test_train_deterministic (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *net = write_test_file (dir, "xor.json", xor_network_json);
  char *outs[3] = {
    g_build_filename (dir, "a.json", NULL), g_build_filename (dir, "b.json", NULL),
    g_build_filename (dir, "c.json", NULL)
  };
  const char *seeds[3] = { "5", "5", "6" };
  char *stdouts[3] = { NULL };
  char *contents[3] = { NULL };
  gsize lengths[3];

  if (!binary_available ())
    return;

  for (guint i = 0; i < 3; i++)
    {
      const char *args[] = {
        "--train", net, "--dataset", "spiral", "--epochs", "3", "--seed", seeds[i], "--out", outs[i], NULL
      };
      g_auto(CliResult) result = { 0 };

      run_cli (&result, args);
      g_assert_cmpint (result.status, ==, 0);
      stdouts[i] = g_steal_pointer (&result.out);
      g_assert_true (g_file_get_contents (outs[i], &contents[i], &lengths[i], NULL));
    }

  g_assert_cmpstr (stdouts[0], ==, stdouts[1]);
  g_assert_cmpmem (contents[0], lengths[0], contents[1], lengths[1]);
  g_assert_cmpstr (stdouts[0], !=, stdouts[2]);
  g_assert_false (lengths[0] == lengths[2] && memcmp (contents[0], contents[2], lengths[0]) == 0);

  for (guint i = 0; i < 3; i++)
    {
      g_free (outs[i]);
      g_free (stdouts[i]);
      g_free (contents[i]);
    }
  remove_test_dir (dir);
}

/* With a learning rate of 1e-6 the weights hardly move, so the printed
 * losses depend on the points alone. Another seed draws other points and
 * so prints other losses. */
static void
test_train_seed_draws_points (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *net = write_test_file (dir, "xor.json", xor_network_json);
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  const char *seeds[2] = { "5", "6" };
  char *stdouts[2] = { NULL };

  if (!binary_available ())
    return;

  for (guint i = 0; i < 2; i++)
    {
      const char *args[] = {
        "--train", net, "--dataset", "spiral", "--epochs", "1", "--learning-rate", "1e-6", "--seed", seeds[i],
        "--out", out, NULL
      };
      g_auto(CliResult) result = { 0 };

      run_cli (&result, args);
      g_assert_cmpint (result.status, ==, 0);
      stdouts[i] = g_steal_pointer (&result.out);
    }

  g_assert_cmpstr (stdouts[0], !=, stdouts[1]);

  g_free (stdouts[0]);
  g_free (stdouts[1]);
  remove_test_dir (dir);
}

/* A learning rate of 10 with one sample per step and a linear output
 * under mean squared error overshoots more at every step, until the
 * weights overflow at step 12. Other 2-8-8-2 networks with a linear
 * output overflowed by step 13 for seeds 1 to 8. A softmax output bounds
 * the gradients, and with it the same settings do not diverge. The file
 * given as --out keeps its old contents. */
static void
test_train_diverges (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *net = write_deep_network (dir, LS_ACTIVATION_IDENTITY);
  g_autofree char *out = write_test_file (dir, "out.json", "earlier contents");
  g_autofree char *contents = NULL;
  const char *args[] = {
    "--train", net, "--dataset", "spiral", "--epochs", "50", "--learning-rate", "10", "--batch-size", "1",
    "--momentum", "0.9", "--loss", "mse", "--out", out, NULL
  };
  g_auto(CliResult) result = { 0 };

  if (!binary_available ())
    return;

  run_cli (&result, args);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_true (g_str_has_prefix (result.err, "layerscope: Training stopped at step "));
  g_assert_nonnull (strstr (result.err, "was not written, because it would contain the weights of a failed "
                                        "training.\n"));
  g_assert_cmpstr (strchr (result.err, '\n'), ==, "\n");
  g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "earlier contents");

  remove_test_dir (dir);
}

/* Inputs near 3e38 pass the one step of this full batch: the outputs
 * before it are about 1.2e38, and the cross-entropy gradient of a weight
 * is at most 3e38 / 4 samples. By hand, SGD's learning rate of 0.03 then
 * moves the weights to about ±2e36, and 3e38 times that overflows, so
 * the loss after the epoch is not finite. That is a divergence too, and
 * nothing is written. */
static const char linear_network_json[] =
  "{\"format\": \"layerscope-network\", \"version\": 1, \"title\": \"Linear\",\n"
  " \"input\": {\"shape\": [2], \"values\": [0, 0]},\n"
  " \"layers\": [{\"type\": \"dense\", \"units\": 2, \"activation\": \"identity\",\n"
  "             \"weights\": [[0.1, 0.2], [0.3, -0.1]], \"bias\": [0, 0]}]}\n";

static void
test_train_diverges_after_step (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *net = write_test_file (dir, "linear.json", linear_network_json);
  g_autofree char *csv = write_test_file (dir, "huge.csv",
                                          "x,y,label\n3e38,3e38,0\n-3e38,1,1\n1,3e38,1\n0,0,0\n");
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  const char *args[] = {
    "--train", net, "--dataset", csv, "--epochs", "1", "--test-fraction", "0", "--out", out, NULL
  };
  g_auto(CliResult) result = { 0 };

  if (!binary_available ())
    return;

  run_cli (&result, args);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_true (g_str_has_prefix (result.err, "layerscope: Training stopped after epoch 1: the loss on the "
                                               "training samples is not a finite number"));
  g_assert_cmpstr (result.out, ==, "");
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  remove_test_dir (dir);
}

/* --out may name FILE, because the document is written to a temporary
 * file that replaces FILE only when complete. */
static void
test_train_same_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *net = write_test_file (dir, "xor.json", xor_network_json);
  g_autofree char *copy = write_test_file (dir, "before.json", xor_network_json);
  const char *args[] = { "--train", net, "--dataset", "xor", "--epochs", "2", "--out", net, NULL };
  g_auto(CliResult) result = { 0 };
  g_autoptr(LsNetwork) before = NULL;
  g_autoptr(LsNetwork) after = NULL;

  if (!binary_available ())
    return;

  run_cli (&result, args);
  g_assert_cmpint (result.status, ==, 0);
  before = load_network_file (copy);
  after = load_network_file (net);
  assert_weights_changed (before, after);

  remove_test_dir (dir);
}

/* A set of target values gives no accuracy, and the saved document no
 * evaluation, even when FILE had one. */
static void
test_train_regression (void)
{
  static const char network_json[] =
    "{\"format\": \"layerscope-network\", \"version\": 1,\n"
    " \"dataset\": {\"name\": \"digits\", \"split\": \"test\", \"samples\": 10, \"correct\": 9},\n"
    " \"input\": {\"shape\": [2]},\n"
    " \"layers\": [\n"
    "  {\"type\": \"dense\", \"units\": 3, \"activation\": \"tanh\",\n"
    "   \"weights\": [[0.5, -0.4, 0.3], [0.6, 0.5, -0.4]], \"bias\": [0, 0, 0]},\n"
    "  {\"type\": \"dense\", \"units\": 1, \"activation\": \"identity\",\n"
    "   \"weights\": [[0.4], [-0.5], [0.3]], \"bias\": [0]}]}\n";
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *net = write_test_file (dir, "regression.json", network_json);
  g_autofree char *out = g_build_filename (dir, "trained.json", NULL);
  const char *args[] = {
    "--train", net, "--dataset", "regression", "--epochs", "4", "--test-fraction", "0", "--out", out, NULL
  };
  g_auto(CliResult) result = { 0 };
  g_autoptr(LsNetwork) after = NULL;
  g_autofree char *last = NULL;

  if (!binary_available ())
    return;

  run_cli (&result, args);
  g_assert_cmpint (result.status, ==, 0);
  last = check_epoch_lines (result.out, 4, FALSE, FALSE);
  after = load_network_file (out);
  g_assert_null (ls_network_get_evaluation (after)->name);

  remove_test_dir (dir);
}

/* A CSV set with a header and named classes. Without test samples the
 * document records the accuracy on the training samples. */
static void
test_train_csv (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *net = write_test_file (dir, "xor.json", xor_network_json);
  g_autofree char *csv = write_test_file (dir, "points.csv",
                                          "kind,x,y\n"
                                          "left,-0.8,0.1\nright,0.7,0.2\nleft,-0.6,-0.3\nright,0.9,-0.1\n"
                                          "left,-0.9,0.4\nright,0.5,0.5\nleft,-0.4,-0.6\nright,0.6,-0.5\n");
  g_autofree char *out = g_build_filename (dir, "trained.json", NULL);
  const char *args[] = {
    "--train", net, "--dataset", csv, "--label-column", "kind", "--test-fraction", "0", "--epochs", "40",
    "--out", out, NULL
  };
  g_auto(CliResult) result = { 0 };
  g_autoptr(LsNetwork) after = NULL;
  g_autofree char *last = NULL;
  const LsEvaluation *evaluation;

  if (!binary_available ())
    return;

  run_cli (&result, args);
  g_assert_cmpint (result.status, ==, 0);
  last = check_epoch_lines (result.out, 40, TRUE, FALSE);
  assert_matches (last, "  accuracy 100\\.0 %$");

  after = load_network_file (out);
  evaluation = ls_network_get_evaluation (after);
  g_assert_cmpstr (evaluation->split, ==, "train");
  g_assert_cmpuint (evaluation->samples, ==, 8);
  g_assert_cmpuint (evaluation->correct, ==, 8);

  remove_test_dir (dir);
}

typedef struct
{
  const char *name;
  const char *args[16];  /* NULL-terminated; "NET" is replaced by the XOR network, "OUT" by
                          * the output path, "FILE" by cat-or-dog.json, which has 3
                          * inputs, and "CSV" by a CSV file with a bad line */
  int status;
  const char *message;   /* expected in the one line on stderr */
} BadTrainArguments;

static const BadTrainArguments bad_train_arguments[] = {
  { "epochs zero", { "--train", "NET", "--dataset", "xor", "--epochs", "0", "--out", "OUT" }, 2,
    "--epochs: invalid value “0”; expected a whole number from 1 to 1000000" },
  { "epochs not a number", { "--train", "NET", "--dataset", "xor", "--epochs", "ten", "--out", "OUT" }, 2,
    "--epochs: invalid value “ten”; expected a whole number from 1 to 1000000" },
  { "epochs negative", { "--train", "NET", "--dataset", "xor", "--epochs", "-3", "--out", "OUT" }, 2,
    "--epochs: invalid value “-3”" },
  { "no out", { "--train", "NET", "--dataset", "xor", "--epochs", "3" }, 2,
    "--train needs --out TRAINED, the file to write the trained network to" },
  { "no dataset", { "--train", "NET", "--epochs", "3", "--out", "OUT" }, 2,
    "--train needs --dataset NAME|CSV, the samples to train on" },
  { "no epochs", { "--train", "NET", "--dataset", "xor", "--out", "OUT" }, 2,
    "--train needs --epochs N, the number of passes over the samples" },
  { "no file", { "--train", "--dataset", "xor", "--epochs", "3", "--out", "OUT" }, 2,
    "--train needs FILE, the network to start from" },
  { "missing file", { "--train", "no-such-net.json", "--dataset", "xor", "--epochs", "3", "--out", "OUT" }, 1,
    "no-such-net.json: " },
  { "unknown dataset", { "--train", "NET", "--dataset", "spirals", "--epochs", "3", "--out", "OUT" }, 2,
    "--dataset: unknown set “spirals”; use one of " },
  { "missing CSV", { "--train", "NET", "--dataset", "no-such-set.csv", "--epochs", "3", "--out", "OUT" }, 2,
    "--dataset: Error when getting information for file" },
  { "bad CSV line", { "--train", "NET", "--dataset", "CSV", "--epochs", "3", "--out", "OUT" }, 2,
    "--dataset: bad.csv line 3, column 2: “oops” is not a finite number" },
  { "shape mismatch", { "--train", "FILE", "--dataset", "spiral", "--epochs", "3", "--out", "OUT" }, 2,
    "--dataset spiral: " },
  { "learning rate zero", { "--train", "NET", "--dataset", "xor", "--epochs", "3", "--out", "OUT",
                            "--learning-rate", "0" }, 2,
    "--learning-rate: invalid value “0”; expected a number above 0 and at most 10" },
  { "momentum one", { "--train", "NET", "--dataset", "xor", "--epochs", "3", "--out", "OUT", "--momentum", "1" }, 2,
    "--momentum: invalid value “1”; expected a number from 0 to below 1" },
  { "unknown optimizer", { "--train", "NET", "--dataset", "xor", "--epochs", "3", "--out", "OUT",
                           "--optimizer", "rmsprop" }, 2,
    "--optimizer: unknown optimizer “rmsprop”; use sgd or adam" },
  { "unknown loss", { "--train", "NET", "--dataset", "xor", "--epochs", "3", "--out", "OUT", "--loss", "l1" }, 2,
    "--loss: unknown loss “l1”; use cross-entropy or mse" },
  { "batch size zero", { "--train", "NET", "--dataset", "xor", "--epochs", "3", "--out", "OUT",
                         "--batch-size", "0" }, 2,
    "--batch-size: invalid value “0”" },
  { "noise for digits", { "--train", "NET", "--dataset", "digits", "--epochs", "3", "--out", "OUT",
                          "--noise", "0.2" }, 2,
    "--noise only applies to a generated set such as spiral, not to “digits”; leave it out" },
  { "label column for spiral", { "--train", "NET", "--dataset", "spiral", "--epochs", "3", "--out", "OUT",
                                 "--label-column", "2" }, 2,
    "--label-column only applies to a CSV file, not to “spiral”; leave it out" },
  { "dataset without train", { "--dataset", "xor", "NET" }, 2, "--dataset only applies to --train; add --train" },
  { "train and forward", { "--train", "--forward", "NET" }, 2,
    "--train cannot be used with --forward or --render" },
  { "out folder missing", { "--train", "NET", "--dataset", "xor", "--epochs", "3", "--out", "no-such-dir/out.json" },
    2, "--out: the folder of “no-such-dir/out.json” does not exist" },
  { "train with value", { "--train=yes", "NET" }, 2, "--train takes no value" },
  { "out is a folder", { "--train", "NET", "--dataset", "xor", "--epochs", "3", "--out", "DIR" }, 2,
    "is a folder or a special file, not a regular file" },
  { "out is the dataset", { "--train", "NET", "--dataset", "CSV", "--epochs", "3", "--out", "CSV" }, 2,
    "is the --dataset file, which writing would overwrite" },
  { "fashion short name", { "--train", "NET", "--dataset", "fashion", "--epochs", "1", "--out", "OUT" }, 2,
    "--dataset fashion: The samples of “fashion-mnist” have shape [1, 28, 28]" },
};

/* Each bad argument fails before any epoch, with its message, and writes
 * no --out file. */
static void
test_train_bad_arguments (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *net = write_test_file (dir, "xor.json", xor_network_json);
  g_autofree char *csv = write_test_file (dir, "bad.csv", "x,y,label\n0.5,0.5,1\n0.25,oops,0\n");
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  g_autofree char *lesson = dup_example_path ("cat-or-dog.json");

  if (!binary_available ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (bad_train_arguments); i++)
    {
      const BadTrainArguments *bad = &bad_train_arguments[i];
      const char *args[G_N_ELEMENTS (bad->args)] = { NULL };
      g_auto(CliResult) result = { 0 };

      g_test_message ("case: %s", bad->name);
      for (guint j = 0; bad->args[j] != NULL; j++)
        {
          if (g_str_equal (bad->args[j], "NET"))
            args[j] = net;
          else if (g_str_equal (bad->args[j], "OUT"))
            args[j] = out;
          else if (g_str_equal (bad->args[j], "FILE"))
            args[j] = lesson;
          else if (g_str_equal (bad->args[j], "CSV"))
            args[j] = csv;
          else if (g_str_equal (bad->args[j], "DIR"))
            args[j] = dir;
          else
            args[j] = bad->args[j];
        }

      run_cli (&result, args);
      assert_failed_with (&result, bad->status, bad->message);
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
      g_assert_true (g_file_test (csv, G_FILE_TEST_IS_REGULAR));
      g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
    }

  remove_test_dir (dir);
}

static void
test_train_help (void)
{
  const char *args[] = { "--help", NULL };
  g_auto(CliResult) result = { 0 };

  if (!binary_available ())
    return;

  run_cli (&result, args);
  g_assert_cmpint (result.status, ==, 0);
  assert_matches (result.out, "^  --train +Train the network of FILE on --dataset");
  assert_matches (result.out, "^  --dataset=NAME\\|CSV +With --train, the training set");
  assert_matches (result.out, "^  --epochs=N +With --train, the number of passes");
  assert_matches (result.out, "^  --out=TRAINED +With --train, the JSON file");
  assert_matches (result.out, "^  --seed=S +With --train, the seed");
  assert_matches (result.out, "^  --optimizer=NAME +With --train, sgd");
  assert_matches (result.out, "^  --loss=NAME +With --train, cross-entropy or mse");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/forward/text", test_forward_text);
  g_test_add_func ("/cli/forward/text-sigmoid", test_forward_text_sigmoid);
  g_test_add_func ("/cli/forward/json", test_forward_json);
  g_test_add_func ("/cli/forward/input-override", test_forward_input_override);
  g_test_add_func ("/cli/forward/negative-input", test_forward_negative_input);
  g_test_add_func ("/cli/forward/unicode-minus", test_forward_unicode_minus);
  g_test_add_func ("/cli/forward/overflow", test_forward_overflow);
  g_test_add_func ("/cli/forward/unnamed", test_forward_unnamed);
  g_test_add_func ("/cli/forward/debug-to-stderr", test_debug_to_stderr);
  g_test_add_func ("/cli/forward/image-text", test_forward_image_text);
  g_test_add_func ("/cli/forward/image-json", test_forward_image_json);
  g_test_add_func ("/cli/input-image/png", test_input_image_png);
  g_test_add_func ("/cli/input-image/aspect", test_input_image_aspect);
  g_test_add_func ("/cli/input-image/rgb-alpha", test_input_image_rgb_alpha);
  g_test_add_func ("/cli/input-image/jpeg", test_input_image_jpeg);
  g_test_add_func ("/cli/input-image/errors", test_input_image_errors);
  g_test_add_func ("/cli/input-image/truncated", test_input_image_truncated);
  g_test_add_func ("/cli/errors/bad-arguments", test_bad_arguments);
  g_test_add_func ("/cli/errors/bad-document", test_bad_document);
  g_test_add_func ("/cli/errors/special-file", test_special_file);
  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/forward/text-input", test_forward_text_input);
  g_test_add_func ("/cli/forward/text-json", test_forward_text_json);
  g_test_add_func ("/cli/version", test_version);
  g_test_add_func ("/cli/window-arguments", test_window_arguments);
  g_test_add_func ("/cli/render/formats", test_render);
  g_test_add_func ("/cli/render/input", test_render_input);
  g_test_add_func ("/cli/render/scale-feature-maps", test_render_scale_feature_maps);
  g_test_add_func ("/cli/render/unwritable", test_render_unwritable);
  g_test_add_func ("/cli/train/xor", test_train_xor);
  g_test_add_func ("/cli/train/deterministic", test_train_deterministic);
  g_test_add_func ("/cli/train/seed-draws-points", test_train_seed_draws_points);
  g_test_add_func ("/cli/train/diverges", test_train_diverges);
  g_test_add_func ("/cli/train/diverges-after-step", test_train_diverges_after_step);
  g_test_add_func ("/cli/train/same-file", test_train_same_file);
  g_test_add_func ("/cli/train/regression", test_train_regression);
  g_test_add_func ("/cli/train/csv", test_train_csv);
  g_test_add_func ("/cli/train/bad-arguments", test_train_bad_arguments);
  g_test_add_func ("/cli/train/help", test_train_help);

  return g_test_run ();
}
