/* test-examples.c: the trained example networks and their stored accuracy
 *
 * Each trained example records, under "dataset", how many of the first
 * samples of a dataset split it classifies correctly. That count was
 * measured by tools/train-examples.py with PyTorch and NumPy. These tests
 * rerun Layerscope's engine on the same shipped samples and must reach
 * exactly the same count.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-examples"

#include <glib/gstdio.h>

#include "ls-dataset.h"
#include "ls-document.h"
#include "ls-engine.h"

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

  status = g_test_run ();
  g_rmdir (empty_folder);

  return status;
}
