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
  LsEvaluation evaluation;

  /* Seed for the next layer that an edit creates; larger than every seed
   * in use, so that a new layer never repeats another's weights. */
  guint64 next_seed;

  /* While freeze_count > 0, edits collect their LsChange flags in
   * pending_changes instead of running the forward pass. */
  guint freeze_count;
  LsChange pending_changes;
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
  g_clear_pointer (&self->evaluation.name, g_free);
  g_clear_pointer (&self->evaluation.split, g_free);

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
  LsShape shape;

  ls_shape_init_1d (&shape, inputs);

  return ls_network_new_with_shape (&shape);
}

/* Creates a network whose input has the given shape, [n] for a vector or
 * [channels, height, width] for an image, all zeros, and no layers. */
LsNetwork *
ls_network_new_with_shape (const LsShape *input_shape)
{
  LsNetwork *self;
  gsize size;

  g_return_val_if_fail (input_shape != NULL, NULL);
  g_return_val_if_fail (input_shape->rank == 1 || input_shape->rank == 3, NULL);
  size = ls_shape_get_size (input_shape);
  g_return_val_if_fail (size > 0 && size <= LS_MAX_TENSOR_SIZE, NULL);

  self = g_object_new (LS_TYPE_NETWORK, NULL);
  self->input_shape = *input_shape;
  self->input = g_new0 (float, size);

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
  if (self->freeze_count > 0)
    {
      self->pending_changes |= change;
      return;
    }

  if (change & (LS_CHANGE_VALUES | LS_CHANGE_STRUCTURE))
    ls_network_forward (self);

  g_signal_emit (self, signals[CHANGED], 0, (guint) change);
}

/* Holds back the forward pass and the LsNetwork::changed signal until
 * the matching ls_network_thaw_changes(), so that building a network of
 * n layers runs one forward pass instead of n. Calls nest. */
void
ls_network_freeze_changes (LsNetwork *self)
{
  g_return_if_fail (LS_IS_NETWORK (self));

  self->freeze_count++;
}

/* Runs the forward pass and emits one LsNetwork::changed with every
 * change made since the outermost ls_network_freeze_changes(). */
void
ls_network_thaw_changes (LsNetwork *self)
{
  LsChange change;

  g_return_if_fail (LS_IS_NETWORK (self));
  g_return_if_fail (self->freeze_count > 0);

  if (--self->freeze_count > 0 || self->pending_changes == 0)
    return;

  change = self->pending_changes;
  self->pending_changes = 0;
  emit_changed (self, change);
}

/* Returns the dataset record, whose name is NULL when there is none. */
const LsEvaluation *
ls_network_get_evaluation (LsNetwork *self)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);

  return &self->evaluation;
}

