/* ls-input-panel.c: a slider and a number field for each input value,
 * a canvas to paint an image input and a browser of data set samples,
 * or a text field with the tokens it makes and sample phrases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ls-explain.h"
#include "ls-image.h"
#include "ls-image-canvas.h"
#include "ls-number.h"
#include "ls-number-entry.h"
#include "ls-panel.h"
#include "ls-sample-browser.h"

/* Inputs beyond this count are edited in the inspector only, because a
 * slider per pixel of an image would be of no use. */
#define MAX_SLIDERS 64

struct _LsInputPanel
{
  GtkWidget parent_instance;

  LsNetwork *network;
  GtkWidget *box;
  GtkWidget *grid;     /* sliders of a vector input */
  GPtrArray *scales;   /* of GtkScale, [shown inputs] */
  GPtrArray *entries;  /* of LsNumberEntry, [shown inputs] */
  gboolean has_plane;  /* the sliders of a 2-input network span the plane below */
  float plane_low[2];  /* [input]: the decision map's bounds */
  float plane_high[2]; /* [input] */

  /* Editing of an image input, kept across networks so that a loaded
   * data set stays */
  GtkWidget *image_editor;
  GtkWidget *canvas;
  GtkWidget *paint_button;
  GtkWidget *radius_scale;
  GtkWidget *sample_browser;

  /* Editing of a text input. The entry stays through every edit, so
   * that typing keeps the focus and the cursor. */
  GtkWidget *text_editor;
  GtkWidget *text_entry;
  GtkWidget *text_error;     /* the engine's message for rejected text */
  GtkWidget *stale_note;     /* names the text that the diagram still shows */
  GtkWidget *token_chips;    /* GtkFlowBox, one label per token */
  GtkWidget *token_count;
  GtkWidget *phrase_browser;
  gboolean applying_text;    /* the entry's text is being passed to the network */
};

