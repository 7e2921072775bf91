"""Each named guard: the contexts in which it is met, and the reason it gives when it is not."""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.workflows.guards import GUARDS, GuardContext, OtherProceeding, unmet_reasons

OP1_TOO_EARLY = (
    "Violation before 30 Sep 2009: the HRC lacks competence ratione temporis "
    "(Kazakhstan's OP1 declaration) unless the violation continues."
)
NO_ARTICLE_22 = (
    "Tajikistan has not made the art. 22 CAT declaration: complaints go to the HRC only."
)


def context(jurisdiction: str = "KZ", **values) -> GuardContext:
    return GuardContext(jurisdiction=jurisdiction, facts={}, **values)


def at(route: str, group: str | None = "treaty_body", closed: bool = False) -> OtherProceeding:
    return OtherProceeding(route, group, closed)


GUARD_CASES = [
    # OP1 entered into force for Kazakhstan on 30 Sep 2009, with a ratione temporis declaration.
    ("op1_in_force_for_state", context(incident_date=dt.date(2009, 9, 29)), OP1_TOO_EARLY),
    ("op1_in_force_for_state", context(incident_date=dt.date(2009, 9, 30)), None),
    ("op1_in_force_for_state", context(incident_date=dt.date(2015, 1, 1)), None),
    ("op1_in_force_for_state", context(), None),  # no incident date: nothing to hold against
    ("op1_in_force_for_state", context("TJ", incident_date=dt.date(2000, 1, 1)), None),
    # Only Kazakhstan made the art. 22 CAT declaration.
    ("cat_article_22_accepted", context("KZ"), None),
    ("cat_article_22_accepted", context("TJ"), NO_ARTICLE_22),
    # One UN treaty body per matter (CAT art. 22(5)(a), OP1 art. 5(2)(a)).
    ("one_treaty_body_per_matter", context(), None),
    ("one_treaty_body_per_matter", context(other_proceedings=(at("kz_criminal", None),)), None),
    (
        "one_treaty_body_per_matter",
        context(other_proceedings=(at("un_hrc"),)),
        "This matter already went to a UN treaty body (un_hrc).",
    ),
    (
        # CAT art. 22(5)(a) also bars a matter that was examined and closed.
        "one_treaty_body_per_matter",
        context(other_proceedings=(at("un_hrc", closed=True),)),
        "This matter already went to a UN treaty body (un_hrc).",
    ),
    (
        "one_treaty_body_per_matter",
        context(other_proceedings=(at("un_hrc"), at("kz_civil", None), at("un_cat"))),
        "This matter already went to a UN treaty body (un_hrc, un_cat).",
    ),
]


@pytest.mark.parametrize(("name", "ctx", "reason"), GUARD_CASES)
def test_guard(name: str, ctx: GuardContext, reason: str | None) -> None:
    result = GUARDS[name](ctx)

    if reason is None:
        assert result is None
    else:
        assert result is not None
        assert result.en == reason
        assert result.ru.strip()


def test_every_registered_guard_is_in_the_table() -> None:
    assert {name for name, _ctx, _reason in GUARD_CASES} == set(GUARDS)


def test_unmet_reasons_lists_only_the_guards_not_met() -> None:
    ctx = context("TJ", other_proceedings=(at("un_hrc"),))
    names = ("one_treaty_body_per_matter", "op1_in_force_for_state", "cat_article_22_accepted")

    assert [reason.en for reason in unmet_reasons(names, ctx)] == [
        "This matter already went to a UN treaty body (un_hrc).",
        NO_ARTICLE_22,
    ]
