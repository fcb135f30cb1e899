/* ls-render-text.c: colours, text and shapes shared by the drawing code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ls-number.h"
#include "ls-render-private.h"

/* A value keeps ls_format_value()'s form while that fits at this fraction
 * of the requested text size, and at this many pixels, or more. */
#define MIN_FULL_FORM_SCALE 0.8
#define MIN_FULL_FORM_PX 9.0
/* Text that does not fit its box shrinks in steps of this factor. */
#define TEXT_BOX_SHRINK_STEP 0.92
/* The hatching over a value that is not a number: lines this many line
 * units apart, in a darker grey than LS_RENDER_NOT_A_NUMBER_RGB. */
#define HATCH_SPACING 5.0
#define HATCH_RGB 0x6b6b6b

/* Shortens the positive exponent of "%e" output in place: "1.2e+05"
 * becomes "1.2e5". */
static void
shorten_exponent (char *digits)
{
  char *exponent = strchr (digits, 'e');
  char *from;

  if (exponent == NULL)
    return;

  exponent++;
  from = exponent;
  if (*from == '+')
    from++;
  while (*from == '0' && from[1] != '\0')
    from++;
  memmove (exponent, from, strlen (from) + 1);
}

/* Returns the body text size in pixels: style->font_px when set, else
 * height / 46 within 13 to 26 pixels, so that a 1920 × 1080 page gets
 * about 23-pixel text for a projector. font_scale multiplies either. */
double
ls_render_get_font_px (double               height,
                       const LsRenderStyle *style)
{
  double font_scale = style != NULL ? style->font_scale : 1.0;
  double font_px = style != NULL ? style->font_px : 0.0;

  if (!(font_scale > 0.0))
    font_scale = 1.0;
  font_scale = CLAMP (font_scale, 0.25, 8.0);

  if (!(font_px > 0.0))
    font_px = CLAMP (height / 46.0, 13.0, 26.0);

  if (style != NULL && style->presenter)
    return MAX (MIN (font_px, 200.0) * font_scale, LS_RENDER_PRESENTER_FONT_PX);

  return MIN (font_px, 200.0) * font_scale;
}

void
ls_render_set_font (PangoLayout *layout,
                    double       px,
                    gboolean     bold)
{
  PangoFontDescription *font;

  g_return_if_fail (PANGO_IS_LAYOUT (layout));

  font = pango_font_description_from_string (LS_RENDER_FONT_FAMILY);
  pango_font_description_set_absolute_size (font, MAX (px, 1.0) * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
}

/* Creates a layout for measuring text where no cairo_t is at hand. */
PangoLayout *
ls_render_create_measure_layout (void)
{
  PangoContext *context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  PangoLayout *layout = pango_layout_new (context);

  g_object_unref (context);

  return layout;
}

/* Formats a count with the thousands separator of the user's locale,
 * e.g. "7,840" in English and "7840" in the C locale, which has none. */
char *
ls_render_format_count (gsize count)
{
  return g_strdup_printf ("%'" G_GSIZE_FORMAT, count);
}

const LsRenderStyle *
ls_render_get_default_style (void)
{
  static const LsRenderStyle default_style = LS_RENDER_STYLE_INIT;

  return &default_style;
}



void
ls_render_get_theme (gboolean  dark,
           LsRenderTheme    *theme)
{
  ls_color_init_rgb (&theme->background, dark ? 0x242424 : 0xffffff);
  ls_color_init_rgb (&theme->foreground, dark ? 0xf2f2f2 : 0x1a1a1a);
  ls_color_init_rgb (&theme->secondary, dark ? 0xb8b8b8 : 0x555555);
  ls_color_init_rgb (&theme->outline, dark ? 0xd0d0d0 : 0x4d4d4d);
  ls_color_init_rgb (&theme->track, dark ? 0x3a3a3a : 0xe8e8e8);
}

/* Sets the theme of a style: ls_render_get_theme(), or for high contrast
 * pure black on white (white on black when dark), with near-black
 * captions and grey only for the empty part of a bar. */
void
ls_render_get_style_theme (const LsRenderStyle *style,
                           LsRenderTheme       *theme)
{
  gboolean dark = style != NULL && style->dark;

  if (style == NULL || !style->high_contrast)
    {
      ls_render_get_theme (dark, theme);
      return;
    }

  ls_color_init_rgb (&theme->background, dark ? 0x000000 : 0xffffff);
  ls_color_init_rgb (&theme->foreground, dark ? 0xffffff : 0x000000);
  ls_color_init_rgb (&theme->secondary, dark ? 0xe6e6e6 : 0x262626);
  ls_color_init_rgb (&theme->outline, dark ? 0xffffff : 0x000000);
  ls_color_init_rgb (&theme->track, dark ? 0x404040 : 0xd9d9d9);
}

void
ls_render_set_source_color (cairo_t       *cr,
                  const LsColor *color,
                  double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, alpha);
}

