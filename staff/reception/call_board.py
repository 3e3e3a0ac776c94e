"""The call board for a second screen (呼出し表示): reception numbers in three columns,
お呼び出し / 受付中 / 完了. It reads the public call-board endpoint, which carries reception
numbers and states only, so no name can ever appear here. Polls on its own lane."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QVBoxLayout, QWidget

from devices.lanes import Lanes
from forms.errors import MadoguchiError
from staff.background import BOARD
from staff.reception.messages import error_text, tr
from sync.client import OfficeClient
from sync.protocol.office import BoardState, CallBoard

BOARD_INTERVAL_MS = 2000
COLORS = {BoardState.CALLED: "#D62828", BoardState.WAITING: "#1D70B8", BoardState.DONE: "#2A9D8F"}


class CallBoardWindow(QWidget):
    def __init__(
        self,
        api: OfficeClient,
        ops: Lanes,
        *,
        interval_ms: int = BOARD_INTERVAL_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(tr("board.title"))
        self._api = api
        self._ops = ops
        self._busy = False
        self.lists: dict[BoardState, QListWidget] = {}
        columns = QHBoxLayout()
        for state in (BoardState.CALLED, BoardState.WAITING, BoardState.DONE):
            box = QVBoxLayout()
            title = QLabel(tr(f"board.{state.value}"), self)
            title.setStyleSheet(
                f"font-size: 22pt; font-weight: bold; color: white; background: {COLORS[state]};"
                " padding: 8px;"
            )
            listing = QListWidget(self)
            listing.setAccessibleName(tr(f"board.{state.value}"))
            size = 40 if state is BoardState.CALLED else 26
            listing.setStyleSheet(f"font-size: {size}pt; font-weight: bold;")
            self.lists[state] = listing
            box.addWidget(title)
            box.addWidget(listing, 1)
            columns.addLayout(box, 2 if state is BoardState.CALLED else 1)
        self.status = QLabel("", self)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.status)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.refresh)

    def start(self) -> None:
        self._timer.start()
        self.refresh()

    def stop(self) -> None:
        self._timer.stop()

    def refresh(self) -> None:
        if self._busy:
            return
        self._busy = True
        self._ops.run(BOARD, self._api.call_board, on_success=self._show, on_failure=self._failed)

    def _show(self, board: CallBoard) -> None:
        self._busy = False
        for state, listing in self.lists.items():
            listing.clear()
            listing.addItems([e.reception_number for e in board.entries if e.state is state])
        self.status.setText("")

    def _failed(self, error: MadoguchiError) -> None:
        self._busy = False
        self.status.setText(error_text(error))

    def numbers(self, state: BoardState) -> list[str]:
        listing = self.lists[state]
        return [listing.item(i).text() for i in range(listing.count())]

    def closeEvent(self, event) -> None:  # noqa: N802
        self.stop()
        super().closeEvent(event)
