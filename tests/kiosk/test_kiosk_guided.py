"""The guided review in the window, walked as residents would: by card, by pre-entry QR and by
typing; nothing red before 次へ; a moving-in never shows 転出 items; closed lists are lists;
finger scrolling; the on-screen keyboards; plain words; call staff; call numbers."""

from __future__ import annotations

import pytest
from kioskkit import SAMPLE_STRINGS, WAIT_MS, by_card, start
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton

from forms.provenance import Source
from forms.sample_records import load_sample
from kiosk.demo import answer_from
from kiosk.flow import Method, Step
from kiosk.gui.scripted import sign_programmatically, walk_review
from kiosk.gui.widgets.choices import ChoiceField, OptionButtons
from kiosk.gui.widgets.ruby import RubyLabel
from kiosk.gui.widgets.touch import is_kinetic
from kiosk.ports import KioskServices

TRANSFER_OUT = {"address.destination", "date.move_out", "answers.idou.kind"}


def pages_seen(window) -> list[tuple[str, list[str]]]:
    """Press 次へ through the review, recording each page and the items on it."""
    flow, review = window.flow, window.screens[Step.REVIEW]
    seen = []
    while flow.step is Step.REVIEW and not flow.on_summary:
        page = flow.review_page()
        seen.append((page.id, list(review.editors)))
        review.next_button.click()
        assert flow.review_page() is None or flow.review_page().id != page.id, page.id
    return seen


def finish(qtbot, window) -> None:
    flow = window.flow
    window.screens[Step.REVIEW].next_button.click()  # the summary's 署名へ進む
    assert flow.step is Step.SIGN
    sign_programmatically(window.screens[Step.SIGN].pad)
    window.screens[Step.SIGN].ok_button.click()
    window.screens[Step.CONFIRM].ok_button.click()
    qtbot.waitUntil(lambda: flow.step in (Step.DONE, Step.ERROR), timeout=WAIT_MS)
    assert flow.step is Step.DONE, flow.error and flow.error.error.code


def test_moving_in_by_card_page_by_page_never_asks_transfer_out(qtbot, make_window, kit):
    window = make_window()
    by_card(qtbot, window, kit)
    flow = window.flow
    review = window.screens[Step.REVIEW]
    assert flow.review_page().id == "who" and review.progress.pair.lead.endswith("1ページ目")
    assert not review.back_button.isVisible()  # the first page has no page before it
    answer_from(flow, load_sample("mihon_showa_last_day"))
    seen = pages_seen(window)
    ids = [page for page, _ in seen]
    assert ids[:5] == ["who", "address_new", "address_current", "dates", "contact"]
    shown = {path for _, paths in seen for path in paths}
    assert not shown & TRANSFER_OUT
    # the summary: every section, each answer with where it came from
    assert flow.on_summary
    assert set(review.sections) >= {"who", "address_new", "form:idou"}
    assert "form:idou" not in review.edit_buttons  # fixed by the procedure: nothing to change
    assert flow.provenance.source("person[0].name") is Source.CARD
    assert flow.provenance.source("answers.idou.kind") is Source.PROCEDURE
    assert flow.provenance.typed_over_prefill == {}  # nothing the card holds was typed again
    review.edit_buttons["contact"].click()  # 修正
    assert flow.review_page().id == "contact"
    review.next_button.click()
    assert flow.on_summary  # 修正's 次へ comes back to the summary
    finish(qtbot, window)
    done = window.screens[Step.DONE]
    assert done.number.text() == "K-001"
    assert done.destinations  # where to go, for each procedure


