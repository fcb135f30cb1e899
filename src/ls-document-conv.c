/* ls-document-conv.c: the keys of conv2d, maxpool2d, avgpool2d and flatten layers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-document"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ls-document-private.h"

/* ---------------------------------------------------------------------
 * Reading window sizes
 * --------------------------------------------------------------------- */

/* A key whose value is a pair [height, width], or one number for both. */
typedef struct
{
  const char *key;
  gint64 min;
  const char *out_of_range;  /* marked with N_(), formatted with min, max and the value */
} PairKey;

static const PairKey kernel_key = {
  "kernel", 1, N_("expected a kernel size from %lld to %lld, found %lld")
};
static const PairKey stride_key = {
  "stride", 1, N_("expected a stride from %lld to %lld, found %lld")
};
static const PairKey size_key = {
  "size", 1, N_("expected a window size from %lld to %lld, found %lld")
};
static const PairKey padding_key = {
  "padding", 0, N_("expected a padding from %lld to %lld, found %lld")
};

/* Reads one integer of a pair, from spec->min to LS_MAX_KERNEL_SIZE. */
static gboolean
read_pair_element (const char     *source,
                   JsonNode       *node,
                   const char     *path,
                   const PairKey  *spec,
                   gsize          *value,
                   GError        **error)
{
  gint64 number;

  if (!ls_document_get_integer (source, node, path, &number, error))
    return FALSE;

  if (number < spec->min || number > LS_MAX_KERNEL_SIZE)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, path, _(spec->out_of_range),
                             (long long) spec->min, (long long) LS_MAX_KERNEL_SIZE, (long long) number);
      return FALSE;
    }

  *value = number;
  return TRUE;
}

/* Reads node, at path, as [height, width] or as one number for both. */
static gboolean
read_pair (const char     *source,
           JsonNode       *node,
           const char     *path,
           const PairKey  *spec,
           gsize           pair[2],
           GError        **error)
{
  JsonArray *array;
  guint length;

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      if (!read_pair_element (source, node, path, spec, &pair[0], error))
        return FALSE;
      pair[1] = pair[0];
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      ls_document_set_type_error (error, source, path, _("an integer or a pair such as [3, 3]"), node);
      return FALSE;
    }

  array = json_node_get_array (node);
  length = json_array_get_length (array);
  if (length != 2)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, path,
                             g_dngettext (GETTEXT_PACKAGE,
                                          "expected a pair [height, width] such as [3, 3], or one "
                                          "number for both, found an array of %u element",
                                          "expected a pair [height, width] such as [3, 3], or one "
                                          "number for both, found an array of %u elements",
                                          length),
                             length);
      return FALSE;
    }

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *element_path = ls_document_element_path (path, i);

      if (!read_pair_element (source, json_array_get_element (array, i), element_path, spec,
                              &pair[i], error))
        return FALSE;
    }

  return TRUE;
}

/* Reads the pair spec->key of object. When the key is absent, a required
 * one is an error, and an optional one takes the value of fallback. */
static gboolean
read_pair_member (const char     *source,
                  JsonObject     *object,
                  const char     *parent,
                  const PairKey  *spec,
                  const gsize    *fallback,
                  gsize           pair[2],
                  GError        **error)
{
  g_autofree char *path = ls_document_member_path (parent, spec->key);
  JsonNode *node = json_object_get_member (object, spec->key);

  if (node == NULL && fallback != NULL)
    {
      pair[0] = fallback[0];
      pair[1] = fallback[1];
      return TRUE;
    }

  if (node == NULL)
    node = ls_document_get_required_member (source, object, parent, spec->key, error);

  return node != NULL && read_pair (source, node, path, spec, pair, error);
}

/* Reads "padding": "same", "valid", [rows, columns] or one number for
 * both. Without the key the padding is "valid". */
static gboolean
read_padding (const char     *source,
              JsonObject     *object,
              const char     *parent,
              LsPaddingMode  *mode,
              gsize           padding[2],
              GError        **error)
{
  g_autofree char *path = ls_document_member_path (parent, "padding");
  JsonNode *node = json_object_get_member (object, "padding");
  const char *name;

  padding[0] = padding[1] = 0;
  *mode = LS_PADDING_VALID;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *mode = LS_PADDING_EXPLICIT;
      return read_pair (source, node, path, &padding_key, padding, error);
    }

  if (!ls_document_get_string (source, node, path, G_MAXSIZE, &name, error))
    return FALSE;

  if (g_str_equal (name, "same"))
    *mode = LS_PADDING_SAME;
  else if (!g_str_equal (name, "valid"))
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, path,
                             _("unknown padding “%s”; use “same”, “valid”, a pair [rows, columns] "
                               "such as [1, 1], or one number for both"),
                             name);
      return FALSE;
    }

  return TRUE;
}

