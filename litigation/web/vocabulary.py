"""Words the templates translate from stored values (statuses, parties, roles, risk levels).

Templates call `_(value)` on these; listing them here lets `pybabel extract` find them.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STORED_VALUES = (
    # deadline status
    _l("open"),
    _l("met"),
    _l("missed"),
    _l("cancelled"),
    _l("continued"),
    # who must act
    _l("us"),
    _l("state"),
    _l("court"),
    _l("committee"),
    # roles
    _l("admin"),
    _l("coordinator"),
    _l("lawyer"),
    _l("staff"),
    # risk of reprisals
    _l("unknown"),
    _l("low"),
    _l("medium"),
    _l("high"),
)

# Codes shown to readers by name: jurisdictions and the calendars of the calculator.
JURISDICTIONS = {"KZ": _l("Kazakhstan"), "TJ": _l("Tajikistan")}
CALENDARS = {
    **JURISDICTIONS,
    "none": _l("Calendar days, no holidays (UN)"),
}


def jurisdiction_name(code: str | None) -> str:
    """'KZ' as 'Kazakhstan' in the reader's language (an unknown code as it is)."""
    return str(JURISDICTIONS.get(code or "", code or ""))


def calendar_name(calendar_id: str) -> str:
    """A workflows.yaml calendar by name in the reader's language (an unknown one as its id)."""
    return str(CALENDARS.get(calendar_id, calendar_id))
