"""Whether every text of a kiosk window fits its widget: nothing clipped, nothing elided.

A text is *cut off* when the widget that shows it is given less room than the text needs:

- a label that does not wrap: its `sizeHint()` (the text's width and height, with the label's
  margins) is wider or taller than the label's own geometry;
- a label that wraps (plain or rich text): it needs more height at its width than it has
  (`heightForWidth(width)`, the same sum Qt's layouts do), or one unbreakable piece of the
  text (a long word, a number; CJK breaks between characters) is wider than the label's
  contents, so wrapping cannot save it;
- a push button with a text of its own: its `sizeHint()` (text, icon, the style's padding)
  is wider or taller than the button;
- a label inside a push button (the two lines of a `BiButton`) that reaches past the
  button's inside, where the button clips it;
- a text that is a raw catalogue key ("welcome.title": a message missing in every language).

Nothing in the kiosk elides a text (`elided_anywhere` checks its source): a text that does
not fit is clipped, which the measures above find.

Widgets hidden, or inside a scroll area's page (the page scrolls: its height is not a
limit), are measured for width only; a page's height is the scroll area's business.
One pixel of slack is allowed for rounding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PySide6 import QtGui
from PySide6.QtCore import QPoint, QRect, Qt, QTextBoundaryFinder
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import QAbstractButton, QLabel, QPushButton, QScrollArea, QWidget

from kiosk.gui.widgets.ruby import RubyLabel

SLACK_PX = 1
RAW_KEY = re.compile(r"^[a-z][a-z_]*(\.[a-z0-9_-]+)+$")


@dataclass(frozen=True)
class Cut:
    where: str
    text: str
    why: str

    def __str__(self) -> str:
        return f"{self.where}: {self.text[:60]!r} {self.why}"


def _is_rich(label: QLabel) -> bool:
    kind = label.textFormat()
    if kind == Qt.TextFormat.AutoText:
        return QtGui.Qt.mightBeRichText(label.text())
    return kind == Qt.TextFormat.RichText


def _plain(label: QLabel) -> str:
    if not _is_rich(label):
        return label.text()
    doc = QTextDocument()
    doc.setHtml(label.text())
    return doc.toPlainText()


def widest_unbreakable(text: str, metrics: QFontMetrics) -> tuple[int, str]:
    """The widest piece of `text` between two line-break opportunities (UAX #14)."""
    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Line, text)
    widest, piece = 0, ""
    start = 0
    while True:
        end = finder.toNextBoundary()
        if end == -1:
            break
        segment = text[start:end].rstrip()
        width = metrics.horizontalAdvance(segment)
        if width > widest:
            widest, piece = width, segment
        start = end
    return widest, piece


def _in_scroll_page(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _rich_doc(label: QLabel, width: int) -> QTextDocument:
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    doc.setHtml(label.text())
    doc.setTextWidth(width)
    return doc


def label_cut(label: QLabel) -> str | None:
    """Why `label`'s text is cut off, or None if it fits."""
    text = _plain(label)
    if not text.strip():
        return None
    width, height = label.width(), label.height()
    tall_ok = _in_scroll_page(label)
    if not label.wordWrap():
        hint = label.sizeHint()
        if hint.width() > width + SLACK_PX:
            return f"needs {hint.width()} px wide, has {width}"
        if hint.height() > height + SLACK_PX and not tall_ok:
            return f"needs {hint.height()} px high, has {height}"
        return None
    inner = label.contentsRect().width() - 2 * label.margin() - max(label.indent(), 0)
    if isinstance(label, RubyLabel):
        needed = label.heightForWidth(width)
    else:
        if _is_rich(label):
            doc = _rich_doc(label, inner)
            if doc.idealWidth() > inner + SLACK_PX:
                return f"a piece {doc.idealWidth():.0f} px wide in {inner} px"
        else:
            widest, piece = widest_unbreakable(text, label.fontMetrics())
            if widest > inner + SLACK_PX:
                return f"{piece!r} is {widest} px wide in {inner} px"
        needed = label.heightForWidth(width)
    if needed > height + SLACK_PX and not tall_ok:
        return f"needs {needed} px high at {width} px wide, has {height}"
    return None


def button_cut(button: QAbstractButton) -> str | None:
    if not button.text().strip():
        return None
    hint = button.sizeHint()
    if hint.width() > button.width() + SLACK_PX:
        return f"needs {hint.width()} px wide, has {button.width()}"
    if hint.height() > button.height() + SLACK_PX and not _in_scroll_page(button):
        return f"needs {hint.height()} px high, has {button.height()}"
    return None


def outside_button(label: QLabel) -> str | None:
    """A label inside a push button must stay inside it (the button clips its children)."""
    parent = label.parentWidget()
    if not isinstance(parent, QPushButton):
        return None
    inner = parent.rect()
    geometry = label.geometry()
    if geometry.left() < inner.left() - SLACK_PX or geometry.right() > inner.right() + SLACK_PX:
        return f"reaches past its button ({geometry.left()}…{geometry.right()} in {inner.width()})"
    if geometry.top() < inner.top() - SLACK_PX or geometry.bottom() > inner.bottom() + SLACK_PX:
        return f"reaches past its button ({geometry.top()}…{geometry.bottom()} in {inner.height()})"
    return None


def _shown(window: QWidget, widget: QWidget) -> bool:
    if not widget.isVisibleTo(window):
        return False
    top_left = widget.mapTo(window, QPoint(0, 0))
    return window.rect().intersects(QRect(top_left, widget.size()))


def texts_cut(window: QWidget, state: str) -> tuple[list[Cut], int]:
    """Every shown label and button text of the window checked: (what is cut off, how many
    texts were checked)."""
    cuts: list[Cut] = []
    checked = 0
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, QLabel | QAbstractButton) or not _shown(window, widget):
            continue
        text = _plain(widget) if isinstance(widget, QLabel) else widget.text()
        if not text.strip():
            continue
        checked += 1
        where = f"{state}/{type(widget).__name__}"
        if RAW_KEY.match(text.strip()):
            cuts.append(Cut(where, text, "is a catalogue key, not a text"))
            continue
        if isinstance(widget, QLabel):
            why = label_cut(widget) or outside_button(widget)
        else:
            why = button_cut(widget)
        if why:
            cuts.append(Cut(where, text, why))
    return cuts, checked


def elided_anywhere(root: Path) -> list[str]:
    """Source files under `root` that elide a text (Qt's elidedText / ElideRight…)."""
    found = []
    for path in sorted(root.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if "elidedText" in source or "TextElideMode" in source or "setElideMode" in source:
            found.append(str(path))
    return found
