/* ls-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ls-bars-view.h"
#include "ls-decision-map-view.h"
#include "ls-compare-view.h"
#include "ls-depth-explorer.h"
#include "ls-curves-view.h"
#include "ls-diagram-view.h"
#include "ls-document.h"
#include "ls-explain.h"
#include "ls-inspector.h"
#include "ls-panel.h"
#include "ls-paths.h"
#include "ls-training-panel.h"
#include "ls-window.h"

#define MIN_FONT_SCALE 0.75
#define MAX_FONT_SCALE 3.0
#define FONT_SCALE_STEP 1.25
#define MAX_PANEL_FONT_SCALE 1.5

typedef enum
{
  PENDING_NONE,
  PENDING_OPEN,
  PENDING_OPEN_EXAMPLE,
  PENDING_CLOSE,
} PendingAction;

struct _LsMainWindow
{
  AdwApplicationWindow parent_instance;

  LsNetwork *network;
  GFile *file;           /* nullable: where Save writes */
  gboolean modified;
  double font_scale;
  GSettings *settings;   /* nullable: absent when the schema is not installed */
  PendingAction pending;  /* what to do once unsaved changes are saved or discarded */
  char *pending_example;  /* nullable: the example that PENDING_OPEN_EXAMPLE opens */
  char *undo_snapshot;    /* nullable: the document before the last layer removal */
  AdwToast *undo_toast;   /* nullable: the message that offers that undo */
  AdwToast *compare_error_toast;  /* nullable: why the last comparison was rejected */
  GtkCssProvider *scale_provider;  /* text size of this window's side panels */
  char *scale_class;     /* CSS class that ties scale_provider to this window */
  gboolean inspector_auto_hidden;  /* the window hid the inspector pane for lack of room */
  gboolean description_expanded;   /* the description shows in full, whatever the text scale */
  LsPlaneMap *plane_map;  /* each unit over the input plane, for a 2-input network */
  guint plane_map_tick;   /* nonzero while a recompute waits for the next frame */
  GArray *column_shapes;  /* of LsShape, [layers + 1]: the diagram's columns at the last change */

  /* Template widgets */
  AdwWindowTitle *window_title;
  AdwToastOverlay *toast_overlay;
  LsInputPanel *input_panel;
  LsLayerPanel *layer_panel;
  LsTrainingPanel *training_panel;
  GtkLabel *parameters_label;
  GtkLabel *description_label;
  GtkLabel *overflow_label;
  GtkBox *training_bar_slot;   /* contains the training panel's bar, above the diagram */
  GtkToggleButton *controls_button;
  GtkToggleButton *inspector_button;
  LsPanes *panes;
  GtkScrolledWindow *start_pane;
  LsDiagramView *diagram_view;
  LsBarsView *bars_view;
  LsCurvesView *curves_view;
  LsCompareView *compare_view;
  GtkWindow *depth_explorer;  /* nullable, weak: the open Depth Explorer */
  LsDecisionMapView *decision_map_view;
  LsInspector *inspector;
};

G_DEFINE_FINAL_TYPE (LsMainWindow, ls_main_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SCALE_FEATURE_MAPS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_toast (LsMainWindow *self,
            const char   *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Shows an error until the user dismisses it, so that it is not missed.
 * Returns the toast, which the overlay owns. */
static AdwToast *
show_error (LsMainWindow *self,
            const char   *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 0);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);

  return toast;
}

static char *
get_display_name (LsMainWindow *self)
{
  if (self->file != NULL)
    return g_file_get_basename (self->file);

  return g_strdup (_("Unsaved network"));
}

static void
update_title (LsMainWindow *self)
{
  g_autofree char *name = get_display_name (self);
  g_autofree char *window_title = NULL;
  g_autofree char *subtitle = NULL;
  const char *title = ls_network_get_title (self->network);

  window_title = g_strdup_printf ("%s%s — Layerscope", self->modified ? "*" : "", name);
  gtk_window_set_title (GTK_WINDOW (self), window_title);

  if (self->modified)
    subtitle = g_strdup_printf (_("%s — unsaved changes"), name);
  else
    subtitle = g_strdup (name);

  adw_window_title_set_title (self->window_title, title != NULL ? title : name);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static void
update_parameters (LsMainWindow *self)
{
  LsParameterCount count;
  g_autofree char *weights = NULL;
  g_autofree char *biases = NULL;
  g_autofree char *text = NULL;

  ls_network_get_parameter_count (self->network, &count);
  weights = g_strdup_printf (ngettext ("%zu weight", "%zu weights", count.weights), count.weights);
  biases = g_strdup_printf (ngettext ("%zu bias", "%zu biases", count.biases), count.biases);
  /* TRANSLATORS: "20 weights + 6 biases = 26 parameters" */
  text = g_strdup_printf (ngettext ("%s + %s = %zu parameter", "%s + %s = %zu parameters", count.total),
                          weights, biases, count.total);
  gtk_label_set_text (self->parameters_label, text);
}

static void
update_description (LsMainWindow *self)
{
  const char *description = ls_network_get_description (self->network);

  /* The label shows at most the lines that the text scale sets until a
   * click expands it, so the tooltip carries the whole description. */
  gtk_label_set_text (self->description_label, description != NULL ? description : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->description_label), description);
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), description != NULL && *description != '\0');
}

/* Says so when a weighted sum left the float range, because the diagram
 * and the bars cannot show such a value truthfully. */
