#!/usr/bin/env bash
# Flows using their connections through the real host, against the fake providers:
# each provider proxied and through the credentials endpoint with a runtime token;
# least privilege (a runtime token uses only its flow's connections, and nothing else);
# path escapes and redirects; a 401 in real traffic turning the connection inactive,
# refused until a reconnect; one refresh for a burst of uses of an expired Google token;
# usage counts; and no secret in any response but the credentials endpoint's, nor in the
# host's log or data folder. Every response is checked against schemas/openapi.json.
set -euo pipefail
host_bin="$1"
fake_bin="$2"
legacy_dir="$3"  # holds the committed ABI 1.0 plugin, legacy_v10.so
work="$(mktemp -d)"
cleanup() {
  [[ -n "${host_pid:-}" ]] && kill "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null
  [[ -n "${fake_pid:-}" ]] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

wait_for_line() { # file pattern -> base URL
  for _ in $(seq 100); do grep -q "$2" "$1" 2>/dev/null && break; sleep 0.1; done
  grep "$2" "$1" | grep -o 'http://[0-9.:]*' | head -1 || true
}

"$fake_bin" --listen 127.0.0.1:0 >"$work/fake.out" 2>"$work/fake.log" &
fake_pid=$!
fake="$(wait_for_line "$work/fake.out" 'providers listening')"
[[ -n "$fake" ]] || { echo "FAIL: fake providers did not start"; cat "$work/fake.log"; exit 1; }

"$host_bin" serve --data "$work/data" --listen 127.0.0.1:0 --egress-allow 127.0.0.1/32 \
  --probe-interval 0 --usage-flush-interval 200 --plugins "$legacy_dir" >"$work/host.out" 2>"$work/host.log" &
host_pid=$!
base="$(wait_for_line "$work/host.out" 'switchboard listening')"
[[ -n "$base" ]] || { echo "FAIL: host did not start"; cat "$work/host.log"; exit 1; }
admin="$(cat "$work/data/admin.token")"

failures=0; passed=0; conformed=0
check() { # name expected actual
  if [[ "$2" == "$3" ]]; then passed=$((passed+1)); else failures=$((failures+1)); echo "FAIL: $1: expected [$2] got [$3]"; fi
}
# Responses of the host, for the secret check at the end; the credentials endpoint's are
# kept apart (they are the one place secrets are handed out).
conform() { # METHOD PATH
  [[ -n "${OPENAPI_CHECK:-}" ]] || return 0
  local content_type; content_type="$( (grep -i '^content-type:' "$work/headers" || true) | tail -1 | cut -d' ' -f2- | tr -d '\r')"
  if out="$("$OPENAPI_CHECK" --content-type "$content_type" "$1" "$2" "$status" "$work/body" 2>&1)"; then
    conformed=$((conformed+1))
  else
    failures=$((failures+1)); echo "FAIL: $1 $2 -> $status does not follow schemas/openapi.json:"; echo "$out"
  fi
}
# req TOKEN METHOD PATH [BODY] [extra curl args...] -> $status, $body
req() {
  local token="$1" method="$2" path="$3" data="${4:-}"; shift 4 || shift $#
  local args=(-s --path-as-is -D "$work/headers" -o "$work/body" -w '%{http_code}' -X "$method" "$base$path"
              -H 'Content-Type: application/json')
  [[ -n "$data" ]] && args+=(--data-binary "$data")
  [[ -n "$token" ]] && args+=(-H "Authorization: Bearer $token")
  status="$(curl "${args[@]}" "$@")"; body="$(cat "$work/body")"
  # Tokens are shown once when issued, credentials where they are asked for: those
  # answers are the only ones allowed to carry a secret.
  if [[ "$path" == */credentials || ( "$method" == POST && "$path" == */tokens ) ]]; then
    cat "$work/headers" "$work/body" >>"$work/secret_responses"
  else cat "$work/headers" "$work/body" >>"$work/responses"; fi
  conform "$method" "$path"
}
field() { jq -r "$1" <<<"$body" 2>/dev/null || echo "(not json)"; }
refreshes() { # the fake's count of refresh grants for a refresh-token family
  curl -s "$fake/_stats" | jq -r --arg t "$1" '[.providers[] | .refreshes_by_family[$t] // 0] | add'
}

req "$admin" POST /v1/projects '{"id":"use","name":"Use E2E"}'
check "create project" 201 "$status"
req "$admin" POST /v1/projects/use/tokens '{"role":"admin"}'; token="$(field .token)"
req "$admin" POST /v1/projects/use/tokens '{"role":"member"}'; member="$(field .token)"
api=/v1/projects/use/connections

secrets=(sk-demo-good "a1b2c3d4e5f60718293a4b5c6d7e8f90" "ATTA9f8e7d6c5b4a39281706f5e4d3c2b1a0998877665544332211ffeeddccbbaa00E1F2A3B4"
         GOCSPX-demoSecret 1//0g-demo-good "Xy8Q~demoSecret" 1.AXkA-demo-good sk-demo-revoked sk-demo-redirect
         1//0g-demo-shortlived sk-demo-fixed lv1_legacy_secret 1//0g-demo-revoked sk-demo-ratelimited 1.AXkA-demo-rotate)
create() { # NAME PROVIDER CONFIG [QUERY] -> $cid
  req "$token" POST "$api${4:-}" "{\"name\":\"$1\",\"provider\":\"$2\",\"config\":$3}"
  check "create $1" 201 "$status"
  cid="$(field .id)"
}
create OpenAI openai "{\"api_key\":\"sk-demo-good\",\"base_url\":\"$fake/openai/v1\"}"; openai=$cid
create Trello trello "{\"api_key\":\"a1b2c3d4e5f60718293a4b5c6d7e8f90\",\"token\":\"ATTA9f8e7d6c5b4a39281706f5e4d3c2b1a0998877665544332211ffeeddccbbaa00E1F2A3B4\",\"base_url\":\"$fake/trello/1\"}"; trello=$cid
create Google google_calendar "{\"client_id\":\"123456789012-abc123def456ghi789jkl012mno345pq.apps.googleusercontent.com\",\"client_secret\":\"GOCSPX-demoSecret\",\"refresh_token\":\"1//0g-demo-good\",\"token_uri\":\"$fake/google/token\",\"api_base\":\"$fake/google/calendar/v3\"}"; google=$cid
create Outlook outlook "{\"tenant\":\"common\",\"client_id\":\"6731de76-14a6-49ae-97bc-6eba6914391e\",\"client_secret\":\"Xy8Q~demoSecret\",\"refresh_token\":\"1.AXkA-demo-good\",\"authority_host\":\"$fake/microsoft\",\"graph_base\":\"$fake/graph/v1.0\"}"; outlook=$cid
create Revoked openai "{\"api_key\":\"sk-demo-revoked\",\"base_url\":\"$fake/openai/v1\"}" '?probe=false'; revoked=$cid
create Redirect openai "{\"api_key\":\"sk-demo-redirect\",\"base_url\":\"$fake/openai/v1\"}" '?probe=false'; redirect=$cid
create Burst google_calendar "{\"client_id\":\"123456789012-abc123def456ghi789jkl012mno345pq.apps.googleusercontent.com\",\"client_secret\":\"GOCSPX-demoSecret\",\"refresh_token\":\"1//0g-demo-shortlived\",\"token_uri\":\"$fake/google/token\",\"api_base\":\"$fake/google/calendar/v3\"}" '?probe=false'; burst=$cid
create Echo openai "{\"api_key\":\"sk-demo-good\",\"base_url\":\"$fake/echo/v1\"}" '?probe=false'; echo_c=$cid
create Legacy legacy_v10 "{\"token\":\"lv1_legacy_secret\",\"base_url\":\"$fake/legacy\"}" '?probe=false'; legacy=$cid
create Grantless google_calendar "{\"client_id\":\"123456789012-abc123def456ghi789jkl012mno345pq.apps.googleusercontent.com\",\"client_secret\":\"GOCSPX-demoSecret\",\"refresh_token\":\"1//0g-demo-revoked\",\"token_uri\":\"$fake/google/token\",\"api_base\":\"$fake/google/calendar/v3\"}" '?probe=false'; grantless=$cid
create Limited openai "{\"api_key\":\"sk-demo-ratelimited\",\"base_url\":\"$fake/openai/v1\"}" '?probe=false'; limited=$cid
create Rotating outlook "{\"tenant\":\"common\",\"client_id\":\"6731de76-14a6-49ae-97bc-6eba6914391e\",\"client_secret\":\"Xy8Q~demoSecret\",\"refresh_token\":\"1.AXkA-demo-rotate\",\"authority_host\":\"$fake/microsoft\",\"graph_base\":\"$fake/graph/v1.0\"}"; rotating=$cid
create Unused openai "{\"api_key\":\"sk-demo-good\",\"base_url\":\"$fake/openai/v1\"}"; unused=$cid

req "$token" PUT /v1/projects/use/flows/daily "{\"name\":\"Daily\",\"connections\":[\"$openai\",\"$trello\",\"$google\",\"$outlook\",\"$revoked\",\"$redirect\",\"$burst\",\"$echo_c\",\"$legacy\",\"$grantless\",\"$limited\",\"$rotating\"]}"
check "put flow" 201 "$status"
req "$token" POST /v1/projects/use/flows/daily/tokens '{"name":"daily runner"}'
check "runtime token" 201 "$status"
check "runtime token kind" runtime "$(field .kind)"
check "runtime token component" "flow/daily" "$(field '.component.kind + "/" + .component.id')"
runtime="$(field .token)"; runtime_id="$(field .id)"
req "$member" POST /v1/projects/use/flows/daily/tokens ''
check "member cannot issue runtime tokens" 403 "$status"
req "$token" POST /v1/projects/use/flows/nope/tokens ''
check "no runtime token for a missing flow" 404 "$status"

# ---- each provider through the proxy ---------------------------------------------------
p="$api/$openai/proxy"
req "$runtime" POST "$p/chat/completions" '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}'
check "openai proxied" 200 "$status"
check "openai answer" chat.completion "$(field .object)"
req "$runtime" GET "$api/$google/proxy/users/me/calendarList" ''
check "google proxied" 200 "$status"
check "google answer" "calendar#calendarList" "$(field .kind)"
req "$runtime" GET "$api/$outlook/proxy/me/messages" ''
check "outlook proxied" 200 "$status"
check "outlook answer" array "$(field '.value | type')"
req "$runtime" GET "$api/$trello/proxy/members/me/boards" ''
check "trello proxied" 200 "$status"
check "trello answer" array "$(field 'type')"
# What reaches the provider (the fake's echo endpoint, behind an OpenAI connection): the
# connection's credentials, which the echo quotes back and the host takes out again; the
# caller's headers, but not its own Authorization (the runtime token), its cookies,
# Accept-Encoding or hop-by-hop headers.
req "$runtime" GET "$api/$echo_c/proxy/things/1?x=1&y=two" '' -H 'Cookie: sb_session=secret-cookie' \
  -H 'X-Custom: yes' -H 'Connection: X-Hop' -H 'X-Hop: 1' -H 'Accept-Encoding: gzip' -H 'Range: bytes=69-72'
check "echo proxied" 200 "$status"
check "echo path" /echo/v1/things/1 "$(field .path)"
check "echo query" "x=1&y=two" "$(field '.query | if type == "string" then . else (to_entries | map("\(.key)=\(.value)") | join("&")) end')"
check "credentials applied, quoted back redacted" true "$(field '.headers.authorization | test("^(Bearer )?\\[redacted\\]$")')"
check "caller header forwarded" yes "$(field '.headers["x-custom"]')"
check "no cookie forwarded" null "$(field '.headers.cookie')"
check "no hop-by-hop header forwarded" null "$(field '.headers["x-hop"]')"
check "no accept-encoding forwarded" null "$(field '.headers["accept-encoding"]')"
# A slice of an answer could carry a quoted secret in pieces too short to recognise.
check "no range forwarded" null "$(field '.headers.range')"
# A large answer (over 16 KiB: redacted off the network threads) is redacted all the same.
pad="$(head -c 40000 /dev/zero | tr '\0' a)"
req "$runtime" POST "$api/$echo_c/proxy/things/large" "{\"pad\":\"$pad\"}"
check "large echo proxied" 200 "$status"
check "large answer: credentials quoted back redacted" true "$(field '.headers.authorization | test("^(Bearer )?\\[redacted\\]$")')"
check "large answer: body passed whole" 40010 "$(field '.body | length')"

# ---- and through the credentials endpoint, called with the runtime's own client ---------
access_tokens=()
for c in "$openai" "$trello" "$google" "$outlook"; do
  req "$runtime" POST "$api/$c/credentials" ''
  check "credentials $c" 200 "$status"
  check "credentials $c no-store" 1 "$(grep -ci '^cache-control: no-store' "$work/headers" || true)"
  origin="$(field '.origins[0].origin + .origins[0].base_path')"
  headers=(); while IFS=$'\t' read -r k v; do [[ -n "$k" ]] && headers+=(-H "$k: $v"); done < <(field '.headers | to_entries[] | [.key, .value] | @tsv')
  query="$(field '[.query | to_entries[] | "\(.key)=\(.value | @uri)"] | join("&")')"
  [[ "$status" == 200 ]] && for v in $(field '.headers[]' | sed 's/^Bearer //'); do access_tokens+=("$v"); done
  case "$c" in
    "$openai") path=/models ;; "$trello") path=/members/me/boards ;;
    "$google") path=/users/me/calendarList ;; "$outlook") path=/me/messages ;;
  esac
  direct="$(curl -s -o /dev/null -w '%{http_code}' "${headers[@]}" "$origin$path${query:+?$query}" || true)"
  check "direct call with credentials $c" 200 "$direct"
