"""Setting a new password through a one-time link an admin made (accounts/resets.py).

Opening /reset/<token> puts the token into this browser's session and moves on to /reset, so
that the address bar, the history and every Referer show no token; the token never reaches a
log either (access_log.py and deploy/nginx.conf mask it). A link that does not work gets one
page, whatever the reason, and nothing says whether an account exists.
"""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from ..accounts import MIN_PASSWORD, LinkUnusable, reset_by_token, reset_password
from ..db import utcnow
from ..errors import InvalidInput
from ..models import User
from .forms import show_domain_errors

bp = Blueprint("password_reset", __name__)
TOKEN = "password_reset_token"  # the session key holding the link's token


class NewPasswordForm(FlaskForm):
    new = PasswordField(
        _l("New password (at least %(n)d characters)", n=MIN_PASSWORD),
        validators=[DataRequired(), Length(max=500)],
        render_kw={"autocomplete": "new-password"},
    )
    repeat = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), Length(max=500)],
        render_kw={"autocomplete": "new-password"},
    )


@bp.route("/reset/<token>")
def open_link(token: str):
    """Keep the token in the session and show the form at an address without it."""
    if reset_by_token(token, utcnow()) is None:
        session.pop(TOKEN, None)
        return _unusable()
    session[TOKEN] = token
    return redirect(url_for("password_reset.form"), 303)


@bp.route("/reset", methods=["GET", "POST"])
def form():
    """The new password, twice, under the same rules as everywhere else."""
    token = session.get(TOKEN) or ""
    reset = reset_by_token(token, utcnow())
    if reset is None:
        return _unusable()
    # The account's own language, which the admin chose for this person, not the browser's.
    g.lang = reset.user.language
    with force_locale(reset.user.language):
        return _set_password(token, reset.user)


def _set_password(token: str, user: User):
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            reset_password(
                token,
                form.new.data,
                form.repeat.data,
                now=utcnow(),
                address=request.remote_addr or "unknown",
            )
        except LinkUnusable:
            return _unusable()
        except InvalidInput as error:
            show_domain_errors(form, error, "new")
            return _page(user, form), 400
        session.pop(TOKEN, None)
        flash(_("Your new password is set. Sign in with it."), "success")
        return redirect(url_for("auth.login"), 303)
    return _page(user, form), 400 if form.is_submitted() else 200


def _page(user: User, form: NewPasswordForm) -> str:
    return render_template("auth/reset.html", form=form, user=user)


def _unusable():
    # Served at /reset/<token> too: its stylesheet's request must not carry the token along.
    page = render_template("auth/reset_unusable.html")
    return page, 404, {"Referrer-Policy": "no-referrer"}


__all__ = ["TOKEN", "bp"]
