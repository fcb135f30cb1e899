/* ls-training-controller.c: training a network in a worker thread while the window stays live
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Layerscope"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ls-error.h"
#include "ls-training-controller.h"

/* The main thread copies the trainer's weights into the network and
 * reads new history points this often while the worker runs. */
#define SYNC_INTERVAL_MS 30
/* The worker takes a history point at each epoch end, and otherwise
 * after this much training time. */
#define POINT_INTERVAL_US (100 * G_TIME_SPAN_MILLISECOND)
/* At more than this many points, every other point is dropped and the
 * stride between kept points doubles. */
#define MAX_HISTORY_POINTS 2000
/* Larger sets are scored on this many evenly spaced samples, so that a
 * history point of a Fashion-MNIST run does not stall the training.
 * NOTE: The loss and accuracy in the history of such a set are therefore
 * estimates from that subset, not the whole set's. */
#define MAX_EVALUATION_SAMPLES 2000
/* A worker held up, e.g. by scoring, trains at most this many batches
 * at once to catch up with its speed. */
#define MAX_CATCH_UP_BATCHES 3

struct _LsTrainingController
{
  GObject parent_instance;

  LsNetwork *network;
  LsSamples *train;           /* nullable */
  LsSamples *test;            /* nullable */
  LsSamples *train_scored;    /* nullable: train, or a subset of it for the history */
  LsSamples *test_scored;     /* nullable: test, or a subset of it */
  LsTrainSettings settings;

  /* The worker reads and writes the trainer and every field of this
   * group only with the mutex held. */
  GMutex mutex;
  GCond main_done;            /* signalled when the main thread releases the mutex */
  GCond wake;                 /* signalled on a stop request or a new speed */
  gint main_waiting;          /* atomic: the main thread waits for the mutex */
  LsTrainer *trainer;         /* nullable until the first play or step */
  GArray *pending;            /* LsTrainingPoint: taken by the worker, not yet in history */
  guint64 steps_unsynced;     /* steps since the weights were last copied into the network */
  guint64 last_epoch;         /* completed epochs at the last step */
  guint64 epoch_steps;        /* steps since the last epoch end */
  GError *worker_error;       /* nullable: why the worker stopped by itself */
  gboolean worker_done;
  double speed;               /* batches per second, or 0 for as fast as possible */
  guint64 max_epochs;         /* the epoch the worker stops after, or 0 for no limit */

  GThread *thread;            /* nullable: the worker, while a run is on */
  gint stop_requested;        /* atomic */
  guint sync_source;

  GArray *history;            /* LsTrainingPoint, main thread only */
  guint64 history_stride;     /* the history keeps one of every this many points taken */
  guint64 n_points_taken;     /* points taken since the history was cleared */
  gboolean history_has_tail;  /* the last history point is the newest, off the stride */
  LsTrainingStop stop_reason;
  GArray *snapshot;           /* float: the parameters before the first training, laid out as parameters */
  gboolean snapshot_valid;    /* snapshot fits the network's structure */
  gboolean snapshot_lost;     /* a structure change made the snapshot invalid */
  guint64 step;               /* the trainer's step at the last copy */
  double epoch;               /* the trainer's fractional epoch at the last copy */
  GError *error;              /* nullable: the message of the last failed run */
  gboolean syncing;           /* the network's changed signal comes from a copy */
  GArray *parameters;         /* float: each layer's weights, then its biases, at the last copy */
};

enum
{
  SIGNAL_UPDATED,
  SIGNAL_STOPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LsTrainingController, ls_training_controller, G_TYPE_OBJECT)

/* GMutex is not fair: a worker that unlocks and locks again at once could
 * keep the main thread waiting for many steps. So the worker gives way
 * while the main thread announces that it waits. */
static void
lock_from_main (LsTrainingController *self)
{
  g_atomic_int_inc (&self->main_waiting);
  g_mutex_lock (&self->mutex);
  g_atomic_int_add (&self->main_waiting, -1);
}

static void
unlock_from_main (LsTrainingController *self)
{
  g_cond_broadcast (&self->main_done);
  g_mutex_unlock (&self->mutex);
}

