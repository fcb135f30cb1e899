/* ls-presenter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ls-explain.h"
#include "ls-explain-private.h"
#include "ls-presenter.h"

struct _LsPresenter
{
  GObject parent_instance;

  LsNetwork *network;
  gsize step;        /* 0 to the number of layers */
  gsize column;      /* selected column, at most step */
  gsize unit;        /* selected value of that column */
  guint interval;    /* milliseconds between steps while playing */
  guint play_source; /* nonzero while playing */
};

G_DEFINE_FINAL_TYPE (LsPresenter, ls_presenter, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NETWORK,
  PROP_STEP,
  PROP_PLAYING,
  PROP_INTERVAL,
  N_PROPS
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Returns the number of values in a column of the diagram: the input's
 * values or tokens, or a layer's outputs. */
static gsize
get_column_size (LsNetwork *network,
                 gsize      column)
{
  if (column == 0 && ls_network_has_token_input (network))
    return ls_network_get_n_tokens (network);

  if (column == 0)
    return ls_network_get_input_size (network);

  return ls_layer_get_outputs (ls_network_get_layer (network, column - 1));
}

/* Returns the index of the largest value of a column, the first of equal
 * ones, or 0 for token inputs, which have no value to compare. */
static gsize
find_strongest_unit (LsNetwork *network,
                     gsize      column)
{
  gsize size = get_column_size (network, column);
  const float *values; /* [size] */
  gsize strongest = 0;

  if (column == 0 && ls_network_has_token_input (network))
    return 0;

  values = column == 0 ? ls_network_get_input (network)
                       : ls_network_get_layer (network, column - 1)->activation_output;
  for (gsize i = 1; i < size; i++)
    if (values[i] > values[strongest])
      strongest = i;

  return strongest;
}

static void
emit_changed (LsPresenter *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* Keeps the step and selection inside the network after layers were
 * removed or resized. */
static void
clamp_position (LsPresenter *self)
{
  gsize n_steps = ls_presenter_get_n_steps (self);
  gsize size;

  if (self->step >= n_steps)
    {
      self->step = n_steps - 1;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
    }

  self->column = MIN (self->column, self->step);
  size = get_column_size (self->network, self->column);
  if (self->unit >= size)
    self->unit = size > 0 ? size - 1 : 0;
}

static void
network_changed_cb (LsPresenter *self,
                    LsChange     change)
{
  if (change & LS_CHANGE_STRUCTURE)
    clamp_position (self);

  emit_changed (self);
}

static gboolean
play_timeout_cb (gpointer user_data)
{
  LsPresenter *self = user_data;

  ls_presenter_next_step (self);
  if (!ls_presenter_is_last_step (self))
    return G_SOURCE_CONTINUE;

  self->play_source = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);

  return G_SOURCE_REMOVE;
}

static void
stop_timer (LsPresenter *self)
{
  g_clear_handle_id (&self->play_source, g_source_remove);
}

static void
start_timer (LsPresenter *self)
{
  self->play_source = g_timeout_add (self->interval, play_timeout_cb, self);
}

LsPresenter *
ls_presenter_new (LsNetwork *network)
{
  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);

  return g_object_new (LS_TYPE_PRESENTER, "network", network, NULL);
}

LsNetwork *
ls_presenter_get_network (LsPresenter *self)
{
  g_return_val_if_fail (LS_IS_PRESENTER (self), NULL);

  return self->network;
}

/* Returns whether a and b have the same columns of the same sizes, so
 * that a step and a selection of one mean the same in the other. */
static gboolean
same_columns (LsNetwork *a,
              LsNetwork *b)
{
  gsize n_layers = ls_network_get_n_layers (a);

  if (n_layers != ls_network_get_n_layers (b))
    return FALSE;

  for (gsize column = 0; column <= n_layers; column++)
    if (get_column_size (a, column) != get_column_size (b, column))
      return FALSE;

  return TRUE;
}

