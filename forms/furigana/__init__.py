"""Furigana for any Japanese string (やさしい日本語 shows them on every kanji).

from forms.furigana import ruby
ruby("住民票を請求します")
# [RubySegment("住民票", "じゅうみんひょう"), RubySegment("を"),
#  RubySegment("請求", "せいきゅう"), RubySegment("します")]
"""

from __future__ import annotations

from forms.furigana.model import RubySegment, plain_text, reading_text, to_brackets, to_html
from forms.furigana.reader import FuriganaReader, Override, default_reader, has_kanji


def ruby(text: str) -> list[RubySegment]:
    """`text` as ruby segments, with the shared reader."""
    return default_reader().segments(text)


__all__ = [
    "FuriganaReader",
    "Override",
    "RubySegment",
    "default_reader",
    "has_kanji",
    "plain_text",
    "reading_text",
    "ruby",
    "to_brackets",
    "to_html",
]
