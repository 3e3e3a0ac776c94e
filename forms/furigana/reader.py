"""Readings for any Japanese string, as ruby segments.

Readings come from MeCab (`fugashi`) with the UniDic dictionary (`unidic-lite`): it reads in
context (行って → いって, 今日は → きょうは), which a character-by-character reader cannot.
Where it is still wrong for the counter's words, `overrides.yaml` wins: its terms are cut
out of the text first (longest first) and never reach the dictionary. Counters after a
number are read by rule (2日 → ふつか, 1人 → ひとり), since the dictionary leaves the digits
unread and guesses the counter alone.

Ruby sits over the kanji only: 持って → 持(も)って; a word whose reading cannot be lined up
with its kana keeps the reading over the whole word.

`fugashi` is imported when the first reader is made, so importing `forms` stays cheap.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from forms.furigana.model import RubySegment


def is_kanji(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x3FFFF
        or 0xF900 <= cp <= 0xFAFF
        or ch in "々〆ヶ"
    )


def has_kanji(text: str) -> bool:
    return any(is_kanji(ch) for ch in text)


def to_hiragana(text: str) -> str:
    return "".join(chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" else ch for ch in text)


def align(base: str, reading: str) -> list[RubySegment]:
    """Cut a word and its reading so that the ruby sits over the kanji and the kana stand
    alone: align("持って", "もって") → [持(も), って]."""
    runs = [(m.group(0), has_kanji(m.group(0))) for m in _RUNS.finditer(base)]
    if not any(kanji for _, kanji in runs):
        return [RubySegment(base)]
    pattern = "".join("(.+?)" if kanji else re.escape(to_hiragana(text)) for text, kanji in runs)
    match = re.fullmatch(pattern, reading)
    if match is None:
        return [RubySegment(base, reading)]
    groups = iter(match.groups())
    return [RubySegment(text, next(groups) if kanji else None) for text, kanji in runs]


_RUNS = re.compile(
    r"[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\U00020000-\U0003FFFF々〆ヶ]+|[^\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\U00020000-\U0003FFFF々〆ヶ]+"
)

# Counters after a number that the dictionary cannot read alone.
_DAYS = {1: "ついたち", 2: "ふつか", 3: "みっか", 4: "よっか", 5: "いつか", 6: "むいか",
         7: "なのか", 8: "ようか", 9: "ここのか", 10: "とおか", 14: "じゅうよっか",
         20: "はつか", 24: "にじゅうよっか"}  # fmt: skip
_PEOPLE = {1: "ひとり", 2: "ふたり"}
_COUNTER = re.compile(r"([0-9０-９]+)([日人月])")


def _counter_segments(number: str, counter: str, after_month: bool) -> list[RubySegment]:
    value = int(number.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    if counter == "日":
        if value == 1 and not after_month:
            return [RubySegment(number + counter, "いちにち")]
        if value in _DAYS:
            return [RubySegment(number + counter, _DAYS[value])]
        return [RubySegment(number), RubySegment(counter, "にち")]
    if counter == "月":
        return [RubySegment(number), RubySegment(counter, "がつ")]
    if value in _PEOPLE:
        return [RubySegment(number + counter, _PEOPLE[value])]
    return [RubySegment(number), RubySegment(counter, "にん")]


@dataclass(frozen=True)
class Override:
    term: str
    reading: str
    why: str = ""


def load_overrides() -> tuple[Override, ...]:
    text = resources.files("forms.furigana").joinpath("overrides.yaml").read_text("utf-8")
    rows = yaml.safe_load(text) or []
    return tuple(Override(str(r["term"]), str(r["reading"]), str(r.get("why", ""))) for r in rows)


class FuriganaReader:
    """Ruby segments for Japanese text. One per application is plenty (`default_reader()`);
    it is safe to share between threads."""

    def __init__(self, overrides: tuple[Override, ...] | None = None) -> None:
        self.overrides = load_overrides() if overrides is None else overrides
        self._by_length = sorted(self.overrides, key=lambda o: -len(o.term))
        self._tagger: Any = None
        self._lock = threading.Lock()

    # ---- the dictionary --------------------------------------------------------------------

    def _tag(self, text: str) -> list[tuple[str, str | None]]:
        """(surface, hiragana reading or None) per word, straight from the dictionary; the
        white space MeCab skips comes back as words of its own, so nothing is lost. A word
        the dictionary does not know (a name in 𠮷 or 髙) has no reading: a guessed reading
        over a name is worse than none."""
        with self._lock:
            if self._tagger is None:
                import fugashi

                self._tagger = fugashi.Tagger()
            nodes = [
                (w.white_space, w.surface, None if w.is_unk else getattr(w.feature, "kana", None))
                for w in self._tagger(text)
            ]
        words: list[tuple[str, str | None]] = []
        for space, surface, kana in nodes:
            if space:
                words.append((space, None))
            words.append((surface, to_hiragana(kana) if kana else None))
        consumed = sum(len(surface) for surface, _ in words)
        if consumed < len(text):  # trailing white space
            words.append((text[consumed:], None))
        return words

    def dictionary_reading(self, text: str) -> str:
        """What the dictionary alone reads (no overrides, no counter rules)."""
        return "".join(reading or surface for surface, reading in self._tag(text))

    # ---- segments --------------------------------------------------------------------------

    def segments(self, text: str) -> list[RubySegment]:
        """`text` as ruby segments; `plain_text(segments) == text` always."""
        out: list[RubySegment] = []
        for piece in self._pieces(text):
            if isinstance(piece, list):
                out.extend(piece)
            else:
                out.extend(self._dictionary_segments(piece))
        return _merged(out)

    def _pieces(self, text: str) -> Iterator[str | list[RubySegment]]:
        """The text cut into override terms and counters (as segments) and the rest (str)."""
        start = position = 0
        while position < len(text):
            hit = next((o for o in self._by_length if text.startswith(o.term, position)), None)
            counter = _COUNTER.match(text, position) if hit is None else None
            if counter is not None and position > 0 and text[position - 1].isdigit():
                counter = None  # inside a longer number: let the match start at its first digit
            if hit is None and counter is None:
                position += 1
                continue
            if start < position:
                yield text[start:position]
            if hit is not None:
                yield align(hit.term, hit.reading)
                position += len(hit.term)
            else:
                assert counter is not None
                after_month = text[:position].endswith("月")
                yield _counter_segments(counter.group(1), counter.group(2), after_month)
                position = counter.end()
            start = position
        if start < len(text):
            yield text[start:]

    def _dictionary_segments(self, text: str) -> list[RubySegment]:
        out: list[RubySegment] = []
        for surface, reading in self._tag(text):
            if not has_kanji(surface):
                out.append(RubySegment(surface))
            elif reading and reading != surface:
                out.extend(align(surface, reading))
            else:
                out.extend(self._character_by_character(surface))
        return out

    # A word the dictionary does not know is read character by character: each kanji alone,
    # and a kanji it does not know either (髙, 𠮷) stays without ruby.

    def _character_by_character(self, word: str) -> list[RubySegment]:
        """A word the dictionary does not know: each kanji read alone, as a last resort."""
        out: list[RubySegment] = []
        for ch in word:
            reading = self._tag(ch)[0][1] if is_kanji(ch) else None
            out.append(RubySegment(ch, reading if reading and reading != ch else None))
        return out


def _merged(segments: list[RubySegment]) -> list[RubySegment]:
    """Neighbouring segments without ruby joined into one."""
    out: list[RubySegment] = []
    for s in segments:
        if not s.base:
            continue
        if s.reading is None and out and out[-1].reading is None:
            out[-1] = RubySegment(out[-1].base + s.base)
        else:
            out.append(s)
    return out


@functools.cache
def default_reader() -> FuriganaReader:
    """The shared reader with the shipped overrides (the dictionary loads on first use)."""
    return FuriganaReader()
