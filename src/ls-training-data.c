/* ls-training-data.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-training-data"

#include "config.h"

#include <float.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ls-dataset.h"
#include "ls-error.h"
#include "ls-training-data.h"

/* The largest CSV file read, so that a wrong file cannot fill the memory. */
#define MAX_CSV_BYTES (G_GUINT64_CONSTANT (256) << 20)

/* The split of a generated or CSV set takes its own seed, derived from
 * the options' seed, so that it does not repeat the generator's draws. */
#define SPLIT_SEED_OFFSET G_GUINT64_CONSTANT (0x5bd1e995)

typedef struct
{
  const char *name;
  const char *display_name;  /* marked with N_() and translated on use */
} SourceInfo;

static const SourceInfo builtin_sources[] = {
  { "circles", N_("Circles") },
  { "xor", N_("Exclusive or") },
  { "gaussians", N_("Two Gaussian clouds") },
  { "spiral", N_("Two spirals") },
  { "regression", N_("Smooth surface (regression)") },
  { "digits", N_("Handwritten digits") },
  { "fashion-mnist", N_("Fashion-MNIST clothing") },
};

static const char * const builtin_names[] = {
  "circles", "xor", "gaussians", "spiral", "regression", "digits", "fashion-mnist", NULL,
};

G_STATIC_ASSERT (G_N_ELEMENTS (builtin_sources) + 1 == G_N_ELEMENTS (builtin_names));

/* Returns the names of the built-in training sets, NULL-terminated. Any
 * other source is read as the path of a CSV file. */
const char * const *
ls_training_data_get_names (void)
{
  return builtin_names;
}

/* Returns the name of the built-in set that source names, or NULL when
 * source is the path of a CSV file. "fashion" is the short name of
 * "fashion-mnist" that the command line documents. */
const char *
ls_training_data_lookup_name (const char *source)
{
  g_return_val_if_fail (source != NULL, NULL);

  if (g_str_equal (source, "fashion"))
    return "fashion-mnist";
  for (gsize i = 0; builtin_names[i] != NULL; i++)
    if (g_str_equal (source, builtin_names[i]))
      return builtin_names[i];

  return NULL;
}

/* Returns the translated title of a built-in training set, or NULL for a
 * name that is not built in. */
const char *
ls_training_data_get_display_name (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (builtin_sources); i++)
    if (g_str_equal (name, builtin_sources[i].name))
      return _(builtin_sources[i].display_name);

  return NULL;
}

/* Sets the defaults: the circles set of 400 samples without noise, as
 * TensorFlow Playground starts, a fifth of them for testing, seed 1, and
 * a CSV's last column as class labels. */
void
ls_training_data_options_init (LsTrainingDataOptions *options)
{
  g_return_if_fail (options != NULL);

  options->source = "circles";
  options->n_samples = 400;
  options->noise = 0.0;
  options->test_fraction = 0.2;
  options->seed = 1;
  options->label_column = NULL;
  options->regression = FALSE;
}

/* ---------------------------------------------------------------------
 * Built-in image data sets
 * --------------------------------------------------------------------- */

/* Returns the images of dataset as one [n_samples][sample size] block.
 * LsDataset stores them that way, so this copies them into *copy only
 * when the samples are not found one after another. */
static const float *
gather_images (LsDataset  *dataset,
               float     **copy)
{
  gsize n_samples = ls_dataset_get_n_samples (dataset);
  gsize size = ls_dataset_get_sample_size (dataset);
  const float *first = ls_dataset_get_sample (dataset, 0);

  if (ls_dataset_get_sample (dataset, n_samples - 1) == first + (n_samples - 1) * size)
    return first;

  *copy = g_new (float, n_samples * size);
  for (gsize i = 0; i < n_samples; i++)
    memcpy (*copy + i * size, ls_dataset_get_sample (dataset, i), size * sizeof (float));

  return *copy;
}

