/* ls-explain.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ls-explain.h"
#include "ls-explain-private.h"
#include "ls-number.h"

/* Formats a value as ls_format_value() does, but a NaN or an infinity
 * as "not a number", the words that the diagram shows, so that no
 * formula prints "nan" or "-nan". */
char *
ls_explain_format_value (double value)
{
  if (!isfinite (value))
    return g_strdup (_("not a number"));

  return ls_format_value (value);
}

/* Formats a probability as ls_format_percent() does, or "not a number". */
char *
ls_explain_format_percent (double probability)
{
  if (!isfinite (probability))
    return g_strdup (_("not a number"));

  return ls_format_percent (probability);
}

/* Formats an input value as the lesson writes it: "0.5", "0.8", "1",
 * with the locale's decimal separator. */
char *
ls_explain_format_input (double value)
{
  g_autofree char *digits = NULL;

  if (!isfinite (value))
    return g_strdup (_("not a number"));

  digits = ls_format_decimal ("%.3g", fabs (value));
  if (value < 0.0)
    return g_strconcat ("−", digits, NULL);

  return g_steal_pointer (&digits);
}

/* Formats the input of a product that follows a "+", in parentheses
 * when negative: "0.5×0.40 + (−2.25)×0.10". */
char *
ls_explain_format_later_input (double value)
{
  g_autofree char *text = ls_explain_format_input (value);

  if (value < 0.0 || !isfinite (value))
    return g_strdup_printf ("(%s)", text);

  return g_steal_pointer (&text);
}

/* A factor that is negative is put in parentheses: "0.8×(−0.20)". */
char *
ls_explain_format_factor (double value)
{
  g_autofree char *text = ls_explain_format_value (value);

  if (!isfinite (value) || (value < 0.0 && !g_str_equal (text, "0.00")))
    return g_strdup_printf ("(%s)", text);

  return g_steal_pointer (&text);
}

char *
ls_explain_shape (const LsShape *shape)
{
  GString *text;

  g_return_val_if_fail (shape != NULL && shape->rank > 0, NULL);

  text = g_string_new (NULL);
  for (guint i = 0; i < shape->rank; i++)
    g_string_append_printf (text, i == 0 ? "%zu" : " × %zu", shape->dims[i]);

  return g_string_free (text, FALSE);
}

/* The groups of layer kinds that untitled layers are numbered within:
 * both kinds of pooling count as "pool". */
typedef enum
{
  TITLE_GROUP_DENSE,
  TITLE_GROUP_CONV,
  TITLE_GROUP_POOL,
  TITLE_GROUP_FLATTEN,
  TITLE_GROUP_EMBEDDING,
  TITLE_GROUP_POSITIONS,
  TITLE_GROUP_ATTENTION,
  TITLE_GROUP_NORM,
  TITLE_GROUP_POOL_TOKENS,
} TitleGroup;

static TitleGroup
get_title_group (LsLayerKind kind)
{
  switch (kind)
    {
    case LS_LAYER_CONV2D:
      return TITLE_GROUP_CONV;

    case LS_LAYER_MAXPOOL2D:
    case LS_LAYER_AVGPOOL2D:
      return TITLE_GROUP_POOL;

    case LS_LAYER_FLATTEN:
      return TITLE_GROUP_FLATTEN;

    case LS_LAYER_EMBEDDING:
      return TITLE_GROUP_EMBEDDING;

    case LS_LAYER_POSITIONAL:
      return TITLE_GROUP_POSITIONS;

    case LS_LAYER_ATTENTION:
      return TITLE_GROUP_ATTENTION;

    case LS_LAYER_LAYERNORM:
      return TITLE_GROUP_NORM;

    case LS_LAYER_POOL_TOKENS:
      return TITLE_GROUP_POOL_TOKENS;

    case LS_LAYER_DENSE:
    case LS_N_LAYER_KINDS:
    default:
      return TITLE_GROUP_DENSE;
    }
}

/* Returns the title of the number-th untitled layer of a group other
 * than dense. Convolution and pooling layers are always numbered:
 * "conv 3", "pool 2". Attention and norm layers are numbered when the
 * network has several, so that one reads "attention" and two read
 * "attention 1" and "attention 2". The kinds that rarely repeat
 * (flatten, embedding, positions and token pooling) are numbered from
 * the second on: "flatten", then "flatten 2". */