done

# ---- a plugin built for ABI 1.0 keeps working, but cannot be used through the host ---------
req "$runtime" GET "$api/$legacy/proxy/whoami" ''
check "ABI 1.0 plugin: proxy" 501 "$status"
check "ABI 1.0 plugin: code" provider_cannot_authorize "$(field .code)"
check "ABI 1.0 plugin: names its ABI" true "$(field '.detail | test("1\\.0")')"
req "$runtime" POST "$api/$legacy/credentials" ''
check "ABI 1.0 plugin: credentials" 501 "$status"

# ---- least privilege ---------------------------------------------------------------------
req "$runtime" GET "$api/$unused/proxy/models" ''
check "unreferenced connection refused" 403 "$status"
check "unreferenced code" connection_not_referenced "$(field .code)"
req "$runtime" POST "$api/$unused/credentials" ''
check "unreferenced credentials refused" 403 "$status"
for route in "GET $api" "GET $api/$openai" "GET /v1/projects/use" "GET /v1/projects" "GET /v1/providers" \
             "PATCH $api/$openai" "DELETE $api/$openai" "POST $api/$openai/probe" "GET /v1/projects/use/flows" \
             "GET $api/$openai/usage" "POST /v1/projects/use/tokens"; do
  req "$runtime" ${route% *} "${route#* }" '{}'
  check "runtime token refused on $route" 403 "$status"
