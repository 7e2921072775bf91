"""Signing in and out, with throttling of repeated failures; the user's language."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField
from wtforms.validators import DataRequired, Length

from ..accounts import (
    REMEMBER_FOR,
    SignInRefused,
    TooManySignIns,
    active_sessions,
    change_password,
    end_all_sessions,
    end_session,
    sign_in,
    start_session,
)
from ..accounts import set_language as save_language
from ..db import utcnow
from ..errors import InvalidInput
from .filters import translated
from .forms import options, show_domain_errors

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Remember me"))


class LanguageForm(FlaskForm):
    language = SelectField(choices=options([("ru", "Русский"), ("en", "English")]))


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in (no open redirect)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    try:
        signed = sign_in(
            form.email.data, form.password.data, request.remote_addr or "unknown", utcnow()
        )
    except (SignInRefused, TooManySignIns) as error:
        flash(translated(error.message), "error")
        return render_template("auth/login.html", form=form), error.status
    user = signed.user
    if signed.failed_since_last_time:
        flash(
            ngettext(
                "Someone typed a wrong password for your account %(num)d time since you last "
                "signed in. If it was not you, change your password.",
                "Someone typed wrong passwords for your account %(num)d times since you last "
                "signed in. If it was not you, change your password.",
                signed.failed_since_last_time,
            ),
            "warning",
        )
    start_session(user, remember=form.remember.data, user_agent=request.user_agent.string)
    login_user(user, remember=form.remember.data, duration=REMEMBER_FOR)
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    end_session(current_user.session_key)
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/language", methods=["POST"])
@login_required
def set_language():
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    save_language(current_user, form.language.data)
    return redirect(_safe_next(request.form.get("next")))


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[DataRequired()])
    repeat = PasswordField(_l("New password again"), validators=[DataRequired()])


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current.data, form.new.data, form.repeat.data)
        except InvalidInput as error:
            show_domain_errors(form, error, "new")
            return _account_page(form), 400
        flash(
            _("Password changed. Every other browser signed in as you was signed out."), "success"
        )
        return redirect(url_for("auth.account"))
    return _account_page(form), 400 if form.is_submitted() else 200


def _account_page(form: PasswordChangeForm):
    return render_template(
        "auth/account.html",
        form=form,
        sessions=active_sessions(current_user, utcnow()),
        this_session=current_user.session_key.partition(":")[0],
        end_form=FlaskForm(),
    )


@bp.route("/account/sessions/end", methods=["POST"])
@login_required
def end_other_sessions():
    if not FlaskForm().validate_on_submit():
        abort(400)
    ended = end_all_sessions(current_user, keep=current_user.session_key)
    flash(
        ngettext("%(num)d other session signed out.", "%(num)d other sessions signed out.", ended),
        "success",
    )
    return redirect(url_for("auth.account"))
