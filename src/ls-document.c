/* ls-document.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-document"

#include "config.h"

#include <float.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ls-document-private.h"

/* Reads one layer kind's keys from object. inputs is the output size of
 * the previous layer, index the position in "layers". */
typedef LsLayer *(*ReadLayerFunc)  (const char     *source,
                                    JsonObject     *object,
                                    const char     *path,
                                    gsize           index,
                                    gsize           inputs,
                                    GError        **error);
/* Appends the kind's keys after "type" and "name", each as ",\n" + key. */
typedef void     (*WriteLayerFunc) (GString        *out,
                                    const LsLayer  *layer);

typedef struct
{
  ReadLayerFunc read;
  WriteLayerFunc write;
  const char * const *keys;  /* keys the kind reads, besides "type" and "name" */
} LayerFormat;

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

static void
append_string (GString    *out,
               const char *text)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);
  g_autofree char *quoted = json_to_string (node, FALSE);

  g_string_append (out, quoted);
}

/* Appends "[a, b, c]". */
static void
append_float_array (GString     *out,
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
static void
append_labels (GString            *out,
               const char * const *labels,
               gsize               n)
{
  gsize n_labels = labels != NULL ? g_strv_length ((char **) labels) : 0;

  g_string_append_c (out, '[');
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      append_string (out, i < n_labels ? labels[i] : "");
    }
  g_string_append_c (out, ']');
}

/* Appends "\"key\": " after a comma and a newline with the given indent. */
static void
begin_member (GString    *out,
              guint       indent,
              const char *key)
{
  g_string_append (out, ",\n");
  g_string_append_printf (out, "%*s\"%s\": ", (int) indent, "", key);
}

/* Whether a list of labels has a non-empty one among its first n. */
static gboolean
has_labels (const char * const *labels,
            gsize               n)
{
  if (labels == NULL)
    return FALSE;

  for (gsize i = 0; i < n && labels[i] != NULL; i++)
    if (labels[i][0] != '\0')
      return TRUE;

  return FALSE;
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

/* Returns "parent.key", or "key" at the top level. */
static char *
member_path (const char *parent,
             const char *key)
{
  return parent != NULL ? g_strdup_printf ("%s.%s", parent, key) : g_strdup (key);
}

static char *
element_path (const char *parent,
              gsize       index)
{
  return g_strdup_printf ("%s[%" G_GSIZE_FORMAT "]", parent, index);
}

/* Describes a JSON value for "found …" in messages. */
static char *
describe_node (JsonNode *node)
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

static void
set_type_error (GError     **error,
                const char  *source,
                const char  *path,
                const char  *expected,
                JsonNode    *found)
{
  g_autofree char *description = describe_node (found);

  ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, path,
             _("expected %s, found %s"), expected, description);
}

/* Logs the keys of object that no reader looks at. They are ignored so
 * that a document with keys from a later release of the same version
 * still loads. */
static void
log_unknown_keys (JsonObject         *object,
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

static gboolean
get_object (const char  *source,
            JsonNode    *node,
            const char  *path,
            JsonObject **object,
            GError     **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_type_error (error, source, path, _("an object"), node);
      return FALSE;
    }

  *object = json_node_get_object (node);
  return TRUE;
}

static gboolean
get_array (const char  *source,
           JsonNode    *node,
           const char  *path,
           JsonArray  **array,
           GError     **error)
{
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_type_error (error, source, path, _("an array"), node);
      return FALSE;
    }

  *array = json_node_get_array (node);
  return TRUE;
}

/* Looks up a key that must be present. parent is the object's own path,
 * for the message. */
static JsonNode *
get_required_member (const char  *source,
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

/* JsonParser reads 4.0 as the double 4, which describe_node() shows as
 * "4", so the message adds the ".0" that the document has. */
static void
set_decimal_for_integer_error (GError     **error,
                               const char  *source,
                               const char  *path,
                               JsonNode    *node)
{
  g_autofree char *description = describe_node (node);
  const char *suffix = strpbrk (description, ".e") == NULL ? ".0" : "";

  ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, path,
             _("expected an integer, found %s%s (a number with a decimal point or exponent)"),
             description, suffix);
}

