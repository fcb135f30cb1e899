/* ls-inspector.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "ls-explain.h"
#include "ls-inspector.h"
#include "ls-kernel-editor.h"
#include "ls-matrix-editor.h"
#include "ls-number.h"
#include "ls-number-entry.h"
#include "ls-panel.h"

struct _LsInspector
{
  GtkWidget parent_instance;

  LsNetwork *network;
  LsSelection selection;

  GtkWidget *box;        /* rebuilt when the selection or the structure changes */
  GtkWidget *formula;    /* nullable */
  GPtrArray *weights;    /* of LsNumberEntry, [inputs] of the selected neuron */
  GtkWidget *bias;       /* nullable LsNumberEntry */
  GtkWidget *value;      /* nullable LsNumberEntry: an input value or an edge's weight */
  GtkWidget *summary;    /* nullable label: weighted sum and activation */
  GtkWidget *kernel_editor;  /* nullable LsKernelEditor of a conv2d pixel's filter */

  /* The view of an attention value: one map per head, the matrix editor
   * and the heading, which names the selected query token. */
  GtkWidget *heading;        /* nullable label */
  GPtrArray *maps;           /* of GtkDrawingArea, [heads] */
  GPtrArray *map_labels;     /* of GtkLabel, [heads]: each map's title */
  GtkWidget *matrix_editor;  /* nullable LsMatrixEditor */
  /* The matrix that the editor showed, kept across rebuilds of the same
   * layer, or -1 when the editor was closed. */
  int open_matrix;
  gsize open_matrix_column;
  /* The head that the editor's presets applied to, kept the same way
   * while the layer still has that head. */
  gsize open_head;
};

enum
{
  SIGNAL_SELECTION_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LsInspector, ls_inspector, GTK_TYPE_WIDGET)

/* A neuron's first this many incoming weights get a field each. A row per
 * weight of a 784-input neuron would bury the formula, and tens of
 * thousands of rows take GTK seconds to build. */
#define MAX_WEIGHT_ROWS 64

static void rebuild (LsInspector *self);

/* Shows an edit that the engine rejected. The number entries pass only
 * finite floats, which the engine accepts, so this is a safeguard. */
static void
report_error (GtkWidget *entry,
              GError    *error)
{
  ls_panel_show_error (entry, error->message);
}

/* Returns the selected dense neuron's unit, its column of W: a dense
 * layer on a token sequence applies the same W to each token's row. */
static gsize
get_selected_dense_unit (LsInspector *self)
{
  const LsLayer *layer = ls_network_get_layer (self->network, self->selection.column - 1);

  return self->selection.unit % layer->units;
}

static void
weight_changed_cb (LsInspector   *self,
                   LsNumberEntry *entry)
{
  g_autoptr(GError) error = NULL;
  gsize input = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (entry), "input"));
  gsize unit = get_selected_dense_unit (self);

  if (!ls_network_set_weight (self->network, self->selection.column - 1, input, unit,
                              ls_number_entry_get_value (entry), &error))
    report_error (GTK_WIDGET (entry), error);
}

static void
bias_changed_cb (LsInspector   *self,
                 LsNumberEntry *entry)
{
  g_autoptr(GError) error = NULL;

  if (!ls_network_set_bias (self->network, self->selection.column - 1, get_selected_dense_unit (self),
                            ls_number_entry_get_value (entry), &error))
    report_error (GTK_WIDGET (entry), error);
}

static void
value_changed_cb (LsInspector   *self,
                  LsNumberEntry *entry)
{
  g_autoptr(GError) error = NULL;
  const LsSelection *s = &self->selection;
  float value = ls_number_entry_get_value (entry);
  gboolean ok;

  if (s->kind == LS_SELECTION_EDGE)
    ok = ls_network_set_weight (self->network, s->column - 1, s->input, s->unit, value, &error);
  else
    ok = ls_network_set_input_value (self->network, s->unit, value, &error);

  if (!ok)
    report_error (GTK_WIDGET (entry), error);
}

