/* ls-backward-sequence.c: the backward pass of the token layers:
 * embedding, positional encoding, self-attention, layer normalisation
 * and token pooling
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-engine"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ls-layer-private.h"

/* grad_weights += xᵀ·g, the gradient of the weights of y = x·W. */
static void
accumulate_outer (float       *restrict grad_weights,  /* [inputs][units] */
                  const float *restrict x,             /* [rows][inputs] */
                  const float *restrict g,             /* [rows][units] */
                  gsize                 rows,
                  gsize                 inputs,
                  gsize                 units)
{
  for (gsize i = 0; i < inputs; i++)
    for (gsize j = 0; j < units; j++)
      {
        double sum = 0.0;

        for (gsize t = 0; t < rows; t++)
          sum += (double) x[t * inputs + i] * g[t * units + j];
        grad_weights[i * units + j] += (float) sum;
      }
}

/* grad_bias += Σ_t g[t], the gradient of the bias of y = x·W + b. */
static void
accumulate_column_sums (float       *restrict grad_bias,  /* [units] */
                        const float *restrict g,          /* [rows][units] */
                        gsize                 rows,
                        gsize                 units)
{
  for (gsize j = 0; j < units; j++)
    {
      double sum = 0.0;

      for (gsize t = 0; t < rows; t++)
        sum += g[t * units + j];
      grad_bias[j] += (float) sum;
    }
}

/* grad_x += g·Wᵀ, the gradient of the input of y = x·W. */
static void
accumulate_times_transpose (float       *restrict grad_x,   /* [rows][inputs] */
                            const float *restrict g,        /* [rows][units] */
                            const float *restrict weights,  /* [inputs][units] */
                            gsize                 rows,
                            gsize                 inputs,
                            gsize                 units)
{
  for (gsize t = 0; t < rows; t++)
    for (gsize i = 0; i < inputs; i++)
      {
        double sum = 0.0;

        for (gsize j = 0; j < units; j++)
          sum += (double) g[t * units + j] * weights[i * units + j];
        grad_x[t * inputs + i] += (float) sum;
      }
}

static void
embedding_backward (const LsLayer *layer,
                    const float   *input,         /* [T] token ids */
                    const float   *grad_output,   /* [T][d] */
                    float         *grad_input,    /* [T] */
                    float         *grad_weights)  /* [rows][d] */
{
  gsize tokens = layer->input_shape.dims[0];
  gsize d = layer->units;

  /* Token ids are not differentiable, so their gradient is zero. */
  if (grad_input != NULL)
    memset (grad_input, 0, tokens * sizeof (float));

  if (grad_weights == NULL)
    return;

  /* A token id that occurs several times collects the gradient of each
   * occurrence in its row. */
  for (gsize t = 0; t < tokens; t++)
    {
      gsize id = (gsize) input[t];

      g_assert (input[t] >= 0.0f && id < layer->rows);
      ls_layer_add_scaled (grad_weights + id * d, grad_output + t * d, 1.0f, d);
    }
}

static void
positional_backward (const LsLayer *layer,
                     const float   *grad_output,   /* [T][d] */
                     float         *grad_input,    /* [T][d] */
                     float         *grad_weights)  /* [rows][d] */
{
  gsize n = ls_layer_get_outputs (layer);

  /* The encoding is added, so the gradient passes through unchanged. */
  if (grad_input != NULL && grad_input != grad_output)
    memcpy (grad_input, grad_output, n * sizeof (float));

  /* A learned table uses its first T rows, and the sinusoidal encoding
   * has no parameters. */
  if (layer->encoding == LS_POSITIONAL_LEARNED && grad_weights != NULL)
    ls_layer_add_scaled (grad_weights, grad_output, 1.0f, n);
}

/* The gradients of one query row of one head, from d_context, the
 * gradient of that row of the context. With a = softmax(s), the softmax
 * backward is ds[s] = a[s]·(da[s] - Σ_s' a[s']·da[s']), and the scores
 * s = q·kᵀ·scale pass it on to the query and the keys. Masked keys
 * (s >= keys) have zero weight and get no gradient. */
static void
attention_row_backward (const float *restrict q,          /* [T][d] */
                        const float *restrict k,          /* [T][d] */
                        const float *restrict v,          /* [T][d] */
                        const float *restrict weights,    /* [keys], one softmax row */
                        const float *restrict d_context,  /* [dh], this row's slice */
                        float       *restrict d_weights,  /* [keys], work */
                        float       *restrict dq,         /* [T][d] */
                        float       *restrict dk,         /* [T][d] */
                        float       *restrict dv,         /* [T][d] */
                        gsize                 t,
                        gsize                 keys,
                        gsize                 d,
                        gsize                 offset,
                        gsize                 dh,
                        float                 scale)
{
  double weighted = 0.0;

  for (gsize s = 0; s < keys; s++)
    {
      double sum = 0.0;

      for (gsize j = 0; j < dh; j++)
        sum += (double) d_context[j] * v[s * d + offset + j];
      d_weights[s] = (float) sum;
      weighted += sum * weights[s];
    }

  for (gsize s = 0; s < keys; s++)
    {
      float d_score = (float) (weights[s] * (d_weights[s] - weighted)) * scale;

      for (gsize j = 0; j < dh; j++)
        {
          dq[t * d + offset + j] += d_score * k[s * d + offset + j];
          dk[s * d + offset + j] += d_score * q[t * d + offset + j];
          dv[s * d + offset + j] += weights[s] * d_context[j];
        }
    }
}