static gboolean
get_integer (const char  *source,
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
      set_type_error (error, source, path, _("an integer"), node);
      return FALSE;
    }

  *value = json_node_get_int (node);
  return TRUE;
}

/* Reads a string of at most max_length bytes. */
static gboolean
get_string (const char   *source,
            JsonNode     *node,
            const char   *path,
            gsize         max_length,
            const char  **value,
            GError      **error)
{
  gsize length;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      set_type_error (error, source, path, _("a string"), node);
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
static gboolean
get_optional_string (const char   *source,
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

  path = member_path (parent, key);

  return get_string (source, node, path, max_length, value, error);
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
    path = element_path (parent, column);

  if (status == NUMBER_NOT_A_NUMBER)
    {
      set_type_error (error, source, path, _("a number"), node);
      return FALSE;
    }

  description = describe_node (node);
  ls_document_set_error (error, source, LS_ERROR_INVALID_VALUE, path,
             _("%s is a number beyond the float range (±%s)"), description, FLT_MAX_TEXT);
  return FALSE;
}

/* Reads an array of exactly n numbers. expected starts the message for a
 * wrong count, e.g. "expected 4 biases, one per unit". */
static gboolean
get_float_array (const char  *source,
                 JsonNode    *node,
                 const char  *path,
                 gssize       row,
                 gsize        n,
                 const char  *expected,
                 float       *values,
                 GError     **error)
{
  g_autofree char *row_path = row >= 0 ? element_path (path, row) : g_strdup (path);
  JsonArray *array;
  gsize length;

  if (!get_array (source, node, row_path, &array, error))
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
static gboolean
get_labels (const char  *source,
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

  if (!get_array (source, node, path, &array, error))
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
      g_autofree char *label_path = element_path (path, i);
      const char *label;

      if (!get_string (source, json_array_get_element (array, i), label_path,
                       LS_MAX_LABEL_LENGTH, &label, error))
        return FALSE;
      g_ptr_array_add (strings, g_strdup (label));
    }

  *labels = steal_labels (strings);
  return TRUE;
}

/* ---------------------------------------------------------------------
 * Dense layers
 * --------------------------------------------------------------------- */

static gboolean
read_units (const char  *source,
            JsonObject  *object,
            const char  *path,
            gsize       *units,
            GError     **error)
{
  g_autofree char *units_path = member_path (path, "units");
  JsonNode *node;
  gint64 value;

  node = get_required_member (source, object, path, "units", error);
  if (node == NULL || !get_integer (source, node, units_path, &value, error))
    return FALSE;

  if (value < 1 || value > LS_MAX_TENSOR_SIZE)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, units_path,
                 _("expected 1 to %u units, found %lld"),
                 LS_MAX_TENSOR_SIZE, (long long) value);
      return FALSE;
    }

  *units = value;
  return TRUE;
}

/* Reads the required string member key of object and returns its
 * position in names, [n_names]. unknown_format is the message for a name
 * that is not there, with "%s" for the name and then the known names. */
