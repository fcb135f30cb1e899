/* test-dataset.c: the IDX reader and the data sets built on it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <float.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ls-dataset.h"
#include "ls-error.h"
#include "ls-idx.h"

/* ---------------------------------------------------------------------
 * Fixtures: IDX files written to a temporary folder
 * --------------------------------------------------------------------- */

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("layerscope-dataset-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, entry, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_assert_cmpint (g_unlink (child), ==, 0);
    }
  g_clear_pointer (&dir, g_dir_close);

  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static GBytes *
gzip_bytes (const guint8 *data,
            gsize         length)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) stream = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (stream, data, length, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (stream, NULL, &error);
  g_assert_no_error (error);

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

/* Writes data to dir/name, gzip-compressed when compress is TRUE, and
 * returns the file. */
static GFile *
write_file (const char   *dir,
            const char   *name,
            const guint8 *data,
            gsize         length,
            gboolean      compress)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GBytes) compressed = compress ? gzip_bytes (data, length) : NULL;
  g_autoptr(GError) error = NULL;

  if (compressed != NULL)
    data = g_bytes_get_data (compressed, &length);
  g_file_set_contents (path, (const char *) data, length, &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

static void
append_be32 (GByteArray *array,
             guint32     value)
{
  guint32 be = GUINT32_TO_BE (value);

  g_byte_array_append (array, (const guint8 *) &be, 4);
}

/* Returns an IDX header for rank dimensions from dims. */
static GByteArray *
idx_header (guint8         type,
            guint          rank,
            const guint32 *dims)
{
  GByteArray *array = g_byte_array_new ();
  const guint8 magic[4] = { 0, 0, type, rank };

  g_byte_array_append (array, magic, 4);
  for (guint i = 0; i < rank; i++)
    append_be32 (array, dims[i]);

  return array;
}

/* Writes an unsigned byte IDX file of the given dimensions whose element
 * i is first + i modulo 256. */
static GFile *
write_ubyte_idx (const char    *dir,
                 const char    *name,
                 guint          rank,
                 const guint32 *dims,
                 guint8         first,
                 gboolean       compress)
{
  g_autoptr(GByteArray) array = idx_header (LS_IDX_TYPE_UBYTE, rank, dims);
  gsize n = 1;

  for (guint i = 0; i < rank; i++)
    n *= dims[i];
  for (gsize i = 0; i < n; i++)
    g_byte_array_append (array, &(guint8) { (guint8) (first + i) }, 1);

  return write_file (dir, name, array->data, array->len, compress);
}

static void
assert_error_names_file (const GError *error,
                         GQuark        domain,
                         gint          code,
                         const char   *file_name,
                         const char   *fragment)
{
  g_autofree char *prefix = g_strconcat (file_name, ": ", NULL);

  g_assert_error (error, domain, code);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_assert_nonnull (strstr (error->message, fragment));
}

/* ---------------------------------------------------------------------
 * The IDX reader
 * --------------------------------------------------------------------- */

/* Three big-endian elements of each type, encoded by hand: two's
 * complement for the integers, IEEE 754 for the floats (0.1f is
 * 0x3dcccccd, FLT_MAX 0x7f7fffff, the double 0.1 0x3fb999999999999a and
 * 0.001 0x3f50624dd2f1a9fc). 70000 is 0x11170; 0x0102 read big-endian is
 * 258, and 513 would mean the wrong byte order. */
static const struct
{
  LsIdxType type;
  gsize length;
  guint8 bytes[24];
  float expected[3];
} type_cases[] = {
  { LS_IDX_TYPE_UBYTE, 3, { 0x00, 0x01, 0xff }, { 0.0f, 1.0f, 255.0f } },
  { LS_IDX_TYPE_SBYTE, 3, { 0x80, 0xff, 0x7f }, { -128.0f, -1.0f, 127.0f } },
  { LS_IDX_TYPE_SHORT, 6, { 0x80, 0x00, 0x01, 0x02, 0x7f, 0xff }, { -32768.0f, 258.0f, 32767.0f } },
  { LS_IDX_TYPE_INT, 12,
    { 0x80, 0, 0, 0, 0x00, 0x01, 0x11, 0x70, 0x01, 0, 0, 0 },
    { -2147483648.0f, 70000.0f, 16777216.0f } },
  { LS_IDX_TYPE_FLOAT, 12,
    { 0xbf, 0xc0, 0, 0, 0x3d, 0xcc, 0xcc, 0xcd, 0x7f, 0x7f, 0xff, 0xff },
    { -1.5f, 0.1f, FLT_MAX } },
  { LS_IDX_TYPE_DOUBLE, 24,
    { 0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a,
      0xc0, 0x04, 0, 0, 0, 0, 0, 0,
      0x3f, 0x50, 0x62, 0x4d, 0xd2, 0xf1, 0xa9, 0xfc },
    { (float) 0.1, -2.5f, (float) 0.001 } },
};

static void
test_idx_types (Fixture       *fixture,
                gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_cases); i++)
    for (int compress = FALSE; compress <= TRUE; compress++)
      {
        const guint32 dims[] = { 3 };
        g_autoptr(GByteArray) array = idx_header (type_cases[i].type, 1, dims);
        g_autofree char *name = g_strdup_printf ("type-%02x-%d.idx", type_cases[i].type, compress);
        g_autoptr(GFile) file = NULL;
        g_autoptr(LsIdx) idx = NULL;
        g_autoptr(GError) error = NULL;

        g_test_message ("type 0x%02x, %s", type_cases[i].type, compress ? "gzip" : "plain");
        g_byte_array_append (array, type_cases[i].bytes, type_cases[i].length);
        file = write_file (fixture->dir, name, array->data, array->len, compress);

        idx = ls_idx_read (file, &error);
        g_assert_no_error (error);
        g_assert_cmpint (idx->type, ==, type_cases[i].type);
        g_assert_cmpuint (idx->rank, ==, 1);
        g_assert_cmpuint (idx->dims[0], ==, 3);
        g_assert_cmpuint (idx->n_elements, ==, 3);
        for (guint j = 0; j < 3; j++)
          g_assert_cmpfloat (idx->values[j], ==, type_cases[i].expected[j]);
      }
}

