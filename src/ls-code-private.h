/* ls-code-private.h: the helpers shared by the NumPy and PyTorch writers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ls-code.h"

G_BEGIN_DECLS

void ls_code_append_float          (GString        *out,
                                    float           value);
void ls_code_append_string_literal (GString        *out,
                                    const char     *text);
void ls_code_append_array          (GString        *out,
                                    const float    *values,
                                    const gsize    *dims,
                                    guint           rank,
                                    guint           indent);
void ls_code_append_transposed     (GString        *out,
                                    const float    *values,
                                    gsize           rows,
                                    gsize           columns,
                                    guint           indent);
void ls_code_append_shape          (GString        *out,
                                    const LsShape  *shape);
void ls_code_append_layer_heading  (GString        *out,
                                    LsNetwork      *network,
                                    gsize           index);
void ls_code_append_labels         (GString        *out,
                                    LsNetwork      *network);
void ls_code_append_prediction     (GString        *out,
                                   LsNetwork      *network,
                                   const char     *values,
                                   const char     *argmax);
void ls_code_append_token_ids      (GString        *out,
                                    LsNetwork      *network);

void ls_code_write_numpy           (GString        *out,
                                    LsNetwork      *network);
void ls_code_write_pytorch         (GString        *out,
                                    LsNetwork      *network);

G_END_DECLS
