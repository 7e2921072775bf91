"""Admins manage user accounts: create, change role or language, deactivate, reset password."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..accounts import MIN_PASSWORD, create_user, end_all_sessions, update_user
from ..cases import access, recalc
from ..db import db
from ..errors import InvalidInput
from ..models import Role, User
from ..registry import current_registry
from .forms import options, show_domain_errors

bp = Blueprint("admin", __name__, url_prefix="/admin")
ROLES = options((role.value, _l(role.value)) for role in Role)
LANGUAGES = options([("ru", "Русский"), ("en", "English")])


class UserForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=200)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=ROLES)
    language = SelectField(_l("Language"), choices=LANGUAGES)
    password = PasswordField(
        _l("Password (at least %(n)d characters; leave empty to keep)", n=MIN_PASSWORD),
        validators=[Optional()],
    )
    active = BooleanField(_l("Active (may sign in)"), default=True)


@bp.before_request
def _admins_only():
    if not access.can_manage(current_user):
        abort(403)


@bp.context_processor
def _rules_changed() -> dict:
    """Every admin page says when stored deadlines lag behind workflows.yaml."""
    registry = current_registry()
    return {
        "pending_recalc": recalc.stale_fingerprints(registry),
        "stranded": len(recalc.stranded(registry)),
    }


@bp.route("/users")
def users():
    everyone = db.session.scalars(db.select(User).order_by(User.active.desc(), User.name))
    return render_template("admin/users.html", users=list(everyone))


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = UserForm()
    if form.validate_on_submit():
        try:
            create_user(
                form.email.data,
                form.password.data or "",
                Role(form.role.data),
                name=form.name.data,
                language=form.language.data,
            )
        except InvalidInput as error:
            show_domain_errors(form, error, "email")
            return render_template("admin/user_form.html", form=form, user=None), 400
        flash(_("User %(email)s created.", email=form.email.data), "success")
        return redirect(url_for("admin.users"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/user_form.html", form=form, user=None), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = UserForm(obj=user)
    if form.validate_on_submit():
        try:
            update_user(
                current_user,
                user,
                name=form.name.data,
                role=form.role.data,
                language=form.language.data,
                active=form.active.data,
                password=form.password.data,
            )
        except InvalidInput as error:
            show_domain_errors(form, error, "password")
            return render_template("admin/user_form.html", form=form, user=user), 400
        flash(_("User %(email)s saved.", email=user.email), "success")
        return redirect(url_for("admin.users"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/user_form.html", form=form, user=user), status


@bp.route("/users/<int:user_id>/sessions/end", methods=["POST"])
def end_sessions(user_id: int):
    """An admin signs a user out everywhere (a lost phone, a raid)."""
    user = db.session.get(User, user_id) or abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    ended = end_all_sessions(user)
    flash(
        ngettext(
            "%(num)d session of %(email)s signed out.",
            "%(num)d sessions of %(email)s signed out.",
            ended,
            email=user.email,
        ),
        "success",
    )
    return redirect(url_for("admin.edit_user", user_id=user.id))
