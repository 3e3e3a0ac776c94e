"""Helpers of the kiosk tests: fakes for the confirm step and the printer, a clock, waits, and\nthe first steps of a resident's walk through the window."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any

from forms.errors import MadoguchiError
from forms.record import SessionRecord
from forms.template import Template
from kiosk.demo import demo_signature_png
from kiosk.flow import Method, Step
from kiosk.ports import Confirmation

# Strings of the fictional sample residents that must never survive a wipe or reach a log.
SAMPLE_STRINGS = ("見本", "昭子", "ミホン", "アキコ", "京都府京都市左京区見本町", "麹町", "1989")
TINY_PNG = demo_signature_png()
WAIT_MS = 15000  # a background step (card, QR, confirm) in a window, on a busy machine


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class FakeConfirmer:
    """Behaves like OutboxConfirmer: a reception number and a PDF, or a typed error."""

    calls: list[dict[str, Any]] = field(default_factory=list)
    fail_with: MadoguchiError | None = None

    def confirm(
        self,
        record: SessionRecord,
        templates: list[Template],
        *,
        signature_png: bytes,
        mode: str,
        measurement: dict[str, Any] | None = None,
        language: str = "ja",
    ) -> Confirmation:
        if self.fail_with is not None:
            error, self.fail_with = self.fail_with, None
            raise error
        self.calls.append(
            {
                "templates": [t.id for t in templates],
                "mode": mode,
                "record_mode": record.answers.get("kiosk.mode"),
                "signature": signature_png,
                "measurement": json.loads(json.dumps(measurement)),
                "language": language,
            }
        )
        number = f"T-{len(self.calls):04d}"
        return Confirmation(number, b"%PDF-1.4 fake", b"%PDF-1.4 slip")


@dataclass
class FakePrinter:
    """A spooler that can be stopped: raises the given errors first, then prints."""

    errors: list[MadoguchiError] = field(default_factory=list)
    printed: list[str] = field(default_factory=list)

    def print_pdf(self, pdf: bytes, *, title: str) -> None:
        if self.errors:
            raise self.errors.pop(0)
        assert pdf.startswith(b"%PDF")
        self.printed.append(title)


def process_deletes() -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    for _ in range(3):
        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def cleanup_window(window: Any) -> None:
    window.shutdown()
    window.close()
    window.deleteLater()
    process_deletes()


def texts_with_samples(window: Any) -> list[str]:
    from kiosk.gui.app import all_texts

    return [t for t in all_texts(window) if any(s in t for s in SAMPLE_STRINGS)]


def run_madoguchi(*argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The `madoguchi` command in a fresh process (offscreen Qt)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "madoguchi.cli", *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


# -- walking the window as a resident -------------------------------------------------------


def start(window: Any, procedure: str, method: Method) -> None:
    """Welcome → the procedure → the identify method, by the screens' own buttons."""
    window.screens[Step.WELCOME].start_button.click()
    window.screens[Step.PROCEDURES].buttons[procedure].setChecked(True)
    window.screens[Step.PROCEDURES].next_button.click()
    window.screens[Step.IDENTIFY].method_buttons[method].click()


def by_card(qtbot: Any, window: Any, kit: Any, procedure: str = "bundle:moving_in") -> None:
    """To the review with the demo's card: its PIN on the pad, then the read."""
    start(window, procedure, Method.CARD)
    qtbot.waitUntil(lambda: window.flow.tries_left is not None, timeout=WAIT_MS)
    for digit in kit.profile.pin:
        window.screens[Step.PIN].pad.press(digit)
    window.screens[Step.PIN].read_button.click()
    qtbot.waitUntil(lambda: window.flow.step in (Step.NAVIGATOR, Step.REVIEW), timeout=WAIT_MS)
    if window.flow.step is Step.NAVIGATOR:  # a flow with the navigator on: through it
        from kiosk.gui.scripted import walk_navigator

        walk_navigator(window)
    qtbot.waitUntil(lambda: window.flow.step is Step.REVIEW, timeout=WAIT_MS)
