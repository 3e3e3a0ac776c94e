"""The QR payload codec: round trips over the catalogue, every refusal, the test vectors, fuzzing.

`good` is a payload of the format written today (2); format 1's own tests are in
test_payload_v2.py beside the capacity and lifetime tests.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import time
import zlib
from pathlib import Path

import cbor2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.fill import fill
from forms.payload import (
    MAX_CONTENT_BYTES,
    codec,
    decode_payload,
    digits,
    encode_payload,
    errors,
    fingerprint,
    keys,
    prune_record,
    qr_version,
)
from forms.payload.compact import compact_record
from forms.payload.dictionary import ZDICT_V1, ZDICT_V2
from forms.record import SessionRecord
from forms.sample_records import load_sample, sample_names

VECTOR = Path(__file__).parent.parent / "qr" / "vector"
ISSUED = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
NOW = ISSUED + dt.timedelta(days=1)


def _sample_for(templates, catalog) -> SessionRecord:
    """The first shipped sample that fills every template without errors."""
    for name in sample_names():
        record = load_sample(name)
        if all(fill(t, record).ok for t in templates):
            return prune_record(record, templates)
    pytest.fail(f"no shipped sample fills {[t.id for t in templates]}")


def _encode(record, ids, ring, **kw) -> str:
    _, counter_pub, signing, _ = ring
    return encode_payload(
        record, ids, signing_key=signing, counter_public_key=counter_pub, issued_at=ISSUED, **kw
    )


def _decode(text, ring, catalog, now=NOW, signers=None):
    counter, _, _, signing_pub = ring
    return decode_payload(
        text,
        counter_private_key=counter,
        signer_public_keys=signers if signers is not None else [signing_pub],
        catalog=catalog,
        now=now,
    )


def _without_individual_number(record: SessionRecord) -> SessionRecord:
    copy = record.model_copy(deep=True)
    if copy.card is not None:
        copy.card = copy.card.model_copy(update={"individual_number": None})
    return copy


def test_every_shipped_template_round_trips(catalog, ring):
    templates = catalog.latest()
    assert len(templates) >= 1
    for template in templates:
        record = _sample_for([template], catalog)
        text = _encode(record, [(template.id, template.version)], ring)
        assert digits.is_ascii_digits(text)
        decoded = _decode(text, ring, catalog)
        assert decoded.record == _without_individual_number(record), template.id
        assert decoded.templates == [(template.id, template.version)]
        assert decoded.issued_at == ISSUED
        assert decoded.expires_at == ISSUED + dt.timedelta(days=30)
        assert decoded.signer == fingerprint(ring[3])


def test_every_bundle_round_trips(catalog, ring):
    assert catalog.bundles(), "the moving_in bundle ships"
    for bundle in catalog.bundles():
        templates = [catalog.get(i) for i in bundle.template_ids(include_optional=True)]
        record = _sample_for(templates, catalog)
        ids = [(t.id, t.version) for t in templates]
        decoded = _decode(_encode(record, ids, ring), ring, catalog)
        assert decoded.templates == ids
        assert decoded.record == _without_individual_number(record)


def test_individual_number_never_travels(catalog, ring):
    record = load_sample("yoshino_household")
    assert record.card is not None and record.card.individual_number
    content = codec.content_bytes(record, [("idou", 1)], ISSUED, NOW)
    assert record.card.individual_number.encode() not in content
    assert record.card.individual_number.encode("utf-16-be") not in content


def test_several_signers_name_the_one_that_matched(catalog, ring):
    _, counter_pub, _, preentry_pub = ring
    kiosk, kiosk_pub = keys.generate_signing_keypair()
    record = _sample_for([catalog.get("juminhyo")], catalog)
    text = encode_payload(
        record,
        [("juminhyo", 1)],
        signing_key=kiosk,
        counter_public_key=counter_pub,
        issued_at=ISSUED,
    )
    decoded = _decode(text, ring, catalog, signers=[preentry_pub, kiosk_pub])
    assert decoded.signer == fingerprint(kiosk_pub) != fingerprint(preentry_pub)


# --- refusals -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def good(catalog, ring) -> str:
    return _encode(_sample_for([catalog.get("juminhyo")], catalog), [("juminhyo", 1)], ring)


def _with_message(text: str, change) -> str:
    message = bytearray(digits.from_digits(text))
    change(message)
    return digits.to_digits(bytes(message))


def _seal(body: bytes, ring, *, version=codec.FORMAT_VERSION, signing=None) -> str:
    """A payload around an arbitrary DEFLATE body, properly signed and encrypted."""
    _, counter_pub, signing_key, _ = ring
    form = codec.FORMATS[version]
    total = codec.MIN_MESSAGE_BYTES + len(body)
    header = codec.header_bytes(version, total, counter_pub)
    signature = (signing or signing_key).sign(form.signature_context + header + body)
    sealed = codec.SUITE.encrypt(signature + body, counter_pub, info=form.hpke_info + header)
    return digits.to_digits(header + sealed)


def _content(
    record_data,
    *,
    templates=(("juminhyo", 1),),
    issued=ISSUED,
    days=30,
    version=codec.FORMAT_VERSION,
    extra=None,
) -> bytes:
    return codec.deflate(
        cbor2.dumps(
            {
                codec.K_TEMPLATES: [list(t) for t in templates],
                codec.K_ISSUED: int(issued.timestamp()),
                codec.K_EXPIRES: int((issued + dt.timedelta(days=days)).timestamp()),
                codec.K_RECORD: record_data,
                **(extra or {}),
            }
        ),
        format_version=version,
    )


@pytest.mark.parametrize(
    "text",
    ["https://example.jp/?q=1", "", "HELLO", "12345", "9" * 40, "00000000000000000" * 3],
)
def test_not_ours(text, ring, catalog):
    with pytest.raises(errors.NotOurPayload):
        _decode(text, ring, catalog)


def test_unknown_format_version(good, ring, catalog):
    def bump(m: bytearray) -> None:
        m[3] = 3

    with pytest.raises(errors.UnknownFormatVersion) as caught:
        _decode(_with_message(good, bump), ring, catalog)
    assert caught.value.version == 3


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:40] + "A" + t[41:],  # a letter
        lambda t: t[:40] + "４" + t[41:],  # a full-width digit (str.isdigit says yes)
        lambda t: t[:40] + " " + t[41:],
        lambda t: t[:17] + "99999999999999999" + t[34:],  # a chunk beyond 7 bytes
    ],
)
def test_bad_digits(good, ring, catalog, mangle):
    with pytest.raises(errors.BadDigits):
        _decode(mangle(good), ring, catalog)


@pytest.mark.parametrize("extra", ["0", "123", "00000000000000000"])
def test_bad_chunking(good, ring, catalog, extra):
    with pytest.raises(errors.BadChunking):
        _decode(good + extra, ring, catalog)


@pytest.mark.parametrize("keep", [5, 16, 17, 30, 200, -1])
def test_truncated(good, ring, catalog, keep):
    with pytest.raises(errors.TruncatedPayload):
        _decode(good[:keep], ring, catalog)


def test_scanner_line_endings_are_ignored(good, ring, catalog):
    assert _decode(f"{good}\r\n", ring, catalog).templates == [("juminhyo", 1)]


def test_wrong_key(good, catalog, ring):
    other, _ = keys.generate_counter_keypair()
    with pytest.raises(errors.WrongKey):
        decode_payload(
            good, counter_private_key=other, signer_public_keys=[ring[3]], catalog=catalog, now=NOW
        )


@pytest.mark.parametrize("where", [10, 45, -1])
def test_altered_ciphertext(good, ring, catalog, where):
    def flip(m: bytearray) -> None:
        m[where] ^= 0x01

    with pytest.raises(errors.CorruptPayload):
        _decode(_with_message(good, flip), ring, catalog)


def test_altered_header_length_is_refused(good, ring, catalog):
    def shorter(m: bytearray) -> None:
        m[5] -= 1

    with pytest.raises((errors.BadChunking, errors.TruncatedPayload)):
        _decode(_with_message(good, shorter), ring, catalog)


def test_signature_mismatch(good, ring, catalog):
    _, stranger = keys.generate_signing_keypair()
    with pytest.raises(errors.SignatureMismatch):
        _decode(good, ring, catalog, signers=[stranger])
    with pytest.raises(errors.SignatureMismatch):
        _decode(good, ring, catalog, signers=[])


def test_signed_by_an_untrusted_key(ring, catalog):
    rogue, _ = keys.generate_signing_keypair()
    record = _sample_for([catalog.get("juminhyo")], catalog)
    text = _seal(_content(compact_record(record)), ring, signing=rogue)
    with pytest.raises(errors.SignatureMismatch):
        _decode(text, ring, catalog)


def test_expired_and_not_yet_valid(good, ring, catalog):
    with pytest.raises(errors.PayloadExpired):
        _decode(good, ring, catalog, now=ISSUED + dt.timedelta(days=30))
    assert _decode(good, ring, catalog, now=ISSUED + dt.timedelta(days=29, hours=23))
    with pytest.raises(errors.PayloadNotYetValid):
        _decode(good, ring, catalog, now=ISSUED - dt.timedelta(hours=1))


def test_short_ttl(catalog, ring):
    record = _sample_for([catalog.get("juminhyo")], catalog)
    text = _encode(record, [("juminhyo", 1)], ring, ttl=dt.timedelta(hours=1))
    with pytest.raises(errors.PayloadExpired):
        _decode(text, ring, catalog, now=ISSUED + dt.timedelta(hours=2))


@pytest.mark.parametrize("ids", [[("no_such_form", 1)], [("juminhyo", 99)]])
def test_unknown_template_or_version(catalog, ring, ids):
    record = _sample_for([catalog.get("juminhyo")], catalog)
    with pytest.raises(errors.PayloadUnknownTemplate):
        _decode(_encode(record, ids, ring), ring, catalog)


def test_zip_bomb(ring, catalog):
    bomb = codec.deflate(b"\x00" * (MAX_CONTENT_BYTES * 16))
    assert len(bomb) < 2000
    with pytest.raises(errors.PayloadTooLarge):
        _decode(_seal(bomb, ring), ring, catalog)


@pytest.mark.parametrize(
    "body",
    [
        b"\xff\xff\xff",  # not DEFLATE
        codec.deflate(b"\xff\x00"),  # not CBOR
        codec.deflate(cbor2.dumps([1, 2, 3])),  # not the map
        codec.deflate(cbor2.dumps({1: [], 2: 0, 3: 1, 4: {}})),  # no templates
        codec.deflate(cbor2.dumps({1: [["juminhyo", "1"]], 2: 0, 3: 1, 4: {}})),
        codec.deflate(cbor2.dumps({1: [["juminhyo", 1]], 2: 5, 3: 4, 4: {}})),  # expires first
        codec.deflate(cbor2.dumps({1: [["juminhyo", 1]], 2: 0, 3: 1, 4: {}, 5: 7})),  # no kind 7
        codec.deflate(cbor2.dumps({1: [["juminhyo", 1]], 2: 0, 3: 1, 4: {}, 6: 0})),  # key 6
        zlib.compress(b"x")[2:-4] + b"trailing",  # bytes after the stream
    ],
)
def test_malformed_content(ring, catalog, body):
    with pytest.raises(errors.MalformedContent):
        _decode(_seal(body, ring), ring, catalog)


@pytest.mark.parametrize(
    "record_data",
    [
        {},  # no id
        {0: b"short"},
        {0: b"\x00" * 16, 2: "persons must be a list"},
        {0: b"\x00" * 16, 999: 1},  # an index beyond the key table
        {0: b"\x00" * 16, 5: {"x": b"\xd8\x00"}},  # a lone surrogate in UTF-16
        {0: b"\x00" * 16, 5: {"x": cbor2.CBORTag(1, 0)}},  # a datetime tag
    ],
)
def test_malformed_record(ring, catalog, record_data):
    with pytest.raises(errors.MalformedContent):
        _decode(_seal(_content(record_data), ring), ring, catalog)


def test_data_failing_validation(catalog, ring):
    record = _sample_for([catalog.get("juminhyo")], catalog)
    record.persons[0].name = None
    with pytest.raises(errors.PayloadInvalidData) as caught:
        _decode(_encode(record, [("juminhyo", 1)], ring), ring, catalog)
    assert caught.value.template_id == "juminhyo"
    assert caught.value.errors


def test_refusal_messages_are_bilingual_and_hold_no_personal_data(catalog, ring):
    record = _sample_for([catalog.get("juminhyo")], catalog)
    record.persons[0].birth_date = None
    with pytest.raises(errors.PayloadInvalidData) as caught:
        _decode(_encode(record, [("juminhyo", 1)], ring), ring, catalog)
    message = str(caught.value)
    assert caught.value.ja and caught.value.en
    for person in record.persons:
        assert person.name is None or person.name.family not in message
    for address in record.addresses.values():
        assert address.rest not in message


def test_too_long_to_encode(ring):
    record = SessionRecord(
        answers={"x": "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(40000))}
    )
    with pytest.raises(errors.PayloadTooLong):
        _encode(record, [("juminhyo", 1)], ring)


# --- the test vector of docs/qr-payload.md ------------------------------------------------------


VECTORS = {
    # format: (payload file, record file, templates)
    1: ("payload.txt", "record.json", [("juminhyo", 1)]),
    2: ("payload-v2.txt", "record-v2.json", [(t, 1) for t in ("idou", "kokuho", "jidou_teate", "inkan")]),
}  # fmt: skip


@pytest.mark.parametrize("version", sorted(VECTORS))
def test_vector_decodes_and_reencodes(catalog, version):
    """Format 1's vector is still read while a format-1 code can be alive; format 2's is the
    long-address household of four with the whole moving-in bundle."""
    payload_file, record_file, ids = VECTORS[version]
    counter = keys.load_counter_private_key(VECTOR / "counter.key")
    signing = keys.load_signing_private_key(VECTOR / "preentry-signing.key")
    text = (VECTOR / payload_file).read_text().strip()
    record = SessionRecord.from_json((VECTOR / record_file).read_text("utf-8"))
    decoded = decode_payload(
        text,
        counter_private_key=counter,
        signer_public_keys=[keys.load_signing_public_key(VECTOR / "preentry-signing.pub")],
        catalog=catalog,
        now=NOW,
    )
    assert decoded.record == record
    assert decoded.templates == ids
    assert (decoded.issued_at, decoded.format_version) == (ISSUED, version)
    # Everything but HPKE's ephemeral key is deterministic: body and signature re-encode exactly.
    header, signature, body = codec.open_payload(text, counter_private_key=counter)
    expires = ISSUED + codec.DEFAULT_TTL
    content = codec.content_bytes(record, ids, ISSUED, expires, format_version=version)
    assert codec.deflate(content, format_version=version) == body
    context = codec.FORMATS[version].signature_context
    assert signing.sign(context + header + body) == signature
    assert header[:4] == b"MDG" + bytes([version])
    assert (
        keys.fingerprint(counter.public_key())
        == "sha256:" + (hashlib.sha256(keys.public_bytes(counter.public_key())).hexdigest()[:16])
    )
    if version == 2:
        assert qr_version(text) <= 20


@pytest.mark.parametrize(
    ("dictionary", "name"), [(ZDICT_V1, "zdict-v1.sha256"), (ZDICT_V2, "zdict-v2.sha256")]
)
def test_dictionaries_are_frozen(dictionary, name):
    # Changing a preset dictionary breaks every QR code of its format already handed out.
    assert codec.FORMATS[int(name[7])].dictionary is dictionary
    assert hashlib.sha256(dictionary).hexdigest() == (VECTOR / name).read_text().strip()


# --- fuzzing: nothing crashes, nothing hangs ------------------------------------------------------

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _only_typed_refusals(text, ring, catalog) -> None:
    start = time.perf_counter()
    with contextlib.suppress(errors.PayloadError):
        _decode(text, ring, catalog)
    assert time.perf_counter() - start < 1.0


@FUZZ
@given(text=st.text(max_size=3000))
def test_fuzz_any_text(text, ring, catalog):
    _only_typed_refusals(text, ring, catalog)


@FUZZ
@given(text=st.from_regex(r"21748[0-9]{0,2000}", fullmatch=True))
def test_fuzz_digits_with_our_prefix(text, ring, catalog):
    _only_typed_refusals(text, ring, catalog)


@FUZZ
@given(data=st.data())
def test_fuzz_mutations_of_a_good_payload(data, good, ring, catalog):
    text = good
    for _ in range(data.draw(st.integers(1, 4))):
        op = data.draw(st.sampled_from(["replace", "delete", "insert", "cut"]))
        at = data.draw(st.integers(0, len(text)))
        char = data.draw(st.sampled_from("0123456789a\n "))
        text = {
            "replace": text[:at] + char + text[at + 1 :],
            "delete": text[:at] + text[at + 1 :],
            "insert": text[:at] + char + text[at:],
            "cut": text[:at],
        }[op]
    _only_typed_refusals(text, ring, catalog)


@FUZZ
@given(body=st.binary(max_size=400))
def test_fuzz_signed_bodies(body, ring, catalog):
    """Even content that passed the signature (a buggy issuer) only ever meets typed refusals."""
    _only_typed_refusals(_seal(body, ring), ring, catalog)


@FUZZ
@given(
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.binary(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.text(max_size=5) | st.integers(-2, 30), inner, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_fuzz_signed_records(value, ring, catalog):
    _only_typed_refusals(_seal(_content(value), ring), ring, catalog)
