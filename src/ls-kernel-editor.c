/* ls-kernel-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ls-kernel-editor.h"
#include "ls-number-entry.h"
#include "ls-palette.h"
#include "ls-panel.h"

/* An editor shows the kernels of this many input channels at most: a
 * field per weight of 64 channels would take GTK long to build and bury
 * the formula below. */
#define MAX_CHANNELS 16

typedef struct
{
  const char *display_name;  /* marked with N_() and translated on use */
  float values[9];           /* [3][3], or unused for the sized presets */
} PresetInfo;

/* The 3×3 kernels as in Gonzalez and Woods, Digital Image Processing
 * (4th edition), sections 3.5 and 3.6. A conv2d layer computes a
 * cross-correlation, as torch.nn.Conv2d does, so Sobel x is positive
 * where the input gets brighter from left to right. */
static const PresetInfo preset_info[] = {
  [LS_KERNEL_PRESET_IDENTITY] = { N_("Identity"), { 0 } },
  [LS_KERNEL_PRESET_BOX_BLUR] = { N_("Box blur"), { 0 } },
  [LS_KERNEL_PRESET_SHARPEN] = { N_("Sharpen"), { 0, -1, 0, -1, 5, -1, 0, -1, 0 } },
  [LS_KERNEL_PRESET_SOBEL_X] = { N_("Sobel x"), { -1, 0, 1, -2, 0, 2, -1, 0, 1 } },
  [LS_KERNEL_PRESET_SOBEL_Y] = { N_("Sobel y"), { -1, -2, -1, 0, 0, 0, 1, 2, 1 } },
  [LS_KERNEL_PRESET_LAPLACIAN] = { N_("Laplacian"), { 0, 1, 0, 1, -4, 1, 0, 1, 0 } },
};

G_STATIC_ASSERT (G_N_ELEMENTS (preset_info) == LS_N_KERNEL_PRESETS);

/* Whether the preset exists for a kh × kw kernel. */
static gboolean
preset_fits (LsKernelPreset preset,
             gsize          kh,
             gsize          kw)
{
  return preset == LS_KERNEL_PRESET_IDENTITY || preset == LS_KERNEL_PRESET_BOX_BLUR ||
         (kh == 3 && kw == 3);
}

const char *
ls_kernel_preset_get_display_name (LsKernelPreset preset)
{
  g_return_val_if_fail (preset < LS_N_KERNEL_PRESETS, NULL);

  return _(preset_info[preset].display_name);
}

gboolean
ls_kernel_preset_fill (LsKernelPreset  preset,
                       gsize           kh,
                       gsize           kw,
                       float          *values)
{
  gsize size = kh * kw;

  g_return_val_if_fail (preset < LS_N_KERNEL_PRESETS, FALSE);
  g_return_val_if_fail (kh > 0 && kw > 0 && values != NULL, FALSE);

  switch (preset)
    {
    case LS_KERNEL_PRESET_IDENTITY:
      for (gsize i = 0; i < size; i++)
        values[i] = 0.0f;
      values[(kh - 1) / 2 * kw + (kw - 1) / 2] = 1.0f;
      return TRUE;

    case LS_KERNEL_PRESET_BOX_BLUR:
      for (gsize i = 0; i < size; i++)
        values[i] = 1.0f / size;
      return TRUE;

    case LS_KERNEL_PRESET_SHARPEN:
    case LS_KERNEL_PRESET_SOBEL_X:
    case LS_KERNEL_PRESET_SOBEL_Y:
    case LS_KERNEL_PRESET_LAPLACIAN:
      if (!preset_fits (preset, kh, kw))
        return FALSE;
      memcpy (values, preset_info[preset].values, sizeof preset_info[preset].values);
      return TRUE;

    case LS_N_KERNEL_PRESETS:
    default:
      g_assert_not_reached ();
    }
}

/* One weight's field on a background in the weight's colour, so that a
 * kernel's pattern shows at a glance. */
#define LS_TYPE_KERNEL_CELL (ls_kernel_cell_get_type ())
G_DECLARE_FINAL_TYPE (LsKernelCell, ls_kernel_cell, LS, KERNEL_CELL, GtkWidget)

