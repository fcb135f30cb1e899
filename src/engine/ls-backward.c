/* ls-backward.c: the backward pass of the dense, conv2d, pooling and flatten layers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-engine"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ls-layer-private.h"

static void get_padded_size (const LsLayer *layer,
                             gsize         *hp,
                             gsize         *wp);

static gboolean
is_sequence_kind (LsLayerKind kind)
{
  return kind == LS_LAYER_EMBEDDING || kind == LS_LAYER_POSITIONAL ||
         kind == LS_LAYER_ATTENTION || kind == LS_LAYER_LAYERNORM ||
         kind == LS_LAYER_POOL_TOKENS;
}

/* Returns the number of floats that ls_layer_backward() needs as work
 * space for this layer. The image and dense kinds need dL/d
 * pre_activation, and a stride-1 conv2d also its padded layout. The
 * token kinds need what ls_layer_get_backward_work_size_sequence()
 * returns. */
gsize
ls_layer_get_backward_work_size (const LsLayer *layer)
{
  g_return_val_if_fail (layer != NULL, 0);

  if (is_sequence_kind (layer->kind))
    return ls_layer_get_backward_work_size_sequence (layer);

  if (layer->kind == LS_LAYER_CONV2D && layer->window.stride[0] == 1 && layer->window.stride[1] == 1)
    {
      gsize hp, wp;

      get_padded_size (layer, &hp, &wp);
      return ls_layer_get_outputs (layer) + (2 * layer->input_shape.dims[0] * hp +
                                             layer->output_shape.dims[1]) * wp;
    }

  return ls_layer_get_outputs (layer);
}

/* Computes dL/d pre_activation from dL/d activation_output, [rows][width],
 * one activation row at a time as the forward pass applies it. Returns
 * grad_output itself when the activation is the identity or the caller
 * gave dL/d pre_activation, and work otherwise. The activation's output
 * is activation_output, except that a residual layer added its input to
 * it, so there it is computed again in work. */
static const float *
get_grad_pre_activation (const LsLayer  *layer,
                         const float    *grad_output,  /* [rows][width] */
                         LsBackwardFrom  from,
                         gsize           rows,
                         gsize           width,
                         float          *work)         /* [rows][width] */
{
  if (from == LS_BACKWARD_FROM_PRE_ACTIVATION || layer->activation == LS_ACTIVATION_IDENTITY)
    return grad_output;

  for (gsize t = 0; t < rows; t++)
    {
      const float *pre = layer->pre_activation + t * width;
      const float *output = layer->activation_output + t * width;

      if (layer->residual)
        {
          ls_activation_apply (layer->activation, work + t * width, pre, width);
          output = work + t * width;
        }
      ls_activation_backward (layer->activation, work + t * width, grad_output + t * width,
                              pre, output, width);
    }

  return work;
}

/* Returns Σ_u row[u]·g[u]. C does not let the compiler reorder one
 * float sum, so four partial sums give it four independent lanes. */
static inline float
dot (const float *restrict row,  /* [n] */
     const float *restrict g,    /* [n] */
     gsize                 n)
{
  float sum[4] = { 0.0f, 0.0f, 0.0f, 0.0f };
  gsize u = 0;

  for (; u + 4 <= n; u += 4)
    for (gsize k = 0; k < 4; k++)
      sum[k] += row[u + k] * g[u + k];

  for (; u < n; u++)
    sum[0] += row[u] * g[u];

  return (sum[0] + sum[1]) + (sum[2] + sum[3]);
}

/* The backward pass of the dense kernel for one row of x·W + b:
 * dW[i][u] += x[i]·g[u], db[u] += g[u] and dx[i] = Σ_u W[i][u]·g[u]. */
static void
dense_backward_row (const float *restrict weights,       /* [inputs][units] */
                    const float *restrict input,         /* [inputs] */
                    const float *restrict grad_pre,      /* [units] */
                    float       *restrict grad_input,    /* [inputs], nullable */
                    float       *restrict grad_weights,  /* [inputs][units], nullable */
                    float       *restrict grad_bias,     /* [units], nullable */
                    gsize                 inputs,
                    gsize                 units)
{
  if (grad_bias != NULL)
    for (gsize u = 0; u < units; u++)
      grad_bias[u] += grad_pre[u];

  for (gsize i = 0; i < inputs; i++)
    {
      if (grad_input != NULL)
        grad_input[i] = dot (weights + i * units, grad_pre, units);
      if (grad_weights != NULL && input[i] != 0.0f)
        ls_layer_add_scaled (grad_weights + i * units, grad_pre, input[i], units);
    }
}

