/* test-window.c: the main window driven through its widgets, under a
 * real display (Xvfb in CI)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>

#include "ls-attention-preset.h"
#include "ls-autosave.h"
#include "ls-bars-view.h"
#include "ls-code-dialog.h"
#include "ls-curves-view.h"
#include "ls-decision-map-view.h"
#include "ls-compare-view.h"
#include "ls-diagram-view.h"
#include "ls-depth-explorer.h"
#include "ls-document.h"
#include "ls-error.h"
#include "ls-explain.h"
#include "ls-export-dialog.h"
#include "ls-image-canvas.h"
#include "ls-inspector.h"
#include "ls-kernel-editor.h"
#include "ls-lesson-panel.h"
#include "ls-matrix-editor.h"
#include "ls-number.h"
#include "ls-number-entry.h"
#include "ls-palette.h"
#include "ls-panel.h"
#include "ls-presenter-strip.h"
#include "ls-presenter-ui.h"
#include "ls-presenter-window.h"
#include "ls-paths.h"
#include "ls-preferences.h"
#include "ls-recovery.h"
#include "ls-render-private.h"
#include "ls-sample-browser.h"
#include "ls-training-data.h"
#include "ls-training-panel.h"
#include "ls-window.h"
#include "window-helpers.h"

/* Whether a label that shows text in full is visible. */
static gboolean
visible_label_with_text_exists (GtkWidget  *root,
                                const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_widgets (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);

      if (strstr (gtk_label_get_text (label), text) != NULL && gtk_widget_is_visible (GTK_WIDGET (label)) &&
          gtk_label_get_ellipsize (label) == PANGO_ELLIPSIZE_NONE)
        return TRUE;
    }

  return FALSE;
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
/* Dispatches what is pending, for at most a second: while training runs,
 * its weight copies and the redraws they cause can keep the main loop
 * busy for good, above all in a sanitizer build. */
static void
dispatch_pending (void)
{
  gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline && g_main_context_iteration (NULL, FALSE))
    ;
}

static void
wait_for_drawn (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline &&
         !(gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0))
    g_main_context_iteration (NULL, FALSE);

  for (int i = 0; i < 10; i++)
    {
      dispatch_pending ();
      g_usleep (10000);
    }
}

static void
wait_for_frames (void)
{
  for (int i = 0; i < 5; i++)
    {
      dispatch_pending ();
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

  /* A screen narrower than about 1250 pixels leaves the window too little
   * room for the inspector pane, which then hides, but the tests use it. */
  wait_for_frames ();
  if (!gtk_widget_get_mapped (find_widget (GTK_WIDGET (window), LS_TYPE_BARS_VIEW)))
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-inspector", NULL));
      wait_for_drawn (find_widget (GTK_WIDGET (window), LS_TYPE_BARS_VIEW));
    }

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

  /* The next valid value clears the mark, as in the kernel editor. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "0.25");
  g_signal_emit_by_name (entry, "activate");
  wait_for_frames ();
  g_assert_cmpfloat (ls_layer_get_weight (ls_network_get_layer (network, 0), 1, 2), ==, 0.25f);
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  g_assert_null (gtk_widget_get_tooltip_text (entry));

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

/* The mouse wheel over a unit count without the focus scrolls the side
 * pane and leaves the layer as it is, so that scrolling through the
 * layers changes none of them. Before the fix, 30 wheel steps over the
 * digits network removed a hidden neuron and an output. */
static void
test_window_wheel_keeps_units (void)
{
  LsMainWindow *window = open_window ();
  LsNetwork *network = ls_main_window_get_network (window);
  GtkSpinButton *units = find_widget (find_widget (GTK_WIDGET (window), LS_TYPE_LAYER_PANEL), GTK_TYPE_SPIN_BUTTON);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (units));
  gboolean handled = FALSE;
  guint scroll_controllers = 0;

  wait_for_drawn (GTK_WIDGET (units));
  g_assert_false (gtk_widget_has_focus (GTK_WIDGET (units)));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_EVENT_CONTROLLER_SCROLL (controller))
        continue;
      scroll_controllers++;
      /* GTK runs capture-phase controllers first, so this one must take
       * the wheel step before the spin button's own handler gets it. */
      if (gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (controller)) == GTK_PHASE_CAPTURE)
        g_signal_emit_by_name (controller, "scroll", 0.0, 1.0, &handled);
    }
  wait_for_frames ();

  g_assert_cmpuint (scroll_controllers, >, 0);
  g_assert_true (handled);
  g_assert_cmpuint (ls_network_get_layer (network, 0)->units, ==, 4);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (units), ==, 4);
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

/* Returns the application's settings, or NULL when the schema is not
 * installed, as outside `meson test`. */
static GSettings *
new_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
}

/* Counts the pixels of render_widget() output within 2 of rgb (0..255)
 * in each component. */
static gsize
count_color_pixels (GBytes       *pixels,
                    const guint8  rgb[3])
{
  gsize size;
  const guint8 *data = g_bytes_get_data (pixels, &size);
  gsize count = 0;

  for (gsize i = 0; i + 3 < size; i += 4)
    if (ABS ((int) data[i + 2] - rgb[0]) <= 2 && ABS ((int) data[i + 1] - rgb[1]) <= 2 &&
        ABS ((int) data[i] - rgb[2]) <= 2)
      count++;

  return count;
}

/* The menu's "Scale Feature Maps per Layer" action switches the diagram
 * view and the setting. The digit network's ReLU feature maps reach 4 to
 * 10, so on the fixed scale most of their pixels are the full positive
 * colour #e66101, and scaled per layer far fewer are, which shows that
 * the view drew new tiles. Switching it off brings back the same pixels,
 * and a change of the setting reaches the view. */
static void
test_window_scale_feature_maps (void)
{
  LsMainWindow *window = open_window ();
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(GBytes) fixed = NULL;
  g_autoptr(GBytes) scaled = NULL;
  g_autoptr(GBytes) fixed_again = NULL;
  static const guint8 positive_rgb[3] = { 0xe6, 0x61, 0x01 };
  int width, height;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-example", "s", "digits-cnn.json"));
  wait_for_frames ();
  g_assert_false (ls_diagram_view_get_scale_feature_maps (diagram));
  fixed = render_widget (GTK_WIDGET (diagram), &width, &height);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.scale-feature-maps", NULL));
  wait_for_frames ();
  g_assert_true (ls_diagram_view_get_scale_feature_maps (diagram));
  scaled = render_widget (GTK_WIDGET (diagram), &width, &height);
  g_test_message ("full positive colour: %" G_GSIZE_FORMAT " pixels fixed, %" G_GSIZE_FORMAT " scaled",
                  count_color_pixels (fixed, positive_rgb), count_color_pixels (scaled, positive_rgb));
  g_assert_cmpuint (2 * count_color_pixels (scaled, positive_rgb), <, count_color_pixels (fixed, positive_rgb));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.scale-feature-maps", NULL));
  wait_for_frames ();
  g_assert_false (ls_diagram_view_get_scale_feature_maps (diagram));
  fixed_again = render_widget (GTK_WIDGET (diagram), &width, &height);
  g_assert_true (g_bytes_equal (fixed, fixed_again));

  if (settings != NULL)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.scale-feature-maps", NULL));
      g_assert_true (g_settings_get_boolean (settings, "scale-feature-maps"));
      g_settings_set_boolean (settings, "scale-feature-maps", FALSE);
      g_assert_false (ls_diagram_view_get_scale_feature_maps (diagram));
    }
  else
    {
      g_test_message ("settings schema not installed, so the setting is not checked");
    }

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
 * back the network as it was, weights of the output layer included.
 * That is the document as opened, so nothing is left unsaved. */
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
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "“hidden” removed"));

  g_signal_emit_by_name (find_button (GTK_WIDGET (window), "_Undo", NULL), "clicked");
  wait_for_frames ();

  network = ls_main_window_get_network (window);
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 2);
  g_assert_cmpfloat (ls_layer_get_weight (ls_network_get_layer (network, 1), 2, 0), ==, 1.1f);
  g_assert_cmpfloat_with_epsilon (ls_network_get_output (network)[0], 0.820244, 1e-5);
  g_assert_false (ls_main_window_get_modified (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* An edit after the removal withdraws the toast's offer, because its
 * Undo would now undo that edit. Undo then takes back the edit first
 * and the removal second. cat-or-dog.json's first input is 0.5. */
static void
test_window_undo_dropped_after_edit (void)
{
  LsMainWindow *window = open_window ();
  LsNetwork *network;

  g_signal_emit_by_name (find_button (GTK_WIDGET (window), NULL, "Remove this layer"), "clicked");
  wait_for_frames ();
  network = ls_main_window_get_network (window);
  g_assert_true (ls_network_set_input_value (network, 0, 0.25f, NULL));
  wait_for_frames ();
  g_assert_false (label_with_text_exists (GTK_WIDGET (window), "“hidden” removed"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  network = ls_main_window_get_network (window);
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 1);
  g_assert_cmpfloat (ls_network_get_input (network)[0], ==, 0.5f);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_cmpuint (ls_network_get_n_layers (ls_main_window_get_network (window)), ==, 2);

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
 * press lays a full-strength dab, so the pixel under it goes from 0 to 1,
 * and its right neighbour, one pixel from the centre with the default
 * radius 0.75, to (1 − (1 / 1.25)²)² = 0.1296 (the falloff formula at
 * apply_dab()). Each motion is one LS_CHANGE_VALUES edit, and the output
 * follows. */
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
  g_assert_cmpfloat (ls_network_get_input (network)[1 * 8 + 3], ==, 1.0f);
  g_assert_cmpfloat_with_epsilon (ls_network_get_input (network)[1 * 8 + 4], 0.1296, 1e-6);
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

/* A file that does not exist leaves the window's network as it was, also
 * for a caller that passes no GError. */
static void
test_window_open_missing_file (void)
{
  LsMainWindow *window = open_window ();
  LsNetwork *network = ls_main_window_get_network (window);
  g_autoptr(GFile) file = g_file_new_for_path ("no-such-network.json");
  g_autoptr(GError) error = NULL;

  g_assert_false (ls_main_window_open_file (window, file, NULL));
  g_assert_true (ls_main_window_get_network (window) == network);

  g_assert_false (ls_main_window_open_file (window, file, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (ls_main_window_get_network (window) == network);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Returns the green byte (0..255) that render_widget() drew at the centre
 * of image pixel (row, column) of the 8 × 8 canvas. */
static guint8
get_canvas_pixel (GtkWidget *canvas,
                  gsize      row,
                  gsize      column)
{
  int width, height;
  g_autoptr(GBytes) image = render_widget (canvas, &width, &height);
  const guint8 *data = g_bytes_get_data (image, NULL);
  double pixel = floor (MIN (width / 8.0, height / 8.0));
  int x = (int) (floor ((width - 8 * pixel) / 2) + (column + 0.5) * pixel);
  int y = (int) (floor ((height - 8 * pixel) / 2) + (row + 0.5) * pixel);

  return data[((gsize) y * width + x) * 4 + 1];
}

/* The canvas draws a new input whatever made the edit, here the network
 * itself as the inspector would: pixel (2, 4) goes from black to white. */
static void
test_window_canvas_redraws_input (void)
{
  g_autoptr(LsNetwork) network = load_example ("digits-cnn.json");
  LsMainWindow *window = open_window_with (network);
  GtkWidget *canvas = find_widget (GTK_WIDGET (window), LS_TYPE_IMAGE_CANVAS);

  wait_for_drawn (canvas);
  ls_image_canvas_clear (LS_IMAGE_CANVAS (canvas));
  wait_for_frames ();
  g_assert_cmpuint (get_canvas_pixel (canvas, 2, 4), ==, 0);

  g_assert_true (ls_network_set_input_value (network, 2 * 8 + 4, 1.0f, NULL));
  wait_for_frames ();
  g_assert_cmpuint (get_canvas_pixel (canvas, 2, 4), ==, 255);
  g_assert_cmpuint (get_canvas_pixel (canvas, 2, 3), ==, 0);

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
/* Returns the y of the top of the label that starts with text, in the
 * coordinates of root. */
static double
get_label_top (GtkWidget  *root,
               const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  graphene_rect_t bounds;

  collect_widgets (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_str_has_prefix (gtk_label_get_text (g_ptr_array_index (labels, i)), text))
      {
        g_assert_true (gtk_widget_compute_bounds (g_ptr_array_index (labels, i), root, &bounds));
        return bounds.origin.y;
      }

  g_error ("no label starts with %s", text);
}

/* Returns the text of the true label line that the browser shows. */
static const char *
get_shown_truth (GtkWidget *browser)
{
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  collect_widgets (browser, GTK_TYPE_STACK, stacks);
  for (guint i = 0; i < stacks->len; i++)
    {
      GtkWidget *child = gtk_stack_get_visible_child (g_ptr_array_index (stacks, i));

      if (GTK_IS_LABEL (child) && gtk_widget_get_mapped (child))
        return gtk_label_get_text (GTK_LABEL (child));
    }

  g_error ("the browser shows no true label line");
}

static void
test_window_sample_browser (void)
{
  g_autoptr(LsNetwork) network = load_example ("digits-cnn.json");
  LsMainWindow *window = open_window_with (network);
  LsSampleBrowser *browser = wait_for_dataset (GTK_WIDGET (window));
  const float *input = ls_network_get_input (network);
  double prediction_top;

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
  g_assert_cmpstr (get_shown_truth (GTK_WIDGET (browser)), ==, "True label: 6");
  prediction_top = get_label_top (GTK_WIDGET (browser), "Prediction: ");

  /* An edit makes the input differ from the sample, so its label no
   * longer applies. The note that says so takes the place the label
   * had, so the prediction below stays where it was. */
  g_assert_true (ls_network_set_input_value (network, 0, 1.0f, NULL));
  wait_for_frames ();
  g_assert_false (label_with_text_exists (GTK_WIDGET (browser), "True label: 6"));
  g_assert_true (g_str_has_prefix (get_shown_truth (GTK_WIDGET (browser)), "The input is none of these samples"));
  g_assert_cmpfloat (get_label_top (GTK_WIDGET (browser), "Prediction: "), ==, prediction_top);

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
  /* The drop-down names the data set as its messages do. */
  g_assert_true (g_str_has_prefix (gtk_string_object_get_string (gtk_drop_down_get_selected_item (find_widget (GTK_WIDGET (browser), GTK_TYPE_DROP_DOWN))),
                                   ls_dataset_get_title (ls_sample_browser_get_dataset (browser))));
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

/* A 5×5 kernel does not fit a 4 × 4 input without padding: the message
 * gives the sizes that fit, and the layer and its card keep 3×3. */
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
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "“5” is not a valid kernel size for this layer’s "
                                         "1 × 4 × 4 input. Type a whole number from 1 to 4, or add padding"));
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

/* Opens a width × height window on network and waits until the panes
 * have followed the size, including an inspector pane hidden for lack of
 * room. */
static LsMainWindow *
open_sized_window_with (LsNetwork *network,
                        int        width,
                        int        height)
{
  LsMainWindow *window = ls_main_window_new (NULL);

  ls_main_window_set_network (window, network, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_drawn (find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW));
  wait_for_frames ();

  return window;
}

typedef struct
{
  int total;   /* the width of the panes and the diagram together */
  int start;   /* 0 when hidden */
  int center;
  int end;     /* 0 when hidden */
} PaneWidths;

/* Returns the allocated width of child, its border included. */
static int
get_allocated_width (GtkWidget *child,
                     GtkWidget *parent)
{
  graphene_rect_t bounds;

  if (!gtk_widget_get_visible (child))
    return 0;

  g_assert_true (gtk_widget_compute_bounds (child, parent, &bounds));

  return (int) round (bounds.size.width);
}

static void
get_pane_widths (LsMainWindow *window,
                 PaneWidths   *widths)
{
  GtkWidget *panes = find_widget (GTK_WIDGET (window), LS_TYPE_PANES);
  GtkWidget *start = gtk_widget_get_first_child (panes);

  widths->total = gtk_widget_get_width (panes);
  widths->start = get_allocated_width (start, panes);
  widths->center = get_allocated_width (gtk_widget_get_next_sibling (start), panes);
  widths->end = get_allocated_width (gtk_widget_get_last_child (panes), panes);
}

/* Styles the windows with the application's style sheet, which an
 * AdwApplication loads from the resources, so that sizes are as in the
 * application. Returns the provider to pass to stop_app_style(). */
static GtkCssProvider *
use_app_style (void)
{
  GtkCssProvider *provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/io/github/layerscope/Layerscope/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  return provider;
}

static void
stop_app_style (GtkCssProvider *provider)
{
  gtk_style_context_remove_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider));
  g_object_unref (provider);
}

/* Whether the content of a side pane fits its width without scrolling
 * sideways. */
static gboolean
pane_content_fits (GtkWidget *pane)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (pane));

  return gtk_adjustment_get_upper (adjustment) <= gtk_adjustment_get_page_size (adjustment) + 0.5;
}

/* Each side pane gets LS_PANE_SHARE (22 %) of the width, at least
 * LS_PANE_MIN_WIDTH (280) pixels, whatever its content asks for: 422 of
 * 1920, 282 of 1280 and 280 of 1024. Next to both panes the diagram
 * would keep 1920 − 844 = 1076 (56 %), 1280 − 564 = 716 (56 %), and
 * 1024 − 560 = 464 (45 %), less than LS_PANES_MIN_CENTER_SHARE (48 %), so
 * at 1024 the end pane does not fit. Shown anyway, it leaves the diagram
 * wider than itself. The panes are allocated directly, because a test
 * screen may be smaller than 1920 pixels. */
static void
test_window_panes_follow_width (void)
{
  static const struct
  {
    int width;
    int pane;
    int center;
    gboolean end_fits;
  } cases[] = {
    { 1920, 422, 1076, TRUE },
    { 1280, 282, 716, TRUE },
    { 1024, 280, 464, FALSE },
  };
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  GtkWidget *panes, *start, *center, *end;
  int minimum, natural;

  g_type_ensure (LS_TYPE_PANES);
  g_assert_true (gtk_builder_add_from_string (builder,
    "<interface><object class='LsPanes' id='panes'>"
    "<child type='start'><object class='GtkLabel' id='start'><property name='label'>A long line of text "
    "that would ask for more than a quarter of the window</property></object></child>"
    "<child><object class='GtkLabel' id='center'/></child>"
    "<child type='end'><object class='GtkLabel' id='end'/></child>"
    "</object></interface>", -1, NULL));
  panes = GTK_WIDGET (gtk_builder_get_object (builder, "panes"));
  start = GTK_WIDGET (gtk_builder_get_object (builder, "start"));
  center = GTK_WIDGET (gtk_builder_get_object (builder, "center"));
  end = GTK_WIDGET (gtk_builder_get_object (builder, "end"));
  gtk_label_set_wrap (GTK_LABEL (start), TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gtk_widget_measure (panes, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
      g_assert_cmpint (minimum, <=, cases[i].width);
      gtk_widget_size_allocate (panes, &(GtkAllocation) { 0, 0, cases[i].width, 700 }, -1);

      g_assert_cmpint (gtk_widget_get_width (start), ==, cases[i].pane);
      g_assert_cmpint (gtk_widget_get_width (center), ==, cases[i].center);
      g_assert_cmpint (gtk_widget_get_width (end), ==, cases[i].pane);
      g_assert_cmpint (ls_panes_get_end_fits (LS_PANES (panes)), ==, cases[i].end_fits);
      g_assert_cmpint (gtk_widget_get_width (center), >, gtk_widget_get_width (start));
    }

  /* Hiding the start pane leaves room for the end pane. */
  gtk_widget_set_visible (start, FALSE);
  gtk_widget_measure (panes, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  gtk_widget_size_allocate (panes, &(GtkAllocation) { 0, 0, 1024, 700 }, -1);
  g_assert_true (ls_panes_get_end_fits (LS_PANES (panes)));
  g_assert_cmpint (gtk_widget_get_width (center), ==, 1024 - 280);

  g_object_ref_sink (panes);
  g_object_unref (panes);
}

/* At 1024 pixels the window hides the inspector pane, which does not fit
 * next to the controls, and shows it again when hiding the controls
 * makes room. Shown by its button, it leaves the diagram wider than each
 * pane. */
static void
test_window_panes_hide_end (void)
{
  GtkCssProvider *style = use_app_style ();
  g_autoptr(LsNetwork) network = load_example ("digits-cnn.json");
  LsMainWindow *window = open_sized_window_with (network, 1024, 768);
  PaneWidths widths;

  get_pane_widths (window, &widths);
  g_test_message ("%d px: panes %d, %d, %d", widths.total, widths.start, widths.center, widths.end);
  g_assert_cmpint (widths.start, ==, LS_PANE_MIN_WIDTH);
  g_assert_cmpint (widths.end, ==, 0);
  g_assert_true (pane_content_fits (gtk_widget_get_first_child (find_widget (GTK_WIDGET (window), LS_TYPE_PANES))));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-controls", NULL));
  wait_for_frames ();
  get_pane_widths (window, &widths);
  g_assert_cmpint (widths.start, ==, 0);
  g_assert_cmpint (widths.end, ==, LS_PANE_MIN_WIDTH);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-controls", NULL));
  wait_for_frames ();
  get_pane_widths (window, &widths);
  g_assert_cmpint (widths.start, ==, LS_PANE_MIN_WIDTH);
  g_assert_cmpint (widths.end, ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-inspector", NULL));
  wait_for_frames ();
  get_pane_widths (window, &widths);
  g_assert_cmpint (widths.end, ==, LS_PANE_MIN_WIDTH);
  g_assert_cmpint (widths.center, >, widths.start);
  g_assert_cmpint (widths.center, >, widths.end);

  gtk_window_destroy (GTK_WINDOW (window));
  stop_app_style (style);
}

/* The panes keep their widths whatever the inspector or the input panel
 * shows: a pixel of conv 2 with the kernels of its 8 input channels, an
 * output neuron, an input pixel, and a 28 × 28 input instead of 8 × 8.
 * Their content fits without scrolling sideways. */
static void
test_window_panes_keep_width (void)
{
  static const LsSelection selections[] = {
    { LS_SELECTION_NEURON, .column = 3, .unit = 0 },
    { LS_SELECTION_NEURON, .column = 6, .unit = 3 },
    { LS_SELECTION_NEURON, .column = 0, .unit = 10 },
  };
  GtkCssProvider *style = use_app_style ();
  g_autoptr(LsNetwork) network = load_example ("digits-cnn.json");
  LsMainWindow *window = open_sized_window_with (network, 1200, 720);
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  GtkWidget *panes = find_widget (GTK_WIDGET (window), LS_TYPE_PANES);
  float image[28 * 28] = { 0 };
  g_autoptr(LsNetwork) large = new_conv_network (28, 28, image, 3);
  PaneWidths before, after;

  /* 1200 pixels leave the diagram 1200 − 2 × 280 = 640 (53 %) next to
   * both panes, enough for the inspector. */
  get_pane_widths (window, &before);
  g_assert_cmpint (before.end, >, 0);
  for (guint i = 0; i < G_N_ELEMENTS (selections); i++)
    {
      ls_diagram_view_set_selection (diagram, &selections[i]);
      wait_for_frames ();
      get_pane_widths (window, &after);
      g_assert_cmpint (after.start, ==, before.start);
      g_assert_cmpint (after.center, ==, before.center);
      g_assert_cmpint (after.end, ==, before.end);
      g_assert_true (pane_content_fits (gtk_widget_get_last_child (panes)));
    }

  ls_main_window_set_network (window, large, NULL);
  wait_for_frames ();
  get_pane_widths (window, &after);
  g_assert_cmpint (after.start, ==, before.start);
  g_assert_cmpint (after.center, ==, before.center);
  g_assert_true (pane_content_fits (gtk_widget_get_first_child (panes)));

  gtk_window_destroy (GTK_WINDOW (window));
  stop_app_style (style);
}

/* Larger text widens the side panes with it, by the cube root of the
 * panels' text scale: after Ctrl++ three times (text ×1.95, panels
 * capped at ×1.5) a window 1280 pixels wide gives each pane at least
 * 280 × ∛1.5 = 321 pixels, and their content fits without scrolling
 * sideways. The diagram keeps about 1280 − 2 × 321 = 638 pixels, more
 * than LS_PANES_MIN_CENTER_SHARE (48 %), so the end pane with the
 * decision map, the curves and the bars stays. Ctrl+0 brings back the
 * unscaled widths. */
static void
test_window_panes_follow_text_scale (void)
{
  GtkCssProvider *style = use_app_style ();
  g_autoptr(LsNetwork) network = load_example ("xor.json");
  LsMainWindow *window = open_sized_window_with (network, 1280, 720);
  GtkWidget *panes = find_widget (GTK_WIDGET (window), LS_TYPE_PANES);
  int minimum = (int) round (LS_PANE_MIN_WIDTH * cbrt (1.5));
  PaneWidths widths;

  get_pane_widths (window, &widths);
  g_assert_cmpint (widths.end, >, 0);

  for (int i = 0; i < 3; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.text-larger", NULL));
  wait_for_frames ();
  get_pane_widths (window, &widths);
  g_test_message ("%d px at text ×1.95: panes %d, %d, %d", widths.total, widths.start, widths.center, widths.end);
  g_assert_cmpint (widths.total, <=, 1280);
  g_assert_cmpint (widths.start, >=, minimum);
  g_assert_cmpint (widths.end, >=, minimum);
  g_assert_cmpint (widths.center, >=, (int) floor (LS_PANES_MIN_CENTER_SHARE * widths.total));
  g_assert_true (pane_content_fits (gtk_widget_get_first_child (panes)));
  g_assert_true (pane_content_fits (gtk_widget_get_last_child (panes)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.text-reset", NULL));
  wait_for_frames ();
  get_pane_widths (window, &widths);
  g_assert_cmpint (widths.start, ==, MAX (LS_PANE_MIN_WIDTH, (int) round (widths.total * LS_PANE_SHARE)));
  g_assert_cmpint (widths.end, ==, widths.start);

  gtk_window_destroy (GTK_WINDOW (window));
  stop_app_style (style);
}

/* Logs the minimum width of widget and its descendants down to depth
 * levels, to show which of them makes the window too wide. */
static void
log_minimum_widths (GtkWidget *widget,
                    int        level,
                    int        depth)
{
  int minimum = 0;

  if (!gtk_widget_get_visible (widget) || level > depth)
    return;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("%*s%s: minimum width %d", 2 * level, "", G_OBJECT_TYPE_NAME (widget), minimum);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    log_minimum_widths (child, level + 1, depth);
}

/* Asserts that each shown pane lies within the panes, and the panes
 * within the window. */
static void
assert_panes_inside (LsMainWindow *window)
{
  GtkWidget *panes = find_widget (GTK_WIDGET (window), LS_TYPE_PANES);
  int window_width = gtk_widget_get_width (GTK_WIDGET (window));
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (panes, GTK_WIDGET (window), &bounds));
  g_assert_cmpfloat (bounds.origin.x, >=, 0.0);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, window_width);

  for (GtkWidget *pane = gtk_widget_get_first_child (panes);
       pane != NULL;
       pane = gtk_widget_get_next_sibling (pane))
    {
      if (!gtk_widget_get_visible (pane))
        continue;
      g_assert_true (gtk_widget_compute_bounds (pane, panes, &bounds));
      g_assert_cmpfloat (bounds.origin.x, >=, 0.0);
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (panes) + 0.5);
    }
}

/* Whether the last columns of widget are blank, so that no text of the
 * curves, whose plots end 0.8 text sizes before the edge, runs into the
 * edge and gets cut off there. */
static gboolean
right_edge_is_blank (GtkWidget *widget,
                     int        columns)
{
  int width, height;
  g_autoptr(GBytes) pixels = render_widget (widget, &width, &height);
  const guchar *data = g_bytes_get_data (pixels, NULL);  /* [height][width][BGRA] */

  for (int y = 0; y < height; y++)
    for (int x = MAX (width - columns, 0); x < width; x++)
      if (data[((gsize) y * width + x) * 4 + 3] != 0)
        return FALSE;

  return TRUE;
}

/* Measures the window for a 1280 × 720 projector with the spiral, whose
 * end pane contains the decision map and the curves, at each text size
 * from ×1 to ×1.95 (Ctrl++ three times, ×1.25 each). The window requests
 * at most 1280 pixels and the panes lie within it. When shown, the end
 * pane fits its content without scrolling sideways, with the curves'
 * legends clear of its edge, also after its button hides and shows it. */
static void
test_window_fits_small_screen (void)
{
  GtkCssProvider *style = use_app_style ();
  g_autoptr(LsNetwork) network = load_example ("spiral.json");
  LsMainWindow *window = open_sized_window_with (network, 1280, 720);
  GtkWidget *panes = find_widget (GTK_WIDGET (window), LS_TYPE_PANES);
  GtkWidget *end = gtk_widget_get_last_child (panes);
  GtkWidget *panel = find_widget (GTK_WIDGET (window), LS_TYPE_TRAINING_PANEL);
  LsTrainingController *controller = ls_training_panel_get_controller (LS_TRAINING_PANEL (panel));
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  gsize n_points = 0;
  int minimum;

  /* Training widens the bar above the diagram with the accuracy and fills
   * the curves and their legends. */
  ls_training_controller_set_speed (controller, 0.0);
  g_assert_true (ls_training_controller_play (controller, NULL));
  while (g_get_monotonic_time () < deadline && n_points < 5)
    {
      g_main_context_iteration (NULL, TRUE);
      ls_training_controller_get_history (controller, &n_points);
    }
  ls_training_controller_pause (controller);
  g_assert_cmpuint (n_points, >=, 5);

  for (int step = 0; step < 4; step++)
    {
      if (step > 0)
        g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.text-larger", NULL));
      wait_for_frames ();
      gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      g_test_message ("text step %d: window minimum width %d, width %d, end pane %s", step, minimum,
                      gtk_widget_get_width (GTK_WIDGET (window)), gtk_widget_get_visible (end) ? "shown" : "hidden");
      if (minimum > 1280)
        log_minimum_widths (GTK_WIDGET (window), 0, 9);
      g_assert_cmpint (minimum, <=, 1280);
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 1280);
      assert_panes_inside (window);
      if (gtk_widget_get_visible (end))
        {
          g_assert_true (pane_content_fits (end));
          g_assert_true (right_edge_is_blank (find_widget (GTK_WIDGET (window), LS_TYPE_CURVES_VIEW), 2));
        }
    }

  /* Hidden and shown again by its button, the end pane still fits. A
   * test screen narrower than 1280 pixels has it hidden already. */
  if (gtk_widget_get_visible (end))
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-inspector", NULL));
      wait_for_frames ();
      g_assert_false (gtk_widget_get_visible (end));
    }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-inspector", NULL));
  wait_for_frames ();
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_true (gtk_widget_get_visible (end));
  g_assert_cmpint (minimum, <=, 1280);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 1280);
  assert_panes_inside (window);
  g_assert_true (pane_content_fits (end));

  gtk_window_destroy (GTK_WINDOW (window));
  stop_app_style (style);
}

/* Selecting a neuron, an input pixel or an edge shows the inspector pane
 * that the window hid for lack of room at 1024 pixels. Once shown that
 * way it stays, as if the user had shown it. */
static void
test_window_selection_shows_inspector (void)
{
  static const LsSelection selections[] = {
    { LS_SELECTION_NEURON, .column = 6, .unit = 3 },
    { LS_SELECTION_NEURON, .column = 0, .unit = 10 },
    { LS_SELECTION_EDGE, .column = 6, .unit = 2, .input = 5 },
  };
  GtkCssProvider *style = use_app_style ();
  g_autoptr(LsNetwork) network = load_example ("digits-cnn.json");

  for (guint i = 0; i < G_N_ELEMENTS (selections); i++)
    {
      LsMainWindow *window = open_sized_window_with (network, 1024, 768);
      LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
      PaneWidths widths;

      get_pane_widths (window, &widths);
      g_assert_cmpint (widths.end, ==, 0);

      ls_diagram_view_set_selection (diagram, &selections[i]);
      wait_for_frames ();
      get_pane_widths (window, &widths);
      g_assert_cmpint (widths.end, ==, LS_PANE_MIN_WIDTH);

      ls_diagram_view_set_selection (diagram, NULL);
      wait_for_frames ();
      get_pane_widths (window, &widths);
      g_assert_cmpint (widths.end, ==, LS_PANE_MIN_WIDTH);

      gtk_window_destroy (GTK_WINDOW (window));
    }

  stop_app_style (style);
}

static guint
count_ringed_thumbnails (LsSampleBrowser *browser)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  guint count = 0;

  collect_widgets (GTK_WIDGET (browser), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (buttons, i), "current-sample"))
      count++;

  return count;
}

static void
wait_for_split (LsSampleBrowser *browser,
                const char      *split)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline &&
         (ls_sample_browser_get_dataset (browser) == NULL ||
          g_strcmp0 (ls_dataset_get_split (ls_sample_browser_get_dataset (browser)), split) != 0))
    g_main_context_iteration (NULL, FALSE);
  wait_for_frames ();
}

