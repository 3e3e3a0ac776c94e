"""The pre-entry QR payload codec: a filled form (or bundle) as a signed, encrypted digit string.

See docs/qr-payload.md for the format (format 2 is written; formats 1 and 2 are read). The
pre-entry site calls `encode_payload` and `qr_image`; the kiosk (kind PREENTRY) and the back
office (kind PAPER, for printed forms) call `decode_payload`. `keys` owns every key file.
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
