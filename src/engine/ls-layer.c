/* ls-layer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ls-error.h"
#include "ls-layer-private.h"

typedef struct
{
  const char *name;
  const char *display_name;  /* marked with N_() and translated on use */
} LayerKindInfo;

static const LayerKindInfo layer_kind_info[] = {
  [LS_LAYER_DENSE] = { "dense", N_("Dense") },
  [LS_LAYER_CONV2D] = { "conv2d", N_("Convolution") },
  [LS_LAYER_MAXPOOL2D] = { "maxpool2d", N_("Max pooling") },
  [LS_LAYER_AVGPOOL2D] = { "avgpool2d", N_("Average pooling") },
  [LS_LAYER_FLATTEN] = { "flatten", N_("Flatten") },
  [LS_LAYER_EMBEDDING] = { "embedding", N_("Embedding") },
  [LS_LAYER_POSITIONAL] = { "positional", N_("Positional encoding") },
  [LS_LAYER_ATTENTION] = { "attention", N_("Attention") },
  [LS_LAYER_LAYERNORM] = { "layernorm", N_("Layer normalisation") },
  [LS_LAYER_POOL_TOKENS] = { "pool_tokens", N_("Token pooling") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (layer_kind_info) == LS_N_LAYER_KINDS);

const char *
ls_layer_kind_get_name (LsLayerKind kind)
{
  g_return_val_if_fail (kind < LS_N_LAYER_KINDS, NULL);

  return layer_kind_info[kind].name;
}

const char *
ls_layer_kind_get_display_name (LsLayerKind kind)
{
  g_return_val_if_fail (kind < LS_N_LAYER_KINDS, NULL);

  return g_dgettext (GETTEXT_PACKAGE, layer_kind_info[kind].display_name);
}

gboolean
ls_layer_kind_from_name (const char  *name,
                         LsLayerKind *kind)
{
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);

  for (guint i = 0; i < LS_N_LAYER_KINDS; i++)
    {
      if (g_str_equal (name, layer_kind_info[i].name))
        {
          *kind = i;
          return TRUE;
        }
    }

  return FALSE;
}

static const char *const positional_encoding_names[] = {
  [LS_POSITIONAL_SINUSOIDAL] = "sinusoidal",
  [LS_POSITIONAL_LEARNED] = "learned",
};

G_STATIC_ASSERT (G_N_ELEMENTS (positional_encoding_names) == LS_N_POSITIONAL_ENCODINGS);

static const char *const token_pooling_names[] = {
  [LS_TOKEN_POOLING_MEAN] = "mean",
  [LS_TOKEN_POOLING_FIRST] = "first",
};

G_STATIC_ASSERT (G_N_ELEMENTS (token_pooling_names) == LS_N_TOKEN_POOLINGS);

static gboolean
find_name (const char *const *names,
           guint              n_names,
           const char        *name,
           guint             *index)
{
  for (guint i = 0; i < n_names; i++)
    {
      if (g_str_equal (name, names[i]))
        {
          *index = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* The name used in documents, e.g. "sinusoidal". */
const char *
ls_positional_encoding_get_name (LsPositionalEncoding encoding)
{
  g_return_val_if_fail (encoding < LS_N_POSITIONAL_ENCODINGS, NULL);

  return positional_encoding_names[encoding];
}

gboolean
ls_positional_encoding_from_name (const char           *name,
                                  LsPositionalEncoding *encoding)
{
  guint index;

  g_return_val_if_fail (name != NULL && encoding != NULL, FALSE);

  if (!find_name (positional_encoding_names, LS_N_POSITIONAL_ENCODINGS, name, &index))
    return FALSE;

  *encoding = index;
  return TRUE;
}

/* The name used in documents, e.g. "mean". */
const char *
ls_token_pooling_get_name (LsTokenPooling pooling)
{
  g_return_val_if_fail (pooling < LS_N_TOKEN_POOLINGS, NULL);

  return token_pooling_names[pooling];
}

gboolean
ls_token_pooling_from_name (const char     *name,
                            LsTokenPooling *pooling)
{
  guint index;

  g_return_val_if_fail (name != NULL && pooling != NULL, FALSE);

  if (!find_name (token_pooling_names, LS_N_TOKEN_POOLINGS, name, &index))
    return FALSE;

  *pooling = index;
  return TRUE;
}

/* Creates a dense layer on a vector of inputs values, with weights drawn
 * from init and zero biases. */
LsLayer *
ls_layer_new_dense (gsize         inputs,
                    gsize         units,
                    LsActivation  activation,
                    const LsInit *init)
{
  LsShape input_shape;

  g_return_val_if_fail (inputs > 0 && units > 0, NULL);

  ls_shape_init_1d (&input_shape, inputs);

  return ls_layer_new_dense_on (&input_shape, units, activation, FALSE, init, NULL);
}

/* Checks that the kernel and stride are at least 1, that nothing exceeds
 * LS_MAX_KERNEL_SIZE, and that "same" padding has stride 1, which PyTorch
 * also requires. */
static gboolean
check_window_sizes (const gsize     kernel[2],
                    const gsize     stride[2],
                    LsPaddingMode   padding_mode,
                    const gsize     padding[2],
                    GError        **error)
{
  for (guint axis = 0; axis < 2; axis++)
    {
      if (kernel[axis] == 0 || kernel[axis] > LS_MAX_KERNEL_SIZE)
        {
          g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                       _("A window size must be between 1 and %u, not %zu"),
                       LS_MAX_KERNEL_SIZE, kernel[axis]);
          return FALSE;
        }
      if (stride[axis] == 0 || stride[axis] > LS_MAX_KERNEL_SIZE)
        {
          g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                       _("A stride must be between 1 and %u, not %zu"),
                       LS_MAX_KERNEL_SIZE, stride[axis]);
          return FALSE;
        }
      if (padding_mode == LS_PADDING_EXPLICIT && padding[axis] > LS_MAX_KERNEL_SIZE)
        {
          g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                       _("A padding must be between 0 and %u, not %zu"),
                       LS_MAX_KERNEL_SIZE, padding[axis]);
          return FALSE;
        }
    }

  if (padding_mode == LS_PADDING_SAME && (stride[0] != 1 || stride[1] != 1))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("Padding \"same\" needs a stride of 1, not %zu×%zu; "
                     "give the padding as numbers instead"),
                   stride[0], stride[1]);
      return FALSE;
    }

  return TRUE;
}

/* Fills in a window, working out the padding from its mode and the
 * kernel, after checking the sizes as check_window_sizes() does. */
gboolean
ls_window_init (LsWindow      *window,
                const gsize    kernel[2],
                const gsize    stride[2],
                LsPaddingMode  padding_mode,
                const gsize    padding[2],
                GError       **error)
{
  g_return_val_if_fail (window != NULL, FALSE);
  g_return_val_if_fail (kernel != NULL && stride != NULL, FALSE);
  g_return_val_if_fail (padding_mode != LS_PADDING_EXPLICIT || padding != NULL, FALSE);

  if (!check_window_sizes (kernel, stride, padding_mode, padding, error))
    return FALSE;

  *window = (LsWindow) { .padding_mode = padding_mode };
  for (guint axis = 0; axis < 2; axis++)
    {
      window->kernel[axis] = kernel[axis];
      window->stride[axis] = stride[axis];
      switch (padding_mode)
        {
        case LS_PADDING_EXPLICIT:
          window->padding[axis] = window->padding_after[axis] = padding[axis];
          break;

        case LS_PADDING_SAME:
          window->padding[axis] = (kernel[axis] - 1) / 2;
          window->padding_after[axis] = kernel[axis] - 1 - window->padding[axis];
          break;

        case LS_PADDING_VALID:
        default:
          break;
        }
    }

  return TRUE;
}

gboolean
ls_window_equal (const LsWindow *a,
                 const LsWindow *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->padding_mode != b->padding_mode)
    return FALSE;

  for (guint axis = 0; axis < 2; axis++)
    if (a->kernel[axis] != b->kernel[axis] ||
        a->stride[axis] != b->stride[axis] ||
        a->padding[axis] != b->padding[axis] ||
        a->padding_after[axis] != b->padding_after[axis])
      return FALSE;

  return TRUE;
}

/* Checks a window that may have been filled in by hand rather than by
 * ls_window_init(): the same checks, and padding that agrees with its
 * mode. */
static gboolean
check_window (const LsWindow  *window,
              GError         **error)
{
  LsWindow expected;

  if (window->padding_mode > LS_PADDING_SAME)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("Unknown padding mode %d"), (int) window->padding_mode);
      return FALSE;
    }

  if (!ls_window_init (&expected, window->kernel, window->stride, window->padding_mode,
                       window->padding, error))
    return FALSE;

  if (!ls_window_equal (&expected, window))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The padding %zu, %zu before and %zu, %zu after does not match its mode"),
                   window->padding[0], window->padding[1],
                   window->padding_after[0], window->padding_after[1]);
      return FALSE;
    }

  return TRUE;
}