static void
update_overflow (LsMainWindow *self)
{
  gsize index;
  g_autofree char *title = NULL;
  g_autofree char *message = NULL;

  if (!ls_network_find_non_finite (self->network, &index))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->overflow_label), FALSE);
      return;
    }

  title = ls_explain_layer_title (self->network, index);
  if (index + 1 == ls_network_get_n_layers (self->network))
    message = g_strdup_printf (_("Layer %zu (%s) computed a value beyond the float range (about ±3.4e38), "
                                 "so its values are not numbers. Use smaller inputs or weights."),
                               index + 1, title);
  else
    message = g_strdup_printf (_("Layer %zu (%s) computed a value beyond the float range (about ±3.4e38), "
                                 "so its values and those of every later layer are not numbers. "
                                 "Use smaller inputs or weights."),
                               index + 1, title);
  gtk_label_set_text (self->overflow_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->overflow_label), TRUE);
}

/* Drops the offer to undo a layer removal, because restoring the copy
 * would now lose a later edit or replace another document. */
static void
forget_undo (LsMainWindow *self)
{
  g_clear_pointer (&self->undo_snapshot, g_free);
  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  g_clear_object (&self->undo_toast);
}

static void
layer_removed_cb (LsMainWindow *self,
                  guint         index,
                  const char   *snapshot,
                  const char   *title)
{
  /* TRANSLATORS: a layer's title, "“flatten” removed" */
  g_autofree char *message = g_strdup_printf (_("“%s” removed"), title);

  forget_undo (self);
  self->undo_snapshot = g_strdup (snapshot);
  self->undo_toast = g_object_ref (adw_toast_new (message));
  adw_toast_set_button_label (self->undo_toast, _("_Undo"));
  adw_toast_set_action_name (self->undo_toast, "win.undo-remove");
  adw_toast_set_timeout (self->undo_toast, 10);
  adw_toast_overlay_add_toast (self->toast_overlay, self->undo_toast);
}

/* Returns the shape of the diagram's column: the input, then each
 * layer's output. */
static const LsShape *
get_column_shape (LsNetwork *network,
                  gsize      column)
{
  if (column == 0)
    return ls_network_get_input_shape (network);

  return &ls_network_get_layer (network, column - 1)->output_shape;
}

static void
remember_column_shapes (LsMainWindow *self)
{
  gsize n_columns = ls_network_get_n_layers (self->network) + 1;

  g_array_set_size (self->column_shapes, n_columns);
  for (gsize column = 0; column < n_columns; column++)
    g_array_index (self->column_shapes, LsShape, column) = *get_column_shape (self->network, column);
}

/* Maps a value of a column whose shape changed from old_shape to the
 * value of the same token and feature, which for a sequence [T][d] is
 * at t·d + j. Returns FALSE when the value is gone or its column is no
 * sequence, where no value corresponds. */
static gboolean
map_unit (const LsShape *old_shape,
          const LsShape *new_shape,
          gsize         *unit)
{
  gsize token, feature;

  if (ls_shape_equal (old_shape, new_shape))
    return TRUE;
  if (old_shape->rank == 1 && new_shape->rank == 1)
    return *unit < new_shape->dims[0];
  if (old_shape->rank != 2 || new_shape->rank != 2)
    return FALSE;

  token = *unit / old_shape->dims[1];
  feature = *unit % old_shape->dims[1];
  if (token >= new_shape->dims[0] || feature >= new_shape->dims[1])
    return FALSE;

  *unit = token * new_shape->dims[1] + feature;

  return TRUE;
}

/* Keeps the selection on the value or edge that the user picked when the
 * shapes change, such as the token width d or the token count: a
 * selection index reused with the new shape would name another token.
 * When layers come or go, or nothing corresponds, the selection goes. */
static void
update_selection (LsMainWindow *self)
{
  const LsSelection *current = ls_diagram_view_get_selection (self->diagram_view);
  gsize n_columns = ls_network_get_n_layers (self->network) + 1;
  LsSelection selection;
  gboolean kept;

  if (current == NULL || current->kind == LS_SELECTION_NONE)
    return;

  selection = *current;
  kept = n_columns == self->column_shapes->len && selection.column < n_columns &&
         map_unit (&g_array_index (self->column_shapes, LsShape, selection.column),
                   get_column_shape (self->network, selection.column), &selection.unit);
  if (kept && selection.kind == LS_SELECTION_EDGE)
    kept = selection.column > 0 &&
           map_unit (&g_array_index (self->column_shapes, LsShape, selection.column - 1),
                     get_column_shape (self->network, selection.column - 1), &selection.input);

  if (!kept)
    ls_diagram_view_set_selection (self->diagram_view, NULL);
  else if (selection.unit != current->unit || selection.input != current->input)
    ls_diagram_view_set_selection (self->diagram_view, &selection);
}

/* Points per side of the plane map that both the decision map and the
 * neurons show. A 2-8-8-2 network computes it in 3 ms on a 2-core
 * x86-64 test machine, measured with a standalone timing program. */
#define PLANE_MAP_SIZE 96

/* Multiply-adds, parameters × grid points, that one computation of the
 * map may take, an estimated 10 ms at the rate above. Larger networks get
 * a coarser grid, down to PLANE_MAP_MIN_SIZE points per side, and beyond
 * that no map, so that editing and training stay responsive. */
#define PLANE_MAP_BUDGET 4000000.0
#define PLANE_MAP_MIN_SIZE 8

/* The plane that the map covers when there are no samples to fit. */
#define PLANE_DEFAULT_BOUND 1.2f

/* Sets the map's bounds to the samples' extent with a margin of a tenth
 * of it on each side, or to the default square without samples. The
 * bounds round outwards to a fifth of the power of 10 below the extent,
 * so that the axes show short numbers. */
