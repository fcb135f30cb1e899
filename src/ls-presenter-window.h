/* ls-presenter-window.h: the diagram, formula and bars of presenter mode
 * in a window of their own, for a second screen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ls-presenter.h"

G_BEGIN_DECLS

#define LS_TYPE_PRESENTER_WINDOW (ls_presenter_window_get_type ())

G_DECLARE_FINAL_TYPE (LsPresenterWindow, ls_presenter_window, LS, PRESENTER_WINDOW, GtkWindow)

/* Follows presenter, drawn in the presenter style at the text scale of
 * the `presenter-scale` setting (see ls_presenter_ui_fit_views()).
 * settings may be NULL. The presenter's keys work in the window, and
 * Escape or F5 closes it. */
LsPresenterWindow *ls_presenter_window_new     (GtkApplication    *application,
                                                LsPresenter       *presenter,
                                                GSettings         *settings,
                                                gboolean           high_contrast);
/* Shows the window full screen on a monitor other than the one of
 * `beside`, or as a normal window when there is only one monitor.
 * Returns whether it went to another monitor. */
gboolean           ls_presenter_window_present (LsPresenterWindow *self,
                                                GtkWindow         *beside);

G_END_DECLS
