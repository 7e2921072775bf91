"""One generated case: its survivor, team, consents, routes, hearings, contacts and documents."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass

from ..documents.crypto import KeyRing
from ..models import ContactRole, DocumentKind, HearingKind
from . import tables
from .history import Walker
from .people import person_name
from .rows import Rows

FIRST_DAY = dt.date(2016, 1, 1)
ZONES = {"KZ": "Asia/Almaty", "TJ": "Asia/Dushanbe"}
AUTHORITIES = [f"Отдел полиции № {n}" for n in range(1, 25)] + [None] * 4
# (route, share of the cases that take it); the criminal route is always taken.
SIDE_ROUTES = (("rehabilitation", 0.8), ("kz_compensation", 0.5), ("un_special_procedures", 0.4))
OTHER_SCOPES = ("publication", "un_name", "medical")
CONTACT_ROLES = [role.value for role in ContactRole]
HEARING_KINDS = [kind.value for kind in HearingKind]


@dataclass
class CaseMaker:
    """Adds cases to `rows`; lawyers and staff are user ids."""

    walker: Walker
    keys: KeyRing
    lawyers: list[int]
    staff: list[int]

    @property
    def rng(self) -> random.Random:
        return self.walker.rng

    @property
    def rows(self) -> Rows:
        return self.walker.rows

    def case(self) -> None:
        """One case and everything that happened in it."""
        rng, today = self.rng, self.walker.today
        case_id = self.rows.next_id("cases")
        jurisdiction = "KZ" if rng.random() < 0.65 else "TJ"
        opened = FIRST_DAY + dt.timedelta(days=rng.randrange((today - FIRST_DAY).days))
        survivor_id = self.survivor(case_id)
        self.rows.add(
            "cases",
            tables.case_row(
                case_id,
                survivor_id,
                jurisdiction,
                opened,
                authority=rng.choice(AUTHORITIES),
                incident_place="ИВС" if jurisdiction == "KZ" else "СИЗО № 1",
            ),
        )
        team = self.team(case_id)
        self.consents(case_id, opened)
        starts = [(f"{jurisdiction.lower()}_criminal", opened)]
        for route_id, share in SIDE_ROUTES:
            if route_id.startswith("kz_") and jurisdiction != "KZ":
                continue
            if rng.random() < share:
                starts.append((route_id, opened + dt.timedelta(days=rng.randrange(400))))
        events_before = self.rows.ids["events"]
        self.walker.proceedings(case_id, starts, team[0] if team else None)
        self.hearings(case_id, jurisdiction, opened)
        self.contacts(case_id)
        self.documents(case_id, events_before + 1, team[0] if team else None)

    def survivor(self, case_id: int) -> int:
        """One person in ten has an earlier case: this one is linked to their survivor row."""
        rng = self.rng
        known = self.rows.ids["survivors"]
        if known and rng.random() < 0.1:
            return rng.randint(1, known)
        survivor_id = self.rows.next_id("survivors")
        sex = rng.choice(("female", "male", "unknown"))
        risk = rng.choice(("low", "medium", "unknown"))
        row = tables.survivor_row(
            survivor_id, person_name(rng), sex, rng.randrange(1950, 2008), risk
        )
        self.rows.add("survivors", row)
        return survivor_id

    def team(self, case_id: int) -> list[int]:
        rng = self.rng
        team = [rng.choice(self.lawyers)] if rng.random() < 0.92 else []
        if rng.random() < 0.2:
            team.append(rng.choice(self.lawyers))
        if rng.random() < 0.1:
            team.append(rng.choice(self.staff))
        team = list(dict.fromkeys(team))
        for user in team:
            self.rows.add("case_assignments", tables.team_row(case_id, user))
        return team

    def consents(self, case_id: int, opened: dt.date) -> None:
        """Litigation and sharing at intake (the routes walked need them); others on some
        cases, withdrawn on a few."""
        for scope in ("litigation", "sharing"):
            self.rows.add("consent_records", tables.consent_row(case_id, scope, opened, None))
        for scope in OTHER_SCOPES:
            if self.rng.random() < 0.4:
                withdrawn = opened + dt.timedelta(days=30) if self.rng.random() < 0.1 else None
                if withdrawn and withdrawn > self.walker.today:
                    withdrawn = None
                row = tables.consent_row(case_id, scope, opened, withdrawn)
                self.rows.add("consent_records", row)

    def hearings(self, case_id: int, jurisdiction: str, opened: dt.date) -> None:
        """Past hearings on some cases, one still to come on others, at 10:00 local time."""
        rng, today = self.rng, self.walker.today
        days = [(today - opened).days * rng.random() for _ in range(rng.choice((0, 0, 1, 2)))]
        if rng.random() < 0.15:
            days.append((today - opened).days + rng.randint(1, 60))
        for offset in days:
            day = opened + dt.timedelta(days=int(offset))
            starts = dt.datetime.combine(day, dt.time(10, 0))
            kind = rng.choice(HEARING_KINDS)
            hearing_id = self.rows.next_id("hearings")
            row = tables.hearing_row(hearing_id, case_id, kind, starts, ZONES[jurisdiction])
            self.rows.add("hearings", row)

    def contacts(self, case_id: int) -> None:
        for _ in range(self.rng.choice((0, 0, 1, 2))):
            contact_id = self.rows.next_id("case_contacts")
            row = tables.contact_row(
                contact_id, case_id, person_name(self.rng), self.rng.choice(CONTACT_ROLES)
            )
            self.rows.add("case_contacts", row)

    def documents(self, case_id: int, first_event: int, uploader: int | None) -> None:
        """A complaint tied to the case's first step on a third of the cases: a tiny text,
        encrypted with the app's key as an upload is, so that it opens."""
        if self.rng.random() >= 1 / 3 or first_event > self.rows.ids["events"]:
            return
        document_id = self.rows.next_id("documents")
        kind = DocumentKind.COMPLAINT.value
        row = tables.document_row(
            document_id, case_id, kind, "Жалоба (вымышленная)", event_id=first_event
        )
        row["created_by_id"] = uploader
        self.rows.add("documents", row)
        plaintext = f"Демонстрационная жалоба по делу {case_id}.\n".encode()
        sha256 = hashlib.sha256(plaintext).hexdigest()
        sealed = self.keys.seal(plaintext, document=document_id, number=1, sha256=sha256)
        version_id = self.rows.next_id("document_versions")
        self.rows.add(
            "document_versions",
            tables.version_row(
                version_id,
                document_id,
                len(plaintext),
                sha256,
                key_id=sealed.key_id,
                nonce=sealed.nonce,
                uploaded_by_id=uploader,
            ),
        )
        self.rows.add("document_blobs", tables.blob_row(version_id, sealed.ciphertext))
