"""MessageIntake over a real SQLite inbox, with a fake conversation: messages answered in order per sender, a
failure (SystemExit included) tried again, an apology only once a message is given up, photos waiting while the
action server is down, and what a killed server left answered by the next one."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from channels.contract import IncomingMessage
from channels.guard import guarded
from channels.inbox import SQLiteInbox
from channels.intake import MessageIntake
from channels.replies import ReplyLog


class FakeConversation:
    """Answers each message after `delay_s`; fails the way its text says ("exit", "boom"), `fail_times` times.
    A text "two replies" gets two, the second after `second_after_s`; every reply sent is filed in `sent`."""

    def __init__(self, delay_s: float = 0.0, fail_times: int = 10**6, second_after_s: float = 0.0) -> None:
        self.answered: list[str] = []
        self.apologised: list[str] = []
        self.sent: list[str] = []
        self.delay_s, self.fail_times, self.failures, self.second_after_s = delay_s, fail_times, 0, second_after_s

    async def converse(self, incoming: IncomingMessage, replies: ReplyLog) -> None:
        await asyncio.sleep(self.delay_s)
        if incoming.text in ("exit", "boom") and self.failures < self.fail_times:
            self.failures += 1
            if incoming.text == "exit":
                raise SystemExit(1)  # what Rasa's SQL tracker store does on a ValueError
            raise RuntimeError("boom")
        await replies.send(partial(self._send, f"{incoming.message_id}: first"))
        if incoming.text == "two replies":
            await asyncio.sleep(self.second_after_s)
            await replies.send(partial(self._send, f"{incoming.message_id}: second"))
        self.answered.append(incoming.message_id)

    async def _send(self, reply: str) -> None:
        self.sent.append(reply)

    async def apologise(self, incoming: IncomingMessage) -> None:
        self.apologised.append(incoming.message_id)


def message(mid: str, text: str = "hi", sender: str = "42", photo: bool = False) -> IncomingMessage:
    images = [{"url": "https://cdn.example/a.jpg"}] if photo else []
    return IncomingMessage("messenger", sender, mid, text=text, images=images)


@pytest.fixture
async def started() -> AsyncIterator[list[MessageIntake]]:
    """Intakes a test starts; stopped at the end."""
    intakes: list[MessageIntake] = []
    yield intakes
    for intake in intakes:
        await intake.stop()


def intake_on(path: Path, conversation: FakeConversation, started: list[MessageIntake], **kw: Any) -> MessageIntake:
    intake = MessageIntake("messenger", conversation, SQLiteInbox(path, "messenger"), retry_s=0.05, **kw)
    intake.start()
    started.append(intake)
    return intake


async def test_each_senders_messages_are_answered_in_order_while_senders_run_side_by_side(tmp_path, started) -> None:
    conversation = FakeConversation(delay_s=0.05)
    intake = intake_on(tmp_path / "inbox.sqlite", conversation, started)
    for mid, sender in [("a1", "alice"), ("a2", "alice"), ("b1", "bob"), ("a3", "alice")]:
        assert await intake.accept(message(mid, sender=sender))
    await intake.drain()
    alice = [mid for mid in conversation.answered if mid.startswith("a")]
    assert alice == ["a1", "a2", "a3"] and conversation.answered.index("b1") < conversation.answered.index("a2")


async def test_redeliveries_and_empty_messages_are_not_stored(tmp_path, started) -> None:
    conversation = FakeConversation()
    intake = intake_on(tmp_path / "inbox.sqlite", conversation, started)
    assert await intake.accept(message("m1"))
    assert not await intake.accept(message("m1"))
    assert not await intake.accept(message("m2", text="  "))
    await intake.drain()
    assert conversation.answered == ["m1"] and conversation.apologised == []


@pytest.mark.parametrize("how", ["exit", "boom"])
async def test_a_failure_is_tried_again_and_then_answered_without_an_apology(tmp_path, started, how: str) -> None:
    conversation = FakeConversation(fail_times=2)
    intake = intake_on(tmp_path / "inbox.sqlite", conversation, started, max_attempts=3)
    await intake.accept(message("m1", text=how))
    await intake.accept(message("m2"))
    await intake.drain()
    assert conversation.answered == ["m1", "m2"] and conversation.apologised == []


async def test_a_message_that_always_fails_is_apologised_for_once_and_set_aside(tmp_path, started, caplog) -> None:
    conversation = FakeConversation()
    intake = intake_on(tmp_path / "inbox.sqlite", conversation, started, max_attempts=3)
    await intake.accept(message("m1", text="exit"))
    await intake.accept(message("m2"))
    await intake.accept(message("m3", sender="7"))
    await intake.drain()
    assert conversation.failures == 3 and conversation.apologised == ["m1"]
    assert sorted(conversation.answered) == ["m2", "m3"]
    assert "messenger message m1 failed 3 times: given up" in caplog.text


async def test_what_a_killed_server_left_is_answered_by_the_next_one(tmp_path, started) -> None:
    path = tmp_path / "inbox.sqlite"
    stalled = FakeConversation(delay_s=3600)  # the server is killed while it answers m1
    first = intake_on(path, stalled, started)
    await first.accept(message("m1"))
    await first.accept(message("m2"))
    await asyncio.sleep(0.2)
    for worker in first._workers:  # a SIGKILL: no clean stop, no release of the lease
        worker.cancel()
    conversation = FakeConversation()
    second = intake_on(path, conversation, started)
    await second.drain()
    assert conversation.answered == ["m1", "m2"]


async def test_a_message_begun_again_after_a_crash_sends_only_the_replies_not_yet_sent(tmp_path, started) -> None:
    path = tmp_path / "inbox.sqlite"
    stalled = FakeConversation(second_after_s=3600)  # killed between its first and its second reply
    first = intake_on(path, stalled, started)
    await first.accept(message("m1", text="two replies"))
    await first.accept(message("m2", text="two replies"))
    await asyncio.sleep(0.3)
    for worker in first._workers:
        worker.cancel()
    assert stalled.sent == ["m1: first"]
    conversation = FakeConversation()
    second = intake_on(path, conversation, started)
    await second.drain()
    assert conversation.sent == ["m1: second", "m2: first", "m2: second"]
    assert conversation.answered == ["m1", "m2"]


async def test_a_message_that_kills_the_server_every_time_is_given_up_after_the_last_attempt(tmp_path, started) -> None:
    path = tmp_path / "inbox.sqlite"
    inbox = SQLiteInbox(path, "messenger")
    await inbox.put(message("poison"))
    for _ in range(3):  # three servers began it and died
        await inbox.begin(message("poison"))
    conversation = FakeConversation()
    intake = intake_on(path, conversation, started, max_attempts=3)
    await intake.drain()
    assert conversation.answered == [] and conversation.apologised == ["poison"]


async def test_photos_wait_while_the_action_server_is_down(tmp_path, started, caplog) -> None:
    up = asyncio.Event()

    async def ready(incoming: IncomingMessage) -> bool:
        return up.is_set() or not incoming.images

    conversation = FakeConversation()
    intake = intake_on(tmp_path / "inbox.sqlite", conversation, started, ready=ready)
    await intake.accept(message("photo", photo=True))
    await intake.accept(message("text", sender="7"))
    await asyncio.sleep(1.2)  # idle workers poll the inbox meanwhile, quietly
    assert conversation.answered == ["text"]  # the photo waits; other senders' texts do not
    up.set()
    await intake.drain()
    assert conversation.answered == ["text", "photo"] and conversation.apologised == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_photo_that_waits_too_long_gets_an_apology(tmp_path, started) -> None:
    async def never(incoming: IncomingMessage) -> bool:
        return False

    conversation = FakeConversation()
    intake = intake_on(tmp_path / "inbox.sqlite", conversation, started, ready=never, max_wait_s=0.3)
    await intake.accept(message("photo", photo=True))
    await intake.drain()
    assert conversation.apologised == ["photo"] and conversation.answered == []


async def test_guarded_lets_cancellation_through_and_logs_the_rest(caplog) -> None:
    async def forever() -> None:
        await asyncio.sleep(3600)

    task = asyncio.create_task(guarded("a job", forever))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    async def exits() -> None:
        raise SystemExit(1)

    with caplog.at_level(logging.ERROR):
        assert not await guarded("job m9", exits)
    assert "job m9 failed" in caplog.text
