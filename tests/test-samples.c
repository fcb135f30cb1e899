/* test-samples.c: sets of training samples, their splits and the 2-D generators
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-samples"

#include <math.h>
#include <string.h>

#include "ls-error.h"
#include "ls-samples.h"

/* Six samples of two inputs; input 0 of sample i is i, so a sample can be
 * recognised after a shuffle. */
static const float six_inputs[] = { 0, 10, 1, 11, 2, 12, 3, 13, 4, 14, 5, 15 };  /* [6][2] */
static const guint six_labels[] = { 0, 1, 2, 0, 1, 2 };

static LsSamples *
new_six (void)
{
  g_autoptr(GError) error = NULL;
  LsShape shape;
  LsSamples *samples;

  ls_shape_init_1d (&shape, 2);
  samples = ls_samples_new_classification ("six", &shape, 6, six_inputs, six_labels, 3, NULL,
                                           &error);
  g_assert_no_error (error);

  return samples;
}

static void
test_samples_classification (void)
{
  g_autoptr(LsSamples) samples = NULL;
  float inputs[12];
  guint labels[6];
  LsShape shape;

  memcpy (inputs, six_inputs, sizeof inputs);
  memcpy (labels, six_labels, sizeof labels);
  ls_shape_init_1d (&shape, 2);
  samples = ls_samples_new_classification ("six", &shape, 6, inputs, labels, 3, NULL, NULL);
  g_assert_nonnull (samples);

  /* The set keeps its own copies. */
  inputs[2] = 99.0f;
  labels[1] = 0;

  g_assert_cmpstr (ls_samples_get_name (samples), ==, "six");
  g_assert_cmpuint (ls_samples_get_n_samples (samples), ==, 6);
  g_assert_cmpuint (ls_samples_get_input_size (samples), ==, 2);
  g_assert_true (ls_shape_equal (ls_samples_get_shape (samples), &shape));
  g_assert_true (ls_samples_is_classification (samples));
  g_assert_cmpuint (ls_samples_get_n_classes (samples), ==, 3);
  g_assert_cmpuint (ls_samples_get_target_size (samples), ==, 0);
  g_assert_cmpfloat (ls_samples_get_input (samples, 1)[0], ==, 1.0f);
  g_assert_cmpfloat (ls_samples_get_input (samples, 5)[1], ==, 15.0f);
  g_assert_cmpuint (ls_samples_get_label (samples, 1), ==, 1);
  g_assert_cmpuint (ls_samples_get_label (samples, 5), ==, 2);
  g_assert_cmpstr (ls_samples_get_class_name (samples, 0), ==, "0");
  g_assert_cmpstr (ls_samples_get_class_name (samples, 2), ==, "2");
}

static void
test_samples_class_names (void)
{
  static const char * const names[] = { "cat", "dog", "bird" };
  g_autoptr(LsSamples) samples = NULL;
  LsShape shape;

  ls_shape_init_1d (&shape, 2);
  samples = ls_samples_new_classification ("pets", &shape, 6, six_inputs, six_labels, 3, names,
                                           NULL);

  g_assert_cmpstr (ls_samples_get_class_name (samples, 0), ==, "cat");
  g_assert_cmpstr (ls_samples_get_class_name (samples, 2), ==, "bird");
}

static void
test_samples_regression (void)
{
  static const float targets[] = { 1, -1, 2, -2, 3, -3 };  /* [3][2] */
  static const float inputs[] = { 0.5f, 1.5f, 2.5f };       /* [3][1] */
  g_autoptr(LsSamples) samples = NULL;
  g_autoptr(GError) error = NULL;
  LsShape shape;

  ls_shape_init_1d (&shape, 1);
  samples = ls_samples_new_regression ("line", &shape, 3, inputs, 2, targets, &error);
  g_assert_no_error (error);

  g_assert_false (ls_samples_is_classification (samples));
  g_assert_cmpuint (ls_samples_get_n_classes (samples), ==, 0);
  g_assert_cmpuint (ls_samples_get_target_size (samples), ==, 2);
  g_assert_cmpfloat (ls_samples_get_target (samples, 2)[0], ==, 3.0f);
  g_assert_cmpfloat (ls_samples_get_target (samples, 2)[1], ==, -3.0f);
  g_assert_cmpfloat (ls_samples_get_input (samples, 1)[0], ==, 1.5f);
}

typedef struct
{
  const char *name;
  gsize n_samples;
  gsize shape_size;
  gsize n_classes;
  int bad_input;      /* index of a NaN input, or -1 */
  int bad_label;      /* index of a label of n_classes, or -1 */
  int code;           /* an LsError */
  const char *message;
} RejectCase;

