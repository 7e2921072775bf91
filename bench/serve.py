"""The bench app for gunicorn (`serve:app`, started by bench/load.py): the database from
BENCH_DATABASE_URL, the bench's day and settings (two-factor off: bench/database.py)."""

from __future__ import annotations

import os

from database import bench_app

app = bench_app(os.environ["BENCH_DATABASE_URL"])
