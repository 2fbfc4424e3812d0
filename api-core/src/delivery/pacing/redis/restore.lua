-- Writes back reservations a process made (granted by Redis before the
-- dataset was lost, or by its local fallback while Redis was unreachable),
-- each under its id, so that none is counted twice.
--
-- KEYS as for reserve.lua: epoch, meta, then per limit: log, sum.
-- ARGV[1] an epoch to create if none, ARGV[2] the entry count, then per
-- limit its window (us), then per entry: id, start (us), a weight per limit.
--
-- Reply: the dataset's epoch.

local epoch = redis.call('GET', KEYS[1])
if not epoch then
  redis.call('SET', KEYS[1], ARGV[1])
  epoch = ARGV[1]
end

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local n = (#KEYS - 2) / 2
local entries = tonumber(ARGV[2])
local window = {}
for i = 1, n do
  window[i] = tonumber(ARGV[2 + i])
end

local last = 0
local at = 3 + n
for _ = 1, entries do
  local id, start = ARGV[at], tonumber(ARGV[at + 1])
  for i = 1, n do
    local weight = tonumber(ARGV[at + 1 + i])
    local log, sum = KEYS[1 + 2 * i], KEYS[2 + 2 * i]
    if start + window[i] > now
      and redis.call('ZADD', log, 'NX', start, id .. '|' .. weight) == 1 then
      redis.call('INCRBY', sum, weight)
      local ttl = math.ceil((start + window[i] - now) / 1000)
      if redis.call('PTTL', log) < ttl then
        redis.call('PEXPIRE', log, ttl)
        redis.call('PEXPIRE', sum, ttl)
      end
      last = math.max(last, start)
    end
  end
  at = at + 2 + n
end

if last > now then
  -- Later reservations queue behind the restored ones.
  local current = tonumber(redis.call('HGET', KEYS[2], 'last')) or 0
  if last > current then
    redis.call('HSET', KEYS[2], 'last', last)
    if redis.call('PTTL', KEYS[2]) < math.ceil((last - now) / 1000) then
      redis.call('PEXPIRE', KEYS[2], math.ceil((last - now) / 1000))
    end
  end
end
return epoch
