"""User accounts: creating and editing them, passwords, languages, signing in.

Operations flush and never commit; the request commits once."""

from __future__ import annotations

import datetime as dt
import re

from .cases.access import TEAM_ROLES, removes_own_admin_access
from .db import db, utcnow
from .errors import DomainError, InvalidInput, msg
from .models import LoginAttempt, Role, User

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