static GtkWidget *
add_label (LsInspector *self,
           const char  *text,
           const char  *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (GTK_BOX (self->box), label);

  return label;
}

static GtkWidget *
add_entry_row (GtkWidget  *grid,
               int         row,
               const char *caption,
               GCallback   callback,
               gpointer    user_data)
{
  GtkWidget *label = gtk_label_new (caption);
  GtkWidget *entry = ls_number_entry_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_grid_attach (GTK_GRID (grid), label, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), entry, 1, row, 1, 1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  g_signal_connect_swapped (entry, "value-changed", callback, user_data);

  return entry;
}

static GtkWidget *
add_grid (LsInspector *self)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_box_append (GTK_BOX (self->box), grid);

  return grid;
}

static void
add_formula (LsInspector *self)
{
  add_label (self, _("Computation"), "heading");
  self->formula = add_label (self, NULL, "formula");
  gtk_label_set_selectable (GTK_LABEL (self->formula), TRUE);
}

/* Adds a formula whose lines are aligned, such as a convolution's rows of
 * products: its lines do not wrap, and those wider than the panel scroll
 * sideways under a scrollbar that stays visible, so that the cut lines
 * do not look complete. The panel's width follows the window's only, so
 * that it does not change with the formula. */
static void
add_aligned_formula (LsInspector *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  add_formula (self);
  g_object_ref (self->formula);
  gtk_box_remove (GTK_BOX (self->box), self->formula);
  gtk_label_set_wrap (GTK_LABEL (self->formula), FALSE);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_overlay_scrolling (GTK_SCROLLED_WINDOW (scrolled), FALSE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->formula);
  g_object_unref (self->formula);
  gtk_box_append (GTK_BOX (self->box), scrolled);
}

/* Builds the rows of a dense neuron: one weight per input, the bias, and
 * the worked formula above them. */
static void
build_neuron (LsInspector *self)
{
  const LsLayer *layer = ls_network_get_layer (self->network, self->selection.column - 1);
  g_autofree char *name = ls_explain_neuron_name (self->network, self->selection.column,
                                                   self->selection.unit);
  g_autofree char *heading = NULL;
  GtkWidget *grid;
  gsize n_rows;

  heading = g_strdup_printf (_("Neuron %s"), name);
  add_label (self, heading, "title-2");
  add_label (self, _("Incoming weights"), "heading");

  grid = add_grid (self);
  n_rows = MIN (ls_layer_get_inputs (layer), MAX_WEIGHT_ROWS);
  for (gsize i = 0; i < n_rows; i++)
    {
      /* On a sequence, the inputs are the selected token's row. */
      gsize token_start = self->selection.unit / layer->units * ls_layer_get_inputs (layer);
      g_autofree char *from = ls_explain_neuron_name (self->network, self->selection.column - 1, token_start + i);
      g_autofree char *caption = g_strdup_printf (_("from %s"), from);
      GtkWidget *entry = add_entry_row (grid, i, caption, G_CALLBACK (weight_changed_cb), self);

      g_object_set_data (G_OBJECT (entry), "input", GSIZE_TO_POINTER (i));
      g_ptr_array_add (self->weights, entry);
    }

  self->bias = add_entry_row (grid, n_rows, _("Bias"), G_CALLBACK (bias_changed_cb), self);
  if (n_rows < ls_layer_get_inputs (layer))
    {
      g_autofree char *more = g_strdup_printf (ngettext ("%zu more incoming weight is not listed. "
                                                         "Click its edge in the diagram to edit it.",
                                                         "%zu more incoming weights are not listed. "
                                                         "Click an edge in the diagram to edit one.",
                                                         ls_layer_get_inputs (layer) - n_rows),
                                               ls_layer_get_inputs (layer) - n_rows);

      add_label (self, more, "dim-label");
    }

  /* The formula comes after the fields because its height changes with
   * the numbers, and fields above it then stay where the pointer is. */
  add_formula (self);
  self->summary = add_label (self, NULL, NULL);
}