static const char *const axis_names[2] = { N_("height"), N_("width") };

/* Computes the output shape of a conv2d (channels = its filter count) or
 * pooling layer (channels = 0: as many as the input) on input_shape, or
 * explains why the window does not fit. */
gboolean
ls_window_get_output_shape (const LsWindow *window,
                            LsLayerKind     kind,
                            const LsShape  *input_shape,
                            gsize           channels,
                            LsShape        *output_shape,
                            GError        **error)
{
  g_autofree char *shape_text = NULL;
  gsize out[2];

  g_return_val_if_fail (window != NULL && input_shape != NULL && output_shape != NULL, FALSE);

  if (!check_window (window, error))
    return FALSE;

  /* The pooling forward and backward passes read only cells inside the
   * input, as a pooling layer with padding 0. */
  if (kind != LS_LAYER_CONV2D &&
      (window->padding[0] != 0 || window->padding[1] != 0 ||
       window->padding_after[0] != 0 || window->padding_after[1] != 0))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("Pooling layers have no padding; use valid padding, or pad the input "
                     "with a convolution before the pool"));
      return FALSE;
    }

  shape_text = ls_shape_to_string (input_shape);
  if (input_shape->rank != 3)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("A %s layer needs an image-shaped input [channels, height, width], "
                     "but gets %s; remove the flatten or dense layer before it"),
                   ls_layer_kind_get_display_name (kind), shape_text);
      return FALSE;
    }

  for (guint axis = 0; axis < 2; axis++)
    {
      gsize size = input_shape->dims[axis + 1];
      gsize padded = size + window->padding[axis] + window->padding_after[axis];

      if (window->kernel[axis] > padded)
        {
          g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                       _("The %zu×%zu window is larger than the input %s "
                         "(%zu in %s with padding); %s"),
                       window->kernel[0], window->kernel[1], shape_text,
                       padded, g_dgettext (GETTEXT_PACKAGE, axis_names[axis]),
                       kind == LS_LAYER_CONV2D ? _("use a smaller window or more padding")
                                               : _("use a smaller window"));
          return FALSE;
        }
      if ((padded - window->kernel[axis]) % window->stride[axis] != 0)
        {
          g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                       _("A %zu×%zu window with stride %zu×%zu does not fit the input %s "
                         "a whole number of times in %s (%zu − %zu is not a multiple of %zu); %s"),
                       window->kernel[0], window->kernel[1],
                       window->stride[0], window->stride[1], shape_text,
                       g_dgettext (GETTEXT_PACKAGE, axis_names[axis]),
                       padded, window->kernel[axis], window->stride[axis],
                       kind == LS_LAYER_CONV2D ? _("change the stride, the window or the padding")
                                               : _("change the stride or the window"));
          return FALSE;
        }
      out[axis] = (padded - window->kernel[axis]) / window->stride[axis] + 1;
    }

  ls_shape_init_3d (output_shape, channels != 0 ? channels : input_shape->dims[0], out[0], out[1]);

  return TRUE;
}

static void fill_initial_weights (const LsLayer *layer,
                                  float         *weights);

static LsLayer *
layer_new (LsLayerKind    kind,
           const LsShape *input_shape,
           LsActivation   activation)
{
  LsLayer *layer = g_new0 (LsLayer, 1);

  layer->kind = kind;
  layer->activation = activation;
  layer->input_shape = *input_shape;

  return layer;
}

/* Creates a conv2d layer of filters filters on input_shape, [C][H][W],
 * with weights drawn from init and zero biases, or explains why the
 * window does not fit the input. */
LsLayer *
ls_layer_new_conv2d (const LsShape  *input_shape,
                     gsize           filters,
                     const LsWindow *window,
                     LsActivation    activation,
                     const LsInit   *init,
                     GError        **error)
{
  LsLayer *layer;
  LsShape output_shape;

  g_return_val_if_fail (input_shape != NULL && window != NULL && init != NULL, NULL);
  g_return_val_if_fail (filters > 0, NULL);
  g_return_val_if_fail (activation < LS_N_ACTIVATIONS, NULL);

  if (!ls_window_get_output_shape (window, LS_LAYER_CONV2D, input_shape, filters, &output_shape, error))
    return NULL;

  layer = layer_new (LS_LAYER_CONV2D, input_shape, activation);
  layer->init = *init;
  layer->window = *window;
  layer->units = filters;
  layer->output_shape = output_shape;
  layer->weights = g_new (float, ls_layer_get_n_weights (layer));
  layer->bias = g_new0 (float, filters);
  ls_init_fill_weights (init, layer->weights, ls_layer_get_kernel_size (layer) * input_shape->dims[0], filters);
  ls_layer_allocate_state (layer);

  return layer;
}

/* Creates a max or average pooling layer on input_shape, [C][H][W]. */
LsLayer *
ls_layer_new_pool2d (LsLayerKind     kind,
                     const LsShape  *input_shape,
                     const LsWindow *window,
                     GError        **error)
{
  LsLayer *layer;
  LsShape output_shape;

  g_return_val_if_fail (kind == LS_LAYER_MAXPOOL2D || kind == LS_LAYER_AVGPOOL2D, NULL);
  g_return_val_if_fail (input_shape != NULL && window != NULL, NULL);

  if (!ls_window_get_output_shape (window, kind, input_shape, 0, &output_shape, error))
    return NULL;

  layer = layer_new (kind, input_shape, LS_ACTIVATION_IDENTITY);
  layer->window = *window;
  layer->output_shape = output_shape;
  ls_layer_allocate_state (layer);

  return layer;
}

/* Creates a layer that reads any input as one vector. */
LsLayer *
ls_layer_new_flatten (const LsShape *input_shape)
{
  LsLayer *layer;

  g_return_val_if_fail (input_shape != NULL, NULL);

  layer = layer_new (LS_LAYER_FLATTEN, input_shape, LS_ACTIVATION_IDENTITY);
  ls_shape_init_1d (&layer->output_shape, ls_shape_get_size (input_shape));
  ls_layer_allocate_state (layer);

  return layer;
}

/* Creates a layer of one of the token kinds from a plan that
 * ls_layer_plan() has accepted, with its parameters drawn from init. */
static LsLayer *
layer_new_planned (LsLayerPlan       *plan,
                   const LsInit      *init,
                   GError           **error)
{
  LsShape output_shape;
  gsize parameters;
  LsLayer *layer;

  if (!ls_layer_plan (plan, &output_shape, &parameters, error))
    return NULL;

  layer = layer_new (plan->kind, &plan->input_shape, LS_ACTIVATION_IDENTITY);
  if (init != NULL)
    layer->init = *init;
  layer->units = plan->units;
  layer->rows = plan->rows;
  layer->heads = plan->heads;
  layer->residual = plan->residual;
  layer->encoding = plan->encoding;
  layer->output_shape = output_shape;
  layer->weights = g_new (float, ls_layer_get_n_weights (layer));
  layer->bias = g_new0 (float, ls_layer_get_n_biases (layer));
  fill_initial_weights (layer, layer->weights);
  ls_layer_allocate_state (layer);

  return layer;
}

/* Creates a dense layer on any input: a vector, an image read flat, or
 * a sequence [T][d] that it maps token by token to [T][units]. With
 * residual, units must equal the input's features, and the output is
 * x + act(x·W + b). */
LsLayer *
ls_layer_new_dense_on (const LsShape  *input_shape,
                       gsize           units,
                       LsActivation    activation,
                       gboolean        residual,
                       const LsInit   *init,
                       GError        **error)
{
  LsLayerPlan plan = { .kind = LS_LAYER_DENSE, .units = units, .residual = residual };
  LsLayer *layer;

  g_return_val_if_fail (input_shape != NULL && init != NULL, NULL);
  g_return_val_if_fail (activation < LS_N_ACTIVATIONS, NULL);

  plan.input_shape = *input_shape;
  layer = layer_new_planned (&plan, init, error);
  if (layer != NULL)
    layer->activation = activation;

  return layer;
}

/* Creates an embedding layer that maps a list of token ids, each below
 * vocabulary_size, to rows of a table [vocabulary_size][dim], or explains
 * why the table or its output [tokens][dim] would be over a limit. */
LsLayer *
ls_layer_new_embedding (gsize          tokens,
                        gsize          vocabulary_size,
                        gsize          dim,
                        const LsInit  *init,
                        GError       **error)
{
  LsLayerPlan plan = { .kind = LS_LAYER_EMBEDDING, .units = dim, .rows = vocabulary_size };

  g_return_val_if_fail (init != NULL, NULL);

  ls_shape_init_1d (&plan.input_shape, tokens);

  return layer_new_planned (&plan, init, error);
}

/* Creates a positional layer on a sequence [T][d]. A learned one has a
 * table of rows positions, drawn from init. A sinusoidal one ignores
 * rows and init. */
