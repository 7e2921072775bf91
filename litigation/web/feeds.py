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
    session,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from ..audit import record
from ..cases import access
from ..cases.access import can_view, visible_cases
from ..db import aware, db, utcnow
from ..errors import DomainError
from ..feeds import (
    create_feed,
    every_feed,
    feed_by_token,
    feeds_of,
    ical,
    mark_fetched,
    revoke_feed,
    revokers,
    rotate_feed,
)
from ..models import AuditKind, Case, Deadline, FeedSubscription, Hearing, User
from .confirm import confirmation_needed
from .context import lang as reader_language
from .context import today
from .feed_serving import CALENDAR, feed_response
from .feed_words import deadline_entries, feed_shows, hearing_entries, hearing_labels, labels
from .filters import error_text
from .forms import FeedForm, prepare_feed_form

bp = Blueprint("feeds", __name__, url_prefix="/calendars")


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
    response = feed_response(subscription, today(), _language_of(subscription.owner))
    mark_fetched(subscription, utcnow())
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


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return _("never")
    return format_datetime(aware(moment), "short")


def _index(form: FeedForm, status: int = 200):
    mine = feeds_of(current_user)
    everyone = every_feed() if access.can_manage(current_user) else []
    return render_template(
        "feeds/index.html",
        form=form,
        mine=mine,
        everyone=everyone,
        revoked_by=revokers([*mine, *everyone]),
        shows=feed_shows,
        when=_when,
    ), status


@bp.route("")
def index():
    return _index(prepare_feed_form(FeedForm()))


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
    return _address_once(subscription, token)


# The new address crosses one redirect in the session (a signed, HttpOnly cookie), so that it
# is never in a URL, an access log, the audit trail or the database; the address page takes it
# out as it shows it, so a reload shows it no more.
NEW_ADDRESS = "feed_address"


def _address_once(subscription: FeedSubscription, token: str):
    session[NEW_ADDRESS] = {"feed": subscription.id, "token": token}
    return redirect(url_for("feeds.address", feed_id=subscription.id))


def _take_address(subscription: FeedSubscription) -> str | None:
    """The new address kept for this feed, taken out of the session; None when already shown."""
    kept = session.get(NEW_ADDRESS)
    if not isinstance(kept, dict) or kept.get("feed") != subscription.id:
        return None  # another feed's address stays for its own page
    token = session.pop(NEW_ADDRESS).get("token")
    opened = feed_by_token(token) if isinstance(token, str) else None
    # A newer address made in another tab replaced it: showing this one would mislead.
    return token if opened is not None and opened.id == subscription.id else None


@bp.route("/<int:feed_id>/address")
def address(feed_id: int):
    subscription = _manageable_or_404(feed_id)
    token = _take_address(subscription)
    if token is None:
        return render_template("feeds/shown.html", subscription=subscription)
    url = url_for("feeds.feed", token=token, _external=True)
    webcal = "webcal://" + url.split("://", 1)[1]
    return render_template(
        "feeds/address.html", subscription=subscription, url=url, webcal=webcal, has_address=True
    )


def _manageable_or_404(feed_id: int, revoked: bool = False) -> FeedSubscription:
    """The feed if the reader may manage it (and it is live, unless `revoked` is allowed)."""
    subscription = db.session.get(FeedSubscription, feed_id)
    if subscription is None or not access.can_manage_feed(current_user, subscription):
        abort(404)
    if subscription.revoked_at is not None and not revoked:
        abort(404)
    return subscription


def _confirm(subscription: FeedSubscription, action: str):
    return render_template(
        "feeds/confirm.html", subscription=subscription, action=action, shows=feed_shows, when=_when
    )


def _confirmed() -> bool:
    """Whether the POST comes from the confirmation page (not a stale or hand-made form)."""
    return request.form.get("confirmed") == "yes"


def _already_revoked():
    """A revoked feed's form posted again (back button, second tab): say so, change nothing."""
    flash(_("This calendar was already revoked."), "info")
    return redirect(url_for("feeds.index"))


@bp.route("/<int:feed_id>/rotate")
def confirm_rotate(feed_id: int):
    return _confirm(_manageable_or_404(feed_id), "rotate")


@bp.route("/<int:feed_id>/rotate", methods=["POST"])
def rotate(feed_id: int):
    subscription = _manageable_or_404(feed_id, revoked=True)
    if subscription.revoked_at is not None:
        return _already_revoked()
    if not _confirmed():
        return redirect(url_for("feeds.confirm_rotate", feed_id=feed_id))
    token = rotate_feed(subscription, current_user)
    flash(_("The old address no longer works: subscribe again with the new one."), "success")
    return _address_once(subscription, token)


@bp.route("/<int:feed_id>/revoke")
def confirm_revoke(feed_id: int):
    return _confirm(_manageable_or_404(feed_id), "revoke")


@bp.route("/<int:feed_id>/revoke", methods=["POST"])
def revoke(feed_id: int):
    subscription = _manageable_or_404(feed_id, revoked=True)
    if subscription.revoked_at is not None:
        return _already_revoked()
    if not _confirmed():
        return redirect(url_for("feeds.confirm_revoke", feed_id=feed_id))
    revoke_feed(subscription, current_user)
    flash(_("Calendar feed %(name)s revoked.", name=subscription.name), "success")
    return redirect(url_for("feeds.index"))
