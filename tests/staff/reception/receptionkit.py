"""Helpers of the reception tests: the running back office, kiosk pushes through the real sync
client, printed data QR codes, and sample residents' strings to grep for."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from backoffice.context import open_context
from backoffice.devserver import serve_subprocess
from backoffice.services import accounts
from backoffice.settings import BackofficeSettings
from forms.catalog import Catalog
from forms.record import SessionRecord
from sync.application import make_ingest_records
from sync.client import OfficeClient
from sync.protocol import IngestResult
from sync.protocol.vocabulary import Role
from tests.backoffice.backoffice_factory import (
    PDF,
    personal_strings,
    sample_for,
    samples,
    signing_pair,
    template_keys,
)

PASSWORD = "reception desk 2026"
KIOSK = "kiosk-r1"

__all__ = [
    "PDF",
    "Office",
    "personal_strings",
    "sample_for",
    "samples",
    "start_office",
    "template_keys",
]


@dataclass
class Office:
    url: str
    data_dir: Path
    log_path: Path
    public_key: X25519PublicKey
    kiosk_key: Ed25519PrivateKey = field(repr=False)
    kiosk_token: str = field(repr=False)
    users: dict[str, str] = field(default_factory=dict)  # role → username

    def api(self, role: str) -> OfficeClient:
        api = OfficeClient(self.url, timeout=10)
        api.login(self.users[role], PASSWORD)
        return api

    def push(
        self,
        record: SessionRecord,
        templates: list[tuple[str, int]],
        *,
        reception_number: str = "R-001",
        measurement: dict[str, Any] | None = None,
        created_at: dt.datetime | None = None,
        pdf: bytes = PDF,
        call_number: str | None = None,
    ) -> list[IngestResult]:
        """What the kiosk's sync does: seal, POST /ingest with the terminal token."""
        catalog = Catalog.builtin()
        records = make_ingest_records(
            record,
            [catalog.get(template_id, version) for template_id, version in templates],
            {template_id: pdf for template_id, _ in templates},
            kiosk_id=KIOSK,
            mode="resident",
            reception_number=reception_number,
            office_public_key=self.public_key,
            measurement=measurement,
            created_at=created_at,
            call_number=call_number,
        )
        with OfficeClient(self.url, self.kiosk_token) as client:
            return client.ingest([r.model_dump_json() for r in records]).results

    def submit(self, template_id: str = "juminhyo", **kw: Any) -> tuple[SessionRecord, str]:
        """A fresh application (a new session id) from a sample resident; its receipt."""
        record = sample_for(template_id, Catalog.builtin().versions(template_id)[-1])
        record = record.model_copy(update={"id": uuid.uuid4()})
        version = Catalog.builtin().versions(template_id)[-1]
        [result] = self.push(record, [(template_id, version)], **kw)
        assert result.status.value == "accepted", result
        assert result.receipt_number is not None
        return record, result.receipt_number

    def push_visit(
        self, sample: str, forms: list[str], *, reception_number: str
    ) -> tuple[SessionRecord, str, list[str]]:
        """A kiosk visit as confirm makes it: a call number from the back office for the
        visit, then every form pushed through the sync client. (record, number, receipts)"""
        from sync.protocol.counter import CallNumberRequest

        record = samples()[sample].model_copy(update={"id": uuid.uuid4()})
        with OfficeClient(self.url, self.kiosk_token) as client:
            issued = client.call_number(CallNumberRequest(visit=reception_number, procedures=forms))
        catalog = Catalog.builtin()
        results = self.push(
            record,
            [(t, catalog.versions(t)[-1]) for t in forms],
            reception_number=reception_number,
            call_number=issued.call_number,
        )
        assert [r.status.value for r in results] == ["accepted"] * len(forms), results
        return record, issued.call_number, [str(r.receipt_number) for r in results]

    def data_qr(self, record: SessionRecord, template_id: str, version: int) -> str:
        """The digits the kiosk stamps on a printed page (printing.data_qr)."""
        from printing.data_qr import DataQrStamper

        template = Catalog.builtin().get(template_id, version)
        return DataQrStamper(self.kiosk_key, self.public_key).digits(record, template)

    def log_text(self) -> str:
        return self.log_path.read_text("utf-8", errors="replace")


@contextlib.contextmanager
def start_office(root: Path) -> Iterator[Office]:
    data_dir = root / "office"
    settings = BackofficeSettings(data_dir=data_dir)
    context = open_context(settings)  # migrate, seed, make the key pair
    kiosk_key, kiosk_pem = signing_pair()
    try:
        with context.sessions() as session, session.begin():
            token = accounts.add_terminal(session, KIOSK, Role.KIOSK, kiosk_pem)
            accounts.add_user(session, "sato", Role.STAFF, PASSWORD)
            accounts.add_user(session, "suzuki", Role.STAFF, PASSWORD)
            accounts.add_user(session, "admin", Role.ADMIN, PASSWORD)
        public_key = context.private_key.public_key()
    finally:
        context.close()
    log_path = root / "server.log"
    with serve_subprocess(
        data_dir=data_dir, db_url=settings.database_url, log_path=log_path, start_timeout=30
    ) as url:
        yield Office(
            url=url,
            data_dir=data_dir,
            log_path=log_path,
            public_key=public_key,
            kiosk_key=kiosk_key,
            kiosk_token=token,
            users={"staff": "sato", "staff2": "suzuki", "admin": "admin"},
        )
