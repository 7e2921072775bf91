"""Hearings and appointments on a case: court hearings, interrogations, forensic examinations,
prison visits, meetings. Stored as a local date and time with the zone of the case's
jurisdiction; added (never in the past), edited (refused when stale) and cancelled softly.

The audit trail gets ids, the kind and the names of the fields that changed, never a place,
the people attending or notes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from ..audit import record
from ..db import db, utcnow
from ..errors import DomainError, InvalidInput, msg
from ..models import AuditKind, Case, Hearing, HearingKind, User

HEARING_FIELDS = (
    "kind",
    "starts_on",
    "starts_at",
    "duration_minutes",
    "place",
    "attendees",
    "notes",
)
TEXT_LIMITS = {"place": 300, "attendees": 500, "notes": 2000}
MAX_MINUTES = 24 * 60
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2200, 12, 31)
ZONES = {"KZ": "Asia/Almaty", "TJ": "Asia/Dushanbe"}
DEFAULT_ZONE = "Asia/Almaty"


class StaleHearing(DomainError):
    status = 409

    def __init__(self) -> None:
        super().__init__(
            msg(
                "Someone else changed this hearing while you were editing it. Your changes "
                "are below, not saved: compare them with the case page and save again."
            )
        )


def zone_of(case: Case) -> str:
    """The time zone hearings of the case are held in (that of its jurisdiction)."""
    return ZONES.get(case.jurisdiction, DEFAULT_ZONE)


def starts(hearing: Hearing) -> dt.datetime:
    """The aware moment the hearing starts."""
    return dt.datetime.combine(hearing.starts_on, hearing.starts_at, ZoneInfo(hearing.zone))


def _clean(details: Mapping[str, Any]) -> dict[str, Any]:
    """The details with blank text as None; refuse what cannot be a hearing."""
    clean: dict[str, Any] = {
        name: (str(details.get(name) or "").strip() or None) for name in TEXT_LIMITS
    }
    errors: dict[str, str] = {}
    kind = details.get("kind")
    if kind not in {value.value for value in HearingKind}:
        errors["kind"] = msg("Choose a kind from the list.")
    clean["kind"] = kind
    day, time = details.get("starts_on"), details.get("starts_at")
    if not isinstance(day, dt.date) or not EARLIEST <= day <= LATEST:
        errors["starts_on"] = msg("Give a date between 1900 and 2200.")
    if not isinstance(time, dt.time):
        errors["starts_at"] = msg("Give a time like 09:30.")
    clean["starts_on"], clean["starts_at"] = day, time and time.replace(second=0, microsecond=0)
    minutes = details.get("duration_minutes")
    if minutes is not None and (
        not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= MAX_MINUTES
    ):
        errors["duration_minutes"] = msg(
            "Give the duration in minutes, from 1 to %(most)s.", most=MAX_MINUTES
        )
    clean["duration_minutes"] = minutes
    for name, limit in TEXT_LIMITS.items():
        if clean[name] and len(clean[name]) > limit:
            errors[name] = msg("At most %(limit)s characters.", limit=limit)
    if errors:
        raise InvalidInput(errors)
    return clean


def case_hearings(case: Case, *, now: dt.datetime | None = None) -> tuple[list, list]:
    """The case's hearings not cancelled: (upcoming soonest first, past latest first)."""
    query = db.select(Hearing).where(Hearing.case_id == case.id, Hearing.cancelled_at.is_(None))
    hearings = sorted(db.session.scalars(query), key=lambda h: (starts(h), h.id))
    now = now or utcnow()
    upcoming = [h for h in hearings if starts(h) >= now]
    past = [h for h in reversed(hearings) if starts(h) < now]
    return upcoming, past


def upcoming_hearings(case_ids: Any, *, limit: int = 10) -> list[Hearing]:
    """The next hearings not cancelled on the cases `case_ids` selects, soonest first."""
    now = utcnow()
    query = (
        db.select(Hearing)
        .where(
            Hearing.case_id.in_(case_ids),
            Hearing.cancelled_at.is_(None),
            # A day's margin either side of UTC; the exact moment is compared below.
            Hearing.starts_on >= now.date() - dt.timedelta(days=1),
        )
        .options(selectinload(Hearing.case))
        .order_by(Hearing.starts_on, Hearing.starts_at, Hearing.id)
        .limit(limit * 3)
    )
    found = [h for h in db.session.scalars(query) if starts(h) >= now]
    return sorted(found, key=lambda h: (starts(h), h.id))[:limit]


def add_hearing(case: Case, details: Mapping[str, Any], *, actor: User | None) -> Hearing:
    """Add a hearing to the case (flushes); refuse one that starts in the past."""
    clean = _clean(details)
    zone = zone_of(case)
    moment = dt.datetime.combine(clean["starts_on"], clean["starts_at"], ZoneInfo(zone))
    if moment < utcnow():
        raise InvalidInput(
            {"starts_on": msg("This date and time have passed: give one still to come.")}
        )
    hearing = Hearing(case=case, zone=zone, created_by_id=actor and actor.id, **clean)
    db.session.add(hearing)
    db.session.flush()
    record(AuditKind.HEARING_ADDED, actor=actor, case=case, details=_ids(hearing))
    return hearing


def update_hearing(
    hearing: Hearing,
    details: Mapping[str, Any],
    *,
    expected_version: int | None,
    actor: User | None,
) -> Hearing:
    """Save edited details; refuse a stale form (or a cancelled hearing) with StaleHearing."""
    if hearing.cancelled_at is not None or expected_version not in (None, hearing.version):
        raise StaleHearing()
    clean = _clean(details)
    changed = [name for name in HEARING_FIELDS if getattr(hearing, name) != clean[name]]
    for name in changed:
        setattr(hearing, name, clean[name])
    if changed:
        hearing.updated_at = utcnow()
    try:
        db.session.flush()
    except StaleDataError as error:
        raise StaleHearing() from error
    if changed:
        details = {**_ids(hearing), "fields": changed}
        record(AuditKind.HEARING_CHANGED, actor=actor, case=hearing.case_id, details=details)
    return hearing


def cancel_hearing(
    hearing: Hearing, *, expected_version: int | None, actor: User | None
) -> Hearing:
    """Mark the hearing cancelled (the row is kept); refuse a stale page with StaleHearing."""
    if hearing.cancelled_at is not None or expected_version not in (None, hearing.version):
        raise StaleHearing()
    hearing.cancelled_at = hearing.updated_at = utcnow()
    hearing.cancelled_by_id = actor and actor.id
    try:
        db.session.flush()
    except StaleDataError as error:
        raise StaleHearing() from error
    record(AuditKind.HEARING_CANCELLED, actor=actor, case=hearing.case_id, details=_ids(hearing))
    return hearing


def _ids(hearing: Hearing) -> dict[str, Any]:
    return {"hearing": hearing.id, "kind": hearing.kind}
