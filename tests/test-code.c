/* test-code.c: the NumPy and PyTorch scripts of "Show code", and the
 * converter from PyTorch
 *
 * Every script is run with Python, and its printed outputs must match
 * Layerscope's own forward pass within a tolerance. The interpreter is
 * $LAYERSCOPE_PYTHON, or /usr/bin/python3; it needs numpy and torch
 * (tools/install-deps.sh --tests installs them).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-code"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "ls-code.h"
#include "ls-code-private.h"
#include "ls-document.h"
#include "ls-engine.h"

/* NumPy and PyTorch sum float32 values in another order than our
 * kernels, so results can differ in the last bits. Values must agree
 * within this relative tolerance, plus this absolute one near 0. */
#define RELATIVE_TOLERANCE 1e-5
#define ABSOLUTE_TOLERANCE 1e-6

static const char *
get_python (void)
{
  const char *python = g_getenv ("LAYERSCOPE_PYTHON");

  return python != NULL ? python : "/usr/bin/python3";
}

/* Runs a Python file with arguments and returns its standard output.
 * Fails the test when Python exits with an error. */
static char *
run_python (const char * const *arguments)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *standard_error = NULL;
  char *standard_output = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) get_python ());
  for (gsize i = 0; arguments[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) arguments[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &standard_output, &standard_error, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s %s failed:\n%s", get_python (), arguments[0], standard_error);

  return standard_output;
}

/* Writes a script to a temporary file, runs it and returns its output. */
static char *
run_script (const char *script)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *arguments[2] = { NULL, NULL };
  char *output;
  int fd;

  fd = g_file_open_tmp ("layerscope-code-XXXXXX.py", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, script, -1, &error);
  g_assert_no_error (error);

  arguments[0] = path;
  output = run_python (arguments);
  g_unlink (path);

  return output;
}

/* Checks the printed "output i value" lines against ours, and the
 * "predicted i [label]" line against the argmax of ours. */
static void
check_printed_outputs (LsNetwork  *network,
                       const char *printed)
{
  const float *expected = ls_network_get_output (network);
  gsize n = ls_network_get_output_size (network);
  const LsLayer *output_layer = ls_network_get_output_layer (network);
  gsize predicted = ls_argmax (expected, n);
  g_auto(GStrv) lines = g_strsplit (printed, "\n", -1);
  g_autofree char *predicted_line = NULL;
  const char *label = NULL;

  /* Labels of an image or a sequence name channels, not values. */
  if (output_layer->output_shape.rank == 1)
    label = ls_layer_get_label (output_layer, predicted);

  g_assert_cmpuint (g_strv_length (lines), ==, n + 2);
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *prefix = g_strdup_printf ("output %zu ", i);
      double value;

      g_assert_true (g_str_has_prefix (lines[i], prefix));
      value = g_ascii_strtod (lines[i] + strlen (prefix), NULL);
      if (fabs (value - expected[i]) > ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * fabs (expected[i]))
        g_error ("output %zu: the script printed %.9g, Layerscope computes %.9g",
                 i, value, expected[i]);
    }

  /* One sigmoid output is a yes/no decision at 0.5, as the bars show it. */
  if (output_layer->activation == LS_ACTIVATION_SIGMOID && n == 1)
    predicted_line = g_strdup_printf ("predicted %s%s%s", expected[0] >= 0.5f ? "yes" : "no",
                                      label != NULL ? " " : "", label != NULL ? label : "");
  else if (label != NULL)
    predicted_line = g_strdup_printf ("predicted %zu %s", predicted, label);
  else
    predicted_line = g_strdup_printf ("predicted %zu", predicted);
  g_assert_cmpstr (lines[n], ==, predicted_line);
  g_assert_cmpstr (lines[n + 1], ==, "");
}

