#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the reference training runs that tests/test-trainer.c compares against.

Output: tests/data/train-golden.json. Each case contains the data, the
input shape, the network's layers with their initial parameters in the
engine's layout, and the loss and optimiser settings. After 1, 2 and 5
training steps it records every layer's weights and biases and the loss
of that step (computed before its update), as PyTorch computes them in
float32:

  ce_sgd       2-4-3, tanh then softmax, cross-entropy of the softmax
               layer's pre-activation, torch.optim.SGD with momentum 0.9
               and weight decay on the weights only (two parameter groups)
  ce_adam      the same network and data with torch.optim.Adam
  mse_sigmoid  3-5-2, sigmoid then identity, torch.nn.MSELoss on two
               target values, SGD with momentum 0.5 and weight decay
  ce_logits    2-4-3, tanh then identity, the outputs read as logits by
               torch.nn.CrossEntropyLoss, SGD without momentum
  cnn_sgd      images [1][6][6]: conv2d 3 filters 3×3 "same" ReLU, max
               pooling 2×2, conv2d 2 filters 2×2 valid tanh, average
               pooling 2×2, flatten, dense 3 softmax; cross-entropy, SGD
               with momentum 0.9 and weight decay on the weights only
  cnn_adam     the same network and data with Adam
  tokens_adam  token ids [5] from a vocabulary of 7: embedding d=8,
               sinusoidal positions, attention with 2 heads, causal and
               residual, layernorm, dense 8 GELU residual on each token,
               mean of the tokens, dense 2 softmax; cross-entropy, Adam
  tokens_sgd   the same with learned positions (a table of 6 rows),
               attention that is not causal and the first token in place
               of the mean; SGD with momentum. With causal attention the
               first token would see only itself, and the other tokens
               would get no gradient.
  mse_residual 4-4-4-2, tanh, then tanh with a residual connection
               (output x + tanh(x·W + b)), then identity; MSELoss on two
               target values, SGD with momentum 0.5 and weight decay

Each layer's parameters are leaf tensors in the engine's layout (dense
[inputs][units] as in x·W, conv2d [filters][channels][kh][kw],
embedding and learned positions [rows][d], attention [4][d][d] as wq,
wk, wv and wo in the x·W form with biases [4][d], layernorm gamma and
beta), and the forward pass applies PyTorch's own functions to them:
torch.nn.functional.conv2d, max_pool2d, avg_pool2d, embedding,
multi_head_attention_forward (with in_proj_weight = [wqᵀ; wkᵀ; wvᵀ] and
out_proj.weight = woᵀ), layer_norm and gelu. The weight decay group
holds every "weights" buffer, which includes the embedding table, the
learned positions and gamma, because the engine adds l2·w to all
weights and to no bias.

Every step is full-batch (the batch is all samples), so the order in
which the engine visits the samples cannot change the result.

Rerun it from the top of the source tree with

    /usr/bin/python3 tools/make-train-golden.py

