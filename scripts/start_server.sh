#!/usr/bin/env bash
# start_server.sh actions|rasa: run one server in the foreground, configured by the environment alone.
# One home for how a server is started: `make serve` (scripts/supervise.py), the container images and the
# end-to-end tests all run this. The Rasa server opens the channels that the environment switches on.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  actions)
    exec .venv/bin/python -m actions ;;
  rasa)
    credentials=$(mktemp --suffix=.credentials.yml)
    .venv-rasa/bin/python scripts/enabled_credentials.py credentials.yml "$credentials"
    exec .venv-rasa/bin/rasa run -m var/rasa-models --credentials "$credentials" --endpoints endpoints.yml \
      --interface "${HOST:?set HOST (.env.example)}" --port "${RASA_PORT:?set RASA_PORT (.env.example)}" ;;
  *)
    echo "usage: $0 actions|rasa" >&2
    exit 2 ;;
esac
