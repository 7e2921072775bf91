"""Typed records: users, cases, proceedings, the append-only event history and deadlines."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    event,
    text,
)
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
    CONTINUED = "continued"  # closed here, opened again with its date in the next stage


case_assignments = Table(
    "case_assignments",
    db.metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    # A user's cases, read from the user's side: My work, the cases a lawyer sees, feeds (0023).
    Index("ix_case_assignments_user", "user_id", "case_id"),
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
    # Two-factor sign-in (accounts/two_factor.py): the authenticator app's shared secret, and
    # the last time step whose code was accepted, so that a seen code cannot be used again.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None]
    # What reaches this person by e-mail (notifications/, the notifications page): deadline
    # reminders and escalations; a digest off, daily or weekly at an hour of their own zone;
    # no e-mail in quiet hours (held until they end). Names of survivors only if an admin
    # allowed it for this user (`names_in_email`), as for calendar feeds.
    email_reminders: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    digest: Mapped[str] = mapped_column(String(10), default="off", server_default="off")
    digest_weekday: Mapped[int] = mapped_column(default=0, server_default="0")  # 0 = Monday
    digest_hour: Mapped[int] = mapped_column(default=8, server_default="8")
    time_zone: Mapped[str] = mapped_column(
        String(40), default="Asia/Almaty", server_default="Asia/Almaty"
    )
    quiet_from: Mapped[int | None]  # hour 0-23 in time_zone; None: no quiet hours
    quiet_until: Mapped[int | None]
    team_digest: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    names_in_email: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    # When what the user may see last changed (role, active, a team joined or left): calendar
    # feeds compare it, with their cases' updated_at, instead of building (cases/changes.py).
    access_changed_at: Mapped[timestamp]

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

    # The signed-in session this object was loaded through (accounts.start_session): what
    # flask-login keeps in the session and the remember-me cookie, so that ending the session
    # row ends both, on every worker.
    session_key = None  # str, not a column

    def get_id(self) -> str:
        if self.session_key is None:
            raise RuntimeError("sign in through accounts.start_session")
        return self.session_key

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret is not None

    def __repr__(self) -> str:
        return f"<User {self.email} ({self.role})>"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class AgeGroup(StrEnum):
    """Age at the time of the incident, as donors' reports group it (minors apart)."""

    MINOR = "minor"  # under 18
    YOUNG = "18_35"
    MIDDLE = "36_59"
    OLDER = "60_plus"
    UNKNOWN = "unknown"

    @classmethod
    def at(cls, birth_year: int | None, recorded: str | None, day: dt.date) -> AgeGroup:
        """The group of someone on `day`: by the age reached in that year when the year of
        birth is known, else the group recorded for them."""
        if birth_year is None:
            return cls(recorded) if recorded in set(cls) else cls.UNKNOWN
        age = day.year - birth_year
        if age < 18:
            return cls.MINOR
        if age <= 35:
            return cls.YOUNG
        return cls.MIDDLE if age <= 59 else cls.OLDER


class Survivor(db.Model):
    """A person whose cases the organisation follows: one record, however many cases."""

    __tablename__ = "survivors"

    id: Mapped[intpk]
    name: Mapped[str200]
    # The name folded for search and for finding the same person twice (cases/survivors.py).
    name_folded: Mapped[str] = mapped_column(String(200), index=True)
    sex: Mapped[str] = mapped_column(String(10), default=Sex.UNKNOWN)
    birth_year: Mapped[int | None]
    # Asked only when the year of birth is not known: the age at the time of the incident.
    age_group: Mapped[str | None] = mapped_column(String(10))
    contact: Mapped[str | None] = mapped_column(String(300))
    reprisal_risk: Mapped[str] = mapped_column(String(10), default="unknown")
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[timestamp]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    cases: Mapped[list[Case]] = relationship(back_populates="survivor", order_by="Case.id")

    # Two people editing one survivor at once: the second save is refused, as for cases.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def age_group_on(self, day: dt.date) -> AgeGroup:
        return AgeGroup.at(self.birth_year, self.age_group, day)

    def __repr__(self) -> str:
        return f"<Survivor {self.id}>"