G_DEFINE_FINAL_TYPE (LsInputPanel, ls_input_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TEXT_REJECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Returns the slider's upper end for a value: 1, 2, 5, 10, 20, 50, …
 * at or above |value|, so inputs in [0, 1] share one scale. */
static double
get_nice_range (double value)
{
  double target = MAX (1.0, fabs (value));
  double decade = pow (10.0, floor (log10 (target)));

  if (target <= decade)
    return decade;
  if (target <= 2.0 * decade)
    return 2.0 * decade;
  if (target <= 5.0 * decade)
    return 5.0 * decade;

  return 10.0 * decade;
}

/* Labels both ends of the slider's track, so its scale can be read. */
static void
mark_range_ends (GtkScale *scale)
{
  GtkAdjustment *adjustment = gtk_range_get_adjustment (GTK_RANGE (scale));
  double ends[] = { gtk_adjustment_get_lower (adjustment), gtk_adjustment_get_upper (adjustment) };

  gtk_scale_clear_marks (scale);
  for (guint i = 0; i < G_N_ELEMENTS (ends); i++)
    {
      g_autofree char *text = ls_format_value (ends[i]);
      gsize length = strlen (text);

      /* "1.00" reads better as "1" and "1.20" as "1.2" on a scale, whose
       * end labels must not reach into the input's name beside it. */
      if (strchr (text, '.') != NULL && strchr (text, 'e') == NULL)
        {
          while (length > 0 && text[length - 1] == '0')
            length--;
          if (length > 0 && text[length - 1] == '.')
            length--;
          text[length] = '\0';
        }
      gtk_scale_add_mark (scale, ends[i], GTK_POS_BOTTOM, text);
    }
}

/* Returns the slider range of input index for value: the plane that the
 * decision map covers, for the two inputs of a network with a training
 * set, or else from −limit to +limit, limit being the round bound at or
 * above |value|, so that both signs can be reached. A value beyond the
 * plane widens the range to that bound on its side. */
static void
get_slider_range (LsInputPanel *self,
                  gsize         index,
                  double        value,
                  double       *lower,
                  double       *upper)
{
  double limit = get_nice_range (value);

  *lower = -limit;
  *upper = limit;
  if (!self->has_plane || index >= 2)
    return;

  *lower = value < self->plane_low[index] ? -limit : self->plane_low[index];
  *upper = value > self->plane_high[index] ? limit : self->plane_high[index];
}

static void
set_range (GtkRange *range,
           double    lower,
           double    upper)
{
  GtkAdjustment *adjustment = gtk_range_get_adjustment (range);

  if (gtk_adjustment_get_lower (adjustment) == lower && gtk_adjustment_get_upper (adjustment) == upper)
    return;

  gtk_adjustment_set_lower (adjustment, lower);
  gtk_adjustment_set_upper (adjustment, upper);
  mark_range_ends (GTK_SCALE (range));
}

/* Widens the slider's range, never narrowing it, so that it contains
 * value and the slider does not jump while the value changes. */
static void
fit_range (LsInputPanel *self,
           GtkRange     *range,
           gsize         index,
           double        value)
{
  GtkAdjustment *adjustment = gtk_range_get_adjustment (range);
  double lower, upper;

  get_slider_range (self, index, value, &lower, &upper);
  set_range (range,
             MIN (lower, gtk_adjustment_get_lower (adjustment)),
             MAX (upper, gtk_adjustment_get_upper (adjustment)));
}

static void
set_input (LsInputPanel *self,
           GtkWidget    *source,
           gsize         index,
           double        value)
{
  g_autoptr(GError) error = NULL;

  if (!ls_network_set_input_value (self->network, index, value, &error))
    ls_panel_show_error (source, error->message);
}

static void
scale_value_changed_cb (GtkRange     *range,
                        LsInputPanel *self)
{
  gsize index = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (range), "index"));
  /* Two decimals, as the number field and the diagram show them. */
  double value = round (gtk_range_get_value (range) * 100.0) / 100.0;

  set_input (self, GTK_WIDGET (range), index, value);
}

static void
entry_value_changed_cb (LsNumberEntry *entry,
                        LsInputPanel  *self)
{
  gsize index = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (entry), "index"));

  set_input (self, GTK_WIDGET (entry), index, ls_number_entry_get_value (entry));
}

static void
update_values (LsInputPanel *self)
{
  const float *input = ls_network_get_input (self->network);

  for (guint i = 0; i < self->scales->len; i++)
    {
      GtkRange *range = g_ptr_array_index (self->scales, i);

      g_signal_handlers_block_by_func (range, scale_value_changed_cb, self);
      fit_range (self, range, i, input[i]);
      gtk_range_set_value (range, input[i]);
      g_signal_handlers_unblock_by_func (range, scale_value_changed_cb, self);
      ls_number_entry_set_value (g_ptr_array_index (self->entries, i), input[i]);
    }
}

static void
add_row (LsInputPanel *self,
         gsize         index)
{
  g_autofree char *name = ls_explain_neuron_name (self->network, 0, index);
  double value = ls_network_get_input (self->network)[index];
  double lower, upper;
  GtkWidget *label = gtk_label_new (name);
  GtkWidget *scale;
  GtkWidget *entry = ls_number_entry_new ();

  get_slider_range (self, index, value, &lower, &upper);
  scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, lower, upper, 0.01);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_hexpand (scale, TRUE);
  /* The labels of the track's ends reach beyond the scale by half their
   * width, into the input's name and the number field otherwise. */
  gtk_widget_set_margin_start (scale, 8);
  gtk_widget_set_margin_end (scale, 8);
  gtk_range_set_value (GTK_RANGE (scale), value);
  mark_range_ends (GTK_SCALE (scale));
  gtk_accessible_update_relation (GTK_ACCESSIBLE (scale), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  g_object_set_data (G_OBJECT (scale), "index", GSIZE_TO_POINTER (index));
  g_object_set_data (G_OBJECT (entry), "index", GSIZE_TO_POINTER (index));
  g_signal_connect (scale, "value-changed", G_CALLBACK (scale_value_changed_cb), self);
  g_signal_connect (entry, "value-changed", G_CALLBACK (entry_value_changed_cb), self);

  gtk_grid_attach (GTK_GRID (self->grid), label, 0, index, 1, 1);
  gtk_grid_attach (GTK_GRID (self->grid), scale, 1, index, 1, 1);
  gtk_grid_attach (GTK_GRID (self->grid), entry, 2, index, 1, 1);
  g_ptr_array_add (self->scales, scale);
  g_ptr_array_add (self->entries, entry);
}

