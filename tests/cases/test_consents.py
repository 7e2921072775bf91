"""Consent records as operations: the newest record of a scope decides, a withdrawal is a new
state of the record (never a deletion, never undone by an older consent), stale withdrawals
are refused, and the routes that require consent are not opened without it."""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.cases.consents import (
    StaleConsent,
    cases_that_may_be_named,
    consented_scopes,
    current_consents,
    has_consent,
    proceedings_needing,
    record_consent,
    reprisal_risk_of,
    withdraw_consent,
)
from litigation.cases.operations import fire, open_proceeding
from litigation.db import db
from litigation.errors import InvalidInput, StepUnavailable
from litigation.models import AuditEntry, AuditKind, ConsentRecord
from litigation.workflows.spec import ConsentScope

from ..conftest import TODAY

D = dt.date
GIVEN, WITHDRAWN = D(2026, 1, 5), D(2026, 2, 1)
DECISION = {"decided_on": D(2026, 3, 5), "learned_on": D(2026, 3, 10), "outcome": "refused"}


@pytest.fixture
def domestic(mini_registry, create_case):
    """A domestic case with no consent recorded, decided (the hand-over to the UN is next)."""
    case, proceeding = create_case(
        mini_registry, "domestic", facts={"reported_on": D(2026, 1, 12)}, consents=()
    )
    fire(
        mini_registry,
        proceeding,
        "decide",
        actor=None,
        occurred_on=None,
        today=TODAY,
        facts=DECISION,
    )
    db.session.commit()
    return case, proceeding


def _give(case, scope="litigation", on=GIVEN, **details):
    return record_consent(
        case, {"scope": scope, "given_on": on, **details}, actor=None, today=TODAY
    )


def _withdraw(consent, on=WITHDRAWN, version=None):
    details = {"withdrawn_on": on, "withdrawal_note": "Asked us to stop."}
    return withdraw_consent(consent, details, expected_version=version, actor=None, today=TODAY)


def test_a_recorded_consent_is_current_until_withdrawn_and_the_row_stays(domestic):
    case, _ = domestic
    consent = _give(case, form="written", note="Signed form in the safe")
    assert has_consent(case, ConsentScope.LITIGATION) and not has_consent(case, "sharing")
    _withdraw(consent)
    db.session.commit()
    assert consented_scopes(case) == frozenset()
    [row] = db.session.scalars(db.select(ConsentRecord))
    assert (row.given_on, row.withdrawn_on, row.form) == (D(2026, 1, 5), D(2026, 2, 1), "written")
    kinds = db.session.scalars(
        db.select(AuditEntry.details).where(AuditEntry.kind == AuditKind.CONSENT_CHANGED)
    )
    assert [d["change"] for d in kinds] == ["given", "withdrawn"]


def test_an_older_record_does_not_revive_a_withdrawn_scope(domestic):
    case, _ = domestic
    older = _give(case, on=D(2025, 6, 1))
    newer = _give(case, on=D(2026, 1, 5))
    assert current_consents(case) == {"litigation": newer}
    _withdraw(newer)
    assert not has_consent(case, "litigation")  # `older` is not withdrawn, but replaced
    with pytest.raises(StaleConsent):
        _withdraw(older)  # only the current consent can be withdrawn


def test_a_consent_given_before_the_last_withdrawal_is_refused(domestic):
    case, _ = domestic
    _withdraw(_give(case), on=D(2026, 2, 1))
    with pytest.raises(InvalidInput) as refused:
        _give(case, on=D(2026, 1, 20))
    assert "withdrawn on 2026-02-01" in refused.value.errors["given_on"]
    again = _give(case, on=D(2026, 2, 1))  # given again the same day: current
    assert current_consents(case) == {"litigation": again}


@pytest.mark.parametrize(
    ("given_on", "message"),
    [
        (D(2026, 11, 28), "A date of something that happened cannot be in the future."),
        (D(1990, 12, 31), "A date before 1991 is not plausible here: check the year."),
        (None, "Give the date."),
    ],
)
def test_implausible_dates_are_refused(domestic, given_on, message):
    case, _ = domestic
    with pytest.raises(InvalidInput) as refused:
        _give(case, on=given_on)
    assert refused.value.errors == {"given_on": message}
    assert case.consents == []


