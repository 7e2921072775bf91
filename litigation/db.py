"""The database: the SQLAlchemy handle, the column types the models repeat, Alembic
migrations (flask-migrate), SQLite pragmas, and bringing the schema up to date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

from flask import Flask
from flask_migrate import Migrate, upgrade
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData, String, event, func
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, mapped_column
from sqlalchemy.sql.functions import FunctionElement

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
MIGRATIONS = str(Path(__file__).parent / "migrations")
migrate = Migrate(directory=MIGRATIONS)


def utcnow() -> dt.datetime:
    """Aware UTC now; the only place records read the clock for `recorded_at` stamps."""
    return dt.datetime.now(dt.UTC)


def aware(moment: dt.datetime) -> dt.datetime:
    """A stored time as aware UTC: SQLite returns naive datetimes, and every one is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


intpk = Annotated[int, mapped_column(primary_key=True)]
str40 = Annotated[str, mapped_column(String(40))]
str200 = Annotated[str, mapped_column(String(200))]
timestamp = Annotated[dt.datetime, mapped_column(DateTime(timezone=True), default=utcnow)]


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


# Cyrillic capitals (Russian, Kazakh, Tajik) and their small letters, Ё and ё read as е: what
# PostgreSQL's translate() folds whatever the database's locale (lower() in the C locale
# folds ASCII only).
CYRILLIC_CAPITALS = "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯӘҒҚҢӨҰҮҺІҶӢӮҲЁё"
CYRILLIC_SMALL = "абвгдежзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіҷӣӯҳее"


class folded(FunctionElement):
    """SQL: a text column folded as `cases.survivors.fold_name` folds a name (case, ё/е), to
    compare with words folded in Python. SQLite's lower() is Python's (see _sqlite_pragmas)."""

    name = "folded"
    type = String()
    inherit_cache = True


@compiles(folded)
def _folded_default(element: folded, compiler, **kw) -> str:
    (column,) = element.clauses
    return compiler.process(func.replace(func.lower(column), "ё", "е"), **kw)


@compiles(folded, "postgresql")
def _folded_postgresql(element: folded, compiler, **kw) -> str:
    (column,) = element.clauses
    small = func.translate(column, CYRILLIC_CAPITALS, CYRILLIC_SMALL)
    return compiler.process(func.lower(small), **kw)


def init_app(app: Flask) -> None:
    from . import models  # noqa: F401  (register the tables)

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    migrate.init_app(app, db)


def init_db() -> None:
    """Bring the schema to the newest migration (creates it on an empty database)."""
    upgrade()
