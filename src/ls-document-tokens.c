/* ls-document-tokens.c: the keys of embedding, positional, attention, layernorm and pool_tokens layers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-document"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ls-document-private.h"

#define LAYER_INDENT 6

/* The keys of the attention matrices and biases, in LsAttentionMatrix order. */
static const char * const matrix_keys[LS_N_ATTENTION_MATRICES] = { "wq", "wk", "wv", "wo" };
static const char * const bias_keys[LS_N_ATTENTION_MATRICES] = { "bq", "bk", "bv", "bo" };

/* ---------------------------------------------------------------------
 * Reading: shared parts
 * --------------------------------------------------------------------- */

/* Reads the required "table" member as an array and checks its row count,
 * 1 to max_rows, and its size against LS_MAX_LAYER_PARAMETERS, before
 * anything is allocated. what_rows names a row, such as "one per word". */
static JsonNode *
get_table (const char  *source,
           JsonObject  *object,
           const char  *path,
           gsize        max_rows,
           gsize        columns,
           const char  *what_rows,
           gsize       *n_rows,
           GError     **error)
{
  g_autofree char *table_path = ls_document_member_path (path, "table");
  JsonNode *node = ls_document_get_required_member (source, object, path, "table", error);
  JsonArray *rows;

  if (node == NULL || !ls_document_get_array (source, node, table_path, &rows, error))
    return NULL;

  *n_rows = json_array_get_length (rows);
  if (*n_rows == 0 || *n_rows > max_rows)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, table_path,
                             _("expected 1 to %zu rows, %s, found %zu"), max_rows, what_rows, *n_rows);
      return NULL;
    }

  if (columns > 0 && *n_rows > LS_MAX_LAYER_PARAMETERS / columns)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, table_path,
                             _("%zu rows of %zu numbers make %llu weights, over the maximum of %u per layer"),
                             *n_rows, columns, (unsigned long long) *n_rows * columns,
                             LS_MAX_LAYER_PARAMETERS);
      return NULL;
    }

  return node;
}

/* Reads a table [rows][columns] whose row count get_table() checked. */
static gboolean
read_table (const char  *source,
            JsonNode    *node,
            const char  *path,
            gsize        rows,
            gsize        columns,
            float       *values,
            GError     **error)
{
  g_autofree char *table_path = ls_document_member_path (path, "table");
  g_autofree char *expected_rows = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "expected %zu row",
                                                                 "expected %zu rows", rows),
                                                    rows);
  g_autofree char *expected_columns = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                    "expected %zu number, one per feature",
                                                                    "expected %zu numbers, one per feature",
                                                                    columns),
                                                       columns);

  return ls_document_get_matrix (source, node, table_path, rows, columns, expected_rows,
                                 expected_columns, values, error);
}

/* Reads an optional vector member of d numbers, one per feature, into values. */
static gboolean
read_optional_vector (const char  *source,
                      JsonObject  *object,
                      const char  *path,
                      const char  *key,
                      gsize        d,
                      float       *values,
                      GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *key_path = NULL;
  g_autofree char *expected = NULL;

  if (node == NULL)
    return TRUE;

  key_path = ls_document_member_path (path, key);
  expected = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "expected %zu number, one per feature",
                                           "expected %zu numbers, one per feature", d),
                              d);

  return ls_document_get_float_array (source, node, key_path, -1, d, expected, values, error);
}

/* Reads an optional square matrix member [d][d] into values. */
static gboolean
read_optional_square (const char  *source,
                      JsonObject  *object,
                      const char  *path,
                      const char  *key,
                      gsize        d,
                      float       *values,
                      GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *key_path = NULL;
  g_autofree char *expected_rows = NULL;
  g_autofree char *expected_columns = NULL;

  if (node == NULL)
    return TRUE;

  key_path = ls_document_member_path (path, key);
  expected_rows = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "expected %zu row, one per feature of the input",
                                                "expected %zu rows, one per feature of the input", d),
                                   d);
  expected_columns = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "expected %zu number, one per feature of the output",
                                                   "expected %zu numbers, one per feature of the output", d),
                                      d);

  return ls_document_get_matrix (source, node, key_path, d, d, expected_rows, expected_columns,
                                 values, error);
}

/* ---------------------------------------------------------------------
 * Reading: embedding
 * --------------------------------------------------------------------- */

/* The table is required, because its rows are the vocabulary's words,
 * which ls-document.c checks against input.vocabulary. */