static char *
dup_group_title (TitleGroup group,
                 gsize      number,
                 gboolean   several)
{
  switch (group)
    {
    case TITLE_GROUP_CONV:
      /* TRANSLATORS: the title of an untitled convolution layer, e.g. "conv 2" */
      return g_strdup_printf (_("conv %zu"), number);

    case TITLE_GROUP_POOL:
      /* TRANSLATORS: the title of an untitled pooling layer, e.g. "pool 2" */
      return g_strdup_printf (_("pool %zu"), number);

    case TITLE_GROUP_ATTENTION:
      if (number == 1 && !several)
        return g_strdup (_("attention"));
      /* TRANSLATORS: the title of an untitled self-attention layer when there are several, e.g. "attention 2" */
      return g_strdup_printf (_("attention %zu"), number);

    case TITLE_GROUP_NORM:
      if (number == 1 && !several)
        return g_strdup (_("norm"));
      /* TRANSLATORS: the title of an untitled layer normalisation layer when there are several, e.g. "norm 2" */
      return g_strdup_printf (_("norm %zu"), number);

    case TITLE_GROUP_FLATTEN:
      if (number == 1)
        return g_strdup (_("flatten"));
      /* TRANSLATORS: the title of the second or a later untitled flatten layer, e.g. "flatten 2" */
      return g_strdup_printf (_("flatten %zu"), number);

    case TITLE_GROUP_EMBEDDING:
      if (number == 1)
        return g_strdup (_("embedding"));
      /* TRANSLATORS: the title of the second or a later untitled embedding layer, e.g. "embedding 2" */
      return g_strdup_printf (_("embedding %zu"), number);

    case TITLE_GROUP_POSITIONS:
      if (number == 1)
        /* TRANSLATORS: the title of an untitled positional encoding layer */
        return g_strdup (_("positions"));
      /* TRANSLATORS: the title of the second or a later untitled positional encoding layer, e.g. "positions 2" */
      return g_strdup_printf (_("positions %zu"), number);

    case TITLE_GROUP_POOL_TOKENS:
      if (number == 1)
        /* TRANSLATORS: the title of an untitled layer that pools the tokens into one vector */
        return g_strdup (_("pool"));
      /* TRANSLATORS: the title of the second or a later untitled token pooling layer, e.g. "pool 2" */
      return g_strdup_printf (_("pool %zu"), number);

    case TITLE_GROUP_DENSE:
    default:
      g_assert_not_reached ();
    }
}

/* Returns how many layers of the network are in group. */
static gsize
count_group_layers (LsNetwork  *network,
                    TitleGroup  group)
{
  gsize count = 0;

  for (gsize i = 0; i < ls_network_get_n_layers (network); i++)
    if (get_title_group (ls_network_get_layer (network, i)->kind) == group)
      count++;

  return count;
}

/* Returns whether a layer of the network has title as its name. */
static gboolean
is_layer_name_taken (LsNetwork  *network,
                     const char *title)
{
  for (gsize i = 0; i < ls_network_get_n_layers (network); i++)
    if (g_strcmp0 (ls_network_get_layer (network, i)->name, title) == 0)
      return TRUE;

  return FALSE;
}

/* Returns the title of an untitled layer other than dense: its group's name and its position among the layers of that
 * group, counting titled ones. A number that a layer's name already
 * uses, as when a convolution is inserted before one named "conv 1", is
 * skipped, so that no two columns share a title. */
static char *
dup_numbered_title (LsNetwork *network,
                    gsize      index)
{
  TitleGroup group = get_title_group (ls_network_get_layer (network, index)->kind);
  gboolean several = count_group_layers (network, group) > 1;
  gsize position = 0;
  gsize number = 0;
  char *title = NULL;

  for (gsize i = 0; i <= index; i++)
    {
      const LsLayer *layer = ls_network_get_layer (network, i);

      if (get_title_group (layer->kind) != group)
        continue;

      position++;
      if (layer->name != NULL && layer->name[0] != '\0')
        continue;

      /* each untitled layer takes a larger number than the one before */
      number = MAX (position, number + 1);
      g_clear_pointer (&title, g_free);
      title = dup_group_title (group, number, several);
      while (is_layer_name_taken (network, title))
        {
          g_free (title);
          title = dup_group_title (group, ++number, several);
        }
    }

  return title;
}

