/* ls-sample-browser.c: the images of a data set, or the phrases of a
 * text data set, as inputs
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
#include "ls-panel.h"
#include "ls-paths.h"
#include "ls-sample-browser.h"
#include "ls-text-dataset.h"

/* Thumbnails of the samples around the current one: a page of this many,
 * in rows of THUMBNAIL_COLUMNS. */
#define N_THUMBNAILS 12
#define THUMBNAIL_COLUMNS 6
#define THUMBNAIL_SIZE 30

/* What a load thread reads: a built-in data set, or an IDX file pair. */
typedef struct
{
  char *name;     /* nullable */
  char *split;    /* nullable */
  GFile *images;  /* nullable */
  GFile *labels;  /* nullable */
} LoadRequest;

struct _LsSampleBrowser
{
  GtkWidget parent_instance;

  LsNetwork *network;
  LsDataset *dataset;      /* nullable: the shown data set */
  LsDataset *idx_dataset;  /* nullable: the last IDX pair opened */
  GCancellable *loading;   /* nullable: the running load */
  gsize index;             /* the last sample made the input, or the first one */
  gboolean has_pick;       /* whether index was made the input, by the user or by the loaded document */
  guint n_builtins;

  GtkWidget *box;
  GtkWidget *dataset_dropdown;
  GtkStringList *dataset_names;  /* titles: built-ins, then the IDX pair */
  GtkWidget *split_dropdown;
  GtkWidget *spinner;
  GtkWidget *navigation;
  GtkWidget *sample_entry;  /* the number of the sample that is the input, or empty */
  GtkWidget *count_label;
  GtkWidget *thumbnails[N_THUMBNAILS];
  GtkWidget *thumbnail_grid;
  /* The truth label, or the note that the input is no sample, in one
   * place as tall as the taller of the two, so that the rows below stay
   * put when the input stops or starts being a sample. */
  GtkWidget *truth_stack;
  GtkWidget *truth_label;
  GtkWidget *not_sample_label;
  GtkWidget *prediction_label;
  GtkWidget *status_label;  /* the data set's note, a shape mismatch or an error */
};

G_DEFINE_FINAL_TYPE (LsSampleBrowser, ls_sample_browser, GTK_TYPE_WIDGET)

static const char * const splits[] = { "test", "train" };

static void
load_request_free (LoadRequest *request)
{
  g_free (request->name);
  g_free (request->split);
  g_clear_object (&request->images);
  g_clear_object (&request->labels);
  g_free (request);
}

/* Returns the title of a built-in data set without loading it. */
static const char *
get_builtin_title (const char *name)
{
  if (g_str_equal (name, "digits"))
    return _("Handwritten digits (8 × 8)");
  if (g_str_equal (name, "fashion-mnist"))
    return _("Fashion-MNIST clothing (28 × 28)");

  return name;
}

static gboolean
is_builtin (const char *name)
{
  return name != NULL && g_strv_contains (ls_dataset_get_builtin_names (), name);
}

static gboolean
shape_matches (LsSampleBrowser *self)
{
  return self->dataset != NULL && self->network != NULL &&
         ls_shape_equal (ls_dataset_get_sample_shape (self->dataset),
                         ls_network_get_input_shape (self->network));
}

/* Whether the network's input is exactly the last sample made the input,
 * so that the sample's label is the input's true label. */
static gboolean
input_is_sample (LsSampleBrowser *self)
{
  return self->has_pick && shape_matches (self) &&
         memcmp (ls_network_get_input (self->network), ls_dataset_get_sample (self->dataset, self->index),
                 ls_dataset_get_sample_size (self->dataset) * sizeof (float)) == 0;
}

static void
set_status (LsSampleBrowser *self,
            const char      *text,
            gboolean         is_error)
{
  gtk_label_set_text (GTK_LABEL (self->status_label), text != NULL ? text : "");
  gtk_widget_set_visible (self->status_label, text != NULL);
  if (is_error)
    gtk_widget_add_css_class (self->status_label, "error");
  else
    gtk_widget_remove_css_class (self->status_label, "error");
}

/* Returns the name of output unit as the bars and the diagram show it:
 * the output layer's label, or else "y3". */
static char *
dup_output_name (LsSampleBrowser *self,
                 gsize            unit)
{
  return ls_explain_neuron_name (self->network, ls_network_get_n_layers (self->network), unit);
}

/* Names a true label as the prediction names outputs, so that the two can
 * be compared: by the output layer's label when it has one, else by the
 * data set's class and the output that stands for it, "Ankle boot (y10)".
 * A label without an output keeps its class name. */
static char *
dup_label_name (LsSampleBrowser *self,
                gsize            label)
{
  const char *class_name = ls_dataset_get_class_name (self->dataset, label);
  const char *output_label;
  g_autofree char *output_name = NULL;

  if (label >= ls_network_get_output_size (self->network))
    return g_strdup (class_name);

  output_label = ls_layer_get_label (ls_network_get_output_layer (self->network), label);
  if (output_label != NULL && output_label[0] != '\0')
    return g_strdup (output_label);

  output_name = dup_output_name (self, label);
  /* TRANSLATORS: a data set's class and the network output that stands for it, "Ankle boot (y10)" */
  return g_strdup_printf (_("%s (%s)"), class_name, output_name);
}

/* Formats the prediction as the bars show the output: "Prediction: 7 (98.2 %)"
 * with the probability for softmax and sigmoid outputs, and
 * "Prediction: y3 (2.41)" with the value otherwise. */
static char *
dup_prediction (LsSampleBrowser *self,
                gsize            best)
{
  const LsLayer *output = ls_network_get_output_layer (self->network);
  float value = ls_network_get_output (self->network)[best];
  g_autofree char *name = dup_output_name (self, best);
  g_autofree char *value_text = NULL;

  if (output->activation == LS_ACTIVATION_SOFTMAX || output->activation == LS_ACTIVATION_SIGMOID)
    value_text = ls_format_percent (value);
  else
    value_text = ls_format_value (value);

  /* TRANSLATORS: the output that the network picks and its probability or value, "Prediction: 7 (98.2 %)" */
  return g_strdup_printf (_("Prediction: %s (%s)"), name, value_text);
}

/* Returns the text of the true label line of an input that is a sample:
 * its label, or why there is none. */
static char *
dup_truth (LsSampleBrowser *self,
           int              label)
{
  gsize n_outputs = ls_network_get_output_size (self->network);
  g_autofree char *name = NULL;

  if (label < 0)
    return g_strdup (_("This sample has no label."));

  name = dup_label_name (self, label);
  if ((gsize) label >= n_outputs)
    return g_strdup_printf (ngettext ("True label: %s. This label is outside the network’s %zu output, "
                                      "so the prediction is not marked right or wrong.",
                                      "True label: %s. This label is outside the network’s %zu outputs, "
                                      "so the prediction is not marked right or wrong.",
                                      n_outputs),
                            name, n_outputs);

  return g_strdup_printf (_("True label: %s"), name);
}