/* Sets or, with NULL, clears the dataset record. */
void
ls_network_set_evaluation (LsNetwork          *self,
                           const LsEvaluation *evaluation)
{
  g_return_if_fail (LS_IS_NETWORK (self));
  g_return_if_fail (evaluation == NULL || evaluation->correct <= evaluation->samples);

  g_clear_pointer (&self->evaluation.name, g_free);
  g_clear_pointer (&self->evaluation.split, g_free);
  self->evaluation = (LsEvaluation) { 0 };
  if (evaluation != NULL && evaluation->name != NULL)
    {
      self->evaluation = *evaluation;
      self->evaluation.name = g_strdup (evaluation->name);
      self->evaluation.split = g_strdup (evaluation->split);
    }
  emit_changed (self, LS_CHANGE_METADATA);
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

static gsize
get_layer_parameters_of (const LsLayer *layer)
{
  LsParameterCount count;

  ls_layer_get_parameter_count (layer, &count);

  return count.total;
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

/* Returns the shape of the tensor that layer index of layers receives. */
static const LsShape *
get_input_shape_in (LsNetwork *self,
                    GPtrArray *layers,
                    gsize      index)
{
  const LsLayer *previous;

  if (index == 0)
    return &self->input_shape;

  previous = g_ptr_array_index (layers, index - 1);

  return &previous->output_shape;
}

/* What one layer becomes after an edit. */
typedef struct
{
  LsShape input_shape;
  gsize units;
  LsWindow window;
} LayerPlan;

/* Works out the shapes of layers[start] onwards after an edit, where
 * layer `changed` (or none, when it is past the end) takes units and
 * window, and checks every limit. Changes nothing: plans[i] receives what
 * layer i becomes, for each i from start on. On failure the message names
 * the layer. */
static gboolean
plan_layers (LsNetwork      *self,
             GPtrArray      *layers,
             guint           start,
             guint           changed,
             gsize           units,
             const LsWindow *window,
             LayerPlan      *plans,
             GError        **error)
{
  LsShape shape = *get_input_shape_in (self, layers, start);
  gsize total = 0;
  guint64 operations = 0;

  for (guint i = 0; i < layers->len; i++)
    {
      const LsLayer *layer = g_ptr_array_index (layers, i);
      LayerPlan *plan = &plans[i];
      LsShape output_shape;
      gsize parameters;

      if (i < start)
        {
          total += get_layer_parameters_of (layer);
          operations += ls_layer_get_operations (layer->kind, &layer->input_shape, &layer->output_shape,
                                                 &layer->window);
          continue;
        }

      plan->input_shape = shape;
      plan->units = i == changed ? units : layer->units;
      plan->window = i == changed ? *window : layer->window;
      if (!ls_layer_plan (layer->kind, &plan->input_shape, plan->units, &plan->window,
                          &output_shape, &parameters, error))
        {
          g_prefix_error (error, _("Layer %u (%s): "), i + 1,
                          ls_layer_kind_get_display_name (layer->kind));
          return FALSE;
        }

      total += parameters;
      operations += ls_layer_get_operations (layer->kind, &plan->input_shape, &output_shape, &plan->window);
      shape = output_shape;
    }

  if (operations > LS_MAX_NETWORK_OPERATIONS)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The network would need %" G_GUINT64_FORMAT " multiply-adds per forward pass, "
                     "more than the maximum of %" G_GUINT64_FORMAT "; use fewer filters or units, "
                     "smaller kernels or a smaller input"),
                   operations, (guint64) LS_MAX_NETWORK_OPERATIONS);
      return FALSE;
    }

  if (total > LS_MAX_NETWORK_PARAMETERS)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The network would have %zu parameters, more than the maximum of %u; "
                     "use fewer layers, units or filters, or smaller kernels"),
                   total, LS_MAX_NETWORK_PARAMETERS);
      return FALSE;
    }

  return TRUE;
}

/* Reshapes the layers whose plan differs from what they are. */
static void
apply_plans (GPtrArray       *layers,
             guint            start,
             const LayerPlan *plans)
{
  for (guint i = start; i < layers->len; i++)
    {
      LsLayer *layer = g_ptr_array_index (layers, i);
      const LayerPlan *plan = &plans[i];

      if (!ls_shape_equal (&layer->input_shape, &plan->input_shape) ||
          layer->units != plan->units ||
          !ls_window_equal (&layer->window, &plan->window))
        ls_layer_reshape (layer, &plan->input_shape, plan->units, &plan->window);
    }
}

/* Plans and applies an edit of layer index's units and window, or of
 * the layers after a structural edit at index (with changed past the
 * end). Leaves everything as it was when the edit is impossible. */
static gboolean
replan (LsNetwork      *self,
        GPtrArray      *layers,
        guint           start,
        guint           changed,
        gsize           units,
        const LsWindow *window,
        GError        **error)
{
  g_autofree LayerPlan *plans = g_new0 (LayerPlan, MAX (layers->len, 1));

  if (!plan_layers (self, layers, start, changed, units, window, plans, error))
    return FALSE;

  apply_plans (layers, start, plans);

  return TRUE;
}

