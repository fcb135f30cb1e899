/* ls-idx.h: a reader for IDX files, the format of the MNIST data sets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LS_IDX_MAX_RANK 4

/* The maximum number of elements in one IDX file: 2^28, which take 1 GiB
 * as floats. Fashion-MNIST's training images are 47,040,000 elements. */
#define LS_IDX_MAX_ELEMENTS ((gsize) 1 << 28)

/* The element types of the IDX format, by their code in the third byte of
 * the header. Multi-byte elements are big-endian in the file. */
typedef enum
{
  LS_IDX_TYPE_UBYTE  = 0x08,  /* unsigned 8-bit integer */
  LS_IDX_TYPE_SBYTE  = 0x09,  /* signed 8-bit integer */
  LS_IDX_TYPE_SHORT  = 0x0B,  /* signed 16-bit integer */
  LS_IDX_TYPE_INT    = 0x0C,  /* signed 32-bit integer */
  LS_IDX_TYPE_FLOAT  = 0x0D,  /* IEEE 754 binary32 */
  LS_IDX_TYPE_DOUBLE = 0x0E,  /* IEEE 754 binary64 */
} LsIdxType;

/* The contents of one IDX file. Every element is converted to float: the
 * integer types exactly up to 2^24 in magnitude, doubles rounded to the
 * nearest float. */
typedef struct
{
  LsIdxType type;                /* the element type in the file */
  guint rank;                    /* 1 to LS_IDX_MAX_RANK */
  gsize dims[LS_IDX_MAX_RANK];   /* dims[0] varies slowest */
  gsize n_elements;              /* the product of dims */
  float *values;                 /* [dims[0]]…[dims[rank − 1]] */
} LsIdx;

/* Reads a whole IDX file or nothing. A file that starts with the gzip
 * magic bytes 1f 8b is decompressed first. Every error message starts with
 * the file's name, and the errors are:
 *   LS_ERROR_INVALID_DOCUMENT  a header that is not IDX (magic, type, a rank
 *                              outside 1 to LS_IDX_MAX_RANK), truncated or
 *                              trailing data, or corrupt gzip data
 *   LS_ERROR_INVALID_SHAPE     more than LS_IDX_MAX_ELEMENTS elements
 *   LS_ERROR_INVALID_VALUE     a NaN, an infinity or a double outside float range
 *   G_IO_ERROR                 a file that cannot be read or is not a regular file */
LsIdx      *ls_idx_read            (GFile      *file,
                                    GError    **error);
void        ls_idx_free            (LsIdx      *idx);

/* Returns the type's name as in the MNIST documentation, e.g.
 * "unsigned byte", or NULL for a code that is not an IDX type. */
const char *ls_idx_type_get_name   (LsIdxType   type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsIdx, ls_idx_free)

G_END_DECLS
