"""A case summary as A4 PDF (fpdf2), set in a TrueType font that has Cyrillic (DejaVu Sans,
Debian's fonts-dejavu-core), embedded as a subset: any PDF reader shows the Russian text.

Every page ends with «Confidential», the not-legal-advice line and its number. The
document's metadata carry the reference only, never a name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fpdf import FPDF
from fpdf.enums import XPos, YPos

if TYPE_CHECKING:
    from .summary import Part, Summary

FAMILY = "Body"
MARGIN = 15  # mm
LINE = 5.5  # mm, for 10.5 pt text
NEXT_LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


class FontMissing(Exception):
    """The TrueType font the PDF needs is not on the server (or is no font)."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


class _Document(FPDF):
    def __init__(self, summary: Summary) -> None:
        super().__init__(format="A4")
        self.summary = summary

    def footer(self) -> None:
        self.set_y(-MARGIN - 2)
        self.set_font(FAMILY, "B", 9)
        self.cell(0, 4, self.summary.confidential.upper(), align="C", **NEXT_LINE)
        self.set_font(FAMILY, "", 8)
        line = f"{self.summary.disclaimer} · {self.summary.reference} · {self.page_no()}"
        self.multi_cell(0, 3.5, line, align="C", **NEXT_LINE)


# The first bytes of a TrueType or OpenType font (or collection): anything else is refused
# before the font parser opens it (it would leave the file open when it fails).
FONT_SIGNATURES = (b"\x00\x01\x00\x00", b"true", b"OTTO", b"ttcf")


def _is_font(path: str | None) -> bool:
    try:
        with open(path or "", "rb") as file:
            return file.read(4) in FONT_SIGNATURES
    except OSError:
        return False


def _load_fonts(pdf: FPDF, regular: str, bold: str | None) -> None:
    if not _is_font(regular):
        raise FontMissing(regular)
    bold = bold if _is_font(bold) else regular
    try:
        pdf.add_font(FAMILY, "", regular)
        pdf.add_font(FAMILY, "B", bold)
    except Exception as error:  # fontTools says "not a font" in many ways: all mean the same
        raise FontMissing(regular) from error


def summary_pdf(summary: Summary, font: str, bold_font: str | None = None) -> bytes:
    """The summary as PDF bytes; FontMissing when `font` cannot be used."""
    pdf = _Document(summary)
    _load_fonts(pdf, font, bold_font)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN + 12)
    pdf.set_title(summary.title)
    pdf.set_creator("litigation")
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 15)
    pdf.multi_cell(0, 8, summary.title, align="L", **NEXT_LINE)
    pdf.set_font(FAMILY, "", 9)
    pdf.multi_cell(0, 4.5, summary.printed, align="L", **NEXT_LINE)
    pdf.ln(2)
    for label, value in summary.facts:
        _fact(pdf, label, value)
    for note in summary.notes:
        pdf.set_font(FAMILY, "", 9)
        pdf.multi_cell(0, 4.5, note, align="L", **NEXT_LINE)
    for part in summary.parts:
        _part(pdf, part)
    return bytes(pdf.output())


def _fact(pdf: FPDF, label: str, value: str) -> None:
    pdf.set_font(FAMILY, "B", 10.5)
    pdf.cell(pdf.get_string_width(f"{label}: ") + 1, LINE, f"{label}:")
    pdf.set_font(FAMILY, "", 10.5)
    pdf.multi_cell(0, LINE, value, align="L", **NEXT_LINE)


def _part(pdf: FPDF, part: Part) -> None:
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", 12)
    pdf.multi_cell(0, 6.5, part.title, align="L", **NEXT_LINE)
    if part.subtitle:
        pdf.set_font(FAMILY, "", 10.5)
        pdf.multi_cell(0, LINE, part.subtitle, align="L", **NEXT_LINE)
    if not part.items:
        pdf.set_font(FAMILY, "", 10.5)
        pdf.multi_cell(0, LINE, part.empty, align="L", **NEXT_LINE)
    for item in part.items:
        pdf.set_font(FAMILY, "B" if item.alert else "", 10.5)
        pdf.multi_cell(0, LINE, f"• {item.text}", align="L", **NEXT_LINE)
        pdf.set_font(FAMILY, "", 9)
        for detail in item.details:
            pdf.set_x(MARGIN + 5)
            pdf.multi_cell(0, 4.5, detail, align="L", **NEXT_LINE)
