"""The navigator's questions and rules in the bundle editor: each item edited as YAML text,
re-checked by `parse_bundle` after every edit (no back office)."""

from __future__ import annotations

import pytest

from forms.bundle import parse_bundle
from forms.catalog import Catalog
from staff.editor.bundle_draft import QUESTIONS, RULES, BundleDraft

CATALOG = Catalog.builtin()
KNOWN = [t.id for t in CATALOG.latest()]
MOVING_IN = next(b for b in CATALOG.bundles() if b.id == "moving_in")


def moving_in() -> BundleDraft:
    draft = BundleDraft.from_bundle(MOVING_IN, KNOWN)
    assert draft.ok, draft.problems
    return draft


def test_items_are_shown_as_yaml_and_labelled() -> None:
    draft = moving_in()
    assert len(draft.items(QUESTIONS)) == len(MOVING_IN.questions)
    assert draft.item_label(QUESTIONS, 0) == "no_employee_insurance"
    assert draft.item_label(RULES, 0) == "no_employee_insurance: kokuho ← no_employee_insurance"
    assert draft.item_text(RULES, 0).startswith(
        "id: no_employee_insurance\nwhen: no_employee_insurance\nforms:\n- kokuho\n"
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("kokuho", "inkan_nope", "rules.0.forms.0: 様式 inkan_nope は templates にも optional"),
        ("when: no_employee_insurance", "when: nobody", "rules.0.when: 質問 'nobody' がありません"),
        ("when: no_employee_insurance", "when: {age: 3}", "rules.0.when: 条件は質問ID"),
        ("reason:", "because:", "rules.0.because: 不明な項目です / unknown key"),
        ("when: no_employee_insurance", "when: [", "rules.0: YAML の構文誤り / malformed YAML"),
    ],
    ids=["form-not-listed", "unknown-question", "bad-condition", "unknown-key", "bad-yaml"],
)
def test_a_bad_rule_is_a_bilingual_problem_and_the_last_good_draft_stays(
    old: str, new: str, expected: str
) -> None:
    draft = moving_in()
    good = draft.item_text(RULES, 0)
    draft.set_item_text(RULES, 0, good.replace(old, new))
    assert not draft.ok and draft.bundle is None
    assert any(p.startswith(expected) for p in draft.problems), draft.problems
    assert all(" / " in p for p in draft.problems)  # ja / en
    assert draft.last_good == MOVING_IN
    draft.set_item_text(RULES, 0, good)
    assert draft.ok and draft.bundle == MOVING_IN


def test_unreadable_text_is_kept_aside_and_the_item_keeps_its_value() -> None:
    draft = moving_in()
    draft.set_item_text(RULES, 0, "- just a list")
    assert draft.problems == [
        "rules.0: 一項目は対応表（key: value）です / an item must be a mapping (key: value)"
    ]
    assert draft.item_text(RULES, 0) == "- just a list"  # what was typed, to fix
    assert draft.items(RULES)[0]["forms"] == ["kokuho"]  # the last readable value
    draft.set_item_text(RULES, 0, "when: [")
    assert draft.problems[0].startswith("rules.0: YAML の構文誤り / malformed YAML (line")
    draft.revert()
    assert draft.ok and draft.bundle == MOVING_IN


def test_bad_question_conditions_are_problems() -> None:
    draft = moving_in()
    text = draft.item_text(QUESTIONS, 1)  # has_child: derive
    draft.set_item_text(QUESTIONS, 1, text.replace("school_year_age", "shoe_size"))
    assert draft.problems and draft.problems[0].startswith("questions.1.derive")
    draft.set_item_text(QUESTIONS, 1, text.replace("derive:", "ask_if: nobody\nderive:"))
    assert any("nobody" in p for p in draft.problems), draft.problems
    draft.set_item_text(QUESTIONS, 1, text)
    assert draft.ok


