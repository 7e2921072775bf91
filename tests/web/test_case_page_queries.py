"""The case page reads a case in a bounded number of SQL statements: as many with many
proceedings, events, deadlines, hearings, documents, contacts, consents, examinations,
note revisions and colleagues as with one of each (an N+1 coming back fails here)."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from litigation.db import db
from litigation.models import (
    CaseContact,
    ConsentRecord,
    Deadline,
    Document,
    DocumentVersion,
    Event,
    ExaminationFinding,
    Hearing,
    MedicalExamination,
    NoteRevision,
    Proceeding,
    Role,
)

from ..conftest import sign_in

D = dt.date
BOUND = 30  # the statements of one case page, whatever the case holds


@contextmanager
def counted():
    """The SQL statements sent to the database inside the block."""
    statements: list[str] = []

    def count(_conn, _cursor, sql, *_args):
        statements.append(sql)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


@pytest.fixture
def coordinator(mini_app, create_user_):
    return create_user_(Role.COORDINATOR, language="en")


@pytest.fixture
def busy_case(mini_registry, create_case, create_user_):
    case, proceeding = create_case(
        mini_registry, "domestic", facts={"reported_on": D(2026, 1, 12)}, opened_on=D(2026, 1, 12)
    )
    return case, proceeding


def _grow(case, proceeding, colleague, n: int) -> None:
    """Add n of everything the case page shows, each by `colleague` (a different user each
    time, so that loading the people one by one would grow too)."""
    day = D(2026, 2, 1) + dt.timedelta(days=n)
    other = Proceeding(case=case, route=proceeding.route, stage=proceeding.stage, opened_on=day)
    opened = Event(proceeding=other, trigger="open", occurred_on=day, actor=colleague, note="n")
    db.session.add_all([other, opened])
    db.session.add(NoteRevision(event=opened, actor=colleague, note="edited"))
    db.session.add(
        Deadline(
            proceeding=other,
            event=opened,
            rule="appeal",
            stage=proceeding.stage,
            kind="deadline",
            party="us",
            legal_basis="art. 1",
            verified=True,
            calendar="KZ",
            anchor_date=day,
            computed_due=day,
            due_date=day + dt.timedelta(days=1),
            override_due=day + dt.timedelta(days=1),
            override_reason="court",
            override_by=colleague,
        )
    )
    db.session.add(
        Hearing(case=case, kind="court", starts_on=day, starts_at=dt.time(10), zone="Asia/Almaty")
    )
    db.session.add(CaseContact(case=case, name=f"Contact {n}", role="co_counsel"))
    exam = MedicalExamination(
        case_id=case.id, examined_on=day, examiner_kind="independent", status="done"
    )
    db.session.add(exam)
    db.session.add(
        ExaminationFinding(examination=exam, position=0, allegation="Beating", level="consistent")
    )
    document = Document(case=case, title=f"Doc {n}", kind="evidence", event=opened)
    db.session.add(document)
    db.session.add(
        DocumentVersion(
            document=document,
            number=1,
            file_name="a.pdf",
            media_type="application/pdf",
            size=10,
            sha256="0" * 64,
            storage="database",
            key_id="k",
            nonce="0" * 16,
            uploaded_by=colleague,
        )
    )
    db.session.add(ConsentRecord(case=case, scope="sharing", given_on=day, recorded_by=colleague))
    case.team.append(colleague)
    db.session.commit()


def _statements(client, case) -> int:
    with counted() as statements:
        page = client.get(f"/cases/{case.id}")
    assert page.status_code == 200
    return len(statements)


def test_the_case_page_statements_do_not_grow_with_what_the_case_holds(
    mini_client, coordinator, busy_case, create_user_
):
    case, proceeding = busy_case
    sign_in(mini_client, coordinator)
    _grow(case, proceeding, create_user_(Role.LAWYER), 1)
    few = _statements(mini_client, case)

    for n in range(2, 8):
        _grow(case, proceeding, create_user_(Role.LAWYER), n)
    many = _statements(mini_client, case)

    page = mini_client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert page.count('class="proceeding"') == 8 and page.count("Contact ") == 7
    assert many == few <= BOUND
