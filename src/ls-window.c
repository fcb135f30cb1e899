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
#include "ls-code-dialog.h"
#include "ls-decision-map-view.h"
#include "ls-compare-view.h"
#include "ls-depth-explorer.h"
#include "ls-curves-view.h"
#include "ls-autosave.h"
#include "ls-diagram-layout-private.h"
#include "ls-diagram-view.h"
#include "ls-document.h"
#include "ls-example-strings.h"
#include "ls-explain.h"
#include "ls-export-dialog.h"
#include "ls-history.h"
#include "ls-inspector.h"
#include "ls-lesson-panel.h"
#include "ls-panel.h"
#include "ls-paths.h"
#include "ls-preferences.h"
#include "ls-presenter-strip.h"
#include "ls-presenter-ui.h"
#include "ls-presenter-window.h"
#include "ls-training-panel.h"
#include "ls-window.h"

#define MIN_FONT_SCALE 0.75
#define MAX_FONT_SCALE 3.0
#define FONT_SCALE_STEP 1.25
#define MAX_PANEL_FONT_SCALE 1.5
/* Window width in pixels from which the lessons sidebar opens beside the
 * controls pane instead of in its place. */
#define LESSONS_WITH_CONTROLS_WIDTH 1600

typedef enum
{
  PENDING_NONE,
  PENDING_OPEN,
  PENDING_OPEN_EXAMPLE,
  PENDING_OPEN_FILE,
  PENDING_CLOSE,
} PendingAction;

/* The name under which the recent files list records Layerscope's
 * documents, whatever the executable is called. */
#define RECENT_APPLICATION_NAME "Layerscope"
#define RECENT_MAX_ITEMS 8

/* Seconds between autosaves while the document has unsaved changes. */
#define AUTOSAVE_INTERVAL_SECONDS 10

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
  GFile *pending_file;    /* nullable: the file that PENDING_OPEN_FILE opens */
  AdwToast *undo_toast;   /* nullable: the message that offers to undo a layer removal */
  LsHistory *history;     /* the document after each edit, for Undo and Redo */
  guint history_idle;     /* nonzero while an edit waits to be recorded */
  guint history_key;      /* LsChange flags of that edit, 0 when it must not coalesce */
  gint64 history_first;   /* monotonic time of the first change of that edit, 0 when none waits */
  gint64 history_last;    /* monotonic time of its last change */
  guint64 history_step;   /* the training step at the last record, to tell training from edits */
  gboolean training_unrecorded;  /* a training run changed the network since the last record */
  LsAutosave *autosave;   /* nullable: this document's copy for crash recovery, made at the first write */
  guint autosave_source;  /* nonzero while an autosave is scheduled */
  gboolean autosave_failed;  /* the autosave failure was shown once */
  GMenu *recent_menu;     /* the "Open Recent" submenu */
  AdwToast *compare_error_toast;  /* nullable: why the last comparison was rejected */
  GtkCssProvider *scale_provider;  /* text size of this window's side panels */
  char *scale_class;     /* CSS class that ties scale_provider to this window */
  gboolean inspector_auto_hidden;  /* the window hid the inspector pane for lack of room */
  gboolean controls_hidden_for_lessons;  /* opening the lessons hid the controls pane */
  gboolean description_expanded;   /* the description shows in full, whatever the text scale */
  LsPlaneMap *plane_map;  /* each unit over the input plane, for a 2-input network */
  guint plane_map_tick;   /* nonzero while a recompute waits for the next frame */
  GArray *column_shapes;  /* of LsShape, [layers + 1]: the diagram's columns at the last change */
  LsPresenter *presenter;  /* nullable: the walk-through while presenter mode is on */
  LsPresenterStrip *presenter_strip;   /* nullable: its step and formula, under the diagram */
  LsBarsView *presenter_bars;  /* nullable: its output bars, beside the diagram */
  GtkEventController *presenter_keys;  /* nullable: its stepping keys */
  GtkWindow *presenter_window;  /* nullable: the diagram on a second screen */
  gboolean presenter_fullscreen;  /* presenter mode fills the screen with the diagram */
  gboolean presenter_saved_controls;    /* whether the start pane showed before that */
  gboolean presenter_saved_inspector;   /* whether the end pane showed before that */
  gboolean presenter_saved_fullscreen;  /* whether the window was full screen before that */
  gboolean presenter_saved_spotlight;   /* whether the spotlight was on before presenter mode */

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
  LsCodeDialog *code_dialog;  /* nullable, weak: the open "Show Code" window */
  LsDecisionMapView *decision_map_view;
  LsInspector *inspector;
  LsLessonPanel *lesson_panel;
  GtkToggleButton *lessons_button;
  GtkWidget *header_bar;
  GtkBox *presenter_slot;  /* contains the presenter strip in presenter mode */
  GtkBox *presenter_side_slot;  /* contains the presenter bars while full screen */
};

G_DEFINE_FINAL_TYPE (LsMainWindow, ls_main_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SCALE_FEATURE_MAPS,
  PROP_SPOTLIGHT,
  PROP_PRESENTER_MODE,
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
  /* Presenter mode keeps the description hidden until it ends. */
  gtk_widget_set_visible (GTK_WIDGET (self->description_label),
                          description != NULL && *description != '\0' && !self->presenter_fullscreen);
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

/* Withdraws the offer to undo a layer removal, because Undo would now
 * undo a later edit first, or the document is another one. */
static void
forget_undo (LsMainWindow *self)
{
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
  self->undo_toast = g_object_ref (adw_toast_new (message));
  adw_toast_set_button_label (self->undo_toast, _("_Undo"));
  adw_toast_set_action_name (self->undo_toast, "win.undo");
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

/* Documents: undo history, autosave and recent files ------------------- */

static void
update_history_actions (LsMainWindow *self)
{
  /* An edit that waits to be recorded can be undone, and it ends any redo. */
  gboolean waiting = self->history_idle != 0 || self->training_unrecorded;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo",
                                 waiting || ls_history_can_undo (self->history));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.redo",
                                 !waiting && ls_history_can_redo (self->history));
}

