/* ls-cli-private.h: the exit statuses and the --train mode shared by the command-line files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ls-network.h"
#include "ls-trainer.h"
#include "ls-training-data.h"

G_BEGIN_DECLS

enum
{
  EXIT_OK = 0,
  EXIT_FAILED = 1,  /* the document could not be loaded, drawn, trained or saved */
  EXIT_USAGE = 2,   /* invalid command-line arguments */
};

/* The options of --train, as given and as parsed. Numbers are taken as
 * text so that an invalid one gets a message that names its option and
 * range. */
typedef struct
{
  gboolean train;
  char *dataset;        /* a set name or the path of a CSV file, in the file name encoding */
  char *out_path;       /* in the file name encoding */
  char *epochs;
  char *seed;
  char *optimizer;
  char *learning_rate;
  char *momentum;
  char *batch_size;
  char *l2;
  char *loss;
  char *samples;
  char *noise;
  char *test_fraction;
  char *label_column;
  gboolean regression;

  /* Parsed from the text above by ls_cli_train_check_options() */
  guint64 n_epochs;
  gboolean loss_given;  /* else the loss follows the kind of set */
  LsTrainSettings settings;
  LsTrainingDataOptions data;  /* points into the strings above */
} LsCliTrainOptions;

void     ls_cli_train_options_clear     (LsCliTrainOptions  *options);
void     ls_cli_train_add_entries       (GOptionContext     *context,
                                         LsCliTrainOptions  *options);
const char * const *ls_cli_train_get_value_options (void);
gboolean ls_cli_train_check_combination (const LsCliTrainOptions  *options,
                                         gboolean                  has_file,
                                         GError                  **error);
gboolean ls_cli_train_check_options     (LsCliTrainOptions  *options,
                                         GError            **error);
int      ls_cli_train_run               (LsNetwork          *network,
                                         const LsCliTrainOptions *options,
                                         GError            **error);

G_END_DECLS
