#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the reference gradients of the token layers.

Output: tests/data/backward-sequence-golden.json. Each case fixes a layer,
an input x and a loss L = sum(grad_output * y) over the layer's output y,
so that grad_output is dL/dy. PyTorch's autograd, in float32, gives

  grad_input    dL/dx, in the layout of x;
  grad_weights  dL/d weights, in the engine's layout: attention [4][d][d]
                as wq, wk, wv, wo in the x·W form, layernorm [d] gamma,
                embedding [V][d];
  grad_bias     dL/d bias: attention [4][d] as bq, bk, bv, bo, layernorm
                [d] beta.

The layers and their conventions are those of tools/make-attention-golden.py,
whose helpers this script imports: torch.nn.MultiheadAttention with
in_proj_weight = [wqᵀ; wkᵀ; wvᵀ] and out_proj.weight = woᵀ, so the
gradient of wq is the transpose of the first d rows of the gradient of
in_proj_weight, and torch.nn.LayerNorm with its weight as gamma and its
bias as beta.

Every case is run a second time in float64, and the script stops with an
AssertionError if a float32 gradient differs from the float64 one by more
than TOLERANCE · max(1, |float64 value|).

The file contains

  attention  cases over heads 1, 2 and 4, T 1, 3 and 5, causal or not and
             residual or not;
  layernorm  cases on a vector [d] and on sequences [T][d], with random
             gamma and beta, a non-default eps and a token of zeros;
  blocks     embedding with a repeated token id, sinusoidal positions,
             attention with residual, layernorm and pool_tokens mean,
             with the gradients of the embedding table, the attention
             parameters, gamma and beta.

Rerun it from the top of the source tree with

    /usr/bin/python3 tools/make-backward-sequence-golden.py