/* Returns "Convolution 3×3, stride 1, padding same" or "Max pooling 2×2,
 * stride 2" for a layer's subtitle. */
static char *
dup_window_text (const LsLayer *layer)
{
  const LsWindow *window = &layer->window;
  g_autofree char *padding = NULL;

  if (layer->kind != LS_LAYER_CONV2D)
    return g_strdup_printf (_("%s %zu×%zu, stride %zu"), ls_layer_kind_get_display_name (layer->kind),
                            window->kernel[0], window->kernel[1], window->stride[0]);

  if (window->padding_mode == LS_PADDING_SAME)
    padding = g_strdup (_("same"));
  else if (window->padding_mode == LS_PADDING_VALID)
    padding = g_strdup (_("valid"));
  else
    padding = g_strdup_printf ("%zu", window->padding[0]);

  return g_strdup_printf (_("%s %zu×%zu, stride %zu, padding %s, %s"), ls_layer_kind_get_display_name (layer->kind),
                          window->kernel[0], window->kernel[1], window->stride[0], padding,
                          ls_activation_get_display_name (layer->activation));
}

/* Titles a value of an image-shaped layer output by its map and position. */
static void
add_pixel_heading (LsInspector   *self,
                   const LsLayer *layer)
{
  gsize index = self->selection.column - 1;
  gsize plane = layer->output_shape.dims[1] * layer->output_shape.dims[2];
  gsize unit = self->selection.unit;
  g_autofree char *heading = NULL;
  g_autofree char *title = ls_explain_layer_title (self->network, index);
  g_autofree char *window = dup_window_text (layer);
  g_autofree char *subtitle = NULL;

  heading = g_strdup_printf (_("Map %zu, row %zu, column %zu"), unit / plane + 1,
                             unit % plane / layer->output_shape.dims[2] + 1,
                             unit % layer->output_shape.dims[2] + 1);
  subtitle = g_strdup_printf (_("Layer %zu (%s): %s"), index + 1, title, window);
  add_label (self, heading, "title-2");
  add_label (self, subtitle, "dim-label");
}

/* Builds the view of a conv2d output pixel: the kernels of its filter to
 * edit, with presets, and the worked formula. */
static void
build_conv2d (LsInspector *self)
{
  const LsLayer *layer = ls_network_get_layer (self->network, self->selection.column - 1);
  gsize plane = layer->output_shape.dims[1] * layer->output_shape.dims[2];
  gsize filter = self->selection.unit / plane;
  g_autofree char *heading = g_strdup_printf (_("Kernels of filter %zu"), filter + 1);

  add_pixel_heading (self, layer);
  add_label (self, heading, "heading");
  self->kernel_editor = ls_kernel_editor_new (self->network, self->selection.column - 1, filter);
  gtk_box_append (GTK_BOX (self->box), self->kernel_editor);
  add_aligned_formula (self);
  self->summary = add_label (self, NULL, NULL);
}

/* Builds the view of a value without parameters to edit here, such as a
 * pooling pixel, a flatten value or a token's embedding: the formula.
 * Only a pooling window's rows need their alignment kept, and every other
 * formula wraps to the panel's width. */
static void
build_formula_only (LsInspector *self)
{
  const LsLayer *layer = ls_network_get_layer (self->network, self->selection.column - 1);
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;

  if (ls_layer_is_spatial (layer))
    {
      add_pixel_heading (self, layer);
      add_aligned_formula (self);
      return;
    }

  name = ls_explain_neuron_name (self->network, self->selection.column, self->selection.unit);
  heading = g_strdup_printf (_("Value %s"), name);
  add_label (self, heading, "title-2");
  add_formula (self);
}

/* Builds the view of an input value, with a field to edit it. A token
 * of a text input has no field: its id comes from the text. */
