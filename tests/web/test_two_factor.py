"""Two-factor sign-in: required for admins and coordinators by the shipped policy, optional
for others; codes spent once; recovery codes; re-authentication before sensitive actions."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
from sqlalchemy import select

from litigation.db import db
from litigation.models import (
    AuditEntry,
    AuditKind,
    FeedSubscription,
    Role,
    SignInGuard,
    User,
    UserSession,
)

from ..conftest import MINIMAL_WORKFLOWS, PASSWORD, csrf_token, post_form

STEP = dt.timedelta(seconds=30)


def _into_a_step() -> dt.datetime:
    """Five seconds into the current 30-second step, read when a test starts: sessions are
    stamped by the real clock, which an instant read at import falls behind in a long run
    (past the 10 minutes of CONFIRM_WITHIN_MINUTES, a fresh sign-in would look stale)."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return now - dt.timedelta(seconds=now.second % 30) + dt.timedelta(seconds=5)


class Clock:
    """The server's clock, moved by the test, so that codes are made for known moments."""

    def __init__(self) -> None:
        self.now = _into_a_step()

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    for module in ("auth", "two_factor", "confirm"):
        monkeypatch.setattr(f"litigation.web.{module}.utcnow", clock)
    return clock


@pytest.fixture
def policy_app(app_for):
    """The shipped policy: admins and coordinators must use a second factor."""
    return app_for(MINIMAL_WORKFLOWS, {"TWO_FACTOR_ROLES": ("admin", "coordinator")})


def _password_step(client, user: User):
    token = csrf_token(client, "/login")
    return client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )


def _code_step(client, code: str):
    return post_form(client, "/login/code", {"code": code})


def _enrol(client, clock: Clock) -> tuple[str, list[str]]:
    """Set up the app from the setup page; the shared secret and the recovery codes shown."""
    page = client.get("/account/two-factor/setup").get_data(as_text=True)
    secret = re.search(r'name="secret" type="hidden" value="([A-Z2-7]+)"', page).group(1)
    code = pyotp.TOTP(secret).at(clock.now.timestamp())
    shown = post_form(client, "/account/two-factor/setup", {"secret": secret, "code": code})
    assert shown.status_code == 200
    return secret, re.findall(
        r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", shown.get_data(as_text=True)
    )


def _kinds(user: User) -> list[str]:
    rows = db.session.scalars(
        select(AuditEntry.kind).where(AuditEntry.user_id == user.id).order_by(AuditEntry.id)
    )
    return list(rows)


@pytest.fixture
def admin(policy_app, create_user_):
    return create_user_(Role.ADMIN, language="en")


def test_an_admin_must_set_up_two_factor_before_anything_else(policy_app, admin, clock):
    client = policy_app.test_client()
    _password_step(client, admin)

    cases = client.get("/cases")
    setup = client.get("/account/two-factor/setup")

    assert cases.status_code == 302 and "/account/two-factor/setup" in cases.location
    page = setup.get_data(as_text=True)
    assert "<svg" in page and "no-store" in setup.headers["Cache-Control"]
    secret, codes = _enrol(client, clock)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/cases").status_code == 200
    assert db.session.get(User, admin.id).totp_secret == secret
    assert _kinds(admin)[-2:] == [AuditKind.TWO_FACTOR_ENABLED, AuditKind.RECOVERY_CODES_MADE]


def test_a_wrong_first_code_keeps_two_factor_off_and_says_why(policy_app, admin, clock):
    client = policy_app.test_client()
    _password_step(client, admin)
    page = client.get("/account/two-factor/setup").get_data(as_text=True)
    secret = re.search(r'name="secret" type="hidden" value="([A-Z2-7]+)"', page).group(1)

    refused = post_form(client, "/account/two-factor/setup", {"secret": secret, "code": "000000"})

    assert refused.status_code == 400
    assert "does not match" in refused.get_data(as_text=True)
    assert secret in refused.get_data(as_text=True)  # the same key: the app already holds it
    assert db.session.get(User, admin.id).totp_secret is None


