"""Rows waiting to be inserted, per table, written in the order the foreign keys need."""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import Connection, Table, insert, text

from ..db import db

# Parents before children; the tables whose ids are set here, not by the database.
ORDER = (
    "survivors",
    "cases",
    "case_assignments",
    "consent_records",
    "proceedings",
    "events",
    "deadlines",
    "stage_stays",
    "hearings",
    "case_contacts",
    "documents",
    "document_versions",
    "document_blobs",
)
NUMBERED = (
    "users",
    "survivors",
    "cases",
    "proceedings",
    "events",
    "deadlines",
    "hearings",
    "case_contacts",
    "documents",
    "document_versions",
)


def table(name: str) -> Table:
    return db.metadata.tables[name]


class Rows:
    """Rows of every table, and the last id given in each."""

    def __init__(self) -> None:
        self.pending: dict[str, list[dict]] = defaultdict(list)
        self.ids: Counter[str] = Counter()
        self.written: Counter[str] = Counter()

    def next_id(self, name: str) -> int:
        self.ids[name] += 1
        return self.ids[name]

    def add(self, name: str, row: dict) -> None:
        self.pending[name].append(row)

    def write(self, connection: Connection) -> None:
        """Insert what is pending, table by table, and forget it."""
        for name in ORDER:
            rows = self.pending.pop(name, [])
            if rows:
                connection.execute(insert(table(name)), rows)
                self.written[name] += len(rows)
        assert not self.pending, f"tables missing from ORDER: {sorted(self.pending)}"


def advance_sequences(connection: Connection) -> None:
    """PostgreSQL: the next id of each table follows the ids written here."""
    if connection.dialect.name != "postgresql":
        return
    for name in NUMBERED:
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {name}), false)"
            )
        )
