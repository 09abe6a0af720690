#!/usr/bin/env bash
# Durability under SIGKILL: writers create connections as fast as they can while the
# real host (RocksDB, synced writes) is killed at random moments, again and again. After
# every restart the database must open cleanly and every create that was acknowledged
# with 201 must be there, intact. The sealed secret used in every create must never show
# up in any file of the data folder.
#   kill_restart_test.sh SWITCHBOARD_BINARY [ROUNDS]
set -euo pipefail
bin="$1"
rounds="${2:-12}"
writers=4
secret='sk-proj-DurabilitySecret7f3a9cQ'
work="$(mktemp -d)"
data="$work/data"
pid=""
cleanup() {
  touch "$work/stop"
  [[ -n "$pid" ]] && kill -KILL "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

start_host() {
  : >"$work/out"
  # The connections point at a closed loopback port, an internal address: allow it.
  "$bin" serve --data "$data" --listen 127.0.0.1:0 --egress-allow 127.0.0.1/32 >"$work/out" 2>>"$work/log" &
  pid=$!
  for _ in $(seq 300); do
    grep -q listening "$work/out" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { tail -20 "$work/log"; fail "host exited while starting (round $round)"; }
    sleep 0.05
  done
  base="$(grep -o 'http://[0-9.:]*' "$work/out")" || fail "host did not start (round $round)"
  [[ "$(curl -s "$base/healthz" -o /dev/null -w '%{http_code}')" == 200 ]] || fail "/healthz not ok (round $round)"
}

# Creates connections until the host goes away; appends "id name organization" for each 201.
writer() {
  local w="$1" r="$2" n=0 body code
  while [[ ! -e "$work/stop" ]]; do
    n=$((n + 1))
    local name="w${w}-r${r}-n${n}" org="org${w}x${r}x${n}"
    # base_url points at a closed local port so nothing could ever reach the internet.
    body="{\"name\":\"$name\",\"provider\":\"openai\",\"config\":{\"api_key\":\"$secret\",\"organization\":\"org-$org\",\"base_url\":\"http://127.0.0.1:9/v1\"}}"
    code="$(curl -s -o "$work/resp.$w" -w '%{http_code}' --max-time 10 -X POST \
      -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      --data-binary "$body" "$base/v1/projects/dur/connections?probe=false")" || break
    if [[ "$code" == 201 ]]; then
      echo "$(jq -r .id "$work/resp.$w") $name org-$org" >>"$work/acked.$w"
    elif [[ "$code" != 000 ]]; then
      echo "unexpected HTTP $code: $(cat "$work/resp.$w")" >>"$work/errors"
    fi
  done
}

# Every acknowledged create is readable by id with the name, provider and config it was
# created with. One curl fetches them all over one connection.
verify_acked() {
  cat "$work"/acked.* 2>/dev/null | sort -u >"$work/acked" || true
  local expected
  expected="$(wc -l <"$work/acked")"
  [[ "$expected" -gt 0 ]] || return 0
  awk -v b="$base" '{print "url = \"" b "/v1/projects/dur/connections/" $1 "\""}' "$work/acked" >"$work/urls"
  curl -s -K "$work/urls" -H "Authorization: Bearer $token" >"$work/fetched" || fail "fetching acknowledged rows failed"
  jq -r --arg secret "$secret" 'select(.id != null and .provider == "openai"
      and .config.api_key == {"set": true} and .project == "dur"
      and .config.base_url == "http://127.0.0.1:9/v1") | "\(.id) \(.name) \(.config.organization)"' \
    "$work/fetched" | sort -u >"$work/found"
  if ! diff <(cut -d' ' -f1-3 "$work/acked") "$work/found" >"$work/diff"; then
    echo "acknowledged but missing or changed after round $round:"; head -20 "$work/diff"
    fail "lost or damaged acknowledged writes"
  fi
  # The list must hold at least every acknowledged row (unacknowledged ones may be there too).
  local listed=0 cursor="" page
  while :; do
    page="$(curl -s -G -H "Authorization: Bearer $token" "$base/v1/projects/dur/connections" \
      --data-urlencode limit=200 ${cursor:+--data-urlencode "cursor=$cursor"})"
    listed=$((listed + $(jq '.items | length' <<<"$page")))
    cursor="$(jq -r '.next_cursor // empty' <<<"$page")"
    [[ -n "$cursor" ]] || break
  done
  [[ "$listed" -ge "$expected" ]] || fail "list shows $listed connections, $expected were acknowledged"
  total_acked="$expected"
  total_listed="$listed"
}

round=0
start_host
admin="$(cat "$data/admin.token")"
curl -sf -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  "$base/v1/projects" -d '{"id":"dur","name":"Durability"}' >/dev/null || fail "create project"
token="$(curl -sf -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  "$base/v1/projects/dur/tokens" -d '{"role":"admin"}' | jq -r .token)"

for round in $(seq 1 "$rounds"); do
  rm -f "$work/stop"
  for w in $(seq "$writers"); do writer "$w" "$round" & done
  # Random moment: 0.3 to 1.5 s of writing.
  sleep "$(awk -v s="$RANDOM" 'BEGIN{srand(s); printf "%.2f", 0.3 + rand() * 1.2}')"
  kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
  touch "$work/stop"; wait
  start_host
  verify_acked
  echo "round $round: $total_acked acknowledged, $total_listed listed, all intact"
done

[[ ! -s "$work/errors" ]] || { head -5 "$work/errors"; fail "writers got unexpected answers"; }
[[ "$total_acked" -ge $((rounds * 5)) ]] || fail "too few acknowledged writes ($total_acked) to mean anything"
if grep -rqF "$secret" "$data" "$work/log"; then fail "the secret is readable in the data folder or the log"; fi
kill -TERM "$pid"; rc=0; wait "$pid" || rc=$?; pid=""
[[ "$rc" == 0 ]] || fail "host exited $rc on SIGTERM"
echo "durability: $rounds SIGKILLs, $total_acked acknowledged creates all intact"
