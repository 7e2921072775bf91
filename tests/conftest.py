"""Fixtures: one app per test session and database, emptied after each test.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from litigation import create_app
from litigation.accounts import create_user
from litigation.audit import create_triggers, drop_triggers
from litigation.cases.consents import record_consent
from litigation.cases.operations import open_case, open_proceeding
from litigation.cli.database import init_db
from litigation.db import db
from litigation.models import Case, Proceeding, Role, User
from litigation.registry import current_registry

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHIPPED_WORKFLOWS = ROOT / "workflows.yaml"
MINIMAL_WORKFLOWS = DATA / "workflows" / "minimal.yaml"
PASSWORD = "correct horse battery"
# The documents' key in tests (base64 of 32 bytes): a fixed one, never a file in instance/.
DOCUMENTS_KEY = "dGVzdCBrZXkgZm9yIGRvY3VtZW50cyAtIDMyIGJ5dGU="
# Fixtures shared by the casework record tests (a lawyer on one case, an English browser),
# and the demo site that the page-wide checks visit page by page.
pytest_plugins = ["tests.web.casework", "tests.web.every_page"]
TODAY = dt.date(2026, 11, 27)


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def _fresh_schema() -> None:
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    init_db()


def _empty_tables() -> None:
    db.session.remove()
    tables = [table.name for table in reversed(db.metadata.sorted_tables)]
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            connection.commit()
            return
        # SQLite ignores PRAGMA foreign_keys inside a transaction (the pooled connection would
        # keep them off for the next test): switch them off and on outside the one that empties.
        _sqlite_foreign_keys(connection, "OFF")
        # Row triggers keep the history append-only; the test's own cleanup lifts them
        # for its DELETEs, inside the same transaction (PostgreSQL's TRUNCATE fires none).
        drop_triggers(connection)
        for table in tables:
            connection.execute(text(f"DELETE FROM {table}"))
        create_triggers(connection)
        connection.commit()
        _sqlite_foreign_keys(connection, "ON")


def _sqlite_foreign_keys(connection, state: str) -> None:
    connection.execute(text(f"PRAGMA foreign_keys={state}"))
    connection.commit()
    assert connection.execute(text("PRAGMA foreign_keys")).scalar() == (state == "ON")
    connection.commit()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _database_url(tmp_path_factory)


class IsolatedClient(FlaskClient):
    """Each request gets its own app context (its own `g` and database session), as in
    production; the test's own session is expired afterwards so it reads what was written."""

    def open(self, *args: Any, **kwargs: Any):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


class _Apps:
    """One app per workflows file, built on first use, sharing the test database."""

    def __init__(self, database_url: str, tmp: Path) -> None:
        self.database_url = database_url
        self.tmp = tmp
        self.apps: dict[str, Flask] = {}
        self.schema_ready = False

    def __getitem__(self, name: str) -> Flask:
        if name not in self.apps:
            path = {"shipped": SHIPPED_WORKFLOWS, "minimal": MINIMAL_WORKFLOWS}[name]
            self.apps[name] = create_app(
                {
                    "TESTING": True,
                    "SECRET_KEY": "test-secret",
                    "SQLALCHEMY_DATABASE_URI": self.database_url,
                    "WORKFLOWS_PATH": str(path),
                    "TODAY": TODAY,
                    "DEMO_CREDENTIALS_FILE": str(self.tmp / "demo-logins.txt"),
                    # Most tests sign admins in by password alone; tests/web/test_two_factor.py
                    # runs the shipped policy (admins and coordinators must use a code).
                    "TWO_FACTOR_ROLES": (),
                    "DOCUMENTS_KEY": DOCUMENTS_KEY,
                    "DOCUMENTS_DIR": str(self.tmp / "documents"),
                }
            )
            self.apps[name].test_client_class = IsolatedClient
        if not self.schema_ready:
            with self.apps[name].app_context():
                _fresh_schema()
            self.schema_ready = True
        return self.apps[name]

    def dispose(self) -> None:
        for app in self.apps.values():
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


@pytest.fixture(scope="session")
def _apps(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Apps]:
    apps = _Apps(database_url, tmp_path_factory.mktemp("instance"))
    yield apps
    apps.dispose()