/* Worker side ------------------------------------------------------------ */

static double
get_fractional_epoch (LsTrainingController *self)
{
  gsize n_samples = ls_samples_get_n_samples (self->train);
  const LsTrainSettings *settings = ls_trainer_get_settings (self->trainer);
  double fraction = (double) (self->epoch_steps * settings->batch_size) / (double) n_samples;

  return (double) self->last_epoch + MIN (fraction, 1.0);
}

/* Scores the trainer on both sets. Called with the mutex held. */
static void
take_point (LsTrainingController *self,
            LsTrainingPoint      *point)
{
  LsScore score;

  point->step = ls_trainer_get_step (self->trainer);
  point->epoch = get_fractional_epoch (self);

  ls_trainer_evaluate (self->trainer, self->train_scored, &score);
  point->train_loss = score.loss;
  point->train_accuracy = score.accuracy;

  point->test_loss = NAN;
  point->test_accuracy = NAN;
  if (self->test_scored != NULL)
    {
      ls_trainer_evaluate (self->trainer, self->test_scored, &score);
      point->test_loss = score.loss;
      point->test_accuracy = score.accuracy;
    }
}

/* Trains one batch and updates the epoch count. Called with the mutex
 * held. Returns FALSE with error set when the step diverged. */
static gboolean
train_step (LsTrainingController  *self,
            GError               **error)
{
  guint64 epoch;

  if (!ls_trainer_step (self->trainer, error))
    return FALSE;

  self->steps_unsynced++;
  self->epoch_steps++;
  epoch = ls_trainer_get_epoch (self->trainer);
  if (epoch != self->last_epoch)
    {
      self->last_epoch = epoch;
      self->epoch_steps = 0;
    }

  return TRUE;
}

/* Waits until the next batch is due at the set speed, or a stop is
 * requested. due is the absolute time of the next batch, so that the
 * rate does not drift. Called with the mutex held, which the wait
 * releases. Returns FALSE when a stop was requested. */
static gboolean
wait_for_turn (LsTrainingController *self,
               gint64               *due)
{
  while (!g_atomic_int_get (&self->stop_requested))
    {
      gint64 now = g_get_monotonic_time ();
      gint64 interval;

      if (self->speed <= 0.0)
        {
          *due = now;
          return TRUE;
        }

      interval = MAX ((gint64) (G_USEC_PER_SEC / self->speed), 1);
      *due = MAX (*due, now - MAX_CATCH_UP_BATCHES * interval);
      if (now >= *due)
        {
          *due += interval;
          return TRUE;
        }
      g_cond_wait_until (&self->wake, &self->mutex, *due);
    }

  return FALSE;
}

/* Returns whether the trainer completed the epoch limit. Called with the
 * mutex held. */
static gboolean
reached_max_epochs (LsTrainingController *self)
{
  return self->max_epochs > 0 && self->last_epoch >= self->max_epochs;
}

/* Trains one batch, and takes a history point at an epoch end or when
 * the last one is POINT_INTERVAL_US of training old. Called with the
 * mutex held. Returns FALSE with error set when the step diverged. */
static gboolean
train_and_score (LsTrainingController  *self,
                 gint64                *last_point,
                 GError               **error)
{
  guint64 epoch_before = self->last_epoch;

  if (!train_step (self, error))
    return FALSE;

  if (self->last_epoch != epoch_before || g_get_monotonic_time () - *last_point >= POINT_INTERVAL_US)
    {
      LsTrainingPoint point;

      take_point (self, &point);
      g_array_append_val (self->pending, point);
      /* Scoring time is not training time. */
      *last_point = g_get_monotonic_time ();
    }

  return TRUE;
}

