/* test-attention.c: forward values of the token layers against PyTorch
 *
 * Every expected number comes from tests/data/attention-golden.json,
 * which tools/make-attention-golden.py computes with
 * torch.nn.MultiheadAttention (need_weights=True,
 * average_attn_weights=False), torch.nn.LayerNorm, torch.nn.Embedding and
 * torch.nn.Linear, and checks against a NumPy implementation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-attention"

#include <string.h>

#include "golden.h"
#include "ls-engine.h"

static JsonObject *golden;

static const LsInit test_init = { LS_INIT_XAVIER, 1 };

static JsonArray *
get_cases (const char *kind)
{
  JsonArray *cases = json_object_get_array_member (golden, kind);

  g_assert_nonnull (cases);
  g_assert_cmpuint (json_array_get_length (cases), >, 0);

  return cases;
}

static void
sequence_shape (LsShape *shape,
                gsize    tokens,
                gsize    d)
{
  ls_shape_init_2d (shape, tokens, d);
}

/* Copies the array member of object into dest, which has n values. */
static void
copy_floats (float      *dest,
             gsize       n,
             JsonObject *object,
             const char *member)
{
  gsize n_values;
  g_autofree float *values = golden_get_floats (object, member, &n_values);

  g_assert_cmpuint (n_values, ==, n);
  memcpy (dest, values, n * sizeof (float));
}

static const char *const matrix_names[LS_N_ATTENTION_MATRICES][2] = {
  { "wq", "bq" }, { "wk", "bk" }, { "wv", "bv" }, { "wo", "bo" },
};

/* Copies wq..wo and bq..bo of a golden description into an attention
 * layer that no network owns yet. */
static void
copy_attention_parameters (LsLayer    *layer,
                           JsonObject *description)
{
  gsize d = layer->units;

  for (guint m = 0; m < LS_N_ATTENTION_MATRICES; m++)
    {
      copy_floats (layer->weights + m * d * d, d * d, description, matrix_names[m][0]);
      copy_floats (layer->bias + m * d, d, description, matrix_names[m][1]);
    }
}

/* Checks the state an attention layer keeps after a forward pass:
 * queries, keys, values, context, per-head weights and both outputs. */
static void
assert_attention_state (const char *name,
                        LsLayer    *layer,
                        JsonObject *expected)
{
  gsize tokens = layer->input_shape.dims[0];
  gsize n = tokens * layer->units;
  static const char *const parts[LS_N_ATTENTION_MATRICES] = { "query", "key", "value", "context" };

  for (guint m = 0; m < LS_N_ATTENTION_MATRICES; m++)
    {
      g_autofree char *what = g_strdup_printf ("%s %s", name, parts[m]);

      golden_assert_floats (what, ls_layer_get_attention_state (layer, m), n, expected, parts[m]);
    }

  golden_assert_floats (name, layer->attention_weights, layer->heads * tokens * tokens,
                        expected, "attention_weights");
  golden_assert_floats (name, layer->pre_activation, n, expected, "attention_output");
  golden_assert_floats (name, layer->activation_output, n, expected, "output");

  for (gsize h = 0; h < layer->heads; h++)
    g_assert_true (ls_layer_get_attention_head (layer, h) == layer->attention_weights + h * tokens * tokens);
}