class Case(db.Model):
    __tablename__ = "cases"

    id: Mapped[intpk]
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    jurisdiction: Mapped[str] = mapped_column(String(8))
    survivor_id: Mapped[int] = mapped_column(ForeignKey("survivors.id"), index=True)
    incident_date: Mapped[dt.date | None] = mapped_column(Date)
    incident_place: Mapped[str | None] = mapped_column(String(300))
    authority: Mapped[str | None] = mapped_column(String(300))
    ill_treatment_forms: Mapped[str | None] = mapped_column(Text)
    forensic_exam_done: Mapped[bool] = mapped_column(default=False)
    forensic_exam_on: Mapped[dt.date | None] = mapped_column(Date)
    rehabilitation_referrals: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    opened_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[timestamp]
    # When anything a calendar shows of the case last changed: the case, its survivor, its
    # consents, proceedings, deadlines or hearings. Stamped at commit by cases/changes.py, not
    # through the ORM, so that it never moves `version` (nor refuses a colleague's edit).
    updated_at: Mapped[timestamp]
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Told, beside the coordinators, when a deadline of ours is missed or a stage stalls.
    backup_lawyer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # Kept by cases/summaries.py after every flush that writes them, so that the cases list
    # sorts, filters and searches 100,000 cases through indexes instead of aggregating: the
    # earliest open deadline, and the reference, name, place and authority folded.
    next_due: Mapped[dt.date | None] = mapped_column(Date)
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")

    survivor: Mapped[Survivor] = relationship(back_populates="cases", lazy="joined")
    backup_lawyer: Mapped[User | None] = relationship(foreign_keys=[backup_lawyer_id])
    team: Mapped[list[User]] = relationship(secondary=case_assignments, back_populates="cases")
    proceedings: Mapped[list[Proceeding]] = relationship(
        back_populates="case", order_by="Proceeding.id", cascade="all, delete-orphan"
    )
    # The survivor's consents, given and withdrawn (cases/consents.py reads them).
    consents: Mapped[list[ConsentRecord]] = relationship(
        back_populates="case", order_by="ConsentRecord.id", cascade="all, delete-orphan"
    )

    # Two coordinators editing one case at once: the second save is refused, not silent.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    # One index per order of the list (cases/listing.py); the search index is a trigram GIN
    # on PostgreSQL and a plain one on SQLite, where the search reads it instead of the table.
    __table_args__ = (
        Index("ix_cases_next_due", "next_due", "reference", "id"),
        Index("ix_cases_opened", "opened_on", "id"),
        Index("ix_cases_jurisdiction", "jurisdiction", "next_due"),
        Index(
            "ix_cases_search",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
        # A feed's stamp reads the latest change among the cases it covers (feeds/stamps.py).
        Index("ix_cases_updated_at", "updated_at"),
        Index("ix_cases_jurisdiction_updated_at", "jurisdiction", "updated_at"),
    )

    @property
    def survivor_name(self) -> str:
        return self.survivor.name

    @property
    def reprisal_risk(self) -> str:
        return self.survivor.reprisal_risk

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
    # The shape of its route it runs on (workflows/fingerprints.py); None before 0006.
    route_version: Mapped[str | None] = mapped_column(String(12))

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
    # The cases list filtered by route or stage reads the open proceedings alone (0023).
    __table_args__ = (
        Index(
            "ix_proceedings_open",
            "route",
            "stage",
            "case_id",
            sqlite_where=text("closed_on IS NULL"),
            postgresql_where=text("closed_on IS NULL"),
        ),
    )

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
    # Read-only from this side: adding a revision never marks the (append-only) event changed.
    note_revisions: Mapped[list[NoteRevision]] = relationship(
        order_by="NoteRevision.id", viewonly=True
    )

    @property
    def current_note(self) -> str | None:
        """The note as it reads now: its latest revision, else the note the event was made with."""
        return self.note_revisions[-1].note if self.note_revisions else self.note

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.trigger} {self.from_stage}->{self.to_stage}>"


