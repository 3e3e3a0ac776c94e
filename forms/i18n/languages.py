"""The languages Madoguchi speaks, each named in its own script (no flags).

Japanese is the source language: every catalogue key exists in Japanese first, and the other
languages are checked against it. やさしい日本語 (`ja-easy`) is Japanese written after the
入管庁・文化庁 guideline (short sentences, no honorifics) and shown with furigana on every
kanji; it is its own catalogue, not a filter over Japanese.

The order is the order of the language chooser: Japanese, やさしい日本語, English, then the
largest groups of foreign residents (China, Korea, Viet Nam, Brazil, Nepal, the Philippines,
Indonesia; 出入国在留管理庁, end of 2024).
"""

from __future__ import annotations

from dataclasses import dataclass

from forms.errors import MadoguchiError


@dataclass(frozen=True)
class Language:
    code: str  # our catalogue code (folder name under locale/)
    native_name: str  # how the language names itself: the chooser's label
    english_name: str
    html_lang: str  # BCP 47 tag for `lang` attributes and speech engines
    babel_locale: str  # what Babel parses (plural rules, catalogue headers)
    ruby: bool = False  # show furigana above every kanji


SOURCE = "ja"

LANGUAGES: tuple[Language, ...] = (
    Language("ja", "日本語", "Japanese", "ja", "ja"),
    Language("ja-easy", "やさしい日本語", "Easy Japanese", "ja", "ja", ruby=True),
    Language("en", "English", "English", "en", "en"),
    Language("zh-Hans", "中文（简体）", "Chinese (Simplified)", "zh-Hans", "zh_Hans"),
    Language("ko", "한국어", "Korean", "ko", "ko"),
    Language("vi", "Tiếng Việt", "Vietnamese", "vi", "vi"),
    Language("pt", "Português", "Portuguese", "pt", "pt_BR"),
    Language("ne", "नेपाली", "Nepali", "ne", "ne"),
    Language("fil", "Filipino", "Filipino", "fil", "fil"),
    Language("id", "Bahasa Indonesia", "Indonesian", "id", "id"),
)

_BY_CODE = {language.code: language for language in LANGUAGES}
CODES: tuple[str, ...] = tuple(_BY_CODE)


class UnknownLanguage(MadoguchiError):
    code = "unknown_language"

    def __init__(self, code: str) -> None:
        shown = code if len(code) <= 16 and code.isascii() else "?"
        super().__init__(
            f"この言語には対応していません: {shown}", f"this language is not offered: {shown}"
        )
        self.language = shown


def language(code: str) -> Language:
    """The language for `code`; raises UnknownLanguage for anything not offered."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise UnknownLanguage(code) from None


def is_offered(code: str) -> bool:
    return code in _BY_CODE


def fallback_of(code: str) -> str | None:
    """The language a missing entry falls back to: Japanese for every language but Japanese.

    A missing key is a test failure, so the fallback only matters between a template's
    publication and its translation: the resident then sees the Japanese, which is what the
    legal form says anyway.
    """
    return None if code == SOURCE else SOURCE
