/* ls-image.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-image"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>

#include "ls-error.h"
#include "ls-image.h"

/* Bytes passed to the decoder at a time. */
#define READ_CHUNK_SIZE 65536

/* The image size that the decoder reported before allocating the pixels. */
typedef struct
{
  int width;
  int height;
  guint64 decoded;  /* pixels the decoder has reported as done, with repeats */

  /* JPEG markers seen in the bytes so far: whether an end of image (FF D9)
   * followed the last start of scan (FF DA), and the byte before. */
  gboolean ended_after_scan;
  guint8 previous_byte;
} ImageSize;

/* Follows the JPEG markers in one chunk of the file. Scan data escapes
 * every FF byte as FF 00, so FF DA and FF D9 occur only as markers. */
static void
scan_jpeg_markers (ImageSize    *size,
                   const guint8 *bytes,
                   gsize         n)
{
  for (gsize i = 0; i < n; i++)
    {
      if (size->previous_byte == 0xff && bytes[i] == 0xda)
        size->ended_after_scan = FALSE;
      else if (size->previous_byte == 0xff && bytes[i] == 0xd9)
        size->ended_after_scan = TRUE;
      size->previous_byte = bytes[i];
    }
}

/* Counts the pixels that the decoder reports as decoded. Interlaced PNG
 * and progressive JPEG report each pixel more than once, so a complete
 * image reaches at least width × height, and a truncated one does not. */
static void
area_updated_cb (GdkPixbufLoader *loader,
                 int              x,
                 int              y,
                 int              width,
                 int              height,
                 gpointer         user_data)
{
  ImageSize *size = user_data;

  size->decoded += (guint64) width * (guint64) height;
}

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  ImageSize *size = user_data;

  size->width = width;
  size->height = height;

  /* A size of 0 makes the PNG and JPEG decoders stop with an error before
   * they allocate the image, which for a small file that declares a huge
   * size would take gigabytes. check_size() then reports the real size. */
  if ((guint64) width * (guint64) height > LS_IMAGE_MAX_PIXELS)
    gdk_pixbuf_loader_set_size (loader, 0, 0);
}

static gboolean
is_supported_format (GdkPixbufFormat *format)
{
  g_autofree char *name = gdk_pixbuf_format_get_name (format);

  return g_str_equal (name, "png") || g_str_equal (name, "jpeg");
}

static gboolean
is_jpeg (GdkPixbufLoader *loader)
{
  GdkPixbufFormat *format = gdk_pixbuf_loader_get_format (loader);
  g_autofree char *name = format != NULL ? gdk_pixbuf_format_get_name (format) : NULL;

  return g_strcmp0 (name, "jpeg") == 0;
}

/* Rejects a format other than PNG and JPEG, which GdkPixbuf may be able
 * to read on one system and not on another, as soon as the decoder has
 * recognised it. */
static gboolean
check_format (GdkPixbufLoader  *loader,
              GError          **error)
{
  GdkPixbufFormat *format = gdk_pixbuf_loader_get_format (loader);
  g_autofree char *description = NULL;

  if (format == NULL || is_supported_format (format))
    return TRUE;

  description = gdk_pixbuf_format_get_description (format);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               _("this is a %s image, which Layerscope does not read; convert it to a PNG or JPEG file"),
               description);
  return FALSE;
}

/* Rejects an image over LS_IMAGE_MAX_PIXELS as soon as the decoder has
 * reported its size, before it decodes the pixels. */
static gboolean
check_size (const ImageSize  *size,
            GError          **error)
{
  guint64 pixels = (guint64) size->width * (guint64) size->height;

  if (pixels <= LS_IMAGE_MAX_PIXELS)
    return TRUE;

  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
               _("the image is %d × %d pixels, over the maximum of %u pixels; "
                 "scale it down in an image editor first"),
               size->width, size->height, LS_IMAGE_MAX_PIXELS);
  return FALSE;
}

/* Turns a decoder error into G_IO_ERROR_NOT_SUPPORTED for a file of an
 * unknown type and G_IO_ERROR_INVALID_DATA for any other failure. */
static void
set_decode_error (GError **error,
                  GError  *decode_error)
{
  if (g_error_matches (decode_error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                         _("cannot read this image; use a PNG or JPEG file"));
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _("cannot read this image (%s); the file may be damaged, so export it "
                   "again as a PNG or JPEG file"),
                 decode_error->message);
}

/* Feeds the stream to loader chunk by chunk, checking the format and the
 * size as soon as the decoder reports them. Leaves the loader open. */
