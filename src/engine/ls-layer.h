/* ls-layer.h: one layer of a network, its parameters and its forward state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ls-activation.h"
#include "ls-random.h"
#include "ls-shape.h"

G_BEGIN_DECLS

typedef enum
{
  LS_LAYER_DENSE,      /* y = act(x·W + b), on the input read flat in [c][h][w] order */
  LS_LAYER_CONV2D,     /* y = act(W ⋆ x + b), as torch.nn.Conv2d */
  LS_LAYER_MAXPOOL2D,  /* the largest value of each window, per channel */
  LS_LAYER_AVGPOOL2D,  /* the mean of each window, per channel */
  LS_LAYER_FLATTEN,    /* [c][h][w] to [c·h·w], as torch.flatten */
  LS_N_LAYER_KINDS
} LsLayerKind;

/* How a conv2d layer's padding was given, so that a document saves it
 * the way it was written. */
typedef enum
{
  LS_PADDING_EXPLICIT,  /* padding[] on both sides */
  LS_PADDING_VALID,     /* none */
  LS_PADDING_SAME,      /* output size = input size, stride 1 only */
} LsPaddingMode;

/* The window geometry of a conv2d or pooling layer. Index 0 is the
 * height axis and 1 the width axis. For "same" padding with an even
 * kernel, the extra row and column go after, as in PyTorch. */
typedef struct
{
  gsize kernel[2];
  gsize stride[2];
  LsPaddingMode padding_mode;
  gsize padding[2];        /* before: top and left */
  gsize padding_after[2];  /* bottom and right */
} LsWindow;

/* A rectangle of an image, rows y0 to y1 - 1 and columns x0 to x1 - 1. */
typedef struct
{
  gsize y0, x0, y1, x1;
} LsRegion;

typedef struct
{
  gsize weights;
  gsize biases;
  gsize total;
} LsParameterCount;

/* A layer is owned by its LsNetwork. Views read these fields; only the
 * ls_network_* edit functions write them, so that the shapes, the buffers
 * and the forward state always agree. */
typedef struct
{
  LsLayerKind kind;
  char *name;                /* nullable */
  LsActivation activation;
  LsInit init;               /* how new weights of this layer are drawn */

  LsShape input_shape;
  LsShape output_shape;

  /* Dense: units outputs. Conv2d: units filters, and window. Pools:
   * window only. Flatten: neither. */
  gsize units;
  LsWindow window;
  float *weights;            /* dense [inputs][units], as in x·W;
                              * conv2d [units][channels][kh][kw], as in PyTorch */
  float *bias;               /* [units] */
  GStrv labels;              /* nullable, [output size] */

  /* Forward state, written by ls_network_forward() only */
  float *pre_activation;     /* [output size] */
  float *activation_output;  /* [output size] */
  float *scratch;            /* conv2d only: work space of the forward pass */
} LsLayer;

const char *ls_layer_kind_get_name          (LsLayerKind     kind);
const char *ls_layer_kind_get_display_name  (LsLayerKind     kind);
gboolean    ls_layer_kind_from_name         (const char     *name,
                                             LsLayerKind    *kind);

LsLayer    *ls_layer_new_dense              (gsize           inputs,
                                             gsize           units,
                                             LsActivation    activation,
                                             const LsInit   *init);
LsLayer    *ls_layer_new_conv2d             (const LsShape  *input_shape,
                                             gsize           filters,
                                             const LsWindow *window,
                                             LsActivation    activation,
                                             const LsInit   *init,
                                             GError        **error);
LsLayer    *ls_layer_new_pool2d             (LsLayerKind     kind,
                                             const LsShape  *input_shape,
                                             const LsWindow *window,
                                             GError        **error);
LsLayer    *ls_layer_new_flatten            (const LsShape  *input_shape);
LsLayer    *ls_layer_copy                   (const LsLayer  *layer);
void        ls_layer_free                   (LsLayer        *layer);

gsize       ls_layer_get_inputs             (const LsLayer  *layer);
gsize       ls_layer_get_outputs            (const LsLayer  *layer);
void        ls_layer_get_parameter_count    (const LsLayer  *layer,
                                             LsParameterCount *count);
const char *ls_layer_get_label              (const LsLayer  *layer,
                                             gsize           unit);
float       ls_layer_get_weight             (const LsLayer  *layer,
                                             gsize           input,
                                             gsize           unit);
gsize       ls_layer_get_n_weights          (const LsLayer  *layer);
gboolean    ls_layer_has_parameters         (const LsLayer  *layer);
gboolean    ls_layer_is_spatial             (const LsLayer  *layer);
gsize       ls_layer_get_kernel_size        (const LsLayer  *layer);
const float*ls_layer_get_kernel             (const LsLayer  *layer,
                                             gsize           filter,
                                             gsize           channel);
void        ls_layer_get_input_region       (const LsLayer  *layer,
                                             const LsRegion *output,
                                             LsRegion       *input);

gboolean    ls_window_init                  (LsWindow       *window,
                                             const gsize     kernel[2],
                                             const gsize     stride[2],
                                             LsPaddingMode   padding_mode,
                                             const gsize     padding[2],
                                             GError        **error);
gboolean    ls_window_equal                 (const LsWindow *a,
                                             const LsWindow *b);
gboolean    ls_window_get_output_shape      (const LsWindow *window,
                                             LsLayerKind     kind,
                                             const LsShape  *input_shape,
                                             gsize           channels,
                                             LsShape        *output_shape,
                                             GError        **error);

void        ls_layer_forward                (LsLayer        *layer,
                                             const float    *input);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsLayer, ls_layer_free)

G_END_DECLS