def _enrolled(policy_app, admin, clock) -> tuple[str, list[str]]:
    client = policy_app.test_client()
    _password_step(client, admin)
    secret, codes = _enrol(client, clock)
    post_form(client, "/logout", {}, form_url="/")
    return secret, codes


def test_signing_in_with_two_factor_asks_for_the_code_after_the_password(policy_app, admin, clock):
    secret, _codes = _enrolled(policy_app, admin, clock)
    clock.now += STEP
    client = policy_app.test_client()

    after_password = _password_step(client, admin)
    before_code = client.get("/cases")
    signed = _code_step(client, pyotp.TOTP(secret).at(clock.now.timestamp()))

    assert after_password.status_code == 302 and after_password.location.endswith("/login/code")
    assert before_code.status_code == 302 and "/login" in before_code.location
    assert signed.status_code == 302
    assert client.get("/cases").status_code == 200
    assert _kinds(admin)[-1] == AuditKind.SIGN_IN


def test_a_code_once_used_cannot_sign_in_again(policy_app, admin, clock):
    secret, _codes = _enrolled(policy_app, admin, clock)
    clock.now += STEP
    code = pyotp.TOTP(secret).at(clock.now.timestamp())
    first = policy_app.test_client()
    _password_step(first, admin)
    _code_step(first, code)

    second = policy_app.test_client()
    _password_step(second, admin)
    replayed = _code_step(second, code)

    assert replayed.status_code == 401
    assert "Неверный код" in replayed.get_data(as_text=True)  # not signed in: Russian first
    assert second.get("/cases").status_code == 302


def test_a_recovery_code_signs_in_once(policy_app, admin, clock):
    _secret, codes = _enrolled(policy_app, admin, clock)
    first, second = policy_app.test_client(), policy_app.test_client()
    _password_step(first, admin)
    _password_step(second, admin)

    used = _code_step(first, codes[0].upper().replace("-", " "))  # as read aloud, typed loosely
    again = _code_step(second, codes[0])

    assert used.status_code == 302 and first.get("/cases").status_code == 200
    assert again.status_code == 401
    assert AuditKind.RECOVERY_CODE_USED in _kinds(admin)


def test_the_right_password_buys_no_fresh_guesses_at_the_code(policy_app, admin, clock):
    _enrolled(policy_app, admin, clock)
    client = policy_app.test_client()
    answers = []
    for _ in range(7):
        _password_step(client, admin)
        answers.append(_code_step(client, "123456").status_code)
    last_password = _password_step(client, admin)

    assert answers[:5] == [401] * 5
    assert 429 in answers[5:] or last_password.status_code == 429
    guard = db.session.get(SignInGuard, admin.email)
    assert guard.failures >= 5
    failed = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.kind == AuditKind.SIGN_IN_FAILED, AuditEntry.user_id == admin.id
        )
    ).all()
    assert failed and all(entry.details == {"step": "code"} for entry in failed)


def test_the_code_must_follow_the_password_within_minutes(policy_app, admin, clock):
    secret, _codes = _enrolled(policy_app, admin, clock)
    client = policy_app.test_client()
    _password_step(client, admin)
    token = csrf_token(client, "/login/code")
    clock.now += dt.timedelta(minutes=6)

    code = pyotp.TOTP(secret).at(clock.now.timestamp())
    late = client.post("/login/code", data={"code": code, "csrf_token": token})

    assert late.status_code == 302 and late.location.endswith("/login")
    assert client.get("/cases").status_code == 302


def test_an_admin_cannot_turn_off_what_the_policy_requires(policy_app, admin, clock):
    client = policy_app.test_client()
    _password_step(client, admin)
    _enrol(client, clock)

    post_form(client, "/account/two-factor/off", {}, form_url="/account/two-factor")

    assert db.session.get(User, admin.id).totp_secret is not None


