"""The channels' optional settings, read from the environment (secrets come through credentials.yml)."""

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
        )
