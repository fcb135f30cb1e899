#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the reference values for the image layers that tests/test-conv.c
compares the engine against.

Output: tests/data/conv-golden.json. It contains a list of small networks on
image inputs, each with

  input       its shape [channels, height, width] and its values, written
              nested as [c][h][w] for reading (the test reads them flat);
  layers      each layer's keys as in a Layerscope document ("type",
              "filters", "kernel", "stride", "padding", "size", "units",
              "activation"), its weights and bias in the engine's layouts,
              its output_shape, and its pre_activation and
              activation_output as computed by PyTorch in float32;
  parameters  the number of weights plus biases of the whole network.

The layouts are the engine's: conv2d weights [filters][channels][kh][kw],
the same as torch.nn.Conv2d.weight, and dense weights [inputs][units], the
transpose of torch.nn.Linear.weight. A dense layer on an image tensor
reads it flat in [c][h][w] order, as torch.flatten(x, 1).

The cases cover conv2d with 1x1, 3x3, 5x5 and 2x3 kernels, strides 1, 2,
(2, 1), (1, 2) and (2, 3), padding 0, 1, 2, (1, 0) and (2, 1), "valid",
and "same" with odd and even kernels; max and average pooling with sizes
2, 3 and (2, 3), with the stride left to its default of the size, set
explicitly, and smaller than the size so that windows overlap; flatten; a
dense layer right after an image tensor; and two whole CNNs. Every size divides exactly, because the
engine rejects a window that would leave rows or columns over.

"same" padding with an even kernel pads one more row and column after
(bottom and right) than before, as torch.nn.Conv2d(padding="same") does.
The script computes it as torch.nn.functional.pad followed by a convolution
without padding, and checks that this equals PyTorch's own "same" result.

Rerun it from the top of the source tree with

    /usr/bin/python3 tools/make-conv-golden.py