/* Four dimensions, and more elements than one read converts (65536
 * bytes), so the conversion crosses a chunk boundary. */
static void
test_idx_large_rank4 (Fixture       *fixture,
                      gconstpointer  data)
{
  const guint32 dims[] = { 3, 2, 100, 200 };
  g_autoptr(GFile) file = write_ubyte_idx (fixture->dir, "rank4.idx.gz", 4, dims, 7, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(LsIdx) idx = ls_idx_read (file, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (idx->rank, ==, 4);
  g_assert_cmpuint (idx->n_elements, ==, 120000);
  for (gsize i = 0; i < idx->n_elements; i++)
    g_assert_cmpfloat (idx->values[i], ==, (float) ((7 + i) % 256));
}

/* Each file is rejected in the same way whether it is plain or gzip. */
static const struct
{
  const char *name;
  gsize length;
  guint8 bytes[32];
  gint code;
  const char *fragment;
} invalid_cases[] = {
  { "empty", 0, { 0 }, LS_ERROR_INVALID_DOCUMENT, "is 0 bytes long" },
  { "short", 3, { 0, 0, 8 }, LS_ERROR_INVALID_DOCUMENT, "is 3 bytes long" },
  { "zip", 8, { 'P', 'K', 3, 4, 20, 0, 0, 0 }, LS_ERROR_INVALID_DOCUMENT,
    "this is not an IDX file" },
  { "magic", 9, { 0, 1, 8, 1, 0, 0, 0, 1, 5 }, LS_ERROR_INVALID_DOCUMENT,
    "starts with 00 01 08 01" },
  { "type", 9, { 0, 0, 0x0a, 1, 0, 0, 0, 1, 5 }, LS_ERROR_INVALID_DOCUMENT,
    "the IDX type code is 0x0a" },
  { "rank-0", 4, { 0, 0, 8, 0 }, LS_ERROR_INVALID_DOCUMENT, "declares 0 dimensions" },
  { "rank-5", 25, { 0, 0, 8, 5, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 9 },
    LS_ERROR_INVALID_DOCUMENT, "declares 5 dimensions" },
  { "dims-truncated", 10, { 0, 0, 8, 3, 0, 0, 0, 2, 0, 0 }, LS_ERROR_INVALID_DOCUMENT,
    "the IDX header is truncated" },
  /* 2^32 − 1 to the fourth power overflows 64 bits. */
  { "dims-overflow", 20,
    { 0, 0, 8, 4, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
    LS_ERROR_INVALID_SHAPE, "more than the maximum of 268435456" },
  /* 65536 × 4097 = 268,500,992, just over 2^28 = 268,435,456. */
  { "over-limit", 12, { 0, 0, 8, 2, 0, 1, 0, 0, 0, 0, 0x10, 0x01 },
    LS_ERROR_INVALID_SHAPE, "65536 × 4097 elements" },
  { "data-truncated", 11, { 0, 0, 8, 1, 0, 0, 0, 4, 1, 2, 3 }, LS_ERROR_INVALID_DOCUMENT,
    "declares 4 bytes of data, but the data ends after 3 bytes" },
  { "short-truncated", 11, { 0, 0, 0x0b, 1, 0, 0, 0, 2, 0, 1, 0 }, LS_ERROR_INVALID_DOCUMENT,
    "declares 4 bytes of data, but the data ends after 3 bytes" },
  { "trailing", 11, { 0, 0, 8, 1, 0, 0, 0, 2, 1, 2, 3 }, LS_ERROR_INVALID_DOCUMENT,
    "the data continues after the 2 elements" },
  { "nan", 16, { 0, 0, 0x0d, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0x7f, 0xc0, 0, 0 },
    LS_ERROR_INVALID_VALUE, "element 1 is NaN" },
  { "infinity", 12, { 0, 0, 0x0d, 1, 0, 0, 0, 1, 0xff, 0x80, 0, 0 },
    LS_ERROR_INVALID_VALUE, "element 0 is NaN, infinite or beyond" },
  /* 1e300 as a double is 0x7e37e43c8800759c, beyond FLT_MAX. */
  { "double-range", 16, { 0, 0, 0x0e, 1, 0, 0, 0, 1, 0x7e, 0x37, 0xe4, 0x3c, 0x88, 0x00, 0x75, 0x9c },
    LS_ERROR_INVALID_VALUE, "beyond the float range" },
};

static void
test_idx_invalid (Fixture       *fixture,
                  gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (invalid_cases); i++)
    for (int compress = FALSE; compress <= TRUE; compress++)
      {
        g_autofree char *name = g_strdup_printf ("%s%s", invalid_cases[i].name,
                                                 compress ? ".gz" : "");
        g_autoptr(GFile) file = write_file (fixture->dir, name, invalid_cases[i].bytes,
                                            invalid_cases[i].length, compress);
        g_autoptr(GError) error = NULL;
        g_autoptr(LsIdx) idx = NULL;

        g_test_message ("%s", name);
        idx = ls_idx_read (file, &error);
        g_assert_null (idx);
        assert_error_names_file (error, LS_ERROR, invalid_cases[i].code, name,
                                 invalid_cases[i].fragment);
      }
}

/* The messages tell a file that is not IDX from compressed data that is
 * not IDX. */
static void
test_idx_not_idx_message (Fixture       *fixture,
                          gconstpointer  data)
{
  const guint8 text[] = "not an IDX file";
  g_autoptr(GFile) plain = write_file (fixture->dir, "text", text, sizeof text, FALSE);
  g_autoptr(GFile) compressed = write_file (fixture->dir, "text.gz", text, sizeof text, TRUE);
  g_autoptr(GError) plain_error = NULL;
  g_autoptr(GError) compressed_error = NULL;

  g_assert_null (ls_idx_read (plain, &plain_error));
  g_assert_null (ls_idx_read (compressed, &compressed_error));

  assert_error_names_file (plain_error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT, "text",
                           "the file starts with 6e 6f 74 20");
  assert_error_names_file (compressed_error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT, "text.gz",
                           "the decompressed data starts with 6e 6f 74 20");
}

typedef enum
{
  CORRUPT_FLIP_MIDDLE,
  CORRUPT_CHECKSUM,
  CORRUPT_CUT_TRAILER,
  CORRUPT_CUT_HALF,
  CORRUPT_ONLY_MAGIC,
} Corruption;

static void
test_idx_corrupt_gzip (Fixture       *fixture,
                       gconstpointer  data)
{
  const guint32 dims[] = { 4096 };
  g_autoptr(GByteArray) idx = idx_header (LS_IDX_TYPE_UBYTE, 1, dims);
  g_autoptr(GBytes) compressed = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);

  /* Random bytes, so that most of the deflate stream is literals. */
  for (guint i = 0; i < dims[0]; i++)
    g_byte_array_append (idx, &(guint8) { g_rand_int_range (rand, 0, 256) }, 1);
  compressed = gzip_bytes (idx->data, idx->len);

  for (Corruption corruption = CORRUPT_FLIP_MIDDLE; corruption <= CORRUPT_ONLY_MAGIC; corruption++)
    {
      gsize length = g_bytes_get_size (compressed);
      g_autofree guint8 *bytes = g_memdup2 (g_bytes_get_data (compressed, NULL), length);
      g_autofree char *name = g_strdup_printf ("corrupt-%d.gz", corruption);
      g_autoptr(GFile) file = NULL;
      g_autoptr(GError) error = NULL;

      if (corruption == CORRUPT_FLIP_MIDDLE)
        bytes[length / 2] ^= 0x55;
      else if (corruption == CORRUPT_CHECKSUM)
        bytes[length - 8] ^= 0xff;   /* the CRC-32 in the gzip trailer */
      else if (corruption == CORRUPT_CUT_TRAILER)
        length -= 8;
      else if (corruption == CORRUPT_CUT_HALF)
        length /= 2;
      else
        length = 2;

      g_test_message ("%s", name);
      file = write_file (fixture->dir, name, bytes, length, FALSE);
      g_assert_null (ls_idx_read (file, &error));
      assert_error_names_file (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT, name,
                               "the gzip data is corrupt");
    }
}

static void
test_idx_not_a_file (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *missing_path = g_build_filename (fixture->dir, "missing.gz", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->dir);
  g_autofree char *folder_name = g_path_get_basename (fixture->dir);
  g_autoptr(GError) missing_error = NULL;
  g_autoptr(GError) folder_error = NULL;

  g_assert_null (ls_idx_read (missing, &missing_error));
  g_assert_null (ls_idx_read (folder, &folder_error));

  assert_error_names_file (missing_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "missing.gz", "");
  assert_error_names_file (folder_error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE, folder_name,
                           "not an IDX file");
}

/* ---------------------------------------------------------------------
 * User-picked IDX pairs
 * --------------------------------------------------------------------- */

static void
test_pair_scales_bytes (Fixture       *fixture,
                        gconstpointer  data)
{
  const guint32 image_dims[] = { 2, 3, 2 };
  const guint32 label_dims[] = { 2 };
  g_autoptr(GFile) images = write_ubyte_idx (fixture->dir, "images.gz", 3, image_dims, 250, TRUE);
  g_autoptr(GFile) labels = write_ubyte_idx (fixture->dir, "labels", 1, label_dims, 3, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(LsDataset) dataset = ls_dataset_load_idx (images, labels, &error);
  const float *second;

  g_assert_no_error (error);
  g_assert_cmpstr (ls_dataset_get_name (dataset), ==, "images.gz");
  g_assert_null (ls_dataset_get_split (dataset));
  g_assert_null (ls_dataset_get_note (dataset));
  g_assert_cmpuint (ls_dataset_get_n_samples (dataset), ==, 2);
  g_assert_cmpuint (ls_dataset_get_sample_shape (dataset)->rank, ==, 3);
  g_assert_cmpuint (ls_dataset_get_sample_shape (dataset)->dims[0], ==, 1);
  g_assert_cmpuint (ls_dataset_get_sample_shape (dataset)->dims[1], ==, 3);
  g_assert_cmpuint (ls_dataset_get_sample_shape (dataset)->dims[2], ==, 2);
  g_assert_cmpuint (ls_dataset_get_sample_size (dataset), ==, 6);

  /* Bytes 250 to 255, then 0 to 5, each divided by 255 in float. */
  g_assert_cmpfloat (ls_dataset_get_sample (dataset, 0)[0], ==, 250.0f / 255.0f);
  g_assert_cmpfloat (ls_dataset_get_sample (dataset, 0)[5], ==, 1.0f);
  second = ls_dataset_get_sample (dataset, 1);
  g_assert_cmpfloat (second[0], ==, 0.0f);
  g_assert_cmpfloat (second[5], ==, 5.0f / 255.0f);

  /* Labels 3 and 4, so five classes named "0" to "4". */
  g_assert_true (ls_dataset_has_labels (dataset));
  g_assert_cmpint (ls_dataset_get_label (dataset, 0), ==, 3);
  g_assert_cmpint (ls_dataset_get_label (dataset, 1), ==, 4);
  g_assert_cmpuint (ls_dataset_get_n_classes (dataset), ==, 5);
  g_assert_cmpstr (ls_dataset_get_class_name (dataset, 0), ==, "0");
  g_assert_cmpstr (ls_dataset_get_class_name (dataset, 4), ==, "4");
}

/* Channels come from a fourth dimension, and values of types other than
 * unsigned byte are kept. A data set without labels has no classes. */
static void
test_pair_channels_unlabelled (Fixture       *fixture,
                               gconstpointer  data)
{
  const guint32 dims[] = { 1, 2, 1, 2 };
  g_autoptr(GByteArray) array = idx_header (LS_IDX_TYPE_SHORT, 4, dims);
  const guint8 elements[] = { 0xff, 0xfe, 0x01, 0x00, 0x00, 0x07, 0x03, 0xe8 };
  g_autoptr(GFile) images = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LsDataset) dataset = NULL;
  const float *sample;

  g_byte_array_append (array, elements, sizeof elements);
  images = write_file (fixture->dir, "channels", array->data, array->len, FALSE);
  dataset = ls_dataset_load_idx (images, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ls_dataset_get_sample_shape (dataset)->dims[0], ==, 2);
  g_assert_cmpuint (ls_dataset_get_sample_shape (dataset)->dims[1], ==, 1);
  g_assert_cmpuint (ls_dataset_get_sample_shape (dataset)->dims[2], ==, 2);

  /* 0xfffe is −2, 0x0100 is 256, 0x03e8 is 1000. */
  sample = ls_dataset_get_sample (dataset, 0);
  g_assert_cmpfloat (sample[0], ==, -2.0f);
  g_assert_cmpfloat (sample[1], ==, 256.0f);
  g_assert_cmpfloat (sample[2], ==, 7.0f);
  g_assert_cmpfloat (sample[3], ==, 1000.0f);

  g_assert_false (ls_dataset_has_labels (dataset));
  g_assert_cmpint (ls_dataset_get_label (dataset, 0), ==, -1);
  g_assert_cmpuint (ls_dataset_get_n_classes (dataset), ==, 0);
}

/* Images [2][1][1] of bytes 7 and 9, and each labels file below. */
static const struct
{
  const char *name;
  guint8 type;
  guint rank;
  guint32 dims[2];
  gsize length;
  guint8 elements[8];
  gint code;
  const char *fragment;
} label_cases[] = {
  { "three-labels", LS_IDX_TYPE_UBYTE, 1, { 3 }, 3, { 0, 1, 2 },
    LS_ERROR_INVALID_SHAPE, "there are 2 images but 3 labels" },
  { "two-columns", LS_IDX_TYPE_UBYTE, 2, { 2, 1 }, 2, { 0, 1 },
    LS_ERROR_INVALID_SHAPE, "labels must be an IDX file of 1 dimension, but it has 2" },
  { "float-labels", LS_IDX_TYPE_FLOAT, 1, { 2 }, 8, { 0, 0, 0, 0, 0x3f, 0x80, 0, 0 },
    LS_ERROR_INVALID_VALUE, "labels must be integers, but the file contains float values" },
  { "negative", LS_IDX_TYPE_SBYTE, 1, { 2 }, 2, { 0, 0xff },
    LS_ERROR_INVALID_VALUE, "the label of image 1 is -1, but labels must be from 0 to 255" },
  { "over-255", LS_IDX_TYPE_SHORT, 1, { 2 }, 4, { 0x01, 0x00, 0, 0 },
    LS_ERROR_INVALID_VALUE, "the label of image 0 is 256" },
};

static void
test_pair_invalid_labels (Fixture       *fixture,
                          gconstpointer  data)
{
  const guint32 image_dims[] = { 2, 1, 1 };
  g_autoptr(GFile) images = write_ubyte_idx (fixture->dir, "images", 3, image_dims, 7, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (label_cases); i++)
    {
      g_autoptr(GByteArray) array = idx_header (label_cases[i].type, label_cases[i].rank,
                                                label_cases[i].dims);
      g_autoptr(GFile) labels = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", label_cases[i].name);
      g_byte_array_append (array, label_cases[i].elements, label_cases[i].length);
      labels = write_file (fixture->dir, label_cases[i].name, array->data, array->len, FALSE);

      g_assert_null (ls_dataset_load_idx (images, labels, &error));
      assert_error_names_file (error, LS_ERROR, label_cases[i].code, label_cases[i].name,
                               label_cases[i].fragment);
    }
}

static void
test_pair_invalid_images (Fixture       *fixture,
                          gconstpointer  data)
{
  const guint32 flat_dims[] = { 2, 4 };
  const guint32 empty_dims[] = { 0, 28, 28 };
  const guint32 huge_dims[] = { 1, 1025, 1024 };  /* 1,049,600 values, over 2^20 */
  g_autoptr(GFile) flat = write_ubyte_idx (fixture->dir, "flat", 2, flat_dims, 0, FALSE);
  g_autoptr(GFile) empty = write_ubyte_idx (fixture->dir, "empty", 3, empty_dims, 0, FALSE);
  g_autoptr(GFile) huge = write_ubyte_idx (fixture->dir, "huge.gz", 3, huge_dims, 0, TRUE);
  g_autoptr(GError) flat_error = NULL;
  g_autoptr(GError) empty_error = NULL;
  g_autoptr(GError) huge_error = NULL;

  g_assert_null (ls_dataset_load_idx (flat, NULL, &flat_error));
  g_assert_null (ls_dataset_load_idx (empty, NULL, &empty_error));
  g_assert_null (ls_dataset_load_idx (huge, NULL, &huge_error));

  assert_error_names_file (flat_error, LS_ERROR, LS_ERROR_INVALID_SHAPE, "flat",
                           "images must be an IDX file of 3 dimensions");
  assert_error_names_file (empty_error, LS_ERROR, LS_ERROR_INVALID_SHAPE, "empty",
                           "the file contains no images");
  assert_error_names_file (huge_error, LS_ERROR, LS_ERROR_INVALID_SHAPE, "huge.gz",
                           "one image has 1049600 values");
}

/* ---------------------------------------------------------------------
 * The shipped digits
 * --------------------------------------------------------------------- */

static void
test_digits_splits (void)
{
  static const struct
  {
    const char *split;
    gsize n_samples;
  } splits[] = {
    { "train", 1437 },
    { "test", 360 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (splits); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LsDataset) dataset = ls_dataset_load_builtin ("digits", splits[i].split, &error);
      gsize per_class[10] = { 0 };

      g_assert_no_error (error);
      g_assert_cmpstr (ls_dataset_get_name (dataset), ==, "digits");
      g_assert_cmpstr (ls_dataset_get_title (dataset), ==, "Handwritten digits");
      g_assert_cmpstr (ls_dataset_get_split (dataset), ==, splits[i].split);
      g_assert_null (ls_dataset_get_note (dataset));
      g_assert_cmpuint (ls_dataset_get_n_samples (dataset), ==, splits[i].n_samples);
      g_assert_cmpuint (ls_dataset_get_sample_shape (dataset)->rank, ==, 3);
      g_assert_cmpuint (ls_dataset_get_sample_shape (dataset)->dims[0], ==, 1);
      g_assert_cmpuint (ls_dataset_get_sample_shape (dataset)->dims[1], ==, 8);
      g_assert_cmpuint (ls_dataset_get_sample_shape (dataset)->dims[2], ==, 8);
      g_assert_cmpuint (ls_dataset_get_n_classes (dataset), ==, 10);
      g_assert_cmpstr (ls_dataset_get_class_name (dataset, 0), ==, "0");
      g_assert_cmpstr (ls_dataset_get_class_name (dataset, 9), ==, "9");

      for (gsize j = 0; j < splits[i].n_samples; j++)
        per_class[ls_dataset_get_label (dataset, j)]++;
      /* tools/make-digits-data.py puts 36 images of each digit in "test". */
      if (g_str_equal (splits[i].split, "test"))
        for (guint digit = 0; digit < 10; digit++)
          g_assert_cmpuint (per_class[digit], ==, 36);
    }
}

/* Rows of scikit-learn's digits.csv.gz (1797 rows of 64 pixels and the
 * digit), copied by hand. Both splits keep the CSV's order. The seeded
 * split puts row 1 first in "train" and row 7 first in "test". Row 1796
 * is the last training image and row 1797 the last test image. */
static const struct
{
  const char *split;
  gsize index;
  int label;
  guint8 pixels[64];
} digit_rows[] = {
  { "train", 0, 0,      /* CSV row 1 */
    { 0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0,
      0, 4, 12, 0, 0, 8, 8, 0, 0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0,
      0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6, 13, 10, 0, 0, 0 } },
  { "train", 1436, 9,   /* CSV row 1796 */
    { 0, 0, 2, 10, 7, 0, 0, 0, 0, 0, 14, 16, 16, 15, 1, 0, 0, 4, 16, 7, 3, 16, 7, 0,
      0, 5, 16, 10, 7, 16, 4, 0, 0, 0, 5, 14, 14, 16, 4, 0, 0, 0, 0, 0, 0, 16, 2, 0,
      0, 0, 4, 7, 7, 16, 2, 0, 0, 0, 5, 12, 16, 12, 0, 0 } },
  { "test", 0, 6,       /* CSV row 7 */
    { 0, 0, 0, 12, 13, 0, 0, 0, 0, 0, 5, 16, 8, 0, 0, 0, 0, 0, 13, 16, 3, 0, 0, 0,
      0, 0, 14, 13, 0, 0, 0, 0, 0, 0, 15, 12, 7, 2, 0, 0, 0, 0, 13, 16, 13, 16, 3, 0,
      0, 0, 7, 16, 11, 15, 8, 0, 0, 0, 1, 9, 15, 11, 3, 0 } },
  { "test", 359, 8,     /* CSV row 1797 */
    { 0, 0, 10, 14, 8, 1, 0, 0, 0, 2, 16, 14, 6, 1, 0, 0, 0, 0, 15, 15, 8, 15, 0, 0,
      0, 0, 5, 16, 16, 10, 0, 0, 0, 0, 12, 15, 15, 12, 0, 0, 0, 4, 16, 6, 4, 16, 6, 0,
      0, 8, 16, 10, 8, 16, 8, 0, 0, 1, 8, 12, 14, 12, 1, 0 } },
};

static void
test_digits_values (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (digit_rows); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LsDataset) dataset = ls_dataset_load_builtin ("digits", digit_rows[i].split, &error);
      const float *sample;

      g_assert_no_error (error);
      sample = ls_dataset_get_sample (dataset, digit_rows[i].index);
      g_assert_cmpint (ls_dataset_get_label (dataset, digit_rows[i].index), ==, digit_rows[i].label);
      for (guint j = 0; j < 64; j++)
        g_assert_cmpfloat (sample[j], ==, (float) digit_rows[i].pixels[j] / 16.0f);
    }
}

