"""Migration 0016 on a database that still has the two consent checkboxes: each ticked box
becomes a consent record dated the day the case was opened, the columns go, nothing else of
the case is touched (SQLite must not copy `cases`: its implicit DELETE would cascade), and
the downgrade ticks the boxes again. Also: the migrations build the schema the models declare."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, make_url

from litigation.db import db

from ..backups.conftest import fresh_postgresql_database
from ..conftest import MINIMAL_WORKFLOWS

D = dt.date
CASES = [  # id, reference, litigation, publication, opened_on
    (1, "KZ-1", True, True, D(2024, 3, 1)),
    (2, "KZ-2", True, False, D(2025, 6, 2)),
    (3, "KZ-3", False, False, D(2026, 1, 5)),
]


def test_the_migrations_build_the_schema_the_models_declare(mini_app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


@pytest.fixture
def scratch(mini_app, app_for, tmp_path: Path) -> Iterator[Flask]:
    """An app on a new, empty database of the kind the tests run on."""
    source = db.engine.url
    if source.get_backend_name() == "sqlite":
        url: URL = make_url(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    else:
        url = source.set(database=f"{source.database}_migration")
        fresh_postgresql_database(url)
    app = app_for(MINIMAL_WORKFLOWS, {"SQLALCHEMY_DATABASE_URI": url.render_as_string(False)})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _old_rows() -> None:
    """Cases as 0013 stored them, with a proceeding and its opening event each."""
    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with db.engine.begin() as connection:
        for case_id, reference, litigation, publication, opened_on in CASES:
            connection.execute(
                text(
                    "INSERT INTO cases (id, reference, jurisdiction, survivor_name,"
                    " forensic_exam_done, consent_to_litigation, consent_to_publication,"
                    " reprisal_risk, opened_on, created_at, version) VALUES (:id, :ref, 'KZ',"
                    " 'Survivor', :no, :lit, :pub, 'low', :opened, :stamp, 1)"
                ),
                {"id": case_id, "ref": reference, "no": False, "lit": litigation}
                | {"pub": publication, "opened": opened_on, "stamp": stamp},
            )
            connection.execute(
                text(
                    "INSERT INTO proceedings (id, case_id, route, stage, opened_on, version,"
                    " updated_at) VALUES (:id, :id, 'domestic', 'reported', :opened, 1, :stamp)"
                ),
                {"id": case_id, "opened": opened_on, "stamp": stamp},
            )
            connection.execute(
                text(
                    "INSERT INTO events (id, proceeding_id, trigger, to_stage, occurred_on,"
                    " recorded_at, facts) VALUES (:id, :id, 'open', 'reported', :opened,"
                    " :stamp, '{}')"
                ),
                {"id": case_id, "opened": opened_on, "stamp": stamp},
            )


def _rows(sql: str) -> list[tuple]:
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def test_the_ticked_boxes_become_consent_records_and_the_columns_go(scratch):
    upgrade(revision="0013")
    _old_rows()

    upgrade(revision="0016")

    records = _rows(
        "SELECT case_id, scope, given_on, recorded_by_id, withdrawn_on, note"
        " FROM consent_records ORDER BY case_id, scope"
    )
    # Raw SQL: SQLite gives dates as ISO text, PostgreSQL as dates.
    assert [(r[0], r[1], str(r[2]), r[3], r[4]) for r in records] == [
        (1, "litigation", "2024-03-01", None, None),
        (1, "publication", "2024-03-01", None, None),
        (2, "litigation", "2025-06-02", None, None),
    ]
    assert all("Carried over from the former checkbox" in row[5] for row in records)
    columns = {column["name"] for column in inspect(db.engine).get_columns("cases")}
    assert not {"consent_to_litigation", "consent_to_publication"} & columns
    # Every case keeps its proceeding and its history.
    assert _rows("SELECT COUNT(*) FROM proceedings") == [(3,)]
    assert _rows("SELECT COUNT(*) FROM events") == [(3,)]


def test_the_downgrade_ticks_the_boxes_of_current_consents_again(scratch):
    upgrade(revision="0013")
    _old_rows()
    upgrade(revision="0016")
    with db.engine.begin() as connection:  # case 1 withdrew its consent to publication
        connection.execute(
            text(
                "UPDATE consent_records SET withdrawn_on = :day"
                " WHERE case_id = 1 AND scope = 'publication'"
            ),
            {"day": D(2026, 2, 1)},
        )

    downgrade(revision="0013")

    rows = _rows("SELECT id, consent_to_litigation, consent_to_publication FROM cases ORDER BY id")
    assert [(i, bool(lit), bool(pub)) for i, lit, pub in rows] == [
        (1, True, False),
        (2, True, False),
        (3, False, False),
    ]
    assert "consent_records" not in inspect(db.engine).get_table_names()
