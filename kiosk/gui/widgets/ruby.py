"""Furigana drawn as ruby: small readings above the kanji of a heading or an item's label.

Qt's rich text has no `<ruby>`, so `RubyLabel` lays the text out itself: the lead language
cut into `forms.furigana` segments (a segment with a reading is kept whole, the rest may wrap
between characters), each reading centred above its kanji at half size, and the second
language after it, smaller, wrapping between words. It is an `InlineBiLabel` in every other
respect (the same pair, markup, accessible name), so the checks that walk the screens treat
both alike; only the drawing differs.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from forms.furigana import RubySegment, plain_text, ruby
from kiosk.gui.widgets.bilingual import InlineBiLabel
from kiosk.i18n import Pair

RUBY_SCALE = 0.5
GAP_PX = 12  # between the lead and the second language


@dataclass(frozen=True)
class _Piece:
    text: str
    reading: str | None
    second: bool  # the second language's smaller type


class RubyLabel(InlineBiLabel):
    def __init__(
        self,
        pair: Pair,
        segments: list[RubySegment],
        *,
        role: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self._segments = segments
        super().__init__(pair, role=role, parent=parent)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_pair(self, pair: Pair) -> None:
        """Another text: its own readings (a label that changes while shown, e.g. 呼出番号 /
        受付番号 on the done screen)."""
        segments = getattr(self, "_segments", None)
        if segments is not None and plain_text(segments) != pair.lead:
            self._segments = ruby(pair.lead)
        super().set_pair(pair)
        self.updateGeometry()
        self.update()

    @property
    def segments(self) -> list[RubySegment]:
        return self._segments

    def _pieces(self) -> list[_Piece]:
        out: list[_Piece] = []
        for seg in self._segments:
            if seg.reading:
                out.append(_Piece(seg.base, seg.reading, False))
            else:
                out.extend(_Piece(ch, None, False) for ch in seg.base)
        if self.pair.second:
            words = self.pair.second.split(" ")
            out.extend(_Piece(w + " ", None, True) for w in words)
        return out

    def _fonts(self) -> tuple[QFont, QFont, QFont]:
        base = QFont(self.font())
        px = base.pixelSize() if base.pixelSize() > 0 else round(base.pointSizeF() * 96 / 72)
        ruby, second = QFont(base), QFont(base)
        ruby.setPixelSize(max(12, round(px * RUBY_SCALE)))
        ruby.setBold(False)
        second.setPixelSize(self.second_px())
        second.setBold(False)
        return base, ruby, second

    def _lines(self, width: int) -> tuple[list[list[tuple[int, _Piece, int]]], int, int]:
        base, ruby, second = self._fonts()
        fm = {False: QFontMetrics(base), True: QFontMetrics(second)}
        rm = QFontMetrics(ruby)
        lines: list[list[tuple[int, _Piece, int]]] = [[]]
        x = 0
        started_second = False
        for piece in self._pieces():
            if piece.second and not started_second:
                x += GAP_PX
                started_second = True
            w = fm[piece.second].horizontalAdvance(piece.text)
            if piece.reading:  # the reading may overhang its kanji a little, as printed ruby does
                w = max(w, round(rm.horizontalAdvance(piece.reading) * 0.75))
            if x + w > width and lines[-1]:
                lines.append([])
                x = 0
            lines[-1].append((x, piece, w))
            x += w
        return lines, rm.height(), fm[False].height()

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        lines, ruby_h, base_h = self._lines(max(1, width))
        return len(lines) * (ruby_h + base_h) + 4

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        return True

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        width = max(200, self.width())
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        """Small: the layout asks heightForWidth for the width it gives (a label built
        narrow must not make the window taller than the screen)."""
        _, ruby_h, base_h = self._lines(10_000)
        return QSize(100, ruby_h + base_h)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        base, ruby, second = self._fonts()
        lines, ruby_h, base_h = self._lines(self.width())
        y = 0
        for line in lines:
            for x, piece, w in line:
                if piece.reading:
                    painter.setFont(ruby)
                    over = max(0, QFontMetrics(ruby).horizontalAdvance(piece.reading) - w) // 2
                    # An overhang at either end of the line stays inside the label (not cut).
                    left = max(0, min(x - over, self.width() - w - 2 * over))
                    painter.drawText(
                        QRect(left, y, w + 2 * over, ruby_h),
                        Qt.AlignmentFlag.AlignHCenter,
                        piece.reading,
                    )
                painter.setFont(second if piece.second else base)
                box = QRect(QPoint(x, y + ruby_h), QSize(w, base_h))
                align = (
                    Qt.AlignmentFlag.AlignHCenter if piece.reading else Qt.AlignmentFlag.AlignLeft
                )
                painter.drawText(box, align | Qt.AlignmentFlag.AlignBottom, piece.text)
            y += ruby_h + base_h
        painter.end()
