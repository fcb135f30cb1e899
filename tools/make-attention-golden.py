#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the reference values for the token and transformer layers.

Output: tests/data/attention-golden.json. Every value is float32, computed
by PyTorch and checked against the NumPy float32 implementation below,
which states the conventions exactly. The script stops with an
AssertionError if any stored value differs from NumPy's by more than
TOLERANCE (1e-6, absolute).

Conventions:

  token sequence  a [T][d] matrix with one row per token.
  embedding       a table [V][d]. Token id n selects row n, so a list of
                  T ids gives a [T][d] sequence (torch.nn.Embedding).
  positional      "sinusoidal" as in Vaswani et al., "Attention Is All You
                  Need" (2017): PE[pos][j] = sin(pos / 10000^(2i/d)) for
                  j = 2i and cos(pos / 10000^(2i/d)) for j = 2i + 1,
                  computed in float64, rounded to float32 and added to
                  the embedded sequence in float32.
  attention       multi-head self-attention in the x·W convention:
                  q = x·wq + bq, k = x·wk + bk, v = x·wv + bv with wq, wk,
                  wv, wo [d][d] and bq, bk, bv, bo [d]. Head j of h uses
                  columns j·d/h to (j+1)·d/h - 1 of q, k and v, as
                  torch.nn.MultiheadAttention does. Its weights are
                  softmax(q_j·k_jᵀ / sqrt(d/h)) over the keys, [T][T] with
                  one row per query, and its output is weights·v_j. The
                  head outputs, concatenated in head order, give context
                  [T][d], and attention_output = context·wo + bo. With a
                  causal mask, query t attends only to keys 0..t, because scores
                  above the diagonal are -inf before the softmax. With
                  residual, output = x + attention_output; otherwise output
                  = attention_output. In torch terms in_proj_weight is
                  [wqᵀ; wkᵀ; wvᵀ], in_proj_bias is [bq; bk; bv] and
                  out_proj is (woᵀ, bo).
  layernorm       per token: (x - mean) / sqrt(var + eps) · gamma + beta,
                  with the biased variance (divided by d) as
                  torch.nn.LayerNorm computes it; eps defaults to 1e-5.
  dense           per token: x·W + b with W [d_in][d_out], the transpose
                  of torch.nn.Linear.weight, then the activation on each
                  token's row ("softmax" normalises each row). With
                  residual (d_in = d_out), output = x + activation output.
  pool_tokens     "mean" averages the rows into one [d] vector and "first"
                  returns row 0.

The file contains

  positional   sinusoidal tables [T][d] for several d, including an odd d;
  attention    cases over heads 1, 2 and 4, d 4, 8 and 16, T 1, 3 and 7,
               causal or not and residual or not. Each stores x, wq, wk,
               wv, wo, bq, bk, bv, bo, query, key, value and context [T][d],
               attention_weights [h][T][T], attention_output and output;
  layernorm    cases with random gamma and beta, a non-default eps and
               a token whose values are all equal (variance 0);
  dense        per-token dense layers with and without residual;
  pool_tokens  mean and first pooling;
  blocks       whole small models: embedding, sinusoidal positions,
               attention with residual, layernorm, dense relu per token,
               pool_tokens mean and dense softmax, with the output of
               every step.

Rerun it from the top of the source tree with

    /usr/bin/python3 tools/make-attention-golden.py

