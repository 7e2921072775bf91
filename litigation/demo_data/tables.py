"""One function per table: every column a generated row holds is set here, and only here.

A new column gets its value in its table's function (a NOT NULL column without a default must,
or the bulk insert fails loudly). The functions take plain values and return plain dicts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..cases.survivors import fold_name

Row = dict[str, Any]
# Every row's creation stamp: fixed, so that a seed gives the same rows on any day.
STAMP = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def user_row(email: str, name: str, role: str, password_hash: str) -> Row:
    return {
        "email": email,
        "name": name,
        "role": role,
        "language": "ru",
        "password_hash": password_hash,
        "active": True,
        "created_at": STAMP,
    }


def survivor_row(survivor_id: int, name: str, sex: str, birth_year: int, risk: str) -> Row:
    return {
        "id": survivor_id,
        "name": name,
        "name_folded": fold_name(name),
        "sex": sex,
        "birth_year": birth_year,
        "reprisal_risk": risk,
        "created_at": STAMP,
    }


def case_row(case_id: int, survivor_id: int, jurisdiction: str, opened: dt.date, **more) -> Row:
    """`more`: authority, incident_place, ill_treatment_forms (all optional)."""
    return {
        "id": case_id,
        "reference": f"{jurisdiction}-{opened.year}-{case_id:06d}",
        "jurisdiction": jurisdiction,
        "survivor_id": survivor_id,
        "opened_on": opened,
        "incident_date": opened - dt.timedelta(days=3),
        "forensic_exam_done": False,
        "created_at": STAMP,
        **more,
    }


def team_row(case_id: int, user_id: int) -> Row:
    return {"case_id": case_id, "user_id": user_id}


def consent_row(case_id: int, scope: str, given_on: dt.date, withdrawn_on: dt.date | None) -> Row:
    return {
        "case_id": case_id,
        "scope": scope,
        "given_on": given_on,
        "form": "written" if scope == "litigation" else "oral",
        "withdrawn_on": withdrawn_on,
        "recorded_at": STAMP,
    }


def proceeding_row(proceeding_id: int, case_id: int, route: str, stage: str, **more) -> Row:
    """`more`: opened_on, closed_on, parent_id, version."""
    return {
        "id": proceeding_id,
        "case_id": case_id,
        "route": route,
        "stage": stage,
        "updated_at": STAMP,
        **more,
    }


def event_row(event_id: int, proceeding_id: int, trigger: str, **more) -> Row:
    """`more`: from_stage, to_stage, occurred_on, facts, actor_id."""
    return {
        "id": event_id,
        "proceeding_id": proceeding_id,
        "trigger": trigger,
        "recorded_at": STAMP,
        **more,
    }


def deadline_row(deadline_id: int, proceeding_id: int, event_id: int, **more) -> Row:
    """`more`: the rule's columns (rule, stage, kind, party, legal bases, calendar, dates)."""
    return {
        "id": deadline_id,
        "proceeding_id": proceeding_id,
        "event_id": event_id,
        "sequence": 0,
        "created_at": STAMP,
        "updated_at": STAMP,
        **more,
    }


def hearing_row(hearing_id: int, case_id: int, kind: str, starts: dt.datetime, zone: str) -> Row:
    return {
        "id": hearing_id,
        "case_id": case_id,
        "kind": kind,
        "starts_on": starts.date(),
        "starts_at": starts.time(),
        "zone": zone,
        "duration_minutes": 60,
        "place": "Районный суд, зал 2" if kind == "court" else "СИЗО № 1",
        "attendees": "Адвокат, заявитель",
        "created_at": STAMP,
        "updated_at": STAMP,
    }


def contact_row(contact_id: int, case_id: int, name: str, role: str) -> Row:
    return {
        "id": contact_id,
        "case_id": case_id,
        "name": name,
        "role": role,
        "phone": "+7 700 000 00 00",
        "created_at": STAMP,
    }


def document_row(document_id: int, case_id: int, kind: str, title: str, **tie) -> Row:
    """`tie`: event_id or deadline_id, what the document proves."""
    return {
        "id": document_id,
        "case_id": case_id,
        "kind": kind,
        "title": title,
        "current_number": 1,
        "created_at": STAMP,
        **tie,
    }


def version_row(version_id: int, document_id: int, size: int, sha256: str, **sealed) -> Row:
    """`sealed`: key_id and nonce of the encrypted bytes (kept in document_blobs)."""
    return {
        "id": version_id,
        "document_id": document_id,
        "number": 1,
        "file_name": "document.txt",
        "media_type": "text/plain",
        "size": size,
        "sha256": sha256,
        "uploaded_at": STAMP,
        "storage": "database",
        **sealed,
    }


def blob_row(version_id: int, ciphertext: bytes) -> Row:
    return {"version_id": version_id, "ciphertext": ciphertext}


def feed_row(owner_id: int, kind: str, name: str, token_hash: str) -> Row:
    return {
        "owner_id": owner_id,
        "kind": kind,
        "name": name,
        "token_hash": token_hash,
        "with_names": False,
        "reminder_events": False,
        "created_at": STAMP,
    }