static LsLayer *
read_embedding_layer (const char     *source,
                      JsonObject     *object,
                      const char     *path,
                      gsize           index,
                      const LsShape  *input_shape,
                      GError        **error)
{
  g_autoptr(LsLayer) layer = NULL;
  g_autoptr(GError) engine_error = NULL;
  JsonNode *table;
  gsize n_rows;
  gint64 dim;
  LsInit init;

  g_assert (input_shape->rank == 1);

  if (!ls_document_read_size_member (source, object, path, "dim", 1, LS_MAX_TENSOR_SIZE,
                                     _("expected %lld to %lld features per token, found %lld"),
                                     &dim, error))
    return NULL;

  table = get_table (source, object, path, LS_MAX_VOCABULARY_SIZE, dim, _("one per vocabulary word"),
                     &n_rows, error);
  if (table == NULL ||
      !ls_document_read_init (source, object, path, index, LS_ACTIVATION_IDENTITY, &init, error))
    return NULL;

  /* A long text can make the output [T][dim] exceed the size limit. */
  layer = ls_layer_new_embedding (input_shape->dims[0], n_rows, dim, &init, &engine_error);
  if (layer == NULL)
    {
      ls_document_set_engine_error (error, source, path, engine_error);
      return NULL;
    }

  if (!read_table (source, table, path, n_rows, dim, layer->weights, error))
    return NULL;

  return g_steal_pointer (&layer);
}

/* ---------------------------------------------------------------------
 * Reading: positional
 * --------------------------------------------------------------------- */

static gboolean
read_encoding (const char            *source,
               JsonObject            *object,
               const char            *path,
               LsPositionalEncoding  *encoding,
               GError               **error)
{
  const char *names[LS_N_POSITIONAL_ENCODINGS + 1] = { NULL };
  guint index;

  for (guint i = 0; i < LS_N_POSITIONAL_ENCODINGS; i++)
    names[i] = ls_positional_encoding_get_name (i);

  if (!ls_document_read_name_member (source, object, path, "encoding", names, LS_N_POSITIONAL_ENCODINGS,
                                     _("unknown encoding “%s”; known encodings are %s"), &index, error))
    return FALSE;

  *encoding = index;
  return TRUE;
}

static LsLayer *
read_sinusoidal_layer (const char     *source,
                       JsonObject     *object,
                       const char     *path,
                       const LsShape  *input_shape,
                       GError        **error)
{
  g_autoptr(GError) engine_error = NULL;
  LsLayer *layer;

  if (json_object_has_member (object, "table"))
    {
      g_autofree char *table_path = ls_document_member_path (path, "table");

      ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, table_path,
                             _("a sinusoidal encoding is computed, so it takes no table; remove "
                               "“table”, or use \"encoding\": \"learned\""));
      return NULL;
    }

  layer = ls_layer_new_positional (input_shape, LS_POSITIONAL_SINUSOIDAL, 0, NULL, &engine_error);
  if (layer == NULL)
    ls_document_set_engine_error (error, source, path, engine_error);

  return layer;
}

/* The table is required, because its rows are the positions up to
 * input.max_tokens, which ls-document.c checks. */
static LsLayer *
read_learned_layer (const char     *source,
                    JsonObject     *object,
                    const char     *path,
                    gsize           index,
                    const LsShape  *input_shape,
                    GError        **error)
{
  gsize d = input_shape->rank == 2 ? input_shape->dims[1] : 0;
  g_autoptr(GError) engine_error = NULL;
  g_autoptr(LsLayer) layer = NULL;
  JsonNode *table;
  gsize n_rows;
  LsInit init;

  table = get_table (source, object, path, LS_MAX_TOKENS, d, _("one per position"), &n_rows, error);
  if (table == NULL ||
      !ls_document_read_init (source, object, path, index, LS_ACTIVATION_IDENTITY, &init, error))
    return NULL;

  layer = ls_layer_new_positional (input_shape, LS_POSITIONAL_LEARNED, n_rows, &init, &engine_error);
  if (layer == NULL)
    {
      ls_document_set_engine_error (error, source, path, engine_error);
      return NULL;
    }

  if (!read_table (source, table, path, n_rows, layer->units, layer->weights, error))
    return NULL;

  return g_steal_pointer (&layer);
}

static LsLayer *
read_positional_layer (const char     *source,
                       JsonObject     *object,
                       const char     *path,
                       gsize           index,
                       const LsShape  *input_shape,
                       GError        **error)
{
  LsPositionalEncoding encoding;

  if (!read_encoding (source, object, path, &encoding, error))
    return NULL;

  if (encoding == LS_POSITIONAL_SINUSOIDAL)
    return read_sinusoidal_layer (source, object, path, input_shape, error);

  return read_learned_layer (source, object, path, index, input_shape, error);
}

/* ---------------------------------------------------------------------
 * Reading: attention
 * --------------------------------------------------------------------- */

