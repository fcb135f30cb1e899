/* ls-dataset.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-dataset"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ls-dataset.h"
#include "ls-error.h"
#include "ls-idx.h"
#include "ls-paths.h"

struct _LsDataset
{
  gatomicrefcount ref_count;

  char *name;
  char *title;
  char *split;           /* NULL for an IDX pair */
  char *note;            /* NULL unless only part of the data set is present */

  gsize n_samples;
  LsShape sample_shape;  /* [channels][height][width] */
  gsize sample_size;     /* channels × height × width */
  float *images;         /* [n_samples][channels][height][width] */
  guint8 *labels;        /* [n_samples], or NULL without labels */

  gsize n_classes;
  char **class_names;    /* [n_classes], NULL-terminated */
};

G_DEFINE_BOXED_TYPE (LsDataset, ls_dataset, ls_dataset_ref, ls_dataset_unref)

/* What a built-in data set's files must contain. */
typedef struct
{
  const char *name;
  const char *title;                  /* N_() */
  gsize height;
  gsize width;
  float max_value;                    /* the largest pixel value, scaled to 1 */
  const char * const *class_names;    /* N_(), NULL for "0" to "9" */
} BuiltinInfo;

static const char * const fashion_class_names[] = {
  N_("T-shirt/top"), N_("Trouser"), N_("Pullover"), N_("Dress"), N_("Coat"),
  N_("Sandal"), N_("Shirt"), N_("Sneaker"), N_("Bag"), N_("Ankle boot"),
};

static const BuiltinInfo digits_info = {
  "digits", N_("Handwritten digits"), 8, 8, 16.0f, NULL,
};

static const BuiltinInfo fashion_info = {
  "fashion-mnist", N_("Fashion-MNIST clothing"), 28, 28, 255.0f, fashion_class_names,
};

#define BUILTIN_N_CLASSES 10

static const char * const builtin_names[] = { "digits", "fashion-mnist", NULL };

/* ---------------------------------------------------------------------
 * The reference-counted type
 * --------------------------------------------------------------------- */

static LsDataset *
ls_dataset_new (void)
{
  LsDataset *self = g_new0 (LsDataset, 1);

  g_atomic_ref_count_init (&self->ref_count);

  return self;
}

LsDataset *
ls_dataset_ref (LsDataset *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
ls_dataset_unref (LsDataset *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->name);
  g_free (self->title);
  g_free (self->split);
  g_free (self->note);
  g_free (self->images);
  g_free (self->labels);
  g_strfreev (self->class_names);
  g_free (self);
}

/* ---------------------------------------------------------------------
 * Checking and converting the IDX contents
 * --------------------------------------------------------------------- */

/* Takes the images from idx, which must be [samples][height][width] or
 * [samples][channels][height][width]. */
static gboolean
take_images (LsDataset   *self,
             LsIdx       *idx,
             const char  *name,
             GError     **error)
{
  gsize channels = idx->rank == 4 ? idx->dims[1] : 1;

  if (idx->rank != 3 && idx->rank != 4)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("%s: images must be an IDX file of 3 dimensions (samples, height, width) "
                     "or 4 (samples, channels, height, width), but it has %u; choose an "
                     "images file such as train-images-idx3-ubyte.gz"),
                   name, idx->rank);
      return FALSE;
    }

  if (idx->n_elements == 0)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("%s: the file contains no images, because one of its dimensions is 0"),
                   name);
      return FALSE;
    }

  self->n_samples = idx->dims[0];
  self->sample_size = idx->n_elements / idx->dims[0];
  if (self->sample_size > LS_MAX_TENSOR_SIZE)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("%s: one image has %zu values, more than the maximum "
                     "network input of %u values; use smaller images"),
                   name, self->sample_size, LS_MAX_TENSOR_SIZE);
      return FALSE;
    }

  ls_shape_init_3d (&self->sample_shape, channels,
                    idx->dims[idx->rank - 2], idx->dims[idx->rank - 1]);
  self->images = g_steal_pointer (&idx->values);

  return TRUE;
}

