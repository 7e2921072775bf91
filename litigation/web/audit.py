"""The audit trail for admins: who did what, filtered by person, case, kind and period, a
page at a time, and the same entries as a CSV download (itself on the trail)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import format_datetime, get_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from ..audit import AuditFilter, entries, entries_query
from ..cases import access
from ..db import aware, db
from ..models import AuditEntry, AuditKind, Case, Deadline, User
from .audit_words import KIND_LABELS, Names, details_text, kind_label, who
from .dashboard.grid import Table, csv_response
from .filters import rule_label
from .forms import options
from .inputs import page_arg

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
PAGE_SIZE = 100
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2200, 12, 31)
PEOPLE_IN_DETAILS = ("added", "removed", "team")


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    person = SelectField(_l("Person"), validators=[Optional()])
    case = StringField(_l("Case reference"), validators=[Optional(), Length(max=40)])
    kind = SelectField(_l("What"), validators=[Optional()])
    since = DateField(_l("Period from"), validators=[Optional()])
    until = DateField(_l("Until (inclusive)"), validators=[Optional()])


@dataclass(frozen=True)
class Row:
    at: dt.datetime
    who: str
    what: str
    case: Case | None
    case_id: int | None
    details: str

    @property
    def when(self) -> str:
        """The time as the page shows it (the CSV has its own, precise, form)."""
        return format_datetime(self.at, "medium")


@bp.before_request
def _admins_only():
    if not access.can_read_audit(current_user):
        abort(403)


def _form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    people = db.session.scalars(select(User).order_by(User.name, User.id))
    form.person.choices = options([("", _("Anyone")), *((str(u.id), _person(u)) for u in people)])
    form.kind.choices = options([("", _("Everything")), *KIND_LABELS.items()])
    return form


def _zone() -> ZoneInfo:
    """The zone the times are shown in, whose days the period means (flask-babel gives a
    pytz zone, which datetime.combine would read as the city's 19th-century local time)."""
    return ZoneInfo(str(get_timezone()))


def _person(user: User) -> str:
    return f"{user.name} ({user.email})" + ("" if user.active else f" — {_('inactive')}")


def _checked_filter(form: AuditFilterForm) -> AuditFilter | None:
    """The filter the form asks for; None, with messages next to the fields, if it is wrong."""
    form.validate()
    for date_field in (form.since, form.until):
        if date_field.data and not EARLIEST <= date_field.data <= LATEST:
            date_field.errors = [*date_field.errors, _("Give a date between 1900 and 2200.")]
    if form.since.data and form.until.data and form.until.data < form.since.data:
        form.until.errors = [*form.until.errors, _("The end of the period is before its start.")]
    case_id = None
    if (reference := (form.case.data or "").strip()) and not form.case.errors:
        case_id = db.session.scalar(select(Case.id).where(Case.reference == reference))
        if case_id is None:
            form.case.errors = [*form.case.errors, _("No case has this reference.")]
    if any(field.errors for field in form):
        return None
    return AuditFilter(
        actor_id=int(form.person.data) if form.person.data else None,
        case_id=case_id,
        kinds=(form.kind.data,) if form.kind.data else (),
        since=form.since.data,
        until=form.until.data,
        zone=_zone(),
    )


def _people_in(details: object) -> set[int]:
    """The user ids an entry's details name: who joined or left a team, whom a CSV was of."""
    if not isinstance(details, dict):
        return set()
    lists = [details.get(key) for key in PEOPLE_IN_DETAILS]
    ids = {i for people in lists if isinstance(people, list) for i in people if isinstance(i, int)}
    if isinstance(details.get("backup"), int):
        ids.add(details["backup"])
    filters = details.get("filters")
    if isinstance(filters, dict):
        ids.update(
            filters[key] for key in ("person", "lawyer") if isinstance(filters.get(key), int)
        )
    return ids


def _names(page: list[AuditEntry]) -> Names:
    """The names behind the ids of a page of entries, in two queries."""
    ids = {i for e in page for i in (e.actor_id, e.user_id) if i is not None}
    for entry in page:
        ids.update(_people_in(entry.details))
    users = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())
    deadline_ids = {
        e.details["deadline"]
        for e in page
        if e.kind == AuditKind.OVERRIDE
        and isinstance(e.details, dict)
        and isinstance(e.details.get("deadline"), int)
    }
    deadlines = db.session.scalars(select(Deadline).where(Deadline.id.in_(deadline_ids)))
    return Names(users=users, rules={d.id: rule_label(d) for d in deadlines})


def _rows(page: list[AuditEntry]) -> list[Row]:
    names = _names(page)
    case_ids = {e.case_id for e in page if e.case_id is not None}
    cases = {c.id: c for c in db.session.scalars(select(Case).where(Case.id.in_(case_ids)))}
    # Entries repeat (the same kind, person and details): words are made once per request,
    # which makes a CSV of the whole trail several times faster.
    words: dict[tuple, tuple[str, str, str]] = {}
    rows = []
    for entry in page:
        key = (entry.kind, entry.actor_id, entry.user_id, entry.address, _key(entry.details))
        if key not in words:
            words[key] = (who(entry, names), kind_label(entry.kind), details_text(entry, names))
        person, what, details = words[key]
        case = cases.get(entry.case_id) if entry.case_id is not None else None
        rows.append(Row(aware(entry.at), person, what, case, entry.case_id, details))
    return rows


def _key(details: object) -> str:
    return json.dumps(details, sort_keys=True, default=str)


def _case_text(row: Row) -> str:
    if row.case is not None:
        return row.case.reference
    return "" if row.case_id is None else f"#{row.case_id}"


def _as_table(rows: list[Row]) -> Table:
    zone = _zone()
    table = Table(
        name="audit",
        title=_("Audit trail"),
        headers=[_("Time"), _("Who"), _("What"), _("Case"), _("Details")],
    )
    for row in rows:
        table.add(
            row.at.astimezone(zone).isoformat(timespec="seconds"),
            row.who,
            row.what,
            _case_text(row),
            row.details,
        )
    return table


def _download(form: AuditFilterForm, wanted: AuditFilter):
    rows = _rows(entries(wanted))
    asked: dict[str, Any] = {
        "person": wanted.actor_id,
        "case": (form.case.data or "").strip() or None,
        "kind": form.kind.data or None,
        "since": wanted.since and wanted.since.isoformat(),
        "until": wanted.until and wanted.until.isoformat(),
    }
    filters = {name: value for name, value in asked.items() if value is not None}
    return csv_response(_as_table(rows), details={"filters": filters} if filters else None)


@bp.route("")
def index():
    form = _form()
    wanted = _checked_filter(form)
    if wanted is not None and request.args.get("format") == "csv":
        return _download(form, wanted)
    page, total, rows = page_arg(), 0, []
    if wanted is not None:
        query = entries_query(wanted)
        total = db.session.scalar(select(func.count()).select_from(query.subquery()))
        rows = _rows(entries(wanted, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE))
    args = {k: v for k, v in request.args.items() if k not in ("page", "format")}
    return render_template(
        "audit/index.html",
        form=form,
        rows=rows,
        total=total,
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        page_url=lambda number: url_for("audit.index", **args, page=number),
        csv_url=url_for("audit.index", **args, format="csv"),
        may_see=lambda case: access.can_view(current_user, case),
    ), 200 if wanted is not None else 400
