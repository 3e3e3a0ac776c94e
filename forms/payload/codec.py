"""The pre-entry QR payload: session record → CBOR → raw DEFLATE → Ed25519 → HPKE → digits.

docs/qr-payload.md is the specification; this module is its reference implementation. Decoding
checks, in this order, that the text is ours, its format version, its digits and length, the
recipient key, the ciphertext, the signature, the size bound, the structure, the validity
window, the templates and the record's validation; any failure raises its own `PayloadError`
and nothing of the payload is returned (never half-used).
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from pydantic import ValidationError

from forms.catalog import Catalog
from forms.clock import as_utc, office_clock
from forms.errors import UnknownTemplate
from forms.fill import fill
from forms.payload import digits as digit_codec
from forms.payload.compact import compact_record, expand_record
from forms.payload.dictionary import ZDICT_V1
from forms.payload.errors import (
    BadChunking,
    BadDigits,
    CorruptPayload,
    MalformedContent,
    NotOurPayload,
    PayloadExpired,
    PayloadInvalidData,
    PayloadNotYetValid,
    PayloadTooLarge,
    PayloadTooLong,
    PayloadUnknownTemplate,
    SignatureMismatch,
    TruncatedPayload,
    UnknownFormatVersion,
    WrongKey,
)
from forms.payload.keys import fingerprint, key_id
from forms.record import SessionRecord

MAGIC = b"MDG"
FORMAT_VERSION = 1
HEADER_BYTES = 10  # magic 3, version 1, total length 2, recipient key id 4
HPKE_ENC_BYTES = 32
AEAD_TAG_BYTES = 16
SIGNATURE_BYTES = 64
MIN_MESSAGE_BYTES = HEADER_BYTES + HPKE_ENC_BYTES + AEAD_TAG_BYTES + SIGNATURE_BYTES
MAX_MESSAGE_BYTES = 0xFFFF
MAX_CONTENT_BYTES = 64 * 1024  # inflated CBOR; a household of 10 needs ~4 KiB
HPKE_INFO = b"madoguchi-qr/1"
SIGNATURE_CONTEXT = b"madoguchi-qr-sig/1"
CLOCK_SKEW = dt.timedelta(minutes=10)
DEFAULT_TTL = dt.timedelta(days=30)

SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)

# content map keys (CBOR unsigned integers)
K_TEMPLATES, K_ISSUED, K_EXPIRES, K_RECORD = 1, 2, 3, 4

# The first 17-digit chunk of every version-1 payload lies in this range (magic "MDG" on top).
_FIRST_CHUNK_LOW = int.from_bytes(MAGIC + b"\x00" * 4, "big")
_FIRST_CHUNK_HIGH = int.from_bytes(MAGIC + b"\xff" * 4, "big")


@dataclass(frozen=True)
class DecodedPayload:
    record: SessionRecord = field(repr=False)
    templates: list[tuple[str, int]]
    issued_at: dt.datetime
    expires_at: dt.datetime
    signer: str  # fingerprint() of the public key whose signature matched


def _utc(moment: dt.datetime) -> dt.datetime:
    """Aware UTC; a naive datetime is refused (ValueError): it has no place on the clock."""
    return as_utc(moment)


def _header(total: int, recipient: X25519PublicKey) -> bytes:
    return MAGIC + bytes([FORMAT_VERSION]) + total.to_bytes(2, "big") + key_id(recipient)


def content_bytes(
    record: SessionRecord,
    template_ids: list[tuple[str, int]],
    issued_at: dt.datetime,
    expires_at: dt.datetime,
) -> bytes:
    """The canonical CBOR content (before DEFLATE): deterministic for the same input."""
    content = {
        K_TEMPLATES: [[str(t), int(v)] for t, v in template_ids],
        K_ISSUED: int(_utc(issued_at).timestamp()),
        K_EXPIRES: int(_utc(expires_at).timestamp()),
        K_RECORD: compact_record(record),
    }
    return cbor2.dumps(content, canonical=True)


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(level=9, method=zlib.DEFLATED, wbits=-15, memLevel=9, zdict=ZDICT_V1)
    return packer.compress(data) + packer.flush()


def encode_payload(
    record: SessionRecord,
    template_ids: list[tuple[str, int]],
    *,
    signing_key: Ed25519PrivateKey,
    counter_public_key: X25519PublicKey,
    issued_at: dt.datetime | None = None,
    ttl: dt.timedelta = DEFAULT_TTL,
) -> str:
    """The payload as decimal digits only, for a numeric-mode QR code."""
    if not template_ids:
        raise ValueError("template_ids must name at least one template")
    issued = _utc(issued_at) if issued_at is not None else office_clock().now()
    issued = issued.replace(microsecond=0)
    body = deflate(content_bytes(record, template_ids, issued, issued + ttl))
    total = MIN_MESSAGE_BYTES + len(body)
    if total > MAX_MESSAGE_BYTES:
        raise PayloadTooLong(total, MAX_MESSAGE_BYTES)
    header = _header(total, counter_public_key)
    signature = signing_key.sign(SIGNATURE_CONTEXT + header + body)
    sealed = SUITE.encrypt(signature + body, counter_public_key, info=HPKE_INFO + header)
    message = header + sealed
    assert len(message) == total, "HPKE output length is fixed by the suite"
    return digit_codec.to_digits(message)


def _plausible_first_chunk(prefix: str) -> bool:
    """Could a 17-digit chunk starting with `prefix` carry our magic?"""
    scale = 10 ** (digit_codec.CHUNK_DIGITS - len(prefix))
    low, high = int(prefix) * scale, (int(prefix) + 1) * scale - 1
    return high >= _FIRST_CHUNK_LOW and low <= _FIRST_CHUNK_HIGH


def read_header(text: str) -> int:
    """The message's byte count from the first chunk, refusing early what is not ours."""
    size = digit_codec.CHUNK_DIGITS
    head = text[:size]
    run = 0
    while run < len(head) and "0" <= head[run] <= "9":
        run += 1
    if run < size:
        if run == 0 or not _plausible_first_chunk(head[:run]):
            raise NotOurPayload
        if run == len(text):
            raise TruncatedPayload
        raise BadDigits
    first = int(head)
    if not _FIRST_CHUNK_LOW <= first <= _FIRST_CHUNK_HIGH:
        raise NotOurPayload
    first_bytes = first.to_bytes(digit_codec.CHUNK_BYTES, "big")
    version = first_bytes[3]
    if version != FORMAT_VERSION:
        raise UnknownFormatVersion(version)
    total = int.from_bytes(first_bytes[4:6], "big")
    if total < MIN_MESSAGE_BYTES + 1:  # a DEFLATE stream is at least one byte
        raise BadChunking
    expected = digit_codec.digit_count(total)
    if not digit_codec.is_ascii_digits(text):
        raise BadDigits
    if len(text) < expected:
        raise TruncatedPayload
    if len(text) > expected:
        raise BadChunking
    return total


