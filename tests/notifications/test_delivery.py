"""Each message is sent exactly once: two passes at once share the work, a refusal is retried
with back-off and shown to admins, a pass killed after claiming is taken over after the lease."""

from __future__ import annotations

import datetime as dt
import threading

from flask import Flask

from litigation.db import db
from litigation.models import AuditEntry, AuditKind, Notification, NotificationStatus, Role
from litigation.notifications import CLAIM_LEASE, SmtpSettings, deliver, run_pass
from litigation.notifications.outbox import claim
from litigation.registry import current_registry

from .conftest import ALMATY, at
from .test_reminders import notify

DAY = dt.timedelta(days=1)


def test_a_refused_message_is_retried_with_back_off_and_shown_to_admins(app, smtp, un_case):
    _case, deadline, [lawyer] = un_case()
    smtp.refuse = 1
    first = dt.datetime.combine(deadline.due_date - 30 * DAY, dt.time(9), ALMATY)

    result = notify(app, first.isoformat())
    assert "1 failed" in result.output
    row = db.session.scalar(db.select(Notification))
    assert (row.status, row.attempts) == (NotificationStatus.FAILED, 1)
    assert "451" in row.last_error
    assert row.not_before.replace(tzinfo=dt.UTC) == first.astimezone(dt.UTC) + dt.timedelta(
        minutes=5
    )

    notify(app, (first + dt.timedelta(minutes=4)).isoformat())  # too early: still waiting
    assert smtp.messages == []
    notify(app, (first + dt.timedelta(minutes=5)).isoformat())

    assert len(smtp.to(lawyer.email)) == 1
    db.session.refresh(row)
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 2)
    kinds = list(
        db.session.scalars(
            db.select(AuditEntry.kind)
            .where(AuditEntry.kind.like("notification%"))
            .order_by(AuditEntry.id)
        )
    )
    assert kinds == [AuditKind.NOTIFICATION_FAILED, AuditKind.NOTIFICATION_SENT]


def test_an_unreachable_server_is_a_failure_to_retry_not_a_crash(app, smtp, un_case, monkeypatch):
    _case, deadline, _team = un_case()
    monkeypatch.setitem(app.config, "SMTP_PORT", 1)  # nothing listens there

    result = notify(app, at(deadline.due_date - 30 * DAY))

    assert "1 failed" in result.output
    row = db.session.scalar(db.select(Notification))
    assert row.status == NotificationStatus.FAILED


def test_a_claim_left_by_a_killed_pass_is_taken_over_after_the_lease(app, smtp, un_case):
    _case, deadline, [lawyer] = un_case()
    moment = dt.datetime.combine(deadline.due_date - 30 * DAY, dt.time(9), ALMATY)
    notify(app, moment.isoformat(), "--dry-run")
    smtp.refuse = 1
    notify(app, moment.isoformat())  # made and refused: pending a retry in 5 minutes
    row = db.session.scalar(db.select(Notification))
    retry_at = row.not_before.replace(tzinfo=dt.UTC)
    assert claim(row.id, retry_at, "host-that-dies:1")  # claimed, then the process is killed
    db.session.commit()

    notify(app, (retry_at + CLAIM_LEASE - dt.timedelta(minutes=1)).isoformat())
    assert smtp.messages == []
    notify(app, (retry_at + CLAIM_LEASE).isoformat())
    notify(app, (retry_at + CLAIM_LEASE + dt.timedelta(minutes=1)).isoformat())

    assert len(smtp.to(lawyer.email)) == 1


def _pass_in_thread(app: Flask, now: dt.datetime, settings, gate, results, name, start) -> None:
    def send(message) -> None:
        gate(name)
        deliver(settings, message)

    with app.app_context():
        start.wait(timeout=10)
        try:
            results[name] = run_pass(
                now,
                current_registry().workflows,
                compose=app.extensions["litigation.compose_mail"],
                deliver=send,
                commit=db.session.commit,
                worker=name,
            )
        finally:
            db.session.remove()


def test_two_passes_at_once_send_each_message_exactly_once(app, smtp, un_case, create_user_):
    team = [create_user_(Role.LAWYER) for _ in range(4)]
    _case, deadline, _team = un_case(team=team)
    now = dt.datetime.combine(deadline.due_date - 30 * DAY, dt.time(9), ALMATY)
    settings = SmtpSettings.from_config(app.config)
    first_done = threading.Event()
    start = threading.Barrier(2)
    results: dict = {}

    def gate(name: str) -> None:
        # Pass "a" holds its first message until pass "b" has finished: b must find that
        # message claimed and send the others; then a finds them sent.
        if name == "a" and not first_done.is_set():
            first_done.wait(timeout=20)

    threads = [
        threading.Thread(
            target=_pass_in_thread, args=(app, now, settings, gate, results, name, start)
        )
        for name in ("a", "b")
    ]
    for thread in threads:
        thread.start()
    threads[1].join(timeout=30)
    first_done.set()
    threads[0].join(timeout=30)

    received = sorted(message["To"] for message in smtp.messages)
    assert received == sorted(person.email for person in team)
    assert results["a"].sent + results["b"].sent == 4
    assert results["a"].sent >= 1 and results["b"].sent >= 1
    statuses = set(db.session.scalars(db.select(Notification.status)))
    assert statuses == {NotificationStatus.SENT}


def test_the_worker_runs_the_same_pass(app, smtp, un_case):
    _case, deadline, [lawyer] = un_case(final_decision=dt.date(2021, 12, 20))
    # The worker reads the clock: the 30-day reminder was reached yesterday in Almaty, so it is
    # due whatever the hour (the catch-up) and not yet past.
    today_in_almaty = dt.datetime.now(ALMATY).date()
    deadline.due_date = today_in_almaty + dt.timedelta(days=29)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["worker", "--passes", "1"])

    assert result.exit_code == 0, result.output
    assert "1 sent" in result.output
    assert len(smtp.to(lawyer.email)) == 1
