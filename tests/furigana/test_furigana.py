"""Furigana: ruby segments from the dictionary, the override list, counters, the model."""

from __future__ import annotations

import pytest

from forms.furigana import (
    FuriganaReader,
    Override,
    RubySegment,
    default_reader,
    has_kanji,
    plain_text,
    reading_text,
    ruby,
    to_brackets,
    to_html,
)
from forms.furigana.reader import align, load_overrides
from forms.i18n.domains import installed_domains

R = RubySegment


def test_ruby_sits_over_the_kanji_and_the_kana_stand_alone():
    assert ruby("住民票を請求します") == [
        R("住民", "じゅうみん"),
        R("票", "ひょう"),
        R("を"),
        R("請求", "せいきゅう"),
        R("します"),
    ]
    assert to_brackets(ruby("カードを持ってきてください")) == "カードを持(も)ってきてください"
    assert to_brackets(ruby("窓口へ行ってください")) == "窓口(まどぐち)へ行(い)ってください"


def test_readings_follow_the_context():
    assert reading_text(ruby("今日は")) == "きょうは"  # not こんにちは
    assert reading_text(ruby("大人")) == "おとな"


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("12月2日", "12がつふつか"),
        ("1月1日", "1がつついたち"),
        ("1日に1回", "いちにちに1かい"),
        ("子どもが2人", "こどもがふたり"),
        ("5人", "5にん"),
        ("31日", "31にち"),
    ],
)
def test_counters_after_numbers_are_read_by_rule(text, reading):
    assert reading_text(ruby(text)) == reading


def test_nothing_is_added_or_lost():
    for text in ["あと 1回です", "  前後  ", "住所: 東京都千代田区1-2-3", "𠮷田さん", "ABC", ""]:
        assert plain_text(ruby(text)) == text


def test_a_kanji_the_dictionary_does_not_know_gets_no_guessed_reading():
    segments = ruby("髙")
    assert segments == [R("髙")]


def test_every_kanji_of_the_easy_japanese_catalogues_gets_a_reading():
    """やさしい日本語: furigana on every kanji of every screen text, slip and form label."""
    reader = default_reader()
    for domain in installed_domains():
        for key, text in domain.messages("ja-easy").items():
            for segment in reader.segments(text):
                if has_kanji(segment.base):
                    assert segment.reading, (domain.name, key, segment.base)
                    assert not has_kanji(segment.reading)


# ---- the override list -----------------------------------------------------------------


OVERRIDES = load_overrides()


def test_the_override_list_is_not_empty_and_every_entry_is_kana():
    assert len(OVERRIDES) >= 5
    for o in OVERRIDES:
        assert has_kanji(o.term) and not has_kanji(o.reading), o
        assert o.why, o


@pytest.mark.parametrize("override", OVERRIDES, ids=lambda o: o.term)
def test_each_override_differs_from_the_dictionary_and_is_applied(override):
    reader = default_reader()
    assert reader.dictionary_reading(override.term) != override.reading  # still needed
    assert reading_text(reader.segments(override.term)) == override.reading  # and applied
    assert reading_text(reader.segments(f"これは{override.term}です")) == (
        f"これは{override.reading}です"
    )


def test_without_the_overrides_the_dictionary_reads_them_wrong():
    bare = FuriganaReader(overrides=())
    assert reading_text(bare.segments("世帯主")) != "せたいぬし"
    assert reading_text(bare.segments("受付票")) != "うけつけひょう"
    custom = FuriganaReader(overrides=(Override("窓口", "まどくち"),))
    assert reading_text(custom.segments("窓口です")) == "まどくちです"


def test_the_longest_override_wins():
    reader = FuriganaReader(
        overrides=(Override("日本", "にほん"), Override("日本橋", "にほんばし"))
    )
    assert reading_text(reader.segments("日本橋へ")) == "にほんばしへ"


# ---- the model ---------------------------------------------------------------------------


def test_align_splits_okurigana_and_keeps_irregular_words_whole():
    assert align("持って", "もって") == [R("持", "も"), R("って")]
    assert align("申し込み", "もうしこみ") == [R("申", "もう"), R("し"), R("込", "こ"), R("み")]
    assert align("今日", "きょう") == [R("今日", "きょう")]
    assert align("かな", "かな") == [R("かな")]


def test_html_ruby_is_escaped():
    html = to_html([R("<窓口>", "まど&ぐち"), R(" & ")])
    assert html == ("<ruby>&lt;窓口&gt;<rp>(</rp><rt>まど&amp;ぐち</rt><rp>)</rp></ruby> &amp; ")
