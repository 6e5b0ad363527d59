"""The image fetcher against a real HTTP server on loopback."""

import asyncio
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from actions.services.address_guard import IPAddress, any_address
from actions.services.image_fetcher import FetchError, FetchFailure, ImageFetcher
from testkit.http_server import FakeHTTPServer, Reply
from tests.conftest import FIXTURES

JPEG = (FIXTURES / "banana.jpg").read_bytes()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=httpx.Timeout(1.0), follow_redirects=False) as client:
        yield client


def endless_chunks() -> Iterator[bytes]:
    for _ in range(50 * 1024):  # 50 MB in 1 kB chunks, if nobody stops reading
        yield b"\0" * 1024


async def test_an_image_is_downloaded(fake_http: FakeHTTPServer, client: httpx.AsyncClient) -> None:
    fake_http.routes["/a.jpg"] = Reply(200, JPEG, {"Content-Type": "image/jpeg"})
    assert await ImageFetcher(client, 10_000, allowed=any_address).fetch(f"{fake_http.url}/a.jpg") == JPEG


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
async def test_loopback_is_refused_without_the_allow_setting(fake_http: FakeHTTPServer, client, host: str) -> None:
    fake_http.routes["/a.jpg"] = Reply(200, JPEG)
    with pytest.raises(FetchError) as error:
        await ImageFetcher(client, 10_000).fetch(f"http://{host}:{fake_http.port}/a.jpg")
    assert error.value.reason is FetchFailure.BLOCKED_ADDRESS
    assert fake_http.requests == []


def loopback_only(address: IPAddress) -> bool:
    """A policy for tests: our fake servers' loopback stands in for the public internet, nothing else is."""
    return address.is_loopback


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/a.jpg"])
async def test_a_redirect_to_a_refused_address_is_not_followed(fake_http: FakeHTTPServer, client, target) -> None:
    fake_http.routes["/r"] = Reply(302, b"", {"Location": target})
    with pytest.raises(FetchError) as error:
        await ImageFetcher(client, 10_000, allowed=loopback_only).fetch(f"{fake_http.url}/r")
    assert error.value.reason is FetchFailure.BLOCKED_ADDRESS and "non-public" in str(error.value)
    assert [r.path for r in fake_http.requests] == ["/r"]  # the first hop was fetched, the redirect refused


async def test_the_checked_address_is_the_one_connected_to(fake_http: FakeHTTPServer, client) -> None:
    """DNS rebinding: a name that resolves to an allowed address first and to a refused one next."""
    fake_http.routes["/a.jpg"] = Reply(200, JPEG)
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])
    asked: list[str] = []

    async def rebinding(host: str, port: int) -> list[str]:
        asked.append(host)
        return next(answers)

    fetcher = ImageFetcher(client, 10_000, allowed=loopback_only, resolve=rebinding)
    assert await fetcher.fetch(f"http://cdn.example.test:{fake_http.port}/a.jpg") == JPEG
    assert asked == ["cdn.example.test"]  # resolved once; httpx did not resolve the name again
    assert fake_http.requests[0].headers["Host"] == f"cdn.example.test:{fake_http.port}"


async def test_a_name_resolving_to_any_refused_address_is_refused(client) -> None:
    async def mixed(host: str, port: int) -> list[str]:
        return ["127.0.0.1", "192.168.0.7"]

    with pytest.raises(FetchError) as error:
        await ImageFetcher(client, 10_000, allowed=loopback_only, resolve=mixed).fetch("http://mixed.test/a.jpg")
    assert error.value.reason is FetchFailure.BLOCKED_ADDRESS


async def test_redirects_are_followed_and_each_hop_checked(fake_http: FakeHTTPServer, client) -> None:
    fake_http.routes["/r"] = Reply(302, b"", {"Location": "/a.jpg"})
    fake_http.routes["/a.jpg"] = Reply(200, JPEG)
    assert await ImageFetcher(client, 10_000, allowed=any_address).fetch(f"{fake_http.url}/r") == JPEG


async def test_a_body_over_the_cap_is_cut_while_streaming(fake_http: FakeHTTPServer, client) -> None:
    fake_http.routes["/big"] = Reply(200, endless_chunks())
    with pytest.raises(FetchError) as error:
        await ImageFetcher(client, 100_000, allowed=any_address).fetch(f"{fake_http.url}/big")
    assert error.value.reason is FetchFailure.TOO_LARGE


async def test_a_declared_length_over_the_cap_is_refused_before_reading(fake_http: FakeHTTPServer, client) -> None:
    fake_http.routes["/big"] = Reply(200, b"\0" * 200_000)
    with pytest.raises(FetchError, match="declared"):
        await ImageFetcher(client, 100_000, allowed=any_address).fetch(f"{fake_http.url}/big")


@pytest.mark.parametrize(
    ("reply", "reason"),
    [(Reply(404, b"nope"), FetchFailure.HTTP_STATUS), (Reply(200, JPEG, delay_s=3), FetchFailure.TIMEOUT)],
)
async def test_errors_and_slow_hosts_become_fetch_errors(fake_http: FakeHTTPServer, client, reply, reason) -> None:
    fake_http.routes["/x"] = reply
    with pytest.raises(FetchError) as error:
        await ImageFetcher(client, 100_000, allowed=any_address).fetch(f"{fake_http.url}/x")
    assert error.value.reason is reason


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/a.jpg",
        "javascript:alert(1)",
        "http://",
        "http://[::1",
        "http://127.0.0.1:99999999/a.jpg",
        "http://127.0.0.1/" + "x" * 70_000,  # httpx: "URL too long", an InvalidURL and no HTTPError
    ],
)
async def test_only_http_urls_are_fetched(client, url: str) -> None:
    with pytest.raises(FetchError) as error:
        await ImageFetcher(client, 100_000, allowed=any_address).fetch(url)
    assert error.value.reason is FetchFailure.BAD_URL


async def test_a_slow_host_holds_up_only_its_own_downloads(fake_http: FakeHTTPServer, client) -> None:
    slow = FakeHTTPServer()
    try:
        slow.routes["/a.jpg"] = Reply(200, JPEG, delay_s=0.6)
        fake_http.routes["/b.jpg"] = Reply(200, JPEG)
        fetcher = ImageFetcher(client, 10_000, allowed=any_address, per_host=1)
        started = time.monotonic()

        async def timed(url: str) -> float:
            await fetcher.fetch(url)
            return time.monotonic() - started

        slow_times = asyncio.gather(*[timed(f"{slow.url}/a.jpg") for _ in range(3)])
        fast_time = await timed(f"{fake_http.url}/b.jpg")
        done = sorted(await slow_times)
        assert fast_time < 0.4  # not behind the slow host's queue
        assert done[-1] > 1.5  # the slow host's three downloads took turns (one slot per host)
    finally:
        slow.close()


def trickle() -> Iterator[bytes]:
    for _ in range(30):
        time.sleep(0.2)  # each chunk well within the read timeout, the whole far beyond the total one
        yield b"\xff" * 100


async def test_a_host_that_trickles_its_bytes_is_cut_at_the_total_timeout(fake_http: FakeHTTPServer, client) -> None:
    fake_http.routes["/slow.jpg"] = Reply(200, trickle())
    started = time.monotonic()
    with pytest.raises(FetchError) as error:
        await ImageFetcher(client, 100_000, allowed=any_address, total_timeout_s=1.0).fetch(f"{fake_http.url}/slow.jpg")
    assert error.value.reason is FetchFailure.TIMEOUT and time.monotonic() - started < 2
