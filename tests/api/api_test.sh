#!/usr/bin/env bash
# Starts the real host on an ephemeral port with a fresh data folder and checks the REST
# API's rules: auth and roles, validation, sealed secrets, in-use deletes, bad input.
set -euo pipefail
bin="$1"
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin" serve --data "$work/data" --listen 127.0.0.1:0 >"$work/out" 2>"$work/log" &
pid=$!
for _ in $(seq 100); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
base="$(grep -o 'http://[0-9.:]*' "$work/out")"
[[ -n "$base" ]] || { echo "FAIL: host did not start"; cat "$work/log"; exit 1; }
admin="$(cat "$work/data/admin.token")"
failures=0; passed=0
check() { # name expected actual
  if [[ "$2" == "$3" ]]; then passed=$((passed+1)); else failures=$((failures+1)); echo "FAIL: $1: expected [$2] got [$3]"; fi
}
# Every response is checked against schemas/openapi.json by openapi_check (CTest passes
# its path in OPENAPI_CHECK). A request meant to hit no route sets unrouted=1: the
# document must then have no such operation and the answer must be a 404/405 problem.
conformed=0
conforms() { # METHOD PATH, with $status, $content_type and $work/body of the response
  [[ -n "${OPENAPI_CHECK:-}" ]] || return 0
  local flags=(--content-type "$content_type") out
  [[ -n "${unrouted:-}" ]] && flags+=(--unrouted)
  if out="$("$OPENAPI_CHECK" "${flags[@]}" "$1" "$2" "$status" "$work/body" 2>&1)"; then
    conformed=$((conformed+1))
  else
    failures=$((failures+1)); echo "FAIL: $1 $2 -> $status does not follow schemas/openapi.json:"; echo "$out"
  fi
}
# req TOKEN METHOD PATH [BODY] -> sets $status, $content_type and $body
req() {
  local args=(-s -o "$work/body" -w '%{http_code} %{content_type}' -X "$2" "$base$3")
  [[ -n "$1" ]] && args+=(-H "Authorization: Bearer $1")
  [[ $# -ge 4 ]] && args+=(-H 'Content-Type: application/json' --data-binary "$4")
  read -r status content_type <<<"$(curl "${args[@]}")"; body="$(cat "$work/body")"
  conforms "$2" "$3"
}
secret='sk-proj-VERYSECRETabc123'

req "" GET /healthz;                                  check "healthz" 200 "$status"
req "" GET /v1/projects;                              check "no token" 401 "$status"
req "wrong" GET /v1/projects;                         check "unknown token" 401 "$status"
req "$admin" POST /v1/projects '{"id":"alpha","name":"Alpha"}'; check "create project" 201 "$status"
req "$admin" POST /v1/projects '{"id":"alpha","name":"Again"}'; check "duplicate project" 409 "$status"
req "$admin" POST /v1/projects '{"id":"beta","name":"Beta"}';   check "second project" 201 "$status"
req "$admin" POST /v1/projects/alpha/tokens '{"role":"member"}'; member="$(jq -r .token <<<"$body")"
req "$admin" POST /v1/projects/alpha/tokens '{"role":"admin"}';  alpha_admin="$(jq -r .token <<<"$body")"
req "$admin" POST /v1/projects/beta/tokens '{"role":"admin"}';   beta_admin="$(jq -r .token <<<"$body")"
req "$admin" GET /v1/projects/alpha/tokens; check "token list hides tokens" "null" "$(jq -r '.items[0].token' <<<"$body")"

req "$alpha_admin" POST /v1/projects/alpha/connections "{\"name\":\"Main OpenAI\",\"provider\":\"openai\",\"config\":{\"api_key\":\"$secret\"}}"
check "create connection" 201 "$status"
check "secret shown as set" true "$(jq -r .config.api_key.set <<<"$body")"
cid="$(jq -r .id <<<"$body")"
req "$alpha_admin" POST /v1/projects/alpha/connections '{"name":"main openai","provider":"openai","config":{"api_key":"sk-x"}}'
check "duplicate name (case-insensitive)" 409 "$status"
req "$alpha_admin" POST /v1/projects/alpha/connections '{"name":"Bad","provider":"openai","config":{"organization":"nope","extra":1}}'
check "invalid config" 422 "$status"
check "all field errors at once" "config.api_key:missing_required,config.extra:unknown_field,config.organization:pattern_mismatch" \
  "$(jq -r '[.errors[] | "\(.field):\(.code)"] | sort | join(",")' <<<"$body")"
req "$alpha_admin" POST /v1/projects/alpha/connections '{"name":"X","provider":"nope","config":{}}'
check "unknown provider" "unknown_provider" "$(jq -r '.errors[0].code' <<<"$body")"
req "$alpha_admin" POST /v1/projects/alpha/connections '{"name":"X","provider":"openai","config":{"api_key":{"set":true}}}'
check "placeholder never stored" 422 "$status"

req "$member" GET /v1/projects/alpha/connections;     check "member reads" 200 "$status"
check "list shows the connection" "Main OpenAI" "$(jq -r '.items[0].name' <<<"$body")"
req "$member" PATCH "/v1/projects/alpha/connections/$cid" '{"name":"Nope"}'; check "member cannot rename" 403 "$status"
req "$member" DELETE "/v1/projects/alpha/connections/$cid";               check "member cannot delete" 403 "$status"
req "$beta_admin" GET "/v1/projects/alpha/connections/$cid";              check "other project sees nothing" 404 "$status"
req "$beta_admin" GET /v1/projects/alpha/connections;                    check "other project list" 404 "$status"

req "$alpha_admin" PATCH "/v1/projects/alpha/connections/$cid" '{"name":"Renamed","config":{"project":"proj_abc"}}'
check "rename and edit" 200 "$status"
check "secret kept on edit" true "$(jq -r .config.api_key.set <<<"$body")"
req "$member" GET /v1/projects/alpha/connections
check "the list shows the rename at once" "Renamed" "$(jq -r '.items[0].name' <<<"$body")"
req "$alpha_admin" PUT /v1/projects/alpha/flows/daily "{\"name\":\"Daily sync\",\"connections\":[\"$cid\"]}"
check "flow attaches" 201 "$status"
req "$alpha_admin" PUT /v1/projects/alpha/flows/bad '{"connections":["con_doesnotexist"]}'
check "unknown connection in flow" 422 "$status"
req "$alpha_admin" GET "/v1/projects/alpha/connections/$cid"; check "flows count" 1 "$(jq -r .flows <<<"$body")"
req "$member" GET /v1/projects/alpha/connections; check "the list shows the new flow count" 1 "$(jq -r '.items[] | select(.name == "Renamed") | .flows' <<<"$body")"
req "$alpha_admin" DELETE "/v1/projects/alpha/connections/$cid"
check "delete in use refused" 409 "$status"
check "409 names the flow" "flow:daily" "$(jq -r '.references[0] | "\(.kind):\(.id)"' <<<"$body")"
req "$alpha_admin" PUT /v1/projects/alpha/flows/auto '{"name":"Auto","integrations":[{"provider":"openai","name":"Auto OpenAI","config":{"api_key":"sk-auto"}}]}'
check "integration creates its connection" 201 "$status"
auto_id="$(jq -r '.integrations[0].connection' <<<"$body")"
req "$alpha_admin" GET "/v1/projects/alpha/flows?connection=$auto_id"; check "flows of a connection" "auto" "$(jq -r '.items[0].id' <<<"$body")"
req "$alpha_admin" DELETE /v1/projects/alpha/flows/daily;  check "delete flow" 204 "$status"
req "$alpha_admin" DELETE "/v1/projects/alpha/connections/$cid"; check "delete once released" 204 "$status"

req "$alpha_admin" GET "/v1/projects/alpha/connections?cursor=garbage"; check "bad cursor" 400 "$status"
req "$alpha_admin" GET "/v1/projects/alpha/connections?status=weird";  check "bad status" 400 "$status"
req "$alpha_admin" POST /v1/projects/alpha/connections '{not json';     check "malformed json" 400 "$status"
check "problem code" malformed_json "$(jq -r .code <<<"$body")"
read -r status content_type <<<"$(curl -s -o "$work/body" -w '%{http_code} %{content_type}' -X POST -H "Authorization: Bearer $alpha_admin" -H 'Content-Type: text/plain' --data 'x' "$base/v1/projects/alpha/connections")"
check "wrong content type" 415 "$status"; conforms POST /v1/projects/alpha/connections
head -c 2000000 /dev/zero | tr '\0' 'a' > "$work/big"
read -r status content_type <<<"$(curl -s -o "$work/body" -w '%{http_code} %{content_type}' -X POST -H "Authorization: Bearer $alpha_admin" -H 'Content-Type: application/json' --data-binary @"$work/big" "$base/v1/projects/alpha/connections")"
check "oversize body" 413 "$status"; conforms POST /v1/projects/alpha/connections
unrouted=1 req "$alpha_admin" GET /v1/nothing;     check "unknown route" 404 "$status"
unrouted=1 req "$alpha_admin" DELETE /v1/providers; check "wrong method" 405 "$status"
req "$alpha_admin" GET "/v1/projects/alpha/connections/bad%20id"; check "bad id" 400 "$status"
req "" GET /healthz;                               check "host still up" 200 "$status"
req "$alpha_admin" POST /v1/projects/alpha/probe-jobs '{"colour":"blue","status":5}'
check "probe job filter refused, each problem named" "colour:unknown_field,status:wrong_type" \
  "$(jq -r '[.errors[] | "\(.field):\(.code)"] | sort | join(",")' <<<"$body")"
req "$alpha_admin" GET "/v1/projects/alpha/events?limit=0"; check "events limit out of range" 400 "$status"
req "$alpha_admin" GET "/v1/projects/alpha/events?cursor=nonsense"; check "events bad cursor" 400 "$status"
# A POST with no body and no Content-Length (plain `curl -X POST`) is answered at once.
check "bodiless POST answered at once" 200 \
  "$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $alpha_admin" "$base/v1/projects/alpha/connections/$auto_id/probe")"
req "" GET /metrics
check "metrics count connections by status" 1 "$(grep -c '^switchboard_connections{status="active"} [1-9]' <<<"$body")"
check "metrics count requests by route and status" 1 \
  "$(grep -c '^switchboard_http_requests_total{method="POST",route="/v1/projects/{p}/connections",status="201"}' <<<"$body")"

# The secret appears in no response, no log line and no file of the data folder.
if grep -rqF "$secret" "$work/data" "$work/log" "$work/out"; then failures=$((failures+1)); echo "FAIL: secret found at rest or in logs"; else passed=$((passed+1)); fi
check "key file mode" 600 "$(stat -c %a "$work/data/master.key")"
check "admin token mode" 600 "$(stat -c %a "$work/data/admin.token")"

# A second host on the same data folder is refused.
if "$bin" serve --data "$work/data" --listen 127.0.0.1:0 >/dev/null 2>"$work/second"; then
  failures=$((failures+1)); echo "FAIL: second host started"
else
  check "second host refused" 1 "$(grep -c 'in use by another Switchboard host' "$work/second")"
fi
kill -TERM "$pid"; rc=0; wait "$pid" || rc=$?; check "graceful stop" 0 "$rc"
if [[ -n "${OPENAPI_CHECK:-}" ]]; then
  echo "api: $conformed responses follow schemas/openapi.json"
  [[ $conformed -gt 0 ]] || { failures=$((failures+1)); echo "FAIL: no response was checked against the document"; }
else
  echo "api: OPENAPI_CHECK not set; responses not checked against schemas/openapi.json"
fi
echo "api: $passed passed, $failures failed"
[[ $failures -eq 0 ]]