static gpointer
train_thread (gpointer data)
{
  LsTrainingController *self = data;
  gint64 last_point = g_get_monotonic_time ();
  gint64 due = last_point;

  while (!g_atomic_int_get (&self->stop_requested))
    {
      g_autoptr(GError) error = NULL;

      g_mutex_lock (&self->mutex);
      while (g_atomic_int_get (&self->main_waiting) > 0)
        g_cond_wait (&self->main_done, &self->mutex);
      if (!wait_for_turn (self, &due))
        {
          g_mutex_unlock (&self->mutex);
          break;
        }
      if (reached_max_epochs (self))
        {
          self->worker_done = TRUE;
          g_mutex_unlock (&self->mutex);
          break;
        }
      if (!train_and_score (self, &last_point, &error))
        {
          self->worker_error = g_steal_pointer (&error);
          self->worker_done = TRUE;
          g_mutex_unlock (&self->mutex);
          break;
        }
      if (reached_max_epochs (self))
        self->worker_done = TRUE;
      g_mutex_unlock (&self->mutex);
      if (self->worker_done)
        break;
    }

  return NULL;
}

/* Main-thread side ------------------------------------------------------- */

/* Calls visit on each layer's weights and biases, in layer order. */
static gboolean
visit_parameters (LsNetwork *network,
                  gboolean (*visit) (const float *values, gsize n_values, gpointer data),
                  gpointer   data)
{
  for (gsize i = 0; i < ls_network_get_n_layers (network); i++)
    {
      const LsLayer *layer = ls_network_get_layer (network, i);

      if (!visit (layer->weights, ls_layer_get_n_weights (layer), data)
          || !visit (layer->bias, ls_layer_get_n_biases (layer), data))
        return FALSE;
    }

  return TRUE;
}

static gboolean
append_values (const float *values,
               gsize        n_values,
               gpointer     data)
{
  if (n_values > 0)
    g_array_append_vals (data, values, n_values);

  return TRUE;
}

/* Keeps a copy of the network's parameters, to tell an edit of the
 * weights from an edit of the input later. */
static void
remember_parameters (LsTrainingController *self)
{
  g_array_set_size (self->parameters, 0);
  visit_parameters (self->network, append_values, self->parameters);
}

typedef struct
{
  const GArray *parameters;
  gsize offset;
} Comparison;

static gboolean
compare_values (const float *values,
                gsize        n_values,
                gpointer     data)
{
  Comparison *comparison = data;

  if (comparison->offset + n_values > comparison->parameters->len
      || (n_values > 0 && memcmp (&g_array_index (comparison->parameters, float, comparison->offset),
                                  values, n_values * sizeof (float)) != 0))
    return FALSE;
  comparison->offset += n_values;

  return TRUE;
}

static gboolean
parameters_changed (LsTrainingController *self)
{
  Comparison comparison = { self->parameters, 0 };

  return !visit_parameters (self->network, compare_values, &comparison)
         || comparison.offset != self->parameters->len;
}

/* Copies the trainer's weights into the network. After a divergence the
 * trainer keeps the weights of its last good step, so those are what the
 * network gets. Called with the mutex held and the network's changes
 * frozen. */
static void
copy_weights (LsTrainingController *self)
{
  g_autoptr(GError) error = NULL;

  if (self->steps_unsynced == 0)
    return;

  self->steps_unsynced = 0;
  self->syncing = TRUE;
  if (!ls_trainer_copy_to (self->trainer, self->network, &error))
    g_warning ("Could not copy the trained weights into the network: %s", error->message);
  self->syncing = FALSE;
}

/* Drops every other point once, keeping the first, and doubles the
 * stride, so that the points stay evenly spread over the whole run. The
 * newest point stays as the tail when it falls off the new stride. */
static void
halve_history (LsTrainingController *self)
{
  LsTrainingPoint *points = (LsTrainingPoint *) (gpointer) self->history->data;
  guint len = self->history->len;
  LsTrainingPoint newest = points[len - 1];
  guint n = 0;

  for (guint i = 0; i < len; i += 2)
    points[n++] = points[i];
  g_array_set_size (self->history, n);
  self->history_stride *= 2;
  if ((len - 1) % 2 != 0)
    {
      g_array_append_val (self->history, newest);
      self->history_has_tail = TRUE;
    }
}

/* Adds point to the history when it falls on the stride. Otherwise it
 * replaces the tail, so that the curves always end at the newest point. */
