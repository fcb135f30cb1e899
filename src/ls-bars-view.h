/* ls-bars-view.h: the output probabilities as labelled bars
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ls-network.h"

G_BEGIN_DECLS

#define LS_TYPE_BARS_VIEW (ls_bars_view_get_type ())

G_DECLARE_FINAL_TYPE (LsBarsView, ls_bars_view, LS, BARS_VIEW, GtkWidget)

GtkWidget *ls_bars_view_new             (void);
LsNetwork *ls_bars_view_get_network     (LsBarsView *self);
void       ls_bars_view_set_network     (LsBarsView *self,
                                         LsNetwork  *network);
void       ls_bars_view_set_font_scale  (LsBarsView *self,
                                         double      font_scale);
/* Thick lines and large labels, as LsRenderStyle's presenter. */
void       ls_bars_view_set_presenter     (LsBarsView *self,
                                           gboolean    presenter);
/* The projector palette, as LsRenderStyle's high_contrast. */
void       ls_bars_view_set_high_contrast (LsBarsView *self,
                                           gboolean    high_contrast);
/* FALSE draws the bars empty with a "not computed yet" note, for the
 * steps of a forward pass before the output layer. TRUE by default. */
void       ls_bars_view_set_revealed      (LsBarsView *self,
                                           gboolean    revealed);
/* TRUE draws the bars with a glowing frame as the emphasised part. */
void       ls_bars_view_set_highlighted   (LsBarsView *self,
                                           gboolean    highlighted);

G_END_DECLS