char *
ls_explain_layer_title (LsNetwork *network,
                        gsize      index)
{
  gsize n_layers;
  const LsLayer *layer;

  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);

  n_layers = ls_network_get_n_layers (network);
  g_return_val_if_fail (index < n_layers, NULL);

  layer = ls_network_get_layer (network, index);
  if (layer->name != NULL && layer->name[0] != '\0')
    return g_strdup (layer->name);

  if (index + 1 == n_layers)
    return g_strdup (_("output"));

  if (layer->kind != LS_LAYER_DENSE)
    return dup_numbered_title (network, index);

  if (n_layers == 2)
    return g_strdup (_("hidden"));

  return g_strdup_printf (_("hidden %zu"), index + 1);
}

/* Returns name for a formula, in quotes when it contains characters such
 * as ">" that would make the formula misread: “x > 5” = Sigmoid(…). */
char *
ls_explain_quote_for_formula (char *name)
{
  for (const char *p = name; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr (" _,()", *p) == NULL && (guchar) *p < 0x80)
        {
          char *quoted = g_strdup_printf ("“%s”", name);

          g_free (name);
          return quoted;
        }
    }

  return name;
}

/* Names one value of an image-shaped tensor by its 1-based position:
 * "x(5,7)" for a one-channel input, "x2(5,7)" for channel 2 of a
 * larger one, "f1,3(5,7)" for map 3 of layer 1, or the map's label. */
static char *
dup_pixel_name (LsNetwork *network,
                gsize      column,
                gsize      unit)
{
  const LsShape *shape = ls_network_get_layer_input_shape (network, column);
  gsize height = shape->dims[1], width = shape->dims[2];
  gsize channel = unit / (height * width);
  gsize row = unit / width % height + 1;
  gsize x = unit % width + 1;
  const char *label = NULL;

  if (column == 0)
    {
      if (shape->dims[0] == 1)
        return g_strdup_printf ("x(%zu,%zu)", row, x);

      return g_strdup_printf ("x%zu(%zu,%zu)", channel + 1, row, x);
    }

  label = ls_layer_get_label (ls_network_get_layer (network, column - 1), channel);
  if (label != NULL && label[0] != '\0')
    return g_strdup_printf ("%s(%zu,%zu)", label, row, x);

  return g_strdup_printf ("f%zu,%zu(%zu,%zu)", column, channel + 1, row, x);
}

char *
ls_explain_neuron_name (LsNetwork *network,
                        gsize      column,
                        gsize      unit)
{
  gsize n_layers;
  const LsLayer *layer;
  const char *label;

  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);

  n_layers = ls_network_get_n_layers (network);
  g_return_val_if_fail (column <= n_layers, NULL);

  if (ls_network_get_layer_input_shape (network, column)->rank == 3)
    return dup_pixel_name (network, column, unit);

  if (ls_network_get_layer_input_shape (network, column)->rank == 2)
    return ls_explain_dup_sequence_name (network, column, unit);

  if (column == 0)
    {
      label = ls_network_get_input_label (network, unit);
      if (label != NULL && label[0] != '\0')
        return g_strdup (label);

      return g_strdup_printf ("x%" G_GSIZE_FORMAT, unit + 1);
    }

  layer = ls_network_get_layer (network, column - 1);
  label = ls_layer_get_label (layer, unit);
  if (label != NULL && label[0] != '\0')
    return g_strdup (label);

  if (column == n_layers)
    return g_strdup_printf ("y%" G_GSIZE_FORMAT, unit + 1);

  if (n_layers == 2)
    return g_strdup_printf ("h%" G_GSIZE_FORMAT, unit + 1);

  return g_strdup_printf ("h%" G_GSIZE_FORMAT ",%" G_GSIZE_FORMAT, column, unit + 1);
}

/* Appends "0.5×0.40 + 0.8×0.50 + … + 0.00", the weighted sum of a dense
 * neuron with its bias. */
