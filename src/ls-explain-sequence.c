/* ls-explain-sequence.c: the names and worked formulas of token
 * sequences: embedding, positions, attention, layer norm, token pooling
 * and dense layers applied per token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ls-explain-private.h"
#include "ls-number.h"

/* An attention formula lists at most this many keys, and this many
 * columns of the context, before eliding the middle. */
#define MAX_LINES 16

/* The base of the sinusoidal encoding's wavelengths, as in the engine. */
#define SINUSOIDAL_BASE 10000

/* Returns token t as the text has it, or "t3" for the third row of a
 * sequence that does not come from text. */
static char *
dup_token (LsNetwork *network,
           gsize      t)
{
  if (ls_network_has_token_input (network) && t < ls_network_get_n_tokens (network))
    return g_strdup (ls_network_get_token (network, t));

  return g_strdup_printf ("t%zu", t + 1);
}

/* Names value j of token t as "good·3": the token, a middle dot and the
 * 1-based feature. */
char *
ls_explain_dup_sequence_name (LsNetwork *network,
                              gsize      column,
                              gsize      unit)
{
  const LsShape *shape = ls_network_get_layer_input_shape (network, column);
  gsize d = shape->dims[1];
  g_autofree char *token = dup_token (network, unit / d);

  return g_strdup_printf ("%s·%zu", token, unit % d + 1);
}

char *
ls_explain_token_input (LsNetwork *network,
                        gsize      token)
{
  /* TRANSLATORS: "“good” is token 5 of the text, word 17 of the vocabulary (…)" */
  return g_strdup_printf (_("“%s” is token %zu of the text, word %zu of the vocabulary "
                            "(an input: it is not computed)"),
                          ls_network_get_token (network, token), token + 1,
                          ls_network_get_token_id (network, token));
}

/* Appends "(0.12, −0.40, …, 0.05)": n values stride apart, the middle
 * elided when there are more than LS_EXPLAIN_MAX_TERMS. */
static void
append_vector (GString     *text,
               const float *values,
               gsize        n,
               gsize        stride)
{
  g_string_append_c (text, '(');
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *value = NULL;

      if (n > LS_EXPLAIN_MAX_TERMS && i == LS_EXPLAIN_MAX_TERMS / 2)
        {
          g_string_append (text, "…, ");
          i = n - LS_EXPLAIN_MAX_TERMS / 2 - 1;
          continue;
        }

      value = ls_explain_format_value (values[i * stride]);
      g_string_append_printf (text, i + 1 < n ? "%s, " : "%s", value);
    }
  g_string_append_c (text, ')');
}

/* Explains a value of the embedding: a copy from the table's row for
 * the token's word. */
char *
ls_explain_embedding (LsNetwork     *network,
                      const LsLayer *layer,
                      gsize          column,
                      const char    *name,
                      gsize          unit)
{
  gsize d = layer->units;
  gsize t = unit / d;
  gsize id = ls_network_has_token_input (network) ? ls_network_get_token_id (network, t) : 0;
  g_autofree char *value = ls_explain_format_value (layer->activation_output[unit]);
  GString *text = g_string_new (NULL);

  /* TRANSLATORS: "good·3 = 0.42, value 3 of the table's row for word 17:" */
  g_string_append_printf (text, _("%s = %s, value %zu of the table's row for word %zu:"),
                          name, value, unit % d + 1, id);
  g_string_append (text, "\n");
  append_vector (text, layer->weights + id * d, d, 1);

  return g_string_free (text, FALSE);
}

/* Appends the sinusoidal formula of encoding value j at position pos:
 * "PE = sin(3 / 10000^(2/16)) = sin(0.95) = 0.81". */
