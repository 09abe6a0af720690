#!/usr/bin/env bash
# A reload whose new version's schema no longer accepts some stored connections (issue
# 10, part 4): the report names them (count and ids, for every project, only for added or
# updated providers), the CLI and the SIGHUP log say how many, and nothing stored changes.
# fixture_ok (region ^[a-z]{2}-[a-z]+$) is replaced by its strict build (same id and
# file name, region ^(eu|us)-[a-z]+$), which refuses "ap-south" and "sa-east".
# Usage: reload_compat_test.sh SWITCHBOARD PLUGIN_DIR GOOD_FIXTURE STRICT_FIXTURE OPENAPI_CHECK
set -euo pipefail
bin="$1" plugin_dir="$2" good_fixture="$3" strict_fixture="$4" openapi_check="$5"
source "$(dirname "$0")/../durability/host_helpers.sh"
use_scratch_data
plugins="$work/plugins"
mkdir -p "$plugins"
cp "$plugin_dir/openai.so" "$good_fixture" "$plugins/"
host_args=(--no-default-plugins --plugins "$plugins" --probe-interval 0)
start_host
make_project  # project st, $admin, $token

# Every reload answer conforms to the OpenAPI document.
reload() {
  local code
  code="$(curl -s -o "$work/report" -w '%{http_code}' -X POST -H "Authorization: Bearer $admin" \
    "$base/v1/admin/plugins/reload")"
  [[ "$code" == 200 ]] || fail "reload answered $code: $(cat "$work/report")"
  "$openapi_check" --content-type application/json POST /v1/admin/plugins/reload 200 "$work/report" >&2 ||
    fail "the reload report does not conform: $(head -c 600 "$work/report")"
  cat "$work/report"
}
item_of() { jq -c --arg f "$2" '.plugins[] | select(.file == $f)' <<<"$1"; }
install() {  # install LIBRARY: as a reload expects, written beside and renamed over
  cp "$1" "$plugins/.fixture_ok.so.new"
  mv "$plugins/.fixture_ok.so.new" "$plugins/fixture_ok.so"
}
create() {  # create PROJECT TOKEN NAME CONFIG -> id
  local body
  body="$(curl -s -X POST -H "Authorization: Bearer $2" -H 'Content-Type: application/json' \
    "$base/v1/projects/$1/connections?probe=false" -d "{\"name\":\"$3\",\"provider\":\"fixture_ok\",\"config\":$4}")"
  jq -er .id <<<"$body" || fail "create $3: $body"
}
snapshot() {  # snapshot FILE: every connection below, as the API shows it, byte for byte
  : >"$1"
  local c
  for c in "st $token $asia" "st $token $europe" "st $token $plain" "far $far_token $south" "st $token $openai"; do
    read -r p t id <<<"$c"
    curl -s -H "Authorization: Bearer $t" "$base/v1/projects/$p/connections/$id" >>"$1"
    echo >>"$1"
  done
}

curl -sf -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  "$base/v1/projects" -d '{"id":"far","name":"Far"}' >/dev/null || fail "create project far"
far_token="$(curl -sf -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  "$base/v1/projects/far/tokens" -d '{"role":"admin"}' | jq -r .token)"

# Two connections the strict version refuses (in two projects), two it accepts (one by
# its default region), and one of another provider, which is not checked at all.
asia="$(create st "$token" Asia '{"token":"sekret-asia-41f","region":"ap-south"}')"
europe="$(create st "$token" Europe '{"token":"sekret-europe-9c2","region":"eu-west"}')"
plain="$(create st "$token" Plain '{"token":"sekret-plain-07a"}')"
south="$(create far "$far_token" South '{"token":"sekret-south-5e8","region":"sa-east"}')"
openai="$(curl -s -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  "$base/v1/projects/st/connections?probe=false" \
  -d '{"name":"Other","provider":"openai","config":{"api_key":"sk-sekret-openai","base_url":"http://127.0.0.1:9/v1"}}' |
  jq -er .id)" || fail "create the openai connection"
snapshot "$work/before"

# Nothing changed: nothing checked, nothing reported.
report="$(reload)"
[[ "$(item_of "$report" fixture_ok.so | jq -r .action)" == unchanged ]] || fail "not unchanged: $report"
jq -e '[.plugins[] | has("incompatible_connections")] | any | not' <<<"$report" >/dev/null ||
  fail "an unchanged provider was checked: $report"

# The strict version: updated, the two refused connections reported, with their fields.
install "$strict_fixture"
report="$(reload)"
item="$(item_of "$report" fixture_ok.so)"
[[ "$(jq -r .action <<<"$item")" == updated ]] || fail "strict version not updated: $report"
jq -e '.incompatible_connections | .count == 2 and .checked == 4 and .unreadable == 0 and .truncated == false' \
  <<<"$item" >/dev/null || fail "incompatible connections: $item"
