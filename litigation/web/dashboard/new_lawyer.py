"""Cases needing a new lawyer, on the coordinators' dashboard: every open case with a
deactivated colleague on its team, the nearest deadline first, with the hand-over forms."""

from __future__ import annotations

from typing import Any

from flask import render_template, url_for

from ..context import today
from ..inputs import page_arg
from .handover import build, reassign_everything, reassign_one
from .views import _sections, bp


def _page(**submitted: Any) -> str:
    """The dashboard's page: every orphaned open case, the nearest deadline first."""
    return render_template(
        "dashboard/new_lawyer.html",
        handover=build(**submitted),
        sections=_sections(),
        common={},
        today=today(),
        page_url=lambda number: url_for("dashboard.new_lawyer", page=number),
        action=lambda case, user, page: url_for(
            "dashboard.reassign_case", case_id=case.id, user_id=user.id, page=page
        ),
        all_action=lambda user, page: url_for(
            "dashboard.reassign_user", user_id=user.id, page=page
        ),
    )


def _back() -> str:
    return url_for("dashboard.new_lawyer", page=page_arg())


@bp.route("/new-lawyer")
def new_lawyer():
    return _page()


@bp.route("/new-lawyer/cases/<int:case_id>/users/<int:user_id>", methods=["POST"])
def reassign_case(case_id: int, user_id: int):
    return reassign_one(case_id, user_id, _page, _back())


@bp.route("/new-lawyer/users/<int:user_id>", methods=["POST"])
def reassign_user(user_id: int):
    return reassign_everything(user_id, _page, _back())
