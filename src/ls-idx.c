/* ls-idx.c
 *
 * The IDX format, as documented with the MNIST database: two zero bytes,
 * a type code, the number of dimensions, then each dimension as a
 * big-endian 32-bit unsigned integer, then the elements in row-major order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-idx"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ls-error.h"
#include "ls-idx.h"

/* Bytes converted per read, a multiple of every element size. */
#define CHUNK_SIZE 65536

typedef struct
{
  LsIdxType type;
  gsize element_size;  /* bytes per element in the file */
  const char *name;
} TypeInfo;

static const TypeInfo type_infos[] = {
  { LS_IDX_TYPE_UBYTE,  1, "unsigned byte" },
  { LS_IDX_TYPE_SBYTE,  1, "signed byte" },
  { LS_IDX_TYPE_SHORT,  2, "short" },
  { LS_IDX_TYPE_INT,    4, "int" },
  { LS_IDX_TYPE_FLOAT,  4, "float" },
  { LS_IDX_TYPE_DOUBLE, 8, "double" },
};

static const TypeInfo *
find_type_info (guint code)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_infos); i++)
    if ((guint) type_infos[i].type == code)
      return &type_infos[i];

  return NULL;
}

const char *
ls_idx_type_get_name (LsIdxType type)
{
  const TypeInfo *info = find_type_info (type);

  return info != NULL ? info->name : NULL;
}

void
ls_idx_free (LsIdx *idx)
{
  if (idx == NULL)
    return;

  g_free (idx->values);
  g_free (idx);
}

G_GNUC_PRINTF (4, 5)
static void
set_file_error (GError     **error,
                gint         code,
                const char  *name,
                const char  *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, LS_ERROR, code, "%s: %s", name, message);
}

/* Moves a GIO error into error with the file name in front. Errors of the
 * gzip decompressor become LS_ERROR_INVALID_DOCUMENT. */
static void
propagate_read_error (GError     **error,
                      GError      *read_error,
                      const char  *name,
                      gboolean     compressed)
{
  if (compressed &&
      (g_error_matches (read_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA) ||
       g_error_matches (read_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)))
    {
      set_file_error (error, LS_ERROR_INVALID_DOCUMENT, name,
                      _("the gzip data is corrupt (%s); download or copy the file again"),
                      read_error->message);
      g_error_free (read_error);
      return;
    }

  g_propagate_prefixed_error (error, read_error, "%s: ", name);
}

/* Rejects folders, FIFOs and devices before they are opened: opening a
 * FIFO blocks until a writer appears. */
static gboolean
check_regular_file (GFile       *file,
                    const char  *name,
                    GError     **error)
{
  g_autoptr(GFileInfo) info = NULL;
  GError *query_error = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                            NULL, &query_error);
  if (info == NULL)
    {
      g_propagate_prefixed_error (error, query_error, "%s: ", name);
      return FALSE;
    }

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("%s: this is a folder, device or FIFO, not an IDX file; "
                     "choose a file such as train-images-idx3-ubyte.gz"),
                   name);
      return FALSE;
    }

  return TRUE;
}

/* Sets compressed when the stream starts with the gzip magic bytes 1f 8b,
 * without consuming them. One read may return the two bytes one at a time. */
static gboolean
peek_gzip_magic (GBufferedInputStream  *stream,
                 const char            *name,
                 gboolean              *compressed,
                 GError               **error)
{
  const guint8 *start;
  gsize available;

  while (g_buffered_input_stream_get_available (stream) < 2)
    {
      GError *read_error = NULL;
      gsize missing = 2 - g_buffered_input_stream_get_available (stream);
      gssize n_read = g_buffered_input_stream_fill (stream, missing, NULL, &read_error);

      if (n_read < 0)
        {
          g_propagate_prefixed_error (error, read_error, "%s: ", name);
          return FALSE;
        }
      if (n_read == 0)
        break;
    }

  start = g_buffered_input_stream_peek_buffer (stream, &available);
  *compressed = available >= 2 && start[0] == 0x1f && start[1] == 0x8b;

  return TRUE;
}

