/* test-presenter.c: stepping through the forward pass of cat-or-dog.json
 *
 * The expected values are worked out by hand from the weights and biases
 * in data/examples/cat-or-dog.json, input (0.5, 0.8, 0.2):
 *   h1 = ReLU(0.5×0.4 + 0.8×0.5 + 0.2×0.1 + 0) = 0.62
 *   h2 = ReLU(0.5×(−0.3) + 0.8×(−0.2) + 0.2×0.4 + 0) = ReLU(−0.23) = 0
 *   h3 = ReLU(0.5×0.7 + 0.8×0.6 + 0.2×0.2 + 0.04) = 0.91
 *   h4 = ReLU(0.5×(−0.2) + 0.8×0.3 + 0.2×0.1 − 0.01) = 0.15
 *   z(Cat) = 0.62×0.9 + 0×(−0.4) + 0.91×1.1 + 0.15×(−0.5) + 0 = 1.484
 *   z(Dog) = 0.62×(−0.6) + 0×0.3 + 0.91×(−0.2) + 0.15×0.4 + 0.46 = −0.034
 *   Cat = e^1.484 / (e^1.484 + e^−0.034) = 0.82
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ls-document.h"
#include "ls-presenter.h"

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
assert_selection (LsPresenter *presenter,
                  gsize        expected_column,
                  gsize        expected_unit)
{
  gsize column;
  gsize unit;

  ls_presenter_get_selection (presenter, &column, &unit);
  g_assert_cmpuint (column, ==, expected_column);
  g_assert_cmpuint (unit, ==, expected_unit);
}

/* Each step selects its column's largest value: pixel 2 (0.8), h3 (0.91)
 * and Cat (0.82). */
static void
test_presenter_steps (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autoptr(LsPresenter) presenter = ls_presenter_new (network);

  g_assert_cmpuint (ls_presenter_get_n_steps (presenter), ==, 3);
  g_assert_cmpuint (ls_presenter_get_step (presenter), ==, 0);
  assert_selection (presenter, 0, 1);

  g_assert_true (ls_presenter_next_step (presenter));
  g_assert_cmpuint (ls_presenter_get_step (presenter), ==, 1);
  assert_selection (presenter, 1, 2);
  g_assert_false (ls_presenter_is_last_step (presenter));

  g_assert_true (ls_presenter_next_step (presenter));
  g_assert_cmpuint (ls_presenter_get_step (presenter), ==, 2);
  assert_selection (presenter, 2, 0);
  g_assert_true (ls_presenter_is_last_step (presenter));

  g_assert_true (ls_presenter_previous_step (presenter));
  g_assert_cmpuint (ls_presenter_get_step (presenter), ==, 1);
  g_assert_true (ls_presenter_last_step (presenter));
  g_assert_cmpuint (ls_presenter_get_step (presenter), ==, 2);
  g_assert_true (ls_presenter_first_step (presenter));
  g_assert_cmpuint (ls_presenter_get_step (presenter), ==, 0);
}

/* No move leaves the steps or the computed columns. */
static void
test_presenter_bounds (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autoptr(LsPresenter) presenter = ls_presenter_new (network);

  g_assert_false (ls_presenter_previous_step (presenter));
  g_assert_false (ls_presenter_first_step (presenter));
  g_assert_false (ls_presenter_set_step (presenter, 3));
  g_assert_cmpuint (ls_presenter_get_step (presenter), ==, 0);

  /* The hidden layer is not computed at step 0. */
  g_assert_false (ls_presenter_select (presenter, 1, 0));
  g_assert_false (ls_presenter_select (presenter, 0, 3));
  assert_selection (presenter, 0, 1);

  g_assert_true (ls_presenter_last_step (presenter));
  g_assert_false (ls_presenter_next_step (presenter));
  g_assert_false (ls_presenter_last_step (presenter));
  g_assert_cmpuint (ls_presenter_get_step (presenter), ==, 2);
  g_assert_true (ls_presenter_select (presenter, 1, 3));
  assert_selection (presenter, 1, 3);
}

