"""Real Redis and PostgreSQL servers for tests, from Debian's packages (`.ci/run` installs them), each on a free
loopback port with its data in a temporary folder; `stop` ends them."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from testkit.processes import free_port


@dataclass
class Store:
    name: str
    url: str
    stop_cmd: list[str] | None = None
    process: subprocess.Popen[bytes] | None = None
    folder: Path | None = None  # removed at stop

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(20)
        if self.stop_cmd is not None:
            subprocess.run(self.stop_cmd, check=False, capture_output=True, timeout=60)
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def need(binary: str, package: str) -> str:
    found = shutil.which(binary) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{binary}"))), None)
    if found is None:
        raise RuntimeError(f"{binary} not found: apt-get install {package} (.ci/run does)")
    return found


def start_redis(tmp: Path) -> Store:
    port = free_port()
    tmp.mkdir(parents=True, exist_ok=True)
    cmd = [need("redis-server", "redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp)]
    cmd += ["--save", "", "--appendonly", "no", "--protected-mode", "yes"]
    process = subprocess.Popen(cmd, stdout=(tmp / "redis.log").open("wb"), stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    wait_until(lambda: ping_redis(port), f"redis on port {port}", process)
    return Store("redis", url, process=process)


def ping_redis(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_postgres() -> Store:
    """A fresh cluster in a new temporary folder (trust authentication, loopback only), with a database `fruitbot`
    owned by `fruitbot`. As root, the server runs as Debian's `postgres` user: PostgreSQL refuses to run as root,
    so the folder is a fresh one of its own under /tmp rather than inside a test's private tmp_path."""
    port = free_port()
    tmp = Path(tempfile.mkdtemp(prefix="fruitbot-postgres-"))
    data, sockets = tmp / "pgdata", tmp / "pgsock"
    sockets.mkdir()
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(tmp, "postgres")
        shutil.chown(sockets, "postgres")
    initdb = [need("initdb", "postgresql"), "-D", str(data), "-U", "fruitbot", "--auth=trust", "-E", "UTF8"]
    subprocess.run([*as_user, *initdb], check=True, capture_output=True, timeout=120)
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = need("pg_ctl", "postgresql")
    log = tmp / "postgres.log"
    start = [*as_user, pg_ctl, "-D", str(data), "-o", options, "-l", str(log), "-w", "-t", "60", "start"]
    subprocess.run(start, check=True, capture_output=True, timeout=90)
    create = [need("createdb", "postgresql"), "-h", "127.0.0.1", "-p", str(port), "-U", "fruitbot", "fruitbot"]
    subprocess.run(create, check=True, capture_output=True, timeout=60)
    stop = [*as_user, pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]
    return Store("postgres", f"postgresql://fruitbot@127.0.0.1:{port}/fruitbot", stop_cmd=stop, folder=tmp)


def wait_until(ready: Callable[[], bool], what: str, process: subprocess.Popen[bytes], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        if ready():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} not ready after {timeout_s} s")
