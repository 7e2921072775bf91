"""The audit trail in words: a label for every kind of entry and its details as sentences.

Details are stored as ids and values (audit/trail.py); here they become names, labels from
workflows.yaml and dates in the reader's language. A detail this module does not know is
shown as it is stored, so that nothing on the trail is ever hidden from an admin.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..audit import HIDDEN
from ..models import AuditEntry, AuditKind, Role
from ..registry import current_registry
from ..workflows.engine import OCCURRED_ON
from .consent_words import manner_word, scope_word
from .contacts import ROLE_LABELS, ContactForm
from .document_words import document_audit
from .examinations import examination_word
from .filters import human_date, localised
from .forms import AGE_GROUPS, REPRISAL_RISK, SEXES
from .hearings import KIND_LABELS as HEARING_KINDS
from .hearings import HearingForm
from .notification_words import audit_failed, audit_sent, audit_settings

KIND_LABELS = {
    AuditKind.SIGN_IN: _l("Signed in"),
    AuditKind.SIGN_IN_FAILED: _l("Failed sign-in"),
    AuditKind.SIGN_OUT: _l("Signed out"),
    AuditKind.SESSIONS_ENDED: _l("Sessions ended"),
    AuditKind.PASSWORD_CHANGED: _l("Password changed"),
    AuditKind.PASSWORD_RESET_LINK_MADE: _l("Password link made"),
    AuditKind.PASSWORD_RESET_LINK_USED: _l("New password set through a link"),
    AuditKind.TWO_FACTOR_ENABLED: _l("Two-factor sign-in turned on"),
    AuditKind.TWO_FACTOR_DISABLED: _l("Two-factor sign-in turned off"),
    AuditKind.RECOVERY_CODES_MADE: _l("Recovery codes issued"),
    AuditKind.RECOVERY_CODE_USED: _l("Recovery code used"),
    AuditKind.USER_CREATED: _l("Account created"),
    AuditKind.USER_CHANGED: _l("Account changed"),
    AuditKind.CASE_CREATED: _l("Case opened"),
    AuditKind.CASE_EDITED: _l("Case details edited"),
    AuditKind.TEAM_CHANGED: _l("Case team changed"),
    AuditKind.CONSENT_CHANGED: _l("Consent changed"),
    AuditKind.ROUTE_OPENED: _l("Route opened"),
    AuditKind.STEP: _l("Step recorded"),
    AuditKind.CORRECTION: _l("Dates corrected"),
    AuditKind.OVERRIDE: _l("Deadline set by hand"),
    AuditKind.FEED_CREATED: _l("Calendar feed created"),
    AuditKind.FEED_ROTATED: _l("Calendar feed given a new address"),
    AuditKind.FEED_REVOKED: _l("Calendar feed revoked"),
    AuditKind.FEED_FETCHED: _l("Calendar feed read"),
    AuditKind.DOWNLOAD: _l("Download"),
    AuditKind.EXPORT: _l("Export of the database"),
    AuditKind.BACKUP: _l("Backup of the database"),
    AuditKind.CONTACT_ADDED: _l("Contact added to the case"),
    AuditKind.CONTACT_CHANGED: _l("Case contact edited"),
    AuditKind.CONTACT_REMOVED: _l("Contact removed from the case"),
    AuditKind.EXAMINATION_RECORDED: _l("Medical-legal examination recorded"),
    AuditKind.HEARING_ADDED: _l("Hearing added to the case"),
    AuditKind.HEARING_CHANGED: _l("Hearing edited"),
    AuditKind.HEARING_CANCELLED: _l("Hearing cancelled"),
    AuditKind.SURVIVOR_CREATED: _l("Survivor recorded"),
    AuditKind.SURVIVOR_CHANGED: _l("Survivor details edited"),
    AuditKind.DOCUMENT_UPLOADED: _l("Document uploaded"),
    AuditKind.DOCUMENT_REPLACED: _l("New version of a document"),
    AuditKind.DOCUMENT_REMOVED: _l("Document removed from the list"),
    AuditKind.DOCUMENT_DOWNLOADED: _l("Document downloaded"),
    AuditKind.DOCUMENTS_REKEYED: _l("Documents encrypted again with a new key"),
    AuditKind.NOTE_EDITED: _l("Note in the history edited"),
    AuditKind.NOTIFICATION_SENT: _l("E-mail sent"),
    AuditKind.NOTIFICATION_FAILED: _l("E-mail not sent"),
    AuditKind.NOTIFICATIONS_CHANGED: _l("E-mail settings changed"),
}

# The same words as the forms that change these fields (web/forms.py, web/admin.py).
FIELD_LABELS = {
    "reference": _l("Reference"),
    "survivor_name": _l("Survivor's name"),
    "survivor_contact": _l("Contact (kept minimal)"),
    "survivor_sex": _l("Sex"),
    "survivor_birth_year": _l("Year of birth"),
    "survivor_age_group": _l("Age at the time of the incident, if the year of birth is not known"),
    "survivor_reprisal_risk": _l("Risk of reprisals"),
    "survivor_notes": _l("Notes on the person"),
    "jurisdiction": _l("Jurisdiction"),
    "incident_date": _l("Date of the incident"),
    "incident_place": _l("Place (police station, detention facility)"),
    "authority": _l("Authority allegedly responsible"),
    "ill_treatment_forms": _l("Forms of ill-treatment"),
    "forensic_exam_done": _l("Forensic or medical examination done (Istanbul Protocol)"),
    "forensic_exam_on": _l("Date of the examination"),
    # The two checkboxes consent records replaced (0016): entries made before still use them.
    "consent_to_litigation": _l("Informed consent to litigation"),
    "consent_to_publication": _l("Informed consent to publication"),
    "reprisal_risk": _l("Risk of reprisals"),
    "rehabilitation_referrals": _l("Referrals to medical, psychological and social rehabilitation"),
    "notes": _l("Notes"),
    "name": _l("Name"),
    "email": _l("Email"),
    "role": _l("Role"),
    "language": _l("Language"),
    "active": _l("Active (may sign in)"),
    "password": _l("Password"),
    "names_in_email": _l("Survivors' names may appear in this person's e-mails"),
}
# Stored values with their words in the forms.
VALUE_LABELS = {
    "role": {role.value: _l(role.value) for role in Role},
    "reprisal_risk": {choice.value: choice.label for choice in REPRISAL_RISK},
    "survivor_reprisal_risk": {choice.value: choice.label for choice in REPRISAL_RISK},
    "survivor_sex": {choice.value: choice.label for choice in SEXES},
    "survivor_age_group": {choice.value: choice.label for choice in AGE_GROUPS},
    "language": {"ru": "Русский", "en": "English"},
    "jurisdiction": {"KZ": _l("Kazakhstan"), "TJ": _l("Tajikistan")},
}
FEED_KINDS = {
    "mine": _l("Cases assigned to me"),
    "case": _l("One case"),
    "team": _l("Team deadlines"),
}
# How a sign-in failed, by the step that refused it (accounts/sign_in.py).
FAILED_STEPS = {
    "code": _l("wrong two-factor code"),
    "confirm": _l("wrong password when confirming an action"),
}
SECURITY_KINDS = {AuditKind.SIGN_IN_FAILED, AuditKind.FEED_FETCHED}
# Written by the sending engine, which no one runs by hand.
ENGINE_KINDS = {AuditKind.NOTIFICATION_SENT, AuditKind.NOTIFICATION_FAILED}


@dataclass(frozen=True)
class Names:
    """What an entry's ids stand for, loaded once for a page of entries."""

    users: Mapping[int, str]
    rules: Mapping[int, str]  # deadline id -> the label of its rule