struct _LsKernelCell
{
  GtkWidget parent_instance;

  GtkWidget *entry;  /* LsNumberEntry */
  LsColor color;
};

G_DEFINE_FINAL_TYPE (LsKernelCell, ls_kernel_cell, GTK_TYPE_WIDGET)

static void
ls_kernel_cell_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  LsKernelCell *self = LS_KERNEL_CELL (widget);
  GdkRGBA rgba = { self->color.red, self->color.green, self->color.blue, 1.0 };
  GskRoundedRect outline;

  gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                                  gtk_widget_get_height (widget)), 6);
  gtk_snapshot_push_rounded_clip (snapshot, &outline);
  gtk_snapshot_append_color (snapshot, &rgba, &outline.bounds);
  gtk_snapshot_pop (snapshot);

  GTK_WIDGET_CLASS (ls_kernel_cell_parent_class)->snapshot (widget, snapshot);
}

static void
ls_kernel_cell_dispose (GObject *object)
{
  LsKernelCell *self = LS_KERNEL_CELL (object);

  g_clear_pointer (&self->entry, gtk_widget_unparent);

  G_OBJECT_CLASS (ls_kernel_cell_parent_class)->dispose (object);
}

static void
ls_kernel_cell_class_init (LsKernelCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_kernel_cell_dispose;
  widget_class->snapshot = ls_kernel_cell_snapshot;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "kernelcell");
}

static void
ls_kernel_cell_init (LsKernelCell *self)
{
  self->entry = ls_number_entry_new ();
  ls_number_entry_set_step (LS_NUMBER_ENTRY (self->entry), 0.1);
  gtk_widget_set_parent (self->entry, GTK_WIDGET (self));
}

/* Shows value and colours the cell, with light text on dark colours. */
static void
ls_kernel_cell_set_value (LsKernelCell *self,
                          float         value)
{
  LsColor text;

  ls_number_entry_set_value (LS_NUMBER_ENTRY (self->entry), value);
  ls_palette_get_value_color (value, &self->color);
  ls_palette_get_text_color (&self->color, &text);
  if (text.red > 0.5)
    gtk_widget_add_css_class (GTK_WIDGET (self), "light-text");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "light-text");
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

struct _LsKernelEditor
{
  GtkWidget parent_instance;

  LsNetwork *network;
  gsize layer;
  gsize filter;

  GtkWidget *box;
  GtkWidget *target;  /* nullable GtkDropDown: channels 1 to C, then all */
  GPtrArray *cells;   /* of LsKernelCell, [shown channels][kh][kw] */
  GtkWidget *bias;    /* LsNumberEntry */
};

G_DEFINE_FINAL_TYPE (LsKernelEditor, ls_kernel_editor, GTK_TYPE_WIDGET)

static const LsLayer *
get_layer (LsKernelEditor *self)
{
  return ls_network_get_layer (self->network, self->layer);
}

static void
cell_changed_cb (LsKernelEditor *self,
                 LsNumberEntry  *entry)
{
  const LsLayer *layer = get_layer (self);
  gsize index = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (entry), "index"));
  gsize kernel_size = ls_layer_get_kernel_size (layer);
  gsize position = index % kernel_size;
  g_autoptr(GError) error = NULL;

  if (!ls_network_set_kernel_weight (self->network, self->layer, self->filter, index / kernel_size,
                                     position / layer->window.kernel[1], position % layer->window.kernel[1],
                                     ls_number_entry_get_value (entry), &error))
    ls_panel_show_error (GTK_WIDGET (entry), error->message);
}

static void
bias_changed_cb (LsKernelEditor *self,
                 LsNumberEntry  *entry)
{
  g_autoptr(GError) error = NULL;

  if (!ls_network_set_bias (self->network, self->layer, self->filter, ls_number_entry_get_value (entry), &error))
    ls_panel_show_error (GTK_WIDGET (entry), error->message);
}

/* Applies a preset to the channel that the target menu names, or to all
 * channels, each with one edit. */