/* Reads "heads", which must divide the features of each token. */
static gboolean
read_heads (const char     *source,
            JsonObject     *object,
            const char     *path,
            const LsShape  *input_shape,
            gsize          *heads,
            GError        **error)
{
  g_autofree char *heads_path = ls_document_member_path (path, "heads");
  gint64 value;
  gsize d;

  if (!ls_document_read_size_member (source, object, path, "heads", 1, LS_MAX_TENSOR_SIZE,
                                     _("expected %lld to %lld heads, found %lld"), &value, error))
    return FALSE;

  /* The engine's constructor names an input that is not a sequence. */
  d = input_shape->rank == 2 ? input_shape->dims[1] : 0;
  if (d > 0 && d % value != 0)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, heads_path,
                             _("expected a number of heads that divides the %zu features of each "
                               "token, such as 1 or %zu, found %lld"),
                             d, d, (long long) value);
      return FALSE;
    }

  *heads = value;
  return TRUE;
}

/* Reads the optional wq, bq, wk, bk, wv, bv, wo and bo into a layer that
 * already contains the initial values. */
static gboolean
read_attention_parameters (const char  *source,
                           JsonObject  *object,
                           const char  *path,
                           LsLayer     *layer,
                           GError     **error)
{
  gsize d = layer->units;

  for (guint m = 0; m < LS_N_ATTENTION_MATRICES; m++)
    {
      if (!read_optional_square (source, object, path, matrix_keys[m], d, layer->weights + m * d * d, error) ||
          !read_optional_vector (source, object, path, bias_keys[m], d, layer->bias + m * d, error))
        return FALSE;
    }

  return TRUE;
}

static LsLayer *
read_attention_layer (const char     *source,
                      JsonObject     *object,
                      const char     *path,
                      gsize           index,
                      const LsShape  *input_shape,
                      GError        **error)
{
  g_autoptr(GError) engine_error = NULL;
  g_autoptr(LsLayer) layer = NULL;
  gboolean causal = FALSE;
  gboolean residual = FALSE;
  gsize heads;
  LsInit init;

  if (!read_heads (source, object, path, input_shape, &heads, error) ||
      !ls_document_get_optional_boolean (source, object, path, "causal", &causal, error) ||
      !ls_document_get_optional_boolean (source, object, path, "residual", &residual, error) ||
      !ls_document_read_init (source, object, path, index, LS_ACTIVATION_IDENTITY, &init, error))
    return NULL;

  layer = ls_layer_new_attention (input_shape, heads, causal, residual, &init, &engine_error);
  if (layer == NULL)
    {
      ls_document_set_engine_error (error, source, path, engine_error);
      return NULL;
    }

  if (!read_attention_parameters (source, object, path, layer, error))
    return NULL;

  return g_steal_pointer (&layer);
}

/* ---------------------------------------------------------------------
 * Reading: layernorm and pool_tokens
 * --------------------------------------------------------------------- */

/* The default epsilon, as torch.nn.LayerNorm's. */
#define DEFAULT_EPS 1e-5f

/* Reads the optional "eps", above 0 and at most 1 as a float. */
static gboolean
read_eps (const char  *source,
          JsonObject  *object,
          const char  *path,
          float       *eps,
          GError     **error)
{
  g_autofree char *eps_path = ls_document_member_path (path, "eps");
  g_autofree char *description = NULL;
  JsonNode *node = json_object_get_member (object, "eps");

  *eps = DEFAULT_EPS;
  if (node == NULL)
    return TRUE;

  if (!ls_document_get_float (source, node, eps_path, eps, error))
    return FALSE;

  if (*eps > 0.0f && *eps <= 1.0f)
    return TRUE;

  description = ls_document_describe_node (node);
  ls_document_set_error (error, source, LS_ERROR_INVALID_VALUE, eps_path,
                         _("expected an epsilon above 0 and at most 1 (as a 32-bit float), found %s"),
                         description);
  return FALSE;
}

static LsLayer *
read_layernorm_layer (const char     *source,
                      JsonObject     *object,
                      const char     *path,
                      gsize           index,
                      const LsShape  *input_shape,
                      GError        **error)
{
  g_autoptr(GError) engine_error = NULL;
  g_autoptr(LsLayer) layer = NULL;
  float eps;

  if (!read_eps (source, object, path, &eps, error))
    return NULL;

  layer = ls_layer_new_layernorm (input_shape, eps, &engine_error);
  if (layer == NULL)
    {
      ls_document_set_engine_error (error, source, path, engine_error);
      return NULL;
    }

  if (!read_optional_vector (source, object, path, "gamma", layer->units, layer->weights, error) ||
      !read_optional_vector (source, object, path, "beta", layer->units, layer->bias, error))
    return NULL;

  return g_steal_pointer (&layer);
}