def test_unknown_scope_form_and_a_withdrawal_before_the_consent_are_refused(domestic):
    case, _ = domestic
    with pytest.raises(InvalidInput) as refused:
        record_consent(
            case,
            {"scope": "press", "given_on": D(2026, 1, 5), "form": "x"},
            actor=None,
            today=TODAY,
        )
    assert set(refused.value.errors) == {"scope", "form"}
    consent = _give(case)
    with pytest.raises(InvalidInput) as early:
        _withdraw(consent, on=D(2026, 1, 4))
    assert early.value.errors == {
        "withdrawn_on": "A consent cannot be withdrawn before the day it was given (2026-01-05)."
    }


def test_a_stale_withdrawal_is_refused(domestic):
    case, _ = domestic
    consent = _give(case)
    loaded = consent.version
    _withdraw(consent, version=loaded)
    with pytest.raises(StaleConsent):
        _withdraw(consent, version=loaded)


def test_the_hand_over_to_the_un_is_refused_without_litigation_consent(mini_registry, domestic):
    case, proceeding = domestic
    facts = {}
    with pytest.raises(StepUnavailable) as refused:
        fire(
            mini_registry,
            proceeding,
            "give_up",
            actor=None,
            occurred_on=D(2026, 3, 20),
            today=TODAY,
            facts=facts,
        )
    assert refused.value.reasons == [
        "The survivor's informed consent to litigation is not recorded."
    ]
    assert proceeding.stage == "decided" and len(case.proceedings) == 1
    _give(case)
    result = fire(
        mini_registry, proceeding, "give_up", actor=None, occurred_on=D(2026, 3, 20), today=TODAY
    )
    assert [p.route for p in result.handed_over] == ["un"]


def test_a_un_route_is_not_opened_directly_without_litigation_consent(mini_registry, domestic):
    case, _ = domestic
    facts = {"final_domestic_decision_on": D(2026, 3, 5)}
    with pytest.raises(InvalidInput) as refused:
        open_proceeding(
            mini_registry, case, "un", actor=None, opened_on=TODAY, today=TODAY, facts=facts
        )
    assert (
        refused.value.errors["route"].en
        == "The survivor's informed consent to litigation is not recorded."
    )
    _give(case)
    assert open_proceeding(
        mini_registry, case, "un", actor=None, opened_on=TODAY, today=TODAY, facts=facts
    )


@pytest.mark.parametrize(
    ("consents", "risk", "refused"),
    [
        (
            (),
            "low",
            ["The survivor's consent to sharing with partners and referrals is not recorded."],
        ),
        (
            ("sharing",),
            "high",
            ["The risk of reprisals is high: nothing about the survivor leaves the organisation."],
        ),
        (("sharing",), "medium", []),
    ],
)
def test_a_referral_needs_sharing_consent_and_no_high_risk(
    registry, create_case, consents, risk, refused
):
    case, _ = create_case(
        registry,
        "kz_criminal",
        facts={"reported_on": D(2025, 1, 10)},
        consents=consents,
        reprisal_risk=risk,
    )
    opening = {"actor": None, "opened_on": TODAY, "today": TODAY}
    if refused:
        with pytest.raises(InvalidInput) as error:
            open_proceeding(registry, case, "rehabilitation", **opening)
        assert error.value.errors["route"].en == " ".join(refused)
    else:
        assert (
            open_proceeding(registry, case, "rehabilitation", **opening).route == "rehabilitation"
        )


def test_names_may_leave_only_for_cases_with_sharing_consent_and_no_high_risk(
    mini_registry, create_case
):
    facts = {"reported_on": D(2026, 1, 12)}
    made = {
        name: create_case(
            mini_registry, "domestic", facts=facts, consents=consents, reprisal_risk=risk
        )[0]
        for name, consents, risk in [
            ("shared", ("sharing",), "low"),
            ("risky", ("sharing",), "high"),
            ("silent", ("litigation",), "low"),
        ]
    }
    assert reprisal_risk_of(made["risky"]) == "high"
    assert cases_that_may_be_named(made.values()) == {made["shared"].id}
    assert cases_that_may_be_named([]) == set()


def test_a_withdrawal_lists_the_open_proceedings_that_need_the_scope(mini_registry, domestic):
    case, proceeding = domestic
    _give(case)
    fire(mini_registry, proceeding, "give_up", actor=None, occurred_on=D(2026, 3, 20), today=TODAY)
    [un] = [p for p in case.proceedings if p.route == "un"]
    assert proceedings_needing(mini_registry, case, "litigation") == [un]
    assert proceedings_needing(mini_registry, case, "sharing") == []
