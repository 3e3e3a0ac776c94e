"""Every page of the site, rendered from the catalogue: labels, marks, accessibility, no JS."""

from __future__ import annotations

import re
from typing import Any

import markupsafe
import pytest
from fastapi.testclient import TestClient
from preentry_support import (
    complete_pairs,
    fitting_samples,
    form_pairs,
    is_navigator,
    is_result,
    is_summary,
    navigated_forms,
    on_sample_day,
    post,
    samples,
    shown_questions,
)

from forms.catalog import Catalog
from preentry.i18n import Msg, Page
from preentry.webform import (
    Procedure,
    SiteGuide,
    autocomplete_for,
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


def walk(client: TestClient, clock: Any, procedure: Procedure, sample: str) -> list[str]:
    """Every page of the guided walk for one sample, the QR page last."""
    record = SAMPLES[sample]
    on_sample_day(clock, record)
    pages: list[str] = []
    query = f"people={len(record.persons)}" if procedure.has_groups else "people=0"
    complete_pairs(client, procedure_url(procedure), query, record, pages=pages)
    return pages


def some_sample(procedure: Procedure) -> str:
    fitting = fitting_samples(procedure)
    assert fitting, procedure.id
    return max(fitting, key=lambda name: len(fitting[name].persons))


@pytest.mark.parametrize("procedure", _procedure_ids())
def test_guided_pages_ask_every_item_once_with_labels_in_both_languages(
    client: TestClient, procedure: Procedure, clock: Any
) -> None:
    sample = some_sample(procedure)
    pages = walk(client, clock, procedure, sample)
    assert is_result(pages[-1]) and is_summary(pages[-2])
    record = SAMPLES[sample]
    fixed = client.app.state.site.fixed(procedure)  # type: ignore[attr-defined]
    forms = [
        Catalog.builtin().get(t) for t in navigated_forms(Catalog.builtin(), procedure, record)
    ]
    guide = SiteGuide(forms, record, fixed=fixed)
    want = {q.path for g in guide.screens() for q in guide.asked_on(g)}
    shown_on: dict[str, int] = {}
    japanese = Page("ja")
    for n, page in enumerate(pages[:-2]):
        for path in shown_questions(page):
            shown_on.setdefault(path, n)
        # one topic per page, titled as the kiosk titles it
        assert page.count("<h1>") == 1
        # every control has a label: <label for=ID> or a fieldset legend over radios
        ids = re.findall(r'<(?:input|select|textarea)[^>]* id="([^"]+)"', page)
        for control_id in ids:
            assert f'for="{control_id}"' in page, control_id
        assert 'value="next"' in page or is_summary(page)
        if is_navigator(page):
            continue
    assert set(shown_on) <= want | {path for page in pages for path in shown_questions(page)}, (
        "asked once each"
    )
    assert shown_on, "something is asked"
    # only what applies: nothing the final answers rule out was asked on the way
    for group in guide.screens():
        for q in guide.asked_on(group):
            label = japanese.plain(
                q.slot.spec.label if q.uses else Msg(f"question.{q.slot.spec.id}.label")
            )
            assert label
    english = client.get(
        f"{procedure_url(procedure)}?"
        + (f"people={len(record.persons)}" if procedure.has_groups else "people=0")
        + "&lang=en"
    ).text
    assert 'lang="ja"' in english and '<html lang="en">' in english
    summary = pages[-2]
    assert summary.count('value="edit:') == len(guide.screens()), "修正 on every section"


def test_form_controls_follow_the_field_types(client: TestClient, clock: Any) -> None:
    procedure = next(p for p in procedures(Catalog.builtin()) if p.id == "moving_in")
    page = "".join(walk(client, clock, procedure, "silva_from_abroad"))
    assert 'name="person[0].name:family"' in page and 'name="person[0].name:given"' in page
    assert re.search(r'name="person\[0\]\.name:family"[^>]*autocomplete="family-name"', page)
    # another person's name is never the resident's autofill
    assert re.search(r'name="person\[1\]\.name:family"[^>]*autocomplete="off"', page)
    # only what applies: moving in never asks 転出先 (the bundle fixes the kind to 転入)
    assert 'name="address.destination' not in page
    assert 'name="address.new:postal_code"' in page and 'inputmode="numeric"' in page
    assert 'autocomplete="section-new postal-code"' in page
    assert '<option value="東京都">' in page  # prefectures as a list
    assert 'type="radio"' in page  # short option lists as large radio buttons
    assert 'type="tel"' in page
    assert "令和7年5月1日" in page  # the date hint
    assert "カタカナ" in page  # the kana hint
    # closed sets are lists: 続柄, 国籍, 在留資格
    for path in ("person[0].relation", "person[0].nationality"):
        assert re.search(rf'<select id="[^"]+" name="{re.escape(path)}"', page), path
    # the individual number and the signature are left for the counter, and said so
    assert "窓口で伺う項目" in page
    assert "individual_number" not in " ".join(shown_questions(page))


def test_agent_and_guarantor_are_not_autofilled_as_the_resident() -> None:
    assert autocomplete_for("answers.agent_name", "family-name") == "section-agent family-name"
    assert autocomplete_for("answers.agent_phone", "tel") == "section-agent tel"
    assert autocomplete_for("address.agent", "postal-code") == "section-agent postal-code"
    assert autocomplete_for("answers.inkan.guarantor_name", "given-name") == (
        "section-guarantor given-name"
    )
    assert autocomplete_for("person[0].name", "given-name") == "given-name"
    assert autocomplete_for("person[2].name", "given-name") == "off"
    assert autocomplete_for("answers.old_head_name", "family-name") == "off"


def test_agent_page_autocomplete(client: TestClient, clock: Any) -> None:
    procedure = next(p for p in procedures(Catalog.builtin()) if p.id == "koseki")
    pages = walk(client, clock, procedure, some_sample(procedure))
    agent = [p for p in pages if 'name="answers.agent_name:family"' in p]
    assert agent, "the agent's page"
    assert 'autocomplete="section-agent family-name"' in agent[0]
    assert 'autocomplete="family-name"' not in agent[0]


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
    client: TestClient, catalog: Catalog, clock: Any
) -> None:
    procedure = next(p for p in procedures(catalog) if p.id == "moving_in")
    record = SAMPLES["yoshino_household"]
    on_sample_day(clock, record)
    url = procedure_url(procedure)
    first = client.get(f"{url}?people={len(record.persons)}").text
    assert "error-summary" not in first, "nothing is red before 次へ"
    pairs = form_pairs(first, record)
    wrong = {"person[0].birth_date": "令和99年13月40日", "person[0].kana:family": "yoshino"}
    bad = [(n, wrong.get(n, v)) for n, v in pairs if not n.startswith("person[0].name:")]
    response = post(client, url, [*bad, ("_action", "next")])
    assert response.status_code == 422
    text = response.text
    assert 'class="error-summary"' in text and 'role="alert"' in text
    assert re.search(r'class="error-summary"[^>]*autofocus', text), "focus on the summary"
    # the kiosk's own messages (forms.fields / forms.fill), word for word
    expected = {
        "person[0].birth_date": "存在しない日付です",
        "person[0].kana": "フリガナはカタカナで入力してください",
        "person[0].name": "入力してください",
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
    kana = record.persons[0].kana
    assert kana is not None
    family = kana.given
    assert f'value="{family}"' in text
    assert 'aria-invalid="true"' in text
    # 戻る/次へ keep what was typed: back to the household step and forward again
    fixed = form_pairs(text, record)
    onward = post(client, url, [*fixed, ("_action", "next")])
    assert onward.status_code == 200 and "error-summary" not in onward.text
    back = post(client, url, [*form_pairs(onward.text, record), ("_action", "back")])
    assert back.status_code == 200 and f'value="{family}"' in back.text


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