/* Returns the prediction, marked right or wrong when the input's label
 * names one of the outputs, and styles its label to match. */
static char *
dup_marked_prediction (LsSampleBrowser *self,
                       int              label)
{
  gsize n_outputs = ls_network_get_output_size (self->network);
  g_autofree char *prediction = NULL;
  gboolean right;
  gsize best;

  /* As the bars do, because the largest of values that are not numbers
   * would name an arbitrary output. */
  if (ls_network_find_non_finite (self->network, NULL))
    return g_strdup (_("No prediction: the output is not a number."));

  best = ls_argmax (ls_network_get_output (self->network), n_outputs);
  prediction = dup_prediction (self, best);
  if (label < 0 || (gsize) label >= n_outputs)
    return g_steal_pointer (&prediction);

  right = best == (gsize) label;
  gtk_widget_add_css_class (self->prediction_label, right ? "success" : "error");

  return g_strdup_printf ("%s %s", prediction, right ? _("✓ right") : _("✗ wrong"));
}

/* Shows the true label of the input, when it is the shown sample, next to
 * the network's prediction, marked right or wrong. */
static void
update_result (LsSampleBrowser *self)
{
  gboolean is_sample = input_is_sample (self);
  int label = is_sample ? ls_dataset_get_label (self->dataset, self->index) : -1;
  g_autofree char *truth = NULL;
  g_autofree char *prediction = NULL;

  gtk_widget_remove_css_class (self->prediction_label, "success");
  gtk_widget_remove_css_class (self->prediction_label, "error");
  if (self->network == NULL || ls_network_get_n_layers (self->network) == 0 || !shape_matches (self))
    {
      gtk_widget_set_visible (self->truth_stack, FALSE);
      gtk_widget_set_visible (self->prediction_label, FALSE);
      return;
    }

  truth = is_sample ? dup_truth (self, label) : NULL;
  prediction = dup_marked_prediction (self, label);
  gtk_label_set_text (GTK_LABEL (self->truth_label), truth != NULL ? truth : "");
  gtk_stack_set_visible_child (GTK_STACK (self->truth_stack), is_sample ? self->truth_label : self->not_sample_label);
  gtk_label_set_text (GTK_LABEL (self->prediction_label), prediction);
  gtk_widget_set_visible (self->truth_stack, TRUE);
  gtk_widget_set_visible (self->prediction_label, TRUE);
}

static void
draw_thumbnail (GtkDrawingArea *area,
                cairo_t        *cr,
                int             width,
                int             height,
                gpointer        user_data)
{
  LsSampleBrowser *self = user_data;
  gsize index = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (area), "sample"));
  const LsShape *shape;
  const float *sample;
  cairo_surface_t *surface;
  guint8 *data;
  gsize h, w;

  if (self->dataset == NULL || index >= ls_dataset_get_n_samples (self->dataset))
    return;

  /* The first channel as grey, black at 0 and white at 1. */
  shape = ls_dataset_get_sample_shape (self->dataset);
  h = shape->dims[1];
  w = shape->dims[2];
  sample = ls_dataset_get_sample (self->dataset, index);
  surface = cairo_image_surface_create (CAIRO_FORMAT_A8, w, h);
  data = cairo_image_surface_get_data (surface);
  for (gsize y = 0; y < h; y++)
    for (gsize x = 0; x < w; x++)
      data[y * cairo_image_surface_get_stride (surface) + x] = (guint8) lround (CLAMP (sample[y * w + x], 0.0f, 1.0f) * 255.0f);
  cairo_surface_mark_dirty (surface);

  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_paint (cr);
  cairo_scale (cr, (double) width / w, (double) height / h);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_mask_surface (cr, surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_surface_destroy (surface);
}

static void
update_thumbnails (LsSampleBrowser *self)
{
  gsize n = self->dataset != NULL ? ls_dataset_get_n_samples (self->dataset) : 0;
  gsize first = self->index / N_THUMBNAILS * N_THUMBNAILS;

  for (guint i = 0; i < N_THUMBNAILS; i++)
    {
      GtkWidget *button = self->thumbnails[i];
      GtkWidget *area = gtk_button_get_child (GTK_BUTTON (button));
      gsize index = first + i;
      g_autofree char *tooltip = NULL;

      gtk_widget_set_visible (button, index < n);
      if (index >= n)
        continue;

      if (ls_dataset_has_labels (self->dataset))
        tooltip = g_strdup_printf (_("Sample %zu: %s"), index + 1,
                                   ls_dataset_get_class_name (self->dataset, ls_dataset_get_label (self->dataset, index)));
      else
        tooltip = g_strdup_printf (_("Sample %zu"), index + 1);
      gtk_widget_set_tooltip_text (button, tooltip);
      g_object_set_data (G_OBJECT (area), "sample", GSIZE_TO_POINTER (index));
      g_object_set_data (G_OBJECT (button), "sample", GSIZE_TO_POINTER (index));
      gtk_widget_queue_draw (area);
    }
}

static void
show_sample_number (LsSampleBrowser *self)
{
  g_autofree char *number = NULL;

  if (input_is_sample (self))
    number = g_strdup_printf ("%zu", self->index + 1);
  gtk_editable_set_text (GTK_EDITABLE (self->sample_entry), number != NULL ? number : "");
}

/* Rings the thumbnail of the sample that is the input and shows its
 * number. When the input is no sample, such as after an edit or with a
 * newly loaded data set, nothing is ringed and the number is empty. */
static void
update_selection (LsSampleBrowser *self)
{
  gboolean is_sample = input_is_sample (self);

  for (guint i = 0; i < N_THUMBNAILS; i++)
    {
      GtkWidget *button = self->thumbnails[i];
      gsize index = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "sample"));

      if (is_sample && gtk_widget_get_visible (button) && index == self->index)
        gtk_widget_add_css_class (button, "current-sample");
      else
        gtk_widget_remove_css_class (button, "current-sample");
    }
  show_sample_number (self);
}

static void
update_navigation (LsSampleBrowser *self)
{
  gsize n = self->dataset != NULL ? ls_dataset_get_n_samples (self->dataset) : 0;
  g_autofree char *count = g_strdup_printf (_("of %zu"), n);

  gtk_widget_set_sensitive (self->navigation, n > 0 && shape_matches (self));
  gtk_widget_set_sensitive (self->thumbnail_grid, n > 0 && shape_matches (self));
  gtk_label_set_text (GTK_LABEL (self->count_label), count);
  update_thumbnails (self);
  update_selection (self);
}