def kind_label(kind: str) -> str:
    """The entry's kind in the reader's language (the stored word if it is unknown)."""
    try:
        return str(KIND_LABELS[AuditKind(kind)])
    except ValueError:
        return kind


def who(entry: AuditEntry, names: Names) -> str:
    """Who acted: a person, or nobody signed in (a calendar client, a failed sign-in), or
    the command line run on the server."""
    if entry.actor_id is not None:
        return names.users.get(entry.actor_id, f"#{entry.actor_id}")
    if entry.kind in SECURITY_KINDS:
        return _("nobody signed in")
    if entry.kind in ENGINE_KINDS:
        return _("the mailer")
    return _("command line")


def value_text(field: str, value: Any) -> str:
    """A stored value of `field` in words."""
    if value == HIDDEN:
        return _("changed")
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and value in VALUE_LABELS.get(field, {}):
        return str(VALUE_LABELS[field][value])
    if isinstance(value, str) and _is_date(value):
        return human_date(dt.date.fromisoformat(value))
    return str(value)


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _label(field: str) -> str:
    return str(FIELD_LABELS.get(field, field))


def _changes(details: Mapping[str, Any]) -> list[str]:
    parts = []
    for field, change in details.items():
        if isinstance(change, list) and len(change) == 2 and change[0] == change[1] == HIDDEN:
            parts.append(f"{_label(field)}: {_('changed')}")
        elif isinstance(change, list) and len(change) == 2:
            old, new = (value_text(field, v) for v in change)
            parts.append(f"{_label(field)}: {old} → {new}")
        else:
            parts.append(f"{_label(field)}: {value_text(field, change)}")
    return parts


