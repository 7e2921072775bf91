"""A case summary to carry to a court or a prison visit: a printable page and the same as a
PDF. Built once as plain text in the reader's language, then shown either way.

The survivor's name appears only when the reader ticks «with the name», may take names out
(access.can_export_names) and the survivor's consent and risk allow it (may_show_name).
Without it the survivor is «the survivor in case KZ-…», and what could point to them on a
seized paper stays out too: the place of the incident, a hearing's place, who attends, notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..audit import record
from ..cases import access
from ..cases.consents import current_consents, may_show_name
from ..cases.hearings import case_hearings
from ..models import AuditKind, Case, Deadline
from ..registry import current_registry
from ..workflows.loaded import Registry
from .confirm import confirmation_needed
from .consent_words import manner_word, scope_word
from .context import today
from .filters import basis_text, days_left, human_date, localised, rule_label
from .forms import JURISDICTIONS, PARTIES
from .hearings import hearing_kind, hearing_zone
from .helpers import case_or_404
from .summary_pdf import FontMissing, summary_pdf

bp = Blueprint("summary", __name__, url_prefix="/cases/<int:case_id>")


@dataclass(frozen=True)
class Item:
    """One line of a part, with smaller lines under it; `alert` marks it overdue."""

    text: str
    details: tuple[str, ...] = ()
    alert: bool = False


@dataclass(frozen=True)
class Part:
    title: str
    items: tuple[Item, ...]
    empty: str = ""
    subtitle: str = ""


@dataclass(frozen=True)
class Summary:
    reference: str
    title: str
    facts: tuple[tuple[str, str], ...]
    parts: tuple[Part, ...]
    notes: tuple[str, ...]
    printed: str
    confidential: str
    disclaimer: str


def _name_asked() -> bool:
    return bool(request.args.get("names"))


def name_refusal(case: Case) -> str:
    """Why the name asked for stays out ('' when it may be shown)."""
    if not access.can_export_names(current_user):
        return _("Your role does not take survivors' names out of the system: printed without it.")
    if not may_show_name(case):
        return _(
            "Printed without the name: the survivor's consent to sharing is not current, or "
            "the risk of reprisals is high."
        )
    return ""


def build_summary(case: Case, registry: Registry, with_name: bool) -> Summary:
    """The case summary as text in the reader's language; the name only when `with_name`."""
    day = today()
    survivor = (
        case.survivor_name
        if with_name
        else _("the survivor in case %(reference)s", reference=case.reference)
    )
    incident = human_date(case.incident_date) or "—"
    if with_name and case.incident_place:
        incident += f", {case.incident_place}"
    facts = (
        (_("Reference"), case.reference),
        (_("Jurisdiction"), _jurisdiction(case.jurisdiction)),
        (_("Survivor"), survivor),
        (_("Opened"), human_date(case.opened_on)),
        (_("Incident"), incident),
        (_("Authority allegedly responsible"), case.authority or "—"),
    )
    parts = [
        *(_proceeding_part(p, registry, day) for p in _routes_known(case, registry)),
        _hearings_part(case, with_name),
        _consents_part(case),
        Part(_("Team"), tuple(Item(f"{u.name} · {_(u.role)}") for u in case.team), "—"),
    ]
    notes = () if with_name else (_places_left_out(),)
    return Summary(
        reference=case.reference,
        title=_("Case summary %(reference)s", reference=case.reference),
        facts=facts,
        parts=tuple(parts),
        notes=notes,
        printed=_("Printed on %(date)s", date=human_date(day)),
        confidential=_("Confidential"),
        disclaimer=_(
            "Not legal advice: check every time limit against the official text in force."
        ),
    )


def _places_left_out() -> str:
    return _(
        "Without the name, the place of the incident, the places of hearings, who attends "
        "and notes are left out."
    )


def _jurisdiction(code: str) -> str:
    return next((str(choice.label) for choice in JURISDICTIONS if choice.value == code), code)