LsLayer *
ls_layer_new_positional (const LsShape         *input_shape,
                         LsPositionalEncoding   encoding,
                         gsize                  rows,
                         const LsInit          *init,
                         GError               **error)
{
  LsLayerPlan plan = { .kind = LS_LAYER_POSITIONAL, .input_shape = *input_shape, .encoding = encoding };

  g_return_val_if_fail (input_shape != NULL, NULL);
  g_return_val_if_fail (encoding < LS_N_POSITIONAL_ENCODINGS, NULL);
  g_return_val_if_fail (encoding == LS_POSITIONAL_SINUSOIDAL || init != NULL, NULL);

  if (encoding == LS_POSITIONAL_LEARNED)
    plan.rows = rows;

  return layer_new_planned (&plan, init, error);
}

/* Creates a self-attention layer on a sequence [T][d], with wq, wk, wv
 * and wo drawn from init and zero biases. */
LsLayer *
ls_layer_new_attention (const LsShape  *input_shape,
                        gsize           heads,
                        gboolean        causal,
                        gboolean        residual,
                        const LsInit   *init,
                        GError        **error)
{
  LsLayerPlan plan = { .kind = LS_LAYER_ATTENTION, .heads = heads, .residual = residual };
  LsLayer *layer;

  g_return_val_if_fail (input_shape != NULL && init != NULL, NULL);

  plan.input_shape = *input_shape;
  layer = layer_new_planned (&plan, init, error);
  if (layer != NULL)
    layer->causal = causal;

  return layer;
}

/* Creates a layer normalisation with gamma 1 and beta 0. */
LsLayer *
ls_layer_new_layernorm (const LsShape  *input_shape,
                        float           eps,
                        GError        **error)
{
  LsLayerPlan plan = { .kind = LS_LAYER_LAYERNORM };
  LsLayer *layer;

  g_return_val_if_fail (input_shape != NULL, NULL);

  if (!(eps > 0.0f && eps <= 1.0f))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_VALUE,
                   _("The epsilon of a layer normalisation must be above 0 and at most 1, not %g"),
                   (double) eps);
      return NULL;
    }

  plan.input_shape = *input_shape;
  layer = layer_new_planned (&plan, NULL, error);
  if (layer != NULL)
    layer->eps = eps;

  return layer;
}

/* Creates a layer that turns a sequence [T][d] into one vector [d]. */
LsLayer *
ls_layer_new_pool_tokens (const LsShape   *input_shape,
                          LsTokenPooling   pooling,
                          GError         **error)
{
  LsLayerPlan plan = { .kind = LS_LAYER_POOL_TOKENS };
  LsLayer *layer;

  g_return_val_if_fail (input_shape != NULL, NULL);
  g_return_val_if_fail (pooling < LS_N_TOKEN_POOLINGS, NULL);

  plan.input_shape = *input_shape;
  layer = layer_new_planned (&plan, NULL, error);
  if (layer != NULL)
    layer->pooling = pooling;

  return layer;
}

/* The size of the work space of the forward pass. Conv2d: the input
 * with its padding, [C][H + pads][W + pads], then one output plane as
 * wide as the padded input, [oh][W + pads]. Attention: queries, keys,
 * values and context, [4][T][d], then the keys transposed, [d][T], and
 * max (T, d) zeros for the biases of the score and context products.
 * Sinusoidal positional: the encoding, [T][d]. */
static gsize
get_scratch_size (const LsLayer *layer)
{
  const LsWindow *window = &layer->window;
  gsize padded_height, padded_width;

  switch (layer->kind)
    {
    case LS_LAYER_CONV2D:
      padded_height = layer->input_shape.dims[1] + window->padding[0] + window->padding_after[0];
      padded_width = layer->input_shape.dims[2] + window->padding[1] + window->padding_after[1];
      return (layer->input_shape.dims[0] * padded_height + layer->output_shape.dims[1]) * padded_width;

    case LS_LAYER_ATTENTION:
      return (LS_N_ATTENTION_MATRICES + 1) * ls_shape_get_size (&layer->input_shape) +
             MAX (layer->input_shape.dims[0], layer->input_shape.dims[1]);

    case LS_LAYER_POSITIONAL:
      return layer->encoding == LS_POSITIONAL_SINUSOIDAL ? ls_shape_get_size (&layer->input_shape) : 0;

    default:
      return 0;
    }
}

/* [heads][T][T] for attention, 0 for the other kinds. */
static gsize
get_attention_weights_size (const LsLayer *layer)
{
  gsize tokens = layer->input_shape.dims[0];

  return layer->kind == LS_LAYER_ATTENTION ? layer->heads * tokens * tokens : 0;
}

LsLayer *
ls_layer_copy (const LsLayer *layer)
{
  LsLayer *copy;
  gsize n_outputs;

  g_return_val_if_fail (layer != NULL, NULL);

  n_outputs = ls_layer_get_outputs (layer);
  copy = g_memdup2 (layer, sizeof *layer);
  copy->name = g_strdup (layer->name);
  copy->labels = g_strdupv (layer->labels);
  copy->weights = g_memdup2 (layer->weights, ls_layer_get_n_weights (layer) * sizeof (float));
  copy->bias = g_memdup2 (layer->bias, ls_layer_get_n_biases (layer) * sizeof (float));
  copy->pre_activation = g_memdup2 (layer->pre_activation, n_outputs * sizeof (float));
  copy->activation_output = g_memdup2 (layer->activation_output, n_outputs * sizeof (float));
  copy->scratch = g_memdup2 (layer->scratch, get_scratch_size (layer) * sizeof (float));
  copy->attention_weights = g_memdup2 (layer->attention_weights,
                                       get_attention_weights_size (layer) * sizeof (float));

  return copy;
}

void
ls_layer_free (LsLayer *layer)
{
  if (layer == NULL)
    return;

  g_free (layer->name);
  g_strfreev (layer->labels);
  g_free (layer->weights);
  g_free (layer->bias);
  g_free (layer->pre_activation);
  g_free (layer->activation_output);
  g_free (layer->scratch);
  g_free (layer->attention_weights);
  g_free (layer);
}

/* Returns the number of values the layer reads, except that a dense
 * layer on a sequence [T][d] reads d values per token and returns d: the
 * rows of its weight matrix. */
gsize
ls_layer_get_inputs (const LsLayer *layer)
{
  g_return_val_if_fail (layer != NULL, 0);

  if (layer->kind == LS_LAYER_DENSE && layer->input_shape.rank == 2)
    return layer->input_shape.dims[1];

  return ls_shape_get_size (&layer->input_shape);
}

gsize
ls_layer_get_outputs (const LsLayer *layer)
{
  g_return_val_if_fail (layer != NULL, 0);

  return ls_shape_get_size (&layer->output_shape);
}

void
ls_layer_get_parameter_count (const LsLayer    *layer,
                              LsParameterCount *count)
{
  g_return_if_fail (layer != NULL);
  g_return_if_fail (count != NULL);

  count->weights = ls_layer_get_n_weights (layer);
  count->biases = ls_layer_get_n_biases (layer);
  count->total = count->weights + count->biases;
}

/* Returns the label of an output unit, or NULL when the layer has none. */
const char *
ls_layer_get_label (const LsLayer *layer,
                    gsize          unit)
{
  g_return_val_if_fail (layer != NULL, NULL);

  if (layer->labels == NULL || unit >= g_strv_length (layer->labels))
    return NULL;

  return layer->labels[unit];
}

float
ls_layer_get_weight (const LsLayer *layer,
                     gsize          input,
                     gsize          unit)
{
  g_return_val_if_fail (layer != NULL, 0.0f);
  g_return_val_if_fail (input < ls_layer_get_inputs (layer), 0.0f);
  g_return_val_if_fail (unit < layer->units, 0.0f);

  return layer->weights[input * layer->units + unit];
}

static gboolean
check_units (LsLayerKind   kind,
             gsize         units,
             GError      **error)
{
  if (units > 0 && units <= LS_MAX_TENSOR_SIZE)
    return TRUE;

  if (kind == LS_LAYER_CONV2D)
    g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                 _("A convolution needs between 1 and %u filters, not %zu"),
                 LS_MAX_TENSOR_SIZE, units);
  else
    g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                 _("A dense layer needs between 1 and %u units, not %zu"),
                 LS_MAX_TENSOR_SIZE, units);
  return FALSE;
}

/* Checks that weights per unit, times units, plus one bias per unit stay
 * within LS_MAX_LAYER_PARAMETERS. */
static gboolean
check_layer_parameters (gsize    per_unit,
                        gsize    units,
                        gsize   *parameters,
                        GError **error)
{
  if (per_unit > (LS_MAX_LAYER_PARAMETERS - units) / units)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The layer would have %zu weights per unit and %zu units, "
                     "more than the maximum of %u parameters"),
                   per_unit, units, LS_MAX_LAYER_PARAMETERS);
      return FALSE;
    }

  *parameters = per_unit * units + units;
  return TRUE;
}

