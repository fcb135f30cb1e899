/* ls-export-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ls-error.h"
#include "ls-export-dialog.h"
#include "ls-preferences.h"
#include "ls-render.h"

typedef struct
{
  const char *label;
  const char *extension;  /* with the dot, as ls_render_to_file() expects */
  const char *mime_type;
} ExportFormat;

static const ExportFormat formats[] = {
  { N_("PNG image"), ".png", "image/png" },
  { N_("SVG drawing"), ".svg", "image/svg+xml" },
  { N_("PDF document"), ".pdf", "application/pdf" },
};

/* The PNG format's position in formats[], which sizes a page in pixels
 * instead of points. */
#define FORMAT_PNG 0

typedef struct
{
  const char *label;
  int width;     /* PNG pixels; 0 for the custom size */
  int height;
  double scale;  /* PNG pixels per point of the page that SVG and PDF write */
} ExportSize;

/* A4 landscape is 297 × 210 mm: 842 × 595 points for SVG and PDF, and
 * 3508 × 2480 pixels for PNG, which is 300 dots per inch, 300 / 72 pixels
 * a point. 4K is the Full HD page at twice the pixels. */
static const ExportSize sizes[] = {
  { N_("1920 × 1080 (Full HD)"), 1920, 1080, 1.0 },
  { N_("1280 × 720 (HD)"), 1280, 720, 1.0 },
  { N_("3840 × 2160 (4K)"), 3840, 2160, 2.0 },
  { N_("A4 landscape"), 3508, 2480, 300.0 / 72.0 },
  { N_("Custom"), 0, 0, 1.0 },
};

#define SIZE_CUSTOM 4

/* The choices of the last export, which the next dialog starts with, so
 * that a series of exports in one session needs them only once. */
typedef struct
{
  gboolean set;
  guint format;
  guint size;
  guint background;
  gboolean high_contrast;
  char *width;
  char *height;
} ExportChoices;

static ExportChoices last_choices;

struct _LsExportDialog
{
  AdwWindow parent_instance;

  LsNetwork *network;
  GSettings *settings;    /* nullable */
  char *name;             /* suggested file name without extension */

  GFile *folder;          /* nullable: where the file chooser starts */
  GtkLabel *error_label;  /* under the rows: why the export cannot go on */
  AdwComboRow *format_row;
  AdwComboRow *size_row;
  AdwEntryRow *width_row;
  AdwEntryRow *height_row;
  AdwComboRow *background_row;
  GtkSwitch *contrast_switch;
};

G_DEFINE_FINAL_TYPE (LsExportDialog, ls_export_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_EXPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const ExportFormat *
get_format (LsExportDialog *self)
{
  guint position = adw_combo_row_get_selected (self->format_row);

  return &formats[MIN (position, G_N_ELEMENTS (formats) - 1)];
}

/* Parses one custom dimension, a whole number from minimum to
 * LS_EXPORT_MAX_SIZE. label names it in the error message. */
static gboolean
parse_dimension (AdwEntryRow  *row,
                 const char   *label,
                 int           minimum,
                 int          *value,
                 GError      **error)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  gint64 number;

  if (!g_ascii_string_to_signed (text, 10, minimum, LS_EXPORT_MAX_SIZE, &number, NULL))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   /* TRANSLATORS: the first %s is "Width" or "Height", the second what the user typed */
                   _("%s “%s” is invalid: enter a whole number from %d to %d"),
                   label, text, minimum, LS_EXPORT_MAX_SIZE);
      return FALSE;
    }

  *value = (int) number;

  return TRUE;
}