def test_nothing_is_red_before_next_on_that_page(qtbot, make_window, kit):
    window = make_window()
    start(window, "bundle:moving_in", Method.TYPING)
    flow = window.flow
    review = window.screens[Step.REVIEW]
    assert flow.error_count() > 0  # an empty application has plenty to fix …
    visible = [e for e in review.editors.values() if e.error_label.isVisible()]
    assert visible == []  # … and shows none of it yet
    assert not review.summary.isVisible()
    review.next_button.click()
    assert flow.review_page().id == "who"  # stays
    visible = [p for p, e in review.editors.items() if e.error_label.isVisible()]
    assert "person[0].name" in visible and review.summary.isVisible()
    line = review.editors["person[0].name"].line_edits[0]
    assert line.property("invalid") is True
    flow.review_show("address_new")  # another page: still nothing red there
    assert [e for e in review.editors.values() if e.error_label.isVisible()] == []


def test_a_household_of_four_by_pre_entry_qr(qtbot, make_window, kit):
    window = make_window()
    sample = load_sample("yoshino_household")
    bundle = kit.catalog.bundle("moving_in")
    templates = [kit.catalog.get(t) for t in bundle.templates]
    start(window, "bundle:moving_in", Method.QR)
    window.scanned(kit.payload_for(sample, templates))
    qtbot.waitUntil(lambda: window.flow.step is Step.REVIEW, timeout=WAIT_MS)
    flow = window.flow
    assert flow.household_size() == 4
    answer_from(flow, sample)
    seen = pages_seen(window)
    ids = [page for page, _ in seen]
    assert {"member_2", "member_3", "member_4"} <= set(ids)
    assert flow.provenance.source("person[3].name") is Source.QR
    assert flow.provenance.typed_over_prefill == {}  # nothing the QR holds was typed
    finish(qtbot, window)


def test_one_residence_certificate_by_typing_and_the_household_step(qtbot, make_window, kit):
    window = make_window()
    start(window, "juminhyo", Method.TYPING)
    flow = window.flow
    review = window.screens[Step.REVIEW]
    assert review.household is None  # 住民票 lists one person: no household question
    answer_from(flow, load_sample("mihon_showa_last_day"))
    walk_review(window)
    assert flow.step is Step.SIGN and flow.metrics.typed_chars > 0


def test_the_household_grows_and_shrinks_with_member_pages(qtbot, make_window, kit):
    window = make_window()
    by_card(qtbot, window, kit)
    flow = window.flow
    review = window.screens[Step.REVIEW]
    stepper = review.household
    assert stepper is not None and not stepper.minus.isEnabled()
    stepper.plus.click()
    stepper = review.household
    stepper.plus.click()
    assert flow.household_size() == 3
    ids = [g.id for g in flow.guide.screens()]
    assert "member_2" in ids and "member_3" in ids
    review.household.minus.click()
    assert flow.household_size() == 2 and "member_3" not in [g.id for g in flow.guide.screens()]


def test_choices_are_lists_never_free_text(qtbot, make_window, kit):
    window = make_window()
    start(window, "bundle:moving_in", Method.TYPING)
    flow = window.flow
    review = window.screens[Step.REVIEW]
    checked = 0
    for group in flow.guide.screens():
        flow.review_show(group.id)
        assert review.findChildren(QComboBox) == []  # no 34 px drop-downs
        for path, editor in review.editors.items():
            if editor.spec.type in ("select", "checkbox"):
                assert isinstance(editor.choices, OptionButtons | ChoiceField), path
                assert not editor.line_edits, path
                checked += 1
    assert checked >= 5


def test_a_long_list_opens_whole_with_search_and_finger_scrolling(qtbot, make_window, kit):
    pytest.importorskip("forms.closed_sets", reason="国籍・地域 as a closed set comes with it")
    window = make_window()
    start(window, "bundle:moving_in", Method.TYPING)
    review = window.screens[Step.REVIEW]
    nationality = review.editors["person[0].nationality"]
    assert isinstance(nationality.choices, ChoiceField)
    nationality.choices.button.click()
    picker = review.picker
    assert picker.isVisible() and is_kinetic(picker.list)
    assert picker.rows()[0].startswith("日本")  # no nationality: a Japanese national
    assert "中国" in picker.rows()[1]  # the largest groups first
    picker.search.setText("べとなむ")
    assert [r for r in picker.rows() if "ベトナム" in r]
    picker.pick("VN")
    assert window.flow.record.persons[0].nationality == "VN"