/* Checks that a plan's input is a token sequence [T][d]. */
static gboolean
check_sequence_input (const LsLayerPlan  *plan,
                      GError            **error)
{
  g_autofree char *text = NULL;

  if (plan->input_shape.rank == 2)
    return TRUE;

  text = ls_shape_to_string (&plan->input_shape);
  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
               _("The %s layer needs a token sequence [tokens, features], but gets %s; "
                 "put it after the embedding layer and before token pooling"),
               ls_layer_kind_get_display_name (plan->kind), text);
  return FALSE;
}

/* Checks a table of rows × columns weights and biases against
 * LS_MAX_LAYER_PARAMETERS, and returns their total in *parameters. */
static gboolean
check_table_parameters (gsize    rows,
                        gsize    columns,
                        gsize    biases,
                        gsize   *parameters,
                        GError **error)
{
  if (columns > 0 && rows > (LS_MAX_LAYER_PARAMETERS - MIN (biases, LS_MAX_LAYER_PARAMETERS)) / columns)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The layer would have %zu × %zu weights, more than the maximum of %u parameters"),
                   rows, columns, LS_MAX_LAYER_PARAMETERS);
      return FALSE;
    }

  *parameters = rows * columns + biases;
  return TRUE;
}

static gboolean
plan_dense (LsLayerPlan  *plan,
            LsShape      *output_shape,
            gsize        *parameters,
            GError      **error)
{
  const LsShape *input = &plan->input_shape;
  gsize inputs = input->rank == 2 ? input->dims[1] : ls_shape_get_size (input);

  if (!check_units (plan->kind, plan->units, error) ||
      !check_layer_parameters (inputs, plan->units, parameters, error))
    return FALSE;

  if (plan->residual && inputs != plan->units)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("A residual dense layer adds its input to its output, so it needs as many "
                     "units as its input has features (%zu), not %zu; change the units or "
                     "turn the residual connection off"),
                   inputs, plan->units);
      return FALSE;
    }

  if (input->rank == 2)
    ls_shape_init_2d (output_shape, input->dims[0], plan->units);
  else
    ls_shape_init_1d (output_shape, plan->units);

  return TRUE;
}

static gboolean
plan_embedding (LsLayerPlan  *plan,
                LsShape      *output_shape,
                gsize        *parameters,
                GError      **error)
{
  if (plan->input_shape.rank != 1)
    {
      g_autofree char *text = ls_shape_to_string (&plan->input_shape);

      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("An embedding layer reads token ids, but gets %s; it can only be "
                     "the first layer of a network with a text input"),
                   text);
      return FALSE;
    }

  if (plan->units == 0 || plan->units > LS_MAX_TENSOR_SIZE)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("An embedding needs a width between 1 and %u, not %zu"),
                   LS_MAX_TENSOR_SIZE, plan->units);
      return FALSE;
    }

  if (plan->rows == 0 || plan->rows > LS_MAX_VOCABULARY_SIZE)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("An embedding table needs between 1 and %u rows, one per word, not %zu"),
                   LS_MAX_VOCABULARY_SIZE, plan->rows);
      return FALSE;
    }

  ls_shape_init_2d (output_shape, plan->input_shape.dims[0], plan->units);

  return check_table_parameters (plan->rows, plan->units, 0, parameters, error);
}

static gboolean
plan_positional (LsLayerPlan  *plan,
                 LsShape      *output_shape,
                 gsize        *parameters,
                 GError      **error)
{
  gsize tokens = plan->input_shape.dims[0];

  if (!check_sequence_input (plan, error))
    return FALSE;

  plan->units = plan->input_shape.dims[1];
  *output_shape = plan->input_shape;
  if (plan->encoding == LS_POSITIONAL_SINUSOIDAL)
    {
      plan->rows = 0;
      return TRUE;
    }

  if (plan->rows == 0 || plan->rows > LS_MAX_TOKENS)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("A learned position table needs between 1 and %d rows, one per position, not %zu"),
                   LS_MAX_TOKENS, plan->rows);
      return FALSE;
    }

  if (tokens > plan->rows)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The learned position table has %zu rows, fewer than the %zu tokens; "
                     "use a shorter text"),
                   plan->rows, tokens);
      return FALSE;
    }

  return check_table_parameters (plan->rows, plan->units, 0, parameters, error);
}

/* Returns the divisor of d nearest to n, the smaller one on a tie. */
static gsize
get_nearest_divisor (gsize d,
                     gsize n)
{
  gsize best = 1;

  for (gsize k = 1; k <= d; k++)
    if (d % k == 0 && (k > n ? k - n : n - k) < (best > n ? best - n : n - best))
      best = k;

  return best;
}

static gboolean
plan_attention (LsLayerPlan  *plan,
                LsShape      *output_shape,
                gsize        *parameters,
                GError      **error)
{
  gsize tokens, d;

  if (!check_sequence_input (plan, error))
    return FALSE;

  tokens = plan->input_shape.dims[0];
  d = plan->input_shape.dims[1];
  if (plan->heads == 0 || plan->heads > d || d % plan->heads != 0)
    {
      gsize nearest = get_nearest_divisor (d, plan->heads);

      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("Attention splits the %zu features of each token among its heads, "
                     "so the number of heads must divide %zu, and %zu does not; "
                     "use a divisor of %zu such as %zu"),
                   d, d, plan->heads, d, nearest);
      return FALSE;
    }

  if (plan->heads * tokens > LS_MAX_TENSOR_SIZE / MAX (tokens, 1))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("%zu heads over %zu tokens would need more than the maximum of %u attention weights; "
                     "use fewer heads or a shorter text"),
                   plan->heads, tokens, LS_MAX_TENSOR_SIZE);
      return FALSE;
    }

  plan->units = d;
  *output_shape = plan->input_shape;

  return check_table_parameters (LS_N_ATTENTION_MATRICES * d, d, LS_N_ATTENTION_MATRICES * d,
                                 parameters, error);
}

static gboolean
plan_layernorm (LsLayerPlan  *plan,
                LsShape      *output_shape,
                gsize        *parameters,
                GError      **error)
{
  const LsShape *input = &plan->input_shape;

  if (input->rank != 1 && input->rank != 2)
    {
      g_autofree char *text = ls_shape_to_string (input);

      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("Layer normalisation needs a vector or a token sequence, but gets %s; "
                     "put a flatten layer before it"),
                   text);
      return FALSE;
    }

  plan->units = input->dims[input->rank - 1];
  *output_shape = *input;
  *parameters = 2 * plan->units;

  return TRUE;
}

static gboolean
plan_pool_tokens (LsLayerPlan  *plan,
                  LsShape      *output_shape,
                  GError      **error)
{
  if (!check_sequence_input (plan, error))
    return FALSE;

  plan->units = plan->input_shape.dims[1];
  ls_shape_init_1d (output_shape, plan->units);

  return TRUE;
}

/* Flattens any input but a token sequence, whose size changes with the
 * text and would change the weights of every dense layer after it. */
static gboolean
plan_flatten (LsLayerPlan  *plan,
              LsShape      *output_shape,
              GError      **error)
{
  if (plan->input_shape.rank == 2)
    {
      g_autofree char *text = ls_shape_to_string (&plan->input_shape);

      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("A flatten layer cannot read the token sequence %s, because its size "
                     "changes with the text; use a token pooling layer to turn the tokens "
                     "into one vector"),
                   text);
      return FALSE;
    }

  ls_shape_init_1d (output_shape, ls_shape_get_size (&plan->input_shape));

  return TRUE;
}

static gboolean
plan_spatial (LsLayerPlan  *plan,
              LsShape      *output_shape,
              gsize        *parameters,
              GError      **error)
{
  const LsShape *input = &plan->input_shape;
  const LsWindow *window = &plan->window;

  if (plan->kind != LS_LAYER_CONV2D)
    return ls_window_get_output_shape (window, plan->kind, input, 0, output_shape, error);

  return check_units (plan->kind, plan->units, error) &&
         ls_window_get_output_shape (window, plan->kind, input, plan->units, output_shape, error) &&
         check_layer_parameters (input->dims[0] * window->kernel[0] * window->kernel[1],
                                 plan->units, parameters, error);
}

/* Works out what a layer would become: its output shape and parameter
 * count, or why it cannot be. For the token kinds that take their width
 * from the input, it sets plan->units to that width. Changes nothing else. */
