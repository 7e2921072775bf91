"""Typed records: users, cases, proceedings, the append-only event history and deadlines."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Date, ForeignKey, Index, String, Table, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .db import db, intpk, str40, str200, timestamp, utcnow


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    LAWYER = "lawyer"
    STAFF = "staff"


class DeadlineStatus(StrEnum):
    OPEN = "open"
    MET = "met"
    MISSED = "missed"
    CANCELLED = "cancelled"


case_assignments = Table(
    "case_assignments",
    db.metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str200]
    role: Mapped[str40]
    password_hash: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(5), default="ru")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[timestamp]

    cases: Mapped[list[Case]] = relationship(secondary=case_assignments, back_populates="team")

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    # flask-login's user protocol
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return str(self.id)

    def __repr__(self) -> str:
        return f"<User {self.email} ({self.role})>"


class Case(db.Model):
    __tablename__ = "cases"

    id: Mapped[intpk]
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    jurisdiction: Mapped[str] = mapped_column(String(8))
    survivor_name: Mapped[str200]
    survivor_contact: Mapped[str | None] = mapped_column(String(300))
    incident_date: Mapped[dt.date | None] = mapped_column(Date)
    incident_place: Mapped[str | None] = mapped_column(String(300))
    authority: Mapped[str | None] = mapped_column(String(300))
    ill_treatment_forms: Mapped[str | None] = mapped_column(Text)
    forensic_exam_done: Mapped[bool] = mapped_column(default=False)
    forensic_exam_on: Mapped[dt.date | None] = mapped_column(Date)
    consent_to_litigation: Mapped[bool] = mapped_column(default=False)
    consent_to_publication: Mapped[bool] = mapped_column(default=False)
    reprisal_risk: Mapped[str] = mapped_column(String(10), default="unknown")
    rehabilitation_referrals: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    opened_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[timestamp]

    team: Mapped[list[User]] = relationship(secondary=case_assignments, back_populates="cases")
    proceedings: Mapped[list[Proceeding]] = relationship(
        back_populates="case", order_by="Proceeding.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Case {self.reference}>"


class Proceeding(db.Model):
    """One route walked by a case; `stage` changes only through `cases.fire`."""

    __tablename__ = "proceedings"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    route: Mapped[str40]
    stage: Mapped[str] = mapped_column(String(60), index=True)
    opened_on: Mapped[dt.date] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("proceedings.id"))
    parent_event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", use_alter=True))
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[timestamp]

    case: Mapped[Case] = relationship(back_populates="proceedings")
    events: Mapped[list[Event]] = relationship(
        back_populates="proceeding",
        foreign_keys="Event.proceeding_id",
        order_by="Event.id",
        cascade="all, delete-orphan",
    )
    deadlines: Mapped[list[Deadline]] = relationship(
        back_populates="proceeding", order_by="Deadline.id", cascade="all, delete-orphan"
    )

    # Optimistic locking: an UPDATE that finds another version raises StaleDataError, so two
    # people acting on one proceeding at once never overwrite each other.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def __repr__(self) -> str:
        return f"<Proceeding {self.id} {self.route}:{self.stage}>"


class Event(db.Model):
    """Append-only history: rows are inserted, never updated or deleted."""

    __tablename__ = "events"

    id: Mapped[intpk]
    proceeding_id: Mapped[int] = mapped_column(
        ForeignKey("proceedings.id", ondelete="CASCADE"), index=True
    )
    trigger: Mapped[str] = mapped_column(String(60))
    from_stage: Mapped[str | None] = mapped_column(String(60))
    to_stage: Mapped[str | None] = mapped_column(String(60))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    occurred_on: Mapped[dt.date] = mapped_column(Date, index=True)
    recorded_at: Mapped[timestamp]
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(Text)

    proceeding: Mapped[Proceeding] = relationship(
        back_populates="events", foreign_keys=[proceeding_id]
    )
    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.trigger} {self.from_stage}->{self.to_stage}>"


class Deadline(db.Model):
    __tablename__ = "deadlines"

    id: Mapped[intpk]
    proceeding_id: Mapped[int] = mapped_column(
        ForeignKey("proceedings.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    rule: Mapped[str] = mapped_column(String(80))
    stage: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(10))
    party: Mapped[str] = mapped_column(String(10))
    legal_basis: Mapped[str] = mapped_column(String(300))
    verified: Mapped[bool]
    calendar: Mapped[str] = mapped_column(String(10))
    anchor_date: Mapped[dt.date] = mapped_column(Date)
    computed_due: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date] = mapped_column(Date, index=True)
    override_due: Mapped[dt.date | None] = mapped_column(Date)
    override_reason: Mapped[str | None] = mapped_column(Text)
    override_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(10), default=DeadlineStatus.OPEN, index=True)
    closed_by_event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]

    proceeding: Mapped[Proceeding] = relationship(back_populates="deadlines")
    event: Mapped[Event] = relationship(foreign_keys=[event_id])

    __table_args__ = (Index("ix_deadline_status_due", "status", "due_date"),)

    @property
    def is_open(self) -> bool:
        return self.status == DeadlineStatus.OPEN

    def days_left(self, today: dt.date) -> int:
        return (self.due_date - today).days

    def __repr__(self) -> str:
        return f"<Deadline {self.rule} {self.due_date} {self.status}>"


class AppendOnlyError(Exception):
    """Something tried to rewrite the event history."""


@event.listens_for(Event, "before_update")
def _refuse_event_update(_mapper, _connection, target: Event) -> None:
    raise AppendOnlyError(f"event {target.id} is history and cannot be changed")


@event.listens_for(Event, "before_delete")
def _refuse_event_delete(_mapper, _connection, target: Event) -> None:
    raise AppendOnlyError(f"event {target.id} is history and cannot be deleted")


__all__ = [
    "Case",
    "Deadline",
    "DeadlineStatus",
    "Event",
    "LoginAttempt",
    "Proceeding",
    "Role",
    "User",
    "case_assignments",
    "utcnow",
]


class LoginAttempt(db.Model):
    """Failed sign-ins, kept briefly to slow down password guessing (shared by all workers)."""

    __tablename__ = "login_attempts"

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(String(200), index=True)
    remote_addr: Mapped[str] = mapped_column(String(64), index=True)
    attempted_at: Mapped[timestamp]