where /usr/bin/python3 is a Python with PyTorch, such as Debian's with
python3-torch. The tests need neither. Every random number comes from
random.Random with a fixed seed per case, so the output is the same on
every run with the same PyTorch version. Floats are written with the
fewest digits that read back as the same float32.
"""

import json
import math
import os
import random
import sys

import numpy as np
import torch
import torch.nn.functional as F

OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "..", "tests", "data", "attention-golden.json")

# Largest absolute difference allowed between PyTorch and NumPy.
TOLERANCE = 1e-6

# (d, T)
POSITIONAL = [(4, 7), (8, 7), (16, 7), (5, 3)]

# (seed, d, heads, T, causal, residual)
ATTENTION = [
    (301, 4, 1, 1, False, False),
    (302, 4, 1, 3, True, True),
    (303, 4, 2, 3, False, True),
    (304, 4, 4, 7, True, False),
    (305, 8, 1, 7, True, True),
    (306, 8, 2, 7, False, False),
    (307, 8, 2, 7, True, True),
    (308, 8, 4, 3, False, True),
    (309, 8, 4, 1, True, False),
    (310, 16, 1, 3, False, False),
    (311, 16, 2, 1, True, True),
    (312, 16, 4, 7, True, False),
    (313, 16, 4, 7, False, True),
    (314, 16, 2, 3, True, False),
]

# (seed, d, T, eps, index of a token made constant or None)
LAYERNORM = [
    (321, 4, 1, 1e-5, None),
    (322, 8, 3, 1e-5, None),
    (323, 16, 7, 1e-5, 2),
    (324, 8, 3, 1e-3, 1),
]

# (seed, d_in, d_out, T, activation, residual)
DENSE = [
    (331, 4, 6, 3, "identity", False),
    (332, 8, 8, 7, "relu", True),
    (333, 8, 3, 3, "softmax", False),
    (334, 16, 4, 1, "tanh", False),
    (335, 4, 4, 3, "gelu", True),
]

# (seed, d, T, mode)
POOL_TOKENS = [
    (341, 4, 3, "mean"),
    (342, 8, 7, "mean"),
    (343, 8, 7, "first"),
    (344, 4, 1, "mean"),
]

# (seed, vocabulary size, d, heads, causal, dense units, classes, token ids)
BLOCKS = [
    (351, 10, 8, 2, False, 12, 3, [3, 1, 4, 1, 5]),
    (352, 6, 4, 1, True, 6, 2, [0, 5, 2, 2]),
]


def f32(value):
    """Round to float32 and return the shortest decimal that reads back to it."""
    return float(str(np.float32(value)))


def f32_nested(array):
    """Return an array's values as nested lists of shortest float32 decimals."""
    array = np.asarray(array, dtype=np.float32)
    if array.ndim > 1:
        return [f32_nested(row) for row in array]
    return [f32(v) for v in array]


def random_array(rng, shape, scale):
    """Return a float32 array of uniform values in ±scale, drawn in row-major order."""
    count = math.prod(shape)
    values = [rng.uniform(-scale, scale) for _ in range(count)]
    return np.array(values, dtype=np.float32).reshape(shape)


def check(name, reference, ours):
    """Assert that the PyTorch result and the NumPy result agree."""
    reference = np.asarray(reference.detach().numpy() if torch.is_tensor(reference)
                           else reference, dtype=np.float32)
    ours = np.asarray(ours, dtype=np.float32)
    assert reference.shape == ours.shape, (name, reference.shape, ours.shape)
    assert np.array_equal(np.isinf(reference), np.isinf(ours)), name
    difference = float(np.max(np.abs(reference - ours), initial=0.0))
    assert difference <= TOLERANCE, f"{name}: PyTorch and NumPy differ by {difference}"
    return reference


# NumPy float32 implementation of the conventions in the docstring.

