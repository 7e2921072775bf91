"""A small JSON API over the same operations. Errors are JSON with a message.

Reads need a signed-in session; writes also need the CSRF token in an X-CSRFToken header.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, request
from flask_login import current_user

from ..cases import ProceedingState
from ..cases.access import can_act
from ..cases.operations import fire
from ..errors import DomainError, InvalidInput
from ..registry import current_registry
from .context import today
from .helpers import case_or_404, proceeding_or_404

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _deadline(d) -> dict[str, Any]:
    return {
        "id": d.id,
        "rule": d.rule,
        "stage": d.stage,
        "due_date": d.due_date.isoformat(),
        "status": d.status,
        "kind": d.kind,
        "party": d.party,
        "legal_basis": d.legal_basis,
        "verified": d.verified,
        "overridden": d.override_due is not None,
    }


def _proceeding(p, may_act: bool) -> dict[str, Any]:
    steps = ProceedingState.of(current_registry(), p, today(), may_act).steps
    return {
        "id": p.id,
        "route": p.route,
        "stage": p.stage,
        "version": p.version,
        "opened_on": p.opened_on.isoformat(),
        "closed_on": p.closed_on.isoformat() if p.closed_on else None,
        "deadlines": [_deadline(d) for d in p.deadlines],
        "next_steps": [
            {
                "trigger": s.transition.trigger,
                "available": s.available,
                "reasons": [r.en for r in s.reasons],
                "records": list(s.transition.records),
                "optional": list(s.transition.optional),
            }
            for s in steps
        ],
    }


def _version(value: Any) -> int | None:
    """The proceeding version the client read; a value that is not one is refused."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput({"version": "The version must be a whole number."})
    return value


@bp.errorhandler(DomainError)
def _domain_error(error: DomainError):
    body: dict[str, Any] = {"error": error.message}
    if isinstance(error, InvalidInput):
        body["fields"] = error.plain_errors()
    return body, error.status


@bp.route("/cases/<int:case_id>")
def case(case_id: int):
    case = case_or_404(case_id)
    may_act = can_act(current_user, case)
    return {
        "id": case.id,
        "reference": case.reference,
        "jurisdiction": case.jurisdiction,
        "proceedings": [_proceeding(p, may_act) for p in case.proceedings],
    }


@bp.route("/cases/<int:case_id>/proceedings/<int:proceeding_id>/fire", methods=["POST"])
def fire_step(case_id: int, proceeding_id: int):
    case = case_or_404(case_id)
    proceeding = proceeding_or_404(case, proceeding_id)
    if not can_act(current_user, case):
        abort(403, "You may not act on this case.")
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("trigger"), str):
        abort(400, 'Send JSON like {"trigger": "...", "occurred_on": "YYYY-MM-DD", "facts": {}}.')
    try:
        occurred_on = (
            dt.date.fromisoformat(body["occurred_on"]) if body.get("occurred_on") else None
        )
    except (TypeError, ValueError):
        raise InvalidInput({"occurred_on": "Not a date (YYYY-MM-DD)."}) from None
    result = fire(
        current_registry(),
        proceeding,
        body["trigger"],
        actor=current_user,
        occurred_on=occurred_on,
        today=today(),
        facts=body.get("facts") or {},
        note=body.get("note"),
        expected_version=_version(body.get("version")),
    )
    return {
        "event_id": result.event.id,
        "proceeding": _proceeding(proceeding, True),
        "opened": [_deadline(d) for d in result.opened],
        "closed": [_deadline(d) for d in result.closed],
        "handed_over": [p.id for p in result.handed_over],
    }, 201
