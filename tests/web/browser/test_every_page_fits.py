"""Every page fits the screen, in Russian, for each role over the demo data: on a 390 px phone
and a 1366 px laptop nothing is wider than the screen, and on the phone every link or button
of a menu, list, table or form is at least 44 px tall (WCAG 2.5.5; Android asks 48 dp).

One chromium; one context per role, which reads each page at both sizes. A test per role and
group of pages reports every problem of every page at once; the groups being reworked on other
branches (issue 12) are reported apart (tests/web/every_page.py); all of them fit today.
"""

from __future__ import annotations

import pytest

from litigation.models import Role

from ..every_page import ROLES, group_of, pages_for, role_and_group_cases

pytestmark = pytest.mark.browser
SIZES = {"phone": (390, 844), "laptop": (1366, 768)}
TARGET = 44  # px
# What a finger taps: links of menus, lists and tables, buttons, fields (not links in prose).
TARGETS = (
    "nav a, li > a, td > a, button, .button, select, summary, "
    "input:not([type=hidden]):not([type=checkbox]):not([type=radio])"
)
MEASURE = """([targets, least]) => {
  const width = window.innerWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].map((c) => '.' + c).join('')
    + ' “' + (el.innerText || el.value || '').trim().slice(0, 40) + '”';
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const wide = [];
  const flagged = new Set();
  for (const el of document.body.querySelectorAll('*')) {
    if (el.parentElement && flagged.has(el.parentElement)) {
      flagged.add(el);  // inside a wide element: the outermost one is reported
      continue;
    }
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || !el.checkVisibility()) continue;
    if ((box.right > width + 1 || box.left < -1) && !clipped(el)) {
      flagged.add(el);
      wide.push(`${name(el)} from ${Math.round(box.left)} to ${Math.round(box.right)} px`);
    }
  }
  const small = [];
  if (least) {
    for (const el of document.querySelectorAll(targets)) {
      const box = el.getBoundingClientRect();
      const shown = box.width && box.height && el.checkVisibility();
      if (shown && box.height < least - 0.5 && !el.closest('svg')) {
        small.push(`${name(el)} ${Math.round(box.height)} px tall`);
      }
    }
  }
  return {page: document.documentElement.scrollWidth, width, wide, small};
}"""


def _problems(page, size: str) -> list[str]:
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    seen = page.evaluate(MEASURE, [TARGETS, TARGET if size == "phone" else 0])
    found = []
    if seen["page"] > seen["width"]:
        found.append(f"{size}: the page is {seen['page']} px wide on a {seen['width']} px screen")
    found.extend(f"{size}: wider than the screen: {what}" for what in seen["wide"][:8])
    found.extend(f"{size}: a touch target under {TARGET} px: {what}" for what in seen["small"][:8])
    return found


def _sign_in(page, site, role: Role) -> None:
    user = site.user(role)
    page.goto("/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", site.passwords[user.email])
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def read_pages(chromium, demo_url, site, role: Role | None) -> list[tuple[str, str, list[str]]]:
    """(group, address, problems) of every page the role opens, at both sizes."""
    context = chromium.new_context(
        base_url=demo_url, viewport={"width": 390, "height": 844}, locale="ru-RU"
    )
    page = context.new_page()
    if role:
        _sign_in(page, site, role)
    read, seen = [], set()
    for endpoint, url in pages_for(site.app, site.user(role) if role else None, site.today):
        # A page's other states (the calculator's results, every route) are read by one role.
        if endpoint in seen and role is not ROLES[0]:
            continue
        seen.add(endpoint)
        response = page.goto(url)
        found = [problem for size in SIZES for problem in _problems(page, size)]
        read.append((group_of(endpoint, response.status), url, found))
    context.close()
    return read


@pytest.fixture(scope="module")
def fitted(chromium, demo_url, demo_site):
    read: dict[Role | None, list] = {}

    def of(role: Role | None):
        if role not in read:
            read[role] = read_pages(chromium, demo_url, demo_site, role)
        return read[role]

    return of


# Every group fits today: none is expected to fail.
CASES = role_and_group_cases(expected_to_fail=())


@pytest.mark.parametrize(("role", "group"), CASES)
def test_every_page_fits_a_phone_and_a_laptop(fitted, role, group):
    report = []
    for page_group, url, found in fitted(role):
        if page_group == group and found:
            report.append(f"{url}:")
            report.extend(f"    {problem}" for problem in found)
    print("\n".join(report))
    assert not report, f"{group}, as {role or 'a visitor'}:\n" + "\n".join(report)
