"""The kiosk's transactional outbox: confirmed applications waiting for the back office.

One SQLite file (WAL, `synchronous=FULL`, so a commit survives a power cut) accessed through
SQLAlchemy 2. Each row is one `IngestRecord`: the non-personal metadata in columns and the
exact JSON body that is sent, byte for byte the same on every retry. The personal parts are
inside `sealed` (HPKE to the back office's public key): the kiosk keeps only ciphertext.

States: `pending` → `sent` (after a 2xx carrying the receipt) → purged after the retention
window; or `pending` → `rejected` (the server refused the content: set aside and reported,
never retried automatically). Deleted pages are zeroed (`secure_delete`).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    Engine,
    Integer,
    String,
    Table,
    Text,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    select,
    update,
)
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import DatabaseError, IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from forms.clock import OfficeClock, office_clock
from forms.errors import MadoguchiError
from forms.private_files import private_sqlite
from sync.protocol import IngestRecord

log = logging.getLogger(__name__)

DEFAULT_RETENTION = dt.timedelta(days=7)


class State(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    REJECTED = "rejected"


class OutboxError(MadoguchiError):
    code = "outbox"


class OutboxUnavailable(OutboxError):
    """The outbox file cannot be opened or written (disk full, locked, not a database)."""

    code = "outbox_unavailable"

    def __init__(self, path: Path | str) -> None:
        super().__init__(
            f"送信待ちデータベース {path} を使えません", f"the outbox database {path} is unusable"
        )


class DuplicateApplication(OutboxError):
    """An application whose key is already in the outbox (confirmed twice)."""

    code = "outbox_duplicate"

    def __init__(self) -> None:
        super().__init__("この申請はすでに確定済みです", "this application was already confirmed")


class _Base(DeclarativeBase):
    pass


class OutboxRow(_Base):
    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    template_id: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[int] = mapped_column(Integer)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[str] = mapped_column(String(40))  # ISO 8601 as sent
    reception_number: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)  # the IngestRecord JSON, sent unchanged
    state: Mapped[str] = mapped_column(String(16), default=State.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    receipt_number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    acked_at: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    error_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error_ja: Mapped[str | None] = mapped_column(Text, nullable=True)
    error_en: Mapped[str | None] = mapped_column(Text, nullable=True)

    def __repr__(self) -> str:
        return f"OutboxRow(seq={self.seq}, uuid={self.uuid}, state={self.state})"


class ReceptionCounter(_Base):
    """The kiosk's own running number per day, printed on the reception slip."""

    __tablename__ = "reception_counter"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class OfflineCallCounter(_Base):
    """Call numbers this kiosk issued itself while the back office was out of reach: one
    running number per office day, under the letter reserved for this kiosk."""

    __tablename__ = "offline_call_counter"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    letter: Mapped[str] = mapped_column(String(1), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class AlertRow(_Base):
    """A call-staff press or a machine fault, kept until the back office has it. The body is
    the `AlertCreate` JSON, sent unchanged on every try (the back office dedups on its id).
    It describes the machine and the screen, never the resident."""

    __tablename__ = "alerts"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default=State.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[str | None] = mapped_column(String(40), nullable=True)


class RoutingRow(_Base):
    """Where each procedure's residents go (the back office's routing), cached for offline."""

    __tablename__ = "routing_cache"

    template_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    body: Mapped[str] = mapped_column(Text)  # the RoutingEntry JSON


class KioskFact(_Base):
    """What the kiosk learned from the back office and keeps for offline use (its reserved
    call-number letter). Nothing personal."""

    __tablename__ = "kiosk_facts"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class CallNumbersExhausted(OutboxError):
    """The kiosk's own letter has issued 999 numbers today (offline)."""

    code = "call_numbers_exhausted"

    def __init__(self) -> None:
        super().__init__(
            "この端末の本日の呼出番号（予備）を使い切りました",
            "this kiosk has used up today's reserve call numbers",
        )


@dataclass(frozen=True)
class PendingAlert:
    uuid: uuid.UUID
    body: str


@dataclass(frozen=True)
class PendingItem:
    """What the worker sends: the key and the exact body stored at confirm time."""

    seq: int
    uuid: uuid.UUID
    body: str


@dataclass(frozen=True)
class Ack:
    uuid: uuid.UUID
    receipt_number: str


@dataclass(frozen=True)
class SetAside:
    uuid: uuid.UUID
    code: str
    ja: str
    en: str


@dataclass(frozen=True)
class RejectedItem:
    uuid: uuid.UUID
    template_id: str
    template_version: int
    reception_number: str
    created_at: str
    code: str
    ja: str
    en: str


@dataclass(frozen=True)
class OutboxStatus:
    pending: int
    sent: int
    rejected: int
    oldest_pending_at: str | None
    last_acked_at: str | None

    def as_dict(self) -> dict[str, object]:
        return {
            "pending": self.pending,
            "sent": self.sent,
            "rejected": self.rejected,
            "oldest_pending_at": self.oldest_pending_at,
            "last_acked_at": self.last_acked_at,
        }


def _now() -> dt.datetime:
    return office_clock().now()


def _stamp(moment: dt.datetime) -> str:
    """Fixed-width UTC text, so that string order is time order in SQL."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def make_engine(db_path: Path | str) -> Engine:
    """A SQLite engine whose every connection is WAL + synchronous=FULL + secure_delete.

    Python's sqlite3 driver is put in autocommit mode and every SQLAlchemy transaction starts
    with BEGIN IMMEDIATE, so two processes (the kiosk and `sync run`) wait for each other
    through busy_timeout instead of failing on a read-to-write upgrade.
    """
    engine = create_engine(
        f"sqlite:///{db_path}",
        connect_args={"timeout": 15, "isolation_level": None},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class Outbox:
    """Repository over the outbox file. Safe to use from several processes at once."""

    def __init__(self, db_path: Path | str) -> None:
        self.path = Path(db_path)
        try:
            private_sqlite(self.path)  # 0600 (and its -wal/-shm) in a 0700 folder
            self._engine = make_engine(self.path)
            _Base.metadata.create_all(self._engine)
        except (DatabaseError, OSError) as exc:
            raise OutboxUnavailable(self.path) from exc

    def __repr__(self) -> str:
        return f"Outbox({self.path})"

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- the kiosk's side ----------------------------------------------------------------

    def add(self, records: list[IngestRecord]) -> None:
        """Store every record of one confirmed application in one transaction (all or none)."""
        rows = [
            OutboxRow(
                uuid=str(r.uuid),
                template_id=r.template_id,
                template_version=r.template_version,
                kiosk_id=r.kiosk_id,
                mode=str(r.mode),
                created_at=r.created_at.isoformat(),
                reception_number=r.reception_number,
                body=r.model_dump_json(),
                state=State.PENDING,
                attempts=0,
            )
            for r in records
        ]
        try:
            with Session(self._engine) as session, session.begin():
                session.add_all(rows)
        except IntegrityError:
            raise DuplicateApplication() from None
        except DatabaseError as exc:
            raise OutboxUnavailable(self.path) from exc

    def next_reception_number(
        self, kiosk_id: str, today: dt.date | None = None, *, clock: OfficeClock | None = None
    ) -> str:
        """`<kiosk>-<MMDD>-<NNNN>`: the kiosk's running number of the day, gaps allowed.

        The day is the office's (`today`, else `clock`'s today, else `office_clock()`'s): the
        numbers start again at the office's midnight, whatever zone the kiosk runs in.
        """
        day = (today or (clock or office_clock()).today()).isoformat()
        try:
            with Session(self._engine) as session, session.begin():
                counter = session.get(ReceptionCounter, day)
                if counter is None:
                    counter = ReceptionCounter(day=day, last=0)
                    session.add(counter)
                counter.last += 1
                number = counter.last
        except DatabaseError as exc:
            raise OutboxUnavailable(self.path) from exc
        suffix = f"-{day[5:7]}{day[8:10]}-{number:04d}"
        return kiosk_id[: 32 - len(suffix)] + suffix

    def next_offline_call_number(self, letter: str, day: dt.date) -> int:
        """The next number (1-999) of `letter` on the office day `day`; CallNumbersExhausted
        after 999. Unique on this kiosk; two kiosks never share a letter."""
        try:
            with Session(self._engine) as session, session.begin():
                counter = session.get(OfflineCallCounter, (day.isoformat(), letter))
                if counter is None:
                    counter = OfflineCallCounter(day=day.isoformat(), letter=letter, last=0)
                    session.add(counter)
                if counter.last >= 999:
                    raise CallNumbersExhausted()
                counter.last += 1
                return counter.last
        except DatabaseError as exc:
            raise OutboxUnavailable(self.path) from exc

    # --- alerts (call staff, machine faults) and the routing cache -----------------------

    def add_alert(self, key: uuid.UUID, body: str) -> None:
        """Keep one alert until it is sent (the same id twice is kept once)."""
        try:
            with Session(self._engine) as session, session.begin():
                if session.scalar(select(AlertRow.seq).where(AlertRow.uuid == str(key))) is None:
                    session.add(AlertRow(uuid=str(key), body=body, state=State.PENDING))
        except DatabaseError as exc:
            raise OutboxUnavailable(self.path) from exc

    def pending_alerts(self) -> list[PendingAlert]:
        query = (
            select(AlertRow.uuid, AlertRow.body)
            .where(AlertRow.state == State.PENDING)
            .order_by(AlertRow.seq)
        )
        with Session(self._engine) as session:
            return [PendingAlert(uuid.UUID(u), b) for u, b in session.execute(query)]

    def alert_attempted(
        self, key: uuid.UUID, *, sent: bool, now: dt.datetime | None = None
    ) -> None:
        values: dict[str, object] = {"attempts": AlertRow.attempts + 1}
        if sent:
            values |= {"state": State.SENT, "sent_at": _stamp(now or _now())}
        with Session(self._engine) as session, session.begin():
            session.execute(update(AlertRow).where(AlertRow.uuid == str(key)).values(**values))

    def save_routing(self, entries: Iterable[tuple[str, str]]) -> None:
        """Replace the cached routing with (template id, RoutingEntry JSON) pairs."""
        rows = [RoutingRow(template_id=t, body=b) for t, b in entries]
        with Session(self._engine) as session, session.begin():
            session.execute(delete(RoutingRow))
            session.add_all(rows)

    def merge_routing(self, entries: Iterable[tuple[str, str]]) -> None:
        """Add or update some procedures' routing (as a call number's answer brings them)."""
        with Session(self._engine) as session, session.begin():
            for template_id, body in entries:
                session.merge(RoutingRow(template_id=template_id, body=body))

    def fact(self, key: str) -> str | None:
        with Session(self._engine) as session:
            row = session.get(KioskFact, key)
            return None if row is None else row.value

    def set_fact(self, key: str, value: str) -> None:
        with Session(self._engine) as session, session.begin():
            session.merge(KioskFact(key=key, value=value))

    def routing(self) -> dict[str, str]:
        """template id → cached RoutingEntry JSON."""
        with Session(self._engine) as session:
            return dict(session.execute(select(RoutingRow.template_id, RoutingRow.body)).all())

    # --- the worker's side ---------------------------------------------------------------

    def pending(self, limit: int | None = None, after_seq: int = 0) -> list[PendingItem]:
        """Pending records in confirm order."""
        query = (
            select(OutboxRow.seq, OutboxRow.uuid, OutboxRow.body)
            .where(OutboxRow.state == State.PENDING, OutboxRow.seq > after_seq)
            .order_by(OutboxRow.seq)
        )
        if limit is not None:
            query = query.limit(limit)
        with Session(self._engine) as session:
            return [PendingItem(s, uuid.UUID(u), b) for s, u, b in session.execute(query)]

    def count_attempt(self, uuids: Iterable[uuid.UUID]) -> None:
        keys = [str(u) for u in uuids]
        with Session(self._engine) as session, session.begin():
            session.execute(
                update(OutboxRow)
                .where(OutboxRow.uuid.in_(keys))
                .values(attempts=OutboxRow.attempts + 1)
            )

    def settle(
        self, acks: list[Ack], set_aside: list[SetAside], now: dt.datetime | None = None
    ) -> None:
        """Record one batch's answer in one transaction: acknowledged and set-aside rows.

        Only rows still pending change: an answer never reopens or rewrites a settled row.
        """
        stamp = _stamp(now or _now())
        table = cast(
            Table, OutboxRow.__table__
        )  # typed as any FromClause; a declared class's is a Table
        pending_key = (table.c.uuid == bindparam("key")) & (table.c.state == State.PENDING)
        with self._engine.begin() as conn:
            if acks:
                conn.execute(
                    update(table)
                    .where(pending_key)
                    .values(state=State.SENT, receipt_number=bindparam("receipt"), acked_at=stamp),
                    [{"key": str(a.uuid), "receipt": a.receipt_number} for a in acks],
                )
            if set_aside:
                conn.execute(
                    update(table)
                    .where(pending_key)
                    .values(
                        state=State.REJECTED,
                        error_code=bindparam("code"),
                        error_ja=bindparam("ja"),
                        error_en=bindparam("en"),
                        acked_at=stamp,
                    ),
                    [
                        {"key": str(i.uuid), "code": i.code, "ja": i.ja, "en": i.en}
                        for i in set_aside
                    ],
                )

    def requeue_rejected(self, key: uuid.UUID | None = None) -> int:
        """Put set-aside rows back in the queue (after the office fixed the cause)."""
        query = update(OutboxRow).where(OutboxRow.state == State.REJECTED)
        if key is not None:
            query = query.where(OutboxRow.uuid == str(key))
        with Session(self._engine) as session, session.begin():
            result = session.execute(
                query.values(
                    state=State.PENDING,
                    error_code=None,
                    error_ja=None,
                    error_en=None,
                    acked_at=None,
                )
            )
            return int(cast("CursorResult[Any]", result).rowcount or 0)

    def rejected(self) -> list[RejectedItem]:
        query = select(OutboxRow).where(OutboxRow.state == State.REJECTED).order_by(OutboxRow.seq)
        with Session(self._engine) as session:
            return [
                RejectedItem(
                    uuid=uuid.UUID(r.uuid),
                    template_id=r.template_id,
                    template_version=r.template_version,
                    reception_number=r.reception_number,
                    created_at=r.created_at,
                    code=r.error_code or "",
                    ja=r.error_ja or "",
                    en=r.error_en or "",
                )
                for r in session.scalars(query)
            ]

    def receipt(self, key: uuid.UUID) -> tuple[State, str | None] | None:
        """The state and the back office's receipt number of one record (None if unknown)."""
        with Session(self._engine) as session:
            row = session.execute(
                select(OutboxRow.state, OutboxRow.receipt_number).where(OutboxRow.uuid == str(key))
            ).first()
        return None if row is None else (State(row[0]), row[1])

    def status(self) -> OutboxStatus:
        with Session(self._engine) as session:
            counts = dict(
                session.execute(
                    select(OutboxRow.state, func.count()).group_by(OutboxRow.state)
                ).all()
            )
            oldest = session.scalar(
                select(func.min(OutboxRow.created_at)).where(OutboxRow.state == State.PENDING)
            )
            last = session.scalar(
                select(func.max(OutboxRow.acked_at)).where(OutboxRow.state == State.SENT)
            )
        return OutboxStatus(
            pending=counts.get(State.PENDING, 0),
            sent=counts.get(State.SENT, 0),
            rejected=counts.get(State.REJECTED, 0),
            oldest_pending_at=oldest,
            last_acked_at=last,
        )

    def purge(
        self, now: dt.datetime | None = None, retention: dt.timedelta = DEFAULT_RETENTION
    ) -> int:
        """Delete acknowledged rows older than the retention window; log the count only."""
        cutoff = _stamp((now or _now()) - retention)
        with Session(self._engine) as session, session.begin():
            result = session.execute(
                delete(OutboxRow).where(OutboxRow.state == State.SENT, OutboxRow.acked_at < cutoff)
            )
            removed = int(cast("CursorResult[Any]", result).rowcount or 0)
        if removed:
            log.info(
                "outbox purge: %d acknowledged record(s) older than %s removed",
                removed,
                _describe(retention),
            )
        return removed

    def integrity_check(self) -> str:
        with self._engine.connect() as conn:
            return str(conn.exec_driver_sql("PRAGMA integrity_check").scalar())


def _describe(retention: dt.timedelta) -> str:
    if retention.total_seconds() % 86400 == 0:
        return f"{retention.days} day(s)"
    return f"{retention.total_seconds():.0f} s"
