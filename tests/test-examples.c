/* test-examples.c: the trained example networks and their stored accuracy
 *
 * Each trained example records, under "dataset", how many of the first
 * samples of a dataset split it classifies correctly. That count was
 * measured with PyTorch and NumPy by tools/train-examples.py, or for the
 * sentiment example by tools/train-sentiment.py. These tests rerun
 * Layerscope's engine on the same shipped samples and must reach exactly
 * the same count.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-examples"

#include <glib/gstdio.h>
#include <string.h>

#include "ls-dataset.h"
#include "ls-document.h"
#include "ls-engine.h"
#include "ls-text-dataset.h"

static LsNetwork *
load_example (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  LsNetwork *network = ls_document_load_file (file, &error);

  g_assert_no_error (error);
  g_assert_nonnull (network);

  return network;
}

/* Returns the index of the largest output, the predicted class. */
static gsize
get_prediction (LsNetwork *network)
{
  const float *output = ls_network_get_output (network);
  gsize n = ls_network_get_output_size (network);
  gsize best = 0;

  for (gsize i = 1; i < n; i++)
    if (output[i] > output[best])
      best = i;

  return best;
}

/* Counts the samples among the first `samples` of the recorded split
 * that the network classifies correctly. */
static gsize
count_correct (LsNetwork          *network,
               const LsEvaluation *evaluation)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LsDataset) dataset = ls_dataset_load_builtin (evaluation->name, evaluation->split, &error);
  gsize correct = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (ls_dataset_get_n_samples (dataset), >=, evaluation->samples);
  g_assert_true (ls_shape_equal (ls_dataset_get_sample_shape (dataset),
                                 ls_network_get_input_shape (network)));

  for (gsize i = 0; i < evaluation->samples; i++)
    {
      g_assert_true (ls_network_set_input (network, ls_dataset_get_sample (dataset, i),
                                           ls_dataset_get_sample_size (dataset), &error));
      g_assert_no_error (error);
      if ((int) get_prediction (network) == ls_dataset_get_label (dataset, i))
        correct++;
    }

  return correct;
}

typedef struct
{
  const char *file;
  const char *dataset;
  gsize samples;
  gsize correct;  /* as recorded by tools/train-examples.py */
} ExampleCase;

/* The expected counts are repeated here, so that a retrained example
 * whose file and test disagree, or a file that lost its record, fails. */
static const ExampleCase example_cases[] = {
  { "digits-dense.json", "digits", 360, 354 },
  { "digits-cnn.json", "digits", 360, 356 },
  { "fashion-cnn.json", "fashion-mnist", 1000, 891 },
};

static void
test_examples_reproduce_accuracy (gconstpointer data)
{
  const ExampleCase *example = data;
  g_autoptr(LsNetwork) network = load_example (example->file);
  const LsEvaluation *evaluation = ls_network_get_evaluation (network);

  g_assert_cmpstr (evaluation->name, ==, example->dataset);
  g_assert_cmpstr (evaluation->split, ==, "test");
  g_assert_cmpuint (evaluation->samples, ==, example->samples);
  g_assert_cmpuint (evaluation->correct, ==, example->correct);

  g_assert_cmpuint (count_correct (network, evaluation), ==, evaluation->correct);
}

/* Returns the output unit whose label is name. */
static gsize
find_output_unit (LsNetwork  *network,
                  const char *name)
{
  const LsLayer *output = ls_network_get_output_layer (network);

  for (gsize i = 0; i < ls_layer_get_outputs (output); i++)
    if (g_strcmp0 (ls_layer_get_label (output, i), name) == 0)
      return i;

  g_error ("the output layer has no unit labelled “%s”", name);
}

/* Counts the phrases of a labelled text file that the network classifies
 * correctly, matching each phrase's label to an output label by name. */
