"""WTForms forms. The fire form is built from the facts a transition records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Field,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..accounts import active_lawyers
from ..cases.access import sees_all_cases
from ..errors import InvalidInput, msg
from ..models import FeedKind
from ..registry import current_registry
from ..workflows.spec import ConsentScope, FactSpec, FactType, Transition, WorkflowSet
from .consent_words import MANNER_LABELS, SCOPE_LABELS
from .context import lang
from .filters import translated

OCCURRED_ON = "occurred_on"


def options(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs (WTForms 3.3 deprecates bare tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


JURISDICTIONS = options([("KZ", _l("Kazakhstan")), ("TJ", _l("Tajikistan"))])
JURISDICTION_CODES = tuple(choice.value for choice in JURISDICTIONS)
MANNERS = options([("", "—"), *((m.value, label) for m, label in MANNER_LABELS.items())])
REPRISAL_RISK = options(
    [
        ("unknown", _l("Not assessed")),
        ("low", _l("Low")),
        ("medium", _l("Medium")),
        ("high", _l("High")),
    ]
)


def not_in_future(today: dt.date):
    def check(_form: FlaskForm, field: Field) -> None:
        if field.data and field.data > today:
            raise ValidationError(_l("A date of something that happened cannot be in the future."))

    return check


def _fact_field(spec: FactSpec, required: bool, today: dt.date, default: Any = None) -> Field:
    language = lang()
    label = spec.label.get(language)
    presence = [InputRequired()] if required else [Optional()]
    if spec.type is FactType.DATE:
        return DateField(label, validators=[*presence, not_in_future(today)], default=default)
    if spec.type is FactType.CHOICE:
        choices = options([("", "—")] + [(c, spec.choice_label(c, language)) for c in spec.choices])
        return SelectField(label, choices=choices, validators=presence)
    if spec.type is FactType.BOOL:
        return BooleanField(label)
    return TextAreaField(label, validators=[*presence, Length(max=2000)])


def fire_form_class(
    workflows: WorkflowSet, transition: Transition, today: dt.date, *, past: bool = False
) -> type[FlaskForm]:
    """A form asking exactly for the facts `transition` records (the event date first).

    The event's date starts as today, or empty for a past step (`past`): a step entered as
    history must not be dated today by a date left as it was."""
    fields: dict[str, Field] = {}
    default = None if past else today
    if transition.event_date:
        spec = workflows.facts[transition.event_date]
        fields[transition.event_date] = _fact_field(spec, True, today, default=default)
    else:
        fields[OCCURRED_ON] = DateField(
            _l("Date of the event"),
            validators=[InputRequired(), not_in_future(today)],
            default=default,
        )
    for name in transition.records:
        if name != transition.event_date:
            fields[name] = _fact_field(workflows.facts[name], True, today)
    for name in transition.optional:
        fields[name] = _fact_field(workflows.facts[name], False, today)
    fields["note"] = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    fields["version"] = HiddenField()
    return type(f"FireForm_{transition.trigger}", (FlaskForm,), fields)


def fact_values(form: FlaskForm, transition: Transition) -> dict[str, Any]:
    """The facts typed into a fire form, keyed by fact name."""
    names = (*transition.records, *transition.optional)
    if transition.event_date:
        names = (transition.event_date, *names)
    return {name: form[name].data for name in dict.fromkeys(names) if name in form}


def route_start(
    start: dt.date | None, first_fact: dt.date | None, running: bool, today: dt.date
) -> dt.date:
    """The date a route starts: as given; else, for a running case, the date of its opening
    event (the first event of its history); else today."""
    if start:
        return start
    if not running:
        return today
    if first_fact:
        return first_fact
    raise InvalidInput(
        {
            "route_opened_on": msg(
                "Give the date the route started, or the date of its opening event: "
                "the case is already running."
            )
        }
    )


def show_domain_errors(form: FlaskForm, error: InvalidInput, fallback: str) -> list[str]:
    """Attach a domain error to its field; return messages that belong to no field."""
    loose = []
    for name, message in error.errors.items():
        message = translated(message)
        target = name if name in form else fallback if fallback in form else None
        if target:
            form[target].errors = [*form[target].errors, message]
        else:
            loose.append(message)
    return loose


def correct_form_class(workflows: WorkflowSet, names: list[str]) -> type[FlaskForm]:
    """A form with every date an event records or may record, labelled as on its step's form."""
    language = lang()
    fields: dict[str, Field] = {}
    for name in names:
        label = (
            _l("Date of the event")
            if name == OCCURRED_ON
            else workflows.facts[name].label.get(language)
        )
        fields[name] = DateField(label, validators=[Optional()])
    fields["note"] = TextAreaField(
        _l("Why the correction, or where the date comes from"),
        validators=[DataRequired(), Length(max=2000)],
    )
    fields["version"] = HiddenField()
    return type("CorrectEventForm", (FlaskForm,), fields)


