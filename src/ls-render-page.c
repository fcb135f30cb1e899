/* ls-render-page.c: whole pages of diagram and bars, and image files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-render"

#include "config.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ls-diagram-layout-private.h"
#include "ls-error.h"
#include "ls-render-private.h"

/* The bars of a page shrink their text down to this size, in pixels or
 * points, so that every output's bar fits. */
#define PAGE_MIN_BARS_FONT_PX 4.0

/* Returns the height of the title band on top of a page, 0 without a title. */
static double
get_page_title_height (LsNetwork           *network,
                       double               height,
                       const LsRenderStyle *style)
{
  const char *title = ls_network_get_title (network);

  if (title == NULL || title[0] == '\0')
    return 0.0;

  /* whole pixels, so that the diagram under it keeps tiles pixel-exact */
  return round (2.4 * ls_render_get_font_px (height, style));
}

void
ls_render_get_page_areas (LsNetwork           *network,
                          double               width,
                          double               height,
                          const LsRenderStyle *style,
                          cairo_rectangle_t   *diagram,
                          cairo_rectangle_t   *bars)
{
  double top;
  double bars_width;

  g_return_if_fail (LS_IS_NETWORK (network));
  g_return_if_fail (diagram != NULL);
  g_return_if_fail (bars != NULL);

  top = get_page_title_height (network, height, style);
  bars_width = MIN (17.0 * ls_render_get_font_px (height - top, style), 0.4 * width);
  if (ls_network_get_n_layers (network) == 0)
    bars_width = 0.0;

  *diagram = (cairo_rectangle_t) { 0.0, top, width - bars_width, MAX (height - top, 1.0) };
  *bars = (cairo_rectangle_t) { width - bars_width, top, bars_width, MAX (height - top, 1.0) };
}

static void
draw_page_title (cairo_t             *cr,
                 LsNetwork           *network,
                 double               width,
                 double               height,
                 const LsRenderStyle *style,
                 const LsRenderTheme         *theme)
{
  g_autoptr(PangoLayout) text = pango_cairo_create_layout (cr);
  double font_px = ls_render_get_font_px (height, style);
  const char *title = ls_network_get_title (network);

  if (title == NULL || title[0] == '\0')
    return;

  ls_render_set_font (text, 1.4 * font_px, TRUE);
  pango_layout_set_width (text, (int) (MAX (width - 1.2 * font_px, 1.0) * PANGO_SCALE));
  pango_layout_set_ellipsize (text, PANGO_ELLIPSIZE_END);
  ls_render_set_source_color (cr, &theme->foreground, 1.0);
  ls_render_show_text (cr, text, title, 0.6 * font_px, 0.5 * font_px, 0.0, 0.0);
}

/* Sets bars_style to the style of a page's bars: style with the text
 * size that fits every output's bar into bars, which shrinks from the
 * page's body size as far as needed, down to PAGE_MIN_BARS_FONT_PX.
 * A page, unlike the window's bars, has no room to scroll to, and a bar
 * left out would hide an output. Below the presenter style's size, its
 * thick lines stay and its minimum text size goes. */
void
ls_render_get_page_bars_style (LsNetwork               *network,
                               const cairo_rectangle_t *bars,
                               const LsRenderStyle     *style,
                               LsRenderStyle           *bars_style)
{
  gsize n_outputs;

  g_return_if_fail (LS_IS_NETWORK (network));
  g_return_if_fail (bars != NULL && bars_style != NULL);

  if (style == NULL)
    style = ls_render_get_default_style ();

  *bars_style = *style;
  bars_style->font_px = ls_render_get_font_px (bars->height, style);
  bars_style->font_scale = 1.0;
  if (ls_network_get_n_layers (network) == 0 || bars->width <= 0.0)
    return;

  n_outputs = ls_network_get_output_size (network);
  while (bars_style->font_px > PAGE_MIN_BARS_FONT_PX &&
         ls_render_bars_get_height (network, bars->width, n_outputs, bars_style) > bars->height)
    {
      bars_style->font_px = MAX (0.95 * bars_style->font_px, PAGE_MIN_BARS_FONT_PX);
      bars_style->presenter = FALSE;
    }
}

