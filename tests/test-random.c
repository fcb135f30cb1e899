/* test-random.c: splitmix64 and the seeded He and Xavier initial weights
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-random"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "ls-engine.h"

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

static float *
new_matrix (LsInitScheme scheme,
            guint64      seed,
            gsize        fan_in,
            gsize        fan_out)
{
  LsInit init = { scheme, seed };
  float *weights = g_new (float, fan_in * fan_out);  /* [fan_in][fan_out] */

  ls_init_fill_weights (&init, weights, fan_in, fan_out);

  return weights;
}

static void
test_random_splitmix64_published (void)
{
  /* The first outputs of splitmix64 seeded with 0, as published with the
   * reference implementation and used to seed xoshiro generators. */
  static const guint64 expected[] = {
    G_GUINT64_CONSTANT (0xE220A8397B1DCDAF),
    G_GUINT64_CONSTANT (0x6E789E6AA1B965F4),
    G_GUINT64_CONSTANT (0x06C45D188009454F),
    G_GUINT64_CONSTANT (0xF88BB8A8724C81EC),
  };
  LsRandom random;

  ls_random_init (&random, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmphex (ls_random_next (&random), ==, expected[i]);
}

/* Compares with the pure-Python splitmix64 in tools/make-golden.py, which
 * stores the outputs as decimal strings. */
static void
test_random_splitmix64_golden (void)
{
  JsonArray *cases = json_object_get_array_member (golden, "splitmix64");
  gboolean seen_seed_1 = FALSE;

  g_assert_cmpuint (json_array_get_length (cases), >, 0);

  for (guint c = 0; c < json_array_get_length (cases); c++)
    {
      JsonObject *test_case = json_array_get_object_element (cases, c);
      guint64 seed = json_object_get_int_member (test_case, "seed");
      JsonArray *outputs = json_object_get_array_member (test_case, "outputs");
      LsRandom random;

      seen_seed_1 |= seed == 1;
      ls_random_init (&random, seed);
      g_assert_cmpuint (json_array_get_length (outputs), >=, 4);

      for (guint i = 0; i < json_array_get_length (outputs); i++)
        {
          const char *text = json_array_get_string_element (outputs, i);
          guint64 expected = g_ascii_strtoull (text, NULL, 10);

          g_test_message ("seed %" G_GUINT64_FORMAT ", output %u: %s", seed, i, text);
          g_assert_cmpuint (ls_random_next (&random), ==, expected);
        }
    }

  g_assert_true (seen_seed_1);
}

static void
test_random_double_range (void)
{
  LsRandom random;
  LsRandom bits;
  double sum = 0.0;
  const gsize n = 100000;

  ls_random_init (&random, 5);
  ls_random_init (&bits, 5);

  for (gsize i = 0; i < n; i++)
    {
      double value = ls_random_next_double (&random);

      /* The top 53 bits of the next output, scaled by 2^-53. */
      g_assert_cmpfloat (value, ==, (double) (ls_random_next (&bits) >> 11) / 9007199254740992.0);
      g_assert_cmpfloat (value, >=, 0.0);
      g_assert_cmpfloat (value, <, 1.0);
      sum += value;
    }

  /* The mean of n uniform values has standard deviation sqrt(1/12n) = 0.0009. */
  g_assert_cmpfloat_with_epsilon (sum / n, 0.5, 0.005);
}

static void
test_random_he_statistics (void)
{
  const gsize fan_in = 256, fan_out = 512, n = fan_in * fan_out;
  g_autofree float *weights = new_matrix (LS_INIT_HE, 3, fan_in, fan_out);
  double expected_std = sqrt (2.0 / fan_in);
  double sum = 0.0, sum_squares = 0.0, mean, std;
  gsize within_one_std = 0;

  for (gsize i = 0; i < n; i++)
    {
      g_assert_true (isfinite (weights[i]));
      sum += weights[i];
      sum_squares += (double) weights[i] * weights[i];
      if (fabs (weights[i]) <= expected_std)
        within_one_std++;
    }
  mean = sum / n;
  std = sqrt (sum_squares / n - mean * mean);

  /* For n = 131072 normal samples the sample mean has standard deviation
   * σ/362 and the sample standard deviation σ/512, so these bounds are
   * more than 5 of those wide. */
  g_test_message ("mean %g, std %g, expected std %g", mean, std, expected_std);
  g_assert_cmpfloat (fabs (mean), <, 0.015 * expected_std);
  g_assert_cmpfloat_with_epsilon (std / expected_std, 1.0, 0.015);

  /* 68.27 % of a normal distribution lies within one standard deviation,
   * but only 57.7 % of a uniform one with the same standard deviation. */
  g_assert_cmpfloat_with_epsilon ((double) within_one_std / n, 0.6827, 0.01);
}

static void
test_random_xavier_bounds (void)
{
  const gsize fan_in = 300, fan_out = 200, n = fan_in * fan_out;
  g_autofree float *weights = new_matrix (LS_INIT_XAVIER, 4, fan_in, fan_out);
  double limit = sqrt (6.0 / (fan_in + fan_out));
  double expected_variance = 2.0 / (fan_in + fan_out);  /* limit² / 3 */
  double sum = 0.0, sum_squares = 0.0, mean, variance;
  float min = INFINITY, max = -INFINITY;

  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpfloat (fabs (weights[i]), <=, (float) limit);
      min = MIN (min, weights[i]);
      max = MAX (max, weights[i]);
      sum += weights[i];
      sum_squares += (double) weights[i] * weights[i];
    }
  mean = sum / n;
  variance = sum_squares / n - mean * mean;

  /* For n = 60000 uniform samples the sample mean has standard deviation
   * 0.0024 · limit and the sample variance a relative one of 0.0037. */
  g_test_message ("limit %g, min %g, max %g, mean %g, variance %g", limit, min, max, mean, variance);
  g_assert_cmpfloat (fabs (mean), <, 0.015 * limit);
  g_assert_cmpfloat_with_epsilon (variance / expected_variance, 1.0, 0.02);
  g_assert_cmpfloat (min, <, -0.99 * limit);
  g_assert_cmpfloat (max, >, 0.99 * limit);
}