static gboolean
feed_loader (GdkPixbufLoader  *loader,
             GInputStream     *stream,
             ImageSize        *size,
             GError          **error)
{
  g_autofree guint8 *buffer = g_malloc (READ_CHUNK_SIZE);

  for (;;)
    {
      g_autoptr(GError) decode_error = NULL;
      gssize n_read = g_input_stream_read (stream, buffer, READ_CHUNK_SIZE, NULL, error);

      if (n_read < 0)
        return FALSE;
      if (n_read == 0)
        return TRUE;

      scan_jpeg_markers (size, buffer, n_read);
      if (!gdk_pixbuf_loader_write (loader, buffer, n_read, &decode_error))
        {
          if (check_format (loader, error) && check_size (size, error))
            set_decode_error (error, decode_error);
          return FALSE;
        }

      if (!check_format (loader, error) || !check_size (size, error))
        return FALSE;
    }
}

/* Decodes a PNG or JPEG stream, with its EXIF orientation applied. */
static GdkPixbuf *
decode_stream (GInputStream  *stream,
               GError       **error)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) decode_error = NULL;
  ImageSize size = { 0, 0 };
  GdkPixbuf *pixbuf;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &size);
  g_signal_connect (loader, "area-updated", G_CALLBACK (area_updated_cb), &size);

  if (!feed_loader (loader, stream, &size, error))
    {
      /* A loader must be closed before it is freed. Its error no longer matters. */
      gdk_pixbuf_loader_close (loader, NULL);
      return NULL;
    }

  /* The decoder buffers the first kilobyte before it recognises the
   * format, so for a smaller file the checks can only run now. */
  if (!gdk_pixbuf_loader_close (loader, &decode_error))
    {
      if (check_format (loader, error) && check_size (&size, error))
        set_decode_error (error, decode_error);
      return NULL;
    }

  if (!check_format (loader, error) || !check_size (&size, error))
    return NULL;

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("the file contains no image; use a PNG or JPEG file"));
      return NULL;
    }

  /* GdkPixbuf 2.42 returns a truncated PNG or JPEG without an error, with
   * the missing rows left as the buffer held them or, for JPEG, grey. A
   * truncated PNG reports fewer rows, and a JPEG lacks the end marker. */
  if (size.decoded < (guint64) size.width * (guint64) size.height ||
      (is_jpeg (loader) && !size.ended_after_scan))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("the file ends before the whole image; it may have been cut short, "
                             "so copy or export it again"));
      return NULL;
    }

  return gdk_pixbuf_apply_embedded_orientation (pixbuf);
}

/* Rejects folders, FIFOs and devices before they are opened: a FIFO would
 * block until a writer appeared. */
static gboolean
check_regular_file (GFile   *file,
                    GError **error)
{
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                                 G_FILE_QUERY_INFO_NONE, NULL, error);

  if (info == NULL)
    return FALSE;

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                           _("this is not a regular file; choose a PNG or JPEG file"));
      return FALSE;
    }

  return TRUE;
}

static GdkPixbuf *
decode_file (GFile   *file,
             GError **error)
{
  g_autoptr(GFileInputStream) stream = NULL;

  if (!check_regular_file (file, error))
    return NULL;

  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    return NULL;

  return decode_stream (G_INPUT_STREAM (stream), error);
}

/* Returns an RGB copy of pixbuf with its transparent pixels blended over
 * white, or a new reference to pixbuf when it has no alpha channel. */
static GdkPixbuf *
composite_over_white (GdkPixbuf  *pixbuf,
                      GError    **error)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  GdkPixbuf *flat;

  if (!gdk_pixbuf_get_has_alpha (pixbuf))
    return g_object_ref (pixbuf);

  flat = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  if (flat == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           _("not enough memory to convert the image"));
      return NULL;
    }

  gdk_pixbuf_fill (flat, 0xffffffff);
  gdk_pixbuf_composite (pixbuf, flat, 0, 0, width, height, 0.0, 0.0, 1.0, 1.0,
                        GDK_INTERP_NEAREST, 255);

  return flat;
}

/* The weights 0.299, 0.587 and 0.114 (ITU-R BT.601) in 16-bit fixed
 * point. Pillow 9.4's Image.convert ("L") gives the same byte for all
 * 2^24 colours, as a comparison run over every colour showed, so a network
 * trained on images that Pillow converted to grey sees the values it was
 * trained on. */
static guint8
get_luminance (const guint8 *rgb)
{
  return (rgb[0] * 19595u + rgb[1] * 38470u + rgb[2] * 7471u + 0x8000u) >> 16;
}

/* Writes the pixels of an RGB pixbuf of width × height into values,
 * [channels][height][width], with channels 1 (luminance) or 3 (RGB). */
static void
copy_pixels (float     *values,
             GdkPixbuf *pixbuf,
             gsize      channels)
{
  gsize width = gdk_pixbuf_get_width (pixbuf);
  gsize height = gdk_pixbuf_get_height (pixbuf);
  gsize stride = gdk_pixbuf_get_rowstride (pixbuf);
  gsize n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);

  g_assert (n_channels >= 3);

  for (gsize y = 0; y < height; y++)
    for (gsize x = 0; x < width; x++)
      {
        const guint8 *rgb = pixels + y * stride + x * n_channels;

        if (channels == 1)
          values[y * width + x] = get_luminance (rgb) / 255.0f;
        else
          for (gsize c = 0; c < 3; c++)
            values[(c * height + y) * width + x] = rgb[c] / 255.0f;
      }
}

