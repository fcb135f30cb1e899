/* ls-document.c: the top level of a document, and helpers for all its parts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-document"

#include "config.h"

#include <float.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ls-document-private.h"

/* ---------------------------------------------------------------------
 * Writing numbers and strings
 * --------------------------------------------------------------------- */

/* Whether text reads back as exactly value along the loader's own path:
 * JsonParser converts the text to a double, and the loader casts that to
 * float. */
static gboolean
reads_back_as (const char *text,
               float       value)
{
  float read = (float) g_ascii_strtod (text, NULL);

  return memcmp (&read, &value, sizeof value) == 0;
}

/* Appends %g-style number text with the exponent shortened from "e-05"
 * to "e-5". Values from 10 to 1e9 whose text has an exponent, such as
 * "1e+02", are written out in full as "100": the padding zeros are not
 * significant digits, so the text still reads back the same. */
static void
append_number_text (GString    *string,
                    const char *text)
{
  const char *e = strchr (text, 'e');
  int exponent;

  if (e == NULL)
    {
      g_string_append (string, text);
      return;
    }

  exponent = atoi (e + 1);
  if (exponent > 0 && exponent < 9)
    {
      gsize start = string->len;

      for (const char *c = text; c < e; c++)
        if (*c != '.')
          g_string_append_c (string, *c);
      while (string->len - start - (text[0] == '-') < (gsize) exponent + 1)
        g_string_append_c (string, '0');
      return;
    }

  g_string_append_len (string, text, e - text);
  g_string_append_printf (string, "e%d", exponent);
}

static void
format_significant (char   *text,
                    gsize   size,
                    double  value,
                    int     digits)
{
  char format[8];

  g_snprintf (format, sizeof format, "%%.%dg", digits);
  g_ascii_formatd (text, size, format, value);
}

/* Formats the decimal of the given number of digits that is one unit in
 * the last place above the one nearest to |value|, with value's sign.
 * Just below a power of two the floats are twice as dense as above it, so
 * there the nearest decimal can fall outside the values that read back
 * as value while the next one up is inside. */
static void
format_next_decimal_up (char  *text,
                        gsize  size,
                        float  value,
                        int    digits)
{
  char format[8];
  char scientific[G_ASCII_DTOSTR_BUF_SIZE + 1] = "0";  /* room for a carry */
  char *digit;

  g_snprintf (format, sizeof format, "%%.%de", digits - 1);
  g_ascii_formatd (scientific + 1, sizeof scientific - 1, format, fabsf (value));

  /* Add one to the last mantissa digit, carrying through nines. */
  for (digit = strchr (scientific, 'e') - 1; *digit == '9' || *digit == '.'; digit--)
    if (*digit == '9')
      *digit = '0';
  (*digit)++;

  format_significant (text, size, copysign (g_ascii_strtod (scientific, NULL), value), digits);
}

static gboolean
is_power_of_two (float value)
{
  int exponent;

  return fabsf (frexpf (value, &exponent)) == 0.5f;
}

/* Tries 1, 2, … significant digits until the text reads back exactly.
 * FLT_DECIMAL_DIG (9) digits always do. */
void
ls_document_append_float (GString *string,
                          float    value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_if_fail (string != NULL);
  g_return_if_fail (isfinite (value));

  /* "-0" would be read as the integer 0 and lose its sign. */
  if (value == 0.0f)
    {
      g_string_append (string, signbit (value) ? "-0.0" : "0");
      return;
    }

  for (int digits = 1; digits <= FLT_DECIMAL_DIG; digits++)
    {
      format_significant (text, sizeof text, value, digits);
      if (reads_back_as (text, value))
        break;

      if (is_power_of_two (value))
        {
          format_next_decimal_up (text, sizeof text, value, digits);
          if (reads_back_as (text, value))
            break;
        }
    }

  append_number_text (string, text);
}

void
ls_document_append_string (GString    *out,
                           const char *text)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);
  g_autofree char *quoted = json_to_string (node, FALSE);

  g_string_append (out, quoted);
}

/* Appends "[a, b, c]". */
void
ls_document_append_float_array (GString     *out,
                                const float *values,
                                gsize        n)
{
  g_string_append_c (out, '[');
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      ls_document_append_float (out, values[i]);
    }
  g_string_append_c (out, ']');
}

/* Appends n labels. labels may be NULL or shorter than n, and the missing
 * ones are written as "", which the loader reads back as no label. */
void
ls_document_append_labels (GString            *out,
                           const char * const *labels,
                           gsize               n)
{
  gsize n_labels = labels != NULL ? g_strv_length ((char **) labels) : 0;

  g_string_append_c (out, '[');
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      ls_document_append_string (out, i < n_labels ? labels[i] : "");
    }
  g_string_append_c (out, ']');
}

/* Appends "\"key\": " after a comma and a newline with the given indent. */
void
ls_document_begin_member (GString    *out,
                          guint       indent,
                          const char *key)
{
  g_string_append (out, ",\n");
  g_string_append_printf (out, "%*s\"%s\": ", (int) indent, "", key);
}

void
ls_document_append_matrix (GString     *out,
                           guint        indent,
                           const float *values,
                           gsize        rows,
                           gsize        columns)
{
  g_string_append (out, "[\n");
  for (gsize i = 0; i < rows; i++)
    {
      g_string_append_printf (out, "%*s", (int) indent + 2, "");
      ls_document_append_float_array (out, values + i * columns, columns);
      g_string_append (out, i + 1 < rows ? ",\n" : "\n");
    }
  g_string_append_printf (out, "%*s]", (int) indent, "");
}

