"""Plain words behind a ？ button: what a legal term in a heading or a label means.

`HelpButton` sits beside the text; a tap shows (and a second tap hides) the explanations
right under it, in plain Japanese with the resident's language beside it: one line per term
the text uses (`forms.glossary`), then the form's own help for the item, if it has one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from forms.glossary import Term, terms_in
from forms.text import Text
from kiosk.gui.widgets.bilingual import BiLabel, mark_neutral
from kiosk.i18n import Pair, Translator


def explanations(tr: Translator, japanese: str, extra: Text | None = None) -> list[Pair]:
    """One pair per legal term in `japanese` ("続柄: 世帯主から見た…"), then `extra`."""

    def explained(term: Term) -> Pair:
        return tr.pair_of(lambda t: f"{term.ja}：{t(term.key)}")

    out = [explained(term) for term in terms_in(japanese)]
    if extra is not None and extra.ja:
        out.append(tr.text_pair(extra))
    return out


class HelpButton(QPushButton):
    """The ？ of one heading or item: toggles its `Explanation`. Its face is the mark alone
    (the same in every language); its accessible name says what it explains."""

    def __init__(self, tr: Translator, subject: Pair, explanation: Explanation) -> None:
        super().__init__("？")
        mark_neutral(self)
        self.setProperty("role", "secondary")
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(tr.both("help.about", subject=subject.lead))
        self.setFixedWidth(72)
        self.explanation = explanation
        self.toggled.connect(explanation.setVisible)


class Explanation(QWidget):
    """The explanations of one heading or item, hidden until its ？ is pressed."""

    def __init__(self, pairs: list[Pair]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(4)
        self.lines = [BiLabel(pair, role="explain") for pair in pairs]
        for line in self.lines:
            layout.addWidget(line)
        self.hide()

    def pairs(self) -> list[Pair]:
        return [line.pair for line in self.lines]
