/* ls-layer-private.h: layer operations that only LsNetwork may call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ls-layer.h"

G_BEGIN_DECLS

gboolean ls_layer_plan           (LsLayerKind     kind,
                                  const LsShape  *input_shape,
                                  gsize           units,
                                  const LsWindow *window,
                                  LsShape        *output_shape,
                                  gsize          *parameters,
                                  GError        **error);
void     ls_layer_reshape        (LsLayer        *layer,
                                  const LsShape  *input_shape,
                                  gsize           units,
                                  const LsWindow *window);
void     ls_layer_allocate_state (LsLayer        *layer);
guint64  ls_layer_get_operations (LsLayerKind     kind,
                                  const LsShape  *input_shape,
                                  const LsShape  *output_shape,
                                  const LsWindow *window);

G_END_DECLS
