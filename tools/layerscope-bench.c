/* layerscope-bench.c: forward-pass and redraw timings
 *
 * Times ls_network_forward() on one input, and one full redraw of the
 * diagram and the bars into an offscreen 1920×1080 Cairo image surface,
 * for the 3-4-2 lesson network, a 784-128-64-10 network and a
 * LeNet-sized CNN on a 28×28 image. It also times the forward pass of
 * one self-attention layer over 50 tokens and the redraw of a small text
 * network with attention. For training, it times the throughput of a
 * 2-8-8-2 network on spiral points, the time a 64-32-10 network takes to
 * reach 95 % test accuracy on the digits, and a frame of the neuron and
 * decision maps while the spiral network trains. Each timing figure is
 * the median and the minimum over several batches, after a warm-up.
 * tools/bench-torch.py measures PyTorch the same way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-bench"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ls-dataset.h"
#include "ls-engine.h"
#include "ls-render.h"

#define REDRAW_WIDTH  1920
#define REDRAW_HEIGHT 1080

/* Networks */

/* One layer of a benchmark network: a dense layer of `size` units, a
 * conv2d layer of `size` filters with a 3×3 window and "same" padding,
 * or a 2×2 max pool. */
typedef struct
{
  LsLayerKind kind;
  gsize size;                    /* units or filters; 0 for pooling */
  LsActivation activation;
} LayerSpec;

typedef struct
{
  const char *name;              /* on the command line */
  const char *shape;             /* shown in the table */
  LsShape input_shape;
  gsize n_layers;
  const LayerSpec *layers;       /* [n_layers] */
} NetworkSpec;

static const LayerSpec lesson_layers[] = {
  { LS_LAYER_DENSE, 4, LS_ACTIVATION_RELU },
  { LS_LAYER_DENSE, 2, LS_ACTIVATION_SOFTMAX },
};
static const LayerSpec mnist_layers[] = {
  { LS_LAYER_DENSE, 128, LS_ACTIVATION_RELU },
  { LS_LAYER_DENSE, 64, LS_ACTIVATION_RELU },
  { LS_LAYER_DENSE, 10, LS_ACTIVATION_SOFTMAX },
};
/* LeNet-sized: conv 8@3×3, pool, conv 16@3×3, pool, dense 10 on 28×28,
 * the layers of data/examples/fashion-cnn.json without its flatten. */
static const LayerSpec cnn_layers[] = {
  { LS_LAYER_CONV2D, 8, LS_ACTIVATION_RELU },
  { LS_LAYER_MAXPOOL2D, 0, LS_ACTIVATION_IDENTITY },
  { LS_LAYER_CONV2D, 16, LS_ACTIVATION_RELU },
  { LS_LAYER_MAXPOOL2D, 0, LS_ACTIVATION_IDENTITY },
  { LS_LAYER_DENSE, 10, LS_ACTIVATION_SOFTMAX },
};

static const NetworkSpec network_specs[] = {
  { "lesson", "3-4-2", { 1, { 3 } }, G_N_ELEMENTS (lesson_layers), lesson_layers },
  { "mnist", "784-128-64-10", { 1, { 784 } }, G_N_ELEMENTS (mnist_layers), mnist_layers },
  { "cnn", "cnn-28x28", { 3, { 1, 28, 28 } }, G_N_ELEMENTS (cnn_layers), cnn_layers },
};

static gboolean
insert_layer (LsNetwork        *network,
              const LayerSpec  *spec,
              GError          **error)
{
  static const gsize conv_kernel[2] = { 3, 3 }, pool_kernel[2] = { 2, 2 }, one[2] = { 1, 1 };
  gsize index = ls_network_get_n_layers (network);
  LsWindow window;

  switch (spec->kind)
    {
    case LS_LAYER_DENSE:
      return ls_network_insert_dense (network, index, spec->size, spec->activation, error);

    case LS_LAYER_CONV2D:
      return ls_window_init (&window, conv_kernel, one, LS_PADDING_SAME, NULL, error) &&
             ls_network_insert_conv2d (network, index, spec->size, &window, spec->activation, error);

    case LS_LAYER_MAXPOOL2D:
    case LS_LAYER_AVGPOOL2D:
      return ls_window_init (&window, pool_kernel, pool_kernel, LS_PADDING_VALID, NULL, error) &&
             ls_network_insert_pool2d (network, index, spec->kind, &window, error);

    case LS_LAYER_FLATTEN:
      return ls_network_insert_flatten (network, index, error);

    case LS_N_LAYER_KINDS:
    default:
      g_assert_not_reached ();
    }
}

/* Builds the network with seeded He or Xavier weights, as new layers get
 * in the app, and a seeded input in [0, 1). */
