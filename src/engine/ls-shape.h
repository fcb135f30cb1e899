/* ls-shape.h: tensor shapes and the engine's size limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LS_SHAPE_MAX_RANK 4

/* Limits that keep a document from asking for more memory than a desktop
 * has. docs/FORMAT.md lists the same numbers. */
#define LS_MAX_LAYERS               64
#define LS_MAX_TENSOR_SIZE          (1u << 20)  /* elements in one input or activation */
#define LS_MAX_LAYER_PARAMETERS     (1u << 24)  /* weights plus biases of one layer */
#define LS_MAX_NETWORK_PARAMETERS   (1u << 26)  /* weights plus biases of all layers: 256 MiB of floats */
#define LS_MAX_NETWORK_OPERATIONS   (G_GUINT64_CONSTANT (1) << 30)  /* multiply-adds in one forward pass, about a second */
#define LS_MAX_KERNEL_SIZE          1024        /* window, stride or padding along one axis */
#define LS_MAX_LABEL_LENGTH         256         /* bytes in one label, name or title */
#define LS_MAX_DESCRIPTION_LENGTH   65536       /* bytes in the description */
#define LS_MAX_TOKENS               256         /* tokens in one text input (max_tokens) */
#define LS_MAX_VOCABULARY_SIZE      65536       /* words in a vocabulary */
#define LS_MAX_TEXT_LENGTH          4096        /* bytes in a text input */

/* A row-major tensor shape: dims[0] is the slowest-varying axis. Rank 1
 * is a vector (or, as a network input, a list of token ids), rank 2 a
 * sequence [tokens][features] and rank 3 an image [channels][height][width]. */
typedef struct
{
  guint rank;
  gsize dims[LS_SHAPE_MAX_RANK];
} LsShape;

void      ls_shape_init_1d   (LsShape       *shape,
                              gsize          size);
void      ls_shape_init_2d   (LsShape       *shape,
                              gsize          tokens,
                              gsize          features);
void      ls_shape_init_3d   (LsShape       *shape,
                              gsize          channels,
                              gsize          height,
                              gsize          width);
gsize     ls_shape_get_size  (const LsShape *shape);
gboolean  ls_shape_equal     (const LsShape *a,
                              const LsShape *b);
char     *ls_shape_to_string (const LsShape *shape);

G_END_DECLS
