#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Train the example classifiers in data/examples and write them as
Layerscope documents.

Output, each a network with its trained weights, a real test sample as its
input, its class names and its measured test accuracy:

  data/examples/digits-dense.json
      8x8 handwritten digits, dense 64-32-10: the 1x8x8 image is read flat
      by a 32-unit ReLU layer, then a 10-unit softmax layer.
  data/examples/digits-cnn.json
      The same digits through conv2d 8@3x3 "same" ReLU, max pool 2,
      conv2d 16@3x3 "same" ReLU, max pool 2, flatten and dense 10 softmax.
  data/examples/fashion-cnn.json
      Fashion-MNIST 28x28 clothing images through the same layers as
      digits-cnn (the layout of LeNet with fewer filters), ending in 784
      inputs to dense 10.

Data: the digits are scikit-learn's copy of the UCI "Optical Recognition of
Handwritten Digits" test set (1797 images, values 0 to 16), read from the
IDX files that tools/make-digits-data.py writes to data/datasets: 1437
training and 360 test images. Inputs are value / 16. Fashion-MNIST is
Zalando's release (60000 training and 10000 test images, bytes 0 to 255),
read from the original IDX files in the directory given by --fashion-dir,
by default where Debian's dataset-fashion-mnist package puts them. Inputs
are byte / 255 in float32.

Training: softmax cross-entropy on the logits of the last layer, which the
document then stores with the "softmax" activation. Adam, with the epochs,
batch sizes and learning rates in NETWORKS (60 epochs for each digits
network, 8 for Fashion-MNIST), and mini-batches reshuffled every epoch.

Evaluation: each document's "dataset" key gives the number of test samples
that the network classifies correctly, out of all 360 digits test images,
or out of the first 1000 Fashion-MNIST test images (the ones that
data/datasets ships). The script counts them by running the weights as
written to the document, read back from the JSON, through a float32 numpy
forward pass of its own. It then fails if PyTorch predicts another class
than numpy for any of those samples, or if the two largest logits of a
sample lie so close that another float32 summation order could swap them.
For Fashion-MNIST the description also gives the accuracy on all 10000
test images.

Rerun it from the top of the source tree with

    /usr/bin/python3 tools/make-digits-data.py   # if data/datasets lacks the digits
    /usr/bin/python3 tools/train-examples.py [--fashion-dir DIR]