static void
remove_autosave (LsMainWindow *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->autosave_source, g_source_remove);
  if (self->autosave != NULL && !ls_autosave_remove (self->autosave, &error))
    g_warning ("%s", error->message);
}

/* Writes a copy of the document for recovery after a crash. A failure
 * is shown once per window, since the user can still save. */
static gboolean
write_autosave (LsMainWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *name = NULL;
  gsize length;

  if (self->autosave == NULL)
    self->autosave = ls_autosave_new (NULL, &error);
  if (self->autosave != NULL)
    {
      data = ls_document_to_data (self->network, &length);
      name = get_display_name (self);
      if (ls_autosave_write (self->autosave, data, self->file, name, &error))
        return TRUE;
    }

  g_warning ("Autosave failed: %s", error->message);
  if (!self->autosave_failed)
    {
      g_autofree char *message = g_strdup_printf (_("Autosave failed, so a crash would lose the unsaved changes (%s). "
                                                    "Save the network to keep them."),
                                                  error->message);

      show_error (self, message);
      self->autosave_failed = TRUE;
    }

  return FALSE;
}

static gboolean
autosave_cb (gpointer data)
{
  LsMainWindow *self = data;

  self->autosave_source = 0;
  if (self->modified)
    write_autosave (self);

  return G_SOURCE_REMOVE;
}

/* Writes the first copy once the main loop is idle, and later copies at
 * most AUTOSAVE_INTERVAL_SECONDS after the edit that they contain. */
static void
schedule_autosave (LsMainWindow *self)
{
  if (self->autosave_source != 0)
    return;

  if (self->autosave == NULL || !ls_autosave_has_copy (self->autosave))
    self->autosave_source = g_idle_add (autosave_cb, self);
  else
    self->autosave_source = g_timeout_add_seconds (AUTOSAVE_INTERVAL_SECONDS, autosave_cb, self);
}

/* Sets whether the document differs from its file. An unmodified
 * document needs no copy for recovery. */
static void
set_modified (LsMainWindow *self,
              gboolean      modified)
{
  /* Dispose has freed the history and must not leave a timer behind. */
  if (self->history == NULL)
    return;

  if (modified)
    schedule_autosave (self);
  else
    remove_autosave (self);

  if (self->modified == modified)
    return;

  self->modified = modified;
  update_title (self);
}

static guint64
get_training_step (LsMainWindow *self)
{
  LsTrainingController *controller;

  if (self->training_panel == NULL)
    return 0;

  controller = ls_training_panel_get_controller (self->training_panel);

  return controller != NULL ? ls_training_controller_get_step (controller) : 0;
}

/* Records the network as it is now as one undo step. Edits with the same
 * nonzero key soon after each other join into one step. */
static void
record_history (LsMainWindow *self,
                guint         key)
{
  g_autofree char *state = NULL;
  gsize length;

  /* The times of the changes, not of this record, decide whether the
   * edit joins the previous one: a slow redraw must not split a word. */
  if (self->history_first == 0)
    self->history_first = self->history_last = g_get_monotonic_time ();
  g_clear_handle_id (&self->history_idle, g_source_remove);
  self->training_unrecorded = FALSE;
  self->history_step = get_training_step (self);
  state = ls_document_to_data (self->network, &length);
  ls_history_record_span (self->history, state, key, self->history_first, self->history_last);
  self->history_first = 0;
  set_modified (self, !ls_history_is_saved (self->history));
  update_history_actions (self);
}

static gboolean
history_idle_cb (gpointer data)
{
  LsMainWindow *self = data;

  self->history_idle = 0;
  record_history (self, self->history_key);

  return G_SOURCE_REMOVE;
}

/* Schedules the record of an edit. A training run is recorded when it
 * stops, as one step, and a training step or reset never joins an edit. */
static void
note_change (LsMainWindow *self,
             guint         change)
{
  LsTrainingController *controller;
  guint key = change;

  if (self->history == NULL || self->training_panel == NULL)
    return;

  controller = ls_training_panel_get_controller (self->training_panel);
  if (controller != NULL && ls_training_controller_is_running (controller))
    {
      self->training_unrecorded = TRUE;
      update_history_actions (self);
      return;
    }

  if (get_training_step (self) != self->history_step)
    key = 0;
  if (self->history_idle != 0 && self->history_key != key)
    key = 0;
  self->history_key = key;
  self->history_last = g_get_monotonic_time ();
  if (self->history_first == 0)
    self->history_first = self->history_last;
  if (self->history_idle == 0)
    self->history_idle = g_idle_add (history_idle_cb, self);
  update_history_actions (self);
}

static void
training_stopped_cb (LsMainWindow *self)
{
  /* A run can stop while dispose takes the panels and the network away. */
  if (self->history == NULL || self->network == NULL || self->training_panel == NULL)
    return;

  record_history (self, 0);
}

/* Records what is still waiting, after pausing training, so that Undo
 * and Redo start from the network as shown. */
