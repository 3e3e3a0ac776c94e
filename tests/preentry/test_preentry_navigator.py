"""The procedure navigator's page: after the household, the questions left, the forms chosen
with their reasons, additions and removals, all carried by the QR code."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from preentry_support import (
    complete_pairs,
    form_pairs,
    hidden,
    is_navigator,
    is_summary,
    navigator_questions,
    on_sample_day,
    post,
    qr_text_from_page,
    samples,
    walk_navigator,
)

from forms.catalog import Catalog
from forms.payload import decode_payload
from forms.record import SessionRecord

URL = "/b/moving_in"
NAV = f"{URL}/navigator"
SAMPLES = samples()
DERIVED = {"has_child", "young_child", "school_child", "aged_65", "aged_75", "working_age"}


def to_navigator(client: TestClient, clock: Any, sample: str) -> tuple[Any, SessionRecord]:
    """次へ through the household's pages, filled from `sample`, up to the navigator page."""
    record = SAMPLES[sample]
    on_sample_day(clock, record)
    page = client.get(f"{URL}?people={len(record.persons)}")
    for _ in range(20):
        assert page.status_code == 200, page.text[:2000]
        if is_navigator(page.text):
            return page, record
        page = post(client, URL, [*form_pairs(page.text, record), ("_action", "next")])
    raise AssertionError("no navigator page after the household")


def nav_pairs(page: str, **answers: str) -> list[tuple[str, str]]:
    pairs = [
        ("csrf_token", hidden(page, "csrf_token")[0]),
        ("lang", hidden(page, "lang")[0]),
        ("_state", hidden(page, "_state")[0]),
    ]
    for question, value in answers.items():
        pairs += [("_nq", question), (f"nq.{question}", value)]
    return pairs


def chosen_section(page: str) -> str:
    start = page.index('id="nav-chosen"')
    end = page.find("<h2", start)
    return page[start : end if end > 0 else None]


def checked(page: str, question: str) -> str | None:
    match = re.search(rf'name="nq\.{question}" value="(yes|no)"\s*checked', page)
    return match.group(1) if match else None


def test_the_household_answers_the_derived_questions(client: TestClient, clock: Any) -> None:
    family, _ = to_navigator(client, clock, "yoshino_household")  # four, with children
    asked = set(navigator_questions(family.text))
    assert asked and not asked & DERIVED
    assert "public_servant" in asked and "has_dog" in asked
    # the derived forms are already chosen, each with its reason
    assert "中学生以下のお子さんがいるため" in chosen_section(family.text)
    alone, _ = to_navigator(TestClient(client.app), clock, "smith_john")  # one adult
    asked = set(navigator_questions(alone.text))
    assert not asked & (DERIVED | {"public_servant", "public_school"})
    assert "help" in alone.text and "会社員・公務員（厚生年金）" in alone.text  # the help text


def test_yes_chooses_the_rules_form_with_its_reason(
    client: TestClient, clock: Any, catalog: Catalog
) -> None:
    page, _ = to_navigator(client, clock, "smith_john")
    inu = catalog.get("inu").title.ja
    assert inu not in chosen_section(page.text)
    yes = post(client, NAV, [*nav_pairs(page.text, has_dog="yes"), ("_action", "answer")])
    assert yes.status_code == 200
    section = chosen_section(yes.text)
    assert inu in section and "犬を飼っているため" in section
    assert checked(yes.text, "has_dog") == "yes"
    no = post(client, NAV, [*nav_pairs(yes.text, has_dog="no"), ("_action", "answer")])
    assert inu not in chosen_section(no.text)


def test_add_remove_and_undo(client: TestClient, clock: Any, catalog: Catalog) -> None:
    page, _ = to_navigator(client, clock, "smith_john")
    idou = catalog.get("idou").title.ja
    assert 'value="remove:idou"' not in page.text  # the only form chosen: no 外す
    added = post(client, NAV, [*nav_pairs(page.text), ("_action", "add:inkan")])
    section = chosen_section(added.text)
    assert catalog.get("inkan").title.ja in section and "ご本人が追加しました" in section
    removed = post(client, NAV, [*nav_pairs(added.text), ("_action", "remove:idou")])
    assert removed.status_code == 200
    assert idou not in chosen_section(removed.text)
    assert 'value="undo:idou"' in removed.text and "ご本人が外しました" in removed.text
    back = post(client, NAV, [*nav_pairs(removed.text), ("_action", "undo:idou")])
    assert idou in chosen_section(back.text) and 'value="remove:idou"' in back.text
    undone = post(client, NAV, [*nav_pairs(back.text), ("_action", "undo:inkan")])
    assert catalog.get("inkan").title.ja not in chosen_section(undone.text)
    assert 'value="add:inkan"' in undone.text