/* Back through the heads: from d_context [T][d] to the gradients of the
 * queries, keys and values, dq, dk and dv [T][d], which start at zero. */
static void
attention_heads_backward (const LsLayer *layer,
                          const float   *d_context,  /* [T][d] */
                          float         *dq,         /* [T][d] */
                          float         *dk,         /* [T][d] */
                          float         *dv,         /* [T][d] */
                          float         *d_weights)  /* [T], work */
{
  gsize tokens = layer->input_shape.dims[0];
  gsize d = layer->units;
  gsize n = tokens * d;
  gsize dh = d / layer->heads;
  float scale = 1.0f / sqrtf ((float) dh);
  const float *q = layer->scratch + LS_ATTENTION_QUERY * n;
  const float *k = layer->scratch + LS_ATTENTION_KEY * n;
  const float *v = layer->scratch + LS_ATTENTION_VALUE * n;

  memset (dq, 0, 3 * n * sizeof (float));
  for (gsize h = 0; h < layer->heads; h++)
    for (gsize t = 0; t < tokens; t++)
      {
        const float *weights = layer->attention_weights + (h * tokens + t) * tokens;
        gsize keys = layer->causal ? t + 1 : tokens;

        attention_row_backward (q, k, v, weights, d_context + t * d + h * dh, d_weights,
                                dq, dk, dv, t, keys, d, h * dh, dh, scale);
      }
}

/* The backward pass of attention_forward() in ls-layer-sequence.c, which
 * stores q, k, v and the context in scratch and the softmax rows in
 * attention_weights. The work space contains d_context, dq, dk and dv,
 * [4][T][d], then one row of weight gradients, [T]. */
static void
attention_backward (const LsLayer *layer,
                    const float   *input,         /* [T][d] */
                    const float   *grad_output,   /* [T][d] */
                    float         *grad_input,    /* [T][d] */
                    float         *grad_weights,  /* [4][d][d] */
                    float         *grad_bias,     /* [4][d] */
                    float         *work)
{
  gsize tokens = layer->input_shape.dims[0];
  gsize d = layer->units;
  gsize n = tokens * d;
  const float *context = layer->scratch + LS_ATTENTION_OUTPUT * n;
  float *d_state[LS_N_ATTENTION_MATRICES];  /* dq, dk, dv, then d_context */

  for (guint m = 0; m < LS_N_ATTENTION_MATRICES; m++)
    d_state[m] = work + m * n;

  /* Output projection: pre_activation = context·wo + bo. The residual
   * sum passes grad_output unchanged to both terms. */
  memset (d_state[LS_ATTENTION_OUTPUT], 0, n * sizeof (float));
  accumulate_times_transpose (d_state[LS_ATTENTION_OUTPUT], grad_output,
                              layer->weights + LS_ATTENTION_OUTPUT * d * d, tokens, d, d);

  attention_heads_backward (layer, d_state[LS_ATTENTION_OUTPUT], d_state[LS_ATTENTION_QUERY],
                            d_state[LS_ATTENTION_KEY], d_state[LS_ATTENTION_VALUE],
                            work + LS_N_ATTENTION_MATRICES * n);

  /* Parameters: each matrix's input is x, except wo's, which is the context. */
  for (guint m = 0; m < LS_N_ATTENTION_MATRICES; m++)
    {
      const float *g = m == LS_ATTENTION_OUTPUT ? grad_output : d_state[m];
      const float *x = m == LS_ATTENTION_OUTPUT ? context : input;

      if (grad_weights != NULL)
        accumulate_outer (grad_weights + m * d * d, x, g, tokens, d, d);
      if (grad_bias != NULL)
        accumulate_column_sums (grad_bias + m * d, g, tokens, d);
    }

  if (grad_input == NULL)
    return;

  /* dx = dq·wqᵀ + dk·wkᵀ + dv·wvᵀ, plus grad_output with the residual. */
  if (layer->residual)
    memcpy (grad_input, grad_output, n * sizeof (float));
  else
    memset (grad_input, 0, n * sizeof (float));
  for (guint m = LS_ATTENTION_QUERY; m <= LS_ATTENTION_VALUE; m++)
    accumulate_times_transpose (grad_input, d_state[m], layer->weights + m * d * d, tokens, d, d);
}

/* The backward pass of one row of layernorm_forward(). With x̂ the
 * normalised row, σ = sqrt(var + eps) and g = dL/dx̂ = dL/dy·gamma,
 * dL/dx = (g - mean(g) - x̂·mean(g·x̂)) / σ. The statistics are
 * recomputed in double from the input as the forward pass computes them. */
