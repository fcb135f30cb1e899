/* test-window.c: the main window driven through its widgets, under a
 * real display (Xvfb in CI)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>

#include "ls-bars-view.h"
#include "ls-diagram-view.h"
#include "ls-document.h"
#include "ls-explain.h"
#include "ls-image-canvas.h"
#include "ls-inspector.h"
#include "ls-kernel-editor.h"
#include "ls-number-entry.h"
#include "ls-panel.h"
#include "ls-paths.h"
#include "ls-sample-browser.h"
#include "ls-window.h"

static void
collect_widgets (GtkWidget *widget,
                 GType      type,
                 GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, type, found);
}

static gpointer
find_widget (GtkWidget *root,
             GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect_widgets (root, type, found);
  g_assert_cmpuint (found->len, >=, 1);

  return g_ptr_array_index (found, 0);
}

static gboolean
label_with_text_exists (GtkWidget  *root,
                        const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_widgets (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (strstr (gtk_label_get_text (g_ptr_array_index (labels, i)), text) != NULL)
      return TRUE;

  return FALSE;
}

/* Runs the main loop until widget has been drawn at a non-zero size,
 * then a little longer so that queued redraws finish too. */
static void
wait_for_drawn (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline &&
         !(gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0))
    g_main_context_iteration (NULL, FALSE);

  for (int i = 0; i < 10; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
}

static void
wait_for_frames (void)
{
  for (int i = 0; i < 5; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
}

/* Renders widget as the window's renderer would and returns its pixels,
 * premultiplied ARGB32 in memory order B, G, R, A. */
static GBytes *
render_widget (GtkWidget *widget,
               int       *width,
               int       *height)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  guchar *data;

  *width = gtk_widget_get_width (widget);
  *height = gtk_widget_get_height (widget);
  g_assert_cmpint (*width, >, 0);
  g_assert_cmpint (*height, >, 0);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), *width, *height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, *width, *height));

  data = g_malloc ((gsize) *width * *height * 4);
  gdk_texture_download (texture, data, (gsize) *width * 4);

  return g_bytes_new_take (data, (gsize) *width * *height * 4);
}

static LsMainWindow *
open_window (void)
{
  LsMainWindow *window = ls_main_window_new (NULL);

  ls_main_window_open_example (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1600, 900);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_drawn (find_widget (GTK_WIDGET (window), LS_TYPE_BARS_VIEW));

  return window;
}

/* The window opens on the lesson's network with the values of its trace:
 * hidden 0.62, 0.00, 0.91, 0.15 and Cat 82 % (hand calculation in
 * data/examples/cat-or-dog.json's description), and 26 parameters. */
