#!/usr/bin/env bash
# layering_test.sh BUILD_DIR TARGET:LIBRARY:HEADER:EXPECTED...
# Builds each case's object library. "compiles" must build; "refused" must fail, and
# fail because the compiler found no such header (any other failure is a broken case).
set -uo pipefail
build="$1"
shift
failures=0
for case in "$@"; do
  IFS=: read -r target library header expected <<<"$case"
  output="$(cmake --build "$build" --target "$target" 2>&1)"
  status=$?
  if [[ "$expected" == compiles ]]; then
    if ((status == 0)); then
      echo "ok: $library may include $header"
    else
      echo "FAIL: $library should reach $header, but the build failed:"
      echo "$output" | grep -m5 -E 'error|fatal' || echo "$output" | tail -5
      failures=$((failures + 1))
    fi
  elif ((status == 0)); then
    echo "FAIL: $library includes $header, an upper layer's header, and it compiled"
    failures=$((failures + 1))
  elif grep -qF "$header: No such file or directory" <<<"$output"; then
    echo "ok: $library cannot include $header"
  else
    echo "FAIL: $library including $header failed, but not for the missing header:"
    echo "$output" | grep -m5 -E 'error|fatal' || echo "$output" | tail -5
    failures=$((failures + 1))
  fi
done
if ((failures > 0)); then
  echo "$failures layering case(s) failed"
  exit 1
fi
echo "all $# layering cases hold"
