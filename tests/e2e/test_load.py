"""Short forms of the load scenarios (benchmarks/load.py prints the full figures): a few Messenger users for some
seconds against the whole bot; nothing acknowledged is lost and nothing is answered twice, also when the Rasa
server or the action server is SIGKILLed on the way and restarted. The one exception is the irreducible one of
channels/replies.py: a Rasa server killed between a reply reaching the Send API and its record in the inbox sends
that reply again after the restart (the Send API has no idempotency key), so that kill may repeat one reply."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest

from testkit.load import Load, LoadResult, LoadRun
from testkit.processes import Server
from testkit.stack import SECRET, Stack, start_stack


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    stack = start_stack()
    yield stack
    stack.close()


def run(stack: Stack, load: Load, kill: Server | None = None) -> LoadResult:
    if kill is not None:

        def kill_and_restart() -> None:
            kill.kill()
            kill.start(wait=False)

        threading.Timer(load.duration_s / 2, kill_and_restart).start()
    result = asyncio.run(LoadRun(stack.webhooks, stack.inbox, stack.photo_urls, SECRET, load).run("short"))
    print("\n" + result.row())
    if kill is not None:
        kill.wait_ready()
    return result


def test_a_few_users_get_every_answer_once(stack: Stack) -> None:
    result = run(stack, Load(users=4, duration_s=10))
    assert len(result.sent) >= 8 and result.lost == 0 and result.duplicates == 0


def test_the_rasa_server_killed_and_restarted_loses_no_acknowledged_message(stack: Stack) -> None:
    result = run(stack, Load(users=4, duration_s=12), kill=stack.rasa[0])
    assert result.lost == 0
    assert result.duplicates <= 1  # the reply in flight at the kill, if the kill fell between its send and record
    assert any(s.reposted for s in result.sent)  # the users did meet the dead server


def test_the_action_server_killed_and_restarted_gives_every_message_one_reply(stack: Stack) -> None:
    result = run(stack, Load(users=4, duration_s=12, photo_share=0.7), kill=stack.actions[0])
    assert result.lost == 0 and result.duplicates == 0
