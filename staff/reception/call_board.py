"""The call board for a second screen (呼出し表示): per counter the number being called, large;
the waiting and done numbers beside it. Everything fits the screen without scrolling (1920×1080
and 1280×720, Japanese or English lead): the number grids have a fixed number of cells and every
font is sized from the window's size so that the widest number fits its cell; numbers beyond
the cells are counted ("ほか 3 件"), never cut.

It reads the public call-board endpoint, which carries numbers, states and counters only, so no
name can ever appear here. A number newly called rings the chime and, when voices are on, is
read aloud in Japanese and English (`staff.reception.chime`). Polls on its own lane.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from devices.lanes import Lanes
from forms.errors import MadoguchiError
from staff.reception.board_model import (
    BoardView,
    CallBoardModel,
    Calling,
    announcement,
    counter_text,
    text,
)
from staff.reception.chime import SPEECH_LANE, Sounds
from staff.reception.messages import error_text
from sync.client import OfficeClient
from sync.protocol.office import BoardState

BOARD_INTERVAL_MS = 2000
COLORS = {BoardState.CALLED: "#B3261E", BoardState.WAITING: "#1D5FA8", BoardState.DONE: "#1E6F66"}
COUNTER_CELLS = (3, 2)  # columns, rows of counters being called
WAITING_CELLS = (4, 5)
DONE_CELLS = (4, 2)
CALL_KEY = Qt.Key.Key_F9
WIDEST = "W-888"  # the widest call number a board can show (letters A-Z, 3 digits)


def _fit_pixel_size(texts: list[str], width: int, height: int, family: str, bold: bool) -> int:
    """The largest pixel size at which every text fits `width` × `height` (at least 8)."""
    size = max(8, int(height * 0.8))
    font = QFont(family)
    font.setBold(bold)
    while size > 8:
        font.setPixelSize(size)
        metrics = QFontMetrics(font)
        if metrics.height() <= height and all(metrics.horizontalAdvance(t) <= width for t in texts):
            return size
        size -= 1
    return 8


class _Heading(QLabel):
    def __init__(self, state: BoardState, parent: QWidget) -> None:
        super().__init__(parent)
        self.state = state
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet(f"color: white; background: {COLORS[state]}; font-weight: bold;")


class CallBoardWindow(QWidget):
    def __init__(
        self,
        api: OfficeClient,
        ops: Lanes,
        *,
        interval_ms: int = BOARD_INTERVAL_MS,
        language: str = "ja",
        voice: bool = False,
        counter: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.language = language
        self.counter = counter  # where the clerk at this keyboard sits (named aloud)
        self.call_key = CALL_KEY  # one key calls the next waiting number
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.second = "en" if language != "en" else "ja"
        self.setWindowTitle(text(language, "board.title"))
        self.setStyleSheet("background: white; color: #111;")
        if SPEECH_LANE not in ops.lanes:
            ops.add_lane(SPEECH_LANE)
        self.sounds = Sounds(ops, voice_languages=("ja", "en") if voice else (), parent=self)
        self.model = CallBoardModel(
            api, ops, on_view=self.show_view, on_called=self._announce, on_error=self._failed
        )
        self.headings: dict[BoardState, _Heading] = {}
        self.counter_titles: list[QLabel] = []
        self.counter_numbers: list[QLabel] = []
        self.waiting_cells: list[QLabel] = []
        self.done_cells: list[QLabel] = []

        called_box = self._build_counters()
        side = self._build_side()
        columns_layout = QHBoxLayout()
        columns_layout.addLayout(called_box, 3)
        columns_layout.addLayout(side, 2)
        self.status = QLabel("", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(columns_layout, 1)
        layout.addWidget(self.status)
        self._set_headings()
        # The window's size decides the layout, never a label's text or font: fonts are then
        # fitted to the cells (`_fit`), so nothing can push the board past the screen.
        for label in self.shown_labels():
            fixed = label in self.headings.values()
            label.setSizePolicy(
                QSizePolicy.Policy.Ignored,
                QSizePolicy.Policy.Fixed if fixed else QSizePolicy.Policy.Ignored,
            )
            label.setMinimumSize(1, 1)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.refresh)

    def _build_counters(self) -> QVBoxLayout:
        called_box = QVBoxLayout()
        called_box.setSpacing(4)
        self.headings[BoardState.CALLED] = _Heading(BoardState.CALLED, self)
        called_box.addWidget(self.headings[BoardState.CALLED])
        counters = QGridLayout()
        counters.setSpacing(8)
        columns, rows = COUNTER_CELLS
        for n in range(columns * rows):
            card = QFrame(self)
            card.setFrameShape(QFrame.Shape.Box)
            card.setStyleSheet(f"QFrame {{ border: 3px solid {COLORS[BoardState.CALLED]}; }}")
            inner = QVBoxLayout(card)
            inner.setContentsMargins(4, 4, 4, 4)
            inner.setSpacing(0)
            title = QLabel("", card)
            number = QLabel("", card)
            for label in (title, number):
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                label.setStyleSheet("border: none;")
            number.setStyleSheet(f"border: none; color: {COLORS[BoardState.CALLED]};")
            inner.addWidget(title, 1)
            inner.addWidget(number, 3)
            self.counter_titles.append(title)
            self.counter_numbers.append(number)
            counters.addWidget(card, n // columns, n % columns)
        called_box.addLayout(counters, 1)

        return called_box

    def _build_side(self) -> QVBoxLayout:
        side = QVBoxLayout()
        side.setSpacing(4)
        for state, cells, shape, stretch in (
            (BoardState.WAITING, self.waiting_cells, WAITING_CELLS, 5),
            (BoardState.DONE, self.done_cells, DONE_CELLS, 2),
        ):
            heading = _Heading(state, self)
            self.headings[state] = heading
            side.addWidget(heading)
            grid = QGridLayout()
            grid.setSpacing(4)
            columns, rows = shape
            for n in range(columns * rows):
                cell = QLabel("", self)
                cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
                cell.setStyleSheet(f"color: {COLORS[state]}; font-weight: bold;")
                cells.append(cell)
                grid.addWidget(cell, n // columns, n % columns)
            for r in range(rows):
                grid.setRowStretch(r, 1)
            for c in range(columns):
                grid.setColumnStretch(c, 1)
            side.addLayout(grid, stretch)

        return side

    # -- polling ---------------------------------------------------------------------------

    def start(self) -> None:
        self._timer.start()
        self.refresh()

    def stop(self) -> None:
        self._timer.stop()

    def refresh(self) -> None:
        self.model.refresh()

    def _failed(self, error: MadoguchiError) -> None:
        self.status.setText(error_text(error))

    # -- showing ---------------------------------------------------------------------------

    def _set_headings(self) -> None:
        for state, heading in self.headings.items():
            key = f"board.{state.value}"
            heading.setText(f"{text(self.language, key)}　{text(self.second, key)}")

    def show_view(self, view: BoardView) -> None:
        self.status.setText("")
        for n, (title, number) in enumerate(
            zip(self.counter_titles, self.counter_numbers, strict=True)
        ):
            calling = view.calling[n] if n < len(view.calling) else None
            title.setText(self._counter_title(calling.counter) if calling else "")
            number.setText(calling.number if calling else "")
        for cells, numbers in ((self.waiting_cells, view.waiting), (self.done_cells, view.done)):
            # The newest done numbers are the ones worth seeing: the last ones.
            shown = list(numbers) if cells is self.waiting_cells else list(numbers)[-len(cells) :]
            if len(shown) > len(cells):
                more = len(shown) - (len(cells) - 1)
                shown = [*shown[: len(cells) - 1], text(self.language, "board.more", count=more)]
            for n, cell in enumerate(cells):
                cell.setText(shown[n] if n < len(shown) else "")
        self._fit()

    def _counter_title(self, counter: str | None) -> str:
        return f"{counter_text(counter, self.language)} / {counter_text(counter, self.second)}"

    def _announce(self, calls: list[Calling]) -> None:
        sentences: list[tuple[str, str]] = []
        for calling in calls:
            counter = self.model.counter_for(calling)
            for language in ("ja", "en"):
                sentence = announcement(calling.number, counter, language)
                if sentence:
                    sentences.append((language, sentence))
        self.sounds.announce(sentences)

    # -- fitting ---------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        QTimer.singleShot(0, self._fit)

    def _fit(self) -> None:
        """Size every font from its cell: the widest possible number fits each cell."""
        layout = self.layout()
        if layout is not None:
            layout.activate()
        family = self.font().family()
        height = self.height()
        heading_px = max(12, height // 30)
        for heading in self.headings.values():
            heading.setFixedHeight(int(heading_px * 1.7))
            width = int(heading.contentsRect().width() * 0.95)
            size = _fit_pixel_size([heading.text()], width, int(heading_px * 1.5), family, True)
            font = QFont(family)
            font.setBold(True)
            font.setPixelSize(size)
            heading.setFont(font)
        self._fit_cells(self.counter_numbers, [WIDEST, *[c.text() for c in self.counter_numbers]])
        self._fit_cells(self.counter_titles, [c.text() for c in self.counter_titles] or ["?"])
        for cells in (self.waiting_cells, self.done_cells):
            self._fit_cells(cells, [WIDEST, *[c.text() for c in cells]])

    def _fit_cells(self, cells: list[QLabel], texts: list[str]) -> None:
        if not cells:
            return
        cell = cells[0].contentsRect()
        width, height = int(cell.width() * 0.92), int(cell.height() * 0.9)
        size = _fit_pixel_size([t for t in texts if t], width, height, self.font().family(), True)
        for label in cells:
            font = QFont(self.font().family())
            font.setBold(True)
            font.setPixelSize(size)
            label.setFont(font)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == self.call_key and not event.modifiers():
            self.model.call_next(self.counter)
            return
        super().keyPressEvent(event)

    # -- what tests and the reception read -------------------------------------------------

    def numbers(self, state: BoardState) -> list[str]:
        if state is BoardState.CALLED:
            return [c.number for c in self.model.view.calling]
        return list(
            self.model.view.waiting if state is BoardState.WAITING else self.model.view.done
        )

    def shown_labels(self) -> list[QLabel]:
        return [
            *self.headings.values(),
            *self.counter_titles,
            *self.counter_numbers,
            *self.waiting_cells,
            *self.done_cells,
        ]

    def closeEvent(self, event) -> None:  # noqa: N802
        self.stop()
        super().closeEvent(event)
