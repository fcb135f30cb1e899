/* test-explain.c: the worked formulas that the inspector shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "ls-document.h"
#include "ls-explain.h"
#include "ls-explain-private.h"
#include "ls-number.h"
#include "ls-render-private.h"

static LsNetwork *
load_example (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples",
                                                  "cat-or-dog.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  LsNetwork *network = ls_document_load_file (file, &error);

  g_assert_no_error (error);

  return network;
}

static void
test_neuron_names (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  static const struct {
    gsize column;
    gsize unit;
    const char *name;
  } cases[] = {
    { 0, 0, "pixel 1" },
    { 1, 0, "h1" },
    { 1, 3, "h4" },
    { 2, 0, "Cat" },
    { 2, 1, "Dog" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = ls_explain_neuron_name (network, cases[i].column, cases[i].unit);

      g_assert_cmpstr (name, ==, cases[i].name);
    }
}

/* The expected texts are the example's weights and the lesson's trace
 * written out by hand: h1 = 0.5×0.40 + 0.8×0.50 + 0.2×0.10 = 0.62, and
 * h2 = 0.5×(−0.30) + 0.8×(−0.20) + 0.2×0.40 = −0.23, which ReLU makes 0. */
static void
test_dense_formula (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autofree char *h1 = ls_explain_neuron (network, 1, 0);
  g_autofree char *h2 = ls_explain_neuron (network, 1, 1);

  g_assert_cmpstr (h1, ==, "h1 = ReLU(0.5×0.40 + 0.8×0.50 + 0.2×0.10 + 0.00) = 0.62");
  g_assert_cmpstr (h2, ==, "h2 = ReLU(0.5×(−0.30) + 0.8×(−0.20) + 0.2×0.40 + 0.00) = 0.00");
}

/* z(Cat) = 0.62×0.9 + 0×(−0.4) + 0.91×1.1 + 0.15×(−0.5) + 0 = 1.484 and
 * z(Dog) = 0.62×(−0.6) + 0 + 0.91×(−0.2) + 0.15×0.4 + 0.46 = −0.034, by
 * hand; e^1.484 / (e^1.484 + e^−0.034) = 0.8202. */
static void
test_softmax_formula (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autofree char *cat = ls_explain_neuron (network, 2, 0);

  g_assert_cmpstr (cat, ==,
                   "z(Cat) = 0.62×0.90 + 0×(−0.40) + 0.91×1.10 + 0.15×(−0.50) + 0.00 = 1.48\n"
                   "Cat = e^1.48 / (e^1.48 + e^−0.03) = 0.82");
}

/* A label such as "x > 5" is quoted in a formula, but not as a name.
 * By hand: 6 × 2 − 10 = 2 and sigmoid(2) = 1 / (1 + e^−2) = 0.8808. */
static void
test_formula_quotes_label (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples",
                                                  "greater-than-five.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(LsNetwork) network = ls_document_load_file (file, &error);
  g_autofree char *name = NULL;
  g_autofree char *formula = NULL;

  g_assert_no_error (error);
  name = ls_explain_neuron_name (network, 1, 0);
  formula = ls_explain_neuron (network, 1, 0);

  g_assert_cmpstr (name, ==, "x > 5");
  g_assert_cmpstr (formula, ==, "“x > 5” = Sigmoid(6×2.00 + (−10.00)) = 0.88");
}

static void
test_input_formula (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autofree char *text = ls_explain_neuron (network, 0, 1);

  g_assert_cmpstr (text, ==, "pixel 2 = 0.80 (an input value: it is not computed)");
}

/* A neuron with more than 8 inputs lists the first and last four. */
static void
test_long_formula_elided (void)
{
  g_autoptr(LsNetwork) network = ls_network_new (20);
  g_autofree char *text = NULL;
  g_auto(GStrv) products = NULL;

  g_assert_true (ls_network_insert_dense (network, 0, 1, LS_ACTIVATION_IDENTITY, NULL));
  text = ls_explain_neuron (network, 1, 0);
  products = g_strsplit (text, "×", -1);

  g_assert_nonnull (strstr (text, "… 12 more terms … + "));
  g_assert_cmpuint (g_strv_length (products) - 1, ==, 8);
}

/* Builds a network on an image input of shape [channels, height, width]
 * with the given values. */
static LsNetwork *
new_image_network (gsize        channels,
                   gsize        height,
                   gsize        width,
                   const float *values)
{
  LsShape shape;
  LsNetwork *network;

  ls_shape_init_3d (&shape, channels, height, width);
  network = ls_network_new_with_shape (&shape);
  g_assert_true (ls_network_set_input (network, values, channels * height * width, NULL));

  return network;
}

