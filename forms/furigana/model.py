"""Ruby (furigana) as plain data: a Japanese string cut into segments, each a base text and
the reading drawn above it (None where nothing is drawn: kana, digits, punctuation).

Qt's rich text has no `<ruby>`, so the kiosk draws these segments itself; the pre-entry site
writes them as HTML `<ruby>`; speech can read `reading_text`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RubySegment:
    base: str
    reading: str | None = None  # hiragana, or None for no ruby


def plain_text(segments: Iterable[RubySegment]) -> str:
    """The original string back (segments never add or drop a character)."""
    return "".join(s.base for s in segments)


def reading_text(segments: Iterable[RubySegment]) -> str:
    """Everything as it is read: the reading where there is one, else the base."""
    return "".join(s.reading or s.base for s in segments)


def to_html(segments: Sequence[RubySegment]) -> str:
    """`<ruby>漢字<rt>かんじ</rt></ruby>` for ruby segments, escaped text for the rest."""
    out: list[str] = []
    for s in segments:
        base = html.escape(s.base)
        if s.reading:
            out.append(f"<ruby>{base}<rp>(</rp><rt>{html.escape(s.reading)}</rt><rp>)</rp></ruby>")
        else:
            out.append(base)
    return "".join(out)


def to_brackets(segments: Iterable[RubySegment]) -> str:
    """`漢字(かんじ)`: for logs of tests and for places that cannot draw ruby."""
    return "".join(f"{s.base}({s.reading})" if s.reading else s.base for s in segments)
