/* ls-json-scan.c: checks on a document's raw text that JsonParser lacks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-document"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ls-document-private.h"

/* JsonParser (json-glib 1.6) misreads some text instead of rejecting it.
 * An integer beyond gint64 wraps around, so "units": -18446744073709551614
 * reads as 2. "010" reads as octal 8, "0x10" as 16 and ".5" as 0.5. 1e400
 * reads as infinity, and "\u0000" ends a string early. The loader
 * therefore scans the raw text before parsing it. The scan follows
 * JsonParser's lexical rules: strings in double quotes with backslash
 * escapes, strings in single quotes without escapes, and comments from
 * slash-asterisk to asterisk-slash. */

/* Literals longer than this are shortened with "…" in messages. */
#define MAX_LITERAL_DISPLAY_LENGTH 40

/* One array or object that the scan is inside, for the JSON path. */
typedef struct
{
  gboolean is_object;
  gboolean expecting_key;  /* objects: whether the next string is a key */
  const char *key;         /* objects: the current key as written, not NUL-terminated */
  gsize key_length;
  gsize index;             /* arrays: the position of the current element */
} OpenContainer;

typedef struct
{
  const char *source;
  const char *data;  /* [length] */
  gsize length;
  gsize position;
  guint depth;
  OpenContainer open[MAX_NESTING_DEPTH];  /* [depth], the outermost first */
} TextScan;

typedef enum
{
  LITERAL_INTEGER,  /* no fraction and no exponent */
  LITERAL_DECIMAL,  /* with a fraction, an exponent or both */
  LITERAL_INVALID,
} LiteralKind;

/* Returns the JSON path of the current position, such as
 * "layers[0].units", or NULL outside every array and object. */
static char *
dup_scan_path (const TextScan *scan)
{
  g_autoptr(GString) path = g_string_new (NULL);

  for (guint i = 0; i < scan->depth; i++)
    {
      const OpenContainer *open = &scan->open[i];

      if (!open->is_object)
        g_string_append_printf (path, "[%" G_GSIZE_FORMAT "]", open->index);
      else if (open->key != NULL)
        {
          if (path->len > 0)
            g_string_append_c (path, '.');
          g_string_append_len (path, open->key, open->key_length);
        }
    }

  return path->len > 0 ? g_string_free (g_steal_pointer (&path), FALSE) : NULL;
}

static void
set_scan_error (GError         **error,
                const TextScan  *scan,
                LsError          code,
                const char      *message)
{
  g_autofree char *path = dup_scan_path (scan);

  ls_document_set_error (error, scan->source, code, path, "%s", message);
}

/* Returns a literal as written, shortened with "…" when it is long. */
static char *
dup_literal (const char *text,
             gsize       length)
{
  if (length > MAX_LITERAL_DISPLAY_LENGTH)
    return g_strdup_printf ("%.*s…", MAX_LITERAL_DISPLAY_LENGTH, text);

  return g_strndup (text, length);
}

/* Whether text starts with the escape \u0000. */
static gboolean
is_nul_escape (const char *text,
               gsize       length)
{
  return length >= 6 && memcmp (text, "\\u0000", 6) == 0;
}

/* Skips the string that starts at the scan position and records it as
 * the current key when the enclosing object expects one. */
static gboolean
scan_string (TextScan  *scan,
             GError   **error)
{
  const char *data = scan->data;
  char quote = data[scan->position];
  gsize start = scan->position + 1;
  gsize end = start;
  gboolean has_nul_escape = FALSE;
  OpenContainer *open = scan->depth > 0 ? &scan->open[scan->depth - 1] : NULL;

  for (; end < scan->length && data[end] != quote; end++)
    {
      if (quote == '"' && data[end] == '\\')
        {
          has_nul_escape = has_nul_escape || is_nul_escape (data + end, scan->length - end);
          end++;
        }
    }

  if (open != NULL && open->is_object && open->expecting_key)
    {
      open->key = data + start;
      open->key_length = MIN (end, scan->length) - start;
      open->expecting_key = FALSE;
    }
  scan->position = end + 1;

  if (has_nul_escape)
    {
      set_scan_error (error, scan, LS_ERROR_INVALID_DOCUMENT,
                      _("the text contains \\u0000, a NUL character, which Layerscope cannot "
                        "store; remove it"));
      return FALSE;
    }

  return TRUE;
}

static void
skip_comment (TextScan *scan)
{
  gsize i = scan->position + 2;

  while (i + 1 < scan->length && !(scan->data[i] == '*' && scan->data[i + 1] == '/'))
    i++;

  scan->position = i + 2;
}