/* Opens the file, behind a gzip decompressor when it starts with 1f 8b. */
static GInputStream *
open_stream (GFile       *file,
             const char  *name,
             gboolean    *compressed,
             GError     **error)
{
  g_autoptr(GFileInputStream) file_stream = NULL;
  g_autoptr(GInputStream) buffered = NULL;
  g_autoptr(GZlibDecompressor) decompressor = NULL;
  GError *read_error = NULL;

  file_stream = g_file_read (file, NULL, &read_error);
  if (file_stream == NULL)
    {
      g_propagate_prefixed_error (error, read_error, "%s: ", name);
      return NULL;
    }

  buffered = g_buffered_input_stream_new (G_INPUT_STREAM (file_stream));
  if (!peek_gzip_magic (G_BUFFERED_INPUT_STREAM (buffered), name, compressed, error))
    return NULL;
  if (!*compressed)
    return g_steal_pointer (&buffered);

  /* NOTE: The decompressor stops at the end of the first gzip member, so
   * bytes after it, such as a second concatenated member, are ignored. */
  decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  return g_converter_input_stream_new (buffered, G_CONVERTER (decompressor));
}

/* Reads up to size bytes and returns how many it read, or -1 with error
 * set. Fewer than size means the data ended. */
static gssize
read_bytes (GInputStream  *stream,
            void          *buffer,
            gsize          size,
            const char    *name,
            gboolean       compressed,
            GError       **error)
{
  GError *read_error = NULL;
  gsize n_read = 0;

  if (!g_input_stream_read_all (stream, buffer, size, &n_read, NULL, &read_error))
    {
      propagate_read_error (error, read_error, name, compressed);
      return -1;
    }

  return n_read;
}

