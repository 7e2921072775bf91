"""What the survivor's consent allows, as a pure rule: the steps and routes that declare
`requires_consent:` in workflows.yaml, and whether a survivor's name may leave the system.

Sharing (partners, referrals, a calendar service outside the organisation) also stops while
the reprisal risk is high, whatever was consented to: the risk is the survivor's safety, and
consent given before the risk rose does not cover it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from .spec import ConsentScope, Text

HIGH_RISK = "high"

_NOT_RECORDED = {
    ConsentScope.LITIGATION: Text(
        "Нет записанного информированного согласия пострадавшего на ведение дела.",
        "The survivor's informed consent to litigation is not recorded.",
    ),
    ConsentScope.PUBLICATION: Text(
        "Нет записанного согласия пострадавшего на публикацию.",
        "The survivor's consent to publication is not recorded.",
    ),
    ConsentScope.UN_NAME: Text(
        "Нет записанного согласия пострадавшего на указание имени в решении органа ООН.",
        "The survivor's consent to be named in a UN decision is not recorded.",
    ),
    ConsentScope.SHARING: Text(
        "Нет записанного согласия пострадавшего на передачу сведений партнёрам и направления.",
        "The survivor's consent to sharing with partners and referrals is not recorded.",
    ),
    ConsentScope.MEDICAL: Text(
        "Нет записанного согласия пострадавшего на медицинское обследование.",
        "The survivor's consent to a medical examination is not recorded.",
    ),
}
HIGH_RISK_REASON = Text(
    "Риск преследования высокий: сведения о пострадавшем не передаются за пределы организации.",
    "The risk of reprisals is high: nothing about the survivor leaves the organisation.",
)


def consent_reasons(
    required: Iterable[str], given: Collection[str], reprisal_risk: str
) -> list[Text]:
    """Why `required` is not covered: each scope without current consent, and a high risk
    for sharing. Empty when the step or route may go ahead."""
    required = tuple(required)
    reasons = [_NOT_RECORDED[ConsentScope(scope)] for scope in required if scope not in given]
    if ConsentScope.SHARING in required and reprisal_risk == HIGH_RISK:
        reasons.append(HIGH_RISK_REASON)
    return reasons


def names_may_leave(given: Collection[str], reprisal_risk: str) -> bool:
    """Whether a survivor's name may go to a calendar service or a partner: the one rule for
    every place names leave the system (current sharing consent, and no high risk)."""
    return not consent_reasons((ConsentScope.SHARING,), given, reprisal_risk)
