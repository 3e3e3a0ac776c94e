"""Plain words for legal terms (forms.glossary) and a first reading for Latin names
(forms.kana.latin_to_katakana)."""

from __future__ import annotations

import pytest

from forms.glossary import TERMS, terms_in
from forms.i18n import LANGUAGES
from forms.kana import has_latin, latin_to_katakana, normalize_kana
from kiosk.i18n import KIOSK_DOMAIN


def test_terms_are_found_longest_first_each_once() -> None:
    found = [t.ja for t in terms_in("異動する人の世帯主との続柄（世帯の代表）")]
    assert found == [
        "異動",
        "世帯主",
        "続柄",
        "世帯",
    ]  # 世帯主 hides its 世帯; the later 世帯 counts
    assert terms_in("電話番号") == []


def test_every_term_is_explained_in_every_language() -> None:
    for term in TERMS:
        for language in LANGUAGES:
            text = KIOSK_DOMAIN.lookup(language.code, term.key)
            assert text and text != term.key, (term.id, language.code)


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("John Smith", "ジョン\u3000スミス"),
        ("Maria Silva", "マリア\u3000シルヴァ"),
        ("Tran", "トラン"),
        ("Bishnu", "ビシュヌ"),
        ("Dewi Lestari", "デウィ\u3000レスタリ"),
        ("José", "ジョセ"),  # accents dropped
    ],
)
def test_a_latin_name_gets_a_katakana_reading_that_validates(name: str, reading: str) -> None:
    assert has_latin(name)
    proposed = latin_to_katakana(name)
    assert proposed == reading
    assert normalize_kana(proposed) == proposed  # a valid フリガナ as it is


def test_japanese_is_not_latin() -> None:
    assert not has_latin("見本　昭子") and not has_latin("ミホン")