static void
append_point (LsTrainingController  *self,
              const LsTrainingPoint *point)
{
  gboolean on_stride = self->n_points_taken % self->history_stride == 0;

  self->n_points_taken++;
  if (self->history_has_tail)
    g_array_set_size (self->history, self->history->len - 1);
  g_array_append_vals (self->history, point, 1);
  self->history_has_tail = !on_stride;
  if (on_stride && self->history->len > MAX_HISTORY_POINTS)
    halve_history (self);
}

static void
clear_history (LsTrainingController *self)
{
  g_array_set_size (self->history, 0);
  self->history_stride = 1;
  self->n_points_taken = 0;
  self->history_has_tail = FALSE;
  self->step = 0;
  self->epoch = 0.0;
}

/* Copies the weights and the new points from the trainer. Returns
 * whether the worker stopped by itself, and takes its error. */
static gboolean
sync_from_trainer (LsTrainingController *self)
{
  gboolean done;

  ls_network_freeze_changes (self->network);
  lock_from_main (self);

  copy_weights (self);
  for (guint i = 0; i < self->pending->len; i++)
    append_point (self, &g_array_index (self->pending, LsTrainingPoint, i));
  g_array_set_size (self->pending, 0);

  if (self->trainer != NULL)
    {
      self->step = ls_trainer_get_step (self->trainer);
      self->epoch = get_fractional_epoch (self);
    }
  done = self->worker_done;
  if (self->worker_error != NULL)
    {
      g_clear_error (&self->error);
      self->error = g_steal_pointer (&self->worker_error);
    }

  unlock_from_main (self);
  self->syncing = TRUE;
  ls_network_thaw_changes (self->network);
  self->syncing = FALSE;
  remember_parameters (self);

  return done;
}

/* Ends the worker and waits for it. */
static void
join_worker (LsTrainingController *self)
{
  if (self->thread == NULL)
    return;

  /* Set and signalled with the mutex held, so that a worker waiting for
   * its next batch cannot miss it. */
  lock_from_main (self);
  g_atomic_int_set (&self->stop_requested, TRUE);
  g_cond_broadcast (&self->wake);
  unlock_from_main (self);
  g_thread_join (g_steal_pointer (&self->thread));
  g_atomic_int_set (&self->stop_requested, FALSE);
  g_clear_handle_id (&self->sync_source, g_source_remove);
  self->worker_done = FALSE;
}

