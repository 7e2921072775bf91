"""CSV downloads are safe whatever separator the spreadsheet splits on."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from flask_babel import force_locale

from litigation.web.dashboard.grid import Table, csv_text


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_no_cell_becomes_a_formula_whatever_the_separator(separator):
    table = Table("authorities", "Authorities", ["Authority", "Overdue"])
    table.add("a;=1+1", 3)
    table.add('=HYPERLINK("http://evil.example")', 1)
    table.add("b,+2\t@SUM(A1)", 2)

    text = csv_text(table).lstrip("\ufeff")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=separator) for cell in row]

    assert not [cell for cell in cells if cell.strip('"').startswith(("=", "+", "-", "@"))]


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_the_russian_form_is_as_safe_whatever_the_separator(app, separator):
    table = Table("authorities", "Authorities", ["Authority", "Overdue", "Share", "Since"])
    with force_locale("en"):  # the page's words are English; the form's are not
        table.add("a;=1+1", 3, 12.5, dt.date(2026, 11, 27))
        table.add("-2+3", -4, 0.5, None)

    text = csv_text(table, "ru").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=separator))
    cells = [cell for row in rows for cell in row]

    assert not [c for c in cells if c.strip('"').startswith(("=", "+", "@"))]
    assert [c for c in cells if c.strip('"').startswith("-")] == ["-4"] * (separator == ";")
    if separator == ";":
        assert rows[1] == ["a;'=1+1", "3", "12,5", "27.11.2026"]
        assert rows[2] == ["'-2+3", "-4", "0,5", "—"]
