"""Coordinators hear of what is missed or stuck without going to look; each person gets the
digest they chose, at their hour, in their zone."""

from __future__ import annotations

import datetime as dt

from litigation.db import db
from litigation.models import Notification, NotificationStatus, Role

from .conftest import at
from .test_reminders import notify, plain

DAY = dt.timedelta(days=1)
MONDAY = dt.date(2027, 3, 8)


def subjects(smtp, user) -> list[str]:
    return [message["Subject"] for message in smtp.to(user.email)]


def test_a_missed_deadline_of_ours_goes_to_the_coordinators_and_the_backup_lawyer(
    app, smtp, un_case, create_user_
):
    coordinator = create_user_(Role.COORDINATOR)
    lawyer, backup = create_user_(Role.LAWYER), create_user_(Role.LAWYER)
    case, deadline, _team = un_case(team=[lawyer])
    case.backup_lawyer_id = backup.id
    db.session.commit()

    notify(app, at(deadline.due_date + DAY, hour=7))  # the morning after, before eight
    notify(app, at(deadline.due_date + DAY, hour=9))
    notify(app, at(deadline.due_date + 2 * DAY, hour=9))

    [to_coordinator] = [s for s in subjects(smtp, coordinator) if "Пропущен срок" in s]
    assert case.reference in to_coordinator
    assert [s for s in subjects(smtp, backup) if "Пропущен срок" in s] == [to_coordinator]
    assert not [s for s in subjects(smtp, lawyer) if "Пропущен срок" in s]
    [message] = [m for m in smtp.to(coordinator.email) if "Пропущен срок" in m["Subject"]]
    assert lawyer.name in plain(message)  # who to ask


def test_a_deadline_met_before_the_morning_after_is_not_escalated(app, smtp, un_case, create_user_):
    coordinator = create_user_(Role.COORDINATOR)
    _case, deadline, _team = un_case()
    deadline.status = "met"
    db.session.commit()

    notify(app, at(deadline.due_date + DAY))

    assert not [s for s in subjects(smtp, coordinator) if "Пропущен срок" in s]


def test_a_stage_stalled_past_its_expected_duration_is_escalated_once(
    app, smtp, registry, create_case, create_user_
):
    coordinator = create_user_(Role.COORDINATOR)
    opened = dt.date(2026, 11, 2)
    case, _proceeding = create_case(
        registry,
        "kz_criminal",
        team=[create_user_(Role.LAWYER)],
        opened_on=opened,
        facts={"reported_on": opened},
    )
    # 3 days are expected in "reported" (workflows.yaml); the fourth day is past them.
    notify(app, at(opened + 3 * DAY))
    notify(app, at(opened + 4 * DAY))
    notify(app, at(opened + 5 * DAY))

    stalled = [s for s in subjects(smtp, coordinator) if "Застой" in s]
    assert len(stalled) == 1
    assert case.reference in stalled[0]


def test_old_history_is_not_escalated_on_the_first_pass(app, smtp, un_case, create_user_):
    coordinator = create_user_(Role.COORDINATOR)
    _case, deadline, _team = un_case()

    notify(app, at(deadline.due_date + 30 * DAY))

    assert not [s for s in subjects(smtp, coordinator) if "Пропущен срок" in s]


def test_a_daily_digest_lists_coming_deadlines_at_the_chosen_hour(app, smtp, un_case, create_user_):
    lawyer = create_user_(Role.LAWYER, language="en")
    lawyer.digest, lawyer.digest_hour, lawyer.email_reminders = "daily", 18, False
    db.session.commit()
    case, deadline, _team = un_case(team=[lawyer])
    day = deadline.due_date - 3 * DAY

    notify(app, at(day, hour=17))
    assert smtp.to(lawyer.email) == []

    notify(app, at(day, hour=18))
    notify(app, at(day, hour=23))
    [message] = smtp.to(lawyer.email)
    assert message["Subject"].startswith("Your deadlines: 0 overdue, 1 until")
    assert case.reference in plain(message)


def test_an_empty_digest_is_not_sent(app, smtp, un_case, create_user_):
    lawyer = create_user_(Role.LAWYER)
    lawyer.digest = "daily"
    db.session.commit()
    _case, deadline, _team = un_case(team=[lawyer])

    notify(app, at(deadline.due_date - 100 * DAY))

    assert smtp.to(lawyer.email) == []
    row = db.session.scalar(db.select(Notification).where(Notification.kind == "digest"))
    assert (row.status, row.last_error) == (NotificationStatus.DROPPED, "nothing to report")


def test_a_weekly_digest_follows_the_persons_zone_and_day(app, smtp, un_case, create_user_):
    lawyer = create_user_(Role.LAWYER)
    lawyer.digest, lawyer.digest_weekday, lawyer.digest_hour = "weekly", 0, 9
    lawyer.time_zone, lawyer.email_reminders = "Europe/Berlin", False
    db.session.commit()
    _case, deadline, _team = un_case(team=[lawyer], final_decision=dt.date(2022, 3, 10))
    assert deadline.due_date - MONDAY < dt.timedelta(days=14)

    notify(app, at(MONDAY, hour=12))  # 08:00 in Berlin: an hour early
    assert smtp.to(lawyer.email) == []
    notify(app, at(MONDAY, hour=13))  # 09:00 in Berlin
    notify(app, at(MONDAY + 2 * DAY, hour=13))  # Wednesday: the week's digest went
    assert len(smtp.to(lawyer.email)) == 1


def test_the_coordinators_week_counts_missed_stuck_state_overdue_and_unstaffed(
    app, smtp, registry, create_case, create_user_
):
    coordinator = create_user_(Role.COORDINATOR, language="en")
    monday = dt.date(2026, 11, 23)
    opened = monday - 20 * DAY
    unstaffed, _ = create_case(
        registry, "kz_criminal", team=[], opened_on=opened, facts={"reported_on": opened}
    )

    notify(app, at(monday, hour=9))

    [week] = [m for m in smtp.to(coordinator.email) if m["Subject"].startswith("The week")]
    assert "0 missed" in week["Subject"]
    assert "1 stuck" in week["Subject"]
    assert "1 State answers overdue" in week["Subject"]
    assert "1 cases without a lawyer" in week["Subject"]
    assert unstaffed.reference in plain(week)
