"""The navigator screen under pytest-qt: はい/いいえ one question at a time, then the forms with
their reasons, 外す / 元に戻す / 追加する, and 次へ to the review; every text fits at 1280×800.
`MADOGUCHI_SHOTS=<dir>` saves the screens (a sample household: fictional names)."""

from __future__ import annotations

import os

import pytest
from fitcheck import texts_cut
from kioskkit import WAIT_MS
from test_flow_navigator import CARD, FOUR

from kiosk.flow import Method, Step


def to_navigator(qtbot, window, found=FOUR) -> None:
    """Welcome → 引越し・転入 → card; the card's read is the sample household's."""
    flow = window.flow
    window.screens[Step.WELCOME].start_button.click()
    window.screens[Step.PROCEDURES].buttons["bundle:moving_in"].setChecked(True)
    window.screens[Step.PROCEDURES].next_button.click()
    window.screens[Step.IDENTIFY].method_buttons[Method.CARD].click()
    qtbot.waitUntil(lambda: flow.tries_left is not None, timeout=WAIT_MS)
    flow.card_read(CARD, found)
    qtbot.waitUntil(lambda: window.screens.get(Step.NAVIGATOR) is not None, timeout=WAIT_MS)


def shot(window, name: str) -> None:
    if os.environ.get("MADOGUCHI_SHOTS"):
        window.grab().save(os.path.join(os.environ["MADOGUCHI_SHOTS"], f"{name}.png"))


@pytest.mark.parametrize("language", ["ja", "vi"])
def test_questions_then_the_list_with_reasons(qtbot, make_window, kit, language) -> None:
    window = make_window(flow=kit.make_flow(navigator=True))
    if language != "ja":
        window.set_language(language)
    flow = window.flow
    to_navigator(qtbot, window)
    screen = window.screens[Step.NAVIGATOR]
    assert screen.asking.isVisible() and not screen.listing.isVisible()
    assert screen.progress.pair.lead.endswith("1 / 5")
    assert screen.yes_button.height() >= 60 and screen.no_button.height() >= 60
    cuts, checked = texts_cut(window, f"navigator-question-{language}")
    assert checked and not cuts
    shot(window, f"navigator_question_{language}")
    screen.yes_button.click()  # 国民健康保険に入っていない方がいる
    for _ in range(4):
        screen.no_button.click()
    assert flow.nav_question() is None
    assert screen.listing.isVisible() and not screen.asking.isVisible()
    assert set(screen.remove_buttons) == {"idou", "kokuho", "jidou_teate", "kodomo_iryo"}
    kokuho = screen.reason_labels["kokuho"].pair
    assert "国民健康保険" in (kokuho.lead + kokuho.second)
    if language == "vi":  # Japanese stays beside the resident's language
        assert "国民健康保険" in kokuho.second or "国民健康保険" in kokuho.lead
    cuts, checked = texts_cut(window, f"navigator-list-{language}")
    assert checked and not cuts
    shot(window, f"navigator_list_{language}")
    screen.remove_buttons["kodomo_iryo"].click()
    assert "kodomo_iryo" in screen.undo_buttons
    screen.undo_buttons["kodomo_iryo"].click()
    screen.add_buttons["inkan"].click()
    assert "inkan" in screen.remove_buttons
    screen.next_button.click()
    qtbot.waitUntil(lambda: flow.step is Step.REVIEW, timeout=WAIT_MS)
    assert [t.id for t in flow.templates] == [
        "idou",
        "kokuho",
        "jidou_teate",
        "inkan",
        "kodomo_iryo",
    ]


def test_card_alone_asks_the_size_first_and_back_returns_to_it(qtbot, make_window, kit) -> None:
    window = make_window(flow=kit.make_flow(navigator=True))
    flow = window.flow
    to_navigator(qtbot, window, found=None)
    screen = window.screens[Step.NAVIGATOR]
    assert screen.sizing.isVisible() and not screen.asking.isVisible()
    assert all(b.height() >= 60 and b.width() >= 60 for b in screen.size_buttons.values())
    cuts, checked = texts_cut(window, "navigator-size")
    assert checked and not cuts
    shot(window, "navigator_size_ja")
    screen.size_buttons[4].click()
    assert screen.asking.isVisible() and len(flow._pending[0].persons) == 4
    screen.no_button.click()
    flow.back()
    flow.back()
    assert screen.sizing.isVisible() and len(flow._pending[0].persons) == 1