/* Saves the state, clips to area and moves the origin to its corner. The
 * caller restores the state when it has drawn the area. */
static void
begin_area (cairo_t                 *cr,
            const cairo_rectangle_t *area)
{
  cairo_save (cr);
  cairo_rectangle (cr, area->x, area->y, area->width, area->height);
  cairo_clip (cr);
  cairo_translate (cr, area->x, area->y);
}

void
ls_render_page (cairo_t             *cr,
                LsNetwork           *network,
                double               width,
                double               height,
                const LsRenderStyle *style)
{
  g_autoptr(LsDiagramLayout) layout = NULL;
  cairo_rectangle_t diagram, bars;
  LsRenderStyle bars_style;
  LsRenderTheme theme;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (LS_IS_NETWORK (network));
  g_return_if_fail (width > 0 && height > 0);

  if (style == NULL)
    style = ls_render_get_default_style ();

  ls_render_get_style_theme (style, &theme);
  ls_render_get_page_areas (network, width, height, style, &diagram, &bars);

  cairo_save (cr);
  ls_render_set_source_color (cr, &theme.background, 1.0);
  cairo_paint (cr);
  draw_page_title (cr, network, width, height, style, &theme);

  layout = ls_diagram_layout_new (network, diagram.width, diagram.height, style);
  begin_area (cr, &diagram);
  ls_render_diagram_page (cr, network, layout, style);
  cairo_restore (cr);

  if (bars.width > 0)
    {
      /* a hairline between the diagram and the bars */
      ls_render_set_source_color (cr, &theme.track, 1.0);
      cairo_rectangle (cr, bars.x, bars.y, MAX (1.0, ls_render_get_font_px (bars.height, style) / 18.0), bars.height);
      cairo_fill (cr);

      ls_render_get_page_bars_style (network, &bars, style, &bars_style);
      begin_area (cr, &bars);
      ls_render_bars (cr, network, bars.width, bars.height, &bars_style);
      cairo_restore (cr);
    }
  cairo_restore (cr);
}

typedef enum
{
  FILE_TYPE_PNG,
  FILE_TYPE_SVG,
  FILE_TYPE_PDF,
} FileType;

/* Reads the file type from the extension of path, case-insensitively. */
static gboolean
get_file_type (const char  *path,
               FileType    *type,
               GError     **error)
{
  g_autofree char *basename = g_path_get_basename (path);
  const char *dot = strrchr (basename, '.');

  /* ".png" alone is a hidden file's name, not an extension */
  if (dot == basename)
    dot = NULL;

  if (dot != NULL && g_ascii_strcasecmp (dot, ".png") == 0)
    *type = FILE_TYPE_PNG;
  else if (dot != NULL && g_ascii_strcasecmp (dot, ".svg") == 0)
    *type = FILE_TYPE_SVG;
  else if (dot != NULL && g_ascii_strcasecmp (dot, ".pdf") == 0)
    *type = FILE_TYPE_PDF;
  else
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("Cannot render to “%s”: unknown file type; use a name that ends in .png, .svg or .pdf"),
                   path);
      return FALSE;
    }

  return TRUE;
}

static cairo_status_t
append_to_byte_array (void                *closure,
                      const unsigned char *data,
                      unsigned int         length)
{
  g_byte_array_append (closure, data, length);

  return CAIRO_STATUS_SUCCESS;
}

/* Creates a surface that draws a page of the given type into bytes. */
static cairo_surface_t *
create_page_surface (FileType    type,
                     int         width,
                     int         height,
                     GByteArray *bytes)
{
  cairo_surface_t *surface;

  switch (type)
    {
    case FILE_TYPE_SVG:
      surface = cairo_svg_surface_create_for_stream (append_to_byte_array, bytes, width, height);
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
      return surface;

    case FILE_TYPE_PDF:
      return cairo_pdf_surface_create_for_stream (append_to_byte_array, bytes, width, height);

    case FILE_TYPE_PNG:
    default:
      return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
    }
}

