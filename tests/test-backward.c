/* test-backward.c: gradients of the dense, conv2d, pooling and flatten layers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-backward"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "golden.h"
#include "ls-engine.h"

/* Central differences with a step of 1e-2 on values of order 1: the
 * truncation error is about step² times the third derivative, and the
 * float forward pass adds about 1e-7 · |L| / step. Both stay well under
 * the tolerance, which is absolute plus relative. */
#define FD_STEP 1e-2
#define FD_TOLERANCE 2e-3

/* How far a ReLU's pre-activation, or the runner-up of a max pooling
 * window, must be from the kink: five times the largest change that one
 * step on one value causes, so that no difference straddles a kink. */
#define KINK_MARGIN 0.05f

#define MAX_STACK 6

/* A chain of layers, each reading the previous one's activation_output. */
typedef struct
{
  LsShape input_shape;
  float *input;                 /* [input size] */
  LsLayer *layers[MAX_STACK];
  gsize n_layers;
  guint64 seed;
} Stack;

/* Stacks */

static const LsShape *
stack_get_output_shape (const Stack *stack)
{
  return stack->n_layers > 0 ? &stack->layers[stack->n_layers - 1]->output_shape
                             : &stack->input_shape;
}

static void
stack_append (Stack   *stack,
              LsLayer *layer)
{
  g_assert_nonnull (layer);
  g_assert_cmpuint (stack->n_layers, <, MAX_STACK);
  stack->layers[stack->n_layers++] = layer;
}

static void
add_dense (Stack        *stack,
           gsize         units,
           LsActivation  activation,
           gboolean      residual)
{
  LsInit init = { LS_INIT_XAVIER, stack->seed + stack->n_layers };
  g_autoptr(GError) error = NULL;
  LsLayer *layer;

  layer = ls_layer_new_dense_on (stack_get_output_shape (stack), units, activation, residual, &init, &error);
  g_assert_no_error (error);
  stack_append (stack, layer);
}

static void
add_conv2d (Stack         *stack,
            gsize          filters,
            const gsize    kernel[2],
            const gsize    stride[2],
            LsPaddingMode  mode,
            const gsize    padding[2],
            LsActivation   activation)
{
  LsInit init = { LS_INIT_HE, stack->seed + stack->n_layers };
  g_autoptr(GError) error = NULL;
  LsWindow window;

  g_assert_true (ls_window_init (&window, kernel, stride, mode, padding, &error));
  g_assert_no_error (error);
  stack_append (stack, ls_layer_new_conv2d (stack_get_output_shape (stack), filters, &window,
                                            activation, &init, &error));
  g_assert_no_error (error);
}

static void
add_pool2d (Stack       *stack,
            LsLayerKind  kind,
            const gsize  size[2],
            const gsize  stride[2])
{
  static const gsize no_padding[2] = { 0, 0 };
  g_autoptr(GError) error = NULL;
  LsWindow window;

  g_assert_true (ls_window_init (&window, size, stride, LS_PADDING_VALID, no_padding, &error));
  g_assert_no_error (error);
  stack_append (stack, ls_layer_new_pool2d (kind, stack_get_output_shape (stack), &window, &error));
  g_assert_no_error (error);
}

static void
fill_uniform (LsRandom *random,
              float    *values,
              gsize     n,
              double    scale)
{
  for (gsize i = 0; i < n; i++)
    values[i] = (float) (scale * (2.0 * ls_random_next_double (random) - 1.0));
}

/* Draws the input in ±1 and every bias in ±0.5. The weights come from
 * each layer's own seeded initialisation. */
static void
stack_randomize (Stack *stack)
{
  LsRandom random;

  ls_random_init (&random, stack->seed);
  stack->input = g_new (float, ls_shape_get_size (&stack->input_shape));
  fill_uniform (&random, stack->input, ls_shape_get_size (&stack->input_shape), 1.0);
  for (gsize l = 0; l < stack->n_layers; l++)
    if (stack->layers[l]->bias != NULL)
      fill_uniform (&random, stack->layers[l]->bias, ls_layer_get_n_biases (stack->layers[l]), 0.5);
}

static void
stack_clear (Stack *stack)
{
  for (gsize l = 0; l < stack->n_layers; l++)
    ls_layer_free (stack->layers[l]);
  g_free (stack->input);
  memset (stack, 0, sizeof *stack);
}

static const float *
stack_get_layer_input (const Stack *stack,
                       gsize        l)
{
  return l == 0 ? stack->input : stack->layers[l - 1]->activation_output;
}