/* ---------------------------------------------------------------------
 * Checking shapes
 * --------------------------------------------------------------------- */

static gboolean
check_image_input (const char     *source,
                   const char     *path,
                   LsLayerKind     kind,
                   const LsShape  *input_shape,
                   GError        **error)
{
  g_autofree char *shape = NULL;

  if (input_shape->rank == 3)
    return TRUE;

  shape = ls_shape_to_string (input_shape);
  ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, path,
                         _("the %s layer needs an image-shaped input [channels, height, width], but "
                           "its input has the shape %s; place it on an image input, before any "
                           "flatten or dense layer"),
                         ls_layer_kind_get_name (kind), shape);
  return FALSE;
}

/* Checks what the engine checks as it creates the layer, so that an
 * impossible window gets a message with the layer's path before the
 * engine allocates anything. The window must fit the padded input, and
 * the stride must divide the rest exactly. The output must also stay
 * within LS_MAX_TENSOR_SIZE. channels is the output's channel count. */
static gboolean
check_output_shape (const char      *source,
                    const char      *path,
                    LsLayerKind      kind,
                    const LsWindow  *window,
                    const LsShape   *input_shape,
                    gsize            channels,
                    GError         **error)
{
  g_autoptr(GError) engine_error = NULL;
  g_autofree char *text = NULL;
  LsShape output_shape;

  if (!ls_window_get_output_shape (window, kind, input_shape, channels, &output_shape, &engine_error))
    {
      ls_document_set_engine_error (error, source, path, engine_error);
      return FALSE;
    }

  if (ls_shape_get_size (&output_shape) <= LS_MAX_TENSOR_SIZE)
    return TRUE;

  text = ls_shape_to_string (&output_shape);
  ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, path,
                         _("the output shape %s has %zu values, over the maximum of %u"),
                         text, ls_shape_get_size (&output_shape), LS_MAX_TENSOR_SIZE);
  return FALSE;
}

/* The same limit as the engine's: weights plus biases of one layer. Each
 * factor is at most LS_MAX_TENSOR_SIZE (2^20), and the product stops
 * growing once it is over LS_MAX_LAYER_PARAMETERS (2^24), so it stays
 * below 2^44. */
static gboolean
check_conv2d_parameters (const char      *source,
                         const char      *path,
                         gsize            filters,
                         gsize            channels,
                         const LsWindow  *window,
                         GError         **error)
{
  const gsize factors[] = { channels, window->kernel[0], window->kernel[1] };
  guint64 parameters = filters;

  for (guint i = 0; i < G_N_ELEMENTS (factors) && parameters <= LS_MAX_LAYER_PARAMETERS; i++)
    parameters *= factors[i];
  parameters += filters;

  if (parameters <= LS_MAX_LAYER_PARAMETERS)
    return TRUE;

  ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, path,
                         _("%zu × %zu × %zu×%zu weights (filters × channels × kernel), plus the "
                           "biases, make more than the maximum of %u parameters per layer; "
                           "use fewer filters or a smaller kernel"),
                         filters, channels, window->kernel[0], window->kernel[1],
                         LS_MAX_LAYER_PARAMETERS);
  return FALSE;
}

/* ---------------------------------------------------------------------
 * Reading conv2d weights
 * --------------------------------------------------------------------- */

/* The levels of a conv2d layer's "weights", [filters][channels][kh][kw]. */
typedef enum
{
  LEVEL_FILTERS,
  LEVEL_CHANNELS,
  LEVEL_ROWS,
} WeightLevel;

static char *
format_count (WeightLevel level,
              gsize       n)
{
  switch (level)
    {
    case LEVEL_FILTERS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu filter", "%zu filters", n), n);
    case LEVEL_CHANNELS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu channel", "%zu channels", n), n);
    case LEVEL_ROWS:
    default:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu row", "%zu rows", n), n);
    }
}