def _inflate(body: bytes) -> bytes:
    unpacker = zlib.decompressobj(wbits=-15, zdict=ZDICT_V1)
    try:
        out = unpacker.decompress(body, MAX_CONTENT_BYTES + 1)
    except zlib.error:
        raise MalformedContent("deflate") from None
    if len(out) > MAX_CONTENT_BYTES or unpacker.unconsumed_tail:
        raise PayloadTooLarge(MAX_CONTENT_BYTES)
    if not unpacker.eof or unpacker.unused_data:
        raise MalformedContent("deflate")
    return out


def _timestamp(value: Any, where: str) -> dt.datetime:
    if type(value) is not int or not 0 <= value < 2**40:
        raise MalformedContent(where)
    return dt.datetime.fromtimestamp(value, dt.UTC)


def _parse_content(content: bytes) -> tuple[list[tuple[str, int]], dt.datetime, dt.datetime, Any]:
    try:
        data = cbor2.loads(content)
    except Exception:  # cbor2 raises several types (and RecursionError) on hostile input
        raise MalformedContent("cbor") from None
    if not isinstance(data, dict) or set(data) != {K_TEMPLATES, K_ISSUED, K_EXPIRES, K_RECORD}:
        raise MalformedContent("map")
    raw_templates = data[K_TEMPLATES]
    if not isinstance(raw_templates, list) or not raw_templates:
        raise MalformedContent("templates")
    templates = []
    for item in raw_templates:
        if (
            not isinstance(item, list)
            or len(item) != 2
            or not isinstance(item[0], str)
            or type(item[1]) is not int
            or item[1] < 0
        ):
            raise MalformedContent("templates")
        templates.append((item[0], item[1]))
    issued = _timestamp(data[K_ISSUED], "issued_at")
    expires = _timestamp(data[K_EXPIRES], "expires_at")
    if expires <= issued:
        raise MalformedContent("expires_at")
    return templates, issued, expires, data[K_RECORD]