static const float *
stack_forward (Stack *stack)
{
  for (gsize l = 0; l < stack->n_layers; l++)
    ls_layer_forward (stack->layers[l], stack_get_layer_input (stack, l));

  return stack->layers[stack->n_layers - 1]->activation_output;
}

/* L = Σ c_i·y_i over the last layer's output, summed in double. */
static double
stack_loss (Stack       *stack,
            const float *c)
{
  const float *output = stack_forward (stack);
  gsize n = ls_shape_get_size (stack_get_output_shape (stack));
  double loss = 0.0;

  for (gsize i = 0; i < n; i++)
    loss += (double) c[i] * output[i];

  return loss;
}

/* The gradients of a whole stack: dL/d input, and dL/d weights and
 * dL/d bias of each layer, [n_layers] arrays in the layers' layouts. */
typedef struct
{
  float *input;
  float *weights[MAX_STACK];
  float *bias[MAX_STACK];
} Gradients;

static void
gradients_clear (Gradients *gradients)
{
  g_free (gradients->input);
  for (gsize l = 0; l < MAX_STACK; l++)
    {
      g_free (gradients->weights[l]);
      g_free (gradients->bias[l]);
    }
}

/* Runs the forward pass, then the backward pass from dL/d output = c
 * through every layer, chaining each grad_input into the layer before. */
static void
stack_backward (Stack       *stack,
                const float *c,
                Gradients   *gradients)
{
  g_autofree float *grad = g_memdup2 (c, ls_shape_get_size (stack_get_output_shape (stack)) * sizeof (float));

  stack_forward (stack);
  memset (gradients, 0, sizeof *gradients);
  for (gsize l = stack->n_layers; l-- > 0;)
    {
      LsLayer *layer = stack->layers[l];
      g_autofree float *work = g_new (float, ls_layer_get_backward_work_size (layer));
      float *grad_input = g_new (float, ls_shape_get_size (&layer->input_shape));

      gradients->weights[l] = g_new0 (float, ls_layer_get_n_weights (layer));
      gradients->bias[l] = g_new0 (float, ls_layer_get_n_biases (layer));
      ls_layer_backward (layer, stack_get_layer_input (stack, l), grad, LS_BACKWARD_FROM_OUTPUT,
                         grad_input, gradients->weights[l], gradients->bias[l], work);
      g_free (grad);
      grad = grad_input;
    }
  gradients->input = g_steal_pointer (&grad);
}

/* Whether no ReLU or leaky ReLU pre-activation and no max pooling
 * runner-up lies within KINK_MARGIN of its kink, on the current forward
 * state. The golden test checks ties within a pooling window. */
static gboolean
layer_is_smooth_here (const LsLayer *layer,
                      const float   *input)
{
  gsize n = ls_layer_get_outputs (layer);

  if (layer->activation == LS_ACTIVATION_RELU || layer->activation == LS_ACTIVATION_LEAKY_RELU)
    for (gsize i = 0; i < n; i++)
      if (fabsf (layer->pre_activation[i]) < KINK_MARGIN)
        return FALSE;

  if (layer->kind == LS_LAYER_MAXPOOL2D)
    {
      gsize h = layer->input_shape.dims[1], w = layer->input_shape.dims[2];
      gsize oh = layer->output_shape.dims[1], ow = layer->output_shape.dims[2];

      for (gsize c = 0; c < layer->input_shape.dims[0]; c++)
        for (gsize oy = 0; oy < oh; oy++)
          for (gsize ox = 0; ox < ow; ox++)
            {
              const float *corner = input + (c * h + oy * layer->window.stride[0]) * w + ox * layer->window.stride[1];
              float max = layer->pre_activation[(c * oh + oy) * ow + ox];
              guint near_max = 0;

              for (gsize ky = 0; ky < layer->window.kernel[0]; ky++)
                for (gsize kx = 0; kx < layer->window.kernel[1]; kx++)
                  if (max - corner[ky * w + kx] < KINK_MARGIN)
                    near_max++;
              /* Equal zeros from a ReLU before are no kink: their
               * gradient is zero whichever of them gets it. */
              if (near_max != 1 && max != 0.0f)
                return FALSE;
            }
    }

  return TRUE;
}

static gboolean
stack_is_smooth_here (Stack *stack)
{
  stack_forward (stack);
  for (gsize l = 0; l < stack->n_layers; l++)
    if (!layer_is_smooth_here (stack->layers[l], stack_get_layer_input (stack, l)))
      return FALSE;

  return TRUE;
}

/* Finite differences */