static gboolean
has_image_input (LsInputPanel *self)
{
  return self->network != NULL && ls_network_get_input_shape (self->network)->rank == 3;
}

static gboolean
has_text_input (LsInputPanel *self)
{
  return self->network != NULL && ls_network_has_token_input (self->network);
}

/* Shows token index as a chip. A token outside the vocabulary is marked,
 * and its tooltip explains that the network reads it as [UNK]. */
static void
set_chip (LsInputPanel *self,
          GtkWidget    *chip,
          gsize         index)
{
  LsVocabulary *vocabulary = ls_network_get_vocabulary (self->network);
  const char *token = ls_network_get_token (self->network, index);
  gboolean unknown = ls_network_get_token_id (self->network, index) == ls_vocabulary_get_unknown_id (vocabulary);
  g_autofree char *tooltip = NULL;

  gtk_label_set_text (GTK_LABEL (chip), token);
  if (unknown)
    {
      /* TRANSLATORS: %s is a token of the typed text, [UNK] the vocabulary's unknown word */
      tooltip = g_strdup_printf (_("“%s” is not in the vocabulary, so it is read as [UNK]"), token);
      gtk_widget_add_css_class (chip, "unknown-token");
    }
  else
    {
      tooltip = g_strdup_printf (_("Token %zu: word %zu of the vocabulary"), index + 1,
                                 ls_network_get_token_id (self->network, index));
      gtk_widget_remove_css_class (chip, "unknown-token");
    }
  gtk_widget_set_tooltip_text (chip, tooltip);
}

/* Shows the network's tokens as chips, reusing the chips there are so
 * that the row does not flicker while the user types. */
static void
update_tokens (LsInputPanel *self)
{
  GtkFlowBox *chips = GTK_FLOW_BOX (self->token_chips);
  gsize n_tokens = ls_network_get_n_tokens (self->network);
  gsize max_tokens = ls_network_get_max_tokens (self->network);
  g_autofree char *count = NULL;
  GtkFlowBoxChild *child;
  gsize i;

  for (i = 0; i < n_tokens; i++)
    {
      child = gtk_flow_box_get_child_at_index (chips, i);
      if (child == NULL)
        {
          GtkWidget *chip = gtk_label_new (NULL);

          gtk_widget_add_css_class (chip, "token-chip");
          gtk_flow_box_append (chips, chip);
          child = gtk_flow_box_get_child_at_index (chips, i);
          gtk_widget_set_focusable (GTK_WIDGET (child), FALSE);
        }
      set_chip (self, gtk_flow_box_child_get_child (child), i);
    }
  while ((child = gtk_flow_box_get_child_at_index (chips, i)) != NULL)
    gtk_flow_box_remove (chips, GTK_WIDGET (child));

  /* TRANSLATORS: tokens in the text and the most the network reads, "5 of 16 tokens" */
  count = g_strdup_printf (ngettext ("%zu of %zu token", "%zu of %zu tokens", max_tokens), n_tokens, max_tokens);
  gtk_label_set_text (GTK_LABEL (self->token_count), count);
}

