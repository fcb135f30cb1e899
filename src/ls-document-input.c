/* ls-document-input.c: the "input" and "dataset" keys of a document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-document"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ls-document-private.h"

/* ---------------------------------------------------------------------
 * Reading the input
 * --------------------------------------------------------------------- */

void
ls_input_spec_clear (LsInputSpec *input)
{
  g_clear_pointer (&input->values, g_free);
  g_clear_pointer (&input->labels, g_strfreev);
  g_clear_object (&input->text_network);
}

/* Reads input.shape[index], a size from 1 to LS_MAX_TENSOR_SIZE. */
static gboolean
read_dimension (const char  *source,
                JsonArray   *shape,
                guint        index,
                gsize       *size,
                GError     **error)
{
  g_autofree char *path = ls_document_element_path ("input.shape", index);
  gint64 value;

  if (!ls_document_get_integer (source, json_array_get_element (shape, index), path, &value, error))
    return FALSE;

  if (value < 1 || value > LS_MAX_TENSOR_SIZE)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, path,
                             _("expected a size from 1 to %u, found %lld"),
                             LS_MAX_TENSOR_SIZE, (long long) value);
      return FALSE;
    }

  *size = value;
  return TRUE;
}

/* Makes the shape [channels, height, width] unless it has more than
 * LS_MAX_TENSOR_SIZE values. Each size is at most LS_MAX_TENSOR_SIZE
 * (2^20), so the product fits in 64 bits. */
static gboolean
init_image_shape (const char   *source,
                  const gsize   dims[3],
                  LsShape      *shape,
                  GError      **error)
{
  guint64 size = (guint64) dims[0] * dims[1] * dims[2];

  if (size > LS_MAX_TENSOR_SIZE)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, "input.shape",
                             _("[%zu, %zu, %zu] makes %llu values, over the maximum of %u"),
                             dims[0], dims[1], dims[2], (unsigned long long) size, LS_MAX_TENSOR_SIZE);
      return FALSE;
    }

  ls_shape_init_3d (shape, dims[0], dims[1], dims[2]);
  return TRUE;
}

/* Reads "input.shape": [size] for a vector, or [channels, height, width]
 * for an image. */
static gboolean
read_input_shape (const char  *source,
                  JsonObject  *object,
                  LsShape     *shape,
                  GError     **error)
{
  JsonNode *node = ls_document_get_required_member (source, object, "input", "shape", error);
  gsize dims[3];
  JsonArray *array;
  guint rank;

  if (node == NULL || !ls_document_get_array (source, node, "input.shape", &array, error))
    return FALSE;

  rank = json_array_get_length (array);
  if (rank != 1 && rank != 3)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, "input.shape",
                             g_dngettext (GETTEXT_PACKAGE,
                                          "expected one size for a vector, such as [3], or three for an "
                                          "image, [channels, height, width] such as [1, 28, 28]; found %u size",
                                          "expected one size for a vector, such as [3], or three for an "
                                          "image, [channels, height, width] such as [1, 28, 28]; found %u sizes",
                                          rank),
                             rank);
      return FALSE;
    }

  for (guint i = 0; i < rank; i++)
    if (!read_dimension (source, array, i, &dims[i], error))
      return FALSE;

  if (rank == 3)
    return init_image_shape (source, dims, shape, error);

  ls_shape_init_1d (shape, dims[0]);
  return TRUE;
}

/* Rejects "values" of an image written as nested arrays, such as
 * [[[0, 1], [1, 0]]], which the format does not accept. */
static gboolean
check_flat_values (const char     *source,
                   JsonNode       *node,
                   const LsShape  *shape,
                   GError        **error)
{
  JsonArray *array;

  if (shape->rank == 1 || !JSON_NODE_HOLDS_ARRAY (node))
    return TRUE;

  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0 || !JSON_NODE_HOLDS_ARRAY (json_array_get_element (array, 0)))
    return TRUE;

  ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, "input.values",
                         _("expected one flat list of %zu numbers in [channels][height][width] "
                           "order, found nested arrays; write all values in a single list"),
                         ls_shape_get_size (shape));
  return FALSE;
}

static gboolean
read_input_values (const char     *source,
                   JsonNode       *node,
                   const LsShape  *shape,
                   float          *values,
                   GError        **error)
{
  gsize size = ls_shape_get_size (shape);
  g_autofree char *expected = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "expected %zu value, as input.shape says",
                                                            "expected %zu values, as input.shape says",
                                                            size),
                                               size);

  return check_flat_values (source, node, shape, error) &&
         ls_document_get_float_array (source, node, "input.values", -1, size, expected, values, error);
}