/* Dense on a vector, or on each token row of a sequence with shared
 * weights. A residual layer adds grad_output, the gradient of its x term. */
static void
dense_backward (const LsLayer  *layer,
                const float    *input,        /* [rows][inputs] */
                const float    *grad_output,  /* [rows][units] */
                LsBackwardFrom  from,
                float          *grad_input,   /* [rows][inputs], nullable */
                float          *grad_weights, /* [inputs][units], nullable */
                float          *grad_bias,    /* [units], nullable */
                float          *work)         /* [rows][units] */
{
  gsize inputs = ls_layer_get_inputs (layer);
  gsize units = layer->units;
  gsize rows = layer->input_shape.rank == 2 ? layer->input_shape.dims[0] : 1;
  const float *grad_pre = get_grad_pre_activation (layer, grad_output, from, rows, units, work);

  for (gsize t = 0; t < rows; t++)
    dense_backward_row (layer->weights, input + t * inputs, grad_pre + t * units,
                        grad_input != NULL ? grad_input + t * inputs : NULL,
                        grad_weights, grad_bias, inputs, units);

  /* A residual layer has as many units as inputs. */
  if (layer->residual && grad_input != NULL)
    for (gsize i = 0; i < rows * inputs; i++)
      grad_input[i] += grad_output[i];
}

/* The first and one past the last output index o along an axis whose
 * input index o·stride + k − pad falls inside [0, size), as the forward
 * pass's get_valid_outputs() in ls-layer.c. */
static void
get_tap_outputs (gsize  size,
                 gsize  outputs,
                 gsize  stride,
                 gsize  k,
                 gsize  pad,
                 gsize *first,
                 gsize *end)
{
  gsize last_input = size - 1 + pad;

  *first = pad > k ? (pad - k + stride - 1) / stride : 0;
  *end = last_input >= k ? MIN (outputs, (last_input - k) / stride + 1) : 0;
}

/* The geometry of one conv2d tap: a kernel position (ky, kx) and the
 * outputs whose input pixel (oy·sy + ky − py, ox·sx + kx − px) is inside
 * the image. Padding cells read zeros, so they get no gradient. */
typedef struct
{
  gsize y0, y1, x0, x1;  /* output rows and columns that read the image */
  gsize offset;          /* input index of output (y0, x0) in one channel */
} ConvTap;

static gboolean
conv2d_get_tap (const LsLayer *layer,
                gsize          ky,
                gsize          kx,
                ConvTap       *tap)
{
  const LsWindow *window = &layer->window;
  gsize h = layer->input_shape.dims[1], w = layer->input_shape.dims[2];
  gsize oh = layer->output_shape.dims[1], ow = layer->output_shape.dims[2];

  get_tap_outputs (h, oh, window->stride[0], ky, window->padding[0], &tap->y0, &tap->y1);
  get_tap_outputs (w, ow, window->stride[1], kx, window->padding[1], &tap->x0, &tap->x1);
  if (tap->y0 >= tap->y1 || tap->x0 >= tap->x1)
    return FALSE;

  tap->offset = (tap->y0 * window->stride[0] + ky - window->padding[0]) * w +
                (tap->x0 * window->stride[1] + kx - window->padding[1]);

  return TRUE;
}

/* For one tap of one filter and channel: returns Σ g[oy][ox]·x[iy][ix],
 * the gradient of the tap's weight, and adds weight·g[oy][ox] to
 * dx[iy][ix] when grad_channel is not NULL. */
static double
conv2d_backward_tap (const LsLayer *layer,
                     const ConvTap *tap,
                     const float   *plane,         /* [oh][ow] of dL/d pre_activation */
                     const float   *channel,       /* [h][w] */
                     float          weight,
                     float         *grad_channel)  /* [h][w], nullable */
{
  gsize sy = layer->window.stride[0], sx = layer->window.stride[1];
  gsize w = layer->input_shape.dims[2], ow = layer->output_shape.dims[2];
  double sum = 0.0;

  for (gsize oy = tap->y0; oy < tap->y1; oy++)
    {
      const float *g = plane + oy * ow + tap->x0;
      gsize in = tap->offset + (oy - tap->y0) * sy * w;
      float row_sum = 0.0f;

      for (gsize i = 0; i < tap->x1 - tap->x0; i++)
        row_sum += g[i] * channel[in + i * sx];
      sum += row_sum;

      if (grad_channel != NULL)
        for (gsize i = 0; i < tap->x1 - tap->x0; i++)
          grad_channel[in + i * sx] += weight * g[i];
    }

  return sum;
}

