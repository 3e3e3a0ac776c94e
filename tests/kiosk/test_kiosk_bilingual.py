"""Japanese first, English beside: every visible text of every kiosk screen, in both leads.

The walk drives one window through every screen and state (welcome, staff PIN, procedures,
identify, PIN with a wrong PIN and with the last try, QR, a review of every shipped form with
errors, a flagged character and the 50音 keyboard, sign, confirm, print, done, a printer error,
the countdown). At each it checks the screen with Japanese leading, switches the lead to
English, checks again, and switches back; and that the window still fits a 1280×800 screen,
with the bigger text too.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
from kioskkit import FakeConfirmer
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QWidget

from forms.record import PersonName
from forms.sample_records import load_sample as sample_record
from forms.sample_records import sample_info
from kiosk.demo import answer_from
from kiosk.flow import Method, Step
from kiosk.gui.app import SCREENS, KioskWindow
from kiosk.gui.scripted import sign_programmatically
from kiosk.gui.widgets.bilingual import BiLabel, InlineBiLabel
from kiosk.gui.widgets.signature_pad import SignaturePad
from kiosk.i18n import Pair
from kiosk.ports import KioskServices
from printing.errors import PrinterStopped

WAIT_MS = 15000
SCREEN = (1280, 800)
SCRIPTS = {
    "ja": re.compile(r"[\u3005\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]"),
    "en": re.compile(r"[A-Za-z]"),
}


def reads_as(language: str, text: str) -> bool:
    return bool(SCRIPTS[language].search(text))


class HeldPrinter:
    """Holds each print until released (so the print screen can be looked at); can fail."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.errors: list[Exception] = []
        self.printed: list[str] = []

    def print_pdf(self, pdf: bytes, *, title: str) -> None:
        if not self.release.wait(timeout=10):
            raise TimeoutError("the test never released the printer")
        if self.errors:
            raise self.errors.pop(0)
        self.printed.append(title)


# ---- what is checked -------------------------------------------------------------------


def untranslated(window: KioskWindow) -> list[str]:
    """Every visible text of the window that lacks its second language, or whose lead is not
    in the lead language. Empty when all is well."""
    lead, second = window.i18n.language, window.i18n.second_language
    problems: list[str] = []

    def pair(where: str, text: Pair) -> None:
        if not (reads_as(lead, text.lead) and reads_as(second, text.second)):
            problems.append(f"{where}: {text.lead!r} / {text.second!r}")

    def joined(where: str, text: str) -> None:
        lead_part, _, second_part = text.partition(" / ")
        pair(where, Pair(lead_part, second_part))

    roots = [window.top_bar, window.display_bar, window.countdown, window.stack.currentWidget()]
    for root in roots:
        for widget in [root, *root.findChildren(QWidget)]:
            if not widget.isVisibleTo(window):
                continue
            where = f"{type(window.stack.currentWidget()).__name__}/{type(widget).__name__}"
            lang = widget.property("lang")
            if isinstance(widget, InlineBiLabel):
                if widget.pair.lead:
                    pair(where, widget.pair)
                    shown = QTextDocument()
                    shown.setHtml(widget.text())
                    plain = shown.toPlainText()
                    if widget.pair.lead not in plain or widget.pair.second not in plain:
                        problems.append(f"{where}: {plain!r} does not show both")
            elif isinstance(widget, QLabel):
                if widget.property("data") or lang == "second" or not widget.text():
                    continue
                if lang == "lead":
                    partner = widget.parentWidget().second
                    visible = partner.isVisibleTo(window)
                    pair(where, Pair(widget.text(), partner.text() if visible else ""))
                else:
                    problems.append(f"{where}: a label in one language: {widget.text()!r}")
            elif isinstance(widget, QAbstractButton) and lang != "neutral" and widget.text():
                joined(where, widget.text())
            elif isinstance(widget, QLineEdit) and widget.placeholderText():
                joined(f"{where} placeholder", widget.placeholderText())
            elif isinstance(widget, QComboBox):
                for i in range(widget.count()):
                    joined(f"{where} item", widget.itemText(i))
            if widget.property("language"):  # the chooser: each language in its own script
                continue
            if isinstance(widget, QAbstractButton | QLineEdit | QComboBox | SignaturePad):
                name = widget.accessibleName()
                text = widget.text() if isinstance(widget, QAbstractButton) else ""
                if lang != "neutral" or name != text:  # a kana key is named by its kana
                    joined(f"{where} accessible name", name)
    return problems


