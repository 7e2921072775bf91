"""Two-factor sign-in pages: set up an authenticator app, recovery codes, turning it off;
and the rule that admins and coordinators set it up before anything else."""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    Flask,
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
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from ..accounts import (
    disable_two_factor,
    enable_two_factor,
    make_recovery_codes,
    new_enrolment,
    policy_requires,
    recovery_codes_left,
)
from ..db import utcnow
from ..errors import InvalidInput
from .confirm import confirmation_needed
from .forms import show_domain_errors

bp = Blueprint("two_factor", __name__, url_prefix="/account/two-factor")

BASE32_SECRET = re.compile(r"^[A-Z2-7]{16,64}$")
# Where a user who must set up two-factor sign-in may still go.
OPEN_UNTIL_SET_UP = {
    "two_factor.setup",
    "auth.logout",
    "auth.set_language",
    "confirm.confirm",
    "static",
}


class SetupForm(FlaskForm):
    secret = HiddenField(validators=[DataRequired(), Regexp(BASE32_SECRET.pattern)])
    code = StringField(
        _l("Code from your authenticator app"),
        validators=[DataRequired(), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


def _required() -> bool:
    return policy_requires(current_user, current_app.config["TWO_FACTOR_ROLES"])


def _allowed() -> bool:
    return _required() or bool(current_app.config["TWO_FACTOR_FOR_OTHERS"])


def _no_store(page: str, status: int = 200) -> Response:
    # Secrets and recovery codes are shown once and must not stay in a browser's cache.
    return Response(page, status=status, headers={"Cache-Control": "no-store"})


@bp.route("")
@login_required
def index():
    return render_template(
        "auth/two_factor.html",
        required=_required(),
        allowed=_allowed(),
        codes_left=recovery_codes_left(current_user) if current_user.has_two_factor else 0,
        form=FlaskForm(),
    )


@bp.route("/setup", methods=["GET", "POST"])
@login_required
def setup():
    if current_user.has_two_factor:
        return redirect(url_for("two_factor.index"))
    if not _allowed():
        flash(_("Two-factor sign-in is not offered for your role."), "warning")
        return redirect(url_for("auth.account"))
    form = SetupForm()
    if form.validate_on_submit():
        try:
            codes = enable_two_factor(current_user, form.secret.data, form.code.data, utcnow())
        except InvalidInput as error:
            show_domain_errors(form, error, "code")
            return _setup_page(form, form.secret.data, 400)
        flash(_("Two-factor sign-in is on."), "success")
        return _no_store(render_template("auth/recovery_codes.html", codes=codes))
    secret = (
        form.secret.data
        if form.is_submitted() and BASE32_SECRET.match(form.secret.data or "")
        else None
    )
    return _setup_page(form, secret, 400 if form.is_submitted() else 200)


def _setup_page(form: SetupForm, secret: str | None, status: int) -> Response:
    enrolment = new_enrolment(current_user, secret)
    form.secret.data = enrolment.secret
    page = render_template(
        "auth/two_factor_setup.html",
        form=form,
        enrolment=enrolment,
        required=_required(),
        grouped=" ".join(re.findall(".{1,4}", enrolment.secret)),
    )
    return _no_store(page, status)


@bp.route("/codes", methods=["POST"])
@login_required
def new_codes():
    if not current_user.has_two_factor or not FlaskForm().validate_on_submit():
        return redirect(url_for("two_factor.index"))
    if (page := confirmation_needed()) is not None:
        return page
    codes = make_recovery_codes(current_user, actor=current_user)
    return _no_store(render_template("auth/recovery_codes.html", codes=codes))


@bp.route("/off", methods=["POST"])
@login_required
def turn_off():
    if not current_user.has_two_factor or not FlaskForm().validate_on_submit():
        return redirect(url_for("two_factor.index"))
    if (page := confirmation_needed()) is not None:
        return page
    try:
        disable_two_factor(
            current_user, actor=current_user, required_roles=current_app.config["TWO_FACTOR_ROLES"]
        )
    except InvalidInput:
        flash(_("Two-factor sign-in is required for your role."), "error")
        return redirect(url_for("two_factor.index"))
    flash(_("Two-factor sign-in is off."), "info")
    return redirect(url_for("two_factor.index"))


def _insist_on_setup() -> Response | None:
    """Admins and coordinators set up two-factor sign-in before they see anything else."""
    if (
        current_user.is_authenticated
        and not current_user.has_two_factor
        and request.endpoint not in OPEN_UNTIL_SET_UP
        and _required()
    ):
        flash(_("Your role requires two-factor sign-in. Set it up to continue."), "warning")
        return redirect(url_for("two_factor.setup"))
    return None


def init_app(app: Flask) -> None:
    app.before_request(_insist_on_setup)