def _routes_known(case: Case, registry: Registry) -> list:
    """The case's proceedings on routes the loaded workflows have, open ones first."""
    known = [p for p in case.proceedings if p.route in registry.workflows.routes]
    return sorted(known, key=lambda p: (p.closed_on is not None, p.id))


def _proceeding_part(proceeding, registry: Registry, day) -> Part:
    route = registry.route(proceeding.route)
    stage = proceeding.stage
    label = localised(route.stage(stage).label) if route.has_stage(stage) else stage
    subtitle = _("Stage: %(stage)s", stage=label)
    if proceeding.closed_on:
        subtitle += f" · {_('closed %(date)s', date=human_date(proceeding.closed_on))}"
    open_ones = sorted((d for d in proceeding.deadlines if d.is_open), key=lambda d: d.due_date)
    items = tuple(_deadline_item(d, day) for d in open_ones)
    return Part(localised(route.title), items, _("No open deadlines."), subtitle)


def _deadline_item(deadline: Deadline, day) -> Item:
    left = deadline.days_left(day)
    details = [
        days_left(left),
        f"{_('Who acts')}: {PARTIES.get(deadline.party, deadline.party)}",
        f"{_('Legal basis')}: {basis_text(deadline)}",
    ]
    if not deadline.verified:
        details.append(_("unverified rule"))
    text = f"{rule_label(deadline)}: {human_date(deadline.due_date)}"
    return Item(text, tuple(details), alert=left < 0)


def _hearings_part(case: Case, with_name: bool) -> Part:
    upcoming, _past = case_hearings(case)
    items = []
    for h in upcoming:
        when = f"{human_date(h.starts_on)} {h.starts_at.hour:02d}:{h.starts_at.minute:02d}"
        text = f"{when} ({hearing_zone(h.zone)}) · {hearing_kind(h.kind)}"
        details = (h.place, h.attendees and f"{_('Who attends')}: {h.attendees}", h.notes)
        items.append(Item(text, tuple(d for d in details if d) if with_name else ()))
    return Part(_("Upcoming hearings and appointments"), tuple(items), _("No hearings recorded."))


def _consents_part(case: Case) -> Part:
    items = []
    for scope, consent in sorted(current_consents(case).items()):
        given = _("given on %(date)s", date=human_date(consent.given_on))
        manner = manner_word(consent.form)
        items.append(Item(scope_word(scope), (f"{given}, {manner}" if manner else given,)))
    return Part(_("Consents in force"), tuple(items), _("No consent in force."))


def _summary_of(case_id: int) -> tuple[Case, Summary, bool, str]:
    case = case_or_404(case_id)
    refusal = name_refusal(case) if _name_asked() else ""
    with_name = _name_asked() and not refusal
    return case, build_summary(case, current_registry(), with_name), with_name, refusal


@bp.route("/summary")
def show(case_id: int):
    """The summary as a page that prints on A4 and reads on a phone."""
    case, summary, with_name, refusal = _summary_of(case_id)
    return render_template(
        "summary/show.html", case=case, summary=summary, with_name=with_name, refusal=refusal
    )


@bp.route("/summary.pdf")
def pdf(case_id: int):
    """The summary as a PDF download: on the audit trail (whether it names the survivor,
    never the name); with the name, only after the reader confirmed who they are lately."""
    case, summary, with_name, _refusal = _summary_of(case_id)
    if with_name and (page := confirmation_needed()) is not None:
        return page
    config = current_app.config
    try:
        data = summary_pdf(summary, config["PDF_FONT"], config.get("PDF_FONT_BOLD"))
    except FontMissing as missing:
        message = _(
            "The PDF cannot be made: the font %(path)s is missing or unreadable on the server "
            "(install fonts-dejavu-core, or set LITIGATION_PDF_FONT). Print the summary page "
            "from the browser instead.",
            path=missing.path,
        )
        return render_template("error.html", code=503, message=message), 503
    record(
        AuditKind.DOWNLOAD,
        actor=current_user,
        case=case,
        details={"what": "pdf", "summary": True, "with_names": with_name},
    )
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", case.reference) or "case"
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}-summary.pdf"'},
    )
