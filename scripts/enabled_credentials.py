"""enabled_credentials.py SRC OUT: copy Rasa's credentials file, keeping only the channels that are switched on.

A channel is on when its switch variable is set (non-empty). The REST channel needs no account, so anyone who
can reach the port could talk through it: it is on when REST_TOKEN is set (then it asks for that Bearer token),
or when the server binds to loopback only (HOST). The ${VAR} secrets stay as they are for Rasa to expand, so a
switched-on channel with a missing secret fails loudly at start.
"""

import ipaddress
import os
import sys

import yaml

REST = "channels.rest.channel.RestInput"
SWITCHES = {
    "channels.messenger.channel.MessengerInput": "FB_PAGE_ACCESS_TOKEN",
    "channels.telegram.channel.TelegramInput": "TELEGRAM_TOKEN",
}


def loopback(host: str) -> bool:
    """True for a bind address that only this machine can reach."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def enabled(channels: dict, env: dict) -> dict:
    """The channels of the credentials file that `env` switches on."""
    kept = {name: config for name, config in channels.items() if name not in SWITCHES or env.get(SWITCHES[name])}
    if REST in kept and not env.get("REST_TOKEN"):
        if loopback(env.get("HOST", "")):
            kept[REST] = None  # no token to ask for
        else:
            del kept[REST]
            print("REST channel off: set REST_TOKEN, or HOST=127.0.0.1", file=sys.stderr)
    return kept


if __name__ == "__main__":
    source, out = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        chosen = enabled(yaml.safe_load(f) or {}, dict(os.environ))
    with open(out, "w", encoding="utf-8") as f:
        yaml.safe_dump(chosen, f)
    print("channels: " + ", ".join(chosen), file=sys.stderr)