static gboolean
sync_cb (gpointer data)
{
  LsTrainingController *self = data;
  gboolean done;

  g_object_ref (self);
  done = sync_from_trainer (self);
  if (done)
    {
      self->sync_source = 0;
      join_worker (self);
      self->stop_reason = self->error != NULL ? LS_TRAINING_STOP_FAILED : LS_TRAINING_STOP_MAX_EPOCHS;
    }
  g_signal_emit (self, signals[SIGNAL_UPDATED], 0);
  if (done)
    g_signal_emit (self, signals[SIGNAL_STOPPED], 0);
  g_object_unref (self);

  return done ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static void
clear_samples_scored (LsTrainingController *self)
{
  g_clear_pointer (&self->train_scored, ls_samples_unref);
  g_clear_pointer (&self->test_scored, ls_samples_unref);
}

static LsSamples *
make_scored_set (LsSamples *samples)
{
  gsize n_samples;
  g_autofree gsize *indices = NULL;

  if (samples == NULL)
    return NULL;

  n_samples = ls_samples_get_n_samples (samples);
  if (n_samples <= MAX_EVALUATION_SAMPLES)
    return ls_samples_ref (samples);

  indices = g_new (gsize, MAX_EVALUATION_SAMPLES);
  for (gsize i = 0; i < MAX_EVALUATION_SAMPLES; i++)
    indices[i] = i * n_samples / MAX_EVALUATION_SAMPLES;

  return ls_samples_subset (samples, indices, MAX_EVALUATION_SAMPLES);
}

/* Drops the trainer, so that the next run starts from the network as
 * it is now. The history and the counters stay until the next run. The
 * worker must not be running. */
static void
drop_trainer (LsTrainingController *self)
{
  g_assert (self->thread == NULL);

  g_clear_pointer (&self->trainer, ls_trainer_free);
  g_array_set_size (self->pending, 0);
  g_clear_error (&self->worker_error);
  g_clear_error (&self->error);
  self->steps_unsynced = 0;
  self->last_epoch = 0;
  self->epoch_steps = 0;
}

/* Keeps the network's parameters as the weights before training, which
 * Reset restores until the structure changes. */
static void
take_snapshot (LsTrainingController *self)
{
  g_array_set_size (self->snapshot, 0);
  visit_parameters (self->network, append_values, self->snapshot);
  self->snapshot_valid = TRUE;
  self->snapshot_lost = FALSE;
}

/* Gives the network back the parameters of the snapshot, with one
 * change signal. */
static void
restore_snapshot (LsTrainingController *self)
{
  const float *values = (const float *) (gconstpointer) self->snapshot->data;
  gsize offset = 0;

  ls_network_freeze_changes (self->network);
  for (gsize i = 0; i < ls_network_get_n_layers (self->network); i++)
    {
      g_autoptr(GError) error = NULL;
      const LsLayer *layer = ls_network_get_layer (self->network, i);
      gsize n_weights = ls_layer_get_n_weights (layer);
      gsize n_biases = ls_layer_get_n_biases (layer);

      if (offset + n_weights + n_biases > self->snapshot->len
          || !ls_network_set_layer_parameters (self->network, i, values + offset, n_weights,
                                               values + offset + n_weights, n_biases, &error))
        {
          g_warning ("Could not restore the weights of layer %zu: %s", i + 1,
                     error != NULL ? error->message : "the layer grew");
          break;
        }
      offset += n_weights + n_biases;
    }
  self->syncing = TRUE;
  ls_network_thaw_changes (self->network);
  self->syncing = FALSE;
}

static gboolean
ensure_trainer (LsTrainingController  *self,
                GError               **error)
{
  gsize layer;
  guint64 step;

  if (self->trainer != NULL && ls_trainer_has_diverged (self->trainer, &layer, &step))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_DIVERGED,
                   _("Training diverged. Press Reset to start again from the first weights, "
                     "perhaps with a lower learning rate."));
      return FALSE;
    }

  if (self->trainer != NULL)
    return TRUE;

  if (self->train == NULL)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   _("No training samples are set. Pick a training set first."));
      return FALSE;
    }

  self->trainer = ls_trainer_new (self->network, &self->settings, self->train, self->test, error);
  if (self->trainer == NULL)
    return FALSE;

  clear_history (self);
  if (!self->snapshot_valid)
    take_snapshot (self);

  clear_samples_scored (self);
  self->train_scored = make_scored_set (self->train);
  self->test_scored = make_scored_set (self->test);
  remember_parameters (self);

  return TRUE;
}

/* Stops a run without copying the trainer's weights, because the user
 * changed the network, and drops the trainer. A structure change also
 * makes the weights from before training useless for Reset. */
static void
network_changed_cb (LsTrainingController *self,
                    guint                 change,
                    LsNetwork            *network)
{
  gboolean was_running = self->thread != NULL;

  if (self->syncing || change == LS_CHANGE_METADATA)
    return;

  if ((change & LS_CHANGE_STRUCTURE) && self->snapshot_valid)
    {
      self->snapshot_valid = FALSE;
      self->snapshot_lost = TRUE;
      if (self->trainer == NULL)
        g_signal_emit (self, signals[SIGNAL_UPDATED], 0);
    }

  if (self->trainer == NULL)
    return;

  /* An edit of the input alone leaves the weights, so training goes on. */
  if (change == LS_CHANGE_VALUES && !parameters_changed (self))
    return;

  g_debug ("The network changed during training; dropping the trainer");
  join_worker (self);
  drop_trainer (self);
  if (was_running)
    self->stop_reason = LS_TRAINING_STOP_EDITED;
  g_signal_emit (self, signals[SIGNAL_UPDATED], 0);
  if (was_running)
    g_signal_emit (self, signals[SIGNAL_STOPPED], 0);
}

/* GObject ---------------------------------------------------------------- */

static void
ls_training_controller_dispose (GObject *object)
{
  LsTrainingController *self = LS_TRAINING_CONTROLLER (object);

  join_worker (self);
  if (self->network != NULL)
    g_signal_handlers_disconnect_by_data (self->network, self);
  g_clear_object (&self->network);

  G_OBJECT_CLASS (ls_training_controller_parent_class)->dispose (object);
}

