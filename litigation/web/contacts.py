"""Case contacts: people on a case who are not users, listed on the case page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..cases.contacts import (
    CONTACT_FIELDS,
    StaleContact,
    active_contacts,
    add_contact,
    remove_contact,
    update_contact,
)
from ..db import db
from ..errors import InvalidInput
from ..models import Case, CaseContact, ContactRole
from .filters import error_text
from .forms import options, show_domain_errors
from .helpers import case_or_404, require_act
from .inputs import record_version

bp = Blueprint("contacts", __name__, url_prefix="/cases/<int:case_id>/contacts")

ROLE_LABELS = {
    ContactRole.CO_COUNSEL: _l("Co-counsel"),
    ContactRole.FAMILY: _l("Family member"),
    ContactRole.DOCTOR: _l("Doctor"),
    ContactRole.INTERPRETER: _l("Interpreter"),
    ContactRole.WITNESS: _l("Witness"),
    ContactRole.OFFICIAL: _l("Official"),
    ContactRole.OTHER: _l("Other"),
}


class ContactForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(
        _l("Role on the case"),
        choices=options((role.value, label) for role, label in ROLE_LABELS.items()),
    )
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    email = StringField(
        _l("E-mail"),
        validators=[
            Optional(),
            Length(max=200),
            Regexp(
                r"^[^@\s]+@[^@\s]+$", message=_l("Give an e-mail address like name@example.org.")
            ),
        ],
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    version = HiddenField()


class RemoveContactForm(FlaskForm):
    version = HiddenField()


@bp.app_template_global()
def case_contacts(case: Case) -> list[CaseContact]:
    """The contacts the case page lists (not removed)."""
    return active_contacts(case)


@bp.app_template_global()
def contact_role(value: str) -> str:
    """A contact's role in the reader's language."""
    label = ROLE_LABELS.get(value)
    return str(label) if label else value


@bp.app_template_global()
def remove_contact_form(contact: CaseContact) -> RemoveContactForm:
    return RemoveContactForm(version=str(contact.version))


def _contact_or_404(case: Case, contact_id: int) -> CaseContact:
    contact = db.session.get(CaseContact, contact_id)
    if contact is None or contact.case_id != case.id:
        abort(404)
    return contact


def _details(form: ContactForm) -> dict[str, str]:
    return {name: form[name].data for name in CONTACT_FIELDS}


def _invalid(form: ContactForm, case: Case, error: InvalidInput, contact=None):
    for message in show_domain_errors(form, error, "name"):
        flash(message, "error")
    return render_template("contacts/form.html", form=form, case=case, contact=contact), 400


@bp.route("/new", methods=["GET", "POST"])
def new(case_id: int):
    case = case_or_404(case_id)
    require_act(case)
    form = ContactForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("contacts/form.html", form=form, case=case, contact=None), status
    try:
        add_contact(case, _details(form), actor=current_user)
    except InvalidInput as error:
        return _invalid(form, case, error)
    flash(_("Contact added."), "success")
    return redirect(url_for("cases.show", case_id=case.id, _anchor="contacts"))


@bp.route("/<int:contact_id>/edit", methods=["GET", "POST"])
def edit(case_id: int, contact_id: int):
    case = case_or_404(case_id)
    require_act(case)
    contact = _contact_or_404(case, contact_id)
    if contact.removed_at is not None:
        abort(404)
    form = ContactForm(obj=contact)
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("contacts/form.html", form=form, case=case, contact=contact), status
    try:
        update_contact(
            contact,
            _details(form),
            expected_version=record_version(form.version.data),
            actor=current_user,
        )
    except StaleContact as error:
        return _conflict(form, case_id, contact_id, error)
    except InvalidInput as error:
        return _invalid(form, case, error, contact)
    flash(_("Contact saved."), "success")
    return redirect(url_for("cases.show", case_id=case.id, _anchor="contacts"))


@bp.route("/<int:contact_id>/remove", methods=["POST"])
def remove(case_id: int, contact_id: int):
    case = case_or_404(case_id)
    require_act(case)
    contact = _contact_or_404(case, contact_id)
    form = RemoveContactForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        remove_contact(
            contact, expected_version=record_version(form.version.data), actor=current_user
        )
    except StaleContact as error:
        db.session.rollback()
        flash(error_text(error), "error")
        return redirect(url_for("cases.show", case_id=case_id, _anchor="contacts"))
    flash(_("Contact removed from the case; the record is kept."), "success")
    return redirect(url_for("cases.show", case_id=case.id, _anchor="contacts"))


def _conflict(form: ContactForm, case_id: int, contact_id: int, error: StaleContact):
    """Keep what the user typed, say that someone else saved first."""
    db.session.rollback()
    case = db.session.get(Case, case_id)
    contact = db.session.get(CaseContact, contact_id)
    flash(error_text(error), "error")
    form.version.data = str(contact.version)
    return render_template("contacts/form.html", form=form, case=case, contact=contact), 409
