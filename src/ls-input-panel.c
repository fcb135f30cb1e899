/* ls-input-panel.c: a slider and a number field for each input value
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ls-explain.h"
#include "ls-number.h"
#include "ls-number-entry.h"
#include "ls-panel.h"

/* Inputs beyond this count are edited in the inspector only, because a
 * slider per pixel of an image would be of no use. */
#define MAX_SLIDERS 64

struct _LsInputPanel
{
  GtkWidget parent_instance;

  LsNetwork *network;
  GtkWidget *grid;
  GPtrArray *scales;   /* of GtkScale, [shown inputs] */
  GPtrArray *entries;  /* of LsNumberEntry, [shown inputs] */
};

G_DEFINE_FINAL_TYPE (LsInputPanel, ls_input_panel, GTK_TYPE_WIDGET)

/* Returns the slider's upper end for a value: 1, 2, 5, 10, 20, 50, …
 * at or above |value|, so inputs in [0, 1] share one scale. */
static double
get_nice_range (double value)
{
  double target = MAX (1.0, fabs (value));
  double decade = pow (10.0, floor (log10 (target)));

  if (target <= decade)
    return decade;
  if (target <= 2.0 * decade)
    return 2.0 * decade;
  if (target <= 5.0 * decade)
    return 5.0 * decade;

  return 10.0 * decade;
}

/* Labels both ends of the slider's track, so its scale can be read. */
static void
mark_range_ends (GtkScale *scale)
{
  GtkAdjustment *adjustment = gtk_range_get_adjustment (GTK_RANGE (scale));
  double ends[] = { gtk_adjustment_get_lower (adjustment), gtk_adjustment_get_upper (adjustment) };

  gtk_scale_clear_marks (scale);
  for (guint i = 0; i < G_N_ELEMENTS (ends); i++)
    {
      g_autofree char *text = ls_format_value (ends[i]);
      char *end = text + strlen (text);

      /* "1.00" reads better as "1" on a scale. */
      if (g_str_has_suffix (text, ".00"))
        end[-3] = '\0';
      gtk_scale_add_mark (scale, ends[i], GTK_POS_BOTTOM, text);
    }
}

static void
fit_range (GtkRange *range,
           double    value)
{
  GtkAdjustment *adjustment = gtk_range_get_adjustment (range);
  double upper = gtk_adjustment_get_upper (adjustment);
  double lower = gtk_adjustment_get_lower (adjustment);

  if (value > upper || value < lower)
    {
      double limit = get_nice_range (value);

      gtk_adjustment_set_upper (adjustment, MAX (upper, limit));
      if (value < lower)
        gtk_adjustment_set_lower (adjustment, -limit);
      mark_range_ends (GTK_SCALE (range));
    }
}

static void
set_input (LsInputPanel *self,
           GtkWidget    *source,
           gsize         index,
           double        value)
{
  g_autoptr(GError) error = NULL;

  if (!ls_network_set_input_value (self->network, index, value, &error))
    ls_panel_show_error (source, error->message);
}

static void
scale_value_changed_cb (GtkRange     *range,
                        LsInputPanel *self)
{
  gsize index = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (range), "index"));
  /* Two decimals, as the number field and the diagram show them. */
  double value = round (gtk_range_get_value (range) * 100.0) / 100.0;

  set_input (self, GTK_WIDGET (range), index, value);
}

static void
entry_value_changed_cb (LsNumberEntry *entry,
                        LsInputPanel  *self)
{
  gsize index = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (entry), "index"));

  set_input (self, GTK_WIDGET (entry), index, ls_number_entry_get_value (entry));
}

static void
update_values (LsInputPanel *self)
{
  const float *input = ls_network_get_input (self->network);

  for (guint i = 0; i < self->scales->len; i++)
    {
      GtkRange *range = g_ptr_array_index (self->scales, i);

      g_signal_handlers_block_by_func (range, scale_value_changed_cb, self);
      fit_range (range, input[i]);
      gtk_range_set_value (range, input[i]);
      g_signal_handlers_unblock_by_func (range, scale_value_changed_cb, self);
      ls_number_entry_set_value (g_ptr_array_index (self->entries, i), input[i]);
    }
}

