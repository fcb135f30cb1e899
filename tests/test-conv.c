/* test-conv.c: forward values, shapes and errors of the image layers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-conv"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "golden.h"
#include "ls-engine.h"

static JsonObject *golden;

/* Helpers */

static void
load_golden (void)
{
  golden = golden_load ("conv-golden.json");
}

/* Reads a [height, width] pair, or a single number meaning both. */
static void
read_pair (JsonObject *object,
           const char *key,
           gsize       pair[2])
{
  JsonNode *node = json_object_get_member (object, key);

  g_assert_nonnull (node);
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      g_assert_cmpuint (json_array_get_length (array), ==, 2);
      pair[0] = json_array_get_int_element (array, 0);
      pair[1] = json_array_get_int_element (array, 1);
    }
  else
    {
      pair[0] = pair[1] = json_node_get_int (node);
    }
}

static void
read_shape (JsonArray *dims,
            LsShape   *shape)
{
  if (json_array_get_length (dims) == 3)
    ls_shape_init_3d (shape,
                      json_array_get_int_element (dims, 0),
                      json_array_get_int_element (dims, 1),
                      json_array_get_int_element (dims, 2));
  else
    {
      g_assert_cmpuint (json_array_get_length (dims), ==, 1);
      ls_shape_init_1d (shape, json_array_get_int_element (dims, 0));
    }
}

static void
assert_shape (const LsShape *shape,
              guint          rank,
              gsize          d0,
              gsize          d1,
              gsize          d2)
{
  g_assert_cmpuint (shape->rank, ==, rank);
  g_assert_cmpuint (shape->dims[0], ==, d0);
  if (rank == 3)
    {
      g_assert_cmpuint (shape->dims[1], ==, d1);
      g_assert_cmpuint (shape->dims[2], ==, d2);
    }
}

static void
init_window (LsWindow      *window,
             gsize          kh,
             gsize          kw,
             gsize          sh,
             gsize          sw,
             LsPaddingMode  padding_mode,
             gsize          ph,
             gsize          pw)
{
  const gsize kernel[2] = { kh, kw };
  const gsize stride[2] = { sh, sw };
  const gsize padding[2] = { ph, pw };
  g_autoptr(GError) error = NULL;

  g_assert_true (ls_window_init (window, kernel, stride, padding_mode, padding, &error));
  g_assert_no_error (error);
}

static void
append_layer (LsNetwork *network,
              LsLayer   *layer)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (layer);
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

/* Creates a conv2d layer with the given weights, [filters][C][kh][kw],
 * and biases, [filters]. The layer is not yet owned by a network, so
 * writing its buffers directly is allowed. */
static LsLayer *
new_conv2d_layer (const LsShape  *input_shape,
                  gsize           filters,
                  const LsWindow *window,
                  LsActivation    activation,
                  const float    *weights,
                  const float    *bias)
{
  const LsInit init = { LS_INIT_HE, 1 };
  g_autoptr(GError) error = NULL;
  LsLayer *layer = ls_layer_new_conv2d (input_shape, filters, window, activation, &init, &error);

  g_assert_no_error (error);
  g_assert_nonnull (layer);
  memcpy (layer->weights, weights, ls_layer_get_n_weights (layer) * sizeof (float));
  memcpy (layer->bias, bias, filters * sizeof (float));

  return layer;
}

static LsLayer *
new_pool2d_layer (LsLayerKind     kind,
                  const LsShape  *input_shape,
                  const LsWindow *window)
{
  g_autoptr(GError) error = NULL;
  LsLayer *layer = ls_layer_new_pool2d (kind, input_shape, window, &error);

  g_assert_no_error (error);
  g_assert_nonnull (layer);

  return layer;
}

/* Golden networks */

/* Reads the window of a golden conv2d or pooling layer. The stride
 * defaults to 1 for conv2d and to the window size for pooling, and
 * padding to "valid", as in a document. */
static void
read_golden_window (JsonObject *description,
                    LsLayerKind kind,
                    LsWindow   *window)
{
  gsize kernel[2], stride[2], padding[2] = { 0, 0 };
  LsPaddingMode mode = LS_PADDING_VALID;
  g_autoptr(GError) error = NULL;

  read_pair (description, kind == LS_LAYER_CONV2D ? "kernel" : "size", kernel);
  if (json_object_has_member (description, "stride"))
    read_pair (description, "stride", stride);
  else if (kind == LS_LAYER_CONV2D)
    stride[0] = stride[1] = 1;
  else
    memcpy (stride, kernel, sizeof stride);

  if (json_object_has_member (description, "padding"))
    {
      JsonNode *node = json_object_get_member (description, "padding");

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        mode = g_str_equal (json_node_get_string (node), "same") ? LS_PADDING_SAME : LS_PADDING_VALID;
      else
        {
          mode = LS_PADDING_EXPLICIT;
          read_pair (description, "padding", padding);
        }
    }

  g_assert_true (ls_window_init (window, kernel, stride, mode, padding, &error));
  g_assert_no_error (error);
}

static void
copy_golden_parameters (LsLayer    *layer,
                        JsonObject *description)
{
  gsize n_weights, n_bias;
  g_autofree float *weights = golden_read_floats (json_object_get_array_member (description, "weights"), &n_weights);
  g_autofree float *bias = golden_read_floats (json_object_get_array_member (description, "bias"), &n_bias);

  g_assert_cmpuint (n_weights, ==, ls_layer_get_n_weights (layer));
  g_assert_cmpuint (n_bias, ==, layer->units);
  memcpy (layer->weights, weights, n_weights * sizeof (float));
  memcpy (layer->bias, bias, n_bias * sizeof (float));
}