static void
finish_pending_edits (LsMainWindow *self)
{
  LsTrainingController *controller = ls_training_panel_get_controller (self->training_panel);

  if (controller != NULL && ls_training_controller_is_running (controller))
    ls_training_controller_pause (controller);
  if (self->history_idle != 0 || self->training_unrecorded)
    record_history (self, 0);
}

/* Starts the history over with the document as shown, which counts as
 * the saved state. */
static void
reset_history (LsMainWindow *self)
{
  g_autofree char *state = NULL;
  gsize length;

  g_clear_handle_id (&self->history_idle, g_source_remove);
  self->history_first = 0;
  self->training_unrecorded = FALSE;
  self->history_step = get_training_step (self);
  state = ls_document_to_data (self->network, &length);
  ls_history_reset (self->history, state);
  set_modified (self, FALSE);
  update_history_actions (self);
}

static void
add_recent_file (GFile *file)
{
  g_autofree char *uri = g_file_get_uri (file);
  GtkRecentData data = {
    .mime_type = (char *) "application/json",
    .app_name = (char *) RECENT_APPLICATION_NAME,
    .app_exec = (char *) "layerscope %u",
  };

  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
}

/* Returns TRUE for a recent file that Layerscope opened or saved. */
static gboolean
is_recent_document (GtkRecentInfo *info)
{
  return gtk_recent_info_has_application (info, RECENT_APPLICATION_NAME) &&
         g_str_has_suffix (gtk_recent_info_get_uri (info), ".json");
}

static int
compare_recent_newest_first (gconstpointer a,
                             gconstpointer b)
{
  GtkRecentInfo *first = *(GtkRecentInfo * const *) a;
  GtkRecentInfo *second = *(GtkRecentInfo * const *) b;

  return g_date_time_compare (gtk_recent_info_get_modified (second), gtk_recent_info_get_modified (first));
}

/* Returns Layerscope's recent documents, newest first, at most
 * RECENT_MAX_ITEMS of them. */
static GPtrArray *
list_recent_documents (void)
{
  GList *items = gtk_recent_manager_get_items (gtk_recent_manager_get_default ());
  GPtrArray *documents = g_ptr_array_new_with_free_func ((GDestroyNotify) gtk_recent_info_unref);

  for (GList *l = items; l != NULL; l = l->next)
    {
      GtkRecentInfo *info = l->data;

      if (is_recent_document (info))
        g_ptr_array_add (documents, gtk_recent_info_ref (info));
    }
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);

  g_ptr_array_sort (documents, compare_recent_newest_first);
  if (documents->len > RECENT_MAX_ITEMS)
    g_ptr_array_set_size (documents, RECENT_MAX_ITEMS);

  return documents;
}

static void
update_recent_menu (LsMainWindow *self)
{
  g_autoptr(GPtrArray) documents = list_recent_documents ();
  g_autoptr(GMenu) files = g_menu_new ();
  g_autoptr(GMenu) clear = g_menu_new ();

  for (guint i = 0; i < documents->len; i++)
    {
      GtkRecentInfo *info = g_ptr_array_index (documents, i);
      g_autoptr(GMenuItem) item = g_menu_item_new (gtk_recent_info_get_display_name (info), NULL);

      g_menu_item_set_action_and_target (item, "win.open-recent", "s", gtk_recent_info_get_uri (info));
      g_menu_append_item (files, item);
    }
  g_menu_append (clear, _("_Clear Recent Files"), "win.clear-recent");

  g_menu_remove_all (self->recent_menu);
  g_menu_append_section (self->recent_menu, NULL, G_MENU_MODEL (files));
  g_menu_append_section (self->recent_menu, NULL, G_MENU_MODEL (clear));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.clear-recent", documents->len > 0);
}

