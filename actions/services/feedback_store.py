"""Every prediction the bot makes, and what the user said about it: data for retraining (SQLAlchemy)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine

metadata = MetaData()
predictions = Table(
    "predictions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("image_sha256", String(64), nullable=False),
    Column("model_version", String(64), nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("label", String(64)),  # the model's best class, None when nothing was offered
    Column("name", String(128)),
    Column("p", Float),
    Column("user_says_right", Boolean),  # None until the user answers
    Column("corrected_name", String(200)),  # what the user says it is, after "wrong"
)
EXPORT_COLUMNS = [c.name for c in predictions.columns]
SCHEMA_LOCK_KEY = 0x46425F4642  # any fixed number: the PostgreSQL advisory lock our schema creation holds


@dataclass(frozen=True)
class PredictionRecord:
    image_sha256: str
    model_version: str
    verdict: str
    label: str | None
    name: str | None
    p: float | None


class FeedbackStore:
    """Predictions and feedback in any SQLAlchemy database (default: an embedded SQLite file)."""

    def __init__(self, url: str) -> None:
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(url)
        self._create_missing_tables()

    def _create_missing_tables(self) -> None:
        """Create the table if it is missing. Action servers that start together on one PostgreSQL database take
        turns (an advisory lock held until the transaction ends), so none of them fails because another created the
        table a moment before; SQLite serialises writers by itself."""
        with self.engine.begin() as db:
            if db.dialect.name == "postgresql":
                db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
            metadata.create_all(db)

    def add_prediction(self, record: PredictionRecord) -> int:
        """Store a prediction; its id lets the user's answer find it later."""
        with self.engine.begin() as db:
            row = {**record.__dict__, "created_at": dt.datetime.now(dt.UTC)}
            inserted = db.execute(predictions.insert().values(**row)).inserted_primary_key
            assert inserted is not None  # an INSERT of one row always has its key
            return int(inserted[0])

    def set_feedback(self, prediction_id: int, right: bool, corrected_name: str | None = None) -> bool:
        """Record the user's answer; False when there is no such prediction."""
        values = {"user_says_right": right, "corrected_name": corrected_name}
        with self.engine.begin() as db:
            return (
                db.execute(update(predictions).where(predictions.c.id == prediction_id).values(**values)).rowcount == 1
            )

    def rows(self, answered_only: bool = True) -> Iterator[dict[str, Any]]:
        """Stored predictions (by default only those the user answered), oldest first."""
        query = select(predictions).order_by(predictions.c.id)
        if answered_only:
            query = query.where(predictions.c.user_says_right.is_not(None))
        with self.engine.connect() as db:
            for row in db.execute(query):
                yield dict(row._mapping)
