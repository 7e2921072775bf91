"""Shared rules, `source: any` and included route files load into the same spec as written out."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from litigation.workflows.loader import check_file, load_workflows, parse_workflows
from litigation.workflows.problems import Problem
from litigation.workflows.spec import Text

from ..conftest import DATA

WORKFLOWS = DATA / "workflows"
SHARED = WORKFLOWS / "shared_rules.yaml"
MINIMAL = WORKFLOWS / "minimal.yaml"


def _plain(item: object) -> object:
    """The spec as plain data without line numbers or `from_any`, to compare two files."""
    if dataclasses.is_dataclass(item):
        return {
            f.name: _plain(getattr(item, f.name))
            for f in dataclasses.fields(item)
            if f.name not in {"line", "lines", "path", "from_any"}
        }
    if isinstance(item, dict):
        return {key: _plain(value) for key, value in item.items()}
    if isinstance(item, tuple):
        return [_plain(value) for value in item]
    return item


def test_shared_rules_any_and_includes_load_like_the_written_out_file() -> None:
    shared = load_workflows(SHARED)
    written_out = load_workflows(WORKFLOWS / "written_out.yaml")

    assert _plain(shared) == _plain(written_out)
    assert list(shared.routes) == ["domestic", "un"]


def test_source_any_is_every_stage_that_is_not_final() -> None:
    domestic = load_workflows(SHARED).route("domestic")

    close = domestic.transition("close")
    assert close.sources == ("reported", "decided", "refused", "exhausted")
    assert close.from_any
    assert not domestic.transition("give_up").from_any


def test_a_reference_is_the_shared_rule_with_its_changes_at_its_own_line() -> None:
    decided = load_workflows(SHARED).route("domestic").stage("decided")
    text = SHARED.read_text(encoding="utf-8").splitlines()

    [rule] = decided.deadlines
    assert text[rule.line - 1].strip() == "- use: appeal_from_learning"
    assert rule.label == Text("Жалоба с ознакомления (15 дней)", "Appeal from learning (15 days)")
    assert (rule.anchor, rule.met_by, rule.cancelled_by) == (
        "learned_on",
        ("appeal",),
        ("give_up",),
    )


def test_every_label_gets_its_period() -> None:
    [appeal] = load_workflows(MINIMAL).route("domestic").stage("decided").deadlines

    assert appeal.label == Text("Жалоба (15 дней)", "Appeal (15 days)")


def test_a_stage_may_not_be_called_any() -> None:
    text = MINIMAL.read_text(encoding="utf-8").replace("      exhausted:\n", "      any:\n")

    _workflows, problems = parse_workflows(text, "any.yaml")

    assert [p.message for p in problems] == [
        "routes.domestic.stages.any: 'any' is kept for `source: any`; rename the stage"
    ]


def _entry_file(tmp_path: Path, include: str) -> Path:
    """A workflows file in tmp_path whose one route is included from `include`."""
    path = tmp_path / "workflows.yaml"
    path.write_text(
        f"calendars: {{}}\nfacts: {{}}\nroutes:\n  domestic: {include}\n", encoding="utf-8"
    )
    (tmp_path / "routes").mkdir()
    return path


def test_invalid_yaml_in_an_included_file_is_reported_in_that_file(tmp_path: Path) -> None:
    path = _entry_file(tmp_path, "{include: routes/domestic.yaml}")
    included = tmp_path / "routes" / "domestic.yaml"
    included.write_text("title: {ru: x\nstages: []\n", encoding="utf-8")

    [problem] = check_file(path)

    assert (problem.file, problem.line) == (str(included), 2)
    assert problem.message.startswith("not valid YAML: ")


def test_an_included_file_that_is_not_utf8_is_reported_in_that_file(tmp_path: Path) -> None:
    path = _entry_file(tmp_path, "{include: routes/domestic.yaml}")
    included = tmp_path / "routes" / "domestic.yaml"
    included.write_bytes("title: x\n# Décision\n".encode("latin-1"))

    assert check_file(path) == [Problem(str(included), 2, "the file is not UTF-8 text (byte 0xe9)")]


def test_an_empty_included_file_is_a_problem(tmp_path: Path) -> None:
    path = _entry_file(tmp_path, "{include: routes/domestic.yaml}")
    (tmp_path / "routes" / "domestic.yaml").write_text("# nothing yet\n", encoding="utf-8")

    assert check_file(path) == [
        Problem(
            str(tmp_path / "routes" / "domestic.yaml"),
            1,
            "routes.domestic: the included file is empty",
        )
    ]


def test_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("title: {ru: x, en: x}\n", encoding="utf-8")
    entry = tmp_path / "inside"
    entry.mkdir()
    path = _entry_file(entry, "{include: routes/domestic.yaml}")
    (entry / "routes" / "domestic.yaml").symlink_to(outside)

    assert check_file(path) == [
        Problem(
            str(path),
            4,
            "routes.domestic.include: 'routes/domestic.yaml' is outside the folder of "
            "workflows.yaml; keep it in that folder",
        )
    ]


@pytest.mark.parametrize(
    ("include", "message"),
    [
        (
            "{include: routes/domestic.yaml, title: {ru: x, en: x}}",
            "routes.domestic: an included route is written in its own file only",
        ),
        (
            "{include: [routes/domestic.yaml]}",
            "routes.domestic.include: give a file path relative to workflows.yaml, "
            "e.g. routes/un_hrc.yaml",
        ),
    ],
)
def test_an_include_names_one_file_and_nothing_else(
    tmp_path: Path, include: str, message: str
) -> None:
    path = _entry_file(tmp_path, include)
    (tmp_path / "routes" / "domestic.yaml").write_text(
        (WORKFLOWS / "routes" / "un.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )

    assert message in [problem.message for problem in check_file(path)]


def test_an_included_file_over_2_mb_is_refused_at_the_include(tmp_path: Path) -> None:
    path = _entry_file(tmp_path, "{include: routes/domestic.yaml}")
    (tmp_path / "routes" / "domestic.yaml").write_text("#" * (2 * 1024 * 1024 + 1), "utf-8")

    assert check_file(path) == [
        Problem(
            str(path),
            4,
            "routes.domestic.include: 'routes/domestic.yaml' is larger than 2 MB; a workflows "
            "file is far smaller: check that it is the right file, or split it into route files",
        )
    ]


def test_a_hostile_included_file_is_reported_in_that_file(tmp_path: Path) -> None:
    path = _entry_file(tmp_path, "{include: routes/domestic.yaml}")
    included = tmp_path / "routes" / "domestic.yaml"
    included.write_text("title: " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8")

    assert check_file(path) == [
        Problem(
            str(included),
            1,
            "the file is nested more than 50 levels deep; a workflows file needs far fewer",
        )
    ]
