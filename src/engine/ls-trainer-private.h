/* ls-trainer-private.h: the state of an LsTrainer, shared by its two source files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ls-trainer.h"

G_BEGIN_DECLS

/* One layer of the trainer's copy of the network. The flat parameter
 * buffers of LsTrainer contain this layer's weights at offset and its
 * biases right after them. */
typedef struct
{
  LsLayer *layer;    /* owned copy */
  gsize n_weights;
  gsize n_biases;
  gsize offset;
} LsTrainLayer;

struct _LsTrainer
{
  LsTrainSettings settings;
  LsSamples *train;
  LsSamples *test;           /* nullable */

  LsTrainLayer *layers;      /* [n_layers] */
  gsize n_layers;
  gsize n_parameters;        /* weights plus biases of all layers */

  /* Flat buffers [n_parameters], laid out as LsTrainLayer describes. */
  float *initial;            /* the parameters at creation, for reset */
  float *saved;              /* the parameters before the last update */
  float *gradient;           /* batch mean of dL/dθ */
  float *moment1;            /* SGD momentum buffer, or Adam's first moment */
  float *moment2;            /* Adam's second moment */
  guint64 optimizer_steps;   /* updates since the optimiser state was cleared */

  /* Work space of one sample's backward pass. */
  float *grad_a;             /* [max_size]: dL/d output of the current layer */
  float *grad_b;             /* [max_size]: dL/d input of the current layer */
  float *work;               /* [max work size of ls_layer_backward()] */
  gsize max_size;            /* largest input or output of any layer */

  gsize *order;              /* [train samples]: this epoch's sample order */
  gsize position;            /* next index into order */
  guint64 step;              /* updates applied since creation or reset */
  guint64 epoch;             /* epochs completed */
  double batch_loss;         /* mean loss of the last batch without L2, NaN before the first */

  gboolean diverged;
  gsize diverged_layer;
  guint64 diverged_step;
  char *diverged_message;
};

void     ls_trainer_clear_optimizer   (LsTrainer  *self);
void     ls_trainer_store_parameters  (LsTrainer  *self,
                                       float      *buffer);  /* [n_parameters] */
void     ls_trainer_load_parameters   (LsTrainer  *self,
                                       const float *buffer); /* [n_parameters] */
gboolean ls_trainer_check_samples     (LsTrainer  *self,
                                       LsSamples  *samples,
                                       LsLoss      loss,
                                       GError    **error);
double   ls_trainer_forward_loss      (LsTrainer  *self,
                                       LsSamples  *samples,
                                       gsize       index,
                                       float      *grad_output,
                                       float       scale,
                                       LsBackwardFrom *from);

G_END_DECLS
