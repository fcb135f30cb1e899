/* ls-image.h: PNG and JPEG files as the input of an image network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ls-shape.h"

G_BEGIN_DECLS

/* The largest image that ls_image_load_input() decodes, in pixels: 2^26,
 * such as 8192 × 8192, which takes 256 MiB decoded as 8-bit RGBA. */
#define LS_IMAGE_MAX_PIXELS (1u << 26)

/* Reads a PNG or JPEG file and converts it to values for an input of
 * shape [channels, height, width], where channels is 1 or 3:
 *
 * - EXIF orientation is applied, and transparency is composited over
 *   white.
 * - The image is scaled to fit width × height with its aspect ratio
 *   kept, with GdkPixbuf's bilinear filter, which averages the covered
 *   area when it shrinks. It is centred, and a margin left over takes
 *   the mean colour of the scaled image's outermost pixels.
 * - 3 channels take the red, green and blue bytes. 1 channel takes the
 *   luminance 0.299 R + 0.587 G + 0.114 B, rounded to a byte.
 * - Each byte b becomes b / 255, so values lie in [0, 1].
 *
 * On success *values is a new [channels][height][width] array to free
 * with g_free(). Every error message starts with the file name. The error
 * is in G_IO_ERROR when the file cannot be read, with
 * G_IO_ERROR_NOT_SUPPORTED for a file that is not PNG or JPEG and
 * G_IO_ERROR_INVALID_DATA for a damaged one. It is LS_ERROR_INVALID_SHAPE
 * for an image over LS_IMAGE_MAX_PIXELS or a shape that is not
 * [1 or 3, height, width]. */
gboolean ls_image_load_input (GFile          *file,
                              const LsShape  *shape,
                              float         **values,
                              GError        **error);

G_END_DECLS
