/* test-number.c: numbers as people type them and as the views show them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <float.h>
#include <locale.h>

#include "ls-error.h"
#include "ls-number.h"

static void
test_format_value (void)
{
  static const struct {
    double value;
    const char *text;
  } cases[] = {
    { 0.0, "0.00" },
    { 0.62, "0.62" },
    { 0.4, "0.40" },
    { -0.23, "−0.23" },
    { -0.001, "−0.001" },
    { 0.0031, "0.0031" },
    { -0.004999, "−0.005" },
    { 12.345, "12.35" },
    { 123456.0, "1.23e+05" },
    { -250000.0, "−2.5e+05" },    /* 12.345 is stored as 12.3450000000000006, so it rounds up */
    { -1e-300, "−1e-300" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ls_format_value (cases[i].value);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* Switches LC_NUMERIC to locale, or fails the test: tools/install-deps.sh
 * generates de_DE.UTF-8, fr_FR.UTF-8 and es_ES.UTF-8. */
static void
use_numeric_locale (const char *locale)
{
  if (setlocale (LC_NUMERIC, locale) == NULL)
    g_error ("The %s locale is missing. Run tools/install-deps.sh to generate it", locale);
}

/* The expected texts are the C-locale ones above with the decimal comma
 * that glibc's de_DE, fr_FR and es_ES locales define, and the same Unicode
 * minus. */
static void
test_format_value_comma_locales (void)
{
  static const char * const locales[] = { "de_DE.UTF-8", "fr_FR.UTF-8", "es_ES.UTF-8" };
  static const struct {
    double value;
    const char *text;
  } cases[] = {
    { 0.0, "0,00" },
    { 0.62, "0,62" },
    { -0.23, "−0,23" },
    { -0.001, "−0,001" },
    { 0.0031, "0,0031" },
    { -0.004, "−0,004" },
    { 12.345, "12,35" },
    { 123456.0, "1,23e+05" },
    { -1e-6, "−1e-06" },
    { -0.0, "0,00" },              /* negative zero has no sign */
  };

  for (guint l = 0; l < G_N_ELEMENTS (locales); l++)
    {
      use_numeric_locale (locales[l]);

      for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
        {
          g_autofree char *text = ls_format_value (cases[i].value);

          g_test_message ("locale %s, value %g", locales[l], cases[i].value);
          g_assert_cmpstr (text, ==, cases[i].text);
        }
    }

  setlocale (LC_NUMERIC, "C");
}

/* The percent sign follows a space, as in the German "82,0 %"; the text
 * comes from the untranslated "%s %%", since this test loads no catalog. */
static void
test_format_percent_locales (void)
{
  g_autofree char *c_text = NULL;
  g_autofree char *de_text = NULL;
  g_autofree char *de_small = NULL;

  setlocale (LC_NUMERIC, "C");
  c_text = ls_format_percent (0.82);
  use_numeric_locale ("de_DE.UTF-8");
  de_text = ls_format_percent (0.82);
  de_small = ls_format_percent (0.00049);
  setlocale (LC_NUMERIC, "C");

  g_assert_cmpstr (c_text, ==, "82.0 %");
  g_assert_cmpstr (de_text, ==, "82,0 %");
  g_assert_cmpstr (de_small, ==, "0,0 %");
}

/* ls_format_decimal() writes any printf format with the locale's
 * separator. */
static void
test_format_decimal_locales (void)
{
  g_autofree char *c_text = NULL;
  g_autofree char *fr_text = NULL;
  g_autofree char *fr_integer = NULL;

  setlocale (LC_NUMERIC, "C");
  c_text = ls_format_decimal ("%.3g", 0.1234);
  use_numeric_locale ("fr_FR.UTF-8");
  fr_text = ls_format_decimal ("%.3g", 0.1234);
  fr_integer = ls_format_decimal ("%.0f", 41.6);
  setlocale (LC_NUMERIC, "C");

  g_assert_cmpstr (c_text, ==, "0.123");
  g_assert_cmpstr (fr_text, ==, "0,123");
  g_assert_cmpstr (fr_integer, ==, "42");
}

/* A user in a comma locale may still type a decimal point, and the other
 * way round. */
static void
test_parse_float_comma_locale (void)
{
  static const char * const texts[] = { "0,5", "0.5", "+0,5" };

  use_numeric_locale ("de_DE.UTF-8");

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      float value = -99.0f;

      g_test_message ("case: %s", texts[i]);
      g_assert_true (ls_parse_float (texts[i], &value, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (value, ==, 0.5f);
    }

  setlocale (LC_NUMERIC, "C");
}

/* Expected values are the decimal literals as C reads them into floats. */
static void
test_parse_float_accepts (void)
{
  static const struct {
    const char *text;
    float value;
  } cases[] = {
    { "0.5", 0.5f },
    { "-1", -1.0f },
    { "−0.25", -0.25f },          /* U+2212 MINUS SIGN */
    { "0,5", 0.5f },              /* decimal comma */
    { " 2 ", 2.0f },
    { "1e-3", 1e-3f },
    { "+7", 7.0f },
    { "3.4028235e38", FLT_MAX },  /* FLT_MAX's shortest decimal, just above it */
    { "1e-50", 0.0f },            /* below the smallest float, so it rounds to 0 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      float value = -99.0f;

      g_test_message ("case: %s", cases[i].text);
      g_assert_true (ls_parse_float (cases[i].text, &value, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (value, ==, cases[i].value);
    }
}

static void
test_parse_float_rejects (void)
{
  static const struct {
    const char *text;
    int code;
    const char *message;
  } cases[] = {
    { "", LS_ERROR_INVALID_ARGUMENT, "“” is not a number" },
    { "abc", LS_ERROR_INVALID_ARGUMENT, "“abc” is not a number" },
    { "0x10", LS_ERROR_INVALID_ARGUMENT, "“0x10” is not a number" },
    { "inf", LS_ERROR_INVALID_ARGUMENT, "“inf” is not a number" },
    { "nan", LS_ERROR_INVALID_ARGUMENT, "“nan” is not a number" },
    { "1.2.3", LS_ERROR_INVALID_ARGUMENT, "“1.2.3” is not a number" },
    { "1e40", LS_ERROR_INVALID_VALUE, "1e40 is too large" },
    { "-3.5e38", LS_ERROR_INVALID_VALUE, "-3.5e38 is too large" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      float value = -99.0f;

      g_test_message ("case: %s", cases[i].text);
      g_assert_false (ls_parse_float (cases[i].text, &value, &error));
      g_assert_error (error, LS_ERROR, cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, cases[i].message));
      g_assert_cmpfloat (value, ==, -99.0f);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/number/format-value", test_format_value);
  g_test_add_func ("/number/format-value-comma-locales", test_format_value_comma_locales);
  g_test_add_func ("/number/format-percent-locales", test_format_percent_locales);
  g_test_add_func ("/number/format-decimal-locales", test_format_decimal_locales);
  g_test_add_func ("/number/parse-float-comma-locale", test_parse_float_comma_locale);
  g_test_add_func ("/number/parse-float-accepts", test_parse_float_accepts);
  g_test_add_func ("/number/parse-float-rejects", test_parse_float_rejects);

  return g_test_run ();
}
