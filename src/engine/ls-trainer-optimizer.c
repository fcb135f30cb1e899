/* ls-trainer-optimizer.c: one training step: losses, backpropagation,
 * SGD and Adam updates, and stopping on NaN or infinity
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

/* Where a divergence first showed. */
typedef enum
{
  FOUND_IN_FORWARD,
  FOUND_IN_GRADIENT,
  FOUND_IN_UPDATE,
} FoundIn;

/* Returns whether every value is finite. It tests the exponent bits, so
 * that the loop has no branch and the compiler can vectorise it. */
static gboolean
floats_are_finite (const float *values,
                   gsize        n)
{
  guint32 bad = 0;

  for (gsize i = 0; i < n; i++)
    {
      guint32 bits;

      memcpy (&bits, &values[i], sizeof bits);
      bad |= (bits & 0x7f800000u) == 0x7f800000u;
    }

  return bad == 0;
}

/* Returns −log softmax(logits)[label], computed as log-sum-exp minus the
 * logit so that no exp() overflows, and writes
 * grad = scale · (softmax(logits) − onehot(label)), as
 * torch.nn.CrossEntropyLoss differentiates. */
static double
cross_entropy (float       *grad,    /* [n] */
               const float *logits,  /* [n] */
               gsize        n,
               guint        label,
               float        scale)
{
  float max = -INFINITY;
  double sum = 0.0;

  for (gsize i = 0; i < n; i++)
    max = MAX (max, logits[i]);
  for (gsize i = 0; i < n; i++)
    sum += exp ((double) logits[i] - max);

  for (gsize i = 0; i < n; i++)
    {
      double p = exp ((double) logits[i] - max) / sum;

      grad[i] = scale * (float) (p - (i == label ? 1.0 : 0.0));
    }

  return (double) max + log (sum) - (double) logits[label];
}

/* Returns the mean over the outputs of (output − target)², as
 * torch.nn.MSELoss, and writes its gradient times scale. A NULL target
 * is the one-hot vector of label. */
static double
mean_squared (float       *grad,     /* [n] */
              const float *output,   /* [n] */
              const float *target,   /* [n], nullable */
              gsize        n,
              guint        label,
              float        scale)
{
  double sum = 0.0;
  float factor = 2.0f * scale / (float) n;

  for (gsize i = 0; i < n; i++)
    {
      float t = target != NULL ? target[i] : (i == label ? 1.0f : 0.0f);
      float difference = output[i] - t;

      sum += (double) difference * difference;
      grad[i] = factor * difference;
    }

  return sum / (double) n;
}

/* Runs sample index of samples forward through the trainer's layers and
 * returns its loss. Writes the loss gradient times scale to grad_output.
 * *from is set to what that gradient is of, for ls_layer_backward(): the
 * output, or for a softmax layer under cross-entropy its pre-activation. */
double
ls_trainer_forward_loss (LsTrainer      *self,
                         LsSamples      *samples,
                         gsize           index,
                         float          *grad_output,  /* [outputs] */
                         float           scale,
                         LsBackwardFrom *from)
{
  const float *input = ls_samples_get_input (samples, index);
  const LsLayer *last;
  gsize n;
  guint label = 0;

  for (gsize i = 0; i < self->n_layers; i++)
    {
      ls_layer_forward (self->layers[i].layer, input);
      input = self->layers[i].layer->activation_output;
    }

  last = self->layers[self->n_layers - 1].layer;
  n = ls_layer_get_outputs (last);
  if (ls_samples_is_classification (samples))
    label = ls_samples_get_label (samples, index);
  *from = LS_BACKWARD_FROM_OUTPUT;

  if (self->settings.loss == LS_LOSS_MEAN_SQUARED)
    return mean_squared (grad_output, last->activation_output,
                         ls_samples_is_classification (samples) ? NULL : ls_samples_get_target (samples, index),
                         n, label, scale);

  if (last->activation == LS_ACTIVATION_SOFTMAX && !last->residual &&
      (last->kind == LS_LAYER_DENSE || last->kind == LS_LAYER_CONV2D))
    {
      *from = LS_BACKWARD_FROM_PRE_ACTIVATION;
      return cross_entropy (grad_output, last->pre_activation, n, label, scale);
    }

  return cross_entropy (grad_output, last->activation_output, n, label, scale);
}