/* Creates the layer that one golden "layers" entry describes, on
 * input_shape, with its weights and biases. */
static LsLayer *
new_golden_layer (JsonObject    *description,
                  const LsShape *input_shape,
                  guint          seed)
{
  const char *type = json_object_get_string_member (description, "type");
  LsInit init = { LS_INIT_HE, seed };
  LsActivation activation = LS_ACTIVATION_IDENTITY;
  g_autoptr(GError) error = NULL;
  LsLayerKind kind;
  LsWindow window;
  LsLayer *layer = NULL;

  g_assert_true (ls_layer_kind_from_name (type, &kind));
  if (json_object_has_member (description, "activation"))
    g_assert_true (ls_activation_from_name (json_object_get_string_member (description, "activation"), &activation));

  switch (kind)
    {
    case LS_LAYER_CONV2D:
      read_golden_window (description, kind, &window);
      layer = ls_layer_new_conv2d (input_shape, json_object_get_int_member (description, "filters"),
                                   &window, activation, &init, &error);
      break;

    case LS_LAYER_MAXPOOL2D:
    case LS_LAYER_AVGPOOL2D:
      read_golden_window (description, kind, &window);
      layer = ls_layer_new_pool2d (kind, input_shape, &window, &error);
      break;

    case LS_LAYER_FLATTEN:
      layer = ls_layer_new_flatten (input_shape);
      break;

    case LS_LAYER_DENSE:
      layer = ls_layer_new_dense (ls_shape_get_size (input_shape),
                                  json_object_get_int_member (description, "units"),
                                  activation, &init);
      break;

    case LS_N_LAYER_KINDS:
    default:
      g_assert_not_reached ();
    }

  g_assert_no_error (error);
  g_assert_nonnull (layer);
  if (ls_layer_has_parameters (layer))
    copy_golden_parameters (layer, description);

  return layer;
}

/* Builds the network that one golden "networks" entry describes, with
 * its weights, biases and input, and runs it. */
static LsNetwork *
new_golden_network (JsonObject *description)
{
  JsonObject *input = json_object_get_object_member (description, "input");
  JsonArray *layers = json_object_get_array_member (description, "layers");
  gsize n_input;
  g_autofree float *values = golden_read_floats (json_object_get_array_member (input, "values"), &n_input);
  LsShape shape;
  LsNetwork *network;

  read_shape (json_object_get_array_member (input, "shape"), &shape);
  g_assert_cmpuint (n_input, ==, ls_shape_get_size (&shape));
  network = ls_network_new_with_shape (&shape);

  for (guint l = 0; l < json_array_get_length (layers); l++)
    {
      const LsShape *input_shape = ls_network_get_layer_input_shape (network, l);

      append_layer (network, new_golden_layer (json_array_get_object_element (layers, l), input_shape, l + 1));
    }
  set_input (network, values, n_input);
  ls_network_forward (network);

  return network;
}

static void
assert_values_match (const char  *what,
                     const float *actual,
                     gsize        n_actual,
                     JsonArray   *expected)
{
  gsize n_expected;
  g_autofree float *values = golden_read_floats (expected, &n_expected);

  g_assert_cmpuint (n_actual, ==, n_expected);
  for (gsize i = 0; i < n_expected; i++)
    golden_assert_close (what, i, actual[i], values[i]);
}

static void
assert_layer_matches_golden (const LsLayer *layer,
                             JsonObject    *expected)
{
  LsShape output_shape;
  gsize n = ls_layer_get_outputs (layer);

  read_shape (json_object_get_array_member (expected, "output_shape"), &output_shape);
  g_assert_true (ls_shape_equal (&layer->output_shape, &output_shape));

  assert_values_match ("pre_activation", layer->pre_activation, n,
                       json_object_get_array_member (expected, "pre_activation"));
  assert_values_match ("activation_output", layer->activation_output, n,
                       json_object_get_array_member (expected, "activation_output"));
}

static void
test_conv_golden_forward (void)
{
  JsonArray *networks = json_object_get_array_member (golden, "networks");
  gboolean used_kind[LS_N_LAYER_KINDS] = { FALSE };
  gboolean used_padding[3] = { FALSE };

  g_assert_cmpuint (json_array_get_length (networks), >=, 20);

  for (guint n = 0; n < json_array_get_length (networks); n++)
    {
      JsonObject *description = json_array_get_object_element (networks, n);
      JsonArray *layers = json_object_get_array_member (description, "layers");
      g_autoptr(LsNetwork) network = new_golden_network (description);
      LsParameterCount count;

      g_test_message ("golden network %u: %s", n, json_object_get_string_member (description, "name"));
      g_assert_cmpuint (ls_network_get_n_layers (network), ==, json_array_get_length (layers));

      for (guint l = 0; l < json_array_get_length (layers); l++)
        {
          const LsLayer *layer = ls_network_get_layer (network, l);

          used_kind[layer->kind] = TRUE;
          if (layer->kind == LS_LAYER_CONV2D)
            used_padding[layer->window.padding_mode] = TRUE;
          assert_layer_matches_golden (layer, json_array_get_object_element (layers, l));
        }

      ls_network_get_parameter_count (network, &count);
      g_assert_cmpuint (count.total, ==, json_object_get_int_member (description, "parameters"));
    }

  /* The token kinds have their own golden file, checked by test-attention. */
  for (LsLayerKind kind = 0; kind <= LS_LAYER_FLATTEN; kind++)
    {
      g_test_message ("golden networks use %s", ls_layer_kind_get_name (kind));
      g_assert_true (used_kind[kind]);
    }
  g_assert_true (used_padding[LS_PADDING_EXPLICIT]);
  g_assert_true (used_padding[LS_PADDING_VALID]);
  g_assert_true (used_padding[LS_PADDING_SAME]);
}

