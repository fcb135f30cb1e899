#!/bin/sh
# Builds Layerscope and runs the whole test suite twice: in build/ and in
# build-sanitize/ with AddressSanitizer and UndefinedBehaviorSanitizer.
# The window tests run under Xvfb, so no display is needed.
set -eu

cd "$(dirname "$0")/.."
tools/install-deps.sh

run_suite () {
  build_dir=$1
  shift
  if [ ! -f "$build_dir/build.ninja" ]; then
    meson setup "$build_dir" "$@"
  fi
  meson compile -C "$build_dir"
  xvfb-run -a -s '-screen 0 1920x1080x24' meson test -C "$build_dir" --print-errorlogs
}

run_suite build
run_suite build-sanitize -Db_sanitize=address,undefined -Db_lundef=false
