"""Immutable description of the routes declared in workflows.yaml.

The loader turns YAML into these objects once at start-up; nothing else builds them.
Every object keeps the line it came from so that validation can point at it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum

LANGUAGES = ("ru", "en")
STAGE_ENTERED = "stage_entered"
"""Anchor name meaning "the legal date of the event that entered the stage"."""
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


class Unit(StrEnum):
    DAYS = "d"
    WORKING_DAYS = "wd"
    MONTHS = "m"
    YEARS = "y"


class Kind(StrEnum):
    HARD = "hard"
    WARNING = "warning"


class Party(StrEnum):
    US = "us"
    STATE = "state"
    COURT = "court"
    COMMITTEE = "committee"


class FactType(StrEnum):
    DATE = "date"
    TEXT = "text"
    BOOL = "bool"
    CHOICE = "choice"


_PERIOD_RE = re.compile(r"^\s*(\d+)\s*(wd|d|m|y)\s*$")


@dataclass(frozen=True)
class Period:
    amount: int
    unit: Unit

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse '15d', '10wd', '6m' or '5y'; raise ValueError otherwise."""
        match = _PERIOD_RE.match(str(text))
        if not match:
            raise ValueError(
                f"period {text!r} is not a number followed by d, wd, m or y "
                "(e.g. 15d, 10wd, 6m, 5y)"
            )
        amount = int(match.group(1))
        if amount <= 0:
            raise ValueError(f"period {text!r} must be longer than zero")
        return cls(amount, Unit(match.group(2)))

    def __str__(self) -> str:
        return f"{self.amount}{self.unit.value}"


@dataclass(frozen=True)
class Text:
    """A label or guidance in every interface language."""

    ru: str
    en: str

    def get(self, lang: str) -> str:
        """The text in `lang`, falling back to Russian then English."""
        return getattr(self, lang, None) or self.ru or self.en


@dataclass(frozen=True)
class DatedDay:
    date: dt.date
    reason: str


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


@dataclass(frozen=True)
class ConfirmedHoliday:
    """An officially confirmed date replacing the package's estimate of a lunar holiday."""

    holiday: str  # the package's English name, e.g. "Eid al-Adha"
    date: dt.date
    source: str


@dataclass(frozen=True)
class FactSpec:
    name: str
    type: FactType
    label: Text
    choices: tuple[str, ...] = ()
    choice_labels: tuple[tuple[str, Text], ...] = ()  # (value, label) for the interface
    line: int = 0

    def choice_label(self, value: str, lang: str) -> str:
        """How a stored choice value reads in `lang` (the value itself if it has no label)."""
        labels = dict(self.choice_labels)
        return labels[value].get(lang) if value in labels else str(value)


@dataclass(frozen=True)
class DeadlineRule:
    name: str
    label: Text
    period: Period
    anchor: str  # a fact name, or STAGE_ENTERED
    legal_basis: str
    verified: bool
    kind: Kind = Kind.HARD
    party: Party = Party.US
    calendar: str | None = None  # None: the route's calendar
    roll_forward: bool = True
    anchor_offset: Period | None = None  # e.g. art. 106(5)(c): 15 days after filing, then 15 days
    reminders: tuple[int, ...] = (7, 1)  # days before the due date
    met_by: tuple[str, ...] = ()  # triggers that meet it; empty: any trigger leaving the stage
    cancelled_by: tuple[str, ...] = ()
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    restorable: bool = True
    note: Text | None = None
    line: int = 0

    def applies_on(self, day: dt.date) -> bool:
        """Whether this version of the rule governs an event on `day`."""
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_to and day > self.valid_to)


@dataclass(frozen=True)
class Stage:
    id: str
    label: Text
    guidance: Text
    final: bool = False
    expected_duration: Period | None = None
    deadlines: tuple[DeadlineRule, ...] = ()
    line: int = 0

    def rule(self, name: str, on: dt.date) -> DeadlineRule | None:
        """The version of rule `name` that governs an anchor on `on` (else its first version)."""
        versions = [rule for rule in self.deadlines if rule.name == name]
        in_force = next((rule for rule in versions if rule.applies_on(on)), None)
        return in_force or (versions[0] if versions else None)

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

    def rule_for(self, route_id: str, stage_id: str, name: str, on: dt.date) -> DeadlineRule | None:
        """The one rule lookup: the version of a deadline rule in force for an anchor on `on`.

        None when the file no longer has the route, the stage or the rule.
        """
        route = self.routes.get(route_id)
        if route is None or not route.has_stage(stage_id):
            return None
        return route.stage(stage_id).rule(name, on)
