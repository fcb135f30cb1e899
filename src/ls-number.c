/* ls-number.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "ls-error.h"
#include "ls-number.h"

/* Returns the decimal separator of the current LC_NUMERIC locale, such
 * as "," in de_DE.UTF-8, or "." when the locale gives none. */
static const char *
get_decimal_point (void)
{
  const char *point = localeconv ()->decimal_point;

  return point != NULL && *point != '\0' ? point : ".";
}

/* Replaces the '.' that g_ascii_formatd() writes with the locale's
 * decimal separator. */
static char *
localize_decimal (const char *ascii)
{
  g_auto(GStrv) parts = g_strsplit (ascii, ".", 2);

  return g_strjoinv (get_decimal_point (), parts);
}

char *
ls_format_decimal (const char *format,
                   double      value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (format != NULL, NULL);

  return localize_decimal (g_ascii_formatd (buffer, sizeof buffer, format, value));
}

char *
ls_format_value (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  const char *format = "%.2f";
  const char *digits;

  if (value != 0.0 && fabs (value) < 0.005)
    format = "%.2g";
  else if (fabs (value) >= 1e5)
    format = "%.3g";

  digits = g_ascii_formatd (buffer, sizeof buffer, format, fabs (value));

  /* A value that rounds to zero is shown without a sign. */
  if (value < 0.0 && !g_str_equal (digits, "0.00"))
    {
      g_autofree char *magnitude = localize_decimal (digits);

      return g_strconcat ("−", magnitude, NULL);
    }

  return localize_decimal (digits);
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
  g_autofree char *digits = ls_format_decimal ("%.1f", 100.0 * probability);

  /* TRANSLATORS: a probability in percent, e.g. "82.0 %"; the number
   * already has the decimal separator of the language's locale */
  return g_strdup_printf (_("%s %%"), digits);
}
