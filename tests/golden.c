/* golden.c: reading the reference values that tools/ scripts make with PyTorch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>

#include "golden.h"

/* Loads tests/data/file_name and returns its top-level object. */
JsonObject *
golden_load (const char *file_name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", file_name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Reads a JSON array of numbers, nested to any depth, into a newly
 * allocated flat array in row-major order. */
float *
golden_read_floats (JsonArray *array,
                    gsize     *n_values)
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (float));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_ARRAY (element))
        {
          gsize n_row;
          g_autofree float *row = golden_read_floats (json_node_get_array (element), &n_row);

          g_array_append_vals (values, row, n_row);
        }
      else
        {
          float value = (float) json_node_get_double (element);

          g_array_append_val (values, value);
        }
    }

  *n_values = values->len;

  return (float *) (void *) g_array_free (values, FALSE);
}

/* Reads the array member of object flat, as golden_read_floats() does. */
float *
golden_get_floats (JsonObject *object,
                   const char *member,
                   gsize      *n_values)
{
  JsonArray *array = json_object_get_array_member (object, member);

  g_assert_nonnull (array);

  return golden_read_floats (array, n_values);
}

void
golden_assert_close (const char *what,
                     gsize       index,
                     double      actual,
                     double      expected)
{
  double allowed = GOLDEN_TOLERANCE * MAX (1.0, fabs (expected));

  if (!(fabs (actual - expected) <= allowed))
    g_test_message ("%s[%" G_GSIZE_FORMAT "]: got %.9g, expected %.9g", what, index, actual, expected);
  g_assert_true (isfinite (actual));
  g_assert_cmpfloat_with_epsilon (actual, expected, allowed);
}

/* Checks n_actual values against the array member of object, which must
 * have as many. */
void
golden_assert_floats (const char  *what,
                      const float *actual,
                      gsize        n_actual,
                      JsonObject  *object,
                      const char  *member)
{
  gsize n_expected;
  g_autofree float *expected = golden_get_floats (object, member, &n_expected);

  g_assert_cmpuint (n_actual, ==, n_expected);
  for (gsize i = 0; i < n_expected; i++)
    golden_assert_close (what, i, actual[i], expected[i]);
}
