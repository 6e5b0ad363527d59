"""The real action server over HTTP, called the way Rasa calls it, against a fake image host and Wikipedia.

Every bad image gets a friendly reply, and the server still answers the next request.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from PIL import Image

from actions.replies import CANNOT_OPEN, NO_IMAGE, NOT_REACHABLE, TOO_LARGE
from testkit.http_server import FakeHTTPServer, Reply
from testkit.processes import Server, action_call, action_webhook
from tests.conftest import FIXTURES
from tests.e2e.test_rest_conversation import BANANA_SUMMARY, serve_banana
from tests.images import encode, fixture_image


def run_action(server: Server, text: str = "/send_image", images: list[str] | None = None) -> list[str]:
    """POST an action call like Rasa 3.6 does; the texts the action wants to send."""
    call = action_call("action_classify_image", text, images or [], uuid.uuid4().hex)
    response = httpx.post(action_webhook(server), json=call, timeout=60)
    response.raise_for_status()
    return [r["text"] for r in response.json()["responses"]]


def endless(total: int) -> Iterator[bytes]:
    for _ in range(total // 65536):
        yield b"\xff" * 65536


@pytest.fixture(scope="module")
def bad_images(image_host: FakeHTTPServer) -> str:
    base = fixture_image()
    image_host.routes.update(
        {
            "/fruit.png": Reply(200, encode(base, "PNG"), {"Content-Type": "image/png"}),
            "/fruit.webp": Reply(200, encode(base, "WEBP"), {"Content-Type": "image/webp"}),
            "/huge.jpg": Reply(200, endless(50 * 1024 * 1024), {"Content-Type": "image/jpeg"}),
            "/bomb.png": Reply(200, encode(Image.new("1", (20000, 20000)), "PNG"), {"Content-Type": "image/png"}),
            "/doc.jpg": Reply(200, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj", {"Content-Type": "image/jpeg"}),
            "/gone.jpg": Reply(404, b"not found"),
            "/slow.jpg": Reply(200, encode(base, "JPEG"), delay_s=15),
        }
    )
    return image_host.url


def test_a_photo_is_named_with_its_summary(action_server: Server, image_host, fake_wikipedia) -> None:
    replies = run_action(action_server, images=[serve_banana(image_host, fake_wikipedia)])
    assert replies[0].startswith("Banana (") and BANANA_SUMMARY in replies[0]


@pytest.mark.parametrize("path", ["/fruit.png", "/fruit.webp"])
def test_png_and_webp_are_classified(action_server: Server, bad_images: str, path: str) -> None:
    replies = run_action(action_server, images=[bad_images + path])
    assert replies[0].startswith("Banana (")


@pytest.mark.parametrize(
    ("path", "reply"),
    [
        ("/huge.jpg", TOO_LARGE),
        ("/bomb.png", CANNOT_OPEN),
        ("/doc.jpg", CANNOT_OPEN),
        ("/gone.jpg", NOT_REACHABLE),
        ("/slow.jpg", NOT_REACHABLE),
    ],
)
def test_bad_images_get_a_friendly_reply_and_the_server_goes_on(
    action_server: Server, bad_images: str, image_host, fake_wikipedia, path: str, reply: str
) -> None:
    assert run_action(action_server, images=[bad_images + path]) == [reply]
    assert run_action(action_server, images=[serve_banana(image_host, fake_wikipedia)])[0].startswith("Banana (")


def test_every_photo_of_a_message_is_answered_in_order(action_server: Server, bad_images: str) -> None:
    replies = run_action(action_server, images=[bad_images + "/gone.jpg", bad_images + "/fruit.png"])
    assert replies[0] == NOT_REACHABLE and replies[1].startswith("Banana (")


def test_a_message_without_a_photo_is_asked_for_one(action_server: Server) -> None:
    assert run_action(action_server, text="/send_image") == [NO_IMAGE]


def test_health_reports_the_model_version(action_server: Server) -> None:
    health = httpx.get(f"{action_server.url}/health").json()
    assert health["status"] == "ok" and health["model_version"].startswith("fruits-")


@pytest.mark.parametrize(
    "wiki_reply",
    [Reply(500, b"oops"), Reply(200, b'{"title": "Strawberry", "extract": "too late"}', delay_s=8), "disambiguation"],
    ids=["500", "hang", "disambiguation"],
)
def test_a_wikipedia_outage_still_gets_the_classification(
    action_server: Server, image_host: FakeHTTPServer, fake_wikipedia: FakeHTTPServer, wiki_reply
) -> None:
    """In this order: 500 and a hang are not cached, a disambiguation page is (the next test uses another fruit)."""
    image_host.routes["/strawberry.jpg"] = Reply(200, (FIXTURES / "strawberry.jpg").read_bytes())
    if wiki_reply == "disambiguation":
        wiki_reply = Reply.json({"type": "disambiguation", "title": "Strawberry", "extract": "Strawberry may mean"})
    fake_wikipedia.routes["/page/summary/Strawberry"] = wiki_reply
    started = time.monotonic()
    [reply] = run_action(action_server, images=[f"{image_host.url}/strawberry.jpg"])
    assert re.fullmatch(r"Strawberry \(\d+ %\)", reply)
    assert time.monotonic() - started < 10
    assert run_action(action_server, images=[serve_banana(image_host, fake_wikipedia)])[0].startswith("Banana (")


def test_a_missing_wikipedia_page_still_gets_the_classification(
    action_server: Server, image_host: FakeHTTPServer
) -> None:
    image_host.routes["/lemon.jpg"] = Reply(200, (FIXTURES / "lemon.jpg").read_bytes())
    [reply] = run_action(action_server, images=[f"{image_host.url}/lemon.jpg"])  # the fake has no Lemon page: 404
    assert re.fullmatch(r"Lemon \(\d+ %\)", reply)