static gboolean
read_input_labels (const char   *source,
                   JsonNode     *node,
                   LsInputSpec  *input,
                   GError      **error)
{
  gsize size = ls_shape_get_size (&input->shape);
  g_autofree char *expected = NULL;

  if (input->shape.rank != 1)
    {
      g_autofree char *shape = ls_shape_to_string (&input->shape);

      ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, "input.labels",
                             _("labels are allowed for a vector input only, but this input is an "
                               "image of shape %s; remove “labels”"),
                             shape);
      return FALSE;
    }

  expected = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "expected %zu label, one per input value",
                                           "expected %zu labels, one per input value",
                                           size),
                              size);

  return ls_document_get_labels (source, node, "input.labels", size, expected, &input->labels, error);
}

/* Reads "input.vocabulary", a list of 1 to LS_MAX_VOCABULARY_SIZE words,
 * which ls_vocabulary_new() checks. */
static LsVocabulary *
read_vocabulary (const char  *source,
                 JsonObject  *object,
                 GError     **error)
{
  JsonNode *node = ls_document_get_required_member (source, object, "input", "vocabulary", error);
  g_autoptr(GPtrArray) words = g_ptr_array_new ();
  g_autoptr(GError) engine_error = NULL;
  LsVocabulary *vocabulary;
  JsonArray *array;
  gsize n_words;

  if (node == NULL || !ls_document_get_array (source, node, "input.vocabulary", &array, error))
    return NULL;

  n_words = json_array_get_length (array);
  if (n_words == 0 || n_words > LS_MAX_VOCABULARY_SIZE)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, "input.vocabulary",
                             _("expected 1 to %d words, one of them “%s”, found %zu"),
                             LS_MAX_VOCABULARY_SIZE, LS_UNKNOWN_TOKEN, n_words);
      return NULL;
    }

  for (gsize i = 0; i < n_words; i++)
    {
      g_autofree char *path = ls_document_element_path ("input.vocabulary", i);
      const char *word;

      if (!ls_document_get_string (source, json_array_get_element (array, i), path,
                                   LS_MAX_LABEL_LENGTH, &word, error))
        return NULL;
      g_ptr_array_add (words, (char *) word);
    }
  g_ptr_array_add (words, NULL);

  /* The engine reports a bad word as an invalid argument, but here it is
   * the document's content. */
  vocabulary = ls_vocabulary_new ((const char * const *) words->pdata, &engine_error);
  if (vocabulary == NULL)
    ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, "input.vocabulary", "%s",
                           engine_error->message);

  return vocabulary;
}

/* Reads a text input: "text", "vocabulary" and "max_tokens", all
 * required, into a network without layers. input->shape is [T], the
 * token ids of the text, which the layers are read for. */
static gboolean
read_text_input (const char   *source,
                 JsonObject   *object,
                 LsInputSpec  *input,
                 GError      **error)
{
  static const char * const keys[] = { "kind", "text", "vocabulary", "max_tokens", NULL };
  static const char * const number_keys[] = { "shape", "values", "labels" };
  g_autoptr(LsVocabulary) vocabulary = NULL;
  g_autoptr(GError) engine_error = NULL;
  JsonNode *text_node;
  const char *text;
  gint64 max_tokens;

  /* Rejected rather than ignored, as an image input's labels are, so
   * that saving loses nothing the document states. */
  for (guint i = 0; i < G_N_ELEMENTS (number_keys); i++)
    if (json_object_has_member (object, number_keys[i]))
      {
        g_autofree char *path = g_strdup_printf ("input.%s", number_keys[i]);

        ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, path,
                               _("a text input has no “%s”, because its tokens come from "
                                 "“text”; remove the key"),
                               number_keys[i]);
        return FALSE;
      }
  ls_document_log_unknown_keys (object, "input", keys, NULL);

  text_node = ls_document_get_required_member (source, object, "input", "text", error);
  if (text_node == NULL ||
      !ls_document_get_string (source, text_node, "input.text", LS_MAX_TEXT_LENGTH, &text, error) ||
      !ls_document_read_size_member (source, object, "input", "max_tokens", 1, LS_MAX_TOKENS,
                                     _("expected a token limit from %lld to %lld, found %lld"),
                                     &max_tokens, error))
    return FALSE;

  vocabulary = read_vocabulary (source, object, error);
  if (vocabulary == NULL)
    return FALSE;

  input->text_network = ls_network_new_with_tokens (vocabulary, max_tokens, text, &engine_error);
  if (input->text_network == NULL)
    {
      ls_document_set_engine_error (error, source, "input.text", engine_error);
      return FALSE;
    }

  ls_shape_init_1d (&input->shape, ls_network_get_n_tokens (input->text_network));
  return TRUE;
}

