"""Each person's e-mail settings: reminders, a digest, their time zone and quiet hours, and
for coordinators the weekly team digest. Names in e-mails are an admin's to allow (admin.py)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField

from ..accounts import (
    TIME_ZONES,
    settings_fingerprint,
    update_notification_settings,
)
from ..cases import access
from ..db import db
from ..errors import InvalidInput, StaleSettings
from .filters import error_text
from .forms import options, show_domain_errors
from .notification_words import DIGEST_LABELS, WEEKDAYS, hour_word, zone_word

bp = Blueprint("notifications", __name__)
HOURS = options((str(hour), hour_word(hour)) for hour in range(24))
NO_HOUR = options([("", _l("None"))])


class NotificationsForm(FlaskForm):
    """The settings as the page edits them; the domain checks every value (preferences.py)."""

    email_reminders = BooleanField(_l("Reminders and warnings by e-mail"))
    digest = SelectField(
        _l("Digest"), choices=options(DIGEST_LABELS.items()), validate_choice=False
    )
    digest_weekday = SelectField(
        _l("Day of the weekly digest"),
        choices=options((str(day), label) for day, label in enumerate(WEEKDAYS)),
        validate_choice=False,
    )
    digest_hour = SelectField(_l("Hour of the digest"), choices=HOURS, validate_choice=False)
    time_zone = SelectField(_l("Time zone"), validate_choice=False)
    quiet_from = SelectField(_l("Quiet hours from"), choices=NO_HOUR + HOURS, validate_choice=False)
    quiet_until = SelectField(
        _l("Quiet hours until"), choices=NO_HOUR + HOURS, validate_choice=False
    )
    team_digest = BooleanField(_l("Weekly team digest"))
    # The settings the page was loaded with: a save from a stale page is refused (409).
    loaded = HiddenField()


def _form() -> NotificationsForm:
    user = current_user
    form = NotificationsForm(
        data={
            "email_reminders": user.email_reminders,
            "digest": user.digest,
            "digest_weekday": str(user.digest_weekday),
            "digest_hour": str(user.digest_hour),
            "time_zone": user.time_zone,
            "quiet_from": "" if user.quiet_from is None else str(user.quiet_from),
            "quiet_until": "" if user.quiet_until is None else str(user.quiet_until),
            "team_digest": user.team_digest,
            "loaded": settings_fingerprint(user),
        }
    )
    zones = list(TIME_ZONES)
    if user.time_zone not in zones:
        zones.append(user.time_zone)
    form.time_zone.choices = options((zone, zone_word(zone)) for zone in zones)
    return form


@bp.route("/notifications", methods=["GET", "POST"])
@login_required
def settings():
    """The signed-in person's e-mail settings, saved only over what the page showed."""
    form = _form()
    if not form.validate_on_submit():
        return _page(form, 400 if form.is_submitted() else 200)
    values = {name: form[name].data for name in form.data if name not in ("loaded", "csrf_token")}
    try:
        changed = update_notification_settings(
            current_user, values, expected=form.loaded.data or None, actor=current_user
        )
    except StaleSettings as error:
        db.session.rollback()
        flash(error_text(error), "error")
        form.loaded.data = settings_fingerprint(current_user)  # saving again overwrites
        return _page(form, 409)
    except InvalidInput as error:
        for message in show_domain_errors(form, error, "digest"):
            flash(message, "error")
        return _page(form, 400)
    flash(_("Your e-mail settings are saved.") if changed else _("Nothing changed."), "success")
    return redirect(url_for("notifications.settings"))


def _page(form: NotificationsForm, status: int):
    page = render_template(
        "notifications/settings.html",
        form=form,
        team=access.gets_team_digest(current_user),
    )
    return page, status