static void
build_input (LsInspector *self)
{
  g_autofree char *name = ls_explain_neuron_name (self->network, 0, self->selection.unit);
  g_autofree char *heading = NULL;
  GtkWidget *grid;

  if (ls_network_has_token_input (self->network))
    {
      heading = g_strdup_printf (_("Token %s"), name);
      add_label (self, heading, "title-2");
      self->formula = add_label (self, NULL, "formula");
      add_label (self, _("To change it, edit the text in the field on the left."), "dim-label");
      return;
    }

  heading = g_strdup_printf (_("Input %s"), name);
  add_label (self, heading, "title-2");
  self->formula = add_label (self, NULL, "formula");
  grid = add_grid (self);
  self->value = add_entry_row (grid, 0, _("Value"), G_CALLBACK (value_changed_cb), self);
}

static void
build_edge (LsInspector *self)
{
  const LsSelection *s = &self->selection;
  g_autofree char *from = ls_explain_neuron_name (self->network, s->column - 1, s->input);
  g_autofree char *to = ls_explain_neuron_name (self->network, s->column, s->unit);
  g_autofree char *heading = g_strdup_printf (_("Weight %s → %s"), from, to);
  GtkWidget *grid;

  add_label (self, heading, "title-2");
  self->summary = add_label (self, NULL, "dim-label");
  grid = add_grid (self);
  self->value = add_entry_row (grid, 0, _("Weight"), G_CALLBACK (value_changed_cb), self);
  add_label (self, _("Scroll or drag on the edge to nudge it, or type a value and press Enter."),
             "dim-label");
}

/* Formats a value as the formulas do: "not a number" for NaN or an
 * infinity, and else as ls_format_value(). */
static char *
dup_value_text (double value)
{
  if (!isfinite (value))
    return g_strdup (_("not a number"));

  return ls_format_value (value);
}

/* Shows the weighted sum and the activation of a dense neuron or a conv2d
 * pixel. */
static void
update_summary (LsInspector *self)
{
  const LsLayer *layer = ls_network_get_layer (self->network, self->selection.column - 1);
  g_autofree char *z = NULL;
  g_autofree char *a = NULL;
  g_autofree char *summary = NULL;

  if (self->summary == NULL)
    return;

  z = dup_value_text (layer->pre_activation[self->selection.unit]);
  a = dup_value_text (layer->activation_output[self->selection.unit]);
  summary = g_strdup_printf (_("Weighted sum z = %s, activation %s(z) = %s"),
                             z, ls_activation_get_display_name (layer->activation), a);
  gtk_label_set_text (GTK_LABEL (self->summary), summary);
}

/* The attention maps use the diagram's text size and theme. */
static void
get_map_style (LsRenderStyle *style)
{
  *style = (LsRenderStyle) LS_RENDER_STYLE_INIT;
  style->font_px = LS_RENDER_WINDOW_FONT_PX;
  style->dark = adw_is_initialized () && adw_style_manager_get_dark (adw_style_manager_get_default ());
}

/* Returns the query token of the selected attention value. */
static gsize
get_selected_token (LsInspector *self)
{
  const LsLayer *layer = ls_network_get_layer (self->network, self->selection.column - 1);

  return self->selection.unit / layer->units;
}

/* Returns the head whose columns contain the selected attention value. */
static gsize
get_selected_head (LsInspector *self)
{
  const LsLayer *layer = ls_network_get_layer (self->network, self->selection.column - 1);

  return self->selection.unit % layer->units / (layer->units / layer->heads);
}

static void
draw_map_cb (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  LsInspector *self = user_data;
  gsize head = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (area), "head"));
  LsRenderStyle style;

  get_map_style (&style);
  ls_render_attention_map (cr, self->network, self->selection.column - 1, head, 0, 0, width, height,
                           (gssize) get_selected_token (self), &style);
}

/* Selects a value of query token `query` in head `head`'s columns: the
 * same column of the head slice as the selected value. Emits
 * ::selection-requested so that the diagram can select it too. */
