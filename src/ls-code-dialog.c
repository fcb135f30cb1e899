/* ls-code-dialog.c: the "Show Code" window with a network's NumPy and PyTorch scripts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ls-code-dialog.h"

/* How long the scripts wait after a network change before they are
 * regenerated, so that training or dragging a value does not rewrite
 * megabytes of text on every step. */
#define REFRESH_DELAY_MS 400

typedef struct
{
  GtkStack *views;        /* "code" or "error" */
  GtkTextBuffer *buffer;
  GtkLabel *error_label;
  char *script;           /* nullable: NULL while the page shows an error */
} CodePage;

struct _LsCodeDialog
{
  AdwWindow parent_instance;

  LsNetwork *network;
  GtkStack *pages;        /* one CodePage per LsCodeLanguage */
  AdwToastOverlay *toasts;
  CodePage page[LS_N_CODE_LANGUAGES];
  guint refresh_id;
};

G_DEFINE_FINAL_TYPE (LsCodeDialog, ls_code_dialog, ADW_TYPE_WINDOW)

static const char *const page_names[LS_N_CODE_LANGUAGES] = { "numpy", "pytorch" };

static void
show_script (CodePage       *page,
             LsNetwork      *network,
             LsCodeLanguage  language)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&page->script, g_free);
  page->script = ls_code_generate (network, language, &error);
  if (page->script == NULL)
    {
      gtk_label_set_text (page->error_label, error->message);
      gtk_text_buffer_set_text (page->buffer, "", 0);
      gtk_stack_set_visible_child_name (page->views, "error");
      return;
    }

  gtk_text_buffer_set_text (page->buffer, page->script, -1);
  gtk_stack_set_visible_child_name (page->views, "code");
}

void
ls_code_dialog_refresh (LsCodeDialog *self)
{
  g_return_if_fail (LS_IS_CODE_DIALOG (self));

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->network == NULL)
    return;

  for (LsCodeLanguage language = 0; language < LS_N_CODE_LANGUAGES; language++)
    show_script (&self->page[language], self->network, language);
}

static gboolean
refresh_cb (gpointer data)
{
  LsCodeDialog *self = data;

  self->refresh_id = 0;
  ls_code_dialog_refresh (self);

  return G_SOURCE_REMOVE;
}

static void
network_changed_cb (LsCodeDialog *self,
                    guint         change)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (REFRESH_DELAY_MS, refresh_cb, self);
}

void
ls_code_dialog_set_network (LsCodeDialog *self,
                            LsNetwork    *network)
{
  g_return_if_fail (LS_IS_CODE_DIALOG (self));
  g_return_if_fail (LS_IS_NETWORK (network));

  if (self->network == network)
    return;

  if (self->network != NULL)
    g_signal_handlers_disconnect_by_data (self->network, self);
  g_set_object (&self->network, network);
  g_signal_connect_object (network, "changed", G_CALLBACK (network_changed_cb), self,
                           G_CONNECT_SWAPPED);
  ls_code_dialog_refresh (self);
}

const char *
ls_code_dialog_get_script (LsCodeDialog   *self,
                           LsCodeLanguage  language)
{
  g_return_val_if_fail (LS_IS_CODE_DIALOG (self), NULL);
  g_return_val_if_fail (language < LS_N_CODE_LANGUAGES, NULL);

  return self->page[language].script;
}

static LsCodeLanguage
get_visible_language (LsCodeDialog *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->pages);

  return g_strcmp0 (name, page_names[LS_CODE_PYTORCH]) == 0 ? LS_CODE_PYTORCH : LS_CODE_NUMPY;
}

static void
copy_clicked_cb (LsCodeDialog *self)
{
  const char *script = self->page[get_visible_language (self)].script;

  if (script == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), script);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (_("Copied to the clipboard")));
}

static void
save_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  LsCodeDialog    *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  const char *script = self->page[get_visible_language (self)].script;

  if (response != GTK_RESPONSE_ACCEPT || script == NULL)
    return;

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (g_file_replace_contents (file, script, strlen (script), NULL, FALSE,
                               G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, &error))
    return;

  message = g_strdup_printf (_("Could not save the script: %s"), error->message);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

