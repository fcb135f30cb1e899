/* test-window.c: the main window driven through its widgets, under a
 * real display (Xvfb in CI)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "ls-bars-view.h"
#include "ls-diagram-view.h"
#include "ls-explain.h"
#include "ls-inspector.h"
#include "ls-number-entry.h"
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

static LsWindow *
open_window (void)
{
  LsWindow *window = ls_window_new (NULL);

  ls_window_open_example (window);
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
  LsWindow *window = open_window ();
  LsNetwork *network = ls_window_get_network (window);
  const LsLayer *hidden = ls_network_get_layer (network, 0);
  const float *output = ls_network_get_output (network);

  g_assert_cmpfloat_with_epsilon (hidden->activation_output[0], 0.62, 1e-6);
  g_assert_cmpfloat (hidden->activation_output[1], ==, 0.0);
  g_assert_cmpfloat_with_epsilon (hidden->activation_output[2], 0.91, 1e-6);
  g_assert_cmpfloat_with_epsilon (hidden->activation_output[3], 0.15, 1e-6);
  g_assert_cmpfloat_with_epsilon (output[0], 0.820244, 1e-5);
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "20 weights + 6 biases = 26 parameters"));
  g_assert_false (ls_window_get_modified (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Unsaved network — Layerscope");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Selecting the edge h1 → Cat and typing a new weight in the inspector
 * changes the network, the bars' pixels and the window title. */
static void
test_window_edit_weight_updates_bars (void)
{
  LsWindow *window = open_window ();
  LsNetwork *network = ls_window_get_network (window);
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
  g_assert_true (ls_window_get_modified (window));
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
  LsWindow *window = open_window ();
  LsNetwork *network = ls_window_get_network (window);
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
  g_assert_false (ls_window_get_modified (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Selecting h1 shows the worked formula with the real numbers. */
static void
test_window_inspector_formula (void)
{
  LsWindow *window = open_window ();
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
  LsWindow *window = open_window ();
  LsNetwork *network = ls_window_get_network (window);
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
  LsWindow *window = open_window ();
  LsNetwork *network = ls_window_get_network (window);
  GtkSpinButton *units = find_widget (GTK_WIDGET (window), GTK_TYPE_SPIN_BUTTON);
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
  g_assert_false (ls_window_get_modified (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Changing a layer's units keeps its card, so the field keeps the focus. */
static void
test_window_units_keep_card (void)
{
  LsWindow *window = open_window ();
  LsNetwork *network = ls_window_get_network (window);
  GtkSpinButton *units = find_widget (GTK_WIDGET (window), GTK_TYPE_SPIN_BUTTON);
  LsParameterCount count;

  gtk_spin_button_set_value (units, 5);
  wait_for_frames ();

  /* 3×5 + 5×2 weights and 5 + 2 biases, by hand. */
  ls_network_get_parameter_count (network, &count);
  g_assert_cmpuint (ls_network_get_layer (network, 0)->units, ==, 5);
  g_assert_cmpuint (count.total, ==, 32);
  g_assert_true (find_widget (GTK_WIDGET (window), GTK_TYPE_SPIN_BUTTON) == (gpointer) units);
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "25 weights + 7 biases = 32 parameters"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A weighted sum beyond the float range is named above the diagram:
 * 3e38 × 0.5 + 3e38 × 0.7 = 3.6e38 > 3.4e38 in h3, by hand. */
static void
test_window_overflow_warning (void)
{
  LsWindow *window = open_window ();
  LsNetwork *network = ls_window_get_network (window);
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
  LsWindow *window = open_window ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-example", "s",
                                             "greater-than-five.json"));
  wait_for_frames ();

  g_assert_cmpstr (ls_network_get_title (ls_window_get_network (window)), ==, "Is x greater than 5?");
  g_assert_false (ls_window_get_modified (window));

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
  LsWindow *window = open_window ();
  LsNetwork *network;

  g_signal_emit_by_name (find_button (GTK_WIDGET (window), NULL, "Remove this layer"), "clicked");
  wait_for_frames ();

  network = ls_window_get_network (window);
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 1);
  g_assert_cmpuint (ls_layer_get_inputs (ls_network_get_layer (network, 0)), ==, 3);

  g_signal_emit_by_name (find_button (GTK_WIDGET (window), "_Undo", NULL), "clicked");
  wait_for_frames ();

  network = ls_window_get_network (window);
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 2);
  g_assert_cmpfloat (ls_layer_get_weight (ls_network_get_layer (network, 1), 2, 0), ==, 1.1f);
  g_assert_cmpfloat_with_epsilon (ls_network_get_output (network)[0], 0.820244, 1e-5);
  g_assert_true (ls_window_get_modified (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* An edit after the removal withdraws the offer to undo it, because
 * restoring the copy would lose that edit. */
static void
test_window_undo_dropped_after_edit (void)
{
  LsWindow *window = open_window ();
  LsNetwork *network;

  g_signal_emit_by_name (find_button (GTK_WIDGET (window), NULL, "Remove this layer"), "clicked");
  wait_for_frames ();
  network = ls_window_get_network (window);
  g_assert_true (ls_network_set_input_value (network, 0, 0.25f, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-remove", NULL));
  wait_for_frames ();

  g_assert_true (ls_window_get_network (window) == network);
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 1);
  g_assert_cmpfloat (ls_network_get_input (network)[0], ==, 0.25f);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Inserting a layer clears the selection, which would otherwise name a
 * neuron in a different layer than the one the user picked. */
static void
test_window_insert_clears_selection (void)
{
  LsWindow *window = open_window ();
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  LsSelection cat = { LS_SELECTION_NEURON, .column = 2, .unit = 0 };

  ls_diagram_view_set_selection (diagram, &cat);
  g_signal_emit_by_name (find_button (GTK_WIDGET (window), "Insert dense layer here", NULL), "clicked");
  wait_for_frames ();

  g_assert_cmpuint (ls_network_get_n_layers (ls_window_get_network (window)), ==, 3);
  g_assert_cmpint (ls_diagram_view_get_selection (diagram)->kind, ==, LS_SELECTION_NONE);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A neuron with 100 inputs gets fields for its first 64 weights and its
 * bias, and a note on the 36 that are not listed. */
static void
test_window_inspector_caps_rows (void)
{
  LsWindow *window = open_window ();
  g_autoptr(LsNetwork) wide = ls_network_new (100);
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  GtkWidget *inspector = find_widget (GTK_WIDGET (window), LS_TYPE_INSPECTOR);
  LsSelection neuron = { LS_SELECTION_NEURON, .column = 1, .unit = 0 };
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();

  g_assert_true (ls_network_insert_dense (wide, 0, 2, LS_ACTIVATION_SOFTMAX, NULL));
  ls_window_set_network (window, wide, NULL);
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
  LsWindow *window = open_window ();
  LsNetwork *network = ls_window_get_network (window);

  g_assert_true (ls_network_insert_dense (network, 1, 3, LS_ACTIVATION_RELU, NULL));
  wait_for_frames ();

  g_signal_emit_by_name (find_button (GTK_WIDGET (window), NULL, "Remove this layer"), "clicked");
  g_signal_emit_by_name (find_button (GTK_WIDGET (window), NULL, "Remove this layer"), "clicked");
  wait_for_frames ();

  g_assert_cmpuint (ls_network_get_n_layers (ls_window_get_network (window)), ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
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

  return g_test_run ();
}
