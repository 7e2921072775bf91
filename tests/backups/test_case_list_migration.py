"""Migration 0023 on a database with cases in it: each case's earliest open deadline and its
folded words are filled in, as the operations keep them afterwards."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from litigation.cases import open_case, open_proceeding
from litigation.db import MIGRATIONS, db
from litigation.registry import current_registry

from ..conftest import TODAY


def _columns() -> list[tuple]:
    with db.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT reference, next_due, search_text FROM cases ORDER BY id")
        )
        return [tuple(row) for row in rows]


def test_the_migration_fills_each_case_s_next_deadline_and_folded_words(app_on, empty_database):
    target = app_on(empty_database)
    with target.app_context():
        upgrade(directory=MIGRATIONS)
        registry = current_registry()
        details = {"jurisdiction": "KZ", "opened_on": TODAY, "team": []}
        named = open_case(reference="KZ-Ё1", survivor_name="Артём  СЕМЁНОВ", **details)
        facts = {"reported_on": TODAY}
        open_proceeding(
            registry, named, "kz_criminal", actor=None, opened_on=TODAY, today=TODAY, facts=facts
        )
        open_case(reference="TJ-2", survivor_name="Гуля", authority="ОВД Сино", **details)
        db.session.commit()
        kept = _columns()
        downgrade(directory=MIGRATIONS, revision="0020")
        with db.engine.connect() as connection:
            gone = {c["name"] for c in inspect(connection).get_columns("cases")}
        upgrade(directory=MIGRATIONS)
        filled = _columns()
    assert not gone & {"next_due", "search_text"}
    assert filled == kept
    assert filled[0][2] == "kz-е1 артем семенов"
    assert filled[0][1] is not None  # the deadline the route opened with
    assert filled[1][1:] == (None, "tj-2 гуля овд сино")
