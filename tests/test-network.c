/* test-network.c: forward values, edits and limits of LsNetwork
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-network"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ls-engine.h"

/* PyTorch (tools/make-golden.py) and the engine both compute in float32
 * but may sum in another order, so values agree within 1e-5 · max(1,
 * |expected|). That is 1e-5 relative above 1 and 1e-5 absolute below. */
#define GOLDEN_TOLERANCE 1e-5

/* Allowed difference, scaled as GOLDEN_TOLERANCE, between the engine's
 * float32 values and the double-precision reference forward pass below.
 * Float32 rounding stays well inside it for layers of a few hundred inputs. */
#define REFERENCE_TOLERANCE 1e-5

static JsonObject *golden;

/* Counting allocator
 *
 * With glibc, the test binary's own malloc(), calloc() and realloc()
 * replace the C library's for the whole process, so they can count every
 * allocation that GLib and the engine make while counting_allocations is
 * set. AddressSanitizer replaces them too, so the count is off there. */
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#define HAVE_ALLOCATION_COUNTER 1

extern void *__libc_malloc (size_t size);
extern void *__libc_calloc (size_t n, size_t size);
extern void *__libc_realloc (void *pointer, size_t size);

static volatile gboolean counting_allocations;
static volatile gsize allocation_count;

void *
malloc (size_t size)
{
  if (counting_allocations)
    allocation_count++;

  return __libc_malloc (size);
}

void *
calloc (size_t n,
        size_t size)
{
  if (counting_allocations)
    allocation_count++;

  return __libc_calloc (n, size);
}

void *
realloc (void   *pointer,
         size_t  size)
{
  if (counting_allocations)
    allocation_count++;

  return __libc_realloc (pointer, size);
}
#endif

/* Helpers */

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

/* Reads a JSON array of numbers, or of rows of numbers, into a newly
 * allocated flat array in row-major order. */
static float *
read_floats (JsonArray *array,
             gsize     *n_values)
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (float));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_ARRAY (element))
        {
          gsize n_row;
          g_autofree float *row = read_floats (json_node_get_array (element), &n_row);

          g_array_append_vals (values, row, n_row);
        }
      else
        {
          float value = (float) json_node_get_double (element);

          g_array_append_val (values, value);
        }
    }

  *n_values = values->len;

  return (float *) (void *) g_array_free (values, FALSE);
}

static void
assert_close (const char *what,
              gsize       index,
              double      actual,
              double      expected,
              double      tolerance)
{
  double allowed = tolerance * MAX (1.0, fabs (expected));

  if (!(fabs (actual - expected) <= allowed))
    g_test_message ("%s[%" G_GSIZE_FORMAT "]: got %.9g, expected %.9g", what, index, actual, expected);
  g_assert_true (isfinite (actual));
  g_assert_cmpfloat_with_epsilon (actual, expected, allowed);
}

static LsInit
init_for (LsActivation activation,
          guint64      seed)
{
  LsInit init;

  init.scheme = ls_activation_prefers_he_init (activation) ? LS_INIT_HE : LS_INIT_XAVIER;
  init.seed = seed;

  return init;
}

/* Creates a dense layer with the given parameters. The layer is not yet
 * owned by a network, so writing its buffers directly is allowed. */
static LsLayer *
new_dense_layer (gsize         inputs,
                 gsize         units,
                 LsActivation  activation,
                 guint64       seed,
                 const float  *weights,  /* [inputs][units] */
                 const float  *bias)     /* [units] */
{
  LsInit init = init_for (activation, seed);
  LsLayer *layer = ls_layer_new_dense (inputs, units, activation, &init);

  memcpy (layer->weights, weights, inputs * units * sizeof (float));
  memcpy (layer->bias, bias, units * sizeof (float));

  return layer;
}

static void
append_layer (LsNetwork *network,
              LsLayer   *layer)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ls_network_append_layer (network, layer, &error));
  g_assert_no_error (error);
}

static void
set_input (LsNetwork   *network,
           const float *values,
           gsize        n_values)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ls_network_set_input (network, values, n_values, &error));
  g_assert_no_error (error);
}

/* The cat-or-dog lesson network, with the weights, biases and input of
 * data/examples/cat-or-dog.json. */
static const float cat_input[3] = { 0.5f, 0.8f, 0.2f };
static const float cat_hidden_weights[3 * 4] = {  /* [inputs][units] */
  0.4f, -0.3f, 0.7f, -0.2f,
  0.5f, -0.2f, 0.6f,  0.3f,
  0.1f,  0.4f, 0.2f,  0.1f,
};
static const float cat_hidden_bias[4] = { 0.0f, 0.0f, 0.04f, -0.01f };
static const float cat_output_weights[4 * 2] = {  /* [inputs][units] */
   0.9f, -0.6f,
  -0.4f,  0.3f,
   1.1f, -0.2f,
  -0.5f,  0.4f,
};
static const float cat_output_bias[2] = { 0.0f, 0.46f };

static LsNetwork *
new_cat_or_dog (void)
{
  LsNetwork *network = ls_network_new (3);

  append_layer (network, new_dense_layer (3, 4, LS_ACTIVATION_RELU, 1,
                                          cat_hidden_weights, cat_hidden_bias));
  append_layer (network, new_dense_layer (4, 2, LS_ACTIVATION_SOFTMAX, 2,
                                          cat_output_weights, cat_output_bias));
  set_input (network, cat_input, G_N_ELEMENTS (cat_input));

  return network;
}

/* A 784-128-64-10 network with seeded He and Xavier weights and a seeded
 * input in [0, 1), the size of an MNIST classifier. */
static LsNetwork *
new_mnist_sized (void)
{
  static const gsize units[] = { 128, 64, 10 };
  static const LsActivation activations[] = { LS_ACTIVATION_RELU, LS_ACTIVATION_RELU, LS_ACTIVATION_SOFTMAX };
  LsNetwork *network = ls_network_new (784);
  float input[784];
  LsRandom random;

  for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (ls_network_insert_dense (network, i, units[i], activations[i], &error));
      g_assert_no_error (error);
    }

  ls_random_init (&random, 784);
  for (gsize i = 0; i < G_N_ELEMENTS (input); i++)
    input[i] = (float) ls_random_next_double (&random);
  set_input (network, input, G_N_ELEMENTS (input));

  return network;
}

