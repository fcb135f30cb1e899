/* ls-recovery.c: the offer to recover documents left by a crash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n.h>

#include "ls-autosave.h"
#include "ls-recovery.h"

#define ENTRY_KEY "ls-autosave-entry"
#define ERROR_KEY "ls-autosave-error"

/* Says why an action failed, below the line about the file and time,
 * which stays so that the user still sees where the document belongs. */
static void
show_row_error (GtkWidget  *row,
                const char *message)
{
  GtkLabel *label = g_object_get_data (G_OBJECT (row), ERROR_KEY);

  gtk_label_set_text (label, message);
  gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
}

static void
remove_row (GtkWidget *row)
{
  GtkWidget *list = gtk_widget_get_parent (row);
  GtkRoot *dialog = gtk_widget_get_root (row);

  gtk_list_box_remove (GTK_LIST_BOX (list), row);
  if (gtk_widget_get_first_child (list) == NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Returns the window that a recovered document opens in: the one the
 * dialog belongs to while it shows neither a file nor edits, else a new
 * one, so that a file the user opened stays in view. */
static LsMainWindow *
get_target_window (GtkWidget *row)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (gtk_widget_get_root (row)));
  LsMainWindow *window;

  if (LS_IS_MAIN_WINDOW (parent) && !ls_main_window_get_modified (LS_MAIN_WINDOW (parent)) &&
      ls_main_window_get_file (LS_MAIN_WINDOW (parent)) == NULL)
    return LS_MAIN_WINDOW (parent);

  window = ls_main_window_new (gtk_window_get_application (parent));
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

/* Opens the copy, and deletes it only once the window has written its
 * own copy, so that the changes are on disk throughout. */
static void
recover_clicked_cb (GtkWidget *row)
{
  LsAutosaveEntry *entry = g_object_get_data (G_OBJECT (row), ENTRY_KEY);
  g_autoptr(GError) error = NULL;
  g_autoptr(LsNetwork) network = NULL;
  g_autoptr(GFile) original = NULL;

  network = ls_autosave_entry_load (entry, &error);
  if (network == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot recover: %s"), error->message);

      show_row_error (row, message);
      return;
    }

  original = ls_autosave_entry_get_original (entry);
  if (!ls_main_window_recover (get_target_window (row), network, original))
    g_warning ("The autosave %s was recovered but is kept, because the recovered document has no autosave yet",
               entry->id);
  else if (!ls_autosave_entry_delete (entry, &error))
    g_warning ("%s", error->message);

  remove_row (row);
}

static void
discard_clicked_cb (GtkWidget *row)
{
  LsAutosaveEntry *entry = g_object_get_data (G_OBJECT (row), ENTRY_KEY);
  g_autoptr(GError) error = NULL;

  if (!ls_autosave_entry_delete (entry, &error))
    {
      show_row_error (row, error->message);
      return;
    }

  remove_row (row);
}

static GtkWidget *
new_row_button (const char *label,
                const char *style_class,
                GtkWidget  *row,
                GCallback   clicked)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_add_css_class (button, style_class);
  g_signal_connect_swapped (button, "clicked", clicked, row);

  return button;
}

/* Describes where the document belongs and when it was copied, such as
 * "/home/ada/cat.json, autosaved 05/12/26 14:03:11". */
static char *
format_subtitle (const LsAutosaveEntry *entry)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (entry->time);
  g_autofree char *when = time != NULL ? g_date_time_format (time, "%x %X") : g_strdup ("?");
  g_autoptr(GFile) original = ls_autosave_entry_get_original (entry);
  g_autofree char *where = original != NULL ? g_file_get_parse_name (original) : NULL;

  if (where == NULL)
    /* TRANSLATORS: %s is a date and time */
    return g_strdup_printf (_("Never saved, autosaved %s"), when);

  /* TRANSLATORS: the first %s is a file's path, the second a date and time */
  return g_strdup_printf (_("%s, autosaved %s"), where, when);
}

static GtkWidget *
new_wrapped_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);

  return label;
}

/* Builds a row with the name, the file and time below it, and the
 * buttons under both, since the dialog is too narrow for a path and two
 * buttons side by side. */
static GtkWidget *
new_entry_row (LsAutosaveEntry *entry)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *name = gtk_label_new (entry->name);
  g_autofree char *subtitle = format_subtitle (entry);
  GtkWidget *details = new_wrapped_label (subtitle);
  GtkWidget *error = new_wrapped_label (NULL);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  g_object_set (box, "margin-start", 12, "margin-end", 12, "margin-top", 12, "margin-bottom", 12, NULL);
  gtk_label_set_xalign (GTK_LABEL (name), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (name, "heading");
  gtk_widget_add_css_class (details, "dim-label");
  gtk_label_set_selectable (GTK_LABEL (error), TRUE);
  gtk_widget_add_css_class (error, "error");
  gtk_widget_set_visible (error, FALSE);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), new_row_button (_("_Discard"), "destructive-action", row,
                                                     G_CALLBACK (discard_clicked_cb)));
  gtk_box_append (GTK_BOX (buttons), new_row_button (_("_Recover"), "suggested-action", row,
                                                     G_CALLBACK (recover_clicked_cb)));
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), details);
  gtk_box_append (GTK_BOX (box), error);
  gtk_box_append (GTK_BOX (box), buttons);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data (G_OBJECT (row), ERROR_KEY, error);
  g_object_set_data_full (G_OBJECT (row), ENTRY_KEY, entry, (GDestroyNotify) ls_autosave_entry_free);

  return row;
}

GtkWindow *
ls_recovery_offer (LsMainWindow *parent)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;
  GtkWidget *list;

  g_return_val_if_fail (LS_IS_MAIN_WINDOW (parent), NULL);

  entries = ls_autosave_find_stale (NULL, &error);
  if (entries == NULL)
    {
      g_warning ("Cannot look for autosaves to recover: %s", error->message);
      return NULL;
    }
  if (entries->len == 0)
    return NULL;

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  /* The rows take over the entries. */
  g_ptr_array_set_free_func (entries, NULL);
  for (guint i = 0; i < entries->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (list), new_entry_row (g_ptr_array_index (entries, i)));

  dialog = adw_message_dialog_new (GTK_WINDOW (parent), _("Recover Unsaved Changes?"),
                                   _("Layerscope ended before these networks were saved. "
                                     "Recover a network to open it with its changes, or discard the changes. "
                                     "Networks that you do not decide on now are offered again at the next start."));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "later", _("Decide _Later"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "later");
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WINDOW (dialog);
}
