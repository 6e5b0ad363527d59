"""Shared fixtures: fake outside services on loopback, and the real servers started on free ports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from testkit.http_server import FakeHTTPServer, Reply
from testkit.processes import Server, start_action_server, start_rasa
from testkit.stores import Store, start_postgres, start_redis

FIXTURES = Path(__file__).parent / "fixtures"
DOMAIN = Path(__file__).parents[1] / "rasa_project" / "domain.yml"


def bot_says(response: str) -> set[str]:
    """The texts of one of the domain's responses (e.g. "utter_help"): what the bot may answer."""
    return {variant["text"] for variant in yaml.safe_load(DOMAIN.read_text())["responses"][response]}


FB_GRAPH_VERSION = "v99.0"
MESSENGER_ENV = {
    "FB_VERIFY_TOKEN": "verify-me",
    "FB_APP_SECRET": "app-secret-for-tests",
    "FB_PAGE_ACCESS_TOKEN": "page-token-for-tests",
    "FB_GRAPH_VERSION": FB_GRAPH_VERSION,
}
TELEGRAM_TOKEN = "123456789:AAE-test-token-that-must-never-leak"
TELEGRAM_ENV = {"TELEGRAM_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_SECRET_TOKEN": "tg-secret-for-tests"}


@pytest.fixture
def fake_http() -> Iterator[FakeHTTPServer]:
    server = FakeHTTPServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def image_host() -> Iterator[FakeHTTPServer]:
    """A fake image CDN; tests add their own routes."""
    server = FakeHTTPServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def fake_wikipedia() -> Iterator[FakeHTTPServer]:
    """A fake Wikipedia REST API (base URL = its url); tests add pages under /page/summary/<Title>."""
    server = FakeHTTPServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def fake_bot_api() -> Iterator[FakeHTTPServer]:
    """A fake Telegram Bot API: records sendMessage & co; serves getFile and file downloads added by tests."""
    server = FakeHTTPServer()
    for method in ("sendMessage", "sendChatAction", "answerCallbackQuery"):
        server.routes[f"/bot{TELEGRAM_TOKEN}/{method}"] = Reply.json({"ok": True, "result": True})
    yield server
    server.close()


@pytest.fixture(scope="session")
def action_server(
    tmp_path_factory: pytest.TempPathFactory, fake_wikipedia: FakeHTTPServer, fake_bot_api: FakeHTTPServer
) -> Iterator[Server]:
    env = {
        "WIKIPEDIA_URL": fake_wikipedia.url,
        "IMAGE_TIMEOUT_S": "3",
        "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_API_URL": fake_bot_api.url,
    }
    server = start_action_server(tmp_path_factory.mktemp("actions"), env)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def fake_graph_api() -> Iterator[FakeHTTPServer]:
    """A fake Meta Graph API: records every request; tests may make it answer 500/429."""
    server = FakeHTTPServer()
    server.routes[f"/{FB_GRAPH_VERSION}/me/messages"] = Reply.json({"recipient_id": "x", "message_id": "m_out"})
    yield server
    server.close()


@pytest.fixture(scope="session")
def rasa_server(
    tmp_path_factory: pytest.TempPathFactory,
    action_server: Server,
    fake_graph_api: FakeHTTPServer,
    fake_bot_api: FakeHTTPServer,
) -> Iterator[Server]:
    """The real Rasa server with every channel switched on (REST, Messenger, Telegram), fakes behind them."""
    env = {**MESSENGER_ENV, "FB_GRAPH_URL": fake_graph_api.url, **TELEGRAM_ENV, "TELEGRAM_API_URL": fake_bot_api.url}
    server = start_rasa(tmp_path_factory.mktemp("rasa"), action_server.url, env)
    yield server
    server.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test is `e2e` (starts real servers: tests/e2e), `training` (trains a model) or `unit` (the rest):
    `make test-fast` runs the unit tests only, `make test` all of them."""
    for item in items:
        path = Path(str(item.fspath))
        if "e2e" in path.parts:
            item.add_marker(pytest.mark.e2e)
        elif path.name == "test_training_roundtrip.py":
            item.add_marker(pytest.mark.training)
        else:
            item.add_marker(pytest.mark.unit)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A real redis-server on a free loopback port (Debian's package)."""
    store = start_redis(tmp_path_factory.mktemp("redis"))
    yield store
    store.stop()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Store]:
    """A real PostgreSQL server on a free loopback port (Debian's package), database `fruitbot`."""
    store = start_postgres()
    yield store
    store.stop()
