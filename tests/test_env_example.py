"""`.env.example` is the one list of settings: each variable a settings module reads is in it with that module's
default, and each variable in it is read by a settings module or by our config files and scripts."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from dotenv import dotenv_values

from actions.settings import Settings
from channels.settings import ChannelSettings
from testkit.processes import ROOT

EXAMPLE = ROOT / ".env.example"
CONFIG_FILES = [
    "endpoints.yml",
    "credentials.yml",
    "docker-compose.yml",
    "Makefile",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "scripts").iterdir()),
]


class RecordingEnv(dict[str, str]):
    """An environment that remembers which variables were asked for."""

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__(values)
        self.asked: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        self.asked.add(key)
        return super().get(key, default)


def example_values() -> dict[str, str]:
    """The variables .env.example sets (its commented-out ones are documented, not set)."""
    return {k: v for k, v in dotenv_values(EXAMPLE).items() if v is not None}


def documented() -> set[str]:
    """Every variable .env.example names, set or commented out."""
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", EXAMPLE.read_text(), re.MULTILINE))


READERS: list[Callable[[dict[str, str]], Any]] = [Settings.from_env, ChannelSettings.from_env]


@pytest.mark.parametrize("from_env", READERS, ids=["actions", "channels"])
def test_every_variable_a_settings_module_reads_is_documented(from_env) -> None:
    env = RecordingEnv({})
    from_env(env)
    assert env.asked and env.asked <= documented()


@pytest.mark.parametrize("from_env", READERS, ids=["actions", "channels"])
def test_the_example_values_are_the_settings_defaults(from_env) -> None:
    assert from_env(example_values()) == from_env({})


def test_every_documented_variable_is_read_somewhere() -> None:
    read = set()
    for from_env in READERS:
        env = RecordingEnv({})
        from_env(env)
        read |= env.asked
    config = "\n".join((ROOT / name).read_text() for name in CONFIG_FILES if (ROOT / name).is_file())
    unread = {name for name in documented() - read if not re.search(rf"\$\{{?{name}\b", config)}
    assert unread == set()


def test_environment_values_are_parsed() -> None:
    env = {"ACTIONS_PORT": "6000", "IMAGE_FETCH_ALLOW_PRIVATE": "Yes", "CLASSIFIER_MODEL": "models/x.onnx"}
    settings = Settings.from_env({**env, "FEEDBACK_DB_URL": "sqlite:///var/f.db", "WIKIPEDIA_URL": "http://w/"})
    assert settings.port == 6000 and settings.image_fetch_allow_private
    assert settings.classifier_model == ROOT / "models" / "x.onnx"  # relative to the project, not the cwd
    assert settings.feedback_db_url == f"sqlite:///{ROOT / 'var' / 'f.db'}" and settings.wikipedia_url == "http://w"
    assert Settings.from_env({"FEEDBACK_DB_URL": "postgresql://u@h/db"}).feedback_db_url == "postgresql://u@h/db"
    assert not Settings.from_env({"IMAGE_FETCH_ALLOW_PRIVATE": "no"}).image_fetch_allow_private
    channels = ChannelSettings.from_env({"FB_ALLOW_SHA1_SIGNATURE": "on", "CHANNEL_OUTBOUND_TIMEOUT_S": "2.5"})
    assert channels.fb_allow_sha1 and channels.outbound_timeout_s == 2.5
    assert Path(settings.wikipedia_cache_path).is_absolute()