static gboolean
read_name (const char          *source,
           JsonObject          *object,
           const char          *path,
           const char          *key,
           const char * const  *names,
           guint                n_names,
           const char          *unknown_format,
           guint               *index,
           GError             **error)
{
  g_autofree char *key_path = member_path (path, key);
  g_autofree char *known = NULL;
  JsonNode *node;
  const char *name;

  node = get_required_member (source, object, path, key, error);
  if (node == NULL || !get_string (source, node, key_path, G_MAXSIZE, &name, error))
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

static gboolean
read_activation (const char    *source,
                 JsonObject    *object,
                 const char    *path,
                 LsActivation  *activation,
                 GError       **error)
{
  const char *names[LS_N_ACTIVATIONS + 1] = { NULL };
  guint index;

  for (guint i = 0; i < LS_N_ACTIVATIONS; i++)
    names[i] = ls_activation_get_name (i);

  if (!read_name (source, object, path, "activation", names, LS_N_ACTIVATIONS,
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
  g_autofree char *scheme_path = member_path (init_path, "scheme");
  JsonNode *node = json_object_get_member (init_object, "scheme");
  const char *name;

  if (node == NULL)
    return TRUE;

  if (!get_string (source, node, scheme_path, G_MAXSIZE, &name, error))
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
  g_autofree char *seed_path = member_path (init_path, "seed");
  JsonNode *node = json_object_get_member (init_object, "seed");
  gint64 value;

  if (node == NULL)
    return TRUE;

  if (!get_integer (source, node, seed_path, &value, error))
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
static gboolean
read_init (const char    *source,
           JsonObject    *object,
           const char    *path,
           gsize          index,
           LsActivation   activation,
           LsInit        *init,
           GError       **error)
{
  static const char * const keys[] = { "scheme", "seed", NULL };
  g_autofree char *init_path = member_path (path, "init");
  JsonNode *node = json_object_get_member (object, "init");
  JsonObject *init_object;

  init->scheme = ls_activation_prefers_he_init (activation) ? LS_INIT_HE : LS_INIT_XAVIER;
  init->seed = index + 1;
  if (node == NULL)
    return TRUE;

  if (!get_object (source, node, init_path, &init_object, error))
    return FALSE;
  log_unknown_keys (init_object, init_path, keys, NULL);

  return read_init_scheme (source, init_object, init_path, &init->scheme, error) &&
         read_init_seed (source, init_object, init_path, &init->seed, error);
}

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

/* Sets "expected 4 rows of 2 numbers, found 3 rows", each count with
 * its own plural form. */
static void
set_row_count_error (GError     **error,
                     const char  *source,
                     const char  *path,
                     gsize        inputs,
                     gsize        units,
                     gsize        n_rows)
{
  g_autofree char *numbers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu number",
                                                           "%zu numbers", units),
                                              units);
  g_autofree char *expected = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu row of %s",
                                                            "%zu rows of %s", inputs),
                                               inputs, numbers);
  g_autofree char *found = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu row", "%zu rows",
                                                         n_rows),
                                            n_rows);

  ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, path, _("expected %s, found %s"), expected, found);
}

/* weights is [inputs][units]. */
static gboolean
read_weights (const char  *source,
              JsonNode    *node,
              const char  *path,
              gsize        inputs,
              gsize        units,
              float       *weights,
              GError     **error)
{
  g_autofree char *expected = NULL;
  JsonArray *rows;
  gsize n_rows;

  if (!get_array (source, node, path, &rows, error))
    return FALSE;

  n_rows = json_array_get_length (rows);
  if (n_rows != inputs)
    {
      set_row_count_error (error, source, path, inputs, units, n_rows);
      return FALSE;
    }

  expected = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "expected %zu number, one per unit",
                                           "expected %zu numbers, one per unit",
                                           units),
                              units);
  for (gsize i = 0; i < inputs; i++)
    if (!get_float_array (source, json_array_get_element (rows, i), path, i, units,
                          expected, weights + i * units, error))
      return FALSE;

  return TRUE;
}

/* Reads the optional weights, bias and labels into a layer that already
 * contains the initial values. */
static gboolean
read_dense_parameters (const char  *source,
                       JsonObject  *object,
                       const char  *path,
                       LsLayer     *layer,
                       GError     **error)
{
  gsize inputs = ls_layer_get_inputs (layer);
  JsonNode *weights = json_object_get_member (object, "weights");
  JsonNode *bias = json_object_get_member (object, "bias");
  JsonNode *labels = json_object_get_member (object, "labels");
  g_autofree char *weights_path = member_path (path, "weights");
  g_autofree char *bias_path = member_path (path, "bias");
  g_autofree char *labels_path = member_path (path, "labels");
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
      !read_weights (source, weights, weights_path, inputs, layer->units, layer->weights, error))
    return FALSE;
  if (bias != NULL &&
      !get_float_array (source, bias, bias_path, -1, layer->units, expected_bias, layer->bias, error))
    return FALSE;
  if (labels != NULL &&
      !get_labels (source, labels, labels_path, layer->units, expected_labels, &layer->labels, error))
    return FALSE;

  return TRUE;
}

