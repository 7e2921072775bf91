"""The words of consent: each scope, how a consent was given, and what each scope allows in
this software (shown beside it on the case page, so the lawyer knows what a record changes)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..models import ConsentManner
from ..workflows.spec import ConsentScope

SCOPE_LABELS = {
    ConsentScope.LITIGATION: _l("Litigation (courts and UN bodies)"),
    ConsentScope.PUBLICATION: _l("Publication"),
    ConsentScope.UN_NAME: _l("Name in a UN decision"),
    ConsentScope.SHARING: _l("Sharing with partners and referrals"),
    ConsentScope.MEDICAL: _l("Medical examination"),
}
# What the software does with each scope: the enforcement lives in cases/consents.py and the
# `requires_consent:` declarations of workflows.yaml; these sentences describe it.
SCOPE_EFFECTS = {
    ConsentScope.LITIGATION: _l(
        "Without it, no route to a UN body is opened and nothing is submitted."
    ),
    ConsentScope.PUBLICATION: _l("Nothing is published by this software; follow it in reports."),
    ConsentScope.UN_NAME: _l(
        "Without it, ask the UN body to keep the survivor's name out of its decision."
    ),
    ConsentScope.SHARING: _l(
        "Without it, or while the risk of reprisals is high, calendar feeds show the case without "
        "the name and no referral to rehabilitation is opened."
    ),
    ConsentScope.MEDICAL: _l("Recorded for the file; examinations are not blocked by it."),
}
MANNER_LABELS = {
    ConsentManner.WRITTEN: _l("in writing"),
    ConsentManner.ORAL: _l("orally"),
}


def scope_word(scope: str) -> str:
    """A scope in the reader's language (an unknown stored value as it is)."""
    label = SCOPE_LABELS.get(scope)  # a StrEnum key matches its plain string
    return str(label) if label else scope


def manner_word(manner: str | None) -> str:
    """How a consent was given, in the reader's language; empty when not recorded."""
    label = MANNER_LABELS.get(manner) if manner else None
    return str(label) if label else (manner or "")