/* Returns the width of the widest word of string, the text between
 * spaces, at the font of text. */
double
ls_render_get_widest_word_width (PangoLayout *text,
                                 const char  *string)
{
  g_auto(GStrv) words = g_strsplit (string, " ", -1);
  double widest = 0.0;

  for (gsize i = 0; words[i] != NULL; i++)
    widest = MAX (widest, ls_render_get_text_width (text, words[i]));

  return widest;
}

/* Returns whether string, at the font of text, wraps at spaces into at
 * most max_lines lines of max_width without a word wider than that. */
static gboolean
does_text_wrap_into (PangoLayout *text,
                     const char  *string,
                     double       max_width,
                     int          max_lines)
{
  gboolean fits;

  if (ls_render_get_widest_word_width (text, string) > max_width)
    return FALSE;

  pango_layout_set_width (text, (int) (max_width * PANGO_SCALE));
  pango_layout_set_wrap (text, PANGO_WRAP_WORD);
  pango_layout_set_text (text, string, -1);
  fits = pango_layout_get_line_count (text) <= max_lines;
  pango_layout_set_width (text, -1);

  return fits;
}

/* Sets the font and text of text to show string in at most max_lines
 * lines of max_width, centred. Lines wrap between words, never inside one
 * and never with a hyphen, at the largest size from px down to min_px at
 * which the string fits so. Where it does not fit even at min_px, the
 * last line ends in "…", and where a word is wider than max_width, the
 * string is one line cut to the width with "…".
 * ls_render_reset_text_box() undoes the settings except the font. */
void
ls_render_fit_text_box (PangoLayout *text,
                        const char  *string,
                        double       px,
                        double       min_px,
                        gboolean     bold,
                        double       max_width,
                        int          max_lines)
{
  double size = px;
  gboolean word_too_wide;

  g_return_if_fail (PANGO_IS_LAYOUT (text));
  g_return_if_fail (string != NULL);

  max_width = MAX (max_width, 1.0);
  min_px = MIN (min_px, px);
  for (;;)
    {
      ls_render_set_font (text, size, bold);
      if (does_text_wrap_into (text, string, max_width, max_lines) || size <= min_px)
        break;
      size = MAX (TEXT_BOX_SHRINK_STEP * size, min_px);
    }

  /* Pango 1.50 lets a word wider than the layout overflow its line,
   * unless the line is the last one, which it ellipsizes. Lines that wrap
   * at spaces only, as PANGO_WRAP_WORD does for words that fit, get no
   * hyphen either. */
  word_too_wide = ls_render_get_widest_word_width (text, string) > max_width;

  pango_layout_set_width (text, (int) (max_width * PANGO_SCALE));
  pango_layout_set_height (text, word_too_wide ? -1 : -MAX (max_lines, 1));
  pango_layout_set_wrap (text, PANGO_WRAP_WORD);
  pango_layout_set_alignment (text, PANGO_ALIGN_CENTER);
  pango_layout_set_ellipsize (text, PANGO_ELLIPSIZE_END);
  pango_layout_set_text (text, string, -1);
}

/* Restores the settings that ls_render_fit_text_box() changed, except
 * the font. */
