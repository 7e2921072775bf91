"""When workflows.yaml changes, `litigation recalc` lists and applies what moves, and a file that
would strand open proceedings is refused until `litigation migrate-stage` moves them."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from flask import Flask

from litigation.cases import correct_event, fire, override_deadline, recalc
from litigation.db import db
from litigation.models import Deadline, Event, Proceeding, Role
from litigation.workflows import WorkflowError
from litigation.workflows.fingerprints import route_version

from ..conftest import MINIMAL_WORKFLOWS, TODAY, sign_in

D = dt.date
DECIDE = {"decided_on": D(2026, 3, 5), "learned_on": D(2026, 3, 10), "outcome": "refused"}


def _decided(mini_registry, create_case) -> tuple[Proceeding, Deadline]:
    _case, proceeding = create_case(
        mini_registry, "domestic", facts={"reported_on": D(2026, 1, 12)}
    )
    result = fire(
        mini_registry, proceeding, "decide", actor=None, occurred_on=None, today=TODAY, facts=DECIDE
    )
    db.session.commit()
    return proceeding, result.opened[0]


@pytest.fixture
def other_workflows(tmp_path: Path, app_for):
    """A factory of apps on the same database, each with an edited copy of minimal.yaml."""
    made = iter(range(1000))

    def make(edit, **kw) -> Flask:
        path = tmp_path / f"workflows-{next(made)}.yaml"
        path.write_text(edit(MINIMAL_WORKFLOWS.read_text(encoding="utf-8")), encoding="utf-8")
        return app_for(path, **kw)

    return make


def _ten_days(text: str) -> str:
    return text.replace("period: 15d", "period: 10d", 1)


def test_recalc_lists_what_a_changed_period_moves_then_applies_it_as_an_event(
    mini_registry, create_case, other_workflows
):
    proceeding, deadline = _decided(mini_registry, create_case)
    assert deadline.due_date == D(2026, 3, 26)
    sequence = deadline.sequence
    changed = other_workflows(_ten_days)

    with changed.app_context():
        runner = changed.test_cli_runner()
        listed = runner.invoke(args=["recalc"])
        assert listed.exit_code == 0, listed.output
        # 10 days from Tuesday 10 March 2026 end on Friday 20 March, a working day in KZ.
        assert re.search(
            r"appeal \(decided\): 2026-03-26 -> 2026-03-20 — due 2026-03-20", listed.output
        )
        assert "1 deadline(s) would change" in listed.output
        refused = runner.invoke(args=["recalc", "--apply"])
        assert refused.exit_code == 2
        assert "Say why" in refused.output
        applied = runner.invoke(args=["recalc", "--apply", "--reason", "CPC amended"])
        assert "Recalculated 1 deadline(s)" in applied.output, applied.output
        again = runner.invoke(args=["recalc"])
        assert "Every open deadline matches workflows.yaml." in again.output

    db.session.expire_all()
    stored = db.session.get(Deadline, deadline.id)
    assert (stored.due_date, stored.computed_due, stored.sequence) == (
        D(2026, 3, 20),
        D(2026, 3, 20),
        sequence + 1,
    )
    [event] = db.session.scalars(db.select(Event).filter_by(trigger="recalculate_deadline"))
    assert (event.note, event.facts["from"], event.facts["to"]) == (
        "CPC amended",
        "2026-03-26",
        "2026-03-20",
    )
    assert db.session.get(Proceeding, proceeding.id).stage == "decided"


def test_recalc_lists_an_overridden_deadline_and_leaves_it_alone(
    mini_registry, create_case, other_workflows
):
    _proceeding, deadline = _decided(mini_registry, create_case)
    override_deadline(
        deadline, actor=None, new_due=D(2026, 4, 15), reason="Restored by the court", today=TODAY
    )
    db.session.commit()
    changed = other_workflows(_ten_days)

    with changed.app_context():
        runner = changed.test_cli_runner()
        listed = runner.invoke(args=["recalc"])
        assert "(overridden by hand: kept at 2026-04-15)" in listed.output
        applied = runner.invoke(args=["recalc", "--apply", "--reason", "CPC amended"])
        assert (
            "Recalculated 0 deadline(s); 1 overridden by hand left as they are." in applied.output
        )

    db.session.expire_all()
    stored = db.session.get(Deadline, deadline.id)
    assert (stored.due_date, stored.computed_due) == (D(2026, 4, 15), D(2026, 3, 26))


def test_an_unchanged_file_has_nothing_to_recalculate(mini_app, mini_registry, create_case):
    _decided(mini_registry, create_case)

    result = mini_app.test_cli_runner().invoke(args=["recalc"])

    assert "Every open deadline matches workflows.yaml." in result.output


def test_a_date_correction_keeps_the_fingerprint_current(mini_registry, create_case):
    _proceeding, _deadline = _decided(mini_registry, create_case)
    event = db.session.scalars(db.select(Event).filter_by(trigger="decide")).one()
    correct_event(
        mini_registry, event, actor=None, changes={"learned_on": D(2026, 3, 12)}, today=TODAY
    )
    db.session.commit()

    assert recalc.stale_fingerprints(mini_registry) == 0
    assert recalc.pending(mini_registry) == []


def _rename_decided(text: str) -> str:
    return re.sub(r"(?<!\w)decided(?!\w)", "decision", text)


def test_a_file_that_strands_open_proceedings_is_refused_until_they_are_moved(
    mini_registry, create_case, other_workflows
):
    proceeding, _deadline = _decided(mini_registry, create_case)

    with pytest.raises(WorkflowError) as refused:
        other_workflows(_rename_decided)
    [problem] = refused.value.problems
    assert f"proceeding {proceeding.id} of case T-" in problem.message
    assert "stage 'decided' that route 'domestic' no longer has" in problem.message
    assert "litigation migrate-stage domestic decided NEW_STAGE --reason TEXT" in problem.message

    tolerant = other_workflows(_rename_decided, allow_stranded=True)
    with tolerant.app_context():
        moved = tolerant.test_cli_runner().invoke(
            args=["migrate-stage", "domestic", "decided", "decision", "--reason", "Renamed"]
        )
        assert "Moved 1 proceeding(s) of domestic from decided to decision." in moved.output

    other_workflows(_rename_decided)  # starts now
    db.session.expire_all()
    stored = db.session.get(Proceeding, proceeding.id)
    assert stored.stage == "decision"
    assert [d.stage for d in stored.deadlines] == ["decision"]
    assert stored.events[-1].trigger == "migrate_stage"


def test_each_proceeding_records_the_version_of_its_route(mini_registry, create_case):
    _case, proceeding = create_case(
        mini_registry, "domestic", facts={"reported_on": D(2026, 1, 12)}
    )

    assert proceeding.route_version == route_version(mini_registry.route("domestic"))


def test_the_admin_pages_warn_while_a_recalculation_is_pending(
    mini_app, mini_registry, create_case, create_user_
):
    _proceeding, deadline = _decided(mini_registry, create_case)
    admin = create_user_(Role.ADMIN, language="en")
    client = mini_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, admin)
    calm = client.get("/admin/users").get_data(as_text=True)
    deadline.fingerprint = "computed-with-an-older-file"
    db.session.commit()

    warned = client.get("/admin/users").get_data(as_text=True)

    assert "litigation recalc" not in calm
    assert "1 open deadline was computed with a rule or calendar" in warned
