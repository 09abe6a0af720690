-- wrk script: POST a connection with a unique name per request and count the 201s.
--   wrk ... -s create_connections.lua URL -- PROJECT RUN_TAG
-- Half the names carry "blue", so a q filter has something to find.
local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  project, tag = args[1], args[2]
  -- ?probe=false: this measures the store's durable create, not a probe (docs/probes.md).
  path = "/v1/projects/" .. project .. "/connections?probe=false"
  n, created, failed = 0, 0, 0
  -- wrk.format uses either its argument or wrk.headers (the -H ones), not both.
  headers = {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  local colour = (n % 2 == 0) and "blue" or "green"
  local body = string.format(
    '{"name":"%s-t%d-%s-%d","provider":"openai","config":{"api_key":"sk-proj-bench%d%s",' ..
    '"organization":"org-t%dn%d","base_url":"http://127.0.0.1:9/v1"}}',
    tag, index, colour, n, n, tag, index, n)
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else failed = failed + 1 end
end

function done(summary, latency, requests)
  local c, f = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    f = f + t:get("failed")
  end
  io.write(string.format("created %d failed %d seconds %.3f\n", c, f, summary.duration / 1e6))
end