static const RejectCase reject_cases[] = {
  { "no samples", 0, 2, 2, -1, -1, LS_ERROR_INVALID_SHAPE, "1 to 1048576 samples, but 0" },
  { "too many samples", LS_MAX_SAMPLES + 1, 2, 2, -1, -1, LS_ERROR_INVALID_SHAPE, "but 1048577 were" },
  { "empty input", 4, 0, 2, -1, -1, LS_ERROR_INVALID_SHAPE, "1 to 1048576 values, but it has 0" },
  { "huge input", 4, LS_MAX_TENSOR_SIZE + 1, 2, -1, -1, LS_ERROR_INVALID_SHAPE, "but it has 1048577" },
  { "too many values", 257, LS_MAX_TENSOR_SIZE, 2, -1, -1, LS_ERROR_INVALID_SHAPE, "maximum of 268435456 values" },
  { "NaN input", 4, 2, 2, 5, -1, LS_ERROR_INVALID_VALUE, "Sample 3, input value 2 is nan" },
  { "label out of range", 4, 2, 2, -1, 3, LS_ERROR_INVALID_DATA, "Sample 4 has the label 2" },
  { "one class", 4, 2, 1, -1, -1, LS_ERROR_INVALID_DATA, "2 to 256 classes, but it has 1" },
  { "too many classes", 4, 2, 257, -1, -1, LS_ERROR_INVALID_DATA, "2 to 256 classes, but it has 257" },
};

static void
test_samples_rejects (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (reject_cases); i++)
    {
      const RejectCase *c = &reject_cases[i];
      float inputs[8] = { 0 };  /* [4][2], enough for every case that reads inputs */
      guint labels[4] = { 0, 1, 0, 1 };
      g_autoptr(GError) error = NULL;
      LsSamples *samples;
      LsShape shape;

      g_test_message ("case: %s", c->name);
      ls_shape_init_1d (&shape, c->shape_size);
      if (c->bad_input >= 0)
        inputs[c->bad_input] = NAN;
      if (c->bad_label >= 0)
        labels[c->bad_label] = c->n_classes;

      samples = ls_samples_new_classification ("bad", &shape, c->n_samples, inputs, labels,
                                               c->n_classes, NULL, &error);
      g_assert_null (samples);
      g_assert_error (error, LS_ERROR, c->code);
      g_assert_nonnull (strstr (error->message, c->message));
    }
}

static void
test_samples_rejects_infinite_target (void)
{
  const float inputs[] = { 0, 1 };         /* [2][1] */
  const float targets[] = { 1, INFINITY };  /* [2][1] */
  g_autoptr(GError) error = NULL;
  LsSamples *samples;
  LsShape shape;

  ls_shape_init_1d (&shape, 1);
  samples = ls_samples_new_regression ("bad", &shape, 2, inputs, 1, targets, &error);

  g_assert_null (samples);
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "Sample 2, target value 1 is inf"));
}

static void
test_samples_subset (void)
{
  static const gsize indices[] = { 4, 1, 4 };
  g_autoptr(LsSamples) samples = new_six ();
  g_autoptr(LsSamples) subset = ls_samples_subset (samples, indices, G_N_ELEMENTS (indices));

  g_assert_cmpuint (ls_samples_get_n_samples (subset), ==, 3);
  g_assert_cmpstr (ls_samples_get_name (subset), ==, "six");
  g_assert_cmpuint (ls_samples_get_n_classes (subset), ==, 3);
  g_assert_cmpstr (ls_samples_get_class_name (subset, 2), ==, "2");
  g_assert_cmpfloat (ls_samples_get_input (subset, 0)[0], ==, 4.0f);
  g_assert_cmpfloat (ls_samples_get_input (subset, 1)[1], ==, 11.0f);
  g_assert_cmpfloat (ls_samples_get_input (subset, 2)[0], ==, 4.0f);
  g_assert_cmpuint (ls_samples_get_label (subset, 0), ==, 1);
  g_assert_cmpuint (ls_samples_get_label (subset, 1), ==, 1);
}

/* Marks in seen[6] the samples of part, which must be rows of new_six(). */
static void
mark_seen (LsSamples *part,
           gboolean  *seen)
{
  for (gsize i = 0; i < ls_samples_get_n_samples (part); i++)
    {
      const float *input = ls_samples_get_input (part, i);
      gsize original = (gsize) input[0];

      g_assert_false (seen[original]);
      g_assert_cmpfloat (input[1], ==, input[0] + 10.0f);
      g_assert_cmpuint (ls_samples_get_label (part, i), ==, six_labels[original]);
      seen[original] = TRUE;
    }
}