static void
preset_clicked_cb (GtkButton      *button,
                   LsKernelEditor *self)
{
  const LsLayer *layer = get_layer (self);
  LsKernelPreset preset = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "preset"));
  gsize channels = layer->input_shape.dims[0];
  gsize first = 0, end = channels;
  g_autofree float *values = g_new (float, ls_layer_get_kernel_size (layer));  /* [kh][kw] */
  g_autoptr(GError) error = NULL;

  if (!ls_kernel_preset_fill (preset, layer->window.kernel[0], layer->window.kernel[1], values))
    return;

  if (self->target != NULL && gtk_drop_down_get_selected (GTK_DROP_DOWN (self->target)) < channels)
    {
      first = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->target));
      end = first + 1;
    }

  for (gsize c = first; c < end; c++)
    if (!ls_network_set_kernel (self->network, self->layer, self->filter, c, values,
                                ls_layer_get_kernel_size (layer), &error))
      {
        ls_panel_show_error (GTK_WIDGET (button), error->message);
        return;
      }
}

static GtkWidget *
new_preset_button (LsKernelEditor *self,
                   LsKernelPreset  preset)
{
  const LsLayer *layer = get_layer (self);
  GtkWidget *button = gtk_button_new_with_label (ls_kernel_preset_get_display_name (preset));

  g_object_set_data (G_OBJECT (button), "preset", GUINT_TO_POINTER (preset));
  g_signal_connect (button, "clicked", G_CALLBACK (preset_clicked_cb), self);
  if (!preset_fits (preset, layer->window.kernel[0], layer->window.kernel[1]))
    {
      g_autofree char *reason = g_strdup_printf (_("%s is defined for 3×3 kernels only, and this kernel is %zu×%zu"),
                                                 ls_kernel_preset_get_display_name (preset),
                                                 layer->window.kernel[0], layer->window.kernel[1]);

      gtk_widget_set_sensitive (button, FALSE);
      gtk_widget_set_tooltip_text (button, reason);
    }

  return button;
}

static GtkWidget *
new_target_dropdown (gsize channels)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;
  GtkWidget *dropdown;

  for (gsize c = 0; c < channels; c++)
    {
      g_autofree char *name = g_strdup_printf (_("Channel %zu"), c + 1);

      g_strv_builder_add (builder, name);
    }
  g_strv_builder_add (builder, _("All channels"));
  names = g_strv_builder_end (builder);

  dropdown = gtk_drop_down_new_from_strings ((const char * const *) names);
  gtk_widget_set_tooltip_text (dropdown, _("The input channel whose kernel a preset replaces"));

  return dropdown;
}

static void
add_presets (LsKernelEditor *self)
{
  gsize channels = get_layer (self)->input_shape.dims[0];
  GtkWidget *flow = gtk_flow_box_new ();
  GtkWidget *heading = gtk_label_new (_("Presets"));

  gtk_label_set_xalign (GTK_LABEL (heading), 0.0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (self->box), heading);

  if (channels > 1)
    {
      self->target = new_target_dropdown (channels);
      gtk_box_append (GTK_BOX (self->box), self->target);
    }

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 3);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 6);
  for (guint i = 0; i < LS_N_KERNEL_PRESETS; i++)
    gtk_flow_box_append (GTK_FLOW_BOX (flow), new_preset_button (self, i));
  gtk_box_append (GTK_BOX (self->box), flow);
}

/* Builds the kh × kw grid of one input channel's kernel. */
static GtkWidget *
new_channel_grid (LsKernelEditor *self,
                  gsize           channel)
{
  const LsLayer *layer = get_layer (self);
  gsize kh = layer->window.kernel[0], kw = layer->window.kernel[1];
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 3);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 3);
  for (gsize ky = 0; ky < kh; ky++)
    for (gsize kx = 0; kx < kw; kx++)
      {
        GtkWidget *cell = g_object_new (LS_TYPE_KERNEL_CELL, NULL);
        GtkWidget *entry = LS_KERNEL_CELL (cell)->entry;
        g_autofree char *name = g_strdup_printf (_("Weight at row %zu, column %zu of channel %zu"),
                                                 ky + 1, kx + 1, channel + 1);

        g_object_set_data (G_OBJECT (entry), "index",
                           GSIZE_TO_POINTER ((channel * kh + ky) * kw + kx));
        g_signal_connect_swapped (entry, "value-changed", G_CALLBACK (cell_changed_cb), self);
        gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
        gtk_grid_attach (GTK_GRID (grid), cell, kx, ky, 1, 1);
        g_ptr_array_add (self->cells, cell);
      }

  return grid;
}

