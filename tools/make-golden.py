#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the reference values that the engine tests compare against.

Output: tests/data/dense-golden.json, read by tests/test-activation.c,
tests/test-network.c and tests/test-random.c. It contains

  activations  every activation applied by PyTorch (float32) to a table of
               inputs, and softmax of a few whole vectors;
  splitmix64   the first outputs of splitmix64 for a few seeds, from the
               small pure-Python implementation below;
  init         the first weights of He and Xavier matrices, drawn by the
               same splitmix64 + Box-Muller algorithm as src/engine/ls-random.c
               but written here independently in double precision;
  networks     dense networks of depth 1 to 5 using every activation, with
               their weights [inputs][units], biases, input, and each layer's
               pre-activation and activation as computed by torch.nn.Linear
               (weight = W.T) and torch activations in float32.

Rerun it from the top of the source tree with

    /usr/bin/python3 tools/make-golden.py

where /usr/bin/python3 is a Python with PyTorch, such as Debian's with
python3-torch. The tests need neither. Every random number comes from
random.Random with a fixed seed, so the output is the same on every run
with the same PyTorch version. Floats are written with the fewest digits
that read back as the same float32.
"""

import json
import math
import os
import random
import sys

import numpy as np
import torch

OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "..", "tests", "data", "dense-golden.json")

MASK64 = (1 << 64) - 1

ACTIVATION_INPUTS = [
    -1000.0, -100.0, -20.0, -5.0, -2.5, -1.0, -0.5, -0.001,
    0.0, 0.001, 0.5, 1.0, 2.5, 5.0, 20.0, 100.0, 1000.0,
]

SOFTMAX_VECTORS = [
    [1.0, 2.0, 3.0],
    [-2.5, 0.0, 0.1, 7.0],
    [0.25],
    [30.0, -30.0, 0.0, 29.5, 12.0],
    [-1.0, -1.5, -0.75, -3.0, -0.5, -2.0],
]

# (seed of random.Random, input size, [(units, activation), ...])
NETWORKS = [
    (101, 5, [(3, "identity")]),
    (102, 4, [(6, "relu"), (3, "softmax")]),
    (103, 7, [(8, "leaky_relu"), (5, "tanh"), (2, "sigmoid")]),
    (104, 3, [(10, "gelu"), (9, "sigmoid"), (4, "identity"), (6, "softmax")]),
    (105, 16, [(12, "tanh"), (12, "relu"), (8, "gelu"), (8, "leaky_relu"), (4, "softmax")]),
    (106, 32, [(24, "relu"), (16, "relu"), (10, "softmax")]),
]

SPLITMIX_SEEDS = [0, 1, 1234567]
SPLITMIX_COUNT = 8

# (scheme, seed, fan_in, fan_out). The golden file keeps the first INIT_COUNT
# weights of each matrix, or all of them when there are fewer.
INIT_CASES = [
    ("he", 0, 3, 4),
    ("he", 1, 784, 128),
    ("he", 42, 16, 8),
    ("xavier", 0, 4, 2),
    ("xavier", 7, 64, 10),
]
INIT_COUNT = 16


def f32(value):
    """Round to float32 and return the shortest decimal that reads back to it."""
    return float(str(np.float32(value)))


def f32_list(values):
    return [f32(v) for v in values]


class SplitMix64:
    """splitmix64 on Python integers, masked to 64 bits after each step."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def next_double(self):
        """Return a double in [0, 1) from the top 53 bits."""
        return (self.next() >> 11) * 2.0 ** -53

    def next_normal(self):
        """Return a standard normal sample by the Box-Muller transform."""
        u1 = 1.0 - self.next_double()
        u2 = self.next_double()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def init_weights(scheme, seed, fan_in, fan_out, count):
    """Return the first count weights of a [fan_in][fan_out] matrix."""
    generator = SplitMix64(seed)
    weights = []
    if scheme == "he":
        std = math.sqrt(2.0 / fan_in)
        for _ in range(count):
            weights.append(std * generator.next_normal())
    else:
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        for _ in range(count):
            weights.append(limit * (2.0 * generator.next_double() - 1.0))
    return f32_list(weights)


