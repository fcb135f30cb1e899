/* ls-matrix-editor.h: one [d][d] matrix of an attention layer as a
 * heatmap to edit, with its bias row and the head presets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ls-network.h"

G_BEGIN_DECLS

#define LS_TYPE_MATRIX_EDITOR (ls_matrix_editor_get_type ())

G_DECLARE_FINAL_TYPE (LsMatrixEditor, ls_matrix_editor, LS, MATRIX_EDITOR, GtkWidget)

/* Creates an editor of wq of attention layer `layer` (0 is the first
 * layer). A switcher in the editor picks wq, wk, wv or wo. */
GtkWidget        *ls_matrix_editor_new         (LsNetwork         *network,
                                                gsize              layer);
LsAttentionMatrix ls_matrix_editor_get_matrix  (LsMatrixEditor    *self);
void              ls_matrix_editor_set_matrix  (LsMatrixEditor    *self,
                                                LsAttentionMatrix  matrix);
/* Sets the head that the presets apply to. */
void              ls_matrix_editor_set_head    (LsMatrixEditor    *self,
                                                gsize              head);
/* Returns the head that the presets apply to. */
gsize             ls_matrix_editor_get_head    (LsMatrixEditor    *self);
/* Shows cell (row, column) in the number field below the heatmap, so
 * that typing edits it. Row d is the bias row. */
void              ls_matrix_editor_select_cell (LsMatrixEditor    *self,
                                                gsize              row,
                                                gsize              column);
/* Finds the cell under (x, y) in the heatmap's coordinates, with row d
 * for the bias row. Returns FALSE on a label or a gap. */
gboolean          ls_matrix_editor_hit         (LsMatrixEditor    *self,
                                                double             x,
                                                double             y,
                                                gsize             *row,
                                                gsize             *column);
/* Shows the network's current weights and biases. */
void              ls_matrix_editor_update      (LsMatrixEditor    *self);

G_END_DECLS
