-- The provider refused a call of the quota under its rate limit: no call
-- of the quota, in any process, starts before now + wait.
--
-- KEYS[1] meta. ARGV[1] the wait (us).
-- Reply: the wait until the quota is open again (us).

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local meta = redis.call('HMGET', KEYS[1], 'blocked', 'last')
local blocked = math.max(tonumber(meta[1]) or 0, now + tonumber(ARGV[1]))
local last = tonumber(meta[2]) or 0
redis.call('HSET', KEYS[1], 'blocked', blocked)
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((math.max(blocked, last) - now) / 1000)))
return blocked - now
