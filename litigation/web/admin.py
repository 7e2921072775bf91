"""Admins manage user accounts: create, change role or language, deactivate, reset password,
and hand a deactivated user's open cases to colleagues."""

from __future__ import annotations

import datetime as dt
import functools

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..accounts import (
    MIN_PASSWORD,
    create_user,
    disable_two_factor,
    end_all_sessions,
    make_reset_link,
    update_user,
)
from ..audit import record
from ..cases import access, recalc
from ..cases.reassignment import count_orphaned, orphaned_counts
from ..db import db, utcnow
from ..errors import InvalidInput
from ..models import AuditKind, Role, User, case_assignments
from ..registry import current_registry
from . import outbox
from .confirm import confirmation_needed
from .context import today
from .dashboard import handover
from .filters import translated
from .forms import options, show_domain_errors
from .inputs import page_arg
from .transaction import refuse_this_request

bp = Blueprint("admin", __name__, url_prefix="/admin")
ROLES = options((role.value, _l(role.value)) for role in Role)
# Each language named in itself, as the language switch names it.
LANGUAGE_NAMES = {"ru": "Русский", "en": "English"}
LANGUAGES = options(LANGUAGE_NAMES.items())


class UserForm(FlaskForm):
    """An account as an admin edits it; an empty password keeps the current one."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=200)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    # Least privilege: a new account reads only the cases it is put on until given more.
    role = SelectField(_l("Role"), choices=ROLES, default=Role.STAFF.value)
    language = SelectField(_l("Language"), choices=LANGUAGES)
    password = PasswordField(
        _l(
            "New password (at least %(n)d characters; leave empty to keep the current one)",
            n=MIN_PASSWORD,
        ),
        validators=[Optional()],
        render_kw={"autocomplete": "new-password"},
    )
    active = BooleanField(_l("Active (may sign in)"), default=True)
    # As for calendar feeds with names: an admin's decision, confirmed by password.
    names_in_email = BooleanField(_l("Survivors' names may appear in this person's e-mails"))


class NewUserForm(UserForm):
    """A new account: it has no password to keep; without one, the admin gets a link."""

    password = PasswordField(
        _l("Password (at least %(n)d characters)", n=MIN_PASSWORD),
        description=_l(
            "Or leave it empty: you get a one-time link by which the person sets their own "
            "password, which you then never know."
        ),
        validators=[Optional()],
        render_kw={"autocomplete": "new-password"},
    )
    names_in_email = None  # a new account's e-mails carry no names until an admin edits it


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
    links = case_assignments.c
    counts = db.select(links.user_id, func.count()).group_by(links.user_id)
    return render_template(
        "admin/users.html",
        users=list(everyone),
        cases=dict(db.session.execute(counts).all()),
        waiting=orphaned_counts(),
        language_names=LANGUAGE_NAMES,
    )


@bp.route("/notifications")
def notifications():
    """The e-mail outbox: what was sent, what failed and what waits, newest first."""
    return outbox.page()


@bp.route("/notifications/<int:notification_id>/send-again", methods=["POST"])
def send_notification_again(notification_id: int):
    """A failed message queued again, due now; the engine writes the audit entry."""
    return outbox.send_again_now(notification_id)


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = NewUserForm()
    if form.validate_on_submit():
        if (page := confirmation_needed()) is not None:
            return page  # a new account is a role given: confirm who gives it
        try:
            user = create_user(
                form.email.data,
                form.password.data or None,
                Role(form.role.data),
                name=form.name.data,
                language=form.language.data,
                actor=current_user,
            )
        except InvalidInput as error:
            show_domain_errors(form, error, "email")
            return render_template("admin/user_form.html", form=form, user=None), 400
        flash(_("User %(email)s created.", email=user.email), "success")
        if not form.password.data:
            return _link_page(user)
        return redirect(url_for("admin.users"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/user_form.html", form=form, user=None), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = UserForm(obj=user)
    if form.validate_on_submit():
        if _changes_access(user, form) and (page := confirmation_needed()) is not None:
            return page
        was_active = user.active
        try:
            update_user(
                current_user,
                user,
                name=form.name.data,
                role=form.role.data,
                language=form.language.data,
                active=form.active.data,
                password=form.password.data,
                names_in_email=form.names_in_email.data,
            )
        except InvalidInput as error:
            show_domain_errors(form, error, "password")
            return _user_page(user, form), 400
        flash(_("User %(email)s saved.", email=user.email), "success")
        waiting = count_orphaned(user) if was_active and not user.active else 0
        if waiting:
            flash(_waiting_text(user, waiting), "warning")
            return redirect(_handover_url(user))
        return redirect(url_for("admin.users"))
    status = 400 if form.is_submitted() else 200
    return _user_page(user, form), status


def _changes_access(user: User, form: UserForm) -> bool:
    """A role, the right to sign in, a password, or names in e-mail: who may see survivors'
    files, or their names, changes."""
    return (
        form.role.data != user.role
        or bool(form.active.data) != user.active
        or bool(form.password.data)
        or bool(form.names_in_email.data) != user.names_in_email
    )


def _waiting_text(user: User, waiting: int) -> str:
    return ngettext(
        "%(name)s is still on %(num)d open case, which needs a new lawyer: hand it to a "
        "colleague below.",
        "%(name)s is still on %(num)d open cases, which need a new lawyer: hand them to "
        "colleagues below.",
        waiting,
        name=user.name,
    )


def _handover_url(user: User, page: int | None = None) -> str:
    return url_for("admin.edit_user", user_id=user.id, page=page, _anchor="new-lawyer")


def _user_page(user: User, form: UserForm | None = None, **submitted) -> str:
    """The user's page; for a deactivated user, the open cases needing a new lawyer."""
    return render_template(
        "admin/user_form.html",
        form=form or UserForm(formdata=None, obj=user),
        user=user,
        handover=None if user.active else handover.build(user, **submitted),
        today=today(),
        page_url=lambda number: _handover_url(user, number),
        action=lambda case, departed, page: url_for(
            "admin.reassign_case", user_id=departed.id, case_id=case.id, page=page
        ),
        all_action=lambda departed, page: url_for(
            "admin.reassign_user", user_id=departed.id, page=page
        ),
    )


