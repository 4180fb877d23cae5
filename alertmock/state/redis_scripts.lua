-- The Redis backend's atomic operations (alertmock/state/redis_backend.py loads this file, one function
-- per script: the text between "--@ name" markers, with the helpers prepended). Each script runs
-- atomically on the server, so read-modify-write, caps and eviction hold across processes.
--
-- Keys of session S (prefix P = "am:s:" .. S .. ":"):
--   P.."r:"..kind   hash id -> record JSON          P.."o:"..kind  zset id -> insertion number
--   P.."f:"..kind   set of fixture ids              P.."ix:"..kind set of indexed fields
--   P.."i:"..kind.."\0"..field.."\0"..value  zset of the ids holding value, scored as in "o"
--   P.."kinds"      zset kind -> first insertion    P.."seq"       insertion counter
--   P.."faults"     fault rules JSON                P.."keys"      every key above (to drop S)
--   P.."epoch"      a token new at each creation, reset or load of S
--   P.."kv"         hash kind -> version, raised by every write of the kind
--   P.."lock"       the write lock (a holder's token, with an expiry)
-- A process caches records it read under (epoch, kind, version): the scripts that open a session
-- or take its lock return the epoch and every kind's version, so a cached record is used only
-- while its kind is provably unchanged, whichever process wrote since.
-- Shared: "am:sessions" zset name -> last use (ms); "am:fx:kinds" list and "am:fx:"..kind list
-- (id, JSON, id, JSON...) of the fixtures; "am:clock:offset"; "am:journal" list of entries and
-- "am:journal:ids" of their ids, "am:journal:id"; "am:seeded" counts the sessions created from
-- the fixtures.

--@ helpers
local function field_value(record, path)
  local value = record
  for part in string.gmatch(path, "[^.]+") do
    if type(value) ~= "table" then return nil end
    value = value[part]
  end
  if type(value) == "string" then return value end
  return nil
end

local function index_key(P, kind, field, value)
  return P .. "i:" .. kind .. "\0" .. field .. "\0" .. value
end

local function versions(P, known)
  -- {epoch, writes, "kind version kind version ..."}: what a process's cache is checked against.
  -- The last part only when the session's write count is not `known` to the caller already
  -- (the same epoch and count mean the same versions): a read-mostly load gets a short reply.
  local epoch, writes = redis.call("GET", P .. "epoch") or "", redis.call("HGET", P .. "kv", "") or "0"
  if epoch .. "/" .. writes == known then return {epoch, writes, false} end
  local parts = redis.call("HGETALL", P .. "kv")
  return {epoch, writes, table.concat(parts, " ")}
end

local function wrote(P, kind)
  -- A kind's version, and the session's write count (the field "", no kind's name). Returns the
  -- kind's new version (a script's answer needs it: no second read).
  redis.call("HINCRBY", P .. "kv", "", 1)
  return redis.call("HINCRBY", P .. "kv", kind, 1)
end

local function version(P, kind)
  return tonumber(redis.call("HGET", P .. "kv", kind) or "0")
end

local function reindex(P, kind, id, old, new, score)
  local fields = redis.call("SMEMBERS", P .. "ix:" .. kind)
  if #fields == 0 then return end
  local before = old and cjson.decode(old) or nil
  local after = new and cjson.decode(new) or nil
  for _, field in ipairs(fields) do
    local a = before and field_value(before, field) or nil
    local b = after and field_value(after, field) or nil
    if a ~= b then
      if a then redis.call("ZREM", index_key(P, kind, field, a), id) end
      if b then
        local key = index_key(P, kind, field, b)
        redis.call("ZADD", key, score, id)
        redis.call("SADD", P .. "keys", key)
      end
    end
  end
end

local function delete_one(P, kind, id)
  local h = P .. "r:" .. kind
  local old = redis.call("HGET", h, id)
  if not old then return nil end
  reindex(P, kind, id, old, nil, 0)
  local after = wrote(P, kind)
  redis.call("HDEL", h, id)
  redis.call("ZREM", P .. "o:" .. kind, id)
  return old, after
end

local function evict(P, kind, excess)
  -- The oldest records go first; fixtures (what the documents' examples rely on) are skipped.
  -- Among the oldest excess + (number of fixtures) are `excess` others, if the kind has them:
  -- one read of just those (a create at the cap evicts one record, and each command a script
  -- calls costs Redis a few microseconds: reading 100 ids and asking about each cost more than
  -- the rest of its script). Returns the kind's version after the last eviction, if any.
  local fixed = {}
  local fixtures = redis.call("SMEMBERS", P .. "f:" .. kind)
  for _, id in ipairs(fixtures) do fixed[id] = true end
  local victims = {}
  for _, id in ipairs(redis.call("ZRANGE", P .. "o:" .. kind, 0, excess + #fixtures - 1)) do
    if not fixed[id] then
      victims[#victims + 1] = id
      if #victims == excess then break end
    end
  end
  local last
  for _, id in ipairs(victims) do
    local _, after = delete_one(P, kind, id)
    last = after or last
  end
  return last
end

local function put(P, kind, id, record, cap)
  -- Returns the kind's version after the write (and any eviction it made), and whether it evicted.
  local h, o = P .. "r:" .. kind, P .. "o:" .. kind
  local old = redis.call("HGET", h, id)
  local score
  if old then
    score = tonumber(redis.call("ZSCORE", o, id))
  else
    score = redis.call("INCR", P .. "seq")
  end
  reindex(P, kind, id, old, record, score)
  local after = wrote(P, kind)
  redis.call("HSET", h, id, record)
  if not old then
    redis.call("ZADD", o, score, id)
    local size = redis.call("ZCARD", o)
    -- A kind's first record (the only one once added) makes it known to the session.
    if size == 1 and redis.call("ZADD", P .. "kinds", "NX", score, kind) == 1 then
      redis.call("SADD", P .. "keys", h, o, P .. "f:" .. kind, P .. "ix:" .. kind)
    end
    if size > cap then
      return evict(P, kind, size - cap) or after, true
    end
  end
  return after, false
end

local function drop_collections(P)
  -- Every collection and index, not the fixture ids (a load keeps what counts as a fixture).
  for _, kind in ipairs(redis.call("ZRANGE", P .. "kinds", 0, -1)) do
    redis.call("DEL", P .. "r:" .. kind, P .. "o:" .. kind, P .. "ix:" .. kind)
  end
  for _, key in ipairs(redis.call("SMEMBERS", P .. "keys")) do
    if string.find(key, P .. "i:", 1, true) == 1 then redis.call("DEL", key) end
  end
  redis.call("DEL", P .. "kinds")
end

local function drop_session(name)
  local P = "am:s:" .. name .. ":"
  for _, key in ipairs(redis.call("SMEMBERS", P .. "keys")) do redis.call("DEL", key) end
  redis.call("DEL", P .. "keys", P .. "kinds", P .. "seq", P .. "faults", P .. "kv", P .. "epoch")
  redis.call("ZREM", "am:sessions", name)
end

local function create_session(name, cap, epoch)
  local P = "am:s:" .. name .. ":"
  redis.call("SET", P .. "epoch", epoch)
  redis.call("DEL", P .. "kv")
  redis.call("INCR", "am:seeded")
  for _, kind in ipairs(redis.call("LRANGE", "am:fx:kinds", 0, -1)) do
    local flat = redis.call("LRANGE", "am:fx:" .. kind, 0, -1)
    for i = 1, #flat, 2 do
      put(P, kind, flat[i], flat[i + 1], cap)
      redis.call("SADD", P .. "f:" .. kind, flat[i])
    end
  end
  redis.call("SADD", P .. "keys", P .. "faults")
end

local function ensure_index(P, kind, field)
  if redis.call("SISMEMBER", P .. "ix:" .. kind, field) == 1 then return end
  redis.call("SADD", P .. "ix:" .. kind, field)
  redis.call("SADD", P .. "keys", P .. "ix:" .. kind)
  local h = P .. "r:" .. kind
  local scored = redis.call("ZRANGE", P .. "o:" .. kind, 0, -1, "WITHSCORES")
  for i = 1, #scored, 2 do
    local value = field_value(cjson.decode(redis.call("HGET", h, scored[i])), field)
    if value then
      local key = index_key(P, kind, field, value)
      redis.call("ZADD", key, scored[i + 1], scored[i])
      redis.call("SADD", P .. "keys", key)
    end
  end
end

local function hmget_all(h, ids)
  -- HMGET in slices: Lua's unpack stops at a few thousand values.
  local out = {}
  for i = 1, #ids, 1000 do
    for _, record in ipairs(redis.call("HMGET", h, unpack(ids, i, math.min(i + 999, #ids)))) do
      out[#out + 1] = record
    end
  end
  return out
end

local function journal(size, entries, first)
  -- Entries ARGV[first..], each the entry's JSON without its id: batched by the process that
  -- recorded them and sent along with a script it sends anyway. Their ids go in a list of their
  -- own, in step (an id written in front of each entry copied the whole entry once more).
  if first > #entries then return end
  local last = redis.call("INCRBY", "am:journal:id", #entries - first + 1)
  for i = first, #entries do
    redis.call("RPUSH", "am:journal", entries[i])
    redis.call("RPUSH", "am:journal:ids", last - #entries + i)
  end
  redis.call("LTRIM", "am:journal", -size, -1)
  redis.call("LTRIM", "am:journal:ids", -size, -1)
end

local function ordered_ids(P, kind, field, value)
  -- The zset to read: the collection's order, or the index of field = value.
  if field == "" then return P .. "o:" .. kind end
  ensure_index(P, kind, field)
  return index_key(P, kind, field, value)
end

--@ open
-- ARGV: name, now (ms), idle (ms), max sessions, cap, default name, epoch for a new session, the
-- "epoch/writes" the caller knows, journal size, journal entries...
-- Returns {status, clock offset, fault rules JSON, versions}: status 1 created, 0 found, -1 the
-- store holds no fixtures (Redis restarted empty or flushed: publish them and open again).
-- Writes are optimistic until a request needs the session's lock (the "lock" script).
local name, now, idle = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local max, cap, default = tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
journal(tonumber(ARGV[9]), ARGV, 10)
local created = 0
if redis.call("ZSCORE", "am:sessions", name) then
  redis.call("ZADD", "am:sessions", now, name)
else
  if redis.call("EXISTS", "am:fx:kinds") == 0 then return {-1, "0", "", {}} end
  for _, old in ipairs(redis.call("ZRANGEBYSCORE", "am:sessions", "-inf", now - idle)) do
    if old ~= default then drop_session(old) end
  end
  while redis.call("ZCARD", "am:sessions") >= max do
    local oldest = nil
    for _, candidate in ipairs(redis.call("ZRANGE", "am:sessions", 0, 1)) do
      if candidate ~= default then oldest = candidate break end
    end
    if not oldest then break end
    drop_session(oldest)
  end
  create_session(name, cap, ARGV[7])
  redis.call("ZADD", "am:sessions", now, name)
  created = 1
end
local P = "am:s:" .. name .. ":"
local faults = redis.call("GET", P .. "faults") or ""
return {created, redis.call("GET", "am:clock:offset") or "0", faults, versions(P, ARGV[8])}

--@ lock
-- ARGV: P, token, lock ms, known "epoch/writes". Returns {1, versions} when taken, {0} when
-- another holder has it.
if redis.call("SET", ARGV[1] .. "lock", ARGV[2], "NX", "PX", tonumber(ARGV[3])) then
  return {1, versions(ARGV[1], ARGV[4])}
end
return {0}

--@ versions
-- ARGV: P. Returns the session's versions, whatever the caller knows.
return versions(ARGV[1], "")

--@ publish
-- ARGV: clock spec JSON, then kind, n, (id, record JSON) x n, kind, ... The fixtures new sessions
-- are made from, and the clock every process agrees on (kept if present).
for _, kind in ipairs(redis.call("LRANGE", "am:fx:kinds", 0, -1)) do redis.call("DEL", "am:fx:" .. kind) end
redis.call("DEL", "am:fx:kinds")
redis.call("HSETNX", "am:clock", "spec", ARGV[1])
local i = 2
while i <= #ARGV do
  local kind, n = ARGV[i], tonumber(ARGV[i + 1])
  redis.call("RPUSH", "am:fx:kinds", kind)
  for j = 0, 2 * n - 1, 1000 do
    redis.call("RPUSH", "am:fx:" .. kind, unpack(ARGV, i + 2 + j, math.min(i + 1 + j + 1000, i + 1 + 2 * n)))
  end
  i = i + 2 + 2 * n
end
return redis.call("HGET", "am:clock", "spec")

--@ reset
-- ARGV: name, now (ms), cap, epoch.
drop_session(ARGV[1])
create_session(ARGV[1], tonumber(ARGV[3]), ARGV[4])
redis.call("ZADD", "am:sessions", tonumber(ARGV[2]), ARGV[1])
return 1

--@ get
-- ARGV: P, kind, id. Returns {kind's version, record JSON or nil}.
return {version(ARGV[1], ARGV[2]), redis.call("HGET", ARGV[1] .. "r:" .. ARGV[2], ARGV[3])}

--@ put
-- ARGV: P, kind, id, record JSON, cap. Returns {the kind's version after the write, 1 if it
-- evicted other records (at the cap), else 0}.
local after, evicted = put(ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]))
return {after, evicted and 1 or 0}

--@ delete
-- ARGV: P, kind, id. Returns {kind's version, the deleted record's JSON or nil}.
local old, after = delete_one(ARGV[1], ARGV[2], ARGV[3])
return {after or version(ARGV[1], ARGV[2]), old or false}

--@ list
-- ARGV: P, kind, field ("" for none), value, offset, stop (inclusive, -1 for the end).
-- Returns {kind's version, how many match, record JSON...}: a page and its total in one trip.
local P, kind = ARGV[1], ARGV[2]
local ordered = ordered_ids(P, kind, ARGV[3], ARGV[4])
local out = {version(P, kind), redis.call("ZCARD", ordered)}
for _, record in ipairs(hmget_all(P .. "r:" .. kind, redis.call("ZRANGE", ordered, tonumber(ARGV[5]), tonumber(ARGV[6])))) do
  out[#out + 1] = record
end
return out

--@ count
-- ARGV: P, kind, field ("" for none), value. Returns {kind's version, count}.
return {version(ARGV[1], ARGV[2]), redis.call("ZCARD", ordered_ids(ARGV[1], ARGV[2], ARGV[3], ARGV[4]))}

--@ commit
-- ARGV: P, cap, epoch, n, (kind, version) x n, then (op, kind, id, record JSON) x m, op "p" for
-- a put, "d" for a delete. A request's writes, applied only if the session is the one it read
-- (same epoch), nobody holds its lock, and every kind it read is still at the version it read
-- it at. Returns {0} when not (nothing written), else {1, then per write: the kind's version
-- after it, 1 if it evicted}.
local P, cap = ARGV[1], tonumber(ARGV[2])
if (redis.call("GET", P .. "epoch") or "") ~= ARGV[3] then return {0} end
-- A request holding the session's lock reads and writes without these checks: wait for it.
if redis.call("EXISTS", P .. "lock") == 1 then return {0} end
local i = 5
for _ = 1, tonumber(ARGV[4]) do
  if version(P, ARGV[i]) ~= tonumber(ARGV[i + 1]) then return {0} end
  i = i + 2
end
local out = {1}
while i <= #ARGV do
  local op, kind, id = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local after, evicted
  if op == "p" then
    after, evicted = put(P, kind, id, ARGV[i + 3], cap)
  else
    local _, deleted = delete_one(P, kind, id)
    after = deleted
  end
  out[#out + 1] = after or version(P, kind)
  out[#out + 1] = evicted and 1 or 0
  i = i + 4
end
return out

--@ export
-- ARGV: P. Returns {kind, n, record JSON x n, kind, n, ...}.
local P = ARGV[1]
local out = {}
for _, kind in ipairs(redis.call("ZRANGE", P .. "kinds", 0, -1)) do
  local ids = redis.call("ZRANGE", P .. "o:" .. kind, 0, -1)
  out[#out + 1] = kind
  out[#out + 1] = #ids
  for _, record in ipairs(hmget_all(P .. "r:" .. kind, ids)) do out[#out + 1] = record end
end
return out

--@ load
-- ARGV: P, cap, epoch, then kind, n, (id, record JSON) x n, kind, n, ...
local P, cap = ARGV[1], tonumber(ARGV[2])
drop_collections(P)
redis.call("SET", P .. "epoch", ARGV[3])
redis.call("DEL", P .. "kv")
local i = 4
while i <= #ARGV do
  local kind, n = ARGV[i], tonumber(ARGV[i + 1])
  i = i + 2
  redis.call("ZADD", P .. "kinds", "NX", redis.call("INCR", P .. "seq"), kind)
  redis.call("SADD", P .. "keys", P .. "r:" .. kind, P .. "o:" .. kind, P .. "f:" .. kind, P .. "ix:" .. kind)
  for _ = 1, n do
    put(P, kind, ARGV[i], ARGV[i + 1], cap)
    i = i + 2
  end
end
return 1

--@ journal_record
-- ARGV: size, entries (JSON without id)...
journal(tonumber(ARGV[1]), ARGV, 2)
return 1

--@ journal_read
-- Returns {ids, entries}: the journal, oldest first, each entry's id at the same place.
return {redis.call("LRANGE", "am:journal:ids", 0, -1), redis.call("LRANGE", "am:journal", 0, -1)}

--@ journal_clear
-- ARGV: session. Returns how many entries went.
local ids, kept, kept_ids, removed = redis.call("LRANGE", "am:journal:ids", 0, -1), {}, {}, 0
for i, stored in ipairs(redis.call("LRANGE", "am:journal", 0, -1)) do
  if cjson.decode(stored).session == ARGV[1] then
    removed = removed + 1
  else
    kept[#kept + 1], kept_ids[#kept_ids + 1] = stored, ids[i]
  end
end
redis.call("DEL", "am:journal", "am:journal:ids")
for i = 1, #kept, 1000 do
  redis.call("RPUSH", "am:journal", unpack(kept, i, math.min(i + 999, #kept)))
  redis.call("RPUSH", "am:journal:ids", unpack(kept_ids, i, math.min(i + 999, #kept_ids)))
end
return removed

--@ unlock
-- ARGV: lock key, token, journal size, journal entries... Deletes the lock only if this holder
-- still has it; the journal entries ride along.
journal(tonumber(ARGV[3]), ARGV, 4)
if redis.call("GET", ARGV[1]) == ARGV[2] then return redis.call("DEL", ARGV[1]) end
return 0
