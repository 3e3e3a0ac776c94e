"""読み上げ through the platform's Qt TextToSpeech voices (`kiosk.gui.qt_voice`), with the WAV
engines (`devices.speech`, on the speech lane) for every language Qt has no voice for.

Qt's `mock` engine (shipped with PySide6's QtTextToSpeech) stands in for a platform engine: it
has English voices (and Finnish, Norwegian), no Japanese, and reports each word it "says"."""

from __future__ import annotations

import dataclasses
import re
import threading

import pytest
from kioskkit import WAIT_MS, by_card
from PySide6.QtCore import Qt
from PySide6.QtTextToSpeech import QTextToSpeech

from devices.speech import SecretInSpeech, SpeechRequest, item_for_field
from forms.sample_records import load_sample
from kiosk.demo import answer_from
from kiosk.flow import Step, WipeReason
from kiosk.gui.qt_voice import TEST_ENGINE, QtVoices, wanted_engines
from kiosk.i18n import Translator

HAS_MOCK = TEST_ENGINE in QTextToSpeech.availableEngines()
needs_mock = pytest.mark.skipif(not HAS_MOCK, reason="this PySide6 ships no Qt mock TTS engine")


class RecordingSpeech:
    """`kiosk.ports.Speech` (the WAV engines' path) recording what it was asked to read."""

    def __init__(self) -> None:
        self.said: list[tuple[str, str]] = []
        self.threads: set[str] = set()

    def say(self, request) -> None:
        self.said.append((request.language, request.text()))
        self.threads.add(threading.current_thread().name)


class HeardWords:
    """The words a Qt engine reports saying (`sayingWord`), in order."""

    def __init__(self, tts: QTextToSpeech) -> None:
        self.words: list[str] = []
        tts.sayingWord.connect(lambda word, *_: self.words.append(word))


@pytest.fixture
def speech() -> RecordingSpeech:
    return RecordingSpeech()


@pytest.fixture
def window_with(make_window, kit, speech):
    def make(qt_speech, language: str = "ja"):
        window = make_window(
            services=dataclasses.replace(kit.services, speech=speech), qt_speech=qt_speech
        )
        window.screens[Step.WELCOME].languages.choose(language)
        return window

    return make


def press_read(qtbot, window) -> None:
    qtbot.mouseClick(window.read_button, Qt.MouseButton.LeftButton)


