/* test-backward-sequence.c: gradients of the token layers
 *
 * The expected gradients come from two sources that share no code with
 * ls-backward-sequence.c. The finite-difference tests compare each
 * gradient with a central difference of the engine's own forward pass,
 * on the loss L = Σ c_i·y_i with fixed random c. The golden tests read
 * tests/data/backward-sequence-golden.json, which
 * tools/make-backward-sequence-golden.py computes with PyTorch's autograd
 * through torch.nn.MultiheadAttention, torch.nn.LayerNorm and
 * torch.nn.Embedding.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-backward-sequence"

#include <math.h>
#include <string.h>

#include "golden.h"
#include "ls-engine.h"
#include "ls-layer-private.h"

/* The step of the central differences. The forward pass runs in float,
 * so the loss carries rounding errors of about 1e-7 relative. A step of
 * 1e-2 keeps their share of the difference near 1e-5, and keeps the
 * truncation error, of order step², near 1e-4 for values of order 1. */
#define FD_STEP 1e-2f

/* A gradient matches its central difference within FD_ABSOLUTE +
 * FD_RELATIVE · |difference|. The largest error in these tests is about
 * a fifth of that, and a wrong sign, scale or missing term misses by
 * far more. */
#define FD_ABSOLUTE 5e-4
#define FD_RELATIVE 2e-3

/* The value every parameter gradient starts at, to check that the
 * backward pass adds to it rather than overwriting it. */
#define GRAD_START 0.25f

/* The value grad_input starts at, to check that it is overwritten. */
#define GRAD_INPUT_START 7.0f

/* The maximum number of layers in a test's stack, and the number in
 * the token stacks: embedding, positional, attention, layernorm and
 * pool_tokens. */
#define MAX_STACK 7
#define N_TOKEN_STACK 5

static JsonObject *golden;

static const LsInit test_init = { LS_INIT_XAVIER, 3 };

/* Fills values with uniform numbers in ±scale from a fixed seed. */
static void
fill_random (float   *values,
             gsize    n,
             float    scale,
             guint64  seed)
{
  LsRandom random;

  ls_random_init (&random, seed);
  for (gsize i = 0; i < n; i++)
    values[i] = (float) ((2.0 * ls_random_next_double (&random) - 1.0) * scale);
}

/* Runs the layers in order on input and returns the last one's output. */
static const float *
stack_forward (LsLayer     **layers,
               gsize         n_layers,
               const float  *input)
{
  for (gsize l = 0; l < n_layers; l++)
    {
      ls_layer_forward (layers[l], input);
      input = layers[l]->activation_output;
    }

  return input;
}

/* Returns L = Σ c_i·y_i over the output y of the stack, in double. */
static double
stack_loss (LsLayer     **layers,
            gsize         n_layers,
            const float  *input,
            const float  *c)
{
  const float *output = stack_forward (layers, n_layers, input);
  gsize n = ls_layer_get_outputs (layers[n_layers - 1]);
  double loss = 0.0;

  for (gsize i = 0; i < n; i++)
    loss += (double) c[i] * output[i];

  return loss;
}

/* Runs ls_layer_backward() on each layer from the last to the first,
 * chained through grad_input, after stack_forward() on input. The work
 * space starts as NaN, so a read of it before a write shows. */
static void
stack_backward (LsLayer     **layers,
                gsize         n_layers,
                const float  *input,
                const float  *c,
                float        *grad_input,
                float       **grad_weights,
                float       **grad_bias)
{
  gsize n_output = ls_layer_get_outputs (layers[n_layers - 1]);
  g_autofree float *grad = g_memdup2 (c, n_output * sizeof (float));

  for (gsize l = n_layers; l-- > 0;)
    {
      const float *layer_input = l == 0 ? input : layers[l - 1]->activation_output;
      gsize n_work = ls_layer_get_backward_work_size (layers[l]);
      g_autofree float *work = g_new (float, MAX (n_work, 1));
      float *grad_below = l == 0 ? grad_input : g_new (float, ls_shape_get_size (&layers[l]->input_shape));

      for (gsize i = 0; i < n_work; i++)
        work[i] = NAN;
      ls_layer_backward (layers[l], layer_input, grad, LS_BACKWARD_FROM_OUTPUT, grad_below,
                         grad_weights[l], grad_bias[l], work);
      g_free (grad);
      grad = l == 0 ? NULL : grad_below;
    }
}

