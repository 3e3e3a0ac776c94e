"""Choices made by touch: a short list shown whole, a long one behind a button.

Where the law has a closed set (続柄, 国籍・地域, 在留資格, sex) the resident chooses, never
types: "daughter" or "Viet Nam" typed free would end up on a legal form.

- `OptionButtons`: up to `SHORT_LIST` choices, each a big button (≥ 60 px) with the Japanese
  and the resident's language; tapping the chosen one again clears an optional item.
- `ChoiceField` + `ChoicePicker`: a longer list. The field shows the choice made; its button
  opens the picker over the page: one row per choice (≥ 60 px), finger scrolling, the most
  common choices first (国籍: the largest groups of foreign residents), and a search line
  that matches the Japanese, the English, the code, in hiragana or katakana alike.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jaconv
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.gui.widgets.bilingual import BiButton, BiLabel
from kiosk.gui.widgets.touch import kinetic
from kiosk.i18n import Pair, Translator

SHORT_LIST = 6
# The nationalities of most foreign residents (出入国在留管理庁, end of 2024), listed first.
COMMON_NATIONALITIES = ("CN", "VN", "KR", "PH", "NP", "BR", "ID", "MM")


@dataclass(frozen=True)
class Choice:
    value: Any
    text: Pair  # the Japanese (as printed) and the resident's language
    search: str  # everything it may be found by, folded


def fold(text: str) -> str:
    """For matching: NFKC, case-free, katakana as hiragana (べとなむ finds ベトナム)."""
    return jaconv.kata2hira(unicodedata.normalize("NFKC", text).casefold())


def make_choice(value: Any, text: Pair, *extra: str) -> Choice:
    return Choice(value, text, fold(" ".join([text.lead, text.second, str(value), *extra])))


class OptionButtons(QWidget):
    """A short closed list, every choice a button; one chosen at a time."""

    chosen = Signal(object)  # the value, or None when cleared

    def __init__(
        self,
        choices: Sequence[Choice],
        value: Any,
        *,
        name: str,
        clearable: bool,
        columns: int = 1,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.clearable = clearable
        self.choices = list(choices)
        self.buttons: dict[Any, BiButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        for n, choice in enumerate(self.choices):
            button = BiButton(choice.text, role="option", checkable=True)
            button.setAccessibleName(f"{name}: {choice.text.joined()}")
            button.clicked.connect(lambda _=False, v=choice.value: self._clicked(v))
            self.buttons[choice.value] = button
            grid.addWidget(button, n // columns, n % columns)
        self._value: Any = None
        self.set_value(value)

    def value(self) -> Any:
        return self._value

    def set_value(self, value: Any) -> None:
        self._value = value if value in self.buttons else None
        for v, button in self.buttons.items():
            button.blockSignals(True)
            button.setChecked(v == self._value)
            button.blockSignals(False)
            button.restyle()

    def choose(self, value: Any) -> None:
        """As a tap on that choice would (tests, scripts)."""
        self.buttons[value].click()

    def _clicked(self, value: Any) -> None:
        new = None if value == self._value and self.clearable else value
        self.set_value(new)
        self.chosen.emit(new)


class ChoiceField(QWidget):
    """A long closed list: the choice made, and a button that opens the whole list."""

    picker_wanted = Signal(object)  # self
    chosen = Signal(object)

    def __init__(
        self,
        choices: Sequence[Choice],
        value: Any,
        *,
        name: str,
        tr: Translator,
        clearable: bool,
        common: Sequence[Any] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.name = name
        self.i18n = tr
        self.clearable = clearable
        self.choices = list(choices)
        self.common = [c for c in common if any(ch.value == c for ch in self.choices)]
        self.button = BiButton(tr.pair("choice.choose"), role="choice")
        self.button.setAccessibleName(name)
        self.button.clicked.connect(lambda: self.picker_wanted.emit(self))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button, 1)
        self._value: Any = None
        self.set_value(value)

    def value(self) -> Any:
        return self._value

    def choice(self, value: Any) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)

    def set_value(self, value: Any) -> None:
        found = self.choice(value)
        self._value = found.value if found is not None else None
        self.button.set_pair(found.text if found is not None else self.i18n.pair("choice.choose"))
        self.button.setAccessibleName(
            f"{self.name}: {found.text.joined()}" if found is not None else self.name
        )

    def choose(self, value: Any) -> None:
        """As choosing in the picker would (tests, scripts)."""
        self.set_value(value)
        self.chosen.emit(self._value)


class ChoicePicker(QWidget):
    """The whole list of one `ChoiceField`, over the page: search, rows, 戻る."""

    closed = Signal()

    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.i18n = tr
        self.field: ChoiceField | None = None
        self.setAccessibleName(tr.both("choice.title"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = BiLabel(role="title")
        layout.addWidget(self.title)
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr.both("choice.search"))
        self.search.setAccessibleName(tr.both("choice.search"))
        self.search.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.search.textChanged.connect(self._filter)
        layout.addWidget(self.search)
        self.list = QListWidget()
        self.list.setAccessibleName(tr.both("choice.title"))
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.setUniformItemSizes(True)
        kinetic(self.list)
        self.list.itemActivated.connect(self._picked)
        self.list.itemClicked.connect(self._picked)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.clear_button = BiButton(tr.pair("choice.clear"), role="secondary")
        self.clear_button.clicked.connect(lambda: self._finish(None))
        self.back_button = BiButton(tr.pair("common.back"), role="secondary")
        self.back_button.clicked.connect(self.close_picker)
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.clear_button)
        layout.addLayout(row)

    def open_for(self, field: ChoiceField, title: Pair) -> None:
        self.field = field
        self.title.set_pair(title)
        self.search.clear()
        self.list.clear()
        order = [*field.common, *(c.value for c in field.choices if c.value not in field.common)]
        by_value = {c.value: c for c in field.choices}
        for value in order:
            choice = by_value[value]
            item = QListWidgetItem(choice.text.joined())
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setData(Qt.ItemDataRole.UserRole + 1, choice.search)
            self.list.addItem(item)
            if value == field.value():
                self.list.setCurrentItem(item)
        self.clear_button.setVisible(field.clearable)
        self.search.setVisible(len(field.choices) > 12)
        current = self.list.currentItem()
        if current is not None:
            self.list.scrollToItem(current)
        self.show()
        self.raise_()
        self.list.setFocus()

    def rows(self) -> list[str]:
        """The texts of the rows shown (after the search)."""
        return [
            self.list.item(i).text()
            for i in range(self.list.count())
            if not self.list.item(i).isHidden()
        ]

    def pick(self, value: Any) -> None:
        """As a tap on that row would."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == value:
                self._picked(item)
                return
        raise KeyError(value)

    def _filter(self, text: str) -> None:
        wanted = fold(text.strip())
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(wanted) and wanted not in item.data(Qt.ItemDataRole.UserRole + 1))

    def _picked(self, item: QListWidgetItem) -> None:
        self._finish(item.data(Qt.ItemDataRole.UserRole))

    def _finish(self, value: Any) -> None:
        field = self.field
        self.close_picker()
        if field is not None:
            field.choose(value)

    def close_picker(self) -> None:
        field, self.field = self.field, None
        self.hide()
        self.closed.emit()
        if field is not None:
            field.button.setFocus()
