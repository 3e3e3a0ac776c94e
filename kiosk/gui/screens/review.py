"""The guided review: one topic per screen, then "check your answers".

The pages come from `forms.guide` through the flow: あなたのこと (with how many people the
forms list), the new address, the previous one, dates, each household member, contact
details, then each form's own questions; only the questions that apply. Large 戻る / 次へ at
the bottom, "3 / 7" at the top. Nothing is red before the resident presses 次へ on a page;
then its problems show under their items and 次へ waits. The last page lists every answer by
section, each with where it came from (card, QR, typed…) and a 修正 button back to its page.

A page that must scroll scrolls with a finger (`kinetic`). A long closed list (続柄, 国籍・
地域, 在留資格) opens whole over the page (`ChoicePicker`). Items shared by several forms
appear once (forms.bundle.questions); characters that may be the card's substitutes are
flagged for the resident to correct or confirm.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from forms.bundle import Question
from forms.era import to_japanese
from forms.errors import FieldError, MadoguchiError
from forms.guide import GuideGroup, SummarySection
from forms.provenance import Source
from forms.record import Address
from kiosk.flow import PageIncompleteError
from kiosk.gui.screens.base import Controller, Screen, is_secret
from kiosk.gui.widgets.bilingual import BiButton, BiLabel, InlineBiLabel, mark_data
from kiosk.gui.widgets.choices import ChoiceField, ChoicePicker
from kiosk.gui.widgets.controls import make_label
from kiosk.gui.widgets.field_editor import FieldEditor, title_label
from kiosk.gui.widgets.help import Explanation, HelpButton, explanations
from kiosk.gui.widgets.touch import kinetic
from kiosk.i18n import Pair, Translator

if TYPE_CHECKING:
    from devices.speech.request import SpeechItem

SOURCE_KEYS = {
    Source.CARD: "source.card",
    Source.QR: "source.qr",
    Source.TYPED: "source.typed",
    Source.PROCEDURE: "source.procedure",
    Source.AUTO: "source.auto",
}
QUESTION_CODE = "sex_for_forms"  # forms.sex_question.QUESTION_CODE: asked, never guessed


class ReviewScreen(Screen):
    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "review.title")
        tr = self.i18n
        self.progress = InlineBiLabel(role="progress")
        self.progress.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.progress.setWordWrap(False)
        self.title_explanation = Explanation([])
        self.title_help: HelpButton | None = None
        self._title_row = QHBoxLayout()
        self.layout_.addLayout(self._title_row)
        self.layout_.addWidget(self.title_explanation)

        self.body = QStackedWidget()
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        kinetic(self.scroll_area)
        self.body.addWidget(self.scroll_area)
        self.picker = ChoicePicker(tr)
        self.picker.setMinimumHeight(1)  # the page's room, not the list's, sets the screen's
        self.picker.closed.connect(self._picker_closed)
        self.body.addWidget(self.picker)
        self.layout_.addWidget(self.body, 1)

        self.summary = BiLabel(role="error")
        self.summary.hide()
        self.layout_.addWidget(self.summary)
        row = QHBoxLayout()
        self.back_button = BiButton(tr.pair("common.back"), role="secondary")
        self.back_button.clicked.connect(self._back)
        self.next_button = BiButton(tr.pair("common.next"), role="go")
        self.next_button.clicked.connect(self._next)
        row.addWidget(self.back_button, 1)
        row.addStretch(1)
        row.addWidget(self.next_button, 2)
        self.layout_.addLayout(row)
        self._reservation_row = QWidget()
        answers = QHBoxLayout(self._reservation_row)
        answers.setContentsMargins(0, 0, 0, 0)
        self.reservation_no = BiButton(tr.pair("review.reservation_no"), role="secondary")
        self.reservation_no.clicked.connect(lambda: self.flow.reservation_answer(False))
        self.reservation_yes = BiButton(tr.pair("review.reservation_yes"), role="go")
        self.reservation_yes.clicked.connect(lambda: self.flow.reservation_answer(True))
        answers.addWidget(self.reservation_no, 1)
        answers.addWidget(self.reservation_yes, 2)
        self._reservation_row.hide()
        self.layout_.addWidget(self._reservation_row)

        self.editors: dict[str, FieldEditor] = {}
        self.sections: dict[str, QWidget] = {}
        self.edit_buttons: dict[str, BiButton] = {}
        self.household: HouseholdStepper | None = None
        self._shown: tuple[Any, ...] | None = None

    # ---- what is shown -------------------------------------------------------------------

    def page(self) -> GuideGroup | None:
        return self.flow.review_page()

    def _page_key(self) -> tuple[Any, ...]:
        if self.flow.reservation_pending:
            return ("reservation",)
        group = self.page()
        if group is None:
            return ("summary",)
        return (group.id, tuple(group.paths), self.flow.household_size())

    def _build(self) -> None:
        flow, tr = self.flow, self.i18n
        group = self.page()
        self.editors = {}
        self.sections = {}
        self.edit_buttons = {}
        self.household = None
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 16, 0)
        reservation_row = self._reservation_row
        reservation_row.setVisible(flow.reservation_pending)
        self.next_button.setVisible(not flow.reservation_pending)
        if flow.reservation_pending:
            self._set_title(tr.pair("review.reservation_title"), "")
            self._build_reservation(column)
        elif group is None:
            self._set_title(tr.pair("guide.summary"), "")
            column.addWidget(BiLabel(tr.pair("review.summary_lead")))
            self._build_summary(column)
            self.next_button.set_pair(tr.pair("review.next"))
        else:
            self._set_title(self._group_title(group), group.title.ja)
            if group.household_max > 1:
                self.household = HouseholdStepper(self, group.household_max)
                column.addWidget(self.household)
            for q in group.questions:
                column.addWidget(self._editor(q))
            self.next_button.set_pair(tr.pair("common.next"))
        column.addStretch(1)
        old = self.scroll_area.takeWidget()
        if old is not None:
            _drop(old)
        self.scroll_area.setWidget(body)
        self.body.setCurrentWidget(self.scroll_area)
        self._shown = self._page_key()
        n, total = flow.review_position()
        self.progress.set_pair(tr.pair("review.progress", n=n, total=total))
        self.progress.setVisible(not flow.reservation_pending)  # not one of the pages
        self.back_button.setVisible(n > 1 and not flow.reservation_pending)

    def _build_reservation(self, column: QVBoxLayout) -> None:
        """The 転入予約 the back office matched: the resident checks it before the pages."""
        found, tr = self.flow.reservation, self.i18n
        assert found is not None
        column.addWidget(BiLabel(tr.pair("review.reservation_lead")))
        rows = [
            ("review.reservation_move_date", to_japanese(found.move_date, western=True)),
            ("review.reservation_old", found.old_address),
            ("review.reservation_new", found.new_address),
            (
                "review.reservation_household",
                "\n".join(f"{m.name}（{m.relation}）" for m in found.household),
            ),
        ]
        grid = QGridLayout()  # the item beside its value: the page fits 1280×800 unscrolled
        grid.setContentsMargins(0, 8, 0, 0)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(12)
        grid.setColumnStretch(1, 1)
        top = Qt.AlignmentFlag.AlignTop
        for n, (key, value) in enumerate(rows):
            grid.addWidget(BiLabel(tr.pair(key), role="hint"), n, 0, top)
            data = mark_data(make_label(value))
            data.setWordWrap(True)
            grid.addWidget(data, n, 1, top)
        column.addLayout(grid)

    def instruction(self) -> Pair:
        """The page's heading (the topic asked about), for read-aloud."""
        return self.page_title.pair

    def spoken_item(self, widget: QWidget | None) -> SpeechItem | None:
        """The focused item's label and its value (as the review shows it); the individual
        number by its label only (`devices.speech.item_for_field`)."""
        from devices.speech.request import item_for_field

        editor = widget
        while editor is not None and not isinstance(editor, FieldEditor) and editor is not self:
            editor = editor.parentWidget()
        if not isinstance(editor, FieldEditor) or widget is None:
            return super().spoken_item(widget)
        if is_secret(widget, self):
            return None
        typed = " ".join(t for t in (e.text().strip() for e in editor.line_edits) if t)
        value = typed or self.flow.display(editor.question)
        return item_for_field(editor.label.lead, value, editor.spec.type)

    def _group_title(self, group: GuideGroup) -> Pair:
        if group.title_key:
            return self.i18n.pair(group.title_key, **group.title_values)
        return self.i18n.text_pair(group.title)

    def _set_title(self, pair: Pair, japanese: str) -> None:
        """The page's heading (with furigana when asked for) and a ？ for its legal terms."""
        furigana = getattr(self.c, "theme", None) is not None and self.c.theme.furigana
        while self._title_row.count():
            item = self._title_row.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None and old is not self.progress:
                _drop(old)
        self.title.hide()  # the base's title: this screen draws its own per page
        self.page_title = title_label(
            self.i18n, pair, japanese or pair.lead, furigana=furigana, role="title"
        )
        self._title_row.addWidget(self.page_title, 1)
        self.setAccessibleName(pair.joined())
        pairs = explanations(self.i18n, japanese) if japanese else []
        self.layout_.removeWidget(self.title_explanation)
        _drop(self.title_explanation)
        self.title_explanation = Explanation(pairs)
        self.layout_.insertWidget(self.layout_.indexOf(self.body), self.title_explanation)
        self.title_help = None
        if pairs:
            self.title_help = HelpButton(self.i18n, pair, self.title_explanation)
            self._title_row.addWidget(self.title_help, 0, Qt.AlignmentFlag.AlignTop)
        self._title_row.addWidget(self.progress, 0, Qt.AlignmentFlag.AlignTop)

    def _editor(self, q: Question) -> FieldEditor:
        flow = self.flow
        furigana = getattr(self.c, "theme", None) is not None and self.c.theme.furigana
        editor = FieldEditor(
            q,
            value=flow.value(q),
            display=flow.display(q),
            read_only=flow.is_read_only(q),
            used_by=None,
            tr=self.i18n,
            on_edit=self._edit,
            on_confirm_flag=flow.confirm_flag,
            furigana=furigana,
            copy_sources=self._copy_sources(q),
        )
        editor.picker_wanted.connect(self._open_picker)
        self.editors[q.path] = editor
        return editor

    def _copy_sources(self, q: Question) -> list[tuple[Pair, Address]]:
        """The addresses the flow offers this address item as "same as …"
        (`KioskFlow.address_offers`), each named in the resident's languages."""
        return [
            (self.i18n.pair(offer.label_key, **offer.label_values), offer.address)
            for offer in self.flow.address_offers(q)
        ]

    def _build_summary(self, column: QVBoxLayout) -> None:
        flow, tr = self.flow, self.i18n
        assert flow.guide is not None
        unplaced = flow.guide.unplaced_errors()
        if unplaced:
            column.addWidget(
                BiLabel(
                    tr.pair_of(lambda t: "　".join(t.field_error(e.ja, e.en) for e in unplaced)),
                    role="error",
                )
            )
        for section in flow.guide.summary(flow.provenance):
            column.addWidget(self._section(section))

    def _section(self, section: SummarySection) -> QWidget:
        tr = self.i18n
        box = QWidget()
        box.setProperty("role", "section")
        box.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        layout = QVBoxLayout(box)
        head = QHBoxLayout()
        title = (
            tr.pair(section.title_key, **section.title_values)
            if section.title_key
            else tr.text_pair(section.title)
        )
        head.addWidget(InlineBiLabel(title, role="field-label"), 1)
        if section.editable:
            button = BiButton(tr.pair("review.change"), role="secondary")
            change = tr.pair("review.change")
            button.setAccessibleName(
                Pair(f"{change.lead}：{title.lead}", f"{change.second}: {title.second}").joined()
            )
            button.clicked.connect(lambda _=False, g=section.group_id: self.flow.review_edit(g))
            self.edit_buttons[section.group_id] = button
            head.addWidget(button)
        layout.addLayout(head)
        for item in section.items:
            layout.addWidget(InlineBiLabel(tr.text_pair(item.label), role="hint"))
            line = QHBoxLayout()
            line.setContentsMargins(24, 0, 0, 8)
            line.addWidget(mark_data(make_label(_masked(item.path, item.value) or "—")), 1)
            if item.source is not None:
                badge = InlineBiLabel(tr.pair(SOURCE_KEYS[item.source]), role="source")
                line.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
            layout.addLayout(line)
        self.sections[section.group_id] = box
        return box

    # ---- the flow's view -----------------------------------------------------------------

    def entered(self) -> None:
        self._build()
        self.refresh()
        self._focus_first()

    def _focus_first(self) -> None:
        first = next(iter(self.editors.values()), None)
        if first is not None and first.line_edits:
            first.line_edits[0].setFocus()
        elif self.next_button.isVisible():
            self.next_button.setFocus()

    def refresh(self) -> None:
        flow, tr = self.flow, self.i18n
        if flow.record is None or flow.guide is None:
            return
        if self._page_key() != self._shown:
            page_changed = self._shown is None or self._page_key()[0] != self._shown[0]
            self._build()
            if page_changed:
                self.summary.hide()
                self._focus_first()
                self.scroll_area.verticalScrollBar().setValue(0)
        if flow.reservation_pending:
            return  # the reservation page has no editors
        group = self.page()
        if self.household is not None:
            self.household.show_size(flow.household_size())
        for q in group.questions if group is not None else []:
            editor = self.editors[q.path]
            if q.path not in flow.pending_errors:  # keep refused text where it was typed
                editor.sync(flow.value(q), flow.display(q))
            found = flow.errors_for(q)
            # A question the forms ask (a card's sex 9 適用不能 / 0 不明: which of 男/女 to
            # print) is shown at once, as a question, never as an error.
            asks = [e for e in found if getattr(e, "code", None) == QUESTION_CODE]
            errors = [e for e in found if e not in asks] if flow.shows_problems(q) else []
            editor.show_error(_errors_pair(tr, errors) if errors else None)
            editor.show_flag(flow.flags.get(q.path), q.path in flow.confirmed_flags)
            notice = None
            if asks:
                notice = _errors_pair(tr, asks[:1])
            elif q.path in flow.proposed_readings:
                notice = tr.pair("review.reading_proposed")
            editor.show_notice(notice)

    def _open_picker(self, field: ChoiceField) -> None:
        editor = next((e for e in self.editors.values() if e.choices is field), None)
        title = editor.label if editor is not None else Pair(field.name)
        self.picker.open_for(field, title)
        self.body.setCurrentWidget(self.picker)
        for button in (self.back_button, self.next_button):  # the list has its own 戻る
            button.hide()

    def _picker_closed(self) -> None:
        self.body.setCurrentWidget(self.scroll_area)
        self.next_button.show()
        self.back_button.setVisible(self.flow.review_position()[0] > 1)

    def _edit(self, path: str, raw: Any, typed: int | None) -> None:
        self.flow.edit(path, raw, typed_chars=typed)

    def _commit_typing(self) -> None:
        focused = self.focusWidget()
        if isinstance(focused, QLineEdit):
            focused.editingFinished.emit()  # commit what is being typed first

    def keep(self) -> None:
        """Before a language switch: what is being typed goes into the flow (which keeps every
        entry); the page is drawn again from it."""
        self._commit_typing()

    def _back(self) -> None:
        self._commit_typing()
        self.summary.hide()
        self.flow.review_back()

    def _next(self) -> None:
        self._commit_typing()
        try:
            self.flow.review_next()
        except PageIncompleteError as exc:
            self.summary.set_pair(
                self.i18n.pair("review.fix_page", count=exc.errors + exc.unconfirmed)
            )
            self.summary.show()
            self._show_first_problem()
        except MadoguchiError as exc:
            self.summary.set_pair(_because_pair(self.i18n, exc))
            self.summary.show()
            self._show_first_problem()
        else:
            self.summary.hide()

    def _show_first_problem(self) -> None:
        bad = next(
            (
                e
                for p, e in self.editors.items()
                if e.error_label.isVisibleTo(self) or p in self.flow.unconfirmed_flags()
            ),
            None,
        )
        if bad is not None:
            self.scroll_area.ensureWidgetVisible(bad)
            if bad.line_edits:
                bad.line_edits[0].setFocus()

    # ---- the household ---------------------------------------------------------------------

    def set_household(self, size: int) -> None:
        self._commit_typing()
        self.flow.set_household_size(size)


