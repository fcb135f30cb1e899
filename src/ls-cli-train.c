/* ls-cli-train.c: the --train mode, which trains a document's network and saves it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ls-cli-private.h"
#include "ls-document.h"
#include "ls-engine.h"

/* The max of --epochs. Far more than any set here needs, so a larger
 * count is more likely a typing error. */
#define MAX_EPOCHS 1000000
/* The seed of --train without --seed, so that reruns repeat. */
#define DEFAULT_SEED 1

/* ---------------------------------------------------------------------
 * Options
 * --------------------------------------------------------------------- */

void
ls_cli_train_options_clear (LsCliTrainOptions *options)
{
  g_clear_pointer (&options->dataset, g_free);
  g_clear_pointer (&options->out_path, g_free);
  g_clear_pointer (&options->epochs, g_free);
  g_clear_pointer (&options->seed, g_free);
  g_clear_pointer (&options->optimizer, g_free);
  g_clear_pointer (&options->learning_rate, g_free);
  g_clear_pointer (&options->momentum, g_free);
  g_clear_pointer (&options->batch_size, g_free);
  g_clear_pointer (&options->l2, g_free);
  g_clear_pointer (&options->loss, g_free);
  g_clear_pointer (&options->samples, g_free);
  g_clear_pointer (&options->noise, g_free);
  g_clear_pointer (&options->test_fraction, g_free);
  g_clear_pointer (&options->label_column, g_free);
}

