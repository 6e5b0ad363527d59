import asyncio

from channels.dedupe import SeenIds
from channels.ordered_tasks import OrderedTasks


def test_an_id_is_new_once_until_its_ttl_passes() -> None:
    now = [0.0]
    seen = SeenIds(max_size=100, ttl_s=10, clock=lambda: now[0])
    assert seen.first_time("m1")
    assert not seen.first_time("m1")
    now[0] = 11
    assert seen.first_time("m1")


def test_the_memory_is_bounded() -> None:
    seen = SeenIds(max_size=3, ttl_s=1000)
    for mid in ["a", "b", "c", "d"]:
        assert seen.first_time(mid)
    assert seen.first_time("a")  # the oldest was forgotten to make room
    assert not seen.first_time("d")


async def test_one_senders_jobs_run_in_order_while_senders_run_concurrently() -> None:
    tasks, log = OrderedTasks(), []

    def job(sender: str, n: int, delay: float):
        async def run() -> None:
            log.append(f"{sender}{n} start")
            await asyncio.sleep(delay)
            log.append(f"{sender}{n} end")

        return run

    tasks.submit("alice", job("a", 1, 0.05))
    tasks.submit("alice", job("a", 2, 0.0))
    tasks.submit("bob", job("b", 1, 0.0))
    await tasks.drain()
    assert log.index("a1 end") < log.index("a2 start")  # alice's second message waits for her first
    assert log.index("b1 end") < log.index("a1 end")  # bob does not wait for alice


async def test_a_failing_job_does_not_stop_the_next() -> None:
    tasks, done = OrderedTasks(), []

    async def boom() -> None:
        raise RuntimeError("boom")

    async def ok() -> None:
        done.append(True)

    tasks.submit("s", boom)
    tasks.submit("s", ok)
    await tasks.drain()
    assert done == [True]
