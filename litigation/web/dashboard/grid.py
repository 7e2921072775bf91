"""A table built once and shown two ways: as HTML and as the CSV download with the same cells."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from flask import Response
from flask_login import current_user

from ...audit import record
from ...models import AuditKind
from ..confirm import confirmation_needed

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A spreadsheet that splits on another separator than ours may start a cell inside a text.
FORMULA_AFTER_SEPARATOR = re.compile(r"([,;\t])(?=[=+\-@\t\r])")


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None
    number: bool = False


@dataclass
class Table:
    name: str  # the ?table= value and the CSV file name
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""

    def add(self, *cells: Cell | str | int | float | None) -> None:
        """Append a row; plain values become cells (numbers right-aligned, None a dash)."""
        self.rows.append([cell if isinstance(cell, Cell) else _cell(cell) for cell in cells])


def _cell(value: str | int | float | None) -> Cell:
    if value is None:
        return Cell("—")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return Cell(str(value))
    return Cell(number_text(value), number=True)


def number_text(value: int | float) -> str:
    """Whole numbers as they are, others with one decimal: the same text in HTML and CSV."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))


@dataclass(frozen=True)
class CsvFormat:
    """How a spreadsheet program expects its CSV: the separator between cells and the mark
    in decimal numbers. Always UTF-8 with a BOM (spreadsheets read Cyrillic by it)."""

    name: str  # the ?format= value
    separator: str = ","
    decimal_comma: bool = False
    suffix: str = ""  # added to the file name


PLAIN_CSV = CsvFormat("csv")
# Excel and LibreOffice set to Russian split on ";" and read "1,5" as a number.
RUSSIAN_CSV = CsvFormat("csv_ru", separator=";", decimal_comma=True, suffix="-ru")
CSV_FORMATS = {f.name: f for f in (PLAIN_CSV, RUSSIAN_CSV)}


def csv_format(value: str | None) -> CsvFormat | None:
    """The CSV format a ?format= value asks for; None when it asks for none (the page)."""
    return CSV_FORMATS.get(value or "")


def _safe(cell: Cell, form: CsvFormat = PLAIN_CSV) -> str:
    # A spreadsheet would run a text cell starting with "=" as a formula: neutralise it.
    if cell.number:
        return cell.text.replace(".", ",") if form.decimal_comma else cell.text
    text = FORMULA_AFTER_SEPARATOR.sub(r"\1'", cell.text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(
    table: Table, details: dict[str, Any] | None = None, form: CsvFormat = PLAIN_CSV
) -> Response:
    """The table as a UTF-8 CSV download (with a BOM so that spreadsheets read Cyrillic),
    on the audit trail as a download by the signed-in user, with `details` of what it holds.
    An export: asks first who this is when the browser has not proved it lately."""
    if (page := confirmation_needed()) is not None:
        return page
    what = {"what": "csv", "table": table.name, "rows": len(table.rows)}
    if form is not PLAIN_CSV:
        what["format"] = form.name
    record(
        AuditKind.DOWNLOAD,
        actor=current_user if current_user.is_authenticated else None,
        details=what | (details or {}),
    )
    filename = f"{table.name}{form.suffix}.csv"
    return Response(
        csv_text(table, form),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def csv_text(table: Table, form: CsvFormat = PLAIN_CSV) -> str:
    """The table as CSV text, with a BOM so that spreadsheets read Cyrillic."""
    buffer = io.StringIO()
    # Every cell quoted: a spreadsheet that splits on ";" (the Russian default) still reads
    # "a;=1+1" as one text cell, never as a second cell holding a formula.
    writer = csv.writer(buffer, delimiter=form.separator, quoting=csv.QUOTE_ALL)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_safe(cell, form) for cell in row])
    return "\ufeff" + buffer.getvalue()
