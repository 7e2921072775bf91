"""The admin's view of e-mail: what was sent and what failed, by case reference and never the
survivor's name; a failed message sent again; names in a person's e-mails only after the
admin confirms who they are; the audit trail in words."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from litigation.audit import record
from litigation.db import db, utcnow
from litigation.models import (
    AuditEntry,
    AuditKind,
    Deadline,
    Notification,
    NotificationKind,
    NotificationStatus,
    Role,
    User,
    UserSession,
)

from ..conftest import PASSWORD, csrf_token, post_form, sign_in

SURVIVOR = "Асель Нурланова"


@pytest.fixture
def admin(mini_app, create_user_):
    return create_user_(Role.ADMIN, language="en", name="Aigerim Admin")


@pytest.fixture
def lawyer(mini_app, create_user_):
    return create_user_(Role.LAWYER, language="en", name="Erlan Lawyer")


@pytest.fixture
def case(mini_registry, create_case, lawyer):
    case, _proceeding = create_case(
        mini_registry,
        "domestic",
        team=[lawyer],
        facts={"reported_on": dt.date(2026, 1, 12)},
        survivor_name=SURVIVOR,
    )
    return case


def _message(user, case, status, *, key, error=None, attempts=0, deadline=True, ago=0):
    first = db.session.scalars(
        select(Deadline).join(Deadline.proceeding).where(Deadline.proceeding.has(case_id=case.id))
    ).first()
    row = Notification(
        key=key,
        kind=NotificationKind.REMINDER,
        user_id=user.id,
        case_id=case.id,
        deadline_id=first.id if deadline and first else None,
        details={"days_left": 3},
        status=status,
        attempts=attempts,
        last_error=error,
        not_before=utcnow(),
        created_at=utcnow() - dt.timedelta(minutes=ago),
    )
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def outbox(case, lawyer):
    sent = _message(lawyer, case, NotificationStatus.SENT, key="sent-1", attempts=1, ago=10)
    failed = _message(
        lawyer, case, NotificationStatus.FAILED, key="failed-1", attempts=3, error="550 mailbox"
    )
    return sent, failed


def test_the_admin_sees_sent_and_failed_messages_by_reference(mini_client, admin, case, outbox):
    sign_in(mini_client, admin)

    page = mini_client.get("/admin/notifications").get_data(as_text=True)

    assert case.reference in page and "Erlan Lawyer" in page
    assert "sent" in page and "failed, will be retried" in page and "550 mailbox" in page
    assert "deadline reminder" in page
    assert SURVIVOR not in page
    # Newest first: the failed one was made after the sent one.
    order = [int(i) for i in re.findall(r'id="notification-(\d+)"', page)]
    assert order == [outbox[1].id, outbox[0].id]


@pytest.mark.parametrize(
    ("status", "shown", "hidden"),
    [("sent", "sent-1", "failed-1"), ("failed", "failed-1", "sent-1"), ("pending", None, None)],
)
def test_the_status_filter_shows_only_its_messages(
    mini_client, admin, outbox, status, shown, hidden
):
    ids = {row.key: row.id for row in outbox}
    sign_in(mini_client, admin)

    page = mini_client.get(f"/admin/notifications?status={status}").get_data(as_text=True)

    listed = {int(i) for i in re.findall(r'id="notification-(\d+)"', page)}
    assert listed == ({ids[shown]} if shown else set())
    if hidden:
        assert ids[hidden] not in listed


def test_a_nonsense_filter_shows_everything(mini_client, admin, outbox):
    sign_in(mini_client, admin)

    response = mini_client.get("/admin/notifications?status=%27;drop&page=abc")

    assert response.status_code == 200
    assert len(re.findall(r'id="notification-\d+"', response.get_data(as_text=True))) == 2


def test_the_list_is_paginated_by_fifty(mini_client, admin, case, lawyer):
    for number in range(51):
        _message(lawyer, case, NotificationStatus.SENT, key=f"k{number}", ago=number)
    sign_in(mini_client, admin)

    first = mini_client.get("/admin/notifications").get_data(as_text=True)
    second = mini_client.get("/admin/notifications?page=2").get_data(as_text=True)

    assert len(re.findall(r'id="notification-\d+"', first)) == 50
    assert len(re.findall(r'id="notification-\d+"', second)) == 1
    assert "Page 1 of 2" in first


def test_send_again_queues_a_failed_message_now_keeping_its_attempts(mini_client, admin, outbox):
    _sent, failed = outbox
    sign_in(mini_client, admin)

    again = post_form(
        mini_client, f"/admin/notifications/{failed.id}/send-again", {}, "/admin/notifications"
    )

    assert again.status_code == 302
    row = db.session.get(Notification, failed.id)
    assert row.status == NotificationStatus.PENDING and row.attempts == 3
    assert "Send again" not in mini_client.get("/admin/notifications").get_data(as_text=True)


def test_a_sent_message_is_not_sent_again(mini_client, admin, outbox):
    sent, _failed = outbox
    sign_in(mini_client, admin)

    post_form(mini_client, f"/admin/notifications/{sent.id}/send-again", {}, "/admin/notifications")

    assert db.session.get(Notification, sent.id).status == NotificationStatus.SENT


def test_send_again_needs_the_form_s_token(mini_client, admin, outbox):
    sign_in(mini_client, admin)

    refused = mini_client.post(f"/admin/notifications/{outbox[1].id}/send-again")

    assert refused.status_code == 400
    assert db.session.get(Notification, outbox[1].id).status == NotificationStatus.FAILED


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.LAWYER, Role.STAFF])
def test_only_admins_see_the_outbox(mini_client, create_user_, outbox, role):
    other = create_user_(role)
    sign_in(mini_client, other)
    token = csrf_token(mini_client, "/account")

    listed = mini_client.get("/admin/notifications")
    again = mini_client.post(
        f"/admin/notifications/{outbox[1].id}/send-again", data={"csrf_token": token}
    )

    assert (listed.status_code, again.status_code) == (403, 403)
    assert db.session.get(Notification, outbox[1].id).status == NotificationStatus.FAILED


def _edit(mini_client, user: User, **changes):
    data = {"name": user.name, "role": user.role, "language": user.language, "active": "y"}
    return post_form(mini_client, f"/admin/users/{user.id}", {**data, **changes})


def _age_confirmation(user: User) -> None:
    for row in db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)):
        row.confirmed_at = utcnow() - dt.timedelta(minutes=30)
    db.session.commit()


def test_an_admin_allows_names_in_e_mail_only_after_confirming(mini_client, admin, lawyer):
    sign_in(mini_client, admin)
    _age_confirmation(admin)

    asked = _edit(mini_client, lawyer, names_in_email="y")
    page = asked.get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    carried = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page))
    allowed_before = db.session.get(User, lawyer.id).names_in_email
    confirmed = mini_client.post(
        f"/admin/users/{lawyer.id}",
        data={**carried, "csrf_token": token, "confirm_password": PASSWORD},
    )

    assert asked.status_code == 401 and allowed_before is False
    assert confirmed.status_code == 302
    assert db.session.get(User, lawyer.id).names_in_email is True
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.kind == AuditKind.USER_CHANGED)
    ).one()
    assert entry.details == {"names_in_email": [False, True]}
    shown = mini_client.get(f"/admin/users/{lawyer.id}").get_data(as_text=True)
    assert re.search(r'<input checked id="names_in_email"', shown)


def test_the_notifications_page_says_when_names_are_allowed(mini_client, lawyer):
    db.session.get(User, lawyer.id).names_in_email = True
    db.session.commit()
    sign_in(mini_client, lawyer)

    page = mini_client.get("/notifications").get_data(as_text=True)

    assert "An admin allowed survivors’ names in your e-mails." in page


def test_the_audit_trail_says_what_was_sent_and_what_failed(
    mini_client, admin, lawyer, case, outbox
):
    sent, failed = outbox
    record(
        AuditKind.NOTIFICATION_SENT,
        actor=None,
        user=lawyer,
        case=case,
        details={"notification": sent.id, "kind": "reminder", "attempts": 1},
    )
    record(
        AuditKind.NOTIFICATION_FAILED,
        actor=None,
        user=lawyer,
        case=case,
        details={"notification": failed.id, "kind": "reminder", "attempts": 3, "error": "550"},
    )
    record(
        AuditKind.NOTIFICATIONS_CHANGED,
        actor=lawyer,
        user=lawyer,
        details={"fields": ["digest", "time_zone"]},
    )
    db.session.commit()
    sign_in(mini_client, admin)

    page = mini_client.get("/admin/audit").get_data(as_text=True)
    only_failed = mini_client.get("/admin/audit?kind=notification_failed").get_data(as_text=True)

    assert f"E-mail sent to Erlan Lawyer: deadline reminder for case {case.reference}" in page
    assert "3 days left" in page
    assert f"E-mail to Erlan Lawyer not sent: deadline reminder for case {case.reference}" in page
    assert "3 attempts" in page and "error: 550" in page
    assert "changed: Digest, Time zone" in page
    assert SURVIVOR not in page
    assert "not sent" in only_failed and "E-mail sent to" not in only_failed
