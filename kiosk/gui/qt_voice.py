"""The platform's own voices through Qt TextToSpeech (SAPI/WinRT on Windows, AVSpeechSynthesizer
on macOS, speech-dispatcher on Linux), where it has one for the resident's language.

At start (the window's first turn of the event loop, or its first read-aloud if that comes
sooner) `QtVoices.discover` asks each Qt speech engine for its voices and keeps, for each of
our ten languages, the first engine and voice that speak it. A language with a Qt voice is read
through it; every other language goes to `KioskServices.speech` on the speech lane as before
(Open JTalk for Japanese, espeak-ng for the rest: `devices.speech`). On a Linux kiosk without
speech-dispatcher voices, nothing changes.

- The engines tried: `$MADOGUCHI_QT_SPEECH` (names separated by commas, e.g. `speechd` or
  `sapi,winrt`; `none` turns Qt speech off), else every engine Qt has except `mock` (Qt's
  test engine, which only pretends to speak; the tests ask for it by name).
- `say` takes a `SpeechRequest`, never a string: the text is `request.text()`, the same
  filtered text the WAV engines get (a secret item reads as its label; twelve digits in a row
  refuse the whole request), so both paths share one rule.
- Qt's engines speak asynchronously: `say` returns at once and the GUI thread never waits for
  the sound. A new request interrupts the one being read (the resident asked for the newer
  one); `stop` silences every engine and is called on every wipe.
- やさしい日本語 is read more slowly (`EASY_RATE`), as Open JTalk reads it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QObject
from PySide6.QtTextToSpeech import QTextToSpeech, QVoice

from forms.i18n import LANGUAGES

if TYPE_CHECKING:
    from devices.speech.request import SpeechRequest

log = logging.getLogger(__name__)

ENGINES_ENV = "MADOGUCHI_QT_SPEECH"
TEST_ENGINE = "mock"  # Qt's pretend engine: never chosen unless asked for by name
EASY_RATE = -0.2  # QTextToSpeech's rate runs from -1.0 to 1.0; 0.0 is the voice's normal rate
# The territory preferred when a language has voices for several (Brazil: the largest group).
PREFERRED_TERRITORY = {
    "pt": QLocale.Country.Brazil,
    "en": QLocale.Country.UnitedStates,
    "zh-Hans": QLocale.Country.China,
}


def wanted_engines(requested: Sequence[str] | None = None) -> tuple[str, ...]:
    """The Qt engines to try, in order: `requested`, else `$MADOGUCHI_QT_SPEECH`, else every
    engine this Qt has but the test engine."""
    available = QTextToSpeech.availableEngines()
    if requested is None:
        configured = os.environ.get(ENGINES_ENV)
        if configured is not None:
            names = [n.strip() for n in configured.split(",") if n.strip()]
            if names == ["none"]:
                return ()
            requested = names
    if requested is None:
        return tuple(name for name in available if name != TEST_ENGINE)
    return tuple(name for name in requested if name in available)


@dataclass(frozen=True)
class QtVoiceChoice:
    engine: str
    locale: QLocale
    voice: QVoice
    rate: float


def _matches(code: str, wanted: QLocale, have: QLocale) -> bool:
    if have.language() != wanted.language():
        return False
    if code == "zh-Hans":  # a Traditional Chinese voice is not a Simplified one
        return have.script() in (QLocale.Script.SimplifiedHanScript, QLocale.Script.AnyScript) and (
            have.territory() not in (QLocale.Country.Taiwan, QLocale.Country.HongKong)
        )
    return True


class QtVoices(QObject):
    """Our languages that a Qt engine has a voice for, and the engines that speak them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engines: dict[str, QTextToSpeech] = {}
        self.choices: dict[str, QtVoiceChoice] = {}

    @classmethod
    def discover(
        cls, engines: Sequence[str] | None = None, parent: QObject | None = None
    ) -> QtVoices:
        """Ask each engine for its voices (on the GUI thread, where QTextToSpeech lives: the
        engines answer from what they have loaded, in milliseconds)."""
        found = cls(parent)
        for name in wanted_engines(engines):
            tts = QTextToSpeech(name, found)
            if tts.state() == QTextToSpeech.State.Error:
                log.info("Qt speech engine %s unavailable: %s", name, tts.errorReason().name)
                tts.deleteLater()
                continue
            used = False
            locales = tts.availableLocales()
            for language in LANGUAGES:
                if language.code in found.choices:
                    continue
                choice = _choose(name, tts, language.code, QLocale(language.html_lang), locales)
                if choice is not None:
                    found.choices[language.code] = choice
                    used = True
            if used:
                found.engines[name] = tts
            else:
                tts.deleteLater()
        if found.choices:
            log.info(
                "Qt speech: %s", ", ".join(f"{c}={v.engine}" for c, v in found.choices.items())
            )
        return found

    def speaks(self, language: str) -> bool:
        return language in self.choices

    def say(self, request: SpeechRequest) -> None:
        """Read `request` through its language's Qt voice; returns at once (the engine speaks
        asynchronously). Raises SecretInSpeech, like the WAV engines, before anything is said."""
        choice = self.choices[request.language]
        text = request.text()  # the one filter both paths share
        if not text:
            return
        tts = self.engines[choice.engine]
        for name, other in self.engines.items():
            if name != choice.engine:
                other.stop()
        tts.setLocale(choice.locale)
        tts.setVoice(choice.voice)
        tts.setRate(choice.rate)
        tts.say(text)  # interrupts what this engine was saying

    def stop(self) -> None:
        for tts in self.engines.values():
            tts.stop()

    def speaking(self) -> bool:
        return any(t.state() == QTextToSpeech.State.Speaking for t in self.engines.values())


def _choose(
    engine: str, tts: QTextToSpeech, code: str, wanted: QLocale, locales: list[QLocale]
) -> QtVoiceChoice | None:
    candidates = [loc for loc in locales if _matches(code, wanted, loc)]
    preferred = PREFERRED_TERRITORY.get(code, wanted.territory())
    candidates.sort(key=lambda loc: loc.territory() != preferred)
    current = tts.locale()
    try:
        for loc in candidates:
            tts.setLocale(loc)
            voices = tts.availableVoices()
            if voices:
                return QtVoiceChoice(
                    engine, loc, voices[0], EASY_RATE if code == "ja-easy" else 0.0
                )
        return None
    finally:
        tts.setLocale(current)
