"""A case's backup lawyer: chosen on the case's edit page among the lawyers on its team,
refused beside the field otherwise, shown on the case page, cleared when they leave the team
(by an edit or a hand-over), audited as a team change, and versioned like any edit."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from litigation.accounts import update_user
from litigation.cases.backup import set_backup_lawyer
from litigation.cases.operations import update_case
from litigation.cases.reassignment import reassign
from litigation.db import db
from litigation.errors import InvalidInput
from litigation.models import AuditEntry, AuditKind, Case, Role

from ..conftest import sign_in
from ..pages import form_with

D = dt.date


@pytest.fixture
def people(mini_app, create_user_):
    return {
        "coordinator": create_user_(Role.COORDINATOR, name="Dana", language="en"),
        "first": create_user_(Role.LAWYER, name="Erlan", language="en"),
        "second": create_user_(Role.LAWYER, name="Zarina", language="en"),
        "outsider": create_user_(Role.LAWYER, name="Timur", language="en"),
        "staff": create_user_(Role.STAFF, name="Samal", language="en"),
        "admin": create_user_(Role.ADMIN, name="Aigerim", language="en"),
    }


@pytest.fixture
def case(mini_registry, create_case, people):
    case, _ = create_case(
        mini_registry,
        "domestic",
        team=[people["first"], people["second"], people["staff"]],
        facts={"reported_on": D(2026, 1, 12)},
    )
    return case


@pytest.fixture
def coordinator(mini_client, people):
    sign_in(mini_client, people["coordinator"])
    return mini_client


def _edit(client, case, **changes):
    url = f"/cases/{case.id}/edit"
    fields = form_with(client.get(url).get_data(as_text=True), "reference")
    for name, value in changes.items():
        fields[name] = value if isinstance(value, list) else [value]
    return client.post(url, data=fields)


def _backups() -> list[dict]:
    query = db.select(AuditEntry).where(AuditEntry.kind == AuditKind.TEAM_CHANGED)
    return [e.details for e in db.session.scalars(query.order_by(AuditEntry.id))]


def _stored(case: Case) -> int | None:
    db.session.expire_all()
    return db.session.get(Case, case.id).backup_lawyer_id


def test_a_coordinator_sets_a_backup_lawyer_shown_on_the_case_page(coordinator, case, people):
    saved = _edit(coordinator, case, backup_lawyer=str(people["second"].id))

    assert saved.status_code == 302
    assert _stored(case) == people["second"].id
    assert _backups() == [{"backup": people["second"].id}]
    page = coordinator.get(f"/cases/{case.id}").get_data(as_text=True)
    assert re.search(r"<dt>Backup lawyer</dt><dd>Zarina</dd>", page)
    other = coordinator.application.test_client()
    sign_in(other, people["admin"])
    assert "backup lawyer: Zarina" in other.get("/admin/audit").get_data(as_text=True)


def test_the_backup_lawyer_is_cleared(coordinator, case, people):
    _edit(coordinator, case, backup_lawyer=str(people["first"].id))

    cleared = _edit(coordinator, case, backup_lawyer="")

    assert cleared.status_code == 302
    assert _stored(case) is None
    assert _backups()[-1] == {"backup": None}


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("outsider", "Timur is not on this case's team"),
        ("staff", "Samal is not an active lawyer"),
    ],
)
def test_someone_not_a_lawyer_on_the_team_is_refused_beside_the_field(
    coordinator, case, people, who, message
):
    refused = _edit(coordinator, case, backup_lawyer=str(people[who].id), authority="Typed")

    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    field = re.search(r'<select id="backup_lawyer".*?</div>', page, re.S).group(0)
    assert message in html.unescape(field)
    assert 'value="Typed"' in page  # what was typed is kept
    assert _stored(case) is None and _backups() == []


def test_a_lawyer_ticked_onto_the_team_in_the_same_save_may_be_the_backup(
    coordinator, case, people
):
    team = [str(people[n].id) for n in ("first", "second", "staff", "outsider")]

    saved = _edit(coordinator, case, team=team, backup_lawyer=str(people["outsider"].id))

    assert saved.status_code == 302 and _stored(case) == people["outsider"].id


def test_an_unknown_backup_is_refused_not_an_error(coordinator, case):
    refused = _edit(coordinator, case, backup_lawyer="99999")

    assert refused.status_code == 400
    assert "Choose a lawyer from the list." in refused.get_data(as_text=True)


def test_taking_the_backup_off_the_team_clears_the_backup(coordinator, case, people):
    _edit(coordinator, case, backup_lawyer=str(people["second"].id))
    team = [str(people["first"].id), str(people["staff"].id)]

    saved = _edit(coordinator, case, team=team, backup_lawyer=str(people["second"].id))

    assert saved.status_code == 400  # the form still named them: said beside the field
    cleared = _edit(coordinator, case, team=team, backup_lawyer="")
    assert cleared.status_code == 302 and _stored(case) is None
    assert _backups()[-1]["removed"] == [people["second"].id]
    assert _backups()[-1]["backup"] is None


def test_an_edit_that_drops_the_backup_clears_it_by_itself(case, people):
    set_backup_lawyer(case, people["second"], actor=None)
    db.session.commit()

    update_case(case, {}, team=[people["first"]], actor=None)
    db.session.commit()

    assert _stored(case) is None
    assert _backups()[-1] == {
        "removed": sorted([people["second"].id, people["staff"].id]),
        "added": [],
        "backup": None,
    }


def test_a_hand_over_of_the_backup_s_cases_clears_the_backup(case, people):
    set_backup_lawyer(case, people["second"], actor=None)
    db.session.commit()
    departed = people["second"]
    update_user(
        people["admin"],
        departed,
        name=departed.name,
        role=departed.role,
        language=departed.language,
        active=False,
    )
    db.session.commit()

    reassign(case, departed, people["outsider"], actor=None, expected_version=case.version)
    db.session.commit()

    assert _stored(case) is None
    assert _backups()[-1]["backup"] is None


def test_the_operation_refuses_an_inactive_lawyer(case, people):
    people["first"].active = False
    db.session.commit()

    with pytest.raises(InvalidInput) as refused:
        set_backup_lawyer(case, people["first"], actor=None)

    assert "not an active lawyer" in refused.value.errors["backup_lawyer"]


def test_a_stale_form_does_not_overwrite_the_backup(mini_app, coordinator, case, people):
    url = f"/cases/{case.id}/edit"
    stale = form_with(coordinator.get(url).get_data(as_text=True), "reference")
    assert _edit(coordinator, case, backup_lawyer=str(people["first"].id)).status_code == 302

    stale["backup_lawyer"] = [str(people["second"].id)]
    refused = coordinator.post(url, data=stale)

    assert refused.status_code == 409
    assert _stored(case) == people["first"].id


def test_a_lawyer_on_the_case_sees_no_backup_field_and_changes_nothing(mini_app, case, people):
    client = mini_app.test_client()
    sign_in(client, people["first"])
    page = client.get(f"/cases/{case.id}/edit").get_data(as_text=True)
    fields = form_with(page, "reference")
    fields["backup_lawyer"] = [str(people["first"].id)]

    saved = client.post(f"/cases/{case.id}/edit", data=fields)

    assert 'name="backup_lawyer"' not in page
    assert saved.status_code == 302 and _stored(case) is None