static void
check_language (LsNetwork      *network,
                LsCodeLanguage  language)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  g_autofree char *printed = NULL;

  ls_network_forward (network);
  script = ls_code_generate (network, language, &error);
  g_assert_no_error (error);
  g_assert_nonnull (script);

  printed = run_script (script);
  check_printed_outputs (network, printed);
}

static void
check_both (LsNetwork *network)
{
  check_language (network, LS_CODE_NUMPY);
  check_language (network, LS_CODE_PYTORCH);
}

/* Sets every bias, and layernorm's gamma, to values from a fixed seed,
 * because new layers start with biases of 0 and gamma of 1, which would
 * hide a script that drops or misplaces them. */
static void
randomise_parameters (LsNetwork *network)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < ls_network_get_n_layers (network); i++)
    {
      const LsLayer *layer = ls_network_get_layer (network, i);
      gsize n_weights = ls_layer_get_n_weights (layer);
      gsize n_biases = ls_layer_get_n_biases (layer);
      g_autofree float *weights = g_memdup2 (layer->weights, n_weights * sizeof (float));
      g_autofree float *bias = g_new (float, n_biases);

      if (n_biases == 0)
        continue;
      for (gsize j = 0; j < n_biases; j++)
        bias[j] = (float) g_rand_double_range (rand, -0.5, 0.5);
      if (layer->kind == LS_LAYER_LAYERNORM)
        for (gsize j = 0; j < n_weights; j++)
          weights[j] = (float) g_rand_double_range (rand, 0.5, 1.5);

      g_assert_true (ls_network_set_layer_parameters (network, i, weights, n_weights,
                                                      bias, n_biases, &error));
      g_assert_no_error (error);
    }
}

/* Fills the input with values from -2 to 2 from a fixed seed. */
static void
randomise_input (LsNetwork *network)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autoptr(GError) error = NULL;
  gsize n = ls_network_get_input_size (network);
  g_autofree float *values = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    values[i] = (float) g_rand_double_range (rand, -2.0, 2.0);
  g_assert_true (ls_network_set_input (network, values, n, &error));
  g_assert_no_error (error);
}

static LsWindow
make_window (gsize         kh,
             gsize         kw,
             gsize         stride,
             LsPaddingMode mode,
             gsize         padding)
{
  const gsize kernel[2] = { kh, kw };
  const gsize strides[2] = { stride, stride };
  const gsize paddings[2] = { padding, padding };
  g_autoptr(GError) error = NULL;
  LsWindow window;

  g_assert_true (ls_window_init (&window, kernel, strides, mode, paddings, &error));
  g_assert_no_error (error);

  return window;
}

/* ---- Hand-built networks, one per layer kind and option ---- */

typedef struct
{
  const char *name;
  LsNetwork *(*build) (gconstpointer data);
  gconstpointer data;
} NetworkCase;

/* 3 → 4 → 3, both layers with the activation in data. */
static LsNetwork *
build_dense (gconstpointer data)
{
  LsActivation activation = GPOINTER_TO_UINT (data);
  LsNetwork *network = ls_network_new (3);

  g_assert_true (ls_network_insert_dense (network, 0, 4, activation, NULL));
  g_assert_true (ls_network_insert_dense (network, 1, 3, activation, NULL));
  ls_network_set_layer_labels (network, 1, (const char *[]) { "a", "b", "c", NULL });

  return network;
}

/* 4 → residual dense 4 (tanh) → residual dense 4 (identity) → 2 (softmax) */
static LsNetwork *
build_dense_residual (gconstpointer data)
{
  LsNetwork *network = ls_network_new (4);

  g_assert_true (ls_network_insert_dense (network, 0, 4, LS_ACTIVATION_TANH, NULL));
  g_assert_true (ls_network_set_residual (network, 0, TRUE, NULL));
  g_assert_true (ls_network_insert_dense (network, 1, 4, LS_ACTIVATION_IDENTITY, NULL));
  g_assert_true (ls_network_set_residual (network, 1, TRUE, NULL));
  g_assert_true (ls_network_insert_dense (network, 2, 2, LS_ACTIVATION_SOFTMAX, NULL));

  return network;
}