void
ls_explain_append_weighted_sum (GString       *text,
                                const LsLayer *layer,
                                const float   *input,
                                gsize          unit)
{
  gsize inputs = ls_layer_get_inputs (layer);
  g_autofree char *bias = ls_explain_format_factor (layer->bias[unit]);

  for (gsize i = 0; i < inputs; i++)
    {
      g_autofree char *x = NULL;
      g_autofree char *w = NULL;

      if (inputs > LS_EXPLAIN_MAX_TERMS && i == LS_EXPLAIN_MAX_TERMS / 2)
        {
          g_string_append_printf (text, _("… %zu more terms … + "),
                                  inputs - LS_EXPLAIN_MAX_TERMS);
          i = inputs - LS_EXPLAIN_MAX_TERMS / 2 - 1;
          continue;
        }

      x = i == 0 ? ls_explain_format_input (input[i]) : ls_explain_format_later_input (input[i]);
      w = ls_explain_format_factor (ls_layer_get_weight (layer, i, unit));
      g_string_append_printf (text, "%s×%s + ", x, w);
    }

  g_string_append (text, bias);
}

/* Appends the softmax step: "Cat = e^1.48 / (e^1.48 + e^−0.03) = 0.82". */
static void
append_softmax (GString       *text,
                const LsLayer *layer,
                const char    *name,
                gsize          unit)
{
  gsize n = ls_layer_get_outputs (layer);
  g_autofree char *own = ls_explain_format_value (layer->pre_activation[unit]);
  g_autofree char *result = ls_explain_format_value (layer->activation_output[unit]);

  g_string_append_printf (text, "\n%s = e^%s / (", name, own);
  for (gsize j = 0; j < n; j++)
    {
      g_autofree char *z = ls_explain_format_value (layer->pre_activation[j]);

      if (n > LS_EXPLAIN_MAX_TERMS && j == LS_EXPLAIN_MAX_TERMS / 2)
        {
          g_string_append_printf (text, _("… %zu more … + "), n - LS_EXPLAIN_MAX_TERMS);
          j = n - LS_EXPLAIN_MAX_TERMS / 2 - 1;
          continue;
        }

      g_string_append_printf (text, j + 1 < n ? "e^%s + " : "e^%s", z);
    }
  g_string_append_printf (text, ") = %s", result);
}

/* Returns the tensor that layer index reads: the network's input or the
 * previous layer's activations. */
const float *
ls_explain_get_layer_input (LsNetwork *network,
                            gsize      index)
{
  if (index == 0)
    return ls_network_get_input (network);

  return ls_network_get_layer (network, index - 1)->activation_output;
}

static char *
explain_dense (LsNetwork     *network,
               const LsLayer *layer,
               gsize          column,
               const char    *name,
               gsize          unit)
{
  const float *input = ls_explain_get_layer_input (network, column - 1);
  GString *text = g_string_new (NULL);

  if (layer->activation == LS_ACTIVATION_SOFTMAX)
    {
      g_autofree char *z = ls_explain_format_value (layer->pre_activation[unit]);

      g_string_append_printf (text, "z(%s) = ", name);
      ls_explain_append_weighted_sum (text, layer, input, unit);
      g_string_append_printf (text, " = %s", z);
      append_softmax (text, layer, name, unit);
    }
  else
    {
      g_autofree char *value = ls_explain_format_value (layer->activation_output[unit]);

      g_string_append_printf (text, "%s = %s(", name, ls_activation_get_display_name (layer->activation));
      ls_explain_append_weighted_sum (text, layer, input, unit);
      g_string_append_printf (text, ") = %s", value);
    }

  return g_string_free (text, FALSE);
}

/* A position in a [C][H][W] tensor. */
typedef struct
{
  gsize channel;
  gsize row;
  gsize column;
} Position;

static void
split_index (const LsShape *shape,
             gsize          index,
             Position      *position)
{
  gsize height = shape->dims[1], width = shape->dims[2];

  position->channel = index / (height * width);
  position->row = index / width % height;
  position->column = index % width;
}

/* Returns the input value under kernel position (ky, kx) of the window of
 * output pixel `out`, or 0 where the window lies on the padding. */
static float
get_window_input (const LsLayer  *layer,
                  const float    *input,
                  gsize           channel,
                  const Position *out,
                  gsize           ky,
                  gsize           kx)
{
  const LsWindow *window = &layer->window;
  gsize height = layer->input_shape.dims[1], width = layer->input_shape.dims[2];
  gssize y = (gssize) (out->row * window->stride[0] + ky) - (gssize) window->padding[0];
  gssize x = (gssize) (out->column * window->stride[1] + kx) - (gssize) window->padding[1];

  if (y < 0 || x < 0 || y >= (gssize) height || x >= (gssize) width)
    return 0.0f;

  return input[(channel * height + (gsize) y) * width + (gsize) x];
}

