/* ls-shape.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-engine"

#include "ls-shape.h"

void
ls_shape_init_1d (LsShape *shape,
                  gsize    size)
{
  g_return_if_fail (shape != NULL);

  *shape = (LsShape) { .rank = 1, .dims = { size } };
}

void
ls_shape_init_2d (LsShape *shape,
                  gsize    tokens,
                  gsize    features)
{
  g_return_if_fail (shape != NULL);

  *shape = (LsShape) { .rank = 2, .dims = { tokens, features } };
}

void
ls_shape_init_3d (LsShape *shape,
                  gsize    channels,
                  gsize    height,
                  gsize    width)
{
  g_return_if_fail (shape != NULL);

  *shape = (LsShape) { .rank = 3, .dims = { channels, height, width } };
}

/* Returns the number of elements, or 0 for an empty shape. */
gsize
ls_shape_get_size (const LsShape *shape)
{
  gsize size = 1;

  g_return_val_if_fail (shape != NULL, 0);

  if (shape->rank == 0)
    return 0;

  for (guint i = 0; i < shape->rank; i++)
    size *= shape->dims[i];

  return size;
}

gboolean
ls_shape_equal (const LsShape *a,
                const LsShape *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a->rank != b->rank)
    return FALSE;

  for (guint i = 0; i < a->rank; i++)
    if (a->dims[i] != b->dims[i])
      return FALSE;

  return TRUE;
}

/* Formats the shape as "[3]" or "[1, 28, 28]". */
char *
ls_shape_to_string (const LsShape *shape)
{
  GString *text = g_string_new ("[");

  g_return_val_if_fail (shape != NULL, NULL);

  for (guint i = 0; i < shape->rank; i++)
    g_string_append_printf (text, i == 0 ? "%" G_GSIZE_FORMAT : ", %" G_GSIZE_FORMAT, shape->dims[i]);
  g_string_append_c (text, ']');

  return g_string_free (text, FALSE);
}