static void
init_window (LsWindow      *window,
             gsize          size,
             gsize          stride,
             LsPaddingMode  padding_mode)
{
  const gsize kernel[2] = { size, size };
  const gsize strides[2] = { stride, stride };
  const gsize padding[2] = { 0, 0 };

  g_assert_true (ls_window_init (window, kernel, strides, padding_mode, padding, NULL));
}

static void
test_shape_text (void)
{
  LsShape image, vector;
  g_autofree char *image_text = NULL;
  g_autofree char *vector_text = NULL;

  ls_shape_init_3d (&image, 1, 28, 28);
  ls_shape_init_1d (&vector, 64);
  image_text = ls_explain_shape (&image);
  vector_text = ls_explain_shape (&vector);

  g_assert_cmpstr (image_text, ==, "1 × 28 × 28");
  g_assert_cmpstr (vector_text, ==, "64");
}

static void
test_image_names (void)
{
  const float values[2 * 2 * 3] = { 0 };
  g_autoptr(LsNetwork) network = new_image_network (2, 2, 3, values);
  LsWindow window;
  const char *labels[] = { "edges", NULL };
  g_autofree char *input = NULL;
  g_autofree char *map = NULL;
  g_autofree char *labelled = NULL;

  init_window (&window, 1, 1, LS_PADDING_VALID);
  g_assert_true (ls_network_insert_conv2d (network, 0, 2, &window, LS_ACTIVATION_RELU, NULL));

  /* Flat index 10 of [2][2][3] is channel 2, row 2, column 2; index 5
   * is channel 1, row 2, column 3. */
  input = ls_explain_neuron_name (network, 0, 10);
  map = ls_explain_neuron_name (network, 1, 10);
  g_assert_cmpstr (input, ==, "x2(2,2)");
  g_assert_cmpstr (map, ==, "f1,2(2,2)");

  ls_network_set_layer_labels (network, 0, labels);
  labelled = ls_explain_neuron_name (network, 1, 5);
  g_assert_cmpstr (labelled, ==, "edges(2,3)");
}

/* Checks the titles of every layer, the last one "output". */
static void
assert_layer_titles (LsNetwork          *network,
                     const char * const *expected)
{
  gsize n_layers = ls_network_get_n_layers (network);

  g_assert_cmpuint (g_strv_length ((char **) expected), ==, n_layers);
  for (gsize i = 0; i < n_layers; i++)
    {
      g_autofree char *title = ls_explain_layer_title (network, i);

      g_test_message ("layer %zu", i);
      g_assert_cmpstr (title, ==, expected[i]);
    }
}

/* Untitled convolution and pooling layers are numbered among their kind,
 * as the examples name theirs ("conv 1", "pool 1"), while untitled dense
 * layers keep "hidden N" with N counting every layer. */
static void
test_layer_titles (void)
{
  const float values[1 * 8 * 8] = { 0 };
  g_autoptr(LsNetwork) network = new_image_network (1, 8, 8, values);
  LsWindow conv, pool;
  const char * const untitled[] = { "conv 1", "pool 1", "conv 2", "pool 2", "flatten", "hidden 6", "output", NULL };
  const char * const renamed[] = { "conv 3", "conv 1", "pool 1", "conv 2", "pool 2", "flatten", "hidden 7",
                                   "output", NULL };

  init_window (&conv, 3, 1, LS_PADDING_SAME);
  init_window (&pool, 2, 2, LS_PADDING_VALID);
  g_assert_true (ls_network_insert_conv2d (network, 0, 2, &conv, LS_ACTIVATION_RELU, NULL));
  g_assert_true (ls_network_insert_pool2d (network, 1, LS_LAYER_MAXPOOL2D, &pool, NULL));
  g_assert_true (ls_network_insert_conv2d (network, 2, 2, &conv, LS_ACTIVATION_RELU, NULL));
  g_assert_true (ls_network_insert_pool2d (network, 3, LS_LAYER_AVGPOOL2D, &pool, NULL));
  g_assert_true (ls_network_insert_flatten (network, 4, NULL));
  g_assert_true (ls_network_insert_dense (network, 5, 4, LS_ACTIVATION_RELU, NULL));
  g_assert_true (ls_network_insert_dense (network, 6, 2, LS_ACTIVATION_SOFTMAX, NULL));
  assert_layer_titles (network, untitled);

  /* A convolution inserted in front of one named "conv 1" takes the next
   * number that no name uses, so that no two columns share a title. */
  for (gsize i = 0; i < 4; i++)
    {
      g_autofree char *title = ls_explain_layer_title (network, i);

      ls_network_set_layer_name (network, i, title);
    }
  g_assert_true (ls_network_insert_conv2d (network, 0, 1, &conv, LS_ACTIVATION_RELU, NULL));
  assert_layer_titles (network, renamed);
}

