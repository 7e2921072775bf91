"""Users: creating and editing them, passwords and languages."""

from __future__ import annotations

import re
import secrets

from ..audit import HIDDEN, changed_fields, record
from ..cases.access import TEAM_ROLES, removes_own_admin_access
from ..db import db, utcnow
from ..errors import InvalidInput, msg
from ..models import AuditKind, Role, User
from .passwords import check_password_rules
from .resets import revoke_reset_links
from .sessions import end_all_sessions

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def create_user(
    email: str,
    password: str | None,
    role: Role,
    *,
    name: str | None = None,
    language: str = "ru",
    actor: User | None = None,
) -> User:
    """A new active user; raise InvalidInput for a bad email, weak password or duplicate.

    `actor` is the admin creating it (None: the command line). With no password the account
    gets a random one nobody knows, until a one-time link (accounts/resets.py) sets one."""
    email = email.strip().lower()
    errors = {}
    if not EMAIL.match(email):
        errors["email"] = msg("%(email)s is not an email address.", email=email)
    elif db.session.scalar(db.select(User.id).where(User.email == email)):
        errors["email"] = msg("A user %(email)s already exists.", email=email)
    try:
        if password is not None:
            check_password_rules(password, email=email)
    except InvalidInput as error:
        errors.update(error.errors)
    if errors:
        raise InvalidInput(errors)
    user = User(email=email, name=name or email.split("@")[0], role=role.value, language=language)
    user.set_password(secrets.token_urlsafe(32) if password is None else password)
    db.session.add(user)
    db.session.flush()
    record(
        AuditKind.USER_CREATED,
        actor=actor,
        user=user,
        details={"email": user.email, "name": user.name, "role": user.role, "language": language},
    )
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
    names_in_email: bool | None = None,
) -> User:
    """An admin's edit of an account; refuse one that takes the admin's own access away.

    `names_in_email` (None: left as it is) lets survivors' names into the person's e-mails."""
    if removes_own_admin_access(actor, user, role, active):
        raise InvalidInput({"role": msg("You cannot remove your own admin access.")})
    if password:
        check_password_rules(password, email=user.email)
        user.set_password(password)
        revoke_reset_links(user, utcnow())  # a link made before would undo the new password
    before = _account(user)
    user.name, user.role, user.language, user.active = name, Role(role).value, language, active
    if names_in_email is not None:
        user.names_in_email = names_in_email
    if password or not active:
        end_all_sessions(user)  # a new password or a deactivation signs the user out everywhere
    db.session.flush()
    changes = changed_fields(before, _account(user))
    if password:
        changes["password"] = [HIDDEN, HIDDEN]  # that it was reset, never what to
    if changes:
        record(AuditKind.USER_CHANGED, actor=actor, user=user, details=changes)
    return user


def _account(user: User) -> dict[str, object]:
    """What an admin's edit may change, as the audit trail compares it."""
    return {
        "name": user.name,
        "email": user.email,
        "role": user.role,
        "language": user.language,
        "active": user.active,
        "names_in_email": user.names_in_email,
    }


def change_password(user: User, current: str, new: str, repeat: str) -> None:
    """A user's own password change, proven by the current password."""
    if not user.check_password(current):
        raise InvalidInput({"current": msg("This is not your current password.")})
    check_password_rules(new, field="new", email=user.email)
    if new != repeat:
        raise InvalidInput({"repeat": msg("The two new passwords differ.")})
    user.set_password(new)
    revoke_reset_links(user, utcnow())
    end_all_sessions(user, keep=user.session_key)  # every other browser is signed out
    db.session.flush()


def set_language(user: User, language: str) -> None:
    """The interface language the user reads."""
    user.language = language
    db.session.flush()