/* Hand-calculated values */

static const float ramp_3x3[9] = {  /* [1][3][3] */
  1.0f, 2.0f, 3.0f,
  4.0f, 5.0f, 6.0f,
  7.0f, 8.0f, 9.0f,
};

/* A kernel with a single 1 in the middle copies its input: with padding
 * 1 every output pixel is the input pixel under the kernel's centre, and
 * the bias adds to each. Without padding, the one output is the centre. */
static void
test_conv_identity_kernel (void)
{
  static const float identity[9] = { 0, 0, 0, 0, 1, 0, 0, 0, 0 };  /* [1][1][3][3] */
  static const float bias[1] = { 0.5f };
  LsShape shape;
  LsWindow window;
  g_autoptr(LsNetwork) padded = NULL;
  g_autoptr(LsNetwork) valid = NULL;
  const LsLayer *layer;

  ls_shape_init_3d (&shape, 1, 3, 3);
  padded = ls_network_new_with_shape (&shape);
  init_window (&window, 3, 3, 1, 1, LS_PADDING_EXPLICIT, 1, 1);
  append_layer (padded, new_conv2d_layer (&shape, 1, &window, LS_ACTIVATION_IDENTITY, identity, bias));
  set_input (padded, ramp_3x3, G_N_ELEMENTS (ramp_3x3));

  layer = ls_network_get_layer (padded, 0);
  assert_shape (&layer->output_shape, 3, 1, 3, 3);
  for (gsize i = 0; i < G_N_ELEMENTS (ramp_3x3); i++)
    g_assert_cmpfloat (ls_network_get_output (padded)[i], ==, ramp_3x3[i] + 0.5f);

  valid = ls_network_new_with_shape (&shape);
  init_window (&window, 3, 3, 1, 1, LS_PADDING_VALID, 0, 0);
  append_layer (valid, new_conv2d_layer (&shape, 1, &window, LS_ACTIVATION_IDENTITY, identity, bias));
  set_input (valid, ramp_3x3, G_N_ELEMENTS (ramp_3x3));

  assert_shape (&ls_network_get_layer (valid, 0)->output_shape, 3, 1, 1, 1);
  g_assert_cmpfloat (ls_network_get_output (valid)[0], ==, 5.5f);
}

/* Conv2d is a cross-correlation, as in PyTorch: the kernel is not
 * flipped. A 1 in the kernel's top-left corner, with padding 1, makes
 * output (y, x) the input at (y − 1, x − 1), and zero padding above and
 * left of the image. A flipped kernel would read (y + 1, x + 1). */
static void
test_conv_kernel_not_flipped (void)
{
  static const float corner[9] = { 1, 0, 0, 0, 0, 0, 0, 0, 0 };  /* [1][1][3][3] */
  static const float bias[1] = { 0.0f };
  static const float expected[9] = {  /* [1][3][3] */
    0.0f, 0.0f, 0.0f,
    0.0f, 1.0f, 2.0f,
    0.0f, 4.0f, 5.0f,
  };
  g_autoptr(LsNetwork) network = NULL;
  LsShape shape;
  LsWindow window;

  ls_shape_init_3d (&shape, 1, 3, 3);
  network = ls_network_new_with_shape (&shape);
  init_window (&window, 3, 3, 1, 1, LS_PADDING_SAME, 0, 0);
  append_layer (network, new_conv2d_layer (&shape, 1, &window, LS_ACTIVATION_IDENTITY, corner, bias));
  set_input (network, ramp_3x3, G_N_ELEMENTS (ramp_3x3));

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpfloat (ls_network_get_output (network)[i], ==, expected[i]);
}

/* A conv2d layer sums over input channels: two channels whose 1x1
 * kernels are 2 and −1, on inputs 3 and 4, give 2·3 − 1·4 + bias 0.25
 * = 2.25 in every pixel. */
static void
test_conv_sums_channels (void)
{
  static const float weights[2] = { 2.0f, -1.0f };  /* [1][2][1][1] */
  static const float bias[1] = { 0.25f };
  static const float input[8] = { 3, 3, 3, 3, 4, 4, 4, 4 };  /* [2][2][2] */
  g_autoptr(LsNetwork) network = NULL;
  LsShape shape;
  LsWindow window;

  ls_shape_init_3d (&shape, 2, 2, 2);
  network = ls_network_new_with_shape (&shape);
  init_window (&window, 1, 1, 1, 1, LS_PADDING_VALID, 0, 0);
  append_layer (network, new_conv2d_layer (&shape, 1, &window, LS_ACTIVATION_IDENTITY, weights, bias));
  set_input (network, input, G_N_ELEMENTS (input));

  assert_shape (&ls_network_get_layer (network, 0)->output_shape, 3, 1, 2, 2);
  for (gsize i = 0; i < 4; i++)
    g_assert_cmpfloat (ls_network_get_output (network)[i], ==, 2.25f);
}

/* The 4x4 ramp 0 … 15, row by row, in 2x2 windows with stride 2:
 *    0  1 |  2  3
 *    4  5 |  6  7      max:  5  7      mean: (0+1+4+5)/4 = 2.5   4.5
 *   ------+------            13 15           (8+9+12+13)/4 = 10.5 12.5
 *    8  9 | 10 11
 *   12 13 | 14 15 */