static void
assert_gradient (const char *name,
                 gsize       index,
                 double      actual,
                 double      expected)
{
  double allowed = FD_ABSOLUTE + FD_RELATIVE * fabs (expected);

  if (!(fabs (actual - expected) <= allowed))
    g_test_message ("%s[%" G_GSIZE_FORMAT "]: backward %.7g, central difference %.7g",
                    name, index, actual, expected);
  g_assert_true (isfinite (actual));
  g_assert_cmpfloat_with_epsilon (actual, expected, allowed);
}

/* Returns dL/d *value by a central difference, with the step that float
 * rounding actually gives. */
static double
central_difference (LsLayer     **layers,
                    gsize         n_layers,
                    const float  *input,
                    const float  *c,
                    float        *value)
{
  float saved = *value;
  float up = saved + FD_STEP, down = saved - FD_STEP;
  double loss_up, loss_down;

  *value = up;
  loss_up = stack_loss (layers, n_layers, input, c);
  *value = down;
  loss_down = stack_loss (layers, n_layers, input, c);
  *value = saved;

  return (loss_up - loss_down) / ((double) up - (double) down);
}

/* Checks grad, which started at start, against central differences in
 * each of the n values. */
static void
assert_central_differences (const char   *what,
                            LsLayer     **layers,
                            gsize         n_layers,
                            float        *input,
                            const float  *c,
                            float        *values,
                            const float  *grad,
                            float         start,
                            gsize         n)
{
  for (gsize i = 0; i < n; i++)
    assert_gradient (what, i, (double) grad[i] - start,
                     central_difference (layers, n_layers, input, c, values + i));
}

/* Checks the gradients of the input (unless it is token ids, whose
 * gradient must be zero), of every weight and of every bias of the
 * stack against central differences. The parameters must not be zero,
 * so that a term that drops out at zero still shows. */
static void
check_stack (LsLayer **layers,
             gsize     n_layers,
             float    *input,
             gboolean  token_ids)
{
  gsize n_input = ls_shape_get_size (&layers[0]->input_shape);
  gsize n_output = ls_layer_get_outputs (layers[n_layers - 1]);
  g_autofree float *c = g_new (float, n_output);
  g_autofree float *grad_input = g_new (float, n_input);
  float *grad_weights[MAX_STACK], *grad_bias[MAX_STACK];

  g_assert_cmpuint (n_layers, <=, MAX_STACK);
  fill_random (c, n_output, 1.0f, 41);
  for (gsize i = 0; i < n_input; i++)
    grad_input[i] = GRAD_INPUT_START;
  for (gsize l = 0; l < n_layers; l++)
    {
      gsize n_weights = ls_layer_get_n_weights (layers[l]);
      gsize n_biases = ls_layer_get_n_biases (layers[l]);

      grad_weights[l] = n_weights > 0 ? g_new (float, n_weights) : NULL;
      grad_bias[l] = n_biases > 0 ? g_new (float, n_biases) : NULL;
      for (gsize i = 0; i < n_weights; i++)
        grad_weights[l][i] = GRAD_START;
      for (gsize i = 0; i < n_biases; i++)
        grad_bias[l][i] = GRAD_START;
    }

  stack_forward (layers, n_layers, input);
  stack_backward (layers, n_layers, input, c, grad_input, grad_weights, grad_bias);

  if (token_ids)
    for (gsize i = 0; i < n_input; i++)
      g_assert_cmpfloat (grad_input[i], ==, 0.0f);
  else
    assert_central_differences ("input", layers, n_layers, input, c, input, grad_input, 0.0f,
                                n_input);

  for (gsize l = 0; l < n_layers; l++)
    {
      const char *kind = ls_layer_kind_get_name (layers[l]->kind);

      g_test_message ("layer %" G_GSIZE_FORMAT ", %s", l, kind);
      assert_central_differences (kind, layers, n_layers, input, c, layers[l]->weights,
                                  grad_weights[l], GRAD_START, ls_layer_get_n_weights (layers[l]));
      assert_central_differences (kind, layers, n_layers, input, c, layers[l]->bias,
                                  grad_bias[l], GRAD_START, ls_layer_get_n_biases (layers[l]));
      g_free (grad_weights[l]);
      g_free (grad_bias[l]);
    }
}

static void
check_layer (LsLayer *layer,
             float   *input)
{
  check_stack (&layer, 1, input, FALSE);
}

