/* ls-code-pytorch.c: the PyTorch version of a network's script
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include "ls-code-private.h"
#include "ls-engine.h"

/* The modules a script defines because torch.nn has no exact match. */
typedef enum
{
  MODULE_RESIDUAL    = 1 << 0,
  MODULE_SOFTMAX_ALL = 1 << 1,
  MODULE_SINUSOIDAL  = 1 << 2,
  MODULE_LEARNED     = 1 << 3,
  MODULE_ATTENTION   = 1 << 4,
  MODULE_POOL_TOKENS = 1 << 5,
} Module;

static const struct
{
  Module module;
  const char *source;
} module_sources[] = {
  { MODULE_RESIDUAL,
    "class Residual(nn.Module):\n"
    "    \"\"\"Return x + f(x).\"\"\"\n"
    "\n"
    "    def __init__(self, f):\n"
    "        super().__init__()\n"
    "        self.f = f\n"
    "\n"
    "    def forward(self, x):\n"
    "        return x + self.f(x)\n" },
  { MODULE_SOFTMAX_ALL,
    "class SoftmaxAll(nn.Module):\n"
    "    \"\"\"Softmax over every value of the tensor, whatever its shape.\"\"\"\n"
    "\n"
    "    def forward(self, x):\n"
    "        return torch.softmax(x.reshape(-1), dim=0).reshape(x.shape)\n" },
  { MODULE_SINUSOIDAL,
    "class SinusoidalEncoding(nn.Module):\n"
    "    \"\"\"Add the encoding of \"Attention Is All You Need\" (Vaswani et al., 2017) to x [T][d].\"\"\"\n"
    "\n"
    "    def forward(self, x):\n"
    "        tokens, d = x.shape\n"
    "        position = torch.arange(tokens, dtype=torch.float64)[:, None]\n"
    "        j = torch.arange(d)[None, :]\n"
    "        angle = position / torch.pow(10000.0, (j - j % 2).double() / d)\n"
    "        table = torch.where(j % 2 == 0, torch.sin(angle), torch.cos(angle))\n"
    "        return x + table.float()\n" },
  { MODULE_LEARNED,
    "class LearnedPositions(nn.Module):\n"
    "    \"\"\"Add row t of a learned table to token t of x [T][d].\"\"\"\n"
    "\n"
    "    def __init__(self, max_tokens, d):\n"
    "        super().__init__()\n"
    "        self.table = nn.Embedding(max_tokens, d)\n"
    "\n"
    "    def forward(self, x):\n"
    "        return x + self.table(torch.arange(x.shape[0]))\n" },
  { MODULE_ATTENTION,
    "class SelfAttention(nn.Module):\n"
    "    \"\"\"Self-attention of x [T][d] with itself. When causal, token t attends to tokens 0 to t only.\"\"\"\n"
    "\n"
    "    def __init__(self, d, heads, causal):\n"
    "        super().__init__()\n"
    "        self.attention = nn.MultiheadAttention(d, heads, batch_first=True)\n"
    "        self.causal = causal\n"
    "\n"
    "    def forward(self, x):\n"
    "        tokens = x.shape[0]\n"
    "        mask = None\n"
    "        if self.causal:\n"
    "            mask = torch.triu(torch.ones(tokens, tokens, dtype=torch.bool), diagonal=1)\n"
    "        batch = x[None]\n"
    "        output, _ = self.attention(batch, batch, batch, attn_mask=mask, need_weights=False)\n"
    "        return output[0]\n" },
  { MODULE_POOL_TOKENS,
    "class PoolTokens(nn.Module):\n"
    "    \"\"\"Turn x [T][d] into one [d] vector: the mean of the rows, or row 0.\"\"\"\n"
    "\n"
    "    def __init__(self, mean):\n"
    "        super().__init__()\n"
    "        self.mean = mean\n"
    "\n"
    "    def forward(self, x):\n"
    "        return x.mean(dim=0) if self.mean else x[0]\n" },
};

