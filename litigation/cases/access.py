"""Who may see and act on which case: least privilege, decided per case."""

from __future__ import annotations

from sqlalchemy import Select, select

from ..models import Case, Role, User, case_assignments

ALL_CASES_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})


def sees_all_cases(user: User) -> bool:
    return user.role in ALL_CASES_ROLES


def can_view(user: User, case: Case) -> bool:
    """Admins and coordinators see every case; lawyers and staff only the cases they work on."""
    return sees_all_cases(user) or any(member.id == user.id for member in case.team)


def can_act(user: User, case: Case) -> bool:
    """Staff are read-only; lawyers act on their own cases; coordinators and admins on all."""
    if user.role == Role.STAFF:
        return False
    return can_view(user, case)


def visible_cases(user: User) -> Select:
    """A SELECT of the cases `user` may see, to filter further."""
    query = select(Case)
    if sees_all_cases(user):
        return query
    return query.where(
        Case.id.in_(select(case_assignments.c.case_id).where(case_assignments.c.user_id == user.id))
    )
