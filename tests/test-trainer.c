/* test-trainer.c: losses, optimisers, batches and divergence of LsTrainer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-trainer"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "golden.h"
#include "ls-engine.h"

/* Counting allocator
 *
 * With glibc, these definitions replace the C library's malloc() family
 * for the whole process, so the test counts every allocation that a
 * training step makes. AddressSanitizer replaces them too, so the count
 * is skipped there. */
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#define HAVE_ALLOCATION_COUNTER 1

extern void *__libc_malloc (size_t size);
extern void *__libc_calloc (size_t n, size_t size);
extern void *__libc_realloc (void *pointer, size_t size);

static volatile gboolean counting_allocations;
static volatile gsize allocation_count;

void *
malloc (size_t size)
{
  if (counting_allocations)
    allocation_count++;

  return __libc_malloc (size);
}

void *
calloc (size_t n,
        size_t size)
{
  if (counting_allocations)
    allocation_count++;

  return __libc_calloc (n, size);
}

void *
realloc (void   *pointer,
         size_t  size)
{
  if (counting_allocations)
    allocation_count++;

  return __libc_realloc (pointer, size);
}
#endif

static JsonObject *golden;

/* Helpers */

typedef struct
{
  gsize units;
  LsActivation activation;
  const char *name;  /* nullable */
} DenseSpec;

/* Builds a dense network with the default seeded weights of each layer. */
static LsNetwork *
build_network (gsize            inputs,
               const DenseSpec *layers,
               gsize            n_layers)
{
  LsNetwork *network = ls_network_new (inputs);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < n_layers; i++)
    {
      ls_network_insert_dense (network, i, layers[i].units, layers[i].activation, &error);
      g_assert_no_error (error);
      if (layers[i].name != NULL)
        ls_network_set_layer_name (network, i, layers[i].name);
    }

  return network;
}

/* The four corners of the exclusive-or truth table with inputs ±1:
 * class 1 where the signs differ. */
static LsSamples *
make_xor_samples (void)
{
  static const float inputs[] = { -1, -1,  -1, 1,  1, -1,  1, 1 };  /* [4][2] */
  static const guint labels[] = { 0, 1, 1, 0 };
  g_autoptr(GError) error = NULL;
  LsShape shape;
  LsSamples *samples;

  ls_shape_init_1d (&shape, 2);
  samples = ls_samples_new_classification ("xor", &shape, 4, inputs, labels, 2, NULL, &error);
  g_assert_no_error (error);

  return samples;
}

/* n points of two classes spread over [-1, 1]², drawn from seed. */
static LsSamples *
make_random_samples (gsize   n,
                     guint64 seed)
{
  g_autofree float *inputs = g_new (float, n * 2);
  g_autofree guint *labels = g_new (guint, n);
  g_autoptr(GError) error = NULL;
  LsRandom random;
  LsShape shape;
  LsSamples *samples;

  ls_random_init (&random, seed);
  for (gsize i = 0; i < n; i++)
    {
      inputs[2 * i] = (float) (2.0 * ls_random_next_double (&random) - 1.0);
      inputs[2 * i + 1] = (float) (2.0 * ls_random_next_double (&random) - 1.0);
      labels[i] = inputs[2 * i] * inputs[2 * i + 1] > 0.0f;
    }
  ls_shape_init_1d (&shape, 2);
  samples = ls_samples_new_classification ("random", &shape, n, inputs, labels, 2, NULL, &error);
  g_assert_no_error (error);

  return samples;
}

static LsSamples *
make_regression_samples (gsize n,
                         gsize inputs,
                         gsize target_size)
{
  g_autofree float *x = g_new (float, n * inputs);
  g_autofree float *t = g_new (float, n * target_size);
  g_autoptr(GError) error = NULL;
  LsSamples *samples;
  LsShape shape;

  for (gsize i = 0; i < n * inputs; i++)
    x[i] = (float) i / (float) (n * inputs) - 0.5f;
  for (gsize i = 0; i < n * target_size; i++)
    t[i] = 0.25f * (float) (i % 3);
  ls_shape_init_1d (&shape, inputs);
  samples = ls_samples_new_regression ("ramp", &shape, n, x, target_size, t, &error);
  g_assert_no_error (error);

  return samples;
}

static void
assert_floats_equal (const float *a,
                     const float *b,
                     gsize        n)
{
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (a[i], ==, b[i]);
}

/* Copies every weight and bias of the trainer into one new array. */
static GArray *
get_trainer_parameters (LsTrainer *trainer)
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (float));

  for (gsize i = 0; i < ls_trainer_get_n_layers (trainer); i++)
    {
      const LsLayer *layer = ls_trainer_get_layer (trainer, i);

      g_array_append_vals (values, layer->weights, ls_layer_get_n_weights (layer));
      g_array_append_vals (values, layer->bias, ls_layer_get_n_biases (layer));
    }

  return values;
}

static gboolean
parameters_equal (GArray *a,
                  GArray *b)
{
  return a->len == b->len && memcmp (a->data, b->data, a->len * sizeof (float)) == 0;
}

static void
train_steps (LsTrainer *trainer,
             guint      steps)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < steps; i++)
    {
      ls_trainer_step (trainer, &error);
      g_assert_no_error (error);
    }
}

/* Golden runs of PyTorch, written by tools/make-train-golden.py */

/* The words of the token cases: ids 0 to 6, as the script draws them. */
static const char * const golden_words[] = {
  "[UNK]", "a", "b", "c", "d", "e", "f", NULL
};

static LsActivation
get_golden_activation (JsonObject *layer)
{
  LsActivation activation;

  g_assert_true (ls_activation_from_name (json_object_get_string_member (layer, "activation"), &activation));

  return activation;
}

/* Reads a square window: "kernel" and "stride" on both axes, and
 * "padding" as "same" or "valid". */
static void
read_golden_window (JsonObject *layer,
                    LsWindow   *window)
{
  gsize kernel = json_object_get_int_member (layer, "kernel");
  gsize stride = json_object_get_int_member (layer, "stride");
  gboolean same = g_str_equal (json_object_get_string_member (layer, "padding"), "same");
  g_autoptr(GError) error = NULL;

  ls_window_init (window, (gsize[2]) { kernel, kernel }, (gsize[2]) { stride, stride },
                  same ? LS_PADDING_SAME : LS_PADDING_VALID, (gsize[2]) { 0, 0 }, &error);
  g_assert_no_error (error);
}