static const char *const activation_modules[] = {
  [LS_ACTIVATION_IDENTITY]   = NULL,
  [LS_ACTIVATION_RELU]       = "nn.ReLU()",
  [LS_ACTIVATION_LEAKY_RELU] = "nn.LeakyReLU(0.01)",
  [LS_ACTIVATION_SIGMOID]    = "nn.Sigmoid()",
  [LS_ACTIVATION_TANH]       = "nn.Tanh()",
  [LS_ACTIVATION_GELU]       = "nn.GELU()",
  [LS_ACTIVATION_SOFTMAX]    = "nn.Softmax(dim=-1)",
};

G_STATIC_ASSERT (G_N_ELEMENTS (activation_modules) == LS_N_ACTIVATIONS);

static guint
get_modules (LsNetwork *network)
{
  guint modules = 0;

  for (gsize i = 0; i < ls_network_get_n_layers (network); i++)
    {
      const LsLayer *layer = ls_network_get_layer (network, i);

      if (layer->residual)
        modules |= MODULE_RESIDUAL;
      if (layer->activation == LS_ACTIVATION_SOFTMAX && layer->output_shape.rank == 3)
        modules |= MODULE_SOFTMAX_ALL;
      if (layer->kind == LS_LAYER_POSITIONAL)
        modules |= layer->encoding == LS_POSITIONAL_SINUSOIDAL ? MODULE_SINUSOIDAL : MODULE_LEARNED;
      else if (layer->kind == LS_LAYER_ATTENTION)
        modules |= MODULE_ATTENTION;
      else if (layer->kind == LS_LAYER_POOL_TOKENS)
        modules |= MODULE_POOL_TOKENS;
    }

  return modules;
}

/* Writes "load(parameter, values)  # shape comment". */
static void
append_load (GString     *out,
             const char  *parameter,
             const float *values,
             const gsize *dims,
             guint        rank,
             const char  *shape_comment)
{
  g_string_append_printf (out, "load(%s, ", parameter);
  ls_code_append_array (out, values, dims, rank, 0);
  g_string_append_printf (out, ")  # %s\n", shape_comment);
}

/* Writes "model.append(activation)", with softmax over every value of
 * an image. */
static void
append_activation (GString       *out,
                   const LsLayer *layer)
{
  if (layer->activation == LS_ACTIVATION_IDENTITY)
    return;

  if (layer->activation == LS_ACTIVATION_SOFTMAX && layer->output_shape.rank == 3)
    g_string_append (out, "model.append(SoftmaxAll())\n");
  else
    g_string_append_printf (out, "model.append(%s)\n", activation_modules[layer->activation]);
}

/* nn.Linear stores its weight as [units][inputs], the transpose of ours. */
static void
append_dense (GString       *out,
              const LsLayer *layer)
{
  gsize inputs = ls_layer_get_inputs (layer);

  if (layer->input_shape.rank == 3)
    g_string_append (out, "model.append(nn.Flatten(0))\n");

  g_string_append_printf (out, "linear = nn.Linear(%zu, %zu)\nload(linear.weight, ", inputs, layer->units);
  ls_code_append_transposed (out, layer->weights, inputs, layer->units, 0);
  g_string_append (out, ")  # [units][inputs]\n");
  append_load (out, "linear.bias", layer->bias, &layer->units, 1, "[units]");

  if (!layer->residual)
    {
      g_string_append (out, "model.append(linear)\n");
      append_activation (out, layer);
    }
  else if (layer->activation == LS_ACTIVATION_IDENTITY)
    g_string_append (out, "model.append(Residual(linear))\n");
  else
    g_string_append_printf (out, "model.append(Residual(nn.Sequential(linear, %s)))\n",
                            activation_modules[layer->activation]);
}

/* nn.Conv2d pads both sides alike, so an asymmetric "same" padding
 * becomes an nn.ZeroPad2d before an unpadded convolution. */
