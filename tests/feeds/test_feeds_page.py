"""The calendars page as lawyers and admins use it, through the web client: revoking and giving
a new address ask first (the question changes nothing), then redirect; a new address is shown
once after the redirect and never in a URL; revoked feeds stay listed with when and by whom;
steps per calendar app, Android first; and the pages wholly in Russian for a Russian reader."""

from __future__ import annotations

import html
import re

import pytest

from litigation.db import db
from litigation.feeds import create_feed, revoke_feed
from litigation.models import AuditEntry, AuditKind, FeedKind, FeedSubscription, Role

from ..conftest import post_form, sign_in
from ..pages import action_of, form_with

TOKEN = re.compile(r"/calendars/([\w-]{20,})\.ics")


@pytest.fixture
def lawyer(mini_app, create_user_):
    return create_user_(Role.LAWYER, name="Aigul Lawyer", language="en")


@pytest.fixture
def admin(mini_app, create_user_):
    return create_user_(Role.ADMIN, name="Dana Admin", language="en")


def _feed(owner, actor=None, **kw) -> tuple[FeedSubscription, str]:
    kw.setdefault("kind", FeedKind.MINE)
    subscription, token = create_feed(owner, actor or owner, **kw)
    db.session.commit()
    return subscription, token


def _confirm(client, url: str):
    """Open the confirmation page at `url` and press its button, as a browser does."""
    page = client.get(url).get_data(as_text=True)
    return client.post(action_of(page, "confirmed"), data=form_with(page, "confirmed"))


def _audited(kind: AuditKind, subscription: FeedSubscription) -> int:
    query = db.select(db.func.count()).where(
        AuditEntry.kind == str(kind), AuditEntry.feed_id == subscription.id
    )
    return db.session.scalar(query)


def _live(token: str, client) -> bool:
    return client.get(f"/calendars/{token}.ics").status_code == 200


def test_revoking_asks_first_and_the_question_changes_nothing(mini_client, lawyer):
    subscription, token = _feed(lawyer, name="Work")
    sign_in(mini_client, lawyer)
    url = f"/calendars/{subscription.id}/revoke"
    assert f'href="{url}"' in mini_client.get("/calendars").get_data(as_text=True)

    asked = mini_client.get(url)
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "Revoke this calendar?" in page and "stop updating" in page
    assert 'class="button secondary" href="/calendars"' in page  # Cancel: back, nothing done
    unconfirmed = post_form(mini_client, url, {}, form_url="/calendars")
    assert unconfirmed.status_code == 302 and unconfirmed.location == url
    db.session.refresh(subscription)
    assert subscription.revoked_at is None and _live(token, mini_client)
    assert _audited(AuditKind.FEED_REVOKED, subscription) == 0

    done = _confirm(mini_client, url)
    assert done.status_code == 302 and done.location == "/calendars"
    assert not _live(token, mini_client)
    again = post_form(mini_client, url, {"confirmed": "yes"}, form_url="/calendars")  # a reload
    assert again.status_code == 302
    assert "already revoked" in mini_client.get(again.location).get_data(as_text=True)
    assert _audited(AuditKind.FEED_REVOKED, subscription) == 1


def test_a_new_address_is_shown_once_after_a_redirect_and_never_in_a_url(mini_client, lawyer):
    subscription, old = _feed(lawyer, name="Work")
    sign_in(mini_client, lawyer)
    url = f"/calendars/{subscription.id}/rotate"
    before = subscription.token_hash

    asked = mini_client.get(url).get_data(as_text=True)
    assert "Give this calendar a new address?" in asked and "stops working" in asked
    db.session.refresh(subscription)
    assert subscription.token_hash == before and _live(old, mini_client)
    assert post_form(mini_client, url, {}, form_url="/calendars").location == url

    rotated = _confirm(mini_client, url)
    assert rotated.status_code == 302
    assert rotated.location == f"/calendars/{subscription.id}/address"
    assert not TOKEN.search(rotated.get_data(as_text=True))
    shown = mini_client.get(rotated.location)
    [new] = set(TOKEN.findall(shown.get_data(as_text=True)))
    assert shown.headers["Cache-Control"] == "no-store"
    assert not _live(old, mini_client) and _live(new, mini_client)

    reloaded = mini_client.get(rotated.location).get_data(as_text=True)
    assert not TOKEN.search(reloaded) and "was shown once" in reloaded
    assert _live(new, mini_client)  # the reload gave no other address
    assert _audited(AuditKind.FEED_ROTATED, subscription) == 1


def test_a_created_feed_s_address_is_shown_on_its_own_page_only(mini_client, lawyer):
    other, _token = _feed(lawyer, name="Older")
    sign_in(mini_client, lawyer)
    created = post_form(mini_client, "/calendars", {"kind": "mine", "name": "Work"})
    [subscription] = db.session.scalars(
        db.select(FeedSubscription).where(FeedSubscription.name == "Work")
    )
    assert created.location == f"/calendars/{subscription.id}/address"
    elsewhere = mini_client.get(f"/calendars/{other.id}/address").get_data(as_text=True)
    assert not TOKEN.search(elsewhere) and "was shown once" in elsewhere
    [token] = set(TOKEN.findall(mini_client.get(created.location).get_data(as_text=True)))
    assert _live(token, mini_client)


def test_nobody_else_opens_the_questions_or_the_address_page(mini_client, lawyer, create_user_):
    subscription, _token = _feed(lawyer)
    sign_in(mini_client, create_user_(Role.COORDINATOR))
    for page in ("revoke", "rotate", "address"):
        assert mini_client.get(f"/calendars/{subscription.id}/{page}").status_code == 404


