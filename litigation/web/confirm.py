"""Re-authentication before sensitive actions: changing roles, names in feeds, exports.

A view calls `confirmation_needed()` first. When the browser's session proved who it is within
CONFIRM_WITHIN_MINUTES (signing in counts), the action goes on. Otherwise the view answers
with a page asking for the password (and a code, with two-factor on) that carries everything
the user had typed, so that confirming carries out the very action asked for: nothing lost.
"""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import Length

from ..accounts import (
    SignInRefused,
    TooManySignIns,
    WrongCode,
    confirm_identity,
    confirmed_recently,
    mark_confirmed,
)
from ..db import utcnow
from .auth import safe_next
from .filters import translated

bp = Blueprint("confirm", __name__)

PASSWORD_FIELD = "confirm_password"
CODE_FIELD = "confirm_code"
# What a carried-over form must not bring back: its old CSRF token, and the confirmation.
NOT_CARRIED = {"csrf_token", PASSWORD_FIELD, CODE_FIELD}


class ConfirmForm(FlaskForm):
    confirm_password = PasswordField(
        _l("Your password"),
        validators=[Length(max=500)],
        render_kw={"autocomplete": "current-password"},
    )
    confirm_code = StringField(
        _l("Code from your authenticator app"),
        validators=[Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    next = HiddenField()


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=current_app.config["CONFIRM_WITHIN_MINUTES"])


def is_confirmed() -> bool:
    return confirmed_recently(current_user.session_key, utcnow(), _window())


def confirmation_needed() -> Response | None:
    """None when the action may go on; else the page (401) that asks who this is."""
    if is_confirmed():
        return None
    error = None
    if request.method == "POST" and PASSWORD_FIELD in request.form:
        error = _try_confirm(request.form.get(PASSWORD_FIELD, ""), request.form.get(CODE_FIELD))
        if error is None:
            return None
    return _confirm_page(error)


def _try_confirm(password: str, code: str | None) -> str | None:
    """Confirm this session; the message to show when it was refused."""
    try:
        confirm_identity(current_user, password, code, request.remote_addr or "unknown", utcnow())
    except (SignInRefused, WrongCode, TooManySignIns) as refused:
        return translated(refused.message)
    mark_confirmed(current_user.session_key, utcnow())
    return None


def _carried_fields() -> list[tuple[str, str]]:
    if request.method != "POST":
        return []
    return [
        (name, value)
        for name, values in request.form.lists()
        if name not in NOT_CARRIED
        for value in values
    ]


def _confirm_page(error: str | None) -> Response:
    form = ConfirmForm()
    if request.method == "POST":  # the same action, posted again with the password
        action, carried = request.full_path.rstrip("?"), _carried_fields()
    else:  # a download or a page: confirm, then come back to it
        action, carried = _confirm_url(request.full_path.rstrip("?")), []
    page = render_template(
        "auth/confirm.html",
        form=form,
        action=action,
        carried=carried,
        error=error,
        minutes=current_app.config["CONFIRM_WITHIN_MINUTES"],
    )
    return Response(page, status=401, headers={"Cache-Control": "no-store"})


def _confirm_url(target: str) -> str:
    return url_for("confirm.confirm", next=target)


@bp.route("/account/confirm", methods=["GET", "POST"])
@login_required
def confirm():
    """Confirm who this is, then go back to the page or download that asked for it."""
    target = safe_next(request.values.get("next"))
    if request.method == "POST":
        form = ConfirmForm()
        if form.validate_on_submit():
            error = _try_confirm(form.confirm_password.data or "", form.confirm_code.data)
            if error is None:
                flash(_("Thank you: for the next minutes you will not be asked again."), "info")
                return redirect(target)
            return _render_confirm(form, target, error), 401
        return _render_confirm(form, target, None), 400
    return _render_confirm(ConfirmForm(), target, None)


def _render_confirm(form: ConfirmForm, target: str, error: str | None) -> str:
    return render_template(
        "auth/confirm.html",
        form=form,
        action=_confirm_url(target),
        carried=[],
        error=error,
        minutes=current_app.config["CONFIRM_WITHIN_MINUTES"],
    )


__all__ = ["bp", "confirmation_needed", "is_confirmed"]