static void
test_random_same_seed_same_matrix (void)
{
  for (LsInitScheme scheme = 0; scheme < LS_N_INIT_SCHEMES; scheme++)
    {
      g_autofree float *first = new_matrix (scheme, 12345, 40, 30);
      g_autofree float *second = new_matrix (scheme, 12345, 40, 30);

      g_assert_cmpmem (first, 40 * 30 * sizeof (float), second, 40 * 30 * sizeof (float));
    }
}

static void
test_random_different_seed_different_matrix (void)
{
  for (LsInitScheme scheme = 0; scheme < LS_N_INIT_SCHEMES; scheme++)
    {
      g_autofree float *first = new_matrix (scheme, 1, 40, 30);
      g_autofree float *second = new_matrix (scheme, 2, 40, 30);
      gsize equal = 0;

      for (gsize i = 0; i < 40 * 30; i++)
        if (first[i] == second[i])
          equal++;

      g_assert_cmpuint (equal, ==, 0);
    }
}

/* Compares with the independent double-precision splitmix64 + Box–Muller
 * in tools/make-golden.py. Both round the same double to float, so they
 * agree exactly unless the two libm's log() or cos() differ in the last
 * bit; 1e-6 relative allows that. */
static void
test_random_golden_init (void)
{
  JsonArray *cases = json_object_get_array_member (golden, "init");
  gboolean seen[LS_N_INIT_SCHEMES] = { FALSE };

  for (guint c = 0; c < json_array_get_length (cases); c++)
    {
      JsonObject *test_case = json_array_get_object_element (cases, c);
      JsonArray *expected = json_object_get_array_member (test_case, "weights");
      gsize fan_in = json_object_get_int_member (test_case, "fan_in");
      gsize fan_out = json_object_get_int_member (test_case, "fan_out");
      LsInitScheme scheme;
      g_autofree float *weights = NULL;

      g_assert_true (ls_init_scheme_from_name (json_object_get_string_member (test_case, "scheme"), &scheme));
      seen[scheme] = TRUE;
      weights = new_matrix (scheme, json_object_get_int_member (test_case, "seed"), fan_in, fan_out);
      g_assert_cmpuint (json_array_get_length (expected), >, 0);
      g_assert_cmpuint (json_array_get_length (expected), <=, fan_in * fan_out);

      for (guint i = 0; i < json_array_get_length (expected); i++)
        {
          double value = json_array_get_double_element (expected, i);

          g_assert_cmpfloat_with_epsilon (weights[i], value, 1e-6 * fabs (value) + 1e-9);
        }
    }

  for (LsInitScheme scheme = 0; scheme < LS_N_INIT_SCHEMES; scheme++)
    g_assert_true (seen[scheme]);
}