static void
append_sinusoid (GString *text,
                 gsize    pos,
                 gsize    j,
                 gsize    d,
                 float    encoding)
{
  gsize even = j - j % 2;
  double angle = (double) pos / pow (SINUSOIDAL_BASE, (double) even / (double) d);
  g_autofree char *angle_text = ls_explain_format_value (angle);
  g_autofree char *value = ls_explain_format_value (encoding);
  const char *function = j % 2 == 0 ? "sin" : "cos";

  g_string_append_printf (text, "PE = %s(%zu / %d^(%zu/%zu)) = %s(%s) = %s",
                          function, pos, SINUSOIDAL_BASE, even, d, function, angle_text, value);
}

/* Explains a value of a positional layer: the input plus the encoding
 * that the forward pass added, with the sine or cosine written out. */
char *
ls_explain_positional (LsNetwork     *network,
                       const LsLayer *layer,
                       gsize          column,
                       const char    *name,
                       gsize          unit)
{
  const float *input = ls_explain_get_layer_input (network, column - 1);
  gsize d = layer->units;
  gsize pos = unit / d;
  g_autofree char *x = ls_explain_format_value (input[unit]);
  g_autofree char *pe = ls_explain_format_factor (layer->pre_activation[unit]);
  g_autofree char *value = ls_explain_format_value (layer->activation_output[unit]);
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "%s = x + PE = %s + %s = %s\n", name, x, pe, value);
  if (layer->encoding == LS_POSITIONAL_SINUSOIDAL)
    {
      append_sinusoid (text, pos, unit % d, d, layer->pre_activation[unit]);
      /* TRANSLATORS: after the sinusoidal formula. Positions count from 0 and tokens from 1. */
      g_string_append_printf (text, _(", at position %zu (token %zu)"), pos, pos + 1);
    }
  else
    {
      g_autofree char *encoding = ls_explain_format_value (layer->pre_activation[unit]);

      g_string_append_printf (text, _("PE = %s, value %zu of the learned table's row for position %zu (token %zu)"),
                              encoding, unit % d + 1, pos, pos + 1);
    }

  return g_string_free (text, FALSE);
}

/* Appends "(0.42 + 0.12 + … + 0.30) / 16 = 0.12" and returns the mean,
 * computed as the engine does, in double. */
static double
append_mean (GString     *text,
             const float *x,
             gsize        n)
{
  double sum = 0.0;
  g_autofree char *mean_text = NULL;

  g_string_append_c (text, '(');
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *value = NULL;

      sum += x[i];
      if (n > LS_EXPLAIN_MAX_TERMS && i >= LS_EXPLAIN_MAX_TERMS / 2 && i < n - LS_EXPLAIN_MAX_TERMS / 2)
        {
          if (i == LS_EXPLAIN_MAX_TERMS / 2)
            g_string_append (text, "… + ");
          continue;
        }

      value = i == 0 ? ls_explain_format_value (x[i]) : ls_explain_format_factor (x[i]);
      g_string_append_printf (text, i + 1 < n ? "%s + " : "%s", value);
    }
  mean_text = ls_explain_format_value (sum / (double) n);
  g_string_append_printf (text, ") / %zu = %s", n, mean_text);

  return sum / (double) n;
}

/* Explains a value of a layer norm: the token's mean and variance, the
 * normalised value that the forward pass stored, then gamma and beta. */
