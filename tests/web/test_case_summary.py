"""A case summary for a court or prison visit (issue 12): a printable page and a PDF with the
reference, the proceedings and their open deadlines, upcoming hearings, consents in force and
the team; the survivor's name only when asked for, allowed to the role and by consent and
risk; the PDF on the audit trail (never the name) and confirmed first when it names."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from litigation.cases.hearings import add_hearing
from litigation.db import db, utcnow
from litigation.models import AuditEntry, AuditKind, Role, UserSession

from ..conftest import sign_in
from .pdf_text import pdf_text

NAME = "Асель Нурланова"
PLACE = "ИВС г. Караганды"
HEARING_PLACE = "Сарыаркинский районный суд, зал 4"


@pytest.fixture
def lawyer(app, create_user_):
    return create_user_(Role.LAWYER, name="Адвокат Серикова", language="en")


def _case(registry, create_case, team, *, consents=("litigation", "sharing"), risk="low"):
    case, _ = create_case(
        registry,
        "kz_criminal",
        team=team,
        facts={"reported_on": dt.date(2026, 11, 20)},
        consents=consents,
        reprisal_risk=risk,
        survivor_name=NAME,
        incident_place=PLACE,
        authority="ДП Карагандинской области",
    )
    next_year = utcnow().date().year + 1
    details = {
        "kind": "court",
        "starts_on": dt.date(next_year, 3, 2),
        "starts_at": dt.time(10, 30),
        "place": HEARING_PLACE,
        "attendees": "Адвокат, переводчик",
    }
    add_hearing(case, details, actor=None)
    db.session.commit()
    return case


@pytest.fixture
def case(registry, create_case, lawyer):
    return _case(registry, create_case, [lawyer])


def _downloads(user) -> list[AuditEntry]:
    query = select(AuditEntry).where(
        AuditEntry.kind == AuditKind.DOWNLOAD, AuditEntry.actor_id == user.id
    )
    return list(db.session.scalars(query))


def _age_confirmation(user) -> None:
    for row in db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)):
        row.confirmed_at = utcnow() - dt.timedelta(minutes=30)
    db.session.commit()


def test_the_summary_lists_what_a_visit_needs_without_the_name(client, lawyer, case):
    sign_in(client, lawyer)

    page = client.get(f"/cases/{case.id}/summary").get_data(as_text=True)

    assert f"Case summary {case.reference}" in page
    assert f"the survivor in case {case.reference}" in page
    assert "Kazakhstan: criminal proceedings for torture" in page and "Stage: Report made" in page
    assert "Registration of the report in the ERDR (1 day): Nov 21, 2026" in page
    assert "6 days overdue" in page and "Who acts: the state" in page
    assert "Legal basis: CPC RK art. 180(3)" in page and "unverified rule" in page
    assert "(Almaty time) · Court hearing" in page
    assert "Litigation (courts and UN bodies)" in page and "given on Jan 10, 2025" in page
    assert "Адвокат Серикова · lawyer" in page
    assert "Printed on Nov 27, 2026" in page and "Confidential" in page
    assert "Not legal advice" in page
    assert NAME not in page and PLACE not in page and HEARING_PLACE not in page
    assert "Without the name, the place of the incident" in page


def test_the_name_and_places_appear_when_asked_and_allowed(client, lawyer, case):
    sign_in(client, lawyer)

    page = client.get(f"/cases/{case.id}/summary?names=1").get_data(as_text=True)

    assert NAME in page and PLACE in page and HEARING_PLACE in page
    assert "Who attends: Адвокат, переводчик" in page
    assert f'href="/cases/{case.id}/summary.pdf?names=1"' in page


@pytest.mark.parametrize(
    ("consents", "risk"), [(("litigation",), "low"), (("litigation", "sharing"), "high")]
)
def test_no_name_without_consent_to_sharing_or_with_a_high_risk(
    client, lawyer, registry, create_case, consents, risk
):
    case = _case(registry, create_case, [lawyer], consents=consents, risk=risk)
    sign_in(client, lawyer)

    page = client.get(f"/cases/{case.id}/summary?names=1").get_data(as_text=True)

    assert NAME not in page and PLACE not in page
    assert "Printed without the name: the survivor&#39;s consent to sharing is not current" in page
    assert f'href="/cases/{case.id}/summary.pdf"' in page


def test_staff_never_print_the_name(client, create_user_, registry, create_case):
    staff = create_user_(Role.STAFF, language="en")
    case = _case(registry, create_case, [staff])
    sign_in(client, staff)

    page = client.get(f"/cases/{case.id}/summary?names=1").get_data(as_text=True)
    pdf = client.get(f"/cases/{case.id}/summary.pdf?names=1").data

    assert NAME not in page and 'name="names"' not in page
    assert "Your role does not take survivors&#39; names out of the system" in page
    assert NAME not in pdf_text(pdf)


def test_a_case_the_user_may_not_see_has_no_summary(client, create_user_, case):
    other = create_user_(Role.LAWYER, language="en")
    sign_in(client, other)

    assert client.get(f"/cases/{case.id}/summary").status_code == 404
    assert client.get(f"/cases/{case.id}/summary.pdf").status_code == 404
    assert _downloads(other) == []


def test_the_pdf_without_names_carries_the_reference_in_russian_and_no_name(
    client, create_user_, registry, create_case
):
    lawyer = create_user_(Role.LAWYER, language="ru")
    case = _case(registry, create_case, [lawyer])
    sign_in(client, lawyer)
    _age_confirmation(lawyer)  # no names: no confirmation needed

    response = client.get(f"/cases/{case.id}/summary.pdf")

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert b"/FontFile2" in response.data  # the font is embedded
    text = pdf_text(response.data)
    assert f"Сводка по делу {case.reference}" in text
    assert f"пострадавший по делу {case.reference}" in text
    assert "КОНФИДЕНЦИАЛЬНО" in text and "Не является юридической консультацией" in text
    assert "Регистрация заявления в ЕРДР" in text and "Стадия: " in text
    assert NAME not in text and PLACE not in text and HEARING_PLACE not in text
    for word in (NAME, *NAME.split(), PLACE):
        assert word.encode() not in response.data
        assert word.encode("utf-16-be") not in response.data
    (entry,) = _downloads(lawyer)
    assert entry.case_id == case.id
    assert entry.details == {"what": "pdf", "summary": True, "with_names": False}


def test_the_pdf_with_the_name_asks_who_this_is_first(client, lawyer, case):
    sign_in(client, lawyer)
    _age_confirmation(lawyer)

    asked = client.get(f"/cases/{case.id}/summary.pdf?names=1")

    assert asked.status_code == 401
    assert 'name="confirm_password"' in asked.get_data(as_text=True)
    assert _downloads(lawyer) == []


def test_the_pdf_with_the_name_names_the_survivor_and_the_trail_says_so(client, lawyer, case):
    sign_in(client, lawyer)  # signing in counts as a fresh confirmation

    response = client.get(f"/cases/{case.id}/summary.pdf?names=1")

    text = pdf_text(response.data)
    assert NAME in text and PLACE in text and HEARING_PLACE in text
    (entry,) = _downloads(lawyer)
    assert entry.details == {"what": "pdf", "summary": True, "with_names": True}
    assert NAME not in str(entry.details)
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{case.reference}-summary.pdf"'
    )


def test_the_audit_trail_tells_a_summary_download(client, create_user_, case):
    admin = create_user_(Role.ADMIN, language="en")
    sign_in(client, admin)
    client.get(f"/cases/{case.id}/summary.pdf?names=1")

    page = client.get("/admin/audit").get_data(as_text=True)

    assert "case summary as PDF" in page and "with the survivor&#39;s name" in page
    assert NAME not in page


@pytest.mark.parametrize("font", ["missing", "not a font"])
def test_a_missing_font_is_a_clear_message_not_a_crash(
    client, app, lawyer, case, monkeypatch, tmp_path, font
):
    path = tmp_path / "DejaVuSans.ttf"
    if font == "not a font":
        path.write_bytes(b"this is not a TrueType font")
    monkeypatch.setitem(app.config, "PDF_FONT", str(path))
    sign_in(client, lawyer)

    response = client.get(f"/cases/{case.id}/summary.pdf")

    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert f"the font {path} is missing or unreadable" in page
    assert "install fonts-dejavu-core, or set LITIGATION_PDF_FONT" in page
    assert _downloads(lawyer) == []


def test_the_case_page_links_to_its_summary(client, lawyer, case):
    sign_in(client, lawyer)

    page = client.get(f"/cases/{case.id}").get_data(as_text=True)

    assert f'href="/cases/{case.id}/summary"' in page
