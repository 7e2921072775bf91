"""The admin's account pages: a new account starts with the least privilege and a password it
needs, and the list names languages rather than codes."""

from __future__ import annotations

import re

import pytest

from litigation.models import Role

from ..conftest import sign_in


@pytest.fixture
def admin(mini_app, create_user_):
    return create_user_(Role.ADMIN, language="en")


def _selected(page: str, name: str) -> str:
    select = re.search(rf'<select id="{name}" name="{name}">(.*?)</select>', page, re.S)
    assert select, f"no select {name}"
    return re.search(r'<option selected value="([^"]*)"', select.group(1)).group(1)


def test_a_new_account_is_offered_the_read_only_role(mini_client, admin):
    sign_in(mini_client, admin)

    page = mini_client.get("/admin/users/new").get_data(as_text=True)

    assert _selected(page, "role") == "staff"
    assert "Staff read the cases they are put on and change nothing" in page


def test_a_new_account_s_password_is_not_one_to_keep(mini_client, admin):
    sign_in(mini_client, admin)

    new = mini_client.get("/admin/users/new").get_data(as_text=True)
    edit = mini_client.get(f"/admin/users/{admin.id}").get_data(as_text=True)

    assert "Password (at least 12 characters)" in new
    assert "keep" not in new
    assert "leave empty to keep the current one" in edit
    assert _selected(edit, "role") == "admin"  # an existing account shows its own role


def test_the_users_list_names_languages(mini_client, admin, create_user_):
    create_user_(Role.LAWYER, name="Алия", language="ru")
    sign_in(mini_client, admin)

    page = mini_client.get("/admin/users").get_data(as_text=True)

    assert "<td>Русский</td>" in page and "<td>English</td>" in page
    assert "<td>ru</td>" not in page and "<td>en</td>" not in page