void
ls_presenter_set_network (LsPresenter *self,
                          LsNetwork   *network)
{
  gboolean same;

  g_return_if_fail (LS_IS_PRESENTER (self));
  g_return_if_fail (LS_IS_NETWORK (network));

  same = self->network != NULL && same_columns (self->network, network);
  if (self->network != NULL)
    g_signal_handlers_disconnect_by_data (self->network, self);
  g_set_object (&self->network, network);
  g_signal_connect_object (network, "changed", G_CALLBACK (network_changed_cb), self, G_CONNECT_SWAPPED);

  /* An undo gives back the same columns: the walk-through stays where it
   * is. Other columns keep the step where the network has it. */
  if (!same)
    {
      gsize step = MIN (self->step, ls_presenter_get_n_steps (self) - 1);

      self->step = G_MAXSIZE;
      ls_presenter_set_step (self, step);
    }
  else
    {
      emit_changed (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK]);
}

gsize
ls_presenter_get_n_steps (LsPresenter *self)
{
  g_return_val_if_fail (LS_IS_PRESENTER (self), 0);

  return ls_network_get_n_layers (self->network) + 1;
}

gsize
ls_presenter_get_step (LsPresenter *self)
{
  g_return_val_if_fail (LS_IS_PRESENTER (self), 0);

  return self->step;
}

gboolean
ls_presenter_is_last_step (LsPresenter *self)
{
  g_return_val_if_fail (LS_IS_PRESENTER (self), FALSE);

  return self->step + 1 == ls_presenter_get_n_steps (self);
}

gboolean
ls_presenter_set_step (LsPresenter *self,
                       gsize        step)
{
  gboolean moved;

  g_return_val_if_fail (LS_IS_PRESENTER (self), FALSE);

  if (step >= ls_presenter_get_n_steps (self))
    return FALSE;

  moved = step != self->step;
  self->step = step;
  self->column = step;
  self->unit = find_strongest_unit (self->network, step);
  if (moved)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
  emit_changed (self);

  return TRUE;
}

gboolean
ls_presenter_next_step (LsPresenter *self)
{
  g_return_val_if_fail (LS_IS_PRESENTER (self), FALSE);

  return ls_presenter_set_step (self, self->step + 1);
}

gboolean
ls_presenter_previous_step (LsPresenter *self)
{
  g_return_val_if_fail (LS_IS_PRESENTER (self), FALSE);

  return self->step > 0 && ls_presenter_set_step (self, self->step - 1);
}

gboolean
ls_presenter_first_step (LsPresenter *self)
{
  g_return_val_if_fail (LS_IS_PRESENTER (self), FALSE);

  return self->step > 0 && ls_presenter_set_step (self, 0);
}

gboolean
ls_presenter_last_step (LsPresenter *self)
{
  g_return_val_if_fail (LS_IS_PRESENTER (self), FALSE);

  return !ls_presenter_is_last_step (self) &&
         ls_presenter_set_step (self, ls_presenter_get_n_steps (self) - 1);
}

void
ls_presenter_get_selection (LsPresenter *self,
                            gsize       *column,
                            gsize       *unit)
{
  g_return_if_fail (LS_IS_PRESENTER (self));

  if (column != NULL)
    *column = self->column;
  if (unit != NULL)
    *unit = self->unit;
}

gboolean
ls_presenter_select (LsPresenter *self,
                     gsize        column,
                     gsize        unit)
{
  g_return_val_if_fail (LS_IS_PRESENTER (self), FALSE);

  if (column > self->step || unit >= get_column_size (self->network, column))
    return FALSE;

  if (column == self->column && unit == self->unit)
    return TRUE;

  self->column = column;
  self->unit = unit;
  emit_changed (self);

  return TRUE;
}

gboolean
ls_presenter_next_unit (LsPresenter *self)
{
  gsize size;

  g_return_val_if_fail (LS_IS_PRESENTER (self), FALSE);

  size = get_column_size (self->network, self->column);
  if (size < 2)
    return FALSE;

  return ls_presenter_select (self, self->column, (self->unit + 1) % size);
}

