/* ls-training-panel.c: the sidebar section that picks training data and settings, and the bar that runs training
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Layerscope"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ls-error.h"
#include "ls-panel.h"
#include "ls-training-data.h"
#include "ls-training-panel.h"

/* Limits of the controls. The trainer checks its own limits too. */
#define MAX_GENERATED_SAMPLES 5000
#define MAX_BATCH_SIZE 1024
#define MAX_SEED 1000000
/* The highest epoch that a run can stop at. */
#define MAX_STOP_EPOCH 100000
/* Without the dataset-fashion-mnist package only this many Fashion-MNIST
 * images exist, and the test share splits them. */
#define SHIPPED_FASHION_IMAGES 1000
/* The settings that keep a trained image network intact when training
 * goes on. SGD at 0.03 with momentum 0.9 lowers the accuracy of
 * fashion-cnn.json. */
#define IMAGE_LEARNING_RATE 0.001
#define IMAGE_BATCH_SIZE 32

/* The speed choices in batches a second, where 0 trains as fast as the
 * machine goes. At Normal the spiral example's boundary grows over about
 * half a minute with the default settings. */
static const double speeds[] = { 20.0, 250.0, 0.0 };
#define DEFAULT_SPEED 1

struct _LsTrainingPanel
{
  GtkWidget parent_instance;

  LsNetwork *network;                 /* nullable */
  LsTrainingController *controller;   /* nullable */
  GFile *csv_file;                    /* nullable: the CSV file of the current set */
  guint selected;                     /* index into the data names, or GTK_INVALID_LIST_POSITION */
  gboolean updating;                  /* the panel sets its own controls */

  GtkWidget *box;
  GtkWidget *status_label;
  GtkWidget *data_dropdown;
  GtkWidget *samples_spin;
  GtkWidget *noise_spin;
  GtkWidget *test_spin;
  GtkWidget *seed_spin;
  GtkWidget *new_data_button;
  GtkWidget *loss_dropdown;
  GtkWidget *optimizer_dropdown;
  GtkWidget *rate_spin;
  GtkWidget *batch_spin;
  GtkWidget *l2_spin;
  GtkWidget *stop_spin;
  GtkWidget *error_label;

  GtkWidget *bar;                     /* owned: the run controls, placed by the window */
  GtkWidget *play_button;
  GtkWidget *step_button;
  GtkWidget *reset_button;
  GtkWidget *speed_dropdown;
  GtkWidget *counter_label;
  GtkWidget *score_label;
  GtkWidget *run_error_label;         /* in the bar: why a run failed or stopped */
};

G_DEFINE_FINAL_TYPE (LsTrainingPanel, ls_training_panel, GTK_TYPE_WIDGET)

static gsize
get_n_names (void)
{
  return g_strv_length ((char **) ls_training_data_get_names ());
}

/* The drop-down lists the sets, then the CSV entry at this index. */
static guint
get_csv_position (void)
{
  return (guint) get_n_names ();
}

static gboolean
is_generated (const char *name)
{
  LsPattern pattern;

  return ls_pattern_from_name (name, &pattern);
}

static void
show_error_label (LsTrainingPanel *self,
                  const char      *message)
{
  gtk_label_set_text (GTK_LABEL (self->error_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->error_label, message != NULL);
}

/* Shows message in the bar, where it is seen without scrolling, in the
 * error style or as a plain notice, or hides the bar's message when
 * message is NULL. */
static void
show_run_message (LsTrainingPanel *self,
                  const char      *message,
                  gboolean         is_error)
{
  gtk_label_set_text (GTK_LABEL (self->run_error_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->run_error_label, message != NULL);
  if (is_error)
    gtk_widget_add_css_class (self->run_error_label, "training-error");
  else
    gtk_widget_remove_css_class (self->run_error_label, "training-error");
}

static void
show_run_error (LsTrainingPanel *self,
                const char      *message)
{
  show_run_message (self, message, TRUE);
}

/* Returns the example network that reads samples of shape, or NULL when
 * none does. */
static const char *
suggest_example (const LsShape *shape)
{
  LsShape image;

  ls_shape_init_3d (&image, 1, 28, 28);
  if (ls_shape_equal (shape, &image))
    return "fashion-cnn.json";
  if (ls_shape_get_size (shape) == 2)
    /* TRANSLATORS: two example files. Keep the file names. */
    return _("xor.json or spiral.json");
  if (ls_shape_get_size (shape) == 64)
    return "digits-dense.json";

  return NULL;
}

/* Status line */

/* Returns a one-line message when the network's output does not fit the
 * samples: one output per class, as both losses need, or one per target
 * value. NULL when it fits. */
static char *
describe_output_mismatch (LsNetwork  *network,
                          LsSamples  *train,
                          const char *set_name)
{
  gsize outputs = ls_network_get_output_size (network);
  gsize expected;

  if (ls_samples_is_classification (train))
    {
      expected = ls_samples_get_n_classes (train);
      if (outputs == expected)
        return NULL;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "This network has %zu output, but the set “%s” has %zu "
                                           "classes. Give the last layer %zu units, or pick another set.",
                                           "This network has %zu outputs, but the set “%s” has %zu "
                                           "classes. Give the last layer %zu units, or pick another set.",
                                           outputs),
                              outputs, set_name, expected, expected);
    }

  expected = ls_samples_get_target_size (train);
  if (outputs == expected)
    return NULL;
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "This network has %zu output, but each sample of the set “%s” "
                                       "has a target of size %zu. Give the last layer %zu units, or "
                                       "pick another set.",
                                       "This network has %zu outputs, but each sample of the set “%s” "
                                       "has a target of size %zu. Give the last layer %zu units, or "
                                       "pick another set.",
                                       outputs),
                          outputs, set_name, expected, expected);
}

