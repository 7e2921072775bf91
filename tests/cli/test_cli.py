"""The `litigation` command line, run as a user runs it."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from litigation.cli import build_cli

from ..conftest import DATA, MINIMAL_WORKFLOWS

MINI = ["--workflows", str(MINIMAL_WORKFLOWS)]


def run(*args: str):
    return CliRunner().invoke(build_cli(), list(args), catch_exceptions=False)


def test_due_prints_the_date_first_then_the_reasoning():
    result = run("due", "2026-03-10", "15d", "--calendar", "KZ", *MINI)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "2026-03-26"
    assert any("2026-03-11" in line for line in lines[1:])  # counting starts the next day
    assert any("Nowruz" in line and "2026-03-25" in line for line in lines[1:])


def test_due_without_roll_keeps_the_raw_end():
    result = run("due", "2026-03-10", "15d", "--no-roll", *MINI)
    assert result.output.splitlines()[0] == "2026-03-25"


def test_due_on_the_un_calendar_never_moves():
    # 6 months from 2025-12-07 end on Sunday 2026-06-07, which stays.
    result = run("due", "2025-12-07", "6m", "--calendar", "none", *MINI)
    assert result.output.splitlines()[0] == "2026-06-07"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2026-02-30", "15d"], "error: '2026-02-30' is not a date; write it as YYYY-MM-DD"),
        (["30.03.2026", "15d"], "error: '30.03.2026' is not a date; write it as YYYY-MM-DD"),
        (["2026-03-10", "15x"], "error: period '15x' is not a number followed by d, wd, m or y"),
        (["2026-03-10", "0d"], "error: period '0d' must be longer than zero"),
        (["2026-03-10", "15d", "--calendar", "RU"], "error: unknown calendar 'RU'"),
    ],
)
def test_due_rejects_bad_input_with_one_line_and_status_2(args, message):
    result = CliRunner().invoke(build_cli(), ["due", *args, *MINI])
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line.startswith(message)
    assert "Traceback" not in result.output


def test_check_passes_on_a_valid_file():
    result = run("check", str(MINIMAL_WORKFLOWS))
    assert result.exit_code == 0
    assert "OK" in result.output


def test_check_lists_every_problem_with_file_and_line():
    path = DATA / "workflows" / "anchor_invalid.yaml"
    result = CliRunner().invoke(build_cli(), ["check", str(path)])
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith(str(path))]
    assert len(problems) == 2
    assert all(line.split(":")[1].isdigit() for line in problems)


def test_graph_prints_mermaid():
    result = run("graph", "domestic", *MINI)
    assert result.output.startswith("stateDiagram-v2\n")
    assert "reported --> decided: Decision taken" in result.output


def test_graph_of_an_unknown_route_fails_cleanly():
    result = CliRunner().invoke(build_cli(), ["graph", "nope", *MINI])
    assert result.exit_code == 2
    assert "no route 'nope'" in result.output


def test_routes_lists_each_route():
    result = run("routes", *MINI)
    assert [line.split()[0] for line in result.output.splitlines()] == ["domestic", "un"]


def test_create_user_and_sign_in_data(mini_app):
    runner = mini_app.test_cli_runner()
    result = runner.invoke(
        args=["create-user", "New@Example.org", "--role", "lawyer", "--password", "a long password"]
    )
    assert result.exit_code == 0, result.output
    assert "Created lawyer new@example.org" in result.output
    again = runner.invoke(
        args=["create-user", "new@example.org", "--role", "lawyer", "--password", "a long password"]
    )
    assert again.exit_code == 2
    assert "already exists" in again.output


def test_create_user_refuses_a_short_password(mini_app):
    result = mini_app.test_cli_runner().invoke(
        args=["create-user", "x@example.org", "--role", "staff", "--password", "short"]
    )
    assert result.exit_code == 2
    assert "at least 12 characters" in result.output


def test_broken_workflows_stop_start_up_with_file_and_line(tmp_path):
    broken = DATA / "workflows" / "unknown_guard_invalid.yaml"
    env = {
        "LITIGATION_WORKFLOWS": str(broken),
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-m", "litigation", "init-db"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert f"{broken}:" in result.stderr
    assert "unknown guard" in result.stderr
    assert "Traceback" not in result.stderr
