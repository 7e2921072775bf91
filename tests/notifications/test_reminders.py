"""Reminders by e-mail, received by a real SMTP server: content, language, redaction, and
nothing for closed deadlines or inactive people."""

from __future__ import annotations

import datetime as dt

from litigation.db import db
from litigation.models import (
    AuditEntry,
    AuditKind,
    DeadlineStatus,
    Notification,
    NotificationStatus,
    Role,
)
from tests.conftest import sign_in

from .conftest import at

DAY = dt.timedelta(days=1)


def notify(app, moment: str, *more: str):
    result = app.test_cli_runner().invoke(args=["notify", "--at", moment, *more])
    assert result.exit_code == 0, result.output
    return result


def plain(message) -> str:
    return message.get_body(("plain",)).get_content()


def html(message) -> str:
    return message.get_body(("html",)).get_content()


def test_a_reminder_on_the_rules_reminder_day_says_what_where_when_and_why(app, smtp, un_case):
    case, deadline, [lawyer] = un_case(survivor_name="Айгерим Сапарова")

    notify(app, at(deadline.due_date - 30 * DAY))

    [message] = smtp.to(lawyer.email)
    text = plain(message)
    assert case.reference in message["Subject"]
    assert "01.03.2027" in message["Subject"]
    assert "осталось 30 дней" in message["Subject"]
    assert "Правила процедуры КПЧ" in text  # the legal basis, in the reader's language
    assert f"https://cases.ngo.example/cases/{case.id}" in text
    assert "https://cases.ngo.example/" in text.split("--")[-1]  # where to change what arrives
    assert "Это правило не сверено" in text  # the rule is marked unverified in the YAML
    assert f'href="https://cases.ngo.example/cases/{case.id}"' in html(message)
    assert message["From"] == "reminders@ngo.example"
    assert message["Message-ID"].endswith("@ngo.example>")


def test_no_survivor_name_leaves_in_an_email_unless_an_admin_allowed_it(app, smtp, un_case):
    _case, deadline, [lawyer] = un_case(
        survivor_name="Айгерим Сапарова", consents=("litigation", "sharing")
    )

    notify(app, at(deadline.due_date - 30 * DAY))
    lawyer.names_in_email = True
    db.session.commit()
    notify(app, at(deadline.due_date))

    first, second = smtp.to(lawyer.email)
    for part in (first["Subject"], plain(first), html(first)):
        assert "Сапарова" not in part
    assert "Айгерим Сапарова" in plain(second)
    assert "Сапарова" not in second["Subject"]


def test_an_allowed_name_still_stays_out_without_consent_to_sharing(app, smtp, un_case):
    _case, deadline, [lawyer] = un_case(survivor_name="Айгерим Сапарова")
    lawyer.names_in_email = True
    db.session.commit()

    notify(app, at(deadline.due_date))

    [message] = smtp.to(lawyer.email)
    assert "Сапарова" not in message.as_string()
    assert "Сапарова" not in plain(message)


def test_each_person_reads_the_reminder_in_their_language(app, smtp, un_case, create_user_):
    russian = create_user_(Role.LAWYER)
    english = create_user_(Role.LAWYER, language="en")
    _case, deadline, _team = un_case(team=[russian, english])

    notify(app, at(deadline.due_date - 30 * DAY))

    [ru] = smtp.to(russian.email)
    [en] = smtp.to(english.email)
    assert "осталось 30 дней" in ru["Subject"]
    assert "30 days left" in en["Subject"]
    assert "Legal basis: HRC rules of procedure (CCPR/C/3/Rev.11)" in plain(en)
    assert "Mar 1, 2027" in plain(en)


def test_a_reminder_day_starts_at_eight_in_the_morning_of_the_recipients_zone(app, smtp, un_case):
    _case, deadline, [lawyer] = un_case()
    day = deadline.due_date - 30 * DAY

    notify(app, at(day, hour=7))
    assert smtp.to(lawyer.email) == []

    notify(app, at(day, hour=8))
    assert len(smtp.to(lawyer.email)) == 1


