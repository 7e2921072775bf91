"""`requires_consent` in workflows.yaml: the pure rule (which scope is missing, a high risk for
sharing), the Machine refusing a hand-over the consent does not cover with the reason shown,
and the shipped routes declaring it where the survivor's consent is the law of the matter."""

from __future__ import annotations

import dataclasses

import pytest

from litigation.workflows.consent import consent_reasons, names_may_leave
from litigation.workflows.engine import next_steps
from litigation.workflows.guards import GuardContext
from litigation.workflows.loaded import Registry
from litigation.workflows.loader import load_workflows
from litigation.workflows.spec import consent_needed

from ..conftest import MINIMAL_WORKFLOWS, SHIPPED_WORKFLOWS

NO_LITIGATION = "The survivor's informed consent to litigation is not recorded."
NO_SHARING = "The survivor's consent to sharing with partners and referrals is not recorded."
HIGH_RISK = "The risk of reprisals is high: nothing about the survivor leaves the organisation."


@pytest.mark.parametrize(
    ("required", "given", "risk", "reasons"),
    [
        ((), (), "high", []),
        (("litigation",), ("litigation",), "high", []),  # the risk does not stop litigation
        (("litigation",), ("sharing",), "low", [NO_LITIGATION]),
        (("sharing",), ("sharing",), "medium", []),
        (("sharing",), ("sharing",), "high", [HIGH_RISK]),
        (("sharing",), (), "high", [NO_SHARING, HIGH_RISK]),
        (("litigation", "sharing"), (), "unknown", [NO_LITIGATION, NO_SHARING]),
    ],
)
def test_the_reasons_name_each_scope_missing_and_a_high_risk_for_sharing(
    required, given, risk, reasons
):
    found = consent_reasons(required, frozenset(given), risk)
    assert [reason.en for reason in found] == reasons
    assert all(reason.ru.strip() for reason in found)


@pytest.mark.parametrize(
    ("given", "risk", "named"),
    [
        ({"sharing"}, "low", True),
        ({"sharing"}, "unknown", True),
        ({"sharing", "litigation"}, "high", False),
        ({"litigation", "publication", "un_name"}, "low", False),
    ],
)
def test_a_name_leaves_only_with_sharing_consent_and_no_high_risk(given, risk, named):
    assert names_may_leave(given, risk) is named


@pytest.fixture(scope="module")
def minimal() -> Registry:
    return Registry.of(load_workflows(MINIMAL_WORKFLOWS))


def _context(consents=(), risk="unknown") -> GuardContext:
    facts = {"decided_on": "2026-03-05"}
    return GuardContext("KZ", facts, consents=frozenset(consents), reprisal_risk=risk)


def test_a_hand_over_needs_what_the_route_it_opens_requires(minimal):
    give_up = minimal.route("domestic").transition("give_up")
    assert give_up.requires_consent == ()
    assert consent_needed(give_up, minimal.workflows.routes) == ("litigation",)


def test_the_machine_refuses_the_hand_over_without_consent_and_says_why(minimal):
    machine = minimal.machine("domestic")
    [step] = [s for s in next_steps(machine, "decided", _context()) if s.transition.opens]
    assert [reason.en for reason in step.reasons] == [NO_LITIGATION]
    assert not machine.may("decided", "give_up", _context())
    assert machine.may("decided", "give_up", _context({"litigation"}))
    assert machine.fire("decided", "give_up", _context({"litigation"})) == "exhausted"


def test_a_transition_s_own_declaration_is_a_condition_too(minimal):
    route = minimal.route("domestic")
    appeal = dataclasses.replace(route.transition("appeal"), requires_consent=("sharing",))
    transitions = tuple(appeal if t.trigger == "appeal" else t for t in route.transitions)
    changed = dataclasses.replace(route, transitions=transitions)
    registry = Registry.of(
        dataclasses.replace(
            minimal.workflows, routes={**minimal.workflows.routes, "domestic": changed}
        )
    )
    machine = registry.machine("domestic")
    assert not machine.may("decided", "appeal", _context({"sharing"}, risk="high"))
    assert machine.may("decided", "appeal", _context({"sharing"}, risk="low"))


def test_the_shipped_un_routes_need_litigation_and_the_referral_sharing():
    routes = load_workflows(SHIPPED_WORKFLOWS).routes
    for route_id in ("un_hrc", "un_cat", "un_special_procedures"):
        assert routes[route_id].requires_consent == ("litigation",), route_id
        assert routes[route_id].transition("submit").requires_consent == ("litigation",)
    assert routes["rehabilitation"].requires_consent == ("sharing",)
    hand_overs = [t for r in routes.values() for t in r.transitions if t.opens]
    assert hand_overs and all(
        "litigation" in consent_needed(t, routes)
        for t in hand_overs
        if t.opens.route != "rehabilitation"
    )
