#!/usr/bin/env python3
"""Convert a PyTorch nn.Sequential into a Layerscope network document.

Supported modules, in the order they appear in the Sequential:

- nn.Linear, optionally followed by an activation module: a dense layer.
- nn.Conv2d (zero padding, no groups or dilation), optionally followed by
  an activation module other than nn.Softmax: a conv2d layer.
- nn.MaxPool2d and nn.AvgPool2d without padding, dilation or ceil_mode.
- nn.Flatten.
- nn.Identity and nn.Dropout, which do nothing in eval mode and are skipped.
- Nested nn.Sequential containers, whose modules are read in order.

The activation modules are nn.ReLU, nn.LeakyReLU(0.01), nn.Sigmoid,
nn.Tanh, nn.GELU() (the exact form) and nn.Softmax over the last axis.

Command line:

    torch-to-layerscope.py MODEL.py [STATE.pt] --input-shape 1,28,28 -o network.json

MODEL.py defines the model as a variable or a function without arguments,
named by --model (default "model"). STATE.pt is a state_dict saved with
torch.save(model.state_dict(), PATH); without it the model's own weights
are written. A model or an option that cannot be converted, or a file that
cannot be read or written, prints one line "torch-to-layerscope: ..." that
names it, and the exit status is 2.

As a module: convert(model, input_shape, input=None, title=None,
labels=None) returns the document as a dict, ready for json.dump().
"""

import argparse
import collections.abc
import importlib.util
import json
import math
import os
import sys

import torch
from torch import nn

FORMAT = "layerscope-network"

SUPPORTED = (
    "Linear, Conv2d, MaxPool2d, AvgPool2d, Flatten, Identity, Dropout, Sequential, "
    "and after Linear or Conv2d one of ReLU, LeakyReLU(0.01), Sigmoid, Tanh, GELU, "
    "Softmax (Linear only)"
)


class ConversionError(Exception):
    """A model that Layerscope cannot represent, with the reason and the fix."""


def flatten_modules(model):
    """Return the leaf modules of a Sequential, nested ones read in order."""
    if not isinstance(model, nn.Sequential):
        raise ConversionError(
            f"the model is a {type(model).__name__}, not an nn.Sequential; "
            "wrap its layers in nn.Sequential"
        )
    leaves = []
    for module in model:
        if isinstance(module, nn.Sequential):
            leaves.extend(flatten_modules(module))
        else:
            leaves.append(module)
    return leaves


def activation_name(module, index):
    """Return our name of an activation module, or None when it is not one."""
    if isinstance(module, nn.ReLU):
        return "relu"
    if isinstance(module, nn.LeakyReLU):
        if not math.isclose(module.negative_slope, 0.01, rel_tol=1e-6):
            raise ConversionError(
                f"module {index} (LeakyReLU) has negative_slope {module.negative_slope}; "
                "Layerscope supports only the default slope 0.01"
            )
        return "leaky_relu"
    if isinstance(module, nn.Sigmoid):
        return "sigmoid"
    if isinstance(module, nn.Tanh):
        return "tanh"
    if isinstance(module, nn.GELU):
        if module.approximate != "none":
            raise ConversionError(
                f"module {index} (GELU) uses approximate={module.approximate!r}; "
                "Layerscope supports only the exact GELU, approximate='none'"
            )
        return "gelu"
    if isinstance(module, nn.Softmax):
        # The model runs on a batch [1, n]: dim 0 is the batch axis.
        if module.dim not in (None, -1, 1):
            raise ConversionError(
                f"module {index} (Softmax) is over dim {module.dim}; on a batch [1, n] "
                "Layerscope applies softmax over the features only: use nn.Softmax(dim=1) "
                "or nn.Softmax(dim=-1)"
            )
        return "softmax"
    return None


def pair(value):
    """Return an int or a pair of ints as a list of two ints."""
    if isinstance(value, int):
        return [value, value]
    return [int(value[0]), int(value[1])]


def nested(tensor):
    """Return a tensor as nested lists of floats, each the shortest decimal
    that reads back as the same float32, e.g. 0.1 rather than 0.100000001."""
    return shortest(tensor.detach().to(torch.float32).cpu().numpy())


def shortest(array):
    if array.ndim == 0:
        return float(str(array[()]))
    return [shortest(item) for item in array]