/* Draws the weights and biases of a layer anew, in ±scale. */
static void
randomise_parameters (LsLayer *layer,
                      float    scale,
                      guint64  seed)
{
  fill_random (layer->weights, ls_layer_get_n_weights (layer), scale, seed);
  fill_random (layer->bias, ls_layer_get_n_biases (layer), scale, seed + 1);
}

static void
test_attention_finite_differences (void)
{
  static const gsize heads[] = { 1, 2, 4 };
  static const gsize tokens[] = { 1, 3, 5 };
  const gsize d = 8;

  for (guint h = 0; h < G_N_ELEMENTS (heads); h++)
    for (guint t = 0; t < G_N_ELEMENTS (tokens); t++)
      for (guint options = 0; options < 4; options++)
        {
          gboolean causal = (options & 1) != 0, residual = (options & 2) != 0;
          g_autoptr(LsLayer) layer = NULL;
          g_autoptr(GError) error = NULL;
          g_autofree float *x = g_new (float, tokens[t] * d);
          LsShape shape;

          g_test_message ("attention heads=%" G_GSIZE_FORMAT " T=%" G_GSIZE_FORMAT "%s%s",
                          heads[h], tokens[t], causal ? " causal" : "", residual ? " residual" : "");
          ls_shape_init_2d (&shape, tokens[t], d);
          layer = ls_layer_new_attention (&shape, heads[h], causal, residual, &test_init, &error);
          g_assert_no_error (error);
          /* Weights of about 1 give scores of several units, so that the
           * softmax rows are far from uniform. */
          randomise_parameters (layer, 1.0f, 100 + options);
          fill_random (x, tokens[t] * d, 1.0f, 200 + t);
          check_layer (layer, x);
        }
}

static void
test_layernorm_finite_differences (void)
{
  static const struct
  {
    gsize tokens;  /* 0 for a vector [d] */
    gsize d;
    float eps;
  } cases[] = {
    { 0, 4, 1e-5f },
    { 0, 7, 1e-3f },
    { 1, 4, 1e-5f },
    { 3, 6, 1e-5f },
    { 4, 8, 1e-3f },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LsLayer) layer = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree float *x = NULL;
      LsShape shape;

      g_test_message ("layernorm T=%" G_GSIZE_FORMAT " d=%" G_GSIZE_FORMAT, cases[i].tokens,
                      cases[i].d);
      if (cases[i].tokens == 0)
        ls_shape_init_1d (&shape, cases[i].d);
      else
        ls_shape_init_2d (&shape, cases[i].tokens, cases[i].d);
      layer = ls_layer_new_layernorm (&shape, cases[i].eps, &error);
      g_assert_no_error (error);
      randomise_parameters (layer, 1.5f, 300 + i);

      /* Values in ±2 keep the standard deviation of a row well above the
       * step, where the normalisation is close to linear. */
      x = g_new (float, ls_shape_get_size (&shape));
      fill_random (x, ls_shape_get_size (&shape), 2.0f, 400 + i);
      check_layer (layer, x);
    }
}

static void
test_positional_finite_differences (void)
{
  for (LsPositionalEncoding e = 0; e < LS_N_POSITIONAL_ENCODINGS; e++)
    {
      g_autoptr(LsLayer) layer = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree float *x = g_new (float, 3 * 4);
      LsShape shape;

      ls_shape_init_2d (&shape, 3, 4);
      layer = ls_layer_new_positional (&shape, e, 6, &test_init, &error);
      g_assert_no_error (error);
      if (e == LS_POSITIONAL_LEARNED)
        g_assert_cmpuint (ls_layer_get_n_weights (layer), ==, 6 * 4);
      fill_random (x, 3 * 4, 1.0f, 500 + e);
      check_layer (layer, x);
    }
}

/* Token id 2 occurs twice, so its row of the table must collect the
 * gradient rows of both tokens. */
