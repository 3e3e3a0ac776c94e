"""The navigator's part of the sealed state, and how it is written into the record.

It rides in the sealed state under `v` (`{"a": {question: bool}, "c": {form: {"include":
bool, "by": "resident"}}, "d": done}`) and is written into the record as
`answers["navigator.<bundle>.…"]` (`forms.navigator`), so it travels in the QR code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from forms import navigator as nav
from forms.bundle import Bundle
from forms.record import SessionRecord
from preentry.sealed import StateRefused

KEY = "v"  # the navigator's part of the sealed state


@dataclass
class NavState:
    answers: dict[str, bool]
    changes: dict[str, dict[str, Any]]
    done: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"a": dict(self.answers), "c": dict(self.changes), "d": self.done}

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> NavState | None:
        """The navigator's part of a sealed state (None before the page was reached)."""
        raw = state.get(KEY)
        if raw is None:
            return None
        if not isinstance(raw, dict):
            raise StateRefused()
        answers, changes, done = raw.get("a"), raw.get("c"), raw.get("d")
        if (
            not isinstance(answers, dict)
            or not all(isinstance(k, str) and isinstance(v, bool) for k, v in answers.items())
            or not isinstance(changes, dict)
            or not all(
                isinstance(k, str)
                and isinstance(v, dict)
                and isinstance(v.get("include"), bool)
                and v.get("by") == "resident"
                for k, v in changes.items()
            )
            or not isinstance(done, bool)
        ):
            raise StateRefused()
        return cls(dict(answers), {k: dict(v) for k, v in changes.items()}, done)

    def write(self, record: SessionRecord, bundle: Bundle) -> None:
        """Into the record (and so into the QR code) as `forms.navigator` keeps them."""
        for question_id, yes in self.answers.items():
            record.answers[nav.answer_key(bundle.id, question_id)] = yes
        if self.changes:
            record.answers[nav.changes_key(bundle.id)] = {
                k: dict(v) for k, v in self.changes.items()
            }