/* Adds css_class to widget when active, and removes it otherwise. */
static void
set_css_class (GtkWidget  *widget,
               const char *css_class,
               gboolean    active)
{
  if (active)
    gtk_widget_add_css_class (widget, css_class);
  else
    gtk_widget_remove_css_class (widget, css_class);
}

/* Shows the engine's message for rejected text under the field, then
 * names the text that the diagram and the prediction still show, and
 * dims the tokens and the prediction, which belong to that text. */
static void
show_text_error (LsInputPanel *self,
                 const char   *message)
{
  gboolean rejected = message != NULL;
  gboolean was_rejected = gtk_widget_get_visible (self->text_error);

  gtk_label_set_text (GTK_LABEL (self->text_error), rejected ? message : "");
  gtk_widget_set_visible (self->text_error, rejected);
  gtk_widget_set_visible (self->stale_note, rejected);
  if (rejected)
    {
      /* TRANSLATORS: %s is the last text that the network accepted */
      g_autofree char *note = g_strdup_printf (_("Showing “%s”, the last text the network can read."),
                                               ls_network_get_text (self->network));

      gtk_label_set_text (GTK_LABEL (self->stale_note), note);
    }

  set_css_class (self->text_entry, "error", rejected);
  set_css_class (self->token_chips, "stale", rejected);
  set_css_class (self->token_count, "stale", rejected);
  ls_phrase_browser_set_stale (LS_PHRASE_BROWSER (self->phrase_browser), rejected);
  if (rejected != was_rejected)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT_REJECTED]);
}

/* Passes every edit of the entry to the network. Rejected text stays in
 * the entry with the engine's message under it, and the network keeps
 * its last valid text. */
static void
text_changed_cb (GtkEditable  *entry,
                 LsInputPanel *self)
{
  g_autoptr(GError) error = NULL;
  gboolean applied;

  if (!has_text_input (self))
    return;

  self->applying_text = TRUE;
  applied = ls_network_set_text (self->network, gtk_editable_get_text (entry), &error);
  self->applying_text = FALSE;

  show_text_error (self, applied ? NULL : error->message);
}

/* Shows the network's text in the entry, unless the change came from the
 * entry, or the entry shows rejected text that the user is still
 * editing. */
static void
sync_text (LsInputPanel *self,
           gboolean      force)
{
  const char *text = ls_network_get_text (self->network);

  if (self->applying_text || (!force && gtk_widget_get_visible (self->text_error)))
    return;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->text_entry)), text) == 0)
    return;

  g_signal_handlers_block_by_func (self->text_entry, text_changed_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->text_entry), text);
  g_signal_handlers_unblock_by_func (self->text_entry, text_changed_cb, self);
  show_text_error (self, NULL);
}

/* Puts a sample phrase into the entry, which passes it to the network as
 * if typed. */
static void
phrase_chosen_cb (LsPhraseBrowser *browser,
                  const char      *text,
                  LsInputPanel    *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->text_entry), text);
  gtk_editable_set_position (GTK_EDITABLE (self->text_entry), -1);
}

static void
rebuild (LsInputPanel *self)
{
  GtkWidget *child;
  gsize size;

  while ((child = gtk_widget_get_first_child (self->grid)) != NULL)
    gtk_grid_remove (GTK_GRID (self->grid), child);
  g_ptr_array_set_size (self->scales, 0);
  g_ptr_array_set_size (self->entries, 0);

  gtk_widget_set_visible (self->image_editor, has_image_input (self));
  gtk_widget_set_visible (self->text_editor, has_text_input (self));
  gtk_widget_set_visible (self->grid, !has_image_input (self) && !has_text_input (self));
  if (self->network == NULL || has_image_input (self) || has_text_input (self))
    return;

  size = ls_network_get_input_size (self->network);
  if (size > MAX_SLIDERS)
    {
      g_autofree char *text = g_strdup_printf (_("%zu input values: click an input "
                                                 "neuron in the diagram to edit one."), size);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_grid_attach (GTK_GRID (self->grid), label, 0, 0, 3, 1);
      return;
    }

  for (gsize i = 0; i < size; i++)
    add_row (self, i);
  update_values (self);
}

