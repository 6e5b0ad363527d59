"""A small on-disk cache of Wikipedia summaries (SQLite, with a time-to-live); its calls block, so async code runs
them in a worker thread (actions/services/wikipedia.py)."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path


@dataclass(frozen=True)
class Summary:
    """The parts of a Wikipedia page summary the bot shows."""

    title: str
    extract: str
    url: str | None


class NoPage(Enum):
    """Wikipedia has no usable page for a title (missing, or a disambiguation page): cached like a summary."""

    NO_PAGE = "no usable page"


NO_PAGE = NoPage.NO_PAGE
Cached = Summary | NoPage


class SummaryCache:
    """title -> Summary or NO_PAGE, valid for `ttl_s` seconds. Safe to use from several threads."""

    def __init__(self, path: Path, ttl_s: float) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS pages (title TEXT PRIMARY KEY, summary TEXT, stored REAL)")
        self._ttl_s = ttl_s
        self._lock = threading.Lock()

    def get(self, title: str) -> Cached | None:
        """The cached answer for `title`, or None when nothing fresh is cached."""
        with self._lock:
            row = self._db.execute("SELECT summary, stored FROM pages WHERE title = ?", (title,)).fetchone()
        if row is None or time.time() - row[1] > self._ttl_s:
            return None
        return NO_PAGE if row[0] is None else Summary(**json.loads(row[0]))

    def put(self, title: str, answer: Cached) -> None:
        """Remember a summary, or that there is no usable page."""
        summary = None if answer is NO_PAGE else json.dumps(asdict(answer))
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO pages VALUES (?, ?, ?)", (title, summary, time.time()))

    def close(self) -> None:
        with self._lock:
            self._db.close()