static void
network_changed_cb (LsMainWindow *self,
                    guint         change)
{
  forget_undo (self);
  note_change (self, change);
  schedule_plane_map (self);

  if (change & LS_CHANGE_STRUCTURE)
    {
      update_selection (self);
      remember_column_shapes (self);
    }

  set_modified (self, TRUE);

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

/* Shows network in every panel, leaving the history and the modified
 * state to the caller. */
static void
show_network (LsMainWindow *self,
              LsNetwork    *network,
              GFile        *file)
{
  LsTrainingController *controller;

  if (self->network != NULL)
    g_signal_handlers_disconnect_by_data (self->network, self);
  g_set_object (&self->network, network);
  g_set_object (&self->file, file);
  remember_column_shapes (self);
  forget_undo (self);
  /* Before the window connects, so a lesson step's input counts as part
   * of the example that the step opened, not as an unsaved change. */
  ls_lesson_panel_set_network (self->lesson_panel, network);
  g_signal_connect_object (network, "changed", G_CALLBACK (network_changed_cb), self, G_CONNECT_SWAPPED);

  ls_input_panel_set_network (self->input_panel, network);
  ls_layer_panel_set_network (self->layer_panel, network);
  ls_diagram_view_set_network (self->diagram_view, network);
  ls_bars_view_set_network (self->bars_view, network);
  ls_training_panel_set_network (self->training_panel, network);
  ls_curves_view_set_controller (self->curves_view, ls_training_panel_get_controller (self->training_panel));
  follow_training_samples (self);
  controller = ls_training_panel_get_controller (self->training_panel);
  if (controller != NULL)
    g_signal_connect_object (controller, "stopped", G_CALLBACK (training_stopped_cb), self, G_CONNECT_SWAPPED);
  ls_decision_map_view_set_network (self->decision_map_view, network);
  schedule_plane_map (self);
  ls_compare_view_set_network (self->compare_view, network);
  ls_inspector_set_network (self->inspector, network);
  if (self->presenter != NULL)
    {
      ls_bars_view_set_network (self->presenter_bars, network);
      ls_presenter_set_network (self->presenter, network);
    }
  if (self->code_dialog != NULL)
    ls_code_dialog_set_network (self->code_dialog, network);
  /* The side panel starts at the input, not where the last document
   * left it. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->start_pane), 0.0);
  update_parameters (self);
  update_description (self);
  update_overflow (self);
  update_title (self);
}

void
ls_main_window_set_network (LsMainWindow *self,
                            LsNetwork    *network,
                            GFile        *file)
{
  g_return_if_fail (LS_IS_MAIN_WINDOW (self));
  g_return_if_fail (LS_IS_NETWORK (network));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  show_network (self, network, file);
  reset_history (self);
}

gboolean
ls_main_window_recover (LsMainWindow  *self,
                        LsNetwork     *network,
                        GFile         *file)
{
  g_return_val_if_fail (LS_IS_MAIN_WINDOW (self), FALSE);
  g_return_val_if_fail (LS_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (file == NULL || G_IS_FILE (file), FALSE);

  ls_main_window_set_network (self, network, file);
  ls_history_forget_saved (self->history);
  set_modified (self, TRUE);
  g_clear_handle_id (&self->autosave_source, g_source_remove);

  return write_autosave (self);
}

/* Returns the selection again when the columns kept their shapes, or
 * LS_SELECTION_NONE, since the same index in another shape is another
 * value. */
static LsSelection
match_selection (LsMainWindow      *self,
                 const LsSelection *selection,
                 GArray            *old_shapes)
{
  LsSelection none = { LS_SELECTION_NONE };

  if (old_shapes->len != self->column_shapes->len)
    return none;
  for (guint i = 0; i < old_shapes->len; i++)
    if (!ls_shape_equal (&g_array_index (old_shapes, LsShape, i), &g_array_index (self->column_shapes, LsShape, i)))
      return none;
  if (selection->kind == LS_SELECTION_EDGE && !ls_diagram_has_edges_into (self->network, selection->column))
    return none;

  return *selection;
}

/* Shows a state from the history in place of the network, keeping the
 * file, the selection where it still fits, and the side panel's scroll
 * position.
 * NOTE: show_network() gives the training panel a new controller, so
 * Undo and Redo also clear the training curves. */
static void
restore_state (LsMainWindow *self,
               const char   *state)
{
  g_autoptr(LsNetwork) network = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = self->file != NULL ? g_object_ref (self->file) : NULL;
  g_autoptr(GArray) old_shapes = g_array_copy (self->column_shapes);
  GtkAdjustment *scroll = gtk_scrolled_window_get_vadjustment (self->start_pane);
  double scroll_value = gtk_adjustment_get_value (scroll);
  LsSelection selection = *ls_diagram_view_get_selection (self->diagram_view);

  network = ls_document_load_data (state, -1, _("the copy for Undo"), &error);
  if (network == NULL)
    {
      show_error (self, error->message);
      return;
    }

  show_network (self, network, file);
  selection = match_selection (self, &selection, old_shapes);
  if (selection.kind != LS_SELECTION_NONE)
    ls_diagram_view_set_selection (self->diagram_view, &selection);
  gtk_adjustment_set_value (scroll, scroll_value);
  self->history_step = get_training_step (self);
  set_modified (self, !ls_history_is_saved (self->history));
  update_history_actions (self);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LsMainWindow *self = LS_MAIN_WINDOW (widget);
  const char *state;

  finish_pending_edits (self);
  state = ls_history_undo (self->history);
  if (state != NULL)
    restore_state (self, state);
}

static void
redo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LsMainWindow *self = LS_MAIN_WINDOW (widget);
  const char *state;

  finish_pending_edits (self);
  state = ls_history_redo (self->history);
  if (state != NULL)
    restore_state (self, state);
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

GFile *
ls_main_window_get_file (LsMainWindow *self)
{
  g_return_val_if_fail (LS_IS_MAIN_WINDOW (self), NULL);

  return self->file;
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
  add_recent_file (file);

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

  ls_example_strings_translate (network);
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

  /* The saved state must be the one on disk, not the one before an edit
   * that waits to be recorded. */
  if (self->history_idle != 0 || self->training_unrecorded)
    record_history (self, 0);
  ls_history_mark_saved (self->history);
  g_set_object (&self->file, file);
  set_modified (self, FALSE);
  update_title (self);
  update_history_actions (self);
  add_recent_file (file);

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
      if (saved)
        ls_preferences_store_folder (self->settings, file);
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
      ls_preferences_restore_folder (self->settings, GTK_FILE_CHOOSER (dialog));
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

      if (ls_main_window_open_file (self, file, &error))
        ls_preferences_store_folder (self->settings, file);
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
  ls_preferences_restore_folder (self->settings, GTK_FILE_CHOOSER (dialog));
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
  g_autoptr(GFile) file = g_steal_pointer (&self->pending_file);

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

    case PENDING_OPEN_FILE:
      ls_main_window_open_file (self, file, NULL);
      break;

    case PENDING_CLOSE:
      /* The changes were saved or discarded, so their copy goes too. */
      set_modified (self, FALSE);
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

  /* Name the document as the header bar does: by its file, or else by
   * its title, as for an opened example. */
  name = self->file == NULL && ls_network_get_title (self->network) != NULL
         ? g_strdup (ls_network_get_title (self->network))
         : get_display_name (self);
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

/* Opens file once the unsaved changes are saved or discarded. */
static void
request_open_file (LsMainWindow *self,
                   GFile        *file)
{
  g_set_object (&self->pending_file, file);
  request_action (self, PENDING_OPEN_FILE);
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LsMainWindow *self = LS_MAIN_WINDOW (widget);
  const char *uri = g_variant_get_string (parameter, NULL);
  g_autoptr(GFile) file = g_file_new_for_uri (uri);

  /* Checked before the question about unsaved changes, which would be
   * for nothing. */
  if (!g_file_query_exists (file, NULL))
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_autofree char *message = NULL;

      /* TRANSLATORS: %s is a file's path */
      message = g_strdup_printf (_("“%s” was not found: it was moved, renamed or deleted. "
                                   "It is removed from the recent files; use Open… to find it."),
                                 name);
      show_error (self, message);
      gtk_recent_manager_remove_item (gtk_recent_manager_get_default (), uri, NULL);
      return;
    }

  request_open_file (self, file);
}

/* Removes Layerscope's documents from the recent files list, leaving
 * other applications' entries. */
static void
clear_recent_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GtkRecentManager *manager = gtk_recent_manager_get_default ();
  GList *items = gtk_recent_manager_get_items (manager);

  for (GList *l = items; l != NULL; l = l->next)
    if (is_recent_document (l->data))
      gtk_recent_manager_remove_item (manager, gtk_recent_info_get_uri (l->data), NULL);
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
}

static gboolean
has_json_extension (const char *name)
{
  const char *dot = name != NULL ? strrchr (name, '.') : NULL;

  return dot != NULL && g_ascii_strcasecmp (dot, ".json") == 0;
}

/* Opens a dropped network file, after the question about unsaved
 * changes. Anything else gets a message that names it. */
static gboolean
open_dropped_files (LsMainWindow *self,
                    GSList       *files)
{
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  guint n_files = g_slist_length (files);

  if (n_files != 1)
    {
      message = g_strdup_printf (ngettext ("%u file was dropped. Drop one Layerscope network file (.json) at a time.",
                                           "%u files were dropped. Drop one Layerscope network file (.json) at a time.",
                                           n_files),
                                 n_files);
      show_error (self, message);
      return FALSE;
    }

  name = g_file_get_basename (files->data);
  if (!has_json_extension (name))
    {
      /* TRANSLATORS: %s is the name of a dropped file, such as "cat.png" */
      message = g_strdup_printf (_("“%s” is not a Layerscope network. Drop a network file (.json) to open it."),
                                 name != NULL ? name : "");
      show_error (self, message);
      return FALSE;
    }

  request_open_file (self, files->data);

  return TRUE;
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         LsMainWindow  *self)
{
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return open_dropped_files (self, g_value_get_boxed (value));

  show_error (self, _("The dropped text is not a network. Drop a Layerscope network file (.json) to open it."));

  return FALSE;
}

static void
add_drop_target (LsMainWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_STRING };

  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
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
lessons_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LsMainWindow *self = LS_MAIN_WINDOW (widget);

  gtk_toggle_button_set_active (self->lessons_button, !gtk_toggle_button_get_active (self->lessons_button));
}