/* Whether a list of labels has a non-empty one among its first n. */
gboolean
ls_document_has_labels (const char * const *labels,
                        gsize               n)
{
  if (labels == NULL)
    return FALSE;

  for (gsize i = 0; i < n && labels[i] != NULL; i++)
    if (labels[i][0] != '\0')
      return TRUE;

  return FALSE;
}

void
ls_document_append_init (GString      *out,
                         guint         indent,
                         const LsInit *init)
{
  ls_document_begin_member (out, indent, "init");
  g_string_append (out, "{\"scheme\": ");
  ls_document_append_string (out, ls_init_scheme_get_name (init->scheme));
  g_string_append_printf (out, ", \"seed\": %" G_GUINT64_FORMAT "}", init->seed);
}

void
ls_document_append_activation_init_labels (GString       *out,
                                           const LsLayer *layer)
{
  const guint indent = 6;

  ls_document_begin_member (out, indent, "activation");
  ls_document_append_string (out, ls_activation_get_name (layer->activation));

  ls_document_append_init (out, indent, &layer->init);

  if (ls_document_has_labels ((const char * const *) layer->labels, layer->units))
    {
      ls_document_begin_member (out, indent, "labels");
      ls_document_append_labels (out, (const char * const *) layer->labels, layer->units);
    }
}

/* ---------------------------------------------------------------------
 * Reading: messages and JSON paths
 * --------------------------------------------------------------------- */

void
ls_document_set_error (GError     **error,
                       const char  *source,
                       LsError      code,
                       const char  *path,
                       const char  *format,
                       ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (path != NULL)
    g_set_error (error, LS_ERROR, code, "%s: %s: %s", source, path, message);
  else
    g_set_error (error, LS_ERROR, code, "%s: %s", source, message);
}

void
ls_document_set_engine_error (GError       **error,
                              const char    *source,
                              const char    *path,
                              const GError  *engine_error)
{
  g_set_error (error, engine_error->domain, engine_error->code, "%s: %s: %s",
               source, path, engine_error->message);
}

/* Returns "parent.key", or "key" at the top level. */
char *
ls_document_member_path (const char *parent,
                         const char *key)
{
  return parent != NULL ? g_strdup_printf ("%s.%s", parent, key) : g_strdup (key);
}

char *
ls_document_element_path (const char *parent,
                          gsize       index)
{
  return g_strdup_printf ("%s[%" G_GSIZE_FORMAT "]", parent, index);
}

/* Describes a JSON value for "found …" in messages. */
char *
ls_document_describe_node (JsonNode *node)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];
  GString *text;
  GType type;

  if (JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup (_("an object"));
  if (JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup (_("an array"));
  if (JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("null");

  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING && !g_utf8_validate (json_node_get_string (node), -1, NULL))
    return g_strdup (_("a string that is not valid UTF-8"));
  if (type == G_TYPE_STRING)
    return g_utf8_strlen (json_node_get_string (node), -1) <= 40
           ? g_strdup_printf (_("the string “%s”"), json_node_get_string (node))
           : g_strdup (_("a string"));
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

  /* The shortest text that reads back as the double, so "1e39" rather
   * than "9.9999999999999994e+38". */
  for (int digits = 1; digits <= 17; digits++)
    {
      format_significant (number, sizeof number, json_node_get_double (node), digits);
      if (g_ascii_strtod (number, NULL) == json_node_get_double (node))
        break;
    }

  text = g_string_new (NULL);
  append_number_text (text, number);

  return g_string_free (text, FALSE);
}

void
ls_document_set_type_error (GError     **error,
                            const char  *source,
                            const char  *path,
                            const char  *expected,
                            JsonNode    *found)
{
  g_autofree char *description = ls_document_describe_node (found);

  ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, path,
                         _("expected %s, found %s"), expected, description);
}

/* Logs the keys of object that no reader looks at. They are ignored so
 * that a document with keys from a later release of the same version
 * still loads. */
void
ls_document_log_unknown_keys (JsonObject         *object,
                              const char         *path,
                              const char * const *known,
                              const char * const *more_known)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;

      if (!g_strv_contains (known, key) &&
          (more_known == NULL || !g_strv_contains (more_known, key)))
        {
          g_autofree char *valid_key = g_utf8_make_valid (key, -1);

          g_debug ("Ignoring unknown key “%s” in %s", valid_key, path != NULL ? path : "the document");
        }
    }
}

/* ---------------------------------------------------------------------
 * Reading: typed values
 * --------------------------------------------------------------------- */

gboolean
ls_document_get_object (const char  *source,
                        JsonNode    *node,
                        const char  *path,
                        JsonObject **object,
                        GError     **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      ls_document_set_type_error (error, source, path, _("an object"), node);
      return FALSE;
    }

  *object = json_node_get_object (node);
  return TRUE;
}

gboolean
ls_document_get_array (const char  *source,
                       JsonNode    *node,
                       const char  *path,
                       JsonArray  **array,
                       GError     **error)
{
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      ls_document_set_type_error (error, source, path, _("an array"), node);
      return FALSE;
    }

  *array = json_node_get_array (node);
  return TRUE;
}

/* Looks up a key that must be present. parent is the object's own path,
 * for the message. */
