"""A feed answers from its stamp: 304 without building, the same stamp served from the bytes
kept, and every change to what the feed shows (or to who may see it) gives another stamp."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from litigation.accounts import update_user
from litigation.accounts.users import set_language
from litigation.cases.consents import withdraw_consent
from litigation.cases.corrections import correct_event
from litigation.cases.hearings import add_hearing, cancel_hearing, update_hearing
from litigation.cases.operations import fire, update_case
from litigation.cases.reassignment import reassign
from litigation.cases.survivors import update_survivor
from litigation.db import aware, db, utcnow
from litigation.feeds import create_feed, ical, revoke_feed, rotate_feed
from litigation.feeds.bodies import BodyCache
from litigation.feeds.stamps import latest_changes
from litigation.models import Case, Deadline, FeedKind, FeedSubscription, Role, User

from ..conftest import TODAY
from .test_feed_hearings import COURT
from .test_feeds import SURVIVOR, counting_queries

D = dt.date
NAMED = ("litigation", "sharing")  # sharing: a feed with names may name the survivor


@pytest.fixture
def world(mini_app, mini_registry, create_case, create_user_):
    """A lawyer's named team feed over two domestic cases (one decided, its appeal deadline open;
    one reported), a hearing on the first, and a third case with a hearing the lawyer is not
    on."""
    lawyer = create_user_(Role.LAWYER, language="en")
    admin = create_user_(Role.ADMIN)
    colleague = create_user_(Role.LAWYER)
    facts = {"facts": {"reported_on": D(2026, 1, 12)}}
    decided, proceeding = create_case(
        mini_registry, "domestic", team=[lawyer], survivor_name=SURVIVOR, consents=NAMED, **facts
    )
    step = fire(
        mini_registry,
        proceeding,
        "decide",
        actor=None,
        occurred_on=None,
        today=TODAY,
        facts={"decided_on": D(2026, 3, 10), "learned_on": D(2026, 3, 10), "outcome": "refused"},
    )
    reported, waiting = create_case(mini_registry, "domestic", team=[lawyer], **facts)
    other, _ = create_case(mini_registry, "domestic", team=[colleague], **facts)
    hearing = add_hearing(decided, COURT, actor=None)
    add_hearing(other, COURT, actor=None)  # shown once the lawyer joins its team
    subscription, token = create_feed(lawyer, admin, kind=FeedKind.TEAM, with_names=True)
    db.session.commit()
    return SimpleNamespace(
        registry=mini_registry,
        app=mini_app,
        lawyer=lawyer,
        admin=admin,
        colleague=colleague,
        decided=decided,
        proceeding=proceeding,
        step=step.event,
        reported=reported,
        waiting=waiting,
        other=other,
        hearing=hearing,
        subscription=subscription,
        url=f"/calendars/{token}.ics",
    )


def _refuse_to_build(monkeypatch) -> None:
    def refused(*_args, **_kwargs):
        raise AssertionError("the feed was built")

    monkeypatch.setattr(ical, "feed_ics", refused)


def test_a_304_is_answered_from_the_stamp_without_building(mini_client, world, monkeypatch):
    first = mini_client.get(world.url)
    assert first.status_code == 200
    _refuse_to_build(monkeypatch)
    with counting_queries() as statements:
        again = mini_client.get(world.url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == "private, max-age=300"
    # The token, the stamp; no deadline, hearing or consent is read (the fetch was recorded
    # by the first request less than a minute ago).
    assert len(statements) == 2
    assert not any("FROM deadlines" in s or "FROM hearings" in s for s in statements)


def test_if_modified_since_is_answered_from_the_stamp(mini_client, world, monkeypatch):
    first = mini_client.get(world.url)
    _refuse_to_build(monkeypatch)
    since = {"If-Modified-Since": first.headers["Last-Modified"]}
    assert mini_client.get(world.url, headers=since).status_code == 304


def test_the_same_stamp_is_served_from_the_kept_bytes(mini_client, world, monkeypatch):
    first = mini_client.get(world.url)
    _refuse_to_build(monkeypatch)
    second = mini_client.get(world.url)  # another client, or a poll with nothing changed
    assert second.status_code == 200 and second.data == first.data
    assert second.headers["ETag"] == first.headers["ETag"]


def test_a_fetch_is_still_recorded_when_answered_304(mini_client, world):
    first = mini_client.get(world.url)
    subscription = db.session.get(FeedSubscription, world.subscription.id)
    earlier = utcnow() - dt.timedelta(minutes=2)  # past the once-a-minute bound
    subscription.last_fetched_at = earlier
    db.session.commit()
    again = mini_client.get(world.url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    db.session.expire_all()
    assert aware(db.session.get(FeedSubscription, subscription.id).last_fetched_at) > earlier


def _correct_the_date(w):
    earlier = {"occurred_on": D(2026, 3, 2)}
    correct_event(w.registry, w.step, actor=None, changes=earlier, today=TODAY)


def _meet_the_deadline(w):
    fire(w.registry, w.proceeding, "appeal", actor=None, occurred_on=D(2026, 3, 20), today=TODAY)


def _open_a_deadline(w):
    learned = {"decided_on": D(2026, 4, 1), "learned_on": D(2026, 4, 1), "outcome": "refused"}
    fire(w.registry, w.waiting, "decide", actor=None, occurred_on=None, today=TODAY, facts=learned)


def _add_a_hearing(w):
    add_hearing(w.reported, COURT, actor=None)


def _move_the_hearing(w):
    moved = {**COURT, "starts_at": dt.time(14, 0)}
    update_hearing(w.hearing, moved, expected_version=None, actor=None)


def _cancel_the_hearing(w):
    cancel_hearing(w.hearing, expected_version=None, actor=None)


def _rename_the_survivor(w):
    survivor = w.decided.survivor
    update_survivor(
        survivor, {"name": "Айгерим Сапарова"}, expected_version=None, actor=None, today=TODAY
    )


def _withdraw_the_consent(w):
    [sharing] = [c for c in w.decided.consents if c.scope == "sharing"]
    withdraw_consent(
        sharing, {"withdrawn_on": TODAY}, expected_version=None, actor=None, today=TODAY
    )


def _raise_the_risk(w):
    details = {"name": SURVIVOR, "reprisal_risk": "high"}
    update_survivor(w.decided.survivor, details, expected_version=None, actor=None, today=TODAY)


def _leave_a_team(w):
    update_case(w.decided, {}, team=[w.colleague], actor=None, today=TODAY, registry=w.registry)


def _join_a_team(w):
    team = [w.colleague, w.lawyer]
    update_case(w.other, {}, team=team, actor=None, today=TODAY, registry=w.registry)


def _hand_over(w):
    reassign(w.decided, w.lawyer, w.colleague, actor=None, expected_version=w.decided.version)


def _change_the_role(w):
    lawyer = w.lawyer
    update_user(w.admin, lawyer, name=lawyer.name, role="coordinator", language="en", active=True)


def _change_the_language(w):
    set_language(w.lawyer, "ru")


@pytest.mark.parametrize(
    "change",
    [
        _correct_the_date,
        _meet_the_deadline,
        _open_a_deadline,
        _add_a_hearing,
        _move_the_hearing,
        _cancel_the_hearing,
        _rename_the_survivor,
        _withdraw_the_consent,
        _raise_the_risk,
        _leave_a_team,
        _join_a_team,
        _hand_over,
        _change_the_role,
        _change_the_language,
    ],
)
def test_each_change_gives_another_stamp(mini_client, world, change):
    before = mini_client.get(world.url)
    change(world)
    db.session.commit()
    after = mini_client.get(world.url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.data != before.data


def test_the_next_day_gives_another_stamp(mini_client, world, monkeypatch):
    before = mini_client.get(world.url)
    monkeypatch.setitem(world.app.config, "TODAY", TODAY + dt.timedelta(days=1))
    after = mini_client.get(world.url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]


def test_nothing_changed_keeps_the_stamp_even_after_an_unrelated_case_moves(mini_client, world):
    before = mini_client.get(world.url)
    update_case(world.other, {"authority": "Прокуратура"}, actor=None, today=TODAY)
    db.session.commit()
    again = mini_client.get(world.url, headers={"If-None-Match": before.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("how", ["revoked", "rotated", "deactivated"])
def test_a_feed_closed_to_its_address_answers_404_whatever_the_client_holds(
    mini_client, world, how
):
    before = mini_client.get(world.url)
    if how == "revoked":
        revoke_feed(world.subscription, world.admin)
    elif how == "rotated":
        token = rotate_feed(world.subscription, world.admin)
    else:
        lawyer = world.lawyer
        details = {"name": lawyer.name, "role": "lawyer", "language": "en"}
        update_user(world.admin, lawyer, **details, active=False)
    db.session.commit()
    held = {"If-None-Match": before.headers["ETag"]}
    assert mini_client.get(world.url, headers=held).status_code == 404
    if how == "rotated":
        fresh = mini_client.get(f"/calendars/{token}.ics", headers=held)
        assert fresh.status_code == 200 and fresh.headers["ETag"] != before.headers["ETag"]


def test_stamping_a_case_never_moves_its_version(mini_client, world):
    """A colleague's case form stays valid while steps are taken on the case."""
    shown = world.decided.version
    _meet_the_deadline(world)
    db.session.commit()
    assert db.session.get(Case, world.decided.id).version == shown
    update_case(world.decided, {"authority": "ДП"}, expected_version=shown, actor=None)
    db.session.commit()


