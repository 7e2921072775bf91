"""The form that sets up a calendar feed, with its choices built from the routes and users."""

from __future__ import annotations

from flask import g
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from ..access import sees_all_cases
from ..db import db
from ..models import FeedKind, Role, User
from ..registry import current_registry
from .forms import JURISDICTIONS, options

KINDS = options(
    [
        (FeedKind.MINE.value, _l("Cases assigned to me")),
        (FeedKind.CASE.value, _l("One case")),
        (FeedKind.TEAM.value, _l("Every case I can see (filter below)")),
    ]
)
PARTIES = {
    "us": _l("our side"),
    "state": _l("the state"),
    "court": _l("the court"),
    "committee": _l("the committee"),
}
ANY = SelectChoice("", "—")


class FeedForm(FlaskForm):
    name = StringField(_l("Name of the calendar"), validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("Deadlines of"), choices=KINDS, default=FeedKind.MINE.value)
    case = StringField(_l("Case reference (for one case)"), validators=[Optional(), Length(max=40)])
    route = SelectField(_l("Route"), validators=[Optional()])
    jurisdiction = SelectField(
        _l("Jurisdiction"), choices=[ANY, *JURISDICTIONS], validators=[Optional()]
    )
    lawyer = SelectField(_l("Lawyer"), validators=[Optional()])
    stage = SelectField(_l("Stage"), validators=[Optional()])
    reminder_events = BooleanField(
        _l("Also add each reminder as an all-day event (Google Calendar and Outlook ignore alarms)")
    )
    with_names = BooleanField(
        _l("Show survivors' names and case notes (the calendar provider will store them)")
    )


def prepare(form: FeedForm) -> FeedForm:
    """Fill the route, stage and lawyer choices for the signed-in user."""
    lang = getattr(g, "lang", "ru")
    routes = current_registry().workflows.routes.values()
    form.route.choices = [ANY, *options((r.id, r.title.get(lang)) for r in routes)]
    form.stage.choices = [ANY] + [
        SelectChoice(stage.id, stage.label.get(lang), optgroup=route.title.get(lang))
        for route in routes
        for stage in route.stages
    ]
    lawyers = []
    if sees_all_cases(current_user):
        lawyers = db.session.scalars(
            db.select(User).where(User.active, User.role == Role.LAWYER).order_by(User.name)
        ).all()
    form.lawyer.choices = [ANY, *options((str(u.id), u.name) for u in lawyers)]
    return form
