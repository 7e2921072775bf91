"""Case contacts through the web: added, edited (a stale form is a 409 keeping the input),
removed softly, refused input shown next to its field, hidden from those who cannot see the
case, and each change on the audit trail without names or phones."""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.db import db
from litigation.models import AuditKind, CaseContact, Role

from ..conftest import post_form, sign_in
from .casework import trail

pytestmark = pytest.mark.usefixtures("english_browser")

D = dt.date
DOCTOR = {
    "name": "Гульнара Сейтова",
    "role": "doctor",
    "organisation": "Independent forensic centre",
    "phone": "+7 701 000 00 00",
    "email": "doctor@example.org",
    "notes": "Examined the survivor in March.",
}


def _contacts(case):
    db.session.expire_all()
    return list(db.session.scalars(db.select(CaseContact).where(CaseContact.case_id == case.id)))


def _add(client, case, **changes):
    url = f"/cases/{case.id}/contacts/new"
    return post_form(client, url, {**DOCTOR, **changes})


def test_a_contact_added_is_listed_on_the_case_page_and_on_the_trail(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    response = _add(mini_client, case)
    assert response.status_code == 302
    page = mini_client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Гульнара Сейтова" in page and "Doctor" in page and "+7 701 000 00 00" in page
    [contact] = _contacts(case)
    [entry] = trail(case, AuditKind.CONTACT_ADDED)
    assert entry.details == {"contact": contact.id, "role": "doctor"}
    assert entry.actor_id == lawyer.id


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "x" * 201, "Field cannot be longer than 200 characters."),
        ("phone", "1" * 41, "Field cannot be longer than 40 characters."),
        ("role", "spy", "Not a valid choice."),
        ("email", "not an address", "Give an e-mail address like name@example.org."),
        ("name", "", "This field is required."),
    ],
)
def test_bad_input_is_refused_next_to_its_field_keeping_the_rest(
    mini_client, lawyer, case, field, value, message
):
    sign_in(mini_client, lawyer)
    response = _add(mini_client, case, **{field: value})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert 'value="Independent forensic centre"' in page  # what was typed stays
    assert f'id="{field}"' in page.split(message)[0].rsplit('<div class="field', 1)[1]
    assert _contacts(case) == []
    assert trail(case, AuditKind.CONTACT_ADDED) == []


def test_editing_a_contact_saves_and_records_only_field_names(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    _add(mini_client, case)
    [contact] = _contacts(case)
    url = f"/cases/{case.id}/contacts/{contact.id}/edit"
    data = {**DOCTOR, "phone": "+7 702 111 11 11", "version": str(contact.version)}
    assert post_form(mini_client, url, data).status_code == 302
    [contact] = _contacts(case)
    assert contact.phone == "+7 702 111 11 11"
    [entry] = trail(case, AuditKind.CONTACT_CHANGED)
    assert entry.details == {"contact": contact.id, "role": "doctor", "fields": ["phone"]}
    assert "702" not in str(entry.details)


def test_a_stale_edit_is_a_conflict_that_keeps_the_input(mini_client, mini_app, lawyer, case):
    sign_in(mini_client, lawyer)
    _add(mini_client, case)
    [contact] = _contacts(case)
    url = f"/cases/{case.id}/contacts/{contact.id}/edit"
    loaded = str(contact.version)
    other = mini_app.test_client()
    sign_in(other, lawyer)
    first = post_form(other, url, {**DOCTOR, "name": "Saved first", "version": loaded})
    assert first.status_code == 302
    stale = post_form(mini_client, url, {**DOCTOR, "name": "Typed second", "version": loaded})
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "Someone else changed this contact" in page
    assert 'value="Typed second"' in page
    [contact] = _contacts(case)
    assert contact.name == "Saved first"
    assert len(trail(case, AuditKind.CONTACT_CHANGED)) == 1


def test_removing_keeps_the_row_and_takes_it_off_the_page(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    _add(mini_client, case)
    [contact] = _contacts(case)
    url = f"/cases/{case.id}/contacts/{contact.id}/remove"
    response = post_form(
        mini_client, url, {"version": str(contact.version)}, form_url=f"/cases/{case.id}"
    )
    assert response.status_code == 302
    [contact] = _contacts(case)
    assert contact.removed_at is not None and contact.removed_by_id == lawyer.id
    page = mini_client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Гульнара Сейтова" not in page
    assert len(trail(case, AuditKind.CONTACT_REMOVED)) == 1
    edit = f"/cases/{case.id}/contacts/{contact.id}/edit"
    assert mini_client.get(edit).status_code == 404


def test_someone_who_cannot_see_the_case_gets_404(mini_client, create_user_, lawyer, case):
    sign_in(mini_client, lawyer)
    _add(mini_client, case)
    [contact] = _contacts(case)
    outsider = create_user_(Role.LAWYER, language="en")
    stranger = mini_client.application.test_client()
    sign_in(stranger, outsider)
    assert stranger.get(f"/cases/{case.id}/contacts/new").status_code == 404
    assert stranger.get(f"/cases/{case.id}/contacts/{contact.id}/edit").status_code == 404
    url = f"/cases/{case.id}/contacts/new"
    assert post_form(stranger, url, DOCTOR, form_url="/cases/new").status_code == 404
    assert len(_contacts(case)) == 1


def test_staff_may_read_contacts_but_not_change_them(mini_client, create_user_, lawyer, case):
    sign_in(mini_client, lawyer)
    _add(mini_client, case)
    staff = create_user_(Role.STAFF, language="en")
    case.team.append(staff)
    db.session.commit()
    reader = mini_client.application.test_client()
    reader.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(reader, staff)
    page = reader.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Гульнара Сейтова" in page and "Add a contact" not in page
    assert reader.get(f"/cases/{case.id}/contacts/new").status_code == 403


def test_the_audit_trail_names_the_role_and_the_fields_changed(
    mini_client, mini_app, create_user_, lawyer, case
):
    sign_in(mini_client, lawyer)
    _add(mini_client, case)
    [contact] = _contacts(case)
    url = f"/cases/{case.id}/contacts/{contact.id}/edit"
    post_form(mini_client, url, {**DOCTOR, "phone": "+7 702", "version": str(contact.version)})
    reader = mini_app.test_client()
    reader.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(reader, create_user_(Role.ADMIN, language="en"))
    page = reader.get("/admin/audit").get_data(as_text=True)
    assert "Contact added to the case" in page and "Case contact edited" in page
    assert f"contact #{contact.id}; Doctor; changed: Phone" in page
    assert "Гульнара" not in page and "+7 70" not in page