/* Checks analytic[i] against the central difference of L in values[i],
 * for every i < n. */
static void
assert_matches_differences (const char  *what,
                            Stack       *stack,
                            const float *c,
                            float       *values,
                            const float *analytic,
                            gsize        n)
{
  for (gsize i = 0; i < n; i++)
    {
      float saved = values[i];
      double up, down, numeric;

      values[i] = (float) (saved + FD_STEP);
      up = stack_loss (stack, c);
      values[i] = (float) (saved - FD_STEP);
      down = stack_loss (stack, c);
      values[i] = saved;
      /* The step as the float values actually moved, not FD_STEP. */
      numeric = (up - down) / ((double) (float) (saved + FD_STEP) - (double) (float) (saved - FD_STEP));

      if (!(fabs (analytic[i] - numeric) <= FD_TOLERANCE * (1.0 + fabs (numeric))))
        g_test_message ("%s[%" G_GSIZE_FORMAT "]: backward %.6g, finite difference %.6g",
                        what, i, analytic[i], numeric);
      g_assert_cmpfloat_with_epsilon (analytic[i], numeric, FD_TOLERANCE * (1.0 + fabs (numeric)));
    }
}

/* Compares the backward pass of a stack with finite differences on every
 * input, weight and bias, for L = Σ c_i·y_i with c drawn in ±1. */
static void
assert_stack_gradients (Stack *stack)
{
  gsize n_outputs = ls_shape_get_size (stack_get_output_shape (stack));
  g_autofree float *c = g_new (float, n_outputs);
  Gradients gradients;
  LsRandom random;

  ls_random_init (&random, stack->seed ^ 0x5eed);
  fill_uniform (&random, c, n_outputs, 1.0);
  stack_backward (stack, c, &gradients);

  assert_matches_differences ("input", stack, c, stack->input, gradients.input,
                              ls_shape_get_size (&stack->input_shape));
  for (gsize l = 0; l < stack->n_layers; l++)
    {
      LsLayer *layer = stack->layers[l];

      assert_matches_differences ("weights", stack, c, layer->weights, gradients.weights[l],
                                  ls_layer_get_n_weights (layer));
      assert_matches_differences ("bias", stack, c, layer->bias, gradients.bias[l],
                                  ls_layer_get_n_biases (layer));
    }

  gradients_clear (&gradients);
}

typedef void (*BuildFunc) (Stack *stack);

typedef struct
{
  const char *path;
  gsize input_dims[3];  /* [C][H][W], [T][d] or [n]: the unused ones 0 */
  BuildFunc build;
  LsActivation activation;  /* for the builders that take one */
} GradientCase;

static const GradientCase *current_case;

static void
build_dense_vector (Stack *stack)
{
  add_dense (stack, 4, current_case->activation, FALSE);
}

static void
build_dense_residual (Stack *stack)
{
  add_dense (stack, stack->input_shape.rank == 2 ? stack->input_shape.dims[1] : stack->input_shape.dims[0],
             current_case->activation, TRUE);
}

/* The activation on a hidden layer, so that its grad_output is W·c
 * rather than c. */
static void
build_hidden_activation (Stack *stack)
{
  add_dense (stack, 6, current_case->activation, FALSE);
  add_dense (stack, 3, LS_ACTIVATION_IDENTITY, FALSE);
}

static void
build_conv_3x3 (Stack *stack)
{
  static const gsize kernel[2] = { 3, 3 }, stride[2] = { 1, 1 }, padding[2] = { 0, 0 };

  add_conv2d (stack, 2, kernel, stride, LS_PADDING_VALID, padding, current_case->activation);
}

static void
build_conv_stride_2 (Stack *stack)
{
  static const gsize kernel[2] = { 3, 3 }, stride[2] = { 2, 2 }, padding[2] = { 1, 1 };

  add_conv2d (stack, 3, kernel, stride, LS_PADDING_EXPLICIT, padding, current_case->activation);
}

static void
build_conv_stride_2_3 (Stack *stack)
{
  static const gsize kernel[2] = { 3, 3 }, stride[2] = { 2, 3 }, padding[2] = { 1, 0 };

  add_conv2d (stack, 2, kernel, stride, LS_PADDING_EXPLICIT, padding, current_case->activation);
}

static void
build_conv_valid_3x2 (Stack *stack)
{
  static const gsize kernel[2] = { 3, 2 }, stride[2] = { 1, 1 };

  add_conv2d (stack, 2, kernel, stride, LS_PADDING_VALID, NULL, current_case->activation);
}