static void
test_conv_pool_ramp (void)
{
  static const float expected_max[4] = { 5.0f, 7.0f, 13.0f, 15.0f };
  static const float expected_mean[4] = { 2.5f, 4.5f, 10.5f, 12.5f };
  float ramp[16];  /* [1][4][4] */
  LsShape shape;
  LsWindow window;

  for (gsize i = 0; i < G_N_ELEMENTS (ramp); i++)
    ramp[i] = (float) i;
  ls_shape_init_3d (&shape, 1, 4, 4);
  init_window (&window, 2, 2, 2, 2, LS_PADDING_VALID, 0, 0);

  for (guint k = 0; k < 2; k++)
    {
      LsLayerKind kind = k == 0 ? LS_LAYER_MAXPOOL2D : LS_LAYER_AVGPOOL2D;
      const float *expected = k == 0 ? expected_max : expected_mean;
      g_autoptr(LsNetwork) network = ls_network_new_with_shape (&shape);
      const LsLayer *layer;

      append_layer (network, new_pool2d_layer (kind, &shape, &window));
      set_input (network, ramp, G_N_ELEMENTS (ramp));

      layer = ls_network_get_layer (network, 0);
      g_test_message ("%s", ls_layer_kind_get_name (kind));
      assert_shape (&layer->output_shape, 3, 1, 2, 2);
      for (gsize i = 0; i < 4; i++)
        {
          g_assert_cmpfloat (layer->pre_activation[i], ==, expected[i]);
          g_assert_cmpfloat (ls_network_get_output (network)[i], ==, expected[i]);
        }
    }
}

/* Rejected edits */

/* A 1x4x4 image through conv2d 2@3x3 with padding 1 (2x4x4), max pool 2
 * (2x2x2) and dense 3 softmax, with seeded weights and a ramp input. */
static LsNetwork *
new_small_cnn (void)
{
  g_autoptr(GError) error = NULL;
  LsNetwork *network;
  LsShape shape;
  LsWindow conv, pool;
  float input[16];  /* [1][4][4] */

  ls_shape_init_3d (&shape, 1, 4, 4);
  network = ls_network_new_with_shape (&shape);
  init_window (&conv, 3, 3, 1, 1, LS_PADDING_EXPLICIT, 1, 1);
  init_window (&pool, 2, 2, 2, 2, LS_PADDING_VALID, 0, 0);
  g_assert_true (ls_network_insert_conv2d (network, 0, 2, &conv, LS_ACTIVATION_RELU, &error));
  g_assert_true (ls_network_insert_pool2d (network, 1, LS_LAYER_MAXPOOL2D, &pool, &error));
  g_assert_true (ls_network_insert_dense (network, 2, 3, LS_ACTIVATION_SOFTMAX, &error));
  g_assert_no_error (error);

  for (gsize i = 0; i < G_N_ELEMENTS (input); i++)
    input[i] = (float) i / 16.0f;
  set_input (network, input, G_N_ELEMENTS (input));

  return network;
}

/* A copy of every shape, window, parameter, input and activation, to
 * check that a rejected edit changed nothing. */
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
      gsize n_outputs = ls_layer_get_outputs (layer);

      g_byte_array_append (bytes, (const guint8 *) &layer->kind, sizeof layer->kind);
      g_byte_array_append (bytes, (const guint8 *) &layer->input_shape, sizeof layer->input_shape);
      g_byte_array_append (bytes, (const guint8 *) &layer->output_shape, sizeof layer->output_shape);
      g_byte_array_append (bytes, (const guint8 *) &layer->units, sizeof layer->units);
      g_byte_array_append (bytes, (const guint8 *) &layer->window, sizeof layer->window);
      g_byte_array_append (bytes, (const guint8 *) layer->weights, ls_layer_get_n_weights (layer) * sizeof (float));
      if (ls_layer_has_parameters (layer))
        g_byte_array_append (bytes, (const guint8 *) layer->bias, layer->units * sizeof (float));
      g_byte_array_append (bytes, (const guint8 *) layer->pre_activation, n_outputs * sizeof (float));
      g_byte_array_append (bytes, (const guint8 *) layer->activation_output, n_outputs * sizeof (float));
    }

  return bytes;
}

static void
count_changed_cb (LsNetwork *network,
                  guint      change,
                  gpointer   user_data)
{
  guint *count = user_data;

  (*count)++;
}

typedef gboolean (*BadEditFunc) (LsNetwork *network,
                                 GError   **error);

/* 5x5 kernel on the 4x4 input, whose padded size with padding 0 is 4. */
static gboolean
edit_kernel_larger_than_input (LsNetwork  *network,
                               GError    **error)
{
  LsWindow window;

  init_window (&window, 5, 5, 1, 1, LS_PADDING_VALID, 0, 0);

  return ls_network_set_window (network, 0, &window, error);
}

/* 3x3 kernel with padding 0 on the 2x2x2 pool output. */
static gboolean
edit_insert_kernel_larger_than_input (LsNetwork  *network,
                                      GError    **error)
{
  LsWindow window;

  init_window (&window, 3, 3, 1, 1, LS_PADDING_VALID, 0, 0);

  return ls_network_insert_conv2d (network, 2, 4, &window, LS_ACTIVATION_RELU, error);
}

/* 2^20 filters of 2x3x3 on the 2x4x4 conv2d output: 2^20 · 19 weights
 * and biases, more than LS_MAX_LAYER_PARAMETERS (2^24). */
static gboolean
edit_insert_too_many_filters (LsNetwork  *network,
                              GError    **error)
{
  LsWindow window;

  init_window (&window, 3, 3, 1, 1, LS_PADDING_SAME, 1, 1);

  return ls_network_insert_conv2d (network, 1, LS_MAX_TENSOR_SIZE, &window, LS_ACTIVATION_RELU, error);
}