/* Tells why samples cannot be used when their shape is not the input's,
 * or else shows the data set's note, if any. */
static void
update_status (LsSampleBrowser *self)
{
  g_autofree char *sample_shape = NULL;
  g_autofree char *input_shape = NULL;
  g_autofree char *message = NULL;

  if (self->dataset == NULL || self->network == NULL)
    return;

  if (shape_matches (self))
    {
      set_status (self, ls_dataset_get_note (self->dataset), FALSE);
      return;
    }

  sample_shape = ls_explain_shape (ls_dataset_get_sample_shape (self->dataset));
  input_shape = ls_explain_shape (ls_network_get_input_shape (self->network));
  message = g_strdup_printf (_("The samples of “%s” are %s, but this network takes an input of %s. "
                               "Choose a data set whose images have that shape."),
                             ls_dataset_get_title (self->dataset), sample_shape, input_shape);
  set_status (self, message, TRUE);
}

/* Starts from the sample that equals the network's input, such as the
 * test image that an example document stores. When none does, no sample
 * is picked, and Next goes to the first one. */
static void
find_input (LsSampleBrowser *self)
{
  gsize n, size;
  const float *input;

  self->index = 0;
  self->has_pick = FALSE;
  if (!shape_matches (self))
    return;

  n = ls_dataset_get_n_samples (self->dataset);
  size = ls_dataset_get_sample_size (self->dataset);
  input = ls_network_get_input (self->network);
  for (gsize i = 0; i < n && !self->has_pick; i++)
    if (memcmp (ls_dataset_get_sample (self->dataset, i), input, size * sizeof (float)) == 0)
      {
        self->index = i;
        self->has_pick = TRUE;
      }
}

static void
show_dataset (LsSampleBrowser *self,
              LsDataset       *dataset)
{
  g_clear_pointer (&self->dataset, ls_dataset_unref);
  self->dataset = dataset != NULL ? ls_dataset_ref (dataset) : NULL;
  find_input (self);

  set_status (self, NULL, FALSE);
  update_status (self);
  update_navigation (self);
  update_result (self);
}

void
ls_sample_browser_select_sample (LsSampleBrowser *self,
                                 gsize            index)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (LS_IS_SAMPLE_BROWSER (self));
  g_return_if_fail (self->dataset != NULL);
  g_return_if_fail (index < ls_dataset_get_n_samples (self->dataset));

  self->index = index;
  self->has_pick = shape_matches (self);
  if (!self->has_pick)
    {
      update_navigation (self);
      update_status (self);
      return;
    }

  if (!ls_network_set_input (self->network, ls_dataset_get_sample (self->dataset, index),
                             ls_dataset_get_sample_size (self->dataset), &error))
    ls_panel_show_error (GTK_WIDGET (self), error->message);
  update_navigation (self);
  update_result (self);
}

/* Picks the sample delta places from the last one picked. Before any
 * pick, Next picks the first sample and Previous the last. */
static void
step (LsSampleBrowser *self,
      gssize           delta)
{
  gssize n, target;

  if (self->dataset == NULL)
    return;

  n = ls_dataset_get_n_samples (self->dataset);
  target = (gssize) self->index + (self->has_pick || delta < 0 ? delta : 0);
  ls_sample_browser_select_sample (self, (target % n + n) % n);
}

static void
previous_clicked_cb (LsSampleBrowser *self)
{
  step (self, -1);
}

static void
next_clicked_cb (LsSampleBrowser *self)
{
  step (self, 1);
}

static void
random_clicked_cb (LsSampleBrowser *self)
{
  if (self->dataset != NULL)
    ls_sample_browser_select_sample (self, g_random_int_range (0, ls_dataset_get_n_samples (self->dataset)));
}

/* Picks the sample whose number was typed. Text that is no sample
 * number gives a message, and the field shows the number it had. */
static void
commit_sample_number (LsSampleBrowser *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->sample_entry))));
  g_autofree char *message = NULL;
  guint64 number;
  gsize n;

  if (self->dataset == NULL || !gtk_widget_is_sensitive (self->sample_entry))
    return;

  n = ls_dataset_get_n_samples (self->dataset);
  if (g_ascii_string_to_unsigned (text, 10, 1, n, &number, NULL))
    {
      if (!input_is_sample (self) || number != self->index + 1)
        ls_sample_browser_select_sample (self, number - 1);
      return;
    }

  show_sample_number (self);
  if (text[0] == '\0')
    return;

  message = g_strdup_printf (_("“%s” is not a sample number. Type a whole number from 1 to %zu."), text, n);
  ls_panel_show_error (GTK_WIDGET (self), message);
}

static void
sample_entry_leave_cb (LsSampleBrowser *self)
{
  commit_sample_number (self);
}

static void
thumbnail_clicked_cb (GtkButton       *button,
                      LsSampleBrowser *self)
{
  ls_sample_browser_select_sample (self, GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "sample")));
}

/* Shows in the drop-downs the data set that is shown, after a load
 * failed or was replaced. */
static void dataset_selected_cb (GtkDropDown *dropdown, GParamSpec *pspec, LsSampleBrowser *self);

