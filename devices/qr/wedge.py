"""Keyboard-wedge scanners: telling a scanner's burst of keystrokes from a person typing.

A wedge scanner types its code as keys, a few milliseconds apart, and ends with Enter. A person
types 100 ms or more apart. The GUI's key filter feeds every printable key and Enter to
`WedgeDetector.feed` and does what the answer says:

- `consume=True`: keep the key from the focused widget (and from the input method);
- `release`: text judged to be typing after all: deliver it to the widget now;
- `code`: a whole scan, delivered as a `CodeRead` (also queued for `read`).

Keys are held back until the next key (or `poll`, which the GUI calls from a timer) shows
whether they start a burst, so typing reaches the widget at most `max_gap` late. A burst with
a dropped key is still a burst: it becomes a (short) code, which the payload decoder then
refuses as truncated, instead of a string of digits typed into a form field.
"""

from __future__ import annotations

from dataclasses import dataclass

from devices.qr.events import CodeRead, QrSource

ENTER = ("\r", "\n")


@dataclass(frozen=True)
class WedgeResult:
    consume: bool
    release: str = ""
    code: CodeRead | None = None


class WedgeDetector(QrSource):
    kind = "wedge"

    def __init__(
        self,
        *,
        max_gap: float = 0.05,
        min_length: int = 8,
        dedupe_window: float = 3.0,
    ) -> None:
        super().__init__(dedupe_window)
        self.max_gap = max_gap
        self.min_length = min_length
        self._buffer: list[str] = []
        self._last: float | None = None

    def _release(self) -> str:
        text = "".join(self._buffer)
        self._buffer.clear()
        self._last = None
        return text

    def feed(self, char: str, timestamp: float) -> WedgeResult:
        """One key (a single character; "\\r" or "\\n" for Enter) at `timestamp` seconds."""
        in_burst = self._last is not None and timestamp - self._last <= self.max_gap
        if char in ENTER:
            if in_burst and len(self._buffer) >= self.min_length:
                text = self._release()
                return WedgeResult(True, "", self._emit(text, timestamp))
            return WedgeResult(False, self._release())  # Enter goes to the widget after it
        released = "" if in_burst or not self._buffer else self._release()
        self._buffer.append(char)
        self._last = timestamp
        return WedgeResult(True, released)

    def poll(self, timestamp: float) -> str:
        """Call every ~`max_gap` seconds: held keys that no burst followed, for the widget."""
        if self._buffer and self._last is not None and timestamp - self._last > self.max_gap:
            return self._release()
        return ""