static void
test_samples_split_sizes (void)
{
  g_autoptr(LsSamples) samples = new_six ();
  g_autoptr(LsSamples) train = NULL;
  g_autoptr(LsSamples) test = NULL;
  LsSamples *no_test = NULL;
  gboolean seen[6] = { FALSE };

  /* round(6 · 0.25) = round(1.5) = 2, as C's round() takes halves away
   * from zero. */
  ls_samples_split (samples, 0.25, 7, &train, &test);
  g_assert_cmpuint (ls_samples_get_n_samples (train), ==, 4);
  g_assert_cmpuint (ls_samples_get_n_samples (test), ==, 2);
  mark_seen (train, seen);
  mark_seen (test, seen);
  for (gsize i = 0; i < 6; i++)
    g_assert_true (seen[i]);
  g_clear_pointer (&train, ls_samples_unref);

  ls_samples_split (samples, 0.0, 7, &train, &no_test);
  g_assert_null (no_test);
  g_assert_cmpuint (ls_samples_get_n_samples (train), ==, 6);
  g_clear_pointer (&train, ls_samples_unref);
  g_clear_pointer (&test, ls_samples_unref);

  /* round(6 · 0.95) = 6, but one sample always stays in train. */
  ls_samples_split (samples, 0.95, 7, &train, &test);
  g_assert_cmpuint (ls_samples_get_n_samples (train), ==, 1);
  g_assert_cmpuint (ls_samples_get_n_samples (test), ==, 5);
}

/* Returns the order of input 0 over the train part of a split. */
static char *
split_order (LsSamples *samples,
             guint64    seed)
{
  g_autoptr(LsSamples) train = NULL;
  g_autoptr(LsSamples) test = NULL;
  GString *order = g_string_new (NULL);

  ls_samples_split (samples, 0.5, seed, &train, &test);
  for (gsize i = 0; i < ls_samples_get_n_samples (train); i++)
    g_string_append_printf (order, "%g ", ls_samples_get_input (train, i)[0]);

  return g_string_free (order, FALSE);
}

static void
test_samples_split_seeded (void)
{
  g_autoptr(LsSamples) samples = NULL;
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *other = NULL;

  samples = ls_samples_generate (LS_PATTERN_XOR, 40, 0.0, 3, NULL);
  first = split_order (samples, 11);
  again = split_order (samples, 11);
  other = split_order (samples, 12);

  g_assert_cmpstr (first, ==, again);
  g_assert_cmpstr (first, !=, other);
}

static void
test_samples_bounds (void)
{
  g_autoptr(LsSamples) samples = new_six ();
  float min = 0, max = 0;

  ls_samples_get_bounds (samples, 0, &min, &max);
  g_assert_cmpfloat (min, ==, 0.0f);
  g_assert_cmpfloat (max, ==, 5.0f);

  ls_samples_get_bounds (samples, 1, &min, &max);
  g_assert_cmpfloat (min, ==, 10.0f);
  g_assert_cmpfloat (max, ==, 15.0f);
}

/* ---------------------------------------------------------------------
 * Generators
 * --------------------------------------------------------------------- */

static gboolean
same_samples (LsSamples *a,
              LsSamples *b)
{
  gsize n = ls_samples_get_n_samples (a);

  if (n != ls_samples_get_n_samples (b))
    return FALSE;

  return memcmp (ls_samples_get_input (a, 0), ls_samples_get_input (b, 0),
                 n * 2 * sizeof (float)) == 0;
}

static void
test_samples_generate_seeded (void)
{
  for (LsPattern pattern = 0; pattern < LS_N_PATTERNS; pattern++)
    {
      g_autoptr(LsSamples) first = ls_samples_generate (pattern, 200, 0.1, 5, NULL);
      g_autoptr(LsSamples) again = ls_samples_generate (pattern, 200, 0.1, 5, NULL);
      g_autoptr(LsSamples) other = ls_samples_generate (pattern, 200, 0.1, 6, NULL);

      g_test_message ("pattern: %s", ls_pattern_get_name (pattern));
      g_assert_cmpstr (ls_samples_get_name (first), ==, ls_pattern_get_name (pattern));
      g_assert_true (same_samples (first, again));
      g_assert_false (same_samples (first, other));
    }
}

