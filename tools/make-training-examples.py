#!/usr/bin/python3
"""Write the untrained starting networks data/examples/xor.json and spiral.json.

Their weights are drawn with a fixed seed from the uniform distribution that
PyTorch's nn.Linear uses by default, U(-1/sqrt(inputs), 1/sqrt(inputs)), so that
every run of this script writes the same files. Training them in the window
on the "xor" and "spiral" sets is what the examples are for.

Usage: tools/make-training-examples.py [OUTPUT_FOLDER]
"""

import json
import math
import random
import re
import sys
from pathlib import Path

SEED = 20261205


def dense(rng, name, inputs, units, activation, labels=None):
    bound = 1.0 / math.sqrt(inputs)
    layer = {
        "type": "dense",
        "name": name,
        "units": units,
        "activation": activation,
        "weights": [[round(rng.uniform(-bound, bound), 3) for _ in range(units)]
                    for _ in range(inputs)],
        "bias": [round(rng.uniform(-bound, bound), 3) for _ in range(units)],
    }
    if labels is not None:
        layer["labels"] = labels
    return layer


def to_json(document):
    """Format like the other examples: each innermost array on one line."""
    text = json.dumps(document, indent=2, ensure_ascii=False)
    return re.sub(r"\[\s*([^\[\]{}]*?)\s*\]",
                  lambda match: "[" + re.sub(r",\s+", ", ", match.group(1)) + "]", text) + "\n"


def network(title, description, layers):
    return {
        "format": "layerscope-network",
        "version": 1,
        "title": title,
        "description": description,
        "input": {"shape": [2], "values": [0.5, -0.5], "labels": ["x", "y"]},
        "layers": layers,
    }


def main():
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent.parent / "data" / "examples"
    rng = random.Random(SEED)
    classes = ["class 0", "class 1"]

    xor = network(
        "XOR",
        "Two inputs, four tanh neurons and a softmax over two classes, with random "
        "starting weights. No single line separates the classes of exclusive or, so "
        "the hidden layer has to bend the plane. Pick the exclusive-or set under "
        "Training and press play.",
        [dense(rng, "hidden", 2, 4, "tanh"),
         dense(rng, "output", 4, 2, "softmax", classes)])

    spiral = network(
        "Spiral",
        "Two inputs, two layers of eight tanh neurons and a softmax over two classes, "
        "with random starting weights. The two spiral arms wind around each other, so "
        "the network needs both hidden layers to separate them. Pick the two-spirals "
        "set under Training and press play.",
        [dense(rng, "hidden 1", 2, 8, "tanh"),
         dense(rng, "hidden 2", 8, 8, "tanh"),
         dense(rng, "output", 8, 2, "softmax", classes)])

    for name, document in (("xor.json", xor), ("spiral.json", spiral)):
        path = folder / name
        path.write_text(to_json(document), encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
