/* ls-trainer.c: training a copy of a network on a set of samples
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ls-error.h"
#include "ls-trainer-private.h"

typedef struct
{
  const char *name;
  const char *display_name;  /* marked with N_() and translated on use */
} NameInfo;

static const NameInfo loss_info[] = {
  [LS_LOSS_CROSS_ENTROPY] = { "cross_entropy", N_("Cross-entropy") },
  [LS_LOSS_MEAN_SQUARED]  = { "mean_squared",  N_("Mean squared error") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (loss_info) == LS_N_LOSSES);

static const NameInfo optimizer_info[] = {
  [LS_OPTIMIZER_SGD]  = { "sgd",  N_("SGD with momentum") },
  [LS_OPTIMIZER_ADAM] = { "adam", N_("Adam") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (optimizer_info) == LS_N_OPTIMIZERS);

static gboolean
find_name (const NameInfo *table,
           guint           n,
           const char     *name,
           guint          *index)
{
  for (guint i = 0; i < n; i++)
    {
      if (g_str_equal (name, table[i].name))
        {
          *index = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* Returns the name used in documents and on the command line, e.g. "cross_entropy". */
const char *
ls_loss_get_name (LsLoss loss)
{
  g_return_val_if_fail (loss < LS_N_LOSSES, NULL);

  return loss_info[loss].name;
}

const char *
ls_loss_get_display_name (LsLoss loss)
{
  g_return_val_if_fail (loss < LS_N_LOSSES, NULL);

  return g_dgettext (GETTEXT_PACKAGE, loss_info[loss].display_name);
}

gboolean
ls_loss_from_name (const char *name,
                   LsLoss     *loss)
{
  guint index;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (loss != NULL, FALSE);

  if (!find_name (loss_info, LS_N_LOSSES, name, &index))
    return FALSE;
  *loss = index;

  return TRUE;
}

/* Returns the name used in documents and on the command line, e.g. "adam". */
const char *
ls_optimizer_get_name (LsOptimizer optimizer)
{
  g_return_val_if_fail (optimizer < LS_N_OPTIMIZERS, NULL);

  return optimizer_info[optimizer].name;
}

const char *
ls_optimizer_get_display_name (LsOptimizer optimizer)
{
  g_return_val_if_fail (optimizer < LS_N_OPTIMIZERS, NULL);

  return g_dgettext (GETTEXT_PACKAGE, optimizer_info[optimizer].display_name);
}

gboolean
ls_optimizer_from_name (const char  *name,
                        LsOptimizer *optimizer)
{
  guint index;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (optimizer != NULL, FALSE);

  if (!find_name (optimizer_info, LS_N_OPTIMIZERS, name, &index))
    return FALSE;
  *optimizer = index;

  return TRUE;
}

/* Returns a learning rate that trains the 2-D sets and the digits well
 * with this optimiser: Adam's steps are normalised, so it takes a
 * smaller rate than SGD with momentum. */
double
ls_optimizer_get_default_learning_rate (LsOptimizer optimizer)
{
  g_return_val_if_fail (optimizer < LS_N_OPTIMIZERS, 0.0);

  return optimizer == LS_OPTIMIZER_ADAM ? 0.01 : 0.03;
}

/* Fills settings with the defaults: cross-entropy, SGD with learning
 * rate 0.03 and momentum 0.9, batches of 10, and the Adam constants of
 * torch.optim.Adam (0.9, 0.999, 1e-8) for when Adam is chosen. */
void
ls_train_settings_init (LsTrainSettings *settings)
{
  g_return_if_fail (settings != NULL);

  *settings = (LsTrainSettings) {
    .loss = LS_LOSS_CROSS_ENTROPY,
    .optimizer = LS_OPTIMIZER_SGD,
    .learning_rate = ls_optimizer_get_default_learning_rate (LS_OPTIMIZER_SGD),
    .momentum = 0.9,
    .beta1 = 0.9,
    .beta2 = 0.999,
    .epsilon = 1e-8,
    .l2 = 0.0,
    .batch_size = 10,
    .seed = 1,
  };
}

/* Sets an error with message, a format with one %g for value, and
 * returns FALSE. */
static gboolean
reject_setting (const char *message,
                double      value,
                GError    **error)
{
  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT, message, value);

  return FALSE;
}

static gboolean
is_fraction (double value)
{
  return value >= 0.0 && value < 1.0;
}

/* Checks every field of settings. The messages name the value and its
 * valid range. NaN fails every check. */
gboolean
ls_train_settings_check (const LsTrainSettings *settings,
                         GError               **error)
{
  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (settings->loss >= LS_N_LOSSES || settings->optimizer >= LS_N_OPTIMIZERS)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("Unknown loss %u or optimiser %u"), settings->loss, settings->optimizer);
      return FALSE;
    }
  if (!(settings->learning_rate > 0.0 && settings->learning_rate <= 10.0))
    return reject_setting (_("The learning rate must be above 0 and at most 10, not %g"),
                           settings->learning_rate, error);
  if (!is_fraction (settings->momentum))
    return reject_setting (_("The momentum must be from 0 to below 1, not %g"), settings->momentum, error);
  if (!is_fraction (settings->beta1))
    return reject_setting (_("Adam’s beta1 must be from 0 to below 1, not %g"), settings->beta1, error);
  if (!is_fraction (settings->beta2))
    return reject_setting (_("Adam’s beta2 must be from 0 to below 1, not %g"), settings->beta2, error);
  if (!(settings->epsilon > 0.0 && isfinite (settings->epsilon)))
    return reject_setting (_("Adam’s epsilon must be a finite number above 0, not %g"),
                           settings->epsilon, error);
  if (!(settings->l2 >= 0.0 && settings->l2 <= 1.0))
    return reject_setting (_("The L2 factor must be from 0 to 1, not %g"), settings->l2, error);
  if (settings->batch_size < 1 || settings->batch_size > LS_MAX_SAMPLES)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("The batch size must be from 1 to %u, not %zu"),
                   LS_MAX_SAMPLES, settings->batch_size);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_input_shape (LsTrainer  *self,
                   LsSamples  *samples,
                   GError    **error)
{
  const LsLayer *first = self->layers[0].layer;
  gsize sample_size = ls_samples_get_input_size (samples);
  gsize network_size = ls_shape_get_size (&first->input_shape);
  gboolean fits = sample_size == network_size;
  g_autofree char *sample_shape = NULL;
  g_autofree char *network_shape = NULL;

  /* Any rank fits a dense layer, but token ids must come as a list. */
  if (first->kind == LS_LAYER_EMBEDDING)
    fits = fits && ls_samples_get_shape (samples)->rank == 1;
  if (fits)
    return TRUE;

  sample_shape = ls_shape_to_string (ls_samples_get_shape (samples));
  network_shape = ls_shape_to_string (&first->input_shape);
  if (first->kind == LS_LAYER_EMBEDDING)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   _("The network reads a text of shape %s, one token id per token, but "
                     "the samples of “%s” have shape %s. A text network trains on rows of "
                     "that many ids from its vocabulary, as many as its text has tokens; a "
                     "set of numbers needs a network with a number input."),
                   network_shape, ls_samples_get_name (samples), sample_shape);
      return FALSE;
    }
  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
               _("The samples of “%s” have shape %s, but the network takes %s. Choose a "
                 "data set that fits the network’s input, or change the input."),
               ls_samples_get_name (samples), sample_shape, network_shape);

  return FALSE;
}

