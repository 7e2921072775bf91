"""Benchmark the coordinators' dashboard over a generated history.

    .venv/bin/python bench/dashboard.py                       # 10,000 cases, SQLite
    .venv/bin/python bench/dashboard.py --cases 100000
    .venv/bin/python bench/dashboard.py --database-url postgresql://postgres@127.0.0.1/postgres

Builds the schema with the migrations, generates N cases (litigation/demo_data, through
bench/database.py), then times the
pages through the Flask test client, signed in as a coordinator (median of --runs after two
warm-up runs), and each dashboard query on its own. SQLite files go to bench/*.sqlite
(git-ignored). The PostgreSQL database given is emptied first: never point it at real data.
bench/run.py measures these pages too, with the rest of the product and their floors.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from database import COORDINATOR, PASSWORD, TODAY, bench_app, database_url, fresh_data
from scenarios import DASHBOARD as PAGES  # the runner's list of dashboard pages

from litigation.dashboard import deadlines, milestones, stages
from litigation.dashboard.sql import Filters, expected_days
from litigation.db import db
from litigation.models import (
    Case,
    Deadline,
    Event,
    Proceeding,
    StageStay,
    StayDuration,
)
from litigation.registry import current_registry


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--database-url", help="default: SQLite file bench/dashboard-N.sqlite")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="time the data already there")
    return parser.parse_args()


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
    answer = client.post("/login", data={"email": COORDINATOR, "password": PASSWORD})
    assert answer.status_code == 302, answer.status_code
    results = []
    for page in PAGES:
        assert client.get(page).status_code == 200, page
        results.append((f"GET {page}", _median_ms(lambda page=page: client.get(page), runs)))
    return results


def main() -> None:
    arguments = _arguments()
    url = database_url(arguments.cases, arguments.database_url)
    app = bench_app(url)
    app.config["WTF_CSRF_ENABLED"] = False  # the pages are timed, not the forms
    seconds = None
    if not arguments.reuse:
        _made, seconds = fresh_data(app, arguments.cases)
    with app.app_context():
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
