"""読み上げ and voice guidance for the kiosk window.

読み上げ (read aloud) reads the screen's instruction, then the focused item and its value, in
the lead language, through `KioskServices.speech` on the speech lane (never on the GUI thread);
with voice guidance on, each screen and each page of the review is read as it opens. The PIN
screen reads its instruction only, and the individual number is read by its label only
(`devices.speech.request`); a wipe silences whatever the last resident had queued.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.gui.keyboard_dock import KeyboardDock
from kiosk.gui.screens.base import Screen

if TYPE_CHECKING:
    # devices.speech loads numpy (its WAV checks): imported at the first read-aloud
    from devices.speech.request import SpeechRequest

log = logging.getLogger("kiosk.gui.app")  # the window's log


class ReadAloud(KeyboardDock):
    """What the window reads aloud, and when."""

    def current_screen(self) -> Screen:
        return self._overlay if self._overlay is not None else self.step_screen(self.flow.step)

    def _focused_on(self, screen: Screen) -> QWidget | None:
        focused = QApplication.focusWidget()
        if focused is not None and screen.isAncestorOf(focused):
            return focused
        last = self._last_focus
        if last is not None and shiboken6.isValid(last) and screen.isAncestorOf(last):
            return last
        return None

    def speech_request(self, *, focused: bool = True) -> SpeechRequest:
        """What 読み上げ reads now: the screen's instruction, then the focused item."""
        from devices.speech.request import SpeechRequest

        screen = self.current_screen()
        item = screen.spoken_item(self._focused_on(screen)) if focused else None
        return SpeechRequest(
            self.i18n.language, screen.instruction().lead, (item,) if item is not None else ()
        )

    def read_aloud(self) -> None:
        self._speak(self.speech_request())

    def set_voice_guidance(self, on: bool) -> None:
        self.voice_guidance = on
        if self.guidance_button.isChecked() != on:
            self.guidance_button.setChecked(on)
        self._spoken_screen = None
        if on:
            self._guide_aloud(self.current_screen())

    def _guide_aloud(self, screen: Screen) -> None:
        """Voice guidance: read a screen (or a review page, or a panel) once as it opens."""
        if not self.voice_guidance:
            return
        from devices.speech.request import SpeechRequest

        instruction = screen.instruction().lead
        key = (type(screen).__name__, self.flow.step, instruction, self.i18n.language)
        if key == self._spoken_screen:
            return
        self._spoken_screen = key
        self._speak(SpeechRequest(self.i18n.language, instruction))

    def _speak(self, request: SpeechRequest) -> None:
        """On the speech lane; dropped if a wipe came before its turn."""
        from devices.speech.errors import SecretInSpeech

        speech = self.services.speech
        try:
            if speech is None or not request.text():
                return
        except SecretInSpeech:  # twelve digits in a row: never read, whatever they are
            log.warning("speech refused: a secret in the text")
            return
        generation = self._speech_generation

        def job() -> None:
            if generation == self._speech_generation:
                speech.say(request)

        self.ops.run(
            "speech",
            job,
            on_success=lambda _: None,
            on_failure=lambda e: log.warning("speech failed: %s", e.code),
        )