def assert_bilingual_in_both_leads(window: KioskWindow, state: str) -> None:
    """Check with Japanese leading, then English, and come back; the window fits the screen
    at both text sizes."""
    checked = []
    for lead in ("ja", "en"):
        if window.i18n.language != lead:
            window.toggle_language()
        assert window.i18n.language == lead
        assert untranslated(window) == [], (state, lead)
        for bigger in (False, True):
            window.bigger_button.setChecked(bigger)
            size = window.minimumSizeHint()
            assert size.width() <= SCREEN[0] and size.height() <= SCREEN[1], (
                state,
                lead,
                bigger,
                size,
            )
        window.bigger_button.setChecked(False)
        checked.append(lead)
    window.toggle_language()
    assert window.i18n.language == "ja" and checked == ["ja", "en"]


# ---- the walk --------------------------------------------------------------------------


def walk(qtbot, window: KioskWindow, kit, printer: HeldPrinter) -> Iterator[str]:
    flow = window.flow

    def screen(step: Step):  # looked up each time: a language switch rebuilds the screens
        return window.screens[step]

    def wait(condition, what: str) -> None:
        qtbot.waitUntil(condition, timeout=WAIT_MS)

    yield "welcome"
    window.call_staff()
    yield "staff called"
    window.close_overlay()
    window._open_staff_unlock()  # staff hold the corner
    yield "staff PIN"
    for digit in "1111":
        window._overlay.pad.press(digit)
    window._overlay.unlock_button.click()
    assert window._overlay.error.isVisible()
    yield "staff PIN refused"
    for digit in "246813":
        window._overlay.pad.press(digit)
    window._overlay.unlock_button.click()
    assert window._overlay is None and screen(Step.WELCOME).totals.isVisible()
    yield "staff welcome with the totals"
    window.staff_button.click()  # back to resident mode

    screen(Step.WELCOME).start_button.click()
    procedures = screen(Step.PROCEDURES)
    procedures.buttons["bundle:moving_in"].setChecked(True)
    procedures.optional_buttons[("bundle:moving_in", "inkan")].setChecked(True)
    yield "procedures with an optional form"
    screen(Step.PROCEDURES).next_button.click()  # the choice survived the switches
    assert "inkan" in [t.id for t in flow.templates]
    yield "identify"
    screen(Step.IDENTIFY).method_buttons[Method.QR].click()
    yield "QR"
    flow.cancel()

    flow.navigator_on = True  # the procedure navigator, as the kiosk apps run it
    screen(Step.WELCOME).start_button.click()
    screen(Step.PROCEDURES).buttons["bundle:moving_in"].setChecked(True)
    screen(Step.PROCEDURES).next_button.click()
    screen(Step.IDENTIFY).method_buttons[Method.TYPING].click()
    assert flow.step is Step.NAVIGATOR
    yield "navigator: the household's size"
    screen(Step.NAVIGATOR).size_buttons[2].click()
    yield "navigator: a question"
    while flow.nav_question() is not None:
        screen(Step.NAVIGATOR).no_button.click()
    yield "navigator: the forms and why"
    flow.cancel()
    flow.navigator_on = False

    screen(Step.WELCOME).start_button.click()
    screen(Step.PROCEDURES).buttons["koseki"].setChecked(True)
    screen(Step.PROCEDURES).next_button.click()
    screen(Step.IDENTIFY).method_buttons[Method.TYPING].click()
    assert flow.step is Step.DOMICILE
    yield "本籍 offered from the licence"
    screen(Step.DOMICILE).read_button.click()  # the My Number Card is on the reader
    wait(lambda: flow.domicile_error is not None, "not a licence")
    yield "本籍: not a licence"
    flow.cancel()

    screen(Step.WELCOME).start_button.click()
    screen(Step.PROCEDURES).buttons["juminhyo"].setChecked(True)
    screen(Step.PROCEDURES).next_button.click()
    screen(Step.IDENTIFY).method_buttons[Method.CARD].click()
    wait(lambda: flow.tries_left == 3, "tries")
    screen(Step.PIN).pad.press("1")
    yield "PIN"
    screen(Step.PIN).pad.clear()
    for digit in "0000":
        screen(Step.PIN).pad.press(digit)
    screen(Step.PIN).read_button.click()
    wait(lambda: flow.tries_left == 2 and flow.pin_error is not None, "wrong PIN")
    yield "PIN refused"
    for digit in kit.profile.pin:
        screen(Step.PIN).pad.press(digit)
    screen(Step.PIN).read_button.click()
    wait(lambda: flow.step is Step.REVIEW, "card read")
    yield "review prefilled from the card"
    window.cancel_button.click()
    yield "cancel: are you sure?"
    window.overlay.keep_button.click()
    answer_from(flow, sample_record("mihon_showa_last_day"))
    pages = 0
    while flow.step is Step.REVIEW:
        screen(Step.REVIEW).next_button.click()
        pages += 1
        assert pages < 20
        if flow.step is Step.REVIEW:
            yield f"review page {flow.review_position()[0]}"
    sign_programmatically(screen(Step.SIGN).pad)
    screen(Step.SIGN).pad.changed.emit()
    yield "sign"
    screen(Step.SIGN).ok_button.click()
    yield "confirm"
    screen(Step.CONFIRM).ok_button.click()
    wait(lambda: flow.step is Step.PRINT, "confirmed")
    yield "print"
    printer.errors.append(PrinterStopped("PDF"))
    printer.release.set()
    wait(lambda: flow.step is Step.ERROR, "printer stopped")
    yield "error: printer stopped"
    screen(Step.ERROR).retry_button.click()
    wait(lambda: flow.step is Step.DONE, "printed")
    yield "done"
    screen(Step.DONE).finish_button.click()

    # Every form the sample fills at once, from a QR code whose name has a character to check.
    sample = sample_record("mihon_showa_last_day")
    sample.persons[0].name = PersonName(family="見本", given="〓子")
    templates = [kit.catalog.get(t) for t in sample_info("mihon_showa_last_day").forms]
    window.scanned(kit.payload_for(sample, templates))
    wait(lambda: flow.step is Step.REVIEW, "QR read")
    assert {t.id for t in flow.templates} == {t.id for t in templates}
    for q in flow.questions():  # empty required items show their messages
        flagged = q.path in flow.flags  # keep the character to check
        if (
            not flow.is_read_only(q)
            and q.slot.spec.required
            and flow.value(q) is not None
            and not flagged
        ):
            flow.edit(q.path, None)
    assert flow.flags and any(flow.errors_for(q) for q in flow.questions())
    review = screen(Step.REVIEW)
    review.next_button.click()  # refused: the page shows its problems, the summary says why
    assert review.summary.isVisible()
    yield "review of every form, with errors and a flagged character"
    kana = next(
        edit
        for e in review.editors.values()
        for edit in e.line_edits
        if edit.property("keyboard") == "kana"
    )
    window.show_keyboard_for(kana)
    assert window.kana_keyboard.isVisible()
    yield "review with the 50音 keyboard and the summary"
    window.hide_keyboards()
    flow.review_show("summary")
    yield "check your answers, every form"
    # seven seconds before the wipe (from now: checking both leads above takes seconds)
    flow.last_activity = flow.clock() - (flow.inactivity_s - 7)
    window._on_tick()
    assert window.countdown.isVisible()
    yield "countdown"
    flow.cancel()

    kit.remove_card()
    kit.insert_card(tries=1)
    screen(Step.WELCOME).start_button.click()
    screen(Step.PROCEDURES).buttons["juminhyo"].setChecked(True)
    screen(Step.PROCEDURES).next_button.click()
    screen(Step.IDENTIFY).method_buttons[Method.CARD].click()
    wait(lambda: flow.needs_last_try_confirmation, "last try")
    yield "PIN: the last try"
    flow.cancel()