gboolean
ls_layer_plan (LsLayerPlan  *plan,
               LsShape      *output_shape,
               gsize        *parameters,
               GError      **error)
{
  gboolean planned;

  g_return_val_if_fail (plan != NULL && output_shape != NULL && parameters != NULL, FALSE);

  *parameters = 0;
  switch (plan->kind)
    {
    case LS_LAYER_DENSE:
      planned = plan_dense (plan, output_shape, parameters, error);
      break;

    case LS_LAYER_CONV2D:
    case LS_LAYER_MAXPOOL2D:
    case LS_LAYER_AVGPOOL2D:
      planned = plan_spatial (plan, output_shape, parameters, error);
      break;

    case LS_LAYER_FLATTEN:
      planned = plan_flatten (plan, output_shape, error);
      break;

    case LS_LAYER_EMBEDDING:
      planned = plan_embedding (plan, output_shape, parameters, error);
      break;

    case LS_LAYER_POSITIONAL:
      planned = plan_positional (plan, output_shape, parameters, error);
      break;

    case LS_LAYER_ATTENTION:
      planned = plan_attention (plan, output_shape, parameters, error);
      break;

    case LS_LAYER_LAYERNORM:
      planned = plan_layernorm (plan, output_shape, parameters, error);
      break;

    case LS_LAYER_POOL_TOKENS:
      planned = plan_pool_tokens (plan, output_shape, error);
      break;

    case LS_N_LAYER_KINDS:
    default:
      g_assert_not_reached ();
    }

  if (!planned)
    return FALSE;

  if (ls_shape_get_size (output_shape) > LS_MAX_TENSOR_SIZE)
    {
      g_autofree char *text = ls_shape_to_string (output_shape);

      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The output %s would have more than the maximum of %u values"),
                   text, LS_MAX_TENSOR_SIZE);
      return FALSE;
    }

  return TRUE;
}

void
ls_layer_plan_init_from (LsLayerPlan   *plan,
                         const LsLayer *layer)
{
  g_return_if_fail (plan != NULL && layer != NULL);

  *plan = (LsLayerPlan) {
    .kind = layer->kind,
    .input_shape = layer->input_shape,
    .units = layer->units,
    .window = layer->window,
    .rows = layer->rows,
    .heads = layer->heads,
    .residual = layer->residual,
    .encoding = layer->encoding,
  };
}

gboolean
ls_layer_plan_equal (const LsLayerPlan *a,
                     const LsLayerPlan *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->kind == b->kind &&
         ls_shape_equal (&a->input_shape, &b->input_shape) &&
         a->units == b->units &&
         ls_window_equal (&a->window, &b->window) &&
         a->rows == b->rows &&
         a->heads == b->heads &&
         a->residual == b->residual &&
         a->encoding == b->encoding;
}

/* Returns the multiply-adds (or comparisons, for a pool) that one forward
 * pass of a planned layer with this output shape takes, which bounds its
 * running time. */
guint64
ls_layer_get_operations (const LsLayerPlan *plan,
                         const LsShape     *output_shape)
{
  const LsShape *input = &plan->input_shape;
  guint64 outputs = ls_shape_get_size (output_shape);
  guint64 tokens, d;

  switch (plan->kind)
    {
    case LS_LAYER_DENSE:
      return (input->rank == 2 ? input->dims[1] : ls_shape_get_size (input)) * outputs;

    case LS_LAYER_CONV2D:
      return outputs * input->dims[0] * plan->window.kernel[0] * plan->window.kernel[1];

    case LS_LAYER_MAXPOOL2D:
    case LS_LAYER_AVGPOOL2D:
      return outputs * plan->window.kernel[0] * plan->window.kernel[1];

    case LS_LAYER_ATTENTION:
      /* four projections of T·d·d, then q·kᵀ and weights·v of T·T·d each */
      tokens = input->dims[0];
      d = input->dims[1];
      return 4 * tokens * d * d + 2 * tokens * tokens * d;

    case LS_LAYER_FLATTEN:
    case LS_LAYER_EMBEDDING:
    case LS_LAYER_POSITIONAL:
    case LS_LAYER_LAYERNORM:
    case LS_LAYER_POOL_TOKENS:
      return MAX (outputs, ls_shape_get_size (input));

    case LS_N_LAYER_KINDS:
    default:
      g_assert_not_reached ();
    }
}

/* Copies the part of a [d0][d1][d2][d3] array that also exists in the new
 * [n0][n1][n2][n3] one, whose other values are already set. */
static void
copy_overlap (float       *to,
              const gsize  to_dims[4],
              const float *from,
              const gsize  from_dims[4])
{
  gsize n[4];

  for (guint i = 0; i < 4; i++)
    n[i] = MIN (to_dims[i], from_dims[i]);

  for (gsize a = 0; a < n[0]; a++)
    for (gsize b = 0; b < n[1]; b++)
      for (gsize c = 0; c < n[2]; c++)
        memcpy (to + ((a * to_dims[1] + b) * to_dims[2] + c) * to_dims[3],
                from + ((a * from_dims[1] + b) * from_dims[2] + c) * from_dims[3],
                n[3] * sizeof (float));
}

static void
set_dims (gsize dims[4],
          gsize d0,
          gsize d1,
          gsize d2,
          gsize d3)
{
  dims[0] = d0;
  dims[1] = d1;
  dims[2] = d2;
  dims[3] = d3;
}

/* The weights and biases as 4-D arrays, all zero for a kind without them:
 * dense [inputs][units] and [units]; conv2d [units][C][kh][kw] and
 * [units]; embedding and learned positional [rows][d]; attention
 * [4][d][d] and [4][d]; layernorm gamma [d] and beta [d]. */
static void
get_parameter_dims (const LsLayer *layer,
                    gsize          weights[4],
                    gsize          biases[4])
{
  gsize d = layer->units;

  set_dims (weights, 0, 0, 0, 0);
  set_dims (biases, 0, 0, 0, 0);
  switch (layer->kind)
    {
    case LS_LAYER_DENSE:
      set_dims (weights, ls_layer_get_inputs (layer), d, 1, 1);
      set_dims (biases, 1, d, 1, 1);
      break;

    case LS_LAYER_CONV2D:
      set_dims (weights, d, layer->input_shape.dims[0], layer->window.kernel[0], layer->window.kernel[1]);
      set_dims (biases, 1, d, 1, 1);
      break;

    case LS_LAYER_EMBEDDING:
    case LS_LAYER_POSITIONAL:
      set_dims (weights, layer->rows, d, 1, 1);
      break;

    case LS_LAYER_ATTENTION:
      set_dims (weights, LS_N_ATTENTION_MATRICES, d, d, 1);
      set_dims (biases, LS_N_ATTENTION_MATRICES, d, 1, 1);
      break;

    case LS_LAYER_LAYERNORM:
      set_dims (weights, 1, d, 1, 1);
      set_dims (biases, 1, d, 1, 1);
      break;

    default:
      break;
    }
}

static gsize
get_dims_size (const gsize dims[4])
{
  return dims[0] * dims[1] * dims[2] * dims[3];
}

/* Fills weights, ls_layer_get_n_weights() of them, with the layer's
 * initial values: gamma 1 for layernorm, and numbers drawn from the
 * layer's init for the others. Attention draws its four matrices as one
 * [4·d][d] array. */
static void
fill_initial_weights (const LsLayer *layer,
                      float         *weights)
{
  gsize n = ls_layer_get_n_weights (layer);

  if (n == 0)
    return;

  if (layer->kind == LS_LAYER_LAYERNORM)
    {
      for (gsize i = 0; i < n; i++)
        weights[i] = 1.0f;
      return;
    }

  ls_init_fill_weights (&layer->init, weights, n / layer->units, layer->units);
}

static void
truncate_labels (LsLayer *layer,
                 gsize    n)
{
  if (layer->labels == NULL || g_strv_length (layer->labels) <= n)
    return;

  for (gsize i = n; layer->labels[i] != NULL; i++)
    g_clear_pointer (&layer->labels[i], g_free);
}

/* Returns how many labels the layer's output can have: one per channel
 * of an image, per feature of a sequence, per value of a vector. */
static gsize
get_label_count (const LsShape *shape)
{
  if (shape->rank == 3 || shape->rank == 2)
    return shape->rank == 3 ? shape->dims[0] : shape->dims[1];

  return ls_shape_get_size (shape);
}

/* Applies what ls_layer_plan() accepted. Weights and biases whose
 * position still exists keep their values. A new weight gets the value
 * that a fresh array drawn from the layer's init has at its position,
 * and a new bias is zero. Labels past the new output count are dropped. */
