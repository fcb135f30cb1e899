/* ls-palette.h: the diverging colour scale for activations and weights
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The scale is fixed rather than fitted to the network, so a neuron keeps
 * its colour while other values change: 0 is neutral, +1 and above is the
 * full positive colour and −1 and below the full negative colour. */
#define LS_PALETTE_RANGE 1.0

/* An sRGB colour with components in 0..1. */
typedef struct
{
  double red;
  double green;
  double blue;
} LsColor;

/* The three anchors of the scale, from ColorBrewer's colour-blind-safe
 * diverging schemes: the dark blue end of RdBu, the light grey centre they
 * share and the dark orange end of PuOr. */
#define LS_PALETTE_NEGATIVE_RGB 0x0571b0
#define LS_PALETTE_NEUTRAL_RGB  0xf7f7f7
#define LS_PALETTE_POSITIVE_RGB 0xe66101

void   ls_color_init_rgb            (LsColor       *color,
                                     guint32        rgb);
double ls_color_get_luminance       (const LsColor *color);

void   ls_palette_get_value_color   (double         value,
                                     LsColor       *color);
void   ls_palette_get_weight_color  (double         weight,
                                     gboolean       dark,
                                     LsColor       *color);
void   ls_palette_get_text_color    (const LsColor *background,
                                     LsColor       *color);

G_END_DECLS
