"""The real parts behind `kiosk.ports`: the card thread, the QR payload codec and frame reader,
the confirm step (kiosk.confirm → sync outbox) and the print spooler.

Each adapter only translates calls; it keeps no personal data. Every blocking wait has a
timeout (`devices.card.wait`, the spooler's own command timeouts).

Start-up: what only the confirm and QR lanes need (the outbox's SQLAlchemy, the payload codec,
the printing stack) is imported when first used, on those lanes' threads, not before the
welcome screen shows (`madoguchi bench startup`); `KioskWindow` warms them up after it shows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import io
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devices.card import CardService
from forms.catalog import Catalog
from forms.clock import office_clock
from forms.record import CardData, SessionRecord
from forms.template import Template
from forms.text import Text
from kiosk.ports import Confirmation, Destination, QrResult
from sync.protocol import Mode

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

    from forms.payload import KeyRing
    from printing.data_qr import DataQrStamper
    from printing.spool import Spooler
    from sync.client import OfficeClient
    from sync.counter_link import CounterLink, IssuedCall
    from sync.outbox import Outbox
    from sync.protocol.reservations import ReservationFound

log = logging.getLogger(__name__)


class CardServiceReader:
    """`kiosk.ports.CardReader` over the card family's worker thread (`devices.card`)."""

    def __init__(self, service: CardService, *, reader: str | None = None) -> None:
        self.service = service
        self.reader = reader

    def tries_left(self) -> Future[int]:
        return self.service.tries_left(self.reader)

    def read(
        self, pin: bytearray, *, confirm_last_try: bool, individual_number: bool
    ) -> Future[CardData]:
        def provide(_tries_left: int) -> bytearray:
            return pin  # devices.card.pin copies it into its own buffer and wipes that

        def wipe(_done: Future[CardData]) -> None:
            pin[:] = bytes(len(pin))

        future = self.service.read(
            self.reader,
            pin=provide,
            confirm_last_try=lambda: confirm_last_try,
            individual_number=individual_number,
        )
        future.add_done_callback(wipe)
        return future

    def licence_tries(self) -> Future[tuple[int, int]]:
        return self.service.licence_tries(self.reader)

    def read_domicile(
        self, pin1: bytearray, pin2: bytearray, *, confirm_pin1: bool, confirm_pin2: bool
    ) -> Future[str]:
        def wipe(_done: Future[str]) -> None:
            for pin in (pin1, pin2):
                pin[:] = bytes(len(pin))

        future = self.service.read_domicile(
            self.reader,
            pin1=lambda _tries: pin1,
            pin2=lambda _tries: pin2,
            confirm_last_try=lambda: confirm_pin1,
            confirm_last_try2=lambda: confirm_pin2,
        )
        future.add_done_callback(wipe)
        return future

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
        from forms.payload import decode_payload

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


