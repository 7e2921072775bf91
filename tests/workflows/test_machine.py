"""State machines built from a route, and the pure engine functions around them."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt

import pytest

from litigation.workflows.calendar import Calendars
from litigation.workflows.engine import (
    CONTINUED,
    CORRECTION,
    OVERRIDE,
    EventView,
    closing_status,
    effective_events,
    next_steps,
    plan_deadlines,
)
from litigation.workflows.guards import GUARDS, GuardContext, OtherProceeding
from litigation.workflows.loaded import Registry
from litigation.workflows.loader import load_workflows
from litigation.workflows.machine import RouteMachine, TransitionRefused, mermaid
from litigation.workflows.spec import DeadlineRule, Period, Route, Text, Unit, WorkflowSet

from ..conftest import DATA

WORKFLOWS = DATA / "workflows"


@pytest.fixture(scope="module")
def minimal() -> WorkflowSet:
    return load_workflows(WORKFLOWS / "minimal.yaml")


@pytest.fixture(scope="module")
def domestic(minimal: WorkflowSet) -> Route:
    return minimal.route("domestic")


@pytest.fixture(scope="module")
def machine(domestic: Route) -> RouteMachine:
    return RouteMachine(domestic)


KZ = GuardContext(jurisdiction="KZ", facts={})
DECIDED = {"decided_on": dt.date(2026, 2, 1)}
KZ_DECIDED = dataclasses.replace(KZ, facts=DECIDED)


@pytest.mark.parametrize(
    ("stage", "trigger", "dest"),
    [
        ("reported", "decide", "decided"),
        ("decided", "appeal", "reported"),
        ("decided", "give_up", "exhausted"),
    ],
)
def test_the_machine_moves_to_the_destination(
    machine: RouteMachine, stage: str, trigger: str, dest: str
) -> None:
    assert machine.fire(stage, trigger, KZ_DECIDED) == dest


def test_the_machine_refuses_an_unknown_trigger(machine: RouteMachine) -> None:
    with pytest.raises(TransitionRefused, match="route 'domestic' has no trigger 'submit'"):
        machine.fire("reported", "submit", KZ)


@pytest.mark.parametrize(("stage", "trigger"), [("reported", "appeal"), ("exhausted", "decide")])
def test_the_machine_refuses_a_trigger_from_the_wrong_stage(
    machine: RouteMachine, stage: str, trigger: str
) -> None:
    with pytest.raises(
        TransitionRefused, match=f"'{trigger}' cannot be fired from stage '{stage}'"
    ):
        machine.fire(stage, trigger, KZ)


def _with_guard(route: Route, trigger: str, guard_name: str) -> Route:
    return dataclasses.replace(
        route,
        transitions=tuple(
            dataclasses.replace(t, guards=(guard_name,)) if t.trigger == trigger else t
            for t in route.transitions
        ),
    )


def test_a_guard_refusing_in_the_registry_makes_the_machine_refuse(
    domestic: Route, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[GuardContext] = []

    def never(context: GuardContext) -> Text:
        asked.append(context)
        return Text("нет", "no")

    monkeypatch.setitem(GUARDS, "test_never", never)
    machine = RouteMachine(_with_guard(domestic, "appeal", "test_never"))

    assert machine.may("decided", "appeal", KZ) is False
    with pytest.raises(TransitionRefused, match="'appeal': a guard is not met"):
        machine.fire("decided", "appeal", KZ)
    assert machine.may("decided", "give_up", KZ_DECIDED) is True
    assert asked and all(context is KZ for context in asked)


def test_a_guard_that_is_met_lets_the_machine_fire(
    domestic: Route, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(GUARDS, "test_always", lambda _context: None)
    machine = RouteMachine(_with_guard(domestic, "appeal", "test_always"))

    assert machine.may("decided", "appeal", KZ) is True
    assert machine.fire("decided", "appeal", KZ) == "reported"


def test_the_machine_refuses_a_hand_over_whose_carried_fact_is_missing(
    machine: RouteMachine,
) -> None:
    assert machine.may("decided", "give_up", KZ) is False
    with pytest.raises(TransitionRefused, match="a guard is not met"):
        machine.fire("decided", "give_up", KZ)


def test_a_bug_in_a_guard_surfaces(domestic: Route, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_context: GuardContext) -> None:
        raise AttributeError("no such fact")

    monkeypatch.setitem(GUARDS, "test_broken", broken)
    machine = RouteMachine(_with_guard(domestic, "decide", "test_broken"))

    with pytest.raises(AttributeError, match="no such fact"):
        machine.fire("reported", "decide", KZ)


def test_the_machine_has_the_route_triggers_and_no_auto_transitions(
    machine: RouteMachine, domestic: Route
) -> None:
    assert machine.triggers("decided") == ["appeal", "give_up"]
    assert machine.triggers("exhausted") == []
    assert set(machine._machine.events) == {t.trigger for t in domestic.transitions}


def test_a_call_leaves_no_model_on_the_machine(machine: RouteMachine) -> None:
    machine.may("decided", "appeal", KZ)
    machine.fire("decided", "appeal", KZ)
    with pytest.raises(TransitionRefused):
        machine.fire("reported", "appeal", KZ)

    assert machine._machine.models == []


def test_one_machine_per_route_is_built_when_the_file_is_loaded(minimal: WorkflowSet) -> None:
    registry = Registry.of(minimal)

    assert set(registry.machines) == set(minimal.routes)
    assert registry.machine("domestic") is registry.machine("domestic")
    assert registry.machine("domestic").route is minimal.route("domestic")


def test_building_a_machine_attaches_nothing_to_the_spec(domestic: Route) -> None:
    before = copy.deepcopy(domestic)
    objects = [domestic, *domestic.stages, *domestic.transitions]
    attributes = [dict(vars(item)) for item in objects]

    RouteMachine(domestic).fire("reported", "decide", KZ)

    assert domestic == before
    assert [dict(vars(item)) for item in objects] == attributes


def test_mermaid_draws_every_stage_and_transition_and_marks_the_current(domestic: Route) -> None:
    lines = mermaid(domestic, current="decided").splitlines()

    assert lines[0] == "stateDiagram-v2"
    for expected in [
        '    state "Reported" as reported',
        '    state "Decided" as decided',
        '    state "Exhausted" as exhausted',
        "    [*] --> reported",
        "    reported --> decided: Decision taken",
        "    decided --> reported: Appealed",
        "    decided --> exhausted: Do not appeal",
        "    exhausted --> [*]",
        "    class decided current",
    ]:
        assert expected in lines
    assert [line for line in lines if line.startswith("    class ")] == [
        "    class decided current"
    ]


def test_mermaid_without_a_current_stage_marks_none(domestic: Route) -> None:
    text = mermaid(domestic, lang="ru")

    assert '    state "Заявлено" as reported' in text.splitlines()
    assert "class " not in text


# closing_status ----------------------------------------------------------------------------

DUE = dt.date(2026, 3, 16)
APPEAL = DeadlineRule(
    name="appeal",
    label=Text("Жалоба", "Appeal"),
    period=Period(15, Unit.DAYS),
    anchor="learned_on",
    legal_basis=Text("УПК РК ст. 106(5)", "CPC RK art. 106(5)"),
    verified=True,
    met_by=("appeal",),
    cancelled_by=("withdraw",),
)
ANY_EXIT = dataclasses.replace(APPEAL, met_by=(), cancelled_by=())


@pytest.mark.parametrize(
    ("rule", "trigger", "event_date", "status"),
    [
        (APPEAL, "appeal", DUE - dt.timedelta(days=3), "met"),
        (APPEAL, "appeal", DUE, "met"),  # the due date is the last day to act
        (APPEAL, "appeal", DUE + dt.timedelta(days=1), "missed"),
        (APPEAL, "withdraw", DUE, "cancelled"),
        (APPEAL, "withdraw", DUE + dt.timedelta(days=1), "cancelled"),
        (APPEAL, "give_up", DUE, "cancelled"),  # not in met_by: the deadline no longer matters
        (ANY_EXIT, "give_up", DUE, "met"),  # no met_by: any exit meets it
        (ANY_EXIT, "give_up", DUE + dt.timedelta(days=1), "missed"),
    ],
)
def test_closing_status(rule: DeadlineRule, trigger: str, event_date: dt.date, status: str) -> None:
    assert closing_status(rule, trigger, event_date, DUE) == status


# effective_events --------------------------------------------------------------------------


def _event(event_id: int, trigger: str, on: dt.date, facts: dict, stages=(None, None)) -> EventView:
    return EventView(event_id, trigger, stages[0], stages[1], on, facts)


def test_effective_events_applies_corrections_and_drops_bookkeeping() -> None:
    opened = _event(
        1, "open", dt.date(2026, 1, 5), {"reported_on": "2026-01-05"}, (None, "reported")
    )
    decided = _event(
        2,
        "decide",
        dt.date(2026, 2, 3),
        {"decided_on": "2026-02-01", "learned_on": "2026-02-03"},
        ("reported", "decided"),
    )
    correction = _event(
        3,
        CORRECTION,
        dt.date(2026, 2, 10),
        {
            "corrects_event": 2,
            "changes": {"learned_on": "2026-02-04", "occurred_on": "2026-02-04"},
        },
    )
    override = _event(4, OVERRIDE, dt.date(2026, 2, 11), {"deadline": 7, "due": "2026-03-01"})

    result = effective_events([opened, decided, correction, override])

    assert result == [
        opened,
        EventView(
            2,
            "decide",
            "reported",
            "decided",
            dt.date(2026, 2, 4),
            {"decided_on": "2026-02-01", "learned_on": "2026-02-04"},
        ),
    ]


def test_effective_events_later_correction_wins() -> None:
    decided = _event(
        1, "decide", dt.date(2026, 2, 3), {"learned_on": "2026-02-03", "outcome": "granted"}
    )
    first_changes = {"learned_on": "2026-02-04", "outcome": "refused"}
    first = _event(
        2, CORRECTION, dt.date(2026, 2, 5), {"corrects_event": 1, "changes": first_changes}
    )
    second_changes = {"learned_on": "2026-02-05"}
    second = _event(
        3, CORRECTION, dt.date(2026, 2, 6), {"corrects_event": 1, "changes": second_changes}
    )

    [result] = effective_events([decided, first, second])

    assert result.facts == {"learned_on": "2026-02-05", "outcome": "refused"}
    assert result.occurred_on == dt.date(2026, 2, 3)


# plan_deadlines ----------------------------------------------------------------------------


def test_plan_deadlines_skips_a_rule_whose_anchor_fact_is_missing(minimal: WorkflowSet) -> None:
    calendars = Calendars(minimal.calendars)
    route = minimal.route("domestic")

    planned = plan_deadlines(calendars, route, "decided", {}, dt.date(2026, 2, 3))

    assert planned == []


def test_plan_deadlines_counts_from_the_anchor_fact(minimal: WorkflowSet) -> None:
    calendars = Calendars(minimal.calendars)
    facts = {"learned_on": dt.date(2026, 2, 3)}

    [deadline] = plan_deadlines(
        calendars, minimal.route("domestic"), "decided", facts, dt.date(2026, 2, 2)
    )

    # 15 days after Tuesday 3 Feb 2026 is Wednesday 18 Feb, a working day in Kazakhstan.
    assert (deadline.rule.name, deadline.anchor_date, deadline.calendar, deadline.due) == (
        "appeal",
        dt.date(2026, 2, 3),
        "KZ",
        dt.date(2026, 2, 18),
    )


@pytest.mark.parametrize(
    ("decided_on", "period", "due"),
    [
        (dt.date(2020, 12, 31), "3d", dt.date(2021, 1, 3)),  # last day of the old version
        (dt.date(2021, 1, 1), "10d", dt.date(2021, 1, 11)),  # first day of the new one
    ],
)
def test_plan_deadlines_picks_the_version_in_force_on_the_anchor_date(
    decided_on: dt.date, period: str, due: dt.date
) -> None:
    workflows = load_workflows(WORKFLOWS / "rule_versions.yaml")
    calendars = Calendars(workflows.calendars)
    route = workflows.route("domestic")

    planned = plan_deadlines(
        calendars, route, "decided", {"decided_on": decided_on}, dt.date(2026, 1, 1)
    )

    assert [(str(p.rule.period), p.due) for p in planned] == [(period, due)]


# next_steps --------------------------------------------------------------------------------


def _reasons(route: Route, stage: str, context: GuardContext, facts: dict, may_act=True):
    context = dataclasses.replace(context, facts=facts)
    return [
        (step.transition.trigger, [reason.en for reason in step.reasons])
        for step in next_steps(RouteMachine(route), stage, context, may_act)
    ]


def test_next_steps_all_available(domestic: Route) -> None:
    assert _reasons(domestic, "decided", KZ, DECIDED) == [("appeal", []), ("give_up", [])]


def test_next_steps_says_which_carried_fact_is_missing(domestic: Route) -> None:
    assert _reasons(domestic, "decided", KZ, {}) == [
        ("appeal", []),
        ("give_up", ["The fact 'decided_on' is not recorded."]),
    ]


def test_next_steps_says_which_guard_is_unmet(domestic: Route) -> None:
    at_the_hrc = OtherProceeding("un", "treaty_body", closed=False)
    context = dataclasses.replace(KZ, other_proceedings=(at_the_hrc,))

    assert _reasons(domestic, "decided", context, DECIDED) == [
        ("appeal", []),
        ("give_up", ["This matter already went to a UN treaty body (un)."]),
    ]


@pytest.mark.parametrize(
    ("jurisdiction", "reasons"),
    [
        ("KZ", []),
        (
            "TJ",
            ["Tajikistan has not made the art. 22 CAT declaration: complaints go to the HRC only."],
        ),
    ],
)
def test_next_steps_runs_the_named_guard(
    domestic: Route, jurisdiction: str, reasons: list[str]
) -> None:
    to_cat = tuple(
        dataclasses.replace(t, guards=("cat_article_22_accepted",)) if t.trigger == "give_up" else t
        for t in domestic.transitions
    )
    route = dataclasses.replace(domestic, transitions=to_cat)
    context = GuardContext(jurisdiction=jurisdiction, facts={})

    assert _reasons(route, "decided", context, DECIDED) == [
        ("appeal", []),
        ("give_up", reasons),
    ]


def test_next_steps_without_permission_lists_every_step_as_unavailable(domestic: Route) -> None:
    assert _reasons(domestic, "decided", KZ, {}, may_act=False) == [
        ("appeal", ["You may not act on this case."]),
        ("give_up", ["You may not act on this case.", "The fact 'decided_on' is not recorded."]),
    ]


def test_next_steps_of_a_final_stage_is_empty(domestic: Route) -> None:
    assert next_steps(RouteMachine(domestic), "exhausted", KZ_DECIDED) == []


# conditions, alternatives and periods that continue ------------------------------------------


@pytest.fixture(scope="module")
def conditions() -> WorkflowSet:
    return load_workflows(WORKFLOWS / "conditions.yaml")


FILED = dt.date(2026, 2, 2)  # a Monday


@pytest.mark.parametrize(
    ("subject", "planned"),
    [
        ("detention", [("3d", dt.date(2026, 2, 5))]),  # KZ CPC art. 105(2): the shorter period
        ("termination", [("7d", dt.date(2026, 2, 9))]),
        ("inaction", [("7d", dt.date(2026, 2, 9))]),
        (None, []),  # no subject recorded: no version applies
    ],
)
def test_plan_deadlines_opens_the_version_whose_condition_the_facts_meet(
    conditions: WorkflowSet, subject: str | None, planned: list
) -> None:
    facts = {"filed_on": FILED, "subject": subject}

    plans = plan_deadlines(
        Calendars(conditions.calendars), conditions.route("domestic"), "complaint", facts, FILED
    )

    assert [(str(p.rule.period), p.due) for p in plans] == planned


def test_the_rule_lookup_picks_the_version_the_facts_meet(conditions: WorkflowSet) -> None:
    def period(facts: dict | None) -> str:
        rule = conditions.rule_for("domestic", "complaint", "answer", FILED, facts)
        assert rule is not None
        return str(rule.period)

    assert period({"subject": "termination"}) == "7d"
    assert period({"subject": "detention"}) == "3d"
    assert period(None) == "3d"  # without facts: the first version in force


def test_the_due_date_is_the_earliest_of_the_period_and_its_alternatives(
    conditions: WorkflowSet,
) -> None:
    facts = {"refused_on": dt.date(2026, 2, 2)}

    [plan] = plan_deadlines(
        Calendars(conditions.calendars), conditions.route("domestic"), "refused", facts, FILED
    )

    # 10 days (the Russian model) from Mon 2 Feb = Thu 12 Feb; 15 days = Tue 17 Feb; 1 month
    # = Mon 2 Mar: act by the earliest, and say how late it could be.
    assert (plan.due, plan.latest) == (dt.date(2026, 2, 12), dt.date(2026, 3, 2))
    assert plan.alternative is not None and plan.alternative.reason.en == "Russian CPC"
    assert plan.result.steps[-1].day == plan.due  # the explanation is the earliest count's
    assert plan.rule.copied_from == Text("УПК РК ст. 106(5)", "KZ CPC art. 106(5)")
    assert plan.rule.label.en == "Complaint to the judge (15 days or 10 days or 1 month)"


def test_latest_is_none_when_no_alternative_gives_a_later_date(conditions: WorkflowSet) -> None:
    judge = conditions.route("domestic").stage("refused").deadlines[0]
    # 15 days from Thu 5 Mar 2026 = Fri 20 Mar; 14 days = Thu 19 Mar: the alternative is earlier.
    only_earlier = dataclasses.replace(
        judge,
        alternatives=(dataclasses.replace(judge.alternatives[0], period=Period(14, Unit.DAYS)),),
    )
    stage = dataclasses.replace(
        conditions.route("domestic").stage("refused"), deadlines=(only_earlier,)
    )
    route = dataclasses.replace(
        conditions.route("domestic"),
        stages=tuple(
            stage if s.id == "refused" else s for s in conditions.route("domestic").stages
        ),
    )
    facts = {"refused_on": dt.date(2026, 3, 5)}

    [plan] = plan_deadlines(Calendars(conditions.calendars), route, "refused", facts, FILED)

    assert (plan.due, plan.latest) == (dt.date(2026, 3, 19), dt.date(2026, 3, 20))
    no_alternatives = dataclasses.replace(only_earlier, alternatives=())
    stage = dataclasses.replace(stage, deadlines=(no_alternatives,))
    route = dataclasses.replace(
        route, stages=tuple(stage if s.id == "refused" else s for s in route.stages)
    )
    [plan] = plan_deadlines(Calendars(conditions.calendars), route, "refused", facts, FILED)
    assert (plan.due, plan.latest, plan.alternative) == (dt.date(2026, 3, 20), None, None)


def test_a_tie_keeps_the_rules_own_period(conditions: WorkflowSet) -> None:
    # 15 days from Thu 2 Apr 2026 = Fri 17 Apr; 16 days = Sat 18 Apr -> Mon 20 Apr;
    # 17 days = Sun 19 Apr -> Mon 20 Apr. The two later counts tie on Monday.
    judge = conditions.route("domestic").stage("refused").deadlines[0]
    rule = dataclasses.replace(
        judge,
        period=Period(16, Unit.DAYS),
        alternatives=(dataclasses.replace(judge.alternatives[0], period=Period(17, Unit.DAYS)),),
    )
    stage = dataclasses.replace(conditions.route("domestic").stage("refused"), deadlines=(rule,))
    route = dataclasses.replace(
        conditions.route("domestic"),
        stages=tuple(
            stage if s.id == "refused" else s for s in conditions.route("domestic").stages
        ),
    )

    [plan] = plan_deadlines(
        Calendars(conditions.calendars),
        route,
        "refused",
        {"refused_on": dt.date(2026, 4, 2)},
        FILED,
    )

    assert (plan.due, plan.latest, plan.alternative) == (dt.date(2026, 4, 20), None, None)


def test_a_period_continues_through_the_steps_it_names(conditions: WorkflowSet) -> None:
    refused, higher = (
        conditions.route("domestic").stage(s).deadlines[0] for s in ("refused", "higher")
    )
    day = dt.date(2026, 2, 10)

    assert closing_status(refused, "go_higher", day, DUE) == CONTINUED
    assert closing_status(refused, "go_judge", day, DUE) == "met"
    assert closing_status(higher, "go_judge", day, DUE) == "met"
    # The next stage declares the same rule: it opens again with the same date.
    facts = {"refused_on": dt.date(2026, 2, 2)}
    calendars = Calendars(conditions.calendars)
    route = conditions.route("domestic")
    [before] = plan_deadlines(calendars, route, "refused", facts, dt.date(2026, 2, 2))
    [after] = plan_deadlines(calendars, route, "higher", facts, dt.date(2026, 2, 6))
    assert (after.rule.name, after.due, after.latest) == (
        before.rule.name,
        before.due,
        before.latest,
    )


def test_every_version_in_force_is_listed_for_a_stored_deadline(conditions: WorkflowSet) -> None:
    versions = conditions.rule_versions("domestic", "complaint", "answer", FILED)

    assert [str(rule.period) for rule in versions] == ["3d", "7d"]
    assert conditions.rule_versions("domestic", "nowhere", "answer", FILED) == ()
