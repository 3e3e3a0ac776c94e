"""Background lanes, one thread each, with outcomes handed back to the GUI (Anki-style).

`Lanes.run(lane, fn, on_success=…, on_failure=…)` runs `fn()` on the lane's own thread and
calls exactly one of the callbacks through `deliver`, which each GUI provides: it queues a
callable onto its own event loop (a Qt signal in the kiosk and the reception terminal). Each
device family has one lane with one thread, kept for the app's life, so card I/O is never
concurrent with itself and a device handle opened on a lane stays on that thread. The apps add
lanes of their own by name (the reception terminal's back-office calls, its polling).

A wipe calls `invalidate()`: results of operations started before it are dropped, so a card
read that finishes after the resident pressed cancel never refills the next session.
Waiting (`wait_idle`, `shutdown`) always takes a timeout.

Qt-free: the lanes are plain threads; only `deliver` knows the GUI.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from forms.errors import MadoguchiError

log = logging.getLogger(__name__)

Deliver = Callable[[Callable[[], None]], None]
OnSuccess = Callable[[Any], None]
OnFailure = Callable[[MadoguchiError], None]


class UnexpectedOperationError(MadoguchiError):
    """A background operation raised something that is not one of our typed errors."""

    code = "kiosk_unexpected"

    def __init__(self, what: str, kind: str) -> None:
        super().__init__(
            f"処理中に予期しない問題が起きました（{what}: {kind}）",
            f"an unexpected problem occurred ({what}: {kind})",
        )


class Lanes:
    """Named single-thread lanes. `deliver(callback)` must run `callback` on the GUI thread."""

    def __init__(self, lanes: Iterable[str], deliver: Deliver) -> None:
        self._deliver_to_gui = deliver
        self._executors: dict[str, cf.ThreadPoolExecutor] = {}
        self._futures: set[cf.Future[Any]] = set()
        self._pending: dict[int, tuple[int, str]] = {}  # ticket → (generation, lane)
        self._lock = threading.Lock()
        self._next_ticket = 0
        self._generation = 0
        for lane in lanes:
            self.add_lane(lane)

    def add_lane(self, lane: str) -> None:
        """A new lane with its own single thread. A name can be added once."""
        if lane in self._executors:
            raise ValueError(f"lane {lane!r} exists already")
        self._executors[lane] = cf.ThreadPoolExecutor(1, thread_name_prefix=f"lane-{lane}")

    @property
    def lanes(self) -> tuple[str, ...]:
        return tuple(self._executors)

    def _executor(self, lane: str) -> cf.ThreadPoolExecutor:
        try:
            return self._executors[lane]
        except KeyError:
            raise KeyError(f"no lane {lane!r} (lanes: {', '.join(self._executors)})") from None

    def run(
        self,
        lane: str,
        fn: Callable[[], Any],
        *,
        on_success: OnSuccess,
        on_failure: OnFailure,
    ) -> None:
        """Run `fn` on `lane`; one callback follows on the GUI thread (unless invalidated)."""
        executor = self._executor(lane)
        self._next_ticket += 1
        ticket = self._next_ticket
        self._pending[ticket] = (self._generation, lane)

        def job() -> None:
            try:
                result = fn()
            except BaseException as exc:
                error = exc
                self._deliver_to_gui(lambda: self._finish(ticket, on_failure, error, ok=False))
            else:
                self._deliver_to_gui(lambda: self._finish(ticket, on_success, result, ok=True))

        self._track(executor.submit(job))

    def follow(
        self,
        lane: str,
        future: cf.Future[Any],
        *,
        timeout_s: float,
        on_timeout: Callable[[], MadoguchiError],
        on_success: OnSuccess,
        on_failure: OnFailure,
    ) -> None:
        """Deliver the outcome of work another thread already does (a device's own worker
        thread), with no thread of ours in between; `on_timeout()` makes the failure if it
        has not finished in `timeout_s`. Counted as busy on `lane` until then."""
        self._executor(lane)  # a known lane, or KeyError
        self._next_ticket += 1
        ticket = self._next_ticket
        self._pending[ticket] = (self._generation, lane)

        def expired() -> None:
            if not future.done():
                error = on_timeout()
                self._deliver_to_gui(lambda: self._finish(ticket, on_failure, error, ok=False))

        timer = threading.Timer(timeout_s, expired)
        timer.daemon = True

        def done(finished: cf.Future[Any]) -> None:
            timer.cancel()
            if finished.cancelled():
                error: BaseException = on_timeout()
                self._deliver_to_gui(lambda: self._finish(ticket, on_failure, error, ok=False))
                return
            failure = finished.exception()
            if failure is not None:
                self._deliver_to_gui(lambda: self._finish(ticket, on_failure, failure, ok=False))
            else:
                result = finished.result()
                self._deliver_to_gui(lambda: self._finish(ticket, on_success, result, ok=True))

        timer.start()
        future.add_done_callback(done)

    def warm(self, lane: str, fn: Callable[[], Any]) -> None:
        """Run `fn` on `lane` ahead of its real work (imports, opening a database), untracked:
        `busy` does not count it, nothing is called back, a failure is logged by type only.
        Work started on the lane afterwards simply runs after it."""

        def job() -> None:
            try:
                fn()
            except Exception as exc:
                log.warning("warm-up on the %s lane failed: %s", lane, type(exc).__name__)

        self._track(self._executor(lane).submit(job))

    def busy(self, lane: str | None = None) -> bool:
        return any(lane is None or entry[1] == lane for entry in self._pending.values())

    def invalidate(self) -> None:
        """Forget every operation under way: their results will be dropped."""
        self._generation += 1

    def wait_idle(self, timeout_ms: int = 5000) -> bool:
        """Block until every lane has finished what it was given (shutdown and tests only);
        False on timeout. Callbacks still follow through `deliver`."""
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            with self._lock:
                futures = set(self._futures)
            if not futures:
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            cf.wait(futures, timeout=left)

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Drop every result, cancel what has not started, and wait (bounded) for the rest."""
        self.invalidate()
        self._pending.clear()
        with self._lock:
            futures = list(self._futures)
        for future in futures:  # outside the lock: a cancelled future untracks itself at once
            future.cancel()
        if not self.wait_idle(timeout_ms):
            log.warning("background operations still running at shutdown")
        for executor in self._executors.values():
            executor.shutdown(wait=False, cancel_futures=True)

    def _track(self, future: cf.Future[Any]) -> None:
        with self._lock:
            self._futures.add(future)
        future.add_done_callback(self._untrack)

    def _untrack(self, future: cf.Future[Any]) -> None:
        with self._lock:
            self._futures.discard(future)

    def _finish(
        self, ticket: int, callback: Callable[[Any], None], payload: Any, *, ok: bool
    ) -> None:
        """On the GUI thread: hand the outcome to its callback, unless a wipe came first."""
        entry = self._pending.pop(ticket, None)
        if entry is None:
            return
        generation, lane = entry
        if generation != self._generation:
            log.info("dropped a %s result from before a wipe", lane)
            return
        if ok or isinstance(payload, MadoguchiError):
            callback(payload)
            return
        # The type name only: an exception's text may carry what the device said.
        log.error("unexpected %s failure: %s", lane, type(payload).__name__)
        callback(UnexpectedOperationError(lane, type(payload).__name__))
