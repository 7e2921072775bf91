"""People on a case who are not users: co-counsel, family, doctors, interpreters, witnesses,
officials. Added, edited (refused when stale) and removed softly: the row stays, dated.

The audit trail gets ids and the names of the fields that changed, never a name or a phone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from ..audit import record
from ..db import db, utcnow
from ..errors import DomainError, InvalidInput, msg
from ..models import AuditKind, Case, CaseContact, ContactRole, User

CONTACT_FIELDS = ("name", "role", "organisation", "phone", "email", "notes")
LIMITS = {"name": 200, "organisation": 200, "phone": 40, "email": 200, "notes": 2000}


class StaleContact(DomainError):
    status = 409

    def __init__(self) -> None:
        super().__init__(
            msg(
                "Someone else changed this contact while you were editing it. Your changes "
                "are below, not saved: compare them with the case page and save again."
            )
        )


def _clean(details: Mapping[str, Any]) -> dict[str, Any]:
    """The details with blank text as None; refuse an unknown role, a missing or long value."""
    clean = {name: (str(details.get(name) or "").strip() or None) for name in CONTACT_FIELDS}
    errors: dict[str, str] = {}
    if not clean["name"]:
        errors["name"] = msg("Give the person's name.")
    if clean["role"] not in {role.value for role in ContactRole}:
        errors["role"] = msg("Choose a role from the list.")
    for name, limit in LIMITS.items():
        if clean[name] and len(clean[name]) > limit:
            errors[name] = msg("At most %(limit)s characters.", limit=limit)
    if errors:
        raise InvalidInput(errors)
    return clean


def active_contacts(case: Case) -> list[CaseContact]:
    """The case's contacts not removed, by role then name."""
    query = (
        db.select(CaseContact)
        .where(CaseContact.case_id == case.id, CaseContact.removed_at.is_(None))
        .order_by(CaseContact.role, CaseContact.name, CaseContact.id)
    )
    return list(db.session.scalars(query))


def add_contact(case: Case, details: Mapping[str, Any], *, actor: User | None) -> CaseContact:
    """Add a contact to the case (flushes)."""
    contact = CaseContact(case=case, created_by_id=actor and actor.id, **_clean(details))
    db.session.add(contact)
    db.session.flush()
    record(AuditKind.CONTACT_ADDED, actor=actor, case=case, details=_ids(contact))
    return contact


def update_contact(
    contact: CaseContact,
    details: Mapping[str, Any],
    *,
    expected_version: int | None,
    actor: User | None,
) -> CaseContact:
    """Save edited details; refuse a stale form (or a removed contact) with StaleContact."""
    if contact.removed_at is not None or expected_version not in (None, contact.version):
        raise StaleContact()
    clean = _clean(details)
    changed = [name for name in CONTACT_FIELDS if getattr(contact, name) != clean[name]]
    for name in changed:
        setattr(contact, name, clean[name])
    try:
        db.session.flush()
    except StaleDataError as error:
        raise StaleContact() from error
    if changed:
        details = {**_ids(contact), "fields": changed}
        record(AuditKind.CONTACT_CHANGED, actor=actor, case=contact.case_id, details=details)
    return contact


def remove_contact(
    contact: CaseContact, *, expected_version: int | None, actor: User | None
) -> CaseContact:
    """Mark the contact removed (the row is kept); refuse a stale page with StaleContact."""
    if contact.removed_at is not None or expected_version not in (None, contact.version):
        raise StaleContact()
    contact.removed_at = utcnow()
    contact.removed_by_id = actor and actor.id
    try:
        db.session.flush()
    except StaleDataError as error:
        raise StaleContact() from error
    record(AuditKind.CONTACT_REMOVED, actor=actor, case=contact.case_id, details=_ids(contact))
    return contact


def _ids(contact: CaseContact) -> dict[str, Any]:
    return {"contact": contact.id, "role": contact.role}
