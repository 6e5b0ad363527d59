"""enabled_credentials.py SRC OUT: copy Rasa's credentials file, keeping only the channels that are switched on.

A channel is on when its switch variable is set (non-empty); `rest` is always on. The ${VAR} secrets stay as
they are for Rasa to expand, so a switched-on channel with a missing secret fails loudly at start.
"""

import os
import sys

import yaml

SWITCHES = {
    "channels.messenger.channel.MessengerInput": "FB_PAGE_ACCESS_TOKEN",
    "channels.telegram.channel.TelegramInput": "TELEGRAM_TOKEN",
}

source, out = sys.argv[1], sys.argv[2]
with open(source, encoding="utf-8") as f:
    channels = yaml.safe_load(f) or {}
enabled = {
    name: config
    for name, config in channels.items()
    if os.environ.get(SWITCHES.get(name, ""), "") or name not in SWITCHES
}
with open(out, "w", encoding="utf-8") as f:
    yaml.safe_dump(enabled, f)
print("channels: " + ", ".join(enabled), file=sys.stderr)
