"""Migration 0014 on a database with cases in it: each case's survivor becomes a record of
its own (never merged by name), and the name, contact and risk leave the cases table."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import inspect, text

from litigation.db import MIGRATIONS, db

OLD_CASES = [
    (1, "KZ-1", "Асхат Н.", "+7 701", "high"),
    (2, "KZ-2", "Асхат Н.", None, "unknown"),  # the same name: perhaps not the same person
]


def test_each_case_s_survivor_becomes_a_person_and_leaves_the_cases_table(app_on, empty_database):
    target = app_on(empty_database)
    with target.app_context():
        upgrade(directory=MIGRATIONS, revision="0013")
        with db.engine.begin() as connection:
            for row in OLD_CASES:
                connection.execute(
                    text(
                        "INSERT INTO cases (id, reference, jurisdiction, survivor_name, "
                        "survivor_contact, reprisal_risk, opened_on, created_at, version, "
                        "forensic_exam_done, consent_to_litigation, consent_to_publication) "
                        "VALUES (:id, :ref, 'KZ', :name, :contact, :risk, '2025-01-10', "
                        "'2025-01-10 10:00:00', 1, false, false, false)"
                    ),
                    dict(zip(("id", "ref", "name", "contact", "risk"), row, strict=True)),
                )
                # A proceeding: rebuilding `cases` must not cascade into what hangs from it.
                connection.execute(
                    text(
                        "INSERT INTO proceedings (case_id, route, stage, opened_on, version, "
                        "updated_at) VALUES (:id, 'kz_criminal', 'reported', '2025-01-10', 1, "
                        "'2025-01-10 10:00:00')"
                    ),
                    {"id": row[0]},
                )

        upgrade(directory=MIGRATIONS)

        with db.engine.connect() as connection:
            moved = connection.execute(
                text(
                    "SELECT cases.reference, survivors.name, survivors.name_folded, "
                    "survivors.contact, survivors.reprisal_risk, survivors.sex FROM cases "
                    "JOIN survivors ON survivors.id = cases.survivor_id ORDER BY cases.id"
                )
            ).all()
            columns = {column["name"] for column in inspect(connection).get_columns("cases")}
            proceedings = connection.execute(text("SELECT count(*) FROM proceedings")).scalar()
            foreign_keys = connection.exec_driver_sql(
                "PRAGMA foreign_keys" if connection.dialect.name == "sqlite" else "SELECT 1"
            ).scalar()
    assert [tuple(row) for row in moved] == [
        ("KZ-1", "Асхат Н.", "асхат н.", "+7 701", "high", "unknown"),
        ("KZ-2", "Асхат Н.", "асхат н.", None, "unknown", "unknown"),
    ]
    assert not columns & {"survivor_name", "survivor_contact", "reprisal_risk"}
    assert "survivor_id" in columns
    assert proceedings == 2
    assert foreign_keys == 1  # on again once the migrations ran
