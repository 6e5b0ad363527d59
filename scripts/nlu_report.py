"""nlu_report.py REPORT_JSON MIN_ACCURACY [MIN_PER_INTENT] [NAME]: print the intent accuracy of `rasa test nlu`'s
intent_report.json, per intent, with what each intent was confused with; exit 1 when the accuracy is below
MIN_ACCURACY or an intent's recall below MIN_PER_INTENT (default 0: no per-intent gate)."""

import json
import sys
from pathlib import Path

report = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
minimum = float(sys.argv[2])
per_intent_minimum = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
name = sys.argv[4] if len(sys.argv) > 4 else "held-out"
accuracy = report["accuracy"]
support = report["weighted avg"]["support"]
print(f"NLU {name}: intent accuracy {accuracy:.1%} on {support} examples (minimum {minimum:.0%})")
failing = []
for intent, scores in sorted(report.items()):
    if not isinstance(scores, dict) or "recall" not in scores or intent.endswith("avg"):
        continue
    confused = f"; confused with {scores['confused_with']}" if scores.get("confused_with") else ""
    print(f"  {intent:<24} {scores['recall']:6.1%} of {scores['support']:3d}{confused}")
    if scores["recall"] < per_intent_minimum:
        failing.append(intent)
if failing:
    print(f"  below {per_intent_minimum:.0%}: {', '.join(failing)}")
sys.exit(0 if accuracy >= minimum and not failing else 1)