/* 3x3 kernel, stride 2, no padding on 4x4: (4 − 3) / 2 is not whole. */
static gboolean
edit_non_integer_output (LsNetwork  *network,
                         GError    **error)
{
  LsWindow window;

  init_window (&window, 3, 3, 2, 2, LS_PADDING_VALID, 0, 0);

  return ls_network_set_window (network, 0, &window, error);
}

/* Pool 3 with stride 3 on the 4x4 conv2d output: (4 − 3) / 3 is not whole. */
static gboolean
edit_insert_pool_non_integer_output (LsNetwork  *network,
                                     GError    **error)
{
  LsWindow window;

  init_window (&window, 3, 3, 3, 3, LS_PADDING_VALID, 0, 0);

  return ls_network_insert_pool2d (network, 1, LS_LAYER_AVGPOOL2D, &window, error);
}

/* A window built by hand with stride 0, which ls_window_init() rejects. */
static gboolean
edit_stride_zero (LsNetwork  *network,
                  GError    **error)
{
  LsWindow window = ls_network_get_layer (network, 1)->window;

  window.stride[1] = 0;

  return ls_network_set_window (network, 1, &window, error);
}

/* The "same" window of new_odd_cnn()'s conv2d layer changed by hand to
 * stride 2, which ls_window_init() rejects. Its padding of 1 on each side
 * would otherwise fit the 5x5 input: (5 + 2 − 3) / 2 is whole. */
static gboolean
edit_same_with_stride_2 (LsNetwork  *network,
                         GError    **error)
{
  LsWindow window = ls_network_get_layer (network, 0)->window;

  g_assert_cmpint (window.padding_mode, ==, LS_PADDING_SAME);
  window.stride[0] = window.stride[1] = 2;

  return ls_network_set_window (network, 0, &window, error);
}

/* Conv2d after the dense layer, whose output is the 1-D [3]. */
static gboolean
edit_conv_after_dense (LsNetwork  *network,
                       GError    **error)
{
  LsWindow window;

  init_window (&window, 1, 1, 1, 1, LS_PADDING_VALID, 0, 0);

  return ls_network_insert_conv2d (network, 3, 2, &window, LS_ACTIVATION_RELU, error);
}

/* Pooling after the flatten layer of new_flatten_cnn(), whose output is
 * the 1-D [8]. */
static gboolean
edit_pool_after_flatten (LsNetwork  *network,
                         GError    **error)
{
  LsWindow window;

  init_window (&window, 1, 1, 1, 1, LS_PADDING_VALID, 0, 0);

  return ls_network_insert_pool2d (network, 3, LS_LAYER_MAXPOOL2D, &window, error);
}

/* Conv2d as the first layer of new_vector_network(), on the input [16]. */
static gboolean
edit_conv_on_vector_input (LsNetwork  *network,
                           GError    **error)
{
  LsWindow window;

  init_window (&window, 1, 1, 1, 1, LS_PADDING_VALID, 0, 0);

  return ls_network_insert_conv2d (network, 0, 2, &window, LS_ACTIVATION_RELU, error);
}

/* A 4x4 kernel without padding fits the 4x4 input, but its 2x1x1 output
 * is too small for the 2x2 pool window of the next layer. */
static gboolean
edit_window_breaks_next_layer (LsNetwork  *network,
                               GError    **error)
{
  LsWindow window;

  init_window (&window, 4, 4, 1, 1, LS_PADDING_VALID, 0, 0);

  return ls_network_set_window (network, 0, &window, error);
}

/* new_small_cnn() with a flatten layer before its dense layer. */
static LsNetwork *
new_flatten_cnn (void)
{
  g_autoptr(GError) error = NULL;
  LsNetwork *network = new_small_cnn ();

  g_assert_true (ls_network_insert_flatten (network, 2, &error));
  g_assert_no_error (error);

  return network;
}

/* A 1x5x5 image of 0, 1/25, …, 24/25 through conv2d 2@3x3 "same" ReLU
 * (2x5x5) and dense 3 softmax. */
static LsNetwork *
new_odd_cnn (void)
{
  g_autoptr(GError) error = NULL;
  LsNetwork *network;
  LsShape shape;
  LsWindow conv;
  float input[25];  /* [1][5][5] */

  ls_shape_init_3d (&shape, 1, 5, 5);
  network = ls_network_new_with_shape (&shape);
  init_window (&conv, 3, 3, 1, 1, LS_PADDING_SAME, 0, 0);
  g_assert_true (ls_network_insert_conv2d (network, 0, 2, &conv, LS_ACTIVATION_RELU, &error));
  g_assert_true (ls_network_insert_dense (network, 1, 3, LS_ACTIVATION_SOFTMAX, &error));
  g_assert_no_error (error);

  for (gsize i = 0; i < G_N_ELEMENTS (input); i++)
    input[i] = (float) i / 25.0f;
  set_input (network, input, G_N_ELEMENTS (input));

  return network;
}

