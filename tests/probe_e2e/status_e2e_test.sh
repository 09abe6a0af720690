#!/usr/bin/env bash
# Status that tells the truth (issue 9, findings 8 and 9), through the real host API
# against the fake providers: a create is probed before anything is stored (refused ->
# 422 and nothing stored, transient or ?probe=false -> unverified, valid -> active), the
# Add form's test probe, a flow integration's background probe, and destinations the
# egress policy refuses: a literal internal address is a field error at create, PATCH,
# reconnect and test; a host name that resolves to one makes the connection Inactive
# with the field named. Every response is checked against schemas/openapi.json.
set -euo pipefail
host_bin="$1"
fake_bin="$2"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

wait_for_line() { # file -> base URL
  for _ in $(seq 100); do grep -q listening "$1" 2>/dev/null && break; sleep 0.1; done
  grep -o 'http://[0-9.:]*' "$1" || true
}

"$fake_bin" --listen 127.0.0.1:0 >"$work/fake.out" 2>"$work/fake.log" &
pids+=($!)
fake="$(wait_for_line "$work/fake.out")"
[[ -n "$fake" ]] || { echo "FAIL: fake providers did not start"; cat "$work/fake.log"; exit 1; }
fake_port="${fake##*:}"

# start_host NAME [serve flags...] -> sets base_NAME and admin_NAME
start_host() {
  local name="$1"; shift
  "$host_bin" serve --data "$work/$name" --listen 127.0.0.1:0 --probe-interval 0 --probe-timeout 5000 "$@" \
    >"$work/$name.out" 2>"$work/$name.log" &
  pids+=($!)
  local url; url="$(wait_for_line "$work/$name.out")"
  [[ -n "$url" ]] || { echo "FAIL: host $name did not start"; cat "$work/$name.log"; exit 1; }
  printf -v "base_$name" '%s' "$url"
  printf -v "admin_$name" '%s' "$(cat "$work/$name/admin.token")"
}
start_host open --egress-allow 127.0.0.1/32   # may reach the fakes on loopback
start_host strict                             # the default policy: no internal address