gboolean
ls_presenter_previous_unit (LsPresenter *self)
{
  gsize size;

  g_return_val_if_fail (LS_IS_PRESENTER (self), FALSE);

  size = get_column_size (self->network, self->column);
  if (size < 2)
    return FALSE;

  return ls_presenter_select (self, self->column, (self->unit + size - 1) % size);
}

gboolean
ls_presenter_next_neuron (LsPresenter *self)
{
  gsize column;
  gsize unit;

  g_return_val_if_fail (LS_IS_PRESENTER (self), FALSE);

  column = self->column;
  unit = self->unit + 1;
  /* A column is empty only while a network is being edited, so the loop
   * skips such columns, and gives up after visiting each column once. */
  for (gsize visited = 0; unit >= get_column_size (self->network, column); visited++)
    {
      if (visited > self->step)
        return FALSE;
      column = column < self->step ? column + 1 : 0;
      unit = 0;
    }

  if (column == self->column && unit == self->unit)
    return FALSE;

  return ls_presenter_select (self, column, unit);
}

gboolean
ls_presenter_previous_neuron (LsPresenter *self)
{
  gsize column;
  gsize size;

  g_return_val_if_fail (LS_IS_PRESENTER (self), FALSE);

  column = self->column;
  if (self->unit > 0)
    return ls_presenter_select (self, column, self->unit - 1);

  do
    {
      column = column > 0 ? column - 1 : self->step;
      size = get_column_size (self->network, column);
    }
  while (size == 0 && column != self->column);

  if (size == 0 || (column == self->column && size == 1))
    return FALSE;

  return ls_presenter_select (self, column, size - 1);
}

gboolean
ls_presenter_get_playing (LsPresenter *self)
{
  g_return_val_if_fail (LS_IS_PRESENTER (self), FALSE);

  return self->play_source != 0;
}

