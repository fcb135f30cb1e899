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
#include "ls-presenter-strip.h"

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
/* Draws the bars in the presenter style, and from now on on every
 * frame sizes the diagram's, the strip's and the bars' text by the
 * `presenter-scale` setting, capped by ls_presenter_ui_cap_scale() for
 * the window's size, and the bars' width by
 * ls_presenter_ui_get_bars_width(). A change of the setting applies at
 * the next frame. settings may be NULL. */
void     ls_presenter_ui_fit_views     (LsBarsView       *bars,
                                        LsDiagramView    *diagram,
                                        LsPresenterStrip *strip,
                                        GSettings        *settings,
                                        gboolean          high_contrast);
/* Stops what ls_presenter_ui_fit_views() started; the caller puts back
 * the text scales. */
void     ls_presenter_ui_unfit_views   (LsBarsView       *bars);
/* Returns the text scale that the fitted views show, or 0 when they are
 * not fitted or have not been sized yet. */
double   ls_presenter_ui_get_applied_scale (LsBarsView   *bars);
/* Returns scale capped for a window of width × height pixels, so that
 * the text leaves the diagram room: at most 2.0 at 1920×1080 and 1.33 at
 * 1280×720, and never below the smaller of 1.0 and scale. */
double   ls_presenter_ui_cap_scale     (double            scale,
                                        int               width,
                                        int               height);
/* Returns the bars' width at text scale `scale` in a window width pixels
 * wide: at most a quarter of it. */
int      ls_presenter_ui_get_bars_width (double           scale,
                                         int              width);
/* Returns a scrolled window around bars that shows them whole when the
 * height allows, and scrolls them instead of pushing the formula strip
 * off a small screen when there are many outputs. */
GtkWidget *ls_presenter_ui_new_bars_scroller (LsBarsView *bars);
/* Returns the `presenter-scale` setting, or LS_PRESENTER_DEFAULT_SCALE
 * when settings is NULL or its schema lacks the key. */
double   ls_presenter_ui_get_scale     (GSettings     *settings);

G_END_DECLS