def _people(ids: Any, names: Names) -> str:
    return ", ".join(names.users.get(i, f"#{i}") for i in ids or []) or "—"


def _route_title(route_id: str) -> str:
    route = current_registry().workflows.routes.get(route_id)
    return localised(route.title) if route else route_id


def _stage_label(route_id: str, stage: str | None) -> str:
    route = current_registry().workflows.routes.get(route_id)
    if stage and route and route.has_stage(stage):
        return localised(route.stage(stage).label)
    return stage or "—"


def _step(details: Mapping[str, Any]) -> list[str]:
    route_id, trigger = details.get("route", ""), details.get("trigger", "")
    route = current_registry().workflows.routes.get(route_id)
    step = trigger
    if route and trigger in {t.trigger for t in route.transitions}:
        step = localised(route.transition(trigger).label)
    source, dest = (_stage_label(route_id, details.get(end)) for end in ("from", "to"))
    stages = f"{source} → {dest}"
    parts = [f"{_route_title(route_id)}: {step}", _("stage %(stages)s", stages=stages)]
    return parts + _history_mark(details)


def _history_mark(details: Mapping[str, Any]) -> list[str]:
    """Steps of a running case entered later, as its past history."""
    return [_("entered later, as the case's past history")] if details.get("as_history") else []


def _route_opened(details: Mapping[str, Any]) -> list[str]:
    route_id = details.get("route", "")
    parts = [
        _route_title(route_id),
        _("stage %(stages)s", stages=_stage_label(route_id, details.get("stage"))),
    ]
    if details.get("from_proceeding"):
        parts.append(_("handed over by another proceeding of the case"))
    return parts + _history_mark(details)


def _fact_label(name: str) -> str:
    if name == OCCURRED_ON:
        return _("Date of the event")
    spec = current_registry().workflows.facts.get(name)
    return localised(spec.label) if spec else name


def _correction(details: Mapping[str, Any]) -> list[str]:
    fields = ", ".join(_fact_label(name) for name in details.get("fields", []))
    return [fields or "—"]


def _override(details: Mapping[str, Any], names: Names) -> list[str]:
    deadline = details.get("deadline")
    rule = names.rules.get(deadline, details.get("rule", f"#{deadline}"))
    old, new = value_text("", details.get("from")), value_text("", details.get("to"))
    return [f"{rule}: {old} → {new}"]


def _team(details: Mapping[str, Any], names: Names) -> list[str]:
    parts = []
    if "added" in details or "removed" in details:
        parts += [
            _("joined: %(people)s", people=_people(details.get("added"), names)),
            _("left: %(people)s", people=_people(details.get("removed"), names)),
        ]
    if "backup" in details:
        backup = details["backup"]
        name = names.users.get(backup, f"#{backup}") if backup is not None else _("nobody")
        parts.append(_("backup lawyer: %(name)s", name=name))
    if details.get("reason") == "reassigned":
        parts.append(_("hand-over of a deactivated colleague's cases"))
    return parts


def _feed(details: Mapping[str, Any]) -> list[str]:
    kind = details.get("kind", "")
    parts = [str(FEED_KINDS.get(kind, kind))]
    if details.get("with_names"):
        parts.append(_("with survivors' names"))
    return parts


def _download(details: Mapping[str, Any], names: Names) -> list[str]:
    if details.get("what") == "ics" and "hearing" in details:
        return [_("calendar file of hearing #%(id)s", id=details["hearing"])]
    if details.get("what") == "ics":
        return [_("calendar file of one deadline")]
    if details.get("what") == "pdf":
        names = _("with the survivor's name") if details.get("with_names") else _("without names")
        return [_("case summary as PDF"), names]
    parts = [_("CSV table %(table)s", table=details.get("table", "?"))]
    if isinstance(details.get("rows"), int):
        parts.append(ngettext("%(num)d row", "%(num)d rows", details["rows"]))
    if details.get("with_names"):
        parts.append(_("with survivors' names"))
    filters = details.get("filters") or {}
    parts.extend(_list_filters(filters, names))
    if filters.get("person") is not None:
        person = names.users.get(filters["person"], f"#{filters['person']}")
        parts.append(_("only %(name)s", name=person))
    if filters.get("case"):
        parts.append(_("only case %(reference)s", reference=filters["case"]))
    if filters.get("kind"):
        parts.append(_("only: %(kind)s", kind=kind_label(filters["kind"])))
    if filters.get("since") or filters.get("until"):
        since, until = (value_text("", filters.get(end)) for end in ("since", "until"))
        parts.append(_("period %(since)s – %(until)s", since=since, until=until))
    return parts


