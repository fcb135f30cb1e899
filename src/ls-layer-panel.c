/* ls-layer-panel.c: one card per layer with its units, window, heads,
 * switches, activation and output shape
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "ls-document.h"
#include "ls-error.h"
#include "ls-explain.h"
#include "ls-number.h"
#include "ls-number-entry.h"
#include "ls-panel.h"

/* A new dense layer's units, a new convolution's filters. */
#define DEFAULT_UNITS 4

/* A new attention layer has this many heads, or 1 when they would not
 * divide the token width d evenly. */
#define DEFAULT_HEADS 2

/* A new convolution has a 3×3 kernel with "same" padding, so the image
 * keeps its size. A new pooling layer halves it with a 2×2 window. */
#define DEFAULT_KERNEL 3
#define DEFAULT_POOL 2

/* The maximum embedding width d that the window offers, far below the
 * engine's limit. The diagram draws d columns for every token of every
 * sequence layer, and each keystroke runs the whole network again, so
 * much wider vectors make the columns unreadable and typing slow. */
#define MAX_TOKEN_WIDTH 512

/* The number fields of a card. */
typedef enum
{
  FIELD_UNITS,    /* dense units, conv2d filters or the embedding width d */
  FIELD_KERNEL,   /* window size, both sides */
  FIELD_STRIDE,   /* both sides */
  FIELD_PADDING,  /* both sides, with the "number" padding mode */
  FIELD_HEADS,    /* attention heads */
  N_FIELDS
} Field;

/* The engine's limits of each field. A layer may allow less, as
 * get_field_maximum() works out. */
typedef struct
{
  guint minimum;
  guint maximum;
} FieldInfo;

static const FieldInfo field_info[] = {
  [FIELD_UNITS] = { 1, LS_MAX_TENSOR_SIZE },
  [FIELD_KERNEL] = { 1, LS_MAX_KERNEL_SIZE },
  [FIELD_STRIDE] = { 1, LS_MAX_KERNEL_SIZE },
  [FIELD_PADDING] = { 0, LS_MAX_KERNEL_SIZE },
  [FIELD_HEADS] = { 1, LS_MAX_TENSOR_SIZE },
};

/* The kinds that the insert menus offer, in menu order. */
static const LsLayerKind insert_kinds[] = {
  LS_LAYER_DENSE, LS_LAYER_CONV2D, LS_LAYER_MAXPOOL2D, LS_LAYER_AVGPOOL2D, LS_LAYER_FLATTEN,
  LS_LAYER_POSITIONAL, LS_LAYER_ATTENTION, LS_LAYER_LAYERNORM, LS_LAYER_POOL_TOKENS,
};

G_STATIC_ASSERT (G_N_ELEMENTS (field_info) == N_FIELDS);

/* The entries of the padding drop-down, in LsPaddingMode order. */
static const char * const padding_names[] = { N_("Number"), N_("Valid (none)"), N_("Same size") };

/* The entries of the token pooling drop-down, in LsTokenPooling order. */
static const char * const pooling_names[] = { N_("Mean of the tokens"), N_("First token") };

G_STATIC_ASSERT (G_N_ELEMENTS (pooling_names) == LS_N_TOKEN_POOLINGS);

struct _LsLayerPanel
{
  GtkWidget parent_instance;

  LsNetwork *network;
  GtkWidget *box;
  GPtrArray *cards;  /* of LayerCard, [layers] */
  GPtrArray *insert_buttons;  /* of GtkMenuButton, [layers + 1]: before each layer, then at the end */
  gboolean updating;  /* update_cards() is showing the layers' values in the fields */
  gssize focus_index;  /* the insert button to focus after the next rebuild, or -1 */
  GtkWidget *focus_target;  /* weak: the button to focus after the next frame's layout */
  GdkFrameClock *focus_clock;  /* nullable: the frame clock whose after-paint focuses it */
  gulong after_paint_id;
  gint64 last_removal_time;  /* monotonic µs of the last removal */
};

/* The widgets of one layer that an edit may need to update. Fields a
 * kind does not have are NULL. */
typedef struct
{
  LsLayerKind kind;
  GtkWidget *title;
  GtkWidget *remove;
  GtkWidget *output;         /* label with the output shape */
  GtkWidget *fields[N_FIELDS];
  GtkWidget *padding_label;  /* caption of fields[FIELD_PADDING] */
  GtkWidget *padding_mode;
  GtkWidget *activation;
  GtkWidget *causal;         /* attention */
  GtkWidget *residual;       /* attention, and dense on a sequence */
  GtkWidget *pooling;        /* pool_tokens */
  GtkWidget *eps;            /* layernorm */
  GtkWidget *error_source;   /* weak: the field whose rejected edit error shows */
  GtkWidget *error;          /* label with the last rejected edit's message */
} LayerCard;

G_DEFINE_FINAL_TYPE (LsLayerPanel, ls_layer_panel, GTK_TYPE_WIDGET)

static void
free_card (gpointer data)
{
  LayerCard *card = data;

  g_clear_weak_pointer (&card->error_source);
  g_free (card);
}

enum {
  LAYER_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gsize
get_index (gpointer widget)
{
  return GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (widget), "layer"));
}

static void
init_square_window (LsWindow      *window,
                    gsize          size,
                    gsize          stride,
                    LsPaddingMode  padding_mode)
{
  const gsize kernel[2] = { size, size };
  const gsize strides[2] = { stride, stride };
  const gsize padding[2] = { 0, 0 };
  gboolean valid;

  valid = ls_window_init (window, kernel, strides, padding_mode, padding, NULL);
  g_assert (valid);
}

static gboolean
is_insert_kind (LsLayerKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (insert_kinds); i++)
    if (insert_kinds[i] == kind)
      return TRUE;

  return FALSE;
}

/* Inserts a dense layer. On a sequence it keeps the token width d, so
 * that the layers after it keep their shapes. */
static gboolean
insert_dense (LsLayerPanel  *self,
              gsize          index,
              GError       **error)
{
  const LsShape *shape = ls_network_get_layer_input_shape (self->network, index);
  gsize units = shape->rank == 2 ? shape->dims[1] : DEFAULT_UNITS;

  return ls_network_insert_dense (self->network, index, units, LS_ACTIVATION_RELU, error);
}

/* Inserts an attention layer with DEFAULT_HEADS heads, or one head when
 * they would not divide the token width d, with the residual sum and
 * without the causal mask. */
static gboolean
insert_attention (LsLayerPanel  *self,
                  gsize          index,
                  GError       **error)
{
  const LsShape *shape = ls_network_get_layer_input_shape (self->network, index);
  gsize heads = shape->rank == 2 && shape->dims[1] % DEFAULT_HEADS == 0 ? DEFAULT_HEADS : 1;

  return ls_network_insert_attention (self->network, index, heads, FALSE, TRUE, error);
}

/* Inserts a layer of the kind named in the parameter, with the defaults
 * above, before the layer at the parameter's index. */