static LsNetwork *
build_network (const NetworkSpec *spec)
{
  g_autoptr(LsNetwork) network = ls_network_new_with_shape (&spec->input_shape);
  gsize inputs = ls_shape_get_size (&spec->input_shape);
  g_autofree float *input = g_new (float, inputs);  /* [inputs] */
  g_autoptr(GError) error = NULL;
  LsRandom random;

  for (gsize i = 0; i < spec->n_layers; i++)
    if (!insert_layer (network, &spec->layers[i], &error))
      g_error ("Could not build the %s network: %s", spec->shape, error->message);

  ls_random_init (&random, inputs);
  for (gsize i = 0; i < inputs; i++)
    input[i] = (float) ls_random_next_double (&random);
  if (!ls_network_set_input (network, input, inputs, &error))
    g_error ("Could not set the %s network's input: %s", spec->shape, error->message);

  return g_steal_pointer (&network);
}

/* Measuring */

typedef void (*BenchFunc) (gpointer data);

typedef struct
{
  gsize batches;
  gsize iterations;       /* per batch; 0 picks enough to fill batch_seconds */
  double warmup_seconds;
  double batch_seconds;
} MeasureOptions;

typedef struct
{
  double median;          /* seconds per iteration, median over batches */
  double min;             /* seconds per iteration, fastest batch */
  gsize batches;
  gsize iterations;       /* per batch */
} Measurement;

static double
get_seconds (void)
{
  struct timespec now;

  clock_gettime (CLOCK_MONOTONIC, &now);

  return now.tv_sec + now.tv_nsec * 1e-9;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Runs func for warmup_seconds (at least once) and returns how many
 * iterations make one batch. */
static gsize
warm_up (BenchFunc             func,
         gpointer              data,
         const MeasureOptions *options)
{
  double start = get_seconds ();
  double elapsed;
  gsize count = 0;

  do
    {
      func (data);
      count++;
      elapsed = get_seconds () - start;
    }
  while (elapsed < options->warmup_seconds);

  if (options->iterations > 0)
    return options->iterations;

  return MAX (1, (gsize) (options->batch_seconds / (elapsed / count)));
}

static void
measure (BenchFunc             func,
         gpointer              data,
         const MeasureOptions *options,
         Measurement          *result)
{
  g_autofree double *per_iteration = g_new (double, options->batches);  /* [batches] */
  gsize iterations = warm_up (func, data, options);

  for (gsize b = 0; b < options->batches; b++)
    {
      double start = get_seconds ();

      for (gsize i = 0; i < iterations; i++)
        func (data);
      per_iteration[b] = (get_seconds () - start) / iterations;
    }

  qsort (per_iteration, options->batches, sizeof (double), compare_doubles);
  result->min = per_iteration[0];
  if (options->batches % 2 == 1)
    result->median = per_iteration[options->batches / 2];
  else
    result->median = (per_iteration[options->batches / 2 - 1] + per_iteration[options->batches / 2]) / 2;
  result->batches = options->batches;
  result->iterations = iterations;
}

/* Benchmarks */

static void
run_forward (gpointer data)
{
  ls_network_forward (data);
}

/* A self-attention layer and the sequence it reads. */
typedef struct
{
  LsLayer *layer;
  float *input;  /* [T][d] */
} AttentionData;

static void
run_attention_forward (gpointer data)
{
  AttentionData *attention = data;

  ls_layer_forward (attention->layer, attention->input);
}

typedef struct
{
  LsNetwork *network;
  cairo_surface_t *surface;  /* REDRAW_WIDTH × REDRAW_HEIGHT, ARGB32 */
  LsRenderStyle style;
} RedrawData;

/* Redraws everything as after a structure change: a new layout, then the
 * background, the diagram and the bars, in the areas the page uses. */
static void
run_redraw (gpointer data)
{
  RedrawData *redraw = data;
  cairo_t *cr = cairo_create (redraw->surface);
  cairo_rectangle_t diagram, bars;
  g_autoptr(LsDiagramLayout) layout = NULL;

  ls_render_get_page_areas (redraw->network, REDRAW_WIDTH, REDRAW_HEIGHT, &redraw->style, &diagram, &bars);
  layout = ls_diagram_layout_new (redraw->network, diagram.width, diagram.height, &redraw->style);

  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_paint (cr);

  cairo_save (cr);
  cairo_translate (cr, diagram.x, diagram.y);
  ls_render_diagram (cr, redraw->network, layout, NULL, &redraw->style);
  cairo_restore (cr);

  cairo_translate (cr, bars.x, bars.y);
  ls_render_bars (cr, redraw->network, bars.width, bars.height, &redraw->style);

  cairo_destroy (cr);
  cairo_surface_flush (redraw->surface);
}

static void
measure_redraw (LsNetwork            *network,
                const MeasureOptions *options,
                Measurement          *result)
{
  RedrawData redraw = { network, NULL, LS_RENDER_STYLE_INIT };

  redraw.surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, REDRAW_WIDTH, REDRAW_HEIGHT);
  measure (run_redraw, &redraw, options, result);
  cairo_surface_destroy (redraw.surface);
}