void
ls_render_reset_text_box (PangoLayout *text)
{
  g_return_if_fail (PANGO_IS_LAYOUT (text));

  pango_layout_set_width (text, -1);
  pango_layout_set_height (text, -1);
  pango_layout_set_wrap (text, PANGO_WRAP_WORD);
  pango_layout_set_alignment (text, PANGO_ALIGN_LEFT);
  pango_layout_set_ellipsize (text, PANGO_ELLIPSIZE_NONE);
}

/* Shows text with its logical box aligned to (x, y). An x_align of 0 puts
 * the left edge at x, 0.5 the centre and 1 the right edge, and y_align
 * does the same vertically. */
void
ls_render_show_text (cairo_t     *cr,
           PangoLayout *text,
           const char  *string,
           double       x,
           double       y,
           double       x_align,
           double       y_align)
{
  int width;
  int height;

  pango_layout_set_text (text, string, -1);
  pango_layout_get_pixel_size (text, &width, &height);
  cairo_move_to (cr, x - x_align * width, y - y_align * height);
  pango_cairo_show_layout (cr, text);
}

double
ls_render_get_text_width (PangoLayout *text,
                const char  *string)
{
  int width;

  pango_layout_set_text (text, string, -1);
  pango_layout_get_pixel_size (text, &width, NULL);

  return width;
}

void
ls_render_add_rounded_rectangle (cairo_t *cr,
                       double   x,
                       double   y,
                       double   width,
                       double   height,
                       double   radius)
{
  radius = MIN (radius, MIN (width, height) / 2.0);

  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2.0, 0.0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0.0, G_PI / 2.0);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2.0, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 1.5 * G_PI);
  cairo_close_path (cr);
}

