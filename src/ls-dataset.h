/* ls-dataset.h: labelled image data sets, built in or read from IDX files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ls-shape.h"

G_BEGIN_DECLS

/* The maximum number of classes, because labels are stored as bytes. */
#define LS_DATASET_MAX_CLASSES 256

/* The folder of the Debian package dataset-fashion-mnist's files. The
 * environment variable LAYERSCOPE_FASHION_MNIST_DIR overrides it. */
#define LS_DATASET_FASHION_MNIST_DIR "/usr/share/datasets/fashion-mnist"

#define LS_TYPE_DATASET (ls_dataset_get_type ())

/* A reference-counted, immutable set of images and their labels. */
typedef struct _LsDataset LsDataset;

GType              ls_dataset_get_type            (void) G_GNUC_CONST;

/* Returns the names that ls_dataset_load_builtin() accepts: "digits" and
 * "fashion-mnist". */
const char * const *ls_dataset_get_builtin_names  (void);

/* Returns LAYERSCOPE_FASHION_MNIST_DIR when it is set, or else
 * LS_DATASET_FASHION_MNIST_DIR. */
const char        *ls_dataset_get_fashion_mnist_dir (void);

/* Loads a split ("train" or "test") of a built-in data set:
 *   "digits"         UCI handwritten digits, 1 × 8 × 8, values 0 to 16
 *                    divided by 16; 1437 training and 360 test images,
 *                    shipped in the data folder's datasets/.
 *   "fashion-mnist"  Zalando's Fashion-MNIST, 1 × 28 × 28, values 0 to 255
 *                    divided by 255; read from
 *                    ls_dataset_get_fashion_mnist_dir(). When the test
 *                    files are not there, "test" loads the first 1000 test
 *                    images shipped in datasets/ and sets a note; "train"
 *                    fails with G_IO_ERROR_NOT_FOUND.
 * An unknown name or split gives LS_ERROR_INVALID_ARGUMENT, a missing file
 * G_IO_ERROR_NOT_FOUND, and a damaged one the errors of ls_idx_read() or
 * LS_ERROR_INVALID_SHAPE / LS_ERROR_INVALID_VALUE for content that does
 * not fit the data set. */
LsDataset         *ls_dataset_load_builtin        (const char  *name,
                                                   const char  *split,
                                                   GError     **error);

/* Loads images from an IDX file of rank 3 ([samples][height][width]) or
 * rank 4 ([samples][channels][height][width]), and their labels from an
 * IDX file of rank 1 with one integer from 0 to 255 per image. Images of
 * unsigned bytes are divided by 255, and images of other types keep their
 * values. The classes are named "0" to the largest label. When labels is
 * NULL, the data set has no labels and no classes. Errors are those of
 * ls_idx_read(), or LS_ERROR_INVALID_SHAPE / LS_ERROR_INVALID_VALUE for
 * files that do not fit together or labels outside 0 to 255. */
LsDataset         *ls_dataset_load_idx            (GFile       *images,
                                                   GFile       *labels,
                                                   GError     **error);

LsDataset         *ls_dataset_ref                 (LsDataset   *self);
void               ls_dataset_unref               (LsDataset   *self);

/* The built-in name, or the images file's name for an IDX pair. */
const char        *ls_dataset_get_name            (LsDataset   *self);
/* The translated title to show, e.g. "Handwritten digits". */
const char        *ls_dataset_get_title           (LsDataset   *self);
/* "train" or "test", or NULL for an IDX pair. */
const char        *ls_dataset_get_split           (LsDataset   *self);
/* A translated sentence when only part of the data set is present, such
 * as the shipped Fashion-MNIST test slice, or NULL. */
const char        *ls_dataset_get_note            (LsDataset   *self);

gsize              ls_dataset_get_n_samples       (LsDataset   *self);
/* The shape of one sample: rank 3, [channels][height][width]. */
const LsShape     *ls_dataset_get_sample_shape    (LsDataset   *self);
/* Returns the number of floats in one sample, channels × height × width. */
gsize              ls_dataset_get_sample_size     (LsDataset   *self);
/* Returns sample index as [channels][height][width] floats, scaled as
 * described at the loaders. */
const float       *ls_dataset_get_sample          (LsDataset   *self,
                                                   gsize        index);

gboolean           ls_dataset_has_labels          (LsDataset   *self);
/* Returns the class of sample index, or -1 when the data set has no
 * labels. */
int                ls_dataset_get_label           (LsDataset   *self,
                                                   gsize        index);
/* Returns the number of classes, 0 when the data set has no labels. */
gsize              ls_dataset_get_n_classes       (LsDataset   *self);
/* Returns the translated name of class class_index, e.g. "Ankle boot" or "7". */
const char        *ls_dataset_get_class_name      (LsDataset   *self,
                                                   gsize        class_index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsDataset, ls_dataset_unref)

G_END_DECLS
