/* ls-activation.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "ls-activation.h"

typedef struct
{
  const char *name;
  const char *display_name;  /* marked with N_() and translated on use */
  gboolean prefers_he_init;
} ActivationInfo;

static const ActivationInfo activation_info[] = {
  [LS_ACTIVATION_IDENTITY]   = { "identity",   N_("Identity"),   FALSE },
  [LS_ACTIVATION_RELU]       = { "relu",       N_("ReLU"),       TRUE },
  [LS_ACTIVATION_LEAKY_RELU] = { "leaky_relu", N_("Leaky ReLU"), TRUE },
  [LS_ACTIVATION_SIGMOID]    = { "sigmoid",    N_("Sigmoid"),    FALSE },
  [LS_ACTIVATION_TANH]       = { "tanh",       N_("Tanh"),       FALSE },
  [LS_ACTIVATION_GELU]       = { "gelu",       N_("GELU"),       TRUE },
  [LS_ACTIVATION_SOFTMAX]    = { "softmax",    N_("Softmax"),    FALSE },
};

G_STATIC_ASSERT (G_N_ELEMENTS (activation_info) == LS_N_ACTIVATIONS);

const char *
ls_activation_get_name (LsActivation activation)
{
  g_return_val_if_fail (activation < LS_N_ACTIVATIONS, NULL);

  return activation_info[activation].name;
}

const char *
ls_activation_get_display_name (LsActivation activation)
{
  g_return_val_if_fail (activation < LS_N_ACTIVATIONS, NULL);

  return g_dgettext (GETTEXT_PACKAGE, activation_info[activation].display_name);
}

gboolean
ls_activation_from_name (const char   *name,
                         LsActivation *activation)
{
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (activation != NULL, FALSE);

  for (guint i = 0; i < LS_N_ACTIVATIONS; i++)
    {
      if (g_str_equal (name, activation_info[i].name))
        {
          *activation = i;
          return TRUE;
        }
    }

  return FALSE;
}

gboolean
ls_activation_prefers_he_init (LsActivation activation)
{
  g_return_val_if_fail (activation < LS_N_ACTIVATIONS, FALSE);

  return activation_info[activation].prefers_he_init;
}

/* Subtracting the maximum before exp() keeps every exponent at or below
 * zero, so large logits such as [800, 1, 1] give [1, 0, 0] instead of
 * inf/inf = NaN. */
static void
softmax (float       *output,
         const float *input,
         gsize        n)
{
  float max = -INFINITY;
  double sum = 0.0;

  for (gsize i = 0; i < n; i++)
    max = MAX (max, input[i]);

  for (gsize i = 0; i < n; i++)
    {
      output[i] = expf (input[i] - max);
      sum += output[i];
    }

  for (gsize i = 0; i < n; i++)
    output[i] = (float) (output[i] / sum);
}

/* The softmax Jacobian times g: dx_i = y_i · (g_i − Σ_j g_j·y_j). */
static void
softmax_backward (float       *grad_input,   /* [n] */
                  const float *grad_output,  /* [n] */
                  const float *output,       /* [n] */
                  gsize        n)
{
  double dot = 0.0;

  for (gsize i = 0; i < n; i++)
    dot += (double) grad_output[i] * output[i];

  for (gsize i = 0; i < n; i++)
    grad_input[i] = output[i] * (float) (grad_output[i] - dot);
}

