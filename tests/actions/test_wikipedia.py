"""The Wikipedia client against a fake Wikipedia on loopback."""

import time
from collections.abc import AsyncIterator

import httpx
import pytest

from actions.services.summary_cache import SummaryCache
from actions.services.wikipedia import WikipediaClient
from testkit.http_server import FakeHTTPServer, Reply

PAGE = {
    "type": "standard",
    "title": "Lime (fruit)",
    "extract": "A lime is a citrus fruit.",
    "content_urls": {"desktop": {"page": "https://en.wikipedia.org/wiki/Lime_(fruit)"}},
}


@pytest.fixture
async def wiki(fake_http: FakeHTTPServer, tmp_path) -> AsyncIterator[WikipediaClient]:
    async with httpx.AsyncClient() as client:
        yield WikipediaClient(client, fake_http.url, 0.5, SummaryCache(tmp_path / "cache.sqlite", ttl_s=60))


async def test_a_page_summary_is_returned_and_cached(wiki: WikipediaClient, fake_http: FakeHTTPServer) -> None:
    fake_http.routes["/page/summary/Lime_(fruit)"] = Reply.json(PAGE)
    first = await wiki.summary("Lime (fruit)")
    second = await wiki.summary("Lime (fruit)")
    assert first == second
    assert first is not None and first.extract == "A lime is a citrus fruit."
    assert first.url == "https://en.wikipedia.org/wiki/Lime_(fruit)"
    assert len(fake_http.requests) == 1


async def test_a_missing_page_gives_none_and_is_cached(wiki: WikipediaClient, fake_http: FakeHTTPServer) -> None:
    assert await wiki.summary("Nonexistent fruit") is None
    assert await wiki.summary("Nonexistent fruit") is None
    assert len(fake_http.requests) == 1


async def test_a_disambiguation_page_gives_none(wiki: WikipediaClient, fake_http: FakeHTTPServer) -> None:
    fake_http.routes["/page/summary/Date"] = Reply.json({**PAGE, "type": "disambiguation", "extract": "Date may be"})
    assert await wiki.summary("Date") is None


async def test_a_redirect_is_followed(wiki: WikipediaClient, fake_http: FakeHTTPServer) -> None:
    fake_http.routes["/page/summary/Kaki"] = Reply(302, b"", {"Location": "/page/summary/Persimmon"})
    fake_http.routes["/page/summary/Persimmon"] = Reply.json({**PAGE, "title": "Persimmon", "extract": "Persimmons."})
    summary = await wiki.summary("Kaki")
    assert summary is not None and summary.title == "Persimmon"


@pytest.mark.parametrize("reply", [Reply(500, b"oops"), Reply(200, b"{broken json")])
async def test_an_outage_gives_none_and_is_not_cached(wiki: WikipediaClient, fake_http: FakeHTTPServer, reply) -> None:
    fake_http.routes["/page/summary/Banana"] = reply
    assert await wiki.summary("Banana") is None
    fake_http.routes["/page/summary/Banana"] = Reply.json(PAGE)
    assert await wiki.summary("Banana") is not None


async def test_a_hanging_wikipedia_costs_at_most_the_timeout(wiki: WikipediaClient, fake_http: FakeHTTPServer) -> None:
    fake_http.routes["/page/summary/Banana"] = Reply.json(PAGE)
    fake_http.routes["/page/summary/Banana"].delay_s = 5
    started = time.monotonic()
    assert await wiki.summary("Banana") is None
    assert time.monotonic() - started < 1.5
