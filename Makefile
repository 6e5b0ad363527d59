# FruitBot. `make run` to chat with the bot, `make test` to run every check. `make help` lists the rest.
SHELL := /bin/bash
export RASA_TELEMETRY_ENABLED := false
.DEFAULT_GOAL := help

RASA := .venv-rasa/bin/rasa
PY := .venv/bin/python
RASA_MODEL := var/rasa-models/fruitbot.tar.gz
RASA_SOURCES := $(shell find rasa_project -type f -not -path '*/__pycache__/*' 2>/dev/null)
RASA_FILES := --domain rasa_project/domain.yml --config rasa_project/config.yml

.PHONY: help setup run serve test test-fast lint format rasa-model train-classifier telegram-webhook

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

setup: .venv/.serve .venv-rasa/.installed ## create/update the serving virtualenvs (only when requirements changed)

# .venv grows in layers: serve (the action server: ONNX Runtime, no PyTorch), + train, + dev (tests, linters).
.venv/.serve: requirements/serve.txt
	scripts/make_venv.sh .venv 3.11 requirements/serve.txt
	touch $@

.venv/.train: .venv/.serve requirements/train.txt
	scripts/make_venv.sh .venv 3.11 requirements/train.txt
	touch $@

.venv/.dev: .venv/.train requirements/dev.txt
	scripts/make_venv.sh .venv 3.11 requirements/dev.txt
	touch $@

.venv-rasa/.installed: requirements/rasa.txt
	scripts/make_venv.sh .venv-rasa 3.10 requirements/rasa.txt
	touch $@

.venv-rasa/.dev: .venv-rasa/.installed requirements/rasa-dev.txt
	scripts/make_venv.sh .venv-rasa 3.10 requirements/rasa-dev.txt
	touch $@

rasa-model: $(RASA_MODEL) ## train the Rasa model when rasa_project/ changed

# Make skips this when nothing in rasa_project/ is newer; when something is, Rasa's own fingerprint
# decides what to retrain.
$(RASA_MODEL): .venv-rasa/.installed $(RASA_SOURCES)
	$(RASA) train $(RASA_FILES) --data rasa_project/data --out var/rasa-models --fixed-model-name fruitbot
	touch $@

run: setup $(RASA_MODEL) ## set up, then chat with the bot in `rasa shell` (paste an image URL)
	scripts/chat.sh

serve: setup $(RASA_MODEL) ## Rasa server (enabled channels) + action server in the foreground
	scripts/serve.sh

test: setup .venv/.dev .venv-rasa/.dev $(RASA_MODEL) ## ruff, mypy, rasa data validate, unit + end-to-end tests, conversation tests
	scripts/test.sh

test-fast: .venv/.dev .venv-rasa/.dev ## ruff, mypy and the unit tests only (no servers, no training)
	scripts/lint.sh
	.venv/bin/python -m pytest -m unit -q
	.venv-rasa/bin/python -m pytest -m unit -q -p no:cacheprovider tests/channels

lint: .venv/.dev .venv-rasa/.dev ## ruff check, format check and mypy (the channels on Rasa's Python)
	scripts/lint.sh

format: .venv/.dev ## apply ruff's fixes and formatting
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

DATA := ../shared/data
TRAINING := --data $(DATA)/fruits-360-subset/Training --grocery $(DATA)/grocery-store/train --not-fruit $(DATA)/clothing-cc0
train-classifier: .venv/.train ## cross-validate the recipe on the real photos, then retrain the shipped classifier (models/fruits.onnx) on ../shared/data (~60 min on 2 cores)
	$(PY) -m classifier crossval $(TRAINING) --json models/reports/crossval.json --held-out var/crossval-heldout.json
	$(PY) -m classifier train $(TRAINING) --calibration models/reports/crossval.json --out models/fruits.pkl
	$(PY) -m classifier evaluate --data $(DATA)/fruits-360-subset/Test --card models/fruits.md \
	  --json models/reports/fruits360-test.json --plots models/reports/fruits360-test
	$(PY) -m classifier evaluate --grocery --data $(DATA)/grocery-store/val --card models/fruits.md \
	  --json models/reports/grocery-val.json --plots models/reports/grocery-val

telegram-webhook: .venv/.serve ## point the Telegram bot at URL=https://<host>/webhooks/telegram/webhook
	source scripts/env.sh && .venv/bin/python scripts/telegram_webhook.py "$(URL)"