static void
fit_plane_bounds (LsPlaneMap *map,
                  LsSamples  *train,
                  LsSamples  *test)
{
  LsSamples *sets[] = { train, test };
  float low[2] = { INFINITY, INFINITY };   /* [input] */
  float high[2] = { -INFINITY, -INFINITY };

  for (gsize s = 0; s < G_N_ELEMENTS (sets); s++)
    {
      if (sets[s] == NULL || ls_samples_get_input_size (sets[s]) != 2 ||
          ls_samples_get_n_samples (sets[s]) == 0)
        continue;

      for (gsize i = 0; i < 2; i++)
        {
          float min, max;

          ls_samples_get_bounds (sets[s], i, &min, &max);
          low[i] = MIN (low[i], min);
          high[i] = MAX (high[i], max);
        }
    }

  for (gsize i = 0; i < 2; i++)
    {
      float margin = 0.1f * (high[i] - low[i]);
      double step;

      if (!(high[i] > low[i]) || !isfinite (margin))
        {
          low[i] = -PLANE_DEFAULT_BOUND;
          high[i] = PLANE_DEFAULT_BOUND;
          continue;
        }
      step = pow (10.0, floor (log10 (high[i] - low[i]))) / 5.0;
      low[i] = floor ((low[i] - margin) / step) * step;
      high[i] = ceil ((high[i] + margin) / step) * step;
    }

  ls_plane_map_set_bounds (map, low[0], high[0], low[1], high[1]);
}

/* Makes the plane map's grid as fine as PLANE_MAP_BUDGET allows for the
 * network's size. Returns FALSE when even the coarsest grid exceeds it. */
static gboolean
resize_plane_map (LsMainWindow *self)
{
  LsParameterCount count;
  gsize size;

  ls_network_get_parameter_count (self->network, &count);
  size = PLANE_MAP_SIZE;
  if (count.total > 0 && (double) count.total * size * size > PLANE_MAP_BUDGET)
    size = (gsize) floor (sqrt (PLANE_MAP_BUDGET / count.total));
  if (size < PLANE_MAP_MIN_SIZE)
    return FALSE;

  if (ls_plane_map_get_width (self->plane_map) != size)
    {
      /* update_plane_map() hands the views this map, or NULL, before they draw again */
      ls_plane_map_free (self->plane_map);
      self->plane_map = ls_plane_map_new (size, size);
    }

  return TRUE;
}

/* Recomputes the plane map for the current network and hands it to the
 * views, or takes it from them and hides the decision map when the
 * network is not a 2-input network of dense layers. */
static void
update_plane_map (LsMainWindow *self)
{
  LsTrainingController *controller = ls_training_panel_get_controller (self->training_panel);
  LsSamples *train = controller != NULL ? ls_training_controller_get_train_samples (controller) : NULL;
  LsSamples *test = controller != NULL ? ls_training_controller_get_test_samples (controller) : NULL;
  gboolean has_samples = (train != NULL && ls_samples_get_input_size (train) == 2) ||
                         (test != NULL && ls_samples_get_input_size (test) == 2);
  gboolean computed = FALSE;

  if (self->network != NULL && resize_plane_map (self))
    {
      fit_plane_bounds (self->plane_map, train, test);
      computed = ls_plane_map_compute (self->plane_map, self->network, NULL);
    }
  ls_decision_map_view_set_samples (self->decision_map_view, train, test);

  ls_diagram_view_set_plane_map (self->diagram_view, computed ? self->plane_map : NULL);
  ls_decision_map_view_set_plane_map (self->decision_map_view, computed ? self->plane_map : NULL);
  /* The sliders then reach every point of the training set's plane. */
  ls_input_panel_set_plane_bounds (self->input_panel, computed && has_samples ? self->plane_map : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->decision_map_view), computed);
}

static gboolean
plane_map_tick_cb (GtkWidget     *widget,
                   GdkFrameClock *frame_clock,
                   gpointer       user_data)
{
  LsMainWindow *self = LS_MAIN_WINDOW (widget);

  self->plane_map_tick = 0;
  update_plane_map (self);

  return G_SOURCE_REMOVE;
}

/* Recomputes the plane map at the next frame, so that a burst of changes,
 * as while training, costs one computation per frame at most. */
static void
schedule_plane_map (LsMainWindow *self)
{
  /* a controller may still emit ::updated after dispose freed the map */
  if (self->plane_map == NULL)
    return;

  if (self->plane_map_tick == 0)
    self->plane_map_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), plane_map_tick_cb, NULL, NULL);
}

/* Recomputes the plane map when the training controller of the current
 * network changes its samples, which set the map's bounds and the points
 * on the decision map. */
static void
follow_training_samples (LsMainWindow *self)
{
  LsTrainingController *controller = ls_training_panel_get_controller (self->training_panel);

  if (controller != NULL)
    g_signal_connect_object (controller, "updated", G_CALLBACK (schedule_plane_map), self, G_CONNECT_SWAPPED);
  schedule_plane_map (self);
}

static void
network_changed_cb (LsMainWindow *self,
                    guint         change)
{
  forget_undo (self);
  schedule_plane_map (self);

  if (change & LS_CHANGE_STRUCTURE)
    {
      update_selection (self);
      remember_column_shapes (self);
    }

  if (!self->modified)
    {
      self->modified = TRUE;
      update_title (self);
    }

  if (change & LS_CHANGE_STRUCTURE)
    update_parameters (self);
  if (change & (LS_CHANGE_VALUES | LS_CHANGE_STRUCTURE))
    update_overflow (self);
  if (change & LS_CHANGE_METADATA)
    {
      update_description (self);
      update_title (self);
    }
}

/* Dims the diagram and the output bars while the text field contains text
 * that the network rejected, because they still show the last text that
 * the network read. That text is an unsaved change too. */
