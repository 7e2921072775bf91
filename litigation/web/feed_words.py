"""What a calendar says, in the locale in force (a feed forces its owner's): the words around
deadlines and hearings, the entries feeds/ical.py turns into bytes, and what a feed shows as
the calendars page describes it."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Hashable

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..cases.deadlines import rule_of
from ..feeds import deadline_entry, hearing_entry, ical
from ..models import Case, Deadline, FeedKind, FeedSubscription, Hearing
from ..registry import current_registry
from ..workflows.spec import WorkflowSet
from .filters import latest_text, localised, provisional_text, source_text
from .forms import JURISDICTIONS, PARTIES
from .hearings import hearing_kind, hearing_zone


def labels() -> ical.Labels:
    """The words around the data, in the locale in force."""
    return ical.Labels(
        next_step=_("Next step"),
        legal_basis=_("Legal basis"),
        unverified=f"{_('unverified rule')}: "
        + _("This rule was not verified against the official text."),
        warning=_("warning"),
        who_acts=_("Who must act"),
        survivor=_("Survivor"),
        notes=_("Notes"),
        case_page=_("Case page"),
        reminder=_remembered(
            lambda days: ngettext("due in %(num)d day", "due in %(num)d days", days)
        ),
    )


def hearing_labels() -> ical.HearingLabels:
    """The words around a hearing, in the locale in force."""
    return ical.HearingLabels(
        local_time=_("Local time"),
        duration_unknown=_("Duration not recorded: shown as one hour."),
        cancelled=_("Cancelled"),
        survivor=_("Survivor"),
        place=_("Place"),
        attendees=_("Who attends"),
        notes=_("Notes"),
        case_page=_("Case page"),
        starts_in=_remembered(_starts_in),
    )


def _starts_in(offset: dt.timedelta) -> str:
    if offset.days:
        return ngettext("in %(num)d day", "in %(num)d days", offset.days)
    hours = offset.seconds // 3600
    return ngettext("in %(num)d hour", "in %(num)d hours", hours)


def _party(party: str) -> str:
    return str(PARTIES.get(party, party))


def _case_url(case: Case) -> str:
    return url_for("cases.show", case_id=case.id, _external=True)


def _remembered(function: Callable[[Hashable], str], key=lambda value: value):
    """`function`, each of its answers worked out once (per feed: the locale is the feed's)."""
    known: dict = {}

    def remembered(value):
        found = key(value)
        if found not in known:
            known[found] = function(value)
        return known[found]

    return remembered


def _rule_key(deadline: Deadline) -> tuple:
    """What decides a deadline's rule (cases.deadlines.rule_of)."""
    return (
        deadline.proceeding.route,
        deadline.stage,
        deadline.rule,
        deadline.anchor_date,
        deadline.calendar,
        deadline.fingerprint,
    )


def _caveats_key(deadline: Deadline) -> tuple:
    provisional = json.dumps(deadline.provisional, sort_keys=True)
    return (*_rule_key(deadline), deadline.latest_due, deadline.due_date, provisional)


def deadline_entries(
    deadlines: list[Deadline], lang: str, named: set[int]
) -> list[ical.DeadlineEntry]:
    """The deadlines as a calendar shows them, in `lang`; names only of the cases `named`
    (feeds.cases_named_in: a feed with names, consent to sharing, risk not high)."""
    registry = current_registry()
    # A team feed repeats a few rules, parties and words over thousands of deadlines, and
    # each case over several: each is worked out once.
    lookup = functools.partial(rule_of, registry.workflows, fingerprints={})
    rule = _remembered(lookup, key=_rule_key)
    party = _remembered(_party)
    case_url = _remembered(_case_url, key=lambda case: case.id)
    caveats = _remembered(_caveats, key=_caveats_key)
    return [
        deadline_entry(
            registry,
            deadline,
            lang=lang,
            party_label=party,
            case_url=case_url,
            caveats=caveats,
            with_names=deadline.proceeding.case_id in named,
            rule_lookup=rule,
        )
        for deadline in deadlines
    ]


def hearing_entries(hearings: list[Hearing], named: set[int]) -> list[ical.HearingEntry]:
    """The hearings as a calendar shows them, in the locale in force (redacted unless their
    case is among those `named`: see feeds.hearing_entry and feeds.cases_named_in)."""
    case_url = _remembered(_case_url, key=lambda case: case.id)
    kind, zone = _remembered(hearing_kind), _remembered(hearing_zone)
    return [
        hearing_entry(
            hearing,
            kind_label=kind,
            zone_label=zone,
            case_url=case_url,
            with_names=hearing.case_id in named,
        )
        for hearing in hearings
    ]


def _caveats(deadline: Deadline) -> list[str]:
    """Why the date may move, in the locale in force (the feed forces the owner's)."""
    texts = (latest_text(deadline), provisional_text(deadline), source_text(deadline))
    return [text for text in texts if text]


def feed_shows(subscription: FeedSubscription) -> list[str]:
    """What a feed covers, in the reader's words: its kind, then each filter (never an id)."""
    workflows = current_registry().workflows
    parts = [_kind_text(subscription)]
    if subscription.route:
        route = workflows.routes.get(subscription.route)
        parts.append(localised(route.title) if route else _("a route no longer in the workflows"))
    if subscription.jurisdiction:
        names = {choice.value: str(choice.label) for choice in JURISDICTIONS}
        parts.append(names.get(subscription.jurisdiction, subscription.jurisdiction))
    if subscription.lawyer:
        parts.append(_("lawyer %(name)s", name=subscription.lawyer.name))
    if subscription.stage:
        parts.append(_("stage: %(stage)s", stage=_stage_text(workflows, subscription)))
    return parts


def _kind_text(subscription: FeedSubscription) -> str:
    if subscription.kind == FeedKind.MINE:
        return _("Cases assigned to me")
    if subscription.kind == FeedKind.CASE:
        reference = subscription.case.reference if subscription.case else "—"
        return _("Case %(reference)s", reference=reference)
    return _("Every case the owner can see")


def _stage_text(workflows: WorkflowSet, subscription: FeedSubscription) -> str:
    # The feed's own route names the stage best; a stage id is shared by several routes.
    routes = list(workflows.routes.values())
    routes.sort(key=lambda route: route.id != subscription.route)
    for route in routes:
        if route.has_stage(subscription.stage):
            return localised(route.stage(subscription.stage).label)
    return _("a stage no longer in the workflows")
