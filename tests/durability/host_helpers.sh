# Shared by the storage tests: start and stop the real host on an ephemeral port, and
# talk to it. Source after setting bin; then use_scratch_data, or set work and data
# yourself; host_args (an array) adds options to serve. Sets pid, base, admin, token.
fail() { echo "FAIL: $*"; exit 1; }

# A fresh work folder with data in it, and a host killed and the folder removed at exit.
use_scratch_data() {
  work="$(mktemp -d)"
  data="$work/data"
  pid=""
  trap 'if [[ -n "$pid" ]]; then kill -KILL "$pid" 2>/dev/null || true; fi; wait 2>/dev/null || true; rm -rf "$work"' EXIT
}

start_host() {
  : >"$work/out"
  "$bin" serve --data "$data" --listen 127.0.0.1:0 --egress-allow 127.0.0.1/32 ${host_args[@]+"${host_args[@]}"} \
    >"$work/out" 2>>"$work/log" &
  pid=$!
  for _ in $(seq 400); do
    grep -q listening "$work/out" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { tail -20 "$work/log"; fail "host exited while starting"; }
    sleep 0.05
  done
  base="$(grep -o 'http://[0-9.:]*' "$work/out")" || fail "host did not start"
}

stop_host() {
  kill -TERM "$pid"
  local rc=0
  wait "$pid" || rc=$?
  pid=""
  [[ "$rc" == 0 ]] || fail "host exited $rc on SIGTERM"
}

kill_host() {
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
}

# Creates project "st" and an admin token for it.
make_project() {
  admin="$(cat "$data/admin.token")"
  curl -sf -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    "$base/v1/projects" -d '{"id":"st","name":"Storage"}' >/dev/null || fail "create project"
  token="$(curl -sf -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    "$base/v1/projects/st/tokens" -d '{"role":"admin"}' | jq -r .token)"
}

# create_connections PREFIX COUNT: COUNT creates over one connection; appends each
# acknowledged (201) id to $work/acked.
create_connections() {
  local prefix="$1" count="$2" i
  : >"$work/creates"
  for i in $(seq "$count"); do
    cat >>"$work/creates" <<CONF
url = "$base/v1/projects/st/connections?probe=false"
request = "POST"
header = "Authorization: Bearer $token"
header = "Content-Type: application/json"
data-binary = "{\\"name\\":\\"$prefix-$i\\",\\"provider\\":\\"openai\\",\\"config\\":{\\"api_key\\":\\"sk-storage-test-$i\\",\\"base_url\\":\\"http://127.0.0.1:9/v1\\"}}"
write-out = "%{stderr}%{http_code}\\n"
next
CONF
  done
  curl -s -K "$work/creates" >"$work/created.json" 2>"$work/created.codes" || true
  jq -r 'select(.id != null) | .id' "$work/created.json" >>"$work/acked"
}

# Every connection of project st, following cursors; one id a line into $work/listed.
# Sets listed_partial to true when any page said partial.
list_all() {
  local cursor="" page code
  : >"$work/listed"
  listed_partial=false
  while :; do
    code="$(curl -s -G -o "$work/page" -w '%{http_code}' -H "Authorization: Bearer $token" \
      "$base/v1/projects/st/connections" --data-urlencode limit=200 ${cursor:+--data-urlencode "cursor=$cursor"})"
    [[ "$code" == 200 ]] || fail "listing answered $code: $(head -c 300 "$work/page")"
    jq -r '.items[].id' "$work/page" >>"$work/listed"
    [[ "$(jq -r '.partial // false' "$work/page")" == true ]] && listed_partial=true
    cursor="$(jq -r '.next_cursor // empty' "$work/page")"
    [[ -n "$cursor" ]] || break
  done
}

# xor_bytes FILE OFFSET COUNT: damages COUNT bytes in place.
xor_bytes() {
  python3 - "$1" "$2" "$3" <<'PY'
import sys
path, offset, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, 'r+b') as f:
    f.seek(offset)
    data = bytearray(f.read(count))
    f.seek(offset)
    f.write(bytes(b ^ 0x5A for b in data))
PY
}