def np_positional(d, length):
    """Return the sinusoidal table [length][d], computed in float64 and rounded to float32."""
    table = np.zeros((length, d), dtype=np.float64)
    for pos in range(length):
        for j in range(d):
            angle = pos / 10000.0 ** (2 * (j // 2) / d)
            table[pos, j] = math.sin(angle) if j % 2 == 0 else math.cos(angle)
    return table.astype(np.float32)


def np_softmax_rows(x):
    shifted = x - np.max(x, axis=-1, keepdims=True)
    exponentials = np.exp(shifted)
    return exponentials / np.sum(exponentials, axis=-1, keepdims=True)


def np_attention(x, params, heads, causal, residual):
    """Return a dict with query, key, value, attention_weights [h][T][T],
    context, attention_output and output."""
    tokens, d = x.shape
    head_size = d // heads
    query = x @ params["wq"] + params["bq"]
    key = x @ params["wk"] + params["bk"]
    value = x @ params["wv"] + params["bv"]
    scale = np.float32(1.0 / math.sqrt(head_size))

    weights = np.zeros((heads, tokens, tokens), dtype=np.float32)
    context = np.zeros((tokens, d), dtype=np.float32)
    for head in range(heads):
        columns = slice(head * head_size, (head + 1) * head_size)
        scores = (query[:, columns] @ key[:, columns].T) * scale
        if causal:
            scores[np.triu_indices(tokens, k=1)] = -np.inf
        weights[head] = np_softmax_rows(scores)
        context[:, columns] = weights[head] @ value[:, columns]

    attention_output = context @ params["wo"] + params["bo"]
    output = x + attention_output if residual else attention_output
    return {"query": query, "key": key, "value": value,
            "attention_weights": weights, "context": context,
            "attention_output": attention_output, "output": output}


def np_layernorm(x, gamma, beta, eps):
    mean = np.mean(x, axis=-1, keepdims=True)
    variance = np.mean((x - mean) ** 2, axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + np.float32(eps)) * gamma + beta


def np_activation(name, x):
    if name == "identity":
        return x
    if name == "relu":
        return np.maximum(x, np.float32(0.0))
    if name == "tanh":
        return np.tanh(x)
    if name == "gelu":
        erf = np.vectorize(math.erf)
        return (0.5 * x * (1.0 + erf(x.astype(np.float64) / math.sqrt(2.0)))).astype(np.float32)
    if name == "softmax":
        return np_softmax_rows(x)
    raise ValueError(f"unsupported activation {name!r}")


def np_pool_tokens(x, mode):
    return np.mean(x, axis=0) if mode == "mean" else x[0]


# PyTorch counterparts.

def torch_positional(d, length):
    """Build the sinusoidal table a second way, in torch float64, with the
    frequencies as exp(-2i·ln(10000)/d)."""
    position = torch.arange(length, dtype=torch.float64).unsqueeze(1)
    frequencies = torch.exp(torch.arange(0, d, 2, dtype=torch.float64)
                            * (-math.log(10000.0) / d))
    table = torch.zeros(length, d, dtype=torch.float64)
    table[:, 0::2] = torch.sin(position * frequencies)
    table[:, 1::2] = torch.cos(position * frequencies[:d // 2])
    return table.float()


def torch_attention(x, params, heads, causal):
    """Run torch.nn.MultiheadAttention with its weights set from params and
    return (query, key, value, weights [h][T][T], attention_output)."""
    tokens, d = x.shape
    module = torch.nn.MultiheadAttention(d, heads, batch_first=True)
    module.eval()
    in_weight = np.concatenate([params["wq"].T, params["wk"].T, params["wv"].T])
    in_bias = np.concatenate([params["bq"], params["bk"], params["bv"]])
    module.in_proj_weight.copy_(torch.from_numpy(in_weight))
    module.in_proj_bias.copy_(torch.from_numpy(in_bias))
    module.out_proj.weight.copy_(torch.from_numpy(params["wo"].T.copy()))
    module.out_proj.bias.copy_(torch.from_numpy(params["bo"]))

    batch = torch.from_numpy(x).unsqueeze(0)
    mask = torch.nn.Transformer.generate_square_subsequent_mask(tokens) if causal else None
    output, weights = module(batch, batch, batch, attn_mask=mask,
                             need_weights=True, average_attn_weights=False)
    if causal:
        bool_mask = torch.triu(torch.ones(tokens, tokens, dtype=torch.bool), diagonal=1)
        output_bool, weights_bool = module(batch, batch, batch, attn_mask=bool_mask,
                                           need_weights=True, average_attn_weights=False)
        assert torch.equal(output, output_bool), "bool and float causal masks differ"
        assert torch.equal(weights, weights_bool), "bool and float causal masks differ"

    projected = F.linear(batch[0], module.in_proj_weight, module.in_proj_bias)
    query, key, value = projected.split(d, dim=-1)
    return query, key, value, weights[0], output[0]


def torch_activation(name, x):
    if name == "identity":
        return x
    if name == "relu":
        return torch.nn.ReLU()(x)
    if name == "tanh":
        return torch.nn.Tanh()(x)
    if name == "gelu":
        return torch.nn.GELU(approximate="none")(x)
    if name == "softmax":
        return torch.nn.Softmax(dim=-1)(x)
    raise ValueError(f"unsupported activation {name!r}")


def torch_layernorm(x, gamma, beta, eps):
    module = torch.nn.LayerNorm(x.shape[-1], eps=eps)
    module.weight.copy_(torch.from_numpy(gamma))
    module.bias.copy_(torch.from_numpy(beta))
    return module(torch.from_numpy(x))


def torch_dense(x, weights, bias):
    module = torch.nn.Linear(weights.shape[0], weights.shape[1])
    module.weight.copy_(torch.from_numpy(weights.T.copy()))
    module.bias.copy_(torch.from_numpy(bias))
    return module(torch.from_numpy(x))


def torch_pool_tokens(x, mode):
    x = torch.from_numpy(x)
    return x.mean(dim=0) if mode == "mean" else x[0]


# Cases.

def make_positional(d, length):
    table = check(f"positional d={d}", torch_positional(d, length), np_positional(d, length))
    return {"kind": "sinusoidal", "d": d, "tokens": length, "table": f32_nested(table)}


def random_attention_params(rng, d):
    """Draw wq, wk, wv, wo uniform in ±sqrt(3 / d), which keeps projections
    of order 1, and biases in ±0.5."""
    params = {}
    for name in ("wq", "wk", "wv", "wo"):
        params[name] = random_array(rng, [d, d], math.sqrt(3.0 / d))
    for name in ("bq", "bk", "bv", "bo"):
        params[name] = random_array(rng, [d], 0.5)
    return params


def attention_entries(x, params, heads, causal, residual, name):
    """Run attention in both implementations and return the stored keys
    after "x", and the output as float32."""
    ours = np_attention(x, params, heads, causal, residual)
    query, key, value, weights, attention_output = torch_attention(x, params, heads, causal)
    torch_context = torch.zeros_like(attention_output)
    head_size = x.shape[1] // heads
    for head in range(heads):
        columns = slice(head * head_size, (head + 1) * head_size)
        torch_context[:, columns] = weights[head] @ value[:, columns]
    torch_output = attention_output + torch.from_numpy(x) if residual else attention_output

    reference = {"query": query, "key": key, "value": value,
                 "attention_weights": weights, "context": torch_context,
                 "attention_output": attention_output, "output": torch_output}
    checked = {key_name: check(f"{name} {key_name}", tensor, ours[key_name])
               for key_name, tensor in reference.items()}
    entry = {key_name: f32_nested(params[key_name])
             for key_name in ("wq", "wk", "wv", "wo", "bq", "bk", "bv", "bo")}
    entry.update({key_name: f32_nested(value) for key_name, value in checked.items()})
    return entry, checked["output"]


def make_attention(seed, d, heads, tokens, causal, residual):
    name = (f"attention d={d} heads={heads} T={tokens}"
            f"{' causal' if causal else ''}{' residual' if residual else ''}")
    rng = random.Random(seed)
    x = random_array(rng, [tokens, d], 1.0)
    params = random_attention_params(rng, d)
    case = {"name": name, "seed": seed, "d": d, "heads": heads, "tokens": tokens,
            "causal": causal, "residual": residual, "x": f32_nested(x)}
    entry, _ = attention_entries(x, params, heads, causal, residual, name)
    case.update(entry)
    return case


def make_layernorm(seed, d, tokens, eps, constant_token):
    name = f"layernorm d={d} T={tokens} eps={eps}"
    rng = random.Random(seed)
    x = random_array(rng, [tokens, d], 2.0)
    if constant_token is not None:
        # The exact output of a constant token is beta. The constant is 0
        # because with nonzero constants PyTorch 1.13 on the CPU returned
        # beta with errors from 3e-6 to 1.3e-5 in these cases, above
        # TOLERANCE.
        x[constant_token, :] = 0.0
        name += f" constant token {constant_token}"
    gamma = random_array(rng, [d], 1.0) + np.float32(1.0)
    beta = random_array(rng, [d], 0.5)
    output = check(name, torch_layernorm(x, gamma, beta, eps), np_layernorm(x, gamma, beta, eps))
    return {"name": name, "seed": seed, "d": d, "tokens": tokens, "eps": eps,
            "x": f32_nested(x), "gamma": f32_nested(gamma), "beta": f32_nested(beta),
            "output": f32_nested(output)}


def dense_entries(x, weights, bias, activation, residual, name):
    """Run a per-token dense layer in both implementations and return its
    stored keys and its output as float32."""
    pre_activation = check(f"{name} pre_activation", torch_dense(x, weights, bias),
                           x @ weights + bias)
    ours = np_activation(activation, pre_activation)
    reference = torch_activation(activation, torch.from_numpy(pre_activation))
    if residual:
        ours = x + ours
        reference = reference + torch.from_numpy(x)
    output = check(f"{name} output", reference, ours)
    entry = {"weights": f32_nested(weights), "bias": f32_nested(bias),
             "pre_activation": f32_nested(pre_activation), "output": f32_nested(output)}
    return entry, output


def make_dense(seed, d_in, d_out, tokens, activation, residual):
    name = f"dense {d_in}->{d_out} T={tokens} {activation}{' residual' if residual else ''}"
    rng = random.Random(seed)
    x = random_array(rng, [tokens, d_in], 1.0)
    weights = random_array(rng, [d_in, d_out], math.sqrt(3.0 / d_in))
    bias = random_array(rng, [d_out], 0.5)
    case = {"name": name, "seed": seed, "d_in": d_in, "d_out": d_out, "tokens": tokens,
            "activation": activation, "residual": residual, "x": f32_nested(x)}
    entry, _ = dense_entries(x, weights, bias, activation, residual, name)
    case.update(entry)
    return case


def make_pool_tokens(seed, d, tokens, mode):
    name = f"pool_tokens {mode} d={d} T={tokens}"
    rng = random.Random(seed)
    x = random_array(rng, [tokens, d], 1.0)
    output = check(name, torch_pool_tokens(x, mode), np_pool_tokens(x, mode))
    return {"name": name, "seed": seed, "d": d, "tokens": tokens, "mode": mode,
            "x": f32_nested(x), "output": f32_nested(output)}


def make_block(seed, vocabulary, d, heads, causal, units, classes, token_ids):
    """Run a whole model on token_ids and return every parameter and the
    output of every step."""
    name = f"block V={vocabulary} d={d} heads={heads} T={len(token_ids)}"
    name += " causal" if causal else ""
    rng = random.Random(seed)
    tokens = len(token_ids)
    table = random_array(rng, [vocabulary, d], 1.0)
    params = random_attention_params(rng, d)
    gamma = random_array(rng, [d], 1.0) + np.float32(1.0)
    beta = random_array(rng, [d], 0.5)
    hidden_weights = random_array(rng, [d, units], math.sqrt(3.0 / d))
    hidden_bias = random_array(rng, [units], 0.5)
    output_weights = random_array(rng, [units, classes], math.sqrt(3.0 / units))
    output_bias = random_array(rng, [classes], 0.5)

    embedding = torch.nn.Embedding(vocabulary, d)
    embedding.weight.copy_(torch.from_numpy(table))
    embedded = check(f"{name} embedded", embedding(torch.tensor(token_ids)), table[token_ids])
    positional = check(f"{name} positional", torch_positional(d, tokens),
                       np_positional(d, tokens))
    x = check(f"{name} input", torch.from_numpy(embedded) + torch.from_numpy(positional),
              embedded + positional)

    attention, attended = attention_entries(x, params, heads, causal, True, f"{name} attention")
    normalised = check(f"{name} layernorm", torch_layernorm(attended, gamma, beta, 1e-5),
                       np_layernorm(attended, gamma, beta, np.float32(1e-5)))
    hidden, hidden_output = dense_entries(normalised, hidden_weights, hidden_bias,
                                          "relu", False, f"{name} hidden")
    pooled = check(f"{name} pooled", torch_pool_tokens(hidden_output, "mean"),
                   np_pool_tokens(hidden_output, "mean"))
    final, _ = dense_entries(pooled[np.newaxis, :], output_weights, output_bias,
                             "softmax", False, f"{name} output")

    return {
        "name": name, "seed": seed, "vocabulary": vocabulary, "d": d,
        "token_ids": token_ids,
        "embedding": {"table": f32_nested(table), "output": f32_nested(embedded)},
        "positional": {"kind": "sinusoidal", "table": f32_nested(positional),
                       "output": f32_nested(x)},
        "attention": {"heads": heads, "causal": causal, "residual": True, **attention},
        "layernorm": {"eps": 1e-5, "gamma": f32_nested(gamma), "beta": f32_nested(beta),
                      "output": f32_nested(normalised)},
        "dense": {"units": units, "activation": "relu", "residual": False, **hidden},
        "pool_tokens": {"mode": "mean", "output": f32_nested(pooled)},
        "output": {"units": classes, "activation": "softmax",
                   "weights": final["weights"], "bias": final["bias"],
                   "pre_activation": final["pre_activation"][0],
                   "output": final["output"][0]},
    }


def depth(value):
    """Return how deeply lists nest in value: 0 for a number, 1 for a list of numbers."""
    return 1 + depth(value[0]) if isinstance(value, list) and value else 0


def to_json(value, indent=0):
    """Format like json.dumps(indent=1), but with each list of numbers on
    one line, so that a matrix reads one row per line."""
    pad = " " * (indent + 1)
    if isinstance(value, dict):
        items = [f"{pad}{json.dumps(key)}: {to_json(item, indent + 1)}"
                 for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    if isinstance(value, list) and (any(isinstance(item, dict) for item in value)
                                    or depth(value) > 1):
        items = [pad + to_json(item, indent + 1) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"
    return json.dumps(value)


def main():
    torch.set_num_threads(1)
    with torch.no_grad():
        golden = {
            "generator": "tools/make-attention-golden.py",
            "torch_version": torch.__version__,
            "tolerance": TOLERANCE,
            "positional": [make_positional(*spec) for spec in POSITIONAL],
            "attention": [make_attention(*spec) for spec in ATTENTION],
            "layernorm": [make_layernorm(*spec) for spec in LAYERNORM],
            "dense": [make_dense(*spec) for spec in DENSE],
            "pool_tokens": [make_pool_tokens(*spec) for spec in POOL_TOKENS],
            "blocks": [make_block(*spec) for spec in BLOCKS],
        }
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w", encoding="utf-8") as output:
        output.write(to_json(golden) + "\n")
    print(f"wrote {os.path.relpath(OUTPUT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