/* A pixel over 16 in a digits file is rejected. LAYERSCOPE_DATADIR points
 * to a folder whose datasets/ has such a file. */
static void
test_digits_over_maximum (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *datasets = g_build_filename (fixture->dir, "datasets", NULL);
  g_autofree char *saved = g_strdup (g_getenv ("LAYERSCOPE_DATADIR"));
  const guint32 image_dims[] = { 1, 8, 8 };
  const guint32 label_dims[] = { 1 };
  g_autoptr(GFile) images = NULL;
  g_autoptr(GFile) labels = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LsDataset) dataset = NULL;

  g_assert_cmpint (g_mkdir (datasets, 0700), ==, 0);
  /* Value i of the one image is i, so value 17 is the first over 16. */
  images = write_ubyte_idx (datasets, "digits-test-images-idx3-ubyte.gz", 3, image_dims, 0, TRUE);
  labels = write_ubyte_idx (datasets, "digits-test-labels-idx1-ubyte.gz", 1, label_dims, 0, TRUE);

  g_setenv ("LAYERSCOPE_DATADIR", fixture->dir, TRUE);
  dataset = ls_dataset_load_builtin ("digits", "test", &error);
  if (saved != NULL)
    g_setenv ("LAYERSCOPE_DATADIR", saved, TRUE);
  else
    g_unsetenv ("LAYERSCOPE_DATADIR");

  g_assert_null (dataset);
  assert_error_names_file (error, LS_ERROR, LS_ERROR_INVALID_VALUE,
                           "digits-test-images-idx3-ubyte.gz",
                           "image 0, value 17 is 17, over this data set's maximum of 16");
}

