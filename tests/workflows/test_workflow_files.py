"""Workflows files: every problem in a broken file comes back with its line and a fix to make."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from litigation.workflows import spec
from litigation.workflows.guards import GUARDS
from litigation.workflows.loader import check_file, load_workflows, parse_workflows
from litigation.workflows.problems import Problem, WorkflowError
from litigation.workflows.spec import WorkflowSet
from litigation.workflows.validate import validate

from ..conftest import DATA

WORKFLOWS = DATA / "workflows"
MINIMAL = WORKFLOWS / "minimal.yaml"
KNOWN_GUARDS = ", ".join(sorted(GUARDS))
TRANSITION_KEYS = (
    "actor, dest, done_label, event_date, guards, label, milestone, opens, optional, records, "
    "requires_consent, source, trigger"
)
SCOPES = "litigation, publication, un_name, sharing, medical"
MILESTONES = ", ".join(spec.MILESTONES)
REFERENCE_KEYS = (
    "anchor, calendar, cancelled_by, continues_through, label, legal_basis, met_by, note"
)
TOO_LONG = "is longer than 100 years (at most 36525d, 26100wd, 1200m, 100y)"
ENGINE_EVENT = "is the name of an event the engine records itself; rename it"
MACHINE_NAME = (
    "would clash with a name the state machine gives its model "
    "(context, may_trigger, state, trigger, or starting with may_, to_, is_); rename it"
)
NOT_A_NAME = "is not a trigger name: use lower-case letters, digits and '_', starting with a letter"

INVALID_FILES = [
    (
        "consent_scope_invalid.yaml",
        [
            "11: routes.domestic.requires_consent: unknown consent scope 'litigaton', "
            f"did you mean 'litigation'? (known: {SCOPES})",
            "25: routes.domestic.transitions(decide).requires_consent: unknown consent scope "
            f"'press' (known: {SCOPES})",
        ],
    ),
    (
        "syntax_unclosed_bracket_invalid.yaml",
        [
            "6: not valid YAML: expected ',' or ']', but got ':' "
            "(while parsing a flow sequence that starts on line 5)",
        ],
    ),
    (
        "syntax_bad_indentation_invalid.yaml",
        [
            "13: not valid YAML: expected <block end>, but found '<block mapping start>' "
            "(while parsing a block mapping that starts on line 11); check the indentation",
        ],
    ),
    (
        "duplicate_stage_invalid.yaml",
        ["14: not valid YAML: duplicate key 'reported' (first given on line 11)"],
    ),
    (
        "unknown_stage_invalid.yaml",
        [
            "23: route 'domestic', transition 'appeal': "
            "unknown destination stage 'apealed' (stages: decided, reported)",
            "23: route 'domestic', transition 'appeal': "
            "unknown source stage 'decidde' (stages: decided, reported)",
        ],
    ),
    (
        "unreachable_and_dead_end_invalid.yaml",
        [
            "14: route 'domestic': stage 'decided' is a dead end "
            "(no transition leaves it and it is not final)",
            "17: route 'domestic': stage 'exhausted' cannot be reached from 'reported'",
        ],
    ),
    (
        "anchor_invalid.yaml",
        [
            "22: route 'domestic', stage 'decided', deadline 'appeal': "
            "anchor 'learned_on' is recorded by no transition",
            "28: route 'domestic', stage 'decided', deadline 'review': "
            "anchor 'outcome' is not a date fact",
        ],
    ),
    (
        "unknown_guard_invalid.yaml",
        [
            "19: route 'domestic', transition 'decide': "
            f"unknown guard 'consent_to_litigaton' (known: {KNOWN_GUARDS})",
        ],
    ),
    (
        "unknown_calendar_invalid.yaml",
        [
            "6: route 'domestic': unknown calendar 'TJ' (known: KZ)",
            "15: route 'domestic', stage 'reported', deadline 'decision': "
            "unknown calendar 'kz' (known: KZ)",
        ],
    ),
    (
        "no_legal_basis_invalid.yaml",
        [
            "15: route 'domestic', stage 'reported', deadline 'decision': "
            "no legal_basis (cite the article)",
        ],
    ),
    (
        "duplicate_trigger_invalid.yaml",
        [
            "23: route 'domestic', transition 'decide': "
            "duplicate trigger (first declared on line 19)",
        ],
    ),
    (
        "label_missing_en_invalid.yaml",
        ["12: routes.domestic.stages.reported.label: missing the 'en' text"],
    ),
    (
        "bad_period_invalid.yaml",
        [
            "17: routes.domestic.stages.reported.deadlines[0](decision).period: "
            "period '15 days' is not a number followed by d, wd, m or y (e.g. 15d, 10wd, 6m, 5y)",
        ],
    ),
    (
        "unknown_key_invalid.yaml",
        [
            "23: routes.domestic.transitions(decide): unknown key 'gaurds', "
            f"did you mean 'guards'? (expected one of: {TRANSITION_KEYS})",
        ],
    ),
    (
        "unknown_hand_over_invalid.yaml",
        [
            "25: route 'domestic', transition 'give_up': "
            "opens unknown route 'hrc' (known: domestic)",
        ],
    ),
    (
        "met_by_invalid.yaml",
        [
            "18: route 'domestic', stage 'decided', deadline 'appeal': "
            "cancelled_by 'withdraw' is not a transition leaving 'decided' (leaving it: appeal)",
            "18: route 'domestic', stage 'decided', deadline 'appeal': "
            "met_by 'decide' is not a transition leaving 'decided' (leaving it: appeal)",
        ],
    ),
    (
        "milestone_invalid.yaml",
        [
            "7: route 'domestic': opening_milestone: unknown milestone 'reported' "
            f"(known: {MILESTONES})",
            "24: route 'domestic', transition 'decide': "
            "milestone condition outcome: 'granted' is not one of: refused, upheld",
            "29: route 'domestic', transition 'decide': unknown milestone 'court_decison' "
            f"(known: {MILESTONES})",
            "30: route 'domestic', transition 'appeal': "
            "milestone condition on 'outcome', which it does not record",
        ],
    ),
    (
        "overlapping_versions_invalid.yaml",
        [
            "22: route 'domestic', stage 'reported': versions of deadline 'decision' "
            "on lines 15 and 22 both apply from 2021-01-01 to 2021-06-30; "
            "end one with valid_to before the other's valid_from",
        ],
    ),
    (
        "unknown_rule_invalid.yaml",
        [
            "28: routes.domestic.stages.decided.deadlines[0].use: "
            "unknown rule 'apeal', did you mean 'appeal'? (rules: appeal)",
        ],
    ),
    (
        "rule_reference_key_invalid.yaml",
        [
            "29: routes.domestic.stages.decided.deadlines[0]: unknown key 'met_bye', "
            f"did you mean 'met_by'? (expected one of: {REFERENCE_KEYS}, use)",
            "30: routes.domestic.stages.decided.deadlines[0]: 'period' of rule 'appeal' cannot "
            f"change where it is used; declare a separate rule (a reference may change: "
            f"{REFERENCE_KEYS})",
        ],
    ),
    (
        "rule_cycle_invalid.yaml",
        [
            "11: rules.late_appeal.use: rules using each other in a circle "
            "(appeal -> late_appeal -> appeal)",
        ],
    ),
    (
        "hand_written_period_invalid.yaml",
        [
            "9: rules.appeal(appeal).label: the en text gives the period by hand ('15 days'); "
            "remove it, the period is added from the rule: '(15 days)'",
            "29: routes.domestic.stages.decided.deadlines[0].label: the ru text gives the period "
            "by hand ('1 год'); remove it, the period is added from the rule: '(15 дней)'",
            "31: routes.domestic.stages.decided.deadlines[1](review).label: the en text gives the "
            "period by hand ('3 days'); remove it, the period is added from the rule: '(3 days)'",
            "31: routes.domestic.stages.decided.deadlines[1](review).label: the ru text gives the "
            "period by hand ('3 суток'); remove it, the period is added from the rule: '(3 дня)'",
        ],
    ),
    (
        "source_any_invalid.yaml",
        [
            "32: routes.domestic.transitions(close).source: 'any' already means every stage "
            "that is not final; write 'any' alone or list the stages",
        ],
    ),
    (
        "include_missing_invalid.yaml",
        [
            "6: routes.domestic.include: cannot read 'routes/domestik.yaml': "
            "No such file or directory",
        ],
    ),
    (
        "include_escape_invalid.yaml",
        [
            "6: routes.domestic.include: '../golden/kz_criminal_registration_refused.yaml' "
            "is outside the folder of include_escape_invalid.yaml; keep it in that folder",
            "8: routes.un.include: '/etc/hostname' is an absolute path; "
            "give it relative to include_escape_invalid.yaml",
        ],
    ),
    (
        # Problems inside an included file carry that file's path and its own lines.
        "include_problem_invalid.yaml",
        [
            "routes/broken_domestic.yaml:9: routes.domestic.stages.reported: unknown key "
            "'expected_durration', did you mean 'expected_duration'? "
            "(expected one of: deadlines, expected_duration, final, guidance, label)",
            "routes/broken_domestic.yaml:15: route 'domestic', transition 'decide': "
            f"unknown guard 'consent_to_litigaton' (known: {KNOWN_GUARDS})",
        ],
    ),
    (
        "when_invalid.yaml",
        [
            "25: route 'domestic', stage 'complaint', deadline 'answer': "
            "when: unknown fact 'subjekt', did you mean 'subject'?",
            "32: route 'domestic', stage 'complaint', deadline 'answer_other': "
            "when subject: 'detension' is not one of: detention, termination",
            "32: route 'domestic', stage 'complaint', deadline 'answer_other': "
            "when: 'filed_on' is a date fact; a condition needs a choice fact",
            "39: route 'domestic', stage 'complaint', deadline 'answer_higher': "
            "when: 'level' is recorded by no transition",
            "49: routes.domestic.stages.complaint.deadlines[3](answer_listed).when must map a "
            "fact to a value or a list of values, e.g. when: {complaint_subject: [detention]}",
        ],
    ),
    (
        "alternatives_invalid.yaml",
        [
            "23: routes.domestic.stages.ruled.deadlines[0](appeal).alternatives: only an "
            "unverified rule (verified: false) may list alternatives; a verified rule has the "
            "period read in its text",
            "28: routes.domestic.stages.ruled.deadlines[0](appeal).copied_from: a verified rule "
            "was read in its own text; only an unverified rule (verified: false) may be copied "
            "from another code",
            "33: routes.domestic.stages.ruled.deadlines[1](review).alternatives[0].period: "
            "period '10 days' is not a number followed by d, wd, m or y (e.g. 15d, 10wd, 6m, 5y)",
            "34: routes.domestic.stages.ruled.deadlines[1](review).alternatives[1].period: "
            "15d is the rule's own period",
            "35: routes.domestic.stages.ruled.deadlines[1](review).alternatives[2]: "
            "missing 'reason'",
        ],
    ),
    (
        "order_invalid.yaml",
        [
            "7: facts.learned_on.not_before: unknown fact 'decidd_on', did you mean 'decided_on'?",
            "11: facts.received_on.not_before: 'outcome' is a choice fact, not a date",
            "11: facts.received_on.not_before: 'received_on' cannot be ordered after itself",
            "12: facts.outcome.not_before: 'outcome' is a choice fact; "
            "only a date fact can be ordered",
        ],
    ),
    (
        "legal_basis_language_invalid.yaml",
        [
            "19: routes.domestic.stages.reported.deadlines[0](decision).legal_basis must give "
            "both languages: {ru: ..., en: ...}",
            "25: routes.domestic.stages.reported.deadlines[1](answer).legal_basis: "
            "missing the 'en' text",
        ],
    ),
    (
        "reserved_trigger_invalid.yaml",
        [
            f"19: route 'domestic', transition 'open': 'open' {ENGINE_EVENT}",
            f"20: route 'domestic', transition 'record_fact': 'record_fact' {ENGINE_EVENT}",
            f"21: route 'domestic', transition 'correct_event': 'correct_event' {ENGINE_EVENT}",
            "22: route 'domestic', transition 'override_deadline': "
            f"'override_deadline' {ENGINE_EVENT}",
            f"23: route 'domestic', transition 'trigger': 'trigger' {MACHINE_NAME}",
            f"24: route 'domestic', transition 'state': 'state' {MACHINE_NAME}",
            f"25: route 'domestic', transition 'may_decide': 'may_decide' {MACHINE_NAME}",
            f"26: route 'domestic', transition 'to_decided': 'to_decided' {MACHINE_NAME}",
            f"27: route 'domestic', transition 'is_reported': 'is_reported' {MACHINE_NAME}",
            f"28: route 'domestic', transition '_decide': '_decide' {NOT_A_NAME}",
            f"29: route 'domestic', transition '__class__': '__class__' {NOT_A_NAME}",
            f"30: route 'domestic', transition 'Decide now': 'Decide now' {NOT_A_NAME}",
        ],
    ),
    (
        "too_long_invalid.yaml",
        [
            "15: routes.domestic.stages.reported.expected_duration: "
            f"period '99999999999d' {TOO_LONG}",
            f"19: routes.domestic.stages.reported.deadlines[0](decision).period: "
            f"period '101y' {TOO_LONG}",
            "26: routes.domestic.stages.reported.deadlines[1](answer).anchor_offset: "
            f"period '1300m' {TOO_LONG}",
            "28: routes.domestic.stages.reported.deadlines[1](answer).alternatives[0].period: "
            f"period '40000d' {TOO_LONG}",
            "30: routes.domestic.stages.reported.deadlines[1](answer).reminders: 40000 days is "
            "more than 100 years before the due date (at most 36525)",
            f"35: routes.domestic.stages.reported.deadlines[2](working).period: "
            f"period '30000wd' {TOO_LONG}",
            "37: routes.domestic.stages.reported.deadlines[2](working).reminders "
            "must list whole days",
        ],
    ),
    (
        "continues_invalid.yaml",
        [
            "17: route 'domestic', stage 'refused', deadline 'judge': "
            "'complain_to_judge' is in continues_through and in met_by",
            "17: route 'domestic', stage 'refused', deadline 'judge': continues_through "
            "'complain_to_higher' is not a transition leaving 'refused' "
            "(leaving it: complain_to_judge)",
            "17: route 'domestic', stage 'refused', deadline 'judge': met_by 'to_judge_now' "
            "is not a transition leaving 'refused' (leaving it: complain_to_judge)",
        ],
    ),
    # Refused while composing or before reading: one problem each, however large the damage.
    (
        "deep_nesting_invalid.yaml",
        ["6: the file is nested more than 50 levels deep; a workflows file needs far fewer"],
    ),
    (
        "alias_bomb_invalid.yaml",
        [
            "11: aliases stand for more than 100000 values (an alias bomb?); "
            "write the repeated parts out or share rules through `rules:`",
        ],
    ),
]


def test_a_file_over_2_mb_is_refused_by_its_size(tmp_path: Path) -> None:
    path = tmp_path / "too_large.yaml"
    padding = "# padding padding padding padding padding padding padding padding\n" * 33_000
    path.write_text("calendars: {}\nfacts: {}\nroutes: {}\n" + padding, encoding="utf-8")
    assert path.stat().st_size > 2 * 1024 * 1024

    assert [str(problem) for problem in check_file(path)] == [
        f"{path}:0: the file is larger than 2 MB; a workflows file is far smaller: "
        "check that it is the right file, or split it into route files",
    ]


def _lines(problems: list[Problem], fixture: Path | None = None) -> list[str]:
    """'line: message', with the file first (relative to the fixtures) if it is another one."""
    return [
        f"{problem.line}: {problem.message}"
        if fixture is None or problem.file == str(fixture)
        else f"{Path(problem.file).relative_to(WORKFLOWS)}:{problem.line}: {problem.message}"
        for problem in problems
    ]


@pytest.mark.parametrize(("name", "expected"), INVALID_FILES, ids=[n for n, _ in INVALID_FILES])
def test_invalid_file_reports_each_problem_with_its_line(name: str, expected: list[str]) -> None:
    assert _lines(check_file(WORKFLOWS / name), WORKFLOWS / name) == expected


def test_every_invalid_fixture_is_in_the_table() -> None:
    on_disk = {path.name for path in WORKFLOWS.glob("*_invalid.yaml")}

    assert on_disk == {name for name, _ in INVALID_FILES}


@pytest.mark.parametrize(
    "name",
    [
        "minimal.yaml",
        "rule_versions.yaml",
        "shared_rules.yaml",
        "written_out.yaml",
        "conditions.yaml",
    ],
)
def test_valid_file_has_no_problems(name: str) -> None:
    assert check_file(WORKFLOWS / name) == []


def test_rule_versions_overlap_wherever_they_are_declared() -> None:
    # The first and third versions overlap in 2019; the second sits between them.
    text = (WORKFLOWS / "rule_versions.yaml").read_text(encoding="utf-8")
    versions = """\
          - name: appeal
            label: {ru: "Жалоба", en: "Appeal"}
            period: 5d
            anchor: decided_on
            legal_basis: {ru: "УПК РК ст. 106(5), проект", en: "CPC RK art. 106(5), 2019 draft"}
            verified: false
            valid_from: 2019-01-01
            valid_to: 2019-12-31
    transitions:
"""
    text = text.replace("    transitions:\n", versions, 1).replace(
        "valid_to: 2020-12-31", "valid_to: 2019-06-30"
    )

    workflows, problems = parse_workflows(text, "versions.yaml")
    assert workflows is not None and problems == []
    assert _lines(validate(workflows)) == [
        "34: route 'domestic', stage 'decided': versions of deadline 'appeal' "
        "on lines 27 and 34 both apply from 2019-01-01 to 2019-06-30; "
        "end one with valid_to before the other's valid_from",
    ]


def test_load_workflows_returns_the_routes_of_a_valid_file() -> None:
    workflows = load_workflows(MINIMAL)

    assert isinstance(workflows, WorkflowSet)
    assert sorted(workflows.routes) == ["domestic", "un"]
    assert workflows.route("domestic").initial == "reported"


def test_load_workflows_raises_with_file_line_and_message() -> None:
    path = WORKFLOWS / "unreachable_and_dead_end_invalid.yaml"

    with pytest.raises(WorkflowError) as raised:
        load_workflows(path)

    assert str(raised.value).splitlines() == [
        f"{path}:14: route 'domestic': stage 'decided' is a dead end "
        "(no transition leaves it and it is not final)",
        f"{path}:17: route 'domestic': stage 'exhausted' cannot be reached from 'reported'",
    ]
    assert raised.value.problems == check_file(path)


def test_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"

    assert check_file(path) == [
        Problem(str(path), 0, "cannot read the file: No such file or directory")
    ]
    with pytest.raises(WorkflowError) as raised:
        load_workflows(path)
    assert str(raised.value) == f"{path}:0: cannot read the file: No such file or directory"


def test_directory_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    assert check_file(tmp_path) == [
        Problem(str(tmp_path), 0, "cannot read the file: Is a directory")
    ]


def test_file_that_is_not_utf8_is_a_problem_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("calendars: {}\nfacts: {}\n# Décision\nroutes: {}\n".encode("latin-1"))

    assert check_file(path) == [Problem(str(path), 3, "the file is not UTF-8 text (byte 0xe9)")]


def test_file_that_is_not_a_mapping_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- routes\n- facts\n", encoding="utf-8")

    assert _lines(check_file(path)) == [
        "1: the file must be a mapping with 'calendars', 'facts' and 'routes'"
    ]


@pytest.mark.parametrize(
    "tag",
    ["!!python/object/apply:os.system", "!!python/object/new:os.system", "!!python/name:os.system"],
)
def test_yaml_tags_never_build_python_objects(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "ran"
    path = tmp_path / "evil.yaml"
    path.write_text(
        f'calendars: {{}}\nfacts: {{}}\nroutes: {tag} ["touch {marker}"]\n', encoding="utf-8"
    )

    problems = check_file(path)

    assert not marker.exists()
    constructor = f"tag:yaml.org,2002:{tag.removeprefix('!!')}"
    assert _lines(problems) == [
        f"3: not valid YAML: could not determine a constructor for the tag '{constructor}'; "
        "a workflows file holds plain data only, without tags"
    ]


def _spec_objects(workflows: WorkflowSet) -> list[object]:
    """Every dataclass instance reachable from the set, the set included."""
    found: list[object] = []
    pending: list[object] = [workflows]
    while pending:
        item = pending.pop()
        if dataclasses.is_dataclass(item):
            found.append(item)
            pending.extend(getattr(item, f.name) for f in dataclasses.fields(item))
        elif isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, tuple | frozenset):
            pending.extend(item)
    return found


def test_spec_objects_are_frozen() -> None:
    objects = _spec_objects(load_workflows(MINIMAL))
    kinds = {type(item).__name__ for item in objects}

    assert {"WorkflowSet", "Route", "Stage", "Transition", "DeadlineRule", "HandOver"} <= kinds
    for item in objects:
        field = dataclasses.fields(item)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(item, field, None)


def test_spec_objects_below_the_set_hold_no_mutable_collections() -> None:
    workflows = load_workflows(MINIMAL)
    below_the_set = [item for item in _spec_objects(workflows) if item is not workflows]

    mutable = [
        f"{type(item).__name__}.{f.name}"
        for item in below_the_set
        for f in dataclasses.fields(item)
        if isinstance(getattr(item, f.name), list | dict | set)
    ]
    assert mutable == []


def test_choice_labels_must_name_declared_choices():
    text = MINIMAL.read_text(encoding="utf-8").replace(
        'refused: {ru: "Отказано", en: "Complaint refused"}',
        'rejected: {ru: "Отказано", en: "Complaint refused"}',
    )
    _workflows, problems = parse_workflows(text, "choices.yaml")
    assert [p.message for p in problems] == [
        "facts.outcome.choice_labels: 'rejected' is not one of the choices (granted, refused)"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &a [1, *a]\n", "an alias refers to the collection it is inside; write it out"),
        ("a: &a {b: [*a]}\n", "an alias refers to the collection it is inside; write it out"),
        (
            "reminders: [" + "9" * 5000 + "]\n",
            "a number of more than 18 digits; no value in a workflows file needs so many",
        ),
    ],
)
def test_hostile_yaml_is_one_problem_not_a_traceback(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")

    assert check_file(path) == [Problem(str(path), 1, message)]


def test_aliases_followed_past_50_levels_are_refused(tmp_path: Path) -> None:
    # Each line is shallow; followed through its aliases the last is 60 levels deep.
    lines = ["l0: &l0 [x]"] + [f"l{i}: &l{i} [*l{i - 1}]" for i in range(1, 60)]
    path = tmp_path / "chain.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    assert check_file(path) == [
        Problem(
            str(path),
            49,
            "with its aliases followed the file is nested more than 50 levels deep; "
            "a workflows file needs far fewer",
        )
    ]


def test_a_device_is_read_no_further_than_the_size_limit() -> None:
    # /dev/zero never ends: a bounded read stops at 2 MB instead of filling the memory.
    [problem] = check_file("/dev/zero")

    assert problem.message.startswith("the file is larger than 2 MB")
