"""Read-aloud: speech requests (labelled items, secrets never spoken) and engines (Open JTalk
for Japanese, espeak-ng for the other languages) that write WAV. Qt-free.

    speaker = Speaker()
    request = SpeechRequest("vi", "Hãy kiểm tra nội dung",
                            (item_for_field("Họ tên", "山田 太郎", "person_name"),
                             item_for_field("Mã số cá nhân", "123456789012", "individual_number")))
    wav = speaker.synthesize(request)     # the individual number is not in it
"""

from devices.speech.engines import VOICES, EspeakNg, OpenJTalk, Speaker, Voice, play
from devices.speech.errors import SecretInSpeech, SpeechFailed, SpeechUnavailable
from devices.speech.request import (
    SECRET_FIELD_TYPES,
    SpeechItem,
    SpeechRequest,
    contains_individual_number,
    item_for_field,
)
from devices.speech.wav import WavStats, wav_stats

__all__ = [
    "SECRET_FIELD_TYPES",
    "VOICES",
    "EspeakNg",
    "OpenJTalk",
    "SecretInSpeech",
    "Speaker",
    "SpeechFailed",
    "SpeechItem",
    "SpeechRequest",
    "SpeechUnavailable",
    "Voice",
    "WavStats",
    "contains_individual_number",
    "item_for_field",
    "play",
    "wav_stats",
]
