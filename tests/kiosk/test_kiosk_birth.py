"""The birth life event in the window: the mother taps her card; the child's address is one tap
on 「(the card holder)さんの住所」と同じ, and a household member's page keeps its items while
the resident types a parent's birth date on it."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from kioskkit import WAIT_MS, start
from PySide6.QtWidgets import QPushButton

from forms.sample_records import load_sample
from kiosk.flow import Method, Step
from kiosk.gui.scripted import walk_navigator
from kiosk.visits import _tap_card_of, visit_day

SAMPLE = load_sample("mihon_birth")  # fictional residents only
# MADOGUCHI_SCREENSHOTS=folder: grab the pages this test changes (to look at, not to commit)
SHOTS = os.environ.get("MADOGUCHI_SCREENSHOTS")


def _shot(window, name: str) -> None:
    if SHOTS:
        window.grab().save(str(Path(SHOTS) / f"{name}.png"))


def to_review(qtbot, make_window, kit):
    _tap_card_of(kit, SAMPLE)
    window = make_window(flow=kit.make_flow(navigator=True, office_clock=visit_day(SAMPLE)))
    start(window, "bundle:birth", Method.CARD)
    qtbot.waitUntil(lambda: window.flow.tries_left is not None, timeout=WAIT_MS)
    for digit in kit.profile.pin:
        window.screens[Step.PIN].pad.press(digit)
    window.screens[Step.PIN].read_button.click()
    qtbot.waitUntil(lambda: window.flow.step is Step.NAVIGATOR, timeout=WAIT_MS)
    walk_navigator(window, persons=len(SAMPLE.persons))
    if window.flow.step is Step.DOMICILE:
        window.flow.domicile_choose(read=False)
    qtbot.waitUntil(lambda: window.flow.step is Step.REVIEW, timeout=WAIT_MS)
    return window


def test_the_childs_address_is_one_tap_on_the_card_holders(qtbot, make_window, kit):
    window = to_review(qtbot, make_window, kit)
    flow, review = window.flow, window.screens[Step.REVIEW]
    flow.review_show("address_new")
    editor = review.editors["address.new"]
    (button,) = editor.copy_buttons
    assert isinstance(button, QPushButton) and button.isVisible()
    assert button.height() >= 60  # a touch target
    holder = flow.record.persons[0].name
    assert f"{holder.full}さんの住所" in button.accessibleName() + button.text() + str(
        getattr(button, "pair", "")
    )
    _shot(window, "birth_address_same_as")
    typed = flow.metrics.typed_chars
    button.click()
    record = flow.record
    assert record.addresses["new"] == record.addresses["current"]
    assert flow.metrics.typed_chars == typed  # nothing typed
    assert editor.city.text() == record.addresses["current"].city or (
        review.editors["address.new"].city.text() == record.addresses["current"].city
    )


def test_a_parents_birth_date_leaves_sex_and_relation_on_the_page(qtbot, make_window, kit):
    window = to_review(qtbot, make_window, kit)
    flow, review = window.flow, window.screens[Step.REVIEW]
    flow.review_show("member_2")
    assert {"person[1].sex", "person[1].relation"} <= set(review.editors)
    flow.edit("person[1].birth_date", dt.date(1990, 1, 20))
    assert flow.review_page().id == "member_2"
    assert {"person[1].sex", "person[1].relation"} <= set(review.editors)
    _shot(window, "birth_member_after_birth_date")


def test_the_card_holders_page_asks_her_relation(qtbot, make_window, kit):
    """The 出生届 lists its 父母 by 続柄 and the card gives none: her own page asks it."""
    window = to_review(qtbot, make_window, kit)
    flow, review = window.flow, window.screens[Step.REVIEW]
    flow.review_show("who")
    assert "person[0].relation" in review.editors
    if SHOTS:
        from PySide6.QtWidgets import QScrollArea

        editor = review.editors["person[0].relation"]
        area = editor.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is not None:
            area.ensureWidgetVisible(editor)
        _shot(window, "birth_who_relation")