where /usr/bin/python3 is a Python with PyTorch, such as Debian's with
python3-torch. The test needs neither. Every random number comes from
random.Random with a fixed seed per network, so the output is the same on
every run with the same PyTorch version. Floats are written with the
fewest digits that read back as the same float32.
"""

import json
import math
import os
import random
import sys
import warnings

import numpy as np
import torch
import torch.nn.functional as F

OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "..", "tests", "data", "conv-golden.json")


def pair(value):
    return list(value) if isinstance(value, (list, tuple)) else [value, value]


def conv(filters, kernel, stride=1, padding=0, activation="identity"):
    """Describe a conv2d layer. kernel, stride and padding take a number or
    a pair (height, width), and padding also takes "same" or "valid"."""
    return {"type": "conv2d", "filters": filters, "kernel": pair(kernel),
            "stride": pair(stride),
            "padding": padding if isinstance(padding, str) else pair(padding),
            "activation": activation}


def pool(kind, size, stride=None):
    """Describe a pooling layer. Without stride, the window moves by its size."""
    layer = {"type": kind, "size": pair(size)}
    if stride is not None:
        layer["stride"] = pair(stride)
    return layer


def dense(units, activation):
    return {"type": "dense", "units": units, "activation": activation}


FLATTEN = {"type": "flatten"}

# (name, seed of random.Random, input shape [c, h, w], layers)
NETWORKS = [
    ("conv 1x1, 3 channels, 4 filters", 201, [3, 5, 5],
     [conv(4, 1, activation="relu")]),
    ("conv 3x3, padding 1", 202, [2, 6, 6],
     [conv(3, 3, padding=1, activation="tanh")]),
    ("conv 5x5, stride 2, padding 2", 203, [3, 9, 9],
     [conv(2, 5, stride=2, padding=2)]),
    ("conv 2x3 kernel", 204, [2, 5, 7],
     [conv(3, (2, 3), activation="sigmoid")]),
    ("conv stride (2, 1)", 205, [1, 7, 6],
     [conv(2, 3, stride=(2, 1), activation="leaky_relu")]),
    ("conv padding (1, 0)", 206, [2, 4, 6],
     [conv(3, 3, padding=(1, 0), activation="gelu")]),
    ("conv 3x3, stride 2, padding 1", 207, [2, 7, 7],
     [conv(4, 3, stride=2, padding=1, activation="relu")]),
    ("conv stride (1, 2), padding (2, 1)", 213, [2, 6, 7],
     [conv(3, 3, stride=(1, 2), padding=(2, 1), activation="tanh")]),
    ("conv stride (2, 3), padding (1, 0)", 214, [2, 7, 6],
     [conv(2, 3, stride=(2, 3), padding=(1, 0), activation="identity")]),
    ("conv valid", 208, [3, 6, 5],
     [conv(2, (3, 2), padding="valid", activation="identity")]),
    ("conv same, odd kernel", 209, [2, 5, 5],
     [conv(2, 3, padding="same", activation="relu")]),
    ("conv same, 5x5 kernel", 210, [1, 6, 7],
     [conv(3, 5, padding="same", activation="tanh")]),
    ("conv same, 2x2 kernel", 211, [1, 4, 5],
     [conv(3, 2, padding="same", activation="identity")]),
    ("conv same, 4x2 kernel", 212, [2, 6, 5],
     [conv(2, (4, 2), padding="same", activation="sigmoid")]),
    ("max pool 2", 221, [2, 4, 4],
     [pool("maxpool2d", 2)]),
    ("max pool 3", 222, [1, 6, 9],
     [pool("maxpool2d", 3)]),
    ("max pool (2, 3)", 223, [2, 6, 6],
     [pool("maxpool2d", (2, 3))]),
    ("max pool 3, stride 1", 224, [1, 5, 5],
     [pool("maxpool2d", 3, stride=1)]),
    ("max pool 2, stride (1, 2)", 225, [2, 5, 6],
     [pool("maxpool2d", 2, stride=(1, 2))]),
    ("average pool 2", 231, [3, 4, 6],
     [pool("avgpool2d", 2)]),
    ("average pool 3, stride 3", 232, [1, 6, 9],
     [pool("avgpool2d", 3, stride=3)]),
    ("average pool (2, 3), stride (1, 3)", 233, [2, 5, 6],
     [pool("avgpool2d", (2, 3), stride=(1, 3))]),
    ("average pool 3, stride 2", 234, [1, 7, 7],
     [pool("avgpool2d", 3, stride=2)]),
    ("flatten then dense", 241, [2, 3, 4],
     [FLATTEN, dense(5, "tanh")]),
    ("dense on an image", 242, [2, 3, 3],
     [dense(4, "sigmoid")]),
    ("conv then dense", 243, [1, 5, 5],
     [conv(2, 3, activation="relu"), dense(3, "softmax")]),
    ("small CNN, 1 channel", 251, [1, 8, 8],
     [conv(4, 3, padding="same", activation="relu"),
      pool("maxpool2d", 2),
      conv(6, 3, activation="relu"),
      pool("avgpool2d", 2),
      FLATTEN,
      dense(3, "softmax")]),
    ("small CNN, 3 channels", 252, [3, 12, 12],
     [conv(6, 5, activation="relu"),
      pool("maxpool2d", 2),
      conv(8, 3, padding=1, activation="relu"),
      pool("maxpool2d", 2),
      FLATTEN,
      dense(10, "softmax")]),
]


def f32(value):
    """Round to float32 and return the shortest decimal that reads back to it."""
    return float(str(np.float32(value)))


def f32_nested(tensor):
    """Return a tensor's values as nested lists of shortest float32 decimals."""
    array = np.asarray(tensor, dtype=np.float32)
    if array.ndim > 1:
        return [f32_nested(row) for row in array]
    return [f32(v) for v in array]


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
    raise ValueError(f"unsupported activation {name!r}")


def random_tensor(rng, shape, scale):
    """Return a float32 tensor of uniform values in ±scale, drawn in row-major order."""
    count = math.prod(shape)
    values = [np.float32(rng.uniform(-scale, scale)) for _ in range(count)]
    return torch.tensor(np.array(values, dtype=np.float32).reshape(shape))


def same_padding(kernel):
    """Return (before, after) for "same" padding along one axis: the
    total of kernel - 1, with the odd row or column after."""
    total = kernel - 1
    return total // 2, total - total // 2


def conv2d_forward(x, weights, bias, spec):
    kernel, stride, padding = spec["kernel"], spec["stride"], spec["padding"]
    if padding == "valid":
        return F.conv2d(x, weights, bias, stride=stride, padding=0)
    if padding != "same":
        return F.conv2d(x, weights, bias, stride=stride, padding=padding)

    assert stride == [1, 1], "same padding needs stride 1"
    top, bottom = same_padding(kernel[0])
    left, right = same_padding(kernel[1])
    output = F.conv2d(F.pad(x, (left, right, top, bottom)), weights, bias)
    # PyTorch's own "same" must agree with the emulation above. It warns
    # that an even kernel makes it copy the input, which is expected here.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Using padding='same'", UserWarning)
        reference = F.conv2d(x, weights, bias, padding="same")
    assert torch.allclose(output, reference, rtol=0, atol=1e-6), spec
    return output