def test_each_reminder_day_sends_once_and_the_due_day_too(app, smtp, un_case):
    _case, deadline, [lawyer] = un_case()

    for days_before in (31, 30, 30, 29, 1, 0, 0):
        notify(app, at(deadline.due_date - days_before * DAY, hour=10))

    subjects = [message["Subject"] for message in smtp.to(lawyer.email)]
    assert len(subjects) == 2
    assert "осталось 30 дней" in subjects[0]
    assert "истекает сегодня" in subjects[1]


def test_nothing_is_sent_for_a_closed_deadline_or_an_inactive_person(
    app, smtp, un_case, create_user_
):
    active, leaving = create_user_(Role.LAWYER), create_user_(Role.LAWYER)
    _case, deadline, _team = un_case(team=[active, leaving])
    leaving.active = False
    db.session.commit()

    notify(app, at(deadline.due_date - 30 * DAY))
    assert smtp.to(leaving.email) == []
    assert len(smtp.to(active.email)) == 1

    deadline.status = DeadlineStatus.MET
    db.session.commit()
    notify(app, at(deadline.due_date))
    assert len(smtp.to(active.email)) == 1


def test_a_message_made_before_the_deadline_closed_is_dropped_not_sent(app, smtp, un_case):
    _case, deadline, [lawyer] = un_case()
    smtp.refuse = 1
    notify(app, at(deadline.due_date - 30 * DAY))  # made, refused once: waits for a retry
    deadline.status = DeadlineStatus.MET
    db.session.commit()

    notify(app, at(deadline.due_date - 29 * DAY))

    assert smtp.to(lawyer.email) == []
    row = db.session.scalar(db.select(Notification))
    assert row.status == NotificationStatus.DROPPED
    assert row.last_error == "deadline closed"


def test_a_lawyer_who_turned_reminders_off_gets_none(app, smtp, un_case):
    _case, deadline, [lawyer] = un_case()
    lawyer.email_reminders = False
    db.session.commit()

    notify(app, at(deadline.due_date - 30 * DAY))

    assert smtp.messages == []


def test_quiet_hours_hold_a_reminder_until_they_end(app, smtp, un_case):
    _case, deadline, [lawyer] = un_case()
    lawyer.quiet_from, lawyer.quiet_until = 8, 12
    db.session.commit()
    day = deadline.due_date - 30 * DAY

    notify(app, at(day, hour=9))
    assert smtp.messages == []

    notify(app, at(day, hour=12))
    assert len(smtp.to(lawyer.email)) == 1


def test_sent_messages_are_on_the_audit_trail_without_names(app, smtp, un_case):
    case, deadline, [lawyer] = un_case(survivor_name="Айгерим Сапарова")

    notify(app, at(deadline.due_date - 30 * DAY))

    [entry] = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.kind == AuditKind.NOTIFICATION_SENT)
    )
    assert (entry.user_id, entry.case_id) == (lawyer.id, case.id)
    assert entry.details["kind"] == "reminder"
    assert entry.details["days_left"] == 30
    assert "Сапарова" not in str(entry.details)


def test_admins_read_what_was_sent_on_the_audit_trail_and_the_outbox(
    app, smtp, un_case, create_user_, client
):
    case, deadline, [lawyer] = un_case(survivor_name="Айгерим Сапарова")
    admin = create_user_(Role.ADMIN)
    notify(app, at(deadline.due_date - 30 * DAY))

    sign_in(client, admin)
    trail = client.get("/admin/audit?kind=notification_sent").get_data(as_text=True)
    outbox = client.get("/admin/notifications?status=sent").get_data(as_text=True)

    assert f"{lawyer.name}" in trail
    assert case.reference in trail and "осталось 30 дней" in trail
    assert case.reference in outbox and lawyer.email in outbox
    assert "Сапарова" not in trail + outbox


def test_a_dry_run_prints_what_would_go_and_stores_and_sends_nothing(app, smtp, un_case):
    case, deadline, [lawyer] = un_case()

    result = notify(app, at(deadline.due_date - 30 * DAY), "--dry-run")

    assert f"To: {lawyer.email}" in result.output
    assert case.reference in result.output
    assert "1 message(s) would be sent" in result.output
    assert smtp.messages == []
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0


def test_without_an_smtp_server_the_command_says_what_to_set(app, un_case):
    un_case()

    result = app.test_cli_runner().invoke(args=["notify"])

    assert result.exit_code == 1
    assert "LITIGATION_SMTP_HOST" in result.output