static void
test_builtin_invalid_names (void)
{
  g_autoptr(GError) name_error = NULL;
  g_autoptr(GError) split_error = NULL;

  g_assert_null (ls_dataset_load_builtin ("mnist", "test", &name_error));
  g_assert_null (ls_dataset_load_builtin ("digits", "validation", &split_error));

  g_assert_error (name_error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (name_error->message, "“mnist” is not a built-in data set"));
  g_assert_error (split_error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (split_error->message, "“validation” is not a split"));

  g_assert_cmpstrv (ls_dataset_get_builtin_names (),
                    ((const char * const[]) { "digits", "fashion-mnist", NULL }));
}

/* ---------------------------------------------------------------------
 * Fashion-MNIST
 * --------------------------------------------------------------------- */

/* Loads a Fashion-MNIST split with LAYERSCOPE_FASHION_MNIST_DIR set to
 * folder, or unset when folder is NULL. */
static LsDataset *
load_fashion_mnist (const char  *folder,
                    const char  *split,
                    GError     **error)
{
  LsDataset *dataset;

  if (folder != NULL)
    g_setenv ("LAYERSCOPE_FASHION_MNIST_DIR", folder, TRUE);
  else
    g_unsetenv ("LAYERSCOPE_FASHION_MNIST_DIR");
  dataset = ls_dataset_load_builtin ("fashion-mnist", split, error);
  g_unsetenv ("LAYERSCOPE_FASHION_MNIST_DIR");

  return dataset;
}

