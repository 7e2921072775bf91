"""Handing a deactivated colleague's open cases over: the forms, one page of them, and the
handling of a posted form. Two doors use it, the dashboard (new_lawyer.py) and the departed
user's admin page; each re-renders its own page when a hand-over is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.validators import InputRequired

from ...accounts import team_candidates
from ...cases import access
from ...cases.reassignment import (
    OrphanedCase,
    count_orphaned,
    orphaned_cases,
    orphaned_counts,
    reassign,
    reassign_all,
    versions_of,
)
from ...db import db
from ...errors import InvalidInput, StaleCase
from ...models import Case, User
from ..filters import error_text
from ..forms import options, show_domain_errors
from ..inputs import page_arg, record_version

PAGE_SIZE = 50
Key = tuple[int, int]  # (case id, departed user id): one form per person to replace


class ReassignForm(FlaskForm):
    to_user = SelectField(
        _l("New lawyer"),
        validators=[InputRequired(_l("Choose a colleague."))],
        validate_choice=False,  # the hand-over itself says why a colleague cannot take over
    )
    version = HiddenField()


class ReassignAllForm(FlaskForm):
    to_user = SelectField(
        _l("Hand all of them to"),
        validators=[InputRequired(_l("Choose a colleague."))],
        validate_choice=False,
    )
    versions = HiddenField()  # "case:version case:version": what the page showed


def _one_prefix(key: Key) -> str:
    return f"c{key[0]}u{key[1]}"


def _all_prefix(user_id: int) -> str:
    return f"all{user_id}"


@dataclass
class Handover:
    """The rows of a page and a form for each person to replace, plus "all to" forms."""

    rows: list[OrphanedCase]
    forms: dict[Key, ReassignForm]
    everything: list[tuple[User, int, ReassignAllForm]]  # departed, open cases, form
    total: int
    page: int
    pages: int


class _Colleagues:
    """Who may take each departed user's place: built once per departed user, shared by the
    forms of their cases."""

    def __init__(self) -> None:
        self.candidates = team_candidates()
        self.built: dict[int, list] = {}

    def __call__(self, departed: User) -> list:
        if departed.id not in self.built:
            self.built[departed.id] = options(
                [("", "—")]
                + [
                    (str(user.id), f"{user.name} ({_(user.role)})")
                    for user in self.candidates
                    if access.can_take_over(user, departed)
                ]
            )
        return self.built[departed.id]


def _versions_text(versions: Mapping[int, int]) -> str:
    return " ".join(f"{case_id}:{version}" for case_id, version in sorted(versions.items()))


def _versions(text: str | None) -> dict[int, int]:
    """The case versions an "all to" form carried; pairs that are not numbers are dropped."""
    found = {}
    for pair in (text or "").split()[:100_000]:
        case_id, _sep, version = pair.partition(":")
        if record_version(case_id) and record_version(version):
            found[int(case_id)] = int(version)
    return found


def build(
    departed: User | None = None,
    *,
    submitted: tuple[Key, ReassignForm] | None = None,
    submitted_all: tuple[int, ReassignAllForm] | None = None,
) -> Handover:
    """One page of the orphaned open cases (of `departed`, or everyone's) with their forms;
    a form just refused is shown as it was sent, with its messages."""
    total = count_orphaned(departed)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(page_arg(), pages)
    rows = orphaned_cases(departed, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    colleagues = _Colleagues()
    counts = {departed.id: total} if departed else orphaned_counts()
    return Handover(
        rows,
        _case_forms(rows, departed, submitted, colleagues),
        _all_forms(counts, submitted_all, colleagues),
        total,
        page,
        pages,
    )


def _case_forms(
    rows: list[OrphanedCase],
    departed: User | None,
    submitted: tuple[Key, ReassignForm] | None,
    colleagues: _Colleagues,
) -> dict[Key, ReassignForm]:
    forms = {}
    for row in rows:
        for user in row.departed if departed is None else [departed]:
            key = (row.case.id, user.id)
            if submitted and submitted[0] == key:
                form = submitted[1]
            else:
                form = ReassignForm(formdata=None, prefix=_one_prefix(key))
                form.version.data = str(row.case.version)
            form.to_user.choices = colleagues(user)
            form.to_user.label.text = _("Instead of %(name)s", name=user.name)
            forms[key] = form
    return forms


def _all_forms(
    counts: Mapping[int, int],
    submitted: tuple[int, ReassignAllForm] | None,
    colleagues: _Colleagues,
) -> list[tuple[User, int, ReassignAllForm]]:
    everything = []
    for user in db.session.scalars(db.select(User).where(User.id.in_(counts)).order_by(User.name)):
        if submitted and submitted[0] == user.id:
            form = submitted[1]
        else:
            form = ReassignAllForm(formdata=None, prefix=_all_prefix(user.id))
            form.versions.data = _versions_text(versions_of(user))
        form.to_user.choices = colleagues(user)
        form.to_user.label.text = ngettext(
            "Hand the %(num)d open case of %(name)s to",
            "Hand all %(num)d open cases of %(name)s to",
            counts[user.id],
            name=user.name,
        )
        everything.append((user, counts[user.id], form))
    return everything


def _colleague(form: ReassignForm | ReassignAllForm) -> User | None:
    """The colleague chosen in the form, or None with a message next to the field."""
    chosen = record_version(form.to_user.data)  # a positive whole number that fits an id
    user = db.session.get(User, chosen) if chosen else None
    if user is None:
        form.to_user.errors = [*form.to_user.errors, _("Choose a colleague.")]
    return user


def _refused(form: FlaskForm, error: InvalidInput) -> None:
    """The messages next to the colleague chosen; any other (the departed user is not on the
    case any more) at the top of the page."""
    db.session.rollback()
    for message in show_domain_errors(form, error, ""):
        flash(message, "error")


Page = Callable[..., str]  # renders the door's page with build(...)'s keyword arguments


def reassign_one(case_id: int, user_id: int, page: Page, back: str) -> Any:
    """Handle one case's form: hand the departed user's place to the chosen colleague."""
    if not access.can_reassign(current_user):
        abort(403)
    case = db.session.get(Case, case_id) or abort(404)
    departed = db.session.get(User, user_id) or abort(404)
    key = (case_id, user_id)
    form = ReassignForm(prefix=_one_prefix(key))
    form.to_user.choices = []
    if not form.validate_on_submit() or (colleague := _colleague(form)) is None:
        return page(submitted=(key, form)), 400
    try:
        reassign(
            case,
            departed,
            colleague,
            actor=current_user,
            expected_version=record_version(form.version.data) or 0,
        )
    except StaleCase as error:
        db.session.rollback()
        flash(error_text(error), "error")
        form.version.data = str(db.session.get(Case, case_id).version)
        return page(submitted=(key, form)), 409
    except InvalidInput as error:
        _refused(form, error)
        return page(submitted=(key, form)), 400
    flash(
        _(
            "%(new)s takes over case %(ref)s from %(old)s.",
            new=colleague.name,
            ref=case.reference,
            old=departed.name,
        ),
        "success",
    )
    return redirect(back)


def reassign_everything(user_id: int, page: Page, back: str) -> Any:
    """Handle an "all to" form: every case the page showed, each checked for its version."""
    if not access.can_reassign(current_user):
        abort(403)
    departed = db.session.get(User, user_id) or abort(404)
    form = ReassignAllForm(prefix=_all_prefix(user_id))
    form.to_user.choices = []
    if not form.validate_on_submit() or (colleague := _colleague(form)) is None:
        return page(submitted_all=(user_id, form)), 400
    try:
        done = reassign_all(
            departed, colleague, actor=current_user, versions=_versions(form.versions.data)
        )
    except InvalidInput as error:
        _refused(form, error)
        return page(submitted_all=(user_id, form)), 400
    if done.conflicts:
        flash(_conflicts_text(done.conflicts), "warning" if done.moved else "error")
    if not done.moved:
        if not done.conflicts:
            flash(_("There was nothing left to hand over."), "info")
            return redirect(back)
        db.session.rollback()
        form.versions.data = _versions_text(versions_of(departed))
        return page(submitted_all=(user_id, form)), 409
    flash(
        ngettext(
            "%(num)d case of %(old)s handed to %(new)s.",
            "%(num)d cases of %(old)s handed to %(new)s.",
            len(done.moved),
            old=departed.name,
            new=colleague.name,
        ),
        "success",
    )
    return redirect(back)


def _conflicts_text(cases: list[Case]) -> str:
    return ngettext(
        "%(num)d case changed while you were looking and was not handed over: %(refs)s. "
        "Check it below and hand it over again.",
        "%(num)d cases changed while you were looking and were not handed over: %(refs)s. "
        "Check them below and hand them over again.",
        len(cases),
        refs=", ".join(case.reference for case in cases),
    )
