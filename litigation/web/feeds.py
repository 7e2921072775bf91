"""Calendar feeds: my subscriptions, creating, rotating and revoking them, the feeds, and
one deadline or one hearing as a file.

The feed itself is public (calendar clients cannot sign in): its secret token is the key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ..audit import record
from ..cases import access
from ..cases.access import can_view, visible_cases
from ..db import aware, db, utcnow
from ..errors import DomainError
from ..feeds import (
    cases_named_in,
    create_feed,
    deadlines_for_feed,
    feed_by_token,
    hearings_for_feed,
    ical,
    last_modified,
    mark_fetched,
    revoke_feed,
    rotate_feed,
)
from ..models import AuditKind, Case, Deadline, FeedSubscription, Hearing, User
from ..registry import current_registry
from .confirm import confirmation_needed
from .context import lang as reader_language
from .context import today
from .feed_words import deadline_entries, hearing_entries, hearing_labels, labels
from .filters import error_text
from .forms import FeedForm, prepare_feed_form

bp = Blueprint("feeds", __name__, url_prefix="/calendars")
CALENDAR = "text/calendar; charset=utf-8"


def _host() -> str:
    return urlsplit(request.host_url).hostname or "localhost"


def _language_of(user: User) -> str:
    languages = current_app.config["LANGUAGES"]
    return user.language if user.language in languages else languages[0]


def _calendar_response(body: bytes, modified: dt.datetime) -> Response:
    etag = hashlib.sha256(body).hexdigest()[:32]
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        response = Response(body, content_type=CALENDAR)
    response.set_etag(etag)
    response.last_modified = modified
    return response


@bp.route("/<token>.ics")
def feed(token: str):
    subscription = feed_by_token(token)
    if subscription is None:
        abort(404)
    deadlines = deadlines_for_feed(subscription, today())
    hearings = hearings_for_feed(subscription, today())
    lang = _language_of(subscription.owner)
    cases = [d.proceeding.case for d in deadlines] + [h.case for h in hearings]
    named = cases_named_in(cases, subscription.with_names)
    with force_locale(lang):
        body = ical.feed_ics(
            deadline_entries(deadlines, lang, named),
            name=subscription.name,
            host=_host(),
            labels=labels(),
            hearings=hearing_entries(hearings, named),
            hearing_labels=hearing_labels(),
            with_reminder_events=subscription.reminder_events,
        )
    # Before the commit expires the rows.
    modified = last_modified(deadlines, subscription, hearings)
    mark_fetched(subscription, utcnow())
    response = _calendar_response(body, modified)
    # Overrides the app's no-store: a feed names no survivor unless an admin chose so.
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.route("/deadline/<int:deadline_id>.ics")
def deadline_ics(deadline_id: int):
    deadline = db.session.get(Deadline, deadline_id)
    if deadline is None or not can_view(current_user, deadline.proceeding.case):
        abort(404)
    [entry] = deadline_entries([deadline], reader_language(), named=set())
    body = ical.deadline_ics(entry, host=_host(), labels=labels())
    response = _calendar_response(body, entry.updated_at)
    if response.status_code == 200:  # not a 304: the browser kept the file it had
        record(
            AuditKind.DOWNLOAD,
            actor=current_user,
            case=deadline.proceeding.case_id,
            details={"what": "ics", "deadline": deadline.id},
        )
    response.headers["Content-Disposition"] = f'attachment; filename="deadline-{deadline.id}.ics"'
    return response


@bp.route("/hearing/<int:hearing_id>.ics")
def hearing_ics(hearing_id: int):
    hearing = db.session.get(Hearing, hearing_id)
    if hearing is None or not can_view(current_user, hearing.case):
        abort(404)
    # Redacted as the deadline's file: no name, place, attendees or notes leave in it.
    [entry] = hearing_entries([hearing], named=set())
    body = ical.hearing_ics(entry, host=_host(), labels=hearing_labels())
    response = _calendar_response(body, entry.updated_at)
    if response.status_code == 200:  # not a 304: the browser kept the file it had
        record(
            AuditKind.DOWNLOAD,
            actor=current_user,
            case=hearing.case_id,
            details={"what": "ics", "hearing": hearing.id},
        )
    response.headers["Content-Disposition"] = f'attachment; filename="hearing-{hearing.id}.ics"'
    return response


def _my_feeds() -> list[FeedSubscription]:
    query = (
        db.select(FeedSubscription)
        .where(FeedSubscription.owner_id == current_user.id, FeedSubscription.revoked_at.is_(None))
        .options(selectinload(FeedSubscription.case), selectinload(FeedSubscription.lawyer))
        .order_by(FeedSubscription.created_at.desc(), FeedSubscription.id.desc())
    )
    return list(db.session.scalars(query))


def _all_feeds() -> list[FeedSubscription]:
    if not access.can_manage(current_user):
        return []
    query = (
        db.select(FeedSubscription)
        .where(FeedSubscription.revoked_at.is_(None))
        .options(
            selectinload(FeedSubscription.owner),
            selectinload(FeedSubscription.case),
            selectinload(FeedSubscription.lawyer),
        )
        .order_by(FeedSubscription.created_at.desc(), FeedSubscription.id.desc())
    )
    return list(db.session.scalars(query))


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return _("never")
    return format_datetime(aware(moment), "short")


def _index(form: FeedForm, status: int = 200):
    return render_template(
        "feeds/index.html",
        form=form,
        mine=_my_feeds(),
        everyone=_all_feeds(),
        registry=current_registry(),
        when=_when,
    ), status


@bp.route("")
def index():
    return _index(prepare_feed_form(FeedForm()))


def _show_token(subscription: FeedSubscription, token: str):
    url = url_for("feeds.feed", token=token, _external=True)
    webcal = "webcal://" + url.split("://", 1)[1]
    return render_template("feeds/created.html", subscription=subscription, url=url, webcal=webcal)


def _case_for(reference: str) -> Case | None:
    query = visible_cases(current_user).where(Case.reference == reference.strip())
    return db.session.scalars(query).one_or_none()


def _default_name(kind: str, case: Case | None) -> str:
    if case is not None:
        return _("Deadlines of %(reference)s", reference=case.reference)
    return _("My deadlines") if kind == "mine" else _("Team deadlines")


@bp.route("", methods=["POST"])
def create():
    form = prepare_feed_form(FeedForm())
    if not form.validate_on_submit():
        return _index(form, 400)
    case = None
    if form.kind.data == "case":
        case = _case_for(form.case.data or "")
        if case is None:
            form.case.errors = [_("No case you can see has this reference.")]
            return _index(form, 400)
    if form.with_names.data and (page := confirmation_needed()) is not None:
        return page  # survivors' names leave the app: confirm who asks
    lawyer = db.session.get(User, int(form.lawyer.data)) if form.lawyer.data else None
    try:
        subscription, token = create_feed(
            current_user,
            current_user,
            kind=form.kind.data,
            name=form.name.data or _default_name(form.kind.data, case),
            case=case,
            route=form.route.data,
            jurisdiction=form.jurisdiction.data,
            lawyer=lawyer,
            stage=form.stage.data,
            with_names=form.with_names.data,
            reminder_events=form.reminder_events.data,
        )
    except DomainError as error:
        flash(error_text(error), "error")
        return _index(form, error.status)
    return _show_token(subscription, token)


def _manageable_or_404(feed_id: int) -> FeedSubscription:
    subscription = db.session.get(FeedSubscription, feed_id)
    if subscription is None or subscription.revoked_at is not None:
        abort(404)
    if not access.can_manage_feed(current_user, subscription):
        abort(404)
    return subscription


@bp.route("/<int:feed_id>/rotate", methods=["POST"])
def rotate(feed_id: int):
    subscription = _manageable_or_404(feed_id)
    token = rotate_feed(subscription, current_user)
    flash(_("The old address no longer works: subscribe again with the new one."), "success")
    return _show_token(subscription, token)


@bp.route("/<int:feed_id>/revoke", methods=["POST"])
def revoke(feed_id: int):
    subscription = _manageable_or_404(feed_id)
    revoke_feed(subscription, current_user)
    flash(_("Calendar feed %(name)s revoked.", name=subscription.name), "success")
    return redirect(url_for("feeds.index"))
