"""The resident kiosk's flow: a plain state machine, without Qt, driven by events.

welcome → procedures → identify → (pin | qr | typing) → [domicile] → review → sign → confirm
→ print → done → welcome, plus an error step that remembers where "try again" leads. Inactivity, the card
leaving the reader after it was read, and cancel are transitions too: each one *wipes* the
session (the record, the chosen forms, the signature, every error text) and tells the
listeners, so the Qt side can rebuild its widgets and clear the clipboard.

The flow owns one `SessionRecord` and the chosen templates; every edit goes through
`forms.fill.set_field`, so every form of a bundle sees it (nothing is asked twice). It also
keeps the built-in measurement (`kiosk.measurement`): seconds per step and characters typed
against prefilled, counts only.

The flow does no I/O: the app runs card reads, QR decoding, confirm and printing in the
background (`kiosk.gui.operations`) and reports the outcome with `card_read`, `card_failed`, ….

The flow is one class, `KioskFlow` (`kiosk.flow.machine`), built in layers: its vocabulary
(`steps`), its refusals (`errors`), the session state and its moves (`state`), the review
(`review`), the 本籍 step from the driver's licence (`domicile`), the 転入予約 that a card read
may bring (`reservation`), and the rest of the steps on top (`machine`). Import from `kiosk.flow`.
"""

from __future__ import annotations

from kiosk.flow.errors import (
    NothingChosenError,
    PageIncompleteError,
    ReviewIncompleteError,
    SignatureMissingError,
    WrongStepError,
)
from kiosk.flow.machine import KioskFlow
from kiosk.flow.state import Listener, WipeListener
from kiosk.flow.steps import (
    BACK_STEPS,
    DEFAULT_INACTIVITY_S,
    DEFAULT_WARNING_S,
    METHOD_KEY,
    MODE_KEY,
    QR_STEPS,
    TYPED_TYPES,
    DomicileStage,
    ErrorState,
    Method,
    Step,
    WipeReason,
)

__all__ = [
    "BACK_STEPS",
    "DEFAULT_INACTIVITY_S",
    "DEFAULT_WARNING_S",
    "METHOD_KEY",
    "MODE_KEY",
    "QR_STEPS",
    "TYPED_TYPES",
    "DomicileStage",
    "ErrorState",
    "KioskFlow",
    "Listener",
    "Method",
    "NothingChosenError",
    "PageIncompleteError",
    "ReviewIncompleteError",
    "SignatureMissingError",
    "Step",
    "WipeListener",
    "WipeReason",
    "WrongStepError",
]
