/* ls-network.c
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
#include "ls-network.h"

struct _LsNetwork
{
  GObject parent_instance;

  char *title;
  char *description;

  LsShape input_shape;
  float *input;        /* [input size] */
  GStrv input_labels;  /* nullable, [input size] */

  GPtrArray *layers;   /* of LsLayer, in forward order */

  /* Seed for the next layer that an edit creates; larger than every seed
   * in use, so that a new layer never repeats another's weights. */
  guint64 next_seed;
};

G_DEFINE_FINAL_TYPE (LsNetwork, ls_network, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_DESCRIPTION,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
ls_network_finalize (GObject *object)
{
  LsNetwork *self = (LsNetwork *) object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->input, g_free);
  g_clear_pointer (&self->input_labels, g_strfreev);
  g_clear_pointer (&self->layers, g_ptr_array_unref);

  G_OBJECT_CLASS (ls_network_parent_class)->finalize (object);
}

static void
ls_network_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  LsNetwork *self = LS_NETWORK (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_network_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  LsNetwork *self = LS_NETWORK (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      ls_network_set_title (self, g_value_get_string (value));
      break;

    case PROP_DESCRIPTION:
      ls_network_set_description (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_network_class_init (LsNetworkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ls_network_finalize;
  object_class->get_property = ls_network_get_property;
  object_class->set_property = ls_network_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LsNetwork::changed:
   * @change: the #LsChange flags of the edit
   *
   * Emitted after every edit, once the forward pass has been rerun, so a
   * handler reads activations that match the new parameters.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
ls_network_init (LsNetwork *self)
{
  self->layers = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_layer_free);
  self->next_seed = 1;
}

/* Creates a network with a vector input of the given size, all zeros,
 * and no layers. */
LsNetwork *
ls_network_new (gsize inputs)
{
  LsNetwork *self;

  g_return_val_if_fail (inputs > 0 && inputs <= LS_MAX_TENSOR_SIZE, NULL);

  self = g_object_new (LS_TYPE_NETWORK, NULL);
  ls_shape_init_1d (&self->input_shape, inputs);
  self->input = g_new0 (float, inputs);

  return self;
}

/* Replaces *str with a copy of new_str; returns whether it differed.
 * g_set_str() does this from GLib 2.76 on. */
static gboolean
replace_string (char       **str,
                const char  *new_str)
{
  if (g_strcmp0 (*str, new_str) == 0)
    return FALSE;

  g_free (*str);
  *str = g_strdup (new_str);

  return TRUE;
}

static void
emit_changed (LsNetwork *self,
              LsChange   change)
{
  if (change & (LS_CHANGE_VALUES | LS_CHANGE_STRUCTURE))
    ls_network_forward (self);

  g_signal_emit (self, signals[CHANGED], 0, (guint) change);
}

const char *
ls_network_get_title (LsNetwork *self)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);

  return self->title;
}

void
ls_network_set_title (LsNetwork  *self,
                      const char *title)
{
  g_return_if_fail (LS_IS_NETWORK (self));

  if (replace_string (&self->title, title))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
      emit_changed (self, LS_CHANGE_METADATA);
    }
}

const char *
ls_network_get_description (LsNetwork *self)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);

  return self->description;
}

void
ls_network_set_description (LsNetwork  *self,
                            const char *description)
{
  g_return_if_fail (LS_IS_NETWORK (self));

  if (replace_string (&self->description, description))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
      emit_changed (self, LS_CHANGE_METADATA);
    }
}

const LsShape *
ls_network_get_input_shape (LsNetwork *self)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);

  return &self->input_shape;
}

gsize
ls_network_get_input_size (LsNetwork *self)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), 0);

  return ls_shape_get_size (&self->input_shape);
}

const float *
ls_network_get_input (LsNetwork *self)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);

  return self->input;
}

/* Returns the label of an input, or NULL when it has none. */
const char *
ls_network_get_input_label (LsNetwork *self,
                            gsize      index)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);

  if (self->input_labels == NULL || index >= g_strv_length (self->input_labels))
    return NULL;

  return self->input_labels[index];
}

