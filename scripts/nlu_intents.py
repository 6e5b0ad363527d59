"""nlu_intents.py MODEL NLU_YML OUT_JSON (on Rasa's Python): the intent report `rasa test nlu` writes
(intent_report.json: accuracy, and per intent recall, support, confused_with), for any NLU file, also one of a
single intent, which `rasa test nlu` leaves unscored. Like it, it scores the intent under the fallback."""

import asyncio
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from rasa.core.agent import Agent
from rasa.nlu.classifiers import fallback_classifier
from rasa.shared.nlu.training_data.loading import load_data


async def predicted_intents(model: str, texts: list[str]) -> list[str]:
    agent = Agent.load(model)
    found = []
    for text in texts:
        parsed = await agent.parse_message(text)
        if fallback_classifier.is_fallback_classifier_prediction(parsed):
            parsed = fallback_classifier.undo_fallback_prediction(parsed)
        found.append(parsed["intent"]["name"])
    return found


def intent_report(targets: list[str], predictions: list[str]) -> dict[str, object]:
    confused: dict[str, Counter[str]] = defaultdict(Counter)
    for target, predicted in zip(targets, predictions, strict=True):
        confused[target][predicted] += 1
    report: dict[str, object] = {
        "accuracy": sum(t == p for t, p in zip(targets, predictions, strict=True)) / len(targets),
        "weighted avg": {"support": len(targets)},
    }
    for intent, counts in sorted(confused.items()):
        support = sum(counts.values())
        others = {name: n for name, n in counts.most_common() if name != intent}
        report[intent] = {"recall": counts[intent] / support, "support": support, "confused_with": others}
    return report


def main() -> None:
    model, nlu, out = sys.argv[1:4]
    examples = load_data(nlu).intent_examples
    targets = [e.get("intent") for e in examples]
    predictions = asyncio.run(predicted_intents(model, [e.get("text") for e in examples]))
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(intent_report(targets, predictions), indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
