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

from backoffice.models import Application, Routing
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
        select(
            Application.reception_number,
            Application.status,
            Application.called_at,
            Application.call_number,
            Application.template_id,
        )
        .where(
            Application.received_at >= start,
            Application.received_at < end,
            Application.reception_number != "",
        )
        .order_by(Application.id)
    )
    counters = dict(session.execute(select(Routing.template_id, Routing.counter)).tuples().all())
    # One visit, one entry: grouped by the call number when the kiosk had one (a visit's forms
    # share it), else by the reception number.
    grouped: dict[str, list[tuple[str, dt.datetime | None, str | None, str, str]]] = {}
    for number, status, called_at, call_number, template_id in rows:
        key = f"c:{call_number}" if call_number else f"r:{number}"
        grouped.setdefault(key, []).append((status, called_at, call_number, number, template_id))
    entries = []
    for parts in grouped.values():
        called = [p[1] for p in parts if p[1] is not None]
        if all(p[0] == Status.DONE.value for p in parts):
            state = BoardState.DONE
        elif called:
            state = BoardState.CALLED
        else:
            state = BoardState.WAITING
        # The counter of the visit's first routed form that is not done yet (else the first).
        open_parts = [p for p in parts if p[0] != Status.DONE.value] or parts
        counter = next((counters[p[4]] for p in open_parts if p[4] in counters), None)
        entries.append(
            CallBoardEntry(
                reception_number=parts[0][3],
                state=state,
                called_at=max(called) if called else None,
                call_number=parts[0][2],
                counter=counter,
            )
        )
    order = {BoardState.CALLED: 0, BoardState.WAITING: 1, BoardState.DONE: 2}
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
    entries.sort(
        key=lambda e: (
            order[e.state],
            # newest call first; waiting and done in number order
            -(e.called_at or epoch).timestamp() if e.state is BoardState.CALLED else 0,
            e.number,
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
