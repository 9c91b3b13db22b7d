-- wrk script for scripts/bench-switch.sh: counts non-2xx responses and records, per millisecond of wall-clock
-- time (CLOCK_REALTIME, the clock the driver stamps its switches with), how many responses each stand-in app
-- server gave (the body is "build-A\n" or "build-B\n"). At the end it writes a summary line and the
-- per-millisecond counts to the file named by $RSW_WRK_OUT:
--   summary requests=N duration_us=N connect=N read=N write=N timeout=N status=N non2xx=N p50_us=N p99_us=N
--   A <epoch_ms> <count>      (one line per millisecond in which build-A answered; likewise B, and X for others)
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } rsw_timespec;
int clock_gettime(int clk_id, rsw_timespec *tp);
]]
local ts = ffi.new("rsw_timespec")
local CLOCK_REALTIME = 0

local function now_ms()
  ffi.C.clock_gettime(CLOCK_REALTIME, ts)
  return tonumber(ts.tv_sec) * 1000 + math.floor(tonumber(ts.tv_nsec) / 1000000)
end

-- Per-thread state (each wrk thread has its own Lua state).
non2xx = 0
seen_a, seen_b, seen_x = {}, {}, {}

function response(status, headers, body)
  local ms = now_ms()
  local t
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    t = seen_x
  else
    local c = body and body:byte(7)
    if c == 65 then t = seen_a elseif c == 66 then t = seen_b else t = seen_x end
  end
  t[ms] = (t[ms] or 0) + 1
end

-- Main state: collect the threads, merge at the end.
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local path = os.getenv("RSW_WRK_OUT")
  if not path then return end
  local f = assert(io.open(path, "w"))
  local n2 = 0
  local merged = { A = {}, B = {}, X = {} }
  for _, t in ipairs(threads) do
    n2 = n2 + t:get("non2xx")
    for name, key in pairs({ A = "seen_a", B = "seen_b", X = "seen_x" }) do
      local m = merged[name]
      for ms, c in pairs(t:get(key)) do m[ms] = (m[ms] or 0) + c end
    end
  end
  local e = summary.errors
  f:write(string.format(
    "summary requests=%d duration_us=%d connect=%d read=%d write=%d timeout=%d status=%d non2xx=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status, n2,
    latency:percentile(50), latency:percentile(99)))
  for name, m in pairs(merged) do
    for ms, c in pairs(m) do f:write(string.format("%s %d %d\n", name, ms, c)) end
  end
  f:close()
end