/* An image input keeps its editor through every edit, because the canvas
 * and the sample browser follow the network themselves. A text input
 * keeps its entry, and only the tokens and their count change, also
 * when the token count changes the network's structure. */
static void
network_changed_cb (LsInputPanel *self,
                    guint         change)
{
  if (has_image_input (self))
    return;

  if (has_text_input (self))
    {
      sync_text (self, FALSE);
      update_tokens (self);
      return;
    }

  if (change & (LS_CHANGE_STRUCTURE | LS_CHANGE_METADATA))
    rebuild (self);
  else
    update_values (self);
}

/* A brush about as wide as a pen stroke in MNIST's 28 × 28 digits, and
 * one pixel on an 8 × 8 image. */
static double
get_default_radius (const LsShape *shape)
{
  return MAX (0.75, MAX (shape->dims[1], shape->dims[2]) / 18.0);
}

static void
setup_image_editor (LsInputPanel *self)
{
  const LsShape *shape = ls_network_get_input_shape (self->network);
  GtkAdjustment *adjustment = gtk_range_get_adjustment (GTK_RANGE (self->radius_scale));
  double largest = MAX (2.0, MAX (shape->dims[1], shape->dims[2]) / 4.0);
  double radius = get_default_radius (shape);

  ls_image_canvas_set_network (LS_IMAGE_CANVAS (self->canvas), self->network);
  ls_sample_browser_set_network (LS_SAMPLE_BROWSER (self->sample_browser), self->network);
  gtk_adjustment_configure (adjustment, radius, 0.5, largest, 0.25, 1.0, 0.0);
  ls_image_canvas_set_radius (LS_IMAGE_CANVAS (self->canvas), radius);
}

static void
mode_toggled_cb (GtkToggleButton *button,
                 LsInputPanel    *self)
{
  gboolean paint = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->paint_button));

  ls_image_canvas_set_mode (LS_IMAGE_CANVAS (self->canvas), paint ? LS_BRUSH_PAINT : LS_BRUSH_ERASE);
}

static void
radius_changed_cb (GtkRange     *range,
                   LsInputPanel *self)
{
  ls_image_canvas_set_radius (LS_IMAGE_CANVAS (self->canvas), gtk_range_get_value (range));
}

static void
clear_clicked_cb (LsInputPanel *self)
{
  ls_image_canvas_clear (LS_IMAGE_CANVAS (self->canvas));
}

static void
invert_clicked_cb (LsInputPanel *self)
{
  ls_image_canvas_invert (LS_IMAGE_CANVAS (self->canvas));
}

/* Loads an image file, scaled to the input's shape, as the input. */
static void
load_image (LsInputPanel *self,
            GFile        *file)
{
  g_autofree float *values = NULL;  /* [c][h][w] */
  g_autoptr(GError) error = NULL;

  if (!ls_image_load_input (file, ls_network_get_input_shape (self->network), &values, &error) ||
      !ls_network_set_input (self->network, values, ls_network_get_input_size (self->network), &error))
    ls_panel_show_error (GTK_WIDGET (self), error->message);
}

