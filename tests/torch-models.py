#!/usr/bin/env python3
"""PyTorch models for the test of tools/torch-to-layerscope.py.

Each function without arguments builds one model. Run as a script,

    torch-models.py CONVERTER OUTDIR CASE

builds the model of CASE with seeded weights, saves its state_dict and
runs the converter on this file and that state_dict. The converter builds
a fresh model with unseeded weights, so it must load the state_dict to
pass. The script writes the document to OUTDIR/CASE.json, and to
OUTDIR/CASE.expected the input values on the first line and PyTorch's
outputs for that input on the second.
"""

import subprocess
import sys

import torch
from torch import nn

INPUT_SHAPES = {
    "dense": (4,),
    "activations": (3,),
    "conv": (1, 8, 8),
    "conv_strided": (2, 7, 7),
    "unsupported": (4,),
}


def dense():
    return nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 3), nn.Softmax(dim=1))


def activations():
    return nn.Sequential(
        nn.Linear(3, 4), nn.LeakyReLU(),
        nn.Linear(4, 4), nn.Sigmoid(),
        nn.Dropout(0.5),
        nn.Linear(4, 4), nn.Tanh(),
        nn.Identity(),
        nn.Linear(4, 2), nn.GELU(),
        nn.Linear(2, 2, bias=False),
    )


def conv():
    # The (2, 3) kernel with padding="same" pads one row after and none
    # before, which the converter writes as "same".
    return nn.Sequential(
        nn.Conv2d(1, 3, 3, padding=1), nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(3, 2, (2, 3), padding="same"), nn.Tanh(),
        nn.AvgPool2d(2, stride=2),
        nn.Flatten(),
        nn.Linear(8, 3), nn.Softmax(dim=-1),
    )


def conv_strided():
    return nn.Sequential(
        nn.Conv2d(2, 2, 3, stride=2, padding=1), nn.GELU(),
        nn.Sequential(nn.Conv2d(2, 1, (1, 2)), nn.Sigmoid()),
        nn.Flatten(),
        nn.Linear(12, 2),
    )


def unsupported():
    return nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))


def write_case(converter, outdir, case):
    torch.manual_seed(3)
    model = globals()[case]()
    with torch.no_grad():
        # Non-zero biases everywhere, so that a dropped bias shows.
        for name, parameter in model.named_parameters():
            if name.endswith("bias"):
                parameter.uniform_(-0.5, 0.5)
    model.eval()
    shape = INPUT_SHAPES[case]
    x = torch.rand(shape) * 4 - 2
    with torch.no_grad():
        output = model(x[None]).reshape(-1)

    state = f"{outdir}/{case}.pt"
    torch.save(model.state_dict(), state)
    subprocess.run(
        [sys.executable, converter, __file__, state, "--model", case,
         "--input-shape", ",".join(str(size) for size in shape),
         "-o", f"{outdir}/{case}.json"],
        check=True,
    )
    with open(f"{outdir}/{case}.expected", "w", encoding="utf-8") as expected:
        expected.write(" ".join(f"{value:.9g}" for value in x.reshape(-1).tolist()) + "\n")
        expected.write(" ".join(f"{value:.9g}" for value in output.tolist()) + "\n")


if __name__ == "__main__":
    write_case(*sys.argv[1:4])