static void
ls_training_controller_finalize (GObject *object)
{
  LsTrainingController *self = LS_TRAINING_CONTROLLER (object);

  g_clear_pointer (&self->trainer, ls_trainer_free);
  clear_samples_scored (self);
  g_clear_pointer (&self->train, ls_samples_unref);
  g_clear_pointer (&self->test, ls_samples_unref);
  g_array_unref (self->pending);
  g_array_unref (self->history);
  g_clear_error (&self->worker_error);
  g_clear_error (&self->error);
  g_array_unref (self->parameters);
  g_array_unref (self->snapshot);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->main_done);
  g_cond_clear (&self->wake);

  G_OBJECT_CLASS (ls_training_controller_parent_class)->finalize (object);
}

static void
ls_training_controller_class_init (LsTrainingControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ls_training_controller_dispose;
  object_class->finalize = ls_training_controller_finalize;

  /**
   * LsTrainingController::updated:
   *
   * Emitted on the main thread after the controller copied trained
   * weights into the network or appended history points, and after a
   * reset or an edit cleared the history.
   */
  signals[SIGNAL_UPDATED] =
    g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * LsTrainingController::stopped:
   *
   * Emitted on the main thread when a run ends: paused, reset, diverged
   * or stopped by an edit of the network.
   */
  signals[SIGNAL_STOPPED] =
    g_signal_new ("stopped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ls_training_controller_init (LsTrainingController *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->main_done);
  g_cond_init (&self->wake);
  self->pending = g_array_new (FALSE, FALSE, sizeof (LsTrainingPoint));
  self->history = g_array_new (FALSE, FALSE, sizeof (LsTrainingPoint));
  self->parameters = g_array_new (FALSE, FALSE, sizeof (float));
  self->snapshot = g_array_new (FALSE, FALSE, sizeof (float));
  self->history_stride = 1;
  ls_train_settings_init (&self->settings);
}

/* Public API ------------------------------------------------------------- */

LsTrainingController *
ls_training_controller_new (LsNetwork *network)
{
  LsTrainingController *self;

  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);

  self = g_object_new (LS_TYPE_TRAINING_CONTROLLER, NULL);
  self->network = g_object_ref (network);
  g_signal_connect_swapped (network, "changed", G_CALLBACK (network_changed_cb), self);

  return self;
}

LsNetwork *
ls_training_controller_get_network (LsTrainingController *self)
{
  g_return_val_if_fail (LS_IS_TRAINING_CONTROLLER (self), NULL);

  return self->network;
}

/* Replaces the training and test samples. test may be NULL. Stops a run
 * and clears the history, because the next run needs a new trainer. */
gboolean
ls_training_controller_set_samples (LsTrainingController  *self,
                                    LsSamples             *train,
                                    LsSamples             *test,
                                    GError               **error)
{
  g_return_val_if_fail (LS_IS_TRAINING_CONTROLLER (self), FALSE);
  g_return_val_if_fail (train != NULL || test == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (train != NULL && test != NULL
      && !ls_shape_equal (ls_samples_get_shape (train), ls_samples_get_shape (test)))
    {
      g_autofree char *train_shape = ls_shape_to_string (ls_samples_get_shape (train));
      g_autofree char *test_shape = ls_shape_to_string (ls_samples_get_shape (test));

      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   _("The training samples have shape %s but the test samples %s. Use two sets of one shape."),
                   train_shape, test_shape);
      return FALSE;
    }

  ls_training_controller_pause (self);
  drop_trainer (self);
  clear_history (self);
  self->stop_reason = LS_TRAINING_STOP_NONE;
  clear_samples_scored (self);
  g_clear_pointer (&self->train, ls_samples_unref);
  g_clear_pointer (&self->test, ls_samples_unref);
  self->train = train != NULL ? ls_samples_ref (train) : NULL;
  self->test = test != NULL ? ls_samples_ref (test) : NULL;
  g_signal_emit (self, signals[SIGNAL_UPDATED], 0);

  return TRUE;
}