void
ls_network_set_input_labels (LsNetwork          *self,
                             const char * const *labels)
{
  g_return_if_fail (LS_IS_NETWORK (self));

  g_strfreev (self->input_labels);
  self->input_labels = g_strdupv ((char **) labels);
  emit_changed (self, LS_CHANGE_METADATA);
}

static gboolean
check_finite (float        value,
              const char  *what,
              GError     **error)
{
  if (isfinite (value))
    return TRUE;

  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_VALUE,
               _("%s must be a finite number, not %g"), what, (double) value);
  return FALSE;
}

/* Replaces every input value. Nothing changes unless all n_values are
 * finite and n_values is the input size. */
gboolean
ls_network_set_input (LsNetwork    *self,
                      const float  *values,
                      gsize         n_values,
                      GError      **error)
{
  gsize size;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (values != NULL || n_values == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  size = ls_network_get_input_size (self);
  if (n_values != size)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The network takes %zu input values, but %zu were given"),
                   size, n_values);
      return FALSE;
    }

  for (gsize i = 0; i < n_values; i++)
    if (!check_finite (values[i], _("An input value"), error))
      return FALSE;

  memcpy (self->input, values, size * sizeof (float));
  emit_changed (self, LS_CHANGE_VALUES);

  return TRUE;
}

gboolean
ls_network_set_input_value (LsNetwork  *self,
                            gsize       index,
                            float       value,
                            GError    **error)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index < ls_network_get_input_size (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_finite (value, _("An input value"), error))
    return FALSE;

  if (self->input[index] == value)
    return TRUE;

  self->input[index] = value;
  emit_changed (self, LS_CHANGE_VALUES);

  return TRUE;
}

gsize
ls_network_get_n_layers (LsNetwork *self)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), 0);

  return self->layers->len;
}

const LsLayer *
ls_network_get_layer (LsNetwork *self,
                      gsize      index)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);
  g_return_val_if_fail (index < self->layers->len, NULL);

  return g_ptr_array_index (self->layers, index);
}

/* Returns the last layer, or NULL while the network has none. */
const LsLayer *
ls_network_get_output_layer (LsNetwork *self)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);

  if (self->layers->len == 0)
    return NULL;

  return g_ptr_array_index (self->layers, self->layers->len - 1);
}

/* Returns the number of values that layer index receives. */
static gsize
get_layer_input_size (LsNetwork *self,
                      gsize      index)
{
  if (index == 0)
    return ls_network_get_input_size (self);

  return ls_layer_get_outputs (g_ptr_array_index (self->layers, index - 1));
}

static gboolean
check_dense_size (gsize        inputs,
                  gsize        units,
                  GError     **error)
{
  if (units == 0 || units > LS_MAX_TENSOR_SIZE)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("A dense layer needs between 1 and %u units, not %zu"),
                   LS_MAX_TENSOR_SIZE, units);
      return FALSE;
    }

  if (inputs > (LS_MAX_LAYER_PARAMETERS - units) / units)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("A dense layer of %zu inputs and %zu units "
                     "has more than the maximum of %u parameters"),
                   inputs, units, LS_MAX_LAYER_PARAMETERS);
      return FALSE;
    }

  return TRUE;
}

static gsize
get_dense_parameters (gsize inputs,
                      gsize units)
{
  return inputs * units + units;
}

/* Checks that the network stays within LS_MAX_NETWORK_PARAMETERS when an
 * edit takes removed parameters away and adds added ones. Both counts
 * are already within the per-layer limit, so the sums cannot overflow. */
static gboolean
check_network_parameters (LsNetwork  *self,
                          gsize       removed,
                          gsize       added,
                          GError    **error)
{
  LsParameterCount count;
  gsize total;

  ls_network_get_parameter_count (self, &count);
  total = count.total - removed + added;
  if (total <= LS_MAX_NETWORK_PARAMETERS)
    return TRUE;

  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
               _("The network would have %zu parameters, more than the maximum of %u"),
               total, LS_MAX_NETWORK_PARAMETERS);
  return FALSE;
}

