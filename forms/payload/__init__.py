"""The pre-entry QR payload codec: a filled form (or bundle) as a signed, encrypted digit string.

See docs/qr-payload.md for the format. The pre-entry site calls `encode_payload` and `qr_image`;
the kiosk and the back office call `decode_payload` with their `keys.KeyRing`.
"""

from __future__ import annotations

from forms.payload.codec import (
    DEFAULT_TTL,
    FORMAT_VERSION,
    MAX_CONTENT_BYTES,
    DecodedPayload,
    decode_payload,
    encode_payload,
)
from forms.payload.keys import KeyRing, fingerprint
from forms.payload.kinds import PayloadKind
from forms.payload.prune import prune_record
from forms.payload.qrimage import qr_image, qr_version

__all__ = [
    "DEFAULT_TTL",
    "FORMAT_VERSION",
    "MAX_CONTENT_BYTES",
    "DecodedPayload",
    "KeyRing",
    "PayloadKind",
    "decode_payload",
    "encode_payload",
    "fingerprint",
    "prune_record",
    "qr_image",
    "qr_version",
]