static void
select_query (LsInspector *self,
              gsize        query,
              gsize        head)
{
  const LsLayer *layer = ls_network_get_layer (self->network, self->selection.column - 1);
  gsize head_width = layer->units / layer->heads;
  LsSelection selection = self->selection;

  selection.unit = query * layer->units + head * head_width + self->selection.unit % head_width;
  ls_inspector_set_selection (self, &selection);
  g_signal_emit (self, signals[SIGNAL_SELECTION_REQUESTED], 0, &selection);
}

static void
map_pressed_cb (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                LsInspector     *self)
{
  GtkWidget *area = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  gsize head = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (area), "head"));
  LsRenderStyle style;
  gsize query, key;

  get_map_style (&style);
  if (ls_render_attention_map_hit (self->network, self->selection.column - 1, 0, 0,
                                   gtk_widget_get_width (area), gtk_widget_get_height (area),
                                   &style, x, y, &query, &key))
    select_query (self, query, head);
}

/* Titles each head's map, naming the head whose columns contain the
 * selected value, which its formula explains. */
static void
update_map_labels (LsInspector *self)
{
  gsize selected_head = get_selected_head (self);

  for (gsize head = 0; head < self->map_labels->len; head++)
    {
      g_autofree char *name = NULL;

      if (head == selected_head)
        /* TRANSLATORS: the head whose columns contain the selected value */
        name = g_strdup_printf (_("Head %zu, which computes this value"), head + 1);
      else
        name = g_strdup_printf (_("Head %zu"), head + 1);
      gtk_label_set_text (g_ptr_array_index (self->map_labels, head), name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (g_ptr_array_index (self->maps, head)),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    }
}

/* Adds head `head`'s T × T map under a title that update_map_labels()
 * sets. */
static void
add_attention_map (LsInspector *self,
                   gsize        head)
{
  gsize tokens = ls_layer_get_tokens (ls_network_get_layer (self->network, self->selection.column - 1));
  GtkWidget *area = gtk_drawing_area_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  g_ptr_array_add (self->map_labels, add_label (self, NULL, NULL));
  g_object_set_data (G_OBJECT (area), "head", GSIZE_TO_POINTER (head));
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), (int) CLAMP (60 + 24 * tokens, 140, 420));
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_map_cb, self, NULL);
  g_signal_connect (click, "pressed", G_CALLBACK (map_pressed_cb), self);
  gtk_widget_add_controller (area, GTK_EVENT_CONTROLLER (click));
  gtk_box_append (GTK_BOX (self->box), area);
  g_ptr_array_add (self->maps, area);
}

static void
matrix_button_clicked_cb (GtkButton   *button,
                          LsInspector *self)
{
  LsAttentionMatrix matrix = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "matrix"));

  gtk_widget_set_visible (self->matrix_editor, TRUE);
  ls_matrix_editor_set_matrix (LS_MATRIX_EDITOR (self->matrix_editor), matrix);
}

/* Adds the buttons that open the matrix editor, and the editor, shown
 * when it was open on this layer before a rebuild. */
static void
add_matrix_editor (LsInspector *self,
                   gsize        head)
{
  static const char *const labels[] = { N_("Edit Q"), N_("Edit K"), N_("Edit V"), N_("Edit O") };
  GtkWidget *row = gtk_flow_box_new ();

  G_STATIC_ASSERT (G_N_ELEMENTS (labels) == LS_N_ATTENTION_MATRICES);

  add_label (self, _("Weights"), "heading");
  /* The buttons wrap to two lines in a narrow pane rather than reach
   * past its edge. */
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (row), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (row), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (row), 2);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (row), LS_N_ATTENTION_MATRICES);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (row), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (row), 6);
  for (guint m = 0; m < LS_N_ATTENTION_MATRICES; m++)
    {
      GtkWidget *button = gtk_button_new_with_label (_(labels[m]));

      g_object_set_data (G_OBJECT (button), "matrix", GUINT_TO_POINTER (m));
      g_signal_connect (button, "clicked", G_CALLBACK (matrix_button_clicked_cb), self);
      gtk_flow_box_append (GTK_FLOW_BOX (row), button);
    }
  gtk_box_append (GTK_BOX (self->box), row);

  if (self->open_matrix_column == self->selection.column &&
      self->open_head < ls_network_get_layer (self->network, self->selection.column - 1)->heads)
    head = self->open_head;
  self->matrix_editor = ls_matrix_editor_new (self->network, self->selection.column - 1);
  ls_matrix_editor_set_head (LS_MATRIX_EDITOR (self->matrix_editor), head);
  if (self->open_matrix >= 0 && self->open_matrix_column == self->selection.column)
    ls_matrix_editor_set_matrix (LS_MATRIX_EDITOR (self->matrix_editor), self->open_matrix);
  else
    gtk_widget_set_visible (self->matrix_editor, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->matrix_editor);
}