def test_every_screen_shows_english_beside_japanese_in_both_leads(
    qtbot, make_window, kit, fake_confirmer: FakeConfirmer
):
    printer = HeldPrinter()
    services = KioskServices(
        card=kit.services.card, qr=kit.services.qr, confirmer=fake_confirmer, printer=printer
    )
    window = make_window(services=services)
    try:
        seen = []
        for state in walk(qtbot, window, kit, printer):
            assert_bilingual_in_both_leads(window, state)
            seen.append((state, window.flow.step))
    finally:
        printer.release.set()
    assert {step for _, step in seen} == set(SCREENS)  # every screen was looked at
    assert len(seen) >= 19


def test_the_checker_finds_a_text_without_its_english(qtbot, make_window):
    """The walk above is only worth something if it can fail."""
    window = make_window()
    welcome = window.screens[Step.WELCOME]
    assert untranslated(window) == []
    welcome.layout_.addWidget(QLabel("日本語だけ"))
    one_language = BiLabel(Pair("英語がない", ""))
    welcome.layout_.addWidget(one_language)
    wrong_lead = InlineBiLabel(Pair("English first", "日本語"))
    welcome.layout_.addWidget(wrong_lead)
    edit = QLineEdit()
    edit.setPlaceholderText("郵便番号")
    edit.setAccessibleName("郵便番号 / Postal code")
    welcome.layout_.addWidget(edit)
    qtbot.wait(50)  # the layout shows what was added to it on the next turn of the loop
    problems = untranslated(window)
    for text in ("日本語だけ", "英語がない", "English first", "郵便番号"):
        assert any(text in p for p in problems), (text, problems)