static gboolean
check_label_file (const LsIdx  *idx,
                  gsize         n_samples,
                  const char   *name,
                  GError      **error)
{
  if (idx->type == LS_IDX_TYPE_FLOAT || idx->type == LS_IDX_TYPE_DOUBLE)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_VALUE,
                   _("%s: labels must be integers, but the file contains %s values; "
                     "choose a labels file such as train-labels-idx1-ubyte.gz"),
                   name, ls_idx_type_get_name (idx->type));
      return FALSE;
    }

  if (idx->rank != 1)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("%s: labels must be an IDX file of 1 dimension, but it has %u; "
                     "choose a labels file such as train-labels-idx1-ubyte.gz"),
                   name, idx->rank);
      return FALSE;
    }

  if (idx->dims[0] != n_samples)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("%s: there are %zu images but %zu labels; choose the labels file that belongs to the images file"),
                   name, n_samples, idx->dims[0]);
      return FALSE;
    }

  return TRUE;
}

/* Takes labels from idx, each less than max_classes. The number of
 * classes becomes the largest label plus one. */
static gboolean
take_labels (LsDataset   *self,
             const LsIdx *idx,
             gsize        max_classes,
             const char  *name,
             GError     **error)
{
  if (!check_label_file (idx, self->n_samples, name, error))
    return FALSE;

  self->labels = g_new (guint8, self->n_samples);
  for (gsize i = 0; i < self->n_samples; i++)
    {
      float label = idx->values[i];

      if (label < 0.0f || label >= (float) max_classes)
        {
          g_set_error (error, LS_ERROR, LS_ERROR_INVALID_VALUE,
                       _("%s: the label of image %zu is %.0f, but labels must "
                         "be from 0 to %zu; check that this is the right "
                         "labels file"),
                       name, i, label, max_classes - 1);
          return FALSE;
        }
      self->labels[i] = (guint8) label;
      self->n_classes = MAX (self->n_classes, (gsize) self->labels[i] + 1);
    }

  return TRUE;
}

/* Divides every pixel by max_value, after checking that none is larger,
 * so that the images are in [0, 1]. (float) byte / max is the same float
 * that PyTorch's float32 division computes. */
static gboolean
scale_images (LsDataset   *self,
              float        max_value,
              const char  *name,
              GError     **error)
{
  gsize n_values = self->n_samples * self->sample_size;

  for (gsize i = 0; i < n_values; i++)
    if (self->images[i] > max_value)
      {
        g_set_error (error, LS_ERROR, LS_ERROR_INVALID_VALUE,
                     _("%s: image %zu, value %zu is %.0f, "
                       "over this data set's maximum of %.0f; the file is damaged, reinstall "
                       "or download it again"),
                     name, i / self->sample_size, i % self->sample_size, self->images[i],
                     max_value);
        return FALSE;
      }

  for (gsize i = 0; i < n_values; i++)
    self->images[i] = self->images[i] / max_value;

  return TRUE;
}

static void
set_class_names (LsDataset          *self,
                 const char * const *translatable)
{
  self->class_names = g_new0 (char *, self->n_classes + 1);

  for (gsize i = 0; i < self->n_classes; i++)
    self->class_names[i] = translatable != NULL
                           ? g_strdup (_(translatable[i]))
                           : g_strdup_printf ("%" G_GSIZE_FORMAT, i);
}

/* ---------------------------------------------------------------------
 * Loading
 * --------------------------------------------------------------------- */

/* Reads the images and, when labels is not NULL, the labels, and checks
 * that they belong together. Sets images_type to the images' IDX type. */
