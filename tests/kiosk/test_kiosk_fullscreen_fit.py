"""The kiosk's full-screen check (`kiosk.gui.launch._when_exposed`): once shown, a window that
does not cover its screen (a compositor that never applied the full-screen size) is given the
screen's geometry, and both sizes go to the journal (the cage session test reads that line)."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QWidget

from kiosk.gui import launch


def test_a_window_short_of_its_screen_is_fitted_and_both_sizes_are_written(
    qtbot, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("MADOGUCHI_KIOSK_SEAL_DISPLAY", raising=False)
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(640, 480)
    window.show()  # not full screen: as if the compositor ignored the request
    qtbot.waitExposed(window)
    screen = window.screen().geometry()
    assert window.geometry() != screen
    launch._when_exposed(window)  # type: ignore[arg-type]
    written: list[str] = []

    def logged() -> bool:
        written.append(capsys.readouterr().err)
        return "madoguchi kiosk: window" in "".join(written)

    qtbot.waitUntil(logged, timeout=10_000)
    assert window.geometry() == screen
    size = f"{screen.width()}x{screen.height()}"
    assert re.search(rf"madoguchi kiosk: window {size} screen {size}", "".join(written))
