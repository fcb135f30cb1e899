/* test-document.c: loading and saving layerscope-network documents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-document"

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ls-document.h"
#include "ls-engine.h"

/* ---------------------------------------------------------------------
 * Helpers
 * --------------------------------------------------------------------- */

static char *
dup_example_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "cat-or-dog.json", NULL);
}

static LsNetwork *
load_example (void)
{
  g_autofree char *path = dup_example_path ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  LsNetwork *network = ls_document_load_file (file, &error);

  g_assert_no_error (error);
  g_assert_nonnull (network);

  return network;
}

static LsNetwork *
load_text (const char *text)
{
  g_autoptr(GError) error = NULL;
  LsNetwork *network = ls_document_load_data (text, -1, "test.json", &error);

  g_assert_no_error (error);
  g_assert_nonnull (network);

  return network;
}

/* Loads the document that network saves to, without touching the disk. */
static LsNetwork *
reload (LsNetwork *network)
{
  g_autofree char *data = ls_document_to_data (network, NULL);

  return load_text (data);
}

/* Compares float arrays bit for bit, so that -0.0 differs from 0.0. */
static void
assert_floats_identical (const float *a,
                         const float *b,
                         gsize        n)
{
  for (gsize i = 0; i < n; i++)
    if (memcmp (&a[i], &b[i], sizeof (float)) != 0)
      g_error ("element %" G_GSIZE_FORMAT " differs: %a against %a", i, (double) a[i], (double) b[i]);
}

static void
assert_strv_equal (GStrv a,
                   GStrv b)
{
  if (a == NULL || b == NULL)
    {
      g_assert_true (a == b);
      return;
    }

  g_assert_true (g_strv_equal ((const char * const *) a, (const char * const *) b));
}

static void
assert_shapes_equal (const LsShape *a,
                     const LsShape *b)
{
  g_autofree char *text_a = ls_shape_to_string (a);
  g_autofree char *text_b = ls_shape_to_string (b);

  g_assert_cmpstr (text_a, ==, text_b);
}

static void
assert_windows_equal (const LsWindow *a,
                      const LsWindow *b)
{
  g_assert_cmpint (a->padding_mode, ==, b->padding_mode);
  for (guint axis = 0; axis < 2; axis++)
    {
      g_assert_cmpuint (a->kernel[axis], ==, b->kernel[axis]);
      g_assert_cmpuint (a->stride[axis], ==, b->stride[axis]);
      g_assert_cmpuint (a->padding[axis], ==, b->padding[axis]);
      g_assert_cmpuint (a->padding_after[axis], ==, b->padding_after[axis]);
    }
}

static void
assert_layers_identical (const LsLayer *a,
                         const LsLayer *b)
{
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpstr (a->name, ==, b->name);
  assert_shapes_equal (&a->input_shape, &b->input_shape);
  assert_shapes_equal (&a->output_shape, &b->output_shape);
  assert_strv_equal (a->labels, b->labels);
  if (a->kind == LS_LAYER_CONV2D || a->kind == LS_LAYER_MAXPOOL2D || a->kind == LS_LAYER_AVGPOOL2D)
    assert_windows_equal (&a->window, &b->window);
  g_assert_cmpint (a->residual, ==, b->residual);
  g_assert_cmpuint (a->rows, ==, b->rows);
  g_assert_cmpuint (a->heads, ==, b->heads);
  g_assert_cmpint (a->causal, ==, b->causal);
  g_assert_cmpint (a->encoding, ==, b->encoding);
  g_assert_cmpint (a->pooling, ==, b->pooling);
  g_assert_cmpfloat (a->eps, ==, b->eps);
  g_assert_cmpuint (ls_layer_get_n_weights (a), ==, ls_layer_get_n_weights (b));
  g_assert_cmpuint (ls_layer_get_n_biases (a), ==, ls_layer_get_n_biases (b));
  assert_floats_identical (a->weights, b->weights, ls_layer_get_n_weights (a));
  assert_floats_identical (a->bias, b->bias, ls_layer_get_n_biases (a));
  if (!ls_layer_has_parameters (a))
    return;

  g_assert_cmpint (a->activation, ==, b->activation);
  g_assert_cmpint (a->init.scheme, ==, b->init.scheme);
  g_assert_cmpuint (a->init.seed, ==, b->init.seed);
  g_assert_cmpuint (a->units, ==, b->units);
  g_assert_cmpuint (ls_layer_get_n_weights (a), ==, ls_layer_get_n_weights (b));
  assert_floats_identical (a->weights, b->weights, ls_layer_get_n_weights (a));
  assert_floats_identical (a->bias, b->bias, a->units);
}

/* Checks that two networks hold the same document content. */
static void
assert_networks_identical (LsNetwork *a,
                           LsNetwork *b)
{
  gsize size = ls_network_get_input_size (a);
  const LsEvaluation *evaluation_a = ls_network_get_evaluation (a);
  const LsEvaluation *evaluation_b = ls_network_get_evaluation (b);

  g_assert_cmpstr (ls_network_get_title (a), ==, ls_network_get_title (b));
  g_assert_cmpstr (ls_network_get_description (a), ==, ls_network_get_description (b));
  g_assert_cmpstr (evaluation_a->name, ==, evaluation_b->name);
  g_assert_cmpstr (evaluation_a->split, ==, evaluation_b->split);
  g_assert_cmpuint (evaluation_a->samples, ==, evaluation_b->samples);
  g_assert_cmpuint (evaluation_a->correct, ==, evaluation_b->correct);
  assert_shapes_equal (ls_network_get_input_shape (a), ls_network_get_input_shape (b));
  assert_floats_identical (ls_network_get_input (a), ls_network_get_input (b), size);
  for (gsize i = 0; i < size; i++)
    g_assert_cmpstr (ls_network_get_input_label (a, i), ==, ls_network_get_input_label (b, i));
  g_assert_cmpint (ls_network_has_token_input (a), ==, ls_network_has_token_input (b));
  if (ls_network_has_token_input (a))
    {
      g_assert_cmpstr (ls_network_get_text (a), ==, ls_network_get_text (b));
      g_assert_cmpuint (ls_network_get_max_tokens (a), ==, ls_network_get_max_tokens (b));
      assert_strv_equal ((GStrv) ls_vocabulary_get_words (ls_network_get_vocabulary (a)),
                         (GStrv) ls_vocabulary_get_words (ls_network_get_vocabulary (b)));
    }

  g_assert_cmpuint (ls_network_get_n_layers (a), ==, ls_network_get_n_layers (b));
  for (gsize i = 0; i < ls_network_get_n_layers (a); i++)
    assert_layers_identical (ls_network_get_layer (a, i), ls_network_get_layer (b, i));
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("test-document-XXXXXX", &error);

  g_assert_no_error (error);

  return dir;
}

/* Removes a directory tree made by the test. */
static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* Returns the sorted names in a directory, joined by spaces. */
static char *
list_dir (const char *path)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);

  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (" ", (char **) names->pdata);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

/* ---------------------------------------------------------------------
 * Writing numbers
 * --------------------------------------------------------------------- */

static char *
format_float (float value)
{
  GString *text = g_string_new (NULL);

  ls_document_append_float (text, value);

  return g_string_free (text, FALSE);
}

/* The expected digits are those of NumPy 1.24's shortest float32 text,
 * numpy.format_float_scientific (numpy.float32 (x), unique=True), written
 * the way this format writes numbers: no exponent from 10 up to 1e9, and a
 * point in -0.0 so that JSON readers take it as a float, not the integer 0. */
static void
test_append_float_examples (void)
{
  const struct
  {
    float value;
    const char *text;
  } cases[] = {
    { 0.4f, "0.4" },
    { 0.1f, "0.1" },
    { -2.5f, "-2.5" },
    { 1.0f, "1" },
    { 100.0f, "100" },
    { 1.0f / 3.0f, "0.33333334" },
    { 1e-30f, "1e-30" },
    { 1e10f, "1e10" },
    { 16777216.0f, "16777216" },
    { FLT_MAX, "3.4028235e38" },
    { -FLT_MAX, "-3.4028235e38" },
    { FLT_MIN, "1.1754944e-38" },
    { 0x1p-149f, "1e-45" },        /* the smallest denormal */
    { 0x1.2p-140f, "8.07e-43" },   /* a denormal with more digits */
    { 123456789.0f, "123456790" },
    { 0x1p30f, "1.0737418e9" },
    { 0x1p-96f, "1.2621775e-29" }, /* a power of two where the nearest 8-digit decimal misses */
    { 0x1p87f, "1.5474251e26" },   /* the same, above 1 */
    { 0.0f, "0" },
    { -0.0f, "-0.0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = format_float (cases[i].value);

      g_test_message ("%a", (double) cases[i].value);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static gboolean
is_power_of_two (float value)
{
  int exponent;

  return fabsf (frexpf (value, &exponent)) == 0.5f;
}

static int
count_significant_digits (const char *text)
{
  int count = 0;
  int trailing_zeros = 0;
  gboolean leading = TRUE;

  for (const char *c = text; *c != '\0' && *c != 'e'; c++)
    {
      if (!g_ascii_isdigit (*c) || (leading && *c == '0'))
        continue;
      leading = FALSE;
      count++;
      trailing_zeros = *c == '0' ? trailing_zeros + 1 : 0;
    }

  return MAX (count - trailing_zeros, 1);
}

/* Checks text against the C library's strtof() and checks that one digit
 * fewer, correctly rounded by printf(), does not read back. */
static void
check_float_text (float value)
{
  g_autofree char *text = format_float (value);
  int digits = count_significant_digits (text);
  float read = strtof (text, NULL);

  if (memcmp (&read, &value, sizeof value) != 0)
    g_error ("%a is written as %s, which strtof() reads as %a", (double) value, text, (double) read);

  /* Next to a power of two the nearest shorter decimal may miss while
   * another one reads back; the examples test covers two such cases. */
  if (digits > 1 && !is_power_of_two (value))
    {
      char shorter[64];

      g_snprintf (shorter, sizeof shorter, "%.*g", digits - 1, (double) value);
      read = strtof (shorter, NULL);
      if (memcmp (&read, &value, sizeof value) == 0)
        g_error ("%a is written as %s, but %s reads back too", (double) value, text, shorter);
    }

  g_assert_null (strstr (text, "e+"));
  g_assert_null (strchr (text, ','));
}

/* Random bit patterns cover every exponent, denormals and both signs.
 * The test runs in the C locale, so strtof() expects a decimal point. */
static void
test_append_float_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261204);
  guint checked = 0;

  for (int exponent = -149; exponent <= 127; exponent++)
    {
      check_float_text (ldexpf (1.0f, exponent));
      check_float_text (-ldexpf (1.0f, exponent));
      check_float_text (nextafterf (ldexpf (1.0f, exponent), 0.0f));
    }

  while (checked < 200000)
    {
      guint32 bits = g_rand_int (rand);
      float value;

      memcpy (&value, &bits, sizeof value);
      if (!isfinite (value))
        continue;
      check_float_text (value);
      checked++;
    }
}

/* ---------------------------------------------------------------------
 * Round trips
 * --------------------------------------------------------------------- */

static void
test_round_trip_example (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "cat-or-dog.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(LsNetwork) reloaded = NULL;

  ls_document_save_file (network, file, &error);
  g_assert_no_error (error);

  reloaded = ls_document_load_file (file, &error);
  g_assert_no_error (error);
  assert_networks_identical (network, reloaded);

  remove_tree (dir);
}

/* The values that cat-or-dog.json states, against what the loader stored. */
static void
test_load_example_values (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  const LsLayer *hidden = ls_network_get_layer (network, 0);
  const LsLayer *output = ls_network_get_layer (network, 1);
  const float input[] = { 0.5f, 0.8f, 0.2f };
  const float hidden_bias[] = { 0.0f, 0.0f, 0.04f, -0.01f };

  g_assert_cmpstr (ls_network_get_title (network), ==, "Cat or dog?");
  assert_floats_identical (ls_network_get_input (network), input, 3);
  g_assert_cmpstr (ls_network_get_input_label (network, 2), ==, "pixel 3");
  g_assert_cmpstr (hidden->name, ==, "hidden");
  g_assert_cmpint (hidden->activation, ==, LS_ACTIVATION_RELU);
  g_assert_true (ls_layer_get_weight (hidden, 0, 0) == 0.4f);
  g_assert_true (ls_layer_get_weight (hidden, 2, 1) == 0.4f);
  assert_floats_identical (hidden->bias, hidden_bias, 4);
  g_assert_cmpint (output->activation, ==, LS_ACTIVATION_SOFTMAX);
  g_assert_cmpstr (ls_layer_get_label (output, 1), ==, "Dog");
  g_assert_true (ls_layer_get_weight (output, 2, 0) == 1.1f);

  /* Loading leaves the forward pass computed. By hand: the first hidden
   * neuron is 0.5 × 0.4 + 0.8 × 0.5 + 0.2 × 0.1 + 0 = 0.62. */
  g_assert_cmpfloat_with_epsilon (hidden->activation_output[0], 0.62f, 1e-6);
}

/* Fills every parameter and input of network with values that are hard to
 * write: denormals, -0.0, the float limits and random bit patterns. */
static void
fill_with_awkward_values (LsNetwork *network)
{
  const float awkward[] = {
    0.1f, 1e-30f, 0x1p-149f, -0x1.fffffcp-127f, -0.0f, FLT_MAX, -FLT_MAX, FLT_MIN,
    1.0f / 3.0f, 0.4f, 16777217.0f, 0x1p-96f, -123456.789f, 2.0f / 3.0f,
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  gsize next = 0;

  for (gsize l = 0; l < ls_network_get_n_layers (network); l++)
    {
      const LsLayer *layer = ls_network_get_layer (network, l);

      for (gsize i = 0; i < ls_layer_get_inputs (layer); i++)
        for (gsize j = 0; j < layer->units; j++)
          {
            float value = awkward[next++ % G_N_ELEMENTS (awkward)];
            guint32 bits = g_rand_int (rand);

            if (next > G_N_ELEMENTS (awkward))
              memcpy (&value, &bits, sizeof value);
            if (!isfinite (value))
              value = 0.5f;
            /* Setting -0.0 over 0.0 is no change, so set a non-zero first. */
            g_assert_true (ls_network_set_weight (network, l, i, j, 1.0f, NULL));
            g_assert_true (ls_network_set_weight (network, l, i, j, value, NULL));
          }

      for (gsize j = 0; j < layer->units; j++)
        {
          g_assert_true (ls_network_set_bias (network, l, j, 1.0f, NULL));
          g_assert_true (ls_network_set_bias (network, l, j, awkward[j % G_N_ELEMENTS (awkward)], NULL));
        }
    }

  for (gsize i = 0; i < ls_network_get_input_size (network); i++)
    {
      g_assert_true (ls_network_set_input_value (network, i, 1.0f, NULL));
      g_assert_true (ls_network_set_input_value (network, i, awkward[(i + 4) % G_N_ELEMENTS (awkward)], NULL));
    }
}

static void
test_round_trip_awkward_floats (void)
{
  g_autoptr(LsNetwork) network = ls_network_new (6);
  g_autoptr(LsNetwork) reloaded = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  g_assert_true (ls_network_insert_dense (network, 0, 40, LS_ACTIVATION_TANH, NULL));
  g_assert_true (ls_network_insert_dense (network, 1, 3, LS_ACTIVATION_SOFTMAX, NULL));
  fill_with_awkward_values (network);
  g_assert_true (signbit (ls_layer_get_weight (ls_network_get_layer (network, 0), 0, 4)));

  reloaded = reload (network);
  assert_networks_identical (network, reloaded);

  /* Writing the reloaded network gives the same text again. */
  first = ls_document_to_data (network, NULL);
  second = ls_document_to_data (reloaded, NULL);
  g_assert_cmpstr (first, ==, second);
}

/* A document in exactly the layout the writer uses, with the expected
 * number texts written by hand. */
static const char layout_document[] =
  "{\n"
  "  \"format\": \"layerscope-network\",\n"
  "  \"version\": 1,\n"
  "  \"title\": \"Quote \\\" and é\",\n"
  "  \"description\": \"Two lines\\nof text\",\n"
  "  \"input\": {\n"
  "    \"shape\": [2],\n"
  "    \"values\": [0.5, -0.25],\n"
  "    \"labels\": [\"a\", \"b\"]\n"
  "  },\n"
  "  \"layers\": [\n"
  "    {\n"
  "      \"type\": \"dense\",\n"
  "      \"name\": \"hidden\",\n"
  "      \"units\": 3,\n"
  "      \"activation\": \"relu\",\n"
  "      \"init\": {\"scheme\": \"he\", \"seed\": 7},\n"
  "      \"weights\": [\n"
  "        [0.4, 1e-30, -0.0],\n"
  "        [3, 0.1, 3.4028235e38]\n"
  "      ],\n"
  "      \"bias\": [0.1, 0, -2]\n"
  "    },\n"
  "    {\n"
  "      \"type\": \"dense\",\n"
  "      \"units\": 2,\n"
  "      \"activation\": \"softmax\",\n"
  "      \"init\": {\"scheme\": \"xavier\", \"seed\": 8},\n"
  "      \"labels\": [\"yes\", \"\"],\n"
  "      \"weights\": [\n"
  "        [1, 2],\n"
  "        [3, 4],\n"
  "        [5, 6]\n"
  "      ],\n"
  "      \"bias\": [0, 0]\n"
  "    }\n"
  "  ]\n"
  "}\n";

static void
test_save_layout (void)
{
  g_autoptr(LsNetwork) network = load_text (layout_document);
  gsize length;
  g_autofree char *text = ls_document_to_data (network, &length);

  g_assert_cmpstr (text, ==, layout_document);
  g_assert_cmpuint (length, ==, strlen (layout_document));
}

/* ---------------------------------------------------------------------
 * Saving
 * --------------------------------------------------------------------- */

/* Saving over a file replaces it through a new file: a reader that opened
 * the old one keeps reading the old bytes, which in-place truncation and
 * rewriting would change. */
static void
test_save_replaces_atomically (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "net.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *old_contents = NULL;
  g_autofree char *new_contents = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *names = NULL;
  g_autofree char *seen = NULL;
  gsize old_length;
  int fd;

  ls_document_save_file (network, file, &error);
  g_assert_no_error (error);
  old_contents = read_file (path);
  fd = g_open (path, O_RDONLY, 0);
  g_assert_cmpint (fd, >=, 0);

  ls_network_set_title (network, "Replaced");
  ls_document_save_file (network, file, &error);
  g_assert_no_error (error);

  /* Read one byte more than the old document to see that it ends there. */
  old_length = strlen (old_contents);
  seen = g_malloc0 (old_length + 2);
  g_assert_cmpint (read (fd, seen, old_length + 1), ==, old_length);
  g_assert_cmpstr (seen, ==, old_contents);
  close (fd);

  new_contents = read_file (path);
  expected = ls_document_to_data (network, NULL);
  g_assert_cmpstr (new_contents, ==, expected);

  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "net.json");

  remove_tree (dir);
}

static void
test_save_keeps_mode_and_symlink (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "net.json", NULL);
  g_autofree char *link = g_build_filename (dir, "link.json", NULL);
  g_autoptr(GFile) link_file = g_file_new_for_path (link);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  GStatBuf status;

  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  g_assert_cmpint (symlink ("net.json", link), ==, 0);

  ls_document_save_file (network, link_file, &error);
  g_assert_no_error (error);

  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  contents = read_file (path);
  g_assert_true (g_str_has_prefix (contents, "{\n  \"format\": \"layerscope-network\""));
  g_assert_cmpint (g_stat (path, &status), ==, 0);
  g_assert_cmpint (status.st_mode & 0777, ==, 0640);

  remove_tree (dir);
}