void
ls_presenter_set_playing (LsPresenter *self,
                          gboolean     playing)
{
  g_return_if_fail (LS_IS_PRESENTER (self));

  if (!!playing == ls_presenter_get_playing (self))
    return;

  if (playing)
    {
      if (ls_presenter_is_last_step (self))
        ls_presenter_set_step (self, 0);
      start_timer (self);
    }
  else
    {
      stop_timer (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

guint
ls_presenter_get_interval (LsPresenter *self)
{
  g_return_val_if_fail (LS_IS_PRESENTER (self), 0);

  return self->interval;
}

void
ls_presenter_set_interval (LsPresenter *self,
                           guint        interval)
{
  g_return_if_fail (LS_IS_PRESENTER (self));
  g_return_if_fail (interval > 0);

  if (interval == self->interval)
    return;

  self->interval = interval;
  /* A walk-through that plays takes its next step after the new interval. */
  if (self->play_source != 0)
    {
      stop_timer (self);
      start_timer (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

char *
ls_presenter_dup_step_title (LsPresenter *self)
{
  g_autofree char *title = NULL;

  g_return_val_if_fail (LS_IS_PRESENTER (self), NULL);

  if (self->step == 0)
    title = g_strdup (_("input"));
  else
    title = ls_explain_layer_title (self->network, self->step - 1);

  /* TRANSLATORS: "Step 2 of 3: hidden", where "hidden" is the layer's title */
  return g_strdup_printf (_("Step %zu of %zu: %s"), self->step + 1, ls_presenter_get_n_steps (self), title);
}

/* Returns whether a value is a dense neuron of a vector input whose
 * activation applies to its own weighted sum alone, so that the formula
 * can show that sum before the activation. */
static gboolean
has_single_activation (LsPresenter *self)
{
  const LsLayer *layer;

  if (self->column == 0)
    return FALSE;

  layer = ls_network_get_layer (self->network, self->column - 1);

  return layer->kind == LS_LAYER_DENSE && layer->input_shape.rank == 1 &&
         layer->activation != LS_ACTIVATION_SOFTMAX;
}

/* Returns "h1 = ReLU(0.5×0.40 + … + 0.00) = ReLU(0.62) = 0.62", or
 * "y1 = 0.5×0.40 + … + 0.00 = 0.62" without an activation. */
static char *
dup_dense_formula (LsPresenter *self)
{
  const LsLayer *layer = ls_network_get_layer (self->network, self->column - 1);
  const float *input = ls_explain_get_layer_input (self->network, self->column - 1);
  g_autofree char *name = ls_explain_quote_for_formula (ls_explain_neuron_name (self->network, self->column, self->unit));
  g_autofree char *z = ls_explain_format_value (layer->pre_activation[self->unit]);
  g_autofree char *value = ls_explain_format_value (layer->activation_output[self->unit]);
  const char *activation = ls_activation_get_display_name (layer->activation);
  GString *text = g_string_new (NULL);

  if (layer->activation == LS_ACTIVATION_IDENTITY)
    {
      g_string_append_printf (text, "%s = ", name);
      ls_explain_append_weighted_sum (text, layer, input, self->unit);
      g_string_append_printf (text, " = %s", value);
    }
  else
    {
      g_string_append_printf (text, "%s = %s(", name, activation);
      ls_explain_append_weighted_sum (text, layer, input, self->unit);
      g_string_append_printf (text, ") = %s(%s) = %s", activation, z, value);
    }
  ls_explain_append_non_finite_note (text, self->network);

  return g_string_free (text, FALSE);
}

char *
ls_presenter_dup_formula (LsPresenter *self)
{
  g_return_val_if_fail (LS_IS_PRESENTER (self), NULL);

  if (get_column_size (self->network, self->column) == 0)
    return g_strdup ("");

  if (has_single_activation (self))
    return dup_dense_formula (self);

  return ls_explain_neuron (self->network, self->column, self->unit);
}

static void
ls_presenter_dispose (GObject *object)
{
  LsPresenter *self = LS_PRESENTER (object);

  stop_timer (self);
  if (self->network != NULL)
    g_signal_handlers_disconnect_by_data (self->network, self);
  g_clear_object (&self->network);

  G_OBJECT_CLASS (ls_presenter_parent_class)->dispose (object);
}

static void
ls_presenter_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LsPresenter *self = LS_PRESENTER (object);

  switch (prop_id)
    {
    case PROP_NETWORK:
      g_value_set_object (value, self->network);
      break;

    case PROP_STEP:
      g_value_set_uint64 (value, self->step);
      break;

    case PROP_PLAYING:
      g_value_set_boolean (value, ls_presenter_get_playing (self));
      break;

    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_presenter_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  LsPresenter *self = LS_PRESENTER (object);

  switch (prop_id)
    {
    case PROP_NETWORK:
      ls_presenter_set_network (self, g_value_get_object (value));
      break;

    case PROP_STEP:
      ls_presenter_set_step (self, g_value_get_uint64 (value));
      break;

    case PROP_PLAYING:
      ls_presenter_set_playing (self, g_value_get_boolean (value));
      break;

    case PROP_INTERVAL:
      ls_presenter_set_interval (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_presenter_class_init (LsPresenterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ls_presenter_dispose;
  object_class->get_property = ls_presenter_get_property;
  object_class->set_property = ls_presenter_set_property;

  properties[PROP_NETWORK] =
    g_param_spec_object ("network", NULL, NULL, LS_TYPE_NETWORK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  properties[PROP_STEP] =
    g_param_spec_uint64 ("step", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 1, G_MAXUINT, LS_PRESENTER_DEFAULT_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted when the step, the selection or the network's numbers
   * changed, so that views redraw and the formula is written again. */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ls_presenter_init (LsPresenter *self)
{
  self->interval = LS_PRESENTER_DEFAULT_INTERVAL;
}