/* Returns a one-line message when the network cannot train on the
 * current samples, or NULL when it can. */
static char *
describe_mismatch (LsTrainingPanel *self)
{
  LsSamples *train;
  const char *set_name;
  const char *example;
  gsize network_size, data_size;

  if (self->network == NULL)
    return NULL;
  if (ls_network_get_n_layers (self->network) == 0)
    return g_strdup (_("This network has no layers. Add a layer to train it."));

  train = self->controller != NULL ? ls_training_controller_get_train_samples (self->controller) : NULL;
  if (train == NULL)
    return g_strdup (_("Pick a training set to train this network."));

  network_size = ls_network_get_input_size (self->network);
  data_size = ls_samples_get_input_size (train);
  set_name = ls_samples_get_name (train);
  if (g_strv_contains (ls_training_data_get_names (), set_name))
    set_name = ls_training_data_get_display_name (set_name);
  example = suggest_example (ls_samples_get_shape (train));
  if (network_size != data_size && example != NULL)
    /* TRANSLATORS: the last %s names example files, such as "xor.json or spiral.json" */
    return g_strdup_printf (_("This network reads %zu values, but the set “%s” has %zu per sample. "
                              "Open a network with %zu inputs, such as the example %s, "
                              "or pick another set."),
                            network_size, set_name, data_size, data_size, example);
  if (network_size != data_size)
    return g_strdup_printf (_("This network reads %zu values, but the set “%s” has %zu per sample. "
                              "Open a network with %zu inputs, or pick another set."),
                            network_size, set_name, data_size, data_size);

  return describe_output_mismatch (self->network, train, set_name);
}

/* Shows the bar only when a training set is chosen and fits the
 * network. Otherwise the status line explains why not. */
static void
update_status (LsTrainingPanel *self)
{
  g_autofree char *message = describe_mismatch (self);
  gboolean has_data = self->controller != NULL
                      && ls_training_controller_get_train_samples (self->controller) != NULL;

  gtk_label_set_text (GTK_LABEL (self->status_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->status_label, message != NULL);
  gtk_widget_set_visible (self->bar, has_data && message == NULL);
}

/* Returns the latest train and test accuracy, or the losses of a
 * regression set, on one line, or NULL before the first point. */
static char *
describe_score (LsTrainingPanel *self)
{
  gsize n_points;
  const LsTrainingPoint *points = ls_training_controller_get_history (self->controller, &n_points);
  const LsTrainingPoint *last;

  if (points == NULL)
    return NULL;

  /* The non-breaking spaces keep each number with its name and unit when
   * the line wraps. */
  last = &points[n_points - 1];
  if (isnan (last->train_accuracy) && isnan (last->test_loss))
    return g_strdup_printf (_("Loss\u00a0%.4f"), last->train_loss);
  if (isnan (last->train_accuracy))
    return g_strdup_printf (_("Loss\u00a0%.4f · test\u00a0%.4f"), last->train_loss, last->test_loss);
  if (isnan (last->test_accuracy))
    return g_strdup_printf (_("Accuracy\u00a0%.1f\u00a0%%"), 100.0 * last->train_accuracy);

  return g_strdup_printf (_("Accuracy\u00a0%.1f\u00a0%% · test\u00a0%.1f\u00a0%%"),
                          100.0 * last->train_accuracy, 100.0 * last->test_accuracy);
}

/* Says in the bar why the last run ended, unless it was paused. */
static void
show_stop_reason (LsTrainingPanel *self)
{
  const GError *error = ls_training_controller_get_error (self->controller);
  g_autofree char *message = NULL;
  guint64 epoch, max_epochs;

  if (error != NULL)
    {
      show_run_error (self, error->message);
      return;
    }

  switch (ls_training_controller_get_stop_reason (self->controller))
    {
    case LS_TRAINING_STOP_EDITED:
      show_run_message (self, _("Training stopped because the network changed; "
                                "press play to train the edited network."), FALSE);
      break;
    case LS_TRAINING_STOP_MAX_EPOCHS:
      epoch = (guint64) floor (ls_training_controller_get_epoch (self->controller));
      max_epochs = ls_training_controller_get_max_epochs (self->controller);
      if (epoch > max_epochs)
        message = g_strdup_printf (_("Stop at epoch is %llu, but training is already at epoch %llu; "
                                     "raise it, or set it to 0 to train on."),
                                   (unsigned long long) max_epochs, (unsigned long long) epoch);
      else
        message = g_strdup_printf (_("Stopped at epoch %llu."), (unsigned long long) epoch);
      show_run_message (self, message, FALSE);
      break;
    default:
      show_run_message (self, NULL, FALSE);
      break;
    }
}

/* Turns Reset on while the weights from before training fit the
 * network. Otherwise its tooltip explains why it is off. */
static void
update_reset_button (LsTrainingPanel *self)
{
  const char *problem = ls_training_controller_get_reset_problem (self->controller);

  gtk_widget_set_sensitive (self->reset_button, problem == NULL);
  gtk_widget_set_tooltip_text (self->reset_button,
                               problem != NULL ? problem : _("Reset to the weights before training"));
}

static void
update_counters (LsTrainingPanel *self)
{
  g_autofree char *text = NULL;
  g_autofree char *score = NULL;
  gboolean running;

  if (self->controller == NULL)
    return;

  text = g_strdup_printf (_("Epoch %llu · step %llu"),
                          (unsigned long long) floor (ls_training_controller_get_epoch (self->controller)),
                          (unsigned long long) ls_training_controller_get_step (self->controller));
  gtk_label_set_text (GTK_LABEL (self->counter_label), text);
  score = describe_score (self);
  gtk_label_set_text (GTK_LABEL (self->score_label), score != NULL ? score : "");

  show_stop_reason (self);
  update_reset_button (self);

  running = ls_training_controller_is_running (self->controller);
  self->updating = TRUE;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->play_button), running);
  self->updating = FALSE;
  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            running ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (self->play_button, running ? _("Pause training (Ctrl+Space)") : _("Train until paused (Ctrl+Space)"));
  gtk_widget_set_sensitive (self->step_button, !running);
}