def test_a_lawyer_may_turn_two_factor_on_and_off(policy_app, create_user_, clock):
    lawyer = create_user_(Role.LAWYER, language="en")
    client = policy_app.test_client()
    _password_step(client, lawyer)
    assert client.get("/cases").status_code == 200  # not required for lawyers
    _enrol(client, clock)

    post_form(client, "/account/two-factor/off", {}, form_url="/account/two-factor")

    assert db.session.get(User, lawyer.id).totp_secret is None
    assert _kinds(lawyer)[-1] == AuditKind.TWO_FACTOR_DISABLED


def _age_confirmation(user: User, minutes: int) -> None:
    for row in db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)):
        row.confirmed_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)
    db.session.commit()


def test_a_sensitive_action_asks_for_the_password_again_and_then_carries_on(
    policy_app, create_user_, clock
):
    lawyer = create_user_(Role.LAWYER, language="en")
    client = policy_app.test_client()
    _password_step(client, lawyer)
    secret, _codes = _enrol(client, clock)
    _age_confirmation(lawyer, 11)
    clock.now += STEP
    token = csrf_token(client, "/account/two-factor")

    asked = client.post("/account/two-factor/codes", data={"csrf_token": token})
    page = asked.get_data(as_text=True)
    wrong = client.post(
        "/account/two-factor/codes",
        data={"csrf_token": token, "confirm_password": "not it", "confirm_code": "1"},
    )
    confirmed = client.post(
        "/account/two-factor/codes",
        data={
            "csrf_token": token,
            "confirm_password": PASSWORD,
            "confirm_code": pyotp.TOTP(secret).at(clock.now.timestamp()),
        },
    )

    assert asked.status_code == 401 and 'name="confirm_password"' in page
    assert 'action="/account/two-factor/codes"' in page
    assert wrong.status_code == 401 and "Wrong email or password" in wrong.get_data(as_text=True)
    assert confirmed.status_code == 200
    assert (
        len(re.findall(r"<code>[a-z0-9]{5}-[a-z0-9]{5}</code>", confirmed.get_data(as_text=True)))
        == 10
    )


def test_signing_in_counts_as_a_fresh_confirmation(policy_app, create_user_, clock):
    lawyer = create_user_(Role.LAWYER, language="en")
    client = policy_app.test_client()
    _password_step(client, lawyer)
    _enrol(client, clock)

    made = post_form(client, "/account/two-factor/codes", {}, form_url="/account/two-factor")

    assert made.status_code == 200


def test_a_page_that_needs_confirmation_comes_back_after_it(policy_app, create_user_, clock):
    lawyer = create_user_(Role.LAWYER, language="en")
    client = policy_app.test_client()
    _password_step(client, lawyer)
    _age_confirmation(lawyer, 30)

    back = post_form(
        client,
        "/account/confirm?next=/account/two-factor",
        {"confirm_password": PASSWORD, "next": "/account/two-factor"},
        form_url="/account/confirm?next=/account/two-factor",
    )

    assert back.status_code == 302 and back.location.endswith("/account/two-factor")
    row = db.session.scalars(select(UserSession).where(UserSession.user_id == lawyer.id)).one()
    assert row.confirmed_at is not None


def test_a_csv_download_asks_who_this_is_then_comes_back_to_the_download(
    policy_app, create_user_, clock
):
    coordinator = create_user_(Role.COORDINATOR, language="en")
    client = policy_app.test_client()
    _password_step(client, coordinator)
    _enrol(client, clock)
    secret = db.session.get(User, coordinator.id).totp_secret
    _age_confirmation(coordinator, 30)
    clock.now += STEP

    asked = client.get("/dashboard/workload?format=csv&table=workload")
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', asked.get_data(as_text=True)
    )
    action = re.search(r'action="(/account/confirm[^"]+)"', asked.get_data(as_text=True))
    confirmed = client.post(
        action.group(1).replace("&amp;", "&"),
        data={
            "csrf_token": token.group(1),
            "confirm_password": PASSWORD,
            "confirm_code": pyotp.TOTP(secret).at(clock.now.timestamp()),
        },
    )
    assert asked.status_code == 401 and asked.mimetype == "text/html"
    assert confirmed.status_code == 302
    download = client.get(confirmed.location)
    assert download.status_code == 200 and download.mimetype == "text/csv"