/* [2, 8, 8] → conv 3×3 "same" (ReLU) → max pool 2 → conv 2×2 "same", which
 * pads one row and column after only (GELU) → avg pool 2 → flatten → dense 3 */
static LsNetwork *
build_conv_same (gconstpointer data)
{
  LsShape shape;
  LsWindow same3 = make_window (3, 3, 1, LS_PADDING_SAME, 0);
  LsWindow same2 = make_window (2, 2, 1, LS_PADDING_SAME, 0);
  LsWindow pool = make_window (2, 2, 2, LS_PADDING_VALID, 0);
  LsNetwork *network;

  ls_shape_init_3d (&shape, 2, 8, 8);
  network = ls_network_new_with_shape (&shape);
  g_assert_true (ls_network_insert_conv2d (network, 0, 3, &same3, LS_ACTIVATION_RELU, NULL));
  g_assert_true (ls_network_insert_pool2d (network, 1, LS_LAYER_MAXPOOL2D, &pool, NULL));
  g_assert_true (ls_network_insert_conv2d (network, 2, 2, &same2, LS_ACTIVATION_GELU, NULL));
  g_assert_true (ls_network_insert_pool2d (network, 3, LS_LAYER_AVGPOOL2D, &pool, NULL));
  g_assert_true (ls_network_insert_flatten (network, 4, NULL));
  g_assert_true (ls_network_insert_dense (network, 5, 3, LS_ACTIVATION_SOFTMAX, NULL));

  return network;
}

/* [1, 7, 7] → conv 3×3 stride 2 padding 1 (leaky ReLU) → conv 3×1 valid
 * (softmax over the whole image) → max pool 2×2 stride 1 → dense 3
 * (sigmoid) straight on the image */
static LsNetwork *
build_conv_strided (gconstpointer data)
{
  LsShape shape;
  LsWindow strided = make_window (3, 3, 2, LS_PADDING_EXPLICIT, 1);
  LsWindow tall = make_window (3, 1, 1, LS_PADDING_VALID, 0);
  LsWindow overlapping = make_window (2, 2, 1, LS_PADDING_VALID, 0);
  LsNetwork *network;

  ls_shape_init_3d (&shape, 1, 7, 7);
  network = ls_network_new_with_shape (&shape);
  g_assert_true (ls_network_insert_conv2d (network, 0, 2, &strided, LS_ACTIVATION_LEAKY_RELU, NULL));
  g_assert_true (ls_network_insert_conv2d (network, 1, 2, &tall, LS_ACTIVATION_SOFTMAX, NULL));
  g_assert_true (ls_network_insert_pool2d (network, 2, LS_LAYER_MAXPOOL2D, &overlapping, NULL));
  g_assert_true (ls_network_insert_dense (network, 3, 3, LS_ACTIVATION_SIGMOID, NULL));

  return network;
}

/* [1, 4, 4] → conv 3×3 "same" with 2 labelled filters (tanh), so the
 * output is an image whose labels name channels, not values. */
static LsNetwork *
build_conv_output (gconstpointer data)
{
  LsShape shape;
  LsWindow same3 = make_window (3, 3, 1, LS_PADDING_SAME, 0);
  LsNetwork *network;

  ls_shape_init_3d (&shape, 1, 4, 4);
  network = ls_network_new_with_shape (&shape);
  g_assert_true (ls_network_insert_conv2d (network, 0, 2, &same3, LS_ACTIVATION_TANH, NULL));
  ls_network_set_layer_labels (network, 0, (const char *[]) { "edges", "blobs", NULL });

  return network;
}

static const char *const words[] = {
  "[UNK]", "the", "movie", "was", "not", "good", "bad", "!", NULL
};