/* Gets node as an array of exactly n arrays of the given level. expected
 * describes the whole array, as in "8 filters of 1 channel of 3×3
 * numbers", and element_expected one element, as in "1 channel of 3×3
 * numbers". The first element is checked before the count, so that a
 * list nested too shallowly gets a message about its nesting. */
static gboolean
get_level_array (const char   *source,
                 JsonNode     *node,
                 const char   *path,
                 WeightLevel   level,
                 gsize         n,
                 const char   *expected,
                 const char   *element_expected,
                 JsonArray   **array,
                 GError      **error)
{
  g_autofree char *found = NULL;
  JsonNode *first;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      ls_document_set_type_error (error, source, path, expected, node);
      return FALSE;
    }

  *array = json_node_get_array (node);
  first = json_array_get_length (*array) > 0 ? json_array_get_element (*array, 0) : NULL;
  if (first != NULL && !JSON_NODE_HOLDS_ARRAY (first))
    {
      g_autofree char *first_path = ls_document_element_path (path, 0);

      ls_document_set_type_error (error, source, first_path, element_expected, first);
      return FALSE;
    }

  if (json_array_get_length (*array) == n)
    return TRUE;

  found = format_count (level, json_array_get_length (*array));
  ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, path,
                         _("expected %s, found %s"), expected, found);
  return FALSE;
}

/* The texts that describe each level of a layer's weights. */
typedef struct
{
  char *filters;   /* "8 filters of 1 channel of 3×3 numbers" */
  char *channels;  /* "1 channel of 3×3 numbers" */
  char *rows;      /* "3 rows of 3 numbers" */
  char *numbers;   /* "3 numbers" */
  char *row;       /* "expected 3 numbers, one per kernel column" */
} WeightTexts;

static void
weight_texts_clear (WeightTexts *texts)
{
  g_clear_pointer (&texts->filters, g_free);
  g_clear_pointer (&texts->channels, g_free);
  g_clear_pointer (&texts->rows, g_free);
  g_clear_pointer (&texts->numbers, g_free);
  g_clear_pointer (&texts->row, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WeightTexts, weight_texts_clear)

static void
weight_texts_init (WeightTexts *texts,
                   gsize        filters,
                   gsize        channels,
                   gsize        kh,
                   gsize        kw)
{
  g_autofree char *kernel = g_strdup_printf (_("%zu×%zu numbers"), kh, kw);

  texts->numbers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu number", "%zu numbers", kw), kw);
  texts->channels = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu channel of %s",
                                                  "%zu channels of %s", channels),
                                     channels, kernel);
  texts->filters = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu filter of %s",
                                                 "%zu filters of %s", filters),
                                    filters, texts->channels);
  texts->rows = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu row of %s", "%zu rows of %s", kh),
                                 kh, texts->numbers);
  texts->row = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "expected %zu number, one per kernel column",
                                             "expected %zu numbers, one per kernel column", kw),
                                kw);
}

/* kernel is [kh][kw]. */
static gboolean
read_kernel (const char         *source,
             JsonNode           *node,
             const char         *path,
             const WeightTexts  *texts,
             gsize               kh,
             gsize               kw,
             float              *kernel,
             GError            **error)
{
  JsonArray *rows;

  if (!get_level_array (source, node, path, LEVEL_ROWS, kh, texts->rows, texts->numbers, &rows, error))
    return FALSE;

  for (gsize r = 0; r < kh; r++)
    if (!ls_document_get_float_array (source, json_array_get_element (rows, r), path, r, kw,
                                      texts->row, kernel + r * kw, error))
      return FALSE;

  return TRUE;
}

/* filter is [channels][kh][kw]. */
static gboolean
read_filter (const char         *source,
             JsonNode           *node,
             const char         *path,
             const WeightTexts  *texts,
             const LsLayer      *layer,
             float              *filter,
             GError            **error)
{
  gsize channels = layer->input_shape.dims[0];
  gsize kh = layer->window.kernel[0];
  gsize kw = layer->window.kernel[1];
  JsonArray *kernels;

  if (!get_level_array (source, node, path, LEVEL_CHANNELS, channels, texts->channels, texts->rows,
                        &kernels, error))
    return FALSE;

  for (gsize c = 0; c < channels; c++)
    {
      g_autofree char *kernel_path = ls_document_element_path (path, c);

      if (!read_kernel (source, json_array_get_element (kernels, c), kernel_path, texts, kh, kw,
                        filter + c * kh * kw, error))
        return FALSE;
    }

  return TRUE;
}

