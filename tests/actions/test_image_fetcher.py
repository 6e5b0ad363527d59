"""The image fetcher against a real HTTP server on loopback."""

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from actions.services.image_fetcher import FetchError, ImageFetcher
from tests.conftest import FIXTURES
from tests.fakes.http_server import FakeHTTPServer, Reply

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
    assert await ImageFetcher(client, 10_000, allow_private=True).fetch(f"{fake_http.url}/a.jpg") == JPEG


async def test_loopback_is_refused_without_the_allow_setting(fake_http: FakeHTTPServer, client) -> None:
    fake_http.routes["/a.jpg"] = Reply(200, JPEG)
    with pytest.raises(FetchError) as error:
        await ImageFetcher(client, 10_000).fetch(f"{fake_http.url}/a.jpg")
    assert error.value.reason == "blocked_address"
    assert fake_http.requests == []


async def test_a_redirect_to_a_private_address_is_refused(fake_http: FakeHTTPServer, client) -> None:
    fake_http.routes["/r"] = Reply(302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"})
    with pytest.raises(FetchError) as error:
        await ImageFetcher(client, 10_000, allow_private=False).fetch(
            f"{fake_http.url}/r".replace("127.0.0.1", "localhost")
        )
    assert error.value.reason == "blocked_address"


async def test_redirects_are_followed_and_each_hop_checked(fake_http: FakeHTTPServer, client) -> None:
    fake_http.routes["/r"] = Reply(302, b"", {"Location": "/a.jpg"})
    fake_http.routes["/a.jpg"] = Reply(200, JPEG)
    assert await ImageFetcher(client, 10_000, allow_private=True).fetch(f"{fake_http.url}/r") == JPEG


async def test_a_body_over_the_cap_is_cut_while_streaming(fake_http: FakeHTTPServer, client) -> None:
    fake_http.routes["/big"] = Reply(200, endless_chunks())
    with pytest.raises(FetchError) as error:
        await ImageFetcher(client, 100_000, allow_private=True).fetch(f"{fake_http.url}/big")
    assert error.value.reason == "too_large"


async def test_a_declared_length_over_the_cap_is_refused_before_reading(fake_http: FakeHTTPServer, client) -> None:
    fake_http.routes["/big"] = Reply(200, b"\0" * 200_000)
    with pytest.raises(FetchError, match="declared"):
        await ImageFetcher(client, 100_000, allow_private=True).fetch(f"{fake_http.url}/big")


@pytest.mark.parametrize(
    ("reply", "reason"), [(Reply(404, b"nope"), "http_status"), (Reply(200, JPEG, delay_s=3), "timeout")]
)
async def test_errors_and_slow_hosts_become_fetch_errors(fake_http: FakeHTTPServer, client, reply, reason) -> None:
    fake_http.routes["/x"] = reply
    with pytest.raises(FetchError) as error:
        await ImageFetcher(client, 100_000, allow_private=True).fetch(f"{fake_http.url}/x")
    assert error.value.reason == reason


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
        await ImageFetcher(client, 100_000, allow_private=True).fetch(url)
    assert error.value.reason == "bad_url"