static void
append_conv2d (GString       *out,
               const LsLayer *layer)
{
  const LsWindow *window = &layer->window;
  gsize channels = layer->input_shape.dims[0];
  gsize weight_dims[4] = { layer->units, channels, window->kernel[0], window->kernel[1] };
  gboolean symmetric = window->padding[0] == window->padding_after[0] &&
                       window->padding[1] == window->padding_after[1];

  if (!symmetric)
    g_string_append_printf (out, "model.append(nn.ZeroPad2d((%zu, %zu, %zu, %zu)))  "
                                 "# left, right, top, bottom\n",
                            window->padding[1], window->padding_after[1],
                            window->padding[0], window->padding_after[0]);

  g_string_append_printf (out, "conv = nn.Conv2d(%zu, %zu, kernel_size=(%zu, %zu), "
                               "stride=(%zu, %zu), padding=(%zu, %zu))\n",
                          channels, layer->units, window->kernel[0], window->kernel[1],
                          window->stride[0], window->stride[1],
                          symmetric ? window->padding[0] : 0, symmetric ? window->padding[1] : 0);
  append_load (out, "conv.weight", layer->weights, weight_dims, 4, "[filters][channels][kh][kw]");
  append_load (out, "conv.bias", layer->bias, &layer->units, 1, "[filters]");
  g_string_append (out, "model.append(conv)\n");
  append_activation (out, layer);
}

static void
append_pool2d (GString       *out,
               const LsLayer *layer)
{
  const LsWindow *window = &layer->window;

  g_string_append_printf (out, "model.append(nn.%s(kernel_size=(%zu, %zu), stride=(%zu, %zu)))\n",
                          layer->kind == LS_LAYER_MAXPOOL2D ? "MaxPool2d" : "AvgPool2d",
                          window->kernel[0], window->kernel[1],
                          window->stride[0], window->stride[1]);
  append_activation (out, layer);
}

/* nn.MultiheadAttention stores wq, wk and wv as one [3d][d] matrix, each
 * transposed, and wo transposed in out_proj. */
static void
append_attention (GString       *out,
                  const LsLayer *layer)
{
  gsize d = layer->units;
  gsize projection_dims[2] = { 3 * d, d };
  gsize bias_size = 3 * d;
  g_autofree float *projection = g_new (float, 3 * d * d);  /* [3][d][d], each Wᵀ */

  for (guint m = LS_ATTENTION_QUERY; m <= LS_ATTENTION_VALUE; m++)
    {
      const float *matrix = ls_layer_get_attention_matrix (layer, m);  /* [d][d] */

      for (gsize r = 0; r < d; r++)
        for (gsize c = 0; c < d; c++)
          projection[(m * d + c) * d + r] = matrix[r * d + c];
    }

  g_string_append_printf (out, "attention = SelfAttention(%zu, heads=%zu, causal=%s)\n",
                          d, layer->heads, layer->causal ? "True" : "False");
  append_load (out, "attention.attention.in_proj_weight", projection, projection_dims, 2,
               "[wqᵀ; wkᵀ; wvᵀ]");
  append_load (out, "attention.attention.in_proj_bias", layer->bias, &bias_size, 1, "[bq; bk; bv]");
  g_string_append (out, "load(attention.attention.out_proj.weight, ");
  ls_code_append_transposed (out, ls_layer_get_attention_matrix (layer, LS_ATTENTION_OUTPUT), d, d, 0);
  g_string_append (out, ")  # woᵀ\n");
  append_load (out, "attention.attention.out_proj.bias",
               ls_layer_get_attention_bias (layer, LS_ATTENTION_OUTPUT), &d, 1, "bo");
  g_string_append (out, layer->residual ? "model.append(Residual(attention))\n"
                                        : "model.append(attention)\n");
}