static void
add_row (LsInputPanel *self,
         gsize         index)
{
  g_autofree char *name = ls_explain_neuron_name (self->network, 0, index);
  double value = ls_network_get_input (self->network)[index];
  double limit = get_nice_range (value);
  GtkWidget *label = gtk_label_new (name);
  GtkWidget *scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL,
                                               value < 0.0 ? -limit : 0.0, limit, 0.01);
  GtkWidget *entry = ls_number_entry_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_hexpand (scale, TRUE);
  gtk_range_set_value (GTK_RANGE (scale), value);
  mark_range_ends (GTK_SCALE (scale));
  gtk_accessible_update_relation (GTK_ACCESSIBLE (scale), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  g_object_set_data (G_OBJECT (scale), "index", GSIZE_TO_POINTER (index));
  g_object_set_data (G_OBJECT (entry), "index", GSIZE_TO_POINTER (index));
  g_signal_connect (scale, "value-changed", G_CALLBACK (scale_value_changed_cb), self);
  g_signal_connect (entry, "value-changed", G_CALLBACK (entry_value_changed_cb), self);

  gtk_grid_attach (GTK_GRID (self->grid), label, 0, index, 1, 1);
  gtk_grid_attach (GTK_GRID (self->grid), scale, 1, index, 1, 1);
  gtk_grid_attach (GTK_GRID (self->grid), entry, 2, index, 1, 1);
  g_ptr_array_add (self->scales, scale);
  g_ptr_array_add (self->entries, entry);
}

static void
rebuild (LsInputPanel *self)
{
  GtkWidget *child;
  gsize size;

  while ((child = gtk_widget_get_first_child (self->grid)) != NULL)
    gtk_grid_remove (GTK_GRID (self->grid), child);
  g_ptr_array_set_size (self->scales, 0);
  g_ptr_array_set_size (self->entries, 0);

  if (self->network == NULL)
    return;

  size = ls_network_get_input_size (self->network);
  if (size > MAX_SLIDERS)
    {
      g_autofree char *text = g_strdup_printf (_("%zu input values: click an input "
                                                 "neuron in the diagram to edit one."), size);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_grid_attach (GTK_GRID (self->grid), label, 0, 0, 3, 1);
      return;
    }

  for (gsize i = 0; i < size; i++)
    add_row (self, i);
  update_values (self);
}

static void
network_changed_cb (LsInputPanel *self,
                    guint         change)
{
  if (change & (LS_CHANGE_STRUCTURE | LS_CHANGE_METADATA))
    rebuild (self);
  else
    update_values (self);
}

static void
ls_input_panel_dispose (GObject *object)
{
  LsInputPanel *self = LS_INPUT_PANEL (object);

  g_clear_pointer (&self->grid, gtk_widget_unparent);
  g_clear_object (&self->network);
  g_clear_pointer (&self->scales, g_ptr_array_unref);
  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (ls_input_panel_parent_class)->dispose (object);
}

static void
ls_input_panel_class_init (LsInputPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_input_panel_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "inputpanel");
}

static void
ls_input_panel_init (LsInputPanel *self)
{
  self->scales = g_ptr_array_new ();
  self->entries = g_ptr_array_new ();
  self->grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 12);
  gtk_widget_set_parent (self->grid, GTK_WIDGET (self));
}

void
ls_input_panel_set_network (LsInputPanel *self,
                            LsNetwork    *network)
{
  g_return_if_fail (LS_IS_INPUT_PANEL (self));
  g_return_if_fail (network == NULL || LS_IS_NETWORK (network));

  ls_panel_watch_network (self, &self->network, network, G_CALLBACK (network_changed_cb));

  rebuild (self);
}
