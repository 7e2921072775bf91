"""The dashboard's small words: what a narrowing filter keeps, and months on a chart's axis,
in the reader's language (never a stage's or a route's id)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from flask_babel import format_date
from flask_babel import gettext as _

from ...workflows.spec import Route
from ..filters import localised


def _stage(stage: str, route_id: str | None, routes: Mapping[str, Route]) -> str:
    """A stage's label: in the chosen route, else in the first route that has it."""
    candidates = [routes[route_id]] if route_id in routes else list(routes.values())
    found = next((route for route in candidates if route.has_stage(stage)), None)
    return localised(found.stage(stage).label) if found else stage


def filter_tags(
    kept: Mapping[str, str], route_id: str | None, routes: Mapping[str, Route]
) -> list[str]:
    """What each narrowing argument keeps, as the reader says it."""
    shows = {"risk": _("overdue or due soon"), "overdue": _("overdue only"), "open": _("all open")}
    tags = []
    for name, value in kept.items():
        if name == "stage":
            tags.append(_("stage: %(stage)s", stage=_stage(value, route_id, routes)))
        elif name == "party":
            tags.append(_("who must act: %(party)s", party=_(value)))
        elif name == "show":
            tags.append(_("deadlines: %(which)s", which=shows.get(value, value)))
        elif name == "all":
            tags.append(_("every proceeding in the stage"))
    return tags


def month_label(month: str) -> str:
    """A YYYY-MM month as a chart's axis names it: "нояб. 2026", "Nov 2026"."""
    return format_date(dt.date.fromisoformat(f"{month}-01"), "LLL y")
