/* ls-layer-sequence.c: the token layers: embedding, positional encoding,
 * self-attention, layer normalisation and token pooling
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-engine"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ls-layer-private.h"

/* Whether the layer's output is a token sequence [T][d]. */
gboolean
ls_layer_is_sequence (const LsLayer *layer)
{
  g_return_val_if_fail (layer != NULL, FALSE);

  return layer->output_shape.rank == 2;
}

/* Returns T for a layer that reads a token sequence or token ids, and 0
 * for a layer that reads a vector or an image. */
gsize
ls_layer_get_tokens (const LsLayer *layer)
{
  g_return_val_if_fail (layer != NULL, 0);

  if (layer->kind == LS_LAYER_EMBEDDING)
    return layer->input_shape.dims[0];

  return layer->input_shape.rank == 2 ? layer->input_shape.dims[0] : 0;
}

/* Returns wq, wk, wv or wo of an attention layer, [d][d] in x·W form. */
const float *
ls_layer_get_attention_matrix (const LsLayer     *layer,
                               LsAttentionMatrix  matrix)
{
  g_return_val_if_fail (layer != NULL && layer->kind == LS_LAYER_ATTENTION, NULL);
  g_return_val_if_fail (matrix < LS_N_ATTENTION_MATRICES, NULL);

  return layer->weights + matrix * layer->units * layer->units;
}

/* Returns bq, bk, bv or bo of an attention layer, [d]. */
const float *
ls_layer_get_attention_bias (const LsLayer     *layer,
                             LsAttentionMatrix  matrix)
{
  g_return_val_if_fail (layer != NULL && layer->kind == LS_LAYER_ATTENTION, NULL);
  g_return_val_if_fail (matrix < LS_N_ATTENTION_MATRICES, NULL);

  return layer->bias + matrix * layer->units;
}

/* Returns the attention weights of one head after the last forward pass,
 * [T][T] with one softmax row per query token. */
const float *
ls_layer_get_attention_head (const LsLayer *layer,
                             gsize          head)
{
  gsize tokens;

  g_return_val_if_fail (layer != NULL && layer->kind == LS_LAYER_ATTENTION, NULL);
  g_return_val_if_fail (head < layer->heads, NULL);

  tokens = layer->input_shape.dims[0];

  return layer->attention_weights + head * tokens * tokens;
}

/* Returns a [T][d] result of the last forward pass inside an attention
 * layer: the queries, keys or values for LS_ATTENTION_QUERY, _KEY and
 * _VALUE. For LS_ATTENTION_OUTPUT it returns the context, which is the
 * heads' weighted sums of the values side by side, before wo. */
const float *
ls_layer_get_attention_state (const LsLayer     *layer,
                              LsAttentionMatrix  part)
{
  g_return_val_if_fail (layer != NULL && layer->kind == LS_LAYER_ATTENTION, NULL);
  g_return_val_if_fail (part < LS_N_ATTENTION_MATRICES, NULL);

  return layer->scratch + part * ls_shape_get_size (&layer->input_shape);
}

/* Fills table [tokens][d] with the sinusoidal encoding of Vaswani et al.,
 * "Attention Is All You Need" (2017): PE[pos][2i] = sin(pos / 10000^(2i/d))
 * and PE[pos][2i + 1] = cos(pos / 10000^(2i/d)), computed in double and
 * rounded to float, as tools/make-attention-golden.py does. */
void
ls_layer_fill_sinusoidal (float *table,
                          gsize  tokens,
                          gsize  d)
{
  for (gsize pos = 0; pos < tokens; pos++)
    for (gsize j = 0; j < d; j++)
      {
        double angle = (double) pos / pow (10000.0, (double) (j - j % 2) / (double) d);

        table[pos * d + j] = (float) (j % 2 == 0 ? sin (angle) : cos (angle));
      }
}

static void
embedding_forward (LsLayer     *layer,
                   const float *input)  /* [T] token ids */
{
  gsize d = layer->units;

  for (gsize t = 0; t < layer->input_shape.dims[0]; t++)
    {
      gsize id = (gsize) input[t];

      /* LsNetwork only sets ids of its vocabulary, and checks that the
       * table has a row for each word. */
      g_assert (input[t] >= 0.0f && id < layer->rows);
      memcpy (layer->pre_activation + t * d, layer->weights + id * d, d * sizeof (float));
    }

  memcpy (layer->activation_output, layer->pre_activation, ls_layer_get_outputs (layer) * sizeof (float));
}

static void
positional_forward (LsLayer     *layer,
                    const float *input)  /* [T][d] */
{
  gsize n = ls_layer_get_outputs (layer);
  const float *encoding = layer->encoding == LS_POSITIONAL_LEARNED ? layer->weights : layer->scratch;

  memcpy (layer->pre_activation, encoding, n * sizeof (float));
  for (gsize i = 0; i < n; i++)
    layer->activation_output[i] = input[i] + encoding[i];
}

/* One head of scaled dot-product attention on its slice of dh columns
 * starting at column offset: weights [T][T] = softmax(q·kᵀ / sqrt(dh)),
 * with the scores above the diagonal left out when causal, and
 * context[t] = Σ_s weights[t][s]·v[s] on that slice. Both are products
 * of small matrices, so they run in the dense kernel: a query row times
 * the head's rows of kᵀ, then a weight row times the head's columns of v. */