static LsLayer *
read_pool_tokens_layer (const char     *source,
                        JsonObject     *object,
                        const char     *path,
                        gsize           index,
                        const LsShape  *input_shape,
                        GError        **error)
{
  const char *names[LS_N_TOKEN_POOLINGS + 1] = { NULL };
  g_autoptr(GError) engine_error = NULL;
  LsLayer *layer;
  guint pooling;

  for (guint i = 0; i < LS_N_TOKEN_POOLINGS; i++)
    names[i] = ls_token_pooling_get_name (i);

  if (!ls_document_read_name_member (source, object, path, "mode", names, LS_N_TOKEN_POOLINGS,
                                     _("unknown mode “%s”; known modes are %s"), &pooling, error))
    return NULL;

  layer = ls_layer_new_pool_tokens (input_shape, pooling, &engine_error);
  if (layer == NULL)
    ls_document_set_engine_error (error, source, path, engine_error);

  return layer;
}

/* ---------------------------------------------------------------------
 * Writing
 * --------------------------------------------------------------------- */

static void
append_boolean_member (GString    *out,
                       const char *key,
                       gboolean    value)
{
  ls_document_begin_member (out, LAYER_INDENT, key);
  g_string_append (out, value ? "true" : "false");
}

static void
append_table (GString       *out,
              const LsLayer *layer)
{
  ls_document_append_init (out, LAYER_INDENT, &layer->init);
  ls_document_begin_member (out, LAYER_INDENT, "table");
  ls_document_append_matrix (out, LAYER_INDENT, layer->weights, layer->rows, layer->units);
}

static void
write_embedding_layer (GString       *out,
                       const LsLayer *layer)
{
  ls_document_begin_member (out, LAYER_INDENT, "dim");
  g_string_append_printf (out, "%" G_GSIZE_FORMAT, layer->units);
  append_table (out, layer);
}

static void
write_positional_layer (GString       *out,
                        const LsLayer *layer)
{
  ls_document_begin_member (out, LAYER_INDENT, "encoding");
  ls_document_append_string (out, ls_positional_encoding_get_name (layer->encoding));
  if (layer->encoding == LS_POSITIONAL_LEARNED)
    append_table (out, layer);
}

static void
write_attention_layer (GString       *out,
                       const LsLayer *layer)
{
  gsize d = layer->units;

  ls_document_begin_member (out, LAYER_INDENT, "heads");
  g_string_append_printf (out, "%" G_GSIZE_FORMAT, layer->heads);
  append_boolean_member (out, "causal", layer->causal);
  append_boolean_member (out, "residual", layer->residual);
  ls_document_append_init (out, LAYER_INDENT, &layer->init);

  for (guint m = 0; m < LS_N_ATTENTION_MATRICES; m++)
    {
      ls_document_begin_member (out, LAYER_INDENT, matrix_keys[m]);
      ls_document_append_matrix (out, LAYER_INDENT, ls_layer_get_attention_matrix (layer, m), d, d);
      ls_document_begin_member (out, LAYER_INDENT, bias_keys[m]);
      ls_document_append_float_array (out, ls_layer_get_attention_bias (layer, m), d);
    }
}

static void
write_layernorm_layer (GString       *out,
                       const LsLayer *layer)
{
  ls_document_begin_member (out, LAYER_INDENT, "eps");
  ls_document_append_float (out, layer->eps);
  ls_document_begin_member (out, LAYER_INDENT, "gamma");
  ls_document_append_float_array (out, layer->weights, layer->units);
  ls_document_begin_member (out, LAYER_INDENT, "beta");
  ls_document_append_float_array (out, layer->bias, layer->units);
}

static void
write_pool_tokens_layer (GString       *out,
                         const LsLayer *layer)
{
  ls_document_begin_member (out, LAYER_INDENT, "mode");
  ls_document_append_string (out, ls_token_pooling_get_name (layer->pooling));
}

/* ---------------------------------------------------------------------
 * Layer kinds
 * --------------------------------------------------------------------- */

static const char * const embedding_keys[] = { "dim", "init", "table", NULL };
static const char * const positional_keys[] = { "encoding", "init", "table", NULL };
static const char * const attention_keys[] = {
  "heads", "causal", "residual", "init", "wq", "bq", "wk", "bk", "wv", "bv", "wo", "bo", NULL
};
static const char * const layernorm_keys[] = { "eps", "gamma", "beta", NULL };
static const char * const pool_tokens_keys[] = { "mode", NULL };

const LsLayerFormat ls_document_embedding_format = {
  read_embedding_layer, write_embedding_layer, embedding_keys
};
const LsLayerFormat ls_document_positional_format = {
  read_positional_layer, write_positional_layer, positional_keys
};
const LsLayerFormat ls_document_attention_format = {
  read_attention_layer, write_attention_layer, attention_keys
};
const LsLayerFormat ls_document_layernorm_format = {
  read_layernorm_layer, write_layernorm_layer, layernorm_keys
};
const LsLayerFormat ls_document_pool_tokens_format = {
  read_pool_tokens_layer, write_pool_tokens_layer, pool_tokens_keys
};
