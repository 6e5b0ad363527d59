"""Rasa's lock store and tracker store, chosen from the environment (endpoints.yml names these functions).

- lock store: Redis (`RedisLockStore`) when REDIS_URL is set, so that several Rasa servers take turns on a
  conversation; else in memory (one server).
- tracker store: the SQL database TRACKER_DB_URL names (PostgreSQL, shared by several servers); else the SQLite
  file TRACKER_DB.

Rasa loads a store class by module path (it must be a class) and calls it with the endpoint's settings.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain

from channels.settings import ChannelSettings

LOCK_KEY_PREFIX = "fruitbot"


class LockStoreFromEnv(LockStore):
    """Calling it gives the lock store the environment asks for (a RedisLockStore or an InMemoryLockStore)."""

    def __new__(cls, endpoint_config: Any = None) -> LockStore:
        return lock_store_from_env()


def lock_store_from_env() -> LockStore:
    """Redis when REDIS_URL is set (redis://[:password@]host[:port][/db]), else in memory."""
    url = ChannelSettings.from_env().redis_url
    if not url:
        return InMemoryLockStore()
    parts = urlsplit(url)
    db = int(parts.path.lstrip("/") or 0)
    return RedisLockStore(
        host=parts.hostname or "localhost",
        port=parts.port or 6379,
        db=db,
        password=unquote(parts.password) if parts.password else None,
        use_ssl=parts.scheme == "rediss",
        key_prefix=LOCK_KEY_PREFIX,
    )


class TrackerStoreFromEnv(SQLTrackerStore):
    """The SQL tracker store on TRACKER_DB_URL (e.g. postgresql://user:password@host:5432/db), else on the SQLite
    file TRACKER_DB."""

    def __init__(
        self, host: str | None = None, domain: Domain | None = None, event_broker: Any = None, **kwargs: Any
    ) -> None:
        settings = ChannelSettings.from_env()
        if not settings.tracker_db_url:
            super().__init__(domain, dialect="sqlite", db=settings.tracker_db, event_broker=event_broker)
            return
        parts = urlsplit(settings.tracker_db_url)
        super().__init__(
            domain,
            dialect=parts.scheme.split("+")[0],
            host=parts.hostname,
            port=parts.port,
            db=parts.path.lstrip("/"),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            event_broker=event_broker,
        )