done
req "$token" POST "$api/$openai/credentials" ''
check "credentials refused to an admin token" 403 "$status"
req "$member" GET "$api/$openai/proxy/models" ''
check "proxy refused to a member" 403 "$status"
req "$token" GET "$api/$openai/proxy/models" ''
check "proxy open to a project admin" 200 "$status"
req "" GET "$api/$openai/proxy/models" ''
check "proxy needs a token" 401 "$status"

# ---- path escapes ------------------------------------------------------------------------
for path in "/../../v1/admin" "/%2e%2e/x" "/.%2E/x" "//evil.example/x" "/a%2fb" "/me@evil.example" "/a\\b" "/./models"; do
  req "$runtime" GET "$api/$openai/proxy$path" ''
  check "path escape $path refused" 400 "$status"
  check "path escape $path code" path_refused "$(field .code)"
done

# ---- a redirect to another origin is not followed with the credentials -------------------
curl -s -X DELETE "$fake/_captured" >/dev/null
req "$runtime" POST "$api/$redirect/proxy/chat/completions" '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}'
check "redirect passed on" 307 "$status"
check "redirect location kept" 1 "$(grep -ci '^location: http://127.0.0.1:[0-9]*/captured' "$work/headers" || true)"
check "nothing reached the other origin" 0 "$(curl -s "$fake/_captured" | jq 'length')"

