"""The survivor's consents: one record per consent given for a scope (litigation,
publication, name in a UN decision, sharing, medical examination), withdrawn by giving the
record a withdrawal date; the row stays as the history of consent.

A scope's current consent is its newest record (by the date given) if that one is not
withdrawn. Every "may we?" asks here: the steps and routes that declare `requires_consent`
(through the guard context), the names in calendar feeds, the referrals. The risk of reprisals
is read through `reprisal_risk_of` alone.

The audit trail gets ids, the scope, the dates and the form, never a note.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from ..audit import record
from ..db import db
from ..errors import DomainError, InvalidInput, msg
from ..models import (
    AuditKind,
    Case,
    ConsentManner,
    ConsentRecord,
    Document,
    Proceeding,
    User,
)
from ..workflows.consent import consent_reasons, names_may_leave
from ..workflows.loaded import Registry
from ..workflows.spec import ConsentScope, Text
from .history import check_plausible

MAX_NOTE = 2000


class StaleConsent(DomainError):
    status = 409

    def __init__(self) -> None:
        super().__init__(
            msg(
                "Someone else changed this consent while you were working on it: it was "
                "withdrawn, or a newer consent was recorded. Nothing was saved; what you typed "
                "is below. Check the consent on the case page."
            )
        )


def reprisal_risk_of(case: Case) -> str:
    """The risk of reprisals the case's survivor faces (unknown, low, medium, high): the one
    place consent rules read it; it is the person's, whatever the case."""
    return case.survivor.reprisal_risk or "unknown"


def _oldest_first(records: Iterable[ConsentRecord]) -> list[ConsentRecord]:
    return sorted(records, key=lambda r: (r.given_on, r.id or 0))


def current_consents(case: Case) -> dict[str, ConsentRecord]:
    """{scope: its current consent}: the scope's newest record, when it is not withdrawn."""
    newest = {r.scope: r for r in _oldest_first(case.consents)}
    return {scope: r for scope, r in newest.items() if not r.is_withdrawn}


def consented_scopes(case: Case) -> frozenset[str]:
    """The scopes the survivor's current consent covers."""
    return frozenset(current_consents(case))


def has_consent(case: Case, scope: ConsentScope | str) -> bool:
    """Whether the survivor's current consent covers `scope`."""
    return str(scope) in current_consents(case)


def consent_refusals(case: Case, scopes: Iterable[str]) -> list[Text]:
    """Why the case's consent (and risk) does not allow what needs `scopes`; empty if it does."""
    return consent_reasons(scopes, consented_scopes(case), reprisal_risk_of(case))


def may_show_name(case: Case) -> bool:
    """Whether the survivor's name may leave the system (a calendar service, a partner)."""
    return names_may_leave(consented_scopes(case), reprisal_risk_of(case))


def cases_that_may_be_named(cases: Iterable[Case]) -> set[int]:
    """The ids among `cases` whose survivor's name may leave the system (one query)."""
    ids = {case.id for case in cases}
    if not ids:
        return set()
    query = db.select(Case).where(Case.id.in_(ids)).options(selectinload(Case.consents))
    return {case.id for case in db.session.scalars(query) if may_show_name(case)}


def history_of(case: Case) -> list[ConsentRecord]:
    """Every consent record of the case, the newest given first."""
    return list(reversed(_oldest_first(case.consents)))


def proceedings_needing(registry: Registry, case: Case, scope: str) -> list[Proceeding]:
    """The case's open proceedings on routes that require consent in `scope` to be opened:
    what a withdrawal leaves for the lawyer to act on (nothing is closed here)."""
    routes = registry.workflows.routes
    return [
        p
        for p in case.proceedings
        if p.closed_on is None and p.route in routes and scope in routes[p.route].requires_consent
    ]


def _text(value: Any) -> str | None:
    return str(value or "").strip() or None


def _day(details: Mapping[str, Any], name: str, today: dt.date, errors: dict) -> dt.date | None:
    day = details.get(name)
    if not isinstance(day, dt.date):
        errors[name] = msg("Give the date.")
        return None
    try:
        check_plausible(day, today, name)
    except InvalidInput as error:
        errors.update(error.errors)
    return day


