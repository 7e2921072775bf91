"""Survivors as people: one record per person, linked to each of their cases.

A name is folded (case, ё/е, spaces) to find a person already recorded: opening a case for a
name that matches someone the user may see asks whether it is the same person, and never
decides it alone. The audit trail says that survivor data changed, never what it says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import and_
from sqlalchemy.orm.exc import StaleDataError

from ..audit import changed_fields, record
from ..db import db
from ..errors import DomainError, InvalidInput, msg
from ..models import AgeGroup, AuditKind, Survivor, User
from .access import visible_survivors

SURVIVOR_FIELDS = ("name", "sex", "birth_year", "age_group", "contact", "reprisal_risk", "notes")
"""What a lawyer records about the person."""
REPRISAL_RISKS = ("unknown", "low", "medium", "high")
SEXES = ("female", "male", "other", "unknown")
TEXT_LIMITS = {"name": 200, "contact": 300, "notes": 10_000}
EARLIEST_BIRTH_YEAR = 1900


class StaleSurvivor(DomainError):
    status = 409

    def __init__(self) -> None:
        super().__init__(
            msg(
                "Someone else changed this person's record while you were editing it. Your "
                "changes are below, not saved: compare them with the record and save again."
            )
        )


class PossibleDuplicate(InvalidInput):
    """A survivor with a similar name is already recorded: the same person, or another?"""

    def __init__(self, matches: list[Survivor]) -> None:
        super().__init__(
            {
                "survivor_name": msg(
                    "A person with a similar name is already recorded. If this is the same "
                    "person, choose them below; if not, tick «This is a different person»."
                )
            }
        )
        self.matches = matches


def fold_name(name: str) -> str:
    """The name as search compares it: case folded, ё read as е, spaces collapsed."""
    return " ".join(name.casefold().replace("ё", "е").split())[:200]


def name_matches(folded_column: Any, text: str) -> Any:
    """SQL condition: every word of `text` appears in the folded name, in any order."""
    words = fold_name(text).split()
    return and_(*(folded_column.contains(word, autoescape=True) for word in words))


def similar_survivors(user: User, name: str, *, limit: int = 10) -> list[Survivor]:
    """People the user may see whose name holds every word of `name` (Иванов Иван ~ иван
    ИВАНОВ; Семёнов ~ Семенов)."""
    if not fold_name(name):
        return []
    query = (
        visible_survivors(user)
        .where(name_matches(Survivor.name_folded, name))
        .order_by(Survivor.name_folded, Survivor.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def refuse_possible_duplicate(user: User, name: str) -> None:
    """Raise PossibleDuplicate when someone the user may see has a similar name."""
    matches = similar_survivors(user, name)
    if matches:
        raise PossibleDuplicate(matches)


def clean_survivor(details: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """The person's details checked: text stripped, choices from their lists, a plausible
    year of birth; an age group only where the year of birth is unknown."""
    clean: dict[str, Any] = {
        name: (str(details.get(name) or "").strip() or None) for name in TEXT_LIMITS
    }
    errors: dict[str, str] = {}
    if not clean["name"]:
        errors["name"] = msg("Give the person's name.")
    for name, limit in TEXT_LIMITS.items():
        if clean[name] and len(clean[name]) > limit:
            errors[name] = msg("At most %(n)s characters.", n=limit)
    clean["sex"] = details.get("sex") or "unknown"
    if clean["sex"] not in SEXES:
        errors["sex"] = msg("Choose from the list.")
    clean["reprisal_risk"] = details.get("reprisal_risk") or "unknown"
    if clean["reprisal_risk"] not in REPRISAL_RISKS:
        errors["reprisal_risk"] = msg("Choose from the list.")
    year = details.get("birth_year")
    if year is not None and (
        not isinstance(year, int) or not EARLIEST_BIRTH_YEAR <= year <= today.year
    ):
        errors["birth_year"] = msg(
            "Give a year between %(first)s and %(last)s.",
            first=EARLIEST_BIRTH_YEAR,
            last=today.year,
        )
    clean["birth_year"] = year
    group = details.get("age_group") or None
    if group is not None and group not in {g.value for g in AgeGroup}:
        errors["age_group"] = msg("Choose from the list.")
    # The year of birth says the age at any date; a group is kept only in its absence.
    clean["age_group"] = None if year is not None else group
    if errors:
        raise InvalidInput(errors)
    return clean


def create_survivor(details: Mapping[str, Any], *, actor: User | None, today: dt.date) -> Survivor:
    """Record a person (the caller has asked whether they were recorded already)."""
    clean = clean_survivor(details, today)
    survivor = Survivor(
        **clean, name_folded=fold_name(clean["name"]), created_by_id=actor.id if actor else None
    )
    db.session.add(survivor)
    db.session.flush()
    record(
        AuditKind.SURVIVOR_CREATED,
        actor=actor,
        details={"survivor": survivor.id, "fields": sorted(k for k, v in clean.items() if v)},
    )
    return survivor


def update_survivor(
    survivor: Survivor,
    details: Mapping[str, Any],
    *,
    expected_version: int | None,
    actor: User | None,
    today: dt.date,
) -> Survivor:
    """Save the person's edited details; a form loaded before another save is refused."""
    if expected_version is not None and expected_version != survivor.version:
        raise StaleSurvivor()
    clean = clean_survivor(details, today)
    before = {name: getattr(survivor, name) for name in clean}
    for name, value in clean.items():
        if getattr(survivor, name) != value:
            setattr(survivor, name, value)
    survivor.name_folded = fold_name(survivor.name)
    try:
        db.session.flush()
    except StaleDataError as error:
        raise StaleSurvivor() from error
    changes = changed_fields({f"survivor_{k}": v for k, v in before.items()}, _prefixed(clean))
    if changes:
        record(
            AuditKind.SURVIVOR_CHANGED,
            actor=actor,
            details={"survivor": survivor.id, "changes": changes},
        )
    return survivor


def _prefixed(details: Mapping[str, Any]) -> dict[str, Any]:
    return {f"survivor_{name}": value for name, value in details.items()}