/* Data */

/* The digits, and Fashion-MNIST with its own package, keep their own
 * test split, so the test share does nothing for them. */
static void
update_test_share (LsTrainingPanel *self,
                   const char      *source,
                   LsSamples       *train,
                   LsSamples       *test)
{
  gsize n_samples = ls_samples_get_n_samples (train) + (test != NULL ? ls_samples_get_n_samples (test) : 0);
  gboolean used = TRUE;

  if (g_strcmp0 (source, "digits") == 0)
    used = FALSE;
  else if (g_strcmp0 (source, "fashion-mnist") == 0)
    used = n_samples <= SHIPPED_FASHION_IMAGES;

  gtk_widget_set_sensitive (self->test_spin, used);
  gtk_widget_set_tooltip_text (self->test_spin,
                               used ? _("Share of the samples kept apart to test on")
                                    : _("This set comes with its own test samples, "
                                        "so the test share does not apply to it"));
}

static gboolean
load_data (LsTrainingPanel  *self,
           const char       *source,
           GError          **error)
{
  g_autoptr(LsSamples) train = NULL;
  g_autoptr(LsSamples) test = NULL;
  LsTrainingDataOptions options;

  ls_training_data_options_init (&options);
  options.source = source;
  options.n_samples = (gsize) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->samples_spin));
  options.noise = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->noise_spin));
  options.test_fraction = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->test_spin));
  options.seed = (guint64) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->seed_spin));

  if (!ls_training_data_load (&options, &train, &test, error))
    return FALSE;
  if (!ls_training_controller_set_samples (self->controller, train, test, error))
    return FALSE;
  update_test_share (self, source, train, test);

  /* Cross-entropy needs class labels, so a regression set switches to
   * the mean squared error. */
  if (!ls_samples_is_classification (train)
      && gtk_drop_down_get_selected (GTK_DROP_DOWN (self->loss_dropdown)) == LS_LOSS_CROSS_ENTROPY)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->loss_dropdown), LS_LOSS_MEAN_SQUARED);

  update_status (self);
  update_counters (self);

  return TRUE;
}

static void
set_generated_sensitive (LsTrainingPanel *self,
                         gboolean         generated)
{
  gtk_widget_set_sensitive (self->samples_spin, generated);
  gtk_widget_set_sensitive (self->noise_spin, generated);
  gtk_widget_set_sensitive (self->seed_spin, generated);
  gtk_widget_set_sensitive (self->new_data_button, generated);
}

static void
select_position (LsTrainingPanel *self,
                 guint            position)
{
  self->updating = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->data_dropdown), position);
  self->updating = FALSE;
}

static void settings_changed_cb (LsTrainingPanel *self);
static void write_settings (LsTrainingPanel *self, const LsTrainSettings *settings);
static void read_settings (LsTrainingPanel *self, LsTrainSettings *settings);

/* Switches to Adam at a small rate when an image set is picked, so that
 * play goes on improving a trained example. The user may change these
 * settings afterwards. */
