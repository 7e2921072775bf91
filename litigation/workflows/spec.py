"""Immutable description of the routes declared in workflows.yaml.

The loader turns YAML into these objects once at start-up; nothing else builds them.
Every object keeps the line it came from so that validation can point at it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# The value types live in spec_values.py; they are part of the spec and exported from here.
from .spec_values import MAX_AMOUNT as MAX_AMOUNT
from .spec_values import FactType as FactType
from .spec_values import Kind as Kind
from .spec_values import Party as Party
from .spec_values import Period as Period
from .spec_values import Text as Text
from .spec_values import Unit as Unit

LANGUAGES = ("ru", "en")
STAGE_ENTERED = "stage_entered"
"""Anchor name meaning "the legal date of the event that entered the stage"."""
INCIDENT = "incident"
"""In a fact's `not_before`: the case's incident date, which is not a fact of a proceeding."""
MILESTONES = (
    "complaint_filed",
    "investigation_opened",
    "investigation_refused",
    "prosecution",
    "court_decision",
    "appeal_filed",
    "remedies_exhausted",
    "un_submitted",
    "views_adopted",
    "views_violation_found",
    "compensation_awarded",
    "compensation_obtained",
    "rehabilitation_referral",
)
"""Outcomes the dashboard counts; a transition names those it reaches with `milestone`."""


class ConsentScope(StrEnum):
    """What a survivor may consent to; `requires_consent:` in workflows.yaml names these."""

    LITIGATION = "litigation"  # courts and UN bodies act on the survivor's complaint
    PUBLICATION = "publication"  # the case may be made public (reports, press)
    UN_NAME = "un_name"  # the name may appear in a UN decision; without it: anonymised
    SHARING = "sharing"  # information goes to partners, referrals, outside calendars
    MEDICAL = "medical"  # a medical examination of the survivor


@dataclass(frozen=True)
class DatedDay:
    date: dt.date
    reason: str


class WeekendMove(StrEnum):
    """Where a public holiday falling on a weekend day sends its day off."""

    NEXT_WORKING_DAY = "next_working_day"
    NONE = "none"  # the holiday is simply lost


class AppliedBy(StrEnum):
    """Who applies a weekend-holiday rule: never both, or a day off would be given twice."""

    CALENDAR = "calendar"  # litigation/workflows/holiday_rules.py
    HOLIDAYS_PACKAGE = "holidays_package"  # the package's own "(observed)" days


@dataclass(frozen=True)
class WeekendHolidays:
    """A calendar's rule for public holidays falling on a weekend day, with its source."""

    moves_to: WeekendMove
    applied_by: AppliedBy
    legal_basis: str  # short citation shown in the reasoning, e.g. "Law on holidays art. 3"
    source: str
    verified: bool = False
    line: int = 0
    legal_basis_ru: str = ""  # the same citation in Russian, for Russian pages


@dataclass(frozen=True)
class DecreeYears:
    """Years whose Government day-off decrees are known and entered in the overlays."""

    confirmed_years: frozenset[int]
    source: str
    verified: bool = False
    line: int = 0


@dataclass(frozen=True)
class CalendarSpec:
    """A jurisdiction's calendar: the `holidays` package plus overlays kept as data."""

    id: str
    country: str | None  # code for the `holidays` package; None means no holidays at all
    weekend: frozenset[int]  # ISO weekday numbers, 6 = Saturday, 7 = Sunday
    extra_days_off: tuple[DatedDay, ...] = ()
    extra_working_days: tuple[DatedDay, ...] = ()
    confirmed_holidays: tuple[ConfirmedHoliday, ...] = ()
    line: int = 0
    weekend_holidays: WeekendHolidays | None = None  # None: no rule of its own
    # None: no year is confirmed for a calendar with holidays (a calendar without holidays
    # has no decrees to wait for).
    decrees: DecreeYears | None = None


@dataclass(frozen=True)
class ConfirmedHoliday:
    """An officially confirmed date replacing the package's estimate of a lunar holiday."""

    holiday: str  # the package's English name, e.g. "Eid al-Adha"
    date: dt.date
    source: str
    verified: bool = False  # False: the date is reported (press), the act itself not read