static void
build_conv_same_3x3 (Stack *stack)
{
  static const gsize kernel[2] = { 3, 3 }, stride[2] = { 1, 1 };

  add_conv2d (stack, 2, kernel, stride, LS_PADDING_SAME, NULL, current_case->activation);
}

/* Even kernels pad one row and column more after than before. */
static void
build_conv_same_even (Stack *stack)
{
  static const gsize kernel[2] = { 4, 2 }, stride[2] = { 1, 1 };

  add_conv2d (stack, 3, kernel, stride, LS_PADDING_SAME, NULL, current_case->activation);
}

static void
build_conv_padding_2_1 (Stack *stack)
{
  static const gsize kernel[2] = { 3, 3 }, stride[2] = { 1, 1 }, padding[2] = { 2, 1 };

  add_conv2d (stack, 4, kernel, stride, LS_PADDING_EXPLICIT, padding, current_case->activation);
}

static void
build_maxpool_2 (Stack *stack)
{
  static const gsize size[2] = { 2, 2 };

  add_pool2d (stack, LS_LAYER_MAXPOOL2D, size, size);
}

static void
build_maxpool_overlapping (Stack *stack)
{
  static const gsize size[2] = { 3, 3 }, stride[2] = { 1, 1 };

  add_pool2d (stack, LS_LAYER_MAXPOOL2D, size, stride);
}

static void
build_avgpool_overlapping (Stack *stack)
{
  static const gsize size[2] = { 3, 3 }, stride[2] = { 2, 2 };

  add_pool2d (stack, LS_LAYER_AVGPOOL2D, size, stride);
}

static void
build_avgpool_2_3 (Stack *stack)
{
  static const gsize size[2] = { 2, 3 }, stride[2] = { 1, 3 };

  add_pool2d (stack, LS_LAYER_AVGPOOL2D, size, stride);
}

static void
build_flatten (Stack *stack)
{
  stack_append (stack, ls_layer_new_flatten (&stack->input_shape));
  add_dense (stack, 3, LS_ACTIVATION_TANH, FALSE);
}

static void
build_cnn (Stack *stack)
{
  static const gsize kernel[2] = { 3, 3 }, stride[2] = { 1, 1 }, size[2] = { 2, 2 };

  add_conv2d (stack, 3, kernel, stride, LS_PADDING_SAME, NULL, LS_ACTIVATION_RELU);
  add_pool2d (stack, LS_LAYER_MAXPOOL2D, size, size);
  stack_append (stack, ls_layer_new_flatten (stack_get_output_shape (stack)));
  add_dense (stack, 3, LS_ACTIVATION_SOFTMAX, FALSE);
}

static const GradientCase gradient_cases[] = {
  { "/backward/dense/vector", { 5 }, build_dense_vector, LS_ACTIVATION_TANH },
  { "/backward/dense/image-input", { 2, 2, 3 }, build_dense_vector, LS_ACTIVATION_SIGMOID },
  { "/backward/dense/tokens", { 3, 4 }, build_dense_vector, LS_ACTIVATION_GELU },
  { "/backward/dense/tokens-softmax", { 3, 4 }, build_dense_vector, LS_ACTIVATION_SOFTMAX },
  { "/backward/dense/residual-vector", { 4 }, build_dense_residual, LS_ACTIVATION_TANH },
  { "/backward/dense/residual-tokens", { 3, 4 }, build_dense_residual, LS_ACTIVATION_RELU },
  { "/backward/activation/identity", { 5 }, build_hidden_activation, LS_ACTIVATION_IDENTITY },
  { "/backward/activation/relu", { 5 }, build_hidden_activation, LS_ACTIVATION_RELU },
  { "/backward/activation/leaky-relu", { 5 }, build_hidden_activation, LS_ACTIVATION_LEAKY_RELU },
  { "/backward/activation/sigmoid", { 5 }, build_hidden_activation, LS_ACTIVATION_SIGMOID },
  { "/backward/activation/tanh", { 5 }, build_hidden_activation, LS_ACTIVATION_TANH },
  { "/backward/activation/gelu", { 5 }, build_hidden_activation, LS_ACTIVATION_GELU },
  { "/backward/activation/softmax", { 5 }, build_hidden_activation, LS_ACTIVATION_SOFTMAX },
  { "/backward/conv2d/stride-1", { 1, 5, 5 }, build_conv_3x3, LS_ACTIVATION_TANH },
  { "/backward/conv2d/stride-2", { 2, 7, 7 }, build_conv_stride_2, LS_ACTIVATION_SIGMOID },
  { "/backward/conv2d/stride-2-3", { 2, 7, 6 }, build_conv_stride_2_3, LS_ACTIVATION_IDENTITY },
  { "/backward/conv2d/valid", { 2, 6, 5 }, build_conv_valid_3x2, LS_ACTIVATION_IDENTITY },
  { "/backward/conv2d/same", { 2, 5, 5 }, build_conv_same_3x3, LS_ACTIVATION_GELU },
  { "/backward/conv2d/same-even-kernel", { 2, 6, 5 }, build_conv_same_even, LS_ACTIVATION_TANH },
  { "/backward/conv2d/explicit-padding", { 3, 4, 5 }, build_conv_padding_2_1, LS_ACTIVATION_LEAKY_RELU },
  { "/backward/conv2d/softmax", { 2, 4, 4 }, build_conv_3x3, LS_ACTIVATION_SOFTMAX },
  { "/backward/maxpool/2x2", { 2, 4, 4 }, build_maxpool_2, LS_ACTIVATION_IDENTITY },
  { "/backward/maxpool/overlapping", { 1, 5, 5 }, build_maxpool_overlapping, LS_ACTIVATION_IDENTITY },
  { "/backward/avgpool/overlapping", { 2, 7, 7 }, build_avgpool_overlapping, LS_ACTIVATION_IDENTITY },
  { "/backward/avgpool/2x3", { 2, 5, 6 }, build_avgpool_2_3, LS_ACTIVATION_IDENTITY },
  { "/backward/flatten", { 2, 3, 3 }, build_flatten, LS_ACTIVATION_IDENTITY },
  { "/backward/cnn", { 1, 4, 4 }, build_cnn, LS_ACTIVATION_IDENTITY },
};

