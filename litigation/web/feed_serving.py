"""Serving a calendar feed cheaply: answered from its stamp (feeds/stamps.py) when the client
has it already, from the bytes kept for that stamp when another asks, built only otherwise.

A calendar client polls every hour whether or not anything changed: the stamp is one query on
indexes, where building a team feed reads thousands of rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from urllib.parse import urlsplit

from flask import Response, current_app, request
from flask_babel import force_locale
from werkzeug.http import is_resource_modified

from ..db import utcnow
from ..feeds import cases_named_in, deadlines_for_feed, hearings_for_feed, ical
from ..feeds.bodies import BodyCache
from ..feeds.stamps import FeedStamp, feed_stamp
from ..models import FeedSubscription
from .feed_words import deadline_entries, hearing_entries, hearing_labels, labels

CALENDAR = "text/calendar; charset=utf-8"
BODIES = "litigation.feed_bodies"
VERSIONS = "litigation.feed_label_versions"
# A restart may bring other words or another workflows.yaml: clients that only send
# If-Modified-Since fetch once more after it.
STARTED = utcnow().replace(microsecond=0)


def bodies() -> BodyCache:
    """This worker's built feeds. Per process: each server worker keeps its own, bounded by
    FEED_CACHE_MB, and a restart starts empty."""
    cache = current_app.extensions.get(BODIES)
    if cache is None:
        size = int(current_app.config.get("FEED_CACHE_MB", 64) * 1024 * 1024)
        cache = current_app.extensions.setdefault(BODIES, BodyCache(size))
    return cache


def _labels_version(lang: str) -> str:
    """A digest of what the words of a feed come from: workflows.yaml and the catalogue."""
    versions = current_app.extensions.setdefault(VERSIONS, {})
    if lang not in versions:
        digest = hashlib.sha256()
        files = [Path(current_app.config["WORKFLOWS_PATH"])]
        files.append(Path(current_app.root_path) / f"translations/{lang}/LC_MESSAGES/messages.mo")
        for path in files:
            digest.update(path.read_bytes() if path.is_file() else b"-")
        versions[lang] = digest.hexdigest()[:16]
    return versions[lang]


def _host() -> str:
    return urlsplit(request.host_url).hostname or "localhost"


def stamp_of(subscription: FeedSubscription, today: dt.date, lang: str) -> FeedStamp:
    """The feed's stamp for this request: its data, the day, the language and the host (the
    events' UIDs and links name it)."""
    return feed_stamp(subscription, today, (lang, request.host_url, _labels_version(lang)))


def build(subscription: FeedSubscription, today: dt.date, lang: str) -> bytes:
    """The whole feed as iCalendar bytes, in `lang`."""
    deadlines = deadlines_for_feed(subscription, today)
    hearings = hearings_for_feed(subscription, today)
    cases = [d.proceeding.case for d in deadlines] + [h.case for h in hearings]
    named = cases_named_in(cases, subscription.with_names)
    with force_locale(lang):
        return ical.feed_ics(
            deadline_entries(deadlines, lang, named),
            name=subscription.name,
            host=_host(),
            labels=labels(),
            hearings=hearing_entries(hearings, named),
            hearing_labels=hearing_labels(),
            with_reminder_events=subscription.reminder_events,
        )


def _body(subscription: FeedSubscription, stamp: FeedStamp, today: dt.date, lang: str) -> bytes:
    key = (subscription.id, stamp.key)
    body = bodies().get(key)
    if body is None:
        body = build(subscription, today, lang)
        # Kept only if nothing changed while it was built: the bytes then match the stamp.
        if stamp_of(subscription, today, lang) == stamp:
            bodies().put(key, body)
    return body


def _last_modified(stamp: FeedStamp, today: dt.date) -> dt.datetime:
    """The latest change, or when today began if later (the day changes what a feed shows),
    or the start of this process; never in the future."""
    day_began = dt.datetime.combine(today, dt.time()).astimezone()  # the server's midnight
    return min(max(stamp.changed_at, day_began, STARTED), utcnow())


def feed_response(subscription: FeedSubscription, today: dt.date, lang: str) -> Response:
    """304 if the client has this stamp, else the feed's bytes (kept, or built now)."""
    stamp = stamp_of(subscription, today, lang)
    modified = _last_modified(stamp, today)
    if is_resource_modified(request.environ, etag=stamp.key, last_modified=modified):
        response = Response(_body(subscription, stamp, today, lang), content_type=CALENDAR)
    else:
        response = Response(status=304)
    response.set_etag(stamp.key)
    response.last_modified = modified
    return response
