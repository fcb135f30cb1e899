/* ls-number.h: numbers as people type them and as the views show them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Every number these functions write has the decimal separator of the
 * current LC_NUMERIC locale: "0.62" in C and en_US, "0,62" in de_DE.
 * Files, the command line and generated code write numbers with
 * g_ascii_formatd() instead, so that they read the same everywhere. */

/* Formats value with a printf format for one double, such as "%.3g", as
 * g_ascii_formatd() does, but with the locale's decimal separator. */
char     *ls_format_decimal (const char *format,
                             double      value);

/* Formats a value with two decimals and a Unicode minus sign ("−0.23"),
 * as the inspector and the input fields show it. Values that are not zero
 * but would round to 0.00 keep two significant digits ("0.0031"), and
 * magnitudes of 100000 or more use three ("1.23e+05"). */
char     *ls_format_value (double       value);

/* Formats a probability in [0, 1] as a percentage with one decimal,
 * "82.0 %" ("82,0 %" in German), as the output bars show it. */
char     *ls_format_percent (double     probability);

/* Parses a number as a person types it: "0.5", "-1", "−0.25" with a
 * Unicode minus, "1e-3" or "0,5", with spaces ignored. Only digits, one
 * sign, a decimal point or comma and an exponent are accepted, so "0x10",
 * "inf" and "nan" are rejected. The result must fit in a float. On
 * failure the GError, in LS_ERROR, names the text and what to type instead. */
gboolean  ls_parse_float  (const char  *text,
                           float       *value,
                           GError     **error);

G_END_DECLS
