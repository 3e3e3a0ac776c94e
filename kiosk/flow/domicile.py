"""The 本籍 step: once the resident is identified, a chosen form that declares
`uses_licence_domicile` and still has an empty 本籍 gets it from the driver's licence (PIN 1,
then PIN 2, each with its tries asked first and the last try confirmed), or the resident
chooses to type it on the review. The identified record waits in `_pending` until then."""

from __future__ import annotations

from devices.card.errors import (
    LastTryUnconfirmedError,
    LastTryUnconfirmedPin2Error,
    PinFormatError,
    WrongPin2Error,
    WrongPinError,
)
from forms.domicile import domicile_paths, seed_domicile
from forms.errors import MadoguchiError
from forms.fields import is_empty
from forms.paths import get_value, parse_path
from forms.record import SessionRecord
from kiosk.flow.review import ReviewSteps
from kiosk.flow.steps import DomicileStage, Step


class DomicileSteps(ReviewSteps):
    # ---- 本籍 from the driver's licence ---------------------------------------------------

    def wants_domicile(self, record: SessionRecord) -> bool:
        """A chosen form declares `uses_licence_domicile` and its 本籍 is still empty."""
        return any(
            is_empty(get_value(record, parse_path(p))) for p in domicile_paths(self.templates)
        )

    def _identified(self, record: SessionRecord, *, prefilled: bool) -> None:
        """The resident is identified: offer the licence's 本籍 first if a form needs it."""
        if not self.wants_domicile(record):
            self._start_review(record, prefilled=prefilled)
            return
        self._pending = (record, prefilled)
        self.domicile_stage = DomicileStage.OFFER
        self.domicile_tries = None
        self.domicile_confirmed = set()
        self.domicile_error = None
        self._go(Step.DOMICILE)

    def domicile_choose(self, *, read: bool) -> None:
        """読み取る (read the licence) or 入力する (type 本籍 on review: nothing is read)."""
        self._expect("domicile_choose", Step.DOMICILE)
        if not read:
            self._leave_domicile(None)
            return
        self.domicile_stage = DomicileStage.PIN1
        self.domicile_tries = None
        self.domicile_confirmed = set()
        self.domicile_error = None
        self._changed()

    def domicile_tries_read(self, tries: tuple[int, int]) -> None:
        self._expect("domicile_tries_read", Step.DOMICILE)
        self.domicile_tries = tries
        self._changed()

    @property
    def domicile_pin(self) -> int | None:
        """Which PIN the pad asks for now (1 or 2), None on the offer."""
        return {DomicileStage.PIN1: 1, DomicileStage.PIN2: 2}.get(self.domicile_stage)

    @property
    def needs_domicile_confirmation(self) -> bool:
        """One try left on the PIN the pad asks for, and the resident has not allowed it."""
        pin = self.domicile_pin
        if pin is None or self.domicile_tries is None:
            return False
        return self.domicile_tries[pin - 1] == 1 and pin not in self.domicile_confirmed

    def confirm_domicile_last_try(self) -> None:
        self._expect("confirm_domicile_last_try", Step.DOMICILE)
        if self.domicile_pin is not None:
            self.domicile_confirmed.add(self.domicile_pin)
        self._changed()

    def domicile_pin1_entered(self) -> None:
        """PIN 1 is on the pad's buffer (held by the screen, not here): ask for PIN 2."""
        self._expect("domicile_pin1_entered", Step.DOMICILE)
        self.domicile_stage = DomicileStage.PIN2
        self.domicile_error = None
        self._changed()

    def domicile_read(self, domicile: str) -> None:
        self._expect("domicile_read", Step.DOMICILE)
        self._leave_domicile(domicile)

    def domicile_failed(self, error: MadoguchiError) -> None:
        """A wrong PIN or an unconfirmed last try: both PINs again. Anything else (blocked, not
        a licence, a malformed answer…): back to the offer, where 入力する always works."""
        self._expect("domicile_failed", Step.DOMICILE)
        self.domicile_error = error
        tries = list(self.domicile_tries or (3, 3))
        if isinstance(error, WrongPin2Error | LastTryUnconfirmedPin2Error):
            tries[1] = error.tries_left
        elif isinstance(error, WrongPinError | LastTryUnconfirmedError):
            tries[0] = error.tries_left
        self.domicile_tries = (tries[0], tries[1])
        self.domicile_confirmed = set()
        if isinstance(error, WrongPinError | LastTryUnconfirmedError | PinFormatError):
            self.domicile_stage = DomicileStage.PIN1
        else:
            self.domicile_stage = DomicileStage.OFFER
        self._changed()

    def _domicile_back(self) -> None:
        """From a PIN pad to the offer; the offer itself has 入力する, and cancel starts over."""
        self.touch()
        self.domicile_stage = DomicileStage.OFFER
        self.domicile_confirmed = set()
        self._changed()

    def _leave_domicile(self, domicile: str | None) -> None:
        assert self._pending is not None
        record, prefilled = self._pending
        self._pending = None
        self.domicile_error = None
        if domicile:
            seed_domicile(record, self.templates, domicile)
        self._start_review(record, prefilled=prefilled)