def words_of(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def test_the_mock_engine_is_never_chosen_unless_asked_for(monkeypatch):
    monkeypatch.delenv("MADOGUCHI_QT_SPEECH", raising=False)
    assert TEST_ENGINE not in wanted_engines()
    monkeypatch.setenv("MADOGUCHI_QT_SPEECH", "none")
    assert wanted_engines() == ()
    monkeypatch.setenv("MADOGUCHI_QT_SPEECH", f"{TEST_ENGINE}, no-such-engine")
    assert wanted_engines() == ((TEST_ENGINE,) if HAS_MOCK else ())


def test_without_qt_voices_the_wav_engines_read_off_the_gui_thread(qtbot, window_with, speech):
    window = window_with((), "en")
    assert window.qt_voices().choices == {}
    press_read(qtbot, window)
    qtbot.waitUntil(lambda: len(speech.said) == 1, timeout=WAIT_MS)
    en = Translator("en")
    assert speech.said[0][0] == "en" and speech.said[0][1].startswith(en("welcome.title"))
    assert threading.main_thread().name not in speech.threads


def test_this_machines_own_engines_leave_japanese_to_open_jtalk(
    qtbot, window_with, speech, monkeypatch
):
    """Whatever this machine's Qt engines are (none, or speech-dispatcher without voices here),
    Japanese without a Qt voice goes to the WAV path."""
    monkeypatch.delenv("MADOGUCHI_QT_SPEECH", raising=False)
    window = window_with(None, "ja")
    if window.qt_voices().speaks("ja"):
        pytest.skip("this machine has a Japanese Qt voice")
    press_read(qtbot, window)
    qtbot.waitUntil(lambda: len(speech.said) == 1, timeout=WAIT_MS)
    assert speech.said[0][0] == "ja"


@needs_mock
def test_a_language_with_a_qt_voice_is_read_by_it_and_the_rest_by_the_wav_engines(
    qtbot, window_with, speech
):
    window = window_with((TEST_ENGINE,), "en")
    voices = window.qt_voices()
    assert voices.speaks("en") and not voices.speaks("ja") and not voices.speaks("vi")
    assert voices.choices["en"].locale.name() == "en_US"
    heard = HeardWords(voices.engines[TEST_ENGINE])
    window.screens[Step.WELCOME].start_button.setFocus()
    press_read(qtbot, window)  # returns at once: the engine speaks on its own
    expected = SpeechRequest(
        "en",
        Translator("en")("welcome.title"),
        (window.current_screen().spoken_item(window.screens[Step.WELCOME].start_button),),
    ).text()
    qtbot.waitUntil(lambda: words_of(" ".join(heard.words)) == words_of(expected), timeout=WAIT_MS)
    assert speech.said == []  # not the WAV path

    window.screens[Step.WELCOME].languages.choose("ja")  # no Japanese Qt voice: Open JTalk
    press_read(qtbot, window)
    qtbot.waitUntil(lambda: len(speech.said) == 1, timeout=WAIT_MS)
    assert speech.said[0][0] == "ja"


@needs_mock
def test_the_qt_voice_gets_the_filtered_text_the_individual_number_by_its_label(
    qtbot, window_with, speech, kit
):
    window = window_with((TEST_ENGINE,), "en")
    heard = HeardWords(window.qt_voices().engines[TEST_ENGINE])
    by_card(qtbot, window, kit, "kokuho")
    flow = window.flow
    answer_from(flow, load_sample("mihon_showa_last_day"))
    review = window.screens[Step.REVIEW]
    found = None
    while found is None and flow.step is Step.REVIEW and not flow.on_summary:
        found = next(
            (e for e in review.editors.values() if e.spec.type == "individual_number"), None
        )
        if found is None:
            review.next_button.click()
    assert found is not None
    focus = found.line_edits[0] if found.line_edits else found.value_label
    focus.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    focus.setFocus()
    engine = window.qt_voices().engines[TEST_ENGINE]
    press_read(qtbot, window)
    qtbot.waitUntil(
        lambda: engine.state() == QTextToSpeech.State.Ready and bool(heard.words), timeout=WAIT_MS
    )
    said = " ".join(heard.words)
    assert words_of(found.label.lead)[-1] in heard.words
    assert not any(c.isdigit() for c in said)
    assert kit.profile.individual_number not in said
    assert speech.said == []


@needs_mock
def test_the_qt_path_refuses_twelve_digits_like_the_wav_path(qtbot):
    voices = QtVoices.discover((TEST_ENGINE,))
    heard = HeardWords(voices.engines[TEST_ENGINE])
    with pytest.raises(SecretInSpeech):
        voices.say(SpeechRequest("en", "Your number is 1234 5678 9012"))
    secret = item_for_field("My Number", "123456789012", "individual_number")
    voices.say(SpeechRequest("en", "Check", (secret,)))  # its label only
    qtbot.waitUntil(lambda: not voices.speaking() and bool(heard.words), timeout=WAIT_MS)
    assert heard.words == ["Check", "My", "Number"]
    voices.deleteLater()


@needs_mock
def test_a_wipe_silences_the_qt_voice(qtbot, window_with, speech):
    window = window_with((TEST_ENGINE,), "en")
    engine = window.qt_voices().engines[TEST_ENGINE]
    heard = HeardWords(engine)
    window.qt_voices().say(SpeechRequest("en", " ".join(["Please wait"] * 40)))
    qtbot.waitUntil(lambda: engine.state() == QTextToSpeech.State.Speaking, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(heard.words) >= 2, timeout=WAIT_MS)
    window.flow.wipe(WipeReason.CANCEL)
    assert engine.state() != QTextToSpeech.State.Speaking
    count = len(heard.words)
    qtbot.wait(500)
    assert len(heard.words) == count < 80
