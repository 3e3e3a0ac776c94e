"""Paper import: a printed form's data QR scanned back in at reception.

Every page a kiosk prints carries a data QR: the session record for that form, signed with the
kiosk's Ed25519 key and encrypted to the back office's X25519 key (the key records are sealed
to), in `forms.payload` digits. When the kiosk's sync never delivered (a broken kiosk, a
network cut), reception scans the paper and the application becomes digital again without
retyping.

The import uses the idempotency key the kiosk uses (`sync.protocol.ingest_key(record id,
template id)`), under the lock of the year's receipt counter that ingest takes too, so the two
paths are ordered and one application results whichever comes first:

* paper first: a new application (`source = paper`, no PDF yet, `body_sha256 = "paper"`); the
  kiosk's copy arriving later is attached to it and answered DUPLICATE (`services.ingest`);
* kiosk first (or a second scan): the existing application is opened, nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.errors import PaperNotFromKiosk, PaperRefused, TemplateNotFound
from backoffice.models import Application, StatusChange, Terminal
from backoffice.registry import TemplateRegistry
from backoffice.services.ingest import PAPER_DIGEST
from backoffice.services.receipts import ReceiptIssuer
from backoffice.signing_keys import parse_signing_key
from forms.catalog import Catalog
from forms.errors import UnknownTemplate
from forms.payload import DecodedPayload, PayloadKind, decode_payload, fingerprint
from forms.payload.errors import PayloadError, SignatureMismatch, WrongKey
from forms.template import Template
from sync.protocol import ingest_key
from sync.protocol.office import PaperImportItem, PaperImportResult, PaperOutcome
from sync.protocol.vocabulary import Role, Status

log = logging.getLogger(__name__)

# Unknown until the kiosk's copy arrives: the data QR carries the record, not the slip.
PAPER_MODE = "unknown"
PAPER_RECEPTION_NUMBER = ""


class _RegistryCatalog(Catalog):
    """`forms.payload.decode_payload` looks templates up here: the published versions."""

    def __init__(self, registry: TemplateRegistry, session: Session) -> None:
        super().__init__()
        self._registry = registry
        self._session = session

    def get(self, template_id: str, version: int | None = None) -> Template:
        try:
            if version is None:
                versions = self._registry.versions(self._session, template_id)
                if not versions:
                    raise UnknownTemplate(template_id, None)
                version = versions[-1]
            return self._registry.get(self._session, template_id, version)
        except TemplateNotFound:
            raise UnknownTemplate(template_id, version) from None


@dataclass(frozen=True)
class _Signer:
    terminal: str
    key: Ed25519PublicKey


class PaperImporter(ReceiptIssuer):
    def _signers(self, session: Session) -> dict[str, _Signer]:
        """Fingerprint → kiosk, for every active kiosk terminal with a registered key."""
        out: dict[str, _Signer] = {}
        rows = session.scalars(
            select(Terminal).where(
                Terminal.role == Role.KIOSK.value,
                Terminal.revoked_at.is_(None),
                Terminal.signing_public_key.is_not(None),
            )
        )
        for terminal in rows:
            key = parse_signing_key(terminal.signing_public_key or "")
            out[fingerprint(key)] = _Signer(terminal.name, key)
        return out

    def import_digits(
        self, digits: str, actor: str, *, now: dt.datetime | None = None
    ) -> PaperImportResult:
        self._keys.refresh()
        with self._sessions() as session, session.begin():
            signers = self._signers(session)
            try:
                decoded = self._decode(digits, signers, session, now)
            except SignatureMismatch:
                log.info("paper import refused: not signed by a registered kiosk")
                raise PaperNotFromKiosk() from None
            except PayloadError as exc:
                log.info("paper import refused: %s", exc.code)
                raise PaperRefused(exc.ja, exc.en, exc.code) from None
        signer = signers[decoded.signer].terminal
        items = self._store(decoded, signer, actor)
        return PaperImportResult(items=items, signer=signer)

    def _decode(
        self,
        digits: str,
        signers: dict[str, _Signer],
        session: Session,
        now: dt.datetime | None,
    ) -> DecodedPayload:
        """Decode with the office key the QR names (its header carries the recipient's key
        id): the current key, or an older one kept since a rotation (paper lives 5 years)."""
        held = self._keys.private_keys()
        for n, key in enumerate(held):
            try:
                return decode_payload(
                    digits,
                    counter_private_key=key,
                    signer_public_keys=[s.key for s in signers.values()],
                    catalog=_RegistryCatalog(self._registry, session),
                    now=now or self._clock.now(),
                    kind=PayloadKind.PAPER,
                )
            except WrongKey:
                if n == len(held) - 1:
                    raise
        raise AssertionError("the key ring is never empty")

    def _store(self, decoded: DecodedPayload, signer: str, actor: str) -> list[PaperImportItem]:
        record_json = decoded.record.model_dump_json()
        now = self._clock.now()
        year = self._clock.local(now).year
        items: list[PaperImportItem] = []
        with self._sessions() as session, session.begin():
            # The same lock ingest takes first: the kiosk's copy and the paper are ordered.
            last = self._lock_counter(session, year)
            for template_id, version in decoded.templates:
                key = ingest_key(decoded.record.id, template_id)
                existing = session.scalar(
                    select(Application.receipt_number).where(Application.uuid == key)
                )
                if existing is not None:
                    items.append(
                        PaperImportItem(
                            template_id=template_id,
                            template_version=version,
                            receipt_number=existing,
                            outcome=PaperOutcome.EXISTING,
                        )
                    )
                    continue
                last += 1
                receipt = f"{year}-{last:06d}"
                app = Application(
                    uuid=key,
                    receipt_number=receipt,
                    body_sha256=PAPER_DIGEST,
                    template_id=template_id,
                    template_version=version,
                    kiosk_id=signer,
                    terminal=signer,
                    mode=PAPER_MODE,
                    reception_number=PAPER_RECEPTION_NUMBER,
                    created_at=decoded.issued_at,
                    received_at=now,
                    status=Status.RECEIVED.value,
                    status_changed_at=now,
                    status_changed_by=actor,
                    record_json=record_json,
                    visit_key=decoded.record.id,  # the kiosk's copy lands in the same visit
                    measurement_json="{}",
                    pdf=b"",
                    source="paper",
                    has_pdf=False,
                    paper_imported_at=now,
                    paper_imported_by=actor,
                    updated_at=now,
                )
                session.add(app)
                session.flush()
                session.add(
                    StatusChange(
                        application_id=app.id,
                        from_status=None,
                        to_status=Status.RECEIVED.value,
                        reason=None,
                        actor=actor,
                        at=now,
                    )
                )
                items.append(
                    PaperImportItem(
                        template_id=template_id,
                        template_version=version,
                        receipt_number=receipt,
                        outcome=PaperOutcome.IMPORTED,
                    )
                )
            self._set_counter(session, year, last)
        imported = sum(1 for i in items if i.outcome is PaperOutcome.IMPORTED)
        log.info(
            "paper import signer=%s forms=%d imported=%d existing=%d",
            signer,
            len(items),
            imported,
            len(items) - imported,
        )
        return items