/* Token ids index the rows of the embedding table, so each must be a
 * whole number below the vocabulary size. */
static gboolean
check_token_ids (LsTrainer  *self,
                 LsSamples  *samples,
                 GError    **error)
{
  const LsLayer *first = self->layers[0].layer;
  gsize tokens = ls_samples_get_input_size (samples);

  if (first->kind != LS_LAYER_EMBEDDING)
    return TRUE;

  for (gsize i = 0; i < ls_samples_get_n_samples (samples); i++)
    {
      const float *ids = ls_samples_get_input (samples, i);

      for (gsize t = 0; t < tokens; t++)
        {
          if (ids[t] >= 0.0f && ids[t] < (float) first->rows && ids[t] == floorf (ids[t]))
            continue;

          g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                       _("Sample %zu of “%s” has token id %g, but token ids are whole "
                         "numbers from 0 to %zu in this vocabulary. Use samples made with "
                         "this network’s vocabulary."),
                       i + 1, ls_samples_get_name (samples), ids[t], first->rows - 1);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
check_outputs (LsTrainer  *self,
               LsSamples  *samples,
               LsLoss      loss,
               GError    **error)
{
  const LsLayer *last = self->layers[self->n_layers - 1].layer;
  gsize outputs = ls_layer_get_outputs (last);
  gboolean classification = ls_samples_is_classification (samples);

  if (loss == LS_LOSS_CROSS_ENTROPY && !classification)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   _("Cross-entropy needs classes, but “%s” is a regression set with target "
                     "values. Choose mean squared error as the loss."),
                   ls_samples_get_name (samples));
      return FALSE;
    }
  if (classification && outputs != ls_samples_get_n_classes (samples))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The network has %zu output, but “%s” has %zu classes. "
                                "Give the last layer one output per class.",
                                "The network has %zu outputs, but “%s” has %zu classes. "
                                "Give the last layer one output per class.",
                                outputs),
                   outputs, ls_samples_get_name (samples), ls_samples_get_n_classes (samples));
      return FALSE;
    }
  if (!classification && outputs != ls_samples_get_target_size (samples))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The network has %zu output, but each sample of “%s” has a "
                                "target of size %zu. Give the last layer one output per target value.",
                                "The network has %zu outputs, but each sample of “%s” has a "
                                "target of size %zu. Give the last layer one output per target value.",
                                outputs),
                   outputs, ls_samples_get_name (samples), ls_samples_get_target_size (samples));
      return FALSE;
    }

  return TRUE;
}

