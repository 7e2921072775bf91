"""What a feed shows: the deadlines and hearings of the cases its owner can see now, as
calendar entries.

Recomputed from the owner's access at every fetch; nothing here writes. A feed with names
names a survivor only where the case's consent and risk allow it (cases/consents.py): the
calendar service outside the organisation is someone the information is shared with.

A hearing belongs to a case, not to a proceeding, so a feed's route and stage filters keep the
hearings of the cases with an open proceeding on that route (and in that stage, when both are
given: the same proceeding): the hearings of the cases that route or stage is live on now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager

from ..cases.access import sees_all_cases, visible_cases
from ..cases.consents import cases_that_may_be_named
from ..cases.deadlines import rule_of
from ..cases.hearings import starts
from ..db import aware, db
from ..models import (
    Case,
    Deadline,
    DeadlineStatus,
    FeedKind,
    FeedSubscription,
    Hearing,
    Proceeding,
    case_assignments,
)
from ..workflows.loaded import Registry
from ..workflows.spec import DeadlineRule, Kind
from .ical import DeadlineEntry, HearingEntry

RECENTLY_CLOSED = dt.timedelta(days=30)
DEFAULT_REMINDERS = (7, 1)
# A hearing rings the day before (to prepare, to travel) and an hour before.
HEARING_REMINDERS = (dt.timedelta(days=1), dt.timedelta(hours=1))
# Most court hearings are listed for an hour; a hearing without a duration is shown so.
DEFAULT_DURATION = dt.timedelta(hours=1)


def _cases_of(user_id: int):
    return select(case_assignments.c.case_id).where(case_assignments.c.user_id == user_id)


def case_filters(subscription: FeedSubscription) -> list:
    """The conditions on the case: the feed's owner may see it now, its kind and filters."""
    conditions = []
    # Every case, for those who see them all, needs no condition to plan; "mine" is a subset
    # of what the others see (their own cases).
    owner = subscription.owner
    if not sees_all_cases(owner) and subscription.kind != FeedKind.MINE:
        conditions.append(Case.id.in_(visible_cases(owner).with_only_columns(Case.id)))
    if subscription.kind == FeedKind.MINE:
        conditions.append(Case.id.in_(_cases_of(subscription.owner_id)))
    if subscription.kind == FeedKind.CASE:
        conditions.append(Case.id == subscription.case_id)
    if subscription.jurisdiction:
        conditions.append(Case.jurisdiction == subscription.jurisdiction)
    if subscription.lawyer_id:
        conditions.append(Case.id.in_(_cases_of(subscription.lawyer_id)))
    return conditions


def _filters(subscription: FeedSubscription) -> list:
    conditions = case_filters(subscription)
    if subscription.route:
        conditions.append(Proceeding.route == subscription.route)
    if subscription.stage:
        conditions.append(Deadline.stage == subscription.stage)
    return conditions


def _hearing_filters(subscription: FeedSubscription) -> list:
    conditions = case_filters(subscription)
    if subscription.route or subscription.stage:
        live = select(Proceeding.id).where(
            Proceeding.case_id == Case.id, Proceeding.closed_on.is_(None)
        )
        if subscription.route:
            live = live.where(Proceeding.route == subscription.route)
        if subscription.stage:
            live = live.where(Proceeding.stage == subscription.stage)
        conditions.append(live.exists())
    return conditions


def _feed_query(subscription: FeedSubscription, today: dt.date):
    since = today - RECENTLY_CLOSED
    return (
        select(Deadline)
        .join(Deadline.proceeding)
        .join(Proceeding.case)
        .where(*_filters(subscription))
        # Deadlines closed lately stay, as CANCELLED events, so that clients drop them.
        .where(or_(Deadline.status == DeadlineStatus.OPEN, Deadline.closed_on >= since))
        .options(_with_case(subscription, contains_eager(Deadline.proceeding)))
    )


