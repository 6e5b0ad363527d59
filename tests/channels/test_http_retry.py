"""post_json against a fake server on loopback: what is retried, what is not, and that a 2xx is sent once."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from channels.http_retry import post_json
from testkit.http_server import FakeHTTPServer, Reply


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=1.0)) as session:
        yield session


def sequence(*replies: Reply):
    """A route answering `replies` in turn (the last one again after that)."""
    answers = list(replies)
    return lambda request: answers.pop(0) if len(answers) > 1 else answers[0]


@pytest.mark.parametrize(
    "reply", [Reply(200, b"not json"), Reply(200, b""), Reply(204, b""), Reply(200, b"[1]"), Reply(201, b"{")]
)
async def test_any_2xx_is_sent_once_whatever_its_body(fake_http: FakeHTTPServer, session, reply: Reply) -> None:
    fake_http.routes["/send"] = reply
    assert await post_json(session, f"{fake_http.url}/send", {"text": "hi"}, backoff_s=0) == {}
    assert len(fake_http.requests) == 1


async def test_the_json_answer_is_returned(fake_http: FakeHTTPServer, session) -> None:
    fake_http.routes["/send"] = Reply.json({"message_id": "m_9"})
    assert await post_json(session, f"{fake_http.url}/send", {}) == {"message_id": "m_9"}


async def test_5xx_and_429_are_retried_then_sent(fake_http: FakeHTTPServer, session) -> None:
    fake_http.routes["/send"] = sequence(Reply(503, b"busy"), Reply(429, b"", {"Retry-After": "0"}), Reply.json({}))
    assert await post_json(session, f"{fake_http.url}/send", {"n": 1}, backoff_s=0) == {}
    assert len(fake_http.requests) == 3


async def test_retries_are_bounded(fake_http: FakeHTTPServer, session, caplog) -> None:
    fake_http.routes["/send"] = Reply(500, b'{"error": "down"}')
    assert await post_json(session, f"{fake_http.url}/send", {}, attempts=3, backoff_s=0, what="graph send") is None
    assert len(fake_http.requests) == 3 and "graph send failed after 3 attempts: HTTP 500 down" in caplog.text


async def test_a_4xx_is_not_retried(fake_http: FakeHTTPServer, session) -> None:
    fake_http.routes["/send"] = Reply(400, b'{"description": "chat not found"}')
    assert await post_json(session, f"{fake_http.url}/send", {}, backoff_s=0) is None
    assert len(fake_http.requests) == 1


async def test_a_timeout_is_retried(fake_http: FakeHTTPServer, session) -> None:
    fake_http.routes["/send"] = sequence(Reply(200, b"{}", delay_s=1.5), Reply.json({"ok": True}))
    assert await post_json(session, f"{fake_http.url}/send", {}, backoff_s=0) == {"ok": True}


async def test_secret_params_are_never_logged(fake_http: FakeHTTPServer, session, caplog) -> None:
    fake_http.routes["/send"] = Reply(403, b"no")
    await post_json(session, f"{fake_http.url}/send", {}, params={"access_token": "s3cr3t-token"})
    assert "s3cr3t-token" not in caplog.text
