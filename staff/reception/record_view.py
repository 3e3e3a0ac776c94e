"""One application: the form data beside its PDF, the identity check, status changes (with a
reason for 差戻し), the call to the counter and reprint.

Every back-office call and every print runs on a background lane; the widget only shows what
comes back. Reading the record is audited by the back office. A paper import whose kiosk copy
has not arrived has no PDF: the preview is rebuilt from the record with the template version
the application was made with (`printing.render`), and marked as such.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from devices.lanes import Lanes
from forms.errors import MadoguchiError
from printing.spool import Spooler
from staff.background import OFFICE
from staff.reception.messages import error_text, ja, status_text, tr
from staff.reception.queue_model import format_wait
from staff.reception.record_parts import (
    beside_pdf,
    check_line,
    fields_table,
    fill_fields,
    history_line,
    identity_entry,
    identity_inputs,
    reprint,
    show_failure,
)
from staff.widgets.pdf_view import PdfUnreadable, PdfView
from sync.client import OfficeClient
from sync.protocol.office import ApplicationDetail
from sync.protocol.vocabulary import TRANSITIONS, Status

STATUS_BUTTONS = (Status.IN_REVIEW, Status.DONE, Status.RETURNED)


@dataclass(frozen=True)
class Loaded:
    detail: ApplicationDetail
    pdf: bytes | None
    rebuilt: bool  # the PDF was rendered here from the record (paper import)


def load_application(api: OfficeClient, receipt_number: str) -> Loaded:
    """The record and its PDF (runs on a worker thread)."""
    detail = api.application(receipt_number)
    if detail.has_pdf:
        return Loaded(detail, api.pdf(receipt_number), rebuilt=False)
    return Loaded(detail, rebuild_pdf(api, detail), rebuilt=True)


def rebuild_pdf(api: OfficeClient, detail: ApplicationDetail) -> bytes:
    """Render the form from the record with the application's own template version."""
    from forms.fill import fill
    from forms.record import SessionRecord
    from forms.template import parse_template
    from printing.render import render_application

    template = parse_template(
        api.template_bytes(detail.template_id, detail.template_version).decode("utf-8"),
        f"{detail.template_id}@{detail.template_version}",
    )
    form = fill(template, SessionRecord.model_validate(detail.record))
    return render_application([form], reception_number=detail.reception_number or "—")


