#!/usr/bin/env bash
# A damaged SST block under the real host: the checksum verification after start must
# report it in /healthz (503, status degraded, storage corrupt, no paths), the log must
# say it, listing must answer 200 with every readable connection and say it is partial,
# a read of a row in the damaged block must answer 500 corruption without internals, and
# `store check` must name the damaged file.
#   sst_corruption_test.sh SWITCHBOARD_BINARY
set -euo pipefail
bin="$1"
source "$(dirname "$0")/host_helpers.sh"
use_scratch_data

creates=400
start_host
make_project
create_connections sst "$creates"
[[ "$(wc -l <"$work/acked")" == "$creates" ]] || fail "not every create was acknowledged"
stop_host
# Opening replays the WAL and writes it into SST files.
start_host
stop_host

"$bin" store check --data "$data" --json >"$work/check.json" || fail "store check of an intact store failed"
sst="$(jq -r '[.ssts[] | select(.family == "connections")] | max_by(.entries) | .file' "$work/check.json")"
[[ -n "$sst" && "$sst" != null ]] || fail "no SST holds the connections: $(cat "$work/check.json")"
size="$(stat -c %s "$data/db/$sst")"
xor_bytes "$data/db/$sst" $((size / 3)) 16

: >"$work/log"
start_host
health=""
for _ in $(seq 200); do
  code="$(curl -s -o "$work/health" -w '%{http_code}' "$base/healthz")"
  [[ "$code" == 503 ]] && break
  sleep 0.1
done
[[ "$code" == 503 ]] || fail "/healthz answered $code with a damaged SST: $(cat "$work/health")"
[[ "$(jq -r .status "$work/health")" == degraded ]] || fail "/healthz status is not degraded: $(cat "$work/health")"
[[ "$(jq -r .storage.status "$work/health")" == corrupt ]] || fail "/healthz storage is not corrupt: $(cat "$work/health")"
[[ "$(jq -r .storage.integrity "$work/health")" == corrupt ]] || fail "/healthz integrity is not corrupt"
! grep -q '/\|\.sst\|Corruption' <(jq -c .storage "$work/health") || fail "/healthz shows internals: $(cat "$work/health")"
grep -q "storage corrupt" "$work/log" || fail "the damage is not in the log"

list_all
listed="$(wc -l <"$work/listed")"
[[ "$listed" -gt 0 && "$listed" -lt "$creates" ]] || fail "listed $listed of $creates with one damaged block"
[[ "$listed_partial" == true ]] || fail "the list did not say it is partial"
[[ -z "$(comm -23 <(sort "$work/listed") <(sort "$work/acked"))" ]] || fail "listed an unknown connection"

missing="$(comm -23 <(sort "$work/acked") <(sort "$work/listed") | head -1)"
code="$(curl -s -o "$work/one" -w '%{http_code}' -H "Authorization: Bearer $token" "$base/v1/projects/st/connections/$missing")"
[[ "$code" == 500 && "$(jq -r .code "$work/one")" == corruption ]] || fail "reading an unreadable row answered $code $(cat "$work/one")"
! grep -q '/db\|\.sst\|block\|offset' <(jq -r .detail "$work/one") || fail "the problem shows internals: $(cat "$work/one")"
[[ "$(jq -r .storage.unreadable_rows "$(curl -s "$base/healthz" >"$work/health2"; echo "$work/health2")")" -gt 0 ]] ||
  fail "/healthz does not count the unreadable rows"
stop_host

rc=0; "$bin" store check --data "$data" >"$work/check" || rc=$?
[[ "$rc" == 1 ]] || fail "store check exited $rc with a damaged SST (expected 1)"
grep -q "SST $sst (connections): DAMAGED" "$work/check" || { cat "$work/check"; fail "store check did not name the damaged SST"; }
echo "sst corruption: /healthz degraded, $listed of $creates listed (partial), store check named $sst"
