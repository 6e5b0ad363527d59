"""nlu_report.py REPORT_JSON [MIN_ACCURACY]: print the held-out intent accuracy from `rasa test nlu`'s
intent_report.json, with the intents it got wrong; exit 1 below MIN_ACCURACY (default 0.85)."""

import json
import sys
from pathlib import Path

report = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
minimum = float(sys.argv[2]) if len(sys.argv) > 2 else 0.85
accuracy = report["accuracy"]
support = report["weighted avg"]["support"]
print(f"NLU held-out intent accuracy: {accuracy:.1%} on {support} examples (minimum {minimum:.0%})")
for intent, scores in sorted(report.items()):
    if isinstance(scores, dict) and "confused_with" in scores and scores["confused_with"]:
        print(f"  {intent}: confused with {scores['confused_with']}")
sys.exit(0 if accuracy >= minimum else 1)