/* The digits CNN stores test sample 3, which the browser rings and
 * numbers. The training split does not contain that image, and neither
 * is an edited input any sample, so then no sample is ringed or numbered;
 * Next then picks the first sample. */
static void
test_window_sample_browser_no_selection (void)
{
  g_autoptr(LsNetwork) network = load_example ("digits-cnn.json");
  LsMainWindow *window = open_window_with (network);
  LsSampleBrowser *browser = wait_for_dataset (GTK_WIDGET (window));
  GtkEditable *number = find_widget (GTK_WIDGET (browser), GTK_TYPE_ENTRY);
  g_autoptr(LsNetwork) edited = load_example ("digits-cnn.json");

  g_assert_cmpuint (count_ringed_thumbnails (browser), ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (number), ==, "3");

  ls_sample_browser_load_builtin (browser, "digits", "train");
  wait_for_split (browser, "train");
  g_assert_cmpuint (count_ringed_thumbnails (browser), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (number), ==, "");
  g_assert_true (g_str_has_prefix (get_shown_truth (GTK_WIDGET (browser)), "The input is none of these samples"));

  g_signal_emit_by_name (find_button (GTK_WIDGET (browser), NULL, "Next sample"), "clicked");
  wait_for_frames ();
  g_assert_cmpmem (ls_network_get_input (network), 64 * sizeof (float),
                   ls_dataset_get_sample (ls_sample_browser_get_dataset (browser), 0), 64 * sizeof (float));
  g_assert_cmpuint (count_ringed_thumbnails (browser), ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (number), ==, "1");

  /* As reopening a document whose input was painted on. */
  g_assert_true (ls_network_set_input_value (edited, 0, 0.5f, NULL));
  ls_main_window_set_network (window, edited, NULL);
  wait_for_frames ();
  g_assert_cmpuint (count_ringed_thumbnails (browser), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (number), ==, "");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Text that is no sample number brings back the number of the sample
 * that is the input, with a message, instead of picking sample 1. A
 * number picks that sample. */
static void
test_window_sample_number_rejects_text (void)
{
  g_autoptr(LsNetwork) network = load_example ("digits-cnn.json");
  LsMainWindow *window = open_window_with (network);
  LsSampleBrowser *browser = wait_for_dataset (GTK_WIDGET (window));
  LsDataset *dataset = ls_sample_browser_get_dataset (browser);
  GtkEditable *number = find_widget (GTK_WIDGET (browser), GTK_TYPE_ENTRY);
  const char *bad[] = { "abc", "0", "361", "-2" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *message = g_strdup_printf ("“%s” is not a sample number. "
                                                  "Type a whole number from 1 to 360.", bad[i]);

      gtk_editable_set_text (number, bad[i]);
      g_signal_emit_by_name (number, "activate");
      wait_for_frames ();

      g_assert_cmpstr (gtk_editable_get_text (number), ==, "3");
      g_assert_true (label_with_text_exists (GTK_WIDGET (window), message));
      g_assert_cmpmem (ls_network_get_input (network), 64 * sizeof (float),
                       ls_dataset_get_sample (dataset, 2), 64 * sizeof (float));
    }
  g_assert_false (ls_main_window_get_modified (window));

  gtk_editable_set_text (number, "5");
  g_signal_emit_by_name (number, "activate");
  wait_for_frames ();
  g_assert_cmpmem (ls_network_get_input (network), 64 * sizeof (float),
                   ls_dataset_get_sample (dataset, 4), 64 * sizeof (float));
  g_assert_cmpstr (gtk_editable_get_text (number), ==, "5");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* When a weighted sum overflows, the sample panel names no prediction,
 * as the bars show no output: the 3e38 kernel weight makes conv 1 large
 * enough that a later layer leaves the float range. */
static void
test_window_sample_browser_overflow (void)
{
  g_autoptr(LsNetwork) network = load_example ("digits-cnn.json");
  LsMainWindow *window = open_window_with (network);
  LsSampleBrowser *browser = wait_for_dataset (GTK_WIDGET (window));

  g_assert_true (label_with_text_exists (GTK_WIDGET (browser), "✓ right"));
  g_assert_true (ls_network_set_kernel_weight (network, 0, 0, 0, 0, 0, 3e38f, NULL));
  wait_for_frames ();

  g_assert_true (ls_network_find_non_finite (network, NULL));
  g_assert_true (label_with_text_exists (GTK_WIDGET (browser), "No prediction: the output is not a number."));
  g_assert_false (label_with_text_exists (GTK_WIDGET (browser), "Prediction: "));
  g_assert_false (label_with_text_exists (GTK_WIDGET (browser), "✓ right"));
  g_assert_false (label_with_text_exists (GTK_WIDGET (browser), "✗ wrong"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* IDX labels name the classes "0" to "200". Label 200 has no output among
 * the network's ten, which the panel says instead of marking the
 * prediction. Label 3 is named as the outputs are: by the output layer's
 * labels when it has them, else with the output's name "y4". */
static void
test_window_sample_browser_label_names (void)
{
  static const guint8 images[] = {
    0, 0, 0x08, 3,  0, 0, 0, 2,  0, 0, 0, 2,  0, 0, 0, 2,
    255, 0, 0, 255,
    0, 51, 102, 255,
  };
  static const guint8 labels[] = { 0, 0, 0x08, 1,  0, 0, 0, 2,  200, 3 };
  static const char * const output_labels[] = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", NULL
  };
  g_autofree char *dir = g_dir_make_tmp ("layerscope-test-XXXXXX", NULL);
  g_autoptr(GFile) images_file = write_file (dir, "t10k-images-idx3-ubyte", images, sizeof images);
  g_autoptr(GFile) labels_file = write_file (dir, "t10k-labels-idx1-ubyte", labels, sizeof labels);
  g_autoptr(GListStore) chosen = g_list_store_new (G_TYPE_FILE);
  g_autoptr(LsNetwork) network = NULL;
  LsMainWindow *window;
  LsSampleBrowser *browser;
  LsShape shape;

  ls_shape_init_3d (&shape, 1, 2, 2);
  network = ls_network_new_with_shape (&shape);
  g_assert_true (ls_network_insert_flatten (network, 0, NULL));
  g_assert_true (ls_network_insert_dense (network, 1, 10, LS_ACTIVATION_SOFTMAX, NULL));
  window = open_window_with (network);
  browser = find_widget (GTK_WIDGET (window), LS_TYPE_SAMPLE_BROWSER);
  g_list_store_append (chosen, images_file);
  ls_sample_browser_open_idx_files (browser, G_LIST_MODEL (chosen));
  wait_for_dataset_name (browser, "t10k-images-idx3-ubyte");

  ls_sample_browser_select_sample (browser, 0);
  wait_for_frames ();
  g_assert_true (label_with_text_exists (GTK_WIDGET (browser), "True label: 200. This label is outside the "
                                         "network’s 10 outputs, so the prediction is not marked right or wrong."));
  g_assert_true (label_with_text_exists (GTK_WIDGET (browser), "Prediction: y"));
  g_assert_false (label_with_text_exists (GTK_WIDGET (browser), "✓ right"));
  g_assert_false (label_with_text_exists (GTK_WIDGET (browser), "✗ wrong"));

  ls_sample_browser_select_sample (browser, 1);
  wait_for_frames ();
  g_assert_true (label_with_text_exists (GTK_WIDGET (browser), "True label: 3 (y4)"));
  g_assert_true (label_with_text_exists (GTK_WIDGET (browser), "✓ right") ||
                 label_with_text_exists (GTK_WIDGET (browser), "✗ wrong"));

  ls_network_set_layer_labels (network, 1, output_labels);
  wait_for_frames ();
  g_assert_true (label_with_text_exists (GTK_WIDGET (browser), "True label: three"));
  g_assert_false (label_with_text_exists (GTK_WIDGET (browser), "Prediction: y"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_file_delete (images_file, NULL, NULL);
  g_file_delete (labels_file, NULL, NULL);
  g_rmdir (dir);
}

static GtkWidget *
get_insert_menu (GtkWidget *panel,
                 guint      index)
{
  g_autoptr(GPtrArray) menus = g_ptr_array_new ();

  collect_widgets (panel, GTK_TYPE_MENU_BUTTON, menus);
  g_assert_cmpuint (index, <, menus->len);

  return g_ptr_array_index (menus, index);
}

/* Returns the bin button of layer index. */
static GtkWidget *
find_remove_button (GtkWidget *panel,
                    guint      index)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  guint found = 0;

  collect_widgets (panel, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_widget_get_tooltip_text (g_ptr_array_index (buttons, i)), "Remove this layer") == 0 &&
        found++ == index)
      return g_ptr_array_index (buttons, i);

  g_error ("no bin button for layer %u", index);
}

/* Returns the item for kind of the insert menu at index. */
static GtkWidget *
find_insert_item (GtkWidget  *panel,
                  guint       index,
                  const char *kind)
{
  GtkMenuButton *menu = GTK_MENU_BUTTON (get_insert_menu (panel, index));

  return find_button (GTK_WIDGET (gtk_menu_button_get_popover (menu)), kind, NULL);
}

/* After the flatten layer of the digits CNN the values are flat, so the
 * menu there offers no convolution or pooling, and says why. Before a
 * convolution or pooling layer it offers no dense or flatten layer, whose
 * flat output that layer could not take. A 2×2 pool
 * does not fit the 1 × 1 image of a 3×3 convolution on 3 × 3 pixels. An
 * insert point after the output layer appends a layer. */
static void
test_window_insert_menu_explains (void)
{
  static const char * const kinds[] = { "Dense", "Convolution", "Max pooling", "Average pooling", "Flatten" };
  g_autoptr(LsNetwork) network = load_example ("digits-cnn.json");
  LsMainWindow *window = open_window_with (network);
  GtkWidget *panel = find_widget (GTK_WIDGET (window), LS_TYPE_LAYER_PANEL);
  g_autoptr(GPtrArray) menus = g_ptr_array_new ();
  const float image[9] = { 0 };
  g_autoptr(LsNetwork) small = new_conv_network (3, 3, image, 3);
  GtkWidget *item;

  collect_widgets (panel, GTK_TYPE_MENU_BUTTON, menus);
  g_assert_cmpuint (menus->len, ==, 6 + 1);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    g_assert_true (gtk_widget_get_sensitive (find_insert_item (panel, 0, kinds[i])) == (i != 0 && i != 4));

  /* Before conv 1 and pool 2 a flat list could not feed the layer. */
  item = find_insert_item (panel, 0, "Dense");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (item), ==,
                   "Convolution follows here and needs an image, but Dense gives a flat list of values. "
                   "Insert it after the last convolution or pooling layer.");
  item = find_insert_item (panel, 3, "Flatten");
  g_assert_false (gtk_widget_get_sensitive (item));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (item), ==,
                   "Max pooling follows here and needs an image, but Flatten gives a flat list of values. "
                   "Insert it after the last convolution or pooling layer.");
  g_assert_true (gtk_widget_get_sensitive (find_insert_item (panel, 4, "Flatten")));

  item = find_insert_item (panel, 5, "Convolution");
  g_assert_false (gtk_widget_get_sensitive (item));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (item), ==,
                   "Convolution needs an image input, but here the input is a flat list of 64 values. "
                   "Insert it before the flatten or dense layer.");
  g_assert_false (gtk_widget_get_sensitive (find_insert_item (panel, 5, "Max pooling")));
  g_assert_true (gtk_widget_get_sensitive (find_insert_item (panel, 5, "Dense")));

  g_signal_emit_by_name (find_insert_item (panel, 6, "Dense"), "clicked");
  wait_for_frames ();
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 7);
  g_assert_cmpint (ls_network_get_layer (network, 6)->kind, ==, LS_LAYER_DENSE);
  g_assert_cmpuint (ls_network_get_layer (network, 5)->units, ==, 10);

  ls_main_window_set_network (window, small, NULL);
  wait_for_frames ();
  item = find_insert_item (panel, 1, "Max pooling");
  g_assert_false (gtk_widget_get_sensitive (item));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (item), ==,
                   "Max pooling with a 2×2 window needs an image of at least 2 × 2 pixels, "
                   "and the image here is 1 × 1 × 1.");
  g_assert_true (gtk_widget_get_sensitive (find_insert_item (panel, 1, "Convolution")));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Inserting or removing a layer keeps the side panel where it was
 * scrolled to, and the insert button of the edit's position takes the
 * focus. The removal's message names the layer. */
static void
test_window_layer_edit_keeps_scroll (void)
{
  g_autoptr(LsNetwork) network = load_example ("digits-cnn.json");
  LsMainWindow *window = open_sized_window_with (network, 1280, 720);
  GtkWidget *panel = find_widget (GTK_WIDGET (window), LS_TYPE_LAYER_PANEL);
  GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (panel, GTK_TYPE_SCROLLED_WINDOW));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  graphene_point_t insert_top;
  GtkWidget *content;
  GtkWidget *focus;
  GtkWidget *remove;
  double position;

  /* Scroll the insert button to the top of the pane: the sections below
   * the layers leave it out of sight at the bottom. */
  content = gtk_viewport_get_child (GTK_VIEWPORT (gtk_scrolled_window_get_child (scrolled)));
  g_assert_true (gtk_widget_compute_point (get_insert_menu (panel, 5), content,
                                           &GRAPHENE_POINT_INIT (0, 0), &insert_top));
  gtk_adjustment_set_value (adjustment, insert_top.y);
  wait_for_frames ();
  gtk_widget_grab_focus (get_insert_menu (panel, 5));
  wait_for_frames ();
  position = gtk_adjustment_get_value (adjustment);
  g_assert_cmpfloat (position, >, 0.0);

  g_assert_true (gtk_widget_activate_action (panel, "layers.insert", "(su)", "dense", 5));
  wait_for_frames ();
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 7);
  focus = gtk_root_get_focus (gtk_widget_get_root (panel));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, get_insert_menu (panel, 5)));
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >=, position - 1.0);

  /* A click on the bin button focuses it first. */
  remove = find_remove_button (panel, 5);
  gtk_widget_grab_focus (remove);
  wait_for_frames ();
  position = gtk_adjustment_get_value (adjustment);
  g_signal_emit_by_name (remove, "clicked");
  wait_for_frames ();
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 6);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >=, position - 1.0);
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "“hidden 6” removed"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Types text into a layer card's field and presses Enter. */
static void
type_into_field (GtkWidget  *panel,
                 const char *caption,
                 const char *text)
{
  GtkWidget *spin = find_field (panel, caption);

  gtk_editable_set_text (GTK_EDITABLE (spin), text);
  g_signal_emit_by_name (gtk_editable_get_delegate (GTK_EDITABLE (spin)), "activate");
  wait_for_frames ();
}

/* The fields of the digits CNN's cards give the range that the layer
 * allows. conv 1 makes 8 × 8 maps from one channel, so it can have up to
 * LS_MAX_TENSOR_SIZE / 64 = 16384 filters; with "same" padding any kernel
 * up to LS_MAX_KERNEL_SIZE (1024) fits; pool 1's window must fit its
 * 8 × 8 × 8 input. A stride of 5 with "same" padding gets the window's
 * way out, and the layers stay as they were. */
static void
test_window_layer_field_messages (void)
{
  g_autoptr(LsNetwork) network = load_example ("digits-cnn.json");
  LsMainWindow *window = open_window_with (network);
  GtkWidget *panel = find_widget (GTK_WIDGET (window), LS_TYPE_LAYER_PANEL);
  const LsLayer *conv = ls_network_get_layer (network, 0);

  type_into_field (panel, "Filters", "0");
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "“0” is not a valid number of filters. "
                                         "This convolution can have 1 to 16384 filters"));
  type_into_field (panel, "Kernel size", "100000");
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "“100000” is not a valid kernel size. "
                                         "Type a whole number from 1 to 1024."));
  type_into_field (panel, "Window size", "9");
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "“9” is not a valid window size for this "
                                         "layer’s 8 × 8 × 8 input. Type a whole number from 1 to 8."));
  type_into_field (panel, "Stride", "5");
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "“Same size” padding keeps the image size only "
                                         "with stride 1, not 5. Choose Number padding or stride 1."));

  g_assert_cmpuint (conv->units, ==, 8);
  g_assert_cmpuint (conv->window.kernel[0], ==, 3);
  g_assert_cmpuint (conv->window.stride[0], ==, 1);
  g_assert_cmpuint (ls_network_get_layer (network, 1)->window.kernel[0], ==, 2);
  g_assert_false (ls_main_window_get_modified (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A kernel weight's field takes back its value after rejected text, so
 * that it does not show a number the layer does not have. 1e-50 would
 * round to 0 as a float and is rejected too; 1e-40 is kept as the
 * nearest float, which the field shows. */
static void
test_window_kernel_cell_restores_value (void)
{
  const float image[9] = { 0 };
  g_autoptr(LsNetwork) network = new_conv_network (3, 3, image, 3);
  LsMainWindow *window = open_window_with (network);
  LsSelection pixel = { LS_SELECTION_NEURON, .column = 1, .unit = 0 };
  const char *bad[] = { "abc", "1e99", "nan", "inf", "0x10", "1e-50" };
  GtkWidget *editor;
  GtkEditable *cell;
  float before;

  ls_diagram_view_set_selection (find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW), &pixel);
  wait_for_frames ();
  editor = find_widget (GTK_WIDGET (window), LS_TYPE_KERNEL_EDITOR);
  cell = find_widget (editor, GTK_TYPE_ENTRY);
  before = ls_layer_get_kernel (ls_network_get_layer (network, 0), 0, 0)[0];

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *shown = ls_format_value (before);

      gtk_editable_set_text (cell, bad[i]);
      g_signal_emit_by_name (cell, "activate");
      wait_for_frames ();

      g_assert_cmpstr (gtk_editable_get_text (cell), ==, shown);
      g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (cell), "error"));
      g_assert_cmpfloat (ls_layer_get_kernel (ls_network_get_layer (network, 0), 0, 0)[0], ==, before);
    }
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "“1e-50” is too close to 0 for a float"));
  g_assert_false (ls_main_window_get_modified (window));

  gtk_editable_set_text (cell, "1e-40");
  g_signal_emit_by_name (cell, "activate");
  wait_for_frames ();
  g_assert_cmpfloat (ls_layer_get_kernel (ls_network_get_layer (network, 0), 0, 0)[0], ==, 1e-40f);
  g_assert_cmpstr (gtk_editable_get_text (cell), ==, "1e-40");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (cell), "error"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The brush size shows next to its slider, in pixels of the image: the
 * default for an 8 × 8 image is 0.75. */
static void
test_window_brush_size_shown (void)
{
  g_autoptr(LsNetwork) network = load_example ("digits-cnn.json");
  LsMainWindow *window = open_window_with (network);

  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "0.75 px"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Builds a network that reads up to 8 tokens of text with the vocabulary
 * [UNK] the movie was not good, and the text "the movie was good". Its
 * layers are an embedding of width 4, sinusoidal positions, attention
 * with 2 heads and the residual sum, layer normalisation, mean token
 * pooling and a softmax layer labelled negative and positive. */
static LsNetwork *
new_text_network (void)
{
  static const char * const words[] = { "[UNK]", "the", "movie", "was", "not", "good", NULL };
  static const char * const labels[] = { "negative", "positive", NULL };
  const LsInit init = { LS_INIT_XAVIER, 7 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LsVocabulary) vocabulary = ls_vocabulary_new (words, &error);
  LsNetwork *network;

  g_assert_no_error (error);
  network = ls_network_new_with_tokens (vocabulary, 8, "the movie was good", &error);
  g_assert_no_error (error);
  ls_network_append_layer (network, ls_layer_new_embedding (4, 6, 4, &init, NULL), &error);
  g_assert_no_error (error);
  ls_network_insert_positional (network, 1, LS_POSITIONAL_SINUSOIDAL, &error);
  g_assert_no_error (error);
  ls_network_insert_attention (network, 2, 2, FALSE, TRUE, &error);
  g_assert_no_error (error);
  ls_network_insert_layernorm (network, 3, &error);
  g_assert_no_error (error);
  ls_network_insert_pool_tokens (network, 4, LS_TOKEN_POOLING_MEAN, &error);
  g_assert_no_error (error);
  ls_network_insert_dense (network, 5, 2, LS_ACTIVATION_SOFTMAX, &error);
  g_assert_no_error (error);
  ls_network_set_layer_labels (network, 5, labels);

  return network;
}

/* Returns the text field of the input panel, the entry with the
 * "text-input" style class. */
static GtkWidget *
find_text_entry (GtkWidget *root)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();

  collect_widgets (root, GTK_TYPE_ENTRY, entries);
  for (guint i = 0; i < entries->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (entries, i), "text-input"))
      return g_ptr_array_index (entries, i);

  g_error ("no text field in the input panel");
}

/* Returns the token chips' texts joined by "|", and whether each is
 * marked unknown, as "*". */
static char *
dup_chip_texts (GtkWidget *root)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GString) texts = g_string_new (NULL);

  collect_widgets (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (!gtk_widget_has_css_class (label, "token-chip"))
        continue;
      if (texts->len > 0)
        g_string_append_c (texts, '|');
      g_string_append (texts, gtk_label_get_text (GTK_LABEL (label)));
      if (gtk_widget_has_css_class (label, "unknown-token"))
        g_string_append_c (texts, '*');
    }

  return g_string_free (g_steal_pointer (&texts), FALSE);
}

/* Typing " not" into "the movie was good" after "was", one character at
 * a time as the keyboard does, changes the token count from 4 to 5 and
 * so the network's structure. The text field stays the same widget with
 * the focus, its cursor moves one place per character, the network reads
 * each new text, and the layer panel keeps its cards. */
static void
test_window_text_typing_keeps_focus (void)
{
  g_autoptr(LsNetwork) network = new_text_network ();
  LsMainWindow *window = open_window_with (network);
  GtkWidget *entry = find_text_entry (GTK_WIDGET (window));
  GtkWidget *text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (entry)));
  GtkWidget *heads = find_field (find_widget (GTK_WIDGET (window), LS_TYPE_LAYER_PANEL), "Heads");
  const char *typed = " not";
  g_autofree char *chips = NULL;

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "the movie was good");
  g_assert_true (gtk_widget_grab_focus (entry));
  gtk_editable_set_position (GTK_EDITABLE (entry), strlen ("the movie was"));
  wait_for_frames ();

  for (gsize i = 0; typed[i] != '\0'; i++)
    {
      char character[2] = { typed[i], '\0' };

      g_signal_emit_by_name (text, "insert-at-cursor", character);
      wait_for_frames ();

      g_assert_true (find_text_entry (GTK_WIDGET (window)) == entry);
      g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == text);
      g_assert_cmpint (gtk_editable_get_position (GTK_EDITABLE (entry)), ==, strlen ("the movie was") + i + 1);
      g_assert_cmpstr (ls_network_get_text (network), ==, gtk_editable_get_text (GTK_EDITABLE (entry)));
    }

  g_assert_cmpstr (ls_network_get_text (network), ==, "the movie was not good");
  g_assert_cmpuint (ls_network_get_n_tokens (network), ==, 5);
  g_assert_cmpuint (ls_network_get_layer (network, 2)->input_shape.dims[0], ==, 5);
  chips = dup_chip_texts (GTK_WIDGET (window));
  g_assert_cmpstr (chips, ==, "the|movie|was|not|good");
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "5 of 8 tokens"));
  g_assert_true (find_field (find_widget (GTK_WIDGET (window), LS_TYPE_LAYER_PANEL), "Heads") == heads);

  /* Backspace takes "not" away again, with the same focus. */
  for (int i = 0; i < 4; i++)
    g_signal_emit_by_name (text, "delete-from-cursor", GTK_DELETE_CHARS, -1);
  wait_for_frames ();
  g_assert_cmpstr (ls_network_get_text (network), ==, "the movie was good");
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == text);
  g_assert_cmpint (gtk_editable_get_position (GTK_EDITABLE (entry)), ==, strlen ("the movie was"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Text the engine rejects stays in the field with the engine's message
 * under it, also through other edits, and the network keeps its last
 * valid text. The next valid
 * edit takes the message away. The limits are the network's 8 tokens
 * and the engine's "no tokens" rule. */
static void
test_window_text_error_inline (void)
{
  g_autoptr(LsNetwork) network = new_text_network ();
  LsMainWindow *window = open_window_with (network);
  GtkWidget *entry = find_text_entry (GTK_WIDGET (window));
  GtkWidget *panel = find_widget (GTK_WIDGET (window), LS_TYPE_INPUT_PANEL);
  const char *bad[] = { "", "   ", "the movie was not good the movie was good" };
  g_autofree char *message = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LsNetwork) probe = new_text_network ();

      /* The message the engine gives for this text. */
      g_assert_false (ls_network_set_text (probe, bad[i], &error));
      g_free (message);
      message = g_strdup (error->message);

      gtk_editable_set_text (GTK_EDITABLE (entry), bad[i]);
      wait_for_frames ();
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, bad[i]);
      g_assert_cmpstr (ls_network_get_text (network), ==, "the movie was good");
      g_assert_true (label_with_text_exists (panel, error->message));
      g_assert_true (gtk_widget_has_css_class (entry, "error"));

      /* Another edit of the network keeps the typed text too. */
      ls_network_set_causal (network, 2, i % 2 == 0);
      wait_for_frames ();
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, bad[i]);
    }

  gtk_editable_set_text (GTK_EDITABLE (entry), "the movie was not good");
  wait_for_frames ();
  g_assert_cmpstr (ls_network_get_text (network), ==, "the movie was not good");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  g_assert_false (label_with_text_exists (panel, message));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A word outside the vocabulary gets a marked chip whose tooltip explains
 * that it is read as [UNK]. The vocabulary's words get plain chips. */
static void
test_window_text_unknown_chip (void)
{
  g_autoptr(LsNetwork) network = new_text_network ();
  LsMainWindow *window = open_window_with (network);
  GtkWidget *entry = find_text_entry (GTK_WIDGET (window));
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autofree char *chips = NULL;
  const char *tooltip = NULL;

  gtk_editable_set_text (GTK_EDITABLE (entry), "The film was GOOD!");
  wait_for_frames ();

  chips = dup_chip_texts (GTK_WIDGET (window));
  g_assert_cmpstr (chips, ==, "the|film*|was|good|!*");
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "5 of 8 tokens"));
  collect_widgets (GTK_WIDGET (window), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), "film") == 0)
      tooltip = gtk_widget_get_tooltip_text (g_ptr_array_index (labels, i));
  g_assert_cmpstr (tooltip, ==, "“film” is not in the vocabulary, so it is read as [UNK]");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Ctrl+L's action puts the cursor in the text field. */
static void
test_window_focus_text_action (void)
{
  g_autoptr(LsNetwork) network = new_text_network ();
  LsMainWindow *window = open_window_with (network);
  GtkWidget *entry = find_text_entry (GTK_WIDGET (window));

  gtk_widget_grab_focus (GTK_WIDGET (find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.focus-text", NULL));
  wait_for_frames ();
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (entry))));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The attention card's heads field names the divisors next to a typed 3,
 * which does not divide d = 4, and keeps 2 heads. Then 1 head is taken
 * and the message goes. The causal and residual switches and the pooling and
 * epsilon fields reach the layers. */
static void
test_window_token_layer_cards (void)
{
  g_autoptr(LsNetwork) network = new_text_network ();
  g_autoptr(LsNetwork) probe = new_text_network ();
  g_autoptr(GError) error = NULL;
  LsMainWindow *window = open_window_with (network);
  GtkWidget *panel = find_widget (GTK_WIDGET (window), LS_TYPE_LAYER_PANEL);
  GtkSpinButton *heads = GTK_SPIN_BUTTON (find_field (panel, "Heads"));
  GtkWidget *eps = find_field (panel, "Epsilon");
  GtkWidget *eps_entry = find_widget (eps, GTK_TYPE_ENTRY);
  const LsLayer *attention = ls_network_get_layer (network, 2);
  const char *message = "3 heads do not divide the token width d = 4. Use 2 or 4 heads.";

  g_assert_false (ls_network_set_heads (probe, 2, 3, &error));
  gtk_editable_set_text (GTK_EDITABLE (heads), "3");
  gtk_spin_button_update (heads);
  wait_for_frames ();
  g_assert_cmpuint (attention->heads, ==, 2);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (heads), ==, 2);
  g_assert_true (label_with_text_exists (panel, message));

  gtk_spin_button_set_value (heads, 1);
  wait_for_frames ();
  g_assert_cmpuint (ls_network_get_layer (network, 2)->heads, ==, 1);
  g_assert_false (label_with_text_exists (panel, message));

  gtk_switch_set_active (GTK_SWITCH (find_field (panel, "Causal")), TRUE);
  g_assert_true (ls_network_get_layer (network, 2)->causal);
  gtk_switch_set_active (GTK_SWITCH (find_field (panel, "Residual")), FALSE);
  g_assert_false (ls_network_get_layer (network, 2)->residual);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (find_field (panel, "Pooling")), LS_TOKEN_POOLING_FIRST);
  g_assert_cmpint (ls_network_get_layer (network, 4)->pooling, ==, LS_TOKEN_POOLING_FIRST);

  gtk_editable_set_text (GTK_EDITABLE (eps_entry), "0.01");
  g_signal_emit_by_name (eps_entry, "activate");
  wait_for_frames ();
  g_assert_cmpfloat (ls_network_get_layer (network, 3)->eps, ==, 0.01f);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The + and − buttons of the heads field step to the next divisor of
 * d = 16 of sentiment.json: 2, 4, 8, 16 up and back down, since no other
 * count splits the 16 features evenly among the heads. */
