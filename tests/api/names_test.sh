#!/usr/bin/env bash
# Names through the real API (issue 9, finding 10): look-alikes of an existing connection
# name are name_taken (on create, rename and a flow's integration), NFC is stored, legit
# distinct names are accepted, control/bidi/invisible characters are name_invalid for
# every kind of name, and a 1 MB token name is name_too_long. Every response is checked
# against schemas/openapi.json.
set -euo pipefail
export LC_ALL=C.UTF-8  # $'\u..' escapes below must come out as UTF-8
bin="$1"
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin" serve --data "$work/data" --listen 127.0.0.1:0 --max-body 4194304 >"$work/out" 2>"$work/log" &
pid=$!
for _ in $(seq 100); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
base="$(grep -o 'http://[0-9.:]*' "$work/out")"
[[ -n "$base" ]] || { echo "FAIL: host did not start"; cat "$work/log"; exit 1; }
admin="$(cat "$work/data/admin.token")"
failures=0; passed=0
check() { # name expected actual
  if [[ "$2" == "$3" ]]; then passed=$((passed+1)); else failures=$((failures+1)); echo "FAIL: $1: expected [$2] got [$3]"; fi
}
conforms() { # METHOD PATH
  [[ -n "${OPENAPI_CHECK:-}" ]] || return 0
  local out
  if ! out="$("$OPENAPI_CHECK" --content-type "$content_type" "$1" "$2" "$status" "$work/body" 2>&1)"; then
    failures=$((failures+1)); echo "FAIL: $1 $2 -> $status does not follow schemas/openapi.json:"; echo "$out"
  fi
}
req() { # TOKEN METHOD PATH BODY_FILE -> $status, $content_type, $body
  read -r status content_type <<<"$(curl -s -o "$work/body" -w '%{http_code} %{content_type}' -X "$2" "$base$3" \
    -H "Authorization: Bearer $1" -H 'Content-Type: application/json' --data-binary "@$4")"
  body="$(cat "$work/body")"
  conforms "$2" "$3"
}
# json_req TOKEN METHOD PATH JQ_PROGRAM NAME: the body is built by jq so any bytes can be a name.
json_req() {
  jq -nc --arg name "$5" "$4" >"$work/request"
  req "$1" "$2" "$3" "$work/request"
}
connection() { json_req "$token" POST /v1/projects/names/connections '{name: $name, provider: "openai", config: {api_key: "sk-names-test"}}' "$1"; }
field() { jq -r "$1" <<<"$body"; }

printf '{"id":"names","name":"Names"}' >"$work/p"; req "$admin" POST /v1/projects "$work/p"
printf '{"role":"admin"}' >"$work/t"; req "$admin" POST /v1/projects/names/tokens "$work/t"; token="$(field .token)"

connection 'Acme Billing'; check "create Acme Billing" 201 "$status"; acme="$(field .id)"
connection $'Caf\u00e9'; check "create Café (NFC)" 201 "$status"
connection 'Straße'; check "create Straße" 201 "$status"
connection 'info'; check "create info" 201 "$status"

# 13+ look-alikes of those three, each name_taken.
declare -A lookalikes=(
  ["Cyrillic А"]=$'\u0410cme Billing'
  ["Cyrillic е inside"]=$'Acm\u0435 Billing'
  ["fullwidth"]=$'\uff21cme Billing'
  ["fullwidth word"]=$'\uff41\uff43\uff4d\uff45 billing'
  ["ASCII case"]='ACME BILLING'
  ["doubled space"]='Acme  Billing'
  ["Latin script g"]=$'Acme Billin\u0261'
  ["Cyrillic а in Café"]=$'C\u0430f\u00e9'
  ["NFD é"]=$'Cafe\u0301'
  ["CAFÉ"]=$'CAF\u00c9'
  ["CAFÉ NFD"]=$'CAFE\u0301'
  ["ß/SS"]='STRASSE'
  ["dotless ı"]=$'\u0131nfo'
  ["dotted İ"]=$'\u0130nfo'
  ["Cyrillic і"]=$'\u0456nfo'
  ["digit 1 for l"]='Acme Bi1ling'
)
for what in "${!lookalikes[@]}"; do
  connection "${lookalikes[$what]}"
  check "look-alike ($what) refused" 409 "$status"
  check "look-alike ($what): code" name_taken "$(field '.code')"
