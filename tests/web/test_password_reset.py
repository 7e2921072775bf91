"""An admin makes a one-time link by which a user sets a new password: shown once, kept only
as a hash, single use, expiring, replaced by a newer one, on the audit trail without itself."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pyotp
import pytest
from sqlalchemy import select

from litigation.accounts import LinkUnusable, make_reset_link, reset_password
from litigation.accounts import resets as reset_module
from litigation.db import db, utcnow
from litigation.models import AuditEntry, AuditKind, PasswordReset, Role, User, UserSession

from ..audit.trail import entries_after, everything_on_the_trail, last_id
from ..conftest import PASSWORD, csrf_token, post_form, sign_in

NEW_PASSWORD = "violet tram under seven bridges"
LINK = re.compile(r'value="(http://localhost/reset/([A-Za-z0-9_-]+))"')
UNUSABLE = "This link does not work"


@pytest.fixture
def admin(mini_app, create_user_):
    return create_user_(Role.ADMIN, language="en")


@pytest.fixture
def lawyer(mini_app, create_user_):
    return create_user_(Role.LAWYER, email="aliya@ngo.example", name="Aliya", language="en")


def _make_link(client, user: User):
    """The admin's button on the account page; the answer and the token it shows."""
    answer = post_form(client, f"/admin/users/{user.id}/reset-link", {}, f"/admin/users/{user.id}")
    found = LINK.search(answer.get_data(as_text=True))
    return answer, found.group(2) if found else None


def _set_password(client, token: str, new: str = NEW_PASSWORD, repeat: str | None = None):
    opened = client.get(f"/reset/{token}")
    assert opened.status_code == 303 and opened.location.endswith("/reset"), opened.status
    return post_form(client, "/reset", {"new": new, "repeat": repeat or new})


