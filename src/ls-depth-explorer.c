/* ls-depth-explorer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "ls-decision-map-view.h"
#include "ls-depth-explorer.h"
#include "ls-error.h"
#include "ls-plane-map.h"

#define N_DEPTHS (LS_DEPTH_EXPLORER_MAX_DEPTH + 1)
#define ALL_DEPTHS ((1u << N_DEPTHS) - 1)

#define MAX_WIDTH 64

/* Every network trains on the same samples, drawn from one seed, and
 * starts from weights drawn from one seed. */
#define N_SAMPLES 500
#define TEST_FRACTION 0.3
#define SEED 1
#define BATCH_SIZE 16

/* The grid of each decision map, and how often a running network's map
 * is computed again: each map costs MAP_SIZE² forward passes on the
 * main thread. */
#define MAP_SIZE 64
#define MAP_INTERVAL_US (150 * G_TIME_SPAN_MILLISECOND)

/* The patterns and activations offered, in the order of their menus. */
static const LsPattern patterns[] = {
  LS_PATTERN_CIRCLES, LS_PATTERN_XOR, LS_PATTERN_GAUSSIANS, LS_PATTERN_SPIRAL,
};
static const LsActivation activations[] = {
  LS_ACTIVATION_TANH, LS_ACTIVATION_RELU, LS_ACTIVATION_SIGMOID,
};

typedef struct _LsDepthExplorer LsDepthExplorer;

/* One network of the explorer and the widgets that show it. */
typedef struct
{
  LsDepthExplorer *explorer;  /* unowned */
  gsize depth;                /* hidden layers */
  LsNetwork *network;         /* nullable until the first build */
  LsTrainingController *controller;
  LsPlaneMap *map;
  gint64 map_time;            /* when the map was last computed */

  GtkWidget *box;
  GtkLabel *title_label;
  GtkLabel *subtitle_label;
  GtkLabel *score_labels[2][2];  /* [loss, accuracy][train, test] */
  GtkLabel *message_label;       /* why training stopped by itself */
  GtkLabel *counts_label;
  GtkLabel *best_label;
  LsDecisionMapView *map_view;
} DepthCell;

struct _LsDepthExplorer
{
  AdwWindow parent_instance;

  LsDepthSettings settings;
  LsSamples *train;
  LsSamples *test;
  DepthCell cells[N_DEPTHS];
  gboolean syncing_controls;  /* the controls are being set from settings */
  gssize best_depth;          /* -1 while running or before a run */

  GtkDropDown *pattern_dropdown;
  GtkSpinButton *noise_spin;
  GtkSpinButton *width_spin;
  GtkDropDown *activation_dropdown;
  GtkToggleButton *depth_buttons[N_DEPTHS];
  GtkSpinButton *rate_spin;
  GtkSpinButton *epochs_spin;
  GtkButton *play_button;
  GtkLabel *status_label;
};

G_DEFINE_FINAL_TYPE (LsDepthExplorer, ls_depth_explorer, ADW_TYPE_WINDOW)

static void update_cell (DepthCell *cell);
static void update_running (LsDepthExplorer *self);

/* Settings ---------------------------------------------------------------- */

/* Fills settings with the defaults: the spiral without noise, 8 tanh
 * units per hidden layer, Adam at 0.01 and 1000 epochs. With these, the
 * networks with 0 and 1 hidden layers stay near 60 % test accuracy.
 * Those with 3 and 4 reach about 96 to 99 % by epoch 1000, measured with
 * ls_trainer_run_epoch() and matched by torch.optim.Adam on the same
 * samples. */
void
ls_depth_explorer_settings_init (LsDepthSettings *settings)
{
  g_return_if_fail (settings != NULL);

  settings->pattern = LS_PATTERN_SPIRAL;
  settings->noise = 0.0;
  settings->width = 8;
  settings->activation = LS_ACTIVATION_TANH;
  settings->learning_rate = 0.01;
  settings->depths = ALL_DEPTHS;
  settings->max_epochs = 1000;
}

static gboolean
check_settings (const LsDepthSettings *settings,
                GError               **error)
{
  if (settings->pattern >= LS_N_PATTERNS || settings->pattern == LS_PATTERN_REGRESSION)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("Pattern %d is not a classification pattern. Use circles, xor, gaussians or spiral."),
                   (int) settings->pattern);
      return FALSE;
    }
  if (!(settings->noise >= 0.0 && settings->noise <= 1.0))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("Noise %g is outside 0 to 1. Use a value in that range."), settings->noise);
      return FALSE;
    }
  if (settings->width < 1 || settings->width > MAX_WIDTH)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("Hidden layer width %zu is outside 1 to %d. Use a width in that range."),
                   settings->width, MAX_WIDTH);
      return FALSE;
    }
  if (!(settings->learning_rate > 0.0 && settings->learning_rate <= 10.0) ||
      !(settings->max_epochs > 0.0) || (settings->depths & ~ALL_DEPTHS) != 0)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("Learning rate %g, epoch limit %g or depth mask 0x%x is invalid. Use a learning rate "
                     "above 0 and at most 10, a positive epoch limit and depths 0 to %d."),
                   settings->learning_rate, settings->max_epochs, settings->depths, LS_DEPTH_EXPLORER_MAX_DEPTH);
      return FALSE;
    }

  return TRUE;
}

