"""Documents in words: kinds, sizes and types in the reader's language, the steps and deadlines
a document can prove, the case page's lists, a download's name, and audit entries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from ..documents import TYPES, case_documents
from ..documents.vault import MEGABYTE
from ..models import Case, Document, DocumentKind, Event
from ..registry import current_registry
from ..workflows.spec import Route
from .filters import human_date, localised, rule_label
from .forms import options

KIND_LABELS = {
    DocumentKind.COMPLAINT: _l("Complaint or application (with its filing stamp)"),
    DocumentKind.DECISION: _l("Decision, ruling or answer received"),
    DocumentKind.EVIDENCE: _l("Evidence (photo, statement, certificate)"),
    DocumentKind.MEDICAL: _l("Medical or forensic report"),
    DocumentKind.CORRESPONDENCE: _l("Letter or correspondence"),
    DocumentKind.OTHER: _l("Other"),
}
KIND_CHOICES = options((kind.value, label) for kind, label in KIND_LABELS.items())
# History entries that record a correction, not a step: nothing a document proves.
NOT_STEPS = {"correct_event", "override_deadline", "recalculate_deadline", "migrate_stage"}
# RFC 5987's attr-char: what filename*= may carry unencoded.
ATTR_CHARS = "!#$&+-.^_`|~"


@dataclass
class CaseDocuments:
    """A case's documents as its page shows them."""

    active: list[Document] = field(default_factory=list)
    removed: list[Document] = field(default_factory=list)
    by_event: dict[int, list[Document]] = field(default_factory=dict)
    by_deadline: dict[int, list[Document]] = field(default_factory=dict)


def documents_of(case: Case) -> CaseDocuments:
    """The case's documents: on the list, removed, and by the step or deadline they prove."""
    found = CaseDocuments()
    for document in case_documents(case):
        if document.removed_at is not None:
            found.removed.append(document)
            continue
        found.active.append(document)
        if document.event_id:
            found.by_event.setdefault(document.event_id, []).append(document)
        if document.deadline_id:
            found.by_deadline.setdefault(document.deadline_id, []).append(document)
    return found


def document_kind(value: str) -> str:
    label = KIND_LABELS.get(value)
    return str(label) if label else value


def type_name(media_type: str) -> str:
    """PDF, JPEG, ... for a checked media type."""
    known = TYPES.get(media_type)
    return known.name if known else media_type


def file_size(size: int) -> str:
    """A size in bytes, KB or MB, in the reader's language."""
    if size < 1024:
        return ngettext("%(num)d byte", "%(num)d bytes", size)
    if size < MEGABYTE:
        return _("%(size)s KB", size=format_decimal(size / 1024, "#,##0"))
    return _("%(size)s MB", size=format_decimal(size / MEGABYTE, "#,##0.0"))


def step_label(route: Route | None, event: Event) -> str:
    """A history entry as the case page names it."""
    if event.trigger == "open":
        return _("Route opened")
    if route is not None and event.trigger in {t.trigger for t in route.transitions}:
        return localised(route.transition(event.trigger).label)
    return event.trigger


def tie_label(document: Document) -> str:
    """What the document proves, in words ('' when it is tied to nothing)."""
    if document.event is not None:
        route = current_registry().workflows.routes.get(document.event.proceeding.route)
        day = human_date(document.event.occurred_on)
        return _("step: %(step)s, %(date)s", step=step_label(route, document.event), date=day)
    if document.deadline is not None:
        due = human_date(document.deadline.due_date)
        return _("deadline: %(rule)s, due %(date)s", rule=rule_label(document.deadline), date=due)
    return ""


def tie_choices(case: Case) -> list[SelectChoice]:
    """The steps and deadlines of the case's proceedings a document may prove, by route."""
    routes = current_registry().workflows.routes
    choices = [SelectChoice("", _("not tied to a step or deadline"))]
    for proceeding in case.proceedings:
        route = routes.get(proceeding.route)
        title = localised(route.title) if route else proceeding.route
        steps = _("Steps: %(route)s", route=title)
        for event in sorted(proceeding.events, key=lambda e: (e.occurred_on, e.id)):
            if event.trigger not in NOT_STEPS:
                label = f"{human_date(event.occurred_on)} · {step_label(route, event)}"
                choices.append(SelectChoice(f"event:{event.id}", label, optgroup=steps))
        deadlines = _("Deadlines: %(route)s", route=title)
        for deadline in sorted(proceeding.deadlines, key=lambda d: (d.due_date, d.id)):
            due = _("due %(date)s", date=human_date(deadline.due_date))
            label = f"{rule_label(deadline)} · {due}"
            choices.append(SelectChoice(f"deadline:{deadline.id}", label, optgroup=deadlines))
    return choices


def content_disposition(name: str, document_id: int, number: int) -> str:
    """An attachment named `name` (RFC 6266 and 5987: Cyrillic names survive), with a plain
    ASCII name for browsers that read only that."""
    extension = name.rpartition(".")[2] if "." in name else ""
    plain = name if name.isascii() else f"document-{document_id}-v{number}.{extension}"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe=ATTR_CHARS)}"


def document_audit(details: Mapping[str, Any]) -> list[str]:
    """An audit entry about a document: its number, kind, version, size and type."""
    parts = [_("document #%(id)s", id=details.get("document", "?"))]
    parts.append(document_kind(details.get("kind", "")))
    if isinstance(details.get("version"), int):
        parts.append(_("version %(number)d", number=details["version"]))
    if isinstance(details.get("size"), int):
        parts.append(file_size(details["size"]))
    if details.get("type"):
        parts.append(type_name(details["type"]))
    return parts