where /usr/bin/python3 is a Python with PyTorch and numpy, such as
Debian's with python3-torch. Every random number comes from
torch.manual_seed, on 2 threads with deterministic algorithms, so a rerun
with the same PyTorch version writes the same files. The whole run took
52 s on 2 otherwise idle cores of an x86-64 Xeon (PyTorch 1.13, numpy
1.24), and 106 s while other builds shared the cores; Fashion-MNIST takes
nearly all of it.
"""

import argparse
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DATASETS = os.path.join(ROOT, "data", "datasets")
EXAMPLES = os.path.join(ROOT, "data", "examples")

SEED = 20240601
THREADS = 2

# Two logits closer than this, relative to max(1, |logit|), could swap
# between summation orders in float32, so the stored count could differ
# from what the application computes.
NEAR_TIE_MARGIN = 1e-4

# The first test images of Fashion-MNIST that data/datasets ships, and so
# the ones that the stored accuracy counts.
FASHION_SHIPPED_TEST_SAMPLES = 1000

DIGIT_LABELS = [str(digit) for digit in range(10)]
FASHION_LABELS = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                  "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def conv_block_layers():
    """Return the layers shared by both CNNs, in document form without weights."""
    return [
        {"type": "conv2d", "name": "conv 1", "filters": 8, "kernel": [3, 3],
         "padding": "same", "activation": "relu"},
        {"type": "maxpool2d", "name": "pool 1", "size": [2, 2]},
        {"type": "conv2d", "name": "conv 2", "filters": 16, "kernel": [3, 3],
         "padding": "same", "activation": "relu"},
        {"type": "maxpool2d", "name": "pool 2", "size": [2, 2]},
        {"type": "flatten", "name": "flatten"},
    ]


def output_layer(labels):
    return {"type": "dense", "name": "output", "units": len(labels),
            "activation": "softmax", "labels": labels}


# Each network: its file, dataset, layers in document form, and training
# settings. The learning rates and epochs were chosen by a few manual runs.
NETWORKS = [
    {
        "file": "digits-dense.json",
        "dataset": "digits",
        "title": "Digits, dense",
        "layers": [{"type": "dense", "name": "hidden", "units": 32, "activation": "relu"},
                   output_layer(DIGIT_LABELS)],
        "epochs": 60, "batch": 32, "learning_rate": 3e-3,
    },
    {
        "file": "digits-cnn.json",
        "dataset": "digits",
        "title": "Digits, convolutional",
        "layers": conv_block_layers() + [output_layer(DIGIT_LABELS)],
        "epochs": 60, "batch": 32, "learning_rate": 3e-3,
    },
    {
        "file": "fashion-cnn.json",
        "dataset": "fashion-mnist",
        "title": "Fashion-MNIST, convolutional",
        "layers": conv_block_layers() + [output_layer(FASHION_LABELS)],
        "epochs": 8, "batch": 64, "learning_rate": 2e-3,
    },
]


# Data

def read_idx(path):
    """Read a gzip-compressed IDX file of unsigned bytes into a numpy array."""
    with gzip.open(path, "rb") as stream:
        data = stream.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    rank = data[3]
    header = 4 + 4 * rank
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    if len(data) != header + int(np.prod(dims)):
        raise ValueError(f"{path}: expected {int(np.prod(dims))} bytes after the "
                         f"header for dimensions {dims}, found {len(data) - header}")
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(dims)


def read_split(directory, prefix, scale):
    """Return (images [n][1][h][w] float32, labels [n] int64) of one split."""
    images = read_idx(os.path.join(directory, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(directory, f"{prefix}-labels-idx1-ubyte.gz"))
    if images.shape[0] != labels.shape[0]:
        raise ValueError(f"{directory}: {images.shape[0]} {prefix} images "
                         f"but {labels.shape[0]} labels")
    values = (images.astype(np.float32) / np.float32(scale))[:, np.newaxis]
    return values, labels.astype(np.int64)


def load_dataset(name, args):
    """Return the training split, the test split and the number of test
    samples that the document's evaluation covers."""
    if name == "digits":
        for split in ("train", "test"):
            path = os.path.join(args.datasets_dir, f"digits-{split}-images-idx3-ubyte.gz")
            if not os.path.exists(path):
                sys.exit(f"{path} not found: run tools/make-digits-data.py first")
        train = read_split(args.datasets_dir, "digits-train", 16.0)
        test = read_split(args.datasets_dir, "digits-test", 16.0)
        return train, test, len(test[1])
    train = read_split(args.fashion_dir, "train", 255.0)
    test = read_split(args.fashion_dir, "t10k", 255.0)
    # The stored count is only meaningful for the images that are shipped.
    shipped = read_split(args.datasets_dir, f"fashion-mnist-test-{FASHION_SHIPPED_TEST_SAMPLES}", 255.0)
    if not (np.array_equal(shipped[0], test[0][:FASHION_SHIPPED_TEST_SAMPLES])
            and np.array_equal(shipped[1], test[1][:FASHION_SHIPPED_TEST_SAMPLES])):
        sys.exit(f"{args.datasets_dir}: the shipped Fashion-MNIST test images differ from the "
                 f"first {FASHION_SHIPPED_TEST_SAMPLES} in {args.fashion_dir}")
    return train, test, FASHION_SHIPPED_TEST_SAMPLES


# PyTorch model