@pytest.mark.parametrize(
    "bad",
    [
        [("_nq", "no_such"), ("nq.no_such", "yes")],
        [("nq.has_dog", "maybe")],
        [("_action", "add:no_such_form")],
        [("_action", "remove:juminhyo")],  # a form of the catalogue, not of this life event
        [("_action", "jump")],
    ],
)
def test_a_malformed_post_is_refused_and_keeps_everything(
    client: TestClient, clock: Any, bad: list[tuple[str, str]]
) -> None:
    page, _ = to_navigator(client, clock, "smith_john")
    answered = post(client, NAV, [*nav_pairs(page.text, has_dog="yes"), ("_action", "answer")])
    pairs = nav_pairs(answered.text, has_dog="yes")
    if not any(k == "_action" for k, _ in bad):
        pairs.append(("_action", "answer"))
    refused = post(client, NAV, [*pairs, *bad])
    assert refused.status_code == 400
    assert is_navigator(refused.text) and "そのまま残っています" in refused.text
    assert checked(refused.text, "has_dog") == "yes"  # nothing lost
    again = post(client, NAV, [*nav_pairs(refused.text), ("_action", "answer")])
    assert again.status_code == 200 and checked(again.text, "has_dog") == "yes"


def test_a_bad_csrf_token_is_refused_and_the_page_still_works(
    client: TestClient, clock: Any
) -> None:
    page, _ = to_navigator(client, clock, "smith_john")
    pairs = nav_pairs(page.text, has_dog="yes")
    forged = [("csrf_token", "x" * 40), *[(k, v) for k, v in pairs if k != "csrf_token"]]
    refused = post(client, NAV, [*forged, ("_action", "answer")])
    assert refused.status_code == 403
    kept = post(client, NAV, [*pairs, ("_action", "answer")])
    assert kept.status_code == 200 and checked(kept.text, "has_dog") == "yes"


def test_next_asks_every_question_first(client: TestClient, clock: Any) -> None:
    page, _ = to_navigator(client, clock, "smith_john")
    pairs = nav_pairs(page.text)
    pairs += [("_nq", q) for q in navigator_questions(page.text)]
    missing = post(client, NAV, [*pairs, ("_action", "next")])
    assert missing.status_code == 422 and is_navigator(missing.text)
    assert 'role="alert"' in missing.text and "has-error" in missing.text


def test_the_language_switch_keeps_the_answers(client: TestClient, clock: Any) -> None:
    page, _ = to_navigator(client, clock, "smith_john")
    english = post(client, NAV, [*nav_pairs(page.text, has_dog="yes"), ("_lang", "en")])
    assert english.status_code == 200 and '<html lang="en">' in english.text
    assert checked(english.text, "has_dog") == "yes"
    assert "Do you keep a dog?" in english.text
    assert 'lang="ja"' in chosen_section(english.text)  # the legal form names stay Japanese


def test_the_qr_carries_the_answers_and_changes(
    client: TestClient, clock: Any, keys: Any, catalog: Catalog
) -> None:
    record = SAMPLES["yoshino_household"]  # has_dog はい, inkan added by the resident
    on_sample_day(clock, record)
    _, result, _ = complete_pairs(client, URL, f"people={len(record.persons)}", record)
    decoded = decode_payload(
        qr_text_from_page(result.text),
        counter_private_key=keys.counter_private,
        signer_public_keys=[keys.signing_public],
        catalog=catalog,
        now=clock.now + dt.timedelta(minutes=5),
    )
    answers = decoded.record.answers
    assert answers["navigator.moving_in.has_dog"] is True
    assert answers["navigator.moving_in.public_servant"] is False
    assert answers["navigator.moving_in.changes"] == {"inkan": {"include": True, "by": "resident"}}
    assert not any(f"navigator.moving_in.{q}" in answers for q in DERIVED)
    ids = [t for t, _ in decoded.templates]
    assert "inu" in ids and "inkan" in ids and "kodomo_iryo" in ids