static void
image_dialog_response_cb (GtkNativeDialog *dialog,
                          int              response,
                          LsInputPanel    *self)
{
  if (response == GTK_RESPONSE_ACCEPT && has_image_input (self))
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      load_image (self, file);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
open_image_clicked_cb (LsInputPanel *self)
{
  GtkFileChooserNative *dialog;
  GtkFileFilter *filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Open Image"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_filter_set_name (filter, _("PNG and JPEG images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_pattern (filter, "*.png");
  gtk_file_filter_add_pattern (filter, "*.jpg");
  gtk_file_filter_add_pattern (filter, "*.jpeg");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  g_signal_connect (dialog, "response", G_CALLBACK (image_dialog_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static GtkWidget *
new_button (const char *label,
            const char *tooltip,
            GCallback   callback,
            gpointer    user_data)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_tooltip_text (button, tooltip);
  g_signal_connect_swapped (button, "clicked", callback, user_data);

  return button;
}

/* The tools: brush or eraser, then Clear and Invert. The two groups
 * share a line when the panel is wide enough, and stack otherwise. */
static GtkWidget *
new_tool_row (LsInputPanel *self)
{
  GtkWidget *row = gtk_flow_box_new ();
  GtkWidget *modes = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *erase = gtk_toggle_button_new_with_mnemonic (_("_Eraser"));

  self->paint_button = gtk_toggle_button_new_with_mnemonic (_("_Brush"));
  gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (erase), GTK_TOGGLE_BUTTON (self->paint_button));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->paint_button), TRUE);
  gtk_widget_set_tooltip_text (self->paint_button, _("Paint toward 1 (white)"));
  gtk_widget_set_tooltip_text (erase, _("Paint toward 0 (black); the right mouse button erases too"));
  g_signal_connect (self->paint_button, "toggled", G_CALLBACK (mode_toggled_cb), self);
  gtk_widget_add_css_class (modes, "linked");
  gtk_box_set_homogeneous (GTK_BOX (modes), TRUE);
  gtk_box_append (GTK_BOX (modes), self->paint_button);
  gtk_box_append (GTK_BOX (modes), erase);

  gtk_box_set_homogeneous (GTK_BOX (actions), TRUE);
  gtk_box_append (GTK_BOX (actions), new_button (_("_Clear"), _("Set every pixel to 0"),
                                                 G_CALLBACK (clear_clicked_cb), self));
  gtk_box_append (GTK_BOX (actions), new_button (_("_Invert"), _("Replace every value v with 1 − v"),
                                                 G_CALLBACK (invert_clicked_cb), self));

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (row), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (row), TRUE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (row), 2);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (row), 6);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (row), 12);
  gtk_flow_box_append (GTK_FLOW_BOX (row), modes);
  gtk_flow_box_append (GTK_FLOW_BOX (row), actions);
  /* Only the buttons take the keyboard focus, not their flow box cells. */
  gtk_widget_set_focusable (gtk_widget_get_parent (modes), FALSE);
  gtk_widget_set_focusable (gtk_widget_get_parent (actions), FALSE);

  return row;
}

/* Shows the brush radius as "1.25 px". */
static char *
format_radius (GtkScale *scale,
               double    value,
               gpointer  user_data)
{
  g_autofree char *number = ls_format_value (value);

  /* TRANSLATORS: the brush radius in pixels of the image, e.g. "1.25 px" */
  return g_strdup_printf (_("%s px"), number);
}

static GtkWidget *
new_radius_row (LsInputPanel *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (_("Brush size"));

  self->radius_scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0.5, 4.0, 0.25);
  gtk_scale_set_draw_value (GTK_SCALE (self->radius_scale), TRUE);
  gtk_scale_set_value_pos (GTK_SCALE (self->radius_scale), GTK_POS_RIGHT);
  gtk_scale_set_format_value_func (GTK_SCALE (self->radius_scale), format_radius, NULL, NULL);
  gtk_widget_set_hexpand (self->radius_scale, TRUE);
  gtk_widget_set_tooltip_text (self->radius_scale, _("The brush radius, in pixels of the image"));
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->radius_scale), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);
  g_signal_connect (self->radius_scale, "value-changed", G_CALLBACK (radius_changed_cb), self);
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), self->radius_scale);

  return row;
}

static GtkWidget *
new_heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_add_css_class (label, "title-4");

  return label;
}

