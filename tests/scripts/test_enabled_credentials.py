"""scripts/enabled_credentials.py: which channels `make serve` opens for a given environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from testkit.processes import ROOT

REST = "channels.rest.channel.RestInput"
MESSENGER = "channels.messenger.channel.MessengerInput"
TELEGRAM = "channels.telegram.channel.TelegramInput"
SWITCHES = ("REST_TOKEN", "HOST", "FB_PAGE_ACCESS_TOKEN", "TELEGRAM_TOKEN")


def opened(tmp_path: Path, **env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in SWITCHES}
    out = tmp_path / "credentials.yml"
    script = [sys.executable, "scripts/enabled_credentials.py", "credentials.yml", str(out)]
    subprocess.run(script, cwd=ROOT, env={**clean, **env}, check=True, capture_output=True, timeout=30)
    return yaml.safe_load(out.read_text())


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "::", "example.org", ""])
def test_rest_is_closed_on_a_public_interface_without_a_token(tmp_path: Path, host: str) -> None:
    assert REST not in opened(tmp_path, HOST=host)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_rest_is_open_without_a_token_on_loopback(tmp_path: Path, host: str) -> None:
    assert opened(tmp_path, HOST=host) == {REST: None}


def test_with_a_token_rest_is_open_anywhere_and_asks_for_it(tmp_path: Path) -> None:
    assert opened(tmp_path, HOST="0.0.0.0", REST_TOKEN="s3cret") == {REST: {"token": "${REST_TOKEN}"}}


def test_messenger_and_telegram_follow_their_switches(tmp_path: Path) -> None:
    channels = opened(tmp_path, HOST="0.0.0.0", FB_PAGE_ACCESS_TOKEN="x", TELEGRAM_TOKEN="y")
    assert set(channels) == {MESSENGER, TELEGRAM}