/* Checks the two zero bytes that start every IDX file. */
static gboolean
check_magic (const guint8  magic[4],
             gsize         n_read,
             const char   *name,
             gboolean      compressed,
             GError      **error)
{
  if (n_read < 4)
    {
      set_file_error (error, LS_ERROR_INVALID_DOCUMENT, name,
                      compressed
                      ? _("this is not an IDX file: the decompressed data is %zu bytes long, shorter than the 4-byte IDX magic number; choose an "
                          "IDX file such as train-images-idx3-ubyte.gz")
                      : _("this is not an IDX file: the file is %zu bytes "
                          "long, shorter than the 4-byte IDX magic number; choose an IDX "
                          "file such as train-images-idx3-ubyte.gz"),
                      n_read);
      return FALSE;
    }

  if (magic[0] != 0 || magic[1] != 0)
    {
      set_file_error (error, LS_ERROR_INVALID_DOCUMENT, name,
                      compressed
                      ? _("this is not an IDX file: the decompressed data starts with "
                          "%02x %02x %02x %02x, but an IDX file starts with 00 00, a type "
                          "code and the number of dimensions, e.g. 00 00 08 03 for images "
                          "of unsigned bytes")
                      : _("this is not an IDX file: the file starts with %02x %02x %02x "
                          "%02x, but an IDX file starts with 00 00, a type code and the "
                          "number of dimensions, e.g. 00 00 08 03 for images of unsigned "
                          "bytes"),
                      magic[0], magic[1], magic[2], magic[3]);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_type_and_rank (const guint8  magic[4],
                     const char   *name,
                     GError      **error)
{
  if (find_type_info (magic[2]) == NULL)
    {
      set_file_error (error, LS_ERROR_INVALID_DOCUMENT, name,
                      _("the IDX type code is 0x%02x, which is not one of the IDX types "
                        "0x08, 0x09, 0x0b, 0x0c, 0x0d and 0x0e; the file is damaged "
                        "or in another format"),
                      magic[2]);
      return FALSE;
    }

  if (magic[3] < 1 || magic[3] > LS_IDX_MAX_RANK)
    {
      set_file_error (error, LS_ERROR_INVALID_DOCUMENT, name,
                      _("the IDX header declares %u dimensions, but 1 to %u are supported; "
                        "the file is damaged or in another format"),
                      magic[3], LS_IDX_MAX_RANK);
      return FALSE;
    }

  return TRUE;
}

/* Multiplies the dimensions, rejecting more than LS_IDX_MAX_ELEMENTS
 * elements before anything is allocated. */
static gboolean
count_elements (LsIdx       *idx,
                const char  *name,
                GError     **error)
{
  gsize count = 1;
  gboolean over = FALSE;

  for (guint i = 0; i < idx->rank; i++)
    over |= !g_size_checked_mul (&count, count, idx->dims[i]) || count > LS_IDX_MAX_ELEMENTS;

  if (over)
    {
      g_autoptr(GString) dims = g_string_new (NULL);

      for (guint i = 0; i < idx->rank; i++)
        g_string_append_printf (dims, i == 0 ? "%" G_GSIZE_FORMAT : " × %" G_GSIZE_FORMAT,
                                idx->dims[i]);
      set_file_error (error, LS_ERROR_INVALID_SHAPE, name,
                      _("the IDX header declares %s elements, more than the maximum of "
                        "%zu; use a smaller file"),
                      dims->str, LS_IDX_MAX_ELEMENTS);
      return FALSE;
    }

  idx->n_elements = count;

  return TRUE;
}

static gboolean
read_header (GInputStream  *stream,
             LsIdx         *idx,
             const char    *name,
             gboolean       compressed,
             GError       **error)
{
  guint8 magic[4] = { 0 };
  guint32 dims[LS_IDX_MAX_RANK];
  gssize n_read;
  gsize dims_size;

  n_read = read_bytes (stream, magic, sizeof magic, name, compressed, error);
  if (n_read < 0 ||
      !check_magic (magic, n_read, name, compressed, error) ||
      !check_type_and_rank (magic, name, error))
    return FALSE;

  idx->type = magic[2];
  idx->rank = magic[3];
  dims_size = idx->rank * sizeof (guint32);

  n_read = read_bytes (stream, dims, dims_size, name, compressed, error);
  if (n_read < 0)
    return FALSE;
  if ((gsize) n_read < dims_size)
    {
      set_file_error (error, LS_ERROR_INVALID_DOCUMENT, name,
                      _("the IDX header is truncated: it declares %u dimensions, but the data "
                        "ends inside their sizes; the file is incomplete, download or copy it again"),
                      idx->rank);
      return FALSE;
    }

  for (guint i = 0; i < idx->rank; i++)
    idx->dims[i] = GUINT32_FROM_BE (dims[i]);

  return count_elements (idx, name, error);
}

/* Converts n big-endian elements of the file's type to float. */
static void
convert_elements (float        *values,
                  const guint8 *bytes,
                  gsize         n,
                  LsIdxType     type)
{
  for (gsize i = 0; i < n; i++)
    {
      guint16 u16;
      guint32 u32;
      guint64 u64;
      float f;
      double d;

      switch (type)
        {
        case LS_IDX_TYPE_UBYTE:
          values[i] = bytes[i];
          break;
        case LS_IDX_TYPE_SBYTE:
          values[i] = (gint8) bytes[i];
          break;
        case LS_IDX_TYPE_SHORT:
          memcpy (&u16, bytes + 2 * i, 2);
          values[i] = (gint16) GUINT16_FROM_BE (u16);
          break;
        case LS_IDX_TYPE_INT:
          memcpy (&u32, bytes + 4 * i, 4);
          values[i] = (float) (gint32) GUINT32_FROM_BE (u32);
          break;
        case LS_IDX_TYPE_FLOAT:
          memcpy (&u32, bytes + 4 * i, 4);
          u32 = GUINT32_FROM_BE (u32);
          memcpy (&f, &u32, 4);
          values[i] = f;
          break;
        case LS_IDX_TYPE_DOUBLE:
          memcpy (&u64, bytes + 8 * i, 8);
          u64 = GUINT64_FROM_BE (u64);
          memcpy (&d, &u64, 8);
          /* Values beyond float range become infinities, rejected below. */
          values[i] = (float) d;
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

/* Rejects NaN and infinities, which only the float and double types can
 * contain. first is the index of values[0] in the whole file. */
static gboolean
check_finite (const float  *values,
              gsize         n,
              gsize         first,
              const char   *name,
              GError      **error)
{
  for (gsize i = 0; i < n; i++)
    if (!isfinite (values[i]))
      {
        set_file_error (error, LS_ERROR_INVALID_VALUE, name,
                        _("element %zu is NaN, infinite or beyond the "
                          "float range of ±3.4e38; only finite values can be used"),
                        first + i);
        return FALSE;
      }

  return TRUE;
}

static gboolean
read_values (GInputStream  *stream,
             LsIdx         *idx,
             const char    *name,
             gboolean       compressed,
             GError       **error)
{
  gsize element_size = find_type_info (idx->type)->element_size;
  gsize per_chunk = CHUNK_SIZE / element_size;
  g_autofree guint8 *chunk = g_malloc (CHUNK_SIZE);

  idx->values = g_new (float, MAX (idx->n_elements, 1));

  for (gsize done = 0; done < idx->n_elements; )
    {
      gsize n = MIN (per_chunk, idx->n_elements - done);
      gssize n_read = read_bytes (stream, chunk, n * element_size, name, compressed, error);

      if (n_read < 0)
        return FALSE;
      if ((gsize) n_read < n * element_size)
        {
          set_file_error (error, LS_ERROR_INVALID_DOCUMENT, name,
                          _("the data is truncated: the header declares %zu bytes of data, but the data ends after %zu bytes; the file is incomplete, download or copy it again"),
                          idx->n_elements * element_size, done * element_size + n_read);
          return FALSE;
        }

      convert_elements (idx->values + done, chunk, n, idx->type);
      if (!check_finite (idx->values + done, n, done, name, error))
        return FALSE;
      done += n;
    }

  return TRUE;
}

static gboolean
check_end_of_data (GInputStream  *stream,
                   const LsIdx   *idx,
                   const char    *name,
                   gboolean       compressed,
                   GError       **error)
{
  guint8 extra;
  gssize n_read = read_bytes (stream, &extra, 1, name, compressed, error);

  if (n_read < 0)
    return FALSE;
  if (n_read > 0)
    {
      set_file_error (error, LS_ERROR_INVALID_DOCUMENT, name,
                      _("the data continues after the %zu elements that "
                        "the header declares, so the header does not match the data; "
                        "the file is damaged or was written wrongly"),
                      idx->n_elements);
      return FALSE;
    }

  return TRUE;
}

LsIdx *
ls_idx_read (GFile   *file,
             GError **error)
{
  g_autofree char *name = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(LsIdx) idx = NULL;
  gboolean compressed = FALSE;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = g_file_get_basename (file);
  if (!check_regular_file (file, name, error))
    return NULL;

  stream = open_stream (file, name, &compressed, error);
  if (stream == NULL)
    return NULL;

  idx = g_new0 (LsIdx, 1);
  if (!read_header (stream, idx, name, compressed, error) ||
      !read_values (stream, idx, name, compressed, error) ||
      !check_end_of_data (stream, idx, name, compressed, error))
    return NULL;

  g_debug ("Read %s: %s, %zu elements in %u dimensions", name,
           ls_idx_type_get_name (idx->type), idx->n_elements, idx->rank);

  return g_steal_pointer (&idx);
}