static void
insert_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LsLayerPanel *self = LS_LAYER_PANEL (widget);
  g_autoptr(GError) error = NULL;
  const char *kind_name;
  guint32 index;
  LsLayerKind kind;
  LsWindow window;
  gboolean inserted = FALSE;

  g_variant_get (parameter, "(&su)", &kind_name, &index);
  if (self->network == NULL || index > ls_network_get_n_layers (self->network) ||
      !ls_layer_kind_from_name (kind_name, &kind) || !is_insert_kind (kind))
    return;

  /* The new layer's insert button takes the focus, so the panel shows
   * the new card. */
  self->focus_index = index;

  switch (kind)
    {
    case LS_LAYER_DENSE:
      inserted = insert_dense (self, index, &error);
      break;

    case LS_LAYER_CONV2D:
      init_square_window (&window, DEFAULT_KERNEL, 1, LS_PADDING_SAME);
      inserted = ls_network_insert_conv2d (self->network, index, DEFAULT_UNITS, &window, LS_ACTIVATION_RELU, &error);
      break;

    case LS_LAYER_MAXPOOL2D:
    case LS_LAYER_AVGPOOL2D:
      init_square_window (&window, DEFAULT_POOL, DEFAULT_POOL, LS_PADDING_VALID);
      inserted = ls_network_insert_pool2d (self->network, index, kind, &window, &error);
      break;

    case LS_LAYER_FLATTEN:
      inserted = ls_network_insert_flatten (self->network, index, &error);
      break;

    case LS_LAYER_POSITIONAL:
      inserted = ls_network_insert_positional (self->network, index, LS_POSITIONAL_SINUSOIDAL, &error);
      break;

    case LS_LAYER_ATTENTION:
      inserted = insert_attention (self, index, &error);
      break;

    case LS_LAYER_LAYERNORM:
      inserted = ls_network_insert_layernorm (self->network, index, &error);
      break;

    case LS_LAYER_POOL_TOKENS:
      inserted = ls_network_insert_pool_tokens (self->network, index, LS_TOKEN_POOLING_MEAN, &error);
      break;

    case LS_LAYER_EMBEDDING:
    case LS_N_LAYER_KINDS:
    default:
      g_assert_not_reached ();
    }

  self->focus_index = -1;
  if (!inserted)
    ls_panel_show_error (widget, error->message);
}

/* Removes the layer and emits ::layer-removed with a copy of the document
 * from before, so that the window can offer to undo the removal. */
static void
remove_clicked_cb (GtkButton    *button,
                   LsLayerPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *snapshot = NULL;
  g_autofree char *title = NULL;
  gsize index = get_index (button);
  gint64 now = g_get_monotonic_time ();
  int double_click_ms;

  /* After a removal the next layer's bin button moves under the pointer,
   * so the second click of a double click would remove that layer too. */
  g_object_get (gtk_widget_get_settings (GTK_WIDGET (button)), "gtk-double-click-time", &double_click_ms, NULL);
  if (now - self->last_removal_time < (gint64) double_click_ms * 1000)
    return;
  self->last_removal_time = now;

  snapshot = ls_document_to_data (self->network, NULL);
  title = ls_explain_layer_title (self->network, index);
  self->focus_index = index;
  if (!ls_network_remove_layer (self->network, index, &error))
    {
      self->focus_index = -1;
      ls_panel_show_error (GTK_WIDGET (self), error->message);
      return;
    }

  self->focus_index = -1;
  g_signal_emit (self, signals[LAYER_REMOVED], 0, (guint) index, snapshot, title);
}