def _user_or_404(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


@bp.route("/users/<int:user_id>/cases/<int:case_id>/reassign", methods=["POST"])
def reassign_case(user_id: int, case_id: int):
    """One case of a deactivated user handed to a colleague, from the user's page."""
    user = _user_or_404(user_id)
    page = functools.partial(_user_page, user)
    return handover.reassign_one(case_id, user_id, page, _handover_url(user, page_arg()))


@bp.route("/users/<int:user_id>/reassign", methods=["POST"])
def reassign_user(user_id: int):
    """Every open case of a deactivated user handed to one colleague."""
    user = _user_or_404(user_id)
    page = functools.partial(_user_page, user)
    return handover.reassign_everything(user_id, page, _handover_url(user, page_arg()))


@bp.route("/users/<int:user_id>/sessions/end", methods=["POST"])
def end_sessions(user_id: int):
    """An admin signs a user out everywhere (a lost phone, a raid)."""
    user = db.session.get(User, user_id) or abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    ended = end_all_sessions(user)
    record(AuditKind.SESSIONS_ENDED, actor=current_user, user=user, details={"ended": ended})
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


@bp.route("/users/<int:user_id>/two-factor/reset", methods=["POST"])
def reset_two_factor(user_id: int):
    """A lost phone: the user's authenticator and recovery codes stop working; a role that
    requires two-factor sign-in sets it up again at the next sign-in."""
    user = _user_or_404(user_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if (page := confirmation_needed()) is not None:
        return page
    if user.has_two_factor:
        disable_two_factor(
            user, actor=current_user, required_roles=current_app.config["TWO_FACTOR_ROLES"]
        )
        end_all_sessions(user)
    flash(_("Two-factor sign-in of %(email)s reset.", email=user.email), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/reset-link", methods=["POST"])
def reset_link(user_id: int):
    """A one-time link by which the user sets a new password, shown to the admin once."""
    user = _user_or_404(user_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if (page := confirmation_needed()) is not None:
        return page  # whoever holds the link takes the account over: confirm who makes it
    try:
        return _link_page(user)
    except InvalidInput as error:
        refuse_this_request()
        flash(" ".join(translated(text) for text in error.errors.values()), "error")
        return redirect(url_for("admin.edit_user", user_id=user.id))


def _link_page(user: User) -> Response:
    """A new one-time link for `user`, on a page no cache keeps."""
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    link = make_reset_link(
        user, actor=current_user, now=utcnow(), valid_for=dt.timedelta(hours=hours)
    )
    page = render_template(
        "admin/reset_link.html",
        user=user,
        url=url_for("password_reset.open_link", token=link.token, _external=True),
        expires=format_datetime(link.expires_at, "d MMMM y, HH:mm"),
        hours=hours,
    )
    return Response(page, headers={"Cache-Control": "no-store"})