gboolean
ls_export_dialog_get_size (LsExportDialog  *self,
                           int             *width,
                           int             *height,
                           GError         **error)
{
  guint position;

  g_return_val_if_fail (LS_IS_EXPORT_DIALOG (self), FALSE);
  g_return_val_if_fail (width != NULL && height != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  position = MIN (adw_combo_row_get_selected (self->size_row), G_N_ELEMENTS (sizes) - 1);
  if (position == SIZE_CUSTOM)
    return parse_dimension (self->width_row, _("Width"), LS_EXPORT_MIN_WIDTH, width, error) &&
           parse_dimension (self->height_row, _("Height"), LS_EXPORT_MIN_HEIGHT, height, error);

  *width = sizes[position].width;
  *height = sizes[position].height;
  if (get_format (self) != &formats[FORMAT_PNG])
    {
      *width = (int) round (*width / sizes[position].scale);
      *height = (int) round (*height / sizes[position].scale);
    }

  return TRUE;
}

/* Returns the PNG pixels per point of the chosen size. */
static double
get_scale (LsExportDialog *self)
{
  guint position = MIN (adw_combo_row_get_selected (self->size_row), G_N_ELEMENTS (sizes) - 1);

  return get_format (self) == &formats[FORMAT_PNG] ? sizes[position].scale : 1.0;
}

/* Selects the format whose extension file's name ends in, if any, so that
 * a name typed as "net.svg" writes an SVG rather than "net.svg.png". */
static void
select_format_of_name (LsExportDialog *self,
                       GFile          *file)
{
  g_autofree char *basename = g_file_get_basename (file);
  gsize length = strlen (basename);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      gsize extension_length = strlen (formats[i].extension);

      if (length > extension_length &&
          g_ascii_strcasecmp (basename + length - extension_length, formats[i].extension) == 0)
        adw_combo_row_set_selected (self->format_row, i);
    }
}

/* Keeps the dialog's choices for the next dialog of this session. */
static void
remember_choices (LsExportDialog *self)
{
  last_choices.set = TRUE;
  last_choices.format = adw_combo_row_get_selected (self->format_row);
  last_choices.size = adw_combo_row_get_selected (self->size_row);
  last_choices.background = adw_combo_row_get_selected (self->background_row);
  last_choices.high_contrast = gtk_switch_get_active (self->contrast_switch);
  g_free (last_choices.width);
  last_choices.width = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->width_row)));
  g_free (last_choices.height);
  last_choices.height = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->height_row)));
}

/* Starts the dialog with the choices of the last export, if any. */
static void
restore_choices (LsExportDialog *self)
{
  if (!last_choices.set)
    return;

  adw_combo_row_set_selected (self->format_row, last_choices.format);
  adw_combo_row_set_selected (self->size_row, last_choices.size);
  adw_combo_row_set_selected (self->background_row, last_choices.background);
  gtk_switch_set_active (self->contrast_switch, last_choices.high_contrast);
  gtk_editable_set_text (GTK_EDITABLE (self->width_row), last_choices.width);
  gtk_editable_set_text (GTK_EDITABLE (self->height_row), last_choices.height);
}

/* Returns file, or a sibling with the format's extension appended when
 * the name does not already end in it. */
static GFile *
add_extension (GFile      *file,
               const char *extension)
{
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *named = NULL;
  g_autoptr(GFile) parent = NULL;

  if (g_str_has_suffix (basename, extension) ||
      (strlen (basename) > strlen (extension) &&
       g_ascii_strcasecmp (basename + strlen (basename) - strlen (extension), extension) == 0))
    return g_object_ref (file);

  parent = g_file_get_parent (file);
  named = g_strconcat (basename, extension, NULL);

  return g_file_get_child (parent, named);
}

static void
get_style (LsExportDialog *self,
           LsRenderStyle  *style)
{
  *style = (LsRenderStyle) LS_RENDER_STYLE_INIT;
  style->dark = adw_combo_row_get_selected (self->background_row) == 1;
  style->high_contrast = gtk_switch_get_active (self->contrast_switch);
  if (self->settings != NULL)
    {
      g_autoptr(GSettingsSchema) schema = NULL;

      g_object_get (self->settings, "settings-schema", &schema, NULL);
      if (g_settings_schema_has_key (schema, "scale-feature-maps"))
        style->scale_feature_maps = g_settings_get_boolean (self->settings, "scale-feature-maps");
    }
}

GFile *
ls_export_dialog_write (LsExportDialog  *self,
                        GFile           *file,
                        GError         **error)
{
  g_autoptr(GFile) target = NULL;
  g_autofree char *path = NULL;
  LsRenderStyle style;
  int width, height;

  g_return_val_if_fail (LS_IS_EXPORT_DIALOG (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  select_format_of_name (self, file);
  if (!ls_export_dialog_get_size (self, &width, &height, error))
    return NULL;

  target = add_extension (file, get_format (self)->extension);
  path = g_file_get_path (target);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (target);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Cannot export to “%s”: choose a file on this computer"), uri);
      return NULL;
    }

  get_style (self, &style);
  if (!ls_render_to_file_scaled (self->network, path, width, height, get_scale (self), &style, error))
    return NULL;

  remember_choices (self);
  return g_steal_pointer (&target);
}

/* Shows message in full under the rows, or hides it for NULL. */
static void
show_error (LsExportDialog *self,
            const char     *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
file_chooser_response_cb (GtkNativeDialog *chooser,
                          int              response,
                          LsExportDialog  *self)
{
  g_autoptr(GFile) chosen = NULL;
  g_autoptr(GFile) written = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);

  if (chosen == NULL)
    return;

  written = ls_export_dialog_write (self, chosen, &error);
  if (written == NULL)
    {
      show_error (self, error->message);
      return;
    }

  ls_preferences_store_folder (self->settings, written);
  g_signal_emit (self, signals[SIGNAL_EXPORTED], 0, written);
  gtk_window_close (GTK_WINDOW (self));
}

static GtkFileFilter *
new_format_filter (const ExportFormat *format)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _(format->label));
  gtk_file_filter_add_mime_type (filter, format->mime_type);

  return filter;
}

