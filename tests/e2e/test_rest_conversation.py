"""End to end over the REST channel: the real Rasa server and the real action server, a fake CDN and Wikipedia."""

from __future__ import annotations

import uuid

import httpx

from actions.replies import fruit_list
from classifier.labels import NOT_FRUIT, label_for
from classifier.predict import DEFAULT_MODEL, Predictor
from testkit.http_server import FakeHTTPServer, Reply
from testkit.processes import REST_HEADERS, Server
from tests.conftest import FIXTURES, bot_says

BANANA_SUMMARY = "The banana is an elongated, edible fruit produced by large herbaceous flowering plants."


def say(rasa: Server, text: str, metadata: dict | None = None, sender: str | None = None) -> list[str]:
    """POST one message like a REST client would; the bot's text replies."""
    payload = {"sender": sender or uuid.uuid4().hex, "message": text, "metadata": metadata or {}}
    response = httpx.post(f"{rasa.url}/webhook", json=payload, headers=REST_HEADERS, timeout=120)
    response.raise_for_status()
    return [message["text"] for message in response.json() if "text" in message]


def serve_banana(image_host: FakeHTTPServer, wikipedia: FakeHTTPServer) -> str:
    image_host.routes["/banana.jpg"] = Reply(
        200, (FIXTURES / "banana.jpg").read_bytes(), {"Content-Type": "image/jpeg"}
    )
    wikipedia.routes["/page/summary/Banana"] = Reply.json(
        {
            "type": "standard",
            "title": "Banana",
            "extract": BANANA_SUMMARY,
            "content_urls": {"desktop": {"page": "https://en.wikipedia.org/wiki/Banana"}},
        }
    )
    return f"{image_host.url}/banana.jpg"


def test_hi_gets_a_greeting_that_says_what_the_bot_does(rasa_server: Server) -> None:
    replies = say(rasa_server, "hi")
    assert len(replies) == 1 and replies[0] in bot_says("utter_greet")


def test_a_pasted_image_url_gets_the_fruit_name_confidence_and_summary(
    rasa_server: Server, image_host: FakeHTTPServer, fake_wikipedia: FakeHTTPServer
) -> None:
    replies = say(rasa_server, serve_banana(image_host, fake_wikipedia))
    assert len(replies) == 1
    assert replies[0].startswith("Banana (")
    assert " %)" in replies[0]
    assert BANANA_SUMMARY in replies[0]


def test_an_image_in_the_metadata_is_classified(
    rasa_server: Server, image_host: FakeHTTPServer, fake_wikipedia: FakeHTTPServer
) -> None:
    url = serve_banana(image_host, fake_wikipedia)
    replies = say(rasa_server, "/send_image", {"channel": "rest", "images": [{"url": url}]})
    assert replies and replies[0].startswith("Banana (")


def test_a_broken_image_gets_a_friendly_reply_and_the_server_keeps_answering(
    rasa_server: Server, image_host: FakeHTTPServer
) -> None:
    image_host.routes["/fake.jpg"] = Reply(200, b"%PDF-1.7 not an image", {"Content-Type": "image/jpeg"})
    replies = say(rasa_server, f"{image_host.url}/fake.jpg")
    assert replies == ["I couldn't open that picture — could you send it as a photo?"]
    assert say(rasa_server, "hello")


def feedback_rows(action_server: Server) -> list[dict]:
    from actions.services.feedback_store import FeedbackStore

    return list(FeedbackStore(action_server.env["FEEDBACK_DB_URL"]).rows())


def test_thumbs_up_is_stored_with_the_prediction(
    rasa_server: Server, action_server: Server, image_host: FakeHTTPServer, fake_wikipedia: FakeHTTPServer
) -> None:
    sender = uuid.uuid4().hex
    payload = {"sender": sender, "message": serve_banana(image_host, fake_wikipedia)}
    answer = httpx.post(f"{rasa_server.url}/webhook", json=payload, headers=REST_HEADERS, timeout=120).json()
    assert [b["payload"] for b in answer[-1]["buttons"]] == ["/affirm", "/deny"]
    before = len(feedback_rows(action_server))
    replies = say(rasa_server, "/affirm", sender=sender)
    assert len(replies) == 1 and "thank" in replies[0].lower()
    rows = feedback_rows(action_server)
    assert len(rows) == before + 1
    assert rows[-1]["user_says_right"] is True and rows[-1]["label"] == "Banana"


def test_thumbs_down_asks_for_the_name_and_stores_it(
    rasa_server: Server, action_server: Server, image_host: FakeHTTPServer, fake_wikipedia: FakeHTTPServer
) -> None:
    sender = uuid.uuid4().hex
    say(rasa_server, serve_banana(image_host, fake_wikipedia), sender=sender)
    asked = say(rasa_server, "wrong", sender=sender)
    assert len(asked) == 1 and "what" in asked[0].lower()
    thanks = say(rasa_server, "Plantain", sender=sender)
    assert len(thanks) == 1 and "thank" in thanks[0].lower()
    row = feedback_rows(action_server)[-1]
    assert row["user_says_right"] is False and row["corrected_name"] == "Plantain"


def test_asking_which_fruits_lists_the_models_kinds(rasa_server: Server) -> None:
    [reply] = say(rasa_server, "which fruits can you recognise?")
    names = {label_for(key).name for key in Predictor(DEFAULT_MODEL).vocab if key != NOT_FRUIT}
    assert reply == fruit_list(sorted(names))


def test_a_question_about_a_known_fruit_gets_its_summary_and_an_invitation(
    rasa_server: Server, fake_wikipedia: FakeHTTPServer
) -> None:
    fake_wikipedia.routes["/page/summary/Kumquat"] = Reply.json(
        {"type": "standard", "title": "Kumquat", "extract": "Kumquats are a group of small fruit-bearing trees."}
    )
    summary, invitation = say(rasa_server, "tell me about kumquats")  # Rasa sends each paragraph as a message
    assert summary == "Kumquats are a group of small fruit-bearing trees."
    assert invitation == "I can recognise kumquat in photos too: send me one!"


def test_a_question_about_a_fruit_the_model_does_not_know_says_so(
    rasa_server: Server, fake_wikipedia: FakeHTTPServer
) -> None:
    fake_wikipedia.routes["/page/summary/Durian"] = Reply.json(
        {"type": "standard", "title": "Durian", "extract": "The durian is the edible fruit of several tree species."}
    )
    summary, honesty = say(rasa_server, "what does a durian taste like?")
    assert summary == "The durian is the edible fruit of several tree species."
    assert honesty.startswith("I can't recognise durian in photos yet")


def test_a_question_while_wikipedia_is_down_gets_an_honest_answer(
    rasa_server: Server, fake_wikipedia: FakeHTTPServer
) -> None:
    fake_wikipedia.routes["/page/summary/Rambutan"] = Reply(503, b"down", {"Content-Type": "text/plain"})
    assert say(rasa_server, "what is a rambutan?") == [
        "I can't look rambutan up right now, but I do recognise it in photos: send me one!"
    ]
