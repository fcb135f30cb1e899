#!/bin/sh
# Runs layerscope-bench and tools/bench-torch.py in one go and prints one
# table with Layerscope's and PyTorch's figures side by side. Meson's
# benchmark target calls it as
#   run-benchmarks.sh BUILD/tools/layerscope-bench SOURCE/tools/bench-torch.py [OPTIONS]
# where OPTIONS go to layerscope-bench. The PyTorch part is skipped, with
# a note, when no Python with torch is found; LAYERSCOPE_BENCH_PYTHON names
# the interpreter to try first.
set -eu

if [ "$#" -lt 2 ]; then
  echo "usage: $0 LAYERSCOPE_BENCH BENCH_TORCH_PY [LAYERSCOPE_BENCH_OPTIONS...]" >&2
  exit 2
fi
bench=$1
bench_torch=$2
shift 2

python=
for candidate in ${LAYERSCOPE_BENCH_PYTHON:-} python3 /usr/bin/python3; do
  if "$candidate" -c 'import torch' >/dev/null 2>&1; then
    python=$candidate
    break
  fi
done

if [ -z "$python" ]; then
  "$bench" "$@"
  echo "No Python with PyTorch found, so only Layerscope's figures are shown."
  exit 0
fi

results=$(mktemp)
trap 'rm -f "$results"' EXIT
"$bench" --json "$@" >"$results"
"$python" "$bench_torch" --compare "$results"
