/* ls-code-numpy.c: the NumPy version of a network's script
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include "ls-code-private.h"
#include "ls-engine.h"

/* The helper functions a script defines, only those its layers use. */
typedef enum
{
  HELPER_RELU        = 1 << LS_ACTIVATION_RELU,
  HELPER_LEAKY_RELU  = 1 << LS_ACTIVATION_LEAKY_RELU,
  HELPER_SIGMOID     = 1 << LS_ACTIVATION_SIGMOID,
  HELPER_TANH        = 1 << LS_ACTIVATION_TANH,
  HELPER_GELU        = 1 << LS_ACTIVATION_GELU,
  HELPER_SOFTMAX     = 1 << LS_ACTIVATION_SOFTMAX,
  HELPER_CONV2D      = 1 << 8,
  HELPER_POOL2D      = 1 << 9,
  HELPER_SINUSOIDAL  = 1 << 10,
  HELPER_ATTENTION   = 1 << 11,
  HELPER_LAYER_NORM  = 1 << 12,
} Helper;

static const char *const helper_sources[] = {
  "def relu(x):\n"
  "    return np.maximum(x, np.float32(0))\n",

  "def leaky_relu(x):\n"
  "    return np.where(x > 0, x, np.float32(0.01) * x)\n",

  "def sigmoid(x):\n"
  "    return np.float32(1) / (np.float32(1) + np.exp(-x))\n",

  "def tanh(x):\n"
  "    return np.tanh(x)\n",

  "def gelu(x):\n"
  "    \"\"\"Return x·Φ(x) with the exact error function, as torch.nn.GELU.\"\"\"\n"
  "    erf = np.vectorize(math.erf)\n"
  "    return (0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))).astype(np.float32)\n",

  "def softmax(x):\n"
  "    \"\"\"Softmax over the last axis, shifted by the maximum so that exp() cannot overflow.\"\"\"\n"
  "    e = np.exp(x - np.max(x, axis=-1, keepdims=True))\n"
  "    return e / np.sum(e, axis=-1, keepdims=True)\n",

  "def conv2d(x, weight, bias, stride, padding):\n"
  "    \"\"\"Convolve x [C][H][W] with weight [F][C][kh][kw], as torch.nn.Conv2d.\n"
  "\n"
  "    padding is (top, bottom, left, right), in zeros.\n"
  "    \"\"\"\n"
  "    top, bottom, left, right = padding\n"
  "    x = np.pad(x, ((0, 0), (top, bottom), (left, right)))\n"
  "    filters, channels, kh, kw = weight.shape\n"
  "    oh = (x.shape[1] - kh) // stride[0] + 1\n"
  "    ow = (x.shape[2] - kw) // stride[1] + 1\n"
  "    out = np.empty((filters, oh, ow), dtype=np.float32)\n"
  "    for i in range(oh):\n"
  "        for j in range(ow):\n"
  "            y0, x0 = i * stride[0], j * stride[1]\n"
  "            patch = x[:, y0:y0 + kh, x0:x0 + kw]\n"
  "            out[:, i, j] = np.tensordot(weight, patch, axes=3) + bias\n"
  "    return out\n",

  "def pool2d(x, kernel, stride, reduce):\n"
  "    \"\"\"Apply reduce (np.max or np.mean) to each window of each channel, without padding.\"\"\"\n"
  "    channels, h, w = x.shape\n"
  "    oh = (h - kernel[0]) // stride[0] + 1\n"
  "    ow = (w - kernel[1]) // stride[1] + 1\n"
  "    out = np.empty((channels, oh, ow), dtype=np.float32)\n"
  "    for i in range(oh):\n"
  "        for j in range(ow):\n"
  "            y0, x0 = i * stride[0], j * stride[1]\n"
  "            out[:, i, j] = reduce(x[:, y0:y0 + kernel[0], x0:x0 + kernel[1]], axis=(1, 2))\n"
  "    return out\n",

  "def sinusoidal_encoding(tokens, d):\n"
  "    \"\"\"Return the [tokens][d] encoding of \"Attention Is All You Need\" (Vaswani et al., 2017).\"\"\"\n"
  "    position = np.arange(tokens, dtype=np.float64)[:, None]\n"
  "    j = np.arange(d)[None, :]\n"
  "    angle = position / np.power(10000.0, (j - j % 2) / d)\n"
  "    return np.where(j % 2 == 0, np.sin(angle), np.cos(angle)).astype(np.float32)\n",

  "def self_attention(x, weight, bias, heads, causal):\n"
  "    \"\"\"Multi-head self-attention, as torch.nn.MultiheadAttention.\n"
  "\n"
  "    x is [T][d]. weight [4][d][d] holds wq, wk, wv and wo in x @ W form,\n"
  "    bias [4][d] holds bq, bk, bv and bo. Each head attends on its slice of\n"
  "    d / heads columns. When causal, token t attends to tokens 0 to t only.\n"
  "    \"\"\"\n"
  "    tokens, d = x.shape\n"
  "    dh = d // heads\n"
  "    q, k, v = (x @ weight[m] + bias[m] for m in range(3))\n"
  "    context = np.empty_like(x)\n"
  "    for h in range(heads):\n"
  "        columns = slice(h * dh, (h + 1) * dh)\n"
  "        scores = q[:, columns] @ k[:, columns].T / np.float32(math.sqrt(dh))\n"
  "        if causal:\n"
  "            future = np.triu(np.ones((tokens, tokens), dtype=bool), k=1)\n"
  "            scores = np.where(future, -np.inf, scores)\n"
  "        context[:, columns] = softmax(scores) @ v[:, columns]\n"
  "    return context @ weight[3] + bias[3]\n",

  "def layer_norm(x, gamma, beta, eps):\n"
  "    \"\"\"Normalise the last axis with the biased variance, as torch.nn.LayerNorm.\"\"\"\n"
  "    x64 = x.astype(np.float64)\n"
  "    mean = x64.mean(axis=-1, keepdims=True)\n"
  "    variance = ((x64 - mean) ** 2).mean(axis=-1, keepdims=True)\n"
  "    normalised = ((x64 - mean) / np.sqrt(variance + eps)).astype(np.float32)\n"
  "    return normalised * gamma + beta\n",
};

