#!/usr/bin/env bash
# Every provider's probe through the real host API against the fake providers: the four
# outcomes and refresh-token rotation; reconnect with bad credentials changing nothing;
# no secret in any response or in the host's log. The credential endings that pick the
# fake's answers are in tests/fakes/README.md.
set -euo pipefail
host_bin="$1"
fake_bin="$2"
work="$(mktemp -d)"
cleanup() {
  [[ -n "${host_pid:-}" ]] && kill "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null
  [[ -n "${fake_pid:-}" ]] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

wait_for_line() { # file -> base URL
  for _ in $(seq 100); do grep -q listening "$1" 2>/dev/null && break; sleep 0.1; done
  grep -o 'http://[0-9.:]*' "$1" || true
}

"$fake_bin" --listen 127.0.0.1:0 >"$work/fake.out" 2>"$work/fake.log" &
fake_pid=$!
fake="$(wait_for_line "$work/fake.out")"
[[ -n "$fake" ]] || { echo "FAIL: fake providers did not start"; cat "$work/fake.log"; exit 1; }

# Scheduled probes off, so every probe below is one this script asked for.
"$host_bin" serve --data "$work/data" --listen 127.0.0.1:0 --egress-allow 127.0.0.1/32 \
  --probe-interval 0 --probe-timeout 5000 >"$work/host.out" 2>"$work/host.log" &
host_pid=$!
base="$(wait_for_line "$work/host.out")"
[[ -n "$base" ]] || { echo "FAIL: host did not start"; cat "$work/host.log"; exit 1; }
admin="$(cat "$work/data/admin.token")"

failures=0; passed=0
check() { # name expected actual
  if [[ "$2" == "$3" ]]; then passed=$((passed+1)); else failures=$((failures+1)); echo "FAIL: $1: expected [$2] got [$3]"; fi
}
# req TOKEN METHOD PATH [BODY] -> $status, $body, $headers; every body is kept for the
# secret check at the end.
req() {
  local args=(-s -D "$work/headers" -o "$work/body" -w '%{http_code}' -X "$2" "$base$3"
              -H 'Content-Type: application/json' --data-binary "${4:-}")
  [[ -n "$1" ]] && args+=(-H "Authorization: Bearer $1")
  status="$(curl "${args[@]}")"; body="$(cat "$work/body")"; headers="$(cat "$work/headers")"
  { cat "$work/headers"; echo "$body"; } >>"$work/responses"
}
field() { jq -r "$1" <<<"$body"; }
fake_stats() { curl -s "$fake/_stats"; }

req "$admin" POST /v1/projects '{"id":"e2e","name":"Probe E2E"}'
check "create project" 201 "$status"
req "$admin" POST /v1/projects/e2e/tokens '{"role":"admin"}';  token="$(field .token)"
req "$admin" POST /v1/projects/e2e/tokens '{"role":"member"}'; member="$(field .token)"
api=/v1/projects/e2e/connections

# Every credential the script hands the host; none may come back or reach the log.
secrets=()
# create NAME PROVIDER CONFIG -> $cid. Stored without a probe (unverified), so each probe
# below is the first the connection gets (creating probes first: status_e2e_test.sh).
create() {
  req "$token" POST "$api?probe=false" "{\"name\":\"$1\",\"provider\":\"$2\",\"config\":$3}"
  check "create $1" 201 "$status"
  cid="$(field .id)"
}
probe() { req "$token" POST "$api/$1/probe" '{}'; }
# expect_probe NAME OUTCOME REASON FIELD STATUS : probes $cid and checks the verdict and
# the connection's status after it.
expect_probe() {
  probe "$cid"
  check "$1: http" 200 "$status"
  check "$1: outcome" "$2" "$(field .probe.outcome)"
  check "$1: reason" "$3" "$(field .probe.reason)"
  check "$1: field" "$4" "$(field .probe.field)"
  check "$1: status" "$5" "$(field .connection.status)"
  check "$1: last_probe" "$2" "$(field .connection.last_probe.outcome)"
}

# ---- OpenAI -------------------------------------------------------------------------
openai() { # KEY [EXTRA_JSON_MEMBERS] -> $config
  secrets+=("$1")
  config="{\"api_key\":\"$1\",\"base_url\":\"$fake/openai/v1\"${2:+,$2}}"
}
openai sk-e2e-openai-good; create openai-valid openai "$config"
expect_probe "openai valid" valid ok null active
openai sk-e2e-openai-revoked; create openai-revoked openai "$config"
expect_probe "openai revoked key" invalid_credentials invalid_api_key api_key inactive
check "openai inactive with the reason" invalid_api_key "$(field .connection.last_probe.reason)"
check "openai inactive reason shown" true "$([[ "$(field .connection.status_reason)" == *"API key"* ]] && echo true)"
openai sk-e2e-openai-org '"organization":"org-mismatch"'; create openai-org openai "$config"
expect_probe "openai wrong organization" invalid_credentials mismatched_organization organization inactive
openai sk-e2e-openai-noscope; create openai-noscope openai "$config"
expect_probe "openai restricted key" missing_permission forbidden api_key inactive
openai sk-e2e-openai-billing; create openai-billing openai "$config"
expect_probe "openai billing 429" missing_permission insufficient_quota null inactive
openai sk-e2e-openai-ratelimited; create openai-ratelimited openai "$config"
expect_probe "openai rate limit" transient rate_limit_exceeded null unverified
check "openai Retry-After honoured" 20 "$(field .probe.retry_after_seconds)"
openai sk-e2e-openai-down; create openai-down openai "$config"
expect_probe "openai 503" transient server_is_overloaded null unverified
openai sk-e2e-openai-slow15000; create openai-slow openai "$config"
probe "$cid"
check "openai timeout: outcome" transient "$(field .probe.outcome)"
check "openai timeout: status unchanged" unverified "$(field .connection.status)"

# ---- Trello -------------------------------------------------------------------------
trello_key=a1b2c3d4e5f60718293a4b5c6d7e8f90
trello_token=ATTA9f8e7d6c5b4a39281706f5e4d3c2b1a0998877665544332211ffeeddccbbaa00E1F2A3B4
trello() { # KEY TOKEN -> $config
  secrets+=("$1" "$2")
  config="{\"api_key\":\"$1\",\"token\":\"$2\",\"base_url\":\"$fake/trello/1\"}"
}
trello "$trello_key" "$trello_token"; create trello-valid trello "$config"
expect_probe "trello valid" valid ok null active
check "trello never-expiring token" null "$(field .connection.expires_at)"
trello "$trello_key" "${trello_token}expiring"; create trello-expiring trello "$config"
expect_probe "trello expiring token" valid ok null active
check "trello expiry shown" true "$([[ "$(field .connection.expires_at)" == 20* ]] && echo true)"
check "trello expiry warning" true "$(field .connection.expiry_warning)"
trello "$trello_key" "${trello_token}revoked"; create trello-revoked trello "$config"
expect_probe "trello revoked token" invalid_credentials invalid_token token inactive
trello "$trello_key" "${trello_token}expired"; create trello-expired trello "$config"
expect_probe "trello expired token" invalid_credentials expired_token token inactive
trello a1b2c3d4e5f60718293a4b5cdeadbeef "$trello_token"; create trello-badkey trello "$config"
expect_probe "trello unknown key" invalid_credentials invalid_key api_key inactive
trello "$trello_key" "${trello_token}noscope"; create trello-noscope trello "$config"
expect_probe "trello unauthorized permission" missing_permission unauthorized_permission_requested token inactive
trello "$trello_key" "${trello_token}ratelimited"; create trello-ratelimited trello "$config"
expect_probe "trello 429" transient api_token_limit_exceeded null unverified
check "trello waits out the 10 s window" 10 "$(field .probe.retry_after_seconds)"
trello "$trello_key" "${trello_token}down"; create trello-down trello "$config"
expect_probe "trello 503" transient server_error null unverified

# ---- Google Calendar ----------------------------------------------------------------
google_client=123456789012-abc123def456ghi789jkl012mno345pq.apps.googleusercontent.com
google_secret=GOCSPX-e2eFakeSecretAbCdEfGhIjKlMnOpQr
google() { # REFRESH_TOKEN [CLIENT_ID] [CLIENT_SECRET] -> $config
  local client="${2:-$google_client}" secret="${3:-$google_secret}"
  secrets+=("$1" "$secret")
  config="{\"client_id\":\"$client\",\"client_secret\":\"$secret\",\"refresh_token\":\"$1\",\"token_uri\":\"$fake/google/token\",\"api_base\":\"$fake/google/calendar/v3\"}"
}
google 1//0g-e2e-google-good; create google-valid google_calendar "$config"
expect_probe "google valid" valid ok null active
expect_probe "google valid, no rotation, old token kept" valid ok null active
google 1//0g-e2e-google-revoked; create google-revoked google_calendar "$config"
expect_probe "google revoked refresh token" invalid_credentials invalid_grant refresh_token inactive
google 1//0g-e2e-google-secret "$google_client" GOCSPX-e2e-wrong; create google-secret google_calendar "$config"
expect_probe "google wrong client secret" invalid_credentials invalid_client client_secret inactive
google 1//0g-e2e-google-client 123456789012-unknown.apps.googleusercontent.com; create google-client google_calendar "$config"
expect_probe "google unknown client" invalid_credentials invalid_client client_id inactive
google 1//0g-e2e-google-noscope; create google-noscope google_calendar "$config"
expect_probe "google 403 insufficient scopes" missing_permission insufficientPermissions scopes inactive
google 1//0g-e2e-google-narrowscope; create google-narrow google_calendar "$config"
expect_probe "google token without calendar scope" missing_permission insufficient_scope scopes inactive
google 1//0g-e2e-google-ratelimited; create google-ratelimited google_calendar "$config"
expect_probe "google 429" transient rateLimitExceeded null unverified
google 1//0g-e2e-google-tokendown; create google-tokendown google_calendar "$config"
expect_probe "google token endpoint down" transient internal_failure null unverified
google 1//0g-e2e-google-401once; create google-flaky google_calendar "$config"
expect_probe "google 401 once, then a fresh token works" valid ok null active

rotate_google=1//0g-e2e-google-rotate
google "$rotate_google"; create google-rotate google_calendar "$config"
expect_probe "google rotation, first probe" valid ok null active
# The fake has replaced and killed the configured token: only a stored new one works now.
check "google old refresh token is dead" 400 "$(curl -s -o /dev/null -w '%{http_code}' "$fake/google/token" \
  --data-urlencode grant_type=refresh_token --data-urlencode client_id="$google_client" \
  --data-urlencode client_secret="$google_secret" --data-urlencode refresh_token="$rotate_google")"
expect_probe "google rotation, second probe uses the stored new token" valid ok null active
expect_probe "google rotation, third probe" valid ok null active
# Per probe one refresh and one calendarList read, plus the direct check above.
check "google rotation: requests of the token family" 7 \
  "$(fake_stats | jq --arg t "$rotate_google" '.providers.google.by_credential[$t]')"
check "google rotated token stays sealed" true "$(field .connection.config.refresh_token.set)"

# ---- Microsoft Outlook --------------------------------------------------------------
ms_tenant=72f988bf-86f1-41af-91ab-2d7cd011db47
ms_client=6731de76-14a6-49ae-97bc-6eba6914391e
ms_secret='Xy8Q~e2eFakeSecretValue0123456789'
outlook() { # REFRESH_TOKEN [TENANT] [CLIENT_SECRET] -> $config
  local tenant="${2:-$ms_tenant}" secret="${3:-$ms_secret}"
  secrets+=("$1" "$secret")
  config="{\"tenant\":\"$tenant\",\"client_id\":\"$ms_client\",\"client_secret\":\"$secret\",\"refresh_token\":\"$1\",\"authority_host\":\"$fake/microsoft\",\"graph_base\":\"$fake/graph/v1.0\"}"
}
outlook 1.AXkA-e2e-outlook-good; create outlook-valid outlook "$config"
expect_probe "outlook valid" valid ok null active
check "outlook refresh token lifetime shown" true "$([[ "$(field .connection.expires_at)" == 20* ]] && echo true)"
outlook 1.AXkA-e2e-outlook-expired; create outlook-expired outlook "$config"
expect_probe "outlook AADSTS700082" invalid_credentials invalid_grant refresh_token inactive
outlook 1.AXkA-e2e-outlook-grantexpired; create outlook-grantexpired outlook "$config"
expect_probe "outlook AADSTS70008" invalid_credentials invalid_grant refresh_token inactive
outlook 1.AXkA-e2e-outlook-revoked; create outlook-revoked outlook "$config"
expect_probe "outlook AADSTS50173" invalid_credentials invalid_grant refresh_token inactive
outlook 1.AXkA-e2e-outlook-tenant unknown.onmicrosoft.com; create outlook-tenant outlook "$config"
expect_probe "outlook unknown tenant" invalid_credentials invalid_request tenant inactive
outlook 1.AXkA-e2e-outlook-secret "$ms_tenant" 'Xy8Q~e2e-wrong'; create outlook-secret outlook "$config"
expect_probe "outlook AADSTS7000215" invalid_credentials invalid_client client_secret inactive
outlook 1.AXkA-e2e-outlook-noscope; create outlook-noscope outlook "$config"
expect_probe "outlook Graph 403" missing_permission Authorization_RequestDenied scopes inactive
outlook 1.AXkA-e2e-outlook-narrowscope; create outlook-narrow outlook "$config"
expect_probe "outlook no mail or calendar scope" missing_permission insufficient_scope scopes inactive
outlook 1.AXkA-e2e-outlook-ratelimited; create outlook-ratelimited outlook "$config"
expect_probe "outlook Graph 429" transient TooManyRequests null unverified
check "outlook Retry-After honoured" 17 "$(field .probe.retry_after_seconds)"
outlook 1.AXkA-e2e-outlook-down; create outlook-down outlook "$config"
expect_probe "outlook Graph 503" transient serviceNotAvailable null unverified
outlook 1.AXkA-e2e-outlook-tokendown; create outlook-tokendown outlook "$config"
expect_probe "outlook token endpoint 503" transient temporarily_unavailable null unverified
check "outlook token Retry-After honoured" 5 "$(field .probe.retry_after_seconds)"

rotate_ms=1.AXkA-e2e-outlook-rotate
outlook "$rotate_ms"; create outlook-rotate outlook "$config"
expect_probe "outlook rotation, first probe" valid ok null active
check "outlook single-use token is spent" 400 "$(curl -s -o /dev/null -w '%{http_code}' "$fake/microsoft/$ms_tenant/oauth2/v2.0/token" \
  --data-urlencode grant_type=refresh_token --data-urlencode client_id="$ms_client" \
  --data-urlencode client_secret="$ms_secret" --data-urlencode refresh_token="$rotate_ms")"
expect_probe "outlook rotation, second probe uses the stored new token" valid ok null active
expect_probe "outlook rotation, third probe" valid ok null active
check "outlook rotation: requests of the token family" 7 \
  "$(fake_stats | jq --arg t "$rotate_ms" '.providers.microsoft.by_credential[$t]')"

# ---- Reconnect ----------------------------------------------------------------------
reconnect() { req "$token" POST "$api/$1/reconnect" "{\"config\":$2}"; }
secrets+=(sk-e2e-reconnect-old sk-e2e-reconnect-revoked sk-e2e-reconnect-noscope
          sk-e2e-reconnect-ratelimited sk-e2e-reconnect-new)
create reconnect-openai openai "{\"api_key\":\"sk-e2e-reconnect-old\",\"base_url\":\"$fake/openai/v1\"}"
keep="$cid"
expect_probe "reconnect: starts valid" valid ok null active
old_calls() { fake_stats | jq '.providers.openai.by_credential["sk-e2e-reconnect-old"]'; }
calls_before="$(old_calls)"
updated_before="$(field .connection.updated_at)"

reconnect "$keep" '{"api_key":"sk-e2e-reconnect-revoked"}'
check "reconnect revoked key refused" 422 "$status"
check "reconnect revoked: code" credentials_rejected "$(field .code)"
check "reconnect revoked: error field" "config.api_key:invalid_api_key" "$(field '.errors[0] | "\(.field):\(.code)"')"
check "reconnect revoked: probe verdict" invalid_credentials "$(field .probe.outcome)"
reconnect "$keep" '{"api_key":"sk-e2e-reconnect-noscope"}'
check "reconnect restricted key refused" 422 "$status"
check "reconnect restricted: probe verdict" missing_permission "$(field .probe.outcome)"
reconnect "$keep" '{"api_key":"sk-e2e-reconnect-ratelimited"}'
check "reconnect while rate limited" 503 "$status"
check "reconnect rate limited: code" probe_unavailable "$(field .code)"
check "reconnect rate limited: Retry-After" 20 "$(grep -i '^retry-after:' <<<"$headers" | tr -dc 0-9)"
reconnect "$keep" '{"api_key":{"set":true},"organization":"not an org"}'
check "reconnect with a schema-invalid config" 422 "$status"
check "reconnect invalid config: code" invalid_config "$(field .code)"
req "$member" POST "$api/$keep/reconnect" '{"config":{"api_key":"sk-e2e-reconnect-new"}}'
check "member may not reconnect" 403 "$status"

req "$token" GET "$api/$keep"
check "refused reconnects changed nothing: status" active "$(field .status)"
check "refused reconnects changed nothing: updated_at" "$updated_before" "$(field .updated_at)"
check "refused reconnects changed nothing: last probe" valid "$(field .last_probe.outcome)"
probe "$keep"
check "old credentials still probe valid" valid "$(field .probe.outcome)"
check "the probe used the old key" $((calls_before + 1)) "$(old_calls)"

reconnect "$keep" '{"api_key":"sk-e2e-reconnect-new"}'
check "reconnect with a good key" 200 "$status"
check "reconnect good: probe" valid "$(field .probe.outcome)"
check "reconnect good: active" active "$(field .connection.status)"
probe "$keep"
check "the new key is the one probed" 1 \
  "$(fake_stats | jq '.providers.openai.by_credential["sk-e2e-reconnect-new"] - 1')"

# An inactive connection comes back with new credentials; a refused attempt first leaves
# it inactive with its old reason.
req "$token" GET "$api?q=google-revoked"; revoked_google="$(field '.items[0].id')"
secrets+=(1//0g-e2e-reconnect-revoked 1//0g-e2e-reconnect-good)
reconnect "$revoked_google" '{"refresh_token":"1//0g-e2e-reconnect-revoked"}'
check "google reconnect with a dead token refused" 422 "$status"
check "google reconnect: error field" config.refresh_token "$(field '.errors[0].field')"
req "$token" GET "$api/$revoked_google"
check "google stays inactive" inactive "$(field .status)"
reconnect "$revoked_google" '{"refresh_token":"1//0g-e2e-reconnect-good"}'
check "google reconnect with a good token" 200 "$status"
check "google reconnected connection is active" active "$(field .connection.status)"

req "$token" GET "$api?q=outlook-valid"; good_outlook="$(field '.items[0].id')"
reconnect "$good_outlook" '{"tenant":"unknown.onmicrosoft.com"}'
check "outlook reconnect to an unknown tenant refused" 422 "$status"
check "outlook reconnect: error names the tenant" config.tenant "$(field '.errors[0].field')"
probe "$good_outlook"
check "outlook old tenant still probes valid" valid "$(field .probe.outcome)"

# ---- History, roles -----------------------------------------------------------------
req "$token" GET "$api/$revoked_google/history"
check "history: newest is the reconnect" active "$(field '.items[0].status')"
check "history: before it, the revoked token" invalid_credentials "$(field '.items[1].outcome')"
req "$member" POST "$api/$keep/probe" '{}'
check "member may not probe" 403 "$status"

# ---- Secrets ------------------------------------------------------------------------
leaks=0
for secret in "${secrets[@]}"; do
  for file in "$work/responses" "$work/host.log" "$work/host.out"; do
    if grep -qF -- "$secret" "$file"; then
      leaks=$((leaks+1)); echo "FAIL: secret ${secret:0:12}... appears in $(basename "$file")"
    fi
  done
done
# Tokens the fake issued (access tokens, rotated refresh tokens) are secrets as well.
for file in "$work/responses" "$work/host.log" "$work/host.out"; do
  if grep -qE 'ya29\.a0Af[0-9a-f]{8}|1//0g[0-9a-f]{40}|1\.AXkAfake\.|\.fake\.[0-9a-f]{8}' "$file"; then
    leaks=$((leaks+1)); echo "FAIL: an issued token appears in $(basename "$file")"
  fi
done
check "no secret in responses or the host log (${#secrets[@]} secrets)" 0 "$leaks"
# Stored sealed: no credential in the data folder's files (RocksDB's write-ahead log
# holds every write uncompressed).
on_disk=0
for secret in "${secrets[@]}"; do
  if grep -rqF -- "$secret" "$work/data"; then on_disk=$((on_disk+1)); echo "FAIL: secret ${secret:0:12}... unsealed on disk"; fi
done
check "no secret unsealed on disk" 0 "$on_disk"
# ...while a plain config value is found there, so the search above can see stored text.
check "the search finds unsealed values" true "$(grep -rqF -- "$fake/trello/1" "$work/data" && echo true)"
check "the host logged its probes" true "$([[ -s "$work/host.log" ]] && echo true)"

echo "probe e2e: $passed passed, $failures failed"
[[ $failures -eq 0 ]]