char *
ls_explain_layernorm (LsNetwork     *network,
                      const LsLayer *layer,
                      gsize          column,
                      const char    *name,
                      gsize          unit)
{
  gsize d = layer->units;
  gsize j = unit % d;
  const float *x = ls_explain_get_layer_input (network, column - 1) + (unit - j);
  g_autofree char *x_text = ls_explain_format_value (x[j]);
  g_autofree char *normalised = ls_explain_format_value (layer->pre_activation[unit]);
  g_autofree char *normalised_factor = ls_explain_format_factor (layer->pre_activation[unit]);
  g_autofree char *gamma = ls_explain_format_factor (layer->weights[j]);
  g_autofree char *beta = ls_explain_format_factor (layer->bias[j]);
  g_autofree char *value = ls_explain_format_value (layer->activation_output[unit]);
  g_autofree char *mean_text = NULL;
  g_autofree char *variance_text = NULL;
  GString *text = g_string_new ("mean = ");
  double mean, variance = 0.0;

  mean = append_mean (text, x, d);
  for (gsize i = 0; i < d; i++)
    variance += ((double) x[i] - mean) * ((double) x[i] - mean) / (double) d;
  mean_text = ls_explain_format_value (mean);
  variance_text = ls_explain_format_value (variance);

  /* TRANSLATORS: the variance of a token's d values, divided by d */
  g_string_append_printf (text, _("\nvariance = Σ (x − mean)² / %zu = %s"), d, variance_text);
  g_string_append_printf (text, "\nx̂ = (x − mean) / √(variance + %g) = (%s − %s) / √(%s + %g) = %s",
                          layer->eps, x_text, mean_text, variance_text, layer->eps, normalised);
  g_string_append_printf (text, "\n%s = γ·x̂ + β = %s×%s + %s = %s", name, gamma, normalised_factor, beta, value);

  return g_string_free (text, FALSE);
}

/* Explains a value of token pooling: the mean of its column over the
 * tokens, or the first token's value. */
char *
ls_explain_pool_tokens (LsNetwork     *network,
                        const LsLayer *layer,
                        gsize          column,
                        const char    *name,
                        gsize          unit)
{
  const float *input = ls_explain_get_layer_input (network, column - 1);
  gsize tokens = layer->input_shape.dims[0];
  gsize d = layer->units;
  g_autofree char *value = ls_explain_format_value (layer->activation_output[unit]);
  GString *text = g_string_new (NULL);
  g_autofree char *first = NULL;
  g_autofree float *values = NULL;  /* [T] */

  if (layer->pooling == LS_TOKEN_POOLING_FIRST)
    {
      first = ls_explain_dup_sequence_name (network, column - 1, unit);
      /* TRANSLATORS: "h6,3 = the·3 = 0.42 (the first token's value)" */
      g_string_append_printf (text, _("%s = %s = %s (the first token's value)"), name, first, value);
      return g_string_free (text, FALSE);
    }

  values = g_new (float, tokens);
  for (gsize t = 0; t < tokens; t++)
    values[t] = input[t * d + unit];
  g_string_append_printf (text, _("%s = mean over the %zu tokens = "), name, tokens);
  append_mean (text, values, tokens);

  return g_string_free (text, FALSE);
}

/* Explains a value of a dense layer applied to each token: the token's
 * row times column j of W plus b, the activation, and the residual. */
char *
ls_explain_dense_token (LsNetwork     *network,
                        const LsLayer *layer,
                        gsize          column,
                        const char    *name,
                        gsize          unit)
{
  gsize inputs = ls_layer_get_inputs (layer);
  gsize t = unit / layer->units, j = unit % layer->units;
  const float *input = ls_explain_get_layer_input (network, column - 1);
  g_autofree char *z = ls_explain_format_value (layer->pre_activation[unit]);
  g_autofree char *value = ls_explain_format_value (layer->activation_output[unit]);
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "z = ");
  ls_explain_append_weighted_sum (text, layer, input + t * inputs, j);
  g_string_append_printf (text, " = %s\n", z);

  if (layer->residual)
    {
      g_autofree char *x = ls_explain_format_value (input[unit]);
      g_autofree char *a = ls_explain_format_factor (layer->activation_output[unit] - input[unit]);

      /* TRANSLATORS: a residual dense layer adds its input x to the activation */
      g_string_append_printf (text, _("%s = x + %s(z) = %s + %s = %s (residual)"), name,
                              ls_activation_get_display_name (layer->activation), x, a, value);
    }
  else
    {
      g_string_append_printf (text, "%s = %s(z) = %s", name,
                              ls_activation_get_display_name (layer->activation), value);
    }

  if (layer->activation == LS_ACTIVATION_SOFTMAX)
    g_string_append (text, _("\nSoftmax normalises each token's row."));

  return g_string_free (text, FALSE);
}

