#!/usr/bin/env bash
# One hostile request each, against the real host (issue 9, findings 1-4): long strings
# in pattern-checked fields, a wrong JSON type in any field, thousands of duplicate
# scopes, 58,000 levels of nesting, a NUL byte, bytes that are not UTF-8. Each must get
# a 4xx problem with per-field errors where a config is at fault, never a 500 or a
# crash; /healthz must answer after every one. Responses follow schemas/openapi.json.
set -euo pipefail
bin="$1"
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin" serve --data "$work/data" --listen 127.0.0.1:0 >"$work/out" 2>"$work/log" &
pid=$!
for _ in $(seq 100); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
base="$(grep -o 'http://[0-9.:]*' "$work/out")"
[[ -n "$base" ]] || { echo "FAIL: host did not start"; cat "$work/log"; exit 1; }
admin="$(cat "$work/data/admin.token")"
failures=0; passed=0
check() { # name expected actual
  if [[ "$2" == "$3" ]]; then passed=$((passed+1)); else failures=$((failures+1)); echo "FAIL: $1: expected [$2] got [$3]"; fi
}
conforms() { # METHOD PATH, with $status, $content_type and $work/body of the response
  [[ -n "${OPENAPI_CHECK:-}" ]] || return 0
  local out
  if ! out="$("$OPENAPI_CHECK" --content-type "$content_type" "$1" "$2" "$status" "$work/body" 2>&1)"; then
    failures=$((failures+1)); echo "FAIL: $1 $2 -> $status does not follow schemas/openapi.json:"; echo "$out"
  fi
}
# reqf TOKEN METHOD PATH FILE -> sets $status, $content_type and $body (the body from a
# file: some are larger than one command-line argument may be)
reqf() {
  read -r status content_type <<<"$(curl -s -o "$work/body" -w '%{http_code} %{content_type}' -X "$2" \
    -H "Authorization: Bearer $1" -H 'Content-Type: application/json' --data-binary @"$4" "$base$3")"
  body="$(cat "$work/body")"
  conforms "$2" "$3"
}
req() { printf '%s' "$4" >"$work/request"; reqf "$1" "$2" "$3" "$work/request"; }
alive() { # after each hostile request the host still answers
  check "$1: host still up" 200 "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$base/healthz" || echo down)"
}
repeat() { head -c "$2" /dev/zero | tr '\0' "$1"; }  # CHAR COUNT
codes() { jq -r '[(.errors // [])[] | "\(.field):\(.code)"] | join(",")' <<<"$body"; }

req "$admin" POST /v1/projects '{"id":"alpha","name":"Alpha"}'
req "$admin" POST /v1/projects/alpha/tokens '{"role":"admin"}'; token="$(jq -r .token <<<"$body")"
req "$token" POST /v1/projects/alpha/connections '{"name":"Main","provider":"openai","config":{"api_key":"sk-good"}}'
check "a connection to change" 201 "$status"; cid="$(jq -r .id <<<"$body")"

# Finding 1: 30,000 characters in a pattern-checked field crashed the host (std::regex).
long="$(repeat A 30000)"
req "$token" POST /v1/providers/openai/validate "{\"api_key\":\"sk-$long\"}"
check "long api_key validates" 200 "$status"; alive "validate long api_key"
req "$token" POST /v1/projects/alpha/connections "{\"name\":\"Long\",\"provider\":\"openai\",\"config\":{\"api_key\":\"sk-x\",\"organization\":\"org-$long!\"}}"
check "create: long organization" 422 "$status"; check "create: its error" "config.organization:pattern_mismatch" "$(codes)"
alive "create long organization"
req "$token" PATCH "/v1/projects/alpha/connections/$cid" "{\"config\":{\"project\":\"proj_$long!\"}}"
check "patch: long project" 422 "$status"; check "patch: its error" "config.project:pattern_mismatch" "$(codes)"
alive "patch long project"
req "$token" POST "/v1/projects/alpha/connections/$cid/reconnect" "{\"config\":{\"api_key\":\"sk- $long\"}}"
check "reconnect: long api_key" 422 "$status"; alive "reconnect long api_key"
req "$token" PUT /v1/projects/alpha/flows/f1 "{\"name\":\"F\",\"integrations\":[{\"provider\":\"trello\",\"name\":\"T\",\"config\":{\"api_key\":\"$long\"}}]}"
check "flow integration: long trello key" 422 "$status"; alive "flow long trello key"
req "$token" POST /v1/providers/openai/validate "{\"api_key\":\"sk-$(repeat A 70000)\"}"
check "over the string cap" "api_key:too_long" "$(codes)"; alive "validate 70,000 characters"

