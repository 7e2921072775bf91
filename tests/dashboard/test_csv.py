"""CSV downloads are safe whatever separator the spreadsheet splits on."""

from __future__ import annotations

import csv
import io

import pytest

from litigation.web.dashboard.grid import Table, csv_response


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_no_cell_becomes_a_formula_whatever_the_separator(app, separator):
    table = Table("authorities", "Authorities", ["Authority", "Overdue"])
    table.add("a;=1+1", 3)
    table.add('=HYPERLINK("http://evil.example")', 1)
    table.add("b,+2\t@SUM(A1)", 2)

    with app.test_request_context():
        text = csv_response(table).get_data(as_text=True).lstrip("\ufeff")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=separator) for cell in row]

    assert not [cell for cell in cells if cell.strip('"').startswith(("=", "+", "-", "@"))]