@dataclass(frozen=True)
class FactSpec:
    name: str
    type: FactType
    label: Text
    choices: tuple[str, ...] = ()
    choice_labels: tuple[tuple[str, Text], ...] = ()  # (value, label) for the interface
    line: int = 0
    # Date facts (or INCIDENT) this date may not precede: a receipt is not before its dispatch.
    not_before: tuple[str, ...] = ()

    def choice_label(self, value: str, lang: str) -> str:
        """How a stored choice value reads in `lang` (the value itself if it has no label)."""
        labels = dict(self.choice_labels)
        return labels[value].get(lang) if value in labels else str(value)


@dataclass(frozen=True)
class Alternative:
    """Another period an unverified rule may turn out to have, and why it is plausible."""

    period: Period
    reason: Text  # e.g. "Russian CPC art. 389.4: 10 days (a neighbouring code, not TJ law)"
    line: int = 0


Condition = tuple[tuple[str, tuple[str, ...]], ...]
"""`when:` of a rule or milestone: (choice fact, accepted values), every pair must hold."""


def condition_holds(when: Condition, facts: Mapping[str, Any]) -> bool:
    """Whether every fact named in `when` was recorded with one of its accepted values."""
    return all(str(facts.get(fact)) in values for fact, values in when)


@dataclass(frozen=True)
class DeadlineRule:
    name: str
    label: Text
    period: Period
    anchor: str  # a fact name, or STAGE_ENTERED
    legal_basis: Text  # the article, in the reader's language
    verified: bool
    kind: Kind = Kind.HARD
    party: Party = Party.US
    calendar: str | None = None  # None: the route's calendar
    roll_forward: bool = True
    anchor_offset: Period | None = None  # e.g. art. 106(5)(c): 15 days after filing, then 15 days
    reminders: tuple[int, ...] = (7, 1)  # days before the due date
    met_by: tuple[str, ...] = ()  # triggers that meet it; empty: any trigger leaving the stage
    cancelled_by: tuple[str, ...] = ()
    # Leaving by these the period does not end (KZ CPC art. 106(5), art. 192): the deadline
    # closes as "continued" and a later stage declaring the rule opens it again, same date.
    continues_through: tuple[str, ...] = ()
    # Facts whose recording replaces this period by another one counted from them (KZ CPC
    # art. 418(1): a convict in custody counts from the delivery of the copy, not from the
    # pronouncement); once one is recorded, this period no longer runs.
    superseded_by: tuple[str, ...] = ()
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    restorable: bool = True
    note: Text | None = None
    line: int = 0
    when: Condition = ()  # the version applies only to these recorded facts (KZ CPC art. 105(2))
    alternatives: tuple[Alternative, ...] = ()  # unverified rules: other plausible periods
    copied_from: Text | None = None  # the value is another code's, e.g. the Russian CPC

    def applies_on(self, day: dt.date) -> bool:
        """Whether this version of the rule governs an event on `day`."""
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_to and day > self.valid_to)

    def applies_to(self, facts: Mapping[str, Any]) -> bool:
        """Whether the recorded facts meet this version's `when` (always, without one) and
        record none of the facts that supersede it."""
        superseded = any(facts.get(name) is not None for name in self.superseded_by)
        return condition_holds(self.when, facts) and not superseded


@dataclass(frozen=True)
class Stage:
    id: str
    label: Text
    guidance: Text
    final: bool = False
    expected_duration: Period | None = None
    deadlines: tuple[DeadlineRule, ...] = ()
    line: int = 0

    def rule(
        self, name: str, on: dt.date, facts: Mapping[str, Any] | None = None
    ) -> DeadlineRule | None:
        """The version of rule `name` that governs an anchor on `on` (else its first version).

        With `facts`, a version whose `when` they do not meet is passed over; without them
        the first version in force on `on` is taken.
        """
        versions = [rule for rule in self.deadlines if rule.name == name]
        in_force = [rule for rule in versions if rule.applies_on(on)]
        if facts is not None:
            in_force = [rule for rule in in_force if rule.applies_to(facts)] or in_force
        return next(iter(in_force), None) or (versions[0] if versions else None)

    def rules_on(self, day: dt.date) -> tuple[DeadlineRule, ...]:
        """The rule versions in force for an anchor on `day`: what entering the stage opens."""
        return tuple(rule for rule in self.deadlines if rule.applies_on(day))


