"""What the kiosk asks to be read: an instruction and labelled items, never a bare string.

The kiosk does not hand the speech engine free text. It builds a `SpeechRequest` from the
screen's instruction and its items (a field's label and value); a secret item carries its
label only, by construction:

- `SpeechItem(label, value, secret=True)` with a value is refused (`SecretInSpeech`), so a
  secret value cannot be put into a request even by mistake;
- `item_for_field(label, value, field_type)` drops the value of every field type in
  `SECRET_FIELD_TYPES` (the individual number; the PIN pad has no field type and is never
  an item at all);
- `SpeechRequest.text()` checks the whole text once more and refuses it if it holds twelve
  digits in a row (an individual number, however spaced or full-width), wherever they came
  from: a label, an instruction, a value of another field.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from devices.speech.errors import SecretInSpeech
from forms.i18n import language as language_of

SECRET_FIELD_TYPES = frozenset({"individual_number", "pin"})

# Twelve digits, each optionally followed by one separator: 1234 5678 9012, 1234-5678-9012.
_TWELVE_DIGITS = re.compile(r"(?<!\d)(?:\d[\s\-‐‑–—−ー･・.]?){11}\d(?!\d)")


@dataclass(frozen=True)
class SpeechItem:
    label: str
    value: str = ""
    secret: bool = False

    def __post_init__(self) -> None:
        if self.secret and self.value:
            raise SecretInSpeech("item")

    def __repr__(self) -> str:  # values are personal data: never in a repr or a log
        return f"SpeechItem(label={self.label!r}, secret={self.secret})"


def item_for_field(label: str, value: str, field_type: str) -> SpeechItem:
    """The item for one form field: a secret field type keeps only its label."""
    if field_type in SECRET_FIELD_TYPES:
        return SpeechItem(label, secret=True)
    return SpeechItem(label, value)


def contains_individual_number(text: str) -> bool:
    return _TWELVE_DIGITS.search(unicodedata.normalize("NFKC", text)) is not None


@dataclass(frozen=True)
class SpeechRequest:
    """One thing to read, in one language: the instruction, then each item and its value."""

    language: str
    instruction: str = ""
    items: tuple[SpeechItem, ...] = ()

    def __post_init__(self) -> None:
        language_of(self.language)  # UnknownLanguage for anything not offered

    def __repr__(self) -> str:
        return f"SpeechRequest(language={self.language!r}, items={len(self.items)})"

    def text(self) -> str:
        japanese = self.language in {"ja", "ja-easy"}
        pause, stop = ("、", "。") if japanese else (": ", ". ")
        parts: list[str] = []
        if self.instruction.strip():
            parts.append(_with_stop(self.instruction.strip(), stop))
        for item in self.items:
            label = item.label.strip()
            if item.secret or not item.value.strip():
                parts.append(_with_stop(label, stop))
            else:
                parts.append(_with_stop(f"{label}{pause}{item.value.strip()}", stop))
        text = ("" if japanese else " ").join(p for p in parts if p)
        if contains_individual_number(text):
            raise SecretInSpeech("text")
        return text


def _with_stop(text: str, stop: str) -> str:
    """End a part with a full stop (so the engine pauses) unless it already ends a sentence."""
    if not text or text[-1] in "。．.!?！？…":
        return text
    return text + stop.strip()