def test_adding_and_removing_items_round_trips_to_yaml_parse_bundle_accepts() -> None:
    draft = BundleDraft.from_yaml("id: ev\ntitle: {ja: 手続き}\ntemplates: [idou]\n", KNOWN)
    draft.set_role("inu", "optional")
    assert draft.ok
    q = draft.add_item(QUESTIONS)
    assert q == 0 and not draft.ok  # a question no rule uses
    draft.set_item_text(
        QUESTIONS,
        q,
        "id: has_dog\ntext: {ja: 犬を飼っていますか, en: Do you keep a dog?}\n"
        "help: {ja: 登録した犬, en: a registered dog}\n",
    )
    r = draft.add_item(RULES)
    assert draft.items(RULES)[r]["forms"] == ["inu"]
    assert draft.items(RULES)[r]["id"] == "rule_1"  # a new rule comes with a free id
    draft.set_item_text(
        RULES,
        r,
        "when: has_dog\nforms: [inu]\nreason: {ja: 犬を飼っているため, en: you keep a dog}\n",
    )
    assert not draft.ok and any("rules.0.id" in p and "has no id" in p for p in draft.problems)
    draft.set_item_text(
        RULES,
        r,
        "id: has_dog\nwhen: has_dog\nforms: [inu]\n"
        "reason: {ja: 犬を飼っているため, en: you keep a dog}\n",
    )
    assert draft.ok, draft.problems
    twin = draft.add_item(RULES)
    assert draft.items(RULES)[twin]["id"] == "rule_1"
    draft.set_item_text(
        RULES, twin, "id: has_dog\nwhen: has_dog\nforms: [inu]\nreason: {ja: 犬, en: dog}\n"
    )
    assert any("rules.1.id" in p and "duplicate rule id 'has_dog'" in p for p in draft.problems)
    draft.remove_item(RULES, twin)
    assert draft.ok, draft.problems
    extra = draft.add_item(RULES)
    draft.set_item_text(RULES, extra, "when: [")
    assert not draft.ok
    draft.remove_item(RULES, extra)
    assert draft.ok and draft.pending == {}
    bundle = parse_bundle(draft.to_yaml(), "round-trip")
    assert bundle == draft.bundle
    assert [q.id for q in bundle.questions] == ["has_dog"]
    assert bundle.rules[0].forms == ["inu"]
    again = BundleDraft.from_yaml(draft.to_yaml(), KNOWN)
    assert again.ok and again.bundle == bundle


def test_the_tab_shows_a_rule_problem_and_its_fix(qtbot) -> None:
    from staff.editor.bundle_editor import BundleEditor

    editor = BundleEditor()
    qtbot.addWidget(editor)
    editor.set_bundles([MOVING_IN], KNOWN)
    assert editor.problems.count() == 0
    assert editor.rules.list.count() == len(MOVING_IN.rules)
    editor.rules.list.setCurrentRow(0)
    good = editor.rules.text.toPlainText()
    assert "kokuho" in good
    with qtbot.waitSignal(editor.changed):
        editor.rules.text.setPlainText(good.replace("- kokuho", "- nope"))
    problems = [editor.problems.item(n).text() for n in range(editor.problems.count())]
    assert problems == [
        "rules.0.forms.0: 様式 nope は templates にも optional にもありません / "
        "form nope is in neither templates nor optional"
    ]
    assert editor.rules.list.item(0).text() == (
        "no_employee_insurance: nope ← no_employee_insurance"
    )
    assert editor.revert_button.isEnabled()
    editor.rules.text.setPlainText(good)
    assert editor.problems.count() == 0
    current = editor.current()
    assert current is not None and current.bundle == MOVING_IN
    editor.rules.add_button.click()
    assert editor.rules.list.count() == len(MOVING_IN.rules) + 1
    editor.rules.remove_button.click()
    assert editor.rules.list.count() == len(MOVING_IN.rules)
    assert editor.problems.count() == 0