static LsNetwork *
new_text_network (gsize dim)
{
  const LsInit init = { LS_INIT_XAVIER, 7 };
  g_autoptr(LsVocabulary) vocabulary = ls_vocabulary_new (words, NULL);
  g_autoptr(GError) error = NULL;
  LsNetwork *network;
  gsize tokens;

  network = ls_network_new_with_tokens (vocabulary, 8, "The movie was not good, really!", &error);
  g_assert_no_error (error);
  tokens = ls_network_get_n_tokens (network);
  g_assert_true (ls_network_append_layer (network,
                                          ls_layer_new_embedding (tokens, G_N_ELEMENTS (words) - 1,
                                                                  dim, &init, NULL),
                                          &error));
  g_assert_no_error (error);

  return network;
}

/* embedding 4 → sinusoidal positions → attention (2 heads, residual) →
 * layernorm → mean pooling → dense 2 (softmax) */
static LsNetwork *
build_tokens_sinusoidal (gconstpointer data)
{
  LsNetwork *network = new_text_network (4);

  g_assert_true (ls_network_insert_positional (network, 1, LS_POSITIONAL_SINUSOIDAL, NULL));
  g_assert_true (ls_network_insert_attention (network, 2, 2, FALSE, TRUE, NULL));
  g_assert_true (ls_network_insert_layernorm (network, 3, NULL));
  g_assert_true (ls_network_insert_pool_tokens (network, 4, LS_TOKEN_POOLING_MEAN, NULL));
  g_assert_true (ls_network_insert_dense (network, 5, 2, LS_ACTIVATION_SOFTMAX, NULL));
  ls_network_set_layer_labels (network, 5, (const char *[]) { "negative", "positive", NULL });

  return network;
}

/* embedding 6 → learned positions → causal attention (3 heads) → dense 6
 * per token (softmax on each row) → residual dense 6 per token (GELU) →
 * first-token pooling → layernorm → dense 3 */
static LsNetwork *
build_tokens_learned (gconstpointer data)
{
  LsNetwork *network = new_text_network (6);

  g_assert_true (ls_network_insert_positional (network, 1, LS_POSITIONAL_LEARNED, NULL));
  g_assert_true (ls_network_insert_attention (network, 2, 3, TRUE, FALSE, NULL));
  g_assert_true (ls_network_insert_dense (network, 3, 6, LS_ACTIVATION_SOFTMAX, NULL));
  g_assert_true (ls_network_insert_dense (network, 4, 6, LS_ACTIVATION_GELU, NULL));
  g_assert_true (ls_network_set_residual (network, 4, TRUE, NULL));
  g_assert_true (ls_network_insert_pool_tokens (network, 5, LS_TOKEN_POOLING_FIRST, NULL));
  g_assert_true (ls_network_insert_layernorm (network, 6, NULL));
  g_assert_true (ls_network_insert_dense (network, 7, 3, LS_ACTIVATION_IDENTITY, NULL));

  return network;
}

static const NetworkCase network_cases[] = {
  { "dense-identity", build_dense, GUINT_TO_POINTER (LS_ACTIVATION_IDENTITY) },
  { "dense-relu", build_dense, GUINT_TO_POINTER (LS_ACTIVATION_RELU) },
  { "dense-leaky-relu", build_dense, GUINT_TO_POINTER (LS_ACTIVATION_LEAKY_RELU) },
  { "dense-sigmoid", build_dense, GUINT_TO_POINTER (LS_ACTIVATION_SIGMOID) },
  { "dense-tanh", build_dense, GUINT_TO_POINTER (LS_ACTIVATION_TANH) },
  { "dense-gelu", build_dense, GUINT_TO_POINTER (LS_ACTIVATION_GELU) },
  { "dense-softmax", build_dense, GUINT_TO_POINTER (LS_ACTIVATION_SOFTMAX) },
  { "dense-residual", build_dense_residual, NULL },
  { "conv-same", build_conv_same, NULL },
  { "conv-strided", build_conv_strided, NULL },
  { "conv-output", build_conv_output, NULL },
  { "tokens-sinusoidal", build_tokens_sinusoidal, NULL },
  { "tokens-learned", build_tokens_learned, NULL },
};