/* Returns the value that a field shows for the layer. */
static gsize
get_field_value (const LsLayer *layer,
                 Field          field)
{
  switch (field)
    {
    case FIELD_UNITS:
      return layer->units;

    case FIELD_KERNEL:
      return layer->window.kernel[0];

    case FIELD_STRIDE:
      return layer->window.stride[0];

    case FIELD_PADDING:
      return layer->window.padding[0];

    case FIELD_HEADS:
      return layer->heads;

    case N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

/* Returns the maximum units or filters that keep the layer's output and
 * parameters within the engine's limits, and an embedding's width within
 * MAX_TOKEN_WIDTH. A later layer's own parameters may allow fewer, which
 * the engine then reports. */
static gsize
get_units_maximum (const LsLayer *layer)
{
  gsize parameters_per_unit, values_per_unit, maximum;

  if (layer->kind == LS_LAYER_CONV2D)
    {
      parameters_per_unit = layer->input_shape.dims[0] * ls_layer_get_kernel_size (layer) + 1;
      values_per_unit = layer->output_shape.dims[1] * layer->output_shape.dims[2];
    }
  else if (layer->kind == LS_LAYER_EMBEDDING)
    {
      /* A table row per vocabulary word, and a row per token. */
      parameters_per_unit = layer->rows;
      values_per_unit = ls_layer_get_tokens (layer);
    }
  else if (ls_layer_is_sequence (layer))
    {
      parameters_per_unit = ls_layer_get_inputs (layer) + 1;
      values_per_unit = ls_layer_get_tokens (layer);
    }
  else
    {
      parameters_per_unit = ls_layer_get_inputs (layer) + 1;
      values_per_unit = 1;
    }

  maximum = MIN (LS_MAX_TENSOR_SIZE / values_per_unit, LS_MAX_LAYER_PARAMETERS / parameters_per_unit);
  if (layer->kind == LS_LAYER_EMBEDDING)
    maximum = MIN (maximum, MAX_TOKEN_WIDTH);

  return MAX (1, maximum);
}

/* Returns the largest square window that fits the layer's input with its
 * padding. "Same" padding grows with the window, so any size fits. */
static gsize
get_kernel_maximum (const LsLayer *layer)
{
  const LsWindow *window = &layer->window;
  gsize height, width;

  if (window->padding_mode == LS_PADDING_SAME)
    return LS_MAX_KERNEL_SIZE;

  height = layer->input_shape.dims[1] + window->padding[0] + window->padding_after[0];
  width = layer->input_shape.dims[2] + window->padding[1] + window->padding_after[1];

  return MIN (MIN (height, width), LS_MAX_KERNEL_SIZE);
}

static gsize
get_field_maximum (const LsLayer *layer,
                   Field          field)
{
  if (field == FIELD_UNITS)
    return get_units_maximum (layer);
  if (field == FIELD_KERNEL)
    return get_kernel_maximum (layer);
  if (field == FIELD_HEADS)
    return MAX (1, layer->units);

  return field_info[field].maximum;
}

/* Returns why text is no value of the field for the layer, with the range
 * that the layer allows. */
static char *
dup_field_message (const LsLayer *layer,
                   Field          field,
                   const char    *text)
{
  gsize maximum = get_field_maximum (layer, field);
  g_autofree char *shape = NULL;

  switch (field)
    {
    case FIELD_UNITS:
      if (layer->kind == LS_LAYER_EMBEDDING)
        return g_strdup_printf (_("“%s” is not a valid token width. This window offers a width d of "
                                  "1 to %zu, so that the diagram can show every number of each token: "
                                  "type a whole number in that range."), text, maximum);
      if (layer->kind == LS_LAYER_CONV2D)
        return g_strdup_printf (_("“%s” is not a valid number of filters. This convolution can have "
                                  "1 to %zu filters: type a whole number in that range."), text, maximum);
      return g_strdup_printf (_("“%s” is not a valid unit count. This layer can have 1 to %zu units: "
                                "type a whole number in that range."), text, maximum);

    case FIELD_KERNEL:
      shape = ls_explain_shape (&layer->input_shape);
      if (layer->kind != LS_LAYER_CONV2D)
        return g_strdup_printf (_("“%s” is not a valid window size for this layer’s %s input. "
                                  "Type a whole number from 1 to %zu."), text, shape, maximum);
      if (layer->window.padding_mode == LS_PADDING_SAME)
        return g_strdup_printf (_("“%s” is not a valid kernel size. Type a whole number from 1 to %zu."),
                                text, maximum);
      return g_strdup_printf (_("“%s” is not a valid kernel size for this layer’s %s input. Type a whole "
                                "number from 1 to %zu, or add padding for a larger kernel."), text, shape, maximum);

    case FIELD_STRIDE:
      return g_strdup_printf (_("“%s” is not a valid stride. Type a whole number from 1 to %zu."), text, maximum);

    case FIELD_PADDING:
      return g_strdup_printf (_("“%s” is not a valid padding. Type a whole number from 0 to %zu."), text, maximum);

    case FIELD_HEADS:
      return g_strdup_printf (_("“%s” is not a valid number of heads. Type a whole number from 1 to %zu "
                                "that divides the token width d = %zu."), text, maximum, layer->units);

    case N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

/* Shows message under the card of layer index, where the user is
 * looking, until the next edit of that card succeeds. */
static void
show_card_error (LsLayerPanel *self,
                 gsize         index,
                 GtkWidget    *source,
                 const char   *message)
{
  LayerCard *card;

  gtk_widget_error_bell (source);
  if (index >= self->cards->len)
    {
      ls_panel_show_error (source, message);
      return;
    }

  card = g_ptr_array_index (self->cards, index);
  gtk_label_set_text (GTK_LABEL (card->error), message);
  gtk_widget_set_visible (card->error, TRUE);
  g_set_weak_pointer (&card->error_source, source);
}

static void
clear_card_error (LsLayerPanel *self,
                  gsize         index)
{
  LayerCard *card;

  if (index >= self->cards->len)
    return;

  card = g_ptr_array_index (self->cards, index);
  gtk_label_set_text (GTK_LABEL (card->error), "");
  gtk_widget_set_visible (card->error, FALSE);
  g_clear_weak_pointer (&card->error_source);
}

/* Rejects numbers outside the layer's limits with a message, instead of
 * letting the spin button clamp them without a word. */
static int
field_input_cb (GtkSpinButton *spin,
                double        *new_value,
                LsLayerPanel  *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  Field field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (spin), "field"));
  const LsLayer *layer = ls_network_get_layer (self->network, get_index (spin));
  g_autofree char *message = NULL;
  char *end;
  long long value = strtoll (text, &end, 10);

  if (*text != '\0' && *end == '\0' && value >= field_info[field].minimum &&
      (gsize) value <= get_field_maximum (layer, field))
    {
      /* Tells field_changed_cb() that this value was typed, not stepped. */
      g_object_set_data (G_OBJECT (spin), "typed", GSIZE_TO_POINTER ((gsize) value));
      *new_value = value;
      return TRUE;
    }

  /* Returning the current value keeps the layer as it is; GTK_INPUT_ERROR
   * would make the spin button fall back to its lower bound. */
  *new_value = get_field_value (layer, field);
  message = dup_field_message (layer, field, text);
  show_card_error (self, get_index (spin), GTK_WIDGET (spin), message);

  return TRUE;
}

static void update_cards (LsLayerPanel *self);

/* Returns the window that the layer gets when its card's field changes
 * to value, or the padding mode to mode; FALSE with a message when no
 * window is like that. */
static gboolean
plan_window (const LsLayer  *layer,
             Field           field,
             gsize           value,
             LsPaddingMode   mode,
             LsWindow       *window,
             GError        **error)
{
  gsize kernel[2] = { layer->window.kernel[0], layer->window.kernel[1] };
  gsize stride[2] = { layer->window.stride[0], layer->window.stride[1] };
  gsize padding[2] = { layer->window.padding[0], layer->window.padding[1] };

  if (field == FIELD_KERNEL)
    kernel[0] = kernel[1] = value;
  else if (field == FIELD_STRIDE)
    stride[0] = stride[1] = value;
  else if (field == FIELD_PADDING)
    padding[0] = padding[1] = value;

  /* The engine's message names the document format's terms. */
  if (mode == LS_PADDING_SAME && (stride[0] != 1 || stride[1] != 1))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("“Same size” padding keeps the image size only with stride 1, not %zu. "
                     "Choose Number padding or stride 1."),
                   MAX (stride[0], stride[1]));
      return FALSE;
    }

  return ls_window_init (window, kernel, stride, mode, padding, error);
}

/* Shows the engine's message and the layer's unchanged values when an
 * edit of layer index failed. After a successful edit, clears the card's
 * message. */
static void
show_edit_result (LsLayerPanel *self,
                  gsize         index,
                  GtkWidget    *source,
                  const GError *error)
{
  if (error == NULL)
    {
      clear_card_error (self, index);
      return;
    }

  show_card_error (self, index, source, error->message);
  update_cards (self);
}

/* Applies a new value of one field. An edit that the engine rejects
 * shows why, and the card goes back to the layer as it is. */
static void
apply_field (LsLayerPanel  *self,
             gsize          index,
             Field          field,
             gsize          value,
             LsPaddingMode  mode,
             GtkWidget     *source)
{
  const LsLayer *layer = ls_network_get_layer (self->network, index);
  g_autoptr(GError) error = NULL;
  LsWindow window;
  gboolean applied;

  if (value > get_field_maximum (layer, field))
    {
      g_autofree char *text = g_strdup_printf ("%zu", value);
      g_autofree char *message = dup_field_message (layer, field, text);

      show_card_error (self, index, source, message);
      update_cards (self);
      return;
    }

  if (field == FIELD_UNITS)
    applied = ls_network_set_units (self->network, index, value, &error);
  else if (field == FIELD_HEADS)
    applied = ls_network_set_heads (self->network, index, value, &error);
  else
    applied = plan_window (layer, field, value, mode, &window, &error) &&
              ls_network_set_window (self->network, index, &window, &error);

  show_edit_result (self, index, source, applied ? NULL : error);
}

/* Finds the divisors of d next to value: *below is the largest one under
 * value and *above the smallest one over it, or 0 where there is none. */
static void
find_nearest_divisors (gsize  d,
                       gsize  value,
                       gsize *below,
                       gsize *above)
{
  *below = 0;
  *above = 0;
  for (gsize k = 1; k < value && k <= d; k++)
    if (d % k == 0)
      *below = k;
  for (gsize k = value + 1; k <= d; k++)
    if (d % k == 0)
      {
        *above = k;
        break;
      }
}

/* Returns the heads that a value of the heads field becomes: value when
 * it divides d, else the next divisor of d in the direction of a step of
 * the + or − button. A typed value that does not divide d gives 0 and a
 * message that names the divisors next to it. */
static gsize
resolve_heads (LsLayerPanel  *self,
               gsize          index,
               GtkSpinButton *spin,
               gsize          value,
               gboolean       typed)
{
  const LsLayer *layer = ls_network_get_layer (self->network, index);
  gsize d = layer->units;
  gsize below, above;
  g_autofree char *message = NULL;

  if (d == 0 || d % value == 0)
    return value;

  find_nearest_divisors (d, value, &below, &above);
  if (!typed)
    return value > layer->heads ? above : below;

  if (above > 0)
    message = g_strdup_printf (_("%zu heads do not divide the token width d = %zu. Use %zu or %zu heads."),
                               value, d, below, above);
  else
    message = g_strdup_printf (_("%zu heads do not divide the token width d = %zu. Use %zu heads."),
                               value, d, below);
  show_card_error (self, index, GTK_WIDGET (spin), message);

  return 0;
}