static void
sync_dropdowns (LsSampleBrowser *self)
{
  const char *name = self->dataset != NULL ? ls_dataset_get_name (self->dataset) : NULL;
  const char *split = self->dataset != NULL ? ls_dataset_get_split (self->dataset) : NULL;
  guint position = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; name != NULL && i < self->n_builtins; i++)
    if (g_str_equal (ls_dataset_get_builtin_names ()[i], name) && split != NULL)
      position = i;
  if (self->dataset != NULL && self->dataset == self->idx_dataset)
    position = self->n_builtins;

  g_signal_handlers_block_by_func (self->dataset_dropdown, dataset_selected_cb, self);
  g_signal_handlers_block_by_func (self->split_dropdown, dataset_selected_cb, self);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->dataset_dropdown), position);
  if (split != NULL)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->split_dropdown), g_str_equal (split, "train"));
  gtk_widget_set_sensitive (self->split_dropdown, position < self->n_builtins);
  g_signal_handlers_unblock_by_func (self->split_dropdown, dataset_selected_cb, self);
  g_signal_handlers_unblock_by_func (self->dataset_dropdown, dataset_selected_cb, self);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadRequest *request = task_data;
  GError *error = NULL;
  LsDataset *dataset;

  if (request->name != NULL)
    dataset = ls_dataset_load_builtin (request->name, request->split, &error);
  else
    dataset = ls_dataset_load_idx (request->images, request->labels, &error);

  if (dataset == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, dataset, (GDestroyNotify) ls_dataset_unref);
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LsSampleBrowser *self = LS_SAMPLE_BROWSER (source);
  LoadRequest *request = g_task_get_task_data (G_TASK (result));
  g_autoptr(LsDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;

  dataset = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->loading);
  gtk_spinner_stop (GTK_SPINNER (self->spinner));
  gtk_widget_set_visible (self->spinner, FALSE);
  if (dataset == NULL)
    {
      set_status (self, error->message, TRUE);
      ls_panel_show_error (GTK_WIDGET (self), error->message);
      sync_dropdowns (self);
      return;
    }

  if (request->name == NULL)
    {
      g_clear_pointer (&self->idx_dataset, ls_dataset_unref);
      self->idx_dataset = ls_dataset_ref (dataset);
      /* The drop-down may select an item when its list changes, which
       * must not start loading that data set. */
      g_signal_handlers_block_by_func (self->dataset_dropdown, dataset_selected_cb, self);
      gtk_string_list_splice (self->dataset_names, self->n_builtins,
                              g_list_model_get_n_items (G_LIST_MODEL (self->dataset_names)) - self->n_builtins,
                              (const char * const[]) { ls_dataset_get_name (dataset), NULL });
      g_signal_handlers_unblock_by_func (self->dataset_dropdown, dataset_selected_cb, self);
    }
  show_dataset (self, dataset);
  sync_dropdowns (self);
}

/* Starts a load in a thread, abandoning the one that runs. The browser
 * holds a reference until the load finishes, so a closed window does not
 * free it under the callback. */
static void
start_load (LsSampleBrowser *self,
            LoadRequest     *request)
{
  g_autoptr(GTask) task = NULL;

  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();

  task = g_task_new (self, self->loading, load_done_cb, NULL);
  g_task_set_task_data (task, request, (GDestroyNotify) load_request_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, load_thread);

  gtk_widget_set_visible (self->spinner, TRUE);
  gtk_spinner_start (GTK_SPINNER (self->spinner));
  set_status (self, _("Loading…"), FALSE);
}

void
ls_sample_browser_load_builtin (LsSampleBrowser *self,
                                const char      *name,
                                const char      *split)
{
  LoadRequest *request;

  g_return_if_fail (LS_IS_SAMPLE_BROWSER (self));
  g_return_if_fail (name != NULL && split != NULL);

  request = g_new0 (LoadRequest, 1);
  request->name = g_strdup (name);
  request->split = g_strdup (split);
  start_load (self, request);
}

static void
dataset_selected_cb (GtkDropDown     *dropdown,
                     GParamSpec      *pspec,
                     LsSampleBrowser *self)
{
  guint position = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->dataset_dropdown));
  guint split = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->split_dropdown));

  if (position < self->n_builtins)
    {
      gtk_widget_set_sensitive (self->split_dropdown, TRUE);
      ls_sample_browser_load_builtin (self, ls_dataset_get_builtin_names ()[position],
                                      splits[MIN (split, G_N_ELEMENTS (splits) - 1)]);
    }
  else if (position == self->n_builtins && self->idx_dataset != NULL)
    {
      gtk_widget_set_sensitive (self->split_dropdown, FALSE);
      show_dataset (self, self->idx_dataset);
    }
}

/* Finds the file that pairs with an MNIST-style IDX file in its folder:
 * "t10k-labels-idx1-ubyte.gz" for "t10k-images-idx3-ubyte.gz", or the
 * images for the labels. Returns NULL when no such file exists. */
static GFile *
find_partner (GFile    *file,
              gboolean  want_labels)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(GString) partner = g_string_new (name);
  g_autoptr(GFile) candidate = NULL;

  if (want_labels)
    {
      g_string_replace (partner, "images", "labels", 0);
      g_string_replace (partner, "idx3", "idx1", 0);
      g_string_replace (partner, "idx4", "idx1", 0);
    }
  else
    {
      g_string_replace (partner, "labels", "images", 0);
      g_string_replace (partner, "idx1", "idx3", 0);
    }

  if (parent == NULL || g_str_equal (partner->str, name))
    return NULL;

  candidate = g_file_get_child (parent, partner->str);
  if (!g_file_query_exists (candidate, NULL))
    return NULL;

  return g_steal_pointer (&candidate);
}

static gboolean
is_labels_file (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);

  return strstr (name, "labels") != NULL || strstr (name, "idx1") != NULL;
}

/* Works out which of the chosen files contains the images and which the
 * labels, from MNIST's naming. Returns FALSE with a message when the
 * names of two files do not show which is which. */
static gboolean
pair_idx_files (GListModel  *files,
                LoadRequest *request,
                GError     **error)
{
  g_autoptr(GFile) first = g_list_model_get_item (files, 0);
  g_autoptr(GFile) second = g_list_model_get_n_items (files) > 1 ? g_list_model_get_item (files, 1) : NULL;

  if (second == NULL && is_labels_file (first))
    {
      g_autofree char *name = g_file_get_basename (first);

      request->labels = g_object_ref (first);
      request->images = find_partner (first, FALSE);
      if (request->images != NULL)
        return TRUE;

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("“%s” looks like a labels file, and no images file with the matching name is "
                     "next to it. Choose the images file, or both files."), name);
      return FALSE;
    }

  if (second == NULL)
    {
      request->images = g_object_ref (first);
      request->labels = find_partner (first, TRUE);
      return TRUE;
    }

  if (g_list_model_get_n_items (files) > 2 || is_labels_file (first) == is_labels_file (second))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Choose one images file and one labels file. The labels file’s name must "
                             "contain “labels” or “idx1”, as in MNIST’s t10k-labels-idx1-ubyte.gz."));
      return FALSE;
    }

  request->images = g_object_ref (is_labels_file (first) ? second : first);
  request->labels = g_object_ref (is_labels_file (first) ? first : second);

  return TRUE;
}

void
ls_sample_browser_open_idx_files (LsSampleBrowser *self,
                                  GListModel      *files)
{
  g_autoptr(GError) error = NULL;
  LoadRequest *request;

  g_return_if_fail (LS_IS_SAMPLE_BROWSER (self));
  g_return_if_fail (G_IS_LIST_MODEL (files) && g_list_model_get_n_items (files) > 0);

  request = g_new0 (LoadRequest, 1);
  if (!pair_idx_files (files, request, &error))
    {
      load_request_free (request);
      set_status (self, error->message, TRUE);
      ls_panel_show_error (GTK_WIDGET (self), error->message);
      return;
    }
  start_load (self, request);
}

