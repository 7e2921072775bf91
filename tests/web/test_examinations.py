"""Medical-legal examinations through the web: recorded with findings per allegation on the
Istanbul Protocol scale, a refusal by the authorities recorded as an act of the State, bad
input refused next to its field keeping what was typed, hidden from those who cannot see the
case, and on the audit trail without findings or evaluations."""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.db import db
from litigation.models import AuditKind, MedicalExamination, Role

from ..conftest import post_form, sign_in
from .casework import trail

pytestmark = pytest.mark.usefixtures("english_browser")

D = dt.date
DONE = {
    "examined_on": "2026-02-03",
    "status": "done",
    "examiner_name": "Д-р Марат Ахметов",
    "examiner_kind": "independent",
    "findings-0-allegation": "Beating on the soles of the feet",
    "findings-0-level": "highly_consistent",
    "findings-1-allegation": "Electric shocks",
    "findings-1-level": "consistent",
    "findings-2-allegation": "",
    "findings-2-level": "",
    "psychological_done": "y",
    "psychological_evaluation": "Symptoms of post-traumatic stress.",
}


def _examinations(case):
    db.session.expire_all()
    query = db.select(MedicalExamination).where(MedicalExamination.case_id == case.id)
    return list(db.session.scalars(query))


def _trail(case):
    return trail(case, AuditKind.EXAMINATION_RECORDED)


def _record(client, case, **changes):
    return post_form(client, f"/cases/{case.id}/examinations/new", {**DONE, **changes})


def test_an_examination_with_findings_is_shown_on_the_case_page(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    assert _record(mini_client, case).status_code == 302
    [exam] = _examinations(case)
    assert exam.examined_on == D(2026, 2, 3) and exam.psychological_done
    assert [(f.allegation, f.level) for f in exam.findings] == [
        ("Beating on the soles of the feet", "highly_consistent"),
        ("Electric shocks", "consistent"),
    ]
    page = mini_client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Beating on the soles of the feet: <em>highly consistent with</em>" in page
    assert "Independent" in page and "Symptoms of post-traumatic stress." in page
    [entry] = _trail(case)
    assert entry.details == {
        "examination": exam.id,
        "status": "done",
        "examiner_kind": "independent",
        "findings": 2,
    }


def test_a_refusal_by_the_authorities_is_an_act_of_the_state(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    response = _record(
        mini_client,
        case,
        status="refused",
        examiner_kind="state",
        status_note="The investigator refused to order the examination.",
        **{"findings-0-allegation": "", "findings-0-level": ""},
        **{"findings-1-allegation": "", "findings-1-level": ""},
    )
    assert response.status_code == 302
    [exam] = _examinations(case)
    assert exam.status == "refused" and exam.findings == []
    page = mini_client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Refused by the authorities" in page and "act of the State" in page


def test_a_refusal_needs_a_note_saying_what_the_authorities_did(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    response = _record(mini_client, case, status="obstructed", status_note="")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Say what the authorities did" in page
    assert 'value="Beating on the soles of the feet"' in page
    assert _examinations(case) == [] and _trail(case) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("examined_on", "1850-01-01", "Give a date between 1900 and 2200."),
        ("examined_on", "2026-02-31", "Not a valid date value."),
        ("examiner_name", "x" * 201, "Field cannot be longer than 200 characters."),
        ("findings-0-allegation", "x" * 501, "Field cannot be longer than 500 characters."),
        ("findings-0-level", "certain", "Not a valid choice."),
        ("findings-1-level", "", "Choose the level from the Istanbul Protocol."),
        ("findings-1-allegation", "", "Say which allegation this is about."),
        ("examiner_kind", "private", "Not a valid choice."),
        ("status", "maybe", "Not a valid choice."),
    ],
)
def test_bad_input_is_refused_next_to_its_field_keeping_the_rest(
    mini_client, lawyer, case, field, value, message
):
    sign_in(mini_client, lawyer)
    response = _record(mini_client, case, **{field: value})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert f'id="{field}"' in page.split(message)[0].rsplit('<div class="field', 1)[1]
    assert "Symptoms of post-traumatic stress." in page  # what was typed stays
    assert _examinations(case) == [] and _trail(case) == []


def test_someone_who_cannot_see_the_case_gets_404(mini_app, create_user_, case):
    stranger = mini_app.test_client()
    sign_in(stranger, create_user_(Role.LAWYER, language="en"))
    url = f"/cases/{case.id}/examinations/new"
    assert stranger.get(url).status_code == 404
    assert post_form(stranger, url, DONE, form_url="/cases/new").status_code == 404
    assert _examinations(case) == []


def test_staff_see_examinations_but_cannot_record_them(mini_client, create_user_, lawyer, case):
    sign_in(mini_client, lawyer)
    _record(mini_client, case)
    staff = create_user_(Role.STAFF, language="en")
    case.team.append(staff)
    db.session.commit()
    reader = mini_client.application.test_client()
    reader.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(reader, staff)
    page = reader.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Electric shocks" in page and "Record an examination" not in page
    assert reader.get(f"/cases/{case.id}/examinations/new").status_code == 403


def test_more_finding_rows_than_the_form_holds_is_a_400_not_a_500(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    rows = {f"findings-{n}-allegation": f"Allegation {n}" for n in range(25)}
    rows |= {f"findings-{n}-level": "consistent" for n in range(25)}
    response = _record(mini_client, case, **rows)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "At most 20 findings per examination." in page
    assert 'value="Allegation 24"' in page  # every row typed is kept, none dropped
    assert _examinations(case) == []


def test_the_form_offers_more_rows_for_several_findings(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    url = f"/cases/{case.id}/examinations/new"
    assert "findings-3-allegation" not in mini_client.get(url).get_data(as_text=True)
    page = mini_client.get(f"{url}?rows=6").get_data(as_text=True)
    assert "findings-5-allegation" in page and "findings-6-allegation" not in page


def test_the_audit_trail_says_the_outcome_and_counts_the_findings(
    mini_client, mini_app, create_user_, lawyer, case
):
    sign_in(mini_client, lawyer)
    _record(mini_client, case)
    [exam] = _examinations(case)
    reader = mini_app.test_client()
    reader.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(reader, create_user_(Role.ADMIN, language="en"))
    page = reader.get("/admin/audit").get_data(as_text=True)
    assert f"examination #{exam.id}; Done; Independent; 2 findings" in page
    assert "soles" not in page and "post-traumatic" not in page