static void
field_changed_cb (GtkSpinButton *spin,
                  LsLayerPanel  *self)
{
  gsize index = get_index (spin);
  Field field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (spin), "field"));
  const LsLayer *layer = ls_network_get_layer (self->network, index);
  gsize value = gtk_spin_button_get_value_as_int (spin);
  gboolean typed = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (spin), "typed")) == value;

  g_object_set_data (G_OBJECT (spin), "typed", NULL);

  /* The spin button also reports the value that a rejected edit put
   * back, which must not clear the card's message. */
  if (value == get_field_value (layer, field))
    return;

  if (field == FIELD_HEADS)
    {
      value = resolve_heads (self, index, spin, value, typed);
      if (value == 0)
        {
          update_cards (self);
          return;
        }
    }

  apply_field (self, index, field, value,
               field == FIELD_PADDING ? LS_PADDING_EXPLICIT : layer->window.padding_mode,
               GTK_WIDGET (spin));
}

static void
padding_mode_changed_cb (GtkDropDown  *dropdown,
                         GParamSpec   *pspec,
                         LsLayerPanel *self)
{
  gsize index = get_index (dropdown);
  const LsLayer *layer = ls_network_get_layer (self->network, index);

  apply_field (self, index, FIELD_PADDING, layer->window.padding[0],
               gtk_drop_down_get_selected (dropdown), GTK_WIDGET (dropdown));
}

static void
activation_changed_cb (GtkDropDown  *dropdown,
                       GParamSpec   *pspec,
                       LsLayerPanel *self)
{
  ls_network_set_activation (self->network, get_index (dropdown), gtk_drop_down_get_selected (dropdown));
}

static void
causal_changed_cb (GtkSwitch    *toggle,
                   GParamSpec   *pspec,
                   LsLayerPanel *self)
{
  ls_network_set_causal (self->network, get_index (toggle), gtk_switch_get_active (toggle));
}

static void
residual_changed_cb (GtkSwitch    *toggle,
                     GParamSpec   *pspec,
                     LsLayerPanel *self)
{
  g_autoptr(GError) error = NULL;
  gsize index = get_index (toggle);
  gboolean applied;

  applied = ls_network_set_residual (self->network, index, gtk_switch_get_active (toggle), &error);
  show_edit_result (self, index, GTK_WIDGET (toggle), applied ? NULL : error);
}

static void
pooling_changed_cb (GtkDropDown  *dropdown,
                    GParamSpec   *pspec,
                    LsLayerPanel *self)
{
  ls_network_set_token_pooling (self->network, get_index (dropdown), gtk_drop_down_get_selected (dropdown));
}

static void
eps_changed_cb (LsNumberEntry *entry,
                LsLayerPanel  *self)
{
  g_autoptr(GError) error = NULL;
  gsize index = get_index (entry);
  gboolean applied;

  applied = ls_network_set_layernorm_eps (self->network, index, ls_number_entry_get_value (entry), &error);
  show_edit_result (self, index, GTK_WIDGET (entry), applied ? NULL : error);
}

/* Clears a card's message about a rejected epsilon once the field shows
 * the layer's value again, as it does after text that is no number, so
 * that the message does not name a value that the field no longer has. */
static void
eps_text_changed_cb (GtkEditable  *editable,
                     LsLayerPanel *self)
{
  GtkWidget *entry = gtk_widget_get_ancestor (GTK_WIDGET (editable), LS_TYPE_NUMBER_ENTRY);
  gsize index = get_index (entry);
  LayerCard *card;
  g_autofree char *layer_value = NULL;

  if (self->updating || index >= self->cards->len)
    return;

  card = g_ptr_array_index (self->cards, index);
  layer_value = ls_format_value (ls_network_get_layer (self->network, index)->eps);
  if (card->error_source == entry && g_str_equal (gtk_editable_get_text (editable), layer_value))
    clear_card_error (self, index);
}

static GtkWidget *
new_activation_dropdown (const LsLayer *layer)
{
  const char *names[LS_N_ACTIVATIONS + 1] = { NULL };
  GtkWidget *dropdown;

  for (guint i = 0; i < LS_N_ACTIVATIONS; i++)
    names[i] = ls_activation_get_display_name (i);

  dropdown = gtk_drop_down_new_from_strings (names);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), layer->activation);
  ls_panel_hide_tooltip_while_open (dropdown);

  return dropdown;
}

static GtkWidget *
new_caption (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_hexpand (label, TRUE);

  return label;
}

static char *
dup_card_title (LsLayerPanel *self,
                gsize         index)
{
  const LsLayer *layer = ls_network_get_layer (self->network, index);
  g_autofree char *layer_title = ls_explain_layer_title (self->network, index);

  /* TRANSLATORS: layer number, title and kind, e.g. "1 · hidden · Dense" */
  return g_strdup_printf (_("%zu · %s · %s"), index + 1, layer_title,
                          ls_layer_kind_get_display_name (layer->kind));
}

/* Returns whether the engine can remove layer index: in a network that
 * reads text, the first layer is the embedding and always stays. */
static gboolean
can_remove (LsLayerPanel *self,
            gsize         index)
{
  return !(index == 0 && ls_network_has_token_input (self->network));
}

static GtkWidget *
new_layer_header (LsLayerPanel *self,
                  gsize         index,
                  LayerCard    *card)
{
  g_autofree char *title = dup_card_title (self, index);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label;
  GtkWidget *remove;

  label = new_caption (title);
  gtk_widget_add_css_class (label, "heading");
  /* A long layer name wraps instead of widening the panel. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_box_append (GTK_BOX (header), label);
  card->title = label;

  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove this layer"));
  gtk_widget_set_sensitive (remove, ls_network_get_n_layers (self->network) > 1);
  g_object_set_data (G_OBJECT (remove), "layer", GSIZE_TO_POINTER (index));
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
  card->remove = remove;
  if (!can_remove (self, index))
    {
      /* GTK 4 shows no tooltip of an insensitive widget, so the reason
       * goes on a sensitive box around the button too. */
      GtkWidget *wrapper = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      const char *reason = _("The embedding layer cannot be removed: it turns the token ids into "
                             "vectors, so a network that reads text needs it first.");

      gtk_widget_set_tooltip_text (remove, reason);
      gtk_widget_set_tooltip_text (wrapper, reason);
      gtk_widget_set_sensitive (remove, FALSE);
      gtk_box_append (GTK_BOX (wrapper), remove);
      remove = wrapper;
    }
  gtk_box_append (GTK_BOX (header), remove);

  return header;
}

/* Adds a captioned control to the card's grid and ties it to the layer. */
static GtkWidget *
attach_row (GtkWidget  *grid,
            const char *caption,
            GtkWidget  *control,
            gsize       index)
{
  GtkWidget *label = new_caption (caption);
  int row = 0;

  while (gtk_grid_get_child_at (GTK_GRID (grid), 0, row) != NULL)
    row++;

  g_object_set_data (G_OBJECT (control), "layer", GSIZE_TO_POINTER (index));
  gtk_accessible_update_relation (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  gtk_grid_attach (GTK_GRID (grid), label, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), control, 1, row, 1, 1);

  return label;
}

