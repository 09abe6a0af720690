#!/usr/bin/env bash
# Hot reload against the real host (issue 10, part 4): POST /v1/admin/plugins/reload,
# `switchboard plugins reload` and SIGHUP rescan the plugin folder; a new library is
# added, a refused new version leaves the old one serving, a removed library's provider
# becomes unavailable (503 plugin_unavailable) with its connections untouched.
# Usage: reload_test.sh SWITCHBOARD PLUGIN_DIR GOOD_FIXTURE BROKEN_FIXTURE_DIR
set -euo pipefail
bin="$1" plugin_dir="$2" good_fixture="$3" broken_dir="$4"
source "$(dirname "$0")/../durability/host_helpers.sh"
use_scratch_data
plugins="$work/plugins"
mkdir -p "$plugins"
cp "$plugin_dir/openai.so" "$good_fixture" "$plugins/"
host_args=(--no-default-plugins --plugins "$plugins" --probe-interval 0)
start_host
admin="$(cat "$data/admin.token")"

reload() { curl -s -X POST -H "Authorization: Bearer $admin" "$base/v1/admin/plugins/reload"; }
action_of() { jq -r --arg f "$2" '.plugins[] | select(.file == $f) | .action' <<<"$1"; }
validate_code() {
  curl -s -o "$work/validated" -w '%{http_code}' -X POST -H "Authorization: Bearer $admin" \
    -H 'Content-Type: application/json' "$base/v1/providers/$1/validate" -d "$2"
}
state_of() {
  curl -s -H "Authorization: Bearer $admin" "$base/v1/providers" |
    jq -r --arg id "$1" '.items[] | select(.id == $id) | .availability.state'
}

# Nothing changed: everything is unchanged, and only the server admin may ask.
report="$(reload)"
[[ "$(action_of "$report" openai.so)" == unchanged ]] || fail "openai not unchanged: $report"
[[ "$(action_of "$report" fixture_ok.so)" == unchanged ]] || fail "fixture not unchanged: $report"
make_project
code="$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $token" "$base/v1/admin/plugins/reload")"
[[ "$code" == 403 ]] || fail "a project admin's reload answered $code"

# A connection of the fixture, kept through everything below.
created="$(curl -s -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  "$base/v1/projects/st/connections?probe=false" -d '{"name":"Kept","provider":"fixture_ok","config":{"token":"t1"}}')"
kept="$(jq -r .id <<<"$created")"
[[ "$kept" != null ]] || fail "create: $created"

# A new library is added.
cp "$plugin_dir/trello.so" "$plugins/"
report="$(reload)"
[[ "$(action_of "$report" trello.so)" == added ]] || fail "trello not added: $report"
[[ "$(state_of trello)" == available ]] || fail "trello not listed as available"
code="$(validate_code trello '{"api_key":"0123456789abcdef0123456789abcdef","token":"x"}')"
[[ "$code" == 200 ]] || fail "trello validate after reload answered $code"

# A broken new version is refused and the old one keeps serving.
cp "$broken_dir/bad_version.so" "$plugins/.fixture_ok.so.new"
mv "$plugins/.fixture_ok.so.new" "$plugins/fixture_ok.so"
report="$(reload)"
[[ "$(action_of "$report" fixture_ok.so)" == refused ]] || fail "bad version not refused: $report"
[[ "$(jq -r '.plugins[] | select(.file == "fixture_ok.so") | .reason' <<<"$report")" == invalid_manifest ]] ||
  fail "refusal reason: $report"
jq -e '.plugins[] | select(.file == "fixture_ok.so") | .message | contains("/") | not' <<<"$report" >/dev/null ||
  fail "the refusal names a path: $report"
code="$(validate_code fixture_ok '{"token":"bad"}')"
[[ "$code" == 200 ]] || fail "the old fixture stopped serving: $code"
jq -e '.errors[0].code == "fixture_bad_token"' "$work/validated" >/dev/null || fail "old fixture answer: $(cat "$work/validated")"

# The CLI prints the same report and exits 1 while a library is refused.
set +e
out="$("$bin" plugins reload --url "$base" --token "$admin")"
rc=$?
set -e
[[ "$rc" == 1 ]] || fail "plugins reload exited $rc with a refused library"
grep -q "refused.*fixture_ok.so.*\[invalid_manifest\]" <<<"$out" || fail "CLI report: $out"

# A removed library's provider is unavailable; its connection stays, untouched.
rm "$plugins/fixture_ok.so"
report="$(reload)"
[[ "$(action_of "$report" fixture_ok.so)" == removed ]] || fail "fixture not removed: $report"
[[ "$(state_of fixture_ok)" == unavailable ]] || fail "removed fixture is $(state_of fixture_ok)"
code="$(validate_code fixture_ok '{"token":"t"}')"
[[ "$code" == 503 ]] || fail "validate of a removed provider answered $code"
jq -e '.code == "plugin_unavailable"' "$work/validated" >/dev/null || fail "removed: $(cat "$work/validated")"
got="$(curl -s -H "Authorization: Bearer $token" "$base/v1/projects/st/connections/$kept")"
[[ "$(jq -r .name <<<"$got")" == Kept ]] || fail "the connection changed: $got"
curl -s "$base/healthz" | jq -e '.plugins.not_available[] | select(.id == "fixture_ok") | .state == "unavailable"' \
  >/dev/null || fail "healthz does not name the unavailable fixture"
curl -s "$base/metrics" | grep -q 'switchboard_plugin_up{provider="fixture_ok"} 0' || fail "metrics: fixture up"

# SIGHUP reloads too: the fixture comes back.
cp "$good_fixture" "$plugins/"
kill -HUP "$pid"
for _ in $(seq 100); do
  [[ "$(state_of fixture_ok)" == available ]] && break
  sleep 0.1
done
[[ "$(state_of fixture_ok)" == available ]] || fail "SIGHUP did not bring the fixture back"
code="$(validate_code fixture_ok '{"token":"bad"}')"
[[ "$code" == 200 ]] || fail "fixture after SIGHUP answered $code"
kill -0 "$pid" || fail "the host stopped"
stop_host
echo "reload: ok"