static void
text_rejected_cb (LsMainWindow *self)
{
  gboolean rejected = ls_input_panel_get_text_rejected (self->input_panel);

  if (rejected)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->diagram_view), "stale");
      gtk_widget_add_css_class (GTK_WIDGET (self->bars_view), "stale");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->diagram_view), "stale");
      gtk_widget_remove_css_class (GTK_WIDGET (self->bars_view), "stale");
    }

  if (rejected && !self->modified)
    {
      self->modified = TRUE;
      update_title (self);
    }
}

/* Shows the inspector pane when something gets selected while the pane
 * is hidden for lack of room, since the selection is there to be
 * inspected. This counts as the user's own toggle, so the pane then
 * stays until the user hides it. */
static void
selection_changed_cb (LsMainWindow *self)
{
  const LsSelection *selection = ls_diagram_view_get_selection (self->diagram_view);

  ls_inspector_set_selection (self->inspector, selection);
  if (selection != NULL && selection->kind != LS_SELECTION_NONE && self->inspector_auto_hidden)
    gtk_toggle_button_set_active (self->inspector_button, TRUE);
}

void
ls_main_window_set_network (LsMainWindow *self,
                            LsNetwork    *network,
                            GFile        *file)
{
  g_return_if_fail (LS_IS_MAIN_WINDOW (self));
  g_return_if_fail (LS_IS_NETWORK (network));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  if (self->network != NULL)
    g_signal_handlers_disconnect_by_data (self->network, self);
  g_set_object (&self->network, network);
  g_set_object (&self->file, file);
  self->modified = FALSE;
  remember_column_shapes (self);
  forget_undo (self);
  g_signal_connect_object (network, "changed", G_CALLBACK (network_changed_cb), self, G_CONNECT_SWAPPED);

  ls_input_panel_set_network (self->input_panel, network);
  ls_layer_panel_set_network (self->layer_panel, network);
  ls_diagram_view_set_network (self->diagram_view, network);
  ls_bars_view_set_network (self->bars_view, network);
  ls_training_panel_set_network (self->training_panel, network);
  ls_curves_view_set_controller (self->curves_view, ls_training_panel_get_controller (self->training_panel));
  follow_training_samples (self);
  ls_decision_map_view_set_network (self->decision_map_view, network);
  schedule_plane_map (self);
  ls_compare_view_set_network (self->compare_view, network);
  ls_inspector_set_network (self->inspector, network);
  /* The side panel starts at the input, not where the last document
   * left it. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->start_pane), 0.0);
  update_parameters (self);
  update_description (self);
  update_overflow (self);
  update_title (self);
}

LsNetwork *
ls_main_window_get_network (LsMainWindow *self)
{
  g_return_val_if_fail (LS_IS_MAIN_WINDOW (self), NULL);

  return self->network;
}

gboolean
ls_main_window_get_modified (LsMainWindow *self)
{
  g_return_val_if_fail (LS_IS_MAIN_WINDOW (self), FALSE);

  return self->modified;
}

gboolean
ls_main_window_open_file (LsMainWindow  *self,
                          GFile         *file,
                          GError       **error)
{
  g_autoptr(LsNetwork) network = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (LS_IS_MAIN_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  network = ls_document_load_file (file, &local_error);
  if (network == NULL)
    {
      show_error (self, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  ls_main_window_set_network (self, network, file);

  return TRUE;
}

/* Opens the lesson's network as a new, unsaved document, so that Save
 * never writes over the installed example. */
/* Opens an example as a new, unsaved document, so that Save never writes
 * over the installed file. */
static gboolean
open_example (LsMainWindow *self,
              const char   *name)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(LsNetwork) network = NULL;
  g_autoptr(GError) error = NULL;

  file = ls_paths_find_example (name, &error);
  if (file != NULL)
    network = ls_document_load_file (file, &error);

  if (network == NULL)
    {
      show_error (self, error->message);
      return FALSE;
    }

  ls_main_window_set_network (self, network, NULL);

  return TRUE;
}

void
ls_main_window_open_example (LsMainWindow *self)
{
  g_return_if_fail (LS_IS_MAIN_WINDOW (self));

  if (!open_example (self, LS_DEFAULT_EXAMPLE))
    {
      /* A window with nothing in it would be of no use, so it gets the
       * smallest network there is. */
      g_autoptr(LsNetwork) network = ls_network_new (1);

      ls_network_insert_dense (network, 0, 1, LS_ACTIVATION_SIGMOID, NULL);
      ls_main_window_set_network (self, network, NULL);
    }
}

/* Returns FALSE and shows why when the text field contains text that the
 * network rejected, because the document would then store the last
 * valid text instead of the one on screen. */
static gboolean
check_text_saveable (LsMainWindow *self)
{
  const char *problem = ls_input_panel_get_text_error (self->input_panel);
  g_autofree char *message = NULL;

  if (problem == NULL)
    return TRUE;

  /* TRANSLATORS: %s is the engine's message about the text, such as "The text has no tokens; type at least one word" */
  message = g_strdup_printf (_("Not saved: the network cannot read the text in the text field (%s). "
                               "Correct the text, or undo the edit with Ctrl+Z, then save again."),
                             problem);
  show_error (self, message);

  return FALSE;
}

static gboolean
save_to_file (LsMainWindow *self,
              GFile        *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  if (!check_text_saveable (self))
    return FALSE;

  if (!ls_document_save_file (self->network, file, &error))
    {
      show_error (self, error->message);
      return FALSE;
    }

  g_set_object (&self->file, file);
  self->modified = FALSE;
  update_title (self);

  name = g_file_get_basename (file);
  message = g_strdup_printf (_("Saved “%s”"), name);
  show_toast (self, message);

  return TRUE;
}