class RecordView(QWidget):
    changed = Signal(str)  # receipt number: the queue should poll now
    message = Signal(str, bool)  # text, is_error

    def __init__(
        self,
        api: OfficeClient,
        ops: Lanes,
        spooler: Spooler,
        *,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._api = api
        self._ops = ops
        self._spooler = spooler
        self._clock = clock
        self.detail: ApplicationDetail | None = None
        self.pdf: bytes | None = None
        self._want: str | None = None  # the receipt asked for last (drop stale answers)

        self.header = QLabel(tr("record.none"), self)
        self.header.setWordWrap(True)
        self.header.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.state = QLabel("", self)
        self.paper_note = QLabel("", self)
        self.paper_note.setProperty("role", "flag")
        self.paper_note.setWordWrap(True)

        self.fields = fields_table(self)

        self.history = QListWidget(self)
        self.history.setAccessibleName(tr("history.title"))
        self.history.setMaximumHeight(110)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.header, self.state, self.paper_note):
            left_layout.addWidget(widget)
        left_layout.addWidget(self.fields, 1)
        left_layout.addWidget(self._identity_box())
        left_layout.addWidget(self._status_box())
        left_layout.addWidget(QLabel(tr("history.title"), self))
        left_layout.addWidget(self.history)

        self.pdf_view = PdfView(self, empty_text=tr("record.none"))
        beside_pdf(self, left, self.pdf_view, stretch=(1, 1), margin=0)
        self._enable()

    def _identity_box(self) -> QGroupBox:
        self.document, self.note = identity_inputs(self)
        self.identity_button = QPushButton(tr("identity.record"), self)
        self.identity_button.clicked.connect(self.record_identity_check)
        self.checks = QLabel(tr("identity.none"), self)
        self.checks.setWordWrap(True)
        identity = QGroupBox(tr("identity.title"), self)
        form = QFormLayout(identity)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(tr("identity.document"), self.document)
        form.addRow(tr("identity.note"), self.note)
        form.addRow(self.identity_button)
        form.addRow(self.checks)

        return identity

    def _status_box(self) -> QGroupBox:
        self.reason = QPlainTextEdit(self)
        self.reason.setPlaceholderText(tr("status.reason"))
        self.reason.setAccessibleName(tr("status.reason"))
        self.reason.setMaximumHeight(70)
        self.status_buttons: dict[Status, QPushButton] = {}
        buttons = QHBoxLayout()
        for status in STATUS_BUTTONS:
            button = QPushButton(tr(f"status.{status.value}"), self)
            button.clicked.connect(lambda _=False, s=status: self.change_status(s))
            self.status_buttons[status] = button
            buttons.addWidget(button)
        self.call_button = QPushButton(tr("call.button"), self)
        self.call_button.clicked.connect(self.call)
        self.reprint_button = QPushButton(tr("reprint.button"), self)
        self.reprint_button.clicked.connect(self.reprint)
        actions = QHBoxLayout()
        actions.addWidget(self.call_button)
        actions.addWidget(self.reprint_button)
        status_box = QGroupBox(tr("status.title"), self)
        status_layout = QVBoxLayout(status_box)
        status_layout.addLayout(buttons)
        status_layout.addWidget(self.reason)
        status_layout.addLayout(actions)

        return status_box

    # -- loading --------------------------------------------------------------------------

    @property
    def receipt_number(self) -> str | None:
        return self.detail.receipt_number if self.detail else None

    def open(self, receipt_number: str) -> None:
        self._want = receipt_number
        self.header.setText(tr("record.loading"))
        self._ops.run(
            OFFICE,
            lambda: load_application(self._api, receipt_number),
            on_success=lambda loaded: self._loaded(receipt_number, loaded),
            on_failure=self._failed,
        )

    def clear(self) -> None:
        """Forget the record shown (sign-out): nothing of one resident stays on screen."""
        self._want = None
        self.detail = None
        self.pdf = None
        self.header.setText(tr("record.none"))
        for label in (self.state, self.paper_note):
            label.setText("")
        self.fields.setRowCount(0)
        self.history.clear()
        self.checks.setText(tr("identity.none"))
        self.reason.clear()
        self.note.clear()
        self.pdf_view.clear()
        self._enable()

    def _loaded(self, receipt_number: str, loaded: Loaded) -> None:
        if receipt_number != self._want:
            return  # another record was asked for meanwhile
        self.pdf = loaded.pdf
        self._show(loaded.detail)
        if loaded.pdf is not None:
            try:
                self.pdf_view.load_bytes(loaded.pdf)
            except PdfUnreadable as exc:
                self.message.emit(error_text(exc), True)
        if loaded.rebuilt:
            self.paper_note.setText(
                tr("record.paper", who=loaded.detail.paper_imported_by or "—")
                + "\n"
                + tr("record.rebuilt")
            )

    def _show(self, detail: ApplicationDetail) -> None:
        self.detail = detail
        self.header.setText(
            ja(
                "record.header",
                receipt=detail.receipt_number,
                title=detail.title,
                version=detail.template_version,
            )
        )
        self._show_state()
        self.paper_note.setText("")
        fill_fields(self.fields, detail.fields)
        self._show_checks()
        self.history.clear()
        for change in detail.history:
            self.history.addItem(history_line(change))
        self._enable()

    def _show_state(self) -> None:
        if self.detail is None:
            return
        from staff.reception.queue_model import wait_seconds

        self.state.setText(
            tr(
                "record.state",
                status=status_text(self.detail.status.value),
                wait=format_wait(wait_seconds(self.detail, self._clock())),
            )
        )

    def _show_checks(self) -> None:
        assert self.detail is not None
        if not self.detail.identity_checks:
            self.checks.setText(tr("identity.none"))
            return
        self.checks.setText("\n".join(check_line(c) for c in self.detail.identity_checks))

    def _enable(self) -> None:
        current = Status(self.detail.status) if self.detail else None
        allowed = TRANSITIONS.get(current, frozenset()) if current else frozenset()
        for status, button in self.status_buttons.items():
            button.setEnabled(status in allowed)
        has = self.detail is not None
        self.identity_button.setEnabled(has)
        self.call_button.setEnabled(has and current is not Status.DONE)
        self.reprint_button.setEnabled(has and self.pdf is not None)

    def _failed(self, error: MadoguchiError) -> None:
        if self.detail is None:
            self.header.setText(tr("record.none"))
        self.message.emit(error_text(error), True)

    # -- actions --------------------------------------------------------------------------

    def change_status(self, status: Status) -> None:
        if self.detail is None:
            return
        reason = self.reason.toPlainText().strip() or None
        if status is Status.RETURNED and reason is None:
            self.message.emit(tr("status.reason_needed"), True)
            self.reason.setFocus()
            return
        receipt = self.detail.receipt_number
        self._ops.run(
            OFFICE,
            lambda: self._api.change_status(receipt, status.value, reason),
            on_success=lambda summary: self._status_changed(receipt, summary.status.value),
            on_failure=self._action_failed,
        )

    def _status_changed(self, receipt: str, status: str) -> None:
        self.reason.clear()
        self.message.emit(tr("status.changed", receipt=receipt, status=status_text(status)), False)
        self.changed.emit(receipt)
        if receipt == self._want:
            self.open(receipt)

    def record_identity_check(self) -> None:
        if self.detail is None:
            return
        entry = identity_entry(self.document, self.note, self.message)
        if entry is None:
            return
        document, note = entry
        receipt = self.detail.receipt_number

        def done(_check: object) -> None:
            self.note.clear()
            if receipt == self._want:
                self.open(receipt)

        self._ops.run(
            OFFICE,
            lambda: self._api.identity_check(receipt, document, note),
            on_success=done,
            on_failure=self._action_failed,
        )

    def call(self) -> None:
        if self.detail is None:
            return
        receipt = self.detail.receipt_number
        number = self.detail.reception_number or receipt

        def done(_summary: object) -> None:
            self.message.emit(tr("call.done", number=number), False)
            self.changed.emit(receipt)

        self._ops.run(
            OFFICE, lambda: self._api.call(receipt), on_success=done, on_failure=self._action_failed
        )

    def reprint(self) -> None:
        pdf = self.pdf if self.detail is not None else None
        title = self.detail.receipt_number if self.detail is not None else ""
        reprint(
            self._ops.run,
            self._spooler,
            pdf,
            title,
            message=self.message,
            on_failure=self._action_failed,
        )

    def _action_failed(self, error: MadoguchiError) -> None:
        if show_failure(self.message, error) and self.detail is not None:
            self.changed.emit(self.detail.receipt_number)
            self.open(self.detail.receipt_number)  # someone else may have moved it
