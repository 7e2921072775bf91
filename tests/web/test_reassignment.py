"""Handing a deactivated colleague's open cases over, through the admin's user page and the
coordinators' dashboard: forms read from the pages and posted as a browser does."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest

from litigation.db import db
from litigation.models import AuditEntry, AuditKind, Case, Role

from ..cases.test_reassignment import close, deactivate, decide
from ..conftest import csrf_token, post_form, sign_in
from ..pages import action_of, form_with

D = dt.date


@pytest.fixture
def world(mini_app, mini_registry, create_case, create_user_):
    """A lawyer about to leave, on two open cases and a closed one; a colleague on two."""
    people = SimpleNamespace(
        admin=create_user_(Role.ADMIN, name="Admin", language="en"),
        coordinator=create_user_(Role.COORDINATOR, name="Coordinator", language="en"),
        departed=create_user_(Role.LAWYER, name="Departed lawyer"),
        colleague=create_user_(Role.LAWYER, name="Colleague"),
        staff=create_user_(Role.STAFF, name="Staff member"),
    )
    opened = {"facts": {"reported_on": D(2026, 1, 12)}}
    people.alone, proceeding = create_case(
        mini_registry, "domestic", team=[people.departed], **opened
    )
    decide(mini_registry, proceeding, D(2026, 3, 10))
    people.shared, proceeding = create_case(
        mini_registry, "domestic", team=[people.departed, people.colleague], **opened
    )
    decide(mini_registry, proceeding, D(2026, 2, 1))
    people.closed, proceeding = create_case(
        mini_registry, "domestic", team=[people.departed], **opened
    )
    close(mini_registry, proceeding)
    people.other, _ = create_case(mini_registry, "domestic", team=[people.colleague], **opened)
    db.session.commit()
    return people


@pytest.fixture
def departed(world):
    deactivate(world.admin, world.departed)
    return world.departed


def signed_in(app, user):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, user)
    return client


def field_of(case, user) -> str:
    return f"c{case.id}u{user.id}-to_user"


def hand_over(client, page_url: str, field: str, to_user, **changes):
    """Choose `to_user` in the form that has `field` on `page_url` and post it."""
    page = client.get(page_url).get_data(as_text=True)
    form = {**form_with(page, field), field: [str(to_user.id)], **changes}
    return client.post(action_of(page, field), data=form)


def team_of(case) -> set[int]:
    db.session.expire_all()
    return {user.id for user in db.session.get(Case, case.id).team}


def references(page: str) -> list[str]:
    return re.findall(r"<h3><a href=\"/cases/\d+\">([^<]+)</a>", page)


def test_deactivating_a_lawyer_keeps_their_cases_and_sends_the_admin_to_them(mini_app, world):
    admin = signed_in(mini_app, world.admin)
    user = world.departed

    response = post_form(
        admin,
        f"/admin/users/{user.id}",
        {"email": user.email, "name": user.name, "role": "lawyer", "language": "ru"},
    )

    assert response.status_code == 302
    assert response.location.endswith(f"/admin/users/{user.id}#new-lawyer")
    page = admin.get(response.location).get_data(as_text=True)
    assert "Departed lawyer is still on 2 open cases, which need a new lawyer" in page
    assert references(page) == [world.shared.reference, world.alone.reference]
    assert user.id in team_of(world.alone)  # deactivation keeps the assignment
    listing = admin.get("/admin/users").get_data(as_text=True)
    assert "2 open cases need a new lawyer" in listing
    cases_column = rf"<td>{user.email}</td><td>[^<]*</td><td>[^<]*</td><td>(\d+)</td>"
    assert re.search(cases_column, listing).group(1) == "3"  # the closed case counts too


def test_deactivating_someone_with_no_open_case_returns_to_the_list(mini_app, world):
    admin = signed_in(mini_app, world.admin)
    staff = world.staff

    response = post_form(
        admin,
        f"/admin/users/{staff.id}",
        {"email": staff.email, "name": staff.name, "role": "staff", "language": "ru"},
    )

    assert response.location.endswith("/admin/users")


def test_an_admin_hands_one_case_to_a_colleague(mini_app, world, departed):
    admin = signed_in(mini_app, world.admin)
    url = f"/admin/users/{departed.id}"

    response = hand_over(admin, url, field_of(world.alone, departed), world.colleague)

    assert response.status_code == 302
    assert team_of(world.alone) == {world.colleague.id}
    page = admin.get(url).get_data(as_text=True)
    assert "Colleague takes over case" in page
    assert references(page) == [world.shared.reference]
    [entry] = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.kind == AuditKind.TEAM_CHANGED)
    )
    assert entry.details == {
        "removed": [departed.id],
        "added": [world.colleague.id],
        "reason": "reassigned",
    }


def test_an_admin_hands_all_open_cases_to_one_colleague(mini_app, world, departed):
    admin = signed_in(mini_app, world.admin)
    url = f"/admin/users/{departed.id}"

    response = hand_over(admin, url, f"all{departed.id}-to_user", world.colleague)

    assert response.status_code == 302
    page = admin.get(url).get_data(as_text=True)
    assert "2 cases of Departed lawyer handed to Colleague." in page
    assert "No open case is waiting for a new lawyer." in page
    assert team_of(world.alone) == team_of(world.shared) == {world.colleague.id}
    assert departed.id in team_of(world.closed)


def test_all_to_one_colleague_leaves_a_case_changed_meanwhile_and_names_it(
    mini_app, world, departed
):
    admin = signed_in(mini_app, world.admin)
    url = f"/admin/users/{departed.id}"
    field = f"all{departed.id}-to_user"
    page = admin.get(url).get_data(as_text=True)
    form = {**form_with(page, field), field: [str(world.colleague.id)]}
    edit_notes(signed_in(mini_app, world.coordinator), world.alone, "Changed meanwhile")

    response = admin.post(action_of(page, field), data=form)

    assert response.status_code == 302
    after = admin.get(url).get_data(as_text=True)
    assert (
        f"1 case changed while you were looking and was not handed over: {world.alone.reference}"
        in after
    )
    assert references(after) == [world.alone.reference]
    assert team_of(world.shared) == {world.colleague.id}


def edit_notes(client, case, notes: str):
    """Save the case edit form with new notes, as its page shows it."""
    url = f"/cases/{case.id}/edit"
    form = {**form_with(client.get(url).get_data(as_text=True), "version"), "notes": [notes]}
    response = client.post(url, data=form)
    assert response.status_code == 302
    return response


def test_a_hand_over_from_a_stale_page_is_a_conflict_that_keeps_the_choice(
    mini_app, world, departed
):
    admin = signed_in(mini_app, world.admin)
    url = f"/admin/users/{departed.id}"
    field = field_of(world.alone, departed)
    page = admin.get(url).get_data(as_text=True)
    form = {**form_with(page, field), field: [str(world.colleague.id)]}
    edit_notes(signed_in(mini_app, world.coordinator), world.alone, "Changed meanwhile")

    response = admin.post(action_of(page, field), data=form)

    assert response.status_code == 409
    answer = response.get_data(as_text=True)
    assert "Someone else saved this case while you were editing it." in answer
    again = form_with(answer, field)
    assert again[field] == [str(world.colleague.id)]  # the choice is kept
    assert again[f"c{world.alone.id}u{departed.id}-version"] == ["2"]  # ready to send again
    assert team_of(world.alone) == {departed.id}


def test_a_hand_over_moves_the_version_so_a_stale_case_edit_cannot_undo_it(
    mini_app, world, departed
):
    coordinator = signed_in(mini_app, world.coordinator)
    url = f"/cases/{world.alone.id}/edit"
    stale = form_with(coordinator.get(url).get_data(as_text=True), "version")
    hand_over(
        signed_in(mini_app, world.admin),
        f"/admin/users/{departed.id}",
        field_of(world.alone, departed),
        world.colleague,
    )

    response = coordinator.post(url, data=stale)  # still lists the departed lawyer

    assert response.status_code == 409
    assert "Someone else saved this case while you were editing it." in response.get_data(
        as_text=True
    )
    assert team_of(world.alone) == {world.colleague.id}


def test_a_colleague_who_cannot_take_over_is_refused_next_to_the_field(mini_app, world, departed):
    admin = signed_in(mini_app, world.admin)
    field = field_of(world.alone, departed)

    response = hand_over(admin, f"/admin/users/{departed.id}", field, world.staff)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    next_to_the_field = rf'<select id="{field}"[^>]*>.*?</select>\s*<p class="error" role="alert">'
    assert re.search(
        next_to_the_field + "Staff member is staff and cannot act on cases", page, re.S
    )
    assert team_of(world.alone) == {departed.id}


def test_the_dashboard_lists_exactly_the_open_cases_needing_a_new_lawyer(mini_app, world, departed):
    coordinator = signed_in(mini_app, world.coordinator)

    page = coordinator.get("/dashboard/new-lawyer").get_data(as_text=True)

    assert references(page) == [world.shared.reference, world.alone.reference]
    assert "Cases needing a new lawyer (2)" in coordinator.get("/dashboard").get_data(as_text=True)
    shared, alone = page.split(f">{world.alone.reference}</a>")
    assert "An active lawyer is still on the case." in shared
    assert "No active lawyer is on the case." in alone
    assert "Appeal" in alone  # its open deadline


def test_a_coordinator_hands_a_case_over_from_the_dashboard(mini_app, world, departed):
    coordinator = signed_in(mini_app, world.coordinator)

    response = hand_over(
        coordinator, "/dashboard/new-lawyer", field_of(world.shared, departed), world.colleague
    )

    assert response.status_code == 302
    assert "/dashboard/new-lawyer" in response.location
    assert team_of(world.shared) == {world.colleague.id}
    page = coordinator.get(response.location).get_data(as_text=True)
    assert references(page) == [world.alone.reference]


@pytest.mark.parametrize("role", [Role.LAWYER, Role.STAFF])
def test_lawyers_and_staff_may_not_see_or_hand_over(mini_app, world, departed, role):
    colleague = world.colleague if role == Role.LAWYER else world.staff
    client = signed_in(mini_app, colleague)
    token = csrf_token(client, "/")
    case_door = f"/dashboard/new-lawyer/cases/{world.alone.id}/users/{departed.id}"
    data = {"csrf_token": token, field_of(world.alone, departed): str(colleague.id)}

    assert client.get("/dashboard/new-lawyer").status_code == 403
    assert client.post(case_door, data=data).status_code == 403
    assert client.post(f"/dashboard/new-lawyer/users/{departed.id}", data=data).status_code == 403
    admin_door = f"/admin/users/{departed.id}/cases/{world.alone.id}/reassign"
    assert client.post(admin_door, data=data).status_code == 403
    assert team_of(world.alone) == {departed.id}


@pytest.mark.parametrize("chosen", ["", "abc", "0", "-1", "2147483648", "99999", "1e3"])
def test_no_colleague_or_nonsense_is_asked_again_next_to_the_field(
    mini_app, world, departed, chosen
):
    admin = signed_in(mini_app, world.admin)
    field = field_of(world.alone, departed)

    response = hand_over(admin, f"/admin/users/{departed.id}", field, world.colleague)
    assert response.status_code == 302  # the door works; now the same with nonsense
    field = field_of(world.shared, departed)
    page = admin.get(f"/admin/users/{departed.id}").get_data(as_text=True)
    response = admin.post(action_of(page, field), data={**form_with(page, field), field: chosen})

    assert response.status_code == 400
    assert re.search(
        rf'id="{field}".*?<p class="error" role="alert">Choose a colleague.',
        response.get_data(as_text=True),
        re.S,
    )
    assert team_of(world.shared) == {departed.id, world.colleague.id}


@pytest.mark.parametrize("version", ["", "x", "99999999999", "0"])
def test_a_form_with_a_version_that_is_not_the_case_s_is_a_conflict(
    mini_app, world, departed, version
):
    admin = signed_in(mini_app, world.admin)
    field = field_of(world.alone, departed)

    response = hand_over(
        admin,
        f"/admin/users/{departed.id}",
        field,
        world.colleague,
        **{f"c{world.alone.id}u{departed.id}-version": version},
    )

    assert response.status_code == 409
    assert team_of(world.alone) == {departed.id}


@pytest.mark.parametrize("versions", ["", "garbage", "1:x 2 :3", "999:1"])
def test_an_all_to_form_with_no_case_it_showed_hands_over_nothing(
    mini_app, world, departed, versions
):
    admin = signed_in(mini_app, world.admin)
    field = f"all{departed.id}-to_user"

    response = hand_over(
        admin,
        f"/admin/users/{departed.id}",
        field,
        world.colleague,
        **{f"all{departed.id}-versions": versions},
    )

    assert response.status_code == 302
    page = admin.get(response.location).get_data(as_text=True)
    assert "There was nothing left to hand over." in page
    assert team_of(world.alone) == {departed.id}


def test_a_case_the_departed_user_is_not_on_says_so(mini_app, world, departed):
    admin = signed_in(mini_app, world.admin)
    door = f"/dashboard/new-lawyer/cases/{world.other.id}/users/{departed.id}"
    field = field_of(world.other, departed)
    data = {field: str(world.colleague.id), f"c{world.other.id}u{departed.id}-version": "1"}

    response = post_form(admin, door, data, form_url="/dashboard/new-lawyer")

    assert response.status_code == 400
    assert "Departed lawyer is not on this case&#39;s team." in response.get_data(as_text=True)
