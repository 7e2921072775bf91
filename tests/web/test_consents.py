"""Consent through the web: recorded and withdrawn on the case page's Consent section (each
on the audit trail, without notes), refused input shown beside its field with what was typed
kept, a stale withdrawal a 409 keeping the input, staff read-only; and what consent blocks:
the hand-over to a UN body and opening a UN route, greyed out with the reason and refused
when posted anyway, and a warning when a withdrawal leaves a UN proceeding open."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from litigation.cases.operations import fire
from litigation.db import db
from litigation.models import AuditKind, Case, ConsentRecord, Proceeding, Role

from ..conftest import TODAY, post_form, sign_in
from .casework import trail

pytestmark = pytest.mark.usefixtures("english_browser")

D = dt.date
NO_LITIGATION = "The survivor&#39;s informed consent to litigation is not recorded."
SHARING = {
    "scope": "sharing",
    "given_on": "2026-11-02",
    "form": "written",
    "note": "Signed form kept in the office safe",
}
WITHDRAWAL = {"withdrawn_on": "2026-11-20", "withdrawal_note": "Phoned: asked us to stop"}


def _page(client, case) -> str:
    return client.get(f"/cases/{case.id}").get_data(as_text=True)


def _flashes(client, response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    return html.unescape(" ".join(re.findall(r'class="flash [^"]*">([^<]*)<', page)))


def _records(case) -> list[ConsentRecord]:
    db.session.expire_all()
    return list(
        db.session.scalars(db.select(ConsentRecord).where(ConsentRecord.case_id == case.id))
    )


def _record(client, case, **changes):
    return post_form(client, f"/cases/{case.id}/consents/new", {**SHARING, **changes})


def _withdraw(client, case, consent, version=None, **changes):
    url = f"/cases/{case.id}/consents/{consent.id}/withdraw"
    data = {**WITHDRAWAL, "version": str(version or consent.version), **changes}
    return post_form(client, url, data, form_url=url)


def test_a_consent_recorded_is_listed_with_its_date_and_recorder_and_audited(
    mini_client, lawyer, case
):
    sign_in(mini_client, lawyer)
    response = _record(mini_client, case)
    assert "Consent recorded: Sharing with partners and referrals" in _flashes(
        mini_client, response
    )
    section = _page(mini_client, case).split('id="consent"')[1]
    assert "Sharing with partners and referrals</strong>:" in section
    assert "given on Nov 2, 2026" in section and "in writing" in section
    assert f"recorded by {lawyer.name}" in section
    consent = next(r for r in _records(case) if r.scope == "sharing")
    assert (consent.recorded_by_id, consent.note) == (lawyer.id, SHARING["note"])
    entry = trail(case, AuditKind.CONSENT_CHANGED)[-1]
    assert entry.details == {
        "consent": consent.id,
        "scope": "sharing",
        "change": "given",
        "given_on": "2026-11-02",
        "form": "written",
    }
    assert entry.actor_id == lawyer.id


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"given_on": "2026-11-28"}, "given_on", "cannot be in the future"),
        ({"given_on": "1990-05-01"}, "given_on", "A date before 1991 is not plausible"),
        ({"given_on": "2026-02-30"}, "given_on", "Not a valid date value."),
        ({"scope": "press"}, "scope", "Not a valid choice."),
        ({"note": "x" * 2001}, "note", "Field cannot be longer than 2000 characters."),
    ],
)
def test_a_refused_consent_keeps_what_was_typed_and_saves_nothing(
    mini_client, lawyer, case, changes, field, message
):
    sign_in(mini_client, lawyer)
    before = len(trail(case, AuditKind.CONSENT_CHANGED))
    response = _record(mini_client, case, **changes)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert f'id="{field}"' in page.split(message)[0].rsplit('<div class="field', 1)[1]
    if field != "note":
        assert SHARING["note"] in page
    assert [r.scope for r in _records(case)] == ["litigation"]
    assert len(trail(case, AuditKind.CONSENT_CHANGED)) == before


def test_a_withdrawal_keeps_the_record_shows_it_withdrawn_and_is_audited(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    _record(mini_client, case)
    consent = next(r for r in _records(case) if r.scope == "sharing")
    url = f"/cases/{case.id}/consents/{consent.id}/withdraw"
    assert "Withdraw the consent" in mini_client.get(url).get_data(as_text=True)
    flashes = _flashes(mini_client, _withdraw(mini_client, case, consent))
    assert "Consent withdrawn: Sharing with partners and referrals." in flashes
    [consent] = [r for r in _records(case) if r.scope == "sharing"]
    assert consent.withdrawn_on == D(2026, 11, 20) and consent.withdrawn_by_id == lawyer.id
    section = _page(mini_client, case).split('id="consent"')[1]
    assert "withdrawn on Nov 20, 2026" in section and WITHDRAWAL["withdrawal_note"] in section
    entry = trail(case, AuditKind.CONSENT_CHANGED)[-1]
    assert entry.details == {
        "consent": consent.id,
        "scope": "sharing",
        "change": "withdrawn",
        "withdrawn_on": "2026-11-20",
    }


def test_a_withdrawal_in_the_future_is_refused_keeping_the_note(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    [consent] = _records(case)
    response = _withdraw(mini_client, case, consent, withdrawn_on="2026-12-01")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "cannot be in the future" in page and WITHDRAWAL["withdrawal_note"] in page
    assert _records(case)[0].withdrawn_on is None


def test_a_stale_withdrawal_is_a_conflict_that_keeps_the_input(mini_app, mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    [consent] = _records(case)
    loaded = consent.version
    other = mini_app.test_client()
    sign_in(other, lawyer)
    assert _withdraw(other, case, consent, version=loaded).status_code == 302
    stale = _withdraw(mini_client, case, consent, version=loaded, withdrawal_note="Typed second")
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "Someone else changed this consent" in page and "Typed second" in page
    assert "This consent was withdrawn on Nov 20, 2026." in page
    assert "Withdraw the consent</button>" not in page
    assert _records(case)[0].withdrawal_note == WITHDRAWAL["withdrawal_note"]
    assert [e.details["change"] for e in trail(case, AuditKind.CONSENT_CHANGED)] == [
        "given",
        "withdrawn",
    ]


def test_staff_see_the_consents_but_cannot_change_them(mini_client, create_user_, case):
    staff = create_user_(Role.STAFF, language="en")
    case.team.append(staff)
    db.session.commit()
    sign_in(mini_client, staff)
    section = _page(mini_client, case).split('id="consent"')[1].split("</section>")[0]
    assert "Litigation (courts and UN bodies)" in section and "given on" in section
    assert "/withdraw" not in section and "/consents/new" not in section
    [consent] = _records(case)
    url = f"/cases/{case.id}/consents/{consent.id}/withdraw"
    assert mini_client.get(url).status_code == 403
    assert mini_client.get(f"/cases/{case.id}/consents/new").status_code == 403


def test_someone_who_cannot_see_the_case_gets_404(mini_client, create_user_, case):
    sign_in(mini_client, create_user_(Role.LAWYER))
    [consent] = _records(case)
    assert mini_client.get(f"/cases/{case.id}/consents/new").status_code == 404
    url = f"/cases/{case.id}/consents/{consent.id}/withdraw"
    assert mini_client.get(url).status_code == 404


# What consent blocks: the UN


@pytest.fixture
def decided(mini_registry, create_case, lawyer):
    """A domestic case, decided, whose survivor's consent to litigation is not recorded."""
    case, proceeding = create_case(
        mini_registry,
        "domestic",
        team=[lawyer],
        facts={"reported_on": D(2026, 1, 12)},
        consents=(),
    )
    facts = {"decided_on": D(2026, 3, 5), "learned_on": D(2026, 3, 10), "outcome": "refused"}
    fire(
        mini_registry, proceeding, "decide", actor=None, occurred_on=None, today=TODAY, facts=facts
    )
    db.session.commit()
    return case, proceeding


