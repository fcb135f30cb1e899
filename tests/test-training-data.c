/* test-training-data.c: training sets by name, and CSV files good and bad
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-training-data"

#include <glib/gstdio.h>
#include <unistd.h>
#include <string.h>

#include "ls-error.h"
#include "ls-training-data.h"

static char *temp_dir;

static LsSamples *
load_data_file (const char  *name,
                const char  *label_column,
                gboolean     regression,
                GError     **error)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return ls_training_data_load_csv (file, label_column, regression, error);
}

/* Writes contents to a file of that name in the test's folder and
 * returns its path. */
static char *
write_temp_file (const char *name,
                 const char *contents,
                 gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (temp_dir, name, NULL);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);

  return path;
}

static void
assert_input (LsSamples *samples,
              gsize      index,
              float      x,
              float      y)
{
  g_assert_cmpfloat (ls_samples_get_input (samples, index)[0], ==, x);
  g_assert_cmpfloat (ls_samples_get_input (samples, index)[1], ==, y);
}

static void
test_training_data_names (void)
{
  static const char * const expected[] = {
    "circles", "xor", "gaussians", "spiral", "regression", "digits", "fashion-mnist", NULL,
  };
  const char * const *names = ls_training_data_get_names ();

  g_assert_cmpstrv (names, expected);
  for (gsize i = 0; names[i] != NULL; i++)
    g_assert_nonnull (ls_training_data_get_display_name (names[i]));
  g_assert_cmpstr (ls_training_data_get_display_name ("digits"), ==, "Handwritten digits");
  g_assert_null (ls_training_data_get_display_name ("points.csv"));
}

static void
test_training_data_defaults (void)
{
  LsTrainingDataOptions options;

  memset (&options, 0xff, sizeof options);
  ls_training_data_options_init (&options);

  g_assert_cmpstr (options.source, ==, "circles");
  g_assert_cmpuint (options.n_samples, ==, 400);
  g_assert_cmpfloat (options.noise, ==, 0.0);
  g_assert_cmpfloat (options.test_fraction, ==, 0.2);
  g_assert_cmpuint (options.seed, ==, 1);
  g_assert_null (options.label_column);
  g_assert_false (options.regression);
}

/* The sizes of the built-in image sets come from ls-dataset.h: 1437 and
 * 360 digits, and 1000 Fashion-MNIST test images when the full set is
 * not installed (main() points the full set's folder at nothing). */
