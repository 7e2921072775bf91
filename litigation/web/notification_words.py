"""E-mail settings and messages in words: kinds, statuses, zones, days and hours, and the
audit trail's sentences for messages sent or failed and settings changed.

Audit details and outbox rows hold ids and numbers only; here they become a person's name, a
case's reference (never the survivor's name) and the step a deadline is for.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..db import db
from ..models import Case, Deadline, Notification, NotificationKind, NotificationStatus
from .filters import rule_label

KIND_LABELS = {
    NotificationKind.REMINDER: _l("deadline reminder"),
    NotificationKind.DIGEST: _l("digest"),
    NotificationKind.TEAM_DIGEST: _l("team digest for coordinators"),
    NotificationKind.MISSED: _l("missed deadline"),
    NotificationKind.STALLED: _l("stage stalled"),
}
STATUS_LABELS = {
    NotificationStatus.PENDING: _l("waiting to be sent"),
    NotificationStatus.SENDING: _l("being sent"),
    NotificationStatus.SENT: _l("sent"),
    NotificationStatus.FAILED: _l("failed, will be retried"),
    NotificationStatus.DROPPED: _l("given up"),
}
DIGEST_LABELS = {"off": _l("No digest"), "daily": _l("Every day"), "weekly": _l("Once a week")}
WEEKDAYS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)
# Places, not zone ids: a reader knows their city, not "Asia/Qostanay".
ZONE_LABELS = {
    "Asia/Almaty": _l("Almaty, Astana and most of Kazakhstan"),
    "Asia/Qostanay": _l("Kostanay"),
    "Asia/Aqtobe": _l("Aktobe"),
    "Asia/Oral": _l("Oral (Uralsk)"),
    "Asia/Dushanbe": _l("Dushanbe, Tajikistan"),
    "Europe/Moscow": _l("Moscow"),
    "Europe/Berlin": _l("Berlin"),
    "Europe/London": _l("London"),
    "Europe/Vienna": _l("Vienna"),
    "Europe/Geneva": _l("Geneva (the UN)"),
    "UTC": _l("Coordinated universal time (UTC)"),
}
# The settings' names as the notifications page labels them, for the audit trail.
FIELD_LABELS = {
    "email_reminders": _l("Reminders and warnings by e-mail"),
    "digest": _l("Digest"),
    "digest_weekday": _l("Day of the weekly digest"),
    "digest_hour": _l("Hour of the digest"),
    "time_zone": _l("Time zone"),
    "quiet_from": _l("Quiet hours from"),
    "quiet_until": _l("Quiet hours until"),
    "team_digest": _l("Weekly team digest"),
    "names_in_email": _l("Survivors' names may appear in this person's e-mails"),
}


def kind_word(kind: str) -> str:
    """A message's kind in words (an unknown one as stored)."""
    return str(KIND_LABELS.get(kind, kind))


def status_word(status: str) -> str:
    """A message's status in words (an unknown one as stored)."""
    return str(STATUS_LABELS.get(status, status))


def zone_word(zone: str) -> str:
    """A time zone as the place it is the time of (an unknown one as its id)."""
    return str(ZONE_LABELS.get(zone, zone))


def hour_word(hour: int) -> str:
    """An hour of the day as a clock shows it: 8 -> 08:00."""
    return f"{hour:02d}:00"


def audit_sent(details: Mapping[str, Any], recipient: str, case_id: int | None) -> list[str]:
    """'E-mail sent to X: deadline reminder for case KZ-2026-001, 3 days left'."""
    return [_("E-mail sent to %(name)s: %(what)s", name=recipient, what=_what(details, case_id))]


def audit_failed(details: Mapping[str, Any], recipient: str, case_id: int | None) -> list[str]:
    """'E-mail to X not sent: ...; attempt 2; the error'."""
    what = _what(details, case_id)
    parts = [_("E-mail to %(name)s not sent: %(what)s", name=recipient, what=what)]
    if isinstance(attempts := details.get("attempts"), int):
        parts.append(ngettext("%(num)d attempt", "%(num)d attempts", attempts))
    if details.get("error"):
        parts.append(_("error: %(error)s", error=str(details["error"])[:300]))
    return parts


def audit_settings(details: Mapping[str, Any]) -> list[str]:
    """Which e-mail settings a person changed (never to what)."""
    fields = [str(FIELD_LABELS.get(name, name)) for name in details.get("fields") or ()]
    return [_("changed: %(fields)s", fields=", ".join(fields) or "—")]


def _what(details: Mapping[str, Any], case_id: int | None) -> str:
    """The message's kind, case, days left and step, from the entry and its outbox row."""
    row = _row(details.get("notification"))
    facts = {**(row.details if row and isinstance(row.details, dict) else {}), **details}
    kind = kind_word(facts.get("kind") or (row.kind if row else ""))
    reference = _reference(case_id if case_id is not None else row and row.case_id)
    text = kind
    if reference:
        text = _("%(kind)s for case %(reference)s", kind=kind, reference=reference)
    if isinstance(left := facts.get("days_left"), int):
        text += ", " + days_left_words(left)
    if deadline := _deadline(facts.get("deadline") or (row.deadline_id if row else None)):
        text += f" ({rule_label(deadline)})"
    return text


def _row(notification_id: Any) -> Notification | None:
    if not isinstance(notification_id, int):
        return None
    return db.session.get(Notification, notification_id)


def _deadline(deadline_id: Any) -> Deadline | None:
    return db.session.get(Deadline, deadline_id) if isinstance(deadline_id, int) else None


def days_left_words(left: int) -> str:
    """'3 days left', 'due today', '2 days overdue'."""
    if left == 0:
        return _("due today")
    if left < 0:
        return ngettext("%(num)d day overdue", "%(num)d days overdue", -left)
    return ngettext("%(num)d day left", "%(num)d days left", left)


def _reference(case_id: Any) -> str | None:
    if not isinstance(case_id, int):
        return None
    reference = db.session.scalar(db.select(Case.reference).where(Case.id == case_id))
    return reference or f"#{case_id}"