/* Reference forward pass
 *
 * An independent forward pass in double precision over the network's
 * current parameters, straight from the definitions, to check that the
 * engine's stored activations are current after an edit. */

static double
reference_activation_one (LsActivation activation,
                          double       x)
{
  switch (activation)
    {
    case LS_ACTIVATION_IDENTITY:
      return x;
    case LS_ACTIVATION_RELU:
      return x > 0.0 ? x : 0.0;
    case LS_ACTIVATION_LEAKY_RELU:
      return x > 0.0 ? x : 0.01 * x;
    case LS_ACTIVATION_SIGMOID:
      return 1.0 / (1.0 + exp (-x));
    case LS_ACTIVATION_TANH:
      return tanh (x);
    case LS_ACTIVATION_GELU:
      return 0.5 * x * (1.0 + erf (x / sqrt (2.0)));
    case LS_ACTIVATION_SOFTMAX:
    case LS_N_ACTIVATIONS:
    default:
      g_assert_not_reached ();
    }
}

/* Applies the activation to values, [n], in place. */
static void
reference_activation (LsActivation  activation,
                      double       *values,
                      gsize         n)
{
  double max = -INFINITY;
  double sum = 0.0;

  if (activation != LS_ACTIVATION_SOFTMAX)
    {
      for (gsize i = 0; i < n; i++)
        values[i] = reference_activation_one (activation, values[i]);
      return;
    }

  for (gsize i = 0; i < n; i++)
    max = MAX (max, values[i]);
  for (gsize i = 0; i < n; i++)
    sum += values[i] = exp (values[i] - max);
  for (gsize i = 0; i < n; i++)
    values[i] /= sum;
}

/* Counts the values of every layer that differ from the reference by more
 * than REFERENCE_TOLERANCE; 0 means the stored forward state is current. */
static gsize
count_forward_mismatches (LsNetwork *network)
{
  gsize n_inputs = ls_network_get_input_size (network);
  g_autofree double *input = g_new (double, n_inputs);  /* [inputs] */
  gsize mismatches = 0;

  for (gsize i = 0; i < n_inputs; i++)
    input[i] = ls_network_get_input (network)[i];

  for (gsize l = 0; l < ls_network_get_n_layers (network); l++)
    {
      const LsLayer *layer = ls_network_get_layer (network, l);
      double *output = g_new (double, layer->units);  /* [units] */

      g_assert_cmpuint (ls_layer_get_inputs (layer), ==, n_inputs);
      for (gsize j = 0; j < layer->units; j++)
        {
          output[j] = layer->bias[j];
          for (gsize i = 0; i < n_inputs; i++)
            output[j] += input[i] * layer->weights[i * layer->units + j];
        }
      reference_activation (layer->activation, output, layer->units);

      for (gsize j = 0; j < layer->units; j++)
        if (!(fabs (layer->activation_output[j] - output[j]) <= REFERENCE_TOLERANCE * MAX (1.0, fabs (output[j]))))
          mismatches++;

      g_free (input);
      input = output;
      n_inputs = layer->units;
    }

  return mismatches;
}

/* Records LsNetwork::changed emissions. */
typedef struct
{
  guint count;
  guint change;
  gsize mismatches_in_handler;
} ChangedRecord;

static void
changed_cb (LsNetwork *network,
            guint      change,
            gpointer   user_data)
{
  ChangedRecord *record = user_data;

  record->count++;
  record->change = change;
  record->mismatches_in_handler += count_forward_mismatches (network);
}

/* A copy of every parameter, input and activation, to check that a
 * rejected edit changed nothing. */
static GByteArray *
snapshot_network (LsNetwork *network)
{
  GByteArray *bytes = g_byte_array_new ();
  gsize n_layers = ls_network_get_n_layers (network);

  g_byte_array_append (bytes, (const guint8 *) ls_network_get_input (network),
                       ls_network_get_input_size (network) * sizeof (float));
  g_byte_array_append (bytes, (const guint8 *) &n_layers, sizeof n_layers);

  for (gsize l = 0; l < n_layers; l++)
    {
      const LsLayer *layer = ls_network_get_layer (network, l);
      gsize inputs = ls_layer_get_inputs (layer);

      g_byte_array_append (bytes, (const guint8 *) &inputs, sizeof inputs);
      g_byte_array_append (bytes, (const guint8 *) &layer->units, sizeof layer->units);
      g_byte_array_append (bytes, (const guint8 *) &layer->activation, sizeof layer->activation);
      g_byte_array_append (bytes, (const guint8 *) layer->weights, inputs * layer->units * sizeof (float));
      g_byte_array_append (bytes, (const guint8 *) layer->bias, layer->units * sizeof (float));
      g_byte_array_append (bytes, (const guint8 *) layer->pre_activation, layer->units * sizeof (float));
      g_byte_array_append (bytes, (const guint8 *) layer->activation_output, layer->units * sizeof (float));
    }

  return bytes;
}

static void
assert_unchanged (LsNetwork  *network,
                  GByteArray *before)
{
  g_autoptr(GByteArray) after = snapshot_network (network);

  g_assert_cmpmem (after->data, after->len, before->data, before->len);
}

/* Returns a new [fan_in][fan_out] matrix filled from init, as a new layer
 * with that init gets it. */
static float *
fresh_weights (const LsInit *init,
               gsize         fan_in,
               gsize         fan_out)
{
  float *weights = g_new (float, fan_in * fan_out);

  ls_init_fill_weights (init, weights, fan_in, fan_out);

  return weights;
}

/* Forward values */