/* Each failure must also happen when the tests run as root, which
 * ignores permission bits, so none of them relies on chmod. */
static void
test_save_failure_keeps_file (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "net.json", NULL);
  g_autofree char *below_file = g_build_filename (dir, "net.json", "child.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) child = g_file_new_for_path (below_file);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *names = NULL;
  g_autofree char *long_label = g_strnfill (LS_MAX_LABEL_LENGTH + 1, 'x');
  const char *labels[] = { "Cat", long_label, NULL };

  ls_document_save_file (network, file, &error);
  g_assert_no_error (error);
  before = read_file (path);

  /* The parent of the target is a regular file. */
  g_assert_false (ls_document_save_file (network, child, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  g_assert_true (g_str_has_prefix (error->message, "child.json: "));
  g_clear_error (&error);

  /* The target is a directory. */
  g_assert_false (ls_document_save_file (network, folder, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  g_clear_error (&error);

  /* A label over the limit would make a document that does not load. */
  ls_network_set_layer_labels (network, 1, labels);
  g_assert_false (ls_document_save_file (network, file, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT);
  g_assert_nonnull (strstr (error->message, "net.json: cannot be saved: label 2 of layer 2 is 257 bytes long"));
  g_clear_error (&error);

  after = read_file (path);
  g_assert_cmpstr (after, ==, before);
  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "net.json");

  remove_tree (dir);
}

/* ---------------------------------------------------------------------
 * Loading valid documents
 * --------------------------------------------------------------------- */

#define HEADER "{\"format\": \"layerscope-network\", \"version\": 1, "

/* Layers without weights draw them from their init. The scheme follows
 * the activation (He for ReLU and Xavier for tanh, as docs/FORMAT.md
 * specifies), and the seed is the layer's position counting from 1. */
static void
test_load_init_seeded (void)
{
  g_autoptr(LsNetwork) network = load_text (
    HEADER "\"input\": {\"shape\": [3]}, \"layers\": ["
    "{\"type\": \"dense\", \"units\": 4, \"activation\": \"relu\"},"
    "{\"type\": \"dense\", \"units\": 5, \"activation\": \"tanh\", \"init\": {\"seed\": 99}},"
    "{\"type\": \"dense\", \"units\": 2, \"activation\": \"softmax\", \"init\": {\"scheme\": \"he\"}}]}");
  const struct
  {
    LsInitScheme scheme;
    guint64 seed;
  } expected[] = {
    { LS_INIT_HE, 1 },
    { LS_INIT_XAVIER, 99 },
    { LS_INIT_HE, 3 },
  };
  const float zeros[5] = { 0 };

  for (gsize l = 0; l < G_N_ELEMENTS (expected); l++)
    {
      const LsLayer *layer = ls_network_get_layer (network, l);
      LsInit init = { expected[l].scheme, expected[l].seed };
      gsize n = ls_layer_get_inputs (layer) * layer->units;
      g_autofree float *weights = g_new (float, n);

      ls_init_fill_weights (&init, weights, ls_layer_get_inputs (layer), layer->units);
      g_assert_cmpint (layer->init.scheme, ==, expected[l].scheme);
      g_assert_cmpuint (layer->init.seed, ==, expected[l].seed);
      assert_floats_identical (layer->weights, weights, n);
      assert_floats_identical (layer->bias, zeros, layer->units);
    }
}

/* A layer with weights keeps its init, so that growing it after a reload
 * draws the same new weights as growing the original. */
static void
test_load_init_kept_for_resize (void)
{
  g_autoptr(LsNetwork) network = load_example ();
  g_autoptr(LsNetwork) reloaded = reload (network);
  const LsLayer *hidden = ls_network_get_layer (network, 0);

  g_assert_cmpint (hidden->init.scheme, ==, LS_INIT_HE);
  g_assert_cmpuint (hidden->init.seed, ==, 1);

  g_assert_true (ls_network_set_units (network, 0, 7, NULL));
  g_assert_true (ls_network_set_units (reloaded, 0, 7, NULL));
  assert_networks_identical (network, reloaded);
}

static void
test_load_defaults (void)
{
  g_autoptr(LsNetwork) network = load_text (
    HEADER "\"input\": {\"shape\": [2]}, \"layers\": ["
    "{\"type\": \"dense\", \"units\": 1, \"activation\": \"identity\", \"weights\": [[1], [2]]}]}");
  const LsLayer *layer = ls_network_get_layer (network, 0);
  const float zeros[2] = { 0 };

  g_assert_null (ls_network_get_title (network));
  g_assert_null (ls_network_get_description (network));
  assert_floats_identical (ls_network_get_input (network), zeros, 2);
  g_assert_null (ls_network_get_input_label (network, 0));
  g_assert_null (layer->name);
  g_assert_null (layer->labels);
  assert_floats_identical (layer->bias, zeros, 1);
  g_assert_true (layer->weights[1] == 2.0f);
}

/* Keys that version 1 does not define are ignored at every level. */
static void
test_load_ignores_unknown_keys (void)
{
  g_autoptr(LsNetwork) network = load_text (
    "{\"format\": \"layerscope-network\", \"version\": 1, \"author\": {\"x\": [1]},"
    "\"input\": {\"shape\": [1], \"unit\": \"cm\"}, \"layers\": ["
    "{\"type\": \"dense\", \"units\": 1, \"activation\": \"relu\", \"dropout\": 0.5,"
    " \"init\": {\"seed\": 4, \"gain\": 2}}]}");

  g_assert_cmpuint (ls_network_get_layer (network, 0)->init.seed, ==, 4);
}

/* Trailing empty labels mean "no label": the writer pads a short list with
 * them and the loader drops them again. */
static void
test_load_trailing_empty_labels (void)
{
  g_autoptr(LsNetwork) network = load_text (
    HEADER "\"input\": {\"shape\": [3], \"labels\": [\"\", \"b\", \"\"]}, \"layers\": ["
    "{\"type\": \"dense\", \"units\": 3, \"activation\": \"relu\", \"labels\": [\"x\", \"\", \"\"]}]}");
  const LsLayer *layer = ls_network_get_layer (network, 0);
  const char *short_labels[] = { "p", NULL };
  g_autoptr(LsNetwork) reloaded = NULL;

  g_assert_cmpuint (g_strv_length (layer->labels), ==, 1);
  g_assert_cmpstr (ls_network_get_input_label (network, 0), ==, "");
  g_assert_cmpstr (ls_network_get_input_label (network, 1), ==, "b");
  g_assert_null (ls_network_get_input_label (network, 2));

  ls_network_set_layer_labels (network, 0, short_labels);
  reloaded = reload (network);
  assert_networks_identical (network, reloaded);
}

/* ---------------------------------------------------------------------
 * Loading bad documents
 * --------------------------------------------------------------------- */

#define INPUT3 "\"input\": {\"shape\": [3]}, "
#define DENSE(extra) "{\"type\": \"dense\", \"units\": 2, \"activation\": \"relu\"" extra "}"
#define WITH_LAYERS(layers) HEADER INPUT3 "\"layers\": [" layers "]}"
#define WITH_INPUT(input) HEADER "\"input\": " input ", \"layers\": [" DENSE ("") "]}"
#define DIGITS_10 "1234567890"
#define DIGITS_40 DIGITS_10 DIGITS_10 DIGITS_10 DIGITS_10
#define DIGITS_310 DIGITS_40 DIGITS_40 DIGITS_40 DIGITS_40 DIGITS_40 DIGITS_40 DIGITS_40 DIGITS_10 DIGITS_10 DIGITS_10

typedef struct
{
  const char *name;
  const char *text;
  LsError code;
  const char *message;  /* expected after "test.json" */
} BadDocument;

static const BadDocument bad_documents[] = {
  { "not JSON", "{\"format\": ", LS_ERROR_INVALID_DOCUMENT, ":1:11: Parse error: unexpected end of file" },
  { "not JSON line", "{\"a\":\n\n  [1, }", LS_ERROR_INVALID_DOCUMENT, ":3:7: " },
  { "not UTF-8", "{\"format\":\n  \"\xff\"}", LS_ERROR_INVALID_DOCUMENT,
    ":2:4: the file is not valid UTF-8 (byte 0xFF); save it with the UTF-8 encoding" },
  { "not UTF-8 after text", "{\"title\": \"Caf\xc3\xa9 \xe9\"}", LS_ERROR_INVALID_DOCUMENT,
    ":1:17: the file is not valid UTF-8 (byte 0xE9)" },
  { "empty", "", LS_ERROR_INVALID_DOCUMENT, ": the file is empty" },
  { "blank", " \n\t ", LS_ERROR_INVALID_DOCUMENT, ": the file is empty" },
  { "top-level array", "[1, 2]", LS_ERROR_INVALID_DOCUMENT,
    ": expected a JSON object at the top level, found an array" },
  { "wrong format", "{\"format\": \"other\", \"version\": 1}", LS_ERROR_INVALID_DOCUMENT,
    ": format: expected “layerscope-network”, found the string “other”" },
  { "missing format", "{\"version\": 1}", LS_ERROR_INVALID_DOCUMENT,
    ": format: expected “layerscope-network”, found no “format” key" },
  { "missing version", "{\"format\": \"layerscope-network\"}", LS_ERROR_INVALID_DOCUMENT,
    ": missing required key “version”" },
  { "fractional version", "{\"format\": \"layerscope-network\", \"version\": 1.5}", LS_ERROR_INVALID_DOCUMENT,
    ": version: expected an integer, found 1.5 (a number with a decimal point or exponent)" },
  { "version 1.0", "{\"format\": \"layerscope-network\", \"version\": 1.0}", LS_ERROR_INVALID_DOCUMENT,
    ": version: expected an integer, found 1.0 (a number with a decimal point or exponent)" },
  { "version over int64", "{\"format\": \"layerscope-network\", \"version\": 99999999999999999999}",
    LS_ERROR_INVALID_VALUE,
    ": version: the integer 99999999999999999999 is outside the range of 64-bit integers, "
    "-9223372036854775808 to 9223372036854775807" },
  { "version under int64", "{\"format\": \"layerscope-network\", \"version\": -99999999999999999999}",
    LS_ERROR_INVALID_VALUE, ": version: the integer -99999999999999999999 is outside the range" },
  { "string version", "{\"format\": \"layerscope-network\", \"version\": \"1\"}", LS_ERROR_INVALID_DOCUMENT,
    ": version: expected an integer, found the string “1”" },
  { "newer version", "{\"format\": \"layerscope-network\", \"version\": 4, \"layers\": 5}",
    LS_ERROR_UNSUPPORTED_VERSION,
    ": version: written by a newer Layerscope (format version 4); this version reads versions 1 to 3, "
    "so update Layerscope to open it" },
  { "version 0", "{\"format\": \"layerscope-network\", \"version\": 0}", LS_ERROR_INVALID_DOCUMENT,
    ": version: expected a format version of 1 or more, found 0" },
  { "missing input", HEADER "\"layers\": []}", LS_ERROR_INVALID_DOCUMENT,
    ": missing required key “input”" },
  { "input not object", HEADER "\"input\": [3], \"layers\": []}", LS_ERROR_INVALID_DOCUMENT,
    ": input: expected an object, found an array" },
  { "missing shape", WITH_INPUT ("{\"values\": [1]}"), LS_ERROR_INVALID_DOCUMENT,
    ": input: missing required key “shape”" },
  { "shape 0", WITH_INPUT ("{\"shape\": [0]}"), LS_ERROR_INVALID_SHAPE,
    ": input.shape[0]: expected a size from 1 to 1048576, found 0" },
  { "shape negative", WITH_INPUT ("{\"shape\": [-3]}"), LS_ERROR_INVALID_SHAPE,
    ": input.shape[0]: expected a size from 1 to 1048576, found -3" },
  { "shape fractional", WITH_INPUT ("{\"shape\": [2.5]}"), LS_ERROR_INVALID_DOCUMENT,
    ": input.shape[0]: expected an integer, found 2.5 (a number with a decimal point or exponent)" },
  { "shape under int64", WITH_INPUT ("{\"shape\": [-99999999999999999999]}"), LS_ERROR_INVALID_VALUE,
    ": input.shape[0]: the integer -99999999999999999999 is outside the range of 64-bit integers" },
  { "shape over limit", WITH_INPUT ("{\"shape\": [1048577]}"), LS_ERROR_INVALID_SHAPE,
    ": input.shape[0]: expected a size from 1 to 1048576, found 1048577" },
  { "shape rank 2", WITH_INPUT ("{\"shape\": [2, 3]}"), LS_ERROR_INVALID_SHAPE,
    ": input.shape: expected one size for a vector, such as [3], or three for an image, "
    "[channels, height, width] such as [1, 28, 28]; found 2 sizes" },
  { "shape rank 4", WITH_INPUT ("{\"shape\": [1, 2, 3, 4]}"), LS_ERROR_INVALID_SHAPE,
    ": input.shape: expected one size for a vector, such as [3], or three for an image" },
  { "shape empty", WITH_INPUT ("{\"shape\": []}"), LS_ERROR_INVALID_SHAPE,
    ": input.shape: expected one size for a vector, such as [3], or three for an image, "
    "[channels, height, width] such as [1, 28, 28]; found 0 sizes" },
  { "values count", WITH_INPUT ("{\"shape\": [3], \"values\": [1, 2]}"), LS_ERROR_INVALID_SHAPE,
    ": input.values: expected 3 values, as input.shape says, found 2" },
  { "values count singular", WITH_INPUT ("{\"shape\": [1], \"values\": [1, 2]}"), LS_ERROR_INVALID_SHAPE,
    ": input.values: expected 1 value, as input.shape says, found 2" },
  { "values not number", WITH_INPUT ("{\"shape\": [3], \"values\": [1, \"a\", 3]}"), LS_ERROR_INVALID_DOCUMENT,
    ": input.values[1]: expected a number, found the string “a”" },
  { "values over float", WITH_INPUT ("{\"shape\": [3], \"values\": [1e39, 0, 0]}"), LS_ERROR_INVALID_VALUE,
    ": input.values[0]: 1e39 is a number beyond the float range (±3.4028235e38)" },
  { "values over double", WITH_INPUT ("{\"shape\": [3], \"values\": [0, -1E+400, 0]}"), LS_ERROR_INVALID_VALUE,
    ": input.values[1]: -1E+400 is a number beyond the float range (±3.4028235e38)" },
  { "values long over double", WITH_INPUT ("{\"shape\": [1], \"values\": [" DIGITS_310 ".5]}"),
    LS_ERROR_INVALID_VALUE, ": input.values[0]: " DIGITS_40 "… is a number beyond the float range" },
  /* 2^64 + 5 wraps around to 5 in JsonParser. */
  { "values integer over int64", WITH_INPUT ("{\"shape\": [1], \"values\": [18446744073709551621]}"),
    LS_ERROR_INVALID_VALUE,
    ": input.values[0]: the integer 18446744073709551621 is outside the range of 64-bit integers, "
    "-9223372036854775808 to 9223372036854775807; write it as 18446744073709551621.0 to read it as a float" },
  { "values octal", WITH_INPUT ("{\"shape\": [1], \"values\": [010]}"), LS_ERROR_INVALID_DOCUMENT,
    ": input.values[0]: “010” is not a valid JSON number; write numbers in decimal" },
  { "values hexadecimal", WITH_INPUT ("{\"shape\": [1], \"values\": [0x10]}"), LS_ERROR_INVALID_DOCUMENT,
    ": input.values[0]: “0x10” is not a valid JSON number" },
  { "values leading point", WITH_INPUT ("{\"shape\": [1], \"values\": [-.5]}"), LS_ERROR_INVALID_DOCUMENT,
    ": input.values[0]: “-.5” is not a valid JSON number" },
  { "values trailing point", WITH_INPUT ("{\"shape\": [1], \"values\": [1.]}"), LS_ERROR_INVALID_DOCUMENT,
    ": input.values[0]: “1.” is not a valid JSON number" },
  { "values empty exponent", WITH_INPUT ("{\"shape\": [1], \"values\": [1e+]}"), LS_ERROR_INVALID_DOCUMENT,
    ": input.values[0]: “1e+” is not a valid JSON number" },
  { "values spaced minus", WITH_INPUT ("{\"shape\": [1], \"values\": [- 1]}"), LS_ERROR_INVALID_DOCUMENT,
    ": input.values[0]: “-” is not a valid JSON number" },
  { "labels count", WITH_INPUT ("{\"shape\": [3], \"labels\": [\"a\", \"b\"]}"), LS_ERROR_INVALID_SHAPE,
    ": input.labels: expected 3 labels, one per input value, found 2" },
  { "labels count singular", WITH_INPUT ("{\"shape\": [1], \"labels\": [\"a\", \"b\"]}"), LS_ERROR_INVALID_SHAPE,
    ": input.labels: expected 1 label, one per input value, found 2" },
  { "label lone surrogate", WITH_INPUT ("{\"shape\": [2], \"labels\": [\"a\", \"Cat\\ud800dog\"]}"),
    LS_ERROR_INVALID_DOCUMENT,
    ": input.labels[1]: the text is not valid UTF-8 because it contains a lone surrogate escape such as \\ud800" },
  { "label NUL escape", WITH_INPUT ("{\"shape\": [1], \"labels\": [\"a\\u0000b\"]}"), LS_ERROR_INVALID_DOCUMENT,
    ": input.labels[0]: the text contains \\u0000, a NUL character" },
  { "labels not string", WITH_INPUT ("{\"shape\": [3], \"labels\": [\"a\", 5, \"c\"]}"), LS_ERROR_INVALID_DOCUMENT,
    ": input.labels[1]: expected a string, found 5" },
  { "title not string", HEADER "\"title\": true}", LS_ERROR_INVALID_DOCUMENT,
    ": title: expected a string, found true" },
  { "title lone surrogate", HEADER "\"title\": \"Cat\\ud800dog\"}", LS_ERROR_INVALID_DOCUMENT,
    ": title: the text is not valid UTF-8 because it contains a lone surrogate escape such as \\ud800; "
    "write a character outside the Basic Multilingual Plane as a pair such as \\ud83d\\ude00" },
  { "title low surrogate alone", HEADER "\"title\": \"\\udc00xyz\"}", LS_ERROR_INVALID_DOCUMENT,
    ": title: the text is not valid UTF-8" },
  /* JsonParser's own message quotes the bytes that it made of \ud800. */
  { "lone surrogate before quote", "{\"format\": \"\\ud800\", \"version\": 1}", LS_ERROR_INVALID_DOCUMENT,
    ":1:22: Parse error: invalid string constant" },
  { "format lone surrogate", "{\"format\": \"\\ud800xyz\", \"version\": 1}", LS_ERROR_INVALID_DOCUMENT,
    ": format: expected “layerscope-network”, found a string that is not valid UTF-8" },
  { "missing layers", HEADER INPUT3 "\"title\": \"x\"}", LS_ERROR_INVALID_DOCUMENT,
    ": missing required key “layers”" },
  { "layers not array", HEADER INPUT3 "\"layers\": {}}", LS_ERROR_INVALID_DOCUMENT,
    ": layers: expected an array, found an object" },
  { "no layers", WITH_LAYERS (""), LS_ERROR_INVALID_SHAPE,
    ": layers: expected 1 to 64 layers, found 0" },
  { "layer not object", WITH_LAYERS ("5"), LS_ERROR_INVALID_DOCUMENT,
    ": layers[0]: expected an object, found 5" },
  { "missing type", WITH_LAYERS ("{\"units\": 2}"), LS_ERROR_INVALID_DOCUMENT,
    ": layers[0]: missing required key “type”" },
  { "unknown type", WITH_LAYERS (DENSE ("") ", {\"type\": \"conv1d\"}"), LS_ERROR_INVALID_DOCUMENT,
    ": layers[1].type: unknown layer type “conv1d”; known types are dense, conv2d, maxpool2d, "
    "avgpool2d, flatten" },
  { "unknown activation", WITH_LAYERS ("{\"type\": \"dense\", \"units\": 2, \"activation\": \"relux\"}"),
    LS_ERROR_INVALID_DOCUMENT,
    ": layers[0].activation: unknown activation “relux”; known activations are identity, relu, "
    "leaky_relu, sigmoid, tanh, gelu, softmax" },
  { "missing activation", WITH_LAYERS ("{\"type\": \"dense\", \"units\": 2}"), LS_ERROR_INVALID_DOCUMENT,
    ": layers[0]: missing required key “activation”" },
  { "missing units", WITH_LAYERS ("{\"type\": \"dense\", \"activation\": \"relu\"}"), LS_ERROR_INVALID_DOCUMENT,
    ": layers[0]: missing required key “units”" },
  { "units 0", WITH_LAYERS ("{\"type\": \"dense\", \"units\": 0, \"activation\": \"relu\"}"),
    LS_ERROR_INVALID_SHAPE, ": layers[0].units: expected 1 to 1048576 units, found 0" },
  { "units over limit", WITH_LAYERS ("{\"type\": \"dense\", \"units\": 1048577, \"activation\": \"relu\"}"),
    LS_ERROR_INVALID_SHAPE, ": layers[0].units: expected 1 to 1048576 units, found 1048577" },
  { "units string", WITH_LAYERS ("{\"type\": \"dense\", \"units\": \"2\", \"activation\": \"relu\"}"),
    LS_ERROR_INVALID_DOCUMENT, ": layers[0].units: expected an integer, found the string “2”" },
  { "units 4.0", WITH_LAYERS ("{\"type\": \"dense\", \"units\": 4.0, \"activation\": \"relu\"}"),
    LS_ERROR_INVALID_DOCUMENT,
    ": layers[0].units: expected an integer, found 4.0 (a number with a decimal point or exponent)" },
  { "units exponent", WITH_LAYERS ("{\"type\": \"dense\", \"units\": 2e0, \"activation\": \"relu\"}"),
    LS_ERROR_INVALID_DOCUMENT, ": layers[0].units: expected an integer, found 2.0 (a number with" },
  /* JsonParser wraps -(2^64 - 2) around to 2, and -(10^20 - 1) to 1. */
  { "units wrapping to 2", WITH_LAYERS ("{\"type\": \"dense\", \"units\": -18446744073709551614, "
                                        "\"activation\": \"relu\"}"),
    LS_ERROR_INVALID_VALUE,
    ": layers[0].units: the integer -18446744073709551614 is outside the range of 64-bit integers, "
    "-9223372036854775808 to 9223372036854775807" },
  { "units wrapping to 1", WITH_LAYERS ("{\"type\": \"dense\", \"units\": -99999999999999999999, "
                                        "\"activation\": \"relu\"}"),
    LS_ERROR_INVALID_VALUE, ": layers[0].units: the integer -99999999999999999999 is outside the range" },
  { "units long integer", WITH_LAYERS ("{\"type\": \"dense\", \"units\": " DIGITS_310 ", "
                                       "\"activation\": \"relu\"}"),
    LS_ERROR_INVALID_VALUE,
    ": layers[0].units: the integer " DIGITS_40 "… is outside the range of 64-bit integers, "
    "-9223372036854775808 to 9223372036854775807" },
  { "too many parameters",
    HEADER "\"input\": {\"shape\": [4096]}, \"layers\": [{\"type\": \"dense\", \"units\": 4096, \"activation\": \"relu\"}]}",
    LS_ERROR_INVALID_SHAPE,
    ": layers[0]: 4096 inputs and 4096 units make 16781312 weights and biases, over the maximum of 16777216 per layer" },
  /* Four layers of 4096·4095 + 4095 = 16,777,215 and 4095·4095 + 4095 =
   * 16,773,120 parameters hold 67,096,575; the fifth passes 2^26. */
  { "too many parameters in the network",
    HEADER "\"input\": {\"shape\": [4096]}, \"layers\": ["
    "{\"type\": \"dense\", \"units\": 4095, \"activation\": \"relu\"}, "
    "{\"type\": \"dense\", \"units\": 4095, \"activation\": \"relu\"}, "
    "{\"type\": \"dense\", \"units\": 4095, \"activation\": \"relu\"}, "
    "{\"type\": \"dense\", \"units\": 4095, \"activation\": \"relu\"}, "
    "{\"type\": \"dense\", \"units\": 4095, \"activation\": \"relu\"}]}",
    LS_ERROR_INVALID_SHAPE,
    ": layers[4]: the layers up to this one have 83869695 weights and biases, "
    "over the maximum of 67108864 for a whole network" },
  { "weights rows", WITH_LAYERS (DENSE (", \"weights\": [[1, 2], [3, 4]]")), LS_ERROR_INVALID_SHAPE,
    ": layers[0].weights: expected 3 rows of 2 numbers, found 2 rows" },
  { "weights rows singular",
    HEADER "\"input\": {\"shape\": [1]}, \"layers\": [{\"type\": \"dense\", \"units\": 1, "
    "\"activation\": \"relu\", \"weights\": []}]}",
    LS_ERROR_INVALID_SHAPE, ": layers[0].weights: expected 1 row of 1 number, found 0 rows" },
  { "weights columns singular",
    HEADER "\"input\": {\"shape\": [1]}, \"layers\": [{\"type\": \"dense\", \"units\": 1, "
    "\"activation\": \"relu\", \"weights\": [[1, 2]]}]}",
    LS_ERROR_INVALID_SHAPE, ": layers[0].weights[0]: expected 1 number, one per unit, found 2" },
  { "weights integer over int64", WITH_LAYERS (DENSE ("") ", " DENSE (", \"weights\": [[1, 2], [3, 4]], "
                                                             "\"bias\": [0, 0]")
                                               ", " DENSE (", \"name\": \"w\", \"weights\": [[1, 0], "
                                                           "[2, -9223372036854775809]]")),
    LS_ERROR_INVALID_VALUE, ": layers[2].weights[1][1]: the integer -9223372036854775809 is outside the range" },
  { "weights columns", WITH_LAYERS (DENSE (", \"weights\": [[1, 2], [3, 4, 5], [6, 7]]")), LS_ERROR_INVALID_SHAPE,
    ": layers[0].weights[1]: expected 2 numbers, one per unit, found 3" },
  { "weights not array", WITH_LAYERS (DENSE (", \"weights\": 1")), LS_ERROR_INVALID_DOCUMENT,
    ": layers[0].weights: expected an array, found 1" },
  { "weights row not array", WITH_LAYERS (DENSE (", \"weights\": [[1, 2], 3, [4, 5]]")), LS_ERROR_INVALID_DOCUMENT,
    ": layers[0].weights[1]: expected an array, found 3" },
  { "weights element null", WITH_LAYERS (DENSE (", \"weights\": [[1, 2], [3, 4], [5, null]]")),
    LS_ERROR_INVALID_DOCUMENT, ": layers[0].weights[2][1]: expected a number, found null" },
  { "weights element over float", WITH_LAYERS (DENSE (", \"weights\": [[1, 2], [3, -3.5e38], [5, 6]]")),
    LS_ERROR_INVALID_VALUE, ": layers[0].weights[1][1]: -3.5e38 is a number beyond the float range (±3.4028235e38)" },
  { "bias length", WITH_LAYERS (DENSE (", \"bias\": [1, 2, 3]")), LS_ERROR_INVALID_SHAPE,
    ": layers[0].bias: expected 2 biases, one per unit, found 3" },
  { "bias length singular",
    HEADER INPUT3 "\"layers\": [{\"type\": \"dense\", \"units\": 1, \"activation\": \"relu\", "
    "\"bias\": [1, 2]}]}",
    LS_ERROR_INVALID_SHAPE, ": layers[0].bias: expected 1 bias, one per unit, found 2" },
  { "bias element bool", WITH_LAYERS (DENSE (", \"bias\": [1, true]")), LS_ERROR_INVALID_DOCUMENT,
    ": layers[0].bias[1]: expected a number, found true" },
  { "layer labels count", WITH_LAYERS (DENSE (", \"labels\": [\"Cat\"]")), LS_ERROR_INVALID_SHAPE,
    ": layers[0].labels: expected 2 labels, one per unit, found 1" },
  { "layer labels count singular",
    HEADER INPUT3 "\"layers\": [{\"type\": \"dense\", \"units\": 1, \"activation\": \"relu\", "
    "\"labels\": []}]}",
    LS_ERROR_INVALID_SHAPE, ": layers[0].labels: expected 1 label, one per unit, found 0" },
  { "layer name lone surrogate", WITH_LAYERS (DENSE (", \"name\": \"\\ud83dab\"")), LS_ERROR_INVALID_DOCUMENT,
    ": layers[0].name: the text is not valid UTF-8" },
  { "layer name not string", WITH_LAYERS (DENSE (", \"name\": 3")), LS_ERROR_INVALID_DOCUMENT,
    ": layers[0].name: expected a string, found 3" },
  { "init not object", WITH_LAYERS (DENSE (", \"init\": \"he\"")), LS_ERROR_INVALID_DOCUMENT,
    ": layers[0].init: expected an object, found the string “he”" },
  { "init scheme unknown", WITH_LAYERS (DENSE (", \"init\": {\"scheme\": \"lecun\"}")), LS_ERROR_INVALID_DOCUMENT,
    ": layers[0].init.scheme: unknown scheme “lecun”; known schemes are he and xavier" },
  { "init seed negative", WITH_LAYERS (DENSE (", \"init\": {\"seed\": -1}")), LS_ERROR_INVALID_DOCUMENT,
    ": layers[0].init.seed: expected a seed from 0 to 9223372036854775807, found -1" },
  /* G_MININT64 is read exactly, so the seed's own range check rejects it. */
  { "init seed minimum int64", WITH_LAYERS (DENSE (", \"init\": {\"seed\": -9223372036854775808}")),
    LS_ERROR_INVALID_DOCUMENT,
    ": layers[0].init.seed: expected a seed from 0 to 9223372036854775807, found -9223372036854775808" },
  /* JsonParser reads 2^63 as G_MININT64. */
  { "init seed over int64", WITH_LAYERS (DENSE (", \"init\": {\"seed\": 9223372036854775808}")),
    LS_ERROR_INVALID_VALUE,
    ": layers[0].init.seed: the integer 9223372036854775808 is outside the range of 64-bit integers, "
    "-9223372036854775808 to 9223372036854775807" },
  { "unknown key over int64", HEADER "\"extra\": {\"count\": 18446744073709551616}}", LS_ERROR_INVALID_VALUE,
    ": extra.count: the integer 18446744073709551616 is outside the range" },
  { "escaped key over int64", HEADER "\"a\\\"b\": [{}, 18446744073709551616]}", LS_ERROR_INVALID_VALUE,
    ": a\\\"b[1]: the integer 18446744073709551616 is outside the range" },
  { "top-level number", "18446744073709551616", LS_ERROR_INVALID_VALUE,
    ": the integer 18446744073709551616 is outside the range" },
};

static void
assert_bad_document (const char  *text,
                     gssize       length,
                     LsError      code,
                     const char  *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LsNetwork) network = ls_document_load_data (text, length, "test.json", &error);
  g_autofree char *expected = g_strconcat ("test.json", message, NULL);

  g_assert_null (network);
  g_assert_error (error, LS_ERROR, (int) code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (!g_str_has_prefix (error->message, expected))
    g_error ("expected a message starting with\n  %s\nbut got\n  %s", expected, error->message);
}

static void
test_load_bad_documents (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_documents); i++)
    {
      g_test_message ("case: %s", bad_documents[i].name);
      assert_bad_document (bad_documents[i].text, -1, bad_documents[i].code, bad_documents[i].message);
    }
}

/* The message that ls-document.h gives as its example, in full. */
static void
test_load_message_format (void)
{
  const char *text =
    HEADER INPUT3 "\"layers\": [{\"type\": \"dense\", \"units\": 4, \"activation\": \"relu\"},"
    "{\"type\": \"dense\", \"units\": 2, \"activation\": \"softmax\", \"weights\": [[1, 2], [3, 4], [5, 6]]}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(LsNetwork) network = ls_document_load_data (text, -1, "cat.json", &error);

  g_assert_null (network);
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
  g_assert_cmpstr (error->message, ==, "cat.json: layers[1].weights: expected 4 rows of 2 numbers, found 3 rows");
}

/* Documents too large to write out in the table. */
static void
test_load_bad_sizes (void)
{
  g_autoptr(GString) layers = g_string_new (HEADER "\"input\": {\"shape\": [2]}, \"layers\": [");
  g_autofree char *long_title = g_strnfill (LS_MAX_LABEL_LENGTH + 1, 'x');
  g_autofree char *long_description = g_strnfill (LS_MAX_DESCRIPTION_LENGTH + 1, 'x');
  g_autofree char *title_document = NULL;
  g_autofree char *description_document = NULL;
  g_autofree char *label_document = NULL;
  g_autofree char *name_document = NULL;

  for (int i = 0; i <= LS_MAX_LAYERS; i++)
    g_string_append (layers, i > 0 ? ", " DENSE ("") : DENSE (""));
  g_string_append (layers, "]}");
  assert_bad_document (layers->str, -1, LS_ERROR_INVALID_SHAPE, ": layers: expected 1 to 64 layers, found 65");

  title_document = g_strdup_printf (HEADER "\"title\": \"%s\"}", long_title);
  assert_bad_document (title_document, -1, LS_ERROR_INVALID_DOCUMENT,
                       ": title: the text is 257 bytes long, over the maximum of 256 bytes");

  description_document = g_strdup_printf (HEADER "\"description\": \"%s\"}", long_description);
  assert_bad_document (description_document, -1, LS_ERROR_INVALID_DOCUMENT,
                       ": description: the text is 65537 bytes long, over the maximum of 65536 bytes");

  label_document = g_strdup_printf (WITH_INPUT ("{\"shape\": [1], \"labels\": [\"%s\"]}"), long_title);
  assert_bad_document (label_document, -1, LS_ERROR_INVALID_DOCUMENT,
                       ": input.labels[0]: the text is 257 bytes long, over the maximum of 256 bytes");

  name_document = g_strdup_printf (WITH_LAYERS (DENSE (", \"name\": \"%s\"")), long_title);
  assert_bad_document (name_document, -1, LS_ERROR_INVALID_DOCUMENT,
                       ": layers[0].name: the text is 257 bytes long, over the maximum of 256 bytes");
}

/* The integers at the ends of the gint64 range are read exactly, as the
 * json-glib 1.6 check in the table above shows for the next ones out. */
static void
test_load_int64_boundaries (void)
{
  g_autoptr(LsNetwork) network = NULL;
  const LsLayer *layer;

  network = load_text (HEADER "\"extra\": [-9223372036854775808, -0], "
                       "\"input\": {\"shape\": [1], \"values\": [9223372036854775807]}, "
                       "\"layers\": [" DENSE (", \"init\": {\"seed\": 9223372036854775807}") "]}");
  layer = ls_network_get_layer (network, 0);
  g_assert_cmpuint (layer->init.seed, ==, G_MAXINT64);

  /* 2^63 - 1 rounds to 2^63 = 0x1p63 as a float. */
  g_assert_cmpfloat (ls_network_get_input (network)[0], ==, 0x1p63f);
}

/* Text inside strings and comments is no number, and a single-quoted
 * string, which JsonParser accepts, cannot hide brackets from the nesting
 * check. */
static void
test_load_scan_skips_text (void)
{
  g_autofree char *opening = g_strnfill (100, '[');
  g_autofree char *closing = g_strnfill (100, ']');
  g_autofree char *hidden_nesting = NULL;
  g_autoptr(LsNetwork) network = NULL;

  network = load_text (HEADER "\"title\": \"010 0x10 99999999999999999999 \\\" 1e400\", "
                       "/* 99999999999999999999 \" */ " INPUT3 "\"layers\": [" DENSE ("") "]}");
  g_assert_cmpstr (ls_network_get_title (network), ==, "010 0x10 99999999999999999999 \" 1e400");

  hidden_nesting = g_strdup_printf (HEADER "\"extra\": ['\"', %s%s]}", opening, closing);
  assert_bad_document (hidden_nesting, -1, LS_ERROR_INVALID_DOCUMENT,
                       ": arrays and objects are nested more than 64 levels deep");
}

/* A NUL byte inside the given length makes JsonParser report only "JSON
 * data must be UTF-8 encoded". */
static void
test_load_nul_byte (void)
{
  const char text[] = HEADER "\n \"title\": \"a\0b\", " INPUT3 "\"layers\": [" DENSE ("") "]}";

  assert_bad_document (text, sizeof text - 1, LS_ERROR_INVALID_DOCUMENT,
                       ":2:13: the file contains a NUL byte, which JSON text cannot contain");
}

/* JsonParser recurses per level, so deep nesting must be rejected before
 * it parses anything; brackets inside strings do not count. */
static void
test_load_deep_nesting (void)
{
  g_autofree char *deep = g_strnfill (1000000, '[');
  g_autofree char *in_string = NULL;
  g_autofree char *brackets = g_strnfill (200, '[');
  g_autoptr(LsNetwork) network = NULL;

  assert_bad_document (deep, -1, LS_ERROR_INVALID_DOCUMENT,
                       ": arrays and objects are nested more than 64 levels deep");

  in_string = g_strdup_printf (HEADER "\"title\": \"\\\"%s\", " INPUT3 "\"layers\": [" DENSE ("") "]}", brackets);
  network = load_text (in_string);
  g_assert_true (g_str_has_suffix (ls_network_get_title (network), "[["));

  /* The top-level object is level 1, so 63 arrays inside it reach 64. */
  for (guint arrays = 63; arrays <= 64; arrays++)
    {
      g_autofree char *opening = g_strnfill (arrays, '[');
      g_autofree char *closing = g_strnfill (arrays, ']');
      const char *text = WITH_LAYERS (DENSE (""));
      g_autofree char *nested = g_strdup_printf ("%.*s, \"extra\": %s%s}",
                                                 (int) strlen (text) - 1, text, opening, closing);
      g_autoptr(GError) error = NULL;
      g_autoptr(LsNetwork) loaded = ls_document_load_data (nested, -1, "test.json", &error);

      if (arrays == 63)
        g_assert_no_error (error);
      else
        g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT);
    }
}

/* An explicit length stops reading there, even before a NUL. */
static void
test_load_explicit_length (void)
{
  const char *text = WITH_LAYERS (DENSE ("")) "garbage";
  g_autoptr(GError) error = NULL;
  g_autoptr(LsNetwork) network = ls_document_load_data (text, strlen (text) - strlen ("garbage"), "t", &error);

  g_assert_no_error (error);
  g_assert_nonnull (network);
  assert_bad_document (text, 10, LS_ERROR_INVALID_DOCUMENT, ":1:");
}

static void
test_load_file_errors (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *missing_path = g_build_filename (dir, "missing.json", NULL);
  g_autofree char *empty_path = g_build_filename (dir, "empty.json", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr(GFile) empty = g_file_new_for_path (empty_path);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *folder_name = g_path_get_basename (dir);
  g_autofree char *folder_prefix = g_strconcat (folder_name, ": ", NULL);

  g_assert_null (ls_document_load_file (missing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, "missing.json: "));
  g_assert_nonnull (strstr (error->message, "No such file or directory"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (empty_path, "", 0, NULL));
  g_assert_null (ls_document_load_file (empty, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT);
  g_assert_true (g_str_has_prefix (error->message, "empty.json: the file is empty"));
  g_clear_error (&error);

  /* Root can read every file, so a directory takes the place of an unreadable one. */
  g_assert_null (ls_document_load_file (folder, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_true (g_str_has_prefix (error->message, folder_prefix));

  remove_tree (dir);
}

/* ---------------------------------------------------------------------
 * Image inputs and conv2d, pooling and flatten layers
 * --------------------------------------------------------------------- */

#define HEADER2 "{\"format\": \"layerscope-network\", \"version\": 2, "

/* Every layer kind and every padding mode, in the writer's layout. The
 * shapes by hand: [1, 4, 4]; conv "same" 3×3 gives [2, 4, 4]; 2×2 max
 * pooling [2, 2, 2]; a 1×2 kernel with 1 row of padding above and below
 * (2 + 2 − 1 + 1 = 4 rows, 2 − 2 + 1 = 1 column) [1, 4, 1]; 2×1 average
 * pooling with stride 1 [1, 3, 1]; a 1×1 kernel with stride 2 down
 * ((3 − 1) / 2 + 1 = 2) [1, 2, 1]; flatten [2]; dense [2]. */
static const char image_layout_document[] =
  "{\n"
  "  \"format\": \"layerscope-network\",\n"
  "  \"version\": 2,\n"
  "  \"title\": \"Every kind\",\n"
  "  \"dataset\": {\"name\": \"digits\", \"split\": \"test\", \"samples\": 360, \"correct\": 351},\n"
  "  \"input\": {\n"
  "    \"shape\": [1, 4, 4],\n"
  "    \"values\": [\n"
  "      0, 0.25, 0.5, 0.75,\n"
  "      1, 0, 0, 0,\n"
  "      0, 0, 1e-30, 0,\n"
  "      0, 0, 0, -1\n"
  "    ]\n"
  "  },\n"
  "  \"layers\": [\n"
  "    {\n"
  "      \"type\": \"conv2d\",\n"
  "      \"name\": \"edges\",\n"
  "      \"filters\": 2,\n"
  "      \"kernel\": [3, 3],\n"
  "      \"stride\": [1, 1],\n"
  "      \"padding\": \"same\",\n"
  "      \"activation\": \"relu\",\n"
  "      \"init\": {\"scheme\": \"he\", \"seed\": 1},\n"
  "      \"labels\": [\"vertical\", \"horizontal\"],\n"
  "      \"weights\": [\n"
  "        [\n"
  "          [[1, 0, -1], [2, 0, -2], [1, 0, -1]]\n"
  "        ],\n"
  "        [\n"
  "          [[1, 2, 1], [0, 0, 0], [-1, -2, -1]]\n"
  "        ]\n"
  "      ],\n"
  "      \"bias\": [0.1, -0.0]\n"
  "    },\n"
  "    {\n"
  "      \"type\": \"maxpool2d\",\n"
  "      \"name\": \"pool\",\n"
  "      \"size\": [2, 2],\n"
  "      \"stride\": [2, 2]\n"
  "    },\n"
  "    {\n"
  "      \"type\": \"conv2d\",\n"
  "      \"filters\": 1,\n"
  "      \"kernel\": [1, 2],\n"
  "      \"stride\": [1, 1],\n"
  "      \"padding\": [1, 0],\n"
  "      \"activation\": \"identity\",\n"
  "      \"init\": {\"scheme\": \"xavier\", \"seed\": 3},\n"
  "      \"weights\": [\n"
  "        [\n"
  "          [[0.5, 0.25]],\n"
  "          [[3.4028235e38, 3]]\n"
  "        ]\n"
  "      ],\n"
  "      \"bias\": [0]\n"
  "    },\n"
  "    {\n"
  "      \"type\": \"avgpool2d\",\n"
  "      \"size\": [2, 1],\n"
  "      \"stride\": [1, 1]\n"
  "    },\n"
  "    {\n"
  "      \"type\": \"conv2d\",\n"
  "      \"filters\": 1,\n"
  "      \"kernel\": [1, 1],\n"
  "      \"stride\": [2, 1],\n"
  "      \"padding\": \"valid\",\n"
  "      \"activation\": \"sigmoid\",\n"
  "      \"init\": {\"scheme\": \"xavier\", \"seed\": 5},\n"
  "      \"weights\": [\n"
  "        [\n"
  "          [[2]]\n"
  "        ]\n"
  "      ],\n"
  "      \"bias\": [-1]\n"
  "    },\n"
  "    {\n"
  "      \"type\": \"flatten\"\n"
  "    },\n"
  "    {\n"
  "      \"type\": \"dense\",\n"
  "      \"units\": 2,\n"
  "      \"activation\": \"softmax\",\n"
  "      \"init\": {\"scheme\": \"xavier\", \"seed\": 7},\n"
  "      \"labels\": [\"yes\", \"no\"],\n"
  "      \"weights\": [\n"
  "        [1, 2],\n"
  "        [3, 4]\n"
  "      ],\n"
  "      \"bias\": [0, 0]\n"
  "    }\n"
  "  ]\n"
  "}\n";

static void
test_image_save_layout (void)
{
  g_autoptr(LsNetwork) network = load_text (image_layout_document);
  const char * const shapes[] = {
    "[2, 4, 4]", "[2, 2, 2]", "[1, 4, 1]", "[1, 3, 1]", "[1, 2, 1]", "[2]", "[2]"
  };
  g_autofree char *text = NULL;

  g_assert_cmpuint (ls_network_get_n_layers (network), ==, G_N_ELEMENTS (shapes));
  for (gsize i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autofree char *shape = ls_shape_to_string (&ls_network_get_layer (network, i)->output_shape);

      g_assert_cmpstr (shape, ==, shapes[i]);
    }

  text = ls_document_to_data (network, NULL);
  g_assert_cmpstr (text, ==, image_layout_document);
}

static void
test_image_round_trip (void)
{
  g_autoptr(LsNetwork) network = load_text (image_layout_document);
  g_autoptr(LsNetwork) reloaded = reload (network);
  const LsLayer *conv = ls_network_get_layer (network, 0);

  assert_networks_identical (network, reloaded);

  /* -0.0 keeps its sign, and the labels name the filters. */
  g_assert_true (signbit (conv->bias[1]));
  g_assert_cmpstr (ls_layer_get_label (conv, 1), ==, "horizontal");
}

/* A single number stands for a pair, a missing stride is 1 for conv2d
 * and the window size for pooling, and a missing padding is "valid". The
 * writer writes each as a pair or a name. Shapes by hand: [1, 5, 5];
 * 3×3 with 1 row and column of padding [1, 5, 5]; 2×2 valid [1, 4, 4];
 * 2×2 max pooling [1, 2, 2]; 1×1 average pooling [1, 2, 2]; flatten [4]. */
static void
test_image_short_options (void)
{
  g_autoptr(LsNetwork) network = load_text (
    HEADER2 "\"input\": {\"shape\": [1, 5, 5]}, \"layers\": ["
    "{\"type\": \"conv2d\", \"filters\": 1, \"kernel\": 3, \"padding\": 1, \"activation\": \"relu\"},"
    "{\"type\": \"conv2d\", \"filters\": 1, \"kernel\": [2, 2], \"activation\": \"relu\"},"
    "{\"type\": \"maxpool2d\", \"size\": 2},"
    "{\"type\": \"avgpool2d\", \"size\": [1, 1], \"stride\": 1},"
    "{\"type\": \"flatten\"}]}");
  const LsLayer *padded = ls_network_get_layer (network, 0);
  const LsLayer *valid = ls_network_get_layer (network, 1);
  const LsLayer *max_pool = ls_network_get_layer (network, 2);
  const LsLayer *avg_pool = ls_network_get_layer (network, 3);
  g_autofree char *text = ls_document_to_data (network, NULL);
  g_autoptr(LsNetwork) reloaded = reload (network);

  g_assert_cmpint (padded->window.padding_mode, ==, LS_PADDING_EXPLICIT);
  g_assert_cmpuint (padded->window.kernel[1], ==, 3);
  g_assert_cmpuint (padded->window.stride[0], ==, 1);
  g_assert_cmpuint (padded->window.padding[1], ==, 1);
  g_assert_cmpuint (padded->window.padding_after[0], ==, 1);
  g_assert_cmpint (valid->window.padding_mode, ==, LS_PADDING_VALID);
  g_assert_cmpuint (valid->window.padding_after[1], ==, 0);
  g_assert_cmpuint (max_pool->window.stride[0], ==, 2);
  g_assert_cmpuint (max_pool->window.stride[1], ==, 2);
  g_assert_cmpuint (avg_pool->window.stride[1], ==, 1);
  g_assert_cmpuint (ls_layer_get_outputs (ls_network_get_output_layer (network)), ==, 4);

  g_assert_nonnull (strstr (text, "\"kernel\": [3, 3],\n      \"stride\": [1, 1],\n      \"padding\": [1, 1],\n"));
  g_assert_nonnull (strstr (text, "\"kernel\": [2, 2],\n      \"stride\": [1, 1],\n      \"padding\": \"valid\",\n"));
  g_assert_nonnull (strstr (text, "\"size\": [2, 2],\n      \"stride\": [2, 2]\n"));
  g_assert_nonnull (strstr (text, "\"size\": [1, 1],\n      \"stride\": [1, 1]\n"));
  assert_networks_identical (network, reloaded);
}

/* "same" with an even kernel puts the extra row and column after, as
 * PyTorch does: a 4×2 kernel needs 3 rows and 1 column of padding, so 1
 * row goes above and 2 below, 0 columns left and 1 right. */
static void
test_image_same_even_kernel (void)
{
  g_autoptr(LsNetwork) network = load_text (
    HEADER2 "\"input\": {\"shape\": [1, 5, 5]}, \"layers\": ["
    "{\"type\": \"conv2d\", \"filters\": 3, \"kernel\": [4, 2], \"padding\": \"same\", \"activation\": \"relu\"}]}");
  const LsLayer *conv = ls_network_get_layer (network, 0);
  g_autofree char *shape = ls_shape_to_string (&conv->output_shape);

  g_assert_cmpint (conv->window.padding_mode, ==, LS_PADDING_SAME);
  g_assert_cmpuint (conv->window.padding[0], ==, 1);
  g_assert_cmpuint (conv->window.padding_after[0], ==, 2);
  g_assert_cmpuint (conv->window.padding[1], ==, 0);
  g_assert_cmpuint (conv->window.padding_after[1], ==, 1);
  g_assert_cmpstr (shape, ==, "[3, 5, 5]");
}

/* weights[f][c][row][column] lands at ((f·C + c)·kh + row)·kw + column,
 * PyTorch's Conv2d layout, checked with values that encode their indices. */
static void
test_image_conv_weight_order (void)
{
  g_autoptr(LsNetwork) network = load_text (
    HEADER2 "\"input\": {\"shape\": [2, 3, 3]}, \"layers\": ["
    "{\"type\": \"conv2d\", \"filters\": 2, \"kernel\": [2, 3], \"activation\": \"identity\", \"weights\": ["
    "[[[0, 1, 2], [10, 11, 12]], [[100, 101, 102], [110, 111, 112]]],"
    "[[[1000, 1001, 1002], [1010, 1011, 1012]], [[1100, 1101, 1102], [1110, 1111, 1112]]]],"
    "\"bias\": [7, 8]}]}");
  const LsLayer *conv = ls_network_get_layer (network, 0);

  for (gsize f = 0; f < 2; f++)
    for (gsize c = 0; c < 2; c++)
      for (gsize row = 0; row < 2; row++)
        for (gsize column = 0; column < 3; column++)
          {
            float expected = f * 1000 + c * 100 + row * 10 + column;

            g_assert_cmpfloat (conv->weights[((f * 2 + c) * 2 + row) * 3 + column], ==, expected);
            g_assert_cmpfloat (ls_layer_get_kernel (conv, f, c)[row * 3 + column], ==, expected);
          }
  g_assert_cmpfloat (conv->bias[1], ==, 8.0f);
}

/* The kernel's rows run down the image. By hand, input 1…9 row by row,
 * kernel [[1, 2], [3, 4]] and bias 0.5 without padding:
 *   top left     1·1 + 2·2 + 3·4 + 4·5 + 0.5 = 37.5
 *   top right    1·2 + 2·3 + 3·5 + 4·6 + 0.5 = 47.5
 *   bottom left  1·4 + 2·5 + 3·7 + 4·8 + 0.5 = 67.5
 *   bottom right 1·5 + 2·6 + 3·8 + 4·9 + 0.5 = 77.5 */
static void
test_image_conv_forward (void)
{
  g_autoptr(LsNetwork) network = load_text (
    HEADER2 "\"input\": {\"shape\": [1, 3, 3], \"values\": [1, 2, 3, 4, 5, 6, 7, 8, 9]}, \"layers\": ["
    "{\"type\": \"conv2d\", \"filters\": 1, \"kernel\": 2, \"activation\": \"identity\","
    " \"weights\": [[[[1, 2], [3, 4]]]], \"bias\": [0.5]}]}");
  const float expected[] = { 37.5f, 47.5f, 67.5f, 77.5f };

  assert_floats_identical (ls_network_get_output (network), expected, G_N_ELEMENTS (expected));
}

/* A dense layer reads an image-shaped input flat, in [c][h][w] order: with
 * input [[[1, 2]], [[3, 4]]] and weights 1, 10, 100 and 1000 the unit sums
 * 1 + 20 + 300 + 4000 = 4321. */
static void
test_image_dense_flattens (void)
{
  g_autoptr(LsNetwork) network = load_text (
    HEADER2 "\"input\": {\"shape\": [2, 1, 2], \"values\": [1, 2, 3, 4]}, \"layers\": ["
    "{\"type\": \"dense\", \"units\": 1, \"activation\": \"identity\", \"weights\": [[1], [10], [100], [1000]]}]}");
  g_autoptr(LsNetwork) reloaded = reload (network);

  g_assert_cmpfloat (ls_network_get_output (network)[0], ==, 4321.0f);
  assert_networks_identical (network, reloaded);
}

static void
test_load_dataset (void)
{
  g_autoptr(LsNetwork) network = load_text (image_layout_document);
  g_autoptr(LsNetwork) plain = load_example ();
  const LsEvaluation *evaluation = ls_network_get_evaluation (network);
  g_autofree char *plain_text = ls_document_to_data (plain, NULL);

  g_assert_cmpstr (evaluation->name, ==, "digits");
  g_assert_cmpstr (evaluation->split, ==, "test");
  g_assert_cmpuint (evaluation->samples, ==, 360);
  g_assert_cmpuint (evaluation->correct, ==, 351);

  g_assert_null (ls_network_get_evaluation (plain)->name);
  g_assert_null (strstr (plain_text, "\"dataset\""));
}

/* The writer writes version 1 unless the network needs version 2, and
 * the loader reads the features of version 2 in a version 1 document too. */
static void
test_save_version (void)
{
  g_autoptr(LsNetwork) dense = load_example ();
  g_autoptr(LsNetwork) image = load_text (image_layout_document);
  g_autoptr(LsNetwork) image_dense = load_text (
    HEADER "\"input\": {\"shape\": [1, 2, 2]}, \"layers\": [" DENSE ("") "]}");
  g_autoptr(LsNetwork) image_version_1 = load_text (
    HEADER "\"input\": {\"shape\": [1, 2, 2]}, \"layers\": [{\"type\": \"flatten\"}]}");
  g_autoptr(LsNetwork) dense_version_2 = load_text (
    HEADER2 "\"input\": {\"shape\": [2]}, \"layers\": [" DENSE ("") "]}");
  LsNetwork *networks[] = { dense, image, image_dense, image_version_1, dense_version_2 };
  const char *versions[] = { "1", "2", "2", "2", "1" };

  for (guint i = 0; i < G_N_ELEMENTS (networks); i++)
    {
      g_autofree char *text = ls_document_to_data (networks[i], NULL);
      g_autofree char *line = g_strdup_printf ("\n  \"version\": %s,\n", versions[i]);

      g_test_message ("network %u", i);
      g_assert_nonnull (strstr (text, line));
    }
}

/* Every example loads, and saving it, loading the result and saving again
 * gives the same text. */
static void
test_round_trip_examples (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", NULL);
  g_autoptr(GError) error = NULL;
  GDir *examples = g_dir_open (dir, 0, &error);
  const char *name;
  guint count = 0;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (examples)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(LsNetwork) network = NULL;
      g_autoptr(LsNetwork) reloaded = NULL;
      g_autofree char *first = NULL;
      g_autofree char *second = NULL;

      if (!g_str_has_suffix (name, ".json"))
        continue;

      g_test_message ("example %s", name);
      network = ls_document_load_file (file, &error);
      g_assert_no_error (error);
      first = ls_document_to_data (network, NULL);
      reloaded = load_text (first);
      second = ls_document_to_data (reloaded, NULL);
      g_assert_cmpstr (first, ==, second);
      assert_networks_identical (network, reloaded);
      count++;
    }
  g_dir_close (examples);

  /* cat-or-dog.json and greater-than-five.json at least. */
  g_assert_cmpuint (count, >=, 2);
}

#define IMAGE_INPUT "\"input\": {\"shape\": [1, 4, 4]}, "
#define CONV(extra) "{\"type\": \"conv2d\", \"filters\": 2, \"kernel\": 3, \"activation\": \"relu\"" extra "}"
#define WITH_IMAGE_LAYERS(layers) HEADER2 IMAGE_INPUT "\"layers\": [" layers "]}"
#define WITH_IMAGE_INPUT(input) HEADER2 "\"input\": " input ", \"layers\": [{\"type\": \"flatten\"}]}"
#define KERNEL_3X3 "[[1, 2, 3], [4, 5, 6], [7, 8, 9]]"

static const BadDocument bad_image_documents[] = {
  { "image shape 0", WITH_IMAGE_INPUT ("{\"shape\": [1, 0, 4]}"), LS_ERROR_INVALID_SHAPE,
    ": input.shape[1]: expected a size from 1 to 1048576, found 0" },
  { "image shape too large", WITH_IMAGE_INPUT ("{\"shape\": [64, 512, 512]}"), LS_ERROR_INVALID_SHAPE,
    ": input.shape: [64, 512, 512] makes 16777216 values, over the maximum of 1048576" },
  { "image values count", WITH_IMAGE_INPUT ("{\"shape\": [1, 2, 2], \"values\": [1, 2, 3]}"),
    LS_ERROR_INVALID_SHAPE, ": input.values: expected 4 values, as input.shape says, found 3" },
  { "image values nested", WITH_IMAGE_INPUT ("{\"shape\": [1, 2, 2], \"values\": [[[1, 2], [3, 4]]]}"),
    LS_ERROR_INVALID_SHAPE,
    ": input.values: expected one flat list of 4 numbers in [channels][height][width] order, found "
    "nested arrays; write all values in a single list" },
  { "image labels", WITH_IMAGE_INPUT ("{\"shape\": [1, 1, 2], \"labels\": [\"a\", \"b\"]}"),
    LS_ERROR_INVALID_DOCUMENT,
    ": input.labels: labels are allowed for a vector input only, but this input is an image of shape "
    "[1, 1, 2]; remove “labels”" },
  { "missing filters", WITH_IMAGE_LAYERS ("{\"type\": \"conv2d\", \"kernel\": 3, \"activation\": \"relu\"}"),
    LS_ERROR_INVALID_DOCUMENT, ": layers[0]: missing required key “filters”" },
  { "filters 0", WITH_IMAGE_LAYERS ("{\"type\": \"conv2d\", \"filters\": 0, \"kernel\": 3, \"activation\": \"relu\"}"),
    LS_ERROR_INVALID_SHAPE, ": layers[0].filters: expected 1 to 1048576 filters, found 0" },
  { "missing kernel", WITH_IMAGE_LAYERS ("{\"type\": \"conv2d\", \"filters\": 2, \"activation\": \"relu\"}"),
    LS_ERROR_INVALID_DOCUMENT, ": layers[0]: missing required key “kernel”" },
  { "kernel 0", WITH_IMAGE_LAYERS ("{\"type\": \"conv2d\", \"filters\": 2, \"kernel\": 0, \"activation\": \"relu\"}"),
    LS_ERROR_INVALID_SHAPE, ": layers[0].kernel: expected a kernel size from 1 to 1024, found 0" },
  { "kernel pair 0", WITH_IMAGE_LAYERS ("{\"type\": \"conv2d\", \"filters\": 2, \"kernel\": [3, 0], "
                                        "\"activation\": \"relu\"}"),
    LS_ERROR_INVALID_SHAPE, ": layers[0].kernel[1]: expected a kernel size from 1 to 1024, found 0" },
  { "kernel 3 numbers", WITH_IMAGE_LAYERS ("{\"type\": \"conv2d\", \"filters\": 2, \"kernel\": [3, 3, 3], "
                                           "\"activation\": \"relu\"}"),
    LS_ERROR_INVALID_SHAPE,
    ": layers[0].kernel: expected a pair [height, width] such as [3, 3], or one number for both, "
    "found an array of 3 elements" },
  { "kernel string", WITH_IMAGE_LAYERS ("{\"type\": \"conv2d\", \"filters\": 2, \"kernel\": [3, \"3\"], "
                                        "\"activation\": \"relu\"}"),
    LS_ERROR_INVALID_DOCUMENT, ": layers[0].kernel[1]: expected an integer, found the string “3”" },
  { "kernel object", WITH_IMAGE_LAYERS ("{\"type\": \"conv2d\", \"filters\": 2, \"kernel\": {}, "
                                        "\"activation\": \"relu\"}"),
    LS_ERROR_INVALID_DOCUMENT,
    ": layers[0].kernel: expected an integer or a pair such as [3, 3], found an object" },
  { "kernel larger than input", WITH_IMAGE_LAYERS ("{\"type\": \"conv2d\", \"filters\": 2, \"kernel\": 5, "
                                                   "\"activation\": \"relu\"}"),
    LS_ERROR_INVALID_SHAPE,
    ": layers[0]: The 5×5 window is larger than the input [1, 4, 4] (4 in height with padding)" },
  { "stride 0", WITH_IMAGE_LAYERS (CONV (", \"stride\": 0")), LS_ERROR_INVALID_SHAPE,
    ": layers[0].stride: expected a stride from 1 to 1024, found 0" },
  { "stride over limit", WITH_IMAGE_LAYERS (CONV (", \"stride\": [1, 1025]")), LS_ERROR_INVALID_SHAPE,
    ": layers[0].stride[1]: expected a stride from 1 to 1024, found 1025" },
  { "padding middle", WITH_IMAGE_LAYERS (CONV (", \"padding\": \"middle\"")), LS_ERROR_INVALID_DOCUMENT,
    ": layers[0].padding: unknown padding “middle”; use “same”, “valid”, a pair [rows, columns] "
    "such as [1, 1], or one number for both" },
  { "padding negative", WITH_IMAGE_LAYERS (CONV (", \"padding\": -1")), LS_ERROR_INVALID_SHAPE,
    ": layers[0].padding: expected a padding from 0 to 1024, found -1" },
  { "padding true", WITH_IMAGE_LAYERS (CONV (", \"padding\": true")), LS_ERROR_INVALID_DOCUMENT,
    ": layers[0].padding: expected an integer, found true" },
  { "same with stride 2", WITH_IMAGE_LAYERS (CONV (", \"padding\": \"same\", \"stride\": 2")),
    LS_ERROR_INVALID_SHAPE, ": layers[0]: Padding \"same\" needs a stride of 1, not 2×2" },
  /* (4 + 0 − 3) = 1 is not a multiple of the stride 2. */
  { "non-integer output size", WITH_IMAGE_LAYERS (CONV (", \"stride\": [1, 2]")), LS_ERROR_INVALID_SHAPE,
    ": layers[0]: A 3×3 window with stride 1×2 does not fit the input [1, 4, 4] a whole number of times "
    "in width (4 − 3 is not a multiple of 2)" },
  { "conv after vector input", WITH_LAYERS (CONV ("")), LS_ERROR_INVALID_SHAPE,
    ": layers[0]: the conv2d layer needs an image-shaped input [channels, height, width], but its input "
    "has the shape [3]; place it on an image input, before any flatten or dense layer" },
  { "pool after flatten", WITH_IMAGE_LAYERS ("{\"type\": \"flatten\"}, {\"type\": \"maxpool2d\", \"size\": 2}"),
    LS_ERROR_INVALID_SHAPE,
    ": layers[1]: the maxpool2d layer needs an image-shaped input [channels, height, width], but its "
    "input has the shape [16]" },
  { "pool missing size", WITH_IMAGE_LAYERS ("{\"type\": \"avgpool2d\"}"), LS_ERROR_INVALID_DOCUMENT,
    ": layers[0]: missing required key “size”" },
  { "pool size 3 numbers", WITH_IMAGE_LAYERS ("{\"type\": \"maxpool2d\", \"size\": [2, 2, 2]}"),
    LS_ERROR_INVALID_SHAPE,
    ": layers[0].size: expected a pair [height, width] such as [3, 3], or one number for both, "
    "found an array of 3 elements" },
  { "pool with padding", WITH_IMAGE_LAYERS ("{\"type\": \"maxpool2d\", \"size\": 2, \"padding\": 1}"),
    LS_ERROR_INVALID_DOCUMENT,
    ": layers[0].padding: pooling layers have no padding; remove the key, and pad the layer before "
    "with a convolution's padding instead" },
  { "pool size 0", WITH_IMAGE_LAYERS ("{\"type\": \"maxpool2d\", \"size\": [0, 2]}"), LS_ERROR_INVALID_SHAPE,
    ": layers[0].size[0]: expected a window size from 1 to 1024, found 0" },
  /* 4 − 3 = 1 is not a multiple of the default stride, the size 3. */
  { "pool non-integer output size", WITH_IMAGE_LAYERS ("{\"type\": \"avgpool2d\", \"size\": 3}"),
    LS_ERROR_INVALID_SHAPE,
    ": layers[0]: A 3×3 window with stride 3×3 does not fit the input [1, 4, 4] a whole number of "
    "times in height (4 − 3 is not a multiple of 3)" },
  { "weights flat", WITH_IMAGE_LAYERS (CONV (", \"weights\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9]")),
    LS_ERROR_INVALID_SHAPE,
    ": layers[0].weights: expected 2 filters of 1 channel of 3×3 numbers, as arrays nested 4 levels deep, "
    "[filters][channels][rows][columns]; found arrays nested 1 level deep" },
  { "weights one level short", WITH_IMAGE_LAYERS (CONV (", \"weights\": [" KERNEL_3X3 ", " KERNEL_3X3 "]")),
    LS_ERROR_INVALID_SHAPE,
    ": layers[0].weights: expected 2 filters of 1 channel of 3×3 numbers, as arrays nested 4 levels deep, "
    "[filters][channels][rows][columns]; found arrays nested 3 levels deep" },
  { "weights one level deep", WITH_IMAGE_LAYERS (CONV (", \"weights\": [[[" KERNEL_3X3 "]], [[" KERNEL_3X3 "]]]")),
    LS_ERROR_INVALID_SHAPE, ": layers[0].weights: expected 2 filters of 1 channel of 3×3 numbers, as arrays "
    "nested 4 levels deep, [filters][channels][rows][columns]; found arrays nested 5 levels deep" },
  { "weights second filter shallow", WITH_IMAGE_LAYERS (CONV (", \"weights\": [[" KERNEL_3X3 "], [1, 2, 3]]")),
    LS_ERROR_INVALID_DOCUMENT, ": layers[0].weights[1][0]: expected 3 rows of 3 numbers, found 1" },
  { "weights not array", WITH_IMAGE_LAYERS (CONV (", \"weights\": 1")), LS_ERROR_INVALID_DOCUMENT,
    ": layers[0].weights: expected 2 filters of 1 channel of 3×3 numbers, found 1" },
  { "weights filters", WITH_IMAGE_LAYERS (CONV (", \"weights\": [[" KERNEL_3X3 "]]")), LS_ERROR_INVALID_SHAPE,
    ": layers[0].weights: expected 2 filters of 1 channel of 3×3 numbers, found 1 filter" },
  { "weights channels", WITH_IMAGE_LAYERS (CONV (", \"weights\": [[" KERNEL_3X3 "], [" KERNEL_3X3 ", " KERNEL_3X3 "]]")),
    LS_ERROR_INVALID_SHAPE, ": layers[0].weights[1]: expected 1 channel of 3×3 numbers, found 2 channels" },
  { "weights rows", WITH_IMAGE_LAYERS (CONV (", \"weights\": [[" KERNEL_3X3 "], [[[1, 2, 3], [4, 5, 6]]]]")),
    LS_ERROR_INVALID_SHAPE, ": layers[0].weights[1][0]: expected 3 rows of 3 numbers, found 2 rows" },
  { "weights columns", WITH_IMAGE_LAYERS (CONV (", \"weights\": [[" KERNEL_3X3 "], [[[1, 2, 3], [4, 5], [7, 8, 9]]]]")),
    LS_ERROR_INVALID_SHAPE,
    ": layers[0].weights[1][0][1]: expected 3 numbers, one per kernel column, found 2" },
  { "weights not number", WITH_IMAGE_LAYERS (CONV (", \"weights\": [[" KERNEL_3X3 "], [[[1, 2, 3], [4, \"x\", 6], [7, 8, 9]]]]")),
    LS_ERROR_INVALID_DOCUMENT, ": layers[0].weights[1][0][1][1]: expected a number, found the string “x”" },
  { "conv bias count", WITH_IMAGE_LAYERS (CONV (", \"bias\": [1]")), LS_ERROR_INVALID_SHAPE,
    ": layers[0].bias: expected 2 biases, one per filter, found 1" },
  { "conv labels count", WITH_IMAGE_LAYERS (CONV (", \"labels\": [\"a\", \"b\", \"c\"]")), LS_ERROR_INVALID_SHAPE,
    ": layers[0].labels: expected 2 labels, one per filter, found 3" },
  { "conv too many parameters",
    HEADER2 "\"input\": {\"shape\": [1024, 1, 1]}, \"layers\": ["
    "{\"type\": \"conv2d\", \"filters\": 2048, \"kernel\": 3, \"activation\": \"relu\"}]}",
    LS_ERROR_INVALID_SHAPE,
    ": layers[0]: 2048 × 1024 × 3×3 weights (filters × channels × kernel), plus the biases, make more "
    "than the maximum of 16777216 parameters per layer; use fewer filters or a smaller kernel" },
  { "conv output too large",
    HEADER2 "\"input\": {\"shape\": [1, 32, 32]}, \"layers\": ["
    "{\"type\": \"conv2d\", \"filters\": 1025, \"kernel\": 3, \"padding\": \"same\", \"activation\": \"relu\"}]}",
    LS_ERROR_INVALID_SHAPE,
    ": layers[0]: the output shape [1025, 32, 32] has 1049600 values, over the maximum of 1048576" },
  { "dense after image rows", WITH_IMAGE_LAYERS (DENSE (", \"weights\": [[1, 2], [3, 4]]")), LS_ERROR_INVALID_SHAPE,
    ": layers[0].weights: expected 16 rows of 2 numbers, one row per value of the [1, 4, 4] input in "
    "[c][h][w] order, found 2 rows" },
  { "dataset not object", HEADER2 "\"dataset\": \"digits\"}", LS_ERROR_INVALID_DOCUMENT,
    ": dataset: expected an object, found the string “digits”" },
  { "dataset missing name", HEADER2 "\"dataset\": {\"split\": \"test\", \"samples\": 1, \"correct\": 1}}",
    LS_ERROR_INVALID_DOCUMENT, ": dataset: missing required key “name”" },
  { "dataset missing split", HEADER2 "\"dataset\": {\"name\": \"digits\", \"samples\": 1, \"correct\": 1}}",
    LS_ERROR_INVALID_DOCUMENT, ": dataset: missing required key “split”" },
  { "dataset samples 0", HEADER2 "\"dataset\": {\"name\": \"digits\", \"split\": \"test\", \"samples\": 0, "
                         "\"correct\": 0}}",
    LS_ERROR_INVALID_DOCUMENT, ": dataset.samples: expected a sample count of 1 or more, found 0" },
  { "dataset correct over samples", HEADER2 "\"dataset\": {\"name\": \"digits\", \"split\": \"test\", "
                                    "\"samples\": 10, \"correct\": 11}}",
    LS_ERROR_INVALID_DOCUMENT,
    ": dataset.correct: expected 0 to 10 correctly classified samples, at most dataset.samples, found 11" },
  { "dataset correct fractional", HEADER2 "\"dataset\": {\"name\": \"digits\", \"split\": \"test\", "
                                  "\"samples\": 10, \"correct\": 9.5}}",
    LS_ERROR_INVALID_DOCUMENT, ": dataset.correct: expected an integer, found 9.5" },
};

static void
test_load_bad_image_documents (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_image_documents); i++)
    {
      g_test_message ("case: %s", bad_image_documents[i].name);
      assert_bad_document (bad_image_documents[i].text, -1, bad_image_documents[i].code,
                           bad_image_documents[i].message);
    }
}

/* A FIFO would block the read until a writer appeared, and /dev/zero
 * would never end, so neither may be opened. */
static void
test_load_special_files (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *fifo_path = g_build_filename (dir, "pipe.json", NULL);
  g_autoptr(GFile) fifo = g_file_new_for_path (fifo_path);
  g_autoptr(GFile) zero = g_file_new_for_path ("/dev/zero");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (mkfifo (fifo_path, 0600), ==, 0);
  g_assert_null (ls_document_load_file (fifo, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_true (g_str_has_prefix (error->message, "pipe.json: this is a device, FIFO or socket "
                                                   "rather than a regular file"));
  g_clear_error (&error);

  if (g_file_test ("/dev/zero", G_FILE_TEST_EXISTS))
    {
      g_assert_null (ls_document_load_file (zero, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
      g_assert_true (g_str_has_prefix (error->message, "zero: "));
    }

  remove_tree (dir);
}

/* A sparse file one byte over the limit is rejected from its size alone:
 * reading 2 GiB of zeros would take seconds, and its memory shows up in
 * a sanitizer build. */
static void
test_load_size_limit (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "huge.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_strdup_printf ("huge.json: the file is %" G_GUINT64_FORMAT " bytes long, "
                                               "over the maximum of %" G_GUINT64_FORMAT " bytes for a document",
                                               LS_DOCUMENT_MAX_FILE_SIZE + 1, LS_DOCUMENT_MAX_FILE_SIZE);
  int fd = g_open (path, O_WRONLY | O_CREAT, 0600);

  g_assert_cmpint (fd, >=, 0);
  if (ftruncate (fd, LS_DOCUMENT_MAX_FILE_SIZE + 1) != 0)
    {
      close (fd);
      remove_tree (dir);
      g_test_skip ("the file system cannot hold a 2 GiB sparse file");
      return;
    }
  close (fd);

  g_assert_null (ls_document_load_file (file, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT);
  g_assert_cmpstr (error->message, ==, expected);

  remove_tree (dir);
}

/* ---------------------------------------------------------------------
 * Text inputs and token layers
 * --------------------------------------------------------------------- */

#define HEADER3 "{\"format\": \"layerscope-network\", \"version\": 3, "
/* A vocabulary of 4 words, so the embedding table has 4 rows of d = 2. */
#define VOCABULARY "[\"[UNK]\", \"good\", \"bad\", \"not\"]"
#define TEXT_INPUT(text, max_tokens) \
  "\"input\": {\"kind\": \"tokens\", \"text\": \"" text "\", \"vocabulary\": " VOCABULARY \
  ", \"max_tokens\": " max_tokens "}, "
#define EMBEDDING "{\"type\": \"embedding\", \"dim\": 2, \"table\": [[0, 0], [1, 0], [0, 1], [1, 1]]}"
#define POOL "{\"type\": \"pool_tokens\", \"mode\": \"mean\"}"
#define WITH_TOKEN_LAYERS(layers) HEADER3 TEXT_INPUT ("not good", "4") "\"layers\": [" layers "]}"
#define BETWEEN(layer) WITH_TOKEN_LAYERS (EMBEDDING ", " layer ", " POOL)
#define WITH_TOKEN_INPUT(input) HEADER3 "\"input\": " input ", \"layers\": [" EMBEDDING ", " POOL "]}"
#define SQUARE_2 "[[1, 0], [0, 1]]"

/* Every key of the five token kinds, a learned positional table, a causal
 * attention layer and a residual dense layer on the sequence. */
static const char token_document[] =
  HEADER3 "\"title\": \"Tokens\", "
  "\"input\": {\"kind\": \"tokens\", \"text\": \"Not good, not bad!\", \"vocabulary\": " VOCABULARY
  ", \"max_tokens\": 8}, \"layers\": ["
  "{\"type\": \"embedding\", \"name\": \"words\", \"dim\": 4, \"init\": {\"scheme\": \"he\", \"seed\": 9}, "
  "\"table\": [[0, 0, 0, 0], [0.5, -1, 0.25, 2], [-0.5, 1, 0.75, -2], [1, 1, -1, 1e-3]]}, "
  "{\"type\": \"positional\", \"encoding\": \"learned\", \"table\": [[0.1, 0, 0, 0], [0, 0.1, 0, 0], "
  "[0, 0, 0.1, 0], [0, 0, 0, 0.1], [0.1, 0.1, 0, 0], [0, 0.1, 0.1, 0], [0, 0, 0.1, 0.1], [0.2, 0, 0, 0]]}, "
  "{\"type\": \"attention\", \"heads\": 2, \"causal\": true, \"residual\": true, "
  "\"wq\": [[1, 0, 0.5, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0.25, 0, 0, 1]], \"bq\": [0.1, 0, 0, 0], "
  "\"wk\": [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]], \"bk\": [0, 0.2, 0, 0], "
  "\"wv\": [[2, 0, 0, 0], [0, 2, 0, 0], [0, 0, 2, 0], [0, 0, 0, 2]], \"bv\": [0, 0, 0.3, 0], "
  "\"wo\": [[1, 0, 0, 0], [0, -1, 0, 0], [0, 0, 1, 0], [0, 0, 0, -1]], \"bo\": [0, 0, 0, 0.4]}, "
  "{\"type\": \"layernorm\", \"eps\": 0.001, \"gamma\": [1, 2, 3, 4], \"beta\": [0, -1, 0, 1]}, "
  "{\"type\": \"dense\", \"units\": 4, \"activation\": \"tanh\", \"residual\": true, \"weights\": "
  "[[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], \"bias\": [0, 0, 0, -0.5]}, "
  "{\"type\": \"pool_tokens\", \"mode\": \"first\"}, "
  "{\"type\": \"dense\", \"units\": 2, \"activation\": \"softmax\", \"labels\": [\"negative\", \"positive\"], "
  "\"weights\": [[1, -1], [0.5, 0], [0, 0.5], [-1, 1]], \"bias\": [0, 0.1]}]}";

/* Saving, loading and saving again gives the same text, the same network
 * and the same forward pass. */
static void
test_tokens_round_trip (void)
{
  g_autoptr(LsNetwork) network = load_text (token_document);
  g_autofree char *first = ls_document_to_data (network, NULL);
  g_autoptr(LsNetwork) reloaded = load_text (first);
  g_autofree char *second = ls_document_to_data (reloaded, NULL);

  g_assert_cmpstr (first, ==, second);
  assert_networks_identical (network, reloaded);
  g_assert_cmpuint (ls_network_get_n_tokens (reloaded), ==, 6);
  for (gsize i = 0; i < ls_network_get_n_layers (network); i++)
    {
      const LsLayer *a = ls_network_get_layer (network, i);
      const LsLayer *b = ls_network_get_layer (reloaded, i);

      assert_floats_identical (a->activation_output, b->activation_output, ls_layer_get_outputs (a));
    }
  g_assert_cmpuint (ls_network_get_output_size (reloaded), ==, 2);
  assert_floats_identical (ls_network_get_output (network), ls_network_get_output (reloaded), 2);
}

/* The values that the document gives reach the layers, in the stored
 * order of ls-layer.h. */
static void
test_tokens_load_values (void)
{
  g_autoptr(LsNetwork) network = load_text (token_document);
  const LsLayer *embedding = ls_network_get_layer (network, 0);
  const LsLayer *positional = ls_network_get_layer (network, 1);
  const LsLayer *attention = ls_network_get_layer (network, 2);
  const LsLayer *layernorm = ls_network_get_layer (network, 3);
  const LsLayer *dense = ls_network_get_layer (network, 4);

  g_assert_cmpstr (ls_network_get_text (network), ==, "Not good, not bad!");
  g_assert_cmpuint (ls_network_get_max_tokens (network), ==, 8);
  g_assert_cmpstr (embedding->name, ==, "words");
  g_assert_cmpuint (embedding->rows, ==, 4);
  g_assert_cmpuint (embedding->init.seed, ==, 9);
  g_assert_cmpfloat (embedding->weights[3 * 4 + 3], ==, 1e-3f);
  g_assert_cmpint (positional->encoding, ==, LS_POSITIONAL_LEARNED);
  g_assert_cmpuint (positional->rows, ==, 8);
  g_assert_cmpfloat (positional->weights[7 * 4], ==, 0.2f);
  g_assert_cmpuint (attention->heads, ==, 2);
  g_assert_true (attention->causal);
  g_assert_true (attention->residual);
  g_assert_cmpfloat (ls_layer_get_attention_matrix (attention, LS_ATTENTION_QUERY)[3 * 4], ==, 0.25f);
  g_assert_cmpfloat (ls_layer_get_attention_matrix (attention, LS_ATTENTION_OUTPUT)[1 * 4 + 1], ==, -1.0f);
  g_assert_cmpfloat (ls_layer_get_attention_bias (attention, LS_ATTENTION_KEY)[1], ==, 0.2f);
  g_assert_cmpfloat (ls_layer_get_attention_bias (attention, LS_ATTENTION_OUTPUT)[3], ==, 0.4f);
  g_assert_cmpfloat (layernorm->eps, ==, 0.001f);
  g_assert_cmpfloat (layernorm->weights[3], ==, 4.0f);
  g_assert_cmpfloat (layernorm->bias[1], ==, -1.0f);
  g_assert_true (dense->residual);
  assert_shapes_equal (&dense->output_shape, &(LsShape) { .rank = 2, .dims = { 6, 4 } });
  g_assert_cmpint (ls_network_get_layer (network, 5)->pooling, ==, LS_TOKEN_POOLING_FIRST);
}

/* Keys left out get their defaults: no causal mask, no residual, initial
 * attention weights from "init", gamma 1, beta 0 and eps 1e-5. */
static void
test_tokens_defaults (void)
{
  g_autoptr(LsNetwork) network = load_text (BETWEEN ("{\"type\": \"attention\", \"heads\": 1}, "
                                                     "{\"type\": \"layernorm\"}, "
                                                     "{\"type\": \"positional\", \"encoding\": \"sinusoidal\"}, "
                                                     "{\"type\": \"dense\", \"units\": 3, \"activation\": \"relu\"}"));
  const LsLayer *attention = ls_network_get_layer (network, 1);
  const LsLayer *layernorm = ls_network_get_layer (network, 2);
  const LsLayer *dense = ls_network_get_layer (network, 4);
  gboolean any_nonzero = FALSE;

  g_assert_false (attention->causal);
  g_assert_false (attention->residual);
  g_assert_cmpuint (attention->init.seed, ==, 2);
  for (gsize i = 0; i < ls_layer_get_n_weights (attention); i++)
    any_nonzero |= attention->weights[i] != 0.0f;
  g_assert_true (any_nonzero);
  g_assert_cmpfloat (layernorm->eps, ==, 1e-5f);
  g_assert_cmpfloat (layernorm->weights[0], ==, 1.0f);
  g_assert_cmpfloat (layernorm->bias[1], ==, 0.0f);
  g_assert_false (dense->residual);
  assert_shapes_equal (&dense->output_shape, &(LsShape) { .rank = 2, .dims = { 2, 3 } });
}

/* A token network saves as version 3, and so does a residual dense layer
 * on a vector. A dense network without one stays at version 1. */
static void
test_tokens_save_version (void)
{
  g_autoptr(LsNetwork) tokens = load_text (token_document);
  g_autoptr(LsNetwork) residual = load_text (
    HEADER "\"input\": {\"shape\": [2]}, \"layers\": [" DENSE (", \"residual\": true") "]}");
  g_autoptr(LsNetwork) plain = load_text (
    HEADER "\"input\": {\"shape\": [2]}, \"layers\": [" DENSE (", \"residual\": false") "]}");
  g_autofree char *tokens_text = ls_document_to_data (tokens, NULL);
  g_autofree char *residual_text = ls_document_to_data (residual, NULL);
  g_autofree char *plain_text = ls_document_to_data (plain, NULL);

  g_assert_nonnull (strstr (tokens_text, "\n  \"version\": 3,\n"));
  g_assert_nonnull (strstr (residual_text, "\n  \"version\": 3,\n"));
  g_assert_nonnull (strstr (residual_text, "\"residual\": true"));
  g_assert_nonnull (strstr (plain_text, "\n  \"version\": 1,\n"));
  g_assert_null (strstr (plain_text, "residual"));
}

/* Returns a copy of the golden object's member at a path of keys. */
static JsonNode *
copy_golden (JsonObject *object,
             const char *key)
{
  return json_node_copy (json_object_get_member (object, key));
}

static void
add_member_copies (JsonObject         *to,
                   JsonObject         *from,
                   const char * const *keys)
{
  for (guint i = 0; keys[i] != NULL; i++)
    json_object_set_member (to, keys[i], copy_golden (from, keys[i]));
}

static JsonObject *
new_layer_object (const char *type)
{
  JsonObject *layer = json_object_new ();

  json_object_set_string_member (layer, "type", type);

  return layer;
}

/* Builds the text input of a golden block: the vocabulary "[UNK]", "w1",
 * "w2", … and a text whose tokens have the block's ids, with "oov", a
 * word outside the vocabulary, for id 0. */
static JsonObject *
new_golden_input (JsonObject *block)
{
  JsonObject *input = json_object_new ();
  JsonArray *vocabulary = json_array_new ();
  JsonArray *ids = json_object_get_array_member (block, "token_ids");
  g_autoptr(GString) text = g_string_new (NULL);

  json_array_add_string_element (vocabulary, "[UNK]");
  for (gint64 i = 1; i < json_object_get_int_member (block, "vocabulary"); i++)
    {
      g_autofree char *word = g_strdup_printf ("w%" G_GINT64_FORMAT, i);

      json_array_add_string_element (vocabulary, word);
    }
  for (guint t = 0; t < json_array_get_length (ids); t++)
    {
      gint64 id = json_array_get_int_element (ids, t);

      if (t > 0)
        g_string_append_c (text, ' ');
      if (id == 0)
        g_string_append (text, "oov");
      else
        g_string_append_printf (text, "w%" G_GINT64_FORMAT, id);
    }

  json_object_set_string_member (input, "kind", "tokens");
  json_object_set_string_member (input, "text", text->str);
  json_object_set_array_member (input, "vocabulary", vocabulary);
  json_object_set_int_member (input, "max_tokens", 16);

  return input;
}

/* Builds the layers of a golden block, in its order. */
static JsonArray *
new_golden_layers (JsonObject *block)
{
  static const char * const attention_keys[] = {
    "heads", "causal", "residual", "wq", "bq", "wk", "bk", "wv", "bv", "wo", "bo", NULL
  };
  static const char * const layernorm_keys[] = { "eps", "gamma", "beta", NULL };
  static const char * const dense_keys[] = { "units", "activation", "residual", "weights", "bias", NULL };
  static const char * const output_keys[] = { "units", "activation", "weights", "bias", NULL };
  JsonArray *layers = json_array_new ();
  JsonObject *layer;

  layer = new_layer_object ("embedding");
  json_object_set_int_member (layer, "dim", json_object_get_int_member (block, "d"));
  json_object_set_member (layer, "table", copy_golden (json_object_get_object_member (block, "embedding"), "table"));
  json_array_add_object_element (layers, layer);

  layer = new_layer_object ("positional");
  json_object_set_string_member (layer, "encoding", "sinusoidal");
  json_array_add_object_element (layers, layer);

  layer = new_layer_object ("attention");
  add_member_copies (layer, json_object_get_object_member (block, "attention"), attention_keys);
  json_array_add_object_element (layers, layer);

  layer = new_layer_object ("layernorm");
  add_member_copies (layer, json_object_get_object_member (block, "layernorm"), layernorm_keys);
  json_array_add_object_element (layers, layer);

  layer = new_layer_object ("dense");
  add_member_copies (layer, json_object_get_object_member (block, "dense"), dense_keys);
  json_array_add_object_element (layers, layer);

  layer = new_layer_object ("pool_tokens");
  json_object_set_string_member (layer, "mode", json_object_get_string_member (
                                   json_object_get_object_member (block, "pool_tokens"), "mode"));
  json_array_add_object_element (layers, layer);

  layer = new_layer_object ("dense");
  add_member_copies (layer, json_object_get_object_member (block, "output"), output_keys);
  json_array_add_object_element (layers, layer);

  return layers;
}

static char *
build_golden_document (JsonObject *block)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "format", "layerscope-network");
  json_object_set_int_member (object, "version", 3);
  json_object_set_object_member (object, "input", new_golden_input (block));
  json_object_set_array_member (object, "layers", new_golden_layers (block));
  json_node_take_object (root, object);

  return json_to_string (root, TRUE);
}

/* Compares values with the golden nested list, flattened, within 1e-5. */
static void
assert_close_to_golden (const float *values,
                        gsize        n,
                        JsonNode    *golden)
{
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (float));
  GQueue pending = G_QUEUE_INIT;

  g_queue_push_tail (&pending, golden);
  while (!g_queue_is_empty (&pending))
    {
      JsonNode *node = g_queue_pop_head (&pending);

      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          for (guint i = json_array_get_length (array); i > 0; i--)
            g_queue_push_head (&pending, json_array_get_element (array, i - 1));
        }
      else
        {
          float value = json_node_get_double (node);

          g_array_append_val (expected, value);
        }
    }

  g_assert_cmpuint (expected->len, ==, n);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (values[i], g_array_index (expected, float, i), 1e-5);
}

/* A document built from each "blocks" case of tests/data/attention-golden.json,
 * written by tools/make-attention-golden.py with PyTorch, loads and gives
 * that file's outputs for every layer and the attention weights. */
static void
test_tokens_golden_blocks (void)
{
  static const char * const steps[] = {
    "embedding", "positional", "attention", "layernorm", "dense", "pool_tokens", "output"
  };
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "attention-golden.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *blocks;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  blocks = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "blocks");
  g_assert_cmpuint (json_array_get_length (blocks), >=, 1);

  for (guint b = 0; b < json_array_get_length (blocks); b++)
    {
      JsonObject *block = json_array_get_object_element (blocks, b);
      g_autofree char *document = build_golden_document (block);
      g_autoptr(LsNetwork) network = load_text (document);
      const LsLayer *attention = ls_network_get_layer (network, 2);
      JsonObject *golden_attention = json_object_get_object_member (block, "attention");

      g_test_message ("block %s", json_object_get_string_member (block, "name"));
      g_assert_cmpuint (ls_network_get_n_layers (network), ==, G_N_ELEMENTS (steps));
      for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
        {
          const LsLayer *layer = ls_network_get_layer (network, i);
          JsonObject *step = json_object_get_object_member (block, steps[i]);

          assert_close_to_golden (layer->activation_output, ls_layer_get_outputs (layer),
                                  json_object_get_member (step, "output"));
        }
      assert_close_to_golden (attention->attention_weights,
                              attention->heads * ls_layer_get_tokens (attention) * ls_layer_get_tokens (attention),
                              json_object_get_member (golden_attention, "attention_weights"));
    }
}

static const BadDocument bad_token_documents[] = {
  { "input kind", WITH_TOKEN_INPUT ("{\"kind\": \"words\"}"), LS_ERROR_INVALID_DOCUMENT,
    ": input.kind: unknown input kind “words”" },
  { "missing text", WITH_TOKEN_INPUT ("{\"kind\": \"tokens\", \"vocabulary\": " VOCABULARY ", \"max_tokens\": 4}"),
    LS_ERROR_INVALID_DOCUMENT, ": input: missing required key “text”" },
  { "missing vocabulary", WITH_TOKEN_INPUT ("{\"kind\": \"tokens\", \"text\": \"good\", \"max_tokens\": 4}"),
    LS_ERROR_INVALID_DOCUMENT, ": input: missing required key “vocabulary”" },
  { "missing max_tokens", WITH_TOKEN_INPUT ("{\"kind\": \"tokens\", \"text\": \"good\", \"vocabulary\": " VOCABULARY "}"),
    LS_ERROR_INVALID_DOCUMENT, ": input: missing required key “max_tokens”" },
  { "max_tokens 0", HEADER3 TEXT_INPUT ("good", "0") "\"layers\": [" EMBEDDING "]}", LS_ERROR_INVALID_SHAPE,
    ": input.max_tokens: expected a token limit from 1 to 256, found 0" },
  { "max_tokens 300", HEADER3 TEXT_INPUT ("good", "300") "\"layers\": [" EMBEDDING "]}", LS_ERROR_INVALID_SHAPE,
    ": input.max_tokens: expected a token limit from 1 to 256, found 300" },
  { "text over max_tokens", HEADER3 TEXT_INPUT ("not good, not bad", "4") "\"layers\": [" EMBEDDING "]}",
    LS_ERROR_INVALID_SHAPE, ": input.text: The text has 5 tokens, more than the maximum of 4" },
  { "empty text", HEADER3 TEXT_INPUT (" ", "4") "\"layers\": [" EMBEDDING "]}",
    LS_ERROR_INVALID_SHAPE, ": input.text: The text has no tokens" },
  { "text not a string", WITH_TOKEN_INPUT ("{\"kind\": \"tokens\", \"text\": 5, \"vocabulary\": " VOCABULARY
                                           ", \"max_tokens\": 4}"),
    LS_ERROR_INVALID_DOCUMENT, ": input.text: expected a string, found 5" },
  { "vocabulary without [UNK]",
    WITH_TOKEN_INPUT ("{\"kind\": \"tokens\", \"text\": \"good\", \"vocabulary\": [\"good\", \"bad\"], \"max_tokens\": 4}"),
    LS_ERROR_INVALID_DOCUMENT, ": input.vocabulary: The vocabulary has no “[UNK]” word" },
  { "vocabulary duplicate",
    WITH_TOKEN_INPUT ("{\"kind\": \"tokens\", \"text\": \"good\", \"vocabulary\": [\"[UNK]\", \"good\", \"good\"], "
                      "\"max_tokens\": 4}"),
    LS_ERROR_INVALID_DOCUMENT, ": input.vocabulary: The word “good” at index 2 repeats the word at index 1" },
  { "vocabulary word of two tokens",
    WITH_TOKEN_INPUT ("{\"kind\": \"tokens\", \"text\": \"good\", \"vocabulary\": [\"[UNK]\", \"very good\"], "
                      "\"max_tokens\": 4}"),
    LS_ERROR_INVALID_DOCUMENT, ": input.vocabulary: The word “very good” at index 1 contains whitespace" },
  { "vocabulary empty", WITH_TOKEN_INPUT ("{\"kind\": \"tokens\", \"text\": \"good\", \"vocabulary\": [], \"max_tokens\": 4}"),
    LS_ERROR_INVALID_SHAPE, ": input.vocabulary: expected 1 to 65536 words, one of them “[UNK]”, found 0" },
  { "vocabulary word not a string",
    WITH_TOKEN_INPUT ("{\"kind\": \"tokens\", \"text\": \"good\", \"vocabulary\": [\"[UNK]\", 7], \"max_tokens\": 4}"),
    LS_ERROR_INVALID_DOCUMENT, ": input.vocabulary[1]: expected a string, found 7" },
  { "text input with labels",
    WITH_TOKEN_INPUT ("{\"kind\": \"tokens\", \"text\": \"good\", \"vocabulary\": " VOCABULARY
                      ", \"max_tokens\": 4, \"labels\": [\"a\"]}"),
    LS_ERROR_INVALID_DOCUMENT, ": input.labels: a text input has no “labels”" },
  { "embedding output over the limit",
    HEADER3 TEXT_INPUT ("good good", "4") "\"layers\": [{\"type\": \"embedding\", \"dim\": 524289, "
    "\"table\": [[0], [0], [0], [0]]}]}",
    LS_ERROR_INVALID_SHAPE, ": layers[0]: The output [2, 524289] would have more than the maximum" },
  { "flatten on tokens", WITH_TOKEN_LAYERS (EMBEDDING ", {\"type\": \"flatten\"}"), LS_ERROR_INVALID_SHAPE,
    ": layers[1]: Layer 2 (Flatten): A flatten layer cannot read the token sequence [2, 2]" },
  { "first layer not embedding", WITH_TOKEN_LAYERS (POOL), LS_ERROR_INVALID_SHAPE,
    ": layers[0]: a text input is a list of token ids, so the first layer must be an embedding layer, "
    "found a layer of type “pool_tokens”" },
  { "embedding not first", WITH_TOKEN_LAYERS (EMBEDDING ", " EMBEDDING), LS_ERROR_INVALID_SHAPE,
    ": layers[1]: an embedding layer reads the token ids of a text input, so it must be the first layer" },
  { "embedding on a vector", HEADER3 "\"input\": {\"shape\": [2]}, \"layers\": [" EMBEDDING "]}",
    LS_ERROR_INVALID_SHAPE, ": layers[0]: an embedding layer reads token ids, but the input is not text" },
  { "embedding rows", WITH_TOKEN_LAYERS ("{\"type\": \"embedding\", \"dim\": 2, \"table\": [[0, 0], [1, 0], [0, 1]]}"),
    LS_ERROR_INVALID_SHAPE, ": layers[0].table: expected 4 rows, one per word of input.vocabulary, found 3" },
  { "embedding columns",
    WITH_TOKEN_LAYERS ("{\"type\": \"embedding\", \"dim\": 2, \"table\": [[0, 0], [1, 0], [0, 1, 2], [1, 1]]}"),
    LS_ERROR_INVALID_SHAPE, ": layers[0].table[2]: expected 2 numbers, one per feature, found 3" },
  { "embedding missing table", WITH_TOKEN_LAYERS ("{\"type\": \"embedding\", \"dim\": 2}"),
    LS_ERROR_INVALID_DOCUMENT, ": layers[0]: missing required key “table”" },
  { "embedding dim 0", WITH_TOKEN_LAYERS ("{\"type\": \"embedding\", \"dim\": 0, \"table\": [[]]}"),
    LS_ERROR_INVALID_SHAPE, ": layers[0].dim: expected 1 to 1048576 features per token, found 0" },
  { "embedding value beyond float",
    WITH_TOKEN_LAYERS ("{\"type\": \"embedding\", \"dim\": 2, \"table\": [[0, 0], [1, 1e39], [0, 1], [1, 1]]}"),
    LS_ERROR_INVALID_VALUE, ": layers[0].table[1][1]: 1e39 is a number beyond the float range" },
  { "heads not dividing d", BETWEEN ("{\"type\": \"attention\", \"heads\": 3}"), LS_ERROR_INVALID_SHAPE,
    ": layers[1].heads: expected a number of heads that divides the 2 features of each token, such as 1 or 2, "
    "found 3" },
  { "heads 0", BETWEEN ("{\"type\": \"attention\", \"heads\": 0}"), LS_ERROR_INVALID_SHAPE,
    ": layers[1].heads: expected 1 to 1048576 heads, found 0" },
  { "wq rows", BETWEEN ("{\"type\": \"attention\", \"heads\": 1, \"wq\": [[1, 0]]}"), LS_ERROR_INVALID_SHAPE,
    ": layers[1].wq: expected 2 rows, one per feature of the input, found 1" },
  { "wo columns", BETWEEN ("{\"type\": \"attention\", \"heads\": 1, \"wo\": [[1, 0], [0, 1, 2]]}"),
    LS_ERROR_INVALID_SHAPE, ": layers[1].wo[1]: expected 2 numbers, one per feature of the output, found 3" },
  { "bv size", BETWEEN ("{\"type\": \"attention\", \"heads\": 1, \"wv\": " SQUARE_2 ", \"bv\": [1, 2, 3]}"),
    LS_ERROR_INVALID_SHAPE, ": layers[1].bv: expected 2 numbers, one per feature, found 3" },
  { "bk not finite", BETWEEN ("{\"type\": \"attention\", \"heads\": 1, \"bk\": [1, -1e39]}"),
    LS_ERROR_INVALID_VALUE, ": layers[1].bk[1]: -1e39 is a number beyond the float range" },
  { "causal not boolean", BETWEEN ("{\"type\": \"attention\", \"heads\": 1, \"causal\": 1}"),
    LS_ERROR_INVALID_DOCUMENT, ": layers[1].causal: expected true or false, found 1" },
  { "attention on a vector", WITH_TOKEN_LAYERS (EMBEDDING ", " POOL ", {\"type\": \"attention\", \"heads\": 1}"),
    LS_ERROR_INVALID_SHAPE, ": layers[2]: The Attention layer needs a token sequence" },
  { "unknown encoding", BETWEEN ("{\"type\": \"positional\", \"encoding\": \"rotary\"}"), LS_ERROR_INVALID_DOCUMENT,
    ": layers[1].encoding: unknown encoding “rotary”; known encodings are sinusoidal, learned" },
  { "sinusoidal with table", BETWEEN ("{\"type\": \"positional\", \"encoding\": \"sinusoidal\", \"table\": []}"),
    LS_ERROR_INVALID_DOCUMENT, ": layers[1].table: a sinusoidal encoding is computed, so it takes no table" },
  { "learned rows", BETWEEN ("{\"type\": \"positional\", \"encoding\": \"learned\", \"table\": [[0, 0], [0, 0], [0, 0]]}"),
    LS_ERROR_INVALID_SHAPE, ": layers[1].table: expected 4 rows, one per position up to input.max_tokens, found 3" },
  { "learned columns",
    BETWEEN ("{\"type\": \"positional\", \"encoding\": \"learned\", \"table\": [[0, 0], [0], [0, 0], [0, 0]]}"),
    LS_ERROR_INVALID_SHAPE, ": layers[1].table[1]: expected 2 numbers, one per feature, found 1" },
  { "eps 0", BETWEEN ("{\"type\": \"layernorm\", \"eps\": 0}"), LS_ERROR_INVALID_VALUE,
    ": layers[1].eps: expected an epsilon above 0 and at most 1 (as a 32-bit float), found 0" },
  { "eps underflows", BETWEEN ("{\"type\": \"layernorm\", \"eps\": 1e-50}"), LS_ERROR_INVALID_VALUE,
    ": layers[1].eps: expected an epsilon above 0 and at most 1 (as a 32-bit float), found 1e-50" },
  { "gamma size", BETWEEN ("{\"type\": \"layernorm\", \"gamma\": [1, 1, 1]}"), LS_ERROR_INVALID_SHAPE,
    ": layers[1].gamma: expected 2 numbers, one per feature, found 3" },
  { "unknown pooling mode", WITH_TOKEN_LAYERS (EMBEDDING ", {\"type\": \"pool_tokens\", \"mode\": \"max\"}"),
    LS_ERROR_INVALID_DOCUMENT, ": layers[1].mode: unknown mode “max”; known modes are mean, first" },
  { "dense rows on a sequence",
    BETWEEN ("{\"type\": \"dense\", \"units\": 2, \"activation\": \"relu\", \"weights\": [[1, 0], [0, 1], [1, 1]]}"),
    LS_ERROR_INVALID_SHAPE, ": layers[1].weights: expected 2 rows of 2 numbers, one row per feature of each token, "
    "found 3 rows" },
  { "dense residual units", BETWEEN ("{\"type\": \"dense\", \"units\": 3, \"activation\": \"relu\", \"residual\": true}"),
    LS_ERROR_INVALID_SHAPE, ": layers[1].residual: a residual layer adds its input to its output, so it needs as "
    "many units as its input has features (2), found 3 units" },
  { "dense residual not boolean", BETWEEN ("{\"type\": \"dense\", \"units\": 2, \"activation\": \"relu\", \"residual\": \"yes\"}"),
    LS_ERROR_INVALID_DOCUMENT, ": layers[1].residual: expected true or false, found the string “yes”" },
};

/* Token layers in an image network, which has no token sequence. */
static const BadDocument bad_token_image_documents[] = {
  { "positional in an image network",
    HEADER3 "\"input\": {\"shape\": [1, 2, 2]}, \"layers\": [{\"type\": \"positional\", \"encoding\": \"sinusoidal\"}]}",
    LS_ERROR_INVALID_SHAPE, ": layers[0]: The Positional encoding layer needs a token sequence [tokens, features], "
    "but gets [1, 2, 2]" },
  { "pool_tokens in an image network",
    HEADER3 "\"input\": {\"shape\": [1, 2, 2]}, \"layers\": [{\"type\": \"flatten\"}, "
    "{\"type\": \"pool_tokens\", \"mode\": \"mean\"}]}",
    LS_ERROR_INVALID_SHAPE, ": layers[1]: The Token pooling layer needs a token sequence [tokens, features], "
    "but gets [4]" },
  { "learned positional in an image network",
    HEADER3 "\"input\": {\"shape\": [1, 2, 2]}, \"layers\": [{\"type\": \"positional\", \"encoding\": \"learned\", "
    "\"table\": [[0, 0]]}]}",
    LS_ERROR_INVALID_SHAPE, ": layers[0]: The Positional encoding layer needs a token sequence" },
  { "embedding in an image network",
    HEADER3 "\"input\": {\"shape\": [1, 2, 2]}, \"layers\": [" EMBEDDING "]}",
    LS_ERROR_INVALID_SHAPE, ": layers[0]: an embedding layer reads token ids, but the input is not text" },
};

static void
test_tokens_bad_documents (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_token_documents); i++)
    {
      g_test_message ("case: %s", bad_token_documents[i].name);
      assert_bad_document (bad_token_documents[i].text, -1, bad_token_documents[i].code,
                           bad_token_documents[i].message);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad_token_image_documents); i++)
    {
      g_test_message ("case: %s", bad_token_image_documents[i].name);
      assert_bad_document (bad_token_image_documents[i].text, -1, bad_token_image_documents[i].code,
                           bad_token_image_documents[i].message);
    }
}