/* Titles the selected attention value and the maps by its head. */
static void
update_attention_heading (LsInspector *self)
{
  const LsLayer *layer = ls_network_get_layer (self->network, self->selection.column - 1);
  gsize head = get_selected_head (self);
  g_autofree char *name = ls_explain_neuron_name (self->network, self->selection.column, self->selection.unit);
  g_autofree char *heading = NULL;

  /* TRANSLATORS: "Value good·3, head 1 of 2" */
  heading = g_strdup_printf (_("Value %s, head %zu of %zu"), name, head + 1, layer->heads);
  gtk_label_set_text (GTK_LABEL (self->heading), heading);
  update_map_labels (self);
}

/* Builds the view of an attention value: the heads' maps with the query
 * token's row outlined, the matrix editor and the worked formula. */
static void
build_attention (LsInspector *self)
{
  gsize index = self->selection.column - 1;
  const LsLayer *layer = ls_network_get_layer (self->network, index);
  gsize head = get_selected_head (self);
  g_autofree char *title = ls_explain_layer_title (self->network, index);
  g_autofree char *subtitle = NULL;

  self->heading = add_label (self, NULL, "title-2");
  subtitle = g_strdup_printf (ngettext ("Layer %zu (%s): %zu head of %zu columns%s%s",
                                        "Layer %zu (%s): %zu heads of %zu columns%s%s", layer->heads),
                              index + 1, title, layer->heads, layer->units / layer->heads,
                              layer->causal ? _(", causal") : "", layer->residual ? _(", residual") : "");
  add_label (self, subtitle, "dim-label");

  add_label (self, _("Attention weights"), "heading");
  add_label (self, _("Each row is a query token and each column a key token. Click a row to explain "
                     "that token in that head."), "dim-label");
  for (gsize h = 0; h < layer->heads; h++)
    add_attention_map (self, h);

  add_matrix_editor (self, head);
  update_attention_heading (self);
  add_formula (self);
}

/* Builds the view that fits the selected value's layer kind. */
static void
build_value (LsInspector *self)
{
  const LsLayer *layer;

  if (self->selection.column == 0)
    {
      build_input (self);
      return;
    }

  layer = ls_network_get_layer (self->network, self->selection.column - 1);
  if (layer->kind == LS_LAYER_DENSE)
    build_neuron (self);
  else if (layer->kind == LS_LAYER_CONV2D)
    build_conv2d (self);
  else if (layer->kind == LS_LAYER_ATTENTION)
    build_attention (self);
  else
    build_formula_only (self);
}

/* Copies the current numbers into the rows without rebuilding them, so a
 * field keeps focus while its own edit reruns the network. */
