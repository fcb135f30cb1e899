/* test-attention-preset.c: the attention head presets on small token
 * networks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-attention-preset"

#include <math.h>
#include <string.h>

#include "ls-attention-preset.h"
#include "ls-engine.h"

static const char *const words[] = { "[UNK]", "a", "b", "c", "d", "e", NULL };

/* Repeated words, so only the positions tell these tokens apart. */
#define TEXT "a b a c b a d e a b"

#define D 16

typedef enum
{
  WITH_POSITIONAL = 1 << 0,
  WITH_LAYERNORM  = 1 << 1,
  CAUSAL          = 1 << 2,
} NetworkFlags;

/* Builds embedding [6][16], then a sinusoidal positional layer and a
 * layernorm as flags ask, then attention with 2 heads of 8 columns and a
 * residual connection. The embedding table is Xavier-initialised with a
 * fixed seed and multiplied by embedding_scale. */
static LsNetwork *
new_network (double       embedding_scale,
             NetworkFlags flags)
{
  const LsInit init = { LS_INIT_XAVIER, 7 };
  g_autoptr(LsVocabulary) vocabulary = ls_vocabulary_new (words, NULL);
  g_autoptr(GError) error = NULL;
  LsNetwork *network = ls_network_new_with_tokens (vocabulary, 16, TEXT, &error);
  gsize tokens = ls_network_get_n_tokens (network);
  LsLayer *embedding;
  gsize index = 1;

  g_assert_no_error (error);
  embedding = ls_layer_new_embedding (tokens, g_strv_length ((GStrv) words), D, &init, NULL);
  for (gsize i = 0; i < embedding->rows * D; i++)
    embedding->weights[i] *= (float) embedding_scale;
  g_assert_true (ls_network_append_layer (network, embedding, &error));

  if (flags & WITH_POSITIONAL)
    g_assert_true (ls_network_insert_positional (network, index++, LS_POSITIONAL_SINUSOIDAL, &error));
  if (flags & WITH_LAYERNORM)
    g_assert_true (ls_network_insert_layernorm (network, index++, &error));
  g_assert_true (ls_network_insert_attention (network, index, 2, (flags & CAUSAL) != 0, TRUE, &error));
  g_assert_no_error (error);

  return network;
}

static gsize
get_row_argmax (const float *row,
                gsize        n)
{
  gsize best = 0;

  for (gsize s = 1; s < n; s++)
    if (row[s] > row[best])
      best = s;

  return best;
}

/* Softmax of T equal scores is exp(0) / (T · exp(0)): exactly 1 / T in
 * float, and 1 / (t + 1) for query t under the causal mask, 0 beyond.
 * The query bias is set first, so that the preset has to clear it too. */
static void
test_uniform_exact (void)
{
  for (int causal = 0; causal <= 1; causal++)
    {
      g_autoptr(LsNetwork) network = new_network (1.0, WITH_POSITIONAL | (causal ? CAUSAL : 0));
      const LsLayer *attention = ls_network_get_layer (network, 2);
      gsize tokens = ls_layer_get_tokens (attention);
      g_autoptr(GError) error = NULL;
      const float *weights;

      for (gsize j = D / 2; j < D; j++)
        g_assert_true (ls_network_set_attention_bias (network, 2, LS_ATTENTION_QUERY, j, 0.1f * j, NULL));
      g_assert_true (ls_attention_apply_preset (network, 2, 1, LS_ATTENTION_PRESET_UNIFORM, &error));
      g_assert_no_error (error);

      weights = ls_layer_get_attention_head (attention, 1);
      for (gsize t = 0; t < tokens; t++)
        for (gsize s = 0; s < tokens; s++)
          {
            float expected = 1.0f / (float) tokens;

            if (causal)
              expected = s <= t ? 1.0f / (float) (t + 1) : 0.0f;

            g_assert_cmpfloat (weights[t * tokens + s], ==, expected);
          }
    }
}

/* A preset rewrites only its head's query and key columns. */
static void
test_other_head_unchanged (void)
{
  g_autoptr(LsNetwork) network = new_network (1.0, WITH_POSITIONAL);
  const LsLayer *attention = ls_network_get_layer (network, 2);
  gsize tokens = ls_layer_get_tokens (attention);
  g_autofree float *before = g_memdup2 (attention->weights, 4 * D * D * sizeof (float));
  g_autofree float *head0 = g_memdup2 (ls_layer_get_attention_head (attention, 0), tokens * tokens * sizeof (float));
  const float *wq;

  g_assert_true (ls_attention_apply_preset (network, 2, 1, LS_ATTENTION_PRESET_SELF, NULL));

  wq = ls_layer_get_attention_matrix (attention, LS_ATTENTION_QUERY);
  for (gsize row = 0; row < D; row++)
    g_assert_cmpmem (wq + row * D, 8 * sizeof (float), before + row * D, 8 * sizeof (float));
  g_assert_cmpmem (attention->weights + 2 * D * D, 2 * D * D * sizeof (float),
                   before + 2 * D * D, 2 * D * D * sizeof (float));
  g_assert_cmpmem (ls_layer_get_attention_head (attention, 0), tokens * tokens * sizeof (float),
                   head0, tokens * tokens * sizeof (float));
}

/* On a Xavier-initialised embedding plus the sinusoidal encoding, after
 * a layernorm, every token puts more than 0.8 of its weight on itself,
 * in both heads, although the text repeats words. */