/* Output */

typedef struct
{
  const char *benchmark;  /* "forward" or "redraw" */
  const char *network;    /* shape, e.g. "3-4-2" */
  const char *unit;       /* "us" or "ms" */
  double scale;           /* factor from seconds to unit */
  Measurement measurement;
  double epochs;          /* "converge": median epochs to the target accuracy; else 0 */
} Result;

static void
print_table (GArray *results)
{
  g_print ("%-12s %-9s %-15s %12s %12s   %s\n",
           _("Engine"), _("Benchmark"), _("Network"), _("Median"), _("Min"), _("Batches × iterations"));

  for (guint i = 0; i < results->len; i++)
    {
      const Result *r = &g_array_index (results, Result, i);
      const char *unit = g_str_equal (r->unit, "us") ? "µs" : r->unit;
      g_autofree char *counts = NULL;

      if (r->epochs > 0)
        counts = g_strdup_printf (_("%zu runs, %g epochs"), r->measurement.batches, r->epochs);
      else
        counts = g_strdup_printf ("%" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT,
                                  r->measurement.batches, r->measurement.iterations);
      g_print ("%-12s %-9s %-15s %9.3f %-2s %9.3f %-2s   %s",
               "layerscope", r->benchmark, r->network,
               r->measurement.median * r->scale, unit,
               r->measurement.min * r->scale, unit, counts);
      if (g_str_equal (r->benchmark, "train"))
        g_print (_("   %.0f samples/s"), 1.0 / (r->measurement.median * r->scale * 1e-6));
      g_print ("\n");
    }
}

static void
add_result (JsonBuilder  *builder,
            const Result *result)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "benchmark");
  json_builder_add_string_value (builder, result->benchmark);
  json_builder_set_member_name (builder, "network");
  json_builder_add_string_value (builder, result->network);
  json_builder_set_member_name (builder, "unit");
  json_builder_add_string_value (builder, result->unit);
  json_builder_set_member_name (builder, "median");
  json_builder_add_double_value (builder, result->measurement.median * result->scale);
  json_builder_set_member_name (builder, "min");
  json_builder_add_double_value (builder, result->measurement.min * result->scale);
  json_builder_set_member_name (builder, "batches");
  json_builder_add_int_value (builder, result->measurement.batches);
  json_builder_set_member_name (builder, "iterations");
  json_builder_add_int_value (builder, result->measurement.iterations);
  if (result->epochs > 0)
    {
      json_builder_set_member_name (builder, "epochs");
      json_builder_add_double_value (builder, result->epochs);
    }
  json_builder_end_object (builder);
}

/* Prints the results in the form that tools/bench-torch.py --compare reads. */
static void
print_json (GArray *results)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "engine");
  json_builder_add_string_value (builder, "layerscope");
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = 0; i < results->len; i++)
    add_result (builder, &g_array_index (results, Result, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/* Command line */

typedef struct
{
  char *benchmark;   /* "forward", "redraw", "train" or "all" */
  char *network;     /* "lesson", "mnist", "cnn", "attention", "tokens", "spiral", "digits" or "all" */
  gint batches;
  gint iterations;
  gint redraw_iterations;
  double warmup_ms;
  double batch_ms;
  gboolean json;
} Options;

static gboolean
check_choice (const char  *option,
              const char  *value,
              const char  *choices,
              GError     **error)
{
  g_auto(GStrv) names = g_strsplit (choices, ", ", -1);

  if (g_strv_contains ((const char * const *) names, value))
    return TRUE;

  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
               _("Invalid value “%s” for %s: use one of %s"), value, option, choices);
  return FALSE;
}

static gboolean
check_number (const char  *option,
              double       value,
              double       min,
              gboolean     min_allowed,
              GError     **error)
{
  if (isfinite (value) && (value > min || (min_allowed && value == min)))
    return TRUE;

  if (min_allowed)
    g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                 _("Invalid value %g for %s: use %g or more"), value, option, min);
  else
    g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                 _("Invalid value %g for %s: use more than %g"), value, option, min);
  return FALSE;
}

static gboolean
check_options (const Options  *options,
               GError        **error)
{
  return check_choice ("--benchmark", options->benchmark, "forward, redraw, train, maps, all", error) &&
         check_choice ("--network", options->network,
                       "lesson, mnist, cnn, attention, tokens, spiral, digits, all", error) &&
         check_number ("--batches", options->batches, 1, TRUE, error) &&
         check_number ("--iterations", options->iterations, 0, TRUE, error) &&
         check_number ("--redraw-iterations", options->redraw_iterations, 0, TRUE, error) &&
         check_number ("--warmup-ms", options->warmup_ms, 0, TRUE, error) &&
         check_number ("--batch-ms", options->batch_ms, 0, FALSE, error);
}