void
ls_layer_reshape (LsLayer           *layer,
                  const LsLayerPlan *plan)
{
  gsize old_weights[4], old_biases[4], new_weights[4], new_biases[4], parameters;
  LsLayerPlan planned = *plan;
  LsShape output_shape;
  gboolean accepted;

  accepted = ls_layer_plan (&planned, &output_shape, &parameters, NULL);
  g_assert (accepted);

  get_parameter_dims (layer, old_weights, old_biases);
  layer->input_shape = planned.input_shape;
  layer->units = planned.units;
  layer->window = planned.window;
  layer->rows = planned.rows;
  layer->heads = planned.heads;
  layer->residual = planned.residual;
  layer->encoding = planned.encoding;
  get_parameter_dims (layer, new_weights, new_biases);

  if (memcmp (old_weights, new_weights, sizeof old_weights) != 0)
    {
      float *weights = g_new (float, get_dims_size (new_weights));

      fill_initial_weights (layer, weights);
      copy_overlap (weights, new_weights, layer->weights, old_weights);
      g_free (layer->weights);
      layer->weights = weights;
    }

  if (memcmp (old_biases, new_biases, sizeof old_biases) != 0)
    {
      float *bias = g_new0 (float, get_dims_size (new_biases));

      copy_overlap (bias, new_biases, layer->bias, old_biases);
      g_free (layer->bias);
      layer->bias = bias;
    }

  layer->output_shape = output_shape;
  truncate_labels (layer, get_label_count (&output_shape));
  ls_layer_allocate_state (layer);
}

/* Returns the number of weights, as get_parameter_dims() lays them out. */
gsize
ls_layer_get_n_weights (const LsLayer *layer)
{
  gsize weights[4], biases[4];

  g_return_val_if_fail (layer != NULL, 0);

  get_parameter_dims (layer, weights, biases);

  return get_dims_size (weights);
}

/* Returns the number of biases: one per unit of a dense or conv2d layer,
 * [4][d] for attention, beta [d] for layernorm, none for the rest. */
gsize
ls_layer_get_n_biases (const LsLayer *layer)
{
  gsize weights[4], biases[4];

  g_return_val_if_fail (layer != NULL, 0);

  get_parameter_dims (layer, weights, biases);

  return get_dims_size (biases);
}

/* Whether the layer has weights and biases [units] that x·W + b or a
 * convolution applies: dense and conv2d layers. The token kinds keep
 * their parameters in the forms that ls_layer_get_n_weights() describes. */
gboolean
ls_layer_has_parameters (const LsLayer *layer)
{
  g_return_val_if_fail (layer != NULL, FALSE);

  return layer->kind == LS_LAYER_DENSE || layer->kind == LS_LAYER_CONV2D;
}

/* Whether the layer slides a window over an image: conv2d and pooling. */
gboolean
ls_layer_is_spatial (const LsLayer *layer)
{
  g_return_val_if_fail (layer != NULL, FALSE);

  return layer->kind == LS_LAYER_CONV2D ||
         layer->kind == LS_LAYER_MAXPOOL2D ||
         layer->kind == LS_LAYER_AVGPOOL2D;
}

/* Returns kh·kw for a spatial layer, 0 for the others. */
gsize
ls_layer_get_kernel_size (const LsLayer *layer)
{
  g_return_val_if_fail (layer != NULL, 0);

  if (!ls_layer_is_spatial (layer))
    return 0;

  return layer->window.kernel[0] * layer->window.kernel[1];
}

/* Returns the [kh][kw] kernel that a conv2d filter applies to one input
 * channel. */
const float *
ls_layer_get_kernel (const LsLayer *layer,
                     gsize          filter,
                     gsize          channel)
{
  g_return_val_if_fail (layer != NULL && layer->kind == LS_LAYER_CONV2D, NULL);
  g_return_val_if_fail (filter < layer->units, NULL);
  g_return_val_if_fail (channel < layer->input_shape.dims[0], NULL);

  return layer->weights + (filter * layer->input_shape.dims[0] + channel) * ls_layer_get_kernel_size (layer);
}

/* Maps one window axis of an output range [o0, o1) to the input range it
 * reads, without the padding: [o0·s − p, (o1 − 1)·s − p + k) clipped to
 * [0, size). */
static void
get_axis_range (const LsWindow *window,
                guint           axis,
                gsize           size,
                gsize           o0,
                gsize           o1,
                gsize          *i0,
                gsize          *i1)
{
  gssize start = (gssize) (o0 * window->stride[axis]) - (gssize) window->padding[axis];
  gssize end = (gssize) ((o1 - 1) * window->stride[axis] + window->kernel[axis]) - (gssize) window->padding[axis];

  *i0 = (gsize) CLAMP (start, 0, (gssize) size);
  *i1 = (gsize) CLAMP (end, 0, (gssize) size);
}

/* Finds the region of the layer's input that the output region reads.
 * For a spatial layer this is its receptive field, clipped to the input,
 * and any other layer reads all of its input. Regions span every channel. */
void
ls_layer_get_input_region (const LsLayer  *layer,
                           const LsRegion *output,
                           LsRegion       *input)
{
  g_return_if_fail (layer != NULL && output != NULL && input != NULL);
  g_return_if_fail (output->y1 > output->y0 && output->x1 > output->x0);

  if (!ls_layer_is_spatial (layer))
    {
      gsize height = layer->input_shape.rank == 3 ? layer->input_shape.dims[1] : 1;
      gsize width = layer->input_shape.rank == 3 ? layer->input_shape.dims[2] : ls_layer_get_inputs (layer);

      *input = (LsRegion) { 0, 0, height, width };
      return;
    }

  get_axis_range (&layer->window, 0, layer->input_shape.dims[1], output->y0, output->y1, &input->y0, &input->y1);
  get_axis_range (&layer->window, 1, layer->input_shape.dims[2], output->x0, output->x1, &input->x0, &input->x1);
}

/* (Re)allocates the forward-state buffers to the output size, zeroed,
 * and the work space of the kinds that have one. */
void
ls_layer_allocate_state (LsLayer *layer)
{
  gsize n = ls_layer_get_outputs (layer);

  g_free (layer->pre_activation);
  g_free (layer->activation_output);
  g_free (layer->scratch);
  g_free (layer->attention_weights);
  layer->pre_activation = g_new0 (float, n);
  layer->activation_output = g_new0 (float, n);
  layer->scratch = g_new0 (float, get_scratch_size (layer));
  layer->attention_weights = g_new0 (float, get_attention_weights_size (layer));
  if (layer->kind == LS_LAYER_POSITIONAL && layer->encoding == LS_POSITIONAL_SINUSOIDAL)
    ls_layer_fill_sinusoidal (layer->scratch, layer->input_shape.dims[0], layer->units);
}

/* Four floats, one SSE register, as GCC's vector extension. Arithmetic
 * on it is element-wise. */
typedef float LsFloat4 __attribute__ ((vector_size (16)));

/* Units per block of the dense kernel: four LsFloat4 sums, which leave
 * enough of x86-64's 16 SSE registers for the weights. */
#define DENSE_BLOCK 16

/* Sums DENSE_BLOCK outputs over every input, keeping the sums in
 * registers and reading one row segment of W per input. Each output adds
 * bias, then its terms in input order, skipping inputs that are 0. */
static void
dense_sum_block (float       *restrict out,      /* [DENSE_BLOCK] */
                 const float *restrict input,    /* [inputs] */
                 const float *restrict weights,  /* [inputs][stride], offset to the block */
                 const float *restrict bias,     /* [DENSE_BLOCK] */
                 gsize                 inputs,
                 gsize                 stride)
{
  LsFloat4 sum0, sum1, sum2, sum3;

  memcpy (&sum0, bias, sizeof sum0);
  memcpy (&sum1, bias + 4, sizeof sum1);
  memcpy (&sum2, bias + 8, sizeof sum2);
  memcpy (&sum3, bias + 12, sizeof sum3);

  for (gsize i = 0; i < inputs; i++)
    {
      const float x = input[i];
      const LsFloat4 x4 = { x, x, x, x };
      const float *row = weights + i * stride;
      LsFloat4 w0, w1, w2, w3;

      if (x == 0.0f)
        continue;

      memcpy (&w0, row, sizeof w0);
      memcpy (&w1, row + 4, sizeof w1);
      memcpy (&w2, row + 8, sizeof w2);
      memcpy (&w3, row + 12, sizeof w3);
      sum0 += x4 * w0;
      sum1 += x4 * w1;
      sum2 += x4 * w2;
      sum3 += x4 * w3;
    }

  memcpy (out, &sum0, sizeof sum0);
  memcpy (out + 4, &sum1, sizeof sum1);
  memcpy (out + 8, &sum2, sizeof sum2);
  memcpy (out + 12, &sum3, sizeof sum3);
}

/* Sums DENSE_BLOCK outputs of two rows of inputs at once, as
 * dense_sum_block() does for one, so that each segment of W that is read
 * serves both rows. An input is skipped only when it is 0 in both rows;
 * adding 0·w to a sum leaves it unchanged, as W is finite. */
