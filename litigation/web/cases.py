"""Cases: the list with search and filters, opening a case, the case page, editing it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts import active_lawyers, all_lawyers, team_candidates
from ..cases import access, open_case, sees_all_cases
from ..cases.backup import set_backup_lawyer
from ..cases.listing import count_cases, matching_cases
from ..cases.operations import CASE_DETAILS, ReferenceTaken, open_route, update_case
from ..cases.survivors import PossibleDuplicate, create_survivor, refuse_possible_duplicate
from ..db import db
from ..errors import InvalidInput, StaleCase, msg
from ..models import Case, Survivor, User
from ..registry import current_registry
from . import case_list
from .case_page import case_page, route_choices
from .consents import record_given_consents
from .context import today
from .dashboard.grid import csv_format
from .filters import error_text, translated
from .forms import (
    JURISDICTION_CODES,
    CaseForm,
    NewCaseForm,
    options,
    route_start,
    show_domain_errors,
)
from .helpers import case_or_404, history_url, require_act
from .inputs import MAX_ID, int_arg, page_in, record_version
from .references import suggest_reference, suggestion, suggestion_moved
from .survivors import cases_of_person, person_words

bp = Blueprint("cases", __name__, url_prefix="/cases")
PAGE_SIZE = 25


@bp.route("")
def index():
    """The list of cases the user may see, filtered; with ?format=csv (or csv_ru) the same
    list as a CSV download (survivors' names only when asked for and allowed)."""
    registry = current_registry()
    filters, notes = case_list.read_filters(request.args, registry)
    if (form := csv_format(request.args.get("format"))) is not None:
        with_names = bool(request.args.get("with_names"))
        return case_list.download(filters, form, registry, with_names=with_names)
    matching = matching_cases(current_user, filters, today())
    total = count_cases(matching)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page, note = page_in(pages)
    notes += [note] if note else []
    offset = (page - 1) * PAGE_SIZE
    rows = case_list.listed(filters, matching=matching, limit=PAGE_SIZE, offset=offset)
    args = request.args.to_dict()
    return render_template(
        "cases/index.html",
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        page_size=PAGE_SIZE,
        args=request.args,
        filters=filters,
        stage_value=case_list.stage_value(filters),
        notes=notes,
        registry=registry,
        lawyers=all_lawyers() if sees_all_cases(current_user) else [],
        today=today(),
        page_url=lambda number: url_for("cases.index", **{**args, "page": number}),
        export_args={k: v for k, v in args.items() if k not in ("page", "format", "with_names")},
    )


def _team_choices(form: CaseForm, case: Case | None = None) -> None:
    """Active lawyers and staff, and whoever is on the case already: saving the form must not
    drop a deactivated colleague's assignment (the admin reassigns it deliberately)."""
    people = team_candidates()
    people += [u for u in (case.team if case else []) if u not in people]
    form.team.choices = options(
        (u.id, f"{u.name} ({_(u.role)})" + ("" if u.active else f" — {_('inactive')}"))
        for u in people
    )


def _backup_choices(form: CaseForm, case: Case) -> None:
    """Active lawyers, and the backup as stored even if no longer one (to be replaced)."""
    people = active_lawyers()
    if case.backup_lawyer and case.backup_lawyer not in people:
        people.append(case.backup_lawyer)
    choices = [("", _("Nobody")), *((str(u.id), u.name) for u in people)]
    form.backup_lawyer.choices = options(choices)


def _backup_of(form: CaseForm) -> User | None:
    """The lawyer chosen as backup; InvalidInput beside the field for an unknown one."""
    chosen = record_version(form.backup_lawyer.data)  # an id, checked as a version is
    if not form.backup_lawyer.data:
        return None
    user = db.session.get(User, chosen) if chosen else None
    if user is None:
        raise InvalidInput({"backup_lawyer": msg("Choose a lawyer from the list.")})
    return user


def _team_of(form: CaseForm) -> list[User]:
    return list(db.session.scalars(db.select(User).where(User.id.in_(form.team.data or []))))


@bp.route("/new", methods=["GET", "POST"])
def new():
    if not access.can_open_cases(current_user):
        abort(403)
    form = NewCaseForm(opened_on=today())
    _team_choices(form)
    route_choices(form)
    chosen = _chosen_survivor(form)
    if not form.is_submitted():
        suggest_reference(form)
    if not form.validate_on_submit():
        return _new_page(form, chosen, 400 if form.is_submitted() else 200)
    if suggestion_moved(form):
        return _new_page(form, chosen, 400)
    team = _team_of(form)
    if access.joins_cases_they_open(current_user) and current_user not in team:
        team.append(current_user)
    running = form.running.data
    try:
        route_opened_on = route_start(
            form.route_opened_on.data, form.first_fact.data, running, today()
        )
        case = open_case(
            survivor=chosen or _new_person(form),
            opened_on=form.opened_on.data,
            team=team,
            actor=current_user,
            today=today(),
            **{name: form[name].data for name in CASE_DETAILS},
        )
        record_given_consents(case, form)
        proceeding = open_route(
            current_registry(),
            case,
            form.route.data,
            actor=current_user,
            opened_on=route_opened_on,
            first_fact=form.first_fact.data,
            today=today(),
            as_history=running,
        )
    except PossibleDuplicate as error:
        _offer(form, error.matches)
        form.survivor.form.name.errors = [translated(error.errors["survivor_name"])]
        return _new_page(form, None, 400)
    except InvalidInput as error:
        if isinstance(error, ReferenceTaken):
            db.session.rollback()  # the refused INSERT spoilt the transaction
        for message in _attach_errors(form, error):
            flash(message, "error")
        return _new_page(form, chosen, 400)
    flash(_("Case %(ref)s opened.", ref=case.reference), "success")
    if running:
        return redirect(history_url(proceeding))
    return redirect(url_for("cases.show", case_id=case.id))


def _new_page(form: NewCaseForm, chosen: Survivor | None, status: int):
    year = form.opened_on.data.year if form.opened_on.data else today().year
    suggestions = {code: suggestion(code, year) for code in JURISDICTION_CODES}
    page = render_template("cases/new.html", form=form, chosen=chosen, suggestions=suggestions)
    return page, status


def _chosen_survivor(form: NewCaseForm) -> Survivor | None:
    """The person recorded already whom the new case is for: chosen among the suggestions,
    or named by the link «open another case for this person»; only someone the user may see."""
    wanted = form.existing_survivor.data if form.is_submitted() else int_arg("survivor")
    known = isinstance(wanted, int) and 1 <= wanted <= MAX_ID
    survivor = db.session.get(Survivor, wanted) if known else None
    if survivor is None or not access.can_view_survivor(current_user, survivor):
        return None
    _offer(form, [survivor])
    form.existing_survivor.data = survivor.id
    return survivor


def _offer(form: NewCaseForm, people: list[Survivor]) -> None:
    """Offer these recorded people as the new case's survivor, each with what tells them apart."""
    form.existing_survivor.choices = options((p.id, _person_label(p)) for p in people)


def _person_label(person: Survivor) -> str:
    cases = ", ".join(case.reference for case in cases_of_person(person))
    words = person_words(person)
    return " · ".join(part for part in (person.name, words, cases) if part)


def _new_person(form: NewCaseForm) -> Survivor:
    """Record the person typed in, unless someone with a similar name may be them."""
    details = form.survivor.data
    if not form.different_person.data:
        refuse_possible_duplicate(current_user, details.get("name") or "")
    return create_survivor(details, actor=current_user, today=today())


def _attach_errors(form: NewCaseForm, error: InvalidInput) -> list[str]:
    """Each message beside its field, the person's among the person's; the rest returned."""
    person = form.survivor.form
    mine = {k: v for k, v in error.errors.items() if k in person}
    for name, message in mine.items():
        person[name].errors = [*person[name].errors, translated(message)]
    rest = InvalidInput({k: v for k, v in error.errors.items() if k not in mine})
    return show_domain_errors(form, rest, "first_fact")


@bp.route("/<int:case_id>")
def show(case_id: int):
    return case_page(case_or_404(case_id))


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
def edit(case_id: int):
    case = case_or_404(case_id)
    require_act(case)
    form = CaseForm(obj=case)
    _team_choices(form, case)
    _backup_choices(form, case)
    if request.method == "GET":
        form.team.data = [u.id for u in case.team]
        form.backup_lawyer.data = str(case.backup_lawyer_id or "")
    if not form.validate_on_submit():
        if form.is_submitted() and _saved_meanwhile(form, case_id):
            # Say so first: a colleague chosen on the stale form may have left the case, and
            # the choices, since.
            return _edit_conflict(form, case_id, StaleCase())
        status = 400 if form.is_submitted() else 200
        return render_template("cases/edit.html", form=form, case=case), status
    assigns = access.can_assign_team(current_user)
    try:
        update_case(
            case,
            {name: form[name].data for name in CASE_DETAILS},
            team=_team_of(form) if assigns else None,
            expected_version=record_version(form.version.data),
            actor=current_user,
            today=today(),
            registry=current_registry(),
        )
        if assigns:  # who is told of a missed deadline is a team decision
            set_backup_lawyer(case, _backup_of(form), actor=current_user)
    except StaleCase as error:
        return _edit_conflict(form, case_id, error)
    except InvalidInput as error:
        for message in show_domain_errors(form, error, "reference"):
            flash(message, "error")
        return render_template("cases/edit.html", form=form, case=case), 400
    flash(_("Case saved."), "success")
    return redirect(url_for("cases.show", case_id=case.id))


def _saved_meanwhile(form: CaseForm, case_id: int) -> bool:
    """Whether the case was saved since the form was loaded: its version as stored now (the
    case and its team were read by separate statements, perhaps either side of a save)."""
    stored = db.session.scalar(db.select(Case.version).where(Case.id == case_id))
    return record_version(form.version.data) not in (None, stored)


def _edit_conflict(form: CaseForm, case_id: int, error: StaleCase):
    """Keep what the user typed, say that someone else saved first, and show their version."""
    db.session.rollback()
    case = db.session.get(Case, case_id)
    flash(error_text(error), "error")
    form.version.data = str(case.version)
    return render_template("cases/edit.html", form=form, case=case), 409
