/* ls-presenter-strip.h: the step and the worked formula of presenter
 * mode, under the diagram
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ls-presenter.h"

G_BEGIN_DECLS

#define LS_TYPE_PRESENTER_STRIP (ls_presenter_strip_get_type ())

G_DECLARE_FINAL_TYPE (LsPresenterStrip, ls_presenter_strip, LS, PRESENTER_STRIP, GtkBox)

GtkWidget   *ls_presenter_strip_new            (void);
/* The walk-through to show, or NULL for none. */
void         ls_presenter_strip_set_presenter  (LsPresenterStrip *self,
                                                LsPresenter      *presenter);
LsPresenter *ls_presenter_strip_get_presenter  (LsPresenterStrip *self);
/* Scales the text: at 1.0 the step and the formula are 20 pixels high. */
void         ls_presenter_strip_set_text_scale (LsPresenterStrip *self,
                                                double            scale);

G_END_DECLS