static gboolean
scan_open (TextScan  *scan,
           char       bracket,
           GError   **error)
{
  /* JsonParser recurses once per level, so this check comes before it. */
  if (scan->depth == MAX_NESTING_DEPTH)
    {
      ls_document_set_error (error, scan->source, LS_ERROR_INVALID_DOCUMENT, NULL,
                 _("arrays and objects are nested more than %d levels deep"), MAX_NESTING_DEPTH);
      return FALSE;
    }

  scan->open[scan->depth] = (OpenContainer) {
    .is_object = bracket == '{',
    .expecting_key = bracket == '{',
  };
  scan->depth++;
  scan->position++;

  return TRUE;
}

/* Handles a closing bracket, a comma or any other single character. */
static void
scan_punctuation (TextScan *scan,
                  char      c)
{
  OpenContainer *open = scan->depth > 0 ? &scan->open[scan->depth - 1] : NULL;

  if ((c == ']' || c == '}') && open != NULL)
    scan->depth--;
  else if (c == ',' && open != NULL && open->is_object)
    open->expecting_key = TRUE;
  else if (c == ',' && open != NULL)
    open->index++;

  scan->position++;
}

/* Skips a word such as true, false or null. */
static void
skip_word (TextScan *scan)
{
  while (scan->position < scan->length &&
         (g_ascii_isalnum (scan->data[scan->position]) || scan->data[scan->position] == '_'))
    scan->position++;
}

/* Matches RFC 8259's number grammar,
 * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, and stores the count
 * of digits before any decimal point in *integer_digits. */
static LiteralKind
classify_literal (const char *text,
                  gsize       length,
                  gsize      *integer_digits)
{
  gsize i = text[0] == '-' ? 1 : 0;
  gsize start = i;
  LiteralKind kind = LITERAL_INTEGER;

  if (i < length && text[i] == '0')
    i++;
  else
    while (i < length && g_ascii_isdigit (text[i]))
      i++;
  *integer_digits = i - start;
  if (*integer_digits == 0)
    return LITERAL_INVALID;

  if (i < length && text[i] == '.')
    {
      gsize fraction = ++i;

      while (i < length && g_ascii_isdigit (text[i]))
        i++;
      if (i == fraction)
        return LITERAL_INVALID;
      kind = LITERAL_DECIMAL;
    }

  if (i < length && (text[i] == 'e' || text[i] == 'E'))
    {
      gsize exponent = (i + 1 < length && (text[i + 1] == '+' || text[i + 1] == '-')) ? i + 2 : i + 1;

      for (i = exponent; i < length && g_ascii_isdigit (text[i]); i++)
        ;
      if (i == exponent)
        return LITERAL_INVALID;
      kind = LITERAL_DECIMAL;
    }

  return i == length ? kind : LITERAL_INVALID;
}

/* Whether an integer literal lies from G_MININT64 to G_MAXINT64, the
 * range that JsonParser reads exactly. A longer literal wraps around. */
static gboolean
integer_fits_int64 (const char *text,
                    gsize       integer_digits)
{
  gboolean negative = text[0] == '-';
  const char *limit = negative ? "9223372036854775808" : "9223372036854775807";

  if (integer_digits != strlen (limit))
    return integer_digits < strlen (limit);

  return strncmp (text + negative, limit, integer_digits) <= 0;
}

/* Whether a decimal literal is too large for a double, which JsonParser
 * turns into infinity. Only an exponent or over DBL_MAX_10_EXP digits
 * before the point can reach that, so other literals skip strtod. */
static gboolean
decimal_exceeds_double (const char *text,
                        gsize       length,
                        gsize       integer_digits)
{
  g_autofree char *copy = NULL;

  if (integer_digits <= DBL_MAX_10_EXP && memchr (text, 'e', length) == NULL &&
      memchr (text, 'E', length) == NULL)
    return FALSE;

  copy = g_strndup (text, length);

  return !isfinite (g_ascii_strtod (copy, NULL));
}

/* Whether the scan is inside "weights", "bias" or "values", whose
 * numbers are floats and may be written as decimals. */
static gboolean
scan_is_in_float_array (const TextScan *scan)
{
  static const char * const float_keys[] = { "weights", "bias", "values", NULL };

  for (guint i = scan->depth; i > 0; i--)
    {
      const OpenContainer *open = &scan->open[i - 1];

      if (!open->is_object)
        continue;

      for (guint j = 0; float_keys[j] != NULL; j++)
        if (open->key_length == strlen (float_keys[j]) &&
            memcmp (open->key, float_keys[j], open->key_length) == 0)
          return TRUE;

      return FALSE;
    }

  return FALSE;
}