static void
apply_image_defaults (LsTrainingPanel *self,
                      const char      *name)
{
  LsTrainSettings settings;

  if (g_strcmp0 (name, "digits") != 0 && g_strcmp0 (name, "fashion-mnist") != 0)
    return;

  read_settings (self, &settings);
  settings.optimizer = LS_OPTIMIZER_ADAM;
  settings.learning_rate = IMAGE_LEARNING_RATE;
  settings.batch_size = IMAGE_BATCH_SIZE;
  write_settings (self, &settings);
  settings_changed_cb (self);
}

/* Names the CSV entry of the drop-down after the loaded file, or "CSV
 * file…" when name is NULL. */
static void
set_csv_label (LsTrainingPanel *self,
               const char      *name)
{
  GtkStringList *list = GTK_STRING_LIST (gtk_drop_down_get_model (GTK_DROP_DOWN (self->data_dropdown)));
  const char *labels[] = { name != NULL ? name : _("CSV file…"), NULL };
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->data_dropdown));

  self->updating = TRUE;
  gtk_string_list_splice (list, get_csv_position (), 1, labels);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->data_dropdown), selected);
  self->updating = FALSE;
}

gboolean
ls_training_panel_select_data (LsTrainingPanel  *self,
                               const char       *name,
                               GError          **error)
{
  const char * const *names = ls_training_data_get_names ();
  guint position;

  g_return_val_if_fail (LS_IS_TRAINING_PANEL (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (self->controller != NULL, FALSE);

  if (!g_strv_contains (names, name))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("No training set is called “%s”."), name);
      return FALSE;
    }

  for (position = 0; g_strcmp0 (names[position], name) != 0; position++)
    ;
  if (!load_data (self, name, error))
    {
      select_position (self, self->selected);
      return FALSE;
    }

  if (position != self->selected)
    apply_image_defaults (self, name);
  self->selected = position;
  g_clear_object (&self->csv_file);
  set_csv_label (self, NULL);
  select_position (self, position);
  set_generated_sensitive (self, is_generated (name));

  return TRUE;
}

static void
csv_response_cb (GtkNativeDialog *chooser,
                 int              response,
                 LsTrainingPanel *self)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);

  if (response != GTK_RESPONSE_ACCEPT || file == NULL || self->controller == NULL)
    {
      select_position (self, self->selected);
      return;
    }

  path = g_file_get_path (file);
  if (path == NULL || !load_data (self, path, &error))
    {
      ls_panel_show_error (GTK_WIDGET (self),
                           error != NULL ? error->message : _("Only local CSV files can be opened."));
      select_position (self, self->selected);
      return;
    }

  self->selected = get_csv_position ();
  g_set_object (&self->csv_file, file);
  set_generated_sensitive (self, FALSE);
  name = g_file_get_basename (file);
  set_csv_label (self, name);
  select_position (self, self->selected);
}

static void
open_csv (LsTrainingPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Open Training Data"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (csv_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
data_selected_cb (LsTrainingPanel *self)
{
  guint position = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->data_dropdown));
  g_autoptr(GError) error = NULL;

  if (self->updating || self->controller == NULL || position == GTK_INVALID_LIST_POSITION)
    return;

  if (position == get_csv_position ())
    {
      open_csv (self);
      return;
    }

  if (!ls_training_panel_select_data (self, ls_training_data_get_names ()[position], &error))
    ls_panel_show_error (GTK_WIDGET (self), error->message);
}

/* Draws the generated set again with the new sample count, noise,
 * split or seed. */
static void
generator_changed_cb (LsTrainingPanel *self)
{
  g_autoptr(GError) error = NULL;
  const char *source;
  g_autofree char *path = NULL;

  if (self->updating || self->controller == NULL || self->selected == GTK_INVALID_LIST_POSITION)
    return;

  if (self->csv_file != NULL)
    source = path = g_file_get_path (self->csv_file);
  else
    source = ls_training_data_get_names ()[self->selected];

  if (!load_data (self, source, &error))
    ls_panel_show_error (GTK_WIDGET (self), error->message);
}

static void
new_data_clicked_cb (LsTrainingPanel *self)
{
  GtkSpinButton *seed = GTK_SPIN_BUTTON (self->seed_spin);

  gtk_spin_button_set_value (seed, (gtk_spin_button_get_value_as_int (seed) + 1) % MAX_SEED);
}

/* Settings */

static void
read_settings (LsTrainingPanel *self,
               LsTrainSettings *settings)
{
  *settings = *ls_training_controller_get_settings (self->controller);
  settings->loss = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->loss_dropdown));
  settings->optimizer = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->optimizer_dropdown));
  settings->learning_rate = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->rate_spin));
  settings->batch_size = (gsize) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->batch_spin));
  settings->l2 = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->l2_spin));
  settings->seed = (guint64) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->seed_spin));
}

static void
settings_changed_cb (LsTrainingPanel *self)
{
  g_autoptr(GError) error = NULL;
  LsTrainSettings settings;

  if (self->updating || self->controller == NULL)
    return;

  read_settings (self, &settings);
  if (!ls_training_controller_set_settings (self->controller, &settings, &error))
    show_error_label (self, error->message);
}

