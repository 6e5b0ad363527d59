"""Where Rasa works through our channels' messages: a thread with an event loop of its own.

Rasa does much of its work synchronously inside its coroutines (NLU and policy inference, the SQL tracker store's
writes). On the server's event loop that work held every webhook's ack up behind it: 309 ms ack p95 at 20 busy
users on 2 cores. On a loop of its own it holds up only Rasa. What talks to our stores and to the platforms (the
inbox, the replies) stays on the server's loop: the output channel hops back there (channels/conversation.py).
Plain Python, no Rasa import.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")
GIL_SWITCH_S = 0.001  # Python's default is 5 ms: the longest the server's loop waits while Rasa's Python runs


class ExitInRasa(Exception):
    """The work called sys.exit (Rasa's SQL tracker store does on a ValueError); the loop must not stop for it."""


async def on(loop: asyncio.AbstractEventLoop, work: Coroutine[Any, Any, T]) -> T:
    """Run `work` on `loop` (another thread's) and wait for it here; cancelling this cancels it there."""
    return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(work, loop))


class RasaThread:
    def __init__(self, name: str = "rasa-conversations") -> None:
        self.name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    def loop(self) -> asyncio.AbstractEventLoop:
        """The thread's loop, started on first use (a daemon thread: it ends with the server)."""
        with self._lock:
            if self._loop is None:
                sys.setswitchinterval(min(sys.getswitchinterval(), GIL_SWITCH_S))
                self._loop = asyncio.new_event_loop()
                threading.Thread(target=self._loop.run_forever, name=self.name, daemon=True).start()
            return self._loop

    async def run(self, work: Coroutine[Any, Any, T]) -> T:
        """Run `work` on the thread and wait for its result (or its exception) here."""
        return await on(self.loop(), contained(work))


async def contained(work: Coroutine[Any, Any, T]) -> T:
    """`work`, with a SystemExit turned into ExitInRasa: out of a task it would stop the thread's loop for good."""
    try:
        return await work
    except SystemExit as exit:
        raise ExitInRasa(f"sys.exit({exit.code!r}) while answering a message") from exit


RASA = RasaThread()  # one per process: every channel's messages go through the same Rasa