/* Expected values: od -v -An -tu1 of the decompressed t10k files of
 * Debian's dataset-fashion-mnist 0.0~git20200523.55506a9-1. The labels start 9, 2, 1; image 0
 * has 37 at pixel 221; image 999, label 7, has 201 at pixel 294. */
static void
test_fashion_mnist_shipped_slice (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) train_error = NULL;
  g_autoptr(LsDataset) dataset = load_fashion_mnist (fixture->dir, "test", &error);
  g_autoptr(LsDataset) train = load_fashion_mnist (fixture->dir, "train", &train_error);

  g_assert_no_error (error);
  g_assert_cmpstr (ls_dataset_get_name (dataset), ==, "fashion-mnist");
  g_assert_cmpuint (ls_dataset_get_n_samples (dataset), ==, 1000);
  g_assert_cmpuint (ls_dataset_get_sample_shape (dataset)->dims[0], ==, 1);
  g_assert_cmpuint (ls_dataset_get_sample_shape (dataset)->dims[1], ==, 28);
  g_assert_cmpuint (ls_dataset_get_sample_shape (dataset)->dims[2], ==, 28);
  g_assert_nonnull (ls_dataset_get_note (dataset));
  g_assert_nonnull (strstr (ls_dataset_get_note (dataset), "first 1,000 test images"));
  g_assert_nonnull (strstr (ls_dataset_get_note (dataset), "sudo apt install dataset-fashion-mnist"));

  g_assert_cmpint (ls_dataset_get_label (dataset, 0), ==, 9);
  g_assert_cmpint (ls_dataset_get_label (dataset, 1), ==, 2);
  g_assert_cmpint (ls_dataset_get_label (dataset, 2), ==, 1);
  g_assert_cmpint (ls_dataset_get_label (dataset, 999), ==, 7);
  g_assert_cmpfloat (ls_dataset_get_sample (dataset, 0)[221], ==, 37.0f / 255.0f);
  g_assert_cmpfloat (ls_dataset_get_sample (dataset, 999)[294], ==, 201.0f / 255.0f);

  g_assert_cmpuint (ls_dataset_get_n_classes (dataset), ==, 10);
  g_assert_cmpstr (ls_dataset_get_class_name (dataset, 0), ==, "T-shirt/top");
  g_assert_cmpstr (ls_dataset_get_class_name (dataset, 7), ==, "Sneaker");
  g_assert_cmpstr (ls_dataset_get_class_name (dataset, 9), ==, "Ankle boot");

  g_assert_null (train);
  g_assert_error (train_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (train_error->message, "train-images-idx3-ubyte.gz was not found"));
  g_assert_nonnull (strstr (train_error->message, "sudo apt install dataset-fashion-mnist"));
}