/* Appends one line per key token s: the score q·k_s, the scaled score and
 * the softmax weight that the forward pass computed, or "masked" above
 * the diagonal of a causal layer. The middle keys are elided when there
 * are more than MAX_LINES. */
static void
append_key_lines (GString       *text,
                  LsNetwork     *network,
                  const LsLayer *layer,
                  gsize          t,
                  gsize          head)
{
  gsize tokens = ls_layer_get_tokens (layer);
  gsize d = layer->units, dh = d / layer->heads, offset = head * dh;
  const float *q = ls_layer_get_attention_state (layer, LS_ATTENTION_QUERY) + t * d + offset;
  const float *k = ls_layer_get_attention_state (layer, LS_ATTENTION_KEY);
  const float *weights = ls_layer_get_attention_head (layer, head) + t * tokens;  /* [T] */
  float scale = 1.0f / sqrtf ((float) dh);
  double total = 0.0;
  g_autofree char *total_text = NULL;

  for (gsize s = 0; s < tokens; s++)
    {
      g_autofree char *token = dup_token (network, s);
      g_autofree char *weight = ls_explain_format_percent (weights[s]);
      float dot = 0.0f;

      total += weights[s];
      if (tokens > MAX_LINES && s >= MAX_LINES / 2 && s < tokens - MAX_LINES / 2)
        {
          if (s == MAX_LINES / 2)
            g_string_append_printf (text, _("  … %zu more keys …\n"), tokens - MAX_LINES);
          continue;
        }

      if (layer->causal && s > t)
        {
          /* TRANSLATORS: a key after the query under the causal mask gets a score of −∞ */
          g_string_append_printf (text, _("  %s (%zu): masked (−∞), weight %s\n"), token, s + 1, weight);
          continue;
        }

      /* The same float sums, in the same order, as the forward pass. */
      for (gsize j = 0; j < dh; j++)
        dot += q[j] * k[s * d + offset + j];

      g_autofree char *score = ls_explain_format_value (dot);
      g_autofree char *scaled = ls_explain_format_value (dot * scale);

      g_string_append_printf (text, _("  %s (%zu): q·k = %s, scaled %s, weight %s\n"),
                              token, s + 1, score, scaled, weight);
    }

  total_text = ls_explain_format_percent (total);
  /* TRANSLATORS: the sum of one query's softmax weights over the keys */
  g_string_append_printf (text, _("  sum of the weights = %s\n"), total_text);
}

/* A sum of products lists all of them when there are at most one more
 * than this many, and else only the largest this many, so that its line
 * stays short enough to read on a projector. */
#define MAX_LISTED_PRODUCTS 3

/* Returns the magnitude of a product for ranking, with NaN above every
 * number so that a product that is not a number is always listed. */
static double
get_product_rank (double product)
{
  return isnan (product) ? INFINITY : fabs (product);
}

/* Marks in listed[n] the MAX_LISTED_PRODUCTS products a[i] × b[i × stride]
 * of largest magnitude, or all of them when there are few. Returns how
 * many it marked. */
static gsize
choose_products (const float *a,
                 const float *b,
                 gsize        stride,
                 gsize        n,
                 gboolean    *listed)
{
  gsize n_listed = n <= MAX_LISTED_PRODUCTS + 1 ? n : MAX_LISTED_PRODUCTS;

  for (gsize i = 0; i < n; i++)
    listed[i] = n_listed == n;

  for (gsize k = 0; k < n_listed && n_listed < n; k++)
    {
      gssize best = -1;

      for (gsize i = 0; i < n; i++)
        if (!listed[i] && (best < 0 || get_product_rank ((double) a[i] * b[i * stride]) >
                                      get_product_rank ((double) a[best] * b[(gsize) best * stride])))
          best = (gssize) i;
      listed[best] = TRUE;
    }

  return n_listed;
}

