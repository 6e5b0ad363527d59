"""The feedback store on its embedded default (SQLite) and on PostgreSQL (a real server), as several action servers
share it."""

import csv
import io
import uuid

import pytest
import sqlalchemy

from actions.feedback_export import export
from actions.services.feedback_store import FeedbackStore, PredictionRecord

RECORD = PredictionRecord("ab" * 32, "fruits-123", "fruit", "Banana", "Banana", 0.97)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path) -> FeedbackStore:
    if request.param == "sqlite":
        return FeedbackStore(f"sqlite:///{tmp_path / 'sub' / 'feedback.sqlite'}")
    server = request.getfixturevalue("postgres_server")
    database = f"feedback_{uuid.uuid4().hex[:8]}"  # a database of its own per test
    admin = sqlalchemy.create_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as db:
        db.execute(sqlalchemy.text(f"CREATE DATABASE {database}"))
    admin.dispose()
    return FeedbackStore(server.url.rsplit("/", 1)[0] + f"/{database}")


def test_predictions_and_answers_are_stored_and_exported(store: FeedbackStore) -> None:
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
