"""What the call board shows, and calling a number: Qt-free, so tests drive it without a display.

- `BoardView.of(board)` turns the public board (`GET /call-board`) into what the screen lays
  out: per counter the number being called (the newest call to it), the waiting numbers in
  number order, the done numbers newest last. One visit is one number (its call number, "A-023";
  a visit without one shows its reception number).
- `CallBoardModel` keeps the last view, tells which numbers were called since the last poll
  (each call rings the chime once, and may be read aloud), and calls numbers: `call(number,
  counter)` calls every open form of that visit; `call_next()` the oldest waiting visit. The
  reception terminal binds one key to `call_next` (its key map is the queue's).
- `announcement(number, counter, language)`: 「A の 23 番の方、3 番窓口へお越しください」 and
  "Number A 23, please come to counter 3." from the `callboard` catalogue.

Every method that talks to the back office runs on a lane (`devices.lanes.Lanes`), never on
the caller's thread; answers come back through the lanes' delivery (the GUI thread in the app).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from devices.lanes import Lanes
from forms.errors import MadoguchiError
from forms.i18n.catalogue import Domain
from sync.client import OfficeClient
from sync.protocol.office import BoardState, CallBoard, CallBoardEntry
from sync.protocol.vocabulary import Status

BOARD_LANE = "board"
OFFICE_LANE = "office"
CALL_NUMBER = re.compile(r"^([A-Z])-(\d{1,3})$")
CALLBOARD = Domain("callboard", Path(__file__).resolve().parent / "locale")
LEAD_LANGUAGES = ("ja", "en")


def text(language: str, key: str, **values: object) -> str:
    return CALLBOARD.text(language, key, **values)


def counter_text(counter: str | None, language: str) -> str:
    """ "3" → 「3 番窓口」 / "Counter 3"; a counter that is not a number ("受付") as it is."""
    if counter is None:
        return text(language, "board.reception")
    if re.fullmatch(r"[0-9０-９・,、 -]+", counter):
        return text(language, "board.counter", counter=counter)
    return counter


def announcement(number: str, counter: str | None, language: str) -> str | None:
    """The sentence read aloud; None for a number that is not a call number."""
    m = CALL_NUMBER.match(number)
    if m is None:
        return None
    letter, digits = m.group(1), int(m.group(2))
    if counter is None:
        where = text(language, "board.reception_spoken")
    elif re.fullmatch(r"[0-9０-９・,、 -]+", counter):
        where = text(language, "board.counter_spoken", counter=counter)
    else:
        where = counter
    return text(language, "board.announce", letter=letter, number=digits, where=where)


@dataclass(frozen=True)
class Calling:
    counter: str | None
    number: str
    called_at: dt.datetime | None


@dataclass(frozen=True)
class BoardView:
    calling: tuple[Calling, ...] = ()  # one per counter, newest call first
    waiting: tuple[str, ...] = ()
    done: tuple[str, ...] = ()

    @classmethod
    def of(cls, board: CallBoard) -> BoardView:
        per_counter: dict[str | None, CallBoardEntry] = {}
        for entry in board.entries:
            if entry.state is not BoardState.CALLED:
                continue
            known = per_counter.get(entry.counter)
            if known is None or (entry.called_at or _EPOCH) > (known.called_at or _EPOCH):
                per_counter[entry.counter] = entry
        calling = sorted(per_counter.values(), key=lambda e: e.called_at or _EPOCH, reverse=True)
        waiting = sorted(
            (e for e in board.entries if e.state is BoardState.WAITING), key=_number_order
        )
        done = sorted((e for e in board.entries if e.state is BoardState.DONE), key=_number_order)
        return cls(
            calling=tuple(Calling(e.counter, e.number, e.called_at) for e in calling),
            waiting=tuple(e.number for e in waiting),
            done=tuple(e.number for e in done),
        )


_EPOCH = dt.datetime.min.replace(tzinfo=dt.UTC)


def _number_order(entry: CallBoardEntry) -> tuple[int, str, int, str]:
    m = CALL_NUMBER.match(entry.number)
    if m is None:
        return (1, "", 0, entry.number)
    return (0, m.group(1), int(m.group(2)), "")


@dataclass
class CallBoardModel:
    """The board's state and the calls. `on_view(view)` after each refresh; `on_called(list of
    Calling)` for the numbers called since the last refresh (not on the first one: a board
    opened mid-morning does not ring for every number already called)."""

    api: OfficeClient
    ops: Lanes
    on_view: Callable[[BoardView], None] = lambda _v: None
    on_called: Callable[[list[Calling]], None] = lambda _c: None
    on_error: Callable[[MadoguchiError], None] = lambda _e: None
    view: BoardView = field(default_factory=BoardView)
    board: CallBoard | None = None
    spoken_counters: dict[str, str] = field(default_factory=dict)  # number → clerk's counter
    last_called: str | None = None  # the number this terminal called last
    _seen: dict[str, dt.datetime] | None = None
    _busy: bool = False

    # -- reading -------------------------------------------------------------------------

    def refresh(self) -> None:
        if self._busy:
            return
        self._busy = True
        self.ops.run(BOARD_LANE, self.api.call_board, on_success=self._got, on_failure=self._fail)

    def _got(self, board: CallBoard) -> None:
        self._busy = False
        self.apply(board)

    def _fail(self, error: MadoguchiError) -> None:
        self._busy = False
        self.on_error(error)

    def apply(self, board: CallBoard) -> list[Calling]:
        """Take a board; returns (and reports) the numbers called since the last one."""
        self.board = board
        self.view = BoardView.of(board)
        calls = {
            e.number: e.called_at
            for e in board.entries
            if e.state is BoardState.CALLED and e.called_at
        }
        first = self._seen is None
        seen = self._seen or {}
        fresh = [
            Calling(e.counter, e.number, e.called_at)
            for e in board.entries
            if e.state is BoardState.CALLED
            and e.called_at is not None
            and seen.get(e.number) != e.called_at
        ]
        self._seen = {k: v for k, v in calls.items() if v is not None}
        self.on_view(self.view)
        if fresh and not first:
            fresh.sort(key=lambda c: c.called_at or _EPOCH)
            self.on_called(fresh)
            return fresh
        return []

    # -- calling -------------------------------------------------------------------------

    def call(
        self,
        number: str,
        counter: str | None = None,
        *,
        on_done: Callable[[list[str]], None] | None = None,
    ) -> None:
        """Call visit `number` ("A-023" or a reception number) to the counter: every form of
        it that is not done is called (`POST /applications/{receipt}/call`). `counter` is
        where this clerk sits; the board shows the routed counter (the back office keeps no
        per-call counter), the voice names `counter` when given."""
        self.ops.run(
            OFFICE_LANE,
            lambda: self._call_visit(number),
            on_success=lambda receipts: self._called(number, counter, receipts, on_done),
            on_failure=self.on_error,
        )

    def call_next(
        self, counter: str | None = None, *, on_done: Callable[[list[str]], None] | None = None
    ) -> None:
        """Call the oldest waiting visit (the first waiting number on the board)."""

        def work() -> tuple[str, list[str]]:
            board = self.api.call_board()
            waiting = BoardView.of(board).waiting
            if not waiting:
                return "", []
            return waiting[0], self._call_visit(waiting[0])

        self.ops.run(
            OFFICE_LANE,
            work,
            on_success=lambda found: self._called(found[0], counter, found[1], on_done),
            on_failure=self.on_error,
        )

    def _call_visit(self, number: str) -> list[str]:
        snapshot = self.api.queue(limit=500)
        items = snapshot.page.items if snapshot is not None else []
        receipts = [
            i.receipt_number
            for i in items
            if (i.call_number or i.reception_number) == number and i.status is not Status.DONE
        ]
        for receipt in receipts:
            self.api.call(receipt)
        return receipts

    def _called(
        self,
        number: str,
        counter: str | None,
        receipts: list[str],
        on_done: Callable[[list[str]], None] | None,
    ) -> None:
        if receipts:
            self.last_called = number
        if receipts and counter is not None:
            self.spoken_counters[number] = counter
        if on_done is not None:
            on_done(receipts)
        self.refresh()

    def counter_for(self, calling: Calling) -> str | None:
        """The counter to name aloud: the clerk's own when they called it, else the routing."""
        return self.spoken_counters.get(calling.number, calling.counter)