static LsNetwork *
build_case (const NetworkCase *network_case)
{
  LsNetwork *network = network_case->build (network_case->data);

  randomise_parameters (network);
  if (!ls_network_has_token_input (network))
    randomise_input (network);

  return network;
}

static void
test_numpy_case (gconstpointer data)
{
  g_autoptr(LsNetwork) network = build_case (data);

  check_language (network, LS_CODE_NUMPY);
}

static void
test_pytorch_case (gconstpointer data)
{
  g_autoptr(LsNetwork) network = build_case (data);

  check_language (network, LS_CODE_PYTORCH);
}

/* ---- The shipped examples ---- */

static LsNetwork *
load_example (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  LsNetwork *network = ls_document_load_file (file, &error);

  g_assert_no_error (error);
  g_assert_nonnull (network);

  return network;
}

static void
test_example (gconstpointer data)
{
  g_autoptr(LsNetwork) network = load_example (data);

  check_both (network);
}

/* greater-than-five.json computes sigmoid(2·x − 10), which crosses 0.5 at
 * x = 5 (the example's description): x = 1 is "no", x = 6 is "yes". */
static void
test_sigmoid_threshold (void)
{
  static const float inputs[] = { 1.0f, 6.0f };
  static const char *const expected[] = { "predicted no x > 5\n", "predicted yes x > 5\n" };
  g_autoptr(LsNetwork) network = load_example ("greater-than-five.json");

  for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
    for (LsCodeLanguage language = LS_CODE_NUMPY; language <= LS_CODE_PYTORCH; language++)
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *script = NULL;
        g_autofree char *printed = NULL;

        g_assert_true (ls_network_set_input (network, &inputs[i], 1, &error));
        g_assert_no_error (error);
        ls_network_forward (network);
        script = ls_code_generate (network, language, &error);
        g_assert_no_error (error);
        printed = run_script (script);
        g_assert_nonnull (strstr (printed, expected[i]));
        check_printed_outputs (network, printed);
      }
}

/* ---- Names, limits and errors ---- */

static void
test_names_escaped (void)
{
  g_autoptr(LsNetwork) network = ls_network_new (2);
  const char *labels[] = { "say \"hi\"", "back\\slash\nnew line, ünïcödé ✓", NULL };
  g_autofree char *script = NULL;
  g_autofree char *printed = NULL;
  const float input[] = { -1.0f, 3.0f };

  ls_network_set_title (network, "A \"quoted\"\ntitle \\ with ''' and \"\"\"");
  g_assert_true (ls_network_insert_dense (network, 0, 2, LS_ACTIVATION_SOFTMAX, NULL));
  ls_network_set_layer_name (network, 0, "layer \"one\"\n# not code");
  ls_network_set_layer_labels (network, 0, labels);
  g_assert_true (ls_network_set_input (network, input, 2, NULL));
  g_assert_true (ls_network_set_weight (network, 0, 1, 1, 1.0f, NULL));
  g_assert_true (ls_network_set_weight (network, 0, 1, 0, -1.0f, NULL));

  /* The printed label contains a newline, which check_printed_outputs()
   * does not expect, so this test checks the label line itself. */
  for (LsCodeLanguage language = 0; language < LS_N_CODE_LANGUAGES; language++)
    {
      g_clear_pointer (&script, g_free);
      g_clear_pointer (&printed, g_free);
      ls_network_forward (network);
      script = ls_code_generate (network, language, NULL);
      printed = run_script (script);
      g_assert_nonnull (strstr (printed, "predicted 1 back\\slash\nnew line, ünïcödé ✓\n"));
    }
}

