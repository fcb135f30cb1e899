/* test-activation.c: activation functions against PyTorch and hand calculations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-activation"

#include <json-glib/json-glib.h>
#include <math.h>

#include "ls-engine.h"

/* Golden values are float32 results of PyTorch, written by
 * tools/make-golden.py. libm's expf, tanhf and erff may differ from
 * PyTorch's vectorised versions in the last bits, so values agree when
 * within 1e-5 relative or 1e-6 absolute, whichever is larger. */
#define RELATIVE_TOLERANCE 1e-5
#define ABSOLUTE_TOLERANCE 1e-6

#define MAX_VECTOR 32

static JsonObject *golden;

static void
load_golden (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "dense-golden.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  golden = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Copies a JSON array of numbers into values, [MAX_VECTOR] at most. */
static gsize
read_floats (JsonArray *array,
             float     *values)
{
  gsize n = json_array_get_length (array);

  g_assert_cmpuint (n, <=, MAX_VECTOR);
  for (gsize i = 0; i < n; i++)
    values[i] = (float) json_array_get_double_element (array, i);

  return n;
}

static void
assert_close (const char *what,
              gsize       index,
              float       actual,
              float       expected)
{
  double tolerance = MAX (RELATIVE_TOLERANCE * fabs (expected), ABSOLUTE_TOLERANCE);

  if (!(fabs ((double) actual - expected) <= tolerance))
    g_test_message ("%s[%" G_GSIZE_FORMAT "]: got %.9g, expected %.9g", what, index, actual, expected);
  g_assert_true (isfinite (actual));
  g_assert_cmpfloat_with_epsilon (actual, expected, tolerance);
}

static void
test_activation_golden_elementwise (void)
{
  JsonObject *table = json_object_get_object_member (golden, "activations");
  float input[MAX_VECTOR];
  gsize n = read_floats (json_object_get_array_member (table, "inputs"), input);

  for (LsActivation a = 0; a < LS_N_ACTIVATIONS; a++)
    {
      const char *name = ls_activation_get_name (a);
      float expected[MAX_VECTOR];
      float output[MAX_VECTOR];

      if (a == LS_ACTIVATION_SOFTMAX)
        continue;

      g_assert_true (json_object_has_member (table, name));
      g_assert_cmpuint (read_floats (json_object_get_array_member (table, name), expected), ==, n);

      ls_activation_apply (a, output, input, n);
      for (gsize i = 0; i < n; i++)
        assert_close (name, i, output[i], expected[i]);
    }
}

static void
test_activation_golden_softmax (void)
{
  JsonObject *table = json_object_get_object_member (golden, "activations");
  JsonArray *vectors = json_object_get_array_member (table, "softmax_vectors");

  g_assert_cmpuint (json_array_get_length (vectors), >, 0);

  for (guint v = 0; v < json_array_get_length (vectors); v++)
    {
      JsonObject *vector = json_array_get_object_element (vectors, v);
      float input[MAX_VECTOR];
      float expected[MAX_VECTOR];
      float output[MAX_VECTOR];
      gsize n = read_floats (json_object_get_array_member (vector, "input"), input);

      g_assert_cmpuint (read_floats (json_object_get_array_member (vector, "output"), expected), ==, n);

      ls_activation_apply (LS_ACTIVATION_SOFTMAX, output, input, n);
      for (gsize i = 0; i < n; i++)
        assert_close ("softmax", i, output[i], expected[i]);
    }
}

typedef struct
{
  LsActivation activation;
  float input;
  double expected;
  const char *source;
} HandCase;

static void
test_activation_hand_values (void)
{
  static const HandCase cases[] = {
    { LS_ACTIVATION_IDENTITY,   -3.25f, -3.25,        "identity" },
    { LS_ACTIVATION_RELU,       -2.0f,   0.0,         "max(0, -2)" },
    { LS_ACTIVATION_RELU,        3.0f,   3.0,         "max(0, 3)" },
    { LS_ACTIVATION_LEAKY_RELU, -2.0f,  -0.02,        "0.01 * -2" },
    { LS_ACTIVATION_LEAKY_RELU,  4.0f,   4.0,         "positive input passes" },
    { LS_ACTIVATION_SIGMOID,     0.0f,   0.5,         "1 / (1 + e^0)" },
    { LS_ACTIVATION_SIGMOID,     2.0f,   0.880797078, "1 / (1 + 0.135335283)" },
    { LS_ACTIVATION_TANH,        0.0f,   0.0,         "tanh 0" },
    { LS_ACTIVATION_TANH,        1.0f,   0.761594156, "(e^2 - 1) / (e^2 + 1) = 6.389056 / 8.389056" },
    { LS_ACTIVATION_GELU,        0.0f,   0.0,         "0 * Phi(0)" },
    { LS_ACTIVATION_GELU,        1.0f,   0.841344746, "1 * Phi(1), standard normal table" },
    { LS_ACTIVATION_GELU,       -1.0f,  -0.158655254, "-1 * Phi(-1) = -(1 - 0.841344746)" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      float output;

      g_test_message ("%s(%g): %s", ls_activation_get_name (cases[i].activation),
                      cases[i].input, cases[i].source);
      ls_activation_apply (cases[i].activation, &output, &cases[i].input, 1);
      g_assert_cmpfloat_with_epsilon (output, cases[i].expected, 1e-6);
    }
}

static void
test_activation_softmax_hand_values (void)
{
  const float input[] = { 1.0f, 2.0f, 3.0f };
  float output[3];

  /* e^k / (e + e² + e³) = e^(k-3) / (e^-2 + e^-1 + 1)
   *                     = e^(k-3) / (0.135335283 + 0.367879441 + 1)
   *                     = e^(k-3) / 1.503214724 */
  ls_activation_apply (LS_ACTIVATION_SOFTMAX, output, input, 3);

  g_assert_cmpfloat_with_epsilon (output[0], 0.090030573, 1e-6);
  g_assert_cmpfloat_with_epsilon (output[1], 0.244728471, 1e-6);
  g_assert_cmpfloat_with_epsilon (output[2], 0.665240956, 1e-6);
}

static void
test_activation_softmax_large_logits (void)
{
  const float large[] = { 800.0f, 1.0f, 1.0f };
  const float negative[] = { -800.0f, 0.0f };
  const float equal_large[] = { 1000.0f, 1000.0f };
  const float extreme[] = { 3.0e38f, -3.0e38f };
  float output[3];

  /* exp(800) overflows float, so these only work when the maximum is
   * subtracted first: exp(1 - 800) underflows to exactly 0. */
  ls_activation_apply (LS_ACTIVATION_SOFTMAX, output, large, 3);
  g_assert_cmpfloat (output[0], ==, 1.0f);
  g_assert_cmpfloat (output[1], ==, 0.0f);
  g_assert_cmpfloat (output[2], ==, 0.0f);

  ls_activation_apply (LS_ACTIVATION_SOFTMAX, output, negative, 2);
  g_assert_cmpfloat (output[0], ==, 0.0f);
  g_assert_cmpfloat (output[1], ==, 1.0f);

  ls_activation_apply (LS_ACTIVATION_SOFTMAX, output, equal_large, 2);
  g_assert_cmpfloat (output[0], ==, 0.5f);
  g_assert_cmpfloat (output[1], ==, 0.5f);

  /* The difference of these two overflows to -inf, and exp(-inf) is 0. */
  ls_activation_apply (LS_ACTIVATION_SOFTMAX, output, extreme, 2);
  g_assert_cmpfloat (output[0], ==, 1.0f);
  g_assert_cmpfloat (output[1], ==, 0.0f);
}

static void
test_activation_softmax_uniform (void)
{
  const float levels[] = { 0.0f, 7.5f, -300.0f, 1.0e30f };

  for (gsize l = 0; l < G_N_ELEMENTS (levels); l++)
    {
      for (gsize n = 1; n <= 10; n++)
        {
          float input[10];
          float output[10];

          for (gsize i = 0; i < n; i++)
            input[i] = levels[l];

          ls_activation_apply (LS_ACTIVATION_SOFTMAX, output, input, n);
          for (gsize i = 0; i < n; i++)
            g_assert_cmpfloat_with_epsilon (output[i], 1.0 / n, 1e-7);
        }
    }
}

static void
test_activation_softmax_sums_to_one (void)
{
  LsRandom random;

  ls_random_init (&random, 2024);

  for (guint round = 0; round < 200; round++)
    {
      gsize n = 1 + ls_random_next (&random) % MAX_VECTOR;
      double scale = (round % 4 == 0) ? 500.0 : 10.0;
      float input[MAX_VECTOR];
      float output[MAX_VECTOR];
      double sum = 0.0;

      for (gsize i = 0; i < n; i++)
        input[i] = (float) (scale * (2.0 * ls_random_next_double (&random) - 1.0));

      ls_activation_apply (LS_ACTIVATION_SOFTMAX, output, input, n);
      for (gsize i = 0; i < n; i++)
        {
          g_assert_true (isfinite (output[i]));
          g_assert_cmpfloat (output[i], >=, 0.0f);
          g_assert_cmpfloat (output[i], <=, 1.0f);
          sum += output[i];
        }
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-6);
    }
}

/* ls_activation_apply() allows output == input, and the result must equal
 * the one written into a separate buffer. */
static void
test_activation_in_place (void)
{
  const float input[] = { -4.0f, -0.5f, 0.0f, 0.25f, 3.0f, 12.0f };
  const gsize n = G_N_ELEMENTS (input);

  for (LsActivation a = 0; a < LS_N_ACTIVATIONS; a++)
    {
      float separate[G_N_ELEMENTS (input)];
      float in_place[G_N_ELEMENTS (input)];

      memcpy (in_place, input, sizeof input);
      ls_activation_apply (a, separate, input, n);
      ls_activation_apply (a, in_place, in_place, n);

      for (gsize i = 0; i < n; i++)
        g_assert_cmpfloat (in_place[i], ==, separate[i]);
    }
}

static void
test_activation_name_round_trip (void)
{
  static const char * const expected_names[] = {
    "identity", "relu", "leaky_relu", "sigmoid", "tanh", "gelu", "softmax",
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (expected_names) == LS_N_ACTIVATIONS);

  for (LsActivation a = 0; a < LS_N_ACTIVATIONS; a++)
    {
      const char *name = ls_activation_get_name (a);
      const char *display_name = ls_activation_get_display_name (a);
      LsActivation parsed = LS_N_ACTIVATIONS;

      g_assert_cmpstr (name, ==, expected_names[a]);
      g_assert_nonnull (display_name);
      g_assert_cmpstr (display_name, !=, "");
      g_assert_true (ls_activation_from_name (name, &parsed));
      g_assert_cmpint (parsed, ==, a);
    }
}

static void
test_activation_unknown_name (void)
{
  static const char * const unknown[] = {
    "", "ReLU", "Softmax", "soft max", "leaky-relu", "gelu_tanh", "relu ", "swish",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      LsActivation activation = LS_ACTIVATION_TANH;

      g_assert_false (ls_activation_from_name (unknown[i], &activation));
      g_assert_cmpint (activation, ==, LS_ACTIVATION_TANH);
    }
}

/* He scaling suits the rectifier-like activations; see ls-activation.h. */
static void
test_activation_prefers_he_init (void)
{
  g_assert_true (ls_activation_prefers_he_init (LS_ACTIVATION_RELU));
  g_assert_true (ls_activation_prefers_he_init (LS_ACTIVATION_LEAKY_RELU));
  g_assert_true (ls_activation_prefers_he_init (LS_ACTIVATION_GELU));
  g_assert_false (ls_activation_prefers_he_init (LS_ACTIVATION_IDENTITY));
  g_assert_false (ls_activation_prefers_he_init (LS_ACTIVATION_SIGMOID));
  g_assert_false (ls_activation_prefers_he_init (LS_ACTIVATION_TANH));
  g_assert_false (ls_activation_prefers_he_init (LS_ACTIVATION_SOFTMAX));
}

/* torch.relu(torch.tensor(float("nan"))) is nan: an overflow before a
 * ReLU layer stays visible. */
static void
test_activation_relu_keeps_nan (void)
{
  const float input[] = { NAN, -1.0f, 2.0f };
  float output[3];

  ls_activation_apply (LS_ACTIVATION_RELU, output, input, 3);
  g_assert_true (isnan (output[0]));
  g_assert_cmpfloat (output[1], ==, 0.0f);
  g_assert_cmpfloat (output[2], ==, 2.0f);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  load_golden ();

  g_test_add_func ("/activation/golden-elementwise", test_activation_golden_elementwise);
  g_test_add_func ("/activation/golden-softmax", test_activation_golden_softmax);
  g_test_add_func ("/activation/hand-values", test_activation_hand_values);
  g_test_add_func ("/activation/softmax-hand-values", test_activation_softmax_hand_values);
  g_test_add_func ("/activation/softmax-large-logits", test_activation_softmax_large_logits);
  g_test_add_func ("/activation/softmax-uniform", test_activation_softmax_uniform);
  g_test_add_func ("/activation/softmax-sums-to-one", test_activation_softmax_sums_to_one);
  g_test_add_func ("/activation/in-place", test_activation_in_place);
  g_test_add_func ("/activation/relu-keeps-nan", test_activation_relu_keeps_nan);
  g_test_add_func ("/activation/name-round-trip", test_activation_name_round_trip);
  g_test_add_func ("/activation/unknown-name", test_activation_unknown_name);
  g_test_add_func ("/activation/prefers-he-init", test_activation_prefers_he_init);

  status = g_test_run ();
  json_object_unref (golden);

  return status;
}
