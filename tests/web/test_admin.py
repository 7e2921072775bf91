"""Admins manage users; everyone manages their own password."""

from __future__ import annotations

import pytest

from litigation.db import db
from litigation.models import Role, User

from ..conftest import PASSWORD, post_form, sign_in


@pytest.fixture
def admin(mini_app, create_user_):
    return create_user_(Role.ADMIN, language="en")


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.LAWYER, Role.STAFF])
def test_only_admins_manage_users(mini_app, mini_client, create_user_, role):
    sign_in(mini_client, create_user_(role))
    assert mini_client.get("/admin/users").status_code == 403


def test_admin_creates_a_user_who_can_sign_in(mini_client, admin):
    sign_in(mini_client, admin)
    response = post_form(
        mini_client,
        "/admin/users/new",
        {
            "email": "new.lawyer@ngo.example",
            "name": "Новый юрист",
            "role": "lawyer",
            "language": "ru",
            "password": "a long enough password",
            "active": "y",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "new.lawyer@ngo.example"))
    assert (user.role, user.language, user.active) == ("lawyer", "ru", True)


def test_a_short_password_re_renders_the_form(mini_client, admin):
    sign_in(mini_client, admin)
    response = post_form(
        mini_client,
        "/admin/users/new",
        {
            "email": "x@ngo.example",
            "name": "X",
            "role": "staff",
            "language": "en",
            "password": "short",
        },
    )
    assert response.status_code == 400
    assert "at least 12 characters" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(User).where(User.email == "x@ngo.example")) is None


def test_a_deactivated_user_cannot_sign_in(mini_client, admin, create_user_):
    lawyer = create_user_(Role.LAWYER)
    sign_in(mini_client, admin)
    post_form(
        mini_client,
        f"/admin/users/{lawyer.id}",
        {"email": lawyer.email, "name": lawyer.name, "role": "lawyer", "language": "ru"},
    )
    db.session.refresh(lawyer)
    assert lawyer.active is False
    other = mini_client.application.test_client()
    assert sign_in(other, lawyer).status_code == 401


def test_an_admin_cannot_lock_themselves_out(mini_client, admin):
    sign_in(mini_client, admin)
    response = post_form(
        mini_client,
        f"/admin/users/{admin.id}",
        {
            "email": admin.email,
            "name": admin.name,
            "role": "lawyer",
            "language": "ru",
            "active": "y",
        },
    )
    assert response.status_code == 400
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_users_change_their_own_password(mini_client, mini_app, create_user_):
    lawyer = create_user_(Role.LAWYER)
    sign_in(mini_client, lawyer)
    wrong = post_form(
        mini_client, "/account", {"current": "nope", "new": "x" * 12, "repeat": "x" * 12}
    )
    assert wrong.status_code == 400
    response = post_form(
        mini_client,
        "/account",
        {"current": PASSWORD, "new": "a brand new password", "repeat": "a brand new password"},
    )
    assert response.status_code == 302
    db.session.refresh(lawyer)
    assert lawyer.check_password("a brand new password")