static LsLayer *
read_dense_layer (const char  *source,
                  JsonObject  *object,
                  const char  *path,
                  gsize        index,
                  gsize        inputs,
                  GError     **error)
{
  g_autoptr(LsLayer) layer = NULL;
  LsActivation activation;
  LsInit init;
  gsize units;

  if (!read_units (source, object, path, &units, error) ||
      !check_parameter_count (source, path, inputs, units, error) ||
      !read_activation (source, object, path, &activation, error) ||
      !read_init (source, object, path, index, activation, &init, error))
    return NULL;

  layer = ls_layer_new_dense (inputs, units, activation, &init);
  if (!read_dense_parameters (source, object, path, layer, error))
    return NULL;

  return g_steal_pointer (&layer);
}

/* weights is [rows][columns], and each row goes on a line of its own. */
static void
append_matrix (GString     *out,
               guint        indent,
               const float *weights,
               gsize        rows,
               gsize        columns)
{
  g_string_append (out, "[\n");
  for (gsize i = 0; i < rows; i++)
    {
      g_string_append_printf (out, "%*s", (int) indent + 2, "");
      append_float_array (out, weights + i * columns, columns);
      g_string_append (out, i + 1 < rows ? ",\n" : "\n");
    }
  g_string_append_printf (out, "%*s]", (int) indent, "");
}

static void
write_dense_layer (GString       *out,
                   const LsLayer *layer)
{
  const guint indent = 6;

  begin_member (out, indent, "units");
  g_string_append_printf (out, "%" G_GSIZE_FORMAT, layer->units);
  begin_member (out, indent, "activation");
  append_string (out, ls_activation_get_name (layer->activation));

  begin_member (out, indent, "init");
  g_string_append (out, "{\"scheme\": ");
  append_string (out, ls_init_scheme_get_name (layer->init.scheme));
  g_string_append_printf (out, ", \"seed\": %" G_GUINT64_FORMAT "}", layer->init.seed);

  if (has_labels ((const char * const *) layer->labels, layer->units))
    {
      begin_member (out, indent, "labels");
      append_labels (out, (const char * const *) layer->labels, layer->units);
    }

  begin_member (out, indent, "weights");
  append_matrix (out, indent, layer->weights, ls_layer_get_inputs (layer), layer->units);
  begin_member (out, indent, "bias");
  append_float_array (out, layer->bias, layer->units);
}

/* ---------------------------------------------------------------------
 * Layer kinds
 * --------------------------------------------------------------------- */

static const char * const dense_keys[] = {
  "units", "activation", "init", "labels", "weights", "bias", NULL
};

/* One entry per LsLayerKind. Supporting a new kind in documents means
 * adding its reader and writer here. */
static const LayerFormat layer_formats[] = {
  [LS_LAYER_DENSE] = { read_dense_layer, write_dense_layer, dense_keys },
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
  append_string (out, ls_layer_kind_get_name (layer->kind));
  if (layer->name != NULL)
    {
      begin_member (out, 6, "name");
      append_string (out, layer->name);
    }

  layer_formats[layer->kind].write (out, layer);
  g_string_append (out, "\n    }");
}

static void
write_input (GString   *out,
             LsNetwork *network)
{
  gsize size = ls_network_get_input_size (network);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  begin_member (out, 2, "input");
  g_string_append_printf (out, "{\n    \"shape\": [%" G_GSIZE_FORMAT "]", size);
  begin_member (out, 4, "values");
  append_float_array (out, ls_network_get_input (network), size);

  for (gsize i = 0; i < size; i++)
    g_ptr_array_add (labels, (char *) ls_network_get_input_label (network, i));
  g_ptr_array_add (labels, NULL);

  /* A NULL label ends the list early, which append_labels() pads. */
  if (has_labels ((const char * const *) labels->pdata, size))
    {
      begin_member (out, 4, "labels");
      append_labels (out, (const char * const *) labels->pdata, size);
    }
  g_string_append (out, "\n  }");
}

