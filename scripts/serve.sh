#!/usr/bin/env bash
# `make serve`: the action server and the Rasa server (the enabled channels) in the foreground, logging to stdout,
# under scripts/supervise.py: a server that dies is restarted on its own (with backoff) while the other keeps
# serving; photos that come while the action server is down wait in the inbox. SIGTERM/SIGINT stop both.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
exec .venv/bin/python scripts/supervise.py actions "scripts/start_server.sh actions" rasa "scripts/start_server.sh rasa"
