"""User accounts: creating and editing them, passwords, languages, signing in.

Operations flush and never commit; the request commits once."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from .cases.access import TEAM_ROLES, removes_own_admin_access
from .db import db, utcnow
from .errors import DomainError, InvalidInput, msg
from .models import LoginAttempt, Role, User, UserSession

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10
MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)


def create_user(
    email: str, password: str, role: Role, *, name: str | None = None, language: str = "ru"
) -> User:
    """A new active user; raise InvalidInput for a bad email, weak password or duplicate."""
    email = email.strip().lower()
    errors = {}
    if not EMAIL.match(email):
        errors["email"] = msg("%(email)s is not an email address.", email=email)
    elif db.session.scalar(db.select(User.id).where(User.email == email)):
        errors["email"] = msg("A user %(email)s already exists.", email=email)
    try:
        _check_password(password)
    except InvalidInput as error:
        errors.update(error.errors)
    if errors:
        raise InvalidInput(errors)
    user = User(email=email, name=name or email.split("@")[0], role=role.value, language=language)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def all_lawyers() -> list[User]:
    """Every lawyer account, by name (for filter menus over past work too)."""
    return list(
        db.session.scalars(db.select(User).where(User.role == Role.LAWYER).order_by(User.name))
    )


def active_lawyers() -> list[User]:
    """The lawyers who may sign in now, by name."""
    query = db.select(User).where(User.active, User.role == Role.LAWYER).order_by(User.name)
    return list(db.session.scalars(query))


def team_candidates() -> list[User]:
    """Active users who can be assigned to a case, by name."""
    query = db.select(User).where(User.active, User.role.in_(TEAM_ROLES)).order_by(User.name)
    return list(db.session.scalars(query))


def update_user(
    actor: User,
    user: User,
    *,
    name: str,
    role: str,
    language: str,
    active: bool,
    password: str | None = None,
) -> User:
    """An admin's edit of an account; refuse one that takes the admin's own access away."""
    if removes_own_admin_access(actor, user, role, active):
        raise InvalidInput({"role": msg("You cannot remove your own admin access.")})
    if password:
        _check_password(password)
        user.set_password(password)
    user.name, user.role, user.language, user.active = name, Role(role).value, language, active
    if password or not active:
        end_all_sessions(user)  # a new password or a deactivation signs the user out everywhere
    db.session.flush()
    return user


def change_password(user: User, current: str, new: str, repeat: str) -> None:
    """A user's own password change, proven by the current password."""
    if not user.check_password(current):
        raise InvalidInput({"current": msg("This is not your current password.")})
    _check_password(new, field="new")
    if new != repeat:
        raise InvalidInput({"repeat": msg("The two new passwords differ.")})
    user.set_password(new)
    end_all_sessions(user, keep=user.session_key)  # every other browser is signed out
    db.session.flush()


def _check_password(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            {field: msg("The password needs at least %(n)d characters.", n=MIN_PASSWORD)}
        )


def set_language(user: User, language: str) -> None:
    """The interface language the user reads."""
    user.language = language
    db.session.flush()


class SignInRefused(DomainError):
    status = 401

    def __init__(self) -> None:
        super().__init__(msg("Wrong email or password."))


class TooManySignIns(DomainError):
    status = 429

    def __init__(self) -> None:
        super().__init__(msg("Too many failed sign-ins. Wait 15 minutes and try again."))


def sign_in(email: str, password: str, remote_addr: str) -> User:
    """The active user with this email and password; refuse guesses past the limit."""
    email = email.strip().lower()
    if _recent_failures(email, remote_addr) >= MAX_FAILURES:
        raise TooManySignIns()
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None or not user.active or not user.check_password(password):
        _record_failure(email, remote_addr)
        raise SignInRefused()
    db.session.execute(db.delete(LoginAttempt).where(LoginAttempt.email == email))
    return user


def _recent_failures(email: str, remote_addr: str) -> int:
    since = utcnow() - FAILURE_WINDOW
    query = (
        db.select(db.func.count())
        .select_from(LoginAttempt)
        .where(
            LoginAttempt.attempted_at >= since,
            (LoginAttempt.email == email) | (LoginAttempt.remote_addr == remote_addr),
        )
    )
    return db.session.scalar(query) or 0


def _record_failure(email: str, remote_addr: str) -> None:
    # The one write outside the request's transaction: the request fails, and its
    # transaction is rolled back, but the failed guess must still count.
    with db.engine.begin() as connection:
        connection.execute(
            LoginAttempt.__table__.insert().values(
                email=email[:200], remote_addr=remote_addr[:64], attempted_at=utcnow()
            )
        )


# A browser left alone this long is signed out; "remember me" keeps one signed in this long.
IDLE_TIMEOUT = dt.timedelta(hours=2)
REMEMBER_FOR = dt.timedelta(days=14)
# Polling pages should not write on every request: last_seen_at moves at most this often.
SEEN_EVERY = dt.timedelta(minutes=1)


def start_session(user: User, *, remember: bool, user_agent: str | None) -> str:
    """Open a session for `user`; the key goes into the session and remember-me cookies."""
    token = secrets.token_urlsafe(32)
    row = UserSession(
        user=user,
        token_hash=_token_hash(token),
        remember=remember,
        user_agent=(user_agent or "")[:200] or None,
    )
    db.session.add(row)
    db.session.flush()
    user.session_key = f"{row.id}:{token}"
    return user.session_key


def user_of_session(key: str, now: dt.datetime) -> User | None:
    """The active user of a live session key; None (and the session ended) when expired."""
    row = _session_row(key)
    if row is None or row.ended_at is not None or not row.user.active:
        return None
    if _expired(row, now):
        row.ended_at = now
        return None
    if now - _aware(row.last_seen_at) >= SEEN_EVERY:
        row.last_seen_at = now
    row.user.session_key = key
    return row.user


def end_session(key: str | None) -> None:
    """Sign out one browser: its session and its remember-me cookie stop working."""
    row = _session_row(key) if key else None
    if row is not None and row.ended_at is None:
        row.ended_at = utcnow()
        db.session.flush()


def end_all_sessions(user: User, *, keep: str | None = None) -> int:
    """Sign `user` out everywhere (but for the session `keep`); return how many ended."""
    kept = _session_row(keep) if keep else None
    rows = db.session.scalars(
        db.select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    )
    ended = 0
    for row in rows:
        if kept is None or row.id != kept.id:
            row.ended_at = utcnow()
            ended += 1
    db.session.flush()
    return ended


def active_sessions(user: User, now: dt.datetime) -> list[UserSession]:
    """The user's sessions that still work, newest first."""
    rows = db.session.scalars(
        db.select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .order_by(UserSession.last_seen_at.desc())
    )
    return [row for row in rows if not _expired(row, now)]


def _session_row(key: str) -> UserSession | None:
    session_id, _, token = key.partition(":")
    if not session_id.isdigit() or len(session_id) > 18 or not token:
        return None
    row = db.session.get(UserSession, int(session_id))
    if row is None or not hmac.compare_digest(row.token_hash, _token_hash(token)):
        return None
    return row


def _expired(row: UserSession, now: dt.datetime) -> bool:
    if row.remember:
        return now - _aware(row.created_at) > REMEMBER_FOR
    return now - _aware(row.last_seen_at) > IDLE_TIMEOUT


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
