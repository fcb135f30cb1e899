/* ls-training-panel.h: the sidebar section that picks training data and settings, and the bar that runs training
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ls-network.h"
#include "ls-training-controller.h"

G_BEGIN_DECLS

#define LS_TYPE_TRAINING_PANEL (ls_training_panel_get_type ())

G_DECLARE_FINAL_TYPE (LsTrainingPanel, ls_training_panel, LS, TRAINING_PANEL, GtkWidget)

GtkWidget            *ls_training_panel_new            (void);
/* Stops training of the previous network and makes a new controller for
 * network. */
void                  ls_training_panel_set_network    (LsTrainingPanel *self,
                                                        LsNetwork       *network);
/* Returns the controller of the current network, or NULL before
 * ls_training_panel_set_network(). */
LsTrainingController *ls_training_panel_get_controller (LsTrainingPanel *self);
/* Returns the bar of run controls and counters, for the window to place. */
GtkWidget            *ls_training_panel_get_bar        (LsTrainingPanel *self);
/* Selects the training set name, one of ls_training_data_get_names(),
 * and loads it. Returns FALSE and leaves the previous set when loading
 * fails. */
gboolean              ls_training_panel_select_data    (LsTrainingPanel *self,
                                                        const char      *name,
                                                        GError         **error);

G_END_DECLS
