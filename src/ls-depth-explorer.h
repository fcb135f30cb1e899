/* ls-depth-explorer.h: one 2-D task trained with 0 to 4 hidden layers side by side
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ls-samples.h"
#include "ls-training-controller.h"

G_BEGIN_DECLS

#define LS_DEPTH_EXPLORER_MAX_DEPTH 4  /* hidden layers of the deepest network */

/* What every network of the explorer shares. */
typedef struct
{
  LsPattern pattern;        /* a classification pattern, not LS_PATTERN_REGRESSION */
  double noise;             /* 0 to 1, as ls_samples_generate() takes it */
  gsize width;              /* units of each hidden layer, 1 to 64 */
  LsActivation activation;  /* of the hidden layers, while the output layer is softmax */
  double learning_rate;     /* of Adam, above 0 and at most 10 */
  guint depths;             /* bit d set: show the network with d hidden layers */
  double max_epochs;        /* a run stops there */
} LsDepthSettings;

#define LS_TYPE_DEPTH_EXPLORER (ls_depth_explorer_get_type ())

G_DECLARE_FINAL_TYPE (LsDepthExplorer, ls_depth_explorer, LS, DEPTH_EXPLORER, AdwWindow)

LsDepthExplorer      *ls_depth_explorer_new            (GtkApplication        *application);

void                  ls_depth_explorer_settings_init  (LsDepthSettings       *settings);
void                  ls_depth_explorer_get_settings   (LsDepthExplorer       *self,
                                                        LsDepthSettings       *settings);
gboolean              ls_depth_explorer_set_settings   (LsDepthExplorer       *self,
                                                        const LsDepthSettings *settings,
                                                        GError               **error);

void                  ls_depth_explorer_play           (LsDepthExplorer       *self);
void                  ls_depth_explorer_pause          (LsDepthExplorer       *self);
void                  ls_depth_explorer_reset          (LsDepthExplorer       *self);
gboolean              ls_depth_explorer_is_running     (LsDepthExplorer       *self);

LsTrainingController *ls_depth_explorer_get_controller (LsDepthExplorer       *self,
                                                        gsize                  depth);
gssize                ls_depth_explorer_get_best_depth (LsDepthExplorer       *self);

G_END_DECLS
