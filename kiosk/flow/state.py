"""The flow's session state and its moves: what one resident's session holds, the step it is
on, its listeners, the measurement of time per step, and the move to the error step.
`_reset` is the wipe: everything of the resident goes."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from forms.clock import OfficeClock
from forms.errors import FieldError, MadoguchiError
from forms.fill import FilledForm
from forms.guide import Guide
from forms.guide_walk import GuideWalk
from forms.procedure import Procedure
from forms.provenance import Provenance
from forms.record import CardData, SessionRecord
from forms.template import Template
from kiosk.flow.errors import WrongStepError
from kiosk.flow.steps import (
    DEFAULT_INACTIVITY_S,
    DEFAULT_WARNING_S,
    DomicileStage,
    ErrorState,
    Method,
    Step,
    WipeReason,
)
from kiosk.measurement import MetricsLog, SessionMetrics
from kiosk.ports import Confirmation
from sync.protocol import Mode
from sync.protocol.reservations import ReservationFound

if TYPE_CHECKING:
    from forms.catalog import Catalog
    from kiosk.flow.machine import KioskFlow

log = logging.getLogger("kiosk.flow")

Listener = Callable[["KioskFlow"], None]
WipeListener = Callable[[WipeReason], None]


class FlowState:
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
        navigator: bool = False,
        office_clock: OfficeClock | None = None,
    ) -> None:
        self.catalog = catalog
        # The day a new record is dated (`SessionRecord.today`); None: the process's office
        # clock. Scripted visits (`kiosk.visits`) fix it to their sample's day.
        self.office_clock = office_clock
        # The procedure navigator step (kiosk.flow.navigation); the kiosk apps turn it on.
        self.navigator_on = navigator
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

    def _new_record(self) -> SessionRecord:
        """An empty record for a new resident, dated by the flow's office clock."""
        if self.office_clock is None:
            return SessionRecord()
        return SessionRecord(today=self.office_clock.today())

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
        # The person whose page is on screen, held in the person groups that listed them while
        # the resident types there (`forms.fill.Held`); released when they leave the page.
        self.held: dict[tuple[str, str], set[int]] = {}
        self.held_page = ""
        self.provenance = Provenance()  # where each answer came from
        # record path → the value a life event's default put there (`kiosk.flow.life_event_defaults`)
        self.defaulted: dict[str, Any] = {}
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
        self.nav_answered: list[tuple[str, str]] = []  # (bundle, question) in the order answered
        self.nav_size_known = True  # the navigator knows how many persons the household has
        self.nav_size_asked = False  # … because the resident said so on it
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
        flow = cast("KioskFlow", self)  # the state is only ever a whole KioskFlow's
        for listener in list(self._listeners):
            listener(flow)

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

    def _fail(self, error: MadoguchiError, retry_step: Step | None) -> None:
        log.info("kiosk error: %s", error.code)  # the code only: messages may name a step
        self.error = ErrorState(error, retry_step)
        self._go(Step.ERROR)

    def fail(self, error: MadoguchiError, retry_step: Step | None = None) -> None:
        """Show any other error (no reader found while starting…)."""
        self.touch()
        self._fail(error, retry_step)
