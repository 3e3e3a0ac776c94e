"""Render every screen of the resident kiosk to docs/screenshots/*.png (sample residents only).

    xvfb-run -a .venv/bin/python scripts/screenshots.py          # under Xvfb
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py

Runs the demo kit (virtual card with the fictional resident 見本 昭子, folder printer, a
fictional office's counters) and drives the window like the scripted demo, saving a picture
at each step: each page of the guided review (problems after 次へ, plain words, furigana,
a household member, "check your answers"), both on-screen keyboards, the done screen with
its call number and counters; the panels (start over?, staff called); the errors (a machine
error, last try, blocked card, a QR burst with dropped keys); the countdown, staff mode,
English, bigger text and high contrast; welcome, review and done in Vietnamese, Chinese, Korean and
やさしい日本語 (`--only languages` for those alone).
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
for _name, _value in (  # the on-screen keyboard, as `madoguchi kiosk` starts it
    ("QT_IM_MODULE", "qtvirtualkeyboard"),
    ("QT_QUICK_BACKEND", "software"),
    ("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "1"),
):
    os.environ.setdefault(_name, _value)

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
from kiosk.gui.scripted import sign_programmatically, wait_until, walk_review  # noqa: E402
from kiosk.ports import KioskServices  # noqa: E402
from kiosk.visits import household_sample  # noqa: E402
from printing.errors import PrinterStopped  # noqa: E402
from sync.protocol.counter import RoutingEntry  # noqa: E402

ROUTING = [  # a fictional office's counters, as an admin would configure them
    ("idou", "3", "市民課 住民記録係", "Residents' records"),
    ("kokuho", "7", "保険年金課", "Health insurance and pensions"),
    ("jidou_teate", "9", "子育て支援課", "Child support"),
    ("juminhyo", "1", "市民課 証明係", "Certificates"),
]


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

    def window_with(self, printer: Any, **kwargs: Any) -> KioskWindow:
        services = KioskServices(
            card=self.kit.services.card,
            qr=self.kit.services.qr,
            confirmer=self.kit.services.confirmer,
            printer=printer,
            desk=self.kit.services.desk,
        )
        window = KioskWindow(self.kit.make_flow(), services, **kwargs)
        window.resize(1280, 800)
        window.show()
        window.activateWindow()  # focus (and so the keyboards) needs the active window
        wait_until(window.isActiveWindow, "window active", 10.0)
        return window

    def shot(self, window: KioskWindow, name: str) -> None:
        for _ in range(4):
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
            self.shot(window, "kiosk-01-welcome")
            window.screens[Step.WELCOME].start_button.click()
            procedures = window.screens[Step.PROCEDURES]
            procedures.buttons[DEMO_BUNDLE].setChecked(True)
            self.shot(window, "kiosk-02-procedures")
            procedures.next_button.click()
            self.shot(window, "kiosk-03-identify")
            window.screens[Step.IDENTIFY].method_buttons[Method.CARD].click()
            wait_until(lambda: flow.tries_left is not None, "tries")
            window.screens[Step.PIN].pad.press("1")
            window.screens[Step.PIN].pad.press("2")
            self.shot(window, "kiosk-04-pin")
            window.screens[Step.PIN].pad.clear()
            self.type_pin(window, "0000")
            wait_until(lambda: flow.tries_left == 2, "wrong pin")
            self.shot(window, "kiosk-05-pin-wrong")
            self.type_pin(window, self.kit.profile.pin)
            wait_until(lambda: flow.step is Step.REVIEW, "card read")
            self.review_pages(window)
            self.sign(window)
            self.shot(window, "kiosk-16-sign")
            window.screens[Step.SIGN].ok_button.click()
            self.shot(window, "kiosk-17-confirm")
            window.screens[Step.CONFIRM].ok_button.click()
            wait_until(lambda: flow.step is Step.PRINT, "confirm")
            self.shot(window, "kiosk-18-print")
            held.release.set()
            wait_until(lambda: flow.step is Step.DONE, "print")
            self.shot(window, "kiosk-19-done")
            window.screens[Step.DONE].finish_button.click()
        finally:
            held.release.set()
            window.shutdown()
            window.close()

    def review_pages(self, window: KioskWindow) -> None:
        flow = window.flow
        review = window.screens[Step.REVIEW]
        self.shot(window, "kiosk-06-review-about-you")
        review.next_button.click()  # problems show only now
        self.shot(window, "kiosk-07-review-about-you-problems")
        relation = review.editors["person[0].relation"]
        relation.help_button.click()
        review.scroll_area.ensureWidgetVisible(relation.explanation)
        self.shot(window, "kiosk-08-review-plain-words")
        kana = review.editors["person[0].kana"]
        window.show_keyboard_for(kana.family)
        self.shot(window, "kiosk-09-keyboard-50on")
        window.hide_keyboards()
        answer_from(flow, sample_record(DEMO_SAMPLE))
        flow.set_household_size(2)
        answer_from(flow, household_sample())
        review.scroll_area.verticalScrollBar().setValue(0)
        review.next_button.click()
        self.shot(window, "kiosk-10-review-new-address")
        window.furigana_button.click()
        self.shot(window, "kiosk-11-review-furigana")
        window.furigana_button.click()
        review = window.screens[Step.REVIEW]
        while flow.step is Step.REVIEW and not flow.on_summary:
            page = flow.review_page()
            if page is not None and page.id == "member_2":
                self.shot(window, "kiosk-12-review-household-member")
            review.next_button.click()
        self.shot(window, "kiosk-13-review-check-your-answers")
        review.scroll_area.verticalScrollBar().setValue(
            review.scroll_area.verticalScrollBar().maximum()
        )
        self.shot(window, "kiosk-14-review-check-your-answers-end")
        flow.review_edit("who")
        family = window.screens[Step.REVIEW].editors["person[0].name"].family
        family.clear()
        if window.show_keyboard_for(family):
            keyboard = window.virtual_keyboard
            keyboard.type_text("mihon")
            wait_until(lambda: bool(keyboard.candidates()), "candidates")
            self.shot(window, "kiosk-15-keyboard-kanji")
            keyboard.pick(keyboard.candidates()[0])
            family.setText("見本")
        window.hide_keyboards()
        window.screens[Step.REVIEW].next_button.click()  # back to the summary
        window.screens[Step.REVIEW].next_button.click()  # 署名へ進む

    def languages(self) -> None:
        """The welcome, review and done screens in Vietnamese, Chinese, やさしい日本語
        (with its furigana) and Korean, the sample resident's data in Japanese beside the labels."""
        for number, code in ((32, "vi"), (35, "zh-Hans"), (38, "ja-easy"), (41, "ko")):
            window = self.window_with(self.kit.printer)
            flow = window.flow
            try:
                window.screens[Step.WELCOME].languages.choose(code)
                self.shot(window, f"kiosk-{number}-welcome-{code}")
                self.to_review(window, DEMO_BUNDLE)
                answer_from(flow, sample_record(DEMO_SAMPLE))
                window.screens[Step.REVIEW].next_button.click()  # the new address
                self.shot(window, f"kiosk-{number + 1}-review-{code}")
                walk_review(window)
                self.sign(window)
                window.screens[Step.SIGN].ok_button.click()
                window.screens[Step.CONFIRM].ok_button.click()
                wait_until(lambda flow=flow: flow.step is Step.DONE, "done")
                self.shot(window, f"kiosk-{number + 2}-done-{code}")
                window.screens[Step.DONE].finish_button.click()
            finally:
                window.shutdown()
                window.close()

    def qr_screens(self, window: KioskWindow) -> None:
        flow, kit = window.flow, self.kit
        window.screens[Step.WELCOME].start_button.click()
        window.screens[Step.PROCEDURES].buttons["juminhyo"].setChecked(True)
        window.screens[Step.PROCEDURES].next_button.click()
        window.screens[Step.IDENTIFY].method_buttons[Method.QR].click()
        self.shot(window, "kiosk-24-qr")
        digits = kit.payload_for(sample_record(DEMO_SAMPLE), [kit.catalog.get("juminhyo")])
        window.scanned(digits[:300] + digits[302:])  # a wedge burst that lost two keys
        wait_until(lambda: flow.step is Step.ERROR, "truncated QR refused")
        self.shot(window, "kiosk-25-error-qr-truncated")
        flow.cancel()

    def errors_and_options(self) -> None:
        window = self.window_with(StoppedPrinter())
        flow, kit = window.flow, self.kit
        try:
            window.screens[Step.WELCOME].start_button.click()
            window.cancel_button.click()
            self.shot(window, "kiosk-20-cancel-asks")
            window.confirm_cancel()
            window.call_button.click()
            self.shot(window, "kiosk-21-staff-called")
            window.close_overlay()
            flow.cancel()
            self.to_review(window, "juminhyo")
            answer_from(flow, sample_record(DEMO_SAMPLE))
            walk_review(window)
            self.sign(window)
            window.screens[Step.SIGN].ok_button.click()
            window.screens[Step.CONFIRM].ok_button.click()
            wait_until(lambda: flow.step is Step.ERROR, "printer stopped")
            self.shot(window, "kiosk-22-error-machine")
            flow.cancel()
            for tries, name in ((1, "kiosk-23-pin-last-try"), (0, "kiosk-23-error-card-blocked")):
                kit.remove_card()
                kit.insert_card(tries=tries)
                self.to_pin(window, "juminhyo")
                self.shot(window, name)
                flow.cancel()
            kit.remove_card()
            kit.insert_card()
            self.qr_screens(window)
            self.modes(window)
        finally:
            window.shutdown()
            window.close()

    def modes(self, window: KioskWindow) -> None:
        flow = window.flow
        self.to_review(window, "juminhyo")
        flow.last_activity -= flow.inactivity_s - 7  # seven seconds before the wipe
        window._on_tick()
        self.shot(window, "kiosk-26-countdown")
        flow.cancel()
        window._open_staff_unlock()  # staff hold the top-left corner
        self.shot(window, "kiosk-27-staff-unlock")
        window.unlock_staff(DEMO_STAFF_PIN)
        self.shot(window, "kiosk-28-staff-welcome")
        window.staff_button.click()
        window.toggle_language()
        self.shot(window, "kiosk-29-welcome-english")
        self.to_review(window, DEMO_BUNDLE)
        self.shot(window, "kiosk-30-review-english")
        flow.cancel()
        window.toggle_language()
        window.bigger_button.setChecked(True)
        window.contrast_button.setChecked(True)
        self.to_review(window, "juminhyo")
        self.shot(window, "kiosk-31-review-bigger-high-contrast")
        flow.cancel()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument(
        "--only", choices=["languages"], help="only these screenshots (the others stay)"
    )
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="madoguchi-shots-") as tmp:
        kit = build_demo(Path(tmp) / "demo")
        kit.outbox.save_routing(
            (
                t,
                RoutingEntry(
                    template_id=t, counter=c, section_ja=ja, section_en=en
                ).model_dump_json(),
            )
            for t, c, ja, en in ROUTING
        )
        for old in out.glob("[0-9][0-9]-*.png"):  # the screens before the guided review
            old.unlink()
        shooter = Shooter(kit, out)
        try:
            if args.only != "languages":
                shooter.main_flow()
                shooter.errors_and_options()
            shooter.languages()
        finally:
            kit.close()
    del app
    sys.stdout.write("".join(f"{path}\n" for path in shooter.saved))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