/* Reads the optional "kind", which is "tokens" for a text input. Vectors
 * and images have no kind, because their "shape" distinguishes them. */
static gboolean
read_input_kind (const char   *source,
                 JsonObject   *object,
                 gboolean     *is_text,
                 GError      **error)
{
  const char *kind;

  if (!ls_document_get_optional_string (source, object, "input", "kind", G_MAXSIZE, &kind, error))
    return FALSE;

  *is_text = kind != NULL;
  if (kind == NULL || g_str_equal (kind, "tokens"))
    return TRUE;

  ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, "input.kind",
                         _("unknown input kind “%s”; the only kind is “tokens”, for text, and a "
                           "vector or image input has no “kind” but a “shape”"),
                         kind);
  return FALSE;
}

gboolean
ls_document_read_input (const char   *source,
                        JsonObject   *root,
                        LsInputSpec  *input,
                        GError      **error)
{
  static const char * const keys[] = { "shape", "values", "labels", NULL };
  JsonNode *node = ls_document_get_required_member (source, root, NULL, "input", error);
  JsonObject *object;
  JsonNode *values;
  JsonNode *labels;
  gboolean is_text;

  if (node == NULL || !ls_document_get_object (source, node, "input", &object, error) ||
      !read_input_kind (source, object, &is_text, error))
    return FALSE;
  if (is_text)
    return read_text_input (source, object, input, error);

  if (!read_input_shape (source, object, &input->shape, error))
    return FALSE;
  ls_document_log_unknown_keys (object, "input", keys, NULL);

  input->values = g_new0 (float, ls_shape_get_size (&input->shape));
  values = json_object_get_member (object, "values");
  labels = json_object_get_member (object, "labels");

  if (values != NULL && !read_input_values (source, values, &input->shape, input->values, error))
    return FALSE;
  if (labels != NULL && !read_input_labels (source, labels, input, error))
    return FALSE;

  return TRUE;
}

/* ---------------------------------------------------------------------
 * Reading the dataset
 * --------------------------------------------------------------------- */

static gboolean
read_dataset_string (const char   *source,
                     JsonObject   *object,
                     const char   *key,
                     char        **value,
                     GError      **error)
{
  g_autofree char *path = ls_document_member_path ("dataset", key);
  JsonNode *node = ls_document_get_required_member (source, object, "dataset", key, error);
  const char *text;

  if (node == NULL || !ls_document_get_string (source, node, path, LS_MAX_LABEL_LENGTH, &text, error))
    return FALSE;

  *value = (char *) text;
  return TRUE;
}

/* Reads "samples", at least 1, and "correct", from 0 to "samples". */
static gboolean
read_dataset_counts (const char    *source,
                     JsonObject    *object,
                     LsEvaluation  *evaluation,
                     GError       **error)
{
  JsonNode *samples = ls_document_get_required_member (source, object, "dataset", "samples", error);
  JsonNode *correct = NULL;
  gint64 n_samples;
  gint64 n_correct;

  if (samples == NULL || !ls_document_get_integer (source, samples, "dataset.samples", &n_samples, error))
    return FALSE;
  if (n_samples < 1)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, "dataset.samples",
                             _("expected a sample count of 1 or more, found %lld"), (long long) n_samples);
      return FALSE;
    }

  correct = ls_document_get_required_member (source, object, "dataset", "correct", error);
  if (correct == NULL || !ls_document_get_integer (source, correct, "dataset.correct", &n_correct, error))
    return FALSE;
  if (n_correct < 0 || n_correct > n_samples)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, "dataset.correct",
                             _("expected 0 to %lld correctly classified samples, at most "
                               "dataset.samples, found %lld"),
                             (long long) n_samples, (long long) n_correct);
      return FALSE;
    }

  evaluation->samples = n_samples;
  evaluation->correct = n_correct;
  return TRUE;
}

gboolean
ls_document_read_dataset (const char    *source,
                          JsonObject    *root,
                          LsEvaluation  *evaluation,
                          gboolean      *present,
                          GError       **error)
{
  static const char * const keys[] = { "name", "split", "samples", "correct", NULL };
  JsonNode *node = json_object_get_member (root, "dataset");
  JsonObject *object;

  *present = FALSE;
  if (node == NULL)
    return TRUE;

  if (!ls_document_get_object (source, node, "dataset", &object, error))
    return FALSE;
  ls_document_log_unknown_keys (object, "dataset", keys, NULL);

  if (!read_dataset_string (source, object, "name", &evaluation->name, error) ||
      !read_dataset_string (source, object, "split", &evaluation->split, error) ||
      !read_dataset_counts (source, object, evaluation, error))
    return FALSE;

  *present = TRUE;
  return TRUE;
}

