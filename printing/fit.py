"""Fitting a value into its box: shrink to the box's minimum size, then wrap; never overflow.

All measures here are PDF points. A box's inner area is its rectangle less a small padding;
a line of size `s` takes `s` (ascent + descent of the fonts, which sum to one em) and each
further line `s * LEADING`. When no size from `size` down to `min_size` fits, the value is
refused with `ValueDoesNotFit` naming the field: a form with a cut or overflowing value is
worse than no form.
"""

from __future__ import annotations

from dataclasses import dataclass

from printing.errors import ValueDoesNotFit
from printing.fonts import FontChain, Shaped

LEADING = 1.15
SIZE_STEP = 0.5
# Kinsoku shori (禁則処理): characters that may not begin a line.
NO_LINE_START = frozenset(
    "、。，．,.・：；:;？！?!ー－）」』】〕］｝〉》)]}ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞヽヾ"
)


@dataclass(frozen=True)
class Fitted:
    size: float
    lines: tuple[Shaped, ...]
    leading: float

    def height(self) -> float:
        return self.size + self.leading * (len(self.lines) - 1)


def _units(paragraph: str) -> list[str]:
    """Break opportunities: each CJK character alone, Latin words whole, spaces alone."""
    units: list[str] = []
    word = ""
    for ch in paragraph:
        if ch.isascii() and not ch.isspace():
            word += ch
            continue
        if word:
            units.append(word)
            word = ""
        units.append(ch)
    if word:
        units.append(word)
    return units


def wrap(paragraph: str, chain: FontChain, width: float, size: float) -> list[str] | None:
    """Greedy line breaking at `size` within `width`; None if a single character is too wide."""
    lines: list[list[str]] = [[]]
    used = 0.0

    def measure(text: str) -> float:
        return sum(chain.char_width(c) for c in text) * size

    def place(unit: str, w: float) -> None:
        nonlocal used
        line = lines[-1]
        if used + w <= width or not line:
            line.append(unit)
            used += w
            return
        if unit.isspace():  # a space at a break is dropped
            lines.append([])
            used = 0.0
            return
        carried: list[str] = []
        if unit[0] in NO_LINE_START and len(line) > 1 and measure(line[-1]) + w <= width:
            carried = [line.pop()]
        lines.append([*carried, unit])
        used = sum(measure(u) for u in lines[-1])

    for unit in _units(paragraph):
        w = measure(unit)
        if w <= width:
            place(unit, w)
            continue
        if len(unit) == 1:
            return None
        for ch in unit:  # a Latin word longer than a line: break it by characters
            cw = measure(ch)
            if cw > width:
                return None
            place(ch, cw)
    return ["".join(line).strip(" ") for line in lines]


def fit_text(
    shaped: Shaped,
    chain: FontChain,
    *,
    width: float,
    height: float,
    size: float,
    min_size: float,
    mode: str,
    ref: str,
) -> Fitted:
    """Choose the size and the lines for a value in an inner box of `width` x `height`."""
    text = shaped.text
    if not text:
        return Fitted(size, (), size * LEADING)
    paragraphs = text.splitlines() or [text]
    min_size = min(min_size, size)
    unit_width = max(sum(chain.char_width(c) for c in p) for p in paragraphs)

    def single_line_size() -> float | None:
        if len(paragraphs) != 1:
            return None
        s = min(size, height, width / unit_width if unit_width else size)
        s = int(s * 10) / 10  # round down to 0.1 pt
        return s if s >= min_size else None

    if mode in ("shrink", "shrink_wrap"):
        single = single_line_size()
        if single is not None:
            return _fitted(single, [text], chain)
        if mode == "shrink" and len(paragraphs) > 1:
            return _fit_lines(
                paragraphs, chain, width=width, height=height, size=size, min_size=min_size, ref=ref
            )
        if mode == "shrink":
            raise ValueDoesNotFit(ref)
    s = size
    while s >= min_size - 1e-9:
        lines: list[str] = []
        for paragraph in paragraphs:
            wrapped = wrap(paragraph, chain, width, s)
            if wrapped is None:
                break
            lines.extend(wrapped)
        else:
            if s + s * LEADING * (len(lines) - 1) <= height + 1e-6:
                return _fitted(s, lines, chain)
        if mode == "wrap":
            break
        s -= SIZE_STEP
    raise ValueDoesNotFit(ref)


def _fit_lines(
    paragraphs: list[str],
    chain: FontChain,
    *,
    width: float,
    height: float,
    size: float,
    min_size: float,
    ref: str,
) -> Fitted:
    """Explicit lines, no wrapping (fit: shrink on a multi-line value)."""
    widest = max(sum(chain.char_width(c) for c in p) for p in paragraphs) or 1.0
    n = len(paragraphs)
    s = min(size, width / widest, height / (1 + LEADING * (n - 1)))
    s = int(s * 10) / 10
    if s < min_size:
        raise ValueDoesNotFit(ref)
    return _fitted(s, paragraphs, chain)


def _fitted(size: float, lines: list[str], chain: FontChain) -> Fitted:
    # Already shaped once (errors raised there); reshaping a line cannot fail.
    shaped = tuple(chain.shape(line, "") for line in lines)
    return Fitted(size, shaped, size * LEADING)
