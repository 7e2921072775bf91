"""Medical-legal examinations of a survivor: the examiner (independent or State), the
findings per allegation on the Istanbul Protocol's scale (para. 187), the psychological
evaluation, and an examination the authorities refused or obstructed, an act of the State.

The audit trail gets ids, the status and counts, never findings or evaluations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import selectinload

from ..audit import record
from ..db import db
from ..errors import InvalidInput, msg
from ..models import (
    AuditKind,
    Case,
    ExaminationFinding,
    ExaminationStatus,
    ExaminerKind,
    FindingLevel,
    MedicalExamination,
    User,
)

EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2200, 12, 31)
MAX_ALLEGATION, MAX_TEXT, MAX_FINDINGS = 500, 5000, 20


def _text(value: Any) -> str | None:
    return str(value or "").strip() or None


def _check_details(details: Mapping[str, Any]) -> dict[str, Any]:
    clean = {
        "examined_on": details.get("examined_on"),
        "examiner_name": _text(details.get("examiner_name")),
        "examiner_kind": details.get("examiner_kind"),
        "status": details.get("status"),
        "status_note": _text(details.get("status_note")),
        "psychological_done": bool(details.get("psychological_done")),
        "psychological_evaluation": _text(details.get("psychological_evaluation")),
    }
    errors: dict[str, str] = {}
    day = clean["examined_on"]
    if not isinstance(day, dt.date) or not EARLIEST <= day <= LATEST:
        errors["examined_on"] = msg("Give a date between 1900 and 2200.")
    if clean["examiner_kind"] not in {kind.value for kind in ExaminerKind}:
        errors["examiner_kind"] = msg("Choose a value from the list.")
    if clean["status"] not in {status.value for status in ExaminationStatus}:
        errors["status"] = msg("Choose a value from the list.")
    elif clean["status"] != ExaminationStatus.DONE and not clean["status_note"]:
        errors["status_note"] = msg("Say what the authorities did: who refused or obstructed it.")
    if clean["examiner_name"] and len(clean["examiner_name"]) > 200:
        errors["examiner_name"] = msg("At most %(limit)s characters.", limit=200)
    for name in ("status_note", "psychological_evaluation"):
        if clean[name] and len(clean[name]) > MAX_TEXT:
            errors[name] = msg("At most %(limit)s characters.", limit=MAX_TEXT)
    if errors:
        raise InvalidInput(errors)
    return clean


def _check_findings(findings: Sequence[tuple[Any, Any]]) -> list[tuple[str, str]]:
    """(allegation, level) pairs, blank rows dropped; errors keyed `findings-N-field`."""
    levels = {level.value for level in FindingLevel}
    clean, errors = [], {}
    for index, (allegation, level) in enumerate(findings):
        allegation, level = _text(allegation), _text(level)
        if not allegation and not level:
            continue
        if not allegation:
            errors[f"findings-{index}-allegation"] = msg("Say which allegation this is about.")
        elif len(allegation) > MAX_ALLEGATION:
            errors[f"findings-{index}-allegation"] = msg(
                "At most %(limit)s characters.", limit=MAX_ALLEGATION
            )
        if level not in levels:
            errors[f"findings-{index}-level"] = msg("Choose the level from the Istanbul Protocol.")
        clean.append((allegation, level))
    if len(clean) > MAX_FINDINGS:
        errors[f"findings-{len(findings) - 1}-allegation"] = msg(
            "At most %(limit)s findings per examination.", limit=MAX_FINDINGS
        )
    if errors:
        raise InvalidInput(errors)
    return clean


def case_examinations(case: Case) -> list[MedicalExamination]:
    """The case's examinations, latest first."""
    query = (
        db.select(MedicalExamination)
        .where(MedicalExamination.case_id == case.id)
        .order_by(MedicalExamination.examined_on.desc(), MedicalExamination.id.desc())
        .options(selectinload(MedicalExamination.findings))
    )
    return list(db.session.scalars(query))


def record_examination(
    case: Case,
    details: Mapping[str, Any],
    findings: Sequence[tuple[Any, Any]],
    *,
    actor: User | None,
) -> MedicalExamination:
    """Record an examination with its findings (flushes); refuse bad input as a whole."""
    problems: dict[str, Any] = {}
    try:
        clean = _check_details(details)
    except InvalidInput as error:
        problems.update(error.errors)
    try:
        found = _check_findings(findings)
    except InvalidInput as error:
        problems.update(error.errors)
    if problems:
        raise InvalidInput(problems)
    examination = MedicalExamination(case_id=case.id, recorded_by_id=actor and actor.id, **clean)
    examination.findings = [
        ExaminationFinding(position=n, allegation=allegation, level=level)
        for n, (allegation, level) in enumerate(found)
    ]
    db.session.add(examination)
    db.session.flush()
    record(
        AuditKind.EXAMINATION_RECORDED,
        actor=actor,
        case=case,
        details={
            "examination": examination.id,
            "status": examination.status,
            "examiner_kind": examination.examiner_kind,
            "findings": len(found),
        },
    )
    return examination
