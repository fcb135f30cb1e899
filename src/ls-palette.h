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

/* The high-contrast scale for projectors, which wash out pale colours.
 * Its ends are the darkest steps of ColorBrewer's 9-class sequential Blues
 * and Oranges, where white text has a contrast of at least 9:1. Its centre
 * is white, where black text has 21:1, and ls-palette.c adds a saturated
 * middle step of each scheme at half the range. */
#define LS_PALETTE_HIGH_CONTRAST_NEGATIVE_RGB 0x08306b
#define LS_PALETTE_HIGH_CONTRAST_NEUTRAL_RGB  0xffffff
#define LS_PALETTE_HIGH_CONTRAST_POSITIVE_RGB 0x7f2704

/* Text of the high-contrast style has at least this WCAG contrast ratio
 * with what it is drawn on, the AAA level of WCAG 2 for body text. */
#define LS_PALETTE_HIGH_CONTRAST_MIN_RATIO 7.0

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

/* The same scales, in the high-contrast colours when high_contrast is set. */
void   ls_palette_get_scale_color   (double         value,
                                     gboolean       high_contrast,
                                     LsColor       *color);
void   ls_palette_get_line_color    (double         weight,
                                     gboolean       dark,
                                     gboolean       high_contrast,
                                     LsColor       *color);
/* Picks pure black or white text, whichever contrasts more with the
 * background, and returns its contrast ratio. */
double ls_palette_get_strong_text_color (const LsColor *background,
                                         LsColor       *color);
/* Returns the WCAG 2 contrast ratio of two colours, from 1 to 21. */
double ls_color_get_contrast_ratio  (const LsColor *a,
                                     const LsColor *b);

G_END_DECLS
