"""A real SMTP server on a loopback port for the notification tests, started and stopped by
them (aiosmtpd), and a case whose deadline of ours is due on a known day."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from litigation.db import db
from litigation.models import Deadline, Role

ALMATY = dt.timezone(dt.timedelta(hours=5))  # Kazakhstan's single zone since March 2024


class Inbox:
    """What the server received; `refuse` makes it answer 451 to that many messages first."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """An SMTP server the app is configured to send through (plain, on loopback)."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    for key, value in {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": controller.port,
        "SMTP_SECURITY": "none",
        "SMTP_TIMEOUT": 10,
        "MAIL_FROM": "reminders@ngo.example",
        "PUBLIC_URL": "https://cases.ngo.example",
    }.items():
        monkeypatch.setitem(app.config, key, value)
    yield inbox
    controller.stop()


@pytest.fixture
def un_case(registry, create_case, create_user_):
    """A case on the UN route whose deadline of ours (5 years after the final domestic
    decision; reminders 365, 180 and 30 days before) is open, with a lawyer on it."""

    def make(*, team=None, final_decision=dt.date(2022, 3, 1), **details):
        team = team if team is not None else [create_user_(Role.LAWYER)]
        case, proceeding = create_case(
            registry,
            "un_hrc",
            team=team,
            facts={"final_domestic_decision_on": final_decision},
            **details,
        )
        deadline = db.session.scalar(
            db.select(Deadline).where(Deadline.proceeding_id == proceeding.id)
        )
        return case, deadline, team

    return make


def at(day: dt.date, hour: int = 9) -> str:
    """An ISO time on `day` at `hour` in Almaty, as `litigation notify --at` takes it."""
    return dt.datetime.combine(day, dt.time(hour), ALMATY).isoformat()