static void
get_train_settings (LsDepthExplorer *self,
                    LsTrainSettings *settings)
{
  ls_train_settings_init (settings);
  settings->loss = LS_LOSS_CROSS_ENTROPY;
  settings->optimizer = LS_OPTIMIZER_ADAM;
  settings->learning_rate = self->settings.learning_rate;
  settings->batch_size = BATCH_SIZE;
  settings->seed = SEED;
}

/* Networks ---------------------------------------------------------------- */

static gboolean
append_dense (LsNetwork     *network,
              gsize          inputs,
              gsize          units,
              LsActivation   activation,
              guint64        seed,
              GError       **error)
{
  LsInit init = {
    ls_activation_prefers_he_init (activation) ? LS_INIT_HE : LS_INIT_XAVIER,
    seed,
  };

  return ls_network_append_layer (network, ls_layer_new_dense (inputs, units, activation, &init), error);
}

/* Builds 2 inputs, depth hidden layers and a softmax layer with a unit
 * per class, labelled with the class names. Layer i draws its weights
 * from seed SEED + i, so equal layers of two networks start equal. */
static LsNetwork *
build_network (const LsDepthSettings  *settings,
               gsize                   depth,
               LsSamples              *samples,
               GError                **error)
{
  g_autoptr(LsNetwork) network = ls_network_new (2);
  gsize n_classes = ls_samples_get_n_classes (samples);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  gsize inputs = 2;

  for (gsize i = 0; i < depth; i++)
    {
      if (!append_dense (network, inputs, settings->width, settings->activation, SEED + i, error))
        return NULL;
      inputs = settings->width;
    }
  if (!append_dense (network, inputs, n_classes, LS_ACTIVATION_SOFTMAX, SEED + depth, error))
    return NULL;

  for (gsize i = 0; i < n_classes; i++)
    g_ptr_array_add (labels, (gpointer) ls_samples_get_class_name (samples, i));
  g_ptr_array_add (labels, NULL);
  ls_network_set_layer_labels (network, depth, (const char * const *) labels->pdata);

  return g_steal_pointer (&network);
}

static gboolean
load_samples (LsDepthExplorer  *self,
              GError          **error)
{
  g_autoptr(LsSamples) samples = NULL;

  samples = ls_samples_generate (self->settings.pattern, N_SAMPLES, self->settings.noise, SEED, error);
  if (samples == NULL)
    return FALSE;

  g_clear_pointer (&self->train, ls_samples_unref);
  g_clear_pointer (&self->test, ls_samples_unref);
  ls_samples_split (samples, TEST_FRACTION, SEED, &self->train, &self->test);

  return TRUE;
}

/* The plane that the maps show: the samples' bounds and a margin of a
 * tenth of their range on each side. */
static void
set_map_bounds (LsDepthExplorer *self,
                LsPlaneMap      *map)
{
  float bounds[2][2];

  for (gsize axis = 0; axis < 2; axis++)
    {
      float train_min, train_max, test_min, test_max, margin;

      ls_samples_get_bounds (self->train, axis, &train_min, &train_max);
      ls_samples_get_bounds (self->test, axis, &test_min, &test_max);
      bounds[axis][0] = MIN (train_min, test_min);
      bounds[axis][1] = MAX (train_max, test_max);
      margin = 0.1f * MAX (bounds[axis][1] - bounds[axis][0], 1e-3f);
      bounds[axis][0] -= margin;
      bounds[axis][1] += margin;
    }

  ls_plane_map_set_bounds (map, bounds[0][0], bounds[0][1], bounds[1][0], bounds[1][1]);
}

/* Cells ------------------------------------------------------------------- */

static void
compute_map (DepthCell *cell)
{
  g_autoptr(GError) error = NULL;

  if (cell->network == NULL)
    return;

  cell->map_time = g_get_monotonic_time ();
  if (!ls_plane_map_compute (cell->map, cell->network, &error))
    {
      g_warning ("Could not compute the decision map of %zu hidden layers: %s", cell->depth, error->message);
      return;
    }
  ls_decision_map_view_set_plane_map (cell->map_view, cell->map);
}