/* Writes a Fashion-MNIST-like pair named prefix-images-idx3-ubyte.gz and
 * prefix-labels-idx1-ubyte.gz: n images of height × width bytes counting
 * up from image_first, and labels counting up from label_first. */
static void
write_fashion_pair (const char *dir,
                    const char *prefix,
                    guint32     n,
                    guint32     height,
                    guint32     width,
                    guint8      image_first,
                    guint8      label_first)
{
  g_autofree char *images_name = g_strdup_printf ("%s-images-idx3-ubyte.gz", prefix);
  g_autofree char *labels_name = g_strdup_printf ("%s-labels-idx1-ubyte.gz", prefix);
  const guint32 image_dims[] = { n, height, width };
  g_autoptr(GFile) images = write_ubyte_idx (dir, images_name, 3, image_dims, image_first, TRUE);
  g_autoptr(GFile) labels = write_ubyte_idx (dir, labels_name, 1, &n, label_first, TRUE);
}

static void
test_fashion_mnist_folder (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) train_error = NULL;
  g_autoptr(LsDataset) test = NULL;
  g_autoptr(LsDataset) train = NULL;

  write_fashion_pair (fixture->dir, "t10k", 2, 28, 28, 0, 4);
  write_fashion_pair (fixture->dir, "train", 3, 28, 28, 100, 7);
  test = load_fashion_mnist (fixture->dir, "test", &error);
  train = load_fashion_mnist (fixture->dir, "train", &train_error);

  g_assert_no_error (error);
  g_assert_cmpuint (ls_dataset_get_n_samples (test), ==, 2);
  g_assert_null (ls_dataset_get_note (test));
  g_assert_cmpint (ls_dataset_get_label (test, 1), ==, 5);
  g_assert_cmpstr (ls_dataset_get_class_name (test, 5), ==, "Sandal");
  /* Image 1 starts at byte 784, which is 784 mod 256 = 16. */
  g_assert_cmpfloat (ls_dataset_get_sample (test, 1)[0], ==, 16.0f / 255.0f);

  g_assert_no_error (train_error);
  g_assert_cmpstr (ls_dataset_get_split (train), ==, "train");
  g_assert_cmpuint (ls_dataset_get_n_samples (train), ==, 3);
  g_assert_cmpint (ls_dataset_get_label (train, 2), ==, 9);
  g_assert_cmpfloat (ls_dataset_get_sample (train, 0)[0], ==, 100.0f / 255.0f);
}