static float
sum_plane (const float *plane,  /* [n] */
           gsize        n)
{
  double sum = 0.0;

  for (gsize i = 0; i < n; i++)
    sum += plane[i];

  return (float) sum;
}

/* Conv2d with any stride, one tap at a time over whole output rows, like
 * the forward pass in ls-layer.c. */
static void
conv2d_backward_strided (const LsLayer *layer,
                         const float   *input,        /* [C][h][w] */
                         const float   *grad_pre,     /* [F][oh][ow] */
                         float         *grad_input,   /* [C][h][w], nullable */
                         float         *grad_weights) /* [F][C][kh][kw], nullable */
{
  gsize channels = layer->input_shape.dims[0];
  gsize plane_size = layer->input_shape.dims[1] * layer->input_shape.dims[2];
  gsize out_size = layer->output_shape.dims[1] * layer->output_shape.dims[2];
  gsize kh = layer->window.kernel[0], kw = layer->window.kernel[1];

  if (grad_input != NULL)
    memset (grad_input, 0, channels * plane_size * sizeof (float));

  for (gsize f = 0; f < layer->units; f++)
    for (gsize c = 0; c < channels; c++)
      for (gsize ky = 0; ky < kh; ky++)
        for (gsize kx = 0; kx < kw; kx++)
          {
            gsize index = ((f * channels + c) * kh + ky) * kw + kx;
            ConvTap tap;
            double sum;

            if (!conv2d_get_tap (layer, ky, kx, &tap))
              continue;

            sum = conv2d_backward_tap (layer, &tap, grad_pre + f * out_size, input + c * plane_size,
                                       layer->weights[index],
                                       grad_input != NULL ? grad_input + c * plane_size : NULL);
            if (grad_weights != NULL)
              grad_weights[index] += (float) sum;
          }
}

/* The sizes of the padded layout of a stride-1 conv2d, as the forward
 * pass's conv2d_forward_unit_stride() in ls-layer.c uses it. */
static void
get_padded_size (const LsLayer *layer,
                 gsize         *hp,
                 gsize         *wp)
{
  *hp = layer->input_shape.dims[1] + layer->window.padding[0] + layer->window.padding_after[0];
  *wp = layer->input_shape.dims[2] + layer->window.padding[1] + layer->window.padding_after[1];
}

/* Copies the image [C][h][w] into the inside of the padded layout
 * [C][hp][wp], or with to_padded FALSE the inside back into the image. */
static void
copy_padding (const LsLayer *layer,
              float         *padded,  /* [C][hp][wp] */
              float         *image,   /* [C][h][w] */
              gboolean       to_padded)
{
  gsize h = layer->input_shape.dims[1], w = layer->input_shape.dims[2];
  gsize hp, wp;

  get_padded_size (layer, &hp, &wp);
  for (gsize c = 0; c < layer->input_shape.dims[0]; c++)
    for (gsize y = 0; y < h; y++)
      {
        float *inside = padded + (c * hp + y + layer->window.padding[0]) * wp + layer->window.padding[1];
        float *row = image + (c * h + y) * w;

        if (to_padded)
          memcpy (inside, row, w * sizeof (float));
        else
          memcpy (row, inside, w * sizeof (float));
      }
}

/* Copies one filter's dL/d pre_activation plane into a plane as wide as
 * the padded input, [oh][wp], with zeros in the columns past ow. */
static void
widen_plane (float       *wide,   /* [oh][wp], only the first (oh − 1)·wp + ow used */
             const float *plane,  /* [oh][ow] */
             gsize        oh,
             gsize        ow,
             gsize        wp)
{
  for (gsize oy = 0; oy < oh; oy++)
    {
      memcpy (wide + oy * wp, plane + oy * ow, ow * sizeof (float));
      if (oy + 1 < oh)
        memset (wide + oy * wp + ow, 0, (wp - ow) * sizeof (float));
    }
}

/* Conv2d with stride 1, in the layout of the forward pass. In a plane as
 * wide as the padded input, kernel position (ky, kx) links output j with
 * padded input j + ky·wp + kx. So each tap is one contiguous dot product
 * for its weight's gradient and one contiguous scaled add for the input's
 * gradient. The extra columns contain zeros, so they add nothing. */