static LsDataset *
read_pair (GFile      *images,
           GFile      *labels,
           gsize       max_classes,
           LsIdxType  *images_type,
           GError    **error)
{
  g_autoptr(LsDataset) self = ls_dataset_new ();
  g_autoptr(LsIdx) images_idx = NULL;
  g_autoptr(LsIdx) labels_idx = NULL;
  g_autofree char *images_name = g_file_get_basename (images);

  images_idx = ls_idx_read (images, error);
  if (images_idx == NULL || !take_images (self, images_idx, images_name, error))
    return NULL;

  if (labels != NULL)
    {
      g_autofree char *labels_name = g_file_get_basename (labels);

      labels_idx = ls_idx_read (labels, error);
      if (labels_idx == NULL ||
          !take_labels (self, labels_idx, max_classes, labels_name, error))
        return NULL;
    }

  *images_type = images_idx->type;
  self->name = g_steal_pointer (&images_name);

  return g_steal_pointer (&self);
}

LsDataset *
ls_dataset_load_idx (GFile   *images,
                     GFile   *labels,
                     GError **error)
{
  g_autoptr(LsDataset) self = NULL;
  LsIdxType type;

  g_return_val_if_fail (G_IS_FILE (images), NULL);
  g_return_val_if_fail (labels == NULL || G_IS_FILE (labels), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = read_pair (images, labels, LS_DATASET_MAX_CLASSES, &type, error);
  if (self == NULL)
    return NULL;

  if (type == LS_IDX_TYPE_UBYTE && !scale_images (self, 255.0f, self->name, error))
    return NULL;

  set_class_names (self, NULL);
  self->title = g_strdup (self->name);

  return g_steal_pointer (&self);
}

/* Reads a built-in data set's pair of files and checks them against info:
 * unsigned bytes of the data set's image size, with labels 0 to 9. */
static LsDataset *
read_builtin_pair (const BuiltinInfo  *info,
                   const char         *split,
                   GFile              *images,
                   GFile              *labels,
                   GError            **error)
{
  g_autoptr(LsDataset) self = NULL;
  LsShape expected;
  LsIdxType type;

  ls_shape_init_3d (&expected, 1, info->height, info->width);

  self = read_pair (images, labels, BUILTIN_N_CLASSES, &type, error);
  if (self == NULL)
    return NULL;

  if (type != LS_IDX_TYPE_UBYTE || !ls_shape_equal (&self->sample_shape, &expected))
    {
      g_autofree char *found = ls_shape_to_string (&self->sample_shape);

      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("%s: expected 1 × %zu × %zu images of "
                     "type unsigned byte, found %s images of type %s; the file is damaged or "
                     "belongs to another data set, reinstall or download it again"),
                   self->name, info->height, info->width, found, ls_idx_type_get_name (type));
      return NULL;
    }

  if (!scale_images (self, info->max_value, self->name, error))
    return NULL;

  self->n_classes = BUILTIN_N_CLASSES;
  set_class_names (self, info->class_names);
  g_free (self->name);
  self->name = g_strdup (info->name);
  self->title = g_strdup (_(info->title));
  self->split = g_strdup (split);

  return g_steal_pointer (&self);
}

/* Reads a built-in data set's pair of files from the data folder, by their
 * paths relative to it. */
static LsDataset *
load_builtin_data (const BuiltinInfo  *info,
                   const char         *split,
                   const char         *images_path,
                   const char         *labels_path,
                   GError            **error)
{
  g_autoptr(GFile) images = NULL;
  g_autoptr(GFile) labels = NULL;

  images = ls_paths_find_data (images_path, error);
  if (images == NULL)
    return NULL;
  labels = ls_paths_find_data (labels_path, error);
  if (labels == NULL)
    return NULL;

  return read_builtin_pair (info, split, images, labels, error);
}

static LsDataset *
load_digits (const char  *split,
             GError     **error)
{
  g_autofree char *images_path = g_strdup_printf ("datasets/digits-%s-images-idx3-ubyte.gz", split);
  g_autofree char *labels_path = g_strdup_printf ("datasets/digits-%s-labels-idx1-ubyte.gz", split);

  return load_builtin_data (&digits_info, split, images_path, labels_path, error);
}

/* Loads the first 1000 Fashion-MNIST test images, which Layerscope ships
 * for computers without the dataset-fashion-mnist package. */