static gboolean
parse_options (int       *argc,
               char    ***argv,
               Options   *options,
               GError   **error)
{
  const GOptionEntry entries[] = {
    { "benchmark", 'b', 0, G_OPTION_ARG_STRING, &options->benchmark,
      N_("Which benchmark to run: forward, redraw, train (the spiral throughput and the digits "
         "convergence), maps (a frame of the spiral network's neuron and decision maps) or all "
         "(default: all)"), N_("NAME") },
    { "network", 'n', 0, G_OPTION_ARG_STRING, &options->network,
      N_("Which network to use: lesson (3-4-2), mnist (784-128-64-10), "
         "cnn (conv 8, pool, conv 16, pool, dense 10 on 28×28), attention (one layer, "
         "4 heads, 50 tokens of 64), tokens (a text network with attention, 12 tokens of 16 and of 1000 numbers), "
         "spiral (training 2-8-8-2), digits (training 64-32-10) or all (default: all)"), N_("NAME") },
    { "batches", 0, 0, G_OPTION_ARG_INT, &options->batches,
      N_("Number of timed batches; the median and minimum are over these (default: 21)"), N_("N") },
    { "iterations", 'i', 0, G_OPTION_ARG_INT, &options->iterations,
      N_("Forward passes per batch; 0 fits as many as take --batch-ms (default: 0)"), N_("N") },
    { "redraw-iterations", 0, 0, G_OPTION_ARG_INT, &options->redraw_iterations,
      N_("Redraws per batch; 0 fits as many as take --batch-ms, at least 1 (default: 0)"), N_("N") },
    { "warmup-ms", 0, 0, G_OPTION_ARG_DOUBLE, &options->warmup_ms,
      N_("Untimed warm-up before each measurement, in milliseconds (default: 200)"), N_("MS") },
    { "batch-ms", 0, 0, G_OPTION_ARG_DOUBLE, &options->batch_ms,
      N_("Target duration of one batch when the iteration count is 0, in milliseconds (default: 20)"), N_("MS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json,
      N_("Print the results as JSON instead of a table"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

  g_option_context_set_summary (context, _("Times Layerscope's forward pass, redraw and training."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if (options->benchmark == NULL)
    options->benchmark = g_strdup ("all");
  if (options->network == NULL)
    options->network = g_strdup ("all");

  return check_options (options, error);
}

static void
run_network (const NetworkSpec *spec,
             const Options     *options,
             GArray            *results)
{
  g_autoptr(LsNetwork) network = build_network (spec);
  MeasureOptions measure_options = {
    options->batches, options->iterations, options->warmup_ms / 1000, options->batch_ms / 1000
  };
  Result result = { 0 };

  result.network = spec->shape;

  if (g_str_equal (options->benchmark, "forward") || g_str_equal (options->benchmark, "all"))
    {
      measure (run_forward, network, &measure_options, &result.measurement);
      result.benchmark = "forward";
      result.unit = "us";
      result.scale = 1e6;
      g_array_append_val (results, result);
    }

  if (g_str_equal (options->benchmark, "redraw") || g_str_equal (options->benchmark, "all"))
    {
      measure_options.iterations = options->redraw_iterations;
      measure_redraw (network, &measure_options, &result.measurement);
      result.benchmark = "redraw";
      result.unit = "ms";
      result.scale = 1e3;
      g_array_append_val (results, result);
    }
}

/* The attention case: one self-attention layer, 4 heads, on 50 tokens of
 * d = 64, without residual, as torch.nn.MultiheadAttention(64, 4) in
 * tools/bench-torch.py. Weights are seeded Xavier, biases zero, and the
 * input seeded in [-1, 1). Only the layer's forward pass is timed; it
 * also keeps every head's [50][50] weights, as need_weights=True does. */
#define ATTENTION_TOKENS 50
#define ATTENTION_DIM    64
#define ATTENTION_HEADS  4

static void
run_attention (const Options *options,
               GArray        *results)
{
  const LsInit init = { LS_INIT_XAVIER, 1 };
  g_autoptr(GError) error = NULL;
  MeasureOptions measure_options = {
    options->batches, options->iterations, options->warmup_ms / 1000, options->batch_ms / 1000
  };
  Result result = { "forward", "attention-50x64", "us", 1e6 };
  AttentionData data;
  LsRandom random;
  LsShape shape;

  ls_shape_init_2d (&shape, ATTENTION_TOKENS, ATTENTION_DIM);
  data.layer = ls_layer_new_attention (&shape, ATTENTION_HEADS, FALSE, FALSE, &init, &error);
  if (data.layer == NULL)
    g_error ("Could not build the attention layer: %s", error->message);

  data.input = g_new (float, ATTENTION_TOKENS * ATTENTION_DIM);
  ls_random_init (&random, ATTENTION_TOKENS);
  for (gsize i = 0; i < ATTENTION_TOKENS * ATTENTION_DIM; i++)
    data.input[i] = (float) (2.0 * ls_random_next_double (&random) - 1.0);

  measure (run_attention_forward, &data, &measure_options, &result.measurement);
  g_array_append_val (results, result);

  g_free (data.input);
  ls_layer_free (data.layer);
}

/* The text network redraw cases, the size of data/examples/sentiment.json:
 * a vocabulary of TOKENS_VOCABULARY words and TOKENS_COUNT tokens of d
 * numbers. The layers are an embedding, sinusoidal positions, attention
 * with TOKENS_HEADS heads and a residual sum, layer normalisation, dense
 * ReLU of TOKENS_DENSE_UNITS per token, mean pooling and dense 2 softmax.
 * Only their redraw is timed. The diagram draws the tokens, five T × d
 * heatmaps, the attention arcs and maps, and d + 2 neurons. d is
 * TOKENS_DIM, or TOKENS_WIDE_DIM in the case of a very wide embedding,
 * whose heatmaps are scaled down to fewer pixels than values. */
#define TOKENS_VOCABULARY  60
#define TOKENS_COUNT       12
#define TOKENS_DIM         16
#define TOKENS_WIDE_DIM    1000
#define TOKENS_HEADS       2
#define TOKENS_DENSE_UNITS 16

/* Builds the text network, with seeded weights. Words 1 to 59 of the
 * vocabulary are "w1" to "w59". The text is "w1" to "w11" and a word
 * outside the vocabulary, which maps to [UNK]. */
static LsNetwork *
build_tokens_network (gsize    dim,
                      GError **error)
{
  const LsInit init = { LS_INIT_XAVIER, 7 };
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(LsVocabulary) vocabulary = NULL;
  g_autoptr(LsNetwork) network = NULL;

  g_ptr_array_add (words, g_strdup (LS_UNKNOWN_TOKEN));
  for (gsize i = 1; i < TOKENS_VOCABULARY; i++)
    g_ptr_array_add (words, g_strdup_printf ("w%zu", i));
  g_ptr_array_add (words, NULL);
  for (gsize i = 1; i < TOKENS_COUNT; i++)
    g_string_append_printf (text, "w%zu ", i);
  g_string_append (text, "unknown");

  vocabulary = ls_vocabulary_new ((const char * const *) words->pdata, error);
  if (vocabulary == NULL)
    return NULL;
  network = ls_network_new_with_tokens (vocabulary, 16, text->str, error);
  if (network == NULL ||
      !ls_network_append_layer (network, ls_layer_new_embedding (TOKENS_COUNT, TOKENS_VOCABULARY, dim, &init, NULL),
                                error) ||
      !ls_network_insert_positional (network, 1, LS_POSITIONAL_SINUSOIDAL, error) ||
      !ls_network_insert_attention (network, 2, TOKENS_HEADS, FALSE, TRUE, error) ||
      !ls_network_insert_layernorm (network, 3, error) ||
      !ls_network_insert_dense (network, 4, TOKENS_DENSE_UNITS, LS_ACTIVATION_RELU, error) ||
      !ls_network_insert_pool_tokens (network, 5, LS_TOKEN_POOLING_MEAN, error) ||
      !ls_network_insert_dense (network, 6, 2, LS_ACTIVATION_SOFTMAX, error))
    return NULL;

  return g_steal_pointer (&network);
}

static void
run_tokens_redraw_of (const Options *options,
                      gsize          dim,
                      const char    *shape,
                      GArray        *results)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LsNetwork) network = build_tokens_network (dim, &error);
  MeasureOptions measure_options = {
    options->batches, options->redraw_iterations, options->warmup_ms / 1000, options->batch_ms / 1000
  };
  Result result = { "redraw", shape, "ms", 1e3 };

  if (network == NULL)
    g_error ("Could not build the text network: %s", error->message);

  measure_redraw (network, &measure_options, &result.measurement);
  g_array_append_val (results, result);
}

static void
run_tokens_redraw (const Options *options,
                   GArray        *results)
{
  /* the shapes in the table's names */
  G_STATIC_ASSERT (TOKENS_COUNT == 12 && TOKENS_DIM == 16 && TOKENS_WIDE_DIM == 1000);

  run_tokens_redraw_of (options, TOKENS_DIM, "tokens-12x16", results);
  run_tokens_redraw_of (options, TOKENS_WIDE_DIM, "tokens-12x1000", results);
}

/* The CNN redraw case: the layers of data/examples/fashion-cnn.json with
 * its flatten layer, on a 28×28 image, which the diagram draws as the
 * input image, 8 + 8 + 16 + 16 feature-map tiles, a flatten bar and ten
 * neurons. Only its redraw is timed, with the "cnn" network's. */
static const LayerSpec cnn_flatten_layers[] = {
  { LS_LAYER_CONV2D, 8, LS_ACTIVATION_RELU },
  { LS_LAYER_MAXPOOL2D, 0, LS_ACTIVATION_IDENTITY },
  { LS_LAYER_CONV2D, 16, LS_ACTIVATION_RELU },
  { LS_LAYER_MAXPOOL2D, 0, LS_ACTIVATION_IDENTITY },
  { LS_LAYER_FLATTEN, 0, LS_ACTIVATION_IDENTITY },
  { LS_LAYER_DENSE, 10, LS_ACTIVATION_SOFTMAX },
};

static const NetworkSpec cnn_flatten_spec = {
  "cnn", "cnn-28x28-flat", { 3, { 1, 28, 28 } }, G_N_ELEMENTS (cnn_flatten_layers), cnn_flatten_layers
};

static void
run_cnn_flatten_redraw (const Options *options,
                        GArray        *results)
{
  g_autoptr(LsNetwork) network = build_network (&cnn_flatten_spec);
  MeasureOptions measure_options = {
    options->batches, options->redraw_iterations, options->warmup_ms / 1000, options->batch_ms / 1000
  };
  Result result = { "redraw", cnn_flatten_spec.shape, "ms", 1e3 };

  measure_redraw (network, &measure_options, &result.measurement);
  g_array_append_val (results, result);
}

/* Training */

/* The throughput case, as "train 2-8-8-2" in tools/bench-torch.py:
 * 2-8-8-2 with tanh hidden layers and a softmax output, cross-entropy,
 * batch 10, SGD with learning rate 0.1 and momentum 0.9, on
 * SPIRAL_SAMPLES spiral points with noise 0.1. One iteration is one
 * epoch, and the figure is the time per sample. */
#define SPIRAL_SAMPLES 1000

static const LayerSpec spiral_layers[] = {
  { LS_LAYER_DENSE, 8, LS_ACTIVATION_TANH },
  { LS_LAYER_DENSE, 8, LS_ACTIVATION_TANH },
  { LS_LAYER_DENSE, 2, LS_ACTIVATION_SOFTMAX },
};

static const NetworkSpec spiral_spec = {
  "spiral", "2-8-8-2", { 1, { 2 } }, G_N_ELEMENTS (spiral_layers), spiral_layers
};

static void
run_train_epoch (gpointer data)
{
  g_autoptr(GError) error = NULL;

  if (!ls_trainer_run_epoch (data, &error))
    g_error ("Training failed: %s", error->message);
}

static void
run_train_spiral (const Options *options,
                  GArray        *results)
{
  g_autoptr(LsNetwork) network = build_network (&spiral_spec);
  g_autoptr(GError) error = NULL;
  g_autoptr(LsSamples) samples = ls_samples_generate (LS_PATTERN_SPIRAL, SPIRAL_SAMPLES, 0.1, 1, &error);
  g_autoptr(LsTrainer) trainer = NULL;
  MeasureOptions measure_options = {
    options->batches, 0, options->warmup_ms / 1000, options->batch_ms / 1000
  };
  Result result = { "train", spiral_spec.shape, "us", 1e6 / SPIRAL_SAMPLES };
  LsTrainSettings settings;

  if (samples == NULL)
    g_error ("Could not generate the spiral set: %s", error->message);

  ls_train_settings_init (&settings);
  settings.loss = LS_LOSS_CROSS_ENTROPY;
  settings.optimizer = LS_OPTIMIZER_SGD;
  settings.learning_rate = 0.1;
  settings.momentum = 0.9;
  settings.batch_size = 10;
  trainer = ls_trainer_new (network, &settings, samples, NULL, &error);
  if (trainer == NULL)
    g_error ("Could not start training on the spiral set: %s", error->message);

  measure (run_train_epoch, trainer, &measure_options, &result.measurement);
  g_array_append_val (results, result);
}

/* The frame the window draws while the spiral network trains. It is the
 * plane map of every neuron on the window's grid of MAP_GRID × MAP_GRID
 * points, the diagram with a small map in each neuron and the bars at
 * 1920×1080, and the decision map with the 400 points of the spiral set
 * at MAP_VIEW_SIZE pixels square. The figure is the time per frame, which
 * must stay under 50 ms for 20 frames per second. */
#define MAP_GRID      96
#define MAP_VIEW_SIZE 480

typedef struct
{
  RedrawData redraw;
  LsPlaneMap *map;
  LsSamples *samples;
  cairo_surface_t *map_surface;  /* MAP_VIEW_SIZE × MAP_VIEW_SIZE, ARGB32 */
} MapFrameData;

static void
run_map_frame (gpointer data)
{
  MapFrameData *frame = data;
  g_autoptr(GError) error = NULL;
  cairo_t *cr;

  if (!ls_plane_map_compute (frame->map, frame->redraw.network, &error))
    g_error ("Could not compute the plane map: %s", error->message);
  run_redraw (&frame->redraw);

  cr = cairo_create (frame->map_surface);
  ls_render_decision_map (cr, frame->redraw.network, frame->map, frame->samples, NULL,
                          MAP_VIEW_SIZE, MAP_VIEW_SIZE, FALSE, &frame->redraw.style);
  cairo_destroy (cr);
  cairo_surface_flush (frame->map_surface);
}

static void
run_map_frames (const Options *options,
                GArray        *results)
{
  g_autoptr(LsNetwork) network = build_network (&spiral_spec);
  g_autoptr(GError) error = NULL;
  MeasureOptions measure_options = {
    options->batches, options->redraw_iterations, options->warmup_ms / 1000, options->batch_ms / 1000
  };
  Result result = { "maps", spiral_spec.shape, "ms", 1e3 };
  MapFrameData frame = { { network, NULL, LS_RENDER_STYLE_INIT }, NULL, NULL, NULL };

  frame.samples = ls_samples_generate (LS_PATTERN_SPIRAL, 400, 0.0, 1, &error);
  if (frame.samples == NULL)
    g_error ("Could not generate the spiral set: %s", error->message);
  frame.map = ls_plane_map_new (MAP_GRID, MAP_GRID);
  frame.redraw.style.plane_map = frame.map;
  frame.redraw.surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, REDRAW_WIDTH, REDRAW_HEIGHT);
  frame.map_surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, MAP_VIEW_SIZE, MAP_VIEW_SIZE);

  measure (run_map_frame, &frame, &measure_options, &result.measurement);
  g_array_append_val (results, result);

  cairo_surface_destroy (frame.map_surface);
  cairo_surface_destroy (frame.redraw.surface);
  ls_plane_map_free (frame.map);
  ls_samples_unref (frame.samples);
}

/* The convergence case, as "converge 64-32-10" in tools/bench-torch.py:
 * 64-32-10 with a ReLU hidden layer and a softmax output, cross-entropy,
 * batch 32, Adam with learning rate 0.01, on the digits set read as
 * vectors of 64 values. The figure is the wall time from the start of
 * training to the end of the first epoch after which the test accuracy
 * is DIGITS_TARGET_ACCURACY or more, test evaluations included. Each seed
 * of digits_seeds draws the weights and the sample order of one run. */
#define DIGITS_TARGET_ACCURACY 0.95
#define DIGITS_MAX_EPOCHS      200

static const guint64 digits_seeds[] = { 1, 2, 3, 4, 5 };

/* Loads a split of the built-in digits as samples of shape [64]. */
static LsSamples *
load_digits (const char *split)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LsDataset) dataset = ls_dataset_load_builtin ("digits", split, &error);
  g_autofree float *inputs = NULL;  /* [samples][64] */
  g_autofree guint *labels = NULL;  /* [samples] */
  gsize n, size;
  LsShape shape;
  LsSamples *samples;

  if (dataset == NULL)
    g_error ("Could not load the digits %s split: %s", split, error->message);

  n = ls_dataset_get_n_samples (dataset);
  size = ls_dataset_get_sample_size (dataset);
  inputs = g_new (float, n * size);
  labels = g_new (guint, n);
  for (gsize i = 0; i < n; i++)
    {
      memcpy (inputs + i * size, ls_dataset_get_sample (dataset, i), size * sizeof (float));
      labels[i] = ls_dataset_get_label (dataset, i);
    }

  ls_shape_init_1d (&shape, size);
  samples = ls_samples_new_classification ("digits", &shape, n, inputs, labels,
                                           ls_dataset_get_n_classes (dataset), NULL, &error);
  if (samples == NULL)
    g_error ("Could not make samples of the digits %s split: %s", split, error->message);

  return samples;
}

