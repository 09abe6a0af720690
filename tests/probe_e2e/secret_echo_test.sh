#!/usr/bin/env bash
# A provider that quotes the credential it refuses (the fakes' `echo` ending: raw,
# percent-encoded, JSON-escaped, base64, base64url, and a Basic client credential) must
# not get any spelling of any secret into a probe or reconnect response, the connection,
# its history, the project's events (as a member reads them), a webhook delivery, the
# host's log, or the data folder. One connection per provider.
set -euo pipefail
host_bin="$1"
fake_bin="$2"
work="$(mktemp -d)"
cleanup() {
  [[ -n "${host_pid:-}" ]] && kill "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null
  [[ -n "${fake_pid:-}" ]] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

wait_for_line() { # file -> base URL
  for _ in $(seq 100); do grep -q listening "$1" 2>/dev/null && break; sleep 0.1; done
  grep -o 'http://[0-9.:]*' "$1" || true
}

"$fake_bin" --listen 127.0.0.1:0 >"$work/fake.out" 2>"$work/fake.log" &
fake_pid=$!
fake="$(wait_for_line "$work/fake.out")"
[[ -n "$fake" ]] || { echo "FAIL: fake providers did not start"; cat "$work/fake.log"; exit 1; }

SWITCHBOARD_WEBHOOK_SECRET=whsec-echo-test "$host_bin" serve --data "$work/data" --listen 127.0.0.1:0 \
  --egress-allow 127.0.0.1/32 --probe-interval 0 --probe-timeout 5000 --webhook-url "$fake/_webhook" \
  >"$work/host.out" 2>"$work/host.log" &
host_pid=$!
base="$(wait_for_line "$work/host.out")"
[[ -n "$base" ]] || { echo "FAIL: host did not start"; cat "$work/host.log"; exit 1; }
admin="$(cat "$work/data/admin.token")"

failures=0; passed=0
check() { # name expected actual
  if [[ "$2" == "$3" ]]; then passed=$((passed+1)); else failures=$((failures+1)); echo "FAIL: $1: expected [$2] got [$3]"; fi
}
req() { # TOKEN METHOD PATH [BODY] -> $status, $body; every body is kept for the check
  local args=(-s -o "$work/body" -w '%{http_code}' -X "$2" "$base$3" -H 'Content-Type: application/json'
              --data-binary "${4:-}")
  [[ -n "$1" ]] && args+=(-H "Authorization: Bearer $1")
  status="$(curl "${args[@]}")"; body="$(cat "$work/body")"
  echo "$body" >>"$work/responses"
}
field() { jq -r "$1" <<<"$body"; }

req "$admin" POST /v1/projects '{"id":"echo","name":"Echo"}'
req "$admin" POST /v1/projects/echo/tokens '{"role":"admin"}';  token="$(field .token)"
req "$admin" POST /v1/projects/echo/tokens '{"role":"member"}'; member="$(field .token)"
api=/v1/projects/echo/connections

secrets=()
ids=()
# echo_case NAME PROVIDER CONFIG OUTCOME RECONNECT_CONFIG SECRETS...
echo_case() {
  local name="$1" provider="$2" config="$3" outcome="$4" again="$5"; shift 5
  secrets+=("$@")
  # Creating probes first: the refusal quotes the credentials too, and is kept for the check.
  req "$token" POST "$api" "{\"name\":\"$name\",\"provider\":\"$provider\",\"config\":$config}"
  check "$name: create refused" 422 "$status"
  check "$name: create refused with the verdict" "$outcome" "$(field .probe.outcome)"
  req "$token" POST "$api?probe=false" "{\"name\":\"$name\",\"provider\":\"$provider\",\"config\":$config}"
  check "$name: created" 201 "$status"
  local id; id="$(field .id)"; ids+=("$id")
  req "$token" POST "$api/$id/probe" '{}'
  check "$name: probed" 200 "$status"
  check "$name: outcome" "$outcome" "$(field .probe.outcome)"
  check "$name: inactive" inactive "$(field .connection.status)"
  check "$name: the message says something" true "$([[ -n "$(field .probe.message)" ]] && echo true)"
  check "$name: the secret was redacted, not dropped" true \
    "$([[ "$(field .probe.message)$(field .probe.reason)" == *"[redacted]"* || "$provider" == trello ]] && echo true)"
  req "$token" POST "$api/$id/reconnect" "{\"config\":$again}"
  check "$name: reconnect refused" 422 "$status"
  req "$token" GET "$api/$id"
  req "$token" GET "$api/$id/history"
}

openai_key='sk-e2e/Op+en=ai~echo'
echo_case openai-echo openai "{\"api_key\":\"$openai_key\",\"base_url\":\"$fake/openai/v1\"}" missing_permission \
  '{"api_key":"sk-e2e/Re+con=nect~echo"}' "$openai_key" 'sk-e2e/Re+con=nect~echo'

trello_key=a1b2c3d4e5f60718293a4b5c6d7e8f90
trello_token=ATTA9f8e7d6c5b4a39281706f5e4d3c2b1a0998877665544332211ffeeddccbbaa00E1F2A3B4echo
echo_case trello-echo trello "{\"api_key\":\"$trello_key\",\"token\":\"$trello_token\",\"base_url\":\"$fake/trello/1\"}" \
  missing_permission "{\"token\":\"${trello_token}0echo\"}" "$trello_key" "$trello_token" "${trello_token}0echo"

google_client=123456789012-abc123def456ghi789jkl012mno345pq.apps.googleusercontent.com
google_secret='GOCSPX-e2eEcho/Secret+Value='
google_refresh='1//0g-e2e/Goo+gle=echo'
echo_case google-echo google_calendar "{\"client_id\":\"$google_client\",\"client_secret\":\"$google_secret\",\"refresh_token\":\"$google_refresh\",\"token_uri\":\"$fake/google/token\",\"api_base\":\"$fake/google/calendar/v3\"}" \
  invalid_credentials '{"refresh_token":"1//0g-e2e/Again+x=echo"}' "$google_secret" "$google_refresh" '1//0g-e2e/Again+x=echo'

ms_client=6731de76-14a6-49ae-97bc-6eba6914391e
ms_secret='Xy8Q~e2eEcho/Secret+Value='
ms_refresh='1.AXkA-e2e/Out+look=echo'
echo_case outlook-echo outlook "{\"tenant\":\"common\",\"client_id\":\"$ms_client\",\"client_secret\":\"$ms_secret\",\"refresh_token\":\"$ms_refresh\",\"authority_host\":\"$fake/microsoft\",\"graph_base\":\"$fake/graph/v1.0\"}" \
  invalid_credentials '{"refresh_token":"1.AXkA-e2e/Again+x=echo"}' "$ms_secret" "$ms_refresh" '1.AXkA-e2e/Again+x=echo'

# The fake really did quote the credentials (so the checks below can fail).
direct="$(curl -s "$fake/openai/v1/models" -H "Authorization: Bearer $openai_key")"
check "the fake echoes the raw key" true "$([[ "$direct" == *"$openai_key"* ]] && echo true)"

req "$member" GET /v1/projects/echo/events
check "member reads the events" 200 "$status"
check "events recorded the four changes" 4 "$(field '[.items[] | select(.status == "inactive")] | length')"
for _ in $(seq 50); do
  [[ "$(curl -s "$fake/_webhook" | jq length)" -ge 4 ]] && break; sleep 0.1
done
curl -s "$fake/_webhook" >"$work/webhooks"
check "four webhook deliveries" 4 "$(jq length "$work/webhooks")"
jq -r '.[]' "$work/webhooks" >>"$work/responses"

# Every spelling of every secret: raw, percent (upper and lower hex), JSON with \/,
# base64, base64url.
spellings() { # SECRET -> one spelling per line
  local s="$1" pct
  pct="$(jq -rn --arg s "$s" '$s|@uri')"
  printf '%s\n' "$s" "$pct" "$(sed 's/%[0-9A-F][0-9A-F]/\L&/g' <<<"$pct")" "${s//\//\\/}" \
    "$(printf %s "$s" | base64 -w0)" "$(printf %s "$s" | base64 -w0 | tr '+/' '-_' | tr -d '=')"
}
leaks=0
for secret in "${secrets[@]}"; do
  while IFS= read -r spelling; do
    for file in "$work/responses" "$work/host.log" "$work/host.out"; do
      if grep -qiF -- "$spelling" "$file"; then
        leaks=$((leaks+1)); echo "FAIL: ${spelling:0:14}... (of ${secret:0:10}...) appears in $(basename "$file")"
      fi
    done
    if grep -rqiF -- "$spelling" "$work/data"; then
      leaks=$((leaks+1)); echo "FAIL: ${spelling:0:14}... (of ${secret:0:10}...) is in the data folder"
    fi
  done < <(spellings "$secret")
done
check "no spelling of any secret leaked (${#secrets[@]} secrets)" 0 "$leaks"
check "the search sees stored text" true "$(grep -rqF -- "$fake/openai/v1" "$work/data" && echo true)"

echo "secret echo: $passed passed, $failures failed"
[[ $failures -eq 0 ]]
