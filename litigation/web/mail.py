"""The words of e-mail: reminders, escalations and digests in the recipient's language.

Written when the message is sent (notifications/passes.py calls `compose`), from what the
records say then. A message carries the case reference, the step, the date, the days left,
the legal basis and links; a survivor's name only where an admin allowed names in this
person's e-mail and the case's consent and risk allow naming (feeds.cases_named_in).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime as rfc_date

from flask import current_app, g, render_template, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from ..db import db
from ..feeds import cases_named_in
from ..models import Case, Deadline, Notification, NotificationKind, Proceeding, User
from ..notifications.contents import personal_digest, team_digest
from ..notifications.schedule import local
from ..registry import current_registry
from .feed_words import deadline_entries, hearing_entries
from .filters import human_date, localised


@dataclass
class Line:
    text: str
    url: str | None = None


@dataclass
class Section:
    title: str
    lines: list[Line]
    more: int = 0  # rows not listed


@dataclass
class Written:
    """A message before it becomes text and HTML."""

    subject: str
    intro: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    action: Line | None = None
    warning: str | None = None


def language_of(user: User) -> str:
    """The recipient's language, or the first the app speaks."""
    languages = current_app.config["LANGUAGES"]
    return user.language if user.language in languages else languages[0]


def compose(notification: Notification, now: dt.datetime) -> EmailMessage | None:
    """The message as the recipient will read it; None when there is nothing to say."""
    user = notification.user
    today = local(now, user.time_zone).date()
    base_url = current_app.config["PUBLIC_URL"]
    with (
        current_app.test_request_context("/", base_url=base_url),
        force_locale(language_of(user)),
    ):
        g.lang = language_of(user)  # what localised() and human_date() read
        written = WRITERS[notification.kind](notification, user, today)
        if written is None:
            return None
        context = {"m": written, "settings_url": settings_url(), "user": user}
        plain = render_template("mail/message.txt", **context)
        html = render_template("mail/message.html", **context)
        return _message(notification, user, written.subject, plain, html, now)


def settings_url() -> str:
    """The notifications page, where every message says the reader can change what arrives."""
    return url_for("notifications.settings", _external=True)


def _message(
    notification: Notification, user: User, subject: str, plain: str, html: str, now: dt.datetime
) -> EmailMessage:
    sender = current_app.config.get("MAIL_FROM") or "litigation@localhost"
    domain = sender.rpartition("@")[2] or "localhost"
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = user.email
    message["Date"] = rfc_date(now)
    # The same id however often it is tried, so that a repeat after a crash shows once.
    message["Message-ID"] = (
        f"<{hashlib.sha256(notification.key.encode()).hexdigest()[:32]}@{domain}>"
    )
    message["Auto-Submitted"] = "auto-generated"
    message["List-Unsubscribe"] = f"<{settings_url()}>"
    message.set_content(plain)
    message.add_alternative(html, subtype="html")
    return message


def _case_link(case: Case) -> str:
    return url_for("cases.show", case_id=case.id, _external=True)


def _case_title(case: Case, named: set[int]) -> str:
    if case.id in named:
        return f"{case.reference} ({case.survivor_name})"
    return case.reference


def _named(user: User, cases: list[Case]) -> set[int]:
    return cases_named_in(cases, user.names_in_email)


def _deadline_facts(deadline: Deadline, user: User, today: dt.date) -> tuple[list, Case, set]:
    case = deadline.proceeding.case
    named = _named(user, [case])
    [entry] = deadline_entries([deadline], language_of(user), named)
    facts = [
        (_("Case"), _case_title(case, named)),
        (_("Step"), entry.rule_label),
        (_("Stage"), entry.stage_label),
        (_("Due date"), human_date(deadline.due_date)),
        (_("Who must act"), entry.party_label),
        (_("Legal basis"), entry.legal_basis),
    ]
    return facts, case, named


def _reminder(notification: Notification, user: User, today: dt.date) -> Written | None:
    deadline = db.session.get(Deadline, notification.deadline_id)
    facts, case, _named_cases = _deadline_facts(deadline, user, today)
    days = (deadline.due_date - today).days
    if days < 0:
        return None  # passed while waiting: the escalation speaks of it now
    left = _("due today") if days == 0 else ngettext("%(num)d day left", "%(num)d days left", days)
    facts.insert(4, (_("Time left"), left))
    step = facts[1][1]
    return Written(
        subject=_(
            "%(reference)s: %(step)s, %(left)s (%(date)s)",
            reference=case.reference,
            step=step,
            left=left,
            date=human_date(deadline.due_date),
        ),
        intro=_("A deadline on a case you work on is coming."),
        facts=facts,
        action=Line(_("Case page"), _case_link(case)),
        warning=None
        if deadline.verified
        else _("This rule was not verified against the official text."),
    )


def _missed(notification: Notification, user: User, today: dt.date) -> Written | None:
    deadline = db.session.get(Deadline, notification.deadline_id)
    facts, case, _named_cases = _deadline_facts(deadline, user, today)
    late = (today - deadline.due_date).days
    facts.insert(4, (_("Days late"), ngettext("%(num)d day", "%(num)d days", late)))
    facts.append((_("Lawyers on the case"), ", ".join(p.name for p in case.team) or _("none")))
    return Written(
        subject=_(
            "Missed deadline: %(reference)s, %(step)s was due %(date)s",
            reference=case.reference,
            step=facts[1][1],
            date=human_date(deadline.due_date),
        ),
        intro=_(
            "A deadline of ours passed without the step being recorded. Check with the "
            "lawyers whether it was filed, and record it, or plan what can still be done."
        ),
        facts=facts,
        action=Line(_("Case page"), _case_link(case)),
    )