/* Shows the newest scores in the table, or dashes before the first. */
static void
update_stats (DepthCell *cell)
{
  gsize n_points;
  const LsTrainingPoint *points = ls_training_controller_get_history (cell->controller, &n_points);
  const GError *error = ls_training_controller_get_error (cell->controller);
  const LsTrainingPoint *last = n_points > 0 ? &points[n_points - 1] : NULL;
  double scores[2][2];  /* [loss, accuracy][train, test] */

  gtk_label_set_text (cell->message_label, error != NULL ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (cell->message_label), error != NULL);

  if (last != NULL)
    {
      scores[0][0] = last->train_loss;
      scores[0][1] = last->test_loss;
      scores[1][0] = last->train_accuracy;
      scores[1][1] = last->test_accuracy;
    }
  for (gsize row = 0; row < 2; row++)
    for (gsize column = 0; column < 2; column++)
      {
        g_autofree char *text = NULL;

        if (last == NULL)
          text = g_strdup ("–");
        else if (row == 0)
          text = g_strdup_printf ("%.3f", scores[row][column]);
        else
          text = g_strdup_printf ("%.1f %%", 100.0 * scores[row][column]);
        gtk_label_set_text (cell->score_labels[row][column], text);
      }
}

static void
update_counts (DepthCell *cell)
{
  LsParameterCount count;
  g_autofree char *parameters = NULL;
  g_autofree char *text = NULL;
  double epoch = ls_training_controller_get_epoch (cell->controller);

  ls_network_get_parameter_count (cell->network, &count);
  parameters = g_strdup_printf (ngettext ("%zu parameter", "%zu parameters", count.total), count.total);
  /* TRANSLATORS: two lines, e.g. "58 parameters" and "Epoch 12" */
  text = g_strdup_printf (_("%s\nEpoch %.0f"), parameters, floor (epoch));
  gtk_label_set_text (cell->counts_label, text);
}

static void
update_cell (DepthCell *cell)
{
  if (cell->controller == NULL)
    return;

  update_stats (cell);
  update_counts (cell);
  if (!ls_training_controller_is_running (cell->controller) ||
      g_get_monotonic_time () - cell->map_time >= MAP_INTERVAL_US)
    compute_map (cell);
}

/* The controller's worker stops by itself at the end of the limit's
 * epoch, so the cell only shows the progress. */
static void
controller_updated_cb (DepthCell *cell)
{
  update_cell (cell);
}

/* The epoch limit as the controllers count it: whole epochs. */
static guint64
get_max_epochs (LsDepthExplorer *self)
{
  return (guint64) ceil (self->settings.max_epochs);
}

static void
controller_stopped_cb (DepthCell *cell)
{
  update_cell (cell);
  update_running (cell->explorer);
}

/* Names the depth on one line and the width on the next, so that every
 * cell's lines, and so its map, line up in a narrow window too. */
static void
set_title (DepthCell *cell,
           gsize      width)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  title = g_strdup_printf (ngettext ("%zu hidden layer", "%zu hidden layers", cell->depth), cell->depth);
  if (cell->depth == 0)
    subtitle = g_strdup (_("Inputs straight to the output"));
  else
    subtitle = g_strdup_printf (ngettext ("%zu unit each", "%zu units each", width), width);
  gtk_label_set_text (cell->title_label, title);
  gtk_label_set_text (cell->subtitle_label, subtitle);
}

static void
clear_cell (DepthCell *cell)
{
  if (cell->controller != NULL)
    {
      g_signal_handlers_disconnect_by_data (cell->controller, cell);
      ls_training_controller_pause (cell->controller);
    }
  g_clear_object (&cell->controller);
  g_clear_object (&cell->network);
}

/* Makes the cell's network from the settings in its initial state, with
 * a controller that has the explorer's samples. */
static gboolean
build_cell (DepthCell  *cell,
            GError    **error)
{
  LsDepthExplorer *self = cell->explorer;
  g_autoptr(LsNetwork) network = NULL;
  g_autoptr(LsTrainingController) controller = NULL;
  LsTrainSettings settings;

  network = build_network (&self->settings, cell->depth, self->train, error);
  if (network == NULL)
    return FALSE;

  controller = ls_training_controller_new (network);
  ls_training_controller_set_max_epochs (controller, get_max_epochs (self));
  get_train_settings (self, &settings);
  if (!ls_training_controller_set_samples (controller, self->train, self->test, error) ||
      !ls_training_controller_set_settings (controller, &settings, error))
    return FALSE;

  clear_cell (cell);
  cell->network = g_steal_pointer (&network);
  cell->controller = g_steal_pointer (&controller);
  g_signal_connect_swapped (cell->controller, "updated", G_CALLBACK (controller_updated_cb), cell);
  g_signal_connect_swapped (cell->controller, "stopped", G_CALLBACK (controller_stopped_cb), cell);

  set_title (cell, self->settings.width);
  set_map_bounds (self, cell->map);
  ls_decision_map_view_set_network (cell->map_view, cell->network);
  ls_decision_map_view_set_samples (cell->map_view, self->train, self->test);
  cell->map_time = 0;
  update_cell (cell);

  return TRUE;
}

