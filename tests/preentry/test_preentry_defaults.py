"""The life events' defaults on the pre-entry site: an item a bundle fills from another
(おくやみ: 届出日 and 世帯変更日 from the date of death) opens filled in on its page, can be
changed there, follows its source while the resident leaves it, and reaches the QR code."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from preentry_support import (
    form_pairs,
    hidden,
    is_navigator,
    is_result,
    is_summary,
    on_sample_day,
    post,
    qr_text_from_page,
    samples,
    shown_questions,
    walk_navigator,
)

from forms.catalog import Catalog
from forms.era import to_japanese
from forms.payload import decode_payload
from forms.record import SessionRecord

URL = "/b/okuyami"
DIED = dt.date(2025, 3, 28)  # the sample's date of death (person[1], the householder)
OWN = dt.date(2025, 4, 2)  # a 届出日 the resident types themselves


def okuyami() -> SessionRecord:
    """The sample without the dates the defaults give: the resident types only the death."""
    record = samples()["takasaki_okuyami"].model_copy(deep=True)
    assert record.persons[1].died_on == DIED
    for key in ("death", "event", "household_change"):
        record.dates.pop(key, None)
    return record


def value_of(page: str, name: str) -> str | None:
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page)
    assert tag, f"a control {name}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else None


Edit = Callable[[str, list[tuple[str, str]]], list[tuple[str, str]]]


def walk(
    client: TestClient, clock: Any, record: SessionRecord, edit: Edit | None = None
) -> tuple[Any, list[str]]:
    """次へ through every page filled from `record` (`edit` may change a page's pairs), then
    the QR code; returns the QR page and each page's HTML."""
    on_sample_day(clock, record)
    page = client.get(f"{URL}?people={len(record.persons)}")
    pages: list[str] = []
    for _ in range(40):
        assert page.status_code == 200, page.text[:2000]
        pages.append(page.text)
        if is_result(page.text):
            return page, pages
        if is_navigator(page.text):
            page = walk_navigator(client, URL, page, record)
            continue
        pairs = form_pairs(page.text, record)
        if edit is not None:
            pairs = edit(page.text, pairs)
        pairs.append(("_action", "qr" if is_summary(page.text) else "next"))
        page = post(client, URL, pairs)
    raise AssertionError("no QR page")


def dates_page(pages: list[str]) -> str:
    return next(p for p in pages if "date.event" in shown_questions(p))


def decoded(page: Any, keys: Any, clock: Any, catalog: Catalog) -> SessionRecord:
    return decode_payload(
        qr_text_from_page(page.text),
        counter_private_key=keys.counter_private,
        signer_public_keys=[keys.signing_public],
        catalog=catalog,
        now=clock.now + dt.timedelta(minutes=5),
    ).record


def keep_shown(page: str, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Send the dates page as the browser would: with the values it opened with."""
    if "date.event" not in shown_questions(page):
        return pairs
    filled = {"date.event", "date.household_change"}
    kept = [(k, v) for k, v in pairs if k not in filled]
    return kept + [(name, value_of(page, name) or "") for name in sorted(filled)]


def test_the_date_of_death_fills_the_dates_page(
    client: TestClient, clock: Any, keys: Any, catalog: Catalog
) -> None:
    record = okuyami()
    result, pages = walk(client, clock, record, keep_shown)
    dates = dates_page(pages)
    # the household's pages (with the date of death) come before the dates page
    deceased = next(n for n, p in enumerate(pages) if "person[1].died_on" in shown_questions(p))
    assert deceased < pages.index(dates)
    assert value_of(dates, "date.event") == to_japanese(DIED)
    assert value_of(dates, "date.household_change") == to_japanese(DIED)
    assert not value_of(dates, "date.funeral")  # no default: left to the resident
    assert dates.count("前の答えから入れました") == 2  # said beside each value filled in
    qr = decoded(result, keys, clock, catalog)
    assert qr.dates["death"] == qr.dates["event"] == qr.dates["household_change"] == DIED
    # carried once, where the forms read it: no posted copy beside the record's date
    assert not any("date." in key for key in qr.answers)


def test_the_residents_own_value_is_kept(
    client: TestClient, clock: Any, keys: Any, catalog: Catalog
) -> None:
    record = okuyami()
    record.dates["event"] = OWN  # typed on the dates page over the value it opened with
    result, pages = walk(client, clock, record)
    assert value_of(dates_page(pages), "date.event") == to_japanese(DIED)
    summary = next(p for p in pages if is_summary(p))
    assert to_japanese(OWN, western=True) in summary
    qr = decoded(result, keys, clock, catalog)
    assert qr.dates["event"] == OWN  # not replaced by the date of death
    assert qr.dates["household_change"] == DIED


def correct_the_death(
    client: TestClient, record: SessionRecord, page: Any, action: str
) -> tuple[SessionRecord, Any]:
    """From `page`, `action` (修正 of the deceased's page, or 戻る) until the deceased's page,
    a date of death a day earlier there, then 次へ up to the dates page or the summary."""
    for _ in range(10):
        if "person[1].died_on" in shown_questions(page.text):
            break
        pairs = keep_shown(page.text, form_pairs(page.text, record))
        page = post(client, URL, [*pairs, ("_action", action)])
        assert page.status_code == 200, page.text[:2000]
    assert "person[1].died_on" in shown_questions(page.text)
    record = record.model_copy(deep=True)
    record.persons[1].died_on = DIED - dt.timedelta(days=1)
    page = post(client, URL, [*form_pairs(page.text, record), ("_action", "next")])
    for _ in range(10):
        if is_summary(page.text) or "date.event" in shown_questions(page.text):
            return record, page
        page = post(client, URL, [*form_pairs(page.text, record), ("_action", "next")])
    raise AssertionError("neither the dates page nor the summary")


def to_dates_page(client: TestClient, clock: Any, record: SessionRecord) -> Any:
    on_sample_day(clock, record)
    page = client.get(f"{URL}?people={len(record.persons)}")
    for _ in range(20):
        if "date.event" in shown_questions(page.text):
            return page
        if is_navigator(page.text):
            page = walk_navigator(client, URL, page, record)
            continue
        page = post(client, URL, [*form_pairs(page.text, record), ("_action", "next")])
        assert page.status_code == 200, page.text[:2000]
    raise AssertionError("no dates page")


def test_a_value_left_as_filled_follows_its_source_until_its_page_is_passed(
    client: TestClient, clock: Any
) -> None:
    record = okuyami()
    dates = to_dates_page(client, clock, record)
    assert value_of(dates.text, "date.event") == to_japanese(DIED)
    # 戻る from the dates page as it opened: not passed, so the value still follows
    record, again = correct_the_death(client, record, dates, "back")
    corrected = record.persons[1].died_on
    assert corrected is not None and "date.event" in shown_questions(again.text)
    assert value_of(again.text, "date.event") == to_japanese(corrected)
    assert value_of(again.text, "date.household_change") == to_japanese(corrected)


def test_a_value_confirmed_with_next_stays_when_its_source_is_corrected(
    client: TestClient, clock: Any, keys: Any, catalog: Catalog
) -> None:
    """As on the kiosk: once the resident passed the dates page with 次へ, the 届出日 shown
    there is theirs; a later 修正 of the date of death does not rewrite it."""
    record = okuyami()
    _, pages = walk(client, clock, record, keep_shown)
    summary = next(p for p in pages if is_summary(p))
    assert re.search(r'value="edit:(member_2)"', summary), "the summary offers 修正"
    pairs = [
        ("csrf_token", hidden(summary, "csrf_token")[0]),
        ("lang", "ja"),
        ("_state", hidden(summary, "_state")[0]),
        ("_action", "edit:member_2"),
    ]
    member = post(client, URL, pairs)
    record, page = correct_the_death(client, record, member, "next")
    assert is_summary(page.text)
    qr = decoded(
        post(client, URL, [*form_pairs(page.text, record), ("_action", "qr")]), keys, clock, catalog
    )
    assert qr.persons[1].died_on == record.persons[1].died_on != DIED
    assert qr.dates["event"] == qr.dates["household_change"] == DIED  # as confirmed


def test_a_value_the_resident_emptied_is_not_filled_again(client: TestClient, clock: Any) -> None:
    record = okuyami()
    dates = to_dates_page(client, clock, record)
    pairs = [
        (k, "" if k == "date.household_change" else v)
        for k, v in keep_shown(dates.text, form_pairs(dates.text, record))
    ]
    assert ("date.household_change", "") in pairs
    after = post(client, URL, [*pairs, ("_action", "back")])
    assert after.status_code == 200
    forward = post(client, URL, [*form_pairs(after.text, record), ("_action", "next")])
    for _ in range(5):
        if "date.event" in shown_questions(forward.text):
            break
        forward = post(client, URL, [*form_pairs(forward.text, record), ("_action", "next")])
    assert "date.event" in shown_questions(forward.text)
    assert not value_of(forward.text, "date.household_change")  # left empty, as emptied
    assert value_of(forward.text, "date.event") == to_japanese(DIED)
