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

void
ls_render_set_source_color (cairo_t       *cr,
                  const LsColor *color,
                  double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, alpha);
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
 * would misrepresent. The minus sign is U+2212 as in ls_format_value(). */
char *
ls_render_format_short_value (double value)
{
  double magnitude = fabs (value);
  char digits[G_ASCII_DTOSTR_BUF_SIZE];
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

  g_ascii_formatd (digits, sizeof digits, format, magnitude);
  if (magnitude >= 99999.5)
    shorten_exponent (digits);
  if (value < 0)
    return g_strconcat ("\u2212", digits, NULL);

  return g_strdup (digits);
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
  g_autofree char *full = NULL;
  char *short_form;
  double width;
  double fitting_px;

  g_return_val_if_fail (PANGO_IS_LAYOUT (text), NULL);
  g_return_val_if_fail (px > 0.0 && max_width > 0.0, NULL);

  ls_render_set_font (text, px, TRUE);
  if (isfinite (value))
    {
      full = ls_format_value (value);
      fitting_px = px * MIN (max_width / ls_render_get_text_width (text, full), 1.0);
      if (fitting_px >= MIN (px, MAX (MIN_FULL_FORM_SCALE * px, MIN_FULL_FORM_PX)))
        {
          ls_render_set_font (text, round_down_px (fitting_px, px), TRUE);
          return g_steal_pointer (&full);
        }
    }

  short_form = ls_render_format_short_value (value);
  width = ls_render_get_text_width (text, short_form);
  if (width > max_width)
    ls_render_set_font (text, round_down_px (px * max_width / width, px), TRUE);

  return short_form;
}
