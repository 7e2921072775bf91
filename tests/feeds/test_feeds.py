"""Calendar feeds: the operations, the public feed over HTTP, the pages and the command line."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re

import icalendar
import pytest
import vobject
from sqlalchemy import event as sa_event

from litigation.cases.corrections import correct_event
from litigation.cases.operations import fire
from litigation.db import db
from litigation.errors import InvalidInput, NotAllowed
from litigation.feeds import (
    create_feed,
    deadlines_for_feed,
    feed_by_token,
    mark_fetched,
    revoke_feed,
    rotate_feed,
)
from litigation.models import Deadline, FeedKind, FeedSubscription, Role

from ..conftest import TODAY, post_form, sign_in

D = dt.date
SURVIVOR = "Асхат Нурланов"


def parse(data: bytes) -> icalendar.Calendar:
    """Read a feed with icalendar and, independently, with vobject; both must accept it."""
    vobject.readOne(data.decode("utf-8"))
    return icalendar.Calendar.from_ical(data)


def events(data: bytes) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in parse(data).walk("VEVENT")}


@pytest.fixture
def lawyer(mini_app, create_user_):
    """An English-speaking lawyer, so that pages and feeds read in English."""
    return create_user_(Role.LAWYER, language="en")


@pytest.fixture
def admin(mini_app, create_user_):
    return create_user_(Role.ADMIN)


@pytest.fixture
def un_case(mini_registry, create_case):
    """Factory: a UN case whose five-year warning is open from the start."""

    def make(team, **kw):
        kw.setdefault("facts", {"final_domestic_decision_on": D(2026, 1, 10)})
        return create_case(mini_registry, "un", team=team, survivor_name=SURVIVOR, **kw)

    return make


LEARNED = D(2026, 3, 10)


def _decided(mini_registry, create_case, team, learned=LEARNED):
    """A domestic case with its appeal deadline open; returns (case, proceeding, event)."""
    case, proceeding = create_case(
        mini_registry, "domestic", team=team, facts={"reported_on": D(2026, 1, 12)}
    )
    result = fire(
        mini_registry,
        proceeding,
        "decide",
        actor=None,
        occurred_on=None,
        today=TODAY,
        facts={"decided_on": learned, "learned_on": learned, "outcome": "refused"},
    )
    db.session.commit()
    return case, proceeding, result.event


def _feed(owner, actor=None, **kw):
    kw.setdefault("kind", FeedKind.MINE)
    subscription, token = create_feed(owner, actor or owner, **kw)
    db.session.commit()
    return subscription, token


def _url(token: str) -> str:
    return f"/calendars/{token}.ics"


# Operations


def test_only_the_hash_of_the_token_is_stored(lawyer):
    subscription, token = _feed(lawyer)
    assert len(token) >= 43
    assert subscription.token_hash == hashlib.sha256(token.encode()).hexdigest()
    row = db.session.execute(db.select(FeedSubscription.__table__)).one()
    assert token not in [str(value) for value in row]


def test_a_token_opens_only_its_live_feed(lawyer, create_user_):
    subscription, token = _feed(lawyer)
    assert feed_by_token(token) is subscription
    assert feed_by_token(token[:-1]) is None
    assert feed_by_token("x" * 500) is None
    new_token = rotate_feed(subscription, lawyer)
    assert feed_by_token(token) is None and feed_by_token(new_token) is subscription
    revoke_feed(subscription, lawyer)
    assert feed_by_token(new_token) is None


def test_a_deactivated_owner_s_feeds_stop(lawyer):
    _subscription, token = _feed(lawyer)
    lawyer.active = False
    db.session.commit()
    assert feed_by_token(token) is None


def test_a_lawyer_cannot_create_a_feed_over_a_case_they_cannot_see(lawyer, create_user_, un_case):
    case, _ = un_case([create_user_(Role.LAWYER)])
    with pytest.raises(NotAllowed):
        create_feed(lawyer, lawyer, kind=FeedKind.CASE, case=case)
    with pytest.raises(InvalidInput):
        create_feed(lawyer, lawyer, kind=FeedKind.CASE)


def test_only_an_admin_may_put_names_in_a_feed(lawyer, admin, create_user_):
    for actor in (lawyer, create_user_(Role.COORDINATOR)):
        with pytest.raises(NotAllowed):
            create_feed(actor, actor, kind=FeedKind.MINE, with_names=True)
    subscription, _token = _feed(lawyer, admin, with_names=True)
    assert subscription.with_names and subscription.created_by is admin


def test_only_the_owner_or_an_admin_manages_a_feed(lawyer, admin, create_user_):
    subscription, _token = _feed(lawyer)
    stranger = create_user_(Role.COORDINATOR)
    with pytest.raises(NotAllowed):
        rotate_feed(subscription, stranger)
    with pytest.raises(NotAllowed):
        revoke_feed(subscription, stranger)
    with pytest.raises(NotAllowed):
        create_feed(lawyer, stranger, kind=FeedKind.MINE)
    revoke_feed(subscription, admin)
    assert subscription.revoked_at is not None
    with pytest.raises(InvalidInput):
        rotate_feed(subscription, admin)


def test_a_team_feed_never_contains_a_case_the_owner_cannot_see(lawyer, create_user_, un_case):
    mine, _ = un_case([lawyer])
    un_case([create_user_(Role.LAWYER)])  # someone else's
    subscription, _token = _feed(lawyer, kind=FeedKind.TEAM)
    shown = {d.proceeding.case.reference for d in deadlines_for_feed(subscription, TODAY)}
    assert shown == {mine.reference}
    # Access is recomputed at every fetch: taken off the case, the lawyer stops seeing it.
    mine.team = []
    db.session.commit()
    assert deadlines_for_feed(subscription, TODAY) == []


def test_my_deadlines_are_those_of_my_cases_even_for_an_admin(admin, create_user_, un_case):
    assigned, _ = un_case([admin])
    un_case([create_user_(Role.LAWYER)])
    subscription, _token = _feed(admin)
    shown = {d.proceeding.case.reference for d in deadlines_for_feed(subscription, TODAY)}
    assert shown == {assigned.reference}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"kz-first", "kz-second", "tj"}),
        ({"jurisdiction": "KZ"}, {"kz-first", "kz-second"}),
        ({"lawyer": "first"}, {"kz-first"}),
        ({"route": "domestic"}, {"kz-second"}),
        ({"stage": "preparing"}, {"kz-first", "tj"}),
    ],
)
def test_a_team_feed_filters_by_route_jurisdiction_lawyer_and_stage(
    mini_registry, create_case, create_user_, un_case, filters, expected
):
    coordinator = create_user_(Role.COORDINATOR)
    first, second = create_user_(Role.LAWYER), create_user_(Role.LAWYER)
    names = {
        un_case([first])[0].reference: "kz-first",
        _decided(mini_registry, create_case, [second])[0].reference: "kz-second",
    }
    # Only the jurisdiction matters here: the minimal UN route is declared for KZ only.
    tj, _ = un_case([second])
    tj.jurisdiction = "TJ"
    db.session.commit()
    names[tj.reference] = "tj"
    if "lawyer" in filters:
        filters = {**filters, "lawyer": {"first": first}[filters["lawyer"]]}
    subscription, _token = _feed(coordinator, kind=FeedKind.TEAM, **filters)
    shown = {names[d.proceeding.case.reference] for d in deadlines_for_feed(subscription, TODAY)}
    assert shown == expected


def test_a_case_feed_shows_that_case_only(lawyer, un_case):
    case, _ = un_case([lawyer])
    un_case([lawyer])
    subscription, _token = _feed(lawyer, kind=FeedKind.CASE, case=case)
    assert {d.proceeding.case_id for d in deadlines_for_feed(subscription, TODAY)} == {case.id}


def _appeal(mini_registry, proceeding, on):
    fire(mini_registry, proceeding, "appeal", actor=None, occurred_on=on, today=TODAY)
    db.session.commit()


def test_recently_closed_deadlines_stay_as_cancelled_and_older_ones_go(
    mini_registry, create_case, lawyer
):
    _c, recent, _e = _decided(mini_registry, create_case, [lawyer], learned=D(2026, 11, 2))
    _appeal(mini_registry, recent, D(2026, 11, 10))
    _c, old, _e = _decided(mini_registry, create_case, [lawyer], learned=D(2026, 9, 1))
    _appeal(mini_registry, old, D(2026, 9, 10))
    subscription, _token = _feed(lawyer)
    [shown] = deadlines_for_feed(subscription, TODAY)
    assert (shown.proceeding_id, shown.is_open) == (recent.id, False)


def test_fetches_are_recorded_at_most_once_a_minute(lawyer):
    subscription, _token = _feed(lawyer)
    now = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
    assert mark_fetched(subscription, now)
    db.session.commit()
    assert not mark_fetched(subscription, now + dt.timedelta(seconds=59))
    assert mark_fetched(subscription, now + dt.timedelta(seconds=61))


# The feed over HTTP


def test_the_feed_is_public_text_calendar_with_cache_headers(mini_client, lawyer, un_case):
    un_case([lawyer])
    _subscription, token = _feed(lawyer)
    response = mini_client.get(_url(token))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "private, max-age=300"
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    assert "Set-Cookie" not in response.headers
    cal = parse(response.data)
    assert cal["X-WR-CALNAME"] == "My deadlines"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in response.data
    assert b"X-PUBLISHED-TTL:PT1H" in response.data


def test_a_feed_event_is_all_day_with_alarms_and_a_link(mini_client, lawyer, un_case):
    case, _ = un_case([lawyer])
    _subscription, token = _feed(lawyer)
    data = mini_client.get(_url(token)).data
    [event] = events(data).values()
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert event.start == D(2031, 1, 10)
    assert [a["TRIGGER"].dt.days for a in event.walk("VALARM")] == [-7, -1]
    assert f"http://localhost/cases/{case.id}" in str(event["DESCRIPTION"])
    assert "unverified rule" in str(event["DESCRIPTION"])  # the 5-year rule is unverified
    assert "warning" in str(event["DESCRIPTION"])


def test_uids_are_stable_across_requests(mini_client, lawyer, un_case):
    un_case([lawyer])
    un_case([lawyer])
    _subscription, token = _feed(lawyer)
    first = set(events(mini_client.get(_url(token)).data))
    ids = db.session.scalars(db.select(Deadline.id).order_by(Deadline.id)).all()
    assert first == {f"deadline-{i}@localhost" for i in ids}
    assert set(events(mini_client.get(_url(token)).data)) == first


def test_a_date_correction_moves_the_event_and_raises_its_sequence(
    mini_client, mini_registry, create_case, lawyer
):
    _case, _proceeding, decided = _decided(mini_registry, create_case, [lawyer])
    _subscription, token = _feed(lawyer)
    before = mini_client.get(_url(token))
    [(uid, event)] = events(before.data).items()
    assert (event.start, event["SEQUENCE"]) == (D(2026, 3, 26), 0)
    correct_event(
        mini_registry, decided, actor=None, changes={"occurred_on": D(2026, 3, 2)}, today=TODAY
    )
    db.session.commit()
    after = mini_client.get(_url(token), headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    [(same_uid, moved)] = events(after.data).items()
    assert same_uid == uid
    assert (moved.start, moved["SEQUENCE"]) == (D(2026, 3, 17), 1)


def test_a_repeated_request_gets_304_not_modified(mini_client, lawyer, un_case):
    un_case([lawyer])
    _subscription, token = _feed(lawyer)
    first = mini_client.get(_url(token))
    again = mini_client.get(_url(token), headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    other = mini_client.get(_url(token), headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200


def test_a_revoked_or_unknown_token_gives_404(mini_client, lawyer):
    subscription, token = _feed(lawyer)
    assert mini_client.get(_url(token)).status_code == 200
    revoke_feed(subscription, lawyer)
    db.session.commit()
    assert mini_client.get(_url(token)).status_code == 404
    assert mini_client.get(_url("not-a-token")).status_code == 404


def test_a_default_feed_names_no_survivor(mini_client, lawyer, admin, un_case):
    consents = ("litigation", "sharing")
    case, _ = un_case([lawyer], notes="Lives with her sister in Taraz", consents=consents)
    _s, plain = _feed(lawyer)
    data = mini_client.get(_url(plain)).data
    assert SURVIVOR.encode() not in data and b"Taraz" not in data
    assert case.reference.encode() in data
    _s, named = _feed(lawyer, admin, with_names=True)
    [event] = events(mini_client.get(_url(named)).data).values()
    assert SURVIVOR in str(event["SUMMARY"])
    assert "Lives with her sister in Taraz" in str(event["DESCRIPTION"])


@pytest.mark.parametrize(
    ("language", "summary", "english_words"),
    [
        ("ru", "Подача в ООН (5 лет) (Подготовка)", False),
        ("en", "Submission to the UN (5 years) (Preparing)", True),
    ],
)
def test_summaries_are_in_the_subscriber_s_language(
    mini_client, create_user_, un_case, language, summary, english_words
):
    subscriber = create_user_(Role.LAWYER, language=language)
    case, _ = un_case([subscriber])
    _s, token = _feed(subscriber)
    # The feed is fetched anonymously, with a browser asking for the other language.
    other = "en" if language == "ru" else "ru"
    response = mini_client.get(_url(token), headers={"Accept-Language": other})
    [event] = events(response.data).values()
    assert str(event["SUMMARY"]) == f"{case.reference} · {summary}"
    assert ("Legal basis" in str(event["DESCRIPTION"])) is english_words


def test_reminder_events_are_a_per_feed_option(mini_client, lawyer, un_case):
    un_case([lawyer])
    _s, plain = _feed(lawyer)
    _s, with_events = _feed(lawyer, reminder_events=True)
    assert len(events(mini_client.get(_url(plain)).data)) == 1
    found = events(mini_client.get(_url(with_events)).data)
    assert sorted(e.start for e in found.values()) == [
        D(2031, 1, 3),
        D(2031, 1, 9),
        D(2031, 1, 10),
    ]
    assert all(e["DTSTART"].params["VALUE"] == "DATE" for e in found.values())


@contextlib.contextmanager
def counting_queries():
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)


def test_a_feed_takes_the_same_few_queries_whatever_its_size(
    mini_client, create_user_, un_case, mini_registry, create_case
):
    counts = []
    for size in (2, 20):
        owner = create_user_(Role.LAWYER)
        for _ in range(size):
            un_case([owner])
            _decided(mini_registry, create_case, [owner])
        _s, token = _feed(owner, reminder_events=True)
        db.session.expire_all()
        with counting_queries() as statements:
            response = mini_client.get(_url(token))
        assert len(events(response.data)) == size * 2 * 3
        counts.append(len(statements))
    assert counts[0] == counts[1]
    # The token, the stamp, deadlines, hearings, the stamp again (before keeping the bytes),
    # and the fetch recorded.
    assert counts[1] <= 7


# Pages


def test_creating_a_feed_shows_its_address_once(mini_client, lawyer, un_case):
    un_case([lawyer])
    sign_in(mini_client, lawyer)
    response = post_form(
        mini_client, "/calendars", {"kind": "mine", "name": "Work"}, form_url="/calendars"
    )
    assert response.status_code == 302
    shown = mini_client.get(response.location)
    page = shown.get_data(as_text=True)
    [url] = set(re.findall(r">(http://localhost/calendars/[^<]+\.ics)</textarea>", page))
    assert f">webcal://{url.removeprefix('http://')}</textarea>" in page
    assert "12 to 24 hours" in page
    assert shown.headers["Cache-Control"] == "no-store"
    listing = mini_client.get("/calendars").get_data(as_text=True)
    assert "Work" in listing and url not in listing
    mini_client.post("/logout")  # the feed needs no session
    assert mini_client.get(url.removeprefix("http://localhost")).status_code == 200


def test_the_calendars_page_warns_that_clients_refresh_slowly(mini_client, lawyer):
    sign_in(mini_client, lawyer)
    page = mini_client.get("/calendars").get_data(as_text=True)
    assert "only every 12 to 24 hours" in page
    assert "with_names" not in page  # only admins are offered names


def test_the_page_shows_when_each_feed_was_last_fetched(mini_client, lawyer):
    _s, token = _feed(lawyer)
    sign_in(mini_client, lawyer)
    assert "never" in mini_client.get("/calendars").get_data(as_text=True)
    mini_client.get(_url(token))
    assert "never" not in mini_client.get("/calendars").get_data(as_text=True)


def test_a_feed_over_a_case_you_cannot_see_is_refused(mini_client, lawyer, create_user_, un_case):
    case, _ = un_case([create_user_(Role.LAWYER)])
    sign_in(mini_client, lawyer)
    response = post_form(mini_client, "/calendars", {"kind": "case", "case": case.reference})
    assert response.status_code == 400
    assert "No case you can see has this reference." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(FeedSubscription)) == 0


def test_a_lawyer_posting_with_names_is_refused(mini_client, lawyer):
    sign_in(mini_client, lawyer)
    response = post_form(mini_client, "/calendars", {"kind": "mine", "with_names": "y"})
    assert response.status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(FeedSubscription)) == 0


def test_rotating_gives_a_new_address_and_kills_the_old(mini_client, lawyer):
    subscription, token = _feed(lawyer)
    sign_in(mini_client, lawyer)
    confirm = f"/calendars/{subscription.id}/rotate"
    response = post_form(mini_client, confirm, {"confirmed": "yes"}, form_url=confirm)
    assert response.status_code == 302
    page = mini_client.get(response.location).get_data(as_text=True)
    [new] = set(re.findall(r"/calendars/([\w-]+)\.ics", page))
    assert mini_client.get(_url(token)).status_code == 404
    assert mini_client.get(_url(new)).status_code == 200


def test_an_admin_lists_and_revokes_anyone_s_feed(mini_client, lawyer, admin):
    subscription, token = _feed(lawyer, name="Lawyer's calendar")
    sign_in(mini_client, admin)
    page = mini_client.get("/calendars").get_data(as_text=True)
    assert "Lawyer&#39;s calendar" in page and lawyer.email in page
    url = f"/calendars/{subscription.id}/revoke"
    response = post_form(mini_client, url, {"confirmed": "yes"}, form_url=url)
    assert response.status_code == 302
    assert mini_client.get(_url(token)).status_code == 404


def test_nobody_else_can_revoke_a_feed(mini_client, lawyer, create_user_):
    subscription, token = _feed(lawyer)
    sign_in(mini_client, create_user_(Role.COORDINATOR))
    url = f"/calendars/{subscription.id}/revoke"
    assert mini_client.get(url).status_code == 404
    confirmed = post_form(mini_client, url, {"confirmed": "yes"}, form_url="/calendars")
    assert confirmed.status_code == 404
    assert mini_client.get(_url(token)).status_code == 200


def test_one_deadline_downloads_as_an_ics_file(
    mini_app, mini_client, lawyer, create_user_, un_case
):
    case, _ = un_case([lawyer])
    deadline = db.session.scalars(db.select(Deadline)).one()
    url = f"/calendars/deadline/{deadline.id}.ics"
    assert mini_client.get(url).status_code == 302  # sign in first
    stranger = mini_app.test_client()
    sign_in(stranger, create_user_(Role.LAWYER))
    assert stranger.get(url).status_code == 404
    sign_in(mini_client, lawyer)
    assert f'href="{url}"' in mini_client.get(f"/cases/{case.id}").get_data(as_text=True)
    response = mini_client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    assert list(events(response.data)) == [f"deadline-{deadline.id}@localhost"]
    assert SURVIVOR.encode() not in response.data


# Command line


def test_the_command_line_creates_a_named_team_feed_and_prints_its_address(
    mini_app, lawyer, un_case, monkeypatch
):
    un_case([lawyer])
    monkeypatch.setitem(mini_app.config, "PUBLIC_URL", "https://litigation.example.org")
    result = mini_app.test_cli_runner().invoke(
        args=["feed", "create", lawyer.email, "--jurisdiction", "KZ", "--with-names"]
    )
    assert result.exit_code == 0, result.output
    [url] = re.findall(
        r"^https://litigation\.example\.org/calendars/\S+\.ics$", result.output, re.M
    )
    assert "webcal://litigation.example.org/calendars/" in result.output
    subscription = feed_by_token(url.rsplit("/", 1)[1].removesuffix(".ics"))
    assert (subscription.kind, subscription.jurisdiction, subscription.with_names) == (
        "team",
        "KZ",
        True,
    )
    assert subscription.created_by is None


def test_the_command_line_makes_a_case_feed_and_revokes_by_address_or_number(
    mini_app, mini_client, lawyer, un_case
):
    case, _ = un_case([lawyer])
    runner = mini_app.test_cli_runner()
    result = runner.invoke(args=["feed", "create", lawyer.email, "--case", case.reference])
    assert result.exit_code == 0, result.output
    url = re.search(r"^http://127\.0\.0\.1:5000(/calendars/\S+\.ics)$", result.output, re.M)
    path = url.group(1)
    assert mini_client.get(path).status_code == 200
    revoked = runner.invoke(args=["feed", "revoke", url.group(0)])
    assert revoked.exit_code == 0, revoked.output
    assert mini_client.get(path).status_code == 404
    _s, token = _feed(lawyer)
    subscription = feed_by_token(token)
    assert runner.invoke(args=["feed", "revoke", str(subscription.id)]).exit_code == 0
    assert mini_client.get(_url(token)).status_code == 404


@pytest.mark.parametrize(
    "args",
    [
        ["feed", "create", "nobody@example.org"],
        ["feed", "create", "{email}", "--case", "NO-SUCH"],
        ["feed", "create", "{email}", "--route", "no_route"],
        ["feed", "create", "{email}", "--stage", "no_stage"],
        ["feed", "revoke", "https://x.example/calendars/unknown.ics"],
    ],
)
def test_the_command_line_refuses_bad_input(mini_app, lawyer, args):
    args = [a.format(email=lawyer.email) for a in args]
    result = mini_app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 2
    assert "error:" in result.output
