"""`litigation export` and `litigation import`: every row of every table, through JSON, into
a new database, and nothing at all into one that is not new."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import event, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from litigation.backups import unsupported_columns
from litigation.db import db
from litigation.models import AuditEntry, AuditKind, Case, Proceeding, User, case_assignments

from ..conftest import TODAY, csrf_token, post_form
from .conftest import current_url, demo_logins, every_row

LAWYER = "lawyer1@demo.example"


def _demo_with_a_signed_in_lawyer(app: Flask) -> None:
    """The demo cases, and a lawyer's sign-in: sessions and the audit trail have rows too."""
    result = app.test_cli_runner().invoke(args=["demo", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    password = demo_logins(Path(app.config["DEMO_CREDENTIALS_FILE"]))[LAWYER]
    client = app.test_client()
    token = csrf_token(client, "/login")
    signed_in = client.post(
        "/login", data={"email": LAWYER, "password": password, "csrf_token": token}
    )
    assert signed_in.status_code == 302


def _export(app: Flask, path: Path, *args: str):
    return app.test_cli_runner().invoke(args=["export", str(path), *args])


def _new_schema(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output


def _load_into(target: Flask, path: Path) -> None:
    with target.app_context():
        _new_schema(target)
    result = _import(target, path)
    assert result.exit_code == 0, result.output


def _import(app: Flask, path: Path):
    with app.app_context():
        return app.test_cli_runner().invoke(args=["import", str(path)])


def test_every_column_type_of_the_schema_can_be_exported():
    problems = [name for table in db.metadata.sorted_tables for name in unsupported_columns(table)]

    assert problems == []


def test_demo_data_round_trips_through_export_and_import(app, app_on, empty_database, tmp_path):
    _demo_with_a_signed_in_lawyer(app)
    source = every_row(current_url())
    # The cycle proceedings -> events -> proceedings is in the data, as are the append-only
    # tables (events, audit entries).
    assert any(row.parent_event_id for row in db.session.scalars(select(Proceeding)))
    assert source["audit_entries"] and source["events"] and source["user_sessions"]
    path = tmp_path / "export.json"

    exported = _export(app, path)

    assert exported.exit_code == 0, exported.output
    target = app_on(empty_database)
    with target.app_context():
        _new_schema(target)
    imported = _import(target, path)
    assert imported.exit_code == 0, imported.output
    assert f"Imported {sum(map(len, source.values()))} rows" in imported.output
    assert every_row(empty_database) == source


def test_an_export_moves_from_postgresql_to_sqlite_and_back(app, app_on, empty_database, tmp_path):
    if empty_database.get_backend_name() != "postgresql":
        pytest.skip("moving between SQLite and PostgreSQL needs TEST_DATABASE_URL")
    _demo_with_a_signed_in_lawyer(app)
    source = every_row(current_url())
    sqlite = app_on(make_url(f"sqlite:///{tmp_path / 'moved.sqlite3'}"))
    # A server in Almaty's time zone: times must still arrive as the same instants (SQLite
    # keeps them without a zone; the export says UTC).
    almaty = {"connect_args": {"options": "-c timezone=Asia/Almaty"}}
    postgresql = app_on(empty_database, {"SQLALCHEMY_ENGINE_OPTIONS": almaty})

    assert _export(app, tmp_path / "from-postgresql.json").exit_code == 0
    _load_into(sqlite, tmp_path / "from-postgresql.json")
    with sqlite.app_context():
        assert _export(sqlite, tmp_path / "from-sqlite.json").exit_code == 0
    _load_into(postgresql, tmp_path / "from-sqlite.json")

    assert every_row(empty_database) == source


def test_an_export_is_one_document_of_every_table_with_dates_as_iso_strings(app, tmp_path):
    _demo_with_a_signed_in_lawyer(app)
    path = tmp_path / "export.json"

    result = _export(app, path)

    assert result.exit_code == 0, result.output
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format_version"] == 1
    assert document["schema_revision"] == _revision()
    assert document["exported_at"].startswith(TODAY.isoformat()[:2])
    assert list(document["tables"]) == [table.name for table in db.metadata.sorted_tables]
    [case] = [row for row in document["tables"]["cases"] if row["reference"].endswith("-001")]
    stored = db.session.get(Case, case["id"])
    assert case["opened_on"] == stored.opened_on.isoformat()
    [person] = [row for row in document["tables"]["survivors"] if row["id"] == case["survivor_id"]]
    assert person["name"] == stored.survivor_name
    [event, *_] = document["tables"]["events"]
    assert isinstance(event["facts"], dict)  # a JSON column stays JSON, not a string
    assert event["recorded_at"].endswith("+00:00")


@pytest.fixture
def commit_during_export(app: Flask) -> Iterator[None]:
    """When the export is about to read case_assignments, another connection commits a new
    lawyer and their assignment to a case: users are read by then, assignments not yet."""
    done = []

    def commit(_connection, _cursor, statement: str, *_args) -> None:
        if done or "FROM case_assignments" not in statement:
            return
        done.append(True)
        with Session(db.engine) as writer:
            late = User(email="late@example.org", name="Late", role="lawyer", password_hash="x")
            writer.add(late)
            writer.flush()
            case_id = writer.scalar(select(Case.id).limit(1))
            writer.execute(insert(case_assignments).values(case_id=case_id, user_id=late.id))
            writer.commit()

    event.listen(db.engine, "before_cursor_execute", commit)
    yield
    event.remove(db.engine, "before_cursor_execute", commit)
    assert done, "the export never read case_assignments"


def test_an_export_reads_one_moment_while_others_commit(app, tmp_path, commit_during_export):
    _demo_with_a_signed_in_lawyer(app)
    path = tmp_path / "export.json"

    result = _export(app, path)

    assert result.exit_code == 0, result.output
    tables = json.loads(path.read_text(encoding="utf-8"))["tables"]
    users = {row["id"] for row in tables["users"]}
    assert {row["user_id"] for row in tables["case_assignments"]} <= users
    assert "late@example.org" not in {row["email"] for row in tables["users"]}
    assert db.session.scalar(select(User).where(User.email == "late@example.org"))


def _revision() -> str:
    return (
        db.session.connection().exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    )


def test_an_export_is_readable_by_its_owner_only_and_says_so(app, tmp_path):
    path = tmp_path / "export.json"

    result = _export(app, path)

    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "survivor data" in result.output and "mode 0600" in result.output


def test_an_export_never_replaces_a_file_unless_forced(app, tmp_path):
    path = tmp_path / "export.json"
    path.write_text("the only other copy", encoding="utf-8")

    refused = _export(app, path)

    assert refused.exit_code == 1
    assert "exists" in refused.output and "--force" in refused.output
    assert path.read_text(encoding="utf-8") == "the only other copy"
    forced = _export(app, path, "--force")
    assert forced.exit_code == 0, forced.output
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "litigation-export"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_export_is_in_the_audit_trail_with_its_path_and_rows(app, tmp_path):
    _demo_with_a_signed_in_lawyer(app)
    rows = sum(map(len, every_row(current_url()).values()))
    path = tmp_path / "export.json"

    _export(app, path)

    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.kind == AuditKind.EXPORT))
    assert entry.details == {"path": str(path), "rows": rows}
    assert entry.actor_id is None


def test_import_refuses_a_database_that_has_rows_and_changes_nothing(
    app, app_on, empty_database, tmp_path
):
    path = tmp_path / "export.json"
    _demo_with_a_signed_in_lawyer(app)
    assert _export(app, path).exit_code == 0
    target = app_on(empty_database)
    with target.app_context():
        _new_schema(target)
        made = target.test_cli_runner().invoke(
            args=[
                "create-user",
                "x@example.org",
                "--role",
                "admin",
                "--password",
                "a long passphrase",
            ]
        )
        assert made.exit_code == 0, made.output
    before = every_row(empty_database)

    result = _import(target, path)

    assert result.exit_code == 1
    # The account and its creation on the audit trail.
    assert "this database is not empty: audit_entries (1), users (1)." in result.output
    assert "litigation init-db" in result.output
    assert every_row(empty_database) == before


def test_import_refuses_an_export_of_another_schema_revision(app, app_on, empty_database, tmp_path):
    path = tmp_path / "export.json"
    assert _export(app, path).exit_code == 0
    document = json.loads(path.read_text(encoding="utf-8"))
    document["schema_revision"] = "0008"
    path.write_text(json.dumps(document), encoding="utf-8")
    target = app_on(empty_database)
    with target.app_context():
        _new_schema(target)
        revision = _revision()

    result = _import(target, path)

    assert result.exit_code == 1
    assert (
        f"the export is of schema revision 0008 and this database is at {revision}" in result.output
    )
    assert not any(every_row(empty_database).values())


def test_import_asks_for_init_db_on_a_database_without_a_schema(
    app, app_on, empty_database, tmp_path
):
    path = tmp_path / "export.json"
    assert _export(app, path).exit_code == 0

    result = _import(app_on(empty_database), path)

    assert result.exit_code == 1
    assert "this database has no schema: run `litigation init-db` first" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "cannot read"),
        ('{"format": "something else"}', "is not an export of this application"),
        ('{"format": "litigation-export", "format_version": 2}', "in export format 2"),
        (
            '{"format": "litigation-export", "format_version": 1, "tables": {}}',
            "does not say which schema revision it is of",
        ),
        (
            '{"format": "litigation-export", "format_version": 1, "schema_revision": "0001", '
            '"tables": {"users": []}}',
            "the export's tables differ from this schema's",
        ),
    ],
)
def test_import_refuses_a_file_that_is_not_an_export(app, tmp_path, content, message):
    path = tmp_path / "export.json"
    path.write_text(content, encoding="utf-8")

    result = _import(app, path)

    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_after_an_import_lawyers_sign_in_and_open_cases_with_new_ids(
    app, app_on, empty_database, tmp_path
):
    _demo_with_a_signed_in_lawyer(app)
    largest = db.session.scalar(select(db.func.max(Case.id)))
    path = tmp_path / "export.json"
    assert _export(app, path).exit_code == 0
    target = app_on(empty_database)
    with target.app_context():
        _new_schema(target)
    assert _import(target, path).exit_code == 0
    client = target.test_client()
    password = demo_logins(Path(app.config["DEMO_CREDENTIALS_FILE"]))[LAWYER]

    signed_in = post_form(client, "/login", {"email": LAWYER, "password": password})
    opened = post_form(
        client,
        "/cases/new",
        {
            "reference": "KZ-2026-900",
            "survivor_name": "Ержан Импортов",  # a person the demo does not have
            "jurisdiction": "KZ",
            "opened_on": "2026-11-20",
            "route": "kz_criminal",
            "route_opened_on": "2026-11-20",
            "first_fact": "2026-11-19",
            "reprisal_risk": "high",
            "consent_litigation": "y",
            "consent_given_on": "2026-11-20",
        },
    )

    assert signed_in.status_code == 302  # the password hash came through
    assert opened.status_code == 302, opened.get_data(as_text=True)[:2000]
    assert opened.headers["Location"].endswith(f"/cases/{largest + 1}")
    page = client.get(opened.headers["Location"]).get_data(as_text=True)
    assert "KZ-2026-900" in page and "Ержан Импортов" in page