static void
layernorm_row_backward (const LsLayer *layer,
                        const float   *x,             /* [d] */
                        const float   *normalised,    /* [d], x̂ */
                        const float   *grad_output,   /* [d] */
                        float         *grad_input,    /* [d] */
                        float         *grad_weights,  /* [d], gamma */
                        float         *grad_bias)     /* [d], beta */
{
  gsize d = layer->units;
  double sum = 0.0, squares = 0.0, g_sum = 0.0, g_dot = 0.0;
  double mean, deviation;

  for (gsize j = 0; j < d; j++)
    {
      double g = (double) grad_output[j] * layer->weights[j];

      sum += x[j];
      g_sum += g;
      g_dot += g * normalised[j];
      if (grad_weights != NULL)
        grad_weights[j] += grad_output[j] * normalised[j];
      if (grad_bias != NULL)
        grad_bias[j] += grad_output[j];
    }

  if (grad_input == NULL)
    return;

  mean = sum / (double) d;
  for (gsize j = 0; j < d; j++)
    squares += (x[j] - mean) * (x[j] - mean);
  deviation = sqrt (squares / (double) d + layer->eps);

  for (gsize j = 0; j < d; j++)
    {
      double g = (double) grad_output[j] * layer->weights[j];

      grad_input[j] = (float) ((g - g_sum / (double) d - normalised[j] * g_dot / (double) d)
                               / deviation);
    }
}

static void
layernorm_backward (const LsLayer *layer,
                    const float   *input,         /* [T][d] or [d] */
                    const float   *grad_output,   /* [T][d] or [d] */
                    float         *grad_input,    /* [T][d] or [d] */
                    float         *grad_weights,  /* [d] */
                    float         *grad_bias)     /* [d] */
{
  gsize d = layer->units;
  gsize rows = ls_layer_get_outputs (layer) / d;

  for (gsize t = 0; t < rows; t++)
    layernorm_row_backward (layer, input + t * d, layer->pre_activation + t * d,
                            grad_output + t * d, grad_input != NULL ? grad_input + t * d : NULL,
                            grad_weights, grad_bias);
}

static void
pool_tokens_backward (const LsLayer *layer,
                      const float   *grad_output,  /* [d] */
                      float         *grad_input)   /* [T][d] */
{
  gsize tokens = layer->input_shape.dims[0];
  gsize d = layer->units;

  if (grad_input == NULL)
    return;

  if (layer->pooling == LS_TOKEN_POOLING_FIRST)
    {
      memset (grad_input, 0, tokens * d * sizeof (float));
      memcpy (grad_input, grad_output, d * sizeof (float));
      return;
    }

  for (gsize t = 0; t < tokens; t++)
    for (gsize j = 0; j < d; j++)
      grad_input[t * d + j] = (float) ((double) grad_output[j] / (double) tokens);
}

/* Returns the number of floats of work space that
 * ls_layer_backward_sequence() needs. Attention needs d_context, dq, dk
 * and dv, [4][T][d], and one row of weight gradients, [T]. The other
 * token layers need none. */
gsize
ls_layer_get_backward_work_size_sequence (const LsLayer *layer)
{
  gsize tokens;

  g_assert (layer != NULL);

  if (layer->kind != LS_LAYER_ATTENTION)
    return 0;

  tokens = layer->input_shape.dims[0];

  return LS_N_ATTENTION_MATRICES * tokens * layer->units + tokens;
}

/* Computes the gradients of a token layer after ls_layer_forward (layer,
 * input), from grad_output, dL/d activation_output. grad_input, if not
 * NULL, is overwritten with dL/d input. For an embedding it is zero,
 * because token ids are not differentiable. grad_weights and grad_bias,
 * if not NULL, are accumulated (+=) in the layout of layer->weights and
 * layer->bias. work has ls_layer_get_backward_work_size_sequence()
 * floats. Allocates nothing and leaves the layer unchanged. None of the
 * buffers may overlap. */
void
ls_layer_backward_sequence (const LsLayer *layer,
                            const float   *input,
                            const float   *grad_output,
                            float         *grad_input,
                            float         *grad_weights,
                            float         *grad_bias,
                            float         *work)
{
  g_assert (layer != NULL && input != NULL && grad_output != NULL);

  switch (layer->kind)
    {
    case LS_LAYER_EMBEDDING:
      embedding_backward (layer, input, grad_output, grad_input, grad_weights);
      break;

    case LS_LAYER_POSITIONAL:
      positional_backward (layer, grad_output, grad_input, grad_weights);
      break;

    case LS_LAYER_ATTENTION:
      g_assert (work != NULL);
      attention_backward (layer, input, grad_output, grad_input, grad_weights, grad_bias, work);
      break;

    case LS_LAYER_LAYERNORM:
      layernorm_backward (layer, input, grad_output, grad_input, grad_weights, grad_bias);
      break;

    case LS_LAYER_POOL_TOKENS:
      pool_tokens_backward (layer, grad_output, grad_input);
      break;

    default:
      g_assert_not_reached ();
    }
}