JsonNode *
ls_document_get_required_member (const char  *source,
                                 JsonObject  *object,
                                 const char  *parent,
                                 const char  *key,
                                 GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL)
    ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, parent,
                           _("missing required key “%s”"), key);

  return node;
}

/* JsonParser reads 4.0 as the double 4, which ls_document_describe_node() shows as
 * "4", so the message adds the ".0" that the document has. */
static void
set_decimal_for_integer_error (GError     **error,
                               const char  *source,
                               const char  *path,
                               JsonNode    *node)
{
  g_autofree char *description = ls_document_describe_node (node);
  const char *suffix = strpbrk (description, ".e") == NULL ? ".0" : "";

  ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, path,
                         _("expected an integer, found %s%s (a number with a decimal point or exponent)"),
                         description, suffix);
}

gboolean
ls_document_get_integer (const char  *source,
                         JsonNode    *node,
                         const char  *path,
                         gint64      *value,
                         GError     **error)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      set_decimal_for_integer_error (error, source, path, node);
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      ls_document_set_type_error (error, source, path, _("an integer"), node);
      return FALSE;
    }

  *value = json_node_get_int (node);
  return TRUE;
}

gboolean
ls_document_read_size_member (const char  *source,
                              JsonObject  *object,
                              const char  *parent,
                              const char  *key,
                              gint64       min,
                              gint64       max,
                              const char  *out_of_range,
                              gint64      *value,
                              GError     **error)
{
  g_autofree char *path = ls_document_member_path (parent, key);
  JsonNode *node = ls_document_get_required_member (source, object, parent, key, error);

  if (node == NULL || !ls_document_get_integer (source, node, path, value, error))
    return FALSE;

  if (*value < min || *value > max)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, path, out_of_range,
                             (long long) min, (long long) max, (long long) *value);
      return FALSE;
    }

  return TRUE;
}

/* Reads a string of at most max_length bytes. */
gboolean
ls_document_get_string (const char   *source,
                        JsonNode     *node,
                        const char   *path,
                        gsize         max_length,
                        const char  **value,
                        GError      **error)
{
  gsize length;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      ls_document_set_type_error (error, source, path, _("a string"), node);
      return FALSE;
    }

  /* JsonParser turns a lone surrogate escape into bytes that are not
   * UTF-8, which Pango, PDF output and --json cannot take. */
  if (!g_utf8_validate (json_node_get_string (node), -1, NULL))
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, path,
                             _("the text is not valid UTF-8 because it contains a lone surrogate escape "
                               "such as \\ud800; write a character outside the Basic Multilingual Plane "
                               "as a pair such as \\ud83d\\ude00, or as the character itself"));
      return FALSE;
    }

  length = strlen (json_node_get_string (node));
  if (length > max_length)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, path,
                             _("the text is %zu bytes long, over the maximum of %zu bytes"),
                             length, max_length);
      return FALSE;
    }

  *value = json_node_get_string (node);
  return TRUE;
}

/* Reads an optional string member into *value, leaving it NULL when the
 * key is absent. */
gboolean
ls_document_get_optional_string (const char   *source,
                                 JsonObject   *object,
                                 const char   *parent,
                                 const char   *key,
                                 gsize         max_length,
                                 const char  **value,
                                 GError      **error)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *path = NULL;

  *value = NULL;
  if (node == NULL)
    return TRUE;

  path = ls_document_member_path (parent, key);

  return ls_document_get_string (source, node, path, max_length, value, error);
}

typedef enum
{
  NUMBER_OK,
  NUMBER_NOT_A_NUMBER,
  NUMBER_OUT_OF_RANGE,
} NumberStatus;

static NumberStatus
node_get_float (JsonNode *node,
                float    *value)
{
  double number;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return NUMBER_NOT_A_NUMBER;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    number = (double) json_node_get_int (node);
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    number = json_node_get_double (node);
  else
    return NUMBER_NOT_A_NUMBER;

  /* ls_json_scan_text() rejects numbers beyond the double range, such as 1e400,
   * but 1e39 is finite as a double and infinite as a float. */
  if (!isfinite (number) || fabs (number) >= FLOAT_OVERFLOW_THRESHOLD)
    return NUMBER_OUT_OF_RANGE;

  *value = (float) number;
  return NUMBER_OK;
}

/* Reads a JSON number into *value. The message names the element as
 * parent[row][column], or parent[column] when row is negative. */
static gboolean
get_float_element (const char  *source,
                   JsonNode    *node,
                   const char  *parent,
                   gssize       row,
                   gsize        column,
                   float       *value,
                   GError     **error)
{
  NumberStatus status = node_get_float (node, value);
  g_autofree char *path = NULL;
  g_autofree char *description = NULL;

  if (status == NUMBER_OK)
    return TRUE;

  if (row >= 0)
    path = g_strdup_printf ("%s[%" G_GSSIZE_FORMAT "][%" G_GSIZE_FORMAT "]", parent, row, column);
  else
    path = ls_document_element_path (parent, column);

  if (status == NUMBER_NOT_A_NUMBER)
    {
      ls_document_set_type_error (error, source, path, _("a number"), node);
      return FALSE;
    }

  description = ls_document_describe_node (node);
  ls_document_set_error (error, source, LS_ERROR_INVALID_VALUE, path,
                         _("%s is a number beyond the float range (±%s)"), description, FLT_MAX_TEXT);
  return FALSE;
}

