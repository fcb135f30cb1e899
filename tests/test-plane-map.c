/* test-plane-map.c: every unit's output over the input plane of a 2-input network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-plane-map"

#include <math.h>
#include <string.h>

#include "ls-error.h"
#include "ls-network.h"
#include "ls-plane-map.h"

/* A 2-2-1 network worked by hand:
 *   h0 = relu(x + 0.5·y + 1)
 *   h1 = relu(-x + y)
 *   o  = h0 - 2·h1 + 0.25 */
static LsNetwork *
new_hand_network (void)
{
  static const float hidden_weights[] = { 1, -1, 0.5f, 1 };  /* [2 inputs][2 units] */
  static const float hidden_bias[] = { 1, 0 };
  static const float output_weights[] = { 1, -2 };           /* [2 inputs][1 unit] */
  static const float output_bias[] = { 0.25f };
  g_autoptr(GError) error = NULL;
  LsNetwork *network = ls_network_new (2);

  g_assert_true (ls_network_insert_dense (network, 0, 2, LS_ACTIVATION_RELU, &error));
  g_assert_true (ls_network_insert_dense (network, 1, 1, LS_ACTIVATION_IDENTITY, &error));
  g_assert_true (ls_network_set_layer_parameters (network, 0, hidden_weights, 4, hidden_bias, 2,
                                                  &error));
  g_assert_true (ls_network_set_layer_parameters (network, 1, output_weights, 2, output_bias, 1,
                                                  &error));
  g_assert_no_error (error);

  return network;
}

static float
value_at (LsPlaneMap *map,
          gsize       layer,
          gsize       unit,
          gsize       row,
          gsize       column)
{
  return ls_plane_map_get_values (map, layer, unit)[row * ls_plane_map_get_width (map) + column];
}

/* A 3 × 5 grid over x in [-1, 1] and y in [-2, 2]: columns at x = -1, 0,
 * 1 and rows at y = 2, 1, 0, -1, -2. The expected values come from the
 * formulas of new_hand_network() worked by hand. */
