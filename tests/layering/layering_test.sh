#!/usr/bin/env bash
# layering_test.sh CORE_DIR BUILD_DIR TARGET:LIBRARY:HEADER:EXPECTED...
# Builds each case's object library. "compiles" must build; "refused" must fail, and
# fail because the compiler found no such header (any other failure is a broken case).
# First, no file of CORE_DIR may name a header by an absolute path or with a ".." segment
# anywhere in it ("../store/x.hpp", "model/../store/x.hpp"): the compiler would find it
# beside the including file or through another layer's root, past the layering.
set -uo pipefail
core="$1"
build="$2"
shift 2
failures=0
if bypasses="$(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*["<](/|[^">]*\.\.)' "$core")"; then
  echo "FAIL: includes that go around the layers' include roots:"
  echo "$bypasses"
  failures=$((failures + 1))
else
  echo "ok: no include in core/ names a header by an absolute path or through \"..\""
fi
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