static void
init_shape (LsShape     *shape,
            const gsize  dims[3])
{
  if (dims[2] != 0)
    ls_shape_init_3d (shape, dims[0], dims[1], dims[2]);
  else if (dims[1] != 0)
    ls_shape_init_2d (shape, dims[0], dims[1]);
  else
    ls_shape_init_1d (shape, dims[0]);
}

/* Builds the case's stack with the first seed whose forward state keeps
 * every kink out of reach of the finite differences. */
static void
build_smooth_stack (const GradientCase *gradient_case,
                    Stack              *stack)
{
  current_case = gradient_case;
  for (guint64 seed = 1; seed <= 500; seed++)
    {
      memset (stack, 0, sizeof *stack);
      stack->seed = seed;
      init_shape (&stack->input_shape, gradient_case->input_dims);
      gradient_case->build (stack);
      stack_randomize (stack);
      if (stack_is_smooth_here (stack))
        return;
      stack_clear (stack);
    }

  g_assert_not_reached ();
}

static void
test_backward_finite_differences (gconstpointer data)
{
  Stack stack;

  build_smooth_stack (data, &stack);
  assert_stack_gradients (&stack);
  stack_clear (&stack);
}

/* Golden gradients */

/* Reads a [height, width] pair of a golden case. */
static void
read_pair (JsonObject *object,
           const char *key,
           gsize       pair[2])
{
  JsonArray *array = json_object_get_array_member (object, key);

  g_assert_nonnull (array);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  pair[0] = json_array_get_int_element (array, 0);
  pair[1] = json_array_get_int_element (array, 1);
}

static void
read_golden_window (JsonObject  *description,
                    LsLayerKind  kind,
                    LsWindow    *window)
{
  gsize kernel[2], stride[2], padding[2] = { 0, 0 };
  LsPaddingMode mode = LS_PADDING_VALID;
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_object_get_member (description, "padding");

  read_pair (description, kind == LS_LAYER_CONV2D ? "kernel" : "size", kernel);
  read_pair (description, "stride", stride);
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      mode = LS_PADDING_EXPLICIT;
      read_pair (description, "padding", padding);
    }
  else if (node != NULL && g_str_equal (json_node_get_string (node), "same"))
    mode = LS_PADDING_SAME;

  g_assert_true (ls_window_init (window, kernel, stride, mode, padding, &error));
  g_assert_no_error (error);
}

