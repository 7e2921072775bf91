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

from ..audit import record_on
from ..db import aware, db, utcnow
from ..errors import DomainError, msg
from ..models import AuditKind, LoginAttempt, SignInGuard, User
from .two_factor import check_second_factor

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


class WrongCode(DomainError):
    status = 401

    def __init__(self) -> None:
        super().__init__(
            msg("Wrong code. Type the six digits your app shows now, or a recovery code.")
        )


@dataclass(frozen=True)
class SignedIn:
    user: User
    failed_since_last_time: int  # wrong passwords tried on the account since it last signed in
    needs_code: bool = False  # two-factor on: the password was right, a code must follow


def wait_after(failures: int) -> dt.timedelta:
    """How long the next try must wait after `failures` recent wrong passwords."""
    if failures < FREE_TRIES:
        return dt.timedelta(0)
    return min(FIRST_WAIT * 2 ** (failures - FREE_TRIES), LONGEST_WAIT)


def sign_in(email: str, password: str, remote_addr: str, now: dt.datetime) -> SignedIn:
    """The active user with this e-mail and password, or SignInRefused / TooManySignIns.

    For a user with two-factor sign-in the password is only the first step: the failures
    are forgotten once the code is right too (`second_factor`), not before, or the right
    password would buy an attacker fresh free guesses at the code.
    """
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
            _count_failure(connection, guard.email, now, remote_addr, user)
            refusal = SignInRefused()
        elif not user.has_two_factor:
            _forget_failures(connection, email)
    if refusal is not None:
        raise refusal
    return SignedIn(user, guard.unreported, needs_code=user.has_two_factor)


def second_factor(user: User, code: str, remote_addr: str, now: dt.datetime) -> SignedIn:
    """The second step of signing in: a code from the app or a recovery code.

    Each try is counted as a failure before the code is checked, in the guard's locked row,
    so that concurrent guesses cannot slip past the count; a right code forgets them all.
    """
    _count_first(user, remote_addr[:64], now)
    if not check_second_factor(user, code, now):
        _record_failure(user, remote_addr[:64], now, "code")
        raise WrongCode()
    return SignedIn(user, _settle(user.email), needs_code=False)


def confirm_identity(
    user: User, password: str, code: str | None, remote_addr: str, now: dt.datetime
) -> None:
    """Before a sensitive action: the password again (and a code, with two-factor on).

    Counted like signing in, so a borrowed, unlocked browser cannot guess its way through.
    """
    guard = db.session.get(SignInGuard, user.email)
    wait = _wait_left(guard, now) if guard is not None else dt.timedelta(0)
    if wait > dt.timedelta(0):
        raise TooManySignIns(int(wait.total_seconds()) + 1)
    refusal: DomainError | None = None
    if not check_password_hash(user.password_hash, password or ""):
        refusal = SignInRefused()
    elif user.has_two_factor and not check_second_factor(user, code or "", now):
        refusal = WrongCode()
    if refusal is None:
        if guard is not None:  # the owner is not slowed; others' guesses stay to be told
            guard.failures, guard.last_failure_at = 0, None
        return
    email, user_id = user.email, user.id
    db.session.rollback()  # see _record_failure
    with db.engine.begin() as connection:
        _locked_guard(connection, email, now)
        _count_failure(connection, email, now, remote_addr[:64], None, audit=False)
        record_on(
            connection,
            AuditKind.SIGN_IN_FAILED,
            user_id=user_id,
            address=remote_addr,
            details={"step": "confirm"},
            at=now,
        )
    raise refusal


def _count_first(user: User, remote_addr: str, now: dt.datetime) -> None:
    with db.engine.begin() as connection:
        guard = _locked_guard(connection, user.email, now)
        wait = _wait_left(guard, now)
        if wait > dt.timedelta(0):
            raise TooManySignIns(int(wait.total_seconds()) + 1)
        _count_failure(connection, guard.email, now, remote_addr, user, audit=False)


def _record_failure(user: User, remote_addr: str, now: dt.datetime, step: str) -> None:
    user_id = user.id
    # The request is refused and rolls back anyway; rolling back now frees SQLite's write
    # lock, which the request may hold, for the record's own transaction.
    db.session.rollback()
    with db.engine.begin() as connection:
        record_on(
            connection,
            AuditKind.SIGN_IN_FAILED,
            user_id=user_id,
            address=remote_addr,
            details={"step": step},
            at=now,
        )


def _settle(email: str) -> int:
    """The second factor was right: take back the try counted beforehand, forget the wait,
    and return how many failures the owner had not yet heard of (they hear of them now)."""
    # In the request's transaction: it may already hold SQLite's write lock (the spent code),
    # and a second connection would wait for it forever. It lands when the request succeeds.
    table = SignInGuard.__table__
    unreported = db.session.execute(
        select(table.c.unreported).where(table.c.email == email).with_for_update()
    ).scalar_one_or_none()
    db.session.execute(
        table.update()
        .where(table.c.email == email)
        .values(failures=0, last_failure_at=None, unreported=0)
    )
    return max((unreported or 0) - 1, 0)


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


def _count_failure(
    connection: Connection,
    email: str,
    now: dt.datetime,
    remote_addr: str,
    user: User | None,
    *,
    audit: bool = True,
) -> None:
    table = SignInGuard.__table__
    connection.execute(
        table.update()
        .where(table.c.email == email)
        .values(
            failures=table.c.failures + 1,
            unreported=table.c.unreported + 1,
            last_failure_at=now,
        )
    )
    connection.execute(
        LoginAttempt.__table__.insert().values(
            email=email, remote_addr=remote_addr, attempted_at=now
        )
    )
    if not audit:
        return
    # On the record even though the request is refused; the e-mail typed is kept only when
    # it names no account (a colleague's typo, or someone probing), as the account otherwise.
    record_on(
        connection,
        AuditKind.SIGN_IN_FAILED,
        user_id=user.id if user else None,
        address=remote_addr,
        details={} if user else {"email": email},
        at=now,
    )


def _forget_failures(connection: Connection, email: str) -> None:
    table = SignInGuard.__table__
    connection.execute(
        table.update()
        .where(table.c.email == email)
        .values(failures=0, unreported=0, last_failure_at=None)
    )


__all__ = [
    "SignInRefused",
    "SignedIn",
    "TooManySignIns",
    "WrongCode",
    "confirm_identity",
    "second_factor",
    "sign_in",
    "utcnow",
    "wait_after",
]