static void
test_window_heads_step_divisors (void)
{
  static const gsize up[] = { 4, 8, 16 };
  static const gsize down[] = { 8, 4, 2, 1 };
  g_autoptr(LsNetwork) network = load_example ("sentiment.json");
  LsMainWindow *window = open_window_with (network);
  GtkWidget *panel = find_widget (GTK_WIDGET (window), LS_TYPE_LAYER_PANEL);
  GtkSpinButton *heads = GTK_SPIN_BUTTON (find_field (panel, "Heads"));

  g_assert_cmpuint (ls_network_get_layer (network, 2)->heads, ==, 2);
  for (guint i = 0; i < G_N_ELEMENTS (up); i++)
    {
      gtk_spin_button_spin (heads, GTK_SPIN_STEP_FORWARD, 1);
      wait_for_frames ();
      g_assert_cmpuint (ls_network_get_layer (network, 2)->heads, ==, up[i]);
      g_assert_cmpint (gtk_spin_button_get_value_as_int (heads), ==, (int) up[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (down); i++)
    {
      gtk_spin_button_spin (heads, GTK_SPIN_STEP_BACKWARD, 1);
      wait_for_frames ();
      g_assert_cmpuint (ls_network_get_layer (network, 2)->heads, ==, down[i]);
      g_assert_cmpint (gtk_spin_button_get_value_as_int (heads), ==, (int) down[i]);
    }

  /* A typed 6 lies between the divisors 4 and 8. */
  gtk_editable_set_text (GTK_EDITABLE (heads), "6");
  gtk_spin_button_update (heads);
  wait_for_frames ();
  g_assert_cmpuint (ls_network_get_layer (network, 2)->heads, ==, 1);
  g_assert_true (label_with_text_exists (panel, "6 heads do not divide the token width d = 16. Use 4 or 8 heads."));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* In a network that reads text nothing goes before the embedding. After
 * it the token kinds and dense fit, but no convolution, pooling or
 * flatten layer. After the token pooling only dense and layer
 * normalisation fit. A new attention layer gets 2 heads, the residual sum
 * and no causal mask, and a new dense layer on the sequence keeps d = 4. */
static void
test_window_insert_token_layers (void)
{
  static const char * const sequence_kinds[] = { "Dense", "Positional encoding", "Attention",
                                                 "Layer normalisation", "Token pooling" };
  static const char * const image_kinds[] = { "Convolution", "Max pooling", "Average pooling", "Flatten" };
  g_autoptr(LsNetwork) network = new_text_network ();
  LsMainWindow *window = open_window_with (network);
  GtkWidget *panel = find_widget (GTK_WIDGET (window), LS_TYPE_LAYER_PANEL);
  const LsLayer *layer;

  for (guint i = 0; i < G_N_ELEMENTS (sequence_kinds); i++)
    {
      g_assert_false (gtk_widget_get_sensitive (find_insert_item (panel, 0, sequence_kinds[i])));
      g_assert_true (gtk_widget_get_sensitive (find_insert_item (panel, 1, sequence_kinds[i])));
    }
  for (guint i = 0; i < G_N_ELEMENTS (image_kinds); i++)
    g_assert_false (gtk_widget_get_sensitive (find_insert_item (panel, 1, image_kinds[i])));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (find_insert_item (panel, 0, "Dense")), ==,
                   "The embedding layer must stay first, because it turns the token ids into vectors. "
                   "Insert layers after it.");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (find_insert_item (panel, 5, "Attention")), ==,
                   "Attention needs a sequence of tokens, but here the input is a flat list of 4 values. "
                   "Insert it after the embedding and before the token pooling layer.");
  g_assert_true (gtk_widget_get_sensitive (find_insert_item (panel, 5, "Dense")));
  g_assert_true (gtk_widget_get_sensitive (find_insert_item (panel, 5, "Layer normalisation")));
  g_assert_false (gtk_widget_get_sensitive (find_insert_item (panel, 5, "Token pooling")));

  g_signal_emit_by_name (find_insert_item (panel, 3, "Attention"), "clicked");
  wait_for_frames ();
  layer = ls_network_get_layer (network, 3);
  g_assert_cmpint (layer->kind, ==, LS_LAYER_ATTENTION);
  g_assert_cmpuint (layer->heads, ==, 2);
  g_assert_true (layer->residual);
  g_assert_false (layer->causal);

  g_signal_emit_by_name (find_insert_item (panel, 4, "Dense"), "clicked");
  wait_for_frames ();
  layer = ls_network_get_layer (network, 4);
  g_assert_cmpint (layer->kind, ==, LS_LAYER_DENSE);
  g_assert_cmpuint (layer->units, ==, 4);
  g_assert_cmpuint (layer->output_shape.rank, ==, 2);
  g_assert_cmpuint (ls_network_get_n_layers (network), ==, 8);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* An odd token width gets a one-head attention layer, because 2 heads
 * would not divide it. */
static void
test_window_insert_attention_odd_width (void)
{
  static const char * const words[] = { "[UNK]", "good", NULL };
  const LsInit init = { LS_INIT_XAVIER, 3 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LsVocabulary) vocabulary = ls_vocabulary_new (words, &error);
  g_autoptr(LsNetwork) network = ls_network_new_with_tokens (vocabulary, 4, "good good", &error);
  LsMainWindow *window;
  GtkWidget *panel;

  g_assert_no_error (error);
  ls_network_append_layer (network, ls_layer_new_embedding (2, 2, 3, &init, NULL), &error);
  g_assert_no_error (error);
  window = open_window_with (network);
  panel = find_widget (GTK_WIDGET (window), LS_TYPE_LAYER_PANEL);

  g_signal_emit_by_name (find_insert_item (panel, 1, "Attention"), "clicked");
  wait_for_frames ();
  g_assert_cmpint (ls_network_get_layer (network, 1)->kind, ==, LS_LAYER_ATTENTION);
  g_assert_cmpuint (ls_network_get_layer (network, 1)->heads, ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The sentiment example offers its held-out phrases, as many as its
 * document's "dataset" field counts, and keeps its own text until the
 * user picks one. Picking the first one, read here
 * from data/datasets/sentiment-test.tsv, puts it in the text field and
 * the network, shows its label, and marks the prediction right exactly
 * when the output with the largest probability has that label. An edit
 * that makes the text no phrase drops the label. */
static void
test_window_phrase_browser (void)
{
  g_autoptr(LsNetwork) network = load_example ("sentiment.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = ls_paths_find_data ("datasets/sentiment-test.tsv", &error);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) fields = NULL;
  g_autofree char *truth = NULL;
  g_autofree char *text = NULL;
  LsMainWindow *window;
  LsPhraseBrowser *browser;
  GtkWidget *entry;
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();
  GtkStack *stack;
  const LsLayer *output;
  const float *values;
  gboolean right;
  guint first = 0;

  g_assert_no_error (error);
  g_assert_true (g_file_load_contents (file, NULL, &contents, NULL, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  while (lines[first] != NULL && (lines[first][0] == '#' || lines[first][0] == '\0'))
    first++;
  g_assert_nonnull (lines[first]);
  fields = g_strsplit (lines[first], "\t", 2);
  g_assert_cmpuint (g_strv_length (fields), ==, 2);

  text = g_strdup (ls_network_get_text (network));
  window = open_window_with (network);
  browser = find_widget (GTK_WIDGET (window), LS_TYPE_PHRASE_BROWSER);
  entry = find_text_entry (GTK_WIDGET (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (browser)));

  /* Loading the phrases leaves the document's own text. */
  g_assert_cmpstr (ls_network_get_text (network), ==, text);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, text);
  g_assert_false (ls_main_window_get_modified (window));
  g_assert_cmpuint (ls_phrase_browser_get_n_phrases (browser), ==, ls_network_get_evaluation (network)->samples);

  ls_phrase_browser_select_phrase (browser, 0);
  wait_for_frames ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, fields[1]);
  g_assert_cmpstr (ls_network_get_text (network), ==, fields[1]);
  truth = g_strdup_printf ("True label: %s", fields[0]);
  g_assert_true (label_with_text_exists (GTK_WIDGET (browser), truth));

  output = ls_network_get_output_layer (network);
  values = ls_network_get_output (network);
  right = g_strcmp0 (ls_layer_get_label (output, values[1] > values[0]), fields[0]) == 0;
  g_assert_true (label_with_text_exists (GTK_WIDGET (browser), right ? "✓ right" : "✗ wrong"));

  gtk_editable_set_text (GTK_EDITABLE (entry), "a film i did not expect");
  wait_for_frames ();
  g_assert_cmpstr (ls_network_get_text (network), ==, "a film i did not expect");
  /* The drop-down has stacks of its own, so the browser's is the last one. */
  collect_widgets (GTK_WIDGET (browser), GTK_TYPE_STACK, stacks);
  stack = g_ptr_array_index (stacks, stacks->len - 1);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (gtk_stack_get_visible_child (stack))),
                                   "The text is none of these phrases"));
  g_assert_false (label_with_text_exists (GTK_WIDGET (browser), "✓ right"));
  g_assert_false (label_with_text_exists (GTK_WIDGET (browser), "✗ wrong"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Selects value good·3 of the sentiment example's attention layer, whose
 * text is "the movie was not good": token 5, feature 3, in head 1. */
static LsMainWindow *
open_attention_value (LsNetwork *network)
{
  LsMainWindow *window = open_window_with (network);
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  LsSelection good3 = { LS_SELECTION_NEURON, .column = 3, .unit = 4 * 16 + 2 };

  g_assert_cmpstr (ls_network_get_text (network), ==, "the movie was not good");
  ls_diagram_view_set_selection (diagram, &good3);
  wait_for_frames ();

  return window;
}

/* A token of the input column is explained but offers no number field,
 * because its id comes from the text. Editing it used to crash. */
static void
test_window_token_has_no_value_field (void)
{
  g_autoptr(LsNetwork) network = load_example ("sentiment.json");
  LsMainWindow *window = open_window_with (network);
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  GtkWidget *inspector = find_widget (GTK_WIDGET (window), LS_TYPE_INSPECTOR);
  LsSelection good = { LS_SELECTION_NEURON, .column = 0, .unit = 4 };
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();

  ls_diagram_view_set_selection (diagram, &good);
  wait_for_frames ();

  g_assert_true (label_with_text_exists (inspector, "Token"));
  g_assert_true (label_with_text_exists (inspector, "edit the text in the field on the left"));
  collect_widgets (inspector, LS_TYPE_NUMBER_ENTRY, entries);
  g_assert_cmpuint (entries->len, ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Returns the first event controller of widget that has type. */
static GtkEventController *
find_controller (GtkWidget *widget,
                 GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return controller;
    }

  g_error ("no controller of type %s", g_type_name (type));
}

/* The inspector shows a map per head and the worked attention row with
 * the engine's weights. A click on a row of a map explains that query
 * token. */
static void
test_window_attention_inspector (void)
{
  g_autoptr(LsNetwork) network = load_example ("sentiment.json");
  LsMainWindow *window = open_attention_value (network);
  GtkWidget *inspector = find_widget (GTK_WIDGET (window), LS_TYPE_INSPECTOR);
  const LsLayer *attention = ls_network_get_layer (network, 2);
  g_autofree char *percent = ls_format_percent (ls_layer_get_attention_head (attention, 0)[4 * 5 + 4]);
  g_autofree char *own_line = g_strdup_printf ("weight %s\n  sum of the weights = 100.0 %%", percent);
  g_autoptr(GPtrArray) maps = g_ptr_array_new ();
  LsRenderStyle style = LS_RENDER_STYLE_INIT;
  GtkWidget *map;
  gboolean found = FALSE;

  g_assert_true (label_with_text_exists (inspector, "Value good·3, head 1 of 2"));
  g_assert_true (label_with_text_exists (inspector, "Head 1 of 2, query “good” (token 5), columns 1 to 8"));
  g_assert_true (label_with_text_exists (inspector, "Head 1, which computes this value"));
  g_assert_true (label_with_text_exists (inspector, own_line));

  collect_widgets (inspector, GTK_TYPE_DRAWING_AREA, maps);
  g_assert_cmpuint (maps->len, >=, 2);
  map = g_ptr_array_index (maps, 1);
  wait_for_drawn (map);

  /* Probe the map with the render code's own hit test for a point on the
   * row of query token 1, "the", as the inspector draws it. */
  style.font_px = LS_RENDER_WINDOW_FONT_PX;
  for (int y = 0; y < gtk_widget_get_height (map) && !found; y++)
    for (int x = 0; x < gtk_widget_get_width (map) && !found; x++)
      {
        gsize query, key;

        if (ls_render_attention_map_hit (network, 2, 0, 0, gtk_widget_get_width (map),
                                         gtk_widget_get_height (map), &style, x, y, &query, &key) &&
            query == 0)
          {
            g_signal_emit_by_name (find_controller (map, GTK_TYPE_GESTURE_CLICK), "pressed", 1, (double) x, (double) y);
            found = TRUE;
          }
      }
  g_assert_true (found);
  wait_for_frames ();

  /* The click was on head 2's map, so it explains head 2: column 3 of
   * that head's slice, feature 8 + 3 of the token "the". */
  g_assert_true (label_with_text_exists (inspector, "Value the·11, head 2 of 2"));
  g_assert_true (label_with_text_exists (inspector, "Head 2 of 2, query “the” (token 1), columns 9 to 16"));
  g_assert_true (label_with_text_exists (inspector, "Head 2, which computes this value"));
  g_assert_false (label_with_text_exists (inspector, "Head 1, which computes this value"));
  g_assert_cmpuint (ls_diagram_view_get_selection (find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW))->unit,
                    ==, 8 + 2);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The preset buttons rewrite the chosen head: "Attend to self" as
 * ls_attention_apply_preset() does, so that most tokens look at
 * themselves, and "Uniform attention" gives each of the 5 tokens exactly
 * 1/5, as in test-attention-preset. */
static void
test_window_attention_presets (void)
{
  g_autoptr(LsNetwork) network = load_example ("sentiment.json");
  g_autoptr(LsNetwork) reference = load_example ("sentiment.json");
  LsMainWindow *window = open_attention_value (network);
  GtkWidget *inspector = find_widget (GTK_WIDGET (window), LS_TYPE_INSPECTOR);
  const LsLayer *attention = ls_network_get_layer (network, 2);
  LsMatrixEditor *editor;
  const float *weights;
  gsize self_leads = 0;

  g_signal_emit_by_name (find_button (inspector, "Edit Q", NULL), "clicked");
  wait_for_frames ();
  editor = find_widget (inspector, LS_TYPE_MATRIX_EDITOR);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));
  g_assert_cmpuint (ls_matrix_editor_get_matrix (editor), ==, LS_ATTENTION_QUERY);

  ls_matrix_editor_set_head (editor, 1);
  g_signal_emit_by_name (find_button (inspector, "Attend to self", NULL), "clicked");
  wait_for_frames ();
  weights = ls_layer_get_attention_head (attention, 1);
  g_assert_true (ls_attention_apply_preset (reference, 2, 1, LS_ATTENTION_PRESET_SELF, NULL));
  g_assert_cmpmem (weights, 25 * sizeof (float),
                   ls_layer_get_attention_head (ls_network_get_layer (reference, 2), 1), 25 * sizeof (float));
  for (gsize t = 0; t < 5; t++)
    {
      gsize largest = 0;

      for (gsize s = 1; s < 5; s++)
        if (weights[t * 5 + s] > weights[t * 5 + largest])
          largest = s;
      self_leads += largest == t;
    }
  /* "movie" looks at "the" (0.88) with this example's weights, which
   * tests/test-attention-preset.c allows for. Every other token looks at
   * itself. */
  g_assert_cmpuint (self_leads, >=, 4);

  g_signal_emit_by_name (find_button (inspector, "Uniform attention", NULL), "clicked");
  wait_for_frames ();
  weights = ls_layer_get_attention_head (attention, 1);
  for (gsize i = 0; i < 25; i++)
    g_assert_cmpfloat (weights[i], ==, 1.0f / 5.0f);

  /* The editor stays open on the same matrix across the rebuild that a
   * new text of as many tokens causes. */
  g_assert_true (ls_network_set_text (network, "not good the movie was", NULL));
  wait_for_frames ();
  editor = find_widget (inspector, LS_TYPE_MATRIX_EDITOR);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Without a positional layer, "Attend to previous token" names what is
 * missing and leaves the weights as they were. */
static void
test_window_attention_preset_error (void)
{
  g_autoptr(LsNetwork) network = load_example ("sentiment.json");
  LsMainWindow *window;
  GtkWidget *inspector;
  g_autofree float *before = NULL;
  const LsLayer *attention;
  LsSelection value = { LS_SELECTION_NEURON, .column = 2, .unit = 0 };

  g_assert_true (ls_network_remove_layer (network, 1, NULL));
  attention = ls_network_get_layer (network, 1);
  before = g_memdup2 (attention->weights, 4 * 16 * 16 * sizeof (float));
  window = open_window_with (network);
  inspector = find_widget (GTK_WIDGET (window), LS_TYPE_INSPECTOR);
  ls_diagram_view_set_selection (find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW), &value);
  wait_for_frames ();

  g_signal_emit_by_name (find_button (inspector, "Attend to previous token", NULL), "clicked");
  wait_for_frames ();

  g_assert_true (label_with_text_exists (GTK_WIDGET (window),
                                         "Attend to previous token needs a positional encoding before this layer"));
  g_assert_cmpmem (attention->weights, 4 * 16 * 16 * sizeof (float), before, 4 * 16 * 16 * sizeof (float));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Typing into the editor's field sets a weight or a bias of the shown
 * matrix, and dragging a cell up by 50 pixels adds 50 × 0.01. */
static void
test_window_matrix_editor_edits (void)
{
  g_autoptr(LsNetwork) network = load_example ("sentiment.json");
  LsMainWindow *window = open_attention_value (network);
  GtkWidget *inspector = find_widget (GTK_WIDGET (window), LS_TYPE_INSPECTOR);
  const LsLayer *attention = ls_network_get_layer (network, 2);
  GtkEventController *drag;
  LsMatrixEditor *editor;
  GtkWidget *entry;
  float before = 0.0f;
  gsize row, column;
  gboolean found = FALSE;

  g_signal_emit_by_name (find_button (inspector, "Edit K", NULL), "clicked");
  wait_for_frames ();
  editor = find_widget (inspector, LS_TYPE_MATRIX_EDITOR);
  entry = find_widget (GTK_WIDGET (editor), GTK_TYPE_ENTRY);

  ls_matrix_editor_select_cell (editor, 2, 3);
  gtk_editable_set_text (GTK_EDITABLE (entry), "0.75");
  g_signal_emit_by_name (entry, "activate");
  wait_for_frames ();
  g_assert_cmpfloat (ls_layer_get_attention_matrix (attention, LS_ATTENTION_KEY)[2 * 16 + 3], ==, 0.75f);

  ls_matrix_editor_select_cell (editor, 16, 5);
  gtk_editable_set_text (GTK_EDITABLE (entry), "−0.5");
  g_signal_emit_by_name (entry, "activate");
  wait_for_frames ();
  g_assert_cmpfloat (ls_layer_get_attention_bias (attention, LS_ATTENTION_KEY)[5], ==, -0.5f);

  /* Find the heatmap point of cell (0, 0) with the editor's hit test. */
  drag = find_controller (find_widget (GTK_WIDGET (editor), GTK_TYPE_DRAWING_AREA), GTK_TYPE_GESTURE_DRAG);
  for (int y = 0; y < 200 && !found; y++)
    for (int x = 0; x < 200 && !found; x++)
      if (ls_matrix_editor_hit (editor, x, y, &row, &column) && row == 0 && column == 0)
        {
          before = ls_layer_get_attention_matrix (attention, LS_ATTENTION_KEY)[0];
          g_signal_emit_by_name (drag, "drag-begin", (double) x, (double) y);
          g_signal_emit_by_name (drag, "drag-update", 0.0, -50.0);
          found = TRUE;
        }
  g_assert_true (found);
  wait_for_frames ();
  g_assert_cmpfloat_with_epsilon (ls_layer_get_attention_matrix (attention, LS_ATTENTION_KEY)[0], before + 0.5f, 0.006);

  gtk_window_destroy (GTK_WINDOW (window));
}


/* Returns the label of root that has css_class and is not hidden, or NULL. */
static GtkWidget *
find_shown_label (GtkWidget  *root,
                  const char *css_class)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_widgets (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_has_css_class (label, css_class) && gtk_widget_get_visible (label))
        return label;
    }

  return NULL;
}

/* Text that the network rejects, here none and more than the network's
 * 8 tokens, leaves the diagram on the last valid text, which a note
 * names, and dims the diagram, the bars and the chips. Save then writes
 * nothing and shows why, because the file would hold the last valid text
 * instead of the one on screen. Valid text makes Save work again. */
static void
test_window_text_rejected_blocks_save (void)
{
  g_autoptr(LsNetwork) network = new_text_network ();
  g_autofree char *folder = g_dir_make_tmp ("layerscope-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (folder, "text.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(LsNetwork) saved = NULL;
  g_autoptr(GError) error = NULL;
  const char *bad[] = { "   ", "the movie was good the movie was not good" };
  LsMainWindow *window = open_window ();
  GtkWidget *entry;
  GtkWidget *note;

  ls_main_window_set_network (window, network, file);
  wait_for_frames ();
  entry = find_text_entry (GTK_WIDGET (window));
  g_assert_null (find_shown_label (GTK_WIDGET (window), "stale-note"));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gtk_editable_set_text (GTK_EDITABLE (entry), bad[i]);
      wait_for_frames ();
      note = find_shown_label (GTK_WIDGET (window), "stale-note");
      g_assert_nonnull (note);
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (note)), ==,
                       "Showing “the movie was good”, the last text the network can read.");
      g_assert_true (gtk_widget_has_css_class (find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW), "stale"));
      g_assert_true (gtk_widget_has_css_class (find_widget (GTK_WIDGET (window), LS_TYPE_BARS_VIEW), "stale"));
      g_assert_true (ls_main_window_get_modified (window));

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL));
      wait_for_frames ();
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      g_assert_true (label_with_text_exists (GTK_WIDGET (window), "Not saved: the network cannot read the text "
                                                                  "in the text field ("));
    }

  gtk_editable_set_text (GTK_EDITABLE (entry), "the movie was not good");
  wait_for_frames ();
  g_assert_null (find_shown_label (GTK_WIDGET (window), "stale-note"));
  g_assert_false (gtk_widget_has_css_class (find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW), "stale"));
  g_assert_false (gtk_widget_has_css_class (find_widget (GTK_WIDGET (window), LS_TYPE_BARS_VIEW), "stale"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL));
  wait_for_frames ();
  g_assert_false (ls_main_window_get_modified (window));
  saved = ls_document_load_file (file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ls_network_get_text (saved), ==, "the movie was not good");

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
  g_rmdir (folder);
}

/* The embedding's width field offers 1 to 512, and its message names
 * that range. A width change keeps a selected value on the same token
 * and feature, t·d + j, and drops the selection when that feature is
 * gone. */
static void
test_window_embedding_width_capped (void)
{
  g_autoptr(LsNetwork) network = new_text_network ();
  LsMainWindow *window = open_window_with (network);
  GtkWidget *panel = find_widget (GTK_WIDGET (window), LS_TYPE_LAYER_PANEL);
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  /* "good", token 3 of "the movie was good", feature 2 of the attention output */
  LsSelection good2 = { LS_SELECTION_NEURON, .column = 3, .unit = 3 * 4 + 2 };
  const LsSelection *selection;

  ls_diagram_view_set_selection (diagram, &good2);
  type_into_field (panel, "Width d", "8");
  g_assert_cmpuint (ls_network_get_layer (network, 0)->units, ==, 8);
  selection = ls_diagram_view_get_selection (diagram);
  g_assert_cmpint (selection->kind, ==, LS_SELECTION_NEURON);
  g_assert_cmpuint (selection->column, ==, 3);
  g_assert_cmpuint (selection->unit, ==, 3 * 8 + 2);

  type_into_field (panel, "Width d", "2");
  g_assert_cmpuint (ls_network_get_layer (network, 0)->units, ==, 2);
  selection = ls_diagram_view_get_selection (diagram);
  g_assert_true (selection == NULL || selection->kind == LS_SELECTION_NONE);

  type_into_field (panel, "Width d", "513");
  g_assert_cmpuint (ls_network_get_layer (network, 0)->units, ==, 2);
  g_assert_true (label_with_text_exists (panel, "“513” is not a valid token width. This window offers a width d "
                                                "of 1 to 512"));
  type_into_field (panel, "Width d", "512");
  g_assert_cmpuint (ls_network_get_layer (network, 0)->units, ==, 512);
  g_assert_null (find_shown_label (panel, "card-error"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A rejected epsilon's message goes once the field shows the layer's
 * value again, as it does after text that is no number. */
static void
test_window_eps_error_clears (void)
{
  g_autoptr(LsNetwork) network = new_text_network ();
  LsMainWindow *window = open_window_with (network);
  GtkWidget *panel = find_widget (GTK_WIDGET (window), LS_TYPE_LAYER_PANEL);
  GtkWidget *entry = gtk_widget_get_first_child (find_field (panel, "Epsilon"));
  GtkWidget *error;

  gtk_editable_set_text (GTK_EDITABLE (entry), "-1");
  g_signal_emit_by_name (entry, "activate");
  wait_for_frames ();
  error = find_shown_label (panel, "card-error");
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error)), "-1"));
  g_assert_cmpfloat (ls_network_get_layer (network, 3)->eps, ==, 1e-5f);

  gtk_editable_set_text (GTK_EDITABLE (entry), "abc");
  g_assert_nonnull (find_shown_label (panel, "card-error"));
  g_signal_emit_by_name (entry, "activate");
  wait_for_frames ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "1e-05");
  g_assert_null (find_shown_label (panel, "card-error"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The insert menu lists why its greyed-out kinds cannot go there in a
 * note at its top, each reason once, since GTK 4 shows no tooltip of
 * an insensitive entry. The menu button's own tooltip is off while the
 * menu is open, so that it does not cover the first entry. */
static void
test_window_insert_menu_note (void)
{
  g_autoptr(LsNetwork) network = load_example ("digits-cnn.json");
  LsMainWindow *window = open_window_with (network);
  GtkWidget *panel = find_widget (GTK_WIDGET (window), LS_TYPE_LAYER_PANEL);
  GtkWidget *menu = get_insert_menu (panel, 5);
  GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu));
  g_autoptr(LsNetwork) text = new_text_network ();
  const char *reason = "The embedding layer must stay first, because it turns the token ids into vectors. "
                       "Insert layers after it.";
  const char *note;

  note = gtk_label_get_text (GTK_LABEL (find_shown_label (GTK_WIDGET (popover), "insert-note")));
  g_assert_nonnull (strstr (note, "Convolution needs an image input, but here the input is a flat list "
                                  "of 64 values."));
  g_assert_nonnull (strstr (note, "Max pooling needs an image input"));
  g_assert_null (strstr (note, "Dense"));

  /* The first menu, which the panel shows without scrolling. */
  menu = get_insert_menu (panel, 0);
  g_assert_true (gtk_widget_get_has_tooltip (menu));
  gtk_menu_button_popup (GTK_MENU_BUTTON (menu));
  wait_for_frames ();
  g_assert_false (gtk_widget_get_has_tooltip (menu));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (menu));
  wait_for_frames ();
  g_assert_true (gtk_widget_get_has_tooltip (menu));

  ls_main_window_set_network (window, text, NULL);
  wait_for_frames ();
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (get_insert_menu (panel, 0)));
  note = gtk_label_get_text (GTK_LABEL (find_shown_label (GTK_WIDGET (popover), "insert-note")));
  g_assert_cmpstr (note, ==, reason);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The engine never removes the embedding of a network that reads text,
 * so its bin button is greyed out, with the reason on a box around it
 * that can show a tooltip. The other layers' bin buttons stay. */
static void
test_window_embedding_remove_disabled (void)
{
  g_autoptr(LsNetwork) network = new_text_network ();
  LsMainWindow *window = open_window_with (network);
  GtkWidget *panel = find_widget (GTK_WIDGET (window), LS_TYPE_LAYER_PANEL);
  GtkWidget *embedding_remove;
  GtkWidget *wrapper;

  embedding_remove = find_button (panel, NULL, "The embedding layer cannot be removed: it turns the token ids "
                                               "into vectors, so a network that reads text needs it first.");
  wrapper = gtk_widget_get_parent (embedding_remove);
  g_assert_false (gtk_widget_get_sensitive (embedding_remove));
  g_assert_true (gtk_widget_get_sensitive (wrapper));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (wrapper), ==, gtk_widget_get_tooltip_text (embedding_remove));
  for (guint i = 0; i < 5; i++)
    g_assert_true (gtk_widget_get_sensitive (find_remove_button (panel, i)));

  /* An edit that updates the cards keeps it greyed out. */
  ls_network_set_causal (network, 2, TRUE);
  wait_for_frames ();
  g_assert_false (gtk_widget_get_sensitive (embedding_remove));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Opening another document shows the side panel from its top, where the
 * input is, not where the last document was scrolled to. */
static void
test_window_open_scrolls_to_top (void)
{
  g_autoptr(LsNetwork) digits = load_example ("digits-cnn.json");
  g_autoptr(LsNetwork) sentiment = load_example ("sentiment.json");
  LsMainWindow *window = open_sized_window_with (digits, 1280, 720);
  GtkWidget *panel = find_widget (GTK_WIDGET (window), LS_TYPE_INPUT_PANEL);
  GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (panel, GTK_TYPE_SCROLLED_WINDOW));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  wait_for_frames ();
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, 0.0);

  ls_main_window_set_network (window, sentiment, NULL);
  wait_for_frames ();
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0.0);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The list of test phrases opens with the cursor in its search field, so
 * that typing filters it, and without the drop-down's tooltip over it. */
static void
test_window_phrase_search_focused (void)
{
  g_autoptr(LsNetwork) network = load_example ("sentiment.json");
  LsMainWindow *window = open_window_with (network);
  GtkWidget *browser = find_widget (GTK_WIDGET (window), LS_TYPE_PHRASE_BROWSER);
  GtkWidget *dropdown = find_widget (browser, GTK_TYPE_DROP_DOWN);
  GtkWidget *popover = ls_panel_find_popover (dropdown);
  GtkWidget *search = find_widget (popover, GTK_TYPE_SEARCH_ENTRY);

  g_assert_true (gtk_widget_get_has_tooltip (dropdown));
  gtk_popover_popup (GTK_POPOVER (popover));
  wait_for_frames ();
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (search)))));
  g_assert_false (gtk_widget_get_has_tooltip (dropdown));

  gtk_popover_popdown (GTK_POPOVER (popover));
  wait_for_frames ();
  g_assert_true (gtk_widget_get_has_tooltip (dropdown));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Returns the first shown widget under widget, itself included, that
 * reaches past the right edge of pane, or NULL. */
static GtkWidget *
find_clipped_widget (GtkWidget *widget,
                     GtkWidget *pane)
{
  graphene_rect_t bounds;

  if (!gtk_widget_get_visible (widget) || GTK_IS_POPOVER (widget) || GTK_IS_NATIVE (widget))
    return NULL;
  if (gtk_widget_compute_bounds (widget, pane, &bounds) &&
      bounds.origin.x + bounds.size.width > gtk_widget_get_width (pane) + 0.5)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *clipped = find_clipped_widget (child, pane);

      if (clipped != NULL)
        return clipped;
    }

  return NULL;
}

/* At 1024 × 700, the size of a small laptop window, and at 1280 × 720,
 * nothing in the side panel reaches past its right edge. The text field,
 * the buttons and the cards fit the pane instead of being cut off. */
static void
test_window_side_panel_fits (void)
{
  static const struct { const char *example; int width, height; } cases[] = {
    { "sentiment.json", 1024, 700 },
    { "sentiment.json", 1280, 720 },
    { "digits-cnn.json", 1024, 700 },
    { "cat-or-dog.json", 1024, 700 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LsNetwork) network = load_example (cases[i].example);
      LsMainWindow *window = open_sized_window_with (network, cases[i].width, cases[i].height);
      GtkWidget *panel = find_widget (GTK_WIDGET (window), LS_TYPE_INPUT_PANEL);
      GtkWidget *pane = gtk_widget_get_ancestor (panel, GTK_TYPE_SCROLLED_WINDOW);
      GtkWidget *clipped = find_clipped_widget (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (pane)), pane);

      if (clipped != NULL)
        g_error ("%s at %d × %d: a %s in the side panel reaches past its edge at %d pixels",
                 cases[i].example, cases[i].width, cases[i].height, G_OBJECT_TYPE_NAME (clipped),
                 gtk_widget_get_width (pane));

      gtk_window_destroy (GTK_WINDOW (window));
    }
}

/* At 1280 × 720, a common projector size, and at 1024 × 768, nothing in
 * the inspector pane reaches past its right edge with an attention value
 * selected and the matrix editor open. The title, the maps, the heatmap,
 * the formula and the bars fit the pane instead of being cut off. */
static void
test_window_inspector_fits_pane (void)
{
  static const struct { int width, height; } sizes[] = { { 1280, 720 }, { 1024, 768 } };
  LsSelection good8 = { LS_SELECTION_NEURON, .column = 3, .unit = 4 * 16 + 7 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(LsNetwork) network = load_example ("sentiment.json");
      LsMainWindow *window = open_sized_window_with (network, sizes[i].width, sizes[i].height);
      GtkWidget *inspector = find_widget (GTK_WIDGET (window), LS_TYPE_INSPECTOR);
      GtkWidget *pane = gtk_widget_get_ancestor (inspector, GTK_TYPE_SCROLLED_WINDOW);
      GtkWidget *clipped;
      LsMatrixEditor *editor;
      GtkWidget *heatmap;
      gboolean last_column;
      gsize row, column;

      ls_diagram_view_set_selection (find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW), &good8);
      wait_for_frames ();
      g_signal_emit_by_name (find_button (inspector, "Edit O", NULL), "clicked");
      wait_for_frames ();
      g_assert_true (gtk_widget_get_visible (pane));

      clipped = find_clipped_widget (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (pane)), pane);
      if (clipped != NULL)
        g_error ("at %d × %d: a %s in the inspector reaches past its edge at %d pixels",
                 sizes[i].width, sizes[i].height, G_OBJECT_TYPE_NAME (clipped), gtk_widget_get_width (pane));

      /* The heatmap draws its 16 columns inside its own width. */
      editor = find_widget (inspector, LS_TYPE_MATRIX_EDITOR);
      heatmap = find_widget (GTK_WIDGET (editor), GTK_TYPE_DRAWING_AREA);
      last_column = FALSE;
      for (int y = 0; y < gtk_widget_get_height (heatmap); y++)
        for (int x = 0; x < gtk_widget_get_width (heatmap); x++)
          last_column |= ls_matrix_editor_hit (editor, x, y, &row, &column) && column == 15;
      g_assert_true (last_column);

      gtk_window_destroy (GTK_WINDOW (window));
    }
}

/* After a drag on another cell and after a switch of matrix, the matrix
 * editor's cell field shows the value of the cell that its label names.
 * It does so even while the field has the keyboard focus, so that Enter
 * never writes one cell's value into another. */
