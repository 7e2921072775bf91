"""Signing in and out, with throttling of repeated failures; the user's language."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField
from wtforms.validators import DataRequired

from ..accounts import MIN_PASSWORD
from ..db import db, utcnow
from ..models import LoginAttempt, User
from .forms import options

bp = Blueprint("auth", __name__)

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Remember me"))


class LanguageForm(FlaskForm):
    language = SelectField(choices=options([("ru", "Русский"), ("en", "English")]))


def _recent_failures(email: str, remote_addr: str) -> int:
    since = utcnow() - WINDOW
    query = (
        db.select(db.func.count())
        .select_from(LoginAttempt)
        .where(
            LoginAttempt.attempted_at >= since,
            (LoginAttempt.email == email) | (LoginAttempt.remote_addr == remote_addr),
        )
    )
    return db.session.scalar(query) or 0


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
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        remote_addr = request.remote_addr or "unknown"
        if _recent_failures(email, remote_addr) >= MAX_FAILURES:
            flash(_("Too many failed sign-ins. Wait 15 minutes and try again."), "error")
            return render_template("auth/login.html", form=form), 429
        user = db.session.scalar(db.select(User).where(User.email == email))
        if user is None or not user.active or not user.check_password(form.password.data):
            db.session.add(LoginAttempt(email=email, remote_addr=remote_addr))
            db.session.commit()
            flash(_("Wrong email or password."), "error")
            return render_template("auth/login.html", form=form), 401
        db.session.execute(db.delete(LoginAttempt).where(LoginAttempt.email == email))
        db.session.commit()
        login_user(user, remember=form.remember.data)
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/language", methods=["POST"])
@login_required
def set_language():
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    current_user.language = form.language.data
    db.session.commit()
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
        if not current_user.check_password(form.current.data):
            form.current.errors = [_("This is not your current password.")]
        elif len(form.new.data) < MIN_PASSWORD:
            form.new.errors = [_("The password needs at least %(n)d characters.", n=MIN_PASSWORD)]
        elif form.new.data != form.repeat.data:
            form.repeat.errors = [_("The two new passwords differ.")]
        else:
            current_user.set_password(form.new.data)
            db.session.commit()
            flash(_("Password changed."), "success")
            return redirect(url_for("auth.account"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/account.html", form=form), status
