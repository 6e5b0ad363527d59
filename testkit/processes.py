"""Start the real servers (action server, Rasa) as subprocesses on free loopback ports, for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RASA_MODEL = ROOT / "var" / "rasa-models" / "fruitbot.tar.gz"
START_SERVER = ROOT / "scripts" / "start_server.sh"  # how make serve, the images and the tests start a server
REST_TOKEN = "rest-token-for-tests"  # the test servers' REST Bearer token
REST_HEADERS = {"Authorization": f"Bearer {REST_TOKEN}"}
ACTIONS_TOKEN = "actions-token-for-tests"  # what Rasa sends the test action servers


def action_call(next_action: str, text: str, images: list[str], sender_id: str = "test") -> dict:
    """The JSON that Rasa 3.6 POSTs to the action server's /webhook, for a message with these image URLs."""
    metadata = {"channel": "rest", "images": [{"url": url} for url in images]}
    latest = {"text": text, "intent": {"name": "send_image", "confidence": 1.0}, "metadata": metadata}
    tracker = {"sender_id": sender_id, "slots": {}, "latest_message": latest, "events": [], "paused": False}
    return {"next_action": next_action, "sender_id": sender_id, "version": "3.6.21", "domain": {}, "tracker": tracker}


def action_webhook(action_server: Server) -> str:
    """Where Rasa calls a test action server, with its token."""
    return f"{action_server.url}/webhook?token={action_server.env['ACTIONS_TOKEN']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A server process with its log file: `stop` terminates it and returns its log, `kill` is a SIGKILL, and
    `start` starts it again (the log goes on in the same file)."""

    def __init__(
        self,
        name: str,
        cmd: list[str],
        env: dict[str, str],
        log_path: Path,
        ready_url: str,
        timeout_s: float,
        wait: bool = True,
    ):
        self.name, self.log_path, self.url, self.env = name, log_path, ready_url.rsplit("/", 1)[0], env
        self._cmd, self._ready_url, self._timeout_s = cmd, ready_url, timeout_s
        self.start(wait)

    def start(self, wait: bool = True) -> None:
        """Start the process; with `wait`, return once it answers (else call `wait_ready`)."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self._cmd, cwd=ROOT, env={**os.environ, **self.env}, stdout=self._log, stderr=subprocess.STDOUT
        )
        if wait:
            self.wait_ready()

    def wait_ready(self) -> None:
        self._wait_ready(self._ready_url, self._timeout_s)

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, as when a machine or a process dies."""
        self.process.kill()
        self.process.wait()
        self._log.close()

    def _wait_ready(self, url: str, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log()[-4000:]}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"{self.name} not ready after {timeout_s} s:\n{self.log()[-4000:]}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        return self.log()


def start_action_server(tmp: Path, env: dict[str, str], wait: bool = True) -> Server:
    port = free_port()
    env = {
        "HOST": "127.0.0.1",
        "ACTIONS_PORT": str(port),
        "ACTIONS_TOKEN": ACTIONS_TOKEN,
        "IMAGE_FETCH_ALLOW_PRIVATE": "true",
        "WIKIPEDIA_CACHE_PATH": str(tmp / "wikipedia-cache.sqlite"),
        "FEEDBACK_DB_URL": f"sqlite:///{tmp / 'feedback.sqlite'}",
        **env,
    }
    return Server(
        "action server",
        [str(START_SERVER), "actions"],
        env,
        tmp / "actions.log",
        f"http://127.0.0.1:{port}/health",
        120,
        wait,
    )


def start_rasa(tmp: Path, action_server_url: str, env: dict[str, str] | None = None, wait: bool = True) -> Server:
    """The Rasa server as `make serve` starts it (scripts/start_server.sh), with the channels `env` switches on,
    and REST (loopback, with a token); its tracker store and inbox in `tmp`."""
    if not RASA_MODEL.exists():
        raise RuntimeError(f"{RASA_MODEL} is missing: run `make rasa-model` (make test does)")
    port = free_port()
    env = {
        "HOST": "127.0.0.1",
        "RASA_PORT": str(port),
        "REST_TOKEN": REST_TOKEN,
        "ACTIONS_TOKEN": ACTIONS_TOKEN,
        "ACTION_ENDPOINT_URL": f"{action_server_url}/webhook",
        "TRACKER_DB": str(tmp / "tracker.sqlite"),
        "INBOX_DB": str(tmp / "inbox.sqlite"),
        **(env or {}),
    }
    cmd = [str(START_SERVER), "rasa"]
    return Server("rasa", cmd, env, tmp / "rasa.log", f"http://127.0.0.1:{port}/webhooks/rest/", 240, wait)