static void
idx_dialog_response_cb (GtkNativeDialog *dialog,
                        int              response,
                        LsSampleBrowser *self)
{
  g_autoptr(GListModel) files = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);

  if (files != NULL && g_list_model_get_n_items (files) > 0)
    ls_sample_browser_open_idx_files (self, files);
}

static void
open_idx_clicked_cb (LsSampleBrowser *self)
{
  GtkFileChooserNative *dialog;
  GtkFileFilter *idx = gtk_file_filter_new ();
  GtkFileFilter *all = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Open IDX Files"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (dialog), TRUE);
  gtk_file_filter_set_name (idx, _("MNIST-format IDX files"));
  gtk_file_filter_add_pattern (idx, "*idx*");
  gtk_file_filter_add_pattern (idx, "*ubyte*");
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), idx);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);
  g_object_unref (idx);
  g_object_unref (all);
  g_signal_connect (dialog, "response", G_CALLBACK (idx_dialog_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static GtkWidget *
new_label (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

static GtkWidget *
new_icon_button (const char *icon,
                 const char *tooltip,
                 GCallback   callback,
                 gpointer    user_data)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  g_signal_connect_swapped (button, "clicked", callback, user_data);

  return button;
}

/* Shows the whole title of the chosen data set, which the drop-down may
 * shorten. */
static void
update_dataset_tooltip (LsSampleBrowser *self)
{
  GtkStringObject *title = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (self->dataset_dropdown));
  g_autofree char *tooltip = NULL;

  if (title != NULL)
    /* TRANSLATORS: the tooltip of the data set drop-down, "Data set: Handwritten digits (8 × 8)" */
    tooltip = g_strdup_printf (_("Data set: %s"), gtk_string_object_get_string (title));
  gtk_widget_set_tooltip_text (self->dataset_dropdown, tooltip != NULL ? tooltip : _("Data set"));
}

static void
setup_title_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  if (ellipsize != NULL)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_title_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkStringObject *title = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (title));
}

/* Returns a factory of labels for the data set titles. The drop-down's
 * button gets ellipsized ones, so that a long title does not widen the
 * panel, and its list whole ones. */
static GtkListItemFactory *
new_title_factory (gboolean ellipsize)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_title_cb), ellipsize ? factory : NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_title_cb), NULL);

  return factory;
}

static void
add_source_row (LsSampleBrowser *self)
{
  const char * const *names = ls_dataset_get_builtin_names ();
  const char * const split_titles[] = { _("Test"), _("Training"), NULL };
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkListItemFactory *factory;

  self->dataset_names = gtk_string_list_new (NULL);
  for (self->n_builtins = 0; names[self->n_builtins] != NULL; self->n_builtins++)
    gtk_string_list_append (self->dataset_names, get_builtin_title (names[self->n_builtins]));
  self->dataset_dropdown = gtk_drop_down_new (G_LIST_MODEL (self->dataset_names), NULL);
  factory = new_title_factory (TRUE);
  gtk_drop_down_set_factory (GTK_DROP_DOWN (self->dataset_dropdown), factory);
  g_object_unref (factory);
  factory = new_title_factory (FALSE);
  gtk_drop_down_set_list_factory (GTK_DROP_DOWN (self->dataset_dropdown), factory);
  g_object_unref (factory);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->dataset_dropdown), GTK_INVALID_LIST_POSITION);
  gtk_widget_set_hexpand (self->dataset_dropdown, TRUE);
  gtk_widget_set_tooltip_text (self->dataset_dropdown, _("Data set"));
  g_signal_connect_swapped (self->dataset_dropdown, "notify::selected", G_CALLBACK (update_dataset_tooltip), self);
  self->split_dropdown = gtk_drop_down_new_from_strings (split_titles);
  gtk_widget_set_tooltip_text (self->split_dropdown, _("The part of the data set: test images were not used in training"));
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  g_signal_connect (self->dataset_dropdown, "notify::selected", G_CALLBACK (dataset_selected_cb), self);
  g_signal_connect (self->split_dropdown, "notify::selected", G_CALLBACK (dataset_selected_cb), self);

  gtk_box_append (GTK_BOX (row), self->dataset_dropdown);
  gtk_box_append (GTK_BOX (row), self->split_dropdown);
  gtk_box_append (GTK_BOX (row), self->spinner);
  gtk_box_append (GTK_BOX (self->box), row);
}

static void
add_navigation (LsSampleBrowser *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkEventController *focus;

  self->navigation = row;
  self->sample_entry = gtk_entry_new ();
  gtk_editable_set_width_chars (GTK_EDITABLE (self->sample_entry), 5);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (self->sample_entry), 6);
  gtk_entry_set_input_purpose (GTK_ENTRY (self->sample_entry), GTK_INPUT_PURPOSE_DIGITS);
  gtk_widget_set_tooltip_text (self->sample_entry, _("The number of the sample that is the input. "
                                                     "Type a number and press Enter to pick that sample."));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sample_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Sample number"), -1);
  g_signal_connect_swapped (self->sample_entry, "activate", G_CALLBACK (commit_sample_number), self);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (sample_entry_leave_cb), self);
  gtk_widget_add_controller (self->sample_entry, focus);
  self->count_label = gtk_label_new (NULL);
  gtk_widget_set_hexpand (self->count_label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->count_label), 0.0);

  gtk_box_append (GTK_BOX (row), new_icon_button ("go-previous-symbolic", _("Previous sample"),
                                                  G_CALLBACK (previous_clicked_cb), self));
  gtk_box_append (GTK_BOX (row), self->sample_entry);
  gtk_box_append (GTK_BOX (row), self->count_label);
  gtk_box_append (GTK_BOX (row), new_icon_button ("media-playlist-shuffle-symbolic", _("Random sample"),
                                                  G_CALLBACK (random_clicked_cb), self));
  gtk_box_append (GTK_BOX (row), new_icon_button ("go-next-symbolic", _("Next sample"),
                                                  G_CALLBACK (next_clicked_cb), self));
  gtk_box_append (GTK_BOX (self->box), row);
}

static void
add_thumbnails (LsSampleBrowser *self)
{
  self->thumbnail_grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (self->thumbnail_grid), 4);
  gtk_grid_set_column_spacing (GTK_GRID (self->thumbnail_grid), 4);
  for (guint i = 0; i < N_THUMBNAILS; i++)
    {
      GtkWidget *area = gtk_drawing_area_new ();
      GtkWidget *button = gtk_button_new ();

      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), THUMBNAIL_SIZE);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), THUMBNAIL_SIZE);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_thumbnail, self, NULL);
      gtk_button_set_child (GTK_BUTTON (button), area);
      gtk_widget_add_css_class (button, "thumbnail");
      g_signal_connect (button, "clicked", G_CALLBACK (thumbnail_clicked_cb), self);
      gtk_grid_attach (GTK_GRID (self->thumbnail_grid), button, i % THUMBNAIL_COLUMNS, i / THUMBNAIL_COLUMNS, 1, 1);
      self->thumbnails[i] = button;
    }
  gtk_box_append (GTK_BOX (self->box), self->thumbnail_grid);
}