void
ls_cli_train_add_entries (GOptionContext    *context,
                          LsCliTrainOptions *options)
{
  const GOptionEntry entries[] = {
    { "train", 0, 0, G_OPTION_ARG_NONE, &options->train,
      N_("Train the network of FILE on --dataset for --epochs epochs, print the loss and accuracy "
         "after each epoch, save the trained network to --out, then exit"), NULL },
    { "dataset", 0, 0, G_OPTION_ARG_FILENAME, &options->dataset,
      N_("With --train, the training set: circles, xor, gaussians, spiral or regression (drawn "
         "from --seed), digits, fashion, or a CSV file with one sample per line"),
      N_("NAME|CSV") },
    { "epochs", 0, 0, G_OPTION_ARG_STRING, &options->epochs,
      N_("With --train, the number of passes over the training samples, 1 to 1000000"), N_("N") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &options->out_path,
      N_("With --train, the JSON file to write the trained network to; it may be FILE itself"),
      N_("TRAINED") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &options->seed,
      N_("With --train, the seed of the generated samples, the test split and the sample order "
         "(default 1); the weights start from FILE’s"), N_("S") },
    { "optimizer", 0, 0, G_OPTION_ARG_STRING, &options->optimizer,
      N_("With --train, sgd (with --momentum) or adam (default sgd)"), N_("NAME") },
    { "learning-rate", 0, 0, G_OPTION_ARG_STRING, &options->learning_rate,
      N_("With --train, the step size, above 0 and at most 10 (default 0.03 for sgd, 0.01 for adam)"),
      N_("RATE") },
    { "momentum", 0, 0, G_OPTION_ARG_STRING, &options->momentum,
      N_("With --train and sgd, the momentum, 0 to below 1 (default 0.9)"), N_("M") },
    { "batch-size", 0, 0, G_OPTION_ARG_STRING, &options->batch_size,
      N_("With --train, the samples per weight update (default 10)"), N_("N") },
    { "l2", 0, 0, G_OPTION_ARG_STRING, &options->l2,
      N_("With --train, the L2 weight decay factor, 0 to 1 (default 0)"), N_("FACTOR") },
    { "loss", 0, 0, G_OPTION_ARG_STRING, &options->loss,
      N_("With --train, cross-entropy or mse (default cross-entropy for a set of classes, "
         "mse for a set of target values)"), N_("NAME") },
    { "samples", 0, 0, G_OPTION_ARG_STRING, &options->samples,
      N_("With --train and a generated set, the number of samples before the split (default 400)"),
      N_("N") },
    { "noise", 0, 0, G_OPTION_ARG_STRING, &options->noise,
      N_("With --train and a generated set, the noise added to each point, 0 to 1 (default 0)"),
      N_("AMOUNT") },
    { "test-fraction", 0, 0, G_OPTION_ARG_STRING, &options->test_fraction,
      N_("With --train, the fraction of the samples kept out of training to test on, 0 to below 1 "
         "(default 0.2); digits and fashion keep their own test split, unless the Fashion-MNIST "
         "training files are not installed"), N_("F") },
    { "label-column", 0, 0, G_OPTION_ARG_STRING, &options->label_column,
      N_("With --train and a CSV set, the column of the labels: a header name or a number from 1 "
         "(default the last column)"), N_("COLUMN") },
    { "regression", 0, 0, G_OPTION_ARG_NONE, &options->regression,
      N_("With --train and a CSV set, read the label column as target values instead of classes"),
      NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

/* The options above that take a value, as check_flags_without_values()
 * in ls-cli.c needs them. */
const char * const *
ls_cli_train_get_value_options (void)
{
  static const char * const names[] = {
    "--dataset", "--epochs", "--out", "--seed", "--optimizer", "--learning-rate", "--momentum",
    "--batch-size", "--l2", "--loss", "--samples", "--noise", "--test-fraction", "--label-column",
    NULL
  };

  return names;
}

/* Returns the name of the first option given that only --train uses. */
static const char *
find_train_only_option (const LsCliTrainOptions *options)
{
  const struct { const char *name; gboolean given; } given[] = {
    { "--dataset", options->dataset != NULL },
    { "--epochs", options->epochs != NULL },
    { "--out", options->out_path != NULL },
    { "--seed", options->seed != NULL },
    { "--optimizer", options->optimizer != NULL },
    { "--learning-rate", options->learning_rate != NULL },
    { "--momentum", options->momentum != NULL },
    { "--batch-size", options->batch_size != NULL },
    { "--l2", options->l2 != NULL },
    { "--loss", options->loss != NULL },
    { "--samples", options->samples != NULL },
    { "--noise", options->noise != NULL },
    { "--test-fraction", options->test_fraction != NULL },
    { "--label-column", options->label_column != NULL },
    { "--regression", options->regression },
  };

  for (guint i = 0; i < G_N_ELEMENTS (given); i++)
    if (given[i].given)
      return given[i].name;

  return NULL;
}

/* Rejects a --train option without --train, and --train without one of
 * the options it needs. */
gboolean
ls_cli_train_check_combination (const LsCliTrainOptions  *options,
                                gboolean                  has_file,
                                GError                  **error)
{
  const char *option;
  const char *message = NULL;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  option = find_train_only_option (options);
  if (!options->train && option != NULL)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("%s only applies to --train; add --train"), option);
      return FALSE;
    }

  if (!options->train)
    return TRUE;

  if (!has_file)
    message = _("--train needs FILE, the network to start from");
  else if (options->dataset == NULL || options->dataset[0] == '\0')
    message = _("--train needs --dataset NAME|CSV, the samples to train on");
  else if (options->epochs == NULL)
    message = _("--train needs --epochs N, the number of passes over the samples");
  else if (options->out_path == NULL || options->out_path[0] == '\0')
    message = _("--train needs --out TRAINED, the file to write the trained network to");

  if (message != NULL)
    {
      g_set_error_literal (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT, message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_count (const char  *option,
             const char  *text,
             guint64      min,
             guint64      max,
             guint64     *value,
             GError     **error)
{
  if (g_ascii_string_to_unsigned (text, 10, min, max, value, NULL))
    return TRUE;

  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
               _("%s: invalid value “%s”; expected a whole number from %llu to %llu"),
               option, text, (unsigned long long) min, (unsigned long long) max);
  return FALSE;
}

/* The range of a real-valued option. */
typedef struct
{
  const char *option;
  double min;
  gboolean min_included;
  double max;
  gboolean max_included;
  const char *range;       /* the range in words, for the message */
} RealRange;

/* Parses a decimal number such as "0.01" or "1e-3" within range. */
static gboolean
parse_real (const RealRange  *range,
            const char       *text,
            double           *value,
            GError          **error)
{
  char *end = NULL;
  double number = g_ascii_strtod (text, &end);
  gboolean is_decimal = text[0] != '\0' && *end == '\0' && isfinite (number) &&
                        strpbrk (text, "xX") == NULL;

  if (is_decimal &&
      (number > range->min || (range->min_included && number == range->min)) &&
      (number < range->max || (range->max_included && number == range->max)))
    {
      *value = number;
      return TRUE;
    }

  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
               _("%s: invalid value “%s”; expected %s"), range->option, text, _(range->range));
  return FALSE;
}

static const RealRange learning_rate_range = {
  "--learning-rate", 0.0, FALSE, 10.0, TRUE, N_("a number above 0 and at most 10")
};
static const RealRange momentum_range = {
  "--momentum", 0.0, TRUE, 1.0, FALSE, N_("a number from 0 to below 1")
};
static const RealRange l2_range = {
  "--l2", 0.0, TRUE, 1.0, TRUE, N_("a number from 0 to 1")
};
static const RealRange noise_range = {
  "--noise", 0.0, TRUE, 1.0, TRUE, N_("a number from 0 to 1")
};
static const RealRange test_fraction_range = {
  "--test-fraction", 0.0, TRUE, 1.0, FALSE, N_("a number from 0 to below 1")
};

/* Reads the names of --help, and the names that documents use, such as
 * "mean_squared". */
static gboolean
parse_loss (const char *name,
            LsLoss     *loss)
{
  if (g_str_equal (name, "cross-entropy"))
    *loss = LS_LOSS_CROSS_ENTROPY;
  else if (g_str_equal (name, "mse"))
    *loss = LS_LOSS_MEAN_SQUARED;
  else
    return ls_loss_from_name (name, loss);

  return TRUE;
}

static gboolean
parse_optimizer_and_loss (LsCliTrainOptions  *options,
                          GError            **error)
{
  LsTrainSettings *settings = &options->settings;

  if (options->optimizer != NULL && !ls_optimizer_from_name (options->optimizer, &settings->optimizer))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("--optimizer: unknown optimizer “%s”; use %s or %s"), options->optimizer,
                   ls_optimizer_get_name (LS_OPTIMIZER_SGD), ls_optimizer_get_name (LS_OPTIMIZER_ADAM));
      return FALSE;
    }

  options->loss_given = options->loss != NULL;
  if (options->loss_given && !parse_loss (options->loss, &settings->loss))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("--loss: unknown loss “%s”; use cross-entropy or mse"), options->loss);
      return FALSE;
    }

  return TRUE;
}

