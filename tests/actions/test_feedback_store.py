import csv
import io

from actions.feedback_export import export
from actions.services.feedback_store import FeedbackStore, PredictionRecord

RECORD = PredictionRecord("ab" * 32, "fruits-123", "fruit", "Banana", "Banana", 0.97)


def test_predictions_and_answers_are_stored_and_exported(tmp_path) -> None:
    store = FeedbackStore(f"sqlite:///{tmp_path / 'sub' / 'feedback.sqlite'}")
    right = store.add_prediction(RECORD)
    wrong = store.add_prediction(PredictionRecord("cd" * 32, "fruits-123", "unsure", "Kiwi", "Kiwi", 0.4))
    store.add_prediction(RECORD)  # never answered
    assert store.set_feedback(right, True)
    assert store.set_feedback(wrong, False, "Feijoa")
    assert not store.set_feedback(999, True)

    out = io.StringIO()
    assert export(store, out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["label"], r["user_says_right"], r["corrected_name"]) for r in rows] == [
        ("Banana", "True", ""),
        ("Kiwi", "False", "Feijoa"),
    ]
    assert rows[0]["image_sha256"] == "ab" * 32 and rows[0]["model_version"] == "fruits-123"
    assert export(store, io.StringIO(), answered_only=False) == 3
