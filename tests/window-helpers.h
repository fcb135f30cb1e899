/* window-helpers.h: widget lookups and clean-up shared by the window tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Adds widget and every descendant of type `type` to found, in tree order. */
void     collect_widgets (GtkWidget *widget,
                          GType      type,
                          GPtrArray *found);
/* Returns the first widget of type `type` under root, failing the test
 * when there is none. */
gpointer find_widget     (GtkWidget *root,
                          GType      type);
/* Deletes a folder and everything in it, such as the folder that a
 * test's autosaves, recent files and settings went to. */
void     remove_tree     (GFile     *directory);

G_END_DECLS
