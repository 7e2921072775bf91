"""What the casework record tests share (contacts, examinations, hearings): an English
browser, a lawyer on one case, and that case's audit trail. Loaded by tests/conftest.py."""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.db import db
from litigation.models import AuditEntry, AuditKind, Case, Role


@pytest.fixture
def english_browser(mini_client):
    mini_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def lawyer(mini_app, create_user_):
    return create_user_(Role.LAWYER, language="en")


@pytest.fixture
def case(mini_registry, create_case, lawyer):
    case, _ = create_case(
        mini_registry, "domestic", team=[lawyer], facts={"reported_on": dt.date(2026, 1, 12)}
    )
    return case


def trail(case: Case, kind: AuditKind) -> list[AuditEntry]:
    query = db.select(AuditEntry).where(AuditEntry.case_id == case.id, AuditEntry.kind == kind)
    return list(db.session.scalars(query))
