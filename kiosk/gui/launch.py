"""Opening the kiosk window: the Qt side of `madoguchi kiosk` and `madoguchi demo`.

The command line (`kiosk.cli`) builds the flow and the services without Qt; this module owns
the QApplication, shows the window full screen (or windowed for development), and closes
everything it was handed, in order, when the window's event loop ends.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.gui.app import KioskWindow
from kiosk.gui.widgets.virtual_keyboard import prepare_environment
from kiosk.i18n import Translator

if TYPE_CHECKING:  # the demo and the scripted resident load only for the commands using them
    from kiosk.demo import DemoKit
    from kiosk.flow import KioskFlow
    from kiosk.gui.scripted import ScriptedResult
    from kiosk.ports import KioskServices


def application() -> QApplication:
    """The QApplication; when it is made here, the on-screen keyboard's environment is set
    first (its input context is chosen when the application starts)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    prepare_environment()
    return QApplication(sys.argv[:1])


def run_kiosk(
    flow: KioskFlow,
    services: KioskServices,
    *,
    english: bool = False,
    windowed: bool = False,
    when_shown: Callable[[], object] | None = None,
    closers: Iterable[Callable[[], None]] = (),
) -> int:
    """Show the kiosk until it is closed; `when_shown` runs once the welcome screen is up."""
    app = application()
    window = KioskWindow(flow, services, translator=Translator("en" if english else "ja"))
    if windowed:
        window.resize(1280, 800)
        window.show()
    else:
        window.showFullScreen()
    if when_shown is not None:
        QTimer.singleShot(0, window, when_shown)
    if not windowed:
        _when_exposed(window)
    try:
        return int(app.exec())
    finally:
        window.shutdown()
        for close in closers:
            close()


def _size(rect: QRect) -> str:
    return f"{rect.width()}x{rect.height()}"


def _when_exposed(window: KioskWindow, tries: int = 400) -> None:
    """Once the compositor shows the full-screen window: make sure it covers its screen (a
    compositor may expose it before the full-screen size arrives, or not apply it: then the
    window is given the screen's geometry), write both sizes to the journal, and under the
    kiosk session (MADOGUCHI_KIOSK_SEAL_DISPLAY=1) let no other client reach the display
    (kiosk.display_seal)."""
    from kiosk import display_seal

    def settled() -> bool:
        screen = window.screen()
        return screen is None or window.geometry() == screen.geometry()

    def check(left: int, fitted: bool) -> None:
        handle = window.windowHandle()
        if handle is None or not handle.isExposed():
            if left > 0:
                QTimer.singleShot(50, window, lambda: check(left - 1, fitted))
            return
        if not settled() and left > 0:
            if not fitted and left < tries - 20:  # ~1 s without the full-screen size: set it
                screen = window.screen()
                if screen is not None:
                    window.setGeometry(screen.geometry())
                fitted = True
            QTimer.singleShot(50, window, lambda: check(left - 1, fitted))
            return
        screen = window.screen()
        where = _size(screen.geometry()) if screen is not None else "none"
        print(  # noqa: T201 - the journal
            f"madoguchi kiosk: window {_size(window.geometry())} screen {where}",
            file=sys.stderr,
            flush=True,
        )
        if display_seal.wanted():
            words = display_seal.seal()
            print(f"madoguchi kiosk: display {' '.join(words)}", file=sys.stderr, flush=True)  # noqa: T201 - the journal

    QTimer.singleShot(0, window, lambda: check(tries, False))


def run_demo_window(kit: DemoKit) -> int:
    """The demo kiosk in a window on this display, its back office started in the background."""
    return run_kiosk(
        kit.make_flow(navigator=True),
        kit.services,
        windowed=True,
        when_shown=lambda: kit.start_office(background=True),
    )


def run_demo_headless(kit: DemoKit) -> ScriptedResult:
    """The scripted resident, offscreen, through the real window (screenshots into the kit)."""
    from kiosk.gui.scripted import run_scripted

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    application()
    window = KioskWindow(kit.make_flow(navigator=True), kit.services)
    try:
        window.resize(1280, 900)
        window.show()
        return run_scripted(window, kit)
    finally:
        window.shutdown()
        window.close()
        window.deleteLater()


def announce_first_window(marker: str) -> QApplication:
    """For `madoguchi bench startup`: the application, which prints `marker` and quits on the
    first turn of its event loop, once the kiosk window has painted its welcome screen."""
    app = application()

    def shown() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, KioskWindow)]
        if not windows:
            raise RuntimeError("the kiosk command showed no window")
        windows[0].grab()  # the welcome screen, painted
        print(marker, flush=True)  # noqa: T201 - the benchmark reads it from stdout
        QApplication.quit()

    QTimer.singleShot(0, shown)
    return app
