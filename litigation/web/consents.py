"""The survivor's consents on the case page: recorded per scope, withdrawn on a page that says
first what the withdrawal changes (feeds that will stop naming the survivor, proceedings the
consent no longer covers), and a history of every record."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..cases.access import can_manage_feed
from ..cases.consents import (
    MAX_NOTE,
    StaleConsent,
    current_consents,
    evidence_offered,
    history_of,
    may_show_name,
    proceedings_needing,
    record_consent,
    withdraw_consent,
)
from ..db import db
from ..errors import InvalidInput
from ..feeds import named_feeds_showing
from ..models import Case, ConsentRecord, FeedSubscription
from ..registry import current_registry
from ..workflows.spec import ConsentScope
from .consent_words import SCOPE_EFFECTS, SCOPE_LABELS, manner_word, scope_word
from .context import today
from .filters import error_text, human_date, localised
from .forms import MANNERS, options, show_domain_errors
from .helpers import case_or_404, require_act
from .inputs import record_version

bp = Blueprint("consents", __name__, url_prefix="/cases/<int:case_id>/consents")


class RecordConsentForm(FlaskForm):
    scope = SelectField(
        _l("Consent to"), choices=options((s.value, label) for s, label in SCOPE_LABELS.items())
    )
    given_on = DateField(_l("Date the consent was given"), validators=[InputRequired()])
    form = SelectField(_l("How it was given"), choices=MANNERS, validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=MAX_NOTE)])
    # The case's documents: the signed form or the recording (uploaded in Documents first).
    evidence_document_id = SelectField(
        _l("Evidence: a document of the case"),
        coerce=lambda value: int(value) if value not in (None, "") else None,
        validate_choice=False,
    )


class WithdrawConsentForm(FlaskForm):
    withdrawn_on = DateField(_l("Date the consent was withdrawn"), validators=[InputRequired()])
    withdrawal_note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=MAX_NOTE)])
    version = HiddenField()


@dataclass(frozen=True)
class ScopeState:
    """One scope as the case page shows it: its current consent, or the withdrawn newest."""

    scope: ConsentScope
    current: ConsentRecord | None
    withdrawn: ConsentRecord | None


@bp.app_template_global()
def consent_overview(case: Case) -> list[ScopeState]:
    """Every scope, in a fixed order, with the record that decides it."""
    current, history = current_consents(case), history_of(case)
    states = []
    for scope in ConsentScope:
        newest = next((r for r in history if r.scope == scope), None)
        withdrawn = newest if newest is not None and newest.is_withdrawn else None
        states.append(ScopeState(scope, current.get(scope), withdrawn))
    return states


@bp.app_template_global()
def consent_history(case: Case) -> list[ConsentRecord]:
    return history_of(case)


@bp.app_template_global()
def scope_effect(scope: str) -> str:
    effect = SCOPE_EFFECTS.get(scope)
    return str(effect) if effect else ""


bp.add_app_template_global(scope_word)
bp.add_app_template_global(manner_word)


def _consent_or_404(case: Case, consent_id: int) -> ConsentRecord:
    consent = db.session.get(ConsentRecord, consent_id)
    if consent is None or consent.case_id != case.id:
        abort(404)
    return consent


def _case_page(case_id: int):
    return redirect(url_for("cases.show", case_id=case_id, _anchor="consent"))


@bp.route("/new", methods=["GET", "POST"])
def new(case_id: int):
    case = case_or_404(case_id)
    require_act(case)
    form = RecordConsentForm(given_on=today(), scope=request.args.get("scope"))
    form.evidence_document_id.choices = options(
        [("", "—"), *((d.id, d.title) for d in evidence_offered(case))]
    )
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("consents/new.html", form=form, case=case), status
    fields = ("scope", "given_on", "form", "note", "evidence_document_id")
    details = {name: form[name].data for name in fields}
    try:
        consent = record_consent(case, details, actor=current_user, today=today())
    except InvalidInput as error:
        for message in show_domain_errors(form, error, "given_on"):
            flash(message, "error")
        return render_template("consents/new.html", form=form, case=case), 400
    flash(
        _(
            "Consent recorded: %(scope)s, given on %(date)s.",
            scope=scope_word(consent.scope),
            date=human_date(consent.given_on),
        ),
        "success",
    )
    return _case_page(case.id)


def _consequences(case: Case, consent: ConsentRecord) -> dict:
    """What withdrawing `consent` changes, said before and after: feeds naming the survivor
    now (only a sharing consent takes names away) and proceedings that need the scope."""
    names_leave = consent.scope == ConsentScope.SHARING and may_show_name(case)
    return {
        "feeds": named_feeds_showing(case, today()) if names_leave else [],
        "proceedings": proceedings_needing(current_registry(), case, consent.scope),
    }


def _page(form, case: Case, consent: ConsentRecord, status: int = 200):
    context = _consequences(case, consent) if consent.withdrawn_on is None else {}
    withdrawable = current_consents(case).get(consent.scope) is consent
    return render_template(
        "consents/withdraw.html",
        form=form,
        case=case,
        consent=consent,
        withdrawable=withdrawable,
        feeds=context.get("feeds", []),
        proceedings=context.get("proceedings", []),
        route_title=lambda p: localised(current_registry().route(p.route).title),
    ), status


@bp.route("/<int:consent_id>/withdraw", methods=["GET", "POST"])
def withdraw(case_id: int, consent_id: int):
    case = case_or_404(case_id)
    require_act(case)
    consent = _consent_or_404(case, consent_id)
    form = WithdrawConsentForm(version=str(consent.version), withdrawn_on=today())
    if not form.validate_on_submit():
        return _page(form, case, consent, 400 if form.is_submitted() else 200)
    before = _consequences(case, consent)
    try:
        withdraw_consent(
            consent,
            {name: form[name].data for name in ("withdrawn_on", "withdrawal_note")},
            expected_version=record_version(form.version.data),
            actor=current_user,
            today=today(),
        )
    except StaleConsent as error:
        return _conflict(form, case_id, consent_id, error)
    except InvalidInput as error:
        for message in show_domain_errors(form, error, "withdrawn_on"):
            flash(message, "error")
        return _page(form, case, consent, 400)
    flash(_("Consent withdrawn: %(scope)s.", scope=scope_word(consent.scope)), "success")
    _say_what_changed(before["feeds"], before["proceedings"])
    return _case_page(case.id)


def _say_what_changed(feeds: list[FeedSubscription], proceedings: list) -> None:
    """Say plainly which feeds stop naming the survivor and what the lawyer must still do."""
    if feeds:
        flash(feeds_text(feeds), "warning")
    if proceedings:
        titles = ", ".join(localised(current_registry().route(p.route).title) for p in proceedings)
        flash(
            _(
                "Open proceedings rely on this consent: %(routes)s. Their steps that need it "
                "are now unavailable, but the software closes nothing by itself: act on them as "
                "the survivor wishes (tell the body concerned, withdraw the communication or "
                "close the route) and record what you did.",
                routes=titles,
            ),
            "warning",
        )


@bp.app_template_global()
def feeds_text(feeds: list[FeedSubscription]) -> str:
    """How many feeds with names show the case from now on without the name, and which of
    them the reader may know of (their own; every feed for an admin)."""
    text = ngettext(
        "%(num)d calendar feed with survivors' names shows this case: from its next refresh "
        "it shows the case without the survivor's name.",
        "%(num)d calendar feeds with survivors' names show this case: from their next refresh "
        "they show the case without the survivor's name.",
        len(feeds),
    )
    known = [f"«{f.name}» ({f.owner.name})" for f in feeds if can_manage_feed(current_user, f)]
    if known:
        text += " " + _("Known to you: %(feeds)s.", feeds=", ".join(known))
    return text + " " + _("What a calendar service fetched before stays with it.")


def record_given_consents(case: Case, form: FlaskForm) -> None:
    """Record the consents ticked on the new-case form (one record a scope, one date)."""
    renamed = {"given_on": "consent_given_on", "form": "consent_form"}
    for scope in ConsentScope:
        if not form[f"consent_{scope.value}"].data:
            continue
        details = {
            "scope": scope.value,
            "given_on": form.consent_given_on.data,
            "form": form.consent_form.data,
        }
        try:
            record_consent(case, details, actor=current_user, today=today())
        except InvalidInput as error:
            raise InvalidInput({renamed.get(k, k): v for k, v in error.errors.items()}) from None


def _conflict(form: WithdrawConsentForm, case_id: int, consent_id: int, error: StaleConsent):
    """Keep what the user typed, say that the consent changed, and show it as it is now."""
    db.session.rollback()
    case = db.session.get(Case, case_id)
    consent = db.session.get(ConsentRecord, consent_id)
    flash(error_text(error), "error")
    form.version.data = str(consent.version)
    return _page(form, case, consent, 409)