def test_a_feed_with_names_is_made_only_after_confirming_with_what_was_typed(app_for, create_user_):
    app = app_for(MINIMAL_WORKFLOWS)  # password alone for admins: the confirmation is the point
    admin = create_user_(Role.ADMIN, language="en")
    client = app.test_client()
    _password_step(client, admin)
    _age_confirmation(admin, 30)
    typed = {"kind": "mine", "name": "Named work feed", "with_names": "y"}

    asked = post_form(client, "/calendars", typed, form_url="/calendars")
    page = asked.get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = page[page.index('action="/calendars"') :]
    carried = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form))
    made = client.post(
        "/calendars", data={**carried, "csrf_token": token, "confirm_password": PASSWORD}
    )

    assert asked.status_code == 401 and carried == typed
    assert made.status_code == 200
    names = db.session.scalars(
        select(FeedSubscription.name).where(FeedSubscription.with_names)
    ).all()
    assert names == ["Named work feed"]


def test_an_admin_resets_a_lost_phone_and_the_user_sets_up_again(app_for, create_user_, clock):
    app = app_for(MINIMAL_WORKFLOWS)
    lawyer = create_user_(Role.LAWYER, language="en")
    admin = create_user_(Role.ADMIN, language="en")
    own = app.test_client()
    _password_step(own, lawyer)
    _enrol(own, clock)
    client = app.test_client()
    _password_step(client, admin)

    reset = post_form(
        client,
        f"/admin/users/{lawyer.id}/two-factor/reset",
        {},
        form_url=f"/admin/users/{lawyer.id}",
    )

    assert reset.status_code == 302
    assert db.session.get(User, lawyer.id).totp_secret is None
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.kind == AuditKind.TWO_FACTOR_DISABLED)
    ).one()
    assert (entry.actor_id, entry.user_id) == (admin.id, lawyer.id)
    assert own.get("/cases").status_code == 302  # the lawyer's sessions ended with it


def test_changing_a_role_asks_who_this_is_and_changes_nothing_before(app_for, create_user_, clock):
    app = app_for(MINIMAL_WORKFLOWS)
    lawyer = create_user_(Role.LAWYER, language="en")
    admin = create_user_(Role.ADMIN, language="en")
    client = app.test_client()
    _password_step(client, admin)
    _age_confirmation(admin, 30)
    typed = {
        "email": lawyer.email,
        "name": lawyer.name,
        "role": "coordinator",
        "language": "en",
        "active": "y",
    }

    asked = post_form(client, f"/admin/users/{lawyer.id}", typed)
    unchanged = db.session.get(User, lawyer.id).role
    token = csrf_token(client, f"/admin/users/{lawyer.id}")
    confirmed = client.post(
        f"/admin/users/{lawyer.id}",
        data={**typed, "csrf_token": token, "confirm_password": PASSWORD},
    )

    assert asked.status_code == 401 and unchanged == Role.LAWYER
    assert confirmed.status_code == 302
    assert db.session.get(User, lawyer.id).role == Role.COORDINATOR


def test_the_owner_hears_of_wrong_codes_once_signed_in(policy_app, admin, clock):
    secret, _codes = _enrolled(policy_app, admin, clock)
    clock.now += STEP
    thief = policy_app.test_client()
    for _ in range(2):
        _password_step(thief, admin)
        _code_step(thief, "999999")
    owner = policy_app.test_client()
    _password_step(owner, admin)

    signed = _code_step(owner, pyotp.TOTP(secret).at(clock.now.timestamp()))
    page = owner.get(signed.location).get_data(as_text=True)

    assert "2 times" in page
    assert db.session.get(SignInGuard, admin.email).unreported == 0
