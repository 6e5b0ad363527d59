"""The feedback store on its embedded default (SQLite) and on PostgreSQL (a real server), as several action servers
share it."""

import csv
import io
import threading
import uuid

import pytest
import sqlalchemy

from actions.feedback_export import export
from actions.services.feedback_store import FeedbackStore, PredictionRecord
from testkit.stores import Store

RECORD = PredictionRecord("ab" * 32, "fruits-123", "fruit", "Banana", "Banana", 0.97)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path) -> FeedbackStore:
    if request.param == "sqlite":
        return FeedbackStore(f"sqlite:///{tmp_path / 'sub' / 'feedback.sqlite'}")
    return FeedbackStore(new_database(request.getfixturevalue("postgres_server")))


def new_database(server: Store) -> str:
    """The URL of a new, empty database of its own on the PostgreSQL server."""
    database = f"feedback_{uuid.uuid4().hex[:8]}"
    admin = sqlalchemy.create_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as db:
        db.execute(sqlalchemy.text(f"CREATE DATABASE {database}"))
    admin.dispose()
    return server.url.rsplit("/", 1)[0] + f"/{database}"


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


def test_action_servers_starting_together_on_one_new_database_all_start(postgres_server: Store) -> None:
    """Several action servers of a deployment start at once on the same empty database: each creates the table if it
    is missing, and none may fail because another created it a moment before."""
    url, starters = new_database(postgres_server), 8
    barrier, errors, stores = threading.Barrier(starters), [], []

    def start() -> None:
        barrier.wait()
        try:
            store = FeedbackStore(url)
            stores.append(store)
            store.add_prediction(RECORD)
        except Exception as error:  # the test reports what any starter raised
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(starters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(list(stores[0].rows(answered_only=False))) == starters
    for store in stores:
        store.engine.dispose()