def build_model(layers, input_shape):
    """Build a torch.nn.Sequential for layers in document form. The last
    layer's softmax is left out, because training works on its logits."""
    modules = []
    shape = list(input_shape)
    for index, layer in enumerate(layers):
        if layer["type"] == "conv2d":
            modules.append(torch.nn.Conv2d(shape[0], layer["filters"], layer["kernel"],
                                           padding=layer["padding"]))
            shape = [layer["filters"]] + shape[1:]
        elif layer["type"] == "maxpool2d":
            modules.append(torch.nn.MaxPool2d(layer["size"]))
            shape = [shape[0], shape[1] // layer["size"][0], shape[2] // layer["size"][1]]
        elif layer["type"] == "flatten":
            modules.append(torch.nn.Flatten())
            shape = [int(np.prod(shape))]
        elif layer["type"] == "dense":
            if len(shape) > 1:
                modules.append(torch.nn.Flatten())
                shape = [int(np.prod(shape))]
            modules.append(torch.nn.Linear(shape[0], layer["units"]))
            shape = [layer["units"]]
        else:
            raise ValueError(f"layer type {layer['type']!r} is not supported here")

        activation = layer.get("activation", "identity")
        if activation == "relu":
            modules.append(torch.nn.ReLU())
        elif activation == "softmax" and index != len(layers) - 1:
            raise ValueError("softmax is only supported on the last layer")
        elif activation not in ("identity", "softmax"):
            raise ValueError(f"activation {activation!r} is not supported here: "
                             "use relu, identity, or softmax on the last layer")
    return torch.nn.Sequential(*modules)


def train(model, images, labels, spec, generator):
    optimizer = torch.optim.Adam(model.parameters(), lr=spec["learning_rate"])
    images = torch.from_numpy(images)
    labels = torch.from_numpy(labels)
    model.train()
    for epoch in range(spec["epochs"]):
        order = torch.randperm(len(labels), generator=generator)
        total_loss = 0.0
        for start in range(0, len(labels), spec["batch"]):
            batch = order[start:start + spec["batch"]]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(images[batch]), labels[batch])
            loss.backward()
            optimizer.step()
            total_loss += loss.item() * len(batch)
        print(f"  epoch {epoch + 1}/{spec['epochs']}: mean loss "
              f"{total_loss / len(labels):.4f}", file=sys.stderr)
    model.eval()


def torch_predict(model, images):
    with torch.no_grad():
        return model(torch.from_numpy(images)).argmax(dim=1).numpy()


# Export

def f32_list(array):
    """Return an array's values as nested lists of the shortest decimals
    that read back as the same float32."""
    array = np.asarray(array, dtype=np.float32)
    if array.ndim > 1:
        return [f32_list(row) for row in array]
    return [float(str(value)) for value in array]


