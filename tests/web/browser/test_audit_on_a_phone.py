"""The audit trail on a 390 px phone, in chromium: long names, e-mail addresses and file paths
wrap, the filters stack, and nothing needs sideways scrolling."""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.audit import record
from litigation.db import db
from litigation.models import AuditKind, Role

from ...conftest import PASSWORD
from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser
PHONE = 390


def test_the_audit_trail_fits_a_phone(page, registry, create_user_, create_case):
    admin = create_user_(Role.ADMIN, name="Admin", language="ru")
    lawyer = create_user_(
        Role.LAWYER,
        name="Lawyer with a long double-barrelled name",
        email="a.very.long.address.of.a.colleague@human-rights-organisation.example.org",
    )
    facts = {"reported_on": dt.date(2026, 10, 1)}
    case, _ = create_case(registry, "kz_criminal", team=[lawyer], facts=facts)
    path = "/var/backups/litigation/exports/2026-11-27-the-whole-database-before-the-upgrade.json"
    record(AuditKind.EXPORT, actor=None, details={"path": path, "rows": 12345})
    record(AuditKind.SIGN_IN_FAILED, actor=None, details={"email": lawyer.email}, address="::1")
    record(
        AuditKind.USER_CHANGED,
        actor=admin,
        user=lawyer,
        details={"role": ["lawyer", "coordinator"], "active": [True, False]},
    )
    record(AuditKind.CASE_EDITED, actor=lawyer, case=case, details={"notes": ["…", "…"]})
    db.session.commit()

    page.goto("/login")
    page.fill("input[name=email]", admin.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto("/admin/audit")

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    assert page.locator("table.audit tbody tr").count() >= 4
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "audit-trail.png"), full_page=True)
    page.goto("/admin/audit?since=1800-01-01")
    assert page.locator(".has-error .error").first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
