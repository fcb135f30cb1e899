/* test-window-locale.c: the window in German, with the translations that
 * the build compiled into LAYERSCOPE_LOCALEDIR
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "ls-diagram-view.h"
#include "ls-inspector.h"
#include "ls-lesson-panel.h"
#include "ls-window.h"
#include "window-helpers.h"

static gboolean
label_with_text_exists (GtkWidget  *root,
                        const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_widgets (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_str_equal (gtk_label_get_text (g_ptr_array_index (labels, i)), text))
      return TRUE;

  return FALSE;
}

/* Returns whether model or one of its submenus and sections has an item
 * labelled label. */
static gboolean
menu_has_label (GMenuModel *model,
                const char *label)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GMenuLinkIter) links = g_menu_model_iterate_item_links (model, i);
      GMenuModel *linked;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &text) &&
          g_str_equal (text, label))
        return TRUE;

      while (g_menu_link_iter_get_next (links, NULL, &linked))
        {
          gboolean found = menu_has_label (linked, label);

          g_object_unref (linked);
          if (found)
            return TRUE;
        }
    }

  return FALSE;
}

static void
wait_for_frames (void)
{
  for (int i = 0; i < 20; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
}

static LsMainWindow *
open_window (void)
{
  LsMainWindow *window = ls_main_window_new (NULL);

  ls_main_window_open_example (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1600, 900);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_frames ();

  return window;
}

/* The expected German texts are the translations in po/de.po. */
static void
test_window_locale_german_text (void)
{
  LsMainWindow *window = open_window ();
  GtkMenuButton *menu_button = find_widget (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON);
  LsNetwork *network = ls_main_window_get_network (window);

  g_assert_true (label_with_text_exists (GTK_WIDGET (window), "20 Gewichte + 6 Biases = 26 Parameter"));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Ungespeichertes Netz — Layerscope");
  g_assert_true (menu_has_label (gtk_menu_button_get_menu_model (menu_button), "_Öffnen …"));

  /* The bundled example's own words come from po/data-strings.pot. */
  g_assert_cmpstr (ls_network_get_title (network), ==, "Katze oder Hund?");
  g_assert_cmpstr (ls_network_get_layer (network, 1)->labels[0], ==, "Katze");

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
label_containing_exists (GtkWidget  *root,
                         const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_widgets (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (strstr (gtk_label_get_text (g_ptr_array_index (labels, i)), text) != NULL)
      return TRUE;

  return FALSE;
}

/* The built-in lessons are German too, their numbers with a decimal comma
 * as po/de.po writes them: the trace lesson's last step gives Cat 0,82. */
static void
test_window_locale_german_lesson (void)
{
  LsMainWindow *window = open_window ();
  LsLessonPanel *panel = find_widget (GTK_WIDGET (window), LS_TYPE_LESSON_PANEL);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.lessons", NULL));
  wait_for_frames ();
  g_assert_true (label_with_text_exists (GTK_WIDGET (panel), "Ein Bild durch das Netz verfolgen"));
  ls_lesson_panel_open_lesson (panel, 2);
  ls_lesson_panel_go_to_step (panel, 5);
  wait_for_frames ();
  g_assert_cmpint (ls_lesson_panel_get_step (panel), ==, 5);
  g_assert_true (label_containing_exists (GTK_WIDGET (panel), "0,82"));
  g_assert_false (label_containing_exists (GTK_WIDGET (panel), "0.82"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The weight h1 → Cat is 0.90 in data/examples/cat-or-dog.json. In
 * de_DE.UTF-8 the inspector shows it with a decimal comma and reads a
 * typed "−1,5" back. */
static void
test_window_locale_decimal_comma (void)
{
  LsMainWindow *window = open_window ();
  LsNetwork *network = ls_main_window_get_network (window);
  LsDiagramView *diagram = find_widget (GTK_WIDGET (window), LS_TYPE_DIAGRAM_VIEW);
  GtkWidget *inspector = find_widget (GTK_WIDGET (window), LS_TYPE_INSPECTOR);
  LsSelection edge = { LS_SELECTION_EDGE, .column = 2, .unit = 0, .input = 0 };
  GtkWidget *entry;

  ls_diagram_view_set_selection (diagram, &edge);
  wait_for_frames ();
  entry = find_widget (inspector, GTK_TYPE_ENTRY);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "0,90");

  gtk_editable_set_text (GTK_EDITABLE (entry), "−1,5");
  g_signal_emit_by_name (entry, "activate");
  wait_for_frames ();
  g_assert_cmpfloat (ls_layer_get_weight (ls_network_get_layer (network, 1), 0, 0), ==, -1.5f);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "−1,50");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The window writes autosaves, recent files and settings only under the
 * test's own folder, never into the user's. */
static void
test_window_locale_user_dirs (gconstpointer data)
{
  const char *user_dirs = data;

  g_assert_true (g_str_has_prefix (g_get_user_state_dir (), user_dirs));
  g_assert_true (g_str_has_prefix (g_get_user_data_dir (), user_dirs));
  g_assert_true (g_str_has_prefix (g_get_user_config_dir (), user_dirs));
}

int
main (int   argc,
      char *argv[])
{
  const char *locale_dir = g_getenv ("LAYERSCOPE_LOCALEDIR");
  /* GLib reads the XDG variables at their first use, which is later. */
  g_autofree char *user_dirs = g_dir_make_tmp ("layerscope-test-window-locale-XXXXXX", NULL);
  g_autoptr(GFile) user_dirs_file = NULL;
  int status;

  g_assert_nonnull (user_dirs);
  user_dirs_file = g_file_new_for_path (user_dirs);
  g_setenv ("XDG_STATE_HOME", user_dirs, TRUE);
  g_setenv ("XDG_DATA_HOME", user_dirs, TRUE);
  g_setenv ("XDG_CONFIG_HOME", user_dirs, TRUE);

  /* As a user would start the app in German: GTK's own setlocale() reads
   * these too. */
  g_setenv ("LC_ALL", "de_DE.UTF-8", TRUE);
  g_setenv ("LANG", "de_DE.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "de", TRUE);
  if (setlocale (LC_ALL, "") == NULL)
    g_error ("The de_DE.UTF-8 locale is missing. Run tools/install-deps.sh to generate it");
  if (locale_dir == NULL)
    g_error ("LAYERSCOPE_LOCALEDIR is not set. Run this test through `meson test`");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      if (g_getenv ("CI") != NULL)
        g_error ("No display: the window tests must run under Xvfb in CI");

      g_test_skip ("No display: run the tests under Xvfb to include the window");
      status = g_test_run ();
      remove_tree (user_dirs_file);
      return status;
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_data_func ("/window-locale/user-dirs", user_dirs, test_window_locale_user_dirs);
  g_test_add_func ("/window-locale/german-text", test_window_locale_german_text);
  g_test_add_func ("/window-locale/german-lesson", test_window_locale_german_lesson);
  g_test_add_func ("/window-locale/decimal-comma", test_window_locale_decimal_comma);

  status = g_test_run ();
  remove_tree (user_dirs_file);

  return status;
}