/* Returns how deep arrays nest along the first elements: 0 for a number,
 * 1 for [1, 2] or [], 2 for [[1, 2]], and so on. */
static guint
get_nesting_depth (JsonNode *node)
{
  guint depth = 0;

  while (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      depth++;
      if (json_array_get_length (array) == 0)
        break;
      node = json_array_get_element (array, 0);
    }

  return depth;
}

/* Rejects weights nested more or less than [filters][channels][rows]
 * [columns], such as one flat list, before their counts are checked. */
static gboolean
check_weight_nesting (const char         *source,
                      JsonNode           *node,
                      const char         *path,
                      const WeightTexts  *texts,
                      GError            **error)
{
  guint depth = get_nesting_depth (node);

  if (depth == 4 || depth == 0)
    return TRUE;

  ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, path,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "expected %s, as arrays nested 4 levels deep, "
                                      "[filters][channels][rows][columns]; found arrays nested %u level deep",
                                      "expected %s, as arrays nested 4 levels deep, "
                                      "[filters][channels][rows][columns]; found arrays nested %u levels deep",
                                      depth),
                         texts->filters, depth);
  return FALSE;
}

/* Reads "weights" into layer->weights, [filters][channels][kh][kw]. */
static gboolean
read_conv2d_weights (const char  *source,
                     JsonNode    *node,
                     const char  *path,
                     LsLayer     *layer,
                     GError     **error)
{
  gsize channels = layer->input_shape.dims[0];
  gsize filter_size = channels * layer->window.kernel[0] * layer->window.kernel[1];
  g_auto(WeightTexts) texts = { NULL };
  JsonArray *filters;

  weight_texts_init (&texts, layer->units, channels, layer->window.kernel[0], layer->window.kernel[1]);
  if (!check_weight_nesting (source, node, path, &texts, error) ||
      !get_level_array (source, node, path, LEVEL_FILTERS, layer->units, texts.filters, texts.channels,
                        &filters, error))
    return FALSE;

  for (gsize f = 0; f < layer->units; f++)
    {
      g_autofree char *filter_path = ls_document_element_path (path, f);

      if (!read_filter (source, json_array_get_element (filters, f), filter_path, &texts, layer,
                        layer->weights + f * filter_size, error))
        return FALSE;
    }

  return TRUE;
}

/* ---------------------------------------------------------------------
 * Reading layers
 * --------------------------------------------------------------------- */

/* Reads the optional weights, bias and labels into a layer that already
 * contains the initial values. */
static gboolean
read_conv2d_parameters (const char  *source,
                        JsonObject  *object,
                        const char  *path,
                        LsLayer     *layer,
                        GError     **error)
{
  JsonNode *weights = json_object_get_member (object, "weights");
  g_autofree char *weights_path = ls_document_member_path (path, "weights");
  g_autofree char *expected_bias = NULL;
  g_autofree char *expected_labels = NULL;

  expected_bias = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "expected %zu bias, one per filter",
                                                "expected %zu biases, one per filter",
                                                layer->units),
                                   layer->units);
  expected_labels = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "expected %zu label, one per filter",
                                                  "expected %zu labels, one per filter",
                                                  layer->units),
                                     layer->units);

  if (weights != NULL && !read_conv2d_weights (source, weights, weights_path, layer, error))
    return FALSE;

  return ls_document_read_bias_and_labels (source, object, path, layer, expected_bias, expected_labels, error);
}

/* Reads "kernel", "stride" and "padding", and checks their combination. */
static gboolean
read_conv2d_window (const char  *source,
                    JsonObject  *object,
                    const char  *path,
                    LsWindow    *window,
                    GError     **error)
{
  static const gsize unit_stride[2] = { 1, 1 };
  g_autoptr(GError) engine_error = NULL;
  LsPaddingMode mode;
  gsize kernel[2];
  gsize stride[2];
  gsize padding[2];

  if (!read_pair_member (source, object, path, &kernel_key, NULL, kernel, error) ||
      !read_pair_member (source, object, path, &stride_key, unit_stride, stride, error) ||
      !read_padding (source, object, path, &mode, padding, error))
    return FALSE;

  if (!ls_window_init (window, kernel, stride, mode, padding, &engine_error))
    {
      ls_document_set_engine_error (error, source, path, engine_error);
      return FALSE;
    }

  return TRUE;
}

