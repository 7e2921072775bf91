"""Production mode: a configured secret key, Secure cookies, HSTS, X-Forwarded-* trusted only
from the configured proxies, and sign-in working behind an HTTPS proxy."""

from __future__ import annotations

import pytest

from litigation.config import ConfigError
from litigation.db import db
from litigation.models import LoginAttempt, Role

from ..conftest import CSRF_RE, MINIMAL_WORKFLOWS, PASSWORD

HTTPS = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "litigation.example.org"}
ORIGIN = "https://litigation.example.org"


@pytest.fixture
def production(app_for):
    settings = {"PRODUCTION": True, "SECRET_KEY": "a configured production key", "TESTING": False}
    return app_for(MINIMAL_WORKFLOWS, settings=settings)


def test_production_refuses_to_start_without_a_secret_key(app_for):
    with pytest.raises(ConfigError, match="production needs a secret key"):
        app_for(MINIMAL_WORKFLOWS, settings={"PRODUCTION": True, "SECRET_KEY": None})


def _token(client) -> str:
    page = client.get("/login", headers=HTTPS).get_data(as_text=True)
    match = CSRF_RE.search(page)
    return match.group(1) or match.group(2)


def test_sign_in_works_behind_an_https_proxy_with_the_privacy_minded_referrer(
    production, create_user_
):
    lawyer = create_user_(Role.LAWYER)
    client = production.test_client()
    token = _token(client)

    response = client.post(
        "/login",
        data={"email": lawyer.email, "password": PASSWORD, "csrf_token": token},
        headers={**HTTPS, "Referer": f"{ORIGIN}/login"},
    )

    assert response.status_code == 302
    assert response.headers["Location"] in ("/", f"{ORIGIN}/")
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "Secure" in cookie and "HttpOnly" in cookie
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_a_post_from_another_site_is_refused(production, create_user_):
    lawyer = create_user_(Role.LAWYER)
    client = production.test_client()
    token = _token(client)

    response = client.post(
        "/login",
        data={"email": lawyer.email, "password": PASSWORD, "csrf_token": token},
        headers={**HTTPS, "Referer": "https://evil.example/login"},
    )

    assert response.status_code == 400


def test_only_the_configured_proxy_is_trusted_for_the_client_address(production, create_user_):
    lawyer = create_user_(Role.LAWYER)
    client = production.test_client()
    token = _token(client)

    client.post(
        "/login",
        data={"email": lawyer.email, "password": "a wrong guess", "csrf_token": token},
        headers={**HTTPS, "Referer": f"{ORIGIN}/login", "X-Forwarded-For": "6.6.6.6, 10.0.0.7"},
    )

    with production.app_context():
        [attempt] = db.session.scalars(db.select(LoginAttempt)).all()
    # The proxy appended the address it saw; the client's own claim (6.6.6.6) is not believed.
    assert attempt.remote_addr == "10.0.0.7"
