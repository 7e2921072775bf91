"""Signing in and out, with throttling of repeated failures; the user's language."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext, refresh
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..accounts import (
    REMEMBER_FOR,
    SignedIn,
    SignInRefused,
    TooManySignIns,
    WrongCode,
    active_sessions,
    change_password,
    end_all_sessions,
    end_session,
    second_factor,
    sign_in,
    start_session,
)
from ..accounts import set_language as save_language
from ..audit import record
from ..db import db, utcnow
from ..errors import InvalidInput
from ..models import AuditKind, User
from . import select_locale
from .filters import translated
from .forms import options, show_domain_errors
from .home import landing

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autofocus": True, "autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    remember = BooleanField(_l("Remember me"))


class LanguageForm(FlaskForm):
    language = SelectField(choices=options([("ru", "Русский"), ("en", "English")]))


def safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in (no open redirect)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            return target
    return landing()


PENDING = "pending_sign_in"  # the password was right; the code must follow within minutes
PENDING_FOR = dt.timedelta(minutes=5)


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True},
    )


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(landing())
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    try:
        signed = sign_in(form.email.data, form.password.data, _address(), utcnow())
    except (SignInRefused, TooManySignIns) as error:
        flash(translated(error.message), "error")
        return render_template("auth/login.html", form=form), error.status
    if signed.needs_code:
        session[PENDING] = {
            "user": signed.user.id,
            "remember": bool(form.remember.data),
            "next": request.args.get("next"),
            "until": (utcnow() + PENDING_FOR).timestamp(),
        }
        return redirect(url_for("auth.login_code"))
    return _finish_sign_in(
        signed, remember=bool(form.remember.data), target=request.args.get("next")
    )


def _pending_user() -> tuple[User, dict] | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or pending.get("until", 0) < utcnow().timestamp():
        return None
    user = db.session.get(User, pending.get("user"))
    if user is None or not user.active or not user.has_two_factor:
        return None
    return user, pending


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    """The second step of signing in, for accounts with an authenticator app."""
    found = _pending_user()
    if found is None:
        session.pop(PENDING, None)
        flash(_("Sign in again: the time for the code ran out."), "warning")
        return redirect(url_for("auth.login"))
    user, pending = found
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("auth/code.html", form=form), 400 if form.is_submitted() else 200
    try:
        signed = second_factor(user, form.code.data, _address(), utcnow())
    except (WrongCode, TooManySignIns) as error:
        form.code.errors = [translated(error.message)]
        return render_template("auth/code.html", form=form), error.status
    session.pop(PENDING, None)
    return _finish_sign_in(
        signed, remember=pending.get("remember", False), target=pending.get("next")
    )


def _finish_sign_in(signed: SignedIn, *, remember: bool, target: str | None):
    user = signed.user
    start_session(user, remember=remember, user_agent=request.user_agent.string)
    login_user(user, remember=remember, duration=REMEMBER_FOR)
    refresh()  # what follows is said in the user's language, not the sign-in page's
    g.lang = select_locale()
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
    record(AuditKind.SIGN_IN, actor=user, user=user, address=_address())
    return redirect(safe_next(target))


def _address() -> str:
    return request.remote_addr or "unknown"


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    record(AuditKind.SIGN_OUT, actor=current_user, user=current_user, address=_address())
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
    return redirect(safe_next(request.form.get("next")))


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
        record(AuditKind.PASSWORD_CHANGED, actor=current_user, user=current_user)
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
    record(
        AuditKind.SESSIONS_ENDED, actor=current_user, user=current_user, details={"ended": ended}
    )
    flash(
        ngettext("%(num)d other session signed out.", "%(num)d other sessions signed out.", ended),
        "success",
    )
    return redirect(url_for("auth.account"))
