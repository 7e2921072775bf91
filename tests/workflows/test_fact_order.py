"""Order between recorded dates: declared under `facts:`, checked by `order_problems`."""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.workflows.loader import load_workflows
from litigation.workflows.order import OrderProblem, order_problems
from litigation.workflows.spec import INCIDENT, Text

from ..conftest import DATA, SHIPPED_WORKFLOWS

CONDITIONS = load_workflows(DATA / "workflows" / "conditions.yaml")
SHIPPED = load_workflows(SHIPPED_WORKFLOWS)


def test_a_receipt_before_its_dispatch_names_both_dates() -> None:
    facts = {"filed_on": dt.date(2026, 3, 5), "refused_on": dt.date(2026, 3, 1)}

    [problem] = order_problems(CONDITIONS, facts)

    assert problem == OrderProblem(
        later="refused_on",
        later_on=dt.date(2026, 3, 1),
        later_label=Text("Дата отказа", "Date refused"),
        earlier="filed_on",
        earlier_on=dt.date(2026, 3, 5),
        earlier_label=Text("Дата подачи", "Date filed"),
    )
    assert problem.message == Text(
        "«Дата отказа» (01.03.2026) не может быть раньше, чем «Дата подачи» (05.03.2026).",
        "'Date refused' (2026-03-01) cannot be before 'Date filed' (2026-03-05).",
    )


@pytest.mark.parametrize(
    "facts",
    [
        {"filed_on": dt.date(2026, 3, 5), "refused_on": dt.date(2026, 3, 5)},  # the same day
        {"filed_on": dt.date(2026, 3, 5), "refused_on": dt.date(2026, 3, 9)},
        {"refused_on": dt.date(2026, 3, 1)},  # the earlier date is not recorded
        {"filed_on": "2026-03-05", "refused_on": "2026-03-09"},  # ISO text, as stored
        {"filed_on": dt.date(2026, 3, 5), "refused_on": None, "subject": "detention"},
    ],
)
def test_dates_in_order_or_missing_are_no_problem(facts: dict) -> None:
    assert order_problems(CONDITIONS, facts) == []


def test_iso_text_is_compared_as_a_date() -> None:
    facts = {"filed_on": "2026-03-05", "refused_on": "2026-03-01"}

    assert [p.later for p in order_problems(CONDITIONS, facts)] == ["refused_on"]


def test_only_the_dates_a_step_records_are_checked_when_it_says_which() -> None:
    # A second complaint filed after the first refusal: the old refusal is not a problem.
    facts = {"filed_on": dt.date(2026, 4, 1), "refused_on": dt.date(2026, 3, 9)}

    assert order_problems(CONDITIONS, facts, recorded={"filed_on"}) == []
    assert [p.later for p in order_problems(CONDITIONS, facts, recorded={"refused_on"})] == [
        "refused_on"
    ]


def test_the_incident_date_orders_the_report() -> None:
    facts = {"reported_on": dt.date(2025, 1, 3)}

    [problem] = order_problems(SHIPPED, facts, incident_on=dt.date(2025, 1, 5))

    assert (problem.later, problem.earlier) == ("reported_on", INCIDENT)
    assert problem.message.en == (
        "'Date the torture report was made' (2025-01-03) cannot be before "
        "'Date of the incident' (2025-01-05)."
    )
    assert order_problems(SHIPPED, facts) == []  # no incident date given: nothing to compare


@pytest.mark.parametrize(
    ("later", "earlier"),
    [
        ("copy_delivered_on", "verdict_pronounced_on"),  # KZ CPC art. 418(1): delivered later
        ("refusal_received_on", "complaint_filed_on"),
        ("higher_complaint_filed_on", "refusal_received_on"),
        ("learned_of_decision_on", "termination_decided_on"),
        ("registered_on", "reported_on"),
        ("observations_transmitted_on", "transmitted_on"),
    ],
)
def test_the_shipped_facts_declare_the_obvious_order(later: str, earlier: str) -> None:
    facts = {earlier: dt.date(2025, 6, 10), later: dt.date(2025, 6, 9)}

    assert [(p.later, p.earlier) for p in order_problems(SHIPPED, facts)] == [(later, earlier)]