static GtkFileFilter *
new_network_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Layerscope networks (*.json)"));
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_filter_add_mime_type (filter, "application/json");

  return filter;
}

/* Suggests a file name from the network's title: "Cat or dog?" gives
 * "cat-or-dog.json". */
static char *
suggest_file_name (LsMainWindow *self)
{
  const char *title = ls_network_get_title (self->network);
  g_autoptr(GString) name = g_string_new (NULL);

  for (const char *p = title != NULL ? title : ""; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (name, g_ascii_tolower (*p));
      else if (name->len > 0 && name->str[name->len - 1] != '-')
        g_string_append_c (name, '-');
    }

  while (name->len > 0 && name->str[name->len - 1] == '-')
    g_string_truncate (name, name->len - 1);
  if (name->len == 0)
    g_string_append (name, _("network"));
  g_string_append (name, ".json");

  return g_string_free (g_steal_pointer (&name), FALSE);
}

/* Adds ".json" to a chosen name without an extension, so that the file
 * shows up under the Open dialog's filter. */
static GFile *
add_json_extension (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);
  g_autoptr(GFile) parent = NULL;
  g_autofree char *with_extension = NULL;

  if (basename == NULL || strchr (basename, '.') != NULL)
    return g_object_ref (file);

  parent = g_file_get_parent (file);
  with_extension = g_strconcat (basename, ".json", NULL);

  return parent != NULL ? g_file_get_child (parent, with_extension) : g_object_ref (file);
}

/* Lists every file, so a network saved without ".json" can be opened. */
static GtkFileFilter *
new_all_files_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("All files"));
  gtk_file_filter_add_pattern (filter, "*");

  return filter;
}

static void run_pending_action (LsMainWindow *self);

static void
save_dialog_response_cb (GtkNativeDialog *dialog,
                         int              response,
                         LsMainWindow    *self)
{
  gboolean saved = FALSE;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GFile) file = add_json_extension (chosen);

      saved = save_to_file (self, file);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);

  if (saved)
    run_pending_action (self);
  else
    self->pending = PENDING_NONE;
}

