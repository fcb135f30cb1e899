#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the reference gradients that tests/test-backward.c compares the
engine's backward pass against.

Output: tests/data/backward-golden.json. It contains a list of single
layers, each with

  the layer's keys as in a Layerscope document ("type", "units",
  "filters", "kernel", "stride", "padding", "size", "activation",
  "residual"), and input_shape;
  input, weights, bias   the values the forward pass reads;
  grad_output            dL/d output, drawn at random;
  grad_input, grad_weights, grad_bias
                         the gradients that PyTorch's autograd computes
                         from grad_output, in float32.

The layouts are the engine's: dense weights [inputs][units], the
transpose of torch.nn.Linear.weight, so the forward pass is x @ W + b, and
conv2d weights [filters][channels][kh][kw], as torch.nn.Conv2d.weight. A
dense layer on a sequence [T][d] applies the same weights to every token.
A residual dense layer outputs x + act(x @ W + b). A softmax activation
works on each token's row of a dense layer, and on the whole output of a
conv2d layer.

One max pooling case draws its input from only four values, so that most
windows have ties: PyTorch's CPU kernel (version 1.13 here) passes the
gradient to the first maximum in scan order, and so must the engine.

Rerun it from the top of the source tree with

    /usr/bin/python3 tools/make-backward-golden.py

where /usr/bin/python3 is a Python with PyTorch, such as Debian's with
python3-torch. The test needs neither. Every random number comes from
random.Random with a fixed seed per case, so a rerun writes the same bytes
with the same PyTorch version.
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
                      "..", "tests", "data", "backward-golden.json")


def pair(value):
    return list(value) if isinstance(value, (list, tuple)) else [value, value]


def dense(units, activation, residual=False):
    return {"type": "dense", "units": units, "activation": activation,
            "residual": residual}


def conv(filters, kernel, stride=1, padding=0, activation="identity"):
    return {"type": "conv2d", "filters": filters, "kernel": pair(kernel),
            "stride": pair(stride),
            "padding": padding if isinstance(padding, str) else pair(padding),
            "activation": activation}


def pool(kind, size, stride):
    return {"type": kind, "size": pair(size), "stride": pair(stride)}


FLATTEN = {"type": "flatten"}

# (name, seed of random.Random, input shape, layer, input values or None
# for uniform in ±1)
CASES = [
    ("dense, vector, tanh", 301, [6], dense(4, "tanh"), None),
    ("dense, tokens, gelu", 302, [3, 5], dense(4, "gelu"), None),
    ("dense, tokens, softmax", 303, [3, 4], dense(5, "softmax"), None),
    ("dense, residual tokens, sigmoid", 304, [3, 4], dense(4, "sigmoid", True), None),
    ("dense, image input, leaky_relu", 305, [2, 2, 3], dense(5, "leaky_relu"), None),
    ("conv 3x3, stride 2, padding 1, relu", 311, [2, 7, 7],
     conv(3, 3, stride=2, padding=1, activation="relu"), None),
    ("conv same, 2x2 kernel", 312, [2, 4, 5], conv(2, 2, padding="same"), None),
    ("conv same, 3x4 kernel, tanh", 313, [1, 6, 6],
     conv(2, (3, 4), padding="same", activation="tanh"), None),
    ("conv valid 3x2, stride (1, 2), softmax", 314, [2, 5, 8],
     conv(2, (3, 2), stride=(1, 2), padding="valid", activation="softmax"), None),
    ("max pool 2", 321, [2, 4, 4], pool("maxpool2d", 2, 2), None),
    ("max pool 3, stride 1, ties", 322, [2, 5, 5], pool("maxpool2d", 3, 1),
     [-1.0, 0.0, 0.5, 1.0]),
    ("average pool 3, stride 2", 331, [1, 7, 7], pool("avgpool2d", 3, 2), None),
    ("average pool (2, 3), stride (1, 3)", 332, [2, 5, 6],
     pool("avgpool2d", (2, 3), (1, 3)), None),
    ("flatten", 341, [2, 3, 3], FLATTEN, None),
]


def f32(value):
    """Round to float32 and return the shortest decimal that reads back to it."""
    return float(str(np.float32(value)))


def f32_list(tensor):
    """Return a tensor's values flat, in row-major order, as shortest float32 decimals."""
    return [f32(v) for v in np.asarray(tensor.detach(), dtype=np.float32).reshape(-1)]


def random_tensor(rng, shape, scale):
    """Return a float32 tensor of uniform values in ±scale, drawn in row-major order."""
    values = [np.float32(rng.uniform(-scale, scale)) for _ in range(math.prod(shape))]
    return torch.tensor(np.array(values, dtype=np.float32).reshape(shape))


def choice_tensor(rng, shape, choices):
    values = [np.float32(rng.choice(choices)) for _ in range(math.prod(shape))]
    return torch.tensor(np.array(values, dtype=np.float32).reshape(shape))


