/* test-training-controller.c: runs, pauses, steps, resets and divergence of LsTrainingController
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-training-controller"

#include <math.h>
#include <string.h>

#include "ls-engine.h"
#include "ls-error.h"
#include "ls-training-controller.h"

/* Seconds to wait for a signal of the worker before a test fails. */
#define WAIT_TIMEOUT_S 20

/* Helpers */

/* 2 inputs, 4 tanh units and a softmax over 2 classes: enough for XOR. */
static LsNetwork *
new_xor_network (void)
{
  g_autoptr(GError) error = NULL;
  LsNetwork *network = ls_network_new (2);

  g_assert_true (ls_network_insert_dense (network, 0, 4, LS_ACTIVATION_TANH, &error));
  g_assert_no_error (error);
  g_assert_true (ls_network_insert_dense (network, 1, 2, LS_ACTIVATION_SOFTMAX, &error));
  g_assert_no_error (error);

  return network;
}

static LsSamples *
new_xor_samples (gsize n_samples)
{
  g_autoptr(GError) error = NULL;
  LsSamples *samples = ls_samples_generate (LS_PATTERN_XOR, n_samples, 0.0, 7, &error);

  g_assert_no_error (error);
  g_assert_nonnull (samples);

  return samples;
}

static LsTrainingController *
new_controller (LsNetwork *network,
                gsize      n_samples,
                gsize      batch_size)
{
  g_autoptr(LsSamples) train = new_xor_samples (n_samples);
  g_autoptr(GError) error = NULL;
  LsTrainingController *controller = ls_training_controller_new (network);
  LsTrainSettings settings;

  ls_train_settings_init (&settings);
  settings.optimizer = LS_OPTIMIZER_ADAM;
  settings.learning_rate = 0.05;
  settings.batch_size = batch_size;
  g_assert_true (ls_training_controller_set_settings (controller, &settings, &error));
  g_assert_no_error (error);
  g_assert_true (ls_training_controller_set_samples (controller, train, NULL, &error));
  g_assert_no_error (error);

  return controller;
}

/* [n_weights + n_biases] of layer index */
static float *
copy_parameters (LsNetwork *network,
                 gsize      index)
{
  const LsLayer *layer = ls_network_get_layer (network, index);
  gsize n_weights = ls_layer_get_n_weights (layer);
  gsize n_biases = ls_layer_get_n_biases (layer);
  float *values = g_new (float, n_weights + n_biases);

  memcpy (values, layer->weights, n_weights * sizeof (float));
  memcpy (values + n_weights, layer->bias, n_biases * sizeof (float));

  return values;
}

static gboolean
parameters_equal (LsNetwork   *network,
                  gsize        index,
                  const float *values)
{
  g_autofree float *now = copy_parameters (network, index);
  const LsLayer *layer = ls_network_get_layer (network, index);
  gsize n = ls_layer_get_n_weights (layer) + ls_layer_get_n_biases (layer);

  return memcmp (now, values, n * sizeof (float)) == 0;
}

static gboolean
parameters_finite (LsNetwork *network)
{
  for (gsize i = 0; i < ls_network_get_n_layers (network); i++)
    {
      g_autofree float *values = copy_parameters (network, i);
      const LsLayer *layer = ls_network_get_layer (network, i);
      gsize n = ls_layer_get_n_weights (layer) + ls_layer_get_n_biases (layer);

      for (gsize j = 0; j < n; j++)
        if (!isfinite (values[j]))
          return FALSE;
    }

  return TRUE;
}