static void
test_attention_golden (void)
{
  JsonArray *cases = get_cases ("attention");
  gboolean seen_causal = FALSE, seen_heads = FALSE;

  for (guint c = 0; c < json_array_get_length (cases); c++)
    {
      JsonObject *description = json_array_get_object_element (cases, c);
      const char *name = json_object_get_string_member (description, "name");
      gsize d = json_object_get_int_member (description, "d");
      gsize tokens = json_object_get_int_member (description, "tokens");
      gsize heads = json_object_get_int_member (description, "heads");
      gboolean causal = json_object_get_boolean_member (description, "causal");
      gboolean residual = json_object_get_boolean_member (description, "residual");
      g_autoptr(LsLayer) layer = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree float *x = NULL;
      gsize n_x;
      LsShape shape;

      g_test_message ("case %s", name);
      sequence_shape (&shape, tokens, d);
      layer = ls_layer_new_attention (&shape, heads, causal, residual, &test_init, &error);
      g_assert_no_error (error);
      g_assert_nonnull (layer);
      g_assert_cmpuint (layer->units, ==, d);
      g_assert_cmpuint (ls_layer_get_n_weights (layer), ==, 4 * d * d);
      g_assert_cmpuint (ls_layer_get_n_biases (layer), ==, 4 * d);

      copy_attention_parameters (layer, description);
      x = golden_get_floats (description, "x", &n_x);
      g_assert_cmpuint (n_x, ==, tokens * d);
      ls_layer_forward (layer, x);
      assert_attention_state (name, layer, description);

      seen_causal |= causal && tokens > 1;
      seen_heads |= heads > 1;
    }

  /* The golden file must cover what the engine distinguishes. */
  g_assert_true (seen_causal);
  g_assert_true (seen_heads);
}

/* With a causal mask, every weight above the diagonal is exactly 0 and
 * each row still sums to 1. */
static void
test_attention_causal_mask (void)
{
  JsonArray *cases = get_cases ("attention");

  for (guint c = 0; c < json_array_get_length (cases); c++)
    {
      JsonObject *description = json_array_get_object_element (cases, c);
      gsize d = json_object_get_int_member (description, "d");
      gsize tokens = json_object_get_int_member (description, "tokens");
      gsize heads = json_object_get_int_member (description, "heads");
      g_autoptr(LsLayer) layer = NULL;
      g_autofree float *x = NULL;
      gsize n_x;
      LsShape shape;

      if (!json_object_get_boolean_member (description, "causal"))
        continue;

      sequence_shape (&shape, tokens, d);
      layer = ls_layer_new_attention (&shape, heads, TRUE, FALSE, &test_init, NULL);
      copy_attention_parameters (layer, description);
      x = golden_get_floats (description, "x", &n_x);
      ls_layer_forward (layer, x);

      for (gsize h = 0; h < heads; h++)
        {
          const float *weights = ls_layer_get_attention_head (layer, h);

          for (gsize t = 0; t < tokens; t++)
            {
              double sum = 0.0;

              for (gsize s = 0; s < tokens; s++)
                {
                  if (s > t)
                    g_assert_cmpfloat (weights[t * tokens + s], ==, 0.0f);
                  sum += weights[t * tokens + s];
                }
              g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-6);
            }
        }
    }
}

static void
test_layernorm_golden (void)
{
  JsonArray *cases = get_cases ("layernorm");

  for (guint c = 0; c < json_array_get_length (cases); c++)
    {
      JsonObject *description = json_array_get_object_element (cases, c);
      const char *name = json_object_get_string_member (description, "name");
      gsize d = json_object_get_int_member (description, "d");
      gsize tokens = json_object_get_int_member (description, "tokens");
      float eps = json_object_get_double_member (description, "eps");
      g_autoptr(LsLayer) layer = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree float *x = NULL;
      gsize n_x;
      LsShape shape;

      g_test_message ("case %s", name);
      sequence_shape (&shape, tokens, d);
      layer = ls_layer_new_layernorm (&shape, eps, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat (layer->eps, ==, eps);
      copy_floats (layer->weights, d, description, "gamma");
      copy_floats (layer->bias, d, description, "beta");
      x = golden_get_floats (description, "x", &n_x);
      ls_layer_forward (layer, x);
      golden_assert_floats (name, layer->activation_output, tokens * d, description, "output");
    }
}

static void
test_layernorm_rejects_eps (void)
{
  static const float bad[] = { 0.0f, -1e-5f, 2.0f };
  LsShape shape;

  sequence_shape (&shape, 2, 4);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LsLayer) layer = ls_layer_new_layernorm (&shape, bad[i], &error);

      g_assert_null (layer);
      g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_VALUE);
    }
}