static GtkWidget *
add_field (LsLayerPanel *self,
           GtkWidget    *grid,
           LayerCard    *card,
           gsize         index,
           Field         field,
           const char   *caption)
{
  const FieldInfo *info = &field_info[field];
  GtkWidget *spin = gtk_spin_button_new_with_range (info->minimum, info->maximum, 1);
  GtkWidget *label;

  /* Room for four digits, not for the seven of the largest unit count,
   * so that the card fits a narrow panel. */
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 4);
  /* Ctrl+Z belongs to the window's undo of the whole document. */
  gtk_editable_set_enable_undo (GTK_EDITABLE (spin), FALSE);
  g_object_set_data (G_OBJECT (spin), "field", GUINT_TO_POINTER (field));
  g_signal_connect (spin, "input", G_CALLBACK (field_input_cb), self);
  g_signal_connect (spin, "value-changed", G_CALLBACK (field_changed_cb), self);
  ls_panel_scroll_past (spin);
  label = attach_row (grid, caption, spin, index);
  card->fields[field] = spin;

  return label;
}

static void
add_window_fields (LsLayerPanel *self,
                   GtkWidget    *grid,
                   LayerCard    *card,
                   gsize         index)
{
  const char *names[G_N_ELEMENTS (padding_names) + 1] = { NULL };

  add_field (self, grid, card, index, FIELD_KERNEL, card->kind == LS_LAYER_CONV2D ? _("Kernel size") : _("Window size"));
  add_field (self, grid, card, index, FIELD_STRIDE, _("Stride"));
  if (card->kind != LS_LAYER_CONV2D)
    return;

  /* Pooling windows have no padding in the engine, so only a
   * convolution offers it. */
  for (guint i = 0; i < G_N_ELEMENTS (padding_names); i++)
    names[i] = _(padding_names[i]);
  card->padding_mode = gtk_drop_down_new_from_strings (names);
  gtk_widget_set_tooltip_text (card->padding_mode, _("Zeros around the input: none, enough to keep its size, "
                                                     "or a number of rows and columns on each side"));
  g_signal_connect (card->padding_mode, "notify::selected", G_CALLBACK (padding_mode_changed_cb), self);
  ls_panel_hide_tooltip_while_open (card->padding_mode);
  attach_row (grid, _("Padding"), card->padding_mode, index);
  card->padding_label = add_field (self, grid, card, index, FIELD_PADDING, _("Padding size"));
}

/* A switch, kept at its natural size at the end of its grid cell. */
static GtkWidget *
add_switch (LsLayerPanel *self,
            GtkWidget    *grid,
            gsize         index,
            const char   *caption,
            const char   *tooltip,
            GCallback     callback)
{
  GtkWidget *toggle = gtk_switch_new ();

  gtk_widget_set_halign (toggle, GTK_ALIGN_START);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (toggle, tooltip);
  g_signal_connect (toggle, "notify::active", callback, self);
  attach_row (grid, caption, toggle, index);

  return toggle;
}

/* A value that the card shows but does not edit. */
static void
add_fact (GtkWidget  *grid,
          const char *caption,
          const char *text,
          gsize       index)
{
  GtkWidget *value = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (value), 0.0);
  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  attach_row (grid, caption, value, index);
}

static void
add_embedding_rows (LsLayerPanel  *self,
                    GtkWidget     *grid,
                    LayerCard     *card,
                    const LsLayer *layer,
                    gsize          index)
{
  g_autofree char *words = g_strdup_printf (ngettext ("%zu word", "%zu words", layer->rows), layer->rows);

  g_autofree char *tooltip = g_strdup_printf (_("The numbers per token: each vocabulary word has a row "
                                                "of d numbers in the table. This window offers a width "
                                                "of at most %d."), MAX_TOKEN_WIDTH);

  add_field (self, grid, card, index, FIELD_UNITS, _("Width d"));
  gtk_spin_button_set_range (GTK_SPIN_BUTTON (card->fields[FIELD_UNITS]), 1, get_units_maximum (layer));
  gtk_widget_set_tooltip_text (card->fields[FIELD_UNITS], tooltip);
  add_fact (grid, _("Vocabulary"), words, index);
}

static void
add_positional_rows (GtkWidget     *grid,
                     const LsLayer *layer,
                     gsize          index)
{
  const char *encoding = layer->encoding == LS_POSITIONAL_LEARNED ? _("Learned table")
                                                                  : _("Sinusoidal (fixed)");

  add_fact (grid, _("Encoding"), encoding, index);
}

static void
add_attention_rows (LsLayerPanel *self,
                    GtkWidget    *grid,
                    LayerCard    *card,
                    gsize         index)
{
  add_field (self, grid, card, index, FIELD_HEADS, _("Heads"));
  gtk_widget_set_tooltip_text (card->fields[FIELD_HEADS], _("Each head attends with its own slice of "
                                                            "d / heads columns, so heads must divide d"));
  card->causal = add_switch (self, grid, index, _("Causal"),
                             _("Each token attends only to itself and the tokens before it"),
                             G_CALLBACK (causal_changed_cb));
  card->residual = add_switch (self, grid, index, _("Residual"),
                               _("Add the layer's input to its output: output = x + attention(x)"),
                               G_CALLBACK (residual_changed_cb));
}

static void
add_layernorm_rows (LsLayerPanel *self,
                    GtkWidget    *grid,
                    LayerCard    *card,
                    gsize         index)
{
  card->eps = ls_number_entry_new ();
  gtk_widget_set_tooltip_text (card->eps, _("Added to the variance before the square root, "
                                            "above 0 and at most 1"));
  g_signal_connect (card->eps, "value-changed", G_CALLBACK (eps_changed_cb), self);
  /* The number entry's text field, whose text it resets after a rejected value. */
  g_signal_connect (gtk_widget_get_first_child (card->eps), "changed", G_CALLBACK (eps_text_changed_cb), self);
  attach_row (grid, _("Epsilon"), card->eps, index);
}

static void
add_pooling_rows (LsLayerPanel *self,
                  GtkWidget    *grid,
                  LayerCard    *card,
                  gsize         index)
{
  const char *names[G_N_ELEMENTS (pooling_names) + 1] = { NULL };

  for (guint i = 0; i < G_N_ELEMENTS (pooling_names); i++)
    names[i] = _(pooling_names[i]);
  card->pooling = gtk_drop_down_new_from_strings (names);
  gtk_widget_set_tooltip_text (card->pooling, _("How the token rows become one vector"));
  g_signal_connect (card->pooling, "notify::selected", G_CALLBACK (pooling_changed_cb), self);
  ls_panel_hide_tooltip_while_open (card->pooling);
  attach_row (grid, _("Pooling"), card->pooling, index);
}

/* Units, activation and, on a sequence, the residual switch. */
static void
add_dense_rows (LsLayerPanel  *self,
                GtkWidget     *grid,
                LayerCard     *card,
                const LsLayer *layer,
                gsize          index)
{
  add_field (self, grid, card, index, FIELD_UNITS, _("Units"));
  card->activation = new_activation_dropdown (layer);
  g_signal_connect (card->activation, "notify::selected", G_CALLBACK (activation_changed_cb), self);
  attach_row (grid, _("Activation"), card->activation, index);
  if (layer->input_shape.rank == 2)
    card->residual = add_switch (self, grid, index, _("Residual"),
                                 _("Add each token's input to its output: output = x + f(x), "
                                   "which needs as many units as inputs"),
                                 G_CALLBACK (residual_changed_cb));
}

