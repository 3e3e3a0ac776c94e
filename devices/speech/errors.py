"""Typed speech errors (Japanese + English). None of them carries the text being spoken."""

from __future__ import annotations

from forms.errors import MadoguchiError


class SpeechUnavailable(MadoguchiError):
    """An engine, its dictionary or its voice is not installed."""

    code = "speech_unavailable"

    def __init__(self, what: str, package: str) -> None:
        super().__init__(
            f"音声合成が使えません（{what} がありません。{package} を入れてください）",
            f"speech is unavailable: {what} is missing (install {package})",
        )
        self.what = what
        self.package = package


class SpeechFailed(MadoguchiError):
    """The engine ran and failed (or wrote no sound)."""

    code = "speech_failed"

    def __init__(self, engine: str, detail: str) -> None:
        super().__init__(
            f"音声合成に失敗しました（{engine}: {detail}）", f"speech failed ({engine}: {detail})"
        )
        self.engine = engine


class SecretInSpeech(MadoguchiError):
    """A speech request would read a PIN or an individual number aloud: refused, whole."""

    code = "secret_in_speech"

    def __init__(self, where: str) -> None:
        super().__init__(
            f"暗証番号や個人番号は読み上げません（{where}）",
            f"a PIN or individual number is never read aloud ({where})",
        )
        self.where = where
