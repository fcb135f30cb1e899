/* ls-layer-private.h: layer operations that only LsNetwork may call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ls-layer.h"

G_BEGIN_DECLS

void ls_layer_resize_dense    (LsLayer *layer,
                               gsize    inputs,
                               gsize    units);
void ls_layer_allocate_state  (LsLayer *layer);

G_END_DECLS
