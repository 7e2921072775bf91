"""Hearings and appointments in the calendar feeds, fetched over HTTP as a calendar app does:
timed events in their zone, cancelled ones kept as CANCELLED, edits raising SEQUENCE and the
ETag, only the cases the owner may see, redacted as deadlines are, filtered as documented in
feeds/entries.py; and one hearing downloaded as a file from the case page."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from litigation.cases.hearings import add_hearing
from litigation.cases.operations import fire
from litigation.db import db, utcnow
from litigation.feeds import create_feed
from litigation.models import AuditEntry, AuditKind, FeedKind, Hearing, Role

from ..conftest import TODAY, post_form, sign_in
from .test_feeds import SURVIVOR, counting_queries, events, parse
from .test_ical_hearings import read_own_zones

D = dt.date
# A hearing is never added in the past (by the real clock); the feeds run on the tests' TODAY.
SOON = max(dt.date.today(), TODAY) + dt.timedelta(days=30)
PLACE = "Алмалинский районный суд, зал 4"
ATTENDEES = "Адвокат Ахметова"
NOTES = "Взять заключение судмедэксперта"
REPORTED = {"facts": {"reported_on": D(2026, 1, 12)}}
COURT = {
    "kind": "court",
    "starts_on": SOON,
    "starts_at": dt.time(10, 30),
    "duration_minutes": 90,
    "place": PLACE,
    "attendees": ATTENDEES,
    "notes": NOTES,
}


@pytest.fixture
def admin(mini_app, create_user_):
    return create_user_(Role.ADMIN)


@pytest.fixture
def kz_case(mini_registry, create_case, lawyer):
    # Consent to sharing: a feed with names may then name the survivor (cases/consents.py).
    case, _ = create_case(
        mini_registry,
        "domestic",
        team=[lawyer],
        survivor_name=SURVIVOR,
        consents=("litigation", "sharing"),
        **REPORTED,
    )
    return case


def hearing(case, **changes) -> Hearing:
    """A hearing added to the case as the hearing form adds it."""
    added = add_hearing(case, {**COURT, **changes}, actor=None)
    db.session.commit()
    return added


def past_hearing(case, on: dt.date, cancelled_at: dt.datetime | None = None) -> Hearing:
    """A hearing that took place (the form refuses to add one in the past)."""
    row = Hearing(
        case=case,
        kind="interrogation",
        starts_on=on,
        starts_at=dt.time(9, 0),
        zone="Asia/Almaty",
        cancelled_at=cancelled_at,
    )
    db.session.add(row)
    db.session.commit()
    return row


def feed(owner, actor=None, **kw) -> str:
    kw.setdefault("kind", FeedKind.MINE)
    _subscription, token = create_feed(owner, actor or owner, **kw)
    db.session.commit()
    return f"/calendars/{token}.ics"


def hearing_events(client, url: str, **headers) -> dict:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return {uid: e for uid, e in events(response.data).items() if uid.startswith("hearing-")}


def utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


@pytest.mark.parametrize(("jurisdiction", "zone"), [("KZ", "Asia/Almaty"), ("TJ", "Asia/Dushanbe")])
def test_a_hearing_is_a_timed_event_at_its_instant_in_the_zone_of_its_case(
    mini_client, lawyer, kz_case, jurisdiction, zone
):
    kz_case.jurisdiction = jurisdiction
    db.session.commit()
    added = hearing(kz_case)
    response = mini_client.get(feed(lawyer))
    expected = utc(dt.datetime.combine(SOON, dt.time(10, 30), ZoneInfo(zone)))
    cal = parse(response.data)
    [event] = [e for e in cal.walk("VEVENT") if str(e["UID"]).startswith("hearing-")]
    assert str(event["UID"]) == f"hearing-{added.id}@localhost"
    assert event["DTSTART"].params["TZID"] == zone
    assert [tz.tz_name for tz in cal.timezones] == [zone]
    assert (utc(event.start), utc(event.end)) == (expected, expected + dt.timedelta(minutes=90))
    vcal = read_own_zones(response.data)  # placed by the VTIMEZONE in the file
    [vevent] = [e for e in vcal.vevent_list if e.uid.value.startswith("hearing-")]
    assert utc(vevent.dtstart.value) == expected
    assert [a["TRIGGER"].dt for a in event.walk("VALARM")] == [
        -dt.timedelta(days=1),
        -dt.timedelta(hours=1),
    ]


def test_an_edit_raises_the_sequence_and_a_cancellation_keeps_it_as_cancelled(
    mini_client, lawyer, kz_case
):
    added = hearing(kz_case)
    url = feed(lawyer)
    before = mini_client.get(url)
    [first] = [e for uid, e in events(before.data).items() if uid.startswith("hearing-")]
    assert (first["SEQUENCE"], str(first["STATUS"])) == (0, "CONFIRMED")
    sign_in(mini_client, lawyer)
    edit = f"/cases/{kz_case.id}/hearings/{added.id}/edit"
    moved = {**COURT, "starts_on": SOON.isoformat(), "starts_at": "14:00", "version": "1"}
    assert post_form(mini_client, edit, moved).status_code == 302

    edited = mini_client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert edited.status_code == 200 and edited.headers["ETag"] != before.headers["ETag"]
    [second] = hearing_events(mini_client, url).values()
    assert second["SEQUENCE"] == 1 and second.start.time() == dt.time(14, 0)
    # Stamped by the edit (the file says it to the second, as iCalendar does).
    stamped = db.session.get(Hearing, added.id).updated_at
    assert stamped > added.created_at
    assert second["LAST-MODIFIED"].dt == utc(stamped).replace(microsecond=0)
    assert second["DTSTAMP"].dt == second["LAST-MODIFIED"].dt

    cancel = f"/cases/{kz_case.id}/hearings/{added.id}/cancel"
    post_form(mini_client, cancel, {"version": "2"}, form_url=f"/cases/{kz_case.id}")
    cancelled = mini_client.get(url, headers={"If-None-Match": edited.headers["ETag"]})
    assert cancelled.status_code == 200
    [third] = hearing_events(mini_client, url).values()
    assert (third["SEQUENCE"], str(third["STATUS"])) == (2, "CANCELLED")
    assert third.walk("VALARM") == []
    assert str(third["SUMMARY"]).startswith("Cancelled: ")


def test_past_hearings_stay_a_month_and_cancelled_ones_a_month_after_the_cancellation(
    mini_client, lawyer, kz_case
):
    recent = past_hearing(kz_case, TODAY - dt.timedelta(days=20))
    past_hearing(kz_case, TODAY - dt.timedelta(days=40))
    long_cancelled = hearing(kz_case)
    long_cancelled.cancelled_at = utcnow() - dt.timedelta(days=400)
    db.session.commit()
    found = hearing_events(mini_client, feed(lawyer))
    assert set(found) == {f"hearing-{recent.id}@localhost"}
    assert str(found[f"hearing-{recent.id}@localhost"]["STATUS"]) == "CONFIRMED"


def test_the_hearings_of_a_case_the_owner_cannot_see_are_absent(
    mini_client, mini_registry, create_case, create_user_, lawyer, kz_case
):
    mine = hearing(kz_case)
    other_case, _ = create_case(
        mini_registry, "domestic", team=[create_user_(Role.LAWYER)], **REPORTED
    )
    hearing(other_case)
    url = feed(lawyer, kind=FeedKind.TEAM)
    assert set(hearing_events(mini_client, url)) == {f"hearing-{mine.id}@localhost"}
    # Access is recomputed at every fetch: taken off the case, the lawyer stops seeing it.
    kz_case.team = []
    db.session.commit()
    assert hearing_events(mini_client, url) == {}


def test_a_feed_without_names_carries_no_name_place_attendees_or_notes(
    mini_client, lawyer, admin, kz_case
):
    hearing(kz_case)
    data = mini_client.get(feed(lawyer)).data
    for secret in (SURVIVOR, PLACE, ATTENDEES, NOTES):
        assert secret.encode() not in data
    assert b"LOCATION" not in data
    [event] = hearing_events(mini_client, feed(lawyer)).values()
    assert str(event["SUMMARY"]) == f"{kz_case.reference} · Court hearing"
    assert f"http://localhost/cases/{kz_case.id}" in str(event["DESCRIPTION"])

    [named] = hearing_events(mini_client, feed(lawyer, admin, with_names=True)).values()
    assert str(named["SUMMARY"]) == f"{kz_case.reference} · Court hearing · {SURVIVOR}"
    assert str(named["LOCATION"]) == PLACE
    assert ATTENDEES in str(named["DESCRIPTION"]) and NOTES in str(named["DESCRIPTION"])


def test_a_feed_with_names_keeps_a_hearing_redacted_without_consent_to_sharing(
    mini_client, mini_registry, create_case, lawyer, admin
):
    case, _ = create_case(
        mini_registry, "domestic", team=[lawyer], survivor_name=SURVIVOR, **REPORTED
    )
    hearing(case)

    data = mini_client.get(feed(lawyer, admin, with_names=True)).data

    for secret in (SURVIVOR, PLACE, ATTENDEES, NOTES):
        assert secret.encode() not in data


@pytest.mark.parametrize(
    ("language", "summary", "alarm"),
    [
        ("ru", "Судебное заседание", "через 1 час"),
        ("en", "Court hearing", "in 1 hour"),
    ],
)
def test_hearings_speak_the_subscriber_s_language(
    mini_client, mini_registry, create_case, create_user_, language, summary, alarm
):
    subscriber = create_user_(Role.LAWYER, language=language)
    case, _ = create_case(mini_registry, "domestic", team=[subscriber], **REPORTED)
    hearing(case, duration_minutes=None)
    other = "en" if language == "ru" else "ru"
    [event] = hearing_events(mini_client, feed(subscriber), **{"Accept-Language": other}).values()
    assert str(event["SUMMARY"]) == f"{case.reference} · {summary}"
    assert str(event.walk("VALARM")[1]["DESCRIPTION"]).endswith(alarm)
    assert event.end - event.start == dt.timedelta(hours=1)  # no duration given
    unknown = {"ru": "Продолжительность не указана", "en": "Duration not recorded"}[language]
    assert unknown in str(event["DESCRIPTION"])


def test_the_reminder_events_option_adds_the_day_before(mini_client, lawyer, kz_case):
    added = hearing(kz_case)
    found = hearing_events(mini_client, feed(lawyer, reminder_events=True))
    reminder = found[f"hearing-{added.id}-reminder-1@localhost"]
    assert reminder.start == SOON - dt.timedelta(days=1)
    assert str(reminder["SUMMARY"]).startswith("in 1 day, 10:30: ")
    assert len(hearing_events(mini_client, feed(lawyer))) == 1


def test_hearings_add_one_query_to_a_feed_whatever_their_number(
    mini_client, mini_registry, create_case, create_user_
):
    counts = []
    for size in (2, 20):
        owner = create_user_(Role.LAWYER)
        case, _ = create_case(mini_registry, "domestic", team=[owner], **REPORTED)
        for _ in range(size):
            hearing(case)
        url = feed(owner, reminder_events=True)
        db.session.expire_all()
        with counting_queries() as statements:
            found = hearing_events(mini_client, url)
        assert len(found) == size * 2
        counts.append(len(statements))
    assert counts[0] == counts[1]


def _give_up(mini_registry, proceeding) -> None:
    """Close the domestic route, which opens the UN one in its first stage."""
    facts = {"decided_on": D(2026, 3, 2), "learned_on": D(2026, 3, 2), "outcome": "refused"}
    fire(
        mini_registry, proceeding, "decide", actor=None, occurred_on=None, today=TODAY, facts=facts
    )
    fire(mini_registry, proceeding, "give_up", actor=None, occurred_on=D(2026, 3, 5), today=TODAY)
    db.session.commit()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"reported", "preparing", "handed-over", "tj"}),
        ({"jurisdiction": "KZ"}, {"reported", "preparing", "handed-over"}),
        ({"lawyer": "first"}, {"reported", "handed-over"}),
        # Cases with an open proceeding on the route, or in the stage: a closed one counts not.
        ({"route": "domestic"}, {"reported"}),
        ({"route": "un"}, {"preparing", "handed-over", "tj"}),
        ({"stage": "preparing"}, {"preparing", "handed-over", "tj"}),
        ({"stage": "reported"}, {"reported"}),
        # Route and stage are those of one and the same proceeding.
        ({"route": "domestic", "stage": "preparing"}, set()),
    ],
)
def test_hearings_follow_the_feed_s_filters_through_their_case(
    mini_client, mini_registry, create_case, create_user_, filters, expected
):
    coordinator = create_user_(Role.COORDINATOR)
    first, second = create_user_(Role.LAWYER), create_user_(Role.LAWYER)
    un = {"facts": {"final_domestic_decision_on": D(2026, 1, 10)}}
    reported, _ = create_case(mini_registry, "domestic", team=[first], **REPORTED)
    preparing, _ = create_case(mini_registry, "un", team=[second], **un)
    handed_over, domestic = create_case(mini_registry, "domestic", team=[first], **REPORTED)
    _give_up(mini_registry, domestic)
    tj, _ = create_case(mini_registry, "un", team=[second], **un)
    tj.jurisdiction = "TJ"
    db.session.commit()
    names = {
        hearing(case).id: name
        for case, name in [
            (reported, "reported"),
            (preparing, "preparing"),
            (handed_over, "handed-over"),
            (tj, "tj"),
        ]
    }
    if "lawyer" in filters:
        filters = {**filters, "lawyer": first}
    found = hearing_events(mini_client, feed(coordinator, kind=FeedKind.TEAM, **filters))
    shown = {names[int(uid.split("@")[0].removeprefix("hearing-"))] for uid in found}
    assert shown == expected


def test_a_case_feed_carries_that_case_s_hearings_only(
    mini_client, mini_registry, create_case, lawyer, kz_case
):
    added = hearing(kz_case)
    other, _ = create_case(mini_registry, "domestic", team=[lawyer], **REPORTED)
    hearing(other)
    url = feed(lawyer, kind=FeedKind.CASE, case=kz_case)
    assert set(hearing_events(mini_client, url)) == {f"hearing-{added.id}@localhost"}


def test_one_hearing_downloads_as_an_ics_file_redacted_and_on_the_trail(
    mini_app, mini_client, create_user_, lawyer, kz_case
):
    added = hearing(kz_case)
    url = f"/calendars/hearing/{added.id}.ics"
    assert mini_client.get(url).status_code == 302  # sign in first
    stranger = mini_app.test_client()
    sign_in(stranger, create_user_(Role.LAWYER))
    assert stranger.get(url).status_code == 404
    assert stranger.get("/calendars/hearing/99999.ics").status_code == 404
    sign_in(mini_client, lawyer)
    page = mini_client.get(f"/cases/{kz_case.id}").get_data(as_text=True)
    assert f'href="{url}"' in page.split('id="hearings"')[1]
    response = mini_client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="hearing-{added.id}.ics"' in response.headers["Content-Disposition"]
    assert list(events(response.data)) == [f"hearing-{added.id}@localhost"]
    assert b"BEGIN:VTIMEZONE" in response.data
    for secret in (SURVIVOR, PLACE, ATTENDEES, NOTES):
        assert secret.encode() not in response.data
    kept = mini_client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert kept.status_code == 304  # the browser kept its copy: no second download
    query = db.select(AuditEntry).where(AuditEntry.kind == AuditKind.DOWNLOAD)
    [entry] = db.session.scalars(query)
    assert (entry.actor_id, entry.case_id) == (lawyer.id, kz_case.id)
    assert entry.details == {"what": "ics", "hearing": added.id}
    reader = mini_app.test_client()
    reader.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(reader, create_user_(Role.ADMIN, language="en"))
    trail = reader.get("/admin/audit").get_data(as_text=True)
    assert f"calendar file of hearing #{added.id}" in trail


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Calendars of deadlines and hearings", "hearings and appointments"]),
        ("ru", ["Календари сроков, заседаний и встреч", "заседания и встречи"]),
    ],
)
def test_the_calendars_page_says_feeds_carry_hearings(mini_client, create_user_, language, words):
    sign_in(mini_client, create_user_(Role.LAWYER, language=language))
    mini_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    page = mini_client.get("/calendars").get_data(as_text=True)
    assert all(word in page for word in words), words
