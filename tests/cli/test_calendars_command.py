"""`litigation calendars`: per calendar and year, what is confirmed, what is estimated and
which weekend holidays gave a day off; `litigation check` on a broken calendar."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from click.testing import CliRunner

from litigation.cli import build_cli
from litigation.cli.workflows import COMMANDS, calendars_command

from ..conftest import SHIPPED_WORKFLOWS

CONFIRM = "  (confirm under confirmed_holidays)"
MAY_MOVE = "may move if the Government decrees a transfer"


@pytest.fixture(scope="module")
def calendars_file(tmp_path_factory) -> str:
    """The shipped calendars alone, so that the command does not depend on the routes."""
    shipped = yaml.safe_load(SHIPPED_WORKFLOWS.read_text(encoding="utf-8"))
    data = {"version": 1, "calendars": shipped["calendars"], "facts": {}, "routes": {}}
    path = tmp_path_factory.mktemp("calendars") / "workflows.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def run(*args: str):
    return CliRunner().invoke(build_cli(), list(args), catch_exceptions=False)


def sections(output: str) -> dict[str, list[str]]:
    """The output's lines by calendar: a calendar's first line is not indented."""
    found: dict[str, list[str]] = {}
    for line in output.splitlines():
        if not line.startswith(" "):
            current = found.setdefault(line.split(":")[0], [])
        current.append(line)
    return found


def year_lines(lines: list[str]) -> list[str]:
    return [line.split()[0] for line in lines if line.startswith("  2")]


def test_calendars_is_a_registered_command():
    assert calendars_command in COMMANDS
    assert "calendars" in build_cli().commands


def test_each_calendar_lists_every_year_from_2015_to_two_years_ahead(calendars_file):
    result = run("calendars", "--today", "2026-12-01", "--workflows", calendars_file)
    assert result.exit_code == 0
    found = sections(result.output)
    assert list(found) == ["KZ", "TJ", "none"]
    years = [str(year) for year in range(2015, 2029)]
    assert year_lines(found["KZ"]) == years
    assert year_lines(found["TJ"]) == years
    assert found["none"] == [
        "none: no public holidays and no decrees; its dates are never provisional"
    ]


def test_later_today_lists_later_years(calendars_file):
    result = run("calendars", "--today", "2030-06-01", "--workflows", calendars_file)
    assert year_lines(sections(result.output)["TJ"])[-1] == "2032"


def test_without_today_the_real_date_is_used(calendars_file):
    result = run("calendars", "--workflows", calendars_file)
    assert year_lines(sections(result.output)["KZ"])[-1] == str(dt.date.today().year + 2)


@pytest.mark.parametrize(
    ("calendar", "line"),
    [
        ("KZ", "  2025  decree: confirmed"),
        ("KZ", f"  2028  decree: NOT CONFIRMED, dates in 2028 {MAY_MOVE}"),
        ("KZ", "        confirmed  2015-09-24 (Thursday)  Eid al-Adha  [holidays package]"),
        ("KZ", f"        estimated  2027-05-16 (Sunday)  Eid al-Adha{CONFIRM}"),
        (
            "KZ",
            "        moved      2026-03-09 (Monday)  International Women's Day (observed) "
            "[holidays package]",
        ),
        ("TJ", "  2026  decree: confirmed"),
        ("TJ", "  2023  decree: confirmed"),
        ("TJ", f"  2024  decree: NOT CONFIRMED, dates in 2024 {MAY_MOVE}"),
        ("TJ", f"        estimated  2027-03-09 (Tuesday)  Eid al-Fitr{CONFIRM}"),
        ("TJ", f"        estimated  2026-05-27 (Wednesday)  Eid al-Adha{CONFIRM}"),
        (
            "TJ",
            "        moved      2015-03-09 (Monday)  day off: 8 March fell on a Sunday "
            "(Law on holidays art. 3, unverified), for Mother's Day",
        ),
        (
            "TJ",
            "        moved      2021-03-25 (Thursday)  day off: 21 March fell on a Sunday "
            "(Law on holidays art. 3, unverified), for International Nowruz Day",
        ),
        (
            "TJ",
            "        moved      2027-05-17 (Monday)  day off: 16 May fell on a Sunday "
            "(Law on holidays art. 3, unverified), for Eid al-Adha (estimated)",
        ),
    ],
)
def test_the_listing_says_what_is_confirmed_estimated_and_moved(calendars_file, calendar, line):
    result = run("calendars", "--today", "2026-12-01", "--workflows", calendars_file)
    assert line in sections(result.output)[calendar]


def test_confirmed_lunar_dates_and_decreed_swaps_show_their_source(calendars_file):
    result = run("calendars", "--today", "2026-12-01", "--workflows", calendars_file)
    tj = sections(result.output)["TJ"]
    fitr = [line for line in tj if "confirmed  2026-03-20 (Friday)  Eid al-Fitr" in line]
    assert len(fitr) == 1 and "Sputnik Tajikistan 27 Feb 2026" in fitr[0]
    assert fitr[0].endswith("(unverified)]")
    swap = [line for line in tj if "decreed    2026-03-14 (Saturday)  working day:" in line]
    assert len(swap) == 1 and "Sputnik Tajikistan" in swap[0]


def test_a_bad_today_fails_with_one_line(calendars_file):
    result = CliRunner().invoke(
        build_cli(), ["calendars", "--today", "2026-13-01", "--workflows", calendars_file]
    )
    assert result.exit_code == 2
    assert result.output.strip() == "error: '2026-13-01' is not a date; write it as YYYY-MM-DD"


def test_check_reports_an_unknown_country_with_its_line_and_no_traceback(tmp_path):
    path = tmp_path / "workflows.yaml"
    text = "version: 1\ncalendars:\n  XX: {holidays: XX, weekend: [sat]}\nfacts: {}\nroutes: {}\n"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(build_cli(), ["check", str(path)])
    assert result.exit_code == 1
    assert f"{path}:3: calendars.XX.holidays: 'XX' is not a country code" in result.output
    assert "Traceback" not in result.output
