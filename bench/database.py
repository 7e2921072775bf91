"""The benchmarks' app and data: a fresh schema filled with N generated cases.

Every bench script signs in with PASSWORD and polls feeds with tokens made from FEED_SECRET:
the data is fictional and the database is the benchmark's own.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import text
from werkzeug.security import generate_password_hash

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from litigation import create_app  # noqa: E402
from litigation.db import db, init_db  # noqa: E402
from litigation.demo_data import Generated, generate  # noqa: E402
from litigation.demo_data.people import COORDINATOR  # noqa: E402,F401
from litigation.documents import vault_of  # noqa: E402
from litigation.registry import current_registry  # noqa: E402

TODAY = dt.date(2026, 11, 27)
SEED = 1
PASSWORD = "bench password 123"
FEED_SECRET = "bench feeds"
# A fixed documents key (base64 of 32 bytes): the generated documents open in every run.
DOCUMENTS_KEY = "YmVuY2ggZG9jdW1lbnRzIGtleSwgMzIgYnl0ZXMhISE="


def database_url(cases: int, url: str | None) -> str:
    """The SQLAlchemy URL: `url` for psycopg, else bench/bench-N.sqlite."""
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{ROOT / 'bench' / f'bench-{cases}.sqlite'}"


def settings(url: str) -> dict[str, Any]:
    """The bench app's settings. Two-factor is off for every role, for the bench only: the
    coordinator signs in by password, so that pages, not authenticator codes, are timed."""
    return {
        "TESTING": False,
        "SECRET_KEY": "bench",
        "SQLALCHEMY_DATABASE_URI": url,
        "WORKFLOWS_PATH": str(ROOT / "workflows.yaml"),
        "TODAY": TODAY,
        "TWO_FACTOR_ROLES": (),
        "DOCUMENTS_KEY": DOCUMENTS_KEY,
    }


def bench_app(url: str) -> Flask:
    return create_app(settings(url))


def fresh_data(app: Flask, cases: int) -> tuple[Generated, float]:
    """Empty the database, migrate it, generate `cases` cases; the seconds generation took."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            Path(db.engine.url.database).unlink(missing_ok=True)
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        init_db()
        started = time.perf_counter()
        made = generate(
            db.engine,
            current_registry(),
            vault_of(app).keys(),
            cases=cases,
            seed=SEED,
            today=TODAY,
            password_hash=generate_password_hash(PASSWORD),
            feed_secret=FEED_SECRET,
            progress=_progress,
        )
        seconds = time.perf_counter() - started
        analyze()
    print(file=sys.stderr)
    return made, seconds


def _progress(done: int) -> None:
    print(f"\r  {done:,} cases", end="", file=sys.stderr, flush=True)


def analyze() -> None:
    """Fresh planner statistics, as a live database has."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with db.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
