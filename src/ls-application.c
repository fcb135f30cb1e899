/* ls-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n.h>

#include "ls-application.h"
#include "ls-recovery.h"
#include "ls-preferences.h"
#include "ls-window.h"

struct _LsApplication
{
  AdwApplication parent_instance;

  GSettings *settings;  /* nullable: absent when the schema is not installed */
  gboolean recovery_offered;  /* autosaves left by a crash were looked for */
};

G_DEFINE_FINAL_TYPE (LsApplication, ls_application, ADW_TYPE_APPLICATION)

/* With no file, a window opens on the lesson's example network. */
/* Offers the documents that an earlier run left unsaved, once per run:
 * a later activation would find the ones the user chose to keep. */
static void
offer_recovery (LsApplication *self,
                LsMainWindow  *window)
{
  if (self->recovery_offered)
    return;

  self->recovery_offered = TRUE;
  ls_recovery_offer (window);
}

static void
ls_application_activate (GApplication *application)
{
  LsMainWindow *window = ls_main_window_new (GTK_APPLICATION (application));

  ls_main_window_open_example (window);
  gtk_window_present (GTK_WINDOW (window));
  offer_recovery (LS_APPLICATION (application), window);
}

/* Each file opens in a window of its own. A file that cannot be loaded
 * still gets a window, with the example and a message that names the
 * file and the problem. */
static void
ls_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  for (int i = 0; i < n_files; i++)
    {
      LsMainWindow *window = ls_main_window_new (GTK_APPLICATION (application));
      g_autoptr(GError) error = NULL;

      ls_main_window_open_example (window);
      if (!ls_main_window_open_file (window, files[i], &error))
        g_printerr ("layerscope: %s\n", error->message);
      gtk_window_present (GTK_WINDOW (window));
      offer_recovery (LS_APPLICATION (application), window);
    }
}

/* Returns the notes of the current release, as in the <release> element
 * of the metainfo file, in the markup that AdwAboutWindow accepts. */
static const char *
get_release_notes (void)
{
  static char *notes;

  if (notes == NULL)
    {
      const char *items[] = {
        _("Lessons in a sidebar, with steps and quizzes"),
        _("Presenter mode steps through the forward pass with the formula of each step, also on a second screen"),
        _("Zoom, pan and a spotlight for the diagram, and keyboard access to every neuron"),
        _("Undo and redo of every edit, recent files, drag and drop, and recovery after a crash"),
        _("Show Code writes the network as NumPy or PyTorch code, and a converter reads PyTorch nn.Sequential models"),
        _("Export of the diagram as a PNG, SVG or PDF image"),
        _("Preferences with a high-contrast palette and a light or dark theme, and a keyboard shortcuts window"),
        _("German translation"),
      };
      g_autoptr(GString) markup = g_string_new (NULL);

      g_string_append_printf (markup, "<p>%s</p><ul>", _("Made for lectures and self-study."));
      for (gsize i = 0; i < G_N_ELEMENTS (items); i++)
        {
          g_autofree char *escaped = g_markup_escape_text (items[i], -1);

          g_string_append_printf (markup, "<li>%s</li>", escaped);
        }
      g_string_append (markup, "</ul>");
      notes = g_string_free (g_steal_pointer (&markup), FALSE);
    }

  return notes;
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *application = user_data;
  const char *developers[] = { _("The Layerscope developers"), NULL };

  adw_show_about_window (gtk_application_get_active_window (application),
                         "application-name", "Layerscope",
                         "application-icon", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("See how each layer of a neural network turns an input into an answer."),
                         "developers", developers,
                         "copyright", "© 2026 The Layerscope developers",
                         /* TRANSLATORS: your name and e-mail address, one translator a line */
                         "translator-credits", _("translator-credits"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "release-notes-version", PACKAGE_VERSION,
                         "release-notes", get_release_notes (),
                         NULL);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  LsApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  g_return_if_fail (self->settings != NULL);

  gtk_window_present (GTK_WINDOW (ls_preferences_window_new (parent, self->settings)));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *application = user_data;
  /* Closing each window lets it ask about unsaved changes. The list is
   * copied because a window that closes leaves it. */
  GList *windows = g_list_copy (gtk_application_get_windows (application));

  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = about_action },
  { .name = "preferences", .activate = preferences_action },
  { .name = "quit", .activate = quit_action },
};

static void
ls_application_startup (GApplication *application)
{
  static const struct {
    const char *action;
    const char *accels[4];
  } shortcuts[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "win.open", { "<Control>o", NULL } },
    { "win.save", { "<Control>s", NULL } },
    { "win.save-as", { "<Control><Shift>s", NULL } },
    { "win.undo", { "<Control>z", NULL } },
    { "win.redo", { "<Control><Shift>z", "<Control>y", NULL } },
    { "win.presenter", { "F5", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.export-image", { "<Control><Shift>e", NULL } },
    { "win.show-code", { "<Control><Shift>c", NULL } },
    { "win.zoom-in", { "<Control>plus", "<Control>equal", "<Control>KP_Add", NULL } },
    { "win.zoom-out", { "<Control>minus", "<Control>KP_Subtract", NULL } },
    { "win.zoom-reset", { "<Control>0", "<Control>KP_0", NULL } },
    { "win.text-larger", { "<Control><Alt>plus", "<Control><Alt>equal", "<Control><Alt>KP_Add", NULL } },
    { "win.text-smaller", { "<Control><Alt>minus", "<Control><Alt>KP_Subtract", NULL } },
    { "win.text-reset", { "<Control><Alt>0", "<Control><Alt>KP_0", NULL } },
  };
  const char *data_dir = g_getenv ("LAYERSCOPE_DATADIR");
  LsApplication *self = LS_APPLICATION (application);
  GAction *preferences;

  G_APPLICATION_CLASS (ls_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);

  /* Without the schema there is nothing for the preferences to change. */
  self->settings = ls_preferences_new_settings ();
  ls_preferences_follow_theme (self->settings);
  preferences = g_action_map_lookup_action (G_ACTION_MAP (application), "preferences");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (preferences), self->settings != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (application), shortcuts[i].action,
                                           shortcuts[i].accels);

  /* An uninstalled build finds its icon in the source tree's data folder. */
  if (data_dir != NULL)
    {
      g_autofree char *icons = g_build_filename (data_dir, "icons", NULL);

      gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()), icons);
    }
}

static void
ls_application_dispose (GObject *object)
{
  LsApplication *self = LS_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ls_application_parent_class)->dispose (object);
}

static void
ls_application_class_init (LsApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ls_application_dispose;
  app_class->activate = ls_application_activate;
  app_class->open = ls_application_open;
  app_class->startup = ls_application_startup;
}

static void
ls_application_init (LsApplication *self)
{
}

LsApplication *
ls_application_new (void)
{
  return g_object_new (LS_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/layerscope/Layerscope",
                       NULL);
}
