/* ls-explain.h: worked formulas with the real numbers, for the inspector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ls-network.h"

G_BEGIN_DECLS

/* Returns the title of layer index (0 is the first layer): its name when
 * it has one, else "output" for the last layer and "hidden 2" for the
 * second of several hidden layers ("hidden" when there is only one). */
char *ls_explain_layer_title  (LsNetwork *network,
                               gsize      index);

/* Returns the short name of a neuron: its label when it has one ("Cat",
 * "pixel 1"), else "x1" for inputs, "h1" in the only hidden layer, "h2,1"
 * with the layer number when there are several, "y1" in an unlabelled
 * output layer. Columns are numbered as in LsSelection. */
char *ls_explain_neuron_name  (LsNetwork *network,
                               gsize      column,
                               gsize      unit);

/* Returns the computation of one neuron with the current numbers, one
 * step per line, e.g.
 *   h1 = ReLU(0.5×0.40 + 0.8×0.50 + 0.2×0.10 + 0.00) = 0.62
 * Softmax neurons get a second line with the exponentials. Dense inputs
 * over 8 are elided in the middle. */
char *ls_explain_neuron       (LsNetwork *network,
                               gsize      column,
                               gsize      unit);

G_END_DECLS