def test_pages_scroll_with_a_finger(qtbot, make_window, kit):
    window = make_window()
    start(window, "bundle:moving_in", Method.TYPING)
    assert is_kinetic(window.screens[Step.REVIEW].scroll_area)
    window.flow.cancel()
    window.screens[Step.WELCOME].start_button.click()
    assert is_kinetic(window.screens[Step.PROCEDURES].scroll_area)


def test_the_virtual_keyboard_types_kanji_into_a_name(qtbot, make_window, kit):
    window = make_window()
    start(window, "juminhyo", Method.TYPING)
    family = window.screens[Step.REVIEW].editors["person[0].name"].family
    assert family.property("keyboard") == "text"
    assert family.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
    qtbot.mouseClick(family, Qt.MouseButton.LeftButton)  # a tap brings the keyboard
    keyboard = window.virtual_keyboard
    qtbot.waitUntil(lambda: keyboard.loaded and keyboard.isVisible(), timeout=WAIT_MS)
    keyboard.type_text("yamada")
    qtbot.waitUntil(lambda: "山田" in keyboard.candidates(), timeout=WAIT_MS)
    keyboard.pick("山田")
    qtbot.waitUntil(lambda: family.text() == "山田", timeout=WAIT_MS)
    qtbot.keyClick(family, Qt.Key.Key_Return)
    assert window.flow.record.persons[0].name.family == "山田"
    window.screens[Step.REVIEW].next_button.click()  # focus elsewhere: the keyboard goes
    assert not keyboard.isVisible()


def test_the_kana_field_gets_the_50on_keyboard(qtbot, make_window, kit):
    window = make_window()
    start(window, "bundle:moving_in", Method.TYPING)
    kana = window.screens[Step.REVIEW].editors["person[0].kana"].family
    assert kana.property("keyboard") == "kana"
    qtbot.mouseClick(kana, Qt.MouseButton.LeftButton)
    assert window.kana_keyboard.isVisible() and not window.virtual_keyboard.isVisible()
    keys = {b.text(): b for b in window.kana_keyboard.findChildren(QPushButton) if b.text()}
    for key in ("ヤ", "マ", "タ"):
        keys[key].click()
    assert kana.text() == "ヤマタ"
    assert kana.hasFocus()  # the keys never take the focus from the field


def test_a_latin_name_gets_a_reading_to_correct(qtbot, make_window, kit):
    window = make_window()
    start(window, "bundle:moving_in", Method.TYPING)
    review = window.screens[Step.REVIEW]
    name = review.editors["person[0].name"]
    name.family.setText("Smith")
    name.given.setText("John")
    name.given.setFocus()
    qtbot.keyClick(name.given, Qt.Key.Key_Return)
    kana = review.editors["person[0].kana"]
    assert (kana.family.text(), kana.given.text()) == ("スミス", "ジョン")
    assert kana.notice.isVisible()
    assert window.flow.provenance.source("person[0].kana") is Source.AUTO
    kana.family.setFocus()
    kana.family.setText("スミッス")
    qtbot.keyClick(kana.family, Qt.Key.Key_Return)  # corrected by the resident
    assert window.flow.record.persons[0].kana.family == "スミッス"
    assert not kana.notice.isVisible()


def test_plain_words_behind_the_question_mark_and_furigana(qtbot, make_window, kit):
    window = make_window()
    start(window, "bundle:moving_in", Method.TYPING)
    review = window.screens[Step.REVIEW]
    relation = review.editors["person[0].relation"]
    assert relation.help_button is not None and not relation.explanation.isVisible()
    relation.help_button.click()
    assert relation.explanation.isVisible()
    (line,) = [p for p in relation.explanation.pairs() if p.lead.startswith("続柄")]
    assert "世帯主" in line.lead and "head of the household" in line.second
    window.furigana_button.click()
    review = window.screens[Step.REVIEW]
    title = review.editors["person[0].relation"].title
    assert isinstance(title, RubyLabel)
    readings = {s.base: s.reading for s in title.segments if s.reading}
    assert readings.get("続柄") == "つづきがら"
    assert window.flow.review_page().id == "who"  # the same page, drawn again


