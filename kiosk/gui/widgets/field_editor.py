"""One review item: its label, an editor that fits its field type, the inline error, and the
substitute-character check.

An editor commits when the resident leaves it (or presses Enter); the flow validates and
answers with an error shown right below, never a dialog. kana fields get the 50音 keyboard,
kanji fields use the system input method, and an address fills itself from its postal code
(`forms.address.lookup_postal_code`, offline).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from forms.address import lookup_postal_code
from forms.bundle import Question
from forms.era import to_japanese
from forms.errors import FieldValueError
from forms.record import Address, PersonName
from forms.template import Option
from forms.text import Text
from kiosk.gui.widgets.bilingual import BiButton, BiLabel, InlineBiLabel, mark_data
from kiosk.gui.widgets.controls import make_label
from kiosk.i18n import Pair, Translator

EditCallback = Callable[[str, Any, int | None], None]


def _line_edit(name: str, *, ime: bool = True) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)  # no copy to the clipboard
    edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, ime)
    return edit


class FieldEditor(QWidget):
    """Editor for one `forms.bundle.Question`. Emits `kana_keyboard_wanted(line_edit)`."""

    kana_keyboard_wanted = Signal(object)

    def __init__(
        self,
        question: Question,
        *,
        value: Any,
        display: str,
        read_only: bool,
        used_by: Pair | None,
        tr: Translator,
        on_edit: EditCallback,
        on_confirm_flag: Callable[[str], None],
    ) -> None:
        super().__init__()
        self.question = question
        self.path = question.path
        self._tr = tr
        self._on_edit = on_edit
        spec = question.slot.spec
        self.spec = spec
        label = tr.text_pair(spec.label)
        self.label = label
        self.setAccessibleName(label.joined())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 8)
        layout.setSpacing(4)
        title = label
        if spec.required:
            title = Pair(f"{title.lead} *", title.second)
        self.read_only = read_only
        if read_only:  # "(as on the card)" / "(filled in automatically)" goes after the label
            note = tr.pair(
                "review.readonly" if question.path.startswith("card.") else "review.auto"
            )
            title = Pair(f"{title.lead}　{note.lead}", f"{title.second} {note.second}".strip())
        self.title = InlineBiLabel(title, role="field-label")
        layout.addWidget(self.title)
        if used_by is not None:
            layout.addWidget(InlineBiLabel(used_by, role="hint"))

        self.line_edits: list[QLineEdit] = []
        self._committed: Any = None
        if read_only:
            self.value_label = mark_data(make_label(display))
            layout.addWidget(self.value_label)
        else:
            layout.addWidget(self._build_editor(value, display))

        self.error_label = InlineBiLabel(role="error")
        self.error_label.hide()
        layout.addWidget(self.error_label)

        flag_row = QHBoxLayout()
        self.flag_label = BiLabel(role="flag")
        self.flag_box = QCheckBox(tr.both("review.flag_ok"))
        self.flag_box.setAccessibleName(tr.both("review.flag_ok"))
        self.flag_box.toggled.connect(lambda on: on_confirm_flag(self.path) if on else None)
        flag_row.addWidget(self.flag_label, 1)
        flag_row.addWidget(self.flag_box)
        self.flag_widget = QWidget()
        self.flag_widget.setLayout(flag_row)
        self.flag_widget.hide()
        layout.addWidget(self.flag_widget)

    # ---- building ------------------------------------------------------------------------

    def _part_name(self, message_id: str) -> str:
        """An accessible name for one part of the item, in both languages ("氏名 氏 / …")."""
        label = self.spec.label
        return self._tr.pair_of(lambda t: f"{t.text(label)} {t(message_id)}").joined()

    def _build_editor(self, value: Any, display: str) -> QWidget:
        spec, tr = self.spec, self._tr
        name = self.label.joined()
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        match spec.type:
            case "person_name":
                name_value = value if isinstance(value, PersonName) else PersonName()
                self.family = _line_edit(self._part_name("review.family"))
                self.given = _line_edit(self._part_name("review.given"))
                self.family.setText(name_value.family)
                self.given.setText(name_value.given)
                self.family.setPlaceholderText(tr.both("review.family"))
                self.given.setPlaceholderText(tr.both("review.given"))
                for edit in (self.family, self.given):
                    edit.editingFinished.connect(self._commit_name)
                    row.addWidget(edit)
                    self.line_edits.append(edit)
                self._committed = (name_value.family, name_value.given)
                if spec.kana:
                    row.addWidget(self._kana_button())
            case "address":
                return self._build_address(value)
            case "select":
                row.addWidget(self._build_select(value))
            case "multi_select":
                for check in self._build_multi(value):
                    row.addWidget(check)
            case "checkbox":
                self.check = QCheckBox(tr.both("review.yes"))
                self.check.setAccessibleName(name)
                self.check.setChecked(bool(value))
                self.check.toggled.connect(lambda on: self._emit(on, 0))
                row.addWidget(self.check)
            case _:
                ime = spec.type not in ("number", "postal_code", "phone", "individual_number")
                edit = _line_edit(name, ime=ime and spec.type != "kana")
                text = to_japanese(value) if spec.type == "date" and value else display
                edit.setText(text)
                if spec.type == "date":
                    edit.setPlaceholderText(tr.both("review.date_hint"))
                self.edit = edit
                self._committed = text
                edit.editingFinished.connect(self._commit_text)
                row.addWidget(edit)
                self.line_edits.append(edit)
                if spec.type == "kana":
                    row.addWidget(self._kana_button())
        return box

    def _build_select(self, value: Any) -> QComboBox:
        tr = self._tr
        self.combo = QComboBox()
        self.combo.setAccessibleName(self.label.joined())
        self.combo.addItem(tr.both("review.none"), "")
        for option in self.spec.options:
            self.combo.addItem(tr.text_pair(_option_text(option)).joined(), option.value)
        current = getattr(value, "value", value)
        index = self.combo.findData(current) if current is not None else 0
        self.combo.setCurrentIndex(max(0, index))
        self.combo.currentIndexChanged.connect(
            lambda _: self._emit(self.combo.currentData() or None, 0)
        )
        return self.combo

    def _build_multi(self, value: Any) -> list[QCheckBox]:
        tr = self._tr
        chosen = set(value or [])
        self.checks: list[tuple[str, QCheckBox]] = []
        for option in self.spec.options:
            text = _option_text(option)
            check = QCheckBox(tr.text_pair(text).joined())
            check.setAccessibleName(
                tr.pair_of(
                    lambda t, text=text: f"{t.text(self.spec.label)} {t.text(text)}"
                ).joined()
            )
            check.setChecked(option.value in chosen)
            check.toggled.connect(self._commit_multi)
            self.checks.append((option.value, check))
        return [check for _, check in self.checks]

    def _kana_button(self) -> QWidget:
        button = BiButton(self._tr.pair("review.kana_keyboard"), role="secondary")
        button.setAccessibleName(self._part_name("review.kana_keyboard"))
        button.clicked.connect(self._want_keyboard)
        self.kana_button = button
        return button

    def _want_keyboard(self) -> None:
        target = next((e for e in self.line_edits if e.hasFocus()), self.line_edits[0])
        target.setFocus()
        self.kana_keyboard_wanted.emit(target)

    def _build_address(self, value: Any) -> QWidget:
        tr = self._tr
        address = value if isinstance(value, Address) else Address()
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.postal = _line_edit(self._part_name("review.postal"), ime=False)
        self.postal.setText(address.postal_code)
        self.postal.setPlaceholderText(tr.both("review.postal"))
        self.postal.returnPressed.connect(self.lookup_postal)
        self.lookup_button = BiButton(tr.pair("review.postal_lookup"), role="secondary")
        self.lookup_button.setAccessibleName(self._part_name("review.postal_lookup"))
        self.lookup_button.clicked.connect(self.lookup_postal)
        self.prefecture = _line_edit(self._part_name("review.prefecture"))
        self.city = _line_edit(self._part_name("review.city"))
        self.rest = _line_edit(self._part_name("review.rest"))
        for edit, text, hint in (
            (self.prefecture, address.prefecture, "review.prefecture"),
            (self.city, address.city, "review.city"),
            (self.rest, address.rest, "review.rest"),
        ):
            edit.setText(text)
            edit.setPlaceholderText(tr.both(hint))
            edit.editingFinished.connect(self._commit_address)
        self.postal.editingFinished.connect(self._commit_address)
        grid.addWidget(self.postal, 0, 0)
        grid.addWidget(self.lookup_button, 0, 1, 1, 2)
        grid.addWidget(self.prefecture, 1, 0)
        grid.addWidget(self.city, 1, 1)
        grid.addWidget(self.rest, 1, 2)
        self.line_edits = [self.postal, self.prefecture, self.city, self.rest]
        self._committed = self._address_parts()
        return box

    # ---- committing ----------------------------------------------------------------------

    def _emit(self, raw: Any, typed: int | None) -> None:
        self._on_edit(self.path, raw, typed)

    def _commit_text(self) -> None:
        text = self.edit.text()
        if text != self._committed:
            self._committed = text
            self._emit(text, len(text))

    def _commit_name(self) -> None:
        parts = (self.family.text(), self.given.text())
        if parts != self._committed:
            self._committed = parts
            self._emit({"family": parts[0], "given": parts[1]}, sum(map(len, parts)))

    def _commit_multi(self) -> None:
        self._emit([v for v, check in self.checks if check.isChecked()], 0)

    def _address_parts(self) -> tuple[str, str, str, str]:
        return (
            self.postal.text().strip(),
            self.prefecture.text(),
            self.city.text(),
            self.rest.text(),
        )

    def _commit_address(self, typed: int | None = None) -> None:
        parts = self._address_parts()
        if parts == self._committed:
            return
        self._committed = parts
        postal, prefecture, city, rest = parts
        raw = {"postal_code": postal, "prefecture": prefecture, "city": city, "rest": rest}
        self._emit(raw, sum(map(len, parts)) if typed is None else typed)

    def lookup_postal(self) -> None:
        """Fill prefecture, city and town from the postal code (only the code was typed)."""
        code = self.postal.text()
        try:
            found = lookup_postal_code(code)
        except FieldValueError as exc:
            self.show_error(self._tr.field_error_pair(exc.ja, exc.en))
            return
        if found is None:
            self.show_error(self._tr.pair("review.postal_unknown"))
            return
        self.postal.setText(found.postal_code)
        self.prefecture.setText(found.prefecture)
        self.city.setText(found.city)
        self.rest.setText(found.rest)
        self._commit_address(typed=len(code))
        self.rest.setFocus()
        self.rest.end(False)

    # ---- showing the flow's view ---------------------------------------------------------

    def has_focus_inside(self) -> bool:
        focused = QApplication.focusWidget()
        return focused is not None and self.isAncestorOf(focused)

    def sync(self, value: Any, display: str) -> None:
        """Show the flow's value (after an edit elsewhere, a postal lookup, a script), unless
        the resident is typing in this editor right now."""
        if self.read_only:
            self.value_label.setText(display)
            return
        if self.has_focus_inside():
            return
        widgets = [*self.line_edits]
        for attr in ("combo", "check"):
            if hasattr(self, attr):
                widgets.append(getattr(self, attr))
        widgets.extend(check for _, check in getattr(self, "checks", []))
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self._show_value(value, display)
        finally:
            for widget in widgets:
                widget.blockSignals(False)

    def _show_value(self, value: Any, display: str) -> None:
        match self.spec.type:
            case "person_name":
                name = value if isinstance(value, PersonName) else PersonName()
                self.family.setText(name.family)
                self.given.setText(name.given)
                self._committed = (name.family, name.given)
            case "address":
                address = value if isinstance(value, Address) else Address()
                self.postal.setText(address.postal_code)
                self.prefecture.setText(address.prefecture)
                self.city.setText(address.city)
                self.rest.setText(address.rest)
                self._committed = self._address_parts()
            case "select":
                current = getattr(value, "value", value)
                index = self.combo.findData(current) if current is not None else 0
                self.combo.setCurrentIndex(max(0, index))
            case "multi_select":
                chosen = set(value or [])
                for option_value, check in self.checks:
                    check.setChecked(option_value in chosen)
            case "checkbox":
                self.check.setChecked(bool(value))
            case _:
                text = to_japanese(value) if self.spec.type == "date" and value else display
                self.edit.setText(text)
                self._committed = text

    def show_error(self, message: Pair | None) -> None:
        """Show one message (the flow gives each distinct one once), or none."""
        shown = message is not None and bool(message.lead)
        self.error_label.set_pair(message if message is not None and shown else Pair(""))
        self.error_label.setVisible(shown)
        for edit in self.line_edits:
            edit.setProperty("invalid", shown)
            edit.style().unpolish(edit)
            edit.style().polish(edit)

    def show_flag(self, chars: list[str] | None, confirmed: bool) -> None:
        if not chars:
            self.flag_widget.hide()
            self.flag_label.clear()
            return
        self.flag_label.set_pair(self._tr.pair("review.flag", chars="・".join(chars)))
        self.flag_box.blockSignals(True)
        self.flag_box.setChecked(confirmed)
        self.flag_box.blockSignals(False)
        self.flag_widget.show()


def _option_text(option: Option) -> Text:
    return Text(ja=option.ja, en=option.en)