/* Names the optimiser parameters that the panel leaves at their
 * defaults. */
static void
set_optimizer_tooltip (LsTrainingPanel       *self,
                       const LsTrainSettings *settings)
{
  g_autofree char *tooltip = g_strdup_printf (_("SGD uses momentum %g. Adam uses β₁ %g, β₂ %g and ε %g."),
                                              settings->momentum, settings->beta1,
                                              settings->beta2, settings->epsilon);

  gtk_widget_set_tooltip_text (self->optimizer_dropdown, tooltip);
}

/* Shows the controller's settings in the controls. */
static void
write_settings (LsTrainingPanel       *self,
                const LsTrainSettings *settings)
{
  self->updating = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->loss_dropdown), settings->loss);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->optimizer_dropdown), settings->optimizer);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->rate_spin), settings->learning_rate);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->batch_spin), (double) settings->batch_size);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->l2_spin), settings->l2);
  self->updating = FALSE;
}

/* Run controls */

static void
play_toggled_cb (LsTrainingPanel *self)
{
  g_autoptr(GError) error = NULL;

  if (self->updating || self->controller == NULL)
    return;

  if (!gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->play_button)))
    ls_training_controller_pause (self->controller);
  else if (!ls_training_controller_play (self->controller, &error))
    {
      update_counters (self);
      show_run_error (self, error->message);
      return;
    }

  update_counters (self);
}

static void
step_clicked_cb (LsTrainingPanel *self)
{
  g_autoptr(GError) error = NULL;

  if (self->controller == NULL)
    return;

  if (!ls_training_controller_step (self->controller, &error))
    {
      update_counters (self);
      show_run_error (self, error->message);
    }
}

static void
reset_clicked_cb (LsTrainingPanel *self)
{
  if (self->controller != NULL)
    ls_training_controller_reset (self->controller);
  update_counters (self);
}

static void
speed_changed_cb (LsTrainingPanel *self)
{
  guint position = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->speed_dropdown));

  if (self->controller != NULL && position < G_N_ELEMENTS (speeds))
    ls_training_controller_set_speed (self->controller, speeds[position]);
}

static void
stop_epoch_changed_cb (LsTrainingPanel *self)
{
  if (self->controller != NULL)
    ls_training_controller_set_max_epochs (self->controller,
                                           (guint64) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->stop_spin)));
}

static void
network_changed_cb (LsTrainingPanel *self,
                    guint            change)
{
  if (change & LS_CHANGE_STRUCTURE)
    update_status (self);
}

/* Building the controls */

static GtkWidget *
new_spin (double      minimum,
          double      maximum,
          double      step,
          guint       digits,
          const char *tooltip)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (minimum, maximum, step);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  /* Narrow, so that the side pane keeps its minimum width. */
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 4);
  gtk_widget_set_hexpand (spin, TRUE);
  gtk_widget_set_tooltip_text (spin, tooltip);
  ls_panel_scroll_past (spin);

  return spin;
}

static void
add_row (GtkGrid    *grid,
         int         row,
         const char *label_text,
         GtkWidget  *field)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (label_text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), field);
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, field, 1, row, 1, 1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (field),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
}

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  if (GPOINTER_TO_INT (ellipsize))
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_label_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (string));
  gtk_widget_set_tooltip_text (gtk_list_item_get_child (item), gtk_string_object_get_string (string));
}

static GtkListItemFactory *
new_label_factory (gboolean ellipsize)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), GINT_TO_POINTER (ellipsize));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_label_cb), NULL);

  return factory;
}

/* Makes a drop-down of strings whose button shortens a long name, so
 * that names such as "Smooth surface (regression)" do not widen the side
 * pane, while its list shows every name whole. */
static GtkWidget *
new_string_dropdown (GtkStringList *list)
{
  GtkWidget *dropdown = gtk_drop_down_new (G_LIST_MODEL (list), NULL);
  g_autoptr(GtkListItemFactory) factory = new_label_factory (TRUE);
  g_autoptr(GtkListItemFactory) list_factory = new_label_factory (FALSE);

  gtk_drop_down_set_factory (GTK_DROP_DOWN (dropdown), factory);
  gtk_drop_down_set_list_factory (GTK_DROP_DOWN (dropdown), list_factory);
  gtk_widget_set_hexpand (dropdown, TRUE);

  return dropdown;
}

static GtkWidget *
new_names_dropdown (const char *(*get_name) (int),
                    int          n_names,
                    const char  *tooltip)
{
  GtkStringList *list = gtk_string_list_new (NULL);
  GtkWidget *dropdown;

  for (int i = 0; i < n_names; i++)
    gtk_string_list_append (list, get_name (i));
  dropdown = new_string_dropdown (list);
  gtk_widget_set_tooltip_text (dropdown, tooltip);

  return dropdown;
}

static const char *
get_loss_name (int loss)
{
  return ls_loss_get_display_name ((LsLoss) loss);
}

