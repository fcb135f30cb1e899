#!/bin/sh
# Builds Layerscope and runs the whole test suite twice: in build/ and in
# build-sanitize/ with AddressSanitizer and UndefinedBehaviorSanitizer.
# The window tests run under Xvfb, so no display is needed.
set -eu

cd "$(dirname "$0")/.."
tools/install-deps.sh --tests

passed=0
failed=0

# Adds the counts of meson's summary in build dir $1 to passed and failed.
count_results () {
  summary=$(cat "$1/meson-logs/testlog.txt")
  ok=$(printf '%s\n' "$summary" | sed -n 's/^Ok: *\([0-9]*\).*/\1/p' | tail -n 1)
  bad=$(printf '%s\n' "$summary" | sed -n 's/^\(Fail\|Timeout\|Unexpected Pass\): *\([0-9]*\).*/\2/p' |
        awk '{ sum += $1 } END { print sum + 0 }')
  passed=$((passed + ${ok:-0}))
  failed=$((failed + bad))
}

run_suite () {
  build_dir=$1
  shift
  if [ ! -f "$build_dir/build.ninja" ]; then
    meson setup "$build_dir" "$@"
  fi
  meson compile -C "$build_dir"
  status=0
  xvfb-run -a -s '-screen 0 1920x1080x24' meson test -C "$build_dir" --print-errorlogs || status=$?
  count_results "$build_dir"
  return "$status"
}

status=0
run_suite build || status=$?
run_suite build-sanitize -Db_sanitize=address,undefined -Db_lundef=false || status=$?

# One line that sums up both runs, counted in meson tests.
echo "$passed passed, $failed failed"
exit "$status"