static void
dense_sum_block_pair (float       *restrict out0,     /* [DENSE_BLOCK] */
                      float       *restrict out1,     /* [DENSE_BLOCK] */
                      const float *restrict input0,   /* [inputs] */
                      const float *restrict input1,   /* [inputs] */
                      const float *restrict weights,  /* [inputs][stride], offset to the block */
                      const float *restrict bias,     /* [DENSE_BLOCK] */
                      gsize                 inputs,
                      gsize                 stride)
{
  LsFloat4 a0, a1, a2, a3, b0, b1, b2, b3;

  memcpy (&a0, bias, sizeof a0);
  memcpy (&a1, bias + 4, sizeof a1);
  memcpy (&a2, bias + 8, sizeof a2);
  memcpy (&a3, bias + 12, sizeof a3);
  b0 = a0;
  b1 = a1;
  b2 = a2;
  b3 = a3;

  for (gsize i = 0; i < inputs; i++)
    {
      const float x = input0[i], y = input1[i];
      const LsFloat4 x4 = { x, x, x, x }, y4 = { y, y, y, y };
      const float *row = weights + i * stride;
      LsFloat4 w0, w1, w2, w3;

      if (x == 0.0f && y == 0.0f)
        continue;

      memcpy (&w0, row, sizeof w0);
      memcpy (&w1, row + 4, sizeof w1);
      memcpy (&w2, row + 8, sizeof w2);
      memcpy (&w3, row + 12, sizeof w3);
      a0 += x4 * w0;
      a1 += x4 * w1;
      a2 += x4 * w2;
      a3 += x4 * w3;
      b0 += y4 * w0;
      b1 += y4 * w1;
      b2 += y4 * w2;
      b3 += y4 * w3;
    }

  memcpy (out0, &a0, sizeof a0);
  memcpy (out0 + 4, &a1, sizeof a1);
  memcpy (out0 + 8, &a2, sizeof a2);
  memcpy (out0 + 12, &a3, sizeof a3);
  memcpy (out1, &b0, sizeof b0);
  memcpy (out1 + 4, &b1, sizeof b1);
  memcpy (out1 + 8, &b2, sizeof b2);
  memcpy (out1 + 12, &b3, sizeof b3);
}

/* Dense kernel: output[j] = bias[j] + Σ_i input[i]·weights[i][j], with
 * the terms of each output summed in input order. Row i of the weights
 * starts at weights + i·stride, so the matrix may be the first units
 * columns of a wider one. Whole blocks of DENSE_BLOCK units run in
 * dense_sum_block(), and the units after the last whole block one input
 * row at a time. */
void
ls_layer_dense_forward_strided (float       *restrict output,   /* [units] */
                                const float *restrict input,    /* [inputs] */
                                const float *restrict weights,  /* [inputs][stride] */
                                gsize                 stride,
                                const float *restrict bias,     /* [units] */
                                gsize                 inputs,
                                gsize                 units)
{
  gsize first_rest = units - units % DENSE_BLOCK;

  for (gsize j = 0; j < first_rest; j += DENSE_BLOCK)
    dense_sum_block (output + j, input, weights + j, bias + j, inputs, stride);

  if (first_rest == units)
    return;

  memcpy (output + first_rest, bias + first_rest, (units - first_rest) * sizeof (float));
  for (gsize i = 0; i < inputs; i++)
    {
      const float x = input[i];
      const float *row = weights + i * stride;

      if (x == 0.0f)
        continue;

      ls_layer_add_scaled (output + first_rest, row + first_rest, x, units - first_rest);
    }
}

/* The first and one past the last output index o along an axis whose
 * input index o·stride + k − pad falls inside [0, size). */
static void
get_valid_outputs (gsize  size,
                   gsize  outputs,
                   gsize  stride,
                   gsize  k,
                   gsize  pad,
                   gsize *first,
                   gsize *end)
{
  gsize last_input = size - 1 + pad;  /* o·stride + k ≤ last_input */

  *first = pad > k ? (pad - k + stride - 1) / stride : 0;
  *end = last_input >= k ? MIN (outputs, (last_input - k) / stride + 1) : 0;
}

/* Adds one kernel weight's contribution to an output plane: for every
 * output (oy, ox) whose input pixel (oy·sy + ky − py, ox·sx + kx − px)
 * is inside the image, plane[oy][ox] += w · channel[iy][ix]. Padding
 * contributes zeros, so it is skipped rather than read. */
static void
conv2d_add_tap (float          *restrict plane,    /* [oh][ow] */
                const float    *restrict channel,  /* [h][w] */
                float                    w,
                const LsWindow          *window,
                gsize                    h,
                gsize                    width,
                gsize                    oh,
                gsize                    ow,
                gsize                    ky,
                gsize                    kx)
{
  gsize sy = window->stride[0], sx = window->stride[1];
  gsize y0, y1, x0, x1;

  get_valid_outputs (h, oh, sy, ky, window->padding[0], &y0, &y1);
  get_valid_outputs (width, ow, sx, kx, window->padding[1], &x0, &x1);
  if (x0 >= x1)
    return;

  for (gsize oy = y0; oy < y1; oy++)
    {
      float *out = plane + oy * ow + x0;
      const float *in = channel + (oy * sy + ky - window->padding[0]) * width + (x0 * sx + kx - window->padding[1]);

      if (sx == 1)
        for (gsize i = 0; i < x1 - x0; i++)
          out[i] += w * in[i];
      else
        for (gsize i = 0; i < x1 - x0; i++)
          out[i] += w * in[i * sx];
    }
}

/* Dense kernel on a matrix [inputs][units]. */
void
ls_layer_dense_forward (float       *restrict output,   /* [units] */
                        const float *restrict input,    /* [inputs] */
                        const float *restrict weights,  /* [inputs][units] */
                        const float *restrict bias,     /* [units] */
                        gsize                 inputs,
                        gsize                 units)
{
  ls_layer_dense_forward_strided (output, input, weights, units, bias, inputs, units);
}

/* Runs the dense kernel on each of rows rows of inputs, [rows][inputs]
 * to [rows][units], two rows at a time where it can. Each output is the
 * same as ls_layer_dense_forward() gives for its row. */
void
ls_layer_dense_forward_rows (float       *restrict output,   /* [rows][units] */
                             const float *restrict input,    /* [rows][inputs] */
                             const float *restrict weights,  /* [inputs][units] */
                             const float *restrict bias,     /* [units] */
                             gsize                 rows,
                             gsize                 inputs,
                             gsize                 units)
{
  gsize first_rest = units - units % DENSE_BLOCK;
  gsize t = 0;

  for (; t + 2 <= rows; t += 2)
    {
      float *out0 = output + t * units, *out1 = out0 + units;
      const float *in0 = input + t * inputs, *in1 = in0 + inputs;

      for (gsize j = 0; j < first_rest; j += DENSE_BLOCK)
        dense_sum_block_pair (out0 + j, out1 + j, in0, in1, weights + j, bias + j, inputs, units);
      if (first_rest < units)
        {
          ls_layer_dense_forward_strided (out0 + first_rest, in0, weights + first_rest, units,
                                          bias + first_rest, inputs, units - first_rest);
          ls_layer_dense_forward_strided (out1 + first_rest, in1, weights + first_rest, units,
                                          bias + first_rest, inputs, units - first_rest);
        }
    }

  for (; t < rows; t++)
    ls_layer_dense_forward (output + t * units, input + t * inputs, weights, bias, inputs, units);
}

/* Values per block of ls_layer_add_scaled(): two SSE registers. */
#define ADD_BLOCK 8

/* y[i] += w · x[i] for i < n, in blocks of ADD_BLOCK so that GCC
 * vectorises it at -O2 (see ls_layer_dense_forward()). */
void
ls_layer_add_scaled (float       *restrict y,
                     const float *restrict x,
                     float                 w,
                     gsize                 n)
{
  gsize i;

  for (i = 0; i + ADD_BLOCK <= n; i += ADD_BLOCK)
    for (gsize k = 0; k < ADD_BLOCK; k++)
      y[i + k] += w * x[i + k];

  for (; i < n; i++)
    y[i] += w * x[i];
}

/* Outputs per block of conv2d_sum_block(): 16 floats are four SSE
 * registers, few enough to stay in registers with the weight and input. */
#define CONV_BLOCK 16

/* Four floats as one SSE register, with GCC's and Clang's vector
 * extension, so that the block's sums stay in registers: GCC 12 at -O2
 * keeps a plain float array of them in memory. */
/* Sums one block of CONV_BLOCK outputs of the wide plane over every
 * channel and kernel position, keeping the sums in registers rather than
 * reading and writing the plane once per kernel weight. Each output adds
 * its terms in the same order as add_scaled() over the taps would. */
