#!/usr/bin/env bash
# `make run`: the action server in the background (log: var/actions.log), `rasa shell` in the foreground.
# Leaving the shell (/stop, Ctrl-C, Ctrl-D) stops the action server too.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

SHELL_LOCAL_FILES=true .venv/bin/python -m actions >var/actions.log 2>&1 &  # the shell may name local photos
actions_pid=$!
trap 'kill "$actions_pid" 2>/dev/null || true; wait "$actions_pid" 2>/dev/null || true' EXIT
echo "Starting the action server (model: $CLASSIFIER_MODEL) ..."
.venv/bin/python scripts/wait_for_http.py "http://127.0.0.1:$ACTIONS_PORT/health" 180 "$actions_pid"
echo "Action server ready. Starting rasa shell: say hi, ask \"what is a rambutan?\", paste an image URL, or type"
echo "the path of a photo on this computer: try samples/banana.jpg, samples/lemon.jpg or samples/pomegranate.jpg."
echo "Type /stop to leave."
.venv/bin/python scripts/enabled_credentials.py credentials.yml var/credentials.yml 2>/dev/null
echo "(Rasa's own log goes to var/rasa-shell.log, the action server's to var/actions.log)"
.venv-rasa/bin/rasa shell -m var/rasa-models --credentials var/credentials.yml \
  --endpoints endpoints.yml --interface 127.0.0.1 --port "$RASA_PORT" 2>var/rasa-shell.log