/* Copies an image data set into a classification set named name. */
static LsSamples *
samples_from_dataset (LsDataset   *dataset,
                      const char  *name,
                      GError     **error)
{
  gsize n_samples = ls_dataset_get_n_samples (dataset);
  gsize n_classes = ls_dataset_get_n_classes (dataset);
  g_autofree guint *labels = g_new (guint, n_samples);              /* [n_samples] */
  g_autofree const char **class_names = g_new0 (const char *, n_classes + 1);
  g_autofree float *copy = NULL;
  const float *images;                                               /* [n_samples][size] */

  for (gsize i = 0; i < n_samples; i++)
    labels[i] = (guint) ls_dataset_get_label (dataset, i);
  for (gsize i = 0; i < n_classes; i++)
    class_names[i] = ls_dataset_get_class_name (dataset, i);

  images = gather_images (dataset, &copy);
  return ls_samples_new_classification (name, ls_dataset_get_sample_shape (dataset), n_samples,
                                        images, labels, n_classes, class_names, error);
}

static LsSamples *
load_dataset_split (const char  *dataset_name,
                    const char  *split,
                    const char  *name,
                    GError     **error)
{
  g_autoptr(LsDataset) dataset = ls_dataset_load_builtin (dataset_name, split, error);

  if (dataset == NULL)
    return NULL;

  return samples_from_dataset (dataset, name, error);
}

static gboolean
load_digits (LsSamples **train,
             LsSamples **test,
             GError    **error)
{
  g_autoptr(LsSamples) train_set = load_dataset_split ("digits", "train", "digits", error);
  g_autoptr(LsSamples) test_set = NULL;

  if (train_set == NULL)
    return FALSE;

  test_set = load_dataset_split ("digits", "test", "digits", error);
  if (test_set == NULL)
    return FALSE;

  *train = g_steal_pointer (&train_set);
  *test = g_steal_pointer (&test_set);

  return TRUE;
}

/* Loads Fashion-MNIST's own training and test splits when the
 * dataset-fashion-mnist package is installed. Without it, only the 1000
 * test images shipped with Layerscope exist, and they are split with
 * test_fraction like a CSV file. */
static gboolean
load_fashion (const LsTrainingDataOptions  *options,
              LsSamples                   **train,
              LsSamples                   **test,
              GError                      **error)
{
  g_autoptr(LsSamples) train_set = NULL;
  g_autoptr(LsSamples) test_set = NULL;
  g_autoptr(GError) local_error = NULL;

  train_set = load_dataset_split ("fashion-mnist", "train", "fashion-mnist", &local_error);
  if (train_set == NULL && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  test_set = load_dataset_split ("fashion-mnist", "test", "fashion-mnist", error);
  if (test_set == NULL)
    return FALSE;

  if (train_set == NULL)
    {
      ls_samples_split (test_set, options->test_fraction, options->seed + SPLIT_SEED_OFFSET,
                        train, test);
      return TRUE;
    }

  *train = g_steal_pointer (&train_set);
  *test = g_steal_pointer (&test_set);

  return TRUE;
}

/* ---------------------------------------------------------------------
 * CSV files
 * --------------------------------------------------------------------- */

/* The state of reading one CSV file. Nothing of it reaches the caller
 * until the whole file has been read without error. */
typedef struct
{
  const char *file_name;  /* the file's base name, for messages */
  gboolean regression;
  gsize n_columns;
  gsize label_index;      /* 0-based */
  gsize n_rows;           /* data rows read so far */
  GArray *inputs;         /* float [n_rows][n_columns - 1] */
  GArray *targets;        /* float [n_rows], for regression */
  GPtrArray *labels;      /* char * [n_rows], for classification */
  GArray *lines;          /* gsize [n_rows], each row's 1-based line number */
} CsvReader;

static void
csv_reader_clear (CsvReader *reader)
{
  g_clear_pointer (&reader->inputs, g_array_unref);
  g_clear_pointer (&reader->targets, g_array_unref);
  g_clear_pointer (&reader->labels, g_ptr_array_unref);
  g_clear_pointer (&reader->lines, g_array_unref);
}

/* Reads a quoted field that starts at *p, a '"', up to its closing quote;
 * a doubled quote inside stands for one quote. Leaves *p after it. */
static gboolean
read_quoted_field (const CsvReader  *reader,
                   gsize             line_number,
                   gsize             column,
                   const char      **p,
                   GString          *field,
                   GError          **error)
{
  const char *s = *p + 1;

  for (;;)
    {
      if (*s == '\0')
        {
          g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                       _("%s line %zu, column %zu: the quoted "
                         "field has no closing quote; close it on the same line, because "
                         "quoted fields cannot span lines"),
                       reader->file_name, line_number, column);
          return FALSE;
        }
      if (s[0] == '"' && s[1] == '"')
        {
          g_string_append_c (field, '"');
          s += 2;
        }
      else if (s[0] == '"')
        break;
      else
        g_string_append_c (field, *s++);
    }

  *p = s + 1;

  return TRUE;
}

