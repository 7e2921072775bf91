"""What the history entry tests share: submitting a form as a browser does (its CSRF token and
the version it was loaded with), and the rows a proceeding's history leaves."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from litigation.db import db
from litigation.models import Deadline, Event, Proceeding, StageStay

from ..conftest import CSRF_RE

VERSION_RE = re.compile(r'name="version" type="hidden" value="(\d*)"')


def history_url(case_id: int, proceeding_id: int, trigger: str = "") -> str:
    url = f"/cases/{case_id}/proceedings/{proceeding_id}/history"
    return f"{url}/{trigger}" if trigger else url


def submit(client: FlaskClient, url: str, data: dict[str, Any], form_url: str | None = None):
    """Load the form at `form_url` (or `url`), then post `data` with its CSRF token and
    version, as a browser does."""
    page = client.get(form_url or url).get_data(as_text=True)
    token = CSRF_RE.search(page)
    assert token, f"no form at {url}"
    version = VERSION_RE.search(page)
    fields = {"csrf_token": token.group(1) or token.group(2)}
    if version:
        fields["version"] = version.group(1)
    return client.post(url, data={**fields, **data})


def ids_from(location: str) -> tuple[int, int]:
    """The case and proceeding of a history page's address."""
    match = re.search(r"/cases/(\d+)/proceedings/(\d+)/history", location)
    assert match, location
    return int(match.group(1)), int(match.group(2))


def history_rows(proceeding_id: int) -> dict[str, Any]:
    """Everything the history wrote for a proceeding, ids replaced by positions: two
    proceedings walked the same way give equal rows."""
    proceeding = db.session.get(Proceeding, proceeding_id)
    events = list(
        db.session.scalars(
            db.select(Event).where(Event.proceeding_id == proceeding_id).order_by(Event.id)
        )
    )
    position = {event.id: index for index, event in enumerate(events)}
    deadlines = db.session.scalars(
        db.select(Deadline).where(Deadline.proceeding_id == proceeding_id).order_by(Deadline.id)
    )
    stays = db.session.scalars(
        db.select(StageStay)
        .where(StageStay.proceeding_id == proceeding_id)
        .order_by(StageStay.event_id)
    )
    return {
        "proceeding": (
            proceeding.route,
            proceeding.stage,
            proceeding.opened_on,
            proceeding.closed_on,
            proceeding.route_version,
            proceeding.version,
        ),
        "events": [
            (e.trigger, e.from_stage, e.to_stage, e.occurred_on, e.facts, e.note, e.actor_id)
            for e in events
        ],
        "deadlines": [
            (
                d.rule,
                d.stage,
                d.kind,
                d.party,
                d.legal_basis,
                d.verified,
                d.calendar,
                d.anchor_date,
                d.computed_due,
                d.due_date,
                d.latest_due,
                d.provisional,
                d.fingerprint,
                d.status,
                d.closed_on,
                d.sequence,
                position[d.event_id],
                position.get(d.closed_by_event_id),
            )
            for d in deadlines
        ],
        "stays": [
            (s.trigger, s.stage, s.entered_on, s.left_on, s.days, s.is_current) for s in stays
        ],
    }


LATE_RE = re.compile(r'name="late_confirmed" value="([^"]+)"')


def submit_step(client: FlaskClient, url: str, data: dict[str, Any]):
    """Post a case page's step form; a late filing, said beside its date, is then confirmed
    with the button the page offers, as a lawyer recording it anyway does."""
    response = submit(client, url, data)
    late = LATE_RE.search(response.get_data(as_text=True))
    if response.status_code == 200 and late:
        response = submit(client, url, {**data, "late_confirmed": late.group(1)})
    return response
