"""The inbox in Redis, shared by several Rasa servers (REDIS_URL): the same interface as channels.inbox.SQLiteInbox.

Keys, per channel (`fruitbot:inbox:<channel>:`): `seen:<id>` (with a TTL), `msg:<id>` (a hash: body, sender,
attempts, replied), `q:<sender>` (the sender's message ids in arrival order), `ready` (a sorted set: senders with
messages, scored by when their first one may be taken), `lease:<sender>` (the worker holding that sender, with an
expiry), `dead` (ids given up on), `pending` (a count of messages not yet done). Every change that touches several
keys is one Lua script, so two servers never take the same sender's messages at once, nor lose one between them.
"""

from __future__ import annotations

import time
from typing import Any

from redis.asyncio import Redis

from channels.contract import IncomingMessage
from channels.inbox import SEEN_TTL_S, Stored, decode, encode

PUT = """
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[4]) then return 0 end
redis.call('HSET', KEYS[2], 'body', ARGV[2], 'sender', ARGV[3], 'attempts', 0, 'accepted_at', ARGV[5])
redis.call('RPUSH', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[4], 'NX', ARGV[5], ARGV[3])
redis.call('INCR', KEYS[5])
return 1
"""
CLAIM = """
local senders = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 200)
for _, sender in ipairs(senders) do
  if redis.call('SET', ARGV[4] .. 'lease:' .. sender, ARGV[2], 'NX', 'PX', ARGV[3]) then return sender end
end
return false
"""
FINISH = """
if redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then
  redis.call('LPOP', KEYS[1])
  redis.call('DECR', KEYS[4])
  if ARGV[3] == 'dead' then
    redis.call('HSET', KEYS[2], 'dead', '1')
    redis.call('RPUSH', KEYS[5], ARGV[1])
  else
    redis.call('DEL', KEYS[2])
  end
end
if redis.call('LLEN', KEYS[1]) == 0 then redis.call('ZREM', KEYS[3], ARGV[2]) end
return 1
"""
REPLIED = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if tonumber(redis.call('HGET', KEYS[1], 'replied') or '0') < tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'replied', ARGV[1])
end
return 1
"""
IF_OWNER = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == 'release' then redis.call('DEL', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
"""


class RedisInbox:
    def __init__(self, url: str, channel: str) -> None:
        self.prefix = f"fruitbot:inbox:{channel}:"
        self.redis: Redis[Any] = Redis.from_url(url)
        self._put, self._claim = self.redis.register_script(PUT), self.redis.register_script(CLAIM)
        self._finish, self._if_owner = self.redis.register_script(FINISH), self.redis.register_script(IF_OWNER)
        self._replied = self.redis.register_script(REPLIED)

    def _key(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    async def put(self, message: IncomingMessage) -> bool:
        mid, sender = message.message_id, message.sender_id
        keys = [self._key("seen", mid), self._key("msg", mid), self._key("q", sender), self._key("ready")]
        args = [mid, encode(message), sender, int(SEEN_TTL_S), time.time()]
        return bool(await self._put(keys=[*keys, self._key("pending")], args=args))

    async def claim(self, owner: str, lease_s: float) -> str | None:
        found = await self._claim(
            keys=[self._key("ready")], args=[time.time(), owner, int(lease_s * 1000), self.prefix]
        )
        return found.decode() if found else None

    async def head(self, sender: str) -> Stored | None:
        mid = await self.redis.lindex(self._key("q", sender), 0)
        if mid is None:
            return None
        fields = ["body", "attempts", "accepted_at", "replied"]
        body, attempts, accepted_at, replied = await self.redis.hmget(self._key("msg", mid.decode()), fields)
        if body is None:
            return None
        return Stored(decode(body.decode()), int(attempts or 0), float(accepted_at or 0), int(replied or 0))

    async def begin(self, message: IncomingMessage) -> int:
        return int(await self.redis.hincrby(self._key("msg", message.message_id), "attempts", 1))

    async def replied(self, message: IncomingMessage, count: int) -> None:
        await self._replied(keys=[self._key("msg", message.message_id)], args=[count])

    async def done(self, message: IncomingMessage) -> None:
        await self._end(message, "done")

    async def dead(self, message: IncomingMessage) -> None:
        await self._end(message, "dead")

    async def _end(self, message: IncomingMessage, how: str) -> None:
        mid, sender = message.message_id, message.sender_id
        keys = [self._key("q", sender), self._key("msg", mid), self._key("ready"), self._key("pending")]
        await self._finish(keys=[*keys, self._key("dead")], args=[mid, sender, how])

    async def postpone(self, message: IncomingMessage, delay_s: float) -> None:
        await self.redis.zadd(self._key("ready"), {message.sender_id: time.time() + delay_s}, xx=True)

    async def renew(self, sender: str, owner: str, lease_s: float) -> bool:
        return bool(await self._if_owner(keys=[self._key("lease", sender)], args=[owner, int(lease_s * 1000)]))

    async def release(self, sender: str, owner: str) -> None:
        await self._if_owner(keys=[self._key("lease", sender)], args=[owner, "release"])

    async def pending(self) -> int:
        return int(await self.redis.get(self._key("pending")) or 0)

    async def close(self) -> None:
        await self.redis.aclose() if hasattr(self.redis, "aclose") else await self.redis.close()
