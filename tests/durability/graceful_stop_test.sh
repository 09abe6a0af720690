#!/usr/bin/env bash
# SIGTERM stops the host gracefully: a request still being received when the signal
# arrives is completed and acknowledged, the process exits 0, new connections are
# refused, and the acknowledged create is there after a restart.
#   graceful_stop_test.sh SWITCHBOARD_BINARY
set -euo pipefail
bin="$1"
work="$(mktemp -d)"
data="$work/data"
pid=""
trap '[[ -n "$pid" ]] && kill -KILL "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

start_host() {
  : >"$work/out"
  # The connections point at a closed loopback port, an internal address: allow it.
  "$bin" serve --data "$data" --listen 127.0.0.1:0 --egress-allow 127.0.0.1/32 >"$work/out" 2>>"$work/log" &
  pid=$!
  for _ in $(seq 300); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.05; done
  base="$(grep -o 'http://[0-9.:]*' "$work/out")" || fail "host did not start"
}

start_host
admin="$(cat "$data/admin.token")"
auth=(-H "Authorization: Bearer $admin" -H 'Content-Type: application/json')
curl -sf -X POST "${auth[@]}" "$base/v1/projects" -d '{"id":"g","name":"Graceful"}' >/dev/null || fail "create project"

# A create whose body trickles in over ~3 s (valid JSON padded with spaces), so it is
# in flight when SIGTERM arrives.
{
  printf '{"name":"in flight","provider":"openai","config":{"api_key":"sk-graceful","base_url":"http://127.0.0.1:9/v1"}}'
  head -c 12000 /dev/zero | tr '\0' ' '
} >"$work/body"
curl -s -o "$work/resp" -w '%{http_code}' --limit-rate 4000 -X POST "${auth[@]}" \
  --data-binary @"$work/body" "$base/v1/projects/g/connections?probe=false" >"$work/code" &
client=$!
sleep 0.7
kill -0 "$client" 2>/dev/null || fail "the slow request finished before the signal; test is not meaningful"
kill -TERM "$pid"
# New connections are refused once the listener closes (give a busy machine 3 s).
refused=0
for _ in $(seq 30); do
  sleep 0.1
  curl -s -o /dev/null --max-time 2 "$base/healthz" || { refused=1; break; }
done
[[ "$refused" == 1 ]] || fail "still accepting new connections 3 s after SIGTERM"
kill -0 "$client" 2>/dev/null || fail "the slow request was cut short or finished before the listener closed"
wait "$client" || true
[[ "$(cat "$work/code")" == 201 ]] || fail "in-flight create answered $(cat "$work/code"), not 201: $(cat "$work/resp")"
id="$(jq -r .id "$work/resp")"
rc=0; wait "$pid" || rc=$?; pid=""
[[ "$rc" == 0 ]] || fail "host exited $rc on SIGTERM"
grep -q "received SIGTERM" "$work/log" || fail "no log line about the signal"

start_host
got="$(curl -s "${auth[@]}" "$base/v1/projects/g/connections/$id" | jq -r .name)"
[[ "$got" == "in flight" ]] || fail "the acknowledged in-flight create is missing after restart (got '$got')"
kill -TERM "$pid"; rc=0; wait "$pid" || rc=$?; pid=""
[[ "$rc" == 0 ]] || fail "idle host exited $rc on SIGTERM"
echo "graceful stop: in-flight create completed (201, kept), exit 0"