/* Checks that samples fit the network's input and output and the loss. */
gboolean
ls_trainer_check_samples (LsTrainer  *self,
                          LsSamples  *samples,
                          LsLoss      loss,
                          GError    **error)
{
  if (ls_samples_get_n_samples (samples) == 0)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   _("The data set “%s” has no samples. Choose a data set with samples."),
                   ls_samples_get_name (samples));
      return FALSE;
    }

  return check_input_shape (self, samples, error) &&
         check_token_ids (self, samples, error) &&
         check_outputs (self, samples, loss, error);
}

/* Copies the network's layers and lays out the flat parameter buffers. */
static gboolean
copy_layers (LsTrainer  *self,
             LsNetwork  *network,
             GError    **error)
{
  self->n_layers = ls_network_get_n_layers (network);
  if (self->n_layers == 0)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The network has no layers. Add a layer before training."));
      return FALSE;
    }

  self->layers = g_new0 (LsTrainLayer, self->n_layers);
  for (gsize i = 0; i < self->n_layers; i++)
    {
      LsTrainLayer *slot = &self->layers[i];
      const LsLayer *layer = ls_network_get_layer (network, i);

      slot->layer = ls_layer_copy (layer);
      slot->n_weights = ls_layer_get_n_weights (layer);
      slot->n_biases = ls_layer_get_n_biases (layer);
      slot->offset = self->n_parameters;
      self->n_parameters += slot->n_weights + slot->n_biases;
      self->max_size = MAX (self->max_size, ls_shape_get_size (&layer->input_shape));
      self->max_size = MAX (self->max_size, ls_layer_get_outputs (layer));
    }
  if (self->n_parameters == 0)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The network has no weights or biases to train. Add a dense, "
                     "convolution or other layer with parameters."));
      return FALSE;
    }

  return TRUE;
}

/* Copies the parameters of every layer into buffer, [n_parameters] in
 * the layout of LsTrainLayer. */
void
ls_trainer_store_parameters (LsTrainer *self,
                             float     *buffer)
{
  for (gsize i = 0; i < self->n_layers; i++)
    {
      const LsTrainLayer *slot = &self->layers[i];

      if (slot->n_weights > 0)
        memcpy (buffer + slot->offset, slot->layer->weights, slot->n_weights * sizeof (float));
      if (slot->n_biases > 0)
        memcpy (buffer + slot->offset + slot->n_weights, slot->layer->bias, slot->n_biases * sizeof (float));
    }
}

/* Copies buffer, as ls_trainer_store_parameters() wrote it, back into
 * the parameters of every layer. */
void
ls_trainer_load_parameters (LsTrainer   *self,
                            const float *buffer)
{
  for (gsize i = 0; i < self->n_layers; i++)
    {
      const LsTrainLayer *slot = &self->layers[i];

      if (slot->n_weights > 0)
        memcpy (slot->layer->weights, buffer + slot->offset, slot->n_weights * sizeof (float));
      if (slot->n_biases > 0)
        memcpy (slot->layer->bias, buffer + slot->offset + slot->n_weights, slot->n_biases * sizeof (float));
    }
}

static void
allocate_buffers (LsTrainer *self)
{
  gsize work_size = 0;

  for (gsize i = 0; i < self->n_layers; i++)
    work_size = MAX (work_size, ls_layer_get_backward_work_size (self->layers[i].layer));

  self->initial = g_new (float, self->n_parameters);
  self->saved = g_new (float, self->n_parameters);
  self->gradient = g_new0 (float, self->n_parameters);
  self->moment1 = g_new0 (float, self->n_parameters);
  self->moment2 = g_new0 (float, self->n_parameters);
  self->grad_a = g_new0 (float, self->max_size);
  self->grad_b = g_new0 (float, self->max_size);
  self->work = g_new0 (float, MAX (work_size, 1));
  self->order = g_new (gsize, ls_samples_get_n_samples (self->train));
  ls_trainer_store_parameters (self, self->initial);
}