static gsize
count_correct_phrases (LsNetwork     *network,
                       LsTextDataset *phrases)
{
  gsize n_labels = ls_text_dataset_get_n_labels (phrases);
  g_autofree gsize *units = g_new (gsize, n_labels);  /* [n_labels]: the output unit of each label */
  gsize correct = 0;

  for (gsize l = 0; l < n_labels; l++)
    units[l] = find_output_unit (network, ls_text_dataset_get_label_name (phrases, l));

  for (gsize i = 0; i < ls_text_dataset_get_n_texts (phrases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (ls_network_set_text (network, ls_text_dataset_get_text (phrases, i), &error));
      g_assert_no_error (error);
      if (get_prediction (network) == units[ls_text_dataset_get_label (phrases, i)])
        correct++;
    }

  return correct;
}

/* The sentiment example's held-out phrases are in a text file rather than
 * a built-in data set. Both files must exist: a missing one fails. */
static void
test_examples_sentiment_accuracy (void)
{
  g_autoptr(LsNetwork) network = load_example ("sentiment.json");
  const LsEvaluation *evaluation = ls_network_get_evaluation (network);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "datasets",
                                                 "sentiment-test.tsv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(LsTextDataset) phrases = ls_text_dataset_load_file (file, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (evaluation->name, ==, "sentiment");
  g_assert_cmpstr (evaluation->split, ==, "test");
  /* As recorded by tools/train-sentiment.py. */
  g_assert_cmpuint (evaluation->samples, ==, 400);
  g_assert_cmpuint (evaluation->correct, ==, 400);
  g_assert_cmpuint (ls_text_dataset_get_n_texts (phrases), ==, evaluation->samples);
  g_assert_cmpuint (ls_text_dataset_get_n_labels (phrases), ==, 2);

  g_assert_cmpuint (count_correct_phrases (network, phrases), ==, evaluation->correct);
}

/* The phrase file format that the sentiment test reads: comments, blank
 * lines and CRLF endings are skipped, and each bad line is reported by its
 * number with nothing loaded. */
static void
test_examples_phrase_file (void)
{
  static const struct
  {
    const char *data;
    const char *message;
  } bad[] = {
    { "positive\tgood\nno tab here\n", "phrases.tsv:2: no tab between the label and the text" },
    { "# comment\n\n\tgood\n", "phrases.tsv:3: the label before the tab is empty" },
    { "positive\t  \n", "phrases.tsv:1: the text after the tab is empty" },
    { "positive\tgo\xffod\n", "phrases.tsv:1: the line is not valid UTF-8" },
    { "# only a comment\n\n", "phrases.tsv: the file has no phrases" },
  };
  const char good[] = "# label, tab, text\r\npositive\tA fine film!\r\n\n  \nnegative\tnot good\tat all\n"
                      "positive\tlovely";
  g_autoptr(GError) error = NULL;
  g_autoptr(LsTextDataset) phrases = ls_text_dataset_load_data (good, strlen (good), "phrases.tsv", &error);
  gsize label;

  g_assert_no_error (error);
  g_assert_cmpuint (ls_text_dataset_get_n_texts (phrases), ==, 3);
  g_assert_cmpstr (ls_text_dataset_get_text (phrases, 0), ==, "A fine film!");
  g_assert_cmpstr (ls_text_dataset_get_text (phrases, 1), ==, "not good\tat all");
  g_assert_cmpstr (ls_text_dataset_get_text (phrases, 2), ==, "lovely");
  g_assert_cmpuint (ls_text_dataset_get_n_labels (phrases), ==, 2);
  g_assert_cmpstr (ls_text_dataset_get_label_name (phrases, 0), ==, "positive");
  g_assert_cmpuint (ls_text_dataset_get_label (phrases, 1), ==, 1);
  g_assert_cmpuint (ls_text_dataset_get_label (phrases, 2), ==, 0);
  g_assert_true (ls_text_dataset_find_label (phrases, "negative", &label));
  g_assert_cmpuint (label, ==, 1);
  g_assert_false (ls_text_dataset_find_label (phrases, "neutral", &label));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) bad_error = NULL;
      g_autoptr(LsTextDataset) none = ls_text_dataset_load_data (bad[i].data, strlen (bad[i].data),
                                                                 "phrases.tsv", &bad_error);

      g_assert_null (none);
      g_assert_error (bad_error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT);
      if (!g_str_has_prefix (bad_error->message, bad[i].message))
        g_error ("expected a message starting with “%s”, got “%s”", bad[i].message, bad_error->message);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *empty_folder = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* Point the Fashion-MNIST folder at an empty one, so that the shipped
   * slice is read even where the full set is installed, and every
   * machine checks the same files. */
  empty_folder = g_dir_make_tmp ("test-examples-XXXXXX", NULL);
  g_assert_nonnull (empty_folder);
  g_setenv ("LAYERSCOPE_FASHION_MNIST_DIR", empty_folder, TRUE);

  for (gsize i = 0; i < G_N_ELEMENTS (example_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/examples/accuracy/%s", example_cases[i].file);

      g_test_add_data_func (path, &example_cases[i], test_examples_reproduce_accuracy);
    }

  g_test_add_func ("/examples/accuracy/sentiment.json", test_examples_sentiment_accuracy);
  g_test_add_func ("/examples/phrase-file/format", test_examples_phrase_file);

  status = g_test_run ();
  g_rmdir (empty_folder);

  return status;
}