def _revoked_part(page: str) -> str:
    start = page.index('<details class="revoked">')
    return page[start : page.index("</details>", start)]


def test_revoked_feeds_stay_listed_with_when_and_by_whom(mini_app, mini_client, lawyer, admin):
    live, _ = _feed(lawyer, name="Still live")
    by_admin, _ = _feed(lawyer, name="Leaked on a lost phone")
    by_command, _ = _feed(lawyer, name="Old team feed")
    sign_in(mini_client, admin)
    _confirm(mini_client, f"/calendars/{by_admin.id}/revoke")
    revoke_feed(by_command, None)  # `litigation feed revoke` has no actor
    db.session.commit()

    everyone = _revoked_part(mini_client.get("/calendars").get_data(as_text=True))
    assert "Revoked calendars (2)" in everyone and lawyer.email in everyone
    assert "Leaked on a lost phone" in everyone and "Dana Admin" in everyone

    own = mini_app.test_client()
    sign_in(own, lawyer)
    page = own.get("/calendars").get_data(as_text=True)
    mine = _revoked_part(page)
    assert "Revoked calendars (2)" in mine and "Still live" not in mine
    assert "Leaked on a lost phone" in mine and "Old team feed" in mine
    assert "Dana Admin" in mine and "the command line" in mine
    assert len(re.findall(r"Revoked:</span> \d", mine)) == 2  # the date revoked
    assert f"/calendars/{by_admin.id}/revoke" not in page and f"/{live.id}/revoke" in page


@pytest.mark.parametrize(
    ("language", "steps", "address_words"),
    [
        (
            "en",
            [
                "Android phone",
                "ICSx⁵",
                "F-Droid",
                "calendar.google.com",
                "From URL",
                "Add Subscribed Calendar",
                "Subscribe from web",
                "On the Network",
                "only every 12 to 24 hours",
                "CPC RK art. 107(2)",
            ],
            ["This calendar's address", "this address"],
        ),
        (
            "ru",
            [
                "Телефон на Android",
                "ICSx⁵",
                "F-Droid",
                "calendar.google.com",
                "Добавить по URL",
                "Добавить подписной календарь",
                "Подписаться из Интернета",
                "В сети",
                "раз в 12–24 часа",
                "УПК РК ст. 107(2)",
            ],
            ["Адрес этого календаря", "этот адрес"],
        ),
    ],
)
def test_the_steps_cover_android_and_speak_of_no_address_before_one_exists(
    mini_client, create_user_, language, steps, address_words
):
    sign_in(mini_client, create_user_(Role.LAWYER, language=language))
    page = html.unescape(mini_client.get("/calendars").get_data(as_text=True))
    assert [step for step in steps if step not in page] == []
    assert page.count("<details>") == 5  # folded, one per calendar app
    assert [word for word in address_words if word.lower() in page.lower()] == []
    assert "data-copy" not in page

    created = post_form(mini_client, "/calendars", {"kind": "mine"})
    shown = html.unescape(mini_client.get(created.location).get_data(as_text=True))
    assert address_words[0] in shown and "data-copy=" in shown
    assert 'role="status" aria-live="polite"' in shown
    assert ("Скопировано" if language == "ru" else 'data-copied="Copied"') in shown


# Latin words a Russian page may hold: the names of apps, firms and address schemes.
NAMES = {
    "Android", "Apple", "F-Droid", "Google", "ICSx", "Microsoft", "Outlook", "Outlook.com",
    "Play", "Samsung", "Thunderbird", "URL", "Windows", "calendar.google.com", "https",
    "iOS", "iPad", "iPhone", "webcal",
}  # fmt: skip


def _visible_words(page: str) -> str:
    """The text a reader sees in <main>: no tags, addresses or e-mail addresses."""
    main = page[re.search(r"<main[^>]*>", page).end() : page.index("</main>")]
    main = re.sub(r"<textarea.*?</textarea>|<script.*?</script>", " ", main, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", main))
    return re.sub(r"\S+@\S+", " ", text)


def test_the_calendars_pages_are_wholly_russian(app, client, create_user_, registry):
    admin = create_user_(Role.ADMIN, name="Дана Адилова", language="ru")
    lawyer = create_user_(Role.LAWYER, name="Айгуль Сериковна", language="ru")
    route = registry.workflows.routes["kz_criminal"]
    stage = route.stages[1]
    team, _ = _feed(
        lawyer, admin, kind=FeedKind.TEAM, name="Команда", route=route.id, stage=stage.id,
        jurisdiction="KZ", lawyer=lawyer, reminder_events=True, with_names=True,
    )  # fmt: skip
    old, _ = _feed(lawyer, name="Старый")
    revoke_feed(old, admin)
    db.session.commit()
    sign_in(client, admin)
    created = post_form(client, "/calendars", {"kind": "mine", "name": "Работа"})
    pages = {
        "index": client.get("/calendars"),
        "revoke": client.get(f"/calendars/{team.id}/revoke"),
        "rotate": client.get(f"/calendars/{team.id}/rotate"),
        "address": client.get(created.location),
        "shown": client.get(created.location),
    }

    for name, response in pages.items():
        text = _visible_words(response.get_data(as_text=True))
        latin = set(re.findall(r"[A-Za-z][A-Za-z0-9.-]*[A-Za-z]|[A-Za-z]", text)) - NAMES
        assert latin == set(), name
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text), name
        assert route.id not in text and stage.id not in text and ".ics" not in text, name
    index = _visible_words(pages["index"].get_data(as_text=True))
    assert f"стадия: {stage.label.get('ru')}" in index and route.title.get("ru") in index
    assert "Отключённые календари (1)" in index and "Дана Адилова" in index
