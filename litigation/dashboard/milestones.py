"""Milestones reached: the funnel of the cases opened in a period, and donor indicators.

Which steps reach a milestone is data: `milestone:` on transitions and `opening_milestone:` on
routes in workflows.yaml. A milestone resolves to (route, trigger, condition on the event's
facts) triples, and each figure is one aggregate query over the stays (one per step).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Integer, and_, case, cast, extract, false, func, or_, select

from ..db import db
from ..models import AgeGroup, Case, Event, Proceeding, Sex, StageStay, Survivor
from ..workflows.engine import OPEN
from ..workflows.spec import Route
from .sql import Filters, case_conditions, in_period

Mark = tuple[str, str, tuple[tuple[str, tuple[str, ...]], ...]]  # route, trigger, condition

FUNNEL = (
    ("complaint_filed", ("complaint_filed",)),
    ("investigation", ("investigation_opened", "investigation_refused")),
    ("court_decision", ("court_decision",)),
    ("appeal_filed", ("appeal_filed",)),
    ("remedies_exhausted", ("remedies_exhausted",)),
    ("un_submitted", ("un_submitted",)),
    ("views_adopted", ("views_adopted",)),
    ("compensation_obtained", ("compensation_obtained",)),
)
"""Funnel steps in order, each reached by any of its milestones."""

INDICATORS = (
    ("complaints_filed", ("complaint_filed",)),
    ("investigations_opened", ("investigation_opened",)),
    ("prosecutions", ("prosecution",)),
    ("un_submitted", ("un_submitted",)),
    ("views_in_favour", ("views_violation_found",)),
    ("compensation_awarded", ("compensation_awarded",)),
    ("rehabilitation_referrals", ("rehabilitation_referral",)),
)
"""Donor indicators counted as steps taken in the period."""


def marks(routes: Iterable[Route]) -> dict[str, list[Mark]]:
    """Each milestone with the steps that reach it, read from the routes."""
    found: dict[str, list[Mark]] = defaultdict(list)
    for route in routes:
        if route.opening_milestone:
            found[route.opening_milestone].append((route.id, OPEN, ()))
        for transition in route.transitions:
            for milestone in transition.milestones:
                found[milestone.name].append((route.id, transition.trigger, milestone.when))
    return dict(found)


def _fact(name: str) -> Any:
    """The fact `name` recorded by the stay's event, as text; read only for the steps that a
    condition names (it comes after their route and trigger), not for every stay."""
    return (
        select(Event.facts[name].as_string())
        .where(Event.id == StageStay.event_id)
        .scalar_subquery()
    )


def reached(names: Iterable[str], found: dict[str, list[Mark]], facts: bool = True) -> Any:
    """SQL condition: the stay's step reaches one of the milestones `names`.

    With `facts` false, conditions on the event's facts are left out: a wider condition on the
    stays alone, which lets the database skip the events of every other step.
    """
    plain: dict[str, set[str]] = defaultdict(set)
    terms = []
    for name in names:
        for route, trigger, when in found.get(name, []):
            if not when or not facts:
                plain[route].add(trigger)
                continue
            facts = [_fact(fact).in_(values) for fact, values in when]
            terms.append(and_(StageStay.route == route, StageStay.trigger == trigger, *facts))
    for route, triggers in sorted(plain.items()):
        terms.append(and_(StageStay.route == route, StageStay.trigger.in_(sorted(triggers))))
    return or_(*terms) if terms else false()


def _cases_on_route(case_id: Any, filters: Filters) -> list[Any]:
    if not filters.route:
        return []
    return [case_id.in_(select(Proceeding.case_id).where(Proceeding.route == filters.route))]


def funnel(routes: Iterable[Route], filters: Filters) -> tuple[int, dict[str, int]]:
    """Of the cases opened in the period, how many reached each funnel step (at any date)."""
    found = marks(routes)
    columns = [func.count(func.distinct(Case.id)).label("cohort")]
    for key, names in FUNNEL:
        columns.append(func.count(func.distinct(case((reached(names, found), Case.id)))).label(key))
    query = (
        select(*columns)
        .select_from(Case)
        .outerjoin(StageStay, StageStay.case_id == Case.id)
        .where(
            *in_period(Case.opened_on, filters),
            *case_conditions(Case.id, filters),
            *_cases_on_route(Case.id, filters),
        )
    )
    row = db.session.execute(query).one()
    return row.cohort, {key: getattr(row, key) for key, _names in FUNNEL}


def indicators(routes: Iterable[Route], filters: Filters) -> dict[str, int]:
    """Cases documented, survivors represented and the milestone counts in the period."""
    found = marks(routes)
    steps = select(
        *(
            cast(func.sum(case((reached(names, found), 1), else_=0)), Integer).label(key)
            for key, names in INDICATORS
        )
    ).where(
        *in_period(StageStay.entered_on, filters),
        *case_conditions(StageStay.case_id, filters),
        *([StageStay.route == filters.route] if filters.route else []),
        reached((name for _key, names in INDICATORS for name in names), found, facts=False),
    )
    counts = db.session.execute(steps).one()._asdict()
    return {
        "cases_documented": _documented(filters),
        **people_represented(filters),
        **{key: value or 0 for key, value in counts.items()},
    }


def _documented(filters: Filters) -> int:
    query = select(func.count()).where(
        *in_period(Case.opened_on, filters),
        *case_conditions(Case.id, filters),
        *_cases_on_route(Case.id, filters),
    )
    return db.session.scalar(query.select_from(Case)) or 0


def _represented_cases(filters: Filters) -> Any:
    """The cases with a proceeding open at some time in the period."""
    conditions = case_conditions(Proceeding.case_id, filters)
    if filters.end:
        conditions.append(Proceeding.opened_on <= filters.end)
    if filters.start:
        conditions.append(
            or_(Proceeding.closed_on.is_(None), Proceeding.closed_on >= filters.start)
        )
    if filters.route:
        conditions.append(Proceeding.route == filters.route)
    return select(Proceeding.case_id).where(*conditions)


def people_represented(filters: Filters) -> dict[str, int]:
    """Distinct survivors with a case that had a proceeding open at some time in the period,
    each counted once: in all, by sex, and by age group at the incident of their first such
    case (its opening when the incident date is unknown)."""
    first_incident = func.min(func.coalesce(Case.incident_date, Case.opened_on))
    people = (
        select(Survivor.sex, Survivor.birth_year, Survivor.age_group, first_incident.label("day"))
        .join(Case, Case.survivor_id == Survivor.id)
        .where(Case.id.in_(_represented_cases(filters)))
        .group_by(Survivor.id, Survivor.sex, Survivor.birth_year, Survivor.age_group)
        .subquery()
    )
    # An age group depends on the year alone (AgeGroup.at): the database counts the people of
    # each (sex, birth year, recorded group, year) instead of sending every person.
    year = cast(extract("year", people.c.day), Integer)
    key = (people.c.sex, people.c.birth_year, people.c.age_group, year)
    query = select(*key, func.count()).group_by(*key)
    counts = {"survivors_represented": 0}
    counts |= {f"sex_{sex.value}": 0 for sex in Sex}
    counts |= {f"age_{group.value}": 0 for group in AgeGroup}
    for sex, birth_year, recorded, incident_year, number in db.session.execute(query):
        counts["survivors_represented"] += number
        counts[f"sex_{sex if sex in set(Sex) else Sex.UNKNOWN}"] += number
        day = dt.date(incident_year, 1, 1)
        counts[f"age_{AgeGroup.at(birth_year, recorded, day).value}"] += number
    return counts
