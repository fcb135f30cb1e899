/* ls-inspector.h: the side panel that explains and edits the selection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ls-network.h"
#include "ls-render.h"

G_BEGIN_DECLS

#define LS_TYPE_INSPECTOR (ls_inspector_get_type ())

G_DECLARE_FINAL_TYPE (LsInspector, ls_inspector, LS, INSPECTOR, GtkWidget)

GtkWidget *ls_inspector_new           (void);
void       ls_inspector_set_network   (LsInspector       *self,
                                       LsNetwork         *network);
/* Shows the neuron or edge of selection; NULL or LS_SELECTION_NONE shows
 * a hint on how to select. */
void       ls_inspector_set_selection (LsInspector       *self,
                                       const LsSelection *selection);

G_END_DECLS