/* Returns the first layer whose forward state is not finite, or n_layers. */
static gsize
find_forward_non_finite (LsTrainer *self)
{
  for (gsize i = 0; i < self->n_layers; i++)
    {
      const LsLayer *layer = self->layers[i].layer;
      gsize n = ls_layer_get_outputs (layer);

      if (!floats_are_finite (layer->pre_activation, n) || !floats_are_finite (layer->activation_output, n))
        return i;
    }

  return self->n_layers;
}

/* Adds the gradient of one sample, whose forward state the layers contain,
 * to self->gradient, from the output layer back to the first. */
static void
backward_sample (LsTrainer      *self,
                 const float    *sample_input,
                 LsBackwardFrom  from)
{
  float *grad_output = self->grad_a;
  float *grad_input = self->grad_b;

  for (gsize i = self->n_layers; i-- > 0;)
    {
      const LsTrainLayer *slot = &self->layers[i];
      const float *input = i > 0 ? self->layers[i - 1].layer->activation_output : sample_input;
      float *grad_weights = self->gradient + slot->offset;
      float *tmp;

      ls_layer_backward (slot->layer, input, grad_output, from, grad_input,
                         grad_weights, grad_weights + slot->n_weights, self->work);
      from = LS_BACKWARD_FROM_OUTPUT;

      tmp = grad_output;
      grad_output = grad_input;
      grad_input = tmp;
    }
}

/* Returns the layer whose gradient is not finite nearest the output,
 * where backpropagation met it first, or n_layers. */
static gsize
find_gradient_non_finite (LsTrainer *self)
{
  for (gsize i = self->n_layers; i-- > 0;)
    {
      const LsTrainLayer *slot = &self->layers[i];

      if (!floats_are_finite (self->gradient + slot->offset, slot->n_weights + slot->n_biases))
        return i;
    }

  return self->n_layers;
}

/* Applies torch.optim.SGD with weight decay l2, without dampening or
 * Nesterov (PyTorch 1.13, _single_tensor_sgd): g += l2·w, then buffer = g
 * on the first step and momentum·buffer + g after it, then w −= lr·buffer. */
static void
sgd_update (float       *params,    /* [n] */
            float       *buffer,    /* [n] */
            const float *grad,      /* [n] */
            gsize        n,
            float        lr,
            float        momentum,
            float        l2,
            gboolean     first)
{
  for (gsize i = 0; i < n; i++)
    {
      float g = grad[i] + l2 * params[i];

      buffer[i] = first ? g : momentum * buffer[i] + g;
      params[i] -= lr * buffer[i];
    }
}

/* Constants of Adam update number t, as torch.optim.Adam computes them
 * (PyTorch 1.13, _single_tensor_adam): step_size = lr / (1 − beta1^t)
 * and correction2_sqrt = √(1 − beta2^t). */
typedef struct
{
  float beta1;
  float beta2;
  float step_size;
  float correction2_sqrt;
  float epsilon;
  float l2;
} AdamStep;

/* Applies m = beta1·m + (1 − beta1)·g, v = beta2·v + (1 − beta2)·g² and
 * w −= step_size · m / (√v / correction2_sqrt + epsilon), in that order. */
static void
adam_update (float          *params,  /* [n] */
             float          *m,       /* [n] */
             float          *v,       /* [n] */
             const float    *grad,    /* [n] */
             gsize           n,
             const AdamStep *adam,
             float           l2)
{
  for (gsize i = 0; i < n; i++)
    {
      float g = grad[i] + l2 * params[i];

      m[i] = m[i] * adam->beta1 + (1.0f - adam->beta1) * g;
      v[i] = v[i] * adam->beta2 + (1.0f - adam->beta2) * g * g;
      params[i] -= adam->step_size * (m[i] / (sqrtf (v[i]) / adam->correction2_sqrt + adam->epsilon));
    }
}

