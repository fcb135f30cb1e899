/* ls-trainer.h: training a copy of a network on a set of samples
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ls-network.h"
#include "ls-samples.h"

G_BEGIN_DECLS

typedef enum
{
  LS_LOSS_CROSS_ENTROPY,  /* of the softmax output, or of the outputs read as logits */
  LS_LOSS_MEAN_SQUARED,   /* mean over the outputs of (output - target)² */
  LS_N_LOSSES
} LsLoss;

typedef enum
{
  LS_OPTIMIZER_SGD,   /* with momentum, as torch.optim.SGD */
  LS_OPTIMIZER_ADAM,  /* as torch.optim.Adam */
  LS_N_OPTIMIZERS
} LsOptimizer;

typedef struct
{
  LsLoss loss;
  LsOptimizer optimizer;
  double learning_rate;  /* above 0, at most 10 */
  double momentum;       /* SGD: 0 to below 1 */
  double beta1;          /* Adam: 0 to below 1 */
  double beta2;          /* Adam: 0 to below 1 */
  double epsilon;        /* Adam: above 0 */
  double l2;             /* 0 or more: l2·w is added to each weight's gradient, not to biases */
  gsize batch_size;      /* 1 to LS_MAX_SAMPLES */
  guint64 seed;          /* the order of the samples in each epoch */
} LsTrainSettings;

/* How well the network does on a set of samples. */
typedef struct
{
  double loss;       /* mean loss per sample, without the L2 term */
  gsize samples;
  gsize correct;     /* classification sets: argmax of the output equals the label */
  double accuracy;   /* correct / samples; NaN for a regression set */
} LsScore;

typedef struct _LsTrainer LsTrainer;

const char *ls_loss_get_name              (LsLoss                 loss);
const char *ls_loss_get_display_name      (LsLoss                 loss);
gboolean    ls_loss_from_name             (const char            *name,
                                           LsLoss                *loss);
const char *ls_optimizer_get_name         (LsOptimizer            optimizer);
const char *ls_optimizer_get_display_name (LsOptimizer            optimizer);
gboolean    ls_optimizer_from_name        (const char            *name,
                                           LsOptimizer           *optimizer);
double      ls_optimizer_get_default_learning_rate (LsOptimizer   optimizer);

void        ls_train_settings_init        (LsTrainSettings       *settings);
gboolean    ls_train_settings_check       (const LsTrainSettings *settings,
                                           GError               **error);

LsTrainer  *ls_trainer_new                (LsNetwork             *network,
                                           const LsTrainSettings *settings,
                                           LsSamples             *train,
                                           LsSamples             *test,
                                           GError               **error);
void        ls_trainer_free               (LsTrainer             *self);

gboolean    ls_trainer_set_settings       (LsTrainer             *self,
                                           const LsTrainSettings *settings,
                                           GError               **error);
const LsTrainSettings *ls_trainer_get_settings (LsTrainer        *self);
LsSamples  *ls_trainer_get_train_samples  (LsTrainer             *self);
LsSamples  *ls_trainer_get_test_samples   (LsTrainer             *self);

gboolean    ls_trainer_step               (LsTrainer             *self,
                                           GError               **error);
gboolean    ls_trainer_run_epoch          (LsTrainer             *self,
                                           GError               **error);
void        ls_trainer_reset              (LsTrainer             *self);

guint64     ls_trainer_get_step           (LsTrainer             *self);
guint64     ls_trainer_get_epoch          (LsTrainer             *self);
double      ls_trainer_get_batch_loss     (LsTrainer             *self);
gboolean    ls_trainer_has_diverged       (LsTrainer             *self,
                                           gsize                 *layer,
                                           guint64               *step);

void        ls_trainer_evaluate           (LsTrainer             *self,
                                           LsSamples             *samples,
                                           LsScore               *score);

gsize       ls_trainer_get_n_layers       (LsTrainer             *self);
const LsLayer *ls_trainer_get_layer       (LsTrainer             *self,
                                           gsize                  index);
gboolean    ls_trainer_copy_to            (LsTrainer             *self,
                                           LsNetwork             *network,
                                           GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsTrainer, ls_trainer_free)

G_END_DECLS
