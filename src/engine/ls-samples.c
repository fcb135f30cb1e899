/* ls-samples.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ls-error.h"
#include "ls-random.h"
#include "ls-samples.h"

/* The maximum number of floats in the inputs, or in the targets, of one
 * set: 1 GiB, so that a set and its copies fit in a desktop's memory. */
#define MAX_TOTAL_VALUES (G_GUINT64_CONSTANT (1) << 28)

struct _LsSamples
{
  gatomicrefcount ref_count;

  char *name;
  LsShape shape;         /* of one input */
  gsize input_size;      /* elements of one input */
  gsize n_samples;
  float *inputs;         /* [n_samples][input_size] */

  gsize n_classes;       /* 0 for a regression set */
  guint *labels;         /* [n_samples], NULL for a regression set */
  char **class_names;    /* [n_classes], NULL-terminated; NULL for a regression set */

  gsize target_size;     /* 0 for a classification set */
  float *targets;        /* [n_samples][target_size], NULL for a classification set */
};

G_DEFINE_BOXED_TYPE (LsSamples, ls_samples, ls_samples_ref, ls_samples_unref)

typedef struct
{
  const char *name;
  const char *display_name;  /* marked with N_() and translated on use */
} PatternInfo;

static const PatternInfo pattern_info[] = {
  [LS_PATTERN_CIRCLES] = { "circles", N_("Circles") },
  [LS_PATTERN_XOR] = { "xor", N_("Exclusive or") },
  [LS_PATTERN_GAUSSIANS] = { "gaussians", N_("Two Gaussian clouds") },
  [LS_PATTERN_SPIRAL] = { "spiral", N_("Two spirals") },
  [LS_PATTERN_REGRESSION] = { "regression", N_("Smooth surface (regression)") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (pattern_info) == LS_N_PATTERNS);

const char *
ls_pattern_get_name (LsPattern pattern)
{
  g_return_val_if_fail (pattern < LS_N_PATTERNS, NULL);

  return pattern_info[pattern].name;
}

const char *
ls_pattern_get_display_name (LsPattern pattern)
{
  g_return_val_if_fail (pattern < LS_N_PATTERNS, NULL);

  return _(pattern_info[pattern].display_name);
}

gboolean
ls_pattern_from_name (const char *name,
                      LsPattern  *pattern)
{
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (pattern != NULL, FALSE);

  for (guint i = 0; i < LS_N_PATTERNS; i++)
    {
      if (g_str_equal (name, pattern_info[i].name))
        {
          *pattern = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* ---------------------------------------------------------------------
 * The reference-counted type
 * --------------------------------------------------------------------- */

static LsSamples *
samples_new (const char    *name,
             const LsShape *shape,
             gsize          n_samples)
{
  LsSamples *self = g_new0 (LsSamples, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->name = g_strdup (name != NULL ? name : "");
  self->shape = *shape;
  self->input_size = ls_shape_get_size (shape);
  self->n_samples = n_samples;

  return self;
}

LsSamples *
ls_samples_ref (LsSamples *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
ls_samples_unref (LsSamples *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->name);
  g_free (self->inputs);
  g_free (self->labels);
  g_strfreev (self->class_names);
  g_free (self->targets);
  g_free (self);
}

/* ---------------------------------------------------------------------
 * Checking the constructors' arguments
 * --------------------------------------------------------------------- */

static gboolean
check_n_samples (gsize    n_samples,
                 GError **error)
{
  if (n_samples == 0 || n_samples > LS_MAX_SAMPLES)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("A set of samples must have 1 to %u samples, but %zu"
                     " were given; use fewer samples"),
                   LS_MAX_SAMPLES, n_samples);
      return FALSE;
    }

  return TRUE;
}

/* Checks that n_samples vectors of size values fit the limits. The
 * translated word what ("input" or "target") names them in messages. */
static gboolean
check_vector_size (gsize        size,
                   gsize        n_samples,
                   const char  *what,
                   GError     **error)
{
  if (size == 0 || size > LS_MAX_TENSOR_SIZE)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("One %s of a sample must have 1 to %u values, but it has %zu"),
                   what, LS_MAX_TENSOR_SIZE, size);
      return FALSE;
    }

  if ((guint64) size * n_samples > MAX_TOTAL_VALUES)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("%zu samples with a %s of %zu values "
                     "need more than the maximum of %u values; use fewer "
                     "or smaller samples"),
                   n_samples, what, size, (guint) MAX_TOTAL_VALUES);
      return FALSE;
    }

  return TRUE;
}