def _stalled(notification: Notification, user: User, today: dt.date) -> Written | None:
    proceeding = db.session.get(Proceeding, notification.details.get("proceeding"))
    if proceeding is None or proceeding.closed_on is not None:
        return None
    case = proceeding.case
    named = _named(user, [case])
    route = current_registry().workflows.routes.get(proceeding.route)
    stage = route.stage(proceeding.stage) if route and route.has_stage(proceeding.stage) else None
    since = dt.date.fromisoformat(notification.details["since"])
    days = (today - since).days
    return Written(
        subject=_(
            "Stalled: %(reference)s, %(stage)s for %(num)d days",
            reference=case.reference,
            stage=localised(stage.label) if stage else proceeding.stage,
            num=days,
        ),
        intro=_("A proceeding has stayed in its stage longer than expected."),
        facts=[
            (_("Case"), _case_title(case, named)),
            (_("Route"), localised(route.title) if route else proceeding.route),
            (_("Stage"), localised(stage.label) if stage else proceeding.stage),
            (_("In this stage since"), human_date(since)),
            (_("Lawyers on the case"), ", ".join(p.name for p in case.team) or _("none")),
        ],
        action=Line(_("Case page"), _case_link(case)),
    )


def _deadline_line(deadline: Deadline, named: set[int], lang: str, today: dt.date) -> Line:
    [entry] = deadline_entries([deadline], lang, named)
    case = deadline.proceeding.case
    return Line(
        f"{human_date(deadline.due_date)} · {_case_title(case, named)} · {entry.rule_label}"
        f" ({entry.party_label})",
        _case_link(case),
    )


def _digest(notification: Notification, user: User, today: dt.date) -> Written | None:
    frequency = notification.details.get("frequency", user.digest)
    digest = personal_digest(user, today, frequency)
    if digest.is_empty:
        return None
    lang = language_of(user)
    cases = [d.proceeding.case for d in digest.overdue.rows + digest.coming.rows]
    named = _named(user, cases + [h.case for h in digest.hearings.rows])
    hearings = hearing_entries(digest.hearings.rows, named)
    return Written(
        subject=_(
            "Your deadlines: %(overdue)d overdue, %(coming)d until %(date)s",
            overdue=digest.overdue.total,
            coming=digest.coming.total,
            date=human_date(digest.until),
        ),
        intro=_("What is overdue and what is coming on the cases you work on."),
        sections=[
            Section(
                _("Overdue"),
                [_deadline_line(d, named, lang, today) for d in digest.overdue.rows],
                digest.overdue.total - len(digest.overdue.rows),
            ),
            Section(
                _("Coming"),
                [_deadline_line(d, named, lang, today) for d in digest.coming.rows],
                digest.coming.total - len(digest.coming.rows),
            ),
            Section(
                _("Hearings"),
                [
                    Line(f"{h.starts:%d.%m.%Y %H:%M} · {h.reference} · {h.kind_label}", h.case_url)
                    for h in hearings
                ],
                digest.hearings.total - len(digest.hearings.rows),
            ),
        ],
        action=Line(_("Open my work"), url_for("home.mine", _external=True)),
    )


def _team_digest(notification: Notification, user: User, today: dt.date) -> Written | None:
    workflows = current_registry().workflows
    week = team_digest(today, workflows)
    lang = language_of(user)
    named = _named(user, [d.proceeding.case for d in week.missed.rows + week.state_overdue.rows])
    stuck_lines = [
        Line(
            f"{row.reference} · {_stage_name(workflows, row.route, row.stage)} · "
            + ngettext("%(num)d day", "%(num)d days", row.days),
            url_for("cases.show", case_id=row.case_id, _external=True),
        )
        for row in week.stuck_rows
    ]
    return Written(
        subject=_(
            "The week: %(missed)d missed, %(stuck)d stuck, %(state)d State answers overdue, "
            "%(unstaffed)d cases without a lawyer",
            missed=week.missed.total,
            stuck=week.stuck_total,
            state=week.state_overdue.total,
            unstaffed=week.unstaffed.total,
        ),
        intro=_("What needs a coordinator's eye this week."),
        sections=[
            Section(
                _("Deadlines missed since %(date)s", date=human_date(week.since)),
                [_deadline_line(d, named, lang, today) for d in week.missed.rows],
                week.missed.total - len(week.missed.rows),
            ),
            Section(
                _("Proceedings stuck past their expected duration"),
                stuck_lines,
                week.stuck_total - len(stuck_lines),
            ),
            Section(
                _("The State's answers overdue"),
                [_deadline_line(d, named, lang, today) for d in week.state_overdue.rows],
                week.state_overdue.total - len(week.state_overdue.rows),
            ),
            Section(
                _("Cases without an active lawyer"),
                [Line(c.reference, _case_link(c)) for c in week.unstaffed.rows],
                week.unstaffed.total - len(week.unstaffed.rows),
            ),
        ],
        action=Line(_("Open the dashboard"), url_for("dashboard.index", _external=True)),
    )


def _stage_name(workflows, route_id: str, stage_id: str) -> str:
    route = workflows.routes.get(route_id)
    if route and route.has_stage(stage_id):
        return localised(route.stage(stage_id).label)
    return stage_id


WRITERS = {
    NotificationKind.REMINDER: _reminder,
    NotificationKind.MISSED: _missed,
    NotificationKind.STALLED: _stalled,
    NotificationKind.DIGEST: _digest,
    NotificationKind.TEAM_DIGEST: _team_digest,
}