static void
update_values (LsInspector *self)
{
  const LsSelection *s = &self->selection;
  g_autofree char *formula = NULL;

  if (s->kind == LS_SELECTION_NONE || self->network == NULL)
    return;

  if (s->kind == LS_SELECTION_EDGE)
    {
      const LsLayer *layer = ls_network_get_layer (self->network, s->column - 1);
      float input = s->column == 1 ? ls_network_get_input (self->network)[s->input]
                                   : ls_network_get_layer (self->network, s->column - 2)->activation_output[s->input];
      float weight = ls_layer_get_weight (layer, s->input, s->unit);
      g_autofree char *x = dup_value_text (input);
      g_autofree char *w = dup_value_text (weight);
      g_autofree char *product = dup_value_text (input * weight);
      g_autofree char *text = g_strdup_printf (_("Contributes %s × %s = %s to the weighted sum."), x, w, product);

      gtk_label_set_text (GTK_LABEL (self->summary), text);
      ls_number_entry_set_value (LS_NUMBER_ENTRY (self->value), weight);
      return;
    }

  formula = ls_explain_neuron (self->network, s->column, s->unit);
  gtk_label_set_text (GTK_LABEL (self->formula), formula);

  if (s->column == 0)
    {
      if (self->value != NULL)
        ls_number_entry_set_value (LS_NUMBER_ENTRY (self->value), ls_network_get_input (self->network)[s->unit]);
      return;
    }

  update_summary (self);
  if (self->kernel_editor != NULL)
    ls_kernel_editor_update (LS_KERNEL_EDITOR (self->kernel_editor));
  if (self->heading != NULL)
    update_attention_heading (self);
  for (guint i = 0; i < self->maps->len; i++)
    gtk_widget_queue_draw (g_ptr_array_index (self->maps, i));
  if (self->matrix_editor != NULL)
    ls_matrix_editor_update (LS_MATRIX_EDITOR (self->matrix_editor));
  if (self->bias != NULL)
    {
      const LsLayer *layer = ls_network_get_layer (self->network, s->column - 1);

      gsize unit = get_selected_dense_unit (self);

      for (guint i = 0; i < self->weights->len; i++)
        ls_number_entry_set_value (g_ptr_array_index (self->weights, i), ls_layer_get_weight (layer, i, unit));
      ls_number_entry_set_value (LS_NUMBER_ENTRY (self->bias), layer->bias[unit]);
    }
}

/* Returns whether the selection still names a neuron or edge of the network. */
static gboolean
selection_is_valid (LsInspector *self)
{
  const LsSelection *s = &self->selection;
  gsize n_layers = ls_network_get_n_layers (self->network);
  gsize size;

  if (s->kind == LS_SELECTION_NONE || s->column > n_layers)
    return s->kind == LS_SELECTION_NONE;

  size = s->column == 0 ? ls_network_get_input_size (self->network)
                        : ls_layer_get_outputs (ls_network_get_layer (self->network, s->column - 1));
  if (s->unit >= size)
    return FALSE;

  if (s->kind == LS_SELECTION_EDGE)
    return s->column > 0 && ls_network_get_layer (self->network, s->column - 1)->kind == LS_LAYER_DENSE &&
           s->input < ls_layer_get_inputs (ls_network_get_layer (self->network, s->column - 1));

  return TRUE;
}

/* Adds what to click to fill the inspector, in the terms of the network
 * on show: tokens and cells for text, neurons and feature maps else. */
static void
add_hint (LsInspector *self)
{
  if (self->network != NULL && ls_network_has_token_input (self->network))
    {
      add_label (self, _("Click a token in the input column to see its word in the vocabulary. Each "
                         "later layer shows a row of cells per token: click a cell to see how it is "
                         "computed. A cell of an attention layer shows which tokens that token "
                         "attends to, and lets you edit the query, key, value and output weights. "
                         "A cell of a dense layer lets you edit its weights and bias."), "dim-label");
      return;
    }

  add_label (self, _("Click a neuron to see how it computes its value and to edit its weights "
                     "and bias. Click an edge to edit its weight. Click a pixel of a feature map "
                     "to edit its filter's kernels."), "dim-label");
}

