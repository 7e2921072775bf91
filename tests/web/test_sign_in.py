"""Signing in resists guessing without locking the owner out, and passwords are not guessable."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from flask import Flask

from litigation.accounts import SignInRefused, TooManySignIns, create_user, sign_in, wait_after
from litigation.db import db, utcnow
from litigation.errors import InvalidInput
from litigation.models import Role, SignInGuard

from ..conftest import PASSWORD, csrf_token


def _try(client, email: str, password: str):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


@pytest.fixture
def lawyer(mini_app, create_user_):
    return create_user_(Role.LAWYER, language="en")


def test_at_most_twenty_guesses_fit_in_an_hour():
    waited, guesses = dt.timedelta(0), 0
    while waited <= dt.timedelta(hours=1):
        waited += wait_after(guesses)
        guesses += 1

    assert guesses - 1 <= 20


def test_a_colleague_s_typos_behind_the_same_address_lock_nobody_else_out(
    mini_app, lawyer, create_user_
):
    colleague = create_user_(Role.LAWYER, language="en")
    client = mini_app.test_client()
    for _ in range(8):
        _try(client, colleague.email, "not the password at all")

    response = _try(client, lawyer.email, PASSWORD)

    assert response.status_code == 302


def test_the_owner_is_delayed_not_barred_and_hears_of_the_failed_attempts(mini_app, lawyer):
    client = mini_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    for _ in range(5):
        assert _try(client, lawyer.email, "a wrong guess of it").status_code == 401

    delayed = _try(client, lawyer.email, PASSWORD)
    guard = db.session.get(SignInGuard, lawyer.email)
    guard.last_failure_at = utcnow() - dt.timedelta(seconds=31)  # the 30 s have passed
    db.session.commit()
    signed_in = _try(client, lawyer.email, PASSWORD)

    assert delayed.status_code == 429
    assert "Wait" in delayed.get_data(as_text=True)
    assert signed_in.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "wrong passwords for your account 5 times" in page


def test_an_unknown_e_mail_is_answered_like_a_wrong_password(mini_app, lawyer):
    client = mini_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"

    unknown = _try(client, "nobody@example.org", PASSWORD)
    wrong = _try(client, lawyer.email, "a wrong guess of it")

    assert unknown.status_code == wrong.status_code == 401
    assert "Wrong email or password." in unknown.get_data(as_text=True)


def _guess(app: Flask, email: str, outcomes: list[str], start: threading.Barrier) -> None:
    with app.app_context():
        start.wait()
        try:
            sign_in(email, "a wrong guess of it", "10.0.0.9", utcnow())
        except SignInRefused:
            outcomes.append("checked")
        except TooManySignIns:
            outcomes.append("delayed")
        finally:
            db.session.remove()


def test_concurrent_guesses_cannot_slip_past_the_count(mini_app, lawyer):
    outcomes: list[str] = []
    start = threading.Barrier(10)
    threads = [
        threading.Thread(target=_guess, args=(mini_app, lawyer.email, outcomes, start))
        for _ in range(10)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["checked"] * 5 + ["delayed"] * 5


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "at least 12 characters"),
        ("password1234", "too easy to guess"),
        ("qwertyuiop12", "too easy to guess"),
        ("newlawyer-2026!", "must not contain your e-mail address"),
    ],
)
def test_guessable_passwords_are_refused(mini_app, password, message):
    with pytest.raises(InvalidInput, match=message):
        create_user("newlawyer@ngo.example", password, Role.LAWYER)
