/* ls-training-controller.h: training a network in a worker thread while the window stays live
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ls-network.h"
#include "ls-samples.h"
#include "ls-trainer.h"

G_BEGIN_DECLS

/* One point of the loss and accuracy curves. */
typedef struct
{
  guint64 step;           /* batches trained so far */
  double epoch;           /* step in epochs, fractional */
  double train_loss;
  double test_loss;       /* NaN without a test set */
  double train_accuracy;  /* 0 to 1; NaN for a regression set */
  double test_accuracy;
} LsTrainingPoint;

/* How the last run ended. */
typedef enum
{
  LS_TRAINING_STOP_NONE,        /* running, not run yet, or reset */
  LS_TRAINING_STOP_PAUSED,
  LS_TRAINING_STOP_MAX_EPOCHS,  /* reached ls_training_controller_set_max_epochs() */
  LS_TRAINING_STOP_EDITED,      /* an edit of the weights or layers stopped it */
  LS_TRAINING_STOP_FAILED,      /* see ls_training_controller_get_error() */
} LsTrainingStop;

#define LS_TYPE_TRAINING_CONTROLLER (ls_training_controller_get_type ())

G_DECLARE_FINAL_TYPE (LsTrainingController, ls_training_controller, LS, TRAINING_CONTROLLER, GObject)

LsTrainingController *ls_training_controller_new       (LsNetwork             *network);

LsNetwork      *ls_training_controller_get_network       (LsTrainingController  *self);
gboolean        ls_training_controller_set_samples       (LsTrainingController  *self,
                                                          LsSamples             *train,
                                                          LsSamples             *test,
                                                          GError               **error);
LsSamples      *ls_training_controller_get_train_samples (LsTrainingController  *self);
LsSamples      *ls_training_controller_get_test_samples  (LsTrainingController  *self);
gboolean        ls_training_controller_set_settings      (LsTrainingController  *self,
                                                          const LsTrainSettings *settings,
                                                          GError               **error);
const LsTrainSettings *ls_training_controller_get_settings (LsTrainingController *self);

gboolean        ls_training_controller_play              (LsTrainingController  *self,
                                                          GError               **error);
void            ls_training_controller_pause             (LsTrainingController  *self);
gboolean        ls_training_controller_step              (LsTrainingController  *self,
                                                          GError               **error);
void            ls_training_controller_reset             (LsTrainingController  *self);
void            ls_training_controller_set_speed         (LsTrainingController  *self,
                                                          double                 batches_per_second);
double          ls_training_controller_get_speed         (LsTrainingController  *self);
void            ls_training_controller_set_max_epochs    (LsTrainingController  *self,
                                                          guint64                epochs);
guint64         ls_training_controller_get_max_epochs    (LsTrainingController  *self);
gboolean        ls_training_controller_is_running        (LsTrainingController  *self);

guint64         ls_training_controller_get_step          (LsTrainingController  *self);
double          ls_training_controller_get_epoch         (LsTrainingController  *self);
const LsTrainingPoint *ls_training_controller_get_history (LsTrainingController *self,
                                                          gsize                 *n_points);
const GError   *ls_training_controller_get_error         (LsTrainingController  *self);
LsTrainingStop  ls_training_controller_get_stop_reason   (LsTrainingController  *self);
const char     *ls_training_controller_get_reset_problem (LsTrainingController  *self);

G_END_DECLS