static void
test_samples_generate_names (void)
{
  for (LsPattern pattern = 0; pattern < LS_N_PATTERNS; pattern++)
    {
      LsPattern parsed = LS_N_PATTERNS;

      g_assert_true (ls_pattern_from_name (ls_pattern_get_name (pattern), &parsed));
      g_assert_cmpint (parsed, ==, pattern);
      g_assert_nonnull (ls_pattern_get_display_name (pattern));
    }
}

/* The first two circles points of seed 1 with noise 0.1, from an
 * independent Python version of splitmix64 and the circles formula with
 * the noise draws in the same order, rounded to float32 by numpy. */
static void
test_samples_generate_known_values (void)
{
  static const float expected[] = { -0.25751394f, -0.27440906f, -0.93072575f, -0.21935520f };
  g_autoptr(LsSamples) samples = ls_samples_generate (LS_PATTERN_CIRCLES, 2, 0.1, 1, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpfloat_with_epsilon (ls_samples_get_input (samples, i / 2)[i % 2], expected[i], 1e-6);
}

static void
test_samples_generate_balanced (void)
{
  for (LsPattern pattern = 0; pattern < LS_PATTERN_REGRESSION; pattern++)
    {
      g_autoptr(LsSamples) samples = ls_samples_generate (pattern, 101, 0.2, 1, NULL);
      gsize counts[2] = { 0, 0 };

      g_assert_true (ls_samples_is_classification (samples));
      g_assert_cmpuint (ls_samples_get_n_classes (samples), ==, 2);
      for (gsize i = 0; i < 101; i++)
        counts[ls_samples_get_label (samples, i)]++;
      g_assert_cmpuint (counts[0], ==, 51);
      g_assert_cmpuint (counts[1], ==, 50);
    }
}

/* Checks the shape of each pattern without noise, against the
 * definitions in ls-samples.h and ls_samples_generate(). */
static void
check_clean_point (LsPattern    pattern,
                   const float *p,
                   guint        label,
                   float        target)
{
  float r = sqrtf (p[0] * p[0] + p[1] * p[1]);

  g_assert_cmpfloat (fabsf (p[0]), <=, 1.0f);
  g_assert_cmpfloat (fabsf (p[1]), <=, 1.0f);

  if (pattern == LS_PATTERN_CIRCLES && label == 0)
    g_assert_cmpfloat (r, <=, 0.5f + 1e-6f);
  else if (pattern == LS_PATTERN_CIRCLES)
    g_assert_cmpfloat (fabsf (r - 0.85f), <=, 0.15f + 1e-6f);
  else if (pattern == LS_PATTERN_XOR)
    {
      g_assert_cmpint (p[0] * p[1] < 0, ==, label == 1);
      g_assert_cmpfloat (fabsf (p[0]), >=, 0.05f - 1e-6f);
      g_assert_cmpfloat (fabsf (p[1]), >=, 0.05f - 1e-6f);
    }
  else if (pattern == LS_PATTERN_SPIRAL)
    g_assert_cmpfloat (r, <=, 1.0f + 1e-6f);
  else if (pattern == LS_PATTERN_REGRESSION)
    g_assert_cmpfloat_with_epsilon (target, 0.8 * sin (G_PI * p[0]) * cos (G_PI * p[1]), 1e-5);
}

static void
test_samples_generate_clean (void)
{
  for (LsPattern pattern = 0; pattern < LS_N_PATTERNS; pattern++)
    {
      g_autoptr(LsSamples) samples = ls_samples_generate (pattern, 500, 0.0, 2, NULL);
      gboolean classes = ls_samples_is_classification (samples);

      g_test_message ("pattern: %s", ls_pattern_get_name (pattern));
      for (gsize i = 0; i < 500; i++)
        check_clean_point (pattern, ls_samples_get_input (samples, i),
                           classes ? ls_samples_get_label (samples, i) : 0,
                           classes ? 0.0f : ls_samples_get_target (samples, i)[0]);
    }
}

static void
test_samples_generate_gaussian_centres (void)
{
  g_autoptr(LsSamples) samples = ls_samples_generate (LS_PATTERN_GAUSSIANS, 2000, 0.0, 4, NULL);
  double sums[2][2] = { { 0, 0 }, { 0, 0 } };

  for (gsize i = 0; i < 2000; i++)
    {
      const float *p = ls_samples_get_input (samples, i);
      guint label = ls_samples_get_label (samples, i);

      sums[label][0] += p[0];
      sums[label][1] += p[1];
    }

  /* 1000 draws of standard deviation 0.25 give a mean within 0.03 of the
   * centre (almost four standard errors). */
  for (guint axis = 0; axis < 2; axis++)
    {
      g_assert_cmpfloat_with_epsilon (sums[0][axis] / 1000, -0.5, 0.03);
      g_assert_cmpfloat_with_epsilon (sums[1][axis] / 1000, 0.5, 0.03);
    }
}

/* Along the positive x axis the two arms alternate: arm 0 crosses it at
 * r = k / 1.75 (0, 0.57) and arm 1 at r = (k + 0.5) / 1.75 (0.29, 0.86),
 * from angle = 1.75 · 2π · r + arm · π. */
static void
test_samples_generate_spiral_interleaves (void)
{
  static const struct { float r; guint arm; } crossings[] = {
    { 0.2857f, 1 }, { 0.5714f, 0 }, { 0.8571f, 1 },
  };
  g_autoptr(LsSamples) samples = ls_samples_generate (LS_PATTERN_SPIRAL, 4000, 0.0, 9, NULL);

  for (gsize c = 0; c < G_N_ELEMENTS (crossings); c++)
    {
      gsize found = 0;

      for (gsize i = 0; i < 4000; i++)
        {
          const float *p = ls_samples_get_input (samples, i);

          if (fabsf (p[0] - crossings[c].r) < 0.02f && fabsf (p[1]) < 0.02f)
            {
              g_assert_cmpuint (ls_samples_get_label (samples, i), ==, crossings[c].arm);
              found++;
            }
        }
      g_assert_cmpuint (found, >, 0);
    }
}

static void
test_samples_generate_noise_spread (void)
{
  g_autoptr(LsSamples) clean = ls_samples_generate (LS_PATTERN_CIRCLES, 2000, 0.0, 8, NULL);
  g_autoptr(LsSamples) noisy = ls_samples_generate (LS_PATTERN_CIRCLES, 2000, 0.3, 8, NULL);
  double sum_squares = 0;

  /* The same seed draws the same clean points, so the difference is the
   * noise alone. */
  for (gsize i = 0; i < 2000; i++)
    for (gsize axis = 0; axis < 2; axis++)
      {
        double d = ls_samples_get_input (noisy, i)[axis] - ls_samples_get_input (clean, i)[axis];

        sum_squares += d * d;
      }

  /* 4000 normal draws estimate a standard deviation of 0.3 within 5%. */
  g_assert_cmpfloat_with_epsilon (sqrt (sum_squares / 4000), 0.3, 0.015);
}

static void
test_samples_generate_rejects (void)
{
  static const struct { gsize n; double noise; const char *message; } cases[] = {
    { 1, 0.1, "2 to 1048576 samples, but 1 were" },
    { LS_MAX_SAMPLES + 1, 0.1, "but 1048577 were" },
    { 10, -0.1, "from 0 to 1, but it is -0.1" },
    { 10, 1.5, "from 0 to 1, but it is 1.5" },
    { 10, NAN, "from 0 to 1, but it is nan" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      LsSamples *samples;

      samples = ls_samples_generate (LS_PATTERN_SPIRAL, cases[i].n, cases[i].noise, 1, &error);
      g_assert_null (samples);
      g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/samples/classification", test_samples_classification);
  g_test_add_func ("/samples/class-names", test_samples_class_names);
  g_test_add_func ("/samples/regression", test_samples_regression);
  g_test_add_func ("/samples/rejects", test_samples_rejects);
  g_test_add_func ("/samples/rejects-infinite-target", test_samples_rejects_infinite_target);
  g_test_add_func ("/samples/subset", test_samples_subset);
  g_test_add_func ("/samples/split-sizes", test_samples_split_sizes);
  g_test_add_func ("/samples/split-seeded", test_samples_split_seeded);
  g_test_add_func ("/samples/bounds", test_samples_bounds);
  g_test_add_func ("/samples/generate-names", test_samples_generate_names);
  g_test_add_func ("/samples/generate-seeded", test_samples_generate_seeded);
  g_test_add_func ("/samples/generate-known-values", test_samples_generate_known_values);
  g_test_add_func ("/samples/generate-balanced", test_samples_generate_balanced);
  g_test_add_func ("/samples/generate-clean", test_samples_generate_clean);
  g_test_add_func ("/samples/generate-gaussian-centres", test_samples_generate_gaussian_centres);
  g_test_add_func ("/samples/generate-spiral-interleaves", test_samples_generate_spiral_interleaves);
  g_test_add_func ("/samples/generate-noise-spread", test_samples_generate_noise_spread);
  g_test_add_func ("/samples/generate-rejects", test_samples_generate_rejects);

  return g_test_run ();
}