static void
test_window_matrix_cell_field_follows (void)
{
  g_autoptr(LsNetwork) network = load_example ("sentiment.json");
  LsMainWindow *window = open_attention_value (network);
  GtkWidget *inspector = find_widget (GTK_WIDGET (window), LS_TYPE_INSPECTOR);
  const LsLayer *attention = ls_network_get_layer (network, 2);
  const float *wq = ls_layer_get_attention_matrix (attention, LS_ATTENTION_QUERY);
  const float *wk = ls_layer_get_attention_matrix (attention, LS_ATTENTION_KEY);
  g_autofree char *expected_text = NULL;
  LsMatrixEditor *editor;
  GtkWidget *entry;
  float before;
  gsize row, column;
  gboolean found = FALSE;

  g_signal_emit_by_name (find_button (inspector, "Edit Q", NULL), "clicked");
  wait_for_frames ();
  editor = find_widget (inspector, LS_TYPE_MATRIX_EDITOR);
  entry = find_widget (GTK_WIDGET (editor), GTK_TYPE_ENTRY);

  ls_matrix_editor_select_cell (editor, 1, 0);
  g_assert_true (gtk_widget_grab_focus (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), "5");
  g_signal_emit_by_name (entry, "activate");
  wait_for_frames ();
  g_assert_cmpfloat (wq[1 * 16 + 0], ==, 5.0f);

  /* A drag begins on row 4, column 3 while the field keeps the focus. */
  for (int y = 0; y < 400 && !found; y++)
    for (int x = 0; x < 400 && !found; x++)
      if (ls_matrix_editor_hit (editor, x, y, &row, &column) && row == 3 && column == 2)
        {
          g_signal_emit_by_name (find_controller (find_widget (GTK_WIDGET (editor), GTK_TYPE_DRAWING_AREA),
                                                  GTK_TYPE_GESTURE_DRAG),
                                 "drag-begin", (double) x, (double) y);
          found = TRUE;
        }
  g_assert_true (found);
  wait_for_frames ();
  g_assert_true (label_with_text_exists (GTK_WIDGET (editor), "wq, row 4, column 3"));
  before = wq[3 * 16 + 2];
  expected_text = ls_format_value (before);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, expected_text);

  gtk_widget_grab_focus (entry);
  g_signal_emit_by_name (entry, "activate");
  wait_for_frames ();
  g_assert_cmpfloat (wq[3 * 16 + 2], ==, before);
  g_assert_cmpfloat (wq[1 * 16 + 0], ==, 5.0f);

  /* The same cell of wk, after a switch of matrix with the focus in the field. */
  ls_matrix_editor_set_matrix (editor, LS_ATTENTION_KEY);
  wait_for_frames ();
  g_clear_pointer (&expected_text, g_free);
  expected_text = ls_format_value (wk[3 * 16 + 2]);
  g_assert_true (label_with_text_exists (GTK_WIDGET (editor), "wk, row 4, column 3"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, expected_text);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Draws a drawing area into an image, on white. */
static cairo_surface_t *
render_drawing_area (GtkWidget *area)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, gtk_widget_get_width (area),
                                                         gtk_widget_get_height (area));
  cairo_t *cr = cairo_create (surface);
  GskRenderNode *node;

  GTK_WIDGET_GET_CLASS (area)->snapshot (area, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_paint (cr);
  g_assert_nonnull (node);
  gsk_render_node_draw (node, cr);
  gsk_render_node_unref (node);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  return surface;
}

/* Returns pixel (x, y) of an RGB24 image. */
static guint32
get_pixel (cairo_surface_t *surface,
           int              x,
           int              y)
{
  const guint32 *row = (const guint32 *) (cairo_image_surface_get_data (surface) +
                                          y * cairo_image_surface_get_stride (surface));

  return row[x] & 0xffffff;
}

/* The heatmap marks the 2 heads of sentiment.json's attention across the
 * columns of wq, since column j is query feature j, and across the rows
 * of wo, since row i is context feature i. The divider between the heads
 * lies between columns 8 and 9 of wq and between rows 8 and 9 of wo. */