static GtkLabel *
new_label (const char *css_class)
{
  GtkLabel *label = GTK_LABEL (gtk_label_new (NULL));

  gtk_label_set_xalign (label, 0);
  gtk_label_set_wrap (label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (label), css_class);

  return label;
}

/* The map's square takes the room that the cell leaves, at the top and in
 * the middle. Its size request is fixed, because the map view requests a
 * height that grows with its width, and in a row of cells GTK then
 * reports inconsistent sizes. */
#define MIN_MAP_SIDE 160
#define NATURAL_MAP_SIDE 240

static void
measure_square (GtkWidget      *widget,
                GtkOrientation  orientation,
                int             for_size,
                int            *minimum,
                int            *natural,
                int            *minimum_baseline,
                int            *natural_baseline)
{
  *minimum = MIN_MAP_SIDE;
  *natural = NATURAL_MAP_SIDE;
}

static void
allocate_square (GtkWidget *widget,
                 int        width,
                 int        height,
                 int        baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);
  int side = MIN (width, height);

  if (child != NULL)
    gtk_widget_size_allocate (child, &(GtkAllocation) { (width - side) / 2, 0, side, side }, -1);
}

static GtkWidget *
new_square (GtkWidget *child)
{
  GtkWidget *square = adw_bin_new ();

  gtk_widget_set_layout_manager (square, gtk_custom_layout_new (NULL, measure_square, allocate_square));
  adw_bin_set_child (ADW_BIN (square), child);
  gtk_widget_set_hexpand (square, TRUE);
  gtk_widget_set_vexpand (square, TRUE);

  return square;
}

/* A table of the loss and the accuracy on the training and test sets. */
static GtkWidget *
new_score_grid (DepthCell *cell)
{
  GtkGrid *grid = GTK_GRID (gtk_grid_new ());
  const char *columns[] = { _("Train"), _("Test") };
  const char *rows[] = { _("Loss"), _("Accuracy") };

  gtk_grid_set_column_spacing (grid, 12);
  gtk_widget_add_css_class (GTK_WIDGET (grid), "depth-stats");
  for (gsize column = 0; column < 2; column++)
    {
      GtkLabel *header = new_label ("dim-label");

      gtk_label_set_text (header, columns[column]);
      gtk_label_set_xalign (header, 1);
      gtk_grid_attach (grid, GTK_WIDGET (header), (int) column + 1, 0, 1, 1);
    }
  for (gsize row = 0; row < 2; row++)
    {
      GtkLabel *name = new_label ("dim-label");

      gtk_label_set_text (name, rows[row]);
      gtk_grid_attach (grid, GTK_WIDGET (name), 0, (int) row + 1, 1, 1);
      for (gsize column = 0; column < 2; column++)
        {
          cell->score_labels[row][column] = new_label ("depth-score");
          gtk_label_set_wrap (cell->score_labels[row][column], FALSE);
          gtk_label_set_xalign (cell->score_labels[row][column], 1);
          gtk_grid_attach (grid, GTK_WIDGET (cell->score_labels[row][column]), (int) column + 1, (int) row + 1, 1, 1);
        }
    }

  return GTK_WIDGET (grid);
}

static void
init_cell (DepthCell       *cell,
           LsDepthExplorer *explorer,
           gsize            depth)
{

  cell->explorer = explorer;
  cell->depth = depth;
  cell->map = ls_plane_map_new (MAP_SIZE, MAP_SIZE);

  cell->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_hexpand (cell->box, TRUE);
  gtk_widget_add_css_class (cell->box, "depth-cell");
  cell->title_label = new_label ("depth-title");
  cell->subtitle_label = new_label ("dim-label");
  cell->map_view = LS_DECISION_MAP_VIEW (ls_decision_map_view_new ());
  ls_decision_map_view_set_compact (cell->map_view, TRUE);
  cell->message_label = new_label ("depth-message");
  cell->counts_label = new_label ("depth-counts");
  cell->best_label = new_label ("depth-best");
  gtk_label_set_text (cell->best_label, _("Best test accuracy"));
  /* Transparent rather than hidden, so that every map keeps its place. */
  gtk_widget_set_opacity (GTK_WIDGET (cell->best_label), 0.0);

  gtk_box_append (GTK_BOX (cell->box), GTK_WIDGET (cell->title_label));
  gtk_box_append (GTK_BOX (cell->box), GTK_WIDGET (cell->subtitle_label));
  gtk_box_append (GTK_BOX (cell->box), new_score_grid (cell));
  gtk_box_append (GTK_BOX (cell->box), GTK_WIDGET (cell->message_label));
  gtk_box_append (GTK_BOX (cell->box), GTK_WIDGET (cell->counts_label));
  gtk_box_append (GTK_BOX (cell->box), GTK_WIDGET (cell->best_label));
  gtk_box_append (GTK_BOX (cell->box), new_square (GTK_WIDGET (cell->map_view)));
}