/* Reads an array of exactly n numbers. expected starts the message for a
 * wrong count, e.g. "expected 4 biases, one per unit". */
gboolean
ls_document_get_float_array (const char  *source,
                             JsonNode    *node,
                             const char  *path,
                             gssize       row,
                             gsize        n,
                             const char  *expected,
                             float       *values,
                             GError     **error)
{
  g_autofree char *row_path = row >= 0 ? ls_document_element_path (path, row) : g_strdup (path);
  JsonArray *array;
  gsize length;

  if (!ls_document_get_array (source, node, row_path, &array, error))
    return FALSE;

  length = json_array_get_length (array);
  if (length != n)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, row_path,
                             _("%s, found %zu"), expected, length);
      return FALSE;
    }

  for (gsize i = 0; i < n; i++)
    if (!get_float_element (source, json_array_get_element (array, i), path, row, i, &values[i], error))
      return FALSE;

  return TRUE;
}

gboolean
ls_document_get_float (const char  *source,
                       JsonNode    *node,
                       const char  *path,
                       float       *value,
                       GError     **error)
{
  NumberStatus status = node_get_float (node, value);
  g_autofree char *description = NULL;

  if (status == NUMBER_OK)
    return TRUE;

  if (status == NUMBER_NOT_A_NUMBER)
    {
      ls_document_set_type_error (error, source, path, _("a number"), node);
      return FALSE;
    }

  description = ls_document_describe_node (node);
  ls_document_set_error (error, source, LS_ERROR_INVALID_VALUE, path,
                         _("%s is a number beyond the float range (±%s)"), description, FLT_MAX_TEXT);
  return FALSE;
}

gboolean
ls_document_get_matrix (const char  *source,
                        JsonNode    *node,
                        const char  *path,
                        gsize        rows,
                        gsize        columns,
                        const char  *expected_rows,
                        const char  *expected_columns,
                        float       *values,
                        GError     **error)
{
  JsonArray *array;
  gsize length;

  if (!ls_document_get_array (source, node, path, &array, error))
    return FALSE;

  length = json_array_get_length (array);
  if (length != rows)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, path,
                             _("%s, found %zu"), expected_rows, length);
      return FALSE;
    }

  for (gsize i = 0; i < rows; i++)
    if (!ls_document_get_float_array (source, json_array_get_element (array, i), path, i, columns,
                                      expected_columns, values + i * columns, error))
      return FALSE;

  return TRUE;
}

gboolean
ls_document_get_optional_boolean (const char  *source,
                                  JsonObject  *object,
                                  const char  *parent,
                                  const char  *key,
                                  gboolean    *value,
                                  GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *path = NULL;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      path = ls_document_member_path (parent, key);
      ls_document_set_type_error (error, source, path, _("true or false"), node);
      return FALSE;
    }

  *value = json_node_get_boolean (node);
  return TRUE;
}

/* Returns strings as a GStrv without its trailing empty strings, or NULL
 * when none is left. */
static GStrv
steal_labels (GPtrArray *strings)
{
  while (strings->len > 0 && *(char *) g_ptr_array_index (strings, strings->len - 1) == '\0')
    g_ptr_array_set_size (strings, strings->len - 1);

  if (strings->len == 0)
    return NULL;

  g_ptr_array_add (strings, NULL);
  return (GStrv) g_ptr_array_steal (strings, NULL);
}

/* Reads labels, one string per element and exactly n of them. Trailing
 * empty strings mean "no label" and are dropped, so that writing padded
 * labels and reading them back gives the same list. */
gboolean
ls_document_get_labels (const char  *source,
                        JsonNode    *node,
                        const char  *path,
                        gsize        n,
                        const char  *expected,
                        GStrv       *labels,
                        GError     **error)
{
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  JsonArray *array;
  gsize length;

  if (!ls_document_get_array (source, node, path, &array, error))
    return FALSE;

  length = json_array_get_length (array);
  if (length != n)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, path,
                             _("%s, found %zu"), expected, length);
      return FALSE;
    }

  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *label_path = ls_document_element_path (path, i);
      const char *label;

      if (!ls_document_get_string (source, json_array_get_element (array, i), label_path,
                                   LS_MAX_LABEL_LENGTH, &label, error))
        return FALSE;
      g_ptr_array_add (strings, g_strdup (label));
    }

  *labels = steal_labels (strings);
  return TRUE;
}

/* ---------------------------------------------------------------------
 * Reading: names, activations and initial weights
 * --------------------------------------------------------------------- */

gboolean
ls_document_read_name_member (const char          *source,
           JsonObject          *object,
           const char          *path,
           const char          *key,
           const char * const  *names,
           guint                n_names,
           const char          *unknown_format,
           guint               *index,
           GError             **error)
{
  g_autofree char *key_path = ls_document_member_path (path, key);
  g_autofree char *known = NULL;
  JsonNode *node;
  const char *name;

  node = ls_document_get_required_member (source, object, path, key, error);
  if (node == NULL || !ls_document_get_string (source, node, key_path, G_MAXSIZE, &name, error))
    return FALSE;

  for (guint i = 0; i < n_names; i++)
    {
      if (g_str_equal (name, names[i]))
        {
          *index = i;
          return TRUE;
        }
    }

  known = g_strjoinv (", ", (char **) names);
  ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, key_path, unknown_format, name, known);
  return FALSE;
}