static void
test_window_matrix_heads_axis (void)
{
  static const LsAttentionMatrix matrices[] = { LS_ATTENTION_QUERY, LS_ATTENTION_OUTPUT };
  g_autoptr(LsNetwork) network = load_example ("sentiment.json");
  LsMainWindow *window = open_attention_value (network);
  GtkWidget *inspector = find_widget (GTK_WIDGET (window), LS_TYPE_INSPECTOR);
  LsMatrixEditor *editor;
  GtkWidget *heatmap;
  int x8 = -1, y8 = -1, x3 = -1, y3 = -1;
  gsize row, column;

  g_signal_emit_by_name (find_button (inspector, "Edit Q", NULL), "clicked");
  wait_for_frames ();
  editor = find_widget (inspector, LS_TYPE_MATRIX_EDITOR);
  heatmap = find_widget (GTK_WIDGET (editor), GTK_TYPE_DRAWING_AREA);
  wait_for_drawn (heatmap);

  /* The first pixel of column 9 and of row 9, and the first pixel of
   * cell (4, 4), by the editor's own hit test. */
  for (int y = 0; y < gtk_widget_get_height (heatmap); y++)
    for (int x = 0; x < gtk_widget_get_width (heatmap); x++)
      if (ls_matrix_editor_hit (editor, x, y, &row, &column) && row < 16)
        {
          if (column == 8 && x8 < 0)
            x8 = x;
          if (row == 8 && y8 < 0)
            y8 = y;
          if (row == 3 && column == 3 && x3 < 0)
            {
              x3 = x;
              y3 = y;
            }
        }
  g_assert_cmpint (x8, >, 0);
  g_assert_cmpint (y8, >, 0);
  g_assert_cmpint (x3, >, 0);

  for (guint i = 0; i < G_N_ELEMENTS (matrices); i++)
    {
      cairo_surface_t *surface;
      gboolean by_rows = matrices[i] == LS_ATTENTION_OUTPUT;

      ls_matrix_editor_set_matrix (editor, matrices[i]);
      wait_for_frames ();
      surface = render_drawing_area (heatmap);
      /* A divider changes the first pixels of its cells from the cell
       * colour, which the pixels 3 further in keep. */
      g_assert_true ((get_pixel (surface, x8, y3) != get_pixel (surface, x8 + 3, y3)) == !by_rows);
      g_assert_true ((get_pixel (surface, x3, y8) != get_pixel (surface, x3, y8 + 3)) == by_rows);
      cairo_surface_destroy (surface);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The head picked for the presets stays through the inspector rebuilds
 * that a causal toggle and a new text cause, and falls back to the
 * selected value's head once the layer no longer has it. */
static void
test_window_preset_head_kept (void)
{
  g_autoptr(LsNetwork) network = load_example ("sentiment.json");
  LsMainWindow *window = open_attention_value (network);
  GtkWidget *inspector = find_widget (GTK_WIDGET (window), LS_TYPE_INSPECTOR);
  LsMatrixEditor *editor;

  g_signal_emit_by_name (find_button (inspector, "Edit Q", NULL), "clicked");
  wait_for_frames ();
  editor = find_widget (inspector, LS_TYPE_MATRIX_EDITOR);
  g_assert_cmpuint (ls_matrix_editor_get_head (editor), ==, 0);
  ls_matrix_editor_set_head (editor, 1);

  ls_network_set_causal (network, 2, TRUE);
  wait_for_frames ();
  editor = find_widget (inspector, LS_TYPE_MATRIX_EDITOR);
  g_assert_cmpuint (ls_matrix_editor_get_head (editor), ==, 1);

  g_assert_true (ls_network_set_text (network, "not good the movie was", NULL));
  wait_for_frames ();
  editor = find_widget (inspector, LS_TYPE_MATRIX_EDITOR);
  g_assert_cmpuint (ls_matrix_editor_get_head (editor), ==, 1);

  g_assert_true (ls_network_set_heads (network, 2, 1, NULL));
  wait_for_frames ();
  editor = find_widget (inspector, LS_TYPE_MATRIX_EDITOR);
  g_assert_cmpuint (ls_matrix_editor_get_head (editor), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Every insert menu of sentiment.json lists its entries before the note
 * on the kinds that cannot go there, and stays short enough for a
 * 720-pixel-high screen. A note above the entries once made the menu
 * after the embedding about 600 pixels high. */
static void
test_window_insert_menu_fits (void)
{
  g_autoptr(LsNetwork) network = load_example ("sentiment.json");
  LsMainWindow *window = open_sized_window_with (network, 1280, 720);
  GtkWidget *panel = find_widget (GTK_WIDGET (window), LS_TYPE_LAYER_PANEL);

  for (guint i = 0; i <= ls_network_get_n_layers (network); i++)
    {
      GtkWidget *menu = get_insert_menu (panel, i);
      GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu));
      GtkWidget *note;
      g_autoptr(GPtrArray) items = g_ptr_array_new ();

      gtk_menu_button_popup (GTK_MENU_BUTTON (menu));
      wait_for_frames ();
      note = find_shown_label (GTK_WIDGET (popover), "insert-note");
      collect_widgets (GTK_WIDGET (popover), GTK_TYPE_BUTTON, items);
      g_assert_cmpuint (items->len, ==, 9);
      if (note != NULL)
        g_assert_true (gtk_widget_get_prev_sibling (note) == g_ptr_array_index (items, items->len - 1));
      /* The menu's content scrolls beyond 320 pixels, and the popover
       * adds its arrow and shadow. */
      g_assert_cmpint (gtk_widget_get_height (gtk_popover_get_child (popover)), <=, 320);
      g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (popover)), <=, 400);

      gtk_menu_button_popdown (GTK_MENU_BUTTON (menu));
      wait_for_frames ();
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* With no selection, the inspector of a text network states what to
 * click in its terms: a token and a cell. An image network's hint names
 * neurons and feature maps instead. */
static void
test_window_inspector_text_hint (void)
{
  g_autoptr(LsNetwork) network = load_example ("sentiment.json");
  g_autoptr(LsNetwork) digits = load_example ("cat-or-dog.json");
  LsMainWindow *window = open_window_with (network);
  GtkWidget *inspector = find_widget (GTK_WIDGET (window), LS_TYPE_INSPECTOR);

  ls_inspector_set_selection (LS_INSPECTOR (inspector), NULL);
  g_assert_true (label_with_text_exists (inspector, "Click a token"));
  g_assert_true (label_with_text_exists (inspector, "click a cell"));
  g_assert_false (label_with_text_exists (inspector, "feature map"));

  ls_inspector_set_network (LS_INSPECTOR (inspector), digits);
  g_assert_true (label_with_text_exists (inspector, "Click a neuron"));
  g_assert_false (label_with_text_exists (inspector, "Click a token"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Sends keyval to the diagram's key controller, as a key press does. */
static void
press_diagram_key (LsDiagramView *diagram,
                   guint          keyval)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (find_controller (GTK_WIDGET (diagram), GTK_TYPE_EVENT_CONTROLLER_KEY),
                         "key-pressed", keyval, 0, (GdkModifierType) 0, &handled);
  g_assert_true (handled);
}

/* In a token sequence [5][16], Up and Down keep the feature and change
 * the token, Left and Right change the feature, and Left from feature 1
 * goes on to the same token's last feature in the column before. */
static void
test_window_sequence_arrow_keys (void)
{
  g_autoptr(LsNetwork) network = load_example ("sentiment.json");
  LsMainWindow *window = open_attention_value (network);
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  const LsSelection *selection;

  press_diagram_key (diagram, GDK_KEY_Up);
  selection = ls_diagram_view_get_selection (diagram);
  g_assert_cmpuint (selection->column, ==, 3);
  g_assert_cmpuint (selection->unit, ==, 3 * 16 + 2);  /* not·3 */

  press_diagram_key (diagram, GDK_KEY_Down);
  press_diagram_key (diagram, GDK_KEY_Down);
  g_assert_cmpuint (ls_diagram_view_get_selection (diagram)->unit, ==, 4 * 16 + 2);  /* good·3, the last token */

  press_diagram_key (diagram, GDK_KEY_Right);
  g_assert_cmpuint (ls_diagram_view_get_selection (diagram)->unit, ==, 4 * 16 + 3);  /* good·4 */

  for (int i = 0; i < 3; i++)
    press_diagram_key (diagram, GDK_KEY_Left);
  selection = ls_diagram_view_get_selection (diagram);
  g_assert_cmpuint (selection->column, ==, 3);
  g_assert_cmpuint (selection->unit, ==, 4 * 16 + 0);  /* good·1 */

  press_diagram_key (diagram, GDK_KEY_Left);
  selection = ls_diagram_view_get_selection (diagram);
  g_assert_cmpuint (selection->column, ==, 2);
  g_assert_cmpuint (selection->unit, ==, 4 * 16 + 15);  /* good·16 of the positions */

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The attention formula wraps to the inspector's width instead of
 * scrolling sideways. */
static void
test_window_attention_formula_wraps (void)
{
  g_autoptr(LsNetwork) network = load_example ("sentiment.json");
  LsMainWindow *window = open_attention_value (network);
  GtkWidget *inspector = find_widget (GTK_WIDGET (window), LS_TYPE_INSPECTOR);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GtkWidget *formula = NULL;
  GtkWidget *scrolled;

  collect_widgets (inspector, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len && formula == NULL; i++)
    if (g_str_has_prefix (gtk_label_get_text (g_ptr_array_index (labels, i)), "Head 1 of 2, query"))
      formula = g_ptr_array_index (labels, i);
  g_assert_nonnull (formula);
  wait_for_drawn (formula);

  g_assert_true (gtk_label_get_wrap (GTK_LABEL (formula)));
  scrolled = gtk_widget_get_ancestor (formula, GTK_TYPE_SCROLLED_WINDOW);
  g_assert_true (scrolled == NULL || !gtk_widget_is_ancestor (scrolled, inspector));
  g_assert_cmpint (gtk_widget_get_width (formula), <=, gtk_widget_get_width (inspector));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Without token pooling the output has a row per token, and the bars'
 * caption states this instead of showing the rows as one prediction. */
static void
test_window_bars_per_token_note (void)
{
  g_autoptr(LsNetwork) network = load_example ("sentiment.json");
  g_autoptr(GError) error = NULL;
  g_autofree char *pooled = ls_render_dup_bars_caption (network);
  g_autofree char *per_token = NULL;
  LsRenderStyle style = LS_RENDER_STYLE_INIT;
  double five_tokens_height;

  g_assert_cmpuint (ls_network_get_layer (network, 5)->kind, ==, LS_LAYER_POOL_TOKENS);
  g_assert_true (ls_network_remove_layer (network, 5, &error));
  g_assert_no_error (error);

  per_token = ls_render_dup_bars_caption (network);
  g_assert_null (strstr (pooled, "row per token"));
  g_assert_nonnull (strstr (per_token, "The output has one row per token"));
  g_assert_nonnull (strstr (per_token, "Add token pooling before the last layer"));

  /* The note has no bar rows, so its height does not follow the 2 × 5
   * output values as bars of 5 and 1 token would. */
  style.font_px = LS_RENDER_WINDOW_FONT_PX;
  five_tokens_height = ls_render_bars_get_height (network, 300, 20, &style);
  g_assert_true (ls_network_set_text (network, "good", &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (ls_render_bars_get_height (network, 300, 20, &style), ==, five_tokens_height);
}

/* Whether the pixels (B, G, R, A, as render_widget() returns them) contain
 * rgb within a small tolerance. */
static gboolean
pixels_contain_color (GBytes  *pixels,
                      guint32  rgb)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (pixels, &size);
  int red = (rgb >> 16) & 0xff;
  int green = (rgb >> 8) & 0xff;
  int blue = rgb & 0xff;

  for (gsize i = 0; i + 3 < size; i += 4)
    if (data[i + 3] == 255 && ABS (data[i + 2] - red) <= 2 &&
        ABS (data[i + 1] - green) <= 2 && ABS (data[i] - blue) <= 2)
      return TRUE;

  return FALSE;
}

static LsCompareView *
start_comparing_copy (LsMainWindow *window)
{
  LsCompareView *compare = find_widget (GTK_WIDGET (window), LS_TYPE_COMPARE_VIEW);

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (compare)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.keep-copy", NULL));
  wait_for_frames ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (compare)));
  g_assert_nonnull (ls_compare_view_get_compared (compare));

  return compare;
}

/* A copy kept for comparing has A's outputs, Cat 82.0 % as in
 * /window/opens-example, and reads A's input from then on, while A's
 * later weight edits stay out of it. */
static void
test_window_compare_copy_follows_input (void)
{
  LsMainWindow *window = open_window ();
  LsNetwork *network = ls_main_window_get_network (window);
  LsCompareView *compare = start_comparing_copy (window);
  LsNetwork *compared = ls_compare_view_get_compared (compare);
  g_autoptr(GError) error = NULL;

  g_assert_true (compared != network);
  g_assert_cmpfloat (ls_network_get_output (compared)[0], ==, ls_network_get_output (network)[0]);
  g_assert_true (label_with_text_exists (GTK_WIDGET (compare), "B predicts “Cat” (82.0 %)\nA predicts “Cat” (82.0 %)"));
  g_assert_null (ls_compare_view_get_message (compare));

  g_assert_true (ls_network_set_input_value (network, 0, 0.0f, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (ls_network_get_input (compared)[0], ==, 0.0f);
  g_assert_cmpfloat (ls_network_get_output (compared)[0], ==, ls_network_get_output (network)[0]);

  g_assert_true (ls_network_set_weight (network, 1, 0, 0, -2.0f, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (ls_network_get_layer (compared, 1)->weights[0], !=, -2.0f);
  g_assert_cmpfloat (ls_network_get_output (compared)[0], >, ls_network_get_output (network)[0]);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* B − A is a bar in the palette's positive colour for an output where B
 * is higher and in its negative colour where B is lower, and no bar at all
 * while both networks agree. */
static void
test_window_compare_difference_colors (void)
{
  LsMainWindow *window = open_window ();
  LsNetwork *network = ls_main_window_get_network (window);
  LsCompareView *compare = start_comparing_copy (window);
  GtkWidget *table = find_widget (GTK_WIDGET (compare), GTK_TYPE_DRAWING_AREA);
  g_autoptr(GBytes) equal = NULL;
  g_autoptr(GBytes) edited = NULL;
  g_autoptr(GError) error = NULL;
  int width, height;

  wait_for_drawn (table);
  equal = render_widget (table, &width, &height);
  g_assert_false (pixels_contain_color (equal, LS_PALETTE_POSITIVE_RGB));
  g_assert_false (pixels_contain_color (equal, LS_PALETTE_NEGATIVE_RGB));

  /* A weaker h1 → Cat edge lowers A's Cat, so B − A is positive for Cat
   * and negative for Dog. */
  g_assert_true (ls_network_set_weight (network, 1, 0, 0, -2.0f, &error));
  g_assert_no_error (error);
  wait_for_frames ();
  edited = render_widget (table, &width, &height);
  g_assert_true (pixels_contain_color (edited, LS_PALETTE_POSITIVE_RGB));
  g_assert_true (pixels_contain_color (edited, LS_PALETTE_NEGATIVE_RGB));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A B of another input or output shape is rejected with both shapes in
 * the message, and the comparison shown before stays. */
static void
test_window_compare_rejects_shapes (void)
{
  LsMainWindow *window = open_window ();
  LsCompareView *compare = start_comparing_copy (window);
  LsNetwork *copy = ls_compare_view_get_compared (compare);
  LsInit init = { LS_INIT_XAVIER, 1 };
  g_autoptr(LsNetwork) five_inputs = ls_network_new (5);
  g_autoptr(LsNetwork) four_outputs = ls_network_new (3);
  g_autoptr(GError) error = NULL;

  g_assert_true (ls_network_append_layer (five_inputs, ls_layer_new_dense (5, 2, LS_ACTIVATION_SOFTMAX, &init), &error));
  g_assert_true (ls_network_append_layer (four_outputs, ls_layer_new_dense (3, 4, LS_ACTIVATION_SOFTMAX, &init), &error));
  g_assert_no_error (error);

  g_assert_false (ls_compare_view_set_compared (compare, five_inputs, "five.json", &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
  g_assert_nonnull (strstr (error->message, "input [5]"));
  g_assert_nonnull (strstr (error->message, "input [3]"));
  g_clear_error (&error);

  g_assert_false (ls_compare_view_set_compared (compare, four_outputs, "four.json", &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
  g_assert_nonnull (strstr (error->message, "output [4]"));
  g_assert_nonnull (strstr (error->message, "output [2]"));

  g_assert_true (ls_compare_view_get_compared (compare) == copy);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (compare)));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* When an edit gives A another output size, B keeps its last input and
 * shows why, and follows again once the sizes agree. */
static void
test_window_compare_keeps_last_input (void)
{
  LsMainWindow *window = open_window ();
  LsNetwork *network = ls_main_window_get_network (window);
  LsCompareView *compare = start_comparing_copy (window);
  LsNetwork *compared = ls_compare_view_get_compared (compare);
  g_autoptr(GError) error = NULL;

  g_assert_true (ls_network_set_units (network, 1, 3, &error));
  g_assert_no_error (error);
  g_assert_nonnull (ls_compare_view_get_message (compare));
  g_assert_nonnull (strstr (ls_compare_view_get_message (compare), "output [2]"));
  g_assert_nonnull (strstr (ls_compare_view_get_message (compare), "output [3]"));
  g_assert_true (label_with_text_exists (GTK_WIDGET (compare), "output [3]"));

  g_assert_true (ls_network_set_input_value (network, 0, 0.25f, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (ls_network_get_input (compared)[0], ==, 0.5f);

  g_assert_true (ls_network_set_units (network, 1, 2, &error));
  g_assert_no_error (error);
  g_assert_null (ls_compare_view_get_message (compare));
  g_assert_cmpfloat (ls_network_get_input (compared)[0], ==, 0.25f);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The close button ends the comparison: the view hides and B no longer
 * follows A. */
static void
test_window_compare_close (void)
{
  LsMainWindow *window = open_window ();
  LsNetwork *network = ls_main_window_get_network (window);
  LsCompareView *compare = start_comparing_copy (window);
  g_autoptr(LsNetwork) compared = g_object_ref (ls_compare_view_get_compared (compare));
  g_autoptr(GError) error = NULL;
  GtkWidget *close_button = find_widget (GTK_WIDGET (compare), GTK_TYPE_BUTTON);

  g_signal_emit_by_name (close_button, "clicked");
  wait_for_frames ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (compare)));
  g_assert_null (ls_compare_view_get_compared (compare));

  g_assert_true (ls_network_set_input_value (network, 0, 0.25f, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (ls_network_get_input (compared)[0], ==, 0.5f);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A network of 2 inputs and dense layers gets the decision map above the
 * bars, and a click on the map makes the clicked point the input, which
 * the diagram then traces. A network too large to map at every frame and
 * a network of 3 inputs hide the map. */
static void
test_window_decision_map (void)
{
  LsMainWindow *window = open_window ();
  LsDecisionMapView *map_view = find_widget (GTK_WIDGET (window), LS_TYPE_DECISION_MAP_VIEW);
  g_autoptr(LsNetwork) network = ls_network_new (2);
  g_autoptr(LsNetwork) three_inputs = load_example ("cat-or-dog.json");
  LsRenderStyle style = LS_RENDER_STYLE_INIT;
  int width, height;
  double px, py;
  float x, y;

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (map_view)));

  g_assert_true (ls_network_insert_dense (network, 0, 2, LS_ACTIVATION_SOFTMAX, NULL));
  ls_main_window_set_network (window, network, NULL);
  wait_for_drawn (GTK_WIDGET (map_view));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (map_view)));
  width = gtk_widget_get_width (GTK_WIDGET (map_view));
  height = gtk_widget_get_height (GTK_WIDGET (map_view));
  g_assert_cmpint (width, >=, 200);
  g_assert_cmpint (height, >=, width / 2);

  /* a point in the upper right of the plot, off the input (0, 0) */
  style.font_px = LS_RENDER_WINDOW_FONT_PX;
  g_object_get (map_view, "font-scale", &style.font_scale, NULL);
  px = 0.7 * width;
  py = 0.25 * height;
  g_assert_true (ls_render_decision_map_hit (NULL, width, height, FALSE, &style, px, py, &x, &y));
  g_assert_cmpfloat (x, >, 0.1f);
  g_assert_cmpfloat (y, >, 0.1f);
  g_signal_emit_by_name (find_controller (GTK_WIDGET (map_view), GTK_TYPE_GESTURE_CLICK), "pressed", 1, px, py);
  g_assert_cmpfloat_with_epsilon (ls_network_get_input (network)[0], x, 1e-6);
  g_assert_cmpfloat_with_epsilon (ls_network_get_input (network)[1], y, 1e-6);

  /* 2-300-300: 91,200 parameters, more than 4,000,000 / 8² */
  g_assert_true (ls_network_insert_dense (network, 0, 300, LS_ACTIVATION_RELU, NULL));
  g_assert_true (ls_network_set_units (network, 1, 300, NULL));
  wait_for_frames ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (map_view)));

  ls_main_window_set_network (window, three_inputs, NULL);
  wait_for_frames ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (map_view)));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Returns the spin buttons of the training panel in their order: samples,
 * noise, test share, seed, learning rate, batch size, L2 and stop epoch. */
static GtkSpinButton *
get_training_spin (GtkWidget *panel,
                   guint      index)
{
  g_autoptr(GPtrArray) spins = g_ptr_array_new ();

  collect_widgets (panel, GTK_TYPE_SPIN_BUTTON, spins);
  g_assert_cmpuint (spins->len, ==, 8);

  return g_ptr_array_index (spins, index);
}

/* Returns the play toggle of the training panel's bar, which unlike the
 * toggles inside its drop-down has an icon. */
static GtkToggleButton *
find_play_button (GtkWidget *panel)
{
  g_autoptr(GPtrArray) toggles = g_ptr_array_new ();

  collect_widgets (ls_training_panel_get_bar (LS_TRAINING_PANEL (panel)), GTK_TYPE_TOGGLE_BUTTON, toggles);
  for (guint i = 0; i < toggles->len; i++)
    if (gtk_button_get_icon_name (g_ptr_array_index (toggles, i)) != NULL)
      return g_ptr_array_index (toggles, i);

  g_assert_not_reached ();
}

/* Counts the pixels of the curves view in rows first to last - 1 that
 * have the train curve's colour, #3585e3 as ls-curves-view.c sets it,
 * within 12 per channel. */
static guint
count_train_pixels (GtkWidget *curves,
                    int        first,
                    int        last)
{
  int width, height;
  g_autoptr(GBytes) bytes = render_widget (curves, &width, &height);
  const guchar *pixels = g_bytes_get_data (bytes, NULL);
  guint count = 0;

  g_assert_cmpint (last, <=, height);
  for (int y = MAX (first, 0); y < last; y++)
    for (int x = 0; x < width; x++)
      {
        const guchar *p = pixels + ((gsize) y * width + x) * 4;

        if (ABS (p[2] - 54) <= 12 && ABS (p[1] - 133) <= 12 && ABS (p[0] - 227) <= 12)
          count++;
      }

  return count;
}

static void
count_updates_cb (LsTrainingController *controller,
                  guint                *count)
{
  (*count)++;
}

static void
count_network_changes_cb (LsNetwork *network,
                          guint      change,
                          guint     *count)
{
  (*count)++;
}

/* Opening the XOR example selects the XOR set, and the play button trains
 * the 2-4-2 network to 100 % train accuracy on noise-free points within
 * seconds, while the diagram follows each copy of the weights. */
static void
test_window_training_xor (void)
{
  g_autoptr(LsNetwork) network = load_example ("xor.json");
  LsMainWindow *window = open_window_with (network);
  GtkWidget *panel = find_widget (GTK_WIDGET (window), LS_TYPE_TRAINING_PANEL);
  GtkWidget *curves = find_widget (GTK_WIDGET (window), LS_TYPE_CURVES_VIEW);
  LsTrainingController *controller = ls_training_panel_get_controller (LS_TRAINING_PANEL (panel));
  GtkToggleButton *play = find_play_button (panel);
  int empty_height = gtk_widget_get_height (curves);
  int half;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  const LsTrainingPoint *points = NULL;
  gsize n_points = 0;
  guint changes = 0;
  guint updates = 0;

  g_assert_nonnull (controller);
  g_assert_cmpstr (ls_samples_get_name (ls_training_controller_get_train_samples (controller)),
                   ==, "xor");
  gtk_spin_button_set_value (get_training_spin (panel, 1), 0.0);
  g_signal_connect (network, "changed", G_CALLBACK (count_network_changes_cb), &changes);
  g_signal_connect (controller, "updated", G_CALLBACK (count_updates_cb), &updates);

  /* As fast as the machine goes, so that a loaded machine still gets
   * there well within the deadline. */
  ls_training_controller_set_speed (controller, 0.0);
  gtk_toggle_button_set_active (play, TRUE);
  g_assert_true (ls_training_controller_is_running (controller));
  while (g_get_monotonic_time () < deadline
         && (n_points == 0 || points[n_points - 1].train_accuracy < 1.0))
    {
      g_main_context_iteration (NULL, TRUE);
      points = ls_training_controller_get_history (controller, &n_points);
    }
  gtk_toggle_button_set_active (play, FALSE);

  g_assert_cmpuint (n_points, >, 0);
  g_assert_cmpfloat (points[n_points - 1].train_accuracy, ==, 1.0);
  g_assert_false (ls_training_controller_is_running (controller));
  g_assert_cmpuint (changes, >, 1);
  g_assert_cmpuint (updates, >, 1);
  wait_for_frames ();
  g_assert_cmpint (gtk_widget_get_height (curves), >, 3 * empty_height);
  /* The accuracy chart in the lower half has a legend whose train line,
   * 1.6 text heights long, lies about 1.05 text heights (18 px) below
   * the middle. A loss chart of the whole height has at most a steep
   * stretch of the curve there. */
  half = gtk_widget_get_height (curves) / 2;
  g_assert_cmpuint (count_train_pixels (curves, half + 15, half + 23), >, 40);

  gtk_window_destroy (GTK_WINDOW (window));
}

static guint count_shown_labels (GtkWidget  *root,
                                 const char *text);

/* Without a training set the bar of run controls is hidden and the panel
 * explains why. With the XOR set it shows above the diagram, outside the
 * scrolled side pane, so it is seen without scrolling. Its buttons train
 * one step, run, pause and reset, its speed choice reaches the
 * controller, and a set that does not fit the network hides it again. */
static void
test_window_training_bar (void)
{
  LsMainWindow *window = open_window ();
  LsTrainingPanel *panel = find_widget (GTK_WIDGET (window), LS_TYPE_TRAINING_PANEL);
  GtkWidget *bar = ls_training_panel_get_bar (panel);
  GtkWidget *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  g_autoptr(LsNetwork) network = load_example ("xor.json");
  GtkToggleButton *play = find_play_button (GTK_WIDGET (panel));
  LsTrainingController *controller;
  GtkDropDown *speed;
  graphene_point_t bar_point, diagram_point;
  g_autoptr(GError) error = NULL;

  g_assert_false (gtk_widget_get_visible (bar));
  g_assert_true (label_with_text_exists (GTK_WIDGET (panel), "Pick a training set"));

  ls_main_window_set_network (window, network, NULL);
  wait_for_drawn (bar);
  controller = ls_training_panel_get_controller (panel);
  g_assert_true (gtk_widget_is_drawable (bar));
  g_assert_null (gtk_widget_get_ancestor (bar, GTK_TYPE_SCROLLED_WINDOW));
  g_assert_true (gtk_widget_compute_point (bar, GTK_WIDGET (window), &GRAPHENE_POINT_INIT (0, 0), &bar_point));
  g_assert_true (gtk_widget_compute_point (diagram, GTK_WIDGET (window), &GRAPHENE_POINT_INIT (0, 0), &diagram_point));
  g_assert_cmpfloat (bar_point.y + gtk_widget_get_height (bar), <=, diagram_point.y);

  speed = find_widget (bar, GTK_TYPE_DROP_DOWN);
  g_assert_cmpfloat (ls_training_controller_get_speed (controller), ==, 250.0);
  gtk_drop_down_set_selected (speed, 0);
  g_assert_cmpfloat (ls_training_controller_get_speed (controller), ==, 20.0);
  gtk_drop_down_set_selected (speed, 2);
  g_assert_cmpfloat (ls_training_controller_get_speed (controller), ==, 0.0);

  g_signal_emit_by_name (find_button (bar, NULL, "Train one step"), "clicked");
  g_assert_cmpuint (ls_training_controller_get_step (controller), ==, 1);
  g_assert_true (label_with_text_exists (bar, "Epoch 0 · step 1"));
  g_assert_true (label_with_text_exists (bar, "Accuracy\u00a0"));

  gtk_toggle_button_set_active (play, TRUE);
  g_assert_true (ls_training_controller_is_running (controller));
  wait_for_frames ();
  gtk_toggle_button_set_active (play, FALSE);
  g_assert_false (ls_training_controller_is_running (controller));
  g_assert_cmpuint (ls_training_controller_get_step (controller), >, 1);

  g_signal_emit_by_name (find_button (bar, NULL, "Reset to the weights before training"), "clicked");
  g_assert_cmpuint (ls_training_controller_get_step (controller), ==, 0);
  g_assert_true (label_with_text_exists (bar, "Epoch 0 · step 0"));

  g_assert_true (ls_training_panel_select_data (panel, "digits", &error));
  g_assert_no_error (error);
  g_assert_false (gtk_widget_get_visible (bar));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Tab walks the bar's controls in order, play, step, reset and speed,
 * with no stop on a control that shows no focus, also once an edit has
 * put a notice under the buttons. */
static void
test_window_training_bar_tab_order (void)
{
  g_autoptr(LsNetwork) network = load_example ("xor.json");
  LsMainWindow *window = open_window_with (network);
  LsTrainingPanel *panel = find_widget (GTK_WIDGET (window), LS_TYPE_TRAINING_PANEL);
  GtkWidget *bar = ls_training_panel_get_bar (panel);
  GtkWidget *play = GTK_WIDGET (find_play_button (GTK_WIDGET (panel)));
  GtkWidget *step = find_button (bar, NULL, "Train one step");
  GtkWidget *speed = find_widget (bar, GTK_TYPE_DROP_DOWN);
  GtkWidget *reset;
  g_autoptr(GError) error = NULL;

  wait_for_drawn (bar);
  g_signal_emit_by_name (step, "clicked");
  reset = find_button (bar, NULL, "Reset to the weights before training");
  g_assert_true (ls_network_set_weight (network, 0, 0, 0, 0.25f, &error));
  g_assert_no_error (error);
  wait_for_frames ();
  g_assert_true (gtk_widget_get_sensitive (reset));

  g_assert_true (gtk_widget_grab_focus (play));
  for (guint i = 0; i < 3; i++)
    {
      GtkWidget *expected[] = { step, reset, speed };
      GtkWidget *focus;

      g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
      focus = gtk_root_get_focus (GTK_ROOT (window));
      g_test_message ("tab %u", i + 1);
      g_assert_true (focus == expected[i] || gtk_widget_is_ancestor (focus, expected[i]));
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A run that diverges stops with the trainer's message, which names the
 * layer, in the bar above the diagram. One identity unit on the
 * regression set with SGD at the highest learning rate, 10, overshoots
 * the least-squares minimum further at every step, so its weights grow
 * until they overflow. */
static void
test_window_training_divergence (void)
{
  g_autoptr(LsNetwork) network = ls_network_new (2);
  LsMainWindow *window;
  LsTrainingPanel *panel;
  GtkWidget *bar;
  LsTrainingController *controller;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_assert_true (ls_network_insert_dense (network, 0, 1, LS_ACTIVATION_IDENTITY, &error));
  window = open_window_with (network);
  panel = find_widget (GTK_WIDGET (window), LS_TYPE_TRAINING_PANEL);
  bar = ls_training_panel_get_bar (panel);
  controller = ls_training_panel_get_controller (panel);
  g_assert_true (ls_training_panel_select_data (panel, "regression", &error));
  g_assert_no_error (error);
  gtk_spin_button_set_value (get_training_spin (GTK_WIDGET (panel), 4), 10.0);

  gtk_toggle_button_set_active (find_play_button (GTK_WIDGET (panel)), TRUE);
  while (ls_training_controller_is_running (controller) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  wait_for_frames ();

  g_assert_false (ls_training_controller_is_running (controller));
  g_assert_nonnull (ls_training_controller_get_error (controller));
  g_assert_true (gtk_widget_is_drawable (bar));
  g_assert_cmpuint (count_shown_labels (bar, ls_training_controller_get_error (controller)->message), ==, 1);
  g_assert_true (label_with_text_exists (bar, "layer 1"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A regression set switches the loss to mean squared error, and its
 * history has no accuracy, so the curves view draws the loss alone. */
static void
test_window_training_regression (void)
{
  g_autoptr(LsNetwork) network = ls_network_new (2);
  LsMainWindow *window = NULL;
  GtkWidget *panel;
  GtkWidget *curves;
  GtkWidget *step;
  LsTrainingController *controller;
  g_autoptr(GError) error = NULL;
  const LsTrainingPoint *points;
  gsize n_points;

  g_assert_true (ls_network_insert_dense (network, 0, 8, LS_ACTIVATION_TANH, &error));
  g_assert_true (ls_network_insert_dense (network, 1, 1, LS_ACTIVATION_IDENTITY, &error));
  window = open_window_with (network);
  panel = find_widget (GTK_WIDGET (window), LS_TYPE_TRAINING_PANEL);
  curves = find_widget (GTK_WIDGET (window), LS_TYPE_CURVES_VIEW);
  controller = ls_training_panel_get_controller (LS_TRAINING_PANEL (panel));
  g_assert_true (ls_training_panel_select_data (LS_TRAINING_PANEL (panel), "regression", &error));
  g_assert_no_error (error);
  g_assert_cmpint (ls_training_controller_get_settings (controller)->loss, ==, LS_LOSS_MEAN_SQUARED);

  step = find_button (ls_training_panel_get_bar (LS_TRAINING_PANEL (panel)), NULL, "Train one step");
  for (int i = 0; i < 20; i++)
    g_signal_emit_by_name (step, "clicked");
  wait_for_frames ();

  points = ls_training_controller_get_history (controller, &n_points);
  g_assert_cmpuint (n_points, ==, 20);
  g_assert_true (isnan (points[n_points - 1].train_accuracy));
  g_assert_true (isfinite (points[n_points - 1].train_loss));
  g_assert_cmpuint (count_train_pixels (curves, 0, gtk_widget_get_height (curves)), >, 20);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A set whose samples do not fit the network's input gets one line that
 * names both sizes, and play then fails with a message, not a crash. */
static void
test_window_training_mismatch (void)
{
  LsMainWindow *window = open_window ();
  GtkWidget *panel = find_widget (GTK_WIDGET (window), LS_TYPE_TRAINING_PANEL);
  GtkToggleButton *play = find_play_button (panel);
  LsTrainingController *controller = ls_training_panel_get_controller (LS_TRAINING_PANEL (panel));
  g_autoptr(GError) error = NULL;

  g_assert_true (label_with_text_exists (panel, "Pick a training set"));
  g_assert_true (ls_training_panel_select_data (LS_TRAINING_PANEL (panel), "xor", &error));
  g_assert_no_error (error);
  g_assert_true (label_with_text_exists (panel, "This network reads 3 values"));

  gtk_toggle_button_set_active (play, TRUE);
  g_assert_false (ls_training_controller_is_running (controller));
  g_assert_false (gtk_toggle_button_get_active (play));

  g_assert_false (ls_training_panel_select_data (LS_TRAINING_PANEL (panel), "no-such-set", &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (ls_samples_get_name (ls_training_controller_get_train_samples (controller)),
                   ==, "xor");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Counts the labels with text that are drawn and not transparent,
 * unlike label_with_text_exists(), which finds hidden ones too. */
static guint
count_shown_labels (GtkWidget  *root,
                    const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  guint count = 0;

  collect_widgets (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), text) == 0 &&
        gtk_widget_is_drawable (g_ptr_array_index (labels, i)) &&
        gtk_widget_get_opacity (g_ptr_array_index (labels, i)) > 0.0)
      count++;

  return count;
}

/* Runs the main loop until no network of the explorer trains, for at
 * most timeout_s seconds. */
static void
wait_for_explorer_stop (LsDepthExplorer *explorer,
                        double           timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);

  while (ls_depth_explorer_is_running (explorer) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (ls_depth_explorer_is_running (explorer));
}

static double
get_last_test_accuracy (LsDepthExplorer *explorer,
                        gsize            depth)
{
  gsize n_points;
  const LsTrainingPoint *points = ls_training_controller_get_history (ls_depth_explorer_get_controller (explorer, depth),
                                                                      &n_points);

  g_assert_cmpuint (n_points, >, 0);

  return points[n_points - 1].test_accuracy;
}

/* The lesson's depth table on the spiral: a network without a hidden
 * layer separates the plane with one straight line, so it fails on two
 * interleaved arms, while 3 hidden layers of 8 tanh units follow them.
 * The same samples, seeds and settings trained with ls_trainer_run_epoch()
 * and with torch.optim.Adam give test accuracies of about 0.6 and 0.98
 * between epochs 800 and 2000. Each network stops exactly at the end of
 * the limit's epoch. */
static void
test_window_depth_explorer_spiral (void)
{
  LsDepthExplorer *explorer = ls_depth_explorer_new (NULL);
  LsDepthSettings settings;
  g_autoptr(GError) error = NULL;
  gint64 start;

  ls_depth_explorer_settings_init (&settings);
  g_assert_cmpint (settings.pattern, ==, LS_PATTERN_SPIRAL);
  settings.depths = (1u << 0) | (1u << 3);
  g_assert_true (ls_depth_explorer_set_settings (explorer, &settings, &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (explorer));
  wait_for_frames ();

  g_assert_cmpint (ls_depth_explorer_get_best_depth (explorer), ==, -1);
  start = g_get_monotonic_time ();
  ls_depth_explorer_play (explorer);
  g_assert_true (ls_depth_explorer_is_running (explorer));
  wait_for_explorer_stop (explorer, 120);
  g_test_message ("2 networks, %g epochs: %.1f s, test accuracy %.3f without and %.3f with 3 hidden layers",
                  settings.max_epochs, (g_get_monotonic_time () - start) / 1e6,
                  get_last_test_accuracy (explorer, 0), get_last_test_accuracy (explorer, 3));

  g_assert_cmpfloat (ls_training_controller_get_epoch (ls_depth_explorer_get_controller (explorer, 0)), ==, settings.max_epochs);
  g_assert_cmpfloat (ls_training_controller_get_epoch (ls_depth_explorer_get_controller (explorer, 3)), ==, settings.max_epochs);
  g_assert_cmpfloat (get_last_test_accuracy (explorer, 0), <, 0.7);
  g_assert_cmpfloat (get_last_test_accuracy (explorer, 3), >, 0.9);
  g_assert_cmpint (ls_depth_explorer_get_best_depth (explorer), ==, 3);
  g_assert_cmpuint (count_shown_labels (GTK_WIDGET (explorer), "Best test accuracy"), ==, 1);
  g_assert_cmpfloat (ls_training_controller_get_epoch (ls_depth_explorer_get_controller (explorer, 1)), ==, 0.0);

  gtk_window_destroy (GTK_WINDOW (explorer));
}

static GtkLabel *
find_label_with_text (GtkWidget  *root,
                      const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_widgets (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), text) == 0)
      return g_ptr_array_index (labels, i);

  g_error ("No label reads “%s”", text);
}

/* The settings name each network's shape: with width 8, the network with
 * 3 hidden layers has 2·8 + 8 + 2 · (8·8 + 8) + 8·2 + 2 = 186 parameters
 * (hand count of weights and biases), and with width 4, 2·4 + 4 +
 * 2 · (4·4 + 4) + 4·2 + 2 = 62. Invalid settings are rejected with the
 * value in the message and change nothing, and an unchecked depth hides
 * its network. */
static void
test_window_depth_explorer_settings (void)
{
  LsDepthExplorer *explorer = ls_depth_explorer_new (NULL);
  LsDepthSettings settings;
  LsDepthSettings current;
  LsParameterCount count;
  g_autoptr(GError) error = NULL;
  GtkWidget *cell_box;

  gtk_window_present (GTK_WINDOW (explorer));
  wait_for_frames ();
  ls_depth_explorer_get_settings (explorer, &settings);
  ls_network_get_parameter_count (ls_training_controller_get_network (ls_depth_explorer_get_controller (explorer, 3)), &count);
  g_assert_cmpuint (count.total, ==, 186);
  g_assert_true (label_with_text_exists (GTK_WIDGET (explorer), "186 parameters"));
  g_assert_cmpuint (ls_network_get_n_layers (ls_training_controller_get_network (ls_depth_explorer_get_controller (explorer, 3))), ==, 4);

  settings.width = 4;
  settings.depths = ~(1u << 2) & ((1u << (LS_DEPTH_EXPLORER_MAX_DEPTH + 1)) - 1);
  g_assert_true (ls_depth_explorer_set_settings (explorer, &settings, &error));
  g_assert_no_error (error);
  wait_for_frames ();
  ls_network_get_parameter_count (ls_training_controller_get_network (ls_depth_explorer_get_controller (explorer, 3)), &count);
  g_assert_cmpuint (count.total, ==, 62);
  g_assert_true (label_with_text_exists (GTK_WIDGET (explorer), "4 units each"));
  cell_box = gtk_widget_get_ancestor (GTK_WIDGET (find_label_with_text (GTK_WIDGET (explorer), "2 hidden layers")), GTK_TYPE_BOX);
  g_assert_false (gtk_widget_get_visible (cell_box));

  settings.width = 100;
  g_assert_false (ls_depth_explorer_set_settings (explorer, &settings, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
  g_assert_nonnull (strstr (error->message, "100"));
  ls_depth_explorer_get_settings (explorer, &current);
  g_assert_cmpuint (current.width, ==, 4);

  gtk_window_destroy (GTK_WINDOW (explorer));
}

/* The main window's action opens one Depth Explorer and raises it again
 * on the next activation, with no network of the window involved. */
static void
test_window_depth_explorer_action (void)
{
  LsMainWindow *window = open_window ();
  GListModel *toplevels = gtk_window_get_toplevels ();
  LsDepthExplorer *explorer = NULL;
  guint explorers = 0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.depth-explorer", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.depth-explorer", NULL));
  wait_for_frames ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (LS_IS_DEPTH_EXPLORER (toplevel))
        {
          explorer = LS_DEPTH_EXPLORER (toplevel);
          explorers++;
        }
    }
  g_assert_cmpuint (explorers, ==, 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (explorer)));

  gtk_window_destroy (GTK_WINDOW (explorer));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gint64 latency_last;
static gint64 latency_max;

static gboolean
latency_tick_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  latency_max = MAX (latency_max, now - latency_last - 10000);
  latency_last = now;

  return G_SOURCE_CONTINUE;
}

/* While five networks train in five threads, the main loop still runs a
 * 10 ms timer without long gaps, so the window reacts to clicks. Training
 * on the main loop would stall it for the whole 3 s run. The bound leaves
 * room for a loaded machine and the sanitizer build. */
static void
test_window_depth_explorer_responsive (void)
{
  LsDepthExplorer *explorer = ls_depth_explorer_new (NULL);
  LsDepthSettings settings;
  g_autoptr(GError) error = NULL;
  guint tick;
  gint64 start;

  ls_depth_explorer_settings_init (&settings);
  settings.max_epochs = 5000;
  g_assert_true (ls_depth_explorer_set_settings (explorer, &settings, &error));
  gtk_window_present (GTK_WINDOW (explorer));
  wait_for_frames ();

  latency_last = g_get_monotonic_time ();
  latency_max = 0;
  tick = g_timeout_add (10, latency_tick_cb, NULL);
  start = g_get_monotonic_time ();
  ls_depth_explorer_play (explorer);
  while (g_get_monotonic_time () - start < 3 * G_USEC_PER_SEC && ls_depth_explorer_is_running (explorer))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_test_message ("largest main loop delay while training: %.0f ms", latency_max / 1000.0);
  ls_depth_explorer_pause (explorer);

  g_assert_cmpint (latency_max, <, 1500 * G_TIME_SPAN_MILLISECOND);

  gtk_window_destroy (GTK_WINDOW (explorer));
}

/* B of a text network reads A's text: a copy of sentiment.json gets each
 * new phrase and so gives A's outputs. A copy limited to 4 tokens cannot
 * read a phrase of 5, so it keeps the last phrase and shows the reason. A
 * network that reads numbers is rejected with both inputs named. */
static void
test_window_compare_text (void)
{
  g_autoptr(LsNetwork) sentiment = load_example ("sentiment.json");
  LsMainWindow *window = open_window_with (sentiment);
  LsCompareView *compare = find_widget (GTK_WIDGET (window), LS_TYPE_COMPARE_VIEW);
  LsCompareView *copy_compare = start_comparing_copy (window);
  g_autofree char *data = NULL;
  g_autofree char *short_data = NULL;
  g_autoptr(LsNetwork) short_copy = NULL;
  g_autoptr(LsNetwork) numbers = ls_network_new (3);
  g_autoptr(GError) error = NULL;
  LsInit init = { LS_INIT_XAVIER, 1 };
  char **parts;

  g_assert_true (copy_compare == compare);
  g_assert_true (ls_network_set_text (sentiment, "a great film", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ls_network_get_text (ls_compare_view_get_compared (compare)), ==, "a great film");
  g_assert_cmpfloat (ls_network_get_output (ls_compare_view_get_compared (compare))[0], ==,
                     ls_network_get_output (sentiment)[0]);

  data = ls_document_to_data (sentiment, NULL);
  parts = g_strsplit (data, "\"max_tokens\": 16", 2);
  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  short_data = g_strjoinv ("\"max_tokens\": 4", parts);
  g_strfreev (parts);
  short_copy = ls_document_load_data (short_data, -1, "short.json", &error);
  g_assert_no_error (error);
  g_assert_true (ls_compare_view_set_compared (compare, short_copy, "short.json", &error));
  g_assert_no_error (error);
  g_assert_true (ls_network_set_text (sentiment, "the film was very good", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ls_network_get_text (short_copy), ==, "a great film");
  g_assert_nonnull (ls_compare_view_get_message (compare));
  g_assert_nonnull (strstr (ls_compare_view_get_message (compare), "Network B cannot read the text of network A"));

  g_assert_true (ls_network_append_layer (numbers, ls_layer_new_dense (3, 2, LS_ACTIVATION_SOFTMAX, &init), &error));
  g_assert_false (ls_compare_view_set_compared (compare, numbers, "numbers.json", &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
  g_assert_nonnull (strstr (error->message, "reads input [3]"));
  g_assert_nonnull (strstr (error->message, "reads text"));
  g_assert_true (ls_compare_view_get_compared (compare) == short_copy);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Returns the bar's Reset button, found by its icon because its tooltip
 * changes. */
static GtkWidget *
find_reset_button (LsTrainingPanel *panel)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect_widgets (ls_training_panel_get_bar (panel), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_icon_name (g_ptr_array_index (buttons, i)), "edit-undo-symbolic") == 0)
      return g_ptr_array_index (buttons, i);

  g_error ("The training bar has no Reset button");
}

/* An edit of a weight during a run stops it with a plain notice, not an
 * error, and keeps the curves. Reset still gives back the weights from
 * before training. A change of the units turns Reset off, with a tooltip
 * that explains why. */
static void
test_window_training_edit_notice (void)
{
  g_autoptr(LsNetwork) network = load_example ("xor.json");
  LsMainWindow *window = open_window_with (network);
  LsTrainingPanel *panel = find_widget (GTK_WIDGET (window), LS_TYPE_TRAINING_PANEL);
  LsTrainingController *controller = ls_training_panel_get_controller (panel);
  GtkWidget *bar = ls_training_panel_get_bar (panel);
  GtkWidget *reset = find_reset_button (panel);
  LsNetwork *shown = ls_main_window_get_network (window);
  const char *notice = "Training stopped because the network changed; press play to train the edited network.";
  g_autoptr(GError) error = NULL;
  float first = ls_layer_get_weight (ls_network_get_layer (shown, 0), 0, 0);
  gsize n_points;

  g_assert_false (gtk_widget_get_sensitive (reset));
  ls_training_controller_set_speed (controller, 0.0);
  gtk_toggle_button_set_active (find_play_button (GTK_WIDGET (panel)), TRUE);
  while (ls_training_controller_get_step (controller) < 50)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (ls_network_set_weight (shown, 0, 0, 0, 2.5f, &error));
  g_assert_no_error (error);

  g_assert_false (ls_training_controller_is_running (controller));
  g_assert_cmpuint (count_shown_labels (bar, notice), ==, 1);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (find_label_with_text (bar, notice)), "training-error"));
  ls_training_controller_get_history (controller, &n_points);
  g_assert_cmpuint (n_points, >, 0);

  g_assert_true (gtk_widget_get_sensitive (reset));
  g_signal_emit_by_name (reset, "clicked");
  g_assert_cmpfloat (ls_layer_get_weight (ls_network_get_layer (shown, 0), 0, 0), ==, first);

  g_signal_emit_by_name (find_button (bar, NULL, "Train one step"), "clicked");
  g_assert_true (ls_network_set_units (shown, 0, 5, &error));
  g_assert_no_error (error);
  wait_for_frames ();
  g_assert_false (gtk_widget_get_sensitive (reset));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (reset), "layers changed"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Picking the digits switches to Adam at 0.001 with batches of 32, turns
 * off the test share, which the digits' own split ignores, and the
 * mismatch line of a 2-input network suggests the digits example. The
 * spiral set gets the test share back. */
static void
test_window_training_image_defaults (void)
{
  g_autoptr(LsNetwork) network = load_example ("xor.json");
  LsMainWindow *window = open_window_with (network);
  LsTrainingPanel *panel = find_widget (GTK_WIDGET (window), LS_TYPE_TRAINING_PANEL);
  LsTrainingController *controller = ls_training_panel_get_controller (panel);
  const LsTrainSettings *settings;
  g_autoptr(GError) error = NULL;

  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (get_training_spin (GTK_WIDGET (panel), 2))));
  g_assert_true (ls_training_panel_select_data (panel, "digits", &error));
  g_assert_no_error (error);
  settings = ls_training_controller_get_settings (controller);
  g_assert_cmpint (settings->optimizer, ==, LS_OPTIMIZER_ADAM);
  g_assert_cmpfloat_with_epsilon (settings->learning_rate, 0.001, 1e-9);
  g_assert_cmpuint (settings->batch_size, ==, 32);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (get_training_spin (GTK_WIDGET (panel), 2))));
  g_assert_true (label_with_text_exists (GTK_WIDGET (panel), "digits-dense.json"));
  g_assert_false (label_with_text_exists (GTK_WIDGET (panel), "spiral.json"));

  g_assert_true (ls_training_panel_select_data (panel, "spiral", &error));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (get_training_spin (GTK_WIDGET (panel), 2))));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* With a stop epoch the run ends by itself there and shows that epoch. */
static void
test_window_training_stop_epoch (void)
{
  g_autoptr(LsNetwork) network = load_example ("xor.json");
  LsMainWindow *window = open_window_with (network);
  LsTrainingPanel *panel = find_widget (GTK_WIDGET (window), LS_TYPE_TRAINING_PANEL);
  LsTrainingController *controller = ls_training_panel_get_controller (panel);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  gtk_spin_button_set_value (get_training_spin (GTK_WIDGET (panel), 7), 3.0);
  g_assert_cmpuint (ls_training_controller_get_max_epochs (controller), ==, 3);
  ls_training_controller_set_speed (controller, 0.0);
  gtk_toggle_button_set_active (find_play_button (GTK_WIDGET (panel)), TRUE);
  while (ls_training_controller_is_running (controller) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (ls_training_controller_is_running (controller));
  g_assert_cmpfloat (ls_training_controller_get_epoch (controller), ==, 3.0);
  g_assert_cmpuint (count_shown_labels (ls_training_panel_get_bar (panel), "Stopped at epoch 3."), ==, 1);

  /* A limit below the epoch reached trains nothing, and the bar shows why. */
  gtk_spin_button_set_value (get_training_spin (GTK_WIDGET (panel), 7), 2.0);
  gtk_toggle_button_set_active (find_play_button (GTK_WIDGET (panel)), TRUE);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (ls_training_controller_is_running (controller) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  wait_for_frames ();
  g_assert_cmpfloat (ls_training_controller_get_epoch (controller), ==, 3.0);
  g_assert_cmpuint (count_shown_labels (ls_training_panel_get_bar (panel),
                                        "Stop at epoch is 2, but training is already at epoch 3; "
                                        "raise it, or set it to 0 to train on."), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* An edit that gives the output layer fewer units than the set has
 * classes hides the bar at once, and the panel shows what to change. */
static void
test_window_training_output_mismatch (void)
{
  g_autoptr(LsNetwork) network = load_example ("xor.json");
  LsMainWindow *window = open_window_with (network);
  LsTrainingPanel *panel = find_widget (GTK_WIDGET (window), LS_TYPE_TRAINING_PANEL);
  GtkWidget *bar = ls_training_panel_get_bar (panel);
  g_autoptr(GError) error = NULL;

  wait_for_drawn (bar);
  g_assert_true (gtk_widget_get_visible (bar));

  g_assert_true (ls_network_set_units (network, 1, 1, &error));
  g_assert_no_error (error);
  wait_for_frames ();
  g_assert_false (gtk_widget_get_visible (bar));
  g_assert_cmpuint (count_shown_labels (GTK_WIDGET (panel),
                                        "This network has 1 output, but the set “Exclusive or” has 2 "
                                        "classes. Give the last layer 2 units, or pick another set."), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Closing a changed window during a run pauses the run before the dialog
 * about the unsaved changes, and Discard then closes the window. */
static void
test_window_training_close_discard (void)
{
  g_autoptr(LsNetwork) network = load_example ("spiral.json");
  LsMainWindow *window = open_window_with (network);
  LsTrainingPanel *panel = find_widget (GTK_WIDGET (window), LS_TYPE_TRAINING_PANEL);
  LsTrainingController *controller = ls_training_panel_get_controller (panel);
  GtkWidget *dialog = NULL;
  GListModel *toplevels = gtk_window_get_toplevels ();
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_toggle_button_set_active (find_play_button (GTK_WIDGET (panel)), TRUE);
  while (ls_training_controller_get_step (controller) < 20)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (ls_main_window_get_modified (window));

  gtk_window_close (GTK_WINDOW (window));
  g_assert_nonnull (window);
  g_assert_false (ls_training_controller_is_running (controller));
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel))
        dialog = GTK_WIDGET (toplevel);
    }
  g_assert_nonnull (dialog);

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "discard");
  while (window != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (window);
}

/* At text ×1.56 the description of xor.json, 4 lines at 1280 pixels,
 * shows 3 lines ending in an ellipsis. A click on it shows it in full,
 * and another click shortens it again. Its tooltip has it all. */
static void
test_window_description_expands (void)
{
  g_autoptr(LsNetwork) network = load_example ("xor.json");
  LsMainWindow *window = open_sized_window_with (network, 1280, 720);
  const char *description = ls_network_get_description (network);
  GtkLabel *label = find_label_with_text (GTK_WIDGET (window), description);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (label));
  GtkGesture *click = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller))
        click = GTK_GESTURE (controller);
    }
  g_assert_nonnull (click);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (label)), ==, description);

  for (int i = 0; i < 2; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.text-larger", NULL));
  wait_for_frames ();
  g_assert_true (pango_layout_is_ellipsized (gtk_label_get_layout (label)));

  g_signal_emit_by_name (click, "pressed", 1, 10.0, 10.0);
  wait_for_frames ();
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (label)));
  g_assert_cmpint (pango_layout_get_line_count (gtk_label_get_layout (label)), >, 3);

  g_signal_emit_by_name (click, "pressed", 1, 10.0, 10.0);
  wait_for_frames ();
  g_assert_true (pango_layout_is_ellipsized (gtk_label_get_layout (label)));

  /* the text scale is a setting, which later windows would start with */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.text-reset", NULL));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Returns the B − A cell of row output of the comparison table. */
static char *
dup_difference_cell (LsCompareView *compare,
                     gsize          output)
{
  g_autofree char *row = ls_compare_view_dup_row_text (compare, output);
  g_auto(GStrv) cells = NULL;

  g_assert_nonnull (row);
  cells = g_strsplit (row, "\t", -1);
  g_assert_cmpuint (g_strv_length (cells), ==, 4);

  return g_strdup (cells[3]);
}

/* A difference that rounds to 0.0 % reads "0.0", never "-0.0". An
 * edit of 10⁻⁴ to A's h1 → Cat weight moves Cat and Dog by about 10⁻⁵
 * in opposite directions, so one of the two differences is a tiny
 * negative number. A larger edit shows its sign. */
static void
test_window_compare_zero_difference (void)
{
  LsMainWindow *window = open_window ();
  LsNetwork *network = ls_main_window_get_network (window);
  LsCompareView *compare = start_comparing_copy (window);
  float weight = ls_network_get_layer (network, 1)->weights[0];
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < 2; i++)
    {
      g_autofree char *cell = dup_difference_cell (compare, i);

      g_assert_cmpstr (cell, ==, "0.0");
    }

  g_assert_true (ls_network_set_weight (network, 1, 0, 0, weight + 1e-4f, &error));
  g_assert_no_error (error);
  wait_for_frames ();
  g_assert_cmpfloat (ls_network_get_output (network)[0], !=, ls_network_get_output (ls_compare_view_get_compared (compare))[0]);
  for (gsize i = 0; i < 2; i++)
    {
      g_autofree char *cell = dup_difference_cell (compare, i);

      g_assert_cmpstr (cell, ==, "0.0");
    }

  g_assert_true (ls_network_set_weight (network, 1, 0, 0, -2.0f, &error));
  g_assert_no_error (error);
  wait_for_frames ();
  {
    g_autofree char *cat = dup_difference_cell (compare, 0);
    g_autofree char *dog = dup_difference_cell (compare, 1);

    g_assert_true (g_str_has_prefix (cat, "+"));
    g_assert_true (g_str_has_prefix (dog, "-"));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Comparing with a file of another input shape shows why in a toast,
 * which a later successful comparison dismisses. */
static void
test_window_compare_error_dismissed (void)
{
  LsMainWindow *window = open_window ();
  LsInit init = { LS_INIT_XAVIER, 1 };
  g_autoptr(LsNetwork) five_inputs = ls_network_new (5);
  g_autofree char *dir = g_dir_make_tmp ("layerscope-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "five.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *message = NULL;
  gsize length;

  g_assert_true (ls_network_append_layer (five_inputs, ls_layer_new_dense (5, 2, LS_ACTIVATION_SOFTMAX, &init), &error));
  g_assert_no_error (error);
  data = ls_document_to_data (five_inputs, &length);
  g_assert_true (g_file_set_contents (path, data, length, NULL));

  g_assert_false (ls_main_window_compare_file (window, file, &error));
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE);
  message = g_strdup (error->message);
  wait_for_frames ();
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), message));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.keep-copy", NULL));
  wait_for_frames ();
  g_assert_false (label_with_text_exists (GTK_WIDGET (window), message));
  g_assert_nonnull (ls_compare_view_get_compared (find_widget (GTK_WIDGET (window), LS_TYPE_COMPARE_VIEW)));

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
  g_rmdir (dir);
}

/* Collects the input sliders of the window's input panel, [inputs]. */
static GPtrArray *
get_input_sliders (LsMainWindow *window)
{
  GPtrArray *scales = g_ptr_array_new ();
  GPtrArray *sliders = g_ptr_array_new ();

  collect_widgets (find_widget (GTK_WIDGET (window), LS_TYPE_INPUT_PANEL), GTK_TYPE_SCALE, scales);
  for (guint i = 0; i < scales->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (scales, i)))
      g_ptr_array_add (sliders, g_ptr_array_index (scales, i));
  g_ptr_array_unref (scales);

  return sliders;
}

/* With a training set the two input sliders of xor.json span the
 * decision map's plane, so that negative x can be reached too. The
 * window fits that plane to the samples' extent with a margin of a
 * tenth of it on each side. Without a plane, the sliders of
 * cat-or-dog.json run from −b to +b. */
static void
test_window_input_sliders_span_plane (void)
{
  g_autoptr(LsNetwork) xor = load_example ("xor.json");
  LsMainWindow *window = open_sized_window_with (xor, 1600, 900);
  LsTrainingPanel *panel = find_widget (GTK_WIDGET (window), LS_TYPE_TRAINING_PANEL);
  LsSamples *train = ls_training_controller_get_train_samples (ls_training_panel_get_controller (panel));
  g_autoptr(GPtrArray) sliders = get_input_sliders (window);
  g_autoptr(LsNetwork) cat_or_dog = load_example ("cat-or-dog.json");
  g_autoptr(GPtrArray) other_sliders = NULL;

  g_assert_nonnull (train);
  g_assert_cmpuint (sliders->len, ==, 2);
  for (gsize i = 0; i < 2; i++)
    {
      GtkAdjustment *adjustment = gtk_range_get_adjustment (g_ptr_array_index (sliders, i));
      float min, max;

      ls_samples_get_bounds (train, i, &min, &max);
      g_test_message ("input %zu: samples %g to %g, slider %g to %g", i, min, max,
                      gtk_adjustment_get_lower (adjustment), gtk_adjustment_get_upper (adjustment));
      g_assert_cmpfloat (min, <, 0.0);
      g_assert_cmpfloat (gtk_adjustment_get_lower (adjustment), <=, min - 0.1 * (max - min));
      g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >=, max + 0.1 * (max - min));
    }

  ls_main_window_set_network (window, cat_or_dog, NULL);
  wait_for_frames ();
  other_sliders = get_input_sliders (window);
  g_assert_cmpuint (other_sliders->len, ==, ls_network_get_input_size (cat_or_dog));
  for (guint i = 0; i < other_sliders->len; i++)
    {
      GtkAdjustment *adjustment = gtk_range_get_adjustment (g_ptr_array_index (other_sliders, i));

      g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >, 0.0);
      g_assert_cmpfloat (gtk_adjustment_get_lower (adjustment), ==, -gtk_adjustment_get_upper (adjustment));
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Returns a hidden button in the window for action_name, whose
 * sensitivity shows whether the action is enabled. */
static GtkWidget *
add_action_probe (LsMainWindow *window,
                  const char   *action_name)
{
  GtkWidget *probe = gtk_button_new ();

  gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), action_name);
  gtk_widget_set_visible (probe, FALSE);
  gtk_box_append (find_widget (GTK_WIDGET (window), GTK_TYPE_BOX), probe);

  return probe;
}

/* Zoom actions step by 1.25 about the centre between 1.0 and 8.0, and
 * "Fit Diagram" and "Zoom Out" are enabled only while zoomed in. */
static void
test_window_zoom_actions (void)
{
  LsMainWindow *window = open_window ();
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  GtkWidget *zoom_in = add_action_probe (window, "win.zoom-in");
  GtkWidget *zoom_out = add_action_probe (window, "win.zoom-out");
  GtkWidget *zoom_reset = add_action_probe (window, "win.zoom-reset");

  g_assert_cmpfloat (ls_diagram_view_get_zoom (diagram), ==, 1.0);
  g_assert_true (gtk_widget_get_sensitive (zoom_in));
  g_assert_false (gtk_widget_get_sensitive (zoom_out));
  g_assert_false (gtk_widget_get_sensitive (zoom_reset));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-in", NULL));
  g_assert_cmpfloat_with_epsilon (ls_diagram_view_get_zoom (diagram), 1.25, 1e-9);
  g_assert_true (gtk_widget_get_sensitive (zoom_out));
  g_assert_true (gtk_widget_get_sensitive (zoom_reset));

  /* 1.25^10 ≈ 9.3 passes 8.0, where zooming in stops */
  for (int i = 0; i < 9; i++)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-in", NULL);
  g_assert_cmpfloat_with_epsilon (ls_diagram_view_get_zoom (diagram), LS_DIAGRAM_VIEW_MAX_ZOOM, 1e-9);
  g_assert_false (gtk_widget_get_sensitive (zoom_in));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-out", NULL));
  g_assert_cmpfloat_with_epsilon (ls_diagram_view_get_zoom (diagram), LS_DIAGRAM_VIEW_MAX_ZOOM / 1.25, 1e-9);
  g_assert_true (gtk_widget_get_sensitive (zoom_in));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-reset", NULL));
  g_assert_cmpfloat (ls_diagram_view_get_zoom (diagram), ==, 1.0);
  g_assert_false (gtk_widget_get_sensitive (zoom_reset));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
click_diagram (LsDiagramView *diagram,
               double         x,
               double         y)
{
  GtkEventController *click = find_controller (GTK_WIDGET (diagram), GTK_TYPE_GESTURE_CLICK);

  g_signal_emit_by_name (click, "pressed", 1, x, y);
  g_signal_emit_by_name (click, "released", 1, x, y);
}

/* Returns a hidden neuron of cat-or-dog.json whose centre is inside the
 * diagram, and where it is. */
static gsize
find_visible_hidden_neuron (LsDiagramView *diagram,
                            double        *x,
                            double        *y)
{
  int width = gtk_widget_get_width (GTK_WIDGET (diagram));
  int height = gtk_widget_get_height (GTK_WIDGET (diagram));

  for (gsize unit = 0; unit < 4; unit++)
    if (ls_diagram_view_get_unit_position (diagram, 1, unit, x, y) &&
        *x > 0 && *x < width && *y > 0 && *y < height)
      return unit;

  g_assert_not_reached ();
}

/* With the diagram zoomed in and panned, a click selects the neuron drawn
 * under the pointer, not the one that was there at zoom 1. */
static void
test_window_zoom_click_selects (void)
{
  LsMainWindow *window = open_window ();
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  GtkEventController *scroll = find_controller (GTK_WIDGET (diagram), GTK_TYPE_EVENT_CONTROLLER_SCROLL);
  const LsSelection *selection;
  double x0, y0, x1, y1, x, y;
  gboolean handled = FALSE;
  gsize unit;

  g_assert_true (ls_diagram_view_get_unit_position (diagram, 1, 0, &x0, &y0));

  /* a wheel click without Ctrl at zoom 1 is left to the widgets around */
  g_signal_emit_by_name (scroll, "scroll", 0.0, 1.0, &handled);
  g_assert_false (handled);

  for (int i = 0; i < 3; i++)
    ls_diagram_view_zoom_in (diagram);
  wait_for_frames ();
  g_assert_true (ls_diagram_view_get_unit_position (diagram, 1, 0, &x1, &y1));

  /* the wheel now pans: one click down moves the drawing up */
  g_signal_emit_by_name (scroll, "scroll", 0.0, 1.0, &handled);
  g_assert_true (handled);
  g_assert_true (ls_diagram_view_get_unit_position (diagram, 1, 0, &x, &y));
  g_assert_cmpfloat_with_epsilon (x, x1, 1e-6);
  g_assert_cmpfloat (y, <, y1);
  wait_for_frames ();

  unit = find_visible_hidden_neuron (diagram, &x, &y);
  click_diagram (diagram, x, y);
  selection = ls_diagram_view_get_selection (diagram);
  g_assert_cmpint (selection->kind, ==, LS_SELECTION_NEURON);
  g_assert_cmpuint (selection->column, ==, 1);
  g_assert_cmpuint (selection->unit, ==, unit);

  /* where hidden neuron 1 was at zoom 1, the zoomed drawing shows
   * something else */
  click_diagram (diagram, x0, y0);
  selection = ls_diagram_view_get_selection (diagram);
  g_assert_false (selection->kind == LS_SELECTION_NEURON && selection->column == 1 && selection->unit == 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Returns the brightness, 0 to 765, of the pixel at (x, y) of
 * premultiplied B, G, R, A pixels drawn over white. */
static int
get_brightness (GBytes *pixels,
                int     width,
                int     x,
                int     y)
{
  const guchar *data = g_bytes_get_data (pixels, NULL);
  const guchar *pixel = data + ((gsize) y * width + x) * 4;

  return pixel[0] + pixel[1] + pixel[2] + 3 * (255 - pixel[3]);
}

/* The "Spotlight" action darkens the diagram's corners but not the spot
 * around the pointer, and toggles its state. */
static void
test_window_spotlight_toggle (void)
{
  LsMainWindow *window = open_window ();
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  GtkEventController *motion = find_controller (GTK_WIDGET (diagram), GTK_TYPE_EVENT_CONTROLLER_MOTION);
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) lit = NULL;
  gboolean spotlight = TRUE;
  int width, height;

  g_object_get (window, "spotlight", &spotlight, NULL);
  g_assert_false (spotlight);
  wait_for_frames ();
  plain = render_widget (GTK_WIDGET (diagram), &width, &height);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.spotlight", NULL));
  g_assert_true (ls_diagram_view_get_spotlight (diagram));
  g_object_get (window, "spotlight", &spotlight, NULL);
  g_assert_true (spotlight);
  g_signal_emit_by_name (motion, "motion", width / 2.0, height / 2.0);
  wait_for_frames ();
  lit = render_widget (GTK_WIDGET (diagram), &width, &height);

  g_assert_cmpint (get_brightness (lit, width, 2, 2), <, get_brightness (plain, width, 2, 2) - 100);
  g_assert_cmpint (get_brightness (lit, width, width - 3, height - 3), <,
                   get_brightness (plain, width, width - 3, height - 3) - 100);
  g_assert_cmpint (get_brightness (lit, width, width / 2, height / 2), ==,
                   get_brightness (plain, width, width / 2, height / 2));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.spotlight", NULL));
  g_assert_false (ls_diagram_view_get_spotlight (diagram));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Sends Tab or Shift+Tab to the diagram's key controller and returns
 * whether it handled the key. */
static gboolean
press_diagram_tab (LsDiagramView *diagram,
                   gboolean       shift)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (find_controller (GTK_WIDGET (diagram), GTK_TYPE_EVENT_CONTROLLER_KEY),
                         "key-pressed", shift ? GDK_KEY_ISO_Left_Tab : GDK_KEY_Tab, 0,
                         shift ? GDK_SHIFT_MASK : (GdkModifierType) 0, &handled);

  return handled;
}

static void
assert_selected (LsDiagramView *diagram,
                 gsize          column,
                 gsize          unit)
{
  const LsSelection *selection = ls_diagram_view_get_selection (diagram);

  g_assert_cmpint (selection->kind, ==, LS_SELECTION_NEURON);
  g_assert_cmpuint (selection->column, ==, column);
  g_assert_cmpuint (selection->unit, ==, unit);
}

/* Tab leaves the diagram by default. With tab-moves-selection it steps
 * through cat-or-dog.json's 3 inputs, 4 hidden neurons and 2 outputs,
 * wrapping at both ends. */
static void
test_window_tab_moves_selection (void)
{
  LsMainWindow *window = open_window ();
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  LsSelection input = { LS_SELECTION_NEURON, 0, 2 };

  ls_diagram_view_set_selection (diagram, &input);
  g_assert_false (press_diagram_tab (diagram, FALSE));
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (diagram)));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
  g_assert_false (gtk_widget_has_focus (GTK_WIDGET (diagram)));
  assert_selected (diagram, 0, 2);

  ls_diagram_view_set_tab_moves_selection (diagram, TRUE);
  g_assert_true (press_diagram_tab (diagram, FALSE));
  assert_selected (diagram, 1, 0);
  g_assert_true (press_diagram_tab (diagram, TRUE));
  assert_selected (diagram, 0, 2);

  for (int i = 0; i < 4 + 2; i++)
    g_assert_true (press_diagram_tab (diagram, FALSE));
  assert_selected (diagram, 2, 1);
  g_assert_true (press_diagram_tab (diagram, FALSE));
  assert_selected (diagram, 0, 0);
  g_assert_true (press_diagram_tab (diagram, TRUE));
  assert_selected (diagram, 2, 1);

  /* without a selection, Tab starts at the first input */
  ls_diagram_view_set_selection (diagram, NULL);
  g_assert_true (press_diagram_tab (diagram, FALSE));
  assert_selected (diagram, 0, 0);

  /* zoomed in 1.25^6 ≈ 3.8 times, the diagram pans to show each neuron
   * that the keys select */
  for (int i = 0; i < 6; i++)
    ls_diagram_view_zoom_in (diagram);
  for (int i = 0; i < 3 + 4 + 2; i++)
    {
      const LsSelection *selection;
      double x, y;

      g_assert_true (press_diagram_tab (diagram, FALSE));
      selection = ls_diagram_view_get_selection (diagram);
      g_assert_true (ls_diagram_view_get_unit_position (diagram, selection->column, selection->unit, &x, &y));
      g_assert_cmpfloat (x, >, 0.0);
      g_assert_cmpfloat (x, <, gtk_widget_get_width (GTK_WIDGET (diagram)));
      g_assert_cmpfloat (y, >, 0.0);
      g_assert_cmpfloat (y, <, gtk_widget_get_height (GTK_WIDGET (diagram)));
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A screen reader hears the diagram's name, and for the selected neuron
 * its layer, its index from 1 and its value, which follows the input.
 * h3 is 0.91 by the hand calculation in cat-or-dog.json's description. */
static void
test_window_diagram_accessible (void)
{
  LsMainWindow *window = open_window ();
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  LsNetwork *network = ls_diagram_view_get_network (diagram);
  LsSelection h3 = { LS_SELECTION_NEURON, 1, 2 };
  float input[3];  /* pixel 1 to pixel 3 */
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *expected = NULL;

  gtk_test_accessible_assert_property (diagram, GTK_ACCESSIBLE_PROPERTY_LABEL, "Network diagram");

  ls_diagram_view_set_selection (diagram, &h3);
  gtk_test_accessible_assert_property (diagram, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "hidden, layer 1 of 2, neuron 3 of 4. h3 (ReLU): 0.91");

  memcpy (input, ls_network_get_input (network), sizeof input);
  input[0] += 0.5f;
  g_assert_true (ls_network_set_input (network, input, G_N_ELEMENTS (input), &error));
  g_assert_no_error (error);
  value = ls_format_value (ls_network_get_layer (network, 0)->activation_output[2]);
  g_assert_cmpstr (value, !=, "0.91");
  expected = g_strdup_printf ("hidden, layer 1 of 2, neuron 3 of 4. h3 (ReLU): %s", value);
  gtk_test_accessible_assert_property (diagram, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, expected);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Returns the first label text under widget, or NULL. */
static const char *
find_label_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_label_get_text (GTK_LABEL (widget))[0] != '\0')
    return gtk_label_get_text (GTK_LABEL (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *text = find_label_text (child);

      if (text != NULL)
        return text;
    }

  return NULL;
}

static gboolean
has_tooltip (GtkWidget *widget)
{
  return gtk_widget_get_tooltip_text (widget) != NULL ||
         gtk_widget_get_tooltip_text (gtk_widget_get_parent (widget)) != NULL;
}

/* Returns whether widget, or one of the two widgets around it, has an
 * accessible label or a labelling widget. The two cover the entry of a
 * text field and the menu button or drop-down of a toggle button. */
static gboolean
has_accessible_label (GtkWidget *widget)
{
  for (int level = 0; level < 3 && widget != NULL; level++, widget = gtk_widget_get_parent (widget))
    if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
        gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
      return TRUE;

  return FALSE;
}

/* Returns whether a screen reader has a name for the focused widget. A
 * button with text is named by it. An icon-only button needs an
 * accessible label, because GTK 4.8 does not read its tooltip, and a
 * tooltip for sighted users. Any other control, such as a slider, a
 * text field or a drop-down, whose button shows the choice rather than
 * what it chooses, needs an accessible label. */
static gboolean
has_accessible_name (GtkWidget *focus)
{
  gboolean in_drop_down = GTK_IS_DROP_DOWN (gtk_widget_get_parent (focus));

  if (GTK_IS_BUTTON (focus) && !in_drop_down && find_label_text (focus) != NULL)
    return TRUE;

  if (GTK_IS_BUTTON (focus) && !in_drop_down && !has_tooltip (focus))
    return FALSE;

  return has_accessible_label (focus);
}

/* Tab reaches every control of the window in turn, the diagram among
 * them, without getting stuck, and comes back to the first one. Each
 * control has a name that a screen reader announces. */
static void
test_window_focus_chain_labelled (void)
{
  LsMainWindow *window = open_window ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  g_autoptr(GString) unnamed = g_string_new (NULL);
  GtkWidget *focus = NULL;
  GtkWidget *last;

  gtk_root_set_focus (GTK_ROOT (window), NULL);
  for (guint i = 0; i < 400; i++)
    {
      last = focus;
      g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
      focus = gtk_root_get_focus (GTK_ROOT (window));
      g_assert_nonnull (focus);
      g_assert_true (focus != last);
      if (g_ptr_array_find (seen, focus, NULL))
        break;

      g_ptr_array_add (seen, focus);
      if (!has_accessible_name (focus))
        g_string_append_printf (unnamed, " %s in %s (tooltip \"%s\", text \"%s\");", G_OBJECT_TYPE_NAME (focus),
                                G_OBJECT_TYPE_NAME (gtk_widget_get_parent (focus)),
                                gtk_widget_get_tooltip_text (focus), find_label_text (focus));
    }

  g_test_message ("%u controls in the Tab order", seen->len);
  g_assert_true (focus == g_ptr_array_index (seen, 0));
  g_assert_cmpuint (seen->len, >, 10);
  g_assert_true (g_ptr_array_find (seen, find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW), NULL));
  g_assert_cmpstr (unnamed->str, ==, "");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Ctrl+Space plays and pauses training, because F5 belongs to presenter
 * mode. The training panel's shortcut controller carries the key. */
static void
test_window_training_play_key (void)
{
  LsMainWindow *window = open_window ();
  GtkWidget *panel = find_widget (GTK_WIDGET (window), LS_TYPE_TRAINING_PANEL);
  GListModel *shortcuts = G_LIST_MODEL (find_controller (panel, GTK_TYPE_SHORTCUT_CONTROLLER));
  g_autoptr(GtkShortcut) shortcut = NULL;
  g_autofree char *trigger = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (shortcuts), ==, 1);
  shortcut = g_list_model_get_item (shortcuts, 0);
  trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
  g_assert_cmpstr (trigger, ==, "<Control>space");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Returns the key controller that presenter mode added to window, the
 * one that `before` (the window's controllers before) did not list. */
static GtkEventController *
find_new_key_controller (GtkWidget *window,
                         GPtrArray *before)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (window);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller) && !g_ptr_array_find (before, controller, NULL))
        return controller;
    }

  g_error ("presenter mode added no key controller");
}

static GPtrArray *
list_controllers (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  GPtrArray *list = g_ptr_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      g_ptr_array_add (list, controller);
    }

  return list;
}

static void
press_presenter_key (GtkEventController *controller,
                     guint               keyval)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (controller, "key-pressed", keyval, 0, (GdkModifierType) 0, &handled);
  g_assert_true (handled);
  wait_for_frames ();
}

static gboolean
get_presenter_mode (LsMainWindow *window)
{
  gboolean presenter_mode;

  g_object_get (window, "presenter-mode", &presenter_mode, NULL);

  return presenter_mode;
}

/* Checks that the diagram draws the fill of a neuron of value at full
 * colour somewhere, not dimmed, in the high-contrast palette that
 * presenter mode uses. */
static void
assert_value_shown (LsDiagramView *diagram,
                    double         value,
                    const char    *what)
{
  int width, height;
  g_autoptr(GBytes) pixels = render_widget (GTK_WIDGET (diagram), &width, &height);
  LsColor color;
  guint8 rgb[3];

  ls_palette_get_scale_color (value, TRUE, &color);
  rgb[0] = (guint8) round (255.0 * color.red);
  rgb[1] = (guint8) round (255.0 * color.green);
  rgb[2] = (guint8) round (255.0 * color.blue);
  /* A neuron's fill takes thousands of pixels, and the antialiased
   * edges of other parts about 60 pixels. */
  if (count_color_pixels (pixels, rgb) < 500)
    g_error ("The diagram draws %s dimmed or not at all", what);
}

/* F5's action hides the header bar and both panes and shows the step
 * strip. Right computes the hidden layer and selects h3, the largest
 * (0.91, see test-presenter.c for the hand calculation), Tab moves on
 * and s turns the spotlight on. Escape puts the panes back and turns
 * the spotlight off again. */
static void
test_window_presenter_mode (void)
{
  LsMainWindow *window = open_window ();
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  GtkWidget *header_bar = find_widget (GTK_WIDGET (window), ADW_TYPE_HEADER_BAR);
  GtkWidget *input_panel = find_widget (GTK_WIDGET (window), LS_TYPE_INPUT_PANEL);
  GtkWidget *inspector = find_widget (GTK_WIDGET (window), LS_TYPE_INSPECTOR);
  g_autoptr(GPtrArray) before = list_controllers (GTK_WIDGET (window));
  GtkEventController *keys;
  const LsSelection *selection;

  g_assert_true (gtk_widget_get_mapped (input_panel));
  g_assert_true (gtk_widget_get_mapped (inspector));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.presenter", NULL));
  wait_for_frames ();

  g_assert_true (get_presenter_mode (window));
  g_assert_false (gtk_widget_get_visible (header_bar));
  g_assert_false (gtk_widget_get_mapped (input_panel));
  g_assert_false (gtk_widget_get_mapped (inspector));
  g_assert_true (gtk_widget_get_mapped (find_widget (GTK_WIDGET (window), LS_TYPE_PRESENTER_STRIP)));
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "Step 1 of 3: input"));

  keys = find_new_key_controller (GTK_WIDGET (window), before);
  press_presenter_key (keys, GDK_KEY_Right);
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "Step 2 of 3: hidden"));
  g_assert_true (label_with_text_exists (GTK_WIDGET (window),
                                         "h3 = ReLU(0.5×0.70 + 0.8×0.60 + 0.2×0.20 + 0.04) = ReLU(0.91) = 0.91"));
  selection = ls_diagram_view_get_selection (diagram);
  g_assert_cmpuint (selection->column, ==, 1);
  g_assert_cmpuint (selection->unit, ==, 2);
  assert_value_shown (diagram, 0.62, "h1 beside the selected h3");

  /* Tab moves on to h4, whose formula follows. */
  press_presenter_key (keys, GDK_KEY_Tab);
  selection = ls_diagram_view_get_selection (diagram);
  g_assert_cmpuint (selection->column, ==, 1);
  g_assert_cmpuint (selection->unit, ==, 3);
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "h4 = ReLU("));

  press_presenter_key (keys, GDK_KEY_s);
  g_assert_true (ls_diagram_view_get_spotlight (diagram));

  press_presenter_key (keys, GDK_KEY_Escape);
  g_assert_false (get_presenter_mode (window));
  g_assert_false (ls_diagram_view_get_spotlight (diagram));
  g_assert_true (gtk_widget_get_visible (header_bar));
  g_assert_true (gtk_widget_get_mapped (input_panel));
  g_assert_true (gtk_widget_get_mapped (inspector));
  g_assert_false (label_with_text_exists (GTK_WIDGET (window), "Step 2 of 3"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Adds the mnemonic letters of model's items to letters, descending
 * into sections, which share their menu's level, and checks each
 * submenu as a level of its own. Fails on a letter used twice. */
static void
collect_menu_mnemonics (GMenuModel *model,
                        GHashTable *letters)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      g_autoptr(GMenuModel) submenu = g_menu_model_get_item_link (model, i, G_MENU_LINK_SUBMENU);
      g_autofree char *label = NULL;
      const char *underscore;

      if (section != NULL)
        collect_menu_mnemonics (section, letters);
      if (submenu != NULL)
        {
          g_autoptr(GHashTable) sub_letters = g_hash_table_new (NULL, NULL);

          collect_menu_mnemonics (submenu, sub_letters);
        }
      if (!g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        continue;

      underscore = strchr (label, '_');
      if (underscore == NULL || underscore[1] == '\0')
        continue;
      if (g_hash_table_contains (letters, GUINT_TO_POINTER (g_unichar_tolower (underscore[1]))))
        g_error ("The mnemonic of “%s” is used twice in its menu", label);
      g_hash_table_add (letters, GUINT_TO_POINTER (g_unichar_tolower (underscore[1])));
    }
}

/* The primary menu gives each item of a level its own mnemonic, and
 * its popover is less than 540 pixels tall, so it fits a 1280 × 720
 * screen under the header bar with room to spare. */
static void
test_window_primary_menu_fits (void)
{
  LsMainWindow *window = open_window ();
  GtkWidget *header_bar = find_widget (GTK_WIDGET (window), ADW_TYPE_HEADER_BAR);
  g_autoptr(GPtrArray) menus = g_ptr_array_new ();
  g_autoptr(GHashTable) letters = g_hash_table_new (NULL, NULL);
  GtkMenuButton *primary = NULL;
  int height;

  collect_widgets (header_bar, GTK_TYPE_MENU_BUTTON, menus);
  for (guint i = 0; i < menus->len; i++)
    if (g_strcmp0 (gtk_menu_button_get_icon_name (menus->pdata[i]), "open-menu-symbolic") == 0)
      primary = menus->pdata[i];
  g_assert_nonnull (primary);
  g_assert_nonnull (gtk_menu_button_get_menu_model (primary));

  collect_menu_mnemonics (gtk_menu_button_get_menu_model (primary), letters);
  gtk_menu_button_popup (primary);
  wait_for_frames ();
  gtk_widget_measure (GTK_WIDGET (gtk_menu_button_get_popover (primary)), GTK_ORIENTATION_VERTICAL, -1, NULL,
                      &height, NULL, NULL);
  g_assert_cmpint (height, <, 540);
  gtk_menu_button_popdown (primary);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Returns the bars view that presenter mode shows beside the diagram. */
static LsBarsView *
find_presenter_bars (LsMainWindow *window)
{
  g_autoptr(GPtrArray) bars = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (window), LS_TYPE_BARS_VIEW, bars);
  for (guint i = 0; i < bars->len; i++)
    if (ls_presenter_ui_get_applied_scale (bars->pdata[i]) > 0.0)
      return bars->pdata[i];

  g_error ("presenter mode shows no bars");
}

/* At the largest presenter text scale, 3.0, the text is capped for the
 * window's size (1600 × 900 here: 900 / 540 = 1.67), the bars take at
 * most a quarter of the width and show all ten classes of digits-cnn
 * without scrolling, and the strip at most 30 % of the height. A change
 * of the setting applies while presenting. */
static void
test_window_presenter_fit (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(LsNetwork) network = load_example ("digits-cnn.json");
  LsMainWindow *window;
  LsBarsView *bars;
  GtkWidget *scroller, *strip;
  GtkAdjustment *vadjustment;
  double scale;
  int width, height;

  if (settings == NULL)
    {
      g_test_skip ("settings schema not installed, so the presenter scale cannot be set");
      return;
    }

  g_settings_set_double (settings, "presenter-scale", 3.0);
  window = open_window_with (network);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.presenter", NULL));
  wait_for_frames ();
  wait_for_frames ();

  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  bars = find_presenter_bars (window);
  scale = ls_presenter_ui_get_applied_scale (bars);
  g_assert_cmpfloat (scale, <=, MIN (height / 540.0, width / 960.0) + 1e-9);
  g_assert_cmpfloat (scale, >, 1.0);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (bars)), <=, width / 4);

  scroller = gtk_widget_get_ancestor (GTK_WIDGET (bars), GTK_TYPE_SCROLLED_WINDOW);
  vadjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadjustment), <=, gtk_adjustment_get_page_size (vadjustment) + 1.0);

  strip = find_widget (GTK_WIDGET (window), LS_TYPE_PRESENTER_STRIP);
  g_assert_cmpint (gtk_widget_get_height (strip), <=, 0.3 * height);

  g_settings_set_double (settings, "presenter-scale", 1.0);
  wait_for_frames ();
  g_assert_cmpfloat (ls_presenter_ui_get_applied_scale (bars), ==, 1.0);
  g_object_get (find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW), "font-scale", &scale, NULL);
  g_assert_cmpfloat (scale, ==, 1.0);

  g_settings_reset (settings, "presenter-scale");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* While presenting, an undo keeps the step, opening a network of other
 * columns keeps the step where it can without a critical, the
 * description stays hidden, and F1's lessons are off. */
