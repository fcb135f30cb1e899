/* ls-number.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ls-error.h"
#include "ls-number.h"

char *
ls_format_value (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *digits = NULL;
  const char *format = "%.2f";

  if (value != 0.0 && fabs (value) < 0.005)
    format = "%.2g";
  else if (fabs (value) >= 1e5)
    format = "%.3g";

  digits = g_strdup (g_ascii_formatd (buffer, sizeof buffer, format, fabs (value)));

  /* A value that rounds to zero is shown without a sign. */
  if (value < 0.0 && !g_str_equal (digits, "0.00"))
    return g_strconcat ("−", digits, NULL);

  return g_steal_pointer (&digits);
}

/* Copies text into ascii with spaces removed, the Unicode minus as '-' and
 * a decimal comma as '.'. Returns FALSE on any other character. */
static gboolean
normalize_number (const char *text,
                  GString    *ascii)
{
  g_autofree char *normalized = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);

  if (normalized == NULL)
    return FALSE;

  for (const char *p = normalized; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x2212)  /* MINUS SIGN */
        g_string_append_c (ascii, '-');
      else if (c == ',')
        g_string_append_c (ascii, '.');
      else if (g_unichar_isspace (c))
        continue;
      else if (c < 0x80 && strchr ("0123456789+-.eE", (char) c) != NULL)
        g_string_append_c (ascii, (char) c);
      else
        return FALSE;
    }

  return ascii->len > 0;
}

gboolean
ls_parse_float (const char  *text,
                float       *value,
                GError     **error)
{
  g_autoptr(GString) ascii = g_string_new (NULL);
  char *end;
  double parsed;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!normalize_number (text, ascii) ||
      ((parsed = g_ascii_strtod (ascii->str, &end)), *end != '\0') ||
      isnan (parsed))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a number. Type a value such as 0.25 or −1.5"), text);
      return FALSE;
    }

  /* The test is on the rounded float, so that FLT_MAX's shortest decimal,
   * 3.4028235e38, which is a little above FLT_MAX, is still accepted. */
  if (isinf ((float) parsed))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_VALUE,
                   _("%s is too large. Type a value between −3.4e38 and 3.4e38"), text);
      return FALSE;
    }

  *value = (float) parsed;

  return TRUE;
}

char *
ls_format_percent (double probability)
{
  char digits[G_ASCII_DTOSTR_BUF_SIZE];

  /* with a decimal point, as every other number in the diagram */
  g_ascii_formatd (digits, sizeof digits, "%.1f", 100.0 * probability);

  /* TRANSLATORS: a probability in percent, e.g. "82.0 %" */
  return g_strdup_printf (_("%s %%"), digits);
}