/* Reads the field that starts at *p and leaves *p at the comma or the end
 * of the line after it. Spaces around a field are dropped. */
static char *
read_field (const CsvReader  *reader,
            gsize             line_number,
            gsize             column,
            const char      **p,
            GError          **error)
{
  g_autoptr(GString) field = g_string_new (NULL);
  const char *s = *p;

  while (*s == ' ' || *s == '\t')
    s++;

  if (*s == '"')
    {
      if (!read_quoted_field (reader, line_number, column, &s, field, error))
        return NULL;
      while (*s == ' ' || *s == '\t')
        s++;
      if (*s != ',' && *s != '\0')
        {
          g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                       _("%s line %zu, column %zu: text follows "
                         "the closing quote; put the whole field inside the quotes"),
                       reader->file_name, line_number, column);
          return NULL;
        }
    }
  else
    {
      while (*s != ',' && *s != '\0')
        g_string_append_c (field, *s++);
      g_strchomp (field->str);
    }

  *p = s;

  return g_strdup (field->str);
}

/* Splits one line, without its line break, into fields. */
static GStrv
split_line (const CsvReader  *reader,
            const char       *line,
            gsize             line_number,
            GError          **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *p = line;

  for (gsize column = 1; ; column++)
    {
      g_autofree char *field = read_field (reader, line_number, column, &p, error);

      if (field == NULL)
        return NULL;
      g_strv_builder_add (builder, field);
      if (*p == '\0')
        break;
      p++;  /* past the comma */
    }

  return g_strv_builder_end (builder);
}

/* Parses a whole field as a finite number in float range, in the C
 * locale's notation whatever the user's locale. */
static gboolean
parse_number (const char *field,
              double     *value)
{
  char *end = NULL;

  if (*field == '\0')
    return FALSE;

  *value = g_ascii_strtod (field, &end);

  return *end == '\0' && isfinite (*value) && fabs (*value) <= FLT_MAX;
}

static void
set_not_a_number_error (const CsvReader  *reader,
                        gsize             line_number,
                        gsize             column,
                        const char       *field,
                        GError          **error)
{
  if (*field == '\0')
    g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                 _("%s line %zu, column %zu is empty; fill "
                   "in a number or remove the line"),
                 reader->file_name, line_number, column);
  else
    g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                 _("%s line %zu, column %zu: “%s” is not a "
                   "finite number; fix the value or remove the line"),
                 reader->file_name, line_number, column, field);
}

/* Returns whether a field is written as a number, finite or not: "1e39"
 * and "nan" are numbers that parse_number() rejects, not names. */
static gboolean
is_written_as_number (const char *field)
{
  char *end = NULL;

  if (*field == '\0')
    return FALSE;
  g_ascii_strtod (field, &end);

  return *end == '\0';
}

