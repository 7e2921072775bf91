"""When a message is due, in the recipient's own time (pure functions)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from litigation.notifications.outbox import LONGEST_RETRY, retry_delay
from litigation.notifications.schedule import (
    digest_period,
    in_quiet_hours,
    last_digest_moment,
    quiet_end,
    reminder_point,
)

ALMATY = ZoneInfo("Asia/Almaty")


@pytest.mark.parametrize(
    ("days_left", "offsets", "point"),
    [
        (8, (7, 3, 1), None),  # before the first reminder day
        (7, (7, 3, 1), 7),
        (5, (7, 3, 1), 7),  # a pass that missed day 7 still sends the 7-day reminder
        (3, (7, 3, 1), 3),
        (2, (7, 3, 1), 3),
        (1, (7, 3, 1), 1),
        (0, (7, 3, 1), 0),  # the due day
        (-1, (7, 3, 1), None),  # passed: escalation's business, not a reminder's
        (30, (365, 180, 30), 30),
        (200, (365, 180, 30), 365),
        (2, (), None),  # no reminder days: the due day only
        (0, (), 0),
    ],
)
def test_the_reminder_reached_is_the_nearest_offset_at_or_above_the_days_left(
    days_left: int, offsets: tuple[int, ...], point: int | None
) -> None:
    assert reminder_point(days_left, offsets) == point


@pytest.mark.parametrize(
    ("hour", "quiet_from", "quiet_until", "quiet"),
    [
        (23, 22, 7, True),
        (3, 22, 7, True),
        (7, 22, 7, False),
        (12, 22, 7, False),
        (13, 12, 14, True),
        (14, 12, 14, False),
        (3, None, None, False),
        (3, 5, 5, False),
    ],
)
def test_quiet_hours_may_cross_midnight(
    hour: int, quiet_from: int | None, quiet_until: int | None, quiet: bool
) -> None:
    moment = dt.datetime(2026, 12, 7, hour, 30, tzinfo=ALMATY)

    assert in_quiet_hours(moment, quiet_from, quiet_until) is quiet


def test_a_message_in_quiet_hours_waits_for_their_end() -> None:
    late = dt.datetime(2026, 12, 7, 23, 15, tzinfo=ALMATY)
    early = dt.datetime(2026, 12, 8, 5, 0, tzinfo=ALMATY)
    noon = dt.datetime(2026, 12, 8, 12, 0, tzinfo=ALMATY)

    assert quiet_end(late, 22, 7) == dt.datetime(2026, 12, 8, 7, 0, tzinfo=ALMATY)
    assert quiet_end(early, 22, 7) == dt.datetime(2026, 12, 8, 7, 0, tzinfo=ALMATY)
    assert quiet_end(noon, 22, 7) == noon


def test_the_daily_digest_moment_is_today_at_the_hour_or_yesterday_before_it() -> None:
    morning = dt.datetime(2026, 12, 7, 9, 30, tzinfo=ALMATY)
    dawn = dt.datetime(2026, 12, 7, 6, 0, tzinfo=ALMATY)

    assert last_digest_moment(morning, "daily", 0, 8) == dt.datetime(2026, 12, 7, 8, tzinfo=ALMATY)
    assert last_digest_moment(dawn, "daily", 0, 8) == dt.datetime(2026, 12, 6, 8, tzinfo=ALMATY)
    assert last_digest_moment(morning, "off", 0, 8) is None


def test_the_weekly_digest_moment_is_the_last_chosen_weekday_at_the_hour() -> None:
    monday_morning = dt.datetime(2026, 12, 7, 9, tzinfo=ALMATY)  # 7 December 2026: a Monday
    wednesday = dt.datetime(2026, 12, 9, 9, tzinfo=ALMATY)

    assert last_digest_moment(monday_morning, "weekly", 0, 8).date() == dt.date(2026, 12, 7)
    assert last_digest_moment(wednesday, "weekly", 4, 8).date() == dt.date(2026, 12, 4)
    assert digest_period(monday_morning, "weekly") == "2026-W50"
    assert digest_period(monday_morning, "daily") == "2026-12-07"


def test_retries_back_off_and_stop_growing() -> None:
    assert retry_delay(1) == dt.timedelta(minutes=5)
    assert retry_delay(2) == dt.timedelta(minutes=10)
    assert retry_delay(3) == dt.timedelta(minutes=20)
    assert retry_delay(30) == LONGEST_RETRY