def _note(details: Mapping[str, Any], name: str, errors: dict) -> str | None:
    note = _text(details.get(name))
    if note and len(note) > MAX_NOTE:
        errors[name] = msg("At most %(limit)s characters.", limit=MAX_NOTE)
    return note


def record_consent(
    case: Case, details: Mapping[str, Any], *, actor: User | None, today: dt.date
) -> ConsentRecord:
    """Record a consent the survivor gave (flushes): it becomes the scope's current consent."""
    errors: dict[str, str] = {}
    scope = details.get("scope")
    if scope not in {s.value for s in ConsentScope}:
        errors["scope"] = msg("Choose what the survivor consents to from the list.")
    given_on = _day(details, "given_on", today, errors)
    form = _text(details.get("form"))
    if form is not None and form not in {f.value for f in ConsentManner}:
        errors["form"] = msg("Choose a value from the list.")
    note = _note(details, "note", errors)
    evidence = _evidence(case, details.get("evidence_document_id"), errors)
    withdrawals = [r.withdrawn_on for r in case.consents if r.scope == scope and r.is_withdrawn]
    if given_on and "given_on" not in errors and withdrawals and given_on < max(withdrawals):
        # An older consent cannot undo a later withdrawal: the newest record decides.
        errors["given_on"] = msg(
            "This consent was withdrawn on %(date)s. A consent given before that day cannot "
            "be the current one: give the date the survivor consented again.",
            date=max(withdrawals).isoformat(),
        )
    if errors:
        raise InvalidInput(errors)
    consent = ConsentRecord(
        scope=scope,
        given_on=given_on,
        form=form,
        note=note,
        evidence=evidence,
        recorded_by_id=actor and actor.id,
    )
    case.consents.append(consent)
    db.session.flush()
    details = {"change": "given", "given_on": given_on.isoformat(), "form": form}
    if evidence is not None:
        details["evidence_document"] = evidence.id
    record(AuditKind.CONSENT_CHANGED, actor=actor, case=case, details=_ids(consent) | details)
    return consent


def evidence_offered(case: Case) -> list[Document]:
    """The documents of the case that may stand as a consent's evidence (not removed)."""
    query = db.select(Document).where(Document.case_id == case.id, Document.removed_at.is_(None))
    return list(db.session.scalars(query.order_by(Document.id)))


def _evidence(case: Case, document_id: Any, errors: dict[str, str]) -> Document | None:
    """The document named as evidence: one of this case's, not removed; None when none is."""
    if document_id in (None, ""):
        return None
    document = db.session.get(Document, document_id) if isinstance(document_id, int) else None
    if document is None or document.case_id != case.id or document.removed_at is not None:
        errors["evidence_document_id"] = msg("Choose a document of this case from the list.")
        return None
    return document


def withdraw_consent(
    consent: ConsentRecord,
    details: Mapping[str, Any],
    *,
    expected_version: int | None,
    actor: User | None,
    today: dt.date,
) -> ConsentRecord:
    """Record that the survivor withdrew the consent (the row stays); refuse a stale page, a
    consent already withdrawn or one a newer consent replaced, with StaleConsent."""
    case = consent.case
    if (
        expected_version not in (None, consent.version)
        or current_consents(case).get(consent.scope) is not consent
    ):
        raise StaleConsent()
    errors: dict[str, str] = {}
    withdrawn_on = _day(details, "withdrawn_on", today, errors)
    if withdrawn_on and "withdrawn_on" not in errors and withdrawn_on < consent.given_on:
        errors["withdrawn_on"] = msg(
            "A consent cannot be withdrawn before the day it was given (%(date)s).",
            date=consent.given_on.isoformat(),
        )
    note = _note(details, "withdrawal_note", errors)
    if errors:
        raise InvalidInput(errors)
    consent.withdrawn_on, consent.withdrawal_note = withdrawn_on, note
    consent.withdrawn_by_id = actor and actor.id
    try:
        db.session.flush()
    except StaleDataError as error:
        raise StaleConsent() from error
    details = {"change": "withdrawn", "withdrawn_on": withdrawn_on.isoformat()}
    record(AuditKind.CONSENT_CHANGED, actor=actor, case=case, details=_ids(consent) | details)
    return consent


def _ids(consent: ConsentRecord) -> dict[str, Any]:
    return {"consent": consent.id, "scope": consent.scope}
