/* test-text-input.c: networks that read text: tokens, shape changes and
 * the edits of the token layers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-text-input"

#include <math.h>
#include <string.h>

#include "ls-engine.h"

static const char *const words[] = {
  "[UNK]", "the", "movie", "was", "not", "good", "bad", "!", NULL
};

#define DIM 4

static LsNetwork *
new_text_network (const char *text,
                  gsize       max_tokens)
{
  g_autoptr(LsVocabulary) vocabulary = NULL;
  g_autoptr(GError) error = NULL;
  LsNetwork *network;

  vocabulary = ls_vocabulary_new (words, &error);
  g_assert_no_error (error);
  network = ls_network_new_with_tokens (vocabulary, max_tokens, text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (network);

  return network;
}

static void
append_embedding (LsNetwork *network)
{
  const LsInit init = { LS_INIT_XAVIER, 7 };
  g_autoptr(GError) error = NULL;

  g_assert_true (ls_network_append_layer (network,
                                          ls_layer_new_embedding (ls_network_get_n_tokens (network),
                                                                  G_N_ELEMENTS (words) - 1, DIM, &init, NULL),
                                          &error));
  g_assert_no_error (error);
}

/* embedding → positional → attention (2 heads) → layernorm → pool → dense 2 */
static LsNetwork *
new_classifier (const char *text,
                gsize       max_tokens)
{
  g_autoptr(LsNetwork) network = new_text_network (text, max_tokens);
  g_autoptr(GError) error = NULL;

  append_embedding (network);
  g_assert_true (ls_network_insert_positional (network, 1, LS_POSITIONAL_SINUSOIDAL, &error));
  g_assert_true (ls_network_insert_attention (network, 2, 2, FALSE, TRUE, &error));
  g_assert_true (ls_network_insert_layernorm (network, 3, &error));
  g_assert_true (ls_network_insert_pool_tokens (network, 4, LS_TOKEN_POOLING_MEAN, &error));
  g_assert_true (ls_network_insert_dense (network, 5, 2, LS_ACTIVATION_SOFTMAX, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&network);
}

static void
on_changed (LsNetwork *network,
            guint      change,
            guint     *last_change)
{
  *last_change = change;
}

static void
test_text_input_tokens (void)
{
  g_autoptr(LsNetwork) network = new_text_network ("The movie was NOT good!", 8);

  g_assert_true (ls_network_has_token_input (network));
  g_assert_cmpuint (ls_network_get_n_tokens (network), ==, 6);
  g_assert_cmpstr (ls_network_get_token (network, 0), ==, "the");
  g_assert_cmpstr (ls_network_get_token (network, 3), ==, "not");
  g_assert_cmpstr (ls_network_get_token (network, 5), ==, "!");
  g_assert_cmpstr (ls_network_get_input_label (network, 3), ==, "not");
  g_assert_cmpuint (ls_network_get_token_id (network, 3), ==, 4);
  g_assert_cmpuint (ls_network_get_token_id (network, 5), ==, 7);
  g_assert_cmpuint (ls_network_get_input_shape (network)->rank, ==, 1);
  g_assert_cmpuint (ls_network_get_input_size (network), ==, 6);
  g_assert_cmpstr (ls_network_get_text (network), ==, "The movie was NOT good!");
}

static void
test_text_input_unknown_word (void)
{
  g_autoptr(LsNetwork) network = new_text_network ("the film was good", 8);

  g_assert_cmpstr (ls_network_get_token (network, 1), ==, "film");
  g_assert_cmpuint (ls_network_get_token_id (network, 1), ==, 0);
}

/* A new token count reshapes every layer up to pooling and is a
 * structure change; the same count with other words changes values. */
static void
test_text_input_set_text_reshapes (void)
{
  g_autoptr(LsNetwork) network = new_classifier ("the movie was good", 8);
  g_autoptr(GError) error = NULL;
  guint change = 0;
  const LsLayer *attention;

  g_signal_connect (network, "changed", G_CALLBACK (on_changed), &change);

  g_assert_true (ls_network_set_text (network, "the movie was not good", &error));
  g_assert_no_error (error);
  g_assert_true (change & LS_CHANGE_STRUCTURE);
  attention = ls_network_get_layer (network, 2);
  g_assert_cmpuint (attention->input_shape.dims[0], ==, 5);
  g_assert_cmpuint (attention->output_shape.dims[0], ==, 5);
  g_assert_cmpuint (ls_network_get_layer (network, 4)->output_shape.rank, ==, 1);
  g_assert_cmpuint (ls_network_get_output_size (network), ==, 2);

  change = 0;
  g_assert_true (ls_network_set_text (network, "the movie was not bad", &error));
  g_assert_cmpuint (change, ==, LS_CHANGE_VALUES | LS_CHANGE_METADATA);
  g_assert_cmpuint (ls_network_get_token_id (network, 4), ==, 6);
}

/* Each rejected text leaves the text, the tokens and the output as they were. */
static void
test_text_input_rejects_text (void)
{
  g_autoptr(LsNetwork) network = new_classifier ("the movie was good", 5);
  g_autofree char *long_text = g_strnfill (LS_MAX_TEXT_LENGTH + 1, 'a');
  static const char invalid_utf8[] = { 't', 'h', (char) 0xff, 'e', 0 };
  const char *bad[] = { "", "  \t ", "the movie was not good !", long_text, invalid_utf8 };
  const char *fragments[] = { "no tokens", "no tokens", "6 tokens", "bytes long", "UTF-8" };
  float before[2];

  memcpy (before, ls_network_get_output (network), sizeof before);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (ls_network_set_text (network, bad[i], &error));
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, fragments[i]));
      g_assert_cmpstr (ls_network_get_text (network), ==, "the movie was good");
      g_assert_cmpuint (ls_network_get_n_tokens (network), ==, 4);
      g_assert_cmpmem (ls_network_get_output (network), sizeof before, before, sizeof before);
    }
}