static void
test_plane_map_hand_network (void)
{
  static const struct { gsize row, column; float h0, h1, o; } points[] = {
    { 0, 0, 1.0f, 3.0f, -4.75f },  /* top left, (-1, 2) */
    { 0, 2, 3.0f, 1.0f, 1.25f },   /* top right, (1, 2) */
    { 4, 0, 0.0f, 0.0f, 0.25f },   /* bottom left, (-1, -2) */
    { 4, 2, 1.0f, 0.0f, 1.25f },   /* bottom right, (1, -2) */
    { 2, 1, 1.0f, 0.0f, 1.25f },   /* centre, (0, 0) */
    { 1, 0, 0.5f, 2.0f, -3.25f },  /* (-1, 1) */
  };
  g_autoptr(LsNetwork) network = new_hand_network ();
  g_autoptr(LsPlaneMap) map = ls_plane_map_new (3, 5);
  g_autoptr(GError) error = NULL;

  ls_plane_map_set_bounds (map, -1, 1, -2, 2);
  g_assert_true (ls_plane_map_compute (map, network, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (ls_plane_map_get_n_layers (map), ==, 2);
  g_assert_cmpuint (ls_plane_map_get_n_units (map, 0), ==, 2);
  g_assert_cmpuint (ls_plane_map_get_n_units (map, 1), ==, 1);
  for (gsize i = 0; i < G_N_ELEMENTS (points); i++)
    {
      g_test_message ("row %zu, column %zu", points[i].row, points[i].column);
      g_assert_cmpfloat_with_epsilon (value_at (map, 0, 0, points[i].row, points[i].column), points[i].h0, 1e-6);
      g_assert_cmpfloat_with_epsilon (value_at (map, 0, 1, points[i].row, points[i].column), points[i].h1, 1e-6);
      g_assert_cmpfloat_with_epsilon (value_at (map, 1, 0, points[i].row, points[i].column), points[i].o, 1e-6);
    }
}

/* With identity layers that pass x and y through, the map contains the
 * coordinates themselves: x grows along a row and y falls down a column. */
static void
test_plane_map_orientation (void)
{
  static const float identity[] = { 1, 0, 0, 1 };  /* [2][2] */
  static const float zero[] = { 0, 0 };
  g_autoptr(LsNetwork) network = ls_network_new (2);
  g_autoptr(LsPlaneMap) map = ls_plane_map_new (5, 3);
  const float *x, *y;

  g_assert_true (ls_network_insert_dense (network, 0, 2, LS_ACTIVATION_IDENTITY, NULL));
  g_assert_true (ls_network_set_layer_parameters (network, 0, identity, 4, zero, 2, NULL));
  g_assert_true (ls_plane_map_compute (map, network, NULL));

  x = ls_plane_map_get_values (map, 0, 0);  /* [3][5] */
  y = ls_plane_map_get_values (map, 0, 1);  /* [3][5] */

  /* The default bounds are [-1.2, 1.2]²: columns 0.6 apart, rows 1.2 apart. */
  g_assert_cmpfloat_with_epsilon (x[0], -1.2f, 1e-6);
  g_assert_cmpfloat_with_epsilon (x[1], -0.6f, 1e-6);
  g_assert_cmpfloat_with_epsilon (x[4], 1.2f, 1e-6);
  g_assert_cmpfloat_with_epsilon (x[2 * 5 + 4], 1.2f, 1e-6);
  g_assert_cmpfloat_with_epsilon (y[0], 1.2f, 1e-6);
  g_assert_cmpfloat_with_epsilon (y[4], 1.2f, 1e-6);
  g_assert_cmpfloat_with_epsilon (y[1 * 5], 0.0f, 1e-6);
  g_assert_cmpfloat_with_epsilon (y[2 * 5], -1.2f, 1e-6);
}

static void
test_plane_map_bounds (void)
{
  g_autoptr(LsPlaneMap) map = ls_plane_map_new (4, 4);
  float x_min, x_max, y_min, y_max;

  ls_plane_map_get_bounds (map, &x_min, &x_max, &y_min, &y_max);
  g_assert_cmpfloat (x_min, ==, -1.2f);
  g_assert_cmpfloat (x_max, ==, 1.2f);
  g_assert_cmpfloat (y_min, ==, -1.2f);
  g_assert_cmpfloat (y_max, ==, 1.2f);

  ls_plane_map_set_bounds (map, -3, 2, 0.5f, 4);
  ls_plane_map_get_bounds (map, &x_min, &x_max, &y_min, &y_max);
  g_assert_cmpfloat (x_min, ==, -3.0f);
  g_assert_cmpfloat (x_max, ==, 2.0f);
  g_assert_cmpfloat (y_min, ==, 0.5f);
  g_assert_cmpfloat (y_max, ==, 4.0f);

  /* A minimum that is not below its maximum is a programming error and
   * leaves the bounds as they were. */
  g_test_expect_message ("layerscope-engine", G_LOG_LEVEL_CRITICAL, "*x_min < x_max*");
  ls_plane_map_set_bounds (map, 1, 1, 0, 1);
  g_test_assert_expected_messages ();
  g_test_expect_message ("layerscope-engine", G_LOG_LEVEL_CRITICAL, "*isfinite (y_max)*");
  ls_plane_map_set_bounds (map, 0, 1, 0, INFINITY);
  g_test_assert_expected_messages ();

  ls_plane_map_get_bounds (map, &x_min, NULL, NULL, &y_max);
  g_assert_cmpfloat (x_min, ==, -3.0f);
  g_assert_cmpfloat (y_max, ==, 4.0f);
}

static void
test_plane_map_network_unchanged (void)
{
  static const float input[] = { 0.3f, -0.7f };
  g_autoptr(LsNetwork) network = new_hand_network ();
  g_autoptr(LsPlaneMap) map = ls_plane_map_new (8, 8);
  const LsLayer *hidden;
  float hidden_before[2];
  float output_before;

  g_assert_true (ls_network_set_input (network, input, 2, NULL));
  hidden = ls_network_get_layer (network, 0);
  memcpy (hidden_before, hidden->activation_output, sizeof hidden_before);
  output_before = ls_network_get_output (network)[0];

  g_assert_true (ls_plane_map_compute (map, network, NULL));

  g_assert_cmpfloat (ls_network_get_input (network)[0], ==, input[0]);
  g_assert_cmpfloat (ls_network_get_input (network)[1], ==, input[1]);
  g_assert_cmpfloat (hidden->activation_output[0], ==, hidden_before[0]);
  g_assert_cmpfloat (hidden->activation_output[1], ==, hidden_before[1]);
  g_assert_cmpfloat (ls_network_get_output (network)[0], ==, output_before);
}

static void
test_plane_map_rejects_three_inputs (void)
{
  g_autoptr(LsNetwork) network = ls_network_new (3);
  g_autoptr(LsPlaneMap) map = ls_plane_map_new (4, 4);
  g_autoptr(GError) error = NULL;

  g_assert_true (ls_network_insert_dense (network, 0, 2, LS_ACTIVATION_RELU, NULL));

  g_assert_false (ls_plane_map_compute (map, network, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
  g_assert_nonnull (strstr (error->message, "input is 2 numbers, but this input is"));
  g_assert_cmpuint (ls_plane_map_get_n_layers (map), ==, 0);
}

static void
test_plane_map_rejects_conv (void)
{
  static const gsize kernel[2] = { 1, 1 };
  static const gsize stride[2] = { 1, 1 };
  static const gsize padding[2] = { 0, 0 };
  g_autoptr(LsNetwork) network = NULL;
  g_autoptr(LsPlaneMap) map = ls_plane_map_new (4, 4);
  g_autoptr(GError) error = NULL;
  LsWindow window;
  LsShape shape;

  ls_shape_init_3d (&shape, 1, 1, 2);
  network = ls_network_new_with_shape (&shape);
  g_assert_true (ls_window_init (&window, kernel, stride, LS_PADDING_VALID, padding, NULL));
  g_assert_true (ls_network_insert_conv2d (network, 0, 1, &window, LS_ACTIVATION_RELU, NULL));

  g_assert_false (ls_plane_map_compute (map, network, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
}

static void
test_plane_map_rejects_text (void)
{
  static const char * const words[] = { "[UNK]", "good", "bad", NULL };
  g_autoptr(LsVocabulary) vocabulary = ls_vocabulary_new (words, NULL);
  g_autoptr(LsNetwork) network = NULL;
  g_autoptr(LsPlaneMap) map = ls_plane_map_new (4, 4);
  g_autoptr(GError) error = NULL;

  network = ls_network_new_with_tokens (vocabulary, 8, "good bad", NULL);
  g_assert_cmpuint (ls_network_get_input_size (network), ==, 2);

  g_assert_false (ls_plane_map_compute (map, network, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
  g_assert_nonnull (strstr (error->message, "reads text"));
}

/* After a layer is added and another resized, the map follows the new
 * structure; after a weight edit alone, the new weight is used. */
static void
test_plane_map_structure_change (void)
{
  g_autoptr(LsNetwork) network = new_hand_network ();
  g_autoptr(LsPlaneMap) map = ls_plane_map_new (3, 5);

  ls_plane_map_set_bounds (map, -1, 1, -2, 2);
  g_assert_true (ls_plane_map_compute (map, network, NULL));

  /* o = h0 - 2·h1 + 0.25 becomes h0 + 3·h1 + 0.25: at (-1, 2), 1 + 9 + 0.25. */
  g_assert_true (ls_network_set_weight (network, 1, 1, 0, 3.0f, NULL));
  g_assert_true (ls_plane_map_compute (map, network, NULL));
  g_assert_cmpfloat_with_epsilon (value_at (map, 1, 0, 0, 0), 10.25f, 1e-6);

  g_assert_true (ls_network_set_units (network, 0, 4, NULL));
  g_assert_true (ls_network_insert_dense (network, 2, 3, LS_ACTIVATION_SOFTMAX, NULL));
  g_assert_true (ls_plane_map_compute (map, network, NULL));

  g_assert_cmpuint (ls_plane_map_get_n_layers (map), ==, 3);
  g_assert_cmpuint (ls_plane_map_get_n_units (map, 0), ==, 4);
  g_assert_cmpuint (ls_plane_map_get_n_units (map, 2), ==, 3);

  /* Softmax outputs sum to 1 at every point. */
  for (gsize point = 0; point < 15; point++)
    {
      float sum = 0;

      for (gsize unit = 0; unit < 3; unit++)
        sum += ls_plane_map_get_values (map, 2, unit)[point];
      g_assert_cmpfloat_with_epsilon (sum, 1.0f, 1e-5);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plane-map/hand-network", test_plane_map_hand_network);
  g_test_add_func ("/plane-map/orientation", test_plane_map_orientation);
  g_test_add_func ("/plane-map/bounds", test_plane_map_bounds);
  g_test_add_func ("/plane-map/network-unchanged", test_plane_map_network_unchanged);
  g_test_add_func ("/plane-map/rejects-three-inputs", test_plane_map_rejects_three_inputs);
  g_test_add_func ("/plane-map/rejects-conv", test_plane_map_rejects_conv);
  g_test_add_func ("/plane-map/rejects-text", test_plane_map_rejects_text);
  g_test_add_func ("/plane-map/structure-change", test_plane_map_structure_change);

  return g_test_run ();
}
