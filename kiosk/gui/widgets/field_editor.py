"""One review item: its label (with furigana when asked for, and a ？ for its legal terms), an
editor that fits its field type, the inline error, and the substitute-character check.

Editors by type, each usable by touch alone and by keyboard:

- closed sets and other selects: `OptionButtons` (short lists) or `ChoiceField` (long lists,
  opened as a full list); never free text. An optional 国籍・地域 offers 日本 first (empty:
  a Japanese national).
- checkboxes: はい / いいえ buttons; multi-selects: one toggle per option.
- dates: the era (令和・平成・昭和・大正, or 西暦) as buttons, then year, month and day.
- names, addresses, text, digits: fields for the on-screen keyboard (Qt Virtual Keyboard,
  with kana-kanji conversion; digits only where only digits fit); フリガナ takes the 50音
  keyboard. Each field says which one in its `keyboard` property ("text", "kana").
- an address fills itself from its postal code (`forms.address.lookup_postal_code`, offline),
  and offers "same as …" for an address already given (never typed twice).

An editor commits when the resident leaves it (or presses Enter, or taps a choice); the flow
validates. Problems show below the item, never in a dialog, and only once the review lets
them (after 次へ on this page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from forms.address import lookup_postal_code
from forms.bundle import Question
from forms.era import era_year
from forms.errors import FieldValueError
from forms.record import Address, PersonName
from forms.template import Option
from forms.text import Text
from kiosk.gui.widgets.bilingual import BiButton, BiLabel, InlineBiLabel, mark_data
from kiosk.gui.widgets.choices import (
    COMMON_NATIONALITIES,
    SHORT_LIST,
    Choice,
    ChoiceField,
    OptionButtons,
    make_choice,
)
from kiosk.gui.widgets.controls import make_label
from kiosk.gui.widgets.help import Explanation, HelpButton, explanations
from kiosk.i18n import Pair, Translator

EditCallback = Callable[[str, Any, int | None], None]
DIGITS = Qt.InputMethodHint.ImhDigitsOnly
DIAL = Qt.InputMethodHint.ImhDialableCharactersOnly
DATE_ERAS = ("令和", "平成", "昭和", "大正")
ERA_KEYS = {"令和": "reiwa", "平成": "heisei", "昭和": "showa", "大正": "taisho"}
WESTERN = "西暦"


def line_edit(
    name: str, *, keyboard: str = "text", hints: Qt.InputMethodHint | None = None
) -> QLineEdit:
    """A field for the on-screen keyboard `keyboard` ("text": Qt Virtual Keyboard, "kana":
    the 50音 keyboard, which types itself, so the input method is off)."""
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)  # no copy to the clipboard
    edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, keyboard != "kana")
    edit.setProperty("keyboard", keyboard)
    if hints is not None:
        edit.setInputMethodHints(hints)
    return edit


def title_label(
    tr: Translator, pair: Pair, japanese: str, *, furigana: bool, role: str
) -> InlineBiLabel:
    """An item's or a page's label; ruby over its kanji when furigana are on (and the lead
    language is Japanese)."""
    if furigana and tr.language in ("ja", "ja-easy"):
        from forms.furigana import ruby
        from kiosk.gui.widgets.ruby import RubyLabel

        # やさしい日本語 is its own wording of the label: its kanji get ruby too.
        if tr.language == "ja-easy" or pair.lead == japanese or japanese in pair.lead:
            segments = ruby(pair.lead)
            return RubyLabel(pair, segments, role=role)
    return InlineBiLabel(pair, role=role)


class FieldEditor(QWidget):
    """Editor for one `forms.bundle.Question`. Emits `picker_wanted(ChoiceField)`."""

    picker_wanted = Signal(object)

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
        furigana: bool = False,
        copy_sources: list[tuple[Pair, Address]] | None = None,
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
        self.copy_sources = copy_sources or []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 10)
        layout.setSpacing(6)
        title = label
        if spec.required:
            title = Pair(f"{title.lead} *", title.second)
        self.read_only = read_only
        if read_only:  # "(as on the card)" / "(filled in automatically)" goes after the label
            note = tr.pair(
                "review.readonly" if question.path.startswith("card.") else "review.auto"
            )
            title = Pair(f"{title.lead}　{note.lead}", f"{title.second} {note.second}".strip())
        head = QHBoxLayout()
        self.title = title_label(tr, title, spec.label.ja, furigana=furigana, role="field-label")
        head.addWidget(self.title, 1)
        pairs = explanations(tr, spec.label.ja, spec.help)
        self.explanation = Explanation(pairs)
        self.help_button: HelpButton | None = None
        if pairs:
            self.help_button = HelpButton(tr, label, self.explanation)
            head.addWidget(self.help_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(head)
        layout.addWidget(self.explanation)
        if used_by is not None:
            layout.addWidget(InlineBiLabel(used_by, role="hint"))

        self.line_edits: list[QLineEdit] = []
        self.choices: OptionButtons | ChoiceField | None = None
        self._committed: Any = None
        if read_only:
            self.value_label = mark_data(make_label(display))
            layout.addWidget(self.value_label)
        else:
            layout.addWidget(self._build_editor(value, display))

        self.notice = BiLabel(role="notice")
        self.notice.hide()
        layout.addWidget(self.notice)
        self.error_label = InlineBiLabel(role="error")
        self.error_label.hide()
        layout.addWidget(self.error_label)

        layout.addWidget(self._build_flag(tr, on_confirm_flag))

    def _build_flag(self, tr: Translator, on_confirm_flag: Callable[[str], None]) -> QWidget:
        """The substitute-character check: which characters to look at, and "they are right"."""
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
        return self.flag_widget

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
                keyboard = "kana" if spec.kana else "text"
                name_value = value if isinstance(value, PersonName) else PersonName()
                self.family = line_edit(self._part_name("review.family"), keyboard=keyboard)
                self.given = line_edit(self._part_name("review.given"), keyboard=keyboard)
                self.family.setText(name_value.family)
                self.given.setText(name_value.given)
                self.family.setPlaceholderText(tr.both("review.family"))
                self.given.setPlaceholderText(tr.both("review.given"))
                for edit in (self.family, self.given):
                    edit.editingFinished.connect(self._commit_name)
                    row.addWidget(edit)
                    self.line_edits.append(edit)
                self._committed = (name_value.family, name_value.given)
            case "address":
                return self._build_address(value)
            case "select":
                row.addWidget(self._build_select(value))
            case "multi_select":
                self._build_multi(value, row)
            case "checkbox":
                choices = [
                    make_choice(True, tr.pair("review.yes")),
                    make_choice(False, tr.pair("review.no")),
                ]
                current = None if value is None else bool(value)
                self.choices = OptionButtons(
                    choices, current, name=name, clearable=False, columns=2
                )
                self.choices.chosen.connect(lambda v: self._emit(v, 0))
                row.addWidget(self.choices)
            case "date":
                return self._build_date(value)
            case _:
                hints = {
                    "number": DIGITS,
                    "postal_code": DIGITS,
                    "individual_number": DIGITS,
                    "phone": DIAL,
                }.get(spec.type)
                keyboard = "kana" if spec.type == "kana" else "text"
                edit = line_edit(name, keyboard=keyboard, hints=hints)
                edit.setText(display)
                self.edit = edit
                self._committed = display
                edit.editingFinished.connect(self._commit_text)
                row.addWidget(edit)
                self.line_edits.append(edit)
        return box

    def _choice_list(self) -> list[Choice]:
        tr = self._tr
        out = [make_choice(o.value, tr.text_pair(_option_text(o))) for o in self.spec.options]
        if self.question.path.endswith(".nationality"):
            out.insert(0, make_choice("", tr.pair("choice.japanese"), "JP", "Japan"))
        return out

    def _build_select(self, value: Any) -> QWidget:
        current = getattr(value, "value", value)
        choices = self._choice_list()
        name = self.label.joined()
        clearable = not self.spec.required
        if self.question.path.endswith(".nationality") and current in (None, ""):
            current = ""  # no nationality recorded: a Japanese national
        if len(choices) <= SHORT_LIST:
            columns = 2 if all(len(c.text.lead) <= 8 for c in choices) else 1
            self.choices = OptionButtons(
                choices, current, name=name, clearable=clearable, columns=columns
            )
        else:
            nationality = self.question.path.endswith(".nationality")
            common = ("", *COMMON_NATIONALITIES) if nationality else ()  # 日本 first
            field = ChoiceField(
                choices, current, name=name, tr=self._tr, clearable=clearable, common=common
            )
            field.picker_wanted.connect(self.picker_wanted.emit)
            self.choices = field
        self.choices.chosen.connect(lambda v: self._emit(v if v != "" else None, 0))
        return self.choices

    def _build_multi(self, value: Any, row: QHBoxLayout) -> None:
        tr = self._tr
        chosen = set(value or [])
        self.checks: list[tuple[str, BiButton]] = []
        for option in self.spec.options:
            text = tr.text_pair(_option_text(option))
            toggle = BiButton(text, role="option", checkable=True)
            toggle.setAccessibleName(f"{self.label.joined()}: {text.joined()}")
            toggle.setChecked(option.value in chosen)
            toggle.toggled.connect(self._commit_multi)
            self.checks.append((option.value, toggle))
            row.addWidget(toggle)

    def _build_date(self, value: Any) -> QWidget:
        """Era buttons, then year, month and day: typed with digits only."""
        tr = self._tr
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        eras = [make_choice(e, tr.pair(f"era.{ERA_KEYS[e]}")) for e in DATE_ERAS]
        eras.append(make_choice(WESTERN, tr.pair("review.western")))
        self.era = OptionButtons(
            eras, None, name=self._part_name("review.era"), clearable=False, columns=3
        )
        self.era.chosen.connect(lambda _: self._commit_date())
        column.addWidget(self.era)
        row = QHBoxLayout()
        self.year = line_edit(self._part_name("review.year"), hints=DIGITS)
        self.month = line_edit(self._part_name("review.month"), hints=DIGITS)
        self.day = line_edit(self._part_name("review.day"), hints=DIGITS)
        for edit, unit in (
            (self.year, "review.year"),
            (self.month, "review.month"),
            (self.day, "review.day"),
        ):
            edit.setMaxLength(4 if edit is self.year else 2)
            edit.setPlaceholderText(tr.both(unit))
            edit.editingFinished.connect(self._commit_date)
            row.addWidget(edit, 2 if edit is self.year else 1)
            self.line_edits.append(edit)
        column.addLayout(row)
        self._show_date(value)
        return box

    def _show_date(self, value: Any) -> None:
        if isinstance(value, dt.date):
            era, year = era_year(value)
            self.era.set_value(era.name if era.name in DATE_ERAS else WESTERN)
            if era.name not in DATE_ERAS:
                year = value.year
            self.year.setText(str(year))
            self.month.setText(str(value.month))
            self.day.setText(str(value.day))
        else:
            for edit in (self.year, self.month, self.day):
                edit.clear()
        self._committed = self._date_text()

    def _date_text(self) -> str:
        era = self.era.value()
        year, month, day = (e.text().strip() for e in (self.year, self.month, self.day))
        if not (era and year and month and day):
            return ""
        if era == WESTERN:
            return f"{year}-{month}-{day}"
        return f"{era}{year}年{month}月{day}日"

    def _commit_date(self) -> None:
        text = self._date_text()
        parts = (self.era.value(), *(e.text() for e in (self.year, self.month, self.day)))
        if text == self._committed or (not text and any(parts)):
            return  # not complete yet: wait for the rest
        self._committed = text
        typed = sum(len(e.text()) for e in (self.year, self.month, self.day))
        self._emit(text, typed)

    def _build_address(self, value: Any) -> QWidget:
        tr = self._tr
        address = value if isinstance(value, Address) else Address()
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.postal = line_edit(self._part_name("review.postal"), hints=DIGITS)
        self.postal.setText(address.postal_code)
        self.postal.setPlaceholderText(tr.both("review.postal"))
        self.postal.returnPressed.connect(self.lookup_postal)
        self.lookup_button = BiButton(tr.pair("review.postal_lookup"), role="secondary")
        self.lookup_button.setAccessibleName(self._part_name("review.postal_lookup"))
        self.lookup_button.clicked.connect(self.lookup_postal)
        self.prefecture = line_edit(self._part_name("review.prefecture"))
        self.city = line_edit(self._part_name("review.city"))
        self.rest = line_edit(self._part_name("review.rest"))
        for edit, text, hint in (
            (self.prefecture, address.prefecture, "review.prefecture"),
            (self.city, address.city, "review.city"),
            (self.rest, address.rest, "review.rest"),
        ):
            edit.setText(text)
            edit.setPlaceholderText(tr.both(hint))
            edit.editingFinished.connect(self._commit_address)
        self.postal.editingFinished.connect(self._commit_address)
        self.copy_buttons: list[BiButton] = []
        line = 0
        for source_label, source in self.copy_sources:
            same_as = Pair(
                tr("review.same_as", what=source_label.lead),
                tr.only(tr.second_language)("review.same_as", what=source_label.second)
                if tr.second_language
                else "",
                ruby=tr.ruby,
            )
            button = BiButton(same_as, role="secondary")
            button.clicked.connect(lambda _=False, a=source: self.copy_address(a))
            grid.addWidget(button, line, 0, 1, 3)
            self.copy_buttons.append(button)
            line += 1
        grid.addWidget(self.postal, line, 0)
        grid.addWidget(self.lookup_button, line, 1, 1, 2)
        grid.addWidget(self.prefecture, line + 1, 0)
        grid.addWidget(self.city, line + 1, 1)
        grid.addWidget(self.rest, line + 2, 0, 1, 3)
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
        self._emit([v for v, toggle in self.checks if toggle.isChecked()], 0)

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

    def copy_address(self, address: Address) -> None:
        """ "Same as …": the address the resident already gave, nothing typed."""
        self.postal.setText(address.postal_code)
        self.prefecture.setText(address.prefecture)
        self.city.setText(address.city)
        self.rest.setText(address.rest)
        self._commit_address(typed=0)

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
        if self.has_focus_inside() and self.line_edits:
            return
        widgets: list[QWidget] = [*self.line_edits]
        widgets.extend(toggle for _, toggle in getattr(self, "checks", []))
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
                if self.question.path.endswith(".nationality") and current in (None, ""):
                    current = ""
                assert self.choices is not None
                self.choices.set_value(current)
            case "multi_select":
                chosen = set(value or [])
                for option_value, toggle in self.checks:
                    toggle.setChecked(option_value in chosen)
            case "checkbox":
                assert self.choices is not None
                self.choices.set_value(None if value is None else bool(value))
            case "date":
                self._show_date(value)
            case _:
                self.edit.setText(display)
                self._committed = display

    def show_error(self, message: Pair | None) -> None:
        """Show one message (the flow gives each distinct one once), or none."""
        shown = message is not None and bool(message.lead)
        self.error_label.set_pair(message if message is not None and shown else Pair(""))
        self.error_label.setVisible(shown)
        for edit in self.line_edits:
            edit.setProperty("invalid", shown)
            edit.style().unpolish(edit)
            edit.style().polish(edit)

    def show_notice(self, message: Pair | None) -> None:
        """A note that is not an error (a reading proposed for a Latin name…)."""
        self.notice.set_pair(message or Pair(""))
        self.notice.setVisible(message is not None)

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