char *
ls_document_to_data (LsNetwork *network,
                     gsize     *length)
{
  GString *out;
  gsize n_layers;

  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);

  out = g_string_new ("{\n  \"format\": ");
  append_string (out, LS_DOCUMENT_FORMAT);
  begin_member (out, 2, "version");
  g_string_append_printf (out, "%d", LS_DOCUMENT_VERSION);

  if (ls_network_get_title (network) != NULL)
    {
      begin_member (out, 2, "title");
      append_string (out, ls_network_get_title (network));
    }
  if (ls_network_get_description (network) != NULL)
    {
      begin_member (out, 2, "description");
      append_string (out, ls_network_get_description (network));
    }

  write_input (out, network);

  begin_member (out, 2, "layers");
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
 * Saving
 * --------------------------------------------------------------------- */

static gboolean
check_text_length (const char  *text,
                   gsize        max_length,
                   const char  *description,
                   GError     **error)
{
  gsize length = text != NULL ? strlen (text) : 0;

  if (length <= max_length)
    return TRUE;

  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT,
               _("%s is %zu bytes long, over the maximum of %zu bytes; shorten it"),
               description, length, max_length);
  return FALSE;
}

static gboolean
check_layer_savable (const LsLayer  *layer,
                     gsize           index,
                     GError        **error)
{
  g_autofree char *name_description = g_strdup_printf (_("the name of layer %zu"), index + 1);

  if (!check_text_length (layer->name, LS_MAX_LABEL_LENGTH, name_description, error))
    return FALSE;

  for (gsize i = 0; layer->labels != NULL && layer->labels[i] != NULL; i++)
    {
      g_autofree char *description = g_strdup_printf (_("label %zu of layer %zu"),
                                                      i + 1, index + 1);

      if (!check_text_length (layer->labels[i], LS_MAX_LABEL_LENGTH, description, error))
        return FALSE;
    }

  /* JsonParser reads integers as gint64. */
  if (layer->init.seed > G_MAXINT64)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT,
                   _("the initialisation seed %llu of layer %zu is over the maximum of %lld"),
                   (unsigned long long) layer->init.seed, index + 1, (long long) G_MAXINT64);
      return FALSE;
    }

  return TRUE;
}

/* Checks the limits that the engine does not enforce but the loader
 * does, so that every saved document loads again. */
static gboolean
check_savable (LsNetwork  *network,
               GError    **error)
{
  gsize size = ls_network_get_input_size (network);

  if (!check_text_length (ls_network_get_title (network), LS_MAX_LABEL_LENGTH, _("the title"), error) ||
      !check_text_length (ls_network_get_description (network), LS_MAX_DESCRIPTION_LENGTH,
                          _("the description"), error))
    return FALSE;

  for (gsize i = 0; i < size; i++)
    {
      g_autofree char *description = g_strdup_printf (_("the label of input %zu"), i + 1);

      if (!check_text_length (ls_network_get_input_label (network, i), LS_MAX_LABEL_LENGTH,
                              description, error))
        return FALSE;
    }

  for (gsize i = 0; i < ls_network_get_n_layers (network); i++)
    if (!check_layer_savable (ls_network_get_layer (network, i), i, error))
      return FALSE;

  return TRUE;
}

/* Replaces a local file through a temporary file in the same folder, so
 * the target contains either the old or the new document even after a crash.
 * A symbolic link keeps pointing to the file it pointed to, and an
 * existing file keeps its permission bits. */
static gboolean
replace_local_file (const char  *path,
                    const char  *data,
                    gsize        length,
                    GError     **error)
{
  g_autofree char *resolved = realpath (path, NULL);
  const char *target = resolved != NULL ? resolved : path;
  g_autoptr(GError) file_error = NULL;
  GStatBuf status;
  int mode = 0666;

  if (g_stat (target, &status) == 0 && S_ISREG (status.st_mode))
    mode = status.st_mode & 0777;

  if (g_file_set_contents_full (target, data, length, G_FILE_SET_CONTENTS_CONSISTENT,
                                mode, &file_error))
    return TRUE;

  /* Report G_IO_ERROR, as g_file_replace_contents() does for other files. */
  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_file_error (file_error->code),
                       file_error->message);
  return FALSE;
}