static gsize
get_layer_parameters_of (const LsLayer *layer)
{
  LsParameterCount count;

  ls_layer_get_parameter_count (layer, &count);

  return count.total;
}

/* Returns the parameters of the layer at index, or 0 past the last layer. */
static gsize
get_layer_parameters (LsNetwork *self,
                      gsize      index)
{
  if (index >= self->layers->len)
    return 0;

  return get_layer_parameters_of (g_ptr_array_index (self->layers, index));
}

/* Returns the parameters that the layer at index would have with inputs
 * inputs, or 0 past the last layer. */
static gsize
get_refitted_parameters (LsNetwork *self,
                         gsize      index,
                         gsize      inputs)
{
  const LsLayer *layer;

  if (index >= self->layers->len)
    return 0;

  layer = g_ptr_array_index (self->layers, index);

  return get_dense_parameters (inputs, layer->units);
}

static gboolean
check_layer_count (LsNetwork  *self,
                   GError    **error)
{
  if (self->layers->len < LS_MAX_LAYERS)
    return TRUE;

  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
               _("A network can have at most %d layers"), LS_MAX_LAYERS);
  return FALSE;
}

/* Appends a layer, taking ownership of it, whether or not this fails.
 * Its input size must match the current output size. */
gboolean
ls_network_append_layer (LsNetwork  *self,
                         LsLayer    *layer,
                         GError    **error)
{
  g_autoptr(LsLayer) owned = layer;
  gsize expected;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (layer != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_layer_count (self, error))
    return FALSE;

  expected = get_layer_input_size (self, self->layers->len);
  if (ls_layer_get_inputs (layer) != expected)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("Layer %u takes %zu inputs, but the layer before it gives %zu"),
                   self->layers->len + 1, ls_layer_get_inputs (layer), expected);
      return FALSE;
    }

  if (!check_network_parameters (self, 0, get_layer_parameters_of (layer), error))
    return FALSE;

  self->next_seed = MAX (self->next_seed, layer->init.seed + 1);
  g_ptr_array_add (self->layers, g_steal_pointer (&owned));
  emit_changed (self, LS_CHANGE_STRUCTURE);

  return TRUE;
}

/* Makes the layer after a changed one take new_inputs inputs, keeping the
 * weights whose rows still exist. */
static void
refit_next_layer (LsNetwork *self,
                  gsize      index,
                  gsize      new_inputs)
{
  LsLayer *next;

  if (index >= self->layers->len)
    return;

  next = g_ptr_array_index (self->layers, index);
  if (ls_layer_get_inputs (next) != new_inputs)
    ls_layer_resize_dense (next, new_inputs, next->units);
}

/* Inserts a dense layer at index (0 is the first layer; the layer count
 * appends). Its weights come from a fresh seed with the scaling that
 * suits its activation; the next layer keeps the weights that still fit. */
gboolean
ls_network_insert_dense (LsNetwork     *self,
                         gsize          index,
                         gsize          units,
                         LsActivation   activation,
                         GError       **error)
{
  gsize inputs;
  LsInit init;
  LsLayer *layer;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index <= self->layers->len, FALSE);
  g_return_val_if_fail (activation < LS_N_ACTIVATIONS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  inputs = get_layer_input_size (self, index);
  if (!check_layer_count (self, error) ||
      !check_dense_size (inputs, units, error))
    return FALSE;

  if (index < self->layers->len)
    {
      const LsLayer *next = g_ptr_array_index (self->layers, index);

      if (!check_dense_size (units, next->units, error))
        return FALSE;
    }

  if (!check_network_parameters (self, get_layer_parameters (self, index),
                                 get_dense_parameters (inputs, units) +
                                 get_refitted_parameters (self, index, units),
                                 error))
    return FALSE;

  init.scheme = ls_activation_prefers_he_init (activation) ? LS_INIT_HE : LS_INIT_XAVIER;
  init.seed = self->next_seed++;
  layer = ls_layer_new_dense (inputs, units, activation, &init);
  g_ptr_array_insert (self->layers, index, layer);
  refit_next_layer (self, index + 1, units);
  emit_changed (self, LS_CHANGE_STRUCTURE);

  return TRUE;
}