static void
test_dense_tokens_golden (void)
{
  JsonArray *cases = get_cases ("dense");

  for (guint c = 0; c < json_array_get_length (cases); c++)
    {
      JsonObject *description = json_array_get_object_element (cases, c);
      const char *name = json_object_get_string_member (description, "name");
      gsize d_in = json_object_get_int_member (description, "d_in");
      gsize d_out = json_object_get_int_member (description, "d_out");
      gsize tokens = json_object_get_int_member (description, "tokens");
      const char *activation_name = json_object_get_string_member (description, "activation");
      gboolean residual = json_object_get_boolean_member (description, "residual");
      g_autoptr(GError) error = NULL;
      g_autofree float *x = NULL;
      LsActivation activation;
      LsLayer *layer;
      gsize n_x;
      LsShape shape;

      g_test_message ("case %s", name);
      g_assert_true (ls_activation_from_name (activation_name, &activation));
      sequence_shape (&shape, tokens, d_in);
      layer = ls_layer_new_dense_on (&shape, d_out, activation, residual, &test_init, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (ls_layer_get_inputs (layer), ==, d_in);
      g_assert_cmpuint (layer->output_shape.rank, ==, 2);
      g_assert_cmpuint (layer->output_shape.dims[1], ==, d_out);
      copy_floats (layer->weights, d_in * d_out, description, "weights");
      copy_floats (layer->bias, d_out, description, "bias");

      x = golden_get_floats (description, "x", &n_x);
      g_assert_cmpuint (n_x, ==, tokens * d_in);
      ls_layer_forward (layer, x);
      golden_assert_floats (name, layer->pre_activation, tokens * d_out, description, "pre_activation");
      golden_assert_floats (name, layer->activation_output, tokens * d_out, description, "output");
      ls_layer_free (layer);
    }
}

static void
test_pool_tokens_golden (void)
{
  JsonArray *cases = get_cases ("pool_tokens");

  for (guint c = 0; c < json_array_get_length (cases); c++)
    {
      JsonObject *description = json_array_get_object_element (cases, c);
      const char *name = json_object_get_string_member (description, "name");
      gsize d = json_object_get_int_member (description, "d");
      gsize tokens = json_object_get_int_member (description, "tokens");
      g_autoptr(LsLayer) layer = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree float *x = NULL;
      LsTokenPooling pooling;
      gsize n_x;
      LsShape shape;

      g_test_message ("case %s", name);
      g_assert_true (ls_token_pooling_from_name (json_object_get_string_member (description, "mode"), &pooling));
      sequence_shape (&shape, tokens, d);
      layer = ls_layer_new_pool_tokens (&shape, pooling, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (layer->output_shape.rank, ==, 1);
      g_assert_cmpuint (layer->output_shape.dims[0], ==, d);

      x = golden_get_floats (description, "x", &n_x);
      ls_layer_forward (layer, x);
      golden_assert_floats (name, layer->activation_output, d, description, "output");
    }
}

/* The sinusoidal table, added to a zero sequence, is the encoding itself. */
static void
test_positional_sinusoidal_golden (void)
{
  JsonArray *cases = get_cases ("positional");

  for (guint c = 0; c < json_array_get_length (cases); c++)
    {
      JsonObject *description = json_array_get_object_element (cases, c);
      gsize d = json_object_get_int_member (description, "d");
      gsize tokens = json_object_get_int_member (description, "tokens");
      g_autoptr(LsLayer) layer = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree float *zeros = g_new0 (float, tokens * d);
      g_autofree char *name = g_strdup_printf ("sinusoidal d=%zu T=%zu", d, tokens);
      LsShape shape;

      g_assert_cmpstr (json_object_get_string_member (description, "kind"), ==, "sinusoidal");
      sequence_shape (&shape, tokens, d);
      layer = ls_layer_new_positional (&shape, LS_POSITIONAL_SINUSOIDAL, 0, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (ls_layer_get_n_weights (layer), ==, 0);
      ls_layer_forward (layer, zeros);
      golden_assert_floats (name, layer->activation_output, tokens * d, description, "table");
      golden_assert_floats (name, layer->pre_activation, tokens * d, description, "table");
    }
}

/* Builds a vocabulary "[UNK]", "w1" … "w{size − 1}" and the text that
 * the golden token ids spell in it. Id 0 is spelled "unknown", which is
 * not in the vocabulary, and the first word is capitalised, so the
 * tokenizer has to map to [UNK] and to lowercase. */
static LsVocabulary *
new_block_vocabulary (gsize        size,
                      JsonArray   *token_ids,
                      char       **text)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) spelled = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  LsVocabulary *vocabulary;

  g_ptr_array_add (words, g_strdup (LS_UNKNOWN_TOKEN));
  for (gsize i = 1; i < size; i++)
    g_ptr_array_add (words, g_strdup_printf ("w%zu", i));
  g_ptr_array_add (words, NULL);

  for (guint i = 0; i < json_array_get_length (token_ids); i++)
    {
      gint64 id = json_array_get_int_element (token_ids, i);

      if (i > 0)
        g_string_append_c (spelled, ' ');
      if (id == 0)
        g_string_append (spelled, "unknown");
      else
        g_string_append_printf (spelled, i == 0 ? "W%" G_GINT64_FORMAT : "w%" G_GINT64_FORMAT, id);
    }

  vocabulary = ls_vocabulary_new ((const char * const *) words->pdata, &error);
  g_assert_no_error (error);
  *text = g_string_free (g_steal_pointer (&spelled), FALSE);

  return vocabulary;
}

static void
append_layer (LsNetwork *network,
              LsLayer   *layer)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (layer);
  g_assert_true (ls_network_append_layer (network, layer, &error));
  g_assert_no_error (error);
}

