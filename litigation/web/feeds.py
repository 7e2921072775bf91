"""Calendar feeds: my subscriptions, creating, rotating and revoking them, and the feeds.

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
from flask_babel import force_locale, format_datetime, ngettext
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
    deadline_entry,
    deadlines_for_feed,
    feed_by_token,
    ical,
    last_modified,
    mark_fetched,
    revoke_feed,
    rotate_feed,
)
from ..models import AuditKind, Case, Deadline, FeedSubscription, User
from ..registry import current_registry
from .confirm import confirmation_needed
from .context import lang as reader_language
from .context import today
from .filters import error_text, latest_text, provisional_text, source_text
from .forms import PARTIES, FeedForm, prepare_feed_form

bp = Blueprint("feeds", __name__, url_prefix="/calendars")
CALENDAR = "text/calendar; charset=utf-8"


def _labels() -> ical.Labels:
    """The words around the data, in the locale in force."""
    return ical.Labels(
        next_step=_("Next step"),
        legal_basis=_("Legal basis"),
        unverified=f"{_('unverified rule')}: "
        + _("This rule was not verified against the official text."),
        warning=_("warning"),
        who_acts=_("Who must act"),
        survivor=_("Survivor"),
        notes=_("Notes"),
        case_page=_("Case page"),
        reminder=lambda days: ngettext("due in %(num)d day", "due in %(num)d days", days),
    )


def _party(party: str) -> str:
    return str(PARTIES.get(party, party))


def _case_url(case: Case) -> str:
    return url_for("cases.show", case_id=case.id, _external=True)


def _host() -> str:
    return urlsplit(request.host_url).hostname or "localhost"


def _entries(deadlines: list[Deadline], lang: str, with_names: bool) -> list[ical.DeadlineEntry]:
    registry = current_registry()
    named = cases_named_in(deadlines, with_names)
    return [
        deadline_entry(
            registry,
            deadline,
            lang=lang,
            party_label=_party,
            case_url=_case_url,
            caveats=_caveats,
            with_names=deadline.proceeding.case_id in named,
        )
        for deadline in deadlines
    ]


def _caveats(deadline: Deadline) -> list[str]:
    """Why the date may move, in the locale in force (the feed forces the owner's)."""
    texts = (latest_text(deadline), provisional_text(deadline), source_text(deadline))
    return [text for text in texts if text]


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
    lang = _language_of(subscription.owner)
    with force_locale(lang):
        body = ical.feed_ics(
            _entries(deadlines, lang, subscription.with_names),
            name=subscription.name,
            host=_host(),
            labels=_labels(),
            with_reminder_events=subscription.reminder_events,
        )
    modified = last_modified(deadlines, subscription)  # before the commit expires the rows
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
    [entry] = _entries([deadline], reader_language(), with_names=False)
    body = ical.deadline_ics(entry, host=_host(), labels=_labels())
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
