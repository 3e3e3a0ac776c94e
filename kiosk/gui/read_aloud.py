"""読み上げ and voice guidance for the kiosk window.

読み上げ (read aloud) reads the screen's instruction, then the focused item and its value, in
the lead language; with voice guidance on, each screen and each page of the review is read as
it opens. A language the platform has a Qt TextToSpeech voice for is read through it
(`kiosk.gui.qt_voice`: asynchronous, never waits on the GUI thread); every other language goes
to `KioskServices.speech` on the speech lane (Open JTalk, espeak-ng). Either way the text is
`SpeechRequest.text()`: the PIN screen reads its instruction only, and the individual number is
read by its label only (`devices.speech.request`). A wipe silences the Qt voice and drops
whatever the last resident had queued on the lane.
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
    from kiosk.gui.qt_voice import QtVoices

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

    def qt_voices(self) -> QtVoices:
        """The platform's Qt voices, asked for once (`kiosk.gui.qt_voice`)."""
        if self._qt_voices is None:
            from kiosk.gui.qt_voice import QtVoices

            self._qt_voices = QtVoices.discover(self._qt_speech_engines, parent=self)
        return self._qt_voices

    def _discover_voices(self) -> None:
        """At start (the first turn of the event loop), when this kiosk speaks at all."""
        if self.services.speech is not None and not self._closed:
            self.qt_voices()

    def silence(self) -> None:
        """Stop the Qt voice now (a wipe, closing); the lane's queue is dropped by generation."""
        if self._qt_voices is not None:
            self._qt_voices.stop()

    def _speak(self, request: SpeechRequest) -> None:
        """Through the language's Qt voice if the platform has one, else on the speech lane
        (dropped there if a wipe came before its turn)."""
        from devices.speech.errors import SecretInSpeech

        speech = self.services.speech
        try:
            if speech is None or not request.text():
                return
        except SecretInSpeech:  # twelve digits in a row: never read, whatever they are
            log.warning("speech refused: a secret in the text")
            return
        voices = self.qt_voices()
        if voices.speaks(request.language):
            voices.say(request)
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
