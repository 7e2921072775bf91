"""The case page's history in words: steps as what was done, facts by their labels, dates in
the reader's format, a corrected entry marked and linked to its correction, a deadline changed
by hand with its reason, long notes folded, and notes edited as new versions (the event row is
never rewritten). Shipped workflows.yaml, TODAY = 27 Nov 2026."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from litigation.cases import correct_event, fire, override_deadline
from litigation.db import db
from litigation.models import AuditEntry, AuditKind, Deadline, Event, NoteRevision, Role

from ..conftest import TODAY, post_form, sign_in
from ..pages import confirmation, form_with

D = dt.date
LONG = "Свидетель видел, как его вели в кабинет. " * 130  # about 5,000 characters


@pytest.fixture
def lawyer(app, create_user_):
    return create_user_(Role.LAWYER, name="Erlan", language="ru")


@pytest.fixture
def walked(registry, create_case, lawyer):
    """A KZ case: registered, terminated (learned 20 Nov), complained to the prosecutor."""
    case, proceeding = create_case(
        registry,
        "kz_criminal",
        team=[lawyer],
        opened_on=D(2026, 10, 1),
        facts={"reported_on": D(2026, 10, 1)},
    )
    steps = [
        ("register", D(2026, 10, 2), {}, None),
        ("terminate", D(2026, 11, 20), {"termination_decided_on": D(2026, 11, 16)}, LONG),
        ("complain_to_prosecutor", D(2026, 11, 23), {"complaint_subject": "termination"}, "Кратко"),
    ]
    for trigger, day, facts, note in steps:
        fire(
            registry,
            proceeding,
            trigger,
            actor=lawyer,
            occurred_on=day,
            today=TODAY,
            facts=facts,
            note=note,
        )
    db.session.commit()
    return case, proceeding


def _event(trigger: str) -> Event:
    return db.session.scalars(db.select(Event).where(Event.trigger == trigger)).one()


def _history(page: str) -> str:
    start = page.index('class="timeline"')
    end = page.index("</ol>", start)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page[start:end])).split())


def _entry(page: str, event: Event) -> str:
    match = re.search(
        rf'<li id="event-{event.id}">(.*?)</li>\s*(?:<li id="event-|</ol>)', page, re.S
    )
    assert match, f"no entry for event {event.id}"
    return match.group(1)


def test_steps_read_as_what_was_done_with_facts_by_their_labels(client, registry, walked, lawyer):
    sign_in(client, lawyer)
    case, _ = walked

    history = _history(client.get(f"/cases/{case.id}").get_data(as_text=True))

    complain = registry.route("kz_criminal").transition("complain_to_prosecutor")
    assert complain.done_label.ru in history
    assert complain.label.ru not in history
    assert "Предмет жалобы: Прекращение дела" in history
    assert "23.11.2026" in history
    assert not re.search(r"\d{4}-\d\d-\d\d", history)
    assert "occurred_on" not in history and "complaint_subject" not in history


def test_a_corrected_entry_is_marked_and_links_to_its_correction(client, registry, walked, lawyer):
    case, _ = walked
    terminated = _event("terminate")
    correct_event(
        registry,
        terminated,
        actor=lawyer,
        changes={"learned_of_decision_on": D(2026, 11, 19)},
        today=TODAY,
        note="Дата из расписки",
    )
    db.session.commit()
    sign_in(client, lawyer)

    page = client.get(f"/cases/{case.id}").get_data(as_text=True)

    correction = _event("correct_event")
    entry = _entry(page, terminated)
    assert f'<a class="tag corrected" href="#event-{correction.id}">исправлено</a>' in entry
    fixed = _entry(page, correction)
    assert f'href="#event-{terminated.id}"' in fixed
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fixed)).split())
    assert "Дата ознакомления с решением: 20.11.2026 → 19.11.2026" in words


def test_a_deadline_changed_by_hand_shows_its_rule_dates_and_reason(
    client, registry, walked, lawyer
):
    case, _ = walked
    deadline = db.session.scalars(
        db.select(Deadline).where(Deadline.rule == "prosecutor_answer")
    ).one()
    override_deadline(
        deadline,
        actor=lawyer,
        new_due=D(2026, 12, 20),
        reason="Прокурор продлил срок письмом",
        today=TODAY,
    )
    db.session.commit()
    sign_in(client, lawyer)

    page = client.get(f"/cases/{case.id}").get_data(as_text=True)

    history = _history(page)
    assert (
        "Срок изменён вручную: Ответ прокурора на жалобу (7 дней), "
        "30.11.2026 → 20.12.2026" in history
    )
    assert "prosecutor_answer" not in history
    row = re.search(rf'<tr id="deadline-{deadline.id}".*?</tr>', page, re.S).group(0)
    assert "Прокурор продлил срок письмом" in html.unescape(row)
    assert "Изменил(а) Erlan:" in html.unescape(row)


def test_a_long_note_is_folded_and_a_short_one_shown(client, walked, lawyer):
    case, _ = walked
    sign_in(client, lawyer)

    page = client.get(f"/cases/{case.id}").get_data(as_text=True)

    long_entry = _entry(page, _event("terminate"))
    assert '<details class="note">' in long_entry
    assert "Показать примечание целиком (5\xa0" in html.unescape(long_entry)
    short = _entry(page, _event("complain_to_prosecutor"))
    assert "<details" not in short and "Кратко" in short


def test_a_note_is_edited_as_a_new_version_the_event_unchanged(client, walked, lawyer):
    case, _ = walked
    event = _event("complain_to_prosecutor")
    sign_in(client, lawyer)
    url = f"/cases/{case.id}/events/{event.id}/note"
    fields = form_with(client.get(url).get_data(as_text=True), "note")
    assert [text.strip() for text in fields["note"]] == ["Кратко"] and fields["versions"] == ["0"]

    response = post_form(client, url, {"note": "Жалоба подана лично", "versions": "0"})

    assert response.status_code == 302 and response.headers["Location"].endswith("#done")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    entry = html.unescape(_entry(page, event))
    assert "Жалоба подана лично" in entry and 'id="done"' in entry
    assert "Примечание изменено: Erlan" in entry and "Кратко" in entry  # earlier version, folded
    assert "Примечание сохранено" in confirmation(page)
    assert db.session.get(Event, event.id).note == "Кратко"
    [revision] = db.session.scalars(db.select(NoteRevision)).all()
    assert revision.note == "Жалоба подана лично"
    [audited] = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.kind == AuditKind.NOTE_EDITED)
    ).all()
    assert audited.event_id == event.id and "Жалоба" not in str(audited.details)


def test_a_note_edited_meanwhile_by_someone_else_is_not_overwritten(client, walked, lawyer):
    case, _ = walked
    event = _event("complain_to_prosecutor")
    sign_in(client, lawyer)
    url = f"/cases/{case.id}/events/{event.id}/note"
    post_form(client, url, {"note": "Первая правка", "versions": "0"})

    response = post_form(client, url, {"note": "Вторая правка", "versions": "0"})

    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "Вторая правка" in page and "это примечание изменил" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(NoteRevision)) == 1


def test_the_reason_of_an_override_is_not_edited_as_a_note(client, registry, walked, lawyer):
    case, _ = walked
    deadline = db.session.scalars(
        db.select(Deadline).where(Deadline.rule == "prosecutor_answer")
    ).one()
    override_deadline(deadline, actor=lawyer, new_due=D(2026, 12, 20), reason="x", today=TODAY)
    db.session.commit()
    sign_in(client, lawyer)

    assert (
        client.get(f"/cases/{case.id}/events/{_event('override_deadline').id}/note").status_code
        == 404
    )


def test_the_correction_form_refuses_a_date_out_of_order_beside_its_field(client, walked, lawyer):
    case, _ = walked
    terminated = _event("terminate")
    sign_in(client, lawyer)
    url = f"/cases/{case.id}/events/{terminated.id}/correct"
    data = {
        "termination_decided_on": "2026-11-16",
        "learned_of_decision_on": "2026-11-10",
        "note": "Дата из расписки",
        "version": "4",
    }

    response = post_form(client, url, data)

    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    field = " ".join(
        re.search(r'<div class="field has-error">.*?</div>', page, re.S).group(0).split()
    )
    assert 'name="learned_of_decision_on"' in field
    assert "(10.11.2026) не может быть раньше" in field and "16.11.2026" in field
    assert 'value="2026-11-10"' in field
