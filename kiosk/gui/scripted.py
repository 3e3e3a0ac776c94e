"""The demo's scripted resident: drives the real kiosk window through the moving-in bundle.

`run_scripted` does what a resident would (start, moving-in bundle, card + PIN, answering what
the card cannot know from the matching sample record, signing, confirming) and saves
screenshots; `madoguchi demo --headless` and the window tests run it offscreen.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QEventLoop, QIODevice, QPointF
from PySide6.QtGui import QPixmap

from forms.errors import MadoguchiError
from forms.private_files import write_private
from forms.sample_records import load_sample
from kiosk.demo import DEMO_BUNDLE, DEMO_NAVIGATOR_YES, DEMO_SAMPLE, DemoKit, answer_from
from kiosk.flow import Method, Step
from kiosk.gui.app import KioskWindow
from kiosk.gui.screens.base import Screen
from kiosk.gui.screens.confirm_step import ConfirmScreen
from kiosk.gui.screens.identify import IdentifyScreen
from kiosk.gui.screens.navigator import NavigatorScreen
from kiosk.gui.screens.pin import PinScreen
from kiosk.gui.screens.procedures import ProceduresScreen
from kiosk.gui.screens.review import ReviewScreen
from kiosk.gui.screens.sign import SignScreen
from kiosk.gui.screens.welcome import WelcomeScreen

S = TypeVar("S", bound=Screen)


class DemoStepTimeout(MadoguchiError):
    code = "demo_timeout"

    def __init__(self, what: str) -> None:
        super().__init__(
            f"デモの手順が時間内に終わりませんでした（{what}）", f"demo step timed out ({what})"
        )


def wait_until(condition: Callable[[], bool], what: str, timeout_s: float = 20.0) -> None:
    """Process Qt events until `condition()` holds; DemoStepTimeout after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise DemoStepTimeout(what)
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.005)


def sign_programmatically(pad: Any) -> None:
    """A few strokes on the signature pad, as a finger would draw them."""
    w, h = max(pad.width(), 600), max(pad.height(), 220)
    for stroke in range(3):
        x0 = w * (0.15 + 0.25 * stroke)
        pad.begin_stroke(QPointF(x0, h * 0.6))
        for i in range(1, 25):
            pad.extend_stroke(QPointF(x0 + i * w * 0.008, h * (0.6 - 0.3 * ((i % 8) / 8))))
        pad.end_stroke()


def built_screen(window: KioskWindow, step: Step, kind: type[S]) -> S:
    """The screen the window has built for `step`, as the class that step shows."""
    screen = window.screens[step]
    if not isinstance(screen, kind):
        raise TypeError(f"{step} shows {type(screen).__name__}, not {kind.__name__}")
    return screen


def walk_review(window: KioskWindow, *, max_pages: int = 40) -> int:
    """Press 次へ page after page until the review gives way to signing; returns the
    presses. DemoStepTimeout if a page does not let the resident on."""
    flow = window.flow
    review = built_screen(window, Step.REVIEW, ReviewScreen)
    presses = 0
    while flow.step is Step.REVIEW:
        if presses >= max_pages:
            raise DemoStepTimeout("review pages")
        before = flow.review_position()
        review.next_button.click()
        presses += 1
        if flow.step is Step.REVIEW and flow.review_position() == before:
            raise DemoStepTimeout(f"review page {before[0]} has problems")
    return presses


def walk_navigator(
    window: KioskWindow, persons: int = 1, yes: frozenset[str] = DEMO_NAVIGATOR_YES
) -> int:
    """The procedure navigator, by its buttons, if the flow shows it: the household's size if
    asked, はい to the questions in `yes` and いいえ to the rest, then 次へ. Returns the taps."""
    flow = window.flow
    if flow.step is not Step.NAVIGATOR:
        return 0
    screen = built_screen(window, Step.NAVIGATOR, NavigatorScreen)
    taps = 0
    if flow.nav_asks_size:
        screen.size_buttons[max(1, min(persons, len(screen.size_buttons)))].click()
        taps += 1
    while (open_ := flow.nav_question()) is not None:
        if taps > 60:
            raise DemoStepTimeout("navigator questions")
        wanted = open_.question.id in yes
        (screen.yes_button if wanted else screen.no_button).click()
        taps += 1
    screen.next_button.click()
    return taps + 1


@dataclass
class ScriptedResult:
    reception_number: str
    printed: list[str]
    screenshots: list[str]
    keys: tuple[uuid.UUID, ...] = ()  # the outbox rows the confirm step wrote


def png_bytes(pixmap: QPixmap) -> bytes:
    """The pixmap as PNG, in memory (then written 0600, never with the umask's mode)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pixmap.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def run_scripted(
    window: KioskWindow, kit: DemoKit, *, pin: str | None = None, screenshots: bool = True
) -> ScriptedResult:
    """Drive the window through the moving-in bundle with the virtual card."""
    flow = window.flow
    shots: list[str] = []

    def shot(name: str) -> None:
        if screenshots:
            QCoreApplication.processEvents()  # let pending layout requests settle first
            QCoreApplication.processEvents()
            path = kit.out_dir / f"{name}.png"
            write_private(path, png_bytes(window.grab()))  # a resident's data: 0600
            shots.append(str(path))

    shot("welcome")
    built_screen(window, Step.WELCOME, WelcomeScreen).start_button.click()
    procedures = built_screen(window, Step.PROCEDURES, ProceduresScreen)
    procedures.buttons[DEMO_BUNDLE].setChecked(True)
    procedures.next_button.click()
    built_screen(window, Step.IDENTIFY, IdentifyScreen).method_buttons[Method.CARD].click()
    wait_until(lambda: flow.tries_left is not None or flow.step is Step.ERROR, "card tries")
    if flow.step is Step.ERROR:
        assert flow.error is not None
        raise flow.error.error
    pin_screen = built_screen(window, Step.PIN, PinScreen)
    for digit in pin or kit.profile.pin:
        pin_screen.pad.press(digit)
    pin_screen.read_button.click()
    wait_until(lambda: flow.step in (Step.NAVIGATOR, Step.REVIEW, Step.ERROR), "card read")
    if flow.step is Step.ERROR:
        assert flow.error is not None
        raise flow.error.error
    sample = load_sample(DEMO_SAMPLE)
    if flow.step is Step.NAVIGATOR:
        shot("navigator")
        walk_navigator(window, len(sample.persons))
    answer_from(flow, sample)
    shot("review")
    walk_review(window)
    sign = built_screen(window, Step.SIGN, SignScreen)
    sign_programmatically(sign.pad)
    sign.ok_button.click()
    built_screen(window, Step.CONFIRM, ConfirmScreen).ok_button.click()
    wait_until(lambda: flow.step in (Step.DONE, Step.ERROR), "confirm and print", 60.0)
    if flow.step is Step.ERROR:
        assert flow.error is not None
        raise flow.error.error
    assert flow.confirmation is not None
    number = flow.confirmation.reception_number
    shot("done")
    return ScriptedResult(number, list(kit.printer.printed), shots, flow.confirmation.keys)