/* A vector input [16] of 0, 1/16, …, 15/16 through dense 4 tanh. */
static LsNetwork *
new_vector_network (void)
{
  g_autoptr(GError) error = NULL;
  LsNetwork *network = ls_network_new (16);
  float input[16];

  g_assert_true (ls_network_insert_dense (network, 0, 4, LS_ACTIVATION_TANH, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (input); i++)
    input[i] = (float) i / 16.0f;
  set_input (network, input, G_N_ELEMENTS (input));

  return network;
}

typedef struct
{
  const char *name;
  LsNetwork *(*new_network) (void);
  BadEditFunc edit;
  const char *layer;   /* the layer the message must name */
} BadEditCase;

static const BadEditCase bad_edit_cases[] = {
  { "kernel larger than input",        new_small_cnn,      edit_kernel_larger_than_input,        "Layer 1" },
  { "insert kernel larger than input", new_small_cnn,      edit_insert_kernel_larger_than_input, "Layer 3" },
  { "insert too many filters",         new_small_cnn,      edit_insert_too_many_filters,         "Layer 2" },
  { "non-integer output size",         new_small_cnn,      edit_non_integer_output,              "Layer 1" },
  { "insert pool, non-integer output", new_small_cnn,      edit_insert_pool_non_integer_output,  "Layer 2" },
  { "stride 0",                        new_small_cnn,      edit_stride_zero,                     "Layer 2" },
  { "same with stride 2",              new_odd_cnn,        edit_same_with_stride_2,              "Layer 1" },
  { "conv2d after dense",              new_small_cnn,      edit_conv_after_dense,                "Layer 4" },
  { "pool after flatten",              new_flatten_cnn,    edit_pool_after_flatten,              "Layer 4" },
  { "conv2d on a vector input",        new_vector_network, edit_conv_on_vector_input,            "Layer 1" },
  { "window breaks the next layer",    new_small_cnn,      edit_window_breaks_next_layer,        "Layer 2" },
};

/* Each edit returns FALSE with LS_ERROR_INVALID_SHAPE, a message that
 * names the layer, no changed signal, and the network as it was: the
 * same layers, shapes, windows, parameters and outputs. */
static void
test_conv_rejects_bad_shapes (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (bad_edit_cases); i++)
    {
      const BadEditCase *bad = &bad_edit_cases[i];
      g_autoptr(LsNetwork) network = bad->new_network ();
      gsize n_layers = ls_network_get_n_layers (network);
      g_autoptr(GByteArray) before = snapshot_network (network);
      g_autoptr(GByteArray) after = NULL;
      g_autoptr(GError) error = NULL;
      guint changed = 0;

      g_test_message ("bad edit: %s", bad->name);
      g_signal_connect (network, "changed", G_CALLBACK (count_changed_cb), &changed);
      g_assert_false (bad->edit (network, &error));
      g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
      g_test_message ("message: %s", error->message);
      g_assert_nonnull (strstr (error->message, bad->layer));

      g_assert_cmpuint (changed, ==, 0);
      g_assert_cmpuint (ls_network_get_n_layers (network), ==, n_layers);
      after = snapshot_network (network);
      g_assert_cmpmem (after->data, after->len, before->data, before->len);
    }
}

/* ls_window_init() rejects a window size or stride of 0 and "same"
 * padding with a stride other than 1, and leaves the window as it was. */
static void
test_conv_window_init_rejects (void)
{
  static const struct
  {
    const char *name;
    gsize kernel[2];
    gsize stride[2];
    LsPaddingMode mode;
  } cases[] = {
    { "kernel 0",           { 0, 3 }, { 1, 1 }, LS_PADDING_VALID },
    { "stride 0",           { 3, 3 }, { 1, 0 }, LS_PADDING_VALID },
    { "same with stride 2", { 3, 3 }, { 2, 2 }, LS_PADDING_SAME },
    { "same with stride (1, 2)", { 3, 3 }, { 1, 2 }, LS_PADDING_SAME },
  };
  static const gsize padding[2] = { 0, 0 };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      LsWindow window, before;

      g_test_message ("window: %s", cases[i].name);
      init_window (&window, 2, 2, 2, 2, LS_PADDING_VALID, 0, 0);
      before = window;
      g_assert_false (ls_window_init (&window, cases[i].kernel, cases[i].stride, cases[i].mode, padding, &error));
      g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
      g_assert_cmpmem (&window, sizeof window, &before, sizeof before);
    }
}

/* Max pooling keeps a NaN in its window, as torch.nn.MaxPool2d does, so
 * that a NaN never hides behind a larger number. */
static void
test_conv_maxpool_keeps_nan (void)
{
  const float input[4] = { 1.0f, NAN, NAN, 2.0f };  /* [1][2][2] */
  g_autoptr(LsLayer) layer = NULL;
  LsShape shape;
  LsWindow window;

  ls_shape_init_3d (&shape, 1, 2, 2);
  init_window (&window, 2, 2, 2, 2, LS_PADDING_VALID, 0, 0);
  layer = new_pool2d_layer (LS_LAYER_MAXPOOL2D, &shape, &window);
  ls_layer_forward (layer, input);
  g_assert_true (isnan (layer->activation_output[0]));
}

/* ls_layer_new_conv2d() and ls_layer_new_pool2d() reject a window that
 * does not fit, naming the input shape. */
