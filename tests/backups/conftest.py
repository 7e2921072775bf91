"""Second databases to restore into, and reading every row of one, for the backup tests.

On SQLite the target is a new file; on PostgreSQL it is TEST_RESTORE_DATABASE_URL, or the
test database's name with `_restore` (dropped and created again for each test).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import URL, make_url

from litigation import create_app
from litigation.db import db

from ..conftest import DOCUMENTS_KEY, SHIPPED_WORKFLOWS, TODAY, IsolatedClient

Rows = dict[str, list[tuple[Any, ...]]]


def every_row(url: str | URL) -> Rows:
    """{table: every row, in primary-key order} of the database at `url`, all columns."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: [
                    tuple(row)
                    for row in connection.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for table in db.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def current_url() -> URL:
    """The URL of the current app's database."""
    return db.engine.url


def restore_url(source: URL) -> URL:
    configured = os.environ.get("TEST_RESTORE_DATABASE_URL")
    if configured:
        return make_url(configured.replace("postgresql://", "postgresql+psycopg://", 1))
    return source.set(database=f"{source.database}_restore")


def fresh_postgresql_database(url: URL) -> None:
    """Drop and create the database at `url`, as `dropdb` and `createdb` would."""
    name = url.database
    assert name and re.fullmatch(r"\w+", name), name
    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()


@pytest.fixture
def empty_database(app: Flask, tmp_path: Path) -> URL:
    """A new database with no tables, of the same kind as the test database."""
    source = current_url()
    if source.get_backend_name() == "sqlite":
        return make_url(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    target = restore_url(source)
    fresh_postgresql_database(target)
    return target


@pytest.fixture
def app_on(tmp_path: Path) -> Iterator[Callable[[URL], Flask]]:
    """Factory: app_on(url, settings={...}) -> an app with the shipped workflows on the
    database at `url`."""
    apps: list[Flask] = []

    def make(url: URL, settings: dict[str, Any] | None = None) -> Flask:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret",
                "SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False),
                "WORKFLOWS_PATH": str(SHIPPED_WORKFLOWS),
                "TODAY": TODAY,
                "DEMO_CREDENTIALS_FILE": str(tmp_path / "other-demo-logins.txt"),
                "DOCUMENTS_KEY": DOCUMENTS_KEY,
                "DOCUMENTS_DIR": str(tmp_path / "documents"),
                **(settings or {}),
            }
        )
        app.test_client_class = IsolatedClient
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def demo_logins(path: Path) -> dict[str, str]:
    """{email: password} from the file `litigation demo` writes."""
    logins = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        _role, email, password = line.split()
        logins[email] = password
    return logins
