"""Russian and English: every string translated, the compiled catalogue current."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from litigation.models import Role

from ..conftest import ROOT, sign_in

CATALOGUE = ROOT / "litigation" / "translations" / "ru" / "LC_MESSAGES"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "msg": None,
}
METHODS = [
    ("litigation/**.py", "python"),
    ("litigation/web/templates/**.html", "jinja2"),
]


def _catalogue(name: str):
    with (CATALOGUE / name).open("rb") as file:
        return read_po(file) if name.endswith(".po") else read_mo(file)


def _ids(catalogue) -> set:
    return {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in catalogue
        if message.id
    }


def test_every_string_in_the_code_is_in_the_russian_catalogue():
    extracted = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(str(ROOT), METHODS, keywords=KEYWORDS)
    }
    missing = extracted - _ids(_catalogue("messages.po"))
    assert not missing, f"run `make translations` and translate: {sorted(missing)[:10]}"


def test_every_russian_entry_is_translated():
    untranslated = [
        m.id
        for m in _catalogue("messages.po")
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)) or m.fuzzy)
    ]
    assert not untranslated, untranslated[:10]


def _entries(catalogue) -> dict:
    # Plural entries come back as lists from .mo files and tuples from .po files.
    def frozen(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    # Untranslated entries are left out: the compiler omits them (another test catches them).
    return {
        frozen(m.id): frozen(m.string)
        for m in catalogue
        if m.id
        and not m.fuzzy
        and all(frozen(m.string) if isinstance(m.string, list | tuple) else [m.string])
    }


def test_the_compiled_catalogue_matches_the_source():
    source = _entries(_catalogue("messages.po"))
    compiled = _entries(_catalogue("messages.mo"))
    stale = {key for key, text in source.items() if compiled.get(key) != text}
    assert not stale, f"run `make translations` to recompile the .mo file: {sorted(stale)[:5]}"


def test_pages_follow_the_users_language(mini_app, mini_client, create_user_):
    russian = create_user_(Role.LAWYER, language="ru")
    sign_in(mini_client, russian)
    page = mini_client.get("/").get_data(as_text=True)
    assert 'lang="ru"' in page
    assert "My work" not in page and "Sign out" not in page


def test_english_users_get_english(mini_app, mini_client, create_user_):
    english = create_user_(Role.LAWYER, language="en")
    sign_in(mini_client, english)
    page = mini_client.get("/").get_data(as_text=True)
    assert "My work" in page and "Sign out" in page


def test_the_login_page_follows_the_browser(mini_client):
    page = mini_client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(
        as_text=True
    )
    assert "Sign in" in page
    page = mini_client.get("/login", headers={"Accept-Language": "ru-RU,ru;q=0.9"}).get_data(
        as_text=True
    )
    assert "Sign in" not in page