/* A first row is a header when a field that must be a number is not
 * written as one: any input field, and for regression the label field
 * too. A first row whose only text is a class label is a sample with a
 * named class. A first row with a value such as 1e39 is a sample, whose
 * value is then rejected. */
static gboolean
row_is_header (const CsvReader    *reader,
               const char * const *fields)
{
  for (gsize i = 0; fields[i] != NULL; i++)
    {
      if (i == reader->label_index && !reader->regression)
        continue;
      /* An empty field is a missing value of a sample, not a name. */
      if (*fields[i] != '\0' && !is_written_as_number (fields[i]))
        return TRUE;
    }

  return FALSE;
}

/* Returns label_column as a 1-based column number, or 0 when it is a
 * name. */
static gsize
parse_column_number (const char *label_column)
{
  guint64 number = 0;

  if (!g_ascii_string_to_unsigned (label_column, 10, 1, G_MAXSIZE, &number, NULL))
    return 0;

  return (gsize) number;
}

static gboolean
find_named_column (CsvReader           *reader,
                   const char * const  *header,
                   const char          *label_column,
                   GError             **error)
{
  g_autofree char *names = NULL;
  double value;
  gboolean all_numbers = TRUE;

  for (gsize i = 0; header[i] != NULL; i++)
    all_numbers = all_numbers && parse_number (header[i], &value);
  if (all_numbers)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   _("%s has no header row, so it has no label column named “%s”; give the "
                     "label column as a number from 1 to %zu"),
                   reader->file_name, label_column, reader->n_columns);
      return FALSE;
    }

  for (gsize i = 0; header[i] != NULL; i++)
    {
      if (g_str_equal (header[i], label_column))
        {
          reader->label_index = i;
          return TRUE;
        }
    }

  names = g_strjoinv (", ", (char **) header);
  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
               _("%s: the label column “%s” was not found; the header names are %s"),
               reader->file_name, label_column, names);

  return FALSE;
}

/* Finds the label column in the first row and decides whether that row
 * is a header. A label column given by name needs a header row that
 * contains it; a number counts columns from 1. */
static gboolean
find_label_column (CsvReader           *reader,
                   const char * const  *first_row,
                   const char          *label_column,
                   gboolean            *has_header,
                   GError             **error)
{
  gsize number = label_column != NULL ? parse_column_number (label_column) : reader->n_columns;

  if (label_column != NULL && number == 0)
    {
      *has_header = TRUE;
      return find_named_column (reader, first_row, label_column, error);
    }

  if (number > reader->n_columns)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   _("%s: there is no label column %zu, because the file has "
                     "%zu columns; give a number from 1 to %zu"),
                   reader->file_name, number, reader->n_columns, reader->n_columns);
      return FALSE;
    }

  reader->label_index = number - 1;
  *has_header = row_is_header (reader, first_row);

  return TRUE;
}

/* Checks the field count of a row and stores its inputs and label. */
static gboolean
read_row (CsvReader           *reader,
          const char * const  *fields,
          gsize                line_number,
          gboolean             has_header,
          GError             **error)
{
  gsize n_fields = g_strv_length ((char **) fields);

  if (n_fields != reader->n_columns)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   has_header
                   ? _("%s line %zu has %zu fields, but the "
                       "header has %zu; give every line the same columns")
                   : _("%s line %zu has %zu fields, but the "
                       "first line has %zu; give every line the same columns"),
                   reader->file_name, line_number, n_fields, reader->n_columns);
      return FALSE;
    }

  for (gsize i = 0; i < n_fields; i++)
    {
      double value = 0.0;
      float number;

      if (i == reader->label_index && !reader->regression)
        continue;
      if (!parse_number (fields[i], &value))
        {
          set_not_a_number_error (reader, line_number, i + 1, fields[i], error);
          return FALSE;
        }
      number = (float) value;
      g_array_append_val (i == reader->label_index ? reader->targets : reader->inputs, number);
    }

  if (!reader->regression && *fields[reader->label_index] == '\0')
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   _("%s line %zu, column %zu is empty; fill "
                     "in the class label or remove the line"),
                   reader->file_name, line_number, reader->label_index + 1);
      return FALSE;
    }

  if (!reader->regression)
    g_ptr_array_add (reader->labels, g_strdup (fields[reader->label_index]));
  g_array_append_val (reader->lines, line_number);
  reader->n_rows++;

  return TRUE;
}