/* Applies the optimiser to one block of parameters: the weights of a
 * layer (decayed by l2) or its biases (not decayed). */
static void
update_block (LsTrainer      *self,
              float          *params,
              gsize           offset,
              gsize           n,
              const AdamStep *adam,
              float           l2)
{
  const LsTrainSettings *settings = &self->settings;

  if (n == 0)
    return;

  if (settings->optimizer == LS_OPTIMIZER_ADAM)
    adam_update (params, self->moment1 + offset, self->moment2 + offset,
                 self->gradient + offset, n, adam, l2);
  else
    sgd_update (params, self->moment1 + offset, self->gradient + offset, n,
                (float) settings->learning_rate, (float) settings->momentum, l2,
                self->optimizer_steps == 0);
}

/* Updates every parameter from self->gradient. The L2 term applies to
 * layer->weights, which includes layernorm gamma and the embedding and
 * positional tables, and not to layer->bias. */
static void
apply_update (LsTrainer *self)
{
  const LsTrainSettings *settings = &self->settings;
  double t = (double) (self->optimizer_steps + 1);
  AdamStep adam = {
    .beta1 = (float) settings->beta1,
    .beta2 = (float) settings->beta2,
    .step_size = (float) (settings->learning_rate / (1.0 - pow (settings->beta1, t))),
    .correction2_sqrt = (float) sqrt (1.0 - pow (settings->beta2, t)),
    .epsilon = (float) settings->epsilon,
  };

  for (gsize i = 0; i < self->n_layers; i++)
    {
      LsTrainLayer *slot = &self->layers[i];

      update_block (self, slot->layer->weights, slot->offset, slot->n_weights, &adam, (float) settings->l2);
      update_block (self, slot->layer->bias, slot->offset + slot->n_weights, slot->n_biases, &adam, 0.0f);
    }
  self->optimizer_steps++;
}

/* Returns the first layer with a parameter that is not finite, or n_layers. */
static gsize
find_parameter_non_finite (LsTrainer *self)
{
  for (gsize i = 0; i < self->n_layers; i++)
    {
      const LsTrainLayer *slot = &self->layers[i];

      if (!floats_are_finite (slot->layer->weights, slot->n_weights) ||
          !floats_are_finite (slot->layer->bias, slot->n_biases))
        return i;
    }

  return self->n_layers;
}

/* Records the divergence of the current step at layer and sets error. */
static void
set_diverged (LsTrainer  *self,
              gsize       layer,
              FoundIn     found_in,
              GError    **error)
{
  const char *name = self->layers[layer].layer->name;
  g_autofree char *where = NULL;
  g_autofree char *weights_note = NULL;
  const char *problem;

  if (name != NULL && name[0] != '\0')
    where = g_strdup_printf (_("layer %zu (“%s”)"), layer + 1, name);
  else
    where = g_strdup_printf (_("layer %zu"), layer + 1);

  if (found_in == FOUND_IN_FORWARD)
    problem = _("gave an infinite value or NaN in the forward pass");
  else if (found_in == FOUND_IN_GRADIENT)
    problem = _("got an infinite or NaN gradient");
  else
    problem = _("got an infinite or NaN weight from the update");

  if (self->step == 0)
    weights_note = g_strdup (_("The weights are the initial ones."));
  else
    weights_note = g_strdup_printf (_("The weights are those of step %llu."), (unsigned long long) self->step);

  self->diverged = TRUE;
  self->diverged_layer = layer;
  self->diverged_step = self->step + 1;
  self->diverged_message =
    g_strdup_printf (_("Training stopped at step %llu: %s %s. %s Lower the learning "
                       "rate or use a larger batch size, and train again."),
                     (unsigned long long) self->diverged_step, where, problem, weights_note);
  g_set_error_literal (error, LS_ERROR, LS_ERROR_DIVERGED, self->diverged_message);
}

/* Draws the sample order of the current epoch by a Fisher–Yates shuffle.
 * Its seed combines the settings' seed and the epoch number, so an
 * epoch's order does not depend on the epochs before it. */
