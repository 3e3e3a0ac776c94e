"""Sizes and contrast on every screen, as an 80-year-old with weak eyesight meets them.

One walk drives the window through every screen and state (welcome with the display
settings, procedures with 次へ still disabled, identify, PIN, QR, each page of the guided
review with its problems shown, a long list opened, the 50音 keyboard, the summary, sign,
confirm, print, done, a machine error, and the panels: start over?, staff called, the staff
PIN). At each it measures, in the normal, bigger-text and high-contrast modes:

- every resident control at least 60 px tall, list rows included;
- every text at least 24 px (32 px with bigger text), the second language too;
- every visible text at least 4.5:1 against what is drawn behind it (7:1 in high contrast),
  disabled controls included, read from the window's own pixels.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QLabel, QPushButton
from screenwalk import low_contrast, small_targets, small_texts

from forms.sample_records import load_sample
from kiosk.demo import answer_from
from kiosk.flow import Method, Step
from kiosk.gui.app import KioskWindow
from kiosk.gui.scripted import sign_programmatically
from kiosk.gui.theme import Theme
from kiosk.gui.widgets.choices import ChoiceField
from kiosk.ports import KioskServices
from printing.errors import PrinterStopped

WAIT_MS = 15000


class HeldPrinter:
    def __init__(self) -> None:
        self.release = threading.Event()
        self.errors: list[Exception] = []

    def print_pdf(self, pdf: bytes, *, title: str) -> None:
        if not self.release.wait(timeout=10):
            raise TimeoutError("never released")
        if self.errors:
            raise self.errors.pop(0)


def walk(qtbot, window: KioskWindow, kit, printer: HeldPrinter) -> Iterator[str]:
    flow = window.flow

    def wait(condition) -> None:
        qtbot.waitUntil(condition, timeout=WAIT_MS)

    yield "welcome with the display settings"
    window.call_staff()
    yield "staff called"
    window.close_overlay()
    window._open_staff_unlock()
    yield "staff PIN"
    window.close_overlay()
    window.screens[Step.WELCOME].start_button.click()
    yield "procedures, nothing chosen (次へ disabled)"
    window.screens[Step.PROCEDURES].buttons["bundle:moving_in"].setChecked(True)
    window.screens[Step.PROCEDURES].next_button.click()
    yield "identify"
    window.screens[Step.IDENTIFY].method_buttons[Method.QR].click()
    yield "QR"
    flow.back()
    flow.navigator_on = True  # the procedure navigator: its three parts, then on as before
    window.screens[Step.IDENTIFY].method_buttons[Method.TYPING].click()
    yield "navigator: the household's size"
    window.screens[Step.NAVIGATOR].size_buttons[1].click()
    yield "navigator: a question"
    while flow.nav_question() is not None:
        window.screens[Step.NAVIGATOR].yes_button.click()
    yield "navigator: the forms and why"
    flow.cancel()
    flow.navigator_on = False
    window.screens[Step.WELCOME].start_button.click()
    window.screens[Step.PROCEDURES].buttons["bundle:moving_in"].setChecked(True)
    window.screens[Step.PROCEDURES].next_button.click()
    window.screens[Step.IDENTIFY].method_buttons[Method.CARD].click()
    wait(lambda: flow.tries_left is not None)
    yield "PIN"
    for digit in kit.profile.pin:
        window.screens[Step.PIN].pad.press(digit)
    window.screens[Step.PIN].read_button.click()
    wait(lambda: flow.step is Step.REVIEW)
    yield "review: about you (one person: 1人減らす disabled)"
    review = window.screens[Step.REVIEW]
    review.next_button.click()
    yield "review: about you, problems shown"
    window.cancel_button.click()
    yield "start over?"
    window.overlay.keep_button.click()
    kana = next(
        e
        for ed in review.editors.values()
        for e in ed.line_edits
        if e.property("keyboard") == "kana"
    )
    window.show_keyboard_for(kana)
    yield "the 50音 keyboard"
    window.hide_keyboards()
    picker = next(
        (ed.choices for ed in review.editors.values() if isinstance(ed.choices, ChoiceField)), None
    )
    if picker is not None:
        picker.button.click()
        yield "a long list opened"
        review.picker.close_picker()
    answer_from(flow, load_sample("mihon_showa_last_day"))
    while flow.step is Step.REVIEW and not flow.on_summary:
        review.next_button.click()
        yield f"review page {flow.review_position()[0]}"
    review.next_button.click()
    assert flow.step is Step.SIGN
    yield "sign (nothing drawn: 署名する disabled)"
    sign_programmatically(window.screens[Step.SIGN].pad)
    window.screens[Step.SIGN].pad.changed.emit()
    window.screens[Step.SIGN].ok_button.click()
    yield "confirm"
    window.screens[Step.CONFIRM].ok_button.click()
    wait(lambda: flow.step is Step.PRINT)
    assert not window.cancel_button.isVisible()
    yield "print"
    printer.errors.append(PrinterStopped("PDF"))
    printer.release.set()
    wait(lambda: flow.step is Step.ERROR)
    yield "a machine error"
    window.screens[Step.ERROR].retry_button.click()
    wait(lambda: flow.step is Step.DONE)
    yield "done"


THEMES = {
    "normal": Theme(),
    "bigger text": Theme(bigger_text=True),
    "high contrast": Theme(high_contrast=True),
}


@pytest.mark.parametrize("mode", list(THEMES))
def test_every_screen_has_big_targets_big_text_and_contrast(qtbot, make_window, kit, mode):
    theme = THEMES[mode]
    printer = HeldPrinter()
    services = KioskServices(
        card=kit.services.card,
        qr=kit.services.qr,
        confirmer=kit.services.confirmer,
        printer=printer,
        desk=kit.services.desk,
    )
    window = make_window(services=services, theme=Theme(**vars(theme)))
    problems: list[str] = []
    measured = 0
    states = 0
    try:
        for state in walk(qtbot, window, kit, printer):
            qtbot.wait(10)
            problems += [str(f) for f in small_targets(window, state)]
            problems += [str(f) for f in small_texts(window, state, theme.min_text_px)]
            found, count = low_contrast(window, state, theme.min_contrast)
            problems += [str(f) for f in found]
            measured += count
            states += 1
    finally:
        printer.release.set()
    assert problems == [], "\n".join(problems)
    assert states >= 20 and measured > 300  # the walk measured something on every screen


def test_the_measures_find_a_small_button_small_text_and_pale_text(qtbot, make_window):
    """The walk is only worth something if its measures can fail."""
    window = make_window()
    welcome = window.screens[Step.WELCOME]
    tiny = QPushButton("小")
    tiny.setAccessibleName("tiny")
    tiny.setStyleSheet("min-height: 20px; max-height: 20px; font-size: 12px;")
    pale = QLabel("うすい字 / pale text")
    pale.setAccessibleName("pale")
    pale.setStyleSheet("color: #C8C8C8; background: #FFFFFF;")
    welcome.layout_.addWidget(tiny)
    welcome.layout_.addWidget(pale)
    qtbot.wait(50)
    assert any("tiny" in f.where for f in small_targets(window, "test"))
    assert any("tiny" in f.where for f in small_texts(window, "test", 24))
    found, measured = low_contrast(window, "test", 4.5)
    assert measured > 3
    (pale_finding,) = [f for f in found if "pale" in f.where]
    assert 1.5 < pale_finding.value < 1.8  # #C8C8C8 on white is 1.67:1
