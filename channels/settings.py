"""The Rasa server's settings (channels, inbox, stores), read from the environment; secrets come through
credentials.yml."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from common.env import flag


@dataclass(frozen=True)
class ChannelSettings:
    """The defaults here are the ones .env.example lists (a test holds the two together)."""

    fb_graph_url: str = "https://graph.facebook.com"
    fb_graph_version: str = "v23.0"
    fb_allow_sha1: bool = False
    telegram_api_url: str = "https://api.telegram.org"
    outbound_timeout_s: float = 10.0
    redis_url: str | None = None  # the inbox (and Rasa's lock store) in Redis, shared by several Rasa servers
    inbox_db: str = "var/inbox.sqlite"  # else the inbox in this SQLite file (one Rasa server)
    inbox_lease_s: float = 30.0  # a sender's messages wait this long for a worker of a server that died
    tracker_db_url: str | None = None  # Rasa's tracker store in this database (PostgreSQL, several servers)
    tracker_db: str = "var/tracker.sqlite"  # else in this SQLite file
    action_endpoint_url: str = "http://127.0.0.1:5055/webhook"  # its /health says whether photos can be answered

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ChannelSettings:
        """Settings from `env` (default: os.environ); unset variables keep the defaults."""
        env = os.environ if env is None else env
        d = cls()
        return cls(
            fb_graph_url=env.get("FB_GRAPH_URL", d.fb_graph_url).rstrip("/"),
            fb_graph_version=env.get("FB_GRAPH_VERSION", d.fb_graph_version),
            fb_allow_sha1=flag(env.get("FB_ALLOW_SHA1_SIGNATURE", str(d.fb_allow_sha1))),
            telegram_api_url=env.get("TELEGRAM_API_URL", d.telegram_api_url).rstrip("/"),
            outbound_timeout_s=float(env.get("CHANNEL_OUTBOUND_TIMEOUT_S", d.outbound_timeout_s)),
            redis_url=env.get("REDIS_URL") or None,
            inbox_db=env.get("INBOX_DB", d.inbox_db),
            inbox_lease_s=float(env.get("INBOX_LEASE_S", d.inbox_lease_s)),
            tracker_db_url=env.get("TRACKER_DB_URL") or None,
            tracker_db=env.get("TRACKER_DB", d.tracker_db),
            action_endpoint_url=env.get("ACTION_ENDPOINT_URL", d.action_endpoint_url),
        )