static void
test_window_opens_example (void)
{
  LsMainWindow *window = open_window ();
  LsNetwork *network = ls_main_window_get_network (window);
  const LsLayer *hidden = ls_network_get_layer (network, 0);
  const float *output = ls_network_get_output (network);

  g_assert_cmpfloat_with_epsilon (hidden->activation_output[0], 0.62, 1e-6);
  g_assert_cmpfloat (hidden->activation_output[1], ==, 0.0);
  g_assert_cmpfloat_with_epsilon (hidden->activation_output[2], 0.91, 1e-6);
  g_assert_cmpfloat_with_epsilon (hidden->activation_output[3], 0.15, 1e-6);
  g_assert_cmpfloat_with_epsilon (output[0], 0.820244, 1e-5);
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "20 weights + 6 biases = 26 parameters"));
  g_assert_false (ls_main_window_get_modified (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Unsaved network — Layerscope");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Selecting the edge h1 → Cat and typing a new weight in the inspector
 * changes the network, the bars' pixels and the window title. */
static void
test_window_edit_weight_updates_bars (void)
{
  LsMainWindow *window = open_window ();
  LsNetwork *network = ls_main_window_get_network (window);
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  GtkWidget *bars = find_widget (GTK_WIDGET (window), LS_TYPE_BARS_VIEW);
  GtkWidget *inspector = find_widget (GTK_WIDGET (window), LS_TYPE_INSPECTOR);
  LsSelection edge = { LS_SELECTION_EDGE, .column = 2, .unit = 0, .input = 0 };
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  GtkWidget *entry;
  float cat_before = ls_network_get_output (network)[0];
  int width, height;

  wait_for_drawn (bars);
  before = render_widget (bars, &width, &height);

  ls_diagram_view_set_selection (diagram, &edge);
  wait_for_frames ();
  entry = find_widget (inspector, GTK_TYPE_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (entry), "−2");
  g_signal_emit_by_name (entry, "activate");
  wait_for_frames ();

  /* Hand calculation: the Cat logit drops by 0.62 × (0.90 + 2) = 1.798. */
  g_assert_cmpfloat (ls_layer_get_weight (ls_network_get_layer (network, 1), 0, 0), ==, -2.0f);
  g_assert_cmpfloat (ls_network_get_output (network)[0], <, cat_before);
  g_assert_cmpfloat_with_epsilon (ls_network_get_output (network)[0],
                                  1.0 / (1.0 + exp (-(1.484 - 1.798 + 0.034))), 1e-4);
  g_assert_true (ls_main_window_get_modified (window));
  g_assert_true (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (window)), "*"));

  after = render_widget (bars, &width, &height);
  g_assert_false (g_bytes_equal (before, after));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Text that is not a number stays in the field marked as an error, and
 * the weight keeps its value. */
static void
test_window_rejects_bad_weight (void)
{
  LsMainWindow *window = open_window ();
  LsNetwork *network = ls_main_window_get_network (window);
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  GtkWidget *inspector = find_widget (GTK_WIDGET (window), LS_TYPE_INSPECTOR);
  LsSelection edge = { LS_SELECTION_EDGE, .column = 1, .unit = 2, .input = 1 };
  GtkWidget *entry;

  ls_diagram_view_set_selection (diagram, &edge);
  wait_for_frames ();
  entry = find_widget (inspector, GTK_TYPE_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (entry), "abc");
  g_signal_emit_by_name (entry, "activate");
  wait_for_frames ();

  g_assert_cmpfloat (ls_layer_get_weight (ls_network_get_layer (network, 0), 1, 2), ==, 0.6f);
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (entry), "“abc” is not a number"));
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "“abc” is not a number"));
  g_assert_false (ls_main_window_get_modified (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Selecting h1 shows the worked formula with the real numbers. */
static void
test_window_inspector_formula (void)
{
  LsMainWindow *window = open_window ();
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  LsSelection neuron = { LS_SELECTION_NEURON, .column = 1, .unit = 0 };

  ls_diagram_view_set_selection (diagram, &neuron);
  wait_for_frames ();

  g_assert_true (label_with_text_exists (GTK_WIDGET (window),
                                         "h1 = ReLU(0.5×0.40 + 0.8×0.50 + 0.2×0.10 + 0.00) = 0.62"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Moving the first input's slider reruns the network. */
static void
test_window_input_slider (void)
{
  LsMainWindow *window = open_window ();
  LsNetwork *network = ls_main_window_get_network (window);
  GtkRange *scale = find_widget (GTK_WIDGET (window), GTK_TYPE_SCALE);
  float h1_before = ls_network_get_layer (network, 0)->activation_output[0];

  gtk_range_set_value (scale, 1.0);
  wait_for_frames ();

  /* Hand calculation: h1 grows by (1.0 − 0.5) × 0.40 = 0.20. */
  g_assert_cmpfloat (ls_network_get_input (network)[0], ==, 1.0f);
  g_assert_cmpfloat_with_epsilon (ls_network_get_layer (network, 0)->activation_output[0],
                                  h1_before + 0.20, 1e-6);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Text that is not a unit count keeps the layer as it was; GTK's spin
 * button would otherwise fall back to its lower bound of 1 unit. */
static void
test_window_rejects_bad_units (void)
{
  LsMainWindow *window = open_window ();
  LsNetwork *network = ls_main_window_get_network (window);
  GtkSpinButton *units = find_widget (find_widget (GTK_WIDGET (window), LS_TYPE_LAYER_PANEL), GTK_TYPE_SPIN_BUTTON);
  const char *bad[] = { "0", "-3", "abc", "99999999" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      /* As pressing Enter in the field does. */
      gtk_editable_set_text (GTK_EDITABLE (units), bad[i]);
      g_signal_emit_by_name (gtk_editable_get_delegate (GTK_EDITABLE (units)), "activate");
      wait_for_frames ();

      g_assert_cmpuint (ls_network_get_layer (network, 0)->units, ==, 4);
      g_assert_cmpint (gtk_spin_button_get_value_as_int (units), ==, 4);
    }
  g_assert_false (ls_main_window_get_modified (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Changing a layer's units keeps its card, so the field keeps the focus. */
static void
test_window_units_keep_card (void)
{
  LsMainWindow *window = open_window ();
  LsNetwork *network = ls_main_window_get_network (window);
  GtkSpinButton *units = find_widget (find_widget (GTK_WIDGET (window), LS_TYPE_LAYER_PANEL), GTK_TYPE_SPIN_BUTTON);
  LsParameterCount count;

  gtk_spin_button_set_value (units, 5);
  wait_for_frames ();

  /* 3×5 + 5×2 weights and 5 + 2 biases, by hand. */
  ls_network_get_parameter_count (network, &count);
  g_assert_cmpuint (ls_network_get_layer (network, 0)->units, ==, 5);
  g_assert_cmpuint (count.total, ==, 32);
  g_assert_true (find_widget (find_widget (GTK_WIDGET (window), LS_TYPE_LAYER_PANEL), GTK_TYPE_SPIN_BUTTON) == (gpointer) units);
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "25 weights + 7 biases = 32 parameters"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A weighted sum beyond the float range is named above the diagram:
 * 3e38 × 0.5 + 3e38 × 0.7 = 3.6e38 > 3.4e38 in h3, by hand. */
static void
test_window_overflow_warning (void)
{
  LsMainWindow *window = open_window ();
  LsNetwork *network = ls_main_window_get_network (window);
  const float input[] = { 3e38f, 3e38f, 0.0f };

  g_assert_false (label_with_text_exists (GTK_WIDGET (window), "beyond the float range"));
  g_assert_true (ls_network_set_input (network, input, G_N_ELEMENTS (input), NULL));
  wait_for_frames ();

  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "Layer 1 (hidden) computed a value beyond the float range"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The menu's example entry replaces the network with the other example. */
static void
test_window_open_example_action (void)
{
  LsMainWindow *window = open_window ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-example", "s",
                                             "greater-than-five.json"));
  wait_for_frames ();

  g_assert_cmpstr (ls_network_get_title (ls_main_window_get_network (window)), ==, "Is x greater than 5?");
  g_assert_false (ls_main_window_get_modified (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label,
             const char *tooltip)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect_widgets (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkButton *button = g_ptr_array_index (buttons, i);

      if ((label != NULL && g_strcmp0 (gtk_button_get_label (button), label) == 0) ||
          (tooltip != NULL && g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), tooltip) == 0))
        return GTK_WIDGET (button);
    }

  g_error ("no button with label %s or tooltip %s", label, tooltip);
}

/* The bin button removes the hidden layer, and the toast's Undo brings
 * back the network as it was, weights of the output layer included. */
static void
test_window_remove_layer_undo (void)
{
  LsMainWindow *window = open_window ();
  LsNetwork *network;

  g_signal_emit_by_name (find_button (GTK_WIDGET (window), NULL, "Remove this layer"), "clicked");
  wait_for_frames ();

  network = ls_main_window_get_network (window);
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 1);
  g_assert_cmpuint (ls_layer_get_inputs (ls_network_get_layer (network, 0)), ==, 3);

  g_signal_emit_by_name (find_button (GTK_WIDGET (window), "_Undo", NULL), "clicked");
  wait_for_frames ();

  network = ls_main_window_get_network (window);
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 2);
  g_assert_cmpfloat (ls_layer_get_weight (ls_network_get_layer (network, 1), 2, 0), ==, 1.1f);
  g_assert_cmpfloat_with_epsilon (ls_network_get_output (network)[0], 0.820244, 1e-5);
  g_assert_true (ls_main_window_get_modified (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* An edit after the removal withdraws the offer to undo it, because
 * restoring the copy would lose that edit. */
static void
test_window_undo_dropped_after_edit (void)
{
  LsMainWindow *window = open_window ();
  LsNetwork *network;

  g_signal_emit_by_name (find_button (GTK_WIDGET (window), NULL, "Remove this layer"), "clicked");
  wait_for_frames ();
  network = ls_main_window_get_network (window);
  g_assert_true (ls_network_set_input_value (network, 0, 0.25f, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-remove", NULL));
  wait_for_frames ();

  g_assert_true (ls_main_window_get_network (window) == network);
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 1);
  g_assert_cmpfloat (ls_network_get_input (network)[0], ==, 0.25f);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Inserting a layer clears the selection, which would otherwise name a
 * neuron in a different layer than the one the user picked. */
static void
test_window_insert_clears_selection (void)
{
  LsMainWindow *window = open_window ();
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  LsSelection cat = { LS_SELECTION_NEURON, .column = 2, .unit = 0 };

  ls_diagram_view_set_selection (diagram, &cat);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (find_widget (GTK_WIDGET (window), LS_TYPE_LAYER_PANEL)),
                                             "layers.insert", "(su)", "dense", 0));
  wait_for_frames ();

  g_assert_cmpuint (ls_network_get_n_layers (ls_main_window_get_network (window)), ==, 3);
  g_assert_cmpint (ls_diagram_view_get_selection (diagram)->kind, ==, LS_SELECTION_NONE);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A neuron with 100 inputs gets fields for its first 64 weights and its
 * bias, and a note on the 36 that are not listed. */
static void
test_window_inspector_caps_rows (void)
{
  LsMainWindow *window = open_window ();
  g_autoptr(LsNetwork) wide = ls_network_new (100);
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  GtkWidget *inspector = find_widget (GTK_WIDGET (window), LS_TYPE_INSPECTOR);
  LsSelection neuron = { LS_SELECTION_NEURON, .column = 1, .unit = 0 };
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();

  g_assert_true (ls_network_insert_dense (wide, 0, 2, LS_ACTIVATION_SOFTMAX, NULL));
  ls_main_window_set_network (window, wide, NULL);
  ls_diagram_view_set_selection (diagram, &neuron);
  wait_for_frames ();

  collect_widgets (inspector, LS_TYPE_NUMBER_ENTRY, entries);
  g_assert_cmpuint (entries->len, ==, 64 + 1);
  g_assert_true (label_with_text_exists (inspector, "36 more incoming weights are not listed"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The second click of a double click lands on the next layer's bin
 * button, which moved under the pointer, and must not remove it too. */
static void
test_window_double_click_removes_one (void)
{
  LsMainWindow *window = open_window ();
  LsNetwork *network = ls_main_window_get_network (window);

  g_assert_true (ls_network_insert_dense (network, 1, 3, LS_ACTIVATION_RELU, NULL));
  wait_for_frames ();

  g_signal_emit_by_name (find_button (GTK_WIDGET (window), NULL, "Remove this layer"), "clicked");
  g_signal_emit_by_name (find_button (GTK_WIDGET (window), NULL, "Remove this layer"), "clicked");
  wait_for_frames ();

  g_assert_cmpuint (ls_network_get_n_layers (ls_main_window_get_network (window)), ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Shows network in a window, as Open does, and waits until it is drawn. */
static LsMainWindow *
open_window_with (LsNetwork *network)
{
  LsMainWindow *window = open_window ();

  ls_main_window_set_network (window, network, NULL);
  wait_for_frames ();

  return window;
}

static LsNetwork *
load_example (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = ls_paths_find_example (name, &error);
  LsNetwork *network;

  g_assert_no_error (error);
  network = ls_document_load_file (file, &error);
  g_assert_no_error (error);

  return network;
}

/* Builds a network with a one-channel height × width image input holding
 * values, and a conv2d layer of one filter with a size × size kernel,
 * valid padding and no activation. */
static LsNetwork *
new_conv_network (gsize        height,
                  gsize        width,
                  const float *values,
                  gsize        size)
{
  const gsize kernel[2] = { size, size };
  const gsize stride[2] = { 1, 1 };
  LsNetwork *network;
  LsWindow conv;
  LsShape shape;

  ls_shape_init_3d (&shape, 1, height, width);
  network = ls_network_new_with_shape (&shape);
  g_assert_true (ls_network_set_input (network, values, height * width, NULL));
  g_assert_true (ls_window_init (&conv, kernel, stride, LS_PADDING_VALID, NULL, NULL));
  g_assert_true (ls_network_insert_conv2d (network, 0, 1, &conv, LS_ACTIVATION_IDENTITY, NULL));

  return network;
}

static GtkGesture *
find_drag_gesture (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_DRAG (controller))
        return GTK_GESTURE (controller);
    }

  g_error ("the canvas has no drag gesture");
}

static void
count_change_cb (LsNetwork *network,
                 guint      change,
                 GArray    *changes)
{
  g_array_append_val (changes, change);
}

/* Finds the widget in the grid row whose first column is a label with
 * the caption, as the layer cards lay out their fields. */
static GtkWidget *
find_field (GtkWidget  *root,
            const char *caption)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_widgets (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);
      GtkWidget *grid = gtk_widget_get_parent (label);
      int column, row;

      if (!g_str_equal (gtk_label_get_text (GTK_LABEL (label)), caption) || !GTK_IS_GRID (grid))
        continue;

      gtk_grid_query_child (GTK_GRID (grid), label, &column, &row, NULL, NULL);
      return gtk_grid_get_child_at (GTK_GRID (grid), column + 1, row);
    }

  g_error ("no field with the caption %s", caption);
}

/* A drag on the canvas paints the image input of the digits CNN. The
 * first dab moves the pixel under its centre from 0 to 0.35, the dab
 * strength at distance 0. Each motion is one LS_CHANGE_VALUES edit, and
 * the output follows. */
static void
test_window_brush_stroke (void)
{
  g_autoptr(LsNetwork) network = load_example ("digits-cnn.json");
  LsMainWindow *window = open_window_with (network);
  GtkWidget *canvas = find_widget (GTK_WIDGET (window), LS_TYPE_IMAGE_CANVAS);
  GtkGesture *drag = find_drag_gesture (canvas);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree float *output_before = NULL;
  double width, height, pixel, left, top;
  gboolean output_changed = FALSE;

  wait_for_drawn (canvas);
  ls_image_canvas_clear (LS_IMAGE_CANVAS (canvas));
  output_before = g_memdup2 (ls_network_get_output (network), 10 * sizeof (float));
  g_signal_connect (network, "changed", G_CALLBACK (count_change_cb), changes);

  /* The canvas centres the 8 × 8 image at a whole number of screen
   * pixels per image pixel. */
  width = gtk_widget_get_width (canvas);
  height = gtk_widget_get_height (canvas);
  pixel = floor (MIN (width / 8, height / 8));
  left = floor ((width - 8 * pixel) / 2);
  top = floor ((height - 8 * pixel) / 2);

  g_signal_emit_by_name (drag, "drag-begin", left + 3.5 * pixel, top + 1.5 * pixel);
  g_assert_cmpfloat_with_epsilon (ls_network_get_input (network)[1 * 8 + 3], 0.35, 1e-6);
  g_assert_cmpfloat (ls_network_get_input (network)[7 * 8 + 0], ==, 0.0f);

  for (int i = 1; i <= 4; i++)
    g_signal_emit_by_name (drag, "drag-update", 0.0, i * pixel);
  g_signal_emit_by_name (drag, "drag-end", 0.0, 4 * pixel);
  g_signal_handlers_disconnect_by_func (network, count_change_cb, changes);

  /* One edit for the press and one for each of the four motions. */
  g_assert_cmpuint (changes->len, ==, 5);
  for (guint i = 0; i < changes->len; i++)
    g_assert_cmpuint (g_array_index (changes, guint, i), ==, LS_CHANGE_VALUES);
  g_assert_cmpfloat (ls_network_get_input (network)[5 * 8 + 3], >, 0.35f);
  g_assert_cmpfloat (ls_network_get_input (network)[7 * 8 + 0], ==, 0.0f);
  for (gsize i = 0; i < 10; i++)
    output_changed |= fabsf (ls_network_get_output (network)[i] - output_before[i]) > 1e-4f;
  g_assert_true (output_changed);
  g_assert_true (ls_main_window_get_modified (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Selecting a pixel of a feature map and clicking the Sobel x preset
 * replaces the filter's kernel, and the map becomes what the hand
 * calculation gives. On the 3 × 4 image with a bright last column, the
 * left window covers only zeros, and the right one has 1 in its right
 * column, weighted 1 + 2 + 1 = 4. */
static void
test_window_sobel_preset (void)
{
  const float image[] = { 0, 0, 0, 1,
                          0, 0, 0, 1,
                          0, 0, 0, 1 };
  g_autoptr(LsNetwork) network = new_conv_network (3, 4, image, 3);
  LsMainWindow *window = open_window_with (network);
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  GtkWidget *inspector = find_widget (GTK_WIDGET (window), LS_TYPE_INSPECTOR);
  LsSelection pixel = { LS_SELECTION_NEURON, .column = 1, .unit = 1 };
  const LsLayer *conv = ls_network_get_layer (network, 0);
  const float sobel_x[] = { -1, 0, 1, -2, 0, 2, -1, 0, 1 };

  ls_diagram_view_set_selection (diagram, &pixel);
  wait_for_frames ();
  g_assert_true (label_with_text_exists (inspector, "Kernels of filter 1"));
  g_assert_cmpfloat (conv->activation_output[1], !=, 4.0f);

  g_signal_emit_by_name (find_button (inspector, "Sobel x", NULL), "clicked");
  wait_for_frames ();

  g_assert_cmpmem (ls_layer_get_kernel (conv, 0, 0), sizeof sobel_x, sobel_x, sizeof sobel_x);
  g_assert_cmpfloat (conv->activation_output[0], ==, 0.0f);
  g_assert_cmpfloat (conv->activation_output[1], ==, 4.0f);
  g_assert_true (label_with_text_exists (inspector, "f1,1(1,2) = Identity(4.00) = 4.00"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static LsSampleBrowser *
wait_for_dataset (GtkWidget *window)
{
  LsSampleBrowser *browser = find_widget (window, LS_TYPE_SAMPLE_BROWSER);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline && ls_sample_browser_get_dataset (browser) == NULL)
    g_main_context_iteration (NULL, FALSE);
  g_assert_nonnull (ls_sample_browser_get_dataset (browser));
  wait_for_frames ();

  return browser;
}

/* The digits CNN stores test sample 3, so the browser starts there; Next
 * makes test sample 4 the input and shows its label. By hand from
 * data/datasets/digits-test-*.gz, read with Python's gzip module: sample
 * 4 is a 6, and its first row is 0, 0, 0, 8, 15, 1, 0, 0 (of 16). */
static void
test_window_sample_browser (void)
{
  g_autoptr(LsNetwork) network = load_example ("digits-cnn.json");
  LsMainWindow *window = open_window_with (network);
  LsSampleBrowser *browser = wait_for_dataset (GTK_WIDGET (window));
  const float *input = ls_network_get_input (network);

  g_assert_true (label_with_text_exists (GTK_WIDGET (browser), "True label: 3"));
  g_assert_false (ls_main_window_get_modified (window));

  g_signal_emit_by_name (find_button (GTK_WIDGET (browser), NULL, "Next sample"), "clicked");
  wait_for_frames ();

  g_assert_cmpfloat (input[3], ==, 8.0f / 16.0f);
  g_assert_cmpfloat (input[4], ==, 15.0f / 16.0f);
  g_assert_cmpmem (input, 64 * sizeof (float), ls_dataset_get_sample (ls_sample_browser_get_dataset (browser), 3),
                   64 * sizeof (float));
  g_assert_true (label_with_text_exists (GTK_WIDGET (browser), "True label: 6"));
  g_assert_true (label_with_text_exists (GTK_WIDGET (browser), "Prediction: "));

  /* An edit makes the input differ from the sample, so its label no
   * longer applies. */
  g_assert_true (ls_network_set_input_value (network, 0, 1.0f, NULL));
  wait_for_frames ();
  g_assert_false (label_with_text_exists (GTK_WIDGET (browser), "True label: 6"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Without the Fashion-MNIST package the browser offers the shipped test
 * slice with the note on how to install the rest. Digits, 8 × 8, do not
 * fit a 28 × 28 input, and the browser shows a message saying so. */
static void
test_window_sample_browser_notes (void)
{
  g_autofree char *empty = g_dir_make_tmp ("layerscope-test-XXXXXX", NULL);
  g_autofree char *saved = g_strdup (g_getenv ("LAYERSCOPE_FASHION_MNIST_DIR"));
  float image[28 * 28] = { 0 };
  g_autoptr(LsNetwork) network = new_conv_network (28, 28, image, 3);
  LsMainWindow *window;
  LsSampleBrowser *browser;

  g_setenv ("LAYERSCOPE_FASHION_MNIST_DIR", empty, TRUE);
  window = open_window_with (network);
  browser = wait_for_dataset (GTK_WIDGET (window));

  g_assert_cmpstr (ls_dataset_get_name (ls_sample_browser_get_dataset (browser)), ==, "fashion-mnist");
  g_assert_true (label_with_text_exists (GTK_WIDGET (browser), "sudo apt install dataset-fashion-mnist"));

  ls_sample_browser_load_builtin (browser, "digits", "test");
  while (g_strcmp0 (ls_dataset_get_name (ls_sample_browser_get_dataset (browser)), "digits") != 0)
    g_main_context_iteration (NULL, TRUE);
  wait_for_frames ();
  g_assert_true (label_with_text_exists (GTK_WIDGET (browser), "are 1 × 8 × 8, but this network takes an input of 1 × 28 × 28"));
  g_assert_false (gtk_widget_is_sensitive (find_button (GTK_WIDGET (browser), NULL, "Next sample")));

  gtk_window_destroy (GTK_WINDOW (window));
  if (saved != NULL)
    g_setenv ("LAYERSCOPE_FASHION_MNIST_DIR", saved, TRUE);
  else
    g_unsetenv ("LAYERSCOPE_FASHION_MNIST_DIR");
  g_rmdir (empty);
}

/* A 5×5 kernel does not fit a 4 × 4 input without padding: the engine
 * rejects it, the message shows, and the layer and its card keep 3×3. */
static void
test_window_rejects_large_kernel (void)
{
  const float image[16] = { 0 };
  g_autoptr(LsNetwork) network = new_conv_network (4, 4, image, 3);
  LsMainWindow *window = open_window_with (network);
  GtkWidget *panel = find_widget (GTK_WIDGET (window), LS_TYPE_LAYER_PANEL);
  GtkSpinButton *kernel = GTK_SPIN_BUTTON (find_field (panel, "Kernel size"));
  const LsLayer *conv = ls_network_get_layer (network, 0);
  g_autofree float *weights = g_memdup2 (conv->weights, 9 * sizeof (float));

  gtk_spin_button_set_value (kernel, 5);
  wait_for_frames ();

  g_assert_cmpuint (conv->window.kernel[0], ==, 3);
  g_assert_cmpuint (conv->window.kernel[1], ==, 3);
  g_assert_cmpmem (conv->weights, 9 * sizeof (float), weights, 9 * sizeof (float));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (kernel), ==, 3);
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "The 5×5 window is larger than the input [1, 4, 4]"));
  g_assert_false (ls_main_window_get_modified (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The insert menu adds a convolution with a 3×3 kernel and "same"
 * padding, 4 × 4 × 4 on the 1 × 4 × 4 image, and a max pooling layer
 * that halves it to 4 × 2 × 2. Each card shows its output shape. */
static void
test_window_insert_spatial_layers (void)
{
  const float image[16] = { 0 };
  g_autoptr(LsNetwork) network = new_conv_network (4, 4, image, 1);
  LsMainWindow *window = open_window_with (network);
  GtkWidget *panel = find_widget (GTK_WIDGET (window), LS_TYPE_LAYER_PANEL);

  g_assert_true (gtk_widget_activate_action (panel, "layers.insert", "(su)", "conv2d", 0));
  g_assert_true (gtk_widget_activate_action (panel, "layers.insert", "(su)", "maxpool2d", 1));
  wait_for_frames ();

  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 3);
  g_assert_cmpint (ls_network_get_layer (network, 0)->kind, ==, LS_LAYER_CONV2D);
  g_assert_cmpint (ls_network_get_layer (network, 1)->kind, ==, LS_LAYER_MAXPOOL2D);
  g_assert_true (label_with_text_exists (panel, "Output: 4 × 4 × 4"));
  g_assert_true (label_with_text_exists (panel, "Output: 4 × 2 × 2"));
  g_assert_true (label_with_text_exists (panel, "Output: 1 × 2 × 2"));

  /* A pooling pixel shows its window's four values and their maximum. */
  ls_diagram_view_set_selection (find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW),
                                 &(LsSelection) { LS_SELECTION_NEURON, .column = 2, .unit = 0 });
  wait_for_frames ();
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "f2,1(1,1) = max("));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Identity and box blur fit any kernel size. The 3×3 presets do not, and
 * their buttons' tooltips give the reason. Identity's 1 is at
 * ((kh − 1) / 2, (kw − 1) / 2), for 4 × 4 row 1, column 1, from 0. */
static void
test_window_kernel_preset_sizes (void)
{
  float identity[16], blur[6], sobel[25];
  float image[36] = { 0 };
  g_autoptr(LsNetwork) network = new_conv_network (6, 6, image, 5);
  LsMainWindow *window = open_window_with (network);
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  GtkWidget *inspector = find_widget (GTK_WIDGET (window), LS_TYPE_INSPECTOR);
  LsSelection pixel = { LS_SELECTION_NEURON, .column = 1, .unit = 0 };
  GtkWidget *button;

  g_assert_true (ls_kernel_preset_fill (LS_KERNEL_PRESET_IDENTITY, 4, 4, identity));
  for (gsize i = 0; i < 16; i++)
    g_assert_cmpfloat (identity[i], ==, i == 1 * 4 + 1 ? 1.0f : 0.0f);
  g_assert_true (ls_kernel_preset_fill (LS_KERNEL_PRESET_BOX_BLUR, 2, 3, blur));
  for (gsize i = 0; i < 6; i++)
    g_assert_cmpfloat (blur[i], ==, 1.0f / 6.0f);
  g_assert_false (ls_kernel_preset_fill (LS_KERNEL_PRESET_SOBEL_X, 5, 5, sobel));

  ls_diagram_view_set_selection (diagram, &pixel);
  wait_for_frames ();
  button = find_button (inspector, "Sobel x", NULL);
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==,
                   "Sobel x is defined for 3×3 kernels only, and this kernel is 5×5");
  g_assert_true (gtk_widget_get_sensitive (find_button (inspector, "Box blur", NULL)));

  gtk_window_destroy (GTK_WINDOW (window));
}

static GFile *
write_file (const char   *dir,
            const char   *name,
            const guint8 *bytes,
            gsize         size)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, (const char *) bytes, size, NULL));

  return g_file_new_for_path (path);
}

static void
wait_for_dataset_name (LsSampleBrowser *browser,
                       const char      *name)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline &&
         (ls_sample_browser_get_dataset (browser) == NULL ||
          g_strcmp0 (ls_dataset_get_name (ls_sample_browser_get_dataset (browser)), name) != 0))
    g_main_context_iteration (NULL, FALSE);
  wait_for_frames ();
}

/* Choosing only the images file of an MNIST-style IDX pair finds its
 * labels file by name. The files contain two 2 × 2 unsigned byte images,
 * labelled 1 and 0, so the second sample is 0, 51, 102, 255 over 255
 * and its label is "0". Two files whose names do not show which contains
 * the labels get a message instead. */
static void
test_window_sample_browser_idx (void)
{
  static const guint8 images[] = {
    0, 0, 0x08, 3,  0, 0, 0, 2,  0, 0, 0, 2,  0, 0, 0, 2,
    255, 0, 0, 255,
    0, 51, 102, 255,
  };
  static const guint8 labels[] = { 0, 0, 0x08, 1,  0, 0, 0, 2,  1, 0 };
  g_autofree char *dir = g_dir_make_tmp ("layerscope-test-XXXXXX", NULL);
  g_autoptr(GFile) images_file = write_file (dir, "t10k-images-idx3-ubyte", images, sizeof images);
  g_autoptr(GFile) labels_file = write_file (dir, "t10k-labels-idx1-ubyte", labels, sizeof labels);
  g_autoptr(GFile) other_file = write_file (dir, "other-idx3-ubyte", images, sizeof images);
  g_autoptr(GListStore) chosen = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GListStore) unclear = g_list_store_new (G_TYPE_FILE);
  const float image[4] = { 0 };
  g_autoptr(LsNetwork) network = new_conv_network (2, 2, image, 1);
  LsMainWindow *window = open_window_with (network);
  LsSampleBrowser *browser = find_widget (GTK_WIDGET (window), LS_TYPE_SAMPLE_BROWSER);
  const float *input = ls_network_get_input (network);

  g_list_store_append (chosen, images_file);
  ls_sample_browser_open_idx_files (browser, G_LIST_MODEL (chosen));
  wait_for_dataset_name (browser, "t10k-images-idx3-ubyte");
  g_assert_true (ls_dataset_has_labels (ls_sample_browser_get_dataset (browser)));

  ls_sample_browser_select_sample (browser, 1);
  wait_for_frames ();
  g_assert_cmpfloat (input[1], ==, 51.0f / 255.0f);
  g_assert_cmpfloat (input[3], ==, 1.0f);
  g_assert_true (label_with_text_exists (GTK_WIDGET (browser), "True label: 0"));

  g_list_store_append (unclear, images_file);
  g_list_store_append (unclear, other_file);
  ls_sample_browser_open_idx_files (browser, G_LIST_MODEL (unclear));
  wait_for_frames ();
  g_assert_true (label_with_text_exists (GTK_WIDGET (browser), "Choose one images file and one labels file"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_file_delete (images_file, NULL, NULL);
  g_file_delete (labels_file, NULL, NULL);
  g_file_delete (other_file, NULL, NULL);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      /* CI runs this test under Xvfb, so a missing display there is a failure. */
      if (g_getenv ("CI") != NULL)
        g_error ("No display: the window tests must run under Xvfb in CI");

      g_test_skip ("No display: run the tests under Xvfb to include the window");
      return g_test_run ();
    }
  adw_init ();

  g_test_add_func ("/window/opens-example", test_window_opens_example);
  g_test_add_func ("/window/edit-weight-updates-bars", test_window_edit_weight_updates_bars);
  g_test_add_func ("/window/rejects-bad-weight", test_window_rejects_bad_weight);
  g_test_add_func ("/window/inspector-formula", test_window_inspector_formula);
  g_test_add_func ("/window/input-slider", test_window_input_slider);
  g_test_add_func ("/window/rejects-bad-units", test_window_rejects_bad_units);
  g_test_add_func ("/window/units-keep-card", test_window_units_keep_card);
  g_test_add_func ("/window/overflow-warning", test_window_overflow_warning);
  g_test_add_func ("/window/open-example-action", test_window_open_example_action);
  g_test_add_func ("/window/remove-layer-undo", test_window_remove_layer_undo);
  g_test_add_func ("/window/undo-dropped-after-edit", test_window_undo_dropped_after_edit);
  g_test_add_func ("/window/insert-clears-selection", test_window_insert_clears_selection);
  g_test_add_func ("/window/inspector-caps-rows", test_window_inspector_caps_rows);
  g_test_add_func ("/window/double-click-removes-one", test_window_double_click_removes_one);
  g_test_add_func ("/window/brush-stroke", test_window_brush_stroke);
  g_test_add_func ("/window/sobel-preset", test_window_sobel_preset);
  g_test_add_func ("/window/sample-browser", test_window_sample_browser);
  g_test_add_func ("/window/sample-browser-notes", test_window_sample_browser_notes);
  g_test_add_func ("/window/sample-browser-idx", test_window_sample_browser_idx);
  g_test_add_func ("/window/rejects-large-kernel", test_window_rejects_large_kernel);
  g_test_add_func ("/window/insert-spatial-layers", test_window_insert_spatial_layers);
  g_test_add_func ("/window/kernel-preset-sizes", test_window_kernel_preset_sizes);

  return g_test_run ();
}