gboolean
ls_document_save_file (LsNetwork  *network,
                       GFile      *file,
                       GError    **error)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  gsize length;
  gboolean saved;

  g_return_val_if_fail (LS_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  name = g_file_get_basename (file);
  if (!check_savable (network, error))
    {
      g_prefix_error (error, _("%s: cannot be saved: "), name);
      return FALSE;
    }

  data = ls_document_to_data (network, &length);
  path = g_file_get_path (file);
  if (path != NULL)
    saved = replace_local_file (path, data, length, error);
  else
    saved = g_file_replace_contents (file, data, length, NULL, FALSE,
                                     G_FILE_CREATE_NONE, NULL, NULL, error);

  if (!saved)
    g_prefix_error (error, "%s: ", name);

  return saved;
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

  if (!read_name (source, object, path, "type", names, LS_N_LAYER_KINDS,
                  _("unknown layer type “%s”; known types are %s"), &index, error))
    return FALSE;

  *kind = index;
  return TRUE;
}

/* Reads "layers[index]", whose input size is inputs. */
static LsLayer *
read_layer (const char  *source,
            JsonNode    *node,
            gsize        index,
            gsize        inputs,
            GError     **error)
{
  static const char * const common_keys[] = { "type", "name", NULL };
  g_autofree char *path = element_path ("layers", index);
  g_autoptr(LsLayer) layer = NULL;
  const LayerFormat *format;
  JsonObject *object;
  LsLayerKind kind;
  const char *name;

  if (!get_object (source, node, path, &object, error) ||
      !read_layer_kind (source, object, path, &kind, error) ||
      !get_optional_string (source, object, path, "name", LS_MAX_LABEL_LENGTH, &name, error))
    return NULL;

  format = &layer_formats[kind];
  log_unknown_keys (object, path, common_keys, format->keys);
  layer = format->read (source, object, path, index, inputs, error);
  if (layer == NULL)
    return NULL;

  layer->name = g_strdup (name);

  return g_steal_pointer (&layer);
}

