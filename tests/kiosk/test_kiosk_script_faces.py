"""Each language in a face made for its script (Chinese in Noto Sans CJK SC, Korean in Noto
Sans CJK KR), what stays Japanese in the Japanese face; and the furigana of やさしい日本語 on
every screen's heading and instructions, not only the review's."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from forms.furigana import has_kanji
from forms.i18n import CODES
from forms.sample_records import load_sample
from kiosk.demo import answer_from
from kiosk.flow import Method, Step
from kiosk.gui.screens.done import DoneScreen
from kiosk.gui.screens.overlays import CallStaffScreen, CancelConfirmScreen
from kiosk.gui.theme import LANGUAGE_FAMILIES, family_for, japanese_family
from kiosk.gui.widgets.bilingual import BiButton, BiLabel, InlineBiLabel
from kiosk.gui.widgets.ruby import RubyLabel
from kiosk.i18n import MESSAGES, Pair

FACE = {"zh-Hans": "Noto Sans CJK SC", "ko": "Noto Sans CJK KR"}
JAPANESE_FACE = "IPAexGothic"


def drawn_in(widget: QWidget) -> str:
    """The family Qt really draws the widget's text in (after the style sheet reached it)."""
    widget.ensurePolished()
    return QFontInfo(widget.font()).family()


def start_typing(window) -> None:
    window.screens[Step.WELCOME].start_button.click()
    window.screens[Step.PROCEDURES].buttons["bundle:moving_in"].setChecked(True)
    window.screens[Step.PROCEDURES].next_button.click()
    window.screens[Step.IDENTIFY].method_buttons[Method.TYPING].click()


def test_the_faces_are_installed(qapp):
    """fonts-noto-cjk and fonts-ipaexfont (scripts/setup.sh): without them the checks below
    would compare fallbacks."""
    assert japanese_family() == JAPANESE_FACE
    assert {code: family_for(code) for code in LANGUAGE_FAMILIES} == FACE


def test_each_language_leads_in_its_face_and_japanese_stays_japanese(qtbot, make_window):
    window = make_window()
    for code in [*CODES, "ja"]:
        window.screens[Step.WELCOME].languages.choose(code)
        assert window.i18n.language == code
        start = window.screens[Step.WELCOME].start_button
        assert drawn_in(window) == FACE.get(code, JAPANESE_FACE), code
        assert drawn_in(start.lead) == FACE.get(code, JAPANESE_FACE), code
        if start.pair.second:  # the Japanese (under a foreign lead) or the English (under ja)
            assert drawn_in(start.second) == JAPANESE_FACE, code
        # Each language's name in its own script, whatever the kiosk's language.
        chooser = window.screens[Step.WELCOME].languages
        for name_of, face in FACE.items():
            assert drawn_in(chooser.buttons[name_of].lead) == face, (code, name_of)
        assert drawn_in(chooser.buttons["ja"].lead) == JAPANESE_FACE, code


@pytest.mark.parametrize("code", ["zh-Hans", "ko"])
def test_the_forms_japanese_keeps_the_japanese_face_under_a_cjk_lead(qtbot, make_window, code):
    window = make_window()
    window.screens[Step.WELCOME].languages.choose(code)
    start_typing(window)
    flow = window.flow
    assert flow.step is Step.REVIEW
    answer_from(flow, load_sample("mihon_showa_last_day"))
    review = window.screens[Step.REVIEW]
    review.next_button.click()
    review = window.screens[Step.REVIEW]
    edits = [e for ed in review.editors.values() for e in ed.line_edits if e.text()]
    assert edits, "a page with values"
    for edit in edits:  # the values the form prints
        assert drawn_in(edit) == JAPANESE_FACE
    data = [w for w in review.findChildren(QLabel) if w.property("data") and w.text()]
    assert all(drawn_in(label) == JAPANESE_FACE for label in data)
    # An item's label: the lead language in its face, the Japanese after it in IPAex Gothic.
    inline = [w for w in review.findChildren(InlineBiLabel) if w.pair.second]
    assert inline
    for label in inline:
        assert drawn_in(label) == FACE[code]
        assert f"font-family:'{JAPANESE_FACE}'" in label.text()
    seconds = [w for w in review.findChildren(QLabel) if w.property("lang") == "second"]
    assert seconds and all(drawn_in(w) == JAPANESE_FACE for w in seconds if w.text())