/* Keys that no reader knows are ignored in a text input and token layers,
 * as everywhere else. */
static void
test_tokens_unknown_keys (void)
{
  g_autoptr(LsNetwork) network = load_text (
    HEADER3 "\"input\": {\"kind\": \"tokens\", \"text\": \"good\", \"vocabulary\": " VOCABULARY
    ", \"max_tokens\": 4, \"lowercase\": true}, \"layers\": [" EMBEDDING ", "
    "{\"type\": \"attention\", \"heads\": 2, \"dropout\": 0.1}, " POOL "]}");

  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 3);
  g_assert_cmpuint (ls_network_get_layer (network, 1)->heads, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/document/append-float/examples", test_append_float_examples);
  g_test_add_func ("/document/append-float/round-trip", test_append_float_round_trip);
  g_test_add_func ("/document/round-trip/example", test_round_trip_example);
  g_test_add_func ("/document/round-trip/awkward-floats", test_round_trip_awkward_floats);
  g_test_add_func ("/document/save/layout", test_save_layout);
  g_test_add_func ("/document/save/atomic-replace", test_save_replaces_atomically);
  g_test_add_func ("/document/save/mode-and-symlink", test_save_keeps_mode_and_symlink);
  g_test_add_func ("/document/save/failure-keeps-file", test_save_failure_keeps_file);
  g_test_add_func ("/document/load/example-values", test_load_example_values);
  g_test_add_func ("/document/load/init-seeded", test_load_init_seeded);
  g_test_add_func ("/document/load/init-kept-for-resize", test_load_init_kept_for_resize);
  g_test_add_func ("/document/load/defaults", test_load_defaults);
  g_test_add_func ("/document/load/unknown-keys", test_load_ignores_unknown_keys);
  g_test_add_func ("/document/load/trailing-empty-labels", test_load_trailing_empty_labels);
  g_test_add_func ("/document/load/bad-documents", test_load_bad_documents);
  g_test_add_func ("/document/load/message-format", test_load_message_format);
  g_test_add_func ("/document/load/bad-sizes", test_load_bad_sizes);
  g_test_add_func ("/document/load/deep-nesting", test_load_deep_nesting);
  g_test_add_func ("/document/load/int64-boundaries", test_load_int64_boundaries);
  g_test_add_func ("/document/load/scan-skips-text", test_load_scan_skips_text);
  g_test_add_func ("/document/load/nul-byte", test_load_nul_byte);
  g_test_add_func ("/document/load/special-files", test_load_special_files);
  g_test_add_func ("/document/load/size-limit", test_load_size_limit);
  g_test_add_func ("/document/load/explicit-length", test_load_explicit_length);
  g_test_add_func ("/document/load/file-errors", test_load_file_errors);
  g_test_add_func ("/document/image/save-layout", test_image_save_layout);
  g_test_add_func ("/document/image/round-trip", test_image_round_trip);
  g_test_add_func ("/document/image/short-options", test_image_short_options);
  g_test_add_func ("/document/image/same-even-kernel", test_image_same_even_kernel);
  g_test_add_func ("/document/image/conv-weight-order", test_image_conv_weight_order);
  g_test_add_func ("/document/image/conv-forward", test_image_conv_forward);
  g_test_add_func ("/document/tokens/round-trip", test_tokens_round_trip);
  g_test_add_func ("/document/tokens/load-values", test_tokens_load_values);
  g_test_add_func ("/document/tokens/defaults", test_tokens_defaults);
  g_test_add_func ("/document/tokens/save-version", test_tokens_save_version);
  g_test_add_func ("/document/tokens/golden-blocks", test_tokens_golden_blocks);
  g_test_add_func ("/document/tokens/bad-documents", test_tokens_bad_documents);
  g_test_add_func ("/document/tokens/unknown-keys", test_tokens_unknown_keys);
  g_test_add_func ("/document/image/dense-flattens", test_image_dense_flattens);
  g_test_add_func ("/document/image/bad-documents", test_load_bad_image_documents);
  g_test_add_func ("/document/load/dataset", test_load_dataset);
  g_test_add_func ("/document/save/version", test_save_version);
  g_test_add_func ("/document/round-trip/examples", test_round_trip_examples);

  return g_test_run ();
}
