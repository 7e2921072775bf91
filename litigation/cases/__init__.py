"""Cases and their proceedings: the only writers of Proceeding, Event and Deadline rows.

Operations flush and never commit; the request (or command) commits once at its boundary.
"""

# Listeners: feeds' stamps, the cases list's copies, the closed deadlines' totals.
from . import access, changes, summaries, totals  # noqa: F401
from .access import can_act, can_view, sees_all_cases, visible_cases
from .consents import has_consent, record_consent, withdraw_consent
from .corrections import correct_event, override_deadline
from .deadlines import DeadlineChange, rule_of
from .operations import FireResult, fire, open_case, open_proceeding
from .state import ProceedingState

__all__ = [
    "DeadlineChange",
    "FireResult",
    "ProceedingState",
    "access",
    "can_act",
    "can_view",
    "changes",
    "correct_event",
    "fire",
    "has_consent",
    "open_case",
    "open_proceeding",
    "override_deadline",
    "record_consent",
    "rule_of",
    "sees_all_cases",
    "visible_cases",
    "withdraw_consent",
]