static const char *
get_optimizer_name (int optimizer)
{
  return ls_optimizer_get_display_name ((LsOptimizer) optimizer);
}

/* Adds the settings below the data rows of grid, so that all fields
 * line up. */
static void
add_settings_rows (LsTrainingPanel *self,
                   GtkWidget       *grid)
{
  self->loss_dropdown = new_names_dropdown (get_loss_name, LS_N_LOSSES,
                                            _("What training minimises"));
  self->optimizer_dropdown = new_names_dropdown (get_optimizer_name, LS_N_OPTIMIZERS, NULL);
  self->rate_spin = new_spin (0.0001, 10, 0.001, 4, _("Size of each weight update"));
  self->batch_spin = new_spin (1, MAX_BATCH_SIZE, 1, 0, _("Samples per step"));
  self->l2_spin = new_spin (0, 1, 0.0001, 4, _("Weight decay: pulls each weight towards 0, not the biases"));

  add_row (GTK_GRID (grid), 6, _("_Loss"), self->loss_dropdown);
  add_row (GTK_GRID (grid), 7, _("_Optimiser"), self->optimizer_dropdown);
  add_row (GTK_GRID (grid), 8, _("Learning _rate"), self->rate_spin);
  add_row (GTK_GRID (grid), 9, _("_Batch size"), self->batch_spin);
  add_row (GTK_GRID (grid), 10, _("L_2"), self->l2_spin);
  self->stop_spin = new_spin (0, MAX_STOP_EPOCH, 1, 0,
                              _("Training stops at the end of this epoch. 0 trains until paused."));
  add_row (GTK_GRID (grid), 11, _("Stop at _epoch"), self->stop_spin);
}

static GtkWidget *
new_data_dropdown (void)
{
  const char * const *names = ls_training_data_get_names ();
  GtkStringList *list = gtk_string_list_new (NULL);
  GtkWidget *dropdown;

  for (gsize i = 0; names[i] != NULL; i++)
    gtk_string_list_append (list, ls_training_data_get_display_name (names[i]));
  gtk_string_list_append (list, _("CSV file…"));
  dropdown = new_string_dropdown (list);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), GTK_INVALID_LIST_POSITION);
  gtk_widget_set_tooltip_text (dropdown, _("The samples to train on"));

  return dropdown;
}

static GtkWidget *
build_grid (LsTrainingPanel *self)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);

  self->data_dropdown = new_data_dropdown ();
  self->samples_spin = new_spin (20, MAX_GENERATED_SAMPLES, 20, 0, _("Samples drawn, before the test split"));
  self->noise_spin = new_spin (0, 1, 0.05, 2, _("Random offset of each point, as a share of the square's width"));
  self->test_spin = new_spin (0, 0.9, 0.05, 2, _("Share of the samples kept apart to test on"));
  self->seed_spin = new_spin (0, MAX_SEED - 1, 1, 0, _("Seed of the random points, of the split and of the batch order"));

  add_row (GTK_GRID (grid), 0, _("_Data"), self->data_dropdown);
  add_row (GTK_GRID (grid), 1, _("Sa_mples"), self->samples_spin);
  add_row (GTK_GRID (grid), 2, _("_Noise"), self->noise_spin);
  add_row (GTK_GRID (grid), 3, _("_Test share"), self->test_spin);
  add_row (GTK_GRID (grid), 4, _("_Seed"), self->seed_spin);

  self->new_data_button = gtk_button_new_with_mnemonic (_("Ne_w Data"));
  gtk_widget_set_tooltip_text (self->new_data_button, _("Draw new points with the next seed"));
  gtk_grid_attach (GTK_GRID (grid), self->new_data_button, 1, 5, 1, 1);
  add_settings_rows (self, grid);

  return grid;
}

static GtkWidget *
new_icon_button (GType       type,
                 const char *icon_name,
                 const char *label)
{
  GtkWidget *button = g_object_new (type, "icon-name", icon_name, "tooltip-text", label, NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  return button;
}

static GtkWidget *
new_message_label (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  /* Selectable with the mouse, to copy a message, but no stop of the Tab
   * order: a selectable label takes the focus without showing a ring.
   * Only can-focus FALSE keeps Tab going, because in GTK 4.8 the focus
   * handler of a selectable label that is not focusable reports the
   * focus as taken, and Tab stays where it was. */
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_focusable (label, FALSE);
  gtk_widget_set_can_focus (label, FALSE);
  gtk_widget_add_css_class (label, css_class);
  gtk_widget_set_visible (label, FALSE);

  return label;
}

static GtkWidget *
new_speed_dropdown (void)
{
  const char *names[] = { _("Slow"), _("Normal"), _("Fast"), NULL };
  GtkWidget *dropdown = gtk_drop_down_new_from_strings (names);
  const char *label = _("Training speed");

  G_STATIC_ASSERT (G_N_ELEMENTS (names) == G_N_ELEMENTS (speeds) + 1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), DEFAULT_SPEED);
  gtk_widget_set_tooltip_text (dropdown, _("Training speed: Slow trains 20 batches a second, "
                                           "Normal 250, Fast as many as the computer can"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);

  return dropdown;
}

/* The counters never shorten: in a narrow window they wrap onto more
 * lines instead, between words, so that the bar does not widen the
 * window beyond a small screen. */
static GtkWidget *
new_bar_label (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, css_class);

  return label;
}

