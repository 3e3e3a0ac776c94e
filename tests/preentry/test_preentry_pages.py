"""Every page of the site, rendered from the catalogue: labels, marks, accessibility, no JS."""

from __future__ import annotations

import re
from typing import Any

import markupsafe
import pytest
from fastapi.testclient import TestClient
from preentry_support import form_pairs, post, samples, shown_questions

from forms.catalog import Catalog
from forms.clock import OfficeClock
from preentry.i18n import Page
from preentry.webform import (
    Procedure,
    asked_questions,
    blank_record,
    build_sections,
    procedure_url,
    procedures,
)

SAMPLES = samples()


def _procedure_ids() -> list[Any]:
    return [pytest.param(p, id=f"{p.kind}-{p.id}") for p in procedures(Catalog.builtin())]


def form_url(procedure: Procedure, people: int | None = None) -> str:
    if not procedure.has_groups:
        return f"{procedure_url(procedure)}?people=0"
    low, _ = procedure.people_range()
    return f"{procedure_url(procedure)}?people={people or low}"


def test_index_lists_every_bundle_and_template(client: TestClient, catalog: Catalog) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert '<html lang="ja">' in page.text
    english = client.get("/?lang=en").text
    assert '<html lang="en">' in english
    for bundle in catalog.bundles():
        assert f'href="/b/{bundle.id}"' in page.text
        assert bundle.title.ja in page.text
    for template in catalog.latest():
        assert f'href="/t/{template.id}"' in page.text
        assert template.title.ja in page.text
        # English first, with the Japanese title beside it
        assert f'href="/t/{template.id}?lang=en"' in english
        assert str(markupsafe.escape(template.title.en)) in english
        assert template.title.ja in english


@pytest.mark.parametrize("procedure", _procedure_ids())
def test_household_step_then_form(client: TestClient, procedure: Procedure) -> None:
    first = client.get(procedure_url(procedure))
    assert first.status_code == 200
    if procedure.has_groups or procedure.optional:
        assert 'method="get"' in first.text and "csrf_token" not in first.text
        if procedure.has_groups:
            low, high = procedure.people_range()
            options = re.findall(r'<option value="(\d+)"', first.text)
            assert options == [str(n) for n in range(low, high + 1)]
        for optional in procedure.optional:
            assert f'name="with" value="{optional.id}"' in first.text
    else:
        assert 'method="post"' in first.text
    page = client.get(form_url(procedure))
    assert page.status_code == 200
    assert 'method="post"' in page.text and "csrf_token" in page.text


@pytest.mark.parametrize("procedure", _procedure_ids())
def test_form_asks_every_item_once_with_labels_in_both_languages(
    client: TestClient, procedure: Procedure, clock: Any
) -> None:
    _low, high = procedure.people_range()
    people = high if procedure.has_groups else 0
    page = client.get(form_url(procedure, people)).text
    record = blank_record(people, OfficeClock(source=clock).today())
    want = [q.path for q in asked_questions(procedure.templates, record)]
    shown = shown_questions(page)
    assert sorted(shown) == sorted(want)
    assert len(set(shown)) == len(shown), "a bundle asks each item once"
    # every control has a label: <label for=ID> or a fieldset legend over radios/checkboxes
    ids = re.findall(r'<(?:input|select|textarea)[^>]* id="([^"]+)"', page)
    assert ids
    for control_id in ids:
        assert f'for="{control_id}"' in page, control_id
    english = client.get(form_url(procedure, people) + "&lang=en").text
    japanese_page, english_page = Page("ja"), Page("en")
    for section in build_sections(procedure.templates, record, {}, {}):
        assert japanese_page.plain(section.title) in page
        for view in section.questions:
            ja, en = japanese_page.plain(view.label), english_page.plain(view.label)
            assert str(markupsafe.escape(ja)) in page
            assert str(markupsafe.escape(en)) in english and str(markupsafe.escape(ja)) in english
            # a person's item shared with a top-level field is labelled from the person's group
            uses = [t for t, ref in view.question.uses if "[" in ref]
            if uses and view.question.slot.group is None:
                assert view.label != view.question.label
    assert page.count('class="req"') >= 1
    assert 'lang="ja"' in english and '<html lang="en">' in english


