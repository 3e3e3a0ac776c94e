"""Kana helpers: フリガナ fields hold full-width katakana; small kana stay distinct."""

from __future__ import annotations

import re
import unicodedata

import jaconv

from forms.errors import FieldValueError

# Full-width katakana (including ヴ, small kana, ー, ・) and the spaces between name parts.
_KATAKANA = re.compile(r"^[\u30A1-\u30FA\u30FC\u30FB\u3000 ]*$")


def to_katakana(text: str) -> str:
    """Hiragana and half-width katakana → full-width katakana. Small kana are kept as they are.

    Half-width katakana are converted with jaconv (dakuten joined: ｶﾞ → ガ) rather than NFKC,
    which would also fold other characters the resident typed on purpose.
    """
    text = jaconv.h2z(text, kana=True, ascii=False, digit=False)
    text = jaconv.hira2kata(text)
    return text.replace(" ", "\u3000").strip("\u3000")


def normalize_kana(text: str) -> str:
    text = text.strip()
    if _KATAKANA.match(text) and " " not in text:
        return text.strip("\u3000")  # already clean: the common case when a form is re-checked
    result = to_katakana(unicodedata.normalize("NFC", text))
    if not _KATAKANA.match(result):
        raise FieldValueError(
            "フリガナはカタカナで入力してください", "use katakana for the reading"
        )
    return result