def instructions(screen: QWidget) -> list[BiLabel | InlineBiLabel]:
    labels: list[BiLabel | InlineBiLabel] = [*screen.findChildren(BiLabel)]
    labels += [w for w in screen.findChildren(InlineBiLabel)]
    return [w for w in labels if not isinstance(w.parentWidget(), BiButton)]


def with_kanji_and_no_ruby(screen: QWidget, texts: set[str]) -> list[str]:
    """The screen's labels showing one of `texts` (its fixed headings and instructions) with
    a kanji in them, drawn without ruby."""
    return [
        w.pair.lead
        for w in instructions(screen)
        if w.pair.lead in texts and has_kanji(w.pair.lead) and not isinstance(w, RubyLabel)
    ]


EASY_KEYS = (
    "welcome.title",
    "welcome.lead",
    "language.choose",
    "procedures.title",
    "procedures.events",
    "procedures.forms",
    "identify.title",
    "confirm.title",
    "confirm.forms",
    "sign.title",
    "print.title",
    "print.wait",
    "done.title",
    "done.lead",
    "done.go_to",
    "done.call_number",
    "done.number",
    "cancel.title",
    "cancel.lead",
    "call.title",
    "call.lead",
)


def test_easy_japanese_puts_ruby_on_every_screens_headings_and_instructions(qtbot, make_window):
    window = make_window()
    window.screens[Step.WELCOME].languages.choose("ja-easy")
    easy = MESSAGES["ja-easy"]
    texts = {easy[key] for key in EASY_KEYS}
    assert all(has_kanji(easy[k]) for k in ("welcome.lead", "done.lead", "cancel.lead"))
    welcome = window.screens[Step.WELCOME]
    assert isinstance(welcome.title, RubyLabel) and not with_kanji_and_no_ruby(welcome, texts)
    lead = next(w for w in welcome.findChildren(RubyLabel) if w.pair.lead == easy["welcome.lead"])
    readings = {s.base: s.reading for s in lead.segments if s.reading}
    assert readings and all(readings.values())
    assert readings.get("機械") == "きかい"
    for step in (Step.PROCEDURES, Step.IDENTIFY, Step.CONFIRM, Step.SIGN, Step.PRINT, Step.DONE):
        screen = window.step_screen(step)
        assert not with_kanji_and_no_ruby(screen, texts), step
        if has_kanji(screen.title.pair.lead):
            assert isinstance(screen.title, RubyLabel), step
    for panel in (CancelConfirmScreen(window), CallStaffScreen(window)):
        assert not with_kanji_and_no_ruby(panel, texts), type(panel).__name__
        assert isinstance(panel.title, RubyLabel)
        panel.deleteLater()


def test_no_ruby_without_furigana_nor_outside_japanese(qtbot, make_window):
    window = make_window()
    for code in ("ja", "en", "zh-Hans"):
        window.screens[Step.WELCOME].languages.choose(code)
        assert not window.screens[Step.WELCOME].findChildren(RubyLabel), code
    window.screens[Step.WELCOME].languages.choose("ja-easy")
    assert window.screens[Step.WELCOME].findChildren(RubyLabel)
    window.set_furigana(False)
    assert not window.screens[Step.WELCOME].findChildren(RubyLabel)


def test_the_forms_values_never_get_ruby(qtbot, make_window):
    """やさしい日本語 on the review: ruby over the labels, the values stay plain fields."""
    window = make_window()
    window.screens[Step.WELCOME].languages.choose("ja-easy")
    start_typing(window)
    answer_from(window.flow, load_sample("mihon_showa_last_day"))
    review = window.screens[Step.REVIEW]
    review.next_button.click()
    review = window.screens[Step.REVIEW]
    values = {e.text() for ed in review.editors.values() for e in ed.line_edits if e.text()}
    assert values
    assert not [w for w in review.findChildren(RubyLabel) if w.pair.lead in values]
    assert all(isinstance(e, QLineEdit) for ed in review.editors.values() for e in ed.line_edits)


def test_a_ruby_label_takes_the_readings_of_its_new_text(qtbot, make_window):
    window = make_window()
    window.screens[Step.WELCOME].languages.choose("ja-easy")
    done = window.step_screen(Step.DONE)
    assert isinstance(done, DoneScreen) and isinstance(done.number_label, RubyLabel)
    done.number_label.set_pair(Pair("受付番号"))
    segments = done.number_label.segments
    assert "".join(s.base for s in segments) == "受付番号"
    assert "".join(s.reading or "" for s in segments) == "うけつけばんごう"
