/* ls-presenter.h: a step-by-step walk through one forward pass
 *
 * The presenter has no widgets, so presenter mode's stepping, neuron
 * moves, playback and formula text can be tested without a display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ls-network.h"

G_BEGIN_DECLS

/* Milliseconds between two steps while the walk-through plays. */
#define LS_PRESENTER_DEFAULT_INTERVAL 2000

#define LS_TYPE_PRESENTER (ls_presenter_get_type ())

G_DECLARE_FINAL_TYPE (LsPresenter, ls_presenter, LS, PRESENTER, GObject)

/* Starts at step 0, the input column, with its strongest value selected. */
LsPresenter *ls_presenter_new             (LsNetwork   *network);
LsNetwork   *ls_presenter_get_network     (LsPresenter *self);
/* Shows another network. With the same columns of the same sizes, as
 * after an undo, the step and the selection stay. Else the step stays
 * where the network has it, or becomes the last, and selects the
 * strongest value of its column. */
void         ls_presenter_set_network     (LsPresenter *self,
                                           LsNetwork   *network);

/* Step 0 shows the input column, and step k shows the diagram's columns
 * 0 to k with layer k just computed. The last step, the output layer's,
 * also reveals the output bars. There are as many steps as columns:
 * the layers plus one. */
gsize        ls_presenter_get_n_steps     (LsPresenter *self);
gsize        ls_presenter_get_step        (LsPresenter *self);
gboolean     ls_presenter_is_last_step    (LsPresenter *self);
/* Moves to step, which must be below the number of steps, and selects
 * the strongest value of its column: the largest, or the first of equal
 * ones. Returns FALSE and changes nothing for a step out of range. */
gboolean     ls_presenter_set_step        (LsPresenter *self,
                                           gsize        step);
/* Each returns whether the step changed: FALSE at the first or last. */
gboolean     ls_presenter_next_step       (LsPresenter *self);
gboolean     ls_presenter_previous_step   (LsPresenter *self);
gboolean     ls_presenter_first_step      (LsPresenter *self);
gboolean     ls_presenter_last_step       (LsPresenter *self);

/* The selected value, numbered as in LsSelection: a column of the
 * diagram, at most the step, and an index into that column's tensor. */
void         ls_presenter_get_selection   (LsPresenter *self,
                                           gsize       *column,
                                           gsize       *unit);
/* Selects a value of a column that the current step has computed.
 * Returns FALSE and changes nothing for a column after the step or a
 * unit out of range. */
gboolean     ls_presenter_select          (LsPresenter *self,
                                           gsize        column,
                                           gsize        unit);
/* Selects the next or previous value of the selected column, wrapping
 * around at its ends. Returns FALSE when the column has one value. */
gboolean     ls_presenter_next_unit       (LsPresenter *self);
gboolean     ls_presenter_previous_unit   (LsPresenter *self);
/* Selects the next or previous value through all computed columns, from
 * the last value of a column to the first of the next, and from the
 * last computed value back to the first input. */
gboolean     ls_presenter_next_neuron     (LsPresenter *self);
gboolean     ls_presenter_previous_neuron (LsPresenter *self);

/* While playing, the presenter takes one step per interval and stops
 * playing after the last. Playing from the last step starts over at
 * step 0. */
gboolean     ls_presenter_get_playing     (LsPresenter *self);
void         ls_presenter_set_playing     (LsPresenter *self,
                                           gboolean     playing);
guint        ls_presenter_get_interval    (LsPresenter *self);
/* interval is in milliseconds, at least 1. */
void         ls_presenter_set_interval    (LsPresenter *self,
                                           guint        interval);

/* Returns "Step 2 of 3: hidden", with the column's layer title, or
 * "input" at step 0. */
char        *ls_presenter_dup_step_title  (LsPresenter *self);
/* Returns the worked formula of the selected value with the current
 * numbers. A dense neuron of a vector input, unless its activation is
 * softmax, also shows its weighted sum inside the activation:
 *   h1 = ReLU(0.5×0.40 + 0.8×0.50 + 0.2×0.10 + 0.00) = ReLU(0.62) = 0.62
 * Every other value has the formula of ls_explain_neuron(). */
char        *ls_presenter_dup_formula     (LsPresenter *self);

G_END_DECLS
