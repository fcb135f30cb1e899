#!/bin/sh
# Installs what is missing, builds Layerscope in build/ and opens its
# window on the lesson's example network. Arguments go to layerscope, so
# `tools/run-app.sh FILE.json` opens a file instead.
set -eu

# File arguments are relative to the folder the script was started from.
start_dir=$PWD
cd "$(dirname "$0")/.."
tools/install-deps.sh

if [ ! -f build/build.ninja ]; then
  meson setup build
fi
meson compile -C build

# The development environment points the app at the settings schema in
# build/data and at the examples in data/, so it runs uninstalled.
exec meson devenv -C build --workdir "$start_dir" layerscope "$@"
