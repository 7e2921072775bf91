"""What a feed shows: the deadlines of the cases its owner can see now, as calendar entries.

Recomputed from the owner's access at every fetch; nothing here writes. A feed with names
names a survivor only where the case's consent and risk allow it (cases/consents.py): the
calendar service outside the organisation is someone the information is shared with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager

from ..cases.access import visible_cases
from ..cases.consents import cases_that_may_be_named
from ..cases.deadlines import rule_of
from ..db import aware, db
from ..models import (
    Case,
    Deadline,
    DeadlineStatus,
    FeedKind,
    FeedSubscription,
    Proceeding,
    case_assignments,
)
from ..workflows.loaded import Registry
from ..workflows.spec import Kind
from .ical import DeadlineEntry

RECENTLY_CLOSED = dt.timedelta(days=30)
DEFAULT_REMINDERS = (7, 1)


def _cases_of(user_id: int):
    return select(case_assignments.c.case_id).where(case_assignments.c.user_id == user_id)


def _filters(subscription: FeedSubscription) -> list:
    conditions = []
    if subscription.kind == FeedKind.MINE:
        conditions.append(Case.id.in_(_cases_of(subscription.owner_id)))
    if subscription.kind == FeedKind.CASE:
        conditions.append(Case.id == subscription.case_id)
    if subscription.route:
        conditions.append(Proceeding.route == subscription.route)
    if subscription.jurisdiction:
        conditions.append(Case.jurisdiction == subscription.jurisdiction)
    if subscription.lawyer_id:
        conditions.append(Case.id.in_(_cases_of(subscription.lawyer_id)))
    if subscription.stage:
        conditions.append(Deadline.stage == subscription.stage)
    return conditions


def _feed_query(subscription: FeedSubscription, today: dt.date):
    since = today - RECENTLY_CLOSED
    visible = visible_cases(subscription.owner).with_only_columns(Case.id)
    return (
        select(Deadline)
        .join(Deadline.proceeding)
        .join(Proceeding.case)
        .where(Case.id.in_(visible), *_filters(subscription))
        # Deadlines closed lately stay, as CANCELLED events, so that clients drop them.
        .where(or_(Deadline.status == DeadlineStatus.OPEN, Deadline.closed_on >= since))
        .options(contains_eager(Deadline.proceeding).contains_eager(Proceeding.case))
        .order_by(Deadline.due_date, Deadline.id)
    )


def deadlines_for_feed(subscription: FeedSubscription, today: dt.date) -> list[Deadline]:
    """Open and recently closed deadlines of the cases the owner can see now, in one query."""
    return list(db.session.scalars(_feed_query(subscription, today)))


def cases_named_in(deadlines: list[Deadline], with_names: bool) -> set[int]:
    """The cases whose survivor the entries may name: none in a feed without names; in one
    with names, those whose current consent covers sharing and whose risk is not high."""
    if not with_names:
        return set()
    return cases_that_may_be_named({deadline.proceeding.case for deadline in deadlines})


def named_feeds_showing(case: Case, today: dt.date) -> list[FeedSubscription]:
    """The active feeds with names that show some deadline of `case` now."""
    query = select(FeedSubscription).where(
        FeedSubscription.with_names, FeedSubscription.revoked_at.is_(None)
    )
    return [
        subscription
        for subscription in db.session.scalars(query.order_by(FeedSubscription.id))
        if db.session.scalar(_feed_query(subscription, today).where(Case.id == case.id).limit(1))
    ]


def deadline_entry(
    registry: Registry,
    deadline: Deadline,
    *,
    lang: str,
    party_label: Callable[[str], str],
    case_url: Callable[[Case], str],
    caveats: Callable[[Deadline], list[str]] = lambda _deadline: [],
    with_names: bool = False,
) -> DeadlineEntry:
    """What the calendar shows of a deadline, in `lang`; names only when `with_names`."""
    proceeding = deadline.proceeding
    case = proceeding.case
    rule_label, stage_label, guidance = deadline.rule, deadline.stage, ""
    reminders = DEFAULT_REMINDERS
    stored_basis = deadline.legal_basis_en if lang == "en" else None
    legal_basis = stored_basis or deadline.legal_basis
    routes = registry.workflows.routes
    if proceeding.route in routes and routes[proceeding.route].has_stage(deadline.stage):
        route = routes[proceeding.route]
        stage = route.stage(deadline.stage)
        stage_label, guidance = stage.label.get(lang), stage.guidance.get(lang)
        rule = rule_of(registry.workflows, deadline)
        if rule is not None:
            rule_label, reminders = rule.label.get(lang), rule.reminders
            legal_basis = rule.legal_basis.get(lang)
    return DeadlineEntry(
        id=deadline.id,
        reference=case.reference,
        rule_label=rule_label,
        stage_label=stage_label,
        due=deadline.due_date,
        updated_at=aware(deadline.updated_at),
        sequence=deadline.sequence,
        is_open=deadline.is_open,
        warning=deadline.kind == Kind.WARNING,
        verified=deadline.verified,
        party_label=party_label(deadline.party),
        legal_basis=legal_basis,
        guidance=guidance,
        caveats=tuple(caveats(deadline)) if deadline.is_open else (),
        case_url=case_url(case),
        reminders=tuple(reminders),
        survivor_name=case.survivor_name if with_names else None,
        notes=case.notes if with_names else None,
    )


def last_modified(deadlines: list[Deadline], subscription: FeedSubscription) -> dt.datetime:
    """The latest change among the deadlines shown (the feed's creation if there are none)."""
    stamps = [aware(d.updated_at) for d in deadlines] or [aware(subscription.created_at)]
    return max(stamps)