static LsDataset *
load_fashion_mnist_slice (GError **error)
{
  LsDataset *self;

  self = load_builtin_data (&fashion_info, "test",
                            "datasets/fashion-mnist-test-1000-images-idx3-ubyte.gz",
                            "datasets/fashion-mnist-test-1000-labels-idx1-ubyte.gz", error);
  if (self != NULL)
    self->note = g_strdup (_("Only the first 1,000 test images are included. Install the "
                             "dataset-fashion-mnist package for all 70,000 images: "
                             "sudo apt install dataset-fashion-mnist"));

  return self;
}

static LsDataset *
load_fashion_mnist (const char  *split,
                    GError     **error)
{
  const char *folder = ls_dataset_get_fashion_mnist_dir ();
  const char *prefix = g_str_equal (split, "train") ? "train" : "t10k";
  g_autofree char *images_name = g_strdup_printf ("%s-images-idx3-ubyte.gz", prefix);
  g_autofree char *labels_name = g_strdup_printf ("%s-labels-idx1-ubyte.gz", prefix);
  g_autoptr(GFile) images = g_file_new_build_filename (folder, images_name, NULL);
  g_autoptr(GFile) labels = g_file_new_build_filename (folder, labels_name, NULL);

  if (g_file_query_exists (images, NULL))
    return read_builtin_pair (&fashion_info, split, images, labels, error);

  if (g_str_equal (split, "test"))
    return load_fashion_mnist_slice (error);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _("The Fashion-MNIST training images are not installed: %s was not found "
                 "in %s. Install the dataset-fashion-mnist package for all 70,000 images: "
                 "sudo apt install dataset-fashion-mnist"),
               images_name, folder);
  return NULL;
}

const char * const *
ls_dataset_get_builtin_names (void)
{
  return builtin_names;
}

const char *
ls_dataset_get_fashion_mnist_dir (void)
{
  const char *folder = g_getenv ("LAYERSCOPE_FASHION_MNIST_DIR");

  return folder != NULL && folder[0] != '\0' ? folder : LS_DATASET_FASHION_MNIST_DIR;
}

LsDataset *
ls_dataset_load_builtin (const char  *name,
                         const char  *split,
                         GError     **error)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (split != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_str_equal (split, "train") && !g_str_equal (split, "test"))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a split of a data set; use “train” or “test”"), split);
      return NULL;
    }

  if (g_str_equal (name, digits_info.name))
    return load_digits (split, error);
  if (g_str_equal (name, fashion_info.name))
    return load_fashion_mnist (split, error);

  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a built-in data set; use “digits” or “fashion-mnist”"), name);
  return NULL;
}

/* ---------------------------------------------------------------------
 * Accessors
 * --------------------------------------------------------------------- */

const char *
ls_dataset_get_name (LsDataset *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->name;
}

const char *
ls_dataset_get_title (LsDataset *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->title;
}

const char *
ls_dataset_get_split (LsDataset *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->split;
}

const char *
ls_dataset_get_note (LsDataset *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->note;
}

gsize
ls_dataset_get_n_samples (LsDataset *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_samples;
}

const LsShape *
ls_dataset_get_sample_shape (LsDataset *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->sample_shape;
}

gsize
ls_dataset_get_sample_size (LsDataset *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->sample_size;
}

const float *
ls_dataset_get_sample (LsDataset *self,
                       gsize      index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->n_samples, NULL);

  return self->images + index * self->sample_size;
}

gboolean
ls_dataset_has_labels (LsDataset *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->labels != NULL;
}

int
ls_dataset_get_label (LsDataset *self,
                      gsize      index)
{
  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (index < self->n_samples, -1);

  return self->labels != NULL ? self->labels[index] : -1;
}

gsize
ls_dataset_get_n_classes (LsDataset *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_classes;
}

const char *
ls_dataset_get_class_name (LsDataset *self,
                           gsize      class_index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (class_index < self->n_classes, NULL);

  return self->class_names[class_index];
}