/* Inserts a layer at index, taking ownership of it, whether or not this
 * fails. Its input shape must be the one at index. */
static gboolean
insert_layer (LsNetwork  *self,
              gsize       index,
              LsLayer    *layer,
              GError    **error)
{
  g_autoptr(GPtrArray) layers = NULL;
  g_autoptr(LsLayer) owned = layer;

  if (layer == NULL || !check_layer_count (self, error))
    return FALSE;

  layers = g_ptr_array_copy (self->layers, NULL, NULL);
  g_ptr_array_set_free_func (layers, NULL);
  g_ptr_array_insert (layers, index, layer);
  if (!replan (self, layers, index, G_MAXUINT, 0, NULL, error))
    return FALSE;

  self->next_seed = MAX (self->next_seed, layer->init.seed + 1);
  g_ptr_array_insert (self->layers, index, g_steal_pointer (&owned));
  emit_changed (self, LS_CHANGE_STRUCTURE);

  return TRUE;
}

static LsInit
next_init (LsNetwork    *self,
           LsActivation  activation)
{
  LsInit init;

  init.scheme = ls_activation_prefers_he_init (activation) ? LS_INIT_HE : LS_INIT_XAVIER;
  init.seed = self->next_seed++;

  return init;
}

/* Appends a layer, taking ownership of it, whether or not this fails.
 * Its input must have the current output shape, except that a dense or
 * flatten layer may take an image as the same number of values. */
gboolean
ls_network_append_layer (LsNetwork  *self,
                         LsLayer    *layer,
                         GError    **error)
{
  g_autoptr(LsLayer) owned = layer;
  const LsShape *expected;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (layer != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  expected = get_input_shape_in (self, self->layers, self->layers->len);
  if (!ls_shape_equal (&layer->input_shape, expected))
    {
      gboolean reads_flat = layer->kind == LS_LAYER_DENSE || layer->kind == LS_LAYER_FLATTEN;

      if (!reads_flat || ls_layer_get_inputs (layer) != ls_shape_get_size (expected))
        {
          g_autofree char *takes = ls_shape_to_string (&layer->input_shape);
          g_autofree char *gets = ls_shape_to_string (expected);

          g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                       _("Layer %u (%s) takes %s, but the layer before it gives %s"),
                       self->layers->len + 1, ls_layer_kind_get_display_name (layer->kind),
                       takes, gets);
          return FALSE;
        }
      layer->input_shape = *expected;
    }

  return insert_layer (self, self->layers->len, g_steal_pointer (&owned), error);
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
  const LsShape *input_shape;
  LsLayer *layer;
  LsInit init;
  gsize parameters;
  LsShape output_shape;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index <= self->layers->len, FALSE);
  g_return_val_if_fail (activation < LS_N_ACTIVATIONS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Check the size before allocating a possibly huge weight matrix. */
  input_shape = get_input_shape_in (self, self->layers, index);
  if (!ls_layer_plan (LS_LAYER_DENSE, input_shape, units, NULL, &output_shape, &parameters, error))
    {
      g_prefix_error (error, _("Layer %u (%s): "), (guint) index + 1,
                      ls_layer_kind_get_display_name (LS_LAYER_DENSE));
      return FALSE;
    }

  init = next_init (self, activation);
  layer = ls_layer_new_dense (ls_shape_get_size (input_shape), units, activation, &init);
  layer->input_shape = *input_shape;

  return insert_layer (self, index, layer, error);
}