/**
 * ls_trainer_new:
 * @network: the network to train. The trainer copies its layers, so
 *   @network may change or go away while the trainer runs in another thread.
 * @settings: the loss, optimiser and batches
 * @train: the samples to train on
 * @test: (nullable): samples to evaluate on
 * @error: return location for an LS_ERROR
 *
 * Creates a trainer. The samples must have as many input values as the
 * network takes, in a shape of any rank: 8×8 digits fit a dense layer of
 * 64 inputs. A network with token input takes samples that are lists of
 * token ids of its vocabulary, as many as its current number of tokens.
 *
 * Cross-entropy needs a classification set with one output per class.
 * Mean squared error takes a regression set with one output per target
 * value, or a classification set with one output per class, whose
 * targets are then one-hot vectors.
 *
 * The L2 term of the settings decays everything in layer->weights, so
 * also layernorm gamma and the embedding and positional tables, and
 * nothing in layer->bias.
 *
 * Returns: (transfer full) (nullable): the trainer, or NULL with @error set
 */
LsTrainer *
ls_trainer_new (LsNetwork             *network,
                const LsTrainSettings *settings,
                LsSamples             *train,
                LsSamples             *test,
                GError               **error)
{
  g_autoptr(LsTrainer) self = NULL;

  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);
  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (train != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ls_train_settings_check (settings, error))
    return NULL;

  self = g_new0 (LsTrainer, 1);
  self->settings = *settings;
  self->train = ls_samples_ref (train);
  self->test = test != NULL ? ls_samples_ref (test) : NULL;
  if (!copy_layers (self, network, error) ||
      !ls_trainer_check_samples (self, train, settings->loss, error) ||
      (test != NULL && !ls_trainer_check_samples (self, test, settings->loss, error)))
    return NULL;

  allocate_buffers (self);
  ls_trainer_reset (self);

  return g_steal_pointer (&self);
}

void
ls_trainer_free (LsTrainer *self)
{
  if (self == NULL)
    return;

  for (gsize i = 0; i < self->n_layers; i++)
    ls_layer_free (self->layers[i].layer);
  g_free (self->layers);
  g_clear_pointer (&self->train, ls_samples_unref);
  g_clear_pointer (&self->test, ls_samples_unref);
  g_free (self->initial);
  g_free (self->saved);
  g_free (self->gradient);
  g_free (self->moment1);
  g_free (self->moment2);
  g_free (self->grad_a);
  g_free (self->grad_b);
  g_free (self->work);
  g_free (self->order);
  g_free (self->diverged_message);
  g_free (self);
}

/* Changes the settings from the next step on, except the seed, which
 * draws the order from the next epoch on. A change of optimiser clears
 * the optimiser state, and a new loss must still fit the samples. */
gboolean
ls_trainer_set_settings (LsTrainer             *self,
                         const LsTrainSettings *settings,
                         GError               **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!ls_train_settings_check (settings, error))
    return FALSE;
  if (settings->loss != self->settings.loss &&
      (!ls_trainer_check_samples (self, self->train, settings->loss, error) ||
       (self->test != NULL && !ls_trainer_check_samples (self, self->test, settings->loss, error))))
    return FALSE;

  if (settings->optimizer != self->settings.optimizer)
    ls_trainer_clear_optimizer (self);
  self->settings = *settings;

  return TRUE;
}

const LsTrainSettings *
ls_trainer_get_settings (LsTrainer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->settings;
}

LsSamples *
ls_trainer_get_train_samples (LsTrainer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->train;
}

/* Returns the test samples, or NULL when the trainer has none. */
LsSamples *
ls_trainer_get_test_samples (LsTrainer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->test;
}

void
ls_trainer_clear_optimizer (LsTrainer *self)
{
  memset (self->moment1, 0, self->n_parameters * sizeof (float));
  memset (self->moment2, 0, self->n_parameters * sizeof (float));
  self->optimizer_steps = 0;
}

/* Restores the initial parameters, clears the optimiser state and the
 * divergence, and starts again from step 0 of epoch 0 with the sample
 * order of the seed. */
