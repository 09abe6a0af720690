#!/usr/bin/env bash
# Component PUTs racing each other (issue 11, part 2): many PUTs of one new flow at once
# are answered 201 exactly once (the rest 200), and many flows configuring the same new
# integration at once end with exactly one connection, which all of them reference.
set -euo pipefail
bin="$1"
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin" serve --data "$work/data" --listen 127.0.0.1:0 --threads 8 >"$work/out" 2>"$work/log" &
pid=$!
for _ in $(seq 100); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
base="$(grep -o 'http://[0-9.:]*' "$work/out")"
[[ -n "$base" ]] || { echo "FAIL: host did not start"; cat "$work/log"; exit 1; }
admin="$(cat "$work/data/admin.token")"
failures=0
check() { # name expected actual
  if [[ "$2" == "$3" ]]; then echo "ok: $1"; else failures=$((failures+1)); echo "FAIL: $1: expected [$2] got [$3]"; fi
}
call() { # METHOD PATH [BODY] -> the status code; the body in $work/body
  local args=(-s -o "$work/body" -w '%{http_code}' -X "$1" "$base$2" -H "Authorization: Bearer $admin")
  [[ $# -ge 3 ]] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
  curl "${args[@]}"
}
check "create project" 201 "$(call POST /v1/projects '{"id":"p","name":"P"}')"
check "a connection to attach" 201 "$(call POST '/v1/projects/p/connections?probe=false' '{"name":"Base","provider":"openai","config":{"api_key":"sk-base"}}')"
cid="$(jq -r .id "$work/body")"
writers=12

for round in 1 2 3 4 5; do
  # One new flow id, many writers at once: it is created once.
  for i in $(seq $writers); do
    curl -s -o /dev/null -w '%{http_code}\n' -X PUT "$base/v1/projects/p/flows/same-$round" \
      -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
      --data-binary "{\"connections\":[\"$cid\"]}" >>"$work/same-$round" &
  done
  wait $(jobs -p | grep -v "^$pid$") 2>/dev/null || true
  check "round $round: one PUT of a new flow is told it created it" 1 "$(grep -c '^201$' "$work/same-$round" || true)"
  check "round $round: the others replaced it" $((writers - 1)) "$(grep -c '^200$' "$work/same-$round" || true)"

  # Many new flows, one new integration: one connection, referenced by every flow.
  for i in $(seq $writers); do
    curl -s -o /dev/null -w '%{http_code}\n' -X PUT "$base/v1/projects/p/flows/f$round-$i" \
      -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
      --data-binary "{\"integrations\":[{\"provider\":\"openai\",\"name\":\"Shared $round\",\"config\":{\"api_key\":\"sk-shared\"}}]}" \
      >>"$work/shared-$round" &
  done
  wait $(jobs -p | grep -v "^$pid$") 2>/dev/null || true
  check "round $round: every flow stored" "$writers" "$(grep -c '^201$' "$work/shared-$round" || true)"
  call GET "/v1/projects/p/connections?q=Shared%20$round" >/dev/null
  check "round $round: exactly one connection" 1 "$(jq '.items | length' "$work/body")"
  shared="$(jq -r '.items[0].id' "$work/body")"
  call GET "/v1/projects/p/flows?connection=$shared" >/dev/null
  check "round $round: every flow references it" "$writers" "$(jq '.items | length' "$work/body")"
done

kill -0 "$pid" || { echo "FAIL: the host died"; failures=$((failures+1)); }
[[ $failures -eq 0 ]] || { echo "$failures failure(s)"; exit 1; }
echo "component race: all passed"
