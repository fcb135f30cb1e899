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
  LS_LAYER_DENSE,  /* y = act(x·W + b) */
  LS_N_LAYER_KINDS
} LsLayerKind;

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

  /* Dense */
  gsize units;
  float *weights;            /* [inputs][units], as in x·W */
  float *bias;               /* [units] */
  GStrv labels;              /* nullable, [units] */

  /* Forward state, written by ls_network_forward() only */
  float *pre_activation;     /* [output size] */
  float *activation_output;  /* [output size] */
} LsLayer;

const char *ls_layer_kind_get_name          (LsLayerKind     kind);
const char *ls_layer_kind_get_display_name  (LsLayerKind     kind);
gboolean    ls_layer_kind_from_name         (const char     *name,
                                             LsLayerKind    *kind);

LsLayer    *ls_layer_new_dense              (gsize           inputs,
                                             gsize           units,
                                             LsActivation    activation,
                                             const LsInit   *init);
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

void        ls_layer_forward                (LsLayer        *layer,
                                             const float    *input);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsLayer, ls_layer_free)

G_END_DECLS
