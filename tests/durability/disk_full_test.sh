#!/usr/bin/env bash
# A real full volume under the real host: its data folder on an 8 MiB tmpfs that a
# filler file fills. Writes must answer 507 storage_full with no internals, /healthz must
# say degraded, the log must say it; once the filler is removed writes must be accepted
# again without a restart, and every acknowledged create must survive a restart.
# Mounting needs root (or CAP_SYS_ADMIN); without it the test says so and exits 77,
# which CTest reports as skipped (the FileSystem-wrapper test in unit_store always runs).
#   disk_full_test.sh SWITCHBOARD_BINARY
set -euo pipefail
bin="$1"
work="$(mktemp -d)"
vol="$work/vol"
data="$vol/data"
pid=""
mounted=false
cleanup() {
  [[ -n "$pid" ]] && kill -KILL "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  [[ "$mounted" == true ]] && umount "$vol" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
source "$(dirname "$0")/host_helpers.sh"

mkdir -p "$vol"
if ! mount -t tmpfs -o size=8m tmpfs "$vol" 2>"$work/mount.err"; then
  echo "SKIP: cannot mount a small tmpfs volume here ($(cat "$work/mount.err")); needs root or CAP_SYS_ADMIN."
  echo "The disk-full behaviour is still covered by unit_store's storage_failure_test."
  exit 77
fi
mounted=true

start_host
make_project
create_connections before 50
[[ "$(wc -l <"$work/acked")" == 50 ]] || fail "creates before filling failed"

dd if=/dev/zero of="$vol/filler" bs=64k 2>/dev/null || true  # until the volume is full
post() {
  curl -s -o "$work/resp" -w '%{http_code}' -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data-binary "{\"name\":\"$1\",\"provider\":\"openai\",\"config\":{\"api_key\":\"sk-full-test\",\"base_url\":\"http://127.0.0.1:9/v1\"}}" \
    "$base/v1/projects/st/connections?probe=false"
}
code=""
for i in $(seq 50); do  # a write or two may still fit in the last free bytes
  code="$(post "full-$i")"
  [[ "$code" == 201 ]] && { jq -r .id "$work/resp" >>"$work/acked"; continue; }
  break
done
[[ "$code" == 507 ]] || fail "a write on a full volume answered $code: $(cat "$work/resp")"
[[ "$(jq -r .code "$work/resp")" == storage_full ]] || fail "code is not storage_full: $(cat "$work/resp")"
! grep -q "$vol\|/db\|\.log\|No space\|IO error" "$work/resp" || fail "the problem shows internals: $(cat "$work/resp")"
hcode="$(curl -s -o "$work/health" -w '%{http_code}' "$base/healthz")"
[[ "$hcode" == 503 && "$(jq -r .status "$work/health")" == degraded ]] || fail "/healthz answered $hcode $(cat "$work/health")"
[[ "$(jq -r .storage.status "$work/health")" == full && "$(jq -r .storage.writable "$work/health")" == false ]] ||
  fail "/healthz storage: $(cat "$work/health")"
grep -q "storage full" "$work/log" || fail "the full volume is not in the log"
# Reads still answer.
list_all
[[ "$(wc -l <"$work/listed")" -ge 50 ]] || fail "listing on a full volume lost rows"

rm -f "$vol/filler"
ok=""
for i in $(seq 100); do
  code="$(post "after-$i")"
  if [[ "$code" == 201 ]]; then jq -r .id "$work/resp" >>"$work/acked"; ok=yes; break; fi
  sleep 0.2
done
[[ -n "$ok" ]] || fail "writes were not accepted again within 20 s after space was freed (last: $code $(cat "$work/resp"))"
[[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz")" == 200 ]] || fail "/healthz not ok after recovery"
create_connections after-more 20
stop_host
start_host
list_all
[[ -z "$(comm -23 <(sort -u "$work/acked") <(sort "$work/listed"))" ]] || fail "an acknowledged create is missing after restart"
stop_host
echo "disk full: 507 storage_full and degraded /healthz on a full 8 MiB volume; writes resumed after freeing space; $(sort -u "$work/acked" | wc -l) acknowledged creates intact"