/* Appends "0×0.10 + 0.5×0.40 + …" for one input channel of a conv2d
 * output pixel, one kernel row per line, each continued line starting
 * with indent and "+ ". */
static void
append_channel_terms (GString        *text,
                      const LsLayer  *layer,
                      const float    *input,
                      const Position *out,
                      gsize           channel,
                      const char     *indent)
{
  const float *kernel = ls_layer_get_kernel (layer, out->channel, channel);
  gsize kh = layer->window.kernel[0], kw = layer->window.kernel[1];

  for (gsize ky = 0; ky < kh; ky++)
    {
      if (ky > 0)
        g_string_append_printf (text, "\n%s+ ", indent);

      for (gsize kx = 0; kx < kw; kx++)
        {
          g_autofree char *x = ls_explain_format_input (get_window_input (layer, input, channel, out, ky, kx));
          g_autofree char *w = ls_explain_format_factor (kernel[ky * kw + kx]);

          g_string_append_printf (text, kx > 0 ? " + %s×%s" : "%s×%s", x, w);
        }
    }
}

/* Returns Σ input × weight over the window for one input channel. */
static double
get_channel_sum (const LsLayer  *layer,
                 const float    *input,
                 const Position *out,
                 gsize           channel)
{
  const float *kernel = ls_layer_get_kernel (layer, out->channel, channel);
  gsize kh = layer->window.kernel[0], kw = layer->window.kernel[1];
  double sum = 0.0;

  for (gsize ky = 0; ky < kh; ky++)
    for (gsize kx = 0; kx < kw; kx++)
      sum += (double) get_window_input (layer, input, channel, out, ky, kx) * kernel[ky * kw + kx];

  return sum;
}

/* A formula lists at most this many per-channel sums on lines of their
 * own, and the sum of all channels elides the rest. */
#define MAX_CHANNEL_LINES 16

/* The sum of the channels puts this many terms on a line. */
#define CHANNEL_SUMS_PER_LINE 4

/* Appends "z = 0.60 + 0.31 + … + 0.05 = 0.96": the channel sums, the
 * bias and the pre-activation that the forward pass computed, with
 * CHANNEL_SUMS_PER_LINE sums on a line. */
static void
append_channel_total (GString       *text,
                      const LsLayer *layer,
                      const double  *sums,
                      gsize          n_channels,
                      gsize          filter,
                      float          z)
{
  g_autofree char *bias = ls_explain_format_factor (layer->bias[filter]);
  g_autofree char *z_text = ls_explain_format_value (z);
  gsize on_line = 0;

  g_string_append (text, "z = ");
  for (gsize c = 0; c < n_channels; c++)
    {
      g_autofree char *sum = NULL;

      if (n_channels > LS_EXPLAIN_MAX_TERMS && c == LS_EXPLAIN_MAX_TERMS / 2)
        {
          g_string_append_printf (text, _("… %zu more channels … + "), n_channels - LS_EXPLAIN_MAX_TERMS);
          c = n_channels - LS_EXPLAIN_MAX_TERMS / 2 - 1;
          continue;
        }

      /* Each line but the last ends before a "+", which starts the next. */
      if (on_line == CHANNEL_SUMS_PER_LINE)
        {
          g_string_truncate (text, text->len - strlen (" + "));
          g_string_append (text, "\n  + ");
          on_line = 0;
        }
      on_line++;

      sum = ls_explain_format_factor (sums[c]);
      g_string_append_printf (text, "%s + ", sum);
    }
  g_string_append_printf (text, "%s = %s", bias, z_text);
}

/* Appends one line per input channel, the first with its products in
 * full and the others with their sum only, then the total with the bias. */