/* Removes a layer. The last remaining layer cannot be removed. */
gboolean
ls_network_remove_layer (LsNetwork  *self,
                         gsize       index,
                         GError    **error)
{
  gsize inputs;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index < self->layers->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->layers->len == 1)
    {
      g_set_error_literal (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                           _("A network needs at least one layer, so its only layer cannot be removed"));
      return FALSE;
    }

  inputs = get_layer_input_size (self, index);
  if (index + 1 < self->layers->len)
    {
      const LsLayer *next = g_ptr_array_index (self->layers, index + 1);

      if (!check_dense_size (inputs, next->units, error))
        return FALSE;
    }

  if (!check_network_parameters (self,
                                 get_layer_parameters (self, index) + get_layer_parameters (self, index + 1),
                                 get_refitted_parameters (self, index + 1, inputs),
                                 error))
    return FALSE;

  g_ptr_array_remove_index (self->layers, index);
  refit_next_layer (self, index, inputs);
  emit_changed (self, LS_CHANGE_STRUCTURE);

  return TRUE;
}

/* Changes the unit count of a dense layer, keeping the weights of this and
 * the next layer that still fit. Output labels past the new count go. */
gboolean
ls_network_set_units (LsNetwork  *self,
                      gsize       index,
                      gsize       units,
                      GError    **error)
{
  LsLayer *layer;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index < self->layers->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = g_ptr_array_index (self->layers, index);
  if (layer->units == units)
    return TRUE;

  if (!check_dense_size (ls_layer_get_inputs (layer), units, error))
    return FALSE;

  if (index + 1 < self->layers->len)
    {
      const LsLayer *next = g_ptr_array_index (self->layers, index + 1);

      if (!check_dense_size (units, next->units, error))
        return FALSE;
    }

  if (!check_network_parameters (self,
                                 get_layer_parameters (self, index) + get_layer_parameters (self, index + 1),
                                 get_dense_parameters (ls_layer_get_inputs (layer), units) +
                                 get_refitted_parameters (self, index + 1, units),
                                 error))
    return FALSE;

  ls_layer_resize_dense (layer, ls_layer_get_inputs (layer), units);
  refit_next_layer (self, index + 1, units);
  emit_changed (self, LS_CHANGE_STRUCTURE);

  return TRUE;
}

void
ls_network_set_activation (LsNetwork    *self,
                           gsize         index,
                           LsActivation  activation)
{
  LsLayer *layer;

  g_return_if_fail (LS_IS_NETWORK (self));
  g_return_if_fail (index < self->layers->len);
  g_return_if_fail (activation < LS_N_ACTIVATIONS);

  layer = g_ptr_array_index (self->layers, index);
  if (layer->activation == activation)
    return;

  layer->activation = activation;
  emit_changed (self, LS_CHANGE_STRUCTURE);
}

void
ls_network_set_layer_name (LsNetwork  *self,
                           gsize       index,
                           const char *name)
{
  LsLayer *layer;

  g_return_if_fail (LS_IS_NETWORK (self));
  g_return_if_fail (index < self->layers->len);

  layer = g_ptr_array_index (self->layers, index);
  if (replace_string (&layer->name, name))
    emit_changed (self, LS_CHANGE_METADATA);
}

/* Sets the output labels of a layer. labels may be NULL or shorter than
 * the unit count, and views show units without a label by number. */
void
ls_network_set_layer_labels (LsNetwork          *self,
                             gsize               index,
                             const char * const *labels)
{
  LsLayer *layer;

  g_return_if_fail (LS_IS_NETWORK (self));
  g_return_if_fail (index < self->layers->len);

  layer = g_ptr_array_index (self->layers, index);
  g_strfreev (layer->labels);
  layer->labels = g_strdupv ((char **) labels);
  emit_changed (self, LS_CHANGE_METADATA);
}

