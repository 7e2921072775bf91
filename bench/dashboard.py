"""Benchmark the coordinators' dashboard over a generated history.

    .venv/bin/python bench/dashboard.py                       # 10,000 cases, SQLite
    .venv/bin/python bench/dashboard.py --cases 100000
    .venv/bin/python bench/dashboard.py --database-url postgresql://postgres@127.0.0.1/postgres

Builds the schema with the migrations, generates N cases (bench/generate.py), then times the
pages through the Flask test client, signed in as a coordinator (median of --runs after two
warm-up runs), and each dashboard query on its own. SQLite files go to bench/*.sqlite
(git-ignored). The PostgreSQL database given is emptied first: never point it at real data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from generate import History  # noqa: E402

from litigation import create_app  # noqa: E402
from litigation.cli.database import init_db  # noqa: E402
from litigation.dashboard import deadlines, milestones, stages  # noqa: E402
from litigation.dashboard.sql import Filters, expected_days  # noqa: E402
from litigation.db import db  # noqa: E402
from litigation.models import (  # noqa: E402
    Case,
    Deadline,
    Event,
    Proceeding,
    StageStay,
    StayDuration,
)
from litigation.registry import current_registry  # noqa: E402

TODAY = dt.date(2026, 11, 27)
PASSWORD = "bench password 123"
CHUNK = 2000
PAGES = [
    "/dashboard",
    "/dashboard?jurisdiction=KZ",
    "/dashboard?lawyer=2",
    "/dashboard?from=2026-01-01",
    "/dashboard/ball",
    "/dashboard/stuck",
    "/dashboard/risk",
    "/dashboard/workload",
    "/dashboard/funnel",
    "/dashboard/indicators",
]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--database-url", help="default: SQLite file bench/dashboard-N.sqlite")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="time the data already there")
    return parser.parse_args()


def _url(arguments: argparse.Namespace) -> str:
    if arguments.database_url:
        return arguments.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    path = ROOT / "bench" / f"dashboard-{arguments.cases}.sqlite"
    if not arguments.reuse:
        for stale in path.parent.glob(path.name + "*"):
            stale.unlink()
    return f"sqlite:///{path}"


def _fresh_schema() -> None:
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    init_db()


def _generate(cases: int) -> float:
    """Fill the database; return the seconds it took."""
    started = time.perf_counter()
    history = History(current_registry(), TODAY)
    from werkzeug.security import generate_password_hash

    with db.engine.begin() as connection:
        lawyers, staff = history.users(connection, generate_password_hash(PASSWORD))
    for first in range(0, cases, CHUNK):
        with db.engine.begin() as connection:
            for _ in range(first, min(first + CHUNK, cases)):
                history.case(lawyers, staff)
            history.rows.write(connection)
        print(f"\r  {min(first + CHUNK, cases):,} cases", end="", file=sys.stderr, flush=True)
    with db.engine.begin() as connection:
        history.histogram(connection)
        if connection.dialect.name == "postgresql":
            for table in ("users", "survivors", "cases", "proceedings", "events", "deadlines"):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
    print(file=sys.stderr)
    return time.perf_counter() - started


def _analyze() -> None:
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with db.engine.begin() as connection:
            connection.execute(text("ANALYZE"))


def _median_ms(action: Callable[[], object], runs: int) -> float:
    for _ in range(2):
        action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _sizes() -> dict[str, int]:
    tables = {
        "cases": Case,
        "proceedings": Proceeding,
        "events": Event,
        "deadlines": Deadline,
        "stays": StageStay,
        "histogram rows": StayDuration,
    }
    return {
        name: db.session.scalar(select(func.count()).select_from(model))
        for name, model in tables.items()
    }


def _queries(runs: int) -> list[tuple[str, float]]:
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))  # as the dashboard's pages do
    routes = current_registry().workflows.routes
    everything, year = Filters(), Filters(start=dt.date(2026, 1, 1), end=TODAY)
    expected = expected_days(routes.values())

    def run(query):
        return lambda: db.session.execute(query).all()

    checks = {
        "stays per stage (histogram + current)": run(
            stages.duration_query(everything, TODAY, expected)
        ),
        "stays per stage, jurisdiction KZ (stays table)": run(
            stages.duration_query(Filters(jurisdiction="KZ"), TODAY, expected)
        ),
        "open deadlines per stage": run(stages.deadline_query(everything, TODAY)),
        "stuck cases (first page)": lambda: stages.stuck(routes, everything, TODAY, limit=50),
        "who holds the ball": lambda: deadlines.ball(everything, TODAY),
        "State delays per authority": lambda: deadlines.state_delays(everything, TODAY),
        "risk by lawyer": lambda: deadlines.risk_by_lawyer(everything, TODAY),
        "monthly steps and missed (12 months)": lambda: deadlines.monthly(
            everything, dt.date(2025, 12, 1), TODAY, TODAY
        ),
        "workload": lambda: deadlines.workload(everything, TODAY),
        "funnel (cases opened in 2026)": lambda: milestones.funnel(routes.values(), year),
        "indicators (2026)": lambda: milestones.indicators(routes.values(), year),
    }
    return [(name, _median_ms(action, runs)) for name, action in checks.items()]


def _pages(app, runs: int) -> list[tuple[str, float]]:
    client = app.test_client()
    answer = client.post(
        "/login", data={"email": "bench-coordinator@example.org", "password": PASSWORD}
    )
    assert answer.status_code == 302, answer.status_code
    results = []
    for page in PAGES:
        assert client.get(page).status_code == 200, page
        results.append((f"GET {page}", _median_ms(lambda page=page: client.get(page), runs)))
    return results


def main() -> None:
    arguments = _arguments()
    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": _url(arguments),
            "WORKFLOWS_PATH": str(ROOT / "workflows.yaml"),
            "TODAY": TODAY,
            "TWO_FACTOR_ROLES": (),  # the coordinator signs in by password: pages are timed
        }
    )
    with app.app_context():
        seconds = None
        if not arguments.reuse:
            _fresh_schema()
            seconds = _generate(arguments.cases)
            _analyze()
        sizes = _sizes()
        pages = _pages(app, arguments.runs)
        queries = _queries(arguments.runs)
        dialect = db.engine.dialect.name
    _report(dialect, sizes, seconds, pages + queries)


def _report(
    dialect: str, sizes: dict[str, int], seconds: float | None, rows: list[tuple[str, float]]
) -> None:
    cores = os.cpu_count()
    summary = ", ".join(f"{number:,} {name}" for name, number in sizes.items())
    generated = f"; generated in {seconds:.0f} s" if seconds else ""
    print(f"{dialect} on {platform.machine()} with {cores} cores: {summary}{generated}")
    print(f"| {'what':<52} | median ms |")
    print(f"|{'-' * 54}|----------:|")
    for name, ms in rows:
        print(f"| {name:<52} | {ms:9.1f} |")


if __name__ == "__main__":
    main()