def test_the_hand_over_to_the_un_is_greyed_out_with_the_reason_and_refused(
    mini_client, lawyer, decided
):
    case, proceeding = decided
    sign_in(mini_client, lawyer)
    page = _page(mini_client, case)
    step = page.split("Do not appeal")[0].rsplit("<li", 1)[1] + page.split("Do not appeal")[1]
    assert 'class="unavailable"' in step and 'aria-disabled="true"' in step
    assert NO_LITIGATION in page.split("Do not appeal")[1].split("</li>")[0]
    url = f"/cases/{case.id}/proceedings/{proceeding.id}/steps/give_up"
    data = {"occurred_on": "2026-03-20", "version": str(proceeding.version)}
    refused = post_form(mini_client, url, data, form_url=f"/cases/{case.id}")
    assert refused.status_code == 409
    db.session.expire_all()
    assert db.session.get(Proceeding, proceeding.id).stage == "decided"
    assert [p.route for p in db.session.get(Case, case.id).proceedings] == ["domestic"]

    _record(mini_client, case, scope="litigation")
    taken = post_form(mini_client, url, data)
    assert taken.status_code == 302
    assert [p.route for p in db.session.get(Case, case.id).proceedings] == ["domestic", "un"]


def test_a_un_route_is_offered_greyed_out_and_refused_without_consent(mini_client, lawyer, decided):
    case, _ = decided
    sign_in(mini_client, lawyer)
    page = _page(mini_client, case)
    option = re.search(r'<option disabled value="un">([^<]*)</option>', page)
    assert option and "UN — The survivor" in html.unescape(option.group(1))
    data = {"route": "un", "opened_on": "2026-11-20", "first_fact": "2026-03-05"}
    refused = post_form(mini_client, f"/cases/{case.id}/proceedings", data)
    assert refused.status_code == 400  # the case page again, the reason beside the route
    beside = re.search(r'<select id="route".*?</div>', refused.get_data(as_text=True), re.S)
    assert "The survivor's informed consent to litigation is not recorded." in html.unescape(
        beside.group(0)
    )
    assert [p.route for p in db.session.get(Case, case.id).proceedings] == ["domestic"]