static LsLayer *
read_conv2d_layer (const char     *source,
                   JsonObject     *object,
                   const char     *path,
                   gsize           index,
                   const LsShape  *input_shape,
                   GError        **error)
{
  g_autoptr(GError) engine_error = NULL;
  g_autoptr(LsLayer) layer = NULL;
  LsActivation activation;
  LsWindow window;
  gint64 filters;
  LsInit init;

  if (!ls_document_read_size_member (source, object, path, "filters", 1, LS_MAX_TENSOR_SIZE,
                                     _("expected %lld to %lld filters, found %lld"), &filters, error) ||
      !read_conv2d_window (source, object, path, &window, error) ||
      !check_image_input (source, path, LS_LAYER_CONV2D, input_shape, error) ||
      !check_conv2d_parameters (source, path, filters, input_shape->dims[0], &window, error) ||
      !check_output_shape (source, path, LS_LAYER_CONV2D, &window, input_shape, filters, error) ||
      !ls_document_read_activation (source, object, path, &activation, error) ||
      !ls_document_read_init (source, object, path, index, activation, &init, error))
    return NULL;

  layer = ls_layer_new_conv2d (input_shape, filters, &window, activation, &init, &engine_error);
  if (layer == NULL)
    {
      ls_document_set_engine_error (error, source, path, engine_error);
      return NULL;
    }

  if (!read_conv2d_parameters (source, object, path, layer, error))
    return NULL;

  return g_steal_pointer (&layer);
}

/* Reads "size" and "stride", which defaults to the size, so that the
 * windows tile the input. */
static LsLayer *
read_pool2d_layer (LsLayerKind     kind,
                   const char     *source,
                   JsonObject     *object,
                   const char     *path,
                   const LsShape  *input_shape,
                   GError        **error)
{
  static const gsize no_padding[2] = { 0, 0 };
  g_autoptr(GError) engine_error = NULL;
  LsLayer *layer;
  LsWindow window;
  gsize size[2];
  gsize stride[2];

  /* PyTorch's pooling layers take a padding, so a document converted from
   * one may have it. Ignoring it would change every output shape. */
  if (json_object_has_member (object, "padding"))
    {
      g_autofree char *padding_path = ls_document_member_path (path, "padding");

      ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, padding_path,
                             _("pooling layers have no padding; remove the key, and pad the "
                               "layer before with a convolution's padding instead"));
      return NULL;
    }

  if (!read_pair_member (source, object, path, &size_key, NULL, size, error) ||
      !read_pair_member (source, object, path, &stride_key, size, stride, error))
    return NULL;

  if (!ls_window_init (&window, size, stride, LS_PADDING_VALID, no_padding, &engine_error))
    {
      ls_document_set_engine_error (error, source, path, engine_error);
      return NULL;
    }

  if (!check_image_input (source, path, kind, input_shape, error) ||
      !check_output_shape (source, path, kind, &window, input_shape, input_shape->dims[0], error))
    return NULL;

  layer = ls_layer_new_pool2d (kind, input_shape, &window, &engine_error);
  if (layer == NULL)
    ls_document_set_engine_error (error, source, path, engine_error);

  return layer;
}

static LsLayer *
read_maxpool2d_layer (const char     *source,
                      JsonObject     *object,
                      const char     *path,
                      gsize           index,
                      const LsShape  *input_shape,
                      GError        **error)
{
  return read_pool2d_layer (LS_LAYER_MAXPOOL2D, source, object, path, input_shape, error);
}

static LsLayer *
read_avgpool2d_layer (const char     *source,
                      JsonObject     *object,
                      const char     *path,
                      gsize           index,
                      const LsShape  *input_shape,
                      GError        **error)
{
  return read_pool2d_layer (LS_LAYER_AVGPOOL2D, source, object, path, input_shape, error);
}

static LsLayer *
read_flatten_layer (const char     *source,
                    JsonObject     *object,
                    const char     *path,
                    gsize           index,
                    const LsShape  *input_shape,
                    GError        **error)
{
  return ls_layer_new_flatten (input_shape);
}

/* ---------------------------------------------------------------------
 * Writing
 * --------------------------------------------------------------------- */

#define LAYER_INDENT 6

