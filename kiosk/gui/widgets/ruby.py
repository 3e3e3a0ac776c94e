"""Furigana drawn as ruby: small readings above the kanji of a heading or an item's label.

Qt's rich text has no `<ruby>`, so `RubyLabel` lays the text out itself: the lead language
cut into `forms.furigana` segments (a segment with a reading is kept whole, the rest may wrap
between characters), each reading centred above its kanji at half size, and the second
language after it, smaller, wrapping between words. It is an `InlineBiLabel` in every other
respect (the same pair, markup, accessible name), so the checks that walk the screens treat
both alike; only the drawing differs.

`RubyText` (`kiosk.gui.widgets.ruby_text`) is the same drawing for one plain QLabel.
"""

from __future__ import annotations

from PySide6.QtWidgets import QSizePolicy, QWidget

from forms.furigana import RubySegment, plain_text, ruby
from kiosk.gui.widgets.bilingual import InlineBiLabel
from kiosk.gui.widgets.ruby_text import GAP_PX, RUBY_SCALE, RubyText
from kiosk.i18n import Pair

__all__ = ["GAP_PX", "RUBY_SCALE", "RubyLabel", "RubyText"]


class RubyLabel(InlineBiLabel):
    """An `InlineBiLabel` that always draws its lead as ruby segments (given, or read again
    when its text changes); the drawing is `InlineBiLabel`'s ruby mode."""

    def __init__(
        self,
        pair: Pair,
        segments: list[RubySegment],
        *,
        role: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self._given = segments
        super().__init__(pair, role=role, parent=parent)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _ruby_for(self, pair: Pair) -> list[RubySegment] | None:
        """Another text: its own readings (a label that changes while shown, e.g. 呼出番号 /
        受付番号 on the done screen)."""
        if plain_text(self._given) != pair.lead:
            self._given = ruby(pair.lead)
        return self._given

    @property
    def segments(self) -> list[RubySegment]:
        return self._given