class OutboxOpener:
    """The kiosk's outbox, opened on first use (from any thread) instead of at start-up.

    Opening means importing SQLAlchemy (~0.3 s) and checking the schema: the confirm lane pays
    it once, or the warm-up after the welcome screen does, never the window's first paint.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._outbox: Outbox | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"OutboxOpener({self.path.name}, open={self._outbox is not None})"

    def get(self) -> Outbox:
        with self._lock:
            if self._outbox is None:
                from sync.outbox import Outbox

                self._outbox = Outbox(self.path)
            return self._outbox

    def close(self) -> None:
        with self._lock:
            if self._outbox is not None:
                self._outbox.close()
                self._outbox = None


class OutboxConfirmer:
    """`kiosk.ports.Confirmer` over `kiosk.confirm.confirm_application`, plus the slip.

    With a `data_qr` stamper, every printed page carries the form's data QR, signed by this
    kiosk and encrypted to the office key (`printing.data_qr`). With a `counter` link, the
    visit gets its short call number and routing (from the back office, else the kiosk's own
    letter), shown on the done screen and printed on the slip; a failure there never undoes
    the confirmed application (the slip then leads with the reception number).
    """

    def __init__(
        self,
        outbox: Outbox | OutboxOpener,
        *,
        office_public_key: X25519PublicKey | Callable[[], X25519PublicKey],
        kiosk_id: str,
        office_name: str | None = None,
        data_qr: DataQrStamper | None = None,
        counter: CounterLink | None = None,
    ) -> None:
        self._outbox = outbox
        # A key, or what gives the current one at each confirm (`sync.office_key.OfficeKeyFile`:
        # a key rotation pulled by the sync worker applies from the next resident on).
        self._office_key = office_public_key
        self.kiosk_id = kiosk_id
        self.office_name = office_name
        self.data_qr = data_qr
        self.counter = counter

    @property
    def office_public_key(self) -> X25519PublicKey:
        source = self._office_key
        return source() if callable(source) else source

    @property
    def outbox(self) -> Outbox:
        source = self._outbox
        return source.get() if isinstance(source, OutboxOpener) else source

    def warm_up(self) -> None:
        """Open the outbox and import the confirm step's libraries (the GUI calls it on the
        confirm lane once the welcome screen shows)."""
        for module in ("kiosk.confirm", "printing.render", "printing.slip", "sync.protocol"):
            importlib.import_module(module)
        _ = self.outbox

    def confirm(
        self,
        record: SessionRecord,
        templates: list[Template],
        *,
        signature_png: bytes,
        mode: Mode,
        measurement: dict[str, Any] | None = None,
        language: str = "ja",
    ) -> Confirmation:
        from kiosk.confirm import confirm_application
        from printing.slip import render_slip

        issued = office_clock().now()
        office_key = self.office_public_key  # one key for this application's rows and paper
        stamper = self.data_qr
        if stamper is not None and stamper.office_public_key is not office_key:
            stamper = dataclasses.replace(stamper, office_public_key=office_key)
        calls: list[IssuedCall] = []

        def call_number(visit: str, procedures: list[str]) -> str | None:
            found = self._call_number(visit, procedures)
            if found is None:
                return None
            calls.append(found)
            return found.number

        result = confirm_application(
            record,
            templates,
            outbox=self.outbox,
            office_public_key=office_key,
            kiosk_id=self.kiosk_id,
            mode=mode,
            signature_png=signature_png,
            measurement=measurement,
            data_qr=stamper.for_record(record) if stamper is not None else None,
            now=issued,
            call_number=call_number,
        )
        issued_call = calls[0] if calls else None
        slip_args: dict[str, Any] = {
            "language": "en" if language in ("ja", "ja-easy") else language
        }
        destinations: tuple[Destination, ...] = ()
        if self.office_name:
            slip_args["office_name"] = self.office_name
        if issued_call is not None:
            places = issued_call.counters()
            destinations = tuple(
                Destination(e.counter, Text(ja=e.section_ja, en=e.section_en)) for e in places
            )
            slip_args["call_number"] = issued_call.number
            slip_args["destinations"] = [(e.counter, e.section_ja, e.section_en) for e in places]
        slip = render_slip(
            reception_number=result.reception_number,
            procedures=[(f.template.title.ja, f.fee()) for f in result.forms],
            issued_at=issued,
            **slip_args,
        )
        return dataclasses.replace(
            result,
            slip_pdf=slip,
            call_number=issued_call.number if issued_call is not None else "",
            destinations=destinations,
            call_number_offline=issued_call.offline if issued_call is not None else False,
        )

    def _call_number(self, visit: str, procedures: list[str]) -> IssuedCall | None:
        if self.counter is None:
            return None
        from forms.errors import MadoguchiError

        try:
            return self.counter.issue(visit, procedures)
        except MadoguchiError as exc:  # the application is confirmed: never undo it for this
            log.error("no call number for a confirmed visit: %s", exc.code)
            return None


class OfficeReservations:
    """`kiosk.ports.ReservationLookup` over the back office (POST /reservations/match).

    Blocking, on a background lane. Any failure (no token, office out of reach, refusal) is
    no reservation: the resident types instead. Logs the error's code, never the query."""

    def __init__(
        self, client: Callable[[], OfficeClient | None], *, timeout_s: float = 4.0
    ) -> None:
        self._client = client
        self._timeout_s = timeout_s  # under the window's RESERVATION_TIMEOUT_S

    def find(self, name: str, birth_date: dt.date) -> ReservationFound | None:
        from pydantic import ValidationError

        from forms.errors import MadoguchiError
        from sync.protocol.reservations import ReservationQuery

        client = self._client()
        if client is None:
            return None
        try:
            query = ReservationQuery(name=name, birth_date=birth_date)
        except ValidationError:
            return None
        try:
            return client.match_reservation(query, timeout=self._timeout_s).found
        except MadoguchiError as exc:
            log.warning("reservation lookup failed: %s", exc.code)
            return None


class SpoolerPrinter:
    """`kiosk.ports.Printer` over a `printing.spool` spooler (CUPS, or a folder)."""

    def __init__(self, spooler: Spooler) -> None:
        self.spooler = spooler
        self.printed: list[str] = []  # where a folder spooler put each document (the demo)

    def print_pdf(self, pdf: bytes, *, title: str) -> None:
        result = self.spooler.print_pdf(pdf, title=title)
        if result.path is not None:
            self.printed.append(str(result.path))


class SpeakerSpeech:
    """`kiosk.ports.Speech` over `devices.speech`: the WAV is written 0600 into a private
    folder (it may hold a resident's name), played, and removed. Blocking: the window calls
    it on its speech lane only."""

    def __init__(self, player: str = "aplay") -> None:
        self.player = player
        self._speaker: Any = None

    def say(self, request: Any) -> None:
        import tempfile

        from devices.speech import Speaker, play

        if self._speaker is None:
            self._speaker = Speaker()
        with tempfile.TemporaryDirectory(prefix="madoguchi-say-") as folder:  # 0700
            path = self._speaker.synthesize_to(request, Path(folder) / "say.wav")
            play(path, self.player)
