"""The back office's tables (SQLAlchemy 2 typed mappings).

Datetimes are stored in UTC and always come back timezone-aware (`UTCDateTime`), on SQLite
as on PostgreSQL. Schema changes go through Alembic (`backoffice/migrations`), never
`create_all`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from uuid import UUID

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from forms.clock import office_clock


class UTCDateTime(TypeDecorator[dt.datetime]):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    """A stamp (aware UTC) for rows no office date depends on: audit entries, revocations."""
    return office_clock().now()


class Base(DeclarativeBase):
    pass


class Terminal(Base):
    __tablename__ = "terminals"
    __table_args__ = (UniqueConstraint("offline_letter", name="uq_terminals_offline_letter"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # A kiosk's Ed25519 public key (PEM): it signs the data QR on the pages the kiosk prints,
    # so a paper copy can be scanned back in (paper import).
    signing_public_key: Mapped[str | None] = mapped_column(Text, nullable=True)
    # A kiosk's own call-number letter for when the back office is out of reach: the back
    # office never issues it (services.call_numbers), so the two never meet.
    offline_letter: Mapped[str | None] = mapped_column(String(1), nullable=True)
    # Two-person rule (a credential that reads records): made pending by one admin, activated
    # by another or by the server's own command line. Active when `activated_at` is set.
    created_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    activated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    activated_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    # The office key this terminal last pulled (kiosks seal to it), and since when: decides
    # when an older office key may be retired (backoffice.office_keys).
    office_key_fingerprint: Mapped[str | None] = mapped_column(String(40), nullable=True)
    office_key_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def pending(self) -> bool:
        return self.activated_at is None

    @property
    def signing_key_fingerprint(self) -> str | None:
        if self.signing_public_key is None:
            return None
        from backoffice.signing_keys import key_fingerprint

        return key_fingerprint(self.signing_public_key)

    def __repr__(self) -> str:
        return f"Terminal(name={self.name!r}, role={self.role!r})"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    activated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    activated_by: Mapped[str | None] = mapped_column(String(80), nullable=True)

    @property
    def pending(self) -> bool:
        return self.activated_at is None

    def __repr__(self) -> str:
        return f"User(username={self.username!r}, role={self.role!r})"


class UserSession(Base):
    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship(lazy="joined")


class PublishedTemplate(Base):
    __tablename__ = "templates"
    __table_args__ = (UniqueConstraint("template_id", "version", name="uq_templates_id_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    yaml_text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by: Mapped[str] = mapped_column(String(80))


class ReceiptCounter(Base):
    """The last receipt number given out in a year; its row lock orders concurrent ingests."""

    __tablename__ = "receipt_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (
        Index("ix_applications_queue", "status", "template_id", "received_at"),
        Index("ix_applications_received_at", "received_at"),
        Index("ix_applications_visit_key", "visit_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)  # the kiosk's idempotency key
    receipt_number: Mapped[str] = mapped_column(String(16), unique=True)
    body_sha256: Mapped[str] = mapped_column(String(64))  # metadata + sealed text, for replays
    template_id: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[int] = mapped_column(Integer)
    kiosk_id: Mapped[str] = mapped_column(String(64))  # as the kiosk says
    terminal: Mapped[str] = mapped_column(String(64))  # as its credential says
    mode: Mapped[str] = mapped_column(String(16))
    reception_number: Mapped[str] = mapped_column(String(32))  # printed on the slip
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # at the kiosk
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16))
    status_changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    status_changed_by: Mapped[str] = mapped_column(String(80))
    return_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    record_json: Mapped[str] = mapped_column(Text)  # forms.record.SessionRecord
    measurement_json: Mapped[str] = mapped_column(Text)
    # Loaded only when asked for: the queue lists hundreds of rows, never their PDFs.
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    # "kiosk" (synced) or "paper" (a printed form's data QR scanned back in, see
    # services.paper); a paper import has no PDF until the kiosk's copy arrives.
    source: Mapped[str] = mapped_column(String(16), default="kiosk")
    has_pdf: Mapped[bool] = mapped_column(Boolean, default=True)
    paper_imported_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    paper_imported_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    called_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)  # 呼出し
    # The visit's short call number ("A-023") when the kiosk sent one (IngestRecord).
    call_number: Mapped[str | None] = mapped_column(String(5), nullable=True)
    # The visit: the kiosk session's record id, shared by every form the session produced
    # (filled at ingest and at paper import, which read it from the same record, so a paper
    # copy and the kiosk's copy always land in one visit). See services.visits.
    visit_key: Mapped[UUID] = mapped_column(Uuid)
    # When the retention run erased the individual number (and the PDF that printed it) once
    # the form's need ended (番号法 第20条); the rest of the record stays (forms.retention).
    individual_number_erased_at: Mapped[dt.datetime | None] = mapped_column(
        UTCDateTime, nullable=True
    )
    # Bumped by every change the queue shows: the queue's ETag is built from it.
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:  # no personal data
        return f"Application(receipt_number={self.receipt_number!r}, status={self.status!r})"


class RetentionSetting(Base):
    """An admin's shorter retention for one template (never longer than it declares)."""

    __tablename__ = "retention_settings"

    template_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    years: Mapped[int | None] = mapped_column(Integer, nullable=True)
    individual_number_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    set_by: Mapped[str] = mapped_column(String(80))
    set_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class StatusChange(Base):
    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    actor: Mapped[str] = mapped_column(String(80))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class IdentityCheck(Base):
    """Which identity document reception staff saw for an application, and who saw it."""

    __tablename__ = "identity_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    document: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(100), nullable=True)  # which "other"
    actor: Mapped[str] = mapped_column(String(80))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class AuditEntry(Base):
    """Who read or changed what, when: ids only, never personal data."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(120))


# -- the counter: call numbers, routing, alerts, heartbeats ------------------------------


class CallNumberCounter(Base):
    """The last call number given out on an office day; its row lock orders the kiosks."""

    __tablename__ = "call_number_counters"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    letter: Mapped[str] = mapped_column(String(1))
    last: Mapped[int] = mapped_column(Integer, default=0)


class CallNumber(Base):
    """One call number issued by the back office to one kiosk visit (all its forms)."""

    __tablename__ = "call_numbers"
    __table_args__ = (
        UniqueConstraint("day", "call_number", name="uq_call_numbers_day_number"),
        UniqueConstraint("day", "terminal", "visit", name="uq_call_numbers_day_visit"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date)  # the office day (office time zone)
    call_number: Mapped[str] = mapped_column(String(5))
    terminal: Mapped[str] = mapped_column(String(64))  # the kiosk that asked
    visit: Mapped[str] = mapped_column(String(32))  # the kiosk's reception number
    procedures: Mapped[str] = mapped_column(Text)  # JSON list of template ids
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Routing(Base):
    """Where the residents of one procedure go (admin configuration)."""

    __tablename__ = "routing"

    template_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    counter: Mapped[str] = mapped_column(String(8))
    section_ja: Mapped[str] = mapped_column(String(40))
    section_en: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer, default=0)  # the admin's order


class Alert(Base):
    """A kiosk's call for staff (職員を呼ぶ) or machine fault; acknowledged once, by one person."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_open", "acknowledged_at", "received_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)  # made on the kiosk
    kiosk: Mapped[str] = mapped_column(String(64))  # the terminal's name, from its credential
    kind: Mapped[str] = mapped_column(String(16))
    step: Mapped[str | None] = mapped_column(String(32), nullable=True)
    detail: Mapped[str] = mapped_column(String(200), default="")
    raised_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # the kiosk's clock
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # the office's clock
    acknowledged_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class KioskHeartbeat(Base):
    """The last heartbeat of each kiosk (machine state only, no personal data)."""

    __tablename__ = "kiosk_heartbeats"

    terminal: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    heartbeat_json: Mapped[str] = mapped_column(Text)  # sync.protocol.counter.Heartbeat