/* The explorer ------------------------------------------------------------ */

static gboolean
is_shown (LsDepthExplorer *self,
          gsize            depth)
{
  return (self->settings.depths & (1u << depth)) != 0;
}

static double
get_test_accuracy (DepthCell *cell)
{
  gsize n_points = 0;
  const LsTrainingPoint *points = NULL;

  if (cell->controller != NULL)
    points = ls_training_controller_get_history (cell->controller, &n_points);

  return n_points > 0 ? points[n_points - 1].test_accuracy : NAN;
}

/* Returns the shown network with the best test accuracy, the shallowest
 * one on a tie, or -1 before any has been scored. */
static gssize
find_best (LsDepthExplorer *self)
{
  double best = -1.0;
  gssize best_depth = -1;

  for (gsize depth = 0; depth < N_DEPTHS; depth++)
    {
      double accuracy = get_test_accuracy (&self->cells[depth]);

      if (is_shown (self, depth) && isfinite (accuracy) && accuracy > best)
        {
          best = accuracy;
          best_depth = (gssize) depth;
        }
    }

  return best_depth;
}

static void
show_best (LsDepthExplorer *self)
{
  for (gsize depth = 0; depth < N_DEPTHS; depth++)
    {
      gboolean is_best = (gssize) depth == self->best_depth;

      gtk_widget_set_opacity (GTK_WIDGET (self->cells[depth].best_label), is_best ? 1.0 : 0.0);
      if (is_best)
        gtk_widget_add_css_class (self->cells[depth].box, "best");
      else
        gtk_widget_remove_css_class (self->cells[depth].box, "best");
    }
}

static void
update_running (LsDepthExplorer *self)
{
  gboolean running = ls_depth_explorer_is_running (self);

  gtk_button_set_icon_name (self->play_button, running ? "media-playback-pause-symbolic"
                                                       : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button),
                               running ? _("Pause every network") : _("Train every network"));
  /* A best network is marked only once the run stops. */
  self->best_depth = running ? -1 : find_best (self);
  show_best (self);
}

static void
show_status (LsDepthExplorer *self,
             const char      *message)
{
  gtk_label_set_text (self->status_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL);
}

/* Builds every network again from the settings and, for new samples,
 * draws them again. On failure the networks shown before stay. */
static gboolean
rebuild (LsDepthExplorer  *self,
         gboolean          new_samples,
         GError          **error)
{
  if (new_samples && !load_samples (self, error))
    return FALSE;

  for (gsize depth = 0; depth < N_DEPTHS; depth++)
    {
      if (!build_cell (&self->cells[depth], error))
        return FALSE;
      gtk_widget_set_visible (self->cells[depth].box, is_shown (self, depth));
    }
  update_running (self);

  return TRUE;
}

static void
apply_learning_rate (LsDepthExplorer *self)
{
  LsTrainSettings settings;

  get_train_settings (self, &settings);
  for (gsize depth = 0; depth < N_DEPTHS; depth++)
    {
      g_autoptr(GError) error = NULL;

      if (self->cells[depth].controller != NULL &&
          !ls_training_controller_set_settings (self->cells[depth].controller, &settings, &error))
        show_status (self, error->message);
    }
}

static void
apply_max_epochs (LsDepthExplorer *self)
{
  for (gsize depth = 0; depth < N_DEPTHS; depth++)
    if (self->cells[depth].controller != NULL)
      ls_training_controller_set_max_epochs (self->cells[depth].controller, get_max_epochs (self));
}

/* Shows the cells of the chosen depths. A cell shown during a run joins
 * it, and a hidden one stops. */
static void
apply_depths (LsDepthExplorer *self)
{
  gboolean running = ls_depth_explorer_is_running (self);

  for (gsize depth = 0; depth < N_DEPTHS; depth++)
    {
      DepthCell *cell = &self->cells[depth];
      g_autoptr(GError) error = NULL;

      gtk_widget_set_visible (cell->box, is_shown (self, depth));
      if (cell->controller == NULL)
        continue;
      if (!is_shown (self, depth))
        ls_training_controller_pause (cell->controller);
      else if (running && ls_training_controller_get_epoch (cell->controller) < self->settings.max_epochs &&
               !ls_training_controller_play (cell->controller, &error))
        show_status (self, error->message);
    }
  update_running (self);
}

/* Replaces the settings, and draws new samples or builds new networks
 * only where a setting needs them. On failure the settings and the
 * networks stay as they were. */
