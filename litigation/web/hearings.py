"""Hearings and appointments on a case, listed on the case page (upcoming first)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..cases.hearings import (
    HEARING_FIELDS,
    MAX_MINUTES,
    StaleHearing,
    add_hearing,
    cancel_hearing,
    case_hearings,
    update_hearing,
    zone_of,
)
from ..db import db
from ..errors import InvalidInput
from ..models import Case, Hearing, HearingKind
from .filters import error_text
from .forms import options, show_domain_errors
from .helpers import case_or_404, require_act
from .inputs import record_version

bp = Blueprint("hearings", __name__, url_prefix="/cases/<int:case_id>/hearings")

KIND_LABELS = {
    HearingKind.COURT: _l("Court hearing"),
    HearingKind.INTERROGATION: _l("Interrogation"),
    HearingKind.FORENSIC: _l("Forensic examination"),
    HearingKind.PRISON_VISIT: _l("Prison visit"),
    HearingKind.MEETING: _l("Meeting"),
    HearingKind.OTHER: _l("Other"),
}
ZONE_LABELS = {"Asia/Almaty": _l("Almaty time"), "Asia/Dushanbe": _l("Dushanbe time")}


class HearingForm(FlaskForm):
    kind = SelectField(
        _l("Kind"), choices=options((kind.value, label) for kind, label in KIND_LABELS.items())
    )
    starts_on = DateField(_l("Date"), validators=[InputRequired()])
    starts_at = TimeField(_l("Time"), validators=[InputRequired()])
    duration_minutes = IntegerField(
        _l("Duration in minutes"),
        validators=[Optional(), NumberRange(min=1, max=MAX_MINUTES)],
    )
    place = StringField(_l("Place"), validators=[Optional(), Length(max=300)])
    attendees = TextAreaField(_l("Who attends"), validators=[Optional(), Length(max=500)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    version = HiddenField()


class CancelHearingForm(FlaskForm):
    version = HiddenField()


@bp.app_template_global()
def hearings_of(case: Case) -> tuple[list[Hearing], list[Hearing]]:
    """The hearings the case page lists: (upcoming, past), none cancelled."""
    return case_hearings(case)


@bp.app_template_global()
def hearing_kind(value: str) -> str:
    """A hearing's kind in the reader's language."""
    label = KIND_LABELS.get(value)
    return str(label) if label else value


@bp.app_template_global()
def hearing_zone(value: str) -> str:
    label = ZONE_LABELS.get(value)
    return str(label) if label else value


@bp.app_template_global()
def cancel_hearing_form(hearing: Hearing) -> CancelHearingForm:
    return CancelHearingForm(version=str(hearing.version))


def _hearing_or_404(case: Case, hearing_id: int) -> Hearing:
    hearing = db.session.get(Hearing, hearing_id)
    if hearing is None or hearing.case_id != case.id:
        abort(404)
    return hearing


def _details(form: HearingForm) -> dict:
    return {name: form[name].data for name in HEARING_FIELDS}


def _page(form: HearingForm, case: Case, hearing: Hearing | None, status: int = 200):
    zone = hearing.zone if hearing else zone_of(case)
    return render_template(
        "hearings/form.html", form=form, case=case, hearing=hearing, zone=zone
    ), status


def _invalid(form: HearingForm, case: Case, error: InvalidInput, hearing=None):
    for message in show_domain_errors(form, error, "starts_on"):
        flash(message, "error")
    return _page(form, case, hearing, 400)


@bp.route("/new", methods=["GET", "POST"])
def new(case_id: int):
    case = case_or_404(case_id)
    require_act(case)
    form = HearingForm()
    if not form.validate_on_submit():
        return _page(form, case, None, 400 if form.is_submitted() else 200)
    try:
        add_hearing(case, _details(form), actor=current_user)
    except InvalidInput as error:
        return _invalid(form, case, error)
    flash(_("Hearing added."), "success")
    return redirect(url_for("cases.show", case_id=case.id, _anchor="hearings"))


@bp.route("/<int:hearing_id>/edit", methods=["GET", "POST"])
def edit(case_id: int, hearing_id: int):
    case = case_or_404(case_id)
    require_act(case)
    hearing = _hearing_or_404(case, hearing_id)
    if hearing.cancelled_at is not None:
        abort(404)
    form = HearingForm(obj=hearing)
    if not form.validate_on_submit():
        return _page(form, case, hearing, 400 if form.is_submitted() else 200)
    try:
        update_hearing(
            hearing,
            _details(form),
            expected_version=record_version(form.version.data),
            actor=current_user,
        )
    except StaleHearing as error:
        return _conflict(form, case_id, hearing_id, error)
    except InvalidInput as error:
        return _invalid(form, case, error, hearing)
    flash(_("Hearing saved."), "success")
    return redirect(url_for("cases.show", case_id=case.id, _anchor="hearings"))


@bp.route("/<int:hearing_id>/cancel", methods=["POST"])
def cancel(case_id: int, hearing_id: int):
    case = case_or_404(case_id)
    require_act(case)
    hearing = _hearing_or_404(case, hearing_id)
    form = CancelHearingForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        cancel_hearing(
            hearing, expected_version=record_version(form.version.data), actor=current_user
        )
    except StaleHearing as error:
        db.session.rollback()
        flash(error_text(error), "error")
        return redirect(url_for("cases.show", case_id=case_id, _anchor="hearings"))
    flash(_("Hearing cancelled; the record is kept."), "success")
    return redirect(url_for("cases.show", case_id=case.id, _anchor="hearings"))


def _conflict(form: HearingForm, case_id: int, hearing_id: int, error: StaleHearing):
    """Keep what the user typed, say that someone else saved first."""
    db.session.rollback()
    case = db.session.get(Case, case_id)
    hearing = db.session.get(Hearing, hearing_id)
    flash(error_text(error), "error")
    form.version.data = str(hearing.version)
    return _page(form, case, hearing, 409)
