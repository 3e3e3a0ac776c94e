"""The reception terminal's main window: the live queue and the scan field on the left, the
record (form data beside its PDF) on the right, measurement totals on a second tab, and
actions for CSV export, the call board and sign-out.

Nothing here is global: the window gets its `OfficeClient` (signed in), its background lanes and
its printer; file dialogs are replaceable (tests pass their own choosers).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from devices.lanes import Lanes
from printing.spool import Spooler
from staff.background import OFFICE
from staff.reception.board_model import CallBoardModel
from staff.reception.call_board import CallBoardWindow
from staff.reception.kiosks_view import AlertWatcher, KiosksView
from staff.reception.messages import error_text, tr
from staff.reception.queue_view import POLL_INTERVAL_MS, QueueView
from staff.reception.record_view import RecordView
from staff.reception.scan_box import ImageChooser, ScanBox, choose_image
from staff.reception.shortcuts import ShortcutOverlay, install
from staff.reception.totals_view import TotalsView
from staff.reception.visit_queue import VisitQueueView
from staff.reception.visit_view import VisitView
from staff.theme import desktop_font
from sync.client import OfficeClient
from sync.protocol.office import PaperImportResult, PaperOutcome

SaveChooser = Callable[[QWidget, str], Path | None]


def choose_save_path(parent: QWidget, suggested: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, tr("export.save"), suggested, "CSV (*.csv)")
    return Path(name) if name else None


def builtin_titles() -> dict[str, str]:
    """Procedure names for the filters and the queue (the shipped catalogue's titles)."""
    from forms.catalog import Catalog

    return {t.id: t.title.ja for t in Catalog.builtin().latest()}


class ReceptionWindow(QMainWindow):
    signed_out = Signal()

    def __init__(
        self,
        api: OfficeClient,
        ops: Lanes,
        spooler: Spooler,
        *,
        titles: dict[str, str] | None = None,
        save_chooser: SaveChooser = choose_save_path,
        image_chooser: ImageChooser = choose_image,
        poll_interval_ms: int = POLL_INTERVAL_MS,
    ) -> None:
        super().__init__()
        self._api = api
        self._ops = ops
        self._save_chooser = save_chooser
        self._poll_interval_ms = poll_interval_ms
        self.board: CallBoardWindow | None = None
        titles = titles if titles is not None else builtin_titles()
        who = api.signed_in.username if api.signed_in else "?"
        self.setWindowTitle(f"{tr('app.title')} — {who}")
        self.setFont(desktop_font())

        self.queue = QueueView(api, ops, titles, interval_ms=poll_interval_ms, parent=self)
        self.record = RecordView(api, ops, spooler, parent=self)
        self.scan = ScanBox(ops, chooser=image_chooser, parent=self)
        self.totals = TotalsView(api, ops, titles, parent=self, save_chooser=save_chooser)
        self.queue.opened.connect(self.record.open)
        self.record.changed.connect(lambda _receipt: self.queue.refresh())
        self.record.message.connect(self.show_message)
        self.scan.scanned.connect(self.import_paper)
        self.scan.failed.connect(lambda e: self.show_message(error_text(e), True))
        visits_split = self._visits_tab(api, ops, spooler, titles, poll_interval_ms)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.queue, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.record)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(visits_split, tr("tab.visits"))
        self.tabs.addTab(splitter, tr("tab.forms"))
        self.tabs.addTab(self.totals, tr("tab.totals"))
        self._add_counter_parts(api, ops, poll_interval_ms)
        self.setCentralWidget(self.tabs)

        toolbar = QToolBar(self)
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        self.export_action = QAction(tr("export.button"), self)
        self.export_action.triggered.connect(self.export_csv)
        self.board_action = QAction(tr("board.button"), self)
        self.board_action.triggered.connect(self.open_call_board)
        self.signout_action = QAction(tr("signout.button"), self)
        self.signout_action.triggered.connect(self.sign_out)
        for action in (
            self.export_action,
            self.board_action,
            self.call_next_action,
            self.signout_action,
        ):
            toolbar.addAction(action)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.statusBar().addWidget(self.message, 1)
        self.statusBar().addPermanentWidget(QLabel(tr("signed_in", user=who), self))
        self._keyboard()

    def _visits_tab(self, api, ops, spooler, titles, poll_interval_ms) -> QSplitter:
        """The visit is the unit: the first tab lists one row per visit (visit_queue) with the
        scan field above; a visit opens beside it with its forms as tabs (visit_view). The
        per-form queue stays on its own tab."""
        self.visits = VisitQueueView(api, ops, titles, interval_ms=poll_interval_ms, parent=self)
        self.visit = VisitView(api, ops, spooler, titles, parent=self)
        self.visits.opened.connect(self.visit.open)
        self.visit.changed.connect(lambda _visit: self.refresh_queues())
        self.visit.message.connect(self.show_message)
        self.visits.ticker.timeout.connect(self.visit.tick)
        self._open_visit_of: str | None = None  # a paper import's receipt, to open its visit
        self.visits.poller.updated.connect(self._select_imported_visit)
        left = QWidget(self)
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scan)
        layout.addWidget(self.visits, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.visit)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        return split

    # -- the keyboard (staff.reception.shortcuts; docs/reception.md) -------------------------

    def _keyboard(self) -> None:
        # the window's own actions with a key (e.g. calling the next number) are listed too
        extra = tuple(
            (a.shortcut().toString(QKeySequence.SequenceFormat.NativeText), a.text())
            for a in self.findChildren(QAction)
            if not a.shortcut().isEmpty()
        )
        self.overlay = ShortcutOverlay(self, extra)
        actions = {
            "next": self.next_visit,
            "call": self.visit.call,
            "review": self.visit.start_review,
            "identity": self.visit.record_identity,
            "document": self.visit.focus_document,
            "complete": self.visit.complete,
            "return": self.visit.return_form,
            "reprint": self.visit.reprint,
            "scan": self.focus_scan,
            "refresh": self.refresh_queues,
            "queue": self.focus_visits,
            "prev_tab": lambda: self.visit.next_tab(-1),
            "next_tab": lambda: self.visit.next_tab(1),
        }

        def guarded(action):
            def run() -> None:
                if self.overlay.isVisible():  # any key closes the overlay first
                    self.overlay.close_overlay()
                    return
                if action in visit_work:
                    self.tabs.setCurrentIndex(0)
                action()

            return run

        visit_work = {actions[k] for k in ("next", "call", "review", "identity", "complete")}
        bound = {name: guarded(action) for name, action in actions.items()}
        bound["help"] = self.overlay.toggle
        self.shortcuts = install(self, bound)
        self.setTabOrder(self.scan.field, self.scan.image_button)
        self.setTabOrder(self.scan.image_button, self.visits.state_filter)
        self.setTabOrder(self.visits.state_filter, self.visits.table)
        self.setTabOrder(self.visits.table, self.visit.document)

    def next_visit(self) -> None:
        """F2: select and open the oldest visit nobody has started on."""
        visit_id = self.visits.next_visit()
        if visit_id is None:
            self.show_message(tr("visits.none_waiting"))
            return
        self.visits.select(visit_id)
        self.visit.open(visit_id)

    def focus_scan(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.scan.field.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_visits(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.visits.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def refresh_queues(self) -> None:
        self.visits.refresh()
        self.queue.refresh()

    def _add_counter_parts(self, api: OfficeClient, ops: Lanes, poll_interval_ms: int) -> None:
        """The 端末 tab, the alerts that pop up, and calling numbers."""
        self.kiosks = KiosksView(api, ops, interval_ms=max(poll_interval_ms, 200), parent=self)
        self.tabs.addTab(self.kiosks, tr("tab.kiosks"))
        self.alerts = AlertWatcher(
            api, ops, self, interval_ms=max(poll_interval_ms, 200), on_message=self.show_message
        )
        self.call_next_action = QAction(tr("callnext.button"), self)
        self.call_next_action.setShortcut(Qt.Key.Key_F9)
        self.call_next_action.triggered.connect(self.call_next)
        # Calling: the board model the queue's key map can bind (call_next / call).
        self.calls = CallBoardModel(
            api, ops, on_error=lambda e: self.show_message(error_text(e), True)
        )

    def start(self) -> None:
        self.queue.start()
        self.visits.start()
        self.kiosks.start()
        self.alerts.start()
        self.scan.field.setFocus()  # ready for a keyboard-wedge scanner

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #C62828;" if error else "")

    # -- paper import ---------------------------------------------------------------------

    def import_paper(self, digits: str) -> None:
        self.show_message(tr("scan.busy"))
        self._ops.run(
            OFFICE,
            lambda: self._api.import_paper(digits),
            on_success=self._imported,
            on_failure=lambda e: self.show_message(error_text(e), True),
        )

    def _imported(self, result: PaperImportResult) -> None:
        first = result.items[0]
        key = "scan.imported" if first.outcome is PaperOutcome.IMPORTED else "scan.existing"
        self.show_message(tr(key, receipt=", ".join(i.receipt_number for i in result.items)))
        self.refresh_queues()
        self.record.open(first.receipt_number)
        self.queue.select(first.receipt_number)
        self._open_visit_of = first.receipt_number  # once the visit queue has it

    def _select_imported_visit(self, _page: object) -> None:
        receipt = self._open_visit_of
        row = self.visits.model.row_of_receipt(receipt) if receipt else None
        if row is None:
            return
        self._open_visit_of = None
        visit_id = self.visits.model.item(row).visit_id
        self.visits.select(visit_id)
        self.visit.open(visit_id)

    # -- export ---------------------------------------------------------------------------

    def export_csv(self) -> None:
        template_id = self.queue.procedure
        if template_id is None:
            self.show_message(tr("export.pick"), True)
            return
        path = self._save_chooser(self, f"madoguchi-{template_id}.csv")
        if path is None:
            return

        def fetch_and_save() -> Path:
            data = self._api.export_csv(template_id)
            path.write_bytes(data)
            return path

        self._ops.run(
            OFFICE,
            fetch_and_save,
            on_success=lambda p: self.show_message(tr("export.done", path=p)),
            on_failure=lambda e: self.show_message(error_text(e), True),
        )

    # -- call board -----------------------------------------------------------------------

    def call_next(self) -> None:
        """One key: the oldest waiting number is called to the counter (chime on the board)."""

        def done(receipts: list[str]) -> None:
            if not receipts:
                self.show_message(tr("callnext.none"))
                return
            self.refresh_queues()
            self.show_message(tr("callnext.done", number=self.calls.last_called or "?"))

        self.calls.call_next(on_done=done)

    def open_call_board(self) -> CallBoardWindow:
        if self.board is None:
            self.board = CallBoardWindow(self._api, self._ops, interval_ms=self._poll_interval_ms)
            self.board.resize(1280, 720)
        self.board.show()
        self.board.start()
        return self.board

    # -- ending ---------------------------------------------------------------------------

    def sign_out(self) -> None:
        """Clear what is shown, end the session on the server (in the background), close."""
        self.record.clear()
        self.visit.clear()
        self.queue.stop()
        self.visits.stop()
        self.kiosks.stop()
        self.alerts.stop()
        self.queue.model.set_items([])
        self.visits.model.set_items([])
        self._ops.run(
            OFFICE, self._api.logout, on_success=lambda _: None, on_failure=lambda _: None
        )
        self.signed_out.emit()
        self.close()

    def shutdown(self, timeout_ms: int = 5000) -> None:
        self.queue.stop()
        self.visits.stop()
        self.visit.stop()
        self.kiosks.stop()
        self.alerts.stop()
        if self.board is not None:
            self.board.stop()
            self.board.close()
            self.board.deleteLater()
            self.board = None
        self._ops.wait_idle(timeout_ms)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)