/* Inserts a conv2d layer at index, with weights from a fresh seed. */
gboolean
ls_network_insert_conv2d (LsNetwork       *self,
                          gsize            index,
                          gsize            filters,
                          const LsWindow  *window,
                          LsActivation     activation,
                          GError         **error)
{
  const LsShape *input_shape;
  LsShape output_shape;
  gsize parameters;
  LsInit init;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index <= self->layers->len, FALSE);
  g_return_val_if_fail (window != NULL, FALSE);
  g_return_val_if_fail (activation < LS_N_ACTIVATIONS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Check the filter count, window and sizes before allocating the
   * weights, which could otherwise be too large to allocate. */
  input_shape = get_input_shape_in (self, self->layers, index);
  if (!ls_layer_plan (LS_LAYER_CONV2D, input_shape, filters, window, &output_shape, &parameters, error))
    {
      g_prefix_error (error, _("Layer %u (%s): "), (guint) index + 1,
                      ls_layer_kind_get_display_name (LS_LAYER_CONV2D));
      return FALSE;
    }

  init = next_init (self, activation);

  return insert_layer (self, index,
                       ls_layer_new_conv2d (input_shape, filters, window, activation, &init, NULL),
                       error);
}

/* Inserts a max or average pooling layer at index. */
gboolean
ls_network_insert_pool2d (LsNetwork       *self,
                          gsize            index,
                          LsLayerKind      kind,
                          const LsWindow  *window,
                          GError         **error)
{
  LsLayer *layer;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index <= self->layers->len, FALSE);
  g_return_val_if_fail (kind == LS_LAYER_MAXPOOL2D || kind == LS_LAYER_AVGPOOL2D, FALSE);
  g_return_val_if_fail (window != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = ls_layer_new_pool2d (kind, get_input_shape_in (self, self->layers, index), window, error);
  if (layer == NULL)
    g_prefix_error (error, _("Layer %u (%s): "), (guint) index + 1,
                    ls_layer_kind_get_display_name (kind));

  return insert_layer (self, index, layer, error);
}

gboolean
ls_network_insert_flatten (LsNetwork  *self,
                           gsize       index,
                           GError    **error)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index <= self->layers->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return insert_layer (self, index,
                       ls_layer_new_flatten (get_input_shape_in (self, self->layers, index)),
                       error);
}

/* Removes a layer. The last remaining layer cannot be removed, nor one
 * whose removal would give a later layer an input it cannot take. */
gboolean
ls_network_remove_layer (LsNetwork  *self,
                         gsize       index,
                         GError    **error)
{
  g_autoptr(GPtrArray) layers = NULL;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index < self->layers->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->layers->len == 1)
    {
      g_set_error_literal (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                           _("A network needs at least one layer, so its only layer cannot be removed"));
      return FALSE;
    }

  layers = g_ptr_array_copy (self->layers, NULL, NULL);
  g_ptr_array_set_free_func (layers, NULL);
  g_ptr_array_remove_index (layers, index);
  if (!replan (self, layers, index, G_MAXUINT, 0, NULL, error))
    return FALSE;

  g_ptr_array_remove_index (self->layers, index);
  emit_changed (self, LS_CHANGE_STRUCTURE);

  return TRUE;
}

/* Changes the unit count of a dense layer or the filter count of a conv2d
 * layer, keeping the weights of this and later layers that still fit.
 * Labels past the new count go. */
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
  g_return_val_if_fail (ls_layer_has_parameters (layer), FALSE);
  if (layer->units == units)
    return TRUE;

  if (!replan (self, self->layers, index, index, units, &layer->window, error))
    return FALSE;

  emit_changed (self, LS_CHANGE_STRUCTURE);

  return TRUE;
}

/* Changes the window of a conv2d or pooling layer. A conv2d layer keeps
 * the kernel weights that still fit, aligned at the top left. */
