"""When workflows.yaml changes, the stored deadlines follow, with a record in each history.

`pending` recomputes every open deadline from its proceeding's history as the file now reads
and lists those whose date or status would change, and why; `apply` writes them as events, so
calendar feeds bump SEQUENCE. A lawyer's override is never touched, only listed.
Stranded proceedings (in a stage or route the file no longer has) are found and moved here too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..db import db, utcnow
from ..errors import InvalidInput, msg
from ..models import Deadline, DeadlineStatus, Proceeding, User
from ..workflows.engine import RECALCULATION, STAGE_MIGRATION, current_facts, plan_deadlines
from ..workflows.fingerprints import route_version, rule_fingerprint
from ..workflows.loaded import Registry
from ..workflows.problems import Problem
from .deadlines import computed_fields, move_to_plan, rule_of
from .history import append_event, effective_history
from .stays import sync_stays


@dataclass
class PendingChange:
    deadline: Deadline
    before: dt.date
    after: dt.date | None  # None: the rule no longer applies and the deadline is cancelled
    why: list[str] = field(default_factory=list)

    @property
    def overridden(self) -> bool:
        return self.deadline.override_due is not None


def _open_deadlines() -> list[Deadline]:
    query = (
        select(Deadline)
        .where(Deadline.status == DeadlineStatus.OPEN)
        .options(selectinload(Deadline.proceeding).selectinload(Proceeding.events))
        .order_by(Deadline.proceeding_id, Deadline.id)
    )
    return list(db.session.scalars(query))


def _plan_now(registry: Registry, deadline: Deadline):
    """The deadline's plan as workflows.yaml reads now (None: its rule no longer applies)."""
    proceeding = deadline.proceeding
    if proceeding.route not in registry.workflows.routes:
        return None
    route = registry.route(proceeding.route)
    if not route.has_stage(deadline.stage):
        return None
    views = effective_history(proceeding)
    index = next((i for i, v in enumerate(views) if v.id == deadline.event_id), None)
    if index is None:
        return None
    facts = current_facts(registry.workflows, views[: index + 1])
    plans = plan_deadlines(
        registry.calendars, route, deadline.stage, facts, views[index].occurred_on
    )
    return next((p for p in plans if p.rule.name == deadline.rule), None)


def _why(deadline: Deadline, plan) -> list[str]:
    """What differs between the stored deadline and its plan now, in plain words."""
    if plan is None:
        return ["the rule no longer applies (removed, or its condition or validity changed)"]
    reasons = []
    if plan.anchor_date != deadline.anchor_date:
        reasons.append(f"counted from {plan.anchor_date} instead of {deadline.anchor_date}")
    if plan.due != deadline.computed_due:
        reasons.append(f"due {plan.due} instead of {deadline.computed_due}")
    if plan.rule.verified != deadline.verified:
        reasons.append("now verified" if plan.rule.verified else "now unverified")
    if plan.calendar != deadline.calendar:
        reasons.append(f"calendar {plan.calendar} instead of {deadline.calendar}")
    if plan.latest != deadline.latest_due:
        reasons.append(f"could be as late as {plan.latest}" if plan.latest else "one date only")
    return reasons


def pending(registry: Registry) -> list[PendingChange]:
    """Every open deadline whose date or status would change under workflows.yaml as it is."""
    changes = []
    for deadline in _open_deadlines():
        plan = _plan_now(registry, deadline)
        why = _why(deadline, plan)
        if why:
            after = None if plan is None else (deadline.override_due or plan.due)
            changes.append(PendingChange(deadline, deadline.due_date, after, why))
    return changes


def apply(
    registry: Registry,
    changes: list[PendingChange],
    *,
    actor: User | None,
    reason: str,
    today: dt.date,
) -> int:
    """Write each change (overrides excepted) as an event in its history; return how many.

    Deadlines whose dates stay the same take the new fingerprint without an event.
    """
    if not reason.strip():
        raise InvalidInput({"reason": msg("Say why (e.g. the period was corrected in the law).")})
    written = 0
    for change in changes:
        if change.overridden:
            continue
        deadline = change.deadline
        plan = _plan_now(registry, deadline)
        if plan is None:
            deadline.status = DeadlineStatus.CANCELLED
            deadline.closed_on = today
            deadline.sequence += 1
            deadline.updated_at = utcnow()
        else:
            move_to_plan(registry, deadline, plan)
        _record(deadline, change, actor, reason, today)
        written += 1
    _refresh_fingerprints(registry)
    db.session.flush()
    return written


