# Sourced by the run/serve/test scripts: settings from the environment, then .env, then .env.example's defaults.
# shellcheck shell=bash
eval "$(.venv/bin/python scripts/dotenv_exports.py .env .env.example)"
mkdir -p var
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:$ACTIONS_PORT/webhook}"
export RASA_TELEMETRY_ENABLED=false