static void
network_changed_cb (LsSampleBrowser *self,
                    guint            change)
{
  if (change & (LS_CHANGE_VALUES | LS_CHANGE_STRUCTURE | LS_CHANGE_METADATA))
    {
      update_selection (self);
      update_result (self);
    }
}

static void
ls_sample_browser_dispose (GObject *object)
{
  LsSampleBrowser *self = LS_SAMPLE_BROWSER (object);

  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  ls_panel_watch_network (self, &self->network, NULL, NULL);
  g_clear_pointer (&self->dataset, ls_dataset_unref);
  g_clear_pointer (&self->idx_dataset, ls_dataset_unref);

  G_OBJECT_CLASS (ls_sample_browser_parent_class)->dispose (object);
}

static void
ls_sample_browser_class_init (LsSampleBrowserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_sample_browser_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "samplebrowser");
}

static void
ls_sample_browser_init (LsSampleBrowser *self)
{
  GtkWidget *open = gtk_button_new_with_mnemonic (_("Open ID_X Files…"));

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  add_source_row (self);
  add_navigation (self);
  add_thumbnails (self);
  self->truth_label = new_label ("heading");
  self->not_sample_label = new_label ("heading");
  gtk_label_set_text (GTK_LABEL (self->not_sample_label),
                      _("The input is none of these samples, so it has no true label here."));
  self->truth_stack = gtk_stack_new ();
  gtk_stack_add_child (GTK_STACK (self->truth_stack), self->truth_label);
  gtk_stack_add_child (GTK_STACK (self->truth_stack), self->not_sample_label);
  self->prediction_label = new_label ("heading");
  self->status_label = new_label ("dim-label");
  gtk_label_set_selectable (GTK_LABEL (self->status_label), TRUE);
  gtk_box_append (GTK_BOX (self->box), self->truth_stack);
  gtk_box_append (GTK_BOX (self->box), self->prediction_label);
  gtk_box_append (GTK_BOX (self->box), self->status_label);

  gtk_widget_set_tooltip_text (open, _("Use images and labels from MNIST-format IDX files"));
  g_signal_connect_swapped (open, "clicked", G_CALLBACK (open_idx_clicked_cb), self);
  gtk_box_append (GTK_BOX (self->box), open);

  show_dataset (self, NULL);
}

GtkWidget *
ls_sample_browser_new (void)
{
  return g_object_new (LS_TYPE_SAMPLE_BROWSER, NULL);
}

/* Picks the data set for a network: the one it was trained on when it is
 * built in, else the built-in one whose images have the input's shape. */
static const char *
choose_dataset (LsNetwork   *network,
                const char **split)
{
  const LsEvaluation *evaluation = ls_network_get_evaluation (network);
  const LsShape *shape = ls_network_get_input_shape (network);

  *split = "test";
  if (is_builtin (evaluation->name))
    {
      if (g_strcmp0 (evaluation->split, "train") == 0)
        *split = "train";
      return evaluation->name;
    }

  if (shape->rank == 3 && shape->dims[0] == 1 && shape->dims[1] == 8 && shape->dims[2] == 8)
    return "digits";
  if (shape->rank == 3 && shape->dims[0] == 1 && shape->dims[1] == 28 && shape->dims[2] == 28)
    return "fashion-mnist";

  return NULL;
}

void
ls_sample_browser_set_network (LsSampleBrowser *self,
                               LsNetwork       *network)
{
  const char *name;
  const char *split;

  g_return_if_fail (LS_IS_SAMPLE_BROWSER (self));
  g_return_if_fail (network == NULL || LS_IS_NETWORK (network));

  ls_panel_watch_network (self, &self->network, network, G_CALLBACK (network_changed_cb));
  if (network == NULL)
    return;

  /* A new document, or the same one reopened after an edit, need not
   * have a sample as its input. */
  find_input (self);
  set_status (self, NULL, FALSE);
  update_status (self);
  update_navigation (self);
  update_result (self);

  name = choose_dataset (network, &split);
  if (name != NULL && (self->dataset == NULL ||
                       g_strcmp0 (ls_dataset_get_name (self->dataset), name) != 0 ||
                       g_strcmp0 (ls_dataset_get_split (self->dataset), split) != 0))
    ls_sample_browser_load_builtin (self, name, split);
}

LsDataset *
ls_sample_browser_get_dataset (LsSampleBrowser *self)
{
  g_return_val_if_fail (LS_IS_SAMPLE_BROWSER (self), NULL);

  return self->dataset;
}

/* Phrase browser */

/* The built-in phrase sets: a data set name, as a network's evaluation
 * gives it, and the file of its test phrases in the data folder. */
static const struct
{
  const char *name;
  const char *path;
} phrase_sets[] = {
  { "sentiment", "datasets/sentiment-test.tsv" },
};

struct _LsPhraseBrowser
{
  GtkWidget parent_instance;

  LsNetwork *network;
  LsTextDataset *dataset;  /* nullable: the loaded phrases */
  char *dataset_path;      /* nullable: the data folder path that dataset came from */
  gsize index;             /* the phrase that is the network's text, when is_phrase */
  gboolean is_phrase;

  GtkWidget *box;
  GtkWidget *dropdown;
  GtkStringList *texts;
  GtkWidget *truth_stack;
  GtkWidget *truth_label;
  GtkWidget *not_phrase_label;
  GtkWidget *prediction_label;
  GtkWidget *status_label;  /* a load failure */
};

G_DEFINE_FINAL_TYPE (LsPhraseBrowser, ls_phrase_browser, GTK_TYPE_WIDGET)

enum {
  PHRASE_CHOSEN,
  N_PHRASE_SIGNALS
};

static guint phrase_signals[N_PHRASE_SIGNALS];

/* Returns the data folder path of the network's phrase set, or NULL. */
static const char *
find_phrase_set (LsNetwork *network)
{
  const LsEvaluation *evaluation;

  if (network == NULL || !ls_network_has_token_input (network))
    return NULL;

  evaluation = ls_network_get_evaluation (network);
  for (guint i = 0; i < G_N_ELEMENTS (phrase_sets); i++)
    if (g_strcmp0 (evaluation->name, phrase_sets[i].name) == 0)
      return phrase_sets[i].path;

  return NULL;
}

