-- GET eligibility, spread over the bench agreements (1108xxxxxxxx).
-- env: KONTOR_TOKEN, BENCH_AGREEMENTS, BENCH_OFFSET (first agreement index)
local token = os.getenv("KONTOR_TOKEN")
local count = tonumber(os.getenv("BENCH_AGREEMENTS") or "1000")
local offset = tonumber(os.getenv("BENCH_OFFSET") or "0")
local i = 0
request = function()
  i = i + 1
  local n = string.format("1108%08d", offset + (i * 7919) % count)
  return wrk.format("GET", "/api/v1/agreements/" .. n .. "/partner-change/eligibility",
    { ["Authorization"] = "Bearer " .. token })
end
