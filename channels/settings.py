"""The channels' optional settings, read from the environment (secrets come through credentials.yml)."""

from __future__ import annotations

import os
from dataclasses import dataclass

TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class ChannelSettings:
    fb_graph_url: str
    fb_graph_version: str
    fb_allow_sha1: bool
    telegram_api_url: str
    outbound_timeout_s: float

    @classmethod
    def from_env(cls) -> ChannelSettings:
        env = os.environ
        return cls(
            fb_graph_url=env.get("FB_GRAPH_URL", "https://graph.facebook.com").rstrip("/"),
            fb_graph_version=env.get("FB_GRAPH_VERSION", "v23.0"),
            fb_allow_sha1=env.get("FB_ALLOW_SHA1_SIGNATURE", "").lower() in TRUE,
            telegram_api_url=env.get("TELEGRAM_API_URL", "https://api.telegram.org").rstrip("/"),
            outbound_timeout_s=float(env.get("CHANNEL_OUTBOUND_TIMEOUT_S", "10")),
        )