static void
count_cb (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

static void
changed_count_cb (LsNetwork *network,
                  guint      change,
                  guint     *count)
{
  (*count)++;
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

/* Iterates the main context until *count reaches at least target. */
static void
wait_for_count (const guint *count,
                guint        target)
{
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add_seconds (WAIT_TIMEOUT_S, timeout_cb, &timed_out);

  while (*count < target && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (timeout);
}

/* Iterates the main context for a while, letting the worker run. */
static void
spin (guint milliseconds)
{
  gboolean timed_out = FALSE;

  g_timeout_add (milliseconds, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

/* Tests */

static void
test_play_updates_network (void)
{
  g_autoptr(LsNetwork) network = new_xor_network ();
  g_autoptr(LsTrainingController) controller = new_controller (network, 200, 16);
  g_autoptr(GError) error = NULL;
  g_autofree float *before = copy_parameters (network, 0);
  guint updated = 0;
  guint stopped = 0;
  guint changed = 0;
  const LsTrainingPoint *points;
  gsize n_points;

  g_signal_connect (controller, "updated", G_CALLBACK (count_cb), &updated);
  g_signal_connect (controller, "stopped", G_CALLBACK (count_cb), &stopped);
  g_signal_connect (network, "changed", G_CALLBACK (changed_count_cb), &changed);

  g_assert_true (ls_training_controller_play (controller, &error));
  g_assert_no_error (error);
  g_assert_true (ls_training_controller_is_running (controller));
  wait_for_count (&updated, 3);
  ls_training_controller_pause (controller);

  g_assert_false (ls_training_controller_is_running (controller));
  g_assert_cmpuint (stopped, ==, 1);
  g_assert_cmpuint (changed, >, 0);
  g_assert_cmpuint (ls_training_controller_get_step (controller), >, 0);
  g_assert_false (parameters_equal (network, 0, before));
  points = ls_training_controller_get_history (controller, &n_points);
  g_assert_cmpuint (n_points, >, 0);
  g_assert_cmpuint (points[n_points - 1].step, <=, ls_training_controller_get_step (controller));
  g_assert_true (isfinite (points[0].train_loss));
  g_assert_true (isnan (points[0].test_loss));
  g_assert_cmpfloat (points[0].train_accuracy, >=, 0.0);
  g_assert_cmpfloat (points[0].train_accuracy, <=, 1.0);
}

static void
test_pause_stops_steps (void)
{
  g_autoptr(LsNetwork) network = new_xor_network ();
  g_autoptr(LsTrainingController) controller = new_controller (network, 200, 16);
  g_autoptr(GError) error = NULL;
  g_autofree float *paused = NULL;
  guint updated = 0;
  guint64 step;

  g_signal_connect (controller, "updated", G_CALLBACK (count_cb), &updated);
  g_assert_true (ls_training_controller_play (controller, &error));
  wait_for_count (&updated, 2);
  ls_training_controller_pause (controller);
  step = ls_training_controller_get_step (controller);
  paused = copy_parameters (network, 1);

  spin (200);

  g_assert_cmpuint (ls_training_controller_get_step (controller), ==, step);
  g_assert_true (parameters_equal (network, 1, paused));
}

static void
test_step_trains_one_batch (void)
{
  g_autoptr(LsNetwork) network = new_xor_network ();
  g_autoptr(LsTrainingController) controller = new_controller (network, 64, 8);
  g_autoptr(GError) error = NULL;
  g_autofree float *before = copy_parameters (network, 1);
  guint updated = 0;
  gsize n_points;

  g_signal_connect (controller, "updated", G_CALLBACK (count_cb), &updated);

  g_assert_true (ls_training_controller_step (controller, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ls_training_controller_get_step (controller), ==, 1);
  g_assert_cmpuint (updated, ==, 1);
  g_assert_false (parameters_equal (network, 1, before));
  ls_training_controller_get_history (controller, &n_points);
  g_assert_cmpuint (n_points, ==, 1);

  g_assert_true (ls_training_controller_step (controller, &error));
  g_assert_cmpuint (ls_training_controller_get_step (controller), ==, 2);
  /* 2 steps of 8 out of 64 samples: a quarter epoch. */
  g_assert_cmpfloat_with_epsilon (ls_training_controller_get_epoch (controller), 0.25, 1e-9);
}

static void
test_step_while_running_fails (void)
{
  g_autoptr(LsNetwork) network = new_xor_network ();
  g_autoptr(LsTrainingController) controller = new_controller (network, 64, 8);
  g_autoptr(GError) error = NULL;

  g_assert_true (ls_training_controller_play (controller, &error));
  g_assert_false (ls_training_controller_step (controller, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT);
  g_assert_true (ls_training_controller_is_running (controller));
  ls_training_controller_pause (controller);
}

static void
test_reset_restores_weights (void)
{
  g_autoptr(LsNetwork) network = new_xor_network ();
  g_autoptr(LsTrainingController) controller = new_controller (network, 64, 8);
  g_autoptr(GError) error = NULL;
  g_autofree float *first = copy_parameters (network, 0);
  g_autofree float *second = copy_parameters (network, 1);
  guint updated = 0;
  gsize n_points;

  g_signal_connect (controller, "updated", G_CALLBACK (count_cb), &updated);
  g_assert_true (ls_training_controller_play (controller, &error));
  wait_for_count (&updated, 2);
  g_assert_false (parameters_equal (network, 0, first));

  ls_training_controller_reset (controller);

  g_assert_false (ls_training_controller_is_running (controller));
  g_assert_true (parameters_equal (network, 0, first));
  g_assert_true (parameters_equal (network, 1, second));
  g_assert_cmpuint (ls_training_controller_get_step (controller), ==, 0);
  g_assert_null (ls_training_controller_get_history (controller, &n_points));
  g_assert_cmpuint (n_points, ==, 0);
  g_assert_null (ls_training_controller_get_error (controller));

  /* After a reset, training starts again from the first weights. */
  g_assert_true (ls_training_controller_step (controller, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ls_training_controller_get_step (controller), ==, 1);
}

static void
test_play_without_samples_fails (void)
{
  g_autoptr(LsNetwork) network = new_xor_network ();
  g_autoptr(LsTrainingController) controller = ls_training_controller_new (network);
  g_autoptr(GError) error = NULL;

  g_assert_false (ls_training_controller_play (controller, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_DATA);
  g_assert_false (ls_training_controller_is_running (controller));
  g_clear_error (&error);

  g_assert_false (ls_training_controller_step (controller, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_DATA);
}

static void
test_play_rejects_other_shape (void)
{
  g_autoptr(LsNetwork) network = ls_network_new (3);
  g_autoptr(LsTrainingController) controller = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (ls_network_insert_dense (network, 0, 2, LS_ACTIVATION_SOFTMAX, &error));
  controller = new_controller (network, 32, 8);

  g_assert_false (ls_training_controller_play (controller, &error));
  g_assert_nonnull (error);
  g_assert_false (ls_training_controller_is_running (controller));
}

/* A linear layer trained with mean squared error on targets of 1e18 and
 * a learning rate of 10 overflows float within a few steps. */
static void
test_divergence_keeps_good_weights (void)
{
  static const float inputs[] = { 1e6f, -1e6f, 2e6f, 1e6f };     /* [2][2] */
  static const float targets[] = { 1e18f, -1e18f };              /* [2][1] */
  LsShape shape = { 0 };
  g_autoptr(LsNetwork) network = ls_network_new (2);
  g_autoptr(LsTrainingController) controller = ls_training_controller_new (network);
  g_autoptr(LsSamples) train = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *before = NULL;
  g_autofree char *kept = NULL;
  const GError *run_error;
  guint64 step;
  LsTrainSettings settings;
  guint stopped = 0;

  shape = *ls_network_get_input_shape (network);
  g_assert_true (ls_network_insert_dense (network, 0, 1, LS_ACTIVATION_IDENTITY, &error));
  train = ls_samples_new_regression ("overflow", &shape, 2, inputs, 1, targets, &error);
  g_assert_no_error (error);
  ls_train_settings_init (&settings);
  settings.loss = LS_LOSS_MEAN_SQUARED;
  settings.optimizer = LS_OPTIMIZER_SGD;
  settings.momentum = 0.0;
  settings.learning_rate = 10.0;
  settings.batch_size = 2;
  g_assert_true (ls_training_controller_set_settings (controller, &settings, &error));
  g_assert_true (ls_training_controller_set_samples (controller, train, NULL, &error));
  g_signal_connect (controller, "stopped", G_CALLBACK (count_cb), &stopped);
  before = copy_parameters (network, 0);

  g_assert_true (ls_training_controller_play (controller, &error));
  wait_for_count (&stopped, 1);

  g_assert_false (ls_training_controller_is_running (controller));
  run_error = ls_training_controller_get_error (controller);
  g_assert_nonnull (run_error);
  g_assert_true (g_error_matches (run_error, LS_ERROR, LS_ERROR_DIVERGED));
  g_assert_true (parameters_finite (network));
  /* The trainer's message names the layer and the step whose weights it
   * kept, and the controller's step count is that step. */
  g_assert_nonnull (strstr (run_error->message, "layer 1"));
  step = ls_training_controller_get_step (controller);
  kept = step == 0 ? g_strdup ("the initial ones") : g_strdup_printf ("those of step %" G_GUINT64_FORMAT ".", step);
  g_assert_nonnull (strstr (run_error->message, kept));
  if (step > 0)
    g_assert_false (parameters_equal (network, 0, before));

  /* Playing on from diverged weights would diverge at once. */
  g_assert_false (ls_training_controller_play (controller, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_DIVERGED);
}

static void
test_edit_drops_trainer (void)
{
  g_autoptr(LsNetwork) network = new_xor_network ();
  g_autoptr(LsTrainingController) controller = new_controller (network, 200, 16);
  g_autoptr(GError) error = NULL;
  guint updated = 0;
  guint stopped = 0;
  gsize n_points;

  g_signal_connect (controller, "updated", G_CALLBACK (count_cb), &updated);
  g_signal_connect (controller, "stopped", G_CALLBACK (count_cb), &stopped);
  g_assert_true (ls_training_controller_play (controller, &error));
  wait_for_count (&updated, 2);

  g_assert_true (ls_network_set_weight (network, 0, 0, 0, 3.0f, &error));

  g_assert_false (ls_training_controller_is_running (controller));
  g_assert_cmpuint (stopped, ==, 1);
  g_assert_cmpint (ls_training_controller_get_stop_reason (controller), ==, LS_TRAINING_STOP_EDITED);
  /* The curves of the stopped run stay until the next run starts. */
  ls_training_controller_get_history (controller, &n_points);
  g_assert_cmpuint (n_points, >, 0);
  /* The edit stays: the stopped run did not copy its weights over it. */
  g_assert_cmpfloat (ls_layer_get_weight (ls_network_get_layer (network, 0), 0, 0), ==, 3.0f);

  /* The next step trains the edited network. */
  g_assert_true (ls_training_controller_step (controller, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ls_training_controller_get_step (controller), ==, 1);
  ls_training_controller_get_history (controller, &n_points);
  g_assert_cmpuint (n_points, ==, 1);
  g_assert_cmpint (ls_training_controller_get_stop_reason (controller), ==, LS_TRAINING_STOP_NONE);
}

/* Reset gives back the weights from before the first training even after
 * the user nudged a weight, which drops the trainer, and after new
 * samples. */
static void
test_reset_after_edit_restores_weights (void)
{
  g_autoptr(LsNetwork) network = new_xor_network ();
  g_autoptr(LsTrainingController) controller = new_controller (network, 64, 8);
  g_autoptr(LsSamples) other = new_xor_samples (32);
  g_autoptr(GError) error = NULL;
  g_autofree float *first = copy_parameters (network, 0);
  g_autofree float *second = copy_parameters (network, 1);

  g_assert_nonnull (ls_training_controller_get_reset_problem (controller));
  for (guint i = 0; i < 20; i++)
    g_assert_true (ls_training_controller_step (controller, &error));
  g_assert_null (ls_training_controller_get_reset_problem (controller));
  g_assert_true (ls_network_set_weight (network, 1, 0, 0, 2.5f, &error));
  g_assert_true (ls_training_controller_set_samples (controller, other, NULL, &error));
  g_assert_true (ls_training_controller_step (controller, &error));
  g_assert_no_error (error);
  g_assert_false (parameters_equal (network, 0, first));

  g_assert_null (ls_training_controller_get_reset_problem (controller));
  ls_training_controller_reset (controller);

  g_assert_true (parameters_equal (network, 0, first));
  g_assert_true (parameters_equal (network, 1, second));
  g_assert_cmpuint (ls_training_controller_get_step (controller), ==, 0);
}

/* A change of the units makes the weights from before training useless,
 * so Reset reports why it cannot restore them and leaves the weights. The
 * next training keeps a new starting point. */
static void
test_structure_change_blocks_reset (void)
{
  g_autoptr(LsNetwork) network = new_xor_network ();
  g_autoptr(LsTrainingController) controller = new_controller (network, 64, 8);
  g_autoptr(GError) error = NULL;
  g_autofree float *resized = NULL;

  g_assert_nonnull (ls_training_controller_get_reset_problem (controller));
  g_assert_true (ls_training_controller_step (controller, &error));
  g_assert_null (ls_training_controller_get_reset_problem (controller));

  g_assert_true (ls_network_set_units (network, 0, 5, &error));
  g_assert_no_error (error);
  g_assert_nonnull (ls_training_controller_get_reset_problem (controller));
  g_assert_nonnull (strstr (ls_training_controller_get_reset_problem (controller), "layers changed"));
  resized = copy_parameters (network, 0);
  ls_training_controller_reset (controller);
  g_assert_true (parameters_equal (network, 0, resized));

  /* Training the new structure keeps its own starting weights. */
  for (guint i = 0; i < 10; i++)
    g_assert_true (ls_training_controller_step (controller, &error));
  g_assert_null (ls_training_controller_get_reset_problem (controller));
  g_assert_false (parameters_equal (network, 0, resized));
  ls_training_controller_reset (controller);
  g_assert_true (parameters_equal (network, 0, resized));
}

static void
test_input_edit_keeps_running (void)
{
  static const float input[] = { 0.5f, -0.25f };
  g_autoptr(LsNetwork) network = new_xor_network ();
  g_autoptr(LsTrainingController) controller = new_controller (network, 200, 16);
  g_autoptr(GError) error = NULL;
  guint updated = 0;

  g_signal_connect (controller, "updated", G_CALLBACK (count_cb), &updated);
  g_assert_true (ls_training_controller_play (controller, &error));
  wait_for_count (&updated, 1);

  g_assert_true (ls_network_set_input (network, input, G_N_ELEMENTS (input), &error));
  g_assert_true (ls_training_controller_is_running (controller));
  wait_for_count (&updated, updated + 1);
  g_assert_true (ls_training_controller_is_running (controller));
  g_assert_cmpfloat (ls_network_get_input (network)[0], ==, 0.5f);
  ls_training_controller_pause (controller);
}

static void
test_samples_clear_history (void)
{
  g_autoptr(LsNetwork) network = new_xor_network ();
  g_autoptr(LsTrainingController) controller = new_controller (network, 64, 8);
  g_autoptr(LsSamples) other = new_xor_samples (32);
  g_autoptr(GError) error = NULL;
  gsize n_points;

  g_assert_true (ls_training_controller_step (controller, &error));
  g_assert_true (ls_training_controller_set_samples (controller, other, NULL, &error));
  g_assert_no_error (error);

  ls_training_controller_get_history (controller, &n_points);
  g_assert_cmpuint (n_points, ==, 0);
  g_assert_cmpuint (ls_training_controller_get_step (controller), ==, 0);
  g_assert_true (ls_training_controller_get_train_samples (controller) == other);
}

/* With the whole set in one batch every step ends an epoch and adds a
 * point, so the history passes its bound quickly. */
static void
test_history_stays_bounded (void)
{
  g_autoptr(LsNetwork) network = new_xor_network ();
  g_autoptr(LsTrainingController) controller = new_controller (network, 8, 8);
  g_autoptr(GError) error = NULL;
  const LsTrainingPoint *points;
  guint updated = 0;
  gsize n_points;

  g_signal_connect (controller, "updated", G_CALLBACK (count_cb), &updated);
  g_assert_true (ls_training_controller_play (controller, &error));
  while (ls_training_controller_get_step (controller) < 5000)
    wait_for_count (&updated, updated + 1);
  ls_training_controller_pause (controller);

  points = ls_training_controller_get_history (controller, &n_points);
  g_assert_cmpuint (n_points, <=, 2000);
  g_assert_cmpuint (n_points, >=, 1000);
  g_assert_cmpuint (points[0].step, ==, 1);
  g_assert_cmpuint (points[n_points - 1].step, ==, ls_training_controller_get_step (controller));
  for (gsize i = 1; i < n_points; i++)
    g_assert_cmpuint (points[i].step, >, points[i - 1].step);
}

/* Each step with the whole set in one batch is an epoch and takes a
 * point, so the points taken are evenly spaced in epochs. After many
 * halvings the history must still cover the run evenly from its start:
 * every gap but the one to the newest point is the same. */
static void
test_history_stays_even (void)
{
  g_autoptr(LsNetwork) network = new_xor_network ();
  g_autoptr(LsTrainingController) controller = new_controller (network, 8, 8);
  g_autoptr(GError) error = NULL;
  const LsTrainingPoint *points;
  gsize n_points, n_early = 0;
  guint64 n_steps = 9000;
  double gap;

  for (guint64 i = 0; i < n_steps; i++)
    g_assert_true (ls_training_controller_step (controller, &error));

  points = ls_training_controller_get_history (controller, &n_points);
  g_assert_cmpuint (n_points, <=, 2001);
  g_assert_cmpuint (n_points, >=, 1000);
  g_assert_cmpfloat (points[0].epoch, ==, 1.0);
  g_assert_cmpfloat (points[n_points - 1].epoch, ==, (double) n_steps);
  gap = points[1].epoch - points[0].epoch;
  for (gsize i = 1; i + 1 < n_points; i++)
    g_assert_cmpfloat (points[i].epoch - points[i - 1].epoch, ==, gap);

  /* The first tenth of the run contains about a tenth of the points. */
  for (gsize i = 0; i < n_points; i++)
    if (points[i].epoch <= n_steps / 10)
      n_early++;
  g_assert_cmpuint (n_early, >=, n_points / 12);
}

static void
test_dispose_while_running (void)
{
  g_autoptr(LsNetwork) network = new_xor_network ();
  LsTrainingController *controller = new_controller (network, 200, 16);
  g_autoptr(GError) error = NULL;

  g_assert_true (ls_training_controller_play (controller, &error));
  spin (50);
  g_object_unref (controller);

  /* No sync source of the freed controller may fire. */
  spin (100);
  g_assert_true (parameters_finite (network));
}

/* At 20 batches a second, a run of 0.5 s trains the batch at its start
 * and one every 50 ms after: 11 batches. The upper bound leaves 2 batches
 * for timer jitter, the lower one room for a busy machine, and a run that
 * ignores the speed trains thousands. */
static void
test_speed_limits_rate (void)
{
  g_autoptr(LsNetwork) network = new_xor_network ();
  g_autoptr(LsTrainingController) controller = new_controller (network, 200, 16);
  g_autoptr(GError) error = NULL;
  guint64 step;

  ls_training_controller_set_speed (controller, 20.0);
  g_assert_cmpfloat (ls_training_controller_get_speed (controller), ==, 20.0);
  g_assert_true (ls_training_controller_play (controller, &error));
  g_assert_no_error (error);
  spin (500);
  ls_training_controller_pause (controller);

  step = ls_training_controller_get_step (controller);
  g_test_message ("%" G_GUINT64_FORMAT " batches in 0.5 s at 20 a second", step);
  g_assert_cmpuint (step, >=, 5);
  g_assert_cmpuint (step, <=, 13);
}

/* At 1 batch a second the worker waits for its second batch when the
 * pause comes, and the pause wakes it instead of waiting out the second. */
static void
test_pause_while_throttled_is_immediate (void)
{
  g_autoptr(LsNetwork) network = new_xor_network ();
  g_autoptr(LsTrainingController) controller = new_controller (network, 200, 16);
  g_autoptr(GError) error = NULL;
  gint64 start;

  ls_training_controller_set_speed (controller, 1.0);
  g_assert_true (ls_training_controller_play (controller, &error));
  spin (150);
  start = g_get_monotonic_time ();
  ls_training_controller_pause (controller);

  g_assert_cmpint (g_get_monotonic_time () - start, <, 200 * G_TIME_SPAN_MILLISECOND);
  g_assert_false (ls_training_controller_is_running (controller));
  g_assert_cmpuint (ls_training_controller_get_step (controller), ==, 1);
}

/* 40 samples in batches of 10 make 4 batches an epoch, so a limit of 5
 * epochs stops the run by itself after exactly 20 batches, however fast
 * the worker goes, and a second run at the limit trains nothing. */
static void
test_max_epochs_stops_exactly (void)
{
  g_autoptr(LsNetwork) network = new_xor_network ();
  g_autoptr(LsTrainingController) controller = new_controller (network, 40, 10);
  g_autoptr(GError) error = NULL;
  const LsTrainingPoint *points;
  gsize n_points;
  guint stopped = 0;

  g_signal_connect (controller, "stopped", G_CALLBACK (count_cb), &stopped);
  ls_training_controller_set_max_epochs (controller, 5);
  g_assert_cmpuint (ls_training_controller_get_max_epochs (controller), ==, 5);
  g_assert_true (ls_training_controller_play (controller, &error));
  g_assert_no_error (error);
  wait_for_count (&stopped, 1);

  g_assert_false (ls_training_controller_is_running (controller));
  g_assert_cmpfloat (ls_training_controller_get_epoch (controller), ==, 5.0);
  g_assert_cmpuint (ls_training_controller_get_step (controller), ==, 20);
  points = ls_training_controller_get_history (controller, &n_points);
  g_assert_cmpuint (n_points, >, 0);
  g_assert_cmpuint (points[n_points - 1].step, ==, 20);
  g_assert_null (ls_training_controller_get_error (controller));

  g_assert_true (ls_training_controller_play (controller, &error));
  wait_for_count (&stopped, 2);
  g_assert_cmpuint (ls_training_controller_get_step (controller), ==, 20);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/training-controller/play-updates-network", test_play_updates_network);
  g_test_add_func ("/training-controller/pause-stops-steps", test_pause_stops_steps);
  g_test_add_func ("/training-controller/step-trains-one-batch", test_step_trains_one_batch);
  g_test_add_func ("/training-controller/step-while-running-fails", test_step_while_running_fails);
  g_test_add_func ("/training-controller/reset-restores-weights", test_reset_restores_weights);
  g_test_add_func ("/training-controller/play-without-samples-fails", test_play_without_samples_fails);
  g_test_add_func ("/training-controller/play-rejects-other-shape", test_play_rejects_other_shape);
  g_test_add_func ("/training-controller/divergence-keeps-good-weights", test_divergence_keeps_good_weights);
  g_test_add_func ("/training-controller/edit-drops-trainer", test_edit_drops_trainer);
  g_test_add_func ("/training-controller/input-edit-keeps-running", test_input_edit_keeps_running);
  g_test_add_func ("/training-controller/samples-clear-history", test_samples_clear_history);
  g_test_add_func ("/training-controller/history-stays-bounded", test_history_stays_bounded);
  g_test_add_func ("/training-controller/history-stays-even", test_history_stays_even);
  g_test_add_func ("/training-controller/reset-after-edit-restores-weights", test_reset_after_edit_restores_weights);
  g_test_add_func ("/training-controller/structure-change-blocks-reset", test_structure_change_blocks_reset);
  g_test_add_func ("/training-controller/dispose-while-running", test_dispose_while_running);
  g_test_add_func ("/training-controller/speed-limits-rate", test_speed_limits_rate);
  g_test_add_func ("/training-controller/pause-while-throttled-is-immediate", test_pause_while_throttled_is_immediate);
  g_test_add_func ("/training-controller/max-epochs-stops-exactly", test_max_epochs_stops_exactly);

  return g_test_run ();
}