/* Appends "0.12×0.40 + 0.88×(−0.10)", the products a[i] × b[i × stride]
 * for i < n. With many products, only the largest are listed, in their
 * order, and "+ 5 smaller terms" stands for the rest. */
static void
append_products (GString     *text,
                 const float *a,
                 const float *b,
                 gsize        stride,
                 gsize        n)
{
  g_autofree gboolean *listed = g_new (gboolean, n);  /* [n] */
  gsize n_listed = choose_products (a, b, stride, n, listed);
  gsize n_written = 0;

  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *x = NULL;
      g_autofree char *w = NULL;

      if (!listed[i])
        continue;

      x = n_written == 0 ? ls_explain_format_value (a[i]) : ls_explain_format_factor (a[i]);
      w = ls_explain_format_factor (b[i * stride]);
      g_string_append_printf (text, n_written++ > 0 ? " + %s×%s" : "%s×%s", x, w);
    }

  if (n_listed < n)
    /* TRANSLATORS: stands for the products of a sum that are too small to list */
    g_string_append_printf (text, ngettext (" + %zu smaller term", " + %zu smaller terms", n - n_listed),
                            n - n_listed);
}

/* Appends "c9 = 0.12×0.40 + 0.88×(−0.10) = −0.04" for column j of the
 * context: the weights of the query's row times column j of the values. */
static void
append_context_column (GString       *text,
                       const LsLayer *layer,
                       gsize          t,
                       gsize          head,
                       gsize          j)
{
  gsize tokens = ls_layer_get_tokens (layer);
  gsize d = layer->units;
  const float *v = ls_layer_get_attention_state (layer, LS_ATTENTION_VALUE);  /* [T][d] */
  const float *context = ls_layer_get_attention_state (layer, LS_ATTENTION_OUTPUT);
  const float *weights = ls_layer_get_attention_head (layer, head) + t * tokens;  /* [T] */
  gsize keys = layer->causal ? t + 1 : tokens;
  g_autofree char *result = ls_explain_format_value (context[t * d + j]);

  g_string_append_printf (text, "  c%zu = ", j + 1);
  append_products (text, weights, v + j, d, keys);
  g_string_append_printf (text, " = %s\n", result);
}

/* Appends the head's slice of the context, one column per line, with
 * the middle columns elided when there are more than MAX_LINES. */
static void
append_context (GString       *text,
                const LsLayer *layer,
                gsize          t,
                gsize          head)
{
  gsize dh = layer->units / layer->heads, offset = head * dh;

  /* TRANSLATORS: the context is the attention-weighted sum of the value vectors */
  g_string_append_printf (text, _("context c = Σ weight × v, columns %zu to %zu:\n"), offset + 1, offset + dh);
  for (gsize j = 0; j < dh; j++)
    {
      if (dh > MAX_LINES && j == MAX_LINES / 2)
        {
          g_string_append_printf (text, _("  … %zu more columns …\n"), dh - MAX_LINES);
          j = dh - MAX_LINES / 2 - 1;
          continue;
        }

      append_context_column (text, layer, t, head, offset + j);
    }
}

/* Appends the token's output row: the attention after wo and bo, and the
 * output with the residual input added when the layer has one. */
static void
append_output_row (GString       *text,
                   const LsLayer *layer,
                   gsize          t)
{
  gsize d = layer->units;

  /* TRANSLATORS: wo mixes the context columns of all heads */
  g_string_append (text, _("attention = c·wo + bo, over all heads' columns = "));
  append_vector (text, layer->pre_activation + t * d, d, 1);
  if (layer->residual)
    {
      g_string_append (text, _("\noutput = x + attention = "));
      append_vector (text, layer->activation_output + t * d, d, 1);
    }
}

