"""CSV downloads are safe whatever separator the spreadsheet splits on."""

from __future__ import annotations

import csv
import io

import pytest

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