static void
test_self_diagonal (void)
{
  for (int causal = 0; causal <= 1; causal++)
    {
      g_autoptr(LsNetwork) network = new_network (1.0, WITH_POSITIONAL | WITH_LAYERNORM | (causal ? CAUSAL : 0));
      const LsLayer *attention = ls_network_get_layer (network, 3);
      gsize tokens = ls_layer_get_tokens (attention);

      for (gsize h = 0; h < 2; h++)
        {
          const float *weights;
          double smallest = 1.0;

          g_assert_true (ls_attention_apply_preset (network, 3, h, LS_ATTENTION_PRESET_SELF, NULL));
          weights = ls_layer_get_attention_head (attention, h);
          for (gsize t = 0; t < tokens; t++)
            {
              g_assert_cmpfloat (weights[t * tokens + t], >, 0.8f);
              smallest = MIN (smallest, weights[t * tokens + t]);
            }
          g_test_message ("causal %d, head %zu: smallest weight on self %.3f", causal, h, smallest);
        }
    }
}

/* With the embedding scaled to a tenth, so that the encoding dominates
 * the token vectors, each token t ≥ 1 puts its largest weight on t − 1,
 * and token 0 on itself. */
static void
test_previous_row_maximum (void)
{
  for (int causal = 0; causal <= 1; causal++)
    {
      g_autoptr(LsNetwork) network = new_network (0.1, WITH_POSITIONAL | (causal ? CAUSAL : 0));
      const LsLayer *attention = ls_network_get_layer (network, 2);
      gsize tokens = ls_layer_get_tokens (attention);
      g_autoptr(GError) error = NULL;

      for (gsize h = 0; h < 2; h++)
        {
          const float *weights;
          double sum = 0.0;

          g_assert_true (ls_attention_apply_preset (network, 2, h, LS_ATTENTION_PRESET_PREVIOUS, &error));
          g_assert_no_error (error);
          weights = ls_layer_get_attention_head (attention, h);
          g_assert_cmpuint (get_row_argmax (weights, tokens), ==, 0);
          for (gsize t = 1; t < tokens; t++)
            {
              g_assert_cmpuint (get_row_argmax (weights + t * tokens, tokens), ==, t - 1);
              g_assert_cmpfloat (weights[t * tokens + t - 1], >, 0.5f);
              sum += weights[t * tokens + t - 1];
            }
          g_test_message ("causal %d, head %zu: mean weight on the previous token %.3f",
                          causal, h, sum / (double) (tokens - 1));
        }
    }
}

/* Without an encoding the tokens carry no position, and the preset
 * leaves the network as it was. */
static void
test_previous_needs_positional (void)
{
  g_autoptr(LsNetwork) network = new_network (1.0, 0);
  const LsLayer *attention = ls_network_get_layer (network, 1);
  g_autofree float *before = g_memdup2 (attention->weights, 4 * D * D * sizeof (float));
  g_autoptr(GError) error = NULL;

  g_assert_false (ls_attention_apply_preset (network, 1, 0, LS_ATTENTION_PRESET_PREVIOUS, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "needs a positional encoding before this layer"));
  g_assert_cmpmem (attention->weights, 4 * D * D * sizeof (float), before, 4 * D * D * sizeof (float));
}

/* A learned encoding has no fixed rotation from one position to the next. */
static void
test_previous_rejects_learned (void)
{
  g_autoptr(LsNetwork) network = new_network (1.0, 0);
  g_autoptr(GError) error = NULL;

  g_assert_true (ls_network_insert_positional (network, 1, LS_POSITIONAL_LEARNED, &error));
  g_assert_no_error (error);

  g_assert_false (ls_attention_apply_preset (network, 2, 0, LS_ATTENTION_PRESET_PREVIOUS, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "layer 2 uses a learned one"));
}

static void
count_changed_cb (LsNetwork *network,
                  guint      change,
                  gpointer   user_data)
{
  guint *count = user_data;

  (*count)++;
}

/* Each preset is one change: one signal, after one forward pass. */
static void
test_one_change (void)
{
  g_autoptr(LsNetwork) network = new_network (1.0, WITH_POSITIONAL);

  for (guint preset = 0; preset < LS_N_ATTENTION_PRESETS; preset++)
    {
      guint count = 0;
      gulong handler = g_signal_connect (network, "changed", G_CALLBACK (count_changed_cb), &count);

      g_assert_true (ls_attention_apply_preset (network, 2, 0, preset, NULL));
      g_signal_handler_disconnect (network, handler);

      g_assert_cmpuint (count, ==, 1);
    }
}

static void
test_display_names (void)
{
  g_assert_cmpstr (ls_attention_preset_get_display_name (LS_ATTENTION_PRESET_UNIFORM), ==, "Uniform attention");
  g_assert_cmpstr (ls_attention_preset_get_display_name (LS_ATTENTION_PRESET_PREVIOUS), ==,
                   "Attend to previous token");
  g_assert_cmpstr (ls_attention_preset_get_display_name (LS_ATTENTION_PRESET_SELF), ==, "Attend to self");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attention-preset/uniform-exact", test_uniform_exact);
  g_test_add_func ("/attention-preset/other-head-unchanged", test_other_head_unchanged);
  g_test_add_func ("/attention-preset/self-diagonal", test_self_diagonal);
  g_test_add_func ("/attention-preset/previous-row-maximum", test_previous_row_maximum);
  g_test_add_func ("/attention-preset/previous-needs-positional", test_previous_needs_positional);
  g_test_add_func ("/attention-preset/previous-rejects-learned", test_previous_rejects_learned);
  g_test_add_func ("/attention-preset/one-change", test_one_change);
  g_test_add_func ("/attention-preset/display-names", test_display_names);

  return g_test_run ();
}