/* Creates the layer of a golden case, with its weights and bias. */
static LsLayer *
new_golden_layer (JsonObject *description)
{
  JsonArray *dims = json_object_get_array_member (description, "input_shape");
  LsActivation activation = LS_ACTIVATION_IDENTITY;
  LsInit init = { LS_INIT_HE, 1 };
  g_autoptr(GError) error = NULL;
  gsize shape_dims[3] = { 0, 0, 0 };
  LsLayer *layer = NULL;
  LsShape input_shape;
  LsLayerKind kind;
  LsWindow window;

  for (guint i = 0; i < json_array_get_length (dims); i++)
    shape_dims[i] = json_array_get_int_element (dims, i);
  init_shape (&input_shape, shape_dims);
  g_assert_true (ls_layer_kind_from_name (json_object_get_string_member (description, "type"), &kind));
  if (json_object_has_member (description, "activation"))
    g_assert_true (ls_activation_from_name (json_object_get_string_member (description, "activation"), &activation));

  switch (kind)
    {
    case LS_LAYER_DENSE:
      layer = ls_layer_new_dense_on (&input_shape, json_object_get_int_member (description, "units"),
                                     activation, json_object_get_boolean_member (description, "residual"),
                                     &init, &error);
      break;

    case LS_LAYER_CONV2D:
      read_golden_window (description, kind, &window);
      layer = ls_layer_new_conv2d (&input_shape, json_object_get_int_member (description, "filters"),
                                   &window, activation, &init, &error);
      break;

    case LS_LAYER_MAXPOOL2D:
    case LS_LAYER_AVGPOOL2D:
      read_golden_window (description, kind, &window);
      layer = ls_layer_new_pool2d (kind, &input_shape, &window, &error);
      break;

    case LS_LAYER_FLATTEN:
      layer = ls_layer_new_flatten (&input_shape);
      break;

    default:
      g_assert_not_reached ();
    }

  g_assert_no_error (error);
  g_assert_nonnull (layer);
  if (ls_layer_has_parameters (layer))
    {
      gsize n_weights, n_bias;
      g_autofree float *weights = golden_get_floats (description, "weights", &n_weights);
      g_autofree float *bias = golden_get_floats (description, "bias", &n_bias);

      g_assert_cmpuint (n_weights, ==, ls_layer_get_n_weights (layer));
      g_assert_cmpuint (n_bias, ==, ls_layer_get_n_biases (layer));
      memcpy (layer->weights, weights, n_weights * sizeof (float));
      memcpy (layer->bias, bias, n_bias * sizeof (float));
    }

  return layer;
}

/* Compares the backward pass of each layer in
 * tests/data/backward-golden.json with PyTorch's autograd, which
 * tools/make-backward-golden.py ran on the same values. */
static void
test_backward_golden (void)
{
  g_autoptr(JsonObject) golden = golden_load ("backward-golden.json");
  JsonArray *cases = json_object_get_array_member (golden, "cases");

  g_assert_cmpuint (json_array_get_length (cases), >, 0);
  for (guint n = 0; n < json_array_get_length (cases); n++)
    {
      JsonObject *description = json_array_get_object_element (cases, n);
      g_autoptr(LsLayer) layer = new_golden_layer (description);
      gsize n_input, n_grad_output;
      g_autofree float *input = golden_get_floats (description, "input", &n_input);
      g_autofree float *grad_output = golden_get_floats (description, "grad_output", &n_grad_output);
      g_autofree float *grad_input = g_new (float, n_input);
      g_autofree float *grad_weights = g_new0 (float, ls_layer_get_n_weights (layer));
      g_autofree float *grad_bias = g_new0 (float, ls_layer_get_n_biases (layer));
      g_autofree float *work = g_new (float, ls_layer_get_backward_work_size (layer));

      g_test_message ("golden case %u: %s", n, json_object_get_string_member (description, "name"));
      g_assert_cmpuint (n_input, ==, ls_shape_get_size (&layer->input_shape));
      g_assert_cmpuint (n_grad_output, ==, ls_layer_get_outputs (layer));

      /* grad_input starts as NaN: the backward pass must overwrite all of it. */
      for (gsize i = 0; i < n_input; i++)
        grad_input[i] = NAN;
      ls_layer_forward (layer, input);
      golden_assert_floats ("output", layer->activation_output, n_grad_output, description, "output");
      ls_layer_backward (layer, input, grad_output, LS_BACKWARD_FROM_OUTPUT,
                         grad_input, grad_weights, grad_bias, work);

      golden_assert_floats ("grad_input", grad_input, n_input, description, "grad_input");
      if (ls_layer_has_parameters (layer))
        {
          golden_assert_floats ("grad_weights", grad_weights, ls_layer_get_n_weights (layer),
                                description, "grad_weights");
          golden_assert_floats ("grad_bias", grad_bias, ls_layer_get_n_biases (layer),
                                description, "grad_bias");
        }
    }
}

/* Contract of the arguments */

/* Runs one backward pass of a stack's only layer into fresh buffers,
 * dL/d output = c, after the forward pass. */