@pytest.mark.parametrize("lead", ["ja", "en"])
def test_review_shows_each_message_once_under_a_shared_item(qtbot, make_window, kit, lead):
    """Two forms of a bundle share 異動年月日: its message shows once, not once per form."""
    from kiosk.i18n import Translator

    window = make_window(translator=Translator(lead))
    window.screens[Step.WELCOME].start_button.click()
    window.screens[Step.PROCEDURES].buttons["bundle:moving_in"].setChecked(True)
    window.screens[Step.PROCEDURES].next_button.click()
    window.screens[Step.IDENTIFY].method_buttons[Method.TYPING].click()
    review = window.screens[Step.REVIEW]
    review.next_button.click()  # the page's problems show once 次へ was pressed
    shared = [e for e in review.editors.values() if len({t for t, _ in e.question.uses}) > 1]
    assert shared
    repeated = 0
    for editor in shared:
        messages = window.flow.errors_for(editor.question)
        if not messages:
            continue
        shown = editor.error_label.pair
        for part, language in ((shown.lead, lead), (shown.second, window.i18n.second_language)):
            single = [
                window.i18n.only(language).field_error(m.ja, m.en) for m in messages
            ]  # each distinct message
            for message in single:
                assert part.count(message) == 1, (editor.path, part)
        uses_with_errors = sum(
            1
            for template_id, form in window.flow.forms.items()
            for e in form.errors
            if (template_id, e.path) in set(editor.question.uses)
        )
        repeated += uses_with_errors > len(messages)
    assert repeated  # some shared item did have the same message from several forms
