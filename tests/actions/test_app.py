"""The action server in-process (create_app + Sanic's ASGI test client): routes, token, action calls, the slot that
👍/👎 refer to, message ids in the log, and the runtime closed when the server stops."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sanic import Sanic

from actions.app import create_app
from actions.replies import CANNOT_OPEN, LOCAL_FILES_IN_SHELL_ONLY, MISSING_FILE, NOT_REACHABLE, WHICH_FRUIT
from actions.settings import Settings
from classifier.predict import DEFAULT_MODEL, Predictor
from common import log_context
from testkit.http_server import FakeHTTPServer, Reply
from testkit.processes import action_call
from tests.conftest import FIXTURES

TOKEN = "in-process-token"


@pytest.fixture(scope="module")
def predictor() -> Predictor:
    return Predictor(DEFAULT_MODEL)


@pytest.fixture(scope="module")
def images() -> Iterator[FakeHTTPServer]:
    server = FakeHTTPServer()
    server.routes["/banana.jpg"] = Reply(200, (FIXTURES / "banana.jpg").read_bytes())
    server.routes["/milk.jpg"] = Reply(200, (FIXTURES / "milk_carton.jpg").read_bytes())
    server.routes["/doc.jpg"] = Reply(200, b"%PDF-1.7 not an image")
    yield server
    server.close()


@pytest.fixture
def settings(tmp_path: Path, images: FakeHTTPServer) -> Settings:
    return Settings(
        actions_token=TOKEN,
        image_fetch_allow_private=True,
        image_timeout_s=3,
        wikipedia_url=images.url,  # no pages there: every summary is a 404, which is cached as "no page"
        wikipedia_cache_path=tmp_path / "wiki.sqlite",
        feedback_db_url=f"sqlite:///{tmp_path / 'feedback.sqlite'}",
    )


@pytest.fixture
def app(settings: Settings, predictor: Predictor) -> Sanic:
    return create_app(settings, predictor, name=f"actions_{uuid.uuid4().hex[:8]}")


async def call(app: Sanic, images: list[str], message_id: str = "m_1", token: str | None = TOKEN) -> dict:
    body = action_call("action_classify_image", "/send_image", images)
    body["tracker"]["latest_message"]["message_id"] = message_id
    query = f"?token={token}" if token is not None else ""
    _, response = await app.asgi_client.post(f"/webhook{query}", json=body)
    assert response.status == 200, response.text
    return response.json


async def test_health_is_a_route_with_the_model_version(app: Sanic, predictor: Predictor) -> None:
    _, response = await app.asgi_client.get("/health")
    assert response.json == {"status": "ok", "model_version": predictor.version}
    _, response = await app.asgi_client.get("/nothing-here")
    assert response.status == 404  # /health is a route, not a middleware answering every path


@pytest.mark.parametrize("token", [None, "", "wrong", "in-process-token-not"])
async def test_an_action_call_without_the_token_is_refused(app: Sanic, token: str | None) -> None:
    query = "" if token is None else f"?token={token}"
    _, response = await app.asgi_client.post(f"/webhook{query}", json=action_call("action_list_fruits", "hi", []))
    assert response.status == 401


async def test_without_a_token_configured_any_caller_is_served(settings: Settings, predictor: Predictor) -> None:
    app = create_app(replace(settings, actions_token=None), predictor, name="actions_open")
    _, response = await app.asgi_client.post("/webhook", json=action_call("action_list_fruits", "hi", []))
    assert response.status == 200 and response.json["responses"][0]["text"].startswith("I know ")


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "null"])
async def test_a_body_that_is_no_object_is_400(app: Sanic, body: str) -> None:
    _, response = await app.asgi_client.post(f"/webhook?token={TOKEN}", content=body)
    assert response.status == 400


async def test_an_unknown_action_is_404(app: Sanic) -> None:
    _, response = await app.asgi_client.post(f"/webhook?token={TOKEN}", json=action_call("action_nope", "x", []))
    assert response.status == 404


async def test_a_photo_is_named_and_its_prediction_is_what_thumbs_refer_to(app: Sanic, images) -> None:
    result = await call(app, [f"{images.url}/banana.jpg"])
    [answer] = result["responses"]
    assert answer["text"].startswith("Banana (") and [b["payload"] for b in answer["buttons"]] == ["/affirm", "/deny"]
    [slot] = result["events"]
    assert slot["name"] == "prediction_id" and slot["value"].isdigit()


@pytest.mark.parametrize(
    ("paths", "buttons"),
    [
        (["/banana.jpg", "/doc.jpg"], [False, False]),  # the last photo is broken: nothing to ask about
        (["/banana.jpg", "/milk.jpg"], [False, False]),  # the last is not a fruit: nothing to ask about
        (["/doc.jpg", "/banana.jpg"], [False, True]),
        (["/gone.jpg", "/banana.jpg", "/banana.jpg"], [False, False, True]),
    ],
)
async def test_thumbs_are_asked_only_about_the_last_photo_and_only_when_it_names_a_fruit(
    app: Sanic, images: FakeHTTPServer, paths: list[str], buttons: list[bool]
) -> None:
    result = await call(app, [images.url + path for path in paths])
    assert [bool(r["buttons"]) for r in result["responses"]] == buttons
    [slot] = result["events"]
    assert (slot["value"] is not None) == buttons[-1]  # the slot never points at a photo nobody was asked about


async def test_every_failure_is_a_reply_in_order(app: Sanic, images: FakeHTTPServer) -> None:
    result = await call(app, [f"{images.url}/doc.jpg", f"{images.url}/gone.jpg"])
    assert [r["text"] for r in result["responses"]] == [CANNOT_OPEN, NOT_REACHABLE]


async def test_log_lines_of_an_action_call_carry_the_message_id(
    app: Sanic, images: FakeHTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    prefix = log_context.MessageIdFilter()  # what log_context.install() adds to the server's log handlers
    caplog.handler.addFilter(prefix)
    try:
        with caplog.at_level(logging.INFO):
            await call(app, [f"{images.url}/gone.jpg"], message_id="m_trace_42")
    finally:
        caplog.handler.removeFilter(prefix)  # pytest reuses this handler for every test
    [line] = [r.getMessage() for r in caplog.records if "image not fetched" in r.getMessage()]
    assert line.startswith("[m_trace_42] image not fetched (http_status)")


async def test_the_runtime_is_closed_when_the_server_stops(app: Sanic) -> None:
    await app.asgi_client.get("/health")  # one start and stop of the server
    runtime = app.ctx.runtime
    assert runtime.fetcher.client.is_closed and runtime.wikipedia.client.is_closed
    assert runtime.pool._shutdown


async def run_action(app: Sanic, name: str, text: str, channel: str | None = None, **latest: object) -> list[str]:
    body = action_call(name, text, [])
    body["tracker"]["latest_message"].update(latest)
    if channel is not None:
        body["tracker"]["events"] = [{"event": "user", "text": text, "input_channel": channel}]
    _, response = await app.asgi_client.post(f"/webhook?token={TOKEN}", json=body)
    assert response.status == 200, response.text
    return [r["text"] for r in response.json["responses"]]


def page(title: str, extract: str) -> Reply:
    url = f"https://en.wikipedia.org/wiki/{title}"
    return Reply.json(
        {"type": "standard", "title": title, "extract": extract, "content_urls": {"desktop": {"page": url}}}
    )


async def test_a_question_about_a_fruit_we_know_gets_its_summary(app: Sanic, images: FakeHTTPServer) -> None:
    images.routes["/page/summary/Kumquat"] = page("Kumquat", "Kumquats are small fruit-bearing trees.")
    [reply] = await run_action(app, "action_describe_fruit", "tell me about kumquats", entities=[])
    assert reply.startswith("Kumquats are small fruit-bearing trees.") and "recognise kumquat in photos" in reply
    assert "More: https://en.wikipedia.org/wiki/Kumquat" in reply


async def test_a_fruit_we_do_not_know_gets_its_summary_when_wikipedia_has_one(app: Sanic, images) -> None:
    images.routes["/page/summary/Jabuticaba"] = page("Jabuticaba", "Plinia cauliflora is a tree in the myrtle family.")
    [reply] = await run_action(app, "action_describe_fruit", "what is a jabuticaba?", entities=[])
    assert reply.startswith("Plinia cauliflora") and "can't recognise jabuticaba in photos yet" in reply


async def test_a_name_wikipedia_does_not_know_gets_an_honest_answer(app: Sanic) -> None:
    [reply] = await run_action(app, "action_describe_fruit", "what is a zorblefruit?", entities=[])
    assert reply.startswith("I don't know zorblefruit, sorry!")


async def test_with_wikipedia_down_the_bot_says_so(settings: Settings, predictor: Predictor) -> None:
    down = create_app(replace(settings, wikipedia_url="http://127.0.0.1:9"), predictor, name="actions_wiki_down")
    [reply] = await run_action(down, "action_describe_fruit", "what is a rambutan?", entities=[])
    assert reply == "I can't look rambutan up right now, but I do recognise it in photos: send me one!"


async def test_no_fruit_named_gets_a_question_back(app: Sanic) -> None:
    assert await run_action(app, "action_describe_fruit", "what is it?", entities=[]) == [WHICH_FRUIT]


@pytest.fixture
def shell_app(settings: Settings, predictor: Predictor) -> Sanic:
    return create_app(replace(settings, shell_local_files=True), predictor, name=f"shell_{uuid.uuid4().hex[:6]}")


@pytest.mark.parametrize(
    "typed",
    [str(FIXTURES / "banana.jpg"), f"file://{FIXTURES / 'banana.jpg'}", f'"{FIXTURES / "banana.jpg"}"'],
)
async def test_in_the_shell_a_local_photo_is_read_and_named(shell_app: Sanic, typed: str) -> None:
    [reply] = await run_action(shell_app, "action_classify_image", f"what is {typed}", channel="cmdline")
    assert reply.startswith("Banana (")


async def test_in_the_shell_a_missing_or_unreadable_file_gets_a_clear_reply(shell_app: Sanic, tmp_path: Path) -> None:
    assert await run_action(shell_app, "action_classify_image", "/no/such/photo.jpg", channel="cmdline") == [
        MISSING_FILE
    ]
    folder = tmp_path / "looks_like.jpg"
    folder.mkdir()
    assert await run_action(shell_app, "action_classify_image", str(folder), channel="cmdline") == [CANNOT_OPEN]


@pytest.mark.parametrize("channel", ["rest", "facebook", "telegram", None])
async def test_no_other_channel_can_make_the_server_read_a_local_file(shell_app: Sanic, channel: str | None) -> None:
    """The photo is a banana: a reply naming it would mean the file was read."""
    replies = await run_action(shell_app, "action_classify_image", str(FIXTURES / "banana.jpg"), channel=channel)
    assert replies == [LOCAL_FILES_IN_SHELL_ONLY]


async def test_without_the_setting_even_the_shell_cannot(app: Sanic) -> None:
    replies = await run_action(app, "action_classify_image", str(FIXTURES / "banana.jpg"), channel="cmdline")
    assert replies == [LOCAL_FILES_IN_SHELL_ONLY]
