"""Both inbox stores, SQLite and Redis (a real redis-server), against the same expectations."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from channels.contract import IncomingMessage
from channels.inbox import Inbox, SQLiteInbox
from channels.redis_inbox import RedisInbox
from testkit.stores import Store


def message(mid: str, sender: str = "42", text: str = "hi") -> IncomingMessage:
    return IncomingMessage("messenger", sender, mid, text=text, images=[{"url": "https://cdn.example/a.jpg"}])


@pytest.fixture(params=["sqlite", "redis"])
async def inbox(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Inbox]:
    if request.param == "sqlite":
        store: Inbox = SQLiteInbox(tmp_path / "inbox.sqlite", "messenger")
    else:
        redis_server: Store = request.getfixturevalue("redis_server")
        store = RedisInbox(redis_server.url, f"messenger-{uuid.uuid4().hex}")  # a namespace of its own per test
    yield store
    await store.close()


async def test_a_message_is_kept_until_done_and_comes_back_whole(inbox: Inbox) -> None:
    sent = message("m1")
    assert await inbox.put(sent) and await inbox.pending() == 1
    assert await inbox.claim("w1", 30) == "42"
    stored = await inbox.head("42")
    assert stored is not None and stored.message == sent and stored.attempts == 0 and stored.accepted_at > 0
    assert await inbox.begin(sent) == 1
    await inbox.done(sent)
    assert await inbox.head("42") is None and await inbox.pending() == 0


async def test_the_count_of_replies_sent_comes_back_with_the_message_and_never_goes_down(inbox: Inbox) -> None:
    sent = message("m1")
    await inbox.put(sent)
    await inbox.replied(sent, 2)
    await inbox.replied(sent, 1)  # a late record of an earlier reply
    stored = await inbox.head("42")
    assert stored is not None and stored.replied == 2
    await inbox.done(sent)
    await inbox.replied(sent, 3)  # after done: nothing comes back to life
    assert await inbox.head("42") is None and await inbox.pending() == 0


async def test_a_redelivery_is_dropped_even_after_the_message_was_answered(inbox: Inbox) -> None:
    assert await inbox.put(message("m1"))
    await inbox.done(message("m1"))
    assert not await inbox.put(message("m1", text="the same id again"))
    assert await inbox.pending() == 0


async def test_one_senders_messages_come_in_order_and_one_worker_at_a_time(inbox: Inbox) -> None:
    for mid, sender in [("a1", "alice"), ("b1", "bob"), ("a2", "alice")]:
        await inbox.put(message(mid, sender))
    first = await inbox.claim("w1", 30)
    second = await inbox.claim("w2", 30)
    assert {first, second} == {"alice", "bob"} and await inbox.claim("w3", 30) is None
    head = await inbox.head("alice")
    assert head is not None and head.message.message_id == "a1"
    await inbox.done(head.message)
    head = await inbox.head("alice")
    assert head is not None and head.message.message_id == "a2"


async def test_a_lease_that_ran_out_lets_another_worker_take_over(inbox: Inbox) -> None:
    await inbox.put(message("m1"))
    assert await inbox.claim("dead-worker", 0.2) == "42"
    assert await inbox.claim("w2", 30) is None
    await asyncio.sleep(0.3)
    assert await inbox.claim("w2", 30) == "42"
    assert not await inbox.renew("42", "dead-worker", 30)  # the old owner lost it
    assert await inbox.renew("42", "w2", 30)


async def test_a_released_sender_can_be_claimed_again(inbox: Inbox) -> None:
    await inbox.put(message("m1"))
    assert await inbox.claim("w1", 30) == "42"
    await inbox.release("42", "someone-else")  # only the owner releases
    assert await inbox.claim("w2", 30) is None
    await inbox.release("42", "w1")
    assert await inbox.claim("w2", 30) == "42"


async def test_a_postponed_message_holds_back_its_sender(inbox: Inbox) -> None:
    await inbox.put(message("m1"))
    await inbox.put(message("m2"))
    assert await inbox.claim("w1", 30) == "42"
    await inbox.postpone(message("m1"), 0.3)
    await inbox.release("42", "w1")
    assert await inbox.claim("w1", 30) is None  # m2 does not overtake m1
    await asyncio.sleep(0.4)
    assert await inbox.claim("w1", 30) == "42"


async def test_a_dead_message_leaves_the_queue(inbox: Inbox) -> None:
    await inbox.put(message("m1"))
    await inbox.put(message("m2"))
    assert await inbox.begin(message("m1")) == 1 and await inbox.begin(message("m1")) == 2
    await inbox.dead(message("m1"))
    head = await inbox.head("42")
    assert head is not None and head.message.message_id == "m2" and await inbox.pending() == 1


async def test_sqlite_keeps_messages_and_seen_ids_across_a_restart(tmp_path: Path) -> None:
    first = SQLiteInbox(tmp_path / "inbox.sqlite", "telegram")
    await first.put(message("m1"))
    assert await first.claim("server-that-dies", 30) == "42"
    # no close: the process was killed; a new server opens the same file
    second = SQLiteInbox(tmp_path / "inbox.sqlite", "telegram")
    assert await second.claim("new-server", 30) == "42"  # the dead server's lease does not hold it back
    assert not await second.put(message("m1"))
    head = await second.head("42")
    assert head is not None and head.message.message_id == "m1"
    await first.close()
    await second.close()


async def test_channels_do_not_share_messages(tmp_path: Path) -> None:
    messenger = SQLiteInbox(tmp_path / "inbox.sqlite", "messenger")
    telegram = SQLiteInbox(tmp_path / "inbox.sqlite", "telegram")
    await messenger.put(message("1"))
    assert await telegram.put(message("1")) and await telegram.pending() == 1
    assert await messenger.claim("w", 30) == "42" and await telegram.claim("w", 30) == "42"
    await messenger.close()
    await telegram.close()
