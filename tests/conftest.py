"""Shared fixtures: fake outside services on loopback, and the real servers started on free ports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.http_server import FakeHTTPServer
from tests.processes import Server, start_action_server, start_rasa

FIXTURES = Path(__file__).parent / "fixtures"


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
def action_server(tmp_path_factory: pytest.TempPathFactory, fake_wikipedia: FakeHTTPServer) -> Iterator[Server]:
    server = start_action_server(tmp_path_factory.mktemp("actions"), {"WIKIPEDIA_URL": fake_wikipedia.url})
    yield server
    server.stop()


@pytest.fixture(scope="session")
def rasa_server(tmp_path_factory: pytest.TempPathFactory, action_server: Server) -> Iterator[Server]:
    server = start_rasa(tmp_path_factory.mktemp("rasa"), action_server.url)
    yield server
    server.stop()