def test_cancel_asks_and_is_gone_while_printing(qtbot, make_window, kit):
    import threading

    release = threading.Event()

    class HeldPrinter:
        def print_pdf(self, pdf: bytes, *, title: str) -> None:
            release.wait(timeout=10)

    services = KioskServices(
        card=kit.services.card,
        qr=None,
        confirmer=kit.services.confirmer,
        printer=HeldPrinter(),
    )
    window = make_window(services=services)
    window.screens[Step.WELCOME].start_button.click()
    window.cancel_button.click()
    assert window.overlay is not None and window.flow.step is Step.PROCEDURES  # asked first
    window.overlay.keep_button.click()
    window.flow.cancel()
    try:
        by_card(qtbot, window, kit, "juminhyo")
        answer_from(window.flow, load_sample("mihon_showa_last_day"))
        walk_review(window)
        sign_programmatically(window.screens[Step.SIGN].pad)
        window.screens[Step.SIGN].ok_button.click()
        window.screens[Step.CONFIRM].ok_button.click()
        qtbot.waitUntil(lambda: window.flow.step is Step.PRINT, timeout=WAIT_MS)
        assert not window.cancel_button.isVisible()
        window.ask_cancel()  # even a stray call opens nothing
        assert window.overlay is None and window.flow.step is Step.PRINT
    finally:
        release.set()
    qtbot.waitUntil(lambda: window.flow.step is Step.DONE, timeout=WAIT_MS)
    assert not window.cancel_button.isVisible()


def test_call_staff_reaches_the_office_and_is_kept_while_it_is_down(
    qtbot, make_window, kit, tmp_path
):
    from support.fake_counter import FakeCounterOffice

    from kiosk.desk import KioskDesk
    from sync.client import OfficeClient
    from sync.counter_link import CounterLink

    office = FakeCounterOffice(down=True)
    client = OfficeClient("https://office.example", "token", transport=office.transport())
    link = CounterLink(kit.outbox_opener.get, lambda: client, offline_letter="L")
    desk = KioskDesk(link, first_wait_s=0.05, max_wait_s=0.2).start()
    try:
        services = KioskServices(
            card=kit.services.card,
            qr=kit.services.qr,
            confirmer=kit.services.confirmer,
            printer=kit.services.printer,
            desk=desk,
        )
        window = make_window(services=services)
        window.screens[Step.WELCOME].start_button.click()
        window.call_button.click()
        panel = window.overlay
        assert panel is not None and panel.lead.isVisible()  # help is coming
        qtbot.waitUntil(panel.queued.isVisible, timeout=WAIT_MS)  # kept, not lost
        assert desk.pending() == 1 and office.alerts == {}
        assert window.call_button.pair == window.i18n.pair("common.staff_called")
        office.down = False
        qtbot.waitUntil(lambda: len(office.alerts) == 1, timeout=WAIT_MS)
        (alert,) = office.alerts.values()
        assert alert["kind"] == "call_staff" and alert["step"] == "procedures"
        # its free text says which machine and screen, never whose (its id and time are
        # random digits and could hold "1989" by chance)
        words = f"{alert['kind']} {alert['step']} {alert['detail']}"
        assert not [s for s in SAMPLE_STRINGS if s in words]
        # the desk's thread drops it from its queue once the office's answer is in
        qtbot.waitUntil(lambda: desk.pending() == 0, timeout=WAIT_MS)
    finally:
        desk.close()
        client.close()


