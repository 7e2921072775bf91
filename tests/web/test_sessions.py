"""Sessions that end: signing out, a password change, deactivation and an admin's "sign out
everywhere" end the session and its remember-me cookie on the server; idle sessions expire."""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.db import db, utcnow
from litigation.models import Role, User, UserSession

from ..conftest import PASSWORD, csrf_token, post_form, sign_in


@pytest.fixture
def lawyer(mini_app, create_user_):
    return create_user_(Role.LAWYER, language="en")


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


def _cookie(client, name: str) -> str:
    return client.get_cookie(name).value


def _sign_in(client, user, remember=False):
    token = csrf_token(client, "/login")
    data = {"email": user.email, "password": PASSWORD, "csrf_token": token}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data)


def test_a_session_cookie_kept_from_before_signing_out_no_longer_works(mini_app, lawyer):
    client = mini_app.test_client()
    sign_in(client, lawyer)
    stolen = _cookie(client, "session")

    post_form(client, "/logout", {}, form_url="/")
    replayed = mini_app.test_client()
    replayed.set_cookie("session", stolen)

    assert not _signed_in(replayed)


def test_a_remember_me_cookie_dies_with_its_session(mini_app, lawyer):
    client = mini_app.test_client()
    _sign_in(client, lawyer, remember=True)
    remember = _cookie(client, "remember_token")
    post_form(client, "/logout", {}, form_url="/")

    replayed = mini_app.test_client()
    replayed.set_cookie("remember_token", remember)

    assert not _signed_in(replayed)


def test_remember_me_works_until_the_session_ends(mini_app, lawyer):
    client = mini_app.test_client()
    _sign_in(client, lawyer, remember=True)
    fresh = mini_app.test_client()
    fresh.set_cookie("remember_token", _cookie(client, "remember_token"))

    assert _signed_in(fresh)
    row = db.session.scalars(db.select(UserSession)).one()
    assert row.remember


def test_a_password_change_signs_out_every_other_browser(mini_app, lawyer):
    phone, laptop = mini_app.test_client(), mini_app.test_client()
    sign_in(phone, lawyer)
    sign_in(laptop, lawyer)
    new = {"current": PASSWORD, "new": "another long password", "repeat": "another long password"}

    response = post_form(laptop, "/account", new)

    assert response.status_code == 302
    assert _signed_in(laptop)
    assert not _signed_in(phone)


def test_deactivating_a_user_ends_their_sessions(mini_app, lawyer, create_user_):
    client = mini_app.test_client()
    sign_in(client, lawyer)
    admin_client = mini_app.test_client()
    sign_in(admin_client, create_user_(Role.ADMIN, language="en"))

    post_form(
        admin_client,
        f"/admin/users/{lawyer.id}",
        {"name": lawyer.name, "role": "lawyer", "language": "en", "email": lawyer.email},
    )

    assert db.session.get(User, lawyer.id).active is False
    assert not _signed_in(client)
    lawyers_sessions = db.session.scalars(db.select(UserSession).filter_by(user_id=lawyer.id))
    assert all(row.ended_at is not None for row in lawyers_sessions)


def test_an_admin_signs_a_user_out_everywhere(mini_app, lawyer, create_user_):
    phone = mini_app.test_client()
    sign_in(phone, lawyer)
    admin_client = mini_app.test_client()
    sign_in(admin_client, create_user_(Role.ADMIN, language="en"))

    response = post_form(
        admin_client,
        f"/admin/users/{lawyer.id}/sessions/end",
        {},
        form_url=f"/admin/users/{lawyer.id}",
    )

    assert response.status_code == 302
    assert not _signed_in(phone)


def test_an_idle_session_expires(mini_app, lawyer):
    client = mini_app.test_client()
    sign_in(client, lawyer)
    row = db.session.scalars(db.select(UserSession)).one()
    row.last_seen_at = utcnow() - dt.timedelta(hours=3)
    db.session.commit()

    assert not _signed_in(client)


def test_the_account_page_lists_the_sessions_and_signs_out_the_others(mini_app, lawyer):
    phone, laptop = mini_app.test_client(), mini_app.test_client()
    sign_in(phone, lawyer)
    sign_in(laptop, lawyer)

    page = laptop.get("/account").get_data(as_text=True)
    ended = post_form(laptop, "/account/sessions/end", {}, form_url="/account")

    assert page.count("<li>") >= 2 and "this browser" in page
    assert ended.status_code == 302
    assert _signed_in(laptop)
    assert not _signed_in(phone)
