/* ls-compare-view.h: a second network B beside the window's network A, output by output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ls-network.h"

G_BEGIN_DECLS

#define LS_TYPE_COMPARE_VIEW (ls_compare_view_get_type ())

G_DECLARE_FINAL_TYPE (LsCompareView, ls_compare_view, LS, COMPARE_VIEW, GtkWidget)

GtkWidget  *ls_compare_view_new            (void);

LsNetwork  *ls_compare_view_get_network    (LsCompareView  *self);
void        ls_compare_view_set_network    (LsCompareView  *self,
                                            LsNetwork      *network);

LsNetwork  *ls_compare_view_get_compared   (LsCompareView  *self);
gboolean    ls_compare_view_set_compared   (LsCompareView  *self,
                                            LsNetwork      *compared,
                                            const char     *name,
                                            GError        **error);
void        ls_compare_view_close          (LsCompareView  *self);

const char *ls_compare_view_get_message    (LsCompareView  *self);
/* Returns row output of the table as its cells show it: the output's
 * label, A's and B's values and B − A, separated by tabs. Returns NULL
 * without a comparison or for an output that B does not have. */
char       *ls_compare_view_dup_row_text   (LsCompareView  *self,
                                            gsize           output);

G_END_DECLS