def _list_filters(filters: Mapping[str, Any], names: Names) -> list[str]:
    """The filters of a cases list download (the search words are never kept)."""
    parts = [_("searched (the words are not kept)")] if filters.get("search") else []
    shown = [
        f"{name}: {filters[name]}"
        for name in ("jurisdiction", "route", "stage")
        if filters.get(name)
    ]
    if filters.get("lawyer") is not None:
        shown.append(str(names.users.get(filters["lawyer"], f"#{filters['lawyer']}")))
    if filters.get("overdue"):
        shown.append(_("overdue"))
    if shown:
        parts.append(_("filters: %(filters)s", filters=", ".join(shown)))
    return parts


def _case_created(details: Mapping[str, Any], names: Names) -> list[str]:
    shown = {k: v for k, v in details.items() if k not in ("reference", "team", "survivor")}
    parts = _changes(shown)
    if "survivor" in details:
        parts.append(_("person #%(id)s", id=details["survivor"]))
    return [*parts, _("team: %(people)s", people=_people(details.get("team"), names))]


def _failed_sign_in(details: Mapping[str, Any]) -> list[str]:
    parts = [str(FAILED_STEPS.get(details.get("step", ""), _("wrong password")))]
    if details.get("email"):
        parts.append(_("no account has the e-mail %(email)s", email=details["email"]))
    return parts


def _sessions(details: Mapping[str, Any]) -> str:
    ended = details.get("ended")
    if not isinstance(ended, int):
        return ""
    return ngettext("%(num)d session ended", "%(num)d sessions ended", ended)


def _reset_link(details: Mapping[str, Any]) -> list[str]:
    """When a password link stops working, and how many older ones it replaced."""
    until = dt.datetime.fromisoformat(details["expires_at"])
    replaced = details.get("replaced") or 0
    return [
        _("valid until %(when)s", when=format_datetime(until, "d MMMM y, HH:mm")),
        ngettext("%(num)d older link revoked", "%(num)d older links revoked", replaced)
        if replaced
        else "",
    ]


def _copy(details: Mapping[str, Any]) -> list[str]:
    parts = [_("file %(path)s", path=details.get("path", "?"))]
    if isinstance(rows := details.get("rows"), int):
        parts.append(ngettext("%(num)d record", "%(num)d records", rows))
    return parts


def _contact(details: Mapping[str, Any]) -> list[str]:
    role = details.get("role", "")
    parts = [_("contact #%(id)s", id=details.get("contact", "?")), str(ROLE_LABELS.get(role, role))]
    if fields := details.get("fields"):
        form = ContactForm(meta={"csrf": False}, formdata=None)
        labels = [str(form[name].label.text) if name in form else name for name in fields]
        parts.append(_("changed: %(fields)s", fields=", ".join(labels)))
    return parts


def _hearing(details: Mapping[str, Any]) -> list[str]:
    kind = details.get("kind", "")
    parts = [
        _("hearing #%(id)s", id=details.get("hearing", "?")),
        str(HEARING_KINDS.get(kind, kind)),
    ]
    if fields := details.get("fields"):
        form = HearingForm(meta={"csrf": False}, formdata=None)
        labels = [str(form[name].label.text) if name in form else name for name in fields]
        parts.append(_("changed: %(fields)s", fields=", ".join(labels)))
    return parts


def _examination(details: Mapping[str, Any]) -> list[str]:
    found = details.get("findings", 0)
    return [
        _("examination #%(id)s", id=details.get("examination", "?")),
        examination_word(details.get("status", "")),
        examination_word(details.get("examiner_kind", "")),
        ngettext("%(num)d finding", "%(num)d findings", found) if isinstance(found, int) else "",
    ]


def _survivor(details: Mapping[str, Any]) -> list[str]:
    parts = [_("person #%(id)s", id=details.get("survivor", "?"))]
    if fields := details.get("fields"):
        labels = [_label(f"survivor_{name}") for name in fields]
        parts.append(_("recorded: %(fields)s", fields=", ".join(labels)))
    return parts + _changes(details.get("changes") or {})