static void
test_training_data_builtin (void)
{
  static const struct { const char *name; gsize train, test, size, classes; } cases[] = {
    { "circles", 160, 40, 2, 2 },
    { "xor", 160, 40, 2, 2 },
    { "gaussians", 160, 40, 2, 2 },
    { "spiral", 160, 40, 2, 2 },
    { "regression", 160, 40, 2, 0 },
    { "digits", 1437, 360, 64, 10 },
    { "fashion-mnist", 800, 200, 784, 10 },
    { "fashion", 800, 200, 784, 10 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LsSamples) train = NULL;
      g_autoptr(LsSamples) test = NULL;
      g_autoptr(GError) error = NULL;
      LsTrainingDataOptions options;

      g_test_message ("source: %s", cases[i].name);
      ls_training_data_options_init (&options);
      options.source = cases[i].name;
      options.n_samples = 200;

      g_assert_true (ls_training_data_load (&options, &train, &test, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (ls_samples_get_n_samples (train), ==, cases[i].train);
      g_assert_cmpuint (ls_samples_get_n_samples (test), ==, cases[i].test);
      g_assert_cmpuint (ls_samples_get_input_size (train), ==, cases[i].size);
      g_assert_cmpuint (ls_samples_get_n_classes (train), ==, cases[i].classes);
      g_assert_cmpuint (ls_samples_get_n_classes (test), ==, cases[i].classes);
    }
}

static void
test_training_data_images (void)
{
  g_autoptr(LsSamples) train = NULL;
  g_autoptr(LsSamples) test = NULL;
  LsTrainingDataOptions options;
  const LsShape *shape;
  float min, max;

  ls_training_data_options_init (&options);
  options.source = "fashion";
  g_assert_true (ls_training_data_load (&options, &train, &test, NULL));

  shape = ls_samples_get_shape (train);
  g_assert_cmpuint (shape->rank, ==, 3);
  g_assert_cmpuint (shape->dims[1], ==, 28);
  g_assert_cmpstr (ls_samples_get_name (train), ==, "fashion-mnist");
  g_assert_cmpstr (ls_samples_get_class_name (train, 9), ==, "Ankle boot");
  g_clear_pointer (&train, ls_samples_unref);
  g_clear_pointer (&test, ls_samples_unref);

  options.source = "digits";
  g_assert_true (ls_training_data_load (&options, &train, &test, NULL));
  shape = ls_samples_get_shape (test);
  g_assert_cmpuint (shape->rank, ==, 3);
  g_assert_cmpuint (shape->dims[2], ==, 8);
  g_assert_cmpstr (ls_samples_get_name (test), ==, "digits");
  g_assert_cmpstr (ls_samples_get_class_name (test, 7), ==, "7");

  /* Pixels are scaled to [0, 1], and pixel 27 (row 3, column 3) is 1 in
   * at least one training image. */
  ls_samples_get_bounds (train, 27, &min, &max);
  g_assert_cmpfloat (min, >=, 0.0f);
  g_assert_cmpfloat (max, ==, 1.0f);
}

static void
test_training_data_generated_split (void)
{
  g_autoptr(LsSamples) train = NULL;
  g_autoptr(LsSamples) test = NULL;
  g_autoptr(LsSamples) train_again = NULL;
  g_autoptr(LsSamples) test_again = NULL;
  LsTrainingDataOptions options;

  ls_training_data_options_init (&options);
  options.source = "spiral";
  options.n_samples = 300;
  options.test_fraction = 0.0;

  g_assert_true (ls_training_data_load (&options, &train, &test, NULL));
  g_assert_null (test);
  g_assert_cmpuint (ls_samples_get_n_samples (train), ==, 300);
  g_clear_pointer (&train, ls_samples_unref);

  options.test_fraction = 0.3;
  g_assert_true (ls_training_data_load (&options, &train, &test, NULL));
  g_assert_true (ls_training_data_load (&options, &train_again, &test_again, NULL));
  g_assert_cmpuint (ls_samples_get_n_samples (test), ==, 90);
  g_assert_cmpmem (ls_samples_get_input (test, 0), 90 * 2 * sizeof (float),
                   ls_samples_get_input (test_again, 0), 90 * 2 * sizeof (float));
}

static void
test_training_data_bad_options (void)
{
  static const struct { const char *source; gsize n; double noise, fraction; const char *message; } cases[] = {
    { "circles", 500, 0.1, 1.0, "test fraction must be from 0 to below 1, but it is 1" },
    { "circles", 500, 0.1, -0.5, "but it is -0.5" },
    { "xor", 1, 0.1, 0.2, "2 to 1048576 samples, but 1 were" },
    { "xor", 500, 2.0, 0.2, "noise of a generated set must be from 0 to 1, but it is 2" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      LsSamples *train = (LsSamples *) &train;
      LsSamples *test = (LsSamples *) &test;
      g_autoptr(GError) error = NULL;
      LsTrainingDataOptions options;

      ls_training_data_options_init (&options);
      options.source = cases[i].source;
      options.n_samples = cases[i].n;
      options.noise = cases[i].noise;
      options.test_fraction = cases[i].fraction;

      g_assert_false (ls_training_data_load (&options, &train, &test, &error));
      g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, cases[i].message));
      g_assert_null (train);
      g_assert_null (test);
    }
}

static void
test_training_data_csv_header (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LsSamples) samples = load_data_file ("training-header.csv", NULL, FALSE, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (ls_samples_get_name (samples), ==, "training-header.csv");
  g_assert_cmpuint (ls_samples_get_n_samples (samples), ==, 4);
  g_assert_cmpuint (ls_samples_get_input_size (samples), ==, 2);
  g_assert_cmpuint (ls_samples_get_n_classes (samples), ==, 3);
  g_assert_cmpstr (ls_samples_get_class_name (samples, 2), ==, "2");
  assert_input (samples, 0, 0.5f, 1.0f);
  assert_input (samples, 1, -1.0f, 0.2f);
  assert_input (samples, 2, 3.0f, 4.0f);
  assert_input (samples, 3, -0.25f, 100.0f);
  g_assert_cmpuint (ls_samples_get_label (samples, 0), ==, 0);
  g_assert_cmpuint (ls_samples_get_label (samples, 1), ==, 1);
  g_assert_cmpuint (ls_samples_get_label (samples, 3), ==, 2);
}

static void
test_training_data_csv_no_header (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LsSamples) samples = load_data_file ("training-no-header.csv", NULL, FALSE, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ls_samples_get_n_samples (samples), ==, 4);
  g_assert_cmpuint (ls_samples_get_n_classes (samples), ==, 2);
  assert_input (samples, 0, 1.0f, 2.0f);
  assert_input (samples, 3, 7.0f, 8.0f);
  g_assert_cmpuint (ls_samples_get_label (samples, 1), ==, 1);
  g_assert_cmpuint (ls_samples_get_label (samples, 3), ==, 0);
}

