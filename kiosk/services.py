"""The real parts behind `kiosk.ports`: the card thread, the QR payload codec and frame reader,
the confirm step (kiosk.confirm → sync outbox) and the print spooler.

Each adapter only translates calls; it keeps no personal data. Every blocking wait has a
timeout (`devices.card.wait`, the spooler's own command timeouts).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from devices.card import CardService, wait
from forms.catalog import Catalog
from forms.payload import KeyRing, decode_payload
from forms.record import CardData, SessionRecord
from forms.template import Template
from kiosk.ports import Confirmation, QrResult
from printing.spool import Spooler
from sync.outbox import Outbox
from sync.protocol import Mode as WireMode

log = logging.getLogger(__name__)

CARD_TIMEOUT_S = 30.0
TRIES_TIMEOUT_S = 10.0


class CardServiceReader:
    """`kiosk.ports.CardReader` over the card family's worker thread (`devices.card`)."""

    def __init__(self, service: CardService, *, reader: str | None = None) -> None:
        self.service = service
        self.reader = reader

    def tries_left(self) -> int:
        return wait(self.service.tries_left(self.reader), timeout=TRIES_TIMEOUT_S)

    def read(self, pin: bytearray, *, confirm_last_try: bool, individual_number: bool) -> CardData:
        def provide(_tries_left: int) -> bytearray:
            return pin  # devices.card.pin copies it into its own buffer and wipes that

        try:
            future = self.service.read(
                self.reader,
                pin=provide,
                confirm_last_try=lambda: confirm_last_try,
                individual_number=individual_number,
            )
            return wait(future, timeout=CARD_TIMEOUT_S)
        finally:
            pin[:] = bytes(len(pin))

    def card_present(self) -> bool:
        state = self.service.state  # the card thread's last poll: no I/O here
        if self.reader is not None:
            return state.get(self.reader, False)
        return any(state.values())


class PayloadQrDecoder:
    """`kiosk.ports.QrDecoder` over `forms.payload` and `devices.qr.FrameReader`."""

    def __init__(self, keys: KeyRing, catalog: Catalog) -> None:
        self.keys = keys
        self.catalog = catalog
        self._reader: Any = None  # one FrameReader, made on (and used by) the QR lane thread

    def decode_digits(self, digits: str) -> QrResult:
        decoded = decode_payload(
            digits,
            counter_private_key=self.keys.counter_private,
            signer_public_keys=self.keys.signer_public_keys,
            catalog=self.catalog,
        )
        templates = [self.catalog.get(t, v) for t, v in decoded.templates]
        return QrResult(decoded.record, templates)

    def decode_frame(self, image: bytes) -> QrResult | None:
        from PIL import Image

        from devices.qr import FrameReader

        if self._reader is None:
            self._reader = FrameReader()
        with Image.open(io.BytesIO(image)) as picture:
            found = self._reader.read(picture)
        for code in found:
            if code.text.isdigit():
                return self.decode_digits(code.text)
        return None


class OutboxConfirmer:
    """`kiosk.ports.Confirmer` over `kiosk.confirm.confirm_application`, plus the slip."""

    def __init__(
        self,
        outbox: Outbox,
        *,
        office_public_key: X25519PublicKey,
        kiosk_id: str,
        office_name: str | None = None,
    ) -> None:
        self.outbox = outbox
        self.office_public_key = office_public_key
        self.kiosk_id = kiosk_id
        self.office_name = office_name

    def confirm(
        self,
        record: SessionRecord,
        templates: list[Template],
        *,
        signature_png: bytes,
        mode: str,
        measurement: dict[str, Any] | None = None,
    ) -> Confirmation:
        from kiosk.confirm import confirm_application
        from printing.slip import render_slip

        issued = dt.datetime.now(dt.UTC)
        wire_mode = WireMode.STAFF if mode == "staff_assisted" else WireMode.RESIDENT
        result = confirm_application(
            record,
            templates,
            outbox=self.outbox,
            office_public_key=self.office_public_key,
            kiosk_id=self.kiosk_id,
            mode=wire_mode,
            signature_png=signature_png,
            measurement=measurement,
            now=issued,
        )
        slip_args: dict[str, Any] = {}
        if self.office_name:
            slip_args["office_name"] = self.office_name
        slip = render_slip(
            reception_number=result.reception_number,
            procedures=[(f.template.title.ja, f.fee()) for f in result.forms],
            issued_at=issued,
            **slip_args,
        )
        return Confirmation(result.reception_number, result.pdf, slip)


class SpoolerPrinter:
    """`kiosk.ports.Printer` over a `printing.spool` spooler (CUPS, or a folder)."""

    def __init__(self, spooler: Spooler) -> None:
        self.spooler = spooler
        self.printed: list[str] = []  # where a folder spooler put each document (the demo)

    def print_pdf(self, pdf: bytes, *, title: str) -> None:
        result = self.spooler.print_pdf(pdf, title=title)
        if result.path is not None:
            self.printed.append(str(result.path))
