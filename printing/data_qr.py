"""The data QR the kiosk stamps on every printed page (docs/qr-payload.md, docs/printing.md).

Each form of an application carries, on each of its pages, the payload codec's digits of that
form's data: pruned to what the form reads, signed with the kiosk's own Ed25519 key and
encrypted to the office's X25519 key (the back-office key that also seals the outbox records),
so the back office can scan a paper copy back in without retyping, and nobody else can read it.

Two kinds of value never go into a data QR, even where the form reads them: the signature
image (it is on the paper itself and would not fit) and any individual number (the codec never
writes the card's; a typed one is left out for the same reason). Neither is required by a
shipped form, so the pruned record still validates when the back office decodes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from forms.fill import FilledForm, slots
from forms.record import SessionRecord
from forms.template import Template

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

LEFT_OUT_TYPES = frozenset({"signature", "individual_number"})

# Paper is kept for the application's retention period and may be scanned back into the back
# office any time in it; the pre-entry QR's 30 days would refuse a month-old printout.
DATA_QR_TTL = dt.timedelta(days=5 * 366)


def data_qr_record(record: SessionRecord, template: Template) -> SessionRecord:
    """What the data QR of one form carries: the record pruned to the form, minus the above."""
    from forms.payload import prune_record

    kept = prune_record(record, [template])
    for slot in slots(template, record):
        if slot.spec.type not in LEFT_OUT_TYPES:
            continue
        if slot.path.root == "answers":
            kept.answers.pop(".".join(slot.path.parts), None)
    if kept.card is not None and kept.card.individual_number is not None:
        kept.card = kept.card.model_copy(update={"individual_number": None})  # as the codec does
    return kept


@dataclass(frozen=True)
class DataQrStamper:
    """The kiosk's signing key and the office key: makes the `data_qr` of `confirm_application`
    (and of `printing.render.render_application`) for one session record."""

    signing_key: Ed25519PrivateKey = field(repr=False)
    office_public_key: X25519PublicKey = field(repr=False)

    def __repr__(self) -> str:
        from forms.payload.keys import fingerprint

        return f"DataQrStamper(kiosk={fingerprint(self.signing_key.public_key())})"

    def digits(self, record: SessionRecord, template: Template) -> str:
        from forms.payload import PayloadKind, encode_payload

        return encode_payload(
            data_qr_record(record, template),
            [(template.id, template.version)],
            signing_key=self.signing_key,
            counter_public_key=self.office_public_key,
            ttl=DATA_QR_TTL,
            kind=PayloadKind.PAPER,
        )

    def for_record(self, record: SessionRecord) -> Callable[[FilledForm], str]:
        """`data_qr(form) -> digits` over this record (a copy: later edits do not leak in)."""
        frozen = record.model_copy(deep=True)
        return lambda form: self.digits(frozen, form.template)