static void
test_float_exact (void)
{
  const float values[] = { 0.1f, 1.0f / 3.0f, -1.17549435e-38f, 3.40282347e38f, 16777217.0f };
  g_autoptr(GString) out = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_string_truncate (out, 0);
      ls_code_append_float (out, values[i]);
      g_assert_cmpfloat ((float) g_ascii_strtod (out->str, NULL), ==, values[i]);
    }
}

static void
test_too_big (void)
{
  g_autoptr(LsNetwork) network = ls_network_new (1024);
  g_autoptr(GError) error = NULL;
  char *script;

  /* 1024 × 2048 weights at up to 17 bytes each is about 34 MB. */
  g_assert_true (ls_network_insert_dense (network, 0, 2048, LS_ACTIVATION_RELU, NULL));
  script = ls_code_generate (network, LS_CODE_NUMPY, &error);
  g_assert_null (script);
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
  g_assert_nonnull (strstr (error->message, "MB"));
}

static void
test_no_layers (void)
{
  g_autoptr(LsNetwork) network = ls_network_new (3);
  g_autoptr(GError) error = NULL;
  char *script = ls_code_generate (network, LS_CODE_PYTORCH, &error);

  g_assert_null (script);
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
}

/* ---- The converter from PyTorch ---- */

static char *
get_source_path (const char *directory,
                 const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "..", directory, name, NULL);
}

/* Parses a line of numbers separated by spaces. */
static GArray *
parse_numbers (const char *line)
{
  g_auto(GStrv) fields = g_strsplit (line, " ", -1);
  GArray *numbers = g_array_new (FALSE, FALSE, sizeof (float));

  for (gsize i = 0; fields[i] != NULL; i++)
    {
      float value = (float) g_ascii_strtod (fields[i], NULL);

      g_array_append_val (numbers, value);
    }

  return numbers;
}

/* tests/torch-models.py builds the PyTorch model named by data, saves its
 * state_dict and converts it with tools/torch-to-layerscope.py. Our
 * forward pass of the document must give PyTorch's outputs for the same
 * input, which the script writes to <case>.expected. */
static void
test_converter_case (gconstpointer data)
{
  const char *name = data;
  g_autofree char *models = get_source_path ("tests", "torch-models.py");
  g_autofree char *converter = get_source_path ("tools", "torch-to-layerscope.py");
  g_autofree char *directory = g_dir_make_tmp ("layerscope-convert-XXXXXX", NULL);
  const char *arguments[] = { models, converter, directory, name, NULL };
  g_autofree char *printed = run_python (arguments);
  g_autofree char *document_path = g_strdup_printf ("%s/%s.json", directory, name);
  g_autofree char *expected_path = g_strdup_printf ("%s/%s.expected", directory, name);
  g_autofree char *state_path = g_strdup_printf ("%s/%s.pt", directory, name);
  g_autoptr(GFile) file = g_file_new_for_path (document_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(LsNetwork) network = ls_document_load_file (file, &error);
  g_autofree char *expected_text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GArray) input = NULL;
  g_autoptr(GArray) expected = NULL;
  const float *output;

  g_assert_no_error (error);
  g_file_get_contents (expected_path, &expected_text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (expected_text, "\n", -1);
  input = parse_numbers (lines[0]);
  expected = parse_numbers (lines[1]);

  g_assert_true (ls_network_set_input (network, (const float *) input->data, input->len, &error));
  g_assert_no_error (error);
  ls_network_forward (network);
  output = ls_network_get_output (network);
  g_assert_cmpuint (ls_network_get_output_size (network), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      float value = g_array_index (expected, float, i);

      if (fabs (output[i] - value) > ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * fabs (value))
        g_error ("%s output %u: PyTorch computes %.9g, Layerscope %.9g", name, i, value, output[i]);
    }

  g_unlink (document_path);
  g_unlink (expected_path);
  g_unlink (state_path);
  g_rmdir (directory);
}

/* A module without a Layerscope layer is named, with its index, in the
 * error, and no document is written. */
static void
test_converter_unsupported (void)
{
  g_autofree char *models = get_source_path ("tests", "torch-models.py");
  g_autofree char *converter = get_source_path ("tools", "torch-to-layerscope.py");
  g_autofree char *directory = g_dir_make_tmp ("layerscope-convert-XXXXXX", NULL);
  g_autofree char *document_path = g_build_filename (directory, "unsupported.json", NULL);
  const char *argv[] = { get_python (), converter, models, "--model", "unsupported",
                         "--input-shape", "4", "-o", document_path, NULL };
  g_autofree char *standard_error = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                NULL, &standard_error, &status, &error);
  g_assert_no_error (error);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (standard_error, "module 1 (BatchNorm1d) is not supported"));
  g_assert_false (g_file_test (document_path, G_FILE_TEST_EXISTS));
  g_rmdir (directory);
}

