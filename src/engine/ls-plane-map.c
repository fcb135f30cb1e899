/* ls-plane-map.c: the output of every unit over a grid of the input plane
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ls-error.h"
#include "ls-plane-map.h"

#define DEFAULT_BOUND 1.2f

struct _LsPlaneMap
{
  gsize width;
  gsize height;
  float x_min, x_max;
  float y_min, y_max;

  /* Copies of the network's layers, so that computing a map leaves the
   * network's input and forward state alone. */
  GPtrArray *layers;   /* of LsLayer */
  GPtrArray *values;   /* of float [units][height][width], one per layer */
};

/* Creates a map of width × height points, both at least 1, over the
 * default bounds [-1.2, 1.2]². It contains no values until the first
 * ls_plane_map_compute(). */
LsPlaneMap *
ls_plane_map_new (gsize width,
                  gsize height)
{
  LsPlaneMap *self;

  g_return_val_if_fail (width > 0 && width <= LS_MAX_TENSOR_SIZE, NULL);
  g_return_val_if_fail (height > 0 && height <= LS_MAX_TENSOR_SIZE, NULL);
  g_return_val_if_fail ((guint64) width * height <= LS_MAX_TENSOR_SIZE, NULL);

  self = g_new0 (LsPlaneMap, 1);
  self->width = width;
  self->height = height;
  self->x_min = self->y_min = -DEFAULT_BOUND;
  self->x_max = self->y_max = DEFAULT_BOUND;
  self->layers = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_layer_free);
  self->values = g_ptr_array_new_with_free_func (g_free);

  return self;
}

void
ls_plane_map_free (LsPlaneMap *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->layers);
  g_ptr_array_unref (self->values);
  g_free (self);
}

/* Sets the corners of the plane. Each minimum must be finite and less
 * than its maximum. */
void
ls_plane_map_set_bounds (LsPlaneMap *self,
                         float       x_min,
                         float       x_max,
                         float       y_min,
                         float       y_max)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (isfinite (x_min) && isfinite (x_max) && x_min < x_max);
  g_return_if_fail (isfinite (y_min) && isfinite (y_max) && y_min < y_max);

  self->x_min = x_min;
  self->x_max = x_max;
  self->y_min = y_min;
  self->y_max = y_max;
}

void
ls_plane_map_get_bounds (LsPlaneMap *self,
                         float      *x_min,
                         float      *x_max,
                         float      *y_min,
                         float      *y_max)
{
  g_return_if_fail (self != NULL);

  if (x_min != NULL)
    *x_min = self->x_min;
  if (x_max != NULL)
    *x_max = self->x_max;
  if (y_min != NULL)
    *y_min = self->y_min;
  if (y_max != NULL)
    *y_max = self->y_max;
}

/* Checks that the network reads two numbers and that every layer maps a
 * vector to a vector, which rules out images and token sequences. */
