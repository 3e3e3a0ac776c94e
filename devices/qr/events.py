"""The one event every QR source yields, and the de-duplication all of them share."""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field
from typing import Literal

SourceKind = Literal["camera", "serial", "wedge", "image"]


@dataclass(frozen=True)
class CodeRead:
    """One QR code read. `text` may be personal data: repr shows only its length."""

    text: str = field(repr=False)
    source: SourceKind
    timestamp: float  # time.monotonic() seconds (or the caller's clock, consistently)

    def __repr__(self) -> str:
        return f"CodeRead(source={self.source!r}, chars={len(self.text)}, t={self.timestamp:.3f})"


class Deduplicator:
    """Drops a read of the same text within `window` seconds of its previous read.

    A camera sees the same code in every frame and a resident may scan twice: only the first
    read within the window becomes an event. The window restarts on every repeat, so a code
    held in front of the camera stays one event however long it stays.
    """

    def __init__(self, window: float = 3.0) -> None:
        self.window = window
        self._last_seen: dict[str, float] = {}

    def accept(self, text: str, timestamp: float) -> bool:
        for old, seen in list(self._last_seen.items()):
            if timestamp - seen > self.window:
                del self._last_seen[old]
        previous = self._last_seen.get(text)
        self._last_seen[text] = timestamp
        return previous is None or timestamp - previous > self.window

    def clear(self) -> None:
        self._last_seen.clear()


class QrSource:
    """Base of the three source kinds: an event queue with de-duplication.

    The producing side (a camera thread, the serial reader thread, the GUI's key filter) calls
    `_emit`; the consumer calls `read(timeout)`. `close()` ends `read` waits promptly.
    """

    kind: SourceKind

    def __init__(self, dedupe_window: float = 3.0) -> None:
        self._events: queue.Queue[CodeRead | None] = queue.Queue()
        self._dedupe = Deduplicator(dedupe_window)
        self._lock = threading.Lock()
        self._closed = threading.Event()

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def _emit(self, text: str, timestamp: float) -> CodeRead | None:
        with self._lock:
            if self._closed.is_set() or not self._dedupe.accept(text, timestamp):
                return None
        event = CodeRead(text, self.kind, timestamp)
        self._events.put(event)
        return event

    def read(self, timeout: float) -> CodeRead | None:
        """The next code read, or None after `timeout` seconds (or once closed)."""
        if self._closed.is_set() and self._events.empty():
            return None
        try:
            return self._events.get(timeout=timeout)
        except queue.Empty:
            return None

    def reset(self) -> None:
        """Forget what was read (a new resident's session): the same code counts again."""
        with self._lock:
            self._dedupe.clear()

    def close(self) -> None:
        self._closed.set()
        self._events.put(None)  # wakes a waiting read()
