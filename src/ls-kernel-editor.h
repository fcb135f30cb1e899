/* ls-kernel-editor.h: the kernels and bias of one conv2d filter as grids
 * of numbers, with presets such as Sobel filters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ls-network.h"

G_BEGIN_DECLS

typedef enum
{
  LS_KERNEL_PRESET_IDENTITY,   /* 1 at the centre: copies the input */
  LS_KERNEL_PRESET_BOX_BLUR,   /* the mean of the window */
  LS_KERNEL_PRESET_SHARPEN,
  LS_KERNEL_PRESET_SOBEL_X,    /* responds to edges between left and right */
  LS_KERNEL_PRESET_SOBEL_Y,    /* responds to edges between top and bottom */
  LS_KERNEL_PRESET_LAPLACIAN,
  LS_N_KERNEL_PRESETS
} LsKernelPreset;

/* The translated name, e.g. "Sobel x". */
const char *ls_kernel_preset_get_display_name (LsKernelPreset preset);
/* Fills a [kh][kw] kernel with the preset. Identity and box blur exist
 * for every size. For an even size, identity puts its 1 above and left of
 * the middle, where "same" padding centres the window. The other presets
 * exist for 3×3 only, so other sizes return FALSE. */
gboolean    ls_kernel_preset_fill             (LsKernelPreset  preset,
                                               gsize           kh,
                                               gsize           kw,
                                               float          *values);

#define LS_TYPE_KERNEL_EDITOR (ls_kernel_editor_get_type ())

G_DECLARE_FINAL_TYPE (LsKernelEditor, ls_kernel_editor, LS, KERNEL_EDITOR, GtkWidget)

/* Creates an editor of filter `filter` of conv2d layer `layer`. */
GtkWidget  *ls_kernel_editor_new              (LsNetwork      *network,
                                               gsize           layer,
                                               gsize           filter);
/* Shows the network's current weights and bias. */
void        ls_kernel_editor_update           (LsKernelEditor *self);

G_END_DECLS
