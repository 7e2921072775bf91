"""One-time links by which a user sets a new password: an admin makes one, it is shown once.

The link carries a random token and only its sha256 is kept: a long random secret needs no
slow hash (as feed tokens and recovery codes). A link works once, before it expires, and only
while it is the user's newest: a newer link, or the password set another way, revokes it. It
is spent by one conditional UPDATE, so of two requests racing with the same link only one
sets a password. Setting it ends every session of the user; two-factor sign-in stays on.
Operations flush and never commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update

from ..audit import record
from ..db import aware, db
from ..errors import DomainError, InvalidInput, msg
from ..models import AuditKind, PasswordReset, User
from .passwords import check_password_rules
from .sessions import end_all_sessions

TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 128


class LinkUnusable(DomainError):
    """The link is unknown, used, replaced or expired; which of them is never said."""

    status = 404

    def __init__(self) -> None:
        super().__init__(
            msg(
                "This link does not work: it may have expired, been used already, or been "
                "replaced by a newer one. Ask an administrator for a new link."
            )
        )


@dataclass(frozen=True)
class ResetLink:
    """A link just made: its token goes into the address shown to the admin, once."""

    token: str
    expires_at: dt.datetime


def hash_token(token: str) -> str:
    """The sha256 hex digest stored in place of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def make_reset_link(
    user: User, *, actor: User | None, now: dt.datetime, valid_for: dt.timedelta
) -> ResetLink:
    """A new link for `user`, valid for `valid_for`; the user's older unused links stop working.

    `actor` is the admin (None: the command line). The audit trail notes the link, never it."""
    if not user.active:
        raise InvalidInput({"user": msg("Activate the account before making it a link.")})
    replaced = revoke_reset_links(user, now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    reset = PasswordReset(
        user=user,
        token_hash=hash_token(token),
        created_by_id=actor.id if actor else None,
        created_at=now,
        expires_at=now + valid_for,
    )
    db.session.add(reset)
    db.session.flush()
    details = {"expires_at": reset.expires_at.isoformat(timespec="minutes"), "replaced": replaced}
    record(AuditKind.PASSWORD_RESET_LINK_MADE, actor=actor, user=user, details=details, at=now)
    return ResetLink(token, reset.expires_at)


def revoke_reset_links(user: User, now: dt.datetime) -> int:
    """Make every unused link of `user` stop working; how many did."""
    revoked = db.session.execute(
        update(PasswordReset)
        .where(
            PasswordReset.user_id == user.id,
            PasswordReset.used_at.is_(None),
            PasswordReset.revoked_at.is_(None),
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return revoked.rowcount


def reset_by_token(token: str, now: dt.datetime) -> PasswordReset | None:
    """The working link this token opens, with its user; None for any that does not work."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    # Looking up the hash, never the token, leaks nothing useful through timing.
    reset = db.session.scalars(
        select(PasswordReset)
        .join(PasswordReset.user)
        .where(
            PasswordReset.token_hash == hash_token(token),
            PasswordReset.used_at.is_(None),
            PasswordReset.revoked_at.is_(None),
            User.active,
        )
    ).one_or_none()
    if reset is None or aware(reset.expires_at) <= now:
        return None
    return reset


def reset_password(
    token: str, new: str, repeat: str, *, now: dt.datetime, address: str | None = None
) -> User:
    """Set the user's password through the link, once; LinkUnusable when it does not work,
    InvalidInput (the link still unused) when the password is refused."""
    reset = reset_by_token(token, now)
    if reset is None:
        raise LinkUnusable()
    user = reset.user
    check_password_rules(new, field="new", email=user.email)
    if new != repeat:
        raise InvalidInput({"repeat": msg("The two new passwords differ.")})
    # Spend the link in one conditional UPDATE: of two requests racing with it, the second
    # waits for the first's row lock and then finds it used.
    spent = db.session.execute(
        update(PasswordReset)
        .where(
            PasswordReset.id == reset.id,
            PasswordReset.used_at.is_(None),
            PasswordReset.revoked_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        raise LinkUnusable()
    user.set_password(new)
    end_all_sessions(user)  # whoever knew the old password is signed out everywhere
    db.session.flush()
    record(AuditKind.PASSWORD_RESET_LINK_USED, actor=user, user=user, address=address, at=now)
    return user