/* Reads the first row: the number of columns, the label column and,
 * unless it is a header, the first sample. */
static gboolean
read_first_row (CsvReader           *reader,
                const char * const  *fields,
                gsize                line_number,
                const char          *label_column,
                gboolean            *has_header,
                GError             **error)
{
  reader->n_columns = g_strv_length ((char **) fields);
  if (reader->n_columns < 2)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   _("%s line %zu has a single column, but a training set "
                     "needs at least one input column and a label column; separate the "
                     "columns with commas"),
                   reader->file_name, line_number);
      return FALSE;
    }

  if (!find_label_column (reader, fields, label_column, has_header, error))
    return FALSE;

  if (*has_header)
    return TRUE;

  return read_row (reader, fields, line_number, FALSE, error);
}

/* Cuts the line at *next off the text, without its "\n" or "\r\n",
 * and moves *next to the line after it, or to NULL after the last. */
static char *
take_line (char **next)
{
  char *line = *next;
  char *newline = strchr (line, '\n');

  *next = newline != NULL ? newline + 1 : NULL;
  if (newline == NULL)
    return line;

  *newline = '\0';
  if (newline > line && newline[-1] == '\r')
    newline[-1] = '\0';

  return line;
}

static gboolean
check_has_samples (const CsvReader  *reader,
                   gboolean          has_first_row,
                   GError          **error)
{
  if (!has_first_row)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   _("%s is empty; a training file needs one line of numbers per sample"),
                   reader->file_name);
      return FALSE;
    }

  if (reader->n_rows == 0)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   _("%s has a header but no samples; add one line of numbers per sample"),
                   reader->file_name);
      return FALSE;
    }

  return TRUE;
}

/* Reads every non-blank line of contents, which ends with a '\0'. */
static gboolean
read_lines (CsvReader   *reader,
            char        *contents,
            const char  *label_column,
            GError     **error)
{
  gboolean has_header = FALSE;
  gboolean has_first_row = FALSE;
  gsize line_number = 0;
  char *next = contents;

  while (next != NULL)
    {
      char *line = take_line (&next);
      g_auto(GStrv) fields = NULL;
      gboolean ok;

      line_number++;
      if (*g_strstrip (line) == '\0')
        continue;

      if (reader->n_rows >= LS_MAX_SAMPLES)
        {
          g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                       _("%s has more than %u samples; use a smaller file"),
                       reader->file_name, LS_MAX_SAMPLES);
          return FALSE;
        }

      fields = split_line (reader, line, line_number, error);
      if (fields == NULL)
        return FALSE;

      if (!has_first_row)
        ok = read_first_row (reader, (const char * const *) fields, line_number, label_column,
                             &has_header, error);
      else
        ok = read_row (reader, (const char * const *) fields, line_number, has_header, error);
      if (!ok)
        return FALSE;
      has_first_row = TRUE;
    }

  return check_has_samples (reader, has_first_row, error);
}

/* Reads a class label that is a number: it must be a whole number from 0
 * to LS_MAX_CLASSES - 1. */
