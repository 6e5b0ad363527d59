"""`make telegram-webhook URL=…` (scripts/telegram_webhook.py) against a fake Bot API."""

import json
import os
import subprocess
import sys

from testkit.http_server import FakeHTTPServer, Reply
from testkit.processes import ROOT

TOKEN = "42:script-test-token"


def run(url: str, api: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TELEGRAM_TOKEN": TOKEN, "TELEGRAM_SECRET_TOKEN": "s3cret", "TELEGRAM_API_URL": api}
    script = [sys.executable, "scripts/telegram_webhook.py", url]
    return subprocess.run(script, cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)


def test_the_webhook_is_set_with_the_secret_token(fake_http: FakeHTTPServer) -> None:
    fake_http.routes[f"/bot{TOKEN}/setWebhook"] = Reply.json(
        {"ok": True, "result": True, "description": "Webhook was set"}
    )
    result = run("https://bot.example.org/webhooks/telegram/webhook", fake_http.url)
    assert result.returncode == 0, result.stderr
    assert "Webhook was set" in result.stdout
    [request] = fake_http.requests
    body = json.loads(request.body)
    assert body["url"] == "https://bot.example.org/webhooks/telegram/webhook"
    assert body["secret_token"] == "s3cret"
    assert TOKEN not in result.stdout + result.stderr


def test_a_refusal_or_a_plain_http_url_fails(fake_http: FakeHTTPServer) -> None:
    fake_http.routes[f"/bot{TOKEN}/setWebhook"] = Reply.json({"ok": False, "description": "bad webhook"}, 200)
    assert run("https://bot.example.org/hook", fake_http.url).returncode == 1
    insecure = run("http://bot.example.org/hook", fake_http.url)
    assert insecure.returncode != 0 and "usage" in insecure.stderr


def test_a_network_error_does_not_print_the_token() -> None:
    result = run("https://bot.example.org/hook", "http://127.0.0.1:9")
    assert result.returncode != 0
    assert TOKEN not in result.stdout + result.stderr
