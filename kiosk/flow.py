"""The resident kiosk's flow: a plain state machine, without Qt, driven by events.

welcome → procedures → identify → (pin | qr | typing) → review → sign → confirm → print → done
→ welcome, plus an error step that remembers where "try again" leads. Inactivity, the card
leaving the reader after it was read, and cancel are transitions too: each one *wipes* the
session (the record, the chosen forms, the signature, every error text) and tells the
listeners, so the Qt side can rebuild its widgets and clear the clipboard.

The flow owns one `SessionRecord` and the chosen templates; every edit goes through
`forms.fill.set_field`, so every form of a bundle sees it (nothing is asked twice). It also
keeps the built-in measurement (`kiosk.measurement`): seconds per step and characters typed
against prefilled, counts only.

The flow does no I/O: the app runs card reads, QR decoding, confirm and printing in the
background (`kiosk.gui.operations`) and reports the outcome with `card_read`, `card_failed`, ….
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from devices.card.errors import (
    LastTryUnconfirmedError,
    LastTryUnconfirmedPin2Error,
    PinBlockedError,
    PinFormatError,
    WrongPin2Error,
    WrongPinError,
)
from forms.bundle import Question, fixed_answers
from forms.catalog import Catalog
from forms.domicile import domicile_paths, seed_domicile
from forms.errors import FieldError, FieldValueError, MadoguchiError
from forms.fields import is_empty
from forms.fill import FilledForm, fill, set_field
from forms.guide import SUMMARY, Guide, GuideGroup, GuideWalk, Provenance, Source, apply_fixed
from forms.kana import has_latin, latin_to_katakana
from forms.paths import get_value, parse_path, set_value
from forms.procedure import Procedure, procedures_of
from forms.record import CardData, Person, SessionRecord
from forms.template import Template
from kiosk.measurement import MetricsLog, SessionMetrics
from kiosk.ports import Confirmation, QrResult
from kiosk.reservation import BUNDLES as RESERVATION_BUNDLES
from kiosk.reservation import apply_reservation
from kiosk.staff_mode import (
    LOCKOUT_S,
    MAX_WRONG_PINS,
    StaffPinLockedError,
    StaffPinWrongError,
    upgraded_hash,
    verify_staff_pin,
)
from kiosk.substitute import suspicious_characters
from sync.protocol import Mode
from sync.protocol.reservations import ReservationFound

log = logging.getLogger(__name__)

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


class WrongStepError(MadoguchiError):
    """An event that makes no sense in the current step (a stale click, a late result)."""

    code = "kiosk_wrong_step"

    def __init__(self, event: str, step: Step) -> None:
        super().__init__(
            f"この画面では操作できません（{event}）", f"not possible on this screen ({event})"
        )
        self.event = event
        self.step = step


class NothingChosenError(MadoguchiError):
    code = "kiosk_nothing_chosen"

    def __init__(self) -> None:
        super().__init__("手続きを選んでください", "choose at least one procedure")


class ReviewIncompleteError(MadoguchiError):
    """Review cannot be left: fields with errors, or flagged characters not yet confirmed."""

    code = "kiosk_review_incomplete"

    def __init__(self, errors: int, unconfirmed: int) -> None:
        super().__init__(
            f"確認が必要な項目があります（誤り{errors}件・文字の確認{unconfirmed}件）",
            f"some items need attention ({errors} error(s), {unconfirmed} character check(s))",
        )
        self.errors = errors
        self.unconfirmed = unconfirmed


class PageIncompleteError(ReviewIncompleteError):
    """次へ on a page of the guided review that still has problems (now shown on it)."""

    code = "kiosk_page_incomplete"


class SignatureMissingError(MadoguchiError):
    code = "kiosk_signature_missing"

    def __init__(self) -> None:
        super().__init__("署名してください", "please sign")


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

Listener = Callable[["KioskFlow"], None]
WipeListener = Callable[[WipeReason], None]


class KioskFlow:
    def __init__(
        self,
        catalog: Catalog,
        *,
        clock: Callable[[], float] = time.monotonic,
        inactivity_s: float = DEFAULT_INACTIVITY_S,
        warning_s: float = DEFAULT_WARNING_S,
        staff_pin_hash: str | None = None,
        staff_pin_store: Callable[[str], None] | None = None,
        metrics_log: MetricsLog | None = None,
    ) -> None:
        self.catalog = catalog
        self.clock = clock
        self.inactivity_s = inactivity_s
        self.warning_s = warning_s
        self.staff_pin_hash = staff_pin_hash
        # Where a legacy hash's replacement goes after a successful unlock (staff_mode).
        self.staff_pin_store = staff_pin_store
        self.metrics_log = metrics_log if metrics_log is not None else MetricsLog()
        self.mode = Mode.RESIDENT
        self._wrong_staff_pins = 0  # in a row; kept across residents (not part of _reset)
        self._staff_locked_until: float | None = None
        self._listeners: list[Listener] = []
        self._wipe_listeners: list[WipeListener] = []
        self._reset()

    # ---- session state -------------------------------------------------------------------

    def _reset(self) -> None:
        self.step = Step.WELCOME
        self.chosen: list[Procedure] = []
        self.templates: list[Template] = []
        self.method: Method | None = None
        self.record: SessionRecord | None = None
        self.forms: dict[str, FilledForm] = {}
        self.tries_left: int | None = None
        self.last_try_confirmed = False
        self.pin_error: MadoguchiError | None = None
        self.pending_errors: dict[str, FieldError] = {}  # question path → refused edit
        self.fixed: dict[str, Any] = {}  # answers the chosen bundles fix (never asked)
        self.guide: Guide | None = None  # the review's groups, rebuilt after every edit
        self.walk = GuideWalk()  # the resident's page in the guided review
        self.provenance = Provenance()  # where each answer came from
        self.proposed_readings: set[str] = set()  # フリガナ proposed for Latin names
        self.flags: dict[str, list[str]] = {}  # question path → characters to confirm
        self.confirmed_flags: set[str] = set()
        self.signature: bytes | None = None
        self.confirmation: Confirmation | None = None
        self.reservation: ReservationFound | None = None  # 転入予約 that prefilled the record
        self.reservation_confirmed = False
        self._card: CardData | None = None  # the card's items, while a reservation is open
        self.error: ErrorState | None = None
        self.metrics: SessionMetrics | None = None
        # The 本籍 step: the record waits here (not yet `self.record`) until it is done.
        self._pending: tuple[SessionRecord, bool] | None = None
        self.domicile_stage = DomicileStage.OFFER
        self.domicile_tries: tuple[int, int] | None = None  # (PIN 1, PIN 2), spending none
        self.domicile_confirmed: set[int] = set()  # PINs whose last try the resident allowed
        self.domicile_error: MadoguchiError | None = None
        self._history: list[Step] = []
        now = self.clock()
        self.last_activity = now
        self._step_entered = now

    def __repr__(self) -> str:  # never the record
        return f"KioskFlow(step={self.step.value}, mode={self.mode.value})"

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def on_wipe(self, listener: WipeListener) -> None:
        self._wipe_listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener(self)

    def _go(self, step: Step) -> None:
        now = self.clock()
        if self.metrics is not None and self.step is not Step.ERROR:
            self.metrics.add_time(self.step.value, now - self._step_entered)
        if self.step is not step:
            self._history.append(self.step)
        self._step_entered = now
        self.step = step
        self.last_activity = now
        self._changed()

    def _expect(self, event: str, *steps: Step) -> None:
        if self.step not in steps:
            raise WrongStepError(event, self.step)
        self.touch()

    def touch(self) -> None:
        """Any sign of the resident (a tap, a key) restarts the inactivity countdown."""
        self.last_activity = self.clock()

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
            self._identified(SessionRecord(), prefilled=False)

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

    @property
    def wants_reservation(self) -> bool:
        """Whether a card read should ask for a 転入予約 (a moving-in life event is chosen)."""
        return any(p.key in RESERVATION_BUNDLES for p in self.chosen)

    def card_read(self, card: CardData, reservation: ReservationFound | None = None) -> None:
        """The card's four items; with a matched reservation (`kiosk.reservation`) also the
        household, both addresses and the move date, which the resident then confirms."""
        self._expect("card_read", Step.PIN)
        record = SessionRecord()
        record.apply_card(card)
        self.reservation = None
        self.reservation_confirmed = False
        self._card = None
        if reservation is not None and self.wants_reservation:
            apply_reservation(record, reservation)
            self.reservation = reservation
            self._card = card
        self._identified(record, prefilled=True)  # 本籍 first, if a form needs it

    @property
    def reservation_pending(self) -> bool:
        """A reservation prefilled the record and the resident has not answered yet."""
        return self.reservation is not None and not self.reservation_confirmed

    def reservation_answer(self, accepted: bool) -> None:
        """The resident confirms the reservation's data, or declines it: the record goes back
        to the card's items alone. A 本籍 read from the licence before (the 本籍 step comes
        first) is kept, and that step is not offered again: the resident answered it already."""
        self._expect("reservation_answer", Step.REVIEW)
        if self.reservation is None:
            return
        self.touch()
        if accepted:
            self.reservation_confirmed = True
            self._changed()
            return
        card, previous = self._card, self.record
        self.reservation = None
        self._card = None
        record = SessionRecord()
        if card is not None:
            record.apply_card(card)
        if previous is not None:
            for raw in domicile_paths(self.templates):
                path = parse_path(raw)
                value = get_value(previous, path)
                if not is_empty(value):
                    set_value(record, path, value)
        self._start_review(record, prefilled=True)

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

    def _leave_domicile(self, domicile: str | None) -> None:
        assert self._pending is not None
        record, prefilled = self._pending
        self._pending = None
        self.domicile_error = None
        if domicile:
            seed_domicile(record, self.templates, domicile)
        self._start_review(record, prefilled=prefilled)

    # ---- review --------------------------------------------------------------------------

    def _start_review(self, record: SessionRecord, *, prefilled: bool) -> None:
        self.record = record
        record.answers[MODE_KEY] = self.mode.value
        record.answers[METHOD_KEY] = self.method.value if self.method else ""
        bundles = [
            self.catalog.bundle(p.id.removeprefix("bundle:")) for p in self.chosen if p.is_bundle
        ]
        self.fixed = fixed_answers(bundles)
        apply_fixed(record, self.templates, self.fixed)
        self._refill()
        self.provenance = Provenance()
        self.provenance.fixed(self.fixed)
        if prefilled:
            source = Source.CARD if self.method is Method.CARD else Source.QR
            filled = [q.path for q in self.questions() if not is_empty(self.guide_value_raw(q))]
            self.provenance.prefilled(filled, source)
        self.flags = {}
        self.confirmed_flags = set()
        for q in self.questions():
            if q.slot.spec.type not in TYPED_TYPES:
                continue  # a choice's label or a ☐ is the kiosk's own text, not the card's
            chars = suspicious_characters(self.display(q))
            if chars:
                self.flags[q.path] = chars
        if prefilled and self.metrics is not None:
            self.metrics.prefilled_chars = sum(len(self.display(q)) for q in self.questions())
        assert self.guide is not None
        self.walk = GuideWalk()
        self.walk.start(self.guide)
        self._go(Step.REVIEW)

    def _refill(self) -> None:
        assert self.record is not None
        self.forms = {t.id: fill(t, self.record) for t in self.templates}
        self.guide = Guide(self.templates, self.record, fixed=self.fixed, forms=self.forms)

    def guide_value_raw(self, q: Question) -> Any:
        assert self.guide is not None
        return self.guide.raw(q)

    def questions(self) -> list[Question]:
        """The items the resident is asked or shown, each once (merged by record path), in
        the order of the guided review's groups: only those that apply (`forms.guide`)."""
        if self.guide is None:
            return []
        return self.guide.asked()

    def all_questions(self) -> list[Question]:
        """Every item of every chosen form, applicable or not (signatures excepted)."""
        return [] if self.guide is None else list(self.guide.questions)

    def question(self, path: str) -> Question:
        q = next((q for q in self.all_questions() if q.path == path), None)
        if q is None:
            raise KeyError(path)
        return q

    def value(self, q: Question) -> Any:
        template_id, ref = q.uses[0]
        return self.forms[template_id].values.get(ref)

    def display(self, q: Question) -> str:
        template_id, ref = q.uses[0]
        return self.forms[template_id].text(ref)

    def is_read_only(self, q: Question) -> bool:
        return q.slot.path.read_only

    def errors_for(self, q: Question) -> list[FieldError]:
        """The problems with one question, each distinct message once: forms of a bundle that
        share the item each report it, and the resident should read it only once."""
        if q.path in self.pending_errors:
            return [self.pending_errors[q.path]]
        return [] if self.guide is None else self.guide.errors_for(q)

    def shows_problems(self, q: Question) -> bool:
        """Whether the review may show this item's problems yet: only once the resident has
        pressed 次へ on its page (or reached the summary). Nothing is red before."""
        assert self.guide is not None
        group = self.guide.group_of(q.path)
        return group is not None and self.walk.shows_problems(group)

    def edit(self, path: str, raw: Any, *, typed_chars: int | None = None) -> FieldError | None:
        """The resident changed one item: validate it, write it into the record, refill.

        Returns the error (shown inline, the record untouched) or None. `typed_chars` is what
        the resident typed for the measurement; by default the length of the new text.
        """
        self._expect("edit", Step.REVIEW)
        assert self.record is not None
        q = self.question(path)
        if self.is_read_only(q):
            raise WrongStepError("edit read-only", self.step)
        template_id, ref = q.uses[0]
        template = next(t for t in self.templates if t.id == template_id)
        before = self.display(q)
        try:
            set_field(template, self.record, ref, raw)
        except FieldValueError as exc:
            error = FieldError(ref, exc.ja, exc.en)
            self.pending_errors[path] = error
            self._changed()
            return error
        self.pending_errors.pop(path, None)
        self.proposed_readings.discard(path)
        self._refill()
        after = self.display(q)
        if after != before:
            typed = len(after) if typed_chars is None else typed_chars
            self.provenance.typed(path, typed)
            if self.metrics is not None:
                self.metrics.typed_chars += typed
        self._propose_reading(q)
        if path in self.flags:
            remaining = suspicious_characters(after)
            if remaining:
                self.flags[path] = remaining
                if after != before:  # typed by the resident: what they typed is what they meant
                    self.confirmed_flags.add(path)
            else:
                self.flags.pop(path)
                self.confirmed_flags.discard(path)
        self._changed()
        return None

    def _propose_reading(self, q: Question) -> None:
        """A name typed in Latin letters gets a first katakana reading where the person's
        フリガナ is still empty (`forms.kana.latin_to_katakana`); the resident corrects it.
        It is the kiosk's proposal, not typing (source: automatic)."""
        path = q.slot.path
        if path.root != "person" or path.index is None or path.parts != ("name",):
            return
        assert self.record is not None
        person = self.record.persons[path.index] if path.index < len(self.record.persons) else None
        if person is None or person.name is None:
            return
        name = person.name
        if not has_latin(name.full) or (person.kana and person.kana.full):
            return
        kana_path = f"person[{path.index}].kana"
        kana_q = next((k for k in self.all_questions() if k.path == kana_path), None)
        if kana_q is None:
            return
        template_id, ref = kana_q.uses[0]
        template = next(t for t in self.templates if t.id == template_id)
        family = latin_to_katakana(name.family) if name.family else ""
        given = latin_to_katakana(name.given) if name.given else ""
        try:
            set_field(template, self.record, ref, {"family": family, "given": given})
        except FieldValueError:
            return  # nothing sensible to propose: the resident types it
        self._refill()
        self.provenance.sources[kana_path] = Source.AUTO
        self.proposed_readings.add(kana_path)

    def confirm_flag(self, path: str) -> None:
        """The resident checked the flagged characters of one item and they are right."""
        self._expect("confirm_flag", Step.REVIEW)
        if path in self.flags:
            self.confirmed_flags.add(path)
            self._changed()

    def unconfirmed_flags(self) -> list[str]:
        return [p for p in self.flags if p not in self.confirmed_flags]

    def add_person(self, relation: str = "") -> int:
        """Add a household member (for forms with a group per person); returns their index."""
        self._expect("add_person", Step.REVIEW)
        assert self.record is not None
        self.record.persons.append(Person(relation=relation))
        self._refill()
        self._changed()
        return len(self.record.persons) - 1

    def household_size(self) -> int:
        assert self.record is not None
        return max(1, len(self.record.persons))

    def set_household_size(self, size: int) -> None:
        """How many persons the application lists (the resident first). Fewer drops the last
        ones with what was entered for them; the screen asks before that."""
        self._expect("set_household_size", Step.REVIEW)
        assert self.record is not None and self.guide is not None
        top = max(1, self.guide.household_max())
        size = min(max(1, size), top)
        persons = self.record.persons
        while len(persons) < size:
            persons.append(Person())
        if len(persons) > size:
            for gone in range(size, len(persons)):
                for path in [p for p in self.pending_errors if p.startswith(f"person[{gone}].")]:
                    self.pending_errors.pop(path)
            del persons[size:]
        self._refill()
        self._changed()

    def error_count(self) -> int:
        return len(self.pending_errors) + sum(len(f.errors) for f in self.forms.values())

    # ---- the guided review's pages ---------------------------------------------------------

    def review_page(self) -> GuideGroup | None:
        """The group on screen, or None on the "check your answers" page."""
        assert self.guide is not None
        return self.walk.current(self.guide)

    @property
    def on_summary(self) -> bool:
        return self.step is Step.REVIEW and self.review_page() is None

    def review_position(self) -> tuple[int, int]:
        """ "3 / 7": this page and how many there are, the summary included."""
        assert self.guide is not None
        return self.walk.position(self.guide)

    def page_problems(self, group: GuideGroup) -> tuple[int, int]:
        """(items with errors, flagged items not confirmed) on one page."""
        errors = sum(1 for q in group.questions if self.errors_for(q))
        unconfirmed = sum(1 for q in group.questions if q.path in self.unconfirmed_flags())
        return errors, unconfirmed

    def review_next(self) -> None:
        """次へ: on a page, the next one (or the summary), once the page has no problems;
        else its problems show and PageIncompleteError says how many. On the summary: sign."""
        self._expect("review_next", Step.REVIEW)
        assert self.guide is not None
        group = self.walk.current(self.guide)
        if group is None:
            self.review_done()
            return
        moved = self.walk.next(self.guide, lambda g: sum(self.page_problems(g)))
        if not moved:
            self._changed()
            raise PageIncompleteError(*self.page_problems(group))
        self._changed()

    def review_back(self) -> bool:
        """戻る within the review; False on its first page (the review has no way back: its
        data would be lost, and cancel starts over)."""
        self._expect("review_back", Step.REVIEW)
        assert self.guide is not None
        moved = self.walk.back(self.guide)
        self._changed()
        return moved

    def review_show(self, group_id: str) -> None:
        """Show one page directly (staff going to an item, tests); 次へ goes on from it."""
        self._expect("review_show", Step.REVIEW)
        assert self.guide is not None
        if group_id != SUMMARY and self.guide.group(group_id) is None:
            raise KeyError(group_id)
        self.walk.page = group_id
        self.walk.back_to_summary = False
        self._changed()

    def review_edit(self, group_id: str) -> None:
        """修正 on the summary: that page; its 次へ comes back to the summary."""
        self._expect("review_edit", Step.REVIEW)
        self.walk.goto(group_id)
        self._changed()

    def review_done(self) -> None:
        """Leave the review for signing; with problems left, the review shows every page's
        and goes to the first such page (ReviewIncompleteError)."""
        self._expect("review_done", Step.REVIEW)
        assert self.guide is not None
        errors, unconfirmed = self.error_count(), len(self.unconfirmed_flags())
        unconfirmed += 1 if self.reservation_pending else 0  # the 転入予約 awaits its answer
        if errors or unconfirmed:
            guide = self.guide

            def has_problems(group_id: str) -> bool:
                group = guide.group(group_id)
                return group is not None and sum(self.page_problems(group)) > 0

            self.walk.to_summary_with_problems(guide, has_problems)
            self._changed()
            raise ReviewIncompleteError(errors, unconfirmed)
        self._go(Step.SIGN)

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

    def _fail(self, error: MadoguchiError, retry_step: Step | None) -> None:
        log.info("kiosk error: %s", error.code)  # the code only: messages may name a step
        self.error = ErrorState(error, retry_step)
        self._go(Step.ERROR)

    def fail(self, error: MadoguchiError, retry_step: Step | None = None) -> None:
        """Show any other error (no reader found while starting…)."""
        self.touch()
        self._fail(error, retry_step)

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
        if self.step is Step.DOMICILE:  # from a PIN pad to the offer
            return self.domicile_stage is not DomicileStage.OFFER
        return self.step in BACK_STEPS

    def back(self) -> None:
        if self.step is Step.REVIEW and self.can_go_back():
            self.review_back()
            return
        if self.step is Step.DOMICILE:
            # From a PIN pad to the offer; the offer itself has 入力する, and cancel starts over.
            self.touch()
            self.domicile_stage = DomicileStage.OFFER
            self.domicile_confirmed = set()
            self._changed()
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
