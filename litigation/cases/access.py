"""Who may see and do what: least privilege, decided per case. The one place that reads roles.

Views, templates, operations and feeds ask these questions; none compares a role itself.
`None` as the actor is the command line, run by an administrator on the server.
"""

from __future__ import annotations

from sqlalchemy import Select, select

from ..models import Case, FeedSubscription, Role, Survivor, User, case_assignments

ALL_CASES_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})
CASE_OPENING_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.LAWYER})
TEAM_ROLES = frozenset({Role.LAWYER, Role.STAFF})
# Who may take survivors' names out of the system in a file or on paper (a CSV of the list,
# a printed case summary): those who act on cases. Staff, read-only, never; a standing feed
# with names needs an admin (can_manage). Consent and risk decide per case (consents.py).
NAME_EXPORT_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.LAWYER})


def sees_all_cases(user: User) -> bool:
    """Admins and coordinators see every case."""
    return user.role in ALL_CASES_ROLES


def can_view(user: User, case: Case) -> bool:
    """Admins and coordinators see every case; lawyers and staff only the cases they work on."""
    return sees_all_cases(user) or any(member.id == user.id for member in case.team)


def can_act(user: User, case: Case) -> bool:
    """Staff are read-only; lawyers act on their own cases; coordinators and admins on all."""
    if user.role == Role.STAFF:
        return False
    return can_view(user, case)


def can_open_cases(user: User) -> bool:
    """Everyone but staff may open a case."""
    return user.role in CASE_OPENING_ROLES


def joins_cases_they_open(user: User) -> bool:
    """A lawyer who opens a case works on it (coordinators assign others)."""
    return user.role == Role.LAWYER


def can_assign_team(user: User) -> bool:
    """Who works on a case decides who sees it: only coordinators and admins change it."""
    return sees_all_cases(user)


def may_join_a_team(user: User) -> bool:
    """Lawyers and staff are assigned to cases (the others see every case anyway)."""
    return user.role in TEAM_ROLES


def can_reassign(user: User) -> bool:
    """Handing a departed colleague's cases to another is a team change: coordinators, admins."""
    return can_assign_team(user)


def is_active_lawyer(user: User) -> bool:
    """A lawyer who may sign in now: someone who can act on a case's deadlines."""
    return user.active and user.role == Role.LAWYER


def can_take_over(user: User, departed: User) -> bool:
    """Who may take a colleague's place on a team: an active lawyer takes anyone's; staff,
    who are read-only, only another staff member's."""
    if not user.active or not may_join_a_team(user) or user.id == departed.id:
        return False
    return user.role == Role.LAWYER or departed.role == Role.STAFF


def can_export_names(user: User) -> bool:
    """Whether the user may ask for survivors' names in a download or a printed summary
    (each name still only where consent and risk allow it: consents.may_show_name)."""
    return user.role in NAME_EXPORT_ROLES


def can_see_dashboard(user: User) -> bool:
    """The coordinators' dashboard spans every case."""
    return sees_all_cases(user)


def gets_team_digest(user: User) -> bool:
    """The coordinators' weekly team digest spans every case: for those who see them all."""
    return sees_all_cases(user)


def can_manage(actor: User | None) -> bool:
    """Administration: users, every feed, survivors' names in feeds."""
    return actor is None or actor.role == Role.ADMIN


def can_read_audit(user: User | None) -> bool:
    """The audit trail says who did what on every case and account: admins only."""
    return can_manage(user)


def can_manage_feed(actor: User | None, subscription: FeedSubscription) -> bool:
    """A feed is managed by its owner and by admins."""
    return can_manage(actor) or (actor is not None and subscription.owner_id == actor.id)


def removes_own_admin_access(actor: User, user: User, role: str, active: bool) -> bool:
    """Whether an edit would take admin access away from the admin making it."""
    return user.id == actor.id and (role != Role.ADMIN or not active)


def visible_cases(user: User) -> Select:
    """A SELECT of the cases `user` may see, to filter further."""
    query = select(Case)
    if sees_all_cases(user):
        return query
    return query.where(
        Case.id.in_(select(case_assignments.c.case_id).where(case_assignments.c.user_id == user.id))
    )


def visible_survivors(user: User) -> Select:
    """The survivors of the cases `user` may see: a person is known through their cases."""
    cases = visible_cases(user).with_only_columns(Case.survivor_id)
    return select(Survivor).where(Survivor.id.in_(cases))


def can_view_survivor(user: User, survivor: Survivor) -> bool:
    """Whoever may see one of a survivor's cases may see the person."""
    return any(can_view(user, case) for case in survivor.cases)


def can_edit_survivor(user: User, survivor: Survivor) -> bool:
    """Whoever may act on one of a survivor's cases may correct the person's record."""
    return any(can_act(user, case) for case in survivor.cases)
