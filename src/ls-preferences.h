/* ls-preferences.h: the preferences window and the settings that every
 * window shares (theme, palette, last folder)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LS_TYPE_PREFERENCES_WINDOW (ls_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (LsPreferencesWindow, ls_preferences_window, LS, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* Returns a window whose rows read and write settings, which must not be
 * NULL. */
GtkWidget      *ls_preferences_window_new        (GtkWindow      *parent,
                                                  GSettings      *settings);

/* Returns the application's settings, or NULL when its schema is not
 * installed, as in an uninstalled build run without GSETTINGS_SCHEMA_DIR. */
GSettings      *ls_preferences_new_settings      (void);

/* Maps a value of the "theme" key ("system", "light" or "dark") to the
 * colour scheme that AdwStyleManager applies. */
AdwColorScheme  ls_preferences_get_color_scheme  (const char     *theme);
/* Applies the "theme" key to the application's style manager now and on
 * every change, for as long as settings lives. settings may be NULL. */
void            ls_preferences_follow_theme      (GSettings      *settings);
/* Returns whether the "palette" key selects the high-contrast palette.
 * settings may be NULL, or lack the key, which means the standard one. */
gboolean        ls_preferences_get_high_contrast (GSettings      *settings);

/* Starts chooser in the folder of the "last-folder" key, when it is set
 * and still exists. settings may be NULL. */
void            ls_preferences_restore_folder    (GSettings      *settings,
                                                  GtkFileChooser *chooser);
/* Stores the folder of file, a file the user chose, in "last-folder". */
void            ls_preferences_store_folder      (GSettings      *settings,
                                                  GFile          *file);

G_END_DECLS
