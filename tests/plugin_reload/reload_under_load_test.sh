#!/usr/bin/env bash
# A reload that swaps the openai plugin for a new build, twice, while a bulk probe job
# runs over 400 of its connections (issue 10, part 5): every connection is probed exactly
# once and judged valid (no probe lost to the swap, none answered twice), and the new
# version serves afterwards.
# Usage: reload_under_load_test.sh SWITCHBOARD FAKE_PROVIDERS PLUGIN_DIR
set -euo pipefail
bin="$1" fake_bin="$2" plugin_dir="$3"
source "$(dirname "$0")/../durability/host_helpers.sh"
use_scratch_data
fake_pid=""
trap 'for p in "$pid" "$fake_pid"; do [[ -n "$p" ]] && kill -KILL "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"' EXIT

"$fake_bin" --listen 127.0.0.1:0 >"$work/fake.out" 2>"$work/fake.log" &
fake_pid=$!
for _ in $(seq 100); do grep -q listening "$work/fake.out" 2>/dev/null && break; sleep 0.1; done
fake="$(grep -o 'http://[0-9.:]*' "$work/fake.out")" || fail "the fake providers did not start"

plugins="$work/plugins"
mkdir -p "$plugins"
cp "$plugin_dir/openai.so" "$plugins/"
host_args=(--no-default-plugins --plugins "$plugins" --probe-interval 0)
start_host
make_project

count=400
: >"$work/creates"
for i in $(seq "$count"); do
  cat >>"$work/creates" <<CONF
url = "$base/v1/projects/st/connections?probe=false"
request = "POST"
header = "Authorization: Bearer $token"
header = "Content-Type: application/json"
data-binary = "{\\"name\\":\\"load-$i\\",\\"provider\\":\\"openai\\",\\"config\\":{\\"api_key\\":\\"sk-demo-good-$i-slow1500\\",\\"base_url\\":\\"$fake/openai/v1\\"}}"
next
CONF
done
curl -s -K "$work/creates" >"$work/created.json" || true
[[ "$(jq -r 'select(.id != null) | .id' "$work/created.json" | wc -l)" == "$count" ]] || fail "not every create was answered"

job="$(curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  "$base/v1/projects/st/probe-jobs" -d '{}')" || fail "the probe job did not start"
job_id="$(jq -r .id <<<"$job")"

# Two new builds while the job runs: a new inode each time, renamed over the old.
updates=0
for round in 1 2; do
  sleep 0.3
  cp "$plugin_dir/openai.so" "$plugins/.openai.so.new"
  mv "$plugins/.openai.so.new" "$plugins/openai.so"
  report="$(curl -s -X POST -H "Authorization: Bearer $admin" "$base/v1/admin/plugins/reload")"
  action="$(jq -r '.plugins[] | select(.file == "openai.so") | .action' <<<"$report")"
  [[ "$action" == updated ]] || fail "round $round: openai was $action: $report"
  updates=$((updates + 1))
  state="$(curl -s -H "Authorization: Bearer $token" "$base/v1/projects/st/probe-jobs/$job_id" | jq -r .state)"
  echo "reload under load: round $round swapped the plugin while the job was $state"
done

for _ in $(seq 600); do
  job="$(curl -s -H "Authorization: Bearer $token" "$base/v1/projects/st/probe-jobs/$job_id")"
  [[ "$(jq -r .state <<<"$job")" == done ]] && break
  sleep 0.1
done
[[ "$(jq -r .state <<<"$job")" == done ]] || fail "the job did not finish: $job"
[[ "$(jq -r .total <<<"$job")" == "$count" ]] || fail "total: $job"
[[ "$(jq -r .done <<<"$job")" == "$count" ]] || fail "done: $job"
[[ "$(jq -r '.summary.valid' <<<"$job")" == "$count" ]] || fail "not every probe was valid: $(jq -c .summary <<<"$job")"
summed="$(jq '[.summary | to_entries[] | .value] | add' <<<"$job")"
[[ "$summed" == "$count" ]] || fail "outcomes add up to $summed, not $count (a probe answered twice or lost)"
# Each connection was checked, by this job: every one is active now.
list_all
[[ "$(wc -l <"$work/listed")" == "$count" ]] || fail "listed $(wc -l <"$work/listed") connections"
active="$(curl -s -H "Authorization: Bearer $token" "$base/v1/projects/st/connections?status=active&limit=200" |
  jq '.items | length')"
[[ "$active" == 200 ]] || fail "the first page of active connections holds $active, not 200"
grep -q "plugin_crashed\|plugin_timeout" "$work/log" && fail "a probe met a crashed or stopped runner"

# The new version serves.
code="$(curl -s -o "$work/v" -w '%{http_code}' -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  "$base/v1/providers/openai/validate" -d '{"api_key":"sk-demo-good"}')"
[[ "$code" == 200 ]] || fail "validate after the swaps answered $code"
restarts="$(curl -s -H "Authorization: Bearer $admin" "$base/v1/providers" | jq '.items[] | select(.id=="openai") | .availability.restarts')"
[[ "$restarts" == 0 ]] || fail "the new runner restarted $restarts times"
stop_host
echo "reload under load: ok ($count probes, $updates swaps)"