class OverrideDeadlineForm(FlaskForm):
    due_date = DateField(_l("New due date"), validators=[Optional()])
    reason = TextAreaField(
        _l("Reason (e.g. period restored by the court, extension granted)"),
        validators=[DataRequired(), Length(max=2000)],
    )
    version = HiddenField()


SEXES = options(
    [
        ("unknown", _l("Not stated")),
        ("female", _l("Female")),
        ("male", _l("Male")),
        ("other", _l("Other")),
    ]
)
AGE_GROUPS = options(
    [
        ("", "—"),
        ("minor", _l("Under 18")),
        ("18_35", _l("18 to 35")),
        ("36_59", _l("36 to 59")),
        ("60_plus", _l("60 and older")),
        ("unknown", _l("Not known")),
    ]
)


class PersonFields(Form):
    """What is recorded about a survivor: on the new-case form and the person's own form."""

    # Required by the domain when a person is created: on the new-case form, a person chosen
    # from those recorded already needs no name typed.
    name = StringField(_l("Survivor's name"), validators=[Optional(), Length(max=200)])
    sex = SelectField(_l("Sex"), choices=SEXES, default="unknown")
    birth_year = IntegerField(
        _l("Year of birth"), validators=[Optional(), NumberRange(min=1900, max=2200)]
    )
    age_group = SelectField(
        _l("Age at the time of the incident, if the year of birth is not known"),
        choices=AGE_GROUPS,
        default="",
    )
    contact = StringField(_l("Contact (kept minimal)"), validators=[Optional(), Length(max=300)])
    reprisal_risk = SelectField(_l("Risk of reprisals"), choices=REPRISAL_RISK, default="unknown")
    notes = TextAreaField(_l("Notes on the person"), validators=[Optional(), Length(max=10000)])


class SurvivorForm(FlaskForm, PersonFields):
    version = HiddenField()