@dataclass(frozen=True)
class HandOver:
    """Opening a proceeding on another route, carrying facts over (new name -> old name)."""

    route: str
    carry: tuple[tuple[str, str], ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Milestone:
    """A milestone reached by a transition; with `when`, only if the event's facts match."""

    name: str
    when: tuple[tuple[str, tuple[str, ...]], ...] = ()  # fact -> accepted values
    line: int = 0


@dataclass(frozen=True)
class Transition:
    trigger: str
    label: Text
    sources: tuple[str, ...]
    dest: str
    records: tuple[str, ...] = ()  # facts the lawyer must record
    optional: tuple[str, ...] = ()  # facts the lawyer may record
    event_date: str | None = None  # the fact that is the event's legal date
    guards: tuple[str, ...] = ()
    opens: HandOver | None = None
    actor: Party = Party.US
    milestones: tuple[Milestone, ...] = ()
    line: int = 0
    from_any: bool = False  # written `source: any`: `sources` is every non-final stage
    requires_consent: tuple[str, ...] = ()  # scopes the survivor's current consent must cover
    # How the history says it once done ("Жалоба подана прокурору"), where `label` is what a
    # button asks ("Подать жалобу прокурору"); None: the label reads as done already.
    done_label: Text | None = None

    @property
    def done(self) -> Text:
        """The step as the history tells it: its past-tense label, else its label."""
        return self.done_label or self.label


@dataclass(frozen=True)
class Route:
    id: str
    title: Text
    jurisdictions: tuple[str, ...]
    calendar: str
    initial: str
    stages: tuple[Stage, ...]
    transitions: tuple[Transition, ...]
    opening_facts: tuple[str, ...] = ()
    exclusive_group: str | None = None  # e.g. one treaty body per matter
    description: Text | None = None
    opening_milestone: str | None = None  # reached by opening a proceeding on the route
    line: int = 0
    # Opening a proceeding on the route (by hand or by a hand-over) needs these consents.
    requires_consent: tuple[str, ...] = ()

    def stage(self, stage_id: str) -> Stage:
        """The stage with this id; KeyError if the route has none."""
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(f"route {self.id!r} has no stage {stage_id!r}")

    def has_stage(self, stage_id: str) -> bool:
        return any(stage.id == stage_id for stage in self.stages)

    def transitions_from(self, stage_id: str) -> tuple[Transition, ...]:
        """Transitions whose source includes `stage_id`, in declaration order."""
        return tuple(t for t in self.transitions if stage_id in t.sources)

    def transition(self, trigger: str) -> Transition:
        for transition in self.transitions:
            if transition.trigger == trigger:
                return transition
        raise KeyError(f"route {self.id!r} has no transition {trigger!r}")


def consent_needed(transition: Transition, routes: Mapping[str, Route]) -> tuple[str, ...]:
    """The consent scopes a step needs: its own and, for a hand-over, the opened route's."""
    scopes = list(transition.requires_consent)
    if transition.opens and transition.opens.route in routes:
        scopes.extend(routes[transition.opens.route].requires_consent)
    return tuple(dict.fromkeys(scopes))


@dataclass(frozen=True)
class WorkflowSet:
    """Everything declared in one workflows.yaml."""

    path: str
    calendars: dict[str, CalendarSpec]
    facts: dict[str, FactSpec]
    routes: dict[str, Route]
    lines: dict[str, int] = field(default_factory=dict, compare=False)

    def route(self, route_id: str) -> Route:
        try:
            return self.routes[route_id]
        except KeyError:
            raise KeyError(f"no route {route_id!r} in {self.path}") from None

    def rule_for(
        self,
        route_id: str,
        stage_id: str,
        name: str,
        on: dt.date,
        facts: Mapping[str, Any] | None = None,
    ) -> DeadlineRule | None:
        """The one rule lookup: the version of a deadline rule in force for an anchor on `on`.

        Give the proceeding's `facts` to pick between versions that differ by `when`.
        None when the file no longer has the route, the stage or the rule.
        """
        route = self.routes.get(route_id)
        if route is None or not route.has_stage(stage_id):
            return None
        return route.stage(stage_id).rule(name, on, facts)

    def rule_versions(
        self, route_id: str, stage_id: str, name: str, on: dt.date
    ) -> tuple[DeadlineRule, ...]:
        """Every version of a rule in force on `on`: several when they differ by `when`."""
        route = self.routes.get(route_id)
        if route is None or not route.has_stage(stage_id):
            return ()
        return tuple(rule for rule in route.stage(stage_id).rules_on(on) if rule.name == name)
