"""A small on-disk cache of Wikipedia summaries (SQLite, with a time-to-live)."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

MISSING = ""  # cached answer "there is no usable page for this title"


class SummaryCache:
    """title -> JSON text (or MISSING), valid for `ttl_s` seconds. Safe to use from several threads."""

    def __init__(self, path: Path, ttl_s: float) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS summaries (title TEXT PRIMARY KEY, body TEXT, stored REAL)")
        self._ttl_s = ttl_s
        self._lock = threading.Lock()

    def get(self, title: str) -> dict | str | None:
        """The cached summary dict, MISSING, or None when nothing fresh is cached."""
        with self._lock:
            row = self._db.execute("SELECT body, stored FROM summaries WHERE title = ?", (title,)).fetchone()
        if row is None or time.time() - row[1] > self._ttl_s:
            return None
        return MISSING if row[0] == MISSING else json.loads(row[0])

    def put(self, title: str, summary: dict | str) -> None:
        """Store a summary dict, or MISSING."""
        body = summary if summary == MISSING else json.dumps(summary)
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO summaries VALUES (?, ?, ?)", (title, body, time.time()))