/* Builds the whole golden block as a network with a text input through
 * the network API, then compares the output of every layer. */
static void
check_block (JsonObject *block)
{
  const char *name = json_object_get_string_member (block, "name");
  gsize vocabulary_size = json_object_get_int_member (block, "vocabulary");
  gsize d = json_object_get_int_member (block, "d");
  JsonArray *token_ids = json_object_get_array_member (block, "token_ids");
  gsize tokens = json_array_get_length (token_ids);
  JsonObject *attention = json_object_get_object_member (block, "attention");
  JsonObject *layernorm = json_object_get_object_member (block, "layernorm");
  JsonObject *dense = json_object_get_object_member (block, "dense");
  JsonObject *output = json_object_get_object_member (block, "output");
  g_autoptr(LsVocabulary) vocabulary = NULL;
  g_autoptr(LsNetwork) network = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize units = json_object_get_int_member (dense, "units");
  gsize classes = json_object_get_int_member (output, "units");
  LsActivation activation;
  LsLayer *layer;
  LsShape shape;

  g_test_message ("block %s", name);
  vocabulary = new_block_vocabulary (vocabulary_size, token_ids, &text);
  network = ls_network_new_with_tokens (vocabulary, tokens, text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ls_network_get_n_tokens (network), ==, tokens);
  for (gsize t = 0; t < tokens; t++)
    g_assert_cmpuint (ls_network_get_token_id (network, t), ==, json_array_get_int_element (token_ids, t));

  layer = ls_layer_new_embedding (tokens, vocabulary_size, d, &test_init, NULL);
  copy_floats (layer->weights, vocabulary_size * d, json_object_get_object_member (block, "embedding"), "table");
  append_layer (network, layer);

  sequence_shape (&shape, tokens, d);
  append_layer (network, ls_layer_new_positional (&shape, LS_POSITIONAL_SINUSOIDAL, 0, NULL, NULL));

  layer = ls_layer_new_attention (&shape, json_object_get_int_member (attention, "heads"),
                                  json_object_get_boolean_member (attention, "causal"),
                                  json_object_get_boolean_member (attention, "residual"), &test_init, NULL);
  copy_attention_parameters (layer, attention);
  append_layer (network, layer);

  layer = ls_layer_new_layernorm (&shape, json_object_get_double_member (layernorm, "eps"), NULL);
  copy_floats (layer->weights, d, layernorm, "gamma");
  copy_floats (layer->bias, d, layernorm, "beta");
  append_layer (network, layer);

  g_assert_true (ls_network_insert_dense (network, 4, units, LS_ACTIVATION_RELU, &error));
  g_assert_no_error (error);
  g_assert_true (ls_network_insert_pool_tokens (network, 5, LS_TOKEN_POOLING_MEAN, &error));
  g_assert_no_error (error);
  g_assert_true (ls_activation_from_name (json_object_get_string_member (output, "activation"), &activation));
  g_assert_true (ls_network_insert_dense (network, 6, classes, activation, &error));
  g_assert_no_error (error);

  /* The dense layers came with fresh weights; set the golden ones. */
  for (gsize i = 0; i < 2; i++)
    {
      JsonObject *description = i == 0 ? dense : output;
      gsize index = i == 0 ? 4 : 6;
      gsize n_inputs = i == 0 ? d : units;
      gsize n_units = i == 0 ? units : classes;
      gsize n;
      g_autofree float *weights = golden_get_floats (description, "weights", &n);
      g_autofree float *bias = golden_get_floats (description, "bias", &n);

      for (gsize r = 0; r < n_inputs; r++)
        for (gsize u = 0; u < n_units; u++)
          g_assert_true (ls_network_set_weight (network, index, r, u, weights[r * n_units + u], NULL));
      for (gsize u = 0; u < n_units; u++)
        g_assert_true (ls_network_set_bias (network, index, u, bias[u], NULL));
    }

  golden_assert_floats (name, ls_network_get_layer (network, 0)->activation_output, tokens * d,
                        json_object_get_object_member (block, "embedding"), "output");
  golden_assert_floats (name, ls_network_get_layer (network, 1)->activation_output, tokens * d,
                        json_object_get_object_member (block, "positional"), "output");
  assert_attention_state (name, (LsLayer *) ls_network_get_layer (network, 2), attention);
  golden_assert_floats (name, ls_network_get_layer (network, 3)->activation_output, tokens * d,
                        layernorm, "output");
  golden_assert_floats (name, ls_network_get_layer (network, 4)->activation_output, tokens * units,
                        dense, "output");
  golden_assert_floats (name, ls_network_get_layer (network, 5)->activation_output, units,
                        json_object_get_object_member (block, "pool_tokens"), "output");
  golden_assert_floats (name, ls_network_get_output (network), classes, output, "output");
}

static void
test_block_golden (void)
{
  JsonArray *blocks = get_cases ("blocks");

  for (guint b = 0; b < json_array_get_length (blocks); b++)
    check_block (json_array_get_object_element (blocks, b));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  golden = golden_load ("attention-golden.json");

  g_test_add_func ("/attention/golden", test_attention_golden);
  g_test_add_func ("/attention/causal-mask", test_attention_causal_mask);
  g_test_add_func ("/attention/layernorm-golden", test_layernorm_golden);
  g_test_add_func ("/attention/layernorm-rejects-eps", test_layernorm_rejects_eps);
  g_test_add_func ("/attention/dense-tokens-golden", test_dense_tokens_golden);
  g_test_add_func ("/attention/pool-tokens-golden", test_pool_tokens_golden);
  g_test_add_func ("/attention/positional-sinusoidal-golden", test_positional_sinusoidal_golden);
  g_test_add_func ("/attention/block-golden", test_block_golden);

  status = g_test_run ();
  json_object_unref (golden);

  return status;
}
