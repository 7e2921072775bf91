"""The coordinators' dashboard over a small history whose figures are worked out by hand.

Today is 2026-11-27. Eight cases, built through the real operations:

  A  KZ  Lena    kz_criminal  reported 01-10, register 01-12, prosecutor 03-02, refused 03-20,
                              judge 04-01 (still there: 240 days)
  B  KZ  Marat   kz_criminal  reported 02-02, register 02-03, indict 05-04 (trial: 207 days)
  C  KZ  Lena    kz_criminal  reported 10-01, registration refused 10-05 (53 days)
  D  KZ  -       kz_criminal  reported 11-20 (7 days)
  E  TJ  Marat   tj_criminal  check 06-01, refused 06-15, court 06-20, dismissed 07-10 (140 days)
  F  KZ  Lena    un_hrc 2025-03-01 ... Views (violation) 2026-07-01 (149 days);
                 kz_compensation 08-01 ... awarded 10-01, paid 11-20; rehabilitation 09-01
  G  KZ  Marat   un_cat 03-01 ... Views (no violation) 11-10 (17 days)
  H  KZ  Marat   kz_criminal  reported 09-25, register 09-28 (investigation: 60 days)
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from typing import Any

import pytest
from babel.dates import get_month_names

from litigation.cases.consents import record_consent
from litigation.cases.corrections import correct_event
from litigation.cases.operations import fire, open_case, open_proceeding
from litigation.cases.stays import rebuild_stays
from litigation.dashboard import deadlines, milestones, stages
from litigation.dashboard.sql import Filters
from litigation.db import db
from litigation.models import Event, Role, StageStay, StayDuration
from litigation.web.dashboard.charts import bars, line
from litigation.workflows.spec import FactType

from ..conftest import TODAY, sign_in

D = dt.date
YEAR = Filters(start=D(2026, 1, 1), end=TODAY)


def _step(registry, proceeding, trigger: str, day: dt.date, **facts: Any) -> None:
    """Fire `trigger` on `day`; date facts it records default to that day."""
    transition = registry.route(proceeding.route).transition(trigger)
    for name in transition.records:
        if registry.workflows.facts[name].type is FactType.DATE:
            facts.setdefault(name, day)
    fire(registry, proceeding, trigger, actor=None, occurred_on=day, today=TODAY, facts=facts)


def _case(reference, jurisdiction, opened_on, team, authority=None):
    case = open_case(
        reference=reference,
        survivor_name=f"Survivor {reference}",
        jurisdiction=jurisdiction,
        opened_on=opened_on,
        team=team,
        authority=authority,
        incident_date=D(2024, 12, 1),
    )
    for scope in ("litigation", "sharing"):  # these cases go to the UN and to rehabilitation
        record_consent(case, {"scope": scope, "given_on": opened_on}, actor=None, today=TODAY)
    return case


def _open(registry, case, route, day, **facts):
    return open_proceeding(
        registry, case, route, actor=None, opened_on=day, today=TODAY, facts=facts
    )


@pytest.fixture
def people(app, create_user_):
    return {
        "lena": create_user_(Role.LAWYER, name="Lena", language="en"),
        "marat": create_user_(Role.LAWYER, name="Marat", language="en"),
        "nurlan": create_user_(Role.LAWYER, name="Nurlan", language="en"),
        "staff": create_user_(Role.STAFF, name="Staff", language="en"),
        "coordinator": create_user_(Role.COORDINATOR, name="Coordinator", language="en"),
    }


def _kz_cases(registry, lena, marat, staff):
    a = _open(
        registry,
        _case("A", "KZ", D(2026, 1, 10), [lena, staff], "DVD Almaty"),
        "kz_criminal",
        D(2026, 1, 10),
        reported_on=D(2026, 1, 10),
    )
    _step(registry, a, "register", D(2026, 1, 12))
    _step(registry, a, "complain_to_prosecutor", D(2026, 3, 2), complaint_subject="inaction")
    _step(registry, a, "prosecutor_refuses", D(2026, 3, 20))
    _step(registry, a, "complain_to_judge", D(2026, 4, 1))
    b = _open(
        registry,
        _case("B", "KZ", D(2026, 2, 2), [marat], "DVD Almaty"),
        "kz_criminal",
        D(2026, 2, 2),
        reported_on=D(2026, 2, 2),
    )
    _step(registry, b, "register", D(2026, 2, 3))
    _step(registry, b, "indict", D(2026, 5, 4))
    c = _open(
        registry,
        _case("C", "KZ", D(2026, 10, 1), [lena]),
        "kz_criminal",
        D(2026, 10, 1),
        reported_on=D(2026, 10, 1),
    )
    _step(registry, c, "registration_refused", D(2026, 10, 5))
    _open(
        registry,
        _case("D", "KZ", D(2026, 11, 20), [staff]),
        "kz_criminal",
        D(2026, 11, 20),
        reported_on=D(2026, 11, 20),
    )
    h = _open(
        registry,
        _case("H", "KZ", D(2026, 9, 25), [marat]),
        "kz_criminal",
        D(2026, 9, 25),
        reported_on=D(2026, 9, 25),
    )
    _step(registry, h, "register", D(2026, 9, 28))


def _tj_case(registry, marat):
    e = _open(
        registry,
        _case("E", "TJ", D(2026, 6, 1), [marat], "OVD Dushanbe"),
        "tj_criminal",
        D(2026, 6, 1),
        reported_on=D(2026, 6, 1),
    )
    _step(registry, e, "refuse_to_open", D(2026, 6, 15), refusal_decided_on=D(2026, 6, 10))
    _step(registry, e, "complain_to_court", D(2026, 6, 20))
    _step(registry, e, "court_dismisses", D(2026, 7, 10))


def _un_cases(registry, lena, marat):
    f = _case("F", "KZ", D(2025, 3, 1), [lena], "DVD Karaganda")
    hrc = _open(registry, f, "un_hrc", D(2025, 3, 1), final_domestic_decision_on=D(2025, 1, 15))
    _step(registry, hrc, "submit", D(2025, 4, 1))
    _step(registry, hrc, "register_communication", D(2025, 5, 1))
    _step(registry, hrc, "transmit", D(2025, 6, 1))
    _step(registry, hrc, "proceed_without_observations", D(2026, 1, 10))
    _step(
        registry,
        hrc,
        "adopt_views",
        D(2026, 7, 1),
        views_adopted_on=D(2026, 6, 20),
        views_outcome="violation",
    )
    money = _open(registry, f, "kz_compensation", D(2026, 8, 1))
    _step(registry, money, "prepare_civil_claim", D(2026, 8, 5))
    _step(registry, money, "file_claim", D(2026, 8, 20))
    _step(registry, money, "decide_first_instance", D(2026, 10, 1), claim_outcome="granted")
    _step(registry, money, "decision_in_force", D(2026, 11, 5))
    _step(registry, money, "paid", D(2026, 11, 20))
    _open(registry, f, "rehabilitation", D(2026, 9, 1))
    g = _open(
        registry,
        _case("G", "KZ", D(2026, 3, 1), [marat], "DVD Karaganda"),
        "un_cat",
        D(2026, 3, 1),
        final_domestic_decision_on=D(2026, 2, 1),
    )
    _step(registry, g, "submit", D(2026, 3, 10))
    _step(registry, g, "register_communication", D(2026, 4, 1))
    _step(registry, g, "transmit", D(2026, 4, 15))
    _step(registry, g, "proceed_without_observations", D(2026, 10, 20))
    _step(
        registry,
        g,
        "adopt_views",
        D(2026, 11, 10),
        views_adopted_on=D(2026, 11, 5),
        views_outcome="no_violation",
    )


@pytest.fixture
def history(registry, people):
    _kz_cases(registry, people["lena"], people["marat"], people["staff"])
    _tj_case(registry, people["marat"])
    _un_cases(registry, people["lena"], people["marat"])
    db.session.commit()
    return people


def _by_stage(rows):
    return {(row.route, row.stage): row for row in rows}


def test_bottlenecks_medians_percentiles_and_counts(registry, history):
    rows = stages.bottlenecks(registry.workflows.routes, Filters(), TODAY)
    figures = _by_stage(rows)

    # reported: 1 (B), 2 (A), 3 (H) and 4 (C) days, and D there for 7 days now.
    reported = figures["kz_criminal", "reported"]
    assert (reported.stays, reported.now, reported.over, reported.expected) == (5, 1, 1, 3)
    assert reported.median == 3  # the third of 1, 2, 3, 4, 7
    assert reported.p90 == pytest.approx(5.8)  # rank 3.6: 4 + 0.6 * (7 - 4)
    assert (reported.open_deadlines, reported.overdue) == (1, 1)  # D's ERDR registration
    # investigation: A 49 days (01-12 to 03-02), B 90 days (02-03 to 05-04), H 60 days now.
    investigation = figures["kz_criminal", "investigation"]
    assert (investigation.stays, investigation.now, investigation.over) == (3, 1, 0)
    assert investigation.median == 60
    assert investigation.p90 == pytest.approx(84)  # rank 1.8: 60 + 0.8 * 30
    assert (investigation.open_deadlines, investigation.overdue) == (1, 0)  # H's, due 11-30
    # one stay each; a stage without an expected duration has no "over" figure
    assert figures["kz_criminal", "prosecutor_complaint"].median == 18
    assert figures["kz_criminal", "registration_refused"].over is None
    assert figures["un_hrc", "transmitted"].median == 223  # 2025-06-01 to 2026-01-10
    assert figures["un_cat", "views_adopted"].now == 1
    # the worst first: over the expected duration, then overdue deadlines, then the median
    assert [(row.route, row.stage) for row in rows[:6]] == [
        ("kz_criminal", "judge_complaint"),  # 240 days > 10, overdue ruling
        ("kz_criminal", "reported"),  # 7 days > 3, overdue registration
        ("kz_criminal", "trial"),  # 207 days > 90
        ("rehabilitation", "referral"),  # 87 days > 14
        ("tj_criminal", "court_dismissed"),  # overdue appeal, median 140
        ("kz_criminal", "registration_refused"),  # overdue complaint, median 53
    ]
    # a final stage (compensated) never appears: its stay is neither finished nor current
    assert ("kz_compensation", "compensated") not in figures


def test_the_histogram_and_the_stays_give_the_same_figures(registry, history):
    everything = stages.bottlenecks(registry.workflows.routes, Filters(), TODAY)
    # Filtering by a period that holds everything reads the stays table instead.
    period = Filters(start=D(2000, 1, 1), end=TODAY)

    assert stages.bottlenecks(registry.workflows.routes, period, TODAY) == everything


def test_bottleneck_filters(registry, history):
    routes = registry.workflows.routes
    tajik = _by_stage(stages.bottlenecks(routes, Filters(jurisdiction="TJ"), TODAY))
    assert {stage for _route, stage in tajik} == {
        "check",
        "refused_to_open",
        "court_complaint",
        "court_dismissed",
    }
    assert tajik["tj_criminal", "check"].median == 14
    lena = Filters(lawyer=history["lena"].id)
    reported = _by_stage(stages.bottlenecks(routes, lena, TODAY))["kz_criminal", "reported"]
    assert (reported.stays, reported.median) == (2, 3)  # A 2 days, C 4 days
    assert reported.p90 == pytest.approx(3.8)  # 2 + 0.9 * 2
    # the period keeps the stays that began in it: in March, A's and G's
    march = Filters(start=D(2026, 3, 1), end=D(2026, 3, 31))
    assert {(r.route, r.stage) for r in stages.bottlenecks(routes, march, TODAY)} >= {
        ("kz_criminal", "prosecutor_complaint"),
        ("kz_criminal", "prosecutor_refused"),
        ("un_cat", "preparing"),
        ("un_cat", "submitted"),
    }


def test_a_correction_moves_the_stays_and_the_histogram(registry, history):
    register = db.session.scalar(
        db.select(Event)
        .join(StageStay, StageStay.event_id == Event.id)
        .where(Event.trigger == "indict")
    )
    b = register.proceeding
    registered = next(e for e in b.events if e.trigger == "register")
    correct_event(
        registry, registered, actor=None, changes={"occurred_on": D(2026, 2, 5)}, today=TODAY
    )
    db.session.commit()

    days = {
        row.stage: row.days
        for row in db.session.scalars(db.select(StageStay).where(StageStay.proceeding_id == b.id))
    }
    assert days == {"reported": 3, "investigation": 88, "trial": None}
    histogram = {
        (row.stage, row.days): row.stays
        for row in db.session.scalars(
            db.select(StayDuration).where(StayDuration.route == "kz_criminal")
        )
    }
    assert histogram["reported", 1] == 0 and histogram["reported", 3] == 2  # B's and H's
    assert histogram["investigation", 88] == 1 and histogram["investigation", 90] == 0
    everything = stages.bottlenecks(registry.workflows.routes, Filters(), TODAY)
    period = Filters(start=D(2000, 1, 1), end=TODAY)
    assert stages.bottlenecks(registry.workflows.routes, period, TODAY) == everything


def _derived() -> tuple[list, dict]:
    stays = db.session.execute(
        db.select(StageStay.event_id, StageStay.stage, StageStay.entered_on, StageStay.left_on)
        .add_columns(StageStay.days, StageStay.is_current, StageStay.case_id)
        .order_by(StageStay.event_id)
    ).all()
    histogram = db.session.execute(db.select(StayDuration).where(StayDuration.stays != 0))
    return stays, {(d.route, d.stage, d.days): d.stays for (d,) in histogram}


def test_rebuilding_the_stays_from_the_history_changes_nothing(registry, history):
    registered = db.session.scalar(db.select(Event).where(Event.trigger == "register").limit(1))
    correct_event(
        registry, registered, actor=None, changes={"occurred_on": D(2026, 1, 11)}, today=TODAY
    )
    db.session.commit()
    kept_by_the_operations = _derived()

    rebuild_stays(db.session.connection())

    assert _derived() == kept_by_the_operations


def test_charts_escape_their_labels():
    svg = str(bars([("<script>x</script>", 3), ("b", 0)], "Load & <more>"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "Load &amp; &lt;more&gt;" in svg
    assert str(line(["2026-01", "2026-02"], [("a", [1, 2])], "t")).count("<circle") == 2


def test_stuck_cases(registry, history):
    total, rows = stages.stuck(registry.workflows.routes, Filters(), TODAY)

    # Over the expected duration, or 90 days without one; C (53 days) and H (60 of 60) are not.
    assert total == 6
    assert [(row.reference, row.stage, row.days, row.limit) for row in rows] == [
        ("A", "judge_complaint", 240, 10),
        ("B", "trial", 207, 90),
        ("F", "views_adopted", 149, 90),
        ("E", "court_dismissed", 140, 90),
        ("F", "referral", 87, 14),
        ("D", "reported", 7, 3),
    ]
    assert rows[0].next_due is not None and rows[1].next_due is None
    _total, everyone = stages.stuck(
        registry.workflows.routes, Filters(), TODAY, stage="investigation", everyone=True
    )
    assert [row.reference for row in everyone] == ["H"]


def test_who_holds_the_ball(registry, history):
    rows = {row.party: row for row in deadlines.ball(Filters(), TODAY)}

    # Days from each deadline's anchor to its closing (or today), added up per party:
    # state  A 2 + 49 + 18, B 1 + 90, C 4, D 7, E 3 * 14, F 223, G 188, H 3 + 60 = 687
    # us     A 18 + 12, C 53, E 5 + 140, F 76 + 35 = 339
    # court  A 240, E 20 = 260
    assert (rows["state"].deadlines, rows["state"].days) == (14, 687)
    assert (rows["us"].deadlines, rows["us"].days) == (7, 339)
    assert (rows["court"].deadlines, rows["court"].days) == (2, 260)
    assert (rows["state"].open, rows["state"].overdue) == (2, 1)
    assert (rows["us"].open, rows["us"].overdue) == (2, 2)
    clipped = {row.party: row.days for row in deadlines.ball(Filters(end=D(2026, 1, 31)), TODAY)}
    # ending January 31: A's registration (2) and investigation term to 01-31 (19), F's (223)
    assert clipped["state"] == 2 + 19 + 223


def test_the_states_delays_per_authority(registry, history):
    rows = {(r.authority, r.route, r.rule): r for r in deadlines.state_delays(Filters(), TODAY)}

    registration = rows["DVD Almaty", "kz_criminal", "erdr_registration"]
    assert (registration.overdue, registration.late, registration.average_days_late) == (0, 1, 1)
    assert rows[None, "kz_criminal", "erdr_registration"].overdue == 1  # D: due 11-21, open
    assert rows["DVD Almaty", "kz_criminal", "investigation_term"].late == 1  # B, a month late
    observations = rows["DVD Karaganda", "un_hrc", "state_observations"]
    assert (observations.late, observations.average_days_late) == (1, 40)  # 12-01 to 01-10
    assert rows["DVD Karaganda", "un_cat", "state_observations"].average_days_late == 5
    assert rows["OVD Dushanbe", "tj_criminal", "check_initial"].late == 1


def test_deadline_risk_and_workload(registry, history):
    by_lawyer = {
        row.name: (row.overdue, row.soon) for row in deadlines.risk_by_lawyer(Filters(), TODAY)
    }
    assert by_lawyer == {"Lena": (2, 0), "Marat": (1, 1), None: (1, 0)}
    by_route = {
        row.route: (row.overdue, row.soon) for row in deadlines.risk_by_route(Filters(), TODAY)
    }
    assert by_route == {"kz_criminal": (3, 1), "tj_criminal": (1, 0)}
    total, rows = deadlines.deadline_list(Filters(), TODAY)
    assert total == 5 and [row.rule for row in rows][-1] == "investigation_term"
    work = {row[1]: tuple(row[2:]) for row in deadlines.workload(Filters(), TODAY)}
    # cases, proceedings, open deadlines, overdue
    assert work == {"Lena": (3, 4, 2, 2), "Marat": (4, 4, 2, 1), "Nurlan": (0, 0, 0, 0)}


def test_monthly_steps_and_missed_deadlines(registry, history):
    months = deadlines.monthly(Filters(), D(2026, 1, 1), D(2026, 11, 30), TODAY)

    assert months["2026-03"][0] == 3  # A to the prosecutor and refused, G submitted
    assert months["2026-11"][0] == 3  # F in force and paid, G's Views
    assert months["2026-01"][1] == 1  # A's ERDR registration, due 01-11


def test_funnel_of_the_cases_opened_in_2026(registry, history):
    cohort, reached = milestones.funnel(registry.workflows.routes.values(), YEAR)

    assert cohort == 7  # A B C D E G H; F was opened in 2025
    assert reached == {
        "complaint_filed": 6,  # every criminal report
        "investigation": 5,  # A B H opened, C E refused
        "court_decision": 1,  # E
        "appeal_filed": 0,
        "remedies_exhausted": 0,
        "un_submitted": 1,  # G
        "views_adopted": 1,  # G
        "compensation_obtained": 0,  # F's payment counts for the 2025 cohort
    }
    cohort, reached = milestones.funnel(
        registry.workflows.routes.values(), Filters(start=D(2025, 1, 1), end=D(2025, 12, 31))
    )
    assert cohort == 1 and reached["compensation_obtained"] == 1 and reached["views_adopted"] == 1


def test_donor_indicators(registry, history):
    counts = milestones.indicators(registry.workflows.routes.values(), YEAR)

    assert counts == {
        "cases_documented": 7,
        "survivors_represented": 8,
        "complaints_filed": 9,  # six reports, A to the prosecutor and the judge, E to the court
        "investigations_opened": 3,  # A B H
        "prosecutions": 1,  # B
        "un_submitted": 1,  # G; F submitted in 2025
        "views_in_favour": 1,  # F; G's Views found no violation
        "compensation_awarded": 1,  # F
        "rehabilitation_referrals": 1,  # F
        # Each case of this history is a person of its own, whose sex and age were not given.
        **{f"sex_{sex}": 0 for sex in ("female", "male", "other")},
        "sex_unknown": 8,
        **{f"age_{group}": 0 for group in ("minor", "18_35", "36_59", "60_plus")},
        "age_unknown": 8,
    }
    spring = Filters(start=D(2026, 4, 1), end=D(2026, 6, 30), jurisdiction="TJ")
    counts = milestones.indicators(registry.workflows.routes.values(), spring)
    assert (counts["complaints_filed"], counts["cases_documented"]) == (
        2,
        1,
    )  # E's report and court


# -- the pages ---------------------------------------------------------------------------------

PAGES = ["", "/ball", "/stuck", "/risk", "/workload", "/funnel", "/indicators"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        (None, 302),
        (Role.LAWYER, 403),
        (Role.STAFF, 403),
        (Role.COORDINATOR, 200),
        (Role.ADMIN, 200),
    ],
)
def test_only_coordinators_and_admins_see_the_dashboard(app, create_user_, page, role, status):
    client = app.test_client()
    if role:
        sign_in(client, create_user_(role, language="en"))

    assert client.get(f"/dashboard{page}").status_code == status
    assert client.get(f"/dashboard{page}?format=csv").status_code == status


def _html_rows(page: str, table: str) -> list[list[str]]:
    body = re.search(rf'<table class="list" id="{table}">(.*?)</table>', page, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells])
    return rows


@pytest.mark.parametrize(
    ("page", "table"),
    [
        ("", "bottlenecks"),
        ("/ball", "ball"),
        ("/ball", "state_delays"),
        ("/stuck", "stuck"),
        ("/risk", "deadlines"),
        ("/risk", "risk_by_lawyer"),
        ("/risk", "monthly"),
        ("/workload", "workload"),
        ("/funnel", "funnel"),
        ("/indicators", "indicators"),
    ],
)
def test_a_coordinator_downloads_each_table_as_the_page_shows_it(
    client, history, create_user_, page, table
):
    sign_in(client, create_user_(Role.COORDINATOR, language="ru"))
    shown = _html_rows(client.get(f"/dashboard{page}?empty=1").get_data(as_text=True), table)
    url = f"/dashboard{page}?empty=1&format=csv&table={table}"
    standard, russian = client.get(url), client.get(f"{url}&csv=ru")

    assert standard.mimetype == russian.mimetype == "text/csv"
    assert "-ru.csv" in russian.headers["Content-Disposition"]
    # The Russian spreadsheet's form is the page itself: DD.MM.YYYY, decimal commas.
    assert _csv_rows(russian, ";") == shown
    # The standard form holds the same cells as machines write them.
    assert _csv_rows(standard, ",") == [[_machine(cell) for cell in row] for row in shown]


MONTH_NAMES = get_month_names("wide", "stand-alone", "ru")
RUSSIAN_MONTHS = {name: number for number, name in MONTH_NAMES.items()}


def _csv_rows(download, separator: str) -> list[list[str]]:
    text = download.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=separator))


def _machine(cell: str) -> str:
    """A cell of the Russian page as the standard CSV writes it."""
    if day := re.fullmatch(r"(\d\d)\.(\d\d)\.(\d{4})", cell):
        return f"{day[3]}-{day[2]}-{day[1]}"
    if re.fullmatch(r"-?\d+,\d", cell):
        return cell.replace(",", ".")
    if (month := re.fullmatch(r"(\w+) (\d{4})", cell)) and month[1] in RUSSIAN_MONTHS:
        return f"{month[2]}-{RUSSIAN_MONTHS[month[1]]:02d}"
    return cell


def test_the_bottleneck_page_links_each_number_to_its_cases(client, history):
    sign_in(client, history["coordinator"])
    page = client.get("/dashboard").get_data(as_text=True)

    assert "<svg" in page and "<script" not in page
    stuck = "/dashboard/stuck?route=kz_criminal&amp;stage=judge_complaint"
    assert f'href="{stuck}"' in page
    listed = client.get(html.unescape(stuck)).get_data(as_text=True)
    assert _html_rows(listed, "stuck")[1][0] == "A"


def test_the_indicators_page_follows_the_period(client, history):
    sign_in(client, history["coordinator"])
    rows = _html_rows(
        client.get("/dashboard/indicators?from=2025-01-01&to=2025-12-31").get_data(as_text=True),
        "indicators",
    )
    numbers = {row[0]: row[1] for row in rows[1:]}
    assert numbers["Cases documented"] == "1"  # F
    assert numbers["UN communications submitted"] == "1"  # F, April 2025
    assert client.get("/dashboard/indicators?from=soon").status_code == 400


def test_the_dashboard_speaks_russian(client, history, create_user_):
    sign_in(client, create_user_(Role.COORDINATOR, language="ru"))

    page = client.get("/dashboard").get_data(as_text=True)

    assert "Узкие места" in page and "Bottlenecks" not in page