LsSamples *
ls_training_controller_get_train_samples (LsTrainingController *self)
{
  g_return_val_if_fail (LS_IS_TRAINING_CONTROLLER (self), NULL);

  return self->train;
}

LsSamples *
ls_training_controller_get_test_samples (LsTrainingController *self)
{
  g_return_val_if_fail (LS_IS_TRAINING_CONTROLLER (self), NULL);

  return self->test;
}

/* Sets the loss, optimiser and their parameters. A running worker uses
 * them from its next step. */
gboolean
ls_training_controller_set_settings (LsTrainingController  *self,
                                     const LsTrainSettings *settings,
                                     GError               **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (LS_IS_TRAINING_CONTROLLER (self), FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!ls_train_settings_check (settings, error))
    return FALSE;

  lock_from_main (self);
  if (self->trainer != NULL)
    ok = ls_trainer_set_settings (self->trainer, settings, error);
  if (ok)
    self->settings = *settings;
  unlock_from_main (self);

  return ok;
}

const LsTrainSettings *
ls_training_controller_get_settings (LsTrainingController *self)
{
  g_return_val_if_fail (LS_IS_TRAINING_CONTROLLER (self), NULL);

  return &self->settings;
}

/* Starts the worker. Does nothing when it runs already. Fails when no
 * samples are set or they do not fit the network. */
gboolean
ls_training_controller_play (LsTrainingController  *self,
                             GError               **error)
{
  g_return_val_if_fail (LS_IS_TRAINING_CONTROLLER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->thread != NULL)
    return TRUE;

  if (!ensure_trainer (self, error))
    return FALSE;

  g_clear_error (&self->error);
  self->stop_reason = LS_TRAINING_STOP_NONE;
  self->worker_done = FALSE;
  g_atomic_int_set (&self->stop_requested, FALSE);
  self->thread = g_thread_new ("layerscope-train", train_thread, self);
  self->sync_source = g_timeout_add (SYNC_INTERVAL_MS, sync_cb, self);

  return TRUE;
}

/* Stops the worker and waits for it, then shows its last weights and
 * points. Does nothing when no run is on. */
void
ls_training_controller_pause (LsTrainingController *self)
{
  g_return_if_fail (LS_IS_TRAINING_CONTROLLER (self));

  if (self->thread == NULL)
    return;

  join_worker (self);
  sync_from_trainer (self);
  self->stop_reason = self->error != NULL ? LS_TRAINING_STOP_FAILED : LS_TRAINING_STOP_PAUSED;
  g_signal_emit (self, signals[SIGNAL_UPDATED], 0);
  g_signal_emit (self, signals[SIGNAL_STOPPED], 0);
}

/* Trains one batch on the calling thread and takes a history point.
 * Fails while a run is on, without samples, or when the step diverges. */
gboolean
ls_training_controller_step (LsTrainingController  *self,
                             GError               **error)
{
  g_autoptr(GError) step_error = NULL;
  LsTrainingPoint point;

  g_return_val_if_fail (LS_IS_TRAINING_CONTROLLER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->thread != NULL)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("Training is running. Pause it before training one step."));
      return FALSE;
    }

  if (!ensure_trainer (self, error))
    return FALSE;

  g_clear_error (&self->error);
  self->stop_reason = LS_TRAINING_STOP_NONE;
  lock_from_main (self);
  if (train_step (self, &step_error))
    {
      take_point (self, &point);
      g_array_append_val (self->pending, point);
    }
  else
    self->worker_error = g_error_copy (step_error);
  unlock_from_main (self);

  sync_from_trainer (self);
  g_signal_emit (self, signals[SIGNAL_UPDATED], 0);
  if (step_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&step_error));
      return FALSE;
    }

  return TRUE;
}

/* Stops a run and gives the network back the weights it had before its
 * first training, even after later edits of weights or new samples.
 * Then it clears the history and the error. Without those weights, after
 * a change of the structure, only the run stops; see
 * ls_training_controller_get_reset_problem(). */
