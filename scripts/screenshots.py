"""Render every screen of the resident kiosk to docs/screenshots/*.png (sample residents only).

    xvfb-run -a .venv/bin/python scripts/screenshots.py          # under Xvfb
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py

Runs the demo kit (virtual card with the fictional resident 見本 昭子, folder printer) and
drives the window like the scripted demo, saving a picture at each step, plus the error
screens (printer stopped, last try, blocked card, a QR burst with dropped keys), the countdown,
staff mode, English, bigger text and high contrast.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")

from PySide6.QtCore import QCoreApplication  # noqa: E402 (after the platform is chosen)
from PySide6.QtWidgets import QApplication  # noqa: E402

from forms.sample_records import load_sample as sample_record  # noqa: E402
from kiosk.demo import (  # noqa: E402
    DEMO_BUNDLE,
    DEMO_SAMPLE,
    DEMO_STAFF_PIN,
    DemoKit,
    answer_from,
    build_demo,
)
from kiosk.flow import Method, Step  # noqa: E402
from kiosk.gui.app import KioskWindow  # noqa: E402
from kiosk.gui.scripted import sign_programmatically, wait_until  # noqa: E402
from kiosk.ports import KioskServices  # noqa: E402
from printing.errors import PrinterStopped  # noqa: E402


class HeldPrinter:
    """Prints only when released, so the progress screen can be photographed."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.release = threading.Event()

    def print_pdf(self, pdf: bytes, *, title: str) -> None:
        if not self.release.wait(timeout=30):
            raise TimeoutError("screenshot printer was never released")
        self.inner.print_pdf(pdf, title=title)


class StoppedPrinter:
    def print_pdf(self, pdf: bytes, *, title: str) -> None:
        raise PrinterStopped("PDF")


