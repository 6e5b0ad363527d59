#!/usr/bin/env bash
# `make test`: every check, failing on the first that fails (pytest's "no tests" exit 5 included).
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONDONTWRITEBYTECODE=1 RASA_TELEMETRY_ENABLED=false

scripts/lint.sh

echo "== rasa data validate"
.venv-rasa/bin/rasa data validate --domain rasa_project/domain.yml --config rasa_project/config.yml \
  --data rasa_project/data --fail-on-warnings

echo "== pytest (unit and end-to-end)"
.venv/bin/python -m pytest "$@"

echo "== rasa conversation tests (--e2e: each user line goes through the NLU too)"
TRACKER_DB=var/rasa-test-tracker.sqlite ACTION_ENDPOINT_URL=http://127.0.0.1:9/webhook ACTIONS_TOKEN= \
  .venv-rasa/bin/rasa test core --model var/rasa-models/fruitbot.tar.gz --stories tests/conversations \
  --endpoints endpoints.yml --fail-on-prediction-errors --e2e --out var/rasa-test-results

echo "== NLU on held-out examples (ours; written by others: tests/nlu_independent.yml, development; tests/nlu_fresh.yml and A.L.I.C.E.'s, untouched)"
.venv/bin/python scripts/nlu_alice.py var/nlu-alice.yml
for set in tests/nlu_heldout tests/nlu_independent tests/nlu_fresh var/nlu-alice; do  # rasa test nlu's intent report
  name=${set##*/nlu[_-]}
  PYTHONPATH=. .venv-rasa/bin/python scripts/nlu_intents.py var/rasa-models/fruitbot.tar.gz "$set.yml" \
    "var/rasa-nlu-$name/intent_report.json" >"var/rasa-nlu-$name.log" 2>&1 || { tail -n 30 "var/rasa-nlu-$name.log"; exit 1; }
done
.venv/bin/python scripts/nlu_report.py var/rasa-nlu-heldout/intent_report.json 0.85 0 "our held-out lines"
.venv/bin/python scripts/nlu_report.py var/rasa-nlu-independent/intent_report.json 0.80 0.5 "lines written by others"
.venv/bin/python scripts/nlu_report.py var/rasa-nlu-fresh/intent_report.json 0.7 0 "untouched out-of-scope lines"
.venv/bin/python scripts/nlu_report.py var/rasa-nlu-alice/intent_report.json 0.6 0 "untouched A.L.I.C.E. out-of-scope lines"
