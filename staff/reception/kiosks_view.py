"""The 端末 tab (every kiosk: a red marker for anything that needs a person, grey when silent for
2 minutes) and the alerts that pop up on every signed-in reception terminal (職員を呼ぶ, machine
faults, credentials waiting for a second admin).

Both poll the back office on their own lane ("watch"), never on the GUI thread. An alert is
shown once per terminal in a non-modal box naming the kiosk and what happened; the first
person to press 対応します takes it (the back office audits it); the other terminals are told
who did and their box closes at the next poll.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from devices.lanes import Lanes
from forms.clock import office_clock
from forms.errors import MadoguchiError
from staff.reception.messages import error_text, tr
from sync.client import OfficeClient
from sync.protocol.counter import AlertPublic, TerminalStatus

WATCH = "watch"
WATCH_INTERVAL_MS = 3000
RED = "#C62828"
GREY = "#9E9E9E"
COLUMNS = ("name", "mark", "seen", "printer", "reader", "outbox", "version")


def _ensure_lane(ops: Lanes) -> None:
    if WATCH not in ops.lanes:
        ops.add_lane(WATCH)


def attention_text(word: str) -> str:
    """`printer:media-empty` → 「用紙切れ / out of paper」; unknown words as they are."""
    key = f"attention.{word.replace(':', '.')}"
    from staff.reception.messages import MESSAGES

    if key in MESSAGES:
        return tr(key)
    return word


def alert_kind_text(kind: str) -> str:
    from staff.reception.messages import MESSAGES

    key = f"alert.kind.{kind}"
    return tr(key) if key in MESSAGES else kind


class KiosksView(QWidget):
    def __init__(
        self, api: OfficeClient, ops: Lanes, *, interval_ms: int = WATCH_INTERVAL_MS, parent=None
    ) -> None:
        super().__init__(parent)
        self._api = api
        self._ops = ops
        _ensure_lane(ops)
        self._busy = False
        self.statuses: list[TerminalStatus] = []
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels([tr(f"kiosks.{c}") for c in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName(tr("tab.kiosks"))
        self.summary = QLabel("", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
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
        self._ops.run(
            WATCH, self._api.terminal_status, on_success=self._show, on_failure=self._failed
        )

    def _failed(self, error: MadoguchiError) -> None:
        self._busy = False
        self.summary.setText(error_text(error))

    def _show(self, statuses: list[TerminalStatus]) -> None:
        self._busy = False
        self.statuses = statuses
        self.table.setRowCount(len(statuses))
        for r, status in enumerate(statuses):
            for c, value in enumerate(self._cells(status)):
                item = QTableWidgetItem(value)
                if status.silent:
                    item.setForeground(QBrush(QColor(GREY)))
                elif status.needs_attention and c == 1:
                    item.setForeground(QBrush(QColor(RED)))
                self.table.setItem(r, c, item)
        red = sum(1 for s in statuses if s.needs_attention and not s.silent)
        grey = sum(1 for s in statuses if s.silent)
        self.summary.setText(tr("kiosks.summary", count=len(statuses), red=red, grey=grey))

    @staticmethod
    def _cells(status: TerminalStatus) -> list[str]:
        beat = status.heartbeat
        if status.silent:
            mark = "● " + tr("kiosks.silent")
        elif status.needs_attention:
            mark = "● " + "、".join(attention_text(w) for w in status.needs_attention)
        else:
            mark = tr("kiosks.ok")
        seen = ""
        if status.last_seen_at is not None:
            seen = office_clock().local(status.last_seen_at).strftime("%H:%M:%S")
        if beat is None:
            return [status.name, mark, seen, "", "", "", ""]
        reasons = ", ".join(beat.printer_reasons)
        oldest = beat.outbox_oldest_pending_s
        outbox = str(beat.outbox_pending) + (f" ({oldest / 60:.0f} min)" if oldest else "")
        return [
            status.name,
            mark,
            seen,
            beat.printer_state.value + (f" [{reasons}]" if reasons else ""),
            tr("kiosks.reader_yes") if beat.reader_present else tr("kiosks.reader_no"),
            outbox,
            beat.app_version,
        ]

    def marker(self, name: str) -> str:
        """ "red", "grey" or "" for one kiosk (what the tests look at)."""
        for status in self.statuses:
            if status.name == name:
                if status.silent:
                    return "grey"
                return "red" if status.needs_attention else ""
        raise KeyError(name)


class AlertBox(QDialog):
    def __init__(self, alert: AlertPublic, parent: QWidget) -> None:
        super().__init__(parent)
        self.alert = alert
        self.setWindowTitle(tr("alert.title"))
        self.setModal(False)
        when = office_clock().local(alert.raised_at).strftime("%H:%M")
        self.text = QLabel(
            tr("alert.body", kiosk=alert.kiosk, what=alert_kind_text(alert.kind.value), at=when)
            + (f"\n{alert.detail}" if alert.detail else ""),
            self,
        )
        self.text.setWordWrap(True)
        self.text.setStyleSheet(f"font-size: 14pt; color: {RED};")
        self.buttons = QDialogButtonBox(self)
        self.ack_button = self.buttons.addButton(
            tr("alert.ack"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.status = QLabel("", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)


class AlertWatcher:
    """Polls the open alerts; one box per alert on this terminal."""

    def __init__(
        self,
        api: OfficeClient,
        ops: Lanes,
        parent: QWidget,
        *,
        interval_ms: int = WATCH_INTERVAL_MS,
        on_message=None,
    ) -> None:
        self._api = api
        self._ops = ops
        self._parent = parent
        _ensure_lane(ops)
        self._busy = False
        self.boxes: dict[uuid.UUID, AlertBox] = {}
        self.acknowledged: list[uuid.UUID] = []  # by this terminal
        self._on_message = on_message or (lambda _t, _e=False: None)
        self._timer = QTimer(parent)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.refresh)

    def start(self) -> None:
        self._timer.start()
        self.refresh()

    def stop(self) -> None:
        self._timer.stop()
        for box in list(self.boxes.values()):
            box.close()
            box.deleteLater()
        self.boxes.clear()

    def refresh(self) -> None:
        if self._busy:
            return
        self._busy = True
        self._ops.run(WATCH, self._api.open_alerts, on_success=self._show, on_failure=self._fail)

    def _fail(self, _error: MadoguchiError) -> None:
        self._busy = False

    def _show(self, alerts: list[AlertPublic]) -> None:
        self._busy = False
        open_ids = {a.id for a in alerts}
        for alert_id in [i for i in self.boxes if i not in open_ids]:
            box = self.boxes.pop(alert_id)  # someone else took it
            box.close()
            box.deleteLater()
        for alert in alerts:
            if alert.id in self.boxes:
                continue
            box = AlertBox(alert, self._parent)
            box.ack_button.clicked.connect(lambda _=False, a=alert.id: self.acknowledge(a))
            self.boxes[alert.id] = box
            box.show()

    def acknowledge(self, alert_id: uuid.UUID) -> None:
        box = self.boxes.get(alert_id)
        if box is not None:
            box.ack_button.setEnabled(False)
        self._ops.run(
            WATCH,
            lambda: self._api.acknowledge_alert(alert_id),
            on_success=self._taken,
            on_failure=lambda e: self._refused(alert_id, e),
        )

    def _taken(self, alert: AlertPublic) -> None:
        self.acknowledged.append(alert.id)
        box = self.boxes.pop(alert.id, None)
        if box is not None:
            box.close()
            box.deleteLater()
        self._on_message(tr("alert.taken", kiosk=alert.kiosk))

    def _refused(self, alert_id: uuid.UUID, error: MadoguchiError) -> None:
        box = self.boxes.get(alert_id)
        if box is not None:
            box.status.setText(error_text(error))