/* Hiding the lessons leaves the open lesson and clears its highlights.
 * In a window narrower than LESSONS_WITH_CONTROLS_WIDTH the lessons take
 * the place of the controls pane, so the output bars keep their room.
 * Closing the lessons brings the controls back. */
static void
lessons_toggled_cb (LsMainWindow *self)
{
  gboolean active = gtk_toggle_button_get_active (self->lessons_button);

  if (active && gtk_toggle_button_get_active (self->controls_button) &&
      gtk_widget_get_width (GTK_WIDGET (self)) < LESSONS_WITH_CONTROLS_WIDTH)
    {
      gtk_toggle_button_set_active (self->controls_button, FALSE);
      self->controls_hidden_for_lessons = TRUE;
    }
  if (active)
    ls_lesson_panel_grab_focus (self->lesson_panel);
  if (!active)
    {
      ls_lesson_panel_leave (self->lesson_panel);
      if (self->controls_hidden_for_lessons)
        gtk_toggle_button_set_active (self->controls_button, TRUE);
      self->controls_hidden_for_lessons = FALSE;
    }
}

/* A lesson step points at the input controls or the parameter count,
 * which must then be on screen even in a narrow window. */
static void
lesson_show_controls_cb (LsMainWindow *self)
{
  self->controls_hidden_for_lessons = FALSE;
  gtk_toggle_button_set_active (self->controls_button, TRUE);
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

      if (ls_main_window_compare_file (self, file, NULL))
        ls_preferences_store_folder (self->settings, file);
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
  ls_preferences_restore_folder (self->settings, GTK_FILE_CHOOSER (dialog));
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

static void
image_exported_cb (LsMainWindow *self,
                   GFile        *file)
{
  g_autofree char *name = g_file_get_parse_name (file);
  g_autofree char *message = g_strdup_printf (_("Exported the image to “%s”"), name);

  show_toast (self, message);
}

static void
export_image_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LsMainWindow *self = LS_MAIN_WINDOW (widget);
  g_autofree char *name = self->file != NULL ? g_file_get_basename (self->file) : suggest_file_name (self);
  LsExportDialog *dialog = ls_export_dialog_new (GTK_WINDOW (self), self->network, name, self->settings);
  g_autoptr(GFile) folder = self->file != NULL ? g_file_get_parent (self->file) : NULL;

  ls_export_dialog_set_folder (dialog, folder);
  g_signal_connect_object (dialog, "exported", G_CALLBACK (image_exported_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Applies the "palette" setting, which every window shares. */
static void
palette_changed_cb (LsMainWindow *self)
{
  gboolean high_contrast = ls_preferences_get_high_contrast (self->settings);

  if (self->diagram_view == NULL)
    return;

  /* Presenter mode keeps the high-contrast palette, and restore_layout()
   * applies the setting when it ends. */
  if (!self->presenter_fullscreen)
    ls_diagram_view_set_high_contrast (self->diagram_view, high_contrast);
  ls_bars_view_set_high_contrast (self->bars_view, high_contrast);
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

/* Opens the NumPy and PyTorch scripts of the current network, or raises
 * the window that shows them. */
static void
show_code_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LsMainWindow *self = LS_MAIN_WINDOW (widget);

  if (self->code_dialog == NULL)
    {
      self->code_dialog = ls_code_dialog_new (GTK_WINDOW (self), self->network);
      g_object_add_weak_pointer (G_OBJECT (self->code_dialog), (gpointer *) &self->code_dialog);
    }

  gtk_window_present (GTK_WINDOW (self->code_dialog));
}

/* Presenter mode: an LsPresenter steps the diagram through the forward
 * pass, and the strip under the diagram shows the step and its formula.
 * Full screen, the window hides its header bar, both side panes, the
 * description and the training bar, and shows the output bars beside
 * the diagram. It draws in the presenter style with the high-contrast
 * palette whatever the `palette` setting, because a projector washes out
 * the default palette's pale tints. With the presenter window open on a
 * second screen, this window keeps its controls and shows the strip as
 * notes for the teacher. */

static void
presenter_changed_cb (LsMainWindow *self)
{
  ls_presenter_ui_show_step (self->presenter, self->diagram_view, self->presenter_bars);
}

static void
presenter_selection_cb (LsMainWindow *self)
{
  ls_presenter_ui_follow_diagram (self->presenter, self->diagram_view);
}

static void set_presenter_mode (LsMainWindow *self,
                                gboolean      presenter_mode);

static gboolean
presenter_key_pressed_cb (GtkEventControllerKey *controller,
                          guint                  keyval,
                          guint                  keycode,
                          GdkModifierType        state,
                          LsMainWindow          *self)
{
  GdkModifierType modifiers = state & gtk_accelerator_get_default_mod_mask ();

  if (keyval == GDK_KEY_Escape && modifiers == 0)
    {
      set_presenter_mode (self, FALSE);
      return TRUE;
    }

  if (keyval == GDK_KEY_s && modifiers == 0)
    {
      ls_diagram_view_set_spotlight (self->diagram_view, !ls_diagram_view_get_spotlight (self->diagram_view));
      return TRUE;
    }

  return ls_presenter_ui_handle_key (self->presenter, keyval, state);
}

/* Fills the screen with the diagram and the strip, and remembers what it
 * hid for restore_layout(). The keys go to the presenter before any
 * widget, since no control is left to type into. */
static void
apply_presenting_layout (LsMainWindow *self)
{
  self->presenter_saved_controls = gtk_toggle_button_get_active (self->controls_button);
  self->presenter_saved_inspector = gtk_toggle_button_get_active (self->inspector_button);
  self->presenter_saved_fullscreen = gtk_window_is_fullscreen (GTK_WINDOW (self));
  gtk_toggle_button_set_active (self->controls_button, FALSE);
  gtk_toggle_button_set_active (self->inspector_button, FALSE);
  gtk_widget_set_visible (self->header_bar, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->training_bar_slot), FALSE);

  ls_diagram_view_set_presenter (self->diagram_view, TRUE);
  ls_diagram_view_set_high_contrast (self->diagram_view, TRUE);
  ls_presenter_ui_fit_views (self->presenter_bars, self->diagram_view, self->presenter_strip, self->settings, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->presenter_side_slot), TRUE);
  gtk_event_controller_set_propagation_phase (self->presenter_keys, GTK_PHASE_CAPTURE);

  gtk_window_fullscreen (GTK_WINDOW (self));
  self->presenter_fullscreen = TRUE;
  /* The lessons sidebar would squeeze the diagram on the projector. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lessons", FALSE);
}

/* Puts back what apply_presenting_layout() changed, and leaves the keys
 * to the focused control first. */
static void
restore_layout (LsMainWindow *self)
{
  if (!self->presenter_fullscreen)
    return;

  gtk_toggle_button_set_active (self->controls_button, self->presenter_saved_controls);
  gtk_toggle_button_set_active (self->inspector_button, self->presenter_saved_inspector);
  gtk_widget_set_visible (self->header_bar, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->training_bar_slot), TRUE);

  ls_presenter_ui_unfit_views (self->presenter_bars);
  ls_diagram_view_set_presenter (self->diagram_view, FALSE);
  ls_diagram_view_set_high_contrast (self->diagram_view, ls_preferences_get_high_contrast (self->settings));
  ls_diagram_view_set_font_scale (self->diagram_view, self->font_scale);
  ls_presenter_strip_set_text_scale (self->presenter_strip, 1.0);
  gtk_widget_set_visible (GTK_WIDGET (self->presenter_side_slot), FALSE);
  gtk_event_controller_set_propagation_phase (self->presenter_keys, GTK_PHASE_BUBBLE);

  if (!self->presenter_saved_fullscreen)
    gtk_window_unfullscreen (GTK_WINDOW (self));
  self->presenter_fullscreen = FALSE;
  update_description (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lessons", TRUE);
}

static void
start_presenter (LsMainWindow *self)
{
  self->presenter = ls_presenter_new (self->network);
  self->presenter_saved_spotlight = ls_diagram_view_get_spotlight (self->diagram_view);
  self->presenter_strip = LS_PRESENTER_STRIP (ls_presenter_strip_new ());
  ls_presenter_strip_set_presenter (self->presenter_strip, self->presenter);
  gtk_box_append (self->presenter_slot, GTK_WIDGET (self->presenter_strip));
  gtk_widget_set_visible (GTK_WIDGET (self->presenter_slot), TRUE);
  self->presenter_bars = LS_BARS_VIEW (ls_bars_view_new ());
  ls_bars_view_set_network (self->presenter_bars, self->network);
  gtk_box_append (self->presenter_side_slot, ls_presenter_ui_new_bars_scroller (self->presenter_bars));

  self->presenter_keys = gtk_event_controller_key_new ();
  g_signal_connect (self->presenter_keys, "key-pressed", G_CALLBACK (presenter_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), self->presenter_keys);

  g_signal_connect_object (self->presenter, "changed", G_CALLBACK (presenter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->diagram_view, "selection-changed",
                           G_CALLBACK (presenter_selection_cb), self, G_CONNECT_SWAPPED);
  presenter_changed_cb (self);
}

static void
stop_presenter (LsMainWindow *self)
{
  GtkWindow *presenter_window = g_steal_pointer (&self->presenter_window);

  if (presenter_window != NULL)
    {
      g_signal_handlers_disconnect_by_data (presenter_window, self);
      gtk_window_destroy (presenter_window);
    }

  ls_presenter_set_playing (self->presenter, FALSE);
  restore_layout (self);
  g_signal_handlers_disconnect_by_func (self->diagram_view, presenter_selection_cb, self);
  gtk_widget_remove_controller (GTK_WIDGET (self), g_steal_pointer (&self->presenter_keys));
  gtk_box_remove (self->presenter_slot, GTK_WIDGET (g_steal_pointer (&self->presenter_strip)));
  gtk_widget_set_visible (GTK_WIDGET (self->presenter_slot), FALSE);
  gtk_box_remove (self->presenter_side_slot, gtk_widget_get_first_child (GTK_WIDGET (self->presenter_side_slot)));
  self->presenter_bars = NULL;
  ls_presenter_ui_clear_step (self->diagram_view, NULL);
  ls_diagram_view_set_spotlight (self->diagram_view, self->presenter_saved_spotlight);
  g_clear_object (&self->presenter);
}

static void
set_presenter_mode (LsMainWindow *self,
                    gboolean      presenter_mode)
{
  if (!!presenter_mode == (self->presenter != NULL))
    return;

  if (presenter_mode)
    {
      start_presenter (self);
      apply_presenting_layout (self);
    }
  else
    {
      stop_presenter (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENTER_MODE]);
}

/* Closing the presenter window ends presenter mode. */
static void
presenter_window_destroy_cb (LsMainWindow *self)
{
  self->presenter_window = NULL;
  set_presenter_mode (self, FALSE);
}

/* Shows the diagram, the bars and the formula in a window of their own,
 * full screen on a second monitor when there is one, and keeps this
 * window's controls with the strip as notes. */
static void
presenter_window_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  LsMainWindow *self = LS_MAIN_WINDOW (widget);
  LsPresenterWindow *presenter_window;

  if (self->presenter_window != NULL)
    {
      gtk_window_present (self->presenter_window);
      return;
    }

  if (self->presenter == NULL)
    {
      start_presenter (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENTER_MODE]);
    }
  restore_layout (self);

  presenter_window = ls_presenter_window_new (gtk_window_get_application (GTK_WINDOW (self)), self->presenter,
                                              self->settings, TRUE);
  self->presenter_window = GTK_WINDOW (presenter_window);
  g_signal_connect_object (presenter_window, "destroy", G_CALLBACK (presenter_window_destroy_cb), self,
                           G_CONNECT_SWAPPED);
  ls_presenter_window_present (presenter_window, GTK_WINDOW (self));
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
  if (self->presenter != NULL)
    stop_presenter (self);
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
  if (self->code_dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->code_dialog), (gpointer *) &self->code_dialog);
  self->code_dialog = NULL;
  g_clear_object (&self->network);
  g_clear_object (&self->file);
  g_clear_object (&self->settings);
  g_clear_object (&self->undo_toast);
  g_clear_object (&self->pending_file);
  g_clear_handle_id (&self->history_idle, g_source_remove);
  /* An unsaved document keeps its copy, to be offered at the next start
   * as after a crash. The close path has asked about the changes before,
   * so this happens only when the window is destroyed without closing. */
  if (!self->modified)
    remove_autosave (self);
  g_clear_handle_id (&self->autosave_source, g_source_remove);
  g_clear_pointer (&self->autosave, ls_autosave_free);
  g_clear_pointer (&self->history, ls_history_free);
  g_clear_pointer (&self->pending_example, g_free);
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
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ls_diagram_view_zoom_in (LS_MAIN_WINDOW (widget)->diagram_view);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  ls_diagram_view_zoom_out (LS_MAIN_WINDOW (widget)->diagram_view);
}

