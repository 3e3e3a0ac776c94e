"""Ruby (furigana) laid out and drawn: the pieces, their lines, and `RubyText`.

`RubyText` is the same drawing for one plain `QLabel`: the lead line of a `BiButton` and of a
`BiLabel`, whose texts are often set while shown (a status, a count, a button that changes its
words). It is a QLabel in every respect (`text()` is the plain text; the style sheet sizes and
colours it); with ruby asked for (`set_ruby(True)`: the pair came from a translator with
furigana on, see `kiosk.i18n.Pair.ruby`) and a kanji in its text, it draws the readings above
and takes their height, aligned as the label is (centred on a button face).

`kiosk.gui.widgets.ruby.RubyLabel` (a heading or an item's label with its second language
inline) lays out its pieces with the same `_break`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:
    from forms.furigana import RubySegment

RUBY_SCALE = 0.5
GAP_PX = 12  # between the lead and the second language


@dataclass(frozen=True)
class _Piece:
    text: str
    reading: str | None
    second: bool  # the second language's smaller type


Line = list[tuple[int, _Piece, int]]  # (x, piece, width) along one line


def _ruby_font(base: QFont) -> QFont:
    px = base.pixelSize() if base.pixelSize() > 0 else round(base.pointSizeF() * 96 / 72)
    font = QFont(base)
    font.setPixelSize(max(12, round(px * RUBY_SCALE)))
    font.setBold(False)
    return font


def _break(
    pieces: list[_Piece], base: QFont, ruby: QFont, second: QFont, width: int
) -> tuple[list[Line], int, int]:
    """The pieces in lines no wider than `width`; the ruby's and the base text's line heights.

    A line breaks after a space where it can (やさしい日本語 puts one between words), else
    between two pieces (Japanese breaks between characters; a word with ruby stays whole), and
    a piece wider than `width` has a line of its own."""
    fm = {False: QFontMetrics(base), True: QFontMetrics(second)}
    rm = QFontMetrics(ruby)

    def advance(piece: _Piece) -> tuple[int, int]:
        w = fm[piece.second].horizontalAdvance(piece.text)
        reading_w = rm.horizontalAdvance(piece.reading) if piece.reading else 0
        if piece.reading:  # the reading may overhang its kanji a little, as printed ruby does
            w = max(w, round(reading_w * 0.75))
        return w, reading_w

    words: list[list[_Piece]] = [[]]
    for piece in pieces:
        words[-1].append(piece)
        if piece.text.endswith((" ", "\u3000")):
            words.append([])
    lines: list[Line] = [[]]
    x = 0
    ruby_end = 0  # where the last reading on this line ends: the next one starts after it
    started_second = False
    for word in words:
        if not word:
            continue
        inked = (
            sum(advance(p)[0] for p in word)
            - fm[word[-1].second].horizontalAdvance(word[-1].text)
            + fm[word[-1].second].horizontalAdvance(word[-1].text.rstrip())
        )
        if lines[-1] and x + inked > width and inked <= width:  # the word on the next line
            lines.append([])
            x = ruby_end = 0
        for piece in word:
            if piece.second and not started_second:
                x += GAP_PX
                started_second = True
            w, reading_w = advance(piece)
            if x + w > width and lines[-1]:
                lines.append([])
                x = ruby_end = 0
            if piece.reading and lines[-1]:
                # Two readings side by side never overlap: the kanji move apart.
                x += max(0, ruby_end - (x + (w - reading_w) // 2))
            lines[-1].append((x, piece, w))
            if piece.reading:
                ruby_end = x + (w + reading_w + 1) // 2 + 2
            x += w
    return lines, rm.height(), fm[False].height()


def line_span(line: Line, ruby: QFont) -> tuple[int, int]:
    """Where a line's ink starts and ends: a reading wider than its kanji overhangs it (at
    the ends of a line, past the text)."""
    metrics = QFontMetrics(ruby)
    left, right = 0, 0
    for x, piece, w in line:
        over = 0
        if piece.reading:
            over = max(0, metrics.horizontalAdvance(piece.reading) - w + 1) // 2 + 1
        left, right = min(left, x - over), max(right, x + w + over)
    return left, right


def _pieces_of(segments: list[RubySegment]) -> list[_Piece]:
    out: list[_Piece] = []
    for seg in segments:
        if seg.reading and out and out[-1].reading and not out[-1].second:
            # kanji after kanji (住民 + 票): one word, one reading over it (group ruby)
            last = out[-1]
            out[-1] = _Piece(last.text + seg.base, (last.reading or "") + seg.reading, False)
        elif seg.reading:
            out.append(_Piece(seg.base, seg.reading, False))
        else:
            out.extend(_Piece(ch, None, False) for ch in seg.base)
    return out


class RubyText(QLabel):
    """A plain-text QLabel that draws furigana above its kanji once `set_ruby(True)`."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ruby = False
        self._segments: list[RubySegment] | None = None
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)

    # ---- what it shows -------------------------------------------------------------------

    def set_ruby(self, on: bool) -> None:
        if on != self._ruby:
            self._ruby = on
            self._segment()

    def setText(self, text: str) -> None:  # noqa: N802 (as QLabel)
        super().setText(text)
        self._segment()

    def _segment(self) -> None:
        text = self.text()
        self._segments = None
        if self._ruby:
            from forms.furigana import has_kanji, ruby  # loaded with the first furigana

            if has_kanji(text):
                self._segments = ruby(text)
        self.updateGeometry()
        self.update()

    @property
    def segments(self) -> list[RubySegment] | None:
        """The ruby drawn (None: drawn as a QLabel, without ruby)."""
        return self._segments

    def has_ruby(self) -> bool:
        return self._segments is not None

    # ---- its size ------------------------------------------------------------------------

    def _layout(self, width: int) -> tuple[list[Line], int, int]:
        base = QFont(self.font())
        assert self._segments is not None
        return _break(_pieces_of(self._segments), base, _ruby_font(base), base, width)

    def _extra(self) -> QSize:
        margins = self.contentsMargins()
        m = 2 * self.margin()
        return QSize(margins.left() + margins.right() + m, margins.top() + margins.bottom() + m)

    def _span(self, line: Line) -> tuple[int, int]:
        return line_span(line, _ruby_font(QFont(self.font())))

    def _one_line(self) -> QSize:
        lines, ruby_h, base_h = self._layout(1_000_000)
        left, right = self._span(lines[0])
        return QSize(right - left, ruby_h + base_h) + self._extra()

    def _height_at(self, width: int) -> int:
        inner = max(1, width - self._extra().width())
        lines, ruby_h, base_h = self._layout(inner if self.wordWrap() else 1_000_000)
        return len(lines) * (ruby_h + base_h) + self._extra().height()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        if self._segments is None:
            return super().sizeHint()
        line = self._one_line()
        if not self.wordWrap():
            return line
        # Wrapping: as wide as QLabel would make the same plain text, and tall enough there.
        width = min(line.width(), super().sizeHint().width() + self._extra().width())
        return QSize(width, self._height_at(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        if self._segments is None:
            return super().minimumSizeHint()
        if not self.wordWrap():
            return self._one_line()
        lines, ruby_h, base_h = self._layout(1)  # one piece a line: the widest is the minimum
        widest = max((w for line in lines for _, _, w in line), default=0)
        return QSize(widest, ruby_h + base_h) + self._extra()

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        if self._segments is None:
            return super().heightForWidth(width)
        return self._height_at(width) if self.wordWrap() else self._one_line().height()

    # ---- drawing -------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        if self._segments is None:
            super().paintEvent(event)
            return
        area = self.contentsRect().adjusted(
            self.margin(), self.margin(), -self.margin(), -self.margin()
        )
        lines, ruby_h, base_h = self._layout(area.width() if self.wordWrap() else 1_000_000)
        base = QFont(self.font())
        small = _ruby_font(base)
        align = self.alignment()
        height = len(lines) * (ruby_h + base_h)
        if align & Qt.AlignmentFlag.AlignVCenter:
            y = area.top() + (area.height() - height) // 2
        elif align & Qt.AlignmentFlag.AlignBottom:
            y = area.bottom() + 1 - height
        else:
            y = area.top()
        painter = QPainter(self)
        style, palette, enabled = self.style(), self.palette(), self.isEnabled()
        role = self.foregroundRole()
        centre = Qt.AlignmentFlag.AlignHCenter
        for line in lines:
            start, end = self._span(line)
            used = end - start
            if align & Qt.AlignmentFlag.AlignHCenter:
                left = area.left() + (area.width() - used) // 2
            elif align & Qt.AlignmentFlag.AlignRight:
                left = area.right() + 1 - used
            else:
                left = area.left()
            left = max(area.left(), left) - start  # the overhang stays inside the label
            for x, piece, w in line:
                if piece.reading:
                    painter.setFont(small)
                    over = max(0, QFontMetrics(small).horizontalAdvance(piece.reading) - w) // 2
                    box = QRect(left + x - over, y, w + 2 * over, ruby_h)
                    style.drawItemText(painter, box, centre, palette, enabled, piece.reading, role)
                painter.setFont(base)
                box = QRect(QPoint(left + x, y + ruby_h), QSize(w, base_h))
                flags = (centre if piece.reading else Qt.AlignmentFlag.AlignLeft) | (
                    Qt.AlignmentFlag.AlignBottom
                )
                style.drawItemText(painter, box, flags, palette, enabled, piece.text, role)
            y += ruby_h + base_h
        painter.end()
