"""telegram_webhook.py URL: point the Telegram bot's webhook at URL, with our secret token (`make telegram-webhook`).

Reads TELEGRAM_TOKEN, TELEGRAM_SECRET_TOKEN and TELEGRAM_API_URL from the environment (scripts/env.sh loads .env).
"""

import json
import os
import sys
import urllib.request

url = sys.argv[1] if len(sys.argv) > 1 else ""
token, secret = os.environ.get("TELEGRAM_TOKEN", ""), os.environ.get("TELEGRAM_SECRET_TOKEN", "")
if not url.startswith("https://") or not token or not secret:
    sys.exit(
        "usage: make telegram-webhook URL=https://<host>/webhooks/telegram/webhook (TELEGRAM_TOKEN and "
        "TELEGRAM_SECRET_TOKEN must be set)"
    )
api = os.environ.get("TELEGRAM_API_URL", "https://api.telegram.org").rstrip("/")
body = {"url": url, "secret_token": secret, "allowed_updates": ["message", "callback_query"]}
headers = {"Content-Type": "application/json"}
request = urllib.request.Request(f"{api}/bot{token}/setWebhook", json.dumps(body).encode(), headers)  # noqa: S310
try:
    with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - https API URL from our settings
        answer = json.load(response)
except OSError as error:
    sys.exit(f"setWebhook failed: {type(error).__name__}")  # the URL holds the token: don't print it
print(f"setWebhook: {answer.get('description', answer.get('ok'))}")
sys.exit(0 if answer.get("ok") else 1)