/* Fills options->settings from the defaults in --help and the options. */
static gboolean
parse_settings (LsCliTrainOptions  *options,
                GError            **error)
{
  LsTrainSettings *settings = &options->settings;
  guint64 batch_size = 10;

  ls_train_settings_init (settings);
  settings->optimizer = LS_OPTIMIZER_SGD;
  settings->seed = DEFAULT_SEED;
  if (!parse_optimizer_and_loss (options, error))
    return FALSE;

  settings->learning_rate = ls_optimizer_get_default_learning_rate (settings->optimizer);
  settings->momentum = 0.9;
  settings->l2 = 0.0;

  if ((options->epochs != NULL &&
       !parse_count ("--epochs", options->epochs, 1, MAX_EPOCHS, &options->n_epochs, error)) ||
      (options->seed != NULL &&
       !parse_count ("--seed", options->seed, 0, G_MAXUINT64, &settings->seed, error)) ||
      (options->batch_size != NULL &&
       !parse_count ("--batch-size", options->batch_size, 1, LS_MAX_SAMPLES, &batch_size, error)) ||
      (options->learning_rate != NULL &&
       !parse_real (&learning_rate_range, options->learning_rate, &settings->learning_rate, error)) ||
      (options->momentum != NULL &&
       !parse_real (&momentum_range, options->momentum, &settings->momentum, error)) ||
      (options->l2 != NULL && !parse_real (&l2_range, options->l2, &settings->l2, error)))
    return FALSE;

  settings->batch_size = batch_size;
  return TRUE;
}

typedef enum
{
  SOURCE_GENERATED,  /* drawn from the seed, such as spiral */
  SOURCE_BUILT_IN,   /* an image set with its own test split, such as digits */
  SOURCE_CSV,
} SourceKind;

static SourceKind
get_source_kind (const char *source)
{
  const char *name = ls_training_data_lookup_name (source);
  LsPattern pattern;

  if (name == NULL)
    return SOURCE_CSV;

  return ls_pattern_from_name (name, &pattern) ? SOURCE_GENERATED : SOURCE_BUILT_IN;
}

