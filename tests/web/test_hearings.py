"""Hearings and appointments through the web: added (never in the past), listed upcoming
first on the case page, edited (a stale form is a 409 keeping the input), cancelled softly,
refused input shown next to its field, hidden from those who cannot see the case, and each
change on the audit trail without places, attendees or notes."""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.db import db
from litigation.models import AuditKind, Hearing, Role

from ..conftest import post_form, sign_in
from .casework import trail

pytestmark = pytest.mark.usefixtures("english_browser")

D = dt.date
SOON = dt.date.today() + dt.timedelta(days=30)
LATER = dt.date.today() + dt.timedelta(days=60)
COURT = {
    "kind": "court",
    "starts_on": SOON.isoformat(),
    "starts_at": "10:30",
    "duration_minutes": "90",
    "place": "Алмалинский районный суд, зал 4",
    "attendees": "Advocate Ахметова, the survivor",
    "notes": "Bring the medical report.",
}


def _hearings(case):
    db.session.expire_all()
    query = db.select(Hearing).where(Hearing.case_id == case.id).order_by(Hearing.id)
    return list(db.session.scalars(query))


def _add(client, case, **changes):
    return post_form(client, f"/cases/{case.id}/hearings/new", {**COURT, **changes})


def test_a_hearing_added_is_listed_on_the_case_page_and_on_the_trail(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    assert _add(mini_client, case).status_code == 302
    page = mini_client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Court hearing" in page and "10:30" in page and "Алмалинский районный суд" in page
    assert "90 minutes" in page
    [hearing] = _hearings(case)
    assert hearing.starts_on == SOON and hearing.starts_at == dt.time(10, 30)
    assert hearing.zone == {"KZ": "Asia/Almaty", "TJ": "Asia/Dushanbe"}[case.jurisdiction]
    assert hearing.created_by_id == lawyer.id
    [entry] = trail(case, AuditKind.HEARING_ADDED)
    assert entry.details == {"hearing": hearing.id, "kind": "court"}
    assert entry.actor_id == lawyer.id


def test_upcoming_hearings_are_listed_soonest_first(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    _add(mini_client, case, starts_on=LATER.isoformat(), kind="prison_visit")
    _add(mini_client, case, kind="interrogation")
    page = mini_client.get(f"/cases/{case.id}").get_data(as_text=True)
    section = page.split('id="hearings"')[1]
    assert section.index("Interrogation") < section.index("Prison visit")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("starts_on", "2020-01-01", "This date and time have passed"),
        ("starts_on", "1800-01-01", "Give a date between 1900 and 2200."),
        ("starts_on", "2026-02-30", "Not a valid date value."),
        ("starts_at", "25:00", "Not a valid time value."),
        ("duration_minutes", "5000", "Number must be between 1 and 1440."),
        ("place", "x" * 301, "Field cannot be longer than 300 characters."),
        ("attendees", "x" * 501, "Field cannot be longer than 500 characters."),
        ("kind", "party", "Not a valid choice."),
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
    assert "Bring the medical report." in page  # what was typed stays
    assert f'id="{field}"' in page.split(message)[0].rsplit('<div class="field', 1)[1]
    assert _hearings(case) == []
    assert trail(case, AuditKind.HEARING_ADDED) == []


def test_editing_saves_and_records_only_field_names(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    _add(mini_client, case)
    [hearing] = _hearings(case)
    url = f"/cases/{case.id}/hearings/{hearing.id}/edit"
    data = {**COURT, "place": "Городской суд", "starts_at": "14:00", "version": "1"}
    assert post_form(mini_client, url, data).status_code == 302
    [hearing] = _hearings(case)
    assert hearing.place == "Городской суд" and hearing.starts_at == dt.time(14, 0)
    [entry] = trail(case, AuditKind.HEARING_CHANGED)
    assert entry.details == {
        "hearing": hearing.id,
        "kind": "court",
        "fields": ["starts_at", "place"],
    }


def test_a_stale_edit_is_a_conflict_that_keeps_the_input(mini_client, mini_app, lawyer, case):
    sign_in(mini_client, lawyer)
    _add(mini_client, case)
    [hearing] = _hearings(case)
    url = f"/cases/{case.id}/hearings/{hearing.id}/edit"
    loaded = str(hearing.version)
    other = mini_app.test_client()
    sign_in(other, lawyer)
    first = post_form(other, url, {**COURT, "place": "Saved first", "version": loaded})
    assert first.status_code == 302
    stale = post_form(mini_client, url, {**COURT, "place": "Typed second", "version": loaded})
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "Someone else changed this hearing" in page
    assert 'value="Typed second"' in page
    [hearing] = _hearings(case)
    assert hearing.place == "Saved first"
    assert len(trail(case, AuditKind.HEARING_CHANGED)) == 1


def test_cancelling_keeps_the_row_and_takes_it_off_the_page(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    _add(mini_client, case)
    [hearing] = _hearings(case)
    url = f"/cases/{case.id}/hearings/{hearing.id}/cancel"
    response = post_form(
        mini_client, url, {"version": str(hearing.version)}, form_url=f"/cases/{case.id}"
    )
    assert response.status_code == 302
    [hearing] = _hearings(case)
    assert hearing.cancelled_at is not None and hearing.cancelled_by_id == lawyer.id
    page = mini_client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Алмалинский районный суд" not in page and "No hearings recorded." in page
    assert len(trail(case, AuditKind.HEARING_CANCELLED)) == 1
    assert mini_client.get(f"/cases/{case.id}/hearings/{hearing.id}/edit").status_code == 404


def test_someone_who_cannot_see_the_case_gets_404(mini_client, create_user_, lawyer, case):
    sign_in(mini_client, lawyer)
    _add(mini_client, case)
    [hearing] = _hearings(case)
    stranger = mini_client.application.test_client()
    sign_in(stranger, create_user_(Role.LAWYER, language="en"))
    assert stranger.get(f"/cases/{case.id}/hearings/new").status_code == 404
    assert stranger.get(f"/cases/{case.id}/hearings/{hearing.id}/edit").status_code == 404
    url = f"/cases/{case.id}/hearings/new"
    assert post_form(stranger, url, COURT, form_url="/cases/new").status_code == 404
    cancel = f"/cases/{case.id}/hearings/{hearing.id}/cancel"
    assert post_form(stranger, cancel, {"version": "1"}, form_url="/cases/new").status_code == 404
    assert len(_hearings(case)) == 1 and _hearings(case)[0].cancelled_at is None


def test_staff_may_read_hearings_but_not_change_them(mini_client, create_user_, lawyer, case):
    sign_in(mini_client, lawyer)
    _add(mini_client, case)
    staff = create_user_(Role.STAFF, language="en")
    case.team.append(staff)
    db.session.commit()
    reader = mini_client.application.test_client()
    reader.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(reader, staff)
    page = reader.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Алмалинский районный суд" in page and "Add a hearing" not in page
    assert reader.get(f"/cases/{case.id}/hearings/new").status_code == 403


def test_the_audit_trail_names_the_kind_and_the_fields_changed(
    mini_client, mini_app, create_user_, lawyer, case
):
    sign_in(mini_client, lawyer)
    _add(mini_client, case)
    [hearing] = _hearings(case)
    url = f"/cases/{case.id}/hearings/{hearing.id}/edit"
    post_form(mini_client, url, {**COURT, "attendees": "Someone else", "version": "1"})
    reader = mini_app.test_client()
    reader.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(reader, create_user_(Role.ADMIN, language="en"))
    page = reader.get("/admin/audit").get_data(as_text=True)
    assert "Hearing added to the case" in page and "Hearing edited" in page
    assert f"hearing #{hearing.id}; Court hearing; changed: Who attends" in page
    assert "Алмалинский" not in page and "Ахметова" not in page and "medical report" not in page


def test_my_work_lists_the_next_hearings_of_my_cases_only(
    mini_client, mini_registry, create_case, create_user_, lawyer, case
):
    sign_in(mini_client, lawyer)
    _add(mini_client, case, kind="prison_visit")
    other = create_user_(Role.LAWYER, language="en")
    theirs, _ = create_case(
        mini_registry, "domestic", team=[other], facts={"reported_on": D(2026, 1, 12)}
    )
    stranger = mini_client.application.test_client()
    stranger.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(stranger, other)
    _add(stranger, theirs, kind="meeting")
    mine = mini_client.get("/").get_data(as_text=True).split('id="hearings"')[1]
    mine = mine.split("</section>")[0]
    assert case.reference in mine and "Prison visit" in mine and "10:30" in mine
    assert theirs.reference not in mine and "Meeting" not in mine
    [hearing] = _hearings(case)
    url = f"/cases/{case.id}/hearings/{hearing.id}/cancel"
    post_form(mini_client, url, {"version": "1"}, form_url=f"/cases/{case.id}")
    page = mini_client.get("/").get_data(as_text=True)
    assert "No hearings coming on your cases." in page