static void
test_network_cat_or_dog_forward (void)
{
  g_autoptr(LsNetwork) network = new_cat_or_dog ();
  const LsLayer *hidden = ls_network_get_layer (network, 0);
  const LsLayer *output = ls_network_get_layer (network, 1);

  /* Hidden pre-activations, x·W + b with x = (0.5, 0.8, 0.2), by hand:
   *   0.5·0.4  + 0.8·0.5  + 0.2·0.1 + 0     = 0.2   + 0.4  + 0.02 = 0.62
   *   0.5·-0.3 + 0.8·-0.2 + 0.2·0.4 + 0     = -0.15 - 0.16 + 0.08 = -0.23
   *   0.5·0.7  + 0.8·0.6  + 0.2·0.2 + 0.04  = 0.35  + 0.48 + 0.04 + 0.04 = 0.91
   *   0.5·-0.2 + 0.8·0.3  + 0.2·0.1 - 0.01  = -0.1  + 0.24 + 0.02 - 0.01 = 0.15
   * and ReLU turns -0.23 into 0. */
  g_assert_cmpfloat_with_epsilon (hidden->pre_activation[1], -0.23, 1e-6);
  g_assert_cmpfloat_with_epsilon (hidden->activation_output[0], 0.62, 1e-6);
  g_assert_cmpfloat (hidden->activation_output[1], ==, 0.0f);
  g_assert_cmpfloat_with_epsilon (hidden->activation_output[2], 0.91, 1e-6);
  g_assert_cmpfloat_with_epsilon (hidden->activation_output[3], 0.15, 1e-6);

  /* Output logits, by hand:
   *   Cat: 0.62·0.9  + 0·-0.4 + 0.91·1.1  + 0.15·-0.5 + 0    = 0.558 + 1.001 - 0.075 = 1.484
   *   Dog: 0.62·-0.6 + 0·0.3  + 0.91·-0.2 + 0.15·0.4  + 0.46 = -0.372 - 0.182 + 0.06 + 0.46 = -0.034
   * Softmax of two values is the logistic function of their difference:
   *   Cat = 1 / (1 + e^-(1.484 + 0.034)) = 1 / (1 + e^-1.518) = 1 / 1.219130 = 0.820244 */
  g_assert_cmpfloat_with_epsilon (output->pre_activation[0], 1.484, 1e-6);
  g_assert_cmpfloat_with_epsilon (output->pre_activation[1], -0.034, 1e-6);
  g_assert_cmpfloat_with_epsilon (ls_network_get_output (network)[0], 0.820244, 1e-6);
  g_assert_cmpfloat_with_epsilon (ls_network_get_output (network)[1], 1.0 - 0.820244, 1e-6);
  g_assert_cmpuint (ls_network_get_output_size (network), ==, 2);
}

/* Builds the network that one "networks" entry of the golden file
 * describes, with its weights, biases and input. */
static LsNetwork *
new_golden_network (JsonObject *description)
{
  JsonArray *layers = json_object_get_array_member (description, "layers");
  gsize n_input;
  g_autofree float *input = read_floats (json_object_get_array_member (description, "input"), &n_input);
  LsNetwork *network = ls_network_new (n_input);
  gsize inputs = n_input;

  for (guint l = 0; l < json_array_get_length (layers); l++)
    {
      JsonObject *layer = json_array_get_object_element (layers, l);
      gsize units = json_object_get_int_member (layer, "units");
      LsActivation activation;
      gsize n_weights, n_bias;
      g_autofree float *weights = read_floats (json_object_get_array_member (layer, "weights"), &n_weights);
      g_autofree float *bias = read_floats (json_object_get_array_member (layer, "bias"), &n_bias);

      g_assert_true (ls_activation_from_name (json_object_get_string_member (layer, "activation"), &activation));
      g_assert_cmpuint (n_weights, ==, inputs * units);
      g_assert_cmpuint (n_bias, ==, units);
      append_layer (network, new_dense_layer (inputs, units, activation, l + 1, weights, bias));
      inputs = units;
    }
  set_input (network, input, n_input);

  return network;
}

static void
assert_layer_matches_golden (const LsLayer *layer,
                             JsonObject    *expected)
{
  gsize n_pre, n_out;
  g_autofree float *pre = read_floats (json_object_get_array_member (expected, "pre_activation"), &n_pre);
  g_autofree float *out = read_floats (json_object_get_array_member (expected, "activation_output"), &n_out);

  g_assert_cmpuint (n_pre, ==, layer->units);
  g_assert_cmpuint (n_out, ==, layer->units);

  for (gsize j = 0; j < layer->units; j++)
    {
      assert_close ("pre_activation", j, layer->pre_activation[j], pre[j], GOLDEN_TOLERANCE);
      assert_close ("activation_output", j, layer->activation_output[j], out[j], GOLDEN_TOLERANCE);
    }
}

static void
test_network_golden_forward (void)
{
  JsonArray *networks = json_object_get_array_member (golden, "networks");
  gboolean used[LS_N_ACTIVATIONS] = { FALSE };

  g_assert_cmpuint (json_array_get_length (networks), >=, 4);

  for (guint n = 0; n < json_array_get_length (networks); n++)
    {
      JsonObject *description = json_array_get_object_element (networks, n);
      JsonArray *layers = json_object_get_array_member (description, "layers");
      g_autoptr(LsNetwork) network = new_golden_network (description);

      g_test_message ("golden network %u, seed %" G_GINT64_FORMAT ", %u layers", n,
                      json_object_get_int_member (description, "seed"), json_array_get_length (layers));
      g_assert_cmpuint (ls_network_get_n_layers (network), ==, json_array_get_length (layers));

      for (guint l = 0; l < json_array_get_length (layers); l++)
        {
          const LsLayer *layer = ls_network_get_layer (network, l);

          used[layer->activation] = TRUE;
          assert_layer_matches_golden (layer, json_array_get_object_element (layers, l));
        }

      g_assert_true (ls_network_get_output (network) ==
                     ls_network_get_output_layer (network)->activation_output);
    }

  for (LsActivation a = 0; a < LS_N_ACTIVATIONS; a++)
    {
      g_test_message ("golden networks use %s", ls_activation_get_name (a));
      g_assert_true (used[a]);
    }
}

/* Edits */