/* Renders a page, enlarged scale times, and returns the encoded file, or
 * NULL with error set. */
static GBytes *
render_page_bytes (LsNetwork           *network,
                   FileType             type,
                   int                  width,
                   int                  height,
                   double               scale,
                   const LsRenderStyle *style,
                   const char          *path,
                   GError             **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface = create_page_surface (type, width, height, bytes);
  cairo_status_t status = cairo_surface_status (surface);

  if (status == CAIRO_STATUS_SUCCESS)
    {
      cairo_t *cr = cairo_create (surface);

      cairo_scale (cr, scale, scale);
      ls_render_page (cr, network, width / scale, height / scale, style);
      status = cairo_status (cr);
      cairo_destroy (cr);
    }

  if (status == CAIRO_STATUS_SUCCESS && type == FILE_TYPE_PNG)
    status = cairo_surface_write_to_png_stream (surface, append_to_byte_array, bytes);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("Rendering “%s” at %d × %d failed: %s"),
                   path, width, height, cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

/* Checks that the page of width × height, enlarged scale times, is one
 * that ls_render_to_file_scaled() draws in full. */
static gboolean
check_page_size (const char  *path,
                 int          width,
                 int          height,
                 double       scale,
                 GError     **error)
{
  /* a whole number of pixels may fall short of the page by less than one */
  double page_width = (width + 0.5) / scale;
  double page_height = (height + 0.5) / scale;

  if (!(scale >= 1.0 && scale <= LS_RENDER_MAX_PAGE_SCALE))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("Cannot render “%s” at scale %g: the scale must be from 1 to %g"),
                   path, scale, LS_RENDER_MAX_PAGE_SCALE);
      return FALSE;
    }
  if (width > LS_RENDER_MAX_PAGE_SIDE || height > LS_RENDER_MAX_PAGE_SIDE ||
      page_width < LS_RENDER_MIN_PAGE_WIDTH || page_height < LS_RENDER_MIN_PAGE_HEIGHT)
    {
      if (scale == 1.0)
        g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                     _("Cannot render “%s” at %d × %d: the width must be from %d to %d and the height "
                       "from %d to %d"),
                     path, width, height, LS_RENDER_MIN_PAGE_WIDTH, LS_RENDER_MAX_PAGE_SIDE,
                     LS_RENDER_MIN_PAGE_HEIGHT, LS_RENDER_MAX_PAGE_SIDE);
      else
        g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                     _("Cannot render “%s” at %d × %d and scale %g: the width must be from %g to %d "
                       "and the height from %g to %d"),
                     path, width, height, scale, ceil (LS_RENDER_MIN_PAGE_WIDTH * scale),
                     LS_RENDER_MAX_PAGE_SIDE, ceil (LS_RENDER_MIN_PAGE_HEIGHT * scale),
                     LS_RENDER_MAX_PAGE_SIDE);
      return FALSE;
    }

  return TRUE;
}

gboolean
ls_render_to_file_scaled (LsNetwork           *network,
                          const char          *path,
                          int                  width,
                          int                  height,
                          double               scale,
                          const LsRenderStyle *style,
                          GError             **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  FileType type;

  g_return_val_if_fail (LS_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!get_file_type (path, &type, error))
    return FALSE;
  /* vector files have no pixels to enlarge */
  if (type != FILE_TYPE_PNG && scale >= 1.0 && scale <= LS_RENDER_MAX_PAGE_SCALE)
    scale = 1.0;
  if (!check_page_size (path, width, height, scale, error))
    return FALSE;

  bytes = render_page_bytes (network, type, width, height, scale, style, path, error);
  if (bytes == NULL)
    return FALSE;

  file = g_file_new_for_path (path);
  return g_file_replace_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                  NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, error);
}

gboolean
ls_render_to_file (LsNetwork           *network,
                   const char          *path,
                   int                  width,
                   int                  height,
                   const LsRenderStyle *style,
                   GError             **error)
{
  return ls_render_to_file_scaled (network, path, width, height, 1.0, style, error);
}
