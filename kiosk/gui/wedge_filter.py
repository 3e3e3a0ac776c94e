"""The application-wide key filter for keyboard-wedge QR scanners (issue 4's Qt half).

A wedge scanner "types" its code: a burst of keystrokes a few milliseconds apart, ending in
Enter. Telling that from a person typing is `devices.qr.WedgeDetector`'s job (plain Python);
this filter feeds it every key press the focused widget would get, and does what it answers:

- a key that might start or continue a burst is **held back** from the widget (and from the
  input method): the detector decides on the next key, or on `poll` from a QTimer;
- keys that turn out to be typing are **replayed** to the widget they were meant for, in
  order, as press and release, at most `max_gap` (50 ms) late;
- a whole burst is **swallowed** and its text handed to `on_code` (the window routes it to
  the flow as a QR read), so a scan while a text field has focus types nothing into it;
- while a burst is in flight the focused widget's **input method is switched off** (a kana
  IME would turn the digits into a conversion), and back on when it ends.

Only printable, non-space characters without Ctrl/Alt/Meta and Enter take part. Any other key
(Backspace, arrows, Tab, shortcuts, space), and any click or touch, first releases whatever
is held, then passes. The
genuine key release of a held key is swallowed too (the replay sends its own), so a button
never sees a release without its press. Timestamps come from `clock` (time.monotonic) when the
GUI thread sees the key: Qt's event timestamps are not in a time base we can poll against.

Nothing here logs or keeps key text beyond the held keys of one burst.
"""

from __future__ import annotations

import logging
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from devices.qr.wedge import WedgeDetector

log = logging.getLogger(__name__)

POLL_MS = 20
RELEASE_MEMORY_S = 2.0  # a swallowed press's release is expected within this time
HUMAN_EVENTS = frozenset(
    {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.TabletPress}
)
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
SHORTCUT_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


@dataclass
class _HeldKey:
    target: QWidget
    key: int
    modifiers: Qt.KeyboardModifier
    text: str


