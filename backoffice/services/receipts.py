"""What ingest and paper import share: receipt numbers from the year's counter, under its lock.

Both paths take the lock of the year's `ReceiptCounter` row first (creating the row if the
year is new), so a kiosk's copy and the scanned paper of the same application are ordered and
one application results whichever comes first.
"""

from __future__ import annotations

from sqlalchemy import Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from backoffice.models import ReceiptCounter
from backoffice.office_keys import OfficeKeyRing
from backoffice.registry import TemplateRegistry
from forms.clock import OfficeClock


class ReceiptIssuer:
    """A service that stores applications and gives out their receipt numbers."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        engine: Engine,
        registry: TemplateRegistry,
        keys: OfficeKeyRing,
        clock: OfficeClock,
    ) -> None:
        self._sessions = sessions
        self._dialect = engine.dialect.name
        self._registry = registry
        self._keys = keys  # every office key still held: rows and paper sealed to any open
        self._clock = clock  # receipt years are the office's calendar years

    def _dialect_insert(self, table):
        """INSERT with `on_conflict_do_nothing` for this database."""
        return (postgresql.insert if self._dialect == "postgresql" else sqlite.insert)(table)

    def _lock_counter(self, session: Session, year: int) -> int:
        """Lock the year's counter (creating it at 0) and return its last number given out."""
        session.execute(
            self._dialect_insert(ReceiptCounter)
            .values(year=year, last=0)
            .on_conflict_do_nothing(index_elements=["year"])
        )
        last = session.scalar(
            select(ReceiptCounter.last).where(ReceiptCounter.year == year).with_for_update()
        )
        assert last is not None
        return last

    @staticmethod
    def _set_counter(session: Session, year: int, last: int) -> None:
        session.execute(update(ReceiptCounter).where(ReceiptCounter.year == year).values(last=last))
