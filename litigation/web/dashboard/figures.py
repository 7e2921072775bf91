"""The dashboard's aggregate tables: who holds the ball, risk, workload, funnel, indicators."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import url_for
from flask_babel import gettext as _

from ...dashboard.milestones import FUNNEL, INDICATORS, Mark
from ...dashboard.sql import Filters
from .grid import Table, month_cell
from .tables import Labels, count, link, percent


def ball_table(rows: Sequence[Any], filters: Filters) -> Table:
    table = Table(
        "ball",
        _("Who holds the ball"),
        [
            _("Who must act"),
            _("Deadlines"),
            _("Days running"),
            _("Share of the days, %"),
            _("Open now"),
            _("Overdue now"),
        ],
    )
    total = sum(row.days or 0 for row in rows)
    for row in rows:
        overdue = link("dashboard.risk", filters, party=row.party, show="overdue")
        opened = link("dashboard.risk", filters, party=row.party, show="open")
        table.add(
            _(row.party),
            row.deadlines,
            row.days,
            percent(row.days or 0, total),
            count(row.open, opened),
            count(row.overdue, overdue),
        )
    return table


def state_delay_table(rows: Sequence[Any], labels: Labels) -> Table:
    table = Table(
        "state_delays",
        _("The State's overdue answers, per authority"),
        [
            _("Authority"),
            _("Route"),
            _("Deadline"),
            _("Overdue now"),
            _("Answered late"),
            _("Average days late"),
        ],
    )
    for row in rows:
        table.add(
            row.authority or _("(not recorded)"),
            labels.route(row.route),
            labels.rule(row.route, row.stage, row.rule),
            row.overdue,
            row.late,
            row.average_days_late,
        )
    return table


def risk_lawyer_table(rows: Sequence[Any], filters: Filters) -> Table:
    table = Table(
        "risk_by_lawyer",
        _("Deadline risk by lawyer"),
        [_("Lawyer"), _("Overdue"), _("Due within 7 days")],
    )
    for row in rows:
        lawyer = {**vars(filters), "lawyer": row.user_id} if row.user_id else None
        scoped = Filters(**lawyer) if lawyer else filters
        table.add(
            row.name or _("(no lawyer)"),
            count(row.overdue, link("dashboard.risk", scoped, show="overdue")),
            row.soon,
        )
    return table


def risk_route_table(rows: Sequence[Any], labels: Labels, filters: Filters) -> Table:
    table = Table(
        "risk_by_route",
        _("Deadline risk by route"),
        [_("Route"), _("Overdue"), _("Due within 7 days")],
    )
    for row in rows:
        scoped = Filters(**{**vars(filters), "route": row.route})
        table.add(
            labels.route(row.route),
            count(row.overdue, link("dashboard.risk", scoped, show="overdue")),
            row.soon,
        )
    return table


def monthly_table(months: Sequence[str], counts: Mapping[str, tuple[int, int]]) -> Table:
    table = Table("monthly", _("Per month"), [_("Month"), _("Steps taken"), _("Deadlines missed")])
    for month in months:
        steps, missed = counts.get(month, (0, 0))
        table.add(month_cell(month), steps, missed)
    return table


def workload_table(rows: Sequence[Any], filters: Filters) -> Table:
    table = Table(
        "workload",
        _("Workload"),
        [
            _("Lawyer"),
            _("Open cases"),
            _("Open proceedings"),
            _("Open deadlines"),
            _("Overdue deadlines"),
        ],
    )
    for user_id, name, cases, proceedings, opened, overdue in rows:
        scoped = Filters(**{**vars(filters), "lawyer": user_id})
        cases_url = url_for("cases.index", lawyer=user_id)
        table.add(
            name,
            count(cases, cases_url),
            proceedings,
            count(opened, link("dashboard.risk", scoped, show="open")),
            count(overdue, link("dashboard.risk", scoped, show="overdue")),
        )
    return table


def _funnel_labels() -> dict[str, str]:
    return {
        "complaint_filed": _("Complaint filed"),
        "investigation": _("Investigation opened or refused"),
        "court_decision": _("Court decision"),
        "appeal_filed": _("Appeal"),
        "remedies_exhausted": _("Domestic remedies exhausted"),
        "un_submitted": _("UN communication submitted"),
        "views_adopted": _("Views adopted"),
        "compensation_obtained": _("Compensation obtained"),
    }


def funnel_table(cohort: int, reached: Mapping[str, int]) -> Table:
    table = Table("funnel", _("Funnel"), [_("Milestone"), _("Cases"), _("Share, %")])
    table.add(_("Cases opened in the period"), cohort, percent(cohort, cohort))
    names = _funnel_labels()
    for key, _milestones in FUNNEL:
        table.add(names[key], reached[key], percent(reached[key], cohort))
    return table


def _indicator_labels() -> dict[str, str]:
    return {
        "cases_documented": _("Cases documented"),
        "survivors_represented": _("Survivors represented"),
        "complaints_filed": _("Complaints filed"),
        "investigations_opened": _("Investigations opened"),
        "prosecutions": _("Prosecutions"),
        "un_submitted": _("UN communications submitted"),
        "views_in_favour": _("Views adopted in the survivor's favour"),
        "compensation_awarded": _("Compensation awarded"),
        "rehabilitation_referrals": _("Rehabilitation referrals"),
    }


def _people_labels() -> list[tuple[str, str]]:
    return [
        ("sex_female", _("of them women and girls")),
        ("sex_male", _("of them men and boys")),
        ("sex_other", _("of them of another sex")),
        ("sex_unknown", _("of them of sex not stated")),
        ("age_minor", _("of them minors (under 18)")),
        ("age_18_35", _("of them aged 18 to 35")),
        ("age_36_59", _("of them aged 36 to 59")),
        ("age_60_plus", _("of them aged 60 and older")),
        ("age_unknown", _("of them of unknown age")),
    ]


def _people_note(key: str) -> str:
    if key.startswith("sex_"):
        return _("the same people by sex")
    return _(
        "the same people by age at the incident of their first such case (the case's opening "
        "when the incident date is unknown), from the year of birth or else the age group "
        "recorded"
    )


def indicator_table(
    counts: Mapping[str, int], found: Mapping[str, list[Mark]], labels: Labels
) -> Table:
    table = Table("indicators", _("Donor indicators"), [_("Indicator"), _("Number"), _("Counts")])
    names = _indicator_labels()
    table.add(
        names["cases_documented"], counts["cases_documented"], _("cases opened in the period")
    )
    table.add(
        names["survivors_represented"],
        counts["survivors_represented"],
        _(
            "distinct people with a case that had a proceeding open at some time in the "
            "period, each counted once however many cases they have"
        ),
    )
    for key, label in _people_labels():
        table.add(label, counts.get(key, 0), _people_note(key))
    for key, milestone_names in INDICATORS:
        steps = [labels.mark(mark) for name in milestone_names for mark in found.get(name, [])]
        table.add(names[key], counts[key], "; ".join(steps))
    return table