done

# NFC is stored: the NFD spelling of a new name comes back composed.
connection $'Ren\u0065\u0301e'; check "create NFD name" 201 "$status"
check "stored in NFC" $'Ren\u00e9e' "$(field .name)"

# Legit distinct names are fine.
for name in 'Acme Billing 2' 'Cafe' 'Strasse Nord' 'infos' $'\u6771\u4eac' 'Team A' 'Team B'; do
  connection "$name"; check "distinct name '$name' accepted" 201 "$status"
done

# Refused characters, for connection, project, token, flow and integration names.
declare -A bad=(
  ["zero-width space"]=$'Ac\u200bme'
  ["zero-width joiner"]=$'Ac\u200dme'
  ["NBSP"]=$'Acme\u00a0Two'
  ["right-to-left override"]=$'\u202eemcA'
  ["isolate"]=$'a\u2066b\u2069'
  ["BOM"]=$'\ufeffAcme'
  ["C1 control"]=$'a\u0085b'
  ["C0 escape"]=$'a\x1b[2Jb'
  ["leading space"]=' Acme Three'
)
for what in "${!bad[@]}"; do
  connection "${bad[$what]}"
  check "connection name with $what" 422 "$status"
  check "connection name with $what: error code" name_invalid "$(field '.errors[0].code')"
done
json_req "$token" PATCH "/v1/projects/names/connections/$acme" '{name: $name}' $'Acme\u202eBilling'
check "rename to a bidi override" name_invalid "$(field '.errors[0].code')"
json_req "$token" PATCH "/v1/projects/names/connections/$acme" '{name: $name}' $'Caf\u00c9'
check "rename to a look-alike of another" 409 "$status"
json_req "$token" PATCH "/v1/projects/names/connections/$acme" '{name: $name}' 'ACME billing'
check "rename to its own look-alike" 200 "$status"
json_req "$admin" POST /v1/projects '{id: "bidi", name: $name}' $'Proj\u202eect'
check "project name with a bidi override" name_invalid "$(field '.errors[0].code')"
json_req "$token" POST /v1/projects/names/tokens '{role: "member", name: $name}' $'ci\u200bbot'
check "token name with a zero-width space" name_invalid "$(field '.errors[0].code')"
json_req "$token" PUT /v1/projects/names/flows/daily '{name: $name, connections: []}' $'Daily\u0085'
check "flow name with a C1 control" name_invalid "$(field '.errors[0].code')"
json_req "$token" PUT /v1/projects/names/flows/daily \
  '{name: "Daily", integrations: [{provider: "openai", name: $name, config: {api_key: "sk-names-int"}}]}' $'\u0410CME BILLING'
check "a look-alike integration name reuses that connection" "$acme" "$(field '.integrations[0].connection')"
json_req "$token" PUT /v1/projects/names/flows/daily \
  '{name: "Daily", integrations: [{provider: "openai", name: $name, config: {api_key: "sk-names-int"}}]}' $'Int\u200bgr'
check "integration name with a zero-width space" name_invalid "$(field '.errors[0].code')"

# Bounded: 200 characters pass, 201 do not, and a 1 MB token name is refused.
connection "$(printf 'n%.0s' $(seq 200))"; check "200-character name" 201 "$status"
connection "$(printf 'm%.0s' $(seq 201))"; check "201-character name" name_too_long "$(field '.errors[0].code')"
head -c 1048576 /dev/zero | tr '\0' 'x' >"$work/big"
jq -nc --rawfile name "$work/big" '{role: "member", name: $name}' >"$work/request"
req "$token" POST /v1/projects/names/tokens "$work/request"
check "1 MB token name refused" 422 "$status"
check "1 MB token name: code" name_too_long "$(field '.errors[0].code')"
check "no internals in the detail" false "$(grep -qi 'icu\|/tmp\|\.cpp' <<<"$body" && echo true || echo false)"

echo "names: $passed passed, $failures failed"
[[ $failures -eq 0 ]]
