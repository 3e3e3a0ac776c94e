"""The kiosk flow, whole: choosing procedures, identifying (card, QR, typing), the 本籍 step
(`kiosk.flow.domicile`), the review (`kiosk.flow.review`), signing, confirm, print, done; back, cancel, retry, the inactivity
countdown, staff-assisted mode and the wipe."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict
from typing import Any

from devices.card.errors import (
    LastTryUnconfirmedError,
    PinBlockedError,
    PinFormatError,
    WrongPinError,
)
from forms.errors import MadoguchiError
from forms.fill import set_field
from forms.guide import SUMMARY
from forms.procedure import Procedure, procedures_of
from forms.record import CardData
from kiosk.flow.errors import NothingChosenError, SignatureMissingError, WrongStepError
from kiosk.flow.reservation import ReservationSteps
from kiosk.flow.state import log
from kiosk.flow.steps import (
    BACK_STEPS,
    MODE_KEY,
    QR_STEPS,
    DomicileStage,
    Method,
    Step,
    WipeReason,
)
from kiosk.measurement import SessionMetrics
from kiosk.ports import Confirmation, QrResult
from kiosk.staff_mode import (
    LOCKOUT_S,
    MAX_WRONG_PINS,
    StaffPinLockedError,
    StaffPinWrongError,
    upgraded_hash,
    verify_staff_pin,
)
from sync.protocol import Mode
from sync.protocol.reservations import ReservationFound


class KioskFlow(ReservationSteps):
    # ---- welcome, procedures, identify ---------------------------------------------------

    def start(self) -> None:
        self._expect("start", Step.WELCOME)
        self._go(Step.PROCEDURES)

    def procedures(self) -> list[Procedure]:
        return procedures_of(self.catalog)

    def choose(self, procedure_ids: list[str], *, with_optional: Collection[str] = ()) -> None:
        """The resident's choice; `with_optional` names the optional forms of the chosen
        bundles they opted into (印鑑登録 in 引越し…). Optional forms of a bundle that is not
        chosen are not added."""
        self._expect("choose", Step.PROCEDURES)
        by_id = {p.key: p for p in self.procedures()}
        chosen = [by_id[i] for i in procedure_ids if i in by_id]
        if not chosen:
            raise NothingChosenError()
        self.chosen = chosen
        ids = list(
            dict.fromkeys(
                t
                for p in chosen
                for t in (*p.template_ids, *(o for o in p.optional_ids if o in with_optional))
            )
        )
        self.templates = [self.catalog.get(t) for t in ids]
        self.metrics = SessionMetrics(
            mode=self.mode.value, method="", templates=[t.key for t in self.templates]
        )
        self._go(Step.IDENTIFY)

    @property
    def needs_individual_number(self) -> bool:
        return any(t.uses_individual_number for t in self.templates)

    def fee_total(self) -> int:
        if self.forms:
            return sum(f.fee() for f in self.forms.values())
        return sum(t.fee_yen or 0 for t in self.templates)

    def identify_with(self, method: Method) -> None:
        self._expect("identify_with", Step.IDENTIFY)
        self.method = method
        if self.metrics is not None:
            self.metrics.method = method.value
        if method is Method.CARD:
            self.tries_left = None
            self.last_try_confirmed = False
            self.pin_error = None
            self._go(Step.PIN)
        elif method is Method.QR:
            self._go(Step.QR)
        else:
            self._identified(self._new_record(), prefilled=False)

    # ---- card ----------------------------------------------------------------------------

    def card_tries(self, tries_left: int) -> None:
        """The reader said how many PIN tries are left (asked without spending one)."""
        self._expect("card_tries", Step.PIN)
        self.tries_left = tries_left
        self._changed()

    @property
    def needs_last_try_confirmation(self) -> bool:
        return self.tries_left == 1 and not self.last_try_confirmed

    def confirm_last_try(self) -> None:
        """The resident explicitly agreed to spend the last try."""
        self._expect("confirm_last_try", Step.PIN)
        self.last_try_confirmed = True
        self._changed()

    def card_read(self, card: CardData, reservation: ReservationFound | None = None) -> None:
        """The card's four items; with a matched reservation (`kiosk.reservation`) also the
        household, both addresses and the move date, which the resident then confirms."""
        self._expect("card_read", Step.PIN)
        record = self._new_record()
        record.apply_card(card)
        self._take_reservation(record, card, reservation)
        self._identified(record, prefilled=True)  # 本籍 first, if a form needs it

    def card_failed(self, error: MadoguchiError) -> None:
        """Wrong PIN and an unconfirmed last try stay on the PIN pad; the rest is an error."""
        self._expect("card_failed", Step.PIN, Step.IDENTIFY)
        self.last_try_confirmed = False
        if isinstance(error, WrongPinError | LastTryUnconfirmedError | PinBlockedError):
            self.tries_left = error.tries_left
        if isinstance(error, WrongPinError | LastTryUnconfirmedError | PinFormatError):
            self.pin_error = error  # the resident tries again on the PIN pad
            self._changed()
            return
        self._fail(error, Step.IDENTIFY)

    # ---- QR ------------------------------------------------------------------------------

    @property
    def accepts_qr(self) -> bool:
        """Whether a scanned code is taken now: before the resident has identified (welcome,
        procedures, identify, the QR step), or on the error a QR refusal led to."""
        if self.step in QR_STEPS:
            return True
        return (
            self.step is Step.ERROR and self.error is not None and self.error.retry_step is Step.QR
        )

    def begin_qr(self) -> None:
        """A scanner delivered a code: go to the QR step to decode it.

        From welcome or procedures nothing is chosen yet: the forms come from the code itself
        (a pre-entry QR names its templates); `qr_read` adds them.
        """
        if not self.accepts_qr:
            raise WrongStepError("begin_qr", self.step)
        self.touch()
        if self.metrics is None:
            self.metrics = SessionMetrics(
                mode=self.mode.value, method="", templates=[t.key for t in self.templates]
            )
        self.method = Method.QR
        self.metrics.method = Method.QR.value
        if self.step is Step.QR:
            return
        self.error = None
        self._go(Step.QR)

    def qr_read(self, result: QrResult) -> None:
        self._expect("qr_read", Step.QR)
        known = {t.id for t in self.templates}
        self.templates = [*self.templates, *(t for t in result.templates if t.id not in known)]
        if self.metrics is not None:
            self.metrics.templates = [t.key for t in self.templates]
        self._identified(result.record, prefilled=True)

    def qr_failed(self, error: MadoguchiError) -> None:
        self._expect("qr_failed", Step.QR)
        self._fail(error, Step.QR)

    # ---- sign, confirm, print, done ------------------------------------------------------

    def signed(self, png: bytes) -> None:
        self._expect("signed", Step.SIGN)
        assert self.record is not None
        if not png:
            raise SignatureMissingError()
        self.signature = png
        for template in self.templates:  # forms with a signature field carry it too
            for spec in template.fields:
                if spec.type == "signature":
                    set_field(template, self.record, spec.id, png)
        self._refill()
        self._go(Step.CONFIRM)

    def measurement_snapshot(self) -> dict[str, Any] | None:
        """The measurement so far (counts and seconds only), sent along with the record."""
        if self.metrics is None:
            return None
        snapshot = asdict(self.metrics)
        snapshot["step_seconds"] = dict(snapshot["step_seconds"])
        snapshot["step_seconds"][self.step.value] = snapshot["step_seconds"].get(
            self.step.value, 0.0
        ) + max(0.0, self.clock() - self._step_entered)
        return snapshot

    def confirmed(self, confirmation: Confirmation) -> None:
        self._expect("confirmed", Step.CONFIRM)
        self.confirmation = confirmation
        self._go(Step.PRINT)

    def confirm_failed(self, error: MadoguchiError) -> None:
        self._expect("confirm_failed", Step.CONFIRM)
        self._fail(error, Step.CONFIRM)

    def printed(self) -> None:
        self._expect("printed", Step.PRINT)
        self._go(Step.DONE)
        if self.metrics is not None:
            self.metrics.mode = self.mode.value
            try:
                self.metrics_log.append(self.metrics)
            except OSError:
                log.warning("could not write the session metrics")
            self.metrics = None

    def print_failed(self, error: MadoguchiError) -> None:
        self._expect("print_failed", Step.PRINT)
        self._fail(error, Step.PRINT)

    def finish(self) -> None:
        self._expect("finish", Step.DONE)
        self.wipe(WipeReason.FINISHED)

    # ---- errors, back, cancel, wipe ------------------------------------------------------

    def retry(self) -> None:
        self._expect("retry", Step.ERROR)
        assert self.error is not None
        target = self.error.retry_step
        if target is None:
            raise WrongStepError("retry", self.step)
        self.error = None
        if target is Step.PIN:
            self.pin_error = None
        self._go(target)

    def can_go_back(self) -> bool:
        if self.step is Step.REVIEW and self.guide is not None:
            return self.walk.position(self.guide)[0] > 1
        if self.step is Step.NAVIGATOR:  # to the last question answered
            return self.nav_can_go_back()
        if self.step is Step.DOMICILE:  # from a PIN pad to the offer
            return self.domicile_stage is not DomicileStage.OFFER
        return self.step in BACK_STEPS

    def back(self) -> None:
        if self.step is Step.REVIEW and self.can_go_back():
            self.review_back()
            return
        if self.step is Step.DOMICILE:
            self._domicile_back()
            return
        if self.step is Step.NAVIGATOR and self.nav_can_go_back():
            self.nav_back()
            return
        if self.step not in BACK_STEPS:
            raise WrongStepError("back", self.step)
        target = BACK_STEPS[self.step]
        if self.step is Step.QR and not self.templates:
            target = Step.PROCEDURES  # a scan from welcome/procedures: nothing chosen yet
        if target is Step.WELCOME:
            self.wipe(WipeReason.CANCEL)
            return
        if self.step is Step.PIN:
            self.pin_error = None
        if target is Step.REVIEW:
            self.walk.page = SUMMARY  # back from signing: the answers, checked once more
        self._go(target)

    def cancel(self) -> None:
        self.wipe(WipeReason.CANCEL)

    def card_removed(self) -> None:
        """The card left the reader. Once it has been read, that ends the session."""
        if self.record is not None and self.record.card is not None:
            self.wipe(WipeReason.CARD_REMOVED)

    @property
    def card_was_read(self) -> bool:
        return self.record is not None and self.record.card is not None

    def seconds_left(self, now: float | None = None) -> float | None:
        """Seconds until the inactivity wipe, or None where no timeout runs (welcome, print)."""
        if self.step in (Step.WELCOME, Step.PRINT):
            return None
        now = self.clock() if now is None else now
        return max(0.0, self.inactivity_s - (now - self.last_activity))

    def countdown(self, now: float | None = None) -> int | None:
        """The visible countdown, only in the last `warning_s` seconds."""
        left = self.seconds_left(now)
        if left is None or left > self.warning_s:
            return None
        return int(left + 0.999)

    def tick(self, now: float | None = None) -> None:
        left = self.seconds_left(now)
        if left is not None and left <= 0:
            self.wipe(WipeReason.TIMEOUT)

    def _upgrade_staff_pin_hash(self, pin: str) -> None:
        if self.staff_pin_hash is None or self.staff_pin_store is None:
            return
        new = upgraded_hash(pin, self.staff_pin_hash)
        if new is not None:
            self.staff_pin_store(new)
            self.staff_pin_hash = new
            log.info("staff PIN hash upgraded to argon2id")

    def enter_staff_mode(self, pin: str) -> None:
        """Unlock staff-assisted mode; raises StaffPinWrongError. The record notes the mode.

        After MAX_WRONG_PINS wrong PINs in a row every PIN (even the right one) is refused with
        StaffPinLockedError for LOCKOUT_S seconds of the flow's clock.
        """
        now = self.clock()
        if self._staff_locked_until is not None:
            if now < self._staff_locked_until:
                raise StaffPinLockedError(self._staff_locked_until - now)
            self._staff_locked_until = None
            self._wrong_staff_pins = 0
        try:
            if self.staff_pin_hash is None:
                raise StaffPinWrongError()
            verify_staff_pin(pin, self.staff_pin_hash)
        except StaffPinWrongError:
            self._wrong_staff_pins += 1
            if self._wrong_staff_pins >= MAX_WRONG_PINS:
                self._staff_locked_until = now + LOCKOUT_S
                log.warning("staff unlock locked after %d wrong PINs", self._wrong_staff_pins)
                raise StaffPinLockedError(LOCKOUT_S) from None
            raise
        self._wrong_staff_pins = 0
        self._upgrade_staff_pin_hash(pin)
        self.touch()
        self.mode = Mode.STAFF
        if self.record is not None:
            self.record.answers[MODE_KEY] = self.mode.value
        if self.metrics is not None:
            self.metrics.mode = self.mode.value
        self._changed()

    def leave_staff_mode(self) -> None:
        self.mode = Mode.RESIDENT
        self._changed()

    def wipe(self, reason: WipeReason) -> None:
        """Drop everything of the resident and go back to welcome."""
        log.info("session wiped: %s", reason.value)
        if self._pending is not None:
            self.record = self._pending[0]  # wiped below like any record
            self._pending = None
        if self.record is not None:
            self.record.persons.clear()
            self.record.addresses.clear()
            self.record.answers.clear()
            self.record.qr.clear()
            self.record.card = None
        if reason is WipeReason.TIMEOUT:
            self.mode = Mode.RESIDENT  # staff walked away: lock it again
        self._reset()
        for listener in list(self._wipe_listeners):
            listener(reason)
        self._changed()
