/* ls-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n.h>

#include "ls-application.h"
#include "ls-window.h"

struct _LsApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (LsApplication, ls_application, ADW_TYPE_APPLICATION)

/* With no file, a window opens on the lesson's example network. */
static void
ls_application_activate (GApplication *application)
{
  LsMainWindow *window = ls_main_window_new (GTK_APPLICATION (application));

  ls_main_window_open_example (window);
  gtk_window_present (GTK_WINDOW (window));
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
    }
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
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
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
    { "win.text-larger", { "<Control>plus", "<Control>equal", "<Control>KP_Add", NULL } },
    { "win.text-smaller", { "<Control>minus", "<Control>KP_Subtract", NULL } },
    { "win.text-reset", { "<Control>0", "<Control>KP_0", NULL } },
  };
  const char *data_dir = g_getenv ("LAYERSCOPE_DATADIR");

  G_APPLICATION_CLASS (ls_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
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
ls_application_class_init (LsApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

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