static gboolean
apply_settings (LsDepthExplorer       *self,
                const LsDepthSettings *settings,
                GError               **error)
{
  LsDepthSettings old = self->settings;
  gboolean new_samples, new_networks;

  if (!check_settings (settings, error))
    return FALSE;

  new_samples = self->train == NULL || settings->pattern != old.pattern || settings->noise != old.noise;
  new_networks = new_samples || settings->width != old.width || settings->activation != old.activation;
  self->settings = *settings;
  /* With settings that check_settings() accepts, the networks are at most
   * 4 layers of 64 units, far below every limit of ls_network_append_layer(),
   * so a rebuild that fails half way is not expected. */
  if (new_networks && !rebuild (self, new_samples, error))
    {
      self->settings = old;
      return FALSE;
    }

  if (!new_networks && settings->learning_rate != old.learning_rate)
    apply_learning_rate (self);
  if (!new_networks && settings->max_epochs != old.max_epochs)
    apply_max_epochs (self);
  if (settings->depths != old.depths)
    apply_depths (self);

  return TRUE;
}

/* Controls ---------------------------------------------------------------- */

static void
read_controls (LsDepthExplorer *self,
               LsDepthSettings *settings)
{
  *settings = self->settings;
  settings->pattern = patterns[gtk_drop_down_get_selected (self->pattern_dropdown)];
  settings->noise = gtk_spin_button_get_value (self->noise_spin);
  settings->width = (gsize) gtk_spin_button_get_value_as_int (self->width_spin);
  settings->activation = activations[gtk_drop_down_get_selected (self->activation_dropdown)];
  settings->learning_rate = gtk_spin_button_get_value (self->rate_spin);
  settings->max_epochs = gtk_spin_button_get_value (self->epochs_spin);
  settings->depths = 0;
  for (gsize depth = 0; depth < N_DEPTHS; depth++)
    if (gtk_toggle_button_get_active (self->depth_buttons[depth]))
      settings->depths |= 1u << depth;
}

static guint
find_pattern_index (LsPattern pattern)
{
  for (gsize i = 0; i < G_N_ELEMENTS (patterns); i++)
    if (patterns[i] == pattern)
      return (guint) i;

  return 0;
}

static guint
find_activation_index (LsActivation activation)
{
  for (gsize i = 0; i < G_N_ELEMENTS (activations); i++)
    if (activations[i] == activation)
      return (guint) i;

  return 0;
}

static void
write_controls (LsDepthExplorer *self)
{
  const LsDepthSettings *settings = &self->settings;

  self->syncing_controls = TRUE;
  gtk_drop_down_set_selected (self->pattern_dropdown, find_pattern_index (settings->pattern));
  gtk_spin_button_set_value (self->noise_spin, settings->noise);
  gtk_spin_button_set_value (self->width_spin, (double) settings->width);
  gtk_drop_down_set_selected (self->activation_dropdown, find_activation_index (settings->activation));
  gtk_spin_button_set_value (self->rate_spin, settings->learning_rate);
  gtk_spin_button_set_value (self->epochs_spin, settings->max_epochs);
  for (gsize depth = 0; depth < N_DEPTHS; depth++)
    gtk_toggle_button_set_active (self->depth_buttons[depth], is_shown (self, depth));
  self->syncing_controls = FALSE;
}

static void
control_changed_cb (LsDepthExplorer *self)
{
  LsDepthSettings settings;
  g_autoptr(GError) error = NULL;

  if (self->syncing_controls)
    return;

  read_controls (self, &settings);
  show_status (self, NULL);
  if (!apply_settings (self, &settings, &error))
    {
      show_status (self, error->message);
      write_controls (self);
    }
}

static void
play_clicked_cb (LsDepthExplorer *self)
{
  if (ls_depth_explorer_is_running (self))
    ls_depth_explorer_pause (self);
  else
    ls_depth_explorer_play (self);
}

static GtkWidget *
new_control (const char *label,
             GtkWidget  *control)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *text = gtk_label_new_with_mnemonic (label);

  gtk_label_set_mnemonic_widget (GTK_LABEL (text), control);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), control);

  return box;
}

static GtkSpinButton *
new_spin (LsDepthExplorer *self,
          double           min,
          double           max,
          double           step,
          guint            digits)
{
  GtkSpinButton *spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (min, max, step));

  gtk_spin_button_set_digits (spin, digits);
  gtk_spin_button_set_numeric (spin, TRUE);
  g_signal_connect_object (spin, "value-changed", G_CALLBACK (control_changed_cb), self, G_CONNECT_SWAPPED);

  return spin;
}

static GtkDropDown *
new_dropdown (LsDepthExplorer    *self,
              const char * const *names)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (names));

  g_signal_connect_object (dropdown, "notify::selected", G_CALLBACK (control_changed_cb), self, G_CONNECT_SWAPPED);

  return dropdown;
}

