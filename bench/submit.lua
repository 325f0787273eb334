-- POST a partner change for a different bench agreement every time.
-- Each wrk thread takes its own range so no two requests collide.
-- env: KONTOR_TOKEN, BENCH_AGREEMENTS, BENCH_OFFSET (first agreement index,
-- so several wrk processes can share the bench agreements without colliding)
local token = os.getenv("KONTOR_TOKEN")
local count = tonumber(os.getenv("BENCH_AGREEMENTS") or "1000")
local offset = tonumber(os.getenv("BENCH_OFFSET") or "0")
local threads = {}
local counter = 1

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local i = 0
request = function()
  local per = math.floor(count / 2)
  local n = string.format("1108%08d", offset + (tid - 1) * per + (i % per))
  i = i + 1
  return wrk.format("POST", "/api/v1/partner-changes",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" },
    '{"agreement":"' .. n .. '","new_partner":"5100000002"}')
end

local statuses = {}
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  -- wrk gives each thread its own Lua state; the counts printed here are
  -- those of the thread that runs done(), so the script only reports non-2xx.
  io.write(string.format("non-2xx/3xx responses: %d\n", summary.errors.status))
end
