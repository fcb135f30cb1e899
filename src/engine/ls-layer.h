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
  LS_LAYER_EMBEDDING,  /* token ids [T] to rows of a table, [T][d] */
  LS_LAYER_POSITIONAL, /* adds a position encoding to each token, [T][d] */
  LS_LAYER_ATTENTION,  /* multi-head self-attention, as torch.nn.MultiheadAttention */
  LS_LAYER_LAYERNORM,  /* normalises each token, as torch.nn.LayerNorm */
  LS_LAYER_POOL_TOKENS,/* [T][d] to one [d] vector */
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

/* How a positional layer makes its encoding. */
typedef enum
{
  LS_POSITIONAL_SINUSOIDAL,  /* fixed sines and cosines, as in "Attention Is All You Need" */
  LS_POSITIONAL_LEARNED,     /* a table [rows][d] of weights */
  LS_N_POSITIONAL_ENCODINGS
} LsPositionalEncoding;

/* How a pool_tokens layer turns a sequence into one vector. */
typedef enum
{
  LS_TOKEN_POOLING_MEAN,   /* the mean of the token rows */
  LS_TOKEN_POOLING_FIRST,  /* row 0 */
  LS_N_TOKEN_POOLINGS
} LsTokenPooling;

/* The four matrices of an attention layer, in the order they are stored. */
typedef enum
{
  LS_ATTENTION_QUERY,
  LS_ATTENTION_KEY,
  LS_ATTENTION_VALUE,
  LS_ATTENTION_OUTPUT,
  LS_N_ATTENTION_MATRICES
} LsAttentionMatrix;

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

  /* Dense: units outputs (per token on a sequence). Conv2d: units
   * filters, and window. Pools: window only. Embedding, positional,
   * attention, layernorm and pool_tokens: units is the token width d. */
  gsize units;
  LsWindow window;
  float *weights;            /* dense [inputs][units], as in x·W;
                              * conv2d [units][channels][kh][kw], as in PyTorch;
                              * embedding [rows][d], one row per vocabulary word;
                              * learned positional [rows][d], one row per position;
                              * attention [4][d][d]: wq, wk, wv, wo in x·W form;
                              * layernorm [d]: gamma */
  float *bias;               /* [units]; attention [4][d]: bq, bk, bv, bo;
                              * layernorm [d]: beta; NULL for the kinds
                              * without biases */
  GStrv labels;              /* nullable, [output size] */

  gsize rows;                /* table rows: embedding vocabulary size, learned
                              * positional max_tokens; 0 otherwise */
  gsize heads;               /* attention: heads, each a slice of d / heads columns */
  gboolean causal;           /* attention: token t attends to tokens 0 to t only */
  gboolean residual;         /* attention and dense: output = x + f(x) */
  LsPositionalEncoding encoding;
  LsTokenPooling pooling;
  float eps;                 /* layernorm: added to the variance */

  /* Forward state, written by ls_network_forward() only. For attention,
   * pre_activation is the attention before the residual sum. For
   * layernorm it is the normalised values before gamma and beta, and for
   * positional the encoding that was added. */
  float *pre_activation;     /* [output size] */
  float *activation_output;  /* [output size] */
  float *scratch;            /* conv2d: work space of the forward pass;
                              * attention: queries, keys, values and context,
                              * [4][T][d], then kᵀ [d][T]; sinusoidal
                              * positional: the encoding */
  float *attention_weights;  /* attention: [heads][T][T], one softmax row per query */
} LsLayer;

const char *ls_layer_kind_get_name          (LsLayerKind     kind);
const char *ls_layer_kind_get_display_name  (LsLayerKind     kind);
gboolean    ls_layer_kind_from_name         (const char     *name,
                                             LsLayerKind    *kind);

LsLayer    *ls_layer_new_dense              (gsize           inputs,
                                             gsize           units,
                                             LsActivation    activation,
                                             const LsInit   *init);
LsLayer    *ls_layer_new_dense_on           (const LsShape  *input_shape,
                                             gsize           units,
                                             LsActivation    activation,
                                             gboolean        residual,
                                             const LsInit   *init,
                                             GError        **error);
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
LsLayer    *ls_layer_new_embedding          (gsize           tokens,
                                             gsize           vocabulary_size,
                                             gsize           dim,
                                             const LsInit   *init,
                                             GError        **error);
LsLayer    *ls_layer_new_positional         (const LsShape  *input_shape,
                                             LsPositionalEncoding encoding,
                                             gsize           rows,
                                             const LsInit   *init,
                                             GError        **error);
LsLayer    *ls_layer_new_attention          (const LsShape  *input_shape,
                                             gsize           heads,
                                             gboolean        causal,
                                             gboolean        residual,
                                             const LsInit   *init,
                                             GError        **error);
LsLayer    *ls_layer_new_layernorm          (const LsShape  *input_shape,
                                             float           eps,
                                             GError        **error);
LsLayer    *ls_layer_new_pool_tokens        (const LsShape  *input_shape,
                                             LsTokenPooling  pooling,
                                             GError        **error);
LsLayer    *ls_layer_copy                   (const LsLayer  *layer);
void        ls_layer_free                   (LsLayer        *layer);

const char *ls_positional_encoding_get_name  (LsPositionalEncoding encoding);
gboolean    ls_positional_encoding_from_name(const char     *name,
                                             LsPositionalEncoding *encoding);
const char *ls_token_pooling_get_name       (LsTokenPooling  pooling);
gboolean    ls_token_pooling_from_name      (const char     *name,
                                             LsTokenPooling *pooling);

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
gsize       ls_layer_get_n_biases           (const LsLayer  *layer);
gboolean    ls_layer_has_parameters         (const LsLayer  *layer);
gboolean    ls_layer_is_spatial             (const LsLayer  *layer);
gsize       ls_layer_get_kernel_size        (const LsLayer  *layer);
const float*ls_layer_get_kernel             (const LsLayer  *layer,
                                             gsize           filter,
                                             gsize           channel);
gboolean    ls_layer_is_sequence            (const LsLayer  *layer);
gsize       ls_layer_get_tokens             (const LsLayer  *layer);
const float*ls_layer_get_attention_matrix   (const LsLayer  *layer,
                                             LsAttentionMatrix matrix);
const float*ls_layer_get_attention_bias     (const LsLayer  *layer,
                                             LsAttentionMatrix matrix);
const float*ls_layer_get_attention_head     (const LsLayer  *layer,
                                             gsize           head);
const float*ls_layer_get_attention_state    (const LsLayer  *layer,
                                             LsAttentionMatrix part);
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

/* How ls_layer_backward() reads grad_output. */
typedef enum
{
  LS_BACKWARD_FROM_OUTPUT = 0,          /* dL/d activation_output */
  LS_BACKWARD_FROM_PRE_ACTIVATION = 1,  /* dL/d pre_activation, of a dense or conv2d
                                         * layer without a residual connection: the
                                         * caller applied the activation's derivative,
                                         * as softmax with cross-entropy does */
} LsBackwardFrom;

gsize       ls_layer_get_backward_work_size (const LsLayer  *layer);
void        ls_layer_backward               (const LsLayer  *layer,
                                             const float    *input,
                                             const float    *grad_output,
                                             LsBackwardFrom  from,
                                             float          *grad_input,
                                             float          *grad_weights,
                                             float          *grad_bias,
                                             float          *work);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsLayer, ls_layer_free)

G_END_DECLS
