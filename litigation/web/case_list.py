"""The cases list as the query string asks for it: its filters read once (with a word on old
links), and the same list as a CSV download. The page itself is `cases.index`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ..cases import access
from ..cases.consents import cases_that_may_be_named
from ..cases.listing import SORTS, CaseFilters, listed_cases, matching_cases
from ..models import Case
from ..workflows.loaded import Registry
from .context import today
from .dashboard.grid import Cell, CsvFormat, Table, csv_response
from .filters import localised
from .forms import JURISDICTION_CODES
from .inputs import int_arg

MAX_SEARCH = 200


def read_filters(args: Mapping[str, str], registry: Registry) -> tuple[CaseFilters, list[str]]:
    """The filters the query string asks for, and what to tell the reader about them (an old
    link's stage shared by several routes). Unknown values filter nothing."""
    routes = registry.workflows.routes
    route, jurisdiction, sort = args.get("route", ""), args.get("jurisdiction"), args.get("sort")
    stage_route, stage, notes = _stage(args.get("stage", ""), route, registry)
    filters = CaseFilters(
        text=args.get("q", "").strip()[:MAX_SEARCH],
        jurisdiction=jurisdiction if jurisdiction in JURISDICTION_CODES else "",
        route=route if route in routes else "",
        stage_route=stage_route,
        stage=stage,
        lawyer=int_arg("lawyer"),
        overdue=bool(args.get("overdue")),
        sort=sort if sort in SORTS else "",
    )
    return filters, notes


def _stage(value: str, route_id: str, registry: Registry) -> tuple[str, str, list[str]]:
    """(route, stage, notes) from ?stage=route:stage, or from an old ?stage=stage link."""
    routes = registry.workflows.routes
    if ":" in value:
        route_id, _sep, stage = value.partition(":")
        route = routes.get(route_id)
        if route is None or not route.has_stage(stage):
            return "", "", [_("There is no such stage; the list is not filtered by stage.")]
        return route_id, stage, []
    if not value:
        return "", "", []
    holders = [r for r in routes.values() if r.has_stage(value)]
    if route_id in routes and routes[route_id] in holders:
        holders = [routes[route_id]]
    if not holders:
        return "", "", [_("There is no such stage; the list is not filtered by stage.")]
    if len(holders) == 1:
        return holders[0].id, value, []
    names = ", ".join(localised(r.title) for r in holders)
    label = localised(holders[0].stage(value).label)
    note = _(
        "«%(stage)s» is a stage of several routes (%(routes)s): the list shows the cases at "
        "this stage on any of them. Choose the route's stage in the list to narrow it.",
        stage=label,
        routes=names,
    )
    return "", value, [note]


def stage_value(filters: CaseFilters) -> str:
    """The stage select's value for these filters ('' when an old link named no route)."""
    return f"{filters.stage_route}:{filters.stage}" if filters.stage_route else ""


def listed(
    filters: CaseFilters, *, matching: Any = None, limit: int | None = None, offset: int = 0
) -> list:
    """(case, next_due) rows of the list, with each case's proceedings and team loaded."""
    if matching is None:
        matching = matching_cases(current_user, filters, today())
    loads = (selectinload(Case.proceedings), selectinload(Case.team))
    return listed_cases(matching, filters.sort, limit=limit, offset=offset, options=loads)


def download(
    filters: CaseFilters, form: CsvFormat, registry: Registry, *, with_names: bool
) -> Response:
    """The filtered list as CSV: names only when asked, allowed to the user, and allowed by
    each survivor's consent and risk; otherwise the survivor column gives the reference."""
    rows = listed(filters)
    names_allowed = with_names and access.can_export_names(current_user)
    named = cases_that_may_be_named(case for case, _due in rows) if names_allowed else set()
    table = Table("cases", _("Cases"), _headers())
    for case, next_due in rows:
        table.add(*_row(case, next_due, case.id in named, registry))
    details = {"filters": audited_filters(filters), "with_names": names_allowed}
    if names_allowed:
        details["named"] = len(named)
    return csv_response(table, details, form)


def _headers() -> list[str]:
    return [
        _("Reference"),
        _("Jurisdiction"),
        _("Survivor"),
        _("Routes and stages"),
        _("Next deadline"),
        _("Days left"),
        _("Opened"),
        _("Team"),
    ]


def _row(case: Case, next_due, named: bool, registry: Registry) -> list[Any]:
    stages = [_stage_text(p, registry) for p in case.proceedings]
    return [
        case.reference,
        case.jurisdiction,
        case.survivor_name if named else case.reference,
        "; ".join(text for text in stages if text),
        next_due.isoformat() if next_due else "",
        Cell(str((next_due - today()).days), number=True) if next_due else "",
        case.opened_on.isoformat(),
        ", ".join(user.name for user in case.team),
    ]


def _stage_text(proceeding, registry: Registry) -> str:
    """«Route: stage», with the date a closed proceeding closed; '' for a route gone."""
    route = registry.workflows.routes.get(proceeding.route)
    if route is None:
        return ""
    stage = proceeding.stage
    text = f"{localised(route.title)}: "
    text += localised(route.stage(stage).label) if route.has_stage(stage) else stage
    if proceeding.closed_on:
        text += f" ({_('closed %(date)s', date=proceeding.closed_on.isoformat())})"
    return text


def audited_filters(filters: CaseFilters) -> dict[str, Any]:
    """The filters as the audit trail keeps them: never the words searched for (they may be a
    survivor's name), only that there was a search."""
    kept = {
        "search": bool(filters.text),
        "jurisdiction": filters.jurisdiction,
        "route": filters.route,
        "stage": f"{filters.stage_route}:{filters.stage}".lstrip(":") if filters.stage else "",
        "lawyer": filters.lawyer,
        "overdue": filters.overdue,
        "sort": filters.sort,
    }
    return {name: value for name, value in kept.items() if value}
