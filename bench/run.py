"""The whole product's benchmark: pages, writes, feeds and sign-in over N generated cases.

    .venv/bin/python bench/run.py                           # 1,000 cases on SQLite
    .venv/bin/python bench/run.py --cases 10000 \\
        --database-url postgresql://postgres@127.0.0.1:5432/bench_10k   # EMPTIES it first
    .venv/bin/python bench/run.py --cases 10000 --reuse     # measure again, same data

Each request goes through the Flask test client, signed in as a coordinator (My work as a
lawyer); p50 and p95 over --runs after two warm-up requests. Beside each, the floors of one
more request (bench/measure.py) and the ratio page / (database + template + library floors).
Writes JSON to bench/results/ and prints the markdown table (bench/report.py).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from database import (
    FEED_SECRET,
    PASSWORD,
    TODAY,
    bench_app,
    database_url,
    fresh_data,
)
from flask import Flask
from flask.testing import FlaskClient
from measure import Capture, database_floor, library_floor, milliseconds, summary
from report import markdown
from scenarios import Scenario, scenarios
from sqlalchemy import func, select
from targets import find_targets

from litigation.db import db, init_db
from litigation.demo_data.people import COORDINATOR, feed_token, lawyer_email
from litigation.models import Case

RESULTS = Path(__file__).resolve().parent / "results"
WARM_UP = 2
MIN_RUNS = 3


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--database-url", help="PostgreSQL (emptied first); default SQLite")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--budget", type=float, default=60, help="seconds per request kind (fewer runs if slow)"
    )
    parser.add_argument("--reuse", action="store_true", help="measure the data already there")
    parser.add_argument(
        "--skip", action="append", default=[], help="skip the requests whose name holds this"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder of the JSON results")
    return parser.parse_args(argv)


def signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    request = scenarios_sign_in(email)(client, 0)
    answer = request.send(client)
    assert answer.status_code == 302, f"{email} could not sign in: {answer.status_code}"
    return client


def scenarios_sign_in(email: str):
    from scenarios import sign_in

    return sign_in(email, PASSWORD, TODAY.isoformat())


def measure(
    app: Flask, scenario: Scenario, client: FlaskClient | None, runs: int, budget: float
) -> dict:
    """p50/p95 of the scenario's requests, its floors, and every status it answered."""
    statuses: list[int] = []

    def one(n: int, capture: Capture | None = None) -> tuple[float, Any]:
        asking = client or app.test_client()
        request = scenario.prepare(asking, n)  # untimed: reading a form, say
        answer: list[Any] = []
        with capture or contextlib.nullcontext():
            ms = milliseconds(lambda: answer.append(request.send(asking)))
        statuses.append(answer[0].status_code)
        return ms, answer[0]

    first, _answer = one(0)
    # A request slower than the budget allows is run fewer times (a feed of 100,000 cases).
    runs = max(MIN_RUNS, min(runs, int(budget * 1000 / max(first, 1.0))))
    if first > budget * 1000:
        runs = 1  # a request longer than the budget: once more, after the first
    for n in range(1, WARM_UP):
        one(n)
    times = [one(WARM_UP + n)[0] for n in range(runs)]
    with app.app_context():
        capture = Capture(db.engine, app)
    _ms, answer = one(WARM_UP + runs, capture)
    with app.app_context():
        db_times, failures = database_floor(db.engine, capture.statements)
    calendar = answer.mimetype == "text/calendar"
    library = library_floor(answer.get_data()) if calendar else []
    result = {
        "name": scenario.name,
        "kind": scenario.kind,
        "user": scenario.user,
        "runs": runs,
        "statuses": sorted(set(statuses)),
        "expected": sorted(scenario.expected),
        "ok": set(statuses) <= scenario.expected,
        "page": summary(times),
        "statements": len(capture.statements),
        "replay_failures": failures,
        "db_floor": summary(db_times),
        "template_floor": summary(capture.template_times),
        "templates": capture.templates,
        "template_statements": capture.template_statements // max(len(capture.templates), 1),
        "library_floor": summary(library),
    }
    floors = sum(result[f]["p50"] for f in ("db_floor", "template_floor", "library_floor"))
    result["ratio"] = round(result["page"]["p50"] / floors, 2) if floors else None
    return result


def machine(dialect: str) -> dict[str, Any]:
    """What the figures were measured on."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    server = None
    if dialect == "postgresql":
        server = db.session.scalar(select(func.version())).split(",")[0]
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "ram_gb": round(int(memory) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": server,
    }


def run(options: argparse.Namespace) -> dict[str, Any]:
    """Generate (unless reused), measure everything, write the JSON; return it."""
    url = database_url(options.cases, options.database_url)
    app = bench_app(url)
    generated = None
    if not options.reuse:
        made, seconds = fresh_data(app, options.cases)
        generated = {"seconds": round(seconds, 1), "rows": made.counts}
    else:
        with app.app_context():
            init_db()  # data made by an older version: brought up to date by the migrations
    feeds = {"team": feed_token(FEED_SECRET, "team")}
    needed = WARM_UP + max(options.runs, MIN_RUNS) + 1
    with app.app_context():
        dialect = db.engine.dialect.name
        cases = db.session.scalar(select(func.count()).select_from(Case))
        targets = find_targets(TODAY, needed)
        about = machine(dialect)
    anonymous = app.test_client()
    clients = {
        "coordinator": signed_in(app, COORDINATOR),
        "lawyer": signed_in(app, lawyer_email(1)),
        "anonymous": anonymous,
        "fresh": None,
    }
    today = TODAY.isoformat()
    measured = []
    for scenario in scenarios(targets, feeds, today, (COORDINATOR, PASSWORD)):
        if any(part in scenario.name for part in options.skip):
            continue
        print(f"  {scenario.name}", file=sys.stderr, flush=True)
        measured.append(
            measure(app, scenario, clients[scenario.user], options.runs, options.budget)
        )
    result = {
        "database": dialect,
        "cases": cases,
        "runs": options.runs,
        "today": today,
        "measured_at": time.strftime("%Y-%m-%d %H:%M"),
        "machine": about,
        "generated": generated,
        "results": measured,
    }
    options.out.mkdir(parents=True, exist_ok=True)
    path = options.out / f"{dialect}-{cases}.json"
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {path}", file=sys.stderr)
    return result


def main() -> None:
    result = run(arguments())
    print(markdown([result]))


if __name__ == "__main__":
    main()
