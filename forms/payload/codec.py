"""The pre-entry QR payload: session record → CBOR → raw DEFLATE → Ed25519 → HPKE → digits.

docs/qr-payload.md is the specification; this module is its reference implementation. Format
2 is written; formats 1 and 2 are read (a format-1 code lives at most 30 days as a pre-entry
code, 5 years as a printed form's data QR). The two share the envelope and differ in the
record's compaction (`compact`, `compact_v2`), the preset dictionary and the content's `kind`.

Decoding checks, in this order, that the text is ours, its format version, its digits and
length, the recipient key, the ciphertext, the signature, the size bound, the structure, the
kind and the length of its life, the validity window, the templates and the record's
validation; any failure raises its own `PayloadError` and nothing of the payload is returned
(never half-used).
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from pydantic import ValidationError

from forms.catalog import Catalog
from forms.clock import OfficeClock, as_utc, office_clock
from forms.errors import UnknownTemplate
from forms.fill import fill
from forms.payload import digits as digit_codec
from forms.payload.compact import compact_record, expand_record
from forms.payload.compact_v2 import PostalDataMismatch, compact_record_v2, expand_record_v2
from forms.payload.dictionary import ZDICT_V1, ZDICT_V2
from forms.payload.errors import (
    BadChunking,
    BadDigits,
    CorruptPayload,
    MalformedContent,
    NotOurPayload,
    PayloadExpired,
    PayloadInvalidData,
    PayloadLifetimeTooLong,
    PayloadNotYetValid,
    PayloadPostalDataMismatch,
    PayloadTooLarge,
    PayloadTooLong,
    PayloadUnknownTemplate,
    PayloadWrongKind,
    SignatureMismatch,
    TruncatedPayload,
    UnknownFormatVersion,
    WrongKey,
)
from forms.payload.keys import fingerprint, key_id
from forms.payload.kinds import PayloadKind
from forms.record import SessionRecord

MAGIC = b"MDG"
HEADER_BYTES = 10  # magic 3, version 1, total length 2, recipient key id 4
HPKE_ENC_BYTES = 32
AEAD_TAG_BYTES = 16
SIGNATURE_BYTES = 64
MIN_MESSAGE_BYTES = HEADER_BYTES + HPKE_ENC_BYTES + AEAD_TAG_BYTES + SIGNATURE_BYTES
MAX_MESSAGE_BYTES = 0xFFFF
MAX_CONTENT_BYTES = 64 * 1024  # inflated CBOR; a household of 10 needs ~4 KiB
CLOCK_SKEW = dt.timedelta(minutes=10)
DEFAULT_TTL = PayloadKind.PREENTRY.max_lifetime

SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)

# content map keys (CBOR unsigned integers); K_KIND from format 2 on
K_TEMPLATES, K_ISSUED, K_EXPIRES, K_RECORD, K_KIND = 1, 2, 3, 4, 5

# The first 17-digit chunk of every payload lies in this range (magic "MDG" on top).
_FIRST_CHUNK_LOW = int.from_bytes(MAGIC + b"\x00" * 4, "big")
_FIRST_CHUNK_HIGH = int.from_bytes(MAGIC + b"\xff" * 4, "big")


@dataclass(frozen=True)
class PayloadFormat:
    """What differs between format versions; the envelope is the same."""

    version: int
    hpke_info: bytes
    signature_context: bytes
    dictionary: bytes = field(repr=False)
    compact: Callable[[SessionRecord], dict[Any, Any]]
    expand: Callable[[Any], dict[str, Any]]
    has_kind: bool


FORMAT_V1 = PayloadFormat(
    1, b"madoguchi-qr/1", b"madoguchi-qr-sig/1", ZDICT_V1, compact_record, expand_record, False
)
FORMAT_V2 = PayloadFormat(
    2,
    b"madoguchi-qr/2",
    b"madoguchi-qr-sig/2",
    ZDICT_V2,
    compact_record_v2,
    expand_record_v2,
    True,
)
FORMATS = {f.version: f for f in (FORMAT_V1, FORMAT_V2)}
FORMAT_VERSION = FORMAT_V2.version  # what encode_payload writes

# Format 1's names, kept for the readers of its test vector.
HPKE_INFO = FORMAT_V1.hpke_info
SIGNATURE_CONTEXT = FORMAT_V1.signature_context


@dataclass(frozen=True)
class DecodedPayload:
    record: SessionRecord = field(repr=False)
    templates: list[tuple[str, int]]
    issued_at: dt.datetime
    expires_at: dt.datetime
    signer: str  # fingerprint() of the public key whose signature matched
    format_version: int = FORMAT_VERSION
    kind: PayloadKind = PayloadKind.PREENTRY


def _format(version: int) -> PayloadFormat:
    found = FORMATS.get(version)
    if found is None:
        raise UnknownFormatVersion(version)
    return found


def header_bytes(version: int, total: int, recipient: X25519PublicKey) -> bytes:
    return MAGIC + bytes([version]) + total.to_bytes(2, "big") + key_id(recipient)


def content_bytes(
    record: SessionRecord,
    template_ids: list[tuple[str, int]],
    issued_at: dt.datetime,
    expires_at: dt.datetime,
    *,
    kind: PayloadKind = PayloadKind.PREENTRY,
    format_version: int = FORMAT_VERSION,
) -> bytes:
    """The canonical CBOR content (before DEFLATE): deterministic for the same input."""
    form = _format(format_version)
    content: dict[int, Any] = {
        K_TEMPLATES: [[str(t), int(v)] for t, v in template_ids],
        K_ISSUED: int(as_utc(issued_at).timestamp()),
        K_EXPIRES: int(as_utc(expires_at).timestamp()),
        K_RECORD: form.compact(record),
    }
    if form.has_kind and kind is not PayloadKind.PREENTRY:
        content[K_KIND] = int(kind)
    return cbor2.dumps(content, canonical=True)


def deflate(data: bytes, *, format_version: int = FORMAT_VERSION) -> bytes:
    packer = zlib.compressobj(
        level=9,
        method=zlib.DEFLATED,
        wbits=-15,
        memLevel=9,
        zdict=_format(format_version).dictionary,
    )
    return packer.compress(data) + packer.flush()


def encode_payload(
    record: SessionRecord,
    template_ids: list[tuple[str, int]],
    *,
    signing_key: Ed25519PrivateKey,
    counter_public_key: X25519PublicKey,
    issued_at: dt.datetime | None = None,
    ttl: dt.timedelta | None = None,
    kind: PayloadKind = PayloadKind.PREENTRY,
    clock: OfficeClock | None = None,
    format_version: int = FORMAT_VERSION,
) -> str:
    """The payload as decimal digits only, for a numeric-mode QR code.

    `ttl` defaults to the longest life of `kind` and may not exceed it. `issued_at` defaults to
    the office clock's now. `format_version=1` writes the previous format (for comparisons).
    """
    if not template_ids:
        raise ValueError("template_ids must name at least one template")
    lifetime = kind.max_lifetime if ttl is None else ttl
    if lifetime <= dt.timedelta(0):
        raise ValueError("ttl must be positive")
    if lifetime > kind.max_lifetime:
        raise PayloadLifetimeTooLong(kind.ja, kind.en, kind.max_lifetime.days)
    form = _format(format_version)
    moment = issued_at if issued_at is not None else (clock or office_clock()).now()
    issued = as_utc(moment).replace(microsecond=0)
    content = content_bytes(
        record, template_ids, issued, issued + lifetime, kind=kind, format_version=form.version
    )
    body = deflate(content, format_version=form.version)
    total = MIN_MESSAGE_BYTES + len(body)
    if total > MAX_MESSAGE_BYTES:
        raise PayloadTooLong(total, MAX_MESSAGE_BYTES)
    header = header_bytes(form.version, total, counter_public_key)
    signature = signing_key.sign(form.signature_context + header + body)
    sealed = SUITE.encrypt(signature + body, counter_public_key, info=form.hpke_info + header)
    message = header + sealed
    assert len(message) == total, "HPKE output length is fixed by the suite"
    return digit_codec.to_digits(message)


def _plausible_first_chunk(prefix: str) -> bool:
    """Could a 17-digit chunk starting with `prefix` carry our magic?"""
    scale = 10 ** (digit_codec.CHUNK_DIGITS - len(prefix))
    low, high = int(prefix) * scale, (int(prefix) + 1) * scale - 1
    return high >= _FIRST_CHUNK_LOW and low <= _FIRST_CHUNK_HIGH


def read_header(text: str) -> tuple[PayloadFormat, int]:
    """The format and the message's byte count from the first chunk, refusing early what is not
    ours."""
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
    form = _format(first_bytes[3])
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
    return form, total


def _inflate(body: bytes, form: PayloadFormat) -> bytes:
    unpacker = zlib.decompressobj(wbits=-15, zdict=form.dictionary)
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


@dataclass(frozen=True)
class _Content:
    templates: list[tuple[str, int]]
    issued: dt.datetime
    expires: dt.datetime
    record: Any = field(repr=False)
    kind: PayloadKind | None  # None: format 1 does not say


def _parse_content(content: bytes, form: PayloadFormat) -> _Content:
    try:
        data = cbor2.loads(content)
    except Exception:  # cbor2 raises several types (and RecursionError) on hostile input
        raise MalformedContent("cbor") from None
    required = {K_TEMPLATES, K_ISSUED, K_EXPIRES, K_RECORD}
    allowed = required | ({K_KIND} if form.has_kind else set())
    if not isinstance(data, dict) or not required <= set(data) <= allowed:
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
    kind: PayloadKind | None = None
    if form.has_kind:
        raw_kind = data.get(K_KIND, int(PayloadKind.PREENTRY))
        if type(raw_kind) is not int or raw_kind not in PayloadKind._value2member_map_:
            raise MalformedContent("kind")
        kind = PayloadKind(raw_kind)
    return _Content(templates, issued, expires, data[K_RECORD], kind)


def open_payload(
    digits: str, *, counter_private_key: X25519PrivateKey
) -> tuple[bytes, bytes, bytes]:
    """(header, signature, DEFLATE body) of a payload: the steps before the signature check."""
    text = digits.strip(" \t\r\n")
    form, total = read_header(text)
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
        plaintext = SUITE.decrypt(sealed, counter_private_key, info=form.hpke_info + header)
    except (InvalidTag, ValueError):
        raise CorruptPayload from None
    return header, plaintext[:SIGNATURE_BYTES], plaintext[SIGNATURE_BYTES:]


def _check_life(content: _Content, kind: PayloadKind, moment: dt.datetime) -> None:
    if content.kind is not None and content.kind is not kind:
        raise PayloadWrongKind(content.kind.ja, content.kind.en, kind.ja, kind.en)
    if content.expires - content.issued > kind.max_lifetime:
        raise PayloadLifetimeTooLong(kind.ja, kind.en, kind.max_lifetime.days)
    if moment >= content.expires:
        raise PayloadExpired
    if content.issued > moment + CLOCK_SKEW:
        raise PayloadNotYetValid


def decode_payload(
    digits: str,
    *,
    counter_private_key: X25519PrivateKey,
    signer_public_keys: list[Ed25519PublicKey],
    catalog: Catalog,
    now: dt.datetime | None = None,
    kind: PayloadKind = PayloadKind.PREENTRY,
    clock: OfficeClock | None = None,
) -> DecodedPayload:
    """Read a payload of `kind`, refusing (with its own PayloadError) anything not wholly valid.

    `now` (aware) defaults to the office clock's.
    """
    header, signature, body = open_payload(digits, counter_private_key=counter_private_key)
    form = _format(header[3])
    signer = _matching_signer(signature, form.signature_context + header + body, signer_public_keys)
    content = _parse_content(_inflate(body, form), form)
    moment = as_utc(now) if now is not None else (clock or office_clock()).now()
    _check_life(content, kind, moment)
    resolved = []
    for template_id, version in content.templates:
        try:
            resolved.append(catalog.get(template_id, version))
        except UnknownTemplate:
            raise PayloadUnknownTemplate(template_id, version) from None
    try:
        record = SessionRecord.model_validate(form.expand(content.record))
    except PostalDataMismatch:
        raise PayloadPostalDataMismatch from None
    except (ValidationError, ValueError, TypeError, RecursionError):
        raise MalformedContent("record") from None
    for template in resolved:
        filled = fill(template, record)
        if filled.errors:
            raise PayloadInvalidData(template.id, filled.errors)
    return DecodedPayload(
        record,
        content.templates,
        content.issued,
        content.expires,
        signer,
        form.version,
        content.kind if content.kind is not None else kind,
    )


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
    "PayloadKind",
    "decode_payload",
    "encode_payload",
    "estimated_digits",
]
