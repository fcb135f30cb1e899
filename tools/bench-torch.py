#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Time PyTorch's CPU forward pass on the networks that layerscope-bench uses.

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

With --compare FILE, where FILE is the output of `layerscope-bench --json`,
the table lists Layerscope's figures beside PyTorch's, with the ratio of
the medians. tools/run-benchmarks.sh runs both programs this way.
"""

import argparse
import json
import math
import statistics
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
    names = NETWORKS if args.network == "all" else [args.network]
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
        print(f'{r["engine"]:<12} {r["benchmark"]:<9} {r["network"]:<15} '
              f'{r["median"]:9.3f} {unit:<2} {r["min"]:9.3f} {unit:<2}   {counts:<22} '
              f'{describe_ratio(r, medians)}')


def describe_ratio(row, layerscope_medians):
    """Compare a PyTorch median with Layerscope's for the same benchmark."""
    reference = layerscope_medians.get((row["benchmark"], row["network"]))
    if row["engine"] == "layerscope" or not reference:
        return ""
    if row["median"] >= reference:
        return f'Layerscope {row["median"] / reference:.1f}× faster'
    return f'Layerscope {reference / row["median"]:.1f}× slower'


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--network", choices=["lesson", "mnist", "cnn", "attention", "all"], default="all",
                        help="which network to time (default: all)")
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

    torch.set_num_threads(args.threads)
    results = run(args)

    if args.json:
        json.dump({"torch_version": torch.__version__, "threads": torch.get_num_threads(),
                   "blas": find_blas_libraries(), "results": results}, sys.stdout, indent=2)
        print()
    else:
        print_table(results, layerscope_results)
        print(f"PyTorch {torch.__version__} on {torch.get_num_threads()} thread(s), "
              f"BLAS: {', '.join(find_blas_libraries())}")


if __name__ == "__main__":
    main()