/* training-crlf.csv has "\r\n" line ends, a byte order mark, a quoted
 * header with a comma inside, a blank line and named classes. */
static void
test_training_data_csv_crlf_named_classes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LsSamples) samples = load_data_file ("training-crlf.csv", "kind, of animal", FALSE,
                                                 &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ls_samples_get_n_samples (samples), ==, 4);
  g_assert_cmpuint (ls_samples_get_n_classes (samples), ==, 3);
  g_assert_cmpstr (ls_samples_get_class_name (samples, 0), ==, "cat");
  g_assert_cmpstr (ls_samples_get_class_name (samples, 1), ==, "dog");
  g_assert_cmpstr (ls_samples_get_class_name (samples, 2), ==, "bird");
  g_assert_cmpuint (ls_samples_get_label (samples, 2), ==, 0);
  g_assert_cmpuint (ls_samples_get_label (samples, 3), ==, 2);
  assert_input (samples, 3, 7.0f, 8.0f);
}

/* A first row whose only text is the class label is a sample. */
static void
test_training_data_csv_named_classes_no_header (void)
{
  g_autofree char *path = write_temp_file ("named.csv", "1,2,cat\n3,4,dog\n", -1);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(LsSamples) samples = ls_training_data_load_csv (file, NULL, FALSE, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ls_samples_get_n_samples (samples), ==, 2);
  g_assert_cmpstr (ls_samples_get_class_name (samples, 1), ==, "dog");
  assert_input (samples, 0, 1.0f, 2.0f);
}