static void
add_kind_rows (LsLayerPanel  *self,
               GtkWidget     *grid,
               LayerCard     *card,
               const LsLayer *layer,
               gsize          index)
{
  switch (layer->kind)
    {
    case LS_LAYER_DENSE:
      add_dense_rows (self, grid, card, layer, index);
      break;

    case LS_LAYER_CONV2D:
      add_field (self, grid, card, index, FIELD_UNITS, _("Filters"));
      add_window_fields (self, grid, card, index);
      card->activation = new_activation_dropdown (layer);
      g_signal_connect (card->activation, "notify::selected", G_CALLBACK (activation_changed_cb), self);
      attach_row (grid, _("Activation"), card->activation, index);
      break;

    case LS_LAYER_MAXPOOL2D:
    case LS_LAYER_AVGPOOL2D:
      add_window_fields (self, grid, card, index);
      break;

    case LS_LAYER_EMBEDDING:
      add_embedding_rows (self, grid, card, layer, index);
      break;

    case LS_LAYER_POSITIONAL:
      add_positional_rows (grid, layer, index);
      break;

    case LS_LAYER_ATTENTION:
      add_attention_rows (self, grid, card, index);
      break;

    case LS_LAYER_LAYERNORM:
      add_layernorm_rows (self, grid, card, index);
      break;

    case LS_LAYER_POOL_TOKENS:
      add_pooling_rows (self, grid, card, index);
      break;

    case LS_LAYER_FLATTEN:
    case LS_N_LAYER_KINDS:
    default:
      break;
    }
}

static GtkWidget *
new_layer_card (LsLayerPanel *self,
                gsize         index,
                LayerCard    *card)
{
  const LsLayer *layer = ls_network_get_layer (self->network, index);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *grid = gtk_grid_new ();

  card->kind = layer->kind;
  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "layer-card");
  gtk_box_append (GTK_BOX (box), new_layer_header (self, index, card));

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  add_kind_rows (self, grid, card, layer, index);
  gtk_box_append (GTK_BOX (box), grid);

  card->error = new_caption (NULL);
  gtk_label_set_wrap (GTK_LABEL (card->error), TRUE);
  gtk_label_set_selectable (GTK_LABEL (card->error), TRUE);
  gtk_widget_add_css_class (card->error, "error");
  gtk_widget_add_css_class (card->error, "card-error");
  gtk_widget_set_visible (card->error, FALSE);
  gtk_box_append (GTK_BOX (box), card->error);

  card->output = new_caption (NULL);
  gtk_widget_add_css_class (card->output, "dim-label");
  gtk_box_append (GTK_BOX (box), card->output);

  return box;
}

/* Returns why a dense or flatten layer cannot go at index, or NULL when
 * it can: its flat output cannot feed a convolution or pooling layer. */
static char *
dup_flat_insert_problem (LsLayerPanel *self,
                         gsize         index,
                         LsLayerKind   kind)
{
  const LsLayer *next;

  if (index >= ls_network_get_n_layers (self->network))
    return NULL;

  next = ls_network_get_layer (self->network, index);
  if (next->kind != LS_LAYER_CONV2D && next->kind != LS_LAYER_MAXPOOL2D && next->kind != LS_LAYER_AVGPOOL2D)
    return NULL;

  return g_strdup_printf (_("%s follows here and needs an image, but %s gives a flat list of values. "
                            "Insert it after the last convolution or pooling layer."),
                          ls_layer_kind_get_display_name (next->kind), ls_layer_kind_get_display_name (kind));
}

/* Describes the values that reach a position: "a sequence of 5 tokens
 * of 16 numbers each", "an image of 1 × 8 × 8" or "a flat list of 64
 * values". */
static char *
dup_input_description (const LsShape *shape)
{
  g_autofree char *shape_text = NULL;

  if (shape->rank == 2)
    return g_strdup_printf (ngettext ("a sequence of %zu token of %zu numbers each",
                                      "a sequence of %zu tokens of %zu numbers each", shape->dims[0]),
                            shape->dims[0], shape->dims[1]);
  if (shape->rank == 1)
    return g_strdup_printf (ngettext ("a flat list of %zu value", "a flat list of %zu values", shape->dims[0]),
                            shape->dims[0]);

  shape_text = ls_explain_shape (shape);
  return g_strdup_printf (_("an image of %s"), shape_text);
}

/* Returns why a layer of a token kind, or a flatten layer, cannot go at
 * index, or NULL when it can. Positional encoding, attention and token
 * pooling need a sequence [T][d]. Layer normalisation needs a sequence or
 * a flat list. Flatten on a sequence would make the layers after it
 * depend on the number of tokens in the text. */
static char *
dup_token_insert_problem (LsLayerPanel *self,
                          gsize         index,
                          LsLayerKind   kind)
{
  const LsShape *shape = ls_network_get_layer_input_shape (self->network, index);
  const char *kind_name = ls_layer_kind_get_display_name (kind);
  g_autofree char *input = dup_input_description (shape);

  if (kind == LS_LAYER_FLATTEN)
    return g_strdup_printf (_("Flatten would make the layers after it depend on the number of tokens, "
                              "because here the input is %s. Use Token pooling to turn a sequence "
                              "into one vector."), input);
  if (kind == LS_LAYER_LAYERNORM && shape->rank != 3)
    return NULL;
  if (kind != LS_LAYER_LAYERNORM && shape->rank == 2)
    return NULL;

  return g_strdup_printf (_("%s needs a sequence of tokens, but here the input is %s. "
                            "Insert it after the embedding and before the token pooling layer."),
                          kind_name, input);
}

/* Returns why a layer of kind cannot go at index, or NULL when it can.
 * In a network that reads text, the embedding layer stays first.
 * Convolution and pooling need an image, and the default 2×2 pooling
 * window needs one of at least 2 × 2 pixels. */
static char *
dup_insert_problem (LsLayerPanel *self,
                    gsize         index,
                    LsLayerKind   kind)
{
  const LsShape *shape = ls_network_get_layer_input_shape (self->network, index);
  const char *kind_name = ls_layer_kind_get_display_name (kind);
  g_autofree char *shape_text = NULL;
  g_autofree char *input = NULL;

  if (index == 0 && ls_network_has_token_input (self->network))
    return g_strdup (_("The embedding layer must stay first, because it turns the token ids into "
                       "vectors. Insert layers after it."));

  if (kind == LS_LAYER_FLATTEN && shape->rank == 2)
    return dup_token_insert_problem (self, index, kind);
  if (kind == LS_LAYER_DENSE || kind == LS_LAYER_FLATTEN)
    return dup_flat_insert_problem (self, index, kind);
  if (kind != LS_LAYER_CONV2D && kind != LS_LAYER_MAXPOOL2D && kind != LS_LAYER_AVGPOOL2D)
    return dup_token_insert_problem (self, index, kind);

  if (shape->rank == 2)
    {
      input = dup_input_description (shape);
      return g_strdup_printf (_("%s needs an image input, but here the input is %s."), kind_name, input);
    }

  if (shape->rank != 3)
    return g_strdup_printf (_("%s needs an image input, but here the input is a flat list of %zu values. "
                              "Insert it before the flatten or dense layer."),
                            kind_name, ls_shape_get_size (shape));

  if (kind != LS_LAYER_CONV2D && (shape->dims[1] < DEFAULT_POOL || shape->dims[2] < DEFAULT_POOL))
    {
      shape_text = ls_explain_shape (shape);
      return g_strdup_printf (_("%s with a %d×%d window needs an image of at least %d × %d pixels, "
                                "and the image here is %s."),
                              kind_name, DEFAULT_POOL, DEFAULT_POOL, DEFAULT_POOL, DEFAULT_POOL, shape_text);
    }

  return NULL;
}