jq -e --arg a "$asia" --arg s "$south" '.incompatible_connections.ids | sort_by(.project) ==
    [{"project":"far","id":$s,"fields":["region"]}, {"project":"st","id":$a,"fields":["region"]}]' \
  <<<"$item" >/dev/null || fail "incompatible ids: $item"
jq -e '.plugins[] | select(.file == "openai.so") | has("incompatible_connections") | not' <<<"$report" >/dev/null ||
  fail "the unchanged openai was reported: $report"
if grep -q sekret <<<"$report"; then fail "the report shows a secret: $report"; fi
version="$(curl -s -H "Authorization: Bearer $admin" "$base/v1/providers" |
  jq -r '.items[] | select(.id == "fixture_ok") | .version')"
[[ "$version" == 1.1.0 ]] || fail "the strict version is not serving: $version"

# Stored data is never changed: every connection reads the same, byte for byte.
snapshot "$work/after"
cmp -s "$work/before" "$work/after" || fail "a stored connection changed: $(diff "$work/before" "$work/after")"

# Reported again only when the provider changes again: an unchanged one is not checked.
report="$(reload)"
item="$(item_of "$report" fixture_ok.so)"
[[ "$(jq -r .action <<<"$item")" == unchanged ]] || fail "second reload: $item"
jq -e 'has("incompatible_connections") | not' <<<"$item" >/dev/null || fail "reported again unchanged: $item"

# The CLI: back to the permissive version (nothing to report), then the strict one (a
# note under its line), then unchanged (no note).
install "$good_fixture"
out="$("$bin" plugins reload --url "$base" --token "$admin")" || fail "CLI reload failed: $out"
grep -q "^updated *fixture_ok *fixture_ok.so" <<<"$out" || fail "CLI after the permissive version: $out"
if grep -q "no longer pass" <<<"$out"; then fail "the permissive version reported connections: $out"; fi
install "$strict_fixture"
out="$("$bin" plugins reload --url "$base" --token "$admin")" || fail "CLI reload failed: $out"
grep -q "2 stored connections no longer pass its schema (kept unchanged):" <<<"$out" || fail "CLI note: $out"
grep -q "st/$asia" <<<"$out" && grep -q "far/$south" <<<"$out" || fail "CLI ids: $out"
out="$("$bin" plugins reload --url "$base" --token "$admin")" || fail "CLI reload failed: $out"
grep -q "^unchanged *fixture_ok" <<<"$out" || fail "CLI unchanged: $out"
if grep -q "no longer pass" <<<"$out"; then fail "the CLI reported an unchanged provider: $out"; fi

# An added provider is checked too, and SIGHUP logs the count (never a secret).
rm "$plugins/fixture_ok.so"
[[ "$(item_of "$(reload)" fixture_ok.so | jq -r .action)" == removed ]] || fail "fixture not removed"
install "$strict_fixture"
kill -HUP "$pid"
for _ in $(seq 100); do
  grep -q "of provider fixture_ok no longer pass its schema" "$work/log" && break
  sleep 0.1
done
grep -q "reload: 2 of 4 stored connection(s) of provider fixture_ok no longer pass its schema" "$work/log" ||
  fail "SIGHUP logged no count: $(tail -5 "$work/log")"
if grep -q sekret "$work/log"; then fail "the log shows a secret"; fi

# More than 100: the first 100 ids, truncated.
for i in $(seq 101); do
  cat <<CONF
url = "$base/v1/projects/st/connections?probe=false"
request = "POST"
header = "Authorization: Bearer $token"
header = "Content-Type: application/json"
data-binary = "{\\"name\\":\\"Many-$i\\",\\"provider\\":\\"fixture_ok\\",\\"config\\":{\\"token\\":\\"t$i\\",\\"region\\":\\"ap-east\\"}}"
write-out = "%{http_code}\\n"
output = "/dev/null"
next
CONF
done >"$work/many"
# The strict version serving refuses them: create them under the permissive one.
install "$good_fixture"
reload >/dev/null
[[ "$(curl -s -K "$work/many" | grep -c '^201$')" == 101 ]] || fail "could not create 101 connections"
install "$strict_fixture"
item="$(item_of "$(reload)" fixture_ok.so)"
jq -e '.incompatible_connections | .count == 103 and .checked == 105 and .truncated == true and (.ids | length) == 100' \
  <<<"$item" >/dev/null || fail "more than 100: $(jq -c '.incompatible_connections | del(.ids)' <<<"$item")"

snapshot "$work/after"
cmp -s "$work/before" "$work/after" || fail "a stored connection changed: $(diff "$work/before" "$work/after")"
kill -0 "$pid" || fail "the host stopped"
stop_host
echo "reload compat: ok"
