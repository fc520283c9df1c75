-- wrk script: a weighted CRUD mix against /api/v1/todos (the service or bench/reference_app.py).
--
-- Arguments (after `--` on wrk's command line), each key=value:
--   ids=FILE        "user_id todo_id" lines: the seeded todos that get and patch target
--   del=FILE        "user_id todo_id" lines: seeded todos a delete may remove (each thread
--                   takes every n-th line); used when no todo created in this run is left
--   list_user=UUID  the user whose list is fetched
--   list_query=STR  the list's query string, without "?" (default "limit=50"; "-" for none)
--   mix=SPEC        weights, e.g. get:50,list:20,patch:15,create:10,delete:5 (also tags and
--                   health: GET /api/v1/tags of list_user, GET /health; service only)
--   threads=N       wrk's -t (for splitting the delete file between threads)
--   tokens=FILE     "user_id token" lines: send each user's bearer token instead of X-User-ID
--   gzip=1          every request sends Accept-Encoding: gzip (make bench BENCH_ARGS=--gzip)
--
-- Every request names its operation in X-Request-ID ("get-17"); both apps echo it, so
-- response() can count statuses per operation even though wrk doesn't say which request a
-- response answers. A delete prefers a todo this thread created during the run (so the
-- seeded get/patch set stays valid); with none left it takes a seeded deletable one, and with
-- none of those either it creates instead (counted as a create).
--
-- done() prints one line, "BENCH_JSON {...}", that bench/wrk_result.py parses: wrk's summary,
-- its latency percentiles (microseconds) and the per-operation counters of every thread.

local threads = {}
local thread_count = 0

function setup(thread)
   thread_count = thread_count + 1
   thread:set("tid", thread_count - 1)
   table.insert(threads, thread)
end

-- ---------------------------------------------------------------- per-thread state
local cfg = {}
local pool = {}      -- {user, id} for get and patch
local users = {}     -- users that creates go to
local deletable = {} -- {user, id}, this thread's share of the seeded deletable todos
local tokens = {}    -- user -> "Bearer <token>" (bearer mode)
local created = {}   -- {user, id} created by this thread during the run
local ops = {}       -- cumulative weights: {name, upto}
local total_weight = 0
-- flat: counts["get.sent"], counts["get.2xx"], counts["get.404"], ...; a global, so that
-- done() can read it from each thread with thread:get("counts")
counts = {}
local seq = 0
local list_path = "/api/v1/todos?limit=50"

local OPS = { "get", "list", "patch", "create", "delete", "tags", "health" }

local function bump(key)
   counts[key] = (counts[key] or 0) + 1
end

local function read_pairs(path, into, tid, nthreads)
   local file = assert(io.open(path, "r"), "cannot open " .. path)
   local n = 0
   for line in file:lines() do
      local user, id = line:match("^(%S+)%s+(%S+)")
      if user then
         if nthreads == nil or n % nthreads == tid then
            into[#into + 1] = { user, id }
         end
         n = n + 1
      end
   end
   file:close()
end

function init(args)
   for _, arg in ipairs(args) do
      local key, value = arg:match("^([%w_]+)=(.*)$")
      if key then cfg[key] = value end
   end
   local my_tid = tid or 0
   math.randomseed(os.time() * 1000 + my_tid * 7919)
   for _ = 1, 10 do math.random() end

   if cfg.ids and cfg.ids ~= "" then
      read_pairs(cfg.ids, pool)
      local seen = {}
      for _, pair in ipairs(pool) do
         if not seen[pair[1]] then
            seen[pair[1]] = true
            users[#users + 1] = pair[1]
         end
      end
   end
   if cfg.tokens and cfg.tokens ~= "" then
      local file = assert(io.open(cfg.tokens, "r"), "cannot open " .. cfg.tokens)
      for line in file:lines() do
         local user, token = line:match("^(%S+)%s+(%S+)")
         if user then tokens[user] = "Bearer " .. token end
      end
      file:close()
   end
   if cfg.del and cfg.del ~= "" then
      read_pairs(cfg.del, deletable, my_tid, tonumber(cfg.threads or "1"))
   end
   local query = cfg.list_query or "limit=50"
   if query == "-" or query == "" then
      list_path = "/api/v1/todos"
   else
      list_path = "/api/v1/todos?" .. query
   end

   for part in (cfg.mix or "get:50,list:20,patch:15,create:10,delete:5"):gmatch("[^,]+") do
      local name, weight = part:match("^(%a+):(%d+)$")
      assert(name, "bad mix entry: " .. part)
      weight = tonumber(weight)
      if weight > 0 then
         total_weight = total_weight + weight
         ops[#ops + 1] = { name, total_weight }
      end
   end
   assert(total_weight > 0, "empty mix")
   for _, name in ipairs(OPS) do counts[name .. ".sent"] = 0 end
end

local function pick_op()
   local r = math.random() * total_weight
   for _, op in ipairs(ops) do
      if r < op[2] then return op[1] end
   end
   return ops[#ops][1]
end

local function headers_for(op, user, json)
   seq = seq + 1
   local h = { ["X-Request-ID"] = op .. "-" .. seq }
   if tokens[user] then h["Authorization"] = tokens[user] else h["X-User-ID"] = user end
   if json then h["Content-Type"] = "application/json" end
   if cfg.gzip == "1" then h["Accept-Encoding"] = "gzip" end
   return h
end

local function create_request()
   local user = users[math.random(#users)]
   bump("create.sent")
   local body = '{"title":"bench todo ' .. seq .. '","description":"made by wrk"}'
   return wrk.format("POST", "/api/v1/todos", headers_for("create", user, true), body)
end

function request()
   local op = pick_op()
   if op == "get" then
      local t = pool[math.random(#pool)]
      bump("get.sent")
      return wrk.format("GET", "/api/v1/todos/" .. t[2], headers_for("get", t[1]), nil)
   elseif op == "list" then
      bump("list.sent")
      return wrk.format("GET", list_path, headers_for("list", cfg.list_user), nil)
   elseif op == "patch" then
      local t = pool[math.random(#pool)]
      bump("patch.sent")
      local body = (math.random() < 0.5) and '{"is_completed":true}' or '{"is_completed":false}'
      return wrk.format("PATCH", "/api/v1/todos/" .. t[2], headers_for("patch", t[1], true), body)
   elseif op == "tags" or op == "health" then
      -- GET /api/v1/tags of the list user, or GET /health: for bench --idioms only
      bump(op .. ".sent")
      local path = (op == "tags") and "/api/v1/tags" or "/health"
      return wrk.format("GET", path, headers_for(op, cfg.list_user), nil)
   elseif op == "delete" then
      local t = table.remove(created)
      if t == nil then
         t = table.remove(deletable)
         if t then bump("delete.seeded") end
      end
      if t == nil then
         bump("delete.fallback_create")
         return create_request()
      end
      bump("delete.sent")
      return wrk.format("DELETE", "/api/v1/todos/" .. t[2], headers_for("delete", t[1]), nil)
   end
   return create_request()
end

function response(status, headers, body)
   local rid = headers["x-request-id"] or headers["X-Request-ID"] or headers["X-Request-Id"]
   local op = rid and rid:match("^(%a+)%-") or "unknown"
   if status >= 200 and status < 300 then
      bump(op .. ".2xx")
      if op == "create" and status == 201 and body then
         local id = body:match('"id":"([%x%-]+)"')
         local user = body:match('"user_id":"([%x%-]+)"')
         if id and user then created[#created + 1] = { user, id } end
      end
   else
      bump(op .. "." .. status)
      bump("non2xx")
   end
end

-- ---------------------------------------------------------------- report (main state)
local function json_value(v)
   local kind = type(v)
   if kind == "number" then
      if v ~= v or v == math.huge or v == -math.huge then return "null" end
      return string.format("%.17g", v)
   elseif kind == "string" then
      return '"' .. v:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
   elseif kind == "boolean" then
      return tostring(v)
   elseif kind == "table" then
      local parts = {}
      if #v > 0 then
         for _, item in ipairs(v) do parts[#parts + 1] = json_value(item) end
         return "[" .. table.concat(parts, ",") .. "]"
      end
      for key, item in pairs(v) do
         parts[#parts + 1] = json_value(tostring(key)) .. ":" .. json_value(item)
      end
      return "{" .. table.concat(parts, ",") .. "}"
   end
   return "null"
end

function done(summary, latency, requests)
   local merged = {}
   for _, thread in ipairs(threads) do
      local c = thread:get("counts") or {}
      for key, value in pairs(c) do merged[key] = (merged[key] or 0) + value end
   end
   local percentiles = {}
   for _, p in ipairs({ 50, 75, 90, 99, 99.9 }) do
      percentiles[#percentiles + 1] = { p, latency:percentile(p) }
   end
   local out = {
      duration_us = summary.duration,
      requests = summary.requests,
      bytes = summary.bytes,
      errors = {
         connect = summary.errors.connect,
         read = summary.errors.read,
         write = summary.errors.write,
         status = summary.errors.status,
         timeout = summary.errors.timeout,
      },
      latency = {
         min = latency.min,
         max = latency.max,
         mean = latency.mean,
         stdev = latency.stdev,
         percentiles = percentiles,
      },
      counts = merged,
   }
   io.write("BENCH_JSON " .. json_value(out) .. "\n")
end