failures=0; passed=0; conformed=0
check() { # name expected actual
  if [[ "$2" == "$3" ]]; then passed=$((passed+1)); else failures=$((failures+1)); echo "FAIL: $1: expected [$2] got [$3]"; fi
}
conforms() { # METHOD PATH, with $status and $work/body of the response
  [[ -n "${OPENAPI_CHECK:-}" ]] || return 0
  local out
  if out="$("$OPENAPI_CHECK" --content-type "$content_type" "$1" "$2" "$status" "$work/body" 2>&1)"; then
    conformed=$((conformed+1))
  else
    failures=$((failures+1)); echo "FAIL: $1 $2 -> $status does not follow schemas/openapi.json:"; echo "$out"
  fi
}
# req BASE TOKEN METHOD PATH [BODY] -> $status, $content_type, $body
req() {
  local args=(-s -o "$work/body" -w '%{http_code} %{content_type}' -X "$3" "$1$4")
  [[ -n "$2" ]] && args+=(-H "Authorization: Bearer $2")
  [[ $# -ge 5 ]] && args+=(-H 'Content-Type: application/json' --data-binary "$5")
  read -r status content_type <<<"$(curl "${args[@]}")"; body="$(cat "$work/body")"
  conforms "$3" "${4%%\?*}"
}
field() { jq -r "$1" <<<"$body"; }
fake_calls() { curl -s "$fake/_stats" | jq --arg k "$1" '.providers.openai.by_credential[$k] // 0'; }

setup_project() { # BASE ADMIN -> $token (a project admin of project "s"), $member
  req "$1" "$2" POST /v1/projects '{"id":"s","name":"Status"}'; check "create project" 201 "$status"
  req "$1" "$2" POST /v1/projects/s/tokens '{"role":"admin"}';  token="$(field .token)"
  req "$1" "$2" POST /v1/projects/s/tokens '{"role":"member"}'; member="$(field .token)"
}
api=/v1/projects/s/connections
openai_body() { # NAME KEY [BASE_URL] -> a create body
  echo "{\"name\":\"$1\",\"provider\":\"openai\",\"config\":{\"api_key\":\"$2\",\"base_url\":\"${3:-$fake/openai/v1}\"}}"
}

# ---- Creating probes first ------------------------------------------------------------
b="$base_open"; setup_project "$b" "$admin_open"
req "$b" "$token" POST "$api" "$(openai_body good sk-status-good)"
check "valid create: 201" 201 "$status"
check "valid create: active" active "$(field .status)"
check "valid create: checked" true "$(field '.checked_at != null and .connected_at != null')"
check "valid create: last probe" valid "$(field .last_probe.outcome)"
check "valid create: probed once" 1 "$(fake_calls sk-status-good)"

req "$b" "$token" POST "$api" "$(openai_body revoked sk-status-revoked)"
check "revoked create: 422" 422 "$status"
check "revoked create: code" credentials_rejected "$(field .code)"
check "revoked create: field error" "config.api_key:invalid_api_key" "$(field '.errors[0] | "\(.field):\(.code)"')"
check "revoked create: the verdict" invalid_credentials "$(field .probe.outcome)"
req "$b" "$token" GET "$api?q=revoked"
check "revoked create: nothing stored" 0 "$(field '.items | length')"

req "$b" "$token" POST "$api" "$(openai_body limited sk-status-ratelimited)"
check "transient create: stored" 201 "$status"
check "transient create: unverified, never active" unverified "$(field .status)"
check "transient create: the reason" true "$(field '.status_reason | test("rate|later|again"; "i")')"
check "transient create: last probe" transient "$(field .last_probe.outcome)"
check "transient create: not connected" null "$(field .connected_at)"

req "$b" "$token" POST "$api?probe=false" "$(openai_body later sk-status-later-revoked)"
check "probe=false: stored" 201 "$status"
check "probe=false: unverified" unverified "$(field .status)"
check "probe=false: never checked" null "$(field .checked_at)"
check "probe=false: no probe sent" 0 "$(fake_calls sk-status-later-revoked)"
later="$(field .id)"
req "$b" "$token" POST "$api?probe=maybe" "$(openai_body maybe sk-status-good)"
check "probe=maybe refused" 400 "$status"
req "$b" "$token" POST "$api" "$(openai_body GOOD sk-status-good)"
check "taken name refused before any probe" 409 "$status"
check "taken name: no probe spent" 1 "$(fake_calls sk-status-good)"

req "$b" "$token" GET "$api?status=unverified"
check "list filter unverified" "later,limited" "$(field '[.items[].name] | sort | join(",")')"
req "$b" "" GET /metrics
check "metrics count unverified" 1 "$(grep -c '^switchboard_connections{status="unverified"} 2$' <<<"$body")"
check "metrics count active" 1 "$(grep -c '^switchboard_connections{status="active"} 1$' <<<"$body")"
req "$b" "$token" POST /v1/projects/s/probe-jobs '{"status":"unverified"}'
check "probe job of the unverified" 202 "$status"
check "probe job filter kept" unverified "$(field .filter.status)"
req "$b" "$token" POST "$api/$later/probe"
check "a probe judges the unverified one" inactive "$(field .connection.status)"
check "its reason" true "$(field '.connection.status_reason != null')"

# A rotated refresh token from the create's probe is what gets stored.
rotate='1//0g-status-rotate'
google="{\"client_id\":\"123456789012-abc123def456ghi789jkl012mno345pq.apps.googleusercontent.com\",\"client_secret\":\"GOCSPX-statusSecret\",\"refresh_token\":\"$rotate\",\"token_uri\":\"$fake/google/token\",\"api_base\":\"$fake/google/calendar/v3\"}"
req "$b" "$token" POST "$api" "{\"name\":\"rotating\",\"provider\":\"google_calendar\",\"config\":$google}"
check "rotating create: active" active "$(field .status)"
rotating="$(field .id)"
req "$b" "$token" POST "$api/$rotating/probe"
check "the rotated token was stored at create" valid "$(field .probe.outcome)"

# ---- Test: the verdict, nothing stored -------------------------------------------------
req "$b" "$token" GET "$api"; before="$(field '.items | length')"
req "$b" "$token" POST "$api/test" '{"provider":"openai","config":{"api_key":"sk-status-test-good","base_url":"'"$fake"'/openai/v1"}}'
check "test good: 200" 200 "$status"
check "test good: valid" valid "$(field .probe.outcome)"
req "$b" "$token" POST "$api/test" '{"provider":"openai","config":{"api_key":"sk-status-test-revoked","base_url":"'"$fake"'/openai/v1"}}'
check "test revoked: 200 with the verdict" "200 invalid_credentials api_key" "$status $(field '"\(.probe.outcome) \(.probe.field)"')"
req "$b" "$token" POST "$api/test" '{"provider":"openai","config":{"api_key":7}}'
check "test invalid config" "422 invalid_config config.api_key" "$status $(field '"\(.code) \(.errors[0].field)"')"
req "$b" "$token" POST "$api/test" '{"provider":"openai","config":{"api_key":"sk-x","base_url":"http://10.0.0.1/v1"}}'
check "test refused destination" "422 config.base_url:destination_not_allowed" "$status $(field '.errors[0] | "\(.field):\(.code)"')"
req "$b" "$member" POST "$api/test" '{"provider":"openai","config":{"api_key":"sk-x"}}'
check "members may not test" 403 "$status"
req "$b" "$token" GET "$api"
check "tests stored nothing" "$before" "$(field '.items | length')"

# ---- A flow's integration: probed in the background ------------------------------------
# The fake answers this key after 3 s, refusing it: the PUT must not wait for that.
flow_key=sk-status-flow-revoked-slow3000
start_ms=$(date +%s%3N)
req "$b" "$token" PUT /v1/projects/s/flows/nightly "{\"name\":\"Nightly\",\"integrations\":[{\"provider\":\"openai\",\"name\":\"nightly key\",\"config\":{\"api_key\":\"$flow_key\",\"base_url\":\"$fake/openai/v1\"}}]}"
elapsed=$(( $(date +%s%3N) - start_ms ))
check "flow PUT" 201 "$status"
check "flow PUT answered before its probe (${elapsed} ms)" true "$([[ $elapsed -lt 2500 ]] && echo true || echo false)"
flow_conn="$(field '.integrations[0].connection')"
req "$b" "$token" GET "$api/$flow_conn"
check "flow connection: not checked yet" null "$(field .checked_at)"
for _ in $(seq 100); do
  req "$b" "$token" GET "$api/$flow_conn"
  [[ "$(field .status)" == inactive ]] && break
  sleep 0.1
done
check "flow connection: its background probe refused the key" "inactive invalid_api_key" "$(field '"\(.status) \(.last_probe.reason)"')"
check "flow connection: probed once" 1 "$(fake_calls "$flow_key")"

# ---- Destinations the egress policy refuses --------------------------------------------
b="$base_strict"; setup_project "$b" "$admin_strict"
for url in "http://127.0.0.1:$fake_port/openai/v1" "http://10.0.0.5/v1" "http://169.254.169.254/latest" \
           "http://[::1]:$fake_port/openai/v1" "http://[::ffff:127.0.0.1]:$fake_port/openai/v1" "http://2130706433/v1"; do
  req "$b" "$token" POST "$api" "$(openai_body literal sk-status-literal "$url")"
  check "literal $url refused at create" "422 invalid_config config.base_url:destination_not_allowed" \
    "$status $(field '"\(.code) \(.errors[0].field):\(.errors[0].code)"')"
done
req "$b" "$token" GET "$api"
check "refused literals stored nothing" 0 "$(field '.items | length')"
check "refused literals sent nothing" 0 "$(fake_calls sk-status-literal)"
outlook="{\"tenant\":\"common\",\"client_id\":\"6731de76-14a6-49ae-97bc-6eba6914391e\",\"client_secret\":\"Xy8Q~statusSecret\",\"refresh_token\":\"1.AXkA-status-good\",\"authority_host\":\"http://127.0.0.1:$fake_port/microsoft\",\"graph_base\":\"https://graph.microsoft.com/v1.0\"}"
req "$b" "$token" POST "$api" "{\"name\":\"mail\",\"provider\":\"outlook\",\"config\":$outlook}"
check "the field at fault is the one named" "422 config.authority_host" "$status $(field '[.errors[] | select(.code == "destination_not_allowed") | .field] | join(",")')"

# A host name is only judged once resolved: localhost is loopback.
by_name="http://localhost:$fake_port/openai/v1"
req "$b" "$token" POST "$api" "$(openai_body named sk-status-named "$by_name")"
check "a name resolving inside: create refused" "422 credentials_rejected" "$status $(field .code)"
check "a name resolving inside: the field" "config.base_url:destination_not_allowed" "$(field '.errors[0] | "\(.field):\(.code)"')"
req "$b" "$token" POST "$api?probe=false" "$(openai_body named sk-status-named "$by_name")"
check "a name resolving inside: stored without a probe" "201 unverified" "$status $(field .status)"
named="$(field .id)"
req "$b" "$token" POST "$api/$named/probe"
check "probe: inactive" inactive "$(field .connection.status)"
check "probe: the reason" destination_not_allowed "$(field .probe.reason)"
check "probe: the field" base_url "$(field .probe.field)"
check "probe: kept with the connection" base_url "$(field .connection.last_probe.field)"
check "probe: the reason says where" true "$(field '.connection.status_reason | test("internal address")')"
check "probe: nothing reached the fake" 0 "$(fake_calls sk-status-named)"

req "$b" "$token" PATCH "$api/$named" '{"config":{"base_url":"http://10.1.1.1/v1"}}'
check "literal refused at PATCH" "422 config.base_url:destination_not_allowed" "$status $(field '.errors[0] | "\(.field):\(.code)"')"
req "$b" "$token" POST "$api/$named/reconnect" '{"config":{"api_key":"sk-status-named2","base_url":"http://[::1]:9/v1"}}'
check "literal refused at reconnect" "422 config.base_url:destination_not_allowed" "$status $(field '.errors[0] | "\(.field):\(.code)"')"
req "$b" "$token" POST "$api/$named/reconnect" '{"config":{"api_key":"sk-status-named2"}}'
check "reconnect to a name resolving inside" "422 credentials_rejected config.base_url" "$status $(field '"\(.code) \(.errors[0].field)"')"
req "$b" "$token" GET "$api/$named"
check "refusals changed nothing" "$by_name inactive" "$(field '"\(.config.base_url) \(.status)"')"

echo "status e2e: $conformed responses follow schemas/openapi.json"
echo "status e2e: $passed passed, $failures failed"
[[ $failures -eq 0 ]]
