"""One form of a visit, as a tab of the visit view: the form data beside its PDF, its own
status and history, 差戻し with a reason and reprint for that form alone. The visit view
(`staff.reception.visit_view`) makes the calls; the tab only shows and holds what they need.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forms.clock import office_clock
from staff.reception.messages import error_text, status_text, tr
from staff.reception.record_parts import beside_pdf, fields_table, fill_fields, history_line
from staff.widgets.pdf_view import PdfUnreadable, PdfView
from sync.protocol.office import ApplicationDetail
from sync.protocol.vocabulary import TRANSITIONS, Status


class FormTab(QWidget):
    """One form of the visit: data, PDF, status, history, 差戻し and reprint."""

    def __init__(self, detail: ApplicationDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail = detail
        self.pdf: bytes | None = None
        self.pdf_asked = False

        self.state = QLabel(f"{tr('col.status')}: {status_text(detail.status.value)}", self)
        self.state.setWordWrap(True)
        self.fields = fields_table(self, len(detail.fields))
        self.fields.setTabKeyNavigation(False)
        fill_fields(self.fields, detail.fields, tips=True)  # a long address is elided in the cell

        self._make_history_and_return()
        self._lay_out()

    def _make_history_and_return(self) -> None:
        self.history = QListWidget(self)
        self.history.setAccessibleName(tr("form.history"))
        self.history.setMaximumHeight(96)
        for line in self._history_lines():
            self.history.addItem(line)
        self.reason = QPlainTextEdit(self)
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(tr("status.reason"))
        self.reason.setAccessibleName(tr("status.reason"))
        self.reason.setMaximumHeight(56)
        self.return_button = QPushButton(tr("visit.return") + "  [Ctrl+R]", self)
        self.reprint_button = QPushButton(tr("visit.reprint") + "  [Ctrl+P]", self)
        self.note = QLabel("", self)
        self.note.setProperty("role", "flag")
        self.note.setWordWrap(True)

    def _lay_out(self) -> None:
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.state)
        left_layout.addWidget(self.note)
        left_layout.addWidget(self.fields, 1)
        left_layout.addWidget(QLabel(tr("form.history"), self))
        left_layout.addWidget(self.history)
        left_layout.addWidget(self.reason)
        buttons = QHBoxLayout()
        buttons.addWidget(self.return_button)
        buttons.addWidget(self.reprint_button)
        left_layout.addLayout(buttons)

        self.pdf_view = PdfView(self, empty_text=tr("record.loading"))
        beside_pdf(self, left, self.pdf_view, stretch=(3, 2), margin=4)
        self.setTabOrder(self.fields, self.history)
        self.setTabOrder(self.history, self.reason)
        self.setTabOrder(self.reason, self.return_button)
        self.setTabOrder(self.return_button, self.reprint_button)
        self._enable()

    @property
    def receipt_number(self) -> str:
        return self.detail.receipt_number

    def _history_lines(self) -> list[str]:
        clock = office_clock()
        events: list[tuple[object, str]] = []
        for change in self.detail.history:
            events.append((change.at, history_line(change)))
        for check in self.detail.identity_checks:
            note = f"（{check.note}）" if check.note else ""
            document = tr(f"doc.{check.document.value}").split(" / ")[0]
            text = tr("form.identity_line", document=document, note=note).split(" / ")[0]
            events.append(
                (check.at, f"{clock.local(check.at):%m/%d %H:%M} ✔ {text} ({check.actor})")
            )
        return [line for _at, line in sorted(events, key=lambda e: e[0])]  # type: ignore[arg-type, return-value]

    def show_pdf(self, pdf: bytes, rebuilt: bool) -> str | None:
        self.pdf = pdf
        if rebuilt:
            self.note.setText(tr("form.rebuilt"))
        self._enable()
        try:
            self.pdf_view.load_bytes(pdf)
        except PdfUnreadable as exc:
            return error_text(exc)
        return None

    def _enable(self) -> None:
        allowed = TRANSITIONS[Status(self.detail.status)]
        self.return_button.setEnabled(Status.RETURNED in allowed)
        self.reason.setEnabled(Status.RETURNED in allowed)
        self.reprint_button.setEnabled(self.pdf is not None)

    def tab_text(self, title: str) -> str:
        symbol = {
            Status.RECEIVED: "○",
            Status.IN_REVIEW: "◐",
            Status.RETURNED: "▲",
            Status.DONE: "✔",
        }[self.detail.status]
        return f"{symbol} {title}（{self.detail.status.ja}）"