/* Rejects a name that is neither a set nor an existing file, and options
 * that the kind of set does not use. */
static gboolean
check_source_options (const LsCliTrainOptions  *options,
                      GError                  **error)
{
  SourceKind kind = get_source_kind (options->dataset);
  g_autofree char *source = g_filename_display_name (options->dataset);

  if (kind == SOURCE_CSV && !g_file_test (options->dataset, G_FILE_TEST_EXISTS) &&
      !g_str_has_suffix (source, ".csv") && strchr (source, G_DIR_SEPARATOR) == NULL)
    {
      g_autofree char *names = g_strjoinv (", ", (char **) ls_training_data_get_names ());

      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("--dataset: unknown set “%s”; use one of %s, or the path of a CSV file"),
                   source, names);
      return FALSE;
    }

  if (kind != SOURCE_GENERATED && (options->samples != NULL || options->noise != NULL))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("%s only applies to a generated set such as spiral, not to “%s”; leave it out"),
                   options->samples != NULL ? "--samples" : "--noise", source);
      return FALSE;
    }

  if (kind != SOURCE_CSV && (options->label_column != NULL || options->regression))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("%s only applies to a CSV file, not to “%s”; leave it out"),
                   options->label_column != NULL ? "--label-column" : "--regression", source);
      return FALSE;
    }

  return TRUE;
}

/* Fills options->data from the defaults in --help and the options. */
static gboolean
parse_data_options (LsCliTrainOptions  *options,
                    GError            **error)
{
  LsTrainingDataOptions *data = &options->data;
  guint64 n_samples;

  ls_training_data_options_init (data);
  n_samples = data->n_samples;
  data->source = options->dataset;
  data->seed = options->settings.seed;
  data->label_column = options->label_column;
  data->regression = options->regression;

  if ((options->samples != NULL &&
       !parse_count ("--samples", options->samples, 2, LS_MAX_SAMPLES, &n_samples, error)) ||
      (options->noise != NULL && !parse_real (&noise_range, options->noise, &data->noise, error)) ||
      (options->test_fraction != NULL &&
       !parse_real (&test_fraction_range, options->test_fraction, &data->test_fraction, error)))
    return FALSE;

  data->n_samples = n_samples;
  return check_source_options (options, error);
}

/* Parses the --train options into settings and data options. Call it
 * only after ls_cli_train_check_combination() and with --train given. */
gboolean
ls_cli_train_check_options (LsCliTrainOptions  *options,
                            GError            **error)
{
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (options->train, FALSE);

  return parse_settings (options, error) && parse_data_options (options, error);
}

/* ---------------------------------------------------------------------
 * Training
 * --------------------------------------------------------------------- */

static gboolean
has_samples (LsSamples *samples)
{
  return samples != NULL && ls_samples_get_n_samples (samples) > 0;
}

/* Formats a loss with 4 decimals, or in exponent notation when it is so
 * large that decimals would print dozens of digits. */
static void
append_loss (GString    *line,
             const char *format,
             double      loss)
{
  g_autofree char *number = g_strdup_printf (fabs (loss) < 1e5 ? "%.4f" : "%.4g", loss);

  g_string_append_printf (line, format, number);
}

/* Prints "epoch 3/20  loss 0.4123  accuracy 87.5 %  test loss …" for
 * the network after the epoch, and flushes it so that a pipe shows each
 * epoch as it ends. */
static void
print_epoch (guint64        epoch,
             guint64        n_epochs,
             gboolean       classification,
             const LsScore *train_score,
             const LsScore *test_score)
{
  g_autoptr(GString) line = g_string_new (NULL);

  g_string_append_printf (line, _("epoch %llu/%llu"),
                          (unsigned long long) epoch, (unsigned long long) n_epochs);
  /* TRANSLATORS: %s is a loss such as 0.4123, after "epoch 3/20" */
  append_loss (line, _("  loss %s"), train_score->loss);
  if (classification)
    g_string_append_printf (line, _("  accuracy %.1f %%"), 100.0 * train_score->accuracy);

  if (test_score != NULL)
    {
      append_loss (line, _("  test loss %s"), test_score->loss);
      if (classification)
        g_string_append_printf (line, _("  test accuracy %.1f %%"), 100.0 * test_score->accuracy);
    }

  g_print ("%s\n", line->str);
  fflush (stdout);
}