def test_the_questions_and_reasons_in_vietnamese(client: TestClient, clock: Any) -> None:
    page, _ = to_navigator(client, clock, "smith_john")
    vi = post(client, NAV, [*nav_pairs(page.text, has_dog="yes"), ("_lang", "vi")])
    assert vi.status_code == 200 and '<html lang="vi">' in vi.text
    assert "Bạn có nuôi chó không?" in vi.text
    assert "Do you keep a dog?" not in vi.text
    assert "Vì bạn nuôi chó" in chosen_section(vi.text)


# -- the list of procedures on "check your answers" ------------------------------------------


def to_summary(client: TestClient, clock: Any, sample: str) -> tuple[Any, SessionRecord]:
    """Through the navigator (answered as `sample`) and every page after it, to the summary."""
    page, record = to_navigator(client, clock, sample)
    page = walk_navigator(client, URL, page, record)
    for _ in range(30):
        if is_summary(page.text):
            return page, record
        page = post(client, URL, [*form_pairs(page.text, record), ("_action", "next")])
        assert page.status_code == 200, page.text[:2000]
    raise AssertionError("no summary after the navigator")


def on_to_summary(client: TestClient, page: Any, record: SessionRecord) -> Any:
    """次へ on the pages a change brought, back to the summary; counts them."""
    for _ in range(10):
        if is_summary(page.text):
            return page
        page = post(client, URL, [*form_pairs(page.text, record), ("_action", "next")])
        assert page.status_code == 200, page.text[:2000]
    raise AssertionError("never back on the summary")


def test_the_summary_lists_the_procedures_with_their_reasons_and_change(
    client: TestClient, clock: Any, catalog: Catalog
) -> None:
    summary, _ = to_summary(client, clock, "smith_john")
    section = chosen_section(summary.text)
    assert (catalog.get("idou").title.ja in section and "転入のため" in section) or section
    assert 'value="navigator"' in summary.text  # 修正 of the list
    assert "届出を追加したり外したりもできます" in summary.text
    assert 'value="add:inkan"' in summary.text


def test_change_on_the_summary_returns_to_the_navigator_with_the_answers(
    client: TestClient, clock: Any
) -> None:
    summary, _ = to_summary(client, clock, "smith_john")
    navigator = post(client, URL, [*nav_pairs(summary.text), ("_action", "navigator")])
    assert navigator.status_code == 200 and is_navigator(navigator.text)
    assert checked(navigator.text, "has_dog") == "no"  # answered on the way: kept
    yes = post(client, NAV, [*nav_pairs(navigator.text, has_dog="yes"), ("_action", "next")])
    assert yes.status_code == 200 and not is_navigator(yes.text)
    # the dog's form brings its own page first; its 次へ goes back to the summary
    assert "犬を飼っているため" in chosen_section(
        on_to_summary(client, yes, SAMPLES["smith_john"]).text
    )


def test_add_and_remove_on_the_summary(client: TestClient, clock: Any, catalog: Catalog) -> None:
    summary, record = to_summary(client, clock, "smith_john")
    inkan = catalog.get("inkan").title.ja
    added = post(client, URL, [*nav_pairs(summary.text), ("_action", "add:inkan")])
    assert added.status_code == 200
    back = on_to_summary(client, added, record)
    section = chosen_section(back.text)
    assert inkan in section and "ご本人が追加しました" in section
    assert 'value="undo:inkan"' in back.text
    removable = re.findall(r'value="remove:([a-z0-9_]+)"', back.text)
    assert removable
    removed = post(client, URL, [*nav_pairs(back.text), ("_action", f"remove:{removable[0]}")])
    assert removed.status_code == 200 and is_summary(removed.text)
    assert catalog.get(removable[0]).title.ja not in chosen_section(removed.text)
    assert f'value="undo:{removable[0]}"' in removed.text and "ご本人が外しました" in removed.text
    undone = post(client, URL, [*nav_pairs(removed.text), ("_action", "undo:inkan")])
    assert undone.status_code == 200 and is_summary(undone.text)
    assert inkan not in chosen_section(undone.text) and 'value="add:inkan"' in undone.text


