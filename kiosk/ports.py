"""The small interfaces the kiosk drives: card reader, QR decoder, confirm step, printer,
speech.

The resident kiosk is written against these Protocols, not against the device packages, so it
can be built and tested while those packages grow, and so tests can hand in fakes that behave
like the virtual devices. `kiosk.services` wires the real implementations (devices/, printing/,
sync/, kiosk.confirm) into them.

Every method here blocks and may do I/O: the GUI calls them only through `kiosk.gui.operations`,
never on the GUI thread.
"""

from __future__ import annotations

import datetime as dt
import uuid
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from forms.fill import FilledForm
from forms.record import CardData, SessionRecord
from forms.template import Template
from forms.text import Text
from sync.protocol import Mode
from sync.protocol.reservations import ReservationFound

if TYPE_CHECKING:
    from devices.qr import QrSource  # typing only: devices.qr loads numpy and the decoders
    from devices.speech import SpeechRequest


CARD_TIMEOUT_S = 30.0  # a read: PIN VERIFY and the four items
TRIES_TIMEOUT_S = 10.0  # asking the card how many tries are left
RESERVATION_TIMEOUT_S = 5.0  # asking the back office for a 転入予約 (then: the card alone)


class CardReader(Protocol):
    """One reader with a My Number Card (or a driver's licence) on it.

    Card I/O runs on the card family's own thread (`devices.card.CardService`): these calls
    only queue the work there and return its future, so the GUI follows the future directly
    (`devices.lanes.Lanes.follow`) with no second thread in between.
    """

    def tries_left(self) -> Future[int]:
        """PIN tries left, spending none. Fails with NoReaderError, NoCardError, PinBlockedError…"""
        ...

    def read(
        self, pin: bytearray, *, confirm_last_try: bool, individual_number: bool
    ) -> Future[CardData]:
        """VERIFY the PIN and read the card. The PIN buffer is wiped once the read is done.

        Fails with WrongPinError(tries_left), PinBlockedError, LastTryUnconfirmedError (one
        try left and `confirm_last_try` false: nothing was sent), NoCardError, CardRemovedError…
        """
        ...

    def card_present(self) -> bool:
        """Whether a card sits on the reader now (False when there is no reader)."""
        ...

    def licence_tries(self) -> Future[tuple[int, int]]:
        """A driver's licence's (PIN 1, PIN 2) tries left, spending none."""
        ...

    def read_domicile(
        self, pin1: bytearray, pin2: bytearray, *, confirm_pin1: bool, confirm_pin2: bool
    ) -> Future[str]:
        """本籍 from a driver's licence (PIN 1, then PIN 2); both buffers wiped when done.

        Fails with WrongPinError / WrongPin2Error, LastTryUnconfirmed(Pin2)Error,
        Pin(2)BlockedError, NotDriversLicenceError, MalformedResponseError…
        """
        ...


@dataclass(frozen=True)
class QrResult:
    """What a pre-entry QR code carried: the record and the templates it was made for."""

    record: SessionRecord
    templates: list[Template] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"QrResult(templates={[t.key for t in self.templates]!r}, …)"


class QrDecoder(Protocol):
    def decode_digits(self, digits: str) -> QrResult:
        """Decode a scanned payload (the digits a wedge or serial scanner delivered).

        Raises the payload codec's typed errors (expired, bad signature, unknown version…).
        """
        ...

    def decode_frame(self, image: bytes) -> QrResult | None:
        """Find and decode a QR code in one camera frame (PNG/JPEG bytes); None if none."""
        ...


@dataclass(frozen=True)
class Destination:
    """Where the resident goes for one or more of their procedures (office configuration)."""

    counter: str  # "3", "3・4", "受付"
    section: Text  # 市民課 住民記録係 / Residents' records


@dataclass(frozen=True)
class Confirmation:
    """The confirm step's receipt: the reception number, the application PDF it wrote (every
    form, as printed) and the slip; `forms` are the filled forms it confirmed; the visit's
    short call number and where to go, when the kiosk has a counter link."""

    reception_number: str
    pdf: bytes
    slip_pdf: bytes | None = None
    keys: tuple[uuid.UUID, ...] = ()  # the outbox rows written (one per form), for delivery
    forms: tuple[FilledForm, ...] = ()
    call_number: str = ""  # "A-023" ("" without a counter link: the reception number leads)
    destinations: tuple[Destination, ...] = ()  # each counter once, in procedure order
    call_number_offline: bool = False  # issued from the kiosk's own letter

    def __repr__(self) -> str:  # no personal data
        return f"Confirmation(reception_number={self.reception_number!r}, …)"


class Confirmer(Protocol):
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
        """Write data, signature and PDF to the outbox in one transaction (kiosk.confirm);
        the slip in the resident's `language` beside the Japanese."""
        ...


class CounterDesk(Protocol):
    """Call-staff alerts through the back office (kept while it is down); the call numbers
    are the confirmer's (at confirm). Both block: call them off the GUI thread."""

    def raise_alert(self, kind: str, *, step: str | None = None, detail: str = "") -> None:
        """Keep an alert (call_staff, printer, card_reader, network, other) and send it."""
        ...


class Printer(Protocol):
    def print_pdf(self, pdf: bytes, *, title: str) -> None:
        """Spool one document; raises the spooler's typed errors (PrinterStopped…)."""
        ...


class Speech(Protocol):
    def say(self, request: SpeechRequest) -> None:
        """Read one request aloud in its language and return when it has been played (the
        request itself refuses a secret value; see `devices.speech.request`)."""
        ...


class ReservationLookup(Protocol):
    def find(self, name: str, birth_date: dt.date) -> ReservationFound | None:
        """The resident's 転入予約 (引越しワンストップ), or None (none, ambiguous, or the back
        office out of reach: the resident simply types). Blocking: the window calls it on a
        background lane."""
        ...


@dataclass
class KioskServices:
    """The devices and steps the window drives (see kiosk.ports); None: not on this kiosk."""

    card: CardReader | None
    qr: QrDecoder | None
    confirmer: Confirmer
    printer: Printer
    camera: bool = False  # show a camera preview on the QR screen
    scanner: QrSource | None = None  # a serial scanner (devices.qr.SerialScanner): own thread
    desk: CounterDesk | None = None  # 職員を呼ぶ and machine faults reach the reception
    speech: Speech | None = None  # 読み上げ and voice guidance (devices.speech)
    reservations: ReservationLookup | None = (
        None  # 転入予約 after the card read (kiosk.reservation)
    )