static void
zoom_reset_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ls_diagram_view_zoom_reset (LS_MAIN_WINDOW (widget)->diagram_view);
}

/* Enables the zoom actions that can change the zoom from where it is. */
static void
diagram_zoom_changed_cb (LsMainWindow *self)
{
  double zoom = ls_diagram_view_get_zoom (self->diagram_view);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-in", zoom < LS_DIAGRAM_VIEW_MAX_ZOOM);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-out", zoom > 1.0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-reset", zoom > 1.0);
}

static void
diagram_spotlight_changed_cb (LsMainWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPOTLIGHT]);
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

    case PROP_SPOTLIGHT:
      g_value_set_boolean (value, self->diagram_view != NULL &&
                                  ls_diagram_view_get_spotlight (self->diagram_view));
      break;

    case PROP_PRESENTER_MODE:
      g_value_set_boolean (value, self->presenter != NULL);
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

    case PROP_SPOTLIGHT:
      ls_diagram_view_set_spotlight (self->diagram_view, g_value_get_boolean (value));
      break;

    case PROP_PRESENTER_MODE:
      set_presenter_mode (self, g_value_get_boolean (value));
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
  /* Darkens the diagram except a circle around the pointer, as
   * ls_diagram_view_set_spotlight(). */
  properties[PROP_SPOTLIGHT] =
    g_param_spec_boolean ("spotlight", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Steps the diagram through the forward pass, full screen. */
  properties[PROP_PRESENTER_MODE] =
    g_param_spec_boolean ("presenter-mode", NULL, NULL, FALSE,
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
  g_type_ensure (LS_TYPE_LESSON_PANEL);
  g_type_ensure (LS_TYPE_PANES);
  g_type_ensure (LS_TYPE_TRAINING_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/layerscope/Layerscope/ls-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, recent_menu);
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
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, lesson_panel);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, lessons_button);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, presenter_slot);
  gtk_widget_class_bind_template_child (widget_class, LsMainWindow, presenter_side_slot);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "win.text-larger", NULL, text_larger_action);
  gtk_widget_class_install_action (widget_class, "win.text-smaller", NULL, text_smaller_action);
  gtk_widget_class_install_action (widget_class, "win.text-reset", NULL, text_reset_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.clear-recent", NULL, clear_recent_action);
  gtk_widget_class_install_action (widget_class, "win.open-example", "s", open_example_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-controls", NULL, toggle_controls_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-inspector", NULL, toggle_inspector_action);
  gtk_widget_class_install_action (widget_class, "win.lessons", NULL, lessons_action);
  gtk_widget_class_install_action (widget_class, "win.focus-text", NULL, focus_text_action);
  gtk_widget_class_install_action (widget_class, "win.compare-with", NULL, compare_with_action);
  gtk_widget_class_install_action (widget_class, "win.keep-copy", NULL, keep_copy_action);
  gtk_widget_class_install_action (widget_class, "win.depth-explorer", NULL, depth_explorer_action);
  gtk_widget_class_install_action (widget_class, "win.show-code", NULL, show_code_action);
  gtk_widget_class_install_action (widget_class, "win.export-image", NULL, export_image_action);
  gtk_widget_class_install_property_action (widget_class, "win.scale-feature-maps", "scale-feature-maps");
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-reset", NULL, zoom_reset_action);
  gtk_widget_class_install_property_action (widget_class, "win.spotlight", "spotlight");
  gtk_widget_class_install_property_action (widget_class, "win.presenter", "presenter-mode");
  gtk_widget_class_install_action (widget_class, "win.presenter-window", NULL, presenter_window_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-controls", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, GDK_SHIFT_MASK, "win.toggle-inspector", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F1, 0, "win.lessons", NULL);
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
  self->history = ls_history_new (LS_HISTORY_DEFAULT_MAX_STATES, LS_HISTORY_DEFAULT_MAX_BYTES);
  update_history_actions (self);
  add_drop_target (self);
  g_signal_connect_object (gtk_recent_manager_get_default (), "changed",
                           G_CALLBACK (update_recent_menu), self, G_CONNECT_SWAPPED);
  update_recent_menu (self);

  g_signal_connect_object (self->diagram_view, "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->diagram_view, "notify::zoom",
                           G_CALLBACK (diagram_zoom_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->diagram_view, "notify::spotlight",
                           G_CALLBACK (diagram_spotlight_changed_cb), self, G_CONNECT_SWAPPED);
  diagram_zoom_changed_cb (self);
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
  ls_lesson_panel_set_targets (self->lesson_panel, self->diagram_view, self->bars_view,
                               GTK_WIDGET (self->parameters_label));
  g_signal_connect_object (self->lessons_button, "toggled",
                           G_CALLBACK (lessons_toggled_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->lesson_panel, "show-controls",
                           G_CALLBACK (lesson_show_controls_cb), self, G_CONNECT_SWAPPED);
  description_click = gtk_gesture_click_new ();
  g_signal_connect_object (description_click, "pressed", G_CALLBACK (description_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->description_label), GTK_EVENT_CONTROLLER (description_click));
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->description_label), "pointer");
  self->settings = new_settings ();
  restore_window_state (self);
  bind_scale_feature_maps (self);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::palette",
                             G_CALLBACK (palette_changed_cb), self, G_CONNECT_SWAPPED);
  palette_changed_cb (self);
}

LsMainWindow *
ls_main_window_new (GtkApplication *application)
{
  return g_object_new (LS_TYPE_MAIN_WINDOW, "application", application, NULL);
}