def _app_for(apps: _Apps, name: str) -> Iterator[Flask]:
    app = apps[name]
    with app.app_context():
        yield app
        _empty_tables()


@pytest.fixture
def app(_apps: _Apps) -> Iterator[Flask]:
    """The app with the shipped workflows.yaml, inside an app context."""
    yield from _app_for(_apps, "shipped")


@pytest.fixture
def mini_app(_apps: _Apps) -> Iterator[Flask]:
    """The app with tests/data/workflows/minimal.yaml: small routes for engine tests."""
    yield from _app_for(_apps, "minimal")


@pytest.fixture
def registry(app: Flask):
    return current_registry()


@pytest.fixture
def mini_registry(mini_app: Flask):
    return current_registry()


@pytest.fixture
def app_for(database_url: str, mini_app: Flask, tmp_path: Path) -> Iterator:
    """Factory: app_for(workflows_path, allow_stranded=False, settings={...}) -> another app on
    the test database (its tables are emptied by `mini_app` after the test)."""
    apps: list[Flask] = []

    def make(workflows: Path, settings: dict[str, Any] | None = None, **kw: Any) -> Flask:
        config = {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WORKFLOWS_PATH": str(workflows),
            "TODAY": TODAY,
            "DEMO_CREDENTIALS_FILE": str(tmp_path / "demo-logins.txt"),
            "TWO_FACTOR_ROLES": (),
            "DOCUMENTS_KEY": DOCUMENTS_KEY,
            "DOCUMENTS_DIR": str(tmp_path / "documents"),
            **(settings or {}),
        }
        app = create_app(config, **kw)
        app.test_client_class = IsolatedClient
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def create_user_():
    """Factory: create_user_(role, email=None, **kw) -> User, in the app the test uses."""
    counter = iter(range(1, 10_000))

    def make(role: Role | str = Role.LAWYER, email: str | None = None, **kw: Any) -> User:
        role = Role(role)
        user = create_user(
            email or f"{role.value}{next(counter)}@example.org", PASSWORD, role, **kw
        )
        db.session.commit()
        return user

    return make


@pytest.fixture
def create_case():
    """Factory: create_case(registry, route=..., team=[...], consents=("litigation",),
    **details) -> (Case, Proceeding); each consent given on the day the case was opened."""
    counter = iter(range(1, 10_000))

    def make(
        registry,
        route: str,
        *,
        jurisdiction: str = "KZ",
        team: list[User] | None = None,
        opened_on: dt.date = dt.date(2025, 1, 10),
        facts: dict[str, Any] | None = None,
        consents: tuple[str, ...] = ("litigation",),
        **details: Any,
    ) -> tuple[Case, Proceeding]:
        details.setdefault("incident_date", dt.date(2025, 1, 5))
        case = open_case(
            reference=f"T-{next(counter):04d}",
            survivor_name=details.pop("survivor_name", "Test Survivor"),
            jurisdiction=jurisdiction,
            opened_on=opened_on,
            team=team or [],
            **details,
        )
        for scope in consents:
            record_consent(case, {"scope": scope, "given_on": opened_on}, actor=None, today=TODAY)
        proceeding = open_proceeding(
            registry, case, route, actor=None, opened_on=opened_on, today=TODAY, facts=facts or {}
        )
        db.session.commit()
        return case, proceeding

    return make


@pytest.fixture
def mini_client(mini_app: Flask) -> FlaskClient:
    return mini_app.test_client()


CSRF_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def csrf_token(client: FlaskClient, url: str) -> str:
    """The CSRF token of the form served at `url` (as a browser would read it)."""
    page = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(page)
    assert match, f"no CSRF token in {url}"
    return match.group(1) or match.group(2)


def sign_in(client: FlaskClient, user: User, password: str = PASSWORD):
    token = csrf_token(client, "/login")
    return client.post(
        "/login", data={"email": user.email, "password": password, "csrf_token": token}
    )


def post_form(client: FlaskClient, url: str, data: dict[str, Any], form_url: str | None = None):
    """Submit a form the way a browser does: read its CSRF token first, then POST."""
    token = csrf_token(client, form_url or url)
    return client.post(url, data={**data, "csrf_token": token})
