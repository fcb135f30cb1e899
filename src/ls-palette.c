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
/* The high-contrast scale's steps at ±LS_PALETTE_RANGE / 2: the sixth of
 * nine steps of ColorBrewer's Blues and Oranges. */
#define HIGH_CONTRAST_NEGATIVE_MIDDLE_RGB 0x4292c6
#define HIGH_CONTRAST_POSITIVE_MIDDLE_RGB 0xf16913
/* Weight lines of the high-contrast style on a black background: steps of
 * Blues and Oranges with a contrast of about 8:1 against black. */
#define DARK_HIGH_CONTRAST_NEGATIVE_RGB 0x6baed6
#define DARK_HIGH_CONTRAST_POSITIVE_RGB 0xfd8d3c

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

/* Returns the WCAG 2 contrast ratio (lighter + 0.05) / (darker + 0.05). */
double
ls_color_get_contrast_ratio (const LsColor *a,
                             const LsColor *b)
{
  double la, lb;

  g_return_val_if_fail (a != NULL && b != NULL, 1.0);

  la = ls_color_get_luminance (a);
  lb = ls_color_get_luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

void
ls_palette_get_value_color (double   value,
                            LsColor *color)
{
  ls_palette_get_scale_color (value, FALSE, color);
}

/* Blends linearly in sRGB from the neutral anchor at 0 to the end anchor
 * at ±LS_PALETTE_RANGE, and keeps the end colour beyond. NaN gives the
 * neutral colour. */
void
ls_palette_get_scale_color (double   value,
                            gboolean high_contrast,
                            LsColor *color)
{
  LsColor neutral;
  LsColor end;
  double t;

  g_return_if_fail (color != NULL);

  ls_color_init_rgb (&neutral, high_contrast ? LS_PALETTE_HIGH_CONTRAST_NEUTRAL_RGB : LS_PALETTE_NEUTRAL_RGB);
  if (isnan (value))
    {
      *color = neutral;
      return;
    }

  t = MIN (fabs (value) / LS_PALETTE_RANGE, 1.0);
  if (high_contrast)
    {
      /* a saturated middle step keeps half values vivid, where a blend
       * from white to the dark end would be a washed-out brown or grey */
      ls_color_init_rgb (&end, value < 0 ? HIGH_CONTRAST_NEGATIVE_MIDDLE_RGB : HIGH_CONTRAST_POSITIVE_MIDDLE_RGB);
      if (t > 0.5)
        {
          neutral = end;
          ls_color_init_rgb (&end, value < 0 ? LS_PALETTE_HIGH_CONTRAST_NEGATIVE_RGB
                                             : LS_PALETTE_HIGH_CONTRAST_POSITIVE_RGB);
        }
      t = t > 0.5 ? 2.0 * t - 1.0 : 2.0 * t;
    }
  else
    {
      ls_color_init_rgb (&end, value < 0 ? LS_PALETTE_NEGATIVE_RGB : LS_PALETTE_POSITIVE_RGB);
    }

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
  ls_palette_get_line_color (weight, dark, FALSE, color);
}

/* Like ls_palette_get_weight_color(), with the high-contrast ends of the
 * scale on a light background and brighter steps on a dark one. */
void
ls_palette_get_line_color (double   weight,
                           gboolean dark,
                           gboolean high_contrast,
                           LsColor *color)
{
  g_return_if_fail (color != NULL);

  if (high_contrast && dark)
    ls_color_init_rgb (color, weight < 0 ? DARK_HIGH_CONTRAST_NEGATIVE_RGB : DARK_HIGH_CONTRAST_POSITIVE_RGB);
  else if (high_contrast)
    ls_color_init_rgb (color, weight < 0 ? LS_PALETTE_HIGH_CONTRAST_NEGATIVE_RGB : LS_PALETTE_HIGH_CONTRAST_POSITIVE_RGB);
  else if (weight < 0)
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

double
ls_palette_get_strong_text_color (const LsColor *background,
                                  LsColor       *color)
{
  LsColor black, white;
  double black_ratio, white_ratio;

  g_return_val_if_fail (background != NULL, 1.0);
  g_return_val_if_fail (color != NULL, 1.0);

  ls_color_init_rgb (&black, 0x000000);
  ls_color_init_rgb (&white, 0xffffff);
  black_ratio = ls_color_get_contrast_ratio (background, &black);
  white_ratio = ls_color_get_contrast_ratio (background, &white);
  *color = black_ratio >= white_ratio ? black : white;

  return MAX (black_ratio, white_ratio);
}