static void
append_token_layer (GString       *out,
                    const LsLayer *layer)
{
  gsize d = layer->units;
  gsize table_dims[2] = { layer->rows, d };

  switch (layer->kind)
    {
    case LS_LAYER_EMBEDDING:
      g_string_append_printf (out, "embedding = nn.Embedding(%zu, %zu)\n", layer->rows, d);
      append_load (out, "embedding.weight", layer->weights, table_dims, 2, "[vocabulary][d]");
      g_string_append (out, "model.append(embedding)\n");
      break;
    case LS_LAYER_POSITIONAL:
      if (layer->encoding == LS_POSITIONAL_SINUSOIDAL)
        {
          g_string_append (out, "model.append(SinusoidalEncoding())\n");
          break;
        }
      g_string_append_printf (out, "positions = LearnedPositions(%zu, %zu)\n", layer->rows, d);
      append_load (out, "positions.table.weight", layer->weights, table_dims, 2, "[max_tokens][d]");
      g_string_append (out, "model.append(positions)\n");
      break;
    case LS_LAYER_ATTENTION:
      append_attention (out, layer);
      break;
    case LS_LAYER_LAYERNORM:
      g_string_append_printf (out, "norm = nn.LayerNorm(%zu, eps=", d);
      ls_code_append_float (out, layer->eps);
      g_string_append (out, ")\n");
      append_load (out, "norm.weight", layer->weights, &d, 1, "gamma [d]");
      append_load (out, "norm.bias", layer->bias, &d, 1, "beta [d]");
      g_string_append (out, "model.append(norm)\n");
      break;
    case LS_LAYER_POOL_TOKENS:
      g_string_append_printf (out, "model.append(PoolTokens(mean=%s))\n",
                              layer->pooling == LS_TOKEN_POOLING_MEAN ? "True" : "False");
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
      append_dense (out, layer);
      break;
    case LS_LAYER_CONV2D:
      append_conv2d (out, layer);
      break;
    case LS_LAYER_MAXPOOL2D:
    case LS_LAYER_AVGPOOL2D:
      append_pool2d (out, layer);
      break;
    case LS_LAYER_FLATTEN:
      g_string_append (out, "model.append(nn.Flatten(0))\n");
      append_activation (out, layer);
      break;
    default:
      append_token_layer (out, layer);
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
      g_string_append (out, "x = torch.tensor(token_ids, dtype=torch.long)\n");
      return;
    }

  g_string_append (out, "\n# Input, shape ");
  ls_code_append_shape (out, shape);
  g_string_append (out, "\nx = torch.tensor(");
  ls_code_append_array (out, ls_network_get_input (network), &size, 1, 0);
  g_string_append (out, ", dtype=torch.float32).reshape(");
  ls_code_append_shape (out, shape);
  g_string_append (out, ")\n");
}

static void
append_preamble (GString   *out,
                 LsNetwork *network)
{
  guint modules = get_modules (network);
  const char *title = ls_network_get_title (network);

  g_string_append (out, "#!/usr/bin/env python3\n# ");
  ls_code_append_string_literal (out, title != NULL ? title : "");
  g_string_append (out, ", a network from Layerscope, rebuilt with PyTorch.\n"
                        "# Run: python3 network.py (needs torch)\n\n"
                        "import torch\nfrom torch import nn\n");

  for (gsize i = 0; i < G_N_ELEMENTS (module_sources); i++)
    if (modules & module_sources[i].module)
      g_string_append_printf (out, "\n\n%s", module_sources[i].source);

  g_string_append (out, "\n\n"
                        "def load(parameter, values):\n"
                        "    \"\"\"Copy values into a parameter of the model.\"\"\"\n"
                        "    with torch.no_grad():\n"
                        "        parameter.copy_(torch.tensor(values, dtype=torch.float32))\n");
}

void
ls_code_write_pytorch (GString   *out,
                       LsNetwork *network)
{
  append_preamble (out, network);

  g_string_append (out, "\n\nmodel = nn.Sequential()\n");
  for (gsize i = 0; i < ls_network_get_n_layers (network); i++)
    append_layer (out, network, i);
  g_string_append (out, "\nmodel.eval()\n");

  append_input (out, network);
  g_string_append (out, "\n# Outputs, and the prediction from them\n"
                        "with torch.no_grad():\n"
                        "    output = model(x).reshape(-1)\n");
  ls_code_append_labels (out, network);
  ls_code_append_prediction (out, network, "output.tolist()", "torch.argmax(output)");
}