static void
rebuild (LsInspector *self)
{
  GtkWidget *child;

  if (self->matrix_editor != NULL)
    {
      gboolean open = gtk_widget_get_visible (self->matrix_editor);

      self->open_matrix = open ? (int) ls_matrix_editor_get_matrix (LS_MATRIX_EDITOR (self->matrix_editor)) : -1;
      self->open_matrix_column = self->selection.column;
      self->open_head = ls_matrix_editor_get_head (LS_MATRIX_EDITOR (self->matrix_editor));
    }

  while ((child = gtk_widget_get_first_child (self->box)) != NULL)
    gtk_box_remove (GTK_BOX (self->box), child);
  g_ptr_array_set_size (self->weights, 0);
  g_ptr_array_set_size (self->maps, 0);
  g_ptr_array_set_size (self->map_labels, 0);
  self->formula = self->bias = self->value = self->summary = self->kernel_editor = NULL;
  self->heading = self->matrix_editor = NULL;

  if (self->network == NULL || !selection_is_valid (self))
    self->selection.kind = LS_SELECTION_NONE;

  switch (self->selection.kind)
    {
    case LS_SELECTION_NONE:
      add_label (self, _("Inspector"), "title-2");
      add_hint (self);
      break;

    case LS_SELECTION_NEURON:
      build_value (self);
      break;

    case LS_SELECTION_EDGE:
      build_edge (self);
      break;

    default:
      g_assert_not_reached ();
    }

  update_values (self);
}

static void
network_changed_cb (LsInspector *self,
                    guint        change)
{
  if (change & (LS_CHANGE_STRUCTURE | LS_CHANGE_METADATA))
    rebuild (self);
  else
    update_values (self);
}

static void
ls_inspector_dispose (GObject *object)
{
  LsInspector *self = LS_INSPECTOR (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->network);
  g_clear_pointer (&self->weights, g_ptr_array_unref);
  g_clear_pointer (&self->maps, g_ptr_array_unref);
  g_clear_pointer (&self->map_labels, g_ptr_array_unref);

  G_OBJECT_CLASS (ls_inspector_parent_class)->dispose (object);
}

static void
ls_inspector_class_init (LsInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_inspector_dispose;

  /**
   * LsInspector::selection-requested:
   * @selection: (type gpointer): the LsSelection to show
   *
   * Emitted when a click in the inspector, such as on a row of an
   * attention map, selects another value, so that the diagram can
   * select it too.
   */
  signals[SIGNAL_SELECTION_REQUESTED] =
    g_signal_new ("selection-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "inspector");
}

static void
ls_inspector_init (LsInspector *self)
{
  self->weights = g_ptr_array_new ();
  self->maps = g_ptr_array_new ();
  self->map_labels = g_ptr_array_new ();
  self->open_matrix = -1;
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  rebuild (self);
}

GtkWidget *
ls_inspector_new (void)
{
  return g_object_new (LS_TYPE_INSPECTOR, NULL);
}

void
ls_inspector_set_network (LsInspector *self,
                          LsNetwork   *network)
{
  g_return_if_fail (LS_IS_INSPECTOR (self));
  g_return_if_fail (network == NULL || LS_IS_NETWORK (network));

  if (self->network == network)
    return;

  ls_panel_watch_network (self, &self->network, network, G_CALLBACK (network_changed_cb));

  self->selection.kind = LS_SELECTION_NONE;
  rebuild (self);
}

void
ls_inspector_set_selection (LsInspector       *self,
                            const LsSelection *selection)
{
  g_return_if_fail (LS_IS_INSPECTOR (self));

  /* Another value of the attention layer on show keeps the maps and the
   * editor, which only change their highlight and numbers. */
  if (self->matrix_editor != NULL && selection != NULL && selection->kind == LS_SELECTION_NEURON &&
      self->selection.column == selection->column)
    {
      gsize head = get_selected_head (self);

      self->selection = *selection;
      if (selection_is_valid (self))
        {
          /* The presets follow the head of the selected value, but keep a
           * head picked in the editor while the selection stays in its
           * own head. */
          if (get_selected_head (self) != head)
            ls_matrix_editor_set_head (LS_MATRIX_EDITOR (self->matrix_editor), get_selected_head (self));
          update_values (self);
          return;
        }
    }

  if (selection != NULL)
    self->selection = *selection;
  else
    self->selection.kind = LS_SELECTION_NONE;

  rebuild (self);
}