static void
save_as (LsMainWindow *self)
{
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;

  if (!check_text_saveable (self))
    {
      self->pending = PENDING_NONE;
      return;
    }

  dialog = gtk_file_chooser_native_new (_("Save Network"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), new_network_filter ());

  if (self->file != NULL)
    gtk_file_chooser_set_file (GTK_FILE_CHOOSER (dialog), self->file, NULL);
  else
    {
      name = suggest_file_name (self);
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
    }

  g_signal_connect (dialog, "response", G_CALLBACK (save_dialog_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LsMainWindow *self = LS_MAIN_WINDOW (widget);

  if (self->file != NULL)
    save_to_file (self, self->file);
  else
    save_as (self);
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  save_as (LS_MAIN_WINDOW (widget));
}

static void
open_dialog_response_cb (GtkNativeDialog *dialog,
                         int              response,
                         LsMainWindow    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      g_autoptr(GError) error = NULL;

      ls_main_window_open_file (self, file, &error);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
show_open_dialog (LsMainWindow *self)
{
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Open Network"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), new_network_filter ());
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), new_all_files_filter ());
  g_signal_connect (dialog, "response", G_CALLBACK (open_dialog_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static gboolean
destroy_window_cb (gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (data));

  return G_SOURCE_REMOVE;
}

/* Does what waited for the unsaved changes to be saved or discarded. The
 * window is destroyed from an idle callback, after the dialog that asked
 * has finished its own response handling. The callback runs ahead of
 * redraws and of the training's timers, which could otherwise keep it
 * waiting. */
static void
run_pending_action (LsMainWindow *self)
{
  PendingAction pending = self->pending;
  g_autofree char *example = g_steal_pointer (&self->pending_example);

  self->pending = PENDING_NONE;

  switch (pending)
    {
    case PENDING_NONE:
      break;

    case PENDING_OPEN:
      show_open_dialog (self);
      break;

    case PENDING_OPEN_EXAMPLE:
      open_example (self, example);
      break;

    case PENDING_CLOSE:
      self->modified = FALSE;
      g_idle_add_full (G_PRIORITY_HIGH, destroy_window_cb, g_object_ref (self), g_object_unref);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
discard_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     LsMainWindow     *self)
{
  if (g_str_equal (response, "cancel"))
    {
      self->pending = PENDING_NONE;
      return;
    }

  if (g_str_equal (response, "save"))
    {
      if (self->file == NULL)
        {
          save_as (self);
          return;
        }
      if (!save_to_file (self, self->file))
        {
          self->pending = PENDING_NONE;
          return;
        }
    }

  run_pending_action (self);
}

/* Runs pending now, or once the user has saved or discarded the unsaved
 * changes that it would lose. */
static void
request_action (LsMainWindow  *self,
                PendingAction  pending)
{
  g_autofree char *name = NULL;
  GtkWidget *dialog;

  self->pending = pending;
  if (!self->modified)
    {
      run_pending_action (self);
      return;
    }

  name = get_display_name (self);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Changes?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” has unsaved changes. Changes that you do not save are lost."),
                                  name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (discard_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  request_action (LS_MAIN_WINDOW (widget), PENDING_OPEN);
}

static void
open_example_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LsMainWindow *self = LS_MAIN_WINDOW (widget);

  g_free (self->pending_example);
  self->pending_example = g_variant_dup_string (parameter, NULL);
  request_action (self, PENDING_OPEN_EXAMPLE);
}

/* Larger text shows fewer lines of the description, which would
 * otherwise take the height the diagram needs, unless a click on the
 * description expanded it. Its tooltip has it all too. */
static void
update_description_lines (LsMainWindow *self)
{
  double panel_scale = MIN (self->font_scale, MAX_PANEL_FONT_SCALE);

  gtk_label_set_ellipsize (self->description_label,
                           self->description_expanded ? PANGO_ELLIPSIZE_NONE : PANGO_ELLIPSIZE_END);
  gtk_label_set_lines (self->description_label, panel_scale > 1.0 ? 3 : 6);
}

static void
description_pressed_cb (GtkGestureClick *gesture,
                        int              n_press,
                        double           x,
                        double           y,
                        LsMainWindow    *self)
{
  self->description_expanded = !self->description_expanded;
  update_description_lines (self);
}

/* Scales the text of the side panels with the diagram's, so the inspector's
 * formula is readable on a projector too. A provider is per display, so
 * its rule names a class that only this window has. */
static void
update_panel_scale (LsMainWindow *self)
{
  g_autofree char *css = NULL;
  char percent[G_ASCII_DTOSTR_BUF_SIZE];
  double panel_scale = MIN (self->font_scale, MAX_PANEL_FONT_SCALE);

  if (self->scale_provider == NULL)
    {
      static guint n_windows;

      self->scale_class = g_strdup_printf ("ls-window-%u", ++n_windows);
      gtk_widget_add_css_class (GTK_WIDGET (self), self->scale_class);
      self->scale_provider = gtk_css_provider_new ();
      gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                  GTK_STYLE_PROVIDER (self->scale_provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }

  /* The panels grow less than the diagram, so that large text still
   * leaves the diagram room on a 1024-pixel-wide projector. */
  g_ascii_formatd (percent, sizeof percent, "%.0f", 100.0 * panel_scale);
  css = g_strdup_printf (".%s .sidebar, .%s .description { font-size: %s%%; }",
                         self->scale_class, self->scale_class, percent);
  gtk_css_provider_load_from_data (self->scale_provider, css, -1);
  ls_panes_set_scale (self->panes, panel_scale);

  update_description_lines (self);
}

static void
set_font_scale (LsMainWindow *self,
                double        font_scale)
{
  self->font_scale = CLAMP (font_scale, MIN_FONT_SCALE, MAX_FONT_SCALE);
  if (self->settings != NULL)
    g_settings_set_double (self->settings, "font-scale", self->font_scale);
  ls_diagram_view_set_font_scale (self->diagram_view, self->font_scale);
  ls_bars_view_set_font_scale (self->bars_view, self->font_scale);
  ls_curves_view_set_font_scale (self->curves_view, self->font_scale);
  ls_decision_map_view_set_font_scale (self->decision_map_view, self->font_scale);
  update_panel_scale (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.text-larger", self->font_scale < MAX_FONT_SCALE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.text-smaller", self->font_scale > MIN_FONT_SCALE);
}

static void
text_larger_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LsMainWindow *self = LS_MAIN_WINDOW (widget);

  set_font_scale (self, self->font_scale * FONT_SCALE_STEP);
}

static void
text_smaller_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LsMainWindow *self = LS_MAIN_WINDOW (widget);

  set_font_scale (self, self->font_scale / FONT_SCALE_STEP);
}

/* Returns the application's settings, or NULL when its schema is not
 * installed, as in an uninstalled build run without `meson devenv`. */
static GSettings *
new_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);

  if (schema == NULL)
    {
      g_debug ("Settings schema %s not found; the window size and text size will not be kept",
               APPLICATION_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static void
save_window_state (LsMainWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
}

static void
restore_window_state (LsMainWindow *self)
{
  if (self->settings == NULL)
    {
      set_font_scale (self, 1.0);
      return;
    }

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  set_font_scale (self, g_settings_get_double (self->settings, "font-scale"));
}

/* Puts back the document as it was before the last layer removal. The
 * document keeps its file and counts as changed. */
static void
undo_remove_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LsMainWindow *self = LS_MAIN_WINDOW (widget);
  g_autoptr(LsNetwork) network = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = self->file != NULL ? g_object_ref (self->file) : NULL;
  g_autofree char *snapshot = g_steal_pointer (&self->undo_snapshot);

  if (snapshot == NULL)
    return;

  network = ls_document_load_data (snapshot, -1, _("the copy for Undo"), &error);
  if (network == NULL)
    {
      show_error (self, error->message);
      return;
    }

  ls_main_window_set_network (self, network, file);
  self->modified = TRUE;
  update_title (self);
}

static void
text_reset_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  set_font_scale (LS_MAIN_WINDOW (widget), 1.0);
}

/* The diagram is gone once the template is disposed, and then the
 * property stays FALSE. */
static void
set_scale_feature_maps (LsMainWindow *self,
                        gboolean      scale_feature_maps)
{
  if (self->diagram_view == NULL ||
      ls_diagram_view_get_scale_feature_maps (self->diagram_view) == !!scale_feature_maps)
    return;

  ls_diagram_view_set_scale_feature_maps (self->diagram_view, scale_feature_maps);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE_FEATURE_MAPS]);
}

/* Ties the "scale-feature-maps" property, and so the action of that name,
 * to the setting of the same name, which every window shares. An older
 * installed schema without the key leaves the choice unsaved. */
static void
bind_scale_feature_maps (LsMainWindow *self)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  if (self->settings == NULL)
    return;

  g_object_get (self->settings, "settings-schema", &schema, NULL);
  if (!g_settings_schema_has_key (schema, "scale-feature-maps"))
    {
      g_debug ("Settings schema %s has no key scale-feature-maps; the feature map scaling will not be kept",
               APPLICATION_ID);
      return;
    }

  g_settings_bind (self->settings, "scale-feature-maps", self, "scale-feature-maps", G_SETTINGS_BIND_DEFAULT);
}