/* A 3×3 kernel with "same" padding at the top left pixel of a 3×3 image:
 * the window's first row and column lie on the padding, so they read 0.
 * By hand: z = 0.2×(−2) + 0.5×(−1) + 0.05 = −0.85, and ReLU makes it 0. */
static void
test_conv2d_formula_one_channel (void)
{
  const float image[] = { 0.1f, 0.2f, 0.3f,
                          0.4f, 0.5f, 0.6f,
                          0.7f, 0.8f, 0.9f };
  const float kernel[] = { 1, 0, -1,
                           2, 0, -2,
                           1, 0, -1 };
  g_autoptr(LsNetwork) network = new_image_network (1, 3, 3, image);
  g_autofree char *text = NULL;
  LsWindow window;

  init_window (&window, 3, 1, LS_PADDING_SAME);
  g_assert_true (ls_network_insert_conv2d (network, 0, 1, &window, LS_ACTIVATION_RELU, NULL));
  g_assert_true (ls_network_set_kernel (network, 0, 0, 0, kernel, G_N_ELEMENTS (kernel), NULL));
  g_assert_true (ls_network_set_bias (network, 0, 0, 0.05f, NULL));
  text = ls_explain_neuron (network, 1, 0);

  g_assert_cmpstr (text, ==,
                   "z = 0×1.00 + 0×0.00 + 0×(−1.00)\n"
                   "  + 0×2.00 + 0.1×0.00 + 0.2×(−2.00)\n"
                   "  + 0×1.00 + 0.4×0.00 + 0.5×(−1.00)\n"
                   "  + 0.05 = −0.85\n"
                   "f1,1(1,1) = ReLU(−0.85) = 0.00");
}

/* Two input channels: the first is written out, the second summed. By
 * hand: channel 1 gives 1×1 + 4×1 = 5, channel 2 gives 4 × 0.5 = 2, and
 * z = 5 + 2 − 1 = 6. */
static void
test_conv2d_formula_channels (void)
{
  const float image[] = { 1, 2,
                          3, 4,
                          0.5f, 0.5f,
                          0.5f, 0.5f };
  const float diagonal[] = { 1, 0, 0, 1 };
  const float ones[] = { 1, 1, 1, 1 };
  g_autoptr(LsNetwork) network = new_image_network (2, 2, 2, image);
  g_autofree char *text = NULL;
  LsWindow window;

  init_window (&window, 2, 1, LS_PADDING_VALID);
  g_assert_true (ls_network_insert_conv2d (network, 0, 1, &window, LS_ACTIVATION_IDENTITY, NULL));
  g_assert_true (ls_network_set_kernel (network, 0, 0, 0, diagonal, 4, NULL));
  g_assert_true (ls_network_set_kernel (network, 0, 0, 1, ones, 4, NULL));
  g_assert_true (ls_network_set_bias (network, 0, 0, -1.0f, NULL));
  text = ls_explain_neuron (network, 1, 0);

  g_assert_cmpstr (text, ==,
                   "channel 1: 1×1.00 + 2×0.00\n"
                   "         + 3×0.00 + 4×1.00 = 5.00\n"
                   "channel 2: Σ = 2.00\n"
                   "z = 5.00 + 2.00 + (−1.00) = 6.00\n"
                   "f1,1(1,1) = Identity(6.00) = 6.00");
}

/* Five channels of one value each, all weights 1: the sums are the
 * values, and the total puts four of them on its first line. */
static void
test_conv2d_formula_many_channels (void)
{
  const float image[] = { 1, 2, 3, 4, 5 };
  const float one = 1.0f;
  g_autoptr(LsNetwork) network = new_image_network (5, 1, 1, image);
  g_autofree char *text = NULL;
  LsWindow window;

  init_window (&window, 1, 1, LS_PADDING_VALID);
  g_assert_true (ls_network_insert_conv2d (network, 0, 1, &window, LS_ACTIVATION_IDENTITY, NULL));
  for (gsize c = 0; c < 5; c++)
    g_assert_true (ls_network_set_kernel (network, 0, 0, c, &one, 1, NULL));
  text = ls_explain_neuron (network, 1, 0);

  g_assert_cmpstr (text, ==,
                   "channel 1: 1×1.00 = 1.00\n"
                   "channel 2: Σ = 2.00\n"
                   "channel 3: Σ = 3.00\n"
                   "channel 4: Σ = 4.00\n"
                   "channel 5: Σ = 5.00\n"
                   "z = 1.00 + 2.00 + 3.00 + 4.00\n"
                   "  + 5.00 + 0.00 = 15.00\n"
                   "f1,1(1,1) = Identity(15.00) = 15.00");
}