def test_the_stamp_query_reads_no_deadline(mini_client, world):
    """The stamp reads cases and users only, whatever the feed's size."""
    assert db.session.scalar(db.select(db.func.count(Deadline.id))) >= 1
    assert world.subscription.owner.role == Role.LAWYER  # loaded before counting
    with counting_queries() as statements:
        cases_at, access_at = latest_changes(world.subscription)
    assert len(statements) == 1 and cases_at and access_at
    assert "deadlines" not in statements[0] and "hearings" not in statements[0]


def test_the_kept_bytes_are_bounded_least_recently_used_first():
    cache = BodyCache(max_bytes=10)
    cache.put((1, "a"), b"1234")
    cache.put((2, "a"), b"5678")
    assert cache.get((1, "a")) == b"1234"  # now the most recently used
    cache.put((3, "a"), b"90")
    cache.put((4, "a"), b"xx")  # 12 bytes: the least recently used, feed 2, goes
    assert cache.get((2, "a")) is None and cache.get((1, "a")) == b"1234"
    assert cache.size == 8
    cache.put((1, "b"), b"new")  # a new stamp of feed 1 replaces its old bytes
    assert cache.get((1, "a")) is None and cache.get((1, "b")) == b"new"
    cache.put((5, "a"), b"x" * 11)  # larger than the bound: not kept
    assert cache.get((5, "a")) is None


def test_a_user_added_through_the_orm_is_stamped(mini_app, create_user_):
    user = create_user_(Role.STAFF)
    assert db.session.get(User, user.id).access_changed_at is not None