# ---- a 401 in real traffic turns the connection inactive; refused until reconnected ------
req "$runtime" GET "$api/$revoked/proxy/models" ''
check "revoked key answers 401" 401 "$status"
for _ in $(seq 50); do
  req "$token" GET "$api/$revoked" ''
  [[ "$(field .status)" == inactive ]] && break; sleep 0.1
done
check "401 in traffic -> inactive" inactive "$(field .status)"
req "$token" GET "$api/$revoked/history" ''
check "the change is in the history" inactive "$(field '.items[0].status')"
req "$runtime" GET "$api/$revoked/proxy/models" ''
check "inactive refused" 409 "$status"
check "inactive code" connection_inactive "$(field .code)"
check "inactive reason given" true "$(field '.status_reason | length > 0')"
req "$runtime" POST "$api/$revoked/credentials" ''
check "inactive credentials refused" 409 "$status"
req "$token" POST "$api/$revoked/reconnect" "{\"config\":{\"api_key\":\"sk-demo-fixed\",\"base_url\":\"$fake/openai/v1\"}}"
check "reconnect" 200 "$status"
req "$runtime" GET "$api/$revoked/proxy/models" ''
check "allowed again after reconnect" 200 "$status"

# ---- many concurrent uses of an expired Google token: one refresh ------------------------
req "$runtime" GET "$api/$burst/proxy/users/me/calendarList" ''
check "short-lived token works" 200 "$status"
before="$(refreshes 1//0g-demo-shortlived)"
sleep 2.5  # the access token (2 s) has lapsed
urls="$work/burst.urls"; : >"$urls"
for _ in $(seq 1000); do
  printf 'url = "%s"\noutput = "/dev/null"\n' "$base$api/$burst/proxy/users/me/calendarList" >>"$urls"
