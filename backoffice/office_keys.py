"""The office's X25519 key pairs: the current one, which kiosks seal to, and the older ones.

Paper data QR codes live 5 years and a kiosk may sit offline through a rotation, so a key
that is replaced is kept: `madoguchi backoffice keys rotate` makes a new pair and moves the
old private key aside, and the back office goes on opening whatever was sealed to any key it
still holds. Kiosks pull the current public key through sync (`GET /office-keys`) and seal
new rows to it.

Files (in the data folder, 0600 in 0700 folders whatever the umask):

    office_key.pem, office_key.pub.pem   the current pair (unchanged name: the first key)
    office_keys/<16 hex>.pem             every earlier private key not yet retired

The database (`office_keys`) keeps each key's public half, fingerprint and history (made,
superseded, retired, by whom and why); private halves never enter it. The files lead: on
start and whenever they change, the table is brought in line with them (`record_keys`), so
a rotation that stopped half way is finished by the next start.

Retirement (`retire`) deletes an old private key for good. It is refused while anything
sealed to it can still arrive (`retirement_blockers`): while it is current, while an active
kiosk has not yet pulled a newer key, and until the longest life of a printed data QR
(5 years) has passed since its last possible use. `--force` with a reason overrides; both
the refusal and a forced retirement are audited and logged.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backoffice.errors import BackofficeError
from backoffice.models import OfficeKeyRecord, Terminal, utcnow
from forms.payload import keys
from forms.payload.kinds import PayloadKind
from forms.private_files import private_dir
from sync.protocol import SealedContent
from sync.protocol.vocabulary import Role
from sync.sealing import SealWrongKey, open_sealed

log = logging.getLogger(__name__)

PREVIOUS_DIR = "office_keys"
PAPER_LIFE = PayloadKind.PAPER.max_lifetime


class OfficeKeyNotFound(BackofficeError):
    code = "office_key_not_found"
    http_status = 404

    def __init__(self, fingerprint: str) -> None:
        super().__init__(
            f"窓口鍵 {fingerprint} はありません", f"no office key with fingerprint {fingerprint}"
        )


class RetirementRefused(BackofficeError):
    """An old key may still be needed: the reasons say what could still arrive sealed to it."""

    code = "office_key_in_use"
    http_status = 409

    def __init__(self, fingerprint: str, reasons_ja: list[str], reasons_en: list[str]) -> None:
        super().__init__(
            f"窓口鍵 {fingerprint} はまだ廃棄できません: " + "、".join(reasons_ja),
            f"office key {fingerprint} cannot be retired yet: " + "; ".join(reasons_en),
        )
        self.reasons = reasons_en


class ReasonRequiredToForce(BackofficeError):
    code = "reason_required"

    def __init__(self) -> None:
        super().__init__(
            "強制廃棄には理由（--reason）が必要です", "a forced retirement needs a --reason"
        )


def _hex(fingerprint: str) -> str:
    return fingerprint.removeprefix("sha256:")


@dataclass(frozen=True)
class HeldKey:
    fingerprint: str
    private: X25519PrivateKey
    path: Path


class OfficeKeyRing:
    """Every office private key this back office holds, current first (thread-safe)."""

    def __init__(self, data_dir: Path, private_name: str, public_name: str) -> None:
        self.data_dir = data_dir
        self.current_path = data_dir / private_name
        self.public_path = data_dir / public_name
        self.previous_dir = data_dir / PREVIOUS_DIR
        self._lock = threading.Lock()
        self._stamp: tuple[object, ...] | None = None
        self._held: tuple[HeldKey, ...] = ()
        self.load()

    def __repr__(self) -> str:
        return f"OfficeKeyRing({[k.fingerprint for k in self._held]})"

    # -- files ----------------------------------------------------------------------------

    def _file_stamp(self) -> tuple[object, ...]:
        def stat(path: Path) -> tuple[int, int, int] | None:
            try:
                info = path.stat()
            except FileNotFoundError:
                return None
            return (info.st_ino, info.st_mtime_ns, info.st_size)

        previous = sorted(self.previous_dir.glob("*.pem")) if self.previous_dir.exists() else []
        return (stat(self.current_path), *((p.name, stat(p)) for p in previous))

    def load(self) -> None:
        """(Re)read the files; the current pair is made on first start."""
        with self._lock:
            current = keys.load_or_create_counter_key(self.current_path, self.public_path)
            held = [HeldKey(keys.fingerprint(current.public_key()), current, self.current_path)]
            if self.previous_dir.exists():
                for path in sorted(self.previous_dir.glob("*.pem")):
                    key = keys.load_counter_private_key(path)
                    name = keys.fingerprint(key.public_key())
                    if all(h.fingerprint != name for h in held):
                        held.append(HeldKey(name, key, path))
            self._held = tuple(held)
            self._stamp = self._file_stamp()

    def refresh(self) -> bool:
        """Re-read the files if they changed (a few stat calls); True if they did."""
        stamp = self._file_stamp()
        if stamp == self._stamp:
            return False
        self.load()
        return True

    @property
    def current(self) -> X25519PrivateKey:
        return self._held[0].private

    @property
    def current_fingerprint(self) -> str:
        return self._held[0].fingerprint

    @property
    def held(self) -> tuple[HeldKey, ...]:
        return self._held

    def private_keys(self) -> list[X25519PrivateKey]:
        return [h.private for h in self._held]

    # -- opening --------------------------------------------------------------------------

    def open_sealed(self, sealed: str) -> tuple[SealedContent, str]:
        """Open a sealed record with whichever held key it was sealed to (newest first).

        The wire form names no key, so each is tried: a wrong key fails the AEAD tag at once
        (one X25519 and one AES-GCM tag check, ~0.05 ms). Raises SealError if none opens it.
        """
        for held in self._held[:-1]:
            with contextlib.suppress(SealWrongKey):  # anything else: no key does better
                return open_sealed(sealed, held.private), held.fingerprint
        last = self._held[-1]
        return open_sealed(sealed, last.private), last.fingerprint

    # -- rotation -------------------------------------------------------------------------

    def rotate(self) -> tuple[str, str]:
        """Make a new current pair; keep the old private key aside. Returns (old, new).

        Order for a crash at any point: the old key is copied aside first (a second copy is
        harmless), then the current files are replaced atomically.
        """
        with self._lock:
            old = keys.load_or_create_counter_key(self.current_path, self.public_path)
        old_name = keys.fingerprint(old.public_key())
        private_dir(self.previous_dir)
        kept = self.previous_dir / f"{_hex(old_name)}.pem"
        with contextlib.suppress(keys.KeyFileError):  # already kept by a rotation cut short
            keys.save_private_key(old, kept)
        if keys.fingerprint(keys.load_counter_private_key(kept).public_key()) != old_name:
            raise keys.KeyFileError(kept, "別の鍵です", "holds another key")
        new, public = keys.generate_counter_keypair()
        keys.save_private_key(new, self.current_path, overwrite=True)
        keys.save_public_key(public, self.public_path)
        self.load()
        return old_name, keys.fingerprint(public)

    def forget(self, fingerprint: str) -> None:
        """Delete a previous private key's file (never the current one)."""
        for held in self._held[1:]:
            if held.fingerprint == fingerprint:
                held.path.unlink(missing_ok=True)
                _fsync_dir(held.path.parent)
        self.load()


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- the table ------------------------------------------------------------------------------


