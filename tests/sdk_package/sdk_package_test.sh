#!/usr/bin/env bash
# Proves the SDK works outside this source tree, as a third party would use it:
#   1. install the built project into a fresh temporary prefix: every SDK header compiles
#      on its own against it, and the field meta-schema is there;
#   2. configure examples/hello_provider against that prefix only, and build it;
#   3. check that hello.so exports sb_provider_entry and nothing else;
#   4. run the example's own unit test (FakeHost);
#   5. load hello.so with the host's CLI: plugins check, plugins list, validate;
#   6. drop hello.so into the installed host's plugin folder and list it from there.
#
# Usage: sdk_package_test.sh BUILD_DIR SWITCHBOARD_BINARY SOURCE_DIR
# Needs everything in BUILD_DIR built first (it installs every target).
set -euo pipefail

if [[ $# -ne 3 ]]; then
  echo "usage: $0 BUILD_DIR SWITCHBOARD_BINARY SOURCE_DIR" >&2
  exit 2
fi
build_dir="$(cd "$1" && pwd)"
switchboard="$2"
source_dir="$(cd "$3" && pwd)"
example="$source_dir/examples/hello_provider"

# Nothing from the caller's environment may point the build or the host elsewhere.
unset CMAKE_PREFIX_PATH SWITCHBOARD_PLUGINS

work="$(mktemp -d "${TMPDIR:-/tmp}/switchboard-sdk-package.XXXXXX")"
trap 'rm -rf "$work"' EXIT
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND" >&2' ERR
prefix="$work/prefix"
example_build="$work/hello-build"

step() { printf '\n== %s\n' "$*"; }
fail() {
  printf 'FAIL: %s\n' "$1" >&2
  if [[ $# -gt 1 ]]; then printf '%s\n' "$2" | sed 's/^/  | /' >&2; fi
  exit 1
}
# run EXPECTED_EXIT CMD...: runs CMD, keeps its stdout+stderr in $out, and fails unless
# it exited with EXPECTED_EXIT.
run() {
  local expected="$1" rc=0
  shift
  out="$("$@" 2>&1)" || rc=$?
  printf '%s\n' "$out" | sed 's/^/  | /'
  [[ $rc -eq $expected ]] || fail "'$*' exited $rc, expected $expected" "$out"
}
expect_line() {  # expect_line REGEX WHAT: some line of $out matches REGEX
  grep -Eq -- "$1" <<<"$out" || fail "expected $2 (a line matching /$1/)" "$out"
}

[[ -x "$switchboard" ]] || fail "no switchboard executable at $switchboard: build the project first"

step "install $build_dir into $prefix"
run 0 cmake --install "$build_dir" --prefix "$prefix"
headers=(provider_abi.h provider.hpp probe.hpp probe_result.hpp http_util.hpp json_util.hpp
  text_util.hpp oauth_util.hpp oauth2_client.hpp oauth2_probe.hpp testing.hpp)
for header in "${headers[@]}"; do
  [[ -e "$prefix/include/switchboard/$header" ]] || fail "the install has no include/switchboard/$header"
done
for file in share/switchboard/provider-field-schema.json \
    lib/cmake/SwitchboardSDK/SwitchboardSDKConfig.cmake \
    lib/cmake/SwitchboardSDK/SwitchboardSDKConfigVersion.cmake \
    lib/cmake/SwitchboardSDK/SwitchboardProvider.cmake bin/switchboard; do
  [[ -e "$prefix/$file" ]] || fail "the install has no $file"
done

step "each installed header compiles on its own, and the README and the guide list it"
cxx="${CXX:-c++}"
for header in "$prefix"/include/switchboard/*; do
  name="$(basename "$header")"
  printf '#include <switchboard/%s>\n' "$name" |
    run 0 "$cxx" -std=c++17 -Wall -Wextra -Werror -fsyntax-only -I"$prefix/include" -x c++ -
  grep -qF "\`include/switchboard/$name\`" "$source_dir/sdk/README.md" ||
    fail "sdk/README.md's header table does not list $name"
  grep -qF "\`switchboard/$name\`" "$source_dir/docs/plugin-guide.md" ||
    fail "docs/plugin-guide.md's header table does not list $name"
  grep -qF "/include/switchboard/$name" "$source_dir/docs/plugin-guide.md" ||
    fail "docs/plugin-guide.md's install listing does not show $name"
done
grep -q 'SwitchboardSDK_FIELD_SCHEMA' "$prefix/lib/cmake/SwitchboardSDK/SwitchboardSDKConfig.cmake" ||
  fail "the CMake package does not name the installed meta-schema"

step "configure examples/hello_provider against $prefix only"
generator=()
if command -v ninja >/dev/null; then generator=(-G Ninja); fi
run 0 cmake -S "$example" -B "$example_build" "${generator[@]}" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
  -DCMAKE_CXX_FLAGS=-Werror
sdk_dir="$(sed -n 's/^SwitchboardSDK_DIR:[A-Z]*=//p' "$example_build/CMakeCache.txt")"
[[ "$sdk_dir" == "$prefix/lib/cmake/SwitchboardSDK" ]] ||
  fail "SwitchboardSDK was found at '$sdk_dir', not in the temporary prefix"

step "build hello.so and hello_provider_test"
run 0 cmake --build "$example_build" --parallel 2
if grep -qF -- "$source_dir/sdk" "$example_build/compile_commands.json"; then
  fail "the example's compile commands reach into the source tree ($source_dir/sdk)"
fi
so="$example_build/hello.so"
[[ -f "$so" ]] || fail "the build made no $so"
[[ -x "$example_build/hello_provider_test" ]] ||
  fail "hello_provider_test was not built (is Catch2 2.x installed?)"

step "hello.so exports sb_provider_entry and nothing else"
run 0 nm -D --defined-only "$so"
exports="$(awk '{print $NF}' <<<"$out")"
[[ "$exports" == "sb_provider_entry" ]] || fail "hello.so exports more than sb_provider_entry" "$exports"

step "the example's own unit test"
run 0 ctest --test-dir "$example_build" --output-on-failure
expect_line 'tests passed, 0 tests failed out of 1' "hello_provider_test to pass"

step "switchboard plugins check hello.so"
run 0 "$switchboard" plugins check "$so"
expect_line '^ok: ' "an ok verdict"
expect_line '^  id: +hello$' "the provider id hello"
expect_line '^    token \(string, secret, required' "the token field, marked secret and required"

step "switchboard plugins list --plugins <dir of hello.so>"
run 0 "$switchboard" plugins list --plugins "$example_build"
expect_line "^hello +Hello API +1\.0\.0 +.*/hello\.so$" "hello in the list"
builtin=0
for plugin in "$build_dir"/lib/switchboard/plugins/*.so; do
  [[ -e "$plugin" ]] || continue
  builtin=$((builtin + 1))
  expect_line "/$(basename "$plugin")$" "the built-in $(basename "$plugin") alongside hello"
done
[[ $builtin -gt 0 ]] || fail "no built-in plugin in $build_dir/lib/switchboard/plugins"

step "switchboard validate hello: a good config"
printf '{"token": "hello_0123456789"}\n' >"$work/good.json"
run 0 "$switchboard" validate hello "$work/good.json" --plugins "$example_build"
expect_line '^valid$' "the good config to be valid"

step "switchboard validate hello: a bad config"
printf '{"token": "sk-0123456789", "endpoint": "ftp://files.example"}\n' >"$work/bad.json"
run 1 "$switchboard" validate hello "$work/bad.json" --plugins "$example_build"
expect_line '^token  bad_prefix  ' "the plugin's own token rule"
expect_line '^endpoint  pattern_mismatch  ' "the schema's endpoint pattern"

step "the installed host finds hello.so in <prefix>/lib/switchboard/plugins"
cp "$so" "$prefix/lib/switchboard/plugins/"
run 0 "$prefix/bin/switchboard" plugins list
expect_line "^hello +Hello API +1\.0\.0 +$prefix/lib/switchboard/plugins/hello\.so$" \
  "hello loaded from the installed plugin folder"

printf '\nsdk_package: every check passed\n'