/* 2×2 pooling with stride 2 over a 2×4 image; the second output reads
 * columns 3 and 4: 0.2, 0.9, 0.4 and 0.7. By hand: the max is 0.9 and
 * the mean 2.2 / 4 = 0.55. */
static void
test_pool2d_formula (void)
{
  const float image[] = { 0.1f, 0.5f, 0.2f, 0.9f,
                          0.3f, 0.2f, 0.4f, 0.7f };
  g_autoptr(LsNetwork) max_network = new_image_network (1, 2, 4, image);
  g_autoptr(LsNetwork) mean_network = new_image_network (1, 2, 4, image);
  g_autofree char *max = NULL;
  g_autofree char *mean = NULL;
  LsWindow window;

  init_window (&window, 2, 2, LS_PADDING_VALID);
  g_assert_true (ls_network_insert_pool2d (max_network, 0, LS_LAYER_MAXPOOL2D, &window, NULL));
  g_assert_true (ls_network_insert_pool2d (mean_network, 0, LS_LAYER_AVGPOOL2D, &window, NULL));
  max = ls_explain_neuron (max_network, 1, 1);
  mean = ls_explain_neuron (mean_network, 1, 1);

  g_assert_cmpstr (max, ==, "f1,1(1,2) = max(0.20, 0.90, 0.40, 0.70) = 0.90");
  g_assert_cmpstr (mean, ==, "f1,1(1,2) = mean(0.20, 0.90, 0.40, 0.70) = 2.20 / 4 = 0.55");
}

/* Flatten copies value 2 of the [1][2][2] input, x(1,2) = 0.5. */
static void
test_flatten_formula (void)
{
  const float image[] = { 0.25f, 0.5f, 0.75f, 1 };
  g_autoptr(LsNetwork) network = new_image_network (1, 2, 2, image);
  g_autofree char *text = NULL;

  g_assert_true (ls_network_insert_flatten (network, 0, NULL));
  g_assert_true (ls_network_insert_dense (network, 1, 1, LS_ACTIVATION_SIGMOID, NULL));
  text = ls_explain_neuron (network, 1, 1);

  g_assert_cmpstr (text, ==, "h2 = x(1,2) = 0.50 (flatten copies the value)");
}

/* Builds the two-token network of the hand calculations below. It reads
 * the text "a b" over the vocabulary [UNK], a, b. Its embedding of width
 * d = 2 has the rows a = (1, 0) and b = (0, 1), and sinusoidal positions
 * follow. The attention has one head, wq = wk = wv = wo = I, zero biases
 * and a residual. The layer norm has gamma (2, 3) and beta (0.5, −0.5),
 * and the dense layer per token W = [[1, 2], [−1, 0.5]], b = (0.1, −0.2)
 * and no activation. Mean token pooling and a softmax output of two
 * units end it. */
