"""The coordinators' dashboard: bottlenecks, who holds the ball, stuck cases, deadline risk,
workload, the funnel to the UN and donor indicators. Every table downloads as CSV.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import text

from ...accounts import all_lawyers
from ...cases import access
from ...cases.reassignment import count_orphaned
from ...dashboard import deadlines, milestones, stages
from ...dashboard.sql import Filters, lawyer_names
from ...db import db
from ...registry import current_registry
from ...workflows.spec import Route
from ..context import today
from ..inputs import int_arg, page_arg
from . import figures
from .charts import bars, line
from .grid import CSV_FORMS, Table, csv_response, day_text
from .tables import Labels, bottleneck_table, deadline_table, stuck_table
from .words import filter_tags, month_label

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
PAGE_SIZE = 50
KEPT = ("stage", "show", "all", "party", "empty")  # list arguments the filter form carries along
COMMON = ("jurisdiction", "route", "lawyer", "from", "to")  # kept when moving between pages


def _sections() -> list[tuple[str, str]]:
    return [
        ("dashboard.index", _("Bottlenecks")),
        ("dashboard.ball", _("Who holds the ball")),
        ("dashboard.stuck", _("Stuck cases")),
        ("dashboard.risk", _("Deadline risk")),
        ("dashboard.workload", _("Workload")),
        ("dashboard.funnel", _("Funnel")),
        ("dashboard.indicators", _("Indicators")),
        ("dashboard.new_lawyer", _new_lawyer_label()),
    ]


def _new_lawyer_label() -> str:
    waiting = count_orphaned()
    label = _("Cases needing a new lawyer")
    return f"{label} ({waiting})" if waiting else label


@bp.before_request
def _coordinators_only() -> None:
    if not current_user.is_authenticated or not access.can_see_dashboard(current_user):
        abort(403)
    if db.engine.dialect.name == "postgresql":
        # PostgreSQL's JIT compiler spends longer compiling these aggregates than running them
        # (up to 300 ms for 100,000 cases, bench/README.md); off for this request only.
        db.session.execute(text("SET LOCAL jit = off"))


def _routes() -> dict[str, Route]:
    return current_registry().workflows.routes


def _date(name: str) -> dt.date | None:
    value = request.args.get(name, "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        abort(400, _("The date %(value)s is not in the form YYYY-MM-DD.", value=value))


def _filters(start: dt.date | None = None, end: dt.date | None = None) -> Filters:
    """The filters given in the query string; `start` and `end` are the default period."""
    return Filters(
        jurisdiction=request.args.get("jurisdiction") or None,
        route=request.args.get("route") or None,
        lawyer=int_arg("lawyer"),
        start=_date("from") or start,
        end=_date("to") or end,
    )


def _as_csv() -> bool:
    return request.args.get("format") == "csv"


def _page() -> int:
    return page_arg()


def _pager(total: int) -> dict[str, Any] | None:
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    if pages == 1:
        return None
    args = {k: v for k, v in request.args.items() if k != "page"}
    return {
        "page": _page(),
        "pages": pages,
        "url": lambda number: url_for(request.endpoint, **args, page=number),
    }


def _show(
    title: str,
    intro: str,
    tables: Sequence[Table],
    filters: Filters,
    *,
    charts: Sequence[Markup] = (),
    period: bool = True,
    pager: dict[str, Any] | None = None,
):
    """The page, or with ?format=csv&table=name one of its tables as CSV."""
    if _as_csv():
        wanted = request.args.get("table", tables[0].name)
        table = next((t for t in tables if t.name == wanted), None)
        if table is None:
            abort(404)
        form = request.args.get("csv", "")
        return csv_response(table, form=form if form in CSV_FORMS else "")
    args = {k: v for k, v in request.args.items() if k not in ("page", "format", "table", "csv")}
    kept = {k: v for k, v in args.items() if k in KEPT}
    lawyers = all_lawyers()
    return render_template(
        "dashboard/page.html",
        title=title,
        intro=intro,
        tables=tables,
        charts=charts,
        period=period,
        pager=pager,
        filters=filters,
        sections=_sections(),
        routes=_routes(),
        jurisdictions=sorted({j for r in _routes().values() for j in r.jurisdictions}),
        lawyers=lawyers,
        kept=kept,
        tags=filter_tags(kept, filters.route, _routes()),
        common={k: v for k, v in args.items() if k in COMMON},
        csv_url=lambda table, form=None: url_for(
            request.endpoint, **args, format="csv", table=table.name, csv=form
        ),
    )


@bp.route("")
def index():
    filters = _filters()
    labels = Labels(_routes(), today())
    rows = stages.bottlenecks(_routes(), filters, today())
    busiest = sorted((row for row in rows if row.now), key=lambda row: -row.now)[:15]
    chart = bars(
        [(labels.stage(r.route, r.stage), labels.route(r.route), r.now) for r in busiest],
        _("Proceedings in each stage now"),
    )
    intro = _(
        "Time in a stage runs from the step that entered it to the next step, or to today. "
        "The period selects the stays that began in it; deadline counts are as of today. "
        "The worst stage comes first: most proceedings over the expected duration, then most "
        "overdue deadlines, then the longest median."
    )
    table = bottleneck_table(rows, labels, filters, everything=bool(request.args.get("empty")))
    return _show(_("Bottlenecks"), intro, [table], filters, charts=[chart])


@bp.route("/ball")
def ball():
    filters = _filters()
    intro = _(
        "Days each deadline ran, from its anchor date to when it closed (or today), by the party "
        "that had to act; the period clips them. The State's answers overdue now or given late "
        "are listed per authority as evidence of delays."
    )
    tables = [
        figures.ball_table(deadlines.ball(filters, today()), filters),
        figures.state_delay_table(
            deadlines.state_delays(filters, today()), Labels(_routes(), today())
        ),
    ]
    return _show(_("Who holds the ball"), intro, tables, filters)


@bp.route("/stuck")
def stuck():
    filters = _filters()
    stage, everyone = request.args.get("stage") or None, bool(request.args.get("all"))
    total, rows = stages.stuck(
        _routes(),
        filters,
        today(),
        stage=stage,
        everyone=everyone,
        limit=None if _as_csv() else PAGE_SIZE,
        offset=0 if _as_csv() else (_page() - 1) * PAGE_SIZE,
    )
    names = lawyer_names(row.case_id for row in rows)
    title = _("Proceedings in the stage") if everyone else _("Stuck cases")
    intro = _(
        "Proceedings without a step for longer than their stage's expected duration "
        "(%(days)d days where none is declared), the longest first; the period selects those "
        "whose last step was in it. %(total)d in all.",
        days=stages.DEFAULT_STUCK_DAYS,
        total=total,
    )
    table = stuck_table(rows, names, Labels(_routes(), today()), title)
    return _show(title, intro, [table], filters, pager=_pager(total))


def _twelve_months_to(day: dt.date) -> dt.date:
    """The first day of the twelfth month back, counting the month of `day`."""
    index = day.year * 12 + day.month - 12
    return dt.date(index // 12, index % 12 + 1, 1)


def _months(start: dt.date, end: dt.date) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@bp.route("/risk")
def risk():
    day = today()
    filters = _filters()
    show = request.args.get("show") if request.args.get("show") in deadlines.SHOWS else "risk"
    total, rows = deadlines.deadline_list(
        filters,
        day,
        show=show,
        stage=request.args.get("stage") or None,
        party=request.args.get("party") or None,
        limit=None if _as_csv() else PAGE_SIZE,
        offset=0 if _as_csv() else (_page() - 1) * PAGE_SIZE,
    )
    start, end = filters.start or _twelve_months_to(day), filters.end or day
    months = _months(start, end)
    counts = deadlines.monthly(filters, start, end, day)
    series = [
        (_("Steps taken"), [counts.get(m, (0, 0))[0] for m in months]),
        (_("Deadlines missed"), [counts.get(m, (0, 0))[1] for m in months]),
    ]
    labels = Labels(_routes(), today())
    tables = [
        deadline_table(rows, lawyer_names(row.case_id for row in rows), labels),
        figures.risk_lawyer_table(deadlines.risk_by_lawyer(filters, day), filters),
        figures.risk_route_table(deadlines.risk_by_route(filters, day), labels, filters),
        figures.monthly_table(months, counts),
    ]
    intro = _(
        "Open deadlines overdue or due within %(days)d days (or as chosen), by lawyer and by "
        "route; below, steps taken and deadlines missed each month of the period "
        "(the last twelve months unless chosen). %(total)d deadlines listed.",
        days=deadlines.SOON_DAYS,
        total=total,
    )
    chart = line(
        [month_label(m) for m in months], series, _("Steps taken and deadlines missed per month")
    )
    return _show(_("Deadline risk"), intro, tables, filters, charts=[chart], pager=_pager(total))


@bp.route("/workload")
def workload():
    filters = _filters()
    intro = _("Per lawyer: cases with an open proceeding, open and overdue deadlines, today.")
    table = figures.workload_table(deadlines.workload(filters, today()), filters)
    return _show(_("Workload"), intro, [table], filters, period=False)


def _this_year() -> tuple[dt.date, dt.date]:
    day = today()
    return dt.date(day.year, 1, 1), day


@bp.route("/funnel")
def funnel():
    filters = _filters(*_this_year())
    cohort, reached = milestones.funnel(_routes().values(), filters)
    table = figures.funnel_table(cohort, reached)
    counts = [cohort, *(reached[key] for key, _names in milestones.FUNNEL)]
    chart = bars([(row[0].text, n) for row, n in zip(table.rows, counts, strict=True)], _("Funnel"))
    intro = _(
        "Of the cases opened in the period, how many reached each milestone, at any date. "
        "The steps that reach a milestone are marked in the description of the routes."
    )
    return _show(_("Funnel to the UN"), intro, [table], filters, charts=[chart])


@bp.route("/indicators")
def indicators():
    filters = _filters(*_this_year())
    routes = _routes()
    counts = milestones.indicators(routes.values(), filters)
    table = figures.indicator_table(
        counts, milestones.marks(routes.values()), Labels(routes, today())
    )
    period = " – ".join(day_text(day) if day else "…" for day in (filters.start, filters.end))
    intro = _(
        "Donor indicators for %(period)s: steps dated in the period, cases opened in it, and "
        "survivors with a proceeding open at some time in it, each person counted once, by sex "
        "and by age. Print this page or download the CSV.",
        period=period,
    )
    return _show(_("Donor indicators"), intro, [table], filters)
