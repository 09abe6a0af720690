#!/usr/bin/env bash
# A damaged live write-ahead log: the real host, killed with SIGKILL after acknowledged
# creates, finds its WAL damaged in the middle. It must refuse to start, naming the
# problem and the recovery command (not truncate at the damage and lose acknowledged
# writes in silence); `store check` must find it and say what recovery drops; `store
# recover` must change nothing without --yes and recover with it; the host then starts
# with exactly the acknowledged creates made before the damage.
#   wal_corruption_test.sh SWITCHBOARD_BINARY
set -euo pipefail
bin="$1"
source "$(dirname "$0")/host_helpers.sh"
use_scratch_data

creates=600
start_host
make_project
create_connections wal "$creates"
acked="$(wc -l <"$work/acked")"
[[ "$acked" == "$creates" ]] || fail "only $acked of $creates creates were acknowledged"
kill_host

wal="$(ls "$data"/db/*.log | sort | tail -1)"
size="$(stat -c %s "$wal")"
xor_bytes "$wal" $((size / 2)) 16

# The host refuses to start, says why and what to run, and exits non-zero.
: >"$work/log"
"$bin" serve --data "$data" --listen 127.0.0.1:0 --egress-allow 127.0.0.1/32 >"$work/out" 2>>"$work/log" &
pid=$!
for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$pid" 2>/dev/null; then fail "the host started on a damaged WAL: $(cat "$work/out")"; fi
rc=0; wait "$pid" || rc=$?; pid=""
[[ "$rc" != 0 ]] || fail "the host exited 0 on a damaged WAL"
grep -q "write-ahead log .*$(basename "$wal") is damaged at byte" "$work/log" || { cat "$work/log"; fail "no message naming the damaged WAL"; }
grep -qF "switchboard store recover --data $data --yes" "$work/log" || { cat "$work/log"; fail "no recovery command in the message"; }
! grep -q listening "$work/out" || fail "the host said it was listening"

# store check finds it and says what recovery drops.
rc=0; "$bin" store check --data "$data" >"$work/check" || rc=$?
[[ "$rc" == 1 ]] || { cat "$work/check"; fail "store check exited $rc on a damaged WAL (expected 1)"; }
grep -q "DAMAGED at byte" "$work/check" || fail "store check did not report the damage"
grep -q "recovery would drop:" "$work/check" || fail "store check did not say what recovery drops"
rc=0; "$bin" store check --data "$data" --json >"$work/check.json" || rc=$?
[[ "$(jq .wal_damaged "$work/check.json")" == true ]] || fail "check --json: wal_damaged is not true"
kept="$(jq '.rows.connections' "$work/check.json")"
dropped="$(jq '.recovery_drops.connection_writes' "$work/check.json")"
[[ "$kept" -gt 0 && "$kept" -lt "$creates" ]] || fail "recovery would keep $kept of $creates"
[[ "$dropped" -gt 0 && $((kept + dropped)) -le "$creates" && $((kept + dropped + 1)) -ge "$creates" ]] ||
  fail "check says $kept kept and $dropped dropped of $creates"

# recover without --yes changes nothing.
before="$(sha256sum "$wal")"
rc=0; "$bin" store recover --data "$data" >"$work/dry" || rc=$?
[[ "$rc" == 1 ]] || fail "recover without --yes exited $rc (expected 1)"
grep -q "run again with --yes" "$work/dry" || fail "recover without --yes did not say how to proceed"
[[ "$(sha256sum "$wal")" == "$before" ]] || fail "recover without --yes changed the WAL"

# recover --yes recovers; check is clean afterwards.
"$bin" store recover --data "$data" --yes >"$work/recover" || { cat "$work/recover"; fail "recover --yes failed"; }
grep -q "recovered: the host can start" "$work/recover" || fail "recover did not report success"
"$bin" store check --data "$data" >"$work/check2" || { cat "$work/check2"; fail "store check after recovery is not clean"; }

# The host starts with exactly the kept creates, all of them acknowledged ones.
start_host
list_all
listed="$(wc -l <"$work/listed")"
[[ "$listed" == "$kept" ]] || fail "listed $listed connections after recovery, check said $kept would be kept"
[[ -z "$(comm -23 <(sort "$work/listed") <(sort "$work/acked"))" ]] || fail "a listed connection was never acknowledged"
[[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz")" == 200 ]] || fail "/healthz not ok after recovery"
stop_host
echo "wal corruption: refused to start, check found it, recover kept $kept of $creates (dropped $dropped)"
