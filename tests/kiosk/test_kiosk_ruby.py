"""Furigana on the kiosk's buttons and on the labels whose text changes while shown
(`kiosk.gui.widgets.ruby_text.RubyText`), in やさしい日本語 and with furigana on; never on the
resident's data, never in another lead language."""

from __future__ import annotations

from fitcheck import texts_cut
from kioskkit import WAIT_MS, start

from forms.furigana import plain_text, ruby
from kiosk.flow import Method, Step
from kiosk.gui.widgets.bilingual import BiButton, InlineBiLabel
from kiosk.gui.widgets.ruby_text import RubyText
from kiosk.i18n import Pair, Translator


def readings(label: RubyText) -> str:
    return "".join(s.reading or "" for s in label.segments or [])


def test_easy_japanese_puts_ruby_on_buttons_and_on_labels_set_while_shown(qtbot, make_window):
    window = make_window()
    window.screens[Step.WELCOME].languages.choose("ja-easy")
    assert window.i18n.ruby
    assert readings(window.call_button.lead) == "しょくいんよ"  # 職員を 呼ぶ
    window.screens[Step.WELCOME].start_button.click()
    procedures = window.screens[Step.PROCEDURES]
    assert procedures.next_button.lead.has_ruby()  # 次へ
    assert readings(procedures.next_button.lead) == "つぎ"
    assert all(b.lead.has_ruby() for b in procedures.buttons.values())
    # the total below the list is set on every tick of a procedure: its ruby follows
    procedures.buttons["juminhyo"].setChecked(True)
    total = procedures.total.lead
    assert isinstance(total, RubyText) and total.has_ruby()
    assert plain_text(total.segments or []) == total.text()
    # the language names are the languages' own words: no ruby over 日本語
    window.open_language_chooser()
    names = window.overlay.languages.buttons
    assert not names["ja"].lead.has_ruby() and not names["ja-easy"].lead.has_ruby()
    window.close_overlay()


def test_ruby_goes_with_the_furigana_toggle_and_a_japanese_lead_only(qtbot, make_window):
    window = make_window()
    welcome = window.screens[Step.WELCOME]
    welcome.start_button.click()
    procedures = window.screens[Step.PROCEDURES]
    assert not procedures.next_button.lead.has_ruby()  # 日本語, furigana off
    window.set_furigana(True)
    assert window.screens[Step.PROCEDURES].next_button.lead.has_ruby()
    window.set_language("en")
    assert not window.i18n.ruby
    assert not any(b.lead.has_ruby() for b in window.findChildren(BiButton))
    window.set_language("ja-easy")
    window.set_furigana(False)  # the resident may turn them off in やさしい日本語 too
    assert not any(b.lead.has_ruby() for b in window.findChildren(BiButton))


def test_a_pair_asks_for_ruby_only_from_a_translator_with_furigana():
    assert Translator("ja-easy", furigana=True).pair("common.next").ruby
    assert not Translator("ja-easy").pair("common.next").ruby
    assert not Translator("vi", furigana=True).pair("common.next").ruby
    assert not Pair("見本 昭子").ruby  # the resident's data is built as a plain pair
    assert Pair("次へ", ruby=True) == Pair("次へ")  # ruby is how it is drawn, not what it says


def test_the_readings_come_from_the_dictionary_with_its_overrides(qtbot):
    label = RubyText()
    label.set_ruby(True)
    label.setText("世帯主の 生年月日")  # both in the override list
    assert label.has_ruby() and label.segments == ruby("世帯主の 生年月日")
    assert "せたいぬし" in readings(label) and "せいねんがっぴ" in readings(label)
    assert label.text() == "世帯主の 生年月日"  # a QLabel's text stays the plain text
    label.setText("はじめる")  # no kanji: drawn as a QLabel
    assert not label.has_ruby()
    label.setText("次へ")
    plain = RubyText("次へ")
    assert label.sizeHint().height() > plain.sizeHint().height()  # the readings' line
    label.set_ruby(False)
    assert not label.has_ruby() and label.sizeHint() == plain.sizeHint()


def test_the_pin_screen_in_easy_japanese_fits_with_its_ruby(qtbot, make_window, kit):
    window = make_window()
    window.screens[Step.WELCOME].languages.choose("ja-easy")
    start(window, "juminhyo", Method.CARD)
    qtbot.waitUntil(lambda: window.flow.tries_left is not None, timeout=WAIT_MS)
    qtbot.wait(1)
    cuts, checked = texts_cut(window, "ja-easy/PIN")
    assert checked > 10 and cuts == [], [str(c) for c in cuts]


def test_the_fit_check_sees_a_ruby_button_squeezed(qtbot, make_window):
    window = make_window()
    window.screens[Step.WELCOME].languages.choose("ja-easy")
    window.screens[Step.WELCOME].start_button.click()
    button = window.screens[Step.PROCEDURES].next_button
    assert button.lead.has_ruby()
    qtbot.wait(1)
    assert texts_cut(window, "ok")[0] == []
    button.setFixedHeight(button.lead.sizeHint().height() - 10)  # room for 次へ, not its ruby
    qtbot.wait(20)
    cuts, _ = texts_cut(window, "squeezed")
    assert any(c.text == button.lead.text() for c in cuts), [str(c) for c in cuts]


def test_an_inline_label_set_while_shown_gets_ruby_too(qtbot):
    """The review's 「8ページの うち 1ページ目」, an error, a hint: `InlineBiLabel`s whose pair
    changes while shown draw ruby when the pair asks for it."""
    label = InlineBiLabel(role="progress")
    label.setWordWrap(False)
    plain = label.sizeHint()
    label.set_pair(Translator("ja-easy", furigana=True).pair("review.progress", n=1, total=8))
    assert label.has_ruby() and label.plain().endswith("目")
    assert label.sizeHint().height() > plain.height()
    label.set_pair(Pair("8ページの うち 1ページ", ruby=True))  # no kanji: rich text again
    assert not label.has_ruby()
    label.set_pair(Pair("目", ruby=False))
    assert not label.has_ruby()
