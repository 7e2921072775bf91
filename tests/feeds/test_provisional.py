"""A date that may still move says so, and why, on the case page, on My work and in the feed."""

from __future__ import annotations

import datetime as dt

import icalendar

from litigation.cases import fire
from litigation.db import db
from litigation.feeds import create_feed
from litigation.models import FeedKind, Role

from ..conftest import TODAY, sign_in

D = dt.date
# minimal.yaml's KZ calendar names no decree year: every KZ date there is provisional.
PROVISIONAL = (
    "Provisional: no Government decree on days off for 2026 is known yet; "
    "the date may move if the Government decrees a transfer."
)


def _appeal_open(mini_registry, create_case, lawyer):
    case, proceeding = create_case(
        mini_registry, "domestic", team=[lawyer], facts={"reported_on": D(2026, 1, 12)}
    )
    facts = {"decided_on": D(2026, 3, 5), "learned_on": D(2026, 3, 10), "outcome": "refused"}
    fire(
        mini_registry, proceeding, "decide", actor=None, occurred_on=None, today=TODAY, facts=facts
    )
    db.session.commit()
    return case


def test_a_provisional_date_says_why_on_the_case_page_and_in_the_feed(
    mini_app, mini_registry, create_case, create_user_
):
    lawyer = create_user_(Role.LAWYER, language="en")
    case = _appeal_open(mini_registry, create_case, lawyer)
    client = mini_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, lawyer)

    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    _subscription, token = create_feed(lawyer, lawyer, kind=FeedKind.MINE)
    db.session.commit()
    feed = icalendar.Calendar.from_ical(client.get(f"/calendars/{token}.ics").data)
    [event] = feed.walk("VEVENT")

    assert PROVISIONAL in page
    assert PROVISIONAL in str(event["DESCRIPTION"]).replace("\n", " ")


def test_a_provisional_date_says_why_in_russian(mini_app, mini_registry, create_case, create_user_):
    lawyer = create_user_(Role.LAWYER, language="ru")
    case = _appeal_open(mini_registry, create_case, lawyer)
    client = mini_app.test_client()
    sign_in(client, lawyer)

    page = client.get(f"/cases/{case.id}").get_data(as_text=True)

    assert "Предварительно: постановление Правительства о переносе выходных на 2026 год" in page
