"""The public call board (呼出し表示): today's reception numbers and their state, nothing else.

No names, no receipt numbers, no procedures: a second screen in the waiting room shows it to
everyone. One kiosk session that produced several forms (a life-event bundle) shares one
reception number, so the number's state is the state of all its applications together:
完了 when every one is done, お呼び出し when staff called it, 受付中 otherwise.

The board is read without authentication, so it is rate-safe by construction: a `CallBoardCache`
answers every request within `ttl` from one database read.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.models import Application
from forms.clock import OfficeClock
from sync.protocol.office import BoardState, CallBoard, CallBoardEntry
from sync.protocol.vocabulary import Status

MAX_ENTRIES = 200


def board(session: Session, *, clock: OfficeClock, now: dt.datetime | None = None) -> CallBoard:
    """The office's day now (or at `now`): it turns at the office's midnight, not UTC's."""
    day = clock.date_of(now or clock.now())
    start = clock.start_of_day(day)
    end = clock.start_of_day(day + dt.timedelta(days=1))
    rows = session.execute(
        select(Application.reception_number, Application.status, Application.called_at).where(
            Application.received_at >= start,
            Application.received_at < end,
            Application.reception_number != "",
        )
    )
    grouped: dict[str, list[tuple[str, dt.datetime | None]]] = {}
    for number, status, called_at in rows:
        grouped.setdefault(number, []).append((status, called_at))
    entries = []
    for number, parts in grouped.items():
        called = [c for _, c in parts if c is not None]
        if all(s == Status.DONE.value for s, _ in parts):
            state = BoardState.DONE
        elif called:
            state = BoardState.CALLED
        else:
            state = BoardState.WAITING
        entries.append(
            CallBoardEntry(
                reception_number=number, state=state, called_at=max(called) if called else None
            )
        )
    order = {BoardState.CALLED: 0, BoardState.WAITING: 1, BoardState.DONE: 2}
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
    entries.sort(
        key=lambda e: (
            order[e.state],
            # newest call first; waiting and done in number order
            -(e.called_at or epoch).timestamp() if e.state is BoardState.CALLED else 0,
            e.reception_number,
        )
    )
    return CallBoard(day=day, entries=entries[:MAX_ENTRIES])


class CallBoardCache:
    """One board per `ttl` seconds for everybody (thread-safe)."""

    def __init__(self, ttl: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._value: CallBoard | None = None
        self._at = 0.0
        self.reads = 0  # database reads, for tests

    def get(self, load: Callable[[], CallBoard]) -> CallBoard:
        with self._lock:
            now = self._clock()
            if self._value is None or now - self._at >= self._ttl:
                self._value = load()
                self._at = now
                self.reads += 1
            return self._value