static gboolean
check_network (LsNetwork  *network,
               GError    **error)
{
  const LsShape *input_shape = ls_network_get_input_shape (network);
  gsize n_layers = ls_network_get_n_layers (network);

  if (ls_network_has_token_input (network))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("A plane map needs a network whose input is 2 numbers, but this network "
                     "reads text; use a network with 2 inputs"));
      return FALSE;
    }

  if (input_shape->rank != 1 || ls_shape_get_size (input_shape) != 2)
    {
      g_autofree char *shape = ls_shape_to_string (input_shape);

      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("A plane map needs a network whose input is 2 numbers, but this input "
                     "is %s; use a network with 2 inputs"),
                   shape);
      return FALSE;
    }

  for (gsize i = 0; i < n_layers; i++)
    {
      const LsLayer *layer = ls_network_get_layer (network, i);

      if (layer->input_shape.rank != 1 || layer->output_shape.rank != 1)
        {
          g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                       _("A plane map needs a network of dense layers, but layer %zu"
                         " is a %s layer; remove it to see the map"),
                       i + 1, ls_layer_kind_get_display_name (layer->kind));
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
same_structure (const LsLayer *copy,
                const LsLayer *layer)
{
  return copy->kind == layer->kind &&
         copy->units == layer->units &&
         copy->residual == layer->residual &&
         ls_shape_equal (&copy->input_shape, &layer->input_shape) &&
         ls_shape_equal (&copy->output_shape, &layer->output_shape);
}

static gboolean
needs_new_copies (LsPlaneMap *self,
                  LsNetwork  *network)
{
  gsize n_layers = ls_network_get_n_layers (network);

  if (self->layers->len != n_layers)
    return TRUE;

  for (gsize i = 0; i < n_layers; i++)
    if (!same_structure (g_ptr_array_index (self->layers, i), ls_network_get_layer (network, i)))
      return TRUE;

  return FALSE;
}

static void
copy_layers (LsPlaneMap *self,
             LsNetwork  *network)
{
  gsize n_points = self->width * self->height;

  g_ptr_array_set_size (self->layers, 0);
  g_ptr_array_set_size (self->values, 0);

  for (gsize i = 0; i < ls_network_get_n_layers (network); i++)
    {
      const LsLayer *layer = ls_network_get_layer (network, i);

      g_ptr_array_add (self->layers, ls_layer_copy (layer));
      g_ptr_array_add (self->values, g_new0 (float, ls_layer_get_outputs (layer) * n_points));
    }
}

/* Copies the parameters and the activation, which can change without a
 * change of the buffers' sizes. */
static void
refresh_parameters (LsPlaneMap *self,
                    LsNetwork  *network)
{
  for (gsize i = 0; i < self->layers->len; i++)
    {
      LsLayer *copy = g_ptr_array_index (self->layers, i);
      const LsLayer *layer = ls_network_get_layer (network, i);

      copy->activation = layer->activation;
      memcpy (copy->weights, layer->weights, ls_layer_get_n_weights (layer) * sizeof (float));
      if (layer->bias != NULL)
        memcpy (copy->bias, layer->bias, ls_layer_get_n_biases (layer) * sizeof (float));
    }
}

/* Runs the copied layers on the point (x, y) and stores every unit's
 * output at point, the index row · width + column. */
static void
compute_point (LsPlaneMap *self,
               float       x,
               float       y,
               gsize       point)
{
  const float input[2] = { x, y };
  const float *layer_input = input;
  gsize n_points = self->width * self->height;

  for (gsize i = 0; i < self->layers->len; i++)
    {
      LsLayer *layer = g_ptr_array_index (self->layers, i);
      float *values = g_ptr_array_index (self->values, i);  /* [units][height][width] */

      ls_layer_forward (layer, layer_input);
      for (gsize unit = 0; unit < ls_layer_get_outputs (layer); unit++)
        values[unit * n_points + point] = layer->activation_output[unit];
      layer_input = layer->activation_output;
    }
}

/* Returns the coordinate of grid line index of n lines from low to high,
 * both included; a single line lies in the middle. */
static float
grid_coordinate (float low,
                 float high,
                 gsize index,
                 gsize n)
{
  if (n == 1)
    return 0.5f * (low + high);

  return low + (high - low) * (float) index / (float) (n - 1);
}

/* Evaluates network at every point of the grid: column 0 at x_min, the
 * last column at x_max, row 0 at y_max and the last row at y_min. The
 * network itself is only read. Returns FALSE with LS_ERROR_INVALID_SHAPE,
 * and keeps the previous values, when the network's input is not 2
 * numbers or a layer is not dense (conv2d, pooling or token layers). */
gboolean
ls_plane_map_compute (LsPlaneMap  *self,
                      LsNetwork   *network,
                      GError     **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (LS_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_network (network, error))
    return FALSE;

  if (needs_new_copies (self, network))
    copy_layers (self, network);
  refresh_parameters (self, network);

  for (gsize row = 0; row < self->height; row++)
    {
      float y = grid_coordinate (self->y_max, self->y_min, row, self->height);

      for (gsize column = 0; column < self->width; column++)
        {
          float x = grid_coordinate (self->x_min, self->x_max, column, self->width);

          compute_point (self, x, y, row * self->width + column);
        }
    }

  return TRUE;
}

gsize
ls_plane_map_get_width (LsPlaneMap *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->width;
}

gsize
ls_plane_map_get_height (LsPlaneMap *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->height;
}

/* Returns the number of layers of the last computed network, 0 before
 * the first ls_plane_map_compute(). */
gsize
ls_plane_map_get_n_layers (LsPlaneMap *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->layers->len;
}

gsize
ls_plane_map_get_n_units (LsPlaneMap *self,
                          gsize       layer)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (layer < self->layers->len, 0);

  return ls_layer_get_outputs (g_ptr_array_index (self->layers, layer));
}

/* Returns the output of unit of layer at every point, [height][width]. */
const float *
ls_plane_map_get_values (LsPlaneMap *self,
                         gsize       layer,
                         gsize       unit)
{
  gsize n_points;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (layer < self->layers->len, NULL);
  g_return_val_if_fail (unit < ls_plane_map_get_n_units (self, layer), NULL);

  n_points = self->width * self->height;

  return (const float *) g_ptr_array_index (self->values, layer) + unit * n_points;
}
