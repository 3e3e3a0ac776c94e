"""Read-aloud: real synthesis to WAV (Open JTalk, espeak-ng), secrets never spoken."""

from __future__ import annotations

import io
import os
import stat
import wave
from pathlib import Path

import pytest

from devices.speech import (
    VOICES,
    OpenJTalk,
    SecretInSpeech,
    Speaker,
    SpeechFailed,
    SpeechItem,
    SpeechRequest,
    SpeechUnavailable,
    Voice,
    item_for_field,
    wav_stats,
)
from forms.i18n import CODES, UnknownLanguage
from kiosk.i18n import Translator

SPEAKER = Speaker()


def spoken(code: str) -> SpeechRequest:
    """What the review screen would read: its instruction, then one item and its value."""
    tr = Translator(code)
    return SpeechRequest(
        code,
        tr("review.title"),
        (SpeechItem(tr("review.postal"), "100-0001"), SpeechItem(tr("review.city"), "千代田区")),
    )


@pytest.mark.parametrize("code", ["ja", "ja-easy", "vi", "pt"])
def test_synthesis_writes_real_speech(code):
    stats = wav_stats(SPEAKER.synthesize(spoken(code)))
    assert 1.5 < stats.duration_s < 30, stats
    assert stats.rms > 0.02 and stats.peak > 0.2, stats  # not silence, not a click


@pytest.mark.parametrize("code", [c for c in CODES if c not in {"ja", "ja-easy", "vi", "pt"}])
def test_every_other_language_has_a_voice(code):
    stats = wav_stats(SPEAKER.synthesize(SpeechRequest(code, Translator(code)("welcome.title"))))
    assert stats.duration_s > 0.8 and stats.rms > 0.02, (code, stats)


def test_easy_japanese_is_read_more_slowly():
    request = SpeechRequest("ja", "番号を呼ぶまで待ってください")
    normal = wav_stats(SPEAKER.synthesize(request)).duration_s
    easy = wav_stats(SPEAKER.synthesize(SpeechRequest("ja-easy", request.instruction)))
    assert easy.duration_s > normal * 1.1


def test_longer_text_gives_longer_speech():
    short = wav_stats(SPEAKER.synthesize(SpeechRequest("vi", "Bắt đầu"))).duration_s
    long = wav_stats(SPEAKER.synthesize(spoken("vi"))).duration_s
    assert long > short * 2


def test_silence_is_recognised_as_silence():
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\x00\x00" * 16000)
    stats = wav_stats(buffer.getvalue())
    assert stats.duration_s == 1.0 and stats.rms == 0.0


def test_every_offered_language_has_a_voice_and_unknown_ones_are_refused():
    assert set(VOICES) == set(CODES)
    assert VOICES["fil"].approximate and not VOICES["id"].approximate
    with pytest.raises(UnknownLanguage):
        SpeechRequest("fr", "Bonjour")


# ---- secrets -------------------------------------------------------------------------------


class Recorder:
    """An engine that records what it was given and writes a short tone."""

    name = "recorder"

    def __init__(self) -> None:
        self.texts: list[str] = []

    def write_wav(self, text: str, voice: Voice, out: Path) -> None:
        self.texts.append(text)
        with wave.open(str(out), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(8000)
            w.writeframes(b"\x00\x40" * 800)


def recording_speaker() -> tuple[Speaker, Recorder]:
    recorder = Recorder()
    return Speaker({"open_jtalk": recorder, "espeak-ng": recorder}), recorder


NUMBER = "123456789018"


def test_a_secret_field_is_read_as_its_label_only():
    speaker, recorder = recording_speaker()
    items = (
        item_for_field("氏名", "山田 太郎", "person_name"),
        item_for_field("個人番号", NUMBER, "individual_number"),
        item_for_field("暗証番号", "1234", "pin"),
    )
    speaker.synthesize(SpeechRequest("ja", "内容を確認してください", items))
    [text] = recorder.texts
    assert text == "内容を確認してください。氏名、山田 太郎。個人番号。暗証番号。"
    assert NUMBER not in text and "1234" not in text


def test_a_secret_item_cannot_even_be_built_with_its_value():
    with pytest.raises(SecretInSpeech):
        SpeechItem("個人番号", NUMBER, secret=True)


@pytest.mark.parametrize(
    "leak",
    [
        "1234 5678 9018",
        "1234-5678-9018",
        "１２３４５６７８９０１８",  # full-width
        "番号は123456789018です",
    ],
)
def test_twelve_digits_anywhere_are_refused_before_any_engine_runs(leak):
    speaker, recorder = recording_speaker()
    for request in (
        SpeechRequest("ja", leak),
        SpeechRequest("en", "Check", (SpeechItem("Note", leak),)),
        SpeechRequest("vi", "Check", (SpeechItem(leak, "x"),)),
    ):
        with pytest.raises(SecretInSpeech) as caught:
            speaker.synthesize(request)
        assert "9018" not in str(caught.value)
    assert recorder.texts == []


def test_ordinary_numbers_are_read():
    speaker, recorder = recording_speaker()
    speaker.synthesize(SpeechRequest("en", "Postal code", (SpeechItem("Phone", "03-1234-5678"),)))
    assert recorder.texts == ["Postal code. Phone: 03-1234-5678."]


def test_reprs_carry_no_values():
    item = SpeechItem("氏名", "山田 太郎")
    request = SpeechRequest("ja", "確認", (item,))
    assert "山田" not in repr(item) and "山田" not in repr(request)


# ---- files and failures ----------------------------------------------------------------------


def test_synthesize_to_writes_0600_in_a_0700_folder_whatever_the_umask(tmp_path):
    speaker, _ = recording_speaker()
    old = os.umask(0)
    try:
        path = speaker.synthesize_to(SpeechRequest("ja", "はじめる"), tmp_path / "new" / "a.wav")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert wav_stats(path).duration_s == 0.1


def test_a_missing_engine_is_a_typed_error():
    speaker = Speaker({"open_jtalk": OpenJTalk(binary="/nonexistent/open_jtalk")})
    with pytest.raises(SpeechUnavailable) as caught:
        speaker.synthesize(SpeechRequest("ja", "はじめる"))
    assert "open-jtalk" in caught.value.en and "音声合成" in caught.value.ja


def test_a_missing_voice_is_a_typed_error(tmp_path):
    speaker = Speaker({"open_jtalk": OpenJTalk(voice=tmp_path / "none.htsvoice")})
    with pytest.raises(SpeechUnavailable):
        speaker.synthesize(SpeechRequest("ja", "はじめる"))


def test_nothing_to_read_is_refused():
    speaker, recorder = recording_speaker()
    with pytest.raises(SpeechFailed):
        speaker.synthesize(SpeechRequest("ja", "  "))
    assert recorder.texts == []
