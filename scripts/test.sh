#!/usr/bin/env bash
# `make test`: every check, failing on the first that fails (pytest's "no tests" exit 5 included).
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONDONTWRITEBYTECODE=1

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "== rasa data validate"
.venv-rasa/bin/rasa data validate --domain rasa_project/domain.yml --config rasa_project/config.yml \
  --data rasa_project/data --fail-on-warnings

echo "== pytest (unit and end-to-end)"
.venv/bin/python -m pytest "$@"
