"""Cases: the list with search and filters, opening a case, the case page, editing it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from ..accounts import all_lawyers
from ..cases.access import can_act, sees_all_cases, visible_cases
from ..cases.operations import open_case, open_proceeding
from ..cases.state import steps_for
from ..db import db
from ..errors import InvalidInput
from ..models import Case, Deadline, DeadlineStatus, Proceeding, Role, User
from ..registry import current_registry
from .context import today
from .diagram import route_svg
from .forms import CaseForm, NewCaseForm, NewProceedingForm, options, show_domain_errors
from .helpers import case_or_404, require_act

bp = Blueprint("cases", __name__, url_prefix="/cases")
PAGE_SIZE = 25
CASE_FIELDS = (
    "reference",
    "survivor_name",
    "survivor_contact",
    "jurisdiction",
    "incident_date",
    "incident_place",
    "authority",
    "ill_treatment_forms",
    "forensic_exam_done",
    "forensic_exam_on",
    "consent_to_litigation",
    "consent_to_publication",
    "reprisal_risk",
    "rehabilitation_referrals",
    "notes",
)


def _next_due():
    return (
        db.select(Proceeding.case_id, func.min(Deadline.due_date).label("next_due"))
        .join(Deadline)
        .where(Deadline.status == DeadlineStatus.OPEN)
        .group_by(Proceeding.case_id)
        .subquery()
    )


def _filtered_cases(args):
    next_due = _next_due()
    query = visible_cases(current_user).outerjoin(next_due, next_due.c.case_id == Case.id)
    if text := args.get("q", "").strip():
        pattern = f"%{text}%"
        query = query.where(or_(Case.reference.ilike(pattern), Case.survivor_name.ilike(pattern)))
    if jurisdiction := args.get("jurisdiction"):
        query = query.where(Case.jurisdiction == jurisdiction)
    route, stage = args.get("route"), args.get("stage")
    if route or stage:
        match = Proceeding.closed_on.is_(None)
        match &= Proceeding.route == route if route else True
        match &= Proceeding.stage == stage if stage else True
        query = query.where(Case.proceedings.any(match))
    if lawyer := args.get("lawyer", type=int):
        query = query.where(Case.team.any(id=lawyer))
    if args.get("overdue"):
        query = query.where(next_due.c.next_due < today())
    order = {
        "reference": [Case.reference],
        "opened": [Case.opened_on.desc(), Case.id.desc()],
    }.get(
        args.get("sort", ""), [next_due.c.next_due.is_(None), next_due.c.next_due, Case.reference]
    )
    return query.add_columns(next_due.c.next_due).order_by(*order)


@bp.route("")
def index():
    page = max(request.args.get("page", 1, type=int), 1)
    query = _filtered_cases(request.args)
    total = db.session.scalar(db.select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    cases = [row[0] for row in rows]
    db.session.scalars(
        db.select(Case)
        .where(Case.id.in_([c.id for c in cases]))
        .options(selectinload(Case.proceedings), selectinload(Case.team))
    ).all()
    registry = current_registry()
    lawyers = all_lawyers()
    return render_template(
        "cases/index.html",
        rows=rows,
        total=total,
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        args=request.args,
        registry=registry,
        lawyers=lawyers if sees_all_cases(current_user) else [],
        today=today(),
        page_url=lambda number: url_for(
            "cases.index", **{**request.args.to_dict(), "page": number}
        ),
    )


def _team_choices(form: CaseForm) -> None:
    users = db.session.scalars(
        db.select(User)
        .where(User.active, User.role.in_([Role.LAWYER, Role.STAFF]))
        .order_by(User.name)
    )
    form.team.choices = options((u.id, f"{u.name} ({u.role})") for u in users)


def route_choices(form, jurisdiction: str | None = None) -> None:
    routes = current_registry().workflows.routes.values()
    form.route.choices = options(
        (route.id, route.title.get(_lang()))
        for route in routes
        if jurisdiction is None or jurisdiction in route.jurisdictions
    )


def _lang() -> str:
    from flask import g

    return getattr(g, "lang", "ru")


def open_route(case: Case, route_id: str, opened_on, first_fact) -> None:
    """Open `route_id` for the case; the form's one date fills the route's first opening fact."""
    route = current_registry().route(route_id)
    facts = {route.opening_facts[0]: first_fact} if route.opening_facts else {}
    open_proceeding(
        current_registry(),
        case,
        route_id,
        actor=current_user,
        opened_on=opened_on,
        today=today(),
        facts=facts,
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    if current_user.role not in (Role.ADMIN, Role.COORDINATOR, Role.LAWYER):
        abort(403)
    form = NewCaseForm(opened_on=today(), route_opened_on=today())
    _team_choices(form)
    route_choices(form)
    if form.validate_on_submit():
        team = db.session.scalars(db.select(User).where(User.id.in_(form.team.data or []))).all()
        if current_user.role == Role.LAWYER and current_user not in team:
            team = [*team, current_user]  # a lawyer who opens a case works on it
        details = {name: form[name].data for name in CASE_FIELDS}
        try:
            case = open_case(opened_on=form.opened_on.data, team=team, **details)
            open_route(case, form.route.data, form.route_opened_on.data, form.first_fact.data)
        except InvalidInput as error:
            db.session.rollback()
            for message in show_domain_errors(form, error, "first_fact"):  # translated
                flash(message, "error")
            return render_template("cases/new.html", form=form), 400
        db.session.commit()
        flash(_("Case %(ref)s opened.", ref=case.reference), "success")
        return redirect(url_for("cases.show", case_id=case.id))
    status = 400 if form.is_submitted() else 200
    return render_template("cases/new.html", form=form), status


@bp.route("/<int:case_id>")
def show(case_id: int):
    case = case_or_404(case_id)
    registry = current_registry()
    day = today()
    may_act = can_act(current_user, case)
    proceedings = []
    for proceeding in case.proceedings:
        if proceeding.route not in registry.workflows.routes:
            continue
        route = registry.route(proceeding.route)
        proceedings.append(
            {
                "proceeding": proceeding,
                "route": route,
                "stage": route.stage(proceeding.stage)
                if route.has_stage(proceeding.stage)
                else None,
                "steps": steps_for(registry, proceeding, day, may_act)
                if proceeding.closed_on is None
                else [],
                "svg": route_svg(route, proceeding.stage, _lang()),
            }
        )
    form = NewProceedingForm(opened_on=day)
    route_choices(form, case.jurisdiction)
    return render_template(
        "cases/show.html",
        case=case,
        proceedings=proceedings,
        today=day,
        may_act=may_act,
        new_proceeding=form,
        registry=registry,
    )


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
def edit(case_id: int):
    case = case_or_404(case_id)
    require_act(case)
    form = CaseForm(obj=case)
    _team_choices(form)
    if request.method == "GET":
        form.team.data = [u.id for u in case.team]
    if form.validate_on_submit():
        taken = db.session.scalar(
            db.select(Case.id).where(Case.reference == form.reference.data, Case.id != case.id)
        )
        if taken:
            form.reference.errors = [_("Another case has this reference.")]
            return render_template("cases/edit.html", form=form, case=case), 400
        if str(case.version) != (form.version.data or ""):
            return _edit_conflict(form, case)
        for name in CASE_FIELDS:
            setattr(case, name, form[name].data)
        if sees_all_cases(current_user):
            case.team = list(
                db.session.scalars(db.select(User).where(User.id.in_(form.team.data or [])))
            )
        try:
            db.session.commit()
        except StaleDataError:
            db.session.rollback()
            return _edit_conflict(form, db.session.get(Case, case_id))
        flash(_("Case saved."), "success")
        return redirect(url_for("cases.show", case_id=case.id))
    status = 400 if form.is_submitted() else 200
    return render_template("cases/edit.html", form=form, case=case), status


def _edit_conflict(form: CaseForm, case: Case):
    """Keep what the user typed, say that someone else saved first, and show their version."""
    flash(
        _(
            "Someone else saved this case while you were editing it. Your changes are below, "
            "not saved: compare them with the case page and save again."
        ),
        "error",
    )
    form.version.data = str(case.version)
    return render_template("cases/edit.html", form=form, case=case), 409