/* Builds the row of buttons, speed and counters of the bar. */
static GtkWidget *
build_run_row (LsTrainingPanel *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *speed_label;

  self->play_button = new_icon_button (GTK_TYPE_TOGGLE_BUTTON, "media-playback-start-symbolic",
                                       _("Train until paused (Ctrl+Space)"));
  self->step_button = new_icon_button (GTK_TYPE_BUTTON, "media-skip-forward-symbolic",
                                       _("Train one step"));
  self->reset_button = new_icon_button (GTK_TYPE_BUTTON, "edit-undo-symbolic",
                                        _("Reset to the weights before training"));
  gtk_widget_add_css_class (self->play_button, "suggested-action");
  self->speed_dropdown = new_speed_dropdown ();
  speed_label = gtk_label_new (_("Speed"));
  gtk_widget_set_margin_start (speed_label, 6);
  gtk_widget_add_css_class (speed_label, "dim-label");
  self->counter_label = new_bar_label ("training-counter");
  self->score_label = new_bar_label ("training-score");
  gtk_widget_set_hexpand (self->score_label, TRUE);

  gtk_box_append (GTK_BOX (row), self->play_button);
  gtk_box_append (GTK_BOX (row), self->step_button);
  gtk_box_append (GTK_BOX (row), self->reset_button);
  gtk_box_append (GTK_BOX (row), speed_label);
  gtk_box_append (GTK_BOX (row), self->speed_dropdown);
  gtk_box_append (GTK_BOX (row), self->counter_label);
  gtk_box_append (GTK_BOX (row), self->score_label);

  return row;
}

/* Builds the bar: the run row, and below it why a run failed, which
 * wraps so that a divergence message is read whole. */
static GtkWidget *
build_bar (LsTrainingPanel *self)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_widget_add_css_class (bar, "training-bar");
  self->run_error_label = new_message_label ("training-error");
  gtk_box_append (GTK_BOX (bar), build_run_row (self));
  gtk_box_append (GTK_BOX (bar), self->run_error_label);
  gtk_widget_set_visible (bar, FALSE);

  return g_object_ref_sink (bar);
}


static void
connect_controls (LsTrainingPanel *self)
{
  g_signal_connect_swapped (self->data_dropdown, "notify::selected", G_CALLBACK (data_selected_cb), self);
  g_signal_connect_swapped (self->samples_spin, "value-changed", G_CALLBACK (generator_changed_cb), self);
  g_signal_connect_swapped (self->noise_spin, "value-changed", G_CALLBACK (generator_changed_cb), self);
  g_signal_connect_swapped (self->test_spin, "value-changed", G_CALLBACK (generator_changed_cb), self);
  g_signal_connect_swapped (self->seed_spin, "value-changed", G_CALLBACK (settings_changed_cb), self);
  g_signal_connect_swapped (self->seed_spin, "value-changed", G_CALLBACK (generator_changed_cb), self);
  g_signal_connect_swapped (self->new_data_button, "clicked", G_CALLBACK (new_data_clicked_cb), self);
  g_signal_connect_swapped (self->loss_dropdown, "notify::selected", G_CALLBACK (settings_changed_cb), self);
  g_signal_connect_swapped (self->optimizer_dropdown, "notify::selected", G_CALLBACK (settings_changed_cb), self);
  g_signal_connect_swapped (self->rate_spin, "value-changed", G_CALLBACK (settings_changed_cb), self);
  g_signal_connect_swapped (self->batch_spin, "value-changed", G_CALLBACK (settings_changed_cb), self);
  g_signal_connect_swapped (self->l2_spin, "value-changed", G_CALLBACK (settings_changed_cb), self);
  g_signal_connect_swapped (self->play_button, "toggled", G_CALLBACK (play_toggled_cb), self);
  g_signal_connect_swapped (self->step_button, "clicked", G_CALLBACK (step_clicked_cb), self);
  g_signal_connect_swapped (self->reset_button, "clicked", G_CALLBACK (reset_clicked_cb), self);
  g_signal_connect_swapped (self->speed_dropdown, "notify::selected", G_CALLBACK (speed_changed_cb), self);
  g_signal_connect_swapped (self->stop_spin, "value-changed", G_CALLBACK (stop_epoch_changed_cb), self);
}

/* Toggles the play button from anywhere in the window with Ctrl+Space,
 * because Space alone belongs to the focused button or text field, and
 * F5 to presenter mode. */
static gboolean
play_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  LsTrainingPanel *self = LS_TRAINING_PANEL (widget);
  GtkToggleButton *play = GTK_TOGGLE_BUTTON (self->play_button);

  if (self->controller == NULL)
    return FALSE;

  gtk_toggle_button_set_active (play, !gtk_toggle_button_get_active (play));

  return TRUE;
}

