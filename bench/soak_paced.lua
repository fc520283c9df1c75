-- wrk script for the soak: the CRUD mix of crud_mix.lua (same arguments), paced to a steady
-- rate. Extra argument: rate=R, requests per second for each wrk thread. wrk calls delay()
-- before each request; every request gets the next slot of a fixed schedule (1/R apart),
-- so the rate stays at R whatever the latency, as long as the connections keep up.

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "crud_mix.lua")

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *tp);
]]
local now_buffer = ffi.new("bench_timespec")

local function now_ms()
   ffi.C.clock_gettime(1, now_buffer) -- CLOCK_MONOTONIC
   return tonumber(now_buffer.tv_sec) * 1000 + tonumber(now_buffer.tv_nsec) / 1e6
end

local mix_init = init
local interval_ms = 10
local next_slot = nil

function init(args)
   mix_init(args)
   for _, arg in ipairs(args) do
      local rate = arg:match("^rate=([%d%.]+)$")
      if rate then interval_ms = 1000 / tonumber(rate) end
   end
end

function delay()
   local now = now_ms()
   if next_slot == nil or next_slot < now - 1000 then
      next_slot = now -- start, or fell more than a second behind: don't burst to catch up
   end
   local wait = next_slot - now
   next_slot = next_slot + interval_ms
   if wait < 0 then return 0 end
   return math.floor(wait + 0.5)
end