/* The helper_sources index of each Helper bit. */
static const Helper helper_order[] = {
  HELPER_RELU, HELPER_LEAKY_RELU, HELPER_SIGMOID, HELPER_TANH, HELPER_GELU, HELPER_SOFTMAX,
  HELPER_CONV2D, HELPER_POOL2D, HELPER_SINUSOIDAL, HELPER_ATTENTION, HELPER_LAYER_NORM,
};

G_STATIC_ASSERT (G_N_ELEMENTS (helper_sources) == G_N_ELEMENTS (helper_order));

static guint
get_helpers (LsNetwork *network)
{
  guint helpers = 0;

  for (gsize i = 0; i < ls_network_get_n_layers (network); i++)
    {
      const LsLayer *layer = ls_network_get_layer (network, i);

      if (layer->activation != LS_ACTIVATION_IDENTITY)
        helpers |= 1u << layer->activation;
      if (layer->kind == LS_LAYER_CONV2D)
        helpers |= HELPER_CONV2D;
      else if (layer->kind == LS_LAYER_MAXPOOL2D || layer->kind == LS_LAYER_AVGPOOL2D)
        helpers |= HELPER_POOL2D;
      else if (layer->kind == LS_LAYER_POSITIONAL && layer->encoding == LS_POSITIONAL_SINUSOIDAL)
        helpers |= HELPER_SINUSOIDAL;
      else if (layer->kind == LS_LAYER_ATTENTION)
        helpers |= HELPER_ATTENTION | HELPER_SOFTMAX;
      else if (layer->kind == LS_LAYER_LAYERNORM)
        helpers |= HELPER_LAYER_NORM;
    }

  return helpers;
}

