#!/bin/sh
# Fails when po/data-strings.pot differs from what
# tools/extract-data-strings.py writes for the examples in data/examples,
# so that a changed title, label or description reaches the translators.
set -eu

cd "$1"
expected=$(mktemp)
trap 'rm -f "$expected"' EXIT

/usr/bin/python3 tools/extract-data-strings.py . "$expected"
if ! diff -u po/data-strings.pot "$expected"; then
  echo "po/data-strings.pot is out of date: run tools/extract-data-strings.py . and commit it"
  exit 1
fi
