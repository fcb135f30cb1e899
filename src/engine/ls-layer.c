/* ls-layer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ls-layer-private.h"

typedef struct
{
  const char *name;
  const char *display_name;  /* marked with N_() and translated on use */
} LayerKindInfo;

static const LayerKindInfo layer_kind_info[] = {
  [LS_LAYER_DENSE] = { "dense", N_("Dense") },
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

/* Creates a dense layer with weights drawn from init and zero biases. */
LsLayer *
ls_layer_new_dense (gsize         inputs,
                    gsize         units,
                    LsActivation  activation,
                    const LsInit *init)
{
  LsLayer *layer;

  g_return_val_if_fail (inputs > 0 && units > 0, NULL);
  g_return_val_if_fail (activation < LS_N_ACTIVATIONS, NULL);
  g_return_val_if_fail (init != NULL, NULL);

  layer = g_new0 (LsLayer, 1);
  layer->kind = LS_LAYER_DENSE;
  layer->activation = activation;
  layer->init = *init;
  ls_shape_init_1d (&layer->input_shape, inputs);
  ls_shape_init_1d (&layer->output_shape, units);
  layer->units = units;
  layer->weights = g_new (float, inputs * units);
  layer->bias = g_new0 (float, units);
  ls_init_fill_weights (init, layer->weights, inputs, units);
  ls_layer_allocate_state (layer);

  return layer;
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
  copy->weights = g_memdup2 (layer->weights, ls_layer_get_inputs (layer) * layer->units * sizeof (float));
  copy->bias = g_memdup2 (layer->bias, layer->units * sizeof (float));
  copy->pre_activation = g_memdup2 (layer->pre_activation, n_outputs * sizeof (float));
  copy->activation_output = g_memdup2 (layer->activation_output, n_outputs * sizeof (float));

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
  g_free (layer);
}

gsize
ls_layer_get_inputs (const LsLayer *layer)
{
  g_return_val_if_fail (layer != NULL, 0);

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

  switch (layer->kind)
    {
    case LS_LAYER_DENSE:
      count->weights = ls_layer_get_inputs (layer) * layer->units;
      count->biases = layer->units;
      break;

    case LS_N_LAYER_KINDS:
    default:
      g_assert_not_reached ();
    }

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

/* Resizes a dense layer to [inputs][units]. Weights and biases whose
 * position still exists keep their values. A new weight gets the value
 * that a fresh matrix drawn from the layer's init has at its position,
 * and a new bias is zero. Labels past the new unit count are dropped. */
void
ls_layer_resize_dense (LsLayer *layer,
                       gsize    inputs,
                       gsize    units)
{
  gsize old_inputs = ls_layer_get_inputs (layer);
  gsize old_units = layer->units;
  float *weights;  /* [inputs][units] */
  float *bias;     /* [units] */

  g_assert (layer->kind == LS_LAYER_DENSE);
  g_assert (inputs > 0 && units > 0);

  weights = g_new (float, inputs * units);
  ls_init_fill_weights (&layer->init, weights, inputs, units);
  for (gsize i = 0; i < MIN (inputs, old_inputs); i++)
    memcpy (weights + i * units,
            layer->weights + i * old_units,
            MIN (units, old_units) * sizeof (float));

  bias = g_new0 (float, units);
  memcpy (bias, layer->bias, MIN (units, old_units) * sizeof (float));

  if (layer->labels != NULL && g_strv_length (layer->labels) > units)
    {
      g_free (layer->labels[units]);
      for (gsize i = units + 1; layer->labels[i] != NULL; i++)
        g_free (layer->labels[i]);
      layer->labels[units] = NULL;
    }

  g_free (layer->weights);
  g_free (layer->bias);
  layer->weights = weights;
  layer->bias = bias;
  layer->units = units;
  ls_shape_init_1d (&layer->input_shape, inputs);
  ls_shape_init_1d (&layer->output_shape, units);
  ls_layer_allocate_state (layer);
}

/* (Re)allocates the forward-state buffers to the output size, zeroed. */
void
ls_layer_allocate_state (LsLayer *layer)
{
  gsize n = ls_layer_get_outputs (layer);

  g_free (layer->pre_activation);
  g_free (layer->activation_output);
  layer->pre_activation = g_new0 (float, n);
  layer->activation_output = g_new0 (float, n);
}

/* Units per block of the dense kernel's inner loop: 8 floats are two SSE
 * registers or one AVX register. Blocks of 4, 16 and 32 were slower on the
 * 784-128-64-10 network (GCC 12 -O2 on x86-64, see docs/PERFORMANCE.md). */
#define DENSE_BLOCK 8

/* Dense kernel: output[j] = bias[j] + Σ_i input[i]·weights[i][j].
 * The loop runs over rows of W so that the inner loop reads memory
 * contiguously. At -O2, GCC 12's very-cheap cost model vectorises only
 * loops that need no runtime alias check and no scalar remainder. Hence
 * the restrict pointers and the inner loop of fixed length DENSE_BLOCK,
 * after which the units past the last full block run one by one. Each
 * output still sums its terms in input order. */
static void
dense_forward (float       *restrict output,   /* [units] */
               const float *restrict input,    /* [inputs] */
               const float *restrict weights,  /* [inputs][units] */
               const float *restrict bias,     /* [units] */
               gsize                 inputs,
               gsize                 units)
{
  memcpy (output, bias, units * sizeof (float));

  for (gsize i = 0; i < inputs; i++)
    {
      const float x = input[i];
      const float *row = weights + i * units;
      gsize j;

      if (x == 0.0f)
        continue;

      for (j = 0; j + DENSE_BLOCK <= units; j += DENSE_BLOCK)
        for (gsize k = 0; k < DENSE_BLOCK; k++)
          output[j + k] += x * row[j + k];

      for (; j < units; j++)
        output[j] += x * row[j];
    }
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
      dense_forward (layer->pre_activation, input, layer->weights, layer->bias,
                     ls_layer_get_inputs (layer), layer->units);
      break;

    case LS_N_LAYER_KINDS:
    default:
      g_assert_not_reached ();
    }

  ls_activation_apply (layer->activation, layer->activation_output, layer->pre_activation, n_outputs);
}