static void
add_kernels (LsKernelEditor *self)
{
  gsize channels = get_layer (self)->input_shape.dims[0];
  gsize n_shown = MIN (channels, MAX_CHANNELS);
  GtkWidget *flow = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 12);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 12);
  for (gsize c = 0; c < n_shown; c++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);

      if (channels > 1)
        {
          g_autofree char *caption = g_strdup_printf (_("Channel %zu"), c + 1);
          GtkWidget *label = gtk_label_new (caption);

          gtk_label_set_xalign (GTK_LABEL (label), 0.0);
          gtk_widget_add_css_class (label, "dim-label");
          gtk_box_append (GTK_BOX (box), label);
        }
      gtk_box_append (GTK_BOX (box), new_channel_grid (self, c));
      gtk_flow_box_append (GTK_FLOW_BOX (flow), box);
    }
  gtk_box_append (GTK_BOX (self->box), flow);

  if (n_shown < channels)
    {
      g_autofree char *more = g_strdup_printf (_("The kernels of channels %zu to %zu are not shown."),
                                               n_shown + 1, channels);
      GtkWidget *label = gtk_label_new (more);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (self->box), label);
    }
}

static void
add_bias (LsKernelEditor *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (_("Bias"));

  self->bias = ls_number_entry_new ();
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->bias), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  g_signal_connect_swapped (self->bias, "value-changed", G_CALLBACK (bias_changed_cb), self);
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), self->bias);
  gtk_box_append (GTK_BOX (self->box), row);
}

void
ls_kernel_editor_update (LsKernelEditor *self)
{
  const LsLayer *layer;
  gsize kernel_size;

  g_return_if_fail (LS_IS_KERNEL_EDITOR (self));

  layer = get_layer (self);
  kernel_size = ls_layer_get_kernel_size (layer);
  for (guint i = 0; i < self->cells->len; i++)
    {
      const float *kernel = ls_layer_get_kernel (layer, self->filter, i / kernel_size);

      ls_kernel_cell_set_value (g_ptr_array_index (self->cells, i), kernel[i % kernel_size]);
    }
  ls_number_entry_set_value (LS_NUMBER_ENTRY (self->bias), layer->bias[self->filter]);
}

static void
ls_kernel_editor_dispose (GObject *object)
{
  LsKernelEditor *self = LS_KERNEL_EDITOR (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->network);
  g_clear_pointer (&self->cells, g_ptr_array_unref);

  G_OBJECT_CLASS (ls_kernel_editor_parent_class)->dispose (object);
}

static void
ls_kernel_editor_class_init (LsKernelEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_kernel_editor_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "kerneleditor");
}

static void
ls_kernel_editor_init (LsKernelEditor *self)
{
  self->cells = g_ptr_array_new ();
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
}

GtkWidget *
ls_kernel_editor_new (LsNetwork *network,
                      gsize      layer,
                      gsize      filter)
{
  LsKernelEditor *self;

  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);
  g_return_val_if_fail (layer < ls_network_get_n_layers (network), NULL);
  g_return_val_if_fail (ls_network_get_layer (network, layer)->kind == LS_LAYER_CONV2D, NULL);
  g_return_val_if_fail (filter < ls_network_get_layer (network, layer)->units, NULL);

  self = g_object_new (LS_TYPE_KERNEL_EDITOR, NULL);
  self->network = g_object_ref (network);
  self->layer = layer;
  self->filter = filter;

  add_kernels (self);
  add_bias (self);
  add_presets (self);
  ls_kernel_editor_update (self);

  return GTK_WIDGET (self);
}