void
ls_render_fill_not_a_number (cairo_t *cr,
                             double   line_unit)
{
  double spacing = MAX (HATCH_SPACING * line_unit, 3.0);
  double x0, y0, x1, y1;
  LsColor color;

  g_return_if_fail (cr != NULL);

  cairo_save (cr);
  cairo_clip_preserve (cr);
  ls_color_init_rgb (&color, LS_RENDER_NOT_A_NUMBER_RGB);
  ls_render_set_source_color (cr, &color, 1.0);
  cairo_fill (cr);

  /* lines at 45° across the clipped area, from lower left to upper right */
  cairo_clip_extents (cr, &x0, &y0, &x1, &y1);
  for (double x = x0 - (y1 - y0); x < x1; x += spacing)
    {
      cairo_move_to (cr, x, y1);
      cairo_line_to (cr, x + (y1 - y0), y0);
    }
  ls_color_init_rgb (&color, HATCH_RGB);
  ls_render_set_source_color (cr, &color, 1.0);
  cairo_set_dash (cr, NULL, 0, 0.0);
  cairo_set_line_width (cr, MAX (line_unit, 1.0));
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* Shows text centred on (x, y) over a rounded box in the background
 * colour, so that lines behind it do not cross the glyphs. */
void
ls_render_show_text_on_box (cairo_t       *cr,
                  PangoLayout   *text,
                  const char    *string,
                  double         x,
                  double         y,
                  const LsRenderTheme   *theme,
                  const LsColor *border,
                  double         line_width)
{
  int width;
  int height;
  double pad;

  pango_layout_set_text (text, string, -1);
  pango_layout_get_pixel_size (text, &width, &height);
  pad = 0.3 * height;

  ls_render_add_rounded_rectangle (cr, x - width / 2.0 - pad, y - height / 2.0 - pad / 2.0,
                         width + 2.0 * pad, height + pad, height / 2.0);
  ls_render_set_source_color (cr, &theme->background, 0.92);
  if (border != NULL)
    {
      cairo_fill_preserve (cr);
      ls_render_set_source_color (cr, border, 1.0);
      cairo_set_line_width (cr, line_width);
      cairo_stroke (cr);
    }
  else
    {
      cairo_fill (cr);
    }

  ls_render_set_source_color (cr, &theme->foreground, 1.0);
  ls_render_show_text (cr, text, string, x, y, 0.5, 0.5);
}

/* Formats a number in at most five characters and a sign, for a neuron
 * too small for ls_format_value()'s form: "0.62", "12.3", "1235",
 * "1.2e5", and "≈0" for a magnitude below 0.005, which "0.00" or "−0.00"
 * would misrepresent. The minus sign is U+2212 and the decimal separator
 * the locale's, as in ls_format_value(). */
char *
ls_render_format_short_value (double value)
{
  double magnitude = fabs (value);
  g_autofree char *digits = NULL;
  const char *format = "%.2f";

  if (isnan (value))
    return g_strdup ("NaN");
  if (isinf (value))
    return g_strdup (value > 0 ? "∞" : "\u2212∞");
  if (magnitude > 0.0 && magnitude < 0.005)
    return g_strdup ("≈0");

  if (magnitude >= 99999.5)
    format = "%.1e";
  else if (magnitude >= 99.995)
    format = "%.0f";
  else if (magnitude >= 9.995)
    format = "%.1f";

  digits = ls_format_decimal (format, magnitude);
  if (magnitude >= 99999.5)
    shorten_exponent (digits);
  if (value < 0)
    return g_strconcat ("\u2212", digits, NULL);

  return g_steal_pointer (&digits);
}

/* Rounds a text size below px down to half pixels, so that the numbers
 * of many neurons share a few sizes, whose glyphs Cairo renders once and
 * caches, instead of one size each. */
static double
round_down_px (double fitting_px,
               double px)
{
  if (fitting_px >= px)
    return px;

  return MAX (floor (2.0 * fitting_px) / 2.0, 1.0);
}

/* Returns the largest size up to px at which text shows string within
 * max_width, with the font of text at px. */
static double
get_fitting_px (PangoLayout *text,
                const char  *string,
                double       px,
                double       max_width)
{
  return px * MIN (max_width / MAX (ls_render_get_text_width (text, string), 1.0), 1.0);
}

/* Returns whether value fits max_width in ls_format_value()'s form at
 * MIN_FULL_FORM_SCALE of px and MIN_FULL_FORM_PX, or more. NaN and
 * infinities have only the short form. */
gboolean
ls_render_fits_full_value (PangoLayout *text,
                           double       value,
                           double       px,
                           double       max_width)
{
  g_autofree char *full = NULL;

  g_return_val_if_fail (PANGO_IS_LAYOUT (text), FALSE);
  g_return_val_if_fail (px > 0.0 && max_width > 0.0, FALSE);

  if (!isfinite (value))
    return FALSE;

  full = ls_format_value (value);
  ls_render_set_font (text, px, TRUE);

  return get_fitting_px (text, full, px, max_width) >= MIN (px, MAX (MIN_FULL_FORM_SCALE * px, MIN_FULL_FORM_PX));
}

/* Returns the text that shows value inside max_width, and sets the font
 * of text to the size it needs, px or smaller. With full_form, and where
 * the value is finite, that is ls_format_value()'s form, else the short
 * form of ls_render_format_short_value(). */
char *
ls_render_fit_value_in_form (PangoLayout *text,
                             double       value,
                             double       px,
                             double       max_width,
                             gboolean     full_form)
{
  char *formatted;

  g_return_val_if_fail (PANGO_IS_LAYOUT (text), NULL);
  g_return_val_if_fail (px > 0.0 && max_width > 0.0, NULL);

  if (full_form && isfinite (value))
    formatted = ls_format_value (value);
  else
    formatted = ls_render_format_short_value (value);

  ls_render_set_font (text, px, TRUE);
  ls_render_set_font (text, round_down_px (get_fitting_px (text, formatted, px, max_width), px), TRUE);

  return formatted;
}

/* Returns the text that shows value inside max_width, and sets the font of
 * text to the size it needs. That is ls_format_value()'s form at px, or
 * shrunk to at least MIN_FULL_FORM_SCALE of px and MIN_FULL_FORM_PX. A
 * value too wide for that gets the short form of
 * ls_render_format_short_value(), shrunk as far as it has to be. */
char *
ls_render_fit_value (PangoLayout *text,
                     double       value,
                     double       px,
                     double       max_width)
{
  g_return_val_if_fail (PANGO_IS_LAYOUT (text), NULL);
  g_return_val_if_fail (px > 0.0 && max_width > 0.0, NULL);

  return ls_render_fit_value_in_form (text, value, px, max_width,
                                      ls_render_fits_full_value (text, value, px, max_width));
}
