"""The card thread: every PC/SC call of the kiosk runs here, one at a time.

    service = CardService()              # PC/SC; CardService(VirtualBackend(...)) for the demo
    service.start()
    unsubscribe = service.subscribe(on_event)   # called on the card thread: re-emit as a signal
    future = service.read(pin=ask_pin, confirm_last_try=confirm, individual_number=False)
    card = wait(future, timeout=30)      # or future.add_done_callback(...)
    record.apply_card(card)
    service.close()

Jobs connect afresh each time and disconnect at the end, so nothing survives a removal. Between
jobs the thread polls the readers and publishes insertion/removal events.
"""

from __future__ import annotations

import concurrent.futures
import logging
import queue
import threading
from collections.abc import Callable
from typing import Literal, TypeVar

from devices.card import licence, mynumber
from devices.card.errors import CardTimeoutError, NoCardError, NoReaderError
from devices.card.events import CardEvent
from devices.card.monitor import Monitor
from devices.card.pin import ConfirmLastTry, PinProvider
from devices.card.transport import CardBackend
from forms.clock import OfficeClock
from forms.record import CardData

log = logging.getLogger(__name__)

T = TypeVar("T")
CardKind = Literal["my_number", "drivers_licence"]
Subscriber = Callable[[CardEvent], None]


def pick_reader(backend: CardBackend, reader: str | None) -> str:
    """`reader` if given, else the first reader holding a card."""
    if reader is not None:
        return reader
    present = backend.card_present()
    if not present:
        raise NoReaderError()
    for name, has_card in present.items():
        if has_card:
            return name
    raise NoCardError()


def read_card(
    backend: CardBackend,
    reader: str | None = None,
    *,
    kind: CardKind = "my_number",
    pin: PinProvider | None,
    confirm_last_try: ConfirmLastTry | None = None,
    individual_number: bool = False,
    clock: OfficeClock | None = None,
    domicile_pin: PinProvider | None = None,
) -> CardData:
    """One complete read on the calling thread (the service runs it on the card thread).

    `clock` dates the check that a birth date is not in the future (the office's today).
    `domicile_pin` (a licence's PIN 2 provider) reads 本籍 too; pass it only for forms that
    declare `uses_licence_domicile` (`forms.domicile.needs_licence_domicile`).
    """
    transport = backend.connect(pick_reader(backend, reader))
    try:
        if kind == "my_number":
            return mynumber.read_my_number(
                transport,
                pin,
                confirm_last_try=confirm_last_try,
                individual_number=individual_number,
                clock=clock,
            )
        return licence.read_licence(
            transport,
            pin,
            confirm_last_try=confirm_last_try,
            clock=clock,
            domicile_pin=domicile_pin,
        )
    finally:
        transport.close()


def read_domicile(
    backend: CardBackend,
    reader: str | None = None,
    *,
    pin1: PinProvider | None,
    pin2: PinProvider | None,
    confirm_last_try: ConfirmLastTry | None = None,
    confirm_last_try2: ConfirmLastTry | None = None,
) -> str:
    """本籍 alone from a driver's licence (the resident identified with another card)."""
    transport = backend.connect(pick_reader(backend, reader))
    try:
        return licence.read_domicile(
            transport,
            pin1,
            pin2,
            confirm_last_try=confirm_last_try,
            confirm_last_try2=confirm_last_try2,
        )
    finally:
        transport.close()


def licence_tries(backend: CardBackend, reader: str | None = None) -> tuple[int, int]:
    """A licence's (PIN 1, PIN 2) tries left, spending none."""
    transport = backend.connect(pick_reader(backend, reader))
    try:
        return licence.read_licence_tries(transport)
    finally:
        transport.close()


def tries_left(
    backend: CardBackend, reader: str | None = None, kind: CardKind = "my_number", pin: int = 1
) -> int:
    """Tries left, spending none; `pin=2` is the licence's PIN 2 (本籍)."""
    transport = backend.connect(pick_reader(backend, reader))
    try:
        if kind == "my_number":
            return mynumber.read_tries_left(transport)
        return licence.read_tries_left(transport, pin)
    finally:
        transport.close()


def wait(future: concurrent.futures.Future[T], timeout: float) -> T:
    """The result of a card job, or CardTimeoutError: no caller waits forever."""
    try:
        return future.result(timeout=timeout)
    except concurrent.futures.TimeoutError:
        raise CardTimeoutError("wait") from None


_STOP = object()


