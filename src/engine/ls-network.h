/* ls-network.h: an input plus an ordered list of layers, and its forward pass
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ls-layer.h"
#include "ls-tokenizer.h"

G_BEGIN_DECLS

/* What an edit changed, passed with the LsNetwork::changed signal so that
 * views can skip a relayout when only numbers moved. */
typedef enum
{
  LS_CHANGE_VALUES    = 1 << 0,  /* inputs, weights or biases: every activation */
  LS_CHANGE_STRUCTURE = 1 << 1,  /* layers added, removed or resized, activations swapped */
  LS_CHANGE_METADATA  = 1 << 2,  /* title, description, names or labels */
} LsChange;

#define LS_TYPE_NETWORK (ls_network_get_type ())

G_DECLARE_FINAL_TYPE (LsNetwork, ls_network, LS, NETWORK, GObject)

/* The dataset a network was trained on and how well it does there: on
 * the first `samples` samples of `split`, `correct` are classified right.
 * Views use `name` to offer that dataset's samples as inputs. */
typedef struct
{
  char *name;   /* e.g. "digits" */
  char *split;  /* e.g. "test" */
  gsize samples;
  gsize correct;
} LsEvaluation;

LsNetwork      *ls_network_new                 (gsize               inputs);
LsNetwork      *ls_network_new_with_shape      (const LsShape      *input_shape);
LsNetwork      *ls_network_new_with_tokens     (LsVocabulary       *vocabulary,
                                                gsize               max_tokens,
                                                const char         *text,
                                                GError            **error);

const LsEvaluation *ls_network_get_evaluation  (LsNetwork          *self);
void            ls_network_set_evaluation      (LsNetwork          *self,
                                                const LsEvaluation *evaluation);

const char     *ls_network_get_title           (LsNetwork          *self);
void            ls_network_set_title           (LsNetwork          *self,
                                                const char         *title);
const char     *ls_network_get_description     (LsNetwork          *self);
void            ls_network_set_description     (LsNetwork          *self,
                                                const char         *description);

const LsShape  *ls_network_get_input_shape     (LsNetwork          *self);
gsize           ls_network_get_input_size      (LsNetwork          *self);
const float    *ls_network_get_input           (LsNetwork          *self);
const char     *ls_network_get_input_label     (LsNetwork          *self,
                                                gsize               index);
void            ls_network_set_input_labels    (LsNetwork          *self,
                                                const char * const *labels);
gboolean        ls_network_set_input           (LsNetwork          *self,
                                                const float        *values,
                                                gsize               n_values,
                                                GError            **error);
gboolean        ls_network_set_input_value     (LsNetwork          *self,
                                                gsize               index,
                                                float               value,
                                                GError            **error);

/* Token input: the network reads text as token ids through an
 * embedding layer. Changing the text changes the number of tokens T,
 * and so the shape of every layer until pool_tokens. */
gboolean        ls_network_has_token_input     (LsNetwork          *self);
LsVocabulary   *ls_network_get_vocabulary      (LsNetwork          *self);
gsize           ls_network_get_max_tokens      (LsNetwork          *self);
const char     *ls_network_get_text            (LsNetwork          *self);
gsize           ls_network_get_n_tokens        (LsNetwork          *self);
const char     *ls_network_get_token           (LsNetwork          *self,
                                                gsize               index);
gsize           ls_network_get_token_id        (LsNetwork          *self,
                                                gsize               index);
gboolean        ls_network_set_text            (LsNetwork          *self,
                                                const char         *text,
                                                GError            **error);

gsize           ls_network_get_n_layers        (LsNetwork          *self);
const LsLayer  *ls_network_get_layer           (LsNetwork          *self,
                                                gsize               index);
const LsLayer  *ls_network_get_output_layer    (LsNetwork          *self);

gboolean        ls_network_append_layer        (LsNetwork          *self,
                                                LsLayer            *layer,
                                                GError            **error);
gboolean        ls_network_insert_dense        (LsNetwork          *self,
                                                gsize               index,
                                                gsize               units,
                                                LsActivation        activation,
                                                GError            **error);
gboolean        ls_network_insert_conv2d       (LsNetwork          *self,
                                                gsize               index,
                                                gsize               filters,
                                                const LsWindow     *window,
                                                LsActivation        activation,
                                                GError            **error);
gboolean        ls_network_insert_pool2d       (LsNetwork          *self,
                                                gsize               index,
                                                LsLayerKind         kind,
                                                const LsWindow     *window,
                                                GError            **error);
gboolean        ls_network_insert_flatten      (LsNetwork          *self,
                                                gsize               index,
                                                GError            **error);
gboolean        ls_network_insert_positional   (LsNetwork          *self,
                                                gsize               index,
                                                LsPositionalEncoding encoding,
                                                GError            **error);