gboolean
ls_network_set_window (LsNetwork       *self,
                       gsize            index,
                       const LsWindow  *window,
                       GError         **error)
{
  LsLayer *layer;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index < self->layers->len, FALSE);
  g_return_val_if_fail (window != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = g_ptr_array_index (self->layers, index);
  g_return_val_if_fail (ls_layer_is_spatial (layer), FALSE);
  if (ls_window_equal (&layer->window, window))
    return TRUE;

  if (!replan (self, self->layers, index, index, layer->units, window, error))
    return FALSE;

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

static LsLayer *
get_conv2d_layer (LsNetwork *self,
                  gsize      index,
                  gsize      filter,
                  gsize      channel)
{
  LsLayer *layer = g_ptr_array_index (self->layers, index);

  g_return_val_if_fail (layer->kind == LS_LAYER_CONV2D, NULL);
  g_return_val_if_fail (filter < layer->units, NULL);
  g_return_val_if_fail (channel < layer->input_shape.dims[0], NULL);

  return layer;
}

/* Sets one weight of the kernel that a conv2d filter applies to one
 * input channel. */
gboolean
ls_network_set_kernel_weight (LsNetwork  *self,
                              gsize       index,
                              gsize       filter,
                              gsize       channel,
                              gsize       row,
                              gsize       column,
                              float       value,
                              GError    **error)
{
  LsLayer *layer;
  float *weight;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index < self->layers->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = get_conv2d_layer (self, index, filter, channel);
  g_return_val_if_fail (layer != NULL, FALSE);
  g_return_val_if_fail (row < layer->window.kernel[0] && column < layer->window.kernel[1], FALSE);

  if (!check_finite (value, _("A weight"), error))
    return FALSE;

  weight = (float *) ls_layer_get_kernel (layer, filter, channel) + row * layer->window.kernel[1] + column;
  if (*weight == value)
    return TRUE;

  *weight = value;
  emit_changed (self, LS_CHANGE_VALUES);

  return TRUE;
}

/* Replaces a whole [kh][kw] kernel at once, as a preset does, with one
 * forward pass. Nothing changes unless every value is finite. */
gboolean
ls_network_set_kernel (LsNetwork    *self,
                       gsize         index,
                       gsize         filter,
                       gsize         channel,
                       const float  *values,
                       gsize         n_values,
                       GError      **error)
{
  LsLayer *layer;
  gsize size;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index < self->layers->len, FALSE);
  g_return_val_if_fail (values != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = get_conv2d_layer (self, index, filter, channel);
  g_return_val_if_fail (layer != NULL, FALSE);

  size = ls_layer_get_kernel_size (layer);
  if (n_values != size)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The kernel has %zu×%zu = %zu weights, but %zu were given"),
                   layer->window.kernel[0], layer->window.kernel[1], size, n_values);
      return FALSE;
    }

  for (gsize i = 0; i < n_values; i++)
    if (!check_finite (values[i], _("A weight"), error))
      return FALSE;

  memcpy ((float *) ls_layer_get_kernel (layer, filter, channel), values, size * sizeof (float));
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

/* Returns the shape of the tensor that layer index receives. With index
 * the layer count, it is the shape of the network's output, so index 0 to
 * the layer count walks every tensor a view draws as a column. */
const LsShape *
ls_network_get_layer_input_shape (LsNetwork *self,
                                  gsize      index)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);
  g_return_val_if_fail (index <= self->layers->len, NULL);

  return get_input_shape_in (self, self->layers, index);
}

/* Finds the region of the network's input that an output region of
 * layer index depends on: its receptive field. Returns FALSE, with the
 * whole input in *input, when a dense or flatten layer on the way mixes
 * every position. */
gboolean
ls_network_get_input_region (LsNetwork      *self,
                             gsize           index,
                             const LsRegion *output,
                             LsRegion       *input)
{
  LsRegion region;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index < self->layers->len, FALSE);
  g_return_val_if_fail (output != NULL && input != NULL, FALSE);

  region = *output;
  for (gsize i = index + 1; i-- > 0;)
    {
      const LsLayer *layer = g_ptr_array_index (self->layers, i);

      if (!ls_layer_is_spatial (layer))
        {
          const LsShape *shape = &self->input_shape;

          if (shape->rank == 3)
            *input = (LsRegion) { 0, 0, shape->dims[1], shape->dims[2] };
          else
            *input = (LsRegion) { 0, 0, 1, shape->dims[0] };
          return FALSE;
        }

      ls_layer_get_input_region (layer, &region, &region);
    }

  *input = region;

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
