"""The site in the ten languages (server side; the same in Chromium: test_preentry_browser).

Every page in every language from the catalogues (no key left showing), `<html lang>` the
page's language, the Japanese of the legal terms beside the labels, the language switch
keeping what was entered on every step, and the QR page naming the kiosk's button in the
kiosk's own words.
"""

from __future__ import annotations

import html
import re
from typing import Any

import markupsafe
import pytest
from fastapi.testclient import TestClient
from preentry_support import (
    complete_pairs,
    csrf_token,
    form_pairs,
    hidden,
    on_sample_day,
    post,
    samples,
    shown_questions,
)

from forms.catalog import Catalog
from forms.fill import fill
from forms.i18n import CODES, LANGUAGES, language
from forms.i18n.domains import domain_named
from preentry.i18n import KIOSK_QR_BUTTON, PREENTRY, Page
from preentry.webform import Procedure, procedure_url, procedures

KEYS = sorted(PREENTRY.keys("ja"))


def no_key_left(page: str) -> None:
    for key in KEYS:
        assert key not in page, f"{key} shown as a key"
    assert KIOSK_QR_BUTTON not in page


def visible(page: str) -> str:
    """The page's text as read: furigana and tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<rt>.*?</rt>|<rp>.*?</rp>|<[^>]+>", "", page))


def moving_in(catalog: Catalog) -> Procedure:
    return next(p for p in procedures(catalog) if p.kind == "b" and p.id == "moving_in")


def simple(catalog: Catalog) -> tuple[Procedure, Any]:
    """A procedure without a household step and a sample resident who fits it."""
    for procedure in procedures(catalog):
        if procedure.has_groups or procedure.optional:
            continue
        for record in samples().values():
            if all(fill(t, record).ok for t in procedure.templates):
                return procedure, record
    raise AssertionError("no simple procedure with a sample")


def test_the_domain_is_registered_and_complete() -> None:
    domain = domain_named("preentry")
    assert domain is not None and domain.keys("ja") == set(KEYS)
    for code in CODES:
        assert PREENTRY.keys(code) == set(KEYS), code


@pytest.mark.parametrize("code", CODES)
def test_every_page_in_every_language(client: TestClient, catalog: Catalog, code: str) -> None:
    lang = language(code).html_lang
    bundle = moving_in(catalog)
    pages = [
        client.get(f"/?lang={code}").text,
        client.get(f"{procedure_url(bundle)}?lang={code}").text,
        client.get(f"{procedure_url(bundle)}?lang={code}&people=2").text,
        client.get(f"/nowhere?lang={code}").text,
    ]
    for page in pages:
        assert f'<html lang="{lang}">' in page
        no_key_left(page)
        # the switch: every language named in its own script, marked with its own lang
        for other in LANGUAGES:
            name = str(markupsafe.escape(other.native_name))
            assert name in page
            if other.html_lang != lang:
                assert re.search(
                    rf'lang="{re.escape(other.html_lang)}"[^>]*>{re.escape(name)}<', page
                )
    index, household, form, _ = pages
    assert Page(code).plain(bundle.title) in visible(index)
    if code != "ja":
        # the legal term's Japanese beside the label, marked as Japanese
        assert f'<span lang="ja" class="beside">{bundle.title.ja}</span>' in form
        assert f'href="{procedure_url(bundle)}?lang={code}"' in index
    assert hidden(household, "lang") == [code] and hidden(form, "lang") == [code]


@pytest.mark.parametrize("code", CODES)
def test_the_qr_page_names_the_kiosk_button_in_its_own_words(
    client: TestClient, catalog: Catalog, code: str
) -> None:
    procedure, record = simple(catalog)
    _, page, _ = complete_pairs(client, procedure_url(procedure), f"people=0&lang={code}", record)
    assert page.status_code == 200 and 'class="qr"' in page.text
    assert f'<html lang="{language(code).html_lang}">' in page.text
    no_key_left(page.text)
    kiosk = domain_named("kiosk")
    assert kiosk is not None
    step = re.search(r'<li class="kiosk-step">(.*?)</li>', page.text, re.S)
    assert step
    words = kiosk.text(code, KIOSK_QR_BUTTON)
    shown = visible(step.group(1))
    assert shown.count(words) == 1, (code, shown)
    if code != "ja":
        assert kiosk.text("ja", KIOSK_QR_BUTTON) in shown


def test_the_switch_keeps_the_entries_on_every_guided_page(
    client: TestClient, catalog: Catalog, clock: Any
) -> None:
    procedure = moving_in(catalog)
    record = samples()["silva_from_abroad"]
    on_sample_day(clock, record)
    url = procedure_url(procedure)
    first = client.get(f"{url}?people={len(record.persons)}").text
    pairs = form_pairs(first, record)
    switched = post(client, url, [*pairs, ("_lang", "vi")])
    assert switched.status_code == 200, "nothing is checked on a switch"
    assert '<html lang="vi">' in switched.text and "error-summary" not in switched.text
    assert hidden(switched.text, "lang") == ["vi"]
    # the same page (with the items an answer there added: 在留資格 once 国籍 is chosen)
    assert set(shown_questions(first)) < set(shown_questions(switched.text))
    for name, value in pairs:
        if (":" in name or name.endswith("birth_date")) and value:  # typed, not chosen
            kept = re.escape(str(markupsafe.escape(value)))
            assert re.search(rf'value="{kept}"(?: selected| checked|[^>]*>)', switched.text), name
    # 戻る from the first page: the household step, as a post keeping the sealed answers;
    # its switch keeps them too, and 次へ comes back to the same entries
    back = post(client, url, [*form_pairs(switched.text, record), ("_action", "back")])
    assert back.status_code == 200 and 'id="people"' in back.text and hidden(back.text, "_state")
    step = post(
        client,
        url,
        [
            ("csrf_token", csrf_token(back.text)),
            ("_state", hidden(back.text, "_state")[0]),
            ("lang", "vi"),
            ("_lang", "ko"),
        ],
    )
    assert (
        step.status_code == 200 and '<html lang="ko">' in step.text and 'id="people"' in step.text
    )
    again = post(
        client,
        url,
        [
            ("csrf_token", csrf_token(step.text)),
            ("_state", hidden(step.text, "_state")[0]),
            ("lang", "ko"),
            ("people", str(len(record.persons))),
            ("_action", "start"),
        ],
    )
    family = record.persons[0].kana.family
    assert again.status_code == 200 and f'value="{family}"' in again.text
    # on through every page; the switch on "check your answers" keeps the answers too
    pages: list[str] = []
    _, done, _ = complete_pairs(client, url, "", record, pages=pages, start=again)
    assert done.status_code == 200 and '<html lang="ko">' in done.text and 'class="qr"' in done.text
    summary_page = pages[-2]
    assert 'value="edit:' in summary_page
    rows = re.findall(r"<dd[^>]*>(.*?)</dd>", summary_page)
    summary_again = post(
        client,
        url,
        [
            ("csrf_token", csrf_token(summary_page)),
            ("_state", hidden(summary_page, "_state")[0]),
            ("lang", "ko"),
            ("_lang", "pt"),
        ],
    )
    assert '<html lang="pt">' in summary_again.text
    assert re.findall(r"<dd[^>]*>(.*?)</dd>", summary_again.text) == rows


def test_the_switch_keeps_the_household_step(client: TestClient, catalog: Catalog) -> None:
    bundle = moving_in(catalog)
    extra = bundle.optional[0].id if bundle.optional else ""
    query = "lang=ja&people=3&_lang=ko" + (f"&with={extra}" if extra else "")
    page = client.get(f"{procedure_url(bundle)}?{query}").text
    assert '<html lang="ko">' in page and 'id="people"' in page, "the same step again"
    assert '<option value="3" selected>' in page
    if extra:
        assert re.search(rf'value="{extra}" checked', page)
    assert hidden(page, "lang") == ["ko"]


def test_the_switch_on_the_qr_page_gives_the_same_qr_page_in_the_other_language(
    client: TestClient, catalog: Catalog
) -> None:
    procedure, record = simple(catalog)
    _, page, _ = complete_pairs(client, procedure_url(procedure), "people=0", record)
    carried = re.search(r'<form method="post"[^>]*id="again".*?</form>', page.text, re.S)
    assert carried
    pairs = [
        (html.unescape(n), html.unescape(v))
        for n, v in re.findall(r'name="([^"]+)" value="([^"]*)"', carried.group(0))
    ]
    assert ("csrf_token", csrf_token(page.text)) in pairs
    again = post(client, procedure_url(procedure), [*pairs, ("_lang", "ne")])
    assert again.status_code == 200 and '<html lang="ne">' in again.text
    assert 'class="qr"' in again.text
    summary = re.findall(r"<dd[^>]*>(.*?)</dd>", page.text)
    assert summary and re.findall(r"<dd[^>]*>(.*?)</dd>", again.text) == summary


def test_an_unknown_language_is_japanese_not_an_error(client: TestClient) -> None:
    page = client.get("/?lang=xx")
    assert page.status_code == 200 and '<html lang="ja">' in page.text
