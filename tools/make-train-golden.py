#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the reference training runs that tests/test-trainer.c compares against.

Output: tests/data/train-golden.json. For each small dense network it
contains the data, the initial weights [inputs][units] and biases, and
the loss and optimiser settings. After 1, 2 and 5 training steps it
records the weights, the biases and the loss of that step (computed
before its update), as PyTorch computes them in float32:

  ce_sgd       2-4-3, tanh then softmax, cross-entropy of the softmax
               layer's pre-activation, torch.optim.SGD with momentum 0.9
               and weight decay on the weights only (two parameter groups)
  ce_adam      the same network and data with torch.optim.Adam
  mse_sigmoid  3-5-2, sigmoid then identity, torch.nn.MSELoss on two
               target values, SGD with momentum 0.5 and weight decay
  ce_logits    2-4-3, tanh then identity, the outputs read as logits by
               torch.nn.CrossEntropyLoss, SGD without momentum

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

import json
import os
import random

import numpy as np
import torch

OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "..", "tests", "data", "train-golden.json")

STEPS_RECORDED = (1, 2, 5)

ACTIVATIONS = {
    "identity": lambda x: x,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "softmax": lambda x: x,  # cross-entropy applies log-softmax to the pre-activation
}

# name, seed of random.Random, input size, [(units, activation)], loss,
# optimiser settings, samples, classes (0 for regression) or target size
CASES = [
    ("ce_sgd", 11, 2, [(4, "tanh"), (3, "softmax")], "cross_entropy",
     {"optimizer": "sgd", "learning_rate": 0.1, "momentum": 0.9, "l2": 0.01},
     12, {"classes": 3}),
    ("ce_adam", 11, 2, [(4, "tanh"), (3, "softmax")], "cross_entropy",
     {"optimizer": "adam", "learning_rate": 0.05, "beta1": 0.9, "beta2": 0.999,
      "epsilon": 1e-8, "l2": 0.01},
     12, {"classes": 3}),
    ("mse_sigmoid", 23, 3, [(5, "sigmoid"), (2, "identity")], "mean_squared",
     {"optimizer": "sgd", "learning_rate": 0.2, "momentum": 0.5, "l2": 0.001},
     10, {"targets": 2}),
    ("ce_logits", 37, 2, [(4, "tanh"), (3, "identity")], "cross_entropy",
     {"optimizer": "sgd", "learning_rate": 0.5, "momentum": 0.0, "l2": 0.0},
     9, {"classes": 3}),
]


def f32(x):
    """Return the shortest decimal that reads back as the float32 nearest x."""
    return float(repr(np.float32(x)))


def f32_list(values):
    return [f32(v) for v in np.asarray(values, dtype=np.float32).reshape(-1)]


def uniform_matrix(rng, rows, columns, scale):
    return [[f32(rng.uniform(-scale, scale)) for _ in range(columns)] for _ in range(rows)]


def make_case(name, seed, inputs, layers, loss_name, optimizer, n_samples, outputs):
    rng = random.Random(seed)
    sizes = [inputs] + [units for units, _ in layers]
    init = []
    for i, (units, activation) in enumerate(layers):
        init.append({
            "units": units,
            "activation": activation,
            "weights": uniform_matrix(rng, sizes[i], units, 1.0),  # [inputs][units]
            "bias": [f32(rng.uniform(-0.5, 0.5)) for _ in range(units)],
        })

    data = {"inputs": uniform_matrix(rng, n_samples, inputs, 1.0)}
    if "classes" in outputs:
        data["classes"] = outputs["classes"]
        data["labels"] = [i % outputs["classes"] for i in range(n_samples)]
        rng.shuffle(data["labels"])
    else:
        data["targets"] = uniform_matrix(rng, n_samples, outputs["targets"], 2.0)

    steps = train(init, loss_name, optimizer, data)

    return {
        "name": name,
        "loss": loss_name,
        "settings": optimizer,
        "data": data,
        "layers": init,
        "steps": steps,
    }


def train(init, loss_name, optimizer, data):
    linears = []
    for layer in init:
        weights = torch.tensor(layer["weights"], dtype=torch.float32)
        linear = torch.nn.Linear(weights.shape[0], weights.shape[1])
        with torch.no_grad():
            linear.weight.copy_(weights.T)  # torch stores [units][inputs]
            linear.bias.copy_(torch.tensor(layer["bias"], dtype=torch.float32))
        linears.append(linear)

    groups = [
        {"params": [l.weight for l in linears], "weight_decay": optimizer["l2"]},
        {"params": [l.bias for l in linears], "weight_decay": 0.0},
    ]
    if optimizer["optimizer"] == "adam":
        opt = torch.optim.Adam(groups, lr=optimizer["learning_rate"],
                               betas=(optimizer["beta1"], optimizer["beta2"]),
                               eps=optimizer["epsilon"])
    else:
        opt = torch.optim.SGD(groups, lr=optimizer["learning_rate"],
                              momentum=optimizer["momentum"])

    x = torch.tensor(data["inputs"], dtype=torch.float32)
    steps = []
    for step in range(1, max(STEPS_RECORDED) + 1):
        opt.zero_grad()
        h = x
        for linear, layer in zip(linears, init):
            h = ACTIVATIONS[layer["activation"]](linear(h))
        if loss_name == "cross_entropy":
            loss = torch.nn.functional.cross_entropy(h, torch.tensor(data["labels"]))
        else:
            loss = torch.nn.functional.mse_loss(h, torch.tensor(data["targets"], dtype=torch.float32))
        loss.backward()
        opt.step()
        if step in STEPS_RECORDED:
            steps.append({
                "step": step,
                "loss": f32(loss.item()),
                "layers": [{"weights": [f32_list(row) for row in l.weight.detach().T],
                            "bias": f32_list(l.bias.detach())} for l in linears],
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
