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
xvfb xauth"

if [ "${1:-}" = "--benchmark" ]; then
  packages="$packages python3 python3-numpy python3-torch"
fi

missing=""
for package in $packages; do
  if ! dpkg-query -W -f '${Status}\n' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
    missing="$missing $package"
  fi
done

if [ -z "$missing" ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=""
else
  sudo="sudo"
fi

echo "Installing:$missing"
$sudo apt-get update -q
# shellcheck disable=SC2086 # the package list is split on purpose
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing
