"""A case's documents on a 390 px phone, in chromium (in Russian, as lawyers use it): long
titles, Cyrillic file names and SHA-256 sums wrap; a file is uploaded through the form and
downloads with its Cyrillic name; a disguised file is refused beside the field, the title
kept; a file over the limit is stopped in the browser before a slow upload begins."""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.db import db
from litigation.documents import Upload, upload_document, vault_of
from litigation.models import Role

from ...conftest import PASSWORD
from ...documents.samples import EXE_BYTES, PDF_BYTES
from .conftest import ARTIFACTS, fits_phone

pytestmark = pytest.mark.browser
PHONE = 390
NAME = "Жалоба_прокурору_Алмалинского_района_с_отметкой_о_регистрации.pdf"


def test_documents_fit_a_phone_and_upload_through_the_form(
    page, app, registry, create_user_, create_case, tmp_path
):
    lawyer = create_user_(Role.LAWYER, name="Адвокат", language="ru")
    facts = {"reported_on": dt.date(2026, 10, 1)}
    case, _ = create_case(registry, "kz_criminal", team=[lawyer], facts=facts)
    title = "Постановление следователя об отказе в возбуждении уголовного дела " * 2
    details = {"title": title, "kind": "decision"}
    upload_document(
        case, details, Upload(NAME, PDF_BYTES, len(PDF_BYTES)), actor=lawyer, vault=vault_of(app)
    )
    db.session.commit()

    page.goto("/login")
    page.fill("input[name=email]", lawyer.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"/cases/{case.id}")
    assert page.locator("#documents li").count() == 1
    assert fits_phone(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "case-documents.png"), full_page=True)
    page.click("#documents li a >> nth=0")
    page.wait_for_load_state()  # the document page and its style sheet, not the case page
    assert fits_phone(page)
    page.screenshot(path=str(ARTIFACTS / "document-versions.png"), full_page=True)
    with page.expect_download() as download:
        page.click(f"text={NAME}")
    assert download.value.suggested_filename == NAME
    saved = tmp_path / "saved.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == PDF_BYTES

    page.goto(f"/cases/{case.id}/documents/new")
    assert fits_phone(page)
    page.fill("input[name=title]", "Жалоба с отметкой")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "жалоба.pdf", "mimeType": "application/pdf", "buffer": EXE_BYTES}],
    )
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state("load")  # upload.js runs before the file is chosen again
    assert "допустимым типам" in page.locator(".has-error .error").first.inner_text()
    assert page.input_value("input[name=title]") == "Жалоба с отметкой"
    assert fits_phone(page)
    page.screenshot(path=str(ARTIFACTS / "document-refused.png"), full_page=True)

    big = b"%PDF-" + bytes(21 * 1024 * 1024)
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "скан.pdf", "mimeType": "application/pdf", "buffer": big}],
    )
    warning = page.locator("[data-size-error]")
    warning.wait_for(state="visible")
    assert "больше 20 МБ" in warning.inner_text()
    page.click("button[type=submit]")  # stopped in the browser: nothing is sent
    assert "Размер этого файла" not in page.content()
    assert page.input_value("input[name=title]") == "Жалоба с отметкой"

    page.set_input_files(
        "input[name=file]",
        files=[{"name": "жалоба.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}],
    )
    page.click("button[type=submit]")
    assert page.url.endswith(f"/cases/{case.id}#documents")
    assert page.locator("#documents li").count() == 2