static gboolean
parse_class_number (const CsvReader  *reader,
                    gsize             row,
                    guint            *label,
                    GError          **error)
{
  const char *field = g_ptr_array_index (reader->labels, row);
  double value = 0.0;

  if (!parse_number (field, &value) || value < 0 || value >= LS_MAX_CLASSES ||
      value != floor (value))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   _("%s line %zu, column %zu: the class label "
                     "“%s” is not a whole number from 0 to %d; to predict this column as a "
                     "number, read it as regression targets"),
                   reader->file_name, g_array_index (reader->lines, gsize, row),
                   reader->label_index + 1, field, LS_MAX_CLASSES - 1);
      return FALSE;
    }

  *label = (guint) value;

  return TRUE;
}

/* Returns whether every label of the file is a number. */
static gboolean
labels_are_numbers (const CsvReader *reader)
{
  for (gsize row = 0; row < reader->n_rows; row++)
    {
      double value;

      if (!parse_number (g_ptr_array_index (reader->labels, row), &value))
        return FALSE;
    }

  return TRUE;
}

/* Numbers the classes by their labels: label k is class k, and there
 * are as many classes as the largest label plus one. */
static gboolean
number_classes (const CsvReader  *reader,
                guint            *labels,
                gsize            *n_classes,
                GError          **error)
{
  *n_classes = 0;
  for (gsize row = 0; row < reader->n_rows; row++)
    {
      if (!parse_class_number (reader, row, &labels[row], error))
        return FALSE;
      *n_classes = MAX (*n_classes, (gsize) labels[row] + 1);
    }

  return TRUE;
}

/* Rejects a label column of names that also has labels written as
 * numbers. Read as a name, "2" would become whatever class its first
 * appearance gives it. So one typing error in a column of class numbers
 * would renumber every class. */
static gboolean
check_names_only (const CsvReader  *reader,
                  GError          **error)
{
  gsize number_row = reader->n_rows, name_row = reader->n_rows;

  for (gsize row = 0; row < reader->n_rows; row++)
    {
      if (is_written_as_number (g_ptr_array_index (reader->labels, row)))
        number_row = MIN (number_row, row);
      else
        name_row = MIN (name_row, row);
    }

  if (number_row == reader->n_rows || name_row == reader->n_rows)
    return TRUE;

  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
               _("%s: the label column mixes class numbers and names, such as “%s” on line "
                 "%zu and “%s” on line %zu; use only numbers from 0 or only names"),
               reader->file_name,
               (const char *) g_ptr_array_index (reader->labels, number_row),
               g_array_index (reader->lines, gsize, number_row),
               (const char *) g_ptr_array_index (reader->labels, name_row),
               g_array_index (reader->lines, gsize, name_row));
  return FALSE;
}

/* Numbers the classes by the order in which their names first appear. */
static gboolean
name_classes (const CsvReader  *reader,
              guint            *labels,
              GPtrArray        *class_names,
              GError          **error)
{
  g_autoptr(GHashTable) classes = g_hash_table_new (g_str_hash, g_str_equal);

  if (!check_names_only (reader, error))
    return FALSE;

  for (gsize row = 0; row < reader->n_rows; row++)
    {
      char *name = g_ptr_array_index (reader->labels, row);
      gpointer index;

      if (!g_hash_table_lookup_extended (classes, name, NULL, &index))
        {
          if (class_names->len >= LS_MAX_CLASSES)
            {
              g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                           _("%s line %zu: the label “%s” makes more than %d "
                             "classes; merge classes, or read the column as regression targets "
                             "if it contains numbers"),
                           reader->file_name, g_array_index (reader->lines, gsize, row), name,
                           LS_MAX_CLASSES);
              return FALSE;
            }
          index = GUINT_TO_POINTER (class_names->len);
          g_hash_table_insert (classes, name, index);
          g_ptr_array_add (class_names, name);
        }
      labels[row] = GPOINTER_TO_UINT (index);
    }

  return TRUE;
}

static gboolean
all_labels_equal (const guint *labels,
                  gsize        n_labels)
{
  for (gsize i = 1; i < n_labels; i++)
    if (labels[i] != labels[0])
      return FALSE;

  return TRUE;
}