static void
test_fashion_mnist_folder_invalid (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GError) shape_error = NULL;
  g_autoptr(GError) label_error = NULL;
  g_autoptr(GError) missing_error = NULL;
  g_autofree char *train_labels = g_build_filename (fixture->dir, "train-labels-idx1-ubyte.gz", NULL);

  /* 8 × 8 images instead of 28 × 28. */
  write_fashion_pair (fixture->dir, "t10k", 2, 8, 8, 0, 0);
  g_assert_null (load_fashion_mnist (fixture->dir, "test", &shape_error));
  assert_error_names_file (shape_error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                           "t10k-images-idx3-ubyte.gz",
                           "expected 1 × 28 × 28 images of type unsigned byte, found [1, 8, 8] images");

  /* Labels 9 and 10: only 0 to 9 are Fashion-MNIST classes. */
  write_fashion_pair (fixture->dir, "t10k", 2, 28, 28, 0, 9);
  g_assert_null (load_fashion_mnist (fixture->dir, "test", &label_error));
  assert_error_names_file (label_error, LS_ERROR, LS_ERROR_INVALID_VALUE,
                           "t10k-labels-idx1-ubyte.gz",
                           "the label of image 1 is 10, but labels must be from 0 to 9");

  /* Images without their labels. */
  write_fashion_pair (fixture->dir, "train", 2, 28, 28, 0, 0);
  g_assert_cmpint (g_unlink (train_labels), ==, 0);
  g_assert_null (load_fashion_mnist (fixture->dir, "train", &missing_error));
  assert_error_names_file (missing_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "train-labels-idx1-ubyte.gz", "");
}