static void
test_training_data_csv_label_column (void)
{
  g_autoptr(LsSamples) by_name = NULL;
  g_autoptr(LsSamples) by_number = NULL;
  g_autoptr(GError) error = NULL;

  /* Column x of training-header.csv: 0.5, -1, 3, -0.25 are not class
   * numbers, so it is read as regression targets. */
  by_name = load_data_file ("training-header.csv", "x", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (ls_samples_get_target (by_name, 1)[0], ==, -1.0f);
  assert_input (by_name, 1, 0.2f, 1.0f);

  by_number = load_data_file ("training-no-header.csv", "1", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (ls_samples_get_target (by_number, 2)[0], ==, 5.0f);
  assert_input (by_number, 2, 6.0f, 1.0f);
}

static void
test_training_data_csv_regression (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LsSamples) samples = load_data_file ("training-regression.csv", NULL, TRUE, &error);

  g_assert_no_error (error);
  g_assert_false (ls_samples_is_classification (samples));
  g_assert_cmpuint (ls_samples_get_n_samples (samples), ==, 3);
  g_assert_cmpuint (ls_samples_get_target_size (samples), ==, 1);
  g_assert_cmpfloat (ls_samples_get_target (samples, 0)[0], ==, 0.5f);
  g_assert_cmpfloat (ls_samples_get_target (samples, 1)[0], ==, -1.25f);
  assert_input (samples, 2, 5.0f, 6.0f);
}

/* For regression the label must be a number too, so a first row whose
 * only text is in the label column is a header. */
static void
test_training_data_csv_regression_header (void)
{
  g_autofree char *path = write_temp_file ("numbered.csv", "1,2,value\n3,4,0.5\n5,6,1\n", -1);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(LsSamples) samples = ls_training_data_load_csv (file, NULL, TRUE, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ls_samples_get_n_samples (samples), ==, 2);
  g_assert_cmpfloat (ls_samples_get_target (samples, 0)[0], ==, 0.5f);
  assert_input (samples, 0, 3.0f, 4.0f);
}

static void
test_training_data_csv_bad_number_file (void)
{
  g_autoptr(GError) error = NULL;
  LsSamples *samples = load_data_file ("training-bad-number.csv", NULL, FALSE, &error);

  g_assert_null (samples);
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==,
                   "training-bad-number.csv line 4, column 2: “abc” is not a finite number; "
                   "fix the value or remove the line");
}

/* A file name that is not UTF-8, which Linux file systems allow, names
 * the set in valid UTF-8, because the name goes into messages and into
 * the dataset record of a trained document. */
