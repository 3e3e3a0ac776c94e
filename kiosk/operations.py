"""Background operations with their outcome delivered on the GUI thread (Anki-style).

`Operations.run(lane, fn, on_success=…, on_failure=…)` runs `fn()` on the lane's own worker
thread and calls exactly one of the callbacks on the GUI thread, through a queued signal.
Each device family has one lane with one thread (card I/O is never concurrent with itself;
printing likewise), so lanes are QThreadPools of one thread each.

A wipe calls `invalidate()`: results of operations started before it are dropped, so a card
read that finishes after the resident pressed cancel never refills the next session.
Waiting (`wait_idle`) always takes a timeout.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from forms.errors import MadoguchiError

log = logging.getLogger(__name__)

LANES = ("card", "qr", "print", "confirm")


class UnexpectedOperationError(MadoguchiError):
    """A background operation raised something that is not one of our typed errors."""

    code = "kiosk_unexpected"

    def __init__(self, what: str, kind: str) -> None:
        super().__init__(
            f"処理中に予期しない問題が起きました（{what}: {kind}）",
            f"an unexpected problem occurred ({what}: {kind})",
        )


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues the call to the GUI thread."""

    finished = Signal(int, bool, object)


class _Job(QRunnable):
    def __init__(self, ticket: int, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._ticket = ticket
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:
            self._relay.finished.emit(self._ticket, False, exc)
        else:
            self._relay.finished.emit(self._ticket, True, result)


class _Warm(QRunnable):
    def __init__(self, fn: Callable[[], None]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn

    def run(self) -> None:
        self._fn()


class Operations(QObject):
    """Background lanes, one thread each: the kiosk's `LANES` unless `lanes` names others.

    Another app adds its own lanes by name (`Operations(lanes=(*LANES, "office"))`, or
    `add_lane("office")` before the first use), never by reaching into the pools.
    """

    def __init__(self, parent: QObject | None = None, *, lanes: Iterable[str] = LANES) -> None:
        super().__init__(parent)
        self._pools: dict[str, QThreadPool] = {}
        for lane in lanes:
            self.add_lane(lane)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver)
        self._pending: dict[int, tuple[int, str, Callable, Callable]] = {}
        self._next_ticket = 0
        self._generation = 0

    def add_lane(self, lane: str) -> None:
        """A new lane with its own single thread, kept for the app's life (a device handle
        opened on it stays on that thread). A name can be added once."""
        if lane in self._pools:
            raise ValueError(f"lane {lane!r} exists already")
        pool = QThreadPool(self)
        pool.setMaxThreadCount(1)
        pool.setExpiryTimeout(-1)  # keep the lane's one thread: device handles stay put
        self._pools[lane] = pool

    @property
    def lanes(self) -> tuple[str, ...]:
        return tuple(self._pools)

    def _pool(self, lane: str) -> QThreadPool:
        try:
            return self._pools[lane]
        except KeyError:
            raise KeyError(f"no lane {lane!r} (lanes: {', '.join(self._pools)})") from None

    def run(
        self,
        lane: str,
        fn: Callable[[], Any],
        *,
        on_success: Callable[[Any], None],
        on_failure: Callable[[MadoguchiError], None],
    ) -> None:
        """Run `fn` on `lane`; one callback follows on the GUI thread (unless invalidated)."""
        pool = self._pool(lane)
        self._next_ticket += 1
        ticket = self._next_ticket
        self._pending[ticket] = (self._generation, lane, on_success, on_failure)
        pool.start(_Job(ticket, fn, self._relay))

    def warm(self, lane: str, fn: Callable[[], Any]) -> None:
        """Run `fn` on `lane` ahead of its real work (imports, opening a database), untracked:
        `busy` does not count it, nothing is called back, a failure is logged by type only.
        Work started on the lane afterwards simply runs after it."""

        def job() -> None:
            try:
                fn()
            except Exception as exc:
                log.warning("warm-up on the %s lane failed: %s", lane, type(exc).__name__)

        self._pool(lane).start(_Warm(job))

    def busy(self, lane: str | None = None) -> bool:
        return any(lane is None or p[1] == lane for p in self._pending.values())

    def invalidate(self) -> None:
        """Forget every operation under way: their results will be dropped."""
        self._generation += 1

    def wait_idle(self, timeout_ms: int = 5000) -> bool:
        """Block until every lane is idle (shutdown and tests only); False on timeout."""
        return all(pool.waitForDone(timeout_ms) for pool in self._pools.values())

    def shutdown(self, timeout_ms: int = 5000) -> None:
        self.invalidate()
        for pool in self._pools.values():
            pool.clear()
        if not self.wait_idle(timeout_ms):
            log.warning("background operations still running at shutdown")

    @Slot(int, bool, object)
    def _deliver(self, ticket: int, ok: bool, payload: object) -> None:
        entry = self._pending.pop(ticket, None)
        if entry is None:
            return
        generation, lane, on_success, on_failure = entry
        if generation != self._generation:
            log.info("dropped a %s result from before a wipe", lane)
            return
        if ok:
            on_success(payload)
            return
        if isinstance(payload, MadoguchiError):
            on_failure(payload)
        else:
            # The type name only: an exception's text may carry what the device said.
            log.error("unexpected %s failure: %s", lane, type(payload).__name__)
            on_failure(UnexpectedOperationError(lane, type(payload).__name__))