def _consent(details: Mapping[str, Any]) -> list[str]:
    """A consent given or withdrawn; an entry from before consent records lists its fields."""
    if "scope" not in details:
        return _changes(details)
    parts = [_("consent #%(id)s", id=details.get("consent", "?")), scope_word(details["scope"])]
    if details.get("change") == "withdrawn":
        parts.append(_("withdrawn on %(date)s", date=value_text("", details.get("withdrawn_on"))))
    else:
        parts.append(_("given on %(date)s", date=value_text("", details.get("given_on"))))
        parts.append(manner_word(details.get("form")))
    return parts


def _note(details: Mapping[str, Any]) -> list[str]:
    """Which version of a history note was written (the text itself is case data)."""
    return [_("version %(num)s of the note", num=details.get("version", "?"))]


DESCRIBE: dict[str, Callable[[Mapping[str, Any], Names], list[str]]] = {
    AuditKind.NOTE_EDITED: lambda d, n: _note(d),
    AuditKind.STEP: lambda d, n: _step(d),
    AuditKind.ROUTE_OPENED: lambda d, n: _route_opened(d),
    AuditKind.CORRECTION: lambda d, n: _correction(d),
    AuditKind.OVERRIDE: _override,
    AuditKind.TEAM_CHANGED: _team,
    AuditKind.CASE_CREATED: _case_created,
    AuditKind.DOWNLOAD: _download,
    AuditKind.EXPORT: lambda d, n: _copy(d),
    AuditKind.BACKUP: lambda d, n: _copy(d),
    AuditKind.SIGN_IN_FAILED: lambda d, n: _failed_sign_in(d),
    AuditKind.SESSIONS_ENDED: lambda d, n: [_sessions(d)],
    AuditKind.PASSWORD_RESET_LINK_MADE: lambda d, n: _reset_link(d),
    **{kind: lambda d, n: _contact(d) for kind in AuditKind if kind.startswith("contact_")},
    AuditKind.EXAMINATION_RECORDED: lambda d, n: _examination(d),
    **{kind: lambda d, n: _survivor(d) for kind in AuditKind if kind.startswith("survivor_")},
    AuditKind.CONSENT_CHANGED: lambda d, n: _consent(d),
    **{kind: lambda d, n: _hearing(d) for kind in AuditKind if kind.startswith("hearing_")},
    **{kind: lambda d, n: _feed(d) for kind in AuditKind if kind.startswith("feed_")},
    **{kind: lambda d, n: document_audit(d) for kind in AuditKind if kind.startswith("document_")},
    AuditKind.NOTIFICATIONS_CHANGED: lambda d, n: audit_settings(d),
    AuditKind.DOCUMENTS_REKEYED: lambda d, n: [
        ngettext("%(num)d version", "%(num)d versions", d.get("versions", 0)),
        _("key %(id)s", id=d.get("key", "?")),
    ],
}


def _mail(entry: AuditEntry) -> Callable[[Mapping[str, Any], Names], list[str]]:
    """The words of a message the engine sent or failed to send, to the entry's user."""
    sentence = audit_sent if entry.kind == AuditKind.NOTIFICATION_SENT else audit_failed

    def describe(details: Mapping[str, Any], names: Names) -> list[str]:
        recipient = names.users.get(entry.user_id, "?") if entry.user_id else "?"
        return sentence(details, recipient, entry.case_id)

    return describe


def details_text(entry: AuditEntry, names: Names) -> str:
    """The entry's details as a line of text: the account acted on, what changed, where from."""
    parts = []
    details = entry.details if isinstance(entry.details, dict) else {"details": entry.details}
    describe = DESCRIBE.get(entry.kind, lambda d, n: _changes(d))
    if entry.kind in ENGINE_KINDS:  # the sentence names the recipient itself
        describe = _mail(entry)
    elif entry.user_id is not None and entry.user_id != entry.actor_id:
        parts.append(_("account: %(name)s", name=names.users.get(entry.user_id, "?")))
    try:
        parts += describe(details, names)
    except (TypeError, ValueError, AttributeError, KeyError):
        # Details of a shape these words do not know (an older version's, or imported):
        # shown as stored rather than hidden, and never an error page.
        parts.append(json.dumps(details, ensure_ascii=False, sort_keys=True, default=str))
    if entry.address:
        parts.append(_("from %(address)s", address=entry.address))
    return "; ".join(part for part in parts if part)