static void
backward_once (Stack       *stack,
               const float *c,
               float       *grad_input,
               float       *grad_weights,
               float       *grad_bias)
{
  LsLayer *layer = stack->layers[0];
  g_autofree float *work = g_new (float, ls_layer_get_backward_work_size (layer));

  stack_forward (stack);
  ls_layer_backward (layer, stack->input, c, LS_BACKWARD_FROM_OUTPUT,
                     grad_input, grad_weights, grad_bias, work);
}

/* Two backward passes into the same buffers add up the weight and bias
 * gradients, so that a batch sums over its samples, but grad_input holds
 * only the last pass. NULL gradients are skipped. */
static void
test_backward_accumulates (gconstpointer data)
{
  const GradientCase *gradient_case = data;
  Stack stack;
  gsize n_input, n_weights, n_bias, n_outputs;
  g_autofree float *c = NULL, *once_input = NULL, *once_weights = NULL, *once_bias = NULL;
  g_autofree float *twice_input = NULL, *twice_weights = NULL, *twice_bias = NULL, *skipped_weights = NULL;

  build_smooth_stack (gradient_case, &stack);
  n_input = ls_shape_get_size (&stack.input_shape);
  n_weights = ls_layer_get_n_weights (stack.layers[0]);
  n_bias = ls_layer_get_n_biases (stack.layers[0]);
  n_outputs = ls_layer_get_outputs (stack.layers[0]);
  c = g_new (float, n_outputs);
  for (gsize i = 0; i < n_outputs; i++)
    c[i] = (float) (i % 3) - 0.75f;
  once_input = g_new (float, n_input);
  once_weights = g_new0 (float, n_weights);
  once_bias = g_new0 (float, n_bias);
  twice_input = g_new (float, n_input);
  twice_weights = g_new0 (float, n_weights);
  twice_bias = g_new0 (float, n_bias);
  skipped_weights = g_new0 (float, n_weights);

  backward_once (&stack, c, once_input, once_weights, once_bias);
  backward_once (&stack, c, twice_input, twice_weights, twice_bias);
  backward_once (&stack, c, twice_input, twice_weights, twice_bias);
  backward_once (&stack, c, NULL, skipped_weights, NULL);
  backward_once (&stack, c, NULL, NULL, NULL);

  g_assert_cmpmem (twice_input, n_input * sizeof (float), once_input, n_input * sizeof (float));
  g_assert_cmpmem (skipped_weights, n_weights * sizeof (float), once_weights, n_weights * sizeof (float));
  /* A sum over tokens adds in another order the second time, so the
   * doubled sums agree to float rounding only. */
  for (gsize i = 0; i < n_weights; i++)
    g_assert_cmpfloat_with_epsilon (twice_weights[i], 2.0f * once_weights[i],
                                    1e-6 * (1.0 + fabsf (once_weights[i])));
  for (gsize i = 0; i < n_bias; i++)
    g_assert_cmpfloat_with_epsilon (twice_bias[i], 2.0f * once_bias[i],
                                    1e-6 * (1.0 + fabsf (once_bias[i])));

  stack_clear (&stack);
}

static const GradientCase accumulate_cases[] = {
  { "/backward/accumulate/dense", { 3, 4 }, build_dense_vector, LS_ACTIVATION_TANH },
  { "/backward/accumulate/conv2d", { 2, 7, 7 }, build_conv_stride_2, LS_ACTIVATION_SIGMOID },
};

/* With LS_BACKWARD_FROM_PRE_ACTIVATION and grad_output = p − onehot, a
 * dense softmax layer gives the gradient of the cross-entropy
 * −log p[label], which the finite differences here compute directly. */
