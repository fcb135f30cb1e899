/* ls-image-canvas.h: the network's image input, drawn large and painted
 * with a soft brush
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ls-network.h"

G_BEGIN_DECLS

#define LS_TYPE_IMAGE_CANVAS (ls_image_canvas_get_type ())

G_DECLARE_FINAL_TYPE (LsImageCanvas, ls_image_canvas, LS, IMAGE_CANVAS, GtkWidget)

typedef enum
{
  LS_BRUSH_PAINT,  /* moves values toward 1 */
  LS_BRUSH_ERASE,  /* moves values toward 0 */
} LsBrushMode;

GtkWidget   *ls_image_canvas_new            (void);
/* The network whose rank-3 input the canvas shows and edits. */
void         ls_image_canvas_set_network    (LsImageCanvas *self,
                                             LsNetwork     *network);
LsBrushMode  ls_image_canvas_get_mode       (LsImageCanvas *self);
void         ls_image_canvas_set_mode       (LsImageCanvas *self,
                                             LsBrushMode    mode);
/* The brush radius in image pixels. */
double       ls_image_canvas_get_radius     (LsImageCanvas *self);
void         ls_image_canvas_set_radius     (LsImageCanvas *self,
                                             double         radius);

/* A stroke in widget coordinates, as the drag and stylus gestures send
 * it. pressure is from 0 to 1, and 1 for a mouse or a finger. Each call
 * edits the whole input with one ls_network_set_input(). */
void         ls_image_canvas_begin_stroke   (LsImageCanvas *self,
                                             LsBrushMode    mode,
                                             double         x,
                                             double         y,
                                             double         pressure);
void         ls_image_canvas_continue_stroke (LsImageCanvas *self,
                                              double         x,
                                              double         y,
                                              double         pressure);
void         ls_image_canvas_end_stroke     (LsImageCanvas *self);

/* Sets every input value to 0. */
void         ls_image_canvas_clear          (LsImageCanvas *self);
/* Replaces every input value v with 1 − v. */
void         ls_image_canvas_invert         (LsImageCanvas *self);

G_END_DECLS