gboolean
ls_network_set_weight (LsNetwork  *self,
                       gsize       index,
                       gsize       input,
                       gsize       unit,
                       float       value,
                       GError    **error)
{
  LsLayer *layer;
  float *weight;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index < self->layers->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = g_ptr_array_index (self->layers, index);
  g_return_val_if_fail (input < ls_layer_get_inputs (layer), FALSE);
  g_return_val_if_fail (unit < layer->units, FALSE);

  if (!check_finite (value, _("A weight"), error))
    return FALSE;

  weight = &layer->weights[input * layer->units + unit];
  if (*weight == value)
    return TRUE;

  *weight = value;
  emit_changed (self, LS_CHANGE_VALUES);

  return TRUE;
}

gboolean
ls_network_set_bias (LsNetwork  *self,
                     gsize       index,
                     gsize       unit,
                     float       value,
                     GError    **error)
{
  LsLayer *layer;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index < self->layers->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = g_ptr_array_index (self->layers, index);
  g_return_val_if_fail (unit < layer->units, FALSE);

  if (!check_finite (value, _("A bias"), error))
    return FALSE;

  if (layer->bias[unit] == value)
    return TRUE;

  layer->bias[unit] = value;
  emit_changed (self, LS_CHANGE_VALUES);

  return TRUE;
}

/* Runs every layer on the current input, keeping each layer's
 * pre-activation and activation. Allocates nothing: the buffers are sized
 * when the structure changes. */
void
ls_network_forward (LsNetwork *self)
{
  const float *input;

  g_return_if_fail (LS_IS_NETWORK (self));

  input = self->input;
  for (guint i = 0; i < self->layers->len; i++)
    {
      LsLayer *layer = g_ptr_array_index (self->layers, i);

      ls_layer_forward (layer, input);
      input = layer->activation_output;
    }
}

/* Finds the first layer whose forward pass gave a NaN or an infinity,
 * which finite inputs and weights can still cause when a weighted sum
 * exceeds the float range (about 3.4e38). Returns FALSE when every value
 * is finite. */
gboolean
ls_network_find_non_finite (LsNetwork *self,
                            gsize     *index)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);

  for (guint i = 0; i < self->layers->len; i++)
    {
      const LsLayer *layer = g_ptr_array_index (self->layers, i);
      gsize n = ls_layer_get_outputs (layer);

      for (gsize j = 0; j < n; j++)
        {
          if (!isfinite (layer->pre_activation[j]) || !isfinite (layer->activation_output[j]))
            {
              if (index != NULL)
                *index = i;
              return TRUE;
            }
        }
    }

  return FALSE;
}

/* Returns the output layer's activation, or NULL while there are no layers. */
const float *
ls_network_get_output (LsNetwork *self)
{
  const LsLayer *output;

  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);

  output = ls_network_get_output_layer (self);

  return output != NULL ? output->activation_output : NULL;
}

gsize
ls_network_get_output_size (LsNetwork *self)
{
  const LsLayer *output;

  g_return_val_if_fail (LS_IS_NETWORK (self), 0);

  output = ls_network_get_output_layer (self);

  return output != NULL ? ls_layer_get_outputs (output) : 0;
}

void
ls_network_get_parameter_count (LsNetwork        *self,
                                LsParameterCount *count)
{
  g_return_if_fail (LS_IS_NETWORK (self));
  g_return_if_fail (count != NULL);

  *count = (LsParameterCount) { 0 };
  for (guint i = 0; i < self->layers->len; i++)
    {
      LsParameterCount layer_count;

      ls_layer_get_parameter_count (g_ptr_array_index (self->layers, i), &layer_count);
      count->weights += layer_count.weights;
      count->biases += layer_count.biases;
      count->total += layer_count.total;
    }
}
