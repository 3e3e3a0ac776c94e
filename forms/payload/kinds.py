"""The two kinds of payload and the longest life each may have (docs/qr-payload.md §6).

A payload states its own expiry, so the reader bounds it: a resident's pre-entry code lives
at most 30 days, the data QR printed on a form at most 5 years (5 × 366 days, so that any five
calendar years fit). A payload whose `expires_at − issued_at` is longer is refused, however
validly it is signed: an issuer's bug or a stolen signing key cannot make a code that lives
for ever.
"""

from __future__ import annotations

import datetime as dt
from enum import IntEnum


class PayloadKind(IntEnum):
    PREENTRY = 0  # the resident's QR from the pre-entry site, read at the kiosk
    PAPER = 1  # the data QR a kiosk prints on every page, read back at the back office

    @property
    def max_lifetime(self) -> dt.timedelta:
        return MAX_LIFETIME[self]

    @property
    def ja(self) -> str:
        return {PayloadKind.PREENTRY: "事前入力", PayloadKind.PAPER: "印刷された申請書"}[self]

    @property
    def en(self) -> str:
        return {PayloadKind.PREENTRY: "pre-entry", PayloadKind.PAPER: "printed form"}[self]


MAX_LIFETIME = {
    PayloadKind.PREENTRY: dt.timedelta(days=30),
    PayloadKind.PAPER: dt.timedelta(days=5 * 366),
}