/* ---------------------------------------------------------------------
 * Writing
 * --------------------------------------------------------------------- */

/* Appends [d1, d2, …], which ls_shape_to_string() writes as JSON. */
static void
append_shape (GString       *out,
              const LsShape *shape)
{
  g_autofree char *text = ls_shape_to_string (shape);

  g_string_append (out, text);
}

/* Appends the flat values of an image, [channels][height][width], one
 * image row of width numbers to a line. */
static void
append_image_values (GString       *out,
                     const float   *values,
                     const LsShape *shape)
{
  gsize width = shape->dims[2];
  gsize n_rows = shape->dims[0] * shape->dims[1];

  g_string_append (out, "[\n");
  for (gsize row = 0; row < n_rows; row++)
    {
      g_string_append (out, "      ");
      for (gsize x = 0; x < width; x++)
        {
          if (x > 0)
            g_string_append (out, ", ");
          ls_document_append_float (out, values[row * width + x]);
        }
      g_string_append (out, row + 1 < n_rows ? ",\n" : "\n");
    }
  g_string_append (out, "    ]");
}

static void
append_input_labels (GString   *out,
                     LsNetwork *network)
{
  gsize size = ls_network_get_input_size (network);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  for (gsize i = 0; i < size; i++)
    g_ptr_array_add (labels, (char *) ls_network_get_input_label (network, i));
  g_ptr_array_add (labels, NULL);

  /* A NULL label ends the list early, which ls_document_append_labels() pads. */
  if (ls_document_has_labels ((const char * const *) labels->pdata, size))
    {
      ls_document_begin_member (out, 4, "labels");
      ls_document_append_labels (out, (const char * const *) labels->pdata, size);
    }
}

/* Appends the vocabulary, with a line break after every
 * WORDS_PER_LINE words. */
#define WORDS_PER_LINE 10

static void
append_vocabulary (GString      *out,
                   LsVocabulary *vocabulary)
{
  gsize n_words = ls_vocabulary_get_size (vocabulary);

  g_string_append (out, "[");
  for (gsize i = 0; i < n_words; i++)
    {
      if (i > 0)
        g_string_append (out, i % WORDS_PER_LINE == 0 ? ",\n      " : ", ");
      ls_document_append_string (out, ls_vocabulary_get_word (vocabulary, i));
    }
  g_string_append (out, "]");
}

static void
write_text_input (GString   *out,
                  LsNetwork *network)
{
  g_string_append (out, "{\n    \"kind\": \"tokens\"");
  ls_document_begin_member (out, 4, "text");
  ls_document_append_string (out, ls_network_get_text (network));
  ls_document_begin_member (out, 4, "max_tokens");
  g_string_append_printf (out, "%" G_GSIZE_FORMAT, ls_network_get_max_tokens (network));
  ls_document_begin_member (out, 4, "vocabulary");
  append_vocabulary (out, ls_network_get_vocabulary (network));
  g_string_append (out, "\n  }");
}

/* Writes a vector input's values on one line, followed by its labels,
 * an image's values one image row to a line, and a text input's text,
 * max_tokens and vocabulary. */
void
ls_document_write_input (GString   *out,
                         LsNetwork *network)
{
  const LsShape *shape = ls_network_get_input_shape (network);

  ls_document_begin_member (out, 2, "input");
  if (ls_network_has_token_input (network))
    {
      write_text_input (out, network);
      return;
    }

  g_string_append (out, "{\n    \"shape\": ");
  append_shape (out, shape);
  ls_document_begin_member (out, 4, "values");

  if (shape->rank == 1)
    {
      ls_document_append_float_array (out, ls_network_get_input (network), ls_shape_get_size (shape));
      append_input_labels (out, network);
    }
  else
    {
      append_image_values (out, ls_network_get_input (network), shape);
    }

  g_string_append (out, "\n  }");
}

void
ls_document_write_dataset (GString   *out,
                           LsNetwork *network)
{
  const LsEvaluation *evaluation = ls_network_get_evaluation (network);

  /* The name is NULL when the network has no dataset record. */
  if (evaluation->name == NULL)
    return;

  ls_document_begin_member (out, 2, "dataset");
  g_string_append (out, "{\"name\": ");
  ls_document_append_string (out, evaluation->name);
  g_string_append (out, ", \"split\": ");
  ls_document_append_string (out, evaluation->split);
  g_string_append_printf (out, ", \"samples\": %" G_GSIZE_FORMAT ", \"correct\": %" G_GSIZE_FORMAT "}",
                          evaluation->samples, evaluation->correct);
}