/* Reads every layer into layers, checking that each fits the one before. */
static gboolean
read_layers (const char  *source,
             JsonObject  *root,
             gsize        input_size,
             GPtrArray   *layers,
             GError     **error)
{
  JsonNode *node = get_required_member (source, root, NULL, "layers", error);
  JsonArray *array;
  gsize n_layers;
  gsize inputs = input_size;
  gsize total_parameters = 0;

  if (node == NULL || !get_array (source, node, "layers", &array, error))
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
      LsLayer *layer = read_layer (source, json_array_get_element (array, i), i, inputs, error);
      LsParameterCount count;

      if (layer == NULL)
        return FALSE;
      g_ptr_array_add (layers, layer);
      inputs = ls_layer_get_outputs (layer);

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

typedef struct
{
  gsize size;
  float *values;  /* [size] */
  GStrv labels;   /* nullable, [size] */
} InputSpec;

static void
input_spec_clear (InputSpec *input)
{
  g_clear_pointer (&input->values, g_free);
  g_clear_pointer (&input->labels, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (InputSpec, input_spec_clear)

/* Reads "input.shape", which is [size] in version 1. */
static gboolean
read_input_shape (const char  *source,
                  JsonObject  *object,
                  gsize       *size,
                  GError     **error)
{
  JsonNode *node = get_required_member (source, object, "input", "shape", error);
  JsonArray *shape;
  gint64 value;

  if (node == NULL || !get_array (source, node, "input.shape", &shape, error))
    return FALSE;

  if (json_array_get_length (shape) != 1)
    {
      guint n_sizes = json_array_get_length (shape);

      ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, "input.shape",
                 g_dngettext (GETTEXT_PACKAGE,
                              "expected one size such as [3], found %u size; version %d documents "
                              "have vector inputs only",
                              "expected one size such as [3], found %u sizes; version %d documents "
                              "have vector inputs only",
                              n_sizes),
                 n_sizes, LS_DOCUMENT_VERSION);
      return FALSE;
    }

  if (!get_integer (source, json_array_get_element (shape, 0), "input.shape[0]", &value, error))
    return FALSE;

  if (value < 1 || value > LS_MAX_TENSOR_SIZE)
    {
      ls_document_set_error (error, source, LS_ERROR_INVALID_SHAPE, "input.shape[0]",
                 _("expected a size from 1 to %u, found %lld"),
                 LS_MAX_TENSOR_SIZE, (long long) value);
      return FALSE;
    }

  *size = value;
  return TRUE;
}

static gboolean
read_input (const char  *source,
            JsonObject  *root,
            InputSpec   *input,
            GError     **error)
{
  static const char * const keys[] = { "shape", "values", "labels", NULL };
  JsonNode *node = get_required_member (source, root, NULL, "input", error);
  g_autofree char *expected_values = NULL;
  g_autofree char *expected_labels = NULL;
  JsonObject *object;
  JsonNode *values;
  JsonNode *labels;

  if (node == NULL || !get_object (source, node, "input", &object, error) ||
      !read_input_shape (source, object, &input->size, error))
    return FALSE;
  log_unknown_keys (object, "input", keys, NULL);

  expected_values = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "expected %zu value, as input.shape says",
                                                  "expected %zu values, as input.shape says",
                                                  input->size),
                                     input->size);
  expected_labels = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "expected %zu label, one per input value",
                                                  "expected %zu labels, one per input value",
                                                  input->size),
                                     input->size);
  input->values = g_new0 (float, input->size);
  values = json_object_get_member (object, "values");
  labels = json_object_get_member (object, "labels");

  if (values != NULL &&
      !get_float_array (source, values, "input.values", -1, input->size, expected_values, input->values, error))
    return FALSE;
  if (labels != NULL &&
      !get_labels (source, labels, "input.labels", input->size, expected_labels, &input->labels, error))
    return FALSE;

  return TRUE;
}

/* Builds the network from parts that have passed every check, taking the
 * layers out of layers. */
static LsNetwork *
build_network (const char  *source,
               const char  *title,
               const char  *description,
               InputSpec   *input,
               GPtrArray   *layers,
               GError     **error)
{
  g_autoptr(LsNetwork) network = ls_network_new (input->size);

  for (guint i = 0; i < layers->len; i++)
    {
      if (!ls_network_append_layer (network, g_steal_pointer (&layers->pdata[i]), error))
        {
          g_prefix_error (error, "%s: ", source);
          return NULL;
        }
    }

  ls_network_set_title (network, title);
  ls_network_set_description (network, description);
  if (input->labels != NULL)
    ls_network_set_input_labels (network, (const char * const *) input->labels);
  if (!ls_network_set_input (network, input->values, input->size, error))
    {
      g_prefix_error (error, "%s: input.values: ", source);
      return NULL;
    }

  return g_steal_pointer (&network);
}

