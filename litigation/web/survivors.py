"""Survivors as people: a person's page with their cases, and their record's form."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..cases.access import can_edit_survivor, can_view, can_view_survivor
from ..cases.survivors import SURVIVOR_FIELDS, StaleSurvivor, update_survivor
from ..db import db
from ..errors import InvalidInput
from ..models import Case, Survivor
from .context import today
from .filters import error_text
from .forms import AGE_GROUPS, SEXES, SurvivorForm, show_domain_errors
from .inputs import record_version

bp = Blueprint("survivors", __name__, url_prefix="/survivors")


def survivor_or_404(survivor_id: int) -> Survivor:
    """The person if the signed-in user may see one of their cases; 404 otherwise."""
    survivor = db.session.get(Survivor, survivor_id)
    if survivor is None or not can_view_survivor(current_user, survivor):
        abort(404)
    return survivor


@bp.app_template_global()
def cases_of_person(survivor: Survivor) -> list[Case]:
    """The person's cases the reader may see (the others stay unknown to them)."""
    return [case for case in survivor.cases if can_view(current_user, case)]


@bp.app_template_global()
def person_words(survivor: Survivor) -> str:
    """Sex and age in words: «female, born 1990» or «male, 18 to 35»."""
    sexes = {choice.value: choice.label for choice in SEXES}
    parts = [str(sexes.get(survivor.sex, survivor.sex))] if survivor.sex != "unknown" else []
    if survivor.birth_year:
        parts.append(_("born %(year)s", year=survivor.birth_year))
    elif survivor.age_group == "unknown":
        parts.append(_("age not known"))
    elif survivor.age_group:
        groups = {choice.value: choice.label for choice in AGE_GROUPS}
        parts.append(str(groups.get(survivor.age_group, survivor.age_group)))
    return ", ".join(parts)


@bp.route("/<int:survivor_id>")
def show(survivor_id: int):
    survivor = survivor_or_404(survivor_id)
    return render_template(
        "survivors/show.html",
        survivor=survivor,
        may_edit=can_edit_survivor(current_user, survivor),
    )


@bp.route("/<int:survivor_id>/edit", methods=["GET", "POST"])
def edit(survivor_id: int):
    survivor = survivor_or_404(survivor_id)
    if not can_edit_survivor(current_user, survivor):
        abort(403)
    form = SurvivorForm(obj=survivor)
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("survivors/edit.html", form=form, survivor=survivor), status
    try:
        update_survivor(
            survivor,
            {name: form[name].data for name in SURVIVOR_FIELDS},
            expected_version=record_version(form.version.data),
            actor=current_user,
            today=today(),
        )
    except StaleSurvivor as error:
        db.session.rollback()
        survivor = db.session.get(Survivor, survivor_id)
        flash(error_text(error), "error")
        form.version.data = str(survivor.version)
        return render_template("survivors/edit.html", form=form, survivor=survivor), 409
    except InvalidInput as error:
        for message in show_domain_errors(form, error, "name"):
            flash(message, "error")
        return render_template("survivors/edit.html", form=form, survivor=survivor), 400
    flash(_("The person's record is saved."), "success")
    return redirect(url_for("survivors.show", survivor_id=survivor.id))
