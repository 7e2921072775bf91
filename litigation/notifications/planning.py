"""Which messages are due at a moment: reminders, escalations and digests, as `Planned` rows.

Queries read narrow windows of dates (a reminder reached in the last CATCH_UP days, a deadline
missed or a stage stalled in the last ESCALATE_WITHIN days), so a pass costs the same on a
large database, and the first pass on an old one does not flood anyone with history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from sqlalchemy import and_, or_, select

from ..dashboard.sql import expected_days
from ..db import db
from ..models import (
    Case,
    Deadline,
    DeadlineStatus,
    NotificationKind,
    Proceeding,
    Role,
    StageStay,
    User,
    case_assignments,
)
from ..workflows.spec import WorkflowSet
from ..workflows.spec_values import Party
from .outbox import Planned
from .schedule import (
    REMINDER_HOUR,
    digest_period,
    last_digest_moment,
    local,
    quiet_end,
    reminder_point,
)

CATCH_UP = 3  # days: a reminder reached while no pass ran is still sent this long after
ESCALATE_WITHIN = 7  # days: a deadline missed or a stage stalled longer ago is not escalated
DIGEST_GRACE = dt.timedelta(hours=12)  # a digest not sent this long after its hour is skipped
DEFAULT_REMINDERS = (7, 1)


def plan(now: dt.datetime, workflows: WorkflowSet) -> list[Planned]:
    """Every message due at `now` (aware), made or not yet."""
    return [
        *reminders(now, workflows),
        *missed_deadlines(now),
        *stalled_stages(now, workflows),
        *digests(now),
        *team_digests(now),
    ]


def _send_from(now: dt.datetime, user: User) -> dt.datetime:
    """`now`, or the end of the recipient's quiet hours if it falls in them (in UTC)."""
    return quiet_end(local(now, user.time_zone), user.quiet_from, user.quiet_until).astimezone(
        dt.UTC
    )


def _reached(day: dt.date, here: dt.datetime, within: int) -> bool:
    """Whether a message due on `day` goes at local time `here`: from REMINDER_HOUR that day
    on, for `within` days more (a pass that did not run for a while still catches up)."""
    late = (here.date() - day).days
    return 0 <= late <= within and not (late == 0 and here.hour < REMINDER_HOUR)


def _offsets(workflows: WorkflowSet) -> dict[tuple[str, str, str], set[int]]:
    """Each deadline rule's reminder days, by (route, stage, rule), all its versions together."""
    found: dict[tuple[str, str, str], set[int]] = {}
    for route in workflows.routes.values():
        for stage in route.stages:
            for rule in stage.deadlines:
                found.setdefault((route.id, stage.id, rule.name), set()).update(rule.reminders)
    return found


def _recipients_on_cases() -> Iterable:
    """(case id, user) of the active team members who take e-mail reminders."""
    return (
        select(case_assignments.c.case_id, User)
        .join(User, User.id == case_assignments.c.user_id)
        .where(User.active, User.email_reminders)
    )


def reminders(now: dt.datetime, workflows: WorkflowSet) -> Iterator[Planned]:
    """A reminder per open deadline of ours and team member, on the rule's reminder days and
    the due day, from REMINDER_HOUR of that day in the member's zone."""
    offsets = _offsets(workflows)
    every = sorted({0, *DEFAULT_REMINDERS, *(d for days in offsets.values() for d in days)})
    today = now.astimezone(dt.UTC).date()
    # The due dates whose reminder day falls in the last CATCH_UP days (a day's slack for zones).
    windows = [
        Deadline.due_date.between(
            today + dt.timedelta(days=days - CATCH_UP - 1), today + dt.timedelta(days=days + 1)
        )
        for days in every
    ]
    members = _recipients_on_cases().subquery()
    team = db.aliased(User, members)
    query = (
        select(Deadline, Proceeding.route, Proceeding.case_id, team)
        .join(Proceeding, Proceeding.id == Deadline.proceeding_id)
        .join(members, members.c.case_id == Proceeding.case_id)
        .where(Deadline.status == DeadlineStatus.OPEN, Deadline.party == Party.US, or_(*windows))
        .order_by(Deadline.id)
    )
    for deadline, route, case_id, user in db.session.execute(query):
        here = local(now, user.time_zone)
        days_left = (deadline.due_date - here.date()).days
        rule_offsets = offsets.get((route, deadline.stage, deadline.rule), DEFAULT_REMINDERS)
        point = reminder_point(days_left, tuple(rule_offsets))
        if point is None:
            continue
        if not _reached(deadline.due_date - dt.timedelta(days=point), here, CATCH_UP):
            continue
        yield Planned(
            key=f"reminder:{deadline.id}:{deadline.due_date}:{point}:{user.id}",
            kind=NotificationKind.REMINDER,
            user_id=user.id,
            not_before=_send_from(now, user),
            case_id=case_id,
            deadline_id=deadline.id,
            details={"due": deadline.due_date.isoformat(), "point": point},
        )


