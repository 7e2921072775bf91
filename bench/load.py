"""The load run: gunicorn (4 workers) on PostgreSQL, driven by locust for a bounded time.

    .venv/bin/python bench/load.py --database-url postgresql://postgres@127.0.0.1/bench_100k \\
        --cases 100000 [--generate] [-u 20 -r 5 -t 60s]

Starts gunicorn with deploy/gunicorn.conf.py on a free loopback port (the bench app:
bench/serve.py), runs locust headless with bench/locustfile.py, reads each worker's memory
from /proc, stops gunicorn, and writes bench/results/load-postgresql-N.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from database import (  # noqa: E402
    FEED_SECRET,
    PASSWORD,
    ROOT,
    TODAY,
    bench_app,
    database_url,
    fresh_data,
)
from sqlalchemy import select  # noqa: E402
from targets import find_targets  # noqa: E402

from litigation.db import db  # noqa: E402
from litigation.demo_data.people import COORDINATOR, LAWYERS, feed_token, lawyer_email  # noqa: E402
from litigation.models import User, case_assignments  # noqa: E402

BIN = Path(sys.executable).parent


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--generate", action="store_true", help="empty and fill it first")
    parser.add_argument("-u", "--users", type=int, default=20)
    parser.add_argument("-r", "--spawn-rate", type=float, default=5)
    parser.add_argument("-t", "--run-time", default="60s")
    parser.add_argument("--workers", type=int, default=4)
    return parser.parse_args()


def plan(url: str, cases: int, generate: bool) -> dict[str, Any]:
    """Who signs in, which cases they open, which steps they fire, which feeds poll."""
    app = bench_app(url)
    if generate:
        fresh_data(app, cases)
    with app.app_context():
        targets = find_targets(TODAY, 400)
        lawyers = []
        for number in range(1, 11):
            email = lawyer_email(number)
            query = (
                select(case_assignments.c.case_id)
                .join(User, User.id == case_assignments.c.user_id)
                .where(User.email == email)
                .limit(50)
            )
            lawyers.append((email, list(db.session.scalars(query))))
        surnames = [targets.surname, "Ахметов", "Омаров", "Каримов"]

    feeds = [feed_token(FEED_SECRET, f"mine:{lawyer_email(n)}") for n in range(1, LAWYERS + 1)]
    return {
        "today": TODAY.isoformat(),
        "password": PASSWORD,
        "coordinator": COORDINATOR,
        "lawyers": [pair for pair in lawyers if pair[1]],
        "surnames": surnames,
        "steps": targets.steps,
        # Lawyers' own feeds: the team feed of 100,000 cases takes longer than gunicorn's
        # 60 s timeout (bench/run.py measures it), and would only measure timeouts here.
        "feeds": feeds[:10],
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(url: str, port: int, workers: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "BENCH_DATABASE_URL": url, "PYTHONPATH": f"{BENCH}:{ROOT}"}
    command = [
        str(BIN / "gunicorn"),
        "-c",
        str(ROOT / "deploy" / "gunicorn.conf.py"),
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "serve:app",
    ]
    with log.open("wb") as output:
        server = subprocess.Popen(command, env=env, cwd=BENCH, stdout=output, stderr=output)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5)
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn exited:\n{log.read_text()[-3000:]}") from None
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def workers_memory(master: int) -> list[dict[str, int]]:
    """Each worker's resident memory now and at its peak, in MB (from /proc)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    found = []
    for pid in children:
        fields = dict(
            line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        )
        mb = {key: int(fields[key].split()[0]) // 1024 for key in ("VmRSS", "VmHWM")}
        found.append({"pid": int(pid), "rss_mb": mb["VmRSS"], "peak_mb": mb["VmHWM"]})
    return found


def run_locust(options: argparse.Namespace, port: int, targets: Path, folder: Path) -> None:
    env = {**os.environ, "BENCH_TARGETS": str(targets)}
    command = [
        str(BIN / "locust"),
        "-f",
        str(BENCH / "locustfile.py"),
        "--headless",
        "-u",
        str(options.users),
        "-r",
        str(options.spawn_rate),
        "-t",
        options.run_time,
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(folder / "load"),
        "--only-summary",
    ]
    subprocess.run(command, env=env, check=False, timeout=3600)


def statistics(folder: Path) -> list[dict[str, Any]]:
    """locust's per-request figures: count, failures, throughput, p50/p95/p99 (ms)."""
    with (folder / "load_stats.csv").open(encoding="utf-8") as file:
        return [
            {
                "name": f"{row['Type']} {row['Name']}".strip(),
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "per_second": round(float(row["Requests/s"]), 2),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
                "p99": float(row["99%"]),
            }
            for row in csv.DictReader(file)
        ]


def main() -> None:
    options = arguments()
    url = database_url(options.cases, options.database_url)
    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    targets = folder / "targets.json"
    targets.write_text(json.dumps(plan(url, options.cases, options.generate)), encoding="utf-8")
    port = free_port()
    server = start_gunicorn(url, port, options.workers, folder / "gunicorn.log")
    try:
        run_locust(options, port, targets, folder)
        memory = workers_memory(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    result = {
        "database": "postgresql",
        "cases": options.cases,
        "users": options.users,
        "spawn_rate": options.spawn_rate,
        "run_time": options.run_time,
        "workers": options.workers,
        "requests": statistics(folder),
        "memory": memory,
    }
    path = BENCH / "results" / f"load-postgresql-{options.cases}.json"
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1, ensure_ascii=False))
    print(f"gunicorn's log: {folder / 'gunicorn.log'}", file=sys.stderr)


if __name__ == "__main__":
    main()
