"""Operations on user accounts."""

from __future__ import annotations

import re

from .db import db
from .errors import InvalidInput, msg
from .models import Role, User

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10


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
    if len(password) < MIN_PASSWORD:
        errors["password"] = msg("The password needs at least %(n)d characters.", n=MIN_PASSWORD)
    if errors:
        raise InvalidInput(errors)
    user = User(email=email, name=name or email.split("@")[0], role=role.value, language=language)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def all_lawyers() -> list[User]:
    """Every lawyer account, by name (for filter menus)."""
    return list(
        db.session.scalars(db.select(User).where(User.role == Role.LAWYER).order_by(User.name))
    )