/* Appends the heading and the query of one head's row. */
static void
append_query (GString       *text,
              LsNetwork     *network,
              const LsLayer *layer,
              gsize          t,
              gsize          head)
{
  gsize d = layer->units, dh = d / layer->heads, offset = head * dh;
  g_autofree char *token = dup_token (network, t);
  g_autofree char *root = ls_explain_format_value (sqrtf ((float) dh));

  /* TRANSLATORS: "Head 2 of 2, query “good” (token 5), columns 9 to 16" */
  g_string_append_printf (text, _("Head %zu of %zu, query “%s” (token %zu), columns %zu to %zu\n"),
                          head + 1, layer->heads, token, t + 1, offset + 1, offset + dh);
  g_string_append (text, "q = ");
  append_vector (text, ls_layer_get_attention_state (layer, LS_ATTENTION_QUERY) + t * d + offset, dh, 1);
  /* TRANSLATORS: the attention scores are divided by the square root of the head width */
  g_string_append_printf (text, _("\nscores q·k, scaled by 1/√%zu = 1/%s, and their softmax weights:\n"),
                          dh, root);
}

char *
ls_explain_attention (LsNetwork *network,
                      gsize      layer,
                      gsize      token,
                      gsize      head)
{
  const LsLayer *attention;
  GString *text;

  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);
  g_return_val_if_fail (layer < ls_network_get_n_layers (network), NULL);

  attention = ls_network_get_layer (network, layer);
  g_return_val_if_fail (attention->kind == LS_LAYER_ATTENTION, NULL);
  g_return_val_if_fail (token < ls_layer_get_tokens (attention), NULL);
  g_return_val_if_fail (head < attention->heads, NULL);

  text = g_string_new (NULL);
  append_query (text, network, attention, token, head);
  append_key_lines (text, network, attention, token, head);
  append_context (text, attention, token, head);
  append_output_row (text, attention, token);
  ls_explain_append_non_finite_note (text, network);

  return g_string_free (text, FALSE);
}

/* Appends "good·3 = 0.23×0.40 + … + bo = z" for value j of token t's
 * output and, with the residual, "= x + z". */
static void
append_output_value (GString       *text,
                     LsNetwork     *network,
                     const LsLayer *layer,
                     gsize          column,
                     const char    *name,
                     gsize          unit)
{
  gsize d = layer->units, t = unit / d, j = unit % d;
  const float *context = ls_layer_get_attention_state (layer, LS_ATTENTION_OUTPUT) + t * d;
  const float *wo = ls_layer_get_attention_matrix (layer, LS_ATTENTION_OUTPUT);
  g_autofree char *bias = ls_explain_format_factor (ls_layer_get_attention_bias (layer, LS_ATTENTION_OUTPUT)[j]);
  g_autofree char *z = ls_explain_format_value (layer->pre_activation[unit]);
  g_autofree char *value = ls_explain_format_value (layer->activation_output[unit]);

  g_string_append_printf (text, "%s: (c·wo)%zu + bo = ", name, j + 1);
  append_products (text, context, wo + j, d, d);
  g_string_append_printf (text, " + ");
  g_string_append_printf (text, "%s = %s", bias, z);

  if (layer->residual)
    {
      g_autofree char *x = ls_explain_format_value (ls_explain_get_layer_input (network, column - 1)[unit]);

      g_string_append_printf (text, _("\n%s = x + attention = %s + %s = %s (residual)"), name, x, z, value);
    }
}

/* Explains value j of token t of an attention layer: how t attends in
 * the head whose columns contain j, then value j of its output. */
char *
ls_explain_attention_value (LsNetwork     *network,
                            const LsLayer *layer,
                            gsize          column,
                            const char    *name,
                            gsize          unit)
{
  gsize d = layer->units, dh = d / layer->heads;
  gsize t = unit / d, head = unit % d / dh;
  GString *text = g_string_new (NULL);

  append_query (text, network, layer, t, head);
  append_key_lines (text, network, layer, t, head);
  append_context (text, layer, t, head);
  append_output_value (text, network, layer, column, name, unit);

  return g_string_free (text, FALSE);
}