class WedgeKeyFilter(QObject):
    """Install with `install()`; `on_code(text)` gets every complete scan (on the GUI thread)."""

    def __init__(
        self,
        on_code: Callable[[str], None],
        *,
        detector: WedgeDetector | None = None,
        clock: Callable[[], float] = time.monotonic,
        poll_ms: int = POLL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.on_code = on_code
        self._detector = detector
        self.clock = clock
        self._held: list[_HeldKey] = []
        self._owed_releases: deque[tuple[int, float]] = deque()
        self._im_off: list[QWidget] = []
        self._replaying = False
        self._installed = False
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.poll)

    def __repr__(self) -> str:  # counts only, never the held text
        return f"WedgeKeyFilter(held={len(self._held)})"

    @property
    def detector(self) -> WedgeDetector:
        """Made on first use: importing `devices.qr` loads numpy and the frame decoders, which
        the window's warm-up does off the GUI thread after the welcome screen shows."""
        if self._detector is None:
            from devices.qr.wedge import WedgeDetector

            self._detector = WedgeDetector()
        return self._detector

    # ---- lifecycle -----------------------------------------------------------------------

    def install(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True
            self._timer.start()

    def uninstall(self) -> None:
        """Stop filtering; keys still held are dropped (the session they belong to is over)."""
        self._timer.stop()
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
        self._installed = False
        self.reset()

    def reset(self) -> None:
        """Forget held keys and what the detector read (a wipe: nothing of it is replayed)."""
        if self._detector is not None:
            self._detector.poll(math.inf)
            self._detector.reset()
        self._held.clear()
        self._restore_input_method()

    @property
    def holding(self) -> int:
        """How many keys are held back right now (for tests and the curious)."""
        return len(self._held)

    # ---- the filter ----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind in HUMAN_EVENTS:
            self.flush()  # a touch or a click: what was typed lands before it is handled
            return False
        if self._replaying or kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            return False
        if not isinstance(watched, QWidget) or not _is_first_receiver(watched):
            return False  # the window handle, or a parent the key propagated to
        assert isinstance(event, QKeyEvent)
        if kind == QEvent.Type.KeyRelease:
            return self._owed_release(event.key())
        char = _scanner_char(event)
        if char is None:
            self.flush()
            return False
        result = self.detector.feed(char, self.clock())
        if result.release:
            self._replay(len(result.release))
        if result.code is not None:
            self._held.clear()  # the burst's keys: swallowed for good
            self._owe_release(event.key())
            self._restore_input_method()
            self.on_code(result.code.text)
            return True
        if result.consume:
            self._held.append(_HeldKey(watched, event.key(), event.modifiers(), event.text()))
            self._owe_release(event.key())
            if len(self._held) >= 2:  # two keys within max_gap: a burst is in flight
                self._input_method_off(watched)
            else:  # a new start after a pause: what was held went to the widget as typing
                self._restore_input_method()
            return True
        self._restore_input_method()  # an Enter after typing: it goes to the widget
        return False

    def poll(self) -> None:
        """Release keys no burst followed (the QTimer calls this every `poll_ms`)."""
        if not self._held:
            return
        text = self.detector.poll(self.clock())
        if text:
            self._replay(len(text))
            self._restore_input_method()

    def flush(self) -> None:
        """Release every held key now (before a key that cannot be part of a scan)."""
        if not self._held:
            return
        text = self.detector.poll(math.inf)
        if text:
            self._replay(len(text))
        self._restore_input_method()

    # ---- helpers -------------------------------------------------------------------------

    def _replay(self, count: int) -> None:
        keys, self._held = self._held[:count], self._held[count:]
        self._replaying = True
        try:
            for held in keys:
                if not shiboken6.isValid(held.target):
                    continue  # the widget went away (a wipe rebuilt the screens)
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    event = QKeyEvent(kind, held.key, held.modifiers, held.text)
                    QCoreApplication.sendEvent(held.target, event)
        finally:
            self._replaying = False

    def _owe_release(self, key: int) -> None:
        self._owed_releases.append((key, self.clock()))

    def _owed_release(self, key: int) -> bool:
        """Swallow the genuine release of a key press we took (the replay sent its own)."""
        now = self.clock()
        while self._owed_releases and now - self._owed_releases[0][1] > RELEASE_MEMORY_S:
            self._owed_releases.popleft()
        for n, (owed, _) in enumerate(self._owed_releases):
            if owed == key:
                del self._owed_releases[n]
                return True
        return False

    def _input_method_off(self, widget: QWidget) -> None:
        if widget in self._im_off or not widget.testAttribute(
            Qt.WidgetAttribute.WA_InputMethodEnabled
        ):
            return
        widget.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self._im_off.append(widget)
        _update_input_method()

    def _restore_input_method(self) -> None:
        if not self._im_off:
            return
        for widget in self._im_off:
            if shiboken6.isValid(widget):
                widget.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)
        self._im_off.clear()
        _update_input_method()


def _is_first_receiver(widget: QWidget) -> bool:
    """Key events go to the focus widget first (or the active window without one) and then
    propagate to its parents; each event must be fed once, so only its first receiver counts."""
    focus = QApplication.focusWidget()
    if focus is not None:
        return widget is focus
    return widget.isWindow()


def _scanner_char(event: QKeyEvent) -> str | None:
    """The character a scanner could have sent with this key, or None."""
    if event.key() in ENTER_KEYS:
        return "\r"
    text = event.text()
    if len(text) != 1 or not text.isprintable() or text.isspace():
        return None
    if event.modifiers() & SHORTCUT_MODIFIERS:
        return None
    return text


def _update_input_method() -> None:
    method = QGuiApplication.inputMethod()
    if method is not None:
        method.update(Qt.InputMethodQuery.ImEnabled)
