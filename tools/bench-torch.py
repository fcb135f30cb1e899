#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Time PyTorch's CPU forward pass and training on the networks that layerscope-bench uses.

Each network is an nn.Sequential in float32, run on one input of shape
[1, inputs] or [1, 1, 28, 28] under torch.no_grad():

  3-4-2           Linear, ReLU, Linear, Softmax       (the lesson network)
  784-128-64-10   Linear, ReLU, Linear, ReLU, Linear, Softmax
  cnn-28x28       Conv2d(1, 8, 3, padding=1), ReLU, MaxPool2d(2),
                  Conv2d(8, 16, 3, padding=1), ReLU, MaxPool2d(2),
                  Flatten, Linear(784, 10), Softmax   (LeNet-sized)
  attention-50x64 MultiheadAttention(64, 4, batch_first=True) on one
                  sequence [1, 50, 64] as self-attention, returning the
                  output and the per-head weights (need_weights=True,
                  average_attn_weights=False), as Layerscope keeps both

PyTorch runs on one thread (torch.set_num_threads(1)) because Layerscope's
forward pass is single-threaded. The measuring method is layerscope-bench's:
an untimed warm-up, then batches of a fixed number of calls, reporting the
median and the minimum time per call over the batches. Two engines are
timed: "pytorch", the eager nn.Sequential called from Python, and
"pytorch-jit", the same model through torch.jit.trace and torch.jit.freeze.
For attention a third engine, "pytorch-fast", calls the layer with
need_weights=False, which lets PyTorch 1.13 take its fused fast path in
inference and skip returning the weights.
nn.Linear calls the BLAS library behind libblas.so.3, which on Debian is the
unoptimised reference BLAS unless OpenBLAS or BLIS is installed, so the
table's last line names the BLAS libraries that were loaded.

Two training benchmarks use a standard PyTorch loop: per batch
optimizer.zero_grad(), the forward pass, the loss, loss.backward() and
optimizer.step(), with the samples shuffled by torch.randperm each epoch.
Each runs on one thread ("pytorch"), and on PyTorch's default number of
threads and on one thread per CPU when these differ ("pytorch-Nthr"):

  train 2-8-8-2   throughput on 1000 spiral points: Linear(2, 8), Tanh,
                  Linear(8, 8), Tanh, Linear(8, 2), and nn.CrossEntropyLoss
                  on the last layer's output, which equals Layerscope's
                  softmax output with cross-entropy; batch 10, SGD with
                  learning rate 0.1 and momentum 0.9. The points follow the
                  spiral formula of src/engine/ls-samples.c with PyTorch's
                  own random draws. The figure is the time per sample, over
                  batches of whole epochs.
  converge 64-32-10
                  the digits set of data/datasets: Linear(64, 32), ReLU,
                  Linear(32, 10) with nn.CrossEntropyLoss, batch 32, Adam
                  with learning rate 0.01. The figure is the wall time from
                  the start of training to the end of the first epoch after
                  which the accuracy on the 360 test images is 95 % or more,
                  including the test evaluations. It is the median over 5
                  seeds, and so is the epoch count.

With --compare FILE, where FILE is the output of `layerscope-bench --json`,
the table lists Layerscope's figures beside PyTorch's, with the ratio of
the medians. tools/run-benchmarks.sh runs both programs this way.
"""

import argparse
import gzip
import json
import math
import os
import statistics
import struct
import sys
import time

import torch

def build_dense(inputs, layers):
    modules = []
    for units, activation in layers:
        modules.append(torch.nn.Linear(inputs, units))
        modules.append(activation())
        inputs = units
    return torch.nn.Sequential(*modules).eval()


def build_cnn():
    return torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(8, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(16 * 7 * 7, 10), torch.nn.Softmax(dim=-1)).eval()


class SelfAttention(torch.nn.Module):
    """Self-attention that returns the output and every head's weights."""

    def __init__(self, d, heads, need_weights=True):
        super().__init__()
        self.attention = torch.nn.MultiheadAttention(d, heads, batch_first=True)
        self.need_weights = need_weights

    def forward(self, x):
        return self.attention(x, x, x, need_weights=self.need_weights,
                              average_attn_weights=False)


def build_attention():
    return SelfAttention(64, 4).eval()


