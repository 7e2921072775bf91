"""Invariants every route in the real workflows.yaml must keep."""

from __future__ import annotations

import pytest

from litigation.workflows.guards import GUARDS
from litigation.workflows.loader import check_file, load_workflows
from litigation.workflows.spec import STAGE_ENTERED
from litigation.workflows.wording import counted_text

from ..conftest import SHIPPED_WORKFLOWS

WORKFLOWS = load_workflows(SHIPPED_WORKFLOWS)
ROUTES = list(WORKFLOWS.routes.values())
REQUIRED_ROUTES = {
    "kz_criminal",
    "tj_criminal",
    "un_hrc",
    "un_cat",
    "kz_compensation",
    "rehabilitation",
}


def test_the_shipped_file_has_no_problems():
    assert check_file(SHIPPED_WORKFLOWS) == []


def test_the_required_routes_are_declared():
    assert set(WORKFLOWS.routes) >= REQUIRED_ROUTES
    advocacy = set(WORKFLOWS.routes) - REQUIRED_ROUTES
    assert advocacy, "at least one advocacy route (special procedures / WGAD)"


@pytest.fixture(params=ROUTES, ids=lambda route: route.id)
def route(request):
    return request.param


def test_every_stage_is_reachable_and_every_guard_registered(route):
    reachable = {route.initial}
    frontier = [route.initial]
    while frontier:
        for transition in route.transitions_from(frontier.pop()):
            if transition.dest not in reachable:
                reachable.add(transition.dest)
                frontier.append(transition.dest)
    assert {stage.id for stage in route.stages} == reachable
    assert all(guard in GUARDS for t in route.transitions for guard in t.guards)


def test_every_deadline_cites_its_legal_basis(route):
    for stage in route.stages:
        for rule in stage.deadlines:
            assert rule.legal_basis.strip(), f"{route.id}.{stage.id}.{rule.name}"
            assert rule.label.ru and rule.label.en


def test_every_deadline_label_ends_with_its_period(route):
    for stage in route.stages:
        for rule in stage.deadlines:
            for lang in ("ru", "en"):
                period = counted_text(rule.period, rule.anchor_offset, lang)
                assert rule.label.get(lang).endswith(f" ({period})"), rule.label


def test_the_hrc_five_year_rule_counts_the_same_in_every_route():
    # HRC rules of procedure, rule 99(c): declared once under `rules:` and used by four stages.
    rules = [
        rule
        for route in ROUTES
        for stage in route.stages
        for rule in stage.deadlines
        if rule.name == "hrc_five_year_presumption"
    ]
    assert len(rules) == 4
    assert {(str(r.period), r.kind, r.reminders, r.verified) for r in rules} == {
        ("5y", "warning", (365, 180, 30), False)
    }
    assert {r.calendar or "none" for r in rules} == {"none"}


def test_every_stage_has_guidance_in_both_languages(route):
    for stage in route.stages:
        assert stage.guidance.ru.strip() and stage.guidance.en.strip(), f"{route.id}.{stage.id}"


def test_some_stage_is_final(route):
    assert any(stage.final for stage in route.stages)


def test_un_routes_use_the_calendar_without_holidays(route):
    if route.id.startswith("un_"):
        assert route.calendar == "none"
        assert WORKFLOWS.calendars["none"].country is None


def test_anchors_are_dates_recorded_somewhere(route):
    recorded = set(route.opening_facts)
    for transition in route.transitions:
        recorded.update(transition.records, transition.optional)
        if transition.event_date:
            recorded.add(transition.event_date)
    carried = {
        new
        for r in ROUTES
        for t in r.transitions
        if t.opens and t.opens.route == route.id
        for new, _old in t.opens.carry
    }
    for stage in route.stages:
        for rule in stage.deadlines:
            if rule.anchor != STAGE_ENTERED:
                assert rule.anchor in recorded | carried, f"{route.id}.{stage.id}.{rule.name}"


# Verified values from ../shared/domain/kz-cpc-verified.md, pinned so an edit cannot drift.
KZ_VERIFIED = [
    ("art. 102", "1y"),
    ("art. 106(5)", "15d"),
    ("art. 107(2)", "3d"),
    ("art. 418", "15d"),
    ("art. 487(2)", "1y"),
]


@pytest.mark.parametrize(("article", "period"), KZ_VERIFIED)
def test_kz_verified_periods_are_modelled(article, period):
    rules = [
        rule
        for stage in WORKFLOWS.routes["kz_criminal"].stages
        for rule in stage.deadlines
        if article in rule.legal_basis
    ]
    assert rules, f"no kz_criminal rule cites {article}"
    assert any(str(rule.period) == period and rule.verified for rule in rules), article
