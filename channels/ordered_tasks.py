"""Process webhook messages in the background, one at a time per sender, in arrival order.

The webhook answers at once; each sender gets a small queue and a worker that lives while there is work.
Different senders run concurrently; one sender's messages never overtake each other, and a job that fails
(even with SystemExit) never stops its sender's queue or the server.
"""

from __future__ import annotations

import asyncio
import logging

from channels.guard import Job, guarded

log = logging.getLogger(__name__)


class OrderedTasks:
    def __init__(self) -> None:
        self._queues: dict[str, asyncio.Queue[tuple[str, Job]]] = {}
        self._workers: set[asyncio.Task[None]] = set()

    def submit(self, sender_id: str, job: Job, what: str = "a background job") -> None:
        """Queue `job` behind the sender's earlier jobs (call from the event loop); `what` names it in logs."""
        queue = self._queues.get(sender_id)
        if queue is None:
            queue = self._queues[sender_id] = asyncio.Queue()
            worker = asyncio.get_running_loop().create_task(self._work(sender_id, queue))
            self._workers.add(worker)
            worker.add_done_callback(self._workers.discard)
        queue.put_nowait((what, job))

    async def _work(self, sender_id: str, queue: asyncio.Queue[tuple[str, Job]]) -> None:
        try:
            while not queue.empty():
                what, job = queue.get_nowait()
                await guarded(what, job)
        finally:
            del self._queues[sender_id]

    async def drain(self) -> None:
        """Wait until every queued job has run (for shutdown and tests)."""
        while self._workers:
            await asyncio.gather(*list(self._workers))