static void
test_random_scheme_names (void)
{
  LsInitScheme scheme = LS_INIT_XAVIER;

  g_assert_cmpstr (ls_init_scheme_get_name (LS_INIT_HE), ==, "he");
  g_assert_cmpstr (ls_init_scheme_get_name (LS_INIT_XAVIER), ==, "xavier");

  for (LsInitScheme s = 0; s < LS_N_INIT_SCHEMES; s++)
    {
      g_assert_true (ls_init_scheme_from_name (ls_init_scheme_get_name (s), &scheme));
      g_assert_cmpint (scheme, ==, s);
    }

  scheme = LS_INIT_HE;
  g_assert_false (ls_init_scheme_from_name ("He", &scheme));
  g_assert_false (ls_init_scheme_from_name ("glorot", &scheme));
  g_assert_false (ls_init_scheme_from_name ("", &scheme));
  g_assert_cmpint (scheme, ==, LS_INIT_HE);
}

/* A shuffle is a permutation, the same for the same seed, and it moves
 * something for another seed. The last index swaps with index r mod n
 * first, so by hand: with one draw r, two indices swap exactly when r is
 * even, which makes j = 0. */
static void
test_random_shuffle (void)
{
  gsize a[50], b[50], c[50], pair[2] = { 0, 1 };
  gboolean seen[50] = { FALSE };
  LsRandom random, check;

  for (gsize i = 0; i < G_N_ELEMENTS (a); i++)
    a[i] = b[i] = c[i] = i;
  ls_random_init (&random, 7);
  ls_random_shuffle (&random, a, G_N_ELEMENTS (a));
  ls_random_init (&random, 7);
  ls_random_shuffle (&random, b, G_N_ELEMENTS (b));
  ls_random_init (&random, 8);
  ls_random_shuffle (&random, c, G_N_ELEMENTS (c));

  for (gsize i = 0; i < G_N_ELEMENTS (a); i++)
    {
      g_assert_cmpuint (a[i], <, G_N_ELEMENTS (a));
      g_assert_false (seen[a[i]]);
      seen[a[i]] = TRUE;
    }
  g_assert_cmpmem (a, sizeof a, b, sizeof b);
  g_assert_true (memcmp (a, c, sizeof a) != 0);

  ls_random_init (&random, 3);
  ls_random_init (&check, 3);
  ls_random_shuffle (&random, pair, 2);
  g_assert_cmpuint (pair[0], ==, ls_random_next (&check) % 2 == 0 ? 1 : 0);

  ls_random_shuffle (&random, pair, 0);
  ls_random_shuffle (&random, NULL, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  load_golden ();

  g_test_add_func ("/random/splitmix64-published", test_random_splitmix64_published);
  g_test_add_func ("/random/splitmix64-golden", test_random_splitmix64_golden);
  g_test_add_func ("/random/double-range", test_random_double_range);
  g_test_add_func ("/random/he-statistics", test_random_he_statistics);
  g_test_add_func ("/random/xavier-bounds", test_random_xavier_bounds);
  g_test_add_func ("/random/same-seed-same-matrix", test_random_same_seed_same_matrix);
  g_test_add_func ("/random/different-seed-different-matrix", test_random_different_seed_different_matrix);
  g_test_add_func ("/random/golden-init", test_random_golden_init);
  g_test_add_func ("/random/scheme-names", test_random_scheme_names);
  g_test_add_func ("/random/shuffle", test_random_shuffle);

  status = g_test_run ();
  json_object_unref (golden);

  return status;
}
