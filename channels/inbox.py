"""The durable inbox of a channel: every accepted message is stored before the webhook answers 200, and stays
until its replies went out. Messages of one sender come out in arrival order, one at a time (a sender is leased
to one worker); the same store remembers message ids for a while, so redeliveries are dropped across restarts.

Two stores share this interface: SQLite (WAL) under var/ for one Rasa server (the default), Redis when several
share the work (channels/redis_inbox.py). Plain Python, no Rasa import.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from channels.contract import IncomingMessage

SEEN_TTL_S = 24 * 3600.0
Rows = list[tuple[Any, ...]]  # Meta and Telegram redeliver within hours, not days


@dataclass(frozen=True)
class Stored:
    """A message at the head of its sender's queue: how many times a worker has begun it, when it came, and how
    many of its replies went out already (on an attempt that did not finish)."""

    message: IncomingMessage
    attempts: int
    accepted_at: float
    replied: int = 0


def encode(message: IncomingMessage) -> str:
    return json.dumps(asdict(message), ensure_ascii=False)


def decode(body: str) -> IncomingMessage:
    return IncomingMessage(**json.loads(body))


class Inbox(Protocol):
    async def put(self, message: IncomingMessage) -> bool:
        """Store a new message (True), or drop a redelivery of one seen within the TTL (False)."""
        ...

    async def claim(self, owner: str, lease_s: float) -> str | None:
        """A sender with messages ready, leased to `owner` for `lease_s` seconds; None when there is none."""
        ...

    async def head(self, sender: str) -> Stored | None:
        """The oldest message of `sender` still to answer, or None."""
        ...

    async def begin(self, message: IncomingMessage) -> int:
        """Count one more attempt at `message` (before working on it, so a crash counts too); the count."""
        ...

    async def replied(self, message: IncomingMessage, count: int) -> None:
        """The first `count` of its replies went out."""
        ...

    async def done(self, message: IncomingMessage) -> None:
        """Its replies went out: forget it (its id stays seen)."""
        ...

    async def postpone(self, message: IncomingMessage, delay_s: float) -> None:
        """Keep it (and its sender's later messages) waiting for `delay_s` seconds."""
        ...

    async def dead(self, message: IncomingMessage) -> None:
        """Give up on it: kept aside for inspection, out of its sender's queue."""
        ...

    async def renew(self, sender: str, owner: str, lease_s: float) -> bool:
        """Extend `owner`'s lease of `sender`; False when it no longer holds it."""
        ...

    async def release(self, sender: str, owner: str) -> None: ...

    async def pending(self) -> int:
        """How many messages wait or are being worked on (for logs and tests)."""
        ...

    async def close(self) -> None: ...


class SQLiteInbox:
    """The inbox in one SQLite file (WAL), for a single Rasa server; every call runs in a worker thread."""

    def __init__(self, path: Path, channel: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.channel = channel
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        self._db.executescript(
            """
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            CREATE TABLE IF NOT EXISTS messages (
                seq INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, message_id TEXT NOT NULL,
                sender TEXT NOT NULL, body TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
                dead INTEGER NOT NULL DEFAULT 0, not_before REAL NOT NULL DEFAULT 0, accepted_at REAL NOT NULL,
                replied INTEGER NOT NULL DEFAULT 0, UNIQUE (channel, message_id));
            CREATE INDEX IF NOT EXISTS by_sender ON messages (channel, sender, dead, seq);
            CREATE TABLE IF NOT EXISTS seen (
                channel TEXT NOT NULL, message_id TEXT NOT NULL, expires REAL NOT NULL,
                PRIMARY KEY (channel, message_id));
            CREATE TABLE IF NOT EXISTS leases (
                channel TEXT NOT NULL, sender TEXT NOT NULL, owner TEXT NOT NULL, expires REAL NOT NULL,
                PRIMARY KEY (channel, sender));
            """
        )
        if "replied" not in {row[1] for row in self._db.execute("PRAGMA table_info(messages)")}:
            self._db.execute("ALTER TABLE messages ADD COLUMN replied INTEGER NOT NULL DEFAULT 0")  # older files
        # one Rasa server per SQLite inbox: leases left by a server that died are void now
        self._db.execute("DELETE FROM leases WHERE channel = ?", (channel,))

    async def _run(self, step: Callable[..., Rows], *args: object) -> Rows:
        """Run `step(now, *args)` in one transaction, in a worker thread."""
        return await asyncio.to_thread(self._transaction, step, args)

    def _transaction(self, step: Callable[..., Rows], args: tuple[object, ...]) -> Rows:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                rows = step(time.time(), *args)
                self._db.execute("COMMIT")
                return rows
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    # the steps: each runs inside one transaction and returns rows
    def _put(self, now: float, message_id: str, sender: str, body: str) -> Rows:
        seen = self._db.execute(
            "SELECT 1 FROM seen WHERE channel = ? AND message_id = ? AND expires > ?", (self.channel, message_id, now)
        ).fetchone()
        if seen is not None:
            return []
        self._db.execute("DELETE FROM seen WHERE channel = ? AND expires <= ?", (self.channel, now))
        self._db.execute("INSERT OR REPLACE INTO seen VALUES (?, ?, ?)", (self.channel, message_id, now + SEEN_TTL_S))
        self._db.execute(
            "INSERT OR IGNORE INTO messages (channel, message_id, sender, body, accepted_at) VALUES (?, ?, ?, ?, ?)",
            (self.channel, message_id, sender, body, now),
        )
        return [(1,)]

    def _claim(self, now: float, owner: str, lease_s: float) -> Rows:
        row = self._db.execute(
            """SELECT m.sender FROM messages m
               WHERE m.channel = ? AND m.dead = 0
                 AND m.seq = (SELECT MIN(seq) FROM messages h WHERE h.channel = m.channel AND h.sender = m.sender
                              AND h.dead = 0)
                 AND m.not_before <= ?
                 AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.channel = m.channel AND l.sender = m.sender
                                 AND l.expires > ?)
               ORDER BY m.seq LIMIT 1""",
            (self.channel, now, now),
        ).fetchone()
        if row is None:
            return []
        self._db.execute(
            "INSERT OR REPLACE INTO leases VALUES (?, ?, ?, ?)", (self.channel, row[0], owner, now + lease_s)
        )
        return [row]

    def _head(self, now: float, sender: str) -> Rows:
        return self._db.execute(
            "SELECT body, attempts, accepted_at, replied FROM messages WHERE channel = ? AND sender = ? AND dead = 0"
            " ORDER BY seq LIMIT 1",
            (self.channel, sender),
        ).fetchall()

    def _begin(self, now: float, message_id: str) -> Rows:
        self._db.execute(
            "UPDATE messages SET attempts = attempts + 1 WHERE channel = ? AND message_id = ?",
            (self.channel, message_id),
        )
        return self._db.execute(
            "SELECT attempts FROM messages WHERE channel = ? AND message_id = ?", (self.channel, message_id)
        ).fetchall()

    def _replied(self, now: float, message_id: str, count: int) -> Rows:
        self._db.execute(
            "UPDATE messages SET replied = MAX(replied, ?) WHERE channel = ? AND message_id = ?",
            (count, self.channel, message_id),
        )
        return []

    def _done(self, now: float, message_id: str) -> Rows:
        self._db.execute("DELETE FROM messages WHERE channel = ? AND message_id = ?", (self.channel, message_id))
        return []

    def _postpone(self, now: float, message_id: str, delay_s: float) -> Rows:
        self._db.execute(
            "UPDATE messages SET not_before = ? WHERE channel = ? AND message_id = ?",
            (now + delay_s, self.channel, message_id),
        )
        return []

    def _dead(self, now: float, message_id: str) -> Rows:
        self._db.execute(
            "UPDATE messages SET dead = 1 WHERE channel = ? AND message_id = ?", (self.channel, message_id)
        )
        return []

    def _renew(self, now: float, sender: str, owner: str, lease_s: float) -> Rows:
        updated = self._db.execute(
            "UPDATE leases SET expires = ? WHERE channel = ? AND sender = ? AND owner = ?",
            (now + lease_s, self.channel, sender, owner),
        ).rowcount
        return [(1,)] if updated else []

    def _release(self, now: float, sender: str, owner: str) -> Rows:
        self._db.execute(
            "DELETE FROM leases WHERE channel = ? AND sender = ? AND owner = ?", (self.channel, sender, owner)
        )
        return []

    def _pending(self, now: float) -> Rows:
        return self._db.execute(
            "SELECT COUNT(*) FROM messages WHERE channel = ? AND dead = 0", (self.channel,)
        ).fetchall()

    async def put(self, message: IncomingMessage) -> bool:
        return bool(await self._run(self._put, message.message_id, message.sender_id, encode(message)))

    async def claim(self, owner: str, lease_s: float) -> str | None:
        rows = await self._run(self._claim, owner, lease_s)
        return str(rows[0][0]) if rows else None

    async def head(self, sender: str) -> Stored | None:
        rows = await self._run(self._head, sender)
        return Stored(decode(rows[0][0]), int(rows[0][1]), float(rows[0][2]), int(rows[0][3])) if rows else None

    async def begin(self, message: IncomingMessage) -> int:
        rows = await self._run(self._begin, message.message_id)
        return int(rows[0][0]) if rows else 0

    async def replied(self, message: IncomingMessage, count: int) -> None:
        await self._run(self._replied, message.message_id, count)

    async def done(self, message: IncomingMessage) -> None:
        await self._run(self._done, message.message_id)

    async def postpone(self, message: IncomingMessage, delay_s: float) -> None:
        await self._run(self._postpone, message.message_id, delay_s)

    async def dead(self, message: IncomingMessage) -> None:
        await self._run(self._dead, message.message_id)

    async def renew(self, sender: str, owner: str, lease_s: float) -> bool:
        return bool(await self._run(self._renew, sender, owner, lease_s))

    async def release(self, sender: str, owner: str) -> None:
        await self._run(self._release, sender, owner)

    async def pending(self) -> int:
        return int((await self._run(self._pending))[0][0])

    async def close(self) -> None:
        await asyncio.to_thread(self._close)

    def _close(self) -> None:
        with self._lock:
            self._db.close()


def open_inbox(channel: str, redis_url: str | None, sqlite_path: Path) -> Inbox:
    """The channel's inbox: in Redis when a URL is given (several Rasa servers), else in the SQLite file."""
    if redis_url:
        from channels.redis_inbox import RedisInbox  # the redis package is only needed then

        return RedisInbox(redis_url, channel)
    return SQLiteInbox(sqlite_path, channel)