def check_window_fits(shape, kernel, stride, padding, index, kind):
    """Return the output height and width of a window on shape [C, H, W]."""
    if len(shape) != 3:
        raise ConversionError(
            f"module {index} ({kind}) needs an image-shaped input [channels, height, width], "
            f"but gets {list(shape)}; give --input-shape as C,H,W"
        )
    out = []
    for axis in range(2):
        padded = shape[axis + 1] + padding[axis][0] + padding[axis][1]
        if kernel[axis] > padded or (padded - kernel[axis]) % stride[axis] != 0:
            raise ConversionError(
                f"module {index} ({kind}): a window of {kernel} with stride {stride} does not "
                f"tile the input {list(shape)} exactly, and Layerscope drops no rows or columns; "
                "change the input size, the window or the stride"
            )
        out.append((padded - kernel[axis]) // stride[axis] + 1)
    return out


def convert_linear(module, shape, index):
    if len(shape) != 1:
        raise ConversionError(
            f"module {index} (Linear) gets an input of shape {list(shape)}, but Layerscope "
            "connects a Linear to a vector only; add nn.Flatten() before it"
        )
    inputs = math.prod(shape)
    if module.in_features != inputs:
        raise ConversionError(
            f"module {index} (Linear) takes {module.in_features} inputs, "
            f"but the input to it has shape {list(shape)} ({inputs} values); "
            "check --input-shape"
        )
    bias = module.bias if module.bias is not None else torch.zeros(module.out_features)
    layer = {
        "type": "dense",
        "units": module.out_features,
        "weights": nested(module.weight.t()),
        "bias": nested(bias),
    }
    return layer, [module.out_features]


def conv_padding(module, index):
    """Return the padding of a Conv2d as [[top, bottom], [left, right]]."""
    if module.padding_mode != "zeros":
        raise ConversionError(
            f"module {index} (Conv2d) uses padding_mode={module.padding_mode!r}; "
            "Layerscope pads with zeros only"
        )
    if module.padding == "valid":
        return [[0, 0], [0, 0]]
    if module.padding == "same":
        # As PyTorch: k - 1 in total, the extra one after for an even kernel.
        return [[(k - 1) // 2, k - 1 - (k - 1) // 2] for k in module.kernel_size]
    return [[p, p] for p in pair(module.padding)]


def convert_conv2d(module, shape, index):
    if module.groups != 1 or pair(module.dilation) != [1, 1]:
        raise ConversionError(
            f"module {index} (Conv2d) has groups={module.groups} and "
            f"dilation={module.dilation}; Layerscope supports groups=1 and dilation=1 only"
        )
    if len(shape) == 3 and module.in_channels != shape[0]:
        raise ConversionError(
            f"module {index} (Conv2d) takes {module.in_channels} channels, "
            f"but its input has shape {list(shape)}; check --input-shape"
        )
    kernel, stride = pair(module.kernel_size), pair(module.stride)
    padding = conv_padding(module, index)
    out = check_window_fits(shape, kernel, stride, padding, index, "Conv2d")
    layer = {"type": "conv2d", "filters": module.out_channels, "kernel": kernel, "stride": stride}
    if padding[0][0] == padding[0][1] and padding[1][0] == padding[1][1]:
        layer["padding"] = [padding[0][0], padding[1][0]]
    elif stride == [1, 1] and out == list(shape[1:]):
        layer["padding"] = "same"
    else:
        raise ConversionError(
            f"module {index} (Conv2d) pads {padding} (rows, columns; before, after); "
            "Layerscope supports equal padding on both sides, or 'same' with stride 1"
        )
    bias = module.bias if module.bias is not None else torch.zeros(module.out_channels)
    layer["weights"] = nested(module.weight)
    layer["bias"] = nested(bias)
    return layer, [module.out_channels] + out


def convert_pool(module, shape, index):
    kind = type(module).__name__
    padding = pair(module.padding)
    dilation = pair(getattr(module, "dilation", 1))
    if padding != [0, 0] or dilation != [1, 1] or module.ceil_mode:
        raise ConversionError(
            f"module {index} ({kind}) has padding={module.padding}, dilation={dilation} "
            f"and ceil_mode={module.ceil_mode}; Layerscope pools without padding, dilation "
            "or ceil_mode; pad with a Conv2d before the pool instead"
        )
    if isinstance(module, nn.AvgPool2d) and module.divisor_override is not None:
        raise ConversionError(
            f"module {index} (AvgPool2d) has divisor_override={module.divisor_override}; "
            "Layerscope divides by the window size"
        )
    kernel = pair(module.kernel_size)
    stride = pair(module.stride) if module.stride is not None else kernel
    out = check_window_fits(shape, kernel, stride, [[0, 0], [0, 0]], index, kind)
    layer_type = "maxpool2d" if isinstance(module, nn.MaxPool2d) else "avgpool2d"
    return {"type": layer_type, "size": kernel, "stride": stride}, [shape[0]] + out


def convert_module(module, shape, index):
    """Return the layer of one module and its output shape, or None to skip it."""
    if isinstance(module, (nn.Identity, nn.Dropout)):
        return None, shape
    if isinstance(module, nn.Linear):
        return convert_linear(module, shape, index)
    if isinstance(module, nn.Conv2d):
        return convert_conv2d(module, shape, index)
    if isinstance(module, (nn.MaxPool2d, nn.AvgPool2d)):
        return convert_pool(module, shape, index)
    if isinstance(module, nn.Flatten):
        if module.start_dim != 1 or module.end_dim != -1:
            raise ConversionError(
                f"module {index} (Flatten) has start_dim={module.start_dim} and "
                f"end_dim={module.end_dim}; Layerscope flattens everything but the batch axis: "
                "use nn.Flatten() with start_dim=1 and end_dim=-1"
            )
        return {"type": "flatten"}, [math.prod(shape)]
    if activation_name(module, index) is not None:
        raise ConversionError(
            f"module {index} ({type(module).__name__}) does not follow a Linear or Conv2d; "
            "Layerscope applies activations inside dense and conv2d layers only"
        )
    raise ConversionError(
        f"module {index} ({type(module).__name__}) is not supported; "
        f"Layerscope converts {SUPPORTED}"
    )


def document_version(layers, input_shape):
    """Return the lowest format version that has every feature used."""
    if len(input_shape) == 1 and all(layer["type"] == "dense" for layer in layers):
        return 1
    return 2


def convert(model, input_shape, input=None, title=None, labels=None):
    """Convert an nn.Sequential into a Layerscope document, as a dict.

    input_shape is (n,) for a vector or (C, H, W) for an image, without a
    batch axis. input is a tensor of that shape, the document's current
    input (zeros when None). labels name the outputs of the last layer.
    Raises ConversionError for a module or an option that Layerscope
    cannot represent.
    """
    shape = [int(size) for size in input_shape]
    if len(shape) not in (1, 3):
        raise ConversionError(
            f"the input shape {shape} has {len(shape)} axes; give (n,) for a vector "
            "or (channels, height, width) for an image, without a batch axis"
        )
    modules = flatten_modules(model)
    layers = []
    index = 0
    while index < len(modules):
        layer, shape = convert_module(modules[index], shape, index)
        index += 1
        if layer is None:
            continue
        if layer["type"] in ("dense", "conv2d"):
            activation = "identity"
            if index < len(modules):
                activation = activation_name(modules[index], index) or "identity"
            if activation == "softmax" and layer["type"] == "conv2d":
                raise ConversionError(
                    f"module {index} (Softmax) follows a Conv2d; Layerscope's softmax on an "
                    "image is over every value, not one axis, so it is not converted"
                )
            if activation != "identity":
                index += 1
            layer["activation"] = activation
        layers.append(layer)

    if not layers:
        raise ConversionError("the model has no layers that Layerscope can show")
    if labels is not None:
        if layers[-1]["type"] not in ("dense", "conv2d") or len(labels) != shape[0]:
            raise ConversionError(
                f"{len(labels)} labels were given, but the last layer has output shape "
                f"{shape}; give one label per output of a final Linear or Conv2d"
            )
        layers[-1]["labels"] = list(labels)

    values = torch.zeros(input_shape) if input is None else input
    document = {"format": FORMAT, "version": document_version(layers, input_shape)}
    if title:
        document["title"] = title
    document["input"] = {"shape": list(input_shape), "values": nested(values.reshape(-1))}
    document["layers"] = layers
    return document


def to_json(value, indent=0):
    """Return value as JSON text with each list of numbers on one line."""
    inner = " " * (indent + 2)
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(key)}: {to_json(item, indent + 2)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    if isinstance(value, list) and any(isinstance(item, (list, dict)) for item in value):
        items = [inner + to_json(item, indent + 2) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"
    return json.dumps(value, ensure_ascii=False)


def load_model(path, name):
    """Return the model defined as variable or function `name` in a Python file."""
    if not path.endswith(".py"):
        raise ConversionError(f"{path}: the model file must be Python source whose name ends in .py")
    if not os.path.isfile(path):
        raise ConversionError(f"{path}: no such model file; give the Python file that defines the model")
    spec = importlib.util.spec_from_file_location("layerscope_model", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except SyntaxError as error:
        raise ConversionError(
            f"{path}, line {error.lineno}: syntax error: {error.msg}; fix the model file"
        ) from None
    except Exception as error:  # the model file is the user's code: report whatever it raises
        raise ConversionError(
            f"{path} failed to run: {type(error).__name__}: {error}; fix the model file"
        ) from None
    if not hasattr(module, name):
        raise ConversionError(f"{path} defines no {name!r}; name the model with --model")
    model = getattr(module, name)
    if callable(model) and not isinstance(model, nn.Module):
        model = model()
    if not isinstance(model, nn.Module):
        raise ConversionError(f"{name!r} in {path} is a {type(model).__name__}, not an nn.Module")
    return model


def load_state_dict(model, path):
    """Load the state_dict saved in path into model."""
    try:
        state = torch.load(path, map_location="cpu")
    except FileNotFoundError:
        raise ConversionError(f"{path}: no such state_dict file") from None
    except Exception as error:  # torch.load raises many kinds for a damaged file
        raise ConversionError(
            f"{path} is not a file saved with torch.save() ({type(error).__name__}: {error}); "
            "save the weights with torch.save(model.state_dict(), PATH)"
        ) from None
    if isinstance(state, nn.Module):
        raise ConversionError(
            f"{path} contains a whole model, not a state_dict; save the weights with "
            "torch.save(model.state_dict(), PATH) and convert that file"
        )
    if not isinstance(state, collections.abc.Mapping):
        raise ConversionError(
            f"{path} contains a {type(state).__name__}, not a state_dict; save the weights with "
            "torch.save(model.state_dict(), PATH)"
        )
    model.load_state_dict(state)


def check_output_path(path):
    """Raise ConversionError where the document cannot be written to path."""
    folder = os.path.dirname(path) or "."
    if os.path.isdir(path):
        raise ConversionError(f"-o {path} is a folder; give the name of the JSON file to write")
    if not os.path.isdir(folder):
        raise ConversionError(f"-o {path}: the folder {folder} does not exist; create it first")


def parse_shape(text):
    try:
        shape = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid shape {text!r}; give sizes separated by commas, e.g. 1,28,28"
        ) from None
    if any(size < 1 for size in shape):
        raise argparse.ArgumentTypeError(f"invalid shape {text!r}; every size must be at least 1")
    return shape


def main():
    parser = argparse.ArgumentParser(
        description="Convert a PyTorch nn.Sequential into a Layerscope network document."
    )
    parser.add_argument("model_file", help="Python file that defines the model")
    parser.add_argument("state_dict", nargs="?", help="state_dict saved with torch.save()")
    parser.add_argument("--model", default="model",
                        help="name of the model variable or function in MODEL_FILE (default: model)")
    parser.add_argument("--input-shape", type=parse_shape, required=True,
                        help="input shape without the batch axis: n, or C,H,W")
    parser.add_argument("--title", help="title of the network")
    parser.add_argument("--labels", help="output labels, separated by commas")
    parser.add_argument("-o", "--output", required=True, help="JSON file to write")
    args = parser.parse_args()

    try:
        check_output_path(args.output)
        model = load_model(args.model_file, args.model)
        if args.state_dict is not None:
            load_state_dict(model, args.state_dict)
        labels = args.labels.split(",") if args.labels else None
        document = convert(model, args.input_shape, title=args.title, labels=labels)
        text = to_json(document) + "\n"
    except (ConversionError, RuntimeError, OSError) as error:
        # one line: load_state_dict's RuntimeError lists every key on its own line
        message = " ".join(str(error).split())
        print(f"torch-to-layerscope: {message}", file=sys.stderr)
        return 2

    try:
        with open(args.output, "w", encoding="utf-8") as output:
            output.write(text)
    except OSError as error:
        print(f"torch-to-layerscope: cannot write {args.output}: {error.strerror}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
