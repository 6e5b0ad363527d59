"""Process webhook messages in the background, one at a time per sender, in arrival order.

The webhook answers at once; each sender gets a small queue and a worker that lives while there is work.
Different senders run concurrently; one sender's messages never overtake each other.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)
Job = Callable[[], Awaitable[None]]


class OrderedTasks:
    def __init__(self) -> None:
        self._queues: dict[str, asyncio.Queue[Job]] = {}
        self._workers: set[asyncio.Task] = set()

    def submit(self, sender_id: str, job: Job) -> None:
        """Queue `job` behind the sender's earlier jobs (call from the event loop)."""
        queue = self._queues.get(sender_id)
        if queue is None:
            queue = self._queues[sender_id] = asyncio.Queue()
            worker = asyncio.get_running_loop().create_task(self._work(sender_id, queue))
            self._workers.add(worker)
            worker.add_done_callback(self._workers.discard)
        queue.put_nowait(job)

    async def _work(self, sender_id: str, queue: asyncio.Queue[Job]) -> None:
        while not queue.empty():
            job = queue.get_nowait()
            try:
                await job()
            except Exception:
                log.exception("a background message job failed")
        del self._queues[sender_id]

    async def drain(self) -> None:
        """Wait until every queued job has run (for shutdown and tests)."""
        while self._workers:
            await asyncio.gather(*list(self._workers))