class NoteRevision(db.Model):
    """A later version of an event's note. The event row is never rewritten (append-only, like
    this table): the newest revision is the note as it reads now, the earlier ones stay."""

    __tablename__ = "note_revisions"

    id: Mapped[intpk]
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    note: Mapped[str | None] = mapped_column(Text)  # None: the note was cleared
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[timestamp]

    event: Mapped[Event] = relationship()
    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<NoteRevision {self.id} of event {self.event_id}>"


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
    legal_basis_en: Mapped[str | None] = mapped_column(String(300))
    # What the date was computed with: `litigation recalc` compares it with workflows.yaml.
    fingerprint: Mapped[str | None] = mapped_column(String(32))
    # Where an unverified rule has alternatives, the latest date the law may allow.
    latest_due: Mapped[dt.date | None] = mapped_column(Date)
    # Why the date may still move (estimated holidays, years without a decree); None: firm.
    provisional: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)

    proceeding: Mapped[Proceeding] = relationship(back_populates="deadlines")
    event: Mapped[Event] = relationship(foreign_keys=[event_id])
    override_by: Mapped[User | None] = relationship(foreign_keys=[override_by_id])

    __table_args__ = (
        Index("ix_deadline_status_due", "status", "due_date"),
        # Feeds keep deadlines closed in the last 30 days: with the status index, an OR of two
        # index searches instead of a scan of every deadline (0022).
        Index("ix_deadlines_closed_on", "closed_on"),
        # The dashboard's time per party reads this instead of every deadline row (0004).
        Index("ix_deadline_party", "party", "status", "due_date", "anchor_date", "closed_on"),
        # Open deadlines, covered: the dashboard adds them to the closed ones' totals (0025)
        # without fetching rows scattered over the whole table.
        Index(
            "ix_deadline_open",
            "proceeding_id",
            "stage",
            "due_date",
            "party",
            "anchor_date",
            "closed_on",
            "status",
            "rule",
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    @property
    def is_open(self) -> bool:
        return self.status == DeadlineStatus.OPEN

    def days_left(self, today: dt.date) -> int:
        return (self.due_date - today).days

    def __repr__(self) -> str:
        return f"<Deadline {self.rule} {self.due_date} {self.status}>"


class StageStay(db.Model):
    """Derived from the history (see stays.py): a stage entered by a step, and until when."""

    __tablename__ = "stage_stays"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    proceeding_id: Mapped[int] = mapped_column(
        ForeignKey("proceedings.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    route: Mapped[str40]
    trigger: Mapped[str] = mapped_column(String(60))
    stage: Mapped[str] = mapped_column(String(60))
    entered_on: Mapped[dt.date] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    days: Mapped[int | None]  # left_on - entered_on, once the stay is over
    is_current: Mapped[bool]  # the stage an open proceeding is in now

    # Partial indexes: the planner then knows how few stays are current (a boolean column's
    # statistics do not say), and the dashboard reads them without touching the table.
    __table_args__ = (
        Index(
            "ix_stage_stays_current",
            "route",
            "stage",
            "entered_on",
            "case_id",
            "proceeding_id",
            sqlite_where=text("is_current = 1"),
            postgresql_where=text("is_current"),
        ),
        Index(
            "ix_stage_stays_finished",
            "route",
            "stage",
            "days",
            "case_id",
            "entered_on",
            sqlite_where=text("days IS NOT NULL"),
            postgresql_where=text("days IS NOT NULL"),
        ),
        Index("ix_stage_stays_entered", "entered_on", "route", "trigger", "case_id", "event_id"),
    )

    def __repr__(self) -> str:
        return f"<StageStay {self.route}:{self.stage} {self.entered_on}..{self.left_on}>"


class StayDuration(db.Model):
    """How many finished stays in a stage lasted `days` days: the bottleneck histogram, per
    jurisdiction of the case (the dashboard filtered by jurisdiction reads it too, 0024)."""

    __tablename__ = "stay_durations"

    jurisdiction: Mapped[str] = mapped_column(String(8), primary_key=True)
    route: Mapped[str] = mapped_column(String(40), primary_key=True)
    stage: Mapped[str] = mapped_column(String(60), primary_key=True)
    days: Mapped[int] = mapped_column(primary_key=True)
    stays: Mapped[int] = mapped_column(default=0)


class DeadlineTotal(db.Model):
    """Closed deadlines counted per party, case and rule: the dashboard's time per party and the
    State's delays add the open ones to these instead of reading every closed deadline (0025).
    `authority` is "" where the case records none (a key cannot be NULL)."""

    __tablename__ = "deadline_totals"

    party: Mapped[str] = mapped_column(String(10), primary_key=True)
    jurisdiction: Mapped[str] = mapped_column(String(8), primary_key=True)
    authority: Mapped[str] = mapped_column(String(300), primary_key=True)
    route: Mapped[str] = mapped_column(String(40), primary_key=True)
    stage: Mapped[str] = mapped_column(String(60), primary_key=True)
    rule: Mapped[str] = mapped_column(String(80), primary_key=True)
    # Closed after their anchor date: how many, and the days they ran.
    ran: Mapped[int] = mapped_column(default=0)
    days: Mapped[int] = mapped_column(default=0)
    # Closed as missed: how many, and the days past their due date.
    missed: Mapped[int] = mapped_column(default=0)
    days_late: Mapped[int] = mapped_column(default=0)


class AppendOnlyError(Exception):
    """Something tried to rewrite the event history."""


@event.listens_for(Event, "before_update")
def _refuse_event_update(_mapper, _connection, target: Event) -> None:
    raise AppendOnlyError(f"event {target.id} is history and cannot be changed")


@event.listens_for(Event, "before_delete")
def _refuse_event_delete(_mapper, _connection, target: Event) -> None:
    raise AppendOnlyError(f"event {target.id} is history and cannot be deleted")


__all__ = [
    "AgeGroup",
    "AuditEntry",
    "AuditKind",
    "Case",
    "CaseContact",
    "ConsentManner",
    "ConsentRecord",
    "ContactRole",
    "Deadline",
    "DeadlineStatus",
    "Document",
    "DocumentBlob",
    "DocumentKind",
    "DocumentVersion",
    "Event",
    "ExaminationFinding",
    "ExaminationStatus",
    "ExaminerKind",
    "FeedKind",
    "FeedSubscription",
    "FindingLevel",
    "Hearing",
    "HearingKind",
    "LoginAttempt",
    "MedicalExamination",
    "NoteRevision",
    "Proceeding",
    "RecoveryCode",
    "Role",
    "Sex",
    "SignInGuard",
    "StageStay",
    "StayDuration",
    "Survivor",
    "User",
    "UserSession",
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


class SignInGuard(db.Model):
    """Recent wrong passwords of one account (accounts/sign_in.py): the row each attempt locks."""

    __tablename__ = "sign_in_guards"

    email: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)  # in the last hour: decides the wait
    unreported: Mapped[int] = mapped_column(default=0)  # told to the owner at the next sign-in
    last_failure_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class FeedKind(StrEnum):
    MINE = "mine"
    CASE = "case"
    TEAM = "team"


class FeedSubscription(db.Model):
    """A calendar feed polled without signing in; only the sha256 of its secret token is kept."""

    __tablename__ = "feed_subscriptions"

    id: Mapped[intpk]
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str200]
    kind: Mapped[str] = mapped_column(String(10))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    route: Mapped[str | None] = mapped_column(String(40))
    jurisdiction: Mapped[str | None] = mapped_column(String(8))
    lawyer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    stage: Mapped[str | None] = mapped_column(String(60))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    with_names: Mapped[bool] = mapped_column(default=False)
    reminder_events: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[timestamp]
    last_fetched_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    case: Mapped[Case | None] = relationship()
    lawyer: Mapped[User | None] = relationship(foreign_keys=[lawyer_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<FeedSubscription {self.id} {self.kind} of user {self.owner_id}>"


class UserSession(db.Model):
    """One signed-in browser: ended by signing out, a password change, deactivation or an
    admin's "sign out everywhere"; it also expires when idle, or after the remember-me days."""

    __tablename__ = "user_sessions"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    remember: Mapped[bool] = mapped_column(default=False)
    user_agent: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[timestamp]
    last_seen_at: Mapped[timestamp]
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # When the person last proved it was them in this browser (signing in, or confirming
    # before a sensitive action): recent enough, and roles, names in feeds, exports are open.
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<UserSession {self.id} of user {self.user_id}>"


class RecoveryCode(db.Model):
    """A one-time code for signing in without the authenticator app; only its sha256 is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[timestamp]
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<RecoveryCode {self.id} of user {self.user_id}>"


class PasswordReset(db.Model):
    """A one-time link an admin made for a user to set a new password (accounts/resets.py).

    Only the sha256 of its token is kept. It works once, before `expires_at`, while it is the
    user's newest link: a newer one, or the password set another way, revokes it.
    """

    __tablename__ = "password_resets"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[timestamp]
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<PasswordReset {self.id} of user {self.user_id}>"


class AuditKind(StrEnum):
    """What the audit trail records; the web layer names each in Russian and English."""

    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_OUT = "sign_out"
    SESSIONS_ENDED = "sessions_ended"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET_LINK_MADE = "password_reset_link_made"
    PASSWORD_RESET_LINK_USED = "password_reset_link_used"
    TWO_FACTOR_ENABLED = "two_factor_enabled"
    TWO_FACTOR_DISABLED = "two_factor_disabled"
    RECOVERY_CODES_MADE = "recovery_codes_made"
    RECOVERY_CODE_USED = "recovery_code_used"
    USER_CREATED = "user_created"
    USER_CHANGED = "user_changed"
    CASE_CREATED = "case_created"
    CASE_EDITED = "case_edited"
    TEAM_CHANGED = "team_changed"
    CONSENT_CHANGED = "consent_changed"
    ROUTE_OPENED = "route_opened"
    STEP = "step"
    CORRECTION = "correction"
    OVERRIDE = "override"
    FEED_CREATED = "feed_created"
    FEED_ROTATED = "feed_rotated"
    FEED_REVOKED = "feed_revoked"
    FEED_FETCHED = "feed_fetched"
    DOWNLOAD = "download"
    EXPORT = "export"
    BACKUP = "backup"
    CONTACT_ADDED = "contact_added"
    CONTACT_CHANGED = "contact_changed"
    CONTACT_REMOVED = "contact_removed"
    EXAMINATION_RECORDED = "examination_recorded"
    HEARING_ADDED = "hearing_added"
    HEARING_CHANGED = "hearing_changed"
    HEARING_CANCELLED = "hearing_cancelled"
    SURVIVOR_CREATED = "survivor_created"
    SURVIVOR_CHANGED = "survivor_changed"
    DOCUMENT_UPLOADED = "document_uploaded"
    DOCUMENT_REPLACED = "document_replaced"
    DOCUMENT_REMOVED = "document_removed"
    DOCUMENT_DOWNLOADED = "document_downloaded"
    DOCUMENTS_REKEYED = "documents_rekeyed"
    NOTE_EDITED = "note_edited"
    NOTIFICATION_SENT = "notification_sent"
    NOTIFICATION_FAILED = "notification_failed"
    NOTIFICATIONS_CHANGED = "notifications_changed"


class AuditEntry(db.Model):
    """Who did what, append-only (database triggers refuse UPDATE and DELETE: audit/).

    References are plain numbers, not foreign keys: the trail outlives what it speaks of, and
    a row that may never change could not follow a deleted record anyway. `details` never
    holds a survivor's name or contact, nor a feed token (audit/changes.py).
    """

    __tablename__ = "audit_entries"

    id: Mapped[intpk]
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    actor_id: Mapped[int | None] = mapped_column(index=True)
    case_id: Mapped[int | None] = mapped_column(index=True)
    user_id: Mapped[int | None]  # the account acted on (created, changed, signed in)
    event_id: Mapped[int | None]  # the step, correction or override in the history
    feed_id: Mapped[int | None]
    address: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.kind}>"


class NotificationKind(StrEnum):
    REMINDER = "reminder"  # a deadline's reminder day, or its due day
    DIGEST = "digest"  # a person's daily or weekly digest
    TEAM_DIGEST = "team_digest"  # the coordinators' weekly digest
    MISSED = "missed"  # escalation: a deadline of ours passed unmet
    STALLED = "stalled"  # escalation: a stage past its expected duration


class NotificationStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a pass; `claimed_at` says since when
    SENT = "sent"
    FAILED = "failed"  # retried at `not_before`, until the attempts run out
    DROPPED = "dropped"  # no longer due (deadline closed, user inactive) or attempts spent


class Notification(db.Model):
    """One message to one person, claimed before it is sent (notifications/outbox.py).

    `key` is unique: a pass on any host that would make the same message finds it made, so
    each is sent once. The row holds ids and numbers only; the text is written at sending time,
    in the recipient's language, from what the records say then.
    """

    __tablename__ = "notifications"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int | None]
    deadline_id: Mapped[int | None]
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default=NotificationStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    not_before: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[timestamp]

    user: Mapped[User] = relationship()

    __table_args__ = (Index("ix_notification_due", "status", "not_before"),)

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} to user {self.user_id} {self.status}>"


class ContactRole(StrEnum):
    """What a person who is not a user does on a case (labels: web/vocabulary.py)."""

    CO_COUNSEL = "co_counsel"
    FAMILY = "family"
    DOCTOR = "doctor"
    INTERPRETER = "interpreter"
    WITNESS = "witness"
    OFFICIAL = "official"
    OTHER = "other"


class CaseContact(db.Model):
    """Someone on a case who has no account: kept, not deleted, when removed (`removed_at`)."""

    __tablename__ = "case_contacts"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str200]
    role: Mapped[str] = mapped_column(String(20))
    organisation: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[timestamp]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    case: Mapped[Case] = relationship()

    # Two people editing one contact at once: the second save is refused, as for cases.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def __repr__(self) -> str:
        return f"<CaseContact {self.id} ({self.role}) of case {self.case_id}>"


class ExaminerKind(StrEnum):
    INDEPENDENT = "independent"
    STATE = "state"


class ExaminationStatus(StrEnum):
    """Done, or prevented by the authorities: a refusal or obstruction is an act of the State."""

    DONE = "done"
    REFUSED = "refused"
    OBSTRUCTED = "obstructed"


class FindingLevel(StrEnum):
    """The Istanbul Protocol's scale of consistency (para. 187), weakest first."""

    NOT_CONSISTENT = "not_consistent"
    CONSISTENT = "consistent"
    HIGHLY_CONSISTENT = "highly_consistent"
    TYPICAL = "typical"
    DIAGNOSTIC = "diagnostic"


class MedicalExamination(db.Model):
    """A medical-legal examination of the survivor, or the authorities' refusal of one."""

    __tablename__ = "medical_examinations"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    examined_on: Mapped[dt.date] = mapped_column(Date)
    examiner_name: Mapped[str | None] = mapped_column(String(200))
    examiner_kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    status_note: Mapped[str | None] = mapped_column(Text)
    psychological_done: Mapped[bool] = mapped_column(default=False)
    psychological_evaluation: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[timestamp]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    findings: Mapped[list[ExaminationFinding]] = relationship(
        back_populates="examination",
        order_by="ExaminationFinding.position",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<MedicalExamination {self.id} ({self.status}) of case {self.case_id}>"


class ExaminationFinding(db.Model):
    """One allegation and how consistent the examiner found the evidence with it."""

    __tablename__ = "examination_findings"

    id: Mapped[intpk]
    examination_id: Mapped[int] = mapped_column(
        ForeignKey("medical_examinations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    allegation: Mapped[str] = mapped_column(String(500))
    level: Mapped[str] = mapped_column(String(20))

    examination: Mapped[MedicalExamination] = relationship(back_populates="findings")

    def __repr__(self) -> str:
        return f"<ExaminationFinding {self.id} {self.level}>"


class HearingKind(StrEnum):
    """What an appointment on a case is (labels: web/hearings.py)."""

    COURT = "court"
    INTERROGATION = "interrogation"
    FORENSIC = "forensic"
    PRISON_VISIT = "prison_visit"
    MEETING = "meeting"
    OTHER = "other"


class Hearing(db.Model):
    """A hearing or appointment: local date and time in the zone of the case's jurisdiction.

    Cancelled softly (`cancelled_at`): the row stays."""

    __tablename__ = "hearings"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    starts_at: Mapped[dt.time] = mapped_column(Time)
    zone: Mapped[str] = mapped_column(String(40))
    duration_minutes: Mapped[int | None]
    place: Mapped[str | None] = mapped_column(String(300))
    attendees: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[timestamp]
    # Stamped by every edit and the cancellation: the calendar feeds' LAST-MODIFIED.
    updated_at: Mapped[timestamp]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    case: Mapped[Case] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    # Feeds read the hearings of the last 30 days and later (0022).
    __table_args__ = (Index("ix_hearings_starts_on", "starts_on"),)

    def __repr__(self) -> str:
        return f"<Hearing {self.id} ({self.kind}) of case {self.case_id}>"


class ConsentManner(StrEnum):
    """How the survivor gave a consent (labels: web/consent_words.py)."""

    WRITTEN = "written"
    ORAL = "oral"


class ConsentRecord(db.Model):
    """A consent the survivor gave for one scope (workflows.spec.ConsentScope), and its
    withdrawal: withdrawing sets `withdrawn_on` (the row stays, as the history of consent)."""

    __tablename__ = "consent_records"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(20))
    given_on: Mapped[dt.date] = mapped_column(Date)
    form: Mapped[str | None] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    # The signed form or the recording: a document of the same case.
    evidence_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[timestamp]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    withdrawal_note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    case: Mapped[Case] = relationship(back_populates="consents")
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])
    evidence: Mapped[Document | None] = relationship()

    # Two people withdrawing, or one withdrawing a consent replaced meanwhile: refused.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None

    def __repr__(self) -> str:
        return f"<ConsentRecord {self.id} ({self.scope}) of case {self.case_id}>"


class DocumentKind(StrEnum):
    """What a document on a case is (labels: web/documents.py)."""

    COMPLAINT = "complaint"
    DECISION = "decision"
    EVIDENCE = "evidence"
    MEDICAL = "medical"
    CORRESPONDENCE = "correspondence"
    OTHER = "other"


class Document(db.Model):
    """A file on a case, in versions: replacing it adds a version, removing it is soft
    (`removed_at`, by whom and why): the rows and the encrypted bytes stay (documents/)."""

    __tablename__ = "documents"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    title: Mapped[str200]
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    # What it proves: a step of one of the case's proceedings, or one of its deadlines.
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), index=True)
    deadline_id: Mapped[int | None] = mapped_column(
        ForeignKey("deadlines.id", ondelete="SET NULL"), index=True
    )
    current_number: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[timestamp]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    removed_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    case: Mapped[Case] = relationship()
    event: Mapped[Event | None] = relationship()
    deadline: Mapped[Deadline | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    removed_by: Mapped[User | None] = relationship(foreign_keys=[removed_by_id])
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", order_by="DocumentVersion.number"
    )

    # Two people replacing or removing one document at once: the second is refused.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def current(self) -> DocumentVersion:
        return next(v for v in self.versions if v.number == self.current_number)

    def __repr__(self) -> str:
        return f"<Document {self.id} ({self.kind}) of case {self.case_id}>"


class DocumentVersion(db.Model):
    """One uploaded file of a document: what it was, who brought it, and where its encrypted
    bytes are (`storage`: a row of document_blobs, or a file named `location` in the
    documents folder). `sha256` is of the plaintext; `key_id` names the key that encrypted it."""

    __tablename__ = "document_versions"

    id: Mapped[intpk]
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    file_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[timestamp]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    storage: Mapped[str] = mapped_column(String(10))
    location: Mapped[str | None] = mapped_column(String(100))
    key_id: Mapped[str] = mapped_column(String(16))
    nonce: Mapped[str] = mapped_column(String(24))  # 96 bits, hex

    document: Mapped[Document] = relationship(back_populates="versions")
    uploaded_by: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("document_id", "number"),)

    def __repr__(self) -> str:
        return f"<DocumentVersion {self.document_id}.{self.number} {self.media_type}>"


class DocumentBlob(db.Model):
    """The encrypted bytes of a version kept in the database (AES-256-GCM, never plaintext)."""

    __tablename__ = "document_blobs"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("document_versions.id", ondelete="CASCADE"), primary_key=True
    )
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)

    def __repr__(self) -> str:
        return f"<DocumentBlob of version {self.version_id}>"
