"""Demo data in bulk: N cases of realistic history written by bulk inserts, reproducible from
a seed (`litigation demo --cases N --seed S`, and the benchmarks in bench/).

Going through the operations, as the small demo does, would take hours for 100,000 cases; the
rows here are built with the same functions the operations use (stays, closing deadlines).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine, text

from ..cases.stays import count_durations
from ..cases.summaries import refresh_summaries
from ..cases.totals import count_totals
from ..documents.crypto import KeyRing
from ..workflows.loaded import Registry
from .cases import CaseMaker
from .history import Walker
from .people import COORDINATOR, add_feeds, add_users, lawyer_email
from .rows import Rows, advance_sequences

CHUNK = 2000


@dataclass(frozen=True)
class Generated:
    """What was written, and how to sign in and poll the feeds."""

    counts: dict[str, int]
    coordinator: str
    lawyer: str
    feed_tokens: dict[str, str] = field(repr=False)


def generate(
    engine: Engine,
    registry: Registry,
    keys: KeyRing,
    *,
    cases: int,
    seed: int,
    today: dt.date,
    password_hash: str,
    feed_secret: str,
    progress: Callable[[int], None] | None = None,
) -> Generated:
    """Write `cases` cases as of `today` into an empty migrated database, in chunks."""
    with engine.begin() as connection:
        lawyers, staff = add_users(connection, password_hash)
        tokens = add_feeds(connection, feed_secret, lawyers)
    rows = Rows()
    walker = Walker(
        registry.workflows.routes, registry.workflows.calendars, today, random.Random(seed), rows
    )
    maker = CaseMaker(walker, keys, lawyers, staff)
    for first in range(0, cases, CHUNK):
        with engine.begin() as connection:
            for _ in range(first, min(first + CHUNK, cases)):
                maker.case()
            rows.write(connection)
        if progress:
            progress(min(first + CHUNK, cases))
    with engine.begin() as connection:
        # Statistics first: without them PostgreSQL plans the summaries' correlated subquery
        # as a scan of every open deadline per case (hours for 100,000 cases).
        connection.execute(text("ANALYZE"))
        # The histogram per jurisdiction, counted from the stays as the operations keep it.
        count_durations(connection)
        # The closed deadlines' totals (time per party, the State's delays), as the operations keep.
        count_totals(connection)
        # The columns the cases list reads (next deadline, folded words), as the operations keep.
        refresh_summaries(connection)
        advance_sequences(connection)
    counts = {"users": 1 + len(lawyers) + len(staff), **rows.written}
    return Generated(counts, COORDINATOR, lawyer_email(1), tokens)


__all__ = ["Generated", "generate"]
