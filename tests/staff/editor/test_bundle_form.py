"""The bundle tab's form for a navigator question or rule: texts in line edits, conditions as
one line of YAML each, a rule's forms as check boxes; checked by `parse_bundle` after every edit,
bad input on purpose shown as a bilingual problem, nothing already valid lost (no back office).
"""

from __future__ import annotations

import os

import pytest

from forms.catalog import Catalog
from staff.editor.bundle_draft import QUESTIONS, RULES, BundleDraft
from staff.editor.condition_text import ConditionUnreadable, condition_text, read_condition

CATALOG = Catalog.builtin()
KNOWN = [t.id for t in CATALOG.latest()]
MOVING_IN = next(b for b in CATALOG.bundles() if b.id == "moving_in")


def moving_in() -> BundleDraft:
    draft = BundleDraft.from_bundle(MOVING_IN, KNOWN)
    assert draft.ok, draft.problems
    return draft


@pytest.mark.parametrize(
    "text",
    ["has_dog", "{not: has_dog}", "{all: [has_child, {not: public_servant}]}", ""],
)
def test_a_condition_is_one_line_of_flow_yaml_both_ways(text: str) -> None:
    assert condition_text(read_condition(text)) == text


def test_a_malformed_condition_line_is_unreadable() -> None:
    with pytest.raises(ConditionUnreadable, match="malformed condition"):
        read_condition("{all: [has_child")


def test_the_form_reads_each_field_of_a_question_and_a_rule() -> None:
    draft = moving_in()
    assert draft.item_field(QUESTIONS, 0, "id") == "no_employee_insurance"
    assert draft.item_field(QUESTIONS, 0, "help.ja").startswith("自営業")
    assert draft.item_field(QUESTIONS, 0, "no_if") == (
        "{not: {someone: {age: {max: 74, counting: birthday}}}}"
    )
    assert draft.item_field(QUESTIONS, 0, "ask_if") == ""
    assert draft.item_field(QUESTIONS, 2, "ask_if") == "has_child"
    assert draft.item_field(RULES, 1, "when") == "{all: [has_child, {not: public_servant}]}"
    assert draft.item_field(RULES, 1, "id") == MOVING_IN.rules[1].id
    assert draft.rule_forms(1) == ["jidou_teate"]
    assert draft.form_choices(1) == [*MOVING_IN.templates, *MOVING_IN.optional]


@pytest.mark.parametrize(
    ("key", "text", "expected"),
    [
        ("when", "{all: [has_child, {not: public_servant}]", "rules.1.when: 条件の書き方の誤り"),
        ("when", "{all: [has_child, {not: civil_servant}]}", "rules.1.when: 質問 'civil_servant'"),
        ("when", "{age: 3}", "rules.1.when: 条件は質問ID"),
        ("when", "", "rules.1.when: 必須の項目がありません / required key missing"),
    ],
    ids=["malformed", "unknown-question", "not-a-condition", "empty"],
)
def test_a_bad_condition_is_a_problem_at_its_field_and_the_last_good_stays(
    key: str, text: str, expected: str
) -> None:
    draft = moving_in()
    good = draft.item_field(RULES, 1, key)
    draft.set_item_field(RULES, 1, key, text)
    assert not draft.ok and draft.bundle is None
    assert any(p.startswith(expected) for p in draft.problems), draft.problems
    assert all(" / " in p for p in draft.problems)  # ja / en
    assert draft.field_problems(RULES, 1, key)
    assert not draft.field_problems(RULES, 0, key)
    assert draft.item_field(RULES, 1, key) == text  # what was typed, to fix
    assert draft.last_good == MOVING_IN
    draft.set_item_field(RULES, 1, key, good)
    assert draft.ok and draft.bundle == MOVING_IN


def test_a_malformed_condition_is_kept_aside_and_the_rule_keeps_its_value() -> None:
    draft = moving_in()
    draft.set_item_field(RULES, 1, "when", "{all: [")
    assert draft.items(RULES)[1]["when"] == {"all": ["has_child", {"not": "public_servant"}]}
    assert "  - not: public_servant\n" in draft.item_text(RULES, 1)  # YAML view: last readable
    draft.revert()
    assert draft.ok and draft.pending == {} and draft.bundle == MOVING_IN


def test_forms_are_chosen_with_check_boxes_and_at_least_one_is_needed() -> None:
    draft = moving_in()
    draft.set_rule_form(1, "kodomo_iryo", True)
    assert draft.ok and draft.bundle is not None
    assert draft.bundle.rules[1].forms == ["jidou_teate", "kodomo_iryo"]
    draft.set_rule_form(1, "jidou_teate", False)
    draft.set_rule_form(1, "kodomo_iryo", False)
    assert draft.problems == ["rules.1.forms: 一つ以上選んでください / choose at least one"]
    assert draft.field_problems(RULES, 1, "forms")
    draft.set_rule_form(1, "jidou_teate", True)
    assert draft.ok and draft.bundle == MOVING_IN


