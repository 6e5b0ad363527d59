#!/usr/bin/env bash
# `make serve`: the Rasa server (enabled channels) and the action server in the foreground, logging to stdout.
# SIGTERM/SIGINT stop both; if either exits, the other is stopped and the script fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

.venv/bin/python -m actions &
actions_pid=$!
stop() { kill "$actions_pid" "${rasa_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap 'stop; exit 0' TERM INT
.venv/bin/python scripts/wait_for_http.py "http://127.0.0.1:$ACTIONS_PORT/health" 180 "$actions_pid"
.venv/bin/python scripts/enabled_credentials.py credentials.yml var/credentials.yml
.venv-rasa/bin/rasa run -m var/rasa-models --credentials var/credentials.yml --endpoints endpoints.yml \
  --interface "$HOST" --port "$RASA_PORT" &
rasa_pid=$!
status=0
wait -n "$actions_pid" "$rasa_pid" || status=$?
echo "a server exited (status $status); stopping the other" >&2
stop
exit "$status"