static GtkWidget *
new_depth_buttons (LsDepthExplorer *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_widget_add_css_class (box, "linked");
  for (gsize depth = 0; depth < N_DEPTHS; depth++)
    {
      g_autofree char *label = g_strdup_printf ("%zu", depth);
      g_autofree char *tooltip = g_strdup_printf (ngettext ("Show the network with %zu hidden layer",
                                                            "Show the network with %zu hidden layers", depth),
                                                  depth);

      self->depth_buttons[depth] = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_label (label));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->depth_buttons[depth]), tooltip);
      g_signal_connect_object (self->depth_buttons[depth], "toggled",
                               G_CALLBACK (control_changed_cb), self, G_CONNECT_SWAPPED);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->depth_buttons[depth]));
    }

  return box;
}

static GtkWidget *
new_controls (LsDepthExplorer *self)
{
  const char *pattern_names[G_N_ELEMENTS (patterns) + 1] = { NULL };
  const char *activation_names[G_N_ELEMENTS (activations) + 1] = { NULL };
  GtkWidget *flow = gtk_flow_box_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (patterns); i++)
    pattern_names[i] = ls_pattern_get_display_name (patterns[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (activations); i++)
    activation_names[i] = ls_activation_get_display_name (activations[i]);

  self->pattern_dropdown = new_dropdown (self, pattern_names);
  self->noise_spin = new_spin (self, 0.0, 1.0, 0.05, 2);
  self->width_spin = new_spin (self, 2, 16, 1, 0);
  self->activation_dropdown = new_dropdown (self, activation_names);
  self->rate_spin = new_spin (self, 0.001, 1.0, 0.005, 3);
  self->epochs_spin = new_spin (self, 10, 5000, 10, 0);

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 24);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 7);
  gtk_widget_add_css_class (flow, "depth-controls");
  gtk_flow_box_append (GTK_FLOW_BOX (flow), new_control (_("_Data"), GTK_WIDGET (self->pattern_dropdown)));
  gtk_flow_box_append (GTK_FLOW_BOX (flow), new_control (_("_Noise"), GTK_WIDGET (self->noise_spin)));
  gtk_flow_box_append (GTK_FLOW_BOX (flow), new_control (_("Hidden layer _width"), GTK_WIDGET (self->width_spin)));
  gtk_flow_box_append (GTK_FLOW_BOX (flow), new_control (_("_Activation"), GTK_WIDGET (self->activation_dropdown)));
  gtk_flow_box_append (GTK_FLOW_BOX (flow), new_control (_("Hidden layers"), new_depth_buttons (self)));
  gtk_flow_box_append (GTK_FLOW_BOX (flow), new_control (_("_Learning rate"), GTK_WIDGET (self->rate_spin)));
  gtk_flow_box_append (GTK_FLOW_BOX (flow), new_control (_("Stop at _epoch"), GTK_WIDGET (self->epochs_spin)));

  return flow;
}

static GtkWidget *
new_header_bar (LsDepthExplorer *self)
{
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *reset_button = gtk_button_new_from_icon_name ("edit-undo-symbolic");

  self->play_button = GTK_BUTTON (gtk_button_new_from_icon_name ("media-playback-start-symbolic"));
  gtk_widget_add_css_class (GTK_WIDGET (self->play_button), "suggested-action");
  g_signal_connect_object (self->play_button, "clicked", G_CALLBACK (play_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_set_tooltip_text (reset_button, _("Start every network again from its initial weights"));
  g_signal_connect_object (reset_button, "clicked", G_CALLBACK (ls_depth_explorer_reset), self, G_CONNECT_SWAPPED);

  adw_header_bar_pack_start (ADW_HEADER_BAR (header), GTK_WIDGET (self->play_button));
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), reset_button);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_("Depth Explorer"),
                                                         _("One task trained with 0 to 4 hidden layers")));

  return header;
}

static GtkWidget *
new_cells (LsDepthExplorer *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  gtk_box_set_homogeneous (GTK_BOX (box), TRUE);
  gtk_widget_add_css_class (box, "depth-cells");
  for (gsize depth = 0; depth < N_DEPTHS; depth++)
    {
      init_cell (&self->cells[depth], self, depth);
      gtk_box_append (GTK_BOX (box), self->cells[depth].box);
    }

  return box;
}

/* GObject ----------------------------------------------------------------- */

static void
ls_depth_explorer_dispose (GObject *object)
{
  LsDepthExplorer *self = LS_DEPTH_EXPLORER (object);

  for (gsize depth = 0; depth < N_DEPTHS; depth++)
    {
      clear_cell (&self->cells[depth]);
      if (self->cells[depth].map_view != NULL)
        ls_decision_map_view_set_plane_map (self->cells[depth].map_view, NULL);
      g_clear_pointer (&self->cells[depth].map, ls_plane_map_free);
    }
  g_clear_pointer (&self->train, ls_samples_unref);
  g_clear_pointer (&self->test, ls_samples_unref);

  G_OBJECT_CLASS (ls_depth_explorer_parent_class)->dispose (object);
}