/* Checks the shape's rank and dimensions before multiplying them, so
 * that a huge dimension cannot overflow the size. */
static gboolean
check_shape (const LsShape  *shape,
             gsize           n_samples,
             GError        **error)
{
  guint64 size = 1;

  if (shape->rank == 0 || shape->rank > LS_SHAPE_MAX_RANK)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The shape of a sample must have 1 to %d dimensions, but it has %u"),
                   LS_SHAPE_MAX_RANK, shape->rank);
      return FALSE;
    }

  for (guint i = 0; i < shape->rank; i++)
    size *= MIN (shape->dims[i], (gsize) LS_MAX_TENSOR_SIZE + 1);

  return check_vector_size (MIN (size, (guint64) LS_MAX_TENSOR_SIZE + 1), n_samples,
                            _("input"), error);
}

/* Checks that every value is finite. Samples are counted from 1 in the
 * message, as a user counts rows. */
static gboolean
check_finite (const float  *values,
              gsize         n_samples,
              gsize         size,
              const char   *what,
              GError      **error)
{
  for (gsize i = 0; i < n_samples * size; i++)
    {
      if (!isfinite (values[i]))
        {
          g_set_error (error, LS_ERROR, LS_ERROR_INVALID_VALUE,
                       _("Sample %zu, %s value %zu is %g, but "
                         "values must be finite numbers; fix or remove that sample"),
                       i / size + 1, what, i % size + 1, (double) values[i]);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
check_labels (const guint  *labels,
              gsize         n_samples,
              gsize         n_classes,
              GError      **error)
{
  if (n_classes < 2 || n_classes > LS_MAX_CLASSES)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   _("A classification set must have 2 to %d classes, but it has %zu"),
                   LS_MAX_CLASSES, n_classes);
      return FALSE;
    }

  for (gsize i = 0; i < n_samples; i++)
    {
      if (labels[i] >= n_classes)
        {
          g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                       _("Sample %zu has the label %u, but labels must be from "
                         "0 to %zu for %zu classes"),
                       i + 1, labels[i], n_classes - 1, n_classes);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
check_class_names (const char * const  *class_names,
                   gsize                n_classes,
                   GError             **error)
{
  if (class_names == NULL)
    return TRUE;

  for (gsize i = 0; i < n_classes; i++)
    {
      if (class_names[i] == NULL || strlen (class_names[i]) > LS_MAX_LABEL_LENGTH)
        {
          g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                       _("The name of class %zu must be a text of at most %d "
                         "bytes"),
                       i, LS_MAX_LABEL_LENGTH);
          return FALSE;
        }
    }

  return TRUE;
}

/* ---------------------------------------------------------------------
 * Constructors
 * --------------------------------------------------------------------- */

static char **
make_class_names (const char * const *class_names,
                  gsize               n_classes)
{
  char **names = g_new0 (char *, n_classes + 1);

  for (gsize i = 0; i < n_classes; i++)
    {
      if (class_names != NULL)
        names[i] = g_strdup (class_names[i]);
      else
        names[i] = g_strdup_printf ("%" G_GSIZE_FORMAT, i);
    }

  return names;
}

/* Creates a classification set from copies of the arrays. inputs is
 * [n_samples][shape size] and labels [n_samples], each less than
 * n_classes. class_names has n_classes entries, or is NULL for the names
 * "0", "1", …. Returns NULL with an LS_ERROR for a count outside the
 * limits, a value that is not finite, or a label out of range. */
LsSamples *
ls_samples_new_classification (const char          *name,
                               const LsShape       *shape,
                               gsize                n_samples,
                               const float         *inputs,
                               const guint         *labels,
                               gsize                n_classes,
                               const char * const  *class_names,
                               GError             **error)
{
  LsSamples *self;

  g_return_val_if_fail (shape != NULL, NULL);
  g_return_val_if_fail (inputs != NULL, NULL);
  g_return_val_if_fail (labels != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_n_samples (n_samples, error) ||
      !check_shape (shape, n_samples, error) ||
      !check_finite (inputs, n_samples, ls_shape_get_size (shape), _("input"), error) ||
      !check_labels (labels, n_samples, n_classes, error) ||
      !check_class_names (class_names, n_classes, error))
    return NULL;

  self = samples_new (name, shape, n_samples);
  self->inputs = g_memdup2 (inputs, n_samples * self->input_size * sizeof (float));
  self->labels = g_memdup2 (labels, n_samples * sizeof (guint));
  self->n_classes = n_classes;
  self->class_names = make_class_names (class_names, n_classes);

  return self;
}

/* Creates a regression set from copies of the arrays: inputs is
 * [n_samples][shape size] and targets [n_samples][target_size]. Returns
 * NULL with an LS_ERROR for a count outside the limits or a value that is
 * not finite. */
LsSamples *
ls_samples_new_regression (const char     *name,
                           const LsShape  *shape,
                           gsize           n_samples,
                           const float    *inputs,
                           gsize           target_size,
                           const float    *targets,
                           GError        **error)
{
  LsSamples *self;

  g_return_val_if_fail (shape != NULL, NULL);
  g_return_val_if_fail (inputs != NULL, NULL);
  g_return_val_if_fail (targets != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_n_samples (n_samples, error) ||
      !check_shape (shape, n_samples, error) ||
      !check_vector_size (target_size, n_samples, _("target"), error) ||
      !check_finite (inputs, n_samples, ls_shape_get_size (shape), _("input"), error) ||
      !check_finite (targets, n_samples, target_size, _("target"), error))
    return NULL;

  self = samples_new (name, shape, n_samples);
  self->inputs = g_memdup2 (inputs, n_samples * self->input_size * sizeof (float));
  self->target_size = target_size;
  self->targets = g_memdup2 (targets, n_samples * target_size * sizeof (float));

  return self;
}

/* Creates a set of the samples at indices, in that order, with the name
 * and class names of self. An index may appear more than once. */
LsSamples *
ls_samples_subset (LsSamples   *self,
                   const gsize *indices,
                   gsize        n_indices)
{
  LsSamples *subset;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (indices != NULL, NULL);
  g_return_val_if_fail (n_indices > 0 && n_indices <= LS_MAX_SAMPLES, NULL);
  for (gsize i = 0; i < n_indices; i++)
    g_return_val_if_fail (indices[i] < self->n_samples, NULL);

  subset = samples_new (self->name, &self->shape, n_indices);
  subset->inputs = g_new (float, n_indices * self->input_size);
  subset->n_classes = self->n_classes;
  subset->class_names = g_strdupv (self->class_names);
  subset->target_size = self->target_size;
  if (self->labels != NULL)
    subset->labels = g_new (guint, n_indices);
  if (self->targets != NULL)
    subset->targets = g_new (float, n_indices * self->target_size);

  for (gsize i = 0; i < n_indices; i++)
    {
      gsize from = indices[i];

      memcpy (subset->inputs + i * self->input_size, self->inputs + from * self->input_size,
              self->input_size * sizeof (float));
      if (self->labels != NULL)
        subset->labels[i] = self->labels[from];
      if (self->targets != NULL)
        memcpy (subset->targets + i * self->target_size,
                self->targets + from * self->target_size, self->target_size * sizeof (float));
    }

  return subset;
}

/* Shuffles indices [n] in place, drawn from seed. */
static void
shuffle_indices (gsize    *indices,
                 gsize     n,
                 guint64   seed)
{
  LsRandom random;

  ls_random_init (&random, seed);
  ls_random_shuffle (&random, indices, n);
}

/* Splits self at random, from seed alone, into a training set and a test
 * set of round(n · test_fraction) samples. At least one sample stays in
 * train. *test is NULL when no sample goes to it, as with a fraction of 0. */
void
ls_samples_split (LsSamples  *self,
                  double      test_fraction,
                  guint64     seed,
                  LsSamples **train,
                  LsSamples **test)
{
  g_autofree gsize *indices = NULL;  /* [n_samples] */
  gsize n_test;

  g_return_if_fail (self != NULL);
  g_return_if_fail (test_fraction >= 0.0 && test_fraction < 1.0);
  g_return_if_fail (train != NULL);
  g_return_if_fail (test != NULL);

  n_test = (gsize) round (self->n_samples * test_fraction);
  n_test = MIN (n_test, self->n_samples - 1);

  indices = g_new (gsize, self->n_samples);
  for (gsize i = 0; i < self->n_samples; i++)
    indices[i] = i;
  shuffle_indices (indices, self->n_samples, seed);

  *train = ls_samples_subset (self, indices + n_test, self->n_samples - n_test);
  *test = n_test > 0 ? ls_samples_subset (self, indices, n_test) : NULL;
}

/* ---------------------------------------------------------------------
 * The 2-D generators
 * --------------------------------------------------------------------- */

#define XOR_GAP          0.05  /* no point closer than this to an axis */
#define GAUSSIAN_STD     0.25
#define SPIRAL_TURNS     1.75

/* A disc of radius 0.5 and a ring from 0.7 to 1, as in TensorFlow
 * Playground's "circle" data, with the radius uniform. */
static void
circles_point (guint   label,
               double  u,
               double  v,
               double *point)
{
  double radius = label == 0 ? 0.5 * u : 0.7 + 0.3 * u;

  point[0] = radius * cos (2.0 * G_PI * v);
  point[1] = radius * sin (2.0 * G_PI * v);
}

/* Class 1 in the quadrants where x and y have opposite signs: read as
 * the bits "x > 0" and "y > 0", exactly one of them is true there, as in
 * exclusive or. */
static void
xor_point (guint     label,
           double    u,
           double    v,
           LsRandom *random,
           double   *point)
{
  double x_sign = ls_random_next_double (random) < 0.5 ? -1.0 : 1.0;
  double y_sign = label == 1 ? -x_sign : x_sign;

  point[0] = x_sign * (XOR_GAP + (1.0 - XOR_GAP) * u);
  point[1] = y_sign * (XOR_GAP + (1.0 - XOR_GAP) * v);
}

/* Normal draws that fall outside the square are drawn again. */
static void
gaussians_point (guint     label,
                 LsRandom *random,
                 double   *point)
{
  double centre = label == 0 ? -0.5 : 0.5;

  for (guint axis = 0; axis < 2; axis++)
    {
      do
        point[axis] = centre + GAUSSIAN_STD * ls_random_next_normal (random);
      while (fabs (point[axis]) > 1.0);
    }
}

/* The radius u grows from 0 to 1 over SPIRAL_TURNS turns, and the second
 * arm is the first one rotated by π. */
static void
spiral_point (guint   label,
              double  u,
              double *point)
{
  double angle = SPIRAL_TURNS * 2.0 * G_PI * u + (label == 0 ? 0.0 : G_PI);

  point[0] = u * cos (angle);
  point[1] = u * sin (angle);
}

/* Fills point [2] with a point of class label, in the square [-1, 1]²,
 * and returns the regression target, or 0 for the classification
 * patterns. Each pattern draws from random in a fixed order. */
static double
draw_point (LsPattern  pattern,
            guint      label,
            LsRandom  *random,
            double    *point)
{
  double u = ls_random_next_double (random);
  double v = ls_random_next_double (random);

  switch (pattern)
    {
    case LS_PATTERN_CIRCLES:
      circles_point (label, u, v, point);
      return 0.0;

    case LS_PATTERN_XOR:
      xor_point (label, u, v, random, point);
      return 0.0;

    case LS_PATTERN_GAUSSIANS:
      gaussians_point (label, random, point);
      return 0.0;

    case LS_PATTERN_SPIRAL:
      spiral_point (label, u, point);
      return 0.0;

    case LS_PATTERN_REGRESSION:
      point[0] = 2.0 * u - 1.0;
      point[1] = 2.0 * v - 1.0;
      return 0.8 * sin (G_PI * point[0]) * cos (G_PI * point[1]);

    case LS_N_PATTERNS:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
check_generator_arguments (gsize    n_samples,
                           double   noise,
                           GError **error)
{
  if (n_samples < 2 || n_samples > LS_MAX_SAMPLES)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("A generated set must have 2 to %u samples, but %zu"
                     " were requested"),
                   LS_MAX_SAMPLES, n_samples);
      return FALSE;
    }

  if (!(noise >= 0.0 && noise <= 1.0))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("The noise of a generated set must be from 0 to 1, but it is %g"),
                   noise);
      return FALSE;
    }

  return TRUE;
}

