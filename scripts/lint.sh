#!/usr/bin/env bash
# `make lint`: ruff (lint and format check) over everything, mypy (strict) over the serving code.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy (strict)"
.venv/bin/mypy  # the action server and the serving half of classifier/, on .venv (pyproject.toml)
.venv/bin/mypy --python-executable .venv-rasa/bin/python --python-version 3.10 channels common  # on Rasa's packages