/* Writes "name = np.array(...)  # shape comment". */
static void
append_constant (GString     *out,
                 const char  *name,
                 gsize        index,
                 const float *values,
                 const gsize *dims,
                 guint        rank,
                 const char  *shape_comment)
{
  g_string_append_printf (out, "%s%zu = np.array(", name, index + 1);
  ls_code_append_array (out, values, dims, rank, 0);
  g_string_append_printf (out, ", dtype=np.float32)  # %s\n", shape_comment);
}

/* Writes "x = act(x)", with softmax over every value of an image. */
static void
append_activation (GString        *out,
                   const LsLayer  *layer)
{
  const char *name = ls_activation_get_name (layer->activation);

  if (layer->activation == LS_ACTIVATION_IDENTITY)
    return;

  if (layer->activation == LS_ACTIVATION_SOFTMAX && layer->output_shape.rank == 3)
    g_string_append (out, "x = softmax(x.reshape(-1)).reshape(x.shape)\n");
  else
    g_string_append_printf (out, "x = %s(x)\n", name);
}

static void
append_dense (GString       *out,
              const LsLayer *layer,
              gsize          index)
{
  gsize inputs = ls_layer_get_inputs (layer);
  gsize weight_dims[2] = { inputs, layer->units };
  const char *name = ls_activation_get_name (layer->activation);
  gboolean plain = layer->activation == LS_ACTIVATION_IDENTITY;

  append_constant (out, "w", index, layer->weights, weight_dims, 2, "[inputs][units]");
  append_constant (out, "b", index, layer->bias, &layer->units, 1, "[units]");
  if (layer->input_shape.rank == 3)
    g_string_append (out, "x = x.reshape(-1)\n");

  g_string_append_printf (out, "x = %s%s%sx @ w%zu + b%zu%s\n",
                          layer->residual ? "x + " : "",
                          plain ? "" : name, plain ? "" : "(",
                          index + 1, index + 1, plain ? "" : ")");
}

static void
append_conv2d (GString       *out,
               const LsLayer *layer,
               gsize          index)
{
  const LsWindow *window = &layer->window;
  gsize weight_dims[4] = { layer->units, layer->input_shape.dims[0],
                           window->kernel[0], window->kernel[1] };

  append_constant (out, "w", index, layer->weights, weight_dims, 4,
                   "[filters][channels][kh][kw]");
  append_constant (out, "b", index, layer->bias, &layer->units, 1, "[filters]");
  g_string_append_printf (out,
                          "x = conv2d(x, w%zu, b%zu, stride=(%zu, %zu), padding=(%zu, %zu, %zu, %zu))\n",
                          index + 1, index + 1, window->stride[0], window->stride[1],
                          window->padding[0], window->padding_after[0],
                          window->padding[1], window->padding_after[1]);
  append_activation (out, layer);
}

static void
append_pool2d (GString       *out,
               const LsLayer *layer)
{
  const LsWindow *window = &layer->window;

  g_string_append_printf (out, "x = pool2d(x, kernel=(%zu, %zu), stride=(%zu, %zu), reduce=%s)\n",
                          window->kernel[0], window->kernel[1],
                          window->stride[0], window->stride[1],
                          layer->kind == LS_LAYER_MAXPOOL2D ? "np.max" : "np.mean");
  append_activation (out, layer);
}

