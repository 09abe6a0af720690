#!/usr/bin/env bash
# A secret is bound to the destination it was entered for (issue 9, finding 7): for each
# provider, changing a field marked x-credential-destination by PATCH or reconnect
# without entering every secret again answers 422 secrets_required naming each secret,
# changes nothing, and sends nothing to the new destination; with the secrets typed again
# it goes through. Changing other fields needs no secret. The real host, the fakes, and
# every response checked against schemas/openapi.json.
set -euo pipefail
host_bin="$1"
fake_bin="$2"
work="$(mktemp -d)"
cleanup() {
  [[ -n "${host_pid:-}" ]] && kill "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null
  [[ -n "${fake_pid:-}" ]] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
  [[ -n "${evil_pid:-}" ]] && kill "$evil_pid" 2>/dev/null && wait "$evil_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
wait_for_line() { # file -> base URL
  for _ in $(seq 100); do grep -q listening "$1" 2>/dev/null && break; sleep 0.1; done
  grep -o 'http://[0-9.:]*' "$1" || true
}
"$fake_bin" --listen 127.0.0.1:0 >"$work/fake.out" 2>"$work/fake.log" &
fake_pid=$!
# The server an attacker would point a connection at: another fake, whose counters say
# whether any credential reached it.
"$fake_bin" --listen 127.0.0.1:0 >"$work/evil.out" 2>"$work/evil.log" &
evil_pid=$!
fake="$(wait_for_line "$work/fake.out")"
evil="$(wait_for_line "$work/evil.out")"
[[ -n "$fake" && -n "$evil" ]] || { echo "FAIL: fake providers did not start"; exit 1; }
"$host_bin" serve --data "$work/data" --listen 127.0.0.1:0 --egress-allow 127.0.0.1/32 --probe-interval 0 \
  >"$work/host.out" 2>"$work/host.log" &
host_pid=$!
base="$(wait_for_line "$work/host.out")"
[[ -n "$base" ]] || { echo "FAIL: host did not start"; cat "$work/host.log"; exit 1; }
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
req() { # TOKEN METHOD PATH [BODY] -> $status, $content_type, $body
  local args=(-s -o "$work/body" -w '%{http_code} %{content_type}' -X "$2" "$base$3" -H "Authorization: Bearer $1")
  [[ $# -ge 4 ]] && args+=(-H 'Content-Type: application/json' --data-binary "$4")
  read -r status content_type <<<"$(curl "${args[@]}")"; body="$(cat "$work/body")"
  conforms "$2" "$3"
}
field() { jq -r "$1" <<<"$body"; }

req "$admin" POST /v1/projects '{"id":"dest","name":"Destinations"}'
req "$admin" POST /v1/projects/dest/tokens '{"role":"admin"}'; token="$(field .token)"
api=/v1/projects/dest/connections

# destination_case NAME PROVIDER CONFIG DEST_FIELD DEST_PATH SECRETS_JSON OTHER_CHANGE
#   DEST_PATH: the path under the fake's root the field points at (kept when moved to $evil)
#   SECRETS_JSON: every secret field with a fresh value, e.g. {"api_key":"..."}
#   OTHER_CHANGE: a config change of a non-destination field
destination_case() {
  local name="$1" provider="$2" config="$3" dest="$4" path="$5" secrets="$6" other="$7"
  local expected; expected="$(jq -c '[keys[] | "config." + . + ":secret_required"] | sort' <<<"$secrets")"
  req "$token" POST "$api" "{\"name\":\"$name\",\"provider\":\"$provider\",\"config\":$config}"
  check "$name: created" 201 "$status"
  local id; id="$(field .id)"
  req "$token" GET "$api/$id"; local before="$body"

  req "$token" PATCH "$api/$id" "{\"config\":{\"$dest\":\"$evil$path\"}}"
  check "$name: PATCH $dest alone refused" 422 "$status"
  check "$name: code" secrets_required "$(field .code)"
  check "$name: every secret named" "$expected" "$(jq -c '[.errors[] | "\(.field):\(.code)"] | sort' <<<"$body")"
  check "$name: a problem" application/problem+json "$content_type"
  local placeholders; placeholders="$(jq -c --arg d "$dest" --arg v "$evil$path" 'map_values({"set":true}) + {($d): $v}' <<<"$secrets")"
  req "$token" PATCH "$api/$id" "{\"config\":$placeholders}"
  check "$name: {set:true} is not entering a secret again" 422 "$status"
  local one; one="$(jq -c --arg d "$dest" --arg v "$evil$path" 'to_entries[:1] | from_entries + {($d): $v}' <<<"$secrets")"
  if [[ "$(jq length <<<"$secrets")" -gt 1 ]]; then
    req "$token" PATCH "$api/$id" "{\"config\":$one}"
    check "$name: one secret of several is not enough" 422 "$status"
    check "$name: the others are named" "$(($(jq length <<<"$secrets") - 1))" "$(field '.errors | length')"
  fi
  req "$token" POST "$api/$id/reconnect" "{\"config\":{\"$dest\":\"$evil$path\"}}"
  check "$name: reconnect to another $dest refused" 422 "$status"
  check "$name: reconnect code" secrets_required "$(field .code)"
  req "$token" PATCH "$api/$id" "{\"name\":\"$name renamed\",\"config\":{\"$dest\":\"$evil$path\"}}"
  check "$name: a rename in the same request is refused too" 422 "$status"

  req "$token" GET "$api/$id"
  check "$name: nothing changed" "$(jq -c 'del(.flows)' <<<"$before")" "$(jq -c 'del(.flows)' <<<"$body")"
  req "$token" POST "$api/$id/probe" '{}'
  check "$name: still probes where it was entered for" valid "$(field .probe.outcome)"
  check "$name: nothing reached the other server" 0 "$(curl -s "$evil/_stats" | jq .total)"

  req "$token" PATCH "$api/$id" "{\"config\":$other}"
  check "$name: other fields change without secrets" 200 "$status"
  req "$token" PATCH "$api/$id" "{\"config\":{\"$dest\":\"$fake$path\"}}"
  check "$name: $dest set to its current value needs no secret" 200 "$status"
  local moved; moved="$(jq -c --arg d "$dest" --arg v "$fake$path/" '. + {($d): $v}' <<<"$secrets")"
  req "$token" PATCH "$api/$id" "{\"config\":$moved}"
  check "$name: $dest changed with every secret entered again" 200 "$status"
  check "$name: stored" "$fake$path/" "$(field ".config.$dest")"
}

destination_case openai openai "{\"api_key\":\"sk-dest-good\",\"base_url\":\"$fake/openai/v1\"}" \
  base_url /openai/v1 '{"api_key":"sk-dest-again"}' '{"organization":"org-dest"}'
destination_case trello trello \
  "{\"api_key\":\"a1b2c3d4e5f60718293a4b5c6d7e8f90\",\"token\":\"ATTA9f8e7d6c5b4a39281706f5e4d3c2b1a0998877665544332211ffeeddccbbaa00E1F2A3B4\",\"base_url\":\"$fake/trello/1\"}" \
  base_url /trello/1 \
  '{"api_key":"b1b2c3d4e5f60718293a4b5c6d7e8f90","token":"ATTA0f8e7d6c5b4a39281706f5e4d3c2b1a0998877665544332211ffeeddccbbaa00E1F2A3B4"}' \
  '{}'
google_config="{\"client_id\":\"123456789012-abc123def456ghi789jkl012mno345pq.apps.googleusercontent.com\",\"client_secret\":\"GOCSPX-dest\",\"refresh_token\":\"1//0g-dest-good\",\"token_uri\":\"$fake/google/token\",\"api_base\":\"$fake/google/calendar/v3\"}"
destination_case google-token google_calendar "$google_config" token_uri /google/token \
  '{"client_secret":"GOCSPX-dest2","refresh_token":"1//0g-dest-again"}' '{"scopes":["https://www.googleapis.com/auth/calendar"]}'
destination_case google-api google_calendar "$google_config" api_base /google/calendar/v3 \
  '{"client_secret":"GOCSPX-dest2","refresh_token":"1//0g-dest-again"}' '{"scopes":["https://www.googleapis.com/auth/calendar"]}'
outlook_config="{\"tenant\":\"common\",\"client_id\":\"6731de76-14a6-49ae-97bc-6eba6914391e\",\"client_secret\":\"Xy8Q~dest\",\"refresh_token\":\"1.AXkA-dest-good\",\"authority_host\":\"$fake/microsoft\",\"graph_base\":\"$fake/graph/v1.0\"}"
destination_case outlook-authority outlook "$outlook_config" authority_host /microsoft \
  '{"client_secret":"Xy8Q~dest2","refresh_token":"1.AXkA-dest-again"}' '{"tenant":"organizations"}'
destination_case outlook-graph outlook "$outlook_config" graph_base /graph/v1.0 \
  '{"client_secret":"Xy8Q~dest2","refresh_token":"1.AXkA-dest-again"}' '{"tenant":"organizations"}'

# An Outlook public client has no client secret: only the refresh token is asked for.
req "$token" POST "$api" "{\"name\":\"public\",\"provider\":\"outlook\",\"config\":$(jq -c 'del(.client_secret)' <<<"$outlook_config")}"
pub="$(field .id)"
req "$token" PATCH "$api/$pub" "{\"config\":{\"graph_base\":\"$evil/graph/v1.0\"}}"
check "public client: only the refresh token is named" '["config.refresh_token"]' "$(jq -c '[.errors[].field]' <<<"$body")"

# The plugins declare their destinations.
req "$token" GET /v1/providers/openai
check "openai declares base_url" true "$(field '.schema.properties.base_url["x-credential-destination"]')"

echo "credential destination: $passed passed, $failures failed"
[[ $failures -eq 0 ]]
