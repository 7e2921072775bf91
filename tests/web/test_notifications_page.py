"""Each person's e-mail settings on /notifications: saved as chosen, wrong values refused
beside their fields with what was typed kept, a stale page refused, names left to admins."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from litigation.db import db
from litigation.models import AuditEntry, AuditKind, Role, User

from ..conftest import csrf_token, post_form, sign_in

URL = "/notifications"
SAVED = {
    "email_reminders": "y",
    "digest": "off",
    "digest_weekday": "0",
    "digest_hour": "8",
    "time_zone": "Asia/Almaty",
    "quiet_from": "",
    "quiet_until": "",
}


@pytest.fixture
def lawyer(mini_app, create_user_):
    return create_user_(Role.LAWYER, language="en", name="Erlan")


def _save(client, **changes):
    data = {**SAVED, **changes}
    return post_form(client, URL, {k: v for k, v in data.items() if v is not None})


def _stored(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def _error_beside(page: str, name: str) -> str:
    found = re.search(
        rf'<select id="{name}".*?</select>\s*(?:<small.*?</small>\s*)?'
        r'<p class="error" role="alert">(.*?)</p>',
        page,
        re.S,
    )
    assert found, f"no error beside {name}"
    return found.group(1)


def _selected(page: str, name: str) -> str:
    select_ = re.search(rf'<select id="{name}" name="{name}">(.*?)</select>', page, re.S)
    assert select_, f"no select {name}"
    return re.search(r'<option selected value="([^"]*)"', select_.group(1)).group(1)


def test_the_page_shows_the_address_and_explains_the_messages(mini_client, lawyer):
    sign_in(mini_client, lawyer)

    page = mini_client.get(URL).get_data(as_text=True)

    assert lawyer.email in page
    assert "on the day it is due" in page
    assert "never carry a survivor’s name" in page and "Only an admin can change this." in page
    assert 'name="team_digest"' not in page  # a lawyer gets no team digest
    assert 'href="/notifications"' in mini_client.get("/account").get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "stored"),
    [
        ({"email_reminders": None}, {"email_reminders": False}),
        ({"digest": "daily"}, {"digest": "daily"}),
        ({"digest": "weekly", "digest_weekday": "4"}, {"digest": "weekly", "digest_weekday": 4}),
        ({"digest_hour": "19"}, {"digest_hour": 19}),
        ({"time_zone": "Europe/Geneva"}, {"time_zone": "Europe/Geneva"}),
        ({"quiet_from": "22", "quiet_until": "7"}, {"quiet_from": 22, "quiet_until": 7}),
    ],
)
def test_a_lawyer_saves_each_setting(mini_client, lawyer, changes, stored):
    sign_in(mini_client, lawyer)

    saved = _save(mini_client, **changes)

    assert saved.status_code == 302
    user = _stored(lawyer)
    assert {name: getattr(user, name) for name in stored} == stored
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.kind == AuditKind.NOTIFICATIONS_CHANGED)
    ).one()
    assert sorted(entry.details["fields"]) == sorted(stored)
    assert entry.user_id == lawyer.id and entry.actor_id == lawyer.id


def test_saving_unchanged_settings_writes_no_audit_entry(mini_client, lawyer):
    sign_in(mini_client, lawyer)

    assert _save(mini_client).status_code == 302

    kinds = set(db.session.scalars(select(AuditEntry.kind)))
    assert AuditKind.NOTIFICATIONS_CHANGED not in kinds


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"digest_hour": "25"}, "digest_hour", "Choose an hour from 0 to 23."),
        ({"digest_hour": "eight"}, "digest_hour", "Choose an hour from 0 to 23."),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Choose a time zone from the list."),
        ({"digest_weekday": "9"}, "digest_weekday", "Choose a day of the week."),
        ({"digest": "hourly"}, "digest", "Choose off, daily or weekly."),
        (
            {"quiet_from": "22", "quiet_until": ""},
            "quiet_until",
            "Give both ends of the quiet hours, or leave both empty for none.",
        ),
        (
            {"quiet_from": "", "quiet_until": "6"},
            "quiet_from",
            "Give both ends of the quiet hours, or leave both empty for none.",
        ),
        (
            {"quiet_from": "3", "quiet_until": "3"},
            "quiet_until",
            "The quiet hours cannot start and end at the same hour.",
        ),
    ],
)
def test_a_wrong_value_is_refused_beside_its_field(mini_client, lawyer, changes, field, message):
    sign_in(mini_client, lawyer)

    refused = _save(mini_client, **{"digest": "daily", "digest_hour": "20", **changes})

    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert _error_beside(page, field) == message
    if field != "digest":
        assert _selected(page, "digest") == "daily"  # what was typed is kept
    if field != "digest_hour":
        assert _selected(page, "digest_hour") == "20"
    user = _stored(lawyer)
    assert (user.digest, user.digest_hour) == ("off", 8)  # nothing saved


def test_a_save_from_a_stale_page_is_refused_and_keeps_the_input(mini_app, lawyer):
    first, second = mini_app.test_client(), mini_app.test_client()
    sign_in(first, lawyer)
    sign_in(second, lawyer)
    stale = first.get(URL).get_data(as_text=True)
    loaded = re.search(r'name="loaded" type="hidden" value="([^"]*)"', stale).group(1)
    token = csrf_token(first, URL)
    assert _save(second, digest="weekly").status_code == 302

    refused = first.post(
        URL, data={**SAVED, "digest_hour": "6", "loaded": loaded, "csrf_token": token}
    )
    page = refused.get_data(as_text=True)
    again = re.search(r'name="loaded" type="hidden" value="([^"]*)"', page).group(1)
    saved = first.post(
        URL, data={**SAVED, "digest_hour": "6", "loaded": again, "csrf_token": token}
    )

    assert refused.status_code == 409
    assert "saved from another window" in page and _selected(page, "digest_hour") == "6"
    assert saved.status_code == 302
    assert (_stored(lawyer).digest, _stored(lawyer).digest_hour) == ("off", 6)


def test_a_lawyer_cannot_let_names_into_their_e_mails(mini_client, lawyer):
    sign_in(mini_client, lawyer)

    saved = _save(mini_client, names_in_email="y")

    assert saved.status_code == 302
    assert _stored(lawyer).names_in_email is False


def test_a_coordinator_turns_the_team_digest_off(mini_client, create_user_):
    coordinator = create_user_(Role.COORDINATOR, language="en")
    sign_in(mini_client, coordinator)
    assert 'name="team_digest"' in mini_client.get(URL).get_data(as_text=True)

    assert _save(mini_client).status_code == 302  # team_digest unticked

    assert _stored(coordinator).team_digest is False


def test_a_lawyer_s_posted_team_digest_changes_nothing(mini_client, lawyer):
    db.session.get(User, lawyer.id).team_digest = False
    db.session.commit()
    sign_in(mini_client, lawyer)

    assert _save(mini_client, team_digest="y").status_code == 302

    assert _stored(lawyer).team_digest is False


def test_the_page_needs_signing_in(mini_client):
    assert mini_client.get(URL).status_code == 302
