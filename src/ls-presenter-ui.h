/* ls-presenter-ui.h: presenter mode's keys and the views that follow an
 * LsPresenter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ls-bars-view.h"
#include "ls-diagram-view.h"
#include "ls-presenter.h"

G_BEGIN_DECLS

/* Text scale of presenter mode when the `presenter-scale` setting is
 * not available. It is that setting's default. */
#define LS_PRESENTER_DEFAULT_SCALE 1.5

/* Shows the presenter's step in the diagram: columns after the step
 * without values, the step's column framed, and the selected value and
 * the weights into its column highlighted. The bars are
 * revealed and highlighted at the last step only. bars may be NULL. */
void     ls_presenter_ui_show_step     (LsPresenter   *presenter,
                                        LsDiagramView *diagram,
                                        LsBarsView    *bars);
/* Puts the diagram and the bars back to the normal view of every
 * computed value. bars may be NULL. */
void     ls_presenter_ui_clear_step    (LsDiagramView *diagram,
                                        LsBarsView    *bars);
/* Selects in the presenter the value that the user selected in the
 * diagram, when the step has computed it. */
void     ls_presenter_ui_follow_diagram (LsPresenter  *presenter,
                                         LsDiagramView *diagram);
/* Handles the stepping keys of presenter mode. Right and Page Down take
 * the next step, Left and Page Up the previous, Home and End the first
 * and last, and Space plays or pauses. Up and Down move within the
 * selected column, Tab and Shift+Tab through all computed values.
 * Returns whether keyval was one of these keys. */
gboolean ls_presenter_ui_handle_key    (LsPresenter    *presenter,
                                        guint           keyval,
                                        GdkModifierType state);
/* Draws the bars in the presenter style at text scale `scale`, with a
 * margin and a width that leave the diagram most of a 16:9 screen. */
void     ls_presenter_ui_set_bars_style (LsBarsView   *bars,
                                         double        scale,
                                         gboolean      high_contrast);
/* Returns a scrolled window around bars that shows them whole when the
 * height allows, and scrolls them instead of pushing the formula strip
 * off a small screen when there are many outputs. */
GtkWidget *ls_presenter_ui_new_bars_scroller (LsBarsView *bars);
/* Returns the `presenter-scale` setting, or LS_PRESENTER_DEFAULT_SCALE
 * when settings is NULL or its schema lacks the key. */
double   ls_presenter_ui_get_scale     (GSettings     *settings);

G_END_DECLS
