"""A table built once and shown three ways: as HTML in the reader's language, as the standard
CSV (comma, ISO dates, decimal point) and as the CSV a spreadsheet with Russian settings reads
as it is (semicolon, DD.MM.YYYY, decimal comma), with the same cells."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from flask import Response
from flask_babel import format_date, format_decimal
from flask_login import current_user

from ...audit import record
from ...models import AuditKind
from ..confirm import confirmation_needed
from ..context import lang

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A spreadsheet that splits on another separator than ours may start a cell inside a text.
FORMULA_AFTER_SEPARATOR = re.compile(r"([,;\t])(?=[=+\-@\t\r])")
RUSSIAN = "ru"  # ?csv=ru: the form for spreadsheets with Russian settings
CSV_FORMS = ("", RUSSIAN)
# The cases list names its forms in ?format= (csv, csv_ru); the dashboard in ?csv=.
CsvFormat = str
PLAIN_CSV, RUSSIAN_CSV = "", RUSSIAN
_FORMAT_PARAMETERS = {"csv": PLAIN_CSV, "csv_ru": RUSSIAN_CSV}


def csv_format(value: str | None) -> CsvFormat | None:
    """The CSV form a ?format= value asks for; None when it asks for none (the page)."""
    return _FORMAT_PARAMETERS.get(value or "")


@dataclass(frozen=True)
class Cell:
    text: str  # as the page shows it, in the reader's language
    href: str | None = None
    number: bool = False
    plain: str | None = None  # in the standard CSV, when not `text`: ISO date, decimal point
    russian: str | None = None  # in the `;` CSV, when not `text`: DD.MM.YYYY, decimal comma

    def csv(self, form: str) -> str:
        """The cell's text in one CSV form ("" standard, "ru" for Russian spreadsheets)."""
        written = self.russian if form == RUSSIAN else self.plain
        return self.text if written is None else written


@dataclass
class Table:
    name: str  # the ?table= value and the CSV file name
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""  # said under the title: which rows these are
    more: tuple[str, str] | None = None  # (words, address) of a link to other rows

    def add(self, *cells: Cell | str | int | float | dt.date | None) -> None:
        """Append a row; plain values become cells (numbers right-aligned, None a dash)."""
        self.rows.append([cell if isinstance(cell, Cell) else _cell(cell) for cell in cells])


def _cell(value: str | int | float | dt.date | None) -> Cell:
    if value is None:
        return Cell("—")
    if isinstance(value, dt.date):
        return date_cell(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return Cell(str(value))
    return number_cell(value)


def number_text(value: int | float) -> str:
    """Whole numbers as they are, others with one decimal and a point: the standard CSV's."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))


def number_cell(value: int | float, href: str | None = None) -> Cell:
    """A figure: grouped and with the reader's decimal sign on the page, plain in the CSVs."""
    plain = number_text(value)
    shown = format_decimal(float(plain) if "." in plain else int(plain), format="#,##0.#")
    return Cell(shown, href, number=True, plain=plain, russian=plain.replace(".", ","))


def day_text(day: dt.date) -> str:
    """A date as the reader writes it in a table: 27.11.2026 in Russian, 27 Nov 2026 else."""
    return format_date(day, "dd.MM.y" if lang() == "ru" else "d MMM y")


def date_cell(day: dt.date) -> Cell:
    return Cell(day_text(day), plain=day.isoformat(), russian=day.strftime("%d.%m.%Y"))


def month_cell(month: str) -> Cell:
    """A month given as YYYY-MM: its name and year on the page and in the `;` CSV."""
    first = dt.date.fromisoformat(f"{month}-01")
    return Cell(format_date(first, "LLLL y"), plain=month)


def _safe(cell: Cell, form: str) -> str:
    # A spreadsheet would run a text cell starting with "=" as a formula: neutralise it.
    text = cell.csv(form)
    if cell.number:
        return text
    text = FORMULA_AFTER_SEPARATOR.sub(r"\1'", text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(table: Table, details: dict[str, Any] | None = None, form: str = "") -> Response:
    """The table as a UTF-8 CSV download (with a BOM so that spreadsheets read Cyrillic),
    on the audit trail as a download by the signed-in user, with `details` of what it holds.
    An export: asks first who this is when the browser has not proved it lately."""
    if (page := confirmation_needed()) is not None:
        return page
    details = {**(details or {}), **({"form": form} if form else {})}
    record(
        AuditKind.DOWNLOAD,
        actor=current_user if current_user.is_authenticated else None,
        details={"what": "csv", "table": table.name, "rows": len(table.rows), **details},
    )
    suffix = "-ru" if form == RUSSIAN else ""
    return Response(
        csv_text(table, form),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{table.name}{suffix}.csv"'},
    )


def csv_text(table: Table, form: str = "") -> str:
    """The table as CSV text, with a BOM so that spreadsheets read Cyrillic."""
    buffer = io.StringIO()
    # Every cell quoted: a spreadsheet that splits on another separator than ours still
    # reads "a;=1+1" as one text cell, never as a second cell holding a formula.
    delimiter = ";" if form == RUSSIAN else ","
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_safe(cell, form) for cell in row])
    return "\ufeff" + buffer.getvalue()