/* Builds 64-32-10 with He weights for the ReLU layer and Xavier weights
 * for the softmax layer, drawn from seed. */
static LsNetwork *
build_digits_network (guint64 seed)
{
  const LsInit hidden_init = { LS_INIT_HE, seed };
  const LsInit output_init = { LS_INIT_XAVIER, seed + 1000 };
  g_autoptr(LsNetwork) network = ls_network_new (64);
  g_autoptr(GError) error = NULL;

  if (!ls_network_append_layer (network, ls_layer_new_dense (64, 32, LS_ACTIVATION_RELU, &hidden_init), &error) ||
      !ls_network_append_layer (network, ls_layer_new_dense (32, 10, LS_ACTIVATION_SOFTMAX, &output_init), &error))
    g_error ("Could not build the 64-32-10 network: %s", error->message);

  return g_steal_pointer (&network);
}

/* Trains from seed until the target test accuracy; returns the seconds
 * and sets *epochs, or returns NaN when DIGITS_MAX_EPOCHS do not reach it. */
static double
train_digits_until (guint64    seed,
                    LsSamples *train,
                    LsSamples *test,
                    guint     *epochs)
{
  g_autoptr(LsNetwork) network = build_digits_network (seed);
  g_autoptr(LsTrainer) trainer = NULL;
  g_autoptr(GError) error = NULL;
  LsTrainSettings settings;
  double start;

  ls_train_settings_init (&settings);
  settings.loss = LS_LOSS_CROSS_ENTROPY;
  settings.optimizer = LS_OPTIMIZER_ADAM;
  settings.learning_rate = 0.01;
  settings.batch_size = 32;
  settings.seed = seed;
  trainer = ls_trainer_new (network, &settings, train, test, &error);
  if (trainer == NULL)
    g_error ("Could not start training on the digits: %s", error->message);

  start = get_seconds ();
  for (*epochs = 1; *epochs <= DIGITS_MAX_EPOCHS; (*epochs)++)
    {
      LsScore score;

      run_train_epoch (trainer);
      ls_trainer_evaluate (trainer, test, &score);
      if (score.accuracy >= DIGITS_TARGET_ACCURACY)
        return get_seconds () - start;
    }

  *epochs = DIGITS_MAX_EPOCHS;
  return NAN;
}