static LsSamples *
make_classification (const CsvReader  *reader,
                     const LsShape    *shape,
                     GError          **error)
{
  g_autofree guint *labels = g_new (guint, reader->n_rows);  /* [n_rows] */
  g_autoptr(GPtrArray) class_names = g_ptr_array_new ();     /* borrowed from reader->labels */
  gsize n_classes;

  if (labels_are_numbers (reader))
    {
      if (!number_classes (reader, labels, &n_classes, error))
        return NULL;
    }
  else
    {
      if (!name_classes (reader, labels, class_names, error))
        return NULL;
      n_classes = class_names->len;
      g_ptr_array_add (class_names, NULL);
    }

  if (all_labels_equal (labels, reader->n_rows))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   _("%s: every class label is “%s”, but a training set needs at least 2 "
                     "classes; add samples of another class"),
                   reader->file_name, (const char *) g_ptr_array_index (reader->labels, 0));
      return NULL;
    }

  return ls_samples_new_classification (reader->file_name, shape, reader->n_rows,
                                        (const float *) (gpointer) reader->inputs->data, labels,
                                        n_classes,
                                        class_names->len > 0
                                        ? (const char * const *) class_names->pdata : NULL,
                                        error);
}

static char *
load_csv_contents (GFile       *file,
                   const char  *file_name,
                   gsize       *length,
                   GError     **error)
{
  g_autoptr(GFileInfo) info = NULL;
  char *contents = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL,
                            error);
  if (info == NULL)
    return NULL;

  if ((guint64) g_file_info_get_size (info) > MAX_CSV_BYTES)
    {
      g_autofree char *size = g_format_size (g_file_info_get_size (info));

      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   _("%s is %s, more than the maximum of 256 MiB for a training file; use a "
                     "smaller file"),
                   file_name, size);
      return NULL;
    }

  if (!g_file_load_contents (file, NULL, &contents, length, NULL, error))
    return NULL;

  if (*length > MAX_CSV_BYTES || !g_utf8_validate (contents, *length, NULL))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   *length > MAX_CSV_BYTES
                   ? _("%s is larger than the maximum of 256 MiB for a training file; use a "
                       "smaller file")
                   : _("%s is not UTF-8 text; save it as a UTF-8 CSV file"),
                   file_name);
      g_free (contents);
      return NULL;
    }

  return contents;
}

/* Reads a training set from a CSV file. See ls-training-data.h for the
 * options; the rules of the format are:
 *
 *  - Fields are separated by commas. A field may be put in double
 *    quotes, with "" for a quote inside, but may not span lines. Spaces
 *    around a field are dropped. Blank lines are skipped, and lines may
 *    end with "\n" or "\r\n".
 *  - The first row is a header when one of its input fields (or, for
 *    regression, its label field) is not a number.
 *  - Every column but the label column is an input and must hold finite
 *    numbers in C notation ("0.5", "-1e-3"), whatever the locale. The
 *    inputs form one vector.
 *  - For classification, a label column of numbers contains class indices,
 *    whole numbers from 0 to 255, and the classes are "0" to the largest
 *    label. A label column with any other text names its classes, which
 *    are numbered in the order they first appear.
 *  - For regression, the label column contains the one target value.
 *
 * Errors are LS_ERROR_INVALID_DATA with the file's name, the 1-based line
 * (counting the header and blank lines) and the column, or the GIO error
 * of reading the file. On error nothing is returned. */
