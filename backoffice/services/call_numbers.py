"""Call numbers: a letter and at most three digits ("A-023"), unique per office per office day.

The office day is the office clock's (`forms.clock.OfficeClock`, the office's time zone): the
numbers start again at A-001 at the office's midnight, whatever zone the server runs in.

Every kiosk visit asks once, at confirm (`POST /call-numbers`); asking again for the same
visit (a retry after a lost answer) gives the same number. Concurrent kiosks are ordered by
the lock of the day's `CallNumberCounter` row (SELECT … FOR UPDATE on PostgreSQL, BEGIN
IMMEDIATE on SQLite); the UNIQUE constraints on (day, number) and (day, kiosk, visit) stay the
last word.

The back office issues the letters `ONLINE_LETTERS` (A…H, 999 numbers each); each kiosk is
given one of `OFFLINE_LETTERS` (Z, Y, X, …) for when it cannot reach the back office. The two
sets are disjoint, so an offline number never meets an online one.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from backoffice.errors import CallNumbersExhausted
from backoffice.models import CallNumber, CallNumberCounter, Terminal
from forms.clock import OfficeClock
from sync.protocol.counter import (
    OFFLINE_LETTERS,
    ONLINE_LETTERS,
    CallNumberRequest,
    format_call_number,
)

MAX_NUMBER = 999


def next_offline_letter(session: Session) -> str | None:
    """The first offline letter no terminal holds (a revoked kiosk keeps its letter: its
    offline numbers of the day may still be on slips). None when all are given out."""
    taken = set(
        session.scalars(select(Terminal.offline_letter).where(Terminal.offline_letter.is_not(None)))
    )
    return next((letter for letter in OFFLINE_LETTERS if letter not in taken), None)


def _insert(session: Session):
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(CallNumberCounter)


def _lock_day(session: Session, day: dt.date) -> CallNumberCounter:
    session.execute(
        _insert(session)
        .values(day=day, letter=ONLINE_LETTERS[0], last=0)
        .on_conflict_do_nothing(index_elements=["day"])
    )
    counter = session.scalar(
        select(CallNumberCounter).where(CallNumberCounter.day == day).with_for_update()
    )
    assert counter is not None
    return counter


def _issued(session: Session, day: dt.date, terminal: str, visit: str) -> CallNumber | None:
    return session.scalar(
        select(CallNumber).where(
            CallNumber.day == day, CallNumber.terminal == terminal, CallNumber.visit == visit
        )
    )


def issue(
    session: Session, request: CallNumberRequest, terminal: str, clock: OfficeClock
) -> CallNumber:
    """The visit's call number: the one given before, or the day's next."""
    now = clock.now()
    day = clock.date_of(now)
    known = _issued(session, day, terminal, request.visit)
    if known is not None:
        return known
    counter = _lock_day(session, day)
    known = _issued(session, day, terminal, request.visit)  # a twin request won the lock
    if known is not None:
        return known
    letter, number = counter.letter, counter.last + 1
    if number > MAX_NUMBER:
        following = ONLINE_LETTERS.find(letter) + 1
        if following >= len(ONLINE_LETTERS):
            raise CallNumbersExhausted()
        letter, number = ONLINE_LETTERS[following], 1
    session.execute(
        update(CallNumberCounter)
        .where(CallNumberCounter.day == day)
        .values(letter=letter, last=number)
        .execution_options(synchronize_session=False)
    )
    row = CallNumber(
        day=day,
        call_number=format_call_number(letter, number),
        terminal=terminal,
        visit=request.visit,
        procedures=json.dumps(request.procedures),
        issued_at=now,
    )
    session.add(row)
    session.flush()
    return row
