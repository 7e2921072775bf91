"""`litigation demo --cases N --seed S`: N cases of history written in bulk (demo_data/)."""

from __future__ import annotations

import datetime as dt
import secrets
import sys

import click
from flask import current_app
from werkzeug.security import generate_password_hash

from ..db import db
from ..demo_data import generate
from ..documents import vault_of
from ..models import Case, User
from ..registry import current_registry


def is_empty() -> bool:
    """Whether the database has neither users nor cases (bulk ids start at 1)."""
    return not any(
        db.session.scalar(db.select(db.func.count()).select_from(model)) for model in (User, Case)
    )


def _progress(done: int) -> None:
    click.echo(f"\r  {done:,} cases", nl=False, err=True)


def load_bulk(cases: int, seed: int, today: dt.date) -> list[str]:
    """Write the cases; return the lines that tell how to sign in."""
    password = secrets.token_urlsafe(9)
    db.session.commit()  # the bulk inserts use connections of their own
    made = generate(
        db.engine,
        current_registry(),
        vault_of(current_app).keys(),
        cases=cases,
        seed=seed,
        today=today,
        password_hash=generate_password_hash(password),
        feed_secret=secrets.token_hex(16),
        progress=_progress if sys.stderr.isatty() else None,
    )
    summary = ", ".join(f"{number:,} {name}" for name, number in made.counts.items())
    return [
        f"Demo data (seed {seed}, as of {today}): {summary}.",
        "Demo sign-in (fictional data; every account has this password):",
        f"  coordinator  {made.coordinator:28} {password}",
        f"  lawyer       {made.lawyer:28} {password}",
    ]
