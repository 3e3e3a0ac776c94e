"""One visit: its call number and state, the identity check (once for the visit), 審査開始,
呼出し and すべて完了 for the whole visit, and its forms as tabs (the form data beside its
PDF, its own status and history, 差戻し with a reason and reprint for that form alone).

Every back-office call and every print runs on a background lane; the widget shows what comes
back. Reading the visit reads each form's record (audited per form by the back office).
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from devices.lanes import Lanes
from forms.clock import office_clock
from forms.errors import MadoguchiError
from printing.spool import Spooler
from staff.background import OFFICE
from staff.reception.messages import error_text, tr
from staff.reception.queue_model import format_wait
from staff.reception.record_parts import (
    check_line,
    identity_entry,
    identity_inputs,
    reprint,
    show_failure,
)
from staff.reception.record_view import rebuild_pdf
from staff.reception.visit_form_tab import FormTab
from staff.reception.visit_queue import STATE_STYLE, state_text, visit_wait
from sync.client import OfficeClient
from sync.protocol.visits import VisitChanged, VisitDetail, VisitState
from sync.protocol.vocabulary import TRANSITIONS, Status


class VisitView(QWidget):
    changed = Signal(object)  # visit id: the queue should poll now
    message = Signal(str, bool)  # text, is_error

    def __init__(
        self,
        api: OfficeClient,
        ops: Lanes,
        spooler: Spooler,
        titles: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._api = api
        self._ops = ops
        self._spooler = spooler
        self._titles = titles
        self.visit: VisitDetail | None = None
        self._want: uuid.UUID | None = None
        self.busy = False  # an action is under way (tests wait on it)
        self._stopped = False  # the window is closing: start nothing, show nothing

        self.number = QLabel(tr("visit.none"), self)
        self.number.setStyleSheet("font-size: 20pt; font-weight: bold;")
        self.number.setWordWrap(True)
        self.state = QLabel("", self)
        self.state.setMargin(6)
        self.summary = QLabel("", self)
        self.summary.setWordWrap(True)
        self.identity_state = QLabel("", self)
        self.identity_state.setWordWrap(True)

        identity = self._identity_box()
        actions = self._action_buttons()
        head = QHBoxLayout()
        head.addWidget(self.number)
        head.addWidget(self.state)
        head.addStretch(1)

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.currentChanged.connect(self._tab_shown)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.summary)
        layout.addWidget(identity)
        layout.addLayout(actions)
        layout.addWidget(self.tabs, 1)

        for first, second in (
            (self.document, self.doc_note),
            (self.doc_note, self.identity_button),
            (self.identity_button, self.call_button),
            (self.call_button, self.review_button),
            (self.review_button, self.complete_button),
            (self.complete_button, self.tabs),
        ):
            self.setTabOrder(first, second)
        self._enable()

    def _identity_box(self) -> QGroupBox:
        self.document, self.doc_note = identity_inputs(self)
        self.doc_note.setMinimumWidth(150)
        self.doc_note.setAccessibleName(tr("identity.note"))
        self.identity_button = QPushButton(tr("visit.identity_record") + "  [F6]", self)
        self.identity_button.clicked.connect(self.record_identity)
        self.doc_note.returnPressed.connect(self.record_identity)
        identity = QGroupBox(tr("visit.identity_title"), self)
        grid = QGridLayout(identity)
        document_label = QLabel(tr("identity.document"), self)
        document_label.setBuddy(self.document)
        grid.addWidget(document_label, 0, 0)
        grid.addWidget(self.document, 0, 1)
        grid.addWidget(self.doc_note, 0, 2)
        grid.addWidget(self.identity_button, 1, 0, 1, 2)
        grid.addWidget(self.identity_state, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        return identity

    def _action_buttons(self) -> QHBoxLayout:
        self.call_button = QPushButton(tr("visit.call") + "  [F3]", self)
        self.call_button.clicked.connect(self.call)
        self.review_button = QPushButton(tr("visit.review") + "  [F4]", self)
        self.review_button.clicked.connect(self.start_review)
        self.complete_button = QPushButton(tr("visit.complete") + "  [F8]", self)
        self.complete_button.setStyleSheet("font-weight: bold;")
        self.complete_button.clicked.connect(self.complete)
        actions = QHBoxLayout()
        for button in (self.call_button, self.review_button, self.complete_button):
            actions.addWidget(button)
        return actions

    # -- loading --------------------------------------------------------------------------

    @property
    def visit_id(self) -> uuid.UUID | None:
        return self.visit.visit_id if self.visit else None

    def form_tabs(self) -> list[FormTab]:
        return [self.tabs.widget(n) for n in range(self.tabs.count())]  # type: ignore[misc]

    def current_tab(self) -> FormTab | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, FormTab) else None

    def stop(self) -> None:
        """The window closes: answers still under way are dropped, nothing new starts."""
        self._stopped = True
        self._want = None

    def _run(self, lane: str, work, on_success, on_failure) -> None:
        """`ops.run`, with both answers dropped once the view is stopped."""
        if self._stopped:
            return
        self._ops.run(
            lane,
            work,
            on_success=lambda value: None if self._stopped else on_success(value),
            on_failure=lambda error: None if self._stopped else on_failure(error),
        )

    def open(self, visit_id: uuid.UUID) -> None:
        if self._stopped:
            return
        self._want = visit_id
        if self.visit is None or self.visit.visit_id != visit_id:
            self.number.setText(tr("visit.loading"))
        self._run(
            OFFICE,
            lambda: self._api.visit(visit_id),
            on_success=lambda visit: self._loaded(visit_id, visit),
            on_failure=self._failed,
        )

    def clear(self) -> None:
        """Forget the visit shown (sign-out): nothing of one resident stays on screen."""
        self._want = None
        self.visit = None
        self.number.setText(tr("visit.none"))
        for label in (self.state, self.summary, self.identity_state):
            label.setText("")
        self.state.setStyleSheet("")
        self.doc_note.clear()
        self._clear_tabs()
        self._enable()

    def _clear_tabs(self) -> None:
        while self.tabs.count():
            widget = self.tabs.widget(0)
            self.tabs.removeTab(0)
            if widget is not None:
                widget.deleteLater()

    def _loaded(self, visit_id: uuid.UUID, visit: VisitDetail) -> None:
        if visit_id != self._want:
            return
        same = self.visit is not None and self.visit.visit_id == visit_id
        keep = self.tabs.currentIndex() if same else 0
        pdfs = {t.receipt_number: t for t in self.form_tabs()} if same else {}
        self.visit = visit
        self.number.setText(
            tr("visit.header", number=visit.call_number or visit.reception_number or "—").split(
                " / "
            )[0]
        )
        _symbol, background, foreground = STATE_STYLE[visit.state]
        self.state.setText(state_text(visit.state))
        self.state.setStyleSheet(
            f"background: {background}; color: {foreground}; font-weight: bold; border-radius: 4px;"
        )
        self.tick()
        self._show_identity()
        self.tabs.blockSignals(True)
        self._clear_tabs()
        for detail in visit.applications:
            tab = FormTab(detail, self)
            old = pdfs.get(detail.receipt_number)
            if old is not None and old.pdf is not None:
                tab.show_pdf(old.pdf, rebuilt=not detail.has_pdf)
            tab.return_button.clicked.connect(self.return_form)
            tab.reprint_button.clicked.connect(self.reprint)
            title = self._titles.get(detail.template_id, detail.title)
            self.tabs.addTab(tab, tab.tab_text(title))
        self.tabs.blockSignals(False)
        self.tabs.setCurrentIndex(min(keep, self.tabs.count() - 1))
        self._tab_shown(self.tabs.currentIndex())
        self._enable()

    def tick(self) -> None:
        if self.visit is None:
            return
        visit = self.visit
        self.summary.setText(
            tr(
                "visit.summary",
                forms=len(visit.forms),
                people=visit.people,
                wait=format_wait(visit_wait(visit, office_clock().now())),
            )
        )

    def _show_identity(self) -> None:
        assert self.visit is not None
        lines = [check_line(check) for check in self.visit.identity_checks]
        if not self.visit.identity_checked and self.visit.state is not VisitState.DONE:
            lines.append("▲ " + tr("visit.identity_missing"))
        self.identity_state.setText("\n".join(lines) or tr("identity.none"))

    def _tab_shown(self, index: int) -> None:
        tab = self.current_tab()
        if tab is None or tab.pdf_asked:
            return
        tab.pdf_asked = True
        detail = tab.detail
        receipt = detail.receipt_number

        def fetch() -> tuple[bytes, bool]:
            if detail.has_pdf:
                return self._api.pdf(receipt), False
            return rebuild_pdf(self._api, detail), True

        def shown(result: tuple[bytes, bool]) -> None:
            for live in self.form_tabs():
                if live.receipt_number == receipt:
                    problem = live.show_pdf(*result)
                    if problem:
                        self.message.emit(problem, True)

        self._run(OFFICE, fetch, on_success=shown, on_failure=self._failed)

    def _enable(self) -> None:
        visit = self.visit
        has = visit is not None
        statuses = {f.status for f in visit.forms} if visit else set()
        self.call_button.setEnabled(has and statuses != {Status.DONE})
        self.review_button.setEnabled(Status.RECEIVED in statuses)
        self.identity_button.setEnabled(has and statuses != {Status.DONE})
        self.complete_button.setEnabled(Status.IN_REVIEW in statuses)
        for widget in (self.document, self.doc_note):
            widget.setEnabled(has)

    def _failed(self, error: MadoguchiError) -> None:
        self.busy = False
        if self.visit is None:
            self.number.setText(tr("visit.none"))
        self.message.emit(error_text(error), True)

    # -- actions --------------------------------------------------------------------------

    def _act(self, call, done_text) -> None:
        if self.visit is None:
            self.message.emit(tr("visit.no_visit"), True)
            return
        visit_id = self.visit.visit_id
        self.busy = True

        def done(answer: VisitChanged) -> None:
            self.busy = False
            self.message.emit(done_text(answer), False)
            self.changed.emit(visit_id)
            if visit_id == self._want:
                self.open(visit_id)

        self._run(OFFICE, lambda: call(visit_id), on_success=done, on_failure=self._refused)

    def call(self) -> None:
        number = self.visit.call_number or self.visit.reception_number if self.visit else ""
        self._act(self._api.call_visit, lambda _a: tr("visit.called", number=number or "—"))

    def start_review(self) -> None:
        self._act(
            self._api.start_visit_review,
            lambda a: tr("visit.reviewed", count=len(a.changed)),
        )

    def complete(self) -> None:
        self._act(self._api.complete_visit, lambda a: tr("visit.completed", count=len(a.changed)))

    def record_identity(self) -> None:
        if self.visit is None:
            self.message.emit(tr("visit.no_visit"), True)
            return
        entry = identity_entry(self.document, self.doc_note, self.message)
        if entry is None:
            return
        document, note = entry

        def done_text(answer: VisitChanged) -> str:
            self.doc_note.clear()
            return tr("visit.checked", count=len(answer.changed))

        self._act(lambda v: self._api.visit_identity_check(v, document, note), done_text)

    def focus_document(self) -> None:
        self.document.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def return_form(self) -> None:
        """差戻し of the form shown: the reason first (focus goes there), then the call."""
        tab = self.current_tab()
        if tab is None:
            self.message.emit(tr("visit.no_visit"), True)
            return
        if Status.RETURNED not in TRANSITIONS[Status(tab.detail.status)]:
            return
        reason = tab.reason.toPlainText().strip()
        if not reason:
            self.message.emit(tr("visit.reason_needed"), True)
            tab.reason.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        receipt = tab.receipt_number
        visit_id = self.visit.visit_id if self.visit else None
        self.busy = True

        def done(_summary: object) -> None:
            self.busy = False
            self.message.emit(tr("visit.returned", receipt=receipt), False)
            self.changed.emit(visit_id)
            if visit_id is not None and visit_id == self._want:
                self.open(visit_id)

        self._run(
            OFFICE,
            lambda: self._api.change_status(receipt, Status.RETURNED.value, reason),
            on_success=done,
            on_failure=self._refused,
        )

    def reprint(self) -> None:
        tab = self.current_tab()
        pdf, title = (tab.pdf, tab.receipt_number) if tab is not None else (None, "")
        reprint(
            self._run, self._spooler, pdf, title, message=self.message, on_failure=self._refused
        )

    def next_tab(self, step: int) -> None:
        if self.tabs.count():
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    def _refused(self, error: MadoguchiError) -> None:
        self.busy = False
        if show_failure(self.message, error) and self.visit is not None:
            self.changed.emit(self.visit.visit_id)
            self.open(self.visit.visit_id)  # someone else may have moved it