static void
test_training_data_csv_non_utf8_name (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-training-data-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bad\xffname.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(LsSamples) samples = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "1,2,0\n3,4,1\n", -1, NULL));
  samples = ls_training_data_load_csv (file, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (samples);
  g_assert_true (g_utf8_validate (ls_samples_get_name (samples), -1, NULL));
  g_assert_true (g_str_has_prefix (ls_samples_get_name (samples), "bad"));

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

typedef struct
{
  const char *name;
  const char *contents;
  const char *label_column;
  gboolean regression;
  const char *message;
} BadCsvCase;

static const BadCsvCase bad_csv_cases[] = {
  { "not-number", "x,y,label\n1,2,0\n\n1,abc,1\n", NULL, FALSE,
    "not-number line 4, column 2: “abc” is not a finite number" },
  { "nan", "x,y,label\n1,nan,0\n", NULL, FALSE, "nan line 2, column 2: “nan” is not a finite" },
  { "over-float", "x,y,label\n1,1e39,0\n", NULL, FALSE, "line 2, column 2: “1e39” is not a finite" },
  { "first-row-over-float", "1e39,2,0\n0.1,0.2,1\n", NULL, FALSE, "line 1, column 1: “1e39” is not a finite" },
  { "first-row-nan", "1,nan,0\n1,2,1\n", NULL, FALSE, "line 1, column 2: “nan” is not a finite" },
  { "first-row-empty", "1,,0\n1,2,1\n", NULL, FALSE, "line 1, column 2 is empty" },
  { "mixed-labels", "1,2,2\n3,4,cat\n5,6,0\n", NULL, FALSE,
    "the label column mixes class numbers and names, such as “2” on line 1 and “cat” on line 2" },
  { "empty-input", "x,y,label\n1,2,0\n3,,1\n", NULL, FALSE, "line 3, column 2 is empty" },
  { "empty-label", "x,y,label\n1,2,0\n3,4,\n", NULL, FALSE, "line 3, column 3 is empty; fill in the class label" },
  { "field-count", "x,y,label\n1,2,0\n\n1,2\n", NULL, FALSE, "field-count line 4 has 2 fields, but the header has 3" },
  { "field-count-no-header", "1,2,0\n1,2,3,4\n", NULL, FALSE, "line 2 has 4 fields, but the first line has 3" },
  { "empty", "", NULL, FALSE, "empty is empty" },
  { "blank", "\n  \r\n\n", NULL, FALSE, "blank is empty" },
  { "header-only", "x,y,label\r\n", NULL, FALSE, "header-only has a header but no samples" },
  { "single-column", "\nx\n1\n2\n", NULL, FALSE, "single-column line 2 has a single column" },
  { "label-not-found", "x,y,label\n1,2,0\n", "class", FALSE,
    "the label column “class” was not found; the header names are x, y, label" },
  { "label-name-no-header", "1,2,0\n3,4,1\n", "label", FALSE,
    "label-name-no-header has no header row, so it has no label column named “label”; give the "
    "label column as a number from 1 to 3" },
  { "label-number", "x,y,label\n1,2,0\n", "4", FALSE, "there is no label column 4, because the file has 3 columns" },
  { "fraction-label", "1,2,0\n3,4,1.5\n", NULL, FALSE,
    "fraction-label line 2, column 3: the class label “1.5” is not a whole number from 0 to 255; "
    "to predict this column as a number, read it as regression targets" },
  { "big-label", "1,2,0\n3,4,256\n", NULL, FALSE, "line 2, column 3: the class label “256”" },
  { "negative-label", "1,2,0\n3,4,-1\n", NULL, FALSE, "line 2, column 3: the class label “-1”" },
  { "one-class", "1,2,a\n3,4,a\n", NULL, FALSE, "every class label is “a”, but a training set needs at least 2" },
  { "one-number-class", "1,2,1\n3,4,1\n", NULL, FALSE, "every class label is “1”" },
  { "regression-text", "x,y,t\n1,2,0.5\n1,2,abc\n", NULL, TRUE, "line 3, column 3: “abc” is not a finite" },
  { "open-quote", "x,y,label\n1,\"2,0\n", NULL, FALSE, "line 2, column 2: the quoted field has no closing quote" },
  { "after-quote", "\"x\"y,z,label\n1,2,0\n", NULL, FALSE, "line 1, column 1: text follows the closing quote" },
  { "not-utf8", "x,y,label\n1,2,\xff\n", NULL, FALSE, "not-utf8 is not UTF-8 text" },
};

static void
test_training_data_csv_errors (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (bad_csv_cases); i++)
    {
      const BadCsvCase *c = &bad_csv_cases[i];
      g_autofree char *path = write_temp_file (c->name, c->contents, -1);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      LsSamples *samples;

      g_test_message ("case: %s", c->name);
      samples = ls_training_data_load_csv (file, c->label_column, c->regression, &error);
      g_assert_null (samples);
      g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_DATA);
      g_test_message ("message: %s", error->message);
      g_assert_nonnull (strstr (error->message, c->message));
    }
}

static void
test_training_data_csv_too_many_classes (void)
{
  g_autoptr(GString) contents = g_string_new ("x,label\n");
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 300; i++)
    g_string_append_printf (contents, "%u,c%u\n", i, i);
  path = write_temp_file ("many-classes.csv", contents->str, contents->len);
  file = g_file_new_for_path (path);

  /* Class c256 is the 257th, on line 258 after the header. */
  g_assert_null (ls_training_data_load_csv (file, NULL, FALSE, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "many-classes.csv line 258: the label “c256” makes "
                                            "more than 256 classes"));
}

static void
test_training_data_csv_too_large (void)
{
  g_autofree char *path = write_temp_file ("large.csv", "1,0\n", -1);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  /* A sparse file: its size is over the limit, but no data is written. */
  g_assert_cmpint (truncate (path, (257 << 20)), ==, 0);

  g_assert_null (ls_training_data_load_csv (file, NULL, FALSE, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "more than the maximum of 256 MiB"));
}