/* Applies the activation to n values. output may equal input. */
void
ls_activation_apply (LsActivation  activation,
                     float        *output,
                     const float  *input,
                     gsize         n)
{
  g_assert (activation < LS_N_ACTIVATIONS);

  switch (activation)
    {
    case LS_ACTIVATION_IDENTITY:
      if (output != input)
        memmove (output, input, n * sizeof (float));
      break;

    case LS_ACTIVATION_RELU:
      /* A NaN stays NaN, as in torch.relu, so that an overflow before a
       * ReLU layer is not hidden as 0. */
      for (gsize i = 0; i < n; i++)
        output[i] = input[i] > 0.0f || isnan (input[i]) ? input[i] : 0.0f;
      break;

    case LS_ACTIVATION_LEAKY_RELU:
      for (gsize i = 0; i < n; i++)
        output[i] = input[i] > 0.0f ? input[i] : LS_LEAKY_RELU_SLOPE * input[i];
      break;

    case LS_ACTIVATION_SIGMOID:
      for (gsize i = 0; i < n; i++)
        output[i] = 1.0f / (1.0f + expf (-input[i]));
      break;

    case LS_ACTIVATION_TANH:
      for (gsize i = 0; i < n; i++)
        output[i] = tanhf (input[i]);
      break;

    case LS_ACTIVATION_GELU:
      for (gsize i = 0; i < n; i++)
        output[i] = 0.5f * input[i] * (1.0f + erff (input[i] * (float) M_SQRT1_2));
      break;

    case LS_ACTIVATION_SOFTMAX:
      if (n > 0)
        softmax (output, input, n);
      break;

    case LS_N_ACTIVATIONS:
    default:
      g_assert_not_reached ();
    }
}

/* Computes dL/d input from dL/d output for n values, given the input the
 * forward pass read and the output it wrote. ReLU's derivative is 0 at
 * x ≤ 0, as in PyTorch 1.13. grad_input may equal grad_output or output. */
void
ls_activation_backward (LsActivation  activation,
                        float        *grad_input,   /* [n] */
                        const float  *grad_output,  /* [n] */
                        const float  *input,        /* [n] */
                        const float  *output,       /* [n] */
                        gsize         n)
{
  g_assert (activation < LS_N_ACTIVATIONS);

  switch (activation)
    {
    case LS_ACTIVATION_IDENTITY:
      if (grad_input != grad_output)
        memmove (grad_input, grad_output, n * sizeof (float));
      break;

    case LS_ACTIVATION_RELU:
      for (gsize i = 0; i < n; i++)
        grad_input[i] = input[i] > 0.0f ? grad_output[i] : 0.0f;
      break;

    case LS_ACTIVATION_LEAKY_RELU:
      for (gsize i = 0; i < n; i++)
        grad_input[i] = input[i] > 0.0f ? grad_output[i] : LS_LEAKY_RELU_SLOPE * grad_output[i];
      break;

    case LS_ACTIVATION_SIGMOID:
      for (gsize i = 0; i < n; i++)
        grad_input[i] = grad_output[i] * output[i] * (1.0f - output[i]);
      break;

    case LS_ACTIVATION_TANH:
      for (gsize i = 0; i < n; i++)
        grad_input[i] = grad_output[i] * (1.0f - output[i] * output[i]);
      break;

    case LS_ACTIVATION_GELU:
      /* d/dx x·Φ(x) = Φ(x) + x·φ(x), with φ the standard normal density. */
      for (gsize i = 0; i < n; i++)
        {
          float x = input[i];
          float cdf = 0.5f * (1.0f + erff (x * (float) M_SQRT1_2));
          float pdf = expf (-0.5f * x * x) * (float) (M_2_SQRTPI * M_SQRT1_2 * 0.5);

          grad_input[i] = grad_output[i] * (cdf + x * pdf);
        }
      break;

    case LS_ACTIVATION_SOFTMAX:
      softmax_backward (grad_input, grad_output, output, n);
      break;

    case LS_N_ACTIVATIONS:
    default:
      g_assert_not_reached ();
    }
}

/* Returns the index of the largest of n values, the first one on a tie:
 * the class that an output predicts. A NaN is never the largest. */
gsize
ls_argmax (const float *values,
           gsize        n)
{
  gsize best = 0;

  g_return_val_if_fail (values != NULL && n > 0, 0);

  for (gsize i = 1; i < n; i++)
    if (values[i] > values[best] || isnan (values[best]))
      best = i;

  return best;
}