static void
ls_depth_explorer_class_init (LsDepthExplorerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_depth_explorer_dispose;

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
ls_depth_explorer_init (LsDepthExplorer *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  g_autoptr(GError) error = NULL;

  ls_depth_explorer_settings_init (&self->settings);
  self->best_depth = -1;
  self->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->status_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "depth-status");

  gtk_box_append (GTK_BOX (content), new_header_bar (self));
  gtk_box_append (GTK_BOX (content), new_controls (self));
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->status_label));
  gtk_box_append (GTK_BOX (content), new_cells (self));
  adw_window_set_content (ADW_WINDOW (self), content);
  gtk_window_set_title (GTK_WINDOW (self), _("Depth Explorer — Layerscope"));
  gtk_window_set_default_size (GTK_WINDOW (self), 1280, 680);

  write_controls (self);
  show_status (self, NULL);
  if (!load_samples (self, &error) || !rebuild (self, FALSE, &error))
    show_status (self, error->message);
}

/* Public API -------------------------------------------------------------- */

LsDepthExplorer *
ls_depth_explorer_new (GtkApplication *application)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (LS_TYPE_DEPTH_EXPLORER, "application", application, NULL);
}

void
ls_depth_explorer_get_settings (LsDepthExplorer *self,
                                LsDepthSettings *settings)
{
  g_return_if_fail (LS_IS_DEPTH_EXPLORER (self));
  g_return_if_fail (settings != NULL);

  *settings = self->settings;
}

/* Applies settings as the controls would, and shows them there. Invalid
 * settings give a GError in LS_ERROR and change nothing. */
gboolean
ls_depth_explorer_set_settings (LsDepthExplorer       *self,
                                const LsDepthSettings *settings,
                                GError               **error)
{
  g_return_val_if_fail (LS_IS_DEPTH_EXPLORER (self), FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!apply_settings (self, settings, error))
    return FALSE;

  write_controls (self);

  return TRUE;
}

/* Trains every shown network that is below the epoch limit, each in its
 * own worker thread. */
void
ls_depth_explorer_play (LsDepthExplorer *self)
{
  gboolean started = FALSE;

  g_return_if_fail (LS_IS_DEPTH_EXPLORER (self));

  show_status (self, NULL);
  for (gsize depth = 0; depth < N_DEPTHS; depth++)
    {
      DepthCell *cell = &self->cells[depth];
      g_autoptr(GError) error = NULL;

      if (!is_shown (self, depth) || cell->controller == NULL ||
          ls_training_controller_get_epoch (cell->controller) >= self->settings.max_epochs)
        continue;
      if (ls_training_controller_play (cell->controller, &error))
        started = TRUE;
      else
        show_status (self, error->message);
    }

  if (!started && self->settings.depths != 0 && !gtk_widget_get_visible (GTK_WIDGET (self->status_label)))
    show_status (self, _("Every network reached the epoch limit. Raise the limit, or reset to start again."));
  update_running (self);
}

void
ls_depth_explorer_pause (LsDepthExplorer *self)
{
  g_return_if_fail (LS_IS_DEPTH_EXPLORER (self));

  for (gsize depth = 0; depth < N_DEPTHS; depth++)
    if (self->cells[depth].controller != NULL)
      ls_training_controller_pause (self->cells[depth].controller);
  update_running (self);
}

/* Stops training and builds every network again with its initial
 * weights, on the same samples. */
void
ls_depth_explorer_reset (LsDepthExplorer *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (LS_IS_DEPTH_EXPLORER (self));

  show_status (self, NULL);
  if (!rebuild (self, FALSE, &error))
    show_status (self, error->message);
}

gboolean
ls_depth_explorer_is_running (LsDepthExplorer *self)
{
  g_return_val_if_fail (LS_IS_DEPTH_EXPLORER (self), FALSE);

  for (gsize depth = 0; depth < N_DEPTHS; depth++)
    if (self->cells[depth].controller != NULL &&
        ls_training_controller_is_running (self->cells[depth].controller))
      return TRUE;

  return FALSE;
}

/* Returns the controller of the network with depth hidden layers. It
 * exists whether or not that network is shown. */
LsTrainingController *
ls_depth_explorer_get_controller (LsDepthExplorer *self,
                                  gsize            depth)
{
  g_return_val_if_fail (LS_IS_DEPTH_EXPLORER (self), NULL);
  g_return_val_if_fail (depth < N_DEPTHS, NULL);

  return self->cells[depth].controller;
}

/* Returns the depth marked as the best test accuracy, or -1 while a run
 * is on or before any network was scored. */
gssize
ls_depth_explorer_get_best_depth (LsDepthExplorer *self)
{
  g_return_val_if_fail (LS_IS_DEPTH_EXPLORER (self), -1);

  return self->best_depth;
}