def make_layer(rng, spec, x):
    """Run one layer on x, a batch of one, and return its golden entry and
    its output."""
    layer = dict(spec)
    channels = x.shape[1] if x.dim() == 4 else None
    inputs = x[0].numel()

    if spec["type"] == "conv2d":
        # Uniform in ±sqrt(3 / fan_in) keeps pre-activations of order 1.
        kh, kw = spec["kernel"]
        scale = math.sqrt(3.0 / (channels * kh * kw))
        weights = random_tensor(rng, [spec["filters"], channels, kh, kw], scale)
        bias = random_tensor(rng, [spec["filters"]], 0.5)
        pre_activation = conv2d_forward(x, weights, bias, spec)
        output = torch_activation(spec["activation"], pre_activation)
        layer["weights"] = f32_nested(weights)
        layer["bias"] = f32_nested(bias)
    elif spec["type"] == "dense":
        weights = random_tensor(rng, [inputs, spec["units"]], math.sqrt(3.0 / inputs))
        bias = random_tensor(rng, [spec["units"]], 0.5)
        pre_activation = F.linear(torch.flatten(x, 1), weights.T, bias)
        output = torch_activation(spec["activation"], pre_activation)
        layer["weights"] = f32_nested(weights)
        layer["bias"] = f32_nested(bias)
    elif spec["type"] == "maxpool2d":
        pre_activation = output = F.max_pool2d(x, spec["size"], spec.get("stride", spec["size"]))
    elif spec["type"] == "avgpool2d":
        pre_activation = output = F.avg_pool2d(x, spec["size"], spec.get("stride", spec["size"]))
    elif spec["type"] == "flatten":
        pre_activation = output = torch.flatten(x, 1)
    else:
        raise ValueError(f"unsupported layer type {spec['type']!r}")

    layer["output_shape"] = list(output.shape[1:])
    layer["pre_activation"] = f32_nested(pre_activation[0])
    layer["activation_output"] = f32_nested(output[0])
    return layer, output


def count_parameters(layers):
    total = 0
    for layer in layers:
        for key in ("weights", "bias"):
            if key in layer:
                total += np.array(layer[key]).size
    return total


def make_network(name, seed, input_shape, layer_specs):
    rng = random.Random(seed)
    image = random_tensor(rng, [1] + input_shape, 1.0)
    layers = []
    x = image
    with torch.no_grad():
        for spec in layer_specs:
            layer, x = make_layer(rng, spec, x)
            layers.append(layer)
    return {"name": name, "seed": seed,
            "input": {"shape": input_shape, "values": f32_nested(image[0])},
            "layers": layers,
            "parameters": count_parameters(layers)}


def depth(value):
    """Return how deeply lists nest in value: 0 for a number, 1 for a list of numbers."""
    return 1 + depth(value[0]) if isinstance(value, list) and value else 0


def to_json(value, indent=0, inline_depth=1):
    """Format like json.dumps(indent=1), but with each list of nesting depth
    up to inline_depth on one line, so that a matrix reads one row per line.
    Conv2d weights keep each whole kernel [kh][kw] on one line."""
    pad = " " * (indent + 1)
    if isinstance(value, dict):
        items = []
        for key, item in value.items():
            item_depth = 2 if key == "weights" and depth(item) == 4 else 1
            items.append(f"{pad}{json.dumps(key)}: {to_json(item, indent + 1, item_depth)}")
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    if isinstance(value, list) and (any(isinstance(item, dict) for item in value)
                                    or depth(value) > inline_depth):
        items = [pad + to_json(item, indent + 1, inline_depth) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"
    return json.dumps(value)


def main():
    torch.set_num_threads(1)
    golden = {
        "generator": "tools/make-conv-golden.py",
        "torch_version": torch.__version__,
        "networks": [make_network(*spec) for spec in NETWORKS],
    }
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w", encoding="utf-8") as output:
        output.write(to_json(golden) + "\n")
    print(f"wrote {os.path.relpath(OUTPUT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