static void
save_clicked_cb (LsCodeDialog *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->page[get_visible_language (self)].script == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Save Script"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Python scripts"));
  gtk_file_filter_add_suffix (filter, "py");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "network.py");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (save_response_cb), self, 0);
  g_signal_connect (chooser, "response", G_CALLBACK (g_object_unref), NULL);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static GtkWidget *
build_page (CodePage       *page,
            LsCodeLanguage  language)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *text_view = gtk_text_view_new ();
  GtkWidget *hint = gtk_label_new (ls_code_language_get_hint (language));
  GtkWidget *error_label = gtk_label_new (NULL);

  gtk_text_view_set_editable (GTK_TEXT_VIEW (text_view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (text_view), TRUE);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (text_view), 12);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (text_view), 12);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (text_view), 12);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), text_view);
  gtk_widget_set_vexpand (scroller, TRUE);

  gtk_label_set_wrap (GTK_LABEL (error_label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (error_label), TRUE);
  gtk_widget_add_css_class (error_label, "error");
  gtk_widget_set_margin_start (error_label, 24);
  gtk_widget_set_margin_end (error_label, 24);

  page->views = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (page->views, scroller, "code");
  gtk_stack_add_named (page->views, error_label, "error");
  page->buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view));
  page->error_label = GTK_LABEL (error_label);

  gtk_label_set_xalign (GTK_LABEL (hint), 0.0f);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_set_margin_start (hint, 12);
  gtk_widget_set_margin_top (hint, 6);
  gtk_widget_set_margin_bottom (hint, 6);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (page->views));
  gtk_box_append (GTK_BOX (box), hint);

  return box;
}

static GtkWidget *
build_header (LsCodeDialog *self)
{
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *switcher = gtk_stack_switcher_new ();
  GtkWidget *copy = gtk_button_new_with_mnemonic (_("_Copy"));
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save As…"));

  gtk_stack_switcher_set_stack (GTK_STACK_SWITCHER (switcher), self->pages);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), switcher);
  gtk_widget_set_tooltip_text (copy, _("Copy the script to the clipboard"));
  gtk_widget_set_tooltip_text (save, _("Save the script as a Python file"));
  g_signal_connect_swapped (copy, "clicked", G_CALLBACK (copy_clicked_cb), self);
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (save_clicked_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), copy);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), save);

  return header;
}

static void
ls_code_dialog_dispose (GObject *object)
{
  LsCodeDialog *self = LS_CODE_DIALOG (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->network != NULL)
    g_signal_handlers_disconnect_by_data (self->network, self);
  g_clear_object (&self->network);
  for (LsCodeLanguage language = 0; language < LS_N_CODE_LANGUAGES; language++)
    g_clear_pointer (&self->page[language].script, g_free);

  G_OBJECT_CLASS (ls_code_dialog_parent_class)->dispose (object);
}

static void
ls_code_dialog_class_init (LsCodeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ls_code_dialog_dispose;
}

static void
ls_code_dialog_init (LsCodeDialog *self)
{
  static const char *const titles[LS_N_CODE_LANGUAGES] = { "NumPy", "PyTorch" };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  self->pages = GTK_STACK (gtk_stack_new ());
  for (LsCodeLanguage language = 0; language < LS_N_CODE_LANGUAGES; language++)
    gtk_stack_add_titled (self->pages, build_page (&self->page[language], language),
                          page_names[language], titles[language]);
  gtk_widget_set_vexpand (GTK_WIDGET (self->pages), TRUE);

  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, GTK_WIDGET (self->pages));
  gtk_box_append (GTK_BOX (box), build_header (self));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->toasts));
  adw_window_set_content (ADW_WINDOW (self), box);

  gtk_window_set_title (GTK_WINDOW (self), _("Code"));
  gtk_window_set_default_size (GTK_WINDOW (self), 900, 700);
}

LsCodeDialog *
ls_code_dialog_new (GtkWindow *parent,
                    LsNetwork *network)
{
  LsCodeDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);

  self = g_object_new (LS_TYPE_CODE_DIALOG,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       NULL);
  ls_code_dialog_set_network (self, network);

  return self;
}