/* Returns the output unit that stands for the phrase's label: the one
 * whose label is the label's name, or else the unit of the label's index
 * when the output layer has no labels. Returns -1 when none does. */
static gssize
get_label_unit (LsPhraseBrowser *self,
                gsize            phrase)
{
  const LsLayer *output = ls_network_get_output_layer (self->network);
  gsize n_outputs = ls_network_get_output_size (self->network);
  gsize label = ls_text_dataset_get_label (self->dataset, phrase);
  const char *name = ls_text_dataset_get_label_name (self->dataset, label);

  if (output->labels == NULL)
    return label < n_outputs ? (gssize) label : -1;

  for (gsize unit = 0; unit < n_outputs; unit++)
    if (g_strcmp0 (ls_layer_get_label (output, unit), name) == 0)
      return unit;

  return -1;
}

/* Formats the network's prediction as the image browser does, marked
 * right or wrong against the output unit of the true label. */
static char *
dup_phrase_prediction (LsPhraseBrowser *self,
                       gssize           label_unit)
{
  gsize n_outputs = ls_network_get_output_size (self->network);
  const LsLayer *output = ls_network_get_output_layer (self->network);
  const float *values = ls_network_get_output (self->network);
  g_autofree char *name = NULL;
  g_autofree char *value_text = NULL;
  g_autofree char *prediction = NULL;
  gboolean right;
  gsize best;

  if (ls_network_find_non_finite (self->network, NULL))
    return g_strdup (_("No prediction: the output is not a number."));

  best = ls_argmax (values, n_outputs);
  name = ls_explain_neuron_name (self->network, ls_network_get_n_layers (self->network), best);
  if (output->activation == LS_ACTIVATION_SOFTMAX || output->activation == LS_ACTIVATION_SIGMOID)
    value_text = ls_format_percent (values[best]);
  else
    value_text = ls_format_value (values[best]);
  prediction = g_strdup_printf (_("Prediction: %s (%s)"), name, value_text);
  if (label_unit < 0)
    return g_steal_pointer (&prediction);

  right = best == (gsize) label_unit;
  gtk_widget_add_css_class (self->prediction_label, right ? "success" : "error");

  return g_strdup_printf ("%s %s", prediction, right ? _("✓ right") : _("✗ wrong"));
}

/* Shows the true label while the network's text is a phrase, and the
 * prediction, marked right or wrong when the label names an output. */
static void
update_phrase_result (LsPhraseBrowser *self)
{
  g_autofree char *truth = NULL;
  g_autofree char *prediction = NULL;
  gssize label_unit = -1;

  gtk_widget_remove_css_class (self->prediction_label, "success");
  gtk_widget_remove_css_class (self->prediction_label, "error");
  if (self->is_phrase)
    {
      gsize label = ls_text_dataset_get_label (self->dataset, self->index);

      truth = g_strdup_printf (_("True label: %s"), ls_text_dataset_get_label_name (self->dataset, label));
      label_unit = get_label_unit (self, self->index);
      gtk_label_set_text (GTK_LABEL (self->truth_label), truth);
    }

  prediction = dup_phrase_prediction (self, label_unit);
  gtk_label_set_text (GTK_LABEL (self->prediction_label), prediction);
  gtk_stack_set_visible_child (GTK_STACK (self->truth_stack),
                               self->is_phrase ? self->truth_label : self->not_phrase_label);
}

static void phrase_selected_cb (GtkDropDown *dropdown, GParamSpec *pspec, LsPhraseBrowser *self);

/* Finds the phrase that is the network's text, typed or picked, and
 * selects it in the drop-down, or nothing when the text is no phrase. */
static void
find_phrase (LsPhraseBrowser *self)
{
  const char *text = ls_network_get_text (self->network);
  gsize n = ls_text_dataset_get_n_texts (self->dataset);

  self->is_phrase = FALSE;
  for (gsize i = 0; i < n && !self->is_phrase; i++)
    if (g_strcmp0 (ls_text_dataset_get_text (self->dataset, i), text) == 0)
      {
        self->index = i;
        self->is_phrase = TRUE;
      }

  g_signal_handlers_block_by_func (self->dropdown, phrase_selected_cb, self);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->dropdown),
                              self->is_phrase ? self->index : GTK_INVALID_LIST_POSITION);
  g_signal_handlers_unblock_by_func (self->dropdown, phrase_selected_cb, self);
}

static void
phrase_network_changed_cb (LsPhraseBrowser *self,
                           guint            change)
{
  if (self->dataset == NULL)
    return;

  find_phrase (self);
  update_phrase_result (self);
}

void
ls_phrase_browser_select_phrase (LsPhraseBrowser *self,
                                 gsize            index)
{
  g_return_if_fail (LS_IS_PHRASE_BROWSER (self));
  g_return_if_fail (self->dataset != NULL);
  g_return_if_fail (index < ls_text_dataset_get_n_texts (self->dataset));

  g_signal_emit (self, phrase_signals[PHRASE_CHOSEN], 0, ls_text_dataset_get_text (self->dataset, index));
}

static void
phrase_selected_cb (GtkDropDown     *dropdown,
                    GParamSpec      *pspec,
                    LsPhraseBrowser *self)
{
  guint position = gtk_drop_down_get_selected (dropdown);

  if (self->dataset != NULL && position != GTK_INVALID_LIST_POSITION)
    ls_phrase_browser_select_phrase (self, position);
}

static void
random_phrase_clicked_cb (LsPhraseBrowser *self)
{
  if (self->dataset != NULL)
    ls_phrase_browser_select_phrase (self, g_random_int_range (0, ls_text_dataset_get_n_texts (self->dataset)));
}

/* Loads the phrases at path in the data folder, unless they are loaded
 * already. A failure is shown in the browser, which then offers none. */
static void
load_phrases (LsPhraseBrowser *self,
              const char      *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  LsTextDataset *dataset = NULL;
  gsize n;

  if (self->dataset != NULL && g_strcmp0 (self->dataset_path, path) == 0)
    return;

  /* The drop-down selects its first item when its list fills, which
   * must not replace the network's text. */
  g_signal_handlers_block_by_func (self->dropdown, phrase_selected_cb, self);
  g_clear_pointer (&self->dataset, ls_text_dataset_unref);
  g_clear_pointer (&self->dataset_path, g_free);
  gtk_string_list_splice (self->texts, 0, g_list_model_get_n_items (G_LIST_MODEL (self->texts)), NULL);

  file = ls_paths_find_data (path, &error);
  if (file != NULL)
    dataset = ls_text_dataset_load_file (file, &error);
  if (dataset == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->status_label), error->message);
      gtk_widget_set_visible (self->status_label, TRUE);
      g_signal_handlers_unblock_by_func (self->dropdown, phrase_selected_cb, self);
      return;
    }

  self->dataset = dataset;
  self->dataset_path = g_strdup (path);
  n = ls_text_dataset_get_n_texts (dataset);
  for (gsize i = 0; i < n; i++)
    gtk_string_list_append (self->texts, ls_text_dataset_get_text (dataset, i));
  gtk_widget_set_visible (self->status_label, FALSE);
  g_signal_handlers_unblock_by_func (self->dropdown, phrase_selected_cb, self);
}