static void
conv2d_backward_unit_stride (const LsLayer *layer,
                             const float   *input,        /* [C][h][w] */
                             const float   *grad_pre,     /* [F][oh][ow] */
                             float         *grad_input,   /* [C][h][w], nullable */
                             float         *grad_weights, /* [F][C][kh][kw], nullable */
                             float         *work)         /* [2][C][hp][wp] then [oh][wp] */
{
  gsize channels = layer->input_shape.dims[0];
  gsize oh = layer->output_shape.dims[1], ow = layer->output_shape.dims[2];
  gsize kh = layer->window.kernel[0], kw = layer->window.kernel[1];
  gsize hp, wp, padded_size, n;
  float *padded, *grad_padded, *wide;

  get_padded_size (layer, &hp, &wp);
  padded_size = channels * hp * wp;
  n = (oh - 1) * wp + ow;
  padded = work;
  grad_padded = work + padded_size;
  wide = work + 2 * padded_size;

  memset (padded, 0, 2 * padded_size * sizeof (float));
  copy_padding (layer, padded, (float *) input, TRUE);

  for (gsize f = 0; f < layer->units; f++)
    {
      widen_plane (wide, grad_pre + f * oh * ow, oh, ow, wp);
      for (gsize c = 0; c < channels; c++)
        for (gsize ky = 0; ky < kh; ky++)
          for (gsize kx = 0; kx < kw; kx++)
            {
              gsize index = ((f * channels + c) * kh + ky) * kw + kx;
              gsize offset = (c * hp + ky) * wp + kx;

              if (grad_weights != NULL)
                grad_weights[index] += dot (wide, padded + offset, n);
              if (grad_input != NULL)
                ls_layer_add_scaled (grad_padded + offset, wide, layer->weights[index], n);
            }
    }

  if (grad_input != NULL)
    copy_padding (layer, grad_padded, grad_input, FALSE);
}

/* Conv2d, as torch.nn.Conv2d's backward with zero padding. The work
 * space contains dL/d pre_activation, [F][oh][ow], and then the stride-1
 * layout. */
static void
conv2d_backward (const LsLayer  *layer,
                 const float    *input,        /* [C][h][w] */
                 const float    *grad_output,  /* [F][oh][ow] */
                 LsBackwardFrom  from,
                 float          *grad_input,   /* [C][h][w], nullable */
                 float          *grad_weights, /* [F][C][kh][kw], nullable */
                 float          *grad_bias,    /* [F], nullable */
                 float          *work)
{
  gsize out_size = layer->output_shape.dims[1] * layer->output_shape.dims[2];
  const float *grad_pre = get_grad_pre_activation (layer, grad_output, from, 1,
                                                   layer->units * out_size, work);

  if (grad_bias != NULL)
    for (gsize f = 0; f < layer->units; f++)
      grad_bias[f] += sum_plane (grad_pre + f * out_size, out_size);

  if (layer->window.stride[0] == 1 && layer->window.stride[1] == 1)
    conv2d_backward_unit_stride (layer, input, grad_pre, grad_input, grad_weights,
                                 work + layer->units * out_size);
  else
    conv2d_backward_strided (layer, input, grad_pre, grad_input, grad_weights);
}

/* Returns the offset of the window's maximum from its top-left value.
 * The rule is that of PyTorch 1.13's max_pool2d on the CPU: the first
 * maximum in scan order, row by row, or the last NaN if the window has
 * one. */
static gsize
find_window_max (const float *corner,  /* the window's top-left value in a [h][w] plane */
                 gsize        w,
                 gsize        kh,
                 gsize        kw)
{
  gsize best = 0;
  float max = corner[0];

  for (gsize ky = 0; ky < kh; ky++)
    for (gsize kx = 0; kx < kw; kx++)
      {
        float x = corner[ky * w + kx];

        if (x > max || isnan (x))
          {
            max = x;
            best = ky * w + kx;
          }
      }

  return best;
}

/* Max and average pooling. The forward pass reads no padding, so every
 * window lies inside the image. A max window passes its gradient to its
 * first maximum, found again from input. An average window passes
 * 1 / (kh·kw) of it to each of its cells. Overlapping windows add up. */