static LsNetwork *
new_token_network (gboolean causal)
{
  static const char *const words[] = { "[UNK]", "a", "b", NULL };
  const LsInit init = { LS_INIT_XAVIER, 1 };
  const float identity[] = { 1, 0, 0, 1 };
  const float dense[2][2] = { { 1, 2 }, { -1, 0.5f } };
  g_autoptr(LsVocabulary) vocabulary = ls_vocabulary_new (words, NULL);
  g_autoptr(GError) error = NULL;
  LsNetwork *network = ls_network_new_with_tokens (vocabulary, 8, "a b", &error);
  LsLayer *embedding = ls_layer_new_embedding (2, 3, 2, &init, NULL);

  g_assert_no_error (error);
  memset (embedding->weights, 0, 6 * sizeof (float));
  embedding->weights[1 * 2 + 0] = 1.0f;
  embedding->weights[2 * 2 + 1] = 1.0f;
  g_assert_true (ls_network_append_layer (network, embedding, &error));
  g_assert_true (ls_network_insert_positional (network, 1, LS_POSITIONAL_SINUSOIDAL, &error));
  g_assert_true (ls_network_insert_attention (network, 2, 1, causal, TRUE, &error));
  for (guint m = 0; m < LS_N_ATTENTION_MATRICES; m++)
    {
      g_assert_true (ls_network_set_attention_matrix (network, 2, m, identity, 4, &error));
      for (gsize j = 0; j < 2; j++)
        g_assert_true (ls_network_set_attention_bias (network, 2, m, j, 0.0f, &error));
    }

  g_assert_true (ls_network_insert_layernorm (network, 3, &error));
  g_assert_true (ls_network_set_weight (network, 3, 0, 0, 2.0f, &error));
  g_assert_true (ls_network_set_weight (network, 3, 0, 1, 3.0f, &error));
  g_assert_true (ls_network_set_bias (network, 3, 0, 0.5f, &error));
  g_assert_true (ls_network_set_bias (network, 3, 1, -0.5f, &error));

  g_assert_true (ls_network_insert_dense (network, 4, 2, LS_ACTIVATION_IDENTITY, &error));
  for (gsize i = 0; i < 2; i++)
    for (gsize j = 0; j < 2; j++)
      g_assert_true (ls_network_set_weight (network, 4, i, j, dense[i][j], &error));
  g_assert_true (ls_network_set_bias (network, 4, 0, 0.1f, &error));
  g_assert_true (ls_network_set_bias (network, 4, 1, -0.2f, &error));

  g_assert_true (ls_network_insert_pool_tokens (network, 5, LS_TOKEN_POOLING_MEAN, &error));
  g_assert_true (ls_network_insert_dense (network, 6, 2, LS_ACTIVATION_SOFTMAX, &error));
  g_assert_no_error (error);

  return network;
}

static void
test_token_titles (void)
{
  g_autoptr(LsNetwork) network = new_token_network (FALSE);
  static const char *const titles[] = { "embedding", "positions", "attention", "norm",
                                        "hidden 5", "pool", "output" };

  for (gsize i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      g_autofree char *title = ls_explain_layer_title (network, i);

      g_assert_cmpstr (title, ==, titles[i]);
    }

  /* A second attention layer numbers both. */
  g_assert_true (ls_network_insert_attention (network, 3, 1, FALSE, TRUE, NULL));
  for (gsize i = 2; i <= 3; i++)
    {
      g_autofree char *title = ls_explain_layer_title (network, i);
      g_autofree char *expected = g_strdup_printf ("attention %zu", i - 1);

      g_assert_cmpstr (title, ==, expected);
    }
}