static void
test_training_data_csv_missing (void)
{
  g_autofree char *path = g_build_filename (temp_dir, "missing.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_null (ls_training_data_load_csv (file, NULL, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* A source that is no built-in name is a CSV path, split like the
 * generated sets. */
static void
test_training_data_csv_source (void)
{
  g_autoptr(GString) contents = g_string_new ("a,b,label\n");
  g_autofree char *path = NULL;
  g_autoptr(LsSamples) train = NULL;
  g_autoptr(LsSamples) test = NULL;
  g_autoptr(GError) error = NULL;
  LsTrainingDataOptions options;

  for (guint i = 0; i < 50; i++)
    g_string_append_printf (contents, "%u,%u,%u\n", i, 2 * i, i % 3);
  path = write_temp_file ("fifty.csv", contents->str, contents->len);

  ls_training_data_options_init (&options);
  options.source = path;
  options.test_fraction = 0.1;
  g_assert_true (ls_training_data_load (&options, &train, &test, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ls_samples_get_n_samples (train), ==, 45);
  g_assert_cmpuint (ls_samples_get_n_samples (test), ==, 5);
  g_assert_cmpuint (ls_samples_get_n_classes (test), ==, 3);
  g_clear_pointer (&train, ls_samples_unref);
  g_clear_pointer (&test, ls_samples_unref);

  options.label_column = "nothing";
  g_assert_false (ls_training_data_load (&options, &train, &test, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_DATA);
  g_assert_null (train);
  g_assert_null (test);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *no_fashion = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* The full Fashion-MNIST set may be installed; the tests use the
   * 1000 shipped test images, which load in a fraction of the time. */
  no_fashion = g_test_build_filename (G_TEST_BUILT, "no-fashion-mnist", NULL);
  g_setenv ("LAYERSCOPE_FASHION_MNIST_DIR", no_fashion, TRUE);
  temp_dir = g_dir_make_tmp ("test-training-data-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/training-data/names", test_training_data_names);
  g_test_add_func ("/training-data/defaults", test_training_data_defaults);
  g_test_add_func ("/training-data/builtin", test_training_data_builtin);
  g_test_add_func ("/training-data/images", test_training_data_images);
  g_test_add_func ("/training-data/generated-split", test_training_data_generated_split);
  g_test_add_func ("/training-data/bad-options", test_training_data_bad_options);
  g_test_add_func ("/training-data/csv-header", test_training_data_csv_header);
  g_test_add_func ("/training-data/csv-no-header", test_training_data_csv_no_header);
  g_test_add_func ("/training-data/csv-crlf-named-classes", test_training_data_csv_crlf_named_classes);
  g_test_add_func ("/training-data/csv-named-classes-no-header",
                   test_training_data_csv_named_classes_no_header);
  g_test_add_func ("/training-data/csv-label-column", test_training_data_csv_label_column);
  g_test_add_func ("/training-data/csv-regression", test_training_data_csv_regression);
  g_test_add_func ("/training-data/csv-regression-header", test_training_data_csv_regression_header);
  g_test_add_func ("/training-data/csv-bad-number-file", test_training_data_csv_bad_number_file);
  g_test_add_func ("/training-data/csv-non-utf8-name", test_training_data_csv_non_utf8_name);
  g_test_add_func ("/training-data/csv-errors", test_training_data_csv_errors);
  g_test_add_func ("/training-data/csv-too-many-classes", test_training_data_csv_too_many_classes);
  g_test_add_func ("/training-data/csv-too-large", test_training_data_csv_too_large);
  g_test_add_func ("/training-data/csv-missing", test_training_data_csv_missing);
  g_test_add_func ("/training-data/csv-source", test_training_data_csv_source);

  status = g_test_run ();

  /* Remove the files the tests wrote, then their folder. */
  {
    g_autoptr(GDir) dir = g_dir_open (temp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (temp_dir, name, NULL);

        g_unlink (path);
      }
  }
  g_rmdir (temp_dir);
  g_free (temp_dir);

  return status;
}
