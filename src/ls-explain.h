/* ls-explain.h: worked formulas with the real numbers, for the inspector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ls-network.h"

G_BEGIN_DECLS

/* Formats a shape for people: "1 × 28 × 28" or "64". */
char *ls_explain_shape        (const LsShape *shape);

/* Returns the title of layer index (0 is the first layer): its name when
 * it has one, else "output" for the last layer. An untitled dense layer
 * before it is "hidden 2" when it is layer 2 of several ("hidden" when
 * there is only one). Other kinds are numbered among the layers of their
 * kind: "conv 3" for the third convolution, "pool 2" for the second
 * pooling layer and "flatten", skipping numbers that layer names use.
 * Token layers read "embedding", "positions", "pool" (for token pooling),
 * and "attention" and "norm", which are numbered when the network has
 * several: "attention 1", "attention 2". */
char *ls_explain_layer_title  (LsNetwork *network,
                               gsize      index);

/* Returns the short name of a neuron: its label when it has one ("Cat",
 * "pixel 1"), else "x1" for inputs, "h1" in the only hidden layer, "h2,1"
 * with the layer number when there are several, "y1" in an unlabelled
 * output layer. Columns are numbered as in LsSelection. A value of an
 * image-shaped tensor gets its 1-based row and column. It is "x(5,7)" in
 * a one-channel input and "x2(5,7)" in channel 2 of a larger one. In map
 * 3 of layer 1 it is "f1,3(5,7)", or "edges(5,7)" when the map has the
 * label "edges". A value of a token sequence [T][d] is named by its token
 * and its 1-based feature: "good·3". */
char *ls_explain_neuron_name  (LsNetwork *network,
                               gsize      column,
                               gsize      unit);

/* Returns the computation of one value with the current numbers, e.g.
 *   h1 = ReLU(0.5×0.40 + 0.8×0.50 + 0.2×0.10 + 0.00) = 0.62
 * Softmax neurons get a second line with the exponentials. Dense inputs
 * over 8 are elided in the middle. A conv2d pixel lists input × weight
 * for each kernel position, one kernel row per line and 0 for padding,
 * then the bias, z and the activation. With several input channels, the
 * first channel's products are written out and the others are summed.
 * A pooling pixel lists its window's values and their max or mean.
 * An embedding value names its table row. A positional value is x + PE
 * with the sine or cosine written out. An attention value gets
 * ls_explain_attention() for its token and the head whose columns
 * contain it, then its column of c·wo + bo and the residual. A layer norm
 * value lists its token's mean, variance and normalised value, then gamma
 * and beta. A pooled value is its column's mean or first value, and a
 * dense layer applied per token shows the token's row times W plus b. */
char *ls_explain_neuron       (LsNetwork *network,
                               gsize      column,
                               gsize      unit);

/* Returns how query token `token` attends in head `head` of attention
 * layer `layer` (0 is the first layer), with the numbers of the last
 * forward pass. It lists the query's slice of q, then for each key token
 * its score q·k, the score scaled by 1/√(d / heads) and its softmax
 * weight, or "masked (−∞)" after the query in a causal layer. The sum of
 * the weights follows, then each column of the head's context
 * Σ weight × v, each with its 3 largest products and the count of the
 * others. Last comes the token's output row after wo and bo, and after
 * the residual when the layer has one. More than 16 keys or columns are
 * elided in the middle. */
char *ls_explain_attention    (LsNetwork *network,
                               gsize      layer,
                               gsize      token,
                               gsize      head);

G_END_DECLS