/* Makes the kinds that cannot go at the position of an insert menu
 * insensitive, with the reason as their tooltip. GTK 4 shows no tooltip
 * of an insensitive widget, so the note below the entries lists the
 * reasons too, each once. */
static void
update_insert_menu (LsLayerPanel *self,
                    GtkWidget    *button)
{
  GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  GtkWidget *note = g_object_get_data (G_OBJECT (popover), "note");
  GtkWidget *box = g_object_get_data (G_OBJECT (popover), "items");
  gsize index = get_index (popover);
  g_autoptr(GString) reasons = g_string_new (NULL);

  for (GtkWidget *item = gtk_widget_get_first_child (box);
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      LsLayerKind kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (item), "kind"));
      g_autofree char *problem = NULL;

      if (item == note)
        continue;

      problem = dup_insert_problem (self, index, kind);
      gtk_widget_set_sensitive (item, problem == NULL);
      gtk_widget_set_tooltip_text (item, problem);
      if (problem != NULL && strstr (reasons->str, problem) == NULL)
        g_string_append_printf (reasons, "%s%s", reasons->len > 0 ? "\n\n" : "", problem);
    }

  gtk_label_set_text (GTK_LABEL (note), reasons->str);
  gtk_widget_set_visible (note, reasons->len > 0);
}

/* Closes the menu first, because the insertion rebuilds the cards and
 * with them this menu. */
static void
insert_item_clicked_cb (GtkButton    *item,
                        LsLayerPanel *self)
{
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (item), GTK_TYPE_POPOVER);
  LsLayerKind kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (item), "kind"));

  gtk_popover_popdown (GTK_POPOVER (popover));
  gtk_widget_activate_action (GTK_WIDGET (self), "layers.insert", "(su)",
                              ls_layer_kind_get_name (kind), (guint32) get_index (popover));
}

/* The insert menu's greatest height in pixels: its entries and the start
 * of the note, and less than half of a 720-pixel-high screen, so that it
 * fits above or below any insert button there. */
#define MAX_INSERT_MENU_HEIGHT 320

static GtkWidget *
new_insert_popover (LsLayerPanel *self,
                    gsize         index)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *note;

  for (guint i = 0; i < G_N_ELEMENTS (insert_kinds); i++)
    {
      GtkWidget *item = gtk_button_new_with_label (ls_layer_kind_get_display_name (insert_kinds[i]));

      gtk_label_set_xalign (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (item))), 0.0);
      gtk_widget_add_css_class (item, "flat");
      g_object_set_data (G_OBJECT (item), "kind", GUINT_TO_POINTER (insert_kinds[i]));
      g_signal_connect (item, "clicked", G_CALLBACK (insert_item_clicked_cb), self);
      gtk_box_append (GTK_BOX (box), item);
    }

  /* The reasons why the greyed-out kinds cannot go here, below the
   * entries, so that long reasons never push an entry out of sight. */
  note = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (note), 0.0);
  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (note), 36);
  gtk_widget_add_css_class (note, "dim-label");
  gtk_widget_add_css_class (note, "insert-note");
  gtk_box_append (GTK_BOX (box), note);

  /* A menu taller than the room left on the screen shrinks and scrolls. */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), MAX_INSERT_MENU_HEIGHT);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), box);

  g_object_set_data (G_OBJECT (popover), "layer", GSIZE_TO_POINTER (index));
  g_object_set_data (G_OBJECT (popover), "note", note);
  g_object_set_data (G_OBJECT (popover), "items", box);
  gtk_popover_set_child (GTK_POPOVER (popover), scroller);
  gtk_widget_add_css_class (popover, "insert-menu");

  return popover;
}

/* A button before each layer, and one after the last, with a menu of the
 * kinds it can insert there. */
static GtkWidget *
new_insert_button (LsLayerPanel *self,
                   gsize         index)
{
  GtkWidget *button = gtk_menu_button_new ();

  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), _("Insert layer here"));
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), new_insert_popover (self, index));
  if (index < ls_network_get_n_layers (self->network))
    gtk_widget_set_tooltip_text (button, _("Insert a layer before this one"));
  else
    gtk_widget_set_tooltip_text (button, _("Add a layer after the last one, which makes it the output layer"));
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "insert-layer");
  ls_panel_hide_tooltip_while_open (button);
  g_ptr_array_add (self->insert_buttons, button);

  return button;
}

/* Lays out the cards in forward order with an insert button before each
 * layer and one after the last, so a new layer can go anywhere. */
static void
build_cards (LsLayerPanel *self)
{
  GtkWidget *child;
  gsize n_layers;

  while ((child = gtk_widget_get_first_child (self->box)) != NULL)
    gtk_box_remove (GTK_BOX (self->box), child);
  g_ptr_array_set_size (self->cards, 0);
  g_ptr_array_set_size (self->insert_buttons, 0);

  if (self->network == NULL)
    return;

  n_layers = ls_network_get_n_layers (self->network);
  for (gsize i = 0; i < n_layers; i++)
    {
      LayerCard *card = g_new0 (LayerCard, 1);

      gtk_box_append (GTK_BOX (self->box), new_insert_button (self, i));
      gtk_box_append (GTK_BOX (self->box), new_layer_card (self, i, card));
      g_ptr_array_add (self->cards, card);
    }
  gtk_box_append (GTK_BOX (self->box), new_insert_button (self, n_layers));
  update_cards (self);
}

static void
stop_focus_after_layout (LsLayerPanel *self)
{
  if (self->focus_clock != NULL)
    g_clear_signal_handler (&self->after_paint_id, self->focus_clock);
  g_clear_object (&self->focus_clock);
  g_clear_weak_pointer (&self->focus_target);
}

static void
focus_target_cb (LsLayerPanel *self)
{
  if (self->focus_target != NULL)
    gtk_widget_grab_focus (self->focus_target);
  stop_focus_after_layout (self);
}

/* Gives target the keyboard focus once the next frame has laid out the
 * new cards, so that the scrolled window, which scrolls to the focused
 * widget, finds it where it is drawn. */
static void
focus_after_layout (LsLayerPanel *self,
                    GtkWidget    *target)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  stop_focus_after_layout (self);
  if (clock == NULL)
    return;

  g_set_weak_pointer (&self->focus_target, target);
  self->focus_clock = g_object_ref (clock);
  self->after_paint_id = g_signal_connect_swapped (clock, "after-paint", G_CALLBACK (focus_target_cb), self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Rebuilds the cards where the side panel was scrolled to. The insert
 * button at focus_index, the place of the last insertion or removal,
 * then takes the focus from the button that the rebuild removed.
 *
 * The focus leaves the cards first. When the focused button is removed,
 * GTK moves the focus to the first button of the panel, and the scrolled
 * window would follow it to the top. */
static void
rebuild (LsLayerPanel *self)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkAdjustment *adjustment = NULL;
  double position = 0.0;

  if (scrolled != NULL)
    {
      adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
      position = gtk_adjustment_get_value (adjustment);
    }
  if (focus != NULL && gtk_widget_is_ancestor (focus, self->box))
    gtk_root_set_focus (root, NULL);

  build_cards (self);

  if (adjustment != NULL)
    gtk_adjustment_set_value (adjustment, position);
  if (self->focus_index >= 0 && (gsize) self->focus_index < self->insert_buttons->len)
    focus_after_layout (self, g_ptr_array_index (self->insert_buttons, self->focus_index));
}

