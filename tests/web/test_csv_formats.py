"""The two CSV forms every download offers: plain (",", decimal point) and the Russian
spreadsheet's (";", decimal comma), both UTF-8 with a BOM, every cell quoted and safe."""

from __future__ import annotations

import csv
import io

from litigation.web.dashboard.grid import PLAIN_CSV, RUSSIAN_CSV, Table, csv_format, csv_text


def _table() -> Table:
    table = Table("t", "T", ["Name", "Median days"])
    table.add("a;=1+1", 1.5)
    table.add("-2", 3)
    return table


def test_the_russian_form_splits_on_semicolons_with_a_decimal_comma():
    text = csv_text(_table(), RUSSIAN_CSV)

    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows == [["Name", "Median days"], ["a;'=1+1", "1,5"], ["'-2", "3"]]
    assert all(line.startswith('"') for line in text[1:].splitlines())


def test_the_plain_form_keeps_the_decimal_point():
    rows = list(csv.reader(io.StringIO(csv_text(_table(), PLAIN_CSV)[1:])))

    assert rows[1] == ["a;'=1+1", "1.5"]


def test_the_format_is_read_from_the_query_value():
    assert csv_format("csv") is PLAIN_CSV
    assert csv_format("csv_ru") is RUSSIAN_CSV
    assert csv_format("") is None and csv_format("xlsx") is None and csv_format(None) is None