static void
attention_head_forward (const float *restrict q,        /* [T][d] */
                        const float *restrict keys_t,   /* [d][T], kᵀ */
                        const float *restrict v,        /* [T][d] */
                        const float *restrict zeros,    /* [max (T, d)] */
                        float       *restrict weights,  /* [T][T] */
                        float       *restrict context,  /* [T][d] */
                        gsize                 tokens,
                        gsize                 d,
                        gsize                 offset,
                        gsize                 dh,
                        gboolean              causal)
{
  float scale = 1.0f / sqrtf ((float) dh);

  for (gsize t = 0; t < tokens; t++)
    {
      float *row = weights + t * tokens;
      gsize keys = causal ? t + 1 : tokens;

      ls_layer_dense_forward_strided (row, q + t * d + offset, keys_t + offset * tokens, tokens,
                                      zeros, dh, keys);
      for (gsize s = 0; s < keys; s++)
        row[s] *= scale;
      ls_activation_apply (LS_ACTIVATION_SOFTMAX, row, row, keys);
      for (gsize s = keys; s < tokens; s++)
        row[s] = 0.0f;

      ls_layer_dense_forward_strided (context + t * d + offset, row, v + offset, d,
                                      zeros, keys, dh);
    }
}

/* Multi-head self-attention as torch.nn.MultiheadAttention computes it,
 * in the x·W form: q = x·wq + bq, k = x·wk + bk, v = x·wv + bv, each head
 * attends on its slice of d / heads columns, and the concatenated
 * context goes through wo and bo. */
static void
attention_forward (LsLayer     *layer,
                   const float *input)  /* [T][d] */
{
  gsize tokens = layer->input_shape.dims[0];
  gsize d = layer->units;
  gsize n = tokens * d;
  gsize dh = d / layer->heads;
  float *state[LS_N_ATTENTION_MATRICES];
  float *keys_t = layer->scratch + LS_N_ATTENTION_MATRICES * n;  /* [d][T] */
  const float *zeros = keys_t + n;  /* [max (T, d)] */

  for (guint m = 0; m < LS_N_ATTENTION_MATRICES; m++)
    state[m] = layer->scratch + m * n;

  for (guint m = LS_ATTENTION_QUERY; m <= LS_ATTENTION_VALUE; m++)
    ls_layer_dense_forward_rows (state[m], input, layer->weights + m * d * d, layer->bias + m * d,
                                 tokens, d, d);

  for (gsize t = 0; t < tokens; t++)
    for (gsize j = 0; j < d; j++)
      keys_t[j * tokens + t] = state[LS_ATTENTION_KEY][t * d + j];

  for (gsize h = 0; h < layer->heads; h++)
    attention_head_forward (state[LS_ATTENTION_QUERY], keys_t, state[LS_ATTENTION_VALUE], zeros,
                            layer->attention_weights + h * tokens * tokens, state[LS_ATTENTION_OUTPUT],
                            tokens, d, h * dh, dh, layer->causal);

  ls_layer_dense_forward_rows (layer->pre_activation, state[LS_ATTENTION_OUTPUT],
                               layer->weights + LS_ATTENTION_OUTPUT * d * d,
                               layer->bias + LS_ATTENTION_OUTPUT * d, tokens, d, d);

  for (gsize i = 0; i < n; i++)
    layer->activation_output[i] = layer->residual ? input[i] + layer->pre_activation[i]
                                                  : layer->pre_activation[i];
}

/* Normalises each row of d values to mean 0 and variance 1, with the
 * biased variance (divided by d) as torch.nn.LayerNorm uses, then scales
 * by gamma and shifts by beta. The statistics and the division run in
 * double, so that a variance beyond the float range, from values above
 * about 1.8e19, still normalises. */
static void
layernorm_forward (LsLayer     *layer,
                   const float *input)  /* [T][d] or [d] */
{
  gsize d = layer->units;
  gsize rows = ls_layer_get_outputs (layer) / d;

  for (gsize t = 0; t < rows; t++)
    {
      const float *x = input + t * d;
      float *normalised = layer->pre_activation + t * d;
      float *output = layer->activation_output + t * d;
      double sum = 0.0, squares = 0.0;
      double mean, deviation;

      for (gsize j = 0; j < d; j++)
        sum += x[j];
      mean = sum / (double) d;
      for (gsize j = 0; j < d; j++)
        squares += (x[j] - mean) * (x[j] - mean);
      deviation = sqrt (squares / (double) d + layer->eps);

      for (gsize j = 0; j < d; j++)
        {
          normalised[j] = (float) ((x[j] - mean) / deviation);
          output[j] = normalised[j] * layer->weights[j] + layer->bias[j];
        }
    }
}

static void
pool_tokens_forward (LsLayer     *layer,
                     const float *input)  /* [T][d] */
{
  gsize tokens = layer->input_shape.dims[0];
  gsize d = layer->units;

  if (layer->pooling == LS_TOKEN_POOLING_FIRST)
    {
      memcpy (layer->pre_activation, input, d * sizeof (float));
    }
  else
    {
      for (gsize j = 0; j < d; j++)
        {
          double sum = 0.0;

          for (gsize t = 0; t < tokens; t++)
            sum += input[t * d + j];
          layer->pre_activation[j] = (float) (sum / (double) tokens);
        }
    }

  memcpy (layer->activation_output, layer->pre_activation, d * sizeof (float));
}

/* Computes pre_activation and activation_output of a token layer. */
void
ls_layer_forward_sequence (LsLayer     *layer,
                           const float *input)
{
  switch (layer->kind)
    {
    case LS_LAYER_EMBEDDING:
      embedding_forward (layer, input);
      break;

    case LS_LAYER_POSITIONAL:
      positional_forward (layer, input);
      break;

    case LS_LAYER_ATTENTION:
      attention_forward (layer, input);
      break;

    case LS_LAYER_LAYERNORM:
      layernorm_forward (layer, input);
      break;

    case LS_LAYER_POOL_TOKENS:
      pool_tokens_forward (layer, input);
      break;

    default:
      g_assert_not_reached ();
    }
}
