/* ls-layer-private.h: layer operations that only LsNetwork may call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ls-layer.h"

G_BEGIN_DECLS


/* What a layer is, or would become after an edit: everything that decides
 * its shapes and its number of parameters. */
typedef struct
{
  LsLayerKind kind;
  LsShape input_shape;
  gsize units;       /* dense units or conv2d filters; the others take d from the input */
  LsWindow window;   /* conv2d and pools */
  gsize rows;        /* embedding vocabulary size, learned positional rows */
  gsize heads;       /* attention */
  gboolean residual; /* attention and dense */
  LsPositionalEncoding encoding;
} LsLayerPlan;

void     ls_layer_plan_init_from (LsLayerPlan       *plan,
                                  const LsLayer     *layer);
gboolean ls_layer_plan           (LsLayerPlan       *plan,
                                  LsShape           *output_shape,
                                  gsize             *parameters,
                                  GError           **error);
guint64  ls_layer_get_operations (const LsLayerPlan *plan,
                                  const LsShape     *output_shape);
gboolean ls_layer_plan_equal     (const LsLayerPlan *a,
                                  const LsLayerPlan *b);
void     ls_layer_reshape        (LsLayer           *layer,
                                  const LsLayerPlan *plan);
void     ls_layer_allocate_state (LsLayer           *layer);

void     ls_layer_dense_forward  (float       *restrict output,   /* [units] */
                                  const float *restrict input,    /* [inputs] */
                                  const float *restrict weights,  /* [inputs][units] */
                                  const float *restrict bias,     /* [units] */
                                  gsize                 inputs,
                                  gsize                 units);
void     ls_layer_dense_forward_strided (float       *restrict output,   /* [units] */
                                         const float *restrict input,    /* [inputs] */
                                         const float *restrict weights,  /* [inputs][stride] */
                                         gsize                 stride,
                                         const float *restrict bias,     /* [units] */
                                         gsize                 inputs,
                                         gsize                 units);
void     ls_layer_dense_forward_rows (float       *restrict output,   /* [rows][units] */
                                      const float *restrict input,    /* [rows][inputs] */
                                      const float *restrict weights,  /* [inputs][units] */
                                      const float *restrict bias,     /* [units] */
                                      gsize                 rows,
                                      gsize                 inputs,
                                      gsize                 units);
void     ls_layer_add_scaled     (float       *restrict y,
                                  const float *restrict x,
                                  float                 w,
                                  gsize                 n);

/* The forward pass of the token layers, in ls-layer-sequence.c. */
void     ls_layer_fill_sinusoidal   (float         *table,
                                     gsize          tokens,
                                     gsize          d);
void     ls_layer_forward_sequence  (LsLayer       *layer,
                                     const float   *input);

/* The backward pass of the token layers, in ls-backward-sequence.c, with
 * the arguments of ls_layer_backward() read from the output. */
gsize    ls_layer_get_backward_work_size_sequence (const LsLayer *layer);
void     ls_layer_backward_sequence (const LsLayer *layer,
                                     const float   *input,
                                     const float   *grad_output,
                                     float         *grad_input,
                                     float         *grad_weights,
                                     float         *grad_bias,
                                     float         *work);

G_END_DECLS
