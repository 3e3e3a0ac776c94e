"""The call board's sounds: a chime when a number is called, then (optionally) the voice.

The chime is a short two-tone WAV written once with Python's `wave` (no sound file shipped);
both play through QtMultimedia's `QSoundEffect`. Headless-safe: without QtMultimedia or an
audio output (offscreen tests, a board PC with no speakers) nothing is played, but every
request is still counted (`Sounds.played`), which is what the tests look at.

The voice is synthesised by `devices.speech` (Open JTalk for Japanese, espeak-ng for
English) on the board's speech lane, never on the GUI thread; the WAV comes back as bytes and
is played after the chime. It carries a call number and a counter, nothing personal.
"""

from __future__ import annotations

import functools
import logging
import math
import os
import struct
import tempfile
import wave
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, QUrl

from devices.lanes import Lanes

log = logging.getLogger(__name__)

RATE = 22050
TONES = ((880.0, 0.28), (660.0, 0.42))  # ピン・ポーン
SPEECH_LANE = "speech"


def chime_wav(path: Path) -> Path:
    """Write the chime (16-bit mono) to `path` once; returns it."""
    if path.is_file() and path.stat().st_size > 44:
        return path
    frames = bytearray()
    for freq, seconds in TONES:
        count = int(RATE * seconds)
        for n in range(count):
            t = n / RATE
            fade = min(1.0, n / (RATE * 0.01)) * math.exp(-3.0 * t / seconds)
            frames += struct.pack("<h", int(12000 * fade * math.sin(2 * math.pi * freq * t)))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with wave.open(str(tmp), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(bytes(frames))
    os.replace(tmp, path)
    return path


def _audio_output_present() -> bool:
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError:
        return False
    return bool(QMediaDevices.audioOutputs())


class Sounds(QObject):
    """Chime and voice for one board. `voice_languages`: () for chime only."""

    def __init__(
        self,
        ops: Lanes | None,
        *,
        voice_languages: tuple[str, ...] = (),
        folder: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self.voice_languages = voice_languages
        self._folder = folder or Path(tempfile.gettempdir()) / f"madoguchi-board-{os.getuid()}"
        self._folder.mkdir(mode=0o700, exist_ok=True)
        self.chime_path = chime_wav(self._folder / "chime.wav")
        self.played: list[str] = []  # "chime", "voice:ja", … in order asked
        self.spoken: list[tuple[str, str]] = []  # (language, sentence)
        self._queue: list[Path] = []
        self._effect = None
        if _audio_output_present():
            from PySide6.QtMultimedia import QSoundEffect

            self._effect = QSoundEffect(self)
            self._effect.playingChanged.connect(self._next)

    @property
    def audible(self) -> bool:
        return self._effect is not None

    def announce(self, sentences: list[tuple[str, str]]) -> None:
        """Ring the chime, then read each (language, sentence) if voices are on."""
        self.played.append("chime")
        self._enqueue(self.chime_path)
        for language, sentence in sentences:
            if language not in self.voice_languages or self._ops is None:
                continue
            self.spoken.append((language, sentence))
            self._ops.run(
                SPEECH_LANE,
                functools.partial(_synthesize, language, sentence),
                on_success=functools.partial(self._voice_ready, language),
                on_failure=lambda e: log.info("board voice unavailable: %s", e.code),
            )

    def _voice_ready(self, language: str, wav: bytes) -> None:
        self.played.append(f"voice:{language}")
        path = self._folder / f"voice-{len(self.played)}.wav"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fp:
            fp.write(wav)
        self._enqueue(path)

    def _enqueue(self, path: Path) -> None:
        if self._effect is None:
            return
        self._queue.append(path)
        if not self._effect.isPlaying():
            QTimer.singleShot(0, self._next)

    def _next(self) -> None:
        if self._effect is None or self._effect.isPlaying() or not self._queue:
            return
        self._effect.setSource(QUrl.fromLocalFile(str(self._queue.pop(0))))
        self._effect.play()


def _synthesize(language: str, sentence: str) -> bytes:
    from devices.speech import Speaker, SpeechRequest

    return Speaker().synthesize(SpeechRequest(language, sentence))