def _errors_pair(tr: Translator, errors: list[FieldError]) -> Pair:
    """The problems of one item, in both languages, one after another."""
    return tr.pair_of(lambda t: "　".join(t.field_error(e.ja, e.en) for e in errors))


def _because_pair(tr: Translator, error: MadoguchiError) -> Pair:
    """Why the page cannot be left yet, in both languages."""
    return tr.pair_of(lambda t: t("review.fix_first_because", reason=t.error(error)))


class HouseholdStepper(QWidget):
    """How many people the forms list, the resident included: − n +."""

    def __init__(self, screen: ReviewScreen, top: int) -> None:
        super().__init__()
        tr = screen.i18n
        self.review = screen
        self.top = top
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 12)
        column.addWidget(InlineBiLabel(tr.pair("review.household"), role="field-label"))
        layout = QHBoxLayout()
        column.addLayout(layout)
        self.minus = BiButton(tr.pair("review.household_less"), role="secondary")
        self.plus = BiButton(tr.pair("review.household_more"), role="secondary")
        self.count = BiLabel()
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count.setMinimumWidth(140)
        self.minus.clicked.connect(lambda: screen.set_household(screen.flow.household_size() - 1))
        self.plus.clicked.connect(lambda: screen.set_household(screen.flow.household_size() + 1))
        layout.addWidget(self.minus, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.plus, 1)
        self.show_size(screen.flow.household_size())

    def show_size(self, size: int) -> None:
        self.count.set_pair(self.review.i18n.pair("review.people", count=size))
        self.minus.setEnabled(size > 1)
        self.plus.setEnabled(size < self.top)


def _drop(widget: QWidget) -> None:
    """Out of sight at once (deleteLater waits for the event loop), then deleted."""
    widget.hide()
    widget.setParent(None)
    widget.deleteLater()


def _masked(path: str, value: str) -> str:
    """An individual number shows its last four digits only (someone may stand behind)."""
    if path.endswith("individual_number") and len(value) >= 4:
        return "●" * (len(value) - 4) + value[-4:]
    return value