done
# One curl, a hundred transfers at a time: the 1,000 calls take well under the token's life.
codes="$( (curl -sS --parallel --parallel-immediate --parallel-max 100 -H "Authorization: Bearer $runtime" \
             -w '%{http_code}\n' -K "$urls" 2>"$work/burst.err" || true) | sort | uniq -c | tr -s ' ')"
check "1000 uses answered 200" " 1000 200" "$codes"
[[ "$codes" == " 1000 200" ]] || sort "$work/burst.err" | uniq -c | head -5
after="$(refreshes 1//0g-demo-shortlived)"
check "one refresh for the burst" 1 "$((after - before))"

# ---- a refresh the provider refuses turns the connection inactive ------------------------
req "$runtime" GET "$api/$grantless/proxy/users/me/calendarList" ''
check "invalid_grant refused" 409 "$status"
check "invalid_grant code" connection_inactive "$(field .code)"
req "$token" GET "$api/$grantless" ''
check "invalid_grant -> inactive" inactive "$(field .status)"
check "invalid_grant reason" true "$(field '.status_reason | test("revoked|expired"; "i")')"

# ---- a rate limit in real traffic changes nothing ----------------------------------------
req "$runtime" GET "$api/$limited/proxy/models" ''
check "rate limit passed on" 429 "$status"
sleep 0.5
req "$token" GET "$api/$limited" ''
check "429 leaves the status" unverified "$(field .status)"
req "$token" GET "$api/$limited/history" ''
check "429 records no event" 0 "$(field '.items | length')"

# ---- probes and uses of a single-use refresh token never spend it twice ------------------
: >"$work/rotate.urls"
for _ in $(seq 50); do printf 'url = "%s"\noutput = "/dev/null"\n' "$base$api/$rotating/proxy/me/messages" >>"$work/rotate.urls"; done
( curl -sS --parallel --parallel-max 25 -H "Authorization: Bearer $runtime" -w '%{http_code}\n' -K "$work/rotate.urls" \
    2>/dev/null || true ) >"$work/rotate.codes" &