/* Draws n_samples points of pattern from seed alone. The same arguments
 * give the same floats on every machine whose sin, cos and log round as
 * glibc's do (sqrt is exact in IEEE 754). Sample i has class i mod 2,
 * so the classes alternate and differ in size by at most one.
 *
 * Before noise every point lies in [-1, 1]². noise is the standard
 * deviation of Gaussian noise added to each coordinate, in the units of
 * that square: 0.1 moves a coordinate by 0.1 or less in about two draws
 * out of three. For LS_PATTERN_REGRESSION, the one target is
 * 0.8 · sin(πx) · cos(πy) of the point before noise, so noise blurs the
 * inputs and never the targets.
 *
 * Returns NULL with LS_ERROR_INVALID_ARGUMENT when n_samples is outside
 * 2 to LS_MAX_SAMPLES or noise outside 0 to 1. */
LsSamples *
ls_samples_generate (LsPattern   pattern,
                     gsize       n_samples,
                     double      noise,
                     guint64     seed,
                     GError    **error)
{
  g_autofree float *inputs = NULL;   /* [n_samples][2] */
  g_autofree float *targets = NULL;  /* [n_samples] */
  g_autofree guint *labels = NULL;   /* [n_samples] */
  LsShape shape;
  LsRandom random;

  g_return_val_if_fail (pattern < LS_N_PATTERNS, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_generator_arguments (n_samples, noise, error))
    return NULL;

  inputs = g_new (float, n_samples * 2);
  targets = g_new (float, n_samples);
  labels = g_new (guint, n_samples);
  ls_random_init (&random, seed);

  for (gsize i = 0; i < n_samples; i++)
    {
      double point[2];

      labels[i] = i % 2;
      targets[i] = (float) draw_point (pattern, labels[i], &random, point);
      inputs[2 * i] = (float) (point[0] + noise * ls_random_next_normal (&random));
      inputs[2 * i + 1] = (float) (point[1] + noise * ls_random_next_normal (&random));
    }

  ls_shape_init_1d (&shape, 2);
  if (pattern == LS_PATTERN_REGRESSION)
    return ls_samples_new_regression (ls_pattern_get_name (pattern), &shape, n_samples,
                                      inputs, 1, targets, error);

  return ls_samples_new_classification (ls_pattern_get_name (pattern), &shape, n_samples,
                                        inputs, labels, 2, NULL, error);
}