static void
test_token_names (void)
{
  g_autoptr(LsNetwork) network = new_token_network (FALSE);
  static const struct {
    gsize column;
    gsize unit;
    const char *name;
  } cases[] = {
    { 0, 1, "b" },
    { 1, 0, "a·1" },
    { 1, 3, "b·2" },
    { 3, 2, "b·1" },
    { 6, 1, "h6,2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = ls_explain_neuron_name (network, cases[i].column, cases[i].unit);

      g_assert_cmpstr (name, ==, cases[i].name);
    }
}

/* Token b is word 2, whose table row is (0, 1). */
static void
test_embedding_formula (void)
{
  g_autoptr(LsNetwork) network = new_token_network (FALSE);
  g_autofree char *text = ls_explain_neuron (network, 1, 3);
  g_autofree char *input = ls_explain_neuron (network, 0, 1);

  g_assert_cmpstr (text, ==, "b·2 = 1.00, value 2 of the table's row for word 2:\n(0.00, 1.00)");
  g_assert_cmpstr (input, ==, "“b” is token 2 of the text, word 2 of the vocabulary "
                              "(an input: it is not computed)");
}

/* With d = 2, position 1 adds PE = (sin 1, cos 1) = (0.8415, 0.5403). */
static void
test_positional_formula (void)
{
  g_autoptr(LsNetwork) network = new_token_network (FALSE);
  g_autofree char *sine = ls_explain_neuron (network, 2, 2);
  g_autofree char *cosine = ls_explain_neuron (network, 2, 3);

  g_assert_cmpstr (sine, ==, "b·1 = x + PE = 0.00 + 0.84 = 0.84\n"
                             "PE = sin(1 / 10000^(0/2)) = sin(1.00) = 0.84, at position 1 (token 2)");
  g_assert_cmpstr (cosine, ==, "b·2 = x + PE = 1.00 + 0.54 = 1.54\n"
                               "PE = cos(1 / 10000^(0/2)) = cos(1.00) = 0.54, at position 1 (token 2)");
}

/* The attention reads x_a = (1, 0) + (0, 1) = (1, 1) and
 * x_b = (0, 1) + (0.8415, 0.5403) = (0.8415, 1.5403), and with identity
 * matrices q = k = v = x. For query b, by hand:
 *   q·k_a = 0.8415 + 1.5403 = 2.3818, scaled by 1/√2: 1.6842
 *   q·k_b = 0.8415² + 1.5403² = 3.0806, scaled 2.1783
 *   softmax: w_b = 1 / (1 + e^(1.6842 − 2.1783)) = 0.6211, w_a = 0.3789
 *   c1 = 0.3789×1 + 0.6211×0.8415 = 0.9015
 *   c2 = 0.3789×1 + 0.6211×1.5403 = 1.3356
 *   output = x_b + c·I = (1.7430, 2.8759). */
static const char attention_b[] =
  "Head 1 of 1, query “b” (token 2), columns 1 to 2\n"
  "q = (0.84, 1.54)\n"
  "scores q·k, scaled by 1/√2 = 1/1.41, and their softmax weights:\n"
  "  a (1): q·k = 2.38, scaled 1.68, weight 37.9 %\n"
  "  b (2): q·k = 3.08, scaled 2.18, weight 62.1 %\n"
  "  sum of the weights = 100.0 %\n"
  "context c = Σ weight × v, columns 1 to 2:\n"
  "  c1 = 0.38×1.00 + 0.62×0.84 = 0.90\n"
  "  c2 = 0.38×1.00 + 0.62×1.54 = 1.34\n";

static void
test_attention_row (void)
{
  g_autoptr(LsNetwork) network = new_token_network (FALSE);
  g_autofree char *text = ls_explain_attention (network, 2, 1, 0);
  g_autofree char *expected = g_strconcat (attention_b,
                                           "attention = c·wo + bo, over all heads' columns = (0.90, 1.34)\n"
                                           "output = x + attention = (1.74, 2.88)", NULL);

  g_assert_cmpstr (text, ==, expected);
}

/* Value b·1 of the attention is column 1 of c·wo + bo = 0.9015×1 +
 * 1.3356×0 + 0, plus x = 0.8415 from the residual: 1.7430. */
static void
test_attention_value (void)
{
  g_autoptr(LsNetwork) network = new_token_network (FALSE);
  g_autofree char *text = ls_explain_neuron (network, 3, 2);
  g_autofree char *expected = g_strconcat (attention_b,
                                           "b·1: (c·wo)1 + bo = 0.90×1.00 + 1.34×0.00 + 0.00 = 0.90\n"
                                           "b·1 = x + attention = 0.84 + 0.90 = 1.74 (residual)", NULL);

  g_assert_cmpstr (text, ==, expected);
}

/* Under the causal mask query a attends only to itself: weight 1, and the
 * score of b is −∞. q·k_a = 1 + 1 = 2, scaled 2/√2 = 1.41. */
static void
test_attention_causal_mask (void)
{
  g_autoptr(LsNetwork) network = new_token_network (TRUE);
  g_autofree char *text = ls_explain_attention (network, 2, 0, 0);

  g_assert_nonnull (strstr (text, "  a (1): q·k = 2.00, scaled 1.41, weight 100.0 %\n"
                                  "  b (2): masked (−∞), weight 0.0 %\n"
                                  "  sum of the weights = 100.0 %\n"));
  g_assert_nonnull (strstr (text, "  c1 = 1.00×1.00 = 1.00\n"));
}

/* The norm reads b's attention output (1.7430, 2.8759): mean 2.3094,
 * variance ((−0.5665)² + 0.5665²) / 2 = 0.3208, so x̂ = ±0.5665 /
 * √(0.3208 + 1e−5) = ±1.00, and b·2 = 3×1.00 − 0.5 = 2.50. */
static void
test_layernorm_formula (void)
{
  g_autoptr(LsNetwork) network = new_token_network (FALSE);
  g_autofree char *text = ls_explain_neuron (network, 4, 3);

  g_assert_cmpstr (text, ==, "mean = (1.74 + 2.88) / 2 = 2.31\n"
                             "variance = Σ (x − mean)² / 2 = 0.32\n"
                             "x̂ = (x − mean) / √(variance + 1e-05) = (2.88 − 2.31) / √(0.32 + 1e-05) = 1.00\n"
                             "b·2 = γ·x̂ + β = 3.00×1.00 + (−0.50) = 2.50");
}

/* With d = 2 the norm gives (2×(−1) + 0.5, 3×1 − 0.5) = (−1.5, 2.5) for
 * both tokens, so the dense layer's value 1 is −1.5×1 + 2.5×(−1) + 0.1
 * = −3.9 for each, and so is their mean. */
static void
test_dense_token_and_pool_formulas (void)
{
  g_autoptr(LsNetwork) network = new_token_network (FALSE);
  g_autofree char *dense = ls_explain_neuron (network, 5, 2);
  g_autofree char *pool = ls_explain_neuron (network, 6, 0);

  g_assert_cmpstr (dense, ==, "z = −1.5×1.00 + 2.5×(−1.00) + 0.10 = −3.90\n"
                              "b·1 = Identity(z) = −3.90");
  g_assert_cmpstr (pool, ==, "h6,1 = mean over the 2 tokens = (−3.90 + (−3.90)) / 2 = −3.90");
}

/* First pooling copies token a's value of the same column: value 2 of
 * the dense layer, −1.5×2 + 2.5×0.5 − 0.2 = −1.95. */
static void
test_pool_first_formula (void)
{
  g_autoptr(LsNetwork) network = new_token_network (FALSE);
  g_autofree char *pool = NULL;

  ls_network_set_token_pooling (network, 5, LS_TOKEN_POOLING_FIRST);
  pool = ls_explain_neuron (network, 6, 1);

  g_assert_cmpstr (pool, ==, "h6,2 = a·2 = −1.95 (the first token's value)");
}

/* wq (0, 0) = wq (1, 0) = 3e38 makes q1 = 3e38 × (x1 + x2), which is
 * beyond the float range for both tokens because x1 + x2 ≥ 2 (a: (1, 1),
 * b: (0.84, 1.54) after the sinusoidal positions). The scores are then
 * infinite, and softmax gives NaN: ∞ − ∞. */
static void
test_attention_not_a_number (void)
{
  g_autoptr(LsNetwork) network = new_token_network (FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *row = NULL;
  g_autofree char *value = NULL;
  g_autofree char *row_folded = NULL;

  g_assert_true (ls_network_set_attention_weight (network, 2, LS_ATTENTION_QUERY, 0, 0, 3e38f, &error));
  g_assert_true (ls_network_set_attention_weight (network, 2, LS_ATTENTION_QUERY, 1, 0, 3e38f, &error));
  g_assert_no_error (error);
  g_assert_true (isnan (ls_layer_get_attention_head (ls_network_get_layer (network, 2), 0)[1 * 2 + 0]));

  row = ls_explain_attention (network, 2, 1, 0);
  value = ls_explain_neuron (network, 3, 2);
  row_folded = g_utf8_casefold (row, -1);

  g_assert_null (strstr (row_folded, "nan"));
  g_assert_null (strstr (row_folded, "inf"));
  g_assert_nonnull (strstr (row, "  sum of the weights = not a number\n"));
  g_assert_nonnull (strstr (row, "\nLayer 3 (attention) is the first to compute a value beyond the float range"));
  g_assert_nonnull (strstr (value, "b·1 = x + attention = 0.84 + not a number = not a number (residual)"));
  g_assert_nonnull (strstr (value, "\nLayer 3 (attention) is the first to compute a value beyond the float range"));
}

/* A formula without a value that is not a number gets no note. */
static void
test_finite_formula_has_no_note (void)
{
  g_autoptr(LsNetwork) network = new_token_network (FALSE);
  g_autofree char *value = ls_explain_neuron (network, 3, 2);

  g_assert_null (strstr (value, "float range"));
}

/* Appends "0.38×(−0.99)" as the formula writes a product of a softmax
 * weight and a value: both with two decimals, the value in parentheses
 * when negative. */
static void
append_product (GString *text,
                float    weight,
                float    value)
{
  g_autofree char *weight_text = ls_format_value (weight);
  g_autofree char *value_text = ls_format_value (value);

  g_string_append_printf (text, value < 0 ? "%s×(%s)" : "%s×%s", weight_text, value_text);
}

/* With 5 keys a context column lists only its 3 products of largest
 * magnitude, in key order, and counts the other 2. The expected terms are
 * picked here from the engine's attention weights and values. */
static void
test_attention_context_shortened (void)
{
  g_autoptr(LsNetwork) network = new_token_network (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) expected = g_string_new ("  c1 = ");
  g_autofree char *text = NULL;
  g_autofree char *result = NULL;
  const LsLayer *attention;
  const float *weights, *v;
  double products[5];
  gboolean shown[5] = { FALSE };
  gsize written = 0;

  g_assert_true (ls_network_set_text (network, "a b b a b", &error));
  g_assert_no_error (error);
  attention = ls_network_get_layer (network, 2);
  weights = ls_layer_get_attention_head (attention, 0) + 4 * 5;  /* query token 5 */
  v = ls_layer_get_attention_state (attention, LS_ATTENTION_VALUE);  /* [T][d] */
  for (gsize s = 0; s < 5; s++)
    products[s] = fabs ((double) weights[s] * v[s * 2]);
  for (gsize n = 0; n < 3; n++)
    {
      gssize best = -1;

      for (gsize s = 0; s < 5; s++)
        if (!shown[s] && (best < 0 || products[s] > products[best]))
          best = (gssize) s;
      shown[best] = TRUE;
    }
  for (gsize s = 0; s < 5; s++)
    if (shown[s])
      {
        if (written++ > 0)
          g_string_append (expected, " + ");
        append_product (expected, weights[s], v[s * 2]);
      }
  result = ls_format_value (ls_layer_get_attention_state (attention, LS_ATTENTION_OUTPUT)[4 * 2]);
  g_string_append_printf (expected, " + 2 smaller terms = %s\n", result);

  text = ls_explain_attention (network, 2, 4, 0);
  g_assert_nonnull (strstr (text, expected->str));
}

/* In German the formulas and the short values inside small neurons use a
 * decimal comma, as glibc's de_DE locale defines it; tools/install-deps.sh
 * generates that locale. */
static void
test_numbers_follow_locale (void)
{
  g_autofree char *input = NULL;
  g_autofree char *later = NULL;
  g_autofree char *short_value = NULL;

  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") == NULL)
    g_error ("The de_DE.UTF-8 locale is missing. Run tools/install-deps.sh to generate it");
  input = ls_explain_format_input (0.5);
  later = ls_explain_format_later_input (-2.25);
  short_value = ls_render_format_short_value (-12.34);
  setlocale (LC_NUMERIC, "C");

  g_assert_cmpstr (input, ==, "0,5");
  g_assert_cmpstr (later, ==, "(−2,25)");
  g_assert_cmpstr (short_value, ==, "−12,3");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/explain/neuron-names", test_neuron_names);
  g_test_add_func ("/explain/numbers-follow-locale", test_numbers_follow_locale);
  g_test_add_func ("/explain/dense-formula", test_dense_formula);
  g_test_add_func ("/explain/softmax-formula", test_softmax_formula);
  g_test_add_func ("/explain/input-formula", test_input_formula);
  g_test_add_func ("/explain/formula-quotes-label", test_formula_quotes_label);
  g_test_add_func ("/explain/long-formula-elided", test_long_formula_elided);
  g_test_add_func ("/explain/shape-text", test_shape_text);
  g_test_add_func ("/explain/image-names", test_image_names);
  g_test_add_func ("/explain/layer-titles", test_layer_titles);
  g_test_add_func ("/explain/conv2d-formula-one-channel", test_conv2d_formula_one_channel);
  g_test_add_func ("/explain/conv2d-formula-channels", test_conv2d_formula_channels);
  g_test_add_func ("/explain/conv2d-formula-many-channels", test_conv2d_formula_many_channels);
  g_test_add_func ("/explain/pool2d-formula", test_pool2d_formula);
  g_test_add_func ("/explain/flatten-formula", test_flatten_formula);
  g_test_add_func ("/explain/token-titles", test_token_titles);
  g_test_add_func ("/explain/token-names", test_token_names);
  g_test_add_func ("/explain/embedding-formula", test_embedding_formula);
  g_test_add_func ("/explain/positional-formula", test_positional_formula);
  g_test_add_func ("/explain/attention-row", test_attention_row);
  g_test_add_func ("/explain/attention-value", test_attention_value);
  g_test_add_func ("/explain/attention-causal-mask", test_attention_causal_mask);
  g_test_add_func ("/explain/layernorm-formula", test_layernorm_formula);
  g_test_add_func ("/explain/dense-token-and-pool-formulas", test_dense_token_and_pool_formulas);
  g_test_add_func ("/explain/pool-first-formula", test_pool_first_formula);
  g_test_add_func ("/explain/attention-not-a-number", test_attention_not_a_number);
  g_test_add_func ("/explain/finite-formula-has-no-note", test_finite_formula_has_no_note);
  g_test_add_func ("/explain/attention-context-shortened", test_attention_context_shortened);

  return g_test_run ();
}