where /usr/bin/python3 is a Python with PyTorch, such as Debian's with
python3-torch. The tests need neither. Every random number comes from
random.Random with a fixed seed, so a rerun writes the same bytes with
the same PyTorch version. Floats are written with the fewest digits that
read back as the same float32.
"""

import importlib.util
import json
import math
import os
import random

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "..", "tests", "data", "train-golden.json")

STEPS_RECORDED = (1, 2, 5)


def load_attention_helpers():
    """Import tools/make-attention-golden.py, whose file name a plain
    import cannot load, for its sinusoidal table."""
    path = os.path.join(HERE, "make-attention-golden.py")
    spec = importlib.util.spec_from_file_location("make_attention_golden", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


attention_helpers = load_attention_helpers()

ACTIVATIONS = {
    "identity": lambda x: x,
    "relu": torch.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "gelu": lambda x: F.gelu(x, approximate="none"),
    "softmax": lambda x: x,  # cross-entropy applies log-softmax to the pre-activation
}


def dense(units, activation, residual=False):
    return {"kind": "dense", "units": units, "activation": activation, "residual": residual}


def conv2d(filters, kernel, padding, activation):
    return {"kind": "conv2d", "units": filters, "kernel": kernel, "stride": 1,
            "padding": padding, "activation": activation}


def pool2d(kind, size):
    return {"kind": kind, "kernel": size, "stride": size, "padding": "valid"}


CNN = [conv2d(3, 3, "same", "relu"), pool2d("maxpool2d", 2), conv2d(2, 2, "valid", "tanh"),
       pool2d("avgpool2d", 2), {"kind": "flatten"}, dense(3, "softmax")]


# The token networks read at most this many tokens, which is also the
# number of rows of a learned positional table.
MAX_TOKENS = 6


def token_layers(encoding, causal, pooling):
    return [{"kind": "embedding", "units": 8, "rows": 7},
            {"kind": "positional", "encoding": encoding, "rows": MAX_TOKENS},
            {"kind": "attention", "heads": 2, "causal": causal, "residual": True},
            {"kind": "layernorm", "eps": 1e-5},
            dense(8, "gelu", True),
            {"kind": "pool_tokens", "pooling": pooling},
            dense(2, "softmax")]


SGD_MOMENTUM = {"optimizer": "sgd", "learning_rate": 0.1, "momentum": 0.9, "l2": 0.01}

# The key bias bk adds q·bk to every score of a query's row, which the
# softmax cancels, so its true gradient is 0 and autograd returns float32
# rounding noise of about 1e-8. Adam divides by sqrt(v) + epsilon, so with
# epsilon 1e-8 that noise would move bk by up to the learning rate in a
# direction that depends on the order of summation. With epsilon 1e-3 the
# noise moves it by at most about 0.05 · 1e-8 / 1e-3 = 5e-7 per step,
# while gradients above 0.01 are scaled by less than 10 %.
ADAM_TOKENS = {"optimizer": "adam", "learning_rate": 0.05, "beta1": 0.9, "beta2": 0.999,
               "epsilon": 1e-3, "l2": 0.01}
ADAM = {"optimizer": "adam", "learning_rate": 0.05, "beta1": 0.9, "beta2": 0.999,
        "epsilon": 1e-8, "l2": 0.01}

# name, seed of random.Random, input shape, layers, loss, optimiser
# settings, samples, classes (or target size for a regression)
CASES = [
    ("ce_sgd", 11, [2], [dense(4, "tanh"), dense(3, "softmax")], "cross_entropy",
     SGD_MOMENTUM, 12, {"classes": 3}),
    ("ce_adam", 11, [2], [dense(4, "tanh"), dense(3, "softmax")], "cross_entropy",
     ADAM, 12, {"classes": 3}),
    ("mse_sigmoid", 23, [3], [dense(5, "sigmoid"), dense(2, "identity")], "mean_squared",
     {"optimizer": "sgd", "learning_rate": 0.2, "momentum": 0.5, "l2": 0.001},
     10, {"targets": 2}),
    ("ce_logits", 37, [2], [dense(4, "tanh"), dense(3, "identity")], "cross_entropy",
     {"optimizer": "sgd", "learning_rate": 0.5, "momentum": 0.0, "l2": 0.0},
     9, {"classes": 3}),
    ("cnn_sgd", 41, [1, 6, 6], CNN, "cross_entropy", SGD_MOMENTUM, 9, {"classes": 3}),
    ("cnn_adam", 41, [1, 6, 6], CNN, "cross_entropy", ADAM, 9, {"classes": 3}),
    ("tokens_adam", 53, [5], token_layers("sinusoidal", True, "mean"), "cross_entropy",
     ADAM_TOKENS, 8, {"classes": 2}),
    ("tokens_sgd", 59, [5], token_layers("learned", False, "first"), "cross_entropy",
     SGD_MOMENTUM, 8, {"classes": 2}),
    ("mse_residual", 61, [4], [dense(4, "tanh"), dense(4, "tanh", True), dense(2, "identity")],
     "mean_squared",
     {"optimizer": "sgd", "learning_rate": 0.1, "momentum": 0.5, "l2": 0.001},
     10, {"targets": 2}),
]


def f32(x):
    """Return the shortest decimal that reads back as the float32 nearest x."""
    return float(repr(np.float32(x)))


def f32_list(values):
    return [f32(v) for v in np.asarray(values, dtype=np.float32).reshape(-1)]


def uniform_matrix(rng, rows, columns, scale):
    return [[f32(rng.uniform(-scale, scale)) for _ in range(columns)] for _ in range(rows)]


def uniform_list(rng, count, scale):
    return [f32(rng.uniform(-scale, scale)) for _ in range(count)]


def output_shape(layer, shape):
    """Return the shape after layer, for an input of the given shape."""
    kind = layer["kind"]
    if kind == "dense":
        return shape[:-1] + [layer["units"]] if len(shape) == 2 else [layer["units"]]
    if kind == "conv2d" or kind.endswith("pool2d"):
        pad = layer["kernel"] // 2 if layer.get("padding") == "same" else 0
        size = [(n + 2 * pad - layer["kernel"]) // layer["stride"] + 1 for n in shape[1:]]
        return [layer.get("units", shape[0])] + size
    if kind == "flatten":
        return [math.prod(shape)]
    if kind == "embedding":
        return shape + [layer["units"]]
    if kind == "pool_tokens":
        return shape[1:]
    return shape


def init_parameters(rng, layer, shape):
    """Draw the layer's weights and biases in the engine's layout; both
    are empty lists for a layer without them."""
    kind = layer["kind"]
    weights, bias = [], []
    if kind == "dense":
        inputs = shape[-1] if len(shape) == 2 else math.prod(shape)
        weights = uniform_matrix(rng, inputs, layer["units"], 1.0)
        bias = uniform_list(rng, layer["units"], 0.5)
    elif kind == "conv2d":
        fan_in = shape[0] * layer["kernel"] ** 2
        flat = uniform_matrix(rng, layer["units"], fan_in, math.sqrt(3.0 / fan_in))
        kernel = [layer["units"], shape[0], layer["kernel"], layer["kernel"]]
        weights = np.array(flat, dtype=np.float64).reshape(kernel).tolist()
        bias = uniform_list(rng, layer["units"], 0.5)
    elif kind == "embedding" or (kind == "positional" and layer["encoding"] == "learned"):
        weights = uniform_matrix(rng, layer["rows"], shape[-1] if kind == "positional"
                                 else layer["units"], 1.0)
    elif kind == "attention":
        d = shape[-1]
        weights = [uniform_matrix(rng, d, d, math.sqrt(3.0 / d)) for _ in range(4)]
        bias = [uniform_list(rng, d, 0.5) for _ in range(4)]
    elif kind == "layernorm":
        weights = [f32(1.0 + rng.uniform(-0.5, 0.5)) for _ in range(shape[-1])]
        bias = uniform_list(rng, shape[-1], 0.5)
    return weights, bias


def make_data(rng, input_shape, layers, n_samples, outputs):
    if layers[0]["kind"] == "embedding":
        rows = [[rng.randrange(layers[0]["rows"]) for _ in range(input_shape[0])]
                for _ in range(n_samples)]
        data = {"input_shape": input_shape, "max_tokens": MAX_TOKENS, "inputs": rows}
    else:
        data = {"input_shape": input_shape,
                "inputs": uniform_matrix(rng, n_samples, math.prod(input_shape), 1.0)}
    if "classes" in outputs:
        data["classes"] = outputs["classes"]
        data["labels"] = [i % outputs["classes"] for i in range(n_samples)]
        rng.shuffle(data["labels"])
    else:
        data["targets"] = uniform_matrix(rng, n_samples, outputs["targets"], 2.0)
    return data


def make_case(name, seed, input_shape, layers, loss_name, optimizer, n_samples, outputs):
    rng = random.Random(seed)
    init = []
    shape = input_shape
    for spec in layers:
        layer = dict(spec)
        layer["weights"], layer["bias"] = init_parameters(rng, layer, shape)
        init.append(layer)
        shape = output_shape(layer, shape)

    data = make_data(rng, input_shape, layers, n_samples, outputs)
    steps = train(init, loss_name, optimizer, data)

    return {
        "name": name,
        "loss": loss_name,
        "settings": optimizer,
        "data": data,
        "layers": init,
        "steps": steps,
    }


def attention_forward(h, weights, bias, layer):
    """Run self-attention on h [N][T][d] with PyTorch's multi-head attention."""
    tokens, d = h.shape[1], h.shape[2]
    in_weight = torch.cat([weights[0].T, weights[1].T, weights[2].T])  # [3d][d]
    mask = None
    if layer["causal"]:
        mask = torch.triu(torch.ones(tokens, tokens, dtype=torch.bool), diagonal=1)
    x = h.transpose(0, 1)  # [T][N][d], the layout the function reads
    output, _ = F.multi_head_attention_forward(
        x, x, x, d, layer["heads"], in_weight, bias[:3].reshape(-1), None, None, False, 0.0,
        weights[3].T, bias[3], training=False, need_weights=False, attn_mask=mask)
    output = output.transpose(0, 1)
    return h + output if layer["residual"] else output