static gboolean
check_image_shape (const LsShape  *shape,
                   GError        **error)
{
  g_autofree char *text = ls_shape_to_string (shape);

  if (shape->rank != 3)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("the network’s input has the shape %s, not [channels, height, width], "
                     "so an image cannot fill it"),
                   text);
      return FALSE;
    }

  if (shape->dims[0] != 1 && shape->dims[0] != 3)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("the network’s input has the shape %s; an image fills an input of "
                     "1 channel (grey) or 3 channels (red, green, blue) only"),
                   text);
      return FALSE;
    }

  /* gdk_pixbuf_scale_simple() takes int sizes. */
  if (shape->dims[1] > G_MAXINT || shape->dims[2] > G_MAXINT)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("the network’s input has the shape %s, too large to scale an image to"),
                   text);
      return FALSE;
    }

  return TRUE;
}

/* Returns the mean colour of the outermost pixels of an RGB pixbuf, as
 * 0xRRGGBBAA for gdk_pixbuf_fill(). */
static guint32
get_border_color (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  guint64 sum[3] = { 0, 0, 0 };
  guint64 count = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        if (y != 0 && y != height - 1 && x != 0 && x != width - 1)
          continue;

        for (int c = 0; c < 3; c++)
          sum[c] += pixels[y * stride + x * n_channels + c];
        count++;
      }

  return ((guint32) ((sum[0] + count / 2) / count) << 24) |
         ((guint32) ((sum[1] + count / 2) / count) << 16) |
         ((guint32) ((sum[2] + count / 2) / count) << 8) | 0xffu;
}

/* Scales an RGB pixbuf to fit width × height without changing its
 * aspect ratio, centred, and fills the rest with the mean colour of the
 * scaled image's border, so that the margin continues its background.
 * Returns NULL when memory runs out. */
static GdkPixbuf *
fit_image (GdkPixbuf *pixbuf,
           int        width,
           int        height)
{
  int source_width = gdk_pixbuf_get_width (pixbuf);
  int source_height = gdk_pixbuf_get_height (pixbuf);
  int fit_width = width, fit_height = height;
  g_autoptr(GdkPixbuf) scaled = NULL;
  GdkPixbuf *canvas;

  /* Compare the aspect ratios in 64 bits: width × source_height and
   * height × source_width can both exceed the int range. */
  if ((gint64) source_width * height > (gint64) source_height * width)
    fit_height = MAX (1, (int) (((gint64) source_height * width + source_width / 2) / source_width));
  else
    fit_width = MAX (1, (int) (((gint64) source_width * height + source_height / 2) / source_height));

  scaled = gdk_pixbuf_scale_simple (pixbuf, fit_width, fit_height, GDK_INTERP_BILINEAR);
  if (scaled == NULL)
    return NULL;
  if (fit_width == width && fit_height == height)
    return g_steal_pointer (&scaled);

  canvas = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  if (canvas == NULL)
    return NULL;

  gdk_pixbuf_fill (canvas, get_border_color (scaled));
  gdk_pixbuf_copy_area (scaled, 0, 0, fit_width, fit_height, canvas,
                        (width - fit_width) / 2, (height - fit_height) / 2);

  return canvas;
}

/* Decodes, flattens, scales and converts file. These are the steps of
 * ls_image_load_input(), whose errors add the file name. */
static float *
load_values (GFile          *file,
             const LsShape  *shape,
             GError        **error)
{
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GdkPixbuf) flat = NULL;
  g_autoptr(GdkPixbuf) scaled = NULL;
  float *values;  /* [channels][height][width] */

  decoded = decode_file (file, error);
  if (decoded == NULL)
    return NULL;

  flat = composite_over_white (decoded, error);
  if (flat == NULL)
    return NULL;

  scaled = fit_image (flat, shape->dims[2], shape->dims[1]);
  if (scaled == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           _("not enough memory to scale the image"));
      return NULL;
    }

  values = g_new (float, ls_shape_get_size (shape));
  copy_pixels (values, scaled, shape->dims[0]);

  return values;
}

gboolean
ls_image_load_input (GFile          *file,
                     const LsShape  *shape,
                     float         **values,
                     GError        **error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (shape != NULL, FALSE);
  g_return_val_if_fail (values != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  name = g_file_get_basename (file);
  if (check_image_shape (shape, error))
    *values = load_values (file, shape, error);
  else
    *values = NULL;

  if (*values == NULL)
    {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }

  return TRUE;
}
