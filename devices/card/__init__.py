"""IC card readers over PC/SC: the My Number Card's input-assist AP and the driver's licence.

The kiosk's whole interface (see docs/cards.md):

    from devices.card import CardService, wait
    service = CardService().start()           # or CardService(VirtualBackend(...)) for the demo
    service.subscribe(on_event)               # ReaderAttached/Detached, CardInserted/Removed
    card = wait(service.read(pin=..., confirm_last_try=...), timeout=30)
    record.apply_card(card)

Errors are the types in `devices.card.errors`, all `CardError` (a `MadoguchiError`).
"""

from devices.card.errors import (
    BadCheckDigitError,
    BadLengthError,
    BadSexCodeError,
    CardError,
    CardIOError,
    CardRemovedError,
    CardTimeoutError,
    DomicileNotDeclaredError,
    ImpossibleDateError,
    InvalidTextError,
    LastTryUnconfirmedError,
    LastTryUnconfirmedPin2Error,
    MalformedResponseError,
    NoCardError,
    NoReaderError,
    NotDriversLicenceError,
    NotMyNumberCardError,
    Pin2BlockedError,
    PinBlockedError,
    PinEntryCancelledError,
    PinFormatError,
    ReaderUnpluggedError,
    ReadRefusedError,
    UnexpectedStatusError,
    UnknownTagError,
    UnsupportedCardError,
    WrongPin2Error,
    WrongPinError,
)
from devices.card.events import (
    CardEvent,
    CardInserted,
    CardRemoved,
    ReaderAttached,
    ReaderDetached,
)
from devices.card.pin import ConfirmLastTry, PinProvider
from devices.card.worker import CardKind, CardService, read_card, read_domicile, tries_left, wait

__all__ = [
    "BadCheckDigitError",
    "BadLengthError",
    "BadSexCodeError",
    "CardError",
    "CardEvent",
    "CardIOError",
    "CardInserted",
    "CardKind",
    "CardRemoved",
    "CardRemovedError",
    "CardService",
    "CardTimeoutError",
    "ConfirmLastTry",
    "DomicileNotDeclaredError",
    "ImpossibleDateError",
    "InvalidTextError",
    "LastTryUnconfirmedError",
    "LastTryUnconfirmedPin2Error",
    "MalformedResponseError",
    "NoCardError",
    "NoReaderError",
    "NotDriversLicenceError",
    "NotMyNumberCardError",
    "Pin2BlockedError",
    "PinBlockedError",
    "PinEntryCancelledError",
    "PinFormatError",
    "PinProvider",
    "ReadRefusedError",
    "ReaderAttached",
    "ReaderDetached",
    "ReaderUnpluggedError",
    "UnexpectedStatusError",
    "UnknownTagError",
    "UnsupportedCardError",
    "WrongPin2Error",
    "WrongPinError",
    "read_card",
    "read_domicile",
    "tries_left",
    "wait",
]