static void
add_play_shortcut (LsTrainingPanel *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_space, GDK_CONTROL_MASK),
                                            gtk_callback_action_new (play_shortcut_cb, NULL, NULL));

  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller), GTK_SHORTCUT_SCOPE_MANAGED);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/* GObject */

static void
drop_controller (LsTrainingPanel *self)
{
  if (self->controller == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->controller, self);
  ls_training_controller_pause (self->controller);
  g_clear_object (&self->controller);
}

static void
ls_training_panel_dispose (GObject *object)
{
  LsTrainingPanel *self = LS_TRAINING_PANEL (object);

  drop_controller (self);
  if (self->network != NULL)
    g_signal_handlers_disconnect_by_data (self->network, self);
  g_clear_object (&self->network);
  g_clear_object (&self->csv_file);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->bar);

  G_OBJECT_CLASS (ls_training_panel_parent_class)->dispose (object);
}

static void
ls_training_panel_class_init (LsTrainingPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_training_panel_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "trainingpanel");
}

static void
ls_training_panel_init (LsTrainingPanel *self)
{
  LsTrainSettings settings;
  LsTrainingDataOptions data_options;

  self->selected = GTK_INVALID_LIST_POSITION;
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->status_label = new_message_label ("training-status");
  self->error_label = new_message_label ("training-error");
  gtk_box_append (GTK_BOX (self->box), self->status_label);
  gtk_box_append (GTK_BOX (self->box), build_grid (self));
  gtk_box_append (GTK_BOX (self->box), self->error_label);
  self->bar = build_bar (self);

  self->updating = TRUE;
  ls_training_data_options_init (&data_options);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->samples_spin), data_options.n_samples);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->noise_spin), data_options.noise);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->test_spin), data_options.test_fraction);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->seed_spin), data_options.seed);
  self->updating = FALSE;
  ls_train_settings_init (&settings);
  write_settings (self, &settings);
  set_optimizer_tooltip (self, &settings);
  connect_controls (self);
  add_play_shortcut (self);
}

GtkWidget *
ls_training_panel_new (void)
{
  return g_object_new (LS_TYPE_TRAINING_PANEL, NULL);
}

/* Returns the set to start with: the one named in the network's title,
 * such as "XOR" or "Spiral", or the set it was evaluated on. */
static const char *
guess_data_name (LsNetwork *network)
{
  const char * const *names = ls_training_data_get_names ();
  const LsEvaluation *evaluation = ls_network_get_evaluation (network);
  g_autofree char *title = NULL;

  if (ls_network_get_title (network) != NULL)
    title = g_utf8_strdown (ls_network_get_title (network), -1);

  for (gsize i = 0; names[i] != NULL; i++)
    {
      if (evaluation != NULL && g_strcmp0 (evaluation->name, names[i]) == 0)
        return names[i];
      if (title != NULL && is_generated (names[i]) && strstr (title, names[i]) != NULL
          && ls_network_get_input_size (network) == 2)
        return names[i];
    }

  return NULL;
}

void
ls_training_panel_set_network (LsTrainingPanel *self,
                               LsNetwork       *network)
{
  g_autoptr(GError) error = NULL;
  const char *name;

  g_return_if_fail (LS_IS_TRAINING_PANEL (self));
  g_return_if_fail (network == NULL || LS_IS_NETWORK (network));

  drop_controller (self);
  ls_panel_watch_network (self, &self->network, network, G_CALLBACK (network_changed_cb));
  self->selected = GTK_INVALID_LIST_POSITION;
  g_clear_object (&self->csv_file);
  select_position (self, GTK_INVALID_LIST_POSITION);
  show_error_label (self, NULL);
  show_run_error (self, NULL);
  if (network == NULL)
    {
      update_status (self);
      return;
    }

  self->controller = ls_training_controller_new (network);
  settings_changed_cb (self);
  speed_changed_cb (self);
  stop_epoch_changed_cb (self);
  g_signal_connect_swapped (self->controller, "updated", G_CALLBACK (update_counters), self);
  g_signal_connect_swapped (self->controller, "stopped", G_CALLBACK (update_counters), self);

  name = guess_data_name (network);
  if (name != NULL && !ls_training_panel_select_data (self, name, &error))
    show_error_label (self, error->message);
  update_status (self);
  update_counters (self);
}

/* Returns the bar with the play, step and reset buttons, the speed and
 * the counters, for the window to show where it is always seen. The bar
 * shows itself only while the chosen set fits the network. Ctrl+Space
 * toggles play wherever the bar is. */
GtkWidget *
ls_training_panel_get_bar (LsTrainingPanel *self)
{
  g_return_val_if_fail (LS_IS_TRAINING_PANEL (self), NULL);

  return self->bar;
}

LsTrainingController *
ls_training_panel_get_controller (LsTrainingPanel *self)
{
  g_return_val_if_fail (LS_IS_TRAINING_PANEL (self), NULL);

  return self->controller;
}