static void
shuffle_order (LsTrainer *self)
{
  gsize n = ls_samples_get_n_samples (self->train);
  LsRandom random;

  ls_random_init (&random, self->settings.seed ^ (self->epoch * G_GUINT64_CONSTANT (0xD1B54A32D192ED03)));
  for (gsize i = 0; i < n; i++)
    self->order[i] = i;
  ls_random_shuffle (&random, self->order, n);
}

/* Computes the mean gradient of samples order[first .. first + count) in
 * self->gradient and their mean loss. Returns the first layer whose
 * forward state is not finite, or n_layers. */
static gsize
compute_batch (LsTrainer *self,
               gsize      first,
               gsize      count,
               double    *loss)
{
  float scale = 1.0f / (float) count;
  double sum = 0.0;

  memset (self->gradient, 0, self->n_parameters * sizeof (float));
  for (gsize k = 0; k < count; k++)
    {
      gsize index = self->order[first + k];
      LsBackwardFrom from;
      gsize bad;

      sum += ls_trainer_forward_loss (self, self->train, index, self->grad_a, scale, &from);
      bad = find_forward_non_finite (self);
      if (bad < self->n_layers)
        return bad;

      backward_sample (self, ls_samples_get_input (self->train, index), from);
    }
  *loss = sum / (double) count;

  return self->n_layers;
}

/* Computes the gradient of samples order[first .. first + count) and
 * applies the update, or sets the divergence and error and leaves the
 * parameters as they were. */
static gboolean
train_batch (LsTrainer  *self,
             gsize       first,
             gsize       count,
             GError    **error)
{
  double loss = NAN;
  gsize bad;

  bad = compute_batch (self, first, count, &loss);
  if (bad < self->n_layers)
    {
      set_diverged (self, bad, FOUND_IN_FORWARD, error);
      return FALSE;
    }
  bad = find_gradient_non_finite (self);
  if (bad < self->n_layers || !isfinite (loss))
    {
      set_diverged (self, MIN (bad, self->n_layers - 1), FOUND_IN_GRADIENT, error);
      return FALSE;
    }

  /* Saving the parameters copies 106 floats per step for a 2-8-8-2
   * network, an estimated 1 % of a step of 10 samples at about 0.4 µs per
   * sample (x86-64, -O2). */
  ls_trainer_store_parameters (self, self->saved);
  apply_update (self);
  bad = find_parameter_non_finite (self);
  if (bad < self->n_layers)
    {
      ls_trainer_load_parameters (self, self->saved);
      set_diverged (self, bad, FOUND_IN_UPDATE, error);
      return FALSE;
    }
  self->batch_loss = loss;

  return TRUE;
}

/* Trains on the next batch of the epoch. Returns FALSE with
 * LS_ERROR_DIVERGED when a NaN or an infinity appeared in this step or
 * an earlier one: the parameters stay those from before the bad step
 * until ls_trainer_reset(). */
gboolean
ls_trainer_step (LsTrainer  *self,
                 GError    **error)
{
  gsize n, count;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->diverged)
    {
      g_set_error_literal (error, LS_ERROR, LS_ERROR_DIVERGED, self->diverged_message);
      return FALSE;
    }

  n = ls_samples_get_n_samples (self->train);
  if (self->position == 0)
    shuffle_order (self);
  count = MIN (self->settings.batch_size, n - self->position);
  if (!train_batch (self, self->position, count, error))
    return FALSE;

  self->step++;
  self->position += count;
  if (self->position == n)
    {
      self->position = 0;
      self->epoch++;
    }

  return TRUE;
}

/* Trains until the current epoch is complete: a whole epoch when called
 * at its start, the rest of it after single steps. */
gboolean
ls_trainer_run_epoch (LsTrainer  *self,
                      GError    **error)
{
  guint64 epoch;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  epoch = self->epoch;
  while (self->epoch == epoch)
    if (!ls_trainer_step (self, error))
      return FALSE;

  return TRUE;
}
