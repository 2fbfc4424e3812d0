-- Reserves one call's weight under every limit of one quota, all or
-- nothing: the weighted sliding-window log of the in-process store, on the
-- Redis server's clock. (Read by RedisQuotaStore; the layout of KEYS and
-- ARGV is documented in scripts.rs.)
--
-- KEYS[1] epoch, KEYS[2] meta, then per limit: log (zset), sum (string).
-- ARGV[1] the epoch the caller knows, ARGV[2] an epoch to create if none,
-- ARGV[3] the reservation id, ARGV[4] the longest wait accepted (us, -1:
-- any), then per limit: amount, window (us), weight.
--
-- Replies (all times in us on the server's clock):
--   {1, wait, start, now}      granted: the call starts at `start`
--   {0, wait, limit, now}      denied (wait > max): nothing written;
--                              `limit` (1-based, 0: none) binds longest
--   {2, epoch}                 the caller's epoch is not this dataset's:
--                              nothing decided (it restores, asks again)
--   {3, limit}                 the weight exceeds that limit's amount

local epoch = redis.call('GET', KEYS[1])
if not epoch then
  redis.call('SET', KEYS[1], ARGV[2])
  epoch = ARGV[2]
end
if epoch ~= ARGV[1] then
  return {2, epoch}
end

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local id = ARGV[3]
local max_wait = tonumber(ARGV[4])
local n = (#KEYS - 2) / 2

local function weight_of(member)
  return tonumber(string.match(member, '|(%d+)$'))
end

-- Amounts, windows, weights; an impossible weight is an error, not a wait.
local amount, window, weight = {}, {}, {}
for i = 1, n do
  amount[i] = tonumber(ARGV[2 + 3 * i])
  window[i] = tonumber(ARGV[3 + 3 * i])
  weight[i] = tonumber(ARGV[4 + 3 * i])
  if weight[i] > amount[i] then
    return {3, i}
  end
end

-- A retried call (its first answer was lost) is granted what it got.
if n > 0 then
  local at = redis.call('ZSCORE', KEYS[3], id .. '|' .. weight[1])
  if at then
    at = tonumber(at)
    return {1, math.max(0, at - now), at, now}
  end
end

local meta = redis.call('HMGET', KEYS[2], 'blocked', 'last')
local blocked = tonumber(meta[1]) or 0
local last = tonumber(meta[2]) or 0
local floor = math.max(now, blocked)
if n > 0 then
  -- Calls start in the order they reserve: the log stays sorted and a
  -- large call is not overtaken forever by small ones.
  floor = math.max(floor, last)
end

local start = floor
local binding = 0
for i = 1, n do
  local log, sum = KEYS[1 + 2 * i], KEYS[2 + 2 * i]
  -- Forget the reservations whose window has closed.
  local cutoff = now - window[i]
  local old = redis.call('ZRANGEBYSCORE', log, '-inf', cutoff)
  local used = tonumber(redis.call('GET', sum))
  if #old > 0 then
    redis.call('ZREMRANGEBYSCORE', log, '-inf', cutoff)
    if used then
      for _, member in ipairs(old) do
        used = used - weight_of(member)
      end
      redis.call('SET', sum, used, 'KEEPTTL')
    end
  end
  if not used or used < 0 then
    -- The running sum is gone (evicted apart from its log): recount.
    used = 0
    for _, member in ipairs(redis.call('ZRANGE', log, 0, -1)) do
      used = used + weight_of(member)
    end
    local ttl = redis.call('PTTL', log)
    if used > 0 and ttl > 0 then
      redis.call('SET', sum, used, 'PX', ttl)
    end
  end
  -- The earliest start at or after `floor` at which the weight fits: the
  -- oldest reservations leave one window after their start.
  local earliest = floor
  if used + weight[i] > amount[i] then
    local from = 0
    local done = false
    while not done do
      local batch = redis.call('ZRANGE', log, from, from + 127, 'WITHSCORES')
      if #batch == 0 then
        break
      end
      for j = 1, #batch, 2 do
        used = used - weight_of(batch[j])
        earliest = math.max(earliest, tonumber(batch[j + 1]) + window[i])
        if used + weight[i] <= amount[i] then
          done = true
          break
        end
      end
      from = from + 128
    end
  end
  if earliest >= start and earliest > now then
    binding = i
  end
  start = math.max(start, earliest)
end

local wait = start - now
if max_wait >= 0 and wait > max_wait then
  return {0, wait, binding, now}
end
if n == 0 then
  return {1, wait, start, now}
end

for i = 1, n do
  local log, sum = KEYS[1 + 2 * i], KEYS[2 + 2 * i]
  redis.call('ZADD', log, start, id .. '|' .. weight[i])
  redis.call('INCRBY', sum, weight[i])
  -- The newest entry is the last to leave: both keys live until then.
  local ttl = math.ceil((start + window[i] - now) / 1000)
  redis.call('PEXPIRE', log, ttl)
  redis.call('PEXPIRE', sum, ttl)
end
redis.call('HSET', KEYS[2], 'last', start)
-- `last` and `blocked` matter only while they are ahead of the clock.
redis.call('PEXPIRE', KEYS[2], math.max(1, math.ceil((math.max(start, blocked) - now) / 1000)))
return {1, wait, start, now}