/* Inserts a dense, conv2d, pooling or flatten layer at index. */
static void
insert_golden_spatial_layer (LsNetwork   *network,
                             gsize        index,
                             LsLayerKind  kind,
                             JsonObject  *layer,
                             GError     **error)
{
  LsWindow window;

  switch (kind)
    {
    case LS_LAYER_DENSE:
      if (ls_network_insert_dense (network, index, json_object_get_int_member (layer, "units"),
                                   get_golden_activation (layer), error) &&
          json_object_get_boolean_member (layer, "residual"))
        ls_network_set_residual (network, index, TRUE, error);
      break;
    case LS_LAYER_CONV2D:
      read_golden_window (layer, &window);
      ls_network_insert_conv2d (network, index, json_object_get_int_member (layer, "units"),
                                &window, get_golden_activation (layer), error);
      break;
    case LS_LAYER_MAXPOOL2D:
    case LS_LAYER_AVGPOOL2D:
      read_golden_window (layer, &window);
      ls_network_insert_pool2d (network, index, kind, &window, error);
      break;
    case LS_LAYER_FLATTEN:
      ls_network_insert_flatten (network, index, error);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Inserts a layer of any kind at index: the token kinds here, and the
 * others through insert_golden_spatial_layer(). The embedding layer is
 * the first one and reads `tokens` token ids. */
static void
insert_golden_layer (LsNetwork   *network,
                     gsize        index,
                     LsLayerKind  kind,
                     JsonObject  *layer,
                     gsize        tokens,
                     GError     **error)
{
  const LsInit init = { LS_INIT_XAVIER, 1 };
  LsPositionalEncoding encoding;
  LsTokenPooling pooling;

  switch (kind)
    {
    case LS_LAYER_EMBEDDING:
      ls_network_append_layer (network,
                               ls_layer_new_embedding (tokens, json_object_get_int_member (layer, "rows"),
                                                       json_object_get_int_member (layer, "units"), &init, NULL),
                               error);
      break;
    case LS_LAYER_POSITIONAL:
      g_assert_true (ls_positional_encoding_from_name (json_object_get_string_member (layer, "encoding"), &encoding));
      ls_network_insert_positional (network, index, encoding, error);
      break;
    case LS_LAYER_ATTENTION:
      ls_network_insert_attention (network, index, json_object_get_int_member (layer, "heads"),
                                   json_object_get_boolean_member (layer, "causal"),
                                   json_object_get_boolean_member (layer, "residual"), error);
      break;
    case LS_LAYER_LAYERNORM:
      if (ls_network_insert_layernorm (network, index, error))
        ls_network_set_layernorm_eps (network, index, json_object_get_double_member (layer, "eps"), error);
      break;
    case LS_LAYER_POOL_TOKENS:
      g_assert_true (ls_token_pooling_from_name (json_object_get_string_member (layer, "pooling"), &pooling));
      ls_network_insert_pool_tokens (network, index, pooling, error);
      break;
    default:
      insert_golden_spatial_layer (network, index, kind, layer, error);
    }
}

static void
read_golden_shape (JsonObject *data,
                   LsShape    *shape)
{
  JsonArray *dims = json_object_get_array_member (data, "input_shape");

  shape->rank = json_array_get_length (dims);
  g_assert_cmpuint (shape->rank, >=, 1);
  g_assert_cmpuint (shape->rank, <=, LS_SHAPE_MAX_RANK);
  for (guint i = 0; i < shape->rank; i++)
    shape->dims[i] = json_array_get_int_element (dims, i);
}

/* Makes a network with the case's input: an image or vector shape, or
 * for token ids, the words of golden_words, "max_tokens" (the rows of a
 * learned positional table) and a text of as many tokens as a sample. */
static LsNetwork *
new_golden_network (JsonObject *test_case)
{
  JsonObject *data = json_object_get_object_member (test_case, "data");
  JsonArray *layers = json_object_get_array_member (test_case, "layers");
  JsonObject *first = json_array_get_object_element (layers, 0);
  g_autoptr(LsVocabulary) vocabulary = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  LsNetwork *network;
  LsShape shape;

  read_golden_shape (data, &shape);
  if (!g_str_equal (json_object_get_string_member (first, "kind"), "embedding"))
    return ls_network_new_with_shape (&shape);

  vocabulary = ls_vocabulary_new (golden_words, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ls_vocabulary_get_size (vocabulary), ==, json_object_get_int_member (first, "rows"));
  for (gsize t = 0; t < shape.dims[0]; t++)
    g_string_append (text, "a ");
  network = ls_network_new_with_tokens (vocabulary, json_object_get_int_member (data, "max_tokens"),
                                        text->str, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ls_network_get_n_tokens (network), ==, shape.dims[0]);

  return network;
}

/* Builds the case's network layer by layer, then sets each layer's
 * weights and biases to the initial ones of the script. */
static LsNetwork *
build_golden_network (JsonObject *test_case)
{
  JsonArray *layers = json_object_get_array_member (test_case, "layers");
  LsNetwork *network = new_golden_network (test_case);
  gsize tokens = ls_network_get_input_size (network);

  for (guint i = 0; i < json_array_get_length (layers); i++)
    {
      JsonObject *layer = json_array_get_object_element (layers, i);
      g_autoptr(GError) error = NULL;
      LsLayerKind kind;
      gsize n_weights, n_bias;
      g_autofree float *weights = golden_get_floats (layer, "weights", &n_weights);
      g_autofree float *bias = golden_get_floats (layer, "bias", &n_bias);

      g_assert_true (ls_layer_kind_from_name (json_object_get_string_member (layer, "kind"), &kind));
      insert_golden_layer (network, i, kind, layer, tokens, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (ls_network_get_n_layers (network), ==, i + 1);
      ls_network_set_layer_parameters (network, i, weights, n_weights, bias, n_bias, &error);
      g_assert_no_error (error);
    }

  return network;
}

static LsSamples *
build_golden_samples (JsonObject *test_case)
{
  JsonObject *data = json_object_get_object_member (test_case, "data");
  JsonArray *rows = json_object_get_array_member (data, "inputs");
  gsize n = json_array_get_length (rows);
  gsize n_inputs;
  g_autofree float *inputs = golden_get_floats (data, "inputs", &n_inputs);
  g_autoptr(GError) error = NULL;
  LsSamples *samples;
  LsShape shape;

  read_golden_shape (data, &shape);
  g_assert_cmpuint (ls_shape_get_size (&shape) * n, ==, n_inputs);
  if (json_object_has_member (data, "labels"))
    {
      JsonArray *array = json_object_get_array_member (data, "labels");
      g_autofree guint *labels = g_new (guint, n);

      for (gsize i = 0; i < n; i++)
        labels[i] = json_array_get_int_element (array, i);
      samples = ls_samples_new_classification ("golden", &shape, n, inputs, labels,
                                               json_object_get_int_member (data, "classes"), NULL, &error);
    }
  else
    {
      gsize n_targets;
      g_autofree float *targets = golden_get_floats (data, "targets", &n_targets);

      samples = ls_samples_new_regression ("golden", &shape, n, inputs, n_targets / n, targets, &error);
    }
  g_assert_no_error (error);

  return samples;
}

static void
read_golden_settings (JsonObject      *test_case,
                      gsize            n_samples,
                      LsTrainSettings *settings)
{
  JsonObject *object = json_object_get_object_member (test_case, "settings");

  ls_train_settings_init (settings);
  g_assert_true (ls_loss_from_name (json_object_get_string_member (test_case, "loss"), &settings->loss));
  g_assert_true (ls_optimizer_from_name (json_object_get_string_member (object, "optimizer"), &settings->optimizer));
  settings->learning_rate = json_object_get_double_member (object, "learning_rate");
  settings->l2 = json_object_get_double_member (object, "l2");
  settings->momentum = json_object_get_double_member_with_default (object, "momentum", 0.0);
  settings->beta1 = json_object_get_double_member_with_default (object, "beta1", 0.9);
  settings->beta2 = json_object_get_double_member_with_default (object, "beta2", 0.999);
  settings->epsilon = json_object_get_double_member_with_default (object, "epsilon", 1e-8);
  settings->batch_size = n_samples;  /* full batch, as in the script */
}

static void
assert_golden_step (LsTrainer  *trainer,
                    JsonObject *step)
{
  JsonArray *layers = json_object_get_array_member (step, "layers");

  golden_assert_close ("loss", 0, ls_trainer_get_batch_loss (trainer),
                       json_object_get_double_member (step, "loss"));
  for (guint i = 0; i < json_array_get_length (layers); i++)
    {
      JsonObject *expected = json_array_get_object_element (layers, i);
      const LsLayer *layer = ls_trainer_get_layer (trainer, i);

      golden_assert_floats ("weights", layer->weights, ls_layer_get_n_weights (layer), expected, "weights");
      golden_assert_floats ("bias", layer->bias, ls_layer_get_n_biases (layer), expected, "bias");
    }
}

static void
test_trainer_golden (gconstpointer data)
{
  JsonObject *test_case = (JsonObject *) data;
  JsonArray *steps = json_object_get_array_member (test_case, "steps");
  g_autoptr(LsNetwork) network = build_golden_network (test_case);
  g_autoptr(LsSamples) samples = build_golden_samples (test_case);
  g_autoptr(LsTrainer) trainer = NULL;
  g_autoptr(GError) error = NULL;
  LsTrainSettings settings;
  guint done = 0;

  read_golden_settings (test_case, ls_samples_get_n_samples (samples), &settings);
  trainer = ls_trainer_new (network, &settings, samples, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonObject *step = json_array_get_object_element (steps, i);
      guint target = json_object_get_int_member (step, "step");

      train_steps (trainer, target - done);
      done = target;
      g_test_message ("%s, step %u", json_object_get_string_member (test_case, "name"), target);
      assert_golden_step (trainer, step);
    }
  g_assert_cmpuint (ls_trainer_get_step (trainer), ==, done);
  g_assert_cmpuint (ls_trainer_get_epoch (trainer), ==, done);
}

/* Batches and determinism */

static LsTrainer *
new_small_trainer (guint64 seed,
                   gsize   batch_size)
{
  static const DenseSpec spec[] = {
    { 5, LS_ACTIVATION_TANH, NULL },
    { 2, LS_ACTIVATION_SOFTMAX, NULL },
  };
  g_autoptr(LsNetwork) network = build_network (2, spec, G_N_ELEMENTS (spec));
  g_autoptr(LsSamples) samples = make_random_samples (23, 5);
  g_autoptr(GError) error = NULL;
  LsTrainSettings settings;
  LsTrainer *trainer;

  ls_train_settings_init (&settings);
  settings.seed = seed;
  settings.batch_size = batch_size;
  trainer = ls_trainer_new (network, &settings, samples, NULL, &error);
  g_assert_no_error (error);

  return trainer;
}

static void
test_trainer_determinism (void)
{
  g_autoptr(LsTrainer) a = new_small_trainer (7, 4);
  g_autoptr(LsTrainer) b = new_small_trainer (7, 4);
  g_autoptr(LsTrainer) c = new_small_trainer (8, 4);
  g_autoptr(GArray) pa = NULL;
  g_autoptr(GArray) pb = NULL;
  g_autoptr(GArray) pc = NULL;

  /* 23 samples in batches of 4: 6 steps per epoch, the last of 3 samples. */
  train_steps (a, 20);
  train_steps (b, 20);
  train_steps (c, 20);
  pa = get_trainer_parameters (a);
  pb = get_trainer_parameters (b);
  pc = get_trainer_parameters (c);

  g_assert_true (parameters_equal (pa, pb));
  g_assert_cmpfloat (ls_trainer_get_batch_loss (a), ==, ls_trainer_get_batch_loss (b));
  g_assert_false (parameters_equal (pa, pc));
}

static void
test_trainer_epochs (void)
{
  g_autoptr(LsTrainer) trainer = new_small_trainer (1, 4);
  g_autoptr(GError) error = NULL;

  g_assert_true (isnan (ls_trainer_get_batch_loss (trainer)));
  train_steps (trainer, 5);
  g_assert_cmpuint (ls_trainer_get_epoch (trainer), ==, 0);
  train_steps (trainer, 1);
  g_assert_cmpuint (ls_trainer_get_epoch (trainer), ==, 1);
  g_assert_cmpuint (ls_trainer_get_step (trainer), ==, 6);

  /* After one step into epoch 1, run_epoch finishes that epoch only. */
  train_steps (trainer, 1);
  g_assert_true (ls_trainer_run_epoch (trainer, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ls_trainer_get_epoch (trainer), ==, 2);
  g_assert_cmpuint (ls_trainer_get_step (trainer), ==, 12);

  g_assert_true (ls_trainer_run_epoch (trainer, &error));
  g_assert_cmpuint (ls_trainer_get_step (trainer), ==, 18);
  g_assert_true (isfinite (ls_trainer_get_batch_loss (trainer)));
}

static LsTrainer *
new_plain_sgd_trainer (LsNetwork *network,
                       LsSamples *samples,
                       guint64    seed)
{
  g_autoptr(GError) error = NULL;
  LsTrainSettings settings;
  LsTrainer *trainer;

  ls_train_settings_init (&settings);
  settings.momentum = 0.0;
  settings.batch_size = 1;
  settings.seed = seed;
  trainer = ls_trainer_new (network, &settings, samples, NULL, &error);
  g_assert_no_error (error);

  return trainer;
}

/* With batches of one sample the weights depend on the sample order.
 * SGD without momentum keeps no state, so a trainer started on the
 * weights after epoch 1 repeats that epoch's order: its first epoch must
 * differ from epoch 2 of the first trainer, whose order is drawn anew. */
static void
test_trainer_shuffle (void)
{
  static const DenseSpec spec[] = {
    { 5, LS_ACTIVATION_TANH, NULL },
    { 2, LS_ACTIVATION_SOFTMAX, NULL },
  };
  g_autoptr(LsNetwork) network = build_network (2, spec, G_N_ELEMENTS (spec));
  g_autoptr(LsSamples) samples = make_random_samples (23, 5);
  g_autoptr(LsTrainer) a = new_plain_sgd_trainer (network, samples, 3);
  g_autoptr(LsTrainer) other_seed = new_plain_sgd_trainer (network, samples, 4);
  g_autoptr(LsTrainer) b = NULL;
  g_autoptr(GArray) pa = NULL;
  g_autoptr(GArray) pb = NULL;
  g_autoptr(GArray) po = NULL;
  g_autoptr(GError) error = NULL;

  train_steps (a, 23);
  train_steps (other_seed, 23);
  pa = get_trainer_parameters (a);
  po = get_trainer_parameters (other_seed);
  g_assert_false (parameters_equal (pa, po));

  g_assert_true (ls_trainer_copy_to (a, network, &error));
  b = new_plain_sgd_trainer (network, samples, 3);
  train_steps (a, 23);
  train_steps (b, 23);
  g_clear_pointer (&pa, g_array_unref);
  pa = get_trainer_parameters (a);
  pb = get_trainer_parameters (b);
  g_assert_false (parameters_equal (pa, pb));
}

static void
test_trainer_reset (void)
{
  g_autoptr(LsTrainer) trainer = new_small_trainer (9, 3);
  g_autoptr(GArray) initial = get_trainer_parameters (trainer);
  g_autoptr(GArray) first_run = NULL;
  g_autoptr(GArray) after_reset = NULL;
  g_autoptr(GArray) second_run = NULL;

  train_steps (trainer, 17);
  first_run = get_trainer_parameters (trainer);
  g_assert_false (parameters_equal (initial, first_run));

  ls_trainer_reset (trainer);
  after_reset = get_trainer_parameters (trainer);
  g_assert_true (parameters_equal (initial, after_reset));
  g_assert_cmpuint (ls_trainer_get_step (trainer), ==, 0);
  g_assert_cmpuint (ls_trainer_get_epoch (trainer), ==, 0);
  g_assert_true (isnan (ls_trainer_get_batch_loss (trainer)));

  /* The same order and a cleared momentum buffer give the same run. */
  train_steps (trainer, 17);
  second_run = get_trainer_parameters (trainer);
  g_assert_true (parameters_equal (first_run, second_run));
}

/* Settings */

static void
test_trainer_set_settings (void)
{
  g_autoptr(LsTrainer) a = new_small_trainer (2, 23);
  g_autoptr(LsTrainer) b = NULL;
  g_autoptr(LsNetwork) network = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) pa = NULL;
  g_autoptr(GArray) pb = NULL;
  LsTrainSettings settings = *ls_trainer_get_settings (a);
  LsTrainSettings bad;

  /* Two SGD steps, then Adam: the first Adam step must start from zero
   * moments and t = 1, exactly as a new Adam trainer on those weights. */
  train_steps (a, 2);
  network = ls_network_new (2);
  ls_network_insert_dense (network, 0, 5, LS_ACTIVATION_TANH, &error);
  ls_network_insert_dense (network, 1, 2, LS_ACTIVATION_SOFTMAX, &error);
  g_assert_no_error (error);
  g_assert_true (ls_trainer_copy_to (a, network, &error));

  settings.optimizer = LS_OPTIMIZER_ADAM;
  settings.learning_rate = 0.02;
  g_assert_true (ls_trainer_set_settings (a, &settings, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (ls_trainer_get_settings (a)->learning_rate, ==, 0.02);
  b = ls_trainer_new (network, &settings, ls_trainer_get_train_samples (a), NULL, &error);
  g_assert_no_error (error);

  train_steps (a, 1);
  train_steps (b, 1);
  pa = get_trainer_parameters (a);
  pb = get_trainer_parameters (b);
  g_assert_cmpuint (pa->len, ==, pb->len);
  /* The two trainers sum the batch in different sample orders, so the
   * results agree up to float rounding only. */
  for (guint i = 0; i < pa->len; i++)
    g_assert_cmpfloat_with_epsilon (g_array_index (pa, float, i), g_array_index (pb, float, i), 1e-6);

  /* Invalid settings and a loss that does not fit leave the settings as they were. */
  bad = settings;
  bad.learning_rate = 0.0;
  g_assert_false (ls_trainer_set_settings (a, &bad, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpfloat (ls_trainer_get_settings (a)->learning_rate, ==, 0.02);
}

static void
test_trainer_set_settings_loss (void)
{
  static const DenseSpec spec[] = { { 2, LS_ACTIVATION_IDENTITY, NULL } };
  g_autoptr(LsNetwork) network = build_network (3, spec, 1);
  g_autoptr(LsSamples) samples = make_regression_samples (6, 3, 2);
  g_autoptr(LsTrainer) trainer = NULL;
  g_autoptr(GError) error = NULL;
  LsTrainSettings settings;

  ls_train_settings_init (&settings);
  settings.loss = LS_LOSS_MEAN_SQUARED;
  trainer = ls_trainer_new (network, &settings, samples, NULL, &error);
  g_assert_no_error (error);

  settings.loss = LS_LOSS_CROSS_ENTROPY;
  g_assert_false (ls_trainer_set_settings (trainer, &settings, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "mean squared error"));
  g_assert_cmpint (ls_trainer_get_settings (trainer)->loss, ==, LS_LOSS_MEAN_SQUARED);
}

typedef struct
{
  const char *name;
  gsize offset;        /* of the double field in LsTrainSettings; G_MAXSIZE for batch_size */
  double value;
  const char *expected;  /* part of the message */
} BadSetting;

static void
test_trainer_settings_check (void)
{
  static const BadSetting cases[] = {
    { "learning rate -1", G_STRUCT_OFFSET (LsTrainSettings, learning_rate), -1.0, "not -1" },
    { "learning rate 0", G_STRUCT_OFFSET (LsTrainSettings, learning_rate), 0.0, "not 0" },
    { "learning rate 11", G_STRUCT_OFFSET (LsTrainSettings, learning_rate), 11.0, "at most 10, not 11" },
    { "learning rate NaN", G_STRUCT_OFFSET (LsTrainSettings, learning_rate), NAN, "learning rate" },
    { "momentum 1", G_STRUCT_OFFSET (LsTrainSettings, momentum), 1.0, "momentum must be from 0 to below 1, not 1" },
    { "momentum -0.1", G_STRUCT_OFFSET (LsTrainSettings, momentum), -0.1, "not -0.1" },
    { "beta1 1", G_STRUCT_OFFSET (LsTrainSettings, beta1), 1.0, "beta1" },
    { "beta2 1.5", G_STRUCT_OFFSET (LsTrainSettings, beta2), 1.5, "beta2 must be from 0 to below 1, not 1.5" },
    { "epsilon 0", G_STRUCT_OFFSET (LsTrainSettings, epsilon), 0.0, "epsilon must be a finite number above 0, not 0" },
    { "l2 -0.5", G_STRUCT_OFFSET (LsTrainSettings, l2), -0.5, "L2 factor must be from 0 to 1, not -0.5" },
    { "l2 2", G_STRUCT_OFFSET (LsTrainSettings, l2), 2.0, "not 2" },
    { "batch size 0", G_MAXSIZE, 0, "batch size must be from 1 to 1048576, not 0" },
    { "batch size too large", G_MAXSIZE, LS_MAX_SAMPLES + 1.0, "not 1048577" },
  };
  LsTrainSettings settings;

  ls_train_settings_init (&settings);
  g_assert_true (ls_train_settings_check (&settings, NULL));

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      LsTrainSettings bad = settings;

      g_test_message ("%s", cases[i].name);
      if (cases[i].offset == G_MAXSIZE)
        bad.batch_size = (gsize) cases[i].value;
      else
        G_STRUCT_MEMBER (double, &bad, cases[i].offset) = cases[i].value;

      g_assert_false (ls_train_settings_check (&bad, &error));
      g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, cases[i].expected));
    }
}

static void
test_trainer_names (void)
{
  for (LsLoss loss = 0; loss < LS_N_LOSSES; loss++)
    {
      LsLoss parsed;

      g_assert_true (ls_loss_from_name (ls_loss_get_name (loss), &parsed));
      g_assert_cmpint (parsed, ==, loss);
      g_assert_nonnull (ls_loss_get_display_name (loss));
    }
  for (LsOptimizer optimizer = 0; optimizer < LS_N_OPTIMIZERS; optimizer++)
    {
      LsOptimizer parsed;

      g_assert_true (ls_optimizer_from_name (ls_optimizer_get_name (optimizer), &parsed));
      g_assert_cmpint (parsed, ==, optimizer);
      g_assert_nonnull (ls_optimizer_get_display_name (optimizer));
    }
  g_assert_cmpstr (ls_optimizer_get_name (LS_OPTIMIZER_ADAM), ==, "adam");
  g_assert_false (ls_loss_from_name ("hinge", &(LsLoss) { 0 }));
}

/* Rejections of ls_trainer_new() */

static void
assert_rejected (LsNetwork       *network,
                 LsLoss           loss,
                 LsSamples       *train,
                 LsSamples       *test,
                 gint             code,
                 const char      *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LsTrainer) trainer = NULL;
  LsTrainSettings settings;

  ls_train_settings_init (&settings);
  settings.loss = loss;
  trainer = ls_trainer_new (network, &settings, train, test, &error);
  g_assert_null (trainer);
  g_assert_error (error, LS_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, expected));
}

static void
test_trainer_reject_input (void)
{
  static const DenseSpec spec[] = { { 2, LS_ACTIVATION_SOFTMAX, NULL } };
  g_autoptr(LsNetwork) network = build_network (3, spec, 1);
  g_autoptr(LsSamples) two_inputs = make_random_samples (10, 1);
  g_autoptr(LsNetwork) good = build_network (2, spec, 1);
  g_autoptr(LsSamples) three_inputs = make_regression_samples (4, 3, 2);

  assert_rejected (network, LS_LOSS_CROSS_ENTROPY, two_inputs, NULL, LS_ERROR_INVALID_DATA,
                   "have shape [2], but the network takes [3]");
  /* A test set is checked as the training set is. */
  assert_rejected (good, LS_LOSS_MEAN_SQUARED, two_inputs, three_inputs, LS_ERROR_INVALID_DATA,
                   "“ramp” have shape [3]");
}

/* An 8×8 image set has 64 values, as many as a dense layer of 64 inputs
 * takes: ranks may differ when the sizes agree. */
static void
test_trainer_image_into_dense (void)
{
  static const DenseSpec spec[] = { { 3, LS_ACTIVATION_SOFTMAX, NULL } };
  g_autoptr(LsNetwork) network = build_network (64, spec, 1);
  g_autofree float *inputs = g_new0 (float, 3 * 64);
  static const guint labels[] = { 0, 1, 2 };
  g_autoptr(LsSamples) images = NULL;
  g_autoptr(LsTrainer) trainer = NULL;
  g_autoptr(GError) error = NULL;
  LsTrainSettings settings;
  LsShape shape;

  for (gsize i = 0; i < 3; i++)
    inputs[i * 64 + i * 20] = 1.0f;
  ls_shape_init_3d (&shape, 1, 8, 8);
  images = ls_samples_new_classification ("images", &shape, 3, inputs, labels, 3, NULL, &error);
  g_assert_no_error (error);

  ls_train_settings_init (&settings);
  trainer = ls_trainer_new (network, &settings, images, NULL, &error);
  g_assert_no_error (error);
  train_steps (trainer, 3);
}

static void
test_trainer_reject_outputs (void)
{
  static const DenseSpec three[] = { { 3, LS_ACTIVATION_SOFTMAX, NULL } };
  static const DenseSpec two[] = { { 2, LS_ACTIVATION_IDENTITY, NULL } };
  g_autoptr(LsNetwork) three_outputs = build_network (2, three, 1);
  g_autoptr(LsNetwork) two_outputs = build_network (3, two, 1);
  g_autoptr(LsSamples) classes = make_random_samples (10, 1);
  g_autoptr(LsSamples) regression = make_regression_samples (4, 3, 1);
  g_autoptr(LsSamples) regression2 = make_regression_samples (4, 3, 2);
  g_autoptr(LsTrainer) trainer = NULL;
  g_autoptr(GError) error = NULL;
  LsTrainSettings settings;

  assert_rejected (three_outputs, LS_LOSS_CROSS_ENTROPY, classes, NULL, LS_ERROR_INVALID_DATA,
                   "The network has 3 outputs, but “random” has 2 classes");
  /* Mean squared error on classes uses one-hot targets: one output per class. */
  assert_rejected (three_outputs, LS_LOSS_MEAN_SQUARED, classes, NULL, LS_ERROR_INVALID_DATA,
                   "has 2 classes");
  assert_rejected (two_outputs, LS_LOSS_MEAN_SQUARED, regression, NULL, LS_ERROR_INVALID_DATA,
                   "The network has 2 outputs, but each sample of “ramp” has a target of size 1");
  assert_rejected (two_outputs, LS_LOSS_CROSS_ENTROPY, regression2, NULL, LS_ERROR_INVALID_DATA,
                   "Choose mean squared error");

  ls_train_settings_init (&settings);
  settings.loss = LS_LOSS_MEAN_SQUARED;
  trainer = ls_trainer_new (two_outputs, &settings, regression2, NULL, &error);
  g_assert_no_error (error);
}

static void
test_trainer_reject_network (void)
{
  g_autoptr(LsNetwork) empty = ls_network_new (2);
  g_autoptr(LsNetwork) pool_only = NULL;
  g_autoptr(LsSamples) samples = make_random_samples (10, 1);
  g_autoptr(LsSamples) images = NULL;
  g_autofree float *inputs = g_new0 (float, 2 * 8);
  static const guint labels[] = { 0, 1 };
  g_autoptr(GError) error = NULL;
  LsWindow window;
  LsShape shape;

  assert_rejected (empty, LS_LOSS_CROSS_ENTROPY, samples, NULL, LS_ERROR_INVALID_SHAPE,
                   "The network has no layers");

  /* [2][2][2] pooled 2×2 into [2][1][1]: two outputs, no parameters. */
  ls_shape_init_3d (&shape, 2, 2, 2);
  pool_only = ls_network_new_with_shape (&shape);
  ls_window_init (&window, (gsize[2]) { 2, 2 }, (gsize[2]) { 2, 2 }, LS_PADDING_VALID, (gsize[2]) { 0, 0 }, &error);
  g_assert_no_error (error);
  ls_network_insert_pool2d (pool_only, 0, LS_LAYER_MAXPOOL2D, &window, &error);
  g_assert_no_error (error);
  images = ls_samples_new_classification ("cubes", &shape, 2, inputs, labels, 2, NULL, &error);
  g_assert_no_error (error);
  assert_rejected (pool_only, LS_LOSS_CROSS_ENTROPY, images, NULL, LS_ERROR_INVALID_SHAPE,
                   "no weights or biases to train");
}

static void
test_trainer_reject_settings (void)
{
  static const DenseSpec spec[] = { { 2, LS_ACTIVATION_SOFTMAX, NULL } };
  g_autoptr(LsNetwork) network = build_network (2, spec, 1);
  g_autoptr(LsSamples) samples = make_random_samples (10, 1);
  g_autoptr(GError) error = NULL;
  LsTrainSettings settings;

  ls_train_settings_init (&settings);
  settings.learning_rate = -1.0;
  g_assert_null (ls_trainer_new (network, &settings, samples, NULL, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "The learning rate must be above 0 and at most 10, not -1");
}

/* Evaluation and copying back */

/* Identity weights, zero biases: the logits are the inputs. With inputs
 * (1, 0), (0, 1), (2, 0) and labels 0, 1, 1 the losses by hand are
 * log(1 + e⁻¹), log(1 + e⁻¹) and log(1 + e²), and the first two are right. */
static void
test_trainer_evaluate (void)
{
  static const DenseSpec spec[] = { { 2, LS_ACTIVATION_IDENTITY, NULL } };
  static const float weights[] = { 1, 0, 0, 1 };
  static const float bias[] = { 0, 0 };
  static const float inputs[] = { 1, 0, 0, 1, 2, 0 };
  static const guint labels[] = { 0, 1, 1 };
  g_autoptr(LsNetwork) network = build_network (2, spec, 1);
  g_autoptr(LsSamples) samples = NULL;
  g_autoptr(LsTrainer) trainer = NULL;
  g_autoptr(GError) error = NULL;
  double expected = (2.0 * log1p (exp (-1.0)) + log1p (exp (2.0))) / 3.0;
  LsTrainSettings settings;
  LsScore score;
  LsShape shape;

  ls_network_set_layer_parameters (network, 0, weights, 4, bias, 2, &error);
  ls_shape_init_1d (&shape, 2);
  samples = ls_samples_new_classification ("three", &shape, 3, inputs, labels, 2, NULL, &error);
  g_assert_no_error (error);
  ls_train_settings_init (&settings);
  trainer = ls_trainer_new (network, &settings, samples, samples, &error);
  g_assert_no_error (error);

  ls_trainer_evaluate (trainer, samples, &score);
  g_assert_cmpfloat_with_epsilon (score.loss, expected, 1e-6);
  g_assert_cmpuint (score.samples, ==, 3);
  g_assert_cmpuint (score.correct, ==, 2);
  g_assert_cmpfloat_with_epsilon (score.accuracy, 2.0 / 3.0, 1e-12);

  /* Mean squared error against one-hot targets, by hand:
   * ((0 + 0) + (0 + 0) + (4 + 1)) / 2 / 3 = 5 / 6. */
  settings.loss = LS_LOSS_MEAN_SQUARED;
  g_assert_true (ls_trainer_set_settings (trainer, &settings, &error));
  ls_trainer_evaluate (trainer, samples, &score);
  g_assert_cmpfloat_with_epsilon (score.loss, 5.0 / 6.0, 1e-6);
  g_assert_cmpuint (score.correct, ==, 2);
}

/* Regression: accuracy is NaN. Targets (0, 0.25, 0.5, 0, ...) by index
 * mod 3 and a zero network, so the loss is the mean of t² by hand. */
static void
test_trainer_evaluate_regression (void)
{
  static const DenseSpec spec[] = { { 1, LS_ACTIVATION_IDENTITY, NULL } };
  static const float zeros[3] = { 0 };
  static const float bias[1] = { 0 };
  g_autoptr(LsNetwork) network = build_network (3, spec, 1);
  g_autoptr(LsSamples) samples = make_regression_samples (6, 3, 1);
  g_autoptr(LsTrainer) trainer = NULL;
  g_autoptr(GError) error = NULL;
  LsTrainSettings settings;
  LsScore score;

  ls_network_set_layer_parameters (network, 0, zeros, 3, bias, 1, &error);
  ls_train_settings_init (&settings);
  settings.loss = LS_LOSS_MEAN_SQUARED;
  trainer = ls_trainer_new (network, &settings, samples, NULL, &error);
  g_assert_no_error (error);

  ls_trainer_evaluate (trainer, samples, &score);
  g_assert_cmpfloat_with_epsilon (score.loss, 2.0 * (0.0625 + 0.25) / 6.0, 1e-7);
  g_assert_true (isnan (score.accuracy));
  g_assert_cmpuint (score.correct, ==, 0);
}

static void
count_changed_cb (LsNetwork *network,
                  guint      change,
                  gpointer   user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_trainer_copy_to (void)
{
  static const DenseSpec spec[] = {
    { 5, LS_ACTIVATION_TANH, NULL },
    { 2, LS_ACTIVATION_SOFTMAX, NULL },
  };
  g_autoptr(LsTrainer) trainer = new_small_trainer (4, 5);
  g_autoptr(LsNetwork) network = build_network (2, spec, G_N_ELEMENTS (spec));
  g_autoptr(GError) error = NULL;
  guint changes = 0;

  train_steps (trainer, 7);
  g_signal_connect (network, "changed", G_CALLBACK (count_changed_cb), &changes);
  g_assert_true (ls_trainer_copy_to (trainer, network, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes, ==, 1);

  for (gsize i = 0; i < 2; i++)
    {
      const LsLayer *trained = ls_trainer_get_layer (trainer, i);
      const LsLayer *copied = ls_network_get_layer (network, i);

      assert_floats_equal (copied->weights, trained->weights, ls_layer_get_n_weights (trained));
      assert_floats_equal (copied->bias, trained->bias, ls_layer_get_n_biases (trained));
    }

  /* A network whose structure changed is rejected and left unchanged. */
  ls_network_set_units (network, 0, 6, &error);
  g_assert_no_error (error);
  changes = 0;
  g_assert_false (ls_trainer_copy_to (trainer, network, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
  g_assert_cmpuint (changes, ==, 0);
}

/* Learning */

/* Exclusive or needs the hidden layer. With Adam, a 2-4-2 network fits
 * the four corners within 300 full-batch epochs. */
static void
test_trainer_xor (void)
{
  static const DenseSpec spec[] = {
    { 4, LS_ACTIVATION_TANH, NULL },
    { 2, LS_ACTIVATION_SOFTMAX, NULL },
  };
  g_autoptr(LsNetwork) network = build_network (2, spec, G_N_ELEMENTS (spec));
  g_autoptr(LsSamples) samples = make_xor_samples ();
  g_autoptr(LsTrainer) trainer = NULL;
  g_autoptr(GError) error = NULL;
  LsTrainSettings settings;
  LsScore before, after;

  ls_train_settings_init (&settings);
  settings.optimizer = LS_OPTIMIZER_ADAM;
  settings.learning_rate = 0.05;
  settings.batch_size = 4;
  trainer = ls_trainer_new (network, &settings, samples, NULL, &error);
  g_assert_no_error (error);

  ls_trainer_evaluate (trainer, samples, &before);
  for (guint epoch = 0; epoch < 300; epoch++)
    {
      ls_trainer_run_epoch (trainer, &error);
      g_assert_no_error (error);
    }
  ls_trainer_evaluate (trainer, samples, &after);

  g_assert_cmpuint (after.correct, ==, 4);
  g_assert_cmpfloat (after.accuracy, ==, 1.0);
  g_assert_cmpfloat (after.loss, <, 0.1);
  g_assert_cmpfloat (after.loss, <, before.loss);
}

/* 1×4×4 images of a vertical or a horizontal bar at each of four
 * positions: conv2d 3×3 (2 filters, ReLU) → flatten → dense 2 softmax
 * must separate them, which checks the trainer on rank-3 shapes. */
static void
test_trainer_conv (void)
{
  g_autofree float *inputs = g_new0 (float, 8 * 16);  /* [8][1][4][4] */
  g_autofree guint *labels = g_new (guint, 8);
  g_autoptr(LsNetwork) network = NULL;
  g_autoptr(LsSamples) samples = NULL;
  g_autoptr(LsTrainer) trainer = NULL;
  g_autoptr(GError) error = NULL;
  LsTrainSettings settings;
  LsWindow window;
  LsScore score;
  LsShape shape;

  for (gsize i = 0; i < 4; i++)
    {
      for (gsize j = 0; j < 4; j++)
        {
          inputs[i * 16 + j * 4 + i] = 1.0f;        /* column i */
          inputs[(4 + i) * 16 + i * 4 + j] = 1.0f;  /* row i */
        }
      labels[i] = 0;
      labels[4 + i] = 1;
    }
  ls_shape_init_3d (&shape, 1, 4, 4);
  samples = ls_samples_new_classification ("bars", &shape, 8, inputs, labels, 2, NULL, &error);
  g_assert_no_error (error);

  network = ls_network_new_with_shape (&shape);
  ls_window_init (&window, (gsize[2]) { 3, 3 }, (gsize[2]) { 1, 1 }, LS_PADDING_SAME, (gsize[2]) { 0, 0 }, &error);
  ls_network_insert_conv2d (network, 0, 2, &window, LS_ACTIVATION_RELU, &error);
  ls_network_insert_flatten (network, 1, &error);
  ls_network_insert_dense (network, 2, 2, LS_ACTIVATION_SOFTMAX, &error);
  g_assert_no_error (error);

  ls_train_settings_init (&settings);
  settings.optimizer = LS_OPTIMIZER_ADAM;
  settings.learning_rate = 0.05;
  settings.batch_size = 4;
  trainer = ls_trainer_new (network, &settings, samples, NULL, &error);
  g_assert_no_error (error);
  for (guint epoch = 0; epoch < 100; epoch++)
    {
      ls_trainer_run_epoch (trainer, &error);
      g_assert_no_error (error);
    }

  ls_trainer_evaluate (trainer, samples, &score);
  g_assert_cmpuint (score.correct, ==, 8);
  g_assert_cmpfloat (score.loss, <, 0.1);
}

/* Divergence */

/* Two spirals with one-hot targets, a 2-8-8-2 tanh network, mean squared
 * error, SGD with learning rate 1, momentum 0.9 and batches of one
 * sample: the weights grow until a value is infinite, after about 27 steps. */
static void
test_trainer_divergence (void)
{
  static const DenseSpec spec[] = {
    { 8, LS_ACTIVATION_TANH, NULL },
    { 8, LS_ACTIVATION_TANH, "hidden" },
    { 2, LS_ACTIVATION_IDENTITY, NULL },
  };
  g_autoptr(LsNetwork) network = build_network (2, spec, G_N_ELEMENTS (spec));
  g_autoptr(LsSamples) samples = NULL;
  g_autoptr(LsTrainer) trainer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) before = NULL;
  g_autoptr(GArray) after = NULL;
  g_autofree char *step_text = NULL;
  g_autofree char *kept_text = NULL;
  LsTrainSettings settings;
  gsize layer = G_MAXSIZE;
  guint64 step = 0;

  samples = ls_samples_generate (LS_PATTERN_SPIRAL, 200, 0.0, 1, &error);
  g_assert_no_error (error);
  ls_train_settings_init (&settings);
  settings.loss = LS_LOSS_MEAN_SQUARED;
  settings.learning_rate = 1.0;
  settings.batch_size = 1;
  trainer = ls_trainer_new (network, &settings, samples, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 10000; i++)
    {
      g_clear_pointer (&before, g_array_unref);
      before = get_trainer_parameters (trainer);
      if (!ls_trainer_step (trainer, &error))
        break;
    }
  g_assert_error (error, LS_ERROR, LS_ERROR_DIVERGED);
  g_test_message ("%s", error->message);

  g_assert_true (ls_trainer_has_diverged (trainer, &layer, &step));
  g_assert_cmpuint (step, ==, ls_trainer_get_step (trainer) + 1);
  /* With these seeds the gradient of layer 2 overflows first. */
  g_assert_cmpuint (layer, ==, 1);
  step_text = g_strdup_printf ("Training stopped at step %" G_GUINT64_FORMAT ": layer %" G_GSIZE_FORMAT,
                               step, layer + 1);
  kept_text = g_strdup_printf ("The weights are those of step %" G_GUINT64_FORMAT ".", step - 1);
  g_assert_true (g_str_has_prefix (error->message, step_text));
  g_assert_nonnull (strstr (error->message, kept_text));
  g_assert_nonnull (strstr (error->message, "Lower the learning rate"));
  g_assert_nonnull (strstr (error->message, "layer 2 (“hidden”) got an infinite or NaN gradient"));

  /* The weights are those from before the failed step, and every later
   * step fails the same way without changing them. */
  after = get_trainer_parameters (trainer);
  g_assert_true (parameters_equal (before, after));
  for (gsize i = 0; i < after->len; i++)
    g_assert_true (isfinite (g_array_index (after, float, i)));
  g_clear_error (&error);
  g_assert_false (ls_trainer_step (trainer, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_DIVERGED);
  g_assert_true (g_str_has_prefix (error->message, step_text));
  g_clear_pointer (&after, g_array_unref);
  after = get_trainer_parameters (trainer);
  g_assert_true (parameters_equal (before, after));

  ls_trainer_reset (trainer);
  g_assert_false (ls_trainer_has_diverged (trainer, NULL, NULL));
  g_clear_error (&error);
  g_assert_true (ls_trainer_step (trainer, &error));
  g_assert_no_error (error);
}

/* A weight of 1e30 on a 1e10 input overflows the forward pass of the
 * first layer, which the message must name. */
static void
test_trainer_divergence_forward (void)
{
  static const DenseSpec spec[] = {
    { 1, LS_ACTIVATION_IDENTITY, "big" },
    { 2, LS_ACTIVATION_SOFTMAX, NULL },
  };
  static const float weights[] = { 1e30f };
  static const float bias[] = { 0.0f };
  static const float inputs[] = { 1e10f, -1e10f };
  static const guint labels[] = { 0, 1 };
  g_autoptr(LsNetwork) network = build_network (1, spec, G_N_ELEMENTS (spec));
  g_autoptr(LsSamples) samples = NULL;
  g_autoptr(LsTrainer) trainer = NULL;
  g_autoptr(GError) error = NULL;
  LsTrainSettings settings;
  LsShape shape;
  gsize layer;
  guint64 step;

  ls_network_set_layer_parameters (network, 0, weights, 1, bias, 1, &error);
  g_assert_no_error (error);
  ls_shape_init_1d (&shape, 1);
  samples = ls_samples_new_classification ("huge", &shape, 2, inputs, labels, 2, NULL, &error);
  g_assert_no_error (error);
  ls_train_settings_init (&settings);
  trainer = ls_trainer_new (network, &settings, samples, NULL, &error);
  g_assert_no_error (error);

  g_assert_false (ls_trainer_step (trainer, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_DIVERGED);
  g_assert_true (ls_trainer_has_diverged (trainer, &layer, &step));
  g_assert_cmpuint (layer, ==, 0);
  g_assert_cmpuint (step, ==, 1);
  g_assert_cmpuint (ls_trainer_get_step (trainer), ==, 0);
  g_assert_true (g_str_has_prefix (error->message, "Training stopped at step 1: layer 1 (“big”)"));
  g_assert_nonnull (strstr (error->message, "initial"));
  g_assert_cmpfloat (ls_trainer_get_layer (trainer, 0)->weights[0], ==, 1e30f);
}

/* The parameters are finite after the forward and backward passes, but
 * the update is not: one identity unit with weight 1 on input 1e19 and
 * target 0 has the gradient 2 · 1e19 · 1e19 = 2e38, still a float, and
 * 10 times that overflows. */
static void
test_trainer_divergence_update (void)
{
  static const DenseSpec spec[] = { { 1, LS_ACTIVATION_IDENTITY, NULL } };
  static const float weights[] = { 1.0f };
  static const float bias[] = { 0.0f };
  static const float inputs[] = { 1e19f };
  static const float targets[] = { 0.0f };
  g_autoptr(LsNetwork) network = build_network (1, spec, 1);
  g_autoptr(LsSamples) samples = NULL;
  g_autoptr(LsTrainer) trainer = NULL;
  g_autoptr(GError) error = NULL;
  LsTrainSettings settings;
  LsShape shape;
  gsize layer;

  ls_network_set_layer_parameters (network, 0, weights, 1, bias, 1, &error);
  ls_shape_init_1d (&shape, 1);
  samples = ls_samples_new_regression ("far", &shape, 1, inputs, 1, targets, &error);
  g_assert_no_error (error);
  ls_train_settings_init (&settings);
  settings.loss = LS_LOSS_MEAN_SQUARED;
  settings.learning_rate = 10.0;
  trainer = ls_trainer_new (network, &settings, samples, NULL, &error);
  g_assert_no_error (error);

  g_assert_false (ls_trainer_step (trainer, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_DIVERGED);
  g_assert_true (ls_trainer_has_diverged (trainer, &layer, NULL));
  g_assert_cmpuint (layer, ==, 0);
  g_assert_nonnull (strstr (error->message, "layer 1 got an infinite or NaN weight from the update"));
  g_assert_cmpfloat (ls_trainer_get_layer (trainer, 0)->weights[0], ==, 1.0f);
  g_assert_cmpfloat (ls_trainer_get_layer (trainer, 0)->bias[0], ==, 0.0f);
}

/* Token input */

static const char * const token_words[] = {
  "[UNK]", "the", "movie", "was", "good", "bad", "not", "!", NULL
};

/* embedding [3][4] → sinusoidal positional → attention (2 heads,
 * residual) → layernorm → mean pool → dense 2 softmax, on three tokens. */
static LsNetwork *
build_token_network (void)
{
  const LsInit init = { LS_INIT_XAVIER, 11 };
  g_autoptr(LsVocabulary) vocabulary = ls_vocabulary_new (token_words, NULL);
  g_autoptr(GError) error = NULL;
  LsNetwork *network = ls_network_new_with_tokens (vocabulary, 8, "the movie was", &error);

  g_assert_no_error (error);
  ls_network_append_layer (network, ls_layer_new_embedding (3, G_N_ELEMENTS (token_words) - 1, 4, &init, NULL), &error);
  ls_network_insert_positional (network, 1, LS_POSITIONAL_SINUSOIDAL, &error);
  ls_network_insert_attention (network, 2, 2, FALSE, TRUE, &error);
  ls_network_insert_layernorm (network, 3, &error);
  ls_network_insert_pool_tokens (network, 4, LS_TOKEN_POOLING_MEAN, &error);
  ls_network_insert_dense (network, 5, 2, LS_ACTIVATION_SOFTMAX, &error);
  g_assert_no_error (error);

  return network;
}

/* Three-token sentences: class 1 for "good" without "not", and for "not bad". */
static LsSamples *
make_token_samples (gsize        tokens,
                    float        bad_id)
{
  static const float sentences[] = {
    1, 2, 4,   1, 2, 5,   6, 4, 7,   6, 5, 7,   2, 3, 4,   2, 3, 5,   4, 4, 7,   5, 7, 7,
  };  /* [8][3] */
  static const guint labels[] = { 1, 0, 0, 1, 1, 0, 1, 0 };
  g_autofree float *inputs = g_new0 (float, 8 * tokens);
  g_autoptr(GError) error = NULL;
  LsSamples *samples;
  LsShape shape;

  for (gsize i = 0; i < 8; i++)
    memcpy (inputs + i * tokens, sentences + i * 3, MIN (tokens, 3) * sizeof (float));
  inputs[tokens] = bad_id;
  ls_shape_init_1d (&shape, tokens);
  samples = ls_samples_new_classification ("sentences", &shape, 8, inputs, labels, 2, NULL, &error);
  g_assert_no_error (error);

  return samples;
}

static void
test_trainer_tokens (void)
{
  g_autoptr(LsNetwork) network = build_token_network ();
  g_autoptr(LsSamples) samples = make_token_samples (3, 1.0f);
  g_autoptr(LsTrainer) trainer = NULL;
  g_autoptr(GError) error = NULL;
  LsTrainSettings settings;
  LsScore before, after;

  ls_train_settings_init (&settings);
  settings.optimizer = LS_OPTIMIZER_ADAM;
  settings.learning_rate = 0.05;
  settings.batch_size = 4;
  trainer = ls_trainer_new (network, &settings, samples, NULL, &error);
  g_assert_no_error (error);

  ls_trainer_evaluate (trainer, samples, &before);
  for (guint epoch = 0; epoch < 200; epoch++)
    {
      ls_trainer_run_epoch (trainer, &error);
      g_assert_no_error (error);
    }
  ls_trainer_evaluate (trainer, samples, &after);
  g_test_message ("loss %g to %g, %" G_GSIZE_FORMAT " of 8 right", before.loss, after.loss, after.correct);

  g_assert_cmpfloat (after.loss, <, 0.5 * before.loss);
  g_assert_cmpuint (after.correct, ==, 8);
  g_assert_true (ls_trainer_copy_to (trainer, network, &error));
  g_assert_no_error (error);
}

static void
test_trainer_reject_tokens (void)
{
  g_autoptr(LsNetwork) network = build_token_network ();
  g_autoptr(LsSamples) four_tokens = make_token_samples (4, 1.0f);
  g_autoptr(LsSamples) unknown_id = make_token_samples (3, 9.0f);
  g_autoptr(LsSamples) fraction = make_token_samples (3, 1.5f);

  assert_rejected (network, LS_LOSS_CROSS_ENTROPY, four_tokens, NULL, LS_ERROR_INVALID_DATA,
                   "The network reads a text of shape [3], one token id per token, but the "
                   "samples of “sentences” have shape [4]");
  assert_rejected (network, LS_LOSS_CROSS_ENTROPY, unknown_id, NULL, LS_ERROR_INVALID_DATA,
                   "Sample 2 of “sentences” has token id 9, but token ids are whole numbers from 0 to 7");
  assert_rejected (network, LS_LOSS_CROSS_ENTROPY, fraction, NULL, LS_ERROR_INVALID_DATA,
                   "token id 1.5");
}

/* Speed */

static void
test_trainer_no_allocation (void)
{
#ifdef HAVE_ALLOCATION_COUNTER
  g_autoptr(LsTrainer) trainer = new_small_trainer (6, 4);
  g_autoptr(GError) error = NULL;

  train_steps (trainer, 1);
  allocation_count = 0;
  counting_allocations = TRUE;
  for (guint i = 0; i < 50; i++)
    ls_trainer_step (trainer, &error);
  counting_allocations = FALSE;

  g_assert_no_error (error);
  g_assert_cmpuint (allocation_count, ==, 0);
#else
  g_test_skip ("The allocation counter needs glibc without AddressSanitizer");
#endif
}

int
main (int   argc,
      char *argv[])
{
  JsonArray *cases;
  int status;

  g_test_init (&argc, &argv, NULL);
  golden = golden_load ("train-golden.json");
  cases = json_object_get_array_member (golden, "cases");

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *test_case = json_array_get_object_element (cases, i);
      g_autofree char *path = g_strdup_printf ("/trainer/golden/%s",
                                               json_object_get_string_member (test_case, "name"));

      g_test_add_data_func (path, test_case, test_trainer_golden);
    }
  g_test_add_func ("/trainer/determinism", test_trainer_determinism);
  g_test_add_func ("/trainer/epochs", test_trainer_epochs);
  g_test_add_func ("/trainer/shuffle", test_trainer_shuffle);
  g_test_add_func ("/trainer/reset", test_trainer_reset);
  g_test_add_func ("/trainer/set-settings/optimizer", test_trainer_set_settings);
  g_test_add_func ("/trainer/set-settings/loss", test_trainer_set_settings_loss);
  g_test_add_func ("/trainer/settings-check", test_trainer_settings_check);
  g_test_add_func ("/trainer/names", test_trainer_names);
  g_test_add_func ("/trainer/reject/input", test_trainer_reject_input);
  g_test_add_func ("/trainer/reject/outputs", test_trainer_reject_outputs);
  g_test_add_func ("/trainer/reject/network", test_trainer_reject_network);
  g_test_add_func ("/trainer/reject/settings", test_trainer_reject_settings);
  g_test_add_func ("/trainer/image-into-dense", test_trainer_image_into_dense);
  g_test_add_func ("/trainer/evaluate/classification", test_trainer_evaluate);
  g_test_add_func ("/trainer/evaluate/regression", test_trainer_evaluate_regression);
  g_test_add_func ("/trainer/copy-to", test_trainer_copy_to);
  g_test_add_func ("/trainer/xor", test_trainer_xor);
  g_test_add_func ("/trainer/conv", test_trainer_conv);
  g_test_add_func ("/trainer/divergence/spiral", test_trainer_divergence);
  g_test_add_func ("/trainer/divergence/forward", test_trainer_divergence_forward);
  g_test_add_func ("/trainer/divergence/update", test_trainer_divergence_update);
  g_test_add_func ("/trainer/tokens", test_trainer_tokens);
  g_test_add_func ("/trainer/reject/tokens", test_trainer_reject_tokens);
  g_test_add_func ("/trainer/no-allocation", test_trainer_no_allocation);

  status = g_test_run ();
  json_object_unref (golden);

  return status;
}