def activate(name, x, whole):
    """Apply an activation as torch.nn's modules do by default. Softmax
    works on the last axis, or on all of x when whole is true."""
    if name == "identity":
        return x
    if name == "relu":
        return F.relu(x)
    if name == "leaky_relu":
        return F.leaky_relu(x, negative_slope=0.01)
    if name == "sigmoid":
        return torch.sigmoid(x)
    if name == "tanh":
        return torch.tanh(x)
    if name == "gelu":
        return F.gelu(x, approximate="none")
    if name == "softmax":
        return F.softmax(x.reshape(-1), dim=0).reshape(x.shape) if whole else F.softmax(x, dim=-1)
    raise ValueError(f"unsupported activation {name!r}")


def same_padding(kernel):
    """Return (before, after) for "same" padding along one axis, with the
    odd row or column after, as torch.nn.Conv2d(padding="same")."""
    total = kernel - 1
    return total // 2, total - total // 2


def conv2d(x, weights, bias, spec):
    padding = spec["padding"]
    if padding == "valid":
        return F.conv2d(x, weights, bias, stride=spec["stride"])
    if padding == "same":
        top, bottom = same_padding(spec["kernel"][0])
        left, right = same_padding(spec["kernel"][1])
        return F.conv2d(F.pad(x, (left, right, top, bottom)), weights, bias)
    return F.conv2d(x, weights, bias, stride=spec["stride"], padding=padding)


def make_parameters(rng, spec, input_shape):
    """Draw the weights and bias of a dense or conv2d layer, or return None."""
    if spec["type"] == "dense":
        inputs = input_shape[-1] if len(input_shape) == 2 else math.prod(input_shape)
        return (random_tensor(rng, [inputs, spec["units"]], math.sqrt(3.0 / inputs)),
                random_tensor(rng, [spec["units"]], 0.5))
    if spec["type"] == "conv2d":
        kh, kw = spec["kernel"]
        fan_in = input_shape[0] * kh * kw
        return (random_tensor(rng, [spec["filters"], input_shape[0], kh, kw], math.sqrt(3.0 / fan_in)),
                random_tensor(rng, [spec["filters"]], 0.5))
    return None


def forward(spec, x, parameters):
    """Run one layer on x, which has the layer's input shape without a batch axis."""
    kind = spec["type"]
    if kind == "dense":
        weights, bias = parameters
        rows = x if x.dim() == 2 else x.reshape(1, -1)
        output = activate(spec["activation"], rows @ weights + bias, whole=False)
        if spec["residual"]:
            output = output + rows
        return output if x.dim() == 2 else output.reshape(-1)
    if kind == "conv2d":
        weights, bias = parameters
        return activate(spec["activation"], conv2d(x[None], weights, bias, spec)[0], whole=True)
    if kind == "maxpool2d":
        return F.max_pool2d(x[None], spec["size"], spec["stride"])[0]
    if kind == "avgpool2d":
        return F.avg_pool2d(x[None], spec["size"], spec["stride"])[0]
    if kind == "flatten":
        return torch.flatten(x)
    raise ValueError(f"unsupported layer type {kind!r}")


def make_case(name, seed, input_shape, spec, input_choices):
    rng = random.Random(seed)
    if input_choices is None:
        x = random_tensor(rng, input_shape, 1.0)
    else:
        x = choice_tensor(rng, input_shape, input_choices)
    parameters = make_parameters(rng, spec, input_shape)
    leaves = [x] + (list(parameters) if parameters is not None else [])
    for leaf in leaves:
        leaf.requires_grad_(True)

    output = forward(spec, x, parameters)
    grad_output = random_tensor(rng, list(output.shape), 1.0)
    output.backward(grad_output)

    case = {"name": name, "seed": seed, **spec, "input_shape": input_shape,
            "input": f32_list(x)}
    if parameters is not None:
        case["weights"] = f32_list(parameters[0])
        case["bias"] = f32_list(parameters[1])
    case["output"] = f32_list(output)
    case["grad_output"] = f32_list(grad_output)
    case["grad_input"] = f32_list(x.grad)
    if parameters is not None:
        case["grad_weights"] = f32_list(parameters[0].grad)
        case["grad_bias"] = f32_list(parameters[1].grad)
    return case


def to_json(value, indent=0):
    """Format like json.dumps(indent=1), but with each list of numbers on one line."""
    pad = " " * (indent + 1)
    if isinstance(value, dict):
        items = [f"{pad}{json.dumps(key)}: {to_json(item, indent + 1)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    if isinstance(value, list) and any(isinstance(item, dict) for item in value):
        items = [pad + to_json(item, indent + 1) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"
    return json.dumps(value)


def main():
    torch.set_num_threads(1)
    golden = {
        "generator": "tools/make-backward-golden.py",
        "torch_version": torch.__version__,
        "cases": [make_case(*case) for case in CASES],
    }
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w", encoding="utf-8") as output:
        output.write(to_json(golden) + "\n")
    print(f"wrote {os.path.relpath(OUTPUT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