static void
test_window_presenter_keeps_state (void)
{
  LsMainWindow *window = open_window ();
  g_autoptr(GPtrArray) before = list_controllers (GTK_WIDGET (window));
  g_autoptr(LsNetwork) digits = load_example ("digits-cnn.json");
  g_autoptr(LsNetwork) xor = g_object_ref (ls_main_window_get_network (window));
  GtkEventController *keys;
  GtkWidget *description;

  g_assert_true (ls_network_set_weight (ls_main_window_get_network (window), 1, 2, 0, 2.5f, NULL));
  wait_for_frames ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.presenter", NULL));
  wait_for_frames ();
  keys = find_new_key_controller (GTK_WIDGET (window), before);
  press_presenter_key (keys, GDK_KEY_Right);
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "Step 2 of 3: hidden"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  wait_for_frames ();
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "Step 2 of 3: hidden"));

  press_presenter_key (keys, GDK_KEY_End);
  ls_main_window_set_network (window, digits, NULL);
  wait_for_frames ();
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "Step 3 of 7"));
  description = GTK_WIDGET (find_label_with_text (GTK_WIDGET (window), ls_network_get_description (digits)));
  g_assert_false (gtk_widget_get_visible (description));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.lessons", NULL);
  wait_for_frames ();
  g_assert_false (gtk_widget_get_mapped (find_widget (GTK_WIDGET (window), LS_TYPE_LESSON_PANEL)));

  /* From the last of digits-cnn's 7 steps, a network of 3 steps shows
   * its last. */
  press_presenter_key (keys, GDK_KEY_End);
  ls_main_window_set_network (window, xor, NULL);
  wait_for_frames ();
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "Step 3 of 3"));

  press_presenter_key (keys, GDK_KEY_Escape);
  g_assert_true (gtk_widget_get_visible (description));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Zoomed in 1.25^6 ≈ 3.8 times, each step of presenter mode pans the
 * diagram to the neuron that it selects: to the hidden layer, the
 * output and back to the input. */
static void
test_window_presenter_step_pans (void)
{
  LsMainWindow *window = open_window ();
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  g_autoptr(GPtrArray) before = list_controllers (GTK_WIDGET (window));
  GtkEventController *keys;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.presenter", NULL));
  wait_for_frames ();
  keys = find_new_key_controller (GTK_WIDGET (window), before);
  for (int i = 0; i < 6; i++)
    ls_diagram_view_zoom_in (diagram);
  wait_for_frames ();

  for (guint i = 0; i < 3; i++)
    {
      const guint step_keys[3] = { GDK_KEY_Right, GDK_KEY_Right, GDK_KEY_Home };
      const gsize columns[3] = { 1, 2, 0 };
      const LsSelection *selection;
      double x, y;

      press_presenter_key (keys, step_keys[i]);
      selection = ls_diagram_view_get_selection (diagram);
      g_assert_cmpuint (selection->column, ==, columns[i]);
      g_assert_true (ls_diagram_view_get_unit_position (diagram, selection->column, selection->unit, &x, &y));
      g_assert_cmpfloat (x, >, 0.0);
      g_assert_cmpfloat (x, <, gtk_widget_get_width (GTK_WIDGET (diagram)));
      g_assert_cmpfloat (y, >, 0.0);
      g_assert_cmpfloat (y, <, gtk_widget_get_height (GTK_WIDGET (diagram)));
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static LsPresenterWindow *
find_presenter_window (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (LS_IS_PRESENTER_WINDOW (l->data))
      return l->data;

  return NULL;
}

/* The presenter window follows the same walk-through as the main window,
 * which keeps its controls and shows the step as notes. Closing either
 * window ends presenter mode in the other. */
static void
test_window_presenter_window (void)
{
  LsMainWindow *window = open_window ();
  GtkWidget *header_bar = find_widget (GTK_WIDGET (window), ADW_TYPE_HEADER_BAR);
  LsPresenterWindow *presenter_window;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.presenter-window", NULL));
  presenter_window = find_presenter_window ();
  g_assert_nonnull (presenter_window);
  wait_for_drawn (find_widget (GTK_WIDGET (presenter_window), LS_TYPE_DIAGRAM_VIEW));

  g_assert_true (get_presenter_mode (window));
  g_assert_true (gtk_widget_get_visible (header_bar));
  g_assert_true (gtk_widget_get_mapped (find_widget (GTK_WIDGET (window), LS_TYPE_INPUT_PANEL)));
  press_presenter_key (find_controller (GTK_WIDGET (presenter_window), GTK_TYPE_EVENT_CONTROLLER_KEY),
                       GDK_KEY_End);
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "Step 3 of 3: output"));
  g_assert_true (label_with_text_exists (GTK_WIDGET (presenter_window), "Step 3 of 3: output"));

  gtk_window_close (GTK_WINDOW (presenter_window));
  wait_for_frames ();
  g_assert_null (find_presenter_window ());
  g_assert_false (get_presenter_mode (window));
  g_assert_false (label_with_text_exists (GTK_WIDGET (window), "Step 3 of 3"));

  /* Closing the main window closes the presenter window too. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.presenter-window", NULL));
  g_assert_nonnull (find_presenter_window ());
  gtk_window_destroy (GTK_WINDOW (window));
  wait_for_frames ();
  g_assert_null (find_presenter_window ());
}

/* Documents: undo, recent files, drag and drop, crash recovery -------- */

static gboolean
button_is_sensitive (LsMainWindow *window,
                     const char   *tooltip)
{
  return gtk_widget_is_sensitive (find_button (GTK_WIDGET (window), NULL, tooltip));
}

#define UNDO_TOOLTIP "Undo the last edit (Ctrl+Z)"
#define REDO_TOOLTIP "Redo the edit that was undone (Ctrl+Shift+Z)"

static float
get_output_weight (LsMainWindow *window)
{
  return ls_layer_get_weight (ls_network_get_layer (ls_main_window_get_network (window), 1), 2, 0);
}

/* Returns the open AdwMessageDialog, or NULL. */
static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel))
        return ADW_MESSAGE_DIALOG (toplevel);
    }

  return NULL;
}

/* Copies the example to a new temporary file, so that Save cannot write
 * over the installed one. */