/* Shows the side panel if hidden and puts the cursor in the text field
 * of a text input. */
static void
focus_text_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LsMainWindow *self = LS_MAIN_WINDOW (widget);

  if (!ls_network_has_token_input (self->network))
    return;

  gtk_toggle_button_set_active (self->controls_button, TRUE);
  ls_input_panel_focus_text (self->input_panel);
}

static void
toggle_controls_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  LsMainWindow *self = LS_MAIN_WINDOW (widget);

  gtk_toggle_button_set_active (self->controls_button, !gtk_toggle_button_get_active (self->controls_button));
}

static void
toggle_inspector_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  LsMainWindow *self = LS_MAIN_WINDOW (widget);

  gtk_toggle_button_set_active (self->inspector_button, !gtk_toggle_button_get_active (self->inspector_button));
}

/* Hides the inspector pane when the window gets too narrow for it next
 * to the diagram, and shows it again once the window is wide enough,
 * unless the user toggled it in between. */
static void
end_fits_cb (LsMainWindow *self)
{
  gboolean fits = ls_panes_get_end_fits (self->panes);

  if (!fits && gtk_toggle_button_get_active (self->inspector_button))
    {
      gtk_toggle_button_set_active (self->inspector_button, FALSE);
      self->inspector_auto_hidden = TRUE;
    }
  else if (fits && self->inspector_auto_hidden)
    {
      gtk_toggle_button_set_active (self->inspector_button, TRUE);
    }
}

static void
inspector_toggled_cb (LsMainWindow *self)
{
  self->inspector_auto_hidden = FALSE;
}

/* Shows why a comparison was rejected, replacing the previous such
 * message, until the user dismisses it or a comparison succeeds. */
static void
show_compare_error (LsMainWindow *self,
                    const char   *message)
{
  if (self->compare_error_toast != NULL)
    adw_toast_dismiss (self->compare_error_toast);
  g_set_object (&self->compare_error_toast, show_error (self, message));
}

/* Shows compared as network B beside the window's network, or why it
 * cannot be compared, which is also returned. */
static gboolean
start_comparison (LsMainWindow  *self,
                  LsNetwork     *compared,
                  const char    *name,
                  GError       **error)
{
  if (!ls_compare_view_set_compared (self->compare_view, compared, name, error))
    {
      show_compare_error (self, (*error)->message);
      return FALSE;
    }

  /* The rejection of an earlier file no longer applies. */
  if (self->compare_error_toast != NULL)
    adw_toast_dismiss (self->compare_error_toast);
  g_clear_object (&self->compare_error_toast);
  gtk_toggle_button_set_active (self->inspector_button, TRUE);

  return TRUE;
}

gboolean
ls_main_window_compare_file (LsMainWindow  *self,
                             GFile         *file,
                             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(LsNetwork) compared = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (LS_IS_MAIN_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  compared = ls_document_load_file (file, &local_error);
  name = g_file_get_basename (file);
  if (compared == NULL)
    show_compare_error (self, local_error->message);
  else
    start_comparison (self, compared, name, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

static void
compare_dialog_response_cb (GtkNativeDialog *dialog,
                            int              response,
                            LsMainWindow    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      ls_main_window_compare_file (self, file, NULL);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
compare_with_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LsMainWindow *self = LS_MAIN_WINDOW (widget);
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Compare With Network"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Compare"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), new_network_filter ());
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), new_all_files_filter ());
  g_signal_connect (dialog, "response", G_CALLBACK (compare_dialog_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Compares later edits with the network as it is now, copied through
 * the document format so that B shares no state with A. */
static void
keep_copy_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LsMainWindow *self = LS_MAIN_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(LsNetwork) copy = NULL;
  g_autofree char *data = NULL;
  g_autofree char *display_name = get_display_name (self);
  g_autofree char *name = NULL;
  gsize length;

  data = ls_document_to_data (self->network, &length);
  copy = ls_document_load_data (data, length, display_name, &error);
  if (copy == NULL)
    {
      show_error (self, error->message);
      return;
    }

  /* TRANSLATORS: the name of network B when it is a copy of the open network */
  name = g_strdup_printf (_("copy of %s"), display_name);
  start_comparison (self, copy, name, &error);
}

/* Opens the Depth Explorer, or raises the one this window opened. It
 * trains networks of its own, so it needs no document. */
static void
depth_explorer_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  LsMainWindow *self = LS_MAIN_WINDOW (widget);

  if (self->depth_explorer == NULL)
    {
      self->depth_explorer = GTK_WINDOW (ls_depth_explorer_new (gtk_window_get_application (GTK_WINDOW (self))));
      g_object_add_weak_pointer (G_OBJECT (self->depth_explorer), (gpointer *) &self->depth_explorer);
    }

  gtk_window_present (self->depth_explorer);
}

static gboolean
ls_main_window_close_request (GtkWindow *window)
{
  LsMainWindow *self = LS_MAIN_WINDOW (window);
  LsTrainingController *controller = ls_training_panel_get_controller (self->training_panel);

  save_window_state (self);
  /* Training must not go on behind the dialog about unsaved changes. */
  if (controller != NULL)
    ls_training_controller_pause (controller);

  if (self->modified)
    {
      request_action (self, PENDING_CLOSE);
      return TRUE;
    }

  return GTK_WINDOW_CLASS (ls_main_window_parent_class)->close_request (window);
}

