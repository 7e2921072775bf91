"""Database wiring: SQLAlchemy, Alembic migrations (flask-migrate), SQLite pragmas."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_migrate import Migrate
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .db import db

MIGRATIONS = str(Path(__file__).parent / "migrations")
migrate = Migrate(directory=MIGRATIONS)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # SQLite: enforce foreign keys, and let readers work while a request writes. Its own
    # lower() folds only ASCII; survivors' names are Cyrillic, so ILIKE needs Python's.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def _unicode_lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


def init_app(app: Flask) -> None:
    from . import models  # noqa: F401  (register the tables)

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    migrate.init_app(app, db)