gboolean
ls_document_read_bias_and_labels (const char   *source,
                                  JsonObject   *object,
                                  const char   *path,
                                  LsLayer      *layer,
                                  const char   *expected_bias,
                                  const char   *expected_labels,
                                  GError      **error)
{
  JsonNode *bias = json_object_get_member (object, "bias");
  JsonNode *labels = json_object_get_member (object, "labels");
  g_autofree char *bias_path = ls_document_member_path (path, "bias");
  g_autofree char *labels_path = ls_document_member_path (path, "labels");

  if (bias != NULL &&
      !ls_document_get_float_array (source, bias, bias_path, -1, layer->units, expected_bias, layer->bias, error))
    return FALSE;
  if (labels != NULL &&
      !ls_document_get_labels (source, labels, labels_path, layer->units, expected_labels, &layer->labels, error))
    return FALSE;

  return TRUE;
}

gboolean
ls_document_read_activation (const char    *source,
                             JsonObject    *object,
                             const char    *path,
                             LsActivation  *activation,
                             GError       **error)
{
  const char *names[LS_N_ACTIVATIONS + 1] = { NULL };
  guint index;

  for (guint i = 0; i < LS_N_ACTIVATIONS; i++)
    names[i] = ls_activation_get_name (i);

  if (!ls_document_read_name_member (source, object, path, "activation", names, LS_N_ACTIVATIONS,
                  _("unknown activation “%s”; known activations are %s"), &index, error))
    return FALSE;

  *activation = index;
  return TRUE;
}

static gboolean
read_init_scheme (const char    *source,
                  JsonObject    *init_object,
                  const char    *init_path,
                  LsInitScheme  *scheme,
                  GError       **error)
{
  g_autofree char *scheme_path = ls_document_member_path (init_path, "scheme");
  JsonNode *node = json_object_get_member (init_object, "scheme");
  const char *name;

  if (node == NULL)
    return TRUE;

  if (!ls_document_get_string (source, node, scheme_path, G_MAXSIZE, &name, error))
    return FALSE;

  if (!ls_init_scheme_from_name (name, scheme))
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, scheme_path,
                             _("unknown scheme “%s”; known schemes are %s and %s"), name,
                             ls_init_scheme_get_name (LS_INIT_HE), ls_init_scheme_get_name (LS_INIT_XAVIER));
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_init_seed (const char  *source,
                JsonObject  *init_object,
                const char  *init_path,
                guint64     *seed,
                GError     **error)
{
  g_autofree char *seed_path = ls_document_member_path (init_path, "seed");
  JsonNode *node = json_object_get_member (init_object, "seed");
  gint64 value;

  if (node == NULL)
    return TRUE;

  if (!ls_document_get_integer (source, node, seed_path, &value, error))
    return FALSE;

  if (value < 0)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, seed_path,
                             _("expected a seed from 0 to %lld, found %lld"),
                             (long long) G_MAXINT64, (long long) value);
      return FALSE;
    }

  *seed = value;
  return TRUE;
}

/* Reads the optional "init" object. Without it, or without one of its
 * keys, the scheme follows the activation and the seed is index + 1. */
gboolean
ls_document_read_init (const char    *source,
                       JsonObject    *object,
                       const char    *path,
                       gsize          index,
                       LsActivation   activation,
                       LsInit        *init,
                       GError       **error)
{
  static const char * const keys[] = { "scheme", "seed", NULL };
  g_autofree char *init_path = ls_document_member_path (path, "init");
  JsonNode *node = json_object_get_member (object, "init");
  JsonObject *init_object;

  init->scheme = ls_activation_prefers_he_init (activation) ? LS_INIT_HE : LS_INIT_XAVIER;
  init->seed = index + 1;
  if (node == NULL)
    return TRUE;

  if (!ls_document_get_object (source, node, init_path, &init_object, error))
    return FALSE;
  ls_document_log_unknown_keys (init_object, init_path, keys, NULL);

  return read_init_scheme (source, init_object, init_path, &init->scheme, error) &&
         read_init_seed (source, init_object, init_path, &init->seed, error);
}

/* ---------------------------------------------------------------------
 * Layer kinds
 * --------------------------------------------------------------------- */

/* One entry per LsLayerKind. Supporting a new kind in documents means
 * adding its reader and writer here. */
static const LsLayerFormat * const layer_formats[] = {
  [LS_LAYER_DENSE] = &ls_document_dense_format,
  [LS_LAYER_CONV2D] = &ls_document_conv2d_format,
  [LS_LAYER_MAXPOOL2D] = &ls_document_maxpool2d_format,
  [LS_LAYER_AVGPOOL2D] = &ls_document_avgpool2d_format,
  [LS_LAYER_FLATTEN] = &ls_document_flatten_format,
  [LS_LAYER_EMBEDDING] = &ls_document_embedding_format,
  [LS_LAYER_POSITIONAL] = &ls_document_positional_format,
  [LS_LAYER_ATTENTION] = &ls_document_attention_format,
  [LS_LAYER_LAYERNORM] = &ls_document_layernorm_format,
  [LS_LAYER_POOL_TOKENS] = &ls_document_pool_tokens_format,
};

G_STATIC_ASSERT (G_N_ELEMENTS (layer_formats) == LS_N_LAYER_KINDS);

/* ---------------------------------------------------------------------
 * Writing a document
 * --------------------------------------------------------------------- */