probing=($!)
for _ in 1 2 3; do curl -s -o /dev/null -XPOST -H "Authorization: Bearer $token" "$base$api/$rotating/probe" & probing+=($!); done
wait "${probing[@]}"
check "rotating uses answered 200" 50 "$(grep -c '^200$' "$work/rotate.codes" || true)"
check "no spent refresh token reused" 0 "$(curl -s "$fake/_stats" | jq -r '[.providers[] | .spent_refreshes_by_family["1.AXkA-demo-rotate"] // 0] | add')"
req "$token" GET "$api/$rotating" ''
check "rotating connection stays active" active "$(field .status)"

# ---- usage -------------------------------------------------------------------------------
sleep 0.5
req "$token" GET "$api/$openai" ''
check "use_count counted" true "$(field '.use_count >= 3')"
check "last_used_at set" true "$(field '.last_used_at != null')"
req "$token" GET "$api/$openai/usage" ''
check "usage by flow" true "$(field '[.by[] | select(.user == "flow/daily")] | length == 1')"
check "usage by admin" true "$(field '[.by[] | select(.user == "admin")] | length == 1')"

# ---- revoking the token, deleting the flow -----------------------------------------------
req "$token" PUT /v1/projects/use/flows/weekly "{\"name\":\"Weekly\",\"connections\":[\"$openai\"]}"
req "$token" POST /v1/projects/use/flows/weekly/tokens ''; weekly="$(field .token)"; weekly_id="$(field .id)"
req "$weekly" GET "$api/$openai/proxy/models" ''
check "weekly token works" 200 "$status"
req "$token" DELETE /v1/projects/use/flows/weekly ''
req "$weekly" GET "$api/$openai/proxy/models" ''
check "deleting the flow stops its token" 401 "$status"
req "$token" GET /v1/projects/use/tokens ''
check "deleting the flow revokes its token" 0 "$(field "[.items[] | select(.id == \"$weekly_id\")] | length")"
req "$token" PUT /v1/projects/use/flows/weekly "{\"name\":\"Weekly again\",\"connections\":[\"$openai\"]}"
req "$weekly" GET "$api/$openai/proxy/models" ''
check "a new flow of the same id is another" 401 "$status"
# Deleted and created again at once (the same millisecond, which created_at cannot tell
# apart): the old token still does not follow.
req "$token" POST /v1/projects/use/flows/weekly/tokens ''; weekly="$(field .token)"
for _ in 1 2 3 4 5; do
  curl -s -o /dev/null -X DELETE -H "Authorization: Bearer $token" "$base/v1/projects/use/flows/weekly" \
    --next -s -o /dev/null -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data-binary "{\"name\":\"Weekly\",\"connections\":[\"$openai\"]}" "$base/v1/projects/use/flows/weekly" || true
done
req "$weekly" GET "$api/$openai/proxy/models" ''
check "a flow re-created at once is another" 401 "$status"
req "$token" DELETE "/v1/projects/use/tokens/$runtime_id" ''
check "revoke" 204 "$status"
req "$runtime" GET "$api/$openai/proxy/models" ''
check "revoked runtime token refused" 401 "$status"

# ---- no secret anywhere it should not be -------------------------------------------------
sleep 0.5
kill "$host_pid"; wait "$host_pid" 2>/dev/null || true; host_pid=""
for s in "${secrets[@]}" "${access_tokens[@]}" "$runtime"; do
  [[ ${#s} -lt 8 ]] && continue
  grep -qF -- "$s" "$work/responses" && { failures=$((failures+1)); echo "FAIL: a secret (${s:0:6}...) is in a response"; }
  grep -qF -- "$s" "$work/host.log" "$work/host.out" && { failures=$((failures+1)); echo "FAIL: a secret (${s:0:6}...) is in the host's log"; }
  grep -rqF -- "$s" "$work/data" && { failures=$((failures+1)); echo "FAIL: a secret (${s:0:6}...) is in the data folder"; }
done

echo "use e2e: $passed passed, $failures failed, $conformed responses follow schemas/openapi.json"
[[ $failures -eq 0 ]]
