"""The dashboard's figures as tables: labels in the reader's language, drill-down links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from flask import url_for
from flask_babel import gettext as _

from ...dashboard.deadlines import DeadlineRow
from ...dashboard.milestones import Mark
from ...dashboard.sql import Filters
from ...dashboard.stages import StageFigures, StuckRow
from ...registry import current_registry
from ...workflows.spec import Route
from ..filters import days_left, fact_text, localised
from ..vocabulary import jurisdiction_name
from .grid import Cell, Table, number_cell


def filter_args(filters: Filters) -> dict[str, Any]:
    """The query arguments that reproduce `filters`."""
    args = {
        "jurisdiction": filters.jurisdiction,
        "route": filters.route,
        "lawyer": filters.lawyer,
        "from": filters.start.isoformat() if filters.start else None,
        "to": filters.end.isoformat() if filters.end else None,
    }
    return {key: value for key, value in args.items() if value}


def link(endpoint: str, filters: Filters, **extra: Any) -> str:
    """A dashboard URL keeping the filters, with `extra` arguments on top."""
    args = {**filter_args(filters), **{k: v for k, v in extra.items() if v is not None}}
    return url_for(endpoint, **args)


def count(value: int, href: str) -> Cell:
    """A count that links to the cases behind it (zero links nowhere)."""
    return number_cell(value, href if value else None)


class Labels:
    """Reader-language names of routes, stages, deadline rules and next steps."""

    def __init__(self, routes: Mapping[str, Route], today: dt.date) -> None:
        self.routes = routes
        self.today = today

    def route(self, route_id: str) -> str:
        route = self.routes.get(route_id)
        return localised(route.title) if route else route_id

    def stage(self, route_id: str, stage_id: str) -> str:
        route = self.routes.get(route_id)
        if route is None or not route.has_stage(stage_id):
            return stage_id
        return localised(route.stage(stage_id).label)

    def rule(self, route_id: str, stage_id: str, rule: str, on: dt.date | None = None) -> str:
        """The label of the rule version in force for an anchor on `on` (default: today)."""
        route = self.routes.get(route_id)
        found = (
            route.stage(stage_id).rule(rule, on or self.today)
            if route and route.has_stage(stage_id)
            else None
        )
        return localised(found.label) if found else rule

    def next_steps(self, route_id: str, stage_id: str) -> str:
        route = self.routes.get(route_id)
        if route is None:
            return ""
        return " / ".join(localised(t.label) for t in route.transitions_from(stage_id))

    def mark(self, mark: Mark) -> str:
        route_id, trigger, when = mark
        route = self.routes.get(route_id)
        step = _("opening") if trigger == "open" or route is None else trigger
        if route is not None and trigger != "open":
            step = localised(route.transition(trigger).label)
        condition = "; ".join(
            f"{self.fact(fact)}: {', '.join(fact_text(fact, value) for value in values)}"
            for fact, values in when
        )
        return f"{self.route(route_id)}: {step}" + (f" ({condition})" if condition else "")

    def fact(self, name: str) -> str:
        spec = current_registry().workflows.facts.get(name)
        return localised(spec.label) if spec else name


def bottleneck_table(
    rows: Sequence[StageFigures], labels: Labels, filters: Filters, *, everything: bool = False
) -> Table:
    """Every stage with a proceeding or an open deadline in it now; with `everything`, every
    stage of every route (most of them empty: a hundred rows with the shipped routes)."""
    shown = rows if everything else [row for row in rows if row.now or row.open_deadlines]
    table = Table(
        "bottlenecks",
        _("Bottlenecks"),
        [
            _("Route"),
            _("Stage"),
            _("In the stage now"),
            _("Over the expected duration"),
            _("Expected days"),
            _("Median days"),
            _("90th percentile days"),
            _("Stays counted"),
            _("Open deadlines"),
            _("Overdue deadlines"),
        ],
    )
    if everything:
        table.more = (_("Hide the empty stages"), link("dashboard.index", filters))
    elif len(shown) < len(rows):
        table.note = _(
            "%(shown)d of %(all)d stages: those with a proceeding or an open deadline in them now.",
            shown=len(shown),
            all=len(rows),
        )
        table.more = (_("Show every stage"), link("dashboard.index", filters, empty=1))
    for row in shown:
        where = {"route": row.route, "stage": row.stage}
        over = link("dashboard.stuck", filters, **where)
        table.add(
            labels.route(row.route),
            labels.stage(row.route, row.stage),
            count(row.now, link("dashboard.stuck", filters, **where, all=1)),
            None if row.over is None else count(row.over, over),
            row.expected,
            row.median,
            row.p90,
            row.stays,
            count(row.open_deadlines, link("dashboard.risk", filters, **where, show="open")),
            count(row.overdue, link("dashboard.risk", filters, **where, show="overdue")),
        )
    return table


def stuck_table(
    rows: Sequence[StuckRow], names: Mapping[int, list[str]], labels: Labels, title: str
) -> Table:
    table = Table(
        "stuck",
        title,
        [
            _("Case"),
            _("Jurisdiction"),
            _("Route"),
            _("Stage"),
            _("Last step"),
            _("Days since"),
            _("Expected days"),
            _("Lawyers"),
            _("Next deadline"),
            _("Next steps"),
        ],
    )
    for row in rows:
        table.add(
            Cell(row.reference, url_for("cases.show", case_id=row.case_id)),
            jurisdiction_name(row.jurisdiction),
            labels.route(row.route),
            labels.stage(row.route, row.stage),
            row.since,
            row.days,
            row.limit,
            ", ".join(names.get(row.case_id, [])),
            row.next_due,
            labels.next_steps(row.route, row.stage),
        )
    return table


def deadline_table(
    rows: Sequence[DeadlineRow], names: Mapping[int, list[str]], labels: Labels
) -> Table:
    table = Table(
        "deadlines",
        _("Deadlines"),
        [
            _("Case"),
            _("Route"),
            _("Stage"),
            _("Deadline"),
            _("Who must act"),
            _("Due date"),
            _("Days left"),
            _("Lawyers"),
        ],
    )
    for row in rows:
        table.add(
            Cell(row.reference, url_for("cases.show", case_id=row.case_id)),
            labels.route(row.route),
            labels.stage(row.route, row.stage),
            labels.rule(row.route, row.stage, row.rule, row.anchor_date),
            _(row.party),
            row.due_date,
            # In words, as the case page says it: "3 days overdue", never "-3 days left".
            Cell(days_left(row.days_left), number=True),
            ", ".join(names.get(row.case_id, [])),
        )
    return table


def percent(part: int, whole: int) -> float | None:
    """`part` as a percentage of `whole`, one decimal; None when there is no whole."""
    return round(100 * part / whole, 1) if whole else None