static void
ls_main_window_dispose (GObject *object)
{
  LsMainWindow *self = LS_MAIN_WINDOW (object);

  /* a setting changed by another window must not reach the disposed diagram */
  g_settings_unbind (self, "scale-feature-maps");
  if (self->plane_map_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->plane_map_tick);
  self->plane_map_tick = 0;
  if (self->diagram_view != NULL)
    ls_diagram_view_set_plane_map (self->diagram_view, NULL);
  if (self->decision_map_view != NULL)
    ls_decision_map_view_set_plane_map (self->decision_map_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LS_TYPE_MAIN_WINDOW);
  if (self->depth_explorer != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->depth_explorer), (gpointer *) &self->depth_explorer);
  self->depth_explorer = NULL;
  g_clear_object (&self->network);
  g_clear_object (&self->file);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->undo_snapshot, g_free);
  g_clear_object (&self->undo_toast);
  g_clear_object (&self->compare_error_toast);
  if (self->scale_provider != NULL)
    gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                   GTK_STYLE_PROVIDER (self->scale_provider));
  g_clear_object (&self->scale_provider);
  g_clear_pointer (&self->scale_class, g_free);
  g_clear_pointer (&self->column_shapes, g_array_unref);
  g_clear_pointer (&self->plane_map, ls_plane_map_free);

  G_OBJECT_CLASS (ls_main_window_parent_class)->dispose (object);
}

static void
ls_main_window_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LsMainWindow *self = LS_MAIN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SCALE_FEATURE_MAPS:
      g_value_set_boolean (value, self->diagram_view != NULL &&
                                  ls_diagram_view_get_scale_feature_maps (self->diagram_view));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_main_window_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  LsMainWindow *self = LS_MAIN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SCALE_FEATURE_MAPS:
      set_scale_feature_maps (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_main_window_class_init (LsMainWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ls_main_window_dispose;
  object_class->get_property = ls_main_window_get_property;
  object_class->set_property = ls_main_window_set_property;
  window_class->close_request = ls_main_window_close_request;

  /* Colours each convolution or pooling layer's feature maps relative to
   * that layer's largest magnitude. */
  properties[PROP_SCALE_FEATURE_MAPS] =
    g_param_spec_boolean ("scale-feature-maps", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LS_TYPE_BARS_VIEW);
  g_type_ensure (LS_TYPE_CURVES_VIEW);
  g_type_ensure (LS_TYPE_COMPARE_VIEW);
  g_type_ensure (LS_TYPE_DECISION_MAP_VIEW);
  g_type_ensure (LS_TYPE_DIAGRAM_VIEW);
  g_type_ensure (LS_TYPE_INPUT_PANEL);
  g_type_ensure (LS_TYPE_INSPECTOR);
  g_type_ensure (LS_TYPE_LAYER_PANEL);
  g_type_ensure (LS_TYPE_PANES);
  g_type_ensure (LS_TYPE_TRAINING_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/layerscope/Layerscope/ls-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, input_panel);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, layer_panel);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, parameters_label);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, description_label);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, overflow_label);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, training_bar_slot);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, controls_button);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, inspector_button);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, panes);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, start_pane);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, diagram_view);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, bars_view);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, curves_view);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, training_panel);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, compare_view);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, decision_map_view);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, inspector);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "win.text-larger", NULL, text_larger_action);
  gtk_widget_class_install_action (widget_class, "win.text-smaller", NULL, text_smaller_action);
  gtk_widget_class_install_action (widget_class, "win.text-reset", NULL, text_reset_action);
  gtk_widget_class_install_action (widget_class, "win.undo-remove", NULL, undo_remove_action);
  gtk_widget_class_install_action (widget_class, "win.open-example", "s", open_example_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-controls", NULL, toggle_controls_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-inspector", NULL, toggle_inspector_action);
  gtk_widget_class_install_action (widget_class, "win.focus-text", NULL, focus_text_action);
  gtk_widget_class_install_action (widget_class, "win.compare-with", NULL, compare_with_action);
  gtk_widget_class_install_action (widget_class, "win.keep-copy", NULL, keep_copy_action);
  gtk_widget_class_install_action (widget_class, "win.depth-explorer", NULL, depth_explorer_action);
  gtk_widget_class_install_property_action (widget_class, "win.scale-feature-maps", "scale-feature-maps");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-controls", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, GDK_SHIFT_MASK, "win.toggle-inspector", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.focus-text", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.depth-explorer", NULL);
}

static void
ls_main_window_init (LsMainWindow *self)
{
  GtkGesture *description_click;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_box_append (self->training_bar_slot, ls_training_panel_get_bar (self->training_panel));
  self->column_shapes = g_array_new (FALSE, TRUE, sizeof (LsShape));
  self->plane_map = ls_plane_map_new (PLANE_MAP_SIZE, PLANE_MAP_SIZE);

  g_signal_connect_object (self->diagram_view, "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->inspector, "selection-requested",
                           G_CALLBACK (ls_diagram_view_set_selection), self->diagram_view, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->layer_panel, "layer-removed",
                           G_CALLBACK (layer_removed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->input_panel, "notify::text-rejected",
                           G_CALLBACK (text_rejected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->panes, "notify::end-fits",
                           G_CALLBACK (end_fits_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->inspector_button, "toggled",
                           G_CALLBACK (inspector_toggled_cb), self, G_CONNECT_SWAPPED);
  description_click = gtk_gesture_click_new ();
  g_signal_connect_object (description_click, "pressed", G_CALLBACK (description_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->description_label), GTK_EVENT_CONTROLLER (description_click));
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->description_label), "pointer");
  self->settings = new_settings ();
  restore_window_state (self);
  bind_scale_feature_maps (self);
}

LsMainWindow *
ls_main_window_new (GtkApplication *application)
{
  return g_object_new (LS_TYPE_MAIN_WINDOW, "application", application, NULL);
}
