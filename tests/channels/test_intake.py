"""MessageIntake and its safety net with a fake conversation: whatever one message does, SystemExit included,
the others are answered, the failed one gets an apology, and its sender's queue goes on."""

from __future__ import annotations

import asyncio
import logging

import pytest

from channels.contract import IncomingMessage
from channels.guard import guarded
from channels.intake import MessageIntake
from channels.ordered_tasks import OrderedTasks


class FakeConversation:
    """Answers "hi"; `text` names how to fail ("exit", "boom"); records answers and apologies."""

    def __init__(self, apology_fails: bool = False) -> None:
        self.answered: list[str] = []
        self.apologised: list[str] = []
        self.apology_fails = apology_fails

    async def converse(self, incoming: IncomingMessage) -> None:
        await asyncio.sleep(0)
        if incoming.text == "exit":
            raise SystemExit(1)  # what Rasa's SQL tracker store does on a ValueError
        if incoming.text == "boom":
            raise RuntimeError("boom")
        self.answered.append(incoming.message_id)

    async def apologise(self, incoming: IncomingMessage) -> None:
        if self.apology_fails:
            raise ConnectionError("the Graph API is down too")
        self.apologised.append(incoming.message_id)


def message(mid: str, text: str = "hi", sender: str = "42") -> IncomingMessage:
    return IncomingMessage("messenger", sender, mid, text=text)


async def test_a_message_that_exits_is_apologised_for_and_the_next_ones_answered(caplog) -> None:
    conversation = FakeConversation()
    intake = MessageIntake("messenger", conversation)
    for incoming in [message("m1", "exit"), message("m2"), message("m3", "boom"), message("m4", sender="7")]:
        assert intake.accept(incoming)
    await intake.tasks.drain()
    assert conversation.answered == ["m4", "m2"] or conversation.answered == ["m2", "m4"]
    assert conversation.apologised == ["m1", "m3"]
    failures = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage() for r in failures] == ["messenger message m1 failed", "messenger message m3 failed"]


async def test_a_failing_apology_is_logged_and_swallowed_too(caplog) -> None:
    conversation = FakeConversation(apology_fails=True)
    intake = MessageIntake("messenger", conversation)
    intake.accept(message("m1", "exit"))
    intake.accept(message("m2"))
    await intake.tasks.drain()
    assert conversation.answered == ["m2"]
    assert "the apology for messenger message m1 failed too" in caplog.text


async def test_redeliveries_and_empty_messages_are_not_queued() -> None:
    conversation = FakeConversation()
    intake = MessageIntake("messenger", conversation)
    assert intake.accept(message("m1"))
    assert not intake.accept(message("m1"))
    assert not intake.accept(message("m2", text="  "))
    await intake.tasks.drain()
    assert conversation.answered == ["m1"]


async def test_guarded_lets_cancellation_through() -> None:
    async def forever() -> None:
        await asyncio.sleep(3600)

    task = asyncio.create_task(guarded("a job", forever))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_a_sender_queue_survives_a_job_that_exits() -> None:
    tasks, done = OrderedTasks(), []

    async def exits() -> None:
        raise SystemExit(1)

    async def ok() -> None:
        done.append(True)

    tasks.submit("s", exits)
    tasks.submit("s", ok)
    await tasks.drain()
    tasks.submit("s", ok)  # the sender's queue was cleaned up: a new worker takes the next job
    await tasks.drain()
    assert done == [True, True]
