"""Kiosk tests: offscreen Qt, one catalogue per session, and a guard against leaked windows."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything loads Qt
# The on-screen keyboard's input context and Qt Quick's software renderer: set before the
# QApplication exists, as `kiosk.gui.launch` does.
os.environ.update(
    QT_IM_MODULE="qtvirtualkeyboard",
    QT_QUICK_BACKEND="software",
    QT_VIRTUALKEYBOARD_DESKTOP_DISABLE="1",
)
# No platform voice (speech-dispatcher, SAPI…) in the kiosk tests: read-aloud goes to the
# recorded `Speech`; test_kiosk_qt_speech.py asks for Qt's engines by name.
os.environ.setdefault("MADOGUCHI_QT_SPEECH", "none")

from collections.abc import Iterator
from pathlib import Path

import pytest
from kioskkit import FakeConfirmer, FakePrinter, cleanup_window, process_deletes

from forms.catalog import Catalog

KIOSK_TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """No Python Qt message handler in the kiosk tests (pytest-qt's capture is off here).

    Qt Virtual Keyboard's QML loads libQt6Multimedia on Qt's QML thread, whose library
    initialiser logs a warning; with pytest-qt's handler installed, that warning waits for the
    GIL while holding the dynamic loader's lock. A warm-up lane importing a C extension (or
    ctypes loading zbar) holds the GIL and waits for that lock: the window hung in
    `QQmlComponent.setData` (seen under gdb). The kiosk itself installs no handler, so Qt's
    messages go to stderr without the GIL."""
    for item in items:
        if KIOSK_TESTS in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.no_qt_log)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.builtin()


@pytest.fixture
def no_leaked_widgets(qapp) -> Iterator[None]:
    """Fail a test that leaves a top-level widget behind (napari's habit)."""
    process_deletes()
    before = {id(w) for w in qapp.topLevelWidgets()}
    yield
    process_deletes()
    leaked = [type(w).__name__ for w in qapp.topLevelWidgets() if id(w) not in before]
    assert not leaked, f"leaked top-level widgets: {leaked}"


@pytest.fixture
def kit(tmp_path: Path, catalog: Catalog):
    from kiosk.demo import build_demo

    kit = build_demo(tmp_path / "demo", catalog=catalog)
    yield kit
    kit.close()


@pytest.fixture
def make_window(qtbot, kit, no_leaked_widgets):
    """Build a KioskWindow on the demo kit (or given services); closed and deleted after."""
    from kiosk.gui.app import KioskWindow

    windows = []

    def make(*, flow=None, services=None, **kwargs):
        window = KioskWindow(flow or kit.make_flow(), services or kit.services, **kwargs)
        window.resize(1280, 800)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)
        windows.append(window)
        return window

    yield make
    for window in windows:
        cleanup_window(window)


@pytest.fixture
def fake_printer() -> FakePrinter:
    return FakePrinter()


@pytest.fixture
def fake_confirmer() -> FakeConfirmer:
    return FakeConfirmer()