LsSamples *
ls_training_data_load_csv (GFile       *file,
                           const char  *label_column,
                           gboolean     regression,
                           GError     **error)
{
  g_autofree char *base_name = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *contents = NULL;
  CsvReader reader = { 0 };
  LsSamples *samples = NULL;
  LsShape shape;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The name goes into messages and the trained document's dataset
   * record, so it must be valid UTF-8 whatever the file system allows. */
  base_name = g_file_get_basename (file);
  file_name = g_filename_display_name (base_name);
  contents = load_csv_contents (file, file_name, &length, error);
  if (contents == NULL)
    return NULL;

  reader.file_name = file_name;
  reader.regression = regression;
  reader.inputs = g_array_new (FALSE, FALSE, sizeof (float));
  reader.targets = g_array_new (FALSE, FALSE, sizeof (float));
  reader.labels = g_ptr_array_new_with_free_func (g_free);
  reader.lines = g_array_new (FALSE, FALSE, sizeof (gsize));

  /* A UTF-8 byte order mark, as spreadsheets write, is not part of the
   * first field. */
  if (read_lines (&reader, g_str_has_prefix (contents, "\xEF\xBB\xBF") ? contents + 3 : contents,
                  label_column, error))
    {
      ls_shape_init_1d (&shape, reader.n_columns - 1);
      if (regression)
        samples = ls_samples_new_regression (file_name, &shape, reader.n_rows,
                                             (const float *) (gpointer) reader.inputs->data, 1,
                                             (const float *) (gpointer) reader.targets->data,
                                             error);
      else
        samples = make_classification (&reader, &shape, error);
    }

  csv_reader_clear (&reader);

  return samples;
}

/* ---------------------------------------------------------------------
 * Loading by name
 * --------------------------------------------------------------------- */

static gboolean
load_generated (const LsTrainingDataOptions  *options,
                LsPattern                     pattern,
                LsSamples                   **train,
                LsSamples                   **test,
                GError                      **error)
{
  g_autoptr(LsSamples) samples = NULL;

  samples = ls_samples_generate (pattern, options->n_samples, options->noise, options->seed,
                                 error);
  if (samples == NULL)
    return FALSE;

  ls_samples_split (samples, options->test_fraction, options->seed + SPLIT_SEED_OFFSET,
                    train, test);

  return TRUE;
}

static gboolean
load_csv_file (const LsTrainingDataOptions  *options,
               LsSamples                   **train,
               LsSamples                   **test,
               GError                      **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (options->source);
  g_autoptr(LsSamples) samples = NULL;

  samples = ls_training_data_load_csv (file, options->label_column, options->regression, error);
  if (samples == NULL)
    return FALSE;

  ls_samples_split (samples, options->test_fraction, options->seed + SPLIT_SEED_OFFSET,
                    train, test);

  return TRUE;
}

/* Loads the training set that options->source names and splits it.
 * *test is NULL when the split leaves no test samples, as with a
 * test_fraction of 0. On error both are NULL. Errors are
 * LS_ERROR_INVALID_ARGUMENT for a test_fraction outside [0, 1) and those
 * of ls_samples_generate(), ls_dataset_load_builtin() and
 * ls_training_data_load_csv(). */
gboolean
ls_training_data_load (const LsTrainingDataOptions  *options,
                       LsSamples                   **train,
                       LsSamples                   **test,
                       GError                      **error)
{
  const char *name;
  LsPattern pattern;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (options->source != NULL, FALSE);
  g_return_val_if_fail (train != NULL, FALSE);
  g_return_val_if_fail (test != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *train = NULL;
  *test = NULL;

  if (!(options->test_fraction >= 0.0 && options->test_fraction < 1.0))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("The test fraction must be from 0 to below 1, but it is %g"),
                   options->test_fraction);
      return FALSE;
    }

  name = ls_training_data_lookup_name (options->source);
  if (name != NULL && ls_pattern_from_name (name, &pattern))
    return load_generated (options, pattern, train, test, error);
  if (g_strcmp0 (name, "digits") == 0)
    return load_digits (train, test, error);
  if (g_strcmp0 (name, "fashion-mnist") == 0)
    return load_fashion (options, train, test, error);

  return load_csv_file (options, train, test, error);
}
