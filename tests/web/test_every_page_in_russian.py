"""Every page in Russian, for each role, over the demo data: no English word, no program token
(route or fact ids, workflows.yaml, "verified: false", ISO dates, decimal points), no error.

Each role's pages are read once per module; a test per role and group of pages reports every
problem of every page at once. The groups being reworked on other branches (issue 12) are
expected to fail until they are: their findings are printed, and CI stays green.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest
from flask import Flask

from litigation.db import db
from litigation.models import Case, Role

from ..conftest import sign_in
from .every_page import ROLES, Site, group_of, page_rules, pages_for, role_and_group_cases
from .russian_text import problems

USER_AGENT = "Телефон юриста"


def _client(app: Flask):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru-RU,ru;q=0.9"
    client.environ_base["HTTP_USER_AGENT"] = USER_AGENT
    return client


class Read(NamedTuple):
    endpoint: str
    group: str
    url: str
    status: int
    problems: list[str]


def read_pages(site: Site, role: Role | None) -> list[Read]:
    """Every page the role opens, read in Russian."""
    client = _client(site.app)
    user = site.user(role) if role else None
    if user:
        assert sign_in(client, user, site.passwords[user.email]).status_code == 302
    references = tuple(db.session.scalars(db.select(Case.reference)))
    read = []
    for endpoint, url in pages_for(site.app, user, site.today):
        response = client.get(url)
        status = response.status_code
        # A redirect's body is never shown: browsers follow it (its target is read on its own).
        page = response.get_data(as_text=True)
        found = [] if 300 <= status < 400 else problems(page, references)
        read.append(Read(endpoint, group_of(endpoint, status), url, status, found))
    return read


@pytest.fixture(scope="module")
def pages(demo_site):
    """Every role's pages, read once for the module's tests."""
    read: dict[Role | None, list] = {}

    def of(role: Role | None):
        if role not in read:
            read[role] = read_pages(demo_site, role)
        return read[role]

    return of


def _report(read: list[Read], group: str) -> list[str]:
    lines = []
    for page in read:
        if page.group == group and page.problems:
            lines.append(f"{page.url} ({page.status}):")
            lines.extend(f"    {problem}" for problem in page.problems)
    return lines


# The groups whose findings wait for their branch (listed in the report of issue 12).
EXPECTED_TO_FAIL: tuple[str, ...] = ()
CASES = role_and_group_cases(EXPECTED_TO_FAIL)


@pytest.mark.parametrize(("role", "group"), CASES)
def test_every_page_reads_in_russian(pages, role, group):
    report = _report(pages(role), group)
    print("\n".join(report))
    assert not report, f"{group}, as {role or 'a visitor'}:\n" + "\n".join(report)


@pytest.mark.parametrize("role", [*ROLES, None], ids=str)
def test_no_page_fails(pages, role):
    assert not [(page.url, page.status) for page in pages(role) if page.status >= 500]


def test_every_page_is_read(demo_site, pages):
    """Every GET page of the app is read by some role: a new page is checked from its first
    day, or this test says the fixture must learn to fill its ids."""
    read = {page.endpoint for role in (*ROLES, None) for page in pages(role)}
    assert {rule.endpoint for rule in page_rules(demo_site.app)} <= read
