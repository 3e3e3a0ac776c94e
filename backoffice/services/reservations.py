"""引越しワンストップ: import 転入予約 reservations through an adapter, match them at the kiosk.

The real feed's format is not public here, so the seam is `ReservationSource`: anything that
yields `forms.reservation.Reservation`s (or raises `forms.reservation.ReservationFileRefused`).
One adapter ships: `FileImport`, the documented JSON Lines / CSV file (docs/reservations.md).

`store` is all or nothing, in the caller's transaction: a reservation id already stored with
the same content is idempotent (counted `unchanged`); with other content the whole import is
refused (422, naming the line). The match is `forms.reservation.choose` over the rows with the
same birth date and a window around the office's date, filtered by the folded name.
Only counts and reservation ids are logged, never a name, a date of birth or an address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.errors import ReservationFileRefused
from backoffice.models import ReservationRow
from forms import reservation as domain
from forms.reservation import Reservation

log = logging.getLogger(__name__)


class ReservationSource(Protocol):
    """An adapter: where reservations come from (a file today, the national feed later)."""

    def reservations(self) -> Iterator[Reservation]: ...


@dataclass(frozen=True)
class FileImport:
    """The documented file: `.csv` is CSV, anything else JSON Lines, unless `file_format`."""

    text: str
    file_format: str = "jsonl"

    @classmethod
    def from_path(cls, path: Path, file_format: str | None = None) -> FileImport:
        chosen = file_format or ("csv" if path.suffix.lower() == ".csv" else "jsonl")
        return cls(path.read_text(encoding="utf-8-sig"), chosen)

    def reservations(self) -> Iterator[Reservation]:
        yield from domain.parse(self.text, self.file_format)


@dataclass(frozen=True)
class ImportReport:
    imported: int
    unchanged: int


def _digest(reservation: Reservation) -> str:
    body = json.dumps(reservation.as_dict(), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()


def _refused(exc: domain.ReservationFileRefused) -> ReservationFileRefused:
    return ReservationFileRefused(exc.ja, exc.en, exc.problems)


def store(
    session: Session, source: ReservationSource, *, actor: str, now: dt.datetime
) -> ImportReport:
    try:
        incoming = list(source.reservations())
    except domain.ReservationFileRefused as exc:
        raise _refused(exc) from None
    ids = [r.reservation_id for r in incoming]
    existing = {
        row.reservation_id: row.content_sha256
        for row in session.scalars(
            select(ReservationRow).where(ReservationRow.reservation_id.in_(ids))
        )
    }
    problems: list[domain.Problem] = []
    fresh: list[tuple[Reservation, str]] = []
    unchanged = 0
    for reservation in incoming:
        digest = _digest(reservation)
        stored = existing.get(reservation.reservation_id)
        if stored is None:
            fresh.append((reservation, digest))
        elif stored == digest:
            unchanged += 1
        else:
            problems.append(
                domain.Problem(
                    reservation.line, "reservation_id", "already imported with other content"
                )
            )
    if problems:
        raise _refused(domain.ReservationFileRefused(problems))
    for reservation, digest in fresh:
        session.add(
            ReservationRow(
                reservation_id=reservation.reservation_id,
                match_name=domain.fold_name(reservation.applicant.name),
                birth_date=reservation.applicant.birth_date,
                window_start=reservation.window_start,
                window_end=reservation.window_end,
                data_json=json.dumps(reservation.as_dict(), ensure_ascii=False),
                content_sha256=digest,
                imported_at=now,
                imported_by=actor,
            )
        )
    session.flush()
    log.info("reservations imported: %d new, %d unchanged", len(fresh), unchanged)
    return ImportReport(imported=len(fresh), unchanged=unchanged)


def candidates(
    session: Session, name: str, birth_date: dt.date, today: dt.date
) -> list[Reservation]:
    rows = session.scalars(
        select(ReservationRow).where(
            ReservationRow.birth_date == birth_date,
            ReservationRow.match_name == domain.fold_name(name),
            ReservationRow.window_start <= today,
            ReservationRow.window_end >= today,
        )
    )
    return [domain.from_dict(json.loads(row.data_json)) for row in rows]


def find(session: Session, name: str, birth_date: dt.date, today: dt.date) -> Reservation | None:
    """The one reservation for this resident today (office date), else None."""
    found = domain.choose(candidates(session, name, birth_date, today), name, birth_date, today)
    log.info("reservation match: %s", "found" if found is not None else "none")
    return found


def as_iterable(items: Iterable[Reservation]) -> ReservationSource:
    """Reservations already in hand as a source (tests, a future feed's batch)."""

    class _Given:
        def reservations(self) -> Iterator[Reservation]:
            yield from items

    return _Given()