/* Scores the network after an epoch on the training and test samples.
 * Each step checks its own batch, but the last step's update can still
 * make some sample's outputs overflow. So a loss that is not finite
 * stops the training as a divergence too. */
static gboolean
score_epoch (LsTrainer  *trainer,
             guint64     epoch,
             LsScore    *train_score,
             LsScore    *test_score,
             GError    **error)
{
  LsSamples *test = ls_trainer_get_test_samples (trainer);

  ls_trainer_evaluate (trainer, ls_trainer_get_train_samples (trainer), train_score);
  if (has_samples (test))
    ls_trainer_evaluate (trainer, test, test_score);

  if (isfinite (train_score->loss) && (!has_samples (test) || isfinite (test_score->loss)))
    return TRUE;

  g_set_error (error, LS_ERROR, LS_ERROR_DIVERGED,
               _("Training stopped after epoch %llu: the loss on the %s samples is not a "
                 "finite number, because the network’s outputs overflow for some of them. "
                 "Lower the learning rate or the input values, and train again."),
               (unsigned long long) epoch,
               isfinite (train_score->loss) ? _("test") : _("training"));
  return FALSE;
}

/* Runs the epochs and returns the scores of the last one. A divergence
 * fails with the trainer's message and a note that out_name was not
 * written, because a file of the last weights would claim a training
 * that failed. */
static gboolean
run_epochs (LsTrainer   *trainer,
            guint64      n_epochs,
            const char  *out_name,
            LsScore     *train_score,
            LsScore     *test_score,
            GError     **error)
{
  gboolean classification = ls_samples_is_classification (ls_trainer_get_train_samples (trainer));
  gboolean has_test = has_samples (ls_trainer_get_test_samples (trainer));

  for (guint64 epoch = 1; epoch <= n_epochs; epoch++)
    {
      g_autoptr(GError) epoch_error = NULL;

      if (!ls_trainer_run_epoch (trainer, &epoch_error) ||
          !score_epoch (trainer, epoch, train_score, test_score, &epoch_error))
        {
          g_set_error (error, epoch_error->domain, epoch_error->code,
                       _("%s “%s” was not written, because it would contain the weights of a "
                         "failed training."),
                       epoch_error->message, out_name);
          return FALSE;
        }

      print_epoch (epoch, n_epochs, classification, train_score, has_test ? test_score : NULL);
    }

  return TRUE;
}

/* Records how the trained network does on the test samples, or on the
 * training samples when no test samples were kept out, from the scores
 * of the last epoch. A regression set has no count of correct samples,
 * so it leaves the network without a record rather than with the old
 * one of its earlier weights. */
static void
record_evaluation (LsTrainer     *trainer,
                   LsNetwork     *network,
                   const char    *source,
                   const LsScore *train_score,
                   const LsScore *test_score)
{
  LsSamples *test = ls_trainer_get_test_samples (trainer);
  LsSamples *samples = has_samples (test) ? test : ls_trainer_get_train_samples (trainer);
  g_autofree char *base_name = g_path_get_basename (source);
  g_autofree char *fallback_name = g_filename_display_name (base_name);
  const LsScore *score = samples == test ? test_score : train_score;
  LsEvaluation evaluation = { 0 };

  if (!ls_samples_is_classification (samples))
    {
      ls_network_set_evaluation (network, NULL);
      return;
    }

  evaluation.name = (char *) ls_samples_get_name (samples);
  if (evaluation.name == NULL)
    evaluation.name = fallback_name;
  evaluation.split = samples == test ? "test" : "train";
  evaluation.samples = score->samples;
  evaluation.correct = score->correct;
  ls_network_set_evaluation (network, &evaluation);
}

/* Returns whether a and b are the same existing file, even by other
 * names or through links. */
static gboolean
is_same_file (GFile *a,
              GFile *b)
{
  g_autoptr(GFileInfo) info_a = g_file_query_info (a, G_FILE_ATTRIBUTE_ID_FILE,
                                                   G_FILE_QUERY_INFO_NONE, NULL, NULL);
  g_autoptr(GFileInfo) info_b = g_file_query_info (b, G_FILE_ATTRIBUTE_ID_FILE,
                                                   G_FILE_QUERY_INFO_NONE, NULL, NULL);

  return info_a != NULL && info_b != NULL &&
         g_strcmp0 (g_file_info_get_attribute_string (info_a, G_FILE_ATTRIBUTE_ID_FILE),
                    g_file_info_get_attribute_string (info_b, G_FILE_ATTRIBUTE_ID_FILE)) == 0;
}