static void
write_layer (GString       *out,
             const LsLayer *layer)
{
  g_string_append (out, "    {\n      \"type\": ");
  ls_document_append_string (out, ls_layer_kind_get_name (layer->kind));
  if (layer->name != NULL)
    {
      ls_document_begin_member (out, 6, "name");
      ls_document_append_string (out, layer->name);
    }

  layer_formats[layer->kind]->write (out, layer);
  g_string_append (out, "\n    }");
}

static gboolean
is_token_layer_kind (LsLayerKind kind)
{
  switch (kind)
    {
    case LS_LAYER_EMBEDDING:
    case LS_LAYER_POSITIONAL:
    case LS_LAYER_ATTENTION:
    case LS_LAYER_LAYERNORM:
    case LS_LAYER_POOL_TOKENS:
      return TRUE;

    case LS_LAYER_DENSE:
    case LS_LAYER_CONV2D:
    case LS_LAYER_MAXPOOL2D:
    case LS_LAYER_AVGPOOL2D:
    case LS_LAYER_FLATTEN:
    case LS_N_LAYER_KINDS:
    default:
      return FALSE;
    }
}

/* Returns the lowest version that has every feature the network uses, so
 * that a network of dense layers on a vector input stays readable by
 * releases that read version 1 only. */
static int
get_document_version (LsNetwork *network)
{
  int version = ls_network_get_input_shape (network)->rank != 1 ? LS_DOCUMENT_IMAGE_VERSION : 1;

  if (ls_network_has_token_input (network))
    return LS_DOCUMENT_TOKENS_VERSION;

  for (gsize i = 0; i < ls_network_get_n_layers (network); i++)
    {
      const LsLayer *layer = ls_network_get_layer (network, i);

      if (is_token_layer_kind (layer->kind) || layer->residual)
        return LS_DOCUMENT_TOKENS_VERSION;
      if (layer->kind != LS_LAYER_DENSE)
        version = LS_DOCUMENT_IMAGE_VERSION;
    }

  return version;
}

char *
ls_document_to_data (LsNetwork *network,
                     gsize     *length)
{
  GString *out;
  gsize n_layers;

  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);

  out = g_string_new ("{\n  \"format\": ");
  ls_document_append_string (out, LS_DOCUMENT_FORMAT);
  ls_document_begin_member (out, 2, "version");
  g_string_append_printf (out, "%d", get_document_version (network));

  if (ls_network_get_title (network) != NULL)
    {
      ls_document_begin_member (out, 2, "title");
      ls_document_append_string (out, ls_network_get_title (network));
    }
  if (ls_network_get_description (network) != NULL)
    {
      ls_document_begin_member (out, 2, "description");
      ls_document_append_string (out, ls_network_get_description (network));
    }

  ls_document_write_dataset (out, network);
  ls_document_write_input (out, network);

  ls_document_begin_member (out, 2, "layers");
  g_string_append (out, "[\n");
  n_layers = ls_network_get_n_layers (network);
  for (gsize i = 0; i < n_layers; i++)
    {
      write_layer (out, ls_network_get_layer (network, i));
      g_string_append (out, i + 1 < n_layers ? ",\n" : "\n");
    }
  g_string_append (out, "  ]\n}\n");

  if (length != NULL)
    *length = out->len;

  return g_string_free (out, FALSE);
}

/* ---------------------------------------------------------------------
 * Reading a document
 * --------------------------------------------------------------------- */

static gboolean
read_layer_kind (const char   *source,
                 JsonObject   *object,
                 const char   *path,
                 LsLayerKind  *kind,
                 GError      **error)
{
  const char *names[LS_N_LAYER_KINDS + 1] = { NULL };
  guint index;

  for (guint i = 0; i < LS_N_LAYER_KINDS; i++)
    names[i] = ls_layer_kind_get_name (i);

  if (!ls_document_read_name_member (source, object, path, "type", names, LS_N_LAYER_KINDS,
                  _("unknown layer type “%s”; known types are %s"), &index, error))
    return FALSE;

  *kind = index;
  return TRUE;
}

/* Checks the rules of a text input before a layer is read: an embedding
 * layer comes first, and only there. The engine checks them again when
 * the network is built, but the reader needs them to know what the
 * embedding table's rows mean. */
static gboolean
check_embedding_position (const char         *source,
                          const char         *path,
                          gsize               index,
                          LsLayerKind         kind,
                          const LsInputSpec  *input,
                          GError            **error)
{
  gboolean is_embedding = kind == LS_LAYER_EMBEDDING;

  if (input->text_network != NULL && index == 0 && !is_embedding)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, path,
                             _("a text input is a list of token ids, so the first layer must be "
                               "an embedding layer, found a layer of type “%s”"),
                             ls_layer_kind_get_name (kind));
      return FALSE;
    }

  if (is_embedding && index != 0)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, path,
                             _("an embedding layer reads the token ids of a text input, so it must be "
                               "the first layer, layers[0]; move it there or remove it"));
      return FALSE;
    }

  if (is_embedding && input->text_network == NULL)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, path,
                             _("an embedding layer reads token ids, but the input is not text; "
                               "use an input with \"kind\": \"tokens\" or remove the layer"));
      return FALSE;
    }

  return TRUE;
}

/* Checks that a table read from the document has the row count that the
 * text input sets: one row per vocabulary word for an embedding, one per
 * position up to max_tokens for a learned positional encoding. */