static void
test_text_input_rejects_max_tokens (void)
{
  g_autoptr(LsVocabulary) vocabulary = ls_vocabulary_new (words, NULL);
  const gsize bad[] = { 0, LS_MAX_TOKENS + 1 };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LsNetwork) network = ls_network_new_with_tokens (vocabulary, bad[i], "good", &error);

      g_assert_null (network);
      g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
    }
}

/* A learned position table has max_tokens rows; the network refuses a
 * token count beyond them even below its own maximum. */
static void
test_text_input_learned_positions_limit (void)
{
  g_autoptr(LsNetwork) network = new_text_network ("the movie", 3);
  g_autoptr(GError) error = NULL;
  const LsLayer *positional;

  append_embedding (network);
  g_assert_true (ls_network_insert_positional (network, 1, LS_POSITIONAL_LEARNED, &error));
  g_assert_no_error (error);
  positional = ls_network_get_layer (network, 1);
  g_assert_cmpuint (positional->rows, ==, 3);
  g_assert_cmpuint (ls_layer_get_n_weights (positional), ==, 3 * DIM);

  g_assert_true (ls_network_set_text (network, "the movie was", &error));
  g_assert_false (ls_network_set_text (network, "the movie was good", &error));
  g_assert_nonnull (strstr (error->message, "4 tokens"));
}

static void
test_text_input_first_layer_rules (void)
{
  g_autoptr(LsNetwork) network = new_classifier ("the movie", 8);
  g_autoptr(LsNetwork) vector = ls_network_new (4);
  g_autoptr(GError) error = NULL;

  /* Nothing but an embedding may read token ids. */
  g_assert_false (ls_network_insert_dense (network, 0, 3, LS_ACTIVATION_RELU, &error));
  g_assert_nonnull (strstr (error->message, "Layer 1 (Dense)"));
  g_assert_nonnull (strstr (error->message, "embedding"));
  g_clear_error (&error);

  g_assert_false (ls_network_remove_layer (network, 0, &error));
  g_assert_nonnull (strstr (error->message, "embedding"));
  g_clear_error (&error);
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 6);

  /* An embedding needs a text input. */
  g_assert_true (ls_network_insert_dense (vector, 0, 3, LS_ACTIVATION_RELU, &error));
  g_assert_false (ls_network_append_layer (vector,
                                           ls_layer_new_embedding (3, 8, DIM, &(LsInit) { LS_INIT_XAVIER, 1 }, NULL),
                                           &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (ls_network_get_n_layers (vector), ==, 1);
}

static void
test_text_input_embedding_rows (void)
{
  g_autoptr(LsNetwork) network = new_text_network ("the movie", 8);
  g_autoptr(GError) error = NULL;
  const LsInit init = { LS_INIT_XAVIER, 1 };

  g_assert_false (ls_network_append_layer (network, ls_layer_new_embedding (2, 5, DIM, &init, NULL), &error));
  g_assert_nonnull (strstr (error->message, "5 rows"));
  g_assert_nonnull (strstr (error->message, "8 words"));
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 0);
}

