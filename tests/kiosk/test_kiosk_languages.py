"""The resident's own language: the chooser on the welcome screen and over any screen, and a
switch that keeps every entry."""

from __future__ import annotations

import dataclasses
import threading

import pytest
from kioskkit import WAIT_MS, by_card, start
from PySide6.QtCore import Qt

from devices.speech import SpeechRequest
from forms.i18n import LANGUAGES
from forms.sample_records import load_sample
from kiosk.demo import answer_from
from kiosk.flow import Method, Step
from kiosk.gui.screens.overlays import LanguageScreen
from kiosk.gui.theme import MIN_TOUCH_PX
from kiosk.i18n import MESSAGES, Translator


def choose_in_chrome(qtbot, window, code: str) -> None:
    """As a resident: the top bar's ことば button, then the language's name."""
    qtbot.mouseClick(window.language_button, Qt.MouseButton.LeftButton)
    panel = window.overlay
    assert isinstance(panel, LanguageScreen)
    qtbot.mouseClick(panel.languages.buttons[code], Qt.MouseButton.LeftButton)
    assert window.overlay is None and window.i18n.language == code


def test_the_welcome_screen_offers_ten_languages_each_in_its_own_script(qtbot, make_window):
    window = make_window()
    chooser = window.screens[Step.WELCOME].languages
    qtbot.wait(10)
    names = [button.pair.lead for button in chooser.buttons.values()]
    assert names == [language.native_name for language in LANGUAGES]
    assert "Tiếng Việt" in names and "中文（简体）" in names and "नेपाली" in names
    assert chooser.buttons["ja"].isChecked()
    for button in chooser.buttons.values():
        assert button.height() >= MIN_TOUCH_PX and button.width() >= 2 * MIN_TOUCH_PX
        assert button.lead.property("data")  # a name reads the same in any language
    qtbot.mouseClick(chooser.buttons["vi"], Qt.MouseButton.LeftButton)
    assert window.i18n.language == "vi"
    welcome = window.screens[Step.WELCOME]
    assert welcome.start_button.pair.lead == MESSAGES["vi"]["welcome.start"]
    assert welcome.start_button.pair.second == MESSAGES["ja"]["welcome.start"]
    assert welcome.languages.buttons["vi"].isChecked()  # the new screen shows the choice
    # The chrome's button says "language" in the lead language and in English.
    assert window.language_button.pair.lead == MESSAGES["vi"]["language.button"]
    assert window.language_button.pair.second == "Language"


def test_ja_easy_brings_furigana(qtbot, make_window):
    window = make_window()
    window.screens[Step.WELCOME].languages.choose("ja-easy")
    assert window.i18n.language == "ja-easy" and window.theme.furigana
    assert window.furigana_button.isChecked()


def test_switching_languages_mid_review_keeps_every_entry(qtbot, make_window, kit):
    """ja → vi → ja-easy with a review in progress: every value entered stays, the page
    stays, and what was being typed (not yet committed) is kept too."""
    window = make_window()
    flow = window.flow
    start(window, "bundle:moving_in", Method.TYPING)
    assert flow.step is Step.REVIEW
    answer_from(flow, load_sample("mihon_showa_last_day"))
    window.screens[Step.REVIEW].next_button.click()  # the second page, answered
    review = window.screens[Step.REVIEW]
    position = flow.review_position()
    editor = next(e for e in review.editors.values() if e.line_edits and e.isEnabled())
    path, field = editor.path, editor.line_edits[-1]
    field.setFocus()
    field.setText(field.text() + "二")  # being typed: not in the flow yet
    typed = field.text()
    shown = {p: [e.text() for e in ed.line_edits] for p, ed in review.editors.items()}

    def values() -> dict[str, object]:
        return {q.path: flow.value(q) for q in flow.all_questions()}

    before = values()
    assert len(before) > 20

    choose_in_chrome(qtbot, window, "vi")
    after_vi = values()
    choose_in_chrome(qtbot, window, "ja-easy")

    review = window.screens[Step.REVIEW]
    assert flow.step is Step.REVIEW and flow.review_position() == position
    assert {p: [e.text() for e in ed.line_edits] for p, ed in review.editors.items()} == shown
    assert review.editors[path].line_edits[-1].text() == typed
    changed = {p for p in before if before[p] != after_vi[p]}
    assert changed == {path}  # the typed text went into the flow; nothing else moved
    assert values() == after_vi
    choose_in_chrome(qtbot, window, "ja")
    assert values() == after_vi
    assert window.screens[Step.REVIEW].editors[path].line_edits[-1].text() == typed


# ---- 読み上げ and voice guidance -----------------------------------------------------------


class RecordingSpeech:
    """`kiosk.ports.Speech` that records what would be spoken, in which language, and on
    which thread (the real engines are tested in tests/speech)."""

    def __init__(self) -> None:
        self.said: list[tuple[str, str]] = []
        self.threads: set[str] = set()

    def say(self, request) -> None:
        self.said.append((request.language, request.text()))
        self.threads.add(threading.current_thread().name)


@pytest.fixture
def speech() -> RecordingSpeech:
    return RecordingSpeech()


@pytest.fixture
def speaking_window(make_window, kit, speech):
    def make(**kwargs):
        return make_window(services=dataclasses.replace(kit.services, speech=speech), **kwargs)

    return make


def read_aloud(qtbot, window, speech) -> tuple[str, str]:
    count = len(speech.said)
    qtbot.mouseClick(window.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(speech.said) > count, timeout=WAIT_MS)
    return speech.said[-1]