def record_keys(session: Session, ring: OfficeKeyRing, now: dt.datetime | None = None) -> None:
    """Bring `office_keys` in line with the files: every held key has a row, the current
    key's row is not superseded, and every other row is."""
    now = now or utcnow()
    rows = {r.fingerprint: r for r in session.scalars(select(OfficeKeyRecord))}
    for held in ring.held:
        if held.fingerprint in rows:
            continue
        row = OfficeKeyRecord(
            fingerprint=held.fingerprint,
            public_pem=keys.public_pem(held.private.public_key()).decode("ascii"),
            created_at=now,
        )
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:  # another worker recorded it meanwhile
            row = session.scalars(
                select(OfficeKeyRecord).where(OfficeKeyRecord.fingerprint == held.fingerprint)
            ).one()
        rows[held.fingerprint] = row
    current = ring.current_fingerprint
    for fingerprint, row in rows.items():
        if fingerprint == current:
            row.superseded_at = None
        elif row.superseded_at is None:
            row.superseded_at = now
    session.flush()


def key_records(session: Session) -> list[OfficeKeyRecord]:
    """Every office key's row, newest first."""
    return list(
        session.scalars(
            select(OfficeKeyRecord).order_by(
                OfficeKeyRecord.created_at.desc(), OfficeKeyRecord.id.desc()
            )
        )
    )