def torch_activation(name, x):
    """Apply an activation the way PyTorch's nn modules do by default."""
    if name == "identity":
        return x
    if name == "relu":
        return torch.nn.ReLU()(x)
    if name == "leaky_relu":
        return torch.nn.LeakyReLU(negative_slope=0.01)(x)
    if name == "sigmoid":
        return torch.nn.Sigmoid()(x)
    if name == "tanh":
        return torch.nn.Tanh()(x)
    if name == "gelu":
        return torch.nn.GELU(approximate="none")(x)
    if name == "softmax":
        return torch.nn.Softmax(dim=-1)(x)
    raise ValueError(f"unknown activation {name!r}")


def make_activations():
    x = torch.tensor(ACTIVATION_INPUTS, dtype=torch.float32)
    table = {"inputs": f32_list(ACTIVATION_INPUTS)}
    for name in ["identity", "relu", "leaky_relu", "sigmoid", "tanh", "gelu"]:
        table[name] = f32_list(torch_activation(name, x).tolist())

    softmax = []
    for vector in SOFTMAX_VECTORS:
        v = torch.tensor(vector, dtype=torch.float32)
        softmax.append({"input": f32_list(vector),
                        "output": f32_list(torch_activation("softmax", v).tolist())})
    table["softmax_vectors"] = softmax
    return table


def make_splitmix():
    cases = []
    for seed in SPLITMIX_SEEDS:
        generator = SplitMix64(seed)
        # Decimal strings, because JSON readers store integers as signed 64 bits.
        outputs = [str(generator.next()) for _ in range(SPLITMIX_COUNT)]
        cases.append({"seed": seed, "outputs": outputs})
    return cases


def make_init():
    cases = []
    for scheme, seed, fan_in, fan_out in INIT_CASES:
        cases.append({"scheme": scheme, "seed": seed,
                      "fan_in": fan_in, "fan_out": fan_out,
                      "weights": init_weights(scheme, seed, fan_in, fan_out,
                                              min(INIT_COUNT, fan_in * fan_out))})
    return cases


def random_f32_matrix(rng, rows, columns, scale):
    return [[f32(rng.uniform(-scale, scale)) for _ in range(columns)] for _ in range(rows)]


def make_network(seed, input_size, layer_specs):
    rng = random.Random(seed)
    input_values = [f32(rng.uniform(-2.0, 2.0)) for _ in range(input_size)]
    x = torch.tensor([input_values], dtype=torch.float32)
    layers = []
    inputs = input_size
    for units, activation in layer_specs:
        # Uniform in ±sqrt(3 / inputs) keeps pre-activations of order 1.
        scale = math.sqrt(3.0 / inputs)
        weights = random_f32_matrix(rng, inputs, units, scale)  # [inputs][units]
        bias = [f32(rng.uniform(-0.5, 0.5)) for _ in range(units)]

        linear = torch.nn.Linear(inputs, units)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(weights, dtype=torch.float32).T)
            linear.bias.copy_(torch.tensor(bias, dtype=torch.float32))
            pre_activation = linear(x)
            output = torch_activation(activation, pre_activation)

        layers.append({"units": units, "activation": activation,
                       "weights": weights, "bias": bias,
                       "pre_activation": f32_list(pre_activation[0].tolist()),
                       "activation_output": f32_list(output[0].tolist())})
        x = output
        inputs = units
    return {"seed": seed, "input": input_values, "layers": layers}


def to_json(value, indent=0):
    """Format like json.dumps(indent=1), but with each list of numbers or
    strings on one line, so that a matrix reads one row per line."""
    pad = " " * (indent + 1)
    if isinstance(value, dict):
        items = [f"{pad}{json.dumps(key)}: {to_json(item, indent + 1)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    if isinstance(value, list) and any(isinstance(item, (dict, list)) for item in value):
        items = [pad + to_json(item, indent + 1) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"
    return json.dumps(value)


def main():
    torch.set_num_threads(1)
    golden = {
        "generator": "tools/make-golden.py",
        "torch_version": torch.__version__,
        "activations": make_activations(),
        "splitmix64": make_splitmix(),
        "init": make_init(),
        "networks": [make_network(*spec) for spec in NETWORKS],
    }
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w", encoding="utf-8") as output:
        output.write(to_json(golden) + "\n")
    print(f"wrote {os.path.relpath(OUTPUT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
