/* ls-document-dense.c: the keys of a dense layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-document"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ls-document-private.h"

/* ---------------------------------------------------------------------
 * Reading
 * --------------------------------------------------------------------- */

/* The same limit as the engine's: weights plus biases of one layer. */
static gboolean
check_parameter_count (const char  *source,
                       const char  *path,
                       gsize        inputs,
                       gsize        units,
                       GError     **error)
{
  if (inputs <= (LS_MAX_LAYER_PARAMETERS - units) / units)
    return TRUE;

  ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, path,
                         _("%zu inputs and %zu units make %llu weights and biases, "
                           "over the maximum of %u per layer"),
                         inputs, units, (unsigned long long) inputs * units + units, LS_MAX_LAYER_PARAMETERS);
  return FALSE;
}

/* Returns the rows of the weight matrix: the size of a vector or image,
 * read flat, or the features of each token of a sequence [T][d]. */
static gsize
get_weight_rows (const LsShape *input_shape)
{
  return input_shape->rank == 2 ? input_shape->dims[1] : ls_shape_get_size (input_shape);
}

/* Sets "expected 4 rows of 2 numbers, found 3 rows", each count with
 * its own plural form. For an image or a sequence the message adds what
 * the rows are. */
static void
set_row_count_error (GError        **error,
                     const char     *source,
                     const char     *path,
                     const LsShape  *input_shape,
                     gsize           units,
                     gsize           n_rows)
{
  gsize inputs = get_weight_rows (input_shape);
  g_autofree char *shape = ls_shape_to_string (input_shape);
  g_autofree char *numbers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu number",
                                                           "%zu numbers", units),
                                              units);
  g_autofree char *expected = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu row of %s",
                                                            "%zu rows of %s", inputs),
                                               inputs, numbers);
  g_autofree char *found = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu row", "%zu rows",
                                                         n_rows),
                                            n_rows);

  if (input_shape->rank == 1)
    ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, path,
                           _("expected %s, found %s"), expected, found);
  else if (input_shape->rank == 2)
    ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, path,
                           _("expected %s, one row per feature of each token, found %s"),
                           expected, found);
  else
    ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, path,
                           _("expected %s, one row per value of the %s input in [c][h][w] order, "
                             "found %s"),
                           expected, shape, found);
}

/* weights is [inputs][units], where inputs is get_weight_rows (input_shape). */
static gboolean
read_weights (const char     *source,
              JsonNode       *node,
              const char     *path,
              const LsShape  *input_shape,
              gsize           units,
              float          *weights,
              GError        **error)
{
  gsize inputs = get_weight_rows (input_shape);
  g_autofree char *expected = NULL;
  JsonArray *rows;
  gsize n_rows;

  if (!ls_document_get_array (source, node, path, &rows, error))
    return FALSE;

  n_rows = json_array_get_length (rows);
  if (n_rows != inputs)
    {
      set_row_count_error (error, source, path, input_shape, units, n_rows);
      return FALSE;
    }

  expected = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "expected %zu number, one per unit",
                                           "expected %zu numbers, one per unit",
                                           units),
                              units);
  for (gsize i = 0; i < inputs; i++)
    if (!ls_document_get_float_array (source, json_array_get_element (rows, i), path, i, units,
                                      expected, weights + i * units, error))
      return FALSE;

  return TRUE;
}

/* Reads the optional weights, bias and labels into a layer that already
 * contains the initial values. */
static gboolean
read_dense_parameters (const char     *source,
                       JsonObject     *object,
                       const char     *path,
                       const LsShape  *input_shape,
                       LsLayer        *layer,
                       GError        **error)
{
  JsonNode *weights = json_object_get_member (object, "weights");
  g_autofree char *weights_path = ls_document_member_path (path, "weights");
  g_autofree char *expected_bias = NULL;
  g_autofree char *expected_labels = NULL;

  expected_bias = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "expected %zu bias, one per unit",
                                                "expected %zu biases, one per unit",
                                                layer->units),
                                   layer->units);
  expected_labels = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "expected %zu label, one per unit",
                                                  "expected %zu labels, one per unit",
                                                  layer->units),
                                     layer->units);

  if (weights != NULL &&
      !read_weights (source, weights, weights_path, input_shape, layer->units, layer->weights, error))
    return FALSE;

  return ls_document_read_bias_and_labels (source, object, path, layer, expected_bias, expected_labels, error);
}

/* Reads the optional "residual", which needs as many units as inputs. */
static gboolean
read_residual (const char  *source,
               JsonObject  *object,
               const char  *path,
               gsize        inputs,
               gsize        units,
               gboolean    *residual,
               GError     **error)
{
  g_autofree char *residual_path = ls_document_member_path (path, "residual");

  *residual = FALSE;
  if (!ls_document_get_optional_boolean (source, object, path, "residual", residual, error))
    return FALSE;

  if (!*residual || inputs == units)
    return TRUE;

  ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, residual_path,
                         _("a residual layer adds its input to its output, so it needs as many units "
                           "as its input has features (%zu), found %zu units; change “units” or "
                           "set “residual” to false"),
                         inputs, units);
  return FALSE;
}

/* An image-shaped input is read flat, in [c][h][w] order, and a sequence
 * one token at a time. */
static LsLayer *
read_dense_layer (const char     *source,
                  JsonObject     *object,
                  const char     *path,
                  gsize           index,
                  const LsShape  *input_shape,
                  GError        **error)
{
  gsize inputs = get_weight_rows (input_shape);
  g_autoptr(LsLayer) layer = NULL;
  g_autoptr(GError) engine_error = NULL;
  LsActivation activation;
  gboolean residual;
  LsInit init;
  gint64 units;

  if (!ls_document_read_size_member (source, object, path, "units", 1, LS_MAX_TENSOR_SIZE,
                                     _("expected %lld to %lld units, found %lld"), &units, error) ||
      !check_parameter_count (source, path, inputs, units, error) ||
      !read_residual (source, object, path, inputs, units, &residual, error) ||
      !ls_document_read_activation (source, object, path, &activation, error) ||
      !ls_document_read_init (source, object, path, index, activation, &init, error))
    return NULL;

  /* On a long sequence the output can still exceed the size limit. */
  layer = ls_layer_new_dense_on (input_shape, units, activation, residual, &init, &engine_error);
  if (layer == NULL)
    {
      ls_document_set_engine_error (error, source, path, engine_error);
      return NULL;
    }

  if (!read_dense_parameters (source, object, path, input_shape, layer, error))
    return NULL;

  return g_steal_pointer (&layer);
}

/* ---------------------------------------------------------------------
 * Writing
 * --------------------------------------------------------------------- */

static void
write_dense_layer (GString       *out,
                   const LsLayer *layer)
{
  const guint indent = 6;

  ls_document_begin_member (out, indent, "units");
  g_string_append_printf (out, "%" G_GSIZE_FORMAT, layer->units);
  ls_document_append_activation_init_labels (out, layer);
  /* Written only when true, so that other dense layers stay readable by
   * releases before version 3. */
  if (layer->residual)
    {
      ls_document_begin_member (out, indent, "residual");
      g_string_append (out, "true");
    }

  ls_document_begin_member (out, indent, "weights");
  ls_document_append_matrix (out, indent, layer->weights, ls_layer_get_inputs (layer), layer->units);
  ls_document_begin_member (out, indent, "bias");
  ls_document_append_float_array (out, layer->bias, layer->units);
}


static const char * const dense_keys[] = {
  "units", "activation", "init", "labels", "residual", "weights", "bias", NULL
};

const LsLayerFormat ls_document_dense_format = { read_dense_layer, write_dense_layer, dense_keys };