static void
set_integer_range_error (GError         **error,
                         const TextScan  *scan,
                         const char      *text,
                         gsize            length)
{
  g_autofree char *literal = dup_literal (text, length);
  g_autofree char *message = NULL;

  if (scan_is_in_float_array (scan) && length <= MAX_LITERAL_DISPLAY_LENGTH)
    message = g_strdup_printf (_("the integer %s is outside the range of 64-bit integers, "
                                 "-9223372036854775808 to 9223372036854775807; write it as %s.0 "
                                 "to read it as a float"),
                               literal, literal);
  else
    message = g_strdup_printf (_("the integer %s is outside the range of 64-bit integers, "
                                 "-9223372036854775808 to 9223372036854775807"),
                               literal);

  set_scan_error (error, scan, LS_ERROR_INVALID_VALUE, message);
}

/* Checks the number literal at the scan position, which starts with a
 * digit, '-' or '.'. */
static gboolean
scan_number (TextScan  *scan,
             GError   **error)
{
  const char *text = scan->data + scan->position;
  g_autofree char *literal = NULL;
  g_autofree char *message = NULL;
  gsize length = 0;
  gsize integer_digits;
  LiteralKind kind;

  while (scan->position + length < scan->length &&
         (g_ascii_isalnum (text[length]) || strchr (".+-", text[length]) != NULL))
    length++;

  kind = classify_literal (text, length, &integer_digits);
  if (kind == LITERAL_INTEGER && !integer_fits_int64 (text, integer_digits))
    {
      set_integer_range_error (error, scan, text, length);
      return FALSE;
    }

  literal = dup_literal (text, length);
  if (kind == LITERAL_INVALID)
    message = g_strdup_printf (_("“%s” is not a valid JSON number; write numbers in decimal, without "
                                 "leading zeros and with digits on both sides of a decimal point, "
                                 "such as 10, 0.5 or 1e-3"), literal);
  else if (kind == LITERAL_DECIMAL && decimal_exceeds_double (text, length, integer_digits))
    message = g_strdup_printf (_("%s is a number beyond the float range (±%s)"), literal, FLT_MAX_TEXT);

  if (message != NULL)
    {
      set_scan_error (error, scan, kind == LITERAL_INVALID ? LS_ERROR_INVALID_DOCUMENT
                                                           : LS_ERROR_INVALID_VALUE, message);
      return FALSE;
    }

  scan->position += length;
  return TRUE;
}

/* Checks nesting and every number literal of the raw text, and the
 * strings for \u0000, before JsonParser reads it. Messages name the JSON
 * path that the text would have. */
gboolean
ls_json_scan_text (const char  *source,
           const char  *data,
           gsize        length,
           GError     **error)
{
  TextScan scan = { .source = source, .data = data, .length = length };

  while (scan.position < length)
    {
      char c = data[scan.position];
      gboolean ok = TRUE;

      if (c == '"' || c == '\'')
        ok = scan_string (&scan, error);
      else if (c == '/' && scan.position + 1 < length && data[scan.position + 1] == '*')
        skip_comment (&scan);
      else if (c == '[' || c == '{')
        ok = scan_open (&scan, c, error);
      else if (c == '-' || c == '.' || g_ascii_isdigit (c))
        ok = scan_number (&scan, error);
      else if (g_ascii_isalpha (c))
        skip_word (&scan);
      else
        scan_punctuation (&scan, c);

      if (!ok)
        return FALSE;
    }

  return TRUE;
}

/* Rejects text that is not UTF-8 with the line and column of the first
 * invalid byte, which JsonParser's own message does not give. */
gboolean
ls_json_check_utf8 (const char  *source,
            const char  *data,
            gsize        length,
            GError     **error)
{
  const char *end;
  const char *line_start = data;
  gsize line = 1;
  glong column;

  if (g_utf8_validate_len (data, length, &end))
    return TRUE;

  for (const char *p = data; p < end; p++)
    if (*p == '\n')
      {
        line++;
        line_start = p + 1;
      }
  column = g_utf8_strlen (line_start, end - line_start) + 1;

  if (*end == '\0')
    g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT,
                 _("%s:%zu:%ld: the file contains a NUL byte, which JSON text cannot contain; "
                   "it is damaged or not a JSON document"),
                 source, line, column);
  else
    g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DOCUMENT,
                 _("%s:%zu:%ld: the file is not valid UTF-8 (byte 0x%02X); "
                   "save it with the UTF-8 encoding in a text editor"),
                 source, line, column, (guchar) *end);
  return FALSE;
}
