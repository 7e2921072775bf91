"""What reaches a person by e-mail: reminders, a digest, quiet hours, the team digest.

Each user sets their own on the notifications page; an admin alone allows survivors' names
in a person's e-mails (users.py, `update_user`). A save names the values it was made over,
so that a stale page (two tabs) is refused instead of silently undoing the other save.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from ..audit import record
from ..cases.access import gets_team_digest
from ..db import db
from ..errors import InvalidInput, StaleSettings, msg
from ..models import AuditKind, User

DIGESTS = ("off", "daily", "weekly")
# The zones the NGOs' people work in (Kazakhstan's west keeps its own hour), their partners',
# and Geneva for the UN treaty bodies. A zone stored otherwise stays allowed for its user.
TIME_ZONES = (
    "Asia/Almaty",
    "Asia/Qostanay",
    "Asia/Aqtobe",
    "Asia/Oral",
    "Asia/Dushanbe",
    "Europe/Moscow",
    "Europe/Berlin",
    "Europe/London",
    "Europe/Vienna",
    "Europe/Geneva",
    "UTC",
)
SETTINGS = (
    "email_reminders",
    "digest",
    "digest_weekday",
    "digest_hour",
    "time_zone",
    "quiet_from",
    "quiet_until",
    "team_digest",
)


def settings_of(user: User) -> dict[str, Any]:
    """The user's own e-mail settings as stored (names in e-mail is the admin's, not here)."""
    return {name: getattr(user, name) for name in SETTINGS}


def settings_fingerprint(user: User) -> str:
    """A short digest of the stored settings: the page carries it, a save compares it."""
    text = json.dumps(settings_of(user), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def update_notification_settings(
    user: User, values: Mapping[str, Any], *, expected: str | None, actor: User
) -> list[str]:
    """Save the user's settings; InvalidInput beside each wrong field, StaleSettings when
    they changed since the page showed `expected`. Returns the names of the fields changed."""
    if expected is not None and expected != settings_fingerprint(user):
        raise StaleSettings()
    wanted = check_settings(user, values)
    if not gets_team_digest(user):
        wanted.pop("team_digest", None)  # only those who see every case get the team's
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, wanted[name])
    db.session.flush()
    if changed:
        # Which fields, never their values: a zone or quiet hours say where someone is.
        record(AuditKind.NOTIFICATIONS_CHANGED, actor=actor, user=user, details={"fields": changed})
    return changed


def check_settings(user: User, values: Mapping[str, Any]) -> dict[str, Any]:
    """The settings as they are stored, or InvalidInput naming every wrong field."""
    errors: dict[str, str] = {}
    found: dict[str, Any] = {
        "email_reminders": bool(values.get("email_reminders")),
        "team_digest": bool(values.get("team_digest")),
    }
    digest = values.get("digest")
    if digest in DIGESTS:
        found["digest"] = digest
    else:
        errors["digest"] = msg("Choose off, daily or weekly.")
    found["digest_weekday"] = _number(values.get("digest_weekday"), 6)
    if found["digest_weekday"] is None:
        errors["digest_weekday"] = msg("Choose a day of the week.")
    found["digest_hour"] = _number(values.get("digest_hour"), 23)
    if found["digest_hour"] is None:
        errors["digest_hour"] = msg("Choose an hour from 0 to 23.")
    zone = values.get("time_zone")
    if zone in TIME_ZONES or (zone and zone == user.time_zone):
        found["time_zone"] = zone
    else:
        errors["time_zone"] = msg("Choose a time zone from the list.")
    errors.update(_quiet_hours(values, found))
    if errors:
        raise InvalidInput(errors)
    return found


def _quiet_hours(values: Mapping[str, Any], found: dict[str, Any]) -> dict[str, str]:
    """Both ends of the quiet hours, or neither; each an hour of the day."""
    ends = {name: values.get(name) for name in ("quiet_from", "quiet_until")}
    given = {name: value for name, value in ends.items() if value not in (None, "")}
    errors: dict[str, str] = {}
    for name in ends:
        found[name] = _number(given[name], 23) if name in given else None
        if name in given and found[name] is None:
            errors[name] = msg("Choose an hour from 0 to 23.")
    if len(given) == 1:
        [missing] = set(ends) - set(given)
        errors.setdefault(
            missing, msg("Give both ends of the quiet hours, or leave both empty for none.")
        )
    elif not errors and given and found["quiet_from"] == found["quiet_until"]:
        errors["quiet_until"] = msg("The quiet hours cannot start and end at the same hour.")
    return errors


def _number(value: Any, highest: int) -> int | None:
    """`value` as a whole number from 0 to `highest`, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and 0 <= value <= highest else None
