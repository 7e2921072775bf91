"""Named guards that workflows.yaml may attach to transitions.

YAML names a guard; it never names Python code. A guard returns None when the transition may
fire, or the reason (ru/en) why it may not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .spec import Text


@dataclass(frozen=True)
class OtherProceeding:
    route: str
    exclusive_group: str | None
    closed: bool


@dataclass(frozen=True)
class GuardContext:
    """What a guard may look at: the proceeding's facts and its case, never the database."""

    jurisdiction: str
    facts: Mapping[str, Any]
    incident_date: dt.date | None = None
    other_proceedings: tuple[OtherProceeding, ...] = ()
    # The scopes the survivor's current consent covers, and the case's risk of reprisals:
    # what `requires_consent:` is checked against (consent.py).
    consents: frozenset[str] = frozenset()
    reprisal_risk: str = "unknown"


Guard = Callable[[GuardContext], Text | None]
GUARDS: dict[str, Guard] = {}

# OP1 entered into force for Kazakhstan on 30 Sep 2009, with a ratione temporis declaration
# (Suleimenov v. Kazakhstan, CCPR/C/119/D/2146/2012, para. 1).
KZ_OP1_IN_FORCE = dt.date(2009, 9, 30)


def guard(name: str) -> Callable[[Guard], Guard]:
    """Register a guard under the name YAML uses."""

    def register(function: Guard) -> Guard:
        GUARDS[name] = function
        return function

    return register


def unmet_reasons(names: tuple[str, ...], context: GuardContext) -> list[Text]:
    """The reasons of every guard in `names` that is not met."""
    return [reason for name in names if (reason := GUARDS[name](context)) is not None]


@guard("op1_in_force_for_state")
def op1_in_force_for_state(context: GuardContext) -> Text | None:
    if context.jurisdiction != "KZ" or context.incident_date is None:
        return None
    if context.incident_date < KZ_OP1_IN_FORCE:
        return Text(
            ru="Нарушение до 30.09.2009: КПЧ не компетентен ratione temporis (оговорка РК к ФП1), "
            "если только нарушение не продолжается.",
            en="Violation before 30 Sep 2009: the HRC lacks competence ratione temporis "
            "(Kazakhstan's OP1 declaration) unless the violation continues.",
        )
    return None


@guard("cat_article_22_accepted")
def cat_article_22_accepted(context: GuardContext) -> Text | None:
    # Only Kazakhstan made the art. 22 declaration (2008, CAT/C/KAZ/CO/2 para. 4).
    if context.jurisdiction == "KZ":
        return None
    return Text(
        ru="Таджикистан не сделал заявление по ст. 22 КПП: жалобы только в КПЧ.",
        en="Tajikistan has not made the art. 22 CAT declaration: complaints go to the HRC only.",
    )


@guard("one_treaty_body_per_matter")
def one_treaty_body_per_matter(context: GuardContext) -> Text | None:
    # CAT art. 22(5)(a) bars a matter examined elsewhere; OP1 art. 5(2)(a) a concurrent one.
    taken = [p.route for p in context.other_proceedings if p.exclusive_group == "treaty_body"]
    if not taken:
        return None
    return Text(
        ru=f"По этому делу уже есть обращение в договорный орган ООН ({', '.join(taken)}).",
        en=f"This matter already went to a UN treaty body ({', '.join(taken)}).",
    )
