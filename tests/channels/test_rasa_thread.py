"""Rasa's own thread: work runs there and its result, exception or cancellation crosses back; Rasa's synchronous
work there leaves the server's loop free (the webhooks' acks); a sys.exit in it does not stop the thread."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from channels.rasa_thread import ExitInRasa, RasaThread, on


async def thread_name() -> str:
    return threading.current_thread().name


async def test_work_runs_on_the_thread_and_its_result_and_errors_come_back() -> None:
    rasa = RasaThread("rasa-test")
    assert await rasa.run(thread_name()) == "rasa-test"

    async def fails() -> None:
        raise ValueError("no such intent")

    with pytest.raises(ValueError, match="no such intent"):
        await rasa.run(fails())


async def test_synchronous_work_on_the_thread_leaves_the_callers_loop_free() -> None:
    rasa = RasaThread()

    async def blocks() -> None:
        time.sleep(0.5)  # what Rasa's NLU inference does to its loop

    ticks = 0

    async def heartbeat() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    beating = asyncio.create_task(heartbeat())
    await rasa.run(blocks())
    beating.cancel()
    assert ticks >= 10  # ~50 when free; 0 if the work had held this loop


async def test_a_sys_exit_in_the_work_is_an_error_here_and_the_thread_goes_on() -> None:
    rasa = RasaThread()

    async def exits() -> None:
        raise SystemExit(1)

    with pytest.raises(ExitInRasa):
        await rasa.run(exits())
    assert await asyncio.wait_for(rasa.run(thread_name()), 5) == rasa.name


async def test_cancelling_the_caller_cancels_the_work_on_the_thread() -> None:
    rasa = RasaThread()
    cancelled = threading.Event()

    async def waits() -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    task = asyncio.create_task(rasa.run(waits()))
    await asyncio.sleep(0.1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await asyncio.to_thread(cancelled.wait, 5)


async def test_work_on_the_thread_can_hop_back_to_the_callers_loop() -> None:
    rasa, home = RasaThread(), asyncio.get_running_loop()

    async def replies() -> tuple[str, str]:
        return await thread_name(), await on(home, thread_name())

    assert await rasa.run(replies()) == (rasa.name, threading.current_thread().name)
