/* ls-curves-view.h: the loss and accuracy curves of a training run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ls-training-controller.h"

G_BEGIN_DECLS

#define LS_TYPE_CURVES_VIEW (ls_curves_view_get_type ())

G_DECLARE_FINAL_TYPE (LsCurvesView, ls_curves_view, LS, CURVES_VIEW, GtkWidget)

GtkWidget *ls_curves_view_new            (void);
void       ls_curves_view_set_controller (LsCurvesView         *self,
                                          LsTrainingController *controller);
void       ls_curves_view_set_font_scale (LsCurvesView         *self,
                                          double                font_scale);

G_END_DECLS