/* Fails before training when --out cannot take the trained network, so
 * that a long training is not lost to a typing error. Its folder must
 * exist, and it must be a new file or a regular one. The document is
 * written to a temporary file and renamed over --out. That would replace
 * a device such as /dev/null or a pipe rather than write into it, and
 * would overwrite the CSV file of --dataset. */
static gboolean
check_out_target (GFile                    *out,
                  const char               *out_name,
                  const LsCliTrainOptions  *options,
                  GError                  **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (out);
  g_autoptr(GFile) dataset = g_file_new_for_commandline_arg (options->dataset);
  GFileType type = g_file_query_file_type (out, G_FILE_QUERY_INFO_NONE, NULL);

  if (parent != NULL && g_file_query_file_type (parent, G_FILE_QUERY_INFO_NONE, NULL) != G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("--out: the folder of “%s” does not exist; create it or write to another file"),
                   out_name);
      return FALSE;
    }

  if (type != G_FILE_TYPE_UNKNOWN && type != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("--out: “%s” is a folder or a special file, not a regular file; name the "
                     ".json file to write the trained network to"),
                   out_name);
      return FALSE;
    }

  if (get_source_kind (options->dataset) == SOURCE_CSV && is_same_file (out, dataset))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("--out: “%s” is the --dataset file, which writing would overwrite; "
                     "write the trained network to another file"),
                   out_name);
      return FALSE;
    }

  return TRUE;
}

/* Loads the samples and makes the trainer, which fails when they do not
 * fit the network. Errors name --dataset and its value. */
static LsTrainer *
create_trainer (LsNetwork                *network,
                const LsCliTrainOptions  *options,
                GError                  **error)
{
  g_autofree char *source = g_filename_display_name (options->dataset);
  g_autoptr(LsSamples) train = NULL;
  g_autoptr(LsSamples) test = NULL;
  LsTrainSettings settings = options->settings;
  LsTrainer *trainer;

  /* The errors of a CSV file name the file already. */
  if (!ls_training_data_load (&options->data, &train, &test, error))
    {
      if (get_source_kind (options->dataset) == SOURCE_CSV)
        g_prefix_error (error, "--dataset: ");
      else
        g_prefix_error (error, "--dataset %s: ", source);
      return NULL;
    }

  if (!options->loss_given)
    settings.loss = ls_samples_is_classification (train) ? LS_LOSS_CROSS_ENTROPY : LS_LOSS_MEAN_SQUARED;

  trainer = ls_trainer_new (network, &settings, train, has_samples (test) ? test : NULL, error);
  if (trainer == NULL)
    g_prefix_error (error, "--dataset %s: ", source);

  return trainer;
}

/* Trains the network on the --dataset samples, copies the trained weights
 * into it and saves it to --out. The document is written only after every
 * epoch succeeded, and atomically, so --out may be the network's own file. */
int
ls_cli_train_run (LsNetwork               *network,
                  const LsCliTrainOptions *options,
                  GError                 **error)
{
  g_autoptr(GFile) out = g_file_new_for_commandline_arg (options->out_path);
  g_autofree char *out_name = g_filename_display_name (options->out_path);
  g_autoptr(LsTrainer) trainer = NULL;
  LsScore train_score = { 0 }, test_score = { 0 };

  g_return_val_if_fail (LS_IS_NETWORK (network), EXIT_FAILED);
  g_return_val_if_fail (options != NULL && options->train, EXIT_FAILED);

  if (!check_out_target (out, out_name, options, error))
    return EXIT_USAGE;

  trainer = create_trainer (network, options, error);
  if (trainer == NULL)
    return EXIT_USAGE;

  if (!run_epochs (trainer, options->n_epochs, out_name, &train_score, &test_score, error) ||
      !ls_trainer_copy_to (trainer, network, error))
    return EXIT_FAILED;

  record_evaluation (trainer, network, options->dataset, &train_score, &test_score);
  if (!ls_document_save_file (network, out, error))
    return EXIT_FAILED;

  return EXIT_OK;
}