static GFile *
copy_example_to_temp (char **directory)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) example = ls_paths_find_example ("cat-or-dog.json", &error);
  g_autofree char *path = NULL;
  GFile *copy;

  g_assert_no_error (error);
  *directory = g_dir_make_tmp ("layerscope-documents-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (*directory, "cat.json", NULL);
  copy = g_file_new_for_path (path);
  g_assert_true (g_file_copy (example, copy, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  return copy;
}

static void
delete_temp_copy (GFile *file,
                  char  *directory)
{
  g_file_delete (file, NULL, NULL);
  g_rmdir (directory);
}

/* An edit is undone and redone by the window's actions, the buttons
 * follow, and Undo back to the opened document leaves nothing unsaved.
 * cat-or-dog.json's weight from hidden unit 3 to Cat is 1.1. */
static void
test_window_undo_redo (void)
{
  LsMainWindow *window = open_window ();

  g_assert_false (button_is_sensitive (window, UNDO_TOOLTIP));
  g_assert_false (button_is_sensitive (window, REDO_TOOLTIP));

  g_assert_true (ls_network_set_weight (ls_main_window_get_network (window), 1, 2, 0, 2.5f, NULL));
  wait_for_frames ();
  g_assert_true (ls_main_window_get_modified (window));
  g_assert_true (button_is_sensitive (window, UNDO_TOOLTIP));
  g_assert_false (button_is_sensitive (window, REDO_TOOLTIP));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  wait_for_frames ();
  g_assert_cmpfloat (get_output_weight (window), ==, 1.1f);
  g_assert_false (ls_main_window_get_modified (window));
  g_assert_false (button_is_sensitive (window, UNDO_TOOLTIP));
  g_assert_true (button_is_sensitive (window, REDO_TOOLTIP));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL));
  wait_for_frames ();
  g_assert_cmpfloat (get_output_weight (window), ==, 2.5f);
  g_assert_true (ls_main_window_get_modified (window));
  g_assert_false (button_is_sensitive (window, REDO_TOOLTIP));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Edits of the same kind in quick succession, as during a drag, are
 * one undo step, and a change of the title is a step of its own. */
static void
test_window_undo_coalesces (void)
{
  LsMainWindow *window = open_window ();
  LsNetwork *network = ls_main_window_get_network (window);

  for (int i = 1; i <= 5; i++)
    {
      g_assert_true (ls_network_set_weight (network, 1, 2, 0, 1.1f + 0.1f * i, NULL));
      dispatch_pending ();
    }
  ls_network_set_title (network, "Renamed");
  dispatch_pending ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_cmpstr (ls_network_get_title (ls_main_window_get_network (window)), !=, "Renamed");
  g_assert_cmpfloat_with_epsilon (get_output_weight (window), 1.6f, 1e-6);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_cmpfloat (get_output_weight (window), ==, 1.1f);
  g_assert_false (button_is_sensitive (window, UNDO_TOOLTIP));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Two changes 100 ms apart are one undo step even when the second is
 * recorded 800 ms after the first, as on a busy machine whose redraw
 * delays the record. The sleep takes the place of that redraw. */
static void
test_window_undo_coalesces_slow_redraw (void)
{
  LsMainWindow *window = open_window ();
  LsNetwork *network = ls_main_window_get_network (window);

  g_assert_true (ls_network_set_weight (network, 1, 2, 0, 1.5f, NULL));
  dispatch_pending ();
  g_usleep (100 * G_TIME_SPAN_MILLISECOND);
  g_assert_true (ls_network_set_weight (network, 1, 2, 0, 1.9f, NULL));
  g_usleep (700 * G_TIME_SPAN_MILLISECOND);
  dispatch_pending ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_cmpfloat (get_output_weight (window), ==, 1.1f);
  g_assert_false (button_is_sensitive (window, UNDO_TOOLTIP));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Ctrl+Z in the phrase field goes to the document's undo alone: once
 * the document has nothing left to undo, the field's own undo must not
 * change its text or record an edit that drops Redo. */
static void
test_window_text_field_undo_is_document_undo (void)
{
  g_autoptr(LsNetwork) network = new_text_network ();
  LsMainWindow *window = open_window_with (network);
  GtkWidget *entry = find_text_entry (GTK_WIDGET (window));
  GtkWidget *text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (entry)));

  g_assert_true (gtk_widget_grab_focus (entry));
  gtk_editable_set_position (GTK_EDITABLE (entry), -1);
  g_signal_emit_by_name (text, "insert-at-cursor", " x");
  wait_for_frames ();
  g_assert_cmpstr (ls_network_get_text (network), ==, "the movie was good x");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  wait_for_frames ();
  entry = find_text_entry (GTK_WIDGET (window));
  text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (entry)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "the movie was good");

  for (int i = 0; i < 2; i++)
    {
      gtk_widget_activate_action (text, "text.undo", NULL);
      wait_for_frames ();
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "the movie was good");
      g_assert_cmpstr (ls_network_get_text (ls_main_window_get_network (window)), ==, "the movie was good");
      g_assert_true (button_is_sensitive (window, REDO_TOOLTIP));
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A training run, however many weight copies it makes, is one undo
 * step, which gives back the weights from before the run. */
static void
test_window_undo_training_run (void)
{
  g_autoptr(LsNetwork) network = load_example ("xor.json");
  LsMainWindow *window = open_window_with (network);
  LsTrainingPanel *panel = find_widget (GTK_WIDGET (window), LS_TYPE_TRAINING_PANEL);
  LsTrainingController *controller = ls_training_panel_get_controller (panel);
  float before = ls_layer_get_weight (ls_network_get_layer (network, 0), 0, 0);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_assert_true (ls_training_controller_play (controller, NULL));
  while (g_get_monotonic_time () < deadline && ls_training_controller_get_step (controller) < 50)
    g_main_context_iteration (NULL, TRUE);
  ls_training_controller_pause (controller);
  wait_for_frames ();
  g_assert_cmpfloat (ls_layer_get_weight (ls_network_get_layer (network, 0), 0, 0), !=, before);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  wait_for_frames ();
  g_assert_cmpfloat (ls_layer_get_weight (ls_network_get_layer (ls_main_window_get_network (window), 0), 0, 0),
                     ==, before);
  g_assert_false (button_is_sensitive (window, UNDO_TOOLTIP));
  g_assert_false (ls_main_window_get_modified (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Save marks the state on disk, so Undo from there leaves the document
 * modified and Redo back to it does not. The file joins the recent
 * files under Layerscope's name. */
static void
test_window_save_then_undo (void)
{
  g_autofree char *directory = NULL;
  g_autoptr(GFile) file = copy_example_to_temp (&directory);
  g_autofree char *uri = g_file_get_uri (file);
  LsMainWindow *window = open_window ();
  g_autoptr(GtkRecentInfo) info = NULL;

  g_assert_true (ls_main_window_open_file (window, file, NULL));
  g_assert_true (ls_network_set_weight (ls_main_window_get_network (window), 1, 2, 0, 3.0f, NULL));
  wait_for_frames ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL));
  wait_for_frames ();
  g_assert_false (ls_main_window_get_modified (window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_true (ls_main_window_get_modified (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL));
  g_assert_false (ls_main_window_get_modified (window));
  g_assert_cmpfloat (get_output_weight (window), ==, 3.0f);

  info = gtk_recent_manager_lookup_item (gtk_recent_manager_get_default (), uri, NULL);
  g_assert_nonnull (info);
  g_assert_true (gtk_recent_info_has_application (info, "Layerscope"));

  gtk_window_destroy (GTK_WINDOW (window));
  delete_temp_copy (file, directory);
}

/* A recent file that is gone gives an error that names it, and leaves
 * the list. */
static void
test_window_recent_missing (void)
{
  LsMainWindow *window = open_window ();
  GtkRecentManager *manager = gtk_recent_manager_get_default ();
  g_autofree char *directory = NULL;
  g_autoptr(GFile) file = copy_example_to_temp (&directory);
  g_autofree char *uri = g_file_get_uri (file);

  g_assert_true (ls_main_window_open_file (window, file, NULL));
  delete_temp_copy (file, directory);
  g_assert_true (gtk_recent_manager_has_item (manager, uri));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-recent", "s", uri));
  wait_for_frames ();
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "cat.json” was not found"));
  g_assert_false (gtk_recent_manager_has_item (manager, uri));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
emit_drop (LsMainWindow *window,
           GType         type,
           gpointer      data)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  g_value_init (&value, type);
  if (type == G_TYPE_STRING)
    g_value_set_string (&value, data);
  else
    g_value_take_boxed (&value, data);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        {
          g_signal_emit_by_name (controller, "drop", &value, 10.0, 10.0, &accepted);
          return accepted;
        }
    }

  g_error ("The window has no drop target");
}

/* A dropped network file opens after the question about unsaved
 * changes; a dropped image or text is rejected with a message that
 * names it. */
static void
test_window_drop (void)
{
  LsMainWindow *window = open_window ();
  g_autofree char *directory = NULL;
  g_autoptr(GFile) file = copy_example_to_temp (&directory);
  g_autoptr(GFile) image = g_file_new_for_path ("/nonexistent/photo.png");
  GSList one_image = { image, NULL };
  GSList one_file = { file, NULL };
  AdwMessageDialog *dialog;

  g_assert_false (emit_drop (window, GDK_TYPE_FILE_LIST, gdk_file_list_new_from_list (&one_image)));
  wait_for_frames ();
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "“photo.png” is not a Layerscope network"));
  g_assert_false (emit_drop (window, G_TYPE_STRING, (gpointer) "hello"));
  wait_for_frames ();
  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "The dropped text is not a network"));

  g_assert_true (ls_network_set_weight (ls_main_window_get_network (window), 1, 2, 0, 3.0f, NULL));
  g_assert_true (emit_drop (window, GDK_TYPE_FILE_LIST, gdk_file_list_new_from_list (&one_file)));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpfloat (get_output_weight (window), ==, 3.0f);
  adw_message_dialog_response (dialog, "discard");
  wait_for_frames ();
  g_assert_false (ls_main_window_get_modified (window));
  g_assert_cmpfloat (get_output_weight (window), ==, 1.1f);

  gtk_window_destroy (GTK_WINDOW (window));
  delete_temp_copy (file, directory);
}

/* Opening an example over unsaved changes shows the Save Changes dialog
 * first, and Cancel keeps the changes. */
static void
test_window_open_example_asks (void)
{
  LsMainWindow *window = open_window ();
  AdwMessageDialog *dialog;

  g_assert_true (ls_network_set_weight (ls_main_window_get_network (window), 1, 2, 0, 3.0f, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-example", "s", "xor.json"));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  /* The network without a file goes by its title, as in the header bar. */
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "“Cat or dog?”"));
  adw_message_dialog_response (dialog, "cancel");
  wait_for_frames ();
  g_assert_true (ls_main_window_get_modified (window));
  g_assert_cmpfloat (get_output_weight (window), ==, 3.0f);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Deletes autosaves that earlier tests left by destroying windows with
 * unsaved changes. */
static void
delete_stale_autosaves (void)
{
  g_autoptr(GPtrArray) entries = ls_autosave_find_stale (NULL, NULL);

  for (guint i = 0; i < entries->len; i++)
    g_assert_true (ls_autosave_entry_delete (g_ptr_array_index (entries, i), NULL));
}

static void
click_in_dialog (GtkWindow  *dialog,
                 const char *label)
{
  g_signal_emit_by_name (find_button (GTK_WIDGET (dialog), label, NULL), "clicked");
  wait_for_frames ();
}

/* An edit survives a window that goes without the close path, as in a
 * crash: the next start offers it, and Recover shows it as unsaved with
 * its file, so that Save writes there. */
static void
test_window_crash_recovery (void)
{
  g_autofree char *directory = NULL;
  g_autoptr(GFile) file = copy_example_to_temp (&directory);
  LsMainWindow *window = open_window ();
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(LsNetwork) saved = NULL;
  GtkWindow *dialog;

  delete_stale_autosaves ();
  g_assert_true (ls_main_window_open_file (window, file, NULL));
  g_assert_null (ls_recovery_offer (window));
  g_assert_true (ls_network_set_weight (ls_main_window_get_network (window), 1, 2, 0, 4.0f, NULL));
  wait_for_frames ();
  gtk_window_destroy (GTK_WINDOW (window));

  window = open_window ();
  dialog = ls_recovery_offer (window);
  g_assert_nonnull (dialog);
  g_assert_true (label_with_text_exists (GTK_WIDGET (dialog), "cat.json"));
  click_in_dialog (dialog, "_Recover");

  g_assert_cmpfloat (get_output_weight (window), ==, 4.0f);
  g_assert_true (ls_main_window_get_modified (window));
  g_assert_true (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (window)), "*cat.json"));
  left = ls_autosave_find_stale (NULL, NULL);
  g_assert_cmpuint (left->len, ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL));
  g_assert_false (ls_main_window_get_modified (window));
  saved = ls_document_load_file (file, NULL);
  g_assert_nonnull (saved);
  g_assert_cmpfloat (ls_layer_get_weight (ls_network_get_layer (saved, 1), 2, 0), ==, 4.0f);

  gtk_window_destroy (GTK_WINDOW (window));
  delete_temp_copy (file, directory);
}

/* Leaves an autosave of cat.json with the output weight 4.0, as a crash
 * would, and returns its entry. */
static LsAutosaveEntry *
leave_autosave (GFile *file)
{
  LsMainWindow *window = open_window ();
  g_autoptr(GPtrArray) entries = NULL;

  delete_stale_autosaves ();
  g_assert_true (ls_main_window_open_file (window, file, NULL));
  g_assert_true (ls_network_set_weight (ls_main_window_get_network (window), 1, 2, 0, 4.0f, NULL));
  wait_for_frames ();
  gtk_window_destroy (GTK_WINDOW (window));

  entries = ls_autosave_find_stale (NULL, NULL);
  g_assert_cmpuint (entries->len, ==, 1);
  g_ptr_array_set_free_func (entries, NULL);

  return g_ptr_array_index (entries, 0);
}

/* A damaged autosave gives an error that names its full path, so that
 * the user can find it, and the row still names the original file. */
static void
test_window_recovery_damaged_copy (void)
{
  g_autofree char *directory = NULL;
  g_autoptr(GFile) file = copy_example_to_temp (&directory);
  g_autoptr(LsAutosaveEntry) entry = leave_autosave (file);
  g_autofree char *basename = g_strconcat (entry->id, ".json", NULL);
  g_autofree char *copy_path = g_build_filename (entry->directory, basename, NULL);
  g_autofree char *original_path = g_file_get_path (file);
  LsMainWindow *window = open_window ();
  GtkWindow *dialog;

  g_assert_true (g_file_set_contents (copy_path, "{\"format\": \"layerscope\", \"lay", -1, NULL));
  dialog = ls_recovery_offer (window);
  g_assert_nonnull (dialog);
  click_in_dialog (dialog, "_Recover");

  g_assert_true (label_with_text_exists (GTK_WIDGET (dialog), copy_path));
  g_assert_true (label_with_text_exists (GTK_WIDGET (dialog), original_path));
  g_assert_cmpfloat (get_output_weight (window), ==, 1.1f);

  gtk_window_destroy (dialog);
  g_assert_true (ls_autosave_entry_delete (entry, NULL));
  gtk_window_destroy (GTK_WINDOW (window));
  delete_temp_copy (file, directory);
}

/* Recover leaves a window that shows a file alone and opens the
 * recovered document in a new window. */
static void
test_window_recovery_keeps_open_file (void)
{
  g_autofree char *directory = NULL;
  g_autoptr(GFile) file = copy_example_to_temp (&directory);
  g_autoptr(LsAutosaveEntry) entry = leave_autosave (file);
  g_autoptr(GFile) other = ls_paths_find_example ("xor.json", NULL);
  LsMainWindow *window = open_window ();
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GPtrArray) left = NULL;
  guint n_before;
  GtkWindow *dialog;

  g_assert_true (ls_main_window_open_file (window, other, NULL));
  dialog = ls_recovery_offer (window);
  g_assert_nonnull (dialog);
  n_before = g_list_model_get_n_items (toplevels);
  click_in_dialog (dialog, "_Recover");

  g_assert_true (g_file_equal (ls_main_window_get_file (window), other));
  g_assert_false (ls_main_window_get_modified (window));
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, n_before);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (LS_IS_MAIN_WINDOW (toplevel) && LS_MAIN_WINDOW (toplevel) != window)
        {
          LsNetwork *recovered = ls_main_window_get_network (LS_MAIN_WINDOW (toplevel));

          g_assert_cmpfloat (ls_layer_get_weight (ls_network_get_layer (recovered, 1), 2, 0), ==, 4.0f);
          left = ls_autosave_find_stale (NULL, NULL);
          g_assert_cmpuint (left->len, ==, 0);
          gtk_window_destroy (GTK_WINDOW (toplevel));
          break;
        }
    }
  g_assert_nonnull (left);
  delete_stale_autosaves ();

  gtk_window_destroy (GTK_WINDOW (window));
  delete_temp_copy (file, directory);
}

/* Discard deletes the autosave, and closing the offer keeps it for the
 * next start. */
static void
test_window_recovery_discard (void)
{
  LsMainWindow *window = open_window ();
  g_autoptr(GPtrArray) after_close = NULL;
  g_autoptr(GPtrArray) left = NULL;
  GtkWindow *dialog;

  delete_stale_autosaves ();
  g_assert_true (ls_network_set_weight (ls_main_window_get_network (window), 1, 2, 0, 4.0f, NULL));
  wait_for_frames ();
  gtk_window_destroy (GTK_WINDOW (window));

  window = open_window ();
  dialog = ls_recovery_offer (window);
  g_assert_nonnull (dialog);
  gtk_window_close (dialog);
  wait_for_frames ();
  after_close = ls_autosave_find_stale (NULL, NULL);
  g_assert_cmpuint (after_close->len, ==, 1);

  dialog = ls_recovery_offer (window);
  click_in_dialog (dialog, "_Discard");
  left = ls_autosave_find_stale (NULL, NULL);
  g_assert_cmpuint (left->len, ==, 0);
  g_assert_cmpfloat (get_output_weight (window), ==, 1.1f);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A window closed through the close path, here after Discard, leaves no
 * autosave. */
static void
test_window_close_deletes_autosave (void)
{
  LsMainWindow *window = open_window ();
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  g_autoptr(GPtrArray) left = NULL;

  delete_stale_autosaves ();
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_assert_true (ls_network_set_weight (ls_main_window_get_network (window), 1, 2, 0, 4.0f, NULL));
  wait_for_frames ();
  gtk_window_close (GTK_WINDOW (window));
  adw_message_dialog_response (find_message_dialog (), "discard");
  while (window != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (window);

  left = ls_autosave_find_stale (NULL, NULL);
  g_assert_cmpuint (left->len, ==, 0);
}

/* Returns the "Show Code" window that is open, or NULL. */
static LsCodeDialog *
find_code_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  LsCodeDialog *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (LS_IS_CODE_DIALOG (toplevel))
        {
          g_assert_null (found);
          found = LS_CODE_DIALOG (toplevel);
        }
    }

  return found;
}

/* win.show-code opens one window with both scripts of the current
 * network, which follow an edit of a weight and the next document, and
 * show the error instead of a script that would be too big. */
static void
test_window_show_code (void)
{
  LsMainWindow *window = open_window ();
  LsNetwork *network = ls_main_window_get_network (window);
  g_autoptr(LsNetwork) big = ls_network_new (1024);
  LsCodeDialog *dialog;
  gint64 deadline;

  g_assert_null (find_code_dialog ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-code", NULL));
  wait_for_frames ();
  dialog = find_code_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_nonnull (strstr (ls_code_dialog_get_script (dialog, LS_CODE_NUMPY), "import numpy as np"));
  g_assert_nonnull (strstr (ls_code_dialog_get_script (dialog, LS_CODE_PYTORCH), "nn.Linear(3, 4)"));
  g_assert_true (label_with_text_exists (GTK_WIDGET (dialog), "python3 network.py"));

  /* The scripts follow an edit once the changes settle. */
  g_assert_null (strstr (ls_code_dialog_get_script (dialog, LS_CODE_NUMPY), "1.25"));
  g_assert_true (ls_network_set_weight (network, 0, 0, 0, 1.25f, NULL));
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline &&
         strstr (ls_code_dialog_get_script (dialog, LS_CODE_NUMPY), "1.25") == NULL)
    g_main_context_iteration (NULL, FALSE);
  g_assert_nonnull (strstr (ls_code_dialog_get_script (dialog, LS_CODE_NUMPY), "[1.25, "));

  /* The action again raises the same window. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-code", NULL));
  wait_for_frames ();
  g_assert_true (find_code_dialog () == dialog);

  /* A script over the size limit gives the error in the window. */
  g_assert_true (ls_network_insert_dense (big, 0, 2048, LS_ACTIVATION_RELU, NULL));
  ls_code_dialog_set_network (dialog, big);
  g_assert_null (ls_code_dialog_get_script (dialog, LS_CODE_NUMPY));
  g_assert_null (ls_code_dialog_get_script (dialog, LS_CODE_PYTORCH));
  g_assert_true (label_with_text_exists (GTK_WIDGET (dialog), "MB limit"));

  /* Closing the main window closes the code window too. */
  gtk_window_destroy (GTK_WINDOW (window));
  wait_for_frames ();
  g_assert_null (find_code_dialog ());
}

static AdwComboRow *
find_combo_row (GtkWidget  *root,
                const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_widgets (root, ADW_TYPE_COMBO_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title))
      return g_ptr_array_index (rows, i);

  g_error ("No combo row titled “%s”", title);
}

/* Choosing "High contrast" in the preferences stores the palette and
 * redraws the diagram and the bars of every open window with it, and
 * "Standard" brings back the same pixels. */
static void
test_window_preferences_palette (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  LsMainWindow *first, *second;
  LsDiagramView *diagram;
  LsBarsView *bars, *second_bars;
  GtkWidget *preferences;
  g_autofree char *palette = NULL;
  g_autoptr(GBytes) diagram_standard = NULL;
  g_autoptr(GBytes) diagram_contrast = NULL;
  g_autoptr(GBytes) diagram_again = NULL;
  g_autoptr(GBytes) bars_standard = NULL;
  g_autoptr(GBytes) bars_contrast = NULL;
  g_autoptr(GBytes) second_standard = NULL;
  g_autoptr(GBytes) second_contrast = NULL;
  int width, height;

  if (settings == NULL)
    {
      g_test_skip ("settings schema not installed, so there are no preferences to change");
      return;
    }

  g_settings_set_string (settings, "palette", "default");
  first = open_window ();
  second = open_window ();
  diagram = find_widget (GTK_WIDGET (first), LS_TYPE_DIAGRAM_VIEW);
  bars = find_widget (GTK_WIDGET (first), LS_TYPE_BARS_VIEW);
  second_bars = find_widget (GTK_WIDGET (second), LS_TYPE_BARS_VIEW);
  diagram_standard = render_widget (GTK_WIDGET (diagram), &width, &height);
  bars_standard = render_widget (GTK_WIDGET (bars), &width, &height);
  second_standard = render_widget (GTK_WIDGET (second_bars), &width, &height);

  preferences = ls_preferences_window_new (GTK_WINDOW (first), settings);
  gtk_window_present (GTK_WINDOW (preferences));
  wait_for_frames ();
  adw_combo_row_set_selected (find_combo_row (preferences, "Palette"), 1);
  wait_for_frames ();
  g_assert_true (ls_preferences_get_high_contrast (settings));
  palette = g_settings_get_string (settings, "palette");
  g_assert_cmpstr (palette, ==, "high-contrast");
  diagram_contrast = render_widget (GTK_WIDGET (diagram), &width, &height);
  bars_contrast = render_widget (GTK_WIDGET (bars), &width, &height);
  second_contrast = render_widget (GTK_WIDGET (second_bars), &width, &height);
  g_assert_false (g_bytes_equal (diagram_standard, diagram_contrast));
  g_assert_false (g_bytes_equal (bars_standard, bars_contrast));
  g_assert_false (g_bytes_equal (second_standard, second_contrast));

  adw_combo_row_set_selected (find_combo_row (preferences, "Palette"), 0);
  wait_for_frames ();
  diagram_again = render_widget (GTK_WIDGET (diagram), &width, &height);
  g_assert_true (g_bytes_equal (diagram_standard, diagram_again));

  gtk_window_destroy (GTK_WINDOW (preferences));
  gtk_window_destroy (GTK_WINDOW (second));
  gtk_window_destroy (GTK_WINDOW (first));
}

/* The theme key forces AdwStyleManager light or dark, "system" gives the
 * desktop's choice back, and the diagram redraws on a dark background. */
static void
test_window_theme_setting (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  AdwStyleManager *manager = adw_style_manager_get_default ();
  LsMainWindow *window;
  LsDiagramView *diagram;
  g_autoptr(GBytes) light = NULL;
  g_autoptr(GBytes) dark = NULL;
  int width, height;

  g_assert_cmpint (ls_preferences_get_color_scheme ("system"), ==, ADW_COLOR_SCHEME_DEFAULT);
  g_assert_cmpint (ls_preferences_get_color_scheme ("light"), ==, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_cmpint (ls_preferences_get_color_scheme ("dark"), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  if (settings == NULL)
    {
      g_test_skip ("settings schema not installed, so the theme key is not checked");
      return;
    }

  g_settings_set_string (settings, "theme", "light");
  ls_preferences_follow_theme (settings);
  window = open_window ();
  diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  g_assert_false (adw_style_manager_get_dark (manager));
  light = render_widget (GTK_WIDGET (diagram), &width, &height);

  g_settings_set_string (settings, "theme", "dark");
  wait_for_frames ();
  g_assert_cmpint (adw_style_manager_get_color_scheme (manager), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (manager));
  dark = render_widget (GTK_WIDGET (diagram), &width, &height);
  g_assert_false (g_bytes_equal (light, dark));

  g_settings_set_string (settings, "theme", "system");
  g_assert_cmpint (adw_style_manager_get_color_scheme (manager), ==, ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (GTK_WINDOW (window));
}

static AdwEntryRow *
find_entry_row (GtkWidget  *root,
                const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_widgets (root, ADW_TYPE_ENTRY_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title))
      return g_ptr_array_index (rows, i);

  g_error ("No entry row titled “%s”", title);
}

/* A chosen file's folder is stored in "last-folder" as a URI, and the
 * next file chooser starts there. */
static void
test_window_last_folder (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autofree char *dir = g_dir_make_tmp ("layerscope-folder-XXXXXX", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GFile) chosen = g_file_get_child (folder, "chosen.json");
  g_autoptr(GFile) started = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *stored = NULL;
  GtkFileChooserNative *chooser;

  if (settings == NULL)
    {
      g_test_skip ("settings schema not installed, so the last folder is not kept");
      return;
    }

  ls_preferences_store_folder (settings, chosen);
  uri = g_file_get_uri (folder);
  stored = g_settings_get_string (settings, "last-folder");
  g_assert_cmpstr (stored, ==, uri);

  chooser = gtk_file_chooser_native_new ("", NULL, GTK_FILE_CHOOSER_ACTION_OPEN, NULL, NULL);
  ls_preferences_restore_folder (settings, GTK_FILE_CHOOSER (chooser));
  wait_for_frames ();
  started = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (chooser));
  g_assert_nonnull (started);
  g_assert_true (g_file_equal (started, folder));
  g_object_unref (chooser);

  g_assert_cmpint (g_rmdir (dir), ==, 0);
  g_settings_reset (settings, "last-folder");
}

/* Every key of the shortcuts window parses as a GTK accelerator, and the
 * window lists the keys of the preferences and the image export. */
static void
test_window_help_overlay_keys (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/layerscope/Layerscope/gtk/help-overlay.ui");
  GtkWidget *overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  g_autoptr(GPtrArray) shortcuts = g_ptr_array_new ();
  g_autoptr(GString) listed = g_string_new (" ");

  g_assert_nonnull (overlay);
  collect_widgets (overlay, GTK_TYPE_SHORTCUTS_SHORTCUT, shortcuts);
  g_assert_cmpuint (shortcuts->len, >=, 30);
  for (guint i = 0; i < shortcuts->len; i++)
    {
      g_autofree char *accelerator = NULL;
      g_autofree char *title = NULL;
      g_auto(GStrv) keys = NULL;

      g_object_get (g_ptr_array_index (shortcuts, i), "accelerator", &accelerator, "title", &title, NULL);
      g_assert_nonnull (title);
      g_assert_cmpstr (title, !=, "");
      keys = g_strsplit (accelerator, " ", -1);
      for (guint k = 0; keys[k] != NULL; k++)
        {
          guint keyval = 0;

          g_test_message ("%s: %s", title, keys[k]);
          g_assert_true (gtk_accelerator_parse (keys[k], &keyval, NULL));
          g_assert_cmpuint (keyval, !=, 0);
          /* GTK draws a key by its name, so Page_Down would show its
           * underscore: such keys go in the subtitle in words. */
          g_assert_null (strchr (keys[k], '_'));
          g_string_append_printf (listed, "%s ", keys[k]);
        }
    }

  g_assert_nonnull (strstr (listed->str, " <Control>comma "));
  g_assert_nonnull (strstr (listed->str, " <Control><Shift>e "));
  g_assert_nonnull (strstr (listed->str, " <Control>question "));
  g_assert_nonnull (strstr (listed->str, " F9 "));
  g_assert_nonnull (strstr (listed->str, " <Shift>F9 "));

  gtk_window_destroy (GTK_WINDOW (overlay));
}

static LsExportDialog *
open_export_dialog (LsMainWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-image", NULL));
  wait_for_frames ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (LS_IS_EXPORT_DIALOG (toplevel))
        return LS_EXPORT_DIALOG (toplevel);
    }

  g_error ("win.export-image opened no export dialog");
}

static GFile *
export_to (LsExportDialog *dialog,
           const char     *dir,
           const char     *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GFile *written = ls_export_dialog_write (dialog, file, &error);

  g_assert_no_error (error);
  g_assert_nonnull (written);

  return written;
}

static void
assert_file_starts_with (GFile      *file,
                         const char *prefix)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_load_contents (file, NULL, &contents, &length, NULL, NULL));
  g_assert_cmpuint (length, >, strlen (prefix));
  g_assert_true (g_str_has_prefix (contents, prefix));
}

static void
assert_file_contains (GFile      *file,
                      const char *text)
{
  g_autofree char *contents = NULL;

  g_assert_true (g_file_load_contents (file, NULL, &contents, NULL, NULL, NULL));
  g_assert_nonnull (strstr (contents, text));
}

/* The export dialog writes a PNG of the chosen preset or custom size and
 * adds the format's extension. It writes SVG and PDF files with their
 * headers, names the path of a file it cannot write, and rejects a
 * custom width that is not a number in range. */
static void
test_window_export_image (void)
{
  LsMainWindow *window = open_window ();
  LsExportDialog *dialog = open_export_dialog (window);
  g_autofree char *dir = g_dir_make_tmp ("layerscope-export-XXXXXX", NULL);
  g_autoptr(GFile) png = NULL;
  g_autoptr(GFile) custom = NULL;
  g_autoptr(GFile) svg = NULL;
  g_autoptr(GFile) pdf = NULL;
  g_autoptr(GFile) rejected = NULL;
  g_autoptr(GFile) missing_file = NULL;
  g_autoptr(GFile) unwritten = NULL;
  g_autofree char *missing = NULL;
  g_autoptr(GFile) dir_file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *png_path = NULL;
  g_autofree char *custom_path = NULL;
  GtkWidget *root = GTK_WIDGET (dialog);
  int width, height;

  adw_combo_row_set_selected (find_combo_row (root, "Size"), 1);
  png = export_to (dialog, dir, "cat");
  png_path = g_file_get_path (png);
  g_assert_true (g_str_has_suffix (png_path, "cat.png"));
  g_assert_nonnull (gdk_pixbuf_get_file_info (png_path, &width, &height));
  g_assert_cmpint (width, ==, 1280);
  g_assert_cmpint (height, ==, 720);

  adw_combo_row_set_selected (find_combo_row (root, "Size"), 4);
  gtk_editable_set_text (GTK_EDITABLE (find_entry_row (root, "Width")), "800");
  gtk_editable_set_text (GTK_EDITABLE (find_entry_row (root, "Height")), " 600 ");
  custom = export_to (dialog, dir, "custom.PNG");
  custom_path = g_file_get_path (custom);
  g_assert_true (g_str_has_suffix (custom_path, "custom.PNG"));
  g_assert_nonnull (gdk_pixbuf_get_file_info (custom_path, &width, &height));
  g_assert_cmpint (width, ==, 800);
  g_assert_cmpint (height, ==, 600);

  adw_combo_row_set_selected (find_combo_row (root, "Format"), 1);
  svg = export_to (dialog, dir, "cat");
  assert_file_starts_with (svg, "<?xml");
  assert_file_contains (svg, "<svg");
  adw_combo_row_set_selected (find_combo_row (root, "Format"), 2);
  pdf = export_to (dialog, dir, "cat");
  assert_file_starts_with (pdf, "%PDF-");

  missing = g_build_filename (dir, "missing", "cat.pdf", NULL);
  missing_file = g_file_new_for_path (missing);
  unwritten = ls_export_dialog_write (dialog, missing_file, &error);
  g_assert_null (unwritten);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  /* README: a page fits every label and bar from 320 × 240 up */
  gtk_editable_set_text (GTK_EDITABLE (find_entry_row (root, "Width")), "319");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (find_entry_row (root, "Width")), "error"));
  rejected = ls_export_dialog_write (dialog, pdf, &error);
  g_assert_null (rejected);
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "“319”"));
  g_assert_nonnull (strstr (error->message, "320 to 8192"));
  /* the whole message is under the rows, not in a toast */
  g_assert_true (visible_label_with_text_exists (root, error->message));
  g_clear_error (&error);
  gtk_editable_set_text (GTK_EDITABLE (find_entry_row (root, "Width")), "800");
  g_assert_false (visible_label_with_text_exists (root, "“319”"));

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  dir_file = g_file_new_for_path (dir);
  remove_tree (dir_file);
}