static gboolean
check_table_rows (const char         *source,
                  const char         *path,
                  const LsLayer      *layer,
                  const LsInputSpec  *input,
                  GError            **error)
{
  g_autofree char *table_path = ls_document_member_path (path, "table");
  gsize expected;

  if (layer->kind == LS_LAYER_EMBEDDING)
    expected = ls_vocabulary_get_size (ls_network_get_vocabulary (input->text_network));
  else if (layer->kind == LS_LAYER_POSITIONAL && layer->encoding == LS_POSITIONAL_LEARNED)
    expected = input->text_network != NULL ? ls_network_get_max_tokens (input->text_network) : 0;
  else
    return TRUE;

  if (layer->rows == expected)
    return TRUE;

  if (layer->kind == LS_LAYER_EMBEDDING)
    ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, table_path,
                           _("expected %zu rows, one per word of input.vocabulary, found %zu"),
                           expected, layer->rows);
  else if (expected > 0)
    ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, table_path,
                           _("expected %zu rows, one per position up to input.max_tokens, found %zu"),
                           expected, layer->rows);
  else
    ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, path,
                           _("a positional layer needs a text input, whose max_tokens sets the rows "
                             "of its table; use an input with \"kind\": \"tokens\""));
  return FALSE;
}

/* Reads "layers[index]", whose input has the shape input_shape. */
static LsLayer *
read_layer (const char         *source,
            JsonNode           *node,
            gsize               index,
            const LsShape      *input_shape,
            const LsInputSpec  *input,
            GError            **error)
{
  static const char * const common_keys[] = { "type", "name", NULL };
  g_autofree char *path = ls_document_element_path ("layers", index);
  g_autoptr(LsLayer) layer = NULL;
  const LsLayerFormat *format;
  JsonObject *object;
  LsLayerKind kind;
  const char *name;

  if (!ls_document_get_object (source, node, path, &object, error) ||
      !read_layer_kind (source, object, path, &kind, error) ||
      !ls_document_get_optional_string (source, object, path, "name", LS_MAX_LABEL_LENGTH, &name, error) ||
      !check_embedding_position (source, path, index, kind, input, error))
    return NULL;

  format = layer_formats[kind];
  ls_document_log_unknown_keys (object, path, common_keys, format->keys);
  layer = format->read (source, object, path, index, input_shape, error);
  if (layer == NULL || !check_table_rows (source, path, layer, input, error))
    return NULL;

  layer->name = g_strdup (name);

  return g_steal_pointer (&layer);
}

/* Reads every layer into layers, checking that each fits the one before. */
static gboolean
read_layers (const char         *source,
             JsonObject         *root,
             const LsInputSpec  *input,
             GPtrArray          *layers,
             GError            **error)
{
  JsonNode *node = ls_document_get_required_member (source, root, NULL, "layers", error);
  JsonArray *array;
  gsize n_layers;
  const LsShape *shape = &input->shape;
  gsize total_parameters = 0;

  if (node == NULL || !ls_document_get_array (source, node, "layers", &array, error))
    return FALSE;

  n_layers = json_array_get_length (array);
  if (n_layers == 0 || n_layers > LS_MAX_LAYERS)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, "layers",
                             _("expected 1 to %d layers, found %zu"), LS_MAX_LAYERS, n_layers);
      return FALSE;
    }

  for (gsize i = 0; i < n_layers; i++)
    {
      LsLayer *layer = read_layer (source, json_array_get_element (array, i), i, shape, input, error);
      LsParameterCount count;

      if (layer == NULL)
        return FALSE;
      g_ptr_array_add (layers, layer);
      shape = &layer->output_shape;

      /* Checked as each layer is read, so a huge document fails after one
       * layer past the limit instead of allocating all of them. */
      ls_layer_get_parameter_count (layer, &count);
      total_parameters += count.total;
      if (total_parameters > LS_MAX_NETWORK_PARAMETERS)
        {
          g_autofree char *path = g_strdup_printf ("layers[%zu]", i);

          ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, path,
                                 _("the layers up to this one have %zu weights and biases, "
                                   "over the maximum of %u for a whole network"),
                                 total_parameters, LS_MAX_NETWORK_PARAMETERS);
          return FALSE;
        }
    }

  return TRUE;
}

/* The parts of a document, read and checked before the network is built.
 * The strings point into the JSON tree. */
typedef struct
{
  const char *title;         /* nullable */
  const char *description;   /* nullable */
  LsInputSpec input;
  LsEvaluation evaluation;
  gboolean has_evaluation;
  GPtrArray *layers;         /* of LsLayer, in forward order */
} DocumentParts;