static void
append_channel_lines (GString        *text,
                      const LsLayer  *layer,
                      const float    *input,
                      const Position *out,
                      float           z)
{
  gsize n_channels = layer->input_shape.dims[0];
  g_autofree double *sums = g_new (double, n_channels);  /* [channels] */

  for (gsize c = 0; c < n_channels; c++)
    {
      /* TRANSLATORS: the start of one input channel's part of a convolution, "channel 2: " */
      g_autofree char *lead = g_strdup_printf (_("channel %zu: "), c + 1);
      g_autofree char *sum = NULL;

      sums[c] = get_channel_sum (layer, input, out, c);
      if (c >= MAX_CHANNEL_LINES)
        continue;

      sum = ls_explain_format_value (sums[c]);
      g_string_append (text, lead);
      if (c == 0)
        {
          g_autofree char *indent = g_strnfill (g_utf8_strlen (lead, -1) - 2, ' ');

          append_channel_terms (text, layer, input, out, 0, indent);
        }
      else
        {
          g_string_append (text, "Σ");
        }
      g_string_append_printf (text, " = %s\n", sum);
    }

  if (n_channels > MAX_CHANNEL_LINES)
    g_string_append_printf (text, _("channels %zu to %zu: in the sum below\n"),
                            (gsize) MAX_CHANNEL_LINES + 1, n_channels);
  append_channel_total (text, layer, sums, n_channels, out->channel, z);
}

/* Explains one output pixel of a conv2d layer: z = Σ over the input
 * channels and the kernel window of input × weight, with 0 for padding,
 * plus the bias, then the activation. With one input channel the products
 * are written out in full, and append_channel_lines() lays out more. */
static char *
explain_conv2d (LsNetwork     *network,
                const LsLayer *layer,
                gsize          column,
                const char    *name,
                gsize          unit)
{
  const float *input = ls_explain_get_layer_input (network, column - 1);
  g_autofree char *z = ls_explain_format_value (layer->pre_activation[unit]);
  g_autofree char *value = ls_explain_format_value (layer->activation_output[unit]);
  GString *text = g_string_new (NULL);
  Position out;

  split_index (&layer->output_shape, unit, &out);
  if (layer->input_shape.dims[0] == 1)
    {
      g_autofree char *bias = ls_explain_format_factor (layer->bias[out.channel]);

      g_string_append (text, "z = ");
      append_channel_terms (text, layer, input, &out, 0, "  ");
      g_string_append_printf (text, "\n  + %s = %s", bias, z);
    }
  else
    {
      append_channel_lines (text, layer, input, &out, layer->pre_activation[unit]);
    }

  g_string_append_printf (text, "\n%s = %s(%s) = %s", name,
                          ls_activation_get_display_name (layer->activation), z, value);

  return g_string_free (text, FALSE);
}

/* A pooling formula puts each window row on a line of its own when the
 * window has more values than this. */
#define MAX_POOL_VALUES_ON_ONE_LINE 9

/* Explains one output pixel of a pooling layer: the values of its window,
 * in the same channel, and their maximum or mean. */
static char *
explain_pool2d (LsNetwork     *network,
                const LsLayer *layer,
                gsize          column,
                const char    *name,
                gsize          unit)
{
  const float *input = ls_explain_get_layer_input (network, column - 1);
  gsize kh = layer->window.kernel[0], kw = layer->window.kernel[1];
  gboolean one_line = kh * kw <= MAX_POOL_VALUES_ON_ONE_LINE;
  gboolean max = layer->kind == LS_LAYER_MAXPOOL2D;
  g_autofree char *value = ls_explain_format_value (layer->activation_output[unit]);
  g_autofree char *indent = NULL;
  GString *text = g_string_new (NULL);
  double sum = 0.0;
  Position out;

  split_index (&layer->output_shape, unit, &out);
  g_string_append_printf (text, "%s = %s(", name, max ? "max" : "mean");
  indent = g_strnfill (g_utf8_strlen (text->str, -1), ' ');
  for (gsize ky = 0; ky < kh; ky++)
    for (gsize kx = 0; kx < kw; kx++)
      {
        float x = get_window_input (layer, input, out.channel, &out, ky, kx);
        g_autofree char *x_text = ls_explain_format_value (x);

        if (kx == 0 && ky > 0)
          g_string_append_printf (text, one_line ? ", " : ",\n%s", indent);
        else if (kx > 0)
          g_string_append (text, ", ");
        g_string_append (text, x_text);
        sum += x;
      }

  if (max)
    {
      g_string_append_printf (text, ") = %s", value);
    }
  else
    {
      g_autofree char *sum_text = ls_explain_format_value (sum);

      g_string_append_printf (text, ") = %s / %zu = %s", sum_text, kh * kw, value);
    }

  return g_string_free (text, FALSE);
}