static void
test_backward_softmax_cross_entropy (void)
{
  static const float input[5] = { 0.3f, -0.8f, 0.5f, 0.1f, -0.2f };
  LsInit init = { LS_INIT_XAVIER, 7 };
  g_autoptr(LsLayer) layer = ls_layer_new_dense (5, 4, LS_ACTIVATION_SOFTMAX, &init);
  float grad_pre[4], grad_input[5], grad_weights[20] = { 0 }, grad_bias[4] = { 0 };
  gsize label = 2;
  g_autofree float *work = g_new (float, ls_layer_get_backward_work_size (layer));

  for (gsize u = 0; u < 4; u++)
    layer->bias[u] = 0.2f * (float) u - 0.3f;
  ls_layer_forward (layer, input);
  for (gsize u = 0; u < 4; u++)
    grad_pre[u] = layer->activation_output[u] - (u == label ? 1.0f : 0.0f);
  ls_layer_backward (layer, input, grad_pre, LS_BACKWARD_FROM_PRE_ACTIVATION,
                     grad_input, grad_weights, grad_bias, work);

  for (gsize i = 0; i < 20 + 4; i++)
    {
      float *value = i < 20 ? &layer->weights[i] : &layer->bias[i - 20];
      float analytic = i < 20 ? grad_weights[i] : grad_bias[i - 20];
      float saved = *value;
      double up, down;

      *value = (float) (saved + FD_STEP);
      ls_layer_forward (layer, input);
      up = -log (layer->activation_output[label]);
      *value = (float) (saved - FD_STEP);
      ls_layer_forward (layer, input);
      down = -log (layer->activation_output[label]);
      *value = saved;

      g_assert_cmpfloat_with_epsilon (analytic, (up - down) / (2.0 * FD_STEP),
                                      FD_TOLERANCE * (1.0 + fabs ((up - down) / (2.0 * FD_STEP))));
    }
}

/* At x = 0, ReLU's derivative is 0 and leaky ReLU's is its slope, as
 * autograd gives for F.relu and F.leaky_relu in PyTorch 1.13. */
static void
test_backward_rectifier_at_zero (void)
{
  static const float input[3] = { -1.0f, 0.0f, 2.0f };
  static const float grad_output[3] = { 3.0f, 3.0f, 3.0f };
  float output[3], grad_input[3];

  ls_activation_apply (LS_ACTIVATION_RELU, output, input, 3);
  ls_activation_backward (LS_ACTIVATION_RELU, grad_input, grad_output, input, output, 3);
  g_assert_cmpfloat (grad_input[0], ==, 0.0f);
  g_assert_cmpfloat (grad_input[1], ==, 0.0f);
  g_assert_cmpfloat (grad_input[2], ==, 3.0f);

  ls_activation_apply (LS_ACTIVATION_LEAKY_RELU, output, input, 3);
  ls_activation_backward (LS_ACTIVATION_LEAKY_RELU, grad_input, grad_output, input, output, 3);
  g_assert_cmpfloat (grad_input[0], ==, 3.0f * LS_LEAKY_RELU_SLOPE);
  g_assert_cmpfloat (grad_input[1], ==, 3.0f * LS_LEAKY_RELU_SLOPE);
  g_assert_cmpfloat (grad_input[2], ==, 3.0f);
}

/* A max pooling window with NaNs passes its gradient to the last NaN,
 * as autograd does for F.max_pool2d on the CPU in PyTorch 1.13: on
 * [[1, NaN], [NaN, 2]] it gives [[0, 0], [1, 0]]. */
static void
test_backward_maxpool_nan (void)
{
  static const gsize size[2] = { 2, 2 };
  static const float input[4] = { 1.0f, NAN, NAN, 2.0f };
  static const float grad_output[1] = { 1.0f };
  float grad_input[4];
  Stack stack = { 0 };
  float *work;

  ls_shape_init_3d (&stack.input_shape, 1, 2, 2);
  add_pool2d (&stack, LS_LAYER_MAXPOOL2D, size, size);
  work = g_new (float, ls_layer_get_backward_work_size (stack.layers[0]));
  ls_layer_forward (stack.layers[0], input);
  ls_layer_backward (stack.layers[0], input, grad_output, LS_BACKWARD_FROM_OUTPUT,
                     grad_input, NULL, NULL, work);

  g_assert_cmpfloat (grad_input[0], ==, 0.0f);
  g_assert_cmpfloat (grad_input[1], ==, 0.0f);
  g_assert_cmpfloat (grad_input[2], ==, 1.0f);
  g_assert_cmpfloat (grad_input[3], ==, 0.0f);

  g_free (work);
  stack_clear (&stack);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (gradient_cases); i++)
    g_test_add_data_func (gradient_cases[i].path, &gradient_cases[i], test_backward_finite_differences);
  for (gsize i = 0; i < G_N_ELEMENTS (accumulate_cases); i++)
    g_test_add_data_func (accumulate_cases[i].path, &accumulate_cases[i], test_backward_accumulates);
  g_test_add_func ("/backward/softmax-cross-entropy", test_backward_softmax_cross_entropy);
  g_test_add_func ("/backward/activation/rectifier-at-zero", test_backward_rectifier_at_zero);
  g_test_add_func ("/backward/maxpool/nan", test_backward_maxpool_nan);
  g_test_add_func ("/backward/golden", test_backward_golden);

  return g_test_run ();
}