def test_every_text_field_names_its_keyboard(qtbot, make_window, kit):
    window = make_window()
    start(window, "bundle:moving_in", Method.TYPING)
    flow, review = window.flow, window.screens[Step.REVIEW]
    for group in flow.guide.screens():
        flow.review_show(group.id)
        for edit in review.findChildren(QLineEdit):
            if edit.isVisibleTo(review) and review.scroll_area.isAncestorOf(edit):
                assert edit.property("keyboard") in ("text", "kana"), edit.accessibleName()


def test_a_card_saying_not_applicable_asks_which_sex_to_print(qtbot, make_window, kit):
    pytest.importorskip("forms.sex_question", reason="the forms' sex question comes with it")
    import datetime as dt

    from forms.record import CardData, Sex

    window = make_window()
    start(window, "bundle:moving_in", Method.CARD)
    flow = window.flow
    qtbot.waitUntil(lambda: flow.tries_left is not None, timeout=WAIT_MS)
    card = CardData(
        kind="my_number",
        name="見本　晶",
        address="東京都千代田区永田町一丁目７番１号",
        birth_date=dt.date(1990, 1, 1),
        sex=Sex.NOT_APPLICABLE,
    )
    flow.card_read(card)
    sex = window.screens[Step.REVIEW].editors["person[0].sex"]
    assert sex.notice.isVisible() and "男" in sex.notice.pair.lead  # asked at once …
    assert not sex.error_label.isVisible()  # … and not as an error
    assert isinstance(sex.choices, OptionButtons)
    assert set(sex.choices.buttons) == {"male", "female"}  # never a guess, never 適用不能
    sex.choices.choose("female")
    assert not sex.notice.isVisible()
    assert flow.record.persons[0].sex is Sex.NOT_APPLICABLE  # the card's value is kept
    assert flow.record.persons[0].sex_for_forms is Sex.FEMALE


def test_the_virtual_keyboard_keeps_japanese_after_the_50on_keyboard(qtbot, make_window, kit):
    """Qt Virtual Keyboard set up only after a フリガナ field had the focus stayed on the "C"
    locale (no Japanese): the window loads it as the review opens."""
    window = make_window()
    start(window, "bundle:moving_in", Method.TYPING)
    review = window.screens[Step.REVIEW]
    kana = review.editors["person[0].kana"].family
    qtbot.mouseClick(kana, Qt.MouseButton.LeftButton)
    assert window.kana_keyboard.isVisible()
    # the page scrolls the field into sight above the keys (the window is 1280×800)
    qtbot.waitUntil(lambda: not kana.visibleRegion().isEmpty(), timeout=WAIT_MS)
    assert kana.visibleRegion().boundingRect().height() == kana.height()
    # 閉じる, as a resident does, then back up the page to the name field
    close = [
        b for b in window.kana_keyboard.findChildren(QPushButton) if "閉じる" in b.accessibleName()
    ]
    qtbot.mouseClick(close[0], Qt.MouseButton.LeftButton)
    assert not window.kana_keyboard.isVisible()
    family = review.editors["person[0].name"].family
    review.scroll_area.ensureWidgetVisible(family)
    qtbot.waitUntil(
        lambda: family.visibleRegion().boundingRect().height() == family.height(), timeout=WAIT_MS
    )
    qtbot.mouseClick(family, Qt.MouseButton.LeftButton)
    keyboard = window.virtual_keyboard
    qtbot.waitUntil(lambda: keyboard.loaded and keyboard.isVisible(), timeout=WAIT_MS)
    keyboard.type_text("yamada")
    qtbot.waitUntil(lambda: "山田" in keyboard.candidates(), timeout=WAIT_MS)


def test_every_screen_says_what_it_asks_for_read_aloud(qtbot, make_window, kit):
    window = make_window()
    assert window.screens[Step.WELCOME].instruction() == window.i18n.pair("welcome.title")
    start(window, "bundle:moving_in", Method.TYPING)
    assert window.screens[Step.REVIEW].instruction() == window.i18n.pair("guide.group.who")