def tr_of(code: str) -> Translator:
    return Translator(code)


def test_read_aloud_reads_the_instruction_then_the_focused_item_off_the_gui_thread(
    qtbot, speaking_window, speech
):
    window = speaking_window()
    welcome = window.screens[Step.WELCOME]
    welcome.languages.choose("vi")
    welcome = window.screens[Step.WELCOME]
    welcome.start_button.setFocus()
    assert window.read_button.focusPolicy() == Qt.FocusPolicy.TabFocus  # a tap keeps it
    language, text = read_aloud(qtbot, window, speech)
    vi = tr_of("vi")
    assert language == "vi"
    assert text.startswith(vi("welcome.title"))
    assert text.endswith(vi("welcome.start") + ".")
    assert "ようこそ" not in text  # the chosen language only, not the Japanese beside it
    assert threading.main_thread().name not in speech.threads


def test_read_aloud_reads_a_review_item_and_its_value_in_the_chosen_language(
    qtbot, speaking_window, speech, kit
):
    window = speaking_window()
    window.screens[Step.WELCOME].languages.choose("zh-Hans")
    by_card(qtbot, window, kit)
    review = window.screens[Step.REVIEW]
    name = review.editors["person[0].name"]
    name.line_edits[0].setFocus()
    language, text = read_aloud(qtbot, window, speech)
    assert language == "zh-Hans"
    assert text.startswith(review.instruction().lead)
    assert name.label.lead in text and name.line_edits[0].text() in text
    assert name.line_edits[1].text() in text  # the whole name, both parts


def test_the_pin_screen_reads_its_instruction_only_never_a_digit(
    qtbot, speaking_window, speech, kit
):
    window = speaking_window()
    window.screens[Step.WELCOME].languages.choose("ko")
    start(window, "juminhyo", Method.CARD)
    qtbot.waitUntil(lambda: window.flow.tries_left is not None, timeout=WAIT_MS)
    pin = window.screens[Step.PIN]
    for digit in kit.profile.pin[:3]:
        pin.pad.press(digit)
    for focused in (pin.pad.entry, pin.pad.digit_buttons[4], pin.read_button):
        focused.setFocus()
        language, text = read_aloud(qtbot, window, speech)
        assert (language, text) == ("ko", SpeechRequest("ko", tr_of("ko")("pin.title")).text())
    instruction_digits = {c for c in tr_of("ko")("pin.title") if c.isdigit()}  # "4 digits"
    assert {c for _, said in speech.said for c in said if c.isdigit()} <= instruction_digits


def test_the_individual_number_is_read_by_its_label_only(qtbot, speaking_window, speech, kit):
    window = speaking_window()
    by_card(qtbot, window, kit, "kokuho")
    flow = window.flow
    answer_from(flow, load_sample("mihon_showa_last_day"))
    review = window.screens[Step.REVIEW]
    found = None
    while found is None and flow.step is Step.REVIEW and not flow.on_summary:
        found = next(
            (e for e in review.editors.values() if e.spec.type == "individual_number"), None
        )
        if found is None:
            review.next_button.click()
    assert found is not None, "no individual number item in kokuho"
    number = kit.profile.individual_number
    assert number and (flow.display(found.question) or "").replace(" ", "") in ("", number)
    if found.line_edits:
        focus = found.line_edits[0]
    else:  # read from the card: shown, not edited; reached here as by a screen reader
        focus = found.value_label
        focus.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    focus.setFocus()
    item = review.spoken_item(focus)
    assert item is not None and item.secret and item.value == ""
    _, text = read_aloud(qtbot, window, speech)
    assert found.label.lead in text
    assert number not in text and not any(c.isdigit() for c in text)


def test_voice_guidance_reads_each_screen_as_it_opens(qtbot, speaking_window, speech, kit):
    window = speaking_window()
    window.screens[Step.WELCOME].languages.choose("pt")
    window.guidance_button.click()  # in the display row, open on the welcome screen
    qtbot.waitUntil(lambda: len(speech.said) == 1, timeout=WAIT_MS)
    pt = tr_of("pt")
    assert speech.said[0] == ("pt", SpeechRequest("pt", pt("welcome.title")).text())
    window.screens[Step.WELCOME].start_button.click()
    qtbot.waitUntil(lambda: len(speech.said) == 2, timeout=WAIT_MS)
    assert speech.said[1] == ("pt", SpeechRequest("pt", pt("procedures.title")).text())
    window.open_language_chooser()  # a panel is read too, and the new language after it
    qtbot.waitUntil(lambda: len(speech.said) == 3, timeout=WAIT_MS)
    window.overlay.languages.choose("ja-easy")
    qtbot.waitUntil(lambda: len(speech.said) == 4, timeout=WAIT_MS)
    easy = tr_of("ja-easy")
    assert speech.said[3] == ("ja-easy", SpeechRequest("ja-easy", easy("procedures.title")).text())
    assert window.guidance_button.isChecked()  # kept across the language switch
    qtbot.wait(100)
    assert len(speech.said) == 4  # once per screen, not on every refresh


def test_the_staff_pin_panel_reads_its_instruction_only(qtbot, speaking_window, speech):
    window = speaking_window()
    window._open_staff_unlock()
    panel = window.overlay
    for digit in "24681357":
        panel.pad.press(digit)
    panel.pad.digit_buttons[2].setFocus()
    language, text = read_aloud(qtbot, window, speech)
    assert (language, text) == ("ja", SpeechRequest("ja", tr_of("ja")("staff.title")).text())