class CardService:
    """One card thread per family of readers (PC/SC by default)."""

    def __init__(self, backend: CardBackend | None = None, *, poll_interval: float = 0.2) -> None:
        if backend is None:
            from devices.card.pcsc import PcscBackend

            backend = PcscBackend()
        self._backend = backend
        self._poll_interval = poll_interval
        self._jobs: queue.Queue[object] = queue.Queue()
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()
        self._monitor = Monitor()
        self._thread: threading.Thread | None = None
        self._closed = False

    # --- lifecycle --------------------------------------------------------------------------
    def start(self) -> CardService:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="card-worker", daemon=True)
            self._thread.start()
        return self

    def close(self, timeout: float = 5.0) -> None:
        self._closed = True
        self._jobs.put(_STOP)
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("card thread did not stop within %.1f s", timeout)
        while True:  # anything still queued will never run
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if isinstance(job, tuple):
                job[1].cancel()

    def __enter__(self) -> CardService:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- events -----------------------------------------------------------------------------
    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """`callback(event)` runs on the card thread; returns a function that unsubscribes."""
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    @property
    def state(self) -> dict[str, bool]:
        """The last polled `{reader: card present}` (a copy)."""
        return self._monitor.state

    # --- jobs -------------------------------------------------------------------------------
    def submit(self, job: Callable[[CardBackend], T]) -> concurrent.futures.Future[T]:
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        if self._closed:
            future.cancel()
            return future
        self._jobs.put((job, future))
        return future

    def readers(self) -> concurrent.futures.Future[list[str]]:
        return self.submit(lambda backend: backend.readers())

    def tries_left(
        self, reader: str | None = None, kind: CardKind = "my_number", pin: int = 1
    ) -> concurrent.futures.Future[int]:
        return self.submit(lambda backend: tries_left(backend, reader, kind, pin))

    def read_domicile(
        self,
        reader: str | None = None,
        *,
        pin1: PinProvider | None,
        pin2: PinProvider | None,
        confirm_last_try: ConfirmLastTry | None = None,
        confirm_last_try2: ConfirmLastTry | None = None,
    ) -> concurrent.futures.Future[str]:
        """本籍 from a licence; the providers are called on the card thread."""
        return self.submit(
            lambda backend: read_domicile(
                backend,
                reader,
                pin1=pin1,
                pin2=pin2,
                confirm_last_try=confirm_last_try,
                confirm_last_try2=confirm_last_try2,
            )
        )

    def licence_tries(
        self, reader: str | None = None
    ) -> concurrent.futures.Future[tuple[int, int]]:
        return self.submit(lambda backend: licence_tries(backend, reader))

    def read(
        self,
        reader: str | None = None,
        *,
        kind: CardKind = "my_number",
        pin: PinProvider | None,
        confirm_last_try: ConfirmLastTry | None = None,
        individual_number: bool = False,
        domicile_pin: PinProvider | None = None,
    ) -> concurrent.futures.Future[CardData]:
        """Read a card; `pin`, `domicile_pin` and `confirm_last_try` run on the card thread."""
        return self.submit(
            lambda backend: read_card(
                backend,
                reader,
                kind=kind,
                pin=pin,
                confirm_last_try=confirm_last_try,
                individual_number=individual_number,
                domicile_pin=domicile_pin,
            )
        )

    # --- the thread -------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            while True:
                try:
                    item = self._jobs.get(timeout=self._poll_interval)
                except queue.Empty:
                    item = None
                if item is _STOP:
                    return
                if isinstance(item, tuple):
                    self._run_job(*item)
                self._poll()
        finally:
            try:
                self._backend.close()
            except Exception:
                log.exception("closing the card backend failed")

    def _run_job(
        self, job: Callable[[CardBackend], object], future: concurrent.futures.Future[object]
    ) -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            result = job(self._backend)
        except BaseException as exc:
            # Only the type: a message never has personal data, but keep logs minimal anyway.
            log.info("card job failed: %s", type(exc).__name__)
            future.set_exception(exc)
        else:
            future.set_result(result)

    def _poll(self) -> None:
        try:
            snapshot = self._backend.card_present()
        except Exception as exc:
            log.info("reader poll failed: %s", type(exc).__name__)
            snapshot = {}
        for event in self._monitor.update(snapshot):
            log.debug("card event %s", event)
            with self._lock:
                subscribers = list(self._subscribers)
            for callback in subscribers:
                try:
                    callback(event)
                except Exception:
                    log.exception("card event subscriber failed")