static void
test_embedding_repeated_token (void)
{
  const gsize d = 3;
  float ids[] = { 2, 0, 2, 4 };
  gsize tokens = G_N_ELEMENTS (ids);
  g_autoptr(LsLayer) layer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *c = g_new (float, tokens * d);
  g_autofree float *grad_table = g_new0 (float, 5 * d);
  g_autofree float *grad_ids = g_new (float, tokens);

  layer = ls_layer_new_embedding (tokens, 5, d, &test_init, &error);
  g_assert_no_error (error);
  check_stack (&layer, 1, ids, TRUE);

  /* The same gradient directly: row 2 is c[0] + c[2], rows 0 and 4 are
   * c[1] and c[3], and rows 1 and 3, which no token selects, are zero. */
  fill_random (c, tokens * d, 1.0f, 600);
  ls_layer_forward (layer, ids);
  ls_layer_backward_sequence (layer, ids, c, grad_ids, grad_table, NULL, NULL);
  for (gsize j = 0; j < d; j++)
    {
      g_assert_cmpfloat_with_epsilon (grad_table[2 * d + j], c[0 * d + j] + c[2 * d + j], 1e-6);
      g_assert_cmpfloat (grad_table[0 * d + j], ==, c[1 * d + j]);
      g_assert_cmpfloat (grad_table[1 * d + j], ==, 0.0f);
      g_assert_cmpfloat (grad_table[3 * d + j], ==, 0.0f);
      g_assert_cmpfloat (grad_table[4 * d + j], ==, c[3 * d + j]);
    }
}

static void
test_pool_tokens_finite_differences (void)
{
  for (LsTokenPooling p = 0; p < LS_N_TOKEN_POOLINGS; p++)
    {
      g_autoptr(LsLayer) layer = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree float *x = g_new (float, 5 * 4);
      LsShape shape;

      ls_shape_init_2d (&shape, 5, 4);
      layer = ls_layer_new_pool_tokens (&shape, p, &error);
      g_assert_no_error (error);
      fill_random (x, 5 * 4, 1.0f, 700 + p);
      check_layer (layer, x);
    }
}

/* Creates embedding → learned positional → attention → layernorm →
 * pool_tokens mean, with random parameters. */
static void
make_stack (LsLayer **layers,
            gsize     tokens,
            gsize     vocabulary,
            gsize     d,
            gsize     heads,
            gboolean  causal)
{
  g_autoptr(GError) error = NULL;
  LsShape shape;

  ls_shape_init_2d (&shape, tokens, d);
  layers[0] = ls_layer_new_embedding (tokens, vocabulary, d, &test_init, &error);
  g_assert_no_error (error);
  layers[1] = ls_layer_new_positional (&shape, LS_POSITIONAL_LEARNED, tokens + 2, &test_init,
                                       &error);
  g_assert_no_error (error);
  layers[2] = ls_layer_new_attention (&shape, heads, causal, TRUE, &test_init, &error);
  g_assert_no_error (error);
  layers[3] = ls_layer_new_layernorm (&shape, 1e-5f, &error);
  g_assert_no_error (error);
  layers[4] = ls_layer_new_pool_tokens (&shape, LS_TOKEN_POOLING_MEAN, &error);
  g_assert_no_error (error);

  for (gsize l = 0; l < 4; l++)
    randomise_parameters (layers[l], 1.0f, 800 + 2 * l);
}

static void
test_stack_finite_differences (void)
{
  float ids[] = { 1, 3, 1, 0 };
  LsLayer *layers[N_TOKEN_STACK];

  for (guint causal = 0; causal < 2; causal++)
    {
      make_stack (layers, G_N_ELEMENTS (ids), 4, 4, 2, causal);
      check_stack (layers, N_TOKEN_STACK, ids, TRUE);
      for (gsize l = 0; l < N_TOKEN_STACK; l++)
        ls_layer_free (layers[l]);
    }
}

/* A small transformer classifier: embedding → sinusoidal positional →
 * attention → layernorm → dense tanh with residual on each token →
 * pool_tokens first → dense softmax. The token layers pass their
 * gradients to and from the dense layers of ls-backward.c here. Tanh and
 * softmax are smooth, so central differences apply. */