/* ---------------------------------------------------------------------
 * Getters
 * --------------------------------------------------------------------- */

const char *
ls_samples_get_name (LsSamples *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->name;
}

gsize
ls_samples_get_n_samples (LsSamples *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_samples;
}

const LsShape *
ls_samples_get_shape (LsSamples *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->shape;
}

gsize
ls_samples_get_input_size (LsSamples *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->input_size;
}

/* Returns the input of sample index, [input size]. */
const float *
ls_samples_get_input (LsSamples *self,
                      gsize      index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->n_samples, NULL);

  return self->inputs + index * self->input_size;
}

/* Stores the smallest and largest value of input element input over all
 * samples. */
void
ls_samples_get_bounds (LsSamples *self,
                       gsize      input,
                       float     *min,
                       float     *max)
{
  float low, high;

  g_return_if_fail (self != NULL);
  g_return_if_fail (input < self->input_size);

  low = high = self->inputs[input];
  for (gsize i = 1; i < self->n_samples; i++)
    {
      float value = self->inputs[i * self->input_size + input];

      low = MIN (low, value);
      high = MAX (high, value);
    }

  if (min != NULL)
    *min = low;
  if (max != NULL)
    *max = high;
}

gboolean
ls_samples_is_classification (LsSamples *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->labels != NULL;
}

/* Returns the number of classes, 0 for a regression set. */
gsize
ls_samples_get_n_classes (LsSamples *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_classes;
}

const char *
ls_samples_get_class_name (LsSamples *self,
                           gsize      class_index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (class_index < self->n_classes, NULL);

  return self->class_names[class_index];
}

guint
ls_samples_get_label (LsSamples *self,
                      gsize      index)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (self->labels != NULL, 0);
  g_return_val_if_fail (index < self->n_samples, 0);

  return self->labels[index];
}

/* Returns the number of target values of one sample, 0 for a
 * classification set. */
gsize
ls_samples_get_target_size (LsSamples *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->target_size;
}

/* Returns the targets of sample index, [target size]. */
const float *
ls_samples_get_target (LsSamples *self,
                       gsize      index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->targets != NULL, NULL);
  g_return_val_if_fail (index < self->n_samples, NULL);

  return self->targets + index * self->target_size;
}