static void
pool2d_backward (const LsLayer *layer,
                 const float   *input,      /* [C][h][w] */
                 const float   *grad_pre,   /* [C][oh][ow] */
                 float         *grad_input) /* [C][h][w] */
{
  gsize channels = layer->input_shape.dims[0];
  gsize h = layer->input_shape.dims[1], w = layer->input_shape.dims[2];
  gsize oh = layer->output_shape.dims[1], ow = layer->output_shape.dims[2];
  gsize kh = layer->window.kernel[0], kw = layer->window.kernel[1];
  gsize sy = layer->window.stride[0], sx = layer->window.stride[1];
  gboolean max = layer->kind == LS_LAYER_MAXPOOL2D;
  float scale = 1.0f / (float) (kh * kw);

  memset (grad_input, 0, channels * h * w * sizeof (float));
  for (gsize c = 0; c < channels; c++)
    for (gsize oy = 0; oy < oh; oy++)
      for (gsize ox = 0; ox < ow; ox++)
        {
          gsize corner = (c * h + oy * sy) * w + ox * sx;
          float g = *grad_pre++;

          if (max)
            {
              grad_input[corner + find_window_max (input + corner, w, kh, kw)] += g;
              continue;
            }

          for (gsize ky = 0; ky < kh; ky++)
            for (gsize kx = 0; kx < kw; kx++)
              grad_input[corner + ky * w + kx] += g * scale;
        }
}

/**
 * ls_layer_backward:
 * @layer: a layer whose forward state is the one that
 *   ls_layer_forward (@layer, @input) left: pre_activation,
 *   activation_output, scratch and attention_weights
 * @input: the input of that forward pass, [input size]
 * @grad_output: dL/d activation_output, [output size]; or, with
 *   %LS_BACKWARD_FROM_PRE_ACTIVATION, dL/d pre_activation, which only a
 *   dense or conv2d layer without a residual connection accepts
 * @from: which of the two @grad_output is
 * @grad_input: (nullable): overwritten with dL/d @input, [input size];
 *   %NULL skips it, e.g. for the first layer
 * @grad_weights: (nullable): dL/d weights is added to it (+=), in the
 *   layout of layer->weights, so that a batch sums over its samples
 * @grad_bias: (nullable): dL/d bias is added to it, in the layout of
 *   layer->bias
 * @work: ls_layer_get_backward_work_size (@layer) floats of work space
 *
 * Computes the gradients of a loss L through one layer. Allocates
 * nothing and writes only @grad_input, @grad_weights, @grad_bias and
 * @work, so that a worker thread can run it on a layer that nothing
 * edits meanwhile. None of the buffers may overlap. A max pooling
 * window passes its gradient to its first maximum in scan order, as
 * PyTorch 1.13 does.
 */
void
ls_layer_backward (const LsLayer  *layer,
                   const float    *input,
                   const float    *grad_output,
                   LsBackwardFrom  from,
                   float          *grad_input,
                   float          *grad_weights,
                   float          *grad_bias,
                   float          *work)
{
  const float *grad_pre;

  g_return_if_fail (layer != NULL);
  g_return_if_fail (input != NULL && grad_output != NULL);
  g_return_if_fail (work != NULL || ls_layer_get_backward_work_size (layer) == 0);
  g_return_if_fail (from == LS_BACKWARD_FROM_OUTPUT ||
                    ((layer->kind == LS_LAYER_DENSE || layer->kind == LS_LAYER_CONV2D) && !layer->residual));

  switch (layer->kind)
    {
    case LS_LAYER_DENSE:
      dense_backward (layer, input, grad_output, from, grad_input, grad_weights, grad_bias, work);
      return;

    case LS_LAYER_CONV2D:
      conv2d_backward (layer, input, grad_output, from, grad_input, grad_weights, grad_bias, work);
      return;

    case LS_LAYER_MAXPOOL2D:
    case LS_LAYER_AVGPOOL2D:
    case LS_LAYER_FLATTEN:
      /* Documents give pools no padding, and pool2d_forward() reads none. */
      g_return_if_fail (layer->kind == LS_LAYER_FLATTEN || layer->window.padding_mode == LS_PADDING_VALID);
      if (grad_input == NULL)
        return;
      grad_pre = get_grad_pre_activation (layer, grad_output, from, 1,
                                          ls_layer_get_outputs (layer), work);
      if (layer->kind == LS_LAYER_FLATTEN)
        memcpy (grad_input, grad_pre, ls_layer_get_outputs (layer) * sizeof (float));
      else
        pool2d_backward (layer, input, grad_pre, grad_input);
      return;

    case LS_LAYER_EMBEDDING:
    case LS_LAYER_POSITIONAL:
    case LS_LAYER_ATTENTION:
    case LS_LAYER_LAYERNORM:
    case LS_LAYER_POOL_TOKENS:
      ls_layer_backward_sequence (layer, input, grad_output, grad_input, grad_weights, grad_bias, work);
      return;

    case LS_N_LAYER_KINDS:
    default:
      g_assert_not_reached ();
    }
}