def export_layers(model, layers):
    """Return layers in document form with the model's weights and biases."""
    parameterized = [m for m in model if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
    exported = []
    for layer in layers:
        layer = dict(layer)
        if layer["type"] in ("conv2d", "dense"):
            module = parameterized.pop(0)
            weight = module.weight.detach().numpy()
            # Conv2d keeps PyTorch's [filters][channels][kh][kw]. Dense is
            # [inputs][units], the transpose of Linear.weight.
            layer["weights"] = f32_list(weight if layer["type"] == "conv2d" else weight.T)
            layer["bias"] = f32_list(module.bias.detach().numpy())
        exported.append(layer)
    assert not parameterized
    return exported


# Float32 forward pass in numpy, on a document's layers

def numpy_padding(layer):
    """Return ((top, bottom), (left, right)) for a conv2d layer."""
    padding = layer.get("padding", "valid")
    if padding == "valid":
        return (0, 0), (0, 0)
    if padding == "same":
        # The odd row or column of an even kernel goes after, as in PyTorch.
        return tuple(((k - 1) // 2, k - 1 - (k - 1) // 2) for k in layer["kernel"])
    return tuple((p, p) for p in padding)


def numpy_windows(x, kernel, stride):
    """Return the windows of x [n][c][h][w] as [n][c][oh][ow][kh][kw]."""
    windows = np.lib.stride_tricks.sliding_window_view(x, kernel, axis=(2, 3))
    return windows[:, :, ::stride[0], ::stride[1]]


def numpy_layer(layer, x):
    """Run one layer on a batch x in float32 and return the logits or outputs
    before the softmax."""
    kind = layer["type"]
    if kind == "conv2d":
        (top, bottom), (left, right) = numpy_padding(layer)
        x = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))
        weights = np.array(layer["weights"], dtype=np.float32)  # [f][c][kh][kw]
        windows = numpy_windows(x, layer["kernel"], layer.get("stride", [1, 1]))
        x = np.einsum("nchwij,fcij->nfhw", windows, weights, dtype=np.float32)
        x = x + np.array(layer["bias"], dtype=np.float32)[:, np.newaxis, np.newaxis]
    elif kind in ("maxpool2d", "avgpool2d"):
        windows = numpy_windows(x, layer["size"], layer.get("stride", layer["size"]))
        reduce = np.max if kind == "maxpool2d" else np.mean
        x = reduce(windows, axis=(4, 5)).astype(np.float32)
    elif kind == "flatten":
        x = x.reshape(len(x), -1)
    elif kind == "dense":
        weights = np.array(layer["weights"], dtype=np.float32)  # [inputs][units]
        x = x.reshape(len(x), -1) @ weights + np.array(layer["bias"], dtype=np.float32)
    else:
        raise ValueError(f"layer type {kind!r} is not supported here")

    # Softmax, on the last layer only, does not change the argmax.
    activation = layer.get("activation", "identity")
    if activation == "relu":
        x = np.maximum(x, np.float32(0))
    elif activation not in ("identity", "softmax"):
        raise ValueError(f"activation {activation!r} is not supported here")
    return x


def numpy_logits(layers, images, batch=1000):
    """Return the last layer's pre-activations [n][classes] for images."""
    results = []
    for start in range(0, len(images), batch):
        x = images[start:start + batch]
        for layer in layers:
            x = numpy_layer(layer, x)
        results.append(x)
    return np.concatenate(results)


def smallest_margins(logits):
    """Return each sample's gap between its two largest logits, relative to
    max(1, |largest|)."""
    top = np.sort(logits, axis=1)[:, -2:]
    return (top[:, 1] - top[:, 0]) / np.maximum(1.0, np.abs(top[:, 1]))


def softmax(logits):
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


# Documents

def to_json(value, indent=0, key=None, row=None):
    """Format a document like json.dumps(indent=2), with each list of numbers
    or strings on one line, a conv2d kernel [kh][kw] on one line, and the
    flat input values broken into image rows of row numbers."""
    pad = " " * (indent + 2)
    if isinstance(value, dict):
        items = [f"{pad}{json.dumps(k)}: {to_json(v, indent + 2, k, row)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    if isinstance(value, list) and value and isinstance(value[0], (dict, list)):
        kernels = key == "weights" and isinstance(value[0][0], list)
        if kernels and not isinstance(value[0][0][0], list):
            items = [pad + compact_numbers(item) for item in value]
        else:
            items = [pad + to_json(item, indent + 2, key, row) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"
    if key == "values" and row is not None and len(value) > row:
        lines = [pad + compact_numbers(value[i:i + row])[1:-1] for i in range(0, len(value), row)]
        return "[\n" + ",\n".join(lines) + "\n" + " " * indent + "]"
    if isinstance(value, list):
        return compact_numbers(value)
    return json.dumps(value, ensure_ascii=False)


def compact_number(value):
    """Write a whole float such as 1.0 as 1, and other numbers as JSON does."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return json.dumps(value, ensure_ascii=False)


def compact_numbers(values):
    if isinstance(values, list):
        return "[" + ", ".join(compact_numbers(v) for v in values) + "]"
    return compact_number(values)


def describe(spec, correct, samples, full_accuracy, sample, class_name):
    """Return the document's description in plain words."""
    percent = 100.0 * correct / samples
    trained = (f"It was trained with Adam for {spec['epochs']} epochs by "
               "tools/train-examples.py, which also measured these numbers. "
               f"The input is {class_name} from the test images (index {sample}, "
               "counting from 0).")
    if spec["file"] == "digits-dense.json":
        return ("Reads an 8×8 handwritten digit, 64 pixels with grey levels from 0 to 1, "
                "with 32 ReLU neurons and names it with 10 softmax outputs. The first dense "
                "layer takes the image row by row. Data: the digits set that ships with scikit-learn "
                "(UCI Optical Recognition of Handwritten Digits), 1437 images for training "
                f"and 360 for testing. It classifies {correct} of the {samples} test "
                f"images correctly ({percent:.1f} %). " + trained)
    if spec["file"] == "digits-cnn.json":
        return ("Reads an 8×8 handwritten digit with two 3×3 convolutions of 8 and 16 "
                "filters, each followed by 2×2 max pooling, then a dense softmax layer over "
                "the 64 remaining values names the digit. Data: the digits set that ships "
                "with scikit-learn (UCI Optical Recognition of Handwritten Digits), 1437 "
                f"images for training and 360 for testing. It classifies {correct} of the "
                f"{samples} test images correctly ({percent:.1f} %). " + trained)
    return ("Names the garment in a 28×28 greyscale Fashion-MNIST photo with two 3×3 "
            "convolutions of 8 and 16 filters, each followed by 2×2 max pooling, and a "
            "dense softmax layer over the 784 remaining values: the layout of LeNet with "
            "fewer filters. Data: Fashion-MNIST by Zalando Research, 60000 training and 10000 test "
            f"images. It classifies {correct} of the first {samples} test images correctly "
            f"({percent:.1f} %) and {full_accuracy:.1f} % of all 10000. " + trained)


def pick_sample(probabilities, labels, label, samples):
    """Return the index of the first evaluated test sample of class label
    to which the network gives a probability of at least 0.95 for it."""
    for index in range(samples):
        if labels[index] == label and probabilities[index, label] >= 0.95:
            return index
    raise RuntimeError(f"no test sample of class {label} gets a probability of 0.95 "
                       "or more: change the class in make_example()")


def build_document(spec, layers, image, evaluation, description):
    channels, height, width = image.shape
    document = {
        "format": "layerscope-network",
        # Image inputs and conv2d layers need version 2 (docs/FORMAT.md).
        "version": 2,
        "title": spec["title"],
        "description": description,
        "input": {"shape": [channels, height, width],
                  "values": f32_list(image.reshape(-1))},
        "layers": layers,
        "dataset": evaluation,
    }
    return to_json(document, row=width) + "\n"


# Checks

def evaluate(layers, model, images, labels, samples):
    """Count the correct predictions of layers on the first samples test
    images and check them against PyTorch. Return the count, the
    probabilities [samples][classes] and the accuracy in percent on all
    images."""
    logits = numpy_logits(layers, images)
    predicted = logits.argmax(axis=1)
    from_torch = torch_predict(model, images)

    stored = slice(0, samples)
    disagree = np.flatnonzero(predicted[stored] != from_torch[stored])
    if len(disagree):
        sys.exit(f"numpy and PyTorch predict different classes for test samples "
                 f"{disagree.tolist()}: change SEED or the training settings")
    margins = smallest_margins(logits[stored])
    if margins.min() < NEAR_TIE_MARGIN:
        sys.exit(f"test sample {int(margins.argmin())} has two logits within "
                 f"{margins.min():.2g} of each other: change SEED or the training settings")
    print(f"  smallest relative gap between the two largest logits: {margins.min():.3g}",
          file=sys.stderr)

    correct = int((predicted[stored] == labels[stored]).sum())
    full_accuracy = 100.0 * float((predicted == labels).mean())
    return correct, softmax(logits[stored]), full_accuracy


def make_example(spec, data, generator):
    (train_images, train_labels), (test_images, test_labels), samples = data
    started = time.monotonic()
    model = build_model(spec["layers"], train_images.shape[1:])
    print(f"{spec['file']}: training on {len(train_labels)} images", file=sys.stderr)
    train(model, train_images, train_labels, spec, generator)

    # Evaluate the weights as they read back from the document's text.
    layers = export_layers(model, spec["layers"])
    layers = json.loads(to_json(layers))
    correct, probabilities, full_accuracy = evaluate(layers, model, test_images,
                                                     test_labels, samples)

    if spec["dataset"] == "digits":
        label, class_name = 3, "a 3"
    else:
        label, class_name = FASHION_LABELS.index("Ankle boot"), "an ankle boot"
    sample = pick_sample(probabilities, test_labels, label, samples)
    evaluation = {"name": spec["dataset"], "split": "test",
                  "samples": samples, "correct": correct}
    description = describe(spec, correct, samples, full_accuracy, sample, class_name)
    text = build_document(spec, layers, test_images[sample], evaluation, description)
    assert json.loads(text)["layers"] == layers
    with open(os.path.join(EXAMPLES, spec["file"]), "w", encoding="utf-8") as output:
        output.write(text)

    print(f"{spec['file']}: {correct}/{samples} test samples correct "
          f"({100.0 * correct / samples:.1f} %), {full_accuracy:.2f} % of all "
          f"{len(test_labels)}; input is test sample {sample}; "
          f"{time.monotonic() - started:.0f} s", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets-dir", default=DATASETS,
                        help="directory with the shipped IDX files: the digits splits and "
                             "the first 1000 Fashion-MNIST test images (default: data/datasets)")
    parser.add_argument("--fashion-dir", default="/usr/share/datasets/fashion-mnist",
                        help="directory with Fashion-MNIST's {train,t10k}-{images-idx3,"
                             "labels-idx1}-ubyte.gz (default: %(default)s)")
    args = parser.parse_args()

    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(THREADS)
    generator = torch.Generator().manual_seed(SEED)
    started = time.monotonic()

    cache = {}
    for spec in NETWORKS:
        if spec["dataset"] not in cache:
            cache[spec["dataset"]] = load_dataset(spec["dataset"], args)
        make_example(spec, cache[spec["dataset"]], generator)
    print(f"total: {time.monotonic() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