def _browser(app):
    """Someone's browser, not signed in, reading English."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _signs_in(app, user: User, password: str) -> bool:
    client = app.test_client()
    return sign_in(client, user, password).status_code == 302


def test_an_admin_gets_a_link_shown_once_and_only_its_hash_is_kept(mini_client, admin, lawyer):
    sign_in(mini_client, admin)
    mark = last_id()

    answer, token = _make_link(mini_client, lawyer)

    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert "it is shown only once" in page and "It works once, for 24 hours" in page
    stored = db.session.scalars(select(PasswordReset)).one()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr(db.session.execute(select(PasswordReset.__table__)).all())
    [made] = entries_after(mark)
    assert (made.kind, made.actor_id, made.user_id) == (
        AuditKind.PASSWORD_RESET_LINK_MADE,
        admin.id,
        lawyer.id,
    )
    assert token not in everything_on_the_trail()
    account_page = mini_client.get(f"/admin/users/{lawyer.id}").get_data(as_text=True)
    assert token not in account_page  # once means once


def test_the_link_sets_a_password_once_and_signs_the_user_out_everywhere(
    mini_app, mini_client, admin, lawyer
):
    lawyers_phone = mini_app.test_client()
    sign_in(lawyers_phone, lawyer)
    sign_in(mini_client, admin)
    _answer, token = _make_link(mini_client, lawyer)
    browser = _browser(mini_app)
    mark = last_id()

    form = browser.get(f"/reset/{token}", follow_redirects=True)
    done = post_form(browser, "/reset", {"new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    login = browser.get("/login").get_data(as_text=True)
    again = browser.get(f"/reset/{token}")

    assert "For the account aliya@ngo.example." in form.get_data(as_text=True)
    assert done.status_code == 303 and done.location.endswith("/login")
    assert "Your new password is set" in login
    assert _signs_in(mini_app, lawyer, NEW_PASSWORD)
    assert not _signs_in(mini_app, lawyer, PASSWORD)
    assert lawyers_phone.get("/cases").status_code == 302  # signed out
    assert again.status_code == 404 and UNUSABLE in again.get_data(as_text=True)
    used = [e for e in entries_after(mark) if e.kind == AuditKind.PASSWORD_RESET_LINK_USED]
    assert [(e.actor_id, e.user_id) for e in used] == [(lawyer.id, lawyer.id)]
    assert token not in everything_on_the_trail()
    trail = mini_client.get("/admin/audit").get_data(as_text=True)
    assert "Password link made" in trail and "valid until" in trail
    assert "New password set through a link" in trail


def test_a_refused_password_keeps_what_was_wrong_beside_the_field_and_the_link_working(
    mini_app, mini_client, admin, lawyer
):
    sign_in(mini_client, admin)
    _answer, token = _make_link(mini_client, lawyer)
    browser = _browser(mini_app)

    short = _set_password(browser, token, new="short")
    mail = post_form(browser, "/reset", {"new": "aliya-2026-Tram!x", "repeat": "aliya-2026-Tram!x"})
    differ = post_form(browser, "/reset", {"new": NEW_PASSWORD, "repeat": NEW_PASSWORD + "!"})
    done = post_form(browser, "/reset", {"new": NEW_PASSWORD, "repeat": NEW_PASSWORD})

    assert short.status_code == 400 and "at least 12 characters" in short.get_data(as_text=True)
    assert "must not contain your e-mail" in mail.get_data(as_text=True)
    assert "The two new passwords differ." in differ.get_data(as_text=True)
    assert done.status_code == 303


@pytest.mark.parametrize("how", ["unknown", "expired", "replaced", "deactivated"])
def test_a_link_that_does_not_work_gets_one_page_that_says_nothing_more(
    mini_app, mini_client, admin, lawyer, how
):
    sign_in(mini_client, admin)
    if how == "unknown":
        token = "x" * 43
    elif how == "expired":
        link = make_reset_link(
            lawyer,
            actor=admin,
            now=utcnow() - dt.timedelta(hours=25),
            valid_for=dt.timedelta(hours=24),
        )
        db.session.commit()
        token = link.token
    else:
        _answer, token = _make_link(mini_client, lawyer)
        if how == "replaced":
            _make_link(mini_client, lawyer)
        else:
            db.session.get(User, lawyer.id).active = False
            db.session.commit()
    browser = _browser(mini_app)

    opened = browser.get(f"/reset/{token}")
    form = browser.get("/reset")

    for answer in (opened, form):
        page = answer.get_data(as_text=True)
        assert answer.status_code == 404 and UNUSABLE in page
        assert "aliya" not in page
    assert opened.headers["Referrer-Policy"] == "no-referrer"
    assert _signs_in(mini_app, lawyer, PASSWORD) is (how != "deactivated")


def test_of_two_uses_racing_with_one_link_only_one_sets_a_password(
    mini_app, admin, lawyer, monkeypatch
):
    link = make_reset_link(lawyer, actor=admin, now=utcnow(), valid_for=dt.timedelta(hours=1))
    db.session.commit()
    # The second request read the link before the first one spent it.
    stale = reset_module.reset_by_token(link.token, utcnow())
    reset_password(link.token, NEW_PASSWORD, NEW_PASSWORD, now=utcnow())
    db.session.commit()
    monkeypatch.setattr(reset_module, "reset_by_token", lambda token, now: stale)

    with pytest.raises(LinkUnusable):
        reset_password(
            link.token, "another fine password 42", "another fine password 42", now=utcnow()
        )
    db.session.rollback()

    assert _signs_in(mini_app, lawyer, NEW_PASSWORD)


def test_two_factor_sign_in_stays_on_after_a_reset(mini_app, mini_client, admin, lawyer):
    secret = pyotp.random_base32()
    db.session.get(User, lawyer.id).totp_secret = secret
    db.session.commit()
    sign_in(mini_client, admin)
    answer, token = _make_link(mini_client, lawyer)
    browser = _browser(mini_app)

    form = browser.get(f"/reset/{token}", follow_redirects=True).get_data(as_text=True)
    done = post_form(browser, "/reset", {"new": NEW_PASSWORD, "repeat": NEW_PASSWORD})

    assert "Two-factor sign-in stays on" in answer.get_data(as_text=True)
    assert "Two-factor sign-in stays on" in form
    assert done.status_code == 303
    assert db.session.get(User, lawyer.id).totp_secret == secret


def test_the_form_speaks_the_account_s_language(mini_app, mini_client, admin, create_user_):
    user = create_user_(Role.LAWYER, email="erlan@ngo.example", language="ru")
    sign_in(mini_client, admin)
    _answer, token = _make_link(mini_client, user)
    browser = _browser(mini_app)
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"

    page = browser.get(f"/reset/{token}", follow_redirects=True).get_data(as_text=True)

    assert "Новый пароль" in page and "New password" not in page


def test_a_password_set_by_the_admin_ends_the_links_made_before(
    mini_app, mini_client, admin, lawyer
):
    sign_in(mini_client, admin)
    _answer, token = _make_link(mini_client, lawyer)

    saved = post_form(
        mini_client,
        f"/admin/users/{lawyer.id}",
        {"email": lawyer.email, "name": "Aliya", "role": "lawyer", "language": "en"}
        | {"password": NEW_PASSWORD, "active": "y"},
    )

    assert saved.status_code == 302
    assert mini_app.test_client().get(f"/reset/{token}").status_code == 404


def test_only_a_confirmed_admin_makes_links(mini_app, mini_client, admin, lawyer, create_user_):
    coordinator = create_user_(Role.COORDINATOR)
    other = mini_app.test_client()
    sign_in(other, coordinator)
    refused = other.post(
        f"/admin/users/{lawyer.id}/reset-link", data={"csrf_token": csrf_token(other, "/account")}
    )
    sign_in(mini_client, admin)
    for row in db.session.scalars(select(UserSession).where(UserSession.user_id == admin.id)):
        row.confirmed_at = utcnow() - dt.timedelta(minutes=30)
    db.session.commit()

    asked, token = _make_link(mini_client, lawyer)

    assert refused.status_code == 403
    assert asked.status_code == 401 and 'name="confirm_password"' in asked.get_data(as_text=True)
    assert token is None and db.session.scalar(select(PasswordReset.id)) is None
    kinds = db.session.scalars(select(AuditEntry.kind))
    assert AuditKind.PASSWORD_RESET_LINK_MADE not in set(kinds)


def test_a_deactivated_account_gets_no_link(mini_client, admin, lawyer):
    db.session.get(User, lawyer.id).active = False
    db.session.commit()
    sign_in(mini_client, admin)

    page = mini_client.get(f"/admin/users/{lawyer.id}").get_data(as_text=True)
    answer, token = _make_link(mini_client, lawyer)

    assert "Make a password link" not in page
    assert answer.status_code == 302 and token is None
    assert "Activate the account" in mini_client.get(answer.location).get_data(as_text=True)


def test_a_new_account_without_a_password_gets_a_link_instead(mini_app, mini_client, admin):
    sign_in(mini_client, admin)
    form = mini_client.get("/admin/users/new").get_data(as_text=True)

    made = post_form(
        mini_client,
        "/admin/users/new",
        {"email": "dana@ngo.example", "name": "Dana", "role": "staff", "language": "en"},
    )

    assert "Or leave it empty: you get a one-time link" in form
    page = made.get_data(as_text=True)
    assert made.status_code == 200 and made.headers["Cache-Control"] == "no-store"
    assert "User dana@ngo.example created." in page
    token = LINK.search(page).group(2)
    user = db.session.scalar(select(User).where(User.email == "dana@ngo.example"))
    assert (user.role, user.active) == ("staff", True)
    browser = _browser(mini_app)
    assert _set_password(browser, token).status_code == 303
    assert _signs_in(mini_app, user, NEW_PASSWORD)