def test_form_controls_follow_the_field_types(client: TestClient, catalog: Catalog) -> None:
    procedure = next(p for p in procedures(catalog) if p.kind == "b")
    page = client.get(form_url(procedure, 2)).text
    assert 'name="person[0].name:family"' in page and 'name="person[0].name:given"' in page
    assert 'autocomplete="family-name"' in page
    assert 'name="address.new:postal_code"' in page and 'inputmode="numeric"' in page
    assert 'autocomplete="postal-code"' in page
    assert '<option value="東京都">' in page  # prefectures as a list
    assert 'type="radio"' in page  # short option lists as large radio buttons
    assert 'type="tel"' in page
    assert "令和7年5月1日" in page  # the date hint
    assert "カタカナ" in page  # the kana hint
    # the individual number and the signature are left for the counter, and said so
    assert "窓口で伺う項目" in page
    assert "individual_number" not in " ".join(shown_questions(page))


def test_no_javascript_anywhere(client: TestClient, catalog: Catalog) -> None:
    urls = [
        "/",
        *(procedure_url(p) for p in procedures(catalog)),
        *(form_url(p) for p in procedures(catalog)),
    ]
    for url in urls:
        page = client.get(url)
        assert "<script" not in page.text.lower(), url
        assert not re.search(r"<[^>]+\son[a-z]+=", page.text), url
        assert "script-src" not in page.headers["content-security-policy"]
        assert "default-src 'none'" in page.headers["content-security-policy"]
    css = client.get("/static/site.css")
    assert css.status_code == 200 and "@media print" in css.text
    assert "min-height: 3rem" in css.text  # large targets


def test_error_is_tied_to_its_field_and_entries_are_kept(
    client: TestClient, catalog: Catalog
) -> None:
    procedure = next(p for p in procedures(catalog) if p.kind == "b")
    record = max(SAMPLES.values(), key=lambda r: len(r.persons))
    page = client.get(form_url(procedure, len(record.persons))).text
    pairs = form_pairs(page, record)
    bad = []
    wrong = {
        "person[1].birth_date": "令和99年13月40日",
        "person[0].kana:family": "yoshino",
        "address.new:postal_code": "12-34",
    }
    for name, value in pairs:
        if name == "answers.applicant_phone":
            continue  # a required item left empty
        bad.append((name, wrong.get(name, value)))
    response = post(client, procedure_url(procedure), bad)
    assert response.status_code == 422
    text = response.text
    assert 'class="error-summary"' in text and 'role="alert"' in text
    # the kiosk's own messages (forms.fields / forms.fill), word for word
    expected = {
        "person[1].birth_date": "存在しない日付です",
        "person[0].kana": "フリガナはカタカナで入力してください",
        "address.new": "郵便番号は7桁の数字で入力してください",
        "answers.applicant_phone": "入力してください",
    }
    for path, message in expected.items():
        match = re.search(
            rf'name="_q" value="{re.escape(path)}">\s*<(?:fieldset|div) class="question has-error"'
            rf'(?:(?!name="_q").)*?<p class="error" id="(q\d+)-error">.*?{message}',
            text,
            re.S,
        )
        assert match, path
        qid = match.group(1)
        assert re.search(rf'aria-describedby="[^"]*{qid}-error', text), path
        assert f'href="#{qid}' in text, f"the summary links to {path}"
    # what the resident typed is shown again, even the wrong bits
    assert 'value="yoshino"' in text
    assert 'value="令和99年13月40日"' in text
    family = record.persons[0].name.family
    assert f'value="{family}"' in text
    assert 'aria-invalid="true"' in text


def test_wrong_people_count_and_unknown_options_are_refused(
    client: TestClient, catalog: Catalog
) -> None:
    procedure = next(p for p in procedures(catalog) if p.kind == "b")
    low, high = procedure.people_range()
    for query in (f"people={high + 1}", "people=0", "people=-1", "people=abc", "people=99999"):
        page = client.get(f"{procedure_url(procedure)}?{query}")
        assert page.status_code == 400, query
        assert "人数" in page.text or "形式" in page.text
    page = client.get(f"{procedure_url(procedure)}?people={low}&with=no_such_form")
    assert page.status_code == 400


def test_unknown_pages_answer_404_with_a_page(client: TestClient) -> None:
    for url in ("/t/no_such_form", "/b/no_such_bundle", "/t/Bad-Id", "/t/" + "a" * 100, "/nothing"):
        page = client.get(url)
        assert page.status_code == 404, url
        assert "見つかりません" in page.text or "登録されていません" in page.text
        assert "<html" in page.text
    assert client.put("/").status_code == 405
    assert client.get("/healthz").text == "ok"
