/* ls-layer-panel.c: one card per layer with its units and activation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "ls-document.h"
#include "ls-explain.h"
#include "ls-panel.h"

/* Units of a new hidden layer. */
#define DEFAULT_UNITS 4

struct _LsLayerPanel
{
  GtkWidget parent_instance;

  LsNetwork *network;
  GtkWidget *box;
  GPtrArray *cards;  /* of LayerCard, [layers] */
  gint64 last_removal_time;  /* monotonic µs of the last removal */
};

/* The widgets of one layer that an edit may need to update. */
typedef struct
{
  GtkWidget *title;
  GtkWidget *remove;
  GtkWidget *units;
  GtkWidget *activation;
} LayerCard;

G_DEFINE_FINAL_TYPE (LsLayerPanel, ls_layer_panel, GTK_TYPE_WIDGET)

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
insert_clicked_cb (GtkButton    *button,
                   LsLayerPanel *self)
{
  g_autoptr(GError) error = NULL;

  if (!ls_network_insert_dense (self->network, get_index (button), DEFAULT_UNITS,
                                LS_ACTIVATION_RELU, &error))
    ls_panel_show_error (GTK_WIDGET (button), error->message);
}

/* Removes the layer and emits ::layer-removed with a copy of the document
 * from before, so that the window can offer to undo the removal. */
static void
remove_clicked_cb (GtkButton    *button,
                   LsLayerPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *snapshot = NULL;
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
  if (!ls_network_remove_layer (self->network, index, &error))
    {
      ls_panel_show_error (GTK_WIDGET (self), error->message);
      return;
    }

  g_signal_emit (self, signals[LAYER_REMOVED], 0, (guint) index, snapshot);
}

/* Rejects unit counts outside the engine's limits with a message,
 * instead of letting the spin button clamp them without a word. */
static int
units_input_cb (GtkSpinButton *spin,
                double        *new_value,
                LsLayerPanel  *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  g_autofree char *message = NULL;
  char *end;
  long long units = strtoll (text, &end, 10);

  if (*text != '\0' && *end == '\0' && units >= 1 && units <= LS_MAX_TENSOR_SIZE)
    {
      *new_value = units;
      return TRUE;
    }

  /* Returning the current count keeps the layer as it is; GTK_INPUT_ERROR
   * would make the spin button fall back to its lower bound, 1 unit. */
  *new_value = ls_network_get_layer (self->network, get_index (spin))->units;
  message = g_strdup_printf (_("“%s” is not a valid unit count. Type a whole number from 1 to %u."),
                             text, LS_MAX_TENSOR_SIZE);
  ls_panel_show_error (GTK_WIDGET (spin), message);

  return TRUE;
}

static void
units_changed_cb (GtkSpinButton *spin,
                  LsLayerPanel  *self)
{
  g_autoptr(GError) error = NULL;
  gsize index = get_index (spin);

  if (!ls_network_set_units (self->network, index, gtk_spin_button_get_value_as_int (spin), &error))
    {
      ls_panel_show_error (GTK_WIDGET (spin), error->message);
      gtk_spin_button_set_value (spin, ls_network_get_layer (self->network, index)->units);
    }
}

static void
activation_changed_cb (GtkDropDown  *dropdown,
                       GParamSpec   *pspec,
                       LsLayerPanel *self)
{
  ls_network_set_activation (self->network, get_index (dropdown), gtk_drop_down_get_selected (dropdown));
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
  gtk_box_append (GTK_BOX (header), label);
  card->title = label;

  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove this layer"));
  gtk_widget_set_sensitive (remove, ls_network_get_n_layers (self->network) > 1);
  g_object_set_data (G_OBJECT (remove), "layer", GSIZE_TO_POINTER (index));
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
  gtk_box_append (GTK_BOX (header), remove);
  card->remove = remove;

  return header;
}

