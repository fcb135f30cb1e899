/* ls-palette.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-render"

#include "config.h"

#include <math.h>

#include "ls-palette.h"

/* Lighter steps of the same two schemes (RdBu and PuOr), for weight lines
 * on a dark background where the dark ends would lack contrast. */
#define DARK_NEGATIVE_WEIGHT_RGB 0x92c5de
#define DARK_POSITIVE_WEIGHT_RGB 0xfdb863

void
ls_color_init_rgb (LsColor *color,
                   guint32  rgb)
{
  g_return_if_fail (color != NULL);

  color->red = ((rgb >> 16) & 0xff) / 255.0;
  color->green = ((rgb >> 8) & 0xff) / 255.0;
  color->blue = (rgb & 0xff) / 255.0;
}

static double
linearize_component (double component)
{
  if (component <= 0.04045)
    return component / 12.92;

  return pow ((component + 0.055) / 1.055, 2.4);
}

/* Returns the relative luminance as WCAG 2 defines it: 0 for black, 1 for white. */
double
ls_color_get_luminance (const LsColor *color)
{
  g_return_val_if_fail (color != NULL, 0.0);

  return 0.2126 * linearize_component (color->red) +
         0.7152 * linearize_component (color->green) +
         0.0722 * linearize_component (color->blue);
}

/* Blends linearly in sRGB from the neutral anchor at 0 to the end anchor
 * at ±LS_PALETTE_RANGE, and keeps the end colour beyond. NaN gives the
 * neutral colour. */
void
ls_palette_get_value_color (double   value,
                            LsColor *color)
{
  LsColor neutral;
  LsColor end;
  double t;

  g_return_if_fail (color != NULL);

  ls_color_init_rgb (&neutral, LS_PALETTE_NEUTRAL_RGB);
  if (isnan (value))
    {
      *color = neutral;
      return;
    }

  ls_color_init_rgb (&end, value < 0 ? LS_PALETTE_NEGATIVE_RGB : LS_PALETTE_POSITIVE_RGB);
  t = MIN (fabs (value) / LS_PALETTE_RANGE, 1.0);

  color->red = neutral.red + t * (end.red - neutral.red);
  color->green = neutral.green + t * (end.green - neutral.green);
  color->blue = neutral.blue + t * (end.blue - neutral.blue);
}

/* Sets the line colour for a weight: only its sign picks the colour,
 * because the line width shows the magnitude. */
void
ls_palette_get_weight_color (double   weight,
                             gboolean dark,
                             LsColor *color)
{
  g_return_if_fail (color != NULL);

  if (weight < 0)
    ls_color_init_rgb (color, dark ? DARK_NEGATIVE_WEIGHT_RGB : LS_PALETTE_NEGATIVE_RGB);
  else
    ls_color_init_rgb (color, dark ? DARK_POSITIVE_WEIGHT_RGB : LS_PALETTE_POSITIVE_RGB);
}

/* Picks near-black or white text, whichever contrasts more with the
 * background. */
void
ls_palette_get_text_color (const LsColor *background,
                           LsColor       *color)
{
  double luminance;
  double black_contrast;
  double white_contrast;

  g_return_if_fail (background != NULL);
  g_return_if_fail (color != NULL);

  /* WCAG contrast ratios against #1a1a1a (luminance about 0.010) and white */
  luminance = ls_color_get_luminance (background);
  black_contrast = (luminance + 0.05) / (0.010 + 0.05);
  white_contrast = (1.0 + 0.05) / (luminance + 0.05);

  ls_color_init_rgb (color, black_contrast >= white_contrast ? 0x1a1a1a : 0xffffff);
}
