"""Turn successive snapshots of `{reader: card present}` into insertion/removal events.

Polling, not a second thread: the card worker polls between jobs so all PC/SC traffic stays
on its one thread (pyscard's CardMonitor would add its own).
"""

from __future__ import annotations

from devices.card.events import (
    CardEvent,
    CardInserted,
    CardRemoved,
    ReaderAttached,
    ReaderDetached,
)


class Monitor:
    def __init__(self) -> None:
        self._last: dict[str, bool] = {}

    @property
    def state(self) -> dict[str, bool]:
        return dict(self._last)

    def update(self, now: dict[str, bool]) -> list[CardEvent]:
        events: list[CardEvent] = []
        for reader, present in self._last.items():
            if reader not in now:
                if present:
                    events.append(CardRemoved(reader))
                events.append(ReaderDetached(reader))
        for reader, present in now.items():
            before = self._last.get(reader)
            if before is None:
                events.append(ReaderAttached(reader))
                before = False
            if present and not before:
                events.append(CardInserted(reader))
            elif before and not present:
                events.append(CardRemoved(reader))
        self._last = dict(now)
        return events