static void
test_conv_new_layer_rejects (void)
{
  const LsInit init = { LS_INIT_HE, 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LsLayer) fits = NULL;
  LsShape image, vector;
  LsWindow window;

  ls_shape_init_3d (&image, 1, 3, 3);
  ls_shape_init_1d (&vector, 9);

  /* 5x5 on 3x3 padded by 1 on each side: 5 fits. Unpadded, it does not. */
  init_window (&window, 5, 5, 1, 1, LS_PADDING_EXPLICIT, 1, 1);
  fits = ls_layer_new_conv2d (&image, 1, &window, LS_ACTIVATION_RELU, &init, &error);
  g_assert_no_error (error);
  assert_shape (&fits->output_shape, 3, 1, 1, 1);

  init_window (&window, 5, 5, 1, 1, LS_PADDING_VALID, 0, 0);
  g_assert_null (ls_layer_new_conv2d (&image, 1, &window, LS_ACTIVATION_RELU, &init, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
  g_assert_nonnull (strstr (error->message, "[1, 3, 3]"));
  g_clear_error (&error);

  /* (3 − 2) / 2 is not whole. */
  init_window (&window, 2, 2, 2, 2, LS_PADDING_VALID, 0, 0);
  g_assert_null (ls_layer_new_pool2d (LS_LAYER_MAXPOOL2D, &image, &window, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
  g_clear_error (&error);

  init_window (&window, 1, 1, 1, 1, LS_PADDING_VALID, 0, 0);
  g_assert_null (ls_layer_new_pool2d (LS_LAYER_AVGPOOL2D, &vector, &window, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
  g_assert_nonnull (strstr (error->message, "[9]"));
  g_clear_error (&error);

  /* The pools read only cells inside the input, so they take no padding. */
  init_window (&window, 3, 3, 1, 1, LS_PADDING_EXPLICIT, 1, 1);
  g_assert_null (ls_layer_new_pool2d (LS_LAYER_AVGPOOL2D, &image, &window, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
  g_assert_nonnull (strstr (error->message, "padding"));
  g_clear_error (&error);

  init_window (&window, 3, 3, 1, 1, LS_PADDING_SAME, 0, 0);
  g_assert_null (ls_layer_new_pool2d (LS_LAYER_MAXPOOL2D, &image, &window, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
}

/* Receptive fields and parameter counts */

/* A 3x12x12 image through conv2d 4@3x3 (valid, 4x10x10), max pool 2
 * (4x5x5), conv2d 6@3x3 (valid, 6x3x3), flatten (54) and dense 10. */
static LsNetwork *
new_receptive_chain (void)
{
  g_autoptr(GError) error = NULL;
  LsNetwork *network;
  LsShape shape;
  LsWindow conv, pool;

  ls_shape_init_3d (&shape, 3, 12, 12);
  network = ls_network_new_with_shape (&shape);
  init_window (&conv, 3, 3, 1, 1, LS_PADDING_VALID, 0, 0);
  init_window (&pool, 2, 2, 2, 2, LS_PADDING_VALID, 0, 0);
  g_assert_true (ls_network_insert_conv2d (network, 0, 4, &conv, LS_ACTIVATION_RELU, &error));
  g_assert_true (ls_network_insert_pool2d (network, 1, LS_LAYER_MAXPOOL2D, &pool, &error));
  g_assert_true (ls_network_insert_conv2d (network, 2, 6, &conv, LS_ACTIVATION_RELU, &error));
  g_assert_true (ls_network_insert_flatten (network, 3, &error));
  g_assert_true (ls_network_insert_dense (network, 4, 10, LS_ACTIVATION_SOFTMAX, &error));
  g_assert_no_error (error);

  return network;
}

/* Parameters by hand:
 *   conv2d 4@3x3 on 3 channels: 4·3·3·3 = 108 weights, 4 biases
 *   max pool: none
 *   conv2d 6@3x3 on 4 channels: 6·4·3·3 = 216 weights, 6 biases
 *   flatten: none
 *   dense 54 → 10: 540 weights, 10 biases
 * in all 864 weights and 20 biases, 884 parameters. */
static void
test_conv_parameter_count (void)
{
  static const gsize weights[] = { 108, 0, 216, 0, 540 };
  static const gsize biases[] = { 4, 0, 6, 0, 10 };
  g_autoptr(LsNetwork) network = new_receptive_chain ();
  LsParameterCount count;

  g_assert_cmpuint (ls_network_get_n_layers (network), ==, G_N_ELEMENTS (weights));
  for (gsize l = 0; l < G_N_ELEMENTS (weights); l++)
    {
      const LsLayer *layer = ls_network_get_layer (network, l);

      ls_layer_get_parameter_count (layer, &count);
      g_assert_cmpuint (count.weights, ==, weights[l]);
      g_assert_cmpuint (count.biases, ==, biases[l]);
      g_assert_cmpuint (count.total, ==, weights[l] + biases[l]);
      g_assert_cmpuint (ls_layer_get_n_weights (layer), ==, weights[l]);
    }

  ls_network_get_parameter_count (network, &count);
  g_assert_cmpuint (count.weights, ==, 864);
  g_assert_cmpuint (count.biases, ==, 20);
  g_assert_cmpuint (count.total, ==, 884);
  assert_shape (&ls_network_get_layer (network, 3)->output_shape, 1, 54, 0, 0);
}

typedef struct
{
  gsize layer;
  LsRegion output;
  LsRegion expected;
} RegionCase;

static void
check_region_cases (LsNetwork        *network,
                    const RegionCase *cases,
                    gsize             n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      LsRegion input = { 0 };

      g_test_message ("layer %" G_GSIZE_FORMAT ", output rows %" G_GSIZE_FORMAT "–%" G_GSIZE_FORMAT
                      ", columns %" G_GSIZE_FORMAT "–%" G_GSIZE_FORMAT,
                      cases[i].layer, cases[i].output.y0, cases[i].output.y1,
                      cases[i].output.x0, cases[i].output.x1);
      g_assert_true (ls_network_get_input_region (network, cases[i].layer, &cases[i].output, &input));
      g_assert_cmpuint (input.y0, ==, cases[i].expected.y0);
      g_assert_cmpuint (input.x0, ==, cases[i].expected.x0);
      g_assert_cmpuint (input.y1, ==, cases[i].expected.y1);
      g_assert_cmpuint (input.x1, ==, cases[i].expected.x1);
    }
}

/* Receptive fields in new_receptive_chain(), by hand. Regions are rows
 * y0 to y1 − 1 and columns x0 to x1 − 1. Output (0, 0) of the second
 * conv2d reads pool rows and columns 0–2, which read conv2d outputs 0–5,
 * which read input pixels 0–7. Output (1, 2) reads pool rows 1–3 and
 * columns 2–4, so conv2d rows 2–7 and columns 4–9, so input rows 2–9 and
 * columns 4–11. A pool output (r, c) reads conv2d rows 2r–2r+1, so input
 * rows 2r to 2r + 3. */
static void
test_conv_input_region (void)
{
  static const RegionCase cases[] = {
    { 2, { 0, 0, 1, 1 }, { 0, 0, 8, 8 } },
    { 2, { 1, 2, 2, 3 }, { 2, 4, 10, 12 } },
    { 2, { 0, 0, 3, 3 }, { 0, 0, 12, 12 } },
    { 1, { 4, 0, 5, 1 }, { 8, 0, 12, 4 } },
    { 0, { 3, 5, 4, 6 }, { 3, 5, 6, 8 } },
  };
  g_autoptr(LsNetwork) network = new_receptive_chain ();
  const LsRegion one = { 0, 0, 1, 1 };
  LsRegion input;

  check_region_cases (network, cases, G_N_ELEMENTS (cases));

  /* The flatten and dense layers mix every position, so their region is
   * the whole 12x12 input. */
  for (gsize layer = 3; layer < 5; layer++)
    {
      g_assert_false (ls_network_get_input_region (network, layer, &one, &input));
      g_assert_cmpuint (input.y0, ==, 0);
      g_assert_cmpuint (input.x0, ==, 0);
      g_assert_cmpuint (input.y1, ==, 12);
      g_assert_cmpuint (input.x1, ==, 12);
    }
}

/* With padding, the field is clipped to the image. A 1x8x8 image through
 * conv2d 3x3 padding 1 (8x8), max pool 2 (4x4) and conv2d 3x3 padding 1
 * (4x4): output (0, 0) reads pool rows −1–1, so 0–1, so conv2d rows 0–3,
 * so input rows −1–4, clipped to 0–4. Output (3, 3) reads pool rows 2–4,
 * clipped to 2–3, so conv2d rows 4–7, so input rows 3–8, clipped to 3–7.
 * Then a stride of (2, 1) shows that each axis uses its own stride. */
static void
test_conv_input_region_padding (void)
{
  static const RegionCase cases[] = {
    { 2, { 0, 0, 1, 1 }, { 0, 0, 5, 5 } },
    { 2, { 3, 3, 4, 4 }, { 3, 3, 8, 8 } },
    { 0, { 0, 7, 1, 8 }, { 0, 6, 2, 8 } },
  };
  g_autoptr(LsNetwork) network = NULL;
  g_autoptr(GError) error = NULL;
  LsShape shape;
  LsWindow conv, pool, strided;
  LsRegion input;
  const LsRegion one = { 1, 1, 2, 2 };

  ls_shape_init_3d (&shape, 1, 8, 8);
  network = ls_network_new_with_shape (&shape);
  init_window (&conv, 3, 3, 1, 1, LS_PADDING_EXPLICIT, 1, 1);
  init_window (&pool, 2, 2, 2, 2, LS_PADDING_VALID, 0, 0);
  g_assert_true (ls_network_insert_conv2d (network, 0, 2, &conv, LS_ACTIVATION_RELU, &error));
  g_assert_true (ls_network_insert_pool2d (network, 1, LS_LAYER_MAXPOOL2D, &pool, &error));
  g_assert_true (ls_network_insert_conv2d (network, 2, 2, &conv, LS_ACTIVATION_RELU, &error));
  g_assert_no_error (error);

  check_region_cases (network, cases, G_N_ELEMENTS (cases));

  /* A separate 1x7x5 image through conv2d 3x3, stride (2, 1), no padding
   * (3x3): output (1, 1) reads input rows 2–4 and columns 1–3. */
  g_clear_object (&network);
  ls_shape_init_3d (&shape, 1, 7, 5);
  network = ls_network_new_with_shape (&shape);
  init_window (&strided, 3, 3, 2, 1, LS_PADDING_VALID, 0, 0);
  g_assert_true (ls_network_insert_conv2d (network, 0, 1, &strided, LS_ACTIVATION_RELU, &error));
  g_assert_no_error (error);
  assert_shape (&ls_network_get_layer (network, 0)->output_shape, 3, 1, 3, 3);
  g_assert_true (ls_network_get_input_region (network, 0, &one, &input));
  g_assert_cmpuint (input.y0, ==, 2);
  g_assert_cmpuint (input.y1, ==, 5);
  g_assert_cmpuint (input.x0, ==, 1);
  g_assert_cmpuint (input.x1, ==, 4);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  load_golden ();

  g_test_add_func ("/conv/golden-forward", test_conv_golden_forward);
  g_test_add_func ("/conv/identity-kernel", test_conv_identity_kernel);
  g_test_add_func ("/conv/kernel-not-flipped", test_conv_kernel_not_flipped);
  g_test_add_func ("/conv/sums-channels", test_conv_sums_channels);
  g_test_add_func ("/conv/pool-ramp", test_conv_pool_ramp);
  g_test_add_func ("/conv/rejects-bad-shapes", test_conv_rejects_bad_shapes);
  g_test_add_func ("/conv/window-init-rejects", test_conv_window_init_rejects);
  g_test_add_func ("/conv/new-layer-rejects", test_conv_new_layer_rejects);
  g_test_add_func ("/conv/maxpool-keeps-nan", test_conv_maxpool_keeps_nan);
  g_test_add_func ("/conv/parameter-count", test_conv_parameter_count);
  g_test_add_func ("/conv/input-region", test_conv_input_region);
  g_test_add_func ("/conv/input-region-padding", test_conv_input_region_padding);

  status = g_test_run ();
  json_object_unref (golden);

  return status;
}
