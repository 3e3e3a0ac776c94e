"""Labels and buttons that show a text in two languages: the lead language, and a smaller line
in the second language under it (`BiLabel`, `BiButton`) or after it (`InlineBiLabel`).

The two lines are two QLabels, so the theme's style sheet sizes them (`QLabel[lang="second"]`)
and they follow the bigger-text toggle. Widgets mark what they hold with the `lang` property:
`lead` / `second` on the two lines, `inline` on a label with both, `neutral` on a key that reads
the same in every language (a digit, a kana key), and `data="true"` on a label that shows the
resident's data (a name, a date, the reception number), which is never translated. The tests
walk these marks.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.gui.theme import japanese_family, second_px_for
from kiosk.gui.widgets.controls import make_label, setup_label
from kiosk.gui.widgets.ruby_text import (
    Line,
    RubyText,
    _break,
    _Piece,
    _pieces_of,
    _ruby_font,
    line_span,
)
from kiosk.i18n import Pair

if TYPE_CHECKING:
    from forms.furigana import RubySegment

LEAD = "lead"
SECOND = "second"
NEUTRAL = "neutral"
INLINE = "inline"  # both languages in one label (InlineBiLabel)

W = TypeVar("W", bound=QWidget)


def mark_neutral(widget: W) -> W:
    """The widget's text reads the same in every language (a digit, a kana key, ゛)."""
    widget.setProperty("lang", NEUTRAL)
    return widget


def mark_data(label: W) -> W:
    """The label shows the resident's data (or a number), not a text of the kiosk."""
    label.setProperty("data", True)
    return label