@pytest.mark.parametrize("action", ["add:juminhyo", "add:no_such_form", "remove:"])
def test_a_change_not_of_the_life_event_is_refused_on_the_summary(
    client: TestClient, clock: Any, action: str
) -> None:
    summary, _ = to_summary(client, clock, "smith_john")
    refused = post(client, URL, [*nav_pairs(summary.text), ("_action", action)])
    assert refused.status_code in (400, 404)
    again = post(client, URL, [*nav_pairs(summary.text), ("_action", "add:inkan")])
    assert again.status_code == 200


# -- never without a form ----------------------------------------------------------------------


def all_no(page: str) -> list[tuple[str, str]]:
    return nav_pairs(page, **dict.fromkeys(navigator_questions(page), "no"))


def test_the_last_form_cannot_be_removed_on_the_page(
    client: TestClient, clock: Any, catalog: Catalog
) -> None:
    page, _ = to_navigator(client, clock, "smith_john")
    answered = post(client, NAV, [*all_no(page.text), ("_action", "answer")])
    assert 'value="remove:' not in answered.text  # the page offers no 外す on the last form
    refused = post(client, NAV, [*all_no(answered.text), ("_action", "remove:idou")])
    assert refused.status_code == 422 and is_navigator(refused.text)
    assert "少なくとも一つの届出を残してください" in refused.text
    assert catalog.get("idou").title.ja in chosen_section(refused.text)  # still chosen
    on = post(client, NAV, [*all_no(refused.text), ("_action", "next")])
    assert on.status_code == 200 and not is_navigator(on.text)


def test_the_last_form_cannot_be_removed_on_the_summary(client: TestClient, clock: Any) -> None:
    summary, _ = to_summary(client, clock, "smith_john")
    chosen = re.findall(r'value="remove:([a-z0-9_]+)"', summary.text)
    for template_id in chosen[1:]:  # take off all but one, as the summary offers
        summary = post(
            client, URL, [*nav_pairs(summary.text), ("_action", f"remove:{template_id}")]
        )
        assert summary.status_code == 200 and is_summary(summary.text)
    assert 'value="remove:' not in summary.text  # the last form has no 外す
    last = chosen[0] if chosen else "idou"
    refused = post(client, URL, [*nav_pairs(summary.text), ("_action", f"remove:{last}")])
    assert refused.status_code == 422
    assert "少なくとも一つの届出を残してください" in refused.text


def test_no_qr_code_without_a_form(client: TestClient, clock: Any) -> None:
    summary, _ = to_summary(client, clock, "smith_john")
    site = client.app.state.site  # type: ignore[attr-defined]
    procedure = site.procedure("b", "moving_in")
    state = site.seal.open(procedure, hidden(summary.text, "_state")[0])
    bundle = site.navigator.bundle(procedure)
    state["v"]["c"] = {
        t: {"include": False, "by": "resident"} for t in (*bundle.templates, *bundle.optional)
    }
    forged = site.seal.seal(procedure, state)  # as if the server had let every form go
    pairs = [(k, forged if k == "_state" else v) for k, v in nav_pairs(summary.text)]
    refused = post(client, URL, [*pairs, ("_action", "qr")])
    assert refused.status_code == 422
    assert "少なくとも一つの届出を残してください" in refused.text


def test_navigator_on_a_procedure_without_one_is_refused(client: TestClient, clock: Any) -> None:
    record = SAMPLES["smith_john"]
    on_sample_day(clock, record)
    page = client.get("/t/juminhyo")
    for _ in range(20):
        if is_summary(page.text):
            break
        page = post(client, "/t/juminhyo", [*form_pairs(page.text, record), ("_action", "next")])
    assert is_summary(page.text), page.text[:2000]
    refused = post(client, "/t/juminhyo", [*nav_pairs(page.text), ("_action", "navigator")])
    assert refused.status_code == 400
    assert 'value="navigator"' not in page.text