static LsNetwork *
read_network (const char  *source,
              JsonObject  *root,
              GError     **error)
{
  static const char * const keys[] = {
    "format", "version", "title", "description", "input", "layers", NULL
  };
  g_autoptr(GPtrArray) layers = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_layer_free);
  g_auto(InputSpec) input = { 0 };
  const char *title;
  const char *description;

  log_unknown_keys (root, NULL, keys, NULL);

  if (!get_optional_string (source, root, NULL, "title", LS_MAX_LABEL_LENGTH, &title, error) ||
      !get_optional_string (source, root, NULL, "description", LS_MAX_DESCRIPTION_LENGTH,
                            &description, error) ||
      !read_input (source, root, &input, error) ||
      !read_layers (source, root, input.size, layers, error))
    return NULL;

  return build_network (source, title, description, &input, layers, error);
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
      g_autofree char *found = node != NULL ? describe_node (node) : g_strdup (_("no “format” key"));

      ls_document_set_error (error, source, LS_ERROR_INVALID_DOCUMENT, "format",
                 _("expected “%s”, found %s; this is not a Layerscope network document"),
                 LS_DOCUMENT_FORMAT, found);
      return FALSE;
    }

  node = get_required_member (source, root, NULL, "version", error);
  if (node == NULL || !get_integer (source, node, "version", &version, error))
    return FALSE;

  if (version > LS_DOCUMENT_VERSION)
    {
      ls_document_set_error (error, source, LS_ERROR_UNSUPPORTED_VERSION, "version",
                 _("written by a newer Layerscope (format version %lld); this version "
                   "reads version %d, so update Layerscope to open it"),
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
      set_type_error (error, source, NULL, _("a JSON object at the top level"), root);
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

/* Rejects a file that is not a regular file or is over
 * LS_DOCUMENT_MAX_FILE_SIZE before it is opened: opening a FIFO blocks
 * until a writer appears, and a device such as /dev/zero never ends. */
static gboolean
check_file_before_reading (GFile    *file,
                           guint64  *size,
                           GError  **error)
{
  g_autoptr(GFileInfo) info = NULL;
  GFileType type;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    return FALSE;

  type = g_file_info_get_file_type (info);
  if (type == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                           _("this is a folder, not a document; choose a .json file inside it"));
      return FALSE;
    }
  if (type != G_FILE_TYPE_REGULAR)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                           _("this is a device, FIFO or socket rather than a regular file, "
                             "so it is not read; save the document to a file and open that"));
      return FALSE;
    }
  *size = MAX (g_file_info_get_size (info), 0);
  if (*size > LS_DOCUMENT_MAX_FILE_SIZE)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT,
                   _("the file is %llu bytes long, over the maximum of %llu bytes for a document"),
                   (unsigned long long) *size, (unsigned long long) LS_DOCUMENT_MAX_FILE_SIZE);
      return FALSE;
    }

  return TRUE;
}

/* Reads the whole stream, but no more than LS_DOCUMENT_MAX_FILE_SIZE
 * bytes, in case the file grew after check_file_before_reading() or
 * reports no size, as files in /proc do. size_hint is the size that the
 * file reported. The result is NUL-terminated. */
static char *
read_stream (GInputStream  *stream,
             guint64        size_hint,
             gsize         *length,
             GError       **error)
{
  g_autofree char *data = NULL;
  gsize filled = 0;
  gsize chunk_size = MIN (size_hint, LS_DOCUMENT_MAX_FILE_SIZE) + 1;
  gsize n_read;

  for (;;)
    {
      data = g_realloc (data, filled + chunk_size + 1);
      if (!g_input_stream_read_all (stream, data + filled, chunk_size, &n_read, NULL, error))
        return NULL;
      filled += n_read;

      if (filled > LS_DOCUMENT_MAX_FILE_SIZE)
        {
          g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT,
                       _("the file is over the maximum of %llu bytes for a document"),
                       (unsigned long long) LS_DOCUMENT_MAX_FILE_SIZE);
          return NULL;
        }

      /* g_input_stream_read_all() reads less than asked only at the end. */
      if (n_read < chunk_size)
        break;
      chunk_size = MIN (filled, LS_DOCUMENT_MAX_FILE_SIZE + 1 - filled);
    }

  data[filled] = '\0';
  *length = filled;

  return g_steal_pointer (&data);
}

static char *
read_document_file (GFile   *file,
                    gsize   *length,
                    GError **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  guint64 size;

  if (!check_file_before_reading (file, &size, error))
    return NULL;

  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    return NULL;

  return read_stream (G_INPUT_STREAM (stream), size, length, error);
}

LsNetwork *
ls_document_load_file (GFile   *file,
                       GError **error)
{
  g_autofree char *name = NULL;
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = g_file_get_basename (file);
  data = read_document_file (file, &length, error);
  if (data == NULL)
    {
      g_prefix_error (error, "%s: ", name);
      return NULL;
    }

  return ls_document_load_data (data, length, name, error);
}