/* Explains one value of a flatten layer, which copies an input value. */
static char *
explain_flatten (LsNetwork     *network,
                 const LsLayer *layer,
                 gsize          column,
                 const char    *name,
                 gsize          unit)
{
  g_autofree char *source = ls_explain_quote_for_formula (ls_explain_neuron_name (network, column - 1, unit));
  g_autofree char *value = ls_explain_format_value (layer->activation_output[unit]);

  /* TRANSLATORS: "h3,21 = f2,1(3,5) = 0.50 (flatten copies the value)" */
  return g_strdup_printf (_("%s = %s = %s (flatten copies the value)"), name, source, value);
}

/* Returns the formula of a value of layer column − 1, by layer kind. */
static char *
explain_layer_value (LsNetwork  *network,
                     gsize       column,
                     const char *name,
                     gsize       unit)
{
  const LsLayer *layer = ls_network_get_layer (network, column - 1);

  switch (layer->kind)
    {
    case LS_LAYER_DENSE:
      if (layer->input_shape.rank == 2)
        return ls_explain_dense_token (network, layer, column, name, unit);
      return explain_dense (network, layer, column, name, unit);

    case LS_LAYER_CONV2D:
      return explain_conv2d (network, layer, column, name, unit);

    case LS_LAYER_MAXPOOL2D:
    case LS_LAYER_AVGPOOL2D:
      return explain_pool2d (network, layer, column, name, unit);

    case LS_LAYER_FLATTEN:
      return explain_flatten (network, layer, column, name, unit);

    case LS_LAYER_EMBEDDING:
      return ls_explain_embedding (network, layer, column, name, unit);

    case LS_LAYER_POSITIONAL:
      return ls_explain_positional (network, layer, column, name, unit);

    case LS_LAYER_ATTENTION:
      return ls_explain_attention_value (network, layer, column, name, unit);

    case LS_LAYER_LAYERNORM:
      return ls_explain_layernorm (network, layer, column, name, unit);

    case LS_LAYER_POOL_TOKENS:
      return ls_explain_pool_tokens (network, layer, column, name, unit);

    case LS_N_LAYER_KINDS:
    default:
      g_assert_not_reached ();
    }
}

/* Appends, when the formula shows a value that is not a number, which
 * layer first computed a value beyond the float range, in the words of
 * the window's overflow message. */
void
ls_explain_append_non_finite_note (GString   *text,
                                   LsNetwork *network)
{
  g_autofree char *title = NULL;
  gsize index;

  if (strstr (text->str, _("not a number")) == NULL || !ls_network_find_non_finite (network, &index))
    return;

  title = ls_explain_layer_title (network, index);
  /* TRANSLATORS: after a formula that shows "not a number"; "Layer 3 (attention) is the first …" */
  g_string_append_printf (text, _("\nLayer %zu (%s) is the first to compute a value beyond the float range "
                                  "(about ±3.4e38), so this value and those computed from it are not "
                                  "numbers. Use smaller inputs or weights."),
                          index + 1, title);
}

char *
ls_explain_neuron (LsNetwork *network,
                   gsize      column,
                   gsize      unit)
{
  g_autofree char *name = NULL;
  g_autofree char *formula = NULL;
  GString *text;

  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);
  g_return_val_if_fail (column <= ls_network_get_n_layers (network), NULL);

  name = ls_explain_quote_for_formula (ls_explain_neuron_name (network, column, unit));
  if (column == 0 && ls_network_has_token_input (network))
    {
      g_return_val_if_fail (unit < ls_network_get_n_tokens (network), NULL);
      return ls_explain_token_input (network, unit);
    }

  if (column == 0)
    {
      g_autofree char *value = NULL;

      g_return_val_if_fail (unit < ls_network_get_input_size (network), NULL);
      value = ls_explain_format_value (ls_network_get_input (network)[unit]);
      return g_strdup_printf (_("%s = %s (an input value: it is not computed)"), name, value);
    }

  g_return_val_if_fail (unit < ls_layer_get_outputs (ls_network_get_layer (network, column - 1)), NULL);

  formula = explain_layer_value (network, column, name, unit);
  text = g_string_new (formula);
  ls_explain_append_non_finite_note (text, network);

  return g_string_free (text, FALSE);
}