def _with_case(subscription: FeedSubscription, loads):
    # The survivor (a name, a risk) is read only by a feed with names.
    case = loads.contains_eager(Proceeding.case)
    return (
        case.selectinload(Case.survivor)
        if subscription.with_names
        else case.lazyload(Case.survivor)
    )


def deadlines_for_feed(subscription: FeedSubscription, today: dt.date) -> list[Deadline]:
    """Open and recently closed deadlines of the cases the owner can see now, in one query,
    by due date."""
    # Sorted here: ORDER BY due_date would make the database walk every deadline in that
    # order rather than search the open and the recently closed ones by their indexes.
    found = db.session.scalars(_feed_query(subscription, today))
    return sorted(found, key=lambda deadline: (deadline.due_date, deadline.id))


def cases_named_in(cases: Iterable[Case], with_names: bool) -> set[int]:
    """The cases whose survivor the entries may name: none in a feed without names; in one
    with names, those whose current consent covers sharing and whose risk is not high."""
    if not with_names:
        return set()
    return cases_that_may_be_named(set(cases))


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
    rule_lookup: Callable[[Deadline], DeadlineRule | None] | None = None,
) -> DeadlineEntry:
    """What the calendar shows of a deadline, in `lang`; names only when `with_names`;
    `rule_lookup` in place of rule_of (a feed remembers the rules it found)."""
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
        rule = rule_lookup(deadline) if rule_lookup else rule_of(registry.workflows, deadline)
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


def hearings_for_feed(subscription: FeedSubscription, today: dt.date) -> list[Hearing]:
    """Hearings of the cases the owner can see now, from RECENTLY_CLOSED days ago on; one
    cancelled in that time stays, as a CANCELLED event, so that clients drop it."""
    since = today - RECENTLY_CLOSED
    cancelled_since = dt.datetime.combine(since, dt.time(), dt.UTC)
    query = (
        select(Hearing)
        .join(Hearing.case)
        .where(*_hearing_filters(subscription))
        .where(Hearing.starts_on >= since)
        .where(or_(Hearing.cancelled_at.is_(None), Hearing.cancelled_at >= cancelled_since))
        .options(_with_case_of_hearing(subscription))
        .order_by(Hearing.starts_on, Hearing.starts_at, Hearing.id)
    )
    return list(db.session.scalars(query))


def _with_case_of_hearing(subscription: FeedSubscription):
    case = contains_eager(Hearing.case)
    return (
        case.selectinload(Case.survivor)
        if subscription.with_names
        else case.lazyload(Case.survivor)
    )


def hearing_entry(
    hearing: Hearing,
    *,
    kind_label: Callable[[str], str],
    zone_label: Callable[[str], str],
    case_url: Callable[[Case], str],
    with_names: bool = False,
) -> HearingEntry:
    """What the calendar shows of a hearing; the survivor's name, the place, who attends and
    the notes (free text that may name people or an address) only when `with_names`."""
    case, minutes = hearing.case, hearing.duration_minutes
    return HearingEntry(
        id=hearing.id,
        reference=case.reference,
        kind_label=kind_label(hearing.kind),
        starts=starts(hearing),
        duration=dt.timedelta(minutes=minutes) if minutes else DEFAULT_DURATION,
        duration_known=bool(minutes),
        zone_label=zone_label(hearing.zone),
        updated_at=aware(hearing.updated_at),
        sequence=hearing.version - 1,  # the version starts at 1, SEQUENCE at 0
        cancelled=hearing.cancelled_at is not None,
        case_url=case_url(case),
        reminders=HEARING_REMINDERS,
        survivor_name=case.survivor_name if with_names else None,
        place=hearing.place if with_names else None,
        attendees=hearing.attendees if with_names else None,
        notes=hearing.notes if with_names else None,
    )


def last_modified(
    deadlines: Sequence[Deadline], subscription: FeedSubscription, hearings: Sequence[Hearing] = ()
) -> dt.datetime:
    """The latest change among the deadlines and hearings shown (the feed's creation if
    there are none)."""
    stamps = [aware(row.updated_at) for row in [*deadlines, *hearings]]
    return max(stamps or [aware(subscription.created_at)])