def open_payload(
    digits: str, *, counter_private_key: X25519PrivateKey
) -> tuple[bytes, bytes, bytes]:
    """(header, signature, DEFLATE body) of a payload: the steps before the signature check."""
    text = digits.strip(" \t\r\n")
    total = read_header(text)
    try:
        message = digit_codec.from_digits(text)
    except digit_codec.DigitsError as exc:
        raise (BadDigits if exc.kind == "digits" else BadChunking)() from None
    if len(message) != total:  # cannot happen after read_header; kept as a guard
        raise BadChunking
    header, sealed = message[:HEADER_BYTES], message[HEADER_BYTES:]
    if header[6:10] != key_id(counter_private_key.public_key()):
        raise WrongKey
    try:
        plaintext = SUITE.decrypt(sealed, counter_private_key, info=HPKE_INFO + header)
    except (InvalidTag, ValueError):
        raise CorruptPayload from None
    return header, plaintext[:SIGNATURE_BYTES], plaintext[SIGNATURE_BYTES:]


def decode_payload(
    digits: str,
    *,
    counter_private_key: X25519PrivateKey,
    signer_public_keys: list[Ed25519PublicKey],
    catalog: Catalog,
    now: dt.datetime | None = None,
) -> DecodedPayload:
    """Read a payload, refusing (with its own PayloadError) anything not wholly valid."""
    header, signature, body = open_payload(digits, counter_private_key=counter_private_key)
    signer = _matching_signer(signature, SIGNATURE_CONTEXT + header + body, signer_public_keys)
    templates, issued, expires, raw_record = _parse_content(_inflate(body))
    moment = _utc(now) if now is not None else office_clock().now()
    if moment >= expires:
        raise PayloadExpired
    if issued > moment + CLOCK_SKEW:
        raise PayloadNotYetValid
    resolved = []
    for template_id, version in templates:
        try:
            resolved.append(catalog.get(template_id, version))
        except UnknownTemplate:
            raise PayloadUnknownTemplate(template_id, version) from None
    try:
        record = SessionRecord.model_validate(expand_record(raw_record))
    except (ValidationError, ValueError, TypeError):
        raise MalformedContent("record") from None
    for template in resolved:
        form = fill(template, record)
        if form.errors:
            raise PayloadInvalidData(template.id, form.errors)
    return DecodedPayload(record, templates, issued, expires, signer)


def _matching_signer(signature: bytes, message: bytes, keys: list[Ed25519PublicKey]) -> str:
    if len(signature) == SIGNATURE_BYTES:
        for key in keys:
            try:
                key.verify(signature, message)
            except InvalidSignature:
                continue
            return fingerprint(key)
    raise SignatureMismatch


def estimated_digits(content_size: int) -> int:
    """Digits of a payload whose DEFLATE body has `content_size` bytes (for capacity planning)."""
    return digit_codec.digit_count(MIN_MESSAGE_BYTES + content_size)


__all__ = [
    "DEFAULT_TTL",
    "FORMAT_VERSION",
    "MAX_CONTENT_BYTES",
    "DecodedPayload",
    "decode_payload",
    "encode_payload",
    "estimated_digits",
]