def test_next_is_disabled_while_nothing_is_chosen(qtbot, make_window, kit) -> None:
    window = make_window(flow=kit.make_flow(navigator=True))
    flow = window.flow
    to_navigator(qtbot, window)
    screen = window.screens[Step.NAVIGATOR]
    while flow.nav_question() is not None:
        screen.no_button.click()
    for template_id in list(screen.remove_buttons):
        screen.remove_buttons[template_id].click()
    assert not screen.next_button.isEnabled() and flow.nav_template_ids() == []
    screen.undo_buttons["idou"].click()
    assert screen.next_button.isEnabled()


def test_the_question_and_reasons_in_vietnamese(qtbot, make_window, kit) -> None:
    """vi: the question, its help and the reasons in Vietnamese beside the Japanese (no English)."""
    window = make_window(flow=kit.make_flow(navigator=True))
    window.set_language("vi")
    to_navigator(qtbot, window)
    screen = window.screens[Step.NAVIGATOR]
    question = window.flow.nav_question().question
    pair = screen.question.pair
    assert question.text.ja in (pair.lead, pair.second)
    assert "Có ai dưới 75 tuổi" in pair.lead + pair.second
    assert question.text.en not in (pair.lead, pair.second)
    shot(window, "navigator_question_vi_texts")
    screen.yes_button.click()
    for _ in range(4):
        screen.no_button.click()
    kokuho = screen.reason_labels["kokuho"].pair
    assert "Bảo hiểm Y tế Quốc dân" in kokuho.lead + kokuho.second
    idou = screen.reason_labels["idou"].pair
    assert "Luôn cần khai báo" in idou.lead + idou.second  # navigator.always
    shot(window, "navigator_list_vi_texts")


@pytest.mark.parametrize("language", ["ja", "vi"])
def test_okuyami_from_the_notifiers_card_asks_about_the_head_and_the_certificates(
    qtbot, make_window, kit, language
) -> None:
    """The card has no 続柄 and no deceased: whether the deceased was the head, who remains and
    the certificates are asked, and each long question and the six forms' reasons fit."""
    window = make_window(flow=kit.make_flow(navigator=True))
    if language != "ja":
        window.set_language(language)
    flow = window.flow
    window.screens[Step.WELCOME].start_button.click()
    window.screens[Step.PROCEDURES].buttons["bundle:okuyami"].setChecked(True)
    window.screens[Step.PROCEDURES].next_button.click()
    window.screens[Step.IDENTIFY].method_buttons[Method.CARD].click()
    qtbot.waitUntil(lambda: flow.tries_left is not None, timeout=WAIT_MS)
    flow.card_read(CARD, None)
    qtbot.waitUntil(lambda: window.screens.get(Step.NAVIGATOR) is not None, timeout=WAIT_MS)
    screen = window.screens[Step.NAVIGATOR]
    flow.nav_set_size(3)
    asked = []
    while (open_ := flow.nav_question()) is not None:
        qid = open_.question.id
        asked.append(qid)
        if qid in ("adults_remain", "certificates"):
            qtbot.wait(50)  # the layout takes the new question's height on the next pass
            cuts, checked = texts_cut(window, f"okuyami-{qid}-{language}")
            assert checked and not cuts
            shot(window, f"navigator_okuyami_{qid}_{language}")
        button = screen.no_button if qid == "child_allowance" else screen.yes_button
        button.click()
    assert {"deceased_householder", "adults_remain", "certificates"} <= set(asked)
    assert set(screen.remove_buttons) == {
        "kouki",
        "kaigo",
        "kouki_sousaihi",
        "setai_henko",
        "koseki",
        "juminhyo",
    }
    qtbot.wait(50)
    cuts, checked = texts_cut(window, f"okuyami-list-{language}")
    assert checked and not cuts
    shot(window, f"navigator_okuyami_list_{language}")
