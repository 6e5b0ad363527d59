"""The action server's settings: the one place that reads the environment (and `.env` in development)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from common.env import flag

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """The defaults here are the ones .env.example lists (a test holds the two together). Relative paths (and
    relative SQLite URLs) are taken from the project root, wherever the server was started."""

    host: str = "0.0.0.0"
    port: int = 5055
    actions_token: str | None = None  # when set, Rasa must send it (the action endpoint's `token`)
    classifier_model: Path = ROOT / "models" / "fruits.onnx"
    classify_workers: int = 1  # threads running the model; more photos than this queue
    max_downloads: int = 32  # images downloaded at once (waiting on the network is cheap); the model has its pool
    max_downloads_per_host: int = 4  # so that one slow image host cannot take every download slot
    image_max_bytes: int = 10 * 1024 * 1024
    image_timeout_s: float = 10.0  # a whole download
    image_connect_timeout_s: float = 3.0  # connecting, and then each wait for the next bytes
    image_fetch_allow_private: bool = False
    wikipedia_url: str = "https://en.wikipedia.org/api/rest_v1"
    wikipedia_timeout_s: float = 2.0
    wikipedia_cache_path: Path = ROOT / "var" / "wikipedia-cache.sqlite"
    wikipedia_cache_ttl_s: float = 24 * 3600.0
    feedback_db_url: str = f"sqlite:///{ROOT / 'var' / 'feedback.sqlite'}"
    telegram_token: str | None = None  # to download Telegram photos (by file_id)
    telegram_api_url: str = "https://api.telegram.org"
    shell_local_files: bool = False  # `make run`: rasa shell may name photos on this computer

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from `env` (default: os.environ, after loading `.env` without overriding it); unset
        variables keep the defaults."""
        if env is None:
            from dotenv import load_dotenv

            load_dotenv(ROOT / ".env", override=False)
            env = os.environ
        d = cls()
        return cls(
            host=env.get("HOST", d.host),
            port=int(env.get("ACTIONS_PORT", d.port)),
            actions_token=env.get("ACTIONS_TOKEN") or None,
            classifier_model=from_root(env.get("CLASSIFIER_MODEL", d.classifier_model)),
            classify_workers=int(env.get("CLASSIFY_WORKERS", d.classify_workers)),
            max_downloads=int(env.get("MAX_DOWNLOADS", d.max_downloads)),
            max_downloads_per_host=int(env.get("MAX_DOWNLOADS_PER_HOST", d.max_downloads_per_host)),
            image_max_bytes=int(env.get("IMAGE_MAX_BYTES", d.image_max_bytes)),
            image_timeout_s=float(env.get("IMAGE_TIMEOUT_S", d.image_timeout_s)),
            image_connect_timeout_s=float(env.get("IMAGE_CONNECT_TIMEOUT_S", d.image_connect_timeout_s)),
            image_fetch_allow_private=flag(env.get("IMAGE_FETCH_ALLOW_PRIVATE", str(d.image_fetch_allow_private))),
            wikipedia_url=env.get("WIKIPEDIA_URL", d.wikipedia_url).rstrip("/"),
            wikipedia_timeout_s=float(env.get("WIKIPEDIA_TIMEOUT_S", d.wikipedia_timeout_s)),
            wikipedia_cache_path=from_root(env.get("WIKIPEDIA_CACHE_PATH", d.wikipedia_cache_path)),
            wikipedia_cache_ttl_s=float(env.get("WIKIPEDIA_CACHE_TTL_S", d.wikipedia_cache_ttl_s)),
            feedback_db_url=sqlite_from_root(env.get("FEEDBACK_DB_URL", d.feedback_db_url)),
            telegram_token=env.get("TELEGRAM_TOKEN") or None,
            telegram_api_url=env.get("TELEGRAM_API_URL", d.telegram_api_url).rstrip("/"),
            shell_local_files=flag(env.get("SHELL_LOCAL_FILES", str(d.shell_local_files))),
        )


def from_root(path: str | Path) -> Path:
    """A path from the environment; a relative one is taken from the project root."""
    return ROOT / path if not Path(path).is_absolute() else Path(path)


def sqlite_from_root(url: str) -> str:
    """A database URL; a relative SQLite file in it is taken from the project root (other databases unchanged)."""
    prefix = "sqlite:///"
    path = url.removeprefix(prefix)
    if url.startswith(prefix) and not path.startswith("/") and path != ":memory:":
        return prefix + str(from_root(path))
    return url
