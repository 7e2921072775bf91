"""The new-case form suggests the next reference (issue 12): filled in for the jurisdiction
and year, editable, refreshed when left as suggested but no longer fitting; and a reference
another person took a moment before is a message beside the field, never a 500."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from litigation.cases import open_case
from litigation.cases import operations as case_operations
from litigation.db import db
from litigation.models import AuditEntry, AuditKind, Case, Role, Survivor

from ..conftest import post_form, sign_in


@pytest.fixture
def lawyer(mini_app, create_user_, mini_client):
    mini_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    user = create_user_(Role.LAWYER, language="en")
    sign_in(mini_client, user)
    return user


def _cases(*references: str) -> None:
    for reference in references:
        open_case(
            reference=reference,
            jurisdiction=reference[:2],
            opened_on=dt.date(2026, 1, 10),
            survivor_name=f"Человек {reference}",
        )
    db.session.commit()


def _value(page: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page)
    assert match, name
    return match.group(1)


def _form(reference: str, suggested: str, jurisdiction: str = "KZ", **more: str) -> dict:
    return {
        "reference": reference,
        "suggested_reference": suggested,
        "jurisdiction": jurisdiction,
        "survivor_name": "Нурлан Ержанов",
        "opened_on": "2026-11-20",
        "route": "domestic",
        "first_fact": "2026-11-19",
        **more,
    }


def test_the_form_suggests_the_next_reference_of_the_jurisdiction_and_year(mini_client, lawyer):
    _cases("KZ-2026-007", "KZ-2026-012", "KZ-2025-099", "TJ-2026-003")

    kz = mini_client.get("/cases/new").get_data(as_text=True)
    tj = mini_client.get("/cases/new?jurisdiction=TJ").get_data(as_text=True)

    assert _value(kz, "reference") == _value(kz, "suggested_reference") == "KZ-2026-013"
    assert _value(tj, "reference") == "TJ-2026-004"
    assert '<option selected value="TJ">' in tj
    assert '<code data-jurisdiction="TJ">TJ-2026-004</code>' in kz  # for a switch by hand


def test_the_suggested_reference_opens_the_case(mini_client, lawyer):
    _cases("KZ-2026-012")

    response = post_form(mini_client, "/cases/new", _form("KZ-2026-013", "KZ-2026-013"))

    assert response.status_code == 302
    assert db.session.scalar(db.select(Case).where(Case.reference == "KZ-2026-013"))


def test_a_reference_typed_by_hand_is_kept(mini_client, lawyer):
    response = post_form(mini_client, "/cases/new", _form("KZ-2026-ALM-5", "KZ-2026-001"))

    assert response.status_code == 302
    assert db.session.scalar(db.select(Case).where(Case.reference == "KZ-2026-ALM-5"))


def test_a_suggestion_left_as_it_was_follows_another_jurisdiction(mini_client, lawyer):
    _cases("TJ-2026-003")

    response = post_form(
        mini_client, "/cases/new", _form("KZ-2026-001", "KZ-2026-001", jurisdiction="TJ")
    )

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "KZ-2026-001 was suggested for another jurisdiction or year" in page
    assert "The next free reference, TJ-2026-004, is filled in" in page
    assert _value(page, "reference") == _value(page, "suggested_reference") == "TJ-2026-004"
    assert _value(page, "survivor_name") == "Нурлан Ержанов"
    assert db.session.scalar(db.select(db.func.count(Case.id))) == 1


def test_a_suggestion_someone_took_meanwhile_is_replaced_with_the_next(mini_client, lawyer):
    _cases("KZ-2026-012")
    page = mini_client.get("/cases/new").get_data(as_text=True)
    suggested = _value(page, "reference")
    _cases(suggested)  # a colleague opened a case with it after the form was loaded

    response = post_form(mini_client, "/cases/new", _form(suggested, suggested))

    assert response.status_code == 400
    assert _value(response.get_data(as_text=True), "reference") == "KZ-2026-014"
    assert (
        post_form(mini_client, "/cases/new", _form("KZ-2026-014", "KZ-2026-014")).status_code == 302
    )


def test_a_reference_taken_by_a_case_saved_at_the_same_moment_is_refused_beside_the_field(
    mini_client, lawyer, monkeypatch
):
    """Two people open cases at once: both checks find the reference free, the first insert
    wins and the unique constraint refuses the second. The second person gets a message
    beside the field with what they typed kept, and nothing of theirs is saved."""
    _cases("KZ-2026-013")
    # This request's check runs before the other person's case was saved.
    monkeypatch.setattr(case_operations, "_refuse_taken_reference", lambda *a, **k: None)
    survivors = db.session.scalar(db.select(db.func.count(Survivor.id)))
    created = db.select(db.func.count(AuditEntry.id)).where(
        AuditEntry.kind == AuditKind.CASE_CREATED
    )
    opened = db.session.scalar(created)

    response = post_form(mini_client, "/cases/new", _form("KZ-2026-013", "", notes="Записка"))

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    field = page[page.index('id="reference"') - 200 : page.index('id="reference"') + 600]
    assert "Another case was opened with reference KZ-2026-013 a moment ago" in field
    assert _value(page, "reference") == "KZ-2026-013"
    assert _value(page, "survivor_name") == "Нурлан Ержанов"
    assert "Записка" in page
    assert db.session.scalar(db.select(db.func.count(Survivor.id))) == survivors
    assert db.session.scalar(created) == opened


def test_a_reference_taken_before_is_refused_by_the_domain_beside_the_field(mini_client, lawyer):
    _cases("KZ-2026-013")

    response = post_form(mini_client, "/cases/new", _form("KZ-2026-013", ""))

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "A case with reference KZ-2026-013 already exists." in page
    assert _value(page, "reference") == "KZ-2026-013"
