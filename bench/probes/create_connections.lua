-- wrk script: POST QUOTA_PER_THREAD OpenAI connections per thread, all pointing at the
-- fake providers with valid keys, then stop.
--   wrk ... -s create_connections.lua URL -- PROJECT BASE_URL QUOTA_PER_THREAD TAG
-- A thread stops once it has sent its quota, so answers still in flight then go uncounted
-- and a create wrk timed out may still have happened: the caller counts connections on
-- the host and tops up. The one request wrk wants after the quota is a health check,
-- which creates nothing.
local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  project, base_url, quota, tag = args[1], args[2], tonumber(args[3]), args[4]
  -- ?probe=false: seeding stays fast; the bulk job being measured probes them all.
  path = "/v1/projects/" .. project .. "/connections?probe=false"
  n, created, failed = 0, 0, 0
  -- wrk.format uses either its argument or wrk.headers (the -H ones), not both.
  headers = {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["Content-Type"] = "application/json"
end

function request()
  if n >= quota then
    wrk.thread:stop()
    return wrk.format("GET", "/healthz")
  end
  n = n + 1
  -- Keys end in digits: no word of the fake's credential convention, so every one is valid.
  local body = string.format(
    '{"name":"probe-%s-t%d-%d","provider":"openai",' ..
    '"config":{"api_key":"sk-proj-bench%st%dn%d","base_url":"%s"}}',
    tag, index, n, tag, index, n, base_url)
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1
  elseif status ~= 200 then failed = failed + 1 end
end

function done(summary, latency, requests)
  local c, f = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    f = f + t:get("failed")
  end
  io.write(string.format("created %d failed %d seconds %.3f\n", c, f, summary.duration / 1e6))
end
