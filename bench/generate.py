"""A realistic history for the dashboard benchmark, written by bulk inserts.

Each case walks its routes from workflows.yaml: a criminal route, often rehabilitation, a
compensation claim or a special-procedures appeal, and a UN communication when domestic
remedies are exhausted. Time in a stage is drawn around the stage's expected duration. The
stays and the histogram come from the same `litigation.cases.stays` functions the operations use.
Going through the operations themselves would take hours for 100,000 cases.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, insert

from litigation.cases.stays import stay_row, stays_of
from litigation.dashboard.sql import period_days
from litigation.models import (
    Case,
    ConsentRecord,
    Deadline,
    Event,
    Proceeding,
    StageStay,
    StayDuration,
    Survivor,
    User,
    case_assignments,
)
from litigation.workflows.engine import OVERRIDE, EventView, closing_status
from litigation.workflows.loaded import Registry
from litigation.workflows.spec import Route, Stage, Transition

FIRST_DAY = dt.date(2016, 1, 1)
STAMP = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
EXITS = {"close", "withdraw", "discontinue", "accept_termination", "accept_refusal"}
WEIGHTS = {**dict.fromkeys(EXITS, 0.04), "complete": 0.3, "conclude": 0.3}
AUTHORITIES = [f"Police department {n}" for n in range(1, 25)] + [None] * 4
MAX_STEPS = 30


@dataclass
class Step:
    trigger: str
    source: str | None
    dest: str
    day: dt.date
    facts: dict[str, Any] = field(default_factory=dict)
    opens: str | None = None


@dataclass
class Rows:
    """Rows waiting to be inserted, per table."""

    survivors: list[dict] = field(default_factory=list)
    cases: list[dict] = field(default_factory=list)
    team: list[dict] = field(default_factory=list)
    consents: list[dict] = field(default_factory=list)
    proceedings: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    deadlines: list[dict] = field(default_factory=list)
    stays: list[dict] = field(default_factory=list)

    def write(self, connection: Connection) -> None:
        tables = (
            Survivor,
            Case,
            case_assignments,
            ConsentRecord,
            Proceeding,
            Event,
            Deadline,
            StageStay,
        )
        for table, rows in zip(tables, vars(self).values(), strict=True):
            if rows:
                connection.execute(insert(getattr(table, "__table__", table)), rows)
            rows.clear()


class History:
    """Generates cases with their proceedings, events, deadlines and stays."""

    def __init__(self, registry: Registry, today: dt.date, seed: int = 1) -> None:
        self.routes = registry.workflows.routes
        self.today = today
        self.random = random.Random(seed)
        self.ids = Counter()
        self.durations: Counter = Counter()
        self.rows = Rows()

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def users(self, connection: Connection, password_hash: str) -> tuple[list[int], list[int]]:
        """A coordinator, 60 lawyers and 10 staff; returns the lawyers' and staff ids."""
        rows = [("coordinator", "bench-coordinator@example.org")]
        rows += [("lawyer", f"lawyer{n}@example.org") for n in range(1, 61)]
        rows += [("staff", f"staff{n}@example.org") for n in range(1, 11)]
        connection.execute(
            insert(User.__table__),
            [
                {"email": email, "name": email.split("@")[0], "role": role, "language": "en"}
                | {"password_hash": password_hash, "active": True, "created_at": STAMP}
                for role, email in rows
            ],
        )
        return list(range(2, 62)), list(range(62, 72))

    def case(self, lawyers: list[int], staff: list[int]) -> None:
        """One case and everything that happened in it."""
        rnd = self.random
        case_id = self.next_id("cases")
        jurisdiction = "KZ" if rnd.random() < 0.65 else "TJ"
        opened = FIRST_DAY + dt.timedelta(days=rnd.randrange((self.today - FIRST_DAY).days))
        # One person in ten has a case already: they are linked to their earlier survivor row.
        if case_id > 1 and rnd.random() < 0.1:
            survivor_id = rnd.randrange(1, case_id)
        else:
            survivor_id = case_id
            self.rows.survivors.append(
                {
                    "id": survivor_id,
                    "name": f"Survivor {case_id}",
                    "name_folded": f"survivor {case_id}",
                    "sex": rnd.choice(("female", "male", "unknown")),
                    "birth_year": rnd.randrange(1950, 2012),
                    "reprisal_risk": "unknown",
                    "created_at": STAMP,
                }
            )
        self.rows.cases.append(
            {
                "id": case_id,
                "reference": f"B-{case_id:07d}",
                "jurisdiction": jurisdiction,
                "survivor_id": survivor_id,
                "opened_on": opened,
                "authority": rnd.choice(AUTHORITIES),
                "created_at": STAMP,
            }
        )
        # The routes walked below go to the UN and to rehabilitation: both consents, at intake.
        self.rows.consents.extend(
            {"case_id": case_id, "scope": scope, "given_on": opened, "recorded_at": STAMP}
            for scope in ("litigation", "sharing")
        )
        team = {rnd.choice(lawyers)} if rnd.random() < 0.92 else set()
        if rnd.random() < 0.2:
            team.add(rnd.choice(lawyers))
        if rnd.random() < 0.1:
            team.add(rnd.choice(staff))
        self.rows.team.extend({"case_id": case_id, "user_id": user} for user in team)
        criminal = "kz_criminal" if jurisdiction == "KZ" else "tj_criminal"
        pending = [(criminal, opened, None)]
        for route_id, share in (
            ("rehabilitation", 0.8),
            ("kz_compensation", 0.5 if jurisdiction == "KZ" else 0),
            ("un_special_procedures", 0.4),
        ):
            if rnd.random() < share:
                pending.append((route_id, opened + dt.timedelta(days=rnd.randrange(400)), None))
        while pending:
            route_id, day, parent = pending.pop()
            if day <= self.today:
                pending.extend(self.proceeding(case_id, self.routes[route_id], day, parent))

    def proceeding(self, case_id: int, route: Route, day: dt.date, parent: int | None) -> list:
        """Walk `route` from `day`; returns the hand-overs it leads to."""
        proceeding_id = self.next_id("proceedings")
        steps = self.walk(route, day)
        last = route.stage(steps[-1].dest)
        self.rows.proceedings.append(
            {
                "id": proceeding_id,
                "case_id": case_id,
                "route": route.id,
                "stage": last.id,
                "opened_on": day,
                "closed_on": steps[-1].day if last.final else None,
                "parent_id": parent,
                "version": len(steps),
                "updated_at": STAMP,
            }
        )
        views = [self.event(proceeding_id, step) for step in steps]
        stays = stays_of([v for v in views if v.trigger != OVERRIDE], last.final)
        for index, stay in enumerate(stays):
            self.rows.stays.append(stay_row(stay, proceeding_id, case_id, route.id))
            if stay.days is not None:
                self.durations[(route.id, stay.stage, stay.days)] += 1
            leaving = stays[index + 1].trigger if index + 1 < len(stays) else None
            self.deadlines(proceeding_id, route, stay, leaving)
        return [(step.opens, step.day, proceeding_id) for step in steps if step.opens]

    def walk(self, route: Route, day: dt.date) -> list[Step]:
        steps = [Step("open", None, route.initial, day)]
        for _ in range(MAX_STEPS):
            stage = route.stage(steps[-1].dest)
            choices = route.transitions_from(stage.id)
            if stage.final or not choices:
                break
            day = day + dt.timedelta(days=self.stay_days(stage))
            if day > self.today:
                break
            weights = [WEIGHTS.get(t.trigger, 1.0) for t in choices]
            transition = self.random.choices(choices, weights)[0]
            steps.append(self.step(transition, stage.id, day))
            if self.random.random() < 0.03:
                steps.append(Step(OVERRIDE, transition.dest, transition.dest, day))
        return steps

    def step(self, transition: Transition, source: str, day: dt.date) -> Step:
        facts: dict[str, Any] = {}
        if transition.event_date:
            facts[transition.event_date] = day.isoformat()
        for name in transition.records:
            choices = self.routes_facts_choices(name)
            if choices:
                facts[name] = self.random.choice(choices)
        opens = transition.opens.route if transition.opens else None
        return Step(transition.trigger, source, transition.dest, day, facts, opens)

    def routes_facts_choices(self, name: str) -> tuple[str, ...]:
        return {
            "views_outcome": ("violation", "violation", "no_violation", "inadmissible"),
            "claim_outcome": ("granted", "partly_granted", "refused"),
            "verdict_outcome": ("conviction", "acquittal", "termination"),
        }.get(name, ())

    def stay_days(self, stage: Stage) -> int:
        expected = period_days(stage.expected_duration) if stage.expected_duration else 40
        return max(1, round(self.random.lognormvariate(math.log(expected * 0.8), 0.7)))

    def event(self, proceeding_id: int, step: Step) -> EventView:
        event_id = self.next_id("events")
        self.rows.events.append(
            {
                "id": event_id,
                "proceeding_id": proceeding_id,
                "trigger": step.trigger,
                "from_stage": step.source,
                "to_stage": step.dest,
                "occurred_on": step.day,
                "recorded_at": STAMP,
                "facts": step.facts,
            }
        )
        return EventView(event_id, step.trigger, step.source, step.dest, step.day, step.facts)

    def deadlines(self, proceeding_id: int, route: Route, stay, leaving: str | None) -> None:
        rules = route.stage(stay.stage).deadlines
        in_force = {rule.name: rule for rule in rules if rule.applies_on(stay.entered_on)}
        for rule in in_force.values():
            due = stay.entered_on + dt.timedelta(days=period_days(rule.period))
            status = "open"
            if leaving is not None:
                status = closing_status(rule, leaving, stay.left_on, due)
            self.rows.deadlines.append(
                {
                    "id": self.next_id("deadlines"),
                    "proceeding_id": proceeding_id,
                    "event_id": stay.event_id,
                    "rule": rule.name,
                    "stage": stay.stage,
                    "kind": rule.kind.value,
                    "party": rule.party.value,
                    "legal_basis": rule.legal_basis.ru[:300],
                    "legal_basis_en": rule.legal_basis.en[:300],
                    "verified": rule.verified,
                    "calendar": rule.calendar or route.calendar,
                    "anchor_date": stay.entered_on,
                    "computed_due": due,
                    "due_date": due,
                    "status": status,
                    "closed_on": stay.left_on if leaving else None,
                    "sequence": 0,
                    "created_at": STAMP,
                    "updated_at": STAMP,
                }
            )

    def histogram(self, connection: Connection) -> None:
        rows = [
            {"route": route, "stage": stage, "days": days, "stays": number}
            for (route, stage, days), number in self.durations.items()
        ]
        for start in range(0, len(rows), 5000):
            connection.execute(insert(StayDuration.__table__), rows[start : start + 5000])
