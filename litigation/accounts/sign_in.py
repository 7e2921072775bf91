"""Signing in that resists guessing without locking the owner out.

Each account has a guard row. Five wrong passwords in an hour cost nothing; after that every
further try must wait, twice as long each time (30 s, 1 min, 2 min ... at most 15 min), so an
attacker gets about a dozen guesses an hour, while the owner is only delayed. Attempts on one
account are serialised on its guard row (FOR UPDATE on PostgreSQL; SQLite's write lock), so
concurrent guesses cannot slip past the count. A colleague's typos behind the same address
lock nobody else out: addresses are only limited against mass guessing of many accounts.
Unknown and known e-mails cost the same time, and the owner hears of failed attempts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, func, select
from sqlalchemy.dialects import postgresql, sqlite
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import aware, db, utcnow
from ..errors import DomainError, msg
from ..models import LoginAttempt, SignInGuard, User

FREE_TRIES = 5
FIRST_WAIT = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(minutes=15)
WINDOW = dt.timedelta(hours=1)  # failures older than this are forgotten
PER_ADDRESS_PER_HOUR = 200  # many accounts guessed from one address
# Checked for unknown e-mails so that they take as long as known ones.
_DUMMY_HASH = generate_password_hash("no account has this password")


class SignInRefused(DomainError):
    status = 401

    def __init__(self) -> None:
        super().__init__(msg("Wrong email or password."))


class TooManySignIns(DomainError):
    status = 429

    def __init__(self, seconds: int) -> None:
        super().__init__(
            msg(
                "Too many failed sign-ins for this account. Wait %(seconds)d seconds and try "
                "again.",
                seconds=seconds,
            )
        )
        self.seconds = seconds


@dataclass(frozen=True)
class SignedIn:
    user: User
    failed_since_last_time: int  # wrong passwords tried on the account since it last signed in


def wait_after(failures: int) -> dt.timedelta:
    """How long the next try must wait after `failures` recent wrong passwords."""
    if failures < FREE_TRIES:
        return dt.timedelta(0)
    return min(FIRST_WAIT * 2 ** (failures - FREE_TRIES), LONGEST_WAIT)


def sign_in(email: str, password: str, remote_addr: str, now: dt.datetime) -> SignedIn:
    """The active user with this e-mail and password, or SignInRefused / TooManySignIns."""
    email = email.strip().lower()[:200]
    remote_addr = remote_addr[:64]
    _refuse_mass_guessing(remote_addr, now)
    user = db.session.scalar(select(User).where(User.email == email))
    # The guard's own transaction: a refused sign-in rolls the request back, not its count.
    refusal: DomainError | None = None
    with db.engine.begin() as connection:
        guard = _locked_guard(connection, email, now)
        wait = _wait_left(guard, now)
        if wait > dt.timedelta(0):
            refusal = TooManySignIns(int(wait.total_seconds()) + 1)
        elif not _password_right(user, password):
            _count_failure(connection, guard, now, remote_addr)
            refusal = SignInRefused()
        else:
            _forget_failures(connection, email)
    if refusal is not None:
        raise refusal
    return SignedIn(user, guard.unreported)


def _wait_left(guard, now: dt.datetime) -> dt.timedelta:
    wait = wait_after(guard.failures)
    if guard.last_failure_at is None or not wait:
        return dt.timedelta(0)
    return aware(guard.last_failure_at) + wait - now


def _password_right(user: User | None, password: str) -> bool:
    # An unknown e-mail is checked against a dummy hash: it takes as long as a known one.
    stored = user.password_hash if user is not None else _DUMMY_HASH
    return check_password_hash(stored, password) and user is not None and user.active


def _refuse_mass_guessing(remote_addr: str, now: dt.datetime) -> None:
    count = db.session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.remote_addr == remote_addr, LoginAttempt.attempted_at >= now - WINDOW)
    )
    if (count or 0) >= PER_ADDRESS_PER_HOUR:
        raise TooManySignIns(int(WINDOW.total_seconds()))


def _locked_guard(connection: Connection, email: str, now: dt.datetime):
    """The account's guard row, locked for this attempt (made on the first attempt)."""
    table = SignInGuard.__table__
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[connection.dialect.name]
    # The insert takes SQLite's write lock at once; on PostgreSQL FOR UPDATE locks the row.
    connection.execute(
        insert(table).values(email=email, failures=0, unreported=0).on_conflict_do_nothing()
    )
    guard = connection.execute(select(table).where(table.c.email == email).with_for_update()).one()
    if guard.last_failure_at and now - aware(guard.last_failure_at) > WINDOW:
        connection.execute(table.update().where(table.c.email == email).values(failures=0))
        guard = connection.execute(select(table).where(table.c.email == email)).one()
    return guard


def _count_failure(connection: Connection, guard, now: dt.datetime, remote_addr: str) -> None:
    table = SignInGuard.__table__
    connection.execute(
        table.update()
        .where(table.c.email == guard.email)
        .values(
            failures=table.c.failures + 1,
            unreported=table.c.unreported + 1,
            last_failure_at=now,
        )
    )
    connection.execute(
        LoginAttempt.__table__.insert().values(
            email=guard.email, remote_addr=remote_addr, attempted_at=now
        )
    )


def _forget_failures(connection: Connection, email: str) -> None:
    table = SignInGuard.__table__
    connection.execute(
        table.update()
        .where(table.c.email == email)
        .values(failures=0, unreported=0, last_failure_at=None)
    )


__all__ = ["SignInRefused", "SignedIn", "TooManySignIns", "sign_in", "utcnow", "wait_after"]