static void
append_token_layer (GString       *out,
                    const LsLayer *layer,
                    gsize          index)
{
  gsize d = layer->units;
  gsize table_dims[2] = { layer->rows, d };
  gsize attention_dims[3] = { LS_N_ATTENTION_MATRICES, d, d };
  gsize bias_dims[2] = { LS_N_ATTENTION_MATRICES, d };

  switch (layer->kind)
    {
    case LS_LAYER_EMBEDDING:
      append_constant (out, "table", index, layer->weights, table_dims, 2, "[vocabulary][d]");
      g_string_append_printf (out, "x = table%zu[token_ids]\n", index + 1);
      break;
    case LS_LAYER_POSITIONAL:
      if (layer->encoding == LS_POSITIONAL_SINUSOIDAL)
        {
          g_string_append (out, "x = x + sinusoidal_encoding(*x.shape)\n");
          break;
        }
      append_constant (out, "table", index, layer->weights, table_dims, 2, "[max_tokens][d]");
      g_string_append_printf (out, "x = x + table%zu[:len(x)]\n", index + 1);
      break;
    case LS_LAYER_ATTENTION:
      append_constant (out, "w", index, layer->weights, attention_dims, 3, "[wq, wk, wv, wo][d][d]");
      append_constant (out, "b", index, layer->bias, bias_dims, 2, "[bq, bk, bv, bo][d]");
      g_string_append_printf (out, "x = %sself_attention(x, w%zu, b%zu, heads=%zu, causal=%s)\n",
                              layer->residual ? "x + " : "", index + 1, index + 1,
                              layer->heads, layer->causal ? "True" : "False");
      break;
    case LS_LAYER_LAYERNORM:
      append_constant (out, "gamma", index, layer->weights, &d, 1, "[d]");
      append_constant (out, "beta", index, layer->bias, &d, 1, "[d]");
      g_string_append_printf (out, "x = layer_norm(x, gamma%zu, beta%zu, eps=", index + 1, index + 1);
      ls_code_append_float (out, layer->eps);
      g_string_append (out, ")\n");
      break;
    case LS_LAYER_POOL_TOKENS:
      g_string_append (out, layer->pooling == LS_TOKEN_POOLING_MEAN ? "x = x.mean(axis=0)\n"
                                                                    : "x = x[0]\n");
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
append_layer (GString   *out,
              LsNetwork *network,
              gsize      index)
{
  const LsLayer *layer = ls_network_get_layer (network, index);

  ls_code_append_layer_heading (out, network, index);
  switch (layer->kind)
    {
    case LS_LAYER_DENSE:
      append_dense (out, layer, index);
      break;
    case LS_LAYER_CONV2D:
      append_conv2d (out, layer, index);
      break;
    case LS_LAYER_MAXPOOL2D:
    case LS_LAYER_AVGPOOL2D:
      append_pool2d (out, layer);
      break;
    case LS_LAYER_FLATTEN:
      g_string_append (out, "x = x.reshape(-1)\n");
      append_activation (out, layer);
      break;
    default:
      append_token_layer (out, layer, index);
    }
}

static void
append_input (GString   *out,
              LsNetwork *network)
{
  const LsShape *shape = ls_network_get_input_shape (network);
  gsize size = ls_network_get_input_size (network);

  if (ls_network_has_token_input (network))
    {
      g_string_append (out, "\n# Input: the token ids of the text\n");
      ls_code_append_token_ids (out, network);
      return;
    }

  g_string_append (out, "\n# Input, shape ");
  ls_code_append_shape (out, shape);
  g_string_append (out, "\nx = np.array(");
  ls_code_append_array (out, ls_network_get_input (network), &size, 1, 0);
  g_string_append (out, ", dtype=np.float32).reshape(");
  ls_code_append_shape (out, shape);
  g_string_append (out, ")\n");
}

void
ls_code_write_numpy (GString   *out,
                     LsNetwork *network)
{
  guint helpers = get_helpers (network);
  const char *title = ls_network_get_title (network);

  g_string_append (out, "#!/usr/bin/env python3\n# ");
  ls_code_append_string_literal (out, title != NULL ? title : "");
  g_string_append (out, ", a network from Layerscope, rebuilt with NumPy.\n"
                        "# Run: python3 network.py (needs numpy)\n\n");
  if (helpers & (HELPER_GELU | HELPER_ATTENTION))
    g_string_append (out, "import math\n\n");
  g_string_append (out, "import numpy as np\n");

  for (gsize i = 0; i < G_N_ELEMENTS (helper_order); i++)
    if (helpers & helper_order[i])
      g_string_append_printf (out, "\n\n%s", helper_sources[i]);

  g_string_append_c (out, '\n');
  append_input (out, network);
  for (gsize i = 0; i < ls_network_get_n_layers (network); i++)
    append_layer (out, network, i);

  g_string_append (out, "\n# Outputs, and the prediction from them\n"
                        "output = x.reshape(-1)\n");
  ls_code_append_labels (out, network);
  ls_code_append_prediction (out, network, "output", "np.argmax(output)");
}