static void
show_file_chooser (LsExportDialog *self)
{
  const ExportFormat *format = get_format (self);
  g_autofree char *name = g_strconcat (self->name, format->extension, NULL);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Export Image"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), new_format_filter (format));
  if (self->folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), self->folder, NULL);
  else
    ls_preferences_restore_folder (self->settings, GTK_FILE_CHOOSER (chooser));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (file_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Marks a custom width or height that cannot be used while it is typed,
 * and shows the reason under the rows. */
static void
check_dimensions (LsExportDialog *self)
{
  AdwEntryRow *rows[] = { self->width_row, self->height_row };
  const int minimums[] = { LS_EXPORT_MIN_WIDTH, LS_EXPORT_MIN_HEIGHT };
  const char *labels[] = { _("Width"), _("Height") };
  gboolean custom = adw_combo_row_get_selected (self->size_row) == SIZE_CUSTOM;
  g_autofree char *message = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GError) error = NULL;
      int value;

      if (parse_dimension (rows[i], labels[i], minimums[i], &value, &error))
        gtk_widget_remove_css_class (GTK_WIDGET (rows[i]), "error");
      else
        gtk_widget_add_css_class (GTK_WIDGET (rows[i]), "error");
      if (error != NULL && custom && message == NULL)
        message = g_strdup (error->message);
    }
  show_error (self, message);
}

static void
export_clicked_cb (LsExportDialog *self)
{
  g_autoptr(GError) error = NULL;
  int width, height;

  if (!ls_export_dialog_get_size (self, &width, &height, &error))
    {
      show_error (self, error->message);
      return;
    }

  show_file_chooser (self);
}

static void
size_selected_cb (LsExportDialog *self)
{
  gboolean custom = adw_combo_row_get_selected (self->size_row) == SIZE_CUSTOM;
  const char *unit = get_format (self) == &formats[FORMAT_PNG] ? _("Pixels") : _("Points");

  gtk_widget_set_visible (GTK_WIDGET (self->width_row), custom);
  gtk_widget_set_visible (GTK_WIDGET (self->height_row), custom);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->size_row), unit);
  check_dimensions (self);
}

static AdwComboRow *
new_combo_row (const char         *title,
               const char * const *labels)
{
  AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());
  g_autoptr(GtkStringList) model = gtk_string_list_new (labels);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (row, G_LIST_MODEL (model));

  return row;
}

static AdwEntryRow *
new_dimension_row (const char *title,
                   int         value)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());
  char text[16];

  g_snprintf (text, sizeof text, "%d", value);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  gtk_widget_set_visible (GTK_WIDGET (row), FALSE);

  return row;
}

static void
add_format_rows (LsExportDialog       *self,
                 AdwPreferencesGroup  *group)
{
  const char *format_labels[G_N_ELEMENTS (formats) + 1] = { NULL };
  const char *size_labels[G_N_ELEMENTS (sizes) + 1] = { NULL };

  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    format_labels[i] = _(formats[i].label);
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    size_labels[i] = _(sizes[i].label);

  self->format_row = new_combo_row (_("Format"), format_labels);
  self->size_row = new_combo_row (_("Size"), size_labels);
  self->width_row = new_dimension_row (_("Width"), sizes[0].width);
  self->height_row = new_dimension_row (_("Height"), sizes[0].height);
  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0.0);
  gtk_widget_set_margin_top (GTK_WIDGET (self->error_label), 6);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  g_signal_connect_swapped (self->width_row, "changed", G_CALLBACK (check_dimensions), self);
  g_signal_connect_swapped (self->height_row, "changed", G_CALLBACK (check_dimensions), self);
  g_signal_connect_swapped (self->size_row, "notify::selected", G_CALLBACK (size_selected_cb), self);
  g_signal_connect_swapped (self->format_row, "notify::selected", G_CALLBACK (size_selected_cb), self);
  size_selected_cb (self);

  adw_preferences_group_add (group, GTK_WIDGET (self->format_row));
  adw_preferences_group_add (group, GTK_WIDGET (self->size_row));
  adw_preferences_group_add (group, GTK_WIDGET (self->width_row));
  adw_preferences_group_add (group, GTK_WIDGET (self->height_row));
  adw_preferences_group_add (group, GTK_WIDGET (self->error_label));
}

