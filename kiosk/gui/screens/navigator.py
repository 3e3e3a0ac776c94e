"""The procedure navigator: one はい/いいえ question at a time, then the forms and why.

One topic per page: first, when the record does not know the household yet (a card holds one
person), how many people the application is for (one tap on 1人…); while a question is left (`flow.nav_question()`), the page shows it alone
with two large buttons; the chrome's 戻る goes back to the question before. Then the list: each
form chosen with its reasons (ja with the resident's language beside it), 外す beside it;
removed forms with 元に戻す; the life event's other forms with 追加する; 次へ below.
The rows are built again from the flow on every change: the screen keeps nothing.
"""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from forms.navigator import Navigation
from forms.text import Text
from kiosk.gui.screens.base import Controller, Screen
from kiosk.gui.widgets.bilingual import BiButton, BiLabel
from kiosk.gui.widgets.touch import kinetic
from kiosk.i18n import Pair

ACTION_WIDTH = 240  # px: 外す / 元に戻す / 追加する, in every language
SIZE_COLUMNS = 5  # the household's size: 1人…5人 on the first row


class NavigatorScreen(Screen):
    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "navigator.title")
        self._build_sizing()
        self._build_asking()
        self._build_listing()
        # template id → its button on the list (for tests and the scripted walks)
        self.remove_buttons: dict[str, BiButton] = {}
        self.undo_buttons: dict[str, BiButton] = {}
        self.add_buttons: dict[str, BiButton] = {}
        self.reason_labels: dict[str, BiLabel] = {}

    def _build_sizing(self) -> None:
        tr = self.i18n
        self.sizing = QWidget()
        sizing = QVBoxLayout(self.sizing)
        sizing.setContentsMargins(0, 0, 0, 0)
        sizing.setSpacing(16)
        sizing.addWidget(self.text(tr.pair("navigator.size")))
        grid = QGridLayout()
        grid.setSpacing(16)
        self.size_buttons: dict[int, BiButton] = {}
        for n in range(1, self.flow.nav_max_people() + 1):
            button = BiButton(tr.pair("navigator.people", n=n), role="choice")
            button.clicked.connect(lambda _=False, n=n: self.flow.nav_set_size(n))
            self.size_buttons[n] = button
            grid.addWidget(button, (n - 1) // SIZE_COLUMNS, (n - 1) % SIZE_COLUMNS)
        sizing.addLayout(grid)
        sizing.addStretch(1)
        self.layout_.addWidget(self.sizing, 1)
        self.sizing.hide()

    def _build_asking(self) -> None:
        tr = self.i18n
        self.asking = QWidget()
        asking = QVBoxLayout(self.asking)
        asking.setContentsMargins(0, 0, 0, 0)
        asking.setSpacing(16)
        self.progress = BiLabel(role="progress")
        self.question = BiLabel()
        self.help = BiLabel(role="hint")
        self.yes_button = BiButton(tr.pair("navigator.yes"), role="go")
        self.no_button = BiButton(tr.pair("navigator.no"), role="go")
        self.yes_button.clicked.connect(lambda: self.flow.nav_answer(True))
        self.no_button.clicked.connect(lambda: self.flow.nav_answer(False))
        answers = QHBoxLayout()
        answers.setSpacing(32)
        answers.addWidget(self.yes_button, 1)
        answers.addWidget(self.no_button, 1)
        for widget in (self.progress, self.question, self.help):
            asking.addWidget(widget)
        asking.addLayout(answers)
        asking.addStretch(1)
        self.layout_.addWidget(self.asking, 1)

    def _build_listing(self) -> None:
        tr = self.i18n
        self.listing = QWidget()
        listing = QVBoxLayout(self.listing)
        listing.setContentsMargins(0, 0, 0, 0)
        listing.addWidget(self.text(tr.pair("navigator.list")))
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        kinetic(self.scroll_area)
        listing.addWidget(self.scroll_area, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.next_button = BiButton(tr.pair("common.next"), role="go")
        self.next_button.setMinimumWidth(360)
        self.next_button.clicked.connect(self.flow.nav_next)
        row.addWidget(self.next_button)
        listing.addLayout(row)
        self.layout_.addWidget(self.listing, 1)
        self.listing.hide()

    def instruction(self) -> Pair:
        if self.flow.nav_asks_size:
            return self.i18n.pair("navigator.size")
        open_ = self.flow.nav_question()
        if open_ is not None:
            return self.i18n.text_pair(open_.question.text)
        return self.i18n.pair("navigator.list")

    def entered(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        flow, tr = self.flow, self.i18n
        open_ = flow.nav_question()
        part = self.sizing if flow.nav_asks_size else self.asking if open_ else self.listing
        if part.isHidden():  # the part changes: the window re-measures
            for each in (self.sizing, self.asking, self.listing):
                each.setVisible(each is part)
            self.updateGeometry()
        if part is self.sizing:
            self.size_buttons[1].setFocus()
            return
        if open_ is not None:
            n, total = flow.nav_progress()
            self.progress.set_pair(tr.pair("navigator.progress", n=n, total=total))
            self.question.set_pair(tr.text_pair(open_.question.text))
            self.help.set_pair(
                tr.text_pair(open_.question.help) if open_.question.help else Pair("")
            )
            self.help.setVisible(open_.question.help is not None)
            self.yes_button.setFocus()
            return
        self._build_list(flow.navigations())
        self.next_button.setEnabled(bool(flow.nav_template_ids()))  # nothing chosen: add one
        self.next_button.setFocus()

    def _build_list(self, navigations: list[Navigation]) -> None:
        tr = self.i18n
        body = QWidget()
        rows = QVBoxLayout(body)
        rows.setContentsMargins(0, 0, 8, 0)
        rows.setSpacing(12)
        self.remove_buttons, self.undo_buttons, self.add_buttons = {}, {}, {}
        self.reason_labels = {}
        for navigation in navigations:
            bundle = navigation.bundle_id
            for p in navigation.chosen:
                button = BiButton(tr.pair("navigator.remove"), role="secondary")
                button.clicked.connect(
                    lambda _=False, b=bundle, t=p.template_id: self.flow.nav_remove(b, t)
                )
                self.remove_buttons[p.template_id] = button
                rows.addWidget(self._row(p.title, p.reasons, button, p.template_id))
            if navigation.removed:
                rows.addWidget(self.text(tr.pair("navigator.removed"), inline=True))
            for p in navigation.removed:
                button = BiButton(tr.pair("navigator.undo"), role="secondary")
                button.clicked.connect(
                    lambda _=False, b=bundle, t=p.template_id: self.flow.nav_undo(b, t)
                )
                self.undo_buttons[p.template_id] = button
                rows.addWidget(self._row(p.title, p.reasons[-1:], button, None))
            offered = [*navigation.undecided, *navigation.offered]
            if offered:
                rows.addWidget(self.text(tr.pair("navigator.offered"), inline=True))
            for template_id in offered:
                button = BiButton(tr.pair("navigator.add"), role="secondary")
                button.clicked.connect(
                    lambda _=False, b=bundle, t=template_id: self.flow.nav_add(b, t)
                )
                self.add_buttons[template_id] = button
                title = self.flow.catalog.get(template_id).title
                rows.addWidget(self._row(title, (), button, None))
        rows.addStretch(1)
        old = self.scroll_area.takeWidget()
        self.scroll_area.setWidget(body)
        if old is not None:
            old.deleteLater()

    def _row(
        self, title: Text, reasons: tuple[Text, ...], button: BiButton, template_id: str | None
    ) -> QWidget:
        """One form: its title, its reasons under it, the action at the right."""
        tr = self.i18n
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(BiLabel(tr.text_pair(title), role="section"))
        if reasons:
            why = BiLabel(_joined([tr.text_pair(r) for r in reasons]), role="explain")
            texts.addWidget(why)
            if template_id is not None:
                self.reason_labels[template_id] = why
        line.addLayout(texts, 1)
        button.setFixedWidth(ACTION_WIDTH)
        line.addWidget(button)
        return row


def _joined(pairs: list[Pair]) -> Pair:
    """Several reasons as one text per language: 「…」、「…」."""
    lead = "／".join(p.lead for p in pairs)
    second = " / ".join(p.second for p in pairs if p.second)
    return Pair(lead, second)