where /usr/bin/python3 is a Python with PyTorch, such as Debian's with
python3-torch. Every random number comes from random.Random with a fixed
seed per case, so a rerun with the same PyTorch version writes the same
bytes.
"""

import importlib.util
import os
import random
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "..", "tests", "data", "backward-sequence-golden.json")

# Largest difference allowed between the float32 and float64 gradients,
# relative above 1 and absolute below.
TOLERANCE = 1e-5

# (seed, d, heads, T, causal, residual)
ATTENTION = [
    (501, 4, 1, 1, False, False),
    (502, 4, 1, 3, True, False),
    (503, 8, 2, 3, False, True),
    (504, 8, 2, 5, True, True),
    (505, 8, 4, 5, False, False),
    (506, 16, 4, 3, True, True),
]

# (seed, d, T or None for a vector [d], eps, index of a token of zeros or None)
LAYERNORM = [
    (511, 4, None, 1e-5, None),
    (512, 8, None, 1e-5, None),
    (513, 8, 3, 1e-5, None),
    (514, 6, 4, 1e-3, 2),
]

# (seed, vocabulary size, d, heads, causal, token ids)
BLOCKS = [
    (521, 7, 8, 2, False, [3, 1, 4, 1, 5]),
    (522, 5, 4, 1, True, [2, 0, 2]),
]


def load_forward_helpers():
    """Import tools/make-attention-golden.py, which a plain import cannot
    load because its file name contains hyphens."""
    path = os.path.join(HERE, "make-attention-golden.py")
    spec = importlib.util.spec_from_file_location("make_attention_golden", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


forward = load_forward_helpers()


def check(name, single, double):
    """Assert that a float32 gradient agrees with its float64 counterpart
    and return it as a float32 array."""
    single = single.detach().numpy().astype(np.float32)
    double = double.detach().numpy()
    assert single.shape == double.shape, (name, single.shape, double.shape)
    allowed = TOLERANCE * np.maximum(1.0, np.abs(double))
    difference = np.abs(single.astype(np.float64) - double)
    assert np.all(difference <= allowed), \
        f"{name}: float32 and float64 differ by {float(np.max(difference))}"
    return single


def attention_module(params, heads, dtype):
    """Return a torch.nn.MultiheadAttention with the x·W parameters in params."""
    d = params["wq"].shape[0]
    module = torch.nn.MultiheadAttention(d, heads, batch_first=True, dtype=dtype)
    in_weight = np.concatenate([params["wq"].T, params["wk"].T, params["wv"].T])
    in_bias = np.concatenate([params["bq"], params["bk"], params["bv"]])
    with torch.no_grad():
        module.in_proj_weight.copy_(torch.from_numpy(in_weight))
        module.in_proj_bias.copy_(torch.from_numpy(in_bias))
        module.out_proj.weight.copy_(torch.from_numpy(params["wo"].T.copy()))
        module.out_proj.bias.copy_(torch.from_numpy(params["bo"]))
    return module


def attend(module, x, causal, residual):
    """Run module as self-attention on x [T][d] and return y [T][d]."""
    tokens = x.shape[0]
    mask = None
    if causal:
        mask = torch.triu(torch.ones(tokens, tokens, dtype=torch.bool), diagonal=1)
    output, _ = module(x.unsqueeze(0), x.unsqueeze(0), x.unsqueeze(0), attn_mask=mask,
                       need_weights=False)
    return x + output[0] if residual else output[0]


def attention_gradients(module):
    """Return the gradients of module's parameters in the engine's layout,
    [4][d][d] and [4][d]."""
    d = module.embed_dim
    weight = module.in_proj_weight.grad
    bias = module.in_proj_bias.grad
    weights = [weight[m * d:(m + 1) * d].T for m in range(3)] + [module.out_proj.weight.grad.T]
    biases = [bias[m * d:(m + 1) * d] for m in range(3)] + [module.out_proj.bias.grad]
    return torch.stack(weights), torch.stack(biases)


def run_attention(x, params, heads, causal, residual, grad_output, dtype):
    """Return dL/dx, dL/d weights and dL/d bias of one attention layer."""
    module = attention_module(params, heads, dtype)
    x = torch.from_numpy(x).to(dtype).requires_grad_(True)
    y = attend(module, x, causal, residual)
    (y * torch.from_numpy(grad_output).to(dtype)).sum().backward()
    grad_weights, grad_bias = attention_gradients(module)
    return x.grad, grad_weights, grad_bias


def make_attention(seed, d, heads, tokens, causal, residual):
    name = (f"attention d={d} heads={heads} T={tokens}"
            f"{' causal' if causal else ''}{' residual' if residual else ''}")
    rng = random.Random(seed)
    x = forward.random_array(rng, [tokens, d], 1.0)
    params = forward.random_attention_params(rng, d)
    grad_output = forward.random_array(rng, [tokens, d], 1.0)

    single = run_attention(x, params, heads, causal, residual, grad_output, torch.float32)
    double = run_attention(x, params, heads, causal, residual, grad_output, torch.float64)
    grads = [check(f"{name} {part}", s, t)
             for part, s, t in zip(("grad_input", "grad_weights", "grad_bias"), single, double)]

    case = {"name": name, "seed": seed, "d": d, "heads": heads, "tokens": tokens,
            "causal": causal, "residual": residual, "x": forward.f32_nested(x)}
    case.update({key: forward.f32_nested(params[key])
                 for key in ("wq", "wk", "wv", "wo", "bq", "bk", "bv", "bo")})
    case["grad_output"] = forward.f32_nested(grad_output)
    for part, value in zip(("grad_input", "grad_weights", "grad_bias"), grads):
        case[part] = forward.f32_nested(value)
    return case


def run_layernorm(x, gamma, beta, eps, grad_output, dtype):
    """Return dL/dx, dL/d gamma and dL/d beta of one layer normalisation."""
    module = torch.nn.LayerNorm(gamma.shape[0], eps=eps, dtype=dtype)
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(gamma))
        module.bias.copy_(torch.from_numpy(beta))
    x = torch.from_numpy(x).to(dtype).requires_grad_(True)
    (module(x) * torch.from_numpy(grad_output).to(dtype)).sum().backward()
    return x.grad, module.weight.grad, module.bias.grad


def make_layernorm(seed, d, tokens, eps, zero_token):
    shape = [d] if tokens is None else [tokens, d]
    name = f"layernorm {'x'.join(str(n) for n in shape)} eps={eps}"
    rng = random.Random(seed)
    x = forward.random_array(rng, shape, 2.0)
    if zero_token is not None:
        # A constant token has variance 0, so its gradient is divided by
        # sqrt(eps) alone. Zeros keep the mean exact in float32.
        x[zero_token, :] = 0.0
        name += f" zero token {zero_token}"
    gamma = forward.random_array(rng, [d], 1.0) + np.float32(1.0)
    beta = forward.random_array(rng, [d], 0.5)
    grad_output = forward.random_array(rng, shape, 1.0)

    single = run_layernorm(x, gamma, beta, eps, grad_output, torch.float32)
    double = run_layernorm(x, gamma, beta, eps, grad_output, torch.float64)
    grads = [check(f"{name} {part}", s, t)
             for part, s, t in zip(("grad_input", "grad_weights", "grad_bias"), single, double)]

    case = {"name": name, "seed": seed, "d": d, "tokens": tokens if tokens is not None else 0,
            "eps": eps, "x": forward.f32_nested(x), "gamma": forward.f32_nested(gamma),
            "beta": forward.f32_nested(beta), "grad_output": forward.f32_nested(grad_output)}
    for part, value in zip(("grad_input", "grad_weights", "grad_bias"), grads):
        case[part] = forward.f32_nested(value)
    return case


def run_block(token_ids, table, params, heads, causal, gamma, beta, grad_output, dtype):
    """Return the gradients of the embedding table, the attention
    parameters, gamma and beta of a whole block."""
    tokens = len(token_ids)
    d = table.shape[1]
    embedding = torch.nn.Embedding(table.shape[0], d, dtype=dtype)
    with torch.no_grad():
        embedding.weight.copy_(torch.from_numpy(table))
    attention = attention_module(params, heads, dtype)
    norm = torch.nn.LayerNorm(d, eps=1e-5, dtype=dtype)
    with torch.no_grad():
        norm.weight.copy_(torch.from_numpy(gamma))
        norm.bias.copy_(torch.from_numpy(beta))

    # The engine adds the float32 encoding, so both runs use it.
    x = embedding(torch.tensor(token_ids)) + forward.torch_positional(d, tokens).to(dtype)
    pooled = norm(attend(attention, x, causal, True)).mean(dim=0)
    (pooled * torch.from_numpy(grad_output).to(dtype)).sum().backward()
    grad_weights, grad_bias = attention_gradients(attention)
    return embedding.weight.grad, grad_weights, grad_bias, norm.weight.grad, norm.bias.grad


def make_block(seed, vocabulary, d, heads, causal, token_ids):
    name = f"block V={vocabulary} d={d} heads={heads} T={len(token_ids)}"
    name += " causal" if causal else ""
    rng = random.Random(seed)
    table = forward.random_array(rng, [vocabulary, d], 1.0)
    params = forward.random_attention_params(rng, d)
    gamma = forward.random_array(rng, [d], 1.0) + np.float32(1.0)
    beta = forward.random_array(rng, [d], 0.5)
    grad_output = forward.random_array(rng, [d], 1.0)

    arguments = (token_ids, table, params, heads, causal, gamma, beta, grad_output)
    parts = ("grad_table", "grad_attention_weights", "grad_attention_bias",
             "grad_gamma", "grad_beta")
    single = run_block(*arguments, torch.float32)
    double = run_block(*arguments, torch.float64)
    grads = [check(f"{name} {part}", s, t) for part, s, t in zip(parts, single, double)]

    case = {"name": name, "seed": seed, "vocabulary": vocabulary, "d": d, "heads": heads,
            "causal": causal, "token_ids": token_ids, "table": forward.f32_nested(table)}
    case.update({key: forward.f32_nested(params[key])
                 for key in ("wq", "wk", "wv", "wo", "bq", "bk", "bv", "bo")})
    case.update({"gamma": forward.f32_nested(gamma), "beta": forward.f32_nested(beta),
                 "grad_output": forward.f32_nested(grad_output)})
    for part, value in zip(parts, grads):
        case[part] = forward.f32_nested(value)
    return case


def main():
    torch.set_num_threads(1)
    golden = {
        "generator": "tools/make-backward-sequence-golden.py",
        "torch_version": torch.__version__,
        "tolerance": TOLERANCE,
        "attention": [make_attention(*spec) for spec in ATTENTION],
        "layernorm": [make_layernorm(*spec) for spec in LAYERNORM],
        "blocks": [make_block(*spec) for spec in BLOCKS],
    }
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w", encoding="utf-8") as output:
        output.write(forward.to_json(golden) + "\n")
    print(f"wrote {os.path.relpath(OUTPUT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