static GtkWidget *
new_layer_card (LsLayerPanel *self,
                gsize         index,
                LayerCard    *layer_card)
{
  const LsLayer *layer = ls_network_get_layer (self->network, index);
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *units_label = new_caption (_("Units"));
  GtkWidget *activation_label = new_caption (_("Activation"));
  GtkWidget *units = gtk_spin_button_new_with_range (1, LS_MAX_TENSOR_SIZE, 1);
  GtkWidget *activation = new_activation_dropdown (layer);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "layer-card");
  gtk_box_append (GTK_BOX (card), new_layer_header (self, index, layer_card));
  layer_card->units = units;
  layer_card->activation = activation;

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (units), layer->units);
  g_object_set_data (G_OBJECT (units), "layer", GSIZE_TO_POINTER (index));
  g_object_set_data (G_OBJECT (activation), "layer", GSIZE_TO_POINTER (index));
  g_signal_connect (units, "input", G_CALLBACK (units_input_cb), self);
  g_signal_connect (units, "value-changed", G_CALLBACK (units_changed_cb), self);
  g_signal_connect (activation, "notify::selected", G_CALLBACK (activation_changed_cb), self);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (units), GTK_ACCESSIBLE_RELATION_LABELLED_BY, units_label, NULL, -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (activation), GTK_ACCESSIBLE_RELATION_LABELLED_BY, activation_label, NULL, -1);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_attach (GTK_GRID (grid), units_label, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), units, 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), activation_label, 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), activation, 1, 1, 1, 1);
  gtk_box_append (GTK_BOX (card), grid);

  return card;
}

static GtkWidget *
new_insert_button (LsLayerPanel *self,
                   gsize         index)
{
  GtkWidget *button = gtk_button_new_with_label (_("Insert dense layer here"));

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "insert-layer");
  g_object_set_data (G_OBJECT (button), "layer", GSIZE_TO_POINTER (index));
  g_signal_connect (button, "clicked", G_CALLBACK (insert_clicked_cb), self);

  return button;
}

/* Lays out the cards in forward order with an insert button before each
 * layer, so a new dense layer can go anywhere before the output. */
static void
rebuild (LsLayerPanel *self)
{
  GtkWidget *child;
  gsize n_layers;

  while ((child = gtk_widget_get_first_child (self->box)) != NULL)
    gtk_box_remove (GTK_BOX (self->box), child);
  g_ptr_array_set_size (self->cards, 0);

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
}

/* Shows the current units, activations and titles in the existing cards.
 * Rebuilding them instead would take the keyboard focus away from the
 * field being edited and drop clicks that arrive during the rebuild. */
static void
update_cards (LsLayerPanel *self)
{
  gsize n_layers = ls_network_get_n_layers (self->network);

  for (gsize i = 0; i < n_layers; i++)
    {
      const LsLayer *layer = ls_network_get_layer (self->network, i);
      LayerCard *card = g_ptr_array_index (self->cards, i);
      g_autofree char *title = dup_card_title (self, i);

      gtk_label_set_text (GTK_LABEL (card->title), title);
      gtk_widget_set_sensitive (card->remove, n_layers > 1);

      g_signal_handlers_block_by_func (card->units, units_changed_cb, self);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (card->units), layer->units);
      g_signal_handlers_unblock_by_func (card->units, units_changed_cb, self);

      g_signal_handlers_block_by_func (card->activation, activation_changed_cb, self);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (card->activation), layer->activation);
      g_signal_handlers_unblock_by_func (card->activation, activation_changed_cb, self);
    }
}

static void
network_changed_cb (LsLayerPanel *self,
                    guint         change)
{
  if (!(change & (LS_CHANGE_STRUCTURE | LS_CHANGE_METADATA)))
    return;

  if (ls_network_get_n_layers (self->network) == self->cards->len)
    update_cards (self);
  else
    rebuild (self);
}

static void
ls_layer_panel_dispose (GObject *object)
{
  LsLayerPanel *self = LS_LAYER_PANEL (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->network);
  g_clear_pointer (&self->cards, g_ptr_array_unref);

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
   *
   * Emitted after the user removed a layer with its bin button.
   */
  signals[LAYER_REMOVED] =
    g_signal_new ("layer-removed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "layerpanel");
}

static void
ls_layer_panel_init (LsLayerPanel *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->cards = g_ptr_array_new_with_free_func (g_free);
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