/* The shipped slice must be the package's first 1000 test images. Debian
 * packages dataset-fashion-mnist, but CI need not have it installed. */
static void
test_fashion_mnist_slice_matches_package (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autofree char *package_images = g_build_filename (LS_DATASET_FASHION_MNIST_DIR,
                                                      "t10k-images-idx3-ubyte.gz", NULL);
  g_autoptr(LsDataset) package = NULL;
  g_autoptr(LsDataset) slice = NULL;
  g_autoptr(GError) error = NULL;
  gsize sample_size;

  if (!g_file_test (package_images, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("dataset-fashion-mnist is not installed, so the shipped slice cannot be compared");
      return;
    }

  package = load_fashion_mnist (NULL, "test", &error);
  g_assert_no_error (error);
  slice = load_fashion_mnist (fixture->dir, "test", &error);
  g_assert_no_error (error);

  g_assert_cmpuint (ls_dataset_get_n_samples (package), ==, 10000);
  g_assert_null (ls_dataset_get_note (package));
  g_assert_cmpuint (ls_dataset_get_n_samples (slice), ==, 1000);
  sample_size = ls_dataset_get_sample_size (slice);
  g_assert_cmpuint (sample_size, ==, 784);
  for (gsize i = 0; i < 1000; i++)
    {
      g_assert_cmpint (ls_dataset_get_label (slice, i), ==, ls_dataset_get_label (package, i));
      g_assert_cmpmem (ls_dataset_get_sample (slice, i), sample_size * sizeof (float),
                       ls_dataset_get_sample (package, i), sample_size * sizeof (float));
    }
}

static void
add_fixture_test (const char *path,
                  void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add_fixture_test ("/idx/types", test_idx_types);
  add_fixture_test ("/idx/large-rank-4", test_idx_large_rank4);
  add_fixture_test ("/idx/invalid", test_idx_invalid);
  add_fixture_test ("/idx/not-idx-message", test_idx_not_idx_message);
  add_fixture_test ("/idx/corrupt-gzip", test_idx_corrupt_gzip);
  add_fixture_test ("/idx/not-a-file", test_idx_not_a_file);
  add_fixture_test ("/dataset/pair/scales-bytes", test_pair_scales_bytes);
  add_fixture_test ("/dataset/pair/channels-unlabelled", test_pair_channels_unlabelled);
  add_fixture_test ("/dataset/pair/invalid-labels", test_pair_invalid_labels);
  add_fixture_test ("/dataset/pair/invalid-images", test_pair_invalid_images);
  g_test_add_func ("/dataset/digits/splits", test_digits_splits);
  g_test_add_func ("/dataset/digits/values", test_digits_values);
  add_fixture_test ("/dataset/digits/over-maximum", test_digits_over_maximum);
  g_test_add_func ("/dataset/builtin/invalid-names", test_builtin_invalid_names);
  add_fixture_test ("/dataset/fashion-mnist/shipped-slice", test_fashion_mnist_shipped_slice);
  add_fixture_test ("/dataset/fashion-mnist/folder", test_fashion_mnist_folder);
  add_fixture_test ("/dataset/fashion-mnist/folder-invalid", test_fashion_mnist_folder_invalid);
  add_fixture_test ("/dataset/fashion-mnist/slice-matches-package",
                    test_fashion_mnist_slice_matches_package);

  return g_test_run ();
}