# Finding 4: a non-empty array or object where a string belongs answered 500.
for value in '["x"]' '{"a":1}' '[[["x"]]]' '12' 'true'; do
  req "$token" POST /v1/providers/openai/validate "{\"api_key\":$value,\"base_url\":$value}"
  check "validate $value: answered" 200 "$status"
  check "validate $value: wrong_type on each" "api_key:wrong_type,base_url:wrong_type" "$(codes)"
  req "$token" POST /v1/projects/alpha/connections "{\"name\":\"Typed\",\"provider\":\"openai\",\"config\":{\"api_key\":\"sk-x\",\"base_url\":$value}}"
  check "create with base_url $value" 422 "$status"
  check "create with base_url $value: its error" "config.base_url:wrong_type" "$(codes)"
done
req "$token" POST /v1/projects/alpha/connections '{"name":"Typed","provider":"openai","config":["api_key"]}'
check "config not an object" 422 "$status"; alive "wrong types"

# Finding 2: thousands of duplicate scopes were quadratic in time and memory.
{ printf '{"scopes":['; for _ in $(seq 1999); do printf '"x",'; done; printf '"x"]}'; } >"$work/dups"
reqf "$token" POST /v1/providers/google_calendar/validate "$work/dups"
check "2,000 duplicate scopes" 200 "$status"
check "2,000 duplicate scopes: too_many_items" true "$(jq '[.errors[] | select(.field == "scopes" and .code == "too_many_items")] | length == 1' <<<"$body")"
{ printf '{"scopes":['; for _ in $(seq 999); do printf '"x",'; done; printf '"x"]}'; } >"$work/dups"
reqf "$token" POST /v1/providers/outlook/validate "$work/dups"
check "1,000 duplicate scopes: duplicate_items" true "$(jq '[.errors[] | select(.field == "scopes" and .code == "duplicate_items")] | length == 1' <<<"$body")"
alive "duplicate scopes"

# Finding 3: 58,000 levels of nesting crashed the host.
{ printf '{"name":"Deep","provider":"openai","config":{"api_key":'; repeat '[' 58000; repeat ']' 58000; printf '}}'; } >"$work/deep"
reqf "$token" POST /v1/projects/alpha/connections "$work/deep"
check "deep config" 400 "$status"; check "deep config code" too_deep "$(jq -r .code <<<"$body")"; alive "deep config"
{ printf '{"status":'; repeat '[' 58000; repeat ']' 58000; printf '}'; } >"$work/deep"
reqf "$token" POST /v1/projects/alpha/probe-jobs "$work/deep"
check "deep probe-job filter" 400 "$status"; check "deep filter code" too_deep "$(jq -r .code <<<"$body")"; alive "deep filter"

# A NUL byte ended parsing and the rest was ignored; bytes that are not UTF-8.
printf '{"id":"gamma","name":"Gamma"}\0{"ignored":true}' >"$work/nul"
reqf "$admin" POST /v1/projects "$work/nul"
check "NUL byte" 400 "$status"; check "NUL byte code" malformed_json "$(jq -r .code <<<"$body")"
printf '{"id":"gamma","name":"Caf\xe9"}' >"$work/latin1"
reqf "$admin" POST /v1/projects "$work/latin1"
check "Latin-1 body" 400 "$status"; check "Latin-1 body code" not_utf8 "$(jq -r .code <<<"$body")"
alive "encodings"

if grep -q "unhandled exception" "$work/log"; then failures=$((failures+1)); echo "FAIL: the host logged an unhandled exception"; fi
echo "$passed passed, $failures failed"
[[ $failures -eq 0 ]]
