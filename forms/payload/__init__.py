"""The pre-entry QR payload codec: a filled form (or bundle) as a signed, encrypted digit string.

See docs/qr-payload.md for the format (format 2 is written; formats 1 and 2 are read). The
pre-entry site calls `encode_payload` and `qr_image`; the kiosk (kind PREENTRY) and the back
office (kind PAPER, for printed forms) call `decode_payload`. `keys` owns every key file.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Each name and the module that defines it: loaded when first asked for, so importing a light
# part (`forms.payload.keys` for a key file) does not load the codec, qrcode and Pillow (the
# kiosk's welcome screen shows before them).
_WHERE = {
    "DEFAULT_TTL": "codec",
    "FORMAT_VERSION": "codec",
    "MAX_CONTENT_BYTES": "codec",
    "DecodedPayload": "codec",
    "decode_payload": "codec",
    "encode_payload": "codec",
    "KeyRing": "keys",
    "fingerprint": "keys",
    "PayloadKind": "kinds",
    "prune_record": "prune",
    "qr_image": "qrimage",
    "qr_version": "qrimage",
}

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'forms.payload' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"forms.payload.{module}"), name)
    globals()[name] = value
    return value


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