static void
test_network_insert_keeps_fitting_weights (void)
{
  g_autoptr(LsNetwork) network = new_cat_or_dog ();
  g_autoptr(GError) error = NULL;
  const LsLayer *inserted, *output;
  g_autofree float *fresh_inserted = NULL;
  g_autofree float *fresh_output = NULL;

  /* A wider layer between hidden (4 units) and output: the output layer
   * now takes 6 inputs, so it keeps its 4 rows and gains 2. */
  g_assert_true (ls_network_insert_dense (network, 1, 6, LS_ACTIVATION_TANH, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 3);

  inserted = ls_network_get_layer (network, 1);
  g_assert_cmpuint (ls_layer_get_inputs (inserted), ==, 4);
  g_assert_cmpuint (inserted->units, ==, 6);
  g_assert_cmpint (inserted->activation, ==, LS_ACTIVATION_TANH);
  g_assert_cmpint (inserted->init.scheme, ==, LS_INIT_XAVIER);
  g_assert_cmpuint (inserted->init.seed, !=, 1);
  g_assert_cmpuint (inserted->init.seed, !=, 2);
  fresh_inserted = fresh_weights (&inserted->init, 4, 6);
  g_assert_cmpmem (inserted->weights, 4 * 6 * sizeof (float), fresh_inserted, 4 * 6 * sizeof (float));
  for (gsize j = 0; j < 6; j++)
    g_assert_cmpfloat (inserted->bias[j], ==, 0.0f);

  output = ls_network_get_layer (network, 2);
  g_assert_cmpuint (ls_layer_get_inputs (output), ==, 6);
  g_assert_cmpuint (output->units, ==, 2);
  fresh_output = fresh_weights (&output->init, 6, 2);
  /* Rows 0-3 are the lesson's weights, rows 4-5 the fresh matrix's. */
  g_assert_cmpmem (output->weights, 4 * 2 * sizeof (float), cat_output_weights, sizeof cat_output_weights);
  g_assert_cmpmem (output->weights + 4 * 2, 2 * 2 * sizeof (float), fresh_output + 4 * 2, 2 * 2 * sizeof (float));
  g_assert_cmpmem (output->bias, sizeof cat_output_bias, cat_output_bias, sizeof cat_output_bias);

  g_assert_cmpuint (count_forward_mismatches (network), ==, 0);
}

static void
test_network_insert_narrower_layer (void)
{
  g_autoptr(LsNetwork) network = new_cat_or_dog ();
  g_autoptr(GError) error = NULL;
  const LsLayer *inserted, *output;

  /* A 3-unit layer before the output layer, which then keeps rows 0-2 of
   * its 4 and drops row 3. */
  g_assert_true (ls_network_insert_dense (network, 1, 3, LS_ACTIVATION_RELU, &error));
  g_assert_no_error (error);

  inserted = ls_network_get_layer (network, 1);
  g_assert_cmpint (inserted->init.scheme, ==, LS_INIT_HE);
  output = ls_network_get_layer (network, 2);
  g_assert_cmpuint (ls_layer_get_inputs (output), ==, 3);
  g_assert_cmpmem (output->weights, 3 * 2 * sizeof (float), cat_output_weights, 3 * 2 * sizeof (float));

  /* At index 0 the new layer takes the network input, and the old hidden
   * layer's 3 input rows all still fit when the new layer has 5 units. */
  g_assert_true (ls_network_insert_dense (network, 0, 5, LS_ACTIVATION_SIGMOID, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 4);
  g_assert_cmpuint (ls_layer_get_inputs (ls_network_get_layer (network, 0)), ==, 3);
  g_assert_cmpuint (ls_layer_get_inputs (ls_network_get_layer (network, 1)), ==, 5);
  g_assert_cmpmem (ls_network_get_layer (network, 1)->weights, sizeof cat_hidden_weights,
                   cat_hidden_weights, sizeof cat_hidden_weights);
  g_assert_true (ls_network_get_layer (network, 0)->init.seed != inserted->init.seed);

  g_assert_cmpuint (count_forward_mismatches (network), ==, 0);
}

static void
test_network_insert_at_end (void)
{
  g_autoptr(LsNetwork) network = new_cat_or_dog ();
  g_autoptr(GError) error = NULL;

  g_assert_true (ls_network_insert_dense (network, 2, 3, LS_ACTIVATION_SOFTMAX, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 3);
  g_assert_cmpuint (ls_network_get_output_size (network), ==, 3);
  g_assert_true (ls_network_get_output_layer (network) == ls_network_get_layer (network, 2));
  g_assert_cmpmem (ls_network_get_layer (network, 1)->weights, sizeof cat_output_weights,
                   cat_output_weights, sizeof cat_output_weights);
  g_assert_cmpuint (count_forward_mismatches (network), ==, 0);
}

static void
test_network_remove_layer (void)
{
  g_autoptr(LsNetwork) network = new_cat_or_dog ();
  g_autoptr(GError) error = NULL;
  const LsLayer *output;
  g_autofree float *fresh = NULL;

  /* Without the hidden layer the output layer takes the 3 inputs and
   * keeps its first 3 rows. */
  g_assert_true (ls_network_remove_layer (network, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 1);

  output = ls_network_get_layer (network, 0);
  g_assert_cmpint (output->activation, ==, LS_ACTIVATION_SOFTMAX);
  g_assert_cmpuint (ls_layer_get_inputs (output), ==, 3);
  g_assert_cmpmem (output->weights, 3 * 2 * sizeof (float), cat_output_weights, 3 * 2 * sizeof (float));
  g_assert_cmpuint (count_forward_mismatches (network), ==, 0);

  /* Removing the output layer makes the layer before it the output. */
  g_clear_object (&network);
  network = new_cat_or_dog ();
  g_assert_true (ls_network_remove_layer (network, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ls_network_get_output_size (network), ==, 4);
  g_assert_cmpfloat_with_epsilon (ls_network_get_output (network)[2], 0.91, 1e-6);

  /* A 7-unit layer in front gives the old hidden layer 4 fresh rows, and
   * removing it again leaves the original 3 rows. */
  g_assert_true (ls_network_insert_dense (network, 0, 7, LS_ACTIVATION_RELU, &error));
  g_assert_no_error (error);
  output = ls_network_get_layer (network, 1);
  fresh = fresh_weights (&output->init, 7, 4);
  g_assert_cmpmem (output->weights, sizeof cat_hidden_weights, cat_hidden_weights, sizeof cat_hidden_weights);
  g_assert_cmpmem (output->weights + 3 * 4, 4 * 4 * sizeof (float), fresh + 3 * 4, 4 * 4 * sizeof (float));

  g_assert_true (ls_network_remove_layer (network, 0, &error));
  g_assert_no_error (error);
  output = ls_network_get_layer (network, 0);
  g_assert_cmpuint (ls_layer_get_inputs (output), ==, 3);
  g_assert_cmpmem (output->weights, sizeof cat_hidden_weights, cat_hidden_weights, sizeof cat_hidden_weights);
  g_assert_cmpuint (count_forward_mismatches (network), ==, 0);
}

static void
test_network_remove_only_layer (void)
{
  g_autoptr(LsNetwork) network = new_cat_or_dog ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) before = NULL;
  ChangedRecord record = { 0 };

  g_assert_true (ls_network_remove_layer (network, 1, &error));
  g_assert_no_error (error);

  before = snapshot_network (network);
  g_signal_connect (network, "changed", G_CALLBACK (changed_cb), &record);
  g_assert_false (ls_network_remove_layer (network, 0, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 1);
  g_assert_cmpuint (record.count, ==, 0);
  assert_unchanged (network, before);
}

static void
test_network_set_units (void)
{
  g_autoptr(LsNetwork) network = new_cat_or_dog ();
  g_autoptr(GError) error = NULL;
  const LsLayer *hidden, *output;
  g_autofree float *fresh_hidden = NULL;
  g_autofree float *fresh_output = NULL;

  /* 4 → 6 hidden units: hidden keeps columns 0-3 of every row, the output
   * layer keeps rows 0-3, and the new positions hold the fresh matrices'. */
  g_assert_true (ls_network_set_units (network, 0, 6, &error));
  g_assert_no_error (error);
  hidden = ls_network_get_layer (network, 0);
  output = ls_network_get_layer (network, 1);
  fresh_hidden = fresh_weights (&hidden->init, 3, 6);
  fresh_output = fresh_weights (&output->init, 6, 2);

  g_assert_cmpuint (hidden->units, ==, 6);
  for (gsize i = 0; i < 3; i++)
    for (gsize j = 0; j < 6; j++)
      g_assert_cmpfloat (hidden->weights[i * 6 + j], ==,
                         j < 4 ? cat_hidden_weights[i * 4 + j] : fresh_hidden[i * 6 + j]);
  g_assert_cmpmem (hidden->bias, sizeof cat_hidden_bias, cat_hidden_bias, sizeof cat_hidden_bias);
  g_assert_cmpfloat (hidden->bias[4], ==, 0.0f);
  g_assert_cmpfloat (hidden->bias[5], ==, 0.0f);

  g_assert_cmpuint (ls_layer_get_inputs (output), ==, 6);
  g_assert_cmpmem (output->weights, sizeof cat_output_weights, cat_output_weights, sizeof cat_output_weights);
  g_assert_cmpmem (output->weights + 8, 4 * sizeof (float), fresh_output + 8, 4 * sizeof (float));
  g_assert_cmpuint (count_forward_mismatches (network), ==, 0);

  /* 6 → 2: hidden keeps columns 0-1, the output layer rows 0-1. */
  g_assert_true (ls_network_set_units (network, 0, 2, &error));
  g_assert_no_error (error);
  hidden = ls_network_get_layer (network, 0);
  output = ls_network_get_layer (network, 1);
  for (gsize i = 0; i < 3; i++)
    for (gsize j = 0; j < 2; j++)
      g_assert_cmpfloat (hidden->weights[i * 2 + j], ==, cat_hidden_weights[i * 4 + j]);
  g_assert_cmpmem (output->weights, 2 * 2 * sizeof (float), cat_output_weights, 2 * 2 * sizeof (float));
  g_assert_cmpuint (count_forward_mismatches (network), ==, 0);
}

static void
test_network_set_units_drops_labels (void)
{
  g_autoptr(LsNetwork) network = new_cat_or_dog ();
  g_autoptr(GError) error = NULL;
  const char * const labels[] = { "Cat", "Dog", NULL };

  ls_network_set_layer_labels (network, 1, labels);
  g_assert_true (ls_network_set_units (network, 1, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ls_layer_get_label (ls_network_get_layer (network, 1), 0), ==, "Cat");
  g_assert_null (ls_layer_get_label (ls_network_get_layer (network, 1), 1));

  g_assert_true (ls_network_set_units (network, 1, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ls_layer_get_label (ls_network_get_layer (network, 1), 0), ==, "Cat");
  g_assert_null (ls_layer_get_label (ls_network_get_layer (network, 1), 1));
  g_assert_null (ls_layer_get_label (ls_network_get_layer (network, 1), 2));
}

static void
test_network_set_activation (void)
{
  g_autoptr(LsNetwork) network = new_cat_or_dog ();

  /* Sigmoid of the logits 1.484 and -0.034 from the hand calculation in
   * /network/cat-or-dog-forward: 1 / (1 + e^-1.484) = 1 / 1.226727 = 0.815176
   * and 1 / (1 + e^0.034) = 1 / 2.034585 = 0.491501. */
  ls_network_set_activation (network, 1, LS_ACTIVATION_SIGMOID);
  g_assert_cmpint (ls_network_get_layer (network, 1)->activation, ==, LS_ACTIVATION_SIGMOID);
  g_assert_cmpfloat_with_epsilon (ls_network_get_output (network)[0], 0.815176, 1e-6);
  g_assert_cmpfloat_with_epsilon (ls_network_get_output (network)[1], 0.491501, 1e-6);

  /* The second hidden unit's -0.23 passes through identity. */
  ls_network_set_activation (network, 0, LS_ACTIVATION_IDENTITY);
  g_assert_cmpfloat_with_epsilon (ls_network_get_layer (network, 0)->activation_output[1], -0.23, 1e-6);
  g_assert_cmpuint (count_forward_mismatches (network), ==, 0);
}

/* The changed signal */

typedef void (*EditFunc) (LsNetwork *network);

static void
expect_success (gboolean  succeeded,
                GError   *error)
{
  g_assert_no_error (error);
  g_assert_true (succeeded);
}

static void
edit_weight (LsNetwork *network)
{
  GError *error = NULL;

  expect_success (ls_network_set_weight (network, 0, 1, 2, -1.5f, &error), error);
}

static void
edit_bias (LsNetwork *network)
{
  GError *error = NULL;

  expect_success (ls_network_set_bias (network, 1, 0, -2.0f, &error), error);
}

static void
edit_input (LsNetwork *network)
{
  const float input[] = { 0.9f, 0.1f, 0.4f };
  GError *error = NULL;

  expect_success (ls_network_set_input (network, input, 3, &error), error);
}

static void
edit_input_value (LsNetwork *network)
{
  GError *error = NULL;

  expect_success (ls_network_set_input_value (network, 1, -0.7f, &error), error);
}

static void
edit_insert (LsNetwork *network)
{
  GError *error = NULL;

  expect_success (ls_network_insert_dense (network, 1, 5, LS_ACTIVATION_GELU, &error), error);
}

static void
edit_append (LsNetwork *network)
{
  LsInit init = { LS_INIT_XAVIER, 77 };
  GError *error = NULL;

  expect_success (ls_network_append_layer (network, ls_layer_new_dense (2, 3, LS_ACTIVATION_TANH, &init), &error), error);
}

static void
edit_remove (LsNetwork *network)
{
  GError *error = NULL;

  expect_success (ls_network_remove_layer (network, 0, &error), error);
}

static void
edit_units (LsNetwork *network)
{
  GError *error = NULL;

  expect_success (ls_network_set_units (network, 0, 7, &error), error);
}

static void
edit_activation (LsNetwork *network)
{
  ls_network_set_activation (network, 0, LS_ACTIVATION_LEAKY_RELU);
}

static void
edit_layer_name (LsNetwork *network)
{
  ls_network_set_layer_name (network, 0, "features");
}

static void
edit_layer_labels (LsNetwork *network)
{
  const char * const labels[] = { "Yes", "No", NULL };

  ls_network_set_layer_labels (network, 1, labels);
}

static void
edit_title (LsNetwork *network)
{
  ls_network_set_title (network, "Pets");
}

typedef struct
{
  const char *name;
  EditFunc edit;
  LsChange change;
} EditCase;

static const EditCase edit_cases[] = {
  { "set weight",      edit_weight,       LS_CHANGE_VALUES },
  { "set bias",        edit_bias,         LS_CHANGE_VALUES },
  { "set input",       edit_input,        LS_CHANGE_VALUES },
  { "set input value", edit_input_value,  LS_CHANGE_VALUES },
  { "insert layer",    edit_insert,       LS_CHANGE_STRUCTURE },
  { "append layer",    edit_append,       LS_CHANGE_STRUCTURE },
  { "remove layer",    edit_remove,       LS_CHANGE_STRUCTURE },
  { "set units",       edit_units,        LS_CHANGE_STRUCTURE },
  { "set activation",  edit_activation,   LS_CHANGE_STRUCTURE },
  { "set layer name",  edit_layer_name,   LS_CHANGE_METADATA },
  { "set labels",      edit_layer_labels, LS_CHANGE_METADATA },
  { "set title",       edit_title,        LS_CHANGE_METADATA },
};

static void
test_network_changed_once_per_edit (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (edit_cases); i++)
    {
      g_autoptr(LsNetwork) network = new_cat_or_dog ();
      ChangedRecord record = { 0 };

      g_test_message ("edit: %s", edit_cases[i].name);
      g_signal_connect (network, "changed", G_CALLBACK (changed_cb), &record);
      edit_cases[i].edit (network);

      g_assert_cmpuint (record.count, ==, 1);
      g_assert_cmpuint (record.change, ==, edit_cases[i].change);
      /* The handler already saw activations that match the new parameters. */
      g_assert_cmpuint (record.mismatches_in_handler, ==, 0);
    }
}

static void
test_network_changed_values_update_output (void)
{
  g_autoptr(LsNetwork) network = new_cat_or_dog ();
  g_autoptr(GError) error = NULL;
  ChangedRecord record = { 0 };
  float cat_before = ls_network_get_output (network)[0];

  g_signal_connect (network, "changed", G_CALLBACK (changed_cb), &record);

  /* Raising the Cat bias by 1 multiplies the odds Cat : Dog by e:
   * 0.820244 / 0.179756 · e = 12.40376, so Cat = 12.40376 / 13.40376 = 0.925394. */
  g_assert_true (ls_network_set_bias (network, 1, 0, 1.0f, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (ls_network_get_output (network)[0], !=, cat_before);
  g_assert_cmpfloat_with_epsilon (ls_network_get_output (network)[0], 0.925394, 1e-6);

  /* Setting a value to what it already is changes nothing. */
  g_assert_true (ls_network_set_bias (network, 1, 0, 1.0f, &error));
  g_assert_true (ls_network_set_weight (network, 0, 0, 0, 0.4f, &error));
  g_assert_true (ls_network_set_input_value (network, 0, 0.5f, &error));
  g_assert_true (ls_network_set_units (network, 0, 4, &error));
  ls_network_set_activation (network, 0, LS_ACTIVATION_RELU);
  g_assert_no_error (error);
  g_assert_cmpuint (record.count, ==, 1);
}

/* Rejected edits */

static void
test_network_rejects_non_finite (void)
{
  const float bad_values[] = { NAN, INFINITY, -INFINITY };

  for (gsize v = 0; v < G_N_ELEMENTS (bad_values); v++)
    {
      g_autoptr(LsNetwork) network = new_cat_or_dog ();
      g_autoptr(GByteArray) before = snapshot_network (network);
      ChangedRecord record = { 0 };
      float input[3] = { 0.1f, 0.2f, bad_values[v] };
      GError *error = NULL;

      g_test_message ("value %g", bad_values[v]);
      g_signal_connect (network, "changed", G_CALLBACK (changed_cb), &record);

      g_assert_false (ls_network_set_weight (network, 1, 3, 1, bad_values[v], &error));
      g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_VALUE);
      g_assert_nonnull (strstr (error->message, "finite"));
      g_clear_error (&error);

      g_assert_false (ls_network_set_bias (network, 0, 2, bad_values[v], &error));
      g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_VALUE);
      g_clear_error (&error);

      g_assert_false (ls_network_set_input (network, input, 3, &error));
      g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_VALUE);
      g_clear_error (&error);

      g_assert_false (ls_network_set_input_value (network, 0, bad_values[v], &error));
      g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_VALUE);
      g_clear_error (&error);

      g_assert_cmpuint (record.count, ==, 0);
      assert_unchanged (network, before);
    }
}

static void
test_network_rejects_wrong_input_size (void)
{
  g_autoptr(LsNetwork) network = new_cat_or_dog ();
  g_autoptr(GByteArray) before = snapshot_network (network);
  g_autoptr(GError) error = NULL;
  const float input[4] = { 1.0f, 2.0f, 3.0f, 4.0f };
  LsInit init = { LS_INIT_HE, 9 };

  g_assert_false (ls_network_set_input (network, input, 4, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
  g_clear_error (&error);

  /* The output layer gives 2 values, so a layer of 3 inputs does not fit. */
  g_assert_false (ls_network_append_layer (network, ls_layer_new_dense (3, 2, LS_ACTIVATION_RELU, &init), &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);

  assert_unchanged (network, before);
}

static void
expect_shape_error (gboolean  succeeded,
                    GError  **error)
{
  g_assert_false (succeeded);
  g_assert_error (*error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
  g_clear_error (error);
}

static LsNetwork *
new_3_4_16 (void)
{
  LsNetwork *network = ls_network_new (3);
  g_autoptr(GError) error = NULL;

  g_assert_true (ls_network_insert_dense (network, 0, 4, LS_ACTIVATION_RELU, &error));
  g_assert_true (ls_network_insert_dense (network, 1, 16, LS_ACTIVATION_SOFTMAX, &error));
  g_assert_no_error (error);

  return network;
}

static void
test_network_rejects_over_limit_sizes (void)
{
  g_autoptr(LsNetwork) network = new_3_4_16 ();
  g_autoptr(LsNetwork) wide = NULL;
  g_autoptr(GByteArray) before = snapshot_network (network);
  GError *error = NULL;

  expect_shape_error (ls_network_insert_dense (network, 1, 0, LS_ACTIVATION_RELU, &error), &error);
  expect_shape_error (ls_network_insert_dense (network, 1, LS_MAX_TENSOR_SIZE + 1, LS_ACTIVATION_RELU, &error), &error);
  expect_shape_error (ls_network_set_units (network, 0, 0, &error), &error);
  expect_shape_error (ls_network_set_units (network, 1, LS_MAX_TENSOR_SIZE + 1, &error), &error);

  /* 3 inputs · 2^20 units fits the parameter limit, but the 16-unit layer
   * after it would get 2^20 · 16 + 16 = 2^24 + 16 parameters. */
  expect_shape_error (ls_network_set_units (network, 0, LS_MAX_TENSOR_SIZE, &error), &error);
  expect_shape_error (ls_network_insert_dense (network, 1, LS_MAX_TENSOR_SIZE, LS_ACTIVATION_RELU, &error), &error);
  assert_unchanged (network, before);

  /* 24928 inputs · 673 units + 673 biases = 673 · 24929 = 2^24 + 1
   * parameters, one over LS_MAX_LAYER_PARAMETERS. */
  wide = ls_network_new (24928);
  expect_shape_error (ls_network_insert_dense (wide, 0, 673, LS_ACTIVATION_RELU, &error), &error);
  g_assert_cmpuint (ls_network_get_n_layers (wide), ==, 0);
}

static void
test_network_accepts_parameter_limit (void)
{
  g_autoptr(LsNetwork) network = ls_network_new (4095);
  g_autoptr(GError) error = NULL;
  LsParameterCount count;

  /* 4095 · 4096 + 4096 = 4096² = 2^24 parameters, exactly the limit. */
  g_assert_true (ls_network_insert_dense (network, 0, 4096, LS_ACTIVATION_IDENTITY, &error));
  g_assert_no_error (error);
  ls_network_get_parameter_count (network, &count);
  g_assert_cmpuint (count.total, ==, LS_MAX_LAYER_PARAMETERS);
}

static void
test_network_rejects_too_many_layers (void)
{
  g_autoptr(LsNetwork) network = ls_network_new (2);
  g_autoptr(GError) error = NULL;
  LsInit init = { LS_INIT_HE, 1000 };

  for (gsize i = 0; i < LS_MAX_LAYERS; i++)
    {
      g_assert_true (ls_network_insert_dense (network, i, 2, LS_ACTIVATION_RELU, &error));
      g_assert_no_error (error);
    }

  g_assert_false (ls_network_insert_dense (network, 0, 2, LS_ACTIVATION_RELU, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
  g_clear_error (&error);

  /* append_layer() takes ownership of the layer even when it fails, so nothing leaks. */
  g_assert_false (ls_network_append_layer (network, ls_layer_new_dense (2, 2, LS_ACTIVATION_RELU, &init), &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, LS_MAX_LAYERS);
}

/* Counts and allocation */

static void
test_network_parameter_count (void)
{
  g_autoptr(LsNetwork) cat = new_cat_or_dog ();
  g_autoptr(LsNetwork) mnist = new_mnist_sized ();
  LsParameterCount count;

  /* Cat or dog: 3·4 + 4·2 = 20 weights, 4 + 2 = 6 biases. */
  ls_network_get_parameter_count (cat, &count);
  g_assert_cmpuint (count.weights, ==, 20);
  g_assert_cmpuint (count.biases, ==, 6);
  g_assert_cmpuint (count.total, ==, 26);

  /* 784·128 + 128·64 + 64·10 = 100352 + 8192 + 640 = 109184 weights,
   * 128 + 64 + 10 = 202 biases. */
  ls_network_get_parameter_count (mnist, &count);
  g_assert_cmpuint (count.weights, ==, 109184);
  g_assert_cmpuint (count.biases, ==, 202);
  g_assert_cmpuint (count.total, ==, 109386);

  ls_layer_get_parameter_count (ls_network_get_layer (mnist, 1), &count);
  g_assert_cmpuint (count.weights, ==, 128 * 64);
  g_assert_cmpuint (count.biases, ==, 64);
}

static void
test_network_forward_allocates_nothing (void)
{
  g_autoptr(LsNetwork) network = new_mnist_sized ();
  gsize n_layers = ls_network_get_n_layers (network);
  const float *pre[3], *out[3];

  g_assert_cmpuint (n_layers, ==, G_N_ELEMENTS (pre));
  for (gsize l = 0; l < n_layers; l++)
    {
      pre[l] = ls_network_get_layer (network, l)->pre_activation;
      out[l] = ls_network_get_layer (network, l)->activation_output;
    }

#ifdef HAVE_ALLOCATION_COUNTER
  /* First check that the counter counts the engine's allocations at all. */
  allocation_count = 0;
  counting_allocations = TRUE;
  ls_network_set_units (network, 1, 65, NULL);
  counting_allocations = FALSE;
  g_assert_cmpuint (allocation_count, >, 0);
  ls_network_set_units (network, 1, 64, NULL);
  for (gsize l = 0; l < n_layers; l++)
    {
      pre[l] = ls_network_get_layer (network, l)->pre_activation;
      out[l] = ls_network_get_layer (network, l)->activation_output;
    }

  allocation_count = 0;
  counting_allocations = TRUE;
#endif

  for (guint round = 0; round < 10; round++)
    ls_network_forward (network);

#ifdef HAVE_ALLOCATION_COUNTER
  counting_allocations = FALSE;
  g_assert_cmpuint (allocation_count, ==, 0);
#else
  g_test_message ("Allocations are not counted without glibc or under AddressSanitizer, so only buffer addresses are checked");
#endif

  for (gsize l = 0; l < n_layers; l++)
    {
      g_assert_true (ls_network_get_layer (network, l)->pre_activation == pre[l]);
      g_assert_true (ls_network_get_layer (network, l)->activation_output == out[l]);
    }
  g_assert_cmpuint (count_forward_mismatches (network), ==, 0);
}

/* Four layers of about 2^24 parameters fit under the network-wide limit
 * of 2^26; a fifth does not, and the rejected insert changes nothing.
 * 4096·4095 + 4095 = 16,777,215 and 4095·4095 + 4095 = 16,773,120, so
 * four layers hold 67,096,575 ≤ 67,108,864 parameters. */
static void
test_network_rejects_over_network_limit (void)
{
  g_autoptr(LsNetwork) network = ls_network_new (4096);
  g_autoptr(GError) error = NULL;
  LsParameterCount count;

  for (gsize i = 0; i < 4; i++)
    g_assert_true (ls_network_insert_dense (network, i, 4095, LS_ACTIVATION_RELU, NULL));

  g_assert_false (ls_network_insert_dense (network, 4, 4095, LS_ACTIVATION_RELU, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
  g_assert_nonnull (strstr (error->message, "more than the maximum of 67108864"));

  ls_network_get_parameter_count (network, &count);
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 4);
  g_assert_cmpuint (count.total, ==, 67096575);
}

/* Edits between ls_network_freeze_changes() and ls_network_thaw_changes()
 * emit nothing, and the thaw emits once with every change, after one
 * forward pass that covers them all. */
static void
test_network_freeze_changes (void)
{
  g_autoptr(LsNetwork) network = new_cat_or_dog ();
  g_autoptr(GError) error = NULL;
  const float input[] = { 1.0f, 0.0f, 0.5f };
  ChangedRecord record = { 0 };

  g_signal_connect (network, "changed", G_CALLBACK (changed_cb), &record);

  ls_network_freeze_changes (network);
  ls_network_freeze_changes (network);
  g_assert_true (ls_network_set_input (network, input, G_N_ELEMENTS (input), &error));
  g_assert_true (ls_network_insert_dense (network, 1, 5, LS_ACTIVATION_TANH, &error));
  g_assert_no_error (error);
  ls_network_thaw_changes (network);
  g_assert_cmpuint (record.count, ==, 0);

  ls_network_thaw_changes (network);
  g_assert_cmpuint (record.count, ==, 1);
  g_assert_cmpuint (record.change, ==, LS_CHANGE_VALUES | LS_CHANGE_STRUCTURE);
  g_assert_cmpuint (record.mismatches_in_handler, ==, 0);
}

/* A 33×33 "same" convolution of a 1024×1024 image takes 1024² × 33² =
 * 1141899264 multiply-adds, over the limit of 2^30 = 1073741824, and is
 * rejected before anything changes. A 3×3 one takes 9437184. */
static void
test_network_rejects_over_operation_limit (void)
{
  LsShape shape;
  g_autoptr(LsNetwork) network = NULL;
  g_autoptr(GError) error = NULL;
  const gsize large[2] = { 33, 33 }, small[2] = { 3, 3 }, one[2] = { 1, 1 };
  LsWindow window;

  ls_shape_init_3d (&shape, 1, 1024, 1024);
  network = ls_network_new_with_shape (&shape);

  g_assert_true (ls_window_init (&window, large, one, LS_PADDING_SAME, NULL, &error));
  g_assert_false (ls_network_insert_conv2d (network, 0, 1, &window, LS_ACTIVATION_RELU, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
  g_assert_nonnull (strstr (error->message, "1141899264 multiply-adds"));
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 0);
  g_clear_error (&error);

  g_assert_true (ls_window_init (&window, small, one, LS_PADDING_SAME, NULL, &error));
  g_assert_true (ls_network_insert_conv2d (network, 0, 1, &window, LS_ACTIVATION_RELU, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  load_golden ();

  g_test_add_func ("/network/cat-or-dog-forward", test_network_cat_or_dog_forward);
  g_test_add_func ("/network/golden-forward", test_network_golden_forward);
  g_test_add_func ("/network/insert-keeps-fitting-weights", test_network_insert_keeps_fitting_weights);
  g_test_add_func ("/network/insert-narrower-layer", test_network_insert_narrower_layer);
  g_test_add_func ("/network/insert-at-end", test_network_insert_at_end);
  g_test_add_func ("/network/remove-layer", test_network_remove_layer);
  g_test_add_func ("/network/remove-only-layer", test_network_remove_only_layer);
  g_test_add_func ("/network/set-units", test_network_set_units);
  g_test_add_func ("/network/set-units-drops-labels", test_network_set_units_drops_labels);
  g_test_add_func ("/network/set-activation", test_network_set_activation);
  g_test_add_func ("/network/changed-once-per-edit", test_network_changed_once_per_edit);
  g_test_add_func ("/network/changed-values-update-output", test_network_changed_values_update_output);
  g_test_add_func ("/network/rejects-non-finite", test_network_rejects_non_finite);
  g_test_add_func ("/network/rejects-wrong-input-size", test_network_rejects_wrong_input_size);
  g_test_add_func ("/network/rejects-over-limit-sizes", test_network_rejects_over_limit_sizes);
  g_test_add_func ("/network/accepts-parameter-limit", test_network_accepts_parameter_limit);
  g_test_add_func ("/network/rejects-over-network-limit", test_network_rejects_over_network_limit);
  g_test_add_func ("/network/rejects-too-many-layers", test_network_rejects_too_many_layers);
  g_test_add_func ("/network/rejects-over-operation-limit", test_network_rejects_over_operation_limit);
  g_test_add_func ("/network/freeze-changes", test_network_freeze_changes);
  g_test_add_func ("/network/parameter-count", test_network_parameter_count);
  g_test_add_func ("/network/forward-allocates-nothing", test_network_forward_allocates_nothing);

  status = g_test_run ();
  json_object_unref (golden);

  return status;
}