class Shooter:
    def __init__(self, kit: DemoKit, out: Path) -> None:
        self.kit = kit
        self.out = out
        self.saved: list[Path] = []

    def window_with(self, printer: Any) -> KioskWindow:
        services = KioskServices(
            card=self.kit.services.card,
            qr=self.kit.services.qr,
            confirmer=self.kit.services.confirmer,
            printer=printer,
        )
        window = KioskWindow(self.kit.make_flow(), services)
        window.resize(1280, 800)
        window.show()
        return window

    def shot(self, window: KioskWindow, name: str) -> None:
        for _ in range(3):
            QCoreApplication.processEvents()
        path = self.out / f"{name}.png"
        window.grab().save(str(path))
        self.saved.append(path)

    @staticmethod
    def to_pin(window: KioskWindow, procedure: str = DEMO_BUNDLE) -> None:
        window.screens[Step.WELCOME].start_button.click()
        window.screens[Step.PROCEDURES].buttons[procedure].setChecked(True)
        window.screens[Step.PROCEDURES].next_button.click()
        window.screens[Step.IDENTIFY].method_buttons[Method.CARD].click()
        wait_until(lambda: window.flow.tries_left is not None or window.flow.error, "tries")

    @staticmethod
    def type_pin(window: KioskWindow, pin: str) -> None:
        for digit in pin:
            window.screens[Step.PIN].pad.press(digit)
        window.screens[Step.PIN].read_button.click()

    def to_review(self, window: KioskWindow, procedure: str) -> None:
        self.to_pin(window, procedure)
        self.type_pin(window, self.kit.profile.pin)
        wait_until(lambda: window.flow.step is Step.REVIEW, "card read")

    @staticmethod
    def sign(window: KioskWindow) -> None:
        sign = window.screens[Step.SIGN]
        sign_programmatically(sign.pad)
        sign.pad.changed.emit()

    def main_flow(self) -> None:
        held = HeldPrinter(self.kit.printer)
        window = self.window_with(held)
        flow = window.flow
        try:
            self.shot(window, "01-welcome")
            window.screens[Step.WELCOME].start_button.click()
            procedures = window.screens[Step.PROCEDURES]
            procedures.buttons[DEMO_BUNDLE].setChecked(True)
            option = next(iter(procedures.optional_buttons.values()), None)
            if option is not None:  # the bundle's optional form, opted in under it
                option.setChecked(True)
            self.shot(window, "02-procedures")
            if option is not None:
                option.setChecked(False)
            procedures.next_button.click()
            self.shot(window, "03-identify")
            window.screens[Step.IDENTIFY].method_buttons[Method.CARD].click()
            wait_until(lambda: flow.tries_left is not None, "tries")
            window.screens[Step.PIN].pad.press("1")
            window.screens[Step.PIN].pad.press("2")
            self.shot(window, "04-pin")
            window.screens[Step.PIN].pad.clear()
            self.type_pin(window, "0000")
            wait_until(lambda: flow.tries_left == 2, "wrong pin")
            self.shot(window, "05-pin-wrong")
            self.type_pin(window, self.kit.profile.pin)
            wait_until(lambda: flow.step is Step.REVIEW, "card read")
            self.shot(window, "06-review-prefilled")
            self.review_pages(window)
            self.sign(window)
            self.shot(window, "09-sign")
            window.screens[Step.SIGN].ok_button.click()
            self.shot(window, "10-confirm")
            window.screens[Step.CONFIRM].ok_button.click()
            wait_until(lambda: flow.step is Step.PRINT, "confirm")
            self.shot(window, "11-print")
            held.release.set()
            wait_until(lambda: flow.step is Step.DONE, "print")
            self.shot(window, "12-done")
            window.screens[Step.DONE].finish_button.click()
        finally:
            held.release.set()
            window.shutdown()
            window.close()

    def review_pages(self, window: KioskWindow) -> None:
        answer_from(window.flow, sample_record(DEMO_SAMPLE))
        review = window.screens[Step.REVIEW]
        review.scroll.verticalScrollBar().setValue(600)
        self.shot(window, "07-review-answered")
        phone = next(e for e in review.editors.values() if e.spec.type == "phone")
        phone.edit.setText("abc")  # as typed: the refused text stays in the field
        phone._commit_text()
        review.scroll.ensureWidgetVisible(phone)
        self.shot(window, "08-review-invalid-field")
        phone.edit.setText("03-0000-0000")
        phone._commit_text()
        review.next_button.click()

    def qr_screens(self, window: KioskWindow) -> None:
        flow, kit = window.flow, self.kit
        window.screens[Step.WELCOME].start_button.click()
        window.screens[Step.PROCEDURES].buttons["juminhyo"].setChecked(True)
        window.screens[Step.PROCEDURES].next_button.click()
        window.screens[Step.IDENTIFY].method_buttons[Method.QR].click()
        self.shot(window, "16-qr")
        digits = kit.payload_for(sample_record(DEMO_SAMPLE), [kit.catalog.get("juminhyo")])
        window.scanned(digits[:300] + digits[302:])  # a wedge burst that lost two keys
        wait_until(lambda: flow.step is Step.ERROR, "truncated QR refused")
        self.shot(window, "22-error-qr-truncated")
        flow.cancel()

    def errors_and_options(self) -> None:
        window = self.window_with(StoppedPrinter())
        flow, kit = window.flow, self.kit
        try:
            self.to_review(window, "juminhyo")
            answer_from(flow, sample_record(DEMO_SAMPLE))
            window.screens[Step.REVIEW].next_button.click()
            self.sign(window)
            window.screens[Step.SIGN].ok_button.click()
            window.screens[Step.CONFIRM].ok_button.click()
            wait_until(lambda: flow.step is Step.ERROR, "printer stopped")
            self.shot(window, "13-error-printer-stopped")
            flow.cancel()
            for tries, name in ((1, "14-pin-last-try"), (0, "15-error-card-blocked")):
                kit.remove_card()
                kit.insert_card(tries=tries)
                self.to_pin(window, "juminhyo")
                self.shot(window, name)
                flow.cancel()
            kit.remove_card()
            kit.insert_card()
            self.qr_screens(window)
            self.to_review(window, "juminhyo")
            flow.last_activity -= flow.inactivity_s - 7  # seven seconds before the wipe
            window._on_tick()
            self.shot(window, "17-countdown")
            flow.cancel()
            window.staff_button.click()
            self.shot(window, "18-staff-unlock")
            window.unlock_staff(DEMO_STAFF_PIN)
            self.shot(window, "19-staff-welcome")
            window.staff_button.click()
            window.language_button.click()
            self.shot(window, "20-welcome-english")
            window.language_button.click()
            window.bigger_button.setChecked(True)
            window.contrast_button.setChecked(True)
            self.to_review(window, "juminhyo")
            self.shot(window, "21-review-bigger-high-contrast")
            flow.cancel()
        finally:
            window.shutdown()
            window.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="madoguchi-shots-") as tmp:
        kit = build_demo(Path(tmp) / "demo")
        shooter = Shooter(kit, out)
        try:
            shooter.main_flow()
            shooter.errors_and_options()
        finally:
            kit.close()
    del app
    sys.stdout.write("".join(f"{path}\n" for path in shooter.saved))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