/* The next export dialog starts with the format and size of the last
 * export. The A4 PNG is the 842 × 595 point page at 300 dpi: 3508 × 2480
 * pixels (297 × 210 mm). A name typed with another format's extension
 * writes that format instead of adding ".png" to it. */
static void
test_window_export_choices (void)
{
  LsMainWindow *window = open_window ();
  LsExportDialog *dialog = open_export_dialog (window);
  g_autofree char *dir = g_dir_make_tmp ("layerscope-export-XXXXXX", NULL);
  g_autoptr(GFile) pdf = NULL;
  g_autoptr(GFile) a4 = NULL;
  g_autoptr(GFile) typed = NULL;
  g_autoptr(GFile) dir_file = g_file_new_for_path (dir);
  g_autofree char *a4_path = NULL;
  g_autofree char *typed_path = NULL;
  int width, height;

  adw_combo_row_set_selected (find_combo_row (GTK_WIDGET (dialog), "Format"), 2);
  adw_combo_row_set_selected (find_combo_row (GTK_WIDGET (dialog), "Size"), 3);
  adw_combo_row_set_selected (find_combo_row (GTK_WIDGET (dialog), "Background"), 1);
  pdf = export_to (dialog, dir, "first");
  gtk_window_destroy (GTK_WINDOW (dialog));

  dialog = open_export_dialog (window);
  g_assert_cmpuint (adw_combo_row_get_selected (find_combo_row (GTK_WIDGET (dialog), "Format")), ==, 2);
  g_assert_cmpuint (adw_combo_row_get_selected (find_combo_row (GTK_WIDGET (dialog), "Size")), ==, 3);
  g_assert_cmpuint (adw_combo_row_get_selected (find_combo_row (GTK_WIDGET (dialog), "Background")), ==, 1);

  adw_combo_row_set_selected (find_combo_row (GTK_WIDGET (dialog), "Format"), 0);
  a4 = export_to (dialog, dir, "a4");
  a4_path = g_file_get_path (a4);
  g_assert_true (g_str_has_suffix (a4_path, "a4.png"));
  g_assert_nonnull (gdk_pixbuf_get_file_info (a4_path, &width, &height));
  g_assert_cmpint (width, ==, 3508);
  g_assert_cmpint (height, ==, 2480);

  typed = export_to (dialog, dir, "typed.svg");
  typed_path = g_file_get_path (typed);
  g_assert_true (g_str_has_suffix (typed_path, "typed.svg"));
  assert_file_starts_with (typed, "<?xml");
  g_assert_cmpuint (adw_combo_row_get_selected (find_combo_row (GTK_WIDGET (dialog), "Format")), ==, 1);

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  remove_tree (dir_file);
}

/* The presentation setters of the diagram and bars views redraw them.
 * The dead hidden neuron h2 of cat-or-dog.json (value 0) is the neutral
 * #f7f7f7 of the value scale, which the high-contrast scale replaces with
 * white. A step at the input turns h3 (0.91) from the fill
 * #f7f7f7 + 0.91 · (#e66101 − #f7f7f7) = (232, 110, 23) to grey, as a
 * value not computed yet, and the colour stays only in the legend's
 * ramp. A highlight of the output dims h2, the bars before the output show no
 * blue bar for Cat (#0571b0), and highlighted bars glow in #f5c211. */
static void
test_window_presentation_styles (void)
{
  static const guint8 neutral[3] = { 0xf7, 0xf7, 0xf7 };
  static const guint8 h3_fill[3] = { 232, 110, 23 };
  static const guint8 blue[3] = { 0x05, 0x71, 0xb0 };
  static const guint8 glow[3] = { 0xf5, 0xc2, 0x11 };
  const LsHighlight h2 = { LS_HIGHLIGHT_UNIT, 1, 1 };
  const LsHighlight output = { LS_HIGHLIGHT_COLUMN, 2, 0 };
  LsMainWindow *window = open_window ();
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  LsBarsView *bars = find_widget (GTK_WIDGET (window), LS_TYPE_BARS_VIEW);
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) contrast = NULL;
  g_autoptr(GBytes) stepped = NULL;
  g_autoptr(GBytes) h2_lit = NULL;
  g_autoptr(GBytes) output_lit = NULL;
  g_autoptr(GBytes) revealed = NULL;
  g_autoptr(GBytes) hidden = NULL;
  g_autoptr(GBytes) glowing = NULL;
  int width, height;

  wait_for_frames ();
  plain = render_widget (GTK_WIDGET (diagram), &width, &height);
  ls_diagram_view_set_high_contrast (diagram, TRUE);
  wait_for_frames ();
  contrast = render_widget (GTK_WIDGET (diagram), &width, &height);
  ls_diagram_view_set_high_contrast (diagram, FALSE);
  g_assert_cmpuint (count_color_pixels (plain, neutral), >, 200);
  g_assert_cmpuint (count_color_pixels (contrast, neutral), <, count_color_pixels (plain, neutral) / 10);

  ls_diagram_view_set_step_column (diagram, 0);
  wait_for_frames ();
  stepped = render_widget (GTK_WIDGET (diagram), &width, &height);
  ls_diagram_view_set_step_column (diagram, -1);
  g_assert_cmpuint (count_color_pixels (plain, h3_fill), >, 200);
  g_assert_cmpuint (count_color_pixels (stepped, h3_fill), <, count_color_pixels (plain, h3_fill) / 10);

  ls_diagram_view_set_highlights (diagram, &h2, 1);
  wait_for_frames ();
  h2_lit = render_widget (GTK_WIDGET (diagram), &width, &height);
  ls_diagram_view_set_highlights (diagram, &output, 1);
  wait_for_frames ();
  output_lit = render_widget (GTK_WIDGET (diagram), &width, &height);
  ls_diagram_view_set_highlights (diagram, NULL, 0);
  g_assert_cmpuint (count_color_pixels (h2_lit, neutral), >, 200);
  g_assert_cmpuint (count_color_pixels (output_lit, neutral), <, count_color_pixels (h2_lit, neutral) / 10);

  wait_for_frames ();
  revealed = render_widget (GTK_WIDGET (bars), &width, &height);
  ls_bars_view_set_revealed (bars, FALSE);
  wait_for_frames ();
  hidden = render_widget (GTK_WIDGET (bars), &width, &height);
  ls_bars_view_set_revealed (bars, TRUE);
  ls_bars_view_set_highlighted (bars, TRUE);
  wait_for_frames ();
  glowing = render_widget (GTK_WIDGET (bars), &width, &height);
  ls_bars_view_set_highlighted (bars, FALSE);
  g_assert_cmpuint (count_color_pixels (revealed, blue), >, 100);
  g_assert_cmpuint (count_color_pixels (hidden, blue), ==, 0);
  g_assert_cmpuint (count_color_pixels (revealed, glow), ==, 0);
  g_assert_cmpuint (count_color_pixels (glowing, glow), >, 100);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Returns the lesson's choice buttons on the page, in order. */
static GPtrArray *
find_lesson_choices (GtkWidget *panel)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  GPtrArray *choices = g_ptr_array_new ();

  collect_widgets (panel, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (buttons, i), "lesson-choice"))
      g_ptr_array_add (choices, g_ptr_array_index (buttons, i));

  return choices;
}

/* F1's action shows the lessons. The trace lesson sets the input
 * 0.5, 0.8, 0.2 of its text, Next moves on, and the highlights of its
 * steps change the diagram until hiding the lessons clears them. */
static void
test_window_lessons_step (void)
{
  LsMainWindow *window = open_window ();
  LsLessonPanel *panel = find_widget (GTK_WIDGET (window), LS_TYPE_LESSON_PANEL);
  GtkWidget *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  LsNetwork *network;
  g_autoptr(GBytes) highlighted = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  guint n_progress = 0;
  int width, height;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.lessons", NULL));
  wait_for_drawn (GTK_WIDGET (panel));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (panel)));
  g_assert_true (label_with_text_exists (GTK_WIDGET (panel), "Tracing one picture through the network"));

  ls_lesson_panel_open_lesson (panel, 2);
  wait_for_frames ();
  network = ls_main_window_get_network (window);
  g_assert_cmpfloat (ls_network_get_input (network)[1], ==, 0.8f);
  g_assert_false (ls_main_window_get_modified (window));
  g_assert_true (label_with_text_exists (GTK_WIDGET (panel), "Step 1 of 6"));

  g_signal_emit_by_name (find_button (GTK_WIDGET (panel), "_Next", NULL), "clicked");
  wait_for_frames ();
  g_assert_cmpint (ls_lesson_panel_get_step (panel), ==, 1);
  g_assert_true (label_with_text_exists (GTK_WIDGET (panel), "Step 2 of 6"));
  g_assert_true (label_with_text_exists (GTK_WIDGET (panel), "0.2 + 0.4 + 0.02"));
  g_assert_true (ls_main_window_get_network (window) == network);
  highlighted = render_widget (diagram, &width, &height);

  /* The list of lessons keeps the panel's width, so only the highlights
   * can change the diagram's pixels. */
  g_signal_emit_by_name (find_button (GTK_WIDGET (panel), "_All Lessons", NULL), "clicked");
  wait_for_frames ();
  g_assert_cmpint (ls_lesson_panel_get_step (panel), ==, -1);
  plain = render_widget (diagram, &width, &height);
  g_assert_false (g_bytes_equal (highlighted, plain));

  /* The list shows where the lesson was left, besides the hidden lesson
   * page, and the lesson opens there again. */
  collect_widgets (GTK_WIDGET (panel), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    n_progress += g_str_equal (gtk_label_get_text (g_ptr_array_index (labels, i)), "Step 2 of 6");
  g_assert_cmpuint (n_progress, ==, 2);
  g_assert_true (label_with_text_exists (GTK_WIDGET (panel), "Not started"));
  ls_lesson_panel_open_lesson (panel, 2);
  g_assert_cmpint (ls_lesson_panel_get_step (panel), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.lessons", NULL));
  g_assert_cmpint (ls_lesson_panel_get_step (panel), ==, -1);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* In the quiz, a right and a wrong answer each show their mark and the
 * explanation at once, lock the question and count in the score. The
 * second step's question is the parameter count, so it does not point at it.
 * Start Again clears the answers, and Finish shows the score in the list. */
static void
test_window_lessons_quiz (void)
{
  LsMainWindow *window = open_window ();
  LsLessonPanel *panel = find_widget (GTK_WIDGET (window), LS_TYPE_LESSON_PANEL);
  g_autoptr(GPtrArray) choices = NULL;
  GtkWidget *parameters = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.lessons", NULL));
  ls_lesson_panel_open_lesson (panel, 6);
  wait_for_frames ();
  choices = find_lesson_choices (GTK_WIDGET (panel));
  g_assert_cmpuint (choices->len, ==, 4 + 3);
  g_assert_false (label_with_text_exists (GTK_WIDGET (panel), "Right."));

  /* Question 1's correct choice is the second, question 2's the third. */
  g_signal_emit_by_name (g_ptr_array_index (choices, 1), "clicked");
  g_assert_true (label_with_text_exists (GTK_WIDGET (panel), "✓ Right. Without hidden layers"));
  g_assert_false (gtk_widget_get_sensitive (g_ptr_array_index (choices, 0)));
  g_assert_true (gtk_widget_has_css_class (g_ptr_array_index (choices, 1), "lesson-right"));
  g_signal_emit_by_name (g_ptr_array_index (choices, 4), "clicked");
  g_assert_true (label_with_text_exists (GTK_WIDGET (panel), "✗ Not quite. The answer is “Because there are two possible answers"));
  g_assert_true (gtk_widget_has_css_class (g_ptr_array_index (choices, 4), "lesson-wrong"));

  ls_lesson_panel_go_to_step (panel, 1);
  wait_for_frames ();
  g_assert_true (label_with_text_exists (GTK_WIDGET (panel), "Score: 1 of 4 right"));
  collect_widgets (GTK_WIDGET (window), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_str_equal (gtk_label_get_text (g_ptr_array_index (labels, i)), "20 weights + 6 biases = 26 parameters"))
      parameters = g_ptr_array_index (labels, i);
  g_assert_nonnull (parameters);
  g_assert_false (gtk_widget_has_css_class (parameters, "lesson-highlight"));

  /* Going back shows the answers given. */
  ls_lesson_panel_go_to_step (panel, 0);
  g_assert_true (label_with_text_exists (GTK_WIDGET (panel), "✓ Right."));
  ls_lesson_panel_go_to_step (panel, 1);
  g_signal_emit_by_name (find_button (GTK_WIDGET (panel), "_Finish", NULL), "clicked");
  g_assert_cmpint (ls_lesson_panel_get_step (panel), ==, -1);
  g_assert_true (label_with_text_exists (GTK_WIDGET (panel), "Finished: 1 of 4 right"));

  ls_lesson_panel_open_lesson (panel, 6);
  g_signal_emit_by_name (find_button (GTK_WIDGET (panel), "Start _Again", NULL), "clicked");
  wait_for_frames ();
  g_assert_cmpint (ls_lesson_panel_get_step (panel), ==, 0);
  g_assert_false (label_with_text_exists (GTK_WIDGET (panel), "✓ Right."));
  g_clear_pointer (&choices, g_ptr_array_unref);
  choices = find_lesson_choices (GTK_WIDGET (panel));
  g_assert_true (gtk_widget_get_sensitive (g_ptr_array_index (choices, 1)));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A lesson step does not replace a network with unsaved changes before
 * the Save Changes dialog, and it applies once the user discards them. */
static void
test_window_lessons_ask_first (void)
{
  LsMainWindow *window = open_window ();
  LsLessonPanel *panel = find_widget (GTK_WIDGET (window), LS_TYPE_LESSON_PANEL);
  LsNetwork *edited = ls_main_window_get_network (window);
  AdwMessageDialog *dialog;

  g_assert_true (ls_network_set_input_value (edited, 0, 0.1f, NULL));
  g_assert_true (ls_main_window_get_modified (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.lessons", NULL));
  ls_lesson_panel_open_lesson (panel, 5);
  wait_for_frames ();
  g_assert_true (ls_main_window_get_network (window) == edited);
  g_assert_true (ls_main_window_get_modified (window));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);

  adw_message_dialog_response (dialog, "discard");
  wait_for_frames ();
  g_assert_cmpstr (ls_network_get_title (ls_main_window_get_network (window)), ==, "XOR");
  g_assert_false (ls_main_window_get_modified (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Opening a lesson again on its own example, and stepping on, leaves
 * the document unmodified without asking about changes, and a step clears
 * the diagram's selection. */
static void
test_window_lessons_reopen (void)
{
  LsMainWindow *window = open_window ();
  LsLessonPanel *panel = find_widget (GTK_WIDGET (window), LS_TYPE_LESSON_PANEL);
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  LsSelection neuron = { LS_SELECTION_NEURON, 1, 0, 0 };

  const char *data =
    "<lesson><title>L</title>\n"
    "<step example=\"greater-than-five\"><title>S</title><p>P</p><input values=\"7\"/></step>\n"
    "<step example=\"cat-or-dog\"><title>S</title><p>P</p></step></lesson>";
  guint n_lessons = g_strv_length ((char **) ls_lesson_get_builtin_names ());

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.lessons", NULL));
  for (guint i = 0; i < 2; i++)
    {
      ls_lesson_panel_add_lesson (panel, ls_lesson_load_data (data, -1, "t.lesson", FALSE, NULL));
      ls_lesson_panel_open_lesson (panel, n_lessons);
      wait_for_frames ();
      g_assert_cmpfloat (ls_network_get_input (ls_main_window_get_network (window))[0], ==, 7.0f);
      g_assert_false (ls_main_window_get_modified (window));
      ls_diagram_view_set_selection (diagram, &neuron);
      ls_lesson_panel_leave (panel);
    }
  ls_lesson_panel_open_lesson (panel, n_lessons + 1);
  g_assert_cmpint (ls_lesson_panel_get_step (panel), ==, 0);
  g_assert_cmpint (ls_diagram_view_get_selection (diagram)->kind, ==, LS_SELECTION_NONE);
  ls_lesson_panel_go_to_step (panel, 1);
  wait_for_frames ();
  g_assert_null (find_message_dialog ());
  g_assert_cmpint (ls_lesson_panel_get_step (panel), ==, 1);
  g_assert_false (ls_main_window_get_modified (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* In a 1280-pixel window the lessons take the place of the controls, and
 * F1 moves the keyboard focus into them. A step that points at the
 * parameter count brings the controls back, so the count is on screen. */
static void
test_window_lessons_narrow (void)
{
  g_autoptr(GFile) file = ls_paths_find_example ("cat-or-dog.json", NULL);
  g_autoptr(LsNetwork) network = ls_document_load_file (file, NULL);
  LsMainWindow *window = open_sized_window_with (network, 1280, 720);
  LsLessonPanel *panel = find_widget (GTK_WIDGET (window), LS_TYPE_LESSON_PANEL);
  GtkWidget *inputs = find_widget (GTK_WIDGET (window), LS_TYPE_INPUT_PANEL);
  GtkWidget *focus;

  g_assert_true (gtk_widget_get_mapped (inputs));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.lessons", NULL));
  wait_for_frames ();
  g_assert_false (gtk_widget_get_mapped (inputs));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (panel)));

  ls_lesson_panel_open_lesson (panel, 3);
  ls_lesson_panel_go_to_step (panel, 1);
  wait_for_frames ();
  g_assert_false (gtk_widget_get_mapped (inputs));
  ls_lesson_panel_go_to_step (panel, 2);
  wait_for_frames ();
  g_assert_true (gtk_widget_get_mapped (inputs));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* After Cancel in the Save Changes dialog, the lesson does not open over
 * the user's network. */
static void
test_window_lessons_cancel (void)
{
  LsMainWindow *window = open_window ();
  LsLessonPanel *panel = find_widget (GTK_WIDGET (window), LS_TYPE_LESSON_PANEL);
  LsNetwork *edited = ls_main_window_get_network (window);
  AdwMessageDialog *dialog;

  g_assert_true (ls_network_set_input_value (edited, 0, 0.1f, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.lessons", NULL));
  ls_lesson_panel_open_lesson (panel, 5);
  wait_for_frames ();
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "cancel");
  wait_for_frames ();
  g_assert_true (ls_main_window_get_network (window) == edited);
  g_assert_cmpint (ls_lesson_panel_get_step (panel), ==, -1);
  g_assert_false (label_with_text_exists (GTK_WIDGET (panel), "Step 1 of 3"));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  /* Autosaves and recent files go to a folder of their own, never to the
   * user's. GLib reads these variables at their first use, which is
   * later. */
  g_autofree char *user_dirs = g_dir_make_tmp ("layerscope-test-window-XXXXXX", NULL);
  g_autoptr(GFile) user_dirs_file = NULL;
  int status;

  g_assert_nonnull (user_dirs);
  user_dirs_file = g_file_new_for_path (user_dirs);
  g_setenv ("XDG_STATE_HOME", user_dirs, TRUE);
  g_setenv ("XDG_DATA_HOME", user_dirs, TRUE);
  g_test_init (&argc, &argv, NULL);
  /* GTK's test accessibility backend records the accessible properties
   * that the tests read back with gtk_test_accessible_check_property(). */
  g_setenv ("GTK_A11Y", "test", TRUE);

  if (!gtk_init_check ())
    {
      /* CI runs this test under Xvfb, so a missing display there is a failure. */
      if (g_getenv ("CI") != NULL)
        g_error ("No display: the window tests must run under Xvfb in CI");

      g_test_skip ("No display: run the tests under Xvfb to include the window");
      return g_test_run ();
    }
  adw_init ();
  /* Toasts and scrolling then finish at once instead of over a few
   * frames. Destroying a window while an error toast hides crashes in
   * libadwaita 1.2 (AdwToastOverlay frees the toast's widget during its
   * unmap), and wait_for_frames() does not wait for the animation. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/window/opens-example", test_window_opens_example);
  g_test_add_func ("/window/zoom-actions", test_window_zoom_actions);
  g_test_add_func ("/window/zoom-click-selects", test_window_zoom_click_selects);
  g_test_add_func ("/window/spotlight-toggle", test_window_spotlight_toggle);
  g_test_add_func ("/window/tab-moves-selection", test_window_tab_moves_selection);
  g_test_add_func ("/window/diagram-accessible", test_window_diagram_accessible);
  g_test_add_func ("/window/focus-chain-labelled", test_window_focus_chain_labelled);
  g_test_add_func ("/window/wheel-keeps-units", test_window_wheel_keeps_units);
  g_test_add_func ("/window/training-xor", test_window_training_xor);
  g_test_add_func ("/window/training-mismatch", test_window_training_mismatch);
  g_test_add_func ("/window/training-regression", test_window_training_regression);
  g_test_add_func ("/window/training-bar", test_window_training_bar);
  g_test_add_func ("/window/training-bar-tab-order", test_window_training_bar_tab_order);
  g_test_add_func ("/window/training-output-mismatch", test_window_training_output_mismatch);
  g_test_add_func ("/window/training-divergence", test_window_training_divergence);
  g_test_add_func ("/window/training-edit-notice", test_window_training_edit_notice);
  g_test_add_func ("/window/training-image-defaults", test_window_training_image_defaults);
  g_test_add_func ("/window/training-stop-epoch", test_window_training_stop_epoch);
  g_test_add_func ("/window/training-close-discard", test_window_training_close_discard);
  g_test_add_func ("/window/compare-copy-follows-input", test_window_compare_copy_follows_input);
  g_test_add_func ("/window/compare-difference-colors", test_window_compare_difference_colors);
  g_test_add_func ("/window/compare-rejects-shapes", test_window_compare_rejects_shapes);
  g_test_add_func ("/window/compare-keeps-last-input", test_window_compare_keeps_last_input);
  g_test_add_func ("/window/compare-close", test_window_compare_close);
  g_test_add_func ("/window/compare-text", test_window_compare_text);
  g_test_add_func ("/window/depth-explorer-spiral", test_window_depth_explorer_spiral);
  g_test_add_func ("/window/depth-explorer-settings", test_window_depth_explorer_settings);
  g_test_add_func ("/window/depth-explorer-action", test_window_depth_explorer_action);
  g_test_add_func ("/window/depth-explorer-responsive", test_window_depth_explorer_responsive);
  g_test_add_func ("/window/edit-weight-updates-bars", test_window_edit_weight_updates_bars);
  g_test_add_func ("/window/rejects-bad-weight", test_window_rejects_bad_weight);
  g_test_add_func ("/window/inspector-formula", test_window_inspector_formula);
  g_test_add_func ("/window/input-slider", test_window_input_slider);
  g_test_add_func ("/window/rejects-bad-units", test_window_rejects_bad_units);
  g_test_add_func ("/window/units-keep-card", test_window_units_keep_card);
  g_test_add_func ("/window/overflow-warning", test_window_overflow_warning);
  g_test_add_func ("/window/open-example-action", test_window_open_example_action);
  g_test_add_func ("/window/scale-feature-maps", test_window_scale_feature_maps);
  g_test_add_func ("/window/remove-layer-undo", test_window_remove_layer_undo);
  g_test_add_func ("/window/undo-redo", test_window_undo_redo);
  g_test_add_func ("/window/undo-coalesces", test_window_undo_coalesces);
  g_test_add_func ("/window/undo-coalesces-slow-redraw", test_window_undo_coalesces_slow_redraw);
  g_test_add_func ("/window/text-field-undo-is-document-undo", test_window_text_field_undo_is_document_undo);
  g_test_add_func ("/window/undo-training-run", test_window_undo_training_run);
  g_test_add_func ("/window/save-then-undo", test_window_save_then_undo);
  g_test_add_func ("/window/recent-missing", test_window_recent_missing);
  g_test_add_func ("/window/drop", test_window_drop);
  g_test_add_func ("/window/open-example-asks", test_window_open_example_asks);
  g_test_add_func ("/window/crash-recovery", test_window_crash_recovery);
  g_test_add_func ("/window/recovery-discard", test_window_recovery_discard);
  g_test_add_func ("/window/recovery-damaged-copy", test_window_recovery_damaged_copy);
  g_test_add_func ("/window/recovery-keeps-open-file", test_window_recovery_keeps_open_file);
  g_test_add_func ("/window/close-deletes-autosave", test_window_close_deletes_autosave);
  g_test_add_func ("/window/undo-dropped-after-edit", test_window_undo_dropped_after_edit);
  g_test_add_func ("/window/insert-clears-selection", test_window_insert_clears_selection);
  g_test_add_func ("/window/inspector-caps-rows", test_window_inspector_caps_rows);
  g_test_add_func ("/window/double-click-removes-one", test_window_double_click_removes_one);
  g_test_add_func ("/window/brush-stroke", test_window_brush_stroke);
  g_test_add_func ("/window/canvas-redraws-input", test_window_canvas_redraws_input);
  g_test_add_func ("/window/open-missing-file", test_window_open_missing_file);
  g_test_add_func ("/window/sobel-preset", test_window_sobel_preset);
  g_test_add_func ("/window/sample-browser", test_window_sample_browser);
  g_test_add_func ("/window/sample-browser-notes", test_window_sample_browser_notes);
  g_test_add_func ("/window/sample-browser-idx", test_window_sample_browser_idx);
  g_test_add_func ("/window/rejects-large-kernel", test_window_rejects_large_kernel);
  g_test_add_func ("/window/insert-spatial-layers", test_window_insert_spatial_layers);
  g_test_add_func ("/window/kernel-preset-sizes", test_window_kernel_preset_sizes);
  g_test_add_func ("/window/panes-follow-width", test_window_panes_follow_width);
  g_test_add_func ("/window/panes-hide-end", test_window_panes_hide_end);
  g_test_add_func ("/window/panes-keep-width", test_window_panes_keep_width);
  g_test_add_func ("/window/panes-follow-text-scale", test_window_panes_follow_text_scale);
  g_test_add_func ("/window/fits-small-screen", test_window_fits_small_screen);
  g_test_add_func ("/window/description-expands", test_window_description_expands);
  g_test_add_func ("/window/compare-zero-difference", test_window_compare_zero_difference);
  g_test_add_func ("/window/compare-error-dismissed", test_window_compare_error_dismissed);
  g_test_add_func ("/window/input-sliders-span-plane", test_window_input_sliders_span_plane);
  g_test_add_func ("/window/selection-shows-inspector", test_window_selection_shows_inspector);
  g_test_add_func ("/window/sample-browser-no-selection", test_window_sample_browser_no_selection);
  g_test_add_func ("/window/sample-number-rejects-text", test_window_sample_number_rejects_text);
  g_test_add_func ("/window/sample-browser-overflow", test_window_sample_browser_overflow);
  g_test_add_func ("/window/sample-browser-label-names", test_window_sample_browser_label_names);
  g_test_add_func ("/window/insert-menu-explains", test_window_insert_menu_explains);
  g_test_add_func ("/window/layer-edit-keeps-scroll", test_window_layer_edit_keeps_scroll);
  g_test_add_func ("/window/layer-field-messages", test_window_layer_field_messages);
  g_test_add_func ("/window/kernel-cell-restores-value", test_window_kernel_cell_restores_value);
  g_test_add_func ("/window/brush-size-shown", test_window_brush_size_shown);
  g_test_add_func ("/window/attention-inspector", test_window_attention_inspector);
  g_test_add_func ("/window/token-has-no-value-field", test_window_token_has_no_value_field);
  g_test_add_func ("/window/attention-presets", test_window_attention_presets);
  g_test_add_func ("/window/attention-preset-error", test_window_attention_preset_error);
  g_test_add_func ("/window/matrix-editor-edits", test_window_matrix_editor_edits);
  g_test_add_func ("/window/text-typing-keeps-focus", test_window_text_typing_keeps_focus);
  g_test_add_func ("/window/text-error-inline", test_window_text_error_inline);
  g_test_add_func ("/window/text-unknown-chip", test_window_text_unknown_chip);
  g_test_add_func ("/window/focus-text-action", test_window_focus_text_action);
  g_test_add_func ("/window/token-layer-cards", test_window_token_layer_cards);
  g_test_add_func ("/window/heads-step-divisors", test_window_heads_step_divisors);
  g_test_add_func ("/window/insert-token-layers", test_window_insert_token_layers);
  g_test_add_func ("/window/insert-attention-odd-width", test_window_insert_attention_odd_width);
  g_test_add_func ("/window/phrase-browser", test_window_phrase_browser);
  g_test_add_func ("/window/text-rejected-blocks-save", test_window_text_rejected_blocks_save);
  g_test_add_func ("/window/embedding-width-capped", test_window_embedding_width_capped);
  g_test_add_func ("/window/eps-error-clears", test_window_eps_error_clears);
  g_test_add_func ("/window/insert-menu-note", test_window_insert_menu_note);
  g_test_add_func ("/window/embedding-remove-disabled", test_window_embedding_remove_disabled);
  g_test_add_func ("/window/open-scrolls-to-top", test_window_open_scrolls_to_top);
  g_test_add_func ("/window/phrase-search-focused", test_window_phrase_search_focused);
  g_test_add_func ("/window/side-panel-fits", test_window_side_panel_fits);
  g_test_add_func ("/window/inspector-fits-pane", test_window_inspector_fits_pane);
  g_test_add_func ("/window/matrix-cell-field-follows", test_window_matrix_cell_field_follows);
  g_test_add_func ("/window/matrix-heads-axis", test_window_matrix_heads_axis);
  g_test_add_func ("/window/preset-head-kept", test_window_preset_head_kept);
  g_test_add_func ("/window/insert-menu-fits", test_window_insert_menu_fits);

  g_test_add_func ("/window/inspector-text-hint", test_window_inspector_text_hint);
  g_test_add_func ("/window/sequence-arrow-keys", test_window_sequence_arrow_keys);
  g_test_add_func ("/window/attention-formula-wraps", test_window_attention_formula_wraps);
  g_test_add_func ("/window/bars-per-token-note", test_window_bars_per_token_note);
  g_test_add_func ("/window/decision-map", test_window_decision_map);
  g_test_add_func ("/window/presenter-mode", test_window_presenter_mode);
  g_test_add_func ("/window/presenter-window", test_window_presenter_window);
  g_test_add_func ("/window/presenter-fit", test_window_presenter_fit);
  g_test_add_func ("/window/presenter-step-pans", test_window_presenter_step_pans);
  g_test_add_func ("/window/presenter-keeps-state", test_window_presenter_keeps_state);
  g_test_add_func ("/window/primary-menu-fits", test_window_primary_menu_fits);
  g_test_add_func ("/window/training-play-key", test_window_training_play_key);
  g_test_add_func ("/window/show-code", test_window_show_code);

  g_test_add_func ("/window/preferences-palette", test_window_preferences_palette);
  g_test_add_func ("/window/theme-setting", test_window_theme_setting);
  g_test_add_func ("/window/export-image", test_window_export_image);
  g_test_add_func ("/window/export-choices", test_window_export_choices);
  g_test_add_func ("/window/last-folder", test_window_last_folder);
  g_test_add_func ("/window/help-overlay-keys", test_window_help_overlay_keys);
  g_test_add_func ("/window/presentation-styles", test_window_presentation_styles);
  g_test_add_func ("/window/lessons-step", test_window_lessons_step);
  g_test_add_func ("/window/lessons-quiz", test_window_lessons_quiz);
  g_test_add_func ("/window/lessons-ask-first", test_window_lessons_ask_first);
  g_test_add_func ("/window/lessons-reopen", test_window_lessons_reopen);
  g_test_add_func ("/window/lessons-cancel", test_window_lessons_cancel);
  g_test_add_func ("/window/lessons-narrow", test_window_lessons_narrow);

  status = g_test_run ();
  remove_tree (user_dirs_file);

  return status;
}