class CheckboxesField(SelectMultipleField):
    """A choice of several as a list of checkboxes: who is chosen now stays ticked, and leaving
    someone out takes an untick, not a mis-tap in a multi-select list."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CaseForm(FlaskForm):
    reference = StringField(_l("Reference"), validators=[DataRequired(), Length(max=40)])
    jurisdiction = SelectField(_l("Jurisdiction"), choices=JURISDICTIONS)
    incident_date = DateField(_l("Date of the incident"), validators=[Optional()])
    incident_place = StringField(
        _l("Place (police station, detention facility)"), validators=[Optional(), Length(max=300)]
    )
    authority = StringField(
        _l("Authority allegedly responsible"), validators=[Optional(), Length(max=300)]
    )
    ill_treatment_forms = TextAreaField(
        _l("Forms of ill-treatment"), validators=[Optional(), Length(max=5000)]
    )
    forensic_exam_done = BooleanField(
        _l("Forensic or medical examination done (Istanbul Protocol)")
    )
    forensic_exam_on = DateField(_l("Date of the examination"), validators=[Optional()])
    rehabilitation_referrals = TextAreaField(
        _l("Referrals to medical, psychological and social rehabilitation"),
        validators=[Optional(), Length(max=5000)],
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10000)])
    team = CheckboxesField(_l("Lawyers and staff on the case"), coerce=int, validators=[Optional()])
    # Checked by the operation (cases/backup.py), which says why beside the field.
    backup_lawyer = SelectField(
        _l("Backup lawyer (told when a deadline is missed or a stage stalls)"),
        validate_choice=False,
    )
    version = HiddenField()


class NewCaseForm(CaseForm):
    backup_lawyer = None  # chosen once the case has its team, on its edit page
    # A person recorded already (chosen from the suggestions, or from their page), else the
    # person described in `survivor`.
    existing_survivor = RadioField(
        _l("The same person?"), coerce=int, choices=[], validate_choice=False
    )
    different_person = BooleanField(_l("This is a different person"))
    # The reference the form suggested: left as it was, it follows the jurisdiction and year.
    suggested_reference = HiddenField()
    survivor = FormField(PersonFields, separator="_")
    opened_on = DateField(_l("Date the case was opened"), validators=[InputRequired()])
    route = SelectField(_l("First route"))
    route_opened_on = DateField(_l("Date the route starts"), validators=[Optional()])
    first_fact = DateField(
        _l("Date of the opening event (e.g. the report)"), validators=[Optional()]
    )
    running = BooleanField(
        _l("This case is already running: next, enter the steps already taken, oldest first")
    )
    # Consents the survivor gave before the case was opened: one record each, one date
    # (later ones are recorded and withdrawn on the case page).
    consent_litigation = BooleanField(SCOPE_LABELS[ConsentScope.LITIGATION])
    consent_publication = BooleanField(SCOPE_LABELS[ConsentScope.PUBLICATION])
    consent_un_name = BooleanField(SCOPE_LABELS[ConsentScope.UN_NAME])
    consent_sharing = BooleanField(SCOPE_LABELS[ConsentScope.SHARING])
    consent_medical = BooleanField(SCOPE_LABELS[ConsentScope.MEDICAL])
    consent_given_on = DateField(_l("Date these consents were given"), validators=[Optional()])
    consent_form = SelectField(_l("How they were given"), choices=MANNERS, validators=[Optional()])


class NewProceedingForm(FlaskForm):
    route = SelectField(_l("Route"))
    opened_on = DateField(_l("Date the route starts"), validators=[Optional()])
    first_fact = DateField(_l("Date of the opening event"), validators=[Optional()])
    running = BooleanField(
        _l("This route is already running: next, enter the steps already taken, oldest first")
    )


class CalculatorForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    anchor = DateField(_l("Date of the event"), validators=[InputRequired()])
    amount = IntegerField(_l("Length"), validators=[InputRequired()])
    unit = SelectField(
        _l("Unit"),
        choices=options(
            [("d", _l("days")), ("wd", _l("working days")), ("m", _l("months")), ("y", _l("years"))]
        ),
    )
    calendar = SelectField(_l("Calendar"))
    roll = BooleanField(_l("Move a last day off a non-working day"), default=True)


KINDS = options(
    [
        (FeedKind.MINE.value, _l("Cases assigned to me")),
        (FeedKind.CASE.value, _l("One case")),
        (FeedKind.TEAM.value, _l("Every case I can see (filter below)")),
    ]
)
PARTIES = {
    "us": _l("our side"),
    "state": _l("the state"),
    "court": _l("the court"),
    "committee": _l("the committee"),
}
ANY = SelectChoice("", "—")


class FeedForm(FlaskForm):
    name = StringField(_l("Name of the calendar"), validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("Deadlines of"), choices=KINDS, default=FeedKind.MINE.value)
    case = StringField(_l("Case reference (for one case)"), validators=[Optional(), Length(max=40)])
    route = SelectField(_l("Route"), validators=[Optional()])
    jurisdiction = SelectField(
        _l("Jurisdiction"), choices=[ANY, *JURISDICTIONS], validators=[Optional()]
    )
    lawyer = SelectField(_l("Lawyer"), validators=[Optional()])
    stage = SelectField(_l("Stage"), validators=[Optional()])
    reminder_events = BooleanField(
        _l("Also add each reminder as an all-day event (Google Calendar and Outlook ignore alarms)")
    )
    with_names = BooleanField(
        _l("Show survivors' names and case notes (the calendar provider will store them)")
    )


def prepare_feed_form(form: FeedForm) -> FeedForm:
    """Fill the route, stage and lawyer choices for the signed-in user."""
    language = lang()
    routes = current_registry().workflows.routes.values()
    form.route.choices = [ANY, *options((r.id, r.title.get(language)) for r in routes)]
    form.stage.choices = [ANY] + [
        SelectChoice(stage.id, stage.label.get(language), optgroup=route.title.get(language))
        for route in routes
        for stage in route.stages
    ]
    lawyers = active_lawyers() if sees_all_cases(current_user) else []
    form.lawyer.choices = [ANY, *options((str(u.id), u.name) for u in lawyers)]
    return form