void
ls_trainer_reset (LsTrainer *self)
{
  g_return_if_fail (self != NULL);

  ls_trainer_load_parameters (self, self->initial);
  ls_trainer_clear_optimizer (self);
  self->position = 0;
  self->step = 0;
  self->epoch = 0;
  self->batch_loss = NAN;
  self->diverged = FALSE;
  self->diverged_layer = 0;
  self->diverged_step = 0;
  g_clear_pointer (&self->diverged_message, g_free);
}

/* Returns the number of updates applied since creation or reset. */
guint64
ls_trainer_get_step (LsTrainer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->step;
}

/* Returns the number of whole epochs completed. */
guint64
ls_trainer_get_epoch (LsTrainer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->epoch;
}

/* Returns the mean loss of the last batch, without the L2 term, or NaN
 * before the first step. */
double
ls_trainer_get_batch_loss (LsTrainer *self)
{
  g_return_val_if_fail (self != NULL, NAN);

  return self->batch_loss;
}

/* Returns whether training stopped on a NaN or an infinity, and then
 * the index of the layer where it appeared (from 0) and the step that
 * failed (from 1). */
gboolean
ls_trainer_has_diverged (LsTrainer *self,
                         gsize     *layer,
                         guint64   *step)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->diverged && layer != NULL)
    *layer = self->diverged_layer;
  if (self->diverged && step != NULL)
    *step = self->diverged_step;

  return self->diverged;
}

/**
 * ls_trainer_evaluate:
 * @samples: samples that fit the network, as ls_trainer_new() checks
 * @score: (out): the mean loss without L2, and for a classification set
 *   the number of samples whose largest output is the label's
 *
 * Runs every sample through the trainer's current parameters. This
 * overwrites the forward state of the trainer's layers.
 */
void
ls_trainer_evaluate (LsTrainer *self,
                     LsSamples *samples,
                     LsScore   *score)
{
  const LsLayer *last;
  gsize n;
  double sum = 0.0;
  LsBackwardFrom from;

  g_return_if_fail (self != NULL);
  g_return_if_fail (samples != NULL);
  g_return_if_fail (score != NULL);

  *score = (LsScore) { .loss = NAN, .accuracy = NAN };
  g_return_if_fail (ls_trainer_check_samples (self, samples, self->settings.loss, NULL));

  last = self->layers[self->n_layers - 1].layer;
  n = ls_samples_get_n_samples (samples);
  score->samples = n;
  for (gsize i = 0; i < n; i++)
    {
      sum += ls_trainer_forward_loss (self, samples, i, self->grad_a, 1.0f, &from);
      if (ls_samples_is_classification (samples) &&
          ls_argmax (last->activation_output, ls_layer_get_outputs (last)) == ls_samples_get_label (samples, i))
        score->correct++;
    }
  score->loss = sum / (double) n;
  if (ls_samples_is_classification (samples))
    score->accuracy = (double) score->correct / (double) n;
}

gsize
ls_trainer_get_n_layers (LsTrainer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_layers;
}

/* Returns the trainer's copy of layer index, with the current parameters
 * and the forward state of the last sample it ran. */
const LsLayer *
ls_trainer_get_layer (LsTrainer *self,
                      gsize      index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->n_layers, NULL);

  return self->layers[index].layer;
}

static gboolean
check_same_structure (LsTrainer  *self,
                      LsNetwork  *network,
                      GError    **error)
{
  gboolean same = ls_network_get_n_layers (network) == self->n_layers;

  for (gsize i = 0; same && i < self->n_layers; i++)
    {
      const LsLayer *layer = ls_network_get_layer (network, i);
      const LsTrainLayer *slot = &self->layers[i];

      same = layer->kind == slot->layer->kind &&
             ls_layer_get_n_weights (layer) == slot->n_weights &&
             ls_layer_get_n_biases (layer) == slot->n_biases;
    }
  if (same)
    return TRUE;

  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
               _("The network’s layers changed since training started, so the trained weights "
                 "no longer fit. Start the training again from the current network."));

  return FALSE;
}

/* Writes the trained parameters into network, which must have the
 * structure the trainer copied, with one LsNetwork::changed signal. */
gboolean
ls_trainer_copy_to (LsTrainer  *self,
                    LsNetwork  *network,
                    GError    **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (LS_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_same_structure (self, network, error))
    return FALSE;

  ls_network_freeze_changes (network);
  for (gsize i = 0; ok && i < self->n_layers; i++)
    {
      const LsTrainLayer *slot = &self->layers[i];

      ok = ls_network_set_layer_parameters (network, i, slot->layer->weights, slot->n_weights,
                                            slot->layer->bias, slot->n_biases, error);
    }
  ls_network_thaw_changes (network);

  return ok;
}