def test_an_unknown_form_stays_offered_so_it_can_be_unchosen() -> None:
    draft = moving_in()
    draft.set_item_text(RULES, 0, draft.item_text(RULES, 0).replace("- kokuho", "- kokuho_x"))
    assert draft.problems[0].startswith("rules.0.forms.0: 様式 kokuho_x は templates にも")
    assert draft.form_choices(0)[-1] == "kokuho_x"
    draft.set_rule_form(0, "kokuho_x", False)
    draft.set_rule_form(0, "kokuho", True)
    assert draft.ok and draft.bundle == MOVING_IN


def test_texts_optional_parts_are_left_out_when_emptied() -> None:
    draft = moving_in()
    draft.set_item_field(QUESTIONS, 0, "help.ja", "")
    draft.set_item_field(QUESTIONS, 0, "help.en", "")
    assert "help" not in draft.items(QUESTIONS)[0]
    draft.set_item_field(QUESTIONS, 0, "text.en", "")
    assert draft.items(QUESTIONS)[0]["text"] == {"ja": MOVING_IN.questions[0].text.ja}
    assert draft.ok, draft.problems
    draft.set_item_field(RULES, 0, "id", "")
    assert "id" not in draft.items(RULES)[0]  # forms.bundle says what is missing
    assert draft.field_problems(RULES, 0, "id")[0].endswith(
        "every rule needs one, unique in the bundle"
    )
    draft.set_item_field(RULES, 0, "id", MOVING_IN.rules[0].id)
    draft.set_item_field(QUESTIONS, 0, "id", "")
    assert any(p.startswith("questions.0.id") for p in draft.problems)


def test_a_pending_condition_moves_with_its_rule_when_one_before_is_removed() -> None:
    draft = moving_in()
    draft.set_item_field(RULES, 2, "when", "{not: [")
    draft.remove_item(RULES, 0)
    assert draft.item_field(RULES, 1, "when") == "{not: ["
    assert "rules.1.when: 条件の書き方の誤り" in "".join(draft.problems)


def test_the_rules_form_edits_the_rule_and_its_yaml_view_follows(qtbot) -> None:
    from staff.editor.bundle_editor import BundleEditor

    editor = BundleEditor()
    qtbot.addWidget(editor)
    editor.set_bundles([MOVING_IN], KNOWN)
    rules = editor.rules
    rules.list.setCurrentRow(1)
    form = rules.form
    when = form.edits["when"]
    assert when.text() == "{all: [has_child, {not: public_servant}]}"
    assert form.names.text().endswith(": " + ", ".join(q.id for q in MOVING_IN.questions))
    assert form.form_boxes["jidou_teate"].isChecked()
    assert not form.form_boxes["kodomo_iryo"].isChecked()

    with qtbot.waitSignal(editor.changed):
        when.textEdited.emit("{all: [has_child, {not: civil_servant}]}")
    assert editor.problems.item(0).text() == (
        "rules.1.when: 質問 'civil_servant' がありません / no question 'civil_servant'"
    )
    assert "civil_servant" in when.toolTip() and when.styleSheet()
    assert "civil_servant" in rules.text.toPlainText()  # the YAML view follows
    assert editor.revert_button.isEnabled()
    when.textEdited.emit("{all: [has_child, {not: public_servant}]}")
    assert editor.problems.count() == 0 and not when.styleSheet()

    with qtbot.waitSignal(editor.changed):
        form.form_boxes["kodomo_iryo"].setChecked(True)
    assert rules.list.item(1).text() == (
        f"{MOVING_IN.rules[1].id}: jidou_teate, kodomo_iryo ← "
        "{all: [has_child, {not: public_servant}]}"
    )
    assert "- kodomo_iryo" in rules.text.toPlainText()
    form.form_boxes["kodomo_iryo"].setChecked(False)
    current = editor.current()
    assert current is not None and current.bundle == MOVING_IN

    rules.text.setPlainText(rules.text.toPlainText().replace("reason:", "reason: ["))
    assert form.waiting.isVisibleTo(form) and not when.isEnabled()  # fix the YAML first
    editor.revert()
    assert editor.problems.count() == 0 and when.isEnabled()


def test_the_questions_form_edits_a_condition(qtbot) -> None:
    from staff.editor.bundle_editor import BundleEditor

    editor = BundleEditor()
    qtbot.addWidget(editor)
    editor.set_bundles([MOVING_IN], KNOWN)
    questions = editor.questions
    questions.list.setCurrentRow(2)
    assert questions.form.names.text().endswith(": no_employee_insurance, has_child")
    ask_if = questions.form.edits["ask_if"]
    assert ask_if.text() == "has_child"
    ask_if.textEdited.emit("public_servant")  # itself: only questions before it may be named
    current = editor.current()
    assert current is not None
    assert any(p.startswith("questions.2.ask_if") for p in current.problems)
    ask_if.textEdited.emit("")
    assert "ask_if" not in questions.text.toPlainText()
    ask_if.textEdited.emit("has_child")
    assert editor.problems.count() == 0
    assert current.bundle == MOVING_IN


