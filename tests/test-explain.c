/* test-explain.c: the worked formulas that the inspector shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "ls-document.h"
#include "ls-explain.h"

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/explain/neuron-names", test_neuron_names);
  g_test_add_func ("/explain/dense-formula", test_dense_formula);
  g_test_add_func ("/explain/softmax-formula", test_softmax_formula);
  g_test_add_func ("/explain/input-formula", test_input_formula);
  g_test_add_func ("/explain/formula-quotes-label", test_formula_quotes_label);
  g_test_add_func ("/explain/long-formula-elided", test_long_formula_elided);

  return g_test_run ();
}