static void
build_image_editor (LsInputPanel *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);

  self->image_editor = box;
  self->canvas = ls_image_canvas_new ();
  self->sample_browser = ls_sample_browser_new ();
  gtk_box_append (GTK_BOX (box), self->canvas);
  gtk_box_append (GTK_BOX (box), new_tool_row (self));
  gtk_box_append (GTK_BOX (box), new_radius_row (self));
  gtk_box_append (GTK_BOX (box), new_button (_("Open I_mage…"), _("Use a PNG or JPEG file, scaled to the input's size"),
                                             G_CALLBACK (open_image_clicked_cb), self));
  gtk_box_append (GTK_BOX (box), new_heading (_("Samples")));
  gtk_box_append (GTK_BOX (box), self->sample_browser);
  gtk_widget_set_visible (box, FALSE);
  gtk_box_append (GTK_BOX (self->box), box);
}

static GtkWidget *
new_token_chips (void)
{
  GtkWidget *chips = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (chips), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (chips), LS_MAX_TOKENS);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (chips), 4);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (chips), 4);
  gtk_widget_add_css_class (chips, "token-chips");

  return chips;
}

static void
build_text_editor (LsInputPanel *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);

  self->text_editor = box;
  self->text_entry = gtk_entry_new ();
  /* Ctrl+Z belongs to the document's undo, which also runs the network
   * again; the entry's own history would show text the document lacks. */
  gtk_editable_set_enable_undo (GTK_EDITABLE (self->text_entry), FALSE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->text_entry), _("Type a phrase"));
  gtk_widget_set_tooltip_text (self->text_entry, _("The text that the network reads. Every edit runs the "
                                                   "network again (Ctrl+L)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Input text"), -1);
  gtk_widget_add_css_class (self->text_entry, "text-input");
  g_signal_connect (self->text_entry, "changed", G_CALLBACK (text_changed_cb), self);

  self->text_error = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->text_error), 0.0);
  gtk_label_set_wrap (GTK_LABEL (self->text_error), TRUE);
  gtk_label_set_selectable (GTK_LABEL (self->text_error), TRUE);
  gtk_widget_add_css_class (self->text_error, "error");
  gtk_widget_set_visible (self->text_error, FALSE);

  self->stale_note = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->stale_note), 0.0);
  gtk_label_set_wrap (GTK_LABEL (self->stale_note), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->stale_note), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (self->stale_note, "stale-note");
  gtk_widget_set_visible (self->stale_note, FALSE);

  self->token_chips = new_token_chips ();
  self->token_count = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->token_count), 0.0);
  gtk_widget_add_css_class (self->token_count, "dim-label");
  gtk_widget_add_css_class (self->token_count, "token-count");

  self->phrase_browser = ls_phrase_browser_new ();
  g_signal_connect (self->phrase_browser, "phrase-chosen", G_CALLBACK (phrase_chosen_cb), self);

  gtk_box_append (GTK_BOX (box), self->text_entry);
  gtk_box_append (GTK_BOX (box), self->text_error);
  gtk_box_append (GTK_BOX (box), self->stale_note);
  gtk_box_append (GTK_BOX (box), self->token_chips);
  gtk_box_append (GTK_BOX (box), self->token_count);
  gtk_box_append (GTK_BOX (box), self->phrase_browser);
  gtk_widget_set_visible (box, FALSE);
  gtk_box_append (GTK_BOX (self->box), box);
}

static void
ls_input_panel_dispose (GObject *object)
{
  LsInputPanel *self = LS_INPUT_PANEL (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->network);
  g_clear_pointer (&self->scales, g_ptr_array_unref);
  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (ls_input_panel_parent_class)->dispose (object);
}