static void
add_style_rows (LsExportDialog      *self,
                AdwPreferencesGroup *group)
{
  const char *background_labels[] = { _("Light"), _("Dark"), NULL };
  AdwActionRow *contrast_row = ADW_ACTION_ROW (adw_action_row_new ());

  self->background_row = new_combo_row (_("Background"), background_labels);
  adw_combo_row_set_selected (self->background_row,
                              adw_style_manager_get_dark (adw_style_manager_get_default ()) ? 1 : 0);

  self->contrast_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->contrast_switch), GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (contrast_row), _("High contrast"));
  adw_action_row_set_subtitle (contrast_row, _("Saturated colours and bold outlines for a projector or print"));
  adw_action_row_add_suffix (contrast_row, GTK_WIDGET (self->contrast_switch));
  adw_action_row_set_activatable_widget (contrast_row, GTK_WIDGET (self->contrast_switch));

  adw_preferences_group_add (group, GTK_WIDGET (self->background_row));
  adw_preferences_group_add (group, GTK_WIDGET (contrast_row));
}

static GtkWidget *
new_header_bar (LsExportDialog *self)
{
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *export = gtk_button_new_with_mnemonic (_("_Export…"));

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_widget_add_css_class (export, "suggested-action");
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_close), self);
  g_signal_connect_swapped (export, "clicked", G_CALLBACK (export_clicked_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), export);
  gtk_window_set_default_widget (GTK_WINDOW (self), export);

  return header;
}

static void
ls_export_dialog_dispose (GObject *object)
{
  LsExportDialog *self = LS_EXPORT_DIALOG (object);

  g_clear_object (&self->network);
  g_clear_object (&self->settings);
  g_clear_object (&self->folder);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (ls_export_dialog_parent_class)->dispose (object);
}

static void
ls_export_dialog_class_init (LsExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_export_dialog_dispose;

  /* Emitted with the GFile written, after a successful export. */
  signals[SIGNAL_EXPORTED] =
    g_signal_new ("exported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_FILE);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ls_export_dialog_init (LsExportDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *format_group = adw_preferences_group_new ();
  GtkWidget *style_group = adw_preferences_group_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Export Image"));
  /* tall enough for every row with Custom chosen and a two-line error,
   * and still inside a 1280 × 720 screen */
  gtk_window_set_default_size (GTK_WINDOW (self), 480, 580);

  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (format_group),
                                         _("The image shows the diagram and the output bars with their current values."));
  add_format_rows (self, ADW_PREFERENCES_GROUP (format_group));
  add_style_rows (self, ADW_PREFERENCES_GROUP (style_group));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (format_group));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (style_group));
  gtk_widget_set_vexpand (page, TRUE);

  gtk_box_append (GTK_BOX (box), new_header_bar (self));
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (self), box);
}

/* Returns name without a trailing ".json", or "network" for an empty one. */
static char *
strip_document_extension (const char *name)
{
  gsize length = strlen (name);

  if (length > 5 && g_ascii_strcasecmp (name + length - 5, ".json") == 0)
    length -= 5;
  if (length == 0)
    return g_strdup (_("network"));

  return g_strndup (name, length);
}

LsExportDialog *
ls_export_dialog_new (GtkWindow  *parent,
                      LsNetwork  *network,
                      const char *name,
                      GSettings  *settings)
{
  LsExportDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (LS_TYPE_EXPORT_DIALOG,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
  self->network = g_object_ref (network);
  self->settings = settings != NULL ? g_object_ref (settings) : NULL;
  self->name = strip_document_extension (name);
  gtk_switch_set_active (self->contrast_switch, ls_preferences_get_high_contrast (settings));
  restore_choices (self);

  return self;
}

void
ls_export_dialog_set_folder (LsExportDialog *self,
                             GFile          *folder)
{
  g_return_if_fail (LS_IS_EXPORT_DIALOG (self));
  g_return_if_fail (folder == NULL || G_IS_FILE (folder));

  g_set_object (&self->folder, folder);
}