# name: (shape shown in the table, input shape, model builder)
NETWORKS = {
    "lesson": ("3-4-2", (1, 3),
               lambda: build_dense(3, [(4, torch.nn.ReLU), (2, lambda: torch.nn.Softmax(dim=-1))])),
    "mnist": ("784-128-64-10", (1, 784),
              lambda: build_dense(784, [(128, torch.nn.ReLU), (64, torch.nn.ReLU),
                                        (10, lambda: torch.nn.Softmax(dim=-1))])),
    "cnn": ("cnn-28x28", (1, 1, 28, 28), build_cnn),
    "attention": ("attention-50x64", (1, 50, 64), build_attention),
}


def find_blas_libraries():
    """Return the BLAS libraries mapped into this process, which PyTorch's
    nn.Linear calls. Debian's python3-torch uses whichever libblas.so.3 the
    system provides. Only Linux's /proc/self/maps is read."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.split()[-1]}
    except OSError:
        return ["unknown"]
    return sorted(paths) or ["none found"]


def measure(func, batches, iterations, warmup_seconds, batch_seconds):
    """Return (median, min) seconds per call and the calls per batch."""
    count = 0
    start = time.perf_counter()
    while True:
        func()
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= warmup_seconds:
            break
    if iterations == 0:
        iterations = max(1, int(batch_seconds / (elapsed / count)))

    per_call = []
    for _ in range(batches):
        start = time.perf_counter()
        for _ in range(iterations):
            func()
        per_call.append((time.perf_counter() - start) / iterations)
    return statistics.median(per_call), min(per_call), iterations


def run(args):
    torch.manual_seed(0)
    results = []
    names = NETWORKS if args.network == "all" else [n for n in NETWORKS if n == args.network]
    for name in names:
        shape, input_shape, build = NETWORKS[name]
        model = build()
        x = torch.rand(*input_shape, dtype=torch.float32)
        with torch.no_grad():
            jit_model = torch.jit.freeze(torch.jit.trace(model, x))
            engines = [("pytorch", lambda: model(x)), ("pytorch-jit", lambda: jit_model(x))]
            if isinstance(model, SelfAttention):
                fast_model = SelfAttention(64, 4, need_weights=False).eval()
                fast_model.load_state_dict(model.state_dict())
                engines.append(("pytorch-fast", lambda: fast_model(x)))
            for engine, func in engines:
                median, minimum, iterations = measure(
                    func, args.batches, args.iterations,
                    args.warmup_ms / 1000, args.batch_ms / 1000)
                results.append({"engine": engine, "benchmark": "forward", "network": shape,
                                "unit": "us", "median": median * 1e6, "min": minimum * 1e6,
                                "batches": args.batches, "iterations": iterations})
    return results


# The training benchmarks, as layerscope-bench's "train" and "converge".
SPIRAL_SAMPLES = 1000
SPIRAL_TURNS = 1.75          # as in src/engine/ls-samples.c
SPIRAL_NOISE = 0.1
DIGITS_TARGET_ACCURACY = 0.95
DIGITS_MAX_EPOCHS = 200
DIGITS_SEEDS = (1, 2, 3, 4, 5)


def make_spiral(n, noise, generator):
    """Return n spiral points [n, 2] and their labels [n], class 1 the arm
    of class 0 rotated by pi, with uniform noise in [-noise, noise]."""
    u = torch.rand(n, generator=generator)
    labels = torch.arange(n) % 2
    angle = SPIRAL_TURNS * 2 * math.pi * u + math.pi * labels
    points = torch.stack([u * torch.cos(angle), u * torch.sin(angle)], dim=1)
    points += noise * (2 * torch.rand(n, 2, generator=generator) - 1)
    return points, labels


def train_epoch(model, optimizer, loss_function, x, y, batch_size, generator):
    """Run one epoch of the standard training loop on shuffled samples."""
    order = torch.randperm(len(x), generator=generator)
    for start in range(0, len(x), batch_size):
        batch = order[start:start + batch_size]
        optimizer.zero_grad()
        loss = loss_function(model(x[batch]), y[batch])
        loss.backward()
        optimizer.step()


def measure_spiral_training(args, engine):
    """Time training epochs of the 2-8-8-2 network on the spiral points."""
    generator = torch.Generator().manual_seed(1)
    x, y = make_spiral(SPIRAL_SAMPLES, SPIRAL_NOISE, generator)
    model = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 8),
                                torch.nn.Tanh(), torch.nn.Linear(8, 2))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss_function = torch.nn.CrossEntropyLoss()

    def run_epoch():
        train_epoch(model, optimizer, loss_function, x, y, 10, generator)

    # One epoch takes milliseconds, so a batch is at least one epoch.
    median, minimum, iterations = measure(run_epoch, args.batches, 0,
                                          args.warmup_ms / 1000, args.batch_ms / 1000)
    return {"engine": engine, "benchmark": "train", "network": "2-8-8-2", "unit": "us",
            "median": median / SPIRAL_SAMPLES * 1e6, "min": minimum / SPIRAL_SAMPLES * 1e6,
            "batches": args.batches, "iterations": iterations, "samples": SPIRAL_SAMPLES}


def read_idx(path):
    """Return the dimensions and bytes of a gzip-compressed IDX file of
    unsigned bytes, the format of the MNIST files."""
    with gzip.open(path, "rb") as file:
        data = file.read()
    zero, kind, rank = struct.unpack(">HBB", data[:4])
    if zero != 0 or kind != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    dims = struct.unpack(f">{rank}I", data[4:4 + 4 * rank])
    return dims, data[4 + 4 * rank:]


def load_digits(data_dir, split):
    """Return the digits split as inputs [n, 64] in [0, 1] and labels [n]."""
    dims, pixels = read_idx(os.path.join(data_dir, f"digits-{split}-images-idx3-ubyte.gz"))
    _, labels = read_idx(os.path.join(data_dir, f"digits-{split}-labels-idx1-ubyte.gz"))
    images = torch.frombuffer(bytearray(pixels), dtype=torch.uint8).reshape(dims[0], 64)
    return images.float() / 16, torch.frombuffer(bytearray(labels), dtype=torch.uint8).long()


def train_digits_until(seed, train, test):
    """Train 64-32-10 from a seeded start until the test accuracy reaches
    DIGITS_TARGET_ACCURACY; return the seconds and epochs it took, or
    (nan, DIGITS_MAX_EPOCHS) when it never does."""
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    loss_function = torch.nn.CrossEntropyLoss()

    start = time.perf_counter()
    for epoch in range(1, DIGITS_MAX_EPOCHS + 1):
        train_epoch(model, optimizer, loss_function, train[0], train[1], 32, generator)
        with torch.no_grad():
            accuracy = (model(test[0]).argmax(dim=1) == test[1]).float().mean().item()
        if accuracy >= DIGITS_TARGET_ACCURACY:
            return time.perf_counter() - start, epoch
    return math.nan, DIGITS_MAX_EPOCHS


def measure_digits_convergence(args, engine):
    try:
        train = load_digits(args.data_dir, "train")
        test = load_digits(args.data_dir, "test")
    except (OSError, ValueError, struct.error) as error:
        sys.exit(f"bench-torch.py: cannot read the digits from {args.data_dir}: {error}; "
                 "name their folder with --data-dir")
    runs = [train_digits_until(seed, train, test) for seed in DIGITS_SEEDS]
    seconds = [run[0] for run in runs]
    return {"engine": engine, "benchmark": "converge", "network": "64-32-10", "unit": "ms",
            "median": statistics.median(seconds) * 1e3, "min": min(seconds) * 1e3,
            "batches": len(runs), "iterations": 1,
            "epochs": statistics.median(run[1] for run in runs)}


def run_training(args, default_threads):
    """Run the training benchmarks on one thread, on PyTorch's default
    count and on one thread per CPU."""
    results = []
    for threads in dict.fromkeys((1, default_threads, os.cpu_count() or 1)):
        torch.set_num_threads(threads)
        engine = "pytorch" if threads == 1 else f"pytorch-{threads}thr"
        if args.network in ("spiral", "training", "all"):
            results.append(measure_spiral_training(args, engine))
        if args.network in ("digits", "training", "all"):
            results.append(measure_digits_convergence(args, engine))
    return results


def print_table(results, layerscope_results):
    header = ("Engine", "Benchmark", "Network", "Median", "Min", "Batches × iterations")
    print(f"{header[0]:<12} {header[1]:<9} {header[2]:<15} {header[3]:>12} {header[4]:>12}"
          f"   {header[5]:<22}")
    medians = {(r["benchmark"], r["network"]): r["median"] for r in layerscope_results}
    rows = [dict(r, engine="layerscope") for r in layerscope_results] + results
    keys = list(dict.fromkeys((r["benchmark"], r["network"]) for r in rows))
    rows.sort(key=lambda r: keys.index((r["benchmark"], r["network"])))
    for r in rows:
        unit = "µs" if r["unit"] == "us" else r["unit"]
        counts = f'{r["batches"]} × {r["iterations"]}'
        if "epochs" in r:
            counts = f'{r["batches"]} runs, {r["epochs"]:g} epochs'
        print(f'{r["engine"]:<12} {r["benchmark"]:<9} {r["network"]:<15} '
              f'{r["median"]:9.3f} {unit:<2} {r["min"]:9.3f} {unit:<2}   {counts:<22} '
              f'{describe_ratio(r, medians)}')


def describe_ratio(row, layerscope_medians):
    """Compare a PyTorch median with Layerscope's for the same benchmark,
    after the throughput of a training row."""
    throughput = ""
    if row["benchmark"] == "train":
        throughput = f'{1e6 / row["median"]:,.0f} samples/s  '
    reference = layerscope_medians.get((row["benchmark"], row["network"]))
    if row["engine"] == "layerscope" or not reference or not math.isfinite(row["median"]):
        return throughput
    if row["median"] >= reference:
        return f'{throughput}Layerscope {row["median"] / reference:.1f}× faster'
    return f'{throughput}Layerscope {reference / row["median"]:.1f}× slower'


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--network",
                        choices=["lesson", "mnist", "cnn", "attention", "spiral", "digits", "training", "all"],
                        default="all", help="which network to time; spiral and digits are the training "
                        "benchmarks, and training runs both (default: all)")
    parser.add_argument("--batches", type=int, default=21,
                        help="number of timed batches; the median and minimum are over these (default: 21)")
    parser.add_argument("--iterations", type=int, default=0,
                        help="calls per batch; 0 fits as many as take --batch-ms (default: 0)")
    parser.add_argument("--warmup-ms", type=float, default=200.0,
                        help="untimed warm-up before each measurement, in milliseconds (default: 200)")
    parser.add_argument("--batch-ms", type=float, default=20.0,
                        help="target duration of one batch when --iterations is 0, in milliseconds (default: 20)")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch.set_num_threads() value (default: 1, as Layerscope's forward pass)")
    parser.add_argument("--compare", metavar="FILE",
                        help="output of `layerscope-bench --json` to list beside PyTorch's figures")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    parser.add_argument("--data-dir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                           "..", "data", "datasets"),
                        help="folder of the digits IDX files (default: data/datasets of this source tree)")
    args = parser.parse_args()
    if args.batches < 1:
        parser.error(f"invalid value {args.batches} for --batches: use 1 or more")
    if args.threads < 1:
        parser.error(f"invalid value {args.threads} for --threads: use 1 or more")
    if args.iterations < 0:
        parser.error(f"invalid value {args.iterations} for --iterations: use 0 or more")
    if not (math.isfinite(args.warmup_ms) and args.warmup_ms >= 0):
        parser.error(f"invalid value {args.warmup_ms} for --warmup-ms: use 0 or more")
    if not (math.isfinite(args.batch_ms) and args.batch_ms > 0):
        parser.error(f"invalid value {args.batch_ms} for --batch-ms: use more than 0")
    return args


def main():
    args = parse_args()
    layerscope_results = []
    if args.compare:
        try:
            with open(args.compare, encoding="utf-8") as file:
                layerscope_results = json.load(file)["results"]
        except (OSError, ValueError, KeyError) as error:
            sys.exit(f"bench-torch.py: cannot read layerscope-bench results from {args.compare}: {error}")

    default_threads = torch.get_num_threads()
    torch.set_num_threads(args.threads)
    results = run(args)
    results += run_training(args, default_threads)

    if args.json:
        json.dump({"torch_version": torch.__version__, "threads": args.threads,
                   "default_threads": default_threads,
                   "blas": find_blas_libraries(), "results": results}, sys.stdout, indent=2)
        print()
    else:
        print_table(results, layerscope_results)
        print(f"PyTorch {torch.__version__}, forward pass on {args.threads} thread(s), default "
              f"{default_threads} thread(s), BLAS: {', '.join(find_blas_libraries())}")


if __name__ == "__main__":
    main()
