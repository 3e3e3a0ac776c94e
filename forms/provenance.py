"""Where each answer of a session came from: the card, the QR, typing, the procedure or the
kiosk itself; and how many characters were typed over a prefilled answer (the measurement's
"nothing the card or the QR holds is typed"). Shown beside each answer on the guided review's
summary (`forms.guide`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Source(StrEnum):
    """Where an answer came from (shown beside it on the summary)."""

    CARD = "card"  # read from the My Number Card or the driver's licence
    QR = "qr"  # carried by the pre-entry QR code
    TYPED = "typed"  # typed or chosen by the resident (or by staff with them)
    PROCEDURE = "procedure"  # fixed by the chosen procedure (moving in → 転入)
    AUTO = "auto"  # filled in by the kiosk (the date of notification, a life event's default)


# What the resident holds (card) or brought (QR): typing over it is typing twice.
HELD = frozenset({Source.CARD, Source.QR})


@dataclass
class Provenance:
    """Where each answer came from, by record path; and characters typed over prefilled ones."""

    sources: dict[str, Source] = field(default_factory=dict)
    # path → card / QR / auto (a life event's default: the event's date from the date of death)
    prefilled_from: dict[str, Source] = field(default_factory=dict)
    typed_over_prefill: dict[str, int] = field(default_factory=dict)  # path → characters (card/QR)

    def __repr__(self) -> str:
        return f"Provenance(paths={len(self.sources)})"

    def prefilled(self, paths: Iterable[str], source: Source) -> None:
        for path in paths:
            self.sources[path] = source
            self.prefilled_from[path] = source

    def forget(self, paths: Iterable[str]) -> None:
        """The answers at `paths` were emptied by the kiosk (a default whose source the resident
        cleared): nobody's any more, asked again."""
        for path in paths:
            self.sources.pop(path, None)
            self.prefilled_from.pop(path, None)

    def fixed(self, paths: Iterable[str]) -> None:
        for path in paths:
            self.sources[path] = Source.PROCEDURE

    def typed(self, path: str, characters: int) -> None:
        """The resident changed the answer at `path` (`characters` typed for it); counted
        over the prefill when the card or the QR held it (a default is the kiosk's guess)."""
        self.sources[path] = Source.TYPED
        if self.prefilled_from.get(path) in HELD and characters:
            self.typed_over_prefill[path] = self.typed_over_prefill.get(path, 0) + characters

    def source(self, path: str) -> Source | None:
        return self.sources.get(path)