static void
test_classifier_finite_differences (void)
{
  float ids[] = { 2, 0, 2 };
  gsize tokens = G_N_ELEMENTS (ids);
  const gsize d = 4;
  LsLayer *layers[MAX_STACK];
  g_autoptr(GError) error = NULL;
  LsShape shape, pooled;

  ls_shape_init_2d (&shape, tokens, d);
  ls_shape_init_1d (&pooled, d);
  layers[0] = ls_layer_new_embedding (tokens, 3, d, &test_init, &error);
  g_assert_no_error (error);
  layers[1] = ls_layer_new_positional (&shape, LS_POSITIONAL_SINUSOIDAL, 0, NULL, &error);
  g_assert_no_error (error);
  layers[2] = ls_layer_new_attention (&shape, 2, TRUE, FALSE, &test_init, &error);
  g_assert_no_error (error);
  layers[3] = ls_layer_new_layernorm (&shape, 1e-5f, &error);
  g_assert_no_error (error);
  layers[4] = ls_layer_new_dense_on (&shape, d, LS_ACTIVATION_TANH, TRUE, &test_init, &error);
  g_assert_no_error (error);
  layers[5] = ls_layer_new_pool_tokens (&shape, LS_TOKEN_POOLING_FIRST, &error);
  g_assert_no_error (error);
  layers[6] = ls_layer_new_dense_on (&pooled, 3, LS_ACTIVATION_SOFTMAX, FALSE, &test_init, &error);
  g_assert_no_error (error);

  for (gsize l = 0; l < MAX_STACK; l++)
    if (l != 1 && l != 5)
      randomise_parameters (layers[l], 1.0f, 1000 + 2 * l);
  check_stack (layers, MAX_STACK, ids, TRUE);

  for (gsize l = 0; l < MAX_STACK; l++)
    ls_layer_free (layers[l]);
}

/* Runs the backward pass of layer after a forward pass on x, from c. */
static void
run_backward (LsLayer     *layer,
              const float *x,
              const float *c,
              float       *grad_input,
              float       *grad_weights,
              float       *grad_bias)
{
  g_autofree float *work = g_new (float, MAX (ls_layer_get_backward_work_size_sequence (layer), 1));

  ls_layer_forward (layer, x);
  ls_layer_backward_sequence (layer, x, c, grad_input, grad_weights, grad_bias, work);
}

/* Each of grad_input, grad_weights and grad_bias may be NULL, and leaving
 * one out changes none of the others. */
static void
test_null_gradients (void)
{
  const gsize tokens = 3, d = 4;
  LsShape shape;
  LsLayer *layers[2];

  ls_shape_init_2d (&shape, tokens, d);
  layers[0] = ls_layer_new_attention (&shape, 2, TRUE, FALSE, &test_init, NULL);
  layers[1] = ls_layer_new_layernorm (&shape, 1e-5f, NULL);

  for (guint l = 0; l < G_N_ELEMENTS (layers); l++)
    {
      LsLayer *layer = layers[l];
      gsize n_weights = ls_layer_get_n_weights (layer), n_biases = ls_layer_get_n_biases (layer);
      g_autofree float *x = g_new (float, tokens * d);
      g_autofree float *c = g_new (float, tokens * d);
      g_autofree float *grad_input = g_new (float, tokens * d);
      g_autofree float *grad_input_alone = g_new (float, tokens * d);
      g_autofree float *grad_weights = g_new0 (float, n_weights);
      g_autofree float *grad_weights_alone = g_new0 (float, n_weights);
      g_autofree float *grad_bias = g_new0 (float, n_biases);
      g_autofree float *grad_bias_alone = g_new0 (float, n_biases);

      randomise_parameters (layer, 1.0f, 900 + l);
      fill_random (x, tokens * d, 1.0f, 910 + l);
      fill_random (c, tokens * d, 1.0f, 920 + l);

      run_backward (layer, x, c, grad_input, grad_weights, grad_bias);
      run_backward (layer, x, c, grad_input_alone, NULL, NULL);
      run_backward (layer, x, c, NULL, grad_weights_alone, NULL);
      run_backward (layer, x, c, NULL, NULL, grad_bias_alone);
      run_backward (layer, x, c, NULL, NULL, NULL);

      g_assert_cmpmem (grad_input_alone, tokens * d * sizeof (float),
                       grad_input, tokens * d * sizeof (float));
      g_assert_cmpmem (grad_weights_alone, n_weights * sizeof (float),
                       grad_weights, n_weights * sizeof (float));
      g_assert_cmpmem (grad_bias_alone, n_biases * sizeof (float),
                       grad_bias, n_biases * sizeof (float));
      ls_layer_free (layer);
    }
}

static JsonArray *
get_cases (const char *kind)
{
  JsonArray *cases = json_object_get_array_member (golden, kind);

  g_assert_nonnull (cases);
  g_assert_cmpuint (json_array_get_length (cases), >, 0);

  return cases;
}

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

/* Runs one layer forward on the case's x and backward from its
 * grad_output, and checks grad_input, grad_weights and grad_bias. */