def _escalation_recipients(case_ids: Iterable[int]) -> dict[int, list[User]]:
    """Per case: the active coordinators taking e-mail, and its backup lawyer if any."""
    coordinators = list(
        db.session.scalars(
            select(User).where(User.role == Role.COORDINATOR, User.active, User.email_reminders)
        )
    )
    ids = set(case_ids)
    backups = (
        dict(
            db.session.execute(
                select(Case.id, User)
                .join(User, User.id == Case.backup_lawyer_id)
                .where(Case.id.in_(ids), User.active, User.email_reminders)
            ).all()
        )
        if ids
        else {}
    )
    return {
        case_id: coordinators + ([backups[case_id]] if case_id in backups else [])
        for case_id in ids
    }


def _deduplicated(people: list[User]) -> list[User]:
    return list({person.id: person for person in people}.values())


def missed_deadlines(now: dt.datetime) -> Iterator[Planned]:
    """A deadline of ours that passed unmet (still open past its date, or closed as missed)
    in the last ESCALATE_WITHIN days: to the coordinators and the case's backup lawyer."""
    today = now.astimezone(dt.UTC).date()
    since = today - dt.timedelta(days=ESCALATE_WITHIN + 2)  # a day's slack for zones
    query = (
        select(Deadline, Proceeding.case_id)
        .join(Proceeding, Proceeding.id == Deadline.proceeding_id)
        .where(
            Deadline.party == Party.US,
            Deadline.due_date.between(since, today),
            or_(
                Deadline.status == DeadlineStatus.OPEN,
                Deadline.status == DeadlineStatus.MISSED,
            ),
        )
        .order_by(Deadline.id)
    )
    rows = list(db.session.execute(query))
    recipients = _escalation_recipients(case_id for _deadline, case_id in rows)
    for deadline, case_id in rows:
        for user in _deduplicated(recipients[case_id]):
            the_day_after = deadline.due_date + dt.timedelta(days=1)
            if not _reached(the_day_after, local(now, user.time_zone), ESCALATE_WITHIN):
                continue
            yield Planned(
                key=f"missed:{deadline.id}:{deadline.due_date}:{user.id}",
                kind=NotificationKind.MISSED,
                user_id=user.id,
                not_before=_send_from(now, user),
                case_id=case_id,
                deadline_id=deadline.id,
                details={"due": deadline.due_date.isoformat()},
            )


def stalled_stages(now: dt.datetime, workflows: WorkflowSet) -> Iterator[Planned]:
    """A proceeding that passed its stage's expected duration in the last ESCALATE_WITHIN days."""
    today = now.astimezone(dt.UTC).date()
    expected = expected_days(workflows.routes.values())
    if not expected:
        return
    s = StageStay
    windows = [
        and_(
            s.route == route,
            s.stage == stage,
            s.entered_on.between(
                today - dt.timedelta(days=days + ESCALATE_WITHIN + 2),
                today - dt.timedelta(days=days),
            ),
        )
        for (route, stage), days in expected.items()
    ]
    rows = list(
        db.session.execute(
            select(s.proceeding_id, s.case_id, s.route, s.stage, s.entered_on)
            .where(s.is_current, or_(*windows))
            .order_by(s.proceeding_id)
        )
    )
    recipients = _escalation_recipients(row.case_id for row in rows)
    for row in rows:
        over_on = row.entered_on + dt.timedelta(days=expected[(row.route, row.stage)])
        for user in _deduplicated(recipients[row.case_id]):
            the_day_after = over_on + dt.timedelta(days=1)
            if not _reached(the_day_after, local(now, user.time_zone), ESCALATE_WITHIN):
                continue
            yield Planned(
                key=f"stalled:{row.proceeding_id}:{row.stage}:{row.entered_on}:{user.id}",
                kind=NotificationKind.STALLED,
                user_id=user.id,
                not_before=_send_from(now, user),
                case_id=row.case_id,
                details={"proceeding": row.proceeding_id, "since": row.entered_on.isoformat()},
            )


def _digest_due(now: dt.datetime, user: User, frequency: str) -> dt.datetime | None:
    """The digest moment this pass should send for, if one is due now."""
    here = local(now, user.time_zone)
    moment = last_digest_moment(here, frequency, user.digest_weekday, user.digest_hour)
    if moment is None or here - moment > DIGEST_GRACE:
        return None
    return moment


def digests(now: dt.datetime) -> Iterator[Planned]:
    """Each person's daily or weekly digest, at the hour they chose in their zone."""
    people = db.session.scalars(
        select(User).where(User.active, User.digest.in_(["daily", "weekly"])).order_by(User.id)
    )
    for user in people:
        moment = _digest_due(now, user, user.digest)
        if moment is None:
            continue
        yield Planned(
            key=f"digest:{user.id}:{digest_period(moment, user.digest)}",
            kind=NotificationKind.DIGEST,
            user_id=user.id,
            not_before=_send_from(now, user),
            details={"frequency": user.digest, "on": moment.date().isoformat()},
        )


def team_digests(now: dt.datetime) -> Iterator[Planned]:
    """The coordinators' weekly digest, on their digest day and hour."""
    people = db.session.scalars(
        select(User)
        .where(User.active, User.team_digest, User.role == Role.COORDINATOR)
        .order_by(User.id)
    )
    for user in people:
        moment = _digest_due(now, user, "weekly")
        if moment is None:
            continue
        yield Planned(
            key=f"team_digest:{user.id}:{digest_period(moment, 'weekly')}",
            kind=NotificationKind.TEAM_DIGEST,
            user_id=user.id,
            not_before=_send_from(now, user),
            details={"on": moment.date().isoformat()},
        )
