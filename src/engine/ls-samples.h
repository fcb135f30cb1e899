/* ls-samples.h: a set of training samples, and the 2-D sets drawn from a seed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ls-shape.h"

G_BEGIN_DECLS

#define LS_MAX_SAMPLES  (1u << 20)  /* samples in one set */
#define LS_MAX_CLASSES  256         /* classes of one classification set */

/* The 2-D sets that ls_samples_generate() draws. Every point lies in
 * the square [-1, 1]² before noise is added. */
typedef enum
{
  LS_PATTERN_CIRCLES,     /* class 0 a disc, class 1 a ring around it */
  LS_PATTERN_XOR,         /* class 1 where x and y have opposite signs */
  LS_PATTERN_GAUSSIANS,   /* two normal clouds, one per class */
  LS_PATTERN_SPIRAL,      /* two interleaved spiral arms */
  LS_PATTERN_REGRESSION,  /* one target value, a smooth function of x and y */
  LS_N_PATTERNS
} LsPattern;

#define LS_TYPE_SAMPLES (ls_samples_get_type ())

/* Samples are immutable once made and reference counted, so a training
 * thread and the window can share one set. Each sample is an input of
 * one shape and either a class label (a classification set) or a
 * vector of target values (a regression set). */
typedef struct _LsSamples LsSamples;

GType        ls_samples_get_type            (void) G_GNUC_CONST;

const char  *ls_pattern_get_name            (LsPattern      pattern);
const char  *ls_pattern_get_display_name    (LsPattern      pattern);
gboolean     ls_pattern_from_name           (const char    *name,
                                             LsPattern     *pattern);

LsSamples   *ls_samples_new_classification  (const char    *name,
                                             const LsShape *shape,
                                             gsize          n_samples,
                                             const float   *inputs,
                                             const guint   *labels,
                                             gsize          n_classes,
                                             const char * const *class_names,
                                             GError       **error);
LsSamples   *ls_samples_new_regression      (const char    *name,
                                             const LsShape *shape,
                                             gsize          n_samples,
                                             const float   *inputs,
                                             gsize          target_size,
                                             const float   *targets,
                                             GError       **error);
LsSamples   *ls_samples_generate            (LsPattern      pattern,
                                             gsize          n_samples,
                                             double         noise,
                                             guint64        seed,
                                             GError       **error);
LsSamples   *ls_samples_subset              (LsSamples     *self,
                                             const gsize   *indices,
                                             gsize          n_indices);
void         ls_samples_split               (LsSamples     *self,
                                             double         test_fraction,
                                             guint64        seed,
                                             LsSamples    **train,
                                             LsSamples    **test);

LsSamples   *ls_samples_ref                 (LsSamples     *self);
void         ls_samples_unref               (LsSamples     *self);

const char  *ls_samples_get_name            (LsSamples     *self);
gsize        ls_samples_get_n_samples       (LsSamples     *self);
const LsShape *ls_samples_get_shape         (LsSamples     *self);
gsize        ls_samples_get_input_size      (LsSamples     *self);
const float *ls_samples_get_input           (LsSamples     *self,
                                             gsize          index);
void         ls_samples_get_bounds          (LsSamples     *self,
                                             gsize          input,
                                             float         *min,
                                             float         *max);

gboolean     ls_samples_is_classification   (LsSamples     *self);
gsize        ls_samples_get_n_classes       (LsSamples     *self);
const char  *ls_samples_get_class_name      (LsSamples     *self,
                                             gsize          class_index);
guint        ls_samples_get_label           (LsSamples     *self,
                                             gsize          index);
gsize        ls_samples_get_target_size     (LsSamples     *self);
const float *ls_samples_get_target          (LsSamples     *self,
                                             gsize          index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsSamples, ls_samples_unref)

G_END_DECLS
