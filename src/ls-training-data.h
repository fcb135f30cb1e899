/* ls-training-data.h: the training sets a user can pick by name or file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ls-samples.h"

G_BEGIN_DECLS

/* Where training samples come from, and how to split them. */
typedef struct
{
  const char *source;        /* "circles", "xor", "gaussians", "spiral", "regression",
                              * "digits", "fashion-mnist" (or "fashion"), or the path of a CSV file */
  gsize n_samples;           /* generated sets: samples before the split */
  double noise;              /* generated sets: 0 to 1 */
  double test_fraction;      /* 0 to below 1, for the generated and CSV sets, and for
                              * Fashion-MNIST when only its shipped test images exist;
                              * the digits and a full Fashion-MNIST keep their own split */
  guint64 seed;              /* generated sets and the split */
  const char *label_column;  /* CSV: a header name or a 1-based column number;
                              * NULL for the last column */
  gboolean regression;       /* CSV: the label column contains target values, not classes */
} LsTrainingDataOptions;

const char * const *ls_training_data_get_names (void);
const char *ls_training_data_get_display_name  (const char                  *name);
const char *ls_training_data_lookup_name       (const char                  *source);

void      ls_training_data_options_init        (LsTrainingDataOptions       *options);
gboolean  ls_training_data_load                (const LsTrainingDataOptions *options,
                                                LsSamples                  **train,
                                                LsSamples                  **test,
                                                GError                     **error);
LsSamples *ls_training_data_load_csv           (GFile                       *file,
                                                const char                  *label_column,
                                                gboolean                     regression,
                                                GError                     **error);

G_END_DECLS
