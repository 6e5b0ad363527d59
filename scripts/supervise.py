"""supervise.py NAME COMMAND [NAME COMMAND ...]: run the servers of `make serve`, and restart each one that dies.

A server that exits is started again on its own, after a backoff (1 s, doubling to 30 s; back to 1 s once it has
run for a minute), while the others keep serving; every exit and restart is logged. SIGTERM or SIGINT stops them
all (SIGTERM, then SIGKILL after 20 s) and exits 0. COMMAND is split like a shell would, without running one.
"""

from __future__ import annotations

import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

FIRST_DELAY_S, MAX_DELAY_S, STABLE_S, STOP_TIMEOUT_S = 1.0, 30.0, 60.0, 20.0


def say(text: str) -> None:
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} supervise: {text}", file=sys.stderr, flush=True)


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    quick_exits: int = 0  # exits in a row, each within STABLE_S of its start
    restart_at: float | None = field(default=0.0)  # start (again) once the clock passes this

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv)  # noqa: S603 - our own commands, from scripts/serve.sh
        self.started, self.restart_at = time.monotonic(), None
        say(f"{self.name} started (pid {self.process.pid})")

    def check(self) -> None:
        """Start it when due; when it has exited, log that and plan its restart."""
        now = time.monotonic()
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.start()
            return
        assert self.process is not None
        status = self.process.poll()
        if status is None:
            return
        ran = now - self.started
        self.quick_exits = 1 if ran >= STABLE_S else self.quick_exits + 1
        delay = min(FIRST_DELAY_S * 2 ** (self.quick_exits - 1), MAX_DELAY_S)
        self.restart_at = now + delay
        say(f"{self.name} exited with status {status} after {ran:.0f} s; restarting it in {delay:.0f} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()


def main(argv: list[str]) -> int:
    if not argv or len(argv) % 2:
        print(__doc__, file=sys.stderr)
        return 2
    children = [Child(name, shlex.split(command)) for name, command in zip(argv[::2], argv[1::2], strict=True)]
    stopping = False

    def request_stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    while not stopping:
        for child in children:
            child.check()
        time.sleep(0.2)
    say("stopping " + ", ".join(child.name for child in children))
    for child in children:
        child.stop()
    deadline = time.monotonic() + STOP_TIMEOUT_S
    for child in children:
        if child.process is not None:
            try:
                child.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