NEW_CASE = {
    "reference": "KZ-2026-950",
    "survivor_name": "Ержан Т.",
    "jurisdiction": "KZ",
    "opened_on": "2026-11-20",
    "route": "un",
    "route_opened_on": "2026-11-20",
    "first_fact": "2026-03-05",
    "reprisal_risk": "low",
}


def test_a_case_opened_on_a_un_route_needs_the_consent_ticked(mini_client, lawyer):
    sign_in(mini_client, lawyer)
    refused = post_form(mini_client, "/cases/new", NEW_CASE)
    assert refused.status_code == 400
    page = html.unescape(refused.get_data(as_text=True))
    before = page.split("The survivor's informed consent to litigation is not recorded.")[0]
    assert 'id="route"' in before.rsplit('<div class="field', 1)[1]
    assert 'value="Ержан Т."' in page
    assert db.session.scalar(db.select(Case).where(Case.reference == "KZ-2026-950")) is None

    consent = {"consent_litigation": "y", "consent_given_on": "2026-11-19"}
    assert post_form(mini_client, "/cases/new", NEW_CASE | consent).status_code == 302
    case = db.session.scalar(db.select(Case).where(Case.reference == "KZ-2026-950"))
    assert [(r.scope, r.given_on) for r in case.consents] == [("litigation", D(2026, 11, 19))]
    assert [p.route for p in case.proceedings] == ["un"]


def test_a_consent_ticked_without_its_date_is_refused_beside_the_date(mini_client, lawyer):
    sign_in(mini_client, lawyer)
    response = post_form(mini_client, "/cases/new", NEW_CASE | {"consent_litigation": "y"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert (
        'id="consent_given_on"' in page.split("Give the date.")[0].rsplit('<div class="field', 1)[1]
    )


def test_withdrawing_litigation_with_a_un_proceeding_open_says_the_lawyer_must_act(
    mini_client, mini_registry, lawyer, decided
):
    case, proceeding = decided
    sign_in(mini_client, lawyer)
    _record(mini_client, case, scope="litigation")
    url = f"/cases/{case.id}/proceedings/{proceeding.id}/steps/give_up"
    post_form(mini_client, url, {"occurred_on": "2026-03-20", "version": str(proceeding.version)})
    [consent] = _records(case)
    preview = mini_client.get(f"/cases/{case.id}/consents/{consent.id}/withdraw")
    assert "the software will not close them" in preview.get_data(as_text=True)
    flashes = _flashes(mini_client, _withdraw(mini_client, case, consent))
    assert "Open proceedings rely on this consent: UN." in flashes
    assert "the software closes nothing by itself" in flashes
    [un] = [p for p in db.session.get(Case, case.id).proceedings if p.route == "un"]
    assert un.closed_on is None  # nothing was closed for the lawyer


def test_the_audit_trail_says_what_was_given_and_withdrawn_without_the_notes(
    mini_app, mini_client, create_user_, lawyer, case
):
    sign_in(mini_client, lawyer)
    _record(mini_client, case)
    consent = next(r for r in _records(case) if r.scope == "sharing")
    _withdraw(mini_client, case, consent)
    admin = mini_app.test_client()
    sign_in(admin, create_user_(Role.ADMIN, language="en"))
    page = html.unescape(admin.get("/admin/audit").get_data(as_text=True))
    scope = f"consent #{consent.id}; Sharing with partners and referrals"
    assert f"{scope}; given on Nov 2, 2026; in writing" in page
    assert f"{scope}; withdrawn on Nov 20, 2026" in page
    assert SHARING["note"] not in page and WITHDRAWAL["withdrawal_note"] not in page


def test_a_consent_names_a_document_of_the_case_as_its_evidence(
    mini_client, mini_registry, create_case, lawyer, case
):
    from .test_documents import documents, upload

    sign_in(mini_client, lawyer)
    assert upload(mini_client, case, title="Signed consent form").status_code == 302
    [signed] = documents(case)
    other, _ = create_case(
        mini_registry, "domestic", team=[lawyer], facts={"reported_on": D(2026, 1, 12)}
    )
    assert upload(mini_client, other, title="Another case's file").status_code == 302
    [elsewhere] = documents(other)

    refused = _record(mini_client, case, evidence_document_id=str(elsewhere.id))
    recorded = _record(mini_client, case, evidence_document_id=str(signed.id))

    assert refused.status_code == 400
    assert "Choose a document of this case from the list." in refused.get_data(as_text=True)
    assert recorded.status_code == 302
    [consent] = [record for record in _records(case) if record.scope == "sharing"]
    assert consent.evidence_document_id == signed.id
    page = _page(mini_client, case)
    assert f'/cases/{case.id}/documents/{signed.id}">Signed consent form</a>' in page
    [entry] = trail(case, AuditKind.CONSENT_CHANGED)[-1:]
    assert entry.details["evidence_document"] == signed.id