gboolean        ls_network_insert_attention    (LsNetwork          *self,
                                                gsize               index,
                                                gsize               heads,
                                                gboolean            causal,
                                                gboolean            residual,
                                                GError            **error);
gboolean        ls_network_insert_layernorm    (LsNetwork          *self,
                                                gsize               index,
                                                GError            **error);
gboolean        ls_network_insert_pool_tokens  (LsNetwork          *self,
                                                gsize               index,
                                                LsTokenPooling      pooling,
                                                GError            **error);
gboolean        ls_network_set_heads           (LsNetwork          *self,
                                                gsize               index,
                                                gsize               heads,
                                                GError            **error);
void            ls_network_set_causal          (LsNetwork          *self,
                                                gsize               index,
                                                gboolean            causal);
gboolean        ls_network_set_residual        (LsNetwork          *self,
                                                gsize               index,
                                                gboolean            residual,
                                                GError            **error);
void            ls_network_set_token_pooling   (LsNetwork          *self,
                                                gsize               index,
                                                LsTokenPooling      pooling);
gboolean        ls_network_set_layernorm_eps   (LsNetwork          *self,
                                                gsize               index,
                                                float               eps,
                                                GError            **error);
gboolean        ls_network_set_attention_weight (LsNetwork         *self,
                                                gsize               index,
                                                LsAttentionMatrix   matrix,
                                                gsize               row,
                                                gsize               column,
                                                float               value,
                                                GError            **error);
gboolean        ls_network_set_attention_matrix (LsNetwork         *self,
                                                gsize               index,
                                                LsAttentionMatrix   matrix,
                                                const float        *values,
                                                gsize               n_values,
                                                GError            **error);
gboolean        ls_network_set_attention_bias  (LsNetwork          *self,
                                                gsize               index,
                                                LsAttentionMatrix   matrix,
                                                gsize               column,
                                                float               value,
                                                GError            **error);
gboolean        ls_network_set_table_value     (LsNetwork          *self,
                                                gsize               index,
                                                gsize               row,
                                                gsize               column,
                                                float               value,
                                                GError            **error);
gboolean        ls_network_set_window          (LsNetwork          *self,
                                                gsize               index,
                                                const LsWindow     *window,
                                                GError            **error);
gboolean        ls_network_remove_layer        (LsNetwork          *self,
                                                gsize               index,
                                                GError            **error);
gboolean        ls_network_set_units           (LsNetwork          *self,
                                                gsize               index,
                                                gsize               units,
                                                GError            **error);
void            ls_network_set_activation      (LsNetwork          *self,
                                                gsize               index,
                                                LsActivation        activation);
void            ls_network_set_layer_name      (LsNetwork          *self,
                                                gsize               index,
                                                const char         *name);
void            ls_network_set_layer_labels    (LsNetwork          *self,
                                                gsize               index,
                                                const char * const *labels);
gboolean        ls_network_set_weight          (LsNetwork          *self,
                                                gsize               index,
                                                gsize               input,
                                                gsize               unit,
                                                float               value,
                                                GError            **error);
gboolean        ls_network_set_kernel_weight   (LsNetwork          *self,
                                                gsize               index,
                                                gsize               filter,
                                                gsize               channel,
                                                gsize               row,
                                                gsize               column,
                                                float               value,
                                                GError            **error);
gboolean        ls_network_set_kernel          (LsNetwork          *self,
                                                gsize               index,
                                                gsize               filter,
                                                gsize               channel,
                                                const float        *values,
                                                gsize               n_values,
                                                GError            **error);
gboolean        ls_network_set_bias            (LsNetwork          *self,
                                                gsize               index,
                                                gsize               unit,
                                                float               value,
                                                GError            **error);
gboolean        ls_network_set_layer_parameters (LsNetwork         *self,
                                                gsize               index,
                                                const float        *weights,
                                                gsize               n_weights,
                                                const float        *bias,
                                                gsize               n_bias,
                                                GError            **error);

const LsShape  *ls_network_get_layer_input_shape (LsNetwork        *self,
                                                gsize               index);
gboolean        ls_network_get_input_region    (LsNetwork          *self,
                                                gsize               index,
                                                const LsRegion     *output,
                                                LsRegion           *input);

void            ls_network_freeze_changes      (LsNetwork          *self);
void            ls_network_thaw_changes        (LsNetwork          *self);

void            ls_network_forward             (LsNetwork          *self);
gboolean        ls_network_find_non_finite     (LsNetwork          *self,
                                                gsize              *index);
const float    *ls_network_get_output          (LsNetwork          *self);
gsize           ls_network_get_output_size     (LsNetwork          *self);
void            ls_network_get_parameter_count (LsNetwork          *self,
                                                LsParameterCount   *count);

G_END_DECLS