static void
document_parts_clear (DocumentParts *parts)
{
  ls_input_spec_clear (&parts->input);
  g_clear_pointer (&parts->layers, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DocumentParts, document_parts_clear)

static gboolean
append_layers (LsNetwork  *network,
               const char *source,
               GPtrArray  *layers,
               GError    **error)
{
  for (guint i = 0; i < layers->len; i++)
    {
      g_autoptr(GError) engine_error = NULL;

      if (!ls_network_append_layer (network, g_steal_pointer (&layers->pdata[i]), &engine_error))
        {
          g_autofree char *path = ls_document_element_path ("layers", i);

          ls_document_set_engine_error (error, source, path, engine_error);
          return FALSE;
        }
    }

  return TRUE;
}

/* Builds the network from parts that have passed every check, taking the
 * layers out of parts. */
static LsNetwork *
build_network (const char     *source,
               DocumentParts  *parts,
               GError        **error)
{
  g_autoptr(LsNetwork) network = NULL;
  gsize size = ls_shape_get_size (&parts->input.shape);

  if (parts->input.text_network != NULL)
    network = g_object_ref (parts->input.text_network);
  else
    network = ls_network_new_with_shape (&parts->input.shape);

  /* One forward pass at the end rather than one per layer added. */
  ls_network_freeze_changes (network);
  if (!append_layers (network, source, parts->layers, error))
    return NULL;

  ls_network_set_title (network, parts->title);
  ls_network_set_description (network, parts->description);
  if (parts->has_evaluation)
    ls_network_set_evaluation (network, &parts->evaluation);
  if (parts->input.labels != NULL)
    ls_network_set_input_labels (network, (const char * const *) parts->input.labels);
  if (parts->input.values != NULL &&
      !ls_network_set_input (network, parts->input.values, size, error))
    {
      g_prefix_error (error, "%s: input.values: ", source);
      return NULL;
    }
  ls_network_thaw_changes (network);

  return g_steal_pointer (&network);
}

static LsNetwork *
read_network (const char  *source,
              JsonObject  *root,
              GError     **error)
{
  static const char * const keys[] = {
    "format", "version", "title", "description", "dataset", "input", "layers", NULL
  };
  g_auto(DocumentParts) parts = { 0 };

  ls_document_log_unknown_keys (root, NULL, keys, NULL);
  parts.layers = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_layer_free);

  if (!ls_document_get_optional_string (source, root, NULL, "title", LS_MAX_LABEL_LENGTH,
                                        &parts.title, error) ||
      !ls_document_get_optional_string (source, root, NULL, "description", LS_MAX_DESCRIPTION_LENGTH,
                                        &parts.description, error) ||
      !ls_document_read_dataset (source, root, &parts.evaluation, &parts.has_evaluation, error) ||
      !ls_document_read_input (source, root, &parts.input, error) ||
      !read_layers (source, root, &parts.input, parts.layers, error))
    return NULL;

  return build_network (source, &parts, error);
}

/* Checks "format" and "version" before anything else, so that a file of
 * another kind or from a newer Layerscope gets that message rather than
 * one about a key it may legitimately lack. */
static gboolean
check_format_and_version (const char  *source,
                          JsonObject  *root,
                          GError     **error)
{
  JsonNode *node = json_object_get_member (root, "format");
  gint64 version;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      !g_str_equal (json_node_get_string (node), LS_DOCUMENT_FORMAT))
    {
      g_autofree char *found = node != NULL ? ls_document_describe_node (node) : g_strdup (_("no “format” key"));

      ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, "format",
                             _("expected “%s”, found %s; this is not a Layerscope network document"),
                             LS_DOCUMENT_FORMAT, found);
      return FALSE;
    }

  node = ls_document_get_required_member (source, root, NULL, "version", error);
  if (node == NULL || !ls_document_get_integer (source, node, "version", &version, error))
    return FALSE;

  if (version > LS_DOCUMENT_VERSION)
    {
      ls_document_set_error (error, source, LS_ERROR_UNSUPPORTED_VERSION, "version",
                             _("written by a newer Layerscope (format version %lld); this version "
                               "reads versions 1 to %d, so update Layerscope to open it"),
                             (long long) version, LS_DOCUMENT_VERSION);
      return FALSE;
    }
  if (version < 1)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, "version",
                             _("expected a format version of 1 or more, found %lld"), (long long) version);
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_blank (const char *data,
          gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;

  return TRUE;
}

/* Turns JsonParser's "<data>:3:7: Parse error: …" into
 * "source:3:7: Parse error: … (the file is not valid JSON)". */
static void
set_json_error (GError     **error,
                const char  *source,
                GError      *json_error)
{
  /* JsonParser quotes the bytes that a lone surrogate escape gave, which
   * are not UTF-8. */
  g_autofree char *message = g_utf8_make_valid (json_error->message, -1);

  if (g_str_has_prefix (message, "<data>:"))
    g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT, _("%s:%s (the file is not valid JSON)"),
                 source, message + strlen ("<data>:"));
  else
    g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT, _("%s: not valid JSON: %s"),
                 source, message);
}

/* Parses data into parser and returns its top-level object. */
static JsonObject *
parse_json (const char  *data,
            gsize        length,
            const char  *source,
            JsonParser  *parser,
            GError     **error)
{
  g_autoptr(GError) json_error = NULL;
  JsonNode *root;

  if (is_blank (data, length))
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, NULL,
                             _("the file is empty; expected a JSON object with \"format\": \"%s\""),
                             LS_DOCUMENT_FORMAT);
      return NULL;
    }

  if (!ls_json_check_utf8 (source, data, length, error) ||
      !ls_json_scan_text (source, data, length, error))
    return NULL;

  if (!json_parser_load_from_data (parser, data, length, &json_error))
    {
      set_json_error (error, source, json_error);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      ls_document_set_type_error (error, source, NULL, _("a JSON object at the top level"), root);
      return NULL;
    }

  return json_node_get_object (root);
}

LsNetwork *
ls_document_load_data (const char  *data,
                       gssize       length,
                       const char  *source_name,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (source_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (data);

  parser = json_parser_new_immutable ();
  root = parse_json (data != NULL ? data : "", length, source_name, parser, error);
  if (root == NULL || !check_format_and_version (source_name, root, error))
    return NULL;

  return read_network (source_name, root, error);
}