static void
ls_input_panel_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LsInputPanel *self = LS_INPUT_PANEL (object);

  switch (prop_id)
    {
    case PROP_TEXT_REJECTED:
      g_value_set_boolean (value, ls_input_panel_get_text_rejected (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_input_panel_class_init (LsInputPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_input_panel_dispose;
  object_class->get_property = ls_input_panel_get_property;

  /* Whether the network rejected the text in the text field, as
   * ls_input_panel_get_text_rejected() returns. */
  properties[PROP_TEXT_REJECTED] =
    g_param_spec_boolean ("text-rejected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "inputpanel");
}

static void
ls_input_panel_init (LsInputPanel *self)
{
  self->scales = g_ptr_array_new ();
  self->entries = g_ptr_array_new ();
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 12);
  gtk_box_append (GTK_BOX (self->box), self->grid);
  build_image_editor (self);
  build_text_editor (self);
}

void
ls_input_panel_set_network (LsInputPanel *self,
                            LsNetwork    *network)
{
  g_return_if_fail (LS_IS_INPUT_PANEL (self));
  g_return_if_fail (network == NULL || LS_IS_NETWORK (network));

  ls_panel_watch_network (self, &self->network, network, G_CALLBACK (network_changed_cb));
  if (has_image_input (self))
    {
      setup_image_editor (self);
    }
  else
    {
      ls_image_canvas_set_network (LS_IMAGE_CANVAS (self->canvas), NULL);
      ls_sample_browser_set_network (LS_SAMPLE_BROWSER (self->sample_browser), NULL);
    }

  ls_phrase_browser_set_network (LS_PHRASE_BROWSER (self->phrase_browser),
                                 has_text_input (self) ? network : NULL);
  if (has_text_input (self))
    {
      sync_text (self, TRUE);
      update_tokens (self);
    }
  else if (gtk_widget_get_visible (self->text_error))
    {
      show_text_error (self, NULL);
    }

  rebuild (self);
}

gboolean
ls_input_panel_focus_text (LsInputPanel *self)
{
  g_return_val_if_fail (LS_IS_INPUT_PANEL (self), FALSE);

  if (!has_text_input (self) || !gtk_widget_is_drawable (self->text_entry))
    return FALSE;

  return gtk_widget_grab_focus (self->text_entry);
}

gboolean
ls_input_panel_get_text_rejected (LsInputPanel *self)
{
  g_return_val_if_fail (LS_IS_INPUT_PANEL (self), FALSE);

  return has_text_input (self) && gtk_widget_get_visible (self->text_error);
}

const char *
ls_input_panel_get_text_error (LsInputPanel *self)
{
  g_return_val_if_fail (LS_IS_INPUT_PANEL (self), NULL);

  if (!ls_input_panel_get_text_rejected (self))
    return NULL;

  return gtk_label_get_text (GTK_LABEL (self->text_error));
}

void
ls_input_panel_set_plane_bounds (LsInputPanel *self,
                                 LsPlaneMap   *map)
{
  float low[2] = { 0.0f, 0.0f };   /* [input] */
  float high[2] = { 0.0f, 0.0f };  /* [input] */
  const float *input;

  g_return_if_fail (LS_IS_INPUT_PANEL (self));

  if (map != NULL)
    ls_plane_map_get_bounds (map, &low[0], &high[0], &low[1], &high[1]);
  if (self->has_plane == (map != NULL) &&
      memcmp (low, self->plane_low, sizeof low) == 0 && memcmp (high, self->plane_high, sizeof high) == 0)
    return;

  self->has_plane = map != NULL;
  memcpy (self->plane_low, low, sizeof low);
  memcpy (self->plane_high, high, sizeof high);
  if (self->network == NULL)
    return;

  /* The range starts afresh from the new bounds, unlike fit_range(). */
  input = ls_network_get_input (self->network);
  for (guint i = 0; i < self->scales->len; i++)
    {
      GtkRange *range = g_ptr_array_index (self->scales, i);
      double lower, upper;

      get_slider_range (self, i, input[i], &lower, &upper);
      g_signal_handlers_block_by_func (range, scale_value_changed_cb, self);
      set_range (range, lower, upper);
      gtk_range_set_value (range, input[i]);
      g_signal_handlers_unblock_by_func (range, scale_value_changed_cb, self);
    }
}