/* Up and Down stay in the selected column and wrap around. */
static void
test_presenter_unit_moves (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autoptr(LsPresenter) presenter = ls_presenter_new (network);

  ls_presenter_set_step (presenter, 1);
  g_assert_true (ls_presenter_next_unit (presenter));
  assert_selection (presenter, 1, 3);
  g_assert_true (ls_presenter_next_unit (presenter));
  assert_selection (presenter, 1, 0);
  g_assert_true (ls_presenter_previous_unit (presenter));
  assert_selection (presenter, 1, 3);
}

/* Tab runs through the computed columns in order and wraps from the
 * last computed value to the first input. */
static void
test_presenter_neuron_order (void)
{
  static const gsize forward[][2] = {
    { 1, 3 }, { 0, 0 }, { 0, 1 }, { 0, 2 }, { 1, 0 }, { 1, 1 }, { 1, 2 },
  };
  g_autoptr(LsNetwork) network = load_example ();
  g_autoptr(LsPresenter) presenter = ls_presenter_new (network);

  ls_presenter_set_step (presenter, 1);
  assert_selection (presenter, 1, 2);
  for (gsize i = 0; i < G_N_ELEMENTS (forward); i++)
    {
      g_assert_true (ls_presenter_next_neuron (presenter));
      assert_selection (presenter, forward[i][0], forward[i][1]);
    }

  for (gsize i = G_N_ELEMENTS (forward) - 1; i > 0; i--)
    {
      g_assert_true (ls_presenter_previous_neuron (presenter));
      assert_selection (presenter, forward[i - 1][0], forward[i - 1][1]);
    }
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

/* The walk-through takes one step per interval, stops after the last
 * step, and starts over when played again from there. */
static void
test_presenter_play (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autoptr(LsPresenter) presenter = ls_presenter_new (network);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint n_steps_taken = 0;

  g_signal_connect (presenter, "notify::step", G_CALLBACK (count_notify_cb), &n_steps_taken);
  ls_presenter_set_interval (presenter, 10);
  ls_presenter_set_playing (presenter, TRUE);
  g_assert_true (ls_presenter_get_playing (presenter));

  while (ls_presenter_get_playing (presenter) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (ls_presenter_get_playing (presenter));
  g_assert_cmpuint (ls_presenter_get_step (presenter), ==, 2);
  g_assert_cmpuint (n_steps_taken, ==, 2);

  ls_presenter_set_playing (presenter, TRUE);
  g_assert_cmpuint (ls_presenter_get_step (presenter), ==, 0);
  ls_presenter_set_playing (presenter, FALSE);
  g_assert_false (ls_presenter_get_playing (presenter));
  g_assert_cmpuint (ls_presenter_get_step (presenter), ==, 0);
}

/* The worked formulas with the numbers of the hand calculation above. */
static void
test_presenter_formula (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autoptr(LsPresenter) presenter = ls_presenter_new (network);
  g_autofree char *input = NULL;
  g_autofree char *h1 = NULL;
  g_autofree char *h2 = NULL;
  g_autofree char *cat = NULL;

  input = ls_presenter_dup_formula (presenter);
  g_assert_cmpstr (input, ==, "pixel 2 = 0.80 (an input value: it is not computed)");

  ls_presenter_last_step (presenter);
  g_assert_true (ls_presenter_select (presenter, 1, 0));
  h1 = ls_presenter_dup_formula (presenter);
  g_assert_cmpstr (h1, ==, "h1 = ReLU(0.5×0.40 + 0.8×0.50 + 0.2×0.10 + 0.00) = ReLU(0.62) = 0.62");

  g_assert_true (ls_presenter_select (presenter, 1, 1));
  h2 = ls_presenter_dup_formula (presenter);
  g_assert_cmpstr (h2, ==, "h2 = ReLU(0.5×(−0.30) + 0.8×(−0.20) + 0.2×0.40 + 0.00) = ReLU(−0.23) = 0.00");

  g_assert_true (ls_presenter_select (presenter, 2, 0));
  cat = ls_presenter_dup_formula (presenter);
  g_assert_cmpstr (cat, ==,
                   "z(Cat) = 0.62×0.90 + 0×(−0.40) + 0.91×1.10 + 0.15×(−0.50) + 0.00 = 1.48\n"
                   "Cat = e^1.48 / (e^1.48 + e^−0.03) = 0.82");
}

/* The formula follows edits of the network's numbers: with pixel 1 at
 * 1.0, h1 = ReLU(1×0.4 + 0.8×0.5 + 0.2×0.1) = 0.82. */
static void
test_presenter_formula_follows_edit (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autoptr(LsPresenter) presenter = ls_presenter_new (network);
  g_autofree char *h1 = NULL;
  guint n_changes = 0;

  g_signal_connect (presenter, "changed", G_CALLBACK (count_notify_cb), &n_changes);
  ls_presenter_set_step (presenter, 1);
  g_assert_true (ls_presenter_select (presenter, 1, 0));
  n_changes = 0;
  g_assert_true (ls_network_set_input_value (network, 0, 1.0f, NULL));
  g_assert_cmpuint (n_changes, >=, 1);

  h1 = ls_presenter_dup_formula (presenter);
  g_assert_cmpstr (h1, ==, "h1 = ReLU(1×0.40 + 0.8×0.50 + 0.2×0.10 + 0.00) = ReLU(0.82) = 0.82");
}

static void
test_presenter_step_title (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autoptr(LsPresenter) presenter = ls_presenter_new (network);
  g_autofree char *input = ls_presenter_dup_step_title (presenter);
  g_autofree char *hidden = NULL;
  g_autofree char *output = NULL;

  g_assert_cmpstr (input, ==, "Step 1 of 3: input");
  ls_presenter_next_step (presenter);
  hidden = ls_presenter_dup_step_title (presenter);
  g_assert_cmpstr (hidden, ==, "Step 2 of 3: hidden");
  ls_presenter_next_step (presenter);
  output = ls_presenter_dup_step_title (presenter);
  g_assert_cmpstr (output, ==, "Step 3 of 3: output");
}

/* Removing the output layer while it is the step moves the step back to
 * the new last column. */
static void
test_presenter_layer_removed (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autoptr(LsPresenter) presenter = ls_presenter_new (network);
  g_autoptr(GError) error = NULL;

  ls_presenter_last_step (presenter);
  g_assert_true (ls_network_remove_layer (network, 1, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (ls_presenter_get_n_steps (presenter), ==, 2);
  g_assert_cmpuint (ls_presenter_get_step (presenter), ==, 1);
  assert_selection (presenter, 1, 0);
}

/* Another copy of the same network, as an undo gives, keeps the step and
 * the selected h4. A network of fewer columns keeps the step where it
 * has one, its last, and selects that column's largest value. */
static void
test_presenter_network_replaced (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autoptr(LsNetwork) copy = load_example ();
  g_autoptr(LsNetwork) shorter = load_example ();
  g_autoptr(LsPresenter) presenter = ls_presenter_new (network);
  g_autoptr(GError) error = NULL;
  const float *output;  /* [2]: Cat, Dog */

  ls_presenter_last_step (presenter);
  g_assert_true (ls_presenter_select (presenter, 1, 3));
  ls_presenter_set_network (presenter, copy);
  g_assert_cmpuint (ls_presenter_get_step (presenter), ==, 2);
  assert_selection (presenter, 1, 3);

  g_assert_true (ls_network_remove_layer (shorter, 0, &error));
  g_assert_no_error (error);
  ls_presenter_set_network (presenter, shorter);
  g_assert_cmpuint (ls_presenter_get_step (presenter), ==, 1);
  output = ls_network_get_output (shorter);
  assert_selection (presenter, 1, output[1] > output[0] ? 1 : 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/presenter/steps", test_presenter_steps);
  g_test_add_func ("/presenter/bounds", test_presenter_bounds);
  g_test_add_func ("/presenter/unit-moves", test_presenter_unit_moves);
  g_test_add_func ("/presenter/neuron-order", test_presenter_neuron_order);
  g_test_add_func ("/presenter/play", test_presenter_play);
  g_test_add_func ("/presenter/formula", test_presenter_formula);
  g_test_add_func ("/presenter/formula-follows-edit", test_presenter_formula_follows_edit);
  g_test_add_func ("/presenter/step-title", test_presenter_step_title);
  g_test_add_func ("/presenter/layer-removed", test_presenter_layer_removed);
  g_test_add_func ("/presenter/network-replaced", test_presenter_network_replaced);

  return g_test_run ();
}