void
ls_training_controller_reset (LsTrainingController *self)
{
  g_return_if_fail (LS_IS_TRAINING_CONTROLLER (self));

  ls_training_controller_pause (self);
  if (self->snapshot_valid)
    restore_snapshot (self);
  drop_trainer (self);
  clear_history (self);
  remember_parameters (self);
  self->stop_reason = LS_TRAINING_STOP_NONE;
  g_signal_emit (self, signals[SIGNAL_UPDATED], 0);
}

/* Returns why Reset cannot restore the weights from before training, or
 * NULL when it can. */
const char *
ls_training_controller_get_reset_problem (LsTrainingController *self)
{
  g_return_val_if_fail (LS_IS_TRAINING_CONTROLLER (self), NULL);

  if (self->snapshot_valid)
    return NULL;
  if (self->snapshot_lost)
    return _("Reset is off because the layers changed after training, so the weights from "
             "before training no longer fit. Training again makes a new starting point.");

  return _("Reset is off until the network has trained.");
}

/* Returns how the last run ended. */
LsTrainingStop
ls_training_controller_get_stop_reason (LsTrainingController *self)
{
  g_return_val_if_fail (LS_IS_TRAINING_CONTROLLER (self), LS_TRAINING_STOP_NONE);

  return self->stop_reason;
}

/* Sets how many batches a second a run trains, at most; 0 trains as fast
 * as the machine goes. A running worker takes the new speed at once.
 * ls_training_controller_step() is not affected. */
void
ls_training_controller_set_speed (LsTrainingController *self,
                                  double                batches_per_second)
{
  g_return_if_fail (LS_IS_TRAINING_CONTROLLER (self));
  g_return_if_fail (isfinite (batches_per_second) && batches_per_second >= 0.0);

  lock_from_main (self);
  self->speed = batches_per_second;
  g_cond_broadcast (&self->wake);
  unlock_from_main (self);
}

double
ls_training_controller_get_speed (LsTrainingController *self)
{
  g_return_val_if_fail (LS_IS_TRAINING_CONTROLLER (self), 0.0);

  return self->speed;
}

/* Makes a run stop at the end of epoch epochs, counted from the first
 * weights, and emit "stopped"; 0 for no limit. A run started at or past
 * the limit stops without training. */
void
ls_training_controller_set_max_epochs (LsTrainingController *self,
                                       guint64               epochs)
{
  g_return_if_fail (LS_IS_TRAINING_CONTROLLER (self));

  lock_from_main (self);
  self->max_epochs = epochs;
  unlock_from_main (self);
}

guint64
ls_training_controller_get_max_epochs (LsTrainingController *self)
{
  g_return_val_if_fail (LS_IS_TRAINING_CONTROLLER (self), 0);

  return self->max_epochs;
}

gboolean
ls_training_controller_is_running (LsTrainingController *self)
{
  g_return_val_if_fail (LS_IS_TRAINING_CONTROLLER (self), FALSE);

  return self->thread != NULL;
}

/* Returns the batches trained since the trainer was made or reset, as
 * of the last copy into the network. */
guint64
ls_training_controller_get_step (LsTrainingController *self)
{
  g_return_val_if_fail (LS_IS_TRAINING_CONTROLLER (self), 0);

  return self->step;
}

double
ls_training_controller_get_epoch (LsTrainingController *self)
{
  g_return_val_if_fail (LS_IS_TRAINING_CONTROLLER (self), 0.0);

  return self->epoch;
}

/* Returns the history points, oldest first, or NULL when there are none. */
const LsTrainingPoint *
ls_training_controller_get_history (LsTrainingController *self,
                                    gsize                *n_points)
{
  g_return_val_if_fail (LS_IS_TRAINING_CONTROLLER (self), NULL);
  g_return_val_if_fail (n_points != NULL, NULL);

  *n_points = self->history->len;
  if (self->history->len == 0)
    return NULL;

  return (const LsTrainingPoint *) (gconstpointer) self->history->data;
}

/* Returns why the last run stopped by itself, e.g. the divergence
 * message, or NULL. */
const GError *
ls_training_controller_get_error (LsTrainingController *self)
{
  g_return_val_if_fail (LS_IS_TRAINING_CONTROLLER (self), NULL);

  return self->error;
}