void
ls_phrase_browser_set_network (LsPhraseBrowser *self,
                               LsNetwork       *network)
{
  const char *path;

  g_return_if_fail (LS_IS_PHRASE_BROWSER (self));
  g_return_if_fail (network == NULL || LS_IS_NETWORK (network));

  ls_panel_watch_network (self, &self->network, network, G_CALLBACK (phrase_network_changed_cb));
  path = find_phrase_set (network);
  gtk_widget_set_visible (GTK_WIDGET (self), path != NULL);
  if (path == NULL)
    return;

  load_phrases (self, path);
  gtk_widget_set_sensitive (self->dropdown, self->dataset != NULL);
  gtk_widget_set_visible (self->truth_stack, self->dataset != NULL);
  gtk_widget_set_visible (self->prediction_label, self->dataset != NULL);
  phrase_network_changed_cb (self, LS_CHANGE_VALUES);
}

gsize
ls_phrase_browser_get_n_phrases (LsPhraseBrowser *self)
{
  g_return_val_if_fail (LS_IS_PHRASE_BROWSER (self), 0);

  return self->dataset != NULL ? ls_text_dataset_get_n_texts (self->dataset) : 0;
}

void
ls_phrase_browser_set_stale (LsPhraseBrowser *self,
                             gboolean         stale)
{
  g_return_if_fail (LS_IS_PHRASE_BROWSER (self));

  if (stale)
    {
      gtk_widget_add_css_class (self->truth_stack, "stale");
      gtk_widget_add_css_class (self->prediction_label, "stale");
    }
  else
    {
      gtk_widget_remove_css_class (self->truth_stack, "stale");
      gtk_widget_remove_css_class (self->prediction_label, "stale");
    }
}

static GtkWidget *
find_search_entry (GtkWidget *widget)
{
  if (GTK_IS_SEARCH_ENTRY (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_search_entry (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Puts the cursor in the search field of the list of phrases when it
 * opens, so that typing filters the list. GtkDropDown of GTK 4.8
 * focuses the list instead. */
static void
phrase_list_mapped_cb (GtkWidget *popover)
{
  GtkWidget *search = find_search_entry (popover);

  if (search != NULL)
    gtk_widget_grab_focus (search);
}

static GtkWidget *
new_phrase_row (LsPhraseBrowser *self)
{
  GtkWidget *popover;
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkExpression *expression;
  GtkListItemFactory *factory;

  self->texts = gtk_string_list_new (NULL);
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  self->dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->texts)), expression);
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (self->dropdown), TRUE);
  factory = new_title_factory (TRUE);
  gtk_drop_down_set_factory (GTK_DROP_DOWN (self->dropdown), factory);
  g_object_unref (factory);
  factory = new_title_factory (FALSE);
  gtk_drop_down_set_list_factory (GTK_DROP_DOWN (self->dropdown), factory);
  g_object_unref (factory);
  gtk_widget_set_hexpand (self->dropdown, TRUE);
  gtk_widget_set_tooltip_text (self->dropdown, _("Phrases held out from training: pick one to make it the text"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Test phrase"), -1);
  g_signal_connect (self->dropdown, "notify::selected", G_CALLBACK (phrase_selected_cb), self);
  ls_panel_hide_tooltip_while_open (self->dropdown);
  popover = ls_panel_find_popover (self->dropdown);
  if (popover != NULL)
    g_signal_connect (popover, "map", G_CALLBACK (phrase_list_mapped_cb), NULL);

  gtk_box_append (GTK_BOX (row), self->dropdown);
  gtk_box_append (GTK_BOX (row), new_icon_button ("media-playlist-shuffle-symbolic", _("Random phrase"),
                                                  G_CALLBACK (random_phrase_clicked_cb), self));

  return row;
}

static void
ls_phrase_browser_dispose (GObject *object)
{
  LsPhraseBrowser *self = LS_PHRASE_BROWSER (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  ls_panel_watch_network (self, &self->network, NULL, NULL);
  g_clear_pointer (&self->dataset, ls_text_dataset_unref);
  g_clear_pointer (&self->dataset_path, g_free);
  g_clear_object (&self->texts);

  G_OBJECT_CLASS (ls_phrase_browser_parent_class)->dispose (object);
}

static void
ls_phrase_browser_class_init (LsPhraseBrowserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_phrase_browser_dispose;

  /**
   * LsPhraseBrowser::phrase-chosen:
   * @text: the chosen phrase
   *
   * Emitted when the user picks a phrase, for the text field to take it.
   */
  phrase_signals[PHRASE_CHOSEN] =
    g_signal_new ("phrase-chosen",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "phrasebrowser");
}

static void
ls_phrase_browser_init (LsPhraseBrowser *self)
{
  GtkWidget *heading = new_label ("title-4");

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  gtk_label_set_text (GTK_LABEL (heading), _("Test phrases"));
  self->truth_label = new_label ("heading");
  self->not_phrase_label = new_label ("heading");
  gtk_label_set_text (GTK_LABEL (self->not_phrase_label),
                      _("The text is none of these phrases, so it has no true label here."));
  self->truth_stack = gtk_stack_new ();
  gtk_stack_add_child (GTK_STACK (self->truth_stack), self->truth_label);
  gtk_stack_add_child (GTK_STACK (self->truth_stack), self->not_phrase_label);
  self->prediction_label = new_label ("heading");
  self->status_label = new_label ("error");
  gtk_label_set_selectable (GTK_LABEL (self->status_label), TRUE);
  gtk_widget_set_visible (self->status_label, FALSE);

  gtk_box_append (GTK_BOX (self->box), heading);
  gtk_box_append (GTK_BOX (self->box), new_phrase_row (self));
  gtk_box_append (GTK_BOX (self->box), self->truth_stack);
  gtk_box_append (GTK_BOX (self->box), self->prediction_label);
  gtk_box_append (GTK_BOX (self->box), self->status_label);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
ls_phrase_browser_new (void)
{
  return g_object_new (LS_TYPE_PHRASE_BROWSER, NULL);
}
