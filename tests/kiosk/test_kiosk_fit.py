"""Every screen in every language fits a 1280×800 kiosk in both text sizes: no text cut off,
no key missing (`fitcheck` says what "cut off" means).

The walk: welcome (with the display settings and the language chooser), procedures (a life
event chosen), identify, PIN, the first pages of the guided review and its summary, sign,
confirm, done; with the top bar's language chooser open once. Each of the ten languages, normal and
bigger text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fitcheck import Cut, elided_anywhere, texts_cut
from PySide6.QtWidgets import QLabel, QPushButton

from forms.i18n import CODES
from forms.sample_records import load_sample
from kiosk.demo import answer_from
from kiosk.flow import Method, Step
from kiosk.gui.app import KioskWindow
from kiosk.gui.scripted import sign_programmatically
from kiosk.gui.theme import Theme
from kiosk.i18n import KIOSK_DOMAIN, MESSAGES

WAIT_MS = 15000
SCREEN = (1280, 800)
REVIEW_PAGES = 3
KIOSK_GUI = Path(__file__).resolve().parents[2] / "kiosk" / "gui"


def walk(qtbot, window: KioskWindow, kit) -> Iterator[str]:
    flow = window.flow
    yield "welcome"
    window.open_language_chooser()
    yield "language chooser"
    window.close_overlay()
    window.screens[Step.WELCOME].start_button.click()
    procedures = window.screens[Step.PROCEDURES]
    procedures.buttons["bundle:moving_in"].setChecked(True)
    yield "procedures"
    procedures.next_button.click()
    yield "identify"
    window.screens[Step.IDENTIFY].method_buttons[Method.CARD].click()
    qtbot.waitUntil(lambda: flow.tries_left is not None, timeout=WAIT_MS)
    yield "PIN"
    for digit in kit.profile.pin:
        window.screens[Step.PIN].pad.press(digit)
    window.screens[Step.PIN].read_button.click()
    qtbot.waitUntil(lambda: flow.step is Step.REVIEW, timeout=WAIT_MS)
    answer_from(flow, load_sample("mihon_showa_last_day"))
    review = window.screens[Step.REVIEW]
    for _ in range(REVIEW_PAGES):
        yield f"review page {flow.review_position()[0]}"
        review.next_button.click()
    while flow.step is Step.REVIEW and not flow.on_summary:
        review.next_button.click()
    yield "review summary"
    review.next_button.click()
    assert flow.step is Step.SIGN
    yield "sign"
    sign_programmatically(window.screens[Step.SIGN].pad)
    window.screens[Step.SIGN].pad.changed.emit()
    window.screens[Step.SIGN].ok_button.click()
    yield "confirm"
    window.screens[Step.CONFIRM].ok_button.click()
    qtbot.waitUntil(lambda: flow.step in (Step.DONE, Step.ERROR), timeout=WAIT_MS)
    assert flow.step is Step.DONE, flow.error and flow.error.error.code
    yield "done"


def check_window(window: KioskWindow, state: str) -> tuple[list[str], int]:
    cuts, checked = texts_cut(window, state)
    problems = [str(c) for c in cuts]
    size = window.minimumSizeHint()
    if size.width() > SCREEN[0] or size.height() > SCREEN[1]:
        problems.append(f"{state}: the window needs {size.width()}×{size.height()}")
    elif window.width() > SCREEN[0] or window.height() > SCREEN[1]:
        problems.append(f"{state}: the window grew to {window.width()}×{window.height()}")
    return problems, checked


# The fast tier (`scripts/test.sh --fast`) walks the languages most likely to overflow: the
# longest Latin (vi), Devanagari (ne) and furigana (ja-easy) in bigger text, and Japanese; the
# full run walks every language in both sizes (some 10 s each).
FAST = {("ja", False), ("ja-easy", True), ("vi", True), ("ne", True)}
CASES = [
    pytest.param(
        language,
        bigger,
        id=f"{language}-{'bigger' if bigger else 'normal'}",
        marks=() if (language, bigger) in FAST else pytest.mark.slow,
    )
    for language in CODES
    for bigger in (False, True)
]


@pytest.mark.parametrize(("language", "bigger"), CASES)
def test_every_screen_fits_in_every_language(qtbot, make_window, kit, language, bigger):
    missing = KIOSK_DOMAIN.keys("ja") - set(MESSAGES[language])
    assert not missing, f"{language}: keys missing: {sorted(missing)[:10]}"
    window = make_window(theme=Theme(bigger_text=bigger))
    window.set_language(language)
    problems: list[str] = []
    checked = states = 0
    for state in walk(qtbot, window, kit):
        qtbot.wait(1)  # layouts settle
        found, count = check_window(window, f"{language}/{state}")
        problems += found
        checked += count
        states += 1
    assert states == 9 + REVIEW_PAGES and checked > 150, (states, checked)
    print(
        f"fit {language} {'bigger' if bigger else 'normal'}: {checked} texts, {len(problems)} cut"
    )
    assert problems == [], "\n".join(problems)


def test_the_fit_check_finds_clipped_wrapped_and_squeezed_texts(qtbot, make_window):
    """The check is only worth something if it can fail."""
    window = make_window()
    welcome = window.screens[Step.WELCOME]
    narrow = QLabel("Bahasa Indonesia tanpa ruang")
    narrow.setFixedWidth(60)
    wrapped = QLabel("Hãy chọn ngôn ngữ của bạn để tiếp tục " * 4)
    wrapped.setWordWrap(True)
    wrapped.setFixedSize(300, 40)
    long_word = QLabel("Donaudampfschifffahrtsgesellschaftskapitän")
    long_word.setWordWrap(True)
    long_word.setFixedWidth(200)
    button = QPushButton("Tiếng Việt rất dài trên nút")
    button.setFixedWidth(80)
    for widget in (narrow, wrapped, long_word, button):
        welcome.layout_.addWidget(widget)
    qtbot.wait(20)
    cuts, checked = texts_cut(window, "test")
    assert checked > 10
    texts = {c.text for c in cuts}
    assert narrow.text() in texts and wrapped.text() in texts
    assert long_word.text() in texts and button.text() in texts
    assert all(isinstance(c, Cut) for c in cuts) and len(cuts) == 4, [str(c) for c in cuts]
    start = window.screens[Step.WELCOME].start_button
    start.setFixedWidth(40)  # a BiButton's lines reach past the button
    qtbot.wait(20)
    cuts, _ = texts_cut(window, "test")
    assert any(c.text == start.lead.text() for c in cuts), [str(c) for c in cuts]


def test_nothing_in_the_kiosk_elides_a_text():
    assert elided_anywhere(KIOSK_GUI) == []