static void
conv2d_sum_block (float       *restrict out,      /* [CONV_BLOCK] */
                  const float *restrict padded,   /* [C][hp][wp], offset to the block */
                  const float *restrict weights,  /* [C][kh][kw] */
                  float                 bias,
                  gsize                 channels,
                  gsize                 hp,
                  gsize                 wp,
                  gsize                 kh,
                  gsize                 kw)
{
  LsFloat4 sum0 = { bias, bias, bias, bias };
  LsFloat4 sum1 = sum0, sum2 = sum0, sum3 = sum0;

  for (gsize c = 0; c < channels; c++)
    for (gsize ky = 0; ky < kh; ky++)
      {
        const float *row = padded + (c * hp + ky) * wp;

        for (gsize kx = 0; kx < kw; kx++)
          {
            const float w = *weights++;
            const LsFloat4 w4 = { w, w, w, w };
            LsFloat4 x0, x1, x2, x3;

            memcpy (&x0, row + kx, sizeof x0);
            memcpy (&x1, row + kx + 4, sizeof x1);
            memcpy (&x2, row + kx + 8, sizeof x2);
            memcpy (&x3, row + kx + 12, sizeof x3);
            sum0 += w4 * x0;
            sum1 += w4 * x1;
            sum2 += w4 * x2;
            sum3 += w4 * x3;
          }
      }

  memcpy (out, &sum0, sizeof sum0);
  memcpy (out + 4, &sum1, sizeof sum1);
  memcpy (out + 8, &sum2, sizeof sum2);
  memcpy (out + 12, &sum3, sizeof sum3);
}

/* Conv2d with stride 1, the common case. The input is first copied with
 * its zero padding into the work space, [C][hp][wp]. Each filter's output
 * is then summed in a plane as wide as the padded input, [oh][wp]. In that
 * layout, kernel position (ky, kx) reads every output's input at the same
 * offset, ky·wp + kx, so the plane is one flat run of outputs, summed a
 * block at a time. The columns past ow are computed but never copied out. */
static void
conv2d_forward_unit_stride (const LsLayer *layer,
                            float         *restrict output,  /* [F][oh][ow] */
                            const float   *restrict input)   /* [C][h][w] */
{
  const LsWindow *window = &layer->window;
  gsize channels = layer->input_shape.dims[0];
  gsize h = layer->input_shape.dims[1], w = layer->input_shape.dims[2];
  gsize oh = layer->output_shape.dims[1], ow = layer->output_shape.dims[2];
  gsize kh = window->kernel[0], kw = window->kernel[1];
  gsize hp = h + window->padding[0] + window->padding_after[0];
  gsize wp = w + window->padding[1] + window->padding_after[1];
  gsize n = (oh - 1) * wp + ow;  /* one past the last output copied out */
  float *padded = layer->scratch;             /* [C][hp][wp] */
  float *wide = layer->scratch + channels * hp * wp;  /* [oh][wp] */

  memset (padded, 0, channels * hp * wp * sizeof (float));
  for (gsize c = 0; c < channels; c++)
    for (gsize y = 0; y < h; y++)
      memcpy (padded + (c * hp + y + window->padding[0]) * wp + window->padding[1],
              input + (c * h + y) * w, w * sizeof (float));

  for (gsize f = 0; f < layer->units; f++)
    {
      const float *weights = ls_layer_get_kernel (layer, f, 0);  /* [C][kh][kw] */
      gsize i;

      for (i = 0; i + CONV_BLOCK <= n; i += CONV_BLOCK)
        conv2d_sum_block (wide + i, padded + i, weights, layer->bias[f], channels, hp, wp, kh, kw);

      for (gsize j = 0; j < n - i; j++)
        wide[i + j] = layer->bias[f];
      for (gsize c = 0; c < channels; c++)
        for (gsize ky = 0; ky < kh; ky++)
          for (gsize kx = 0; kx < kw; kx++)
            ls_layer_add_scaled (wide + i, padded + (c * hp + ky) * wp + kx + i,
                        weights[(c * kh + ky) * kw + kx], n - i);

      for (gsize oy = 0; oy < oh; oy++)
        memcpy (output + (f * oh + oy) * ow, wide + oy * wp, ow * sizeof (float));
    }
}

/* Conv2d kernel, as torch.nn.Conv2d with zero padding:
 * output[f][oy][ox] = bias[f] + Σ_c Σ_ky Σ_kx weights[f][c][ky][kx] ·
 * input[c][oy·sy + ky − py][ox·sx + kx − px]. The loops run one kernel
 * weight at a time over whole output rows, so the inner loop reads and
 * writes memory contiguously. */
static void
conv2d_forward (const LsLayer *layer,
                float         *restrict output,  /* [F][oh][ow] */
                const float   *restrict input)   /* [C][h][w] */
{
  gsize channels = layer->input_shape.dims[0];
  gsize h = layer->input_shape.dims[1], w = layer->input_shape.dims[2];
  gsize oh = layer->output_shape.dims[1], ow = layer->output_shape.dims[2];
  gsize kh = layer->window.kernel[0], kw = layer->window.kernel[1];

  for (gsize f = 0; f < layer->units; f++)
    {
      float *plane = output + f * oh * ow;

      for (gsize i = 0; i < oh * ow; i++)
        plane[i] = layer->bias[f];

      for (gsize c = 0; c < channels; c++)
        {
          const float *kernel = ls_layer_get_kernel (layer, f, c);

          for (gsize ky = 0; ky < kh; ky++)
            for (gsize kx = 0; kx < kw; kx++)
              if (kernel[ky * kw + kx] != 0.0f)
                conv2d_add_tap (plane, input + c * h * w, kernel[ky * kw + kx],
                                &layer->window, h, w, oh, ow, ky, kx);
        }
    }
}

/* Pooling kernel: each output is the largest value or the mean of its
 * window in the same channel. Pooling windows have no padding. */
static void
pool2d_forward (const LsLayer *layer,
                float         *restrict output,  /* [C][oh][ow] */
                const float   *restrict input)   /* [C][h][w] */
{
  gsize channels = layer->input_shape.dims[0];
  gsize h = layer->input_shape.dims[1], w = layer->input_shape.dims[2];
  gsize oh = layer->output_shape.dims[1], ow = layer->output_shape.dims[2];
  const LsWindow *window = &layer->window;
  gboolean max = layer->kind == LS_LAYER_MAXPOOL2D;
  float count = (float) (window->kernel[0] * window->kernel[1]);

  for (gsize c = 0; c < channels; c++)
    for (gsize oy = 0; oy < oh; oy++)
      for (gsize ox = 0; ox < ow; ox++)
        {
          const float *corner = input + (c * h + oy * window->stride[0]) * w + ox * window->stride[1];
          float result = max ? corner[0] : 0.0f;

          for (gsize ky = 0; ky < window->kernel[0]; ky++)
            for (gsize kx = 0; kx < window->kernel[1]; kx++)
              {
                float x = corner[ky * w + kx];

                /* A NaN wins and stays, as in PyTorch's max pooling. */
                if (!max)
                  result += x;
                else if (x > result || isnan (x))
                  result = x;
              }

          *output++ = max ? result : result / count;
        }
}

/* Runs a dense layer on a vector, or on each token of a sequence with
 * the activation applied to each token's row, then adds the input when
 * the layer is residual. */
static void
dense_layer_forward (LsLayer     *layer,
                     const float *input)
{
  gsize inputs = ls_layer_get_inputs (layer);
  gsize rows = layer->input_shape.rank == 2 ? layer->input_shape.dims[0] : 1;
  gsize n_outputs = ls_layer_get_outputs (layer);

  ls_layer_dense_forward_rows (layer->pre_activation, input, layer->weights, layer->bias,
                               rows, inputs, layer->units);
  for (gsize t = 0; t < rows; t++)
    ls_activation_apply (layer->activation, layer->activation_output + t * layer->units,
                         layer->pre_activation + t * layer->units, layer->units);

  if (layer->residual)
    for (gsize i = 0; i < n_outputs; i++)
      layer->activation_output[i] += input[i];
}

/* Computes pre_activation and activation_output from input, which has
 * the layer's input size and must not overlap the layer's own buffers.
 * Allocates nothing. */
void
ls_layer_forward (LsLayer     *layer,
                  const float *input)
{
  gsize n_outputs = ls_layer_get_outputs (layer);

  switch (layer->kind)
    {
    case LS_LAYER_DENSE:
      dense_layer_forward (layer, input);
      return;

    case LS_LAYER_CONV2D:
      if (layer->window.stride[0] == 1 && layer->window.stride[1] == 1)
        conv2d_forward_unit_stride (layer, layer->pre_activation, input);
      else
        conv2d_forward (layer, layer->pre_activation, input);
      break;

    case LS_LAYER_MAXPOOL2D:
    case LS_LAYER_AVGPOOL2D:
      pool2d_forward (layer, layer->pre_activation, input);
      break;

    case LS_LAYER_FLATTEN:
      memcpy (layer->pre_activation, input, n_outputs * sizeof (float));
      break;

    case LS_LAYER_EMBEDDING:
    case LS_LAYER_POSITIONAL:
    case LS_LAYER_ATTENTION:
    case LS_LAYER_LAYERNORM:
    case LS_LAYER_POOL_TOKENS:
      ls_layer_forward_sequence (layer, input);
      return;

    case LS_N_LAYER_KINDS:
    default:
      g_assert_not_reached ();
    }

  ls_activation_apply (layer->activation, layer->activation_output, layer->pre_activation, n_outputs);
}
