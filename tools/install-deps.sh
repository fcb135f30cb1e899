#!/bin/sh
# Installs the Debian 12 packages that building, running and testing
# Layerscope need, through sudo unless already root. Packages that are
# installed already are left alone.
set -eu

packages="meson ninja-build pkg-config gcc gettext
libglib2.0-dev libglib2.0-dev-bin libglib2.0-bin libgtk-4-dev libadwaita-1-dev
libjson-glib-dev libcairo2-dev libpango1.0-dev
fonts-cantarell fonts-dejavu-core
desktop-file-utils appstream
xvfb xauth locales"

# --tests and --benchmark add Python with NumPy and PyTorch, because the
# test of "Show code" runs the generated scripts and the benchmark
# compares with PyTorch. Running the app needs neither.
case "${1:-}" in
  --tests | --benchmark)
    packages="$packages python3 python3-numpy python3-torch"
    ;;
esac

missing=""
for package in $packages; do
  if ! dpkg-query -W -f '${Status}\n' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
    missing="$missing $package"
  fi
done

if [ "$(id -u)" -eq 0 ]; then
  sudo=""
else
  sudo="sudo"
fi

if [ -n "$missing" ]; then
  echo "Installing:$missing"
  $sudo apt-get update -q
  # shellcheck disable=SC2086 # the package list is split on purpose
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing
fi

# The number and translation tests switch to these locales and fail when
# one is missing. localedef builds each one that `locale -a` does not list
# (it lists de_DE.UTF-8 as de_DE.utf8).
for locale in de_DE fr_FR es_ES; do
  if ! locale -a | grep -qx "$locale.utf8"; then
    echo "Generating the $locale.UTF-8 locale"
    $sudo localedef -i "$locale" -c -f UTF-8 "$locale.UTF-8"
  fi
done