def note_pull(session: Session, terminal_name: str, fingerprint: str, now: dt.datetime) -> None:
    """A terminal fetched the current key: remember which, and since when it has had it."""
    terminal = session.scalar(select(Terminal).where(Terminal.name == terminal_name))
    if terminal is None or terminal.office_key_fingerprint == fingerprint:
        return
    terminal.office_key_fingerprint = fingerprint
    terminal.office_key_since = now


def retirement_blockers(
    session: Session, row: OfficeKeyRecord, now: dt.datetime
) -> tuple[list[str], list[str]]:
    """Why the key of `row` may still be needed (Japanese and English reasons); empty if not."""
    ja: list[str] = []
    en: list[str] = []
    if row.superseded_at is None:
        return ["現在の鍵です（先に keys rotate）"], ["it is the current key (rotate first)"]
    newer = {
        r.fingerprint
        for r in session.scalars(
            select(OfficeKeyRecord).where(OfficeKeyRecord.created_at > row.created_at)
        )
    }
    kiosks = list(
        session.scalars(
            select(Terminal).where(
                Terminal.role == Role.KIOSK.value,
                Terminal.revoked_at.is_(None),
                Terminal.activated_at.is_not(None),
            )
        )
    )
    behind = sorted(t.name for t in kiosks if t.office_key_fingerprint not in newer)
    if behind:
        names = ", ".join(behind[:10]) + (" …" if len(behind) > 10 else "")
        ja.append(f"新しい鍵をまだ取得していない窓口端末があります（{names}）")
        en.append(f"kiosks still without a newer key may seal to it ({names})")
    last_use = max(
        [row.superseded_at, *(t.office_key_since for t in kiosks if t.office_key_since)],
    )
    until = last_use + PAPER_LIFE
    if now < until:
        day = until.date().isoformat()
        ja.append(f"印刷された申請書の QR が {day} まで届く可能性があります")
        en.append(f"printed data QR codes sealed to it may arrive until {day}")
    return ja, en


def find_record(session: Session, fingerprint: str) -> OfficeKeyRecord:
    row = session.scalar(select(OfficeKeyRecord).where(OfficeKeyRecord.fingerprint == fingerprint))
    if row is None:
        raise OfficeKeyNotFound(fingerprint)
    return row


def retire(
    session: Session,
    fingerprint: str,
    actor: str,
    *,
    force: bool = False,
    reason: str | None = None,
    now: dt.datetime | None = None,
) -> OfficeKeyRecord:
    """Mark an old key retired, or raise RetirementRefused (see the module docstring).

    The caller audits (a refusal, raised here, and a forced retirement alike), commits, and
    only then deletes the private key's file (`OfficeKeyRing.forget`): a failed commit must
    not leave a key deleted that the table still lists.
    """
    now = now or utcnow()
    row = find_record(session, fingerprint)
    if row.retired_at is not None:
        return row
    ja, en = retirement_blockers(session, row, now)
    if row.superseded_at is None:  # never, not even forced: it is what kiosks seal to now
        raise RetirementRefused(fingerprint, ja, en)
    if en and not force:
        raise RetirementRefused(fingerprint, ja, en)
    if force and not (reason and reason.strip()):
        raise ReasonRequiredToForce()
    row.retired_at = now
    row.retired_by = actor
    row.retired_reason = reason.strip()[:200] if (force and reason) else None
    session.flush()
    if en:
        log.warning(
            "office key %s retired by force by %s despite: %s (reason: %s)",
            fingerprint,
            actor,
            "; ".join(en),
            row.retired_reason,
        )
    else:
        log.info("office key %s retired by %s", fingerprint, actor)
    return row