class OfficeKeyRecord(Base):
    """One X25519 office key pair's history (the private halves stay in files, never here).

    The current key is the one not superseded; older keys still open records and paper sealed
    to them until retired (`backoffice.office_keys`).
    """

    __tablename__ = "office_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(40), unique=True)
    public_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    superseded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    retired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    retired_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    retired_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)

    def __repr__(self) -> str:
        return f"OfficeKeyRecord(fingerprint={self.fingerprint!r})"


class Enrolment(Base):
    """A one-time enrolment code for a new kiosk or reception terminal (`services.enrolment`).

    Only hashes of the code are kept: `lookup` (its first group, to find the row) and the
    SHA-256 of the whole code; `proof` lets the new machine check, before it sends the code,
    that it talks to the office that made it (an HMAC over the office CA keyed by the code).
    """

    __tablename__ = "enrolments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    lookup: Mapped[str] = mapped_column(String(8), index=True)
    code_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    proof: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(80))
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    used_from: Mapped[str | None] = mapped_column(String(64), nullable=True)

    def __repr__(self) -> str:  # never the code
        return f"Enrolment(name={self.name!r}, role={self.role!r})"


class EnrolmentFailure(Base):
    """A wrong enrolment code from one address (5 within the window lock that address out)."""

    __tablename__ = "enrolment_failures"
    __table_args__ = (Index("ix_enrolment_failures_address_at", "address", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ReservationRow(Base):
    """One imported 転入予約 (引越しワンストップ; `backoffice.services.reservations`).

    `match_name` is the applicant's name folded (`forms.reservation.fold_name`); the match asks
    it AND `birth_date` AND the office date inside the window. `data_json` is the whole
    reservation (`Reservation.as_dict`), `content_sha256` tells a replay from a changed one.
    """

    __tablename__ = "reservations"
    __table_args__ = (Index("ix_reservations_birth_window", "birth_date", "window_start"),)

    reservation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    match_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    window_start: Mapped[dt.date] = mapped_column(Date)
    window_end: Mapped[dt.date] = mapped_column(Date)
    data_json: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    imported_by: Mapped[str] = mapped_column(String(80))

    def __repr__(self) -> str:  # never personal data
        return f"ReservationRow(reservation_id={self.reservation_id!r})"
