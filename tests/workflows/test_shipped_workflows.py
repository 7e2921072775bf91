"""Invariants every route in the real workflows.yaml must keep."""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.workflows.guards import GUARDS
from litigation.workflows.loader import check_file, load_workflows
from litigation.workflows.spec import STAGE_ENTERED
from litigation.workflows.wording import counted_text, hand_written_period

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


def _reads_as_instruction(label: str) -> bool:
    """Whether a Russian label begins with an infinitive («Подать жалобу», «Не комментировать»)."""
    words = label.split()
    verb = words[1] if words[0] == "Не" and len(words) > 1 else words[0]
    return verb.rstrip(",;:").endswith(("ть", "ти", "чь"))


def test_every_step_worded_as_an_instruction_says_how_it_reads_once_done(route):
    missing = [
        t.trigger
        for t in route.transitions
        if _reads_as_instruction(t.label.ru) and t.done_label is None
    ]
    assert missing == [], f"{route.id}: give these a done_label"
    for t in route.transitions:
        if t.done_label:
            assert not _reads_as_instruction(t.done_label.ru), (route.id, t.trigger)


def test_every_deadline_cites_its_legal_basis(route):
    for stage in route.stages:
        for rule in stage.deadlines:
            where = f"{route.id}.{stage.id}.{rule.name}"
            assert rule.legal_basis.ru.strip() and rule.legal_basis.en.strip(), where
            assert rule.label.ru and rule.label.en


def test_every_deadline_label_ends_with_its_period(route):
    for stage in route.stages:
        for rule in stage.deadlines:
            for lang in ("ru", "en"):
                others = [alternative.period for alternative in rule.alternatives]
                period = counted_text(rule.period, rule.anchor_offset, lang, others)
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
    ("art. 105(2)", "3d"),
    ("art. 105(2)", "7d"),
    ("art. 106(5)", "15d"),
    ("art. 107(2)", "3d"),
    ("art. 109", "3d"),
    ("art. 109", "5d"),
    ("art. 418", "15d"),
    ("art. 487(2)", "1y"),
    ("art. 501(3)", "1y"),
]


@pytest.mark.parametrize(("article", "period"), KZ_VERIFIED)
def test_kz_verified_periods_are_modelled(article, period):
    rules = [
        rule
        for stage in WORKFLOWS.routes["kz_criminal"].stages
        for rule in stage.deadlines
        if article in rule.legal_basis.en
    ]
    assert rules, f"no kz_criminal rule cites {article}"
    assert any(str(rule.period) == period and rule.verified for rule in rules), article


def test_guidance_leaves_the_period_to_the_rules_of_its_stage(route):
    # The label of each rule carries its period; guidance naming one would drift from it.
    for stage in route.stages:
        if stage.deadlines:
            for lang in ("ru", "en"):
                written = hand_written_period(stage.guidance.get(lang))
                assert written is None, f"{route.id}.{stage.id} ({lang}): {written!r}"


KZ = WORKFLOWS.routes["kz_criminal"]
DETENTION_TYPE = {"detention", "suspect_recognition", "qualification", "suspension_from_office"}


def test_every_complaint_subject_has_one_prosecutor_answer_period():
    # KZ CPC art. 105(2): 3 days for detention-type complaints, 7 days for the others.
    subjects = WORKFLOWS.facts["complaint_subject"].choices
    for stage_id in ("prosecutor_complaint", "higher_prosecutor_complaint"):
        stage = KZ.stage(stage_id)
        for subject in subjects:
            versions = [
                rule
                for rule in stage.rules_on(dt.date(2024, 1, 10))
                if rule.name == "prosecutor_answer"
                and rule.applies_to({"complaint_subject": subject})
            ]
            assert [str(rule.period) for rule in versions] == [
                "3d" if subject in DETENTION_TYPE else "7d"
            ], (stage_id, subject)
            assert all(rule.verified for rule in versions)


@pytest.mark.parametrize(
    ("stage", "rule"),
    [
        ("prosecutor_complaint", "prosecutor_answer"),
        ("judge_dismissed", "appeal_against_judge_ruling"),
        ("verdict", "appeal_verdict"),
        ("verdict", "appeal_verdict_detained"),
    ],
)
def test_law_91_vi_is_counted_as_in_force_from_25_july_2017(stage, rule):
    # It entered into force ten days after a publication that was not read (22-24 July 2017).
    facts = {"complaint_subject": "termination"}
    before = KZ.stage(stage).rule(rule, dt.date(2017, 7, 24), facts)
    after = KZ.stage(stage).rule(rule, dt.date(2017, 7, 25), facts)
    assert before is not None and after is not None
    assert (before.verified, after.verified) == (False, True)
    assert "22" in before.note.en and "24 July" in before.note.en


def test_a_complaint_to_a_higher_prosecutor_keeps_the_judges_period():
    refused = KZ.stage("prosecutor_refused").rule("judge_after_refusal", dt.date(2024, 1, 1))
    higher = KZ.stage("higher_prosecutor_complaint").rule(
        "judge_after_refusal", dt.date(2024, 1, 1)
    )
    assert refused is not None and higher is not None
    assert refused.continues_through == ("complain_to_higher_prosecutor",)
    assert (higher.anchor, higher.period) == (refused.anchor, refused.period)
    # No new period counted from the higher complaint (art. 106(5) third anchor).
    names = {rule.name for rule in KZ.stage("higher_prosecutor_complaint").deadlines}
    assert "judge_after_no_reply" not in names


def test_the_investigation_term_runs_from_registration_through_complaints():
    [term] = KZ.stage("investigation").deadlines
    assert term.anchor == "registered_on"
    assert {"complain_to_prosecutor", "complain_to_judge"} <= set(term.continues_through)


def test_the_cassation_court_has_guidance_and_no_invented_deadline():
    stage = KZ.stage("cassation_court")
    assert stage.deadlines == ()
    assert "136-VIII" in stage.guidance.en


def test_cat_six_months_for_the_state_is_verified():
    [rule] = WORKFLOWS.routes["un_cat"].stage("transmitted").deadlines
    assert (str(rule.period), rule.verified) == ("6m", True)
    assert "art. 22(3)" in rule.legal_basis.en and "ст. 22(3)" in rule.legal_basis.ru


def test_tajik_values_from_other_codes_say_so_and_show_the_earliest_date():
    tj = WORKFLOWS.routes["tj_criminal"]
    rules = [rule for stage in tj.stages for rule in stage.deadlines]
    assert not any(rule.verified for rule in rules)
    appeals = [
        r
        for r in rules
        if r.name in {"appeal_verdict", "appeal_verdict_detained", "appeal_court_ruling"}
    ]
    assert len(appeals) == 3
    for rule in appeals:
        assert str(rule.period) == "15d" and rule.copied_from is not None
        assert [str(a.period) for a in rule.alternatives] == ["10d"]
        assert "389.4" in rule.alternatives[0].reason.en
    copied = {r.name for r in rules if r.copied_from and "Russian" in r.copied_from.en}
    assert copied >= {"check_initial", "check_extended", "check_maximum", "prosecutor_answer"}
