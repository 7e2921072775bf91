"""Signed-in sessions kept on the server, so that any worker can end them at once."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from ..db import aware, db, utcnow
from ..models import User, UserSession

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
        confirmed_at=utcnow(),  # signing in is the freshest proof there is
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
    if now - aware(row.last_seen_at) >= SEEN_EVERY:
        row.last_seen_at = now
    row.user.session_key = key
    return row.user


def mark_confirmed(key: str, now: dt.datetime) -> None:
    """The person just proved it was them again, in this browser (accounts.confirm_identity)."""
    row = _session_row(key)
    if row is not None:
        row.confirmed_at = now
        db.session.flush()


def confirmed_recently(key: str | None, now: dt.datetime, within: dt.timedelta) -> bool:
    """Whether this browser's session proved who it is within `within` of `now`."""
    row = _session_row(key) if key else None
    return (
        row is not None
        and row.confirmed_at is not None
        and abs(now - aware(row.confirmed_at)) <= within  # hosts' clocks may differ a little
    )


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
        return now - aware(row.created_at) > REMEMBER_FOR
    return now - aware(row.last_seen_at) > IDLE_TIMEOUT


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