def _refresh_fingerprints(registry: Registry) -> None:
    for deadline in _open_deadlines():
        plan = _plan_now(registry, deadline)
        if plan is not None and not _why(deadline, plan):
            deadline.fingerprint = computed_fields(registry, plan)["fingerprint"]


def _record(
    deadline: Deadline, change: PendingChange, actor: User | None, reason: str, today: dt.date
) -> None:
    proceeding = deadline.proceeding
    append_event(
        proceeding,
        RECALCULATION,
        proceeding.stage,
        proceeding.stage,
        actor,
        today,
        {
            "deadline_id": deadline.id,
            "rule": deadline.rule,
            "from": change.before.isoformat(),
            "to": change.after.isoformat() if change.after else None,
            "why": change.why,
        },
        reason.strip(),
    )
    proceeding.updated_at = utcnow()


def stale_fingerprints(registry: Registry) -> int:
    """How many open deadlines were computed with a rule or calendar that has changed since."""
    rows = db.session.execute(
        select(
            Proceeding.route,
            Deadline.stage,
            Deadline.rule,
            Deadline.anchor_date,
            Deadline.calendar,
            Deadline.fingerprint,
        )
        .join(Proceeding, Proceeding.id == Deadline.proceeding_id)
        .where(Deadline.status == DeadlineStatus.OPEN)
        .distinct()
    )
    workflows = registry.workflows
    stale = 0
    for route_id, stage, name, anchor, calendar, fingerprint in rows:
        spec = workflows.calendars.get(calendar)
        versions = workflows.rule_versions(route_id, stage, name, anchor)
        stale += fingerprint not in {rule_fingerprint(rule, spec) for rule in versions}
    return stale


def stranded(registry: Registry) -> list[Proceeding]:
    """Open proceedings on a route or in a stage that workflows.yaml no longer has."""
    routes = registry.workflows.routes
    open_ = Proceeding.closed_on.is_(None)
    places = db.session.execute(select(Proceeding.route, Proceeding.stage).where(open_).distinct())
    gone = [
        (route, stage)
        for route, stage in places
        if route not in routes or not routes[route].has_stage(stage)
    ]
    found: list[Proceeding] = []
    for route, stage in gone:
        query = select(Proceeding).where(
            open_, Proceeding.route == route, Proceeding.stage == stage
        )
        found.extend(db.session.scalars(query.order_by(Proceeding.id)))
    return found


def stranded_problems(registry: Registry) -> list[Problem]:
    """The stranded proceedings as problems of workflows.yaml, each with its way out."""
    workflows = registry.workflows
    line = workflows.lines.get("routes", 1)
    problems = []
    for proceeding in stranded(registry):
        where = (
            f"stage {proceeding.stage!r} that route {proceeding.route!r} no longer has"
            if proceeding.route in workflows.routes
            else f"route {proceeding.route!r} that the file no longer has"
        )
        problems.append(
            Problem(
                workflows.path,
                line,
                f"proceeding {proceeding.id} of case {proceeding.case.reference} is open in "
                f"{where}: restore it, or move it with `litigation migrate-stage "
                f"{proceeding.route} {proceeding.stage} NEW_STAGE --reason TEXT`",
            )
        )
    return problems


def migrate_stage(
    registry: Registry,
    route_id: str,
    old: str,
    new: str,
    *,
    actor: User | None,
    reason: str,
    today: dt.date,
) -> list[Proceeding]:
    """Move every proceeding of `route_id` in stage `old` to `new`, with an event each."""
    if not reason.strip():
        raise InvalidInput({"reason": msg("Say why (e.g. the stage was renamed).")})
    if route_id not in registry.workflows.routes:
        raise InvalidInput({"route": msg("Unknown route %(route)s.", route=route_id)})
    route = registry.route(route_id)
    if not route.has_stage(new):
        raise InvalidInput({"stage": msg("The route has no stage %(stage)s.", stage=new)})
    query = select(Proceeding).where(Proceeding.route == route_id, Proceeding.stage == old)
    moved = list(db.session.scalars(query))
    for proceeding in moved:
        append_event(proceeding, STAGE_MIGRATION, old, new, actor, today, {}, reason)
        proceeding.stage = new
        proceeding.route_version = route_version(route)
        proceeding.updated_at = utcnow()
        for deadline in proceeding.deadlines:
            if deadline.stage == old:
                deadline.stage = new
        sync_stays(proceeding, effective_history(proceeding))
    db.session.flush()
    return moved


__all__ = [
    "PendingChange",
    "apply",
    "computed_fields",
    "migrate_stage",
    "pending",
    "rule_of",
    "stale_fingerprints",
    "stranded",
    "stranded_problems",
]