def test_a_click_on_a_problem_shows_its_rule_and_field(qtbot) -> None:
    from staff.editor.bundle_editor import BundleEditor
    from staff.editor.bundle_items import FORM_TAB, YAML_TAB

    editor = BundleEditor()
    qtbot.addWidget(editor)
    editor.set_bundles([MOVING_IN], KNOWN)
    editor.rules.list.setCurrentRow(2)
    editor.rules.form.edits["when"].textEdited.emit("nobody")
    editor.rules.list.setCurrentRow(0)
    editor.problems.itemClicked.emit(editor.problems.item(0))  # rules.2.when: …
    assert editor.parts.currentIndex() == 2 and editor.rules.list.currentRow() == 2
    assert editor.rules.views.currentIndex() == FORM_TAB
    assert editor.rules.form.edits["when"].text() == "nobody"
    editor.rules.form.edits["when"].textEdited.emit("young_child")
    assert editor.problems.count() == 0

    editor.parts.setCurrentIndex(1)
    editor.questions.list.setCurrentRow(1)
    editor.questions.text.setPlainText(editor.questions.text.toPlainText() + "colour: red\n")
    editor.parts.setCurrentIndex(0)
    editor.questions.list.setCurrentRow(0)
    assert editor.problems.item(0).text().startswith("questions.1.colour: 不明な項目です")
    editor.problems.itemClicked.emit(editor.problems.item(0))
    assert editor.parts.currentIndex() == 1 and editor.questions.list.currentRow() == 1
    assert editor.questions.views.currentIndex() == YAML_TAB  # the form has no such field


def test_a_rule_id_is_edited_in_the_form_and_a_twin_is_refused_at_its_field() -> None:
    draft = moving_in()
    draft.set_item_field(RULES, 1, "id", "child_allowance")
    assert draft.ok and draft.bundle is not None
    assert draft.bundle.rules[1].id == "child_allowance"
    draft.set_item_field(RULES, 1, "id", MOVING_IN.rules[0].id)
    assert "duplicate rule id" in draft.field_problems(RULES, 1, "id")[0]
    draft.set_item_field(RULES, 1, "id", MOVING_IN.rules[1].id)
    assert draft.ok and draft.bundle == MOVING_IN


TITLES = {t.id: t.title.ja for t in CATALOG.latest()}


def test_renaming_a_question_renames_its_uses_and_notes_them() -> None:
    """Typed a key at a time (an empty id and another question's id on the way): the
    conditions that name it follow, no two questions are merged, and the notes say where."""
    draft = moving_in()
    for text in ("has_chil", "", "public_servant", "has_kid", "has_kids"):
        draft.set_item_field(QUESTIONS, 1, "id", text)
    assert draft.ok, draft.problems
    assert draft.item_field(QUESTIONS, 2, "ask_if") == "has_kids"
    assert draft.item_field(RULES, 1, "when") == "{all: [has_kids, {not: public_servant}]}"
    assert draft.item_field(QUESTIONS, 2, "id") == "public_servant"  # not merged on the way
    assert draft.notes == [
        f"{where}: 質問ID has_child を has_kids に書き換えました"
        " / question id has_child renamed to has_kids here"
        for where in ("questions.2.ask_if", "rules.1.when")
    ]
    draft.set_item_field(QUESTIONS, 1, "id", "has_child")  # back: nothing changed any more
    assert draft.notes == [] and draft.bundle == MOVING_IN


def test_rule_forms_show_the_template_title_and_a_rename_is_noted(qtbot) -> None:
    from staff.editor.bundle_editor import BundleEditor

    editor = BundleEditor()
    qtbot.addWidget(editor)
    editor.set_bundles([MOVING_IN], KNOWN, TITLES)
    editor.rules.list.setCurrentRow(1)
    box = editor.rules.form.form_boxes["jidou_teate"]
    assert box.text() == f"jidou_teate　{TITLES['jidou_teate']}" and TITLES["jidou_teate"]

    editor.parts.setCurrentIndex(1)
    editor.questions.list.setCurrentRow(1)
    with qtbot.waitSignal(editor.changed):
        editor.questions.form.edits["id"].textEdited.emit("has_kids")
    texts = [editor.problems.item(n).text() for n in range(editor.problems.count())]
    assert [t.split(":")[0] for t in texts] == ["questions.2.ask_if", "rules.1.when"]
    current = editor.current()
    assert current is not None and current.ok
    editor.problems.itemClicked.emit(editor.problems.item(1))  # shows the rewritten rule
    assert editor.parts.currentIndex() == 2 and editor.rules.list.currentRow() == 1
    assert editor.rules.form.edits["when"].text() == "{all: [has_kids, {not: public_servant}]}"
    if os.environ.get("MADOGUCHI_SCREENSHOT"):
        editor.resize(900, 760)
        editor.grab().save(os.environ["MADOGUCHI_SCREENSHOT"])
