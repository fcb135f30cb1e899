/* ls-activation.h: element-wise and whole-vector activation functions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  LS_ACTIVATION_IDENTITY,
  LS_ACTIVATION_RELU,
  LS_ACTIVATION_LEAKY_RELU,  /* slope 0.01 below zero, as torch.nn.LeakyReLU's default */
  LS_ACTIVATION_SIGMOID,
  LS_ACTIVATION_TANH,
  LS_ACTIVATION_GELU,        /* x·Φ(x) with the exact erf, as torch.nn.GELU's default */
  LS_ACTIVATION_SOFTMAX,     /* over the whole output vector of the layer */
  LS_N_ACTIVATIONS
} LsActivation;

#define LS_LEAKY_RELU_SLOPE 0.01f

/* The name used in documents and on the command line, e.g. "leaky_relu". */
const char *ls_activation_get_name         (LsActivation  activation);
/* The name shown to users, translated, e.g. "Leaky ReLU". */
const char *ls_activation_get_display_name (LsActivation  activation);
gboolean    ls_activation_from_name        (const char   *name,
                                            LsActivation *activation);
/* Whether the initial weights for a layer with this activation use He
 * scaling (rectifier-like functions) rather than Xavier scaling. */
gboolean    ls_activation_prefers_he_init  (LsActivation  activation);

void        ls_activation_apply            (LsActivation  activation,
                                            float        *output,
                                            const float  *input,
                                            gsize         n);
gsize       ls_argmax                      (const float  *values,
                                            gsize         n);

void        ls_activation_backward         (LsActivation  activation,
                                            float        *grad_input,
                                            const float  *grad_output,
                                            const float  *input,
                                            const float  *output,
                                            gsize         n);

G_END_DECLS