static void
check_golden_layer (const char *name,
                    LsLayer    *layer,
                    JsonObject *description)
{
  gsize n_x, n_grad_output;
  g_autofree float *x = golden_get_floats (description, "x", &n_x);
  g_autofree float *grad_output = golden_get_floats (description, "grad_output", &n_grad_output);
  g_autofree float *grad_input = g_new (float, n_x);
  g_autofree float *grad_weights = g_new0 (float, ls_layer_get_n_weights (layer));
  g_autofree float *grad_bias = g_new0 (float, ls_layer_get_n_biases (layer));
  g_autofree float *work = g_new (float, MAX (ls_layer_get_backward_work_size_sequence (layer), 1));
  g_autofree char *what = NULL;

  g_assert_cmpuint (n_x, ==, ls_shape_get_size (&layer->input_shape));
  g_assert_cmpuint (n_grad_output, ==, ls_layer_get_outputs (layer));

  ls_layer_forward (layer, x);
  ls_layer_backward_sequence (layer, x, grad_output, grad_input, grad_weights, grad_bias, work);

  what = g_strdup_printf ("%s grad_input", name);
  golden_assert_floats (what, grad_input, n_x, description, "grad_input");
  g_free (what);
  what = g_strdup_printf ("%s grad_weights", name);
  golden_assert_floats (what, grad_weights, ls_layer_get_n_weights (layer), description,
                        "grad_weights");
  g_free (what);
  what = g_strdup_printf ("%s grad_bias", name);
  golden_assert_floats (what, grad_bias, ls_layer_get_n_biases (layer), description, "grad_bias");
}

static void
test_attention_golden (void)
{
  JsonArray *cases = get_cases ("attention");
  gboolean seen_causal = FALSE, seen_heads = FALSE, seen_residual = FALSE;

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
      LsShape shape;

      g_test_message ("case %s", name);
      ls_shape_init_2d (&shape, tokens, d);
      layer = ls_layer_new_attention (&shape, heads, causal, residual, &test_init, &error);
      g_assert_no_error (error);
      copy_attention_parameters (layer, description);
      check_golden_layer (name, layer, description);

      seen_causal |= causal && tokens > 1;
      seen_heads |= heads > 1;
      seen_residual |= residual;
    }

  g_assert_true (seen_causal);
  g_assert_true (seen_heads);
  g_assert_true (seen_residual);
}

static void
test_layernorm_golden (void)
{
  JsonArray *cases = get_cases ("layernorm");
  gboolean seen_vector = FALSE, seen_sequence = FALSE;

  for (guint c = 0; c < json_array_get_length (cases); c++)
    {
      JsonObject *description = json_array_get_object_element (cases, c);
      const char *name = json_object_get_string_member (description, "name");
      gsize d = json_object_get_int_member (description, "d");
      gsize tokens = json_object_get_int_member (description, "tokens");
      float eps = json_object_get_double_member (description, "eps");
      g_autoptr(LsLayer) layer = NULL;
      g_autoptr(GError) error = NULL;
      LsShape shape;

      g_test_message ("case %s", name);
      if (tokens == 0)
        ls_shape_init_1d (&shape, d);
      else
        ls_shape_init_2d (&shape, tokens, d);
      layer = ls_layer_new_layernorm (&shape, eps, &error);
      g_assert_no_error (error);
      copy_floats (layer->weights, d, description, "gamma");
      copy_floats (layer->bias, d, description, "beta");
      check_golden_layer (name, layer, description);

      seen_vector |= tokens == 0;
      seen_sequence |= tokens > 1;
    }

  g_assert_true (seen_vector);
  g_assert_true (seen_sequence);
}

/* Builds embedding → sinusoidal positional → attention with residual →
 * layernorm → pool_tokens mean from a golden block description. */
