-- Gives back one reservation whose call never left its process.
--
-- KEYS: per limit: log, sum. ARGV: per limit, the entry `<id>|<weight>`.
-- Reply: how many logs held it.

local removed = 0
for i = 1, #ARGV do
  local log, sum = KEYS[2 * i - 1], KEYS[2 * i]
  if redis.call('ZREM', log, ARGV[i]) == 1 then
    local weight = tonumber(string.match(ARGV[i], '|(%d+)$'))
    if tonumber(redis.call('DECRBY', sum, weight)) <= 0 then
      redis.call('DEL', sum)
    end
    removed = removed + 1
  end
end
return removed
