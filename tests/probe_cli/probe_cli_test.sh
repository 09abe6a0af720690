#!/usr/bin/env bash
# switchboard probe: a bulk probe job driven from the CLI, its summary table and JSON,
# its filters, and its errors.
set -uo pipefail
switchboard="$1"
fakes="$2"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
check() {  # check NAME CONDITION...
  local name="$1"
  shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}

wait_for_line() {  # wait_for_line FILE PATTERN -> prints the first match
  for _ in $(seq 1 100); do
    if grep -m1 -o "$2" "$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

"$fakes" --listen 127.0.0.1:0 >"$work/fakes.out" 2>&1 &
pids+=($!)
fake_url="$(wait_for_line "$work/fakes.out" 'http://127.0.0.1:[0-9]*')" || { cat "$work/fakes.out"; exit 1; }

export SWITCHBOARD_ADMIN_TOKEN="probe-cli-admin-token-0123456789"
"$switchboard" serve --data "$work/data" --listen 127.0.0.1:0 --egress-allow 127.0.0.1/32 \
  --probe-interval 0 >"$work/host.out" 2>&1 &
pids+=($!)
url="$(wait_for_line "$work/host.out" 'http://127.0.0.1:[0-9]*')" || { cat "$work/host.out"; exit 1; }

api() {  # api METHOD PATH [BODY]
  curl -s -X "$1" -H "Authorization: Bearer $SWITCHBOARD_ADMIN_TOKEN" -H 'Content-Type: application/json' \
    "$url$2" ${3:+-d "$3"}
}
api POST /v1/projects '{"id":"cli","name":"CLI"}' >/dev/null
add_openai() {  # add_openai NAME KEY
  api POST "/v1/projects/cli/connections?probe=false" \
    "{\"name\":\"$1\",\"provider\":\"openai\",\"config\":{\"api_key\":\"$2\",\"base_url\":\"$fake_url/openai/v1\"}}" >/dev/null
}
add_openai good1 "sk-proj-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
add_openai good2 "sk-proj-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
add_openai revoked "sk-proj-cccccccccccccccccccccccccccccccc-revoked"
add_openai down "sk-proj-dddddddddddddddddddddddddddddddd-down"
add_openai billing "sk-proj-eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-billing"

json="$("$switchboard" probe --project cli --url "$url" --json)"
code=$?
check "probe --json exits 0" test "$code" -eq 0
check "every connection was probed" test "$(jq -r '"\(.state) \(.done)/\(.total)"' <<<"$json")" = "done 5/5"
check "summary per outcome" test "$(jq -c '.summary' <<<"$json")" = \
  '{"error":0,"invalid_credentials":1,"missing_permission":1,"transient":1,"valid":2}'

table="$("$switchboard" probe --project cli --url "$url" --token "$SWITCHBOARD_ADMIN_TOKEN")"
check "the table names each outcome" grep -q '^invalid credentials (inactive) *1$' <<<"$table"
check "the table has the total" grep -q '^total *5$' <<<"$table"

only_inactive="$("$switchboard" probe --project cli --url "$url" --status inactive --json)"
check "--status inactive probes only the inactive ones" test "$(jq -r .total <<<"$only_inactive")" = 2

"$switchboard" probe --project cli --url "$url" --token wrong-token >/dev/null 2>"$work/err"
code=$?
check "a wrong token fails with exit 1" test "$code" -eq 1
check "and says why" grep -q 'HTTP 401' "$work/err"

"$switchboard" probe --url "$url" >/dev/null 2>&1
check "no --project is a usage error (exit 2)" test $? -eq 2

"$switchboard" probe --project cli --url "$url" --status sideways >/dev/null 2>"$work/err"
code=$?
check "a bad filter fails with exit 1 and the host's reason" test "$code" -eq 1 -a -s "$work/err"

# The revoked connection is inactive now, with its reason, and its history says so.
revoked_id="$(api GET '/v1/projects/cli/connections?q=revoked' | jq -r '.items[0].id')"
check "revoked is inactive" test "$(api GET "/v1/projects/cli/connections/$revoked_id" | jq -r .status)" = inactive
check "its history has the change" test \
  "$(api GET "/v1/projects/cli/connections/$revoked_id/history" | jq -r '.items[0].outcome')" = invalid_credentials

# Every verdict is counted in /metrics by provider and outcome (3 runs probed good1 and good2).
valid_count="$(curl -s "$url/metrics" | awk -F'} ' '/^switchboard_probes_total\{provider="openai",outcome="valid"\}/ {print $2}')"
check "metrics count probes by outcome" test "${valid_count:-0}" -ge 4

echo "$failures failed"
test "$failures" -eq 0