static void
test_text_input_heads_must_divide (void)
{
  g_autoptr(LsNetwork) network = new_classifier ("the movie", 8);
  g_autoptr(GError) error = NULL;
  const LsLayer *attention = ls_network_get_layer (network, 2);

  g_assert_false (ls_network_set_heads (network, 2, 3, &error));
  g_assert_nonnull (strstr (error->message, "Layer 3 (Attention)"));
  g_assert_nonnull (strstr (error->message, "3"));
  g_assert_cmpuint (attention->heads, ==, 2);
  g_clear_error (&error);

  g_assert_true (ls_network_set_heads (network, 2, 4, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (attention->heads, ==, 4);
}

/* Changing the embedding width d reshapes every token layer after it,
 * and the dense head keeps the weights that still fit. */
static void
test_text_input_set_embedding_width (void)
{
  g_autoptr(LsNetwork) network = new_classifier ("the movie was good", 8);
  g_autoptr(GError) error = NULL;

  g_assert_true (ls_network_set_units (network, 0, 6, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ls_network_get_layer (network, 2)->units, ==, 6);
  g_assert_cmpuint (ls_layer_get_n_weights (ls_network_get_layer (network, 2)), ==, 4 * 6 * 6);
  g_assert_cmpuint (ls_layer_get_n_weights (ls_network_get_layer (network, 3)), ==, 6);
  g_assert_cmpfloat (ls_network_get_layer (network, 3)->weights[5], ==, 1.0f);
  g_assert_cmpuint (ls_layer_get_inputs (ls_network_get_layer (network, 5)), ==, 6);

  /* 2 heads no longer divide an odd width. */
  g_assert_false (ls_network_set_units (network, 0, 5, &error));
  g_assert_nonnull (strstr (error->message, "Layer 3 (Attention)"));
  g_assert_cmpuint (ls_network_get_layer (network, 2)->units, ==, 6);
}

static void
test_text_input_dense_residual (void)
{
  g_autoptr(LsNetwork) network = new_classifier ("the movie", 8);
  g_autoptr(GError) error = NULL;
  const LsLayer *dense;

  g_assert_true (ls_network_insert_dense (network, 4, 3, LS_ACTIVATION_RELU, &error));
  dense = ls_network_get_layer (network, 4);
  g_assert_cmpuint (dense->output_shape.rank, ==, 2);
  g_assert_cmpuint (dense->output_shape.dims[1], ==, 3);
  g_assert_false (ls_network_set_residual (network, 4, TRUE, &error));
  g_assert_nonnull (strstr (error->message, "residual"));
  g_assert_false (dense->residual);
  g_clear_error (&error);

  g_assert_true (ls_network_set_units (network, 4, DIM, &error));
  g_assert_true (ls_network_set_residual (network, 4, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (dense->residual);
  for (gsize i = 0; i < ls_layer_get_outputs (dense); i++)
    {
      float activation = MAX (dense->pre_activation[i], 0.0f);

      g_assert_cmpfloat_with_epsilon (dense->activation_output[i],
                                      activation + ls_network_get_layer (network, 3)->activation_output[i], 1e-6);
    }
}

static void
test_text_input_attention_edits (void)
{
  g_autoptr(LsNetwork) network = new_classifier ("the movie was good", 8);
  g_autoptr(GError) error = NULL;
  const LsLayer *attention = ls_network_get_layer (network, 2);
  float zeros[DIM * DIM] = { 0 };

  /* Zero queries give zero scores, and so uniform weights 1/T. */
  g_assert_true (ls_network_set_attention_matrix (network, 2, LS_ATTENTION_QUERY, zeros, DIM * DIM, &error));
  g_assert_no_error (error);
  for (gsize h = 0; h < attention->heads; h++)
    for (gsize i = 0; i < 16; i++)
      g_assert_cmpfloat_with_epsilon (ls_layer_get_attention_head (attention, h)[i], 0.25, 1e-7);

  /* With a causal mask, query t spreads over t + 1 keys. */
  ls_network_set_causal (network, 2, TRUE);
  g_assert_cmpfloat_with_epsilon (ls_layer_get_attention_head (attention, 0)[1 * 4 + 0], 0.5, 1e-7);
  g_assert_cmpfloat (ls_layer_get_attention_head (attention, 0)[1 * 4 + 2], ==, 0.0f);

  g_assert_false (ls_network_set_attention_matrix (network, 2, LS_ATTENTION_KEY, zeros, 3, &error));
  g_assert_nonnull (strstr (error->message, "16"));
  g_clear_error (&error);

  g_assert_true (ls_network_set_attention_weight (network, 2, LS_ATTENTION_OUTPUT, 1, 2, 0.5f, &error));
  g_assert_cmpfloat (ls_layer_get_attention_matrix (attention, LS_ATTENTION_OUTPUT)[1 * DIM + 2], ==, 0.5f);
  g_assert_true (ls_network_set_attention_bias (network, 2, LS_ATTENTION_VALUE, 3, -1.0f, &error));
  g_assert_cmpfloat (ls_layer_get_attention_bias (attention, LS_ATTENTION_VALUE)[3], ==, -1.0f);
  g_assert_false (ls_network_set_attention_weight (network, 2, LS_ATTENTION_QUERY, 0, 0, INFINITY, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_VALUE);
}

static void
test_text_input_token_pooling (void)
{
  g_autoptr(LsNetwork) network = new_classifier ("the movie was good", 8);
  const LsLayer *norm = ls_network_get_layer (network, 3);
  const LsLayer *pool = ls_network_get_layer (network, 4);

  for (gsize j = 0; j < DIM; j++)
    {
      float sum = 0.0f;

      for (gsize t = 0; t < 4; t++)
        sum += norm->activation_output[t * DIM + j];
      g_assert_cmpfloat_with_epsilon (pool->activation_output[j], sum / 4, 1e-6);
    }

  ls_network_set_token_pooling (network, 4, LS_TOKEN_POOLING_FIRST);
  g_assert_cmpmem (pool->activation_output, DIM * sizeof (float), norm->activation_output, DIM * sizeof (float));
}

static void
test_text_input_layernorm_eps (void)
{
  g_autoptr(LsNetwork) network = new_classifier ("the movie", 8);
  g_autoptr(GError) error = NULL;

  g_assert_true (ls_network_set_layernorm_eps (network, 3, 0.5f, &error));
  g_assert_cmpfloat (ls_network_get_layer (network, 3)->eps, ==, 0.5f);
  g_assert_false (ls_network_set_layernorm_eps (network, 3, 0.0f, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_VALUE);
  g_assert_cmpfloat (ls_network_get_layer (network, 3)->eps, ==, 0.5f);
}

static void
test_text_input_rejects_flatten (void)
{
  g_autoptr(LsNetwork) network = new_classifier ("the movie", 8);
  g_autoptr(GError) error = NULL;

  g_assert_false (ls_network_insert_flatten (network, 3, &error));
  g_assert_nonnull (strstr (error->message, "token pooling"));
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 6);
}

/* Rows of ±2e19 have a variance of 4e38, beyond the float range, and
 * still normalise to ±1 (by hand: mean 0, deviation 2e19). */
static void
test_text_input_layernorm_large_values (void)
{
  g_autoptr(LsNetwork) network = new_text_network ("the movie", 8);
  g_autoptr(GError) error = NULL;
  const LsLayer *norm;

  append_embedding (network);
  g_assert_true (ls_network_insert_layernorm (network, 1, &error));
  for (gsize row = 1; row <= 2; row++)
    for (gsize j = 0; j < DIM; j++)
      g_assert_true (ls_network_set_table_value (network, 0, row, j, j % 2 == 0 ? 2e19f : -2e19f, &error));

  norm = ls_network_get_layer (network, 1);
  for (gsize i = 0; i < 2 * DIM; i++)
    g_assert_cmpfloat_with_epsilon (norm->activation_output[i], i % 2 == 0 ? 1.0 : -1.0, 1e-6);
  g_assert_false (ls_network_find_non_finite (network, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text-input/tokens", test_text_input_tokens);
  g_test_add_func ("/text-input/unknown-word", test_text_input_unknown_word);
  g_test_add_func ("/text-input/set-text-reshapes", test_text_input_set_text_reshapes);
  g_test_add_func ("/text-input/rejects-text", test_text_input_rejects_text);
  g_test_add_func ("/text-input/rejects-max-tokens", test_text_input_rejects_max_tokens);
  g_test_add_func ("/text-input/learned-positions-limit", test_text_input_learned_positions_limit);
  g_test_add_func ("/text-input/first-layer-rules", test_text_input_first_layer_rules);
  g_test_add_func ("/text-input/embedding-rows", test_text_input_embedding_rows);
  g_test_add_func ("/text-input/heads-must-divide", test_text_input_heads_must_divide);
  g_test_add_func ("/text-input/set-embedding-width", test_text_input_set_embedding_width);
  g_test_add_func ("/text-input/dense-residual", test_text_input_dense_residual);
  g_test_add_func ("/text-input/attention-edits", test_text_input_attention_edits);
  g_test_add_func ("/text-input/token-pooling", test_text_input_token_pooling);
  g_test_add_func ("/text-input/layernorm-eps", test_text_input_layernorm_eps);
  g_test_add_func ("/text-input/rejects-flatten", test_text_input_rejects_flatten);
  g_test_add_func ("/text-input/layernorm-large-values", test_text_input_layernorm_large_values);

  return g_test_run ();
}
