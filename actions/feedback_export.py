"""`python -m actions.feedback_export [--out FILE] [--all]`: stored predictions with the users' answers as CSV.

Reads FEEDBACK_DB_URL (see .env.example). By default only the predictions a user answered (right, or
wrong with the name they typed): the rows that can feed retraining.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import TextIO

from actions.services.feedback_store import EXPORT_COLUMNS, FeedbackStore
from actions.settings import Settings


def export(store: FeedbackStore, out: TextIO, answered_only: bool = True) -> int:
    """Write the rows as CSV to the open text file `out`; the number of rows written."""
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    count = 0
    for row in store.rows(answered_only):
        writer.writerow(row)
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m actions.feedback_export", description=__doc__)
    parser.add_argument("--out", type=Path, help="CSV file to write (default: standard output)")
    parser.add_argument("--all", action="store_true", help="also predictions nobody answered")
    args = parser.parse_args(argv)
    store = FeedbackStore(Settings.from_env().feedback_db_url)
    if args.out is None:
        export(store, sys.stdout, not args.all)
        return 0
    with args.out.open("w", newline="", encoding="utf-8") as out:
        count = export(store, out, not args.all)
    print(f"{count} rows written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