static void
make_golden_block (LsLayer    **layers,
                   JsonObject  *description,
                   float      **ids,
                   gsize       *tokens)
{
  gsize vocabulary = json_object_get_int_member (description, "vocabulary");
  gsize d = json_object_get_int_member (description, "d");
  gsize heads = json_object_get_int_member (description, "heads");
  gboolean causal = json_object_get_boolean_member (description, "causal");
  g_autoptr(GError) error = NULL;
  LsShape shape;

  *ids = golden_get_floats (description, "token_ids", tokens);
  ls_shape_init_2d (&shape, *tokens, d);
  layers[0] = ls_layer_new_embedding (*tokens, vocabulary, d, &test_init, &error);
  g_assert_no_error (error);
  layers[1] = ls_layer_new_positional (&shape, LS_POSITIONAL_SINUSOIDAL, 0, NULL, &error);
  g_assert_no_error (error);
  layers[2] = ls_layer_new_attention (&shape, heads, causal, TRUE, &test_init, &error);
  g_assert_no_error (error);
  layers[3] = ls_layer_new_layernorm (&shape, 1e-5f, &error);
  g_assert_no_error (error);
  layers[4] = ls_layer_new_pool_tokens (&shape, LS_TOKEN_POOLING_MEAN, &error);
  g_assert_no_error (error);

  copy_floats (layers[0]->weights, vocabulary * d, description, "table");
  copy_attention_parameters (layers[2], description);
  copy_floats (layers[3]->weights, d, description, "gamma");
  copy_floats (layers[3]->bias, d, description, "beta");
}

static void
test_block_golden (void)
{
  JsonArray *cases = get_cases ("blocks");

  for (guint c = 0; c < json_array_get_length (cases); c++)
    {
      JsonObject *description = json_array_get_object_element (cases, c);
      const char *name = json_object_get_string_member (description, "name");
      LsLayer *layers[N_TOKEN_STACK];
      float *grad_weights[N_TOKEN_STACK] = { NULL }, *grad_bias[N_TOKEN_STACK] = { NULL };
      g_autofree float *ids = NULL, *grad_output = NULL, *grad_ids = NULL;
      gsize tokens, n_grad_output;

      g_test_message ("case %s", name);
      make_golden_block (layers, description, &ids, &tokens);
      grad_output = golden_get_floats (description, "grad_output", &n_grad_output);
      g_assert_cmpuint (n_grad_output, ==, ls_layer_get_outputs (layers[4]));
      grad_ids = g_new (float, tokens);
      for (gsize l = 0; l < N_TOKEN_STACK; l++)
        {
          grad_weights[l] = g_new0 (float, MAX (ls_layer_get_n_weights (layers[l]), 1));
          grad_bias[l] = g_new0 (float, MAX (ls_layer_get_n_biases (layers[l]), 1));
        }

      stack_forward (layers, N_TOKEN_STACK, ids);
      stack_backward (layers, N_TOKEN_STACK, ids, grad_output, grad_ids, grad_weights, grad_bias);

      golden_assert_floats ("grad_table", grad_weights[0], ls_layer_get_n_weights (layers[0]),
                            description, "grad_table");
      golden_assert_floats ("grad_attention_weights", grad_weights[2],
                            ls_layer_get_n_weights (layers[2]), description,
                            "grad_attention_weights");
      golden_assert_floats ("grad_attention_bias", grad_bias[2], ls_layer_get_n_biases (layers[2]),
                            description, "grad_attention_bias");
      golden_assert_floats ("grad_gamma", grad_weights[3], ls_layer_get_n_weights (layers[3]),
                            description, "grad_gamma");
      golden_assert_floats ("grad_beta", grad_bias[3], ls_layer_get_n_biases (layers[3]),
                            description, "grad_beta");

      for (gsize l = 0; l < N_TOKEN_STACK; l++)
        {
          g_free (grad_weights[l]);
          g_free (grad_bias[l]);
          ls_layer_free (layers[l]);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  golden = golden_load ("backward-sequence-golden.json");

  g_test_add_func ("/backward-sequence/attention-finite-differences",
                   test_attention_finite_differences);
  g_test_add_func ("/backward-sequence/layernorm-finite-differences",
                   test_layernorm_finite_differences);
  g_test_add_func ("/backward-sequence/positional-finite-differences",
                   test_positional_finite_differences);
  g_test_add_func ("/backward-sequence/embedding-repeated-token", test_embedding_repeated_token);
  g_test_add_func ("/backward-sequence/pool-tokens-finite-differences",
                   test_pool_tokens_finite_differences);
  g_test_add_func ("/backward-sequence/stack-finite-differences", test_stack_finite_differences);
  g_test_add_func ("/backward-sequence/classifier-finite-differences",
                   test_classifier_finite_differences);
  g_test_add_func ("/backward-sequence/null-gradients", test_null_gradients);
  g_test_add_func ("/backward-sequence/attention-golden", test_attention_golden);
  g_test_add_func ("/backward-sequence/layernorm-golden", test_layernorm_golden);
  g_test_add_func ("/backward-sequence/block-golden", test_block_golden);

  status = g_test_run ();
  json_object_unref (golden);

  return status;
}
