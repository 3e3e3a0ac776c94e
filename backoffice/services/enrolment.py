"""One-time enrolment codes, office side (see `sync.protocol.enrolment` for the exchange).

The code is never stored: only its first group (`lookup`), the SHA-256 of the whole code, and
the proof the new machine checks (an HMAC over the office CA certificate, keyed by the code,
made when the code is). A code is good once, for `settings.enrolment_ttl` (10 minutes). Every
wrong, used or expired code is a failure of the client's address; `enrolment_max_failures`
(5) within `enrolment_failure_window` (1 hour) lock that address out of both steps, even with
a good code. The counts live in the database, so every worker and instance shares them.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backoffice.errors import BackofficeError, BadRole, NameTaken
from backoffice.models import Enrolment, EnrolmentFailure, Terminal
from backoffice.services import accounts
from backoffice.settings import BackofficeSettings
from sync.protocol.enrolment import (
    BadEnrolmentCode,
    code_sha256,
    format_code,
    lookup_of,
    new_code,
    normalise_code,
    proof,
)
from sync.protocol.vocabulary import ENROLMENT_ROLES, Role

log = logging.getLogger(__name__)


class EnrolmentRefused(BackofficeError):
    """Wrong, used or expired: the answer does not say which."""

    code = "enrolment_refused"
    http_status = 401

    def __init__(self) -> None:
        super().__init__(
            "登録コードが違うか、使用済みか、期限切れです。管理者に新しいコードを依頼してください",
            "the enrolment code is wrong, used or expired; ask an admin for a new one",
        )


class EnrolmentLocked(BackofficeError):
    code = "enrolment_locked"
    http_status = 429

    def __init__(self) -> None:
        super().__init__(
            "登録コードの誤りが続いたため、この端末からの登録を一時停止しています",
            "too many wrong enrolment codes from this address: enrolment is locked for a while",
        )


@dataclass(frozen=True)
class Redeemed:
    name: str
    role: Role
    token: str


def read_ca_pem(settings: BackofficeSettings) -> str | None:
    path: Path = settings.ca_cert_path
    try:
        return path.read_text(encoding="ascii")
    except FileNotFoundError:
        return None


def create(
    session: Session,
    name: str,
    role: Role,
    actor: str,
    *,
    ca_pem: str | None,
    ttl: dt.timedelta,
    now: dt.datetime,
) -> tuple[str, Enrolment]:
    """A new enrolment; returns the code (formatted, shown once) and its row."""
    if role not in ENROLMENT_ROLES:
        raise BadRole(role.value, [r.value for r in ENROLMENT_ROLES])
    accounts.check_name(name)
    if session.scalar(select(Terminal.id).where(Terminal.name == name)) is not None:
        raise NameTaken("端末", name)
    live = select(Enrolment).where(Enrolment.used_at.is_(None), Enrolment.expires_at > now)
    if session.scalar(live.where(Enrolment.name == name)) is not None:
        raise NameTaken("登録コード enrolment", name)
    while True:  # the lookup group must find one live enrolment only
        code = new_code()
        if session.scalar(live.where(Enrolment.lookup == lookup_of(code))) is None:
            break
    row = Enrolment(
        name=name,
        role=role.value,
        lookup=lookup_of(code),
        code_sha256=code_sha256(code),
        proof=proof(code, ca_pem),
        created_at=now,
        created_by=actor,
        expires_at=now + ttl,
    )
    session.add(row)
    session.flush()
    return format_code(code), row


def check_address(
    session: Session, address: str, settings: BackofficeSettings, now: dt.datetime
) -> None:
    """Raise EnrolmentLocked while `address` has too many recent failures."""
    since = now - settings.enrolment_failure_window
    count = session.scalar(
        select(func.count(EnrolmentFailure.id)).where(
            EnrolmentFailure.address == address, EnrolmentFailure.at > since
        )
    )
    if (count or 0) >= settings.enrolment_max_failures:
        raise EnrolmentLocked()


def note_failure(session: Session, address: str, now: dt.datetime) -> None:
    session.add(EnrolmentFailure(address=address[:64], at=now))
    log.warning("enrolment: wrong, used or expired code from %s", address)


def hello(session: Session, lookup: str, now: dt.datetime) -> Enrolment:
    """The live enrolment whose code starts with `lookup`, or EnrolmentRefused."""
    row = session.scalar(
        select(Enrolment).where(
            Enrolment.lookup == lookup, Enrolment.used_at.is_(None), Enrolment.expires_at > now
        )
    )
    if row is None:
        raise EnrolmentRefused()
    return row


def redeem(
    session: Session,
    code: str,
    signing_key_pem: str | None,
    address: str,
    now: dt.datetime,
) -> Redeemed:
    """Use the code once: the terminal is made (active) and its token returned."""
    try:
        digest = code_sha256(normalise_code(code))
    except BadEnrolmentCode:
        raise EnrolmentRefused() from None
    row = session.scalar(select(Enrolment).where(Enrolment.code_sha256 == digest).with_for_update())
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise EnrolmentRefused()
    role = Role(row.role)
    token = accounts.add_terminal(
        session,
        row.name,
        role,
        signing_key_pem if role is Role.KIOSK else None,
        created_by=row.created_by,
    )
    row.used_at = now
    row.used_from = address[:64]
    session.flush()
    return Redeemed(row.name, role, token)