static void
set_spin_value (LsLayerPanel *self,
                GtkWidget    *spin,
                gsize         value)
{
  if (spin == NULL)
    return;

  g_signal_handlers_block_by_func (spin, field_changed_cb, self);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  g_signal_handlers_unblock_by_func (spin, field_changed_cb, self);
}

static void
update_window_fields (LsLayerPanel  *self,
                      const LsLayer *layer,
                      LayerCard     *card)
{
  const LsWindow *window = &layer->window;
  gboolean explicit = window->padding_mode == LS_PADDING_EXPLICIT;
  g_autofree char *tooltip = NULL;

  set_spin_value (self, card->fields[FIELD_KERNEL], window->kernel[0]);
  set_spin_value (self, card->fields[FIELD_STRIDE], window->stride[0]);
  if (window->kernel[0] != window->kernel[1] || window->stride[0] != window->stride[1])
    tooltip = g_strdup_printf (_("The window is %zu×%zu with stride %zu×%zu. A new value applies to both sides."),
                               window->kernel[0], window->kernel[1], window->stride[0], window->stride[1]);
  gtk_widget_set_tooltip_text (card->fields[FIELD_KERNEL], tooltip);
  if (card->padding_mode == NULL)
    return;

  g_signal_handlers_block_by_func (card->padding_mode, padding_mode_changed_cb, self);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (card->padding_mode), window->padding_mode);
  g_signal_handlers_unblock_by_func (card->padding_mode, padding_mode_changed_cb, self);
  set_spin_value (self, card->fields[FIELD_PADDING], window->padding[0]);
  gtk_widget_set_visible (card->fields[FIELD_PADDING], explicit);
  gtk_widget_set_visible (card->padding_label, explicit);
}

static void
set_switch_active (LsLayerPanel *self,
                   GtkWidget    *toggle,
                   GCallback     callback,
                   gboolean      active)
{
  if (toggle == NULL)
    return;

  g_signal_handlers_block_by_func (toggle, callback, self);
  gtk_switch_set_active (GTK_SWITCH (toggle), active);
  g_signal_handlers_unblock_by_func (toggle, callback, self);
}

/* Shows the values of the fields that the token layers have. */
static void
update_token_fields (LsLayerPanel  *self,
                     const LsLayer *layer,
                     LayerCard     *card)
{
  set_spin_value (self, card->fields[FIELD_HEADS], layer->heads);
  set_switch_active (self, card->causal, G_CALLBACK (causal_changed_cb), layer->causal);
  set_switch_active (self, card->residual, G_CALLBACK (residual_changed_cb), layer->residual);
  if (card->eps != NULL)
    ls_number_entry_set_value (LS_NUMBER_ENTRY (card->eps), layer->eps);

  if (card->pooling != NULL)
    {
      g_signal_handlers_block_by_func (card->pooling, pooling_changed_cb, self);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (card->pooling), layer->pooling);
      g_signal_handlers_unblock_by_func (card->pooling, pooling_changed_cb, self);
    }
}

/* Shows the current values, titles and shapes in the existing cards.
 * Rebuilding them instead would take the keyboard focus away from the
 * field being edited and drop clicks that arrive during the rebuild. */
static void
update_cards (LsLayerPanel *self)
{
  gsize n_layers = ls_network_get_n_layers (self->network);

  self->updating = TRUE;
  for (gsize i = 0; i < n_layers; i++)
    {
      const LsLayer *layer = ls_network_get_layer (self->network, i);
      LayerCard *card = g_ptr_array_index (self->cards, i);
      g_autofree char *title = dup_card_title (self, i);
      g_autofree char *shape = ls_explain_shape (&layer->output_shape);
      g_autofree char *output = g_strdup_printf (_("Output: %s"), shape);

      gtk_label_set_text (GTK_LABEL (card->title), title);
      gtk_label_set_text (GTK_LABEL (card->output), output);
      gtk_widget_set_sensitive (card->remove, n_layers > 1 && can_remove (self, i));
      set_spin_value (self, card->fields[FIELD_UNITS], layer->units);
      if (ls_layer_is_spatial (layer))
        update_window_fields (self, layer, card);

      if (card->activation != NULL)
        {
          g_signal_handlers_block_by_func (card->activation, activation_changed_cb, self);
          gtk_drop_down_set_selected (GTK_DROP_DOWN (card->activation), layer->activation);
          g_signal_handlers_unblock_by_func (card->activation, activation_changed_cb, self);
        }
      update_token_fields (self, layer, card);
    }

  self->updating = FALSE;

  /* The shapes between the layers decide what each menu can insert. */
  for (guint i = 0; i < self->insert_buttons->len; i++)
    update_insert_menu (self, g_ptr_array_index (self->insert_buttons, i));
}

/* Whether every card shows a layer of the kind it was built for. */
static gboolean
cards_match (LsLayerPanel *self)
{
  if (ls_network_get_n_layers (self->network) != self->cards->len)
    return FALSE;

  for (guint i = 0; i < self->cards->len; i++)
    if (((LayerCard *) g_ptr_array_index (self->cards, i))->kind != ls_network_get_layer (self->network, i)->kind)
      return FALSE;

  return TRUE;
}

static void
network_changed_cb (LsLayerPanel *self,
                    guint         change)
{
  if (!(change & (LS_CHANGE_STRUCTURE | LS_CHANGE_METADATA)))
    return;

  if (cards_match (self))
    update_cards (self);
  else
    rebuild (self);
}

static void
ls_layer_panel_dispose (GObject *object)
{
  LsLayerPanel *self = LS_LAYER_PANEL (object);

  stop_focus_after_layout (self);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->network);
  g_clear_pointer (&self->cards, g_ptr_array_unref);
  g_clear_pointer (&self->insert_buttons, g_ptr_array_unref);

  G_OBJECT_CLASS (ls_layer_panel_parent_class)->dispose (object);
}

static void
ls_layer_panel_class_init (LsLayerPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_layer_panel_dispose;

  /**
   * LsLayerPanel::layer-removed:
   * @index: the position that the removed layer had, 0 for the first
   * @snapshot: the document as it was before, in the layerscope-network format
   * @title: the removed layer's title, such as "flatten" or "hidden 2"
   *
   * Emitted after the user removed a layer with its bin button.
   */
  signals[LAYER_REMOVED] =
    g_signal_new ("layer-removed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "layers.insert", "(su)", insert_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "layerpanel");
}

static void
ls_layer_panel_init (LsLayerPanel *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->cards = g_ptr_array_new_with_free_func (free_card);
  self->insert_buttons = g_ptr_array_new ();
  self->focus_index = -1;
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
}

void
ls_layer_panel_set_network (LsLayerPanel *self,
                            LsNetwork    *network)
{
  g_return_if_fail (LS_IS_LAYER_PANEL (self));
  g_return_if_fail (network == NULL || LS_IS_NETWORK (network));

  ls_panel_watch_network (self, &self->network, network, G_CALLBACK (network_changed_cb));

  rebuild (self);
}