/* Removes directory, the files in it and its empty folders. */
static void
remove_directory (const char *directory)
{
  g_autoptr(GDir) dir = g_dir_open (directory, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (directory, name, NULL);

      if (g_remove (path) != 0)
        g_rmdir (path);
    }
  g_rmdir (directory);
}

typedef struct
{
  const char *model;       /* model file name in the temporary folder */
  const char *state;       /* state_dict file name, or NULL */
  const char *output;      /* -o, in the temporary folder */
  const char *expected;    /* in the one line on standard error */
} ConverterErrorCase;

/* Writes the files of the error cases into directory: PyTorch saves a
 * whole model and a list where a state_dict belongs, and the rest are
 * plain text. */
static void
write_converter_error_files (const char *directory)
{
  static const char *const texts[][2] = {
    { "good.py", "from torch import nn\nmodel = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2), nn.Softmax(dim=1))\n" },
    { "model.txt", "from torch import nn\nmodel = nn.Sequential(nn.Linear(3, 2))\n" },
    { "syntax.py", "from torch import nn\nmodel = nn.Sequential(nn.Linear(3, 2)\n" },
    { "softmax0.py", "from torch import nn\nmodel = nn.Sequential(nn.Linear(3, 4), nn.Softmax(dim=0))\n" },
    { "flatten2.py", "from torch import nn\nmodel = nn.Sequential(nn.Flatten(start_dim=2), nn.Linear(3, 2))\n" },
    { "garbage.pt", "garbage" },
  };
  g_autofree char *code = g_strdup_printf ("import sys, torch\n"
                                           "from torch import nn\n"
                                           "model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))\n"
                                           "torch.save(model, sys.argv[1] + '/whole.pt')\n"
                                           "torch.save([1, 2], sys.argv[1] + '/list.pt')\n");
  const char *arguments[] = { "-c", code, directory, NULL };
  g_autofree char *folder = g_build_filename (directory, "folder", NULL);
  g_autofree char *printed = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *path = g_build_filename (directory, texts[i][0], NULL);
      g_autoptr(GError) error = NULL;

      g_file_set_contents (path, texts[i][1], -1, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  printed = run_python (arguments);
}

/* Common mistakes end in one line that names the file and what to do,
 * exit status 2 and no document, never in a Python traceback. */
static void
test_converter_errors (void)
{
  static const ConverterErrorCase cases[] = {
    { "good.py", "whole.pt", "x.json", "whole.pt contains a whole model, not a state_dict" },
    { "good.py", "list.pt", "x.json", "list.pt contains a list, not a state_dict" },
    { "good.py", "garbage.pt", "x.json", "garbage.pt is not a file saved with torch.save()" },
    { "syntax.py", NULL, "x.json", "syntax.py, line 2: syntax error" },
    { "model.txt", NULL, "x.json", "model.txt: the model file must be Python source whose name ends in .py" },
    { "good.py", NULL, "missing/x.json", "the folder" },
    { "good.py", NULL, "folder", "is a folder" },
    { "softmax0.py", NULL, "x.json", "module 1 (Softmax) is over dim 0" },
    { "flatten2.py", NULL, "x.json", "module 0 (Flatten) has start_dim=2" },
  };
  g_autofree char *converter = get_source_path ("tools", "torch-to-layerscope.py");
  g_autofree char *directory = g_dir_make_tmp ("layerscope-convert-XXXXXX", NULL);
  g_autofree char *written = g_build_filename (directory, "x.json", NULL);

  write_converter_error_files (directory);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *model = g_build_filename (directory, cases[i].model, NULL);
      g_autofree char *state = cases[i].state != NULL ? g_build_filename (directory, cases[i].state, NULL) : NULL;
      g_autofree char *output = g_build_filename (directory, cases[i].output, NULL);
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autofree char *standard_error = NULL;
      g_autoptr(GError) error = NULL;
      int status = 0;

      g_test_message ("%s %s -o %s", cases[i].model, cases[i].state, cases[i].output);
      g_ptr_array_add (argv, (gpointer) get_python ());
      g_ptr_array_add (argv, converter);
      g_ptr_array_add (argv, model);
      /* the state_dict, where given, right after the model file */
      if (state != NULL)
        g_ptr_array_add (argv, state);
      g_ptr_array_add (argv, (gpointer) "--input-shape");
      g_ptr_array_add (argv, (gpointer) "3");
      g_ptr_array_add (argv, (gpointer) "-o");
      g_ptr_array_add (argv, output);
      g_ptr_array_add (argv, NULL);
      g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                    NULL, &standard_error, &status, &error);
      g_assert_no_error (error);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 2);
      g_assert_true (g_str_has_prefix (standard_error, "torch-to-layerscope: "));
      g_assert_nonnull (strstr (standard_error, cases[i].expected));
      /* one line, no traceback */
      g_assert_true (strchr (standard_error, '\n') == standard_error + strlen (standard_error) - 1);
      g_assert_false (g_file_test (written, G_FILE_TEST_EXISTS));
    }

  remove_directory (directory);
}