def layer_forward(h, layer, weights, bias):
    """Apply one layer to a batch h, whose first axis is the sample."""
    kind = layer["kind"]
    if kind == "dense":
        flat = h if h.dim() == 3 else h.reshape(h.shape[0], -1)
        y = ACTIVATIONS[layer["activation"]](flat @ weights + bias)
        return flat + y if layer["residual"] else y

    if kind == "conv2d":
        padding = layer["kernel"] // 2 if layer["padding"] == "same" else 0
        return ACTIVATIONS[layer["activation"]](F.conv2d(h, weights, bias, padding=padding))
    if kind == "maxpool2d":
        return F.max_pool2d(h, layer["kernel"], layer["stride"])
    if kind == "avgpool2d":
        return F.avg_pool2d(h, layer["kernel"], layer["stride"])
    if kind == "flatten":
        return torch.flatten(h, 1)

    if kind == "embedding":
        return F.embedding(h, weights)
    if kind == "positional":
        tokens, d = h.shape[1], h.shape[2]
        if layer["encoding"] == "learned":
            return h + weights[:tokens]
        # The engine adds a float32 encoding, and so does this.
        return h + attention_helpers.torch_positional(d, tokens)
    if kind == "attention":
        return attention_forward(h, weights, bias, layer)
    if kind == "layernorm":
        return F.layer_norm(h, (h.shape[-1],), weights, bias, eps=layer["eps"])
    if kind == "pool_tokens":
        return h.mean(dim=1) if layer["pooling"] == "mean" else h[:, 0]
    raise ValueError(f"unknown layer kind {kind}")