def _restyle(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class BiLabel(QWidget):
    """A text in the lead language with the second language on a smaller line under it."""

    def __init__(
        self,
        pair: Pair | None = None,
        *,
        role: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.lead = setup_label(RubyText(), role=role)  # furigana when the pair asks
        self.lead.setProperty("lang", LEAD)
        self.second = make_label(role=role)
        self.second.setProperty("lang", SECOND)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.lead)
        layout.addWidget(self.second)
        self._pair = Pair("")
        self.set_pair(pair or Pair(""))

    def set_pair(self, pair: Pair) -> None:
        self._pair = pair
        self.lead.set_ruby(pair.ruby)
        self.lead.setText(pair.lead)
        self.second.setText(pair.second)
        self.lead.setVisible(bool(pair.lead))  # an empty label takes no room
        self.second.setVisible(bool(pair.second))
        self.setAccessibleName(pair.joined())

    def clear(self) -> None:
        self.set_pair(Pair(""))

    @property
    def pair(self) -> Pair:
        return self._pair

    def text(self) -> str:
        """Both languages on one line ("" when empty)."""
        return self._pair.joined()

    def setAlignment(self, alignment: Qt.AlignmentFlag) -> None:  # noqa: N802 (as QLabel)
        self.lead.setAlignment(alignment)
        self.second.setAlignment(alignment)


class InlineBiLabel(QLabel):
    """Both languages in one paragraph, the second after the lead in smaller type: for short
    headings and item labels, where a line of its own would crowd a long list.

    Rich text, since the second language is smaller; its size is worked out from the label's
    own font whenever the style sheet changes it (the bigger-text toggle). `text()` is the
    markup: use `pair` or `plain()`.
    """

    def __init__(
        self, pair: Pair | None = None, *, role: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)  # no copy-out
        self.setProperty("lang", INLINE)
        if role:
            self.setProperty("role", role)
        self._pair = Pair("")
        self._segments: list[RubySegment] | None = None
        self.set_pair(pair or Pair(""))

    def set_pair(self, pair: Pair) -> None:
        self._pair = pair
        self._segments = self._ruby_for(pair)
        self.setAccessibleName(pair.joined())
        self._render()
        self.updateGeometry()
        self.update()

    def _ruby_for(self, pair: Pair) -> list[RubySegment] | None:
        """The lead's ruby segments when the pair asks for furigana and has a kanji; None:
        drawn as rich text."""
        if not pair.ruby:
            return None
        from forms.furigana import has_kanji, ruby  # loaded with the first furigana

        return ruby(pair.lead) if has_kanji(pair.lead) else None

    def has_ruby(self) -> bool:
        return self._segments is not None

    def clear(self) -> None:
        self.set_pair(Pair(""))

    @property
    def pair(self) -> Pair:
        return self._pair

    def plain(self) -> str:
        return self._pair.joined()

    def _render(self) -> None:
        lead, second = html.escape(self._pair.lead), html.escape(self._pair.second)
        if second:
            # The second language is Japanese (English under Japanese): the Japanese face,
            # whatever face the lead language draws in (`kiosk.gui.theme`).
            family = html.escape(japanese_family(), quote=True)
            second = (
                f'&nbsp;&nbsp;<span style="font-size:{self.second_px()}px; '
                f"font-family:'{family}'\">{second}</span>"
            )
        # pre-wrap: a full-width space (「年月日　（自動で記入）」) is not whitespace to collapse
        self.setText(f'<span style="white-space:pre-wrap">{lead}{second}</span>')

    def second_px(self) -> int:
        """The second language's size: 4 px under the label's own (never under the floors)."""
        font = self.font()
        lead = font.pixelSize() if font.pixelSize() > 0 else round(font.pointSizeF() * 96 / 72)
        return second_px_for(lead)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._render()

    # ---- ruby mode: the lead's kanji with their readings above, drawn here -----------------

    def _pieces(self) -> list[_Piece]:
        out = _pieces_of(self._segments or [])
        if self.pair.second:
            words = self.pair.second.split(" ")
            out.extend(_Piece(w + " ", None, True) for w in words)
        return out

    def _fonts(self) -> tuple[QFont, QFont, QFont]:
        base = QFont(self.font())
        ruby, second = _ruby_font(base), QFont(base)
        second.setPixelSize(self.second_px())
        second.setBold(False)
        return base, ruby, second

    def _lines(self, width: int) -> tuple[list[Line], int, int]:
        base, ruby, second = self._fonts()
        return _break(self._pieces(), base, ruby, second, width if self.wordWrap() else 10**6)

    def _one_line(self) -> QSize:
        lines, ruby_h, base_h = self._lines(10**6)
        return QSize(line_span(lines[0], self._fonts()[1])[1] + 4, ruby_h + base_h + 4)

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        if self._segments is None:
            return super().heightForWidth(width)
        lines, ruby_h, base_h = self._lines(max(1, width))
        return len(lines) * (ruby_h + base_h) + 4

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        return True if self._segments is not None else super().hasHeightForWidth()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        if self._segments is None:
            return super().sizeHint()
        if not self.wordWrap():
            return self._one_line()
        width = max(200, self.width())
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        """Small: the layout asks heightForWidth for the width it gives (a label built
        narrow must not make the window taller than the screen)."""
        if self._segments is None:
            return super().minimumSizeHint()
        if not self.wordWrap():
            return self._one_line()
        _, ruby_h, base_h = self._lines(10_000)
        return QSize(100, ruby_h + base_h)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        if self._segments is None:
            super().paintEvent(event)
            return
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        base, ruby, second = self._fonts()
        lines, ruby_h, base_h = self._lines(self.width())
        align = self.alignment()
        y = 0
        for line in lines:
            start, end = line_span(line, ruby)
            shift = 0
            if align & Qt.AlignmentFlag.AlignRight:
                shift = self.width() - end
            elif align & Qt.AlignmentFlag.AlignHCenter:
                shift = (self.width() - end + start) // 2 - start
            for at, piece, w in line:
                x = at + max(0, shift)
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
                flags = (
                    Qt.AlignmentFlag.AlignHCenter if piece.reading else Qt.AlignmentFlag.AlignLeft
                )
                painter.drawText(box, flags | Qt.AlignmentFlag.AlignBottom, piece.text)
            y += ruby_h + base_h
        painter.end()


class BiButton(QPushButton):
    """A push button whose face is two lines: the lead language, the second one smaller.

    The lines are labels inside the button (QPushButton draws plain text only); they pass
    clicks and touches through to it. Its accessible name carries both languages. The labels'
    colours follow the button's role and checked state through the style sheet
    (`QPushButton[checked="true"] QLabel`), so they are re-polished when it toggles; when it
    is disabled, the labels are too (`QLabel:disabled`).
    """

    def __init__(
        self,
        pair: Pair,
        *,
        role: str | None = None,
        checkable: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCheckable(checkable)
        self.setAutoDefault(True)  # Enter presses the focused button
        if role:
            self.setProperty("role", role)
        self.lead = RubyText()  # furigana when the pair asks for them
        self.second = QLabel()
        layout = self.box = QVBoxLayout(self)  # the two lines, one above the other
        layout.setContentsMargins(14, 4, 14, 4)
        layout.setSpacing(0)
        for label, lang in ((self.lead, LEAD), (self.second, SECOND)):
            label.setProperty("lang", lang)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)
        self._pair = Pair("")
        self.toggled.connect(self._restyle_soon)
        self._restyle_due = False
        self.set_pair(pair)

    def set_pair(self, pair: Pair) -> None:
        self._pair = pair
        self.lead.set_ruby(pair.ruby)
        self.lead.setText(pair.lead)
        self.second.setText(pair.second)
        self.second.setVisible(bool(pair.second))
        self.setAccessibleName(pair.joined())
        self.updateGeometry()

    @property
    def pair(self) -> Pair:
        return self._pair

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        layout = self.layout()
        hint = super().sizeHint()
        return hint.expandedTo(layout.sizeHint()) if layout is not None else hint

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        layout = self.layout()
        hint = super().minimumSizeHint()
        return hint.expandedTo(layout.minimumSize()) if layout is not None else hint

    def event(self, event: QEvent) -> bool:
        """The lines' sizes change when the style sheet reaches them (bigger text; a script
        whose fallback font is taller): the button's hint changes with them, so the layout
        it sits in must hear of it, or it keeps the old height and clips the lines."""
        if event.type() == QEvent.Type.LayoutRequest:
            # The style sheet's min-height is an explicit minimum, which layouts take over
            # any hint: raise it to what the two lines need.
            need = self.box.minimumSize().height()
            if self.minimumHeight() < need:
                self.setMinimumHeight(need)
            self.updateGeometry()
        return super().event(event)

    def _restyle_labels(self) -> None:
        self._restyle_due = False
        for label in (self.lead, self.second):
            _restyle(label)

    def _restyle_soon(self) -> None:
        """The labels' colours follow the checked state on the next turn of the event loop
        (once, however often it toggled): a toggle during start-up does not hold up the
        first paint (the first re-polish loads Qt's style enums, ~40 ms)."""
        if not self._restyle_due:
            self._restyle_due = True
            QTimer.singleShot(0, self, self._restyle_labels)

    def restyle(self) -> None:
        """Re-polish the button and its labels (after a checked state set without signals)."""
        _restyle(self)
        self._restyle_labels()