int
main (int   argc,
      char *argv[])
{
  static const char *const examples[] = {
    "cat-or-dog.json", "digits-cnn.json", "digits-dense.json", "fashion-cnn.json",
    "greater-than-five.json", "sentiment.json", "spiral.json", "xor.json",
  };
  static const char *const converter_cases[] = {
    "dense", "activations", "conv", "conv_strided",
  };

  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (network_cases); i++)
    {
      g_autofree char *numpy = g_strdup_printf ("/code/numpy/%s", network_cases[i].name);
      g_autofree char *pytorch = g_strdup_printf ("/code/pytorch/%s", network_cases[i].name);

      g_test_add_data_func (numpy, &network_cases[i], test_numpy_case);
      g_test_add_data_func (pytorch, &network_cases[i], test_pytorch_case);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      g_autofree char *path = g_strdup_printf ("/code/example/%s", examples[i]);

      g_test_add_data_func (path, examples[i], test_example);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (converter_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/code/converter/%s", converter_cases[i]);

      g_test_add_data_func (path, converter_cases[i], test_converter_case);
    }
  g_test_add_func ("/code/converter/unsupported", test_converter_unsupported);
  g_test_add_func ("/code/converter/errors", test_converter_errors);

  g_test_add_func ("/code/sigmoid/threshold", test_sigmoid_threshold);
  g_test_add_func ("/code/names/escaped", test_names_escaped);
  g_test_add_func ("/code/float/exact", test_float_exact);
  g_test_add_func ("/code/size/too-big", test_too_big);
  g_test_add_func ("/code/size/no-layers", test_no_layers);

  return g_test_run ();
}