def leaf(values):
    tensor = torch.tensor(values, dtype=torch.float32)
    return tensor.requires_grad_(True) if tensor.numel() > 0 else None


def make_optimizer(weights, biases, optimizer):
    groups = [
        {"params": [w for w in weights if w is not None], "weight_decay": optimizer["l2"]},
        {"params": [b for b in biases if b is not None], "weight_decay": 0.0},
    ]
    if optimizer["optimizer"] == "adam":
        return torch.optim.Adam(groups, lr=optimizer["learning_rate"],
                                betas=(optimizer["beta1"], optimizer["beta2"]),
                                eps=optimizer["epsilon"])
    return torch.optim.SGD(groups, lr=optimizer["learning_rate"],
                           momentum=optimizer["momentum"])


def batch_input(init, data):
    if init[0]["kind"] == "embedding":
        return torch.tensor(data["inputs"], dtype=torch.long)
    shape = [len(data["inputs"])] + data["input_shape"]
    return torch.tensor(data["inputs"], dtype=torch.float32).reshape(shape)


def batch_loss(output, loss_name, data):
    if loss_name == "cross_entropy":
        return F.cross_entropy(output, torch.tensor(data["labels"]))
    return F.mse_loss(output, torch.tensor(data["targets"], dtype=torch.float32))


def f32_nested(values):
    """Return an array's values as nested lists of shortest float32 decimals."""
    values = np.asarray(values, dtype=np.float32)
    if values.ndim > 1:
        return [f32_nested(row) for row in values]
    return f32_list(values)


def record(values):
    return f32_nested(values.detach()) if values is not None else []


def train(init, loss_name, optimizer, data):
    weights = [leaf(layer["weights"]) for layer in init]
    biases = [leaf(layer["bias"]) for layer in init]
    opt = make_optimizer(weights, biases, optimizer)
    x = batch_input(init, data)

    steps = []
    for step in range(1, max(STEPS_RECORDED) + 1):
        opt.zero_grad()
        h = x
        for layer, w, b in zip(init, weights, biases):
            h = layer_forward(h, layer, w, b)
        loss = batch_loss(h, loss_name, data)
        loss.backward()
        opt.step()
        if step in STEPS_RECORDED:
            steps.append({
                "step": step,
                "loss": f32(loss.item()),
                "layers": [{"weights": record(w), "bias": record(b)}
                           for w, b in zip(weights, biases)],
            })

    return steps


def main():
    torch.set_num_threads(1)
    cases = [make_case(*case) for case in CASES]
    with open(OUTPUT, "w", encoding="utf-8") as f:
        json.dump({"generator": "tools/make-train-golden.py",
                   "torch": torch.__version__.split("+")[0],
                   "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
