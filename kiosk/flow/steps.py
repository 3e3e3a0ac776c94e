"""The kiosk flow's vocabulary: its steps (and the 本籍 step's stages), the ways a resident
identifies, why a session is wiped, what the error step remembers, and where "back" leads."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from forms.errors import MadoguchiError

DEFAULT_INACTIVITY_S = 90.0
DEFAULT_WARNING_S = 10.0
MODE_KEY = "kiosk.mode"  # answers key noting which mode made the record
METHOD_KEY = "kiosk.identified_by"


# Field types whose text the resident (or the card, or the QR) wrote: only these can hold a
# character the card substituted.
TYPED_TYPES = frozenset({"text", "kana", "free_text", "person_name", "address"})


class Step(StrEnum):
    WELCOME = "welcome"
    PROCEDURES = "procedures"
    IDENTIFY = "identify"
    PIN = "pin"
    NAVIGATOR = "navigator"  # the procedure navigator: はい/いいえ, then the forms and why
    DOMICILE = "domicile"  # 本籍 from the driver's licence (PIN 1 + PIN 2), when a form needs it
    QR = "qr"
    REVIEW = "review"
    SIGN = "sign"
    CONFIRM = "confirm"
    PRINT = "print"
    DONE = "done"
    ERROR = "error"


class DomicileStage(StrEnum):
    """Where the 本籍 step is: the offer (read it, or type it later), then each PIN pad."""

    OFFER = "offer"
    PIN1 = "pin1"
    PIN2 = "pin2"


class Method(StrEnum):
    CARD = "card"
    QR = "qr"
    TYPING = "typing"


class WipeReason(StrEnum):
    TIMEOUT = "timeout"
    CARD_REMOVED = "card_removed"
    CANCEL = "cancel"
    FINISHED = "finished"


@dataclass
class ErrorState:
    """What the error screen shows, and where "try again" goes (None: only cancel)."""

    error: MadoguchiError
    retry_step: Step | None


# Where "back" leads; review has no back (its data would be lost): cancel starts over.
BACK_STEPS: dict[Step, Step] = {
    Step.PROCEDURES: Step.WELCOME,
    Step.IDENTIFY: Step.PROCEDURES,
    Step.PIN: Step.IDENTIFY,
    Step.QR: Step.IDENTIFY,
    Step.SIGN: Step.REVIEW,
    Step.CONFIRM: Step.SIGN,
}

# Where a scanned QR code is taken (see KioskFlow.accepts_qr).
QR_STEPS = (Step.WELCOME, Step.PROCEDURES, Step.IDENTIFY, Step.QR)