static void
append_pair (GString     *out,
             const char  *key,
             const gsize  pair[2])
{
  ls_document_begin_member (out, LAYER_INDENT, key);
  g_string_append_printf (out, "[%" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT "]", pair[0], pair[1]);
}

/* Writes the padding the way the document gave it: "same", "valid" or a
 * pair. */
static void
append_padding (GString        *out,
                const LsWindow *window)
{
  switch (window->padding_mode)
    {
    case LS_PADDING_SAME:
      ls_document_begin_member (out, LAYER_INDENT, "padding");
      ls_document_append_string (out, "same");
      break;

    case LS_PADDING_VALID:
      ls_document_begin_member (out, LAYER_INDENT, "padding");
      ls_document_append_string (out, "valid");
      break;

    case LS_PADDING_EXPLICIT:
    default:
      append_pair (out, "padding", window->padding);
      break;
    }
}

/* Appends "[[a, b], [c, d]]": one kernel, [kh][kw], on one line. */
static void
append_kernel (GString     *out,
               const float *kernel,
               gsize        kh,
               gsize        kw)
{
  g_string_append_c (out, '[');
  for (gsize r = 0; r < kh; r++)
    {
      if (r > 0)
        g_string_append (out, ", ");
      ls_document_append_float_array (out, kernel + r * kw, kw);
    }
  g_string_append_c (out, ']');
}

/* Appends the weights, [filters][channels][kh][kw], with each filter in
 * brackets of its own and each kernel on a line. */
static void
append_conv2d_weights (GString       *out,
                       const LsLayer *layer)
{
  gsize channels = layer->input_shape.dims[0];
  const int filter_indent = LAYER_INDENT + 2;
  const int kernel_indent = LAYER_INDENT + 4;

  g_string_append (out, "[\n");
  for (gsize f = 0; f < layer->units; f++)
    {
      g_string_append_printf (out, "%*s[\n", filter_indent, "");
      for (gsize c = 0; c < channels; c++)
        {
          g_string_append_printf (out, "%*s", kernel_indent, "");
          append_kernel (out, ls_layer_get_kernel (layer, f, c), layer->window.kernel[0],
                         layer->window.kernel[1]);
          g_string_append (out, c + 1 < channels ? ",\n" : "\n");
        }
      g_string_append_printf (out, "%*s]%s\n", filter_indent, "", f + 1 < layer->units ? "," : "");
    }
  g_string_append_printf (out, "%*s]", LAYER_INDENT, "");
}

static void
write_conv2d_layer (GString       *out,
                    const LsLayer *layer)
{
  ls_document_begin_member (out, LAYER_INDENT, "filters");
  g_string_append_printf (out, "%" G_GSIZE_FORMAT, layer->units);
  append_pair (out, "kernel", layer->window.kernel);
  append_pair (out, "stride", layer->window.stride);
  append_padding (out, &layer->window);
  ls_document_append_activation_init_labels (out, layer);

  ls_document_begin_member (out, LAYER_INDENT, "weights");
  append_conv2d_weights (out, layer);
  ls_document_begin_member (out, LAYER_INDENT, "bias");
  ls_document_append_float_array (out, layer->bias, layer->units);
}

static void
write_pool2d_layer (GString       *out,
                    const LsLayer *layer)
{
  append_pair (out, "size", layer->window.kernel);
  append_pair (out, "stride", layer->window.stride);
}

static void
write_flatten_layer (GString       *out,
                     const LsLayer *layer)
{
}

/* ---------------------------------------------------------------------
 * Layer kinds
 * --------------------------------------------------------------------- */

static const char * const conv2d_keys[] = {
  "filters", "kernel", "stride", "padding", "activation", "init", "labels", "weights", "bias", NULL
};
static const char * const pool2d_keys[] = { "size", "stride", NULL };
static const char * const flatten_keys[] = { NULL };

const LsLayerFormat ls_document_conv2d_format = { read_conv2d_layer, write_conv2d_layer, conv2d_keys };
const LsLayerFormat ls_document_maxpool2d_format = { read_maxpool2d_layer, write_pool2d_layer, pool2d_keys };
const LsLayerFormat ls_document_avgpool2d_format = { read_avgpool2d_layer, write_pool2d_layer, pool2d_keys };
const LsLayerFormat ls_document_flatten_format = { read_flatten_layer, write_flatten_layer, flatten_keys };