static void
run_converge_digits (GArray *results)
{
  g_autoptr(LsSamples) train = load_digits ("train");
  g_autoptr(LsSamples) test = load_digits ("test");
  double seconds[G_N_ELEMENTS (digits_seeds)];
  double epochs[G_N_ELEMENTS (digits_seeds)];
  Result result = { "converge", "64-32-10", "ms", 1e3 };
  gsize n = G_N_ELEMENTS (digits_seeds);

  for (gsize i = 0; i < n; i++)
    {
      guint run_epochs;

      seconds[i] = train_digits_until (digits_seeds[i], train, test, &run_epochs);
      epochs[i] = run_epochs;
    }

  qsort (seconds, n, sizeof (double), compare_doubles);
  qsort (epochs, n, sizeof (double), compare_doubles);
  result.measurement = (Measurement) { seconds[n / 2], seconds[0], n, 1 };
  result.epochs = epochs[n / 2];
  g_array_append_val (results, result);
}

int
main (int   argc,
      char *argv[])
{
  Options options = { NULL, NULL, 21, 0, 0, 200.0, 20.0, FALSE };
  g_autoptr(GArray) results = g_array_new (FALSE, TRUE, sizeof (Result));
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  if (!parse_options (&argc, &argv, &options, &error))
    {
      g_printerr ("layerscope-bench: %s\n", error->message);
      g_printerr (_("Run “layerscope-bench --help” to see the options.\n"));
      return EXIT_FAILURE;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (network_specs); i++)
    if (g_str_equal (options.network, "all") || g_str_equal (options.network, network_specs[i].name))
      run_network (&network_specs[i], &options, results);
  if ((g_str_equal (options.network, "all") || g_str_equal (options.network, cnn_flatten_spec.name)) &&
      (g_str_equal (options.benchmark, "all") || g_str_equal (options.benchmark, "redraw")))
    run_cnn_flatten_redraw (&options, results);
  if ((g_str_equal (options.network, "all") || g_str_equal (options.network, "attention")) &&
      (g_str_equal (options.benchmark, "all") || g_str_equal (options.benchmark, "forward")))
    run_attention (&options, results);
  if ((g_str_equal (options.network, "all") || g_str_equal (options.network, "tokens")) &&
      (g_str_equal (options.benchmark, "all") || g_str_equal (options.benchmark, "redraw")))
    run_tokens_redraw (&options, results);
  if ((g_str_equal (options.network, "all") || g_str_equal (options.network, "spiral")) &&
      (g_str_equal (options.benchmark, "all") || g_str_equal (options.benchmark, "train")))
    run_train_spiral (&options, results);
  if ((g_str_equal (options.network, "all") || g_str_equal (options.network, "spiral")) &&
      (g_str_equal (options.benchmark, "all") || g_str_equal (options.benchmark, "maps")))
    run_map_frames (&options, results);
  if ((g_str_equal (options.network, "all") || g_str_equal (options.network, "digits")) &&
      (g_str_equal (options.benchmark, "all") || g_str_equal (options.benchmark, "train")))
    run_converge_digits (results);

  if (options.json)
    print_json (results);
  else
    print_table (results);

  g_free (options.benchmark);
  g_free (options.network);

  return EXIT_SUCCESS;
}
